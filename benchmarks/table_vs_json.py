"""The cost of a table against the JSON of the same command, on a generated ledger.

    python benchmarks/table_vs_json.py [N] [RUNS]

Runs ``wik status`` (the table, into a pipe) and ``wik status --json`` alternately on a home
of N invoices (default 10,000), after one warm-up round that leaves the snapshot and the
day's overview in place, and prints the median of each and their ratio. The target: the
table costs at most 1.5 times the JSON. ``WIK_WIDTH=80`` in the environment measures the
table as an 80-column terminal would get it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import TODAY, WIK, alternate, make_home  # noqa: E402

TARGET = 1.5


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    runs = int(argv[1]) if len(argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="wik-bench-") as tmp:
        home = make_home(Path(tmp), n)
        common = ["--today", TODAY, "--home", str(home)]
        times = alternate({"table": WIK + ["status", *common], "json": WIK + ["status", "--json", *common]}, runs)
    table, json_ = statistics.median(times["table"]), statistics.median(times["json"])
    ratio = table / json_
    print(f"wik status on {n:,} invoices, median of {runs}: table {table:.2f} s, --json {json_:.2f} s, "
          f"table/json {ratio:.2f}x (target <= {TARGET}x): {'met' if ratio <= TARGET else 'NOT met'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

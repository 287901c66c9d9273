"""wik's performance suite: plain Python, standard-library timing, no network.

    python benchmarks/run.py [--quick]

Prints one table and writes benchmarks/results.json. Each figure is the median over its
runs; ratios are taken between commands measured alternately in the same run, so a
machine that drifts affects both sides alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
WIK = [PY, "-m", "wikcli"]
_bin = Path(PY).parent / "wik"
if _bin.exists():
    WIK = [str(_bin)]

TARGETS = {
    "calc_vs_floor": 1.25,
}


def wall(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - t0


def alternate(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Run each command once per round, in turn, after one warm-up round."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for k, c in cmds.items():
        wall(c)
    for _ in range(runs):
        for k, c in cmds.items():
            times[k].append(wall(c))
    return times


def cold_start(runs: int) -> dict:
    cmds = {
        "python -c pass": [PY, "-c", "pass"],
        "typer floor": [PY, str(HERE / "typer_floor.py")],
        "wik calc 244 --json": WIK + ["calc", "244", "--json"],
        "wik --help": WIK + ["--help"],
    }
    t = alternate(cmds, runs)
    med = {k: statistics.median(v) for k, v in t.items()}
    bare, floor = med["python -c pass"], med["typer floor"]

    def pair_ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(t[a], t[b]))

    return {
        "runs": runs,
        "median_s": {k: round(v, 4) for k, v in med.items()},
        "calc_vs_bare": round(pair_ratio("wik calc 244 --json", "python -c pass"), 2),
        "calc_vs_floor": round(pair_ratio("wik calc 244 --json", "typer floor"), 3),
        "help_vs_bare": round(pair_ratio("wik --help", "python -c pass"), 2),
        "help_vs_floor": round(pair_ratio("wik --help", "typer floor"), 3),
        "floor_vs_bare": round(floor / bare, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and the small ledgers only")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    args = ap.parse_args(argv)
    results: dict = {
        "date": datetime.now(timezone.utc).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    results["cold_start"] = cold_start(5 if args.quick else 15)
    rows = table_rows(results)
    print(render_table(rows))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def table_rows(r: dict) -> list[tuple[str, str, str]]:
    cs = r["cold_start"]
    rows = [
        ("python -c pass (median)", f"{cs['median_s']['python -c pass'] * 1000:.0f} ms", ""),
        ("one-command Typer app (median)", f"{cs['median_s']['typer floor'] * 1000:.0f} ms",
         f"{cs['floor_vs_bare']}x bare"),
        ("wik calc 244 --json (median)", f"{cs['median_s']['wik calc 244 --json'] * 1000:.0f} ms",
         f"{cs['calc_vs_floor']}x floor (target <= {TARGETS['calc_vs_floor']}), {cs['calc_vs_bare']}x bare"),
        ("wik --help (median)", f"{cs['median_s']['wik --help'] * 1000:.0f} ms",
         f"{cs['help_vs_floor']}x floor, {cs['help_vs_bare']}x bare"),
    ]
    return rows


def render_table(rows: list[tuple[str, str, str]]) -> str:
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    lines = [f"| {'measure'.ljust(w0)} | {'value'.ljust(w1)} | compared |", f"|{'-' * (w0 + 2)}|{'-' * (w1 + 2)}|---|"]
    lines += [f"| {a.ljust(w0)} | {b.ljust(w1)} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

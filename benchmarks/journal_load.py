"""Journal replay speed: ``Journal.events()`` against a bare ``json.loads`` loop.

    python benchmarks/journal_load.py [LINES]

Builds a journal of LINES payment events (default 500,000) in a temporary folder and prints
the best of three runs of each, in the same process.
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from datetime import datetime, UTC
from pathlib import Path

from wikcli.store.journal import Journal


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    with tempfile.TemporaryDirectory() as tmp:
        j = Journal(Path(tmp) / "home")
        j.create(datetime(2026, 11, 25, tzinfo=UTC))
        with open(j.path, "a", encoding="utf-8") as f:
            f.write("".join(
                json.dumps({"seq": i, "at": "2026-11-25T13:40:00Z", "type": "payment", "invoice": f"2026-{i % 1000:03d}",
                            "data": {"amount": "12.34", "date": "2026-11-25", "via": "bank"}},
                           ensure_ascii=False, separators=(",", ":")) + "\n"
                for i in range(1, n + 1)))

        def bare():
            lines = j.path.read_bytes().decode("utf-8").split("\n")
            lines.pop()
            return [json.loads(line) for line in lines]

        def bare_no_gc():
            gc.disable()
            try:
                return bare()
            finally:
                gc.enable()

        best = {"bare json.loads loop": 1e9, "bare loop, gc off": 1e9, "Journal.events()": 1e9}
        for _ in range(3):
            for name, fn in (("bare json.loads loop", bare), ("bare loop, gc off", bare_no_gc),
                             ("Journal.events()", j.events)):
                t0 = time.perf_counter()
                out = fn()
                best[name] = min(best[name], time.perf_counter() - t0)
                del out
        for name, t in best.items():
            print(f"{name:22} {t:7.3f} s  ({t / best['bare json.loads loop']:.2f}x bare)")


if __name__ == "__main__":
    main()

"""Type-check the package against a baseline that may only fall.

mypy runs with the settings in pyproject.toml. Its errors are counted per module; a module
with more errors than `.ci/mypy-baseline.json` allows fails the check, and so does any error
in the packages that must stay clean (CLEAN). A module with fewer errors than its baseline
passes and is named, so that the baseline is lowered in the same change:
`python .ci/typecheck.py --update` rewrites it (it never raises a count).
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / ".ci" / "mypy-baseline.json"
CLEAN: tuple[str, ...] = ("wikcli/",)  # where no error is allowed: all of wik, since it reached none
ERROR = re.compile(r"^(?P<file>[^:]+):\d+(?::\d+)?: error: ")


def counts() -> tuple[dict[str, int], str]:
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    found: collections.Counter[str] = collections.Counter()
    for line in run.stdout.splitlines():
        m = ERROR.match(line)
        if m:
            found[m["file"]] += 1
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        sys.exit(f"mypy did not run: {run.stdout[-2000:]}{run.stderr[-2000:]}")
    return dict(found), run.stdout


def main() -> int:
    found, output = counts()
    base = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if "--update" in sys.argv:
        new = {f: min(n, base.get(f, n)) if base else n for f, n in sorted(found.items())}
        BASELINE.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n")
        print(f"baseline: {sum(new.values())} errors in {len(new)} modules")
        return 0
    worse = {f: (n, base.get(f, 0)) for f, n in found.items() if n > base.get(f, 0)}
    dirty = {f: n for f, n in found.items() if f.startswith(CLEAN) and CLEAN}
    better = {f: (found.get(f, 0), n) for f, n in base.items() if found.get(f, 0) < n}
    for f, (n, b) in sorted(better.items()):
        print(f"fewer type errors in {f}: {n} (baseline {b}); lower it with .ci/typecheck.py --update")
    if worse or dirty:
        print(output)
        for f, (n, b) in sorted(worse.items()):
            print(f"more type errors in {f}: {n}, the baseline allows {b}")
        for f, n in sorted(dirty.items()):
            print(f"type errors in {f}: {n}, none allowed in {', '.join(CLEAN)}")
        return 1
    print(f"mypy: {sum(found.values())} errors, baseline {sum(base.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

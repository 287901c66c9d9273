"""Start-up guard: `wik calc` must not load the heavy libraries that only letters, tables
or holidays need. Measured in a fresh interpreter, not timed."""

import json
import subprocess
import sys

HEAVY = ("reportlab", "jinja2", "holidays", "babel", "rich", "segno", "pypdf")
# wik's own modules that read data tables (the rates, the holidays) at first use, and those a
# calculation without a home needs not: the config, the ledger's nouns, agreed terms.
TABLES = ("wikcli.rules.interest", "wikcli.rules.deadlines", "wikcli.store.config", "wikcli.ledger.model",
          "wikcli.rules.agreed")

PROBE = """
import json, sys
from wikcli.cli import app
try:
    app(["calc", "244", "--json"], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in %r or m in %r)), file=sys.stderr)
"""


def test_calc_json_loads_no_heavy_module():
    out = subprocess.run([sys.executable, "-c", PROBE % (HEAVY, TABLES)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["costs"] == "40.00"
    loaded = json.loads(out.stderr.strip().splitlines()[-1])
    assert loaded == []

"""The benchmark suite's pure helpers (nothing here is timed)."""

import json
import sys
from pathlib import Path

from conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import gen_journal  # noqa: E402
import run as bench  # noqa: E402


def test_generated_home_is_a_valid_ledger(tmp_path):
    path = gen_journal.generate(tmp_path, 30)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["wik_journal"] == 1
    assert sum(1 for x in lines if '"invoice-added"' in x) == 30
    r = run_cli("status", "--json", "--all", "--today", "2026-11-25", "--home", tmp_path)
    assert r.exit_code == 0
    assert len(r.json()) == 30
    assert gen_journal.generate(tmp_path / "again", 30).read_bytes() == path.read_bytes()  # seeded


def result(status_10k: float, parse_10k: float, mb_100k: float, letters: float) -> dict:
    def row(n, status, parse, mb):
        return {"invoices": n, "events": n * 4, "journal_mb": 1.0, "runs": 1,
                "median_s": {"parse": parse, "status": status, "check": status},
                "peak_mb": {"parse": 20, "status": mb, "check": mb},
                "status_vs_parse": round(status / parse, 2), "check_vs_parse": round(status / parse, 2),
                "status_us_per_invoice": 1.0, "check_us_per_invoice": 1.0}
    return {
        "cold_start": {"median_s": {"python -c pass": 0.02, "typer floor": 0.2,
                                    "wik calc 244 --json": 0.22, "wik --help": 0.21},
                       "calc_vs_floor": 1.1, "calc_vs_bare": 11.0, "help_vs_floor": 1.05,
                       "help_vs_bare": 10.5, "floor_vs_bare": 10.0},
        "ledger": [row(10_000, status_10k, parse_10k, 100), row(100_000, 8.0, 1.0, mb_100k)],
        "letters": {"letters": 200, "setup_s": 0.2, "render_s": 4.0, "per_second": letters,
                    "per_second_incl_setup": letters},
    }


def test_targets_pass_and_fail():
    ok = bench.check_targets(result(0.6, 0.15, 700, 40))
    assert all(met for met, _ in ok.values()) and len(ok) == 6
    bad = bench.check_targets(result(1.2, 0.15, 1200, 20))
    assert [k for k, (met, _) in bad.items() if not met] == [
        "status_10k_s", "status_10k_vs_parse", "status_100k_mb", "letters_per_s"]


def test_table_has_a_row_per_measure():
    table = bench.render_table(bench.table_rows(result(0.6, 0.15, 700, 40)))
    assert table.count("\n") == 1 + 4 + 2 * 3 + 1
    assert "wik status --json" in table and "WIK-letters" in table

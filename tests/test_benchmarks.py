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


def result(status_10k: float, parse_10k: float, mb_100k: float, letters: float, *, write_10k: float = 1.3,
           write_100k: float = 0.4, cold: float = 0.9) -> dict:
    def row(n, status, parse, mb, write):
        m = {"parse": parse, "status": status, "check": status, "cold": cold * 2, "before": 2.0,
             "note": write, "pay": write, "calc": 0.2, "newday": 2.2, "bare": 2.4}
        return {"invoices": n, "events": n * 4, "journal_mb": 1.0, "runs": 1, "median_s": m,
                "peak_mb": {k: (mb if k != "parse" else 20) for k in m},
                "status_vs_parse": round(status / parse, 2), "check_vs_parse": round(status / parse, 2),
                "status_us_per_invoice": 1.0, "check_us_per_invoice": 1.0,
                "note_vs_calc": write_10k, "pay_vs_calc": write_10k, "cold_vs_before": cold,
                "newday_vs_before": 1.1, "bare_vs_before": 1.2}
    return {
        "cold_start": {"median_s": {"python -c pass": 0.02, "typer floor": 0.2,
                                    "wik calc 244 --json": 0.22, "wik --help": 0.21},
                       "calc_vs_floor": 1.1, "calc_vs_bare": 11.0, "help_vs_floor": 1.05,
                       "help_vs_bare": 10.5, "floor_vs_bare": 10.0},
        "ledger": [row(10_000, status_10k, parse_10k, 100, 0.26), row(100_000, 3.0, 1.0, mb_100k, write_100k)],
        "letters": {"letters": 200, "setup_s": 0.2, "render_s": 4.0, "per_second": letters,
                    "per_second_incl_setup": letters},
    }


def test_targets_pass_and_fail():
    ok = bench.check_targets(result(0.45, 0.15, 450, 40))
    assert all(met for met, _ in ok.values()) and len(ok) == 10
    bad = bench.check_targets(result(0.9, 0.15, 1200, 20, write_10k=1.6, write_100k=0.6, cold=1.1))
    assert [k for k, (met, _) in bad.items() if not met] == [
        "write_10k_vs_calc", "status_10k_s", "status_10k_vs_parse", "write_100k_s", "status_100k_mb",
        "cold_vs_before_10k", "cold_vs_before_100k", "letters_per_s"]


def test_table_has_a_row_per_measure():
    table = bench.render_table(bench.table_rows(result(0.45, 0.15, 450, 40)))
    assert table.count("\n") == 1 + 4 + 2 * 8 + 1
    assert "wik status --json" in table and "WIK-letters" in table and "snapshot deleted" in table
    assert "x the code before" in table and "wik pay" in table
    rows = bench.table_rows(result(0.45, 0.15, 450, 40))
    assert ("100,000 invoices (400,000 events, 1.0 MB): status, a new day", "2.20 s",
            "450 MB peak, 1.1x the code before") in rows
    assert ("100,000 invoices (400,000 events, 1.0 MB): status, snapshot and overview deleted", "2.40 s",
            "450 MB peak, 1.2x the code before") in rows


def bank(seconds: float) -> dict:
    return {"invoices": 10_000, "entries": 10_000, "statement_mb": 4.0, "credits": 8000, "booked": 6000,
            "kept": 2000, "runs": 5, "median_s": seconds, "max_s": seconds + 0.2}


def test_the_bank_import_target_and_row():
    met = bench.check_targets(result(0.6, 0.15, 700, 40) | {"bank_import": bank(2.4)})["bank_import_10k_s"]
    assert met == (True, "bank import of 10,000 entries into 10,000 invoices 2.40 s (<= 3.0 s)")
    assert bench.check_targets(result(0.6, 0.15, 700, 40) | {"bank_import": bank(3.2)})["bank_import_10k_s"][0] is False
    rows = bench.table_rows(result(0.6, 0.15, 700, 40) | {"bank_import": bank(2.4)})
    assert rows[-1] == ("wik bank import: 10,000 entries (4.0 MB) into 10,000 invoices", "2.40 s",
                        "8,000 credits: 6,000 booked, 2,000 kept; max 2.60 s")


def test_the_bank_benchmark_statement_pays_the_generated_home(tmp_path):
    import bank_import

    from wikcli.bank import statements

    home = tmp_path / "home"
    gen_journal.generate(home, 40)
    rows = bank_import.ledger_rows(home, 25)
    statement = tmp_path / "s.xml"
    statement.write_bytes(bank_import.camt(rows))
    f = statements.parse(statement.read_bytes(), "s.xml")
    assert (len(f.credits), f.skipped) == (20, {"debit": 5}) and all(c.ok for c in f.checks)
    r = run_cli("bank", "import", str(statement), "--json", "--home", str(home), "--today", bank_import.TODAY)
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert (len(out["matched"]), len(out["unmatched"])) == (15, 5)
    assert {m["rule"] for m in out["matched"]} == {"invoice_number", "reference", "amount"}


def test_the_letter_rate_script_runs_against_the_code_as_it_is(tmp_path):
    # The script is a string run in a child process: only running it tells that the names it
    # imports still exist where it imports them from.
    r = bench.letter_rate(tmp_path, 2)
    assert r["letters"] == 2 and r["per_second"] > 0

"""The steps in order: a missed installment's reminder has a term the next action waits for;
a consumer's notice of default needs a WIK-letter whose term has run; a letter recorded as
sent later than it was rendered; a delivery-days policy below the postal norm."""

from __future__ import annotations

import pytest

from conftest import run_cli


def _ok(*args):
    r = run_cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


@pytest.fixture
def home(tmp_path):
    h = str(tmp_path / "home")
    _ok("init", "--home", h, "--name", "Foto", "--address", "Straat 1", "--postcode", "1015 AA", "--city",
        "Amsterdam", "--iban", "NL91ABNA0417164300", "--email", "info@foto.nl", "--no-vat-deductible")
    _ok("client", "add", "p", "--name", "Piet", "--type", "consumer", "--address", "Dorp 1", "--postcode",
        "1234 AB", "--city", "Utrecht", "--home", h)
    _ok("invoice", "add", "F1", "--client", "p", "--amount", "900", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", h)
    return h


def check(home, day) -> str:
    r = run_cli("check", "--home", home, "--today", day)
    assert r.exit_code in (0, 1), r.stderr
    return r.stdout


def test_a_missed_installment_is_chased_once_and_then_the_claim_goes_on(home):
    parts = _ok("plan", "F1", "--installments", "3", "--first", "2026-03-01", "--home", home, "--today", "2026-02-20",
                "--json").json()[0]["data"]["installments"]
    assert [(x["due"], x["amount"]) for x in parts] == [("2026-03-01", "301.83"), ("2026-04-01", "301.83"),
                                                        ("2026-05-01", "301.84")]
    _ok("pay", "F1", "301,83", "--date", "2026-03-01", "--home", home, "--today", "2026-03-01")
    assert check(home, "2026-04-01") == ""
    assert check(home, "2026-04-02") == "F1: chase-installment due 2026-04-02\n"
    _ok("letter", "F1", "--kind", "reminder", "--sent", "2026-04-02", "--via", "email", "--home", home,
        "--today", "2026-04-02")
    # The reminder (by e-mail, 14 days) runs through 16 April: nothing is due inside it.
    for day in ("2026-04-02", "2026-04-03", "2026-04-10", "2026-04-16"):
        assert check(home, day) == "", day
    # Unpaid after it: the plan is broken and the consumer's claim goes on to the WIK-letter.
    assert check(home, "2026-04-17") == "F1: send-wik-letter due 2026-04-17\n"
    assert check(home, "2026-04-18") == "F1: send-wik-letter due 2026-04-17, 1 days overdue\n"


def test_an_installment_paid_inside_the_reminders_term_keeps_the_plan(home):
    _ok("plan", "F1", "--installments", "3", "--first", "2026-03-01", "--home", home, "--today", "2026-02-20")
    _ok("pay", "F1", "301,83", "--date", "2026-03-01", "--home", home, "--today", "2026-03-01")
    _ok("letter", "F1", "--kind", "reminder", "--sent", "2026-04-02", "--via", "email", "--home", home,
        "--today", "2026-04-02")
    _ok("pay", "F1", "301,83", "--date", "2026-04-10", "--home", home, "--today", "2026-04-10")
    assert check(home, "2026-04-17") == ""
    assert check(home, "2026-05-01") == ""
    assert check(home, "2026-05-02") == "F1: chase-installment due 2026-05-02\n"

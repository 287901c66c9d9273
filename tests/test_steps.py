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
    assert check(home, "2026-04-18") == "F1: send-wik-letter due 2026-04-17, 1 day overdue\n"


def test_an_installment_paid_inside_the_reminders_term_keeps_the_plan(home):
    _ok("plan", "F1", "--installments", "3", "--first", "2026-03-01", "--home", home, "--today", "2026-02-20")
    _ok("pay", "F1", "301,83", "--date", "2026-03-01", "--home", home, "--today", "2026-03-01")
    _ok("letter", "F1", "--kind", "reminder", "--sent", "2026-04-02", "--via", "email", "--home", home,
        "--today", "2026-04-02")
    _ok("pay", "F1", "301,83", "--date", "2026-04-10", "--home", home, "--today", "2026-04-10")
    assert check(home, "2026-04-17") == ""
    assert check(home, "2026-05-01") == ""
    assert check(home, "2026-05-02") == "F1: chase-installment due 2026-05-02\n"


def test_a_consumers_handover_without_a_wik_letter_says_the_costs_are_lost(home):
    _ok("letter", "F1", "--kind", "default", "--sent", "2026-03-02", "--via", "email", "--force", "--home", home,
        "--today", "2026-03-02")
    # The notice of default (by e-mail, 8 days) runs through 10 March.
    assert check(home, "2026-03-11") == "F1: hand-over due 2026-03-11\n"
    r = _ok("handover", "F1", "--json", "--home", home, "--today", "2026-03-11")
    assert r.stderr == ("wik: warning: invoice 'F1' had no WIK-letter: no collection costs can be claimed from this "
                        "consumer (art. 6:96 lid 6 BW), the claim is the principal and the interest\n")
    ev = _ok("invoice", "show", "F1", "--json", "--home", home, "--today", "2026-03-11").json()["timeline"][-1]
    assert (ev["type"], ev["data"]["costs_lost"].startswith("invoice 'F1' had no WIK-letter")) == ("handed-over", True)


def test_a_letter_rendered_on_friday_and_recorded_as_posted_on_monday_is_refused(home):
    # Rendered for Friday 3 April 2026 by post; posted on Monday 6 April its term ends later.
    r = _ok("letter", "F1", "--kind", "wik", "--home", home, "--today", "2026-04-03", "--json").json()
    rendered = r["path"].rsplit("/", 1)[1]
    r = run_cli("sent", "F1", "--kind", "wik", "--date", "2026-04-06", "--home", home, "--today", "2026-04-06")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"wik: error: the letter {rendered} was rendered for 2026-04-03 and names ")
    assert r.stderr.endswith("(a letter that names a too-early date can void its costs): render it again with "
                             "`wik letter F1 --kind wik --sent 2026-04-06 --via post` and send that copy\n")
    # The same letter recorded for its own day is that very copy.
    r = _ok("sent", "F1", "--kind", "wik", "--date", "2026-04-03", "--home", home, "--today", "2026-04-06")
    assert f"(archived copy {rendered})" in r.stdout


def test_a_copy_that_prints_a_later_last_day_is_recorded_with_a_warning(home):
    # Rendered for Friday by post, sent on Monday by e-mail: the e-mail's term ends earlier than
    # the one the copy prints, which the debtor may rely on.
    r = _ok("letter", "F1", "--kind", "wik", "--home", home, "--today", "2026-04-03", "--json").json()
    rendered = r["path"].rsplit("/", 1)[1]
    r = _ok("sent", "F1", "--kind", "wik", "--date", "2026-04-06", "--via", "email", "--home", home,
            "--today", "2026-04-06")
    assert r.stderr.startswith(f"wik: warning: the letter {rendered} was rendered for 2026-04-03 and names ")
    assert "later than the 2026-04-20 that sending it on 2026-04-06 gives: the debtor has until the printed day" \
        in r.stderr


def test_a_delivery_days_policy_below_the_norm_warns_on_every_letter(home, tmp_path):
    cfg = tmp_path / "home" / "config.toml"
    text = cfg.read_text(encoding="utf-8")
    assert "postal_delivery_days = 0" in text
    cfg.write_text(text.replace("postal_delivery_days = 0", "postal_delivery_days = 1"), encoding="utf-8")
    r = _ok("letter", "F1", "--kind", "reminder", "--home", home, "--today", "2026-04-03")
    assert r.stderr == ("wik: warning: policy.postal_delivery_days 1 is below the postal norm of 2 delivery days for "
                        "a letter posted on 2026-04-03: the letter's last day comes earlier than the norm gives, and "
                        "a last day earlier than the true one can void the costs: set it to 0 (the norm)\n")
    r = _ok("letter", "F1", "--kind", "reminder", "--via", "email", "--home", home, "--today", "2026-04-03")
    assert r.stderr == ""


def test_a_plan_agreed_inside_the_wik_term_says_it_includes_costs_not_yet_owed(home):
    _ok("letter", "F1", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--home", home,
        "--today", "2026-03-02")
    r = _ok("plan", "F1", "--installments", "3", "--first", "2026-03-10", "--home", home, "--today", "2026-03-05")
    # 900,00: 15% = 135,00 + 21% VAT 28,35 = 163,35, owed from 17 March (e-mail, 14 days).
    assert r.stderr == ("wik: warning: invoice F1: the installments include collection costs (at most € 163,35) the "
                        "WIK-letter of 2026-03-02 announced, owed only from 2026-03-17: tell the client, or settle "
                        "before then without them\n")

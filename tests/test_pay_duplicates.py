"""`wik pay` after the statement booked the same money: refused as a probable duplicate,
naming the payment it repeats, unless --force; the bank import's rule (same amount, within
7 days, on the invoice or its letter's invoices) seen from the other side. Two payments by
hand are not compared."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_banking import bank_import, camt, events, home, journal, put, show  # noqa: F401
from test_cli_ledger import _ok


def pay(home, *args, today="2026-11-25"):
    return run_cli("pay", *args, "--home", home, "--today", today)


def _statement(home, tmp_path):
    """2026-020 (€ 500,00, P. Pieters): € 200,00 booked from statement S1 of 2026-11-20."""
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "200.00", "name": "P. Pieters",
                                                           "text": "deel factuur 2026-020"})))
    [m] = out["matched"]
    return m["seq"][0]


def test_a_hand_payment_of_money_the_statement_booked_is_refused(home, tmp_path):
    seq = _statement(home, tmp_path)
    before = journal(home)
    r = pay(home, "2026-020", "200,00", "--date", "2026-11-22")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        f"wik: error: payment € 200,00 of 2026-11-22 on invoice 2026-020 is probably a duplicate of payment #{seq} "
        "of € 200,00 of 2026-11-20 on invoice 2026-020 (from the bank statement S1): add --force to record it "
        "as a second payment")
    assert journal(home) == before
    assert show(home, "2026-020")["paid"] == "200.00"
    # a second payment after all
    r = pay(home, "2026-020", "200,00", "--date", "2026-11-22", "--force")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "Recorded payment of € 200,00 on invoice 2026-020."
    d = show(home, "2026-020")
    assert (d["paid"], d["principal_open"]) == ("400.00", "100.00")


def test_the_duplicate_is_named_before_closed_or_more_than_due(home, tmp_path):
    """The statement paid 2026-001 (€ 605,00) whole: the hand payment's refusal names the
    statement's payment, not only that the invoice is closed."""
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"})))
    seq = out["matched"][0]["seq"][0]
    r = pay(home, "2026-001", "605,00", "--date", "2026-11-24")
    assert r.exit_code == 2 and r.stderr.strip() == (
        f"wik: error: payment € 605,00 of 2026-11-24 on invoice 2026-001 is probably a duplicate of payment #{seq} "
        "of € 605,00 of 2026-11-20 on invoice 2026-001 (from the bank statement S1): add --force to record it "
        "as a second payment")
    # forced, the invoice's own checks still apply
    r = pay(home, "2026-001", "605,00", "--date", "2026-11-24", "--force")
    assert r.exit_code == 2 and r.stderr.strip() == (
        "wik: error: invoice '2026-001' is closed (paid): nothing more can be recorded on it")


def test_another_amount_or_eight_days_apart_is_recorded(home, tmp_path):
    _statement(home, tmp_path)
    r = pay(home, "2026-020", "150,00", "--date", "2026-11-21")
    assert r.exit_code == 0, r.stderr
    assert show(home, "2026-020")["paid"] == "350.00"
    # 7 days after a payment is within the window
    before = journal(home)
    r = pay(home, "2026-020", "200,00", "--date", "2026-11-27", today="2026-11-28")
    assert r.exit_code == 2 and "of € 200,00 of 2026-11-20 on invoice 2026-020 (from the bank statement S1)" in r.stderr
    assert journal(home) == before
    # 8 days before or after the statement's € 100,00 on 2026-001 of 2026-11-20 is another payment
    bank_import(home, put(tmp_path, "b.xml", camt({"amount": "100.00", "text": "factuur 2026-001"}, stmt="S2")))
    assert pay(home, "2026-001", "100,00", "--date", "2026-11-28", today="2026-11-28").exit_code == 0
    assert pay(home, "2026-001", "100,00", "--date", "2026-11-12", today="2026-11-28").exit_code == 0
    assert show(home, "2026-001", today="2026-11-28")["paid"] == "300.00"


def test_two_payments_by_hand_are_not_compared(home):
    """The user made both (each acknowledged); only a statement's payment is compared."""
    assert pay(home, "2026-020", "100,00", "--date", "2026-11-20").exit_code == 0
    r = pay(home, "2026-020", "100,00")
    assert r.exit_code == 0, r.stderr
    assert show(home, "2026-020")["paid"] == "200.00"


def _letter(home):
    """A reminder about 2026-011 (€ 90,00) and 2026-012 (€ 150,00) of M. de Vries: one claim."""
    letter = _ok("letter", "--client", "devries", "--kind", "reminder", "--sent", "2026-11-10", "--via", "email",
                 "--json", "--home", home, "--today", "2026-11-10").json()
    assert letter["invoices"] == ["2026-011", "2026-012"]
    return [e for e in events(home) if e["type"] == "letter-sent"][0]["data"]["reference"]


def test_a_joint_letters_other_invoice(home, tmp_path):
    """The statement's € 100,00 with the letter's reference is booked over the claim (€ 90,00 on
    2026-011, € 10,00 on 2026-012); € 100,00 by hand on 2026-012 is that payment again."""
    ref = _letter(home)
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "100.00", "ref": ref}, stmt="S2")))
    [m] = out["matched"]
    assert m["payments"] == [{"invoice": "2026-011", "amount": "90.00"}, {"invoice": "2026-012", "amount": "10.00"}]
    before = journal(home)
    r = pay(home, "2026-012", "100,00", "--date", "2026-11-21")
    assert r.exit_code == 2 and r.stderr.strip() == (
        f"wik: error: payment € 100,00 of 2026-11-21 on invoice 2026-012 is probably a duplicate of payment "
        f"#{m['seq'][0]} of € 100,00 of 2026-11-20 on invoice 2026-011, 2026-012 (from the bank statement S2): "
        "add --force to record it as a second payment")
    assert journal(home) == before
    assert pay(home, "2026-012", "50,00", "--date", "2026-11-21").exit_code == 0
    assert show(home, "2026-012")["paid"] == "60.00"


def test_a_hand_payment_split_over_a_claim_is_one_payment_for_the_import(home, tmp_path):
    """`wik pay` on one invoice of the letter splits € 200,00 over the claim; the statement's
    € 200,00 with the letter's reference is that one payment again (the import compared its
    parts, € 90,00 and € 110,00, and booked it)."""
    ref = _letter(home)
    assert pay(home, "2026-012", "200,00", "--date", "2026-11-19", today="2026-11-19").exit_code == 0
    parts = [(e["seq"], e["invoice"], e["data"]["amount"]) for e in events(home) if e["type"] == "payment"]
    assert [p[1:] for p in parts] == [("2026-011", "90.00"), ("2026-012", "110.00")]
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "200.00", "ref": ref})))
    assert out["matched"] == []
    [k] = out["unmatched"]
    assert k["duplicate_of"] == parts[0][0]
    assert k["reason"].startswith(
        f"probable duplicate of payment #{parts[0][0]} of € 200,00 on 2026-11-19 on invoice 2026-011, 2026-012 "
        "(recorded by hand): same amount, within 7 days")
    assert (show(home, "2026-011")["paid"], show(home, "2026-012")["paid"]) == ("90.00", "110.00")


def test_pay_help_names_force():
    r = run_cli("pay", "--help")
    assert r.exit_code == 0
    assert "--force" in r.stdout and "probable duplicate" in r.stdout


def test_an_import_recorded_while_wik_pay_runs_is_seen(home, tmp_path):
    """A scheduled import records the statement after `wik pay` started and before it takes
    the journal's lock: the check runs under the lock, on the ledger as it is then."""
    from datetime import date
    from decimal import Decimal

    import pytest

    from wikcli.store.home import Home
    from wikcli.ledger.commands import LedgerError
    from wikcli.services import bank_import, payments

    statement = bank_import.read([Path(put(tmp_path, "a.xml", camt(
        {"amount": "200.00", "name": "P. Pieters", "text": "deel factuur 2026-020"})))])
    h = Home.open(home)
    assert h.ledger().invoices["2026-020"].payments == []  # what the command would have read first

    class Racing:
        path, config = h.path, h.config
        rulebook = h.rulebook

        def ledger(self):
            return h.ledger()

        def record(self, build):
            bank_import.import_files(h, statement, date(2026, 11, 25))  # the other process, first
            return h.record(build)

    with pytest.raises(LedgerError, match=r"^payment € 200,00 of 2026-11-22 on invoice 2026-020 is probably a "
                                          r"duplicate of payment #\d+ of € 200,00 of 2026-11-20"):
        payments.pay(Racing(), "2026-020", Decimal("200.00"), date(2026, 11, 22), today=date(2026, 11, 25))
    assert [(e["invoice"], e["data"]["amount"], "bank" in e["data"]) for e in events(home)
            if e["type"] == "payment"] == [("2026-020", "200.00", True)]

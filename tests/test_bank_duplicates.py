"""Every payment once: the same credit in any export, a hand payment then the statement, an
overlapping statement that repeats a bank reference, and a credit for more than is open now."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from conftest import run_cli
from test_banking import JANSEN_IBAN, iban_ok, STRANGER_IBAN, bank_import, camt, events, home, journal, put, show  # noqa: F401
from test_cli_ledger import _ok
from wikcli.bank import statements


def mt940(*rows: tuple[str, str, str, str, str], account: str = "417164300", n: int = 1) -> bytes:
    """An ABN AMRO MT940 statement of the creditor's account (``:25:`` its bare number), every
    entry NONREF: rows of (MMDD, amount "605,00", payer IBAN, payer name, text)."""
    entries = "\n".join(
        f":61:26{d}{d}C{a}N654NONREF\n:86:/TRTP/SEPA OVERBOEKING/IBAN/{iban}/BIC/RABONL2U/NAME/{name}/REMI/{text}"
        for d, a, iban, name, text in rows)
    total = sum((D(a.replace(",", ".")) for _, a, *_ in rows), D("0"))
    return (f"ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:{account}\n:28:{n}/1\n"
            f":60F:C26{rows[0][0]}EUR0,00\n{entries}\n:62F:C26{rows[-1][0]}EUR{total:.2f}\n-\n"
            ).replace(".", ",").encode()


def kept(out: dict) -> list[tuple[str, str]]:
    return [(k["amount"], k["reason"]) for k in out["unmatched"]]


def test_the_readme_tour_a_hand_payment_then_the_statement(tmp_path, monkeypatch):
    """The tour: 2026-094 (€ 1.815,00, € 500,00 paid) is paid by hand on 2026-11-25, and the
    statement of 2026-11-24 holds that transfer: it is kept for review, never booked again."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("demo", "--dir", "wik-demo", "--today", "2026-11-25").exit_code == 0
    home = str(tmp_path / "wik-demo")
    _ok("pay", "2026-094", "1.315,00", "--date", "2026-11-25", "--home", home, "--today", "2026-11-25")
    camt_file = str(tmp_path / "wik-demo" / "afschrift.xml")  # the statement the demo writes beside it
    out = bank_import(home, camt_file)
    assert [(m["payments"][0]["invoice"], m["amount"]) for m in out["matched"]] == [
        ("2026-072", "245.63"), ("2026-087", "402.65")]
    dup = out["unmatched"][0]
    hand = [e for e in events(home) if e["type"] == "payment" and e["invoice"] == "2026-094"][-1]
    assert (dup["amount"], dup["duplicate_of"], dup["rule"]) == ("1315.00", hand["seq"], "invoice_number")
    assert dup["reason"] == (
        f"probable duplicate of payment #{hand['seq']} of € 1.315,00 on 2026-11-25 on invoice 2026-094 "
        "(recorded by hand): same amount, within 7 days; book it with `wik bank match TX NUMBER --force` if it "
        "is a second payment")
    d = show(home, "2026-094")
    assert (d["paid"], d["total_due"], d["credit"]) == ("1815.00", "0.00", "0.00")
    # booking it by hand asks for --force (and, the invoice being paid, --allow-overpayment)
    before = journal(home)
    r = run_cli("bank", "match", str(dup["seq"]), "2026-094", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and r.stderr.strip() == (
        f"wik: error: credit '{dup['seq']}' of € 1.315,00 of 2026-11-24 is probably a duplicate of payment "
        f"#{hand['seq']} of € 1.315,00 on 2026-11-25 on invoice 2026-094 (recorded by hand): add --force to book "
        "it as a second payment")
    assert journal(home) == before
    r = run_cli("bank", "match", str(dup["seq"]), "2026-094", "--force", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and r.stderr.strip() == (
        "wik: error: payment € 1.315,00 on invoice '2026-094' is more than the € 0,00 due on 2026-11-25 (payments "
        "recorded since 2026-11-24): add --allow-overpayment to record the rest as credit")
    _ok("bank", "match", str(dup["seq"]), "2026-094", "--force", "--allow-overpayment", "--home", home,
        "--today", "2026-11-25")
    d = show(home, "2026-094")
    # the forced second payment pays the costs and interest owed by then; the rest is credit
    assert (d["paid"], d["credit"]) == ("3130.00", "1305.42")


def test_a_probable_duplicate_is_booked_with_force(home, tmp_path):
    # 2026-020 (€ 500,00): € 200,00 recorded by hand on 2026-11-19, the bank books it on 11-20
    _ok("pay", "2026-020", "200,00", "--date", "2026-11-19", "--home", home, "--today", "2026-11-19")
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "200.00", "name": "P. Pieters",
                                                           "text": "deel factuur 2026-020"})))
    assert out["matched"] == []
    [k] = out["unmatched"]
    assert k["reason"].startswith("probable duplicate of payment #") and "on 2026-11-19 on invoice 2026-020" in k["reason"]
    assert show(home, "2026-020")["paid"] == "200.00"
    r = run_cli("bank", "match", str(k["seq"]), "2026-020", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and "add --force" in r.stderr
    # a second payment after all: booked with --force, on the credit's booking date
    _ok("bank", "match", str(k["seq"]), "2026-020", "--force", "--home", home, "--today", "2026-11-25")
    d = show(home, "2026-020")
    assert (d["paid"], d["principal_open"]) == ("400.00", "100.00")
    assert _ok("bank", "unmatched", "--json", "--home", home, "--today", "2026-11-25").json() == []


def test_a_hand_payment_a_week_away_or_from_another_payer_is_no_duplicate(home, tmp_path):
    _ok("pay", "2026-020", "100,00", "--date", "2026-11-12", "--home", home, "--today", "2026-11-12")
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "100.00", "iban": iban_ok("NL00INGB0001122334"),
                                                           "text": "factuur 2026-020"})))
    assert [m["payments"] for m in out["matched"]] == [[{"invoice": "2026-020", "amount": "100.00"}]]
    # a bank payment from one IBAN, then the same amount from another IBAN in another statement
    out = bank_import(home, put(tmp_path, "b.xml", camt({"amount": "100.00", "iban": JANSEN_IBAN,
                                                           "text": "factuur 2026-020"}, stmt="S2",
                                                          )), put(tmp_path, "c.txt", mt940(
        ("1121", "100,00", STRANGER_IBAN, "K DE GROOT", "factuur 2026-020"))))
    assert [m["amount"] for m in out["matched"]] == ["100.00", "100.00"]
    assert show(home, "2026-020")["paid"] == "400.00"


def test_camt_then_mt940_of_the_same_days_books_once(home, tmp_path):
    """The same two credits exported as camt.053 (the account's IBAN, the bank's references)
    and as MT940 (`:25:` the bare account number, every entry NONREF): once."""
    a = put(tmp_path, "nov.xml", camt(
        {"amount": "200.00", "name": "P. Pieters", "iban": JANSEN_IBAN, "text": "deel factuur 2026-020"},
        {"amount": "12.34", "name": "Onbekend", "iban": STRANGER_IBAN, "text": "retour 778812"}))
    first = bank_import(home, a)
    assert ([m["amount"] for m in first["matched"]], kept(first)[0][0]) == (["200.00"], "12.34")
    after = journal(home)
    b = put(tmp_path, "nov.sta", mt940(("1120", "200,00", JANSEN_IBAN, "P. Pieters", "deel factuur 2026-020"),
                                       ("1120", "12,34", STRANGER_IBAN, "Onbekend", "retour 778812")))
    again = bank_import(home, b)
    assert (again["credits"], again["already_imported"], again["matched"], again["unmatched"]) == (2, 2, [], [])
    assert journal(home) == after
    assert show(home, "2026-020")["paid"] == "200.00"
    # the identities agree: account number, date, amount, payer and text, whatever the format
    ids = [c.identity for c in statements.parse(open(a, "rb").read(), "nov.xml").credits]
    assert ids == [c.identity for c in statements.parse(open(b, "rb").read(), "nov.sta").credits]


def test_an_export_that_drops_the_payers_iban_is_caught_as_a_probable_duplicate(home, tmp_path):
    """Where the identities differ (one export without the payer's IBAN) the duplicate check
    still keeps the second booking back."""
    bank_import(home, put(tmp_path, "nov.xml", camt({"amount": "200.00", "name": "P. Pieters", "iban": JANSEN_IBAN,
                                                      "text": "deel factuur 2026-020"})))
    out = bank_import(home, put(tmp_path, "nov.sta", mt940(("1120", "200,00", "", "P. Pieters",
                                                             "deel factuur 2026-020"))))
    assert out["matched"] == [] and out["already_imported"] == 0
    assert out["unmatched"][0]["reason"].startswith("probable duplicate of payment #")
    assert "on 2026-11-20 on invoice 2026-020 (from the bank statement S1)" in out["unmatched"][0]["reason"]
    assert show(home, "2026-020")["paid"] == "200.00"


def test_overlapping_statements_with_a_repeated_bank_reference(home, tmp_path):
    # Statement 1: the reference R7 once (a key of the bank's reference). Statement 2 covers
    # the same day and the next, and repeats R7: its entries are keyed by content instead.
    one = put(tmp_path, "1.xml", camt({"amount": "200.00", "iban": JANSEN_IBAN, "text": "deel factuur 2026-020",
                                       "bank_ref": "R7"}, stmt="S1"))
    two = put(tmp_path, "2.xml", camt({"amount": "200.00", "iban": JANSEN_IBAN, "text": "deel factuur 2026-020",
                                       "bank_ref": "R7"},
                                      {"amount": "150.00", "text": "factuur 2026-012", "bank_ref": "R7",
                                       "date": "2026-11-21"}, stmt="S2"))
    assert statements.parse(open(two, "rb").read(), "2.xml").credits[0].key != \
        statements.parse(open(one, "rb").read(), "1.xml").credits[0].key
    bank_import(home, one)
    out = bank_import(home, two)
    assert out["already_imported"] == 1
    assert [(m["payments"][0]["invoice"], m["amount"]) for m in out["matched"]] == [("2026-012", "150.00")]
    assert show(home, "2026-020")["paid"] == "200.00"
    # a bank that gives another entry the reference R7 later: another credit, not passed over
    three = put(tmp_path, "3.xml", camt({"amount": "300.00", "text": "rest factuur 2026-020", "bank_ref": "R7",
                                         "date": "2026-11-23"}, stmt="S3"))
    out = bank_import(home, three)
    assert (out["already_imported"], [m["amount"] for m in out["matched"]]) == (0, ["300.00"])
    d = show(home, "2026-020")
    assert (d["paid"], d["principal_open"]) == ("500.00", "0.00")


def test_more_than_is_open_at_import_is_kept(home, tmp_path):
    # 2026-001 (€ 605,00): € 300,00 by hand on 2026-11-22; the statement's € 605,00 of
    # 2026-11-20 was all open on its booking date, but only € 305,00 is open today.
    _ok("pay", "2026-001", "300,00", "--date", "2026-11-22", "--home", home, "--today", "2026-11-22")
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"})))
    assert out["matched"] == []
    # open today: € 305,00 of principal and € 3,71 of interest
    assert show(home, "2026-001")["total_due"] == "308.71"
    assert kept(out) == [("605.00", "overpayment: € 605,00 is more than the € 308,71 open on invoice 2026-001 on "
                                    "2026-11-25 (payments recorded since its booking date)")]
    assert show(home, "2026-001")["paid"] == "300.00"


def test_a_letters_other_invoice_counts_for_duplicates(home, tmp_path):
    """A hand payment on one invoice of a letter about two; the bank's credit of that amount
    with the letter's reference is a probable duplicate of it."""
    letter = _ok("letter", "--client", "devries", "--kind", "reminder", "--sent", "2026-11-10", "--via", "email",
                 "--json", "--home", home, "--today", "2026-11-10").json()
    _ok("pay", "2026-011", "90,00", "--date", "2026-11-19", "--home", home, "--today", "2026-11-19")
    assert letter["invoices"] == ["2026-011", "2026-012"]
    ref = [e for e in events(home) if e["type"] == "letter-sent"][0]["data"]["reference"]
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "90.00", "ref": ref})))
    assert out["matched"] == []
    assert "on 2026-11-19 on invoice 2026-011 (recorded by hand)" in out["unmatched"][0]["reason"]


def test_identity_of_an_account_number():
    assert statements.account_number("NL91ABNA0417164300") == statements.account_number("417164300") == \
        statements.account_number("0417164300") == "417164300"
    one = statements.credit_identity("NL91ABNA0417164300", date(2026, 11, 20), D("605.00"), "NL44 RABO 0123 4567 89",
                               "X", "Factuur  2026-001,\nbedankt", None)
    assert one == statements.credit_identity("417164300", date(2026, 11, 20), D("605.00"), "NL44RABO0123456789", "Y",
                                       "factuur 2026-001 bedankt", None)
    assert one != statements.credit_identity("417164300", date(2026, 11, 20), D("605.00"), "NL44RABO0123456789", "Y",
                                       "factuur 2026-001 bedankt", None, occurrence=2)


@pytest.mark.parametrize("amount", ["200.00"])
def test_the_same_credit_twice_in_one_statement_stays_two(home, tmp_path, amount):
    f = put(tmp_path, "a.xml", camt({"amount": amount, "text": "deel factuur 2026-020"},
                                    {"amount": amount, "text": "deel factuur 2026-020"}))
    out = bank_import(home, f)
    assert [m["amount"] for m in out["matched"]] == [amount, amount]
    assert show(home, "2026-020")["paid"] == "400.00"


def test_two_identical_transfers_in_two_statements_of_one_day_are_kept_for_review(home, tmp_path):
    """Two intraday statements (S1 in the morning, S2 in the afternoon), each with one transfer
    of € 200,00 from P. Pieters for 2026-020 with the same text, each with its own bank
    reference: nothing in the credits tells a second transfer from the first exported again,
    so the second is neither passed over (a payment silently lost) nor booked (perhaps twice):
    it is kept for review, naming the first, and stays kept when S2 is imported again."""
    row = {"amount": "200.00", "name": "P. Pieters", "iban": JANSEN_IBAN, "text": "deel factuur 2026-020"}
    first = bank_import(home, put(tmp_path, "1.xml", camt(row | {"bank_ref": "A1"}, stmt="S1")))
    assert [m["amount"] for m in first["matched"]] == ["200.00"]
    out = bank_import(home, put(tmp_path, "2.xml", camt(row | {"bank_ref": "B7"}, stmt="S2")))
    assert (out["already_imported"], out["matched"], len(out["unmatched"])) == (0, [], 1)
    kept_one = out["unmatched"][0]
    assert kept_one["reason"] == (
        f"the same date, amount, payer and text as the credit {first['matched'][0]['tx']} recorded before, "
        "with another bank reference (B7): a second transfer, or the same one exported again? Book it with "
        "`wik bank match` if it is a second payment, else `wik bank ignore` it")
    assert show(home, "2026-020")["paid"] == "200.00"
    again = bank_import(home, put(tmp_path, "2b.xml", camt(row | {"bank_ref": "B7"}, stmt="S2")))
    assert (again["already_imported"], again["matched"], again["unmatched"]) == (1, [], [])
    # A second payment after all: booked by hand from the review, as any credit kept.
    r = run_cli("bank", "match", str(kept_one["seq"]), "2026-020", "--force", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 0, r.stderr
    assert show(home, "2026-020")["paid"] == "400.00"

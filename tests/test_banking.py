"""`wik bank`: a statement's credits matched to open claims and booked, the rest kept for
review; every bank transaction recorded once, every file whole or not at all."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home
from wikcli.bank import statements
from wikcli.ledger import facts
from wikcli.rules import references

JANSEN_IBAN = "NL44RABO0123456789"
STRANGER_IBAN = "NL36INGB0007654321"


def iban_ok(i: str) -> str:
    from stdnum import iban

    return i[:2] + iban.calc_check_digits(i) + i[4:]


def camt(*rows: dict, stmt: str = "S1", count: int | None = None) -> bytes:
    """A camt.053.001.02 statement of the creditor's account with one entry per row:
    ``amount``, and optionally ``name``, ``iban``, ``text``, ``ref`` (structured), ``debit``,
    ``date`` (booking date, default 2026-11-20) and ``bank_ref``. ``count``: the number of
    credit entries the summary states (default: the true one)."""
    entries, credits = [], 0
    for i, r in enumerate(rows, 1):
        debit = r.get("debit", False)
        credits += not debit
        party, acct = ("Cdtr", "CdtrAcct") if debit else ("Dbtr", "DbtrAcct")
        rmt = (f"<Strd><CdtrRefInf><Ref>{r['ref']}</Ref></CdtrRefInf></Strd>" if r.get("ref")
               else f"<Ustrd>{r.get('text', '')}</Ustrd>")
        entries.append(
            f"<Ntry><Amt Ccy=\"EUR\">{r['amount']}</Amt><CdtDbtInd>{'DBIT' if debit else 'CRDT'}</CdtDbtInd>"
            f"<Sts>BOOK</Sts><BookgDt><Dt>{r.get('date', '2026-11-20')}</Dt></BookgDt>"
            f"<AcctSvcrRef>{r.get('bank_ref', f'{stmt}-{i:04d}')}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties>"
            f"<{party}><Nm>{r.get('name', '')}</Nm></{party}><{acct}><Id><IBAN>{r.get('iban', '')}</IBAN></Id>"
            f"</{acct}></RltdPties><RmtInf>{rmt}</RmtInf></TxDtls></NtryDtls></Ntry>")
    summary = "" if count is None else (f"<TxsSummry><TtlCdtNtries><NbOfNtries>{count}</NbOfNtries>"
                                        "</TtlCdtNtries></TxsSummry>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
            f"camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>{stmt}</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN>"
            f"</Id><Ccy>EUR</Ccy></Acct>{summary}" + "".join(entries) +
            "</Stmt></BkToCstmrStmt></Document>").encode()


@pytest.fixture
def home(tmp_path):
    return make_home(tmp_path)


def make_home(tmp_path):
    """A KOR creditor; a business with three invoices, two consumers with one and two."""
    h = init_home(tmp_path, "--no-vat-deductible")
    ok = lambda *a: _ok(*a, "--home", h)  # noqa: E731
    ok("client", "add", "jansen", "--name", "Jansen Advies BV", "--address", "Straat 1", "--city", "Utrecht", "--type", "business")
    ok("client", "add", "devries", "--name", "M. de Vries", "--address", "Straat 1", "--city", "Utrecht")
    ok("client", "add", "pieters", "--name", "P. Pieters", "--address", "Straat 1", "--city", "Utrecht")
    for number, client, amount, day in (
            ("2026-001", "jansen", "605,00", "2026-10-01"), ("2026-002", "jansen", "1.210,00", "2026-10-01"),
            ("2026-003", "jansen", "1.210,00", "2026-10-02"), ("2026-011", "devries", "90,00", "2026-09-01"),
            ("2026-012", "devries", "150,00", "2026-09-15"), ("2026-020", "pieters", "500,00", "2026-09-01")):
        ok("invoice", "add", number, "--client", client, "--amount", amount, "--date", day, "--term", "30")
    return h


def journal(home) -> bytes:
    return (Path(home) / "journal.jsonl").read_bytes()


def events(home) -> list[dict]:
    return [json.loads(x) for x in journal(home).decode().splitlines()[1:]]


def put(tmp_path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def bank_import(home, *files, today="2026-11-25", dry_run=False) -> dict:
    extra = ("--dry-run",) if dry_run else ()
    return _ok("bank", "import", *files, *extra, "--json", "--home", home, "--today", today).json()


def show(home, number, today="2026-11-25") -> dict:
    return _ok("invoice", "show", number, "--json", "--home", home, "--today", today).json()


# --------------------------------------------------------------------------- matching rules

def test_exact_rf_match_of_a_letters_reference(home, tmp_path):
    _ok("sent", "2026-001", "--kind", "reminder", "--date", "2026-11-05", "--home", home, "--today", "2026-11-05")
    f = put(tmp_path, "nov.xml", camt({"amount": "605.00", "name": "J. Advies", "iban": iban_ok("NL00INGB0001122334"),
                                       "ref": "RF602026001"}))
    out = bank_import(home, f)
    assert [(m["rule"], m["evidence"], m["payments"]) for m in out["matched"]] == [
        ("reference", "RF602026001", [{"invoice": "2026-001", "amount": "605.00"}])]
    pay = [e for e in events(home) if e["type"] == "payment"][0]
    assert (pay["invoice"], pay["data"]["amount"], pay["data"]["date"]) == ("2026-001", "605.00", "2026-11-20")
    assert pay["data"]["bank"] | {} == {
        "key": "NL91ABNA0417164300/ref/S1-0001", "account": "NL91ABNA0417164300", "statement": "S1",
        "booking_date": "2026-11-20", "value_date": None, "amount": "605.00", "counterparty_name": "J. Advies",
        "counterparty_iban": iban_ok("NL00INGB0001122334"), "text": "", "reference": "RF602026001",
        "end_to_end": None, "bank_ref": "S1-0001", "rule": "reference", "evidence": "RF602026001",
        "identity": statements.credit_identity("417164300", date(2026, 11, 20), D("605.00"), iban_ok("NL00INGB0001122334"),
                                         "", "", "RF602026001")}
    assert show(home, "2026-001")["principal_open"] == "0.00"


def test_invoice_number_inside_a_long_text(home, tmp_path):
    text = ("Hierbij betalen wij zoals telefonisch besproken met uw collega de openstaande factuur met nummer "
            "2026-002 van 1 oktober jl. ad 1.210,00 euro; excuses voor de vertraging. Met vriendelijke groet")
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "1210.00", "name": "Jansen Advies",
                                                           "iban": JANSEN_IBAN, "text": text})))
    assert [(m["rule"], m["evidence"], m["client"]) for m in out["matched"]] == [
        ("invoice_number", "2026-002", "jansen")]
    # the payer's IBAN is remembered on the client, for amount matches later
    assert out["client_ibans"] == [{"client": "jansen", "iban": JANSEN_IBAN}]
    assert _ok("client", "show", "jansen", "--json", "--home", home).json()["ibans"] == [JANSEN_IBAN]


def test_amount_only_match_through_a_known_iban_and_an_ambiguous_amount_kept(home, tmp_path):
    # First statement: 2026-002 paid by number from the IBAN; the second, in the same run,
    # pays 1210.00 without a word: one open invoice of 1210.00 is left (2026-003).
    first = put(tmp_path, "a.xml", camt({"amount": "1210.00", "iban": JANSEN_IBAN, "text": "factuur 2026-002"}))
    second = put(tmp_path, "b.xml", camt({"amount": "1210.00", "iban": JANSEN_IBAN, "text": "bedankt"}, stmt="S2"))
    out = bank_import(home, first, second)
    assert [(m["rule"], m["evidence"], m["payments"][0]["invoice"]) for m in out["matched"]] == [
        ("invoice_number", "2026-002", "2026-002"), ("amount", JANSEN_IBAN, "2026-003")]


def test_an_iban_learnt_in_a_file_counts_for_its_later_credits(home, tmp_path):
    f = put(tmp_path, "a.xml", camt({"amount": "1210.00", "iban": JANSEN_IBAN, "text": "factuur 2026-002"},
                                    {"amount": "605.00", "iban": JANSEN_IBAN}))
    out = bank_import(home, f)
    assert [(m["rule"], m["payments"][0]["invoice"]) for m in out["matched"]] == [
        ("invoice_number", "2026-002"), ("amount", "2026-001")]
    assert out["client_ibans"] == [{"client": "jansen", "iban": JANSEN_IBAN}]


def test_an_mt940_statement_is_imported_the_same_way(home, tmp_path):
    data = Path(__file__).parent / "data" / "bank" / "mt940" / "zilverline-ing-structured-iban.txt"
    first = bank_import(home, str(data))
    assert (first["credits"], first["credits_total"], len(first["unmatched"]), first["files"][0]["format"]) == (
        3, "14640.00", 3, "mt940")
    again = bank_import(home, str(data))
    assert (again["already_imported"], again["unmatched"]) == (3, [])


def test_an_ambiguous_amount_is_kept_unmatched(home, tmp_path):
    # Two open invoices of 1210.00 of the payer named: no guess between them.
    before = journal(home)
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "1210.00", "name": "Jansen Advies B.V.",
                                                           "iban": JANSEN_IBAN})))
    assert out["matched"] == []
    [kept] = out["unmatched"]
    assert kept["reason"] == ("1210.00 is what 2 open claims of this payer ask: invoice 2026-002; "
                              "invoice 2026-003")
    assert (kept["rule"], kept["candidates"]) == ("amount", [{"invoices": ["2026-002"], "letter": None},
                                                             {"invoices": ["2026-003"], "letter": None}])
    new = events(home)[len(before.decode().splitlines()) - 1:]
    assert [(e["type"], e["invoice"]) for e in new] == [("bank-unmatched", None)]
    assert "payment" not in {e["type"] for e in events(home)}


def test_a_partial_payment(home, tmp_path):
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "200.00", "text": "deel factuur 2026-020"})))
    assert out["matched"][0]["payments"] == [{"invoice": "2026-020", "amount": "200.00"}]
    d = show(home, "2026-020")
    assert (d["paid"], d["principal_open"], d["closed"]) == ("200.00", "300.00", None)


def test_one_payment_for_a_letter_over_several_invoices(home, tmp_path):
    letter = _ok("letter", "--client", "devries", "--kind", "wik", "--sent", "2026-11-10", "--via", "email",
                 "--json", "--home", home, "--today", "2026-11-10").json()
    sent = [e for e in events(home) if e["type"] == "letter-sent"]
    ref, requested = sent[0]["data"]["reference"], sent[0]["data"]["claim"]["requested"]
    assert letter["invoices"] == ["2026-011", "2026-012"] and references.claim_reference(
        ["2026-011", "2026-012"], "wik", __import__("datetime").date(2026, 11, 10), []) == ref
    due_011 = show(home, "2026-011", "2026-11-20")["total_due"]
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": requested, "name": "M de Vries", "ref": ref})))
    [m] = out["matched"]
    assert (m["rule"], m["letter"]) == ("reference", sent[0]["data"]["letter"])
    # oldest invoice first, up to what is open on it on the booking date; the rest on the next
    assert m["payments"] == [{"invoice": "2026-011", "amount": due_011},
                             {"invoice": "2026-012", "amount": str(D(requested) - D(due_011))}]
    assert show(home, "2026-011")["closed"] == "paid"


def test_a_second_credit_for_a_paid_invoice_is_an_overpayment_kept_unmatched(home, tmp_path):
    f = put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"},
                                    {"amount": "605.00", "text": "factuur 2026-001", "date": "2026-11-21"}))
    out = bank_import(home, f)
    assert [m["payments"] for m in out["matched"]] == [[{"invoice": "2026-001", "amount": "605.00"}]]
    assert [k["reason"] for k in out["unmatched"]] == [
        "overpayment: invoice 2026-001 had nothing open on 2026-11-21 (already paid)"]
    # more than is open, the first time: kept too, never booked as credit
    out = bank_import(home, put(tmp_path, "b.xml", camt({"amount": "600.00", "text": "factuur 2026-020"}, stmt="S2")))
    assert out["unmatched"][0]["reason"].startswith("overpayment: € 600,00 is more than the € 50")
    assert show(home, "2026-020")["paid"] == "0.00"


def test_after_the_payment_of_a_running_wik_letter_check_no_longer_lists_it(home, tmp_path):
    _ok("letter", "2026-020", "--kind", "wik", "--sent", "2026-11-10", "--home", home, "--today", "2026-11-10")
    r = run_cli("check", "--home", home, "--today", "2026-12-15")
    assert "2026-020: send-notice-of-default" in r.stdout
    sent = [e for e in events(home) if e["type"] == "letter-sent"][0]["data"]
    bank_import(home, put(tmp_path, "a.xml", camt({"amount": sent["claim"]["requested"], "ref": sent["reference"]})))
    r = run_cli("check", "--home", home, "--today", "2026-12-15")
    assert "2026-020" not in r.stdout


# --------------------------------------------------------------------------- whole and once

def test_the_same_statement_twice_adds_nothing(home, tmp_path):
    f = put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"}, {"amount": "12.34"},
                                    {"amount": "50.00", "debit": True}))
    first = bank_import(home, f)
    assert (first["credits"], first["credits_total"], len(first["matched"]), len(first["unmatched"]),
            first["skipped"], first["already_imported"]) == (2, "617.34", 1, 1, {"debit": 1}, 0)
    after = journal(home)
    again = bank_import(home, f, f)  # and the same file twice in one run
    assert journal(home) == after
    assert (again["credits"], again["matched"], again["unmatched"], again["already_imported"]) == (4, [], [], 4)


def test_a_dry_run_records_nothing(home, tmp_path):
    before = journal(home)
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"},
                                                        {"amount": "1.00"})), dry_run=True)
    assert journal(home) == before
    assert out["dry_run"] is True and out["matched"][0]["seq"] is None and out["unmatched"][0]["seq"] is None
    r = _ok("bank", "import", str(tmp_path / "a.xml"), "--dry-run", "--home", home, "--today", "2026-11-25")
    assert "Would book 1 payment(s)" in r.stdout and "invoice number" in r.stdout


@pytest.mark.parametrize("bad,message", [
    (camt({"amount": "605.00"}).replace(b"605.00", b"6O5.00"),
     "bad.xml: Stmt[1]/Ntry[1]/Amt: '6O5.00' is not an amount"),
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     b'<Document>&b;</Document>', "bad.xml: the XML declares a DTD or entities, which wik refuses"),
    (b":20:S\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C261119EUR0,00\n:61:2611201120C12X0,NTRFNONREF\n",
     "bad.xml: line 5: :61:"),
], ids=["camt-amount", "entity-expansion", "mt940-line"])
def test_a_bad_file_is_refused_whole_naming_where_and_changes_nothing(home, tmp_path, bad, message):
    good = put(tmp_path, "good.xml", camt({"amount": "605.00", "text": "factuur 2026-001"}))
    before = journal(home)
    r = run_cli("bank", "import", good, put(tmp_path, "bad.xml", bad), "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and r.stderr.startswith(f"wik: error: {message}") and r.stderr.count("\n") == 1
    assert journal(home) == before  # the good file before it is not recorded either


def test_hostile_xml_is_refused(home, tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"")
                                                               for _ in range(10))) for i in range(1, 10))
              + b"]><Document>&lol9;</Document>")
    before = journal(home)
    r = run_cli("bank", "import", put(tmp_path, "lol.xml", laughs), "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and r.stderr == ("wik: error: lol.xml: the XML declares a DTD or entities, which wik "
                                             "refuses (entity expansion, external entities)\n")
    assert journal(home) == before


def test_a_file_whose_totals_fail_is_read_with_a_warning(home, tmp_path):
    f = put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"}, count=3))
    r = _ok("bank", "import", f, "--home", home, "--today", "2026-11-25")
    assert ("wik: warning: a.xml: statement S1: credit entries (TtlCdtNtries) does not add up: the file states 3, "
            "the entries read give 1; read anyway, check the file") in r.stderr
    assert show(home, "2026-001")["paid"] == "605.00"


def test_each_file_is_one_transaction(home, tmp_path):
    a = put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"}, {"amount": "3.00"}))
    b = put(tmp_path, "b.xml", camt({"amount": "200.00", "text": "factuur 2026-020"}, stmt="S2"))
    n = len(events(home))
    bank_import(home, a, b)
    lines = journal(home).decode().splitlines()[1 + n:]
    # a.xml: payment, client-iban? (no IBAN given: none), bank-unmatched; b.xml: payment
    assert [(json.loads(x)["type"], "more" in json.loads(x)) for x in lines] == [
        ("payment", True), ("bank-unmatched", False), ("payment", False)]


# --------------------------------------------------------------------------- review

def test_review_match_ignore_and_void(home, tmp_path):
    f = put(tmp_path, "a.xml", camt({"amount": "100.00", "name": "M. de Vries", "iban": STRANGER_IBAN,
                                     "text": "eerste deel"},
                                    {"amount": "35.50", "name": "Kantoorvak BV", "text": "retour 778812"}))
    out = bank_import(home, f)
    first, second = (k["seq"] for k in out["unmatched"])
    listed = _ok("bank", "unmatched", "--json", "--home", home, "--today", "2026-11-25").json()
    assert [(p["seq"], p["amount"], p["state"]) for p in listed] == [(first, "100.00", "unmatched"),
                                                                   (second, "35.50", "unmatched")]
    assert set(listed[0]) == {"seq", "tx", "date", "amount", "counterparty", "iban", "text", "reference", "state",
                              "reason", "rule", "candidates", "duplicate_of"}
    # book by hand: a payment on the booking date, through the checks of `wik pay`
    r = run_cli("bank", "match", str(first), "2026-011", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and "more than the € 90" in r.stderr
    done = _ok("bank", "match", f"#{first}", "2026-012", "--json", "--home", home, "--today", "2026-11-25").json()
    assert [(e["type"], e["invoice"]) for e in done] == [("payment", "2026-012"), ("client-iban", None)]
    assert (done[0]["data"]["date"], done[0]["data"]["bank"]["rule"]) == ("2026-11-20", "manual")
    _ok("bank", "ignore", str(second), "--reason", "retour van een bestelling", "--home", home, "--today", "2026-11-25")
    assert _ok("bank", "unmatched", "--home", home, "--today", "2026-11-25").stdout == "No credits to review.\n"
    r = run_cli("bank", "ignore", str(second), "--reason", "x", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and "was ignored on 2026-11-25" in r.stderr
    # a booked payment voided: its credit is back for review
    _ok("void", str(done[0]["seq"]), "--reason", "wrong invoice", "--home", home, "--today", "2026-11-25")
    [back] = _ok("bank", "unmatched", "--json", "--home", home, "--today", "2026-11-25").json()
    assert (back["seq"], back["state"]) == (first, "unmatched")
    # and the same statement again still adds nothing
    before = journal(home)
    bank_import(home, f)
    assert journal(home) == before


def test_a_voided_import_payment_is_listed_again(home, tmp_path):
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "605.00", "text": "factuur 2026-001"})))
    seq = out["matched"][0]["seq"][0]
    _ok("void", str(seq), "--reason", "not this invoice", "--home", home, "--today", "2026-11-25")
    [p] = _ok("bank", "unmatched", "--json", "--home", home, "--today", "2026-11-25").json()
    assert (p["seq"], p["state"], p["reason"]) == (seq, "voided", "its payment on invoice 2026-001 was voided")
    _ok("bank", "match", str(seq), "2026-020", "--allow-overpayment", "--home", home, "--today", "2026-11-25")
    # 500.00 and its interest through the booking date (4% over 50 days: 2.74) paid, 102.26 credit
    assert show(home, "2026-020")["credit"] == "102.26"


# --------------------------------------------------------------------------- the ledger's side

def test_client_iban_folds_into_the_client_and_is_erased_with_it():
    from wikcli.services import privacy

    class E:
        def __init__(self, seq, t, invoice, data):
            self.seq, self.type, self.invoice, self.data = seq, t, invoice, data

    evs = [E(1, "client-added", None, {"id": "c", "name": "C", "type": "consumer"}),
           E(2, "client-iban", None, {"id": "c", "iban": JANSEN_IBAN, "date": "2026-11-20", "tx": "k"}),
           E(3, "client-iban", None, {"id": "c", "iban": JANSEN_IBAN, "date": "2026-11-21", "tx": "k2"}),
           E(4, "client-iban", None, {"id": "nobody", "iban": STRANGER_IBAN, "date": "2026-11-21", "tx": "k3"})]
    assert facts.fold(evs).clients["c"].ibans == (JANSEN_IBAN,)
    assert privacy.redact(evs[1], "c", set())["iban"] == ""
    pay = E(5, "payment", "I1", {"amount": "5.00", "date": "2026-11-20", "bank": {
        "key": "k", "counterparty_name": "C", "counterparty_iban": JANSEN_IBAN, "text": "factuur I1",
        "rule": "amount", "evidence": JANSEN_IBAN}})
    blank = privacy.redact(pay, "c", {"I1"})["bank"]
    assert (blank["counterparty_name"], blank["counterparty_iban"], blank["text"], blank["evidence"], blank["key"]) == (
        "", "", "", "", "k")


def test_one_credit_matched_by_hand_on_several_invoices_of_one_client(home, tmp_path):
    # 1.815,00 for 2026-001 (605,00) and 2026-002 (1.210,00) with no reference: kept for review,
    # then booked on both by hand; before any costs are owed the principal comes first, oldest first.
    out = bank_import(home, put(tmp_path, "a.xml", camt({"amount": "1815.00", "name": "Iemand", "text": "facturen"})))
    seq = out["unmatched"][0]["seq"]
    r = run_cli("bank", "match", str(seq), "2026-001", "2026-011", "--home", home, "--today", "2026-11-25")
    assert (r.exit_code, r.stderr) == (2, "wik: error: one credit pays invoices of one client: 2026-001 (jansen), "
                                          "2026-011 (devries)\n")
    r = run_cli("bank", "match", str(seq), "2026-001", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and "is more than the" in r.stderr
    r = _ok("bank", "match", str(seq), "2026-002", "2026-001", "--home", home, "--today", "2026-11-25")
    assert r.stdout == "Booked € 1.815,00 of 2026-11-20: € 605,00 on 2026-001, € 1.210,00 on 2026-002.\n"
    for n, paid in (("2026-001", "605.00"), ("2026-002", "1210.00")):
        s = show(home, n)
        assert (s["paid"], s["principal_open"], s["credit"]) == (paid, "0.00", "0.00")
        assert s["timeline"][-1]["data"]["bank"]["evidence"] == "2026-002, 2026-001"
    assert _ok("bank", "unmatched", "--home", home, "--today", "2026-11-25").stdout == "No credits to review.\n"

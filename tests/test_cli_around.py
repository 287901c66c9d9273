"""``wik import`` (all rows or none) and ``wik calendar`` (stable UIDs), end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home
from ublfixture import real, ubl

DATA = Path(__file__).parent / "data" / "ubl"


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "devries", "--name", "Familie de Vries", "--address", "Straat 1", "--city", "Utrecht", "--home", h)
    return h


CSV = ("factuurnummer;factuurdatum;vervaldatum;bedrag;klant;soort;email\n"
       "2026-120;2026-11-02;2026-12-02;1.234,56;Van Dijk Installatie;zakelijk;info@vandijk.nl\n"
       "2026-121;2026-11-03;;250,00;Familie de Vries;particulier;\n")


def test_csv_import_matches_and_creates_clients(home, tmp_path):
    f = tmp_path / "facturen.csv"
    f.write_text(CSV, encoding="utf-8")
    dry = _ok("import", str(f), "--dry-run", "--json", "--home", home).json()
    assert dry["clients"] == [{"id": "van-dijk-installatie", "type": "business", "name": "Van Dijk Installatie",
                               "external_id": ""}]
    assert [(i["invoice"], i["client"], i["amount"], i["due"], i["line"], i["client_match"], i["due_from"])
            for i in dry["invoices"]] == [
        ("2026-120", "van-dijk-installatie", "1234.56", "2026-12-02", 2, "new", "file"),
        ("2026-121", "devries", "250.00", "2026-12-03", 3, "name", "policy")]  # no due date: invoice date + 30 days
    assert (dry["skipped"], dry["warnings"]) == ([], [])
    assert _ok("invoice", "list", "--json", "--home", home, "--today", "2026-11-25").json() == []
    r = _ok("import", str(f), "--home", home)
    assert "Added 2 invoice(s) and 1 new client(s)" in r.stdout and "€ 1.234,56" in r.stdout
    rows = _ok("invoice", "list", "--json", "--home", home, "--today", "2026-11-25").json()
    assert [(x["invoice"], x["client"], x["amount"]) for x in rows] == [
        ("2026-120", "van-dijk-installatie", "1234.56"), ("2026-121", "devries", "250.00")]
    c = _ok("client", "show", "van-dijk-installatie", "--json", "--home", home).json()
    assert (c["type"], c["email"]) == ("business", "info@vandijk.nl")


def test_a_bad_row_imports_nothing(home, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(CSV + "2026-122;2026-11-04;;twaalf;Klant X;;\n", encoding="utf-8")
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("import", str(f), "--home", home)
    assert r.exit_code == 2 and "line 4" in r.stderr and "'twaalf'" in r.stderr
    assert journal.read_bytes() == before
    dup = tmp_path / "dup.csv"
    dup.write_text(CSV + CSV.splitlines()[1] + "\n", encoding="utf-8")
    r = run_cli("import", str(dup), "--home", home)
    assert r.exit_code == 2 and "line 4" in r.stderr and "appears twice" in r.stderr
    assert journal.read_bytes() == before


def test_ubl_invoice_import(home):
    r = _ok("import", str(DATA / "ubl-tc434-example1.xml"), "--json", "--home", home).json()
    assert len(r["invoices"]) == 1 and r["clients"][0]["type"] == "business"
    r = run_cli("import", str(DATA / "ubl-tc434-creditnote1.xml"), "--home", home)
    assert r.exit_code == 2 and "ubl-tc434-creditnote1.xml, CreditNote: is a UBL credit note" in r.stderr


def test_calendar_has_stable_uids(home, tmp_path):
    from icalendar import Calendar

    _ok("invoice", "add", "A1", "--client", "devries", "--amount", "100", "--date", "2026-10-01",
        "--due", "2026-10-31", "--home", home)
    _ok("sent", "A1", "--kind", "reminder", "--date", "2026-11-03", "--via", "post", "--home", home)
    out = tmp_path / "wik.ics"
    _ok("calendar", "--out", str(out), "--home", home, "--today", "2026-11-05")
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    # Reminder posted Tuesday 3 November: delivered on the 3rd delivery day, Friday 6;
    # 14 days -> Friday 20.
    assert {uid: e.decoded("dtstart").isoformat() for uid, e in events.items()} == {
        "A1-next-action@wik": "2026-11-21", "A1-reminder-3-last-day@wik": "2026-11-20"}
    assert "call the client" in str(events["A1-next-action@wik"]["summary"])
    # A call moves the next action; the event keeps its UID, so a calendar updates it.
    _ok("note", "A1", "Gebeld", "--promise", "2026-11-30", "--date", "2026-11-21", "--home", home)
    _ok("calendar", "--out", str(out), "--home", home, "--today", "2026-11-21")
    again = {str(e["uid"]): e.decoded("dtstart").isoformat() for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert again == {"A1-next-action@wik": "2026-12-01"}


def test_calendar_keeps_numbers_apart_that_differ_only_in_punctuation(home, tmp_path):
    from icalendar import Calendar

    for number in ("2026/017", "2026-017"):
        _ok("invoice", "add", number, "--client", "devries", "--amount", "100", "--date", "2026-10-01",
            "--due", "2026-10-31", "--home", home)
        _ok("sent", number, "--kind", "reminder", "--date", "2026-11-03", "--home", home)
    out = tmp_path / "wik.ics"
    r = _ok("calendar", "--out", str(out), "--home", home, "--today", "2026-11-05")
    assert r.stdout == f"Wrote 4 event(s) to {out}\n"
    uids = sorted(str(e["uid"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert uids == ["2026-017-next-action@wik", "2026-017-reminder-5-last-day@wik",
                    "2026_017_f65e0f0604-next-action@wik", "2026_017_f65e0f0604-reminder-3-last-day@wik"]


def test_reimport_skips_identical_invoices_and_refuses_changed_ones(home, tmp_path):
    """Issue 15 item 4: the monthly export imported again adds only what is new."""
    f = tmp_path / "facturen.csv"
    f.write_text(CSV, encoding="utf-8")
    _ok("import", str(f), "--home", home)
    journal = Path(home) / "journal.jsonl"
    # The next month's export: the two known invoices as they were, one new row.
    f.write_text(CSV + "2026-122;2026-12-01;;99,00;Van Dijk Installatie;zakelijk;\n", encoding="utf-8")
    dry = _ok("import", str(f), "--dry-run", "--json", "--home", home).json()
    assert dry["skipped"] == [{"invoice": "2026-120", "line": 2, "client": "van-dijk-installatie"},
                              {"invoice": "2026-121", "line": 3, "client": "devries"}]
    assert [(i["invoice"], i["client"], i["client_match"]) for i in dry["invoices"]] == [
        ("2026-122", "van-dijk-installatie", "name")]
    r = _ok("import", str(f), "--home", home)
    assert r.stdout.splitlines() == [
        "Added 1 invoice(s) and 0 new client(s) from facturen.csv; 2 already in the ledger, skipped:",
        "  2026-122  van-dijk-installatie (by name)  € 99,00  dated 2026-12-01, due 2026-12-31 (policy term of 30 days)",
        "  2026-120  van-dijk-installatie  skipped: already in the ledger with the same data",
        "  2026-121  devries  skipped: already in the ledger with the same data"]
    before = journal.read_bytes()
    # A known number with another amount refuses the whole file, naming the line.
    f.write_text(CSV.replace("250,00", "260,00") + "2026-123;2026-12-02;;10,00;Nieuwe Klant;;\n", encoding="utf-8")
    r = run_cli("import", str(f), "--home", home)
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: facturen.csv line 3: invoice '2026-121' is already in the ledger with other "
                        "data (amount 250.00 in the ledger, 260.00 in the file); nothing was imported\n")
    assert journal.read_bytes() == before


def test_ubl_reimport_is_skipped_and_a_changed_one_refused(home, tmp_path):
    _ok("import", str(DATA / "ubl-tc434-example1.xml"), "--home", home)
    again = _ok("import", str(DATA / "ubl-tc434-example1.xml"), "--json", "--home", home).json()
    assert (again["invoices"], again["skipped"]) == ([], [{"invoice": "12115118", "line": 1, "client": "10202"}])
    # The same number with another payable amount (SI-UBL's sample of invoice 12115118).
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("import", str(DATA / "public" / "si-ubl-2.0.3.2__ok_base.xml"), "--home", home)
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: si-ubl-2.0.3.2__ok_base.xml, cbc:ID: invoice '12115118' is already in the "
                        "ledger with other data (client '10202' in the ledger, 'Ontvanger' in the file; amount 250.33 "
                        "in the ledger, 227.00 in the file); nothing was imported\n")
    assert journal.read_bytes() == before


def test_client_ids_compare_without_case(home):
    """Issue 15 item 3: one person is one client."""
    r = run_cli("client", "add", "DEVRIES", "--name", "Iemand Anders", "--home", home)
    assert (r.exit_code, r.stderr) == (2, "wik: error: client 'DEVRIES' already exists as 'devries': pick another id\n")
    assert _ok("client", "show", "DeVries", "--json", "--home", home).json()["id"] == "devries"
    _ok("invoice", "add", "A1", "--client", "DEVRIES", "--amount", "100", "--date", "2026-10-01", "--home", home)
    assert _ok("invoice", "list", "--json", "--home", home, "--today", "2026-11-25").json()[0]["client"] == "devries"
    # The same name, case and spacing aside, is the same person unless the user says otherwise.
    r = run_cli("client", "add", "vries2", "--name", "familie  DE vries", "--home", home)
    assert r.exit_code == 2 and "client 'devries' already has this name" in r.stderr
    assert "--allow-duplicate-name" in r.stderr
    _ok("client", "add", "vries2", "--name", "familie  DE vries", "--allow-duplicate-name", "--home", home)


def test_csv_dry_run_reports_which_client_each_row_went_to(home, tmp_path):
    f = tmp_path / "facturen.csv"
    f.write_text("factuurnummer;factuurdatum;bedrag;klant;klantnummer\n"
                 "2026-130;2026-11-02;100,00;Familie de Vries;DEVRIES\n"
                 "2026-131;2026-11-02;100,00;familie de vries;\n"
                 "2026-132;2026-11-02;100,00;Bakker;K 17\n", encoding="utf-8")
    r = _ok("import", str(f), "--dry-run", "--home", home)
    assert r.stdout.splitlines() == [
        "Would add 3 invoice(s) and 1 new client(s) from facturen.csv:",
        "  2026-130  devries (by id)  € 100,00  dated 2026-11-02, due 2026-12-02 (policy term of 30 days)",
        "  2026-131  devries (by name)  € 100,00  dated 2026-11-02, due 2026-12-02 (policy term of 30 days)",
        "  2026-132  bakker (new client)  € 100,00  dated 2026-11-02, due 2026-12-02 (policy term of 30 days)"]
    assert r.stderr == ("wik: warning: facturen.csv line 4: client id 'K 17' cannot serve as a wik client id: "
                        "new client 'bakker', with 'K 17' kept as its external id\n")
    # A client number that belongs to another name refuses the file, naming both.
    f.write_text("factuurnummer;factuurdatum;bedrag;klant;klantnummer\n"
                 "2026-133;2026-11-02;100,00;Van Dijk;devries\n", encoding="utf-8")
    r = run_cli("import", str(f), "--dry-run", "--home", home)
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: facturen.csv line 2: client id 'devries' is 'Familie de Vries' in the ledger, "
                        "but the file names 'Van Dijk': correct the name or the client id in the file\n")


# --- issue 14: the causes, end to end ------------------------------------------------------


def test_ubl_buyer_id_of_another_client_books_on_the_buyers_own_name(home, tmp_path):
    """Cause 4: ODIN 59 and the SI-UBL 'Ontvanger' both carry buyer id 10202."""
    _ok("import", str(DATA / "public" / "cef-en16931__guide-example1_NL.xml"), "--home", home)
    other = tmp_path / "ontvanger.xml"  # the SI-UBL base sample under a number of its own
    other.write_bytes(real("si-ubl-2.0.3.2__ok_base.xml").replace(b"<cbc:ID>12115118<", b"<cbc:ID>2015-77<"))
    r = run_cli("import", str(other), "--json", "--home", home)
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert out["clients"] == [{"id": "ontvanger", "type": "business", "name": "Ontvanger", "external_id": "10202"}]
    assert [(i["invoice"], i["client"], i["client_match"]) for i in out["invoices"]] == [("2015-77", "ontvanger", "new")]
    assert out["warnings"] == [
        "ontvanger.xml, cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID: buyer id '10202' is "
        "client '10202' ('ODIN 59') in the ledger, not 'Ontvanger': new client 'ontvanger', with '10202' kept as "
        "its external id"]
    assert "wik: warning: ontvanger.xml, cac:AccountingCustomerParty" in r.stderr
    # Imported again, the raw id and the name find the same client: skipped.
    again = _ok("import", str(other), "--json", "--home", home).json()
    assert again["skipped"] == [{"invoice": "2015-77", "line": 1, "client": "ontvanger"}] and again["warnings"] == []
    assert _ok("client", "show", "ontvanger", "--json", "--home", home).json()["external_id"] == "10202"


def test_ubl_buyer_id_that_is_no_wik_id_becomes_a_slug(home, tmp_path):
    f = tmp_path / "f.xml"
    f.write_bytes(ubl(buyer="Bakkerij\n      Jansen B.V.", buyer_id="info@bakkerij.nl", buyer_id_scheme="EM"))
    out = _ok("import", str(f), "--json", "--home", home).json()
    assert out["clients"] == [{"id": "bakkerij-jansen-b-v", "type": "business", "name": "Bakkerij Jansen B.V.",
                               "external_id": "info@bakkerij.nl"}]
    g = tmp_path / "g.xml"
    g.write_bytes(ubl(number="F-2026-2", buyer="Bakkerij Jansen B.V.", buyer_id="info@bakkerij.nl"))
    out = _ok("import", str(g), "--json", "--home", home).json()
    assert (out["clients"], out["invoices"][0]["client"], out["invoices"][0]["client_match"]) == (
        [], "bakkerij-jansen-b-v", "id")


def test_ubl_multi_line_notes_import(home):
    """Cause 2: SI-UBL's multi-line note and Provide's were refused as 'a control character'."""
    for name in ("si-ubl-2.0.3.2__ok_base.xml", "cef-en16931__ubl-tc434-example9_NL_Provide.xml",
                 "cef-en16931__sample-discount-price_HR.xml"):
        r = run_cli("import", str(DATA / "public" / name), "--home", home)
        assert r.exit_code == 0, r.stderr
    shown = _ok("invoice", "show", "20150483", "--json", "--home", home, "--today", "2026-11-25").json()
    assert shown["client"] == "provide-verzekeringen"


def test_ubl_junk_email_imports_with_a_warning(home, tmp_path):
    """Cause 7: the buyer's contact e-mail no longer refuses the file with advice about --email."""
    f = tmp_path / "f.xml"
    f.write_bytes(ubl(email="jan at bakkerij"))
    r = _ok("import", str(f), "--home", home)
    assert r.stderr == ("wik: warning: f.xml, cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail: "
                        "left out the contact e-mail: it is no e-mail address (expected name@example.nl)\n")
    assert "--email" not in r.stderr and "jan at" not in r.stderr
    assert _ok("client", "show", "bakkerij-jansen-b-v", "--json", "--home", home).json()["email"] == ""


def test_ubl_invoice_number_with_spaces_and_bars(home, tmp_path):
    """Cause 6: the number is the invoice's legal identifier, kept as written."""
    greek = "094019245|11/06/2023|0|1.1|A|1234"
    f = tmp_path / "gr.xml"
    f.write_bytes(ubl(number=greek))
    _ok("import", str(f), "--home", home)
    _ok("import", str(DATA / "public" / "cef-en16931__sample-discount-price_HR.xml"), "--home", home)
    numbers = [x["invoice"] for x in _ok("invoice", "list", "--json", "--home", home, "--today", "2026-11-25").json()]
    assert sorted(numbers) == [greek, "test decimal 1"]
    bad = tmp_path / "bad.xml"
    bad.write_bytes(ubl(number="F&#9;1"))
    r = run_cli("import", str(bad), "--home", home)
    assert r.exit_code == 2 and r.stderr.startswith("wik: error: bad.xml, cbc:ID: invoice number 'F\\t1' is not valid")


def test_ubl_payment_terms_give_the_due_date_and_the_dry_run_says_so(home, tmp_path):
    """Cause 8: '30 dagen' in PaymentTerms, no due date."""
    f = tmp_path / "f.xml"
    f.write_bytes(ubl(due=None, terms="Betaling binnen 14 dagen na factuurdatum", issue="2026-10-01"))
    r = _ok("import", str(f), "--dry-run", "--home", home)
    assert r.stdout.splitlines()[1] == ("  F-2026-1  bakkerij-jansen-b-v (new client)  € 121,00  dated 2026-10-01, "
                                        "due 2026-10-15 (term from the invoice: 'Betaling binnen 14 dagen na "
                                        "factuurdatum')")
    out = _ok("import", str(f), "--dry-run", "--json", "--home", home).json()
    assert (out["invoices"][0]["due"], out["invoices"][0]["due_from"]) == ("2026-10-15", "payment-terms")


def test_ubl_type_option_applies_to_the_buyer(home, tmp_path):
    """Cause 8: --type consumer made no difference to a UBL buyer."""
    base = str(DATA / "public" / "si-ubl-2.0.3.2__ok_base.xml")
    assert _ok("import", base, "--dry-run", "--json", "--home", home).json()["clients"][0]["type"] == "business"
    out = _ok("import", base, "--type", "consumer", "--json", "--home", home).json()
    assert out["clients"][0]["type"] == "consumer"
    assert _ok("client", "show", "10202", "--json", "--home", home).json()["type"] == "consumer"


def test_csv_junk_email_is_left_out_with_a_warning_naming_line_and_column(home, tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("factuurnummer;factuurdatum;bedrag;klant;e-mailadres\n"
                 "2026-140;2026-11-02;100,00;Bakker;bel even\n", encoding="utf-8")
    r = _ok("import", str(f), "--home", home)
    assert r.stderr == ("wik: warning: f.csv line 2, column 'e-mailadres': left out the e-mail: it is no e-mail "
                        "address (expected name@example.nl)\n")
    assert _ok("client", "show", "bakker", "--json", "--home", home).json()["email"] == ""

"""``wik import`` (all rows or none) and ``wik calendar`` (stable UIDs), end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home

DATA = Path(__file__).parent / "data" / "ubl"


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "devries", "--name", "Familie de Vries", "--home", h)
    return h


CSV = ("factuurnummer;factuurdatum;vervaldatum;bedrag;klant;soort;email\n"
       "2026-120;2026-11-02;2026-12-02;1.234,56;Van Dijk Installatie;zakelijk;info@vandijk.nl\n"
       "2026-121;2026-11-03;;250,00;Familie de Vries;particulier;\n")


def test_csv_import_matches_and_creates_clients(home, tmp_path):
    f = tmp_path / "facturen.csv"
    f.write_text(CSV, encoding="utf-8")
    dry = _ok("import", str(f), "--dry-run", "--json", "--home", home).json()
    assert dry["clients"] == [{"id": "van-dijk-installatie", "type": "business"}]
    assert [(i["invoice"], i["client"], i["amount"], i["due"]) for i in dry["invoices"]] == [
        ("2026-120", "van-dijk-installatie", "1234.56", "2026-12-02"),
        ("2026-121", "devries", "250.00", "2026-12-03")]  # no due date: invoice date + 30 days
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
    assert r.exit_code == 2


def test_calendar_has_stable_uids(home, tmp_path):
    from icalendar import Calendar

    _ok("invoice", "add", "A1", "--client", "devries", "--amount", "100", "--date", "2026-10-01",
        "--due", "2026-10-31", "--home", home)
    _ok("sent", "A1", "--kind", "reminder", "--date", "2026-11-03", "--via", "post", "--home", home)
    out = tmp_path / "wik.ics"
    _ok("calendar", "--out", str(out), "--home", home, "--today", "2026-11-05")
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    # Reminder posted Tuesday 3 November: delivered Thursday 5, 14 days -> Thursday 19.
    assert {uid: e.decoded("dtstart").isoformat() for uid, e in events.items()} == {
        "A1-next-action@wik": "2026-11-20", "A1-reminder-3-last-day@wik": "2026-11-19"}
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


def test_import_refuses_an_invoice_already_in_the_ledger(home, tmp_path):
    f = tmp_path / "facturen.csv"
    f.write_text(CSV, encoding="utf-8")
    _ok("import", str(f), "--home", home)
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("import", str(f), "--home", home)
    assert r.exit_code == 2 and "facturen.csv line 2: invoice '2026-120' is already in the ledger" in r.stderr
    assert journal.read_bytes() == before

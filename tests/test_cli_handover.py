"""``wik handover``: the dossier's PDF and JSON say what the ledger and the calculators say,
the letters are the archived bytes, and the hand-over is recorded as step 6."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home

N = "2026-014"
DAY = "2026-05-04"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    h = init_home(tmp_path_factory.mktemp("built"), "--no-vat-deductible")
    ok = lambda *a: _ok(*a, "--home", h)  # noqa: E731
    ok("client", "add", "jan", "--name", "Jan Jansen", "--type", "consumer", "--address", "Dorpsstraat 1",
       "--postcode", "1234 AB", "--city", "Utrecht", "--email", "jan@example.nl")
    ok("invoice", "add", N, "--client", "jan", "--amount", "1.000,00", "--date", "2026-01-05",
       "--due", "2026-02-04", "--description", "Logo & huisstijl")
    ok("letter", N, "--kind", "reminder", "--sent", "2026-02-10")
    ok("note", N, "Gebeld, belooft te betalen", "--date", "2026-03-02", "--promise", "2026-03-06")
    ok("letter", N, "--kind", "wik", "--sent", "2026-03-10")
    ok("pay", N, "200", "--date", "2026-03-12")  # before the costs are owed: lowers the principal
    ok("letter", N, "--kind", "default", "--sent", "2026-04-15")
    ok("pay", N, "50", "--date", "2026-04-20")  # after: pays the costs first (art. 6:44 BW)
    ok("note", N, "Geen reactie meer", "--date", "2026-04-28")
    return Path(h)


@pytest.fixture
def home(built, tmp_path):
    # Rendering the three letters is the slow part: build the ledger once, copy it per test.
    h = tmp_path / "home"
    shutil.copytree(built, h)
    return str(h)


def journal_events(home):
    lines = (Path(home) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(x) for x in lines]


def test_dossier_pdf_json_letters_and_step_6(home):
    before = journal_events(home)
    letters = {e["data"]["file"]: e["data"]["sha256"] for e in before if e["type"] == "letter-sent"}
    assert len(letters) == 3

    r = _ok("handover", N, "--lang", "en", "--home", home, "--today", DAY, "--json")
    out = r.json()
    folder = Path(home) / "handover" / f"{N}-{DAY}"
    assert Path(out["folder"]) == folder and out["total_due"] == "903.80"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in folder.iterdir()) == sorted(["dossier.pdf", "dossier.json", *letters])

    # the letters: byte for byte the archived copies, with the hash the journal recorded
    for name, digest in letters.items():
        copy = (folder / name).read_bytes()
        assert copy == (Path(home) / "letters" / name).read_bytes()
        assert hashlib.sha256(copy).hexdigest() == digest
        assert (folder / name).stat().st_mode & 0o777 == 0o600

    # the amounts, cross-checked with the calculators: costs over the 800.00 open when the
    # WIK-letter's term ran out, plus 21% VAT; interest over 1000.00, then 800.00
    assert _ok("calc", "800", "--btw", "--json").json()["costs_incl_vat"] == "145.20"
    i1 = _ok("interest", "1000", "--from", "2026-02-05", "--to", "2026-03-12", "--json").json()["interest"]
    i2 = _ok("interest", "800", "--from", "2026-03-13", "--to", DAY, "--json").json()["interest"]
    assert Decimal(i1) + Decimal(i2) == Decimal("8.60")
    show = _ok("invoice", "show", N, "--json", "--home", home, "--today", DAY).json()
    assert show["total_due"] == "903.80"

    d = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    assert d["date"] == DAY
    assert d["invoice"] == {"number": N, "date": "2026-01-05", "due": "2026-02-04", "amount": "1000.00",
                            "description": "Logo & huisstijl"}
    assert d["creditor"]["name"] == "Studio Noord" and d["debtor"]["name"] == "Jan Jansen"
    assert d["state"] == {"step": 5, "step_name": "notice-of-default", "paused": None}
    owed = d["owed"]
    assert (owed["principal"], owed["paid"], owed["principal_open"]) == ("1000.00", "250.00", "800.00")
    c = owed["costs"]
    assert (c["owed"], c["costs"], c["vat"], c["costs_incl_vat"], c["paid"], c["open"]) == (
        True, "120.00", "25.20", "145.20", "50.00", "95.20")
    assert [b["amount"] for b in c["calculation"]["brackets"]] == ["120.00"]
    i = owed["interest"]
    assert (i["kind"], i["accrued"], i["paid"], i["open"]) == ("consumer", "8.60", "0.00", "8.60")
    assert [(p["from"], p["to"], p["base"], p["interest"]) for p in i["calculation"]["periods"]] == [
        ("2026-02-05", "2026-03-12", "1000.00", i1), ("2026-03-13", DAY, "800.00", i2)]
    assert owed["total_due"] == "903.80" and owed["credit"] == "0.00"
    assert [(e["date"], e["type"]) for e in d["timeline"]] == [
        ("2026-01-05", "invoice-added"),
        ("2026-02-10", "letter-rendered"), ("2026-02-10", "letter-sent"),
        ("2026-03-02", "note"),
        ("2026-03-10", "letter-rendered"), ("2026-03-10", "letter-sent"),
        ("2026-03-12", "payment"),
        ("2026-04-15", "letter-rendered"), ("2026-04-15", "letter-sent"),
        ("2026-04-20", "payment"),
        ("2026-04-28", "note")]
    assert [e["seq"] for e in d["timeline"]] == [e["seq"] for e in before if e["invoice"] == N]
    assert [(x["kind"], x["date"], x["sent"], x["via"], x["sha256"]) for x in d["letters"]] == [
        (k, day, True, "post", letters[f"{N}-{k}-{day}.pdf"])
        for k, day in (("reminder", "2026-02-10"), ("wik", "2026-03-10"), ("default", "2026-04-15"))]
    assert d["payments"] == [{"date": "2026-03-12", "amount": "200.00"}, {"date": "2026-04-20", "amount": "50.00"}]
    assert d["notes"] == [{"date": "2026-03-02", "text": "Gebeld, belooft te betalen", "promise": "2026-03-06"},
                          {"date": "2026-04-28", "text": "Geen reactie meer", "promise": None}]

    # the PDF says the same
    t = norm(" ".join(pdf_pages((folder / "dossier.pdf").read_bytes())))
    assert f"Hand-over dossier: invoice {N}" in t
    assert "Studio Noord" in t and "Jan Jansen" in t and "Dorpsstraat 1" in t and "Logo & huisstijl" in t
    for row in ("2026-01-05 2 invoice-added invoice of 1000.00 dated 2026-01-05, due 2026-02-04",
                "2026-03-02", "note Gebeld, belooft te betalen (promise to pay by 2026-03-06)",
                "payment payment of 200.00", "payment payment of 50.00", "note Geen reactie meer",
                "notice of default sent via post"):
        assert row in t, row
    for digest in letters.values():
        assert digest in t
    for label, amount in (("Principal (invoice amount)", "€1,000.00"), ("Paid in total", "€250.00"),
                          ("Principal open", "€800.00"),
                          ("Collection costs excl. VAT (owed from", "€120.00"),
                          ("VAT on the collection costs", "€25.20"), ("Collection costs paid", "€50.00"),
                          ("Collection costs open", "€95.20"), ("Statutory interest accrued", "€8.60"),
                          ("Statutory interest open", "€8.60"), ("Total due", "€903.80")):
        assert label in t and amount in t[t.index(label):t.index(label) + len(label) + 40], label
    assert f"€1,000.00 €{i1}" in t and f"€800.00 €{i2}" in t
    # a rate not yet confirmed against the published decision is said on stderr and in the dossier
    warnings = d["owed"]["interest"]["warnings"]
    assert all(f"wik: warning: {w}" in r.stderr for w in warnings)
    assert ("Note: " in t) == bool(warnings)

    # recorded: step 6, with the dossier's folder
    new = journal_events(home)[len(before):]
    assert [(e["type"], e["data"]) for e in new] == [
        ("handed-over", {"date": DAY, "dossier": f"{N}-{DAY}"})]
    s = {row["invoice"]: row for row in _ok("status", "--json", "--home", home, "--today", DAY).json()}
    assert s[N]["step"] == 6 and s[N]["step_name"] == "handover"


def test_out_folder(home, tmp_path):
    out = tmp_path / "voor-incasso"
    r = _ok("handover", N, "--out", str(out), "--home", home, "--today", DAY)
    assert str(out) in r.stdout
    assert (out / "dossier.pdf").read_bytes().startswith(b"%PDF")
    assert journal_events(home)[-1]["data"]["dossier"] == "voor-incasso"


def _refused(home, *args, today=DAY):
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("handover", N, "--home", home, "--today", today, *args)
    assert r.exit_code == 2
    assert journal.read_bytes() == before
    return r.stderr


def test_already_handed_over_is_refused(home):
    _ok("handover", N, "--home", home, "--today", DAY)
    err = _refused(home, today="2026-05-05")
    assert err == f"wik: error: invoice '{N}' has already been handed over\n"


def test_closed_invoice_is_refused(home):
    _ok("close", N, "--reason", "written-off", "--home", home, "--today", DAY)
    err = _refused(home)
    assert "closed (written-off)" in err
    assert not (Path(home) / "handover").exists()


def test_changed_letter_is_refused_naming_the_file(home):
    name = f"{N}-wik-2026-03-10.pdf"
    p = Path(home) / "letters" / name
    p.write_bytes(p.read_bytes() + b"\n")
    err = _refused(home)
    assert name in err and "SHA-256" in err and len(err.splitlines()) == 1
    assert not (Path(home) / "handover").exists()


def test_missing_letter_is_refused(home):
    name = f"{N}-reminder-2026-02-10.pdf"
    (Path(home) / "letters" / name).unlink()
    err = _refused(home)
    assert name in err and "missing" in err


def test_non_empty_out_folder_is_refused(home, tmp_path):
    out = tmp_path / "full"
    out.mkdir()
    (out / "x.txt").write_text("x")
    err = _refused(home, "--out", str(out))
    assert "not empty" in err


def test_the_dossier_is_dutch_by_default_with_dutch_notation(home):
    r = _ok("handover", N, "--json", "--home", home, "--today", DAY).json()
    folder = Path(r["folder"])
    t = norm(" ".join(pdf_pages((folder / "dossier.pdf").read_bytes())))
    assert f"Overdrachtsdossier: factuur {N}" in t
    assert "Opgesteld op 04-05-2026 door Studio Noord voor een incassobureau of gerechtsdeurwaarder." in t
    assert "Schuldeiser" in t and "Schuldenaar" in t and "particulier (klantnummer jan)" in t and "Nederland" in t
    for row in ("Factuurdatum 05-01-2026", "Vervaldatum 04-02-2026", "Bedrag (incl. btw) € 1.000,00",
                "Stand vóór overdracht stap 5 (ingebrekestelling)",
                "Hoofdsom (factuurbedrag) € 1.000,00", "Totaal betaald € 250,00", "Openstaande hoofdsom € 800,00",
                "Btw over de incassokosten € 25,20", "Betaalde incassokosten € 50,00",
                "Openstaande incassokosten € 95,20", "Wettelijke rente: opgebouwd € 8,60",
                "Totaal verschuldigd € 903,80",
                "van € 0,00 tot € 2.500,00 15,0% € 800,00 € 120,00", "Btw 21% (de schuldeiser kan geen btw aftrekken)",
                "05-01-2026 2 factuur factuur van € 1.000,00 gedateerd 05-01-2026, vervaldatum 04-02-2026",
                "Gebeld, belooft te betalen (belooft te betalen uiterlijk 06-03-2026)",
                "betaling betaling van € 200,00", "ingebrekestelling verzonden per post",
                "WIK-brief (14-dagenbrief) ja, per post", "Geen reactie meer", "Pagina 1 van 2"):
        assert row in t, row
    assert "Incassokosten excl. btw (verschuldigd vanaf" in t
    assert "Hand-over" not in t and "Total due" not in t and "€1,000.00" not in t
    d = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    assert d["lang"] == "nl" and d["owed"]["total_due"] == "903.80"  # the figures stay machine-readable
    assert d["timeline"][0]["summary"] == "factuur van € 1.000,00 gedateerd 05-01-2026, vervaldatum 04-02-2026"


def test_an_english_client_gets_an_english_dossier_and_lang_overrides(home, tmp_path):
    r = _ok("handover", N, "--lang", "en", "--out", str(tmp_path / "en"), "--home", home, "--today", DAY)
    t = norm(" ".join(pdf_pages((tmp_path / "en" / "dossier.pdf").read_bytes())))
    assert f"Hand-over dossier: invoice {N}" in t and "Total due €903.80" in t and r.exit_code == 0
    err = _refused(home, "--lang", "de")
    assert err == "wik: error: --lang 'de' is unknown: expected nl or en\n"

"""`wik invoice amend`: a typo in an invoice's amount, date, due date or client corrected, as
an event with the old and new value; refused while a letter sent about it stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path, "--no-vat-deductible")
    _ok("client", "add", "bakkerij", "--address", "Straat 1", "--city", "Utrecht", "--name", "Bakkerij BV", "--type", "business", "--home", h)
    _ok("client", "add", "acme", "--address", "Straat 1", "--city", "Utrecht", "--name", "Acme BV", "--type", "business", "--agreed-costs", "20%, min 150",
        "--from", "2026-01-01", "--home", h, "--today", "2026-10-01")
    _ok("invoice", "add", "2026-094", "--client", "bakkerij", "--amount", "1.815,00", "--date", "2026-10-04",
        "--term", "30", "--home", h)
    return h


def journal(h) -> list[dict]:
    return [json.loads(x) for x in (Path(h) / "journal.jsonl").read_text().splitlines()[1:]]


def show(h, today="2026-11-25") -> dict:
    return _ok("invoice", "show", "2026-094", "--json", "--home", h, "--today", today).json()


def amend(h, *args, today="2026-11-25"):
    return run_cli("invoice", "amend", "2026-094", *args, "--home", h, "--today", today)


def test_an_amended_amount(home):
    r = amend(home, "--amount", "1.851,00", "--reason", "typo: 1.815,00")
    assert (r.exit_code, r.stdout.strip()) == (0, "Amended invoice 2026-094: amount € 1.815,00 -> € 1.851,00 "
                                                  "(typo: 1.815,00).")
    ev = journal(home)[-1]
    assert (ev["type"], ev["invoice"], ev["data"]) == ("invoice-amended", "2026-094", {
        "date": "2026-11-25", "changes": {"amount": {"old": "1815.00", "new": "1851.00"}}, "reason": "typo: 1.815,00"})
    d = show(home)
    # the staffel over 1,851.00 (15%) is 277.65, plus 21% VAT 58.31 (the creditor cannot deduct it)
    assert (d["principal"], d["principal_open"], d["costs"]) == ("1851.00", "1851.00", "335.96")
    assert d["timeline"][-1]["type"] == "invoice-amended"
    # a letter made after it claims the new amount
    letter = _ok("letter", "2026-094", "--kind", "reminder", "--sent", "2026-11-25", "--json", "--home", home,
                 "--today", "2026-11-25").json()
    text = norm(" ".join(pdf_pages(Path(letter["archived"]).read_bytes())))
    assert "€ 1.851,00" in text and "€ 1.815,00" not in text


def test_refused_while_a_letter_stands_until_it_is_voided(home):
    _ok("letter", "2026-094", "--kind", "reminder", "--sent", "2026-11-05", "--home", home, "--today", "2026-11-05")
    sent = [e for e in journal(home) if e["type"] == "letter-sent"][0]
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = amend(home, "--amount", "1.851,00")
    assert (r.exit_code, r.stderr.strip()) == (2, (
        f"wik: error: invoice '2026-094': the reminder of 2026-11-05 (#{sent['seq']}) stated figures that depend on "
        f"its amount: void that letter first (`wik void {sent['seq']} --reason ...`), then amend and make a new one"))
    assert (Path(home) / "journal.jsonl").read_bytes() == before
    _ok("void", str(sent["seq"]), "--reason", "amount was wrong", "--home", home, "--today", "2026-11-25")
    assert amend(home, "--amount", "1.851,00").exit_code == 0
    assert show(home)["principal"] == "1851.00"


def test_a_date_with_its_term_and_a_client_moved_to_its_agreed_terms(home):
    r = amend(home, "--date", "2026-10-14", "--term", "30", "--client", "acme")
    assert (r.exit_code, r.stdout.strip()) == (0, "Amended invoice 2026-094: date 2026-10-04 -> 2026-10-14; due "
                                                  "2026-11-03 -> 2026-11-13; client bakkerij -> acme.")
    d = show(home)
    # acme's agreed costs (20% of 1,815.00 = 363.00, plus 21% VAT 76.23) now govern it
    assert (d["client"], d["date"], d["due"], d["costs"]) == ("acme", "2026-10-14", "2026-11-13", "439.23")
    assert d["terms"]["costs"]["text"] == "20%, min 150"
    # a new date alone keeps the due date; one after it needs --term or --due
    r = amend(home, "--date", "2026-11-20")
    assert (r.exit_code, r.stderr.strip()) == (2, "wik: error: due date 2026-11-13 is before the invoice date "
                                                  "2026-11-20: give --term or --due with the new --date")


def test_refusals_change_nothing(home):
    _ok("pay", "2026-094", "500,00", "--date", "2026-10-10", "--home", home, "--today", "2026-10-10")
    before = (Path(home) / "journal.jsonl").read_bytes()
    cases = [
        (("--date", "2026-10-12"), "wik: error: --date 2026-10-12: the payment #5 of invoice '2026-094' is dated "
                                   "2026-10-10, before it: expected a date on or before 2026-10-10"),
        (("--amount", "1815"), "wik: error: invoice '2026-094': nothing to amend: give a new --amount, --date, "
                               "--term/--due or --client that differs from what it holds"),
        (("--amount", "0"), "wik: error: --amount '0' is zero: expected a positive amount"),
        (("--client", "nobody"), "wik: error: client 'nobody' is not in the ledger: add it with `wik client add`"),
        (("--due", "2026-12-01", "--term", "30"), "wik: error: --due and --term both give the due date: expected "
                                                  "one of them"),
    ]
    for args, message in cases:
        r = amend(home, *args)
        assert (r.exit_code, r.stderr.strip()) == (2, message), args
    r = run_cli("invoice", "amend", "2026-999", "--amount", "1", "--home", home, "--today", "2026-11-25")
    assert (r.exit_code, r.stderr.strip()) == (2, "wik: error: invoice '2026-999' is not in the ledger")
    assert (Path(home) / "journal.jsonl").read_bytes() == before


def test_a_letter_made_and_not_sent_is_named(home):
    letter = _ok("letter", "2026-094", "--kind", "reminder", "--json", "--home", home, "--today", "2026-11-20").json()
    r = amend(home, "--amount", "1.851,00")
    name = Path(letter["archived"]).name
    assert r.exit_code == 0 and r.stderr.strip() == (
        f"wik: warning: letter {name} was made with the figures from before this correction: make it again "
        "before sending it")

"""Every command that changes the ledger, called as a script calls it: a home opened with
``Home.open`` on a folder, a service, plain values; no Typer, no CliRunner, no printing. Each
test names the events recorded exactly, and a refusal leaves the journal as it was, byte for
byte."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from test_services import NOW, TODAY, home  # noqa: F401  (the demo home, opened as a script opens it)
from wikcli.ledger import claims, commands
from wikcli.ledger.client_account import CreditError
from wikcli.ledger.commands import LedgerError
from wikcli.ledger.model import Client
from wikcli.rules import agreed
from wikcli.services import chase, clients, credit, delivery, invoices, payments
from wikcli.store.home import Home

LAST = 28  # the demo's journal holds events 1 to 28


def recorded(events) -> list[tuple]:
    return [(e.seq, e.type, e.invoice, e.data) for e in events]


def in_journal(home: Home, events) -> None:
    """What the service returned is what the journal now ends with, stamped by the home's clock."""
    tail = home.journal.events()[-len(events):]
    assert recorded(tail) == recorded(events)
    assert {e.at for e in tail} == {"2026-11-25T09:30:00Z"}  # NOW


def refused(home: Home, call, error=LedgerError, match: str | None = None) -> None:
    before = home.journal.path.read_bytes()
    with pytest.raises(error, match=match):
        call()
    assert home.journal.path.read_bytes() == before


# -- chasing: note, plan, pause, resume, close, void ------------------------------------------

def test_a_note_with_a_promise(home):
    events = chase.note(home, "2026-094", "Belt vrijdag terug", date(2026, 11, 24), date(2026, 12, 4), today=TODAY)
    assert recorded(events) == [(LAST + 1, "note", "2026-094",
                                 {"date": "2026-11-24", "text": "Belt vrijdag terug", "promise": "2026-12-04"})]
    in_journal(home, events)
    refused(home, lambda: chase.note(home, "2026-094", "later", date(2026, 11, 26), None, today=TODAY),
            match="after today")
    refused(home, lambda: chase.note(home, "2026-999", "?", TODAY, None, today=TODAY), match="2026-999")


def test_a_plan_and_what_it_says_of_announced_costs(home):
    made = chase.plan(home, "2026-094", 3, date(2026, 12, 1), "month", TODAY)
    # 1315.00 principal open after the 500.00, the reminder's costs not owed: 1338.89 with interest.
    assert recorded(made.events) == [(LAST + 1, "plan", "2026-094", {
        "date": "2026-11-25", "every": "month", "total": "1338.89", "interest": "included",
        "installments": [{"due": "2026-12-01", "amount": "446.30"}, {"due": "2027-01-01", "amount": "446.30"},
                         {"due": "2027-02-01", "amount": "446.29"}]})]
    assert made.warnings == []
    in_journal(home, made.events)
    refused(home, lambda: chase.plan(home, "2026-094", 3, date(2026, 12, 1), "month", TODAY), match="--replace")

    # Meijer's WIK-letter, posted Saturday 21 November: its term runs to 10 December, so a plan
    # into January carries the 40.00 + 8.40 VAT it announced before they are owed.
    home.record(lambda ledger: commands.sent(ledger, claims.compose(
        ledger, home.rulebook, ["2026-072"], "wik", date(2026, 11, 21), "post", today=TODAY)))
    made = chase.plan(home, "2026-072", 2, date(2026, 12, 1), "month", TODAY)
    assert [(e.type, e.data["total"], [i["amount"] for i in e.data["installments"]]) for e in made.events] == [
        ("plan", "294.63", ["147.32", "147.31"])]
    assert made.warnings == [
        "invoice 2026-072: the installments include collection costs (at most € 48,40) the WIK-letter of "
        "2026-11-21 announced, owed only from 2026-12-11: tell the client, or settle before then without them"]


def test_pause_resume_close_and_void(home):
    assert recorded(chase.pause(home, "2026-101", "Betwist de uren", date(2026, 11, 20))) == [
        (LAST + 1, "paused", "2026-101", {"date": "2026-11-20", "reason": "Betwist de uren"})]
    refused(home, lambda: chase.pause(home, "2026-101", "again", TODAY), match="paused")
    assert recorded(chase.resume(home, "2026-101", TODAY)) == [(LAST + 2, "resumed", "2026-101", {"date": "2026-11-25"})]
    refused(home, lambda: chase.resume(home, "2026-101", TODAY), match="not paused")
    refused(home, lambda: chase.close(home, "2026-101", "paid", TODAY), match="--force")
    refused(home, lambda: chase.close(home, "2026-101", "gone", TODAY), match="'gone' is unknown")
    events = chase.close(home, "2026-101", "credit-note", TODAY)
    assert recorded(events) == [(LAST + 3, "closed", "2026-101", {"date": "2026-11-25", "reason": "credit-note"})]
    in_journal(home, events)

    note = chase.note(home, "2026-094", "typo", TODAY, None, today=TODAY)[0]
    assert recorded(chase.void(home, note.seq, "op de verkeerde factuur", TODAY)) == [
        (LAST + 5, "voided", "2026-094", {"date": "2026-11-25", "seq": LAST + 4, "type": "note",
                                          "reason": "op de verkeerde factuur"})]
    refused(home, lambda: chase.void(home, 3, "x", TODAY), match="event 3 is not an event of an invoice")
    refused(home, lambda: chase.close(home, "2026-101", "credit-note", TODAY), match="closed")


# -- clients -------------------------------------------------------------------------------

def test_a_client_added_alone_and_with_its_terms(home):
    acme = Client("acme", "Acme B.V.", "business", "Weg 1", "1234 AB", "Delft")
    assert recorded(clients.add(home, acme, TODAY)) == [(LAST + 1, "client-added", None, {
        "id": "acme", "name": "Acme B.V.", "type": "business", "address": "Weg 1", "postcode": "1234 AB",
        "city": "Delft", "country": "NL", "email": "", "lang": "nl"})]
    refused(home, lambda: clients.add(home, Client("ACME", "Other", "business"), TODAY), match="acme")
    refused(home, lambda: clients.add(home, Client("acme3", "acme  b.v.", "business"), TODAY),
            match="--allow-duplicate-name")

    costs = agreed.parse_costs("15%, min 150", "--agreed-costs")
    events = clients.add(home, Client("twee", "Acme Twee B.V.", "business"), TODAY, interest=None, costs=costs,
                         clause="artikel 8", start=date(2026, 1, 1))
    assert [(e.seq, e.type) for e in events] == [(LAST + 2, "client-added"), (LAST + 3, "terms-agreed")]
    assert events[1].data == {"client": "twee", "date": "2026-11-25", "from": "2026-01-01", "clause": "artikel 8",
                              "interest": None, "costs": {"text": "15%, min 150", "percentage": "0.15",
                                                          "minimum": "150.00", "maximum": None, "fixed": None}}
    in_journal(home, events)
    # A consumer's terms are refused, and the client with them: one transaction.
    refused(home, lambda: clients.add(home, Client("kees", "Kees", "consumer"), TODAY, costs=costs),
            match="consumer")
    assert "kees" not in home.ledger().clients


def test_a_clients_address_terms_and_email(home):
    assert recorded(clients.address(home, "Visser", "Havenstraat 9", "8861 BK", "Harlingen", "NL", TODAY)) == [
        (LAST + 1, "client-address", None, {"id": "visser", "address": "Havenstraat 9", "postcode": "8861 BK",
                                            "city": "Harlingen", "country": "NL", "date": "2026-11-25"})]
    refused(home, lambda: clients.address(home, "nobody", "Weg 1", "1234 AB", "Delft", "NL", TODAY),
            match="nobody")

    rate = agreed.parse_interest("wettelijke handelsrente + 2%", "--agreed-interest")
    assert recorded(clients.terms(home, "techniek", TODAY, start=date(2026, 1, 1), interest=rate)) == [
        (LAST + 2, "terms-agreed", None, {
            "client": "techniek", "date": "2026-11-25", "from": "2026-01-01", "clause": "",
            "interest": {"text": "wettelijke handelsrente + 2%", "rate": None, "surcharge": "0.02",
                         "compounding": "year"}, "costs": None})]
    refused(home, lambda: clients.terms(home, "jansen", TODAY, start=TODAY, interest=rate), match="consumer")

    events = clients.email(home, "jansen", TODAY, source="offerte 2026-031", given=date(2026, 1, 5), letters=True)
    assert recorded(events) == [(LAST + 3, "client-email", None, {
        "id": "jansen", "date": "2026-11-25", "source": "offerte 2026-031", "given": "2026-01-05", "letters": True})]
    in_journal(home, events)
    refused(home, lambda: clients.email(home, "meijer", TODAY, source="telefoon"), match="no e-mail address")


# -- invoices ------------------------------------------------------------------------------

def test_an_invoice_added_its_due_date_moved_and_its_terms(home):
    added = invoices.add(home, "2026-121", "DEVRIES", Decimal("100.00"), date(2026, 11, 26))
    assert recorded(added.events) == [(LAST + 1, "invoice-added", "2026-121", {
        "client": "devries", "amount": "100.00", "date": "2026-11-26", "due": "2026-12-28", "description": ""})]
    assert added.due == date(2026, 12, 28) and added.warnings == []
    assert added.moved == (": 30 days after 2026-11-26 is 2026-12-26, and 2026-12-26 (Tweede Kerstdag) and "
                           "2026-12-27 (Zondag) do not count (Algemene termijnenwet)")
    in_journal(home, added.events)
    refused(home, lambda: invoices.add(home, "2026-121", "devries", Decimal("1.00"), TODAY), match="2026-121")
    refused(home, lambda: invoices.add(home, "2026-122", "nobody", Decimal("1.00"), TODAY), match="nobody")

    costs = agreed.parse_costs("15%, min 150", "--agreed-costs")
    assert recorded(invoices.terms(home, "2026-058", TODAY, costs=costs, clause="artikel 5")) == [
        (LAST + 2, "terms-agreed", "2026-058", {
            "client": "techniek", "date": "2026-11-25", "from": "2026-11-25", "clause": "artikel 5",
            "interest": None, "costs": {"text": "15%, min 150", "percentage": "0.15", "minimum": "150.00",
                                        "maximum": None, "fixed": None}})]
    refused(home, lambda: invoices.terms(home, "2026-101", TODAY, costs=costs), match="consumer")

    # An invoice dated before its client's agreed terms: the statutory ones apply, said as a warning.
    clients.terms(home, "bakkerij", TODAY, start=date(2026, 12, 1), costs=costs)
    added = invoices.add(home, "2026-122", "bakkerij", Decimal("100.00"), date(2026, 11, 20), term=14)
    assert (added.due, added.moved) == (date(2026, 12, 4), "")
    assert added.warnings == [
        "invoice 2026-122 is dated 2026-11-20, before the agreed terms of client bakkerij (for invoices from "
        "2026-12-01): the statutory interest and collection costs apply to it; if the terms covered it, "
        "`wik client terms bakkerij --from 2026-11-20`"]


def test_an_invoice_amended(home):
    made = invoices.amend(home, "2026-101", TODAY, amount=Decimal("540.00"), reason="typo: 450,00")
    assert recorded(made.events) == [(LAST + 1, "invoice-amended", "2026-101", {
        "date": "2026-11-25", "changes": {"amount": {"old": "450.00", "new": "540.00"}}, "reason": "typo: 450,00"})]
    assert (made.moved, made.stale) == ("", [])
    made = invoices.amend(home, "2026-101", TODAY, day=date(2026, 11, 23), term=33)
    assert [(e.type, e.data["changes"]) for e in made.events] == [
        ("invoice-amended", {"date": {"old": "2026-11-18", "new": "2026-11-23"},
                             "due": {"old": "2026-12-18", "new": "2026-12-28"}})]
    assert made.moved == (": 33 days after 2026-11-23 is 2026-12-26, and 2026-12-26 (Tweede Kerstdag) and "
                          "2026-12-27 (Zondag) do not count (Algemene termijnenwet)")
    in_journal(home, made.events)
    # A letter stands on 2026-094: its figures may not change under it.
    refused(home, lambda: invoices.amend(home, "2026-094", TODAY, amount=Decimal("1900.00")), match="void")


def test_an_export_imported_all_or_nothing(home, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("factuurnummer;factuurdatum;bedrag;klant\n2026-130;3-11-2026;1.234,56;Van Dijk Installatie\n"
                      "2026-131;4-11-2026;99,00;Pieter Jansen\n", encoding="utf-8")
    items = invoices.read(export)
    plan = invoices.import_file(home, items, "export.csv", dry_run=True)
    assert [(t, n) for t, n, _d in plan.events] == [("client-added", None), ("invoice-added", "2026-130"),
                                                    ("invoice-added", "2026-131")]
    assert home.journal.events()[-1].seq == LAST  # a dry run records nothing

    plan = invoices.import_file(home, items, "export.csv", "business")
    journal = home.journal.events()
    assert [(e.seq, e.type, e.invoice) for e in journal[LAST:]] == [
        (LAST + 1, "client-added", None), (LAST + 2, "invoice-added", "2026-130"),
        (LAST + 3, "invoice-added", "2026-131")]
    assert journal[LAST].data["type"] == "business" and journal[LAST].data["name"] == "Van Dijk Installatie"
    assert (journal[LAST + 1].data["amount"], journal[LAST + 2].data["client"]) == ("1234.56", "jansen")
    assert [i["client_match"] for i in plan.invoices] == ["new", "name"]

    export.write_text("factuurnummer;factuurdatum;bedrag;klant\n2026-130;3-11-2026;1.234,57;Van Dijk Installatie\n",
                      encoding="utf-8")
    refused(home, lambda: invoices.import_file(home, invoices.read(export), "export.csv"), match="2026-130")


# -- credit --------------------------------------------------------------------------------

def test_credit_set_off_and_refunded(home):
    payments.pay(home, "2026-101", Decimal("500.00"), TODAY, today=TODAY, allow_overpayment=True)  # 50.00 too much
    nothing = credit.apply(home, "DEVRIES", TODAY, today=TODAY)
    assert (nothing.events, nothing.client, nothing.invoices, nothing.total) == ([], "devries", [], Decimal(0))

    invoices.add(home, "2026-123", "devries", Decimal("30.00"), date(2026, 11, 20))
    made = credit.apply(home, "devries", TODAY, today=TODAY)
    move = {"client": "devries", "date": "2026-11-25", "recorded": "2026-11-25", "amount": "30.00",
            "from": "2026-101", "to": "2026-123"}
    assert recorded(made.events) == [(LAST + 3, "credit-applied", "2026-101", move),
                                     (LAST + 4, "credit-applied", "2026-123", move)]
    assert (made.client, made.invoices, made.total) == ("devries", ["2026-123"], Decimal("30.00"))
    in_journal(home, made.events)

    refused(home, lambda: credit.refund(home, "devries", Decimal("20.01"), TODAY, today=TODAY), CreditError,
            match="20,01")
    events = credit.refund(home, "devries", None, TODAY, today=TODAY)
    assert recorded(events) == [(LAST + 5, "credit-refunded", "2026-101",
                                 {"client": "devries", "date": "2026-11-25", "amount": "20.00"})]
    refused(home, lambda: credit.refund(home, "devries", None, TODAY, today=TODAY), CreditError,
            match="no credit")
    refused(home, lambda: credit.apply(home, "nobody", TODAY, today=TODAY), CreditError, match="nobody")


# -- delivery ------------------------------------------------------------------------------

def test_a_bounce_and_a_registered_letter(home):
    events = delivery.bounced(home, "2026-094", "reminder", date(2026, 11, 6), "550 mailbox unavailable")
    assert recorded(events) == [(LAST + 1, "letter-bounced", "2026-094", {
        "date": "2026-11-06", "seq": 9, "kind": "reminder", "letter": "L9", "letter_date": "2026-11-05",
        "reason": "550 mailbox unavailable"})]
    refused(home, lambda: delivery.bounced(home, "2026-087", "reminder", TODAY), match="no reminder sent by email")

    events = delivery.registered(home, "2026-058", "default", date(2026, 11, 5), barcode="3SABCD0123456",
                                 status="refused")
    assert recorded(events) == [(LAST + 2, "letter-registered", "2026-058", {
        "date": "2026-11-05", "seq": 22, "kind": "default", "letter": "L22", "letter_date": "2026-11-03",
        "barcode": "3SABCD0123456", "status": "refused"})]
    in_journal(home, events)
    refused(home, lambda: delivery.registered(home, "2026-058", "default", TODAY, status="lost"), match="lost")


# -- the home a script opens ---------------------------------------------------------------

def test_a_home_opened_is_silent_unless_told(home):
    conflict = home.path / "journal.sync-conflict-20261125-101010-ABCDEFG.jsonl"
    conflict.write_bytes(home.journal.path.read_bytes())
    said: list[str] = []
    logged: list[str] = []
    labels: list[str] = []

    class Bar:
        def __init__(self, label):
            labels.append(label)

        def __enter__(self):
            return None

        def __exit__(self, *exc):
            return False

    Home.open(home.path)  # nothing to say it with: nothing said
    opened = Home.open(home.path, warn=said.append, log=logged.append, progress=Bar)
    assert said == ["'journal.sync-conflict-20261125-101010-ABCDEFG.jsonl' beside the journal is a sync conflict "
                    "copy: merge it with `wik repair --merge \"journal.sync-conflict-20261125-101010-ABCDEFG.jsonl\"` "
                    "(or move it out of the folder if it holds nothing you need); until then nothing can be recorded"]
    opened.ledger()
    assert logged and all(isinstance(line, str) for line in logged)
    opened.overview(TODAY, quiet=True)
    assert labels == []
    opened.overview(date(2026, 11, 26))
    assert labels == ["Assessing invoices"]
    conflict.unlink()


def test_the_store_imports_neither_the_cli_nor_the_services():
    store = Path(__file__).resolve().parents[1] / "wikcli" / "store"
    above = {}
    for p in sorted(store.glob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):  # imports inside functions too
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name.startswith(("wikcli.cli", "wikcli.services")):
                    above.setdefault(p.name, []).append(name)
    assert "home.py" in {p.name for p in store.glob("*.py")}
    assert above == {}

"""Invoices added, their agreed terms, a typo corrected, and an accounting export imported
(`wik invoice add | terms | amend`, `wik import`) as a Python API: recorded through the one
write path, the rules those of ``ledger/commands.py``, ``client_commands.py``, ``amend.py``
and ``invoice_import.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from wikcli.imports import invoices as export_files
from wikcli.ledger import amend as amend_mod
from wikcli.ledger import client_commands, commands, invoice_import
from wikcli.ledger.invoice_import import InvoiceImportPlan
from wikcli.ledger.model import Policy
from wikcli.rules import deadlines
from wikcli.services.home import OpenHome
from wikcli.store import incoming
from wikcli.store.lines import Event


@dataclass(frozen=True)
class AddedInvoice:
    """An invoice recorded: its events, its due date, why that date is later than the one
    given or counted (``why_moved``, "" when it is not) and what to tell the creditor."""
    events: list[Event]
    due: date
    moved: str
    warnings: list[str]


def add(home: OpenHome, number: str, client: str, amount: Decimal, day: date, *, due: date | None = None,
        term: int | None = None, description: str = "", agreement: str = "") -> AddedInvoice:
    """Add invoice ``number`` of ``client`` (its id, any case), ``amount`` incl. VAT, dated
    ``day``, due on ``due`` or ``term`` days later (default: the policy's term), moved past a
    weekend or holiday."""
    due_at = commands.invoice_due(day, due, term, home.policy)
    notes: list[str] = []

    def build(ledger):
        client_id = commands.client_id_of(ledger, client)
        out = commands.add_invoice(ledger, number, client_id, amount, day, due_at, description, agreement)
        notes.extend(client_commands.before_terms(ledger, number, client_id, day))
        return out

    events = home.record(build)
    return AddedInvoice(events, due_at, why_moved(day, due, term, due_at, home.policy), notes)


def why_moved(day: date, due_day: date | None, term: int | None, due_at: date, policy: Policy) -> str:
    """Why the due date is later than the --due given or the term's last day, if it is."""
    if due_day is not None:
        plain, counted = due_day, f"the due date given is {due_day.isoformat()}"
    else:
        days = policy.payment_term_days if term is None else term
        plain = day + timedelta(days=days)
        counted = f"{days} days after {day.isoformat()} is {plain.isoformat()}"
    if due_at == plain:
        return ""
    skipped = [f"{s.day.isoformat()} ({s.why})" for s in deadlines.extend_atw(plain)[1]]
    why = skipped[0] if len(skipped) == 1 else ", ".join(skipped[:-1]) + " and " + skipped[-1]
    return (f": {counted}, and {why} "
            f"{'does' if len(skipped) == 1 else 'do'} not count (Algemene termijnenwet)")


def terms(home: OpenHome, number: str, day: date, *, interest=client_commands.KEEP,
          costs=client_commands.KEEP, clause: str | None = None) -> list[Event]:
    """Interest and collection costs agreed for this one invoice: as ``rules/agreed.py``
    parses them, None to end them, ``client_commands.KEEP`` to keep them."""
    return home.record(lambda ledger: client_commands.agree_terms(ledger, day, number=number, interest=interest,
                                                                  costs=costs, clause=clause))


@dataclass(frozen=True)
class Amendment:
    """A correction recorded: its events, why the new due date is later than given or
    counted, and the letters made with the old figures (their file names)."""
    events: list[Event]
    moved: str
    stale: list[str]


def amend(home: OpenHome, number: str, today: date, *, amount: Decimal | None = None, day: date | None = None,
          due: date | None = None, term: int | None = None, client: str | None = None,
          reason: str = "") -> Amendment:
    """Correct a typo in invoice ``number``: its ``amount``, date (``day``), due date (``due``
    or ``term`` days from the invoice date, one of them) or ``client``."""
    stale: list[str] = []
    moved: list[str] = []

    def build(ledger):
        inv = ledger.invoices.get(number)
        due_at = due
        if (term is not None or due is not None) and inv is not None:
            due_at = commands.invoice_due(day or inv.date, due, term, home.policy)
            moved.append(why_moved(day or inv.date, due, term, due_at, home.policy))
        out = amend_mod.amend(ledger, number, today, amount=amount, day=day, due=due_at, client_id=client,
                              reason=reason)
        stale.extend(amend_mod.stale_letters(ledger.invoices[number]))
        return out

    events = home.record(build)
    return Amendment(events, "".join(moved), stale)


def read(file: Path) -> list[export_files.ImportedInvoice]:
    """The invoices of an accounting export (CSV) or a UBL e-invoice, read and checked."""
    data = incoming.read_bounded(file, export_files.MAX_BYTES, export_files.ImportFileError)
    return export_files.parse(data, file.name)


def import_file(home: OpenHome, items: list[export_files.ImportedInvoice], source: str,
                default_type: str | None = None, *, dry_run: bool = False) -> InvoiceImportPlan:
    """Import ``items`` (read from the file named ``source``): all or none, clients matched or
    added as ``default_type`` where the file does not say. With ``dry_run`` nothing is
    recorded; the plan says what would be."""
    if dry_run:
        return invoice_import.import_invoices(home.ledger(), items, home.policy, default_type, source)
    plans: list[InvoiceImportPlan] = []

    def build(ledger):
        plans.append(invoice_import.import_invoices(ledger, items, home.policy, default_type, source))
        return plans[-1].events

    home.record(build)
    return plans[-1]

"""Invoices added, their agreed terms, a typo corrected, and an accounting export imported
(`wik invoice add | terms | amend`, `wik import`) as a Python API: recorded through the one
write path, the rules those of ``ledger/commands.py``, ``client_commands.py``, ``amend.py``
and ``invoice_import.py``. And read: the invoices as they stand on a day (`wik invoice list`)
and one invoice's timeline and what it owes (`wik invoice show`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from wikcli.i18n import _
from wikcli.imports import invoices as export_files
from wikcli.ledger import amend as amend_mod
from wikcli.ledger import client_commands, commands, events, facts, invoice_import, receipt, steps
from wikcli.ledger.invoice_import import InvoiceImportPlan
from wikcli.ledger.model import Client, Policy
from wikcli.rules import deadlines
from wikcli.rules.money import to_str
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


# -- reading: `wik invoice list | show` ------------------------------------------------------

@dataclass(frozen=True)
class ListedInvoice:
    """One row of `wik invoice list`: the invoice and how it stands on the day."""
    invoice: facts.InvoiceFacts
    assessment: steps.Assessment

    def to_json(self) -> dict:
        inv, a = self.invoice, self.assessment
        return {"invoice": inv.number, "client": inv.client, "date": inv.date.isoformat(),
                "due": inv.due.isoformat(), "amount": to_str(inv.amount),
                "principal_open": to_str(a.standing.principal_open), "step": a.step,
                "step_name": a.step_name, "closed": a.closed}


def listing(home: OpenHome, day: date, *, include_closed: bool = False) -> list[ListedInvoice]:
    """The invoices known on ``day`` (open ones unless ``include_closed``), by number."""
    ledger = home.ledger()
    rows = steps.assess_all(ledger, home.rulebook, day, include_closed=include_closed)
    rows.sort(key=lambda a: a.invoice)
    return [ListedInvoice(ledger.invoices[a.invoice], a) for a in rows]


@dataclass(frozen=True)
class Voiding:
    """How an event was voided: the void's day, its reason and its own sequence number."""
    day: date
    reason: str
    by: int

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "reason": self.reason, "by": self.by}


@dataclass(frozen=True)
class TimelineEntry:
    """One event of an invoice's timeline (the journal's ``Event``, its ``data`` as written),
    whether it was voided by the day, and the bounce of the e-mail it was, if it was one."""
    event: Event
    voided: Voiding | None
    bounced: events.LetterBouncedData | None


@dataclass(frozen=True)
class InvoiceDetail:
    """`wik invoice show`: the invoice, its client, how it stands on ``day`` (the invoice's
    date at the earliest), its timeline, the letter date of a bounced e-mail whose letter the
    next action sends again (``by_post``), and the interest-rate warnings."""
    invoice: facts.InvoiceFacts
    client: Client
    assessment: steps.Assessment
    day: date
    timeline: list[TimelineEntry]
    by_post: date | None
    warnings: list[str]

    def to_json(self) -> dict:
        inv, a = self.invoice, self.assessment
        s = a.standing
        d = a.to_json()
        d.update({
            "date": inv.date.isoformat(), "due": inv.due.isoformat(), "description": inv.description,
            "agreement": inv.agreement or None,
            "letters": receipt.letters(inv),
            "client_email": receipt.client(self.client),
            "paid": to_str(s.paid), "costs_due_from": s.costs_due_from.isoformat() if s.costs_due_from else None,
            "credit": to_str(s.credit), "closed": a.closed, "paused": a.paused,
            "costs_charged": to_str(s.costs_charged), "costs_paid": to_str(s.costs_paid),
            "interest_accrued": to_str(s.interest_accrued), "interest_paid": to_str(s.interest_paid),
            "allocations": [x.to_json() for x in s.allocations],
            "terms": None if s.terms is None else s.terms.to_json(),
            "timeline": [{"seq": t.event.seq, "at": t.event.at, "type": t.event.type, "data": t.event.data,
                          "voided": None if t.voided is None else t.voided.to_json()} for t in self.timeline],
        })
        return d


def show(home: OpenHome, number: str, today: date) -> InvoiceDetail:
    """Invoice ``number`` as it stands on ``today`` (or its date, if that is later)."""
    ledger = home.ledger()
    inv = ledger.invoices.get(number)
    if inv is None:
        raise commands.LedgerError(_("invoice {value!r} is not in the ledger: see `wik invoice list`").format(
            value=number[:80]))
    day = max(today, inv.date)
    client = ledger.clients[inv.client]
    a = steps.assess(inv, client, home.rulebook, day)
    voids: dict[int, Voiding] = {}
    for e in inv.events:
        if e.type == events.VOIDED:
            v = events.VoidedData.load(e.data)
            voids.setdefault(v.seq, Voiding(v.day, v.reason or "", e.seq))
    bounces = [events.LetterBouncedData.load(e.data) for e in inv.events if e.type == events.LETTER_BOUNCED]
    timeline = [TimelineEntry(e, voids.get(e.seq) if inv.is_voided(e.seq, day) else None,
                              next((b for b in bounces if b.seq == e.seq), None)) for e in inv.events]
    letter_kind = facts.ACTION_LETTER.get(a.next_action)
    again = [b.letter_date for b in bounces if b.kind == letter_kind]
    return InvoiceDetail(inv, client, a, day, timeline, again[-1] if again and a.closed is None else None,
                         list(a.standing.warnings))

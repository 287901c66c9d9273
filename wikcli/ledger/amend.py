"""Correcting an invoice: a typo in its amount, date, due date (term) or client.

The journal is append-only, so a correction is an ``invoice-amended`` event with the old and
the new value of each field it changes; folding applies it in journal order. It is refused
while a letter that stated figures depending on the invoice stands (sent and not voided):
the debtor holds the creditor to what a letter said, so the letter is voided first (`wik
void`) and a new one made. A letter made (rendered) but not recorded as sent does not block:
its copy states the old figures, which the caller says.

Pure: the ledger and the request in, the event (or a LedgerError) out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from dataclasses import replace
from typing import Any
from collections.abc import Callable, Mapping

from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.ledger.commands import LedgerError, NewEvent, check_text, find_client
from wikcli.ledger.events import (
    AmountChangeData, ClientChangeData, DayChangeData, InvoiceAmendedData, InvoiceChangesData, LetterRenderedData,
    LetterSentData,
)
from wikcli.rules.money import cents, format_eur, to_str
from wikcli.i18n import N_, _

FIELDS = ("amount", "date", "due", "client")

# The changed fields as a refusal names them, and as describe shows them.
WHAT = {"amount": N_("amount"), "date": N_("date"), "due": N_("due date"), "client": N_("client")}
KEYS_SHOWN = (N_("due"),)


def amend(ledger: facts.Ledger, number: str, today: date, *, amount: Decimal | None = None,
          day: date | None = None, due: date | None = None, client_id: str | None = None,
          reason: str = "") -> list[NewEvent]:
    """The ``invoice-amended`` event for these corrections; a value equal to the old one is
    no change. ``due`` None with a new ``day`` keeps the due date."""
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(_("invoice {number!r} is not in the ledger").format(number=number[:80]))
    changes = InvoiceChangesData()
    if amount is not None:
        if amount <= 0:
            raise LedgerError(_("--amount {amount} is not above zero: expected the invoice's total").format(
                                 amount=to_str(amount)))
        if amount != inv.amount:
            changes = replace(changes, amount=AmountChangeData(old=cents(inv.amount), new=cents(amount)))
    new_day = day if day is not None else inv.date
    new_due = due if due is not None else inv.due
    if new_due < new_day:
        said = (_("due date {due} is before the invoice date {day}") if due is not None else
                _("due date {due} is before the invoice date {day}: give --term or --due with the new --date"))
        raise LedgerError(said.format(due=new_due.isoformat(), day=new_day.isoformat()))
    if new_day > today:
        raise LedgerError(_("--date {new_day} is after today {today}").format(
                             new_day=new_day.isoformat(), today=today.isoformat()))
    if new_day != inv.date:
        changes = replace(changes, day=DayChangeData(old=inv.date, new=new_day))
    if new_due != inv.due:
        changes = replace(changes, due=DayChangeData(old=inv.due, new=new_due))
    if client_id is not None:
        client = find_client(ledger, client_id)
        if client is None:
            raise LedgerError(_("client {client!r} is not in the ledger: add it with `wik client add`").format(
                                 client=client_id[:80]))
        if client.id in ledger.forgotten:
            raise LedgerError(_("client {client!r} has been forgotten: no invoices move to it").format(client=client.id))
        if client.id != inv.client:
            changes = replace(changes, client=ClientChangeData(old=inv.client, new=client.id))
    if not changed(changes):
        raise LedgerError(_("invoice {number!r}: nothing to amend: give a new --amount, --date, --term/--due or "
                             "--client that differs from what it holds").format(number=number))
    _no_letter_stands(inv, today, changes)
    if changes.day is not None:
        _nothing_before(inv, new_day, today)
    return [InvoiceAmendedData(day=today, changes=changes, reason=check_text(reason, "reason")).event(number)]


def changed(changes: InvoiceChangesData) -> list[str]:
    """The fields an amendment changes (as ``FIELDS`` names them), in that order."""
    return [key for key, c in zip(FIELDS, (changes.amount, changes.day, changes.due, changes.client)) if c is not None]


def _no_letter_stands(inv: facts.InvoiceFacts, today: date, changes: InvoiceChangesData) -> None:
    for letter in inv.letters:
        if inv.is_voided(letter.seq, today):
            continue
        what = _(" and ").join(_(WHAT[k]) for k in changed(changes))
        raise LedgerError(
            _("invoice {number!r}: the {kind} of {day} (#{seq}) stated figures that depend on its "
               "{what}: void that letter first (`wik void {seq} --reason ...`), then amend and make a "
               "new one").format(
               number=inv.number, kind=_(facts.KIND_NAMES[letter.kind]), day=letter.day.isoformat(), seq=letter.seq, what=what))


def _nothing_before(inv: facts.InvoiceFacts, day: date, today: date) -> None:
    dated = [("payment", p.day, p.seq) for p in inv.live(inv.payments, today)]
    dated += [("note", n.day, n.seq) for n in inv.live(inv.notes, today)]
    dated += [("plan", p.day, p.seq) for p in inv.live(inv.plans, today)]
    early = sorted((d, what, seq) for what, d, seq in dated if d < day)
    if early:
        d, what, seq = early[0]
        raise LedgerError(_("--date {day}: the {what} #{seq} of invoice {number!r} is dated {d}, before it: expected "
                             "a date on or before {d}").format(
                             day=day.isoformat(), what=what, seq=seq, number=inv.number, d=d.isoformat()))


def stale_letters(inv: facts.InvoiceFacts) -> list[str]:
    """The files of letters made (rendered) about the invoice and not recorded as sent: their
    copies state the figures from before an amendment."""
    sent = {LetterSentData.load(ev.data).file for ev in inv.events if ev.type == events.LETTER_SENT}
    rendered = (LetterRenderedData.load(ev.data).file for ev in inv.events if ev.type == events.LETTER_RENDERED)
    return [file for file in rendered if file and file not in sent]


def describe(data: Mapping[str, Any] | InvoiceAmendedData) -> str:
    """One line: what an ``invoice-amended`` event (its data, or its payload) changed."""
    p = data if isinstance(data, InvoiceAmendedData) else InvoiceAmendedData.load(data)
    parts = changes(p.changes, _, format_eur, date.isoformat)
    return "; ".join(parts) + (f" ({p.reason})" if p.reason else "")


def changes(c: InvoiceChangesData, name: Callable[[str], str], eur: Callable[[Decimal], str],
            day: Callable[[date], str]) -> list[str]:
    """Each change of an amendment as ``field old -> new``: the field's ``name``, amounts by
    ``eur`` and dates by ``day`` (the terminal's words, or a letter's language)."""
    parts = []
    if c.amount is not None:
        parts.append(f"{name('amount')} {eur(c.amount.old)} -> {eur(c.amount.new)}")
    for key, d in (("date", c.day), ("due", c.due)):
        if d is not None:
            parts.append(f"{name(key)} {day(d.old)} -> {day(d.new)}")
    if c.client is not None:
        parts.append(f"{name('client')} {c.client.old} -> {c.client.new}")
    return parts

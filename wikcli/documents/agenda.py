"""The dated things a freelancer must do: each open invoice's next action and the last day
of every letter term still running, as calendar items with keys that stay the same when
the date moves (so a calendar updates the event instead of adding another)."""

from __future__ import annotations

from datetime import date

from wikcli.ledger import process
from wikcli.documents.calendar import CalendarItem
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import format_eur

ACTION_TEXT = {
    process.SEND_REMINDER: "send a reminder",
    process.CALL_CLIENT: "call the client",
    process.SEND_WIK: "send the WIK-letter",
    process.SEND_DEFAULT: "send the notice of default",
    process.HAND_OVER: "hand over to a collection agency",
    process.CHASE_INSTALLMENT: "chase the missed installment",
}
KIND_TEXT = {process.REMINDER: "reminder", process.WIK: "WIK-letter", process.DEFAULT: "notice of default"}


def items(ledger: process.Ledger, rulebook: Rulebook, today: date) -> list[CalendarItem]:
    out: list[CalendarItem] = []
    for a in process.assess_all(ledger, rulebook, today):
        inv = ledger.invoices[a.invoice]
        if a.next_action != process.NONE and a.action_due is not None:
            out.append(CalendarItem(
                invoice=a.invoice, what="next-action",
                day=a.action_due,
                summary=f"wik: {ACTION_TEXT[a.next_action]} ({a.invoice})",
                description=f"Invoice {a.invoice} of {a.client}: step {a.step} {a.step_name}, "
                            f"{format_eur(a.standing.total_due)} open."))
        client = ledger.clients[inv.client]
        for letter in inv.live(inv.letters, today):
            last_day, after = process.letter_dates(letter, rulebook.policy, client)
            if last_day < today:
                continue
            out.append(CalendarItem(
                invoice=a.invoice, what=f"{letter.kind}/{letter.seq}/last-day",
                day=last_day,
                summary=f"wik: last day of the {KIND_TEXT[letter.kind]} term ({a.invoice})",
                description=f"{KIND_TEXT[letter.kind].capitalize()} sent {letter.day.isoformat()} via "
                            f"{letter.via}; from {after.isoformat()} the next step may follow."))
    return out

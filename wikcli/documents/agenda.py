"""The dated things a freelancer must do: each open invoice's next action and the last day
of every letter term still running, as calendar items with keys that stay the same when
the date moves (so a calendar updates the event instead of adding another)."""

from __future__ import annotations

from datetime import date

from wikcli.ledger import facts
from wikcli.ledger import standing
from wikcli.ledger import steps
from wikcli.documents.calendar import CalendarItem
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import format_eur

ACTION_TEXT = {
    facts.SEND_REMINDER: "send a reminder",
    facts.CALL_CLIENT: "call the client",
    facts.SEND_WIK: "send the WIK-letter",
    facts.SEND_DEFAULT: "send the notice of default",
    facts.HAND_OVER: "hand over to a collection agency",
    facts.CHASE_INSTALLMENT: "chase the missed installment",
}
KIND_TEXT = {facts.REMINDER: "reminder", facts.WIK: "WIK-letter", facts.DEFAULT: "notice of default"}


def items(ledger: facts.Ledger, rulebook: Rulebook, today: date) -> list[CalendarItem]:
    out: list[CalendarItem] = []
    for a in steps.assess_all(ledger, rulebook, today):
        inv = ledger.invoices[a.invoice]
        if a.next_action != facts.NONE and a.action_due is not None:
            out.append(CalendarItem(
                invoice=a.invoice, what="next-action",
                day=a.action_due,
                summary=f"wik: {ACTION_TEXT[a.next_action]} ({a.invoice})",
                description=f"Invoice {a.invoice} of {a.client}: step {a.step} {a.step_name}, "
                            f"{format_eur(a.standing.total_due)} open."))
        client = ledger.clients[inv.client]
        for letter in inv.live(inv.letters, today):
            last_day, after = standing.letter_dates(letter, rulebook.policy, client)
            if last_day < today:
                continue
            out.append(CalendarItem(
                invoice=a.invoice, what=f"{letter.kind}/{letter.seq}/last-day",
                day=last_day,
                summary=f"wik: last day of the {KIND_TEXT[letter.kind]} term ({a.invoice})",
                description=f"{KIND_TEXT[letter.kind].capitalize()} sent {letter.day.isoformat()} via "
                            f"{letter.via}; from {after.isoformat()} the next step may follow."))
    return out

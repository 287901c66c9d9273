"""The six steps of pre-collection: an invoice's standing, letters, notes, plans and marks on
a day -> its step and its next action (``assess``), and the day's list (``assess_all``).

Pure: no I/O and no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple
from collections.abc import Callable, Iterable, Sequence

from wikcli.ledger.model import BUSINESS, Client
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO, to_str

from wikcli.ledger.events import (
    CLOSED, HANDED_OVER, ClosedData, PausedData,
    RESUMED,
)
from wikcli.ledger.facts import (
    CALL_CLIENT, CHASE_INSTALLMENT, DEFAULT, HAND_OVER, Installment, InvoiceFacts, LETTER_STEP, Ledger, LetterSent,
    NONE, Plan, SEND_DEFAULT, SEND_REMINDER, SEND_WIK, STEP_NAMES, WIK,
)
from wikcli.ledger.standing import (
    Standing, letter_dates, standing,
)


@dataclass(frozen=True)
class Assessment:
    """One invoice on one day: the amounts, its step and its next action."""

    invoice: str
    client: str
    debtor: str
    standing: Standing
    step: int
    next_action: str
    action_due: date | None
    overdue_days: int
    closed: str | None  # the close reason, or None while open
    paused: str | None  # the pause reason, or None
    missed_installment: Installment | None
    promise: date | None
    handed_over: date | None = None
    plan: Plan | None = None  # the payment plan in force, if any
    installments_open: Decimal = ZERO  # what of the plan's installments due by today is unpaid

    @property
    def step_name(self) -> str:
        return STEP_NAMES[self.step]

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def row(self) -> StatusRow:
        s = self.standing
        return StatusRow(self.invoice, self.client, self.debtor, to_str(s.principal), to_str(s.principal_open),
                         to_str(s.costs), s.costs_owed, to_str(s.interest), to_str(s.total_due), self.step,
                         self.next_action, self.action_due.isoformat() if self.action_due else None,
                         self.overdue_days, self.closed, tuple(s.warnings))

    def to_json(self) -> dict:
        return self.row().to_json()


class StatusRow(NamedTuple):
    """An ``Assessment`` as ``wik status`` shows it: money as strings with two decimals and
    the action's day as an ISO date, exactly as in its JSON (docs/json.md). A tuple of plain
    values, so that the day's overview can keep it (``overview``)."""

    invoice: str
    client: str
    debtor: str
    principal: str
    principal_open: str
    costs: str
    costs_owed: bool
    interest: str
    total_due: str
    step: int
    next_action: str
    action_due: str | None
    overdue_days: int
    closed: str | None  # the close reason, or None while open
    warnings: tuple

    @property
    def step_name(self) -> str:
        return STEP_NAMES[self.step]

    @property
    def is_open(self) -> bool:
        return self.closed is None

    @property
    def total(self) -> Decimal:
        return Decimal(self.total_due)

    def to_json(self) -> dict:
        return {"invoice": self.invoice, "client": self.client, "debtor": self.debtor,
                "principal": self.principal, "principal_open": self.principal_open, "costs": self.costs,
                "costs_owed": self.costs_owed, "interest": self.interest, "total_due": self.total_due,
                "step": self.step, "step_name": self.step_name, "next_action": self.next_action,
                "action_due": self.action_due, "overdue_days": self.overdue_days}


def _next_day(d: date) -> date:
    return d + timedelta(days=1)


def plan_in_force(inv: InvoiceFacts, today: date, letters: Sequence[LetterSent] | None = None) -> Plan | None:
    """The latest live plan, unless a WIK-letter or notice of default followed it (the plan
    was broken and the chase went on)."""
    plans = inv.live(inv.plans, today)
    if not plans:
        return None
    plan = plans[-1]
    letters = inv.live(inv.letters, today) if letters is None else letters
    if any(x.kind in (WIK, DEFAULT) and x.day > plan.day for x in letters):
        return None
    return plan


def _marks(inv: InvoiceFacts, today: date) -> tuple[str | None, str | None, date | None]:
    """The marks in force on ``today``: why it was closed, why it is paused, when it was
    handed over (each None when not)."""
    closed = None
    paused = None
    handed_over = None
    for day, kind, mark in inv.marks:
        if day > today:
            continue
        if isinstance(mark, ClosedData):
            closed = "paid" if mark.reason is None else mark.reason
        elif isinstance(mark, PausedData):
            paused = mark.reason or ""
        elif kind == RESUMED:
            paused = None
        elif kind == HANDED_OVER:
            handed_over = day
    return closed, paused, handed_over


def _closed(mark: str | None, st: Standing) -> str | None:
    # Paid in full closes an invoice as a recorded close does; a recorded reason wins.
    return "paid" if mark is None and st.settled else mark


def closed_on(inv: InvoiceFacts, st: Standing, today: date) -> str | None:
    """Why ``inv`` is closed on ``today`` (``st``: its standing that day), as ``assess`` says
    it; None while open. For a caller that needs no step or next action."""
    return _closed(_marks(inv, today)[0], st)


def open_principal(inv: InvoiceFacts, client: Client, rulebook: Rulebook, today: date) -> Decimal:
    """What is open of the principal on ``today``, 0.00 once the invoice is closed, as
    ``assess`` says it; for a caller that needs neither the costs nor the next action."""
    if inv.amount > 0 and not inv.live(inv.payments, today):
        # Nothing paid: all of it is open, so it is not settled; closed only by a mark (what
        # standing and closed_on say, without working out the costs).
        return ZERO if closed_by_mark(inv, today) else inv.amount
    st = standing(inv, client, rulebook, today, with_interest=False)
    return st.principal_open if closed_on(inv, st, today) is None else ZERO


def _step(letters: list[LetterSent], notes: list, handed_over: date | None) -> int:
    """The step the claim stands at: the furthest letter sent, 3 once a note follows a
    reminder (the call), 6 once handed over."""
    step = 1
    for letter in letters:
        step = max(step, LETTER_STEP[letter.kind])
    if step == 2 and any(n.day >= letters[-1].day for n in notes):
        step = 3
    if handed_over is not None:
        step = 6
    return step


def _plan_action(inv: InvoiceFacts, st: Standing, plan: Plan, letters: list[LetterSent], today: date,
                 skips: bool, after: Callable[[LetterSent], date]
                 ) -> tuple[str, date, Installment | None, Decimal]:
    """Under a payment plan: chase the first installment not covered (the action, its day,
    the installment missed, what is behind)."""
    action, due = NONE, None
    missed = None
    behind = ZERO
    covered = sum((p.amount for p in inv.live(inv.payments, today) if p.day >= plan.day), ZERO)
    running = ZERO
    for inst in plan.installments:
        running += inst.amount
        if inst.due <= today:
            behind = max(running - covered, ZERO)
        if running > covered and action == NONE:
            action, due = CHASE_INSTALLMENT, _next_day(inst.due)
            if due <= today:
                missed = inst
    if due is None:
        # Every installment paid, yet something is open (paid late: more interest): the
        # rest is chased as the plan's last installment, never left without an action.
        last = plan.installments[-1]
        action, due = CHASE_INSTALLMENT, _next_day(last.due)
        if due <= today:
            missed = Installment(last.due, st.total_due)
            behind = st.total_due
    # A letter sent since the installment fell due chased it: its term runs first (no
    # daily chase). Once that term has run unpaid the plan is broken and the claim goes on
    # to the next step: the WIK-letter, or the notice of default where costs were announced
    # or a business skips it.
    # A letter sent since the plan whose term still runs: the next action waits for it too
    # (it may have chased an earlier installment).
    chasers = [x for x in letters if (x.day, x.seq) > (plan.day, plan.seq)]
    if chasers:
        chased_this = chasers[-1].day >= due
        due = max(due, after(chasers[-1]))
        if chased_this and due <= today:
            announced = st.announced_by is not None
            action = SEND_DEFAULT if announced or skips else SEND_WIK
    return action, due, missed, behind


def _letter_action(inv: InvoiceFacts, step: int, letters: list[LetterSent], notes: list, skips: bool,
                   after: Callable[[LetterSent], date]) -> tuple[str, date | None]:
    """Without a plan: the next letter (or call, or hand-over) of the step, and its day."""
    last_letter = letters[-1] if letters else None
    if step == 1:
        return SEND_REMINDER, _next_day(inv.due)
    assert last_letter is not None  # every step above 1 follows a letter
    if step == 2:
        return (SEND_DEFAULT if skips else CALL_CLIENT), after(last_letter)
    if step == 3:
        call = max((n for n in notes if n.day >= last_letter.day), key=lambda n: (n.day, n.seq))
        return (SEND_DEFAULT if skips else SEND_WIK), call.day
    if step == 4:
        return SEND_DEFAULT, after(last_letter)
    if step == 5:
        return HAND_OVER, after(last_letter)
    return NONE, None


def assess(inv: InvoiceFacts, client: Client, rulebook: Rulebook, today: date, *,
           with_interest: bool = True, breakdown: bool = False) -> Assessment:
    debtor = client.type
    policy = rulebook.policy
    st = standing(inv, client, rulebook, today, with_interest=with_interest, breakdown=breakdown)
    letters = sorted(inv.live(inv.letters, today), key=lambda x: (x.day, x.seq))
    notes = inv.live(inv.notes, today)
    closed, paused, handed_over = _marks(inv, today)
    closed = _closed(closed, st)
    step = _step(letters, notes, handed_over)
    last_letter = letters[-1] if letters else None

    # The latest promise made since the last letter postpones the next action to the day
    # after it; once that day comes unpaid, the promise is broken and the process moves on.
    promise = None
    for n in notes:
        if n.promise and (last_letter is None or n.day >= last_letter.day):
            promise = n.promise

    skips = debtor == BUSINESS and policy.business_skips_steps
    action: str = NONE
    due: date | None = None
    missed = None
    plan = plan_in_force(inv, today, letters)
    behind = ZERO

    def after(letter: LetterSent) -> date:
        return letter_dates(letter, policy, client)[1]

    if closed is not None or paused is not None or step == 6:
        pass
    elif plan is not None and not st.settled:
        action, due, missed, behind = _plan_action(inv, st, plan, letters, today, skips, after)
    else:
        action, due = _letter_action(inv, step, letters, notes, skips, after)
        if promise is not None and due is not None:
            due = max(due, _next_day(promise))

    overdue = (today - due).days if due is not None and today > due else 0
    return Assessment(
        invoice=inv.number, client=inv.client, debtor=debtor, standing=st, step=step,
        next_action=action, action_due=due, overdue_days=overdue, closed=closed, paused=paused,
        missed_installment=missed, promise=promise, handed_over=handed_over, plan=plan,
        installments_open=behind)


def assess_all(ledger: Ledger, rulebook: Rulebook, today: date, *,
               include_closed: bool = False, breakdown: bool = False,
               tick: Callable[[int, int], None] | None = None) -> list[Assessment]:
    """Every invoice known on ``today``, most urgent first (earliest due action first).
    ``breakdown=True``: keep the interest periods in the standings (see ``standing``).
    ``tick(done, total)``, when given, hears how far the invoices have come (a progress bar)."""
    out = []
    total = len(ledger.invoices)
    for done, inv in enumerate(ledger.invoices.values()):
        if tick is not None and done % 250 == 0:
            tick(done, total)
        if inv.date > today:
            continue
        if not include_closed and closed_by_mark(inv, today):
            continue  # assess would say so, after computing all its amounts
        a = assess(inv, ledger.clients[inv.client], rulebook, today, breakdown=breakdown)
        if a.is_open or include_closed:
            out.append(a)
    if tick is not None:
        tick(total, total)
    out.sort(key=lambda a: (a.closed is not None, a.action_due is None,
                            a.action_due or date.max, a.invoice))
    return out


def closed_by_mark(inv: InvoiceFacts, today: date) -> bool:
    """Whether a close was recorded for ``inv`` on or before ``today``."""
    return any(kind == CLOSED and day <= today for day, kind, _ in inv.marks)


def due_actions(rows: Iterable, today: date) -> list:
    """The actions ``wik check`` reports: open, with a due date today or earlier
    (``Assessment``s or ``StatusRow``s, which give it as an ISO date)."""
    day = today.isoformat()
    out = []
    for a in rows:
        due = a.action_due
        if a.is_open and a.next_action != NONE and due is not None and (due if type(due) is str else
                                                                         due.isoformat()) <= day:
            out.append(a)
    return out

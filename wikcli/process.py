"""The six steps of pre-collection: events + policy + today -> step, amounts, next action.

Pure: no I/O and no clock. The journal hands over its events, ``fold`` turns them into the
facts of each client and invoice, and ``assess`` derives what an invoice stands at on a
given day. Facts dated after ``today`` are ignored, so replaying with an earlier ``--today``
shows the ledger as it was then.

Rules (domain.md sections 1-4):
- step 1 invoice -> 2 reminder -> 3 phone call -> 4 WIK-letter -> 5 notice of default ->
  6 hand-over; a business debtor skips steps 3-4 when the policy says so.
- a consumer owes collection costs only from the day after the WIK-letter's term; a business
  from the day after the term of the first letter that announced them (the WIK-letter, or the
  notice of default): a conservative reading of art. 6:96 BW.
- before the costs are owed a payment lowers the principal and the costs are recomputed over
  the rest (seed 002); once they are owed, art. 6:44 BW: costs, then interest, then principal.
- statutory interest runs from the day after the due date through today, both counted; a
  payment counts as made at the end of its day (interest is owed through the day of payment).
- an invoice whose principal (and owed costs) are paid is settled; interest still accruing on
  an invoice paid in full before the costs became owed is not chased (documented choice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Sequence

# Light pure modules (holidays are loaded by deadlines only when a date needs them): imported
# here once rather than inside the helpers, which run once or more per invoice.
from wikcli import costs as costs_mod
from wikcli import deadlines
from wikcli import interest as interest_mod
from wikcli.model import BUSINESS, CONSUMER, Client, Policy
from wikcli.money import ZERO, cents, to_str

# Event types: the facts the journal holds. A new fact adds a type, never a mutable field.
CLIENT_ADDED = "client-added"
CLIENT_FORGOTTEN = "client-forgotten"
INVOICE_ADDED = "invoice-added"
PAYMENT = "payment"
NOTE = "note"
PLAN = "plan"
LETTER_SENT = "letter-sent"
LETTER_RENDERED = "letter-rendered"
PAUSED = "paused"
RESUMED = "resumed"
CLOSED = "closed"
HANDED_OVER = "handed-over"
EVENT_TYPES = (CLIENT_ADDED, CLIENT_FORGOTTEN, INVOICE_ADDED, PAYMENT, NOTE, PLAN, LETTER_SENT,
               LETTER_RENDERED, PAUSED, RESUMED, CLOSED, HANDED_OVER)

# Letter kinds, in the order of the steps they belong to.
REMINDER = "reminder"
WIK = "wik"
DEFAULT = "default"
LETTER_KINDS = (REMINDER, WIK, DEFAULT)
LETTER_STEP = {REMINDER: 2, WIK: 4, DEFAULT: 5}
KIND_NAMES = {REMINDER: "reminder", WIK: "WIK-letter", DEFAULT: "notice of default"}
WIK_TERM_DAYS = 14  # art. 6:96 lid 6 BW

STEP_NAMES = {1: "invoice", 2: "reminder", 3: "call", 4: "wik-letter", 5: "notice-of-default",
              6: "handover"}

SEND_REMINDER = "send-reminder"
CALL_CLIENT = "call-client"
SEND_WIK = "send-wik-letter"
SEND_DEFAULT = "send-notice-of-default"
HAND_OVER = "hand-over"
CHASE_INSTALLMENT = "chase-installment"
NONE = "none"
ACTIONS = (SEND_REMINDER, CALL_CLIENT, SEND_WIK, SEND_DEFAULT, HAND_OVER, CHASE_INSTALLMENT, NONE)
ACTION_LETTER = {SEND_REMINDER: REMINDER, SEND_WIK: WIK, SEND_DEFAULT: DEFAULT}

CLOSE_REASONS = ("paid", "credit-note", "written-off", "handed-over", "bankrupt")


@dataclass(frozen=True)
class Payment:
    day: date
    amount: Decimal
    seq: int


@dataclass(frozen=True)
class Note:
    day: date
    text: str
    promise: date | None
    seq: int


@dataclass(frozen=True)
class LetterSent:
    kind: str
    day: date
    via: str
    seq: int
    file: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Installment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class Plan:
    day: date
    installments: tuple[Installment, ...]
    seq: int


@dataclass
class InvoiceFacts:
    """Everything the journal says about one invoice, in journal order."""

    number: str
    client: str
    amount: Decimal
    date: date
    due: date
    description: str
    seq: int
    payments: list[Payment] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    letters: list[LetterSent] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    # (day, kind, data): pauses, resumes, closes and hand-overs in journal order.
    marks: list[tuple[date, str, dict]] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


@dataclass
class Ledger:
    clients: dict[str, Client] = field(default_factory=dict)
    invoices: dict[str, InvoiceFacts] = field(default_factory=dict)
    forgotten: dict[str, date] = field(default_factory=dict)


def _d(text: str) -> date:
    return date.fromisoformat(text)


def fold(events: Iterable[Any]) -> Ledger:
    """Replay journal events (objects with seq, type, invoice, data) into a Ledger."""
    ledger = Ledger()
    clients = ledger.clients
    invoices = ledger.invoices
    for ev in events:
        t = ev.type
        data = ev.data
        if t == CLIENT_ADDED:
            clients[data["id"]] = Client(**data)
            continue
        if t == CLIENT_FORGOTTEN:
            old = clients.get(data["id"])
            if old is not None:
                clients[data["id"]] = Client(id=old.id, name="(forgotten)", type=old.type,
                                             country="", lang=old.lang)
            ledger.forgotten[data["id"]] = _d(data["date"])
            continue
        if t == INVOICE_ADDED:
            invoices[ev.invoice] = InvoiceFacts(
                number=ev.invoice, client=data["client"], amount=Decimal(data["amount"]),
                date=_d(data["date"]), due=_d(data["due"]),
                description=data.get("description", ""), seq=ev.seq, events=[ev])
            continue
        inv = invoices.get(ev.invoice)
        if inv is None:
            continue  # the journal validated references when the event was written
        inv.events.append(ev)
        if t == PAYMENT:
            inv.payments.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq))
        elif t == NOTE:
            promise = data.get("promise")
            inv.notes.append(Note(_d(data["date"]), data.get("text", ""),
                                  _d(promise) if promise else None, ev.seq))
        elif t == LETTER_SENT:
            inv.letters.append(LetterSent(data["kind"], _d(data["date"]), data.get("via", "post"),
                                          ev.seq, data.get("file", ""), data.get("sha256", "")))
        elif t == PLAN:
            inv.plans.append(Plan(_d(data["date"]), tuple(
                Installment(_d(i["due"]), Decimal(i["amount"])) for i in data["installments"]), ev.seq))
        elif t in (PAUSED, RESUMED, CLOSED, HANDED_OVER):
            inv.marks.append((_d(data["date"]), t, data))
    return ledger


# --- amounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What is owed on an invoice on a given day."""

    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    costs: Decimal  # open when owed, else what a WIK-letter would announce now; incl. VAT if charged
    costs_vat: Decimal
    costs_owed: bool
    costs_due_from: date | None
    costs_open: Decimal
    interest: Decimal  # open statutory interest through today
    interest_kind: str
    total_due: Decimal
    credit: Decimal
    settled: bool
    costs_calc: Any = None  # the costs.Costs behind ``costs`` (brackets, VAT), or None
    # The interest.Interest accrued through today (periods, rates), or None when none runs
    # (not yet in default, settled, or asked without interest); ``interest`` is it minus
    # ``interest_paid``.
    interest_calc: Any = None
    interest_paid: Decimal = ZERO
    warnings: tuple[str, ...] = ()  # about the interest rates used (unconfirmed, unknown)


def term_days(kind: str, policy: Policy) -> int:
    return {REMINDER: policy.reminder_term_days, WIK: WIK_TERM_DAYS,
            DEFAULT: policy.default_term_days}[kind]


@lru_cache(maxsize=4096)
def _term(day: date, via: str, days: int):
    # A ledger sends many letters on the same days: the term (a walk over holidays) is a pure
    # function of these three values and its result is frozen, so it is shared.
    return deadlines.term(day, via, days)


def letter_term(letter: LetterSent, policy: Policy):
    return _term(letter.day, letter.via, term_days(letter.kind, policy))


def costs_due_from(inv: InvoiceFacts, debtor: str, policy: Policy, today: date) -> date | None:
    """The first day collection costs are owed, or None while no letter has announced them."""
    announcing = (WIK,) if debtor == CONSUMER else (WIK, DEFAULT)
    for letter in sorted(inv.letters, key=lambda x: (x.day, x.seq)):
        if letter.kind in announcing and letter.day <= today:
            return letter_term(letter, policy).costs_due_from
    return None


def interest_kind(debtor: str) -> str:
    return "commercial" if debtor == BUSINESS else "consumer"


def _costs(principal_open: Decimal, debtor: str, vat_deductible: bool):
    return costs_mod.compute(principal_open, vat=not vat_deductible, debtor=debtor)


def _default_days(inv: InvoiceFacts, through: date, reductions: Sequence[tuple[date, Decimal]]):
    """(first day of default, the principal reductions up to ``through``), or None before it."""
    start = max(inv.due + timedelta(days=1), interest_mod.EARLIEST)
    if through < start:
        return None
    return start, [r for r in reductions if r[0] <= through and r[1] > 0]


def _interest(inv: InvoiceFacts, kind: str, through: date,
              reductions: Sequence[tuple[date, Decimal]]) -> tuple[Decimal, tuple[str, ...]]:
    """Interest through ``through`` and the rate table's warnings (unconfirmed rates)."""
    window = _default_days(inv, through, reductions)
    if window is None:
        return ZERO, ()
    # The figure and the warnings only: the breakdown objects are what costs time per invoice.
    return interest_mod.total(inv.amount, window[0], through, kind, reductions=window[1])


def _interest_calc(inv: InvoiceFacts, kind: str, through: date,
                   reductions: Sequence[tuple[date, Decimal]]):
    """The interest.Interest (periods, rates) through ``through``, or None before default."""
    window = _default_days(inv, through, reductions)
    if window is None:
        return None
    return interest_mod.compute(inv.amount, window[0], through, kind, reductions=window[1])


def standing(inv: InvoiceFacts, debtor: str, policy: Policy, vat_deductible: bool,
             today: date, *, with_interest: bool = True, breakdown: bool = False) -> Standing:
    """``with_interest=False`` skips the interest still open today (0.00 in the result) for
    callers that only need the principal and costs: it is the costly part with many payments.
    ``breakdown=True`` also keeps the interest periods in ``interest_calc`` for a caller that
    shows them (the dossier); the amounts and warnings are the same either way."""
    kind = interest_kind(debtor)
    costs_from = costs_due_from(inv, debtor, policy, today)
    principal_open = inv.amount
    costs_fixed = None
    costs_open = ZERO
    interest_paid = ZERO
    credit = ZERO
    paid = ZERO
    reductions: list[tuple[date, Decimal]] = []

    def fix_costs():
        nonlocal costs_fixed, costs_open
        if principal_open > 0:
            costs_fixed = _costs(principal_open, debtor, vat_deductible)
            costs_open = costs_fixed.costs_incl_vat
        else:
            costs_fixed = False

    for p in sorted((p for p in inv.payments if p.day <= today), key=lambda p: (p.day, p.seq)):
        paid += p.amount
        rest = p.amount
        if costs_from is not None and p.day >= costs_from:
            if costs_fixed is None:
                fix_costs()
            c = min(rest, costs_open)
            costs_open -= c
            rest -= c
            if rest > 0:
                owed = _interest(inv, kind, p.day, reductions)[0] - interest_paid
                i = min(rest, max(owed, ZERO))
                interest_paid += i
                rest -= i
        pr = min(rest, principal_open)
        principal_open -= pr
        rest -= pr
        if pr > 0:
            reductions.append((p.day + timedelta(days=1), pr))
        credit += rest

    if costs_from is not None and today >= costs_from and costs_fixed is None:
        fix_costs()
    owed = bool(costs_fixed)
    calc = None
    if owed:
        # Once owed, show what is still open of them, so total_due adds up from the row.
        calc = costs_fixed
        shown, vat = costs_open, costs_fixed.vat
    elif principal_open > 0:
        calc = _costs(principal_open, debtor, vat_deductible)
        shown, vat = calc.costs_incl_vat, calc.vat
    else:
        shown, vat = ZERO, ZERO
    settled = principal_open == 0 and costs_open == 0
    interest_calc = None
    warnings: tuple[str, ...] = ()
    interest_open = ZERO
    if not settled and with_interest:
        if breakdown:
            interest_calc = _interest_calc(inv, kind, today, reductions)
            accrued = ZERO if interest_calc is None else interest_calc.interest
            warnings = () if interest_calc is None else interest_calc.warnings
        else:
            accrued, warnings = _interest(inv, kind, today, reductions)
        interest_open = max(accrued - interest_paid, ZERO)
    return Standing(
        principal=inv.amount, paid=paid, principal_open=principal_open, costs=shown, costs_vat=vat,
        costs_owed=owed, costs_due_from=costs_from, costs_open=costs_open, interest=interest_open,
        interest_kind=kind, total_due=principal_open + costs_open + interest_open, credit=credit,
        settled=settled, costs_calc=calc, interest_calc=interest_calc, interest_paid=interest_paid,
        warnings=warnings)


def amount_due(inv: InvoiceFacts, debtor: str, policy: Policy, vat_deductible: bool,
               day: date) -> Decimal:
    """What a payment on ``day`` may settle at most: the principal, plus costs and interest
    once the costs are owed (before that, a payment only lowers the principal)."""
    s = standing(inv, debtor, policy, vat_deductible, day, with_interest=False)
    if s.costs_owed:
        return standing(inv, debtor, policy, vat_deductible, day).total_due
    return s.principal_open


# --- the process -------------------------------------------------------------------------


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

    @property
    def step_name(self) -> str:
        return STEP_NAMES[self.step]

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def to_json(self) -> dict:
        s = self.standing
        return {
            "invoice": self.invoice,
            "client": self.client,
            "debtor": self.debtor,
            "principal": to_str(s.principal),
            "principal_open": to_str(s.principal_open),
            "costs": to_str(s.costs),
            "costs_owed": s.costs_owed,
            "interest": to_str(s.interest),
            "total_due": to_str(s.total_due),
            "step": self.step,
            "step_name": self.step_name,
            "next_action": self.next_action,
            "action_due": self.action_due.isoformat() if self.action_due else None,
            "overdue_days": self.overdue_days,
        }


def _next_day(d: date) -> date:
    return d + timedelta(days=1)


def assess(inv: InvoiceFacts, client: Client, policy: Policy, vat_deductible: bool,
           today: date, *, with_interest: bool = True, breakdown: bool = False) -> Assessment:
    debtor = client.type
    st = standing(inv, debtor, policy, vat_deductible, today, with_interest=with_interest,
                  breakdown=breakdown)
    letters = sorted((x for x in inv.letters if x.day <= today), key=lambda x: (x.day, x.seq))
    notes = [n for n in inv.notes if n.day <= today]

    closed = None
    paused = None
    handed_over = None
    for day, kind, data in inv.marks:
        if day > today:
            continue
        if kind == CLOSED:
            closed = data.get("reason", "paid")
        elif kind == PAUSED:
            paused = data.get("reason", "")
        elif kind == RESUMED:
            paused = None
        elif kind == HANDED_OVER:
            handed_over = day
    if closed is None and st.settled:
        closed = "paid"

    step = 1
    for letter in letters:
        step = max(step, LETTER_STEP[letter.kind])
    last_letter = letters[-1] if letters else None
    if step == 2 and any(n.day >= last_letter.day for n in notes):
        step = 3
    if handed_over is not None:
        step = 6

    # The latest promise made since the last letter postpones the next action to the day
    # after it; once that day comes unpaid, the promise is broken and the process moves on.
    promise = None
    for n in notes:
        if n.promise and (last_letter is None or n.day >= last_letter.day):
            promise = n.promise

    skips = debtor == BUSINESS and policy.business_skips_steps
    action, due = NONE, None
    missed = None
    plan = next((p for p in reversed(inv.plans) if p.day <= today), None)
    if closed is not None or paused is not None or step == 6:
        pass
    elif plan is not None and not st.settled:
        covered = sum((p.amount for p in inv.payments if plan.day <= p.day <= today), ZERO)
        running = ZERO
        for inst in plan.installments:
            running += inst.amount
            if running > covered:
                action, due = CHASE_INSTALLMENT, _next_day(inst.due)
                if due <= today:
                    missed = inst
                break
    else:
        if step == 1:
            action, due = SEND_REMINDER, _next_day(inv.due)
        elif step == 2:
            after = letter_term(last_letter, policy).costs_due_from
            action, due = (SEND_DEFAULT if skips else CALL_CLIENT), after
        elif step == 3:
            call = max((n for n in notes if n.day >= last_letter.day), key=lambda n: (n.day, n.seq))
            action, due = (SEND_DEFAULT if skips else SEND_WIK), call.day
        elif step == 4:
            action, due = SEND_DEFAULT, letter_term(last_letter, policy).costs_due_from
        elif step == 5:
            action, due = HAND_OVER, letter_term(last_letter, policy).costs_due_from
        if promise is not None and due is not None:
            due = max(due, _next_day(promise))

    overdue = (today - due).days if due is not None and today > due else 0
    return Assessment(
        invoice=inv.number, client=inv.client, debtor=debtor, standing=st, step=step,
        next_action=action, action_due=due, overdue_days=overdue, closed=closed, paused=paused,
        missed_installment=missed, promise=promise)


def assess_all(ledger: Ledger, policy: Policy, vat_deductible: bool, today: date, *,
               include_closed: bool = False, breakdown: bool = False) -> list[Assessment]:
    """Every invoice known on ``today``, most urgent first (earliest due action first).
    ``breakdown=True``: keep the interest periods in the standings (see ``standing``)."""
    out = []
    for inv in ledger.invoices.values():
        if inv.date > today:
            continue
        if not include_closed and any(kind == CLOSED and day <= today for day, kind, _ in inv.marks):
            continue  # closed by a mark: assess would say so, after computing all its amounts
        a = assess(inv, ledger.clients[inv.client], policy, vat_deductible, today, breakdown=breakdown)
        if a.is_open or include_closed:
            out.append(a)
    out.sort(key=lambda a: (a.closed is not None, a.action_due is None,
                            a.action_due or date.max, a.invoice))
    return out


def due_actions(assessments: Iterable[Assessment], today: date) -> list[Assessment]:
    """The actions ``wik check`` reports: open, with a due date today or earlier."""
    return [a for a in assessments
            if a.is_open and a.next_action != NONE and a.action_due is not None and a.action_due <= today]


def split_installments(total: Decimal, n: int, first: date, every: str | int) -> tuple[Installment, ...]:
    """``n`` installments of equal cents (the last takes the remainder) from ``first`` on."""
    base = cents(total / n)
    amounts = [base] * (n - 1) + [total - base * (n - 1)]
    days = []
    for i in range(n):
        if every == "month":
            m = first.month - 1 + i
            y, m = first.year + m // 12, m % 12 + 1
            days.append(_clamp_day(y, m, first.day))
        elif every == "week":
            days.append(first + timedelta(weeks=i))
        else:
            days.append(first + timedelta(days=int(every) * i))
    return tuple(Installment(d, a) for d, a in zip(days, amounts))


def _clamp_day(y: int, m: int, d: int) -> date:
    import calendar

    return date(y, m, min(d, calendar.monthrange(y, m)[1]))

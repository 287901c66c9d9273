"""The six steps of pre-collection: events + policy + today -> step, amounts, next action.

Pure: no I/O and no clock. The journal hands over its events, ``fold`` turns them into the
facts of each client and invoice, and ``assess`` derives what an invoice stands at on a
given day. Facts dated after ``today`` are ignored, and so are voids dated after it, so
replaying with an earlier ``--today`` shows the ledger as it was then.

Rules (domain.md sections 1-4):
- step 1 invoice -> 2 reminder -> 3 phone call -> 4 WIK-letter -> 5 notice of default ->
  6 hand-over; a business debtor skips steps 3-4 when the policy says so.
- Collection costs are owed only where a letter announced them (its ``letter-sent`` event
  records the amount, see ``claims``) and that letter's term has run out: for a consumer a
  WIK-letter, for a business the first letter that named them (a conservative reading of
  art. 6:96 BW). Never more than the letter announced; a partial payment inside its term
  lowers them to the staffel over what is left of the claim's principal (seed 002).
- Payments, in the order they were made: before the costs are owed a payment lowers the
  principal first (so the costs can be recomputed over the rest, seed 002), then pays the
  interest accrued; once the costs are owed, and for every payment under a payment plan,
  art. 6:44 BW: costs, then interest, then principal. What is left over is credit.
- Statutory interest runs from the day after the due date through today, both counted; a
  payment counts as made at the end of its day. A plan agreed with ``waive_interest``
  stops the interest from the plan's day through its last installment.
- An invoice whose principal and owed costs are paid is settled. Interest still accruing on
  an invoice whose principal was paid in full before any costs were owed is not chased
  (documented choice: the debtor paid what the invoice asked before being charged costs).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterable, NamedTuple, Sequence

# Light pure modules (holidays are loaded by deadlines only when a date needs them): imported
# here once rather than inside the helpers, which run once or more per invoice.
from wikcli.rules import agreed
from wikcli.rules import costs as costs_mod
from wikcli.rules import deadlines
from wikcli.rules import interest as interest_mod
from wikcli.ledger.model import BUSINESS, CONSUMER, Client, Policy
from wikcli.rules.money import ZERO, cents, split, to_str

# Event types: the facts the journal holds, one schema each (``events``). A new fact adds a
# type there, never a mutable field.
from wikcli.ledger.events import (  # noqa: E402, F401 (the ledger's users name them process.X)
    BANK_IGNORED, BANK_UNMATCHED, CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, CLOSED, EVENT_TYPES, HANDED_OVER,
    INVOICE_ADDED, LETTER_RENDERED, LETTER_SENT, NOTE, PAUSED, PAYMENT, PLAN, RESUMED, STATEMENT_RENDERED,
    TERMS_AGREED, VOIDED, INVOICE_AMENDED, CLIENT_EMAIL, MAIL_ATTEMPT, MAIL_FAILED, LETTER_BOUNCED,
    LETTER_REGISTERED, DELIVERY_STATUSES, CLIENT_ADDRESS, CREDIT_APPLIED, CREDIT_REFUNDED,
)

# What `wik void` may cancel: the facts a user records by hand and can get wrong.
VOIDABLE = (PAYMENT, NOTE, PLAN, LETTER_SENT)

# Letter kinds, in the order of the steps they belong to.
REMINDER = "reminder"
WIK = "wik"
DEFAULT = "default"
LETTER_KINDS = (REMINDER, WIK, DEFAULT)
LETTER_STEP = {REMINDER: 2, WIK: 4, DEFAULT: 5}
KIND_NAMES = {REMINDER: "reminder", WIK: "WIK-letter", DEFAULT: "notice of default"}
WIK_TERM_DAYS = 14  # art. 6:96 lid 6 BW
# The letters that may announce collection costs: for a consumer only the WIK-letter (art.
# 6:96 lid 6 BW); for a business the first letter that names them.
ANNOUNCING = {CONSUMER: (WIK,), BUSINESS: (WIK, DEFAULT)}

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
# A missed installment is chased with a reminder that names it.
ACTION_LETTER = {SEND_REMINDER: REMINDER, SEND_WIK: WIK, SEND_DEFAULT: DEFAULT, CHASE_INSTALLMENT: REMINDER}

CLOSE_REASONS = ("paid", "credit-note", "written-off", "handed-over", "bankrupt")
# Money can still arrive on these: from the debtor, the agency or the receiver in bankruptcy.
PAYABLE_WHEN_CLOSED = ("written-off", "handed-over", "bankrupt")


@dataclass(frozen=True)
class Payment:
    day: date
    amount: Decimal
    seq: int
    # The invoice whose credit paid this by set-off (``credit-applied``), or "": money received.
    set_off: str = ""


@dataclass(frozen=True)
class Note:
    day: date
    text: str
    promise: date | None
    seq: int


@dataclass(frozen=True)
class LetterSent:
    """A letter recorded as sent on one invoice. A letter about several invoices is one such
    record on each of them, sharing ``letter`` and ``group``.

    ``announced``: this invoice's share (costs, VAT) of the collection costs the letter
    announced, or None when it named none. ``legacy``: recorded before letters kept their
    claim; its term and costs are derived the way they were then."""

    kind: str
    day: date
    via: str
    seq: int
    file: str = ""
    sha256: str = ""
    letter: str = ""
    invoices: tuple[str, ...] = ()
    last_day: date | None = None
    costs_due_from: date | None = None
    announced: tuple[Decimal, Decimal] | None = None
    vat_rate: Decimal = ZERO
    legacy: bool = False
    costs_terms: Any = None  # agreed.AgreedCosts the announced costs follow, or None (the staffel)
    # (InvoiceFacts, LetterSent) of every invoice of the same letter, this one included.
    group: list = field(default_factory=list, compare=False, repr=False)


@dataclass(frozen=True)
class Installment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class Plan:
    day: date
    installments: tuple[Installment, ...]
    seq: int
    waive_interest: bool = False

    @property
    def last_due(self) -> date:
        return self.installments[-1].due

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.installments), ZERO)


Day = date


@dataclass
class InvoiceFacts:
    """Everything the journal says about one invoice, in journal order."""

    number: str
    client: str
    amount: Decimal
    date: Day
    due: Day  # ``Day``: in this class's body ``date`` is the field above, not the type
    description: str
    seq: int
    payments: list[Payment] = field(default_factory=list)
    # What left this invoice's credit: set off against another invoice (``set_off`` names it)
    # or refunded ("").
    credit_out: list[Payment] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    letters: list[LetterSent] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    # (day, kind, data): pauses, resumes, closes and hand-overs in journal order.
    marks: list[tuple[Day, str, dict]] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    # seq of a voided event -> the day of the void
    voided: dict[int, Day] = field(default_factory=dict)
    # (recorded on, agreed.Terms): this invoice's own terms, and the client's (a list shared
    # by all the client's invoices, so terms agreed later reach invoices added earlier).
    terms: list = field(default_factory=list)
    client_terms: list = field(default_factory=list)
    # The agreement the invoice belongs to (``invoice add --agreement``), "" when it names none:
    # what the cumulation rule for a consumer's small instalments groups by (wikcli.cumulation).
    agreement: str = ""
    # A payment reference the invoice itself carried (UBL PaymentID, a CSV column), compacted.
    payment_reference: str = ""

    def is_voided(self, seq: int, today: Day) -> bool:
        day = self.voided.get(seq)
        return day is not None and day <= today

    def live(self, items, today: Day) -> list:
        """``items`` (payments, notes, letters, plans) dated up to ``today`` and not voided then."""
        if not self.voided:
            return [x for x in items if x.day <= today]
        return [x for x in items if x.day <= today and not self.is_voided(x.seq, today)]


@dataclass
class Ledger:
    clients: dict[str, Client] = field(default_factory=dict)
    invoices: dict[str, InvoiceFacts] = field(default_factory=dict)
    forgotten: dict[str, date] = field(default_factory=dict)
    last_seq: int = 0
    # client id -> [(recorded on, Terms)]: the list each of the client's invoices shares
    # (``InvoiceFacts.client_terms``, compared there); a lazily folded ledger makes entries
    # only for the clients whose invoices it folded, so the dict itself is not compared.
    terms: dict[str, list] = field(default_factory=dict, compare=False)
    # Letter id -> the ``group`` its LetterSent records share: what ``extend`` needs to go on.
    groups: dict[str, list] = field(default_factory=dict, repr=False, compare=False)


# The events ``fold`` applies to the ledger as a whole. Every other event changes only the
# invoice it names (``ev.invoice``), and the LetterSent groups of the letter it records: so
# the invoices can be folded apart, each from its own events, which is how a snapshot is
# read (``wikcli.snapshot``). A new event type that changes more belongs here. Agreed terms
# are ledger-wide when they are a client's (no invoice), an invoice's own otherwise.
LEDGER_EVENTS = (CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, TERMS_AGREED, CLIENT_EMAIL, CLIENT_ADDRESS)


def is_ledger_event(ev) -> bool:
    """Whether ``ev`` changes the ledger as a whole rather than one invoice (see LEDGER_EVENTS)."""
    t = ev.type
    return t in LEDGER_EVENTS and (t != TERMS_AGREED or ev.invoice is None)


def _d(text: str) -> date:
    return date.fromisoformat(text)


def letter_key(ev) -> str:
    """The id that joins the letter-sent events of one letter (``LetterSent.letter``)."""
    data = ev.data
    if "invoices" not in data:
        return f"#{ev.seq}"
    return data.get("letter", f"#{ev.seq}")


_ZERO_RATE = Decimal(0)
_new = object.__new__


def _letter_of(kind, day, via, seq, file, sha256, letter, invoices, last_day=None, costs_due_from=None,
               announced=None, vat_rate=_ZERO_RATE, legacy=False, costs_terms=None) -> LetterSent:
    # A ledger holds one of these per letter-sent event (tens of thousands in a large one): the
    # frozen dataclass's __init__ sets each of its fourteen fields through object.__setattr__,
    # more than half the cost of folding; filling the instance's dict directly makes the same
    # object, field for field.
    obj = _new(LetterSent)
    obj.__dict__.update(kind=kind, day=day, via=via, seq=seq, file=file, sha256=sha256, letter=letter,
                        invoices=invoices, last_day=last_day, costs_due_from=costs_due_from,
                        announced=announced, vat_rate=vat_rate, legacy=legacy, costs_terms=costs_terms,
                        group=[])
    return obj


def _letter(ev, data: dict) -> LetterSent:
    day = _d(data["date"])
    get = data.get
    if "invoices" not in data:
        return _letter_of(data["kind"], day, get("via", "post"), ev.seq, get("file", ""), get("sha256", ""),
                          letter_key(ev), (ev.invoice,), legacy=True)
    ann = get("announces")
    claim = get("claim") or {}
    announced_claim = claim.get("costs_announced") or {}
    terms = announced_claim.get("terms")
    rate = announced_claim.get("vat_rate")
    return _letter_of(
        data["kind"], day, get("via", "post"), ev.seq, get("file", ""), get("sha256", ""),
        get("letter", f"#{ev.seq}"), tuple(data["invoices"]), _d(data["last_day"]), _d(data["costs_due_from"]),
        None if not ann else (Decimal(ann["costs"]), Decimal(ann["vat"])),
        _ZERO_RATE if rate is None else Decimal(rate),
        False, None if not terms else agreed.AgreedCosts.from_json(terms))


def _terms(ev, data: dict):
    i, c = data.get("interest"), data.get("costs")
    return agreed.Terms(start=_d(data["from"]), clause=data.get("clause", ""), seq=ev.seq, invoice=ev.invoice,
                        interest=None if not i else agreed.AgreedInterest.from_json(i),
                        costs=None if not c else agreed.AgreedCosts.from_json(c))


def terms_for(inv: InvoiceFacts, client: Client, today: date):
    """The agreed terms (``agreed.Terms``) that govern the invoice as known on ``today``, or
    None: never for a consumer, whose staffel and statutory rate are mandatory."""
    if client.type != BUSINESS or not (inv.terms or inv.client_terms):
        return None
    known = [t for day, t in inv.client_terms + inv.terms if day <= today]
    return agreed.in_force(known, inv.number, inv.date)


def interest_basis(terms) -> interest_mod.Basis | None:
    if terms is None or terms.interest is None:
        return None
    i = terms.interest
    return interest_mod.Basis(rate=i.rate, surcharge=i.surcharge, compounding=i.compounding)


def fold(events: Iterable[Any]) -> Ledger:
    """Replay journal events (objects with seq, type, invoice, data) into a Ledger."""
    return extend(Ledger(), events)


def extend(ledger: Ledger, events: Iterable[Any]) -> Ledger:
    """Go on folding: the events that follow those ``ledger`` was folded from, applied to it
    in place. ``extend(fold(a), b)`` is ``fold(a + b)``."""
    clients = ledger.clients
    invoices = ledger.invoices
    groups = ledger.groups
    seq = ledger.last_seq
    for ev in events:
        seq = ev.seq
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
        if t == CLIENT_IBAN:
            old = clients.get(data["id"])
            iban = data.get("iban")
            if old is not None and iban and data["id"] not in ledger.forgotten and iban not in old.ibans:
                clients[data["id"]] = replace(old, ibans=old.ibans + (iban,))
            continue
        if t == CLIENT_EMAIL:
            old = clients.get(data["id"])
            if old is not None and data["id"] not in ledger.forgotten:
                clients[data["id"]] = replace(old, email=data.get("email") or old.email,
                                              email_source=data.get("source", ""),
                                              email_given=data.get("given", ""),
                                              email_letters=bool(data.get("letters")))
            continue
        if t == CLIENT_ADDRESS:
            old = clients.get(data["id"])
            if old is not None and data["id"] not in ledger.forgotten:
                clients[data["id"]] = replace(old, address=data["address"], postcode=data["postcode"],
                                              city=data["city"], country=data["country"])
            continue
        if t == INVOICE_ADDED:
            invoices[ev.invoice] = InvoiceFacts(
                number=ev.invoice, client=data["client"], amount=Decimal(data["amount"]),
                date=_d(data["date"]), due=_d(data["due"]),
                description=data.get("description", ""), seq=ev.seq, events=[ev],
                client_terms=ledger.terms.setdefault(data["client"], []),
                agreement=data.get("agreement", ""), payment_reference=data.get("reference", ""))
            continue
        if t == TERMS_AGREED and ev.invoice is None:
            ledger.terms.setdefault(data["client"], []).append((_d(data["date"]), _terms(ev, data)))
            continue
        inv = invoices.get(ev.invoice)
        if inv is None:
            continue  # the journal validated references when the event was written
        inv.events.append(ev)
        if t == PAYMENT:
            inv.payments.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq))
        elif t == CREDIT_APPLIED:
            # One event per side; a credit set off against what its own invoice still owes
            # (costs owed after it was paid) is one event that is both.
            if ev.invoice == data["to"]:
                inv.payments.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq, data["from"]))
            if ev.invoice == data["from"]:
                inv.credit_out.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq, data["to"]))
        elif t == CREDIT_REFUNDED:
            inv.credit_out.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq))
        elif t == NOTE:
            promise = data.get("promise")
            inv.notes.append(Note(_d(data["date"]), data.get("text", ""),
                                  _d(promise) if promise else None, ev.seq))
        elif t == LETTER_SENT:
            letter = _letter(ev, data)
            group = groups.setdefault(letter.letter, letter.group)
            group.append((inv, letter))
            if group is not letter.group:
                object.__setattr__(letter, "group", group)
            inv.letters.append(letter)
        elif t == PLAN:
            inv.plans.append(Plan(_d(data["date"]), tuple(
                Installment(_d(i["due"]), Decimal(i["amount"])) for i in data["installments"]), ev.seq,
                waive_interest=data.get("interest") == "waived"))
        elif t == VOIDED:
            inv.voided[data["seq"]] = _d(data["date"])
        elif t == LETTER_BOUNCED:
            # Not received: the letter counts as not sent, from its own date on.
            inv.voided.setdefault(data["seq"], _d(data["letter_date"]))
        elif t == TERMS_AGREED:
            inv.terms.append((_d(data["date"]), _terms(ev, data)))
        elif t in (PAUSED, RESUMED, CLOSED, HANDED_OVER):
            inv.marks.append((_d(data["date"]), t, data))
        elif t == INVOICE_AMENDED:
            _amended(ledger, inv, data["changes"])
    ledger.last_seq = seq
    return ledger


def _amended(ledger: Ledger, inv: InvoiceFacts, changes: dict) -> None:
    if "amount" in changes:
        inv.amount = Decimal(changes["amount"]["new"])
    if "date" in changes:
        inv.date = _d(changes["date"]["new"])
    if "due" in changes:
        inv.due = _d(changes["due"]["new"])
    if "client" in changes:
        inv.client = changes["client"]["new"]
        inv.client_terms = ledger.terms.setdefault(inv.client, [])


def find_event(inv: InvoiceFacts, seq: int):
    for ev in inv.events:
        if ev.seq == seq:
            return ev
    return None


# --- letters and their terms ---------------------------------------------------------------


def pending_mail(inv: InvoiceFacts, kind: str) -> dict | None:
    """The data of the invoice's last ``mail-attempt`` of a letter of ``kind`` whose outcome is
    unknown (no ``letter-sent`` of that kind after it, no ``mail-failed`` of its Message-ID),
    or None. A later attempt (``--resend``) stands for the earlier ones."""
    last = None
    for ev in inv.events:
        t = ev.type
        if t == MAIL_ATTEMPT and ev.data.get("kind") == kind:
            last = ev
        elif last is not None and t == LETTER_SENT and ev.data.get("kind") == kind and ev.seq > last.seq:
            last = None
        elif last is not None and t == MAIL_FAILED and ev.data.get("message_id") == last.data.get("message_id"):
            last = None
    return None if last is None else last.data


def term_days(kind: str, policy: Policy) -> int:
    return {REMINDER: policy.reminder_term_days, WIK: WIK_TERM_DAYS,
            DEFAULT: policy.default_term_days}[kind]


def postal_days(policy: Policy, client: Client, via: str) -> int | None:
    """How many delivery days wik assumes for a letter to ``client``: the policy's margin for
    an address abroad, its override for the Netherlands, else None (the norm by posting date)."""
    if via != deadlines.POST:
        return None
    if (client.country or "NL").upper() != "NL":
        return policy.postal_delivery_days_abroad
    return policy.postal_delivery_days


@lru_cache(maxsize=4096)
def _term(day: date, via: str, days: int, delivery_days: int | None):
    # A ledger sends many letters on the same days: the term (a walk over holidays) is a pure
    # function of these values and its result is frozen, so it is shared.
    if delivery_days is None:
        return deadlines.term(day, via, days)
    return deadlines.term(day, via, days, delivery_days=delivery_days)


def letter_term(kind: str, day: date, via: str, policy: Policy, client: Client):
    """The term a letter of ``kind`` sent on ``day`` gives ``client`` under ``policy``."""
    return _term(day, via, term_days(kind, policy), postal_days(policy, client, via))


def letter_dates(letter: LetterSent, policy: Policy, client: Client) -> tuple[date, date]:
    """(last day of the term, first day after it): as the letter printed them, or, for a
    letter recorded before letters kept them, as the rules give them."""
    if letter.last_day is not None and letter.costs_due_from is not None:
        return letter.last_day, letter.costs_due_from
    t = letter_term(letter.kind, letter.day, letter.via, policy, client)
    return t.last_day, t.costs_due_from


def announcing_letter(inv: InvoiceFacts, debtor: str, today: date) -> LetterSent | None:
    """The live letter that announced this invoice's collection costs, or None."""
    for letter in sorted(inv.live(inv.letters, today), key=lambda x: (x.day, x.seq)):
        if letter.legacy:
            if letter.kind in ANNOUNCING.get(debtor, ()):
                return letter
        elif letter.announced is not None:
            return letter
    return None


# --- amounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
    """How one payment was applied (art. 6:44 BW, see the module's rules)."""

    seq: int
    day: date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    credit: Decimal
    set_off: str = ""  # the invoice whose credit paid this (no money received), or ""

    def to_json(self) -> dict:
        out = {"seq": self.seq, "date": self.day.isoformat(), "amount": to_str(self.amount),
               "costs": to_str(self.costs), "interest": to_str(self.interest),
               "principal": to_str(self.principal), "credit": to_str(self.credit)}
        if self.set_off:
            out["set_off_from"] = self.set_off
        return out


@dataclass(frozen=True)
class Standing:
    """What is owed on an invoice on a given day."""

    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    costs: Decimal  # open when owed, else what is announced (or a WIK-letter would announce now); incl. VAT
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
    costs_charged: Decimal = ZERO  # once owed: this invoice's costs incl. VAT (announced, or lowered)
    costs_paid: Decimal = ZERO
    interest_accrued: Decimal = ZERO  # through today; ``interest`` + ``interest_paid`` when computed
    announced_by: LetterSent | None = None
    allocations: tuple[Allocation, ...] = ()
    terms: Any = None  # the agreed.Terms that govern the invoice, or None (the statutory rules)

    def columns(self) -> dict:
        """The costs and interest as a letter's or a statement's table shows them: charged,
        paid and open (costs charged only once owed; before, what is announced is no debt)."""
        owed = self.costs_owed
        return {"costs_charged": self.costs_charged if owed else ZERO, "costs_vat": self.costs_vat if owed else ZERO,
                "costs_paid": self.costs_paid, "costs_open": self.costs_open,
                "interest_accrued": self.interest_accrued, "interest_paid": self.interest_paid,
                "interest_open": self.interest}


def interest_kind(debtor: str) -> str:
    return "commercial" if debtor == BUSINESS else "consumer"


def _staffel(principal_open: Decimal, debtor: str, vat: bool):
    return costs_mod.compute(principal_open, vat=vat, debtor=debtor)


def announce_costs(principal: Decimal, debtor: str, vat_deductible: bool, terms=None):
    """The costs a letter would announce over ``principal``: what the terms agreed, else the
    staffel (VAT added when the creditor cannot deduct it)."""
    if terms is not None and terms.costs is not None:
        return costs_mod.compute(principal, vat=not vat_deductible, debtor=debtor, terms=terms.costs,
                                 clause=terms.clause)
    return _staffel(principal, debtor, not vat_deductible)


def _waived(plans: Sequence[Plan]) -> tuple[tuple[date, date], ...]:
    """The day ranges in which live plans waived the interest: from each plan's day through
    its last installment, cut short where a later plan takes over."""
    out = []
    for i, plan in enumerate(plans):
        if not plan.waive_interest:
            continue
        end = plan.last_due
        if i + 1 < len(plans):
            end = min(end, plans[i + 1].day - timedelta(days=1))
        if end >= plan.day:
            out.append((plan.day, end))
    return tuple(out)


@dataclass
class _Walk:
    """The running state of an invoice's payments (see ``_allocate``)."""

    principal_open: Decimal
    paid: Decimal = ZERO
    costs_charged: Decimal | None = None  # None until the costs are fixed (owed)
    costs_open: Decimal = ZERO
    interest_paid: Decimal = ZERO
    credit: Decimal = ZERO
    reductions: list = field(default_factory=list)
    allocations: list = field(default_factory=list)


def _interest(inv: InvoiceFacts, kind: str, through: date, reductions, waived,
              breakdown: bool = False, basis: interest_mod.Basis | None = None):
    """Interest accrued through ``through``: (amount, warnings) or, with ``breakdown``, the
    interest.Interest; None / (0, ()) before the first day of default."""
    start = max(inv.due + timedelta(days=1), interest_mod.EARLIEST)
    if through < start:
        return None if breakdown else (ZERO, ())
    cuts = [r for r in reductions if r[0] <= through and r[1] > 0]
    if breakdown:
        return interest_mod.compute(inv.amount, start, through, kind, reductions=cuts, waived=waived,
                                    basis=basis)
    # The figure and the warnings only: the breakdown objects are what costs time per invoice.
    return interest_mod.total(inv.amount, start, through, kind, reductions=cuts, waived=waived, basis=basis)


def _allocate(inv: InvoiceFacts, kind: str, today: date, through: date, *,
              costs_from: date | None = None, fix_costs=None, plans: Sequence[Plan] = (),
              waived=(), basis: interest_mod.Basis | None = None) -> _Walk:
    """Apply the live payments dated up to ``through`` in the order they were made.

    ``fix_costs()`` gives this invoice's costs (incl. VAT) once they are owed, from
    ``costs_from`` on; the first payment on or after that day, or the end of the walk, fixes
    them. Before that, a payment lowers the principal first (the costs of a running WIK-letter
    are recomputed over what is left, seed 002), then pays interest; once they are owed, and
    under a payment plan, art. 6:44 BW: costs, interest, principal."""
    w = _Walk(principal_open=inv.amount)
    payments = inv.live(inv.payments, today)
    if not payments:
        return w
    payments.sort(key=lambda p: (p.day, p.seq))
    plan_days = [p.day for p in plans]

    def accrued(day: date) -> Decimal:
        return _interest(inv, kind, day, w.reductions, waived, basis=basis)[0]

    for p in payments:
        if p.day > through:
            break
        w.paid += p.amount
        rest = p.amount
        to_costs = to_interest = to_principal = ZERO
        owed = costs_from is not None and p.day >= costs_from
        if owed and w.costs_charged is None:
            w.costs_charged = fix_costs()
            w.costs_open = w.costs_charged
        if owed or any(d <= p.day for d in plan_days):
            to_costs = min(rest, w.costs_open)
            rest -= to_costs
            if rest > 0:
                to_interest = min(rest, max(accrued(p.day) - w.interest_paid, ZERO))
                rest -= to_interest
            to_principal = min(rest, w.principal_open)
            rest -= to_principal
        else:
            to_principal = min(rest, w.principal_open)
            rest -= to_principal
            if rest > 0:
                to_interest = min(rest, max(accrued(p.day) - w.interest_paid, ZERO))
                rest -= to_interest
        w.costs_open -= to_costs
        w.interest_paid += to_interest
        w.principal_open -= to_principal
        if to_principal > 0:
            w.reductions.append((p.day + timedelta(days=1), to_principal))
        w.credit += rest
        w.allocations.append(Allocation(p.seq, p.day, p.amount, to_costs, to_interest, to_principal, rest,
                                        p.set_off))
    return w


def principal_open_on(inv: InvoiceFacts, client: Client, day: date, today: date) -> Decimal:
    """The principal left after the payments made through ``day`` (as known on ``today``),
    before any costs are owed: what a letter's costs are computed over."""
    plans = inv.live(inv.plans, today)
    return _allocate(inv, interest_kind(client.type), today, day, plans=plans, waived=_waived(plans),
                     basis=interest_basis(terms_for(inv, client, today))).principal_open


def owed_costs(letter: LetterSent, inv: InvoiceFacts, debtor: str, vat_deductible: bool,
               policy: Policy, client: Client, today: date, through: date | None = None):
    """(costs.Costs over the claim, this invoice's costs, its VAT) that ``letter`` makes owed,
    given the payments made through ``through`` (default: the last day of its term).

    The letter announced the staffel over its invoices' principal; a payment inside the term
    lowers it to the staffel over what is left (seed 002), never above what was announced."""
    last_day, _ = letter_dates(letter, policy, client)
    through = last_day if through is None else min(through, last_day)
    if letter.legacy:
        # Recorded before letters kept their claim: the staffel over what was open when the
        # term ran out, with today's VAT setting (the rule of that time).
        base = principal_open_on(inv, client, through, today)
        if base <= 0:
            return None, ZERO, ZERO
        c = _staffel(base, debtor, not vat_deductible)
        return c, c.costs, c.vat
    # The invoice itself is ``inv`` (which may be a trial copy, as a plan's projection makes).
    members = [(inv if i.number == inv.number else i, x) for i, x in letter.group
               if x.announced is not None and not i.is_voided(x.seq, today)]
    remaining = [principal_open_on(i, client, through, today) for i, _ in members]
    base = sum(remaining, ZERO)
    if base <= 0:
        return None, ZERO, ZERO
    announced_costs = sum((x.announced[0] for _, x in members), ZERO)
    announced_vat = sum((x.announced[1] for _, x in members), ZERO)
    if letter.costs_terms is not None:
        # Agreed costs: the same agreed formula over what is left (recorded with the letter).
        c = costs_mod.compute(base, vat=letter.vat_rate > 0, debtor=debtor, terms=letter.costs_terms)
    else:
        c = _staffel(base, debtor, letter.vat_rate > 0)
    total_costs = min(c.costs, announced_costs)
    total_vat = min(cents(total_costs * letter.vat_rate), announced_vat)
    index = next(k for k, (i, _) in enumerate(members) if i is inv)
    # The costs are the claim's, not each invoice's: the staffel over what is left of the
    # whole claim, never above what the letter announced for the whole claim, shared over the
    # invoices by what is left of each. An invoice left alone after the others were paid in
    # the term carries the staffel over itself, which may exceed its share of the announcement
    # (issue figures: 2.000,00 left of 3.000,00 gives 300,00 + 63,00 VAT, not its 342,83 share
    # of 425,00 + 89,25, nor less).
    costs_share = split(total_costs, remaining)[index]
    vat_share = split(total_vat, remaining)[index]
    return c, costs_share, vat_share


def standing(inv: InvoiceFacts, client: Client, policy: Policy, vat_deductible: bool,
             today: date, *, with_interest: bool = True, breakdown: bool = False) -> Standing:
    """``with_interest=False`` skips the interest still open today (0.00 in the result) for
    callers that only need the principal and costs: it is the costly part with many payments.
    ``breakdown=True`` also keeps the interest periods in ``interest_calc`` for a caller that
    shows them (the dossier); the amounts and warnings are the same either way."""
    debtor = client.type
    kind = interest_kind(debtor)
    ann = announcing_letter(inv, debtor, today) if inv.letters else None
    costs_from = letter_dates(ann, policy, client)[1] if ann is not None else None
    plans = inv.live(inv.plans, today) if inv.plans else []
    waived = _waived(plans)
    terms = terms_for(inv, client, today)
    basis = interest_basis(terms)
    fixed: list = []

    def fix_costs() -> Decimal:
        fixed.append(owed_costs(ann, inv, debtor, vat_deductible, policy, client, today))
        return fixed[0][1] + fixed[0][2]

    w = _allocate(inv, kind, today, today, costs_from=costs_from, fix_costs=fix_costs, plans=plans,
                  waived=waived, basis=basis)
    if costs_from is not None and today >= costs_from and w.costs_charged is None:
        w.costs_charged = w.costs_open = fix_costs()
    owed = w.costs_charged is not None
    if owed:
        calc, _, vat = fixed[0]
        shown = w.costs_open
    elif ann is not None:
        # Announced, term running: what it will be if nothing more is paid.
        calc, c, vat = owed_costs(ann, inv, debtor, vat_deductible, policy, client, today, through=today)
        shown = c + vat
    elif w.principal_open > 0:
        calc = announce_costs(w.principal_open, debtor, vat_deductible, terms)
        shown, vat = calc.costs_incl_vat, calc.vat
    else:
        calc, shown, vat = None, ZERO, ZERO
    settled = w.principal_open == 0 and w.costs_open == 0
    interest_calc = None
    warnings: tuple[str, ...] = ()
    accrued = ZERO
    interest_open = ZERO
    if not settled and with_interest:
        if breakdown:
            interest_calc = _interest(inv, kind, today, w.reductions, waived, breakdown=True, basis=basis)
            accrued = ZERO if interest_calc is None else interest_calc.interest
            warnings = () if interest_calc is None else interest_calc.warnings
        else:
            accrued, warnings = _interest(inv, kind, today, w.reductions, waived, basis=basis)
        interest_open = max(accrued - w.interest_paid, ZERO)
    charged = w.costs_charged or ZERO
    return Standing(
        principal=inv.amount, paid=w.paid, principal_open=w.principal_open, costs=shown, costs_vat=vat,
        costs_owed=owed, costs_due_from=costs_from, costs_open=w.costs_open, interest=interest_open,
        interest_kind=kind, total_due=w.principal_open + w.costs_open + interest_open,
        credit=w.credit - sum((x.amount for x in inv.credit_out if x.day <= today), ZERO) if inv.credit_out else w.credit,
        settled=settled, costs_calc=calc, interest_calc=interest_calc, interest_paid=w.interest_paid,
        warnings=warnings, costs_charged=charged, costs_paid=charged - w.costs_open,
        interest_accrued=max(accrued, w.interest_paid) if with_interest and not settled else w.interest_paid,
        announced_by=ann, allocations=tuple(w.allocations), terms=terms)


def amount_due(inv: InvoiceFacts, client: Client, policy: Policy, vat_deductible: bool,
               day: date) -> Decimal:
    """What a payment on ``day`` may settle at most: everything open on that day."""
    return standing(inv, client, policy, vat_deductible, day).total_due


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


def assess(inv: InvoiceFacts, client: Client, policy: Policy, vat_deductible: bool,
           today: date, *, with_interest: bool = True, breakdown: bool = False) -> Assessment:
    debtor = client.type
    st = standing(inv, client, policy, vat_deductible, today, with_interest=with_interest,
                  breakdown=breakdown)
    letters = sorted(inv.live(inv.letters, today), key=lambda x: (x.day, x.seq))
    notes = inv.live(inv.notes, today)

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
    plan = plan_in_force(inv, today, letters)
    behind = ZERO

    def after(letter: LetterSent) -> date:
        return letter_dates(letter, policy, client)[1]

    if closed is not None or paused is not None or step == 6:
        pass
    elif plan is not None and not st.settled:
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
        if action == NONE:
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
            assert due is not None  # every installment's chase has a day
            due = max(due, after(chasers[-1]))
            if chased_this and due <= today:
                announced = st.announced_by is not None
                action = SEND_DEFAULT if announced or skips else SEND_WIK
    else:
        if step == 1:
            action, due = SEND_REMINDER, _next_day(inv.due)
        elif step == 2:
            action, due = (SEND_DEFAULT if skips else CALL_CLIENT), after(last_letter)
        elif step == 3:
            call = max((n for n in notes if n.day >= last_letter.day), key=lambda n: (n.day, n.seq))
            action, due = (SEND_DEFAULT if skips else SEND_WIK), call.day
        elif step == 4:
            action, due = SEND_DEFAULT, after(last_letter)
        elif step == 5:
            action, due = HAND_OVER, after(last_letter)
        if promise is not None and due is not None:
            due = max(due, _next_day(promise))

    overdue = (today - due).days if due is not None and today > due else 0
    return Assessment(
        invoice=inv.number, client=inv.client, debtor=debtor, standing=st, step=step,
        next_action=action, action_due=due, overdue_days=overdue, closed=closed, paused=paused,
        missed_installment=missed, promise=promise, handed_over=handed_over, plan=plan,
        installments_open=behind)


def assess_all(ledger: Ledger, policy: Policy, vat_deductible: bool, today: date, *,
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
        a = assess(inv, ledger.clients[inv.client], policy, vat_deductible, today, breakdown=breakdown)
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


# --- payment plans -------------------------------------------------------------------------


def split_installments(total: Decimal, n: int, first: date, every: str | int) -> tuple[Installment, ...]:
    """``n`` installments of equal cents (the last takes the remainder) from ``first`` on."""
    base = cents(total / n)
    amounts = [base] * (n - 1) + [total - base * (n - 1)]
    return tuple(Installment(d, a) for d, a in zip(installment_days(n, first, every), amounts))


def installment_days(n: int, first: date, every: str | int) -> list[date]:
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
    return days


def plan_installments(inv: InvoiceFacts, client: Client, policy: Policy, vat_deductible: bool,
                      day: date, n: int, first: date, every: str | int, *,
                      waive_interest: bool) -> tuple[Installment, ...]:
    """Installments that settle everything open if each is paid on its due date.

    Waived: what is open on ``day`` (the interest stops from the plan's day). Otherwise the
    interest that accrues until each installment is in them: found by paying a trial plan on
    paper and moving what is left (or overpaid) into it, until the last installment leaves
    exactly nothing open. Payments under a plan go to costs, interest, principal."""
    days = installment_days(n, first, every)

    def trial(parts: tuple[Installment, ...]) -> Standing:
        # The invoice as it would stand on the last due date, every installment paid on time.
        facts = InvoiceFacts(inv.number, inv.client, inv.amount, inv.date, inv.due, inv.description,
                             inv.seq, payments=list(inv.payments), notes=list(inv.notes),
                             letters=list(inv.letters), plans=list(inv.plans) + [Plan(day, parts, -1, waive_interest)],
                             marks=list(inv.marks), events=list(inv.events), voided=dict(inv.voided))
        facts.payments += [Payment(i.due, i.amount, -2 - k) for k, i in enumerate(parts)]
        return standing(facts, client, policy, vat_deductible, max(days[-1], day))

    total = amount_due(inv, client, policy, vat_deductible, day)
    parts = split_installments(total, n, first, every)
    for _ in range(6):
        s = trial(parts)
        gap = s.total_due - s.credit
        if gap == 0:
            return parts
        total += gap
        parts = split_installments(total, n, first, every)
    # The last installment is paid at the end of the last day: what it settles no longer
    # changes the interest, so moving the rest into it leaves exactly nothing open.
    s = trial(parts)
    last = parts[-1]
    return parts[:-1] + (Installment(last.due, last.amount + s.total_due - s.credit),)


def _clamp_day(y: int, m: int, d: int) -> date:
    import calendar

    return date(y, m, min(d, calendar.monthrange(y, m)[1]))

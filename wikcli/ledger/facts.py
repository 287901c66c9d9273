"""The facts the journal holds about clients and invoices, folded from its events.

Pure: no I/O and no clock. ``fold`` replays journal events (objects with seq, type, invoice and
data, checked against ``events``) into a ``Ledger``: clients, and per invoice its payments, notes,
letters, plans, marks and voids, in journal order. ``extend`` goes on folding from where a
ledger was left (the snapshot reads it so). The words of the process (letter kinds, steps,
actions, close reasons) are named here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

# Light pure modules (holidays are loaded by deadlines only when a date needs them): imported
# here once rather than inside the helpers, which run once or more per invoice.
from wikcli.rules import agreed
from wikcli.rules import interest as interest_mod
from wikcli.ledger.model import BUSINESS, CONSUMER, Client
from wikcli.rules.money import ZERO

from wikcli.ledger.events import (
    CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, CLOSED, HANDED_OVER,
    INVOICE_ADDED, LETTER_SENT, NOTE, PAUSED, PAYMENT, PLAN, RESUMED, TERMS_AGREED, VOIDED, INVOICE_AMENDED, CLIENT_EMAIL, MAIL_ATTEMPT, MAIL_FAILED, LETTER_BOUNCED,
    CLIENT_ADDRESS, CREDIT_APPLIED, CREDIT_REFUNDED, BANK_UNMATCHED, BANK_IGNORED,
)



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
    # The bank's events in journal order (``is_bank_event``): payments from a statement, credits
    # kept for review or ignored. What the bank knows (``bank/history.py``) is derived from
    # them alone, so a bank command reads no other event; a snapshot carries them whole.
    bank: list = field(default_factory=list, repr=False)


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


def is_bank_event(ev) -> bool:
    """Whether ``ev`` is one of ``Ledger.bank``: a payment that carries a bank transaction,
    a credit kept for review (``bank-unmatched``) or ignored (``bank-ignored``)."""
    t = ev.type
    return t == BANK_UNMATCHED or t == BANK_IGNORED or (t == PAYMENT and bool(ev.data.get("bank")))


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
        if t == BANK_UNMATCHED or t == BANK_IGNORED:
            ledger.bank.append(ev)
            continue
        inv = invoices.get(ev.invoice)
        if inv is None:
            continue  # the journal validated references when the event was written
        inv.events.append(ev)
        if t == PAYMENT:
            inv.payments.append(Payment(_d(data["date"]), Decimal(data["amount"]), ev.seq))
            if "bank" in data and data["bank"]:
                ledger.bank.append(ev)
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

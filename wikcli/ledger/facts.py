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
from typing import Any
from collections.abc import Callable, Iterable

# Light pure modules (holidays are loaded by deadlines only when a date needs them): imported
# here once rather than inside the helpers, which run once or more per invoice.
from wikcli.rules import agreed
from wikcli.rules.dates import Day
from wikcli.rules import interest
from wikcli.ledger.model import BUSINESS, CONSUMER, Client
from wikcli.rules.money import ZERO

from wikcli.ledger.events import (
    CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, CLOSED, HANDED_OVER,
    INVOICE_ADDED, LETTER_SENT, NOTE, PAUSED, PAYMENT, PLAN, RESUMED, TERMS_AGREED, VOIDED, INVOICE_AMENDED, CLIENT_EMAIL, MAIL_ATTEMPT, MAIL_FAILED, LETTER_BOUNCED,
    CLIENT_ADDRESS, CREDIT_APPLIED, CREDIT_REFUNDED, BANK_UNMATCHED, BANK_IGNORED,
    ClientAddedData, ClientAddressData, ClientEmailData, ClientForgottenData, ClientIbanData, ClosedData,
    CreditAppliedData, CreditRefundedData, HandedOverData, InvoiceAddedData, InvoiceAmendedData, LetterBouncedData,
    LetterSentData, MailAttemptData, MailFailedData, NoteData, PausedData, PaymentData, PlanData, ResumedData,
    TermsAgreedData, VoidedData,
)

# The payload of a mark: a pause, a resume, a close or a hand-over.
Mark = PausedData | ResumedData | ClosedData | HandedOverData



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
    # (day, kind, payload): pauses, resumes, closes and hand-overs in journal order.
    marks: list[tuple[Day, str, Mark]] = field(default_factory=list)
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
    return t == BANK_UNMATCHED or t == BANK_IGNORED or (t == PAYMENT and bool(PaymentData.load(ev.data).bank))


def letter_key(ev) -> str:
    """The id that joins the letter-sent events of one letter (``LetterSent.letter``)."""
    p = LetterSentData.load(ev.data)
    return f"#{ev.seq}" if p.legacy or p.letter is None else p.letter


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


def _letter(seq: int, invoice: str, p: LetterSentData) -> LetterSent:
    if p.invoices is None:
        return _letter_of(p.kind, p.day, p.via, seq, p.file or "", p.sha256 or "", f"#{seq}", (invoice,),
                          legacy=True)
    ann = p.announces
    claim = p.claim
    announced_claim = None if claim is None else claim.costs_announced
    terms = None if announced_claim is None else announced_claim.terms
    rate = None if announced_claim is None else announced_claim.vat_rate
    return _letter_of(
        p.kind, p.day, p.via, seq, p.file or "", p.sha256 or "", f"#{seq}" if p.letter is None else p.letter, p.invoices, p.last_day,
        p.costs_due_from, None if ann is None else (ann.costs, ann.vat),
        _ZERO_RATE if rate is None else rate,
        False, None if not terms else agreed.AgreedCosts.from_json(terms))


def _terms(seq: int, invoice: str | None, p: TermsAgreedData) -> agreed.Terms:
    i, c = p.interest, p.costs
    return agreed.Terms(start=p.start, clause=p.clause or "", seq=seq, invoice=invoice,
                        interest=None if not i else agreed.AgreedInterest.from_json(i),
                        costs=None if not c else agreed.AgreedCosts.from_json(c))


def terms_for(inv: InvoiceFacts, client: Client, today: date):
    """The agreed terms (``agreed.Terms``) that govern the invoice as known on ``today``, or
    None: never for a consumer, whose staffel and statutory rate are mandatory."""
    if client.type != BUSINESS or not (inv.terms or inv.client_terms):
        return None
    known = [t for day, t in inv.client_terms + inv.terms if day <= today]
    return agreed.in_force(known, inv.number, inv.date)


def interest_basis(terms) -> interest.Basis | None:
    if terms is None or terms.interest is None:
        return None
    i = terms.interest
    return interest.Basis(rate=i.rate, surcharge=i.surcharge, compounding=i.compounding)


def fold(events: Iterable[Any]) -> Ledger:
    """Replay journal events (objects with seq, type, invoice, data) into a Ledger."""
    return extend(Ledger(), events)


def extend(ledger: Ledger, events: Iterable[Any]) -> Ledger:
    """Go on folding: the events that follow those ``ledger`` was folded from, applied to it
    in place. ``extend(fold(a), b)`` is ``fold(a + b)``. Each event's data is read once, into
    its payload type (``ledger.events``): the journal checked it when it read the line."""
    invoices = ledger.invoices
    seq = ledger.last_seq
    load_note, load_payment = NoteData.load, PaymentData.load
    for ev in events:
        seq = ev.seq
        t = ev.type
        if t in _CLIENT_EVENTS:
            _client_event(ledger, t, ev.data)
            continue
        if t == INVOICE_ADDED:
            p = InvoiceAddedData.load(ev.data)
            invoices[ev.invoice] = InvoiceFacts(
                number=ev.invoice, client=p.client, amount=p.amount, date=p.day, due=p.due,
                description=p.description, seq=seq, events=[ev],
                client_terms=ledger.terms.setdefault(p.client, []),
                agreement=p.agreement or "", payment_reference=p.reference or "")
            continue
        if t == TERMS_AGREED and ev.invoice is None:
            terms = TermsAgreedData.load(ev.data)
            ledger.terms.setdefault(terms.client, []).append((terms.day, _terms(seq, None, terms)))
            continue
        if t == BANK_UNMATCHED or t == BANK_IGNORED:
            ledger.bank.append(ev)
            continue
        inv = invoices.get(ev.invoice)
        if inv is None:
            continue  # the journal validated references when the event was written
        inv.events.append(ev)
        # the three types of most events, inline: a large journal is mostly letters and notes
        if t == LETTER_SENT:
            _letter_sent(ledger, inv, seq, ev.data)
        elif t == NOTE:
            n = load_note(ev.data)
            inv.notes.append(Note(n.day, n.text, n.promise, seq))
        elif t == PAYMENT:
            paid = load_payment(ev.data)
            inv.payments.append(Payment(paid.day, paid.amount, seq))
            if paid.bank:
                ledger.bank.append(ev)
        else:
            fold_one = _INVOICE_EVENTS.get(t)
            if fold_one is not None:
                fold_one(ledger, inv, seq, ev.data)
    ledger.last_seq = seq
    return ledger


_CLIENT_EVENTS = frozenset((CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, CLIENT_EMAIL, CLIENT_ADDRESS))


def _client_event(ledger: Ledger, t: str, data: dict) -> None:
    clients = ledger.clients
    if t == CLIENT_ADDED:
        c = ClientAddedData.load(data)
        clients[c.id] = Client(id=c.id, name=c.name, type=c.type, address=c.address, postcode=c.postcode,
                               city=c.city, country=c.country, email=c.email, lang=c.lang,
                               external_id=c.external_id or "")
        return
    if t == CLIENT_FORGOTTEN:
        f = ClientForgottenData.load(data)
        old = clients.get(f.id)
        if old is not None:
            clients[f.id] = Client(id=old.id, name="(forgotten)", type=old.type, country="", lang=old.lang)
        ledger.forgotten[f.id] = f.day
        return
    if t == CLIENT_IBAN:
        i = ClientIbanData.load(data)
        old = clients.get(i.id)
        if old is not None and i.iban and i.id not in ledger.forgotten and i.iban not in old.ibans:
            clients[i.id] = replace(old, ibans=old.ibans + (i.iban,))
        return
    if t == CLIENT_EMAIL:
        e = ClientEmailData.load(data)
        old = clients.get(e.id)
        if old is not None and e.id not in ledger.forgotten:
            clients[e.id] = replace(old, email=e.email or old.email, email_source=e.source,
                                    email_given=e.given, email_letters=e.letters)
        return
    a = ClientAddressData.load(data)
    old = clients.get(a.id)
    if old is not None and a.id not in ledger.forgotten:
        clients[a.id] = replace(old, address=a.address, postcode=a.postcode, city=a.city, country=a.country)


def _payment(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    p = PaymentData.load(data)
    inv.payments.append(Payment(p.day, p.amount, seq))


def _credit_applied(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    # One event per side; a credit set off against what its own invoice still owes (costs
    # owed after it was paid) is one event that is both.
    c = CreditAppliedData.load(data)
    if inv.number == c.to:
        inv.payments.append(Payment(c.day, c.amount, seq, c.source))
    if inv.number == c.source:
        inv.credit_out.append(Payment(c.day, c.amount, seq, c.to))


def _credit_refunded(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    c = CreditRefundedData.load(data)
    inv.credit_out.append(Payment(c.day, c.amount, seq))


def _note(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    n = NoteData.load(data)
    inv.notes.append(Note(n.day, n.text, n.promise, seq))


def _letter_sent(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    letter = _letter(seq, inv.number, LetterSentData.load(data))
    group = ledger.groups.setdefault(letter.letter, letter.group)
    group.append((inv, letter))
    if group is not letter.group:
        object.__setattr__(letter, "group", group)
    inv.letters.append(letter)


def _plan(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    p = PlanData.load(data)
    inv.plans.append(Plan(p.day, tuple(Installment(i.due, i.amount) for i in p.installments), seq,
                          waive_interest=p.interest == "waived"))


def _voided(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    v = VoidedData.load(data)
    inv.voided[v.seq] = v.day


def _bounced(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    # Not received: the letter counts as not sent, from its own date on.
    b = LetterBouncedData.load(data)
    inv.voided.setdefault(b.seq, b.letter_date)


def _invoice_terms(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    t = TermsAgreedData.load(data)
    inv.terms.append((t.day, _terms(seq, inv.number, t)))


def _mark(load: Callable[[dict], Mark]) -> Callable[[Ledger, InvoiceFacts, int, dict], None]:
    def fold_mark(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
        m = load(data)
        inv.marks.append((m.day, m.TYPE, m))
    return fold_mark


def _amended(ledger: Ledger, inv: InvoiceFacts, seq: int, data: dict) -> None:
    changes = InvoiceAmendedData.load(data).changes
    if changes.amount is not None:
        inv.amount = changes.amount.new
    if changes.day is not None:
        inv.date = changes.day.new
    if changes.due is not None:
        inv.due = changes.due.new
    if changes.client is not None:
        inv.client = changes.client.new
        inv.client_terms = ledger.terms.setdefault(inv.client, [])


# What each event about one invoice adds to its facts; the other types (letter-rendered,
# mail attempts, registered post) are kept in ``InvoiceFacts.events`` only.
_INVOICE_EVENTS: dict[str, Callable[[Ledger, InvoiceFacts, int, dict], None]] = {
    PAYMENT: _payment, CREDIT_APPLIED: _credit_applied, CREDIT_REFUNDED: _credit_refunded, NOTE: _note,
    LETTER_SENT: _letter_sent, PLAN: _plan, VOIDED: _voided, LETTER_BOUNCED: _bounced,
    TERMS_AGREED: _invoice_terms, PAUSED: _mark(PausedData.load), RESUMED: _mark(ResumedData.load),
    CLOSED: _mark(ClosedData.load), HANDED_OVER: _mark(HandedOverData.load), INVOICE_AMENDED: _amended,
}


def find_event(inv: InvoiceFacts, seq: int):
    for ev in inv.events:
        if ev.seq == seq:
            return ev
    return None


# --- letters and their terms ---------------------------------------------------------------


def pending_mail(inv: InvoiceFacts, kind: str) -> MailAttemptData | None:
    """The last ``mail-attempt`` of a letter of ``kind`` on the invoice whose outcome is unknown
    (no ``letter-sent`` of that kind after it, no ``mail-failed`` of its Message-ID), or None.
    A later attempt (``--resend``) stands for the earlier ones."""
    last: MailAttemptData | None = None
    for ev in inv.events:
        t = ev.type
        if t == MAIL_ATTEMPT:
            attempt = MailAttemptData.load(ev.data)
            if attempt.kind == kind:
                last = attempt
        elif last is not None and t == LETTER_SENT and LetterSentData.load(ev.data).kind == kind:
            last = None
        elif last is not None and t == MAIL_FAILED and MailFailedData.load(ev.data).message_id == last.message_id:
            last = None
    return last

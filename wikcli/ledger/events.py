"""The event vocabulary: one frozen payload type per event type, checked wherever an event is
read or written.

An event is ``{seq, at, type, invoice, data}`` (``store.journal``); this module says, for each
type, whether it names an invoice and what its ``data`` holds, as a frozen dataclass
(``PaymentData`` for ``payment``, ...; how a field declares its kind: ``ledger.payload``). The
checks (``SCHEMAS``, ``problem``) are derived from those fields, so the check and the types
cannot disagree. Commands build these values and turn them into an event (``event``); the
fold reads them back (``load``) once the journal has checked the line.

The journal checks every event it parses and every event a command appends (``problem``), so
a bad value in a hand-edited or damaged journal is one message naming the line and the field,
never a traceback deep in the fold, and a misspelt type is refused instead of silently ignored.

beancount's lesson: validate every directive on load and point at the line.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable
from collections.abc import Callable

from wikcli.ledger.payload import (  # noqa: F401 (PayloadError: what from_payload raises)
    EITHER, INVOICE, NO_INVOICE, Field, P, Payload, PayloadError, Schema, _bool, _date, _fields_problem,
    _int, _money, _nested, _text, as_key, derive, nested, nullable, one_of, payload_type,
)
from wikcli.ledger.bank_payloads import BANK_CHECK, BankIgnoredData, BankUnmatchedData

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
VOIDED = "voided"
TERMS_AGREED = "terms-agreed"
STATEMENT_RENDERED = "statement-rendered"  # a client's statement of account, archived; no fact of an invoice
CLIENT_IBAN = "client-iban"  # an IBAN a matched bank payment came from, remembered on the client
# A bank statement's credit kept for review (no invoice), and one marked as not about an
# invoice; a matched credit is a payment event that carries the bank transaction.
BANK_UNMATCHED = "bank-unmatched"
BANK_IGNORED = "bank-ignored"
# A client's credit (money paid beyond what an invoice owed) set off against another of its
# invoices: one event on the invoice that held the credit and one on the invoice it pays,
# both with the same data (``from``, ``to``); and a credit paid back to the client.
CREDIT_APPLIED = "credit-applied"
CREDIT_REFUNDED = "credit-refunded"
CLIENT_ADDRESS = "client-address"  # a client's postal address, given or changed after adding
# A client's e-mail address's provenance and whether letters by e-mail were agreed.
CLIENT_EMAIL = "client-email"
# A letter's e-mail about to be handed to the mail server (its Message-ID, recorded before it
# is sent), and one the server did not take (nothing was handed over). An attempt that neither
# a ``letter-sent`` of the same kind nor a ``mail-failed`` of its Message-ID follows has no known
# outcome: ``wik send`` does not send that letter again without --resend (pending_mail).
MAIL_ATTEMPT = "mail-attempt"
MAIL_FAILED = "mail-failed"
# An e-mailed letter that bounced: not received, so as if never sent (its costs are not owed;
# the next letter goes by post). A letter by registered post: its barcode and delivery status.
LETTER_BOUNCED = "letter-bounced"
LETTER_REGISTERED = "letter-registered"
# A typo in an invoice's amount, date, due date or client corrected (``amend``): the old and
# new value of each field; true from the invoice's start, as the typo was.
INVOICE_AMENDED = "invoice-amended"

LETTER_KINDS = ("reminder", "wik", "default")
DELIVERY_STATUSES = ("delivered", "refused", "not-collected")  # all three count as received
VIAS = ("post", "email", "registered")

@nested
@payload_type
class AmountChangeData(Payload):
    """An invoice's amount corrected: the old and the new."""

    old: Decimal
    new: Decimal


@nested
@payload_type
class DayChangeData(Payload):
    """An invoice's date or due date corrected: the old and the new."""

    old: date
    new: date


@nested
@payload_type
class ClientChangeData(Payload):
    """An invoice moved to another client: the old client's id and the new one's."""

    old: str
    new: str


_AMENDABLE = {"amount": _nested(AmountChangeData.FIELDS), "date": _nested(DayChangeData.FIELDS),
              "due": _nested(DayChangeData.FIELDS), "client": _nested(ClientChangeData.FIELDS)}


def _changes(v: Any) -> str | None:
    # stricter than the fields alone: at least one change, and no key but these four
    want = "an object of amount, date, due or client, each {old, new}"
    if type(v) is not dict or not v:
        return want
    for key, change in v.items():
        check = _AMENDABLE.get(key)
        if check is None or check(change) is not None:
            return want
    return None


@nested
@payload_type
class InvoiceChangesData(Payload):
    """What an ``invoice-amended`` event changed, each field with its old and new value."""

    amount: AmountChangeData | None = None
    day: DayChangeData | None = as_key("date", None)
    due: DayChangeData | None = None
    client: ClientChangeData | None = None


PAYLOADS: dict[str, type[Payload]] = {}
SCHEMAS: dict[str, Schema] = {}


def event(kind: str, invoice: str = INVOICE) -> Callable[[P], P]:
    """Register ``cls`` as the payload of events of type ``kind``."""
    def register(cls: P) -> P:
        derive(cls)
        cls.TYPE = kind
        cls.INVOICE = invoice
        PAYLOADS[kind] = cls
        SCHEMAS[kind] = Schema(kind, invoice, cls.FIELDS)
        return cls
    return register




@event(CLIENT_ADDED, NO_INVOICE)
@payload_type
class ClientAddedData(Payload):
    """A client (debtor) added: its id, name, type and the address letters go to."""

    id: str
    name: str
    type: str = one_of("consumer", "business")
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    email: str = ""
    lang: str = one_of("nl", "en", default="nl")
    external_id: str | None = None


@event(CLIENT_FORGOTTEN, NO_INVOICE)
@payload_type
class ClientForgottenData(Payload):
    """A client's personal data erased once the retention period ran out (``wik forget``)."""

    id: str
    day: date = as_key("date")


@event(CLIENT_IBAN, NO_INVOICE)
@payload_type
class ClientIbanData(Payload):
    """An IBAN a matched bank payment came from, remembered on the client."""

    id: str
    iban: str
    day: date | None = as_key("date", None)
    tx: str | None = None  # the key of the bank transaction it came with


@event(INVOICE_ADDED)
@payload_type
class InvoiceAddedData(Payload):
    """An invoice: its client, amount, date and due date, as the creditor issued it."""

    client: str
    amount: Decimal
    day: date = as_key("date")
    due: date
    description: str = ""
    agreement: str | None = None
    reference: str | None = None


@nested
@payload_type
class PaymentClaimData(Payload):
    """One payment on a joint letter's claim, split over its invoices (art. 6:44 BW): the
    invoices, the amount paid and the invoice it was paid on."""

    invoices: tuple[str, ...]
    amount: Decimal
    paid_on: str


@event(PAYMENT)
@payload_type
class PaymentData(Payload):
    """Money received on an invoice (or its share of a payment on a joint letter's claim)."""

    amount: Decimal
    day: date = as_key("date")
    claim: PaymentClaimData | None = None  # the claim this payment's share was split from
    bank: dict | None = as_key("bank", None, check=BANK_CHECK)


@event(NOTE)
@payload_type
class NoteData(Payload):
    """A call note, perhaps with the day the debtor promised to pay."""

    day: date = as_key("date")
    text: str = ""
    promise: date | None = nullable(None)


@nested
@payload_type
class InstallmentData(Payload):
    """One installment of a payment plan."""

    due: date
    amount: Decimal


@event(PLAN)
@payload_type
class PlanData(Payload):
    """A payment plan agreed: its installments, and whether interest is waived meanwhile."""

    day: date = as_key("date")
    every: str | None = None
    total: Decimal | None = None
    interest: str = one_of("waived", "included", default="included")
    installments: tuple[InstallmentData, ...]
    replaces: int | None = None


@nested
@payload_type
class AnnouncedData(Payload):
    """An invoice's share of the collection costs a letter announced, and their VAT."""

    costs: Decimal
    vat: Decimal


@nested
@payload_type
class ClaimCostsData(Payload):
    """The collection costs a letter announced over its whole claim (``claims.Claim.record``):
    the principal they are counted over, the costs, their VAT and its rate, the cumulation caps
    that lowered them and, for agreed costs, the terms and their clause. Every field may be
    absent: the fold and ``wik sent`` read what is there."""

    principal: Decimal | None = None
    costs: Decimal | None = None
    vat: Decimal | None = None
    vat_rate: Decimal | None = None
    cumulation: list | None = None  # cumulation.Cap.to_json() each, kept as written
    terms: dict | None = None  # agreed.AgreedCosts.to_json()
    clause: str | None = None


@nested
@payload_type
class LetterClaimData(Payload):
    """What a whole letter claimed, over all its invoices (each invoice's ``letter-sent``
    carries the same): the sums open, the total, what it asked to be paid now and the costs it
    announced (null: none). Every field may be absent, as the readers have always allowed."""

    principal_open: Decimal | None = None
    costs_open: Decimal | None = None
    interest_open: Decimal | None = None
    total: Decimal | None = None
    requested: Decimal | None = None
    costs_announced: ClaimCostsData | None = nullable(None)


@nested
@payload_type
class LetterEmailData(Payload):
    """A letter wik e-mailed: the address, the message's Message-ID, the server's reply on
    taking it and when that reply came (ISO 8601, UTC): the proof of its receipt."""

    to: str
    message_id: str
    reply: str
    accepted_at: str


@event(LETTER_SENT)
@payload_type
class LetterSentData(Payload):
    """What a letter said about one invoice (``claims.Claim.record``). A letter recorded before
    letters kept their claim (``legacy``) has no ``invoices``."""

    kind: str = one_of(*LETTER_KINDS)
    day: date = as_key("date")
    via: str = "post"
    letter: str | None = None
    invoices: tuple[str, ...] | None = None
    reference: str | None = nullable(None)
    delivered: date | None = None
    last_day: date | None = None
    costs_due_from: date | None = None
    principal_open: Decimal | None = None
    costs_open: Decimal | None = None
    interest_open: Decimal | None = None
    announces: AnnouncedData | None = nullable(None)
    claim: LetterClaimData | None = nullable(None)
    forced: bool | None = None
    file: str | None = None
    sha256: str | None = None
    email: LetterEmailData | None = None  # the e-mail wik sent it by

    @property
    def legacy(self) -> bool:
        return self.invoices is None


@event(LETTER_RENDERED)
@payload_type
class LetterRenderedData(LetterSentData):
    """A letter made and archived, not yet sent: what ``wik sent`` later records."""


@event(PAUSED)
@payload_type
class PausedData(Payload):
    """Chasing the invoice stopped for now (a dispute, a promise)."""

    day: date = as_key("date")
    reason: str | None = None


@event(RESUMED)
@payload_type
class ResumedData(Payload):
    """Chasing a paused invoice again."""

    day: date = as_key("date")


@event(CLOSED)
@payload_type
class ClosedData(Payload):
    """An invoice closed: paid, a credit note, written off, handed over or bankrupt."""

    day: date = as_key("date")
    reason: str | None = None
    forced: bool | None = None
    open: Decimal | None = None  # what was still due when a close as paid was forced


@event(HANDED_OVER)
@payload_type
class HandedOverData(Payload):
    """An invoice handed over to a collection agency."""

    day: date = as_key("date")
    forced: bool | None = None
    dossier: str | None = None
    costs_lost: str | None = None  # why no collection costs can be claimed


@event(VOIDED)
@payload_type
class VoidedData(Payload):
    """An earlier payment, note, plan or letter cancelled (it stays in the journal)."""

    day: date = as_key("date")
    seq: int
    kind: str | None = as_key("type", None)
    reason: str | None = None


@event(TERMS_AGREED, EITHER)
@payload_type
class TermsAgreedData(Payload):
    """The interest and collection costs a business client agreed, or one invoice's own."""

    client: str
    day: date = as_key("date")
    start: date = as_key("from")
    clause: str | None = None
    interest: dict | None = nullable(None)  # agreed.AgreedInterest.to_json()
    costs: dict | None = nullable(None)  # agreed.AgreedCosts.to_json()


@event(STATEMENT_RENDERED, NO_INVOICE)
@payload_type
class StatementRenderedData(Payload):
    """A client's statement of account, archived: no fact of an invoice."""

    client: str
    day: date = as_key("date")
    lang: str | None = None
    invoices: tuple[str, ...] | None = None
    total_open: Decimal | None = None
    due_now: Decimal | None = None
    not_due: Decimal | None = None
    file: str | None = None
    sha256: str | None = None
    via: str | None = nullable(None)  # "email" when wik sent it


@event(INVOICE_AMENDED)
@payload_type
class InvoiceAmendedData(Payload):
    """A typo in an invoice corrected: the old and new value of each field."""

    day: date = as_key("date")
    changes: InvoiceChangesData = as_key("changes", check=_changes)
    reason: str | None = None


@event(CREDIT_APPLIED)
@payload_type
class CreditAppliedData(Payload):
    """A client's credit set off against another of its invoices (one event on each side)."""

    client: str
    day: date = as_key("date")
    recorded: date | None = None
    amount: Decimal
    source: str = as_key("from")  # the invoice that held the credit
    to: str  # the invoice it pays


@event(CREDIT_REFUNDED)
@payload_type
class CreditRefundedData(Payload):
    """A client's credit paid back to the client."""

    client: str
    day: date = as_key("date")
    amount: Decimal


@event(CLIENT_ADDRESS, NO_INVOICE)
@payload_type
class ClientAddressData(Payload):
    """A client's postal address, given or changed after adding."""

    id: str
    address: str
    postcode: str
    city: str
    country: str
    day: date = as_key("date")


@event(CLIENT_EMAIL, NO_INVOICE)
@payload_type
class ClientEmailData(Payload):
    """Where a client's e-mail address came from, and whether letters by e-mail were agreed."""

    id: str
    day: date = as_key("date")
    source: str
    given: str  # the ISO date the client gave the address, "" when not known
    letters: bool
    email: str | None = None


@event(MAIL_ATTEMPT)
@payload_type
class MailAttemptData(Payload):
    """A letter's e-mail about to be handed to the mail server (recorded first)."""

    day: date = as_key("date")
    kind: str = one_of(*LETTER_KINDS)
    invoices: tuple[str, ...]
    to: str
    message_id: str
    file: str
    at: str
    resend: bool | None = None


@event(MAIL_FAILED)
@payload_type
class MailFailedData(Payload):
    """A letter's e-mail the mail server did not take: nothing was handed over."""

    day: date = as_key("date")
    message_id: str
    reason: str


@event(LETTER_BOUNCED)
@payload_type
class LetterBouncedData(Payload):
    """An e-mailed letter that bounced: not received, so as if never sent."""

    day: date = as_key("date")
    seq: int
    kind: str = one_of(*LETTER_KINDS)
    letter: str
    letter_date: date
    reason: str


@event(LETTER_REGISTERED)
@payload_type
class LetterRegisteredData(Payload):
    """A letter by registered post: its barcode and delivery status."""

    day: date = as_key("date")
    seq: int
    kind: str = one_of(*LETTER_KINDS)
    letter: str
    letter_date: date
    barcode: str
    status: str | None = one_of(*DELIVERY_STATUSES, null=True)


event(BANK_UNMATCHED, NO_INVOICE)(BankUnmatchedData)  # the bank's payload types: bank_payloads
event(BANK_IGNORED, NO_INVOICE)(BankIgnoredData)

EVENT_TYPES = tuple(SCHEMAS)


def load(ev: Any) -> Payload:
    """The payload of a journal event (``seq, type, invoice, data``) the journal has checked."""
    return PAYLOADS[ev.type].load(ev.data)


@runtime_checkable
class Dated(Protocol):
    """A payload with the day its event happened (``date`` in the journal)."""

    @property
    def day(self) -> date: ...


def day_of(ev: Any) -> date:
    """The day an event about an invoice happened: every type that names an invoice has one
    (``tests/test_event_readers.py`` holds that)."""
    p = load(ev)
    assert isinstance(p, Dated), ev.type
    return p.day


Check = Callable[[str, "str | None", dict], "str | None"]


def problem(kind: str, invoice: str | None, data: dict) -> str | None:
    """What is wrong with an event of type ``kind`` about ``invoice`` holding ``data``, as the
    end of a sentence ("has field 'amount' ..."), or None when it fits its schema. Values are
    not echoed: they may be personal data."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        return f"has type {kind[:40]!r}, which this wik does not know"
    if schema.invoice == INVOICE and invoice is None:
        return f"is a {kind} event without an invoice"
    if schema.invoice == NO_INVOICE and invoice is not None:
        return f"is a {kind} event with an invoice: expected null"
    bad = _fields_problem(schema.fields, data)
    return None if bad is None else f"is a {kind} event whose {bad}"

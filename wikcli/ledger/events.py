"""The event vocabulary: one frozen type per event type, its payload, checked wherever an event
is read or written.

An event is ``{seq, at, type, invoice, data}`` (``store.journal``); this module says, for each
type, whether it names an invoice and what its ``data`` holds, as a frozen dataclass
(``PaymentData`` for ``payment``, ...): each field's type, its JSON key when that is not the
field's name, whether it may be left out (it has a default) and whether it may be null
(``nullable``). The checks (``Schema``, ``problem``) are derived from those fields, so the
check and the types cannot disagree. Commands build these values and turn them into an event
(``event``); the fold reads them back (``load``) once the journal has checked the line.

``to_payload`` gives the ``data`` a command writes: every field but those that are None and
may not be null. A payload read from the journal (``from_payload``, ``load``) keeps the keys it
was read with, in their order, and the keys no field names (``extra``: a later wik may add
them), so it gives back exactly what it was read from.

The journal checks every event it parses and every event a command appends (``problem``), so
a bad value in a hand-edited or damaged journal is one message naming the line and the field,
never a traceback deep in the fold, and a misspelt type is refused instead of silently ignored.

beancount's lesson: validate every directive on load and point at the line.
"""

import re
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal
from types import UnionType
from typing import Any, Callable, ClassVar, Literal, Mapping, Self, TypeVar, Union, get_args, get_origin

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


# Whether an event of the type names an invoice.
INVOICE = "invoice"  # always
NO_INVOICE = "none"  # never
EITHER = "either"  # terms-agreed: an invoice's own terms, or (no invoice) a client's

LetterKind = Literal["reminder", "wik", "default"]
LETTER_KINDS: tuple[str, ...] = get_args(LetterKind)
DeliveryStatus = Literal["delivered", "refused", "not-collected"]  # all three count as received
DELIVERY_STATUSES: tuple[str, ...] = get_args(DeliveryStatus)
VIAS = ("post", "email", "registered")

@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any], str | None]
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True)
class Schema:
    type: str
    invoice: str  # INVOICE, NO_INVOICE or EITHER
    fields: tuple[Field, ...]


def _fields_problem(fields: tuple[Field, ...], data: Mapping[str, Any]) -> str | None:
    for fl in fields:
        if fl.name not in data:
            if fl.required:
                return f"field {fl.name!r} is missing"
            continue
        v = data[fl.name]
        if v is None:
            if fl.nullable:
                continue
            return f"field {fl.name!r} is null"
        want = fl.check(v)
        if want is not None:
            return f"field {fl.name!r} is not {want}"
    return None


_MONEY = re.compile(r"-?\d{1,15}(\.\d{1,10})?")


def _date(v: Any) -> str | None:
    if type(v) is not str:
        return "a date (YYYY-MM-DD)"
    try:
        date.fromisoformat(v)
    except ValueError:
        return "a date (YYYY-MM-DD)"
    return None if len(v) == 10 else "a date (YYYY-MM-DD)"


def _money(v: Any) -> str | None:
    return None if type(v) is str and _MONEY.fullmatch(v) else "an amount such as \"250.00\""


def _text(v: Any) -> str | None:
    return None if type(v) is str else "a text"


def _int(v: Any) -> str | None:
    return None if type(v) is int else "a whole number"


def _bool(v: Any) -> str | None:
    return None if type(v) is bool else "true or false"


def _object(v: Any) -> str | None:
    return None if type(v) is dict else "an object"


def _texts(v: Any) -> str | None:
    return None if type(v) is list and all(type(x) is str for x in v) else "a list of texts"


def _one_of(*allowed: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in allowed else "one of " + ", ".join(allowed)
    return check


def _list_of(fields: tuple[Field, ...]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if type(v) is not list or not v:
            return "a non-empty list"
        for item in v:
            if type(item) is not dict or _fields_problem(fields, item) is not None:
                return "a list of objects with " + ", ".join(f.name for f in fields)
        return None
    return check


def _nested(fields: tuple[Field, ...]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if type(v) is not dict:
            return "an object"
        bad = _fields_problem(fields, v)
        return None if bad is None else f"an object whose {bad}"
    return check


_AMENDABLE = {"amount": _money, "date": _date, "due": _date, "client": _text}


def _changes(v: Any) -> str | None:
    want = "an object of amount, date, due or client, each {old, new}"
    if type(v) is not dict or not v:
        return want
    for key, change in v.items():
        check = _AMENDABLE.get(key)
        if check is None or type(change) is not dict or "new" not in change or check(change["new"]) is not None:
            return want
    return None






# --- the payload types ----------------------------------------------------------------------

def as_key(name: str, default: Any = MISSING, *, null: bool = False, check: Callable[[Any], str | None] | None = None) -> Any:
    """A payload field whose JSON key is ``name`` (``date``, ``from``: words that would shadow a
    type or a keyword as a field name); ``null``: the value may be null in the journal;
    ``check``: the check of a JSON object the field keeps as it is."""
    return field(default=default, metadata={"key": name, "null": null, "check": check})


def nullable(default: Any = MISSING) -> Any:
    """A field that may be null in the journal (written as null when None)."""
    return field(default=default, metadata={"null": True})


_ABSENT = object()
_new = object.__new__
_setattr = object.__setattr__


@dataclass(frozen=True, kw_only=True)
class Payload:
    """What every event's ``data`` type shares: ``read_from``, the data it was read from (None:
    built by a command), whose keys and their order it writes back, with the keys no field
    names (``extra``: kept, not read)."""

    TYPE: ClassVar[str] = ""
    INVOICE: ClassVar[str] = INVOICE
    FIELDS: ClassVar[tuple[Field, ...]] = ()
    # (attribute, key, from JSON, to JSON, default when absent, nullable) per field
    _SPEC: ClassVar[tuple[tuple[str, str, Any, Any, Any, bool], ...]] = ()
    _BY_KEY: ClassVar[dict[str, tuple[str, str, Any, Any, Any, bool]]] = {}
    _KEYS: ClassVar[frozenset[str]] = frozenset()
    _loader: ClassVar[Callable[[Mapping[str, Any]], Any] | None] = None

    read_from: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def extra(self) -> dict[str, Any]:
        """The keys of the data it was read from that no field names, with their values."""
        if self.read_from is None or self.read_from.keys() <= self._KEYS:
            return {}
        return {k: v for k, v in self.read_from.items() if k not in self._KEYS}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> Self:
        """The payload of ``data``, checked: ``PayloadError`` says what does not fit."""
        if type(data) is not dict:
            raise PayloadError(f"a {cls.TYPE} event's data is not an object")
        bad = _fields_problem(cls.FIELDS, data)
        if bad is not None:
            raise PayloadError(f"is a {cls.TYPE} event whose {bad}")
        return cls.load(dict(data))  # a copy: the caller's dict may change, the payload may not

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Self:
        """The payload of ``data`` the journal has checked already (the fold's way in: no
        check twice)."""
        loader = cls.__dict__.get("_loader")
        if loader is None:
            loader = _compile_loader(cls)
            cls._loader = loader
        obj: Self = loader(data)
        return obj

    def to_payload(self) -> dict[str, Any]:
        """The event's ``data`` as the journal holds it: what it was read from (its keys in
        their order, the keys no field names, absent fields absent), with each field's value
        as it is now; a built one holds every field but those None that may not be null."""
        d = self.__dict__
        out: dict[str, Any] = {}
        source = self.read_from
        if source is not None:
            by_key = self._BY_KEY
            for k, v in source.items():
                spec = by_key.get(k)
                if spec is not None:
                    v = d[spec[0]]
                    if v is not None and spec[3] is not None:
                        v = spec[3](v)
                out[k] = v
        for attr, k, _, write, default, null in self._SPEC:
            if k in out:
                continue
            v = d[attr]
            if source is not None and v == default:
                continue  # absent from what it was read from, and not changed since
            if v is None:
                if null and source is None:
                    out[k] = None
                continue
            out[k] = v if write is None else write(v)
        return out

    def event(self, invoice: str | None = None) -> tuple[str, str | None, dict]:
        """The event a command appends: (type, invoice, data)."""
        return (self.TYPE, invoice, self.to_payload())


def _compile_loader(cls: type[Payload]) -> Callable[[Mapping[str, Any]], Any]:
    """``cls.load`` as one function written for its fields: a large journal folds hundreds of
    thousands of payloads, and a loop over the fields costs the fold a quarter of its time.
    The instance's dict is filled at once rather than one object.__setattr__ per field of the
    frozen dataclass (the same object, field for field)."""
    env: dict[str, Any] = {"_cls": cls, "_new": _new, "_set": _setattr, "_absent": _ABSENT}
    lines = []
    for i, (attr, k, read, _, default, _null) in enumerate(cls._SPEC):
        env[f"_r{i}"], env[f"_d{i}"] = read, default
        if read is None:
            lines.append(f"{attr!r}: get({k!r}, _d{i})")
        elif default is None:
            lines.append(f"{attr!r}: None if (v := get({k!r})) is None else _r{i}(v)")
        else:
            lines.append(f"{attr!r}: _d{i} if (v := get({k!r}, _absent)) is _absent else "
                         f"(None if v is None else _r{i}(v))")
    src = ("def load(data):\n    get = data.get\n    obj = _new(_cls)\n    _set(obj, '__dict__', {"
           + ", ".join(lines)
           + ", 'read_from': data})\n"
             "    return obj\n")
    exec(compile(src, f"<load {cls.__name__}>", "exec"), env)
    loader: Callable[[Mapping[str, Any]], Any] = env["load"]
    return loader


class PayloadError(ValueError):
    """An event's data that does not fit its type (the message is the end of a sentence)."""


def _iso(d: date) -> str:
    return d.isoformat()


def _list(v: tuple) -> list:
    return list(v)


def _kind(tp: Any) -> tuple[Callable[[Any], str | None], Any, Any]:
    """The check, the reading from JSON and the writing to JSON of a field of type ``tp``."""
    if tp is str:
        return _text, None, None
    if tp is bool:
        return _bool, None, None
    if tp is int:
        return _int, None, None
    if tp is Decimal:
        return _money, Decimal, str
    if tp is date:
        return _date, date.fromisoformat, _iso
    if tp is dict:
        return _object, None, dict
    if get_origin(tp) is Literal:
        return _one_of(*get_args(tp)), None, None
    if isinstance(tp, type) and issubclass(tp, Payload):
        sub = tp
        return _nested(sub.FIELDS), sub.load, sub.to_payload
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]
        if item is str:
            return _texts, tuple, _list
        if isinstance(item, type) and issubclass(item, Payload):
            sub = item
            return (_list_of(sub.FIELDS), lambda v: tuple(sub.load(x) for x in v),
                    lambda v: [x.to_payload() for x in v])
    raise TypeError(f"no JSON kind for a payload field of type {tp!r}")


def _without_none(tp: Any) -> Any:
    if get_origin(tp) in (Union, UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Union[tuple(args)]
    return tp


P = TypeVar("P", bound=type[Payload])
PAYLOADS: dict[str, type[Payload]] = {}
SCHEMAS: dict[str, Schema] = {}


def _derive(cls: type[Payload]) -> None:
    spec, checks = [], []
    for fl in fields(cls):
        if fl.name == "read_from":
            continue
        k = fl.metadata.get("key") or fl.name
        check, read, write = _kind(_without_none(fl.type))
        own = fl.metadata.get("check")
        if own is not None:
            check = own
        null = bool(fl.metadata.get("null"))
        optional = fl.default is not MISSING
        spec.append((fl.name, k, read, write, None if not optional else fl.default, null))
        checks.append(Field(k, check, required=not optional, nullable=null))
    cls._SPEC = tuple(spec)
    cls._BY_KEY = {s[1]: s for s in spec}
    cls._KEYS = frozenset(cls._BY_KEY)
    cls.FIELDS = tuple(checks)


def nested(cls: P) -> P:
    """A JSON object inside a payload (an installment, announced costs)."""
    _derive(cls)
    return cls


def event(kind: str, invoice: str = INVOICE) -> Callable[[P], P]:
    """Register ``cls`` as the payload of events of type ``kind``."""
    def register(cls: P) -> P:
        _derive(cls)
        cls.TYPE = kind
        cls.INVOICE = invoice
        PAYLOADS[kind] = cls
        SCHEMAS[kind] = Schema(kind, invoice, cls.FIELDS)
        return cls
    return register


_BANK = (Field("key", _text), Field("booking_date", _date), Field("amount", _money),
         Field("value_date", _date, required=False, nullable=True), Field("account", _text, required=False),
         Field("counterparty_name", _text, required=False, nullable=True),
         Field("counterparty_iban", _text, required=False, nullable=True),
         Field("text", _text, required=False, nullable=True),
         Field("reference", _text, required=False, nullable=True), Field("identity", _text, required=False))
_BANK_CHECK = _nested(_BANK)  # the bank transaction a payment came with, kept as the bank gave it


@event(CLIENT_ADDED, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class ClientAddedData(Payload):
    id: str
    name: str
    type: Literal["consumer", "business"]
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    email: str = ""
    lang: Literal["nl", "en"] = "nl"
    external_id: str | None = None


@event(CLIENT_FORGOTTEN, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class ClientForgottenData(Payload):
    id: str
    day: date = as_key("date")


@event(CLIENT_IBAN, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class ClientIbanData(Payload):
    id: str
    iban: str
    day: date | None = as_key("date", None)


@event(INVOICE_ADDED)
@dataclass(frozen=True, kw_only=True)
class InvoiceAddedData(Payload):
    client: str
    amount: Decimal
    day: date = as_key("date")
    due: date
    description: str = ""
    agreement: str | None = None
    reference: str | None = None


@event(PAYMENT)
@dataclass(frozen=True, kw_only=True)
class PaymentData(Payload):
    amount: Decimal
    day: date = as_key("date")
    # A payment split over the invoices of one claim: invoices, amount, paid_on.
    claim: dict | None = None
    bank: dict | None = as_key("bank", None, check=_BANK_CHECK)


@event(NOTE)
@dataclass(frozen=True, kw_only=True)
class NoteData(Payload):
    day: date = as_key("date")
    text: str = ""
    promise: date | None = nullable(None)


@nested
@dataclass(frozen=True, kw_only=True)
class InstallmentData(Payload):
    due: date
    amount: Decimal


@event(PLAN)
@dataclass(frozen=True, kw_only=True)
class PlanData(Payload):
    day: date = as_key("date")
    every: str | None = None
    total: Decimal | None = None
    interest: Literal["waived", "included"] = "included"
    installments: tuple[InstallmentData, ...]
    replaces: int | None = None


@nested
@dataclass(frozen=True, kw_only=True)
class AnnouncedData(Payload):
    costs: Decimal
    vat: Decimal


@event(LETTER_SENT)
@dataclass(frozen=True, kw_only=True)
class LetterSentData(Payload):
    """What a letter said about one invoice (``claims.Claim.record``). A letter recorded before
    letters kept their claim (``legacy``) has no ``invoices``."""

    kind: LetterKind
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
    claim: dict | None = nullable(None)
    forced: bool | None = None
    file: str | None = None
    sha256: str | None = None
    email: dict | None = None  # an e-mail wik sent: to, message_id, reply, accepted_at

    @property
    def legacy(self) -> bool:
        return self.invoices is None


@event(LETTER_RENDERED)
@dataclass(frozen=True, kw_only=True)
class LetterRenderedData(LetterSentData):
    pass


@event(PAUSED)
@dataclass(frozen=True, kw_only=True)
class PausedData(Payload):
    day: date = as_key("date")
    reason: str | None = None


@event(RESUMED)
@dataclass(frozen=True, kw_only=True)
class ResumedData(Payload):
    day: date = as_key("date")


@event(CLOSED)
@dataclass(frozen=True, kw_only=True)
class ClosedData(Payload):
    day: date = as_key("date")
    reason: str | None = None
    forced: bool | None = None
    open: Decimal | None = None  # what was still due when a close as paid was forced


@event(HANDED_OVER)
@dataclass(frozen=True, kw_only=True)
class HandedOverData(Payload):
    day: date = as_key("date")
    forced: bool | None = None
    dossier: str | None = None
    costs_lost: str | None = None  # why no collection costs can be claimed


@event(VOIDED)
@dataclass(frozen=True, kw_only=True)
class VoidedData(Payload):
    day: date = as_key("date")
    seq: int
    kind: str | None = as_key("type", None)
    reason: str | None = None


@event(TERMS_AGREED, EITHER)
@dataclass(frozen=True, kw_only=True)
class TermsAgreedData(Payload):
    client: str
    day: date = as_key("date")
    start: date = as_key("from")
    clause: str | None = None
    interest: dict | None = nullable(None)  # agreed.AgreedInterest.to_json()
    costs: dict | None = nullable(None)  # agreed.AgreedCosts.to_json()


@event(STATEMENT_RENDERED, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class StatementRenderedData(Payload):
    client: str
    day: date = as_key("date")
    invoices: tuple[str, ...] | None = None
    file: str | None = None


@event(BANK_UNMATCHED, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class BankUnmatchedData(Payload):
    day: date = as_key("date")
    bank: dict = as_key("bank", check=_BANK_CHECK)
    reason: str | None = None
    duplicate_of: int | None = nullable(None)


@event(INVOICE_AMENDED)
@dataclass(frozen=True, kw_only=True)
class InvoiceAmendedData(Payload):
    day: date = as_key("date")
    changes: dict = as_key("changes", check=_changes)  # field -> {old, new}, as JSON
    reason: str | None = None


@event(CREDIT_APPLIED)
@dataclass(frozen=True, kw_only=True)
class CreditAppliedData(Payload):
    client: str
    day: date = as_key("date")
    recorded: date | None = None
    amount: Decimal
    source: str = as_key("from")  # the invoice that held the credit
    to: str  # the invoice it pays


@event(CREDIT_REFUNDED)
@dataclass(frozen=True, kw_only=True)
class CreditRefundedData(Payload):
    client: str
    day: date = as_key("date")
    amount: Decimal


@event(CLIENT_ADDRESS, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class ClientAddressData(Payload):
    id: str
    address: str
    postcode: str
    city: str
    country: str
    day: date = as_key("date")


@event(CLIENT_EMAIL, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class ClientEmailData(Payload):
    id: str
    day: date = as_key("date")
    source: str
    given: str  # the ISO date the client gave the address, "" when not known
    letters: bool
    email: str | None = None


@event(MAIL_ATTEMPT)
@dataclass(frozen=True, kw_only=True)
class MailAttemptData(Payload):
    day: date = as_key("date")
    kind: LetterKind
    invoices: tuple[str, ...]
    to: str
    message_id: str
    file: str
    at: str
    resend: bool | None = None


@event(MAIL_FAILED)
@dataclass(frozen=True, kw_only=True)
class MailFailedData(Payload):
    day: date = as_key("date")
    message_id: str
    reason: str


@event(LETTER_BOUNCED)
@dataclass(frozen=True, kw_only=True)
class LetterBouncedData(Payload):
    day: date = as_key("date")
    seq: int
    kind: LetterKind
    letter: str
    letter_date: date
    reason: str


@event(LETTER_REGISTERED)
@dataclass(frozen=True, kw_only=True)
class LetterRegisteredData(Payload):
    day: date = as_key("date")
    seq: int
    kind: LetterKind
    letter: str
    letter_date: date
    barcode: str
    status: DeliveryStatus | None = nullable()


@event(BANK_IGNORED, NO_INVOICE)
@dataclass(frozen=True, kw_only=True)
class BankIgnoredData(Payload):
    key: str
    day: date = as_key("date")
    reason: str | None = None


EVENT_TYPES = tuple(SCHEMAS)


def load(ev: Any) -> Payload:
    """The payload of a journal event (``seq, type, invoice, data``) the journal has checked."""
    return PAYLOADS[ev.type].load(ev.data)


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

"""The event vocabulary: one schema per event type, checked wherever an event is read or written.

An event is ``{seq, at, type, invoice, data}`` (``store.journal``); this module says, for each
type, whether it names an invoice and what its ``data`` holds: each field's name, kind and
whether it must be there. The journal checks every event it parses and every event a command
appends against these schemas (``problem``), so a bad value in a hand-edited or damaged journal
is one message naming the line and the field, never a traceback deep in the fold, and a
misspelt type is refused instead of silently ignored.

Fields a schema does not name are kept and not read: a later wik may add them. The check is
as strict as the readers need: every field the fold, the claims and the bank history read is
named here with its kind.

beancount's lesson: validate every directive on load and point at the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

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
DELIVERY_STATUSES = ("delivered", "refused", "not-collected")  # all three count as received
# A typo in an invoice's amount, date, due date or client corrected (``amend``): the old and
# new value of each field; true from the invoice's start, as the typo was.
INVOICE_AMENDED = "invoice-amended"

# Whether an event of the type names an invoice.
INVOICE = "invoice"  # always
NO_INVOICE = "none"  # never
EITHER = "either"  # terms-agreed: an invoice's own terms, or (no invoice) a client's

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


@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any], str | None]
    required: bool = True
    nullable: bool = False


def f(name: str, check: Callable[[Any], str | None], *, optional: bool = False, null: bool = False) -> Field:
    return Field(name, check, required=not optional, nullable=null)


@dataclass(frozen=True)
class Schema:
    type: str
    invoice: str  # INVOICE, NO_INVOICE or EITHER
    fields: tuple[Field, ...]


def _fields_problem(fields: tuple[Field, ...], data: dict) -> str | None:
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


LETTER_KINDS = ("reminder", "wik", "default")
VIAS = ("post", "email", "registered")

_BANK = (f("key", _text), f("booking_date", _date), f("amount", _money),
         f("value_date", _date, optional=True, null=True), f("account", _text, optional=True),
         f("counterparty_name", _text, optional=True, null=True),
         f("counterparty_iban", _text, optional=True, null=True), f("text", _text, optional=True, null=True),
         f("reference", _text, optional=True, null=True), f("identity", _text, optional=True))
_LETTER = (f("kind", _one_of(*LETTER_KINDS)), f("date", _date), f("via", _text, optional=True),
           f("invoices", _texts, optional=True), f("letter", _text, optional=True),
           f("last_day", _date, optional=True), f("costs_due_from", _date, optional=True),
           f("announces", _nested((f("costs", _money), f("vat", _money))), optional=True, null=True),
           f("claim", _object, optional=True, null=True), f("file", _text, optional=True),
           f("sha256", _text, optional=True), f("reference", _text, optional=True, null=True))

SCHEMAS: dict[str, Schema] = {s.type: s for s in (
    Schema(CLIENT_ADDED, NO_INVOICE, (f("id", _text), f("name", _text), f("type", _one_of("consumer", "business")),
                                      f("lang", _one_of("nl", "en"), optional=True))),
    Schema(CLIENT_FORGOTTEN, NO_INVOICE, (f("id", _text), f("date", _date))),
    Schema(CLIENT_IBAN, NO_INVOICE, (f("id", _text), f("iban", _text), f("date", _date, optional=True))),
    Schema(INVOICE_ADDED, INVOICE, (f("client", _text), f("amount", _money), f("date", _date), f("due", _date),
                                    f("description", _text, optional=True), f("agreement", _text, optional=True),
                                    f("reference", _text, optional=True))),
    Schema(PAYMENT, INVOICE, (f("amount", _money), f("date", _date), f("bank", _nested(_BANK), optional=True))),
    Schema(NOTE, INVOICE, (f("date", _date), f("text", _text, optional=True),
                           f("promise", _date, optional=True, null=True))),
    Schema(PLAN, INVOICE, (f("date", _date), f("installments", _list_of((f("due", _date), f("amount", _money)))),
                           f("interest", _one_of("waived", "included"), optional=True))),
    Schema(LETTER_SENT, INVOICE, _LETTER),
    Schema(LETTER_RENDERED, INVOICE, _LETTER),
    Schema(PAUSED, INVOICE, (f("date", _date), f("reason", _text, optional=True))),
    Schema(RESUMED, INVOICE, (f("date", _date),)),
    Schema(CLOSED, INVOICE, (f("date", _date), f("reason", _text, optional=True), f("forced", _bool, optional=True),
                             f("open", _money, optional=True))),
    Schema(HANDED_OVER, INVOICE, (f("date", _date), f("forced", _bool, optional=True),
                                  f("dossier", _text, optional=True))),
    Schema(VOIDED, INVOICE, (f("date", _date), f("seq", _int), f("type", _text, optional=True),
                             f("reason", _text, optional=True))),
    Schema(TERMS_AGREED, EITHER, (f("client", _text), f("date", _date), f("from", _date),
                                  f("clause", _text, optional=True), f("interest", _object, optional=True, null=True),
                                  f("costs", _object, optional=True, null=True))),
    Schema(STATEMENT_RENDERED, NO_INVOICE, (f("client", _text), f("date", _date),
                                            f("invoices", _texts, optional=True), f("file", _text, optional=True))),
    Schema(BANK_UNMATCHED, NO_INVOICE, (f("date", _date), f("bank", _nested(_BANK)), f("reason", _text, optional=True),
                                            f("duplicate_of", _int, optional=True, null=True))),
    Schema(INVOICE_AMENDED, INVOICE, (f("date", _date), f("changes", _changes), f("reason", _text, optional=True))),
    Schema(CREDIT_APPLIED, INVOICE, (f("client", _text), f("date", _date), f("recorded", _date, optional=True),
                                     f("amount", _money), f("from", _text), f("to", _text))),
    Schema(CREDIT_REFUNDED, INVOICE, (f("client", _text), f("date", _date), f("amount", _money))),
    Schema(CLIENT_ADDRESS, NO_INVOICE, (f("id", _text), f("address", _text), f("postcode", _text), f("city", _text),
                                        f("country", _text), f("date", _date))),
    Schema(CLIENT_EMAIL, NO_INVOICE, (f("id", _text), f("date", _date), f("source", _text), f("given", _text),
                                      f("letters", _bool), f("email", _text, optional=True))),
    Schema(MAIL_ATTEMPT, INVOICE, (f("date", _date), f("kind", _one_of(*LETTER_KINDS)), f("invoices", _texts),
                                   f("to", _text), f("message_id", _text), f("file", _text), f("at", _text),
                                   f("resend", _bool, optional=True))),
    Schema(MAIL_FAILED, INVOICE, (f("date", _date), f("message_id", _text), f("reason", _text))),
    Schema(LETTER_BOUNCED, INVOICE, (f("date", _date), f("seq", _int), f("kind", _one_of(*LETTER_KINDS)),
                                     f("letter", _text), f("letter_date", _date), f("reason", _text))),
    Schema(LETTER_REGISTERED, INVOICE, (f("date", _date), f("seq", _int), f("kind", _one_of(*LETTER_KINDS)),
                                        f("letter", _text), f("letter_date", _date), f("barcode", _text),
                                        f("status", _one_of(*DELIVERY_STATUSES), null=True))),
    Schema(BANK_IGNORED, NO_INVOICE, (f("key", _text), f("date", _date), f("reason", _text, optional=True))),
)}
EVENT_TYPES = tuple(SCHEMAS)


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

"""The payload types of the bank's events, which ``events`` registers with the others: a credit
kept for review (``bank-unmatched``) with the claims it may pay, a credit ignored
(``bank-ignored``), and the check of the bank transaction a payment or a kept credit carries
(``BANK``: its keys are the bank's, kept as a checked dict).
"""

from datetime import date
from typing import Any

from wikcli.ledger.payload import (
    Field, Payload, _date, _fields_problem, _money, _nested, _text, as_key, nested, nullable, payload_type,
)

BANK = (Field("key", _text), Field("booking_date", _date), Field("amount", _money),
        Field("value_date", _date, required=False, nullable=True), Field("account", _text, required=False),
        Field("counterparty_name", _text, required=False, nullable=True),
        Field("counterparty_iban", _text, required=False, nullable=True),
        Field("text", _text, required=False, nullable=True),
        Field("reference", _text, required=False, nullable=True), Field("identity", _text, required=False))
BANK_CHECK = _nested(BANK)  # the bank transaction a payment came with, kept as the bank gave it


@nested
@payload_type
class UnmatchedCandidateData(Payload):
    """A claim a credit kept for review may pay: its invoices, and the letter about them."""

    invoices: tuple[str, ...]
    letter: str | None = nullable(None)


def _candidates(v: Any) -> str | None:
    # none is a list too: a credit no claim fits
    if type(v) is list and all(type(c) is dict and _fields_problem(UnmatchedCandidateData.FIELDS, c) is None
                               for c in v):
        return None
    return "a list of objects with invoices, letter"


@nested  # registered as bank-unmatched by events
@payload_type
class BankUnmatchedData(Payload):
    """A bank statement's credit kept for review: it matched no invoice."""

    day: date = as_key("date")
    bank: dict = as_key("bank", check=BANK_CHECK)
    reason: str | None = None
    rule: str | None = nullable(None)  # the rule that found several candidates, or none
    candidates: tuple[UnmatchedCandidateData, ...] = as_key("candidates", (), check=_candidates)
    duplicate_of: int | None = nullable(None)  # the payment it probably duplicates

    def to_payload(self) -> dict[str, Any]:
        out = super().to_payload()
        if self.read_from is None and self.duplicate_of is None:
            del out["duplicate_of"]  # the bank writes it only for a probable duplicate
        return out


@nested  # registered as bank-ignored by events
@payload_type
class BankIgnoredData(Payload):
    """A bank statement's credit marked as not about an invoice."""

    key: str
    day: date = as_key("date")
    reason: str | None = None

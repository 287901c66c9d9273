"""The limits every recorded value passes, whichever way it came in: typed at a command or read
from a file by an importer (amounts, dates, lengths, characters). A value no command would
accept is never recorded by an import either."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from wikcli.i18n import _


def check_amount(amount: Decimal, what: str) -> None:
    """An amount as ``wik invoice add`` and ``wik pay`` take it: above zero, whole cents, at
    most ``money.MAX_AMOUNT``."""
    from wikcli.errors import AmountError
    from wikcli.rules.money import MAX_AMOUNT

    if not amount.is_finite() or amount <= 0:
        raise AmountError(_("{what} {amount} is not a positive amount").format(what=what, amount=amount))
    if amount > MAX_AMOUNT:
        raise AmountError(_("{what} {amount} is more than 1.000.000.000,00: expected a smaller amount").format(
                             what=what, amount=amount))
    if amount != amount.quantize(Decimal("0.01")):
        raise AmountError(_("{what} {amount} has more than two decimals: amounts are in whole cents").format(
                             what=what, amount=amount))


def check_date(day: date, what: str) -> None:
    """A date in the range the deadline calendar knows, as ``wik invoice add`` takes it."""
    from wikcli.rules.deadlines import FIRST_DAY, LAST_DAY
    from wikcli.errors import DateError

    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(_("{what} {day} is out of range: expected {first_day} to {last_day}").format(
                           what=what, day=day.isoformat(), first_day=FIRST_DAY.isoformat(), last_day=LAST_DAY.isoformat()))


def check_text(value: str, what: str, limit: int) -> None:
    """Text as the commands record it: no control characters, at most ``limit`` characters."""
    from wikcli.ledger.commands import _CONTROL  # the characters the commands refuse
    from wikcli.errors import WikError

    if _CONTROL.search(value):
        raise WikError(_("{what} contains a control character: expected plain text").format(what=what))
    if len(value) > limit:
        raise WikError(_("{what} is {count} characters long: expected at most {limit}").format(
                          what=what, count=len(value), limit=limit))


# What a bank gives at most: SEPA's 140 characters of remittance, MT940's six :86: lines of
# 65, a name of 140; the limits leave room for a bank's own additions.
BANK_TEXT = 1000
BANK_NAME = 500


def check_credits(files, error: type[Exception]) -> None:
    """Every credit of the statements through the limits of ``wik pay``: one line naming the
    file and the entry, and nothing of any file is booked."""
    from wikcli.errors import WikError

    for f in files:
        for c in f.credits:
            where = f"{f.name}, {c.where}" if c.where else f.name
            try:
                check_amount(c.amount, "credit")
                check_date(c.booking_date, "booking date")
                if c.value_date is not None:
                    check_date(c.value_date, "value date")
                check_text(c.counterparty_name, "payer's name", BANK_NAME)
                check_text(c.counterparty_iban, "payer's IBAN", 34)
                check_text(c.remittance, "payment text", BANK_TEXT)
                for value, what in ((c.reference, "payment reference"), (c.bank_ref, "bank reference"),
                                    (c.end_to_end, "end-to-end id")):
                    if value:
                        check_text(value, what, BANK_NAME)
            except WikError as e:
                raise error(_("{where}: {error}; nothing was imported").format(where=where, error=e)) from None

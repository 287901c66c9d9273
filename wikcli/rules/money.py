"""Amounts of money: reading what people type, rounding, and writing them out.

Money is always a ``Decimal``. Rounding is half up to the cent, and only where the law or a
letter shows an amount (``cents``); intermediate results keep their full precision.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from wikcli.errors import AmountError
from wikcli.i18n import N_, _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000000")

_CURRENCY = re.compile(r"^(€|eur\b|euro\b)\s*|\s*(€|eur|euro)$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_WHOLE_EUROS = re.compile(r",[-\u2013\u2014]{1,2}$")  # 12,- and 12,-- (also with a typed en dash)


def cents(value: Decimal) -> Decimal:
    """Round half up to whole cents (the rounding every Dutch calculator and court uses)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` (whole cents) in parts proportional to ``weights``, in whole cents that add up
    to ``total`` exactly: each part rounded down, the cents left over going to the largest
    remainders (earlier parts first on a tie). Zero weights get nothing; all zero: all to the first."""
    whole = sum(weights, Decimal(0))
    if not weights:
        return []
    if whole <= 0:
        return [total] + [ZERO] * (len(weights) - 1)
    exact = [total * w / whole for w in weights]
    parts = [x.quantize(CENT, rounding=ROUND_DOWN) for x in exact]
    left = int((total - sum(parts, ZERO)) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += CENT
    return parts


def to_str(value: Decimal) -> str:
    """Money for JSON: a string with exactly two decimals, rounded half up."""
    return f"{cents(value):.2f}"


def parse_amount(text: str, *, what: str = N_("amount"), allow_zero: bool = False) -> Decimal:
    """Read an amount written the Dutch or the English way.

    Accepts ``244``, ``244.5``, ``244,50``, ``1.234,56``, ``1,234.56``, ``€ 1.234,56``, and the
    Dutch whole-euro notation ``12,-`` / ``€ 1.234,--`` (no cents).
    A single separator followed by exactly three digits (``1.234``, ``1,234``) could be a
    thousands separator or a decimal point, so it is refused as ambiguous rather than guessed.
    """
    raw = text
    s = text.strip().replace("\u00a0", " ")
    s = _CURRENCY.sub("", s).strip()
    s = s.replace(" ", "")
    whole = _WHOLE_EUROS.search(s)
    if whole and s[: whole.start()]:
        s = s[: whole.start()] + ",00"  # the comma marks the decimals, so 1.234,- is 1234
    if s.startswith(("-", "−")):
        raise AmountError(_("{what} {raw!r} is negative: expected a positive amount such as 244,50").format(what=_(what), raw=raw))
    if s.startswith("+"):
        s = s[1:]
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise AmountError(_("{what} {raw!r} is not an amount: expected e.g. 244, 244,50 or 1.234,56").format(what=_(what), raw=raw))

    seps = [c for c in s if c in ".,"]
    if not seps:
        integer, fraction = s, ""
    elif len(set(seps)) == 2:
        # Both kinds: the last one is the decimal separator, the other groups thousands.
        dec = s[max(s.rfind("."), s.rfind(","))]
        integer, fraction = s.rsplit(dec, 1)
        if not _GROUPED.match(integer) or len({c for c in integer if c in ".,"}) != 1:
            raise AmountError(_("{what} {raw!r} is malformed: thousands must be grouped by three, as in 1.234,56").format(what=_(what), raw=raw))
    elif len(seps) > 1:
        # The same separator several times can only group thousands: 1.234.567
        if not _GROUPED.match(s):
            raise AmountError(_("{what} {raw!r} is malformed: expected e.g. 1.234.567 or 1.234,56").format(what=_(what), raw=raw))
        integer, fraction = s, ""
    else:
        integer, fraction = s.split(seps[0])
        if len(fraction) == 3 and integer and integer[0] != "0":
            raise AmountError(
                _("{what} {raw!r} is ambiguous: write 1234 or 1234,00 for thousands, or use at most two " "decimals").format(what=_(what), raw=raw)
            )
    integer = integer.replace(".", "").replace(",", "")
    if not _DIGITS.match(integer) or (fraction and not _DIGITS.match(fraction)):
        raise AmountError(_("{what} {raw!r} is not an amount: expected e.g. 244, 244,50 or 1.234,56").format(what=_(what), raw=raw))
    if len(fraction) > 2:
        raise AmountError(_("{what} {raw!r} has more than two decimals: amounts are in whole cents").format(what=_(what), raw=raw))
    try:
        value = Decimal(f"{integer}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the regexes above admit digits only
        raise AmountError(_("{what} {raw!r} is not an amount").format(what=_(what), raw=raw)) from None
    if value == 0 and not allow_zero:
        raise AmountError(_("{what} {raw!r} is zero: expected a positive amount").format(what=_(what), raw=raw))
    if value > MAX_AMOUNT:
        raise AmountError(_("{what} {raw!r} is more than 1.000.000.000,00: expected a smaller amount").format(what=_(what), raw=raw))
    return value.quantize(CENT)


def format_eur(value: Decimal, lang: str = "nl") -> str:
    """``€ 1.234,56`` (Dutch) or ``€1,234.56`` (English), by the CLDR rules for the language."""
    if lang == "nl":
        # The Dutch CLDR pattern written out (test_money checks it against babel): a table
        # of 10,000 invoices would spend half its time in babel's pattern machinery.
        c = cents(value)
        whole, _, frac = f"{abs(c):.2f}".partition(".")
        return f"€ {'-' if c.is_signed() else ''}{int(whole):,}".replace(",", ".") + "," + frac
    from babel.numbers import format_currency  # only human output pays for babel

    locale = "en_GB"
    # CLDR puts a no-break space after the euro sign; a plain space reads and greps the same.
    return format_currency(cents(value), "EUR", locale=locale).replace("\u00a0", " ")

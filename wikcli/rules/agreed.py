"""What a business client agreed: contractual interest and collection costs.

Between businesses the general terms may set their own interest ("1% rente per maand", "de
wettelijke handelsrente vermeerderd met 2%") and their own collection costs ("15% met een
minimum van € 150"). The law lets them stand within limits: at least € 40 of costs (art. 6:96
lid 4 BW); a clause grossly unfair to the creditor can be annulled (art. 6:119b BW); courts
may cut back unreasonable costs (HR 10-07-2015, ECLI:NL:HR:2015:1868). For a consumer the
staffel and the statutory rate are mandatory (art. 6:96 lid 5 BW), so terms are refused.

Pure: text in, frozen values out. How wik reads agreed interest (documented choices):
- a rate per month is that rate times twelve per year, and interest is counted per day over
  365-day years, as the statutory interest is (1% per month over 2,500.00 for 90 days:
  2,500.00 x 12% x 90 / 365 = 73.97);
- an agreed rate is simple unless the terms say compounded ("samengesteld"), then it is
  added to the base at the end of every period it is stated in (month or year);
- a surcharge on the statutory commercial rate follows that rate's changes and, like it, is
  compounded yearly unless the terms say simple ("enkelvoudig").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from wikcli.errors import WikError
from wikcli.rules.money import ZERO, cents, to_str
from wikcli.i18n import _

MINIMUM = Decimal("40.00")  # art. 6:96 lid 4 BW: in a commercial transaction at least 40.00
NONE = "none"
YEAR = "year"
MONTH = "month"
COMPOUNDING = (NONE, YEAR, MONTH)


class TermsError(WikError):
    """Agreed terms that cannot be read or are not allowed."""


@dataclass(frozen=True)
class AgreedInterest:
    """``rate``: a fixed rate per year (a fraction), or None for ``surcharge`` points (a
    fraction) over the statutory commercial rate in force."""

    text: str
    rate: Decimal | None
    surcharge: Decimal
    compounding: str

    def to_json(self) -> dict:
        return {"text": self.text, "rate": None if self.rate is None else str(self.rate),
                "surcharge": str(self.surcharge), "compounding": self.compounding}

    @classmethod
    def from_json(cls, d: dict) -> AgreedInterest:
        return cls(d["text"], None if d.get("rate") is None else Decimal(d["rate"]),
                   Decimal(d.get("surcharge", "0")), d.get("compounding", NONE))


@dataclass(frozen=True)
class AgreedCosts:
    """A percentage of the principal (with a minimum and an optional maximum), or a fixed
    amount; never below the statutory 40.00."""

    text: str
    percentage: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    fixed: Decimal | None = None

    def amount(self, principal: Decimal) -> Decimal:
        """The costs over ``principal``, in cents, at least 40.00."""
        if self.fixed is not None:
            value = self.fixed
        else:
            assert self.percentage is not None  # parse gives a percentage or a fixed amount
            value = principal * self.percentage
            if self.minimum is not None:
                value = max(value, self.minimum)
            if self.maximum is not None:
                value = min(value, self.maximum)
        return cents(max(value, MINIMUM))

    def to_json(self) -> dict:
        def s(v):
            return None if v is None else str(v)

        return {"text": self.text, "percentage": s(self.percentage), "minimum": s(self.minimum),
                "maximum": s(self.maximum), "fixed": s(self.fixed)}

    @classmethod
    def from_json(cls, d: dict) -> AgreedCosts:
        def dec(v):
            return None if v is None else Decimal(v)

        return cls(d["text"], dec(d.get("percentage")), dec(d.get("minimum")), dec(d.get("maximum")),
                   dec(d.get("fixed")))


@dataclass(frozen=True)
class Terms:
    """Terms agreed with a client (``invoice`` None) or for one invoice, from ``start`` on."""

    start: date
    interest: AgreedInterest | None
    costs: AgreedCosts | None
    clause: str
    seq: int = 0
    invoice: str | None = None

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "clause": self.clause,
                "interest": None if self.interest is None else self.interest.to_json(),
                "costs": None if self.costs is None else self.costs.to_json()}


# -- reading what people type ---------------------------------------------------------------

_NUM = r"(\d+(?:[.,]\d+)?)"


def _pct(text: str, what: str, value: str) -> Decimal:
    try:
        n = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise TermsError(_("{what} {value!r}: {text!r} is not a number").format(what=what, value=value, text=text)) from None
    return n / 100


def _money(text: str, what: str, value: str) -> Decimal:
    from wikcli.errors import AmountError
    from wikcli.rules.money import parse_amount

    try:
        return parse_amount(text, what=what)
    except AmountError as e:
        raise TermsError(_("{what} {value!r}: {error}").format(what=what, value=value, error=e)) from None


def parse_interest(value: str, what: str = "--agreed-interest") -> AgreedInterest:
    """``1% per maand``, ``12% per jaar``, ``1,5% per month compounded``, ``wettelijke
    handelsrente + 2%``, ``2% boven de wettelijke handelsrente``, ``statutory + 2``."""
    text = " ".join(value.split())
    low = text.lower()
    compound = bool(re.search(r"\b(samengesteld|compound(ed)?)\b", low))
    simple = bool(re.search(r"\b(enkelvoudig|simple)\b", low))
    if compound and simple:
        raise TermsError(_("{what} {value!r} says both simple and compounded: expected one").format(
                            what=what, value=value))
    statutory = re.search(r"(wettelijke|statutory|handelsrente|commercial)", low)
    if statutory:
        m = re.search(r"(?:\+|plus|vermeerderd met|boven|above|over)\s*" + _NUM + r"\s*(?:%|procent|punten|points?)?"
                      r"|" + _NUM + r"\s*(?:%|procent|punten|points?)\s*(?:boven|above|over|bovenop|op)", low)
        if not m:
            raise TermsError(_("{what} {value!r} names the statutory rate but no surcharge: expected e.g. \"wettelijke "
                                "handelsrente + 2%\"").format(what=what, value=value))
        surcharge = _pct(m.group(1) or m.group(2), what, value)
        if not ZERO <= surcharge <= Decimal("0.5"):
            raise TermsError(_("{what} {value!r}: a surcharge of {surcharge}% is out of range: expected 0 to 50%").format(
                                what=what, value=value, surcharge=surcharge * 100))
        return AgreedInterest(text, None, surcharge, NONE if simple else YEAR)
    m = re.fullmatch(_NUM + r"\s*%\s*(?:(?:rente\s*)?(?:per|a|/)\s*(maand|month|mnd|jaar|year|jr))?"
                     r"(?:\s*,?\s*(?:samengesteld|compound(?:ed)?|enkelvoudig|simple))?", low)
    if not m:
        raise TermsError(_("{what} {value!r} is not an interest rate: expected e.g. \"1% per maand\", \"12% per jaar\" "
                            "or \"wettelijke handelsrente + 2%\"").format(what=what, value=value))
    rate = _pct(m.group(1), what, value)
    monthly = (m.group(2) or "jaar") in ("maand", "month", "mnd")
    yearly = rate * 12 if monthly else rate
    if not ZERO < yearly <= Decimal("1.0"):
        raise TermsError(_("{what} {value!r}: {yearly}% a year is out of range: expected more than 0 and at most "
                            "100% a year").format(what=what, value=value, yearly=yearly * 100))
    return AgreedInterest(text, yearly, ZERO, (MONTH if monthly else YEAR) if compound else NONE)


def parse_costs(value: str, what: str = "--agreed-costs") -> AgreedCosts:
    """``15%, min 150``, ``15% minimum € 150 maximum 1.000``, ``€ 250``, ``250``."""
    text = " ".join(value.split())
    low = text.lower().replace("€", " ").replace("eur ", " ")
    if "%" not in low:
        amount = _money(low.replace("vast", "").replace("fixed", "").strip(), what, value)
        return AgreedCosts(text, fixed=amount)
    m = re.match(r"\s*" + _NUM + r"\s*%", low)
    if not m:
        raise TermsError(_("{what} {value!r} is not agreed costs: expected e.g. \"15%, min 150\" or \"250\"").format(
                            what=what, value=value))
    percentage = _pct(m.group(1), what, value)
    if not ZERO < percentage <= Decimal("1"):
        raise TermsError(_("{what} {value!r}: {percentage}% is out of range: expected more than 0 and at most 100%").format(
                            what=what, value=value, percentage=percentage * 100))
    rest = low[m.end():]
    bounds = {}
    bound = re.compile(r"\b(min|minimum|minimaal|max|maximum|maximaal)\b\.?\s*(?:van|of)?\s*(\d+(?:[.,]\d+)*)(?:,-)?")
    for b in bound.finditer(rest):
        key = "minimum" if b.group(1).startswith("min") else "maximum"
        if key in bounds:
            raise TermsError(_("{what} {value!r} gives the {key} twice").format(what=what, value=value, key=key))
        bounds[key] = _money(b.group(2).rstrip(".,"), what, value)
    # What is left may only be filler: separators and the words of "met een minimum van".
    leftover = bound.sub(" ", rest)
    words = [w for w in re.split(r"[\s,;]+", leftover) if w and w not in ("met", "een", "en", "with", "a", "and")]
    if words:
        raise TermsError(_("{what} {value!r}: cannot read {words!r}: expected e.g. \"15%, min 150, max 1000\"").format(
                            what=what, value=value, words=' '.join(words)))
    if "minimum" in bounds and "maximum" in bounds and bounds["minimum"] > bounds["maximum"]:
        raise TermsError(_("{what} {value!r}: the minimum is above the maximum").format(what=what, value=value))
    return AgreedCosts(text, percentage=percentage, minimum=bounds.get("minimum"), maximum=bounds.get("maximum"))


def check_debtor(debtor: str) -> None:
    if debtor != "business":
        raise TermsError(_("agreed terms apply only to a business client: the staffel and the statutory interest "
                            "are mandatory for consumers (art. 6:96 lid 5 BW)"))


def in_force(terms: list[Terms] | tuple[Terms, ...], invoice: str, invoice_date: date) -> Terms | None:
    """The terms that govern an invoice: its own (the latest), else the client's latest terms
    in force on the invoice's date (the contract was made under them). A record whose
    interest and costs are both None ends earlier terms."""
    own = [t for t in terms if t.invoice == invoice]
    if own:
        found = own[-1]
    else:
        general = [t for t in terms if t.invoice is None and t.start <= invoice_date]
        if not general:
            return None
        found = general[-1]
    if found.interest is None and found.costs is None:
        return None
    return found


def staffel_warning(costs: Decimal, staffel: Decimal) -> str | None:
    """Agreed costs more than half above the staffel: a court may cut them back to it."""
    if costs > staffel * Decimal("1.5"):
        return _("the agreed collection costs of {costs} exceed the staffel ({staffel}) by more than half: a court "
                 "may cut them back to the staffel (HR 10-07-2015, ECLI:NL:HR:2015:1868)").format(
            costs=to_str(costs), staffel=to_str(staffel))
    return None

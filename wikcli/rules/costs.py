"""Statutory collection costs (buitengerechtelijke incassokosten, BIK).

Source: Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), art. 2:
a falling percentage per part of the principal, at least 40.00 and at most 6,775.00. The
costs are computed on the exact principal, summed over the brackets and rounded half up to
the cent once, at the end. VAT (21%) is added only when the creditor cannot deduct it.
A business debtor owes the staffel unless other costs were agreed (art. 6:96 lid 4 BW: in a
commercial transaction at least 40.00).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from wikcli.errors import OptionError
from wikcli.rules.money import ZERO, cents, to_str
from wikcli.i18n import _

if TYPE_CHECKING:
    from wikcli.rules.agreed import AgreedCosts

MINIMUM = Decimal("40.00")
MAXIMUM = Decimal("6775.00")
VAT_RATE = Decimal("0.21")

# (lower bound, upper bound or None for "and above", rate) -- art. 2 lid 1 of the Besluit.
STAFFEL: tuple[tuple[Decimal, Decimal | None, Decimal], ...] = (
    (Decimal("0"), Decimal("2500"), Decimal("0.15")),
    (Decimal("2500"), Decimal("5000"), Decimal("0.10")),
    (Decimal("5000"), Decimal("10000"), Decimal("0.05")),
    (Decimal("10000"), Decimal("200000"), Decimal("0.01")),
    (Decimal("200000"), None, Decimal("0.005")),
)

CONSUMER = "consumer"
BUSINESS = "business"


@dataclass(frozen=True)
class Bracket:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    base: Decimal  # the part of the principal that falls in this bracket
    amount: Decimal  # base x rate, unrounded

    def to_json(self) -> dict:
        return {
            "from": to_str(self.lower),
            "to": None if self.upper is None else to_str(self.upper),
            "rate": str(self.rate),
            "base": to_str(self.base),
            "amount": to_str(self.amount),
        }


@dataclass(frozen=True)
class Costs:
    principal: Decimal
    debtor: str
    costs: Decimal
    vat_rate: Decimal
    vat: Decimal
    minimum_applied: bool
    maximum_applied: bool
    agreed: bool
    brackets: tuple[Bracket, ...]
    # The agreed terms the costs follow (agreed.AgreedCosts), with the clause they come from.
    terms: AgreedCosts | None = None
    clause: str = ""
    # The cumulation caps (cumulation.Cap) that lowered these costs below the staffel, if any.
    cumulation: tuple = ()

    @property
    def costs_incl_vat(self) -> Decimal:
        return self.costs + self.vat

    def to_json(self) -> dict:
        return {
            "principal": to_str(self.principal),
            "debtor": self.debtor,
            "costs": to_str(self.costs),
            "vat_rate": f"{self.vat_rate:.2f}",
            "vat": to_str(self.vat),
            "costs_incl_vat": to_str(self.costs_incl_vat),
            "minimum_applied": self.minimum_applied,
            "maximum_applied": self.maximum_applied,
            "agreed": self.agreed,
            "brackets": [b.to_json() for b in self.brackets],
            **({"cumulation": [c.to_json() for c in self.cumulation]} if self.cumulation else {}),
        }


def brackets(principal: Decimal) -> tuple[Bracket, ...]:
    """The staffel brackets the principal reaches, with the unrounded amount of each."""
    out = []
    for lower, upper, rate in STAFFEL:
        if principal <= lower:
            break
        top = principal if upper is None else min(principal, upper)
        base = top - lower
        out.append(Bracket(lower, upper, rate, base, base * rate))
    return tuple(out)


def compute(
    principal: Decimal,
    *,
    vat: bool = False,
    debtor: str = CONSUMER,
    agreed_costs: Decimal | None = None,
    terms=None,
    clause: str = "",
) -> Costs:
    """The collection costs over ``principal`` (the unpaid amount, incl. the invoice's VAT).

    ``vat``: the creditor cannot deduct VAT, so 21% VAT is added to the costs.
    ``agreed_costs``: contractually agreed costs, only for a business debtor; or ``terms``
    (an ``agreed.AgreedCosts``: a percentage with a minimum and maximum, or a fixed amount),
    with the ``clause`` they come from.
    """
    if terms is not None:
        agreed_costs = terms.amount(principal)
    if debtor not in (CONSUMER, BUSINESS):
        raise OptionError(_("debtor {debtor!r} is unknown: expected consumer or business").format(debtor=debtor))
    if principal <= 0:
        raise OptionError(_("principal {principal} must be positive").format(principal=principal))
    if agreed_costs is not None and debtor != BUSINESS:
        # art. 6:96 lid 5 BW: the staffel cannot be set aside to a consumer's harm.
        raise OptionError(_("agreed costs apply only to a business debtor: add --b2b"))

    if agreed_costs is not None:
        parts: tuple[Bracket, ...] = ()
        amount = cents(agreed_costs)
        minimum_applied = amount < MINIMUM  # art. 6:96 lid 4 BW
        maximum_applied = False
        costs = max(amount, MINIMUM)
    else:
        parts = brackets(principal)
        exact = sum((b.amount for b in parts), ZERO)
        minimum_applied = exact < MINIMUM
        maximum_applied = exact > MAXIMUM
        costs = cents(min(max(exact, MINIMUM), MAXIMUM))

    vat_rate = VAT_RATE if vat else ZERO
    return Costs(
        principal=principal,
        debtor=debtor,
        costs=costs,
        vat_rate=vat_rate,
        vat=cents(costs * vat_rate),
        minimum_applied=minimum_applied,
        maximum_applied=maximum_applied,
        agreed=agreed_costs is not None,
        brackets=parts,
        terms=terms,
        clause=clause,
    )

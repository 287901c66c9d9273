"""The calculators that need no ledger (`wik calc`, `wik interest`, `wik deadline`, `wik
rates`) as a Python API: plain values in, the rules' results out, the warnings among them;
a home folder only where its config or its ``rates.toml`` counts, and none needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from wikcli.errors import OptionError
from wikcli.i18n import _
from wikcli.rules import costs as costs_mod

if TYPE_CHECKING:  # loaded when a calculation needs them: `wik calc` reads no config, rates or holidays
    from wikcli.ledger.model import Policy
    from wikcli.rules import agreed, deadlines, interest


# -- `wik calc` ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostsFigures:
    """The collection costs over a principal, and a warning when agreed costs exceed the
    staffel's (what a court may cut them to)."""
    result: costs_mod.Costs
    warnings: list[str]


def collection_costs(principal: Decimal, *, vat: bool = False, business: bool = False,
                     agreed_costs: str | None = None) -> CostsFigures:
    """The statutory collection costs (BIK staffel) over ``principal``, with 21% VAT when
    ``vat``; ``agreed_costs`` (a business debtor's contract, as typed) instead of the staffel."""
    terms = None
    if agreed_costs is not None:
        from wikcli.rules import agreed

        terms = agreed.parse_costs(agreed_costs)
    debtor = costs_mod.BUSINESS if business else costs_mod.CONSUMER
    if terms is not None and debtor != costs_mod.BUSINESS:
        raise OptionError(_("agreed costs apply only to a business debtor: add --b2b"))
    result = costs_mod.compute(principal, vat=vat, debtor=debtor, terms=terms)
    warnings: list[str] = []
    if terms is not None:
        from wikcli.rules import agreed

        staffel = costs_mod.compute(principal, vat=vat, debtor=debtor)
        warnings = [w for w in [agreed.staffel_warning(result.costs, staffel.costs)] if w]
    return CostsFigures(result, warnings)


# -- `wik interest` --------------------------------------------------------------------------

@dataclass(frozen=True)
class InterestFigures:
    """Interest over a principal period by period (``result.warnings``: days past the rate
    table), and the agreed interest it followed, if any."""
    result: interest.Interest
    terms: agreed.AgreedInterest | None

    def to_json(self) -> dict:
        out = self.result.to_json()
        if self.terms is not None:
            out["agreed"] = self.terms.to_json()  # only with agreed terms: the statutory shape stays as it was
        return out


def statutory_interest(principal: Decimal, first: date, last: date, *, commercial: bool = False,
                       agreed_interest: str | None = None, home: Path | None = None) -> InterestFigures:
    """Statutory interest over ``principal`` for the days of default ``first`` to ``last``
    (commercial between businesses), or the ``agreed_interest`` as typed (implies commercial),
    by the packaged rates with ``<home>/rates.toml`` over them."""
    from wikcli.rules import agreed, interest
    from wikcli.store import config

    table = config.rate_table(home)
    terms = None
    if agreed_interest is not None:
        terms = agreed.parse_interest(agreed_interest, "--agreed")
        commercial = True
    kind = interest.COMMERCIAL if commercial else interest.CONSUMER
    basis = None if terms is None else interest.Basis(terms.rate, terms.surcharge, terms.compounding)
    return InterestFigures(interest.compute(principal, first, last, kind, basis=basis, table=table), terms)


# -- `wik rates` -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RateTables:
    """The rates in force: the table, the user's file (and whether it exists), the rows per kind."""
    table: interest.RateTable
    user_file: str | None
    user_file_exists: bool
    rows: dict[str, list]

    def to_json(self) -> dict:
        from wikcli.rules import interest

        return {
            "packaged_file": interest.packaged_file(),
            "user_file": str(self.user_file),
            "user_file_exists": self.user_file_exists,
            **{kind: {"known_until": self.table.known_until(kind).isoformat(),
                      "rates": [r.to_json() for r in rows]} for kind, rows in self.rows.items()},
        }


def rates(home: Path | None) -> RateTables:
    """The packaged rate table with ``<home>/rates.toml`` merged over it."""
    from wikcli.rules import interest
    from wikcli.store import config

    table = config.rate_table(home)
    mine = table.own
    return RateTables(table, mine, mine is not None and Path(mine).is_file(),
                      {kind: table.rows(kind) for kind in interest.KINDS})


# -- `wik deadline` --------------------------------------------------------------------------

POLICY_SET, OPTION_SET = "policy", "option"


@dataclass(frozen=True)
class TermFigures:
    """A letter's term: the rules' ``deadlines.Term``, the delivery days counted (None:
    PostNL's norm) and what set them (``OPTION_SET``, ``POLICY_SET`` or "": the norm, or the
    policy's days abroad when ``abroad``), and the decrees of the equated days it skipped."""
    term: deadlines.Term
    delivery_days: int | None
    set_by: str
    abroad: bool
    equated: list[tuple[date, deadlines.Decree | None]]


def home_policy(home: Path | None) -> Policy:
    """The policy of the home's config.toml when there is one, else the defaults."""
    from wikcli.ledger.model import Policy
    from wikcli.store import config

    if home is not None and (home / config.CONFIG_NAME).is_file():
        return config.load(home).policy
    return Policy()


def letter_term(sent: date, via: str, days: int, *, delivery_days: int | None = None, abroad: bool = False,
                policy: Policy | None = None) -> TermFigures:
    """When a letter sent on ``sent`` ``via`` post or e-mail counts as received, its term of
    ``days`` ends and the costs are owed; a posted letter delivered on the ``delivery_days``-th
    delivery day if given, else as the ``policy`` (or the default one) says."""
    from wikcli.ledger.model import Policy
    from wikcli.rules import deadlines

    policy = policy or Policy()
    if delivery_days is not None:
        n, set_by = delivery_days, OPTION_SET
    elif abroad:
        n, set_by = policy.postal_delivery_days_abroad, ""
    elif policy.postal_delivery_days is not None:
        n, set_by = policy.postal_delivery_days, POLICY_SET
    else:
        n, set_by = None, ""
    result = deadlines.term(sent, via.strip().lower(), days, delivery_days=n)
    found = [(s.day, deadlines.equated(s.day)) for s in result.skipped]
    return TermFigures(result, n, set_by, abroad and delivery_days is None,
                       [(day, e[1]) for day, e in found if e is not None])

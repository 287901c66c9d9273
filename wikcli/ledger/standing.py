"""What is owed on an invoice on a given day: the letter terms it depends on, the payments
applied (art. 6:44 BW), the collection costs owed or announced, the statutory interest.

Pure: no I/O and no clock (``today`` is a parameter). The rules are those of ``process``'s
module notes (domain.md sections 2-4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from collections.abc import Sequence

# Light pure modules (holidays are loaded by deadlines only when a date needs them): imported
# here once rather than inside the helpers, which run once or more per invoice.
from wikcli.rules import costs as costs_mod
from wikcli.rules import deadlines
from wikcli.rules import interest as interest_mod
from wikcli.ledger.model import BUSINESS, Client, Policy
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO, cents, split, to_str
from wikcli.ledger.facts import (
    ANNOUNCING, DEFAULT, InvoiceFacts, LetterSent, Plan, REMINDER, WIK, WIK_TERM_DAYS, interest_basis, terms_for,
)


def term_days(kind: str, policy: Policy) -> int:
    return {REMINDER: policy.reminder_term_days, WIK: WIK_TERM_DAYS,
            DEFAULT: policy.default_term_days}[kind]


def postal_days(policy: Policy, client: Client, via: str) -> int | None:
    """How many delivery days wik assumes for a letter to ``client``: the policy's margin for
    an address abroad, its override for the Netherlands, else None (the norm by posting date)."""
    if via != deadlines.POST:
        return None
    if (client.country or "NL").upper() != "NL":
        return policy.postal_delivery_days_abroad
    return policy.postal_delivery_days


@lru_cache(maxsize=4096)
def _term(day: date, via: str, days: int, delivery_days: int | None):
    # A ledger sends many letters on the same days: the term (a walk over holidays) is a pure
    # function of these values and its result is frozen, so it is shared.
    if delivery_days is None:
        return deadlines.term(day, via, days)
    return deadlines.term(day, via, days, delivery_days=delivery_days)


def letter_term(kind: str, day: date, via: str, policy: Policy, client: Client):
    """The term a letter of ``kind`` sent on ``day`` gives ``client`` under ``policy``."""
    return _term(day, via, term_days(kind, policy), postal_days(policy, client, via))


def letter_dates(letter: LetterSent, policy: Policy, client: Client) -> tuple[date, date]:
    """(last day of the term, first day after it): as the letter printed them, or, for a
    letter recorded before letters kept them, as the rules give them."""
    if letter.last_day is not None and letter.costs_due_from is not None:
        return letter.last_day, letter.costs_due_from
    t = letter_term(letter.kind, letter.day, letter.via, policy, client)
    return t.last_day, t.costs_due_from


def announcing_letter(inv: InvoiceFacts, debtor: str, today: date) -> LetterSent | None:
    """The live letter that announced this invoice's collection costs, or None."""
    for letter in sorted(inv.live(inv.letters, today), key=lambda x: (x.day, x.seq)):
        if letter.legacy:
            if letter.kind in ANNOUNCING.get(debtor, ()):
                return letter
        elif letter.announced is not None:
            return letter
    return None


# --- amounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
    """How one payment was applied (art. 6:44 BW, see the module's rules)."""

    seq: int
    day: date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    credit: Decimal
    set_off: str = ""  # the invoice whose credit paid this (no money received), or ""

    def to_json(self) -> dict:
        out = {"seq": self.seq, "date": self.day.isoformat(), "amount": to_str(self.amount),
               "costs": to_str(self.costs), "interest": to_str(self.interest),
               "principal": to_str(self.principal), "credit": to_str(self.credit)}
        if self.set_off:
            out["set_off_from"] = self.set_off
        return out


@dataclass(frozen=True)
class Standing:
    """What is owed on an invoice on a given day."""

    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    costs: Decimal  # open when owed, else what is announced (or a WIK-letter would announce now); incl. VAT
    costs_vat: Decimal
    costs_owed: bool
    costs_due_from: date | None
    costs_open: Decimal
    interest: Decimal  # open statutory interest through today
    interest_kind: str
    total_due: Decimal
    credit: Decimal
    settled: bool
    costs_calc: Any = None  # the costs.Costs behind ``costs`` (brackets, VAT), or None
    # The interest.Interest accrued through today (periods, rates), or None when none runs
    # (not yet in default, settled, or asked without interest); ``interest`` is it minus
    # ``interest_paid``.
    interest_calc: Any = None
    interest_paid: Decimal = ZERO
    warnings: tuple[str, ...] = ()  # about the interest rates used (unconfirmed, unknown)
    costs_charged: Decimal = ZERO  # once owed: this invoice's costs incl. VAT (announced, or lowered)
    costs_paid: Decimal = ZERO
    interest_accrued: Decimal = ZERO  # through today; ``interest`` + ``interest_paid`` when computed
    announced_by: LetterSent | None = None
    allocations: tuple[Allocation, ...] = ()
    terms: Any = None  # the agreed.Terms that govern the invoice, or None (the statutory rules)

    def columns(self) -> dict:
        """The costs and interest as a letter's or a statement's table shows them: charged,
        paid and open (costs charged only once owed; before, what is announced is no debt)."""
        owed = self.costs_owed
        return {"costs_charged": self.costs_charged if owed else ZERO, "costs_vat": self.costs_vat if owed else ZERO,
                "costs_paid": self.costs_paid, "costs_open": self.costs_open,
                "interest_accrued": self.interest_accrued, "interest_paid": self.interest_paid,
                "interest_open": self.interest}


def interest_kind(debtor: str) -> str:
    return "commercial" if debtor == BUSINESS else "consumer"


def _staffel(principal_open: Decimal, debtor: str, vat: bool):
    return costs_mod.compute(principal_open, vat=vat, debtor=debtor)


def announce_costs(principal: Decimal, debtor: str, vat_deductible: bool, terms=None):
    """The costs a letter would announce over ``principal``: what the terms agreed, else the
    staffel (VAT added when the creditor cannot deduct it)."""
    if terms is not None and terms.costs is not None:
        return costs_mod.compute(principal, vat=not vat_deductible, debtor=debtor, terms=terms.costs,
                                 clause=terms.clause)
    return _staffel(principal, debtor, not vat_deductible)


def _waived(plans: Sequence[Plan]) -> tuple[tuple[date, date], ...]:
    """The day ranges in which live plans waived the interest: from each plan's day through
    its last installment, cut short where a later plan takes over."""
    out = []
    for i, plan in enumerate(plans):
        if not plan.waive_interest:
            continue
        end = plan.last_due
        if i + 1 < len(plans):
            end = min(end, plans[i + 1].day - timedelta(days=1))
        if end >= plan.day:
            out.append((plan.day, end))
    return tuple(out)


@dataclass
class _Walk:
    """The running state of an invoice's payments (see ``_allocate``)."""

    principal_open: Decimal
    paid: Decimal = ZERO
    costs_charged: Decimal | None = None  # None until the costs are fixed (owed)
    costs_open: Decimal = ZERO
    interest_paid: Decimal = ZERO
    credit: Decimal = ZERO
    reductions: list = field(default_factory=list)
    allocations: list = field(default_factory=list)


def _interest(inv: InvoiceFacts, kind: str, through: date, reductions, waived, rates: interest_mod.RateTable,
              breakdown: bool = False, basis: interest_mod.Basis | None = None):
    """Interest accrued through ``through``: (amount, warnings) or, with ``breakdown``, the
    interest.Interest; None / (0, ()) before the first day of default."""
    start = max(inv.due + timedelta(days=1), interest_mod.EARLIEST)
    if through < start:
        return None if breakdown else (ZERO, ())
    cuts = [r for r in reductions if r[0] <= through and r[1] > 0]
    if breakdown:
        return interest_mod.compute(inv.amount, start, through, kind, reductions=cuts, waived=waived,
                                    basis=basis, table=rates)
    # The figure and the warnings only: the breakdown objects are what costs time per invoice.
    return interest_mod.total(inv.amount, start, through, kind, reductions=cuts, waived=waived, basis=basis,
                              table=rates)


def _allocate(inv: InvoiceFacts, kind: str, today: date, through: date, rates: interest_mod.RateTable, *,
              costs_from: date | None = None, fix_costs=None, plans: Sequence[Plan] = (),
              waived=(), basis: interest_mod.Basis | None = None) -> _Walk:
    """Apply the live payments dated up to ``through`` in the order they were made.

    ``fix_costs()`` gives this invoice's costs (incl. VAT) once they are owed, from
    ``costs_from`` on; the first payment on or after that day, or the end of the walk, fixes
    them. Before that, a payment lowers the principal first (the costs of a running WIK-letter
    are recomputed over what is left, seed 002), then pays interest; once they are owed, and
    under a payment plan, art. 6:44 BW: costs, interest, principal."""
    w = _Walk(principal_open=inv.amount)
    payments = inv.live(inv.payments, today)
    if not payments:
        return w
    payments.sort(key=lambda p: (p.day, p.seq))
    plan_days = [p.day for p in plans]

    def accrued(day: date) -> Decimal:
        return _interest(inv, kind, day, w.reductions, waived, rates, basis=basis)[0]

    for p in payments:
        if p.day > through:
            break
        w.paid += p.amount
        rest = p.amount
        to_costs = to_interest = to_principal = ZERO
        owed = costs_from is not None and p.day >= costs_from
        if owed and w.costs_charged is None:
            w.costs_charged = fix_costs()
            w.costs_open = w.costs_charged
        if owed or any(d <= p.day for d in plan_days):
            to_costs = min(rest, w.costs_open)
            rest -= to_costs
            if rest > 0:
                to_interest = min(rest, max(accrued(p.day) - w.interest_paid, ZERO))
                rest -= to_interest
            to_principal = min(rest, w.principal_open)
            rest -= to_principal
        else:
            to_principal = min(rest, w.principal_open)
            rest -= to_principal
            if rest > 0:
                to_interest = min(rest, max(accrued(p.day) - w.interest_paid, ZERO))
                rest -= to_interest
        w.costs_open -= to_costs
        w.interest_paid += to_interest
        w.principal_open -= to_principal
        if to_principal > 0:
            w.reductions.append((p.day + timedelta(days=1), to_principal))
        w.credit += rest
        w.allocations.append(Allocation(p.seq, p.day, p.amount, to_costs, to_interest, to_principal, rest,
                                        p.set_off))
    return w


def principal_open_on(inv: InvoiceFacts, client: Client, day: date, today: date,
                      rates: interest_mod.RateTable) -> Decimal:
    """The principal left after the payments made through ``day`` (as known on ``today``),
    before any costs are owed: what a letter's costs are computed over. (``rates``: a payment
    beyond the principal goes to interest, which decides what is left of a later one.)"""
    plans = inv.live(inv.plans, today)
    return _allocate(inv, interest_kind(client.type), today, day, rates, plans=plans, waived=_waived(plans),
                     basis=interest_basis(terms_for(inv, client, today))).principal_open


def owed_costs(letter: LetterSent, inv: InvoiceFacts, debtor: str, rulebook: Rulebook,
               client: Client, today: date, through: date | None = None):
    """(costs.Costs over the claim, this invoice's costs, its VAT) that ``letter`` makes owed,
    given the payments made through ``through`` (default: the last day of its term).

    The letter announced the staffel over its invoices' principal; a payment inside the term
    lowers it to the staffel over what is left (seed 002), never above what was announced."""
    last_day, _ = letter_dates(letter, rulebook.policy, client)
    through = last_day if through is None else min(through, last_day)
    rates = rulebook.rates
    if letter.legacy:
        # Recorded before letters kept their claim: the staffel over what was open when the
        # term ran out, with today's VAT setting (the rule of that time).
        base = principal_open_on(inv, client, through, today, rates)
        if base <= 0:
            return None, ZERO, ZERO
        c = _staffel(base, debtor, not rulebook.vat_deductible)
        return c, c.costs, c.vat
    # The invoice itself is ``inv`` (which may be a trial copy, as a plan's projection makes).
    members = [(inv if i.number == inv.number else i, x) for i, x in letter.group
               if x.announced is not None and not i.is_voided(x.seq, today)]
    remaining = [principal_open_on(i, client, through, today, rates) for i, _ in members]
    base = sum(remaining, ZERO)
    if base <= 0:
        return None, ZERO, ZERO
    announced_costs = sum((x.announced[0] for _, x in members), ZERO)
    announced_vat = sum((x.announced[1] for _, x in members), ZERO)
    if letter.costs_terms is not None:
        # Agreed costs: the same agreed formula over what is left (recorded with the letter).
        c = costs_mod.compute(base, vat=letter.vat_rate > 0, debtor=debtor, terms=letter.costs_terms)
    else:
        c = _staffel(base, debtor, letter.vat_rate > 0)
    total_costs = min(c.costs, announced_costs)
    total_vat = min(cents(total_costs * letter.vat_rate), announced_vat)
    index = next(k for k, (i, _) in enumerate(members) if i is inv)
    # The costs are the claim's, not each invoice's: the staffel over what is left of the
    # whole claim, never above what the letter announced for the whole claim, shared over the
    # invoices by what is left of each. An invoice left alone after the others were paid in
    # the term carries the staffel over itself, which may exceed its share of the announcement
    # (issue figures: 2.000,00 left of 3.000,00 gives 300,00 + 63,00 VAT, not its 342,83 share
    # of 425,00 + 89,25, nor less).
    costs_share = split(total_costs, remaining)[index]
    vat_share = split(total_vat, remaining)[index]
    return c, costs_share, vat_share


def standing(inv: InvoiceFacts, client: Client, rulebook: Rulebook, today: date, *,
             with_interest: bool = True, breakdown: bool = False) -> Standing:
    """``with_interest=False`` skips the interest still open today (0.00 in the result) for
    callers that only need the principal and costs: it is the costly part with many payments.
    ``breakdown=True`` also keeps the interest periods in ``interest_calc`` for a caller that
    shows them (the dossier); the amounts and warnings are the same either way."""
    debtor = client.type
    kind = interest_kind(debtor)
    rates = rulebook.rates
    ann = announcing_letter(inv, debtor, today) if inv.letters else None
    costs_from = letter_dates(ann, rulebook.policy, client)[1] if ann is not None else None
    plans = inv.live(inv.plans, today) if inv.plans else []
    waived = _waived(plans)
    terms = terms_for(inv, client, today)
    basis = interest_basis(terms)
    fixed: list = []

    def fix_costs() -> Decimal:
        assert ann is not None  # costs are fixed only from a letter's costs_from on
        fixed.append(owed_costs(ann, inv, debtor, rulebook, client, today))
        return fixed[0][1] + fixed[0][2]

    w = _allocate(inv, kind, today, today, rates, costs_from=costs_from, fix_costs=fix_costs, plans=plans,
                  waived=waived, basis=basis)
    if costs_from is not None and today >= costs_from and w.costs_charged is None:
        w.costs_charged = w.costs_open = fix_costs()
    owed = w.costs_charged is not None
    if owed:
        calc, _, vat = fixed[0]
        shown = w.costs_open
    elif ann is not None:
        # Announced, term running: what it will be if nothing more is paid.
        calc, c, vat = owed_costs(ann, inv, debtor, rulebook, client, today, through=today)
        shown = c + vat
    elif w.principal_open > 0:
        calc = announce_costs(w.principal_open, debtor, rulebook.vat_deductible, terms)
        shown, vat = calc.costs_incl_vat, calc.vat
    else:
        calc, shown, vat = None, ZERO, ZERO
    settled = w.principal_open == 0 and w.costs_open == 0
    interest_calc = None
    warnings: tuple[str, ...] = ()
    accrued = ZERO
    interest_open = ZERO
    if not settled and with_interest:
        if breakdown:
            interest_calc = _interest(inv, kind, today, w.reductions, waived, rates, breakdown=True, basis=basis)
            accrued = ZERO if interest_calc is None else interest_calc.interest
            warnings = () if interest_calc is None else interest_calc.warnings
        else:
            accrued, warnings = _interest(inv, kind, today, w.reductions, waived, rates, basis=basis)
        interest_open = max(accrued - w.interest_paid, ZERO)
    charged = w.costs_charged or ZERO
    return Standing(
        principal=inv.amount, paid=w.paid, principal_open=w.principal_open, costs=shown, costs_vat=vat,
        costs_owed=owed, costs_due_from=costs_from, costs_open=w.costs_open, interest=interest_open,
        interest_kind=kind, total_due=w.principal_open + w.costs_open + interest_open,
        credit=w.credit - sum((x.amount for x in inv.credit_out if x.day <= today), ZERO) if inv.credit_out else w.credit,
        settled=settled, costs_calc=calc, interest_calc=interest_calc, interest_paid=w.interest_paid,
        warnings=warnings, costs_charged=charged, costs_paid=charged - w.costs_open,
        interest_accrued=max(accrued, w.interest_paid) if with_interest and not settled else w.interest_paid,
        announced_by=ann, allocations=tuple(w.allocations), terms=terms)


def amount_due(inv: InvoiceFacts, client: Client, rulebook: Rulebook, day: date) -> Decimal:
    """What a payment on ``day`` may settle at most: everything open on that day."""
    return standing(inv, client, rulebook, day).total_due

"""Payment plans: installments that settle everything open if each is paid on its due date.

Pure: no I/O and no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from wikcli.ledger.model import Client
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import cents
from wikcli.ledger.facts import (
    Installment, InvoiceFacts, Payment, Plan,
)
from wikcli.ledger.standing import (
    Standing, amount_due, standing,
)


def split_installments(total: Decimal, n: int, first: date, every: str | int) -> tuple[Installment, ...]:
    """``n`` installments of equal cents (the last takes the remainder) from ``first`` on."""
    base = cents(total / n)
    amounts = [base] * (n - 1) + [total - base * (n - 1)]
    return tuple(Installment(d, a) for d, a in zip(installment_days(n, first, every), amounts))


def installment_days(n: int, first: date, every: str | int) -> list[date]:
    days = []
    for i in range(n):
        if every == "month":
            m = first.month - 1 + i
            y, m = first.year + m // 12, m % 12 + 1
            days.append(_clamp_day(y, m, first.day))
        elif every == "week":
            days.append(first + timedelta(weeks=i))
        else:
            days.append(first + timedelta(days=int(every) * i))
    return days


def plan_installments(inv: InvoiceFacts, client: Client, rulebook: Rulebook, day: date, n: int, first: date, every: str | int, *,
                      waive_interest: bool) -> tuple[Installment, ...]:
    """Installments that settle everything open if each is paid on its due date.

    Waived: what is open on ``day`` (the interest stops from the plan's day). Otherwise the
    interest that accrues until each installment is in them: found by paying a trial plan on
    paper and moving what is left (or overpaid) into it, until the last installment leaves
    exactly nothing open. Payments under a plan go to costs, interest, principal."""
    days = installment_days(n, first, every)

    def trial(parts: tuple[Installment, ...]) -> Standing:
        # The invoice as it would stand on the last due date, every installment paid on time.
        facts = InvoiceFacts(inv.number, inv.client, inv.amount, inv.date, inv.due, inv.description,
                             inv.seq, payments=list(inv.payments), notes=list(inv.notes),
                             letters=list(inv.letters), plans=list(inv.plans) + [Plan(day, parts, -1, waive_interest)],
                             marks=list(inv.marks), events=list(inv.events), voided=dict(inv.voided))
        facts.payments += [Payment(i.due, i.amount, -2 - k) for k, i in enumerate(parts)]
        return standing(facts, client, rulebook, max(days[-1], day))

    total = amount_due(inv, client, rulebook, day)
    parts = split_installments(total, n, first, every)
    for _ in range(6):
        s = trial(parts)
        gap = s.total_due - s.credit
        if gap == 0:
            return parts
        total += gap
        parts = split_installments(total, n, first, every)
    # The last installment is paid at the end of the last day: what it settles no longer
    # changes the interest, so moving the rest into it leaves exactly nothing open.
    s = trial(parts)
    last = parts[-1]
    return parts[:-1] + (Installment(last.due, last.amount + s.total_due - s.credit),)


def _clamp_day(y: int, m: int, d: int) -> date:
    import calendar

    return date(y, m, min(d, calendar.monthrange(y, m)[1]))

"""Figures out of the ledger: ageing of what is open, what payments brought in, and how each
client pays.

Pure: the ledger, the assessments ``process`` made of it and a day in, frozen reports out.
Every amount is one ``process`` derived (``Standing`` and its ``Allocation`` of each
payment): this module only buckets and adds them up, so a report agrees with `wik status`
and `wik invoice show` to the cent. The one split it makes is the VAT inside collected
costs (see ``collected``).

- Ageing: each open invoice's principal falls in one bucket by the days since its due date
  (not yet due, 1-30, 31-60, 61-90, over 90); the collection costs owed and the interest
  open stand beside it. "Open" is what `wik status` lists (handed-over and paused invoices
  included: they are still owed).
- Collected: every payment dated in the period, split the way the ledger applied it:
  principal, collection costs (and the VAT in them), interest, and credit (paid too much).
- Clients: per client the invoices, how long the paid ones took, the highest step each
  reached, and the promises made in call notes, kept or broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Iterable, Sequence

from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.ledger.standing import Standing
from wikcli.ledger.steps import Assessment
from wikcli.rules.money import ZERO, cents, to_str

# (key, first day past due, last day past due); None: open-ended.
BUCKETS = (("not-due", None, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90),
           ("over-90", 91, None))
BUCKET_KEYS = tuple(b[0] for b in BUCKETS)
PERIODS = ("month", "quarter", "year")


def bucket_of(days_past_due: int) -> str:
    for key, low, high in BUCKETS:
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return key
    raise AssertionError(days_past_due)  # the buckets cover every integer


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


# --- ageing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Open:
    """Sums of open invoices: their number, principal open, costs owed and open, interest open
    and the total due (the same three parts `wik status` adds up)."""

    invoices: int = 0
    principal_open: Decimal = ZERO
    costs: Decimal = ZERO
    interest: Decimal = ZERO
    total_due: Decimal = ZERO

    def __add__(self, other: Open) -> Open:
        return Open(self.invoices + other.invoices, self.principal_open + other.principal_open,
                    self.costs + other.costs, self.interest + other.interest,
                    self.total_due + other.total_due)

    @staticmethod
    def of(s: Standing) -> Open:
        return Open(1, s.principal_open, s.costs_open, s.interest, s.total_due)

    def to_json(self) -> dict:
        return {"invoices": self.invoices, "principal_open": to_str(self.principal_open),
                "costs": to_str(self.costs), "interest": to_str(self.interest),
                "total_due": to_str(self.total_due)}


def _sum(items: Iterable[Open]) -> Open:
    total = Open()
    for x in items:
        total = total + x
    return total


@dataclass(frozen=True)
class AgedInvoice:
    invoice: str
    client: str
    due: date
    days_past_due: int  # 0 or less: not yet due
    bucket: str
    open: Open

    def to_json(self) -> dict:
        o = self.open
        return {"invoice": self.invoice, "client": self.client, "due": self.due.isoformat(),
                "days_past_due": self.days_past_due, "bucket": self.bucket,
                "principal_open": to_str(o.principal_open), "costs": to_str(o.costs),
                "interest": to_str(o.interest), "total_due": to_str(o.total_due)}


@dataclass(frozen=True)
class AgedClient:
    client: str
    name: str
    buckets: tuple[Open, ...]  # in the order of BUCKET_KEYS
    total: Open

    def to_json(self) -> dict:
        return {"client": self.client, "name": self.name, **self.total.to_json(),
                "buckets": {k: b.to_json() for k, b in zip(BUCKET_KEYS, self.buckets)}}


@dataclass(frozen=True)
class Ageing:
    on: date
    invoices: tuple[AgedInvoice, ...]  # most days past due first
    buckets: tuple[Open, ...]  # in the order of BUCKET_KEYS
    clients: tuple[AgedClient, ...]  # largest total due first
    total: Open

    def to_json(self) -> dict:
        return {"on": self.on.isoformat(),
                "buckets": [{"bucket": k, "from_days": low, "to_days": high, **b.to_json()}
                            for (k, low, high), b in zip(BUCKETS, self.buckets)],
                "total": self.total.to_json(),
                "clients": [c.to_json() for c in self.clients],
                "invoices": [i.to_json() for i in self.invoices]}


def ageing(ledger: facts.Ledger, assessments: Iterable[Assessment], on: date) -> Ageing:
    """``assessments``: the open invoices on ``on``, as ``steps.assess_all`` gives them."""
    lines = []
    for a in assessments:
        if not a.is_open:
            continue
        due = ledger.invoices[a.invoice].due
        days = (on - due).days
        lines.append(AgedInvoice(a.invoice, a.client, due, days, bucket_of(days), Open.of(a.standing)))
    lines.sort(key=lambda x: (-x.days_past_due, x.invoice))
    buckets = tuple(_sum(x.open for x in lines if x.bucket == k) for k in BUCKET_KEYS)
    per_client: dict[str, list[AgedInvoice]] = {}
    for x in lines:
        per_client.setdefault(x.client, []).append(x)
    clients = []
    for cid, xs in per_client.items():
        parts = tuple(_sum(x.open for x in xs if x.bucket == k) for k in BUCKET_KEYS)
        clients.append(AgedClient(cid, ledger.clients[cid].name, parts, _sum(parts)))
    clients.sort(key=lambda c: (-c.total.total_due, c.client))
    return Ageing(on, tuple(lines), buckets, tuple(clients), _sum(buckets))


# --- collected -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """One payment, as the ledger applied it (``standing.Allocation``)."""

    seq: int
    day: date
    invoice: str
    client: str
    amount: Decimal
    principal: Decimal
    costs: Decimal  # incl. the VAT in them
    costs_vat: Decimal
    interest: Decimal
    credit: Decimal

    def to_json(self) -> dict:
        return {"seq": self.seq, "date": self.day.isoformat(), "invoice": self.invoice,
                "client": self.client, "amount": to_str(self.amount), "principal": to_str(self.principal),
                "costs": to_str(self.costs), "costs_vat": to_str(self.costs_vat),
                "interest": to_str(self.interest), "credit": to_str(self.credit)}


@dataclass(frozen=True)
class Received:
    """Sums of receipts; ``amount`` = ``principal`` + ``costs`` + ``interest`` + ``credit``."""

    payments: int = 0
    amount: Decimal = ZERO
    principal: Decimal = ZERO
    costs: Decimal = ZERO
    costs_vat: Decimal = ZERO
    interest: Decimal = ZERO
    credit: Decimal = ZERO

    @staticmethod
    def of(receipts: Iterable[Collection]) -> Received:
        n = 0
        amount = principal = costs = vat = interest = credit = ZERO
        for r in receipts:
            n += 1
            amount += r.amount
            principal += r.principal
            costs += r.costs
            vat += r.costs_vat
            interest += r.interest
            credit += r.credit
        return Received(n, amount, principal, costs, vat, interest, credit)

    def to_json(self) -> dict:
        return {"payments": self.payments, "amount": to_str(self.amount),
                "principal": to_str(self.principal), "costs": to_str(self.costs),
                "costs_vat": to_str(self.costs_vat), "costs_excl_vat": to_str(self.costs - self.costs_vat),
                "interest": to_str(self.interest), "credit": to_str(self.credit)}


@dataclass(frozen=True)
class ReportPeriod:
    label: str  # 2026-07, 2026-Q3, 2026
    start: date  # clipped to the report's range
    end: date
    received: Received

    def to_json(self) -> dict:
        return {"period": self.label, "from": self.start.isoformat(), "to": self.end.isoformat(),
                **self.received.to_json()}


@dataclass(frozen=True)
class Collected:
    start: date
    end: date
    by: str
    periods: tuple[ReportPeriod, ...]  # every period the range touches, payments or not
    total: Received
    receipts: tuple[Collection, ...]  # by date

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by,
                "periods": [p.to_json() for p in self.periods], "total": self.total.to_json(),
                "payments": [r.to_json() for r in self.receipts]}


def costs_vat_parts(standing: Standing) -> list[Decimal]:
    """The VAT inside the costs part of each allocation of ``standing``, in their order.

    A payment of costs pays their VAT in proportion: of the costs charged incl. VAT
    (``costs_charged``) the VAT is ``costs_vat``. Each part is the VAT of the costs paid so far
    (rounded half up to the cent) less that of the costs paid before, so the parts add up to
    the VAT charged once the costs are paid in full and never drift by a cent."""
    charged, vat = standing.costs_charged, standing.costs_vat if standing.costs_owed else ZERO
    out = []
    paid = before = ZERO
    for x in standing.allocations:
        if x.costs and charged > 0 and vat > 0:
            paid += x.costs
            upto = cents(paid * vat / charged)
            out.append(upto - before)
            before = upto
        else:
            out.append(ZERO)
    return out


def period_of(day: date, by: str) -> tuple[str, date, date]:
    """(label, first day, last day) of the month, quarter or year that holds ``day``."""
    from calendar import monthrange

    if by == "month":
        first, last, label = day.month, day.month, f"{day.year}-{day.month:02d}"
    elif by == "quarter":
        q = (day.month - 1) // 3
        first, last, label = 3 * q + 1, 3 * q + 3, f"{day.year}-Q{q + 1}"
    elif by == "year":
        first, last, label = 1, 12, str(day.year)
    else:
        raise ValueError(by)
    return label, date(day.year, first, 1), date(day.year, last, monthrange(day.year, last)[1])


def collected(ledger: facts.Ledger, standings: Iterable[tuple[facts.InvoiceFacts, Standing]],
              start: date, end: date, by: str) -> Collected:
    """``standings``: (invoice, its ``standing.standing``) for every invoice, closed ones too:
    money comes in on invoices that are paid, written off or handed over."""
    receipts: list[Collection] = []
    for inv, s in standings:
        for x, vat in zip(s.allocations, costs_vat_parts(s)):
            if start <= x.day <= end:
                if x.set_off:
                    # No money came in: a credit received earlier now pays this invoice, so the
                    # receipt moves that credit into principal, costs and interest (amount 0).
                    receipts.append(Collection(x.seq, x.day, inv.number, inv.client, ZERO, x.principal,
                                            x.costs, vat, x.interest, x.credit - x.amount))
                else:
                    receipts.append(Collection(x.seq, x.day, inv.number, inv.client, x.amount, x.principal,
                                            x.costs, vat, x.interest, x.credit))
        for out in inv.credit_out:
            if not out.set_off and start <= out.day <= end:
                # A credit paid back to the client: money out, the credit gone.
                receipts.append(Collection(out.seq, out.day, inv.number, inv.client, -out.amount, ZERO, ZERO, ZERO,
                                           ZERO, -out.amount))
    receipts.sort(key=lambda r: (r.day, r.seq))
    periods = []
    day = start
    while day <= end:
        label, first, last = period_of(day, by)
        last = min(last, end)
        periods.append(ReportPeriod(label, day, last,
                              Received.of(r for r in receipts if day <= r.day <= last)))
        if last == date.max:
            break
        day = last + timedelta(days=1)
    return Collected(start, end, by, tuple(periods), Received.of(receipts), tuple(receipts))


# --- clients ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientRecord:
    client: str
    name: str
    debtor: str
    invoices: int
    invoiced: Decimal
    open_invoices: int
    principal_open: Decimal
    total_due: Decimal
    paid_invoices: int  # principal paid in full
    days_to_pay_avg: Decimal | None  # invoice date to the day the principal was paid in full
    days_to_pay_max: int | None
    days_late_avg: Decimal | None  # days after the due date (0 when on time)
    paid_late: int
    steps: tuple[int, ...]  # invoices by the highest step reached, steps 1 to 6
    promises_kept: int
    promises_broken: int
    promises_pending: int
    credit: Decimal = ZERO  # paid beyond what invoices owed, neither set off nor refunded

    def to_json(self) -> dict:
        return {
            "client": self.client, "name": self.name, "debtor": self.debtor, "invoices": self.invoices,
            "invoiced": to_str(self.invoiced), "open_invoices": self.open_invoices,
            "principal_open": to_str(self.principal_open), "total_due": to_str(self.total_due),
            "credit": to_str(self.credit),
            "paid_invoices": self.paid_invoices,
            "days_to_pay_avg": None if self.days_to_pay_avg is None else float(self.days_to_pay_avg),
            "days_to_pay_max": self.days_to_pay_max,
            "days_late_avg": None if self.days_late_avg is None else float(self.days_late_avg),
            "paid_late": self.paid_late,
            "steps": {facts.STEP_NAMES[i + 1]: n for i, n in enumerate(self.steps)},
            "promises": {"kept": self.promises_kept, "broken": self.promises_broken,
                         "pending": self.promises_pending},
        }


@dataclass(frozen=True)
class Clients:
    on: date
    clients: tuple[ClientRecord, ...]  # by client id

    def to_json(self) -> dict:
        return {"on": self.on.isoformat(), "clients": [c.to_json() for c in self.clients]}


def _avg(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def paid_in_full_on(s: Standing) -> date | None:
    """The day the payments cleared the principal, or None while some of it is open."""
    if s.principal_open > 0:
        return None
    return max((x.day for x in s.allocations if x.principal > 0), default=None)


def _closed_on(inv: facts.InvoiceFacts, today: date) -> date | None:
    for day, kind, _ in inv.marks:
        if kind == events.CLOSED and day <= today:
            return day
    return None


def clients(ledger: facts.Ledger, assessments: Iterable[Assessment], on: date) -> Clients:
    """``assessments``: every invoice dated up to ``on``, closed ones included.

    A promise (a call note with a promised date) is kept when the invoice's principal was paid
    in full by the promised date, broken when that date has passed without it, pending while
    it has not come; a promise on an invoice closed unpaid (credit note, write-off) before
    its date counts as neither."""
    per_client: dict[str, list[Assessment]] = {}
    for a in assessments:
        per_client.setdefault(a.client, []).append(a)
    out = []
    for cid in sorted(per_client):
        rows = per_client[cid]
        to_pay, late = [], []
        steps = [0] * 6
        kept = broken = pending = 0
        for a in rows:
            inv = ledger.invoices[a.invoice]
            s = a.standing
            steps[a.step - 1] += 1
            paid = paid_in_full_on(s)
            if paid is not None:
                to_pay.append((paid - inv.date).days)
                late.append(max((paid - inv.due).days, 0))
            closed = _closed_on(inv, on)
            for n in inv.live(inv.notes, on):
                if n.promise is None:
                    continue
                if paid is not None and paid <= n.promise:
                    kept += 1
                elif closed is not None and closed <= n.promise and paid is None:
                    continue
                elif n.promise < on:
                    broken += 1
                else:
                    pending += 1
        open_rows = [a for a in rows if a.is_open]
        client = ledger.clients[cid]
        out.append(ClientRecord(
            client=cid, name=client.name, debtor=client.type, invoices=len(rows),
            invoiced=sum((a.standing.principal for a in rows), ZERO), open_invoices=len(open_rows),
            principal_open=sum((a.standing.principal_open for a in open_rows), ZERO),
            total_due=sum((a.standing.total_due for a in open_rows), ZERO),
            paid_invoices=len(to_pay), days_to_pay_avg=_avg(to_pay),
            days_to_pay_max=max(to_pay) if to_pay else None, days_late_avg=_avg(late),
            paid_late=sum(1 for d in late if d > 0), steps=tuple(steps),
            promises_kept=kept, promises_broken=broken, promises_pending=pending,
            credit=sum((a.standing.credit for a in rows), ZERO)))
    return Clients(on, tuple(out))

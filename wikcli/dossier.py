"""The hand-over dossier of one invoice: everything a collection agency or bailiff asks for.

Pure: the ledger, the config and a day in, a frozen ``Dossier`` out. The amounts come from
``process.standing`` (the same figures as ``wik invoice show``), with the collection costs'
brackets and the interest's periods behind them; ``pdf.render_dossier`` lays it out and
``to_json`` is the machine-readable copy (money as strings with two decimals, ISO dates).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wikcli import model, process
from wikcli.decide import LedgerError
from wikcli.money import ZERO, to_str


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


@dataclass(frozen=True)
class Entry:
    """One event of the invoice's timeline, as the journal holds it."""

    seq: int
    at: str  # when it was recorded (UTC)
    day: date  # the day it happened
    type: str
    summary: str  # one line for people; ``data`` is the event itself
    data: dict

    def to_json(self) -> dict:
        return {"seq": self.seq, "at": self.at, "date": self.day.isoformat(), "type": self.type,
                "summary": self.summary, "data": self.data}


@dataclass(frozen=True)
class Letter:
    """A letter of the invoice: archived (file + SHA-256) and/or recorded as sent."""

    kind: str
    day: date
    file: str | None
    sha256: str | None
    sent: bool
    via: str | None  # post | email, when sent

    def to_json(self) -> dict:
        return {"kind": self.kind, "date": self.day.isoformat(), "file": self.file,
                "sha256": self.sha256, "sent": self.sent, "via": self.via}


@dataclass(frozen=True)
class Payment:
    day: date
    amount: Decimal

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "amount": to_str(self.amount)}


@dataclass(frozen=True)
class Note:
    day: date
    text: str
    promise: date | None

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "text": self.text, "promise": _iso(self.promise)}


@dataclass(frozen=True)
class Owed:
    """What the debtor owes on the dossier's day, and how each part is made up."""

    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    costs_owed: bool
    costs_due_from: date | None
    costs: Decimal  # excl. VAT: as owed, or (not owed yet) as a WIK-letter would announce
    costs_vat: Decimal
    costs_incl_vat: Decimal
    costs_paid: Decimal
    costs_open: Decimal
    costs_calc: Any  # costs.Costs (brackets) or None
    interest_kind: str  # consumer | commercial
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_open: Decimal
    interest_calc: Any  # interest.Interest (periods) or None
    total_due: Decimal
    credit: Decimal
    warnings: tuple[str, ...] = ()  # about the interest rates used (unconfirmed, unknown)

    def to_json(self) -> dict:
        c, i = self.costs_calc, self.interest_calc
        return {
            "principal": to_str(self.principal),
            "paid": to_str(self.paid),
            "principal_open": to_str(self.principal_open),
            "costs": {
                "owed": self.costs_owed,
                "due_from": _iso(self.costs_due_from),
                "costs": to_str(self.costs),
                "vat": to_str(self.costs_vat),
                "costs_incl_vat": to_str(self.costs_incl_vat),
                "paid": to_str(self.costs_paid),
                "open": to_str(self.costs_open),
                "calculation": None if c is None else c.to_json(),
            },
            "interest": {
                "kind": self.interest_kind,
                "accrued": to_str(self.interest_accrued),
                "paid": to_str(self.interest_paid),
                "open": to_str(self.interest_open),
                "calculation": None if i is None else i.to_json(),
                "warnings": list(self.warnings),
            },
            "total_due": to_str(self.total_due),
            "credit": to_str(self.credit),
        }


@dataclass(frozen=True)
class Dossier:
    today: date
    number: str
    creditor: model.Creditor
    debtor: model.Client
    invoice_date: date
    due: date
    amount: Decimal
    description: str
    step: int
    step_name: str
    paused: str | None
    timeline: tuple[Entry, ...]
    letters: tuple[Letter, ...]
    payments: tuple[Payment, ...]
    notes: tuple[Note, ...]
    owed: Owed
    terms: Any = None  # the agreed.Terms behind the interest and costs (with their clause), or None

    @property
    def archived(self) -> tuple[Letter, ...]:
        """The letters with an archived copy, each file once."""
        seen: set[str] = set()
        out = []
        for x in self.letters:
            if x.file and x.file not in seen:
                seen.add(x.file)
                out.append(x)
        return tuple(out)

    def to_json(self) -> dict:
        cr = asdict(self.creditor)
        return {
            "date": self.today.isoformat(),
            "invoice": {"number": self.number, "date": self.invoice_date.isoformat(),
                        "due": self.due.isoformat(), "amount": to_str(self.amount),
                        "description": self.description},
            "creditor": cr,
            "debtor": asdict(self.debtor),
            "state": {"step": self.step, "step_name": self.step_name, "paused": self.paused},
            "timeline": [e.to_json() for e in self.timeline],
            "letters": [x.to_json() for x in self.letters],
            "payments": [p.to_json() for p in self.payments],
            "notes": [n.to_json() for n in self.notes],
            "owed": self.owed.to_json(),
            "terms": None if self.terms is None else self.terms.to_json(),
        }


def summary(ev) -> str:
    """One line about an event, in plain English."""
    d = ev.data
    t = ev.type
    if t == process.INVOICE_ADDED:
        return f"invoice of {d['amount']} dated {d['date']}, due {d['due']}"
    if t == process.PAYMENT:
        return f"payment of {d['amount']}"
    if t == process.NOTE:
        return d.get("text", "") + (f" (promise to pay by {d['promise']})" if d.get("promise") else "")
    if t == process.LETTER_SENT:
        name = process.KIND_NAMES.get(d["kind"], d["kind"])
        return f"{name} sent via {d.get('via', 'post')}" + (f": {d['file']}" if d.get("file") else "")
    if t == process.LETTER_RENDERED:
        return f"{process.KIND_NAMES.get(d['kind'], d['kind'])} archived: {d['file']}"
    if t == process.PLAN:
        parts = d["installments"]
        return f"payment plan of {d.get('total', '')} in {len(parts)} installments from {parts[0]['due']}"
    if t == process.CLOSED:
        return f"closed: {d.get('reason', '')}"
    if t == process.PAUSED:
        return f"paused: {d.get('reason', '')}"
    if t == process.RESUMED:
        return "resumed"
    if t == process.HANDED_OVER:
        return "handed over" + (f": {d['dossier']}" if d.get("dossier") else "")
    if t == process.TERMS_AGREED:
        parts = [x for x in (f"interest {d['interest']['text']}" if d.get("interest") else "",
                             f"collection costs {d['costs']['text']}" if d.get("costs") else "") if x]
        return "agreed terms: " + (", ".join(parts) or "none") + (f" ({d['clause']})" if d.get("clause") else "")
    return t


def build(ledger: process.Ledger, config: model.Config, number: str, today: date) -> Dossier:
    """The dossier of invoice ``number`` as it stands on ``today`` (later facts left out)."""
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    client = ledger.clients[inv.client]
    policy, vat_ok = config.policy, config.creditor.vat_deductible
    day = max(today, inv.date)
    a = process.assess(inv, client, policy, vat_ok, day, breakdown=True)
    s = a.standing

    events = [e for e in inv.events if date.fromisoformat(e.data["date"]) <= day]
    timeline = tuple(Entry(e.seq, e.at, date.fromisoformat(e.data["date"]), e.type, summary(e), e.data)
                     for e in events)

    sent_files = {e.data["file"]: e for e in events if e.type == process.LETTER_SENT and e.data.get("file")}
    letters: list[Letter] = []
    for e in events:
        d = e.data
        if e.type == process.LETTER_RENDERED:
            sent = sent_files.get(d["file"])
            letters.append(Letter(d["kind"], date.fromisoformat(d["date"]), d["file"], d["sha256"],
                                  sent is not None, sent.data.get("via") if sent else None))
        elif e.type == process.LETTER_SENT and not d.get("file"):
            # Recorded with `wik sent`: the letter went out, but no copy is archived.
            letters.append(Letter(d["kind"], date.fromisoformat(d["date"]), None, None, True,
                                  d.get("via", "post")))

    payments = tuple(Payment(p.day, p.amount) for p in sorted(inv.payments, key=lambda p: (p.day, p.seq))
                     if p.day <= day)
    notes = tuple(Note(n.day, n.text, n.promise) for n in sorted(inv.notes, key=lambda n: (n.day, n.seq))
                  if n.day <= day)

    calc = s.costs_calc
    # This invoice's costs: owed (its share of what a letter announced, lowered by payments
    # inside the term), else what is announced or a WIK-letter would announce now.
    incl = s.costs_charged if s.costs_owed else s.costs
    vat = s.costs_vat
    costs = incl - vat
    costs_paid = s.costs_paid
    accrued = ZERO if s.interest_calc is None else s.interest_calc.interest
    owed = Owed(
        principal=s.principal, paid=s.paid, principal_open=s.principal_open, costs_owed=s.costs_owed,
        costs_due_from=s.costs_due_from, costs=costs, costs_vat=vat, costs_incl_vat=incl,
        costs_paid=costs_paid, costs_open=s.costs_open, costs_calc=calc, interest_kind=s.interest_kind,
        interest_accrued=accrued, interest_paid=s.interest_paid, interest_open=s.interest,
        interest_calc=s.interest_calc, total_due=s.total_due, credit=s.credit, warnings=tuple(s.warnings))
    return Dossier(
        today=day, number=number, creditor=config.creditor, debtor=client, invoice_date=inv.date,
        due=inv.due, amount=inv.amount, description=inv.description, step=a.step,
        step_name=a.step_name, paused=a.paused, timeline=timeline, letters=tuple(letters),
        payments=payments, notes=notes, owed=owed, terms=s.terms)

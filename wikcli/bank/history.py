"""What the journal holds of the bank: every bank transaction recorded, once.

Pure: ``History.of`` reads the bank's events the fold collected (``Ledger.bank``: payments
from a statement, credits kept for review, credits ignored), never the whole journal, so a
bank command reads the ledger through the snapshot like every other.

- A credit the journal holds (a payment, a credit kept or ignored) is passed over: importing
  a statement again, an overlapping one, or the same days in another format, adds nothing.
  It is the same credit when its identity agrees (``statements.credit_identity``: account
  number, booking date, amount, payer and text, whatever the format or the bank's
  reference), or when its key does and so do its booking date and amount (a bank reference
  reused for another entry is another credit). One exception: when both carry a reference of
  the bank's and the references differ (``History.twin``: two statements of one day, each
  with a transfer alike), nothing tells a second transfer from the first exported again, so
  it is kept for review, never passed over or booked.
- A credit to review (``Pending``) is kept unmatched, or was booked and every payment of it
  voided since; not when it was booked (again) or ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from collections.abc import Iterable

from wikcli.bank import statements
from wikcli.bank.statements import Credit
from wikcli.ledger.commands import LedgerError
from wikcli.ledger.bank_payloads import BankIgnoredData, BankUnmatchedData
from wikcli.ledger.events import BANK_IGNORED, BANK_UNMATCHED, PAYMENT, PaymentData
from wikcli.ledger.facts import Ledger
from wikcli.rules.money import to_str
from wikcli.i18n import _

STATE_UNMATCHED = "unmatched"
STATE_VOIDED = "voided"  # booked, and every payment of it voided since: to be reviewed again


def credit_data(c: Credit) -> dict:
    """The bank transaction as the journal keeps it (on a payment or a kept credit)."""
    return {
        "key": c.key, "account": c.account, "statement": c.statement,
        "booking_date": c.booking_date.isoformat(),
        "value_date": None if c.value_date is None else c.value_date.isoformat(),
        "amount": to_str(c.amount), "counterparty_name": c.counterparty_name,
        "counterparty_iban": c.counterparty_iban, "text": c.remittance, "reference": c.reference,
        "end_to_end": c.end_to_end, "bank_ref": c.bank_ref, "identity": identity(c),
    }


def _by_reference(key: str) -> bool:
    # A key made from the bank's own reference of the entry (``statements._credits_of``).
    return "/ref/" in key


def identity(c: Credit) -> str:
    """The credit's identity; a credit recorded before identities were (or made in code) gets
    it from what the journal holds, as the first of its kind in its statement."""
    return c.identity or statements.credit_identity(c.account, c.booking_date, c.amount, c.counterparty_iban,
                                                    c.counterparty_name, c.remittance, c.reference)


def credit_of(data: dict) -> Credit:
    """A credit back from the journal's bank data (``credit_data``)."""
    iban = data.get("counterparty_iban") or ""
    return Credit(
        key=data["key"], account=data.get("account", ""), booking_date=date.fromisoformat(data["booking_date"]),
        value_date=date.fromisoformat(data["value_date"]) if data.get("value_date") else None,
        amount=Decimal(data["amount"]), currency=statements.EUR,
        counterparty_name=data.get("counterparty_name") or "",
        counterparty_iban=iban, counterparty_iban_valid=statements._iban_valid(iban),
        remittance=data.get("text") or "", reference=data.get("reference"), bank_ref=data.get("bank_ref"),
        end_to_end=data.get("end_to_end"), statement=data.get("statement", ""), identity=data.get("identity", ""))


@dataclass
class Pending:
    """A credit to review: kept unmatched, or booked and every payment of it voided since."""

    seq: int  # the event that holds it: the bank-unmatched event, or the first payment
    credit: Credit
    state: str  # STATE_UNMATCHED or STATE_VOIDED
    reason: str
    rule: str | None = None
    candidates: list = field(default_factory=list)
    duplicate_of: int | None = None  # the payment it probably duplicated when it was kept

    def to_json(self) -> dict:
        c = self.credit
        return {"seq": self.seq, "tx": c.key, "date": c.booking_date.isoformat(), "amount": to_str(c.amount),
                "counterparty": c.counterparty_name, "iban": c.counterparty_iban, "text": c.remittance,
                "reference": c.reference, "state": self.state, "reason": self.reason, "rule": self.rule,
                "candidates": self.candidates, "duplicate_of": self.duplicate_of}


@dataclass
class History:
    """The bank transactions the journal holds, by key."""

    keys: set[str] = field(default_factory=set)
    identities: dict[str, list[str]] = field(default_factory=dict)  # identity -> the keys recorded with it
    facts: dict[str, tuple] = field(default_factory=dict)  # key -> (booking date, amount) as recorded
    booked: dict[str, list] = field(default_factory=dict)  # key -> its payment events
    kept: dict[str, Any] = field(default_factory=dict)  # key -> its bank-unmatched event
    ignored: dict[str, Any] = field(default_factory=dict)  # key -> its bank-ignored event

    @classmethod
    def of(cls, events: Iterable) -> History:
        """From the bank's events in journal order (``Ledger.bank``; other events are passed over)."""
        h = cls()
        for ev in events:
            t = ev.type
            if t == PAYMENT:
                b = PaymentData.load(ev.data).bank
                if b:
                    h.booked.setdefault(b["key"], []).append(ev)
                    h.note(b)
            elif t == BANK_UNMATCHED:
                b = BankUnmatchedData.load(ev.data).bank
                h.kept.setdefault(b["key"], ev)
                h.note(b)
            elif t == BANK_IGNORED:
                key = BankIgnoredData.load(ev.data).key
                h.ignored.setdefault(key, ev)
                h.keys.add(key)
        return h

    def note(self, data: dict) -> None:
        """A bank transaction as the journal records it (``credit_data``)."""
        self.add(credit_of(data))

    def add(self, c: Credit) -> None:
        self.keys.add(c.key)
        self.identities.setdefault(identity(c), []).append(c.key)
        self.facts.setdefault(c.key, (c.booking_date, c.amount))

    def holds(self, c: Credit) -> bool:
        """Whether this credit is one the journal (or this run) already holds."""
        if identity(c) in self.identities and self.twin(c) is None:
            return True
        return c.key in self.keys and self.facts.get(c.key, (c.booking_date, c.amount)) == (c.booking_date, c.amount)

    def twin(self, c: Credit) -> str | None:
        """The key of a credit recorded with this one's identity but another reference of the
        bank, when both carry one (two statements of one day, each with a transfer alike):
        a second transfer or the same one exported again, which nothing in the credits tells
        apart; None otherwise. Such a credit is neither passed over nor booked, but kept for
        review. Without a bank reference on either side (an export that says NONREF) the
        identity decides: the same credit."""
        keys = self.identities.get(identity(c))
        if not keys or c.key in keys or not _by_reference(c.key) or not all(_by_reference(k) for k in keys):
            return None
        return keys[0]

    def live_payments(self, key: str, ledger: Ledger, today: date) -> list:
        out = []
        for ev in self.booked.get(key, ()):
            inv = ledger.invoices.get(ev.invoice)
            if inv is not None and not inv.is_voided(ev.seq, today):
                out.append(ev)
        return out

    def pending(self, ledger: Ledger, today: date) -> list[Pending]:
        """Credits to review, oldest booking date first: kept unmatched, or booked and voided
        since, and neither booked (again) nor ignored."""
        out = []
        for key in self.kept.keys() | self.booked.keys():
            if key in self.ignored or self.live_payments(key, ledger, today):
                continue
            kept = self.kept.get(key)
            if kept is not None:
                k = BankUnmatchedData.load(kept.data)
                out.append(Pending(kept.seq, credit_of(k.bank), STATE_UNMATCHED, k.reason or "", k.rule,
                                   [c.to_payload() for c in k.candidates], k.duplicate_of))
            else:
                first = self.booked[key][0]
                numbers = ", ".join(dict.fromkeys(e.invoice for e in self.booked[key]))
                out.append(Pending(first.seq, credit_of(PaymentData.load(first.data).bank or {}), STATE_VOIDED,
                                   f"its payment on invoice {numbers} was voided"))
        out.sort(key=lambda p: (p.credit.booking_date, p.seq))
        return out


def find_pending(history: History, ledger: Ledger, tx: str, today: date) -> Pending:
    """The credit to review that ``tx`` names: the number `wik bank unmatched` shows, or its key."""
    tx = tx.strip().lstrip("#")
    pending = history.pending(ledger, today)
    for p in pending:
        if (tx.isdigit() and p.seq == int(tx)) or p.credit.key == tx:
            return p
    key = tx
    if tx.isdigit():
        seq = int(tx)
        for k, evs in history.booked.items():
            if any(e.seq == seq for e in evs):
                key = k
        for k, ev in (*history.kept.items(), *history.ignored.items()):
            if ev.seq == seq:
                key = k
    if key in history.ignored:
        ignored = BankIgnoredData.load(history.ignored[key].data)
        raise LedgerError(_("bank transaction {tx!r} was ignored on {date} ({reason}): nothing to review").format(
                             tx=tx, date=ignored.day.isoformat(), reason=ignored.reason or ""))
    live = history.live_payments(key, ledger, today)
    if live:
        numbers = ", ".join(dict.fromkeys(e.invoice for e in live))
        raise LedgerError(_("bank transaction {tx!r} is booked on invoice {numbers}: void that payment first to book "
                             "it elsewhere").format(tx=tx, numbers=numbers))
    raise LedgerError(_("bank transaction {tx!r} is not a credit kept for review: see `wik bank unmatched`").format(
                         tx=tx[:80]))

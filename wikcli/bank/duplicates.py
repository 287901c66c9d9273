"""Probable duplicates: a bank credit that looks like a payment the ledger already holds.

A freelancer who sees a payment in the banking app records it with `wik pay`, then imports
the statement; the same money exported twice (camt.053 and MT940) can differ in what a
credit's identity is made of (a payer's name cut short, an IBAN one export leaves out).
Either way the credit must not be booked a second time without someone looking at it.

A credit is a probable duplicate of a live payment (by hand or from a statement) when:
- the payment (or the parts one bank credit was booked in) adds up to the credit's amount;
- it is on one of the invoices the credit would be booked on, or on an invoice a letter
  about one of them also names;
- its date is within ``WINDOW_DAYS`` of the credit's booking date;
- its payer is the credit's where both are known (IBAN, else name; a hand payment has none);
- it does not come from the same statement of the same account: a statement does not list
  the same money twice, so two equal credits in one statement are two payments.

Pure: the ledger and its bank payments in, the payment it duplicates (or None) out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping

from wikcli.bank.statements import Credit, account_number, iban_key, name_key
from wikcli.ledger.events import LETTER_RENDERED, LETTER_SENT, PAYMENT
from wikcli.ledger.facts import Ledger
from wikcli.rules.money import format_eur
from wikcli.i18n import N_

# A transfer booked on a Friday before a holiday is seen in the app, and recorded by hand,
# up to a few working days later; a week either side covers that and not a monthly
# installment of the same amount.
WINDOW_DAYS = 7


@dataclass
class Paid:
    """One payment as the ledger holds it: by hand (one event) or one bank credit (its parts)."""

    seqs: list[int]
    invoices: list[str]
    day: date
    amount: Decimal
    iban: str = ""  # iban_key of the payer, "" when unknown
    name: str = ""  # name_key of the payer, "" when unknown
    account: str = ""  # account_number of the statement's account, "" for a hand payment
    statement: str = ""
    key: str = ""  # the bank transaction's key, "" for a hand payment

    def describe(self, speak=None) -> str:
        """The payment in one line: English for a kept credit's reason (journal, JSON), in the
        run's language with ``speak=_`` for a refusal."""
        say = speak or (lambda text: text)
        if not self.key:
            text = N_("payment #{seq} of {amount} on {day} on invoice {numbers} (recorded by hand)")
        elif self.statement:
            text = N_("payment #{seq} of {amount} on {day} on invoice {numbers} (from the bank statement {statement})")
        else:
            text = N_("payment #{seq} of {amount} on {day} on invoice {numbers} (from the bank)")
        return say(text).format(seq=self.seqs[0], amount=format_eur(self.amount), day=self.day.isoformat(),
                                numbers=", ".join(dict.fromkeys(self.invoices)), statement=self.statement)


def _payer(credit_or_data) -> tuple[str, str]:
    if isinstance(credit_or_data, Credit):
        return iban_key(credit_or_data.counterparty_iban), name_key(credit_or_data.counterparty_name)
    d = credit_or_data
    return iban_key(d.get("counterparty_iban") or ""), name_key(d.get("counterparty_name") or "")


class Payments:
    """The live payments of a ledger, by invoice, to compare credits with: an invoice's are
    gathered from its events when a credit is first compared with it, a bank credit's parts
    from the bank's payments by key (``History.booked``)."""

    def __init__(self, ledger: Ledger, booked: Mapping[str, list], today: date):
        self.ledger, self.booked, self.today = ledger, booked, today
        self.by_invoice: dict[str, list[Paid]] = {}
        self._of_key: dict[str, Paid | None] = {}

    def of(self, number: str) -> list[Paid]:
        """The live payments on invoice ``number``, in journal order, and those added since."""
        found = self.by_invoice.get(number)
        if found is None:
            found = self.by_invoice[number] = self._recorded(number)
        return found

    def _recorded(self, number: str) -> list[Paid]:
        inv = self.ledger.invoices.get(number)
        out: list[Paid] = []
        if inv is None:
            return out
        for ev in inv.events:
            if ev.type != PAYMENT or inv.is_voided(ev.seq, self.today):
                continue
            b = ev.data.get("bank")
            p = self._credit(b["key"]) if b else None
            if p is None:
                p = Paid([ev.seq], [ev.invoice], date.fromisoformat(ev.data["date"]), Decimal(ev.data["amount"]))
            out.append(p)
        return out

    def _credit(self, key: str) -> Paid | None:
        """The live parts of one bank credit, on whichever invoices, as one payment."""
        if key in self._of_key:
            return self._of_key[key]
        p = None
        for ev in self.booked.get(key, ()):
            inv = self.ledger.invoices.get(ev.invoice)
            if inv is None or inv.is_voided(ev.seq, self.today):
                continue
            amount = Decimal(ev.data["amount"])
            if p is None:
                b = ev.data["bank"]
                iban, name = _payer(b)
                p = Paid([ev.seq], [ev.invoice], date.fromisoformat(ev.data["date"]), amount, iban, name,
                         account_number(b.get("account", "")), b.get("statement", ""), key)
            else:
                p.seqs.append(ev.seq)
                p.invoices.append(ev.invoice)
                p.amount += amount
        self._of_key[key] = p
        return p

    def add(self, credit: Credit, parts: Iterable[tuple[str, Decimal]], seqs: Iterable[int]) -> None:
        """A credit booked in this run: later credits are compared with it too."""
        iban, name = _payer(credit)
        parts = list(parts)
        p = Paid(list(seqs), [n for n, _ in parts], credit.booking_date, sum((a for _, a in parts), Decimal("0")),
                 iban, name, account_number(credit.account), credit.statement, credit.key)
        for n in dict.fromkeys(p.invoices):
            self.of(n).append(p)

    def related(self, numbers: Iterable[str]) -> list[str]:
        """These invoices and every invoice a letter about one of them names."""
        out = dict.fromkeys(numbers)
        for n in list(out):
            inv = self.ledger.invoices.get(n)
            for ev in (inv.events if inv is not None else ()):
                if ev.type in (LETTER_SENT, LETTER_RENDERED):
                    out.update(dict.fromkeys(x for x in ev.data.get("invoices") or () if x in self.ledger.invoices))
        return list(out)

    def probable(self, credit: Credit, numbers: Iterable[str]) -> Paid | None:
        """The payment this credit probably duplicates, if booked on ``numbers``."""
        iban, name = _payer(credit)
        account = account_number(credit.account)
        seen = set()
        for n in self.related(numbers):
            for p in self.of(n):
                if id(p) in seen:
                    continue
                seen.add(id(p))
                if p.amount != credit.amount or abs((p.day - credit.booking_date).days) > WINDOW_DAYS:
                    continue
                if p.key and p.key == credit.key:
                    continue  # the credit itself (booked and kept again): not a second payment
                if p.key and credit.statement and (p.account, p.statement) == (account, credit.statement):
                    continue
                if iban and p.iban:
                    if iban != p.iban:
                        continue
                elif name and p.name and name != p.name:
                    continue
                return p
        return None


def reason(p: Paid) -> str:
    return (f"probable duplicate of {p.describe()}: same amount, within {WINDOW_DAYS} days; book it with "
            "`wik bank match TX NUMBER --force` if it is a second payment")

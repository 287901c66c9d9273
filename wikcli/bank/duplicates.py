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
from collections.abc import Iterable, Iterator, Mapping

from wikcli.bank.statements import Credit, account_number, iban_key, name_key
from wikcli.i18n import _
from wikcli.ledger.commands import LedgerError
from wikcli.ledger.events import LETTER_RENDERED, LETTER_SENT, PAYMENT, LetterRenderedData, PaymentData
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

    def __init__(self, ledger: Ledger, booked: Mapping[str, list] | None, today: date):
        """``booked``: the bank's payments by key (``History.booked``); None: gathered from
        ``ledger.bank`` when first needed."""
        self.ledger, self.today = ledger, today
        self._booked = booked
        self.by_invoice: dict[str, list[Paid]] = {}
        self._of_key: dict[str, Paid | None] = {}
        self._claims: dict[tuple, list[Paid]] = {}

    @property
    def booked(self) -> Mapping[str, list]:
        if self._booked is None:
            found: dict[str, list] = {}
            for ev in self.ledger.bank:
                b = PaymentData.load(ev.data).bank if ev.type == PAYMENT else None
                if b:
                    found.setdefault(b["key"], []).append(ev)
            self._booked = found
        return self._booked

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
            paid = PaymentData.load(ev.data)
            p = self._credit(paid.bank["key"]) if paid.bank else None
            if p is None:
                p = self._by_hand(ev, paid)
            out.append(p)
        return out

    def _by_hand(self, ev, paid: PaymentData) -> Paid:
        """A payment recorded by hand (``ev``, whose payload is ``paid``); one `wik pay` split
        over a joint letter's claim (its parts appended together, one per invoice, each with
        the same ``claim``) is one payment of the claim's amount, as one bank credit booked in
        parts is."""
        day, claim = paid.day, paid.claim
        if claim is None:
            return Paid([ev.seq], [ev.invoice], day, paid.amount)
        members = claim.invoices
        group = (day, claim.amount, claim.paid_on, members)
        for p in self._claims.get(group, ()):
            if ev.seq in p.seqs:
                return p
        parts = []
        for n in members:
            inv = self.ledger.invoices.get(n)
            if inv is None:
                continue
            for e in inv.events:
                if e.type != PAYMENT or abs(e.seq - ev.seq) >= len(members) or inv.is_voided(e.seq, self.today):
                    continue
                other = PaymentData.load(e.data)
                if other.claim == claim and other.day == day:
                    parts.append(e)
        parts.sort(key=lambda e: e.seq)
        p = Paid([e.seq for e in parts] or [ev.seq], [e.invoice for e in parts] or [ev.invoice], day,
                 claim.amount)
        self._claims.setdefault(group, []).append(p)
        return p

    def _credit(self, key: str) -> Paid | None:
        """The live parts of one bank credit, on whichever invoices, as one payment."""
        if key in self._of_key:
            return self._of_key[key]
        p = None
        for ev in self.booked.get(key, ()):
            inv = self.ledger.invoices.get(ev.invoice)
            if inv is None or inv.is_voided(ev.seq, self.today):
                continue
            paid = PaymentData.load(ev.data)
            if p is None:
                b = paid.bank or {}
                iban, name = _payer(b)
                p = Paid([ev.seq], [ev.invoice], paid.day, paid.amount, iban, name,
                         account_number(b.get("account", "")), b.get("statement", ""), key)
            else:
                p.seqs.append(ev.seq)
                p.invoices.append(ev.invoice)
                p.amount += paid.amount
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
            if inv is None:
                continue
            # A sent letter's invoices as the fold read them (its letters are its letter-sent
            # events, in order; a legacy letter's: its own invoice, named already); a rendered
            # one is no fact, so its payload is read here.
            sent = iter(inv.letters)
            for ev in inv.events:
                if ev.type == LETTER_SENT:
                    invoices: tuple[str, ...] = next(sent).invoices
                elif ev.type == LETTER_RENDERED:
                    invoices = LetterRenderedData.load(ev.data).invoices or ()
                else:
                    continue
                out.update(dict.fromkeys(x for x in invoices if x in self.ledger.invoices))
        return list(out)

    def candidates(self, amount: Decimal, day: date, numbers: Iterable[str]) -> Iterator[Paid]:
        """The live payments of ``amount`` within ``WINDOW_DAYS`` of ``day`` on ``numbers`` or
        their letters' invoices (``related``), each once, in journal order per invoice: the
        rule a bank credit and a hand payment (``hand_duplicate``) are both checked by."""
        seen = set()
        for n in self.related(numbers):
            for p in self.of(n):
                if id(p) in seen:
                    continue
                seen.add(id(p))
                if p.amount == amount and abs((p.day - day).days) <= WINDOW_DAYS:
                    yield p

    def probable(self, credit: Credit, numbers: Iterable[str]) -> Paid | None:
        """The payment this credit probably duplicates, if booked on ``numbers``."""
        iban, name = _payer(credit)
        account = account_number(credit.account)
        for p in self.candidates(credit.amount, credit.booking_date, numbers):
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


def hand_duplicate(ledger: Ledger, number: str, amount: Decimal, day: date, today: date) -> Paid | None:
    """The live payment from a bank statement that a payment of ``amount`` recorded by hand
    on invoice ``number`` on ``day`` probably duplicates: one of the same amount within
    ``WINDOW_DAYS`` on the invoice or an invoice a letter about it names
    (``Payments.candidates``, the bank's rule). The payer plays no part: a hand payment names
    none. Two payments by hand are not compared: the user made both, each acknowledged as
    recorded, and a script may record many equal ones (the bank rule exists for where two
    reports of one transfer meet: the statement and the user)."""
    return next((p for p in Payments(ledger, None, today).candidates(amount, day, [number]) if p.key), None)


def source(p: Paid) -> str:
    """Where a payment booked from the bank came from, for a message."""
    if p.statement:
        return _("from the bank statement {statement}").format(statement=p.statement)
    return _("from the bank")


def refuse_hand_duplicate(ledger: Ledger, number: str, amount: Decimal, day: date, today: date) -> None:
    """Refuse (``LedgerError``) a payment by hand that probably duplicates one on the ledger
    (``hand_duplicate``), naming it and the option that records it anyway."""
    p = hand_duplicate(ledger, number, amount, day, today)
    if p is None:
        return
    raise LedgerError(_(
        "payment {amount} of {day} on invoice {number} is probably a duplicate of payment #{seq} of {paid} "
        "of {paid_day} on invoice {invoices} ({source}): add --force to record it as a second payment"
    ).format(amount=format_eur(amount), day=day.isoformat(), number=number, seq=p.seqs[0],
             paid=format_eur(p.amount), paid_day=p.day.isoformat(), invoices=", ".join(dict.fromkeys(p.invoices)),
             source=source(p)))


def reason(p: Paid) -> str:
    return (f"probable duplicate of {p.describe()}: same amount, within {WINDOW_DAYS} days; book it with "
            "`wik bank match TX NUMBER --force` if it is a second payment")

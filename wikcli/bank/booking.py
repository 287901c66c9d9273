"""Payments from the bank statement: which open claim each credit pays, booked as `wik pay`
books a payment, or kept for review; every bank transaction recorded once.

Pure: the ledger (with the bank's events the fold collected, ``Ledger.bank``), the credits
``statements.parse`` read, the rulebook and today in; the events to append and what they mean
out. What is open comes from the ledger; every payment goes through ``commands.pay`` and its
checks.

Rules (docs/bank.md):
- ``candidates.Pool`` makes the open claims a credit may pay; ``match.match`` decides: one
  candidate is a match, several or none leave the credit unmatched.
- A match is booked on the credit's booking date. A letter's claim over several invoices is
  allocated oldest invoice first, each up to what is open on it. More than is open (a second
  credit for an invoice already paid, in this run or before) is never booked: it is kept
  unmatched as an overpayment.
- A credit the journal holds (``history.History.holds``) is passed over: importing a
  statement again, an overlapping one, or the same days in another format, adds nothing.
- A credit that probably duplicates a payment the ledger holds (``duplicates``: by hand or
  from another statement) is kept for review with the payment it duplicates, never booked;
  so is a credit for more than is open today, not only on its booking date.
- The payer's IBAN is remembered on the client (``client-iban``) once a payment from it is
  booked, so a later credit from it can match by amount.

The events are numbered by the journal when they are recorded (``Home.record``); a result
names its events by their place in ``BankImportPlan.events`` and takes their numbers from
what was recorded (``BankImportPlan.numbered``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from collections.abc import Callable, Iterable

from wikcli.bank import duplicates
from wikcli.bank.candidates import Pool
from wikcli.bank.history import History, credit_data
from wikcli.bank.match import RULE_AMOUNT, Candidate, Match, Unmatched, match
from wikcli.bank.statements import Credit
from wikcli.ledger import commands
from wikcli.ledger.commands import LedgerError, NewEvent
from wikcli.ledger.bank_payloads import BankUnmatchedData, UnmatchedCandidateData
from wikcli.ledger.events import ClientIbanData, PaymentData
from wikcli.ledger.facts import Ledger, Payment
from wikcli.ledger.model import Client
from wikcli.ledger.rulebook import Rulebook
from wikcli.ledger.standing import amount_due
from wikcli.rules.money import format_eur, to_str
from wikcli.i18n import N_, _


def _describe(c: Candidate) -> UnmatchedCandidateData:
    return UnmatchedCandidateData(invoices=c.invoices, letter=c.letter)


@dataclass(frozen=True)
class Booked:
    """A credit matched and booked: one payment per invoice it was allocated to."""

    credit: Credit
    rule: str
    evidence: str
    client: str
    letter: str | None
    parts: tuple[tuple[str, Decimal], ...]  # (invoice, amount), oldest invoice first
    seqs: tuple[int, ...] = ()  # the payment events, once recorded
    at: tuple[int, ...] = field(default=(), compare=False)  # their places in BankImportPlan.events

    def to_json(self) -> dict:
        c = self.credit
        return {"tx": c.key, "seq": list(self.seqs) or None, "date": c.booking_date.isoformat(),
                "amount": to_str(c.amount), "counterparty": c.counterparty_name, "iban": c.counterparty_iban,
                "text": c.remittance, "rule": self.rule, "evidence": self.evidence, "client": self.client,
                "letter": self.letter,
                "payments": [{"invoice": n, "amount": to_str(a)} for n, a in self.parts]}


@dataclass(frozen=True)
class Kept:
    """A credit kept unmatched, with the reason; never booked."""

    credit: Credit
    reason: str
    rule: str | None
    candidates: tuple[UnmatchedCandidateData, ...] = ()
    seq: int | None = None  # the bank-unmatched event, once recorded
    duplicate_of: int | None = None  # the payment it probably duplicates
    at: int | None = field(default=None, compare=False)  # its place in BankImportPlan.events

    def to_json(self) -> dict:
        c = self.credit
        return {"tx": c.key, "seq": self.seq, "date": c.booking_date.isoformat(), "amount": to_str(c.amount),
                "counterparty": c.counterparty_name, "iban": c.counterparty_iban, "text": c.remittance,
                "reference": c.reference, "reason": self.reason, "rule": self.rule,
                "candidates": [c.to_payload() for c in self.candidates], "duplicate_of": self.duplicate_of}


@dataclass
class BankImportPlan:
    events: list[NewEvent] = field(default_factory=list)
    results: list[Booked | Kept] = field(default_factory=list)  # in the order of the credits
    already: int = 0  # credits whose key the journal (or an earlier file of the run) holds
    ibans: list[tuple[str, str]] = field(default_factory=list)  # (client, IBAN) remembered

    @property
    def booked(self) -> list[Booked]:
        return [r for r in self.results if isinstance(r, Booked)]

    @property
    def kept(self) -> list[Kept]:
        return [r for r in self.results if isinstance(r, Kept)]

    def numbered(self, recorded: list) -> None:
        """The results with the numbers the journal gave their events: ``recorded`` are the
        plan's ``events`` as appended, in order."""
        if len(recorded) != len(self.events):
            raise ValueError(f"{len(recorded)} events recorded of {len(self.events)} planned")
        self.results = [replace(r, seqs=tuple(recorded[i].seq for i in r.at)) if isinstance(r, Booked)
                        else replace(r, seq=None if r.at is None else recorded[r.at].seq) for r in self.results]


# How often Importer.run tells its tick how far it has come, in credits.
TICK = 100


class Importer:
    """Credits in, events out, against a working copy of the ledger that each booking updates
    (so the files of one run, and the credits of one file, see each other's payments)."""

    def __init__(self, ledger: Ledger, rulebook: Rulebook, today: date):
        self.ledger, self.rulebook, self.today = ledger, rulebook, today
        self.history = History.of(ledger.bank)
        self.paid = duplicates.Payments(ledger, self.history.booked, today)
        self.pool = Pool(ledger, rulebook, today)
        self.planned = 0  # events planned by the runs before this one
        # What the runs changed on the ledger, to give it back as read (``give_back``):
        # invoice -> its number of payments before, client -> the client before.
        self._lent: dict[str, int] = {}
        self._clients: dict[str, Client] = {}

    def give_back(self) -> None:
        """The ledger as it was read: the payments and IBANs the runs booked on it taken off
        again, so that recording the plan's events folds each of them into it once."""
        for number, n in self._lent.items():
            del self.ledger.invoices[number].payments[n:]
        self.ledger.clients.update(self._clients)
        self._lent.clear()
        self._clients.clear()

    def _seq(self, plan: BankImportPlan) -> int:
        """The number the next event of ``plan`` will have, for what refers to it before it is
        recorded (the working ledger's payments, a credit kept as a duplicate of one): the
        journal numbers what a command appends in order after the last event of the ledger
        the command read under its lock, as ``commands`` numbers a letter (``L<seq>``)."""
        return self.ledger.last_seq + 1 + self.planned + len(plan.events)

    def run(self, credits: Iterable[Credit], tick: Callable[[int, int], None] | None = None) -> BankImportPlan:
        """``tick(done, total)``, when given, hears how far the credits have come (every
        ``TICK`` credits and at the end): the command line draws a progress bar from it."""
        plan = BankImportPlan()
        credits = list(credits)
        total = len(credits)
        for done, credit in enumerate(credits):
            if tick is not None and done % TICK == 0:
                tick(done, total)
            if self.history.holds(credit):
                plan.already += 1
                continue
            twin = self.history.twin(credit)
            self.history.add(credit)
            if twin is not None:
                plan.results.append(self._keep(Kept(credit, alike(twin, credit), None), plan))
                continue
            found = match(credit, self.pool.index)
            # Only the amount rule reads what a candidate asks: when it decided, it must have
            # decided on what is open now.
            if found.rule in (RULE_AMOUNT, None) and self.pool.ready(credit):
                found = match(credit, self.pool.index)
            if isinstance(found, Unmatched):
                result: Booked | Kept = Kept(credit, found.reason, found.rule,
                                             tuple(_describe(c) for c in found.candidates))
            elif (dup := self.paid.probable(credit, found.candidate.invoices)) is not None:
                result = Kept(credit, duplicates.reason(dup), found.rule, (_describe(found.candidate),),
                              duplicate_of=dup.seqs[0])
            else:
                result = self._book(found, plan)
            if isinstance(result, Kept):
                result = self._keep(result, plan)
            plan.results.append(result)
        if tick is not None:
            tick(total, total)
        self.planned += len(plan.events)
        return plan

    @staticmethod
    def _keep(result: Kept, plan: BankImportPlan) -> Kept:
        """``result`` recorded as a credit kept for review (a ``bank-unmatched`` event)."""
        credit = result.credit
        kept = BankUnmatchedData(day=credit.booking_date, bank=credit_data(credit), reason=result.reason,
                                 rule=result.rule, candidates=result.candidates, duplicate_of=result.duplicate_of)
        plan.events.append(kept.event())
        return replace(result, at=len(plan.events) - 1)

    def _book(self, m: Match, plan: BankImportPlan) -> Booked | Kept:
        credit, cand = m.credit, m.candidate
        day = credit.booking_date
        try:
            if len(cand.invoices) == 1:
                # `wik pay` checks what is open itself: what a refusal says is worked out
                # only when it refuses.
                parts = [(cand.invoices[0], credit.amount)]
            else:
                parts = allocate(self.ledger, cand.invoices, credit.amount, day, self.rulebook)
            events: list[NewEvent] = []
            for number, amount in parts:
                events += commands.pay(self.ledger, number, amount, day, self.rulebook, today=self.today,
                                       whole_claim=len(parts) == 1 and len(cand.invoices) == 1)
        except LedgerError as e:
            reason = str(e)
            if len(cand.invoices) == 1:
                inv = self.ledger.invoices[cand.invoices[0]]
                due = amount_due(inv, self.ledger.clients[inv.client], self.rulebook, max(day, inv.date))
                if credit.amount > due:
                    reason = overpaid(credit.amount, due, [inv.number], day)
            return Kept(credit, reason, m.rule, (_describe(cand),))
        # `wik pay` splits a payment on one invoice of a joint letter over the letter's claim.
        paid = [(str(number), PaymentData.load(data)) for _, number, data in events]
        parts = [(number, p.amount) for number, p in paid]
        late = self._more_than_open_now(parts, day)
        if late:
            return Kept(credit, late, m.rule, (_describe(cand),))
        bank_data = credit_data(credit) | {"rule": m.rule, "evidence": m.evidence}
        seqs, at = [], []
        for number, p in paid:
            seq = self._seq(plan)
            seqs.append(seq)
            at.append(len(plan.events))
            plan.events.append(with_bank(p, bank_data).event(number))
            # The working ledger learns the payment at once, so the next credit sees it.
            payments = self.ledger.invoices[number].payments
            self._lent.setdefault(number, len(payments))
            payments.append(Payment(day, p.amount, seq))
        self.paid.add(credit, parts, seqs)
        client = self.ledger.invoices[cand.invoices[0]].client
        self.pool.touch(client, (n for n, _ in parts))
        learnt = remember_iban(self.ledger, client, credit)
        if learnt:
            old = self.ledger.clients[client]
            self._clients.setdefault(client, old)
            self.ledger.clients[client] = replace(old, ibans=old.ibans + (credit.counterparty_iban,))
            plan.events += learnt
            plan.ibans.append((client, credit.counterparty_iban))
            self.pool.learn_iban(client, credit.counterparty_iban)
        return Booked(credit, m.rule, m.evidence, client, cand.letter, tuple(parts), at=tuple(at))

    def _more_than_open_now(self, parts, day: date) -> str | None:
        """Why the parts are more than is open today (a payment recorded since the booking
        date, by hand or from a later statement), or None."""
        if self.today <= day:
            return None  # `wik pay` checked the booking date
        for number, amount in parts:
            inv = self.ledger.invoices[number]
            due = amount_due(inv, self.ledger.clients[inv.client], self.rulebook, max(self.today, inv.date))
            if amount > due:
                return overpaid(amount, due, [number], self.today) + " (payments recorded since its booking date)"
        return None


def allocate(ledger: Ledger, numbers: Iterable[str], amount: Decimal, day: date,
             rulebook: Rulebook) -> list[tuple[str, Decimal]]:
    """How a credit of ``amount`` on ``day`` is booked on several invoices of one claim: over
    the claim as a whole (``claimpay.split``: costs, interest, principal, each oldest invoice
    first). More than is open on all of them is refused as an overpayment. (On one invoice it is all of it, and `wik
    pay` refuses more than is open.)"""
    from wikcli.ledger import claimpay

    numbers = list(numbers)
    s = claimpay.split(ledger, numbers, amount, day, rulebook)
    if s.rest > 0:
        invs = sorted((ledger.invoices[n] for n in numbers), key=lambda i: (i.date, i.due, i.number))
        raise LedgerError(overpaid(amount, s.open_total, [i.number for i in invs], day, speak=_))
    return list(s.parts)


def overpaid(amount: Decimal, due: Decimal, numbers: list[str], day: date, *, speak=None) -> str:
    """Why ``amount`` is too much: in English for the journal and JSON (a kept credit's reason),
    in the run's language with ``speak=_`` for a refusal."""
    one = len(numbers) == 1
    if due <= 0:
        text = (N_("overpayment: invoice {numbers} had nothing open on {day} (already paid)") if one else
                N_("overpayment: invoices {numbers} had nothing open on {day} (already paid)"))
    else:
        text = (N_("overpayment: {amount} is more than the {due} open on invoice {numbers} on {day}") if one else
                N_("overpayment: {amount} is more than the {due} open on invoices {numbers} on {day}"))
    return (speak(text) if speak else text).format(amount=format_eur(amount), due=format_eur(due),
                                                   numbers=", ".join(numbers), day=day.isoformat())


def remember_iban(ledger: Ledger, client_id: str, credit: Credit) -> list[NewEvent]:
    """A ``client-iban`` event for the payer's IBAN if it is valid and new for the client."""
    iban = credit.counterparty_iban
    client = ledger.clients.get(client_id)
    if not credit.counterparty_iban_valid or client is None or client_id in ledger.forgotten or iban in client.ibans:
        return []
    return [ClientIbanData(id=client_id, iban=iban, day=credit.booking_date, tx=credit.key).event()]


def with_bank(p: PaymentData, bank: dict) -> PaymentData:
    """The payment ``wik pay`` would record (``commands.pay``), with the bank transaction it
    came with (``history.credit_data`` with the rule and evidence that booked it)."""
    return PaymentData(amount=p.amount, day=p.day, claim=p.claim, bank=bank)


def alike(twin: str, credit: Credit) -> str:
    """Why a credit alike one recorded before, but with another bank reference, is kept."""
    return (f"the same date, amount, payer and text as the credit {twin} recorded before, with another bank "
            f"reference ({credit.bank_ref}): a second transfer, or the same one exported again? Book it with "
            "`wik bank match` if it is a second payment, else `wik bank ignore` it")

"""Money in, at random: transfers from clients, some recorded by hand (before a statement held
them, or after, as `wik pay` does: checked for a probable duplicate, sometimes with --force),
statements of them imported as camt.053 and as MT940 (with and without the bank's references,
the account as IBAN or as a bare number), over windows of days that overlap, each file more
than once.

After every step, for every transfer (identical transfers of one payer on one day taken
together): the money booked for it (by hand or from a statement) is never more than was
received, apart from what --force recorded as a second payment of money already booked; and
once a statement held it, it is booked or waits in `wik bank unmatched`: money booked equals
money received, once, and nothing is lost silently.

The normal suite runs a short profile; the long one is ``@pytest.mark.slow``.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from test_bank_duplicates import mt940
from test_banking import camt
from wikcli.bank import statements
from wikcli.bank import duplicates
from wikcli.bank.booking import Importer
from wikcli.bank.history import History, credit_data
from wikcli.ledger import client_commands, commands
from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.errors import WikError
from wikcli.ledger.model import BUSINESS, CONSUMER, Client, Policy
from wikcli.ledger.rulebook import Rulebook
from wikcli.services import payments

SHORT = settings(max_examples=25, stateful_step_count=30, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=int(os.environ.get("WIK_BANK_EXAMPLES", "400")), stateful_step_count=60,
                deadline=None, suppress_health_check=[HealthCheck.too_slow])
START = date(2026, 3, 2)
PAYERS = {"c1": ("NL44RABO0123456789", "C. Een"), "b1": ("NL20INGB0001234567", "Bedrijf Twee BV")}


class Ev:
    def __init__(self, seq, type_, invoice, data):
        self.seq, self.type, self.invoice, self.data, self.at = seq, type_, invoice, data, ""


class BankMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.events: list[Ev] = []
        self.today = START
        self.policy = Policy()
        self.transfers: list[tuple] = []  # (client, invoice, amount, booking date), as the bank has them
        self.hand: Counter = Counter()  # transfer -> amount recorded by hand
        self.handed: set[int] = set()  # transfers (by index) recorded by hand
        self.forced: Counter = Counter()  # transfer -> amount --force recorded over a probable duplicate
        self.imported: set[int] = set()  # transfers (by index) some statement held
        self.statements = 0
        for cid, kind in (("c1", CONSUMER), ("b1", BUSINESS)):
            self._append(client_commands.add_client(self.ledger(), Client(id=cid, name=PAYERS[cid][1], type=kind)))
        for i, (cid, cents) in enumerate((("c1", 50000), ("c1", 24400), ("b1", 363000), ("b1", 121000))):
            number = f"2026-{i + 1:03d}"
            self._append(commands.add_invoice(self.ledger(), number, cid, Decimal(cents) / 100, START,
                                            START + timedelta(days=14)))

    def ledger(self) -> facts.Ledger:
        return facts.fold(self.events)

    def _append(self, new):
        for type_, invoice, data in new:
            self.events.append(Ev(len(self.events) + 1, type_, invoice, data))

    # -- rules ------------------------------------------------------------------------------

    @rule(pick=st.integers(0, 3), share=st.sampled_from(["10.00", "100.00", "244.00", "250.00"]),
          twice=st.booleans())
    def transfer(self, pick, share, twice):
        """A client transfers money for an invoice today (``twice``: two identical transfers)."""
        number = f"2026-{pick + 1:03d}"
        client = self.ledger().invoices[number].client
        for _ in range(2 if twice else 1):
            self.transfers.append((client, number, Decimal(share), self.today))

    @rule(days=st.sampled_from([1, 2, 3, 6, 9]))
    def days_pass(self, days):
        self.today += timedelta(days=days)

    @precondition(lambda self: self.transfers)
    @rule(pick=st.integers(0, 1000), later=st.integers(0, 3))
    def pay_by_hand(self, pick, later):
        """Seen in the banking app and recorded with `wik pay`, up to 3 days after its booking
        date, before any statement held it."""
        i = pick % len(self.transfers)
        if i not in self.imported:
            self._by_hand(i, later, force=False)

    @precondition(lambda self: self.imported)
    @rule(pick=st.integers(0, 1000), later=st.integers(0, 3), force=st.sampled_from([False, False, False, True]))
    def pay_by_hand_after_import(self, pick, later, force):
        """Recorded with `wik pay` after a statement held it (booked, or kept for review), as
        `wik pay` checks it (``payments.plan``); with ``force`` as --force does."""
        i = sorted(self.imported)[pick % len(self.imported)]
        self._by_hand(i, later, force=force)

    def _by_hand(self, i: int, later: int, *, force: bool) -> None:
        client, number, amount, day = self.transfers[i]
        when = day + timedelta(days=later)
        if i in self.handed or when > self.today:
            return
        before = len(self.events)
        ledger = self.ledger()
        dup = duplicates.hand_duplicate(ledger, number, amount, when, self.today)
        try:
            self._append(payments.plan(ledger, number, amount, when, Rulebook(self.policy, False),
                                       today=self.today, force=force))
        except WikError as e:
            assert len(self.events) == before
            assert force or dup is None or "probably a duplicate of payment #" in str(e)
            return
        assert force or dup is None, "a probable duplicate recorded without --force"
        self.handed.add(i)
        self.hand[self.transfers[i]] += amount
        if dup is not None:
            self.forced[self.transfers[i]] += amount

    @precondition(lambda self: self.transfers)
    @rule(first=st.integers(0, 1000), days=st.integers(0, 20), fmt=st.sampled_from(["camt", "camt-own-refs", "mt940"]))
    def import_statement(self, first, days, fmt):
        """A statement of the days from one transfer's booking date on: overlapping what came
        before, in one format or the other."""
        start = self.transfers[first % len(self.transfers)][3]
        end = min(start + timedelta(days=days), self.today)
        held = [(i, t) for i, t in enumerate(self.transfers) if start <= t[3] <= end]
        if not held:
            return
        self.statements += 1
        if fmt == "mt940":
            rows = [(t[3].strftime("%m%d"), f"{t[2]:.2f}".replace(".", ","), PAYERS[t[0]][0], PAYERS[t[0]][1],
                     f"factuur {t[1]}") for _, t in held]
            data, name = mt940(*rows, n=self.statements), "s.sta"
        else:
            # camt: the bank's reference per transfer, stable across statements; or one the
            # statement makes up (another in each statement)
            rows = [{"amount": f"{t[2]:.2f}", "name": PAYERS[t[0]][1], "iban": PAYERS[t[0]][0],
                     "text": f"factuur {t[1]}", "date": t[3].isoformat(),
                     **({"bank_ref": f"T{i}"} if fmt == "camt" else {})} for i, t in held]
            data, name = camt(*rows, stmt=f"S{self.statements}"), "s.xml"
        f = statements.parse(data, name)
        assert len(f.credits) == len(held)
        ledger = self.ledger()
        plan = Importer(ledger, Rulebook(self.policy, False), self.today).run(f.credits)
        self._append(plan.events)
        self.imported.update(i for i, _ in held)

    # -- what must hold ---------------------------------------------------------------------

    @invariant()
    def money_booked_once(self):
        if not hasattr(self, "events"):
            return
        ledger = self.ledger()
        received: Counter = Counter()
        imported: Counter = Counter()
        for i, t in enumerate(self.transfers):
            received[t] += t[2]
            if i in self.imported:
                imported[t] += t[2]
        by_bank: Counter = Counter()
        for ev in self.events:
            if ev.type == events.PAYMENT and ev.data.get("bank"):
                b = ev.data["bank"]
                by_bank[self._transfer_of(b)] += Decimal(ev.data["amount"])
        pending: Counter = Counter()
        for p in History.of(ledger.bank).pending(ledger, self.today):
            pending[self._transfer_of(credit_data(p.credit))] += p.credit.amount
        for t, amount in received.items():
            booked = self.hand[t] + by_bank[t]
            assert booked - self.forced[t] <= amount, f"{t}: {booked} booked of {amount} received " \
                                                      f"({self.forced[t]} forced)"
            assert booked + pending[t] >= imported[t], f"{t}: {booked} booked, {pending[t]} to review, " \
                                                       f"{imported[t]} on statements"
        assert set(by_bank) | set(pending) <= set(received)

    @staticmethod
    def _transfer_of(b: dict) -> tuple:
        client = next(c for c, (iban, _) in PAYERS.items() if iban == b["counterparty_iban"])
        return (client, b["text"].removeprefix("factuur "), Decimal(b["amount"]),
                date.fromisoformat(b["booking_date"]))


BankMachine.TestCase.settings = SHORT
TestBankMachine = BankMachine.TestCase


@pytest.mark.slow
def test_bank_machine_long():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(BankMachine, settings=LONG)


def test_the_machine_books_a_hand_payment_once_through_both_formats():
    """One fixed run: a transfer recorded by hand, then its day as camt.053 and as MT940."""
    m = BankMachine()
    m.start()
    m.transfer(0, "100.00", False)
    m.transfer(2, "250.00", True)
    m.days_pass(1)
    m.pay_by_hand(0, 1)
    m.import_statement(0, 3, "camt-own-refs")
    m.import_statement(0, 3, "mt940")
    m.money_booked_once()
    paid = [(e.invoice, e.data["amount"], "bank" in e.data) for e in m.events if e.type == events.PAYMENT]
    assert paid == [("2026-001", "100.00", False), ("2026-003", "250.00", True), ("2026-003", "250.00", True)]
    ledger = m.ledger()
    [p] = History.of(ledger.bank).pending(ledger, m.today)
    assert (p.credit.amount, p.duplicate_of) == (Decimal("100.00"), 7)  # the hand payment, event 7


def test_the_machine_refuses_a_hand_payment_after_the_statement_unless_forced():
    """One fixed run: a transfer booked from a statement, then recorded by hand (refused),
    then by hand with --force (a second payment, counted as forced)."""
    m = BankMachine()
    m.start()
    m.transfer(1, "100.00", False)
    m.days_pass(2)
    m.import_statement(0, 3, "camt")
    m.pay_by_hand_after_import(0, 1, False)
    m.money_booked_once()
    paid = [(e.invoice, e.data["amount"], "bank" in e.data) for e in m.events if e.type == events.PAYMENT]
    assert paid == [("2026-002", "100.00", True)]
    m.pay_by_hand_after_import(0, 2, True)
    m.money_booked_once()
    paid = [(e.invoice, e.data["amount"], e.data["date"], "bank" in e.data) for e in m.events
            if e.type == events.PAYMENT]
    assert paid == [("2026-002", "100.00", "2026-03-02", True), ("2026-002", "100.00", "2026-03-04", False)]
    t = m.transfers[0]
    assert (m.hand[t], m.forced[t]) == (Decimal("100.00"), Decimal("100.00"))

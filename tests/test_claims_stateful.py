"""A freelancer's months, at random: sequences of commands and days, checked after every step.

The machine drives the ledger the way the commands do (``decide`` for every fact, ``claims``
for every letter, ``letters``/``pdf`` for what a letter prints) on an in-memory journal, and
after each step checks what the law and the ledger must keep true:

- every letter's rows add up to its total, and that total is what the ledger says is open on
  its invoices on its date (before and after it is recorded); the PDF prints that total;
- no letter covers an invoice that is not due (a reminder) or not in default (the others);
- collection costs are owed only where a live letter announced them and its term has run
  out, and never more than it announced; an invoice's costs are announced once; a consumer's
  costs over several invoices in one letter are one staffel over their sum;
- each payment's allocation adds up to the payment;
- a client's account balances: what its invoices claim less its credit is what was invoiced,
  plus the costs and interest charged, less the money received, plus what was refunded; no
  letter is composed for a client holding a credit not set off;
- a joint letter's costs, once owed, never exceed what it announced and are the staffel over
  what is left of the whole claim when that is lower;
- no action is due inside the running term of the invoice's own last letter.

The CI profile runs a few hundred steps. A longer run: ``HYPOTHESIS_PROFILE=long python -m
pytest tests/test_claims_stateful.py`` (see docs/reliability.md for what it found).
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from wikcli.ledger import client_account, claims, client_commands, commands
from wikcli.ledger import facts
from wikcli.ledger import standing
from wikcli.ledger import steps
from wikcli.rules import costs
from wikcli.documents import letter as letters
from wikcli.errors import WikError
from wikcli.ledger.model import BUSINESS, CONSUMER, Client, Config, Creditor, LetterSettings, Policy
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO, cents

settings.register_profile("ci", max_examples=50, stateful_step_count=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, stateful_step_count=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

CREDITOR = Creditor(name="Studio Test", city="Utrecht", iban="NL91ABNA0417164300", vat_deductible=False)
START = date(2026, 1, 5)


class Ev:
    def __init__(self, seq, type_, invoice, data):
        self.seq, self.type, self.invoice, self.data, self.at = seq, type_, invoice, data, ""


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.events: list[Ev] = []
        self.today = START
        self.config = Config(creditor=CREDITOR, policy=Policy(), letters=LetterSettings(qr=True))
        self.clients = []
        self.invoices = []
        self.letters_checked = 0
        self.pdfs = 0
        for cid, kind in (("c1", CONSUMER), ("b1", BUSINESS)):
            self._apply(client_commands.add_client, Client(id=cid, name=cid.upper(), type=kind))
            self.clients.append(cid)
        # A few invoices from the start, most of them due soon, so that letters can follow.
        for client, amount, term in ((0, 24400, 7), (0, 100000, 14), (1, 363000, 10), (0, 9900, 30)):
            self.add_invoice(client, amount, term)

    # -- plumbing ---------------------------------------------------------------------------

    def ledger(self) -> facts.Ledger:
        return facts.fold(self.events)

    def _append(self, new):
        for type_, invoice, data in new:
            self.events.append(Ev(len(self.events) + 1, type_, invoice, data))

    def _apply(self, fn, *args, **kw) -> bool:
        """Ask ``decide``; a refusal must be a user error that changes nothing."""
        before = len(self.events)
        try:
            self._append(fn(self.ledger(), *args, **kw))
            return True
        except WikError:
            assert len(self.events) == before
            return False

    @property
    def policy(self):
        return self.config.policy

    @property
    def rulebook(self):
        return Rulebook(self.policy, self.vat_ok)

    @property
    def vat_ok(self):
        return self.config.creditor.vat_deductible

    def _standing(self, ledger, number, day):
        inv = ledger.invoices[number]
        return standing.standing(inv, ledger.clients[inv.client], self.rulebook, day)

    # -- rules ------------------------------------------------------------------------------

    @rule(kind=st.sampled_from([CONSUMER, BUSINESS]))
    def add_client(self, kind):
        cid = f"k{len(self.clients)}"
        if self._apply(client_commands.add_client, Client(id=cid, name=cid.upper(), type=kind)):
            self.clients.append(cid)

    @rule(client=st.integers(0, 10), cents=st.integers(1, 1_500_000), term=st.integers(1, 45))
    def add_invoice(self, client, cents, term):
        cid = self.clients[client % len(self.clients)]
        number = f"F-{len(self.invoices) + 1}"
        due = commands.invoice_due(self.today, None, term, self.policy)
        if self._apply(commands.add_invoice, number, cid, Decimal(cents) / 100, self.today, due):
            self.invoices.append(number)

    @rule(days=st.sampled_from([1, 2, 3, 5, 8]))
    def days_pass(self, days):
        self.today += timedelta(days=days)

    @rule(days=st.sampled_from([13, 15, 20, 30]))
    def weeks_pass(self, days):
        self.today += timedelta(days=days)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), share=st.sampled_from(["all", "half", "tiny", "over"]), back=st.integers(0, 3))
    def pay(self, pick, share, back):
        ledger = self.ledger()
        number = self.invoices[pick % len(self.invoices)]
        day = max(self.today - timedelta(days=back), ledger.invoices[number].date)
        due = self._standing(ledger, number, day).total_due
        amount = {"all": due, "half": (due / 2).quantize(Decimal("0.01")), "tiny": Decimal("0.01"),
                  "over": due + Decimal("10.00")}[share]
        if amount <= 0:
            return
        self._apply(commands.pay, number, amount, day, self.rulebook, today=self.today,
                    allow_overpayment=share == "over")

    @rule(client=st.integers(0, 10), back=st.integers(0, 3))
    def apply_credit(self, client, back):
        cid = self.clients[client % len(self.clients)]
        self._apply(client_account.apply, cid, self.today - timedelta(days=back), self.rulebook,
                    today=self.today)

    @rule(client=st.integers(0, 10), part=st.sampled_from([None, "1.00"]))
    def refund_credit(self, client, part):
        cid = self.clients[client % len(self.clients)]
        self._apply(client_account.refund, cid, None if part is None else Decimal(part), self.today, self.rulebook, today=self.today)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), promise=st.one_of(st.none(), st.integers(0, 20)))
    def note(self, pick, promise):
        number = self.invoices[pick % len(self.invoices)]
        p = None if promise is None else self.today + timedelta(days=promise)
        self._apply(commands.note, number, "gebeld", self.today, p, today=self.today)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), n=st.integers(2, 4), waive=st.booleans(), replace_=st.booleans(),
          first=st.integers(0, 20))
    def plan(self, pick, n, waive, replace_, first):
        number = self.invoices[pick % len(self.invoices)]
        if self._apply(commands.plan, number, n, self.today + timedelta(days=first), "month", self.today,
                       self.rulebook, waive_interest=waive, replace=replace_):
            data = self.events[-1].data
            total = sum(Decimal(i["amount"]) for i in data["installments"])
            assert f"{total:.2f}" == data["total"]
            assert all(Decimal(i["amount"]) > 0 for i in data["installments"])

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), kind=st.sampled_from(facts.LETTER_KINDS + ("next",)))
    def letter_for_client(self, pick, kind):
        self.letter(pick, 1, True, kind, "email", True, 7)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), many=st.integers(1, 3), by_client=st.booleans(),
          kind=st.sampled_from(facts.LETTER_KINDS + ("next", "next")), via=st.sampled_from(["post", "email"]),
          record=st.sampled_from([True, True, True, False]), render=st.integers(0, 7))
    def letter(self, pick, many, by_client, kind, via, record, render):
        ledger = self.ledger()
        first = ledger.invoices[self.invoices[pick % len(self.invoices)]]
        if kind == "next":  # the letter the invoice's next action calls for, as `wik letter` picks it
            a = steps.assess(first, ledger.clients[first.client], self.rulebook, self.today)
            kind = facts.ACTION_LETTER.get(a.next_action, facts.REMINDER)
        if by_client:
            try:
                numbers = claims.select(ledger, self.rulebook, first.client, kind, self.today, self.today)
            except claims.ClaimError:
                return
        else:
            mine = [n for n in self.invoices if ledger.invoices[n].client == first.client]
            start = mine.index(first.number)
            numbers = mine[start:start + many]
        try:
            claim = claims.compose(ledger, self.rulebook, numbers, kind, self.today, via, today=self.today)
        except claims.ClaimError:
            return
        self._check_claim(ledger, claim)
        assert client_account.credit_of(ledger, claim.client.id, self.rulebook, self.today) == 0, \
            "a letter asks for money the client's credit covers"
        data = letters.from_claim(claim, self.config)
        assert data.rows_total == data.total_due == claim.total_due
        if render == 0:
            self._check_pdf(data)
        if record:
            self._append(commands.sent(ledger, claim))
            after = self.ledger()
            total = sum((self._standing(after, n, self.today).total_due for n in claim.numbers), ZERO)
            assert total == claim.total_due, "recording a letter changed what is open on its date"
        self.letters_checked += 1

    @precondition(lambda self: any(e.type in facts.VOIDABLE for e in self.events))
    @rule(pick=st.integers(0, 1000))
    def void(self, pick):
        targets = [e for e in self.events if e.type in facts.VOIDABLE]
        target = targets[pick % len(targets)]
        self._apply(commands.void, target.seq, "a mistake", self.today)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 1000), pause=st.booleans())
    def pause_or_resume(self, pick, pause):
        number = self.invoices[pick % len(self.invoices)]
        if pause:
            self._apply(commands.pause, number, "dispute", self.today, self.rulebook)
        else:
            self._apply(commands.resume, number, self.today, self.rulebook)

    @rule(client=st.integers(0, 10), interest=st.sampled_from(
        [None, "1% per maand", "8% per jaar", "wettelijke handelsrente + 2%", "1% per maand samengesteld", "none"]),
        costs=st.sampled_from([None, "15%, min 150", "10%, min 50, max 400", "250", "none"]),
        start=st.integers(-30, 30), invoice=st.booleans())
    def agree_terms(self, client, interest, costs, start, invoice):
        """A client (consumers are refused) or one invoice gets agreed interest and costs."""
        from wikcli.rules import agreed

        def parsed(text, parse):
            return client_commands.KEEP if text is None else None if text == "none" else parse(text)

        i, c = parsed(interest, agreed.parse_interest), parsed(costs, agreed.parse_costs)
        if invoice and self.invoices:
            self._apply(client_commands.agree_terms, self.today, number=self.invoices[client % len(self.invoices)],
                        interest=i, costs=c, clause="artikel 8")
        else:
            self._apply(client_commands.agree_terms, self.today, client_id=self.clients[client % len(self.clients)],
                        start=self.today + timedelta(days=start), interest=i, costs=c, clause="artikel 8")

    @rule(which=st.sampled_from(["vat_deductible", "business_skips_steps"]))
    def change_config(self, which):
        if which == "vat_deductible":
            self.config = replace(self.config, creditor=replace(self.config.creditor, vat_deductible=not self.vat_ok))
        else:
            self.config = replace(self.config, policy=replace(
                self.policy, business_skips_steps=not self.policy.business_skips_steps))

    # -- what a letter must be ---------------------------------------------------------------

    def _check_claim(self, ledger, claim):
        day = claim.day
        for line in claim.lines:
            inv = ledger.invoices[line.number]
            if claim.kind == facts.REMINDER:
                assert inv.due < day, "a reminder for an invoice not yet due"
            else:
                assert day > inv.due, "a WIK-letter or notice of default before default"
            s = self._standing(ledger, line.number, day)
            assert line.total_due == s.total_due
        if claim.announced is not None:
            fresh = [x for x in claim.lines if x.announced is not None]
            base = sum((x.principal_open for x in fresh), ZERO)
            terms = self._standing(ledger, fresh[0].number, day).terms
            if terms is not None and terms.costs is not None:
                assert claim.client.type == BUSINESS
                # what was agreed, over the sum, never below 40.00
                staffel = costs.compute(base, vat=not self.vat_ok, debtor=claim.client.type, terms=terms.costs,
                                        clause=terms.clause)
                assert staffel.costs >= Decimal("40.00")
            else:
                staffel = costs.compute(base, vat=not self.vat_ok, debtor=claim.client.type)
            got = claim.announced
            if got.cumulation:
                # a consumer's small instalments: lowered to what one staffel over them and the
                # earlier ones of the six months leaves, never above the staffel
                assert claim.client.type != BUSINESS and got.costs < staffel.costs
                assert got.costs >= ZERO and got.vat == (got.costs * got.vat_rate).quantize(Decimal("0.01"))
                got = replace(got, costs=staffel.costs, vat=staffel.vat, cumulation=())
            assert got == staffel  # one staffel (or agreed formula) over the sum, never per invoice
            assert sum((x.announced[0] for x in fresh), ZERO) == claim.announced.costs
            assert sum((x.announced[1] for x in fresh), ZERO) == claim.announced.vat
            assert claim.kind in facts.ANNOUNCING[claim.client.type]

    def _check_pdf(self, data):
        import pypdf

        from wikcli.documents import page

        text = letters.render_text(data, letters.template_dirs(None))
        blob = page.render(data, text)
        words = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(blob)).pages)
        total = letters.format_eur(data.total_due)
        label = "Totaal te betalen"
        assert f"{label} {total}" in words, (label, total)
        self.pdfs += 1

    # -- what the ledger must keep true ------------------------------------------------------

    @invariant()
    def ledger_holds(self):
        if not hasattr(self, "events"):
            return
        ledger = self.ledger()
        for number, inv in ledger.invoices.items():
            client = ledger.clients[inv.client]
            s = standing.standing(inv, client, self.rulebook, self.today)
            for a in s.allocations:
                assert a.costs + a.interest + a.principal + a.credit == a.amount
                assert min(a.costs, a.interest, a.principal, a.credit) >= 0
            assert ZERO <= s.principal_open <= inv.amount
            assert s.total_due >= 0 and s.costs_open >= 0 and s.interest >= 0
            announcing = [x for x in inv.live(inv.letters, self.today) if x.announced is not None]
            assert len(announcing) <= 1, f"{number}: costs announced twice"
            if s.costs_owed:
                assert s.announced_by is not None
                _, owed_from = standing.letter_dates(s.announced_by, self.policy, client)
                assert self.today >= owed_from, f"{number}: costs owed before the term ran out"
                if not s.announced_by.legacy and len(s.announced_by.group) == 1:
                    # (a joint letter's costs are the claim's: ``_joint_costs`` checks them)
                    assert s.costs_charged <= sum(s.announced_by.announced), f"{number}: more than announced"
            else:
                assert s.costs_open == 0
            if client.type == CONSUMER:
                for x in announcing:
                    assert x.kind == facts.WIK
                assert s.terms is None, "a consumer's invoice under agreed terms"
            assert s.credit >= 0, f"{number}: more credit set off or refunded than it held"
            self._no_action_inside_its_term(inv, client)
        self._accounts_balance(ledger)
        self._joint_costs(ledger)

    def _accounts_balance(self, ledger):
        per: dict[str, list] = {}
        for inv in ledger.invoices.values():
            client = ledger.clients[inv.client]
            s = standing.standing(inv, client, self.rulebook, self.today)
            cash = sum((p.amount for p in inv.live(inv.payments, self.today) if not p.set_off), ZERO)
            refunded = sum((x.amount for x in inv.credit_out if not x.set_off and x.day <= self.today), ZERO)
            row = per.setdefault(inv.client, [ZERO, ZERO])
            row[0] += s.total_due - s.credit
            row[1] += inv.amount + s.costs_charged + s.interest_accrued - cash + refunded
        for cid, (claimed, books) in per.items():
            assert claimed == books, f"{cid}: claimed less credit {claimed} != the books {books}"

    def _joint_costs(self, ledger):
        seen = set()
        for inv in ledger.invoices.values():
            client = ledger.clients[inv.client]
            for letter in inv.live(inv.letters, self.today):
                if letter.announced is None or letter.legacy or letter.letter in seen or letter.costs_terms:
                    continue
                seen.add(letter.letter)
                members = [(i, x) for i, x in letter.group if x.announced is not None and not i.is_voided(x.seq, self.today)]
                last_day, owed_from = standing.letter_dates(letter, self.policy, client)
                if len(members) < 2 or self.today < owed_from:
                    continue
                standings = [standing.standing(i, client, self.rulebook, self.today) for i, _ in members]
                if not all(st_.costs_owed and st_.announced_by is x for st_, (_, x) in zip(standings, members)):
                    continue
                charged = sum((st_.costs_charged for st_ in standings), ZERO)
                announced = sum((x.announced[0] + x.announced[1] for _, x in members), ZERO)
                assert charged <= announced, f"{letter.letter}: joint costs {charged} above the {announced} announced"
                left = sum((standing.principal_open_on(i, client, last_day, self.today, self.rulebook.rates) for i, _ in members), ZERO)
                if left > 0:
                    c = costs.compute(left, vat=letter.vat_rate > 0, debtor=client.type)
                    a_costs = sum((x.announced[0] for _, x in members), ZERO)
                    a_vat = sum((x.announced[1] for _, x in members), ZERO)
                    low = min(c.costs, a_costs)
                    expected = low + min(cents(low * letter.vat_rate), a_vat)
                    assert charged == expected, f"{letter.letter}: joint costs {charged}, the staffel over {left} " \
                                                f"left gives {expected}"

    def _no_action_inside_its_term(self, inv, client):
        a = steps.assess(inv, client, self.rulebook, self.today, with_interest=False)
        if not a.is_open or a.action_due is None or a.action_due > self.today or a.next_action == facts.NONE:
            return
        letters_ = sorted(inv.live(inv.letters, self.today), key=lambda x: (x.day, x.seq))
        if not letters_:
            return
        last = letters_[-1]
        if any(n.day >= last.day for n in inv.live(inv.notes, self.today)):
            return  # a call note after the letter moves the process on (step 3)
        if any((p.day, p.seq) > (last.day, last.seq) for p in inv.live(inv.plans, self.today)):
            return  # a plan agreed since: its installments set the days
        last_day, _ = standing.letter_dates(last, self.policy, client)
        assert self.today > last_day, (f"{inv.number}: {a.next_action} due {a.action_due} inside the term of the "
                                       f"{last.kind} of {last.day} (until {last_day})")


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings.get_profile(PROFILE)


@pytest.mark.skipif(PROFILE != "ci", reason="the long profile replaces the CI one")
def test_the_machine_writes_letters():
    # A machine that never gets a letter through checks nothing about letters: run one
    # fixed sequence and make sure letters are composed, rendered and recorded.
    m = LedgerMachine()
    m.start()  # F-1 244.00 and F-2 1000.00 of consumer c1, due in 7 and 14 days
    m.days_pass(20)
    m.letter(0, 2, False, facts.WIK, "email", True, 0)
    m.days_pass(16)
    m.ledger_holds()
    s = m._standing(m.ledger(), "F-1", m.today)
    # one staffel over 1244.00: 186.60 + 21% VAT 39.19; F-1's share 244/1244: 36.60 + 7.69
    # (the VAT cents 7.6868 and 31.5032 round down to 7.68 and 31.50; the cent left goes to
    # the larger remainder)
    assert (s.costs_owed, s.costs_charged) == (True, Decimal("44.29"))
    assert m._standing(m.ledger(), "F-2", m.today).costs_charged == Decimal("181.50")
    assert m.letters_checked == 1 and m.pdfs == 1


@pytest.mark.slow
def test_the_machine_over_many_more_months():
    # The same machine, many more sequences: credits set off and refunded, joint letters paid
    # in their terms, plans missed (`pytest -m slow`).
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=400, stateful_step_count=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]))


@pytest.mark.skipif(PROFILE != "ci", reason="the long profile replaces the CI one")
def test_the_machine_sets_credit_off():
    # A credit must reach the checks: an overpaid invoice, a later one set off against it.
    m = LedgerMachine()
    m.start()  # F-3 3630.00 of business b1, due in 10 days
    m.days_pass(3)
    m.pay(2, "over", 0)  # F-3 paid 10.00 too much
    m.add_invoice(1, 50000, 14)  # F-5 500.00 of b1
    m.ledger_holds()
    assert client_account.credit_of(m.ledger(), "b1", m.rulebook, m.today) == Decimal("10.00")
    m.apply_credit(1, 0)
    m.ledger_holds()
    s = m._standing(m.ledger(), "F-5", m.today)
    assert (s.paid, s.principal_open) == (Decimal("10.00"), Decimal("490.00"))
    assert client_account.credit_of(m.ledger(), "b1", m.rulebook, m.today) == 0

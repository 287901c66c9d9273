"""The process rules on hand-computed cases (rates of 2024: consumer 7%, commercial 12.5%)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D


from wikcli.ledger import facts
from wikcli.ledger import plans
from wikcli.ledger import steps
from wikcli.ledger.model import Policy
from wikcli.ledger.rulebook import Rulebook


@dataclass
class Ev:
    seq: int
    type: str
    invoice: str | None
    data: dict
    at: str = "2024-01-01T00:00:00Z"


class Book:
    def __init__(self):
        self.events: list[Ev] = []

    def add(self, type_, invoice, **data):
        self.events.append(Ev(len(self.events) + 1, type_, invoice, data))
        return self

    def assess(self, number, today, policy=Policy(), vat_deductible=False):
        ledger = facts.fold(self.events)
        inv = ledger.invoices[number]
        return steps.assess(inv, ledger.clients[inv.client], Rulebook(policy, vat_deductible), date.fromisoformat(today))


def consumer_book() -> Book:
    b = Book()
    b.add("client-added", None, id="jan", name="Jan Jansen", type="consumer", address="", postcode="",
          city="", country="NL", email="", lang="nl")
    b.add("invoice-added", "C1", client="jan", amount="1000.00", date="2024-01-02", due="2024-02-01",
          description="")
    return b


def test_step1_before_and_after_due():
    b = consumer_book()
    a = b.assess("C1", "2024-02-01")
    assert (a.step, a.next_action, a.action_due, a.overdue_days) == (1, "send-reminder", date(2024, 2, 2), 0)
    assert a.standing.interest == D("0.00")
    a = b.assess("C1", "2024-02-05")
    assert a.overdue_days == 3
    # 1000 x 7% x 4 days / 365 = 0.767 -> 0.77
    assert a.standing.interest == D("0.77")
    assert a.standing.costs_owed is False


def test_consumer_through_the_steps_with_payments_in_and_after_the_wik_term():
    b = consumer_book()
    # Reminder posted Monday 5 Feb 2024: delivered Wednesday 7 (Monday not counted), 14 days -> 21 Feb.
    b.add("letter-sent", "C1", kind="reminder", date="2024-02-05", via="post")
    a = b.assess("C1", "2024-02-10")
    assert (a.step, a.next_action, a.action_due) == (2, "call-client", date(2024, 2, 22))
    b.add("note", "C1", date="2024-02-23", text="belt terug", promise="2024-03-01")
    a = b.assess("C1", "2024-02-23")
    assert (a.step, a.next_action, a.action_due, a.promise) == (3, "send-wik-letter", date(2024, 3, 2), date(2024, 3, 1))
    a = b.assess("C1", "2024-03-04")  # the promise is broken
    assert a.overdue_days == 2
    # WIK-letter posted Monday 4 March: delivered Wednesday 6; last day 20 March; costs from 21 March.
    b.add("letter-sent", "C1", kind="wik", date="2024-03-04", via="post")
    a = b.assess("C1", "2024-03-05")
    assert (a.step, a.next_action, a.action_due) == (4, "send-notice-of-default", date(2024, 3, 21))
    assert a.standing.costs == D("181.50")  # 150.00 + 21% VAT, announced, not owed
    assert not a.standing.costs_owed
    # A partial payment inside the term: costs recomputed over the remaining 800.00.
    b.add("payment", "C1", amount="200.00", date="2024-03-10")
    a = b.assess("C1", "2024-03-20")
    assert a.standing.principal_open == D("800.00")
    assert a.standing.costs == D("145.20") and not a.standing.costs_owed
    a = b.assess("C1", "2024-03-21")
    s = a.standing
    assert s.costs_owed and s.costs == D("145.20")
    # interest: 2 Feb - 10 Mar 38 days on 1000 = 7.29; 11 - 21 Mar 11 days on 800 = 1.69
    assert s.interest == D("8.98")
    assert s.total_due == D("954.18")
    assert a.to_json()["total_due"] == "954.18"
    # After the term, art. 6:44 BW: costs 145.20, then interest through 25 March (7.29 + 2.30),
    # then principal: 300.00 - 145.20 - 9.59 = 145.21.
    b.add("payment", "C1", amount="300.00", date="2024-03-25")
    s = b.assess("C1", "2024-03-25").standing
    assert (s.costs, s.interest, s.principal_open, s.total_due) == (D("0.00"), D("0.00"), D("654.79"), D("654.79"))
    # Notice of default posted Tuesday 26 March: delivered Thursday 28; 8 days -> Friday 5 April.
    b.add("letter-sent", "C1", kind="default", date="2024-03-26", via="post")
    a = b.assess("C1", "2024-03-27")
    assert (a.step, a.next_action, a.action_due) == (5, "hand-over", date(2024, 4, 6))
    b.add("handed-over", "C1", date="2024-04-08")
    a = b.assess("C1", "2024-04-08")
    assert (a.step, a.step_name, a.next_action, a.action_due) == (6, "handover", "none", None)


def test_full_payment_before_costs_closes_the_invoice():
    b = consumer_book()
    b.add("payment", "C1", amount="1000.00", date="2024-02-10")
    a = b.assess("C1", "2024-02-10")
    assert a.closed == "paid" and a.standing.total_due == D("0.00")
    a = b.assess("C1", "2024-02-09")  # replayed before the payment: still open
    assert a.closed is None and a.standing.principal_open == D("1000.00")


def business_book(policy_skip: bool = False) -> Book:
    b = Book()
    b.add("client-added", None, id="bv", name="Bouw BV", type="business", address="", postcode="",
          city="", country="NL", email="", lang="nl")
    b.add("invoice-added", "B1", client="bv", amount="3000.00", date="2024-01-02", due="2024-02-01",
          description="")
    return b


def test_business_skips_steps_by_policy_and_owes_costs_after_the_notice():
    policy = Policy(business_skips_steps=True)
    b = business_book()
    b.add("letter-sent", "B1", kind="reminder", date="2024-02-02", via="email")
    a = b.assess("B1", "2024-02-10", policy, vat_deductible=True)
    # e-mail: received the same day, 14 days -> Friday 16 Feb; next step from 17 Feb.
    assert (a.step, a.next_action, a.action_due) == (2, "send-notice-of-default", date(2024, 2, 17))
    b.add("letter-sent", "B1", kind="default", date="2024-02-19", via="email")
    a = b.assess("B1", "2024-02-27", policy, vat_deductible=True)
    # 8 days after Monday 19 Feb -> Tuesday 27 Feb; costs owed from 28 Feb.
    assert (a.step, a.next_action, a.action_due) == (5, "hand-over", date(2024, 2, 28))
    assert not a.standing.costs_owed and a.standing.costs == D("425.00")
    a = b.assess("B1", "2024-02-28", policy, vat_deductible=True)
    assert a.standing.costs_owed and a.standing.costs == D("425.00")
    # commercial interest 12.5%: 2 Feb - 28 Feb = 27 days on 3000 = 27.74
    assert a.standing.interest == D("27.74")
    assert a.standing.total_due == D("3452.74")


def test_consumer_never_owes_costs_without_a_wik_letter():
    b = consumer_book()
    b.add("letter-sent", "C1", kind="default", date="2024-02-05", via="post")
    a = b.assess("C1", "2024-06-01")
    assert not a.standing.costs_owed and a.standing.costs_due_from is None


def test_payment_plan_and_missed_installment():
    b = consumer_book()
    parts = plans.split_installments(D("1000.00"), 3, date(2024, 3, 1), "month")
    assert [(i.due, i.amount) for i in parts] == [
        (date(2024, 3, 1), D("333.33")), (date(2024, 4, 1), D("333.33")), (date(2024, 5, 1), D("333.34"))]
    b.add("plan", "C1", date="2024-02-20", every="month", total="1000.00",
          installments=[{"due": i.due.isoformat(), "amount": str(i.amount)} for i in parts])
    a = b.assess("C1", "2024-02-25")
    assert (a.next_action, a.action_due, a.missed_installment) == ("chase-installment", date(2024, 3, 2), None)
    b.add("payment", "C1", amount="333.33", date="2024-03-01")
    a = b.assess("C1", "2024-04-05")
    assert a.next_action == "chase-installment" and a.action_due == date(2024, 4, 2)
    assert a.missed_installment.due == date(2024, 4, 1)
    assert a.overdue_days == 3


def test_pause_and_close():
    b = consumer_book()
    b.add("paused", "C1", date="2024-02-10", reason="dispute")
    a = b.assess("C1", "2024-03-01")
    assert (a.next_action, a.action_due, a.paused) == ("none", None, "dispute")
    b.add("resumed", "C1", date="2024-03-02")
    assert b.assess("C1", "2024-03-02").next_action == "send-reminder"
    b.add("closed", "C1", date="2024-03-03", reason="written-off")
    assert b.assess("C1", "2024-03-03").closed == "written-off"


def test_status_order_and_due_actions():
    b = consumer_book()
    b.add("invoice-added", "C2", client="jan", amount="50.00", date="2024-01-05", due="2024-01-20",
          description="")
    ledger = facts.fold(b.events)
    rows = steps.assess_all(ledger, Rulebook(Policy(), False), date(2024, 2, 1))
    assert [r.invoice for r in rows] == ["C2", "C1"]
    due = steps.due_actions(rows, date(2024, 2, 1))
    assert [r.invoice for r in due] == ["C2"]
    assert set(rows[0].to_json()) == {
        "invoice", "client", "debtor", "principal", "principal_open", "costs", "costs_owed", "interest",
        "total_due", "step", "step_name", "next_action", "action_due", "overdue_days"}

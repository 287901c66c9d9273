"""Every read-only command's use case called as a script calls it: the demo home opened with
``Home.open``, a service, plain values back; no Typer, no CliRunner, and nothing printed (each
test ends with stdout and stderr empty). Figures are the demo's on 25 November 2026."""

from __future__ import annotations

from datetime import date, datetime, UTC
from decimal import Decimal

import pytest

from test_services import TODAY, home  # noqa: F401  (the demo home, opened as a script opens it)
from wikcli.errors import OptionError
from wikcli.ledger.client_account import CreditError
from wikcli.ledger.commands import LedgerError
from wikcli.ledger.model import Policy
from wikcli.services import (agenda, calculators, chase, clients, credit, delivery, invoices, payments, privacy,
                             reports, status)


@pytest.fixture(autouse=True)
def prints_nothing(capsys):
    yield
    assert capsys.readouterr() == ("", "")


# -- wik status, wik check ------------------------------------------------------------------

def test_status_rows_most_urgent_first(home):
    view = status.status(home, TODAY)
    assert [(r.invoice, r.step, r.next_action, r.action_due, r.total) for r in view.rows] == [
        ("2026-072", 3, "send-wik-letter", "2026-10-16", Decimal("245.74")),
        ("2026-087", 3, "chase-installment", "2026-11-11", Decimal("1205.92")),
        ("2026-058", 5, "hand-over", "2026-11-17", Decimal("4313.57")),
        ("2026-094", 2, "call-client", "2026-11-20", Decimal("1324.96")),
        ("2026-101", 1, "send-reminder", "2026-12-19", Decimal("450.00")),
        ("2026-031", 6, "none", None, Decimal("1176.13"))]
    assert view.warnings == []
    view.keep()
    assert (home.path / "journal.overview").is_file()  # kept for the next command


def test_due_actions_and_a_credit_held_back(home):
    assert [(r.invoice, r.next_action, r.action_due) for r in status.due(home, TODAY).due] == [
        ("2026-072", "send-wik-letter", "2026-10-16"), ("2026-087", "chase-installment", "2026-11-11"),
        ("2026-058", "hand-over", "2026-11-17"), ("2026-094", "call-client", "2026-11-20")]
    assert [(r.invoice, r.next_action) for r in status.due(home, date(2026, 10, 1)).due] == [
        ("2026-058", "send-wik-letter")]
    # De Vries pays 500.00 on its 450.00 and gets a second invoice, past due: a credit of 50.00
    # turns its reminder into setting the credit off.
    payments.pay(home, "2026-101", Decimal("500.00"), TODAY, today=TODAY, allow_overpayment=True)
    assert payments.credit_left(home, "2026-101", TODAY) == [
        "client 'devries' holds a credit of € 50,00: set it off against a later invoice with `wik credit apply "
        "devries`, or pay it back and record it with `wik credit refund devries`"]
    invoices.add(home, "2026-120", "devries", Decimal("100.00"), date(2026, 10, 1), term=14)
    assert payments.credit_left(home, "2026-101", TODAY) == [
        "client 'devries' holds a credit of € 50,00: set it off with `wik credit apply devries`, or pay it back "
        "and record it with `wik credit refund devries`"]
    assert [(r.invoice, r.next_action, r.action_due) for r in status.due(home, TODAY).due] == [
        ("2026-072", "send-wik-letter", "2026-10-16"), ("2026-120", "apply-credit", "2026-10-16"),
        ("2026-087", "chase-installment", "2026-11-11"), ("2026-058", "hand-over", "2026-11-17"),
        ("2026-094", "call-client", "2026-11-20")]
    assert payments.credit_left(home, "2026-094", TODAY) == []  # bakkerij holds none


# -- wik report ------------------------------------------------------------------------------

def test_ageing(home):
    made = reports.ageing(home, TODAY)
    r = made.report.to_json()
    assert [(b["bucket"], b["invoices"], b["principal_open"], b["costs"], b["interest"], b["total_due"])
            for b in r["buckets"]] == [
        ("not-due", 1, "450.00", "0.00", "0.00", "450.00"), ("1-30", 1, "1315.00", "0.00", "9.96", "1324.96"),
        ("31-60", 1, "1200.00", "0.00", "5.92", "1205.92"), ("61-90", 2, "3874.00", "590.48", "94.83", "4559.31"),
        ("over-90", 1, "980.00", "177.87", "18.26", "1176.13")]
    assert r["total"] == {"invoices": 6, "principal_open": "7819.00", "costs": "768.35", "interest": "128.97",
                          "total_due": "8716.32"}
    assert made.warnings == []
    ticks: list[tuple[int, int]] = []
    reports.ageing(home, TODAY, tick=lambda done, total: ticks.append((done, total)))
    assert ticks == [(0, 6), (6, 6)]  # the progress bar hears how far the invoices came, as assess_all tells it


def test_ageing_past_the_rate_table_warns_in_the_result(home):
    made = reports.ageing(home, date(2027, 7, 1))
    add = f"add the new rate to {home.path / 'rates.toml'} (`wik rates` shows the table in force)"
    assert sorted(set(made.warnings)) == [
        f"no wettelijke handelsrente is known after 2026-12-31: the rate of 10,4% from 2026-07-01 is used up to "
        f"2027-07-01; {add}",
        f"no wettelijke rente is known after 2026-12-31: the rate of 4% from 2026-07-01 is used up to 2027-07-01; {add}"]
    assert len(made.warnings) == 6  # one per invoice: the command says each once


def test_collected_by_quarter_and_by_payment(home):
    r = reports.collected(home, date(2026, 1, 1), date(2026, 12, 31), "quarter", TODAY).to_json()
    assert [(p["period"], p["payments"], p["amount"]) for p in r["periods"]] == [
        ("2026-Q1", 0, "0.00"), ("2026-Q2", 0, "0.00"), ("2026-Q3", 0, "0.00"), ("2026-Q4", 1, "500.00")]
    assert r["payments"] == [{"seq": 10, "date": "2026-11-15", "invoice": "2026-094", "client": "bakkerij",
                              "amount": "500.00", "principal": "500.00", "costs": "0.00", "costs_vat": "0.00",
                              "interest": "0.00", "credit": "0.00"}]
    by_payment = reports.collected(home, date(2026, 11, 1), date(2026, 11, 30), "payment", TODAY)
    assert [(x.day, x.invoice, x.amount) for x in by_payment.receipts] == [
        (date(2026, 11, 15), "2026-094", Decimal("500.00"))]


def test_how_each_client_pays(home):
    r = reports.clients(home, TODAY)
    assert [(c.client, c.invoices, c.principal_open, c.total_due) for c in r.clients] == [
        ("bakkerij", 1, Decimal("1315.00"), Decimal("1324.96")), ("devries", 1, Decimal("450.00"), Decimal("450.00")),
        ("jansen", 1, Decimal("1200.00"), Decimal("1205.92")), ("meijer", 1, Decimal("244.00"), Decimal("245.74")),
        ("techniek", 1, Decimal("3630.00"), Decimal("4313.57")), ("visser", 1, Decimal("980.00"), Decimal("1176.13"))]
    assert r.to_json()["clients"][0]["steps"] == {"invoice": 0, "reminder": 1, "call": 0, "wik-letter": 0,
                                                  "notice-of-default": 0, "handover": 0}


# -- wik invoice list | show -----------------------------------------------------------------

def test_invoice_list(home):
    assert [r.to_json() for r in invoices.listing(home, TODAY)][:2] == [
        {"invoice": "2026-031", "client": "visser", "date": "2026-05-09", "due": "2026-06-08", "amount": "980.00",
         "principal_open": "980.00", "step": 6, "step_name": "handover", "closed": None},
        {"invoice": "2026-058", "client": "techniek", "date": "2026-07-28", "due": "2026-08-27",
         "amount": "3630.00", "principal_open": "3630.00", "step": 5, "step_name": "notice-of-default",
         "closed": None}]
    assert [r.invoice.number for r in invoices.listing(home, TODAY)] == [
        "2026-031", "2026-058", "2026-072", "2026-087", "2026-094", "2026-101"]
    assert [r.invoice.number for r in invoices.listing(home, date(2026, 10, 1))] == [
        "2026-031", "2026-058", "2026-072", "2026-087"]


def test_invoice_show_with_a_void_and_a_bounce(home):
    made = invoices.show(home, "2026-094", TODAY)
    d = made.to_json()
    assert (d["principal_open"], d["interest"], d["total_due"], d["paid"], d["next_action"]) == (
        "1315.00", "9.96", "1324.96", "500.00", "call-client")
    assert [(t.event.seq, t.event.type, t.voided, t.bounced) for t in made.timeline] == [
        (8, "invoice-added", None, None), (9, "letter-sent", None, None), (10, "payment", None, None)]
    assert made.by_post is None and made.warnings == []

    chase.void(home, 10, "verkeerd geboekt", TODAY)
    delivery.bounced(home, "2026-094", "reminder", TODAY, "550 mailbox unavailable")
    made = invoices.show(home, "2026-094", TODAY)
    assert [(t.event.seq, t.event.type) for t in made.timeline] == [
        (8, "invoice-added"), (9, "letter-sent"), (10, "payment"), (29, "voided"), (30, "letter-bounced")]
    assert made.timeline[2].voided == invoices.Voiding(TODAY, "verkeerd geboekt", 29)
    assert made.to_json()["timeline"][2]["voided"] == {"date": "2026-11-25", "reason": "verkeerd geboekt", "by": 29}
    bounce = made.timeline[1].bounced
    assert bounce is not None and (bounce.day, bounce.letter_date, bounce.reason) == (
        TODAY, date(2026, 11, 5), "550 mailbox unavailable")
    a = made.assessment
    assert (a.next_action, a.action_due, a.standing.principal_open) == (
        "send-reminder", date(2026, 11, 4), Decimal("1815.00"))
    assert made.by_post == date(2026, 11, 5)  # the reminder goes again, by post


def test_invoice_show_of_a_later_invoice_and_an_unknown_one(home):
    assert invoices.show(home, "2026-101", date(2026, 11, 1)).day == date(2026, 11, 18)  # its own date
    with pytest.raises(LedgerError, match="'2026-999' is not in the ledger"):
        invoices.show(home, "2026-999", TODAY)


# -- wik client list | show, wik credit show ----------------------------------------------------

def test_client_list_and_show(home):
    assert [(x.client.id, x.forgotten, x.terms) for x in clients.listing(home)] == [
        ("bakkerij", False, ()), ("devries", False, ()), ("jansen", False, ()), ("meijer", False, ()),
        ("techniek", False, ()), ("visser", False, ())]
    made = clients.show(home, "BAKKERIJ", TODAY)  # any case
    d = made.to_json()
    assert (d["id"], d["postcode"], d["city"], d["forgotten"], d["terms"]) == (
        "bakkerij", "2011 BK", "Haarlem", False, [])
    assert [(r["invoice"], r["total_due"], r["step"], r["closed"]) for r in d["invoices"]] == [
        ("2026-094", "1324.96", 2, None)]
    assert d["account"] == {"client": "bakkerij", "date": "2026-11-25", "invoiced": "1815.00", "charged": "9.96",
                            "received": "500.00", "refunded": "0.00", "claimed": "1324.96", "credit": "0.00",
                            "balance": "1324.96", "credit_on": []}
    with pytest.raises(LedgerError, match="'nobody' is not in the ledger"):
        clients.show(home, "nobody", TODAY)


def test_credit_account(home):
    payments.pay(home, "2026-101", Decimal("500.00"), TODAY, today=TODAY, allow_overpayment=True)
    acc = credit.account(home, "DeVries", TODAY)
    assert acc.to_json() == {"client": "devries", "date": "2026-11-25", "invoiced": "450.00", "charged": "0.00",
                             "received": "500.00", "refunded": "0.00", "claimed": "0.00", "credit": "50.00",
                             "balance": "-50.00", "credit_on": [{"invoice": "2026-101", "amount": "50.00"}]}
    with pytest.raises(CreditError, match="'nobody' is not in the ledger"):
        credit.account(home, "nobody", TODAY)


# -- wik calendar, wik export-client -------------------------------------------------------------

def test_calendar_written(home):
    made = agenda.write(home, TODAY, stamp=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    assert made == agenda.CalendarWritten(home.path / "wik.ics", 5)
    text = made.path.read_bytes().decode()
    assert text.count("BEGIN:VEVENT") == 5
    assert "SUMMARY:wik: send the WIK-letter (2026-072)\r\nDTSTART;VALUE=DATE:20261016\r\n" in text
    assert "DTSTAMP:20261125T093000Z" in text
    assert made.path.stat().st_mode & 0o777 == 0o600


def test_export_client(home):
    doc = privacy.access(home, "Bakkerij")
    assert (doc["client"]["id"], doc["forgotten"], doc["invoices"]) == ("bakkerij", False, ["2026-094"])
    assert [(e["seq"], e["type"]) for e in doc["events"]] == [
        (2, "client-added"), (8, "invoice-added"), (9, "letter-sent"), (10, "payment")]


# -- wik calc, interest, deadline, rates ---------------------------------------------------------

def test_collection_costs():
    r = calculators.collection_costs(Decimal("244"))
    assert (r.result.costs, r.result.minimum_applied, r.warnings) == (Decimal("40.00"), True, [])
    assert calculators.collection_costs(Decimal("244"), vat=True).result.costs_incl_vat == Decimal("48.40")
    r = calculators.collection_costs(Decimal("1000"), business=True, agreed_costs="15%, min 250")
    assert r.result.costs == Decimal("250.00")
    assert r.warnings == [
        "the agreed collection costs of 250.00 exceed the staffel (150.00) by more than half: a court may cut "
        "them back to the staffel (HR 10-07-2015, ECLI:NL:HR:2015:1868)"]
    with pytest.raises(OptionError, match="add --b2b"):
        calculators.collection_costs(Decimal("1000"), agreed_costs="250")


def test_statutory_and_agreed_interest():
    r = calculators.statutory_interest(Decimal("1000"), date(2024, 3, 1), date(2025, 6, 30))
    assert r.terms is None and "agreed" not in r.to_json()
    assert [(p.start, p.end, p.days, p.rate, p.base, p.interest) for p in r.result.periods] == [
        (date(2024, 3, 1), date(2024, 12, 31), 306, Decimal("0.07"), Decimal("1000.00"), Decimal("58.68")),
        (date(2025, 1, 1), date(2025, 2, 28), 59, Decimal("0.06"), Decimal("1000.00"), Decimal("9.70")),
        (date(2025, 3, 1), date(2025, 6, 30), 122, Decimal("0.06"), Decimal("1068.38"), Decimal("21.43"))]
    assert (r.result.interest, r.result.total, r.result.warnings) == (Decimal("89.81"), Decimal("1089.81"), ())
    r = calculators.statutory_interest(Decimal("1000"), date(2026, 4, 1), date(2027, 9, 30),
                                       agreed_interest="1% per maand")
    assert r.to_json()["kind"] == "commercial" and r.to_json()["interest"] == "180.16"
    assert r.to_json()["agreed"] == {"text": "1% per maand", "rate": "0.12", "surcharge": "0.00",
                                     "compounding": "none"}
    late = calculators.statutory_interest(Decimal("1000"), date(2026, 1, 1), date(2027, 9, 30))
    assert late.result.warnings == (  # days past the table: said in the result, not printed
        "no wettelijke rente is known after 2026-12-31: the rate of 4% from 2026-07-01 is used up to 2027-09-30; "
        "add the new rate to <home>/rates.toml (`wik rates` shows the table in force)",)


def test_letter_term():
    t = calculators.letter_term(date(2026, 12, 24), "Post ", 14)
    assert (t.term.delivered, t.term.last_day, t.term.costs_due_from) == (
        date(2026, 12, 31), date(2027, 1, 14), date(2027, 1, 15))
    assert (t.delivery_days, t.set_by, t.abroad, t.equated) == (None, "", False, [])
    t = calculators.letter_term(date(2026, 5, 13), "post", 14, delivery_days=3)
    assert (t.term.delivered, t.term.last_day, t.set_by) == (date(2026, 5, 20), date(2026, 6, 3),
                                                              calculators.OPTION_SET)
    [(day, decree)] = t.equated
    assert day == date(2026, 5, 15) and decree is not None and decree.source == (
        "Algemene termijnenwet art. 3 lid 3; Stcrt. 2025, 24713")
    t = calculators.letter_term(date(2026, 11, 24), "post", 14, abroad=True)
    assert (t.delivery_days, t.abroad, t.set_by) == (10, True, "")


def test_rates_and_a_home_policy(home, tmp_path):
    r = calculators.rates(home.path)
    assert (r.user_file, r.user_file_exists) == (str(home.path / "rates.toml"), False)
    d = r.to_json()
    assert d["consumer"]["known_until"] == "2026-12-31"
    assert d["consumer"]["rates"][0]["from"] == "2015-01-01" and d["consumer"]["rates"][0]["rate"] == "0.02"
    assert calculators.home_policy(tmp_path / "none") == Policy()
    assert calculators.home_policy(home.path) == home.policy

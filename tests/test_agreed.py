"""What a business client agreed: contractual interest and collection costs, worked cases with
exact amounts, and the ledger, letters and dossier using them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home
from wikcli.rules import agreed, interest


# --- reading the terms ---------------------------------------------------------------------

@pytest.mark.parametrize("text,rate,surcharge,compounding", [
    ("1% per maand", "0.12", "0", "none"),
    ("1,5 % per month compounded", "0.180", "0", "month"),
    ("12% per jaar", "0.12", "0", "none"),
    ("8%", "0.08", "0", "none"),
    ("12% per jaar samengesteld", "0.12", "0", "year"),
    ("wettelijke handelsrente + 2%", None, "0.02", "year"),
    ("2% boven de wettelijke handelsrente", None, "0.02", "year"),
    ("statutory commercial rate + 1,5 points simple", None, "0.015", "none"),
])
def test_agreed_interest_is_read_as_written(text, rate, surcharge, compounding):
    i = agreed.parse_interest(text)
    assert (i.rate, i.surcharge, i.compounding) == (None if rate is None else D(rate), D(surcharge), compounding)
    assert i.text == text and agreed.AgreedInterest.from_json(i.to_json()) == i


@pytest.mark.parametrize("text,message", [
    ("1% per week", "is not an interest rate"),
    ("wettelijke handelsrente", "names the statutory rate but no surcharge"),
    ("200% per jaar", "out of range"),
    ("1% per maand samengesteld enkelvoudig", "both simple and compounded"),
])
def test_unreadable_interest_is_refused_naming_it(text, message):
    with pytest.raises(agreed.TermsError, match=message) as e:
        agreed.parse_interest(text)
    assert repr(text) in str(e.value)


def test_agreed_costs_of_fifteen_percent_with_a_minimum_of_150():
    c = agreed.parse_costs("15%, min 150")
    # on 600.00: 15% is 90.00, the minimum 150.00 applies; on 5000.00: 15% is 750.00
    assert (c.amount(D("600.00")), c.amount(D("5000.00"))) == (D("150.00"), D("750.00"))
    assert agreed.parse_costs("15% met een minimum van € 150,- en een maximum van 500").amount(D("5000")) == D("500.00")
    # never below the statutory 40.00, whatever was agreed
    assert (agreed.parse_costs("5%").amount(D("100")), agreed.parse_costs("€ 25").amount(D("9000"))) == (
        D("40.00"), D("40.00"))
    for bad, message in (("15% foo", "cannot read 'foo'"), ("15%, min 500, max 100", "minimum is above")):
        with pytest.raises(agreed.TermsError, match=message):
            agreed.parse_costs(bad)


# --- the arithmetic ---------------------------------------------------------------------------

def test_one_percent_a_month_simple_over_2500_for_90_days():
    i = agreed.parse_interest("1% per maand")
    r = interest.compute(D("2500.00"), date(2026, 1, 1), date(2026, 3, 31), interest.COMMERCIAL,
                         basis=interest.Basis(i.rate, i.surcharge, i.compounding))
    # 2500.00 x 12% x 90 / 365 = 73.9726 -> 73.97, no rate change, nothing added to the base
    assert [(p.days, p.rate, p.interest) for p in r.periods] == [(90, D("0.12"), D("73.97"))]
    assert r.interest == D("73.97") and r.warnings == ()


def test_a_surcharge_of_two_points_across_the_2026_07_01_rate_change():
    i = agreed.parse_interest("wettelijke handelsrente + 2%")
    r = interest.compute(D("1000.00"), date(2026, 5, 1), date(2026, 8, 31), interest.COMMERCIAL,
                         basis=interest.Basis(i.rate, i.surcharge, i.compounding))
    # 10.15% + 2 = 12.15% for 61 days: 20.31; 10.40% + 2 = 12.40% for 62 days: 21.06
    assert [(p.start, p.days, p.rate, p.interest) for p in r.periods] == [
        (date(2026, 5, 1), 61, D("0.1215"), D("20.31")), (date(2026, 7, 1), 62, D("0.1240"), D("21.06"))]
    assert r.interest == D("41.37")


def test_monthly_compounding_adds_each_month_to_the_base():
    i = agreed.parse_interest("1% per maand samengesteld")
    r = interest.compute(D("1000.00"), date(2026, 1, 15), date(2026, 3, 14), interest.COMMERCIAL,
                         basis=interest.Basis(i.rate, i.surcharge, i.compounding))
    # 15 Jan - 14 Feb 31 days on 1000.00 = 10.19; 15 Feb - 14 Mar 28 days on 1010.19 = 9.30
    assert [(p.days, p.base, p.interest) for p in r.periods] == [(31, D("1000.00"), D("10.19")),
                                                                  (28, D("1010.19"), D("9.30"))]


def test_an_agreed_rate_below_the_statutory_one_is_warned_about():
    r = interest.compute(D("1000.00"), date(2026, 5, 1), date(2026, 8, 31), interest.COMMERCIAL,
                         basis=interest.Basis(D("0.08"), D("0"), "none"))
    assert r.warnings == (
        "the agreed interest of 8% a year is below the wettelijke handelsrente of 10,15% from 2026-05-01 to "
        "2026-06-30: you may be giving interest away",
        "the agreed interest of 8% a year is below the wettelijke handelsrente of 10,4% from 2026-07-01 to "
        "2026-08-31: you may be giving interest away")


# --- one calculation from the command line ----------------------------------------------------

def test_interest_and_calc_take_agreed_terms(wik):
    out = wik("interest", "2500", "--from", "2026-01-01", "--to", "2026-03-31", "--agreed", "1% per maand",
              "--json").json()
    assert (out["interest"], out["kind"], out["agreed"]["rate"]) == ("73.97", "commercial", "0.12")
    out = wik("calc", "600", "--b2b", "--agreed-costs", "15%, min 150", "--json")
    assert out.json()["costs"] == "150.00" and out.json()["agreed"] is True
    # 150.00 is more than half above the staffel's 90.00: a court may cut it back
    assert "exceed the staffel (90.00) by more than half" in out.stderr
    r = wik("calc", "600", "--agreed-costs", "15%, min 150")
    assert (r.exit_code, r.stderr) == (2, "wik: error: agreed costs apply only to a business debtor: add --b2b\n")


# --- the ledger ---------------------------------------------------------------------------------

@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "acme", "--name", "Acme B.V.", "--type", "business", "--agreed-interest", "1% per maand",
        "--agreed-costs", "15%, min 150", "--clause", "artikel 8 van onze algemene voorwaarden", "--home", h,
        "--today", "2026-01-02")
    _ok("client", "add", "jan", "--name", "Jan", "--home", h)
    _ok("invoice", "add", "A-1", "--client", "acme", "--amount", "2500", "--date", "2026-01-02", "--due",
        "2026-01-31", "--home", h)
    return h


def show(home, number, today):
    return _ok("invoice", "show", number, "--json", "--home", home, "--today", today).json()


def test_consumers_are_refused_agreed_terms(home):
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("client", "terms", "jan", "--agreed-costs", "15%", "--home", home)
    assert (r.exit_code, r.stderr) == (2, "wik: error: client 'jan': agreed terms apply only to a business client: "
                                          "the staffel and the statutory interest are mandatory for consumers "
                                          "(art. 6:96 lid 5 BW)\n")
    r = run_cli("client", "add", "piet", "--name", "Piet", "--agreed-interest", "1% per maand", "--home", home)
    assert r.exit_code == 2 and "only to a business client" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before


def test_the_ledger_and_the_letters_use_what_was_agreed(home):
    # due Saturday 31 January, moved to Monday 2 February (Algemene termijnenwet): interest
    # 1% a month from 3 February: 2500.00 x 12% x 88 / 365 on 1 May = 72.33
    s = show(home, "A-1", "2026-05-01")
    assert (s["interest"], s["costs"], s["terms"]["clause"]) == ("72.33", "375.00", "artikel 8 van onze algemene voorwaarden")
    text = _ok("invoice", "show", "A-1", "--home", home, "--today", "2026-05-01").stdout
    assert "Agreed terms: interest 1% per maand, collection costs 15%, min 150 (artikel 8 van onze algemene voorwaarden)" in text
    assert "(agreed: 1% per maand)" in text
    d = _ok("letter", "A-1", "--kind", "wik", "--sent", "2026-05-01", "--via", "email", "--home", home,
            "--today", "2026-05-01", "--json").json()
    t = norm(" ".join(pdf_pages(Path(d["path"]).read_bytes())))
    # 15% of 2500.00 = 375.00 (the minimum of 150 does not bite), no VAT: a VAT-registered creditor
    assert "incassokosten verschuldigd van € 375,00 (exclusief btw" in t
    assert "Dit bedrag is tussen ons overeengekomen volgens artikel 8 van onze algemene voorwaarden." in t
    assert "overeengekomen rente van 1% per maand (volgens artikel 8 van onze algemene voorwaarden)" in t
    assert "Overeengekomen rente (1% per maand) t/m 1 mei 2026 € 72,33 € 0,00 € 72,33" in t
    sent = [json.loads(x) for x in (Path(home) / "journal.jsonl").read_text().splitlines()[1:]
            if '"letter-sent"' in x]
    announced = sent[0]["data"]["claim"]["costs_announced"]
    assert announced["terms"]["percentage"] == "0.15" and announced["clause"] == "artikel 8 van onze algemene voorwaarden"
    # 1000.00 paid inside the term (received 1 May; the 14th day, 15 May, is the Friday after
    # Ascension the decree equates, so the term runs to Monday 18 May): the agreed 15% over
    # the 1500.00 left is 225.00, not the staffel
    _ok("pay", "A-1", "1000", "--date", "2026-05-10", "--home", home, "--today", "2026-05-10")
    assert show(home, "A-1", "2026-05-18")["costs_owed"] is False
    s = show(home, "A-1", "2026-05-19")
    assert (s["costs_owed"], s["costs"]) == (True, "225.00")
    # changing the client's terms later changes nothing of what the letter announced
    _ok("client", "terms", "acme", "--agreed-costs", "none", "--home", home, "--today", "2026-05-20")
    assert show(home, "A-1", "2026-05-20")["costs"] == "225.00"
    r = _ok("handover", "A-1", "--force", "--home", home, "--today", "2026-05-20", "--json", "--lang", "en")
    dossier = json.loads((Path(r.json()["folder"]) / "dossier.json").read_text())
    assert dossier["terms"]["clause"] == "artikel 8 van onze algemene voorwaarden"
    pdf = norm(" ".join(pdf_pages((Path(r.json()["folder"]) / "dossier.pdf").read_bytes())))
    assert "Agreed between the parties (business debtor, artikel 8 van onze algemene voorwaarden)" in pdf


def test_terms_apply_to_invoices_dated_from_their_start(home):
    _ok("client", "add", "bv", "--name", "B.V.", "--type", "business", "--home", home)
    _ok("invoice", "add", "B-1", "--client", "bv", "--amount", "1000", "--date", "2026-01-02", "--due", "2026-01-31",
        "--home", home)
    _ok("client", "terms", "bv", "--agreed-interest", "wettelijke handelsrente + 2%", "--from", "2026-03-01",
        "--home", home, "--today", "2026-03-01")
    _ok("invoice", "add", "B-2", "--client", "bv", "--amount", "1000", "--date", "2026-03-02", "--due", "2026-03-31",
        "--home", home)
    assert show(home, "B-1", "2026-04-30")["terms"] is None  # made before the terms: statutory
    # B-2: 1-30 April at 10.15% + 2 = 12.15%, 30 days on 1000.00 = 9.99
    assert show(home, "B-2", "2026-04-30")["interest"] == "9.99"
    # an invoice's own terms win over the client's
    _ok("invoice", "terms", "B-2", "--agreed-interest", "8% per jaar", "--home", home, "--today", "2026-04-30")
    s = show(home, "B-2", "2026-04-30")
    assert (s["interest"], s["terms"]["interest"]["text"]) == ("6.58", "8% per jaar")  # 1000 x 8% x 30 / 365


def test_a_notice_of_default_names_the_clause_of_the_agreed_costs(home):
    # Acme's first letter is the notice of default: it announces the agreed 15% of 2500.00 =
    # 375.00 (no VAT: a VAT-registered creditor) and says where that was agreed, in either language.
    for lang, sentence in (
            ("nl", "U bent dan bovendien buitengerechtelijke incassokosten verschuldigd van € 375,00 (exclusief btw). "
                   "Dit bedrag is tussen ons overeengekomen volgens artikel 8 van onze algemene voorwaarden."),
            ("en", "You will then also owe extrajudicial collection costs of €375.00 (excl. VAT). "
                   "This amount was agreed between us under artikel 8 van onze algemene voorwaarden.")):
        d = _ok("letter", "A-1", "--kind", "default", "--lang", lang, "--home", home, "--today", "2026-05-01",
                "--json").json()
        t = norm(" ".join(pdf_pages(Path(d["path"]).read_bytes())))
        assert sentence in t, t


def test_a_mixed_letter_names_the_clause_of_the_agreed_costs(tmp_path):
    # B-1 predates the terms (statutory, its costs announced by a WIK-letter); B-2 follows them.
    # The notice of default over both announces only B-2's costs: the agreed 10% of 2000.00 =
    # 200.00, with the clause, beside B-1's statutory costs already owed.
    h = init_home(tmp_path)
    _ok("client", "add", "bv", "--name", "B.V.", "--type", "business", "--home", h)
    _ok("invoice", "add", "B-1", "--client", "bv", "--amount", "1000", "--date", "2026-01-02", "--due", "2026-02-02",
        "--home", h)
    _ok("letter", "B-1", "--kind", "wik", "--sent", "2026-02-10", "--via", "email", "--home", h,
        "--today", "2026-02-10")
    _ok("client", "terms", "bv", "--agreed-costs", "10%, min 100", "--clause", "artikel 5 van de offerte",
        "--from", "2026-03-01", "--home", h, "--today", "2026-03-01")
    _ok("invoice", "add", "B-2", "--client", "bv", "--amount", "2000", "--date", "2026-03-02", "--due", "2026-03-31",
        "--home", h)
    d = _ok("letter", "B-1", "B-2", "--kind", "default", "--home", h, "--today", "2026-04-15", "--json").json()
    t = norm(" ".join(pdf_pages(Path(d["path"]).read_bytes())))
    # B-1's statutory costs (the staffel's 15% of 1000.00), owed since its WIK-letter's term ran
    assert "Buitengerechtelijke incassokosten € 150,00 € 0,00 € 150,00 Wettelijke handelsrente" in t, t
    assert ("U bent dan bovendien buitengerechtelijke incassokosten verschuldigd van € 200,00 (exclusief btw). "
            "Dit bedrag is tussen ons overeengekomen volgens artikel 5 van de offerte.") in t, t

"""The cumulation rule for a consumer's small instalments of one agreement (Besluit vergoeding
voor buitengerechtelijke incassokosten as amended by Stb. 2024, 44; wikcli.cumulation): the
worked cases of issue 26, each through the commands, with the costs every letter announces
(its record and its PDF) and what the ledger then holds owed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home

LATER = "2026-06-30"  # every term below has run out


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "les", "--name", "L. Leerling", "--email", "l@example.nl", "--home", h)
    return h


def add(home, number, amount, day, *extra):
    _ok("invoice", "add", number, "--client", "les", "--amount", amount, "--date", day, "--term", "14",
        *extra, "--home", home)


def wik(home, day, *numbers) -> Path:
    r = _ok("letter", *numbers, "--kind", "wik", "--sent", day, "--via", "email", "--today", day,
            "--home", home)
    return Path(r.stdout.strip().splitlines()[0])


def announced(home) -> dict[str, str]:
    """invoice -> the costs (without VAT) its WIK-letter's record announces."""
    out = {}
    for line in (Path(home) / "journal.jsonl").read_text().splitlines()[1:]:
        ev = json.loads(line)
        if ev["type"] == "letter-sent":
            out[ev["invoice"]] = ev["data"]["announces"]["costs"]
    return out


def owed(home, number) -> tuple[bool, str, str]:
    d = _ok("invoice", "show", number, "--json", "--home", home, "--today", LATER).json()
    return d["costs_owed"], d["costs_charged"], d["principal_open"]


def text(path) -> str:
    return norm(" ".join(pdf_pages(Path(path).read_bytes())))


MONTHS = ("2026-01-01", "2026-02-01", "2026-03-01")


def test_three_fees_of_50_each_with_its_own_letter_cost_one_staffel(home):
    for k, day in enumerate(MONTHS, 1):
        add(home, f"L-{k}", "50", day)
    first = wik(home, "2026-01-20", "L-1")
    second = wik(home, "2026-02-20", "L-2")
    third = wik(home, "2026-03-20", "L-3")
    # One staffel over 150.00 is the 40.00 minimum: the first letter announces it all, the
    # next two what is left of it, nothing (without the rule: 3 x 40.00 = 120.00).
    assert announced(home) == {"L-1": "40.00", "L-2": "0.00", "L-3": "0.00"}
    assert [owed(home, n) for n in ("L-1", "L-2", "L-3")] == [
        (True, "40.00", "50.00"), (True, "0.00", "50.00"), (True, "0.00", "50.00")]
    assert "incassokosten verschuldigd van € 40,00 (exclusief btw" in text(first)
    assert "eerder aangekondigd" not in text(first)
    assert ("incassokosten verschuldigd van € 0,00 (exclusief btw; er wordt geen btw over berekend). Dit "
            "bedrag volgt uit het Besluit vergoeding voor buitengerechtelijke incassokosten, dat de "
            "incassokosten over kleine termijnen van dezelfde overeenkomst binnen zes maanden beperkt tot "
            "één staffel over hun som; eerder aangekondigd voor factuur L-1 (€ 40,00).") in text(second)
    assert "eerder aangekondigd voor factuur L-1 (€ 40,00), factuur L-2 (€ 0,00)." in text(third)
    record = [json.loads(x) for x in (Path(home) / "journal.jsonl").read_text().splitlines()[1:]
              if json.loads(x)["type"] == "letter-sent"][-1]["data"]["claim"]["costs_announced"]
    assert record["cumulation"] == [{
        "agreement": None, "since": "2025-09-16",
        "earlier": [{"invoice": "L-1", "principal": "50.00", "costs": "40.00", "letter_date": "2026-01-20"},
                    {"invoice": "L-2", "principal": "50.00", "costs": "0.00", "letter_date": "2026-02-20"}],
        "staffel": "40.00", "left": "0.00"}]


def test_three_fees_of_50_in_one_letter_cost_one_staffel(home):
    for k, day in enumerate(MONTHS, 1):
        add(home, f"L-{k}", "50", day)
    path = wik(home, "2026-03-20", "L-1", "L-2", "L-3")
    # 40.00 over 150.00, split pro rata in cents that add up
    assert announced(home) == {"L-1": "13.34", "L-2": "13.33", "L-3": "13.33"}
    assert [owed(home, n)[1] for n in ("L-1", "L-2", "L-3")] == ["13.34", "13.33", "13.33"]
    assert "incassokosten verschuldigd van € 40,00 (exclusief btw" in text(path)


def test_fees_of_300_are_above_the_threshold_and_each_bears_its_staffel(home):
    for k, day in enumerate(MONTHS, 1):
        add(home, f"H-{k}", "300", day)
    for k, day in enumerate(("2026-01-20", "2026-02-20", "2026-03-20"), 1):
        wik(home, day, f"H-{k}")
    # 15% of 300.00 = 45.00 each: 300.00 is not below 266.67, so the rule does not apply
    assert announced(home) == {"H-1": "45.00", "H-2": "45.00", "H-3": "45.00"}
    assert [owed(home, n)[1] for n in ("H-1", "H-2", "H-3")] == ["45.00", "45.00", "45.00"]


def test_two_agreements_of_one_client_each_get_one_staffel(home):
    add(home, "A-1", "50", "2026-01-01", "--agreement", "gitaarles")
    add(home, "B-1", "60", "2026-01-01", "--agreement", "zangles")
    add(home, "A-2", "50", "2026-02-01", "--agreement", "gitaarles")
    add(home, "B-2", "60", "2026-02-01", "--agreement", "zangles")
    wik(home, "2026-01-20", "A-1")
    wik(home, "2026-01-20", "B-1")
    wik(home, "2026-02-20", "A-2")
    wik(home, "2026-02-20", "B-2")
    assert announced(home) == {"A-1": "40.00", "B-1": "40.00", "A-2": "0.00", "B-2": "0.00"}
    assert sum(float(owed(home, n)[1]) for n in ("A-1", "A-2", "B-1", "B-2")) == 80.0
    d = _ok("invoice", "show", "A-2", "--json", "--home", home, "--today", LATER).json()
    assert d["agreement"] == "gitaarles"
    assert "  agreement: gitaarles" in _ok("invoice", "show", "A-2", "--home", home, "--today", LATER).stdout


def test_unnamed_small_invoices_count_as_one_agreement(home):
    add(home, "A-1", "50", "2026-01-01")
    add(home, "B-1", "60", "2026-01-02")
    wik(home, "2026-01-20", "A-1")
    wik(home, "2026-01-20", "B-1")
    assert announced(home) == {"A-1": "40.00", "B-1": "0.00"}


def test_an_instalment_more_than_six_months_later_bears_its_own_staffel(home):
    add(home, "L-1", "50", "2026-01-01")  # due 2026-01-15
    add(home, "L-9", "50", "2026-08-01")  # due 2026-08-15: six months back is 2026-02-15
    wik(home, "2026-01-20", "L-1")
    wik(home, "2026-08-20", "L-9")
    assert announced(home) == {"L-1": "40.00", "L-9": "40.00"}


def test_a_business_and_a_letter_before_the_rule_are_not_capped(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "les", "--name", "L. Leerling", "--home", h)
    for k, day in enumerate(("2024-07-01", "2024-08-01"), 1):
        add(h, f"O-{k}", "50", day)
    wik(h, "2024-07-20", "O-1")
    wik(h, "2024-08-20", "O-2")  # before 2024-10-01, when the rule came into force
    assert announced(h) == {"O-1": "40.00", "O-2": "40.00"}


def test_agreement_from_a_csv_column_and_a_bad_name_refused(home, tmp_path):
    csv = tmp_path / "f.csv"
    csv.write_text("factuurnummer,factuurdatum,vervaldatum,bedrag,klantnummer,klant,overeenkomst\n"
                   "C-1,2026-01-01,2026-01-15,50,les,L. Leerling,gitaarles\n")
    _ok("import", str(csv), "--home", home)
    d = _ok("invoice", "show", "C-1", "--json", "--home", home, "--today", "2026-01-02").json()
    assert d["agreement"] == "gitaarles"
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("invoice", "add", "X-1", "--client", "les", "--amount", "50", "--date", "2026-01-01",
                "--agreement", "x" * 81, "--home", home)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert "--agreement 'xxxx" in r.stderr and "expected one line of 1 to 80 characters" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before

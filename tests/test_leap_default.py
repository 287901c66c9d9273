"""A default that starts on 29 February (issue 26 item 6): the first year of default runs
to 28 February of the next year and its interest joins the base on 1 March (wik's
convention, domain.md section 4, by analogy with EU Reg. 1182/71 art. 3: a year that ends on
a day that does not exist ends on the last day of that month). The reference vector checks
the interest module; this checks the ledger: an invoice due 28 February 2024."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_cli_ledger import _ok, init_home


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "c", "--name", "C. Consument", "--address", "Dorpsstraat 1", "--postcode", "1234 AB",
        "--city", "Utrecht", "--home", h)
    _ok("invoice", "add", "F-29", "--client", "c", "--amount", "1000", "--date", "2024-01-29", "--due",
        "2024-02-28", "--home", h)
    return h


def interest(home, day) -> str:
    return _ok("invoice", "show", "F-29", "--json", "--home", home, "--today", day).json()["interest"]


def test_the_first_years_interest_joins_the_base_on_1_march(home):
    # 29 Feb - 31 Dec 2024: 307 days at 7% = 58.88; 1 Jan - 28 Feb 2025: 59 days at 6% = 9.70
    assert interest(home, "2024-02-29") == "0.19"  # the first day of default: 1000 x 7% / 365
    assert interest(home, "2025-02-28") == "68.58"
    # from 1 March 2025 the base is 1068.58: one day at 6% = 0.18 (on 1000.00 it would be 0.16)
    assert interest(home, "2025-03-01") == "68.76"
    assert interest(home, "2025-06-30") == "90.01"  # the reference vector's figure


def test_the_dossier_shows_the_periods_split_on_28_february(home):
    out = Path(home).parent / "dossier"
    _ok("handover", "F-29", "--force", "--out", str(out), "--home", home, "--today", "2025-06-30")
    owed = json.loads((out / "dossier.json").read_text(encoding="utf-8"))["owed"]
    periods = [(p["from"], p["to"], p["base"], p["interest"]) for p in owed["interest"]["calculation"]["periods"]]
    assert periods == [("2024-02-29", "2024-12-31", "1000.00", "58.88"),
                       ("2025-01-01", "2025-02-28", "1000.00", "9.70"),
                       ("2025-03-01", "2025-06-30", "1068.58", "21.43")]

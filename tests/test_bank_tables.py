"""`wik bank import` and `wik bank unmatched` at the terminal widths people have: at 60, 80 and
120 columns every amount, date, invoice number, IBAN and `#seq` the full-width output shows is
there whole and as often, and no line is wider than the terminal (WIK_WIDTH gives a pipe a
terminal's width, as in tests/test_tables.py)."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import make_demo, run_cli

DAY = "2026-11-25"
# never cut: amounts, dates, invoice numbers, event numbers, IBANs, references
WHOLE = re.compile(r"€ ?-?[\d.]+,\d\d|\d{4}-\d{2}-\d{2}|\b20\d\d-\d{3}\b|#\d+|\bNL\d\d[A-Z]{4}\d{10}\b|\bRF\d+\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    where = tmp_path_factory.mktemp("banktables")
    make_demo(where / "wik-demo", DAY)
    return where


def _run(args, home, columns):
    r = run_cli(*args, env={"WIK_HOME": str(home), "WIK_TODAY": DAY, "WIK_WIDTH": str(columns)})
    assert r.exit_code == 0, (args, r.stderr)
    return r.stdout


def _fits(full: str, narrow: str, width: int) -> None:
    wanted = sorted(set(WHOLE.findall(full)))
    assert [w for w in wanted if narrow.count(w) < full.count(w)] == [], narrow
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= width, narrow
    assert "…" not in narrow and "\x1b[" not in narrow


@pytest.mark.parametrize("width", [60, 80, 120])
def test_an_import_and_its_review_fit_the_terminal(width, demo, tmp_path):
    """The demo's statement: 3 payments booked, 2 credits kept (#37 and #38)."""
    full_home, home = tmp_path / "full", tmp_path / "narrow"
    shutil.copytree(demo / "wik-demo", full_home)
    shutil.copytree(demo / "wik-demo", home)
    statement = str(demo / "wik-demo" / "afschrift.xml")
    args = ("bank", "import", statement)
    _fits(_run((*args, "--dry-run"), full_home, 1000), _run((*args, "--dry-run"), home, width), width)
    full, narrow = _run(args, full_home, 1000), _run(args, home, width)
    for figure in ("#37", "#38", "€ 2.223,78", "€ 1.315,00", "€ 225,00", "€ 35,50", "2026-094", "RF832026072",
                   "NL22SNSB0912345678", "2026-11-24"):
        assert figure in full
    _fits(full, narrow, width)
    full, narrow = _run(("bank", "unmatched"), full_home, 1000), _run(("bank", "unmatched"), home, width)
    assert full.count("#37") == full.count("#38") == 1 and full.count("2026-11-24") == 2
    _fits(full, narrow, width)


def test_a_review_line_never_parts_an_amount_at_60_columns(demo, tmp_path):
    home = tmp_path / "h"
    shutil.copytree(demo / "wik-demo", home)
    _run(("bank", "import", str(demo / "wik-demo" / "afschrift.xml")), home, 1000)
    out = _run(("bank", "unmatched"), home, 60)
    assert out.splitlines()[2:5] == [
        "  #37  2026-11-24  € 225,00  Fam. de Vries",
        "    NL22SNSB0912345678 \"Eerste helft aanbetaling fotografie\"",
        "      no known reference, no open invoice number in the",
    ]
    assert not any(line.rstrip().endswith("€") for line in out.splitlines())

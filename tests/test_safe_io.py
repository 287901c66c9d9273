"""What goes out and what comes in: CSV cells a spreadsheet would run, --out targets, empty
option values, a stream that cannot print the euro sign, incoming files of every kind."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home

TODAY = "2026-06-01"


def _tree(root: Path) -> dict:
    """Every file under ``root`` with its bytes (links as their target): a change is seen."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.is_symlink():
            out[str(p)] = ("link", os.readlink(p))
        elif p.is_file():
            out[str(p)] = p.read_bytes()
    return out


@pytest.fixture
def formulas(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "f1", "--name", "=HYPERLINK(\"http://x\";\"klik\")", "--home", h)
    _ok("client", "add", "f2", "--name", "@SUM(1+1)", "--home", h)
    _ok("client", "add", "f3", "--name", "+31 20 123", "--home", h)
    _ok("client", "add", "f4", "--name", "-Jansen", "--home", h)
    for n, c in (("R1", "f1"), ("R2", "f2"), ("R3", "f3"), ("R4", "f4")):
        _ok("invoice", "add", n, "--client", c, "--amount", "100", "--date", "2026-01-02", "--home", h)
    return h


@pytest.mark.parametrize("dialect,sep", [("nl", ";"), ("excel", ",")])
def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe(formulas, dialect, sep):
    for args in (("ageing", "--by", "client"), ("clients",)):
        r = _ok("report", *args, "--csv", "--csv-dialect", dialect, "--home", formulas, "--today", TODAY)
        rows = list(csv.DictReader(io.StringIO(r.stdout[1:], newline=""), delimiter=sep))
        assert sorted(x["name"] for x in rows) == ["'+31 20 123", "'-Jansen", "'=HYPERLINK(\"http://x\";\"klik\")",
                                                   "'@SUM(1+1)"]
    # amounts stay numbers a spreadsheet adds up: never prefixed
    r = _ok("report", "ageing", "--by", "invoice", "--csv", "--csv-dialect", dialect, "--home", formulas,
            "--today", TODAY)
    rows = list(csv.DictReader(io.StringIO(r.stdout[1:], newline=""), delimiter=sep))
    assert [x["principal_open"] for x in rows] == ["100,00" if dialect == "nl" else "100.00"] * 4


def test_csv_cell_neutralises_tab_and_carriage_return_and_keeps_numbers():
    from decimal import Decimal

    from wikcli.cli.reports import _cell

    assert [_cell(v, ",") for v in ("\tx", "\rx", "=1", "+1", "-1", "@a", "a=1", "")] == [
        "'\tx", "'\rx", "'=1", "'+1", "'-1", "'@a", "a=1", ""]
    assert _cell(Decimal("-12.50"), ",") == "-12,50"


@pytest.fixture
def ledger(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "jan", "--name", "Één Jansen", "--home", h)
    _ok("invoice", "add", "J1", "--client", "jan", "--amount", "100", "--date", "2026-01-02", "--home", h)
    return h


@pytest.mark.parametrize("args,option", [
    (("status", "--home", ""), "--home"),
    (("pay", "J1", "10", "--date", "", "--home", "{h}"), "--date"),
    (("pay", "J1", "10", "--today", "", "--home", "{h}"), "--today"),
    (("note", "J1", "belde", "--date", " ", "--home", "{h}"), "--date"),
    (("status", "--today=", "--home", "{h}"), "--today"),
    (("report", "ageing", "--on", "", "--home", "{h}"), "--on"),
    (("client", "add", "kees", "--name", "", "--home", "{h}"), "--name"),
])
def test_an_empty_option_value_is_an_error_naming_the_option(ledger, tmp_path, args, option):
    before = _tree(tmp_path)
    r = run_cli(*(a.replace("{h}", ledger) for a in args), env={"WIK_TODAY": "2026-06-01", "WIK_HOME": ledger})
    assert (r.exit_code, r.stdout, r.stderr) == (
        2, "", f"wik: error: {option} is empty: give a value or leave the option out\n")
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("env", [{"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "latin-1"},
                                 {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "iso8859-15:strict"}])
def test_a_stream_that_is_not_utf8_prints_eur_and_no_traceback(ledger, env):
    # (ISO-8859-15 has a euro sign, and its strict error handler is replaced all the same.)
    import subprocess
    import sys

    full = {**{k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}, **env}
    r = subprocess.run([sys.executable, "-m", "wikcli", "calc", "1000"], env=full, capture_output=True)
    assert r.returncode == 0 and r.stderr == b""
    euro = b"\xa4" if "15" in env["PYTHONIOENCODING"] else b"EUR"
    assert b"Collection costs:         " + euro + b" 150,00" in r.stdout
    r = subprocess.run([sys.executable, "-m", "wikcli", "invoice", "show", "J1", "--home", ledger,
                        "--today", "2026-06-01"], env=full, capture_output=True)
    assert r.returncode == 0 and r.stderr == b"" and euro + b" 100,00" in r.stdout
    r = subprocess.run([sys.executable, "-m", "wikcli", "client", "list", "--home", ledger], env=full,
                       capture_output=True)
    name = "Één Jansen".encode("latin-1")
    assert r.returncode == 0 and r.stderr == b"" and name in r.stdout
    # an error naming a client with an accent is one line too
    r = subprocess.run([sys.executable, "-m", "wikcli", "pay", "J1", "€ 1.000,00x", "--home", ledger],
                       env=full, capture_output=True)
    assert r.returncode == 2 and r.stderr.count(b"\n") == 1 and b"Traceback" not in r.stderr
    assert euro + b" 1.000,00x" in r.stderr

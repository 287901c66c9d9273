"""The progress bar of long work: on a terminal's stderr only, never in a pipe or under --json,
and only above the threshold, so that what a command prints is otherwise unchanged."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from wikcli.cli import progress

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import gen_journal  # noqa: E402

DAY = "2026-11-25"
N = progress.THRESHOLD + 100


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return gen_journal.generate(tmp_path_factory.mktemp("large") / "home", N).parent


def _copy(home: Path, tmp_path: Path, name: str) -> Path:
    # A fresh copy has no kept overview: its status is a new day's, every invoice assessed.
    return Path(shutil.copytree(home, tmp_path / name))


def _terminal(monkeypatch, yes: bool) -> None:
    monkeypatch.setattr(progress, "on_terminal", lambda: yes)


def test_status_on_a_terminal_draws_the_bar_on_stderr_only(wik, large, tmp_path, monkeypatch):
    _terminal(monkeypatch, False)
    piped = wik("status", "--today", DAY, "--home", _copy(large, tmp_path, "pipe"))
    assert piped.exit_code == 0 and piped.stderr == ""
    _terminal(monkeypatch, True)
    shown = wik("status", "--today", DAY, "--home", _copy(large, tmp_path, "tty"))
    assert shown.exit_code == 0
    assert shown.stdout == piped.stdout  # the table is byte for byte the same
    assert "Assessing invoices" in shown.stderr
    assert f"/{N}" in shown.stderr
    assert "\x1b[" in shown.stderr  # drawn (and taken away again) with terminal codes


def test_json_on_a_terminal_and_a_pipe_get_no_bar(wik, large, tmp_path, monkeypatch):
    _terminal(monkeypatch, False)
    piped = wik("status", "--json", "--today", DAY, "--home", _copy(large, tmp_path, "pipe"))
    _terminal(monkeypatch, True)
    shown = wik("status", "--json", "--today", DAY, "--home", _copy(large, tmp_path, "tty"))
    assert piped.exit_code == shown.exit_code == 0
    assert piped.stderr == shown.stderr == ""
    assert shown.stdout == piped.stdout
    assert len(shown.json()) > 0


def test_the_next_status_of_the_day_is_quick_and_draws_nothing(wik, large, tmp_path, monkeypatch):
    home = _copy(large, tmp_path, "tty")
    _terminal(monkeypatch, True)
    first = wik("status", "--today", DAY, "--home", home)
    again = wik("status", "--today", DAY, "--home", home)  # the kept overview: nothing to assess
    assert "Assessing invoices" in first.stderr
    assert again.stderr == "" and again.stdout == first.stdout


def test_small_work_on_a_terminal_draws_nothing(wik, tmp_path, monkeypatch):
    home = gen_journal.generate(tmp_path / "small", 30).parent
    _terminal(monkeypatch, True)
    shown = wik("status", "--today", DAY, "--home", home)
    assert shown.exit_code == 0 and shown.stderr == ""


def test_on_terminal_asks_stderr(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    assert progress.on_terminal() is True
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress.on_terminal() is False
    with progress.progress("x") as tick:
        assert tick is None


def test_the_bar_starts_only_above_the_threshold(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    bar = progress.Bar("Work")
    bar(0, progress.THRESHOLD)
    bar(progress.THRESHOLD, progress.THRESHOLD)
    assert bar.progress is None and out.getvalue() == ""
    bar(0, progress.THRESHOLD + 1)
    bar(progress.THRESHOLD + 1, progress.THRESHOLD + 1)
    bar.close()
    assert "Work" in out.getvalue() and f"{progress.THRESHOLD + 1}/{progress.THRESHOLD + 1}" in out.getvalue()


@pytest.fixture(scope="module")
def statement(large, tmp_path_factory):
    import bank_import

    rows = bank_import.ledger_rows(large, progress.THRESHOLD * 5 // 4 + 100)  # a fifth are debits
    path = tmp_path_factory.mktemp("bank") / "afschrift.xml"
    path.write_bytes(bank_import.camt(rows))
    return path


def test_bank_import_on_a_terminal_draws_the_bar_on_stderr_only(wik, large, statement, tmp_path, monkeypatch):
    _terminal(monkeypatch, False)
    piped = wik("bank", "import", statement, "--today", DAY, "--home", _copy(large, tmp_path, "pipe"))
    assert piped.exit_code == 0 and piped.stderr == ""
    _terminal(monkeypatch, True)
    home = _copy(large, tmp_path, "tty")
    shown = wik("bank", "import", statement, "--today", DAY, "--home", home)
    assert shown.exit_code == 0 and shown.stdout == piped.stdout
    assert "Booking bank credits" in shown.stderr and "\x1b[" in shown.stderr
    assert (home / "journal.jsonl").read_bytes().count(b"\n") == \
        (tmp_path / "pipe" / "journal.jsonl").read_bytes().count(b"\n")


def test_bank_import_json_and_dry_run_on_a_terminal_draw_no_bar(wik, large, statement, tmp_path, monkeypatch):
    home = _copy(large, tmp_path, "home")
    _terminal(monkeypatch, False)
    piped = wik("bank", "import", statement, "--dry-run", "--json", "--today", DAY, "--home", home)
    _terminal(monkeypatch, True)
    shown = wik("bank", "import", statement, "--dry-run", "--json", "--today", DAY, "--home", home)
    assert piped.exit_code == shown.exit_code == 0
    assert piped.stderr == shown.stderr == "" and shown.stdout == piped.stdout
    dry = wik("bank", "import", statement, "--dry-run", "--today", DAY, "--home", home)
    assert "Booking bank credits" in dry.stderr


@pytest.mark.parametrize("report", ["ageing", "clients"])
def test_reports_on_a_terminal_draw_the_bar_on_stderr_only(wik, large, report, monkeypatch):
    args = ("report", report, "--today", DAY, "--home", large)
    _terminal(monkeypatch, False)
    piped, piped_json = wik(*args), wik(*args, "--json")
    _terminal(monkeypatch, True)
    shown, shown_json = wik(*args), wik(*args, "--json")
    assert piped.exit_code == shown.exit_code == piped_json.exit_code == shown_json.exit_code == 0
    assert shown.stdout == piped.stdout and shown_json.stdout == piped_json.stdout
    assert piped.stderr == piped_json.stderr == shown_json.stderr == ""
    assert "Assessing invoices" in shown.stderr and f"/{N}" in shown.stderr

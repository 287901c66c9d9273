"""The demo's tables at the terminal widths people have: at 60, 80 and 120 columns every
invoice number, amount and date a full-width table shows is there whole, and no line is
wider than the terminal (WIK_WIDTH sets the width a pipe is given, as a terminal's would
be); in a pipe a table is as wide as it needs, with no colour codes, whatever COLUMNS says."""

from __future__ import annotations

import re

import pytest

from conftest import make_demo, run_cli

DAY = "2026-11-25"
TABLES = [
    ("status",), ("status", "--all"), ("invoice", "list", "--all"),
    ("report", "ageing"), ("report", "ageing", "--by", "client"), ("report", "ageing", "--by", "invoice"),
    ("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31"),
    ("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "payment"),
    ("report", "clients"), ("calc", "1.234,56"), ("interest", "1000", "--from", "2024-03-01", "--to", "2025-06-30"),
]
# what must never be cut: amounts, dates, invoice numbers, day counts
WHOLE = re.compile(r"€ ?-?[\d.]+,\d\d|\d{4}-\d{2}-\d{2}|\b20\d\d-\d{3}\b|\b\d+ d\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    where = tmp_path_factory.mktemp("tables")
    make_demo(where / "wik-demo", DAY)
    return where


def _run(args, demo, monkeypatch, columns):
    monkeypatch.chdir(demo)
    r = run_cli(*args, env={"WIK_HOME": "wik-demo", "WIK_TODAY": DAY, "WIK_WIDTH": str(columns)})
    assert r.exit_code in (0, 1), (args, r.stderr)
    return r.stdout


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
@pytest.mark.parametrize("width", [60, 80, 120])
def test_numbers_amounts_and_dates_stay_whole(args, width, demo, monkeypatch):
    full = _run(args, demo, monkeypatch, 1000)
    narrow = _run(args, demo, monkeypatch, width)
    wanted = sorted(set(WHOLE.findall(full)))
    assert wanted, full  # the table has figures to keep
    assert [w for w in wanted if w not in narrow] == [], narrow
    # every figure as often as in the full table (none lost to a cut row)
    assert [w for w in wanted if narrow.count(w) < full.count(w)] == [], narrow
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= width, narrow
    assert "…" not in narrow and "\x1b[" not in narrow


def test_the_invoice_list_never_parts_the_euro_sign_from_its_amount(demo, monkeypatch):
    for width in (40, 60, 80, 120):
        out = _run(("invoice", "list", "--all"), demo, monkeypatch, width)
        assert not any(line.rstrip().endswith("€") for line in out.splitlines()), out
        assert "€ 3.630,00" in out and "€ 1.315,00" in out


def test_in_a_pipe_a_table_is_as_wide_as_it_needs(demo, monkeypatch):
    monkeypatch.chdir(demo)
    r = run_cli("status", env={"WIK_HOME": "wik-demo", "WIK_TODAY": DAY, "COLUMNS": "60"})
    lines = r.stdout.splitlines()
    assert lines[1].split() == ["Invoice", "Client", "Open", "Step", "Next", "action", "Due", "Overdue"]
    assert "2026-072  meijer      € 245,74  4 wik-letter         send-notice-of-default  2026-12-11" in r.stdout
    assert "\x1b[" not in r.stdout


def test_the_one_pass_table_is_what_rich_writes(capsys):
    """`wik status`'s table that fits is written without Rich's layout: line for line what
    Rich would write, trailing spaces aside."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from wikcli.cli.common import keep_whole, plain_table

    def table():
        t = Table(title="Open invoices on 2026-11-25", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
        for col, j in (("Invoice", "left"), ("Client", "left"), ("Open", "right"), ("Overdue", "right")):
            t.add_column(col, justify=j)
        t.add_row("2026-087", "jansen", "€ 1.205,92", "14 d", style="red")
        t.add_row("2026-1", "Bakkerij Brood & Zo", "€ 45,00", "")
        return t

    rich = Console(width=120, color_system=None)
    with rich.capture() as cap:
        rich.print(table())
    t = table()
    assert keep_whole(t, 120)
    assert plain_table(t, 120, terminal=False)
    ours = capsys.readouterr().out
    assert [x.rstrip() for x in ours.splitlines()] == [x.rstrip() for x in cap.get().splitlines()]
    assert not plain_table(table(), 30, terminal=False)  # too narrow: Rich's (or the list's) business


@pytest.mark.parametrize("columns, lang", [(80, "en"), (70, "en"), (60, "en"), (80, "nl"), (60, "nl")])
def test_status_words_wrap_between_words_or_after_a_hyphen(demo, monkeypatch, columns, lang):
    """A step or action name that does not fit wraps after a hyphen (notice-of- / default) or
    between words, never inside one (notice-of-def / ault); every piece on screen is a word,
    a hyphen-ended part of one, or a figure."""
    monkeypatch.chdir(demo)
    env = {"WIK_HOME": "wik-demo", "WIK_TODAY": DAY, "WIK_WIDTH": str(columns), "WIK_LANG": lang}
    shown = run_cli("status", env=env).stdout
    rows = run_cli("status", "--json", env=env).json()
    from wikcli import i18n

    i18n.use(lang)
    words = " ".join(f"{r['client']} {i18n._(r['step_name'])} {i18n._(r['next_action'])}" for r in rows)
    i18n.use("en")
    header = "Invoice Client Open Step Next action Due Overdue Open invoices on Client: Step: Next action:" \
        if lang == "en" else "Factuur Klant Open Stap Volgende actie Vervalt Te laat Openstaande facturen op " \
                             "Klant: Stap: Volgende actie:"
    allowed = set(header.split())
    for word in words.split():  # a word, or any run of its parts between hyphens
        parts = re.findall(r"[^-]*-+|[^-]+", word)
        allowed |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    for line in shown.splitlines():
        for token in line.replace(";", " ").split():
            assert token in allowed or re.fullmatch(r"[\d€.,:-]+|d|─+", token), (token, line)
    assert max(len(line) for line in shown.splitlines()) <= columns

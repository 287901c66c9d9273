"""Faults and hostile input over the whole CLI (docs/reliability.md lists what is tried).

- SIGKILL at random moments while `wik pay` writes: every acknowledged payment survives, and
  the snapshot (rewritten after every payment, so kills land between the append and it) and
  the day's overview (written by a `wik status` after every payment) never serve a stale
  ledger.
- 4 processes x 250 mixed writes at once (and a fifth reading `wik status`): 1,000 events,
  sequence numbers unique and gap-free; the ledger read through the snapshot is the full
  replay's, the overview a fresh assessment.
- Random hostile input: one line on stderr, exit 2, journal unchanged byte for byte; also
  with the home unwritable or its disk full.
- Hostile files: random and hand-made bad contents for every command that reads a file (CSV,
  UBL with unknown encodings, MT940), FIFOs, devices and links for every command that reads
  or writes one, and client names a spreadsheet would run in every CSV report.
- Every command that writes a file, with each folder it writes in unwritable or full: one
  line naming the folder, exit 2, nothing half written.
- Letters never lie: a WIK-letter's costs and last day equal `wik calc` and `wik deadline`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from test_cli_ledger import _ok, init_home

# The full run kills 200 times (WIK_KILLS=200); the suite uses fewer to stay fast.
KILLS = int(os.environ.get("WIK_KILLS", "20"))


def examples(n: int) -> int:
    """The hostile-input runs: ``n`` examples in the everyday suite, ten times as many in the
    long run (HYPOTHESIS_PROFILE=long)."""
    return n * 10 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else n

PAYER = r"""
import sys
from typer.main import get_command
from wikcli.store import snapshot
from wikcli.cli import app
home = sys.argv[1]
snapshot.REWRITE_AFTER = 1  # a new snapshot after every payment: kills land in its writing too
cli = get_command(app)
i = 0
while True:
    i += 1
    try:
        cli.main(["pay", "BIG", "0.01", "--date", "2024-02-10", "--home", home])
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
    sys.stderr.write(f"ack {i}\n")
    sys.stderr.flush()
    if i == 1:  # warmed up (imports done): from here on a kill lands in the middle of work
        print("ready", flush=True)
    try:  # and the day's overview after every payment: kills land in its writing too
        cli.main(["status", "--json", "--today", "2024-03-01", "--home", home])
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
"""


def ledger_home(tmp_path) -> str:
    h = init_home(tmp_path)
    _ok("client", "add", "big", "--name", "Big BV", "--address", "Straat 1", "--city", "Utrecht", "--type", "business", "--home", h)
    _ok("invoice", "add", "BIG", "--client", "big", "--amount", "1000000", "--date", "2024-01-02", "--home", h)
    return h


def journal_events(home) -> list[dict]:
    lines = (Path(home) / "journal.jsonl").read_bytes().decode("utf-8").splitlines()
    return [json.loads(x) for x in lines[1:]]


@pytest.mark.slow
def test_sigkill_while_paying_loses_no_acknowledged_payment(tmp_path):
    from wikcli.store import snapshot_file
    from wikcli.store.journal import Journal

    home = ledger_home(tmp_path)
    rnd = random.Random(20261125)
    acked = mid_write = mid_overview = uncovered = 0
    for _ in range(KILLS):
        p = subprocess.Popen([sys.executable, "-c", PAYER, home], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        for line in p.stdout:
            if line == "ready\n":
                break
        else:
            pytest.fail("the paying process ended before it was ready")
        time.sleep(rnd.uniform(0.0, 0.3))
        p.send_signal(signal.SIGKILL)
        _, err = p.communicate()
        acked += sum(1 for line in err.splitlines() if line.startswith("ack "))
        # Where the kill landed: in the writing of a snapshot, or after an append that no
        # snapshot covers yet (each payment is followed by one).
        mid_write += bool(list(Path(home).glob(".journal.snapshot.tmp-*")))
        mid_overview += bool(list(Path(home).glob(".journal.overview.tmp-*")))
        snap = snapshot_file.load(Journal(Path(home)))
        uncovered += snap is None or snap.cover.seq < len(journal_events(home))
    r = run_cli("repair", "--home", home)  # a torn tail (none expected from SIGKILL) is moved aside
    assert r.exit_code == 0, r.stderr
    events = journal_events(home)
    payments = [e for e in events if e["type"] == "payment"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    # Every acknowledged payment is there; at most one unacknowledged one per kill.
    assert acked <= len(payments) <= acked + KILLS
    assert acked > 0
    # Whatever snapshot the kills left, the ledger read through it is the journal's.
    shown = run_cli("invoice", "show", "BIG", "--json", "--home", home, "--today", "2024-03-01")
    assert shown.exit_code == 0 and shown.json()["paid"] == f"{len(payments) / 100:.2f}"
    assert_read_through_snapshot_is_replay(home)
    print(f"kills={KILLS} acknowledged={acked} payments={len(payments)} in a snapshot's writing={mid_write} "
          f"in an overview's writing={mid_overview} after an append not yet in the snapshot={uncovered}")


def assert_read_through_snapshot_is_replay(home) -> None:
    """The ledger through the snapshot as it lies, then through the one that read leaves, is
    the ledger of a full replay, and the overview is a fresh assessment of it; no copy a
    killed process was writing is left behind."""
    from test_snapshot import assert_same

    from wikcli.store import overview, snapshot, snapshot_file
    from wikcli.ledger import facts
    from wikcli.ledger import steps
    from wikcli.store.home import Home
    from wikcli.store.journal import Journal

    j = Journal(Path(home))
    want = facts.fold(j.events())
    assert_same(snapshot.read(j), want)
    # The day's overview as the processes left it gives the fresh assessment, row for row.
    h = Home.open(home)
    day = date(2024, 3, 1)
    fresh = [a.row() for a in steps.assess_all(want, h.rulebook, day)]
    assert overview.compute(j, h.rulebook, day).rows == fresh
    j.snapshot_path.unlink(missing_ok=True)
    assert_same(snapshot.read(j), want)  # made again, and what killed writers left is gone
    assert_same(snapshot.read(j), want)
    assert j.read(since=snapshot_file.load(j).cover).base is not None
    assert not list(Path(home).glob(".journal.*.tmp-*"))


MIXED = r"""
import sys
from typer.main import get_command
from wikcli.store import snapshot
from wikcli.cli import app
home, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
snapshot.REWRITE_AFTER = 5 + int(who[1:])  # the writers make snapshots often, each at its own pace
cli = get_command(app)
for i in range(n):
    args = [
        ["pay", "BIG", "0.01", "--date", "2024-02-10"],
        ["note", "BIG", f"{who} {i}", "--date", "2024-02-11"],
        ["client", "add", f"{who}-{i}", "--name", f"Client {who} {i}"],
        ["sent", "BIG", "--kind", "reminder", "--date", "2024-02-12", "--via", "email"],
    ][i % 4]
    try:
        cli.main(args + ["--home", home])
    except SystemExit as e:
        if e.code:
            raise
"""


READER = r"""
import sys
from typer.main import get_command
from wikcli.cli import app
cli = get_command(app)
for day in range(int(sys.argv[2])):
    try:
        cli.main(["status", "--json", "--today", f"2024-03-{1 + day % 2:02d}", "--home", sys.argv[1]])
    except SystemExit as e:
        if e.code:
            raise
"""


@pytest.mark.slow
def test_four_processes_250_mixed_writes_each(tmp_path):
    home = ledger_home(tmp_path)
    start = len(journal_events(home))
    procs = [subprocess.Popen([sys.executable, "-c", MIXED, home, f"w{k}", "250"], stdout=subprocess.DEVNULL)
             for k in range(4)]
    # ... while a fifth asks for the overview, of two days in turn, writing it each time
    procs.append(subprocess.Popen([sys.executable, "-c", READER, home, "150"], stdout=subprocess.DEVNULL))
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0, 0]
    events = journal_events(home)
    assert len(events) - start == 1000
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["type"] == "payment" for e in events) == 252  # 4 x 63 (i % 4 == 0 for i < 250)
    assert_read_through_snapshot_is_replay(home)


# --- hostile input -------------------------------------------------------------------------

NASTY = st.one_of(
    st.text(min_size=0, max_size=40),
    st.sampled_from(["<b>x</b>", "{{ 7*7 }}", "A & B", "\x00", "\x1b[31m", "-1", "1e9", "NaN",
                     "9" * 400, "2026-02-30", "0,001", "€", "1.234", "--help", "../../etc/passwd",
                     "\u202e", "Ω" * 300]),
)


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    h = init_home(tmp)
    _ok("client", "add", "c", "--name", "Klant", "--address", "Straat 1", "--city", "Utrecht", "--home", h)
    _ok("invoice", "add", "I1", "--client", "c", "--amount", "100", "--date", "2026-01-02", "--home", h)
    return h


COMMANDS = [
    lambda v: ["pay", "I1", v],
    lambda v: ["pay", v, "10"],
    lambda v: ["invoice", "add", v, "--client", "c", "--amount", "5", "--date", "2026-01-01"],
    lambda v: ["invoice", "add", "N1", "--client", "c", "--amount", v, "--date", "2026-01-01"],
    lambda v: ["invoice", "add", "N1", "--client", "c", "--amount", "5", "--date", v],
    lambda v: ["client", "add", v, "--name", "x"],
    lambda v: ["note", "I1", v, "--promise", v],
    lambda v: ["sent", "I1", "--kind", v],
    lambda v: ["close", "I1", "--reason", v],
    lambda v: ["plan", "I1", "--installments", "3", "--first", v],
    lambda v: ["calc", v],
    lambda v: ["interest", v, "--from", "2024-01-01", "--to", "2024-02-01"],
    lambda v: ["deadline", "--sent", v],
    lambda v: ["letter", v, "--kind", "wik"],
    lambda v: ["bank", "import", v],
    lambda v: ["bank", "match", v, "I1"],
    lambda v: ["bank", "ignore", v, "--reason", v],
    lambda v: ["import", v],
    lambda v: ["export-client", v],
    lambda v: ["forget", v],
    lambda v: ["report", "ageing", "--csv", "--csv-dialect", v],
    lambda v: ["status", "--today", v],
]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cmd=st.sampled_from(range(len(COMMANDS))), value=NASTY, fault=st.sampled_from([None, "unwritable", "full"]))
def test_hostile_input_never_a_traceback_and_never_a_change(hostile_home, cmd, value, fault):
    """Random values, and a home that cannot be written or whose disk is full on top."""
    from contextlib import nullcontext

    from faults import full_disk, snapshot, unwritable

    journal = Path(hostile_home) / "journal.jsonl"
    before = journal.read_bytes()
    files = snapshot(hostile_home)
    args = COMMANDS[cmd](value) + (["--home", hostile_home] if cmd not in (10, 11, 12) else [])
    broken = {None: nullcontext, "unwritable": unwritable, "full": full_disk}[fault]
    with broken(Path(hostile_home)):
        r = run_cli(*args, env={"WIK_TODAY": "2026-03-01"})
    if r.exit_code == 0:
        assert fault != "full" or snapshot(hostile_home) == files, args
        # Some random values are valid (a name, a note): then one event may be added.
        after = journal.read_bytes()
        assert after.startswith(before)
        # Back to the journal as it was, without the caches that know it had more events (a
        # journal shorter than the last command left it is refused as a restored backup).
        journal.write_bytes(before)
        for cache in Path(hostile_home).glob("journal.*"):
            if cache.name not in ("journal.jsonl", "journal.lock"):
                cache.unlink()
        return
    assert r.exit_code == 2, (args, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("wik: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert journal.read_bytes() == before
    assert snapshot(hostile_home) == files  # no file left half written either


# Hostile files: every command that reads a file gets random and hand-made bad contents and
# paths that are no regular file; every command that writes one gets --out paths of every
# kind; the CSV reports get client names a spreadsheet would run.

MT940 = (":20:S1\n:25:NL91ABNA0417164300 EUR\n:28:1\n:60F:C260101EUR0,00\n:61:2601020102C{amount}NTRFNONREF\n"
         ":86:/IBAN/NL20INGB0001234567/NAME/{text}/REMI/{text}\n:62F:C260102EUR{amount}\n-\n")
CSV = "factuurnummer;factuurdatum;bedrag;klant\n{text};{date};{amount};{text}\n"
UBL_HOSTILE = ('<?xml version="1.0" encoding="{encoding}"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:'
               'xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
               'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>{text}'
               '</cbc:ID><cbc:IssueDate>{date}</cbc:IssueDate><cbc:DueDate>{date}</cbc:DueDate><cbc:DocumentCurrencyCode>'
               'EUR</cbc:DocumentCurrencyCode><cac:AccountingCustomerParty><cac:Party><cac:PartyLegalEntity>'
               '<cbc:RegistrationName>{text}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>'
               '</cac:AccountingCustomerParty><cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">{amount}'
               '</cbc:PayableAmount></cac:LegalMonetaryTotal></Invoice>')
HOSTILE_AMOUNTS = st.sampled_from(["100,00", "100.00", "1" + "0" * 20, "0,00", "-5", "NaN", "1e400", "", "9" * 16 + ",99"])
HOSTILE_DATES = st.sampled_from(["2026-01-02", "0001-01-01", "9999-12-31", "2026-02-30", "02-01-2026", "", "x"])
HOSTILE_TEXT = st.one_of(NASTY, st.sampled_from(["=HYPERLINK(\"x\")", "+31", "@SUM(1)", "a\tb", "a\rb", "x" * 5000]))
HOSTILE_CONTENT = st.one_of(
    st.binary(max_size=400),
    st.builds(lambda t, a, d: MT940.format(text=t, amount=a, date=d).encode("utf-8", "surrogatepass"),
              HOSTILE_TEXT, HOSTILE_AMOUNTS, HOSTILE_DATES),
    st.builds(lambda t, a, d: CSV.format(text=t, amount=a, date=d).encode("utf-8", "surrogatepass"),
              HOSTILE_TEXT, HOSTILE_AMOUNTS, HOSTILE_DATES),
    st.builds(lambda t, a, d, e: UBL_HOSTILE.format(text=t, amount=a, date=d, encoding=e).encode("utf-8", "surrogatepass"),
              HOSTILE_TEXT, HOSTILE_AMOUNTS, HOSTILE_DATES,
              st.sampled_from(["UTF-8", "x-unknown", "utf-7", "latin-1", "UTF-16"])),
)
FILE_READERS = [["import", "{f}"], ["import", "{f}", "--dry-run"], ["bank", "import", "{f}"],
           ["bank", "import", "{f}", "--dry-run"]]


def _one_line_or_done(r, args):
    assert "Traceback" not in r.stderr, (args, r.stderr)
    if r.exit_code != 0:
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("wik: error: ") and r.stderr.count("\n") == 1, r.stderr


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cmd=st.sampled_from(FILE_READERS), content=HOSTILE_CONTENT)
def test_hostile_files_never_a_traceback_and_never_a_value_no_command_takes(hostile_home, tmp_path, cmd, content):
    """Whatever a file holds, an import either records values `invoice add` and `pay` would
    take, or refuses in one line with the ledger unchanged."""
    from faults import snapshot

    journal = Path(hostile_home) / "journal.jsonl"
    before = journal.read_bytes()
    files = snapshot(hostile_home)
    f = tmp_path / "hostile.file"
    f.write_bytes(content)
    args = [a.replace("{f}", str(f)) for a in cmd] + ["--home", hostile_home]
    r = run_cli(*args, env={"WIK_TODAY": "2026-03-01"})
    _one_line_or_done(r, args)
    if r.exit_code == 0:
        after = journal.read_bytes()
        assert after.startswith(before)
        for line in after[len(before):].splitlines():
            ev = json.loads(line)
            d = ev["data"]
            amount = d.get("amount") or (d.get("bank") or {}).get("amount")
            if amount is not None:
                assert Decimal("0") < Decimal(amount) <= Decimal("1000000000"), line
            for key in ("date", "due"):
                if key in d:
                    assert "1965-04-01" <= d[key] <= "9998-12-31", line
        # every command can show the ledger the import left
        _ok("status", "--home", hostile_home, "--today", "2026-03-01")
        journal.write_bytes(before)
        for cache in Path(hostile_home).glob("journal.*"):
            if cache.name != "journal.jsonl" and cache.name != "journal.lock":
                cache.unlink()
        return
    assert journal.read_bytes() == before
    assert snapshot(hostile_home) == files


def _special_paths(root: Path) -> list[tuple[str, Path]]:
    fifo = root / "fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    target = root / "target.txt"
    target.write_bytes(b"keep")
    link = root / "link"
    if not link.is_symlink():
        link.symlink_to(target)
    folder = root / "folder"
    folder.mkdir(exist_ok=True)
    return [("a FIFO", fifo), ("a character device", Path("/dev/null")), ("a symbolic link", link),
            ("a character device", Path("/dev/zero"))]


OUT_WRITERS = [["calendar", "--out", "{p}"], ["export-client", "c", "--out", "{p}"],
           ["letter", "I1", "--kind", "reminder", "--out", "{p}"], ["statement", "c", "--out", "{p}"]]


def test_every_command_that_reads_or_writes_a_file_refuses_what_is_no_regular_file(hostile_home, tmp_path):
    from faults import snapshot

    journal = Path(hostile_home) / "journal.jsonl"
    before, files = journal.read_bytes(), snapshot(hostile_home)
    for kind, path in _special_paths(tmp_path):
        for cmd in OUT_WRITERS:
            args = [a.replace("{p}", str(path)) for a in cmd] + ["--home", hostile_home]
            r = run_cli(*args, env={"WIK_TODAY": "2026-03-01"})
            assert (r.exit_code, r.stderr) == (2, f"wik: error: {str(path)!r} is {kind}: wik writes only to a regular "
                                                  "file or a new path; nothing was written\n"), args
        for cmd in FILE_READERS:
            if kind == "a symbolic link":
                continue  # a link to a regular file is read as that file
            args = [a.replace("{f}", str(path)) for a in cmd] + ["--home", hostile_home]
            r = run_cli(*args, env={"WIK_TODAY": "2026-03-01"})
            assert (r.exit_code, r.stderr) == (2, f"wik: error: {str(path)[:80]!r} is {kind}: expected a regular file\n"), \
                args
        assert journal.read_bytes() == before and snapshot(hostile_home) == files
        assert (tmp_path / "target.txt").read_bytes() == b"keep" and (tmp_path / "link").is_symlink()
    r = run_cli("handover", "I1", "--force", "--out", str(tmp_path / "link"), "--home", hostile_home,
                env={"WIK_TODAY": "2026-03-01"})
    assert (r.exit_code, r.stderr) == (2, f"wik: error: {str(tmp_path / 'link')!r} is a symbolic link: wik writes only "
                                          "to a regular file or a new path; nothing was written\n")
    assert journal.read_bytes() == before and snapshot(hostile_home) == files


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE_TEXT, dialect=st.sampled_from([("nl", ";"), ("excel", ",")]),
       report=st.sampled_from([["ageing", "--by", "client"], ["ageing", "--by", "invoice"], ["clients"],
                               ["collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "payment"]]))
def test_csv_reports_never_hold_a_cell_a_spreadsheet_would_run(hostile_home, name, dialect, report):
    import csv
    import io

    journal = Path(hostile_home) / "journal.jsonl"
    before = journal.read_bytes()
    try:
        added = run_cli("client", "add", "h", "--name", name, "--home", hostile_home)
        if added.exit_code == 0:
            run_cli("invoice", "add", name[:100].strip() or "X", "--client", "h", "--amount", "10", "--date",
                    "2026-01-02", "--home", hostile_home)
            run_cli("pay", name[:100].strip() or "X", "5", "--date", "2026-01-05", "--home", hostile_home,
                    "--today", "2026-03-01")
        r = _ok("report", *report, "--csv", "--csv-dialect", dialect[0], "--home", hostile_home, "--today", "2026-03-01")
        rows = list(csv.reader(io.StringIO(r.stdout[1:], newline=""), delimiter=dialect[1]))
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (report, row)
                if cell.startswith("-"):  # a negative amount is a number, nothing else may start so
                    float(cell.replace(",", "."))
    finally:
        journal.write_bytes(before)
        for cache in Path(hostile_home).glob("journal.*"):
            if cache.name not in ("journal.jsonl", "journal.lock"):
                cache.unlink()


def test_corrupted_config_is_one_line(hostile_home, tmp_path):
    import shutil

    h = tmp_path / "h"
    shutil.copytree(hostile_home, h)
    journal = h / "journal.jsonl"
    before = journal.read_bytes()
    for text in ("[creditor\nname=", "[creditor]\nname = 'X'\niban = 'NL00BANK0123456789'\n", "\xff\xfe",
                 "[creditor]\nname = 'X'\n[policy]\ndefault_term_days = 0\n"):
        (h / "config.toml").write_bytes(text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)
        r = run_cli("pay", "I1", "1", "--home", str(h))
        assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "config.toml" in r.stderr, r.stderr
        assert journal.read_bytes() == before


# --- letters never lie ---------------------------------------------------------------------


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.integers(min_value=1, max_value=30_000_000),
       paid=st.integers(min_value=0, max_value=99),
       offset=st.integers(min_value=0, max_value=700),
       via=st.sampled_from(["post", "email"]),
       business=st.booleans())
def test_wik_letter_costs_and_last_day_match_calc_and_deadline(tmp_path_factory, cents, paid, offset, via, business):
    from lettercases import norm, pdf_pages

    from wikcli.rules.money import format_eur

    tmp = tmp_path_factory.mktemp("never-lie")
    h = init_home(tmp, "--no-vat-deductible")
    amount = Decimal(cents) / 100
    _ok("client", "add", "k", "--name", "K", "--address", "Straat 1", "--city", "Utrecht", "--type", "business" if business else "consumer", "--home", h)
    _ok("invoice", "add", "F1", "--client", "k", "--amount", str(amount), "--date", "2025-01-02",
        "--due", "2025-02-01", "--home", h)
    part = (amount * paid / 100).quantize(Decimal("0.01"))
    if part > 0 and part < amount:
        _ok("pay", "F1", str(part), "--date", "2025-02-05", "--home", h)
    else:
        part = Decimal(0)
    sent = (date(2025, 2, 10) + timedelta(days=offset)).isoformat()
    r = _ok("letter", "F1", "--kind", "wik", "--sent", sent, "--via", via, "--home", h, "--today", sent)
    text = norm(" ".join(pdf_pages(Path(r.stdout.strip()).read_bytes())))
    calc = _ok("calc", str(amount - part), "--btw", *(["--b2b"] if business else []), "--json").json()
    deadline = _ok("deadline", "--sent", sent, "--via", via, "--json").json()
    assert f"{format_eur(Decimal(calc['costs_incl_vat']))} inclusief btw" in text
    d = date.fromisoformat(deadline["last_day"])
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]
    assert f"uiterlijk op {d.day} {months[d.month - 1]} {d.year}" in text


# --- folders that cannot be written, full disks ---------------------------------------------

# Every command that writes a file, with the folders it writes in. HOME is a home with one
# client (with an e-mail address), invoice I1 and a reminder archived in HOME/letters; OUT is
# an empty folder beside it; TMP holds both.
WRITERS = [
    (["init", "--home", "TMP/new/home", "--name", "X", "--iban", "NL91ABNA0417164300"], ["TMP"]),
    (["init", "--home", "OUT", "--name", "X", "--iban", "NL91ABNA0417164300"], ["OUT"]),
    (["demo", "--dir", "TMP/demo", "--today", "2026-03-01"], ["TMP"]),
    (["demo", "--dir", "OUT", "--today", "2026-03-01"], ["OUT"]),
    (["client", "add", "d", "--name", "D", "--home", "HOME"], ["HOME"]),
    (["invoice", "add", "I2", "--client", "c", "--amount", "5", "--date", "2026-01-01", "--home", "HOME"], ["HOME"]),
    (["pay", "I1", "10", "--date", "2026-02-01", "--home", "HOME"], ["HOME"]),
    (["pause", "I1", "--reason", "dispute", "--home", "HOME"], ["HOME"]),
    (["letter", "I1", "--kind", "wik", "--home", "HOME"], ["HOME", "HOME/letters"]),
    (["letter", "I1", "--kind", "wik", "--sent", "2026-03-01", "--out", "OUT/brief.pdf", "--home", "HOME"],
     ["HOME", "HOME/letters", "OUT"]),
    (["send", "I1", "--kind", "wik", "--dry-run", "--home", "HOME"], ["HOME", "HOME/letters"]),
    (["calendar", "--home", "HOME"], ["HOME"]),
    (["calendar", "--out", "OUT/wik.ics", "--home", "HOME"], ["OUT"]),
    (["handover", "I1", "--force", "--home", "HOME"], ["HOME"]),
    (["handover", "I1", "--force", "--out", "OUT/dossier", "--home", "HOME"], ["HOME", "OUT"]),
    (["export-client", "c", "--out", "OUT/c.json", "--home", "HOME"], ["OUT"]),
]


@pytest.fixture(scope="module")
def writer_template(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("writers")
    h = init_home(tmp)
    _ok("client", "add", "c", "--name", "Klant", "--address", "Straat 1", "--city", "Utrecht", "--email", "klant@example.nl", "--home", h)
    _ok("invoice", "add", "I1", "--client", "c", "--amount", "100", "--date", "2026-01-02", "--home", h)
    _ok("letter", "I1", "--kind", "reminder", "--sent", "2026-02-05", "--home", h)
    (tmp / "out").mkdir()
    return tmp


WRITER_CASES = [pytest.param(i, folder, fault, id=f"{args[0]}{i}-{folder}-{fault}")
                for i, (args, folders) in enumerate(WRITERS) for folder in folders
                for fault in ("unwritable", "full")]


@pytest.mark.parametrize("which,folder_key,fault", WRITER_CASES)
def test_a_folder_that_cannot_be_written_is_one_line_and_leaves_nothing_half_written(
        writer_template, tmp_path_factory, which, folder_key, fault):
    import shutil

    from faults import full_disk, snapshot, unwritable

    tmp = tmp_path_factory.mktemp("w")
    shutil.copytree(writer_template, tmp, dirs_exist_ok=True)
    places = {"HOME": str(tmp / "home"), "OUT": str(tmp / "out"), "TMP": str(tmp)}

    def place(a: str) -> str:
        for k, v in places.items():
            if a == k or a.startswith(k + "/"):
                return v + a[len(k):]
        return a

    args = [place(a) for a in WRITERS[which][0]]
    folder = Path(place(folder_key))
    before = snapshot(tmp)
    with (unwritable if fault == "unwritable" else full_disk)(folder):
        r = run_cli(*args, env={"WIK_TODAY": "2026-03-01", "WIK_SMTP_PASSWORD": ""})
    if r.exit_code == 0:
        # An unwritable folder whose files are all there already can still be written to (the
        # journal); the command then did its work.
        assert fault == "unwritable", (args, r.stdout)
        return
    assert r.exit_code == 2, (args, folder, fault, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if not x.startswith("wik: warning: ")]  # interest rates
    assert len(lines) == 1 and lines[0].startswith("wik: error: "), r.stderr
    assert str(folder) in lines[0], (args, r.stderr)
    # Nothing half written: every file and folder as it was, the journal byte for byte.
    assert snapshot(tmp) == before, (args, folder, fault)

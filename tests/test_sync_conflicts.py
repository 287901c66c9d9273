"""A home in a synced folder: conflict copies of the journal named by every command, writes
refused until `wik repair --merge` merges them; a journal older than its snapshot refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home
from datetime import UTC

NAMES = ["journal (1).jsonl", "journal.sync-conflict-20261125-101010-ABCDEFG.jsonl",
         "journal (conflicted copy 2026-11-25 101010).jsonl", "journal.jsonl.conflict-20261125"]


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "acme", "--address", "Straat 1", "--city", "Utrecht", "--name", "Acme BV", "--type", "business", "--home", h)
    _ok("invoice", "add", "2026-001", "--client", "acme", "--amount", "1.815,00", "--date", "2026-10-04",
        "--term", "30", "--home", h)
    _ok("invoice", "add", "2026-002", "--client", "acme", "--amount", "605,00", "--date", "2026-10-10",
        "--term", "30", "--home", h)
    return h


def raw(h) -> bytes:
    return (Path(h) / "journal.jsonl").read_bytes()


def events(h) -> list[dict]:
    return [json.loads(x) for x in raw(h).decode().splitlines()[1:]]


def message(name: str) -> str:
    return (f"'{name}' beside the journal is a sync conflict copy: merge it with `wik repair --merge \"{name}\"` "
            "(or move it out of the folder if it holds nothing you need)")


@pytest.mark.parametrize("name", NAMES)
def test_a_conflict_copy_is_named_and_writes_are_refused(home, name):
    shutil.copy(Path(home) / "journal.jsonl", Path(home) / name)
    before = raw(home)
    r = run_cli("status", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 0 and "2026-001" in r.stdout
    assert r.stderr == f"wik: warning: {message(name)}; until then nothing can be recorded\n"
    r = run_cli("pay", "2026-001", "100", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1] == f"wik: error: nothing was recorded: {message(name)}"
    assert raw(home) == before
    # the bank's own writes too
    r = run_cli("bank", "ignore", "1", "--reason", "x", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2 and "nothing was recorded" in r.stderr


def test_a_conflict_copy_merged(home, tmp_path):
    # Two computers share the home; each records while the other's changes have not arrived.
    other = tmp_path / "other"
    shutil.copytree(home, other)
    _ok("pay", "2026-001", "500,00", "--date", "2026-11-20", "--home", home, "--today", "2026-11-25")
    _ok("note", "2026-002", "belt terug", "--home", home, "--today", "2026-11-25")
    o = str(other)
    _ok("pay", "2026-002", "105,00", "--date", "2026-11-21", "--home", o, "--today", "2026-11-25")
    _ok("letter", "2026-001", "--kind", "reminder", "--sent", "2026-11-22", "--home", o, "--today", "2026-11-22")
    _ok("pay", "2026-001", "15,00", "--date", "2026-11-23", "--home", o, "--today", "2026-11-25")
    wrong = [e for e in events(o) if e["type"] == "payment" and e["data"]["amount"] == "15.00"][0]
    _ok("void", str(wrong["seq"]), "--reason", "typed twice", "--home", o, "--today", "2026-11-25")
    # the same payment recorded on both computers
    _ok("pay", "2026-001", "200,00", "--date", "2026-11-24", "--home", home, "--today", "2026-11-25")
    _ok("pay", "2026-001", "200,00", "--date", "2026-11-24", "--home", o, "--today", "2026-11-25")
    copy = Path(home) / "journal (1).jsonl"
    shutil.copy(other / "journal.jsonl", copy)
    before = raw(home)
    mine = events(home)
    r = run_cli("repair", "--merge", "journal (1).jsonl", "--home", home)
    assert r.exit_code == 0, r.stderr
    merged = events(home)
    # the 3 events in common, main's 3 after them, then the copy's: payment, letter (rendered
    # and sent), payment, void; its 200.00 (recorded on both computers) kept once
    assert [e["seq"] for e in merged] == list(range(1, len(merged) + 1))
    assert merged[:len(mine)] == mine
    added = merged[len(mine):]
    assert [(e["type"], e["invoice"]) for e in added] == [
        ("payment", "2026-002"), ("letter-rendered", "2026-001"), ("letter-sent", "2026-001"),
        ("payment", "2026-001"), ("voided", "2026-001")]
    lines = r.stdout.splitlines()
    assert lines[0] == (f"merged 5 event(s) of journal (1).jsonl into journal.jsonl as #{added[0]['seq']}-"
                        f"#{added[-1]['seq']}; {len(merged)} events, verified")
    assert lines[1].startswith("kept once (in both copies): #") and lines[1].endswith(" payment 2026-001")
    # the void points at the copy's payment of 15.00 under its new number; the letter's id
    # follows its first event
    assert added[4]["data"]["seq"] == added[3]["seq"]
    assert added[2]["data"]["letter"] == f"L{added[1]['seq']}"
    assert added[2]["data"].get("more") is None
    # nothing lost, nothing twice: 500 + 200 paid on 2026-001 (15 voided), 105 on 2026-002
    d1 = _ok("invoice", "show", "2026-001", "--json", "--home", home, "--today", "2026-11-25").json()
    d2 = _ok("invoice", "show", "2026-002", "--json", "--home", home, "--today", "2026-11-25").json()
    assert (d1["paid"], d2["paid"]) == ("700.00", "105.00")
    # the old journal and the copy are kept, the copy no longer blocks writing
    kept = sorted(p.name for p in Path(home).glob("journal.premerge-*.jsonl"))
    assert len(kept) == 1 and (Path(home) / kept[0]).read_bytes() == before
    assert not copy.exists() and len(list(Path(home).glob("journal.merged-*.jsonl"))) == 1
    _ok("pay", "2026-002", "10,00", "--home", home, "--today", "2026-11-25")


def test_a_copy_with_nothing_new_is_moved_aside(home):
    shutil.copy(Path(home) / "journal.jsonl", Path(home) / "journal (1).jsonl")
    before = raw(home)
    r = run_cli("repair", "--merge", "journal (1).jsonl", "--home", home)
    assert r.exit_code == 0 and r.stdout.startswith("journal (1).jsonl: nothing new, every event of it is in "
                                                    "journal.jsonl; moved it to journal.merged-")
    assert raw(home) == before and not (Path(home) / "journal (1).jsonl").exists()


def test_a_merge_that_cannot_be_done_says_why_and_changes_nothing(home, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(home, other)
    _ok("invoice", "add", "2026-003", "--client", "acme", "--amount", "100", "--date", "2026-11-01", "--home", home)
    _ok("invoice", "add", "2026-003", "--client", "acme", "--amount", "200", "--date", "2026-11-01",
        "--home", str(other))
    copy = Path(home) / "journal (1).jsonl"
    shutil.copy(other / "journal.jsonl", copy)
    before = raw(home)
    r = run_cli("repair", "--merge", copy.name, "--home", home)
    assert (r.exit_code, r.stderr.strip()) == (2, "wik: error: journal (1).jsonl cannot be merged: both copies add "
                                                  "invoice '2026-003', differently: keep the right one by hand, then "
                                                  "merge")
    # another ledger altogether
    stranger = init_home(tmp_path / "x")
    _ok("client", "add", "zz", "--name", "Z", "--home", stranger)
    shutil.copy(Path(stranger) / "journal.jsonl", copy)
    r = run_cli("repair", "--merge", copy.name, "--home", home)
    assert (r.exit_code, r.stderr.strip()) == (2, "wik: error: journal (1).jsonl cannot be merged: it shares no "
                                                  "event with journal.jsonl (its first event differs): it is not a "
                                                  "copy of this ledger")
    # a torn copy
    copy.write_bytes(raw(home) + b'{"seq": 7, "at"')
    r = run_cli("repair", "--merge", copy.name, "--home", home)
    assert r.exit_code == 2 and r.stderr.startswith("wik: error: journal (1).jsonl cannot be merged: ")
    assert raw(home) == before and copy.exists()


def test_a_journal_older_than_its_snapshot_is_refused(home, tmp_path):
    backup = raw(home)
    _ok("pay", "2026-001", "500,00", "--date", "2026-11-20", "--home", home, "--today", "2026-11-25")
    _ok("note", "2026-002", "belt terug", "--home", home, "--today", "2026-11-25")
    snap = Path(home) / "journal.snapshot"
    snap.unlink()
    _ok("status", "--home", home, "--today", "2026-11-25")  # a whole read: the snapshot covers all 5
    covered = snap.read_bytes()
    (Path(home) / "journal.jsonl").write_bytes(backup)  # a backup restored, or an older copy synced
    for args in (("status",), ("pay", "2026-001", "10"), ("bank", "unmatched"), ("invoice", "show", "2026-001")):
        r = run_cli(*args, "--home", home, "--today", "2026-11-25")
        assert r.exit_code == 2, args
        assert r.stderr.startswith(
            "wik: error: journal.jsonl is older than what journal.snapshot was made from: it holds 3 events, the "
            "snapshot 5, and 2 of those are missing from it (#4 "), args
        assert " payment 2026-001; #5 " in r.stderr and r.stderr.rstrip().endswith(
            " note 2026-002); a restored backup or a sync that kept an older copy? Nothing was read or recorded: "
            "put the newer journal back, or, to go on with this one and lose them, delete journal.snapshot")
    assert raw(home) == backup and snap.read_bytes() == covered


def test_an_erasure_is_refused_too_while_a_copy_is_there(home):
    from datetime import datetime

    from wikcli.store.conflicts import ConflictError
    from wikcli.store.journal import Journal

    shutil.copy(Path(home) / "journal.jsonl", Path(home) / "journal (1).jsonl")
    before = raw(home)
    with pytest.raises(ConflictError, match=r"^nothing was recorded: 'journal \(1\)\.jsonl' beside the journal"):
        Journal(Path(home)).redact(lambda ev: {"blank": True}, datetime.now(UTC))
    assert raw(home) == before


def test_a_journal_older_than_the_last_command_left_it_is_refused(home):
    """Events appended since the snapshot was made are not in it: the journal's file as the
    last command left it (journal.seen) still says how many there were."""
    _ok("status", "--home", home, "--today", "2026-11-25")
    backup = raw(home)
    _ok("pay", "2026-001", "500,00", "--date", "2026-11-20", "--home", home, "--today", "2026-11-25")
    _ok("note", "2026-002", "belt terug", "--home", home, "--today", "2026-11-25")
    _ok("status", "--home", home, "--today", "2026-11-25")
    snap = (Path(home) / "journal.snapshot").read_bytes()
    newer = raw(home)
    (Path(home) / "journal.jsonl").write_bytes(backup)
    for args in (("status",), ("pay", "2026-001", "10"), ("bank", "unmatched"), ("bank", "ignore", "1", "--reason", "x")):
        r = run_cli(*args, "--home", home, "--today", "2026-11-25")
        assert (r.exit_code, r.stderr.strip()) == (2, (
            "wik: error: journal.jsonl is older than the last command left it: it holds 3 events, it held 5, so "
            "#4-#5 are missing from it; a restored backup or a sync that kept an older copy? Nothing was read or "
            "recorded: put the newer journal back, or, to go on with this one and lose them, delete "
            "journal.snapshot")), args
    assert raw(home) == backup and (Path(home) / "journal.snapshot").read_bytes() == snap
    # the newer journal put back: all is well again
    (Path(home) / "journal.jsonl").write_bytes(newer)
    _ok("pay", "2026-001", "10", "--home", home, "--today", "2026-11-25")
    assert _ok("invoice", "show", "2026-001", "--json", "--home", home, "--today", "2026-11-25").json()["paid"] == "510.00"

"""The journal: append and replay, gap-free sequence numbers, torn tails, locking, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone, UTC
from pathlib import Path

import pytest

from wikcli.store.journal import Journal
from wikcli.store.lines import Event, JournalError, TornJournalError

NOW = datetime(2026, 11, 25, 13, 40, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "home", check=None)
    j.create(NOW)
    return j


def add(j: Journal, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with j.transaction(NOW) as tx:
            tx.append("payment", f"2026-{i:03d}", {"amount": "12.34", "n": i})


def test_header_and_line_format(journal):
    with journal.transaction(datetime(2026, 11, 25, 14, 40, 5, tzinfo=UTC)) as tx:
        ev = tx.append("note", None, {"text": "Bélde: belt terug ✓"})
    lines = journal.path.read_bytes().decode("utf-8").split("\n")
    assert json.loads(lines[0]) == {"wik_journal": 1, "created": "2026-11-25T13:40:00Z"}
    assert lines[1] == ('{"seq":1,"at":"2026-11-25T14:40:05Z","type":"note","invoice":null,'
                        '"data":{"text":"Bélde: belt terug ✓"}}')
    assert lines[2] == ""
    assert ev == Event(1, "2026-11-25T14:40:05Z", "note", None, {"text": "Bélde: belt terug ✓"})


def test_at_is_utc(journal):
    from datetime import timedelta

    cet = timezone(timedelta(hours=1))
    with journal.transaction(datetime(2026, 11, 25, 14, 40, tzinfo=cet)) as tx:
        assert tx.append("x", None, {}).at == "2026-11-25T13:40:00Z"


def test_append_and_read_back(journal):
    add(journal, 5)
    with journal.transaction(NOW) as tx:
        assert [e.seq for e in tx.events] == [1, 2, 3, 4, 5]
        a = tx.append("payment", "2026-100", {"amount": "1.00"})
        b = tx.append("close", "2026-100", {"reason": "paid"})
        assert (a.seq, b.seq) == (6, 7)
        assert tx.events[-1] is b
    events = journal.events()
    assert [e.seq for e in events] == list(range(1, 8))
    assert events[5] == Event(6, "2026-11-25T13:40:00Z", "payment", "2026-100", {"amount": "1.00"})
    assert events[0].data == {"amount": "12.34", "n": 0}
    assert events[6].to_json() == {"seq": 7, "at": "2026-11-25T13:40:00Z", "type": "close",
                                   "invoice": "2026-100", "data": {"reason": "paid"}}


def test_events_are_frozen(journal):
    add(journal, 1)
    ev = journal.events()[0]
    with pytest.raises(AttributeError):
        ev.seq = 5


def test_empty_journal(journal):
    assert journal.events() == []


def test_body_exception_writes_nothing(journal):
    add(journal, 2)
    before = journal.path.read_bytes()
    with pytest.raises(RuntimeError):
        with journal.transaction(NOW) as tx:
            tx.append("payment", "2026-001", {"amount": "1.00"})
            raise RuntimeError("a check failed")
    assert journal.path.read_bytes() == before


def test_unserialisable_data_fails_in_the_body(journal):
    from decimal import Decimal

    before = journal.path.read_bytes()
    with pytest.raises(TypeError):
        with journal.transaction(NOW) as tx:
            tx.append("payment", "2026-001", {"amount": Decimal("1.00")})
    assert journal.path.read_bytes() == before


def test_nan_is_refused(journal):
    before = journal.path.read_bytes()
    with pytest.raises(ValueError):
        with journal.transaction(NOW) as tx:
            tx.append("payment", "2026-001", {"amount": float("nan")})
    assert journal.path.read_bytes() == before


def test_create_refuses_existing(journal):
    with pytest.raises(JournalError, match="never replaced"):
        journal.create(NOW)


def test_missing_journal(tmp_path):
    j = Journal(tmp_path / "none", check=None)
    assert not j.exists()
    with pytest.raises(JournalError, match=r"run `wik init` first"):
        j.events()
    with pytest.raises(JournalError, match=r"run `wik init` first"):
        with j.transaction(NOW):
            pass
    assert not (tmp_path / "none").exists()


def test_permissions_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        j = Journal(tmp_path / "a" / "home", check=None)
        j.create(NOW)
        add(j, 1)
    finally:
        os.umask(old)
    assert (j.home.stat().st_mode & 0o777) == 0o700
    assert (j.path.stat().st_mode & 0o777) == 0o600
    assert (j.lock_path.stat().st_mode & 0o777) == 0o600


# -- damage --------------------------------------------------------------------------------

def test_torn_tail_is_detected_with_its_line_number(journal):
    add(journal, 3)
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":4,"at":"2026-11-25T13:4')
    with pytest.raises(TornJournalError) as e:
        journal.events()
    assert str(e.value) == "journal.jsonl line 5 is torn (an interrupted write): run `wik repair`"


def test_last_line_not_json_is_torn(journal):
    add(journal, 2)
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":3,"at\n')
    with pytest.raises(TornJournalError, match="line 4 is torn"):
        journal.events()


def test_torn_journal_refuses_to_write(journal):
    add(journal, 1)
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":2')
    before = journal.path.read_bytes()
    with pytest.raises(TornJournalError):
        with journal.transaction(NOW) as tx:
            tx.append("payment", "2026-001", {})
    assert journal.path.read_bytes() == before


def test_repair_moves_the_torn_tail_and_keeps_the_rest(journal):
    add(journal, 3)
    good = journal.path.read_bytes()
    tail = b'{"seq":4,"at":"2026-11-25T13:40:00Z","type":"payment","invoice":"2026-0'
    with open(journal.path, "ab") as f:
        f.write(tail)
    side = journal.repair(datetime(2026, 11, 25, 15, 1, 2, tzinfo=UTC))
    assert side == journal.home / "journal.torn-20261125T150102.jsonl"
    assert side.read_bytes() == tail
    assert (side.stat().st_mode & 0o777) == 0o600
    assert journal.path.read_bytes() == good
    assert [e.seq for e in journal.events()] == [1, 2, 3]
    assert journal.repair(NOW) is None
    add(journal, 1)
    assert journal.events()[-1].seq == 4


def test_repair_never_overwrites_a_side_file(journal):
    for _ in range(2):
        with open(journal.path, "ab") as f:
            f.write(b'{"se')
        journal.repair(NOW)
    assert len(list(journal.home.glob("journal.torn-*.jsonl"))) == 2


def test_repair_of_intact_journal_changes_nothing(journal):
    add(journal, 2)
    before = journal.path.read_bytes()
    assert journal.repair(NOW) is None
    assert journal.path.read_bytes() == before


MIDDLE = [
    ("not-json", b"{oops}\n", "line 3 is not valid JSON"),
    ("blank", b"\n", "line 3 is not valid JSON"),
    ("seq-gap", b'{"seq":5,"at":"2026-11-25T13:40:00Z","type":"x","invoice":null,"data":{}}\n',
     "line 3 has seq 5: expected 2"),
    ("seq-text", b'{"seq":"2","at":"2026-11-25T13:40:00Z","type":"x","invoice":null,"data":{}}\n',
     "line 3 has seq of type text: expected 2"),
    ("missing-key", b'{"seq":2,"at":"2026-11-25T13:40:00Z","type":"x","data":{}}\n', "line 3 has no invoice"),
    ("extra-key", b'{"seq":2,"at":"x","type":"x","invoice":null,"data":{},"z":1}\n', "line 3 has 1 unknown key(s)"),
    ("data-type", b'{"seq":2,"at":"x","type":"x","invoice":null,"data":[]}\n', "line 3 has data of type array: expected an object"),
    ("invoice-type", b'{"seq":2,"at":"x","type":"x","invoice":7,"data":{}}\n', "line 3 has invoice of type number"),
    ("array", b"[1,2]\n", "line 3 is not an event object (it is a JSON array)"),
    ("not-utf8", b'{"seq":2,"\xff"}\n', "line 3 is not UTF-8 text"),
]


@pytest.mark.parametrize("bad,expected", [m[1:] for m in MIDDLE], ids=[m[0] for m in MIDDLE])
def test_malformed_middle_line_names_its_line(journal, bad, expected):
    add(journal, 1)
    with open(journal.path, "ab") as f:
        f.write(bad)
    add_raw = b'{"seq":3,"at":"2026-11-25T13:40:00Z","type":"x","invoice":null,"data":{}}\n'
    with open(journal.path, "ab") as f:
        f.write(add_raw)
    before = journal.path.read_bytes()
    with pytest.raises(JournalError) as e:
        journal.events()
    assert not isinstance(e.value, TornJournalError)
    assert expected in str(e.value) and "by hand" in str(e.value)
    # repair does not guess at damage in the middle, and writers refuse
    with pytest.raises(JournalError):
        journal.repair(NOW)
    with pytest.raises(JournalError):
        with journal.transaction(NOW):
            pass
    assert journal.path.read_bytes() == before
    assert not list(journal.home.glob("journal.torn-*"))


def test_error_does_not_echo_event_data(journal):
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":1,"at":"x","type":"client","invoice":null,"data":"Jan de Vries, Dorpsstraat 1"}\n')
        f.write(b'{"seq":2,"at":"x","type":"x","invoice":null,"data":{}}\n')
    with pytest.raises(JournalError) as e:
        journal.events()
    assert "line 2 has data of type text" in str(e.value)
    assert "Jan" not in str(e.value)


def test_valid_json_but_bad_last_line_is_not_torn(journal):
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":9,"at":"x","type":"x","invoice":null,"data":{}}\n')
    with pytest.raises(JournalError, match="line 2 has seq 9") as e:
        journal.events()
    assert not isinstance(e.value, TornJournalError)


@pytest.mark.parametrize("header", [b'{"wik_journal":2,"created":"x"}\n', b'{"hello":1}\n', b"nope\n"],
                         ids=["future-schema", "no-schema", "not-json"])
def test_bad_header(tmp_path, header):
    (tmp_path / "journal.jsonl").write_bytes(header)
    with pytest.raises(JournalError, match="schema|header"):
        Journal(tmp_path, check=None).events()


# -- processes -----------------------------------------------------------------------------

WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from wikcli.store.journal import Journal
j = Journal(Path(sys.argv[1]), check=None)
me, n = sys.argv[2], int(sys.argv[3])
now = datetime(2026, 11, 25, tzinfo=timezone.utc)
for i in range(n):
    with j.transaction(now) as tx:
        # a read-check-write: the seq this writer expects must still be the next one
        expected = len(tx.events) + 1
        ev = tx.append("payment", me, {"i": i})
        assert ev.seq == expected
"""


def test_four_processes_append_1000_events(journal):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(journal.home), f"w{k}", "250"], env=env)
             for k in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    events = journal.events()
    assert [e.seq for e in events] == list(range(1, 1001))
    for k in range(4):
        mine = [e.data["i"] for e in events if e.invoice == f"w{k}"]
        assert mine == list(range(250))  # each writer's own order is kept


KILLED = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from wikcli.store.journal import Journal
j = Journal(Path(sys.argv[1]), check=None)
now = datetime(2026, 11, 25, tzinfo=timezone.utc)
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    with j.transaction(now) as tx:
        # payloads of varying size, some spanning several pages, so a kill can land mid-write
        tx.append("payment", None, {"ack": i, "pad": "x" * ((i * 7919) % 20000)})
    print(i, flush=True)  # acknowledged: written and fsynced
    i += 1
"""


def test_sigkill_at_random_moments_loses_no_acknowledged_append(journal):
    """WIK_KILLS kills (default 20 to keep the suite fast; the full run uses 200 or more)."""
    kills = int(os.environ.get("WIK_KILLS", "20"))
    rng = random.Random(20261125)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    acked: set[int] = set()
    next_id = 0
    repairs = 0
    for _ in range(kills):
        p = subprocess.Popen([sys.executable, "-c", KILLED, str(journal.home), str(next_id)],
                             env=env, stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.03))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        assert p.returncode == -signal.SIGKILL
        acked.update(int(line) for line in out.split())
        try:
            events = journal.events()
        except TornJournalError:
            assert journal.repair(NOW) is not None
            repairs += 1
            events = journal.events()
        ids = [e.data["ack"] for e in events]
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert len(set(ids)) == len(ids)
        assert acked <= set(ids)
        next_id = max(ids, default=next_id - 1) + 1
    assert len(acked) > 0
    print(f"{kills} kills, {len(acked)} acknowledged appends, {repairs} torn tails repaired")
    # every side file holds only what was never acknowledged
    for side in journal.home.glob("journal.torn-*.jsonl"):
        assert b"\n" not in side.read_bytes().rstrip(b"\n")


def test_hand_edited_spaces_are_accepted(journal):
    with open(journal.path, "ab") as f:
        f.write(b'  { "seq": 1, "at": "2026-11-25T13:40:00Z", "type": "x", "invoice": null, "data": {} }  \n')
    assert [e.seq for e in journal.events()] == [1]


def test_event_spread_over_two_lines_is_refused(journal):
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":1,"at":"2026-11-25T13:40:00Z",\n"type":"x","invoice":null,"data":{}}\n')
        f.write(b'{"seq":2,"at":"2026-11-25T13:40:00Z","type":"x","invoice":null,"data":{}}\n')
    with pytest.raises(JournalError, match="line 2 is not valid JSON") as e:
        journal.events()
    assert not isinstance(e.value, TornJournalError)


def test_a_failed_write_is_cut_off_again(tmp_path, monkeypatch):
    """A full disk (ENOSPC after half the batch) leaves the journal as it was."""
    import errno
    from datetime import datetime

    from wikcli.store import journal as journal_mod

    j = journal_mod.Journal(tmp_path / "h", check=None)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    j.create(now)
    with j.transaction(now) as tx:
        tx.append("note", "A", {"text": "first"})
    before = j.path.read_bytes()
    real = journal_mod.write_all

    def half_then_full(fd, data):
        real(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_mod, "write_all", half_then_full)
    with pytest.raises(JournalError, match="No space left on device; nothing was recorded"):
        with j.transaction(now) as tx:
            for i in range(10):
                tx.append("note", "A", {"text": f"batch {i}"})
    assert j.path.read_bytes() == before


def _batch_journal(tmp_path):
    from datetime import datetime

    from wikcli.store import journal as journal_mod

    j = journal_mod.Journal(tmp_path / "h", check=None)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    j.create(now)
    with j.transaction(now) as tx:
        tx.append("note", "A", {"text": "alone"})
    kept = j.path.read_bytes()
    with j.transaction(now) as tx:
        for i in range(3):
            tx.append("note", "A", {"text": f"batch {i}"})
    return j, now, kept


def test_a_transaction_marks_all_but_its_last_event(tmp_path):
    j, now, kept = _batch_journal(tmp_path)
    lines = j.path.read_bytes().decode().splitlines()
    assert [json.loads(x).get("more") for x in lines[2:]] == [True, True, None]
    assert [e.data["text"] for e in j.events()] == ["alone", "batch 0", "batch 1", "batch 2"]
    assert "more" not in j.events()[1].__dict__


@pytest.mark.parametrize("cut", ["after-first-line", "inside-last-line", "last-line-garbled"])
def test_a_power_cut_inside_a_transaction_tears_it_whole(tmp_path, cut):
    j, now, kept = _batch_journal(tmp_path)
    raw = j.path.read_bytes()
    batch = raw[len(kept):]
    first_end = batch.index(b"\n") + 1
    damaged = {
        "after-first-line": kept + batch[:first_end],
        "inside-last-line": kept + batch[:-10],
        "last-line-garbled": kept + batch[: batch.rindex(b"\n", 0, len(batch) - 1) + 1] + b"\x00\x00\x00\n",
    }[cut]
    j.path.write_bytes(damaged)
    with pytest.raises(TornJournalError, match="lines 3-.* incomplete transaction"):
        j.events()
    side = j.repair(now)
    assert j.path.read_bytes() == kept  # the whole transaction went, the rest byte for byte
    assert side.read_bytes() == damaged[len(kept):]
    assert [e.data["text"] for e in j.events()] == ["alone"]

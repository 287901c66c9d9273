"""The snapshot beside the journal: what one command read of it, kept so that the next one
reads only the lines appended since; and ``record``, the one write path through it.

``<home>/journal.snapshot`` (its layout and the invoices folded from it: ``snapshot_file``)
holds the journal's events up to a ``journal.Cover`` (the size, last seq, inode and SHA-256
of the part it was made from), already checked. A command loads it, has the journal confirm
that it still starts with exactly the covered bytes (``Journal.read(since=...)``) and parse
only the lines after them, and folds an invoice's events only when the command asks for that
invoice: a payment on one invoice of 100,000 folds that one.

The journal stays the only source of truth. A snapshot that is missing, made from another
journal or an earlier state of it (a rewrite by ``wik forget``, a repair, a restored copy, a
hand edit), made by another version of wik, damaged, cut short or not owner-only is ignored
and made again from the journal; ``--verbose`` says so on stderr, nothing else does.
Deleting it changes nothing but speed. A journal that lacks events the snapshot holds (an
older copy) is refused instead (``OlderJournalError``).

When: after a command read the whole journal, and once at least ``REWRITE_AFTER`` events
were appended after the snapshot it used; never while the journal is locked for a write.
The file is written beside the old one without fsync (a crash leaves at worst a damaged
snapshot, which is ignored) and renamed into place by ``Journal.publish_snapshot``.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Callable

from wikcli import __version__
from wikcli.ledger import facts
from wikcli.store.files import Log, say, write_tmp
from wikcli.store.journal import SEEN_NAME, Cover, Journal
from wikcli.store.lines import Event, JournalError
from wikcli.store.snapshot_file import FORMAT, MARSHAL, Snapshot, load, save_full, seq_of
from wikcli.i18n import _

# Events after the snapshot that make a command write a new one. Each such event costs every
# later command up to 50 us (parsed, and the invoice it touches folded: 0.11 s for 500 on
# 500 invoices of 100,000); a new snapshot of 100,000 invoices costs 0.3-0.4 s, once.
REWRITE_AFTER = 500
_CRC = 4  # bytes of the CRC-32 of all that follows it


def read(journal: Journal, log: Log = None) -> facts.Ledger:
    """The ledger of ``journal``, read through its snapshot; a new snapshot when due."""
    return read_at(journal, log)[0]


@dataclass(frozen=True)
class Position:
    """Where a read left the journal, for what is derived from the ledger and kept beside it
    (``overview``). ``base`` and ``events``: what the ledger was read from (the snapshot's
    cover and the events parsed after it; None and every event for a whole read); ``tail``
    the bytes of those events (b"" for a whole read). ``cover``: the whole journal as read,
    with its digest when the read hashed it. ``next_base`` and ``next_tail``: the same for a
    reader that comes next and finds the journal unchanged: the new snapshot's cover and
    nothing after it if this read wrote one, else this read's base and tail. ``seen``: the
    journal's file as the read found it (``journal.file_key``)."""

    base: Cover | None
    tail: bytes
    events: list
    cover: Cover
    next_base: Cover
    next_tail: bytes
    seen: tuple = ()


def read_at(journal: Journal, log: Log = None) -> tuple[facts.Ledger, Position]:
    """``read``, and the ``Position`` it left the journal at."""
    snap = load(journal, log)
    # Read before the journal: a writer appends first and notes it after, so the journal
    # read next holds at least what this says.
    left = _read_seen(journal, snap)
    seen = None if left is None else left[0]
    reading = journal.read(since=snap.cover if snap is not None else None, seen=seen)
    if reading.base is None:
        _refuse_older(journal, snap, reading.events)
    _refuse_shorter(journal, left, reading.cover.seq)
    if reading.base is None:
        ledger = facts.fold(reading.events)
        _said_full(snap, log, len(reading.events))
        if save_full(journal, reading.events, ledger, reading.cover, log):
            _save_seen(journal, reading.cover, reading.seen, reading.cover.seq)
        # A whole read hashed the whole journal: a next whole read that finds the same
        # cover, or a read through the snapshot just written, is at the same place.
        return ledger, Position(None, b"", reading.events, reading.cover, reading.cover, b"", reading.seen)
    assert snap is not None  # a read from a base is a read after the snapshot's cover
    ledger = snap.ledger(reading.events)
    _said_tail(log, snap, reading.events, seen == reading.seen)
    written = None
    if len(reading.events) >= REWRITE_AFTER:
        written = _save(journal, snap, ledger, reading, log)
    elif seen != reading.seen:
        _save_seen(journal, snap.cover, reading.seen, reading.cover.seq)
    snap.keep = False
    position = Position(snap.cover, reading.tail, reading.events, reading.cover,
                        written or snap.cover, b"" if written else reading.tail, reading.seen)
    return ledger, position


def record(journal: Journal, now: datetime, build: Callable, log: Log = None) -> list[Event]:
    """Append the events ``build(ledger)`` returns, under the journal's lock (see
    ``Journal.transaction``), the ledger read through the snapshot; then, with the lock
    released, a new snapshot when due, covering the appended events too."""
    snap = load(journal, log)
    left = _read_seen(journal, snap)  # before the journal, as in ``read_at``
    seen = None if left is None else left[0]
    with journal.transaction(now, since=snap.cover if snap is not None else None, seen=seen, cover=True) as tx:
        if tx.base is None:
            _refuse_older(journal, snap, tx.events)
        _refuse_shorter(journal, left, tx.last_seq)
        if tx.base is None:
            ledger = facts.fold(tx.events)
        else:
            assert snap is not None  # a read from a base is a read after the snapshot's cover
            ledger = snap.ledger(tx.events)
        assert tx.reading is not None  # cover=True: the transaction reads as ``Journal.read`` does
        before = tx.reading.seen
        appended = [tx.append(*ev) for ev in build(ledger)]
    # tx.events now ends with the appended events, and tx.reading takes them in.
    reading = tx.reading
    assert reading is not None
    if tx.base is None:
        _said_full(snap, log, len(tx.events) - len(appended))
        facts.extend(ledger, appended)
        if save_full(journal, tx.events, ledger, reading.cover, log):
            _save_seen(journal, reading.cover, reading.seen, reading.cover.seq)
    else:
        assert snap is not None
        _said_tail(log, snap, tx.events[:len(tx.events) - len(appended)], seen == before)
        if len(tx.events) >= REWRITE_AFTER:
            snap.extend(ledger, appended)
            _save(journal, snap, ledger, reading, log)
        elif seen != reading.seen:
            _save_seen(journal, snap.cover, reading.seen, reading.cover.seq)
    return appended


class OlderJournalError(JournalError):
    """The journal lacks events the snapshot beside it was made from: an older copy."""


def _refuse_shorter(journal: Journal, left: tuple | None, seq: int) -> None:
    """A journal with fewer events (``seq``) than a command last left it with (``left``, from
    ``journal.seen``, read before the journal): the events since are not in the snapshot, so
    only their numbers can be named."""
    if left is None or seq >= left[1]:
        return
    last = left[1]
    raise OlderJournalError(
        _("{name} is older than the last command left it: it holds {seq} events, it held {last}, "
          "so {missing} are missing from it; a restored backup or a sync that kept an older "
          "copy? Nothing was read or recorded: put the newer journal back, or, to go on with this "
          "one and lose them, delete {snapshot}").format(
            name=journal.path.name, seq=seq, last=last, snapshot=journal.snapshot_path.name,
            missing=f"#{seq + 1}-#{last}" if last > seq + 1 else f"#{seq + 1}"))


def _refuse_older(journal: Journal, snap: Snapshot | None, events: list) -> None:
    """A journal that no longer starts with what the snapshot covered is read afresh; but one
    that lacks events the snapshot holds (a restored backup, a sync that kept an older copy)
    would silently lose them, and the snapshot made from it would lose the last copy. Events
    are compared by their time and type: a hand edit or an erasure keeps both."""
    if snap is None:
        return
    from collections import Counter

    have = Counter((e.at, e.type) for e in events)
    covered = list(snap.ledger_events)
    for i in range(len(snap.numbers)):
        covered += snap.events_of(i)
    covered.sort(key=seq_of)
    missing = []
    for d in covered:
        key = (d["at"], d["type"])
        if have[key] > 0:
            have[key] -= 1
        else:
            missing.append(d)
    if not missing:
        return
    shown = "; ".join(f"#{d['seq']} {d['at'][:10]} {d['type']}" + (f" {d['invoice']}" if d.get("invoice") else "")
                      for d in missing[:5]) + ("; ..." if len(missing) > 5 else "")
    raise OlderJournalError(
        _("{name} is older than what {snapshot} was made from: it holds {count} events, the snapshot "
           "{seq}, and {missing} of those are missing from it ({shown}); a restored backup or a sync "
           "that kept an older copy? Nothing was read or recorded: put the newer journal back, or, "
           "to go on with this one and lose them, delete {snapshot}").format(
           name=journal.path.name, snapshot=journal.snapshot_path.name, count=len(events), seq=snap.cover.seq, missing=len(missing), shown=shown))


def _save(journal: Journal, snap: Snapshot, ledger: facts.Ledger, reading, log: Log) -> Cover | None:
    """A new snapshot of ``snap`` and the events ``reading`` found after it: its cover, or
    None if none was put in place."""
    cover = journal.fingerprint(reading)
    if cover is None:
        say(log, "no snapshot written: the journal changed while it was read")
        return None
    if snap.save(journal, ledger, reading.events, cover, log):
        _save_seen(journal, cover, reading.seen, reading.cover.seq)
        return cover
    return None


# -- what the last command saw -------------------------------------------------------------
#
# Checking that the journal still starts with what the snapshot covers means hashing those
# bytes: 8 ms for 10,000 invoices, 80 ms for 100,000, on every command. After a command has
# checked them (or appended to a journal it had checked, under the lock), it leaves
# ``journal.seen``: the snapshot's digest and the journal's ``file_key`` as it left the file.
# The next command trusts the check only if the file is still exactly that: same inode, size
# and modification and change times. Any write to the journal (an append, an editor's save)
# changes those times, and the change time cannot be set back by a program. The record is a
# few bytes, replaced by a rename; damaged, foreign or out of date, it is not used.

SEEN_MAGIC = b"wik journal seen\n"


def _load_seen(journal: Journal, snap: Snapshot | None) -> tuple | None:
    found = _read_seen(journal, snap)
    return None if found is None else found[0]


def _read_seen(journal: Journal, snap: Snapshot | None) -> tuple[tuple, int] | None:
    """The journal's file as a command last left it, and the seq of its last event then."""
    if snap is None:
        return None
    try:
        raw = (journal.home / SEEN_NAME).read_bytes()
        if raw[:len(SEEN_MAGIC)] != SEEN_MAGIC:
            return None
        body = raw[len(SEEN_MAGIC) + _CRC:]
        if zlib.crc32(body) != int.from_bytes(raw[len(SEEN_MAGIC):len(SEEN_MAGIC) + _CRC], "big"):
            return None
        fmt, version, digest, size, key, seq = marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if (fmt, version, digest, size) != (FORMAT, __version__, snap.cover.digest, snap.cover.size):
        return None
    return tuple(key), seq


def _save_seen(journal: Journal, cover: Cover, key: tuple, seq: int) -> None:
    body = marshal.dumps((FORMAT, __version__, cover.digest, cover.size, key, seq), MARSHAL)
    path = journal.home / SEEN_NAME
    tmp = write_tmp(path, [SEEN_MAGIC, zlib.crc32(body).to_bytes(_CRC, "big"), body], None)
    if tmp is not None:
        try:
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)


# -- what --verbose says ---------------------------------------------------------------------


def _said_full(snap: Snapshot | None, log: Log, count: int) -> None:
    if log is None:
        return
    if snap is not None:
        log(f"snapshot does not match the journal (events 1-{snap.cover.seq} changed, or the journal "
            "was rewritten, repaired or replaced): ignored")
    log(f"read all {count} events of the journal")


def _said_tail(log: Log, snap: Snapshot, tail: list, trusted: bool) -> None:
    if log is not None:
        log(f"read events 1-{snap.cover.seq} from the snapshot and {len(tail)} appended since from the journal"
            + (" (the journal is as the last command left it)" if trusted else ""))


def stderr_log(message: str) -> None:
    """What ``--verbose`` passes as ``log``: one line on stderr."""
    sys.stderr.write(f"wik: {message}\n")

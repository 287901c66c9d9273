"""The append-only event journal: the one file that holds facts, and the only module that writes them.

``<home>/journal.jsonl`` is JSON Lines. The first line is a header with the schema version;
every further line is one event ``{"seq", "at", "type", "invoice", "data"}`` with ``seq``
counting 1, 2, 3 ... without gaps. Nothing is ever rewritten: a correction is a new event.
(The one exception is ``redact``: erasure of a debtor's personal data after the retention
period, which the law puts above keeping the record.)

Writers take an exclusive ``flock`` on ``journal.lock``, re-read the journal under it (so a
check sees the state it writes against), and write all lines of a transaction with one
``write`` on an ``O_APPEND`` descriptor followed by ``fsync``. A crash can therefore leave at
most a torn tail, which every reader detects and ``repair`` moves to a side file.

A transaction of several events (an import, a letter rendered and sent) marks every event
but its last with ``"more": true``. A power cut can persist a prefix of such a write; a
journal that ends on an event with ``more`` ends in an incomplete transaction, which is
torn as a whole, so an import stays all or nothing even then.

A reader that kept what it made of an earlier read (``snapshot``) asks only for what was
appended since: ``read(since=cover)`` checks that the journal still starts with exactly the
bytes ``cover`` names (see ``Cover``) and parses the lines after them; anything else reads,
and checks, the whole journal as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from wikcli.store.files import ensure_dir, fsync_dir, storage_error, write_all
from wikcli.store.files import open_private, unlink_quietly, write_private
from wikcli.store.lines import (JOURNAL_NAME, SCHEMA, Event, JournalError, TornJournalError, adopt_event, dump_line,
                                line_start, parse, parse_tail)
from wikcli.ledger.events import Check, problem
from wikcli.i18n import _

LOCK_NAME = "journal.lock"
# What the snapshot module keeps of the journal (a derived copy): a rewrite removes it, and
# it is put in place only while the journal is still the file it was made from.
SNAPSHOT_NAME = "journal.snapshot"
SEEN_NAME = "journal.seen"  # the snapshot module's note of the journal's file as it last left it
OVERVIEW_NAME = "journal.overview"  # the day's rows of `wik status` (the overview module), derived alike


@dataclass(frozen=True)
class Cover:
    """The journal as one read saw it: its first ``size`` bytes (whole lines, ending after a
    complete transaction), holding the events up to ``seq``, in the file ``inode``.

    ``digest`` is the SHA-256 of those bytes. A snapshot is trusted only for a journal that
    still starts with exactly them, so a read hashes the covered part again (80 ms for the
    141 MB of 100,000 invoices, against seconds to parse them), unless the file is exactly
    as a command that did so left it (``read``'s ``seen``). A cheaper fingerprint (the last
    line, the size and the inode) would miss a hand edit further up that keeps the size,
    such as a corrected digit, and an editor that saves in place keeps the inode; the hash
    misses nothing short of a deliberate collision, and whoever could plant one could
    rewrite the journal itself. A journal in another file (a copied home, a sync that
    replaces files by a rename) keeps its snapshot when it starts with the same bytes: the
    hash decides, not the inode. The inode says only whether the file is still the one a
    command left (``seen``) and whether a snapshot may be put in place (``publish_snapshot``:
    ``redact`` replaces the journal by a rename).
    """

    size: int
    seq: int
    inode: int
    digest: bytes


@dataclass
class Reading:
    """What ``Journal.read`` found: ``events`` after ``base`` (the cover a caller passed and
    the journal still starts with), or all of them when ``base`` is None; ``cover`` is the
    whole journal as read; ``seen`` its file (``file_key``) as the read, or the write after
    it, left it."""

    events: list
    base: Cover | None
    cover: Cover
    seen: tuple = ()
    _hash: hashlib._Hash | None = None  # the running SHA-256 behind ``cover``, to extend it after an append
    _after: list = field(default_factory=list)  # the bytes after ``base``, when it was not hashed
    tail: bytes = b""  # the bytes after ``base`` this read parsed (b"" when ``base`` is None)

    def extended(self, data: bytes, seq: int) -> Cover:
        """The cover of the journal after ``data`` (whose last event is ``seq``) was appended."""
        c = self.cover
        if self._hash is None:
            self._after.append(data)
            self.cover = Cover(c.size + len(data), seq, c.inode, b"")
        else:
            self._hash.update(data)
            self.cover = Cover(c.size + len(data), seq, c.inode, self._hash.digest())
        return self.cover


def file_key(st: os.stat_result) -> tuple:
    """What identifies the journal's file as it is: device, inode, size, and the times it was
    last modified and changed (in ns). A write, by wik or any editor, changes the times; the
    change time cannot be set back by a program (only by setting back the system clock)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_CHUNK = 1 << 20


def utc_stamp(now: datetime) -> str:
    """``now`` as UTC to the second with a Z; a naive datetime is taken to be UTC already."""
    if now.tzinfo is not None:
        now = now.astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


class Journal:
    def __init__(self, home: Path, check: Check | None = problem) -> None:
        # ``check``: the schema every event read or appended must fit (``ledger.events``);
        # None keeps the journal a plain store of events (its own tests use made-up ones).
        self.check = check
        self.home = Path(home)
        self.path = self.home / JOURNAL_NAME
        self.lock_path = self.home / LOCK_NAME
        self.snapshot_path = self.home / SNAPSHOT_NAME

    def exists(self) -> bool:
        return self.path.exists()

    def create(self, now: datetime) -> None:
        """A new journal holding only the header; refuses to touch an existing one."""
        ensure_dir(self.home)
        try:
            fd = open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            raise JournalError(_("{path} exists: a journal is never replaced").format(path=self.path)) from None
        except OSError as e:
            raise storage_error(e, self.home) from None
        try:
            try:
                write_all(fd, dump_line({"wik_journal": SCHEMA, "created": utc_stamp(now)}))
                os.fsync(fd)
            finally:
                os.close(fd)
            fsync_dir(self.home)
        except OSError as e:
            unlink_quietly(self.path)  # no half a header: `wik init` can simply be run again
            raise storage_error(e, self.home) from None

    # -- reading ---------------------------------------------------------------------------

    def _read(self) -> bytes:
        try:
            with open(self.path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            raise JournalError(_("no journal at {path}: run `wik init` first").format(path=self.path)) from None
        except OSError as e:
            raise JournalError(_("{path} cannot be read: {why}").format(
                                  path=self.path, why=(e.strerror or type(e).__name__).lower())) from None

    def events(self) -> list[Event]:
        """All events, validated; raises TornJournalError or JournalError naming the line."""
        # A shared lock: a reader never sees a writer's half-written lines as a torn tail.
        with self._locked(shared=True):
            return parse(self._read(), self.check)

    def read(self, since: Cover | None = None, seen: tuple | None = None) -> Reading:
        """The events after ``since`` if the journal still starts with what it covers, else
        all of them (``Reading.base`` says which), with the cover of the whole journal.

        ``seen``: the ``file_key`` of the journal as a command that had checked ``since``
        left it. If the file is still exactly that, the covered bytes are not hashed again
        (``Reading.cover.digest`` is then empty: ``fingerprint`` completes it)."""
        with self._locked(shared=True):
            return self._read_since(since, seen)

    def _read_since(self, since: Cover | None, seen: tuple | None = None) -> Reading:
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            raise JournalError(_("no journal at {path}: run `wik init` first").format(path=self.path)) from None
        with f:
            st = os.fstat(f.fileno())
            key = file_key(st)
            inode = st.st_ino
            h: Any = hashlib.sha256()  # None once the prefix is trusted unread
            if since is not None and since.size <= st.st_size:
                trusted = seen == key
                if trusted:
                    f.seek(since.size)
                    h = None
                if trusted or (_hash_prefix(f, since.size, h) and h.digest() == since.digest):
                    tail = f.read()
                    try:
                        events = parse_tail(tail, since.seq, self.check)
                    except JournalError:
                        events = None  # the whole journal is read below, for the exact message
                    if events is not None:
                        seq = events[-1].seq if events else since.seq
                        size = since.size + len(tail)
                        if h is None:
                            return Reading(events, since, Cover(size, seq, inode, b""), key, None, [tail], tail)
                        h.update(tail)
                        return Reading(events, since, Cover(size, seq, inode, h.digest()), key, h, tail=tail)
            h = hashlib.sha256()
            f.seek(0)
            raw = f.read()
        events = parse(raw, self.check)
        h.update(raw)
        return Reading(events, None, Cover(len(raw), events[-1].seq if events else 0, inode, h.digest()),
                       key, h)

    def fingerprint(self, reading: Reading) -> Cover | None:
        """``reading.cover`` with its digest: hashed now if the read took the covered bytes
        as checked (``seen``). The covered part is read again and must still hash to what
        ``reading.base`` says, so that the digest is that of exactly the bytes the reader
        used; None if it does not (the journal was changed in between)."""
        if reading.cover.digest:
            return reading.cover
        base = reading.base
        assert base is not None  # no digest: the read trusted the base it was given (``seen``)
        h = hashlib.sha256()
        try:
            with open(self.path, "rb") as f:
                if os.fstat(f.fileno()).st_ino != reading.cover.inode or not _hash_prefix(f, base.size, h):
                    return None
        except FileNotFoundError:
            return None
        if h.digest() != base.digest:
            return None
        for data in reading._after:
            h.update(data)
        c = reading.cover
        return Cover(c.size, c.seq, c.inode, h.digest())

    def starts_with(self, cover: Cover, more: int, more_digest: bytes, seen: tuple) -> bool:
        """Whether the journal, still exactly the file a read found (``seen``, its
        ``file_key`` then), starts with the bytes ``cover`` covers followed by ``more`` bytes
        hashing to ``more_digest``: what a whole read needs to know of an earlier place in it."""
        try:
            with open(self.path, "rb") as f:
                if file_key(os.fstat(f.fileno())) != seen:
                    return False
                h = hashlib.sha256()
                if not _hash_prefix(f, cover.size, h) or h.digest() != cover.digest:
                    return False
                h = hashlib.sha256()
                return _hash_prefix(f, more, h) and h.digest() == more_digest
        except OSError:
            return False

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self, shared: bool = False) -> Iterator[None]:
        import fcntl

        if not self.path.exists():
            raise JournalError(_("no journal at {path}: run `wik init` first").format(path=self.path))
        try:
            fd = open_private(self.lock_path, os.O_RDWR | os.O_CREAT)
        except OSError as e:
            if not shared:
                raise storage_error(e, self.home) from None
            yield  # a read-only home can still be read
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    @contextmanager
    def transaction(self, now: datetime, *, since: Cover | None = None, seen: tuple | None = None,
                    cover: bool = False) -> Iterator[Transaction]:
        """Lock, read the current events, let the body append, then write all or nothing.

        With ``since`` (or ``cover``) the read is ``read(since, seen)``'s: ``tx.events`` are
        the events after ``tx.base`` when that is not None, and ``tx.reading`` (its ``cover``
        and ``seen``) describes the journal after the appended lines once they are written.
        Refused while a sync conflict copy lies beside the journal (``conflicts``)."""
        from wikcli.store import conflicts

        conflicts.refuse(self.home)
        with self._locked():
            if since is None and not cover:
                tx = Transaction(parse(self._read(), self.check), utc_stamp(now), check=self.check)
                reading = None
            else:
                reading = self._read_since(since, seen)
                tx = Transaction(reading.events, utc_stamp(now), last_seq=reading.cover.seq, check=self.check)
                tx.base, tx.reading = reading.base, reading
            yield tx
            if tx.pending:
                data = tx.lines()
                try:
                    fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
                except OSError as e:
                    raise JournalError(_("could not write {path}: {why}; nothing was recorded").format(
                                          path=self.path, why=_reason(e))) from None
                try:
                    size = os.fstat(fd).st_size
                    try:
                        write_all(fd, data)
                        os.fsync(fd)
                    except OSError as e:
                        # A full disk can take half a batch: cut it off again, so an import
                        # stays all or nothing and no torn line is left behind.
                        os.ftruncate(fd, size)
                        os.fsync(fd)
                        raise JournalError(_("could not write {path}: {why}; nothing was recorded").format(
                                              path=self.path, why=e.strerror)) from None
                    if reading is not None:
                        reading.extended(data, tx.last_seq)
                        reading.seen = file_key(os.fstat(fd))  # still under the lock
                finally:
                    os.close(fd)
                tx.pending.clear()

    def repair(self, now: datetime) -> Path | None:
        """Move a torn last line to ``journal.torn-<stamp>.jsonl``; None if the journal is intact.

        A malformed line elsewhere is not touched: that needs a person to look at it.
        """
        with self._locked():
            raw = self._read()
            try:
                parse(raw, self.check)
                return None
            except TornJournalError as e:
                cut = line_start(raw, e.line)
            if cut == 0:
                raise JournalError(_("{path} has no complete header line: it is not a wik journal").format(
                                      path=self.path))
            # What is kept must itself be sound, else the damage is not just a torn tail.
            try:
                parse(raw[:cut], self.check)
            except JournalError as e:
                raise JournalError(_("more than the last line is damaged, so nothing was moved: {error}").format(error=e)) from None
            stamp = (now.astimezone(UTC) if now.tzinfo else now).strftime("%Y%m%dT%H%M%S")
            side = self.home / f"journal.torn-{stamp}.jsonl"
            n = 1
            while side.exists():
                n += 1
                side = self.home / f"journal.torn-{stamp}-{n}.jsonl"
            try:
                fd = open_private(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except OSError as e:
                raise storage_error(e, self.home) from None
            try:
                try:
                    write_all(fd, raw[cut:])
                    os.fsync(fd)
                finally:
                    os.close(fd)
                fsync_dir(self.home)
                fd = os.open(self.path, os.O_WRONLY | os.O_CLOEXEC)
                try:
                    os.ftruncate(fd, cut)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as e:
                # The journal is cut only after its tail is safe in the side file; a failure
                # before that leaves the journal as it was, and no second copy behind.
                unlink_quietly(side)
                raise storage_error(e, self.home) from None
            # A snapshot never covers a torn tail, so it would still hold; but after a crash
            # the next read makes one from the journal itself, whatever happened before.
            self._drop_snapshot()
            return side


    def redact(self, change, now: datetime, *, check=None, append=None) -> int:
        """Rewrite the events for which ``change(event)`` returns new data; the count.

        ``check(events)``, called under the lock before anything changes, may refuse by
        raising (the same state the rewrite works on, so no write can slip in between).
        ``append(events)`` gives events (type, invoice, data) added at the end in the same
        rewrite: erasure and its tombstone are then one atomic step.

        A journal reached through a symbolic link is rewritten where the link points, and
        the link stays: replacing it would leave the real journal holding everything.

        The one exception to append-only, for erasure under the GDPR after the retention
        period: every other line stays byte for byte, and the file is replaced atomically
        (temp file, fsync, rename), so a crash leaves either the old or the new journal.
        Refused, like every write, while a sync conflict copy lies beside the journal.
        """
        from wikcli.store import conflicts

        conflicts.refuse(self.home)
        with self._locked():
            raw = self._read()
            events = parse(raw, self.check)
            if check is not None:
                check(events)
            lines = raw.split(b"\n")
            count = 0
            for i, ev in enumerate(events, start=1):
                data = change(ev)
                if data is None:
                    continue
                original = json.loads(lines[i])  # keeps "more" and the key order
                original["data"] = data
                lines[i] = dump_line(original).rstrip(b"\n")
                count += 1
            tail = b""
            if append is not None:
                tx = Transaction(events, utc_stamp(now))
                for type_, invoice, data in append(events):
                    tx.append(type_, invoice, data)
                tail = tx.lines() if tx.pending else b""
            if count or tail:
                # The snapshot holds a copy of the data being erased: it goes first, and none
                # made from the old journal can come back (see ``publish_snapshot``).
                self._drop_snapshot()
                write_private(Path(os.path.realpath(self.path)), b"\n".join(lines) + tail)
            return count

    def _drop_snapshot(self) -> None:
        # With the snapshot, any copy a process was writing or left behind when it was killed.
        derived = (SNAPSHOT_NAME, SEEN_NAME, OVERVIEW_NAME)
        for path in [*(self.home / name for name in derived),
                     *(tmp for name in derived for tmp in self.home.glob(f".{name}.tmp-*"))]:
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def publish_snapshot(self, tmp: Path, cover: Cover, target: Path | None = None) -> bool:
        """Rename ``tmp`` (a snapshot made from the journal as ``cover`` saw it) into place
        (``target``: another file derived from the journal, else the snapshot), under the
        shared lock, if the journal is still that file; else delete it.

        A reader makes its snapshot after it let go of the lock; a ``redact`` in between
        replaced the journal (a new inode) and deleted the snapshot with the erased data in
        it. Checking the inode under the lock keeps that copy from coming back."""
        with self._locked(shared=True):
            try:
                same = os.stat(self.path).st_ino == cover.inode
            except FileNotFoundError:
                same = False
            if same:
                os.replace(tmp, self.snapshot_path if target is None else target)
                return True
        tmp.unlink()
        return False


class Transaction:
    """What the body of ``Journal.transaction`` sees: the events so far, and ``append``."""

    def __init__(self, events: list[Event], at: str, last_seq: int | None = None, *,
                 check: Check | None = None) -> None:
        self.check = check
        self.events = events
        self.at = at
        self.last_seq = (events[-1].seq if events else 0) if last_seq is None else last_seq
        self.pending: list[bytes] = []
        self.appended: list[Event] = []
        self.base: Cover | None = None  # see Journal.transaction
        self.reading: Reading | None = None

    def append(self, type: str, invoice: str | None, data: dict) -> Event:
        if not isinstance(type, str) or not type:
            raise ValueError("event type must be a non-empty string")
        if invoice is not None and not isinstance(invoice, str):
            raise ValueError("event invoice must be a string or None")
        if not isinstance(data, dict):
            raise ValueError("event data must be a dict")
        bad = None if self.check is None else self.check(type, invoice, data)
        if bad is not None:
            # A command builds its events from checked values: this is a bug in wik, not a
            # user's mistake, and nothing of the transaction is written.
            raise ValueError(f"wik tried to record an event that {bad}")
        seq = self.last_seq + 1
        d = {"seq": seq, "at": self.at, "type": type, "invoice": invoice, "data": data}
        line = dump_line(d)  # serialise now, so a value JSON cannot hold fails inside the body
        ev = adopt_event(json.loads(line))  # the event as a reader will see it
        self.pending.append(line)
        self.events.append(ev)
        self.appended.append(ev)
        self.last_seq = seq
        return ev

    def lines(self) -> bytes:
        """The bytes to write: every event but the last marked as followed by ``more``."""
        marked = [line[:-2] + b',"more":true}\n' for line in self.pending[:-1]]
        return b"".join(marked + self.pending[-1:])


def _hash_prefix(f, size: int, h) -> bool:
    """Feed the first ``size`` bytes of ``f`` to ``h``; False if the file is shorter."""
    buf = bytearray(min(_CHUNK, max(size, 1)))
    view = memoryview(buf)
    left = size
    while left:
        n = f.readinto(view[:min(left, len(buf))])
        if not n:
            return False
        h.update(view[:n])
        left -= n
    return True


def _reason(e: OSError) -> str:
    return (e.strerror or type(e).__name__).lower()

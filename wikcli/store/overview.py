"""The day's overview of every invoice (``wik status``, ``wik check``), kept beside the journal.

Assessing an invoice (its costs owed, interest to the day, step and next action) is most of
what ``wik status`` does on a large ledger, and nearly all of it comes out the same as the
last time: a cron job asks every few minutes, a user asks again after recording one payment.
An invoice's row depends only on

- its events and those of every invoice a letter joins it to (one staffel over a letter's
  invoices, lowered by payments on any of them), and on the ledger-wide events (clients and
  their agreed terms);
- the day, the version of wik and the ``Rulebook`` (``ledger/rulebook.py``): the policy and
  VAT position of ``config.toml``, the rate table (packaged and ``<home>/rates.toml``) and the
  holiday calendar (for letters recorded without their term).

So ``<home>/journal.overview`` keeps the rows one command made: with a fingerprint of the
second list (the rulebook's digest: its values, not the files they were read from), and
the place in the journal they were made at (the snapshot's cover the ledger was read
through, and a hash of the bytes after it that were read). The next command takes the row of
every invoice no event since has touched and assesses the others anew: a payment
re-assesses its invoice and every invoice its letters join it to. Another day, policy, VAT
position, rate table, holiday calendar or version, a ledger-wide event, or a journal that no longer starts with
what the rows were made from re-assesses all of them. ``tests/test_overview.py`` checks the
rows against a fresh assessment over random sequences of commands and days.

Like the snapshot it is derived and only speed depends on it: a missing, damaged, foreign or
not owner-only file is ignored and made again (``--verbose`` says so); it is written after
the command's output, not synced, and put in place only while the journal is still the file
it was read from; ``wik forget`` and ``wik repair`` delete it with the snapshot.
"""

from __future__ import annotations

import hashlib
import marshal
import zlib
from dataclasses import astuple
from datetime import date
from typing import NamedTuple
from collections.abc import Callable

from wikcli import __version__
from wikcli.ledger import facts
from wikcli.ledger import steps
from wikcli.ledger.rulebook import Rulebook
from wikcli.store import snapshot, snapshot_file
from wikcli.store.files import read_private, remove_leftovers, write_tmp
from wikcli.store.journal import OVERVIEW_NAME, Cover, Journal
from wikcli.store.snapshot_file import MARSHAL

MAGIC = b"wik overview\n"
FORMAT = 1
_CRC = 4

# What a kept entry is when it is not a row: the invoice is dated after the day (never
# shown), or it was closed by a mark on or before it and not assessed (shown with --all).
FUTURE = 0
UNSEEN = 1

Log = Callable[[str], None] | None
# How far the assessing has come: (invoices assessed, invoices to assess), first with 0,
# then every TICK invoices and once at the end; the command line draws it (cli/progress.py).
Tick = Callable[[int, int], None] | None
TICK = 250
# Invoices read from a snapshot are folded when first asked for (snapshot_file.Invoices): the
# invoices to assess are folded this many at a time in one pass, and let go once assessed,
# so that a new day on 100,000 invoices never holds them all.
CHUNK = 2000


_CLOSED = steps.StatusRow._fields.index("closed")


def _urgency(row: steps.StatusRow) -> tuple:
    # steps.assess_all's order; ISO dates sort as the dates do, "9999-12-31" is date.max.
    return (row.closed is not None, row.action_due is None, row.action_due or "9999-12-31", row.invoice)


class Overview(NamedTuple):
    rows: list[steps.StatusRow]  # most urgent first
    keep: Callable[[], None]  # puts what was assessed in place for the next command


def compute(journal: Journal, rulebook: Rulebook, today: date, *, include_closed: bool = False,
            log: Log = None, tick: Tick = None) -> Overview:
    """Every invoice known on ``today`` as ``steps.assess_all`` gives it (open ones, or all
    with ``include_closed``), taking the kept rows that still hold."""
    ledger, position = snapshot.read_at(journal, log)
    key = fingerprint(rulebook, today)
    kept = _load(journal, key, log)  # (place, entries) or None
    touched = None
    if kept is not None:
        touched = _touched(journal, kept[0], position, ledger)
        if type(touched) is str:
            _log(log, f"overview {OVERVIEW_NAME}: {touched}: made again")
            touched = None
    reuse = kept[1] if kept is not None and touched is not None else {}
    stale = touched or ()
    entries = {number: None if number in stale else reuse.get(number) for number in ledger.invoices.keys()}
    todo = [number for number, e in entries.items() if e is None or (e == UNSEEN and include_closed)]
    invoices = ledger.invoices
    # Read through a snapshot, the invoices are folded a chunk at a time and let go again.
    lazy = invoices if isinstance(invoices, snapshot_file.Invoices) else None
    total = len(todo)
    if tick is not None:
        tick(0, total)
    for at in range(0, total, CHUNK):
        part = todo[at:at + CHUNK]
        folded = lazy.fold(part) if lazy is not None else None
        for i, number in enumerate(part, at + 1):
            inv = invoices[number]
            entries[number] = _entry(inv, ledger.clients[inv.client], rulebook, today, include_closed)
            if tick is not None and (i % TICK == 0 or i == total):
                tick(i, total)
        if lazy is not None and folded:
            lazy.unfold(folded)
    fresh = len(todo)
    _log(log, f"overview: {fresh} of {len(entries)} invoice(s) assessed, {len(entries) - fresh} as kept")
    rows = [steps.StatusRow._make(e) for e in entries.values()
            if type(e) is tuple and (include_closed or e[_CLOSED] is None)]
    rows.sort(key=_urgency)

    def keep() -> None:
        if fresh or kept is None or kept[0] != _place(position):
            _save(journal, key, position, entries, log)

    return Overview(rows, keep)


def _entry(inv, client, rulebook: Rulebook, today: date, include_closed: bool):
    if inv.date > today:
        return FUTURE
    if not include_closed and steps.closed_by_mark(inv, today):
        return UNSEEN
    return tuple(steps.assess(inv, client, rulebook, today).row())


def _touched(journal: Journal, place: tuple, position: snapshot.Position, ledger: facts.Ledger) -> set | str:
    """The invoices whose rows no longer hold: touched by an event after those the rows were
    made at (``place``, see ``_place``), and every invoice a letter joins one of them to; or
    why none of the rows hold."""
    base, tail_len, tail_hash, seq = place
    changed = "the journal is not the one it was made from, or not as it was"
    sha256 = hashlib.sha256
    if position.base is None:
        # A whole read (no snapshot, or one that no longer holds): the rows hold if the
        # journal read still starts with the bytes they were made from (hashed again: 80 ms
        # for 100,000 invoices, against seconds to assess them).
        if base != astuple(position.cover) or tail_len:
            if not journal.starts_with(Cover(*base), tail_len, tail_hash, position.seen):
                return changed
    elif (base != astuple(position.base) or len(position.tail) < tail_len
            or sha256(memoryview(position.tail)[:tail_len]).digest() != tail_hash):
        return changed
    touched = set()
    for ev in position.events:
        if ev.seq <= seq:
            continue
        if facts.is_ledger_event(ev):
            return f"a client-wide event since ({ev.type}, event {ev.seq})"
        touched.add(ev.invoice)  # None too: an event of no invoice changes none (facts.extend)
    invoices = ledger.invoices
    todo = [n for n in touched if n in invoices]
    while todo:
        for letter in invoices[todo.pop()].letters:
            for other, _ in letter.group:
                if other.number not in touched:
                    touched.add(other.number)
                    todo.append(other.number)
    return touched


def fingerprint(rulebook: Rulebook, today: date) -> bytes:
    """What the rows depend on besides the journal (see the module's notes): wik's version,
    the day and the rulebook's digest (policy, VAT position, rate table, holiday calendar)."""
    h = hashlib.sha256()
    for part in (__version__, today.isoformat()):
        h.update(part.encode() + b"\0")
    h.update(rulebook.digest())
    return h.digest()


def _place(position: snapshot.Position) -> tuple:
    """Where a next command finds the journal if nothing is appended: see ``_touched``."""
    return (astuple(position.next_base), len(position.next_tail),
            hashlib.sha256(position.next_tail).digest(), position.cover.seq)


def _load(journal: Journal, key: bytes, log: Log) -> tuple | None:
    path = journal.home / OVERVIEW_NAME
    raw = read_private(path, "overview", log)
    if raw is None:
        return None
    body = raw[len(MAGIC) + _CRC:]
    if raw[:len(MAGIC)] != MAGIC or zlib.crc32(body) != int.from_bytes(raw[len(MAGIC):len(MAGIC) + _CRC], "big"):
        _log(log, f"overview {path.name} is damaged or cut short: ignored")
        return None
    try:
        fmt, version, their_key, place, entries = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        _log(log, f"overview {path.name} is damaged: ignored")
        return None
    if fmt != FORMAT or version != __version__:
        _log(log, f"overview {path.name} was made by another version of wik ({version}): ignored")
        return None
    if their_key != key:
        _log(log, f"overview {path.name} is of another day, config or rate table: made again")
        return None
    return place, entries


def _save(journal: Journal, key: bytes, position: snapshot.Position, entries: dict, log: Log) -> None:
    body = marshal.dumps((FORMAT, __version__, key, _place(position), entries), MARSHAL)
    path = journal.home / OVERVIEW_NAME
    remove_leftovers(path)
    tmp = write_tmp(path, [MAGIC, zlib.crc32(body).to_bytes(_CRC, "big"), body], log, "overview")
    if tmp is None:
        return
    try:
        if journal.publish_snapshot(tmp, position.cover, path):
            _log(log, f"wrote the overview {path.name}")
    except OSError as e:
        _log(log, f"no overview written ({e.strerror})")
        tmp.unlink(missing_ok=True)


def _log(log: Log, message: str) -> None:
    if log is not None:
        log(message)

"""``journal.snapshot`` as a file: its layout, loading it (mapped) and writing it, and the
invoices folded from it on demand. When a snapshot is read or made: ``snapshot``.

The file holds the journal's events up to a ``journal.Cover``, in marshal's binary form,
stored per invoice, so that a command folds an invoice's events only when it asks for that
invoice (``Invoices``). ``wik status`` asks for those its day's overview (``overview``)
does not hold, a chunk at a time, letting each chunk go once assessed (``Invoices.unfold``).

Why events and not the folded ledger: the ledger is dataclasses holding Decimals, dates and
shared letter groups, which pickle stores and loads more slowly than the journal parses,
and whose layout changes whenever ``process`` gains a field; events are plain dicts that
marshal loads quickly, and folding them again keeps ``facts.fold`` the one place that
says what they mean. Every event but those in ``facts.LEDGER_EVENTS`` changes only its own
invoice (and the group of the letter it records), so invoices can be folded one at a time,
an invoice together with every invoice a letter joined it to. The bank's events
(``facts.is_bank_event``: payments from a statement, credits kept or ignored) are kept
apart as well, in journal order, and become ``Ledger.bank`` when first read
(``BankEvents``): a bank command knows every bank transaction without folding every invoice.
"""

from __future__ import annotations

import marshal
import zlib
from array import array
from collections import UserList
from collections.abc import MutableMapping
from collections.abc import Iterable

from wikcli import __version__
from wikcli.ledger import facts as ledger_facts
from wikcli.ledger.events import LETTER_SENT
from wikcli.ledger.facts import LEDGER_EVENTS, Ledger, is_ledger_event, letter_key
from wikcli.ledger.facts import is_bank_event
from wikcli.store.files import Log, read_private, remove_leftovers, say, write_tmp
from wikcli.store.journal import SEEN_NAME, Cover, Journal
from wikcli.store.lines import Event

MAGIC = b"wik journal snapshot\n"
FORMAT = 2  # the file's layout (below): a snapshot of another is ignored and made again
MARSHAL = 4
_CRC = 4  # bytes of the CRC-32 of all that follows it
_HEADER = 4  # bytes of the header's length
_INDEX = 8  # bytes of the index's length


class Snapshot:
    """A loaded snapshot: the cover, the ledger-wide events, and per invoice (in the order the
    invoices were added) its events as marshal bytes: slices of the file, not copies."""

    def __init__(self, cover: Cover, ledger_events: list, numbers: tuple, offsets: array,
                 blobs: memoryview, links: dict, letters: memoryview, bank: memoryview = memoryview(b"")):
        self.cover = cover
        self.ledger_events = ledger_events  # event dicts, see facts.LEDGER_EVENTS
        self.numbers = numbers
        self._offsets = offsets  # invoice i's events are blobs[offsets[i]:offsets[i + 1]]
        self._blobs = blobs
        self.links = links  # letter id -> the numbers of its events, for letters on several invoices
        self._letters = letters  # marshal of the same for every letter, read when needed
        self._letters_map: dict | None = None
        self._bank = bank  # marshal of the bank's events (``Ledger.bank``), read when needed
        self._invoices: Invoices | None = None
        self.released = False
        self.keep = True  # False once no new snapshot will be made from this one: memory may go

    def events_of(self, i: int) -> list[dict]:
        """The event dicts of the snapshot's ``i``th invoice."""
        return marshal.loads(self._blobs[self._offsets[i]:self._offsets[i + 1]])

    def letters(self) -> dict:
        if self._letters_map is None:
            self._letters_map = marshal.loads(self._letters)
        return self._letters_map

    def ledger(self, tail: list) -> Ledger:
        """The ledger of the covered events followed by ``tail``."""
        ledger = Ledger()
        ledger_facts.extend(ledger, _events(self.ledger_events))
        self._invoices = Invoices(self, ledger)
        # Declared a dict of InvoiceFacts: this mapping stands in for one, folding on demand.
        ledger.invoices = self._invoices  # type: ignore[assignment]
        ledger.bank = BankEvents(self._bank)  # type: ignore[assignment]  # a list to its readers
        ledger.last_seq = self.cover.seq
        self.extend(ledger, tail)
        return ledger

    def extend(self, ledger: Ledger, events: list) -> None:
        """``facts.extend`` for a ledger of this snapshot: first fold the invoices these
        events touch (and those a letter among them shares a group with)."""
        inv = self._invoices
        assert inv is not None  # made by ``ledger``, the only way to a ledger of this snapshot
        wanted = set()
        for ev in events:
            if is_ledger_event(ev) or ev.invoice is None:
                continue
            if ev.invoice in inv:
                wanted.add(ev.invoice)
            if ev.type == LETTER_SENT:
                wanted.update(self.letters().get(letter_key(ev), ()))
        inv.pin(inv.fold(wanted))
        ledger_facts.extend(ledger, events)

    def save(self, journal: Journal, ledger: Ledger, tail: list, cover: Cover, log: Log) -> bool:
        """A new snapshot: this one's events, those of ``tail`` added per invoice (the
        ledger was extended with them), covering ``cover``."""
        ledger_events = list(self.ledger_events)
        by_number: dict[str, list] = {}
        for ev in tail:
            if is_ledger_event(ev):
                ledger_events.append(ev.__dict__)
            elif ev.invoice is not None:
                by_number.setdefault(ev.invoice, []).append(ev.__dict__)
        place = dict(zip(self.numbers, range(len(self.numbers))))
        numbers = list(ledger.invoices)  # the keys: nothing is folded
        blobs: list[bytes | memoryview] = []
        for number in numbers:
            i = place.get(number)
            new = by_number.get(number)
            if new is None:
                assert i is not None  # no new events: the invoice was in this snapshot
                blobs.append(self._blobs[self._offsets[i]:self._offsets[i + 1]])
            else:
                blobs.append(marshal.dumps((self.events_of(i) if i is not None else []) + new, MARSHAL))
        bank = marshal.loads(self._bank) if self._bank else []
        bank += [ev.__dict__ for ev in tail if is_bank_event(ev)]
        letters = dict(self.letters())
        links = dict(self.links)
        for ev in tail:
            if ev.type == LETTER_SENT and ev.invoice in by_number:
                key = letter_key(ev)
                group = ledger.groups.get(key)
                if group is not None:
                    letters[key] = keys = tuple(i.number for i, _ in group)
                    if len(set(keys)) > 1:
                        links[key] = keys
        return _write(journal, cover, ledger_events, numbers, blobs, links, letters, bank, log)

    def release(self) -> None:
        """Let the file's bytes go (every invoice is folded and no snapshot will be made)."""
        self._blobs = self._letters = memoryview(b"")
        self.released = True


class BankEvents(UserList):
    """``Ledger.bank`` read from a snapshot: its events are loaded when first used (by the
    bank's commands; most others never look). Events folded after the snapshot are appended
    to them as to a list."""

    def __init__(self, raw: memoryview):  # no super().__init__: ``data`` is made on first use
        self._raw: memoryview | None = raw
        self._data: list | None = None

    @property
    def data(self) -> list:
        if self._data is None:
            raw, self._raw = self._raw, None
            self._data = _events(marshal.loads(raw)) if raw else []
        return self._data

    @data.setter
    def data(self, value: list) -> None:
        self._data = value


class Invoices(MutableMapping):
    """``Ledger.invoices`` read from a snapshot: every number is there, in the order the
    invoices were added; an invoice is folded from its events when it is first asked for,
    with the invoices its letters share a group with, so the groups are whole."""

    def __init__(self, snap: Snapshot, ledger: Ledger):
        self._snap = snap
        self._ledger = ledger
        # number -> its InvoiceFacts once folded; until then its place (an int) in the snapshot
        self._facts: dict = dict(zip(snap.numbers, range(len(snap.numbers))))
        self._left = len(self._facts)
        self._pinned: set = set()  # folded and then changed by events after the snapshot
        self._place: dict | None = None  # number -> its place in the snapshot, for unfold
        member: dict[str, list] = {}
        for key, numbers in snap.links.items():
            for n in numbers:
                member.setdefault(n, []).append(key)
        self._member = member

    def __getitem__(self, number):
        inv = self._facts[number]
        if type(inv) is int:
            self.fold((number,))
            inv = self._facts[number]
        return inv

    def get(self, number, default=None):
        inv = self._facts.get(number, _ABSENT)
        if inv is _ABSENT:
            return default
        if type(inv) is int:
            self.fold((number,))
            inv = self._facts[number]
        return inv

    def __setitem__(self, number, inv) -> None:
        if type(self._facts.get(number)) is int:
            self.fold((number,))  # a letter's group may hold the invoice being replaced
        self._facts[number] = inv

    def __delitem__(self, number) -> None:
        self[number]
        del self._facts[number]

    def __contains__(self, number) -> bool:
        return number in self._facts

    def __iter__(self):
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def keys(self):
        return self._facts.keys()

    def values(self):
        self.fold_all()
        return self._facts.values()

    def items(self):
        self.fold_all()
        return self._facts.items()

    def __repr__(self) -> str:
        return f"<{len(self._facts)} invoices from a snapshot, {self._left} not folded>"

    def pending(self) -> list[str]:
        """The numbers not folded yet."""
        return [n for n, inv in self._facts.items() if type(inv) is int]

    def fold(self, numbers: Iterable[str]) -> set:
        """Fold these invoices (those not folded yet) and every invoice a letter joins them to;
        the numbers folded."""
        facts = self._facts
        todo = [n for n in numbers if type(facts.get(n)) is int]
        if not todo:
            return set()
        group: set[str] = set()
        while todo:
            n = todo.pop()
            if n in group:
                continue
            group.add(n)
            for key in self._member.get(n, ()):
                todo.extend(m for m in self._snap.links[key] if m not in group and type(facts.get(m)) is int)
        events_of = self._snap.events_of
        rows = [row for n in group for row in events_of(facts[n])]
        if len(group) > 1:
            rows.sort(key=seq_of)  # a group's order is the journal's
        self._take(rows, group)
        return group

    def pin(self, numbers: Iterable[str]) -> None:
        """These invoices are changed by events after the snapshot: never ``unfold`` them."""
        self._pinned.update(numbers)

    def unfold(self, numbers: set) -> bool:
        """Let go of these folded invoices, as ``fold`` returned them (whole letter groups),
        so that a command going through every invoice holds a few at a time: asked for
        again, they are folded again. Whether it did: not for invoices an event after the
        snapshot changed (the snapshot lacks that event), nor once the file was let go."""
        if self._snap.released or not self._pinned.isdisjoint(numbers):
            return False
        facts = self._facts
        groups = self._ledger.groups
        place = self._place
        if place is None:
            place = self._place = dict(zip(self._snap.numbers, range(len(self._snap.numbers))))
        for n in numbers:
            for letter in facts[n].letters:
                groups.pop(letter.letter, None)
                # A letter's group holds its invoices, which hold the letter: a cycle, which
                # with the collector off (cli.main) would keep all of them. The group is
                # let go whole, so it is emptied.
                letter.group.clear()
            facts[n] = place[n]
        self._left += len(numbers)
        return True

    def fold_all(self) -> None:
        if not self._left:
            return
        facts = self._facts
        events_of = self._snap.events_of
        member = self._member
        rows: list = []
        joined: list = []
        numbers = [n for n, inv in facts.items() if type(inv) is int]
        for n in numbers:
            if n in member:
                joined.extend(events_of(facts[n]))
            else:
                rows.extend(events_of(facts[n]))
        # Invoices on a letter with others go last and in journal order, so that each
        # letter's group is built in the order of its events; the others are independent.
        joined.sort(key=seq_of)
        rows.extend(joined)
        self._take(rows, numbers)

    def _take(self, rows: list, numbers) -> None:
        # The client-wide terms were folded into the ledger itself (ledger events): the part
        # shares them, so its invoices hold the very lists the ledger's clients have.
        part = ledger_facts.extend(Ledger(terms=self._ledger.terms), _events(rows))
        facts = self._facts
        for n in numbers:
            facts[n] = part.invoices[n]
        self._left -= len(numbers)
        self._ledger.groups.update(part.groups)
        if not self._left and not self._snap.keep:
            self._snap.release()


_ABSENT = object()


def seq_of(row: dict) -> int:
    return row["seq"]


def _events(rows: Iterable[dict]) -> list[Event]:
    new = object.__new__
    setattr_ = object.__setattr__
    out: list[Event] = []
    append = out.append
    for d in rows:
        ev = new(Event)
        setattr_(ev, "__dict__", d)
        append(ev)
    return out


def load(journal: Journal, log: Log = None) -> Snapshot | None:
    """The snapshot beside ``journal`` if it is whole and made by this wik; else None."""
    path = journal.snapshot_path
    # Mapped, not read: an invoice's events are taken from the file when it is folded, and a
    # write on one invoice never copies the others. Snapshots are replaced by a rename, never
    # changed in place, so the mapped file stays as it was.
    raw = read_private(path, "snapshot", log, mapped=True, missing=f"no snapshot {path.name} yet")
    if raw is None:
        return None
    try:
        return _decode(memoryview(raw))
    except _Unusable as e:
        say(log, f"snapshot {path.name} {e}: ignored")
    except (ValueError, EOFError, TypeError, KeyError, IndexError):
        say(log, f"snapshot {path.name} is damaged: ignored")
    return None


class _Unusable(Exception):
    pass


# The file: MAGIC, the CRC-32 of all that follows it, then the header (its length in 4 bytes,
# then marshal: format, version, cover), the index (its length in 8 bytes, then marshal: the
# ledger-wide events, the invoice numbers, the offsets of their events, the letter links, the
# length of the letters and of the bank's events), every invoice's events (marshal each), all
# letters (marshal), the bank's events (marshal: ``Ledger.bank``; a payment from a statement
# is among its invoice's events as well).


def _decode(raw: memoryview) -> Snapshot:
    if raw[:len(MAGIC)] != MAGIC:
        raise _Unusable("is not a wik snapshot")
    at = len(MAGIC)
    rest = raw[at + _CRC:]
    if len(rest) < _HEADER or zlib.crc32(rest) != int.from_bytes(raw[at:at + _CRC], "big"):
        raise _Unusable("is damaged or cut short")
    n = int.from_bytes(rest[:_HEADER], "big")
    fmt, version, ledger_types, size, seq, inode, digest = marshal.loads(rest[_HEADER:_HEADER + n])
    if fmt != FORMAT or version != __version__ or tuple(ledger_types) != LEDGER_EVENTS:
        raise _Unusable(f"was made by another version of wik ({version})")
    at = _HEADER + n
    n = int.from_bytes(rest[at:at + _INDEX], "big")
    at += _INDEX
    ledger_events, numbers, raw_offsets, links, letters_len, bank_len = marshal.loads(rest[at:at + n])
    at += n
    offsets = array("Q")
    offsets.frombytes(raw_offsets)
    end = at + offsets[-1]
    if len(offsets) != len(numbers) + 1 or len(rest) != end + letters_len + bank_len:
        raise _Unusable("is damaged or cut short")
    return Snapshot(Cover(size, seq, inode, digest), ledger_events, numbers, offsets, rest[at:end], links,
                    rest[end:end + letters_len], rest[end + letters_len:])


# -- writing -----------------------------------------------------------------------------


def save_full(journal: Journal, events: list, ledger: Ledger, cover: Cover, log: Log) -> bool:
    """A snapshot of all ``events`` (the whole journal as ``cover`` saw it, folded into
    ``ledger``); whether it was put in place."""
    if None in ledger.invoices:
        # An invoice-added event without a number (only a hand edit writes one): the
        # invoices are stored by number, so such a ledger is read in full every time.
        say(log, "no snapshot kept: an invoice in the journal has no number")
        return False
    ledger_events = []
    by_number: dict[str, list] = {}
    for ev in events:
        if is_ledger_event(ev):
            ledger_events.append(ev.__dict__)
        elif ev.invoice is not None:
            rows = by_number.get(ev.invoice)
            if rows is None:
                by_number[ev.invoice] = [ev.__dict__]
            else:
                rows.append(ev.__dict__)
        # An event of no invoice and of no ledger-wide kind changes nothing (facts.fold)
        # but the bank's events (``Ledger.bank``), kept apart below.
    dumps = marshal.dumps
    numbers = list(ledger.invoices)
    blobs = [dumps(by_number[number], MARSHAL) for number in numbers]
    letters = {key: tuple(i.number for i, _ in group) for key, group in ledger.groups.items()}
    links = {key: keys for key, keys in letters.items() if len(set(keys)) > 1}
    bank = [ev.__dict__ for ev in events if is_bank_event(ev)]
    return _write(journal, cover, ledger_events, numbers, blobs, links, letters, bank, log)


def _write(journal: Journal, cover: Cover, ledger_events: list, numbers: list, blobs: list, links: dict,
           letters: dict, bank: list, log: Log) -> bool:
    header = marshal.dumps((FORMAT, __version__, LEDGER_EVENTS, cover.size, cover.seq, cover.inode,
                            cover.digest), MARSHAL)
    offsets = array("Q", [0])
    end = 0
    for blob in blobs:
        end += len(blob)
        offsets.append(end)
    letters_raw = marshal.dumps(letters, MARSHAL)
    bank_raw = marshal.dumps(bank, MARSHAL)
    index = marshal.dumps((ledger_events, tuple(numbers), offsets.tobytes(), links, len(letters_raw),
                           len(bank_raw)), MARSHAL)
    parts = [len(header).to_bytes(_HEADER, "big"), header, len(index).to_bytes(_INDEX, "big"), index,
             *blobs, letters_raw, bank_raw]
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    path = journal.snapshot_path
    remove_leftovers(path)
    remove_leftovers(journal.home / SEEN_NAME)
    tmp = write_tmp(path, [MAGIC + crc.to_bytes(_CRC, "big"), *parts], log)
    if tmp is None:
        return False
    try:
        kept = journal.publish_snapshot(tmp, cover)
    except OSError as e:
        say(log, f"no snapshot written ({e.strerror})")
        tmp.unlink(missing_ok=True)
        return False
    if kept:
        say(log, f"wrote the snapshot {path.name} (events 1-{cover.seq})")
    else:
        say(log, "no snapshot written: the journal was rewritten meanwhile")
    return kept

"""The journal's lines: one event each, written as JSON and read back checked.

A journal is a header line ``{"wik_journal": SCHEMA, "created": ...}`` and then one event per
line, ``{"seq", "at", "type", "invoice", "data"}`` (``KEYS``), with ``"more": true`` on every
event of a transaction but its last. ``parse`` reads a whole journal's bytes and
``parse_tail`` the lines after a part already read; both check every line (keys, sequence,
types, and the event's schema when given one) and name the first bad line, telling a torn
tail (an interrupted write: ``TornJournalError``, which ``Journal.repair`` mends) from damage
a person has to look at. ``dump_line`` writes one line as a reader will read it back.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import dataclass

from wikcli.errors import WikError
from wikcli.ledger.events import Check
from wikcli.i18n import N_, _

JOURNAL_NAME = "journal.jsonl"
SCHEMA = 1
KEYS = ("seq", "at", "type", "invoice", "data")
_KEYSET = frozenset(KEYS)
MORE = "more"  # on every event of a transaction but its last
_KEYSET_MORE = frozenset(KEYS + (MORE,))


class JournalError(WikError):
    """The journal is missing or a line in it is not a valid event."""


class TornJournalError(JournalError):
    """The tail is incomplete: a write was interrupted (crash, power cut, kill).

    ``line`` is the first line of the damaged tail: what ``repair`` moves aside.
    """

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Event:
    seq: int
    at: str  # UTC, ISO 8601 to the second: 2026-11-25T13:40:00Z
    type: str
    invoice: str | None
    data: dict

    def to_json(self) -> dict:
        return {"seq": self.seq, "at": self.at, "type": self.type, "invoice": self.invoice, "data": self.data}


def adopt_event(d: dict) -> Event:
    # Replaying a large journal builds hundreds of thousands of events: skip the frozen
    # dataclass __init__ (five object.__setattr__ calls) and adopt the parsed dict, whose
    # keys were checked to be exactly the fields.
    ev = object.__new__(Event)
    object.__setattr__(ev, "__dict__", d)
    return ev


def dump_line(obj: dict) -> bytes:
    # allow_nan=False: NaN and Infinity are not JSON, and no other reader would accept them
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def parse(raw: bytes, check: Check | None = None) -> list[Event]:
    # Half a million new dicts would set off the cyclic garbage collector again and again
    # (about a third of the load time) for nothing: parsed JSON holds no cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_lines(raw, check)
    finally:
        if was_enabled:
            gc.enable()


def _parse_lines(raw: bytes, check: Check | None = None) -> list[Event]:
    if not raw:
        raise TornJournalError(_("{journal_name} line 1 is torn (an interrupted write): run `wik repair`").format(
                                  journal_name=JOURNAL_NAME), 1)
    nlines = raw.count(b"\n")
    if not raw.endswith(b"\n"):
        torn = TornJournalError(
            _("{journal_name} line {line} is torn (an interrupted write): run `wik repair`").format(
               journal_name=JOURNAL_NAME, line=nlines + 1), nlines + 1)
        if nlines:
            # The torn line may end a transaction whose first events are complete: all go.
            try:
                _parse_lines(raw[: raw.rfind(b"\n") + 1], check)
            except TornJournalError as e:
                raise TornJournalError(
                    _("{journal_name} lines {first}-{last} are an incomplete transaction (an interrupted "
                       "write): run `wik repair`").format(journal_name=JOURNAL_NAME, first=e.line, last=nlines + 1), e.line) from None
            except JournalError:
                pass
        raise torn
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise _bad(line, nlines, "is not UTF-8 text", unreadable=True) from None
    loads = json.loads
    eol = text.index("\n")
    try:
        header = loads(text[:eol])
    except ValueError:
        raise _bad(1, nlines, _("is not a journal header (not JSON)")) from None
    if not isinstance(header, dict) or header.get("wik_journal") != SCHEMA:
        if isinstance(header, dict) and isinstance(header.get("wik_journal"), int):
            raise JournalError(_("{journal_name} has schema {wik_journal}; this wik reads schema {schema}").format(
                                  journal_name=JOURNAL_NAME, wik_journal=header['wik_journal'], schema=SCHEMA))
        raise _bad(1, nlines, _("is not a journal header: expected {{\"wik_journal\": {schema}, ...}}").format(
                                 schema=SCHEMA))
    out = _scan(text, eol + 1, 0, nlines, check)
    if len(out) != nlines - 1:
        # An event spread over several lines (only a hand edit does that): find the first one.
        for i, row in enumerate(text.split("\n")[1:-1], start=2):
            try:
                loads(row)
            except ValueError:
                raise _bad(i, nlines, "is not valid JSON (one event per line)") from None
    return out


def parse_tail(raw: bytes, seq: int, check: Check | None = None) -> list[Event]:
    """The events of ``raw``, the lines after a part of the journal that held events 1..``seq``
    and ended after a complete transaction. Raises JournalError on whatever ``parse`` of the
    whole journal would refuse; its line numbers count from the tail, so a caller reads the
    whole journal again for the message."""
    if not raw:
        return []
    if not raw.endswith(b"\n"):
        raise TornJournalError("torn tail", 0)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JournalError("not UTF-8") from None
        nlines = text.count("\n")
        out = _scan(text, 0, seq, nlines + 1, check)
    finally:
        if was_enabled:
            gc.enable()
    if len(out) != nlines:
        raise JournalError("an event over several lines")
    return out


def _scan(text: str, pos: int, seq: int, nlines: int, check: Check | None = None) -> list[Event]:
    """The events of the lines from ``pos`` on, numbered from ``seq + 1``; ``nlines`` counts
    the lines of ``text`` (for telling a torn last line from a bad one)."""
    loads = json.loads
    # The C scanner behind json.loads, called once per line at its offset in the whole text:
    # a third faster than slicing lines and calling json.loads on each. A line it cannot take
    # as it stands (surrounding spaces from a hand edit, or damage) goes through json.loads.
    scan = _SCANNER
    out: list[Event] = []
    append = out.append
    keyset = _KEYSET
    keyset_more = _KEYSET_MORE
    more = False  # whether the event before ends inside a transaction
    first_bad: tuple[int, str] | None = None  # (line, what) of the first event its schema refuses
    batch_line = 2  # the first line of the transaction the current event belongs to
    new = object.__new__
    setattr_ = object.__setattr__
    # Each parsed line brings its own copy of every key and of the repeated values (the
    # stamp of a transaction, the event type): half the memory of a large journal. The
    # events get one shared copy of each; the values are equal, only duplicates go. Interned,
    # so that a snapshot (marshal) stores them once and shares them again when it is read.
    share = sys.intern
    n = len(text)
    while pos < n:
        try:
            d, end = scan(text, pos)
            if text[end] != "\n":
                raise ValueError
            nxt = end + 1
        except (StopIteration, ValueError):
            eol = text.index("\n", pos)
            try:
                d = loads(text[pos:eol])
            except ValueError:
                line = text.count("\n", 0, pos) + 1
                if line == nlines and more:
                    raise TornJournalError(
                        _("{journal_name} lines {first}-{last} are an incomplete transaction (an interrupted "
                           "write): run `wik repair`").format(
                           journal_name=JOURNAL_NAME, first=batch_line, last=line), batch_line) from None
                raise _bad(line, nlines, _("is not valid JSON"), unreadable=True) from None
            nxt = eol + 1
        seq += 1
        if not more:
            batch_line = seq + 1
        more = False
        # One cheap check per line: the keys, the sequence number and the types.
        if type(d) is dict and d.keys() == keyset_more and d[MORE] is True:
            more = True
        elif type(d) is not dict or d.keys() != keyset:
            raise _bad(text.count("\n", 0, pos) + 1, nlines, _what_is_wrong(d, seq))
        if (d["seq"] != seq or type(d["seq"]) is not int
                or type(d["at"]) is not str or type(d["type"]) is not str or type(d["data"]) is not dict
                or not (d["invoice"] is None or type(d["invoice"]) is str)):
            raise _bad(text.count("\n", 0, pos) + 1, nlines, _what_is_wrong(d, seq))
        kind = d["type"]
        if check is not None and first_bad is None:
            bad = check(kind, d["invoice"], d["data"])
            if bad is not None:
                # Raised once the lines are read: a torn tail after it is what to mend first.
                first_bad = (text.count("\n", 0, pos) + 1, bad)
        ev = new(Event)
        at = d["at"]
        setattr_(ev, "__dict__", {"seq": seq, "at": share(at), "type": share(kind),
                                  "invoice": d["invoice"],
                                  "data": {share(k): v for k, v in d["data"].items()}})
        append(ev)
        pos = nxt
    if more:
        raise TornJournalError(
            _("{journal_name} lines {first}-{last} are an incomplete transaction (an interrupted "
               "write): run `wik repair`").format(journal_name=JOURNAL_NAME, first=batch_line, last=seq + 1), batch_line)
    if first_bad is not None:
        raise _bad(first_bad[0], nlines, first_bad[1])
    return out


# Not in the type stubs: the C scanner's entry point, (text, offset) -> (value, end).
_SCANNER = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def line_start(raw: bytes, line: int) -> int:
    """The offset where line ``line`` (1-based) starts in ``raw``."""
    pos = 0
    for _line in range(line - 1):
        pos = raw.index(b"\n", pos) + 1
    return pos


def _bad(line: int, nlines: int, what: str, *, unreadable: bool = False) -> JournalError:
    if unreadable and line == nlines:
        # A last line that is not even JSON is where an interrupted write ends up.
        return TornJournalError(
            _("{journal_name} line {line} is torn (an interrupted write: it {what}): run `wik repair`").format(
               journal_name=JOURNAL_NAME, line=line, what=what), line)
    return JournalError(
        _("{journal_name} line {line} {what}: fix or remove it by hand (keep a copy), then run the "
           "command again").format(journal_name=JOURNAL_NAME, line=line, what=what))


def _what_is_wrong(d, seq: int) -> str:
    # Values other than seq and the invoice number are not echoed: they may be personal data.
    if type(d) is not dict:
        return _("is not an event object (it is a JSON {type})").format(type=_kind(d))
    missing = [k for k in KEYS if k not in d]
    if missing:
        return _("has no {keys}").format(keys=', '.join(missing))
    if MORE in d and d[MORE] is not True:
        return _("has {more} of type {type}: expected true or no {more} at all").format(
                  more=MORE, type=_kind(d[MORE]))
    extra = sorted(set(d) - _KEYSET_MORE)
    if extra:
        return _("has {count} unknown key(s): expected exactly {keys}").format(
                  count=len(extra), keys=', '.join(KEYS))
    if type(d["seq"]) is not int or d["seq"] != seq:
        shown = d["seq"] if type(d["seq"]) is int else _("of type {type}").format(type=_kind(d['seq']))
        return _("has seq {shown}: expected {seq} (sequence numbers count up without gaps)").format(
                  shown=shown, seq=seq)
    for key, want, kind in (("at", str, N_("a timestamp text")), ("type", str, N_("a text")), ("data", dict, N_("an object"))):
        if type(d[key]) is not want:
            return _("has {key} of type {type}: expected {kind}").format(key=key, type=_kind(d[key]), kind=_(kind))
    return _("has invoice of type {type}: expected a text or null").format(type=_kind(d['invoice']))


def _kind(value) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "text", list: "array",
            dict: "object"}.get(type(value), type(value).__name__)

"""Sync conflict copies of the journal, and merging one back.

A home kept in a synced folder (Dropbox, Nextcloud, Syncthing, Google Drive, Resilio) can
get a second journal when two computers wrote before the sync caught up: the service keeps
one as ``journal.jsonl`` and the other beside it as ``journal (1).jsonl``, ``journal
(conflicted copy ...).jsonl``, ``journal.sync-conflict-....jsonl`` or
``journal.jsonl.conflict...``. Events recorded in the copy are facts wik would otherwise
never see (a payment, a letter sent); a write on top of the main journal makes the two
harder to merge. So while a copy is there every command names it and every write is refused
(``Journal.transaction`` asks ``refuse``) until `wik repair --merge FILE` merges it.

Merging (``merge``): both files must be whole wik journals that start with the same events
(the part written before they went apart, compared byte for byte as events). The copy's
events after that part are added after the main journal's, numbered on; an event of the copy
that the main journal holds (the same type, invoice and data: recorded on both computers) is
kept once. The numbers the copy's events refer to (a void's ``seq``, a plan's ``replaces``, a
kept credit's ``duplicate_of``, a letter id ``L<seq>``) are renumbered with them. Refused,
with the reason, when the copy is not a whole journal, shares no events with the main one,
or adds an invoice or client the main journal added differently: that needs a person. The
merged journal is parsed and folded before it replaces the old one (atomically); the old
journal and the copy are kept beside it as ``journal.premerge-<time>.jsonl`` and
``journal.merged-<time>.jsonl``, and the derived files (snapshot, overview) are dropped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, UTC
from pathlib import Path
from typing import TYPE_CHECKING

from wikcli.store import journal as journal_mod
from wikcli.store.files import write_private
from wikcli.store.lines import MORE, JournalError, dump_line, parse
from wikcli.i18n import _

if TYPE_CHECKING:
    from wikcli.ledger.events import Check
    from wikcli.ledger.payload import Payload

PATTERNS = ("journal (*).jsonl", "journal.sync-conflict-*.jsonl", "journal.jsonl.conflict*",
            "journal.jsonl.sync-conflict-*")
# Data fields that hold another event's seq, by event type.
# The types whose events refer to an earlier event by its seq (``_renumbered``).
_REFERRING = frozenset(("voided", "plan", "bank-unmatched", "letter-sent", "letter-rendered", "letter-bounced",
                        "letter-registered"))


class ConflictError(JournalError):
    """A sync conflict copy beside the journal, or one that cannot be merged."""


def find(home: Path) -> list[Path]:
    """The conflict copies beside the journal, by name."""
    home = Path(home)
    found = {p for pattern in PATTERNS for p in home.glob(pattern) if p.is_file()}
    return sorted(found, key=lambda p: p.name)


def message(copies: list[Path]) -> str:
    names = ", ".join(repr(p.name) for p in copies)
    first = copies[0].name
    return (f"{names} beside the journal {'is a sync conflict copy' if len(copies) == 1 else 'are sync conflict copies'}"
            f": merge {'it' if len(copies) == 1 else 'each'} with `wik repair --merge \"{first}\"` (or move it out of "
            "the folder if it holds nothing you need)")


def refuse(home: Path) -> None:
    """Raise if a conflict copy is beside the journal: nothing may be written until merged."""
    copies = find(home)
    if copies:
        raise ConflictError(_("nothing was recorded: {why}").format(why=message(copies)))


@dataclass
class Merged:
    added: list[int] = field(default_factory=list)  # the seqs the copy's events got
    same: list[str] = field(default_factory=list)  # the copy's events the main journal held already
    kept: Path | None = None  # the old main journal
    moved: Path | None = None  # the copy, moved aside
    events: int = 0


def _lines(raw: bytes, name: str, check: Check | None) -> list[dict]:
    # checked as the journal reads it: every payload is read through its type below
    try:
        parse(raw, check)
    except JournalError as e:
        raise ConflictError(_("{name} cannot be merged: {error}").format(name=name, error=e)) from None
    return [json.loads(x) for x in raw.split(b"\n")[1:] if x.strip()]


def _content(d: dict) -> str:
    return json.dumps([d["type"], d["invoice"], d["data"]], sort_keys=True, ensure_ascii=False)


def _whole(d: dict) -> str:
    return json.dumps([d["at"], d["type"], d["invoice"], d["data"]], sort_keys=True, ensure_ascii=False)


def _added(d: dict) -> tuple[str, str | None]:
    """What an invoice-added or client-added event adds: (type, invoice number or client id)."""
    from wikcli.ledger.events import CLIENT_ADDED, ClientAddedData

    return (d["type"], ClientAddedData.load(d["data"]).id if d["type"] == CLIENT_ADDED else d["invoice"])


def _renumbered(p: Payload, renumber: dict[int, int]) -> Payload | None:
    """``p`` with the seqs it refers to renumbered as the merge numbers the copy's events (a
    letter's id ``L<seq>`` too), or None when it refers to none of them."""
    from wikcli.ledger.bank_payloads import BankUnmatchedData
    from wikcli.ledger.events import LetterBouncedData, LetterRegisteredData, LetterSentData, PlanData, VoidedData

    if isinstance(p, (LetterBouncedData, LetterRegisteredData)):
        # the letter it is about: its seq and its id
        if p.seq not in renumber:
            return None
        return replace(p, seq=renumber[p.seq], letter=_letter_id(p.letter, renumber) or p.letter)
    if isinstance(p, VoidedData):
        return replace(p, seq=renumber[p.seq]) if p.seq in renumber else None
    if isinstance(p, PlanData):
        return replace(p, replaces=renumber[p.replaces]) if p.replaces in renumber else None
    if isinstance(p, BankUnmatchedData):
        return replace(p, duplicate_of=renumber[p.duplicate_of]) if p.duplicate_of in renumber else None
    if isinstance(p, LetterSentData):  # and letter-rendered
        letter = _letter_id(p.letter, renumber)
        return None if letter is None else replace(p, letter=letter)
    return None


def _letter_id(letter: str | None, renumber: dict[int, int]) -> str | None:
    """A letter's id (``L<seq>``, the seq of its first event) as the merge renumbers it, or None."""
    if letter is not None and letter[:1] == "L" and letter[1:].isdigit() and int(letter[1:]) in renumber:
        return f"L{renumber[int(letter[1:])]}"
    return None


def merge(journal: journal_mod.Journal, copy: Path, now: datetime) -> Merged:
    from wikcli.ledger import facts
    from wikcli.ledger.events import CLIENT_ADDED, INVOICE_ADDED, PAYLOADS

    copy = Path(copy)
    if not copy.is_absolute() and not copy.exists():
        copy = journal.home / copy
    if not copy.is_file():
        raise ConflictError(_("{copy!r} is not a file: expected a conflict copy of the journal such as 'journal "
                               "(1).jsonl'").format(copy=str(copy)[:80]))
    if copy.resolve() == journal.path.resolve():
        raise ConflictError(_("{name} is the journal itself: expected its conflict copy").format(name=copy.name))
    with journal._locked():
        raw = journal._read()
        main = _lines(raw, journal.path.name, journal.check)
        other = _lines(copy.read_bytes(), copy.name, journal.check)
        k = 0
        while k < min(len(main), len(other)) and _whole(main[k]) == _whole(other[k]):
            k += 1
        if k == 0 and main and other:
            raise ConflictError(_("{name} cannot be merged: it shares no event with {journal} (its first event differs): it "
                                   "is not a copy of this ledger").format(name=copy.name, journal=journal.path.name))
        result = Merged()
        theirs = other[k:]
        if not theirs:
            result.events = len(main)
        seen = {_content(d): d["seq"] for d in main[k:]}
        added_ids = {_added(d) for d in main if d["type"] in (INVOICE_ADDED, CLIENT_ADDED)}
        renumber: dict[int, int] = {}
        out: list[dict] = []
        group: dict[int, int] = {}  # id(event) -> its transaction in the copy
        nxt = len(main) + 1
        g = 0
        for d in theirs:
            group[id(d)] = g
            if not d.get(MORE):
                g += 1
        for d in theirs:
            c = _content(d)
            if c in seen:
                renumber[d["seq"]] = seen[c]
                result.same.append(f"#{d['seq']} {d['type']}" + (f" {d['invoice']}" if d["invoice"] else ""))
                continue
            if d["type"] in (INVOICE_ADDED, CLIENT_ADDED):
                ident = _added(d)
                if ident in added_ids:
                    what = "invoice" if d["type"] == INVOICE_ADDED else "client"
                    raise ConflictError(_("{name} cannot be merged: both copies add {what} {ident!r}, differently: keep the right "
                                           "one by hand, then merge").format(
                                           name=copy.name, what=what, ident=ident[1]))
            renumber[d["seq"]] = nxt
            out.append(d)
            nxt += 1
        # A transaction of the copy stays one: "more" on each of its kept events but the last.
        for i, d in enumerate(out):
            d.pop(MORE, None)
            if i + 1 < len(out) and group[id(out[i + 1])] == group[id(d)]:
                d[MORE] = True
        for d in out:
            d["seq"] = renumber[d["seq"]]
            if d["type"] in _REFERRING:
                moved = _renumbered(PAYLOADS[d["type"]].load(d["data"]), renumber)
                if moved is not None:
                    d["data"] = moved.to_payload()
            result.added.append(d["seq"])
        if not out:
            result.events = len(main)
            _set_aside(journal, copy, now, result, None)
            return result
        body = raw if raw.endswith(b"\n") else raw + b"\n"
        merged = body + b"".join(dump_line(d) for d in out)
        try:
            events = parse(merged)
            facts.fold(parse(merged))
        except JournalError as e:
            raise ConflictError(_("{name} cannot be merged: the merged journal does not verify: {error}").format(
                                   name=copy.name, error=e)) from None
        if [e.seq for e in events] != list(range(1, len(events) + 1)):
            raise ConflictError(_("{name} cannot be merged: the merged journal is not numbered 1, 2, 3 ...").format(
                                   name=copy.name))
        result.events = len(events)
        _set_aside(journal, copy, now, result, raw)
        journal._drop_snapshot()
        write_private(journal.path, merged)
        return result


def _stamp(now: datetime) -> str:
    return (now.astimezone(UTC) if now.tzinfo else now).strftime("%Y%m%dT%H%M%S")


def _free(home: Path, stem: str) -> Path:
    path, n = home / f"{stem}.jsonl", 1
    while path.exists():
        n += 1
        path = home / f"{stem}-{n}.jsonl"
    return path


def _set_aside(journal: journal_mod.Journal, copy: Path, now: datetime, result: Merged, old: bytes | None) -> None:
    """Keep the old journal (if it is about to change) and move the copy out of the names
    that block writing; both stay in the home, nothing is deleted."""
    stamp = _stamp(now)
    if old is not None:
        result.kept = write_private(_free(journal.home, f"journal.premerge-{stamp}"), old)
    target = _free(journal.home, f"journal.merged-{stamp}")
    os.replace(copy, target)
    result.moved = target

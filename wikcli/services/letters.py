"""Letters: which invoices a letter covers, the letter composed as a PDF, its archived copy,
and its recording (rendered and/or sent) under the journal's lock.

``wik letter``, ``wik sent``, ``wik send`` and ``wik demo`` all make or record letters
through these functions. Nothing here prints: warnings come back with the letter
(``Composed.warnings``), refusals are ``WikError``s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

from wikcli.errors import OptionError
from wikcli.i18n import _
from wikcli.ledger import claims
from wikcli.ledger import facts
from wikcli.ledger import steps
from wikcli.ledger.events import LETTER_RENDERED, LETTER_SENT
from wikcli.ledger import commands, delivery
from wikcli.ledger.claims import Claim
from wikcli.services.home import OpenHome

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Composed:
    """A letter as made on its day: what it claims, its text and its PDF, not yet kept."""

    claim: Claim
    data: Any  # documents.letter.LetterData
    text: Any  # documents.letter.LetterText
    pdf: bytes
    name: str  # the file name it is archived under (made unique in <home>/letters/)
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Archived:
    """A letter's exact copy in <home>/letters/, and the claim recorded with it."""

    path: Path
    sha256: str
    claim: Claim


def check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise commands.LedgerError(_("--lang {lang!r} is unknown: expected nl or en").format(lang=lang))


def next_kind(h: OpenHome, ledger, number: str, day: date) -> str:
    """The letter an invoice's next action asks for."""
    inv = ledger.invoices.get(number)
    if inv is None:
        raise commands.LedgerError(_("invoice {number!r} is not in the ledger: see `wik invoice list`")
                                 .format(number=number[:80]))
    a = steps.assess(inv, ledger.clients[inv.client], h.rulebook, day, with_interest=False)
    kind = facts.ACTION_LETTER.get(a.next_action)
    if kind is None:
        raise commands.LedgerError(_("invoice {number!r} needs no letter now (next action: {action}): "
                                   "give --kind to make one anyway").format(number=number, action=_(a.next_action)))
    return kind


def covered(h: OpenHome, ledger, numbers: list[str] | None, client: str | None, kind: str | None,
            day: date, today: date) -> tuple[list[str], str]:
    """(the invoices a letter covers, its kind) from invoice numbers or a client, and a kind
    (already read: reminder, wik or default; None for the one the invoices' next action asks)."""
    if client and numbers:
        raise OptionError(_("give invoice numbers or --client, not both"))
    if client:
        if kind is None:
            raise OptionError(_("--client needs --kind: which letter the client's invoices get"))
        return claims.select(ledger, h.rulebook, client, kind, day, today), kind
    if not numbers:
        raise OptionError(_("no invoice given: name one or more invoice numbers, or --client ID"))
    if kind is None:
        kinds = {n: next_kind(h, ledger, n, day) for n in numbers}
        if len(set(kinds.values())) > 1:
            raise OptionError(_("the invoices call for different letters ({kinds}): give --kind").format(
                kinds=", ".join(f"{n}: {k}" for n, k in kinds.items())))
        kind = next(iter(kinds.values()))
    return list(numbers), kind


def compose(h: OpenHome, ledger, numbers: list[str], kind: str, day: date, via: str, today: date,
            lang: str | None, force: bool = False) -> Composed:
    """The letter of ``kind`` about ``numbers`` as sent on ``day`` by ``via``: its claim
    (``claims.compose``), its text in ``lang`` (templates in <home>/templates first) and its PDF."""
    from wikcli.documents import letter, page

    claim = claims.compose(ledger, h.rulebook, numbers, kind, day, via, today=today, force=force)
    warnings = list(claim.warnings)
    # `wik send` refuses this; a letter the user e-mailed is recorded, with the reason to doubt it.
    doubt = claims.email_doubt(claim.client, kind, via)
    if doubt:
        warnings.append(doubt)
    advice = claims.consumer_warning(ledger, h.rulebook, claim, today)
    if advice:
        warnings.append(advice)
    data = letter.from_claim(claim, h.config, lang)
    text = letter.render_text(data, letter.template_dirs(h.path))
    return Composed(claim, data, text, page.render(data, text), letter.file_name(claim.numbers, kind, day),
                    tuple(warnings))


def record(h: OpenHome, claim: Claim, today: date, *, rendered: tuple[str, str] | None = None,
           sent: bool = True, printed: bool = True, email: dict | None = None) -> tuple[list, Claim]:
    """Record the letter (rendered and/or sent) under the journal's lock; returns (events,
    the claim recorded). The claim is made again against the ledger as the lock finds it: a
    printed letter must still say what the ledger holds (a payment recorded meanwhile by a
    cron run or another terminal would make it wrong: refused), a letter wik did not print
    (``printed=False``: `wik sent` of the user's own letter) is recorded as made now."""
    recorded = []

    def build(ledger):
        again = claims.compose(ledger, h.rulebook, claim.numbers, claim.kind, claim.day, claim.via,
                               today=today, force=claim.forced)
        use = claim if printed else again
        if printed and not claims.same_figures(again, claim):
            raise commands.LedgerError(_("the ledger changed while the letter was made: run the command again"))
        recorded.append(use)
        events = []
        if rendered is not None:
            events += commands.rendered(ledger, use, *rendered)
        if sent:
            file, sha = rendered if rendered is not None else ("", "")
            events += commands.sent(ledger, use, file=file, sha256=sha, email=email)
        return events

    events = h.record(build)
    return events, recorded[-1]


def archive(h: OpenHome, letter: Composed, today: date, *, sent: bool,
            also: Callable[[Path], Iterable[tuple[Path, bytes]]] | None = None,
            email: dict | None = None) -> Archived:
    """Keep the exact copy in <home>/letters/ and record it (and, if sent, the sending).

    ``also(target)`` may name more files [(path, bytes)] that belong with the letter (the
    e-mail of a dry run): written before the recording, and gone again if it fails."""
    import hashlib  # here, not at the top: OpenSSL's start-up is a cost every other command would pay

    from wikcli.store.files import all_or_nothing, archive_target

    blob = letter.pdf
    digest = hashlib.sha256(blob).hexdigest()
    target = archive_target(h.path / "letters", letter.name, blob)
    # The file first: an event must never point at a letter that is not there; and no
    # letter without its event either, if the recording fails.
    with all_or_nothing() as files:
        files.write(target, blob)
        for path, data in (also(target) if also else ()):
            files.write(path, data)
        _, claim = record(h, letter.claim, today, rendered=(target.name, digest), sent=sent, email=email)
    return Archived(target, digest, claim)


def keep(h: OpenHome, letter: Composed, today: date, *, sent: bool, out: Path | None = None) -> Archived:
    """``wik letter``: the letter archived and recorded as rendered (and as sent on its day,
    if ``sent``), with a copy at ``out`` if asked. A letter recorded as sent by post needs the
    client's address: refused before any file is written (a draft may still be made)."""
    from wikcli.store.files import all_or_nothing

    if sent:
        delivery.no_address(letter.claim.client, letter.claim.via)
    with all_or_nothing() as files:  # the --out copy goes again if archiving fails
        if out is not None:
            files.write(out, letter.pdf)
        return archive(h, letter, today, sent=sent)


def calibration(h: OpenHome, lang: str | None, day: date, out: Path | None) -> Path:
    """The window envelope's test page (config [letters] window_*), written to ``out`` or
    <home>/calibration.pdf; records nothing."""
    from wikcli.documents import envelope
    from wikcli.store.files import all_or_nothing

    blob = envelope.render_calibration(h.config.creditor, h.config.letters.window, lang or h.config.letters.lang, day)
    target = out or h.path / "calibration.pdf"
    with all_or_nothing() as files:
        files.write(target, blob)
    return target


# -- a letter that went out: `wik sent` ---------------------------------------------------------


@dataclass(frozen=True)
class SentLetter:
    """What `wik sent` records: the letter's claim, whether wik printed it (an archived copy
    of that day), and the warnings to show before it is recorded."""

    claim: Claim
    printed: bool
    warnings: tuple[str, ...]


def as_sent(h: OpenHome, ledger, numbers: list[str], kind: str, day: date, via: str, today: date, *,
            force: bool = False) -> SentLetter:
    """The letter that went out on ``day`` by ``via``: the copy wik rendered for exactly these
    invoices, kind and day if there is one (recorded as that very letter), else the claim made
    now; a copy rendered for an earlier day that went out late is named in a warning. Record
    it with ``record(h, s.claim, today, printed=s.printed)``."""
    copy = _rendered(ledger, numbers, kind, day)
    late = None
    if copy is not None:
        claim = claims.adopt(ledger, h.rulebook, numbers, copy, via, today, force=force)
    else:
        claim = claims.compose(ledger, h.rulebook, numbers, kind, day, via, today=today, force=force)
        # A copy rendered for an earlier day that went out only now: its printed last day.
        earlier = _rendered_before(ledger, numbers, kind, day)
        late = claims.late_copy(earlier, claim) if earlier is not None else None
    delivery.no_address(claim.client, claim.via)
    warnings = [w for w in claim.warnings if "postal_delivery_days" in w] + ([late] if late else [])
    return SentLetter(claim, copy is not None, tuple(warnings))


def _copies(ledger, numbers: list[str], kind: str, day: date) -> tuple[list[tuple[int, dict]], int] | None:
    """The letters wik rendered for exactly these invoices and kind, as (seq, data), and the
    seq of the last letter recorded as sent on them (live on ``day``); None for an unknown
    invoice."""
    copies, last_sent = [], 0
    for number in numbers:
        inv = ledger.invoices.get(number)
        if inv is None:
            return None
        for ev in inv.events:
            d = ev.data
            if ev.type == LETTER_SENT and not inv.is_voided(ev.seq, day):
                last_sent = max(last_sent, ev.seq)
            elif (ev.type == LETTER_RENDERED and d.get("kind") == kind and "invoices" in d
                  and sorted(d["invoices"]) == sorted(numbers)):
                copies.append((ev.seq, d))
    return copies, last_sent


def _rendered_before(ledger, numbers: list[str], kind: str, day: date) -> dict | None:
    """The data of the latest letter wik rendered for these invoices and kind dated before
    ``day`` and after every letter recorded as sent on them: the copy that went out late."""
    found = _copies(ledger, numbers, kind, day)
    if found is None:
        return None
    copies, last_sent = found
    best = max((c for c in copies if c[1].get("date", "") < day.isoformat()), key=lambda c: c[0], default=None)
    return None if best is None or best[0] < last_sent else best[1]


def _rendered(ledger, numbers: list[str], kind: str, day: date) -> dict | None:
    """The data of the latest letter wik rendered for exactly these invoices, kind and date."""
    found = _copies(ledger, numbers, kind, day)
    if found is None:
        return None
    best = max((c for c in found[0] if c[1].get("date") == day.isoformat()), key=lambda c: c[0], default=None)
    return None if best is None else best[1]

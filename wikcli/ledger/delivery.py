"""What became of a letter on its way: an e-mail that bounced, a letter by registered post
and its delivery status, and the postal address a letter by post needs.

Checks and messages as in ``commands``: the current ledger + the request -> new events, or
``LedgerError``; nothing here does I/O.
"""

from __future__ import annotations

import re
from datetime import date

from wikcli.i18n import _
from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.ledger.commands import LedgerError, NewEvent, _invoice, check_text
from wikcli.ledger.events import LetterBouncedData, LetterRegisteredData
from wikcli.ledger.model import Client


def _last_letter(ledger: facts.Ledger, number: str, kind: str, via: str, day: date):
    inv = _invoice(ledger, number)
    live = [x for x in inv.live(inv.letters, day) if x.kind == kind and x.via == via]
    if not live:
        raise LedgerError(_("invoice {number!r} has no {kind} sent by {via} on record: "
                            "see `wik invoice show {number}`").format(
                                number=number, kind=_(facts.KIND_NAMES[kind]), via=via))
    return inv, max(live, key=lambda x: (x.day, x.seq))


def bounced(ledger: facts.Ledger, number: str, kind: str, day: date, reason: str) -> list[NewEvent]:
    """The e-mail of the last ``kind`` letter about ``number`` bounced: one ``letter-bounced``
    on each invoice the letter covers. Not received, so not sent: no costs from it."""
    _inv, letter = _last_letter(ledger, number, kind, "email", day)
    if day < letter.day:
        raise LedgerError(_("--date {day} is before the letter's date {letter_date}").format(
            day=day.isoformat(), letter_date=letter.day.isoformat()))
    text = check_text(reason, "--reason")
    members = letter.group or [(ledger.invoices[number], letter)]
    return [LetterBouncedData(day=day, seq=x.seq, kind=kind, letter=x.letter, letter_date=x.day,
                              reason=text).event(inv.number) for inv, x in members]


def registered(ledger: facts.Ledger, number: str, kind: str, day: date, *, barcode: str = "",
               status: str = "") -> list[NewEvent]:
    """The last ``kind`` letter about ``number`` went by registered post: its barcode, and
    later its delivery status (refused and not collected count as received)."""
    inv, letter = _last_letter(ledger, number, kind, "post", day)
    code = "".join(barcode.split()).upper()
    if code and not re.fullmatch(r"[0-9A-Z]{9,30}", code):
        raise LedgerError(_("--barcode {barcode!r} is not a track-and-trace code: expected 9 to 30 letters "
                            "and digits, such as 3SABCD0123456").format(barcode=barcode[:40]))
    if status and status not in events.DELIVERY_STATUSES:
        raise LedgerError(_("--status {status!r} is unknown: expected delivered, refused or not-collected").format(
            status=status))
    if not code:
        known = [r.barcode for r in (LetterRegisteredData.load(e.data) for e in inv.events
                                     if e.type == events.LETTER_REGISTERED) if r.seq == letter.seq]
        if not known:
            raise LedgerError(_("invoice {number!r}: no barcode recorded for the {kind} of "
                                "{day}: give --barcode").format(
                                    number=number, kind=_(facts.KIND_NAMES[kind]), day=letter.day.isoformat()))
        code = known[-1]
    if not status and not barcode:
        raise LedgerError(_("nothing to record: give --barcode and/or --status"))
    members = letter.group or [(inv, letter)]
    return [LetterRegisteredData(day=day, seq=x.seq, kind=kind, letter=x.letter, letter_date=x.day, barcode=code,
                                 status=status or None).event(i.number) for i, x in members]


def no_address(client: Client, via: str) -> None:
    """A letter by post needs somewhere to go: `wik sent` and `wik letter --sent` refuse to
    record one before anything is written (the ledger's own rules do not need an address)."""
    if via == "post" and not (client.address.strip() and client.city.strip()):
        raise LedgerError(
            _("client {id!r} has no postal address, so a letter cannot go by post: add it with "
              "`wik client address {client} --address STREET --postcode CODE --city CITY`, or send it --via email").format(
                  id=client.id, client=client.id))

"""What became of a letter after it went out (`wik bounced`, `wik registered`) as a Python
API: the proof of its receipt, or of its not being received, recorded through the one write
path. The rules are ``ledger/delivery.py``'s; this records what they decide."""

from __future__ import annotations

from datetime import date

from wikcli.ledger import delivery
from wikcli.services.home import OpenHome
from wikcli.store.lines import Event


def bounced(home: OpenHome, number: str, kind: str, day: date, reason: str = "") -> list[Event]:
    """The e-mail of the last letter of ``kind`` about ``number`` bounced on ``day``: one
    ``letter-bounced`` event per invoice that letter covers (the events recorded)."""
    return home.record(lambda ledger: delivery.bounced(ledger, number, kind, day, reason))


def registered(home: OpenHome, number: str, kind: str, day: date, *, barcode: str = "",
               status: str = "") -> list[Event]:
    """The last letter of ``kind`` about ``number`` went by registered post (``barcode``),
    and what became of it (``status``: delivered, refused, not-collected) on ``day``."""
    return home.record(lambda ledger: delivery.registered(ledger, number, kind, day, barcode=barcode,
                                                          status=status))

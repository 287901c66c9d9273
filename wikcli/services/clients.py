"""A client (debtor) added, its postal address, its agreed terms and its e-mail's provenance
(`wik client add | address | terms | email`) as a Python API: recorded through the one write
path, the rules ``ledger/client_commands.py``'s. Values come in as typed and checked by the
caller (``rules/addresses.py`` normalises a postcode, a country, an e-mail address)."""

from __future__ import annotations

from datetime import date

from wikcli.ledger import client_commands
from wikcli.ledger.model import Client
from wikcli.services.home import OpenHome
from wikcli.store.lines import Event


def add(home: OpenHome, client: Client, day: date, *, allow_duplicate_name: bool = False,
        interest=client_commands.KEEP, costs=client_commands.KEEP, clause: str | None = None,
        start: date | None = None) -> list[Event]:
    """Add ``client``; with agreed ``interest`` and/or ``costs`` (a business client's general
    terms, for its invoices dated from ``start`` on) in the same transaction."""
    def build(ledger):
        events = client_commands.add_client(ledger, client, allow_duplicate_name=allow_duplicate_name)
        if interest is not client_commands.KEEP or costs is not client_commands.KEEP:
            events += client_commands.agree_terms(ledger, day, new_client=client, interest=interest, costs=costs,
                                                  clause=clause, start=start)
        return events

    return home.record(build)


def address(home: OpenHome, client_id: str, street: str, postcode: str, city: str, country: str,
            day: date) -> list[Event]:
    """The client's postal address from ``day`` on (a letter already sent keeps its own)."""
    return home.record(lambda ledger: client_commands.set_address(ledger, client_id, street, postcode, city,
                                                                  country, day))


def terms(home: OpenHome, client_id: str, day: date, *, start: date, interest=client_commands.KEEP,
          costs=client_commands.KEEP, clause: str | None = None) -> list[Event]:
    """What a business client agreed, for its invoices dated from ``start`` on: ``interest``
    and ``costs`` as ``rules/agreed.py`` parses them, None to end them, ``client_commands.KEEP``
    to keep them."""
    return home.record(lambda ledger: client_commands.agree_terms(ledger, day, client_id=client_id, start=start,
                                                                  interest=interest, costs=costs, clause=clause))


def email(home: OpenHome, client_id: str, day: date, *, source: str, given: date | None = None,
          letters: bool = False, replace: str = "") -> list[Event]:
    """Where the client's e-mail address came from (``source``, given on ``given``), whether
    it agreed to letters by e-mail, and a new address (``replace``) if one is given."""
    return home.record(lambda ledger: client_commands.client_email(ledger, client_id, day, source=source,
                                                                   given=given, letters=letters, email=replace))

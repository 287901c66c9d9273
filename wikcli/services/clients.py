"""A client (debtor) added, its postal address, its agreed terms and its e-mail's provenance
(`wik client add | address | terms | email`) as a Python API: recorded through the one write
path, the rules ``ledger/client_commands.py``'s. Values come in as typed and checked by the
caller (``rules/addresses.py`` normalises a postcode, a country, an e-mail address). And
read: every client (`wik client list`), one client with its invoices and account (`show`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wikcli.i18n import _
from wikcli.ledger import client_account, client_commands, commands, steps
from wikcli.ledger.model import Client
from wikcli.rules import agreed
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


# -- reading: `wik client list | show` -------------------------------------------------------

@dataclass(frozen=True)
class ClientEntry:
    """A client as `wik client list` gives it: whether it was forgotten (erased), and the
    terms it agreed, each with the day it was recorded."""
    client: Client
    forgotten: bool
    terms: tuple[tuple[date, agreed.Terms], ...]

    def to_json(self) -> dict:
        d = dict(self.client.__dict__)
        d["forgotten"] = self.forgotten
        d["terms"] = [dict(t.to_json(), recorded=day.isoformat()) for day, t in self.terms]
        return d


def _entry(ledger, c: Client) -> ClientEntry:
    return ClientEntry(c, c.id in ledger.forgotten, tuple(ledger.terms.get(c.id, ())))


def listing(home: OpenHome) -> list[ClientEntry]:
    """Every client, by id."""
    ledger = home.ledger()
    return [_entry(ledger, c) for c in sorted(ledger.clients.values(), key=lambda c: c.id)]


@dataclass(frozen=True)
class ClientDetail:
    """`wik client show`: the client, its invoices as they stand on ``day`` (each on its own
    date at the earliest, in the ledger's order) and its account (credit held)."""
    entry: ClientEntry
    day: date
    invoices: list[steps.Assessment]
    account: client_account.Account

    def to_json(self) -> dict:
        d = self.entry.to_json()
        d["invoices"] = [r.to_json() | {"closed": r.closed} for r in self.invoices]
        d["account"] = self.account.to_json()
        return d


def show(home: OpenHome, client_id: str, day: date) -> ClientDetail:
    """Client ``client_id`` (any case) on ``day``; ``LedgerError`` if it is not known."""
    ledger = home.ledger()
    c = commands.find_client(ledger, client_id)
    if c is None:
        raise commands.LedgerError(_("client {value!r} is not in the ledger: see `wik client list`").format(
            value=client_id[:80]))
    rows = [steps.assess(inv, c, home.rulebook, max(day, inv.date))
            for inv in ledger.invoices.values() if inv.client == c.id]
    return ClientDetail(_entry(ledger, c), day, rows, client_account.account(ledger, c.id, home.rulebook, day))

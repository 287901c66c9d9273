"""The opened wik home every ledger command works on, and the options they share.

Each write opens a journal transaction (locked), folds the events into the current state,
asks the ledger's commands for the new events and appends them; a refusal writes nothing. Reads fold
the journal and print what ``process`` derives. Both read through the snapshot beside the
journal, so that they parse only what was appended since it was made.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, UTC
from pathlib import Path
from typing import Annotated
from collections.abc import Callable

import typer

from wikcli.cli.common import emit_json, parse_date, resolve_today
from wikcli.i18n import _

DateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="DATE",
    help=_("The day it happened (2026-03-03, 3-3-2026 or 3 maart 2026). Default: today."))]
NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help=_("The invoice number."),
                                          show_default=False)]

KindOpt = Annotated[str | None, typer.Option(
    "--kind", metavar="reminder|wik|default",
    help=_("Which letter; Dutch words work too (herinnering, aanmaning, 14-dagenbrief, ingebrekestelling). "
    "Default: the one the invoices' next action calls for."))]
LangOpt = Annotated[str | None, typer.Option(
    "--lang", metavar="nl|en", help=_("Language. Default: the client's language."))]
NumbersArg = Annotated[list[str] | None, typer.Argument(
    metavar="[NUMBER]...", help=_("The invoice number(s) the letter is about: one letter for all of them."),
    show_default=False)]
ClientOpt = Annotated[str | None, typer.Option(
    "--client", metavar="ID",
    help=_("Instead of numbers: every open invoice of this client the letter's kind may cover on its date."))]

AgreedInterestOpt = Annotated[str | None, typer.Option(
    "--agreed-interest", metavar="TERMS",
    help=_('Business only: the interest the terms set, e.g. "1% per maand", "12% per jaar samengesteld" '
    'or "wettelijke handelsrente + 2%"; "none" ends it.'))]
AgreedCostsOpt = Annotated[str | None, typer.Option(
    "--agreed-costs", metavar="TERMS",
    help=_('Business only: the collection costs the terms set, e.g. "15%, min 150", "15%, min 150, max 2500" '
    'or "250" (never below 40,00); "none" ends them.'))]
ClauseOpt = Annotated[str | None, typer.Option(
    "--clause", metavar="TEXT",
    help=_('Where the terms say so, as letters quote it: "artikel 8 van onze algemene voorwaarden".'))]


def agreed_terms(interest: str | None, costs: str | None, *, allow_none: bool = True):
    """The parsed --agreed-interest / --agreed-costs: a value, None ("none"), or client_commands.KEEP."""
    from wikcli.rules import agreed
    from wikcli.ledger import client_commands

    def one(text, parse, option):
        if text is None:
            return client_commands.KEEP
        if text.strip().lower() in ("none", "geen"):
            if not allow_none:
                raise agreed.TermsError(_("{option} none: there is nothing to end yet").format(option=option))
            return None
        return parse(text, option)

    return (one(interest, agreed.parse_interest, "--agreed-interest"),
            one(costs, agreed.parse_costs, "--agreed-costs"))


class Home:
    """An opened wik home: config, journal and the paths derived from it."""

    def __init__(self, home_opt: str | None):
        import os

        from wikcli.store import config, journal

        self.path: Path = config.resolve_home(home_opt, os.environ)
        self.config = config.load(self.path)
        self.journal = journal.Journal(self.path)
        _name_conflicts(self.path)

    @property
    def policy(self):
        return self.config.policy

    @functools.cached_property
    def rulebook(self):
        """What this home computes by: the config's policy and VAT position, ``<home>/rates.toml``
        over the packaged rates, the holiday calendar. Made when a command first needs it, so a
        command that computes nothing never reads (or trips over) the rates file."""
        from wikcli.store import config

        return config.rulebook(self.config, self.path)

    def ledger(self):
        """The ledger, read through the snapshot beside the journal (see ``snapshot``)."""
        from wikcli.store import snapshot

        return snapshot.read(self.journal, _log())

    def overview(self, day, *, include_closed: bool = False, as_json: bool = False):
        """``wik status``'s rows on ``day`` (see ``overview``): call ``.keep()`` once shown.
        A new day on a large ledger draws a progress bar on a terminal (not under --json)."""
        from wikcli.cli.progress import progress
        from wikcli.store import overview

        with progress("Assessing invoices", as_json=as_json) as tick:
            return overview.compute(self.journal, self.rulebook, day,
                                    include_closed=include_closed, log=_log(), tick=tick)

    def record(self, build: Callable) -> list:
        """Append the events ``build(ledger)`` returns, under the journal's lock."""
        from wikcli.store import snapshot

        return snapshot.record(self.journal, datetime.now(UTC), build, _log())


def _name_conflicts(path: Path) -> None:
    """Every command that opens the home names a sync conflict copy beside the journal."""
    from wikcli.store import conflicts
    from wikcli.cli.common import warn

    copies = conflicts.find(path)
    if copies:
        warn([f"{conflicts.message(copies)}; until then nothing can be recorded"])


def _log():
    """Where the snapshot says how the ledger was read: stderr under ``--verbose``, else nowhere."""
    from wikcli.cli import common

    if not common.VERBOSE:
        return None
    from wikcli.store.snapshot import stderr_log

    return stderr_log


def day_or_today(value: str | None, today: str | None, what: str = "--date") -> date:
    return parse_date(value, what) if value else resolve_today(today)


def done(as_json: bool, events: list, message: str) -> None:
    if as_json:
        emit_json([{"seq": e.seq, "at": e.at, "type": e.type, "invoice": e.invoice, "data": e.data}
                   for e in events])
    else:
        typer.echo(message)

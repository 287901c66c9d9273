"""The opened wik home every ledger command works on, and the options they share.

Each write opens a journal transaction (locked), folds the events into the current state,
asks ``decide`` for the new events and appends them; a refusal writes nothing. Reads fold
the journal and print what ``process`` derives.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Callable

import typer

from wikcli.cli.common import emit_json, parse_date, resolve_today

DateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="DATE",
    help="The day it happened (2026-03-03, 3-3-2026 or 3 maart 2026). Default: today.")]
NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="The invoice number.",
                                          show_default=False)]


class Home:
    """An opened wik home: config, journal and the paths derived from it."""

    def __init__(self, home_opt: str | None):
        import os

        from wikcli import config, journal

        self.path: Path = config.resolve_home(home_opt, os.environ)
        self.config = config.load(self.path)
        self.journal = journal.Journal(self.path)

    @property
    def policy(self):
        return self.config.policy

    @property
    def vat_deductible(self) -> bool:
        return self.config.creditor.vat_deductible

    def ledger(self):
        from wikcli import process

        return process.fold(self.journal.events())

    def record(self, build: Callable) -> list:
        """Append the events ``build(ledger)`` returns, under the journal's lock."""
        from wikcli import process

        with self.journal.transaction(datetime.now(timezone.utc)) as tx:
            ledger = process.fold(tx.events)
            return [tx.append(*ev) for ev in build(ledger)]


def day_or_today(value: str | None, today: str | None, what: str = "--date") -> date:
    return parse_date(value, what) if value else resolve_today(today)


def done(as_json: bool, events: list, message: str) -> None:
    if as_json:
        emit_json([{"seq": e.seq, "at": e.at, "type": e.type, "invoice": e.invoice, "data": e.data}
                   for e in events])
    else:
        typer.echo(message)

"""The home every ledger command works on, opened for a terminal (``open_home``: the store's
``Home`` with warnings, ``--verbose`` and the progress bar wired in), and the options and
output the ledger commands share."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from wikcli.cli.common import emit_json, parse_date, resolve_today
from wikcli.i18n import _

if TYPE_CHECKING:  # the store loads when a command opens the home, not for --help
    from wikcli.store.home import Home

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


def open_home(home_opt: str | None) -> Home:
    """The home a command works on (``--home``, ``WIK_HOME`` or the folder searched for),
    opened with the terminal's voice: a sync conflict copy named on stderr, ``--verbose``'s
    log, a progress bar over long work."""
    import os

    from wikcli.cli import common
    from wikcli.cli.progress import progress
    from wikcli.store import config
    from wikcli.store.home import Home

    path = config.resolve_home(home_opt, os.environ)
    return Home.open(path, warn=lambda message: common.warn([message]), log=_log(), progress=progress)


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

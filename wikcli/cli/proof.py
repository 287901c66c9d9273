"""``wik bounced``, ``wik registered``: what became of a letter after it went out, the proof
of its receipt (or of its not being received) a court asks for."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, parse_kind
from wikcli.cli.home import day_or_today, done, open_home
from wikcli.i18n import _

KindArg = Annotated[str, typer.Option("--kind", metavar="KIND", help=_("reminder, wik or default."))]
NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help=_("An invoice the letter covers."),
                                          show_default=False)]


@app.command()
def bounced(
    number: NumberArg,
    kind: KindArg,
    date_: Annotated[str | None, typer.Option("--date", metavar="DATE",
                                              help=_("When the bounce came back. Default: today."))] = None,
    reason: Annotated[str, typer.Option("--reason", help=_("What the bounce said."))] = "",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the e-mail of a letter bounced: not received, so the letter counts as not
    sent (no costs are owed from it) and its step is due again, by post.

    Example:

    \b
        wik bounced 2026-094 --kind reminder --reason "550 5.1.1 mailbox unavailable"
    """
    from wikcli.ledger.events import LetterBouncedData
    from wikcli.services import delivery

    k = parse_kind(kind)
    day = day_or_today(date_, today)
    h = open_home(home)
    events = delivery.bounced(h, number, k, day, reason)
    done(as_json, events, _("Recorded the bounce of the e-mail of {value} ({value2}): not received; send it again by " "post.").format(value=LetterBouncedData.load(events[0].data).letter_date, value2=', '.join(e.invoice or '' for e in events)))


@app.command()
def registered(
    number: NumberArg,
    kind: KindArg,
    barcode: Annotated[str, typer.Option("--barcode", metavar="CODE",
                                         help=_("The track-and-trace code of the registered letter."))] = "",
    status: Annotated[str, typer.Option(
        "--status", metavar="delivered|refused|not-collected",
        help=_("What became of it (refused and not collected count as received)."))] = "",
    date_: Annotated[str | None, typer.Option("--date", metavar="DATE",
                                              help=_("The day of the status. Default: today."))] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the last letter of KIND went by registered post: its barcode, and later
    its delivery status.

    Example:

    \b
        wik registered 2026-058 --kind default --barcode 3SABCD0123456
        wik registered 2026-058 --kind default --status refused --date gisteren
    """
    from wikcli.ledger.events import LetterRegisteredData
    from wikcli.services import delivery

    k = parse_kind(kind)
    day = day_or_today(date_, today)
    h = open_home(home)
    events = delivery.registered(h, number, k, day, barcode=barcode, status=status)
    d = LetterRegisteredData.load(events[0].data)
    done(as_json, events, _("Recorded registered letter {barcode} of {day}: {status} on {date}.").format(
        barcode=d.barcode, day=d.letter_date, status=d.status, date=d.day) if d.status
         else _("Recorded registered letter {barcode} of {day}.").format(barcode=d.barcode, day=d.letter_date))

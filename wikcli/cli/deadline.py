"""``wik deadline``: when a letter counts as received and when its term runs out."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import JsonOpt, emit_json, parse_date

_DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _show(day: date) -> str:
    return f"{day.isoformat()} ({_DAY[day.weekday()]})"


@app.command()
def deadline(
    sent: Annotated[str, typer.Option(
        "--sent", metavar="DATE", help="The day the letter was posted or e-mailed (YYYY-MM-DD).",
        show_default=False)],
    via: Annotated[str, typer.Option(
        "--via", metavar="post|email",
        help="post: delivered on the 2nd day after posting, Sundays, Mondays and holidays not "
        "counted; email: received the same day.")] = "post",
    days: Annotated[int, typer.Option(
        "--term", metavar="DAYS", help="Length of the term in days (1 to 365).")] = 14,
    as_json: JsonOpt = False,
) -> None:
    """The delivery day, the term and the first day the collection costs are owed.

    The term runs from the day after delivery; a last day on a Saturday, Sunday or holiday
    moves to the next working day (Algemene termijnenwet art. 1).

    Example:

    \b
        wik deadline --sent 24-12-2026
        wik deadline --sent 2026-11-24 --term 8 --json
    """
    # The domain pulls in the holiday tables, so it loads only when the command runs.
    from wikcli import deadlines

    result = deadlines.term(parse_date(sent, "--sent"), via.strip().lower(), days)
    if as_json:
        emit_json(result.to_json())
        return
    how = "by post" if result.via == deadlines.POST else "by e-mail"
    lines = [
        f"Sent:            {_show(result.sent)} {how}",
        f"Delivered:       {_show(result.delivered)}"
        + (", assumed: the 2nd delivery day after posting" if result.via == deadlines.POST
           else ", e-mail is received the day it is sent"),
        f"Term:            {result.term_days} days, {_show(result.term_starts)} to {_show(result.last_day)}",
        f"Costs owed from: {_show(result.costs_due_from)}",
    ]
    for skip in result.skipped:
        if skip.day <= result.delivered:
            lines.append(f"  {_show(skip.day):<22}  not a delivery day: {skip.why}")
        else:
            lines.append(f"  {_show(skip.day):<22}  last day moved on (Atw art. 1): {skip.why}")
    typer.echo("\n".join(lines))

"""``wik status`` and ``wik check``: what is open and what is due today."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json_rows, resolve_today)
from wikcli.cli.home import open_home
from wikcli.i18n import _, ngettext

if TYPE_CHECKING:
    from wikcli.store.home import Home


@app.command()
def status(
    all_: Annotated[bool, typer.Option("--all", help=_("Include closed invoices."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every open invoice, most urgent first: step, next action, when it is due.

    Example:

    \b
        wik status
        wik status --all --json
    """
    from wikcli.cli.common import warn
    from wikcli.services import status as status_service

    h = open_home(home)
    day = resolve_today(today)
    view = status_service.status(h, day, include_closed=all_, quiet=as_json)
    rows = view.rows
    warn(view.warnings)
    if as_json:
        emit_json_rows(a.to_json() for a in rows)
        view.keep()
        return
    from wikcli.cli.common import status_table

    status_table(rows, day)
    view.keep()


@app.command()
def check(
    mail: Annotated[bool, typer.Option(
        "--mail", help=_("E-mail the due actions to your own address (creditor.email) through the [smtp] "
        "server of config.toml instead of printing them: for a cron job on a machine without local mail. "
        "Sends nothing when nothing is due; exits 0 once sent, 2 if sending fails."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """For cron: prints nothing and exits 0 when no action is due today; otherwise one line
    per due action and exit code 1 (2 on any error).

    Example:

    \b
        wik check
        wik check --json
    """
    from wikcli.services import status as status_service

    if mail and as_json:
        from wikcli.errors import OptionError

        raise OptionError(_("give --mail or --json, not both"))
    h = open_home(home)
    day = resolve_today(today)
    view = status_service.due(h, day, quiet=as_json or mail)
    due = view.due
    if mail:
        if due:
            _mail(h, day, due, dated=today is not None)
        view.keep()
        return
    if as_json:
        emit_json_rows(a.to_json() for a in due)
    else:
        for a in due:
            typer.echo(_due_line(a))
    view.keep()
    if due:
        raise typer.Exit(1)


def _due_line(a) -> str:
    from wikcli.cli.common import shown

    late = ngettext(", {days} day overdue", ", {days} days overdue", a.overdue_days).format(
        days=a.overdue_days) if a.overdue_days else ""
    return _("{invoice}: {action} due {date}{late}").format(
        invoice=a.invoice, action=shown(a.next_action), date=a.action_due, late=late)


def _mail(h: Home, day, due: list, *, dated: bool) -> None:
    """The day's due actions to the creditor's own address, through the configured server."""
    import os

    from wikcli.store import config
    from wikcli.documents import email
    from wikcli.cli.common import moment_on
    from wikcli.rules.money import format_eur

    smtp = h.config.smtp
    if smtp is None:
        raise config.ConfigError(_("{CONFIG_NAME} has no [smtp] table: `wik check --mail` sends through your mail server " "(`wik init --sample-config` writes sample-config.toml, with every key)").format(CONFIG_NAME=config.CONFIG_NAME))
    creditor = h.config.creditor
    to = creditor.email or smtp.sender
    sender = smtp.sender or creditor.email
    if not to:
        raise config.ConfigError(_("{CONFIG_NAME}: no address to mail to: set creditor.email").format(CONFIG_NAME=config.CONFIG_NAME))
    lines = [f"{_due_line(a)}  " + _("({client}, {amount} open)").format(client=a.client, amount=format_eur(a.total))
             for a in due]
    heading = ngettext("{count} action(s) due on {day}", "{count} action(s) due on {day}", len(due)).format(
        count=len(due), day=day.isoformat())
    body = (heading + ":\n\n" + "\n".join(lines) + "\n\n"
            + _("See them all with: {command}").format(command=f"wik status --home {h.path}") + "\n")
    msg = email.build_message(sender=sender, sender_name=f"wik ({creditor.name})", to=to,
                               subject=f"wik: {heading}", body=body,
                               when=moment_on(day) if dated else None)
    email.send(msg, smtp, os.environ)

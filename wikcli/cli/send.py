"""``wik send``: e-mail an invoice's letter (or a client's statement of account) with the PDF
attached and record it as sent. The use case, and how it sends exactly once, is
``services/mail.py``; this module reads the options and prints what became of the message."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, moment_on, parse_kind, resolve_today
from wikcli.cli.home import ClientOpt, KindOpt, LangOpt, NumbersArg, open_home
from wikcli.i18n import _, ngettext


@app.command()
def send(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: KindOpt = None,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="ADDRESS", help=_("Send to this address. Default: the client's e-mail."))] = None,
    lang: LangOpt = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=_("Write the message to <home>/outbox/ as an .eml file instead of sending it."))] = False,
    statement: Annotated[str | None, typer.Option(
        "--statement", metavar="CLIENT",
        help=_("Send the client's statement of account (as `wik statement` makes it) instead of a letter."))] = None,
    resend: Annotated[bool, typer.Option(
        "--resend", help=_("Send a letter again whose earlier e-mail has no known outcome (the server may "
                         "have it)."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """E-mail the letter of one or more invoices' next step (PDF attached) and record it as sent.

    The letter is dated today and, sent by e-mail, counts as received today: its term runs
    from today. It covers the invoices named (of one client) or, with --client and --kind,
    every open invoice of the client the letter may cover. With --statement CLIENT it sends the
    client's statement of account instead (as `wik statement` makes it, dated today). SMTP
    settings come from [smtp] in config.toml; the password only from the environment variable
    it names.

    Example:

    \b
        wik send --statement bakkerij --dry-run
        wik send 2026-094 --kind herinnering
    """
    import os

    from wikcli.cli.common import warn
    from wikcli.errors import OptionError
    from wikcli.services import letters, mail

    letters.check_lang(lang)
    kind = parse_kind(kind) if kind else None
    h = open_home(home)
    smtp = mail.smtp_settings(h, dry_run=dry_run)
    day = resolve_today(today)
    clock = (lambda: moment_on(day)) if today else None
    ledger = h.ledger()
    if statement is not None:
        if numbers or client or kind:
            raise OptionError(_("--statement sends a client's statement: give no invoice numbers, "
                                "--client or --kind with it"))
        out = mail.statement(h, ledger, statement, day, to=to, lang=lang, clock=clock)
        warn(out.warnings)
        _report_statement(as_json, mail.send_statement(h, out, day, smtp, os.environ, dry_run=dry_run))
        return
    wanted, kind = letters.covered(h, ledger, numbers, client, kind, day, day)
    out = mail.letter(h, ledger, wanted, kind, day, to=to, lang=lang, dry_run=dry_run, clock=clock)
    warn(out.warnings)
    if dry_run:
        _report(as_json, mail.to_outbox(h, out, day))
        return
    assert smtp is not None  # refused above unless a dry run, which has returned
    _report(as_json, mail.send(h, out, day, smtp, os.environ, resend=resend, clock=clock))


def _report(as_json: bool, m) -> None:
    """What ``wik send`` prints of a letter (``services.mail.Mailed``)."""
    email = m.email
    if as_json:
        emit_json({"invoice": m.numbers[0], "invoices": list(m.numbers), "kind": m.kind, "date": m.day.isoformat(),
                   "to": m.to, "sent": m.sent, "archived": str(m.archived), "sha256": m.sha256,
                   "eml": str(m.eml) if m.eml else None,
                   "message_id": email["message_id"] if email else None,
                   "reply": email["reply"] if email else None,
                   "accepted_at": email["accepted_at"] if email else None})
        return
    if m.eml is not None:
        typer.echo(str(m.eml))
        return
    from wikcli.ledger.facts import KIND_NAMES

    typer.echo(ngettext("Sent the {kind} of invoice {numbers} to {to}; archived as {path}",
                        "Sent the {kind} of invoices {numbers} to {to}; archived as {path}", len(m.numbers))
               .format(kind=_(KIND_NAMES[m.kind]), numbers=", ".join(m.numbers), to=m.to, path=m.archived))
    if email:
        typer.echo(_("  server reply {reply!r} at {at}; Message-ID {id}").format(
            reply=email["reply"], at=email["accepted_at"], id=email["message_id"]))


def _report_statement(as_json: bool, m) -> None:
    """What ``wik send --statement`` prints (``services.mail.MailedStatement``)."""
    from wikcli.rules.money import to_str

    if as_json:
        emit_json({"client": m.client, "date": m.day.isoformat(), "to": m.to, "sent": m.sent,
                   "archived": str(m.archived), "sha256": m.sha256, "eml": str(m.eml) if m.eml else None,
                   "due_now": to_str(m.due_now)})
    elif m.eml is not None:
        typer.echo(str(m.eml))
    else:
        typer.echo(_("Sent the statement of {client} to {to}; archived as {path}").format(
            client=m.client, to=m.to, path=m.archived))

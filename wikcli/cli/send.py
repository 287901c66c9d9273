"""``wik send``: render an invoice's letter, e-mail it with the PDF attached, record it as sent.

Order matters for what the journal says: everything that can be refused (the invoice, the
address, the letter itself, the recording) is checked before the message leaves; the letter
is archived and recorded only after the server accepted it. A failed send leaves no trace
(no archived copy, no event): run the command again. ``--dry-run`` writes the message to
``<home>/outbox/`` instead and records only that the letter was rendered.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, moment_on, parse_kind, resolve_today
from wikcli.cli.home import Home, NumberArg
from wikcli.cli.letter import KindOpt, LangOpt

VIA = "email"


@app.command()
def send(
    number: NumberArg,
    kind: KindOpt = None,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="ADDRESS", help="Send to this address. Default: the client's e-mail.")] = None,
    lang: LangOpt = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Write the message to <home>/outbox/ as an .eml file instead of sending it.")] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """E-mail the letter of an invoice's next step (PDF attached) and record it as sent.

    The letter is dated today and, sent by e-mail, counts as received today: its term runs
    from today. SMTP settings come from [smtp] in config.toml; the password only from the
    environment variable it names.

    Example:

    \b
        wik send 2026-101 --kind herinnering --dry-run
        wik send 2026-072 --to ad@meijer.nl
    """
    import os

    from wikcli import config, decide, letters, mailer
    from wikcli.cli.letter import archive, compose
    from wikcli.errors import WikError

    if lang is not None and lang not in ("nl", "en"):
        raise decide.LedgerError(f"--lang {lang!r} is unknown: expected nl or en")
    kind = parse_kind(kind) if kind else None
    h = Home(home)
    smtp = h.config.smtp
    if smtp is None and not dry_run:
        raise config.ConfigError(
            f"{config.CONFIG_NAME} has no [smtp] table: add one with your mail server to send letters "
            "by e-mail (sample-config.toml shows every key)")
    day = resolve_today(today)
    ledger = h.ledger()
    inv = ledger.invoices.get(number)
    if inv is None:
        raise decide.LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    client = ledger.clients[inv.client]
    recipient = (to or client.email).strip()
    if not recipient:
        raise decide.LedgerError(f"invoice {number!r}: client {client.id!r} has no e-mail address: "
                                 "give --to ADDRESS")
    sender = (smtp.sender if smtp else "") or h.config.creditor.email
    if not sender:
        raise config.ConfigError(f"{config.CONFIG_NAME}: no sender address: set smtp.sender or creditor.email")

    data, text, blob, name = compose(h, ledger, number, kind, day, VIA, lang)
    kind = data.kind
    # Would the journal take it? Asked now, so a refused recording never follows a sent message.
    decide.sent(ledger, number, kind, day, VIA, h.policy, h.vat_deductible)
    body = letters.render_email(data, text, name, letters.template_dirs(h.path))
    msg = mailer.build_message(
        sender=sender, sender_name=h.config.creditor.name, to=recipient,
        subject=letters.strip_markup(text.subject), body=body, attachment_name=name, pdf=blob,
        when=moment_on(day) if today else None)

    if dry_run:
        outbox = h.path / "outbox"
        target, digest = archive(h, number, kind, day, blob, name,
                                 also=lambda t: [(outbox / (t.stem + ".eml"), msg.as_bytes())])
        eml = outbox / (target.stem + ".eml")
        _report(as_json, number, kind, day, recipient, target, digest, sent=False, eml=eml)
        return

    mailer.send(msg, smtp, os.environ)
    try:
        target, digest = archive(h, number, kind, day, blob, name, sent_via=VIA)
    except (WikError, OSError) as e:
        # The message is out; say so, or the user would send it twice.
        raise mailer.MailError(
            f"invoice {number!r}: the {kind} letter was e-mailed to {recipient} but could not be recorded "
            f"({' '.join(str(e).split())}): record it with `wik sent {number} --kind {kind} --via email "
            f"--date {day.isoformat()}`") from None
    _report(as_json, number, kind, day, recipient, target, digest, sent=True)


def _report(as_json: bool, number: str, kind: str, day, to: str, archived, digest: str, *,
            sent: bool, eml=None) -> None:
    if as_json:
        emit_json({"invoice": number, "kind": kind, "date": day.isoformat(), "to": to, "sent": sent,
                   "archived": str(archived), "sha256": digest, "eml": str(eml) if eml else None})
        return
    if eml is not None:
        typer.echo(str(eml))
    else:
        from wikcli.process import KIND_NAMES

        typer.echo(f"Sent the {KIND_NAMES[kind]} of invoice {number} to {to}; archived as {archived}")

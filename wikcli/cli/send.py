"""``wik send``: render an invoice's letter, e-mail it with the PDF attached, record it as sent.

Order matters for what the journal says: everything that can be refused (the invoice, the
address, the letter itself, the recording) is checked before the message leaves; the letter
is archived and recorded only after the server accepted it, with the server's reply and the
moment of acceptance (the proof of receipt by e-mail).

Sending exactly once: the message's Message-ID is made, and the attempt recorded
(``mail-attempt``), before anything is handed to the server. A refusal before the message
was handed over (no connection, login, recipient, or the server's answer to DATA) closes
the attempt (``mail-failed``): run the command again. No reply after the message was handed
over (a timeout), or wik stopped before it recorded the acceptance (a kill), leaves the
attempt open with an unknown outcome, and the next ``wik send`` of that letter refuses
without ``--resend``, naming the Message-ID to look for in the sent mail. ``--dry-run``
writes the message to ``<home>/outbox/`` instead and records only that the letter was
rendered.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, moment_on, parse_kind, resolve_today
from wikcli.cli.home import ClientOpt, Home, KindOpt, LangOpt, NumbersArg

VIA = "email"


@app.command()
def send(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: KindOpt = None,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="ADDRESS", help="Send to this address. Default: the client's e-mail.")] = None,
    lang: LangOpt = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Write the message to <home>/outbox/ as an .eml file instead of sending it.")] = False,
    statement: Annotated[str | None, typer.Option(
        "--statement", metavar="CLIENT",
        help="Send the client's statement of account (as `wik statement` makes it) instead of a letter.")] = None,
    resend: Annotated[bool, typer.Option(
        "--resend", help="Send a letter again whose earlier e-mail has no known outcome (the server may "
                         "have it).")] = False,
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

    from wikcli.store import config
    from wikcli.ledger import commands as decide
    from wikcli.documents import letter as letters, email as mailer
    from wikcli.cli.letter import archive, compose, covered
    from wikcli.errors import WikError

    if lang is not None and lang not in ("nl", "en"):
        raise decide.LedgerError(f"--lang {lang!r} is unknown: expected nl or en")
    kind = parse_kind(kind) if kind else None
    h = Home(home)
    smtp = h.config.smtp
    if smtp is None and not dry_run:
        raise config.ConfigError(
            f"{config.CONFIG_NAME} has no [smtp] table: add one with your mail server to send letters "
            "by e-mail (`wik init --sample-config` writes sample-config.toml, with every key)")
    day = resolve_today(today)
    ledger = h.ledger()
    if statement is not None:
        if numbers or client or kind:
            raise decide.LedgerError("--statement sends a client's statement: give no invoice numbers, "
                                     "--client or --kind with it")
        _send_statement(h, ledger, statement, to, lang, dry_run, day, as_json, dated=today is not None)
        return
    wanted, kind = covered(h, ledger, numbers, client, kind, day, day)
    inv = ledger.invoices.get(wanted[0])
    if inv is None:
        raise decide.LedgerError(f"invoice {wanted[0][:80]!r} is not in the ledger: see `wik invoice list`")
    debtor = ledger.clients[inv.client]
    from wikcli.ledger.claims import ClaimError, email_refusal

    unagreed = email_refusal(debtor, kind, VIA)
    if unagreed and not dry_run:
        raise ClaimError(unagreed)
    recipient = (to or debtor.email).strip()
    if not recipient:
        raise decide.LedgerError(f"invoice {wanted[0]!r}: client {debtor.id!r} has no e-mail address: "
                                 "give --to ADDRESS")
    sender = (smtp.sender if smtp else "") or h.config.creditor.email
    if not sender:
        raise config.ConfigError(f"{config.CONFIG_NAME}: no sender address: set smtp.sender or creditor.email")

    # Everything that can be refused (the invoices, the letter, its claim) is asked now, so a
    # refused recording never follows a sent message.
    claim, data, text, blob, name = compose(h, ledger, wanted, kind, day, VIA, day, lang)
    body = letters.render_email(data, text, name, letters.template_dirs(h.path))
    msg = mailer.build_message(
        sender=sender, sender_name=h.config.creditor.name, to=recipient,
        subject=letters.strip_markup(text.subject), body=body, attachment_name=name, pdf=blob,
        when=moment_on(day) if today else None)
    label = ", ".join(claim.numbers)

    if dry_run:
        outbox = h.path / "outbox"
        target, digest = archive(h, claim, blob, name, day, sent=False,
                                 also=lambda t: [(outbox / (t.stem + ".eml"), msg.as_bytes())])
        eml = outbox / (target.stem + ".eml")
        _report(as_json, claim.numbers, kind, day, recipient, target, digest, sent=False, eml=eml)
        return

    message_id = str(msg["Message-ID"])
    moment = (lambda: moment_on(day)) if today else None
    started = (moment or _utcnow)().isoformat(timespec="seconds")
    assert smtp is not None  # refused above unless a dry run, which has returned
    mailer.check_password(smtp, os.environ)
    # The attempt first, under the lock: an attempt of unknown outcome refuses here.
    h.record(lambda ledger: decide.mail_attempt(ledger, claim, to=recipient, message_id=message_id, file=name,
                                                at=started, resend=resend))
    try:
        receipt = mailer.send(msg, smtp, os.environ, clock=moment)
    except mailer.MailError as e:
        if e.handed:
            raise mailer.MailError(
                f"invoice {label}: {e} (Message-ID {message_id}); recorded as an attempt of unknown outcome: "
                f"`wik send` will not send this letter again without --resend") from None
        reason = str(e)
        try:
            h.record(lambda ledger: decide.mail_failed(ledger, claim.numbers, message_id, day, reason))
        except (WikError, OSError):
            pass  # the attempt stays open, which only asks for --resend: never a silent copy
        raise
    email = {"to": recipient, **receipt.to_json()}
    try:
        target, digest = archive(h, claim, blob, name, day, sent=True, email=email)
    except (WikError, OSError) as e:
        # The message is out; say so, or the user would send it twice.
        raise mailer.MailError(
            f"invoice {label}: the {kind} letter was e-mailed to {recipient} but could not be recorded "
            f"({' '.join(str(e).split())}): record it with `wik sent {' '.join(claim.numbers)} --kind {kind} "
            f"--via email --date {day.isoformat()}`") from None
    _report(as_json, claim.numbers, kind, day, recipient, target, digest, sent=True, email=email)


def _utcnow():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _report(as_json: bool, numbers, kind: str, day, to: str, archived, digest: str, *,
            sent: bool, eml=None, email: dict | None = None) -> None:
    if as_json:
        emit_json({"invoice": numbers[0], "invoices": list(numbers), "kind": kind, "date": day.isoformat(),
                   "to": to, "sent": sent, "archived": str(archived), "sha256": digest,
                   "eml": str(eml) if eml else None,
                   "message_id": email["message_id"] if email else None,
                   "reply": email["reply"] if email else None,
                   "accepted_at": email["accepted_at"] if email else None})
        return
    if eml is not None:
        typer.echo(str(eml))
    else:
        from wikcli.ledger.process import KIND_NAMES

        label = ", ".join(numbers)
        typer.echo(f"Sent the {KIND_NAMES[kind]} of invoice{'s' if len(numbers) > 1 else ''} {label} to {to}; "
                   f"archived as {archived}")
        if email:
            typer.echo(f"  server reply {email['reply']!r} at {email['accepted_at']}; Message-ID {email['message_id']}")


def _send_statement(h, ledger, client_id: str, to: str | None, lang: str | None, dry_run: bool, day,
                    as_json: bool, *, dated: bool = False) -> None:
    """The statement of account by e-mail: made, sent, then archived and recorded with
    ``via: email``; with --dry-run archived and recorded as made only, the message in the outbox."""
    import os

    from wikcli.store import config
    from wikcli.store.files import write_private
    from wikcli.documents import email as mailer, account as statement
    from wikcli.cli.reports import archive_statement, compose_statement
    from wikcli.errors import WikError
    from wikcli.rules.money import to_str

    st, blob, name = compose_statement(h, ledger, client_id, day, lang)
    recipient = (to or st.client.email).strip()
    if not recipient:
        raise statement.AccountStatementError(f"client {st.client.id!r} has no e-mail address: give --to ADDRESS")
    smtp = h.config.smtp
    sender = (smtp.sender if smtp else "") or h.config.creditor.email
    if not sender:
        raise config.ConfigError(f"{config.CONFIG_NAME}: no sender address: set smtp.sender or creditor.email")
    subject, body = statement.email(st, name)
    msg = mailer.build_message(sender=sender, sender_name=h.config.creditor.name, to=recipient,
                               subject=subject, body=body, attachment_name=name, pdf=blob,
                               when=moment_on(day) if dated else None)
    eml = None
    if dry_run:
        target, digest = archive_statement(h, st, blob, name, None)
        eml = write_private(h.path / "outbox" / (target.stem + ".eml"), msg.as_bytes())
    else:
        mailer.send(msg, smtp, os.environ)
        try:
            target, digest = archive_statement(h, st, blob, name, VIA)
        except (WikError, OSError) as e:
            raise mailer.MailError(
                f"the statement of {st.client.id} was e-mailed to {recipient} but could not be archived "
                f"({' '.join(str(e).split())}): make the archived copy with `wik statement {st.client.id} "
                f"--on {day.isoformat()}`") from None
    if as_json:
        emit_json({"client": st.client.id, "date": day.isoformat(), "to": recipient, "sent": not dry_run,
                   "archived": str(target), "sha256": digest, "eml": str(eml) if eml else None,
                   "due_now": to_str(st.due_now)})
    elif eml is not None:
        typer.echo(str(eml))
    else:
        typer.echo(f"Sent the statement of {st.client.id} to {recipient}; archived as {target}")

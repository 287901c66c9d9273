"""Letters and statements by e-mail: made, handed to the SMTP server, then archived and
recorded as sent with the server's acceptance (the proof of receipt by e-mail).

Order matters for what the journal says: everything that can be refused (the invoice, the
address, the letter itself, the recording) is checked before the message leaves; the letter
is archived and recorded only after the server accepted it, with the server's reply and the
moment of acceptance.

Sending exactly once: the message's Message-ID is made, and the attempt recorded
(``mail-attempt``), before anything is handed to the server. A refusal before the message
was handed over (no connection, login, recipient, or the server's answer to DATA) closes
the attempt (``mail-failed``): send again. No reply after the message was handed over (a
timeout), or wik stopped before it recorded the acceptance (a kill), leaves the attempt open
with an unknown outcome, and the next send of that letter is refused unless ``resend``,
naming the Message-ID to look for in the sent mail. A dry run writes the message to
``<home>/outbox/`` instead and records only that the letter was rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, UTC
from email.message import EmailMessage
from pathlib import Path
from collections.abc import Callable, Mapping

from wikcli.errors import WikError
from wikcli.i18n import _
from wikcli.ledger import commands
from wikcli.ledger.model import SmtpSettings
from wikcli.services import letters, statements
from wikcli.services.home import OpenHome

VIA = "email"

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outgoing:
    """A letter or statement ready to go: the message (PDF attached) and its recipient."""

    message: EmailMessage
    to: str
    letter: letters.Composed | None = None
    statement: statements.Statement | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        made = self.letter or self.statement
        return made.warnings if made is not None else ()


@dataclass(frozen=True)
class Mailed:
    """What became of an e-mailed letter: sent (with the server's acceptance) or, in a dry
    run, written to the outbox; archived in either case."""

    numbers: tuple[str, ...]
    kind: str
    day: date
    to: str
    sent: bool
    archived: Path
    sha256: str
    eml: Path | None = None
    email: dict | None = None  # to, message_id, reply, accepted_at


def smtp_settings(h: OpenHome, *, dry_run: bool) -> SmtpSettings | None:
    """The [smtp] table; refused when there is none, unless the message only goes to the outbox."""
    from wikcli.store import config

    smtp = h.config.smtp
    if smtp is None and not dry_run:
        raise config.ConfigError(_(
            "{config} has no [smtp] table: add one with your mail server to send letters by e-mail "
            "(`wik init --sample-config` writes sample-config.toml, with every key)").format(config=config.CONFIG_NAME))
    return smtp


def _sender(h: OpenHome) -> str:
    from wikcli.store import config

    smtp = h.config.smtp
    sender = (smtp.sender if smtp else "") or h.config.creditor.email
    if not sender:
        raise config.ConfigError(_("{config}: no sender address: set smtp.sender or creditor.email").format(
            config=config.CONFIG_NAME))
    return sender


def letter(h: OpenHome, ledger, numbers: list[str], kind: str, day: date, *, to: str | None, lang: str | None,
           dry_run: bool, clock: Clock | None = None) -> Outgoing:
    """The letter of ``kind`` about ``numbers``, dated ``day`` and sent by e-mail, as a message
    to ``to`` (default: the client's e-mail address). Everything that can be refused (the
    invoices, the address, the letter, its claim) is asked here, so a refused recording never
    follows a sent message. ``clock`` dates the message (default: now)."""
    from wikcli.documents import email as mailer, letter as texts
    from wikcli.ledger.claims import ClaimError, email_refusal

    inv = ledger.invoices.get(numbers[0])
    if inv is None:
        raise commands.LedgerError(_("invoice {number!r} is not in the ledger: see `wik invoice list`")
                                 .format(number=numbers[0][:80]))
    debtor = ledger.clients[inv.client]
    unagreed = email_refusal(debtor, kind, VIA)
    if unagreed and not dry_run:
        raise ClaimError(unagreed)
    recipient = (to or debtor.email).strip()
    if not recipient:
        raise commands.LedgerError(_("invoice {number!r}: client {client!r} has no e-mail address: give --to ADDRESS")
                                 .format(number=numbers[0], client=debtor.id))
    sender = _sender(h)
    made = letters.compose(h, ledger, numbers, kind, day, VIA, day, lang)
    body = texts.render_email(made.data, made.text, made.name, texts.template_dirs(h.path))
    msg = mailer.build_message(
        sender=sender, sender_name=h.config.creditor.name, to=recipient,
        subject=texts.strip_markup(made.text.subject), body=body, attachment_name=made.name, pdf=made.pdf,
        when=clock() if clock else None)
    return Outgoing(msg, recipient, letter=made)


def to_outbox(h: OpenHome, out: Outgoing, day: date) -> Mailed:
    """A dry run: the letter archived and recorded as rendered, its message in <home>/outbox/."""
    assert out.letter is not None
    outbox = h.path / "outbox"
    kept = letters.archive(h, out.letter, day, sent=False,
                           also=lambda t: [(outbox / (t.stem + ".eml"), out.message.as_bytes())])
    claim = out.letter.claim
    return Mailed(tuple(claim.numbers), claim.kind, day, out.to, False, kept.path, kept.sha256,
                  eml=outbox / (kept.path.stem + ".eml"))


def send(h: OpenHome, out: Outgoing, day: date, smtp: SmtpSettings, environ: Mapping[str, str], *,
         resend: bool = False, clock: Clock | None = None) -> Mailed:
    """Send the letter exactly once: the attempt recorded, the message handed to the server,
    then the letter archived and recorded as sent with the server's acceptance."""
    from wikcli.documents import email as mailer

    assert out.letter is not None
    claim = out.letter.claim
    message_id = str(out.message["Message-ID"])
    mailer.check_password(smtp, environ)
    started = (clock or _utcnow)().isoformat(timespec="seconds")
    # The attempt first, under the lock: an attempt of unknown outcome refuses here.
    h.record(lambda ledger: commands.mail_attempt(ledger, claim, to=out.to, message_id=message_id,
                                                file=out.letter.name if out.letter else "", at=started,
                                                resend=resend))
    receipt = _hand_over(h, out, smtp, environ, day, clock)
    email = {"to": out.to, **receipt.to_json()}
    try:
        kept = letters.archive(h, out.letter, day, sent=True, email=email)
    except (WikError, OSError) as e:
        # The message is out; say so, or the user would send it twice.
        raise mailer.MailError(_(
            "invoice {numbers}: the {kind} letter was e-mailed to {to} but could not be recorded ({why}): "
            "record it with `wik sent {args} --kind {kind} --via email --date {day}`").format(
            numbers=", ".join(claim.numbers), kind=claim.kind, to=out.to, why=" ".join(str(e).split()),
            args=" ".join(claim.numbers), day=day.isoformat())) from None
    return Mailed(tuple(claim.numbers), claim.kind, day, out.to, True, kept.path, kept.sha256, email=email)


def _hand_over(h: OpenHome, out: Outgoing, smtp: SmtpSettings, environ: Mapping[str, str], day: date,
               clock: Clock | None):
    """The server's acceptance; a refusal before the message was handed over closes the
    attempt, one after it leaves the attempt of unknown outcome open."""
    from wikcli.documents import email as mailer

    assert out.letter is not None
    numbers = out.letter.claim.numbers
    message_id = str(out.message["Message-ID"])
    try:
        return mailer.send(out.message, smtp, environ, clock=clock)
    except mailer.MailError as e:
        if e.handed:
            raise mailer.MailError(_(
                "invoice {numbers}: {error} (Message-ID {id}); recorded as an attempt of unknown outcome: "
                "`wik send` will not send this letter again without --resend").format(
                numbers=", ".join(numbers), error=e, id=message_id)) from None
        reason = str(e)
        try:
            h.record(lambda ledger: commands.mail_failed(ledger, numbers, message_id, day, reason))
        except (WikError, OSError):
            pass  # the attempt stays open, which only asks for --resend: never a silent copy
        raise


def _utcnow() -> datetime:

    return datetime.now(UTC)


# -- the statement of account ---------------------------------------------------------------------


def statement(h: OpenHome, ledger, client_id: str, day: date, *, to: str | None, lang: str | None,
              clock: Clock | None = None) -> Outgoing:
    """``client_id``'s statement of account on ``day`` as a message to ``to`` (default: the
    client's e-mail address)."""
    from wikcli.documents import account, email as mailer

    made = statements.compose(h, ledger, client_id, day, lang)
    st = made.content
    recipient = (to or st.client.email).strip()
    if not recipient:
        raise account.AccountStatementError(_("client {client!r} has no e-mail address: give --to ADDRESS")
                                            .format(client=st.client.id))
    sender = _sender(h)
    subject, body = account.email(st, made.name)
    msg = mailer.build_message(sender=sender, sender_name=h.config.creditor.name, to=recipient,
                               subject=subject, body=body, attachment_name=made.name, pdf=made.pdf,
                               when=clock() if clock else None)
    return Outgoing(msg, recipient, statement=made)


@dataclass(frozen=True)
class MailedStatement:
    """What became of an e-mailed statement: sent, or in a dry run written to the outbox."""

    client: str
    day: date
    to: str
    sent: bool
    archived: Path
    sha256: str
    due_now: object  # Decimal
    eml: Path | None = None


def send_statement(h: OpenHome, out: Outgoing, day: date, smtp: SmtpSettings | None,
                   environ: Mapping[str, str], *, dry_run: bool) -> MailedStatement:
    """The statement sent, then archived and recorded with ``via: email``; in a dry run
    archived and recorded as made only, the message in the outbox."""
    from wikcli.documents import email as mailer
    from wikcli.store.files import write_private

    made = out.statement
    assert made is not None
    st = made.content
    eml = None
    if dry_run:
        target, digest = statements.archive(h, made, None)
        eml = write_private(h.path / "outbox" / (target.stem + ".eml"), out.message.as_bytes())
    else:
        assert smtp is not None
        mailer.send(out.message, smtp, environ)
        try:
            target, digest = statements.archive(h, made, VIA)
        except (WikError, OSError) as e:
            raise mailer.MailError(_(
                "the statement of {client} was e-mailed to {to} but could not be archived ({why}): make the "
                "archived copy with `wik statement {client} --on {day}`").format(
                client=st.client.id, to=out.to, why=" ".join(str(e).split()), day=day.isoformat())) from None
    return MailedStatement(st.client.id, day, out.to, not dry_run, target, digest, st.due_now, eml=eml)

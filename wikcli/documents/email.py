"""Sending a letter by e-mail: the message (text body + PDF attachment) and the SMTP hop.

The password is read from the environment variable the config names, at the moment of
sending, and is never written anywhere or put in an error message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from wikcli.errors import WikError
from wikcli.ledger.model import SECURITY, SmtpSettings  # noqa: F401 (the settings are config values)
from wikcli.i18n import N_, _
from datetime import UTC


class MailError(WikError):
    """The message could not be sent (server, login or address trouble). ``handed``: the
    message's bytes had gone to the server when it went wrong (no reply to them came back),
    so the server may have accepted it: the outcome is unknown, not a failure."""

    def __init__(self, message: str, *, handed: bool = False):
        super().__init__(message)
        self.handed = handed


@dataclass(frozen=True)
class MailReceipt:
    """The server's acceptance of a message: the proof of receipt by e-mail (Rb. Noord-Holland
    26-7-2017, ECLI:NL:RBNHO:2017:6320: received when the recipient's server accepts it;
    what wik can show is the acceptance by the server it hands the message to)."""

    message_id: str
    reply: str  # the server's reply to the message, code and text: "250 2.0.0 Ok: queued as 4F1"
    accepted_at: str  # ISO 8601, UTC, seconds: when that reply came

    def to_json(self) -> dict:
        return {"message_id": self.message_id, "reply": self.reply, "accepted_at": self.accepted_at}


def build_message(*, sender: str, sender_name: str, to: str, subject: str, body: str,
                  attachment_name: str | None = None, pdf: bytes | None = None, domain: str = "wik.local",
                  when=None) -> EmailMessage:
    """A plain-text message, with the PDF attached when there is one. ``when`` (an aware
    datetime) dates it, so a run with ``--today`` sends a message of that day; default: now."""
    from email.headerregistry import Address

    for what, addr in ((N_("to"), to), (N_("from"), sender)):
        if not addr or "@" not in addr or any(c in addr for c in "\r\n<>,; "):
            # A debtor's address is personal data: name which address, not its value.
            raise MailError(_("the {what} e-mail address is not valid: expected name@example.nl").format(what=_(what)))
    msg = EmailMessage()
    local, _at, dom = sender.partition("@")
    msg["From"] = Address(display_name=sender_name, username=local, domain=dom)
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = formatdate(None if when is None else when.timestamp(), localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=dom or domain)
    msg.set_content(body)
    if pdf is not None:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name)
    return msg


def check_password(settings: SmtpSettings, environ: Mapping[str, str] | None = None) -> str:
    """The SMTP password from the environment ("" without a user), or a refusal naming the
    variable: asked before anything is recorded or sent."""
    env = os.environ if environ is None else environ
    password = env.get(settings.password_env, "") if settings.user else ""
    if settings.user and not password:
        raise MailError(_("no SMTP password: set the environment variable {password_env}").format(
                           password_env=settings.password_env))
    return password


def _crlf(msg: EmailMessage) -> bytes:
    import re

    raw = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    # Dot-stuffing (RFC 5321 4.5.2) and a final line end before the terminating dot.
    raw = re.sub(rb"(?m)^\.", b"..", raw)
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


def send(msg: EmailMessage, settings: SmtpSettings, environ: Mapping[str, str] | None = None, *,
         clock=None) -> MailReceipt:
    """Hand ``msg`` to the server; the server's acceptance (its reply and when it came).

    The DATA phase is done here rather than by ``smtplib.send_message``, to know the moment
    the message's bytes went out: an error before it is a failure (nothing was handed over),
    an error after it (a timeout waiting for the reply, a dropped connection) leaves the
    outcome unknown, and ``MailError.handed`` says which."""
    import smtplib
    import ssl
    from datetime import datetime

    password = check_password(settings, environ)
    message_id = str(msg["Message-ID"] or "")
    handed = False
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with _closing(smtp):
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, password)
            smtp.ehlo_or_helo_if_needed()
            sender = msg["From"].addresses[0].addr_spec if hasattr(msg["From"], "addresses") else str(msg["From"])
            code, text = smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, text, sender)
            code, text = smtp.rcpt(str(msg["To"]))
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({str(msg["To"]): (code, text)})
            smtp.putcmd("data")
            code, text = smtp.getreply()
            if code != 354:
                raise smtplib.SMTPDataError(code, text)
            handed = True
            smtp.send(_crlf(msg) + b".\r\n")
            code, text = smtp.getreply()
            when = (clock or (lambda: datetime.now(UTC)))()
            if code != 250:
                handed = False  # a refusal is an answer: the server did not take it
                raise smtplib.SMTPDataError(code, text)
            reply = f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            receipt = MailReceipt(message_id, " ".join(reply.split()), when.isoformat(timespec="seconds"))
    except smtplib.SMTPAuthenticationError:
        raise MailError(_("SMTP login as {user!r} at {host} was refused").format(
                           user=settings.user, host=settings.host)) from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(_("the server {host} refused the recipient's address").format(host=settings.host)) from None
    except (smtplib.SMTPException, OSError) as e:
        reason = type(e).__name__ if not str(e) else str(e).splitlines()[0]
        if handed:
            raise MailError(_("sending via {host}:{port}: the message was handed over but no reply came ({reason}): "
                               "the server may have accepted it").format(
                               host=settings.host, port=settings.port, reason=reason), handed=True) from None
        raise MailError(_("sending via {host}:{port} failed: {reason}").format(
                           host=settings.host, port=settings.port, reason=reason)) from None
    return receipt


class _closing:
    """QUIT and close, never raising: once the server accepted the message, a lost QUIT
    changes nothing (``smtplib.SMTP``'s own context manager raises on an odd QUIT reply)."""

    def __init__(self, smtp):
        self.smtp = smtp

    def __enter__(self):
        return self.smtp

    def __exit__(self, *exc):
        import smtplib

        try:
            if exc[0] is None:
                self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self.smtp.close()
        return False

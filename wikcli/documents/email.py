"""Sending a letter by e-mail: the message (text body + PDF attachment) and the SMTP hop.

The password is read from the environment variable the config names, at the moment of
sending, and is never written anywhere or put in an error message.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from wikcli.errors import WikError
from wikcli.ledger.model import SECURITY, SmtpSettings  # noqa: F401 (the settings are config values)


class MailError(WikError):
    """The message could not be sent (server, login or address trouble)."""


def build_message(*, sender: str, sender_name: str, to: str, subject: str, body: str,
                  attachment_name: str | None = None, pdf: bytes | None = None, domain: str = "wik.local",
                  when=None) -> EmailMessage:
    """A plain-text message, with the PDF attached when there is one. ``when`` (an aware
    datetime) dates it, so a run with ``--today`` sends a message of that day; default: now."""
    from email.headerregistry import Address

    for what, addr in (("to", to), ("from", sender)):
        if not addr or "@" not in addr or any(c in addr for c in "\r\n<>,; "):
            # A debtor's address is personal data: name which address, not its value.
            raise MailError(f"the {what} e-mail address is not valid: expected name@example.nl")
    msg = EmailMessage()
    local, _, dom = sender.partition("@")
    msg["From"] = Address(display_name=sender_name, username=local, domain=dom)
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = formatdate(None if when is None else when.timestamp(), localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=dom or domain)
    msg.set_content(body)
    if pdf is not None:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name)
    return msg


def send(msg: EmailMessage, settings: SmtpSettings, environ: dict | None = None) -> None:
    import smtplib
    import ssl

    env = os.environ if environ is None else environ
    password = env.get(settings.password_env, "") if settings.user else ""
    if settings.user and not password:
        raise MailError(f"no SMTP password: set the environment variable {settings.password_env}")
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, password)
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"SMTP login as {settings.user!r} at {settings.host} was refused") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"the server {settings.host} refused the recipient's address") from None
    except (smtplib.SMTPException, OSError) as e:
        reason = type(e).__name__ if not str(e) else str(e).splitlines()[0]
        raise MailError(f"sending via {settings.host}:{settings.port} failed: {reason}") from None

"""Sending through a real SMTP server on loopback (aiosmtpd), parsing what it received."""

import hashlib
from email import message_from_bytes, policy

import pytest

from smtpserver import free_port, serve
from wikcli.documents.email import MailError, SmtpSettings, build_message, send

aiosmtpd = pytest.importorskip("aiosmtpd")


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    sink = Sink()
    with serve(sink) as port:
        yield sink, port


PDF = b"%PDF-1.4 fake letter bytes\n%%EOF\n"


def _msg(to="jan@example.nl"):
    return build_message(sender="ik@example.nl", sender_name="Ik & Co", to=to, subject="Herinnering factuur 2026-017",
                         body="Beste Jan,\n\nIn de bijlage de herinnering.\n", attachment_name="herinnering-2026-017.pdf",
                         pdf=PDF)


def test_message_reaches_the_server_with_the_same_pdf(smtp_server):
    sink, port = smtp_server
    send(_msg(), SmtpSettings(host="127.0.0.1", port=port, security="none"))
    (env,) = sink.messages
    assert env.rcpt_tos == ["jan@example.nl"]
    got = message_from_bytes(env.content, policy=policy.default)
    assert got["Subject"] == "Herinnering factuur 2026-017"
    assert "In de bijlage de herinnering." in got.get_body(("plain",)).get_content()
    (att,) = list(got.iter_attachments())
    assert att.get_filename() == "herinnering-2026-017.pdf"
    assert hashlib.sha256(att.get_content()).hexdigest() == hashlib.sha256(PDF).hexdigest()


def test_missing_password_is_named_not_shown():
    with pytest.raises(MailError, match="set the environment variable WIK_SMTP_PASSWORD"):
        send(_msg(), SmtpSettings(host="127.0.0.1", port=1, user="ik"), environ={})


def test_unreachable_server_is_one_line():
    port = free_port()
    with pytest.raises(MailError) as e:
        send(_msg(), SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=2))
    assert "\n" not in str(e.value) and f"127.0.0.1:{port}" in str(e.value)


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b.nl\r\nBcc: x@y.nl", "a@b.nl, c@d.nl"])
def test_bad_recipient_refused(bad):
    with pytest.raises(MailError, match="is not valid"):
        _msg(to=bad)

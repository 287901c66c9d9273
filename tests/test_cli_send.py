"""``wik send`` against a real SMTP server on loopback: what arrives is the archived letter."""

from __future__ import annotations

import hashlib
import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from smtpserver import serve
from test_cli_ledger import _ok, init_home

aiosmtpd = pytest.importorskip("aiosmtpd")

SECRET = "s3cret-Pa55-never-stored"


class Sink:
    def __init__(self):
        self.messages = []
        self.logins = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.smtp import AuthResult

    sink = Sink()

    def authenticator(server, session, envelope, mechanism, auth_data):
        sink.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"studio" and auth_data.password == SECRET.encode())

    # Login over a plain connection: only acceptable because the server is this machine.
    with serve(sink, authenticator=authenticator, auth_require_tls=False) as port:
        yield sink, port


def _add_smtp(home: str, port: int, user: str = "studio") -> None:
    cfg = Path(home) / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + (
        f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "{user}"\n'
        'password_env = "WIK_TEST_SMTP_PW"\ntimeout = 5\n'), encoding="utf-8")


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path, "--no-vat-deductible")
    _ok("client", "add", "ab", "--name", "A & B <Holding>", "--type", "consumer", "--address",
        "Dorpsstraat 1", "--postcode", "1234 AB", "--city", "Utrecht", "--email", "betaal@ab.nl", "--home", h)
    _ok("client", "email", "ab", "--source", "opdrachtbevestiging 2026-014", "--given", "2026-08-20",
        "--letters-agreed", "--home", h, "--today", "2026-08-20")
    _ok("client", "add", "nomail", "--name", "Piet Zonder", "--type", "consumer", "--home", h)
    _ok("invoice", "add", "2026-014", "--client", "ab", "--amount", "244", "--date", "2026-09-01",
        "--due", "2026-10-01", "--home", h)
    _ok("invoice", "add", "2026-020", "--client", "nomail", "--amount", "100", "--date", "2026-09-01",
        "--due", "2026-10-01", "--home", h)
    return h


def events(home):
    lines = (Path(home) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(x) for x in lines]


ENV = {"WIK_TEST_SMTP_PW": SECRET}


def test_sent_message_carries_the_archived_letter(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    r = run_cli("send", "2026-014", "--kind", "wik", "--home", home, "--today", "2026-11-24", env=ENV)
    assert r.exit_code == 0, r.stderr
    assert "Sent the WIK-letter of invoice 2026-014 to betaal@ab.nl" in r.stdout
    assert sink.logins == [(b"studio", SECRET.encode())]
    (env,) = sink.messages
    assert env.rcpt_tos == ["betaal@ab.nl"] and env.mail_from == "info@studionoord.nl"
    msg = message_from_bytes(env.content, policy=policy.default)
    assert msg["Subject"] == "Aanmaning factuur 2026-014"
    assert msg["From"].addresses[0].display_name == "Studio Noord"
    body = msg.get_body(("plain",)).get_content()
    assert "aanmaning voor factuur 2026-014" in body
    # by e-mail the letter counts as received the same day: 24 November + 14 days
    assert "uiterlijk op\n8 december 2026" in body or "uiterlijk op 8 december 2026" in norm(body)
    assert "<" not in body and "Studio Noord" in body
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "2026-014-wik-2026-11-24.pdf"
    got = hashlib.sha256(att.get_content()).hexdigest()

    sent = [e for e in events(home) if e["type"] == "letter-sent"]
    assert [(e["data"]["kind"], e["data"]["date"], e["data"]["via"]) for e in sent] == [
        ("wik", "2026-11-24", "email")]
    archived = Path(home) / "letters" / sent[0]["data"]["file"]
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == got == sent[0]["data"]["sha256"]
    assert "8 december 2026" in norm(" ".join(pdf_pages(archived.read_bytes())))
    # the term of a letter sent by e-mail: last day 8 December, the next step from the 9th
    s = {row["invoice"]: row for row in _ok("status", "--json", "--home", home, "--today", "2026-11-25").json()}
    assert s["2026-014"]["step"] == 4 and s["2026-014"]["action_due"] == "2026-12-09"
    # the password was read from the environment and never written anywhere under the home
    for f in Path(home).rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes(), f


def test_to_overrides_the_client_address_and_english_body(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    r = run_cli("send", "2026-020", "--kind", "reminder", "--to", "boekhouding@zonder.nl", "--lang", "en",
                "--home", home, "--today", "2026-10-05", "--json", env=ENV)
    assert r.exit_code == 0, r.stderr
    d = r.json()
    assert d["sent"] is True and d["to"] == "boekhouding@zonder.nl" and d["kind"] == "reminder"
    (env,) = sink.messages
    assert env.rcpt_tos == ["boekhouding@zonder.nl"]
    msg = message_from_bytes(env.content, policy=policy.default)
    assert msg["Subject"] == "Payment reminder: invoice 2026-020"
    assert "payment reminder for invoice 2026-020" in msg.get_body(("plain",)).get_content()
    (att,) = list(msg.iter_attachments())
    assert hashlib.sha256(att.get_content()).hexdigest() == d["sha256"]


def test_dry_run_writes_a_parseable_eml_and_records_only_the_rendering(home):
    before = len(events(home))
    r = _ok("send", "2026-014", "--kind", "wik", "--dry-run", "--home", home, "--today", "2026-11-24")
    eml = Path(r.stdout.strip())
    assert eml.parent == Path(home) / "outbox" and eml.name == "2026-014-wik-2026-11-24.eml"
    assert eml.stat().st_mode & 0o777 == 0o600
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"] == "betaal@ab.nl" and msg["Subject"] == "Aanmaning factuur 2026-014"
    (att,) = list(msg.iter_attachments())
    new = events(home)[before:]
    assert [e["type"] for e in new] == ["letter-rendered"]
    archived = Path(home) / "letters" / new[0]["data"]["file"]
    assert hashlib.sha256(att.get_content()).hexdigest() == new[0]["data"]["sha256"] \
        == hashlib.sha256(archived.read_bytes()).hexdigest()
    s = {row["invoice"]: row for row in _ok("status", "--json", "--home", home, "--today", "2026-11-25").json()}
    assert s["2026-014"]["step"] == 1


def test_without_smtp_config_nothing_happens(home):
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("send", "2026-014", "--home", home, "--today", "2026-11-24")
    assert r.exit_code == 2
    assert "no [smtp] table" in r.stderr and "sample-config.toml" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert (Path(home) / "journal.jsonl").read_bytes() == before
    assert not (Path(home) / "letters").exists()


def test_client_without_address_is_refused(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("send", "2026-020", "--home", home, "--today", "2026-10-05", env=ENV)
    assert r.exit_code == 2
    assert "invoice '2026-020'" in r.stderr and "--to" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before
    assert sink.messages == []


def test_failed_send_records_and_archives_nothing(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("send", "2026-014", "--kind", "wik", "--to", "nobody@ab.nl", "--home", home,
                "--today", "2026-11-24", env=ENV)
    assert r.exit_code == 2
    # (warnings about unconfirmed interest rates may come first: the letter states interest)
    assert r.stderr.splitlines()[-1] == "wik: error: the server 127.0.0.1 refused the recipient's address"
    # the attempt was recorded before sending, and closed by the refusal: nothing else
    new = events(home)[len(before.decode().splitlines()) - 1:]
    assert [e["type"] for e in new] == ["mail-attempt", "mail-failed"]
    assert new[0]["data"]["message_id"] == new[1]["data"]["message_id"]
    assert new[1]["data"]["reason"] == "the server 127.0.0.1 refused the recipient's address"
    assert not (Path(home) / "letters").exists()
    assert sink.messages == []
    # a closed attempt asks for no --resend: the next send goes out
    r = run_cli("send", "2026-014", "--kind", "wik", "--home", home, "--today", "2026-11-24", env=ENV)
    assert r.exit_code == 0, r.stderr
    assert len(sink.messages) == 1


def test_missing_password_is_named_not_sent(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("send", "2026-014", "--kind", "wik", "--home", home, "--today", "2026-11-24",
                env={"WIK_TEST_SMTP_PW": ""})
    assert r.exit_code == 2 and "set the environment variable WIK_TEST_SMTP_PW" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before and sink.messages == []


def test_closed_invoice_is_refused_before_sending(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    _ok("pay", "2026-014", "244", "--date", "2026-10-10", "--home", home)
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("send", "2026-014", "--kind", "wik", "--home", home, "--today", "2026-11-24", env=ENV)
    assert r.exit_code == 2 and "closed" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before and sink.messages == []


def test_email_body_template_can_be_overridden_in_the_home(home):
    t = Path(home) / "templates"
    t.mkdir()
    (t / "email.nl.j2").write_text("Beste {{ client.name }},\n\nZie {{ attachment }}: {{ total_due|eur }} "
                                   "voor {{ last_day|longdate }}.\n", encoding="utf-8")
    r = _ok("send", "2026-014", "--kind", "wik", "--dry-run", "--home", home, "--today", "2026-11-24")
    msg = message_from_bytes(Path(r.stdout.strip()).read_bytes(), policy=policy.default)
    # plain text: the client's name as it is, not escaped
    assert msg.get_body(("plain",)).get_content() == (
        "Beste A & B <Holding>,\n\nZie 2026-014-wik-2026-11-24.pdf: € 245,44 voor 8 december 2026.\n")


def test_one_email_for_several_invoices_of_a_client(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    _ok("invoice", "add", "2026-015", "--client", "ab", "--amount", "100", "--date", "2026-09-10",
        "--due", "2026-10-10", "--home", home)
    r = run_cli("send", "--client", "ab", "--kind", "wik", "--home", home, "--today", "2026-11-24", env=ENV)
    assert r.exit_code == 0, r.stderr
    assert "Sent the WIK-letter of invoices 2026-014, 2026-015 to betaal@ab.nl" in r.stdout
    (env,) = sink.messages
    msg = message_from_bytes(env.content, policy=policy.default)
    assert msg["Subject"] == "Aanmaning 2 facturen"
    assert "aanmaning voor facturen 2026-014, 2026-015" in msg.get_body(("plain",)).get_content()
    sent = [e for e in events(home) if e["type"] == "letter-sent"]
    # one letter, recorded on both invoices; one staffel over 344.00: 51.60 + 10.84 VAT
    assert [e["invoice"] for e in sent] == ["2026-014", "2026-015"]
    assert sent[0]["data"]["claim"]["costs_announced"]["costs"] == "51.60"
    assert sent[0]["data"]["file"] == sent[1]["data"]["file"] == "2026-014-and-1-wik-2026-11-24.pdf"


def test_the_statement_e_mail_is_dated_today_as_given(home):
    from email import message_from_bytes, policy

    _ok("send", "--statement", "ab", "--dry-run", "--home", home, "--today", "2026-11-24")
    [eml] = (Path(home) / "outbox").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Date"].datetime.date().isoformat() == "2026-11-24"

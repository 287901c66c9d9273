"""Small things of everyday use: pause and resume on a given day, a due date moved past a
weekend is said, an e-mail dated --today, and `wik check --mail` for cron (against a real
SMTP server on loopback)."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run_cli
from smtpserver import serve
from test_cli_ledger import _ok, init_home
from test_cli_send import ENV, SECRET, Sink, _add_smtp

aiosmtpd = pytest.importorskip("aiosmtpd")


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "jan", "--name", "Jan Jansen", "--email", "jan@example.nl", "--home", h)
    _ok("invoice", "add", "F1", "--client", "jan", "--amount", "100", "--date", "2026-01-02", "--due", "2026-02-01",
        "--home", h)
    return h


@pytest.fixture
def smtp_server():
    from aiosmtpd.smtp import AuthResult

    sink = Sink()

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.login == b"studio" and auth_data.password == SECRET.encode())

    with serve(sink, authenticator=authenticator, auth_require_tls=False) as port:
        yield sink, port


def test_pause_and_resume_on_a_given_day(home):
    ev = _ok("pause", "F1", "--reason", "betwist de uren", "--date", "3-2-2026", "--json", "--home", home,
             "--today", "2026-02-20").json()
    assert ev[0]["data"] == {"date": "2026-02-03", "reason": "betwist de uren"}
    assert _ok("invoice", "show", "F1", "--json", "--home", home, "--today", "2026-02-05").json()["paused"] == \
        "betwist de uren"
    ev = _ok("resume", "F1", "--date", "2026-02-10", "--json", "--home", home, "--today", "2026-02-20").json()
    assert ev[0]["data"] == {"date": "2026-02-10"}
    assert _ok("invoice", "show", "F1", "--json", "--home", home, "--today", "2026-02-11").json()["paused"] is None
    # out of order: a pause dated before the last resume would say something the journal does not
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("pause", "F1", "--reason", "x", "--date", "2026-02-09", "--home", home, "--today", "2026-02-20")
    assert (r.exit_code, r.stderr) == (2, "wik: error: pause date 2026-02-09 is before the last pause or resume of "
                                          "invoice 'F1' on 2026-02-10\n")
    r = run_cli("pause", "F1", "--reason", "x", "--date", "2026-01-01", "--home", home)
    assert r.stderr == "wik: error: pause date 2026-01-01 is before the invoice date 2026-01-02 of invoice 'F1'\n"
    assert journal.read_bytes() == before


def test_a_due_date_moved_past_a_weekend_is_said(home):
    # 3 October 2026 + 28 days = Saturday 31 October: due Monday 2 November.
    r = _ok("invoice", "add", "F2", "--client", "jan", "--amount", "100", "--date", "3-10-2026", "--term", "28",
            "--home", home)
    assert r.stdout == ("Added invoice F2, due 2026-11-02: 28 days after 2026-10-03 is 2026-10-31, and 2026-10-31 "
                        "(Zaterdag) and 2026-11-01 (Zondag) do not count (Algemene termijnenwet).\n")
    # 27 April 2026 is King's Day (a Monday): 30 days from 28 March end on it.
    r = _ok("invoice", "add", "F3", "--client", "jan", "--amount", "100", "--date", "2026-03-28", "--home", home)
    assert r.stdout == ("Added invoice F3, due 2026-04-28: 30 days after 2026-03-28 is 2026-04-27, and 2026-04-27 "
                        "(Koningsdag) does not count (Algemene termijnenwet).\n")
    r = _ok("invoice", "add", "F4", "--client", "jan", "--amount", "100", "--date", "2026-10-05", "--term", "30",
            "--home", home)
    assert r.stdout == "Added invoice F4, due 2026-11-04.\n"  # a Wednesday: nothing to say
    r = _ok("invoice", "add", "F5", "--client", "jan", "--amount", "100", "--date", "2026-10-01", "--due",
            "2026-10-31", "--home", home)
    # a due date given moves as a term's end does: Saturday 31 October is due Monday 2 November
    assert r.stdout == ("Added invoice F5, due 2026-11-02: the due date given is 2026-10-31, and 2026-10-31 "
                        "(Zaterdag) and 2026-11-01 (Zondag) do not count (Algemene termijnenwet).\n")
    # Christmas Day (a Friday in 2026) and Boxing Day do not count, nor Sunday 27 December
    r = _ok("invoice", "add", "F6", "--client", "jan", "--amount", "100", "--date", "2026-11-25", "--due",
            "25-12-2026", "--home", home)
    assert r.stdout == ("Added invoice F6, due 2026-12-28: the due date given is 2026-12-25, and 2026-12-25 "
                        "(Eerste Kerstdag), 2026-12-26 (Tweede Kerstdag) and 2026-12-27 (Zondag) do not count "
                        "(Algemene termijnenwet).\n")
    assert _ok("invoice", "show", "F6", "--json", "--home", home, "--today", "2026-12-01").json()["due"] == \
        "2026-12-28"
    # the same for a corrected due date, and a Monday given stays as it is
    r = _ok("invoice", "amend", "F4", "--due", "2026-10-31", "--home", home, "--today", "2026-10-06")
    assert r.stdout == ("Amended invoice F4: due 2026-11-04 -> 2026-11-02: the due date given is 2026-10-31, and "
                        "2026-10-31 (Zaterdag) and 2026-11-01 (Zondag) do not count (Algemene termijnenwet).\n")
    r = _ok("invoice", "add", "F7", "--client", "jan", "--amount", "100", "--date", "2026-10-01", "--due",
            "2026-11-02", "--home", home)
    assert r.stdout == "Added invoice F7, due 2026-11-02.\n"


def test_the_e_mail_is_dated_today_as_given(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    r = run_cli("send", "F1", "--kind", "reminder", "--home", home, "--today", "2026-03-02", env=ENV)
    assert r.exit_code == 0, r.stderr
    msg = message_from_bytes(sink.messages[-1].content, policy=policy.default)
    assert msg["Date"].datetime.date().isoformat() == "2026-03-02"


def test_check_mail_sends_the_due_actions_to_your_own_address(home, smtp_server):
    sink, port = smtp_server
    _add_smtp(home, port)
    # F1's due date, Sunday 1 February, moves to Monday 2 February (Algemene termijnenwet); the
    # reminder is due the day after it, so nothing is due on 1 February: nothing sent.
    r = run_cli("check", "--mail", "--home", home, "--today", "2026-02-01", env=ENV)
    assert (r.exit_code, r.stdout, r.stderr, sink.messages) == (0, "", "", [])
    r = run_cli("check", "--mail", "--home", home, "--today", "2026-02-05", env=ENV)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    [envelope] = sink.messages
    assert envelope.mail_from == "info@studionoord.nl" and envelope.rcpt_tos == ["info@studionoord.nl"]
    msg = message_from_bytes(envelope.content, policy=policy.default)
    assert msg["Subject"] == "wik: 1 action(s) due on 2026-02-05"
    assert msg["Date"].datetime.date().isoformat() == "2026-02-05"
    assert msg.get_content().replace("\r\n", "\n") == (
        "1 action(s) due on 2026-02-05:\n\n"
        "F1: send-reminder due 2026-02-03, 2 days overdue  (jan, € 100,03 open)\n\n"
        f"See them all with: wik status --home {home}\n")
    assert not msg.is_multipart()


def test_check_mail_that_cannot_be_sent_exits_2_and_says_why(home, smtp_server):
    from smtpserver import free_port

    sink, port = smtp_server
    _add_smtp(home, free_port())  # nothing listens there
    r = run_cli("check", "--mail", "--home", home, "--today", "2026-02-05", env=ENV)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("wik: error: sending via 127.0.0.1:") and "failed: " in r.stderr
    assert r.stderr.count("\n") == 1
    _add_smtp(home, port)  # a second [smtp] table: the config is refused, with one line
    r = run_cli("check", "--mail", "--home", home, "--today", "2026-02-05", env=ENV)
    assert r.exit_code == 2 and "config.toml" in r.stderr and sink.messages == []


def test_check_mail_needs_a_server_and_refuses_json(home):
    r = run_cli("check", "--mail", "--home", home, "--today", "2026-02-05")
    assert (r.exit_code, r.stderr) == (2, "wik: error: config.toml has no [smtp] table: `wik check --mail` sends "
                                          "through your mail server (`wik init --sample-config` writes sample-config.toml, with every key)\n")
    r = run_cli("check", "--mail", "--json", "--home", home, "--today", "2026-02-05")
    assert (r.exit_code, r.stderr) == (2, "wik: error: give --mail or --json, not both\n")
    # Without --mail nothing changed: one line per due action and exit 1.
    r = run_cli("check", "--home", home, "--today", "2026-02-05")
    assert (r.exit_code, r.stdout) == (1, "F1: send-reminder due 2026-02-03, 2 days overdue\n")


def test_completion_script_and_completions():
    r = run_cli("completion", "bash")
    assert r.exit_code == 0
    assert "complete -o default -F _wik_completion wik" in r.stdout and "_WIK_COMPLETE=complete_bash" in r.stdout
    assert "compdef _wik_completion wik" in run_cli("completion", "zsh").stdout
    # What the shell then asks, and what wik answers.
    r = run_cli(env={"_WIK_COMPLETE": "complete_bash", "COMP_WORDS": "wik inv", "COMP_CWORD": "1"})
    assert (r.exit_code, r.stdout) == (0, "invoice\n")
    r = run_cli(env={"_WIK_COMPLETE": "complete_bash", "COMP_WORDS": "wik invoice add F1 --cl", "COMP_CWORD": "4"})
    assert r.stdout == "--client\n"
    r = run_cli("completion", "tcsh")
    assert (r.exit_code, r.stderr) == (2, "wik: error: shell 'tcsh' is not supported: expected bash, zsh, fish, "
                                          "powershell\n")

"""Sending exactly once (issue 23 item 2): the attempt and its Message-ID are recorded before
the message leaves; a slow acknowledgement and a kill after the server's acceptance both
leave an attempt of unknown outcome, and the next `wik send` refuses without --resend. The
loopback server counts every message it received."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run_cli
from smtpserver import serve
from test_cli_ledger import _ok, init_home

aiosmtpd = pytest.importorskip("aiosmtpd")

TODAY = "2026-11-24"


class Counting:
    """Accepts every message; with ``delay`` it answers that many seconds after taking it."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Ok: queued as 4F1C2"

    def ids(self) -> list[str]:
        return [message_from_bytes(e.content, policy=policy.default)["Message-ID"] for e in self.messages]


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path, "--no-vat-deductible")
    _ok("client", "add", "ab", "--name", "A. Bakker", "--type", "consumer", "--address", "Dorpsstraat 1",
        "--postcode", "1234 AB", "--city", "Utrecht", "--email", "betaal@ab.nl", "--home", h)
    _ok("client", "email", "ab", "--source", "offerte 2026-007", "--given", "2026-08-20", "--letters-agreed",
        "--home", h, "--today", "2026-08-20")
    _ok("invoice", "add", "2026-014", "--client", "ab", "--amount", "244", "--date", "2026-09-01",
        "--due", "2026-10-01", "--home", h)
    return h


def smtp_config(home, port, timeout=1):
    cfg = Path(home) / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + (
        f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = {timeout}\n'),
        encoding="utf-8")


def events(home, type_=None):
    out = [json.loads(x) for x in (Path(home) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    return [e for e in out if type_ is None or e["type"] == type_]


def send(home, *extra):
    return run_cli("send", "2026-014", "--kind", "wik", *extra, "--home", home, "--today", TODAY)


def test_a_slow_acknowledgement_leaves_the_attempt_unknown_and_no_second_copy(home):
    sink = Counting(delay=2.5)
    with serve(sink) as port:
        smtp_config(home, port, timeout=1)
        r = send(home)
        assert r.exit_code == 2
        err = r.stderr.strip().splitlines()[-1]
        assert err.startswith("wik: error: invoice 2026-014: sending via 127.0.0.1:")
        assert "the message was handed over but no reply came" in err
        assert "recorded as an attempt of unknown outcome: `wik send` will not send this letter again " \
               "without --resend" in err
        assert len(sink.messages) == 1
        (attempt,) = events(home, "mail-attempt")
        mid = attempt["data"]["message_id"]
        assert sink.ids() == [mid] and f"(Message-ID {mid})" in err
        assert attempt["data"] | {"at": None} == {
            "date": TODAY, "kind": "wik", "invoices": ["2026-014"], "to": "betaal@ab.nl", "message_id": mid,
            "file": "2026-014-wik-2026-11-24.pdf", "at": None}
        assert events(home, "letter-sent") == [] and events(home, "mail-failed") == []

        before = (Path(home) / "journal.jsonl").read_bytes()
        r = send(home)
        assert r.exit_code == 2 and len(sink.messages) == 1
        assert r.stderr.strip().splitlines()[-1] == (
            f"wik: error: invoice '2026-014': the WIK-letter e-mailed on {TODAY} (Message-ID {mid}) has no known "
            "outcome: the server may have accepted it (no reply came after the message was handed over, or wik "
            "was stopped); check your sent mail, then record it with `wik sent 2026-014 --kind wik --via email "
            f"--date {TODAY}`, or send it again with `wik send 2026-014 --kind wik --resend`")
        assert (Path(home) / "journal.jsonl").read_bytes() == before

        # asked for, a second copy goes out (and this time the server answers in time)
        sink.delay = 0
        r = send(home, "--resend")
        assert r.exit_code == 0, r.stderr
        assert len(sink.messages) == 2
        second = events(home, "mail-attempt")[-1]["data"]
        assert second["resend"] is True and second["message_id"] != mid
        (sent,) = events(home, "letter-sent")
        assert sent["data"]["email"]["message_id"] == second["message_id"] == sink.ids()[1]
        assert sent["data"]["email"]["reply"] == "250 2.0.0 Ok: queued as 4F1C2"
        assert sent["data"]["email"]["accepted_at"].startswith(TODAY + "T")
        assert f"server reply '250 2.0.0 Ok: queued as 4F1C2' at {TODAY}T" in r.stdout
        # the letter is recorded: a further send is a second WIK-letter, refused as such
        r = send(home)
        assert r.exit_code == 2 and len(sink.messages) == 2


KILL_AFTER_ACCEPTANCE = """
import os, sys
import wikcli.services.letters as letters

def killed(*args, **kwargs):
    # the server has accepted the message; wik dies before it records the letter
    os.kill(os.getpid(), 9)

letters.archive = killed
from wikcli.cli import main
sys.argv = ["wik"] + sys.argv[1:]
main()
"""


def test_a_kill_after_the_servers_acceptance_cannot_lead_to_a_silent_second_copy(home):
    sink = Counting()
    with serve(sink) as port:
        smtp_config(home, port, timeout=5)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIK_")}
        p = subprocess.run([sys.executable, "-c", KILL_AFTER_ACCEPTANCE, "send", "2026-014", "--kind", "wik",
                            "--home", home, "--today", TODAY], env=env, capture_output=True, timeout=120)
        assert p.returncode == -9, p.stderr
        assert len(sink.messages) == 1
        (attempt,) = events(home, "mail-attempt")
        assert sink.ids() == [attempt["data"]["message_id"]]
        assert events(home, "letter-sent") == []

        r = send(home)
        assert r.exit_code == 2 and "has no known outcome" in r.stderr and "--resend" in r.stderr
        assert len(sink.messages) == 1
        # the user finds it in the sent mail and records it: the attempt is resolved
        _ok("sent", "2026-014", "--kind", "wik", "--via", "email", "--date", TODAY, "--home", home,
            "--today", TODAY)
        assert len(events(home, "letter-sent")) == 1
        r = send(home)
        assert r.exit_code == 2 and "has no known outcome" not in r.stderr
        assert len(sink.messages) == 1

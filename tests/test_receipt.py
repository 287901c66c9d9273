"""Proof of receipt (issue 26 item 1): the client's e-mail provenance and agreement, a
consumer's WIK-letter by e-mail refused without it, the server's reply and acceptance time
recorded with the letter, a bounce (not received: no costs, the next letter by post), a
registered notice of default with its barcode and delivery status; in `invoice show`, its
JSON, the dossier and the dossier's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from smtpserver import serve
from test_cli_ledger import _ok, init_home

aiosmtpd = pytest.importorskip("aiosmtpd")

TODAY = "2026-11-24"


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 2.0.0 Ok: queued as 7A2B9"


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "ab", "--name", "A. Bakker", "--address", "Dorpsstraat 1", "--postcode", "1234 AB",
        "--city", "Utrecht", "--email", "betaal@ab.nl", "--home", h)
    _ok("invoice", "add", "2026-014", "--client", "ab", "--amount", "244", "--date", "2026-09-01",
        "--due", "2026-10-01", "--home", h)
    return h


def smtp(home, port):
    cfg = Path(home) / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                   'security = "none"\ntimeout = 5\n', encoding="utf-8")


def refused(home, *args) -> str:
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli(*args, "--home", home)
    assert r.exit_code == 2, r.stdout
    assert (Path(home) / "journal.jsonl").read_bytes() == before
    return r.stderr.strip().splitlines()[-1]


def test_email_letter_needs_the_agreement_then_records_the_servers_acceptance(home):
    _ok("letter", "2026-014", "--kind", "reminder", "--sent", "2026-10-05", "--via", "post", "--home", home,
        "--today", "2026-10-05")
    sink = Sink()
    with serve(sink) as port:
        smtp(home, port)
        assert refused(home, "send", "2026-014", "--kind", "wik", "--today", TODAY) == (
            "wik: error: client 'ab' is a consumer who has not agreed to receive letters by e-mail: send the "
            "WIK-letter by post, or record the agreement with `wik client email ab --source TEXT --given DATE "
            "--letters-agreed`")
        assert sink.messages == []
        r = _ok("client", "email", "ab", "--source", "offerte 2026-007", "--given", "2026-08-20",
                "--letters-agreed", "--home", home, "--today", "2026-08-21")
        assert r.stdout.strip() == ("Recorded the e-mail address of client ab: from offerte 2026-007 of "
                                    "2026-08-20; letters by e-mail agreed.")
        r = _ok("send", "2026-014", "--kind", "wik", "--home", home, "--today", TODAY, "--json")
        assert len(sink.messages) == 1
        out = r.json()
        assert out["reply"] == "250 2.0.0 Ok: queued as 7A2B9" and out["accepted_at"].startswith(TODAY + "T")
    d = _ok("invoice", "show", "2026-014", "--json", "--home", home, "--today", TODAY).json()
    assert d["client_email"] == {"source": "offerte 2026-007", "given": "2026-08-20", "letters_agreed": True}
    letter = d["letters"][-1]
    assert letter["email"] == {"to": "betaal@ab.nl", "message_id": out["message_id"],
                               "reply": "250 2.0.0 Ok: queued as 7A2B9", "accepted_at": out["accepted_at"]}
    assert (letter["via"], letter["bounced"], letter["registered"], letter["received"]) == ("email", None, None, TODAY)
    text = _ok("invoice", "show", "2026-014", "--home", home, "--today", TODAY).stdout
    assert f"accepted {out['accepted_at']} (250 2.0.0 Ok: queued as 7A2B9), Message-ID {out['message_id']}" in text
    assert "Client e-mail: from offerte 2026-007 of 2026-08-20; letters by e-mail agreed" in text

    # the bounce: not received, so no costs from that letter, and the WIK-letter is due again, by post
    r = _ok("bounced", "2026-014", "--kind", "wik", "--date", "2026-11-25", "--reason", "550 5.1.1 mailbox full",
            "--home", home, "--today", "2026-11-25")
    assert r.stdout.strip() == ("Recorded the bounce of the e-mail of 2026-11-24 (2026-014): not received; "
                                "send it again by post.")
    d = _ok("invoice", "show", "2026-014", "--json", "--home", home, "--today", "2026-12-31").json()
    assert (d["costs_owed"], d["costs_due_from"], d["costs_charged"]) == (False, None, "0.00")
    # the reminder of 2026-10-05 stands; the WIK-letter counts as never sent: step 2, the call is next
    assert (d["step"], d["next_action"]) == (2, "call-client")
    assert d["letters"][-1]["bounced"] == {"date": "2026-11-25", "reason": "550 5.1.1 mailbox full"}
    assert d["letters"][-1]["received"] is None
    text = _ok("invoice", "show", "2026-014", "--home", home, "--today", "2026-12-31").stdout
    assert "[BOUNCED 2026-11-25: not received]" in text
    assert "next action: call-client" in text and "by post" not in text
    # once the call is recorded, the WIK-letter is the next action, and it says: by post
    _ok("note", "2026-014", "called: no answer", "--date", "2026-12-01", "--home", home)
    text = _ok("invoice", "show", "2026-014", "--home", home, "--today", "2026-12-31").stdout
    assert "next action: send-wik-letter" in text and "(by post: the e-mail of 2026-11-24 bounced)" in text


def test_registered_notice_of_default_keeps_its_barcode_and_status_in_the_dossier(home):
    _ok("letter", "2026-014", "--kind", "wik", "--sent", "2026-10-05", "--via", "post", "--home", home,
        "--today", "2026-10-05")
    _ok("letter", "2026-014", "--kind", "default", "--sent", "2026-11-02", "--via", "post", "--home", home,
        "--today", "2026-11-02")
    assert refused(home, "registered", "2026-014", "--kind", "default", "--status", "refused",
                   "--today", "2026-11-02") == ("wik: error: invoice '2026-014': no barcode recorded for the notice "
                                                "of default of 2026-11-02: give --barcode")
    assert refused(home, "registered", "2026-014", "--kind", "default", "--barcode", "3S-?",
                   "--today", "2026-11-02") == ("wik: error: --barcode '3S-?' is not a track-and-trace code: "
                                                "expected 9 to 30 letters and digits, such as 3SABCD0123456")
    r = _ok("registered", "2026-014", "--kind", "default", "--barcode", "3SABCD0123456", "--home", home,
            "--today", "2026-11-02")
    assert r.stdout.strip() == "Recorded registered letter 3SABCD0123456 of 2026-11-02."
    r = _ok("registered", "2026-014", "--kind", "default", "--status", "not-collected", "--date", "2026-11-20",
            "--home", home, "--today", "2026-11-20")
    assert r.stdout.strip() == "Recorded registered letter 3SABCD0123456 of 2026-11-02: not-collected on 2026-11-20."
    d = _ok("invoice", "show", "2026-014", "--json", "--home", home, "--today", "2026-12-01").json()
    notice = d["letters"][1]
    assert notice["registered"] == {"barcode": "3SABCD0123456", "status": "not-collected", "status_date": "2026-11-20"}
    assert notice["received"] == "2026-11-20"
    assert "by registered post, barcode 3SABCD0123456: not-collected (counts as received)" in _ok(
        "invoice", "show", "2026-014", "--home", home, "--today", "2026-12-01").stdout

    out = Path(home).parent / "dossier"
    _ok("handover", "2026-014", "--out", str(out), "--home", home, "--today", "2026-12-01")
    dj = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert [x["registered"] for x in dj["receipt"]] == [
        None, {"barcode": "3SABCD0123456", "status": "not-collected", "status_date": "2026-11-20"}]
    text = norm(" ".join(pdf_pages((out / "dossier.pdf").read_bytes())))
    assert "2026-11-02: aangetekend, barcode 3SABCD0123456, not-collected (2026-11-20)" in text

"""``wik letter`` from the ledger: the PDF says what the calculators say, and is archived."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path, "--no-vat-deductible")
    _ok("client", "add", "ab", "--name", "A & B <Holding>", "--type", "consumer", "--address",
        "Dorpsstraat 1", "--postcode", "1234 AB", "--city", "Utrecht", "--home", h)
    _ok("invoice", "add", "2026-014", "--client", "ab", "--amount", "244", "--date", "2026-09-01",
        "--due", "2026-10-01", "--home", h)
    _ok("invoice", "add", "2026-015", "--client", "ab", "--amount", "1.210,00", "--date", "2026-09-15",
        "--due", "2026-10-15", "--home", h)
    return h


def text_of(path: str) -> str:
    return norm(" ".join(pdf_pages(Path(path).read_bytes())))


def events(home):
    lines = (Path(home) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(x) for x in lines]


def test_wik_letter_says_what_calc_and_deadline_say(home):
    r = _ok("letter", "2026-014", "--kind", "wik", "--sent", "2026-11-24", "--home", home)
    t = text_of(r.stdout.strip())
    calc = _ok("calc", "244", "--btw", "--json").json()
    deadline = _ok("deadline", "--sent", "2026-11-24", "--json").json()
    # Posted Tuesday 24 November: the 3rd delivery day is Friday 27, 14 days -> Friday 11.
    assert calc["costs_incl_vat"] == "48.40" and deadline["last_day"] == "2026-12-11"
    assert "€ 48,40 inclusief btw" in t
    assert "uiterlijk op 11 december 2026" in t
    assert "binnen 14 dagen na de dag van ontvangst van deze brief" in t
    assert "A & B <Holding>" in t
    assert "2026-014" in t and "€ 244,00" in t
    # recorded as sent, with the archived copy's hash
    sent = [e for e in events(home) if e["type"] == "letter-sent"]
    assert [(e["data"]["kind"], e["data"]["date"], e["data"]["via"]) for e in sent] == [("wik", "2026-11-24", "post")]
    archived = Path(home) / "letters" / sent[0]["data"]["file"]
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == sent[0]["data"]["sha256"]
    assert archived.stat().st_mode & 0o777 == 0o600
    s = {row["invoice"]: row for row in _ok("status", "--json", "--home", home, "--today", "2026-11-25").json()}
    assert s["2026-014"]["step"] == 4 and s["2026-014"]["action_due"] == "2026-12-12"


def test_reminder_lists_only_invoices_past_their_due_date(home):
    # 5 October: 2026-014 is overdue, 2026-015 is not due until 15 October.
    r = _ok("letter", "2026-014", "--home", home, "--today", "2026-10-05", "--json")
    d = r.json()
    assert d["kind"] == "reminder" and d["sent"] is False and d["invoices"] == ["2026-014"]
    t = text_of(d["path"])
    assert "2026-015" not in t
    # 244.00 and the interest of 2-5 October (4 days at 4% = 0.11): the QR asks for that too
    assert "Totaal te betalen € 244,11" in t and "Bedrag: € 244,11" in t
    assert "incassokosten" not in t.lower()
    assert [e["type"] for e in events(home)][-1] == "letter-rendered"
    # A reminder naming the invoice not yet due is refused, and nothing is written.
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("letter", "2026-014", "2026-015", "--kind", "reminder", "--home", home, "--today", "2026-10-05")
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: invoice '2026-015' is not due until 2026-10-15: a reminder can follow "
                        "from 2026-10-16\n")
    assert (Path(home) / "journal.jsonl").read_bytes() == before
    # --client covers every invoice past due on the letter's date.
    d = _ok("letter", "--client", "ab", "--kind", "reminder", "--home", home, "--today", "2026-10-20",
            "--json").json()
    assert d["invoices"] == ["2026-014", "2026-015"]
    t = text_of(d["path"])
    # 244.00 + 1210.00, interest 2-20 Oct on 244.00 (19 days: 0.51) and 16-20 Oct on 1210.00 (0.66)
    assert "Wettelijke rente t/m 20 oktober 2026 € 1,17 € 0,00 € 1,17" in t
    assert "Totaal te betalen € 1.455,17" in t


def test_english_letter_and_out_path(home, tmp_path):
    out = tmp_path / "copy.pdf"
    _ok("letter", "2026-014", "--kind", "wik", "--lang", "en", "--out", str(out), "--home", home,
        "--today", "2026-11-24", "--via", "email")
    t = text_of(str(out))
    assert "within 14 days after the day you receive this letter" in t
    # by e-mail: received the same day, 14 days -> 8 December 2026
    assert "8 December 2026" in t


def test_letter_for_a_closed_invoice_is_refused(home):
    _ok("pay", "2026-014", "244", "--date", "2026-10-10", "--home", home)
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("letter", "2026-014", "--kind", "wik", "--home", home, "--today", "2026-11-24")
    assert r.exit_code == 2 and "closed" in r.stderr
    assert (Path(home) / "journal.jsonl").read_bytes() == before

"""One truth for a business client's agreed terms: interest and costs resolve the same way,
in every command, after terms recorded again for earlier invoices; `client add --from`; an
invoice dated before its client's terms says so when added."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home

TERMS = ("--agreed-interest", "1% per maand", "--agreed-costs", "20%, min 150")


def show(h, number, today):
    return _ok("invoice", "show", number, "--json", "--home", h, "--today", today).json()


def status(h, today):
    [row] = _ok("status", "--json", "--home", h, "--today", today).json()
    return row


def test_terms_recorded_again_from_an_earlier_date_give_both_interest_and_costs(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "acme", "--address", "Straat 1", "--city", "Utrecht", "--name", "Acme BV", "--type", "business", "--home", h, "--today", "2026-08-01")
    _ok("client", "terms", "acme", *TERMS, "--from", "2026-08-01", "--home", h, "--today", "2026-08-01")
    r = run_cli("invoice", "add", "2026-001", "--client", "acme", "--amount", "2.000,00", "--date", "2026-05-01",
                "--term", "30", "--home", h)
    assert r.exit_code == 0
    assert r.stderr.strip() == (
        "wik: warning: invoice 2026-001 is dated 2026-05-01, before the agreed terms of client acme (for invoices "
        "from 2026-08-01): the statutory interest and collection costs apply to it; if the terms covered it, "
        "`wik client terms acme --from 2026-05-01`")
    # statutory: the staffel over 2,000.00 is 300.00; the commercial rate over 63 days since
    # the due date, 10,15% through June and 10,4% from July: 2000.00 x (10.15% x 29 + 10.4% x 34) / 365
    before = show(h, "2026-001", "2026-08-03")
    assert (before["terms"], before["costs"], before["interest"]) == (None, "300.00", "35.51")
    _ok("client", "terms", "acme", "--from", "2026-01-01", "--home", h, "--today", "2026-08-02")
    d = show(h, "2026-001", "2026-08-03")
    # both from the agreed terms: 20% of 2,000.00 = 400.00, and 1% a month
    # = 12% a year over 63 days since the due date of 2026-06-01: 2000.00 x 12% x 63 / 365 = 41.42
    assert d["terms"]["from"] == "2026-01-01"
    assert (d["costs"], d["interest"], d["total_due"]) == ("400.00", "41.42", "2041.42")
    s = status(h, "2026-08-03")
    assert (s["costs"], s["interest"], s["total_due"]) == ("400.00", "41.42", "2041.42")
    # the letter announces the agreed costs and claims the agreed interest
    letter = _ok("letter", "2026-001", "--kind", "wik", "--sent", "2026-08-03", "--json", "--home", h,
                 "--today", "2026-08-03").json()
    text = norm("\n".join(pdf_pages(Path(letter["archived"]).read_bytes())))
    assert "€ 400,00" in text and "€ 41,42" in text and "€ 300,00" not in text
    import json

    lines = (Path(h) / "journal.jsonl").read_text().splitlines()[1:]
    sent = [e for e in map(json.loads, lines) if e["type"] == "letter-sent"]
    assert sent[0]["data"]["announces"] == {"costs": "400.00", "vat": "0.00"}


def test_client_add_from_covers_earlier_invoices(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "acme", "--address", "Straat 1", "--city", "Utrecht", "--name", "Acme BV", "--type", "business", *TERMS, "--from", "2026-01-01",
        "--home", h, "--today", "2026-08-01")
    r = run_cli("invoice", "add", "2026-001", "--client", "acme", "--amount", "2.000,00", "--date", "2026-05-01",
                "--term", "30", "--home", h)
    assert r.exit_code == 0 and r.stderr == ""
    d = show(h, "2026-001", "2026-08-03")
    assert (d["terms"]["from"], d["costs"], d["interest"]) == ("2026-01-01", "400.00", "41.42")


def test_client_add_from_without_terms_is_refused(tmp_path):
    h = init_home(tmp_path)
    before = (Path(h) / "journal.jsonl").read_bytes()
    r = run_cli("client", "add", "x", "--name", "X", "--from", "2026-01-01", "--home", h)
    assert (r.exit_code, r.stderr.strip()) == (
        2, "wik: error: --from '2026-01-01' dates agreed terms: give --agreed-interest and/or --agreed-costs with it")
    assert (Path(h) / "journal.jsonl").read_bytes() == before

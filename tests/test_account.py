"""A client's account: credit from an overpayment, set off by `wik credit apply`, refunded by
`wik credit refund`; shown by the statement of account, the reports and `wik client show`, and
never asked for again by a letter, a statement or `wik check`."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from conftest import run_cli


def _ok(*args):
    r = run_cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


@pytest.fixture
def home(tmp_path):
    h = str(tmp_path / "home")
    _ok("init", "--home", h, "--name", "IT Advies", "--address", "Straat 1", "--postcode", "1015 AA",
        "--city", "Amsterdam", "--iban", "NL91ABNA0417164300", "--email", "info@itadvies.nl")
    ok = lambda *a: _ok(*a, "--home", h)  # noqa: E731
    ok("client", "add", "acme", "--name", "Acme BV", "--type", "business")
    ok("invoice", "add", "A1", "--client", "acme", "--amount", "1000", "--date", "2026-03-02", "--due", "2026-04-01")
    r = ok("pay", "A1", "1.655,35", "--date", "2026-03-20", "--allow-overpayment", "--today", "2026-03-20")
    assert r.stderr == ("wik: warning: client 'acme' holds a credit of € 655,35: set it off against a later invoice "
                        "with `wik credit apply acme`, or pay it back and record it with `wik credit refund acme`\n")
    ok("invoice", "add", "A2", "--client", "acme", "--amount", "900", "--date", "2026-04-01", "--due", "2026-05-01")
    return h


def _pdf(path: str) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(Path(path).read_bytes())).pages)


def test_credit_shows_everywhere_and_nothing_asks_for_it(home):
    acc = _ok("credit", "show", "acme", "--json", "--home", home, "--today", "2026-06-01").json()
    # 900,00 for 31 days at 10,15% (commercial interest, first half of 2026): 7,76.
    assert acc == {"client": "acme", "date": "2026-06-01", "invoiced": "1900.00", "charged": "7.76",
                   "received": "1655.35", "refunded": "0.00", "claimed": "907.76", "credit": "655.35",
                   "balance": "252.41", "credit_on": [{"invoice": "A1", "amount": "655.35"}]}
    # wik check asks for the set-off, not for the reminder of A2.
    r = run_cli("check", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stdout) == (1, "A2: apply-credit due 2026-05-02, 30 days overdue\n")
    r = run_cli("letter", "A2", "--kind", "reminder", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stderr) == (2, "wik: error: client 'acme' holds a credit of € 655,35 that is not set "
                                          "off: `wik credit apply acme` (or `wik credit refund acme`) first\n")
    st = _ok("statement", "acme", "--json", "--home", home, "--today", "2026-06-01").json()
    assert (st["total_open"], st["credit"], st["due_now"]) == ("907.76", "655.35", "252.41")
    text = _pdf(st["path"])
    assert "Tegoed (te veel betaald) € -655,35 Nu te betalen € 252,41" in text
    assert "U heeft eerder € 655,35 te veel betaald." in text
    clients = _ok("report", "clients", "--json", "--home", home, "--today", "2026-06-01").json()
    assert [(c["client"], c["credit"]) for c in clients["clients"]] == [("acme", "655.35")]
    shown = _ok("client", "show", "acme", "--home", home, "--today", "2026-06-01").stdout
    assert "  credit € 655,35 (paid too much, not set off): `wik credit apply acme`\n" in shown


def test_apply_sets_off_back_to_the_invoice_date_and_the_account_balances(home):
    r = _ok("credit", "apply", "acme", "--home", home, "--today", "2026-06-01")
    assert r.stdout == "Set off € 655,35 of credit against invoice(s) A2.\n"
    inv = _ok("invoice", "show", "A2", "--json", "--home", home, "--today", "2026-06-01").json()
    # The set-off works back to A2's date (art. 6:129 BW): interest runs on 244,65 only,
    # 31 days at 10,15%: 2,11.
    assert inv["allocations"] == [{"seq": 6, "date": "2026-04-01", "amount": "655.35", "costs": "0.00",
                                   "interest": "0.00", "principal": "655.35", "credit": "0.00",
                                   "set_off_from": "A1"}]
    assert (inv["principal_open"], inv["interest"], inv["total_due"]) == ("244.65", "2.11", "246.76")
    acc = _ok("credit", "show", "acme", "--json", "--home", home, "--today", "2026-06-01").json()
    assert (acc["credit"], acc["claimed"], acc["balance"]) == ("0.00", "246.76", "246.76")
    # invoices - payments + charged + refunded = claimed - credit
    assert 1900 + 2.11 - 1655.35 == pytest.approx(246.76)
    r = run_cli("check", "--home", home, "--today", "2026-06-01")
    assert r.stdout == "A2: send-reminder due 2026-05-02, 30 days overdue\n"
    # The collected report: the set-off brought no money, it moved the credit to A2's principal.
    col = _ok("report", "collected", "--from", "2026-03-01", "--to", "2026-06-30", "--json", "--home", home,
              "--today", "2026-06-01").json()
    assert (col["total"]["amount"], col["total"]["principal"], col["total"]["credit"]) == ("1655.35", "1655.35",
                                                                                          "0.00")
    r = run_cli("credit", "apply", "acme", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stderr) == (2, "wik: error: client 'acme' holds no credit on 2026-06-01: nothing to set off\n")


def test_refund_takes_the_credit_and_is_refused_beyond_it(home):
    r = run_cli("credit", "refund", "acme", "700", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stderr) == (2, "wik: error: refund € 700,00 is more than the € 655,35 credit client "
                                          "'acme' holds on 2026-06-01\n")
    r = _ok("credit", "refund", "acme", "--date", "2026-05-10", "--home", home, "--today", "2026-06-01")
    assert r.stdout == "Recorded a refund of € 655,35 of credit to client acme.\n"
    acc = _ok("credit", "show", "acme", "--json", "--home", home, "--today", "2026-06-01").json()
    assert (acc["refunded"], acc["credit"], acc["claimed"], acc["balance"]) == ("655.35", "0.00", "907.76", "907.76")
    # 1900,00 invoiced + 7,76 interest - 1655,35 received + 655,35 refunded = 907,76 claimed.
    r = run_cli("check", "--home", home, "--today", "2026-06-01")
    assert r.stdout == "A2: send-reminder due 2026-05-02, 30 days overdue\n"
    col = _ok("report", "collected", "--from", "2026-03-01", "--to", "2026-06-30", "--json", "--home", home,
              "--today", "2026-06-01").json()
    assert (col["total"]["amount"], col["total"]["credit"]) == ("1000.00", "0.00")
    r = run_cli("credit", "apply", "acme", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stderr) == (2, "wik: error: client 'acme' holds no credit on 2026-06-01: nothing to "
                                          "set off\n")


def test_a_payment_whose_credit_was_set_off_cannot_be_voided_alone(home):
    _ok("credit", "apply", "acme", "--home", home, "--today", "2026-06-01")
    before = (Path(home) / "journal.jsonl").read_bytes()
    r = run_cli("void", "3", "--reason", "wrong", "--home", home, "--today", "2026-06-01")
    assert (r.exit_code, r.stderr) == (2, "wik: error: event 3: the credit this payment left on invoice 'A1' was set "
                                          "off or refunded since (`wik credit show`): it cannot be voided alone\n")
    assert (Path(home) / "journal.jsonl").read_bytes() == before

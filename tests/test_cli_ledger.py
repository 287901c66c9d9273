"""The ledger commands end to end: one consumer and one business invoice through all six
steps with --today moving forward, and bad input that must leave the journal untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli


def init_home(tmp_path: Path, *extra: str) -> str:
    home = str(tmp_path / "home")
    r = run_cli("init", "--home", home, "--name", "Studio Noord", "--address", "Keizersgracht 1",
                "--postcode", "1015 AA", "--city", "Amsterdam", "--iban", "NL91ABNA0417164300",
                "--email", "info@studionoord.nl", *extra)
    assert r.exit_code == 0, r.stderr
    return home


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path, "--no-vat-deductible")
    ok = lambda *a: _ok(*a, "--home", h)  # noqa: E731
    ok("client", "add", "jan", "--name", "Jan Jansen", "--type", "consumer", "--address", "Dorpsstraat 1",
       "--postcode", "1234 AB", "--city", "Utrecht")
    ok("client", "add", "bouw", "--name", "Bouw BV", "--address", "Straat 1", "--city", "Utrecht", "--type", "business")
    ok("invoice", "add", "C1", "--client", "jan", "--amount", "1.000,00", "--date", "2024-01-02",
       "--due", "2024-02-01")
    ok("invoice", "add", "B1", "--client", "bouw", "--amount", "3000", "--date", "2024-01-02",
       "--term", "30")
    return h


def _ok(*args):
    r = run_cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def status(home, today):
    r = _ok("status", "--json", "--home", home, "--today", today)
    return {row["invoice"]: row for row in r.json()}


def check(home, today):
    return run_cli("check", "--home", home, "--today", today)


def test_six_steps_end_to_end(home):
    s = status(home, "2024-02-01")
    assert s["C1"]["next_action"] == "send-reminder" and s["C1"]["action_due"] == "2024-02-02"
    # 2 January + 30 days = 1 February
    assert s["B1"]["action_due"] == "2024-02-02"
    r = check(home, "2024-02-01")
    assert (r.exit_code, r.stdout) == (0, "")
    r = check(home, "2024-02-02")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == ["B1: send-reminder due 2024-02-02", "C1: send-reminder due 2024-02-02"]

    for n in ("C1", "B1"):
        _ok("sent", n, "--kind", "reminder", "--date", "2024-02-05", "--via", "post", "--home", home)
    s = status(home, "2024-02-10")
    assert (s["C1"]["step"], s["C1"]["step_name"], s["C1"]["next_action"], s["C1"]["action_due"]) == (
        2, "reminder", "call-client", "2024-02-22")

    # A call with a promise that is broken.
    _ok("note", "C1", "Belt: betaalt 1 maart", "--promise", "2024-03-01", "--date", "2024-02-23", "--home", home)
    s = status(home, "2024-02-23")
    assert (s["C1"]["step_name"], s["C1"]["next_action"], s["C1"]["action_due"]) == ("call", "send-wik-letter", "2024-03-02")
    r = check(home, "2024-03-04")
    assert "C1: send-wik-letter due 2024-03-02, 2 days overdue" in r.stdout.splitlines()

    _ok("sent", "C1", "--kind", "wik", "--date", "2024-03-04", "--home", home)
    s = status(home, "2024-03-05")["C1"]
    assert (s["step"], s["costs"], s["costs_owed"], s["action_due"]) == (4, "181.50", False, "2024-03-21")
    # Partial payment inside the WIK term: costs over the remaining 800.00.
    _ok("pay", "C1", "200", "--date", "2024-03-10", "--home", home)
    s = status(home, "2024-03-21")["C1"]
    assert (s["principal_open"], s["costs"], s["costs_owed"], s["interest"], s["total_due"]) == (
        "800.00", "145.20", True, "8.98", "954.18")
    # After the term: costs, then interest, then principal (art. 6:44 BW).
    _ok("pay", "C1", "300,00", "--date", "2024-03-25", "--home", home)
    s = status(home, "2024-03-25")["C1"]
    assert (s["principal_open"], s["costs"], s["interest"], s["total_due"]) == ("654.79", "0.00", "0.00", "654.79")

    _ok("sent", "C1", "--kind", "default", "--date", "2024-03-26", "--home", home)
    s = status(home, "2024-03-27")["C1"]
    assert (s["step"], s["next_action"], s["action_due"]) == (5, "hand-over", "2024-04-06")

    # The business invoice: a payment plan with a missed installment.
    r = _ok("plan", "B1", "--installments", "3", "--first", "2024-03-01", "--home", home, "--today", "2024-02-20")
    # 3000.00 plus the commercial interest (12.5%) until each installment, paid on time and
    # allocated interest first: 2 Feb - 1 Mar 29 days on 3000.00 = 29.79; 2 Mar - 1 Apr 31 days
    # on 2009.29 = 21.33; 2 Apr - 1 May 30 days on 1010.12 = 10.38: 3061.50 in three.
    assert r.stdout.splitlines() == ["Payment plan for invoice B1 (€ 3.061,50, interest included):",
                                     "  2024-03-01    € 1.020,50", "  2024-04-01    € 1.020,50",
                                     "  2024-05-01    € 1.020,50"]
    _ok("pay", "B1", "1020,50", "--date", "2024-03-01", "--home", home)
    s = status(home, "2024-04-03")["B1"]
    assert (s["next_action"], s["action_due"], s["overdue_days"]) == ("chase-installment", "2024-04-02", 1)

    r = _ok("invoice", "show", "C1", "--json", "--home", home, "--today", "2024-03-27")
    d = r.json()
    assert [e["type"] for e in d["timeline"]] == [
        "invoice-added", "letter-sent", "note", "letter-sent", "payment", "payment", "letter-sent"]
    assert d["paid"] == "500.00"

    _ok("close", "C1", "--reason", "handed-over", "--home", home, "--today", "2024-04-08")
    assert "C1" not in status(home, "2024-04-08")
    r = _ok("status", "--all", "--json", "--home", home, "--today", "2024-04-08")
    assert "C1" in {row["invoice"] for row in r.json()}


def test_status_table_and_lists(home):
    r = _ok("status", "--home", home, "--today", "2024-02-05")
    assert "send-reminder" in r.stdout and "C1" in r.stdout and "€ 1.000,77" in r.stdout
    r = _ok("client", "list", "--json", "--home", home)
    assert [c["id"] for c in r.json()] == ["bouw", "jan"]
    r = _ok("invoice", "list", "--json", "--home", home, "--today", "2024-02-05")
    assert [i["invoice"] for i in r.json()] == ["B1", "C1"]


BAD = [
    (("pay", "NOPE", "10"), "invoice 'NOPE' is not in the ledger"),
    (("invoice", "add", "C1", "--client", "jan", "--amount", "5", "--date", "2024-01-01"), "already exists"),
    (("invoice", "add", "X9", "--client", "jan", "--amount", "5", "--date", "2024-13-01"), "'2024-13-01'"),
    (("invoice", "add", "X9", "--client", "jan", "--amount", "5,5,5", "--date", "2024-01-01"), "'5,5,5'"),
    (("invoice", "add", "X9", "--client", "nobody", "--amount", "5", "--date", "2024-01-01"), "client 'nobody'"),
    (("pay", "C1", "-5"), "negative"),
    (("pay", "C1", "5000"), "more than"),
    (("sent", "C1", "--kind", "letter"), "--kind 'letter' is unknown: expected reminder (herinnering)"),
    (("sent", "C1", "--kind", "wik", "--via", "pigeon"), "'pigeon'"),
    (("note", "C1", "   "), "empty"),
    (("close", "C1", "--reason", "bored"), "'bored'"),
    (("plan", "C1", "--installments", "1", "--first", "2024-03-01"), "--installments 1"),
    (("client", "add", "bad id", "--name", "x"), "'bad id'"),
]


@pytest.mark.parametrize("args,fragment", BAD, ids=[" ".join(a[:2]) + f"-{i}" for i, (a, _) in enumerate(BAD)])
def test_bad_input_leaves_the_journal_byte_for_byte(home, args, fragment):
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli(*args, "--home", home, env={"WIK_TODAY": "2024-02-05"})
    assert r.exit_code == 2
    assert r.stderr.startswith("wik: error: ") and r.stderr.count("\n") == 1
    assert fragment in r.stderr
    assert journal.read_bytes() == before


def test_payment_on_a_closed_invoice_is_refused(home):
    _ok("pay", "C1", "1000", "--date", "2024-02-10", "--home", home)
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("pay", "C1", "1", "--date", "2024-02-11", "--home", home)
    assert r.exit_code == 2 and "closed" in r.stderr
    assert journal.read_bytes() == before


def test_overpayment_with_flag_shows_credit(home):
    _ok("pay", "C1", "1100", "--date", "2024-02-10", "--allow-overpayment", "--home", home)
    d = _ok("invoice", "show", "C1", "--json", "--home", home, "--today", "2024-02-10").json()
    # principal first, then the interest accrued (2-10 Feb, 9 days at 7% on 1000.00 = 1.73)
    assert (d["credit"], d["closed"], d["total_due"]) == ("98.27", "paid", "0.00")
    assert d["allocations"] == [{"seq": d["allocations"][0]["seq"], "date": "2024-02-10", "amount": "1100.00",
                                 "costs": "0.00", "interest": "1.73", "principal": "1000.00", "credit": "98.27"}]


def test_malformed_journal_line_is_refused_and_kept(home):
    journal = Path(home) / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    lines.insert(2, b"{not json}\n")
    journal.write_bytes(b"".join(lines))
    before = journal.read_bytes()
    for args in (("status",), ("pay", "C1", "1")):
        r = run_cli(*args, "--home", home)
        assert r.exit_code == 2 and "line 3" in r.stderr, r.stderr
    assert journal.read_bytes() == before


WRITER = """
import sys
from typer.main import get_command
from wikcli.cli import app
home, n = sys.argv[1], int(sys.argv[2])
cli = get_command(app)  # built once: the loop measures wik's own work, not Typer's set-up
for i in range(n):
    try:
        cli.main(["pay", "B1", "0.01", "--date", "2024-02-10", "--home", home])
    except SystemExit as e:
        if e.code:
            raise
"""


@pytest.mark.slow
def test_two_processes_500_payments_each(home):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, home, "500"], stdout=subprocess.DEVNULL)
             for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    r = _ok("invoice", "show", "B1", "--json", "--home", home, "--today", "2024-02-10")
    payments = [e for e in r.json()["timeline"] if e["type"] == "payment"]
    assert len(payments) == 1000
    assert r.json()["paid"] == "10.00"
    seqs = [e["seq"] for e in r.json()["timeline"]]
    assert len(set(seqs)) == len(seqs)


def b1_lines(home, today):
    r = check(home, today)
    return [x for x in r.stdout.splitlines() if x.startswith("B1:")]


def test_business_invoice_through_all_six_steps(home):
    assert b1_lines(home, "2024-02-01") == []
    assert b1_lines(home, "2024-02-02") == ["B1: send-reminder due 2024-02-02"]
    # 1 -> 2: reminder by e-mail on Monday 5 February: received that day, 14 days -> 19 February.
    _ok("sent", "B1", "--kind", "reminder", "--date", "2024-02-05", "--via", "email", "--home", home)
    assert b1_lines(home, "2024-02-19") == []
    assert b1_lines(home, "2024-02-20") == ["B1: call-client due 2024-02-20"]
    # 2 -> 3: the call, with a promise that is broken.
    _ok("note", "B1", "Crediteurenadministratie: betaalt vrijdag", "--promise", "2024-02-23",
        "--date", "2024-02-21", "--home", home)
    s = status(home, "2024-02-21")["B1"]
    assert (s["step"], s["step_name"], s["next_action"], s["action_due"]) == (3, "call", "send-wik-letter", "2024-02-24")
    assert b1_lines(home, "2024-02-26") == ["B1: send-wik-letter due 2024-02-24, 2 days overdue"]
    # 3 -> 4: WIK-letter by e-mail on Monday 26 February: 14 days -> Monday 11 March.
    _ok("sent", "B1", "--kind", "wik", "--date", "2024-02-26", "--via", "email", "--home", home)
    s = status(home, "2024-03-11")["B1"]
    assert (s["step"], s["next_action"], s["action_due"], s["costs"], s["costs_owed"]) == (
        4, "send-notice-of-default", "2024-03-12", "514.25", False)  # 425.00 + 21% VAT
    assert b1_lines(home, "2024-03-11") == []
    s = status(home, "2024-03-12")["B1"]
    # commercial interest 12.5%, 2 February - 12 March = 40 days on 3000.00 = 41.10
    assert (s["costs"], s["costs_owed"], s["interest"], s["total_due"]) == ("514.25", True, "41.10", "3555.35")
    # 4 -> 5: notice of default posted Tuesday 12 March: delivered Thursday 14, 8 days -> 22 March.
    _ok("sent", "B1", "--kind", "default", "--date", "2024-03-12", "--home", home)
    assert b1_lines(home, "2024-03-22") == []
    assert b1_lines(home, "2024-03-25") == ["B1: hand-over due 2024-03-23, 2 days overdue"]
    # 5 -> 6: the dossier for the collection agency.
    _ok("handover", "B1", "--home", home, "--today", "2024-03-25")
    s = status(home, "2024-03-25")["B1"]
    assert (s["step"], s["step_name"], s["next_action"], s["action_due"]) == (6, "handover", "none", None)
    assert b1_lines(home, "2024-04-25") == []


def test_a_plan_paid_to_the_last_installment_closes_the_invoice(home):
    # The interest until each installment is in them (7%, allocated interest first):
    # 2-15 Feb 14 days on 1000.00 = 2.68; 16-29 Feb on 667.56 = 1.79; 1-14 Mar on 334.23 = 0.90.
    r = _ok("plan", "C1", "--installments", "3", "--first", "2024-02-15", "--every", "14", "--home", home,
            "--today", "2024-02-10", "--json")
    parts = [(i["due"], i["amount"]) for i in r.json()[0]["data"]["installments"]]
    assert parts == [("2024-02-15", "335.12"), ("2024-02-29", "335.12"), ("2024-03-14", "335.13")]
    assert r.json()[0]["data"]["interest"] == "included"
    for day, amount in parts:
        _ok("pay", "C1", amount, "--date", day, "--home", home)
    assert "C1" not in status(home, "2024-03-14")
    d = _ok("invoice", "show", "C1", "--json", "--home", home, "--today", "2024-03-14").json()
    assert (d["closed"], d["paid"], d["credit"], d["interest_paid"]) == ("paid", "1005.37", "0.00", "5.37")
    # after the last installment nothing is left open, and nothing is chased
    assert d["next_action"] == "none"

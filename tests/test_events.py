"""One schema per event type, checked on every read and every append (ledger.events)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from wikcli.ledger import events, steps

INIT = ("init", "--name", "Studio Noord", "--iban", "NL91ABNA0417164300", "--no-vat-deductible")


@pytest.fixture
def home(tmp_path):
    h = str(tmp_path / "home")
    assert run_cli(*INIT, "--home", h).exit_code == 0
    for args in (("client", "add", "jansen", "--name", "P. Jansen", "--type", "consumer"),
                 ("invoice", "add", "F-1", "--client", "jansen", "--amount", "250,33", "--date", "2026-09-01"),
                 ("pay", "F-1", "50", "--date", "2026-10-05", "--today", "2026-11-01")):
        r = run_cli(*args, "--home", h)
        assert r.exit_code == 0, r.stderr
    return Path(h)


def _edit(home: Path, line: int, change) -> bytes:
    path = home / "journal.jsonl"
    lines = path.read_bytes().split(b"\n")
    d = json.loads(lines[line - 1])
    change(d)
    lines[line - 1] = json.dumps(d, separators=(",", ":")).encode()
    path.write_bytes(b"\n".join(lines))
    return path.read_bytes()


BAD = {
    # the third event (line 4) is the payment of 50,00
    "an amount 'lots'": (lambda d: d["data"].update(amount="lots"),
                         "journal.jsonl line 4 is a payment event whose field 'amount' is not an amount"),
    "no amount": (lambda d: d["data"].pop("amount"),
                  "journal.jsonl line 4 is a payment event whose field 'amount' is missing"),
    "a date 'yesterday'": (lambda d: d["data"].update(date="yesterday"),
                           "journal.jsonl line 4 is a payment event whose field 'date' is not a date (YYYY-MM-DD)"),
    "an unknown type": (lambda d: d.update(type="paymnet"),
                        "journal.jsonl line 4 has type 'paymnet', which this wik does not know"),
}
COMMANDS = (("status",), ("check",), ("invoice", "show", "F-1"), ("invoice", "list"), ("pay", "F-1", "1"),
            ("letter", "F-1"), ("report", "ageing"), ("client", "show", "jansen"), ("repair",))


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_payload_is_one_line_naming_the_line_and_the_field_in_every_command(home, case):
    change, message = BAD[case]
    before = _edit(home, 4, change)
    for cmd in COMMANDS:
        r = run_cli(*cmd, "--home", str(home), "--today", "2026-11-02") if cmd != ("repair",) else \
            run_cli("repair", "--home", str(home))
        assert r.exit_code == 2, (cmd, r.stdout, r.stderr)
        assert r.stderr.startswith("wik: error: " + message), (cmd, r.stderr)
        assert r.stderr.count("\n") == 1 and "journal is intact" not in r.stdout
        assert (home / "journal.jsonl").read_bytes() == before


def test_every_event_a_command_writes_fits_its_schema(home):
    lines = (home / "journal.jsonl").read_text().splitlines()[1:]
    assert [json.loads(x)["type"] for x in lines] == ["client-added", "invoice-added", "payment"]
    for x in lines:
        d = json.loads(x)
        assert events.problem(d["type"], d["invoice"], d["data"]) is None


@pytest.mark.parametrize("kind,invoice,data,want", [
    ("payment", None, {"amount": "1.00", "date": "2026-01-01"}, "is a payment event without an invoice"),
    ("client-added", "F-1", {"id": "a", "name": "A", "type": "consumer"}, "is a client-added event with an invoice: expected null"),
    ("client-added", None, {"id": "a", "name": "A", "type": "person"},
     "is a client-added event whose field 'type' is not one of consumer, business"),
    ("plan", "F-1", {"date": "2026-01-01", "installments": []},
     "is a plan event whose field 'installments' is not a non-empty list"),
    ("letter-sent", "F-1", {"kind": "wik", "date": "2026-01-01", "announces": {"costs": "40.00"}},
     "is a letter-sent event whose field 'announces' is not an object whose field 'vat' is missing"),
    ("note", "F-1", {"date": "2026-1-1"}, "is a note event whose field 'date' is not a date (YYYY-MM-DD)"),
])
def test_the_schema_names_what_is_wrong(kind, invoice, data, want):
    assert events.problem(kind, invoice, data) == want


def test_a_bug_exits_3_never_1(home, monkeypatch):

    def broken(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(steps, "assess_all", broken)
    monkeypatch.setattr(steps, "assess", broken)
    r = run_cli("check", "--home", str(home), "--today", "2026-11-02")
    assert r.exit_code == 3
    assert r.stderr.startswith("wik: error: internal error, a bug in wik: ZeroDivisionError: division by zero")

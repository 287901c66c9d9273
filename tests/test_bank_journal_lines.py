"""The bank's events as the journal holds them, byte for byte: a run of imports, reviews and
matches by hand whose bank lines (payments from the bank, credits kept and ignored, IBANs
remembered) were recorded once and must come out the same, key order, nulls and absent keys
included. The fixture is what the bank wrote before it built its events through the payload
types; write it again only for a change to the journal that is meant (``WIK_WRITE_BANK_LINES=1``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from test_banking import (  # noqa: F401
    JANSEN_IBAN, STRANGER_IBAN, bank_import, camt, events, home, iban_ok, make_home, put,
)
from test_cli_ledger import _ok
from wikcli.ledger import events as events_mod
from wikcli.ledger.bank_payloads import BankUnmatchedData, UnmatchedCandidateData
from wikcli.ledger.events import BANK_IGNORED, BANK_UNMATCHED, CLIENT_IBAN, PAYMENT, ClientIbanData

DATA = Path(__file__).parent / "data" / "bank"
GOLDEN = DATA / "golden-bank-lines.jsonl"
BANK_TYPES = (PAYMENT, BANK_UNMATCHED, BANK_IGNORED, CLIENT_IBAN)
TODAY = "2026-11-25"


def _seq_of(out: dict, amount: str) -> int:
    return next(k["seq"] for k in out["unmatched"] if k["amount"] == amount)


def scenario(home: str, tmp_path: Path) -> list[str]:
    """Every way the bank writes an event, on the six invoices of ``test_banking.home``: the
    journal's lines of the bank's event types, their time of writing left out."""
    ok = lambda *a, today=TODAY: _ok(*a, "--home", home, "--today", today)  # noqa: E731
    ok("letter", "--client", "devries", "--kind", "wik", "--sent", "2026-11-10", "--via", "email", today="2026-11-10")
    ok("sent", "2026-001", "--kind", "reminder", "--date", "2026-11-05", today="2026-11-05")
    ok("pay", "2026-020", "200,00", "--date", "2026-11-19", today="2026-11-19")
    first = camt(
        {"amount": "605.00", "name": "J. Advies", "iban": iban_ok("NL00INGB0001122334"), "ref": "RF602026001"},
        {"amount": "1210.00", "name": "Jansen Advies", "iban": JANSEN_IBAN, "text": "factuur 2026-002"},
        {"amount": "150.00", "name": "M. de Vries", "text": "deel factuur 2026-012"},  # split over the letter's claim
        {"amount": "200.00", "name": "P. Pieters", "text": "deel factuur 2026-020"},  # a probable duplicate
        {"amount": "35.50", "name": "Kantoorvak BV", "iban": STRANGER_IBAN, "text": "retour 778812"},
        {"amount": "1500.00", "name": "Iemand", "text": "facturen"},
        {"amount": "605.00", "text": "factuur 2026-001", "date": "2026-11-21"},  # an overpayment
        {"amount": "99.00", "debit": True, "name": "Leverancier"})
    out = bank_import(home, put(tmp_path, "s1.xml", first))
    # the same amount twice from a known IBAN, two open claims of it: ambiguous, with candidates
    _ok("invoice", "add", "2026-004", "--client", "jansen", "--amount", "1.210,00", "--date", "2026-10-03",
        "--term", "30", "--home", home)
    second = bank_import(home, put(tmp_path, "s2.xml", camt({"amount": "1210.00", "iban": JANSEN_IBAN},
                                                             stmt="S2")))
    assert [k["rule"] for k in second["unmatched"]] == ["amount"]
    for sub in ("camt053", "mt940"):
        for f in sorted((DATA / sub).iterdir()):
            run_cli("bank", "import", str(f), "--home", home, "--today", TODAY)  # some are refused: no matter
    ok("bank", "ignore", str(_seq_of(out, "35.50")), "--reason", "retour van een bestelling")
    ok("bank", "match", str(_seq_of(out, "200.00")), "2026-020", "--force")
    ok("bank", "match", str(_seq_of(out, "1500.00")), "2026-003", "2026-004")
    ok("bank", "match", str(_seq_of(second, "1210.00")), "2026-004", "--allow-overpayment")
    lines = (Path(home) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    kept = [line for line in lines if json.loads(line)["type"] in BANK_TYPES]
    return [re.sub(r'"at": ?"[^"]*"', '"at":""', line) for line in kept]


@pytest.fixture(scope="module")
def bank_lines(tmp_path_factory) -> list[str]:
    """The scenario's lines, written once for the three tests that read them."""
    tmp = tmp_path_factory.mktemp("bank-lines")
    return scenario(make_home(tmp), tmp)


def test_the_bank_writes_the_lines_it_wrote(bank_lines):
    lines = bank_lines
    if os.environ.get("WIK_WRITE_BANK_LINES") == "1":
        GOLDEN.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert lines == GOLDEN.read_text(encoding="utf-8").splitlines()
    kinds = [json.loads(line)["type"] for line in lines]
    assert {k: kinds.count(k) for k in BANK_TYPES} == {PAYMENT: 9, BANK_UNMATCHED: 37, BANK_IGNORED: 1,
                                                        CLIENT_IBAN: 2}


def test_every_bank_line_reads_into_its_payload_and_back_unchanged(bank_lines):
    for line in bank_lines:
        ev = json.loads(line)
        payload = events_mod.PAYLOADS[ev["type"]].from_payload(ev["data"])
        assert json.dumps(payload.to_payload(), ensure_ascii=False) == json.dumps(ev["data"], ensure_ascii=False)


def test_every_bank_line_is_what_its_payload_built_afresh_writes(bank_lines):
    # the bank builds these types: built from the fields alone, each writes the line's data
    for line in bank_lines:
        ev = json.loads(line)
        built = dataclasses.replace(events_mod.PAYLOADS[ev["type"]].load(ev["data"]), read_from=None)
        assert json.dumps(built.to_payload(), ensure_ascii=False) == json.dumps(ev["data"], ensure_ascii=False)


BANK = {"key": "NL91ABNA0417164300/ref/S1-0001", "booking_date": "2026-11-20", "amount": "35.50"}


def test_a_kept_credit_written_before_its_rule_and_candidates_were_typed_reads_and_writes_back():
    for data in ({"date": "2026-11-20", "bank": BANK},
                 {"date": "2026-11-20", "bank": BANK, "reason": "r", "rule": None, "candidates": []},
                 {"date": "2026-11-20", "bank": BANK, "reason": "r", "candidates": [{"invoices": ["F-1"]}],
                  "duplicate_of": None}):
        assert events_mod.problem(BANK_UNMATCHED, None, data) is None
        kept = BankUnmatchedData.from_payload(data)
        assert list(kept.to_payload().items()) == list(data.items())
    kept = BankUnmatchedData.load({"date": "2026-11-20", "bank": BANK, "rule": "amount",
                                   "candidates": [{"invoices": ["F-1", "F-2"], "letter": "L7"}], "duplicate_of": 4})
    assert (kept.rule, kept.candidates, kept.duplicate_of) == (
        "amount", (UnmatchedCandidateData(invoices=("F-1", "F-2"), letter="L7"),), 4)


def test_a_built_kept_credit_writes_duplicate_of_only_for_a_probable_duplicate():
    kept = BankUnmatchedData(day=date(2026, 11, 20), bank=BANK, reason="r", rule=None,
                             candidates=(UnmatchedCandidateData(invoices=("F-1",)),))
    assert kept.event() == (BANK_UNMATCHED, None, {"date": "2026-11-20", "bank": BANK, "reason": "r", "rule": None,
                                                   "candidates": [{"invoices": ["F-1"], "letter": None}]})
    assert dataclasses.replace(kept, duplicate_of=12).to_payload()["duplicate_of"] == 12


def test_a_kept_credits_candidates_are_checked():
    data = {"date": "2026-11-20", "bank": BANK, "candidates": [{"letter": "L7"}]}
    assert events_mod.problem(BANK_UNMATCHED, None, data) == (
        "is a bank-unmatched event whose field 'candidates' is not a list of objects with invoices, letter")


def test_a_remembered_iban_keeps_its_transaction_and_reads_without_one():
    iban = ClientIbanData(id="jansen", iban="NL44RABO0123456789", day=date(2026, 11, 20), tx="k1")
    assert iban.event() == (CLIENT_IBAN, None, {"id": "jansen", "iban": "NL44RABO0123456789", "date": "2026-11-20",
                                                "tx": "k1"})
    old = {"id": "jansen", "iban": "NL44RABO0123456789"}
    assert ClientIbanData.from_payload(old).tx is None
    assert ClientIbanData.from_payload(old).to_payload() == old

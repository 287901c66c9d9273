"""Each event type's payload is a frozen type (ledger.events): read from a journal line and
written again it gives back the very bytes, and the data a command writes is the data of the
type it built."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_cli
from wikcli.ledger import events

TODAY = "2026-11-25"
SESSION = (
    ("init", "--name", "Studio Noord", "--iban", "NL91ABNA0417164300", "--no-vat-deductible"),
    ("client", "add", "jansen", "--name", "P. Jansen", "--type", "consumer"),
    ("client", "add", "acme", "--name", "Acme B.V.", "--type", "business", "--address", "Weg 1", "--city", "Delft"),
    ("client", "address", "jansen", "--address", "Kerkstraat 1", "--postcode", "1017 GM", "--city", "Amsterdam"),
    ("client", "email", "jansen", "--email", "p@example.nl", "--source", "order form", "--letters-agreed"),
    ("client", "terms", "acme", "--agreed-interest", "12% per jaar"),
    ("invoice", "add", "F-1", "--client", "jansen", "--amount", "250,33", "--date", "2026-09-01"),
    ("invoice", "add", "F-2", "--client", "acme", "--amount", "1000", "--date", "2026-08-01",
     "--agreement", "lessen 2026"),
    ("invoice", "add", "F-3", "--client", "acme", "--amount", "500", "--date", "2026-08-01"),
    ("invoice", "amend", "F-3", "--amount", "600", "--reason", "typo"),
    ("pay", "F-1", "50", "--date", "2026-10-05"),
    ("note", "F-1", "called", "--promise", "2026-12-01"),
    ("note", "F-1", "no answer"),
    ("plan", "F-2", "--installments", "3", "--first", "2026-12-01"),
    ("pause", "F-3", "--reason", "dispute"),
    ("resume", "F-3"),
    ("sent", "F-1", "--kind", "reminder", "--via", "email"),
    ("bounced", "F-1", "--kind", "reminder", "--reason", "no mailbox"),
    ("close", "F-3", "--reason", "written-off"),
    ("void", "12", "--reason", "mistake"),
    ("statement", "acme"),
    ("invoice", "add", "F-5", "--client", "acme", "--amount", "100", "--date", "2026-11-01"),
    ("pay", "F-5", "3000", "--allow-overpayment"),
    ("credit", "apply", "acme"),
    ("credit", "refund", "acme"),
)


def _line(obj: dict) -> bytes:
    # as the journal writes a line
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode()


def _journal_lines(home: Path) -> list[bytes]:
    return (home / "journal.jsonl").read_bytes().splitlines(keepends=True)[1:]


@pytest.fixture(scope="module")
def session_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("payloads") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIK_TODAY", TODAY)
        for args in SESSION:
            r = run_cli(*args, "--home", str(home))
            assert r.exit_code == 0, (args, r.stderr)
    return home


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("payloads") / "demo"
    r = run_cli("demo", "--dir", str(home), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    return home


def test_every_line_of_a_journal_reads_and_writes_back_byte_for_byte(session_home, demo_home):
    seen = set()
    for home in (session_home, demo_home):
        for raw in _journal_lines(home):
            d = json.loads(raw)
            payload = events.PAYLOADS[d["type"]].from_payload(d["data"])
            assert _line({**d, "data": payload.to_payload()}) == raw
            seen.add(d["type"])
    assert seen == {
        "client-added", "client-address", "client-email", "terms-agreed", "invoice-added", "invoice-amended",
        "payment", "note", "plan", "paused", "resumed", "letter-sent", "letter-bounced", "closed", "voided",
        "statement-rendered", "handed-over", "letter-rendered", "credit-applied", "credit-refunded"}


def test_the_data_a_command_writes_is_what_the_type_it_built_writes(session_home, demo_home):
    # Built afresh from its fields (no memory of the keys it was read with), each payload
    # writes the same data in the same order: the commands write through these types.
    for home in (session_home, demo_home):
        for raw in _journal_lines(home):
            d = json.loads(raw)
            payload = events.PAYLOADS[d["type"]].from_payload(d["data"])
            built = dataclasses.replace(payload, read_from=None)
            assert json.dumps(built.to_payload()) == json.dumps(d["data"]), d["type"]


def test_a_payload_keeps_keys_it_does_not_know_and_null_apart_from_absent():
    data = {"date": "2026-01-02", "later": {"x": 1}, "text": "hi"}
    note = events.NoteData.from_payload(data)
    assert (note.day, note.text, note.promise, note.extra) == (date(2026, 1, 2), "hi", None, {"later": {"x": 1}})
    assert list(note.to_payload().items()) == list(data.items())
    assert events.NoteData.from_payload({"date": "2026-01-02", "promise": None}).to_payload() == \
        {"date": "2026-01-02", "promise": None}


def test_a_built_payload_leaves_out_what_is_none_unless_it_may_be_null():
    plan = events.PlanData(day=date(2026, 1, 1), every="month", total=Decimal("10.00"),
                           installments=(events.InstallmentData(due=date(2026, 2, 1), amount=Decimal("10.00")),))
    assert plan.event("F-1") == ("plan", "F-1", {
        "date": "2026-01-01", "every": "month", "total": "10.00", "interest": "included",
        "installments": [{"due": "2026-02-01", "amount": "10.00"}]})
    assert events.NoteData(day=date(2026, 1, 1), text="x").to_payload() == \
        {"date": "2026-01-01", "text": "x", "promise": None}


def test_from_payload_refuses_what_the_journal_refuses_with_the_same_words():
    with pytest.raises(events.PayloadError) as e:
        events.PaymentData.from_payload({"amount": "lots", "date": "2026-01-01"})
    assert str(e.value) == "is a payment event whose field 'amount' is not an amount such as \"250.00\""
    assert str(e.value) == events.problem("payment", "F-1", {"amount": "lots", "date": "2026-01-01"})


def test_every_schema_is_derived_from_its_type():
    # one source of truth: each type's fields are exactly its schema's, key for key
    for kind, cls in events.PAYLOADS.items():
        names = [f.metadata.get("key") or f.name for f in dataclasses.fields(cls)
                 if f.name != "read_from"]
        assert [f.name for f in events.SCHEMAS[kind].fields] == names
        assert cls.TYPE == kind

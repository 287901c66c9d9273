"""The readers of an event's data outside the fold (a letter's claim when `wik sent` adopts a
rendered copy, the proof of receipt, an amendment, the dossier, erasure, merging a conflict
copy) read it through its payload type: what they read is what the journal checked, so a
wrong value in a hand-edited journal is one message naming the line, never a traceback or a
silent default."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_cli
from wikcli.ledger import events
from wikcli.ledger.payload import INVOICE, NO_INVOICE
from wikcli.services import privacy
from wikcli.store.lines import Event

TODAY = "2026-11-02"
SETUP = (
    ("init", "--name", "Studio Noord", "--iban", "NL91ABNA0417164300", "--no-vat-deductible"),
    ("client", "add", "jansen", "--name", "P. Jansen", "--type", "consumer", "--address", "Kerkstraat 1",
     "--postcode", "1017 GM", "--city", "Amsterdam"),
    ("invoice", "add", "F-1", "--client", "jansen", "--amount", "250,00", "--date", "2026-09-01"),
    ("sent", "F-1", "--kind", "wik", "--date", "2026-10-10"),  # line 4: its claim announces the costs
    ("invoice", "add", "F-2", "--client", "jansen", "--amount", "100,00", "--date", "2026-09-01"),
    ("invoice", "amend", "F-2", "--amount", "120", "--reason", "typo"),  # line 6
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("readers") / "home"
    for args in SETUP:
        r = run_cli(*args, "--home", str(home), env={"WIK_TODAY": TODAY})
        assert r.exit_code == 0, (args, r.stderr)
    return (home / "journal.jsonl").read_bytes()


def _home(tmp_path, built) -> Path:
    h = tmp_path / "home"
    assert run_cli(*SETUP[0], "--home", str(h)).exit_code == 0
    (h / "journal.jsonl").write_bytes(built)
    return h


def _edit(home: Path, line: int, change) -> bytes:
    path = home / "journal.jsonl"
    lines = path.read_bytes().split(b"\n")
    d = json.loads(lines[line - 1])
    change(d["data"])
    lines[line - 1] = json.dumps(d, separators=(",", ":")).encode()
    path.write_bytes(b"\n".join(lines))
    return path.read_bytes()


def _announced(data: dict) -> dict:
    return data["claim"]["costs_announced"]


CLAIM = "journal.jsonl line 4 is a letter-sent event whose field 'claim' is not an object whose "
BAD = {
    # read by the fold as Decimal(0.21): a float's digits, silently
    "a VAT rate as a number": (4, lambda d: _announced(d).update(vat_rate=0.21),
                               CLAIM + "field 'costs_announced' is not an object whose field 'vat_rate' is not an "
                                       "amount such as \"250.00\""),
    # the fold read it with .get(): a traceback
    "announced costs as a text": (4, lambda d: d["claim"].update(costs_announced="40.00"),
                                  CLAIM + "field 'costs_announced' is not an object"),
    "a total that is no amount": (4, lambda d: d["claim"].update(total=250.25),
                                  CLAIM + "field 'total' is not an amount such as \"250.00\""),
    # the timeline's describe read c["old"]: a traceback
    "an amendment without its old amount": (
        6, lambda d: d["changes"]["amount"].pop("old"),
        "journal.jsonl line 6 is a invoice-amended event whose field 'changes' is not an object of amount, date, "
        "due or client, each {old, new}"),
    "an amendment's old amount as a number": (
        6, lambda d: d["changes"]["amount"].update(old=100),
        "journal.jsonl line 6 is a invoice-amended event whose field 'changes' is not an object of amount, date, "
        "due or client, each {old, new}"),
    # the proof of receipt read d["email"]["accepted_at"]: a traceback
    "an e-mail without the time it was accepted": (
        4, lambda d: d.update(email={"to": "p@example.nl", "message_id": "<1@x>", "reply": "250 OK"}),
        "journal.jsonl line 4 is a letter-sent event whose field 'email' is not an object whose field "
        "'accepted_at' is missing"),
}
FIX = "fix or remove it by hand (keep a copy), then run the command again"
COMMANDS = (("status",), ("invoice", "show", "F-1"), ("invoice", "show", "F-2"), ("check",),
            ("handover", "F-1"), ("export-client", "jansen"))


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_wrong_value_in_a_nested_payload_is_one_line_naming_the_line(built, tmp_path, case):
    line, change, message = BAD[case]
    home = _home(tmp_path, built)
    before = _edit(home, line, change)
    for cmd in COMMANDS:
        r = run_cli(*cmd, "--home", str(home), env={"WIK_TODAY": TODAY})
        assert r.exit_code == 2, (cmd, r.stdout, r.stderr)
        assert r.stderr == f"wik: error: {message}: {FIX}\n", (cmd, r.stderr)
        assert (home / "journal.jsonl").read_bytes() == before


def test_the_journal_as_written_reads(built, tmp_path):
    home = _home(tmp_path, built)
    for cmd in COMMANDS[:3]:
        r = run_cli(*cmd, "--home", str(home), env={"WIK_TODAY": TODAY})
        assert r.exit_code == 0, (cmd, r.stderr)


def test_a_letters_claim_is_written_as_before_key_for_key():
    # what Claim.record wrote as a dict before the claim had a type, in the same order
    claim = events.LetterClaimData(
        principal_open=Decimal("250.00"), costs_open=Decimal("0.00"), interest_open=Decimal("0.25"),
        total=Decimal("250.25"), requested=Decimal("250.25"),
        costs_announced=events.ClaimCostsData(
            principal=Decimal("250.00"), costs=Decimal("40.00"), vat=Decimal("8.40"), vat_rate=Decimal("0.21"),
            cumulation=[{"agreement": None, "since": "2026-01-01", "earlier": [], "staffel": "40.00", "left": "0.00"}],
            terms={"text": "15%", "percentage": "15", "minimum": None, "maximum": None, "fixed": None},
            clause="art. 8"))
    assert json.dumps(claim.to_payload()) == json.dumps({
        "principal_open": "250.00", "costs_open": "0.00", "interest_open": "0.25", "total": "250.25",
        "requested": "250.25", "costs_announced": {
            "principal": "250.00", "costs": "40.00", "vat": "8.40", "vat_rate": "0.21",
            "cumulation": [{"agreement": None, "since": "2026-01-01", "earlier": [], "staffel": "40.00",
                            "left": "0.00"}],
            "terms": {"text": "15%", "percentage": "15", "minimum": None, "maximum": None, "fixed": None},
            "clause": "art. 8"}})
    # no costs announced: null, and neither cumulation nor terms written
    none = dataclasses.replace(claim, costs_announced=None).to_payload()
    assert list(none.items())[-1] == ("costs_announced", None)
    staffel = events.ClaimCostsData(principal=Decimal("250.00"), costs=Decimal("40.00"), vat=Decimal("8.40"),
                                    vat_rate=Decimal("0.21"))
    assert list(staffel.to_payload()) == ["principal", "costs", "vat", "vat_rate"]


def test_a_claim_written_before_every_field_was_kept_still_reads():
    # the snapshot's tests write claims of one field; the fold and `wik sent` read what is there
    p = events.LetterSentData.from_payload({"kind": "wik", "date": "2026-01-02", "invoices": ["F-1"],
                                            "claim": {"costs_announced": {"vat_rate": "0.21"}}})
    assert p.claim is not None and p.claim.total is None
    assert p.claim.costs_announced is not None and p.claim.costs_announced.vat_rate == Decimal("0.21")
    assert p.claim.costs_announced.costs is None


def test_every_event_about_an_invoice_has_its_day():
    for kind, cls in events.PAYLOADS.items():
        if cls.INVOICE == NO_INVOICE:
            continue
        spec = {f.name: f for f in dataclasses.fields(cls)}
        assert "day" in spec and spec["day"].metadata.get("key") == "date", kind
        if cls.INVOICE == INVOICE:
            assert spec["day"].default is dataclasses.MISSING, kind


def _ev(seq, kind, invoice, data):
    events.PAYLOADS[kind].from_payload(data)  # as the journal checked it
    return Event(seq, "2026-11-02T10:00:00Z", kind, invoice, data)


BANK = {"key": "k1", "booking_date": "2026-10-01", "amount": "100.00", "counterparty_name": "P. Jansen",
        "counterparty_iban": "NL02ABNA0123456789", "text": "F-1", "rule": "amount", "evidence": "NL02ABNA0123456789"}
REDACTED = [
    (_ev(1, "client-added", None, {"id": "jansen", "name": "P. Jansen", "type": "consumer", "address": "Weg 1",
                                   "city": "Delft", "country": "NL", "external_id": "p@x.nl"}),
     {"id": "jansen", "name": "(forgotten)", "type": "consumer", "address": "", "city": "", "country": "NL",
      "external_id": ""}),
    (_ev(2, "client-address", None, {"id": "jansen", "address": "Weg 1", "postcode": "2611 AA", "city": "Delft",
                                     "country": "NL", "date": "2026-10-01"}),
     {"id": "jansen", "address": "", "postcode": "", "city": "", "country": "NL", "date": "2026-10-01"}),
    (_ev(3, "client-email", None, {"id": "jansen", "date": "2026-10-01", "source": "order form", "given": "",
                                   "letters": True, "email": "p@x.nl"}),
     {"id": "jansen", "date": "2026-10-01", "source": "(forgotten)", "given": "", "letters": True, "email": ""}),
    (_ev(4, "client-email", None, {"id": "jansen", "date": "2026-10-01", "source": "", "given": "",
                                   "letters": False}), None),
    (_ev(5, "client-iban", None, {"id": "jansen", "iban": "NL02ABNA0123456789"}), {"id": "jansen", "iban": ""}),
    (_ev(6, "client-added", None, {"id": "piet", "name": "Piet", "type": "consumer"}), None),
    (_ev(7, "note", "F-1", {"date": "2026-10-01", "text": "belde", "promise": None}),
     {"date": "2026-10-01", "text": "(forgotten)", "promise": None}),
    (_ev(8, "note", "F-9", {"date": "2026-10-01", "text": "belde"}), None),  # another client's invoice
    (_ev(9, "invoice-added", "F-1", {"client": "jansen", "amount": "1.00", "date": "2026-09-01", "due": "2026-10-01",
                                     "description": "lessen"}),
     {"client": "jansen", "amount": "1.00", "date": "2026-09-01", "due": "2026-10-01", "description": ""}),
    (_ev(10, "paused", "F-1", {"date": "2026-10-01"}), {"date": "2026-10-01", "reason": "(forgotten)"}),
    (_ev(11, "mail-attempt", "F-1", {"date": "2026-10-01", "kind": "wik", "invoices": ["F-1"], "to": "p@x.nl",
                                     "message_id": "<1@x>", "file": "F-1.pdf", "at": "2026-10-01T10:00:00Z"}),
     {"date": "2026-10-01", "kind": "wik", "invoices": ["F-1"], "to": "", "message_id": "<1@x>", "file": "F-1.pdf",
      "at": "2026-10-01T10:00:00Z"}),
    (_ev(12, "letter-sent", "F-1", {"kind": "wik", "date": "2026-10-01", "via": "email", "email": {
        "to": "p@x.nl", "message_id": "<1@x>", "reply": "250 OK", "accepted_at": "2026-10-01T10:00:01Z"}}),
     {"kind": "wik", "date": "2026-10-01", "via": "email", "email": {
         "to": "", "message_id": "<1@x>", "reply": "250 OK", "accepted_at": "2026-10-01T10:00:01Z"}}),
    (_ev(13, "payment", "F-1", {"amount": "100.00", "date": "2026-10-01", "bank": BANK}),
     {"amount": "100.00", "date": "2026-10-01", "bank": {**BANK, "counterparty_name": "", "counterparty_iban": "",
                                                           "text": "", "evidence": ""}}),
    (_ev(14, "bank-unmatched", None, {"date": "2026-10-01", "bank": {**BANK, "key": "k2"}, "reason": "no match"}),
     {"date": "2026-10-01", "bank": {**BANK, "key": "k2", "counterparty_name": "", "counterparty_iban": "",
                                     "text": "", "evidence": ""}, "reason": "no match"}),
    (_ev(15, "bank-unmatched", None, {"date": "2026-10-01", "bank": {**BANK, "key": "k3"}}), None),
]


@pytest.mark.parametrize("i", range(len(REDACTED)))
def test_erasure_blanks_each_field_in_place(i):
    event, want = REDACTED[i]
    got = privacy.redact(event, "jansen", {"F-1"}, {"k2"})
    assert got == want
    if want is not None:
        assert list(got) == list(want)  # the keys in the order the journal holds them
        assert privacy.redact(Event(event.seq, event.at, event.type, event.invoice, got), "jansen", {"F-1"},
                              {"k2"}) is None  # erasing twice changes nothing


def test_export_names_the_clients_events_by_their_fields():
    evs = [e for e, _want in REDACTED] + [
        _ev(16, "terms-agreed", None, {"client": "jansen", "date": "2026-10-01", "from": "2026-10-01"}),
        _ev(17, "bank-ignored", None, {"key": "k2", "date": "2026-10-01"}),
        _ev(18, "payment", "F-9", {"amount": "1.00", "date": "2026-10-01", "bank": {**BANK, "key": "k2"}})]
    named = [e.seq for e in evs if privacy.names_client(e, "jansen", {"F-1"}, {"k2"})]
    assert named == [1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 16, 17, 18]


def test_receipt_reads_each_letter_with_its_bounce_and_registered_post():
    from wikcli.ledger import facts, receipt

    rows = [
        ("client-added", None, {"id": "jansen", "name": "P. Jansen", "type": "consumer"}),
        ("invoice-added", "F-1", {"client": "jansen", "amount": "250.00", "date": "2026-01-02", "due": "2026-02-01"}),
        ("letter-sent", "F-1", {"kind": "reminder", "date": "2026-02-10", "via": "email", "email": {
            "to": "p@x.nl", "message_id": "<1@x>", "reply": "250 OK", "accepted_at": "2026-02-10T09:00:00Z"}}),
        ("letter-bounced", "F-1", {"date": "2026-02-11", "seq": 3, "kind": "reminder", "letter": "L3",
                                   "letter_date": "2026-02-10", "reason": "no mailbox"}),
        ("letter-sent", "F-1", {"kind": "wik", "date": "2026-02-20"}),
        ("letter-registered", "F-1", {"date": "2026-02-20", "seq": 5, "kind": "wik", "letter": "L5",
                                      "letter_date": "2026-02-20", "barcode": "3SABC", "status": None}),
        ("letter-registered", "F-1", {"date": "2026-02-23", "seq": 5, "kind": "wik", "letter": "L5",
                                      "letter_date": "2026-02-20", "barcode": "3SABC", "status": "refused"}),
    ]
    ledger = facts.fold(_ev(i + 1, t, n, d) for i, (t, n, d) in enumerate(rows))
    assert receipt.letters(ledger.invoices["F-1"]) == [
        {"seq": 3, "kind": "reminder", "date": "2026-02-10", "via": "email",
         "email": {"to": "p@x.nl", "message_id": "<1@x>", "reply": "250 OK", "accepted_at": "2026-02-10T09:00:00Z"},
         "bounced": {"date": "2026-02-11", "reason": "no mailbox"}, "registered": None, "received": None},
        {"seq": 5, "kind": "wik", "date": "2026-02-20", "via": "post", "email": None, "bounced": None,
         "registered": {"barcode": "3SABC", "status": "refused", "status_date": "2026-02-23"},
         "received": "2026-02-23"}]


def test_an_amendment_is_described_and_folded_through_its_type():
    from wikcli.ledger import amend

    data = {"date": "2026-10-02", "changes": {"amount": {"old": "100.00", "new": "120.00"},
                                              "due": {"old": "2026-10-01", "new": "2026-10-15"},
                                              "client": {"old": "jansen", "new": "piet"}}, "reason": "typo"}
    p = events.InvoiceAmendedData.from_payload(data)
    assert (p.changes.amount and p.changes.amount.new, p.changes.day, p.changes.due and p.changes.due.new) == (
        Decimal("120.00"), None, date(2026, 10, 15))
    assert amend.describe(data) == "amount € 100,00 -> € 120,00; due 2026-10-01 -> 2026-10-15; client jansen -> piet (typo)"
    assert amend.changed(p.changes) == ["amount", "due", "client"]


def test_a_merged_bounce_follows_its_letter(tmp_path):
    # A letter e-mailed and bounced on one computer, a payment recorded on the other: merged,
    # the bounce names the letter under its new number, and the payment that took the
    # letter's old number is not taken for the bounced letter (which would void it).
    import shutil

    home = tmp_path / "home"
    h = str(home)
    env = {"WIK_TODAY": "2026-11-25"}
    for args in (SETUP[0], SETUP[1],
                 ("invoice", "add", "F-1", "--client", "jansen", "--amount", "250,00", "--date", "2026-09-01")):
        assert run_cli(*args, "--home", h, env=env).exit_code == 0
    other = tmp_path / "other"
    shutil.copytree(home, other)
    o = str(other)
    assert run_cli("pay", "F-1", "100", "--date", "2026-11-20", "--home", h, env=env).exit_code == 0
    for args in (("sent", "F-1", "--kind", "reminder", "--via", "email", "--date", "2026-11-22"),
                 ("bounced", "F-1", "--kind", "reminder", "--reason", "no mailbox")):
        r = run_cli(*args, "--home", o, env=env)
        assert r.exit_code == 0, r.stderr
    shutil.copy(other / "journal.jsonl", home / "journal (1).jsonl")
    r = run_cli("repair", "--merge", "journal (1).jsonl", "--home", h)
    assert r.exit_code == 0, r.stderr
    merged = [json.loads(x) for x in (home / "journal.jsonl").read_text().splitlines()[1:]]
    assert [(e["seq"], e["type"]) for e in merged[2:]] == [(3, "payment"), (4, "letter-sent"), (5, "letter-bounced")]
    assert (merged[3]["data"]["letter"], merged[4]["data"]["seq"], merged[4]["data"]["letter"]) == ("L4", 4, "L4")
    shown = run_cli("invoice", "show", "F-1", "--json", "--home", h, env=env)
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["paid"] == "100.00"

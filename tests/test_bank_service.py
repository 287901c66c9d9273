"""The bank's use cases as a Python API (services/bank_import.py), and the one write path
they share with every command: Home.record, the ledger read through the snapshot, the bank's
events folded into Ledger.bank and carried by the snapshot."""

from __future__ import annotations

import re

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import run_cli
from test_banking import JANSEN_IBAN, STRANGER_IBAN, camt, events, home, journal, put  # noqa: F401
from test_cli_ledger import _ok
from wikcli.store.home import Home
from wikcli.ledger import facts
from wikcli.ledger.commands import LedgerError
from wikcli.services import bank_import
from wikcli.store import snapshot
from wikcli.store.journal import Journal

DAY = date(2026, 11, 25)


def _statement(tmp_path) -> Path:
    return Path(put(tmp_path, "nov.xml", camt(
        {"amount": "605.00", "name": "Jansen Advies BV", "iban": JANSEN_IBAN, "text": "factuur 2026-001"},
        {"amount": "35.50", "name": "M. de Vries", "iban": STRANGER_IBAN, "text": "eerste deel"},
        {"amount": "7.00", "debit": True})))


def test_the_service_imports_a_statement_without_the_command_line(home, tmp_path):
    f = _statement(tmp_path)
    before = len(events(home))
    result = bank_import.import_files(Home.open(home), bank_import.read([f]), DAY)
    written = events(home)[before:]
    assert [(e["seq"], e["type"], e["invoice"]) for e in written] == [
        (before + 1, "payment", "2026-001"), (before + 2, "client-iban", None), (before + 3, "bank-unmatched", None)]
    # the results carry the numbers the journal gave their events, none foreseen
    [booked] = result.booked
    assert (booked.seqs, booked.parts, booked.rule, booked.client) == (
        (before + 1,), (("2026-001", D("605.00")),), "invoice_number", "jansen")
    [kept] = result.kept
    assert (kept.seq, kept.credit.amount, kept.duplicate_of) == (before + 3, D("35.50"), None)
    assert result.ibans == [("jansen", JANSEN_IBAN)]
    assert (result.credits, result.credits_total, dict(result.skipped), result.already) == (
        2, D("640.50"), {"debit": 1}, 0)
    out = result.to_json()
    assert (out["dry_run"], out["already_imported"], [m["seq"] for m in out["matched"]],
            [u["seq"] for u in out["unmatched"]]) == (False, 0, [[before + 1]], [before + 3])
    # the same statement again, through the service: passed over, the journal byte for byte
    data = journal(home)
    again = bank_import.import_files(Home.open(home), bank_import.read([f]), DAY)
    assert (again.already, again.booked, again.kept) == (2, [], [])
    assert journal(home) == data
    # the credit kept for review, then ignored, through the service
    [p] = bank_import.unmatched(Home.open(home), DAY)
    assert (p.seq, p.credit.amount, p.state) == (before + 3, D("35.50"), "unmatched")
    recorded, q = bank_import.ignore(Home.open(home), f"#{p.seq}", "retour", DAY)
    assert ([(e.seq, e.type, e.data["key"]) for e in recorded], q.seq) == (
        [(before + 4, "bank-ignored", p.credit.key)], p.seq)
    assert bank_import.unmatched(Home.open(home), DAY) == []
    with pytest.raises(LedgerError, match="was ignored on 2026-11-25"):
        bank_import.match(Home.open(home), str(p.seq), ["2026-011"], DAY)
    assert len(events(home)) == before + 4


def test_a_dry_run_numbers_nothing_and_writes_nothing(home, tmp_path):
    data = journal(home)
    result = bank_import.import_files(Home.open(home), bank_import.read([_statement(tmp_path)]), DAY, dry_run=True)
    assert [(b.seqs, b.parts) for b in result.booked] == [((), (("2026-001", D("605.00")),))]
    assert [(k.seq, k.credit.amount) for k in result.kept] == [(None, D("35.50"))]
    assert journal(home) == data


def _read(stderr: str) -> int:
    """How many events a command read, from the snapshot and after it (``--verbose``)."""
    m = re.search(r"wik: read events 1-(\d+) from the snapshot and (\d+) appended since from the journal", stderr)
    assert m, stderr
    return int(m[1]) + int(m[2])


def test_the_bank_commands_read_through_the_snapshot(home, tmp_path):
    """A bank import, review and match read the ledger as every command does: the snapshot
    and the events after it, the bank's own events among them."""
    n = len(events(home))
    r = run_cli("--verbose", "bank", "import", str(_statement(tmp_path)), "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 0, r.stderr
    assert _read(r.stderr) == n
    r = run_cli("--verbose", "bank", "unmatched", "--json", "--home", home, "--today", "2026-11-25")
    assert _read(r.stderr) == n + 3
    [p] = r.json()
    assert (p["seq"], p["amount"]) == (n + 3, "35.50")
    r = run_cli("--verbose", "bank", "match", str(n + 3), "2026-012", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 0 and "from the snapshot" in r.stderr, r.stderr
    assert r.stdout == "Booked € 35,50 of 2026-11-20 on invoice 2026-012.\n"
    assert [(e["seq"], e["type"], e["invoice"]) for e in events(home)[n + 3:]] == [
        (n + 4, "payment", "2026-012"), (n + 5, "client-iban", None)]


def test_the_snapshot_carries_the_bank_events(home, tmp_path):
    """Ledger.bank read through the snapshot, with and without events after it, is what
    folding the whole journal gives: payments from a statement, credits kept and ignored,
    never a hand payment."""
    _ok("pay", "2026-011", "10,00", "--date", "2026-11-02", "--home", home, "--today", "2026-11-25")
    _ok("bank", "import", str(_statement(tmp_path)), "--home", home, "--today", "2026-11-25")
    kept = [e for e in events(home) if e["type"] == "bank-unmatched"][0]["seq"]
    _ok("status", "--home", home, "--today", "2026-11-25")
    _ok("bank", "ignore", str(kept), "--reason", "retour", "--home", home, "--today", "2026-11-25")
    whole = facts.fold(Journal(Path(home)).events())
    assert [(e.type, e.invoice) for e in whole.bank] == [
        ("payment", "2026-001"), ("bank-unmatched", None), ("bank-ignored", None)]
    journal_ = Journal(Path(home))
    _same_bank(journal_, whole, covered=False)  # the bank's events all after the snapshot
    old = snapshot.REWRITE_AFTER
    snapshot.REWRITE_AFTER = 1
    try:
        snapshot.read(journal_)  # writes a snapshot of all of it
    finally:
        snapshot.REWRITE_AFTER = old
    _same_bank(journal_, whole, covered=True)
    # more of the bank's events after a snapshot that holds some: added to those it holds
    f = put(tmp_path, "dec.xml", camt({"amount": "12.00", "name": "P. Pieters", "text": "gift"}, stmt="S2"))
    _ok("bank", "import", f, "--home", home, "--today", "2026-11-25")
    whole = facts.fold(journal_.events())
    assert [e.type for e in whole.bank][-1] == "bank-unmatched" and len(whole.bank) == 4
    _same_bank(journal_, whole, covered=False)


def _same_bank(journal: Journal, whole, *, covered: bool) -> None:
    assert (snapshot.load(journal).cover.seq == whole.last_seq) is covered
    got = snapshot.read(journal)
    assert [e.to_json() for e in got.bank] == [e.to_json() for e in whole.bank]
    assert got == whole


def test_recording_an_import_folds_its_events_into_the_ledger_once(home, tmp_path):
    """The ledger the write path hands the import is given back as read: the record folds the
    payments and the IBAN learnt into it once, as into any command's (a whole read here)."""
    (Path(home) / "journal.snapshot").unlink()
    h = Home.open(home)
    seen = []
    record = h.record

    def watched(build):
        def build_(ledger):
            seen.append(ledger)
            return build(ledger)
        return record(build_)

    h.record = watched  # type: ignore[method-assign]
    bank_import.import_files(h, bank_import.read([_statement(tmp_path)]), DAY)
    whole = facts.fold(Journal(Path(home)).events())
    [ledger] = seen
    assert ledger.invoices["2026-001"].payments == whole.invoices["2026-001"].payments
    assert [p.amount for p in ledger.invoices["2026-001"].payments] == [D("605.00")]
    assert ledger.clients["jansen"].ibans == (JANSEN_IBAN,)
    assert ledger == whole

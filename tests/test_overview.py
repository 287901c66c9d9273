"""The day's overview kept beside the journal: its rows are those of a fresh assessment.

The property test runs the snapshot's random journals (tests/test_snapshot.py: clients,
invoices, payments, notes, plans, letters on one or several invoices, voids, client-wide
terms, forgotten clients, torn tails repaired, hand edits, a second writer, damaged or
deleted snapshots) and between the steps asks for the overview on one of a few days, under
one of two policies and VAT positions, open invoices or all, keeping the rows or not (a
command whose output failed), and compares it with ``process.assess_all`` of a full replay,
field by field and in order. The other tests cover what re-assesses what, and each way the
kept file is refused.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from conftest import run_cli
from test_claims_stateful import PROFILE, LedgerMachine
from test_cli_ledger import _ok, init_home
from test_snapshot import NOW, JournalMachine, replay
from wikcli.store import overview, snapshot
from wikcli.ledger import steps
from wikcli.store.journal import Journal
from wikcli.ledger.model import Policy
from wikcli.ledger.rulebook import Rulebook

DAYS = (date(2026, 3, 1), date(2026, 4, 15), date(2026, 9, 30), date(2027, 2, 1))
POLICIES = (Policy(), Policy(business_skips_steps=True, default_term_days=10))


def fresh(journal, policy, vat, day, include_closed) -> list:
    return [a.row() for a in steps.assess_all(replay(journal), Rulebook(policy, vat), day, include_closed=include_closed)]


def chunked(size: int, compute):
    """``compute()`` with the invoices assessed ``size`` at a time (and let go in between)."""
    old = overview.CHUNK
    overview.CHUNK = size
    try:
        return compute()
    finally:
        overview.CHUNK = old


class OverviewMachine(JournalMachine):
    @rule(day=st.sampled_from(DAYS), which=st.integers(0, 1), vat=st.booleans(), include_closed=st.booleans(),
          keep=st.integers(0, 4), chunk=st.sampled_from([1, 2, 2000]))
    def overview(self, day, which, vat, include_closed, keep, chunk):
        policy = POLICIES[which]
        got = chunked(chunk, lambda: overview.compute(self.journal, Rulebook(policy, vat), day, include_closed=include_closed))
        assert got.rows == fresh(self.journal, policy, vat, day, include_closed)
        if keep:
            got.keep()


TestOverviewMachine = OverviewMachine.TestCase
TestOverviewMachine.settings = settings.get_profile(
    "snapshot-long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "snapshot-ci")


class MonthsMachine(LedgerMachine):
    """A freelancer's months as in tests/test_claims_stateful.py (real letters announcing one
    staffel over several invoices, payments inside and after their terms, plans, voids, agreed
    terms, config changes, days passing), written to a journal; after every step the overview
    read from it, kept or not, is the fresh assessment of the ledger."""

    def _append(self, new):
        if not hasattr(self, "journal"):
            import tempfile

            self.tmp = Path(tempfile.mkdtemp(prefix="wik-overview-"))
            self.journal = Journal(self.tmp)
            self.journal.create(NOW)
            self.old = snapshot.REWRITE_AFTER
            snapshot.REWRITE_AFTER = 7  # snapshots rewritten now and then, tails read in between
        super()._append(new)
        appended = snapshot.record(self.journal, NOW, lambda ledger: new)
        assert [e.seq for e in appended] == [e.seq for e in self.events[len(self.events) - len(new):]]

    def teardown(self):
        import shutil

        if hasattr(self, "journal"):
            snapshot.REWRITE_AFTER = self.old
            shutil.rmtree(self.tmp, ignore_errors=True)

    @invariant()
    def overview_is_fresh(self):
        if not hasattr(self, "journal"):
            return
        for include_closed in (False, True):
            got = chunked(1 + len(self.events) % 3, lambda: overview.compute(
                self.journal, Rulebook(self.policy, self.vat_ok), self.today, include_closed=include_closed))
            want = steps.assess_all(self.ledger(), Rulebook(self.policy, self.vat_ok), self.today,
                                      include_closed=include_closed)
            assert got.rows == [a.row() for a in want]
            self.rows_seen = getattr(self, "rows_seen", 0) + len(got.rows)
            if self.today.day % 3:
                got.keep()


TestMonthsMachine = MonthsMachine.TestCase
TestMonthsMachine.settings = settings.get_profile(PROFILE)


# -- through the commands ------------------------------------------------------------------------


def home_with_a_letter(tmp_path) -> Path:
    """Two invoices of one client under one WIK-letter (one staffel), and a third on its own."""
    h = init_home(tmp_path)
    _ok("client", "add", "k", "--name", "Klant", "--address", "Straat 1", "--city", "Utrecht", "--type", "consumer", "--home", h)
    for number, amount in (("F1", "300"), ("F2", "200"), ("F3", "100")):
        _ok("invoice", "add", number, "--client", "k", "--amount", amount, "--date", "2026-01-05", "--home", h)
    _ok("sent", "F1", "F2", "--kind", "wik", "--date", "2026-03-02", "--home", h, "--today", "2026-03-02")
    return Path(h)


def status(home: Path, day: str = "2026-04-01", *more: str) -> tuple[list, str]:
    r = run_cli("--verbose", "status", "--json", "--home", home, "--today", day, *more)
    assert r.exit_code == 0, r.stderr
    return r.json(), r.stderr


def assessed(err: str) -> str:
    (line,) = [x for x in err.splitlines() if x.startswith("wik: overview: ")]
    return line.split("overview: ")[1]


def test_a_payment_reassesses_its_invoice_and_those_its_letter_joins_it_to(tmp_path):
    home = home_with_a_letter(tmp_path)
    rows, err = status(home)
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert status(home) == (rows, status(home)[1])
    assert assessed(status(home)[1]) == "0 of 3 invoice(s) assessed, 3 as kept"
    _ok("pay", "F2", "50", "--date", "2026-03-10", "--home", home, "--today", "2026-03-10")
    rows, err = status(home)
    assert assessed(err) == "2 of 3 invoice(s) assessed, 1 as kept"  # F1 and F2: one staffel
    # A payment on the letter's claim pays its oldest invoice's principal first (claimpay).
    assert [r["principal_open"] for r in sorted(rows, key=lambda r: r["invoice"])] == ["250.00", "200.00", "100.00"]
    _ok("note", "F3", "gebeld", "--date", "2026-03-11", "--home", home, "--today", "2026-03-11")
    assert assessed(status(home)[1]) == "1 of 3 invoice(s) assessed, 2 as kept"


def test_another_day_config_or_rate_table_reassesses_everything(tmp_path):
    home = home_with_a_letter(tmp_path)
    status(home)
    err = status(home, "2026-04-02")[1]
    assert "is of another day, config or rate table: made again" in err
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert assessed(status(home, "2026-04-02")[1]) == "0 of 3 invoice(s) assessed, 3 as kept"
    config = home / "config.toml"
    config.write_text(config.read_text().replace("default_term_days = 8", "default_term_days = 10"))
    assert assessed(status(home, "2026-04-02")[1]) == "3 of 3 invoice(s) assessed, 0 as kept"
    before = status(home, "2026-04-02")[0]
    (home / "rates.toml").write_text('[[consumer]]\nfrom = 2026-01-01\nrate = "0.10"\nconfirmed = true\n'
                                     'source = "Stb. 2099, 1"\n')
    rows, err = status(home, "2026-04-02")
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert rows != before  # the user's rate is in the interest
    assert assessed(status(home, "2026-04-02")[1]) == "0 of 3 invoice(s) assessed, 3 as kept"
    # The key is the rates, not the file: a comment keeps the rows, another rate does not.
    rates = home / "rates.toml"
    rates.write_text("# mine\n" + rates.read_text())
    assert assessed(status(home, "2026-04-02")[1]) == "0 of 3 invoice(s) assessed, 3 as kept"
    rates.write_text(rates.read_text().replace('"0.10"', '"0.11"'))
    higher, err = status(home, "2026-04-02")
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert [r["interest"] for r in higher] != [r["interest"] for r in rows]
    rates.unlink()  # back to the packaged table: the rows of before
    assert status(home, "2026-04-02")[0] == before


def test_the_key_is_the_rulebook_s_values(tmp_path):
    from dataclasses import replace

    from wikcli.rules import deadlines, interest
    from wikcli.store.config import rate_table

    day = date(2026, 4, 1)
    base = Rulebook(Policy(), False)
    assert overview.fingerprint(base, day) == overview.fingerprint(Rulebook(Policy(), False), day)
    (tmp_path / "rates.toml").write_text('[[consumer]]\nfrom = 2026-01-01\nrate = "0.10"\nconfirmed = true\n'
                                         'source = "Stb. 2099, 1"\n')
    others = [replace(base, policy=Policy(default_term_days=10)), replace(base, vat_deductible=True),
              replace(base, rates=rate_table(tmp_path)), replace(base, calendar=deadlines.Calendar("0.0")),
              replace(base, calendar=deadlines.Calendar(base.calendar.package, ()))]
    keys = {overview.fingerprint(r, day) for r in [base, *others]}
    assert len(keys) == 6
    assert overview.fingerprint(base, date(2026, 4, 2)) not in keys
    # Two readings of one file are one key; the packaged table is the default.
    assert (overview.fingerprint(replace(base, rates=rate_table(tmp_path)), day)
            == overview.fingerprint(others[2], day))
    assert base.rates is interest.packaged()
    assert base.calendar == deadlines.calendar() and base.calendar.package not in ("", "none")


def test_a_client_wide_event_reassesses_everything(tmp_path):
    home = home_with_a_letter(tmp_path)
    _ok("client", "add", "b", "--name", "Bedrijf", "--address", "Straat 1", "--city", "Utrecht", "--type", "business", "--home", home)
    _ok("invoice", "add", "B1", "--client", "b", "--amount", "1000", "--date", "2026-01-05", "--home", home)
    before = status(home)[0]
    _ok("client", "terms", "b", "--agreed-interest", "1% per maand", "--from", "2026-01-01", "--home", home,
        "--today", "2026-03-20")
    rows, err = status(home)
    assert "a client-wide event since (terms-agreed, event 9): made again" in err
    assert assessed(err) == "4 of 4 invoice(s) assessed, 0 as kept"
    assert [r["interest"] for r in rows if r["invoice"] == "B1"] != [r["interest"] for r in before
                                                                     if r["invoice"] == "B1"]


def test_status_all_and_check_share_the_rows(tmp_path):
    home = home_with_a_letter(tmp_path)
    _ok("close", "F3", "--reason", "written-off", "--home", home, "--today", "2026-03-03")
    rows, err = status(home)
    assert [r["invoice"] for r in rows] == ["F1", "F2"]
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    rows, err = status(home, "2026-04-01", "--all")
    assert assessed(err) == "1 of 3 invoice(s) assessed, 2 as kept" and len(rows) == 3
    r = run_cli("--verbose", "check", "--home", home, "--today", "2026-04-01")
    assert r.exit_code == 1 and assessed(r.stderr) == "0 of 3 invoice(s) assessed, 3 as kept"
    assert r.stdout.splitlines()[0].startswith("F1: ")


def test_a_kept_file_that_is_damaged_foreign_or_open_to_others_is_made_again(tmp_path, monkeypatch):
    home = home_with_a_letter(tmp_path)
    want, _ = status(home)
    path = home / "journal.overview"
    raw = path.read_bytes()
    for bad, why in ((raw[:-5], "is damaged or cut short"), (b"nonsense", "is damaged or cut short")):
        path.write_bytes(bad)
        rows, err = status(home)
        assert why in err and assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept" and rows == want
    os.chmod(path, 0o644)
    rows, err = status(home)
    assert "is not owner-only: ignored" in err and rows == want
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setattr(overview, "__version__", "0.0.1")
    status(home, "2026-04-03")
    monkeypatch.undo()
    assert "was made by another version of wik (0.0.1)" in status(home, "2026-04-03")[1]


def test_a_journal_edited_by_hand_is_assessed_anew(tmp_path):
    home = home_with_a_letter(tmp_path)
    status(home)
    journal = home / "journal.jsonl"
    raw = journal.read_bytes()
    with open(journal, "r+b") as f:  # F3's 100.00 becomes 900.00 in place
        f.seek(raw.index(b'"amount":"100.00"') + len(b'"amount":"'))
        f.write(b"9")
    rows, err = status(home)
    assert assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert [r["principal"] for r in rows if r["invoice"] == "F3"] == ["900.00"]


def test_repair_and_forget_delete_the_overview(tmp_path):
    home = home_with_a_letter(tmp_path)
    path = home / "journal.overview"
    status(home)
    with open(home / "journal.jsonl", "ab") as f:
        f.write(b'{"seq":99,')
    _ok("repair", "--home", home)
    assert not path.exists()
    status(home)
    for n in ("F1", "F2", "F3"):
        _ok("close", n, "--reason", "written-off", "--home", home, "--today", "2026-04-01")
    status(home)
    assert path.exists()
    _ok("forget", "k", "--home", home, "--today", "2034-01-01")
    assert not path.exists()


def test_the_rows_outlive_a_deleted_snapshot_but_not_a_changed_journal(tmp_path):
    home = home_with_a_letter(tmp_path)
    status(home)
    _ok("pay", "F3", "10", "--date", "2026-03-10", "--home", home, "--today", "2026-03-10")
    (home / "journal.snapshot").unlink()
    rows, err = status(home)  # the whole journal read: it still starts with what the rows were made from
    assert "read all" in err and assessed(err) == "1 of 3 invoice(s) assessed, 2 as kept"
    assert [r["principal_open"] for r in rows if r["invoice"] == "F3"] == ["90.00"]
    (home / "journal.snapshot").unlink()
    assert assessed(status(home)[1]) == "0 of 3 invoice(s) assessed, 3 as kept"
    journal = home / "journal.jsonl"
    raw = journal.read_bytes()
    at = raw.index(b'"amount":"300.00"') + len(b'"amount":"')
    journal.write_bytes(raw[:at] + b"4" + raw[at + 1:])  # F1 400.00: the snapshot and the rows no longer hold
    rows, err = status(home)
    assert "read all" in err and assessed(err) == "3 of 3 invoice(s) assessed, 0 as kept"
    assert [r["principal"] for r in rows if r["invoice"] == "F1"] == ["400.00"]


def test_an_overview_that_cannot_be_written_is_left_out(tmp_path):
    home = home_with_a_letter(tmp_path)
    (home / f".journal.overview.tmp-{os.getpid()}").mkdir()  # in the way, as a full disk would be
    rows, err = status(home)
    assert "wik: no overview written (Is a directory)" in err and [r["invoice"] for r in rows] == ["F3", "F1", "F2"]
    assert not (home / "journal.overview").exists()
    assert status(home) == (rows, err)  # assessed again, the same rows

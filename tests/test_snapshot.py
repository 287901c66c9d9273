"""The snapshot beside the journal: a ledger read through it is the ledger of a full replay.

The property test writes random journals (clients, invoices, payments, notes, letters on one
or several invoices, voids, plans, closes, forgotten clients, torn tails repaired, appends by
a second writer that does not use the snapshot) and, between the steps, reads the ledger
through the snapshot and compares it field by field with ``process.fold`` of every event,
letter groups included (which records share a group, in which order, and that the group
holds the very invoice objects of the ledger). The other tests cover each way a snapshot is
refused and made again, and what a write folds.
"""

from __future__ import annotations

from decimal import Decimal
import os
import stat
import time
from datetime import date, datetime, timedelta, UTC
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conftest import run_cli
from test_cli_ledger import _ok, init_home
from wikcli.ledger import facts
from wikcli.ledger.events import (
    CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, INVOICE_ADDED, LETTER_SENT, NOTE, PAYMENT,
    TERMS_AGREED, VOIDED,
)
from wikcli.store import snapshot, snapshot_file
from wikcli.store.journal import Journal
from wikcli.store.lines import TornJournalError

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)

settings.register_profile("snapshot-ci", max_examples=25, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("snapshot-long", max_examples=600, stateful_step_count=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])


# -- comparing ledgers ------------------------------------------------------------------------


def group_shape(ledger: facts.Ledger, letter: facts.LetterSent) -> list:
    """A letter's group as (invoice, seq, is-the-ledger's-invoice) and the identities behind it."""
    out = []
    for inv, x in letter.group:
        assert x.group is letter.group  # one list shared by every record of the letter
        assert any(y is x for y in inv.letters)  # the record is the one the invoice holds
        out.append((inv.number, x.seq, ledger.invoices.get(inv.number) is inv))
    return out


def assert_same(got: facts.Ledger, want: facts.Ledger, *, all_at_once: bool = True) -> None:
    """``all_at_once``: fold every invoice of ``got`` first (as ``wik status`` does), else one by
    one as asked, last first (as a command about one invoice does)."""
    if all_at_once:
        list(got.invoices.values())
    else:
        for number in reversed(list(want.invoices)):
            got.invoices.get(number)
    assert got.clients == want.clients
    assert list(got.clients) == list(want.clients)
    assert got.forgotten == want.forgotten
    assert got.last_seq == want.last_seq
    assert list(got.invoices) == list(want.invoices)  # the order: status sorts ties by it
    for number, w in want.invoices.items():
        g = got.invoices[number]
        for f in ("number", "client", "amount", "date", "due", "description", "seq", "payments",
                  "notes", "letters", "plans", "marks", "voided", "terms", "client_terms"):
            assert getattr(g, f) == getattr(w, f), (number, f)
        assert [e.to_json() for e in g.events] == [e.to_json() for e in w.events], number
        for gl, wl in zip(g.letters, w.letters):
            assert group_shape(got, gl) == group_shape(want, wl), (number, wl.seq)
    assert got == want


def replay(journal: Journal) -> facts.Ledger:
    return facts.fold(journal.events())


# -- the property test ------------------------------------------------------------------------


class JournalMachine(RuleBasedStateMachine):
    """Random journals, read through the snapshot after random steps."""

    @initialize()
    def start(self):
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="wik-snapshot-"))
        self.journal = Journal(self.tmp / "home")
        self.journal.create(NOW)
        self.other = Journal(self.tmp / "home")  # a second writer that never uses the snapshot
        self.clients: list[str] = []
        self.invoices: list[tuple[str, str]] = []  # (number, client)
        self.voidable: list[int] = []
        self.next_letter = 0
        self.reads = 0
        self.old = snapshot.REWRITE_AFTER
        snapshot.REWRITE_AFTER = 3  # rewrite often, read tails often

    def teardown(self):
        import shutil

        snapshot.REWRITE_AFTER = self.old
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, events, *, through_snapshot: bool):
        """Append ``events`` ((type, invoice, data) or a function of the ledger) in one transaction."""
        def build(ledger):
            return events(ledger) if callable(events) else events

        if through_snapshot:
            return snapshot.record(self.journal, NOW, build)
        with self.other.transaction(NOW) as tx:
            return [tx.append(*ev) for ev in build(facts.fold(tx.events))]

    @rule(business=st.booleans(), by_other=st.booleans())
    def add_client(self, business, by_other):
        cid = f"c{len(self.clients)}"
        self.write([(CLIENT_ADDED, None, {
            "id": cid, "name": f"Klant {cid}", "type": "business" if business else "consumer",
            "address": "Straat 1", "postcode": "1234 AB", "city": "Utrecht", "country": "NL",
            "email": "", "lang": "nl"})], through_snapshot=not by_other)
        self.clients.append(cid)

    @precondition(lambda self: self.clients)
    @rule(pick=st.integers(0, 50), cents=st.integers(1, 10_000_000), offset=st.integers(0, 60),
          by_other=st.booleans(), again=st.integers(0, 40))
    def add_invoice(self, pick, cents, offset, by_other, again):
        cid = self.clients[pick % len(self.clients)]
        if again == 0 and self.invoices:
            number = self.invoices[pick % len(self.invoices)][0]  # a number added twice (a hand edit)
        else:
            number = f"F{len(self.invoices) + 1}"
        day = DAY + timedelta(days=offset)
        self.write([(INVOICE_ADDED, number, {
            "client": cid, "amount": f"{cents // 100}.{cents % 100:02d}", "date": day.isoformat(),
            "due": (day + timedelta(days=14)).isoformat(), "description": "Werk"})], through_snapshot=not by_other)
        self.invoices.append((number, cid))

    @precondition(lambda self: self.clients)
    @rule(pick=st.integers(0, 100), offset=st.integers(-30, 60), own=st.booleans(), iban=st.booleans(),
          by_other=st.booleans())
    def client_wide(self, pick, offset, own, iban, by_other):
        """Events that change more than one invoice: a client's agreed terms, a remembered IBAN
        (and an invoice's own terms, which change only that invoice)."""
        cid = self.clients[pick % len(self.clients)]
        if iban:
            self.write([(CLIENT_IBAN, None, {"id": cid, "iban": f"NL{pick:02d}ABNA0417164300",
                                                      "date": DAY.isoformat(), "tx": f"k{pick}"})],
                       through_snapshot=not by_other)
            return
        number = self.invoices[pick % len(self.invoices)][0] if own and self.invoices else None
        data = {"client": cid, "date": DAY.isoformat(), "from": (DAY + timedelta(days=offset)).isoformat(),
                "clause": f"art. {pick}", "costs": None,
                "interest": {"text": "1% per maand", "rate": "0.12", "surcharge": "0", "compounding": "none"}}
        self.write([(TERMS_AGREED, number, data)], through_snapshot=not by_other)

    @precondition(lambda self: self.invoices)
    @rule(pick=st.integers(0, 100), cents=st.integers(1, 500_000), offset=st.integers(0, 200),
          kind=st.sampled_from(["payment", "note", "plan", "closed", "paused", "resumed"]),
          by_other=st.booleans())
    def fact(self, pick, cents, offset, kind, by_other):
        number = self.invoices[pick % len(self.invoices)][0]
        day = (DAY + timedelta(days=offset)).isoformat()
        data = {
            "payment": {"amount": f"{cents // 100}.{cents % 100:02d}", "date": day},
            "note": {"date": day, "text": "Gebeld", "promise": day if cents % 2 else None},
            "plan": {"date": day, "every": "month", "total": "10.00", "interest": "waived" if cents % 2 else "included",
                     "installments": [{"due": day, "amount": "5.00"}, {"due": day, "amount": "5.00"}]},
            "closed": {"date": day, "reason": "paid"},
            "paused": {"date": day, "reason": "ziek"},
            "resumed": {"date": day},
        }[kind]
        (ev,) = self.write([(kind, number, data)], through_snapshot=not by_other)
        if kind in ("payment", "note", "plan"):
            self.voidable.append(ev.seq)

    @precondition(lambda self: self.invoices)
    @rule(picks=st.lists(st.integers(0, 100), min_size=1, max_size=4), offset=st.integers(30, 200),
          kind=st.sampled_from(["reminder", "wik", "default"]), legacy=st.booleans(), by_other=st.booleans(),
          reuse=st.integers(0, 10))
    def letter(self, picks, offset, kind, legacy, by_other, reuse):
        numbers = list(dict.fromkeys(self.invoices[p % len(self.invoices)][0] for p in picks))
        day = DAY + timedelta(days=offset)
        if legacy:
            events = [(LETTER_SENT, n, {"kind": kind, "date": day.isoformat(), "via": "post"})
                      for n in numbers]
        else:
            # An id used before joins an old letter (only a hand-made journal does that).
            letter_id = f"L-{reuse}" if reuse < 2 else f"X{self.next_letter}"
            self.next_letter += 1
            events = [(LETTER_SENT, n, {
                "kind": kind, "date": day.isoformat(), "via": "post", "letter": letter_id, "invoices": numbers,
                "last_day": (day + timedelta(days=14)).isoformat(),
                "costs_due_from": (day + timedelta(days=15)).isoformat(),
                "announces": {"costs": "40.00", "vat": "8.40"} if kind == "wik" else None,
                "claim": {"costs_announced": {"vat_rate": "0.21"} if kind == "wik" else None}})
                for n in numbers]
        for ev in self.write(events, through_snapshot=not by_other):
            self.voidable.append(ev.seq)

    @precondition(lambda self: self.voidable)
    @rule(pick=st.integers(0, 100), by_other=st.booleans())
    def void(self, pick, by_other):
        seq = self.voidable[pick % len(self.voidable)]

        def build(ledger):
            for inv in ledger.invoices.values():
                ev = facts.find_event(inv, seq)
                if ev is not None:
                    return [(VOIDED, inv.number, {"date": ev.data["date"], "seq": seq,
                                                         "type": ev.type, "reason": "fout"})]
            return []

        self.write(build, through_snapshot=not by_other)

    @precondition(lambda self: self.clients)
    @rule(pick=st.integers(0, 50))
    def forget(self, pick):
        from wikcli.services import privacy

        cid = self.clients[pick % len(self.clients)]
        numbers = {n for n, c in self.invoices if c == cid}
        self.journal.redact(lambda ev: privacy.redact(ev, cid, numbers), NOW)
        assert not self.journal.snapshot_path.exists() or self._snapshot_is_current()
        self.write([(CLIENT_FORGOTTEN, None, {"id": cid, "date": "2033-01-01"})], through_snapshot=True)

    def _snapshot_is_current(self) -> bool:
        snap = snapshot_file.load(self.journal)
        return snap is not None and snap.cover.inode == os.stat(self.journal.path).st_ino

    @rule(cut=st.integers(1, 40), whole=st.booleans())
    def torn_tail_repaired(self, cut, whole):
        # A transaction cut short: its first line whole (marked "more"), or a line cut off.
        seq = replay(self.journal).last_seq + 1
        with open(self.journal.path, "ab") as f:
            line = (b'{"seq":%d,"at":"x","type":"note","invoice":null,"data":{"text":"abcdefghijklmnopqrstuvwxyz'
                    b'0123456789"}}' % seq)
            f.write(line[:cut] if not whole else line[:-1] + b',"more":true}\n')
        with pytest.raises(TornJournalError):
            snapshot.read(self.journal)
        assert self.journal.repair(NOW) is not None
        assert not self.journal.snapshot_path.exists()

    @rule()
    def drop_snapshot(self):
        self.journal.snapshot_path.unlink(missing_ok=True)

    @rule(at=st.integers(0, 10_000), truncate=st.booleans())
    def damage_snapshot(self, at, truncate):
        path = self.journal.snapshot_path
        if not path.exists():
            return
        raw = bytearray(path.read_bytes())
        if truncate:
            raw = raw[:at % len(raw)]
        else:
            raw[at % len(raw)] ^= 0x55
        path.write_bytes(bytes(raw))
        os.chmod(path, 0o600)

    @rule(pick=st.integers(0, 10_000), digit=st.integers(1, 9))
    def hand_edit(self, pick, digit):
        # An amount changed in place by hand: same size, same file; the snapshot no longer holds.
        raw = self.journal.path.read_bytes()
        spots = []
        at = raw.find(b'"amount":"')
        while at >= 0:
            spots.append(at + len(b'"amount":"'))
            at = raw.find(b'"amount":"', at + 1)
        if not spots:
            return
        at = spots[pick % len(spots)]
        new = str((int(chr(raw[at])) + digit) % 10).encode()
        time.sleep(0.02)  # a person's edit never comes in the same clock tick as wik's last write
        with open(self.journal.path, "r+b") as f:
            f.seek(at)
            f.write(new)

    @rule()
    def read(self):
        self.reads += 1
        assert_same(snapshot.read(self.journal), replay(self.journal), all_at_once=False)

    @invariant()
    def snapshot_never_serves_stale_state(self):
        if not hasattr(self, "journal"):
            return
        # Reading through whatever snapshot lies there gives the full replay, and so does
        # reading it again (now through the snapshot this read may have written).
        want = replay(self.journal)
        assert_same(snapshot.read(self.journal), want)
        assert_same(snapshot.read(self.journal), want)
        # ... and a snapshot is there that the journal still starts with: reads stay short.
        if None not in want.invoices:
            assert self.journal.read(since=snapshot_file.load(self.journal).cover).base is not None


TestJournalMachine = JournalMachine.TestCase
TestJournalMachine.settings = settings.get_profile(
    "snapshot-long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "snapshot-ci")


# -- reading and writing through it -------------------------------------------------------------


def client(cid: str) -> tuple:
    return (CLIENT_ADDED, None, {"id": cid, "name": f"Klant {cid}", "type": "consumer",
                                         "address": "", "postcode": "", "city": "", "country": "NL",
                                         "email": "", "lang": "nl"})


def invoice(number: str, cid: str = "c1", amount: str = "100.00") -> tuple:
    return (INVOICE_ADDED, number, {"client": cid, "amount": amount, "date": "2026-01-05",
                                            "due": "2026-02-04", "description": ""})


def letter(numbers: list[str], letter_id: str, day: str = "2026-03-01") -> list[tuple]:
    return [(LETTER_SENT, n, {"kind": "wik", "date": day, "via": "post", "letter": letter_id,
                                      "invoices": numbers, "last_day": "2026-03-19",
                                      "costs_due_from": "2026-03-20",
                                      "announces": {"costs": "15.00", "vat": "3.15"},
                                      "claim": {"costs_announced": {"vat_rate": "0.21"}}}) for n in numbers]


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "home")
    j.create(NOW)
    return j


def append(j: Journal, events: list[tuple]) -> None:
    with j.transaction(NOW) as tx:
        for ev in events:
            tx.append(*ev)


def pending(ledger: facts.Ledger) -> set[str]:
    """The invoices a snapshot's ledger has not folded yet."""
    return set(ledger.invoices.pending())


def test_a_write_folds_only_the_invoices_it_touches(journal):
    append(journal, [client("c1")] + [invoice(f"F{i}") for i in range(1, 51)])
    append(journal, letter(["F7", "F9"], "L1"))
    append(journal, letter(["F9", "F20"], "L2"))
    snapshot.read(journal)  # makes the snapshot
    seen = {}

    def build(ledger):
        seen["before"] = len(pending(ledger))
        ledger.invoices["F7"]
        seen["after"] = pending(ledger)
        return [(NOTE, "F7", {"date": "2026-03-02", "text": "gebeld", "promise": None})]

    snapshot.record(journal, NOW, build)
    assert seen["before"] == 50
    # F7 shares a letter with F9, and F9 one with F20: the three are folded together.
    assert seen["after"] == {f"F{i}" for i in range(1, 51)} - {"F7", "F9", "F20"}
    assert_same(snapshot.read(journal), replay(journal))


@pytest.mark.parametrize("all_at_once", [True, False])
def test_a_letter_on_several_invoices_keeps_the_journal_order(journal, all_at_once):
    # The letter's events name B before A; the ledger lists A before B.
    append(journal, [client("c1"), invoice("A"), invoice("B"), invoice("C")])
    append(journal, letter(["B", "A"], "L1"))
    snapshot.read(journal)
    got = snapshot.read(journal)
    assert pending(got) == {"A", "B", "C"}
    want = replay(journal)
    assert_same(got, want, all_at_once=all_at_once)
    assert [(i.number, x.seq) for i, x in got.invoices["A"].letters[0].group] == [("B", 5), ("A", 6)]


def test_a_letter_id_in_the_snapshot_and_again_after_it_is_one_group(journal):
    # Only a journal written by hand repeats a letter id across transactions; the group must
    # still be one list in journal order, as a full replay makes it.
    append(journal, [client("c1"), invoice("A"), invoice("B"), invoice("C")])
    append(journal, letter(["A"], "L-x"))
    snapshot.read(journal)
    append(journal, letter(["C", "B"], "L-x", day="2026-03-05"))
    got = snapshot.read(journal)
    assert [(inv.number, x.seq) for inv, x in got.invoices["B"].letters[0].group] == [("A", 5), ("C", 6), ("B", 7)]
    assert_same(got, replay(journal), all_at_once=False)


def test_client_wide_events_reach_invoices_folded_from_the_snapshot(journal):
    # A client's agreed terms and a remembered IBAN change the ledger as a whole: invoices
    # folded one by one from the snapshot, before and after them, see them as a replay does.
    terms = {"client": "b1", "date": "2026-01-02", "from": "2026-01-01", "clause": "art. 8",
             "interest": {"text": "1% per maand", "rate": "0.12", "surcharge": "0", "compounding": "none"},
             "costs": None}
    business = (CLIENT_ADDED, None, dict(client("b1")[2], id="b1", type="business"))
    append(journal, [business, invoice("B1", "b1"), (TERMS_AGREED, None, terms)])
    snapshot.read(journal)  # makes the snapshot
    append(journal, [invoice("B2", "b1"), (TERMS_AGREED, "B2", dict(terms, clause="own")),
                     (CLIENT_IBAN, None, {"id": "b1", "iban": "NL91ABNA0417164300",
                                                  "date": "2026-02-01", "tx": "k1"})])
    got = snapshot.read(journal)
    want = replay(journal)
    assert_same(got, want)
    for number in ("B1", "B2"):
        assert [t.clause for _, t in got.invoices[number].client_terms] == ["art. 8"]
    assert [t.clause for _, t in got.invoices["B2"].terms] == ["own"]
    assert got.clients["b1"].ibans == ("NL91ABNA0417164300",)


def test_each_read_parses_only_what_was_appended(journal, monkeypatch):
    append(journal, [client("c1"), invoice("A")])
    snapshot.read(journal)
    append(journal, [(PAYMENT, "A", {"amount": "1.00", "date": "2026-03-01"})])
    tails = []
    real = journal.read

    def spy(since=None, seen=None):
        r = real(since, seen)
        tails.append((r.base is not None, [e.seq for e in r.events]))
        return r

    monkeypatch.setattr(journal, "read", spy)
    assert snapshot.read(journal).invoices["A"].payments[0].amount == Decimal("1.00")
    assert tails == [(True, [3])]


def test_the_snapshot_is_rewritten_once_enough_was_appended(journal, monkeypatch):
    monkeypatch.setattr(snapshot, "REWRITE_AFTER", 2)
    append(journal, [client("c1"), invoice("A")])
    snapshot.read(journal)
    covered = lambda: snapshot_file.load(journal).cover.seq  # noqa: E731
    assert covered() == 2
    append(journal, [(PAYMENT, "A", {"amount": "1.00", "date": "2026-03-01"})])
    snapshot.read(journal)
    assert covered() == 2  # one event after it: read, not yet worth a new snapshot
    snapshot.record(journal, NOW, lambda ledger: [(NOTE, "A", {"date": "2026-03-02", "text": "x"})])
    assert covered() == 4  # the write's own event included
    assert_same(snapshot.read(journal), replay(journal))


def test_a_torn_tail_gives_the_same_message_with_or_without_a_snapshot(journal):
    append(journal, [client("c1"), invoice("A")])
    snapshot.read(journal)
    with open(journal.path, "ab") as f:
        f.write(b'{"seq":3,"at":"2026-11-25T09:00:00Z","type":"note","invoice":"A","data":{"te')
    with pytest.raises(TornJournalError) as through:
        snapshot.read(journal)
    with pytest.raises(TornJournalError) as full:
        journal.events()
    assert str(through.value) == str(full.value) == (
        "journal.jsonl line 4 is torn (an interrupted write): run `wik repair`")
    with pytest.raises(TornJournalError):
        snapshot.record(journal, NOW, lambda ledger: [])


# -- refused and made again ---------------------------------------------------------------------


@pytest.fixture
def ledger_home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "k", "--name", "Klant", "--home", h)
    _ok("invoice", "add", "F1", "--client", "k", "--amount", "100", "--date", "2026-01-05", "--home", h)
    (Path(h) / "journal.snapshot").unlink()
    _ok("status", "--home", h, "--today", "2026-03-01")  # a snapshot of both events
    return Path(h)


def verbose_status(home: Path) -> tuple[list, str]:
    r = run_cli("--verbose", "status", "--json", "--all", "--home", home, "--today", "2026-03-01")
    assert r.exit_code == 0, r.stderr
    return r.json(), r.stderr


def test_verbose_says_how_the_ledger_was_read_and_quiet_says_nothing(ledger_home):
    (ledger_home / "journal.snapshot").unlink()
    assert run_cli("status", "--home", ledger_home, "--today", "2026-03-01").stderr == ""
    (ledger_home / "journal.snapshot").unlink()
    rows, err = verbose_status(ledger_home)
    # The day's overview (overview.py) still holds: the journal is as it was.
    assert err == ("wik: no snapshot journal.snapshot yet\nwik: read all 2 events of the journal\n"
                   "wik: wrote the snapshot journal.snapshot (events 1-2)\n"
                   "wik: overview: 0 of 1 invoice(s) assessed, 1 as kept\n")
    assert verbose_status(ledger_home) == (rows, "wik: read events 1-2 from the snapshot and 0 appended "
                                                 "since from the journal (the journal is as the last command "
                                                 "left it)\nwik: overview: 0 of 1 invoice(s) assessed, 1 as kept\n")
    r = run_cli("note", "F1", "gebeld", "--date", "2026-02-01", "--home", ledger_home, env={"WIK_VERBOSE": "1"})
    assert "wik: read events 1-2 from the snapshot and 0 appended since" in r.stderr
    assert verbose_status(ledger_home)[1] == ("wik: read events 1-2 from the snapshot and 1 appended since from "
                                              "the journal (the journal is as the last command left it)\n"
                                              "wik: overview: 1 of 1 invoice(s) assessed, 0 as kept\n"
                                              "wik: wrote the overview journal.overview\n")
    r = run_cli("status", "--json", "--home", ledger_home, "--today", "2026-03-01")
    assert r.exit_code == 0 and r.stderr == ""
    assert stat.S_IMODE((ledger_home / "journal.snapshot").stat().st_mode) == 0o600


def refused(home: Path, why: str) -> None:
    """The next read ignores the snapshot, says ``why`` under --verbose, and gives what a full
    replay gives; the one after reads through the new snapshot."""
    want = facts.fold(Journal(home).events())
    rows, err = verbose_status(home)
    assert why in err and "wik: read all" in err and "wrote the snapshot" in err, err
    assert_same(snapshot.read(Journal(home)), want)
    assert "from the snapshot" in verbose_status(home)[1]


def test_a_damaged_or_cut_short_snapshot_is_made_again(ledger_home):
    path = ledger_home / "journal.snapshot"
    raw = path.read_bytes()
    path.write_bytes(raw[:-7])
    refused(ledger_home, "snapshot journal.snapshot is damaged or cut short: ignored")
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 1
    path.write_bytes(bytes(raw))
    refused(ledger_home, "is damaged or cut short: ignored")
    path.write_bytes(b"something else")
    refused(ledger_home, "is not a wik snapshot: ignored")


def test_a_snapshot_of_another_version_is_made_again(ledger_home, monkeypatch):
    monkeypatch.setattr(snapshot_file, "__version__", "0.0.1")
    (ledger_home / "journal.snapshot").unlink()
    verbose_status(ledger_home)
    monkeypatch.undo()
    refused(ledger_home, "was made by another version of wik (0.0.1): ignored")


def test_a_snapshot_others_could_write_is_not_loaded(ledger_home):
    os.chmod(ledger_home / "journal.snapshot", 0o644)
    refused(ledger_home, "is not owner-only: ignored")
    assert stat.S_IMODE((ledger_home / "journal.snapshot").stat().st_mode) == 0o600


def test_a_journal_edited_or_replaced_is_read_in_full(ledger_home):
    journal = ledger_home / "journal.jsonl"
    raw = journal.read_bytes()
    with open(journal, "r+b") as f:  # edited in place, same size: 100.00 becomes 900.00
        f.seek(raw.index(b'"amount":"100.00"') + len(b'"amount":"'))
        f.write(b"9")
    refused(ledger_home, "snapshot does not match the journal")
    assert verbose_status(ledger_home)[0][0]["principal"] == "900.00"
    journal.write_bytes(raw)  # the old bytes put back: the snapshot now holds 900.00
    copy = ledger_home / "copy.jsonl"
    copy.write_bytes(raw)
    os.replace(copy, journal)
    refused(ledger_home, "snapshot does not match the journal")
    assert verbose_status(ledger_home)[0][0]["principal"] == "100.00"


def test_a_copied_home_or_a_journal_synced_by_a_rename_keeps_its_snapshot(ledger_home, tmp_path):
    # Another file with the same bytes: the hash decides, not the inode.
    rows, _ = verbose_status(ledger_home)
    import shutil

    copied = tmp_path / "copied"
    shutil.copytree(ledger_home, copied)
    assert os.stat(copied / "journal.jsonl").st_ino != os.stat(ledger_home / "journal.jsonl").st_ino
    got, err = verbose_status(copied)
    assert got == rows
    assert err.startswith("wik: read events 1-2 from the snapshot and 0 appended since from the journal\n"), err
    # A sync that brings the journal with one more event (written elsewhere), by a rename.
    journal = ledger_home / "journal.jsonl"
    _ok("note", "F1", "gebeld", "--date", "2026-02-01", "--home", copied)
    synced = ledger_home / ".synced.jsonl"
    synced.write_bytes((copied / "journal.jsonl").read_bytes())
    os.replace(synced, journal)
    want = facts.fold(Journal(ledger_home).events())
    got, err = verbose_status(ledger_home)
    assert "read events 1-2 from the snapshot and 1 appended since from the journal\n" in err, err
    assert_same(snapshot.read(Journal(ledger_home)), want)


def test_repair_and_forget_delete_the_snapshot(ledger_home):
    path = ledger_home / "journal.snapshot"
    with open(ledger_home / "journal.jsonl", "ab") as f:
        f.write(b'{"seq":3,')
    assert run_cli("status", "--home", ledger_home).exit_code == 2
    assert path.exists()
    _ok("repair", "--home", ledger_home)
    assert not path.exists()
    verbose_status(ledger_home)
    _ok("close", "F1", "--reason", "written-off", "--today", "2026-01-06", "--home", ledger_home)
    assert path.exists()
    _ok("forget", "k", "--home", ledger_home, "--today", "2034-01-01")
    # Made again after the rewrite, from the rewritten journal: the name is nowhere.
    assert path.exists() and b"Klant" not in path.read_bytes()


def test_a_snapshot_made_before_a_rewrite_is_not_put_in_place_after_it(journal):
    from wikcli.services import privacy

    append(journal, [client("c1"), invoice("A", "c1")])
    old = journal.read()
    journal.redact(lambda ev: privacy.redact(ev, "c1", {"A"}), NOW)
    ledger = facts.fold(old.events)
    snapshot_file.save_full(journal, old.events, ledger, old.cover, None)  # a slow reader, after the rewrite
    assert not journal.snapshot_path.exists()
    assert not list(journal.home.glob(".journal.snapshot.tmp-*"))


def test_a_snapshot_that_cannot_be_written_is_left_out(ledger_home):
    (ledger_home / "journal.snapshot").unlink()
    (ledger_home / f".journal.snapshot.tmp-{os.getpid()}").mkdir()  # in the way, as a full disk would be
    rows, err = verbose_status(ledger_home)
    assert "wik: no snapshot written (Is a directory)" in err and rows[0]["invoice"] == "F1"
    assert not (ledger_home / "journal.snapshot").exists()


def test_a_read_of_a_journal_as_the_last_command_left_it_hashes_nothing_and_stays_exact(journal, monkeypatch):
    import hashlib

    append(journal, [client("c1"), invoice("A")])
    snapshot.read(journal)
    note = lambda ledger: [(NOTE, "A", {"date": "2026-03-02", "text": "x"})]  # noqa: E731
    for _ in range(3):
        snapshot.record(journal, NOW, note)  # each leaves journal.seen for the next
    snap = snapshot_file.load(journal)
    seen = snapshot._load_seen(journal, snap)
    reading = journal.read(since=snap.cover, seen=seen)
    assert reading.base == snap.cover and reading.cover.digest == b""  # trusted, not hashed
    assert len(reading.events) == 3
    # A new snapshot from such a read has the digest of exactly the bytes it covers.
    monkeypatch.setattr(snapshot, "REWRITE_AFTER", 3)
    assert_same(snapshot.read(journal), replay(journal))
    new = snapshot_file.load(journal)
    assert new.cover.seq == 5
    assert new.cover.digest == hashlib.sha256(journal.path.read_bytes()[:new.cover.size]).digest()
    # ... and a journal changed between such a read and the snapshot gets none.
    reading = journal.read(since=new.cover, seen=snapshot._load_seen(journal, new))
    assert reading.cover.digest == b""
    raw = journal.path.read_bytes()
    with open(journal.path, "r+b") as f:
        f.seek(raw.index(b'"amount":"100.00"') + len(b'"amount":"'))
        f.write(b"2")
    assert journal.fingerprint(reading) is None
    assert_same(snapshot.read(journal), replay(journal))  # the edit is seen

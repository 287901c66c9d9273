"""Personal data: owner-only files, access (export-client) and erasure (forget)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home
from datetime import UTC


@pytest.fixture
def home(tmp_path):
    old = os.umask(0o022)  # a common default that would leave files world-readable
    try:
        h = init_home(tmp_path)
        _ok("client", "add", "jan", "--name", "Jan Geheim", "--address", "Verborgen 1", "--postcode",
            "1234 AB", "--city", "Utrecht", "--email", "jan@geheim.nl", "--home", h)
        _ok("client", "add", "piet", "--name", "Piet Blijft", "--address", "Straat 1", "--city", "Utrecht", "--home", h)
        _ok("invoice", "add", "J1", "--client", "jan", "--amount", "100", "--date", "2017-01-02",
            "--description", "Tuinontwerp Verborgen 1", "--home", h)
        _ok("invoice", "add", "P1", "--client", "piet", "--amount", "50", "--date", "2017-01-02", "--home", h)
        _ok("note", "J1", "Jan zegt: ziek", "--date", "2017-02-10", "--home", h)
        _ok("letter", "J1", "--kind", "reminder", "--sent", "2017-02-11", "--home", h)
        yield h
    finally:
        os.umask(old)


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_everything_is_owner_only(home, tmp_path):
    h = Path(home)
    assert mode(h) == 0o700 and mode(h / "letters") == 0o700
    for f in h.rglob("*"):
        if f.is_file():
            assert mode(f) == 0o600, f
    out = tmp_path / "export.json"
    _ok("export-client", "jan", "--out", str(out), "--home", home)
    assert mode(out) == 0o600
    _ok("calendar", "--out", str(tmp_path / "w.ics"), "--home", home, "--today", "2017-03-01")
    assert mode(tmp_path / "w.ics") == 0o600


def test_export_client_holds_the_client_and_its_events(home):
    d = _ok("export-client", "jan", "--home", home).json()
    assert d["client"]["name"] == "Jan Geheim" and d["invoices"] == ["J1"]
    assert [e["type"] for e in d["events"]] == ["client-added", "invoice-added", "note", "letter-rendered",
                                                "letter-sent"]
    assert "Piet" not in str(d)


def test_forget_refuses_open_invoices_and_the_retention_period(home):
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("forget", "jan", "--home", home, "--today", "2030-01-01")
    assert r.exit_code == 2 and "open invoice 'J1'" in r.stderr
    assert "Geheim" not in r.stderr
    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    before = journal.read_bytes()
    r = run_cli("forget", "jan", "--home", home, "--today", "2024-12-31")
    assert r.exit_code == 2 and "must be kept until 2025-01-05" in r.stderr
    assert journal.read_bytes() == before


def test_forget_blanks_personal_data_and_keeps_the_books(home):
    journal = Path(home) / "journal.jsonl"
    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    before = journal.read_bytes().splitlines()
    r = _ok("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert "3 event(s) blanked, 1 file(s) deleted" in r.stdout
    after = journal.read_bytes()
    for secret in (b"Geheim", b"Verborgen", b"jan@geheim.nl", b"ziek"):
        assert secret not in after
    # ... nor in any other file of the home: the snapshot beside the journal was made again.
    assert (Path(home) / "journal.snapshot").exists()
    for f in Path(home).rglob("*"):
        if f.is_file():
            for secret in (b"Geheim", b"Verborgen", b"jan@geheim.nl"):
                assert secret not in f.read_bytes(), f
    lines = after.splitlines()
    assert len(lines) == len(before) + 1  # the tombstone
    changed = [i for i, (a, b) in enumerate(zip(before, lines)) if a != b]
    assert len(changed) == 3  # client-added, invoice-added (description), note
    assert mode(journal) == 0o600
    assert not list((Path(home) / "letters").glob("J1-*"))
    d = _ok("invoice", "show", "J1", "--json", "--home", home, "--today", "2025-01-06").json()
    assert d["principal"] == "100.00" and d["closed"] == "written-off"
    # The id (often a surname) is replaced by a random pseudonym on every line.
    new_id = r.stdout.split("(now ")[1].split(")")[0]
    assert new_id.startswith("forgotten-") and b'"jan"' not in after
    assert _ok("client", "show", new_id, "--json", "--home", home).json()["forgotten"] is True
    r = run_cli("forget", "jan", "--home", home, "--today", "2025-01-07")
    assert r.stderr == "wik: error: client 'jan' is not in the ledger\n"
    r = run_cli("forget", new_id, "--home", home, "--today", "2025-01-07")
    assert r.exit_code == 2 and "already been forgotten" in r.stderr


def test_errors_do_not_repeat_personal_data(home):
    r = run_cli("client", "add", "kees", "--name", "Kees Privé", "--email", "kees privé@x", "--home", home)
    assert r.exit_code == 2 and "--email" in r.stderr
    assert "Kees" not in r.stderr and "privé" not in r.stderr
    r = run_cli("client", "add", "jan", "--name", "Jan Geheim Twee", "--home", home)
    assert r.exit_code == 2 and "client 'jan' already exists" in r.stderr and "Geheim" not in r.stderr


def test_forget_deletes_only_the_clients_own_files(home):
    _ok("invoice", "add", "J1-2", "--client", "piet", "--amount", "20", "--date", "2017-01-03", "--home", home)
    _ok("letter", "J1-2", "--kind", "reminder", "--sent", "2017-02-11", "--home", home)
    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    _ok("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert [p.name for p in (Path(home) / "letters").iterdir()] == ["J1-2-reminder-2017-02-11.pdf"]


def test_forget_interrupted_after_erasing_finishes_when_run_again(home):
    """A journal blanked by an older wik that crashed before its tombstone: a rerun finishes."""
    from datetime import datetime

    from wikcli.store import journal
    from wikcli.services import privacy

    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    j = journal.Journal(Path(home))
    assert j.redact(lambda ev: privacy.redact(ev, "jan", {"J1"}), datetime.now(UTC)) == 3
    r = _ok("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert "2 event(s) blanked, 1 file(s) deleted" in r.stdout  # the id, on the client and the invoice
    assert [e.type for e in j.events()][-1] == "client-forgotten"


def test_forget_blanks_an_imported_external_id_and_a_reimport_brings_nothing_back(tmp_path):
    from ublfixture import ubl

    h = init_home(tmp_path)
    f = tmp_path / "f.xml"
    f.write_bytes(ubl(issue="2017-01-02", due="2017-02-01", buyer="Jan Geheim", buyer_id="jan@geheim.nl",
                      buyer_id_scheme="EM"))
    _ok("import", str(f), "--home", h)
    assert _ok("client", "show", "JAN-GEHEIM", "--json", "--home", h).json()["external_id"] == "jan@geheim.nl"
    _ok("close", "F-2026-1", "--reason", "written-off", "--home", h, "--today", "2018-01-05")
    r = _ok("forget", "Jan-Geheim", "--home", h, "--today", "2025-01-06")
    new_id = r.stdout.split("(now ")[1].split(")")[0]
    journal = Path(h) / "journal.jsonl"
    after = journal.read_bytes()
    assert b"jan@geheim.nl" not in after and b"Geheim" not in after and b"jan-geheim" not in after.lower()
    out = _ok("import", str(f), "--json", "--home", h).json()
    assert (out["invoices"], out["skipped"]) == ([], [{"invoice": "F-2026-1", "line": 1, "client": new_id}])
    assert journal.read_bytes() == after
def test_forget_in_a_letters_folder_it_cannot_delete_in_says_so_and_finishes_when_run_again(home):
    from faults import unwritable

    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    letters = Path(home) / "letters"
    with unwritable(letters):
        r = run_cli("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert (r.exit_code, r.stderr) == (2, f"wik: error: cannot delete files in the folder '{letters}': permission "
                                          "denied; run `wik forget jan` again once it can be written\n")
    # The files go first: the journal is as it was, nothing of it erased yet.
    assert list(letters.glob("J1-*")) and _ok("client", "show", "jan", "--json", "--home", home).json()["forgotten"] \
        is False
    r = _ok("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert "3 event(s) blanked, 1 file(s) deleted" in r.stdout and not list(letters.glob("J1-*"))


def test_forget_finds_letters_by_the_name_the_journal_recorded(home):
    # A letter archived under a name an older wik gave this number (its stem has changed since).
    import json

    _ok("close", "J1", "--reason", "written-off", "--home", home, "--today", "2018-01-05")
    letters = Path(home) / "letters"
    (letters / "J1-wik-2017-03-01-old.pdf").write_bytes(b"%PDF old")
    journal = Path(home) / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    seq = len(lines)
    ev = {"seq": seq, "at": "2017-03-01T10:00:00Z", "type": "letter-rendered", "invoice": "J1",
          "data": {"kind": "wik", "date": "2017-03-01", "file": "J1-wik-2017-03-01-old.pdf", "sha256": "0" * 64}}
    journal.write_text("\n".join(lines) + "\n" + json.dumps(ev) + "\n", encoding="utf-8")
    _ok("forget", "jan", "--home", home, "--today", "2025-01-06")
    assert not (letters / "J1-wik-2017-03-01-old.pdf").exists()

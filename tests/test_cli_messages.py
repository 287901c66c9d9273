"""Messages that say what happened: each case a new user met, as one line on stderr."""

from __future__ import annotations

import shutil

import pytest

from conftest import make_demo, run_cli

DAY = "2026-11-25"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("demo") / "home", DAY)


@pytest.fixture
def home(demo, tmp_path):
    shutil.copytree(demo, tmp_path / "home")
    return tmp_path / "home"


def journal_of(home):
    return (home / "journal.jsonl").read_bytes()


def test_a_pdf_given_to_import_is_called_a_pdf(home, tmp_path):
    pdf = tmp_path / "factuur.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    before = journal_of(home)
    r = run_cli("import", str(pdf), "--home", str(home))
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: factuur.pdf is a PDF, not a CSV export or a UBL e-invoice (XML): export "
                        "the invoices from your bookkeeping as CSV or UBL, and import that file\n")
    xlsx = tmp_path / "facturen.xlsx"
    xlsx.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    r = run_cli("import", str(xlsx), "--home", str(home))
    assert r.stderr.startswith("wik: error: facturen.xlsx is a zip file (a spreadsheet such as .xlsx, or an archive)")
    assert journal_of(home) == before


@pytest.mark.parametrize("args, expected", [
    (["calc", "244", "--btww"], "No such option: --btww (did you mean --btw?)"),
    (["calc", "244", "--zzzzz"], "No such option: --zzzzz (`wik calc --help` lists the options)"),
    (["interest", "100", "--frm", "2026-01-01"], "No such option: --frm (did you mean --from?)"),
    (["pay", "2026-094", "10", "--dat", "2026-11-25"], "No such option: --dat (did you mean --date?)"),
    (["pay", "2026-094", "10", "--date=gisteren", "--json", "--dry"], "No such option: --dry (`wik pay --help` lists the options)"),
    (["calc", "244", "extra"], "Got unexpected extra argument(s) (extra)"),  # not an option: Click's words
])
def test_an_option_typo_is_named_with_the_nearest_option(home, args, expected):
    before = journal_of(home)
    r = run_cli(*args, env={"WIK_HOME": str(home), "WIK_TODAY": DAY})
    assert (r.exit_code, r.stderr) == (2, f"wik: error: {expected}\n")
    assert journal_of(home) == before
    assert run_cli("calc", "-5").stderr == "wik: error: amount '-5' is negative: expected a positive amount such as 244,50\n"


def test_verbose_after_the_command_works_as_before_it(home):
    env = {"WIK_HOME": str(home), "WIK_TODAY": DAY}
    after = run_cli("status", "--verbose", env=env)
    before = run_cli("--verbose", "status", env=env)
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout and "Open invoices on 2026-11-25" in after.stdout
    assert "snapshot" in after.stderr and "snapshot" in before.stderr  # how the ledger was read
    assert run_cli("status", env=env).stderr == ""
    # after a `--` it is a word like any other
    r = run_cli("note", "2026-101", "--", "--verbose", env=env)
    assert r.exit_code == 0 and "--verbose" not in r.stderr, r.stderr


def test_a_home_that_is_a_file(tmp_path):
    f = tmp_path / "wik-home"
    f.write_text("not a folder")
    r = run_cli("status", "--home", str(f))
    assert r.stderr == (f"wik: error: the wik home {str(f)!r} is a file: --home (or WIK_HOME) names the "
                        "folder that holds config.toml\n")
    r = run_cli("status", "--home", str(f / "sub"))
    assert r.stderr == (f"wik: error: the wik home {str(f / 'sub')!r} cannot be a folder: {str(f)!r} is a "
                        "file: --home (or WIK_HOME) names the folder that holds config.toml\n")
    assert f.read_text() == "not a folder"


def test_an_unreadable_letter_is_not_called_missing(home):
    (letter,) = (home / "letters").iterdir()  # the demo's WIK-letter of 2026-072
    blob = letter.read_bytes()
    letter.unlink()
    letter.mkdir()  # there, yet not to be read as a file, whoever runs the test (root reads anything)
    before = journal_of(home)
    r = run_cli("handover", "2026-072", "--force", "--home", str(home), "--today", DAY)
    assert r.exit_code == 2
    assert r.stderr == (f"wik: error: archived letter {letter.name} of invoice '2026-072' in {home / 'letters'} "
                        "cannot be read (is a directory): restore it from a backup\n")
    letter.rmdir()
    r = run_cli("handover", "2026-072", "--force", "--home", str(home), "--today", DAY)
    assert r.stderr == (f"wik: error: archived letter {letter.name} of invoice '2026-072' is missing from "
                        f"{home / 'letters'}: restore it from a backup\n")
    assert journal_of(home) == before
    letter.write_bytes(blob)
    assert run_cli("handover", "2026-072", "--force", "--home", str(home), "--today", DAY).exit_code == 0


def test_a_letter_by_post_needs_an_address(home):
    env = {"WIK_HOME": str(home), "WIK_TODAY": DAY}
    assert run_cli("client", "add", "kaal", "--name", "Kees Kaal", env=env).exit_code == 0
    assert run_cli("invoice", "add", "2026-200", "--client", "kaal", "--amount", "100", "--date", "2026-09-01",
                   "--term", "14", env=env).exit_code == 0
    before = journal_of(home)
    refusal = ("wik: error: client 'kaal' has no postal address, so a letter cannot go by post: add it with "
               "`wik client address kaal --address STREET --postcode CODE --city CITY`, or send it --via email\n")
    r = run_cli("sent", "2026-200", "--kind", "reminder", env=env)
    assert (r.exit_code, r.stderr) == (2, refusal)
    letters = sorted(p.name for p in (home / "letters").iterdir())
    r = run_cli("letter", "2026-200", "--kind", "reminder", "--sent", DAY, env=env)
    assert (r.exit_code, r.stderr) == (2, refusal)
    assert sorted(p.name for p in (home / "letters").iterdir()) == letters and journal_of(home) == before
    # by e-mail it may go; and once the address is there, by post too
    r = run_cli("client", "address", "kaal", "--address", "Kerkstraat 1", "--postcode", "1234ab", "--city",
                "Utrecht", env=env)
    assert (r.exit_code, r.stdout) == (0, "Recorded the address of client kaal.\n"), r.stderr
    r = run_cli("sent", "2026-200", "--kind", "reminder", env=env)
    assert r.exit_code == 0, r.stderr
    shown = run_cli("client", "show", "kaal", "--json", env=env).json()
    assert (shown["address"], shown["postcode"], shown["city"], shown["country"]) == (
        "Kerkstraat 1", "1234 AB", "Utrecht", "NL")


def test_client_address_refusals(home):
    env = {"WIK_HOME": str(home), "WIK_TODAY": DAY}
    r = run_cli("client", "address", "nobody", "--address", "X 1", "--city", "Y", env=env)
    assert r.stderr == "wik: error: client 'nobody' is not in the ledger: see `wik client list`\n"
    r = run_cli("client", "address", "jansen", "--address", " ", "--city", "Y", env=env)
    assert r.exit_code == 2 and "--address" in r.stderr


def test_forget_blanks_a_recorded_address():
    from types import SimpleNamespace

    from wikcli.services import privacy
    from wikcli.ledger import events
    from wikcli.ledger import facts

    ev = SimpleNamespace(type=events.CLIENT_ADDRESS, invoice=None, seq=9, data={
        "id": "kaal", "address": "Kerkstraat 1", "postcode": "1234 AB", "city": "Utrecht", "country": "NL",
        "date": "2026-11-25"})
    assert privacy.redact(ev, "kaal", set()) == {"id": "kaal", "address": "", "postcode": "", "city": "",
                                                 "country": "NL", "date": "2026-11-25"}
    assert privacy.redact(ev, "other", set()) is None
    ledger = facts.fold([SimpleNamespace(seq=1, type=events.CLIENT_ADDED, invoice=None, data={
        "id": "kaal", "name": "Kees Kaal", "type": "consumer"}), ev])
    c = ledger.clients["kaal"]
    assert (c.address, c.postcode, c.city, c.country) == ("Kerkstraat 1", "1234 AB", "Utrecht", "NL")

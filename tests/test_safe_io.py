"""What goes out and what comes in: CSV cells a spreadsheet would run, --out targets, empty
option values, a stream that cannot print the euro sign, incoming files of every kind."""

from __future__ import annotations

import csv
import json
import io
import os
from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home

TODAY = "2026-06-01"


def _tree(root: Path) -> dict:
    """Every file under ``root`` with its bytes (links as their target): a change is seen."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.is_symlink():
            out[str(p)] = ("link", os.readlink(p))
        elif p.is_file() and p.stat().st_size > 1 << 20:  # a test's sparse giant: its size and time
            out[str(p)] = (p.stat().st_size, p.stat().st_mtime_ns)
        elif p.is_file():
            out[str(p)] = p.read_bytes()
    return out


@pytest.fixture
def formulas(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "f1", "--name", "=HYPERLINK(\"http://x\";\"klik\")", "--home", h)
    _ok("client", "add", "f2", "--name", "@SUM(1+1)", "--home", h)
    _ok("client", "add", "f3", "--name", "+31 20 123", "--home", h)
    _ok("client", "add", "f4", "--name", "-Jansen", "--home", h)
    for n, c in (("R1", "f1"), ("R2", "f2"), ("R3", "f3"), ("R4", "f4")):
        _ok("invoice", "add", n, "--client", c, "--amount", "100", "--date", "2026-01-02", "--home", h)
    return h


@pytest.mark.parametrize("dialect,sep", [("nl", ";"), ("excel", ",")])
def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe(formulas, dialect, sep):
    for args in (("ageing", "--by", "client"), ("clients",)):
        r = _ok("report", *args, "--csv", "--csv-dialect", dialect, "--home", formulas, "--today", TODAY)
        rows = list(csv.DictReader(io.StringIO(r.stdout[1:], newline=""), delimiter=sep))
        assert sorted(x["name"] for x in rows) == ["'+31 20 123", "'-Jansen", "'=HYPERLINK(\"http://x\";\"klik\")",
                                                   "'@SUM(1+1)"]
    # amounts stay numbers a spreadsheet adds up: never prefixed
    r = _ok("report", "ageing", "--by", "invoice", "--csv", "--csv-dialect", dialect, "--home", formulas,
            "--today", TODAY)
    rows = list(csv.DictReader(io.StringIO(r.stdout[1:], newline=""), delimiter=sep))
    assert [x["principal_open"] for x in rows] == ["100,00" if dialect == "nl" else "100.00"] * 4


def test_csv_cell_neutralises_tab_and_carriage_return_and_keeps_numbers():
    from decimal import Decimal

    from wikcli.cli.reports import _cell

    assert [_cell(v, ",") for v in ("\tx", "\rx", "=1", "+1", "-1", "@a", "a=1", "")] == [
        "'\tx", "'\rx", "'=1", "'+1", "'-1", "'@a", "a=1", ""]
    assert _cell(Decimal("-12.50"), ",") == "-12,50"


@pytest.fixture
def ledger(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "jan", "--address", "Straat 1", "--city", "Utrecht", "--name", "Één Jansen", "--home", h)
    _ok("invoice", "add", "J1", "--client", "jan", "--amount", "100", "--date", "2026-01-02", "--home", h)
    return h


@pytest.mark.parametrize("args,option", [
    (("status", "--home", ""), "--home"),
    (("pay", "J1", "10", "--date", "", "--home", "{h}"), "--date"),
    (("pay", "J1", "10", "--today", "", "--home", "{h}"), "--today"),
    (("note", "J1", "belde", "--date", " ", "--home", "{h}"), "--date"),
    (("status", "--today=", "--home", "{h}"), "--today"),
    (("report", "ageing", "--on", "", "--home", "{h}"), "--on"),
    (("client", "add", "kees", "--name", "", "--home", "{h}"), "--name"),
])
def test_an_empty_option_value_is_an_error_naming_the_option(ledger, tmp_path, args, option):
    before = _tree(tmp_path)
    r = run_cli(*(a.replace("{h}", ledger) for a in args), env={"WIK_TODAY": "2026-06-01", "WIK_HOME": ledger})
    assert (r.exit_code, r.stdout, r.stderr) == (
        2, "", f"wik: error: {option} is empty: give a value or leave the option out\n")
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("env", [{"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "latin-1"},
                                 {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "iso8859-15:strict"}])
def test_a_stream_that_is_not_utf8_prints_eur_and_no_traceback(ledger, env):
    # (ISO-8859-15 has a euro sign, and its strict error handler is replaced all the same.)
    import subprocess
    import sys

    full = {**{k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}, **env}
    r = subprocess.run([sys.executable, "-m", "wikcli", "calc", "1000"], env=full, capture_output=True)
    assert r.returncode == 0 and r.stderr == b""
    euro = b"\xa4" if "15" in env["PYTHONIOENCODING"] else b"EUR"
    assert b"Collection costs:         " + euro + b" 150,00" in r.stdout
    r = subprocess.run([sys.executable, "-m", "wikcli", "invoice", "show", "J1", "--home", ledger,
                        "--today", "2026-06-01"], env=full, capture_output=True)
    assert r.returncode == 0 and r.stderr == b"" and euro + b" 100,00" in r.stdout
    r = subprocess.run([sys.executable, "-m", "wikcli", "client", "list", "--home", ledger], env=full,
                       capture_output=True)
    name = "Één Jansen".encode("latin-1")
    assert r.returncode == 0 and r.stderr == b"" and name in r.stdout
    # an error naming a client with an accent is one line too
    r = subprocess.run([sys.executable, "-m", "wikcli", "pay", "J1", "€ 1.000,00x", "--home", ledger],
                       env=full, capture_output=True)
    assert r.returncode == 2 and r.stderr.count(b"\n") == 1 and b"Traceback" not in r.stderr
    assert euro + b" 1.000,00x" in r.stderr


def _kinds(tmp_path):
    """A symbolic link, a FIFO and a device: none of them may be replaced by a written file."""
    target = tmp_path / "precious.txt"
    target.write_bytes(b"keep me")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    fifo = tmp_path / "fifo.out"
    os.mkfifo(fifo)
    return [(link, "a symbolic link"), (fifo, "a FIFO"), (Path("/dev/null"), "a character device")]


@pytest.mark.parametrize("command", [
    ("calendar", "--today", TODAY),
    ("export-client", "jan"),
    ("letter", "J1", "--kind", "reminder", "--today", TODAY),
    ("statement", "jan", "--today", TODAY),
])
def test_out_writes_only_to_a_regular_file_or_a_new_path(ledger, tmp_path, command):
    for path, kind in _kinds(tmp_path):
        before = _tree(tmp_path)
        dev = os.stat("/dev/null")
        r = run_cli(*command, "--out", str(path), "--home", ledger)
        assert (r.exit_code, r.stderr) == (
            2, f"wik: error: {str(path)!r} is {kind}: wik writes only to a regular file or a new path; "
               "nothing was written\n"), command
        assert _tree(tmp_path) == before
        assert os.stat("/dev/null").st_rdev == dev.st_rdev and (tmp_path / "precious.txt").read_bytes() == b"keep me"
        assert path.is_symlink() or not path.is_file()
    ok = tmp_path / "new" / "file.out"
    _ok(*command, "--out", str(ok), "--home", ledger)
    assert ok.is_file()
    _ok(*command, "--out", str(ok), "--home", ledger)  # a regular file is replaced


def test_handover_out_that_is_a_symlink_or_a_file_is_refused(ledger, tmp_path):
    _ok("letter", "J1", "--kind", "default", "--sent", "2026-03-01", "--force", "--home", ledger)
    link = tmp_path / "dossier-link"
    (tmp_path / "elsewhere").mkdir()
    link.symlink_to(tmp_path / "elsewhere")
    before = _tree(tmp_path)
    r = run_cli("handover", "J1", "--out", str(link), "--home", ledger, "--today", TODAY)
    assert (r.exit_code, r.stderr) == (
        2, f"wik: error: {str(link)!r} is a symbolic link: wik writes only to a regular file or a new path; "
           "nothing was written\n")
    assert _tree(tmp_path) == before and not any((tmp_path / "elsewhere").iterdir())


def test_an_interrupted_handover_is_cleaned_up_and_made_again(ledger, tmp_path):
    _ok("letter", "J1", "--kind", "default", "--sent", "2026-03-01", "--force", "--home", ledger)
    folder = Path(ledger) / "handover" / f"J1-{TODAY}"
    folder.mkdir(parents=True)
    # killed while writing: half a PDF and the temporary copy of the JSON
    (folder / "dossier.pdf").write_bytes(b"%PDF-1.4 half")
    (folder / f".dossier.json.tmp-{os.getpid() + 1}").write_bytes(b"{\"invo")
    r = _ok("handover", "J1", "--home", ledger, "--today", TODAY)
    assert r.stdout == f"Handed over invoice J1 on {TODAY}; dossier: {folder}\n"
    letters = sorted(p.name for p in (Path(ledger) / "letters").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == sorted(["dossier.json", "dossier.pdf", *letters])
    assert (folder / "dossier.pdf").read_bytes().startswith(b"%PDF") and (folder / "dossier.pdf").stat().st_size > 1000
    assert json.loads((folder / "dossier.json").read_text())["invoice"]["number"] == "J1"


def test_a_folder_holding_files_of_the_user_is_still_refused(ledger, tmp_path):
    _ok("letter", "J1", "--kind", "default", "--sent", "2026-03-01", "--force", "--home", ledger)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "dossier.pdf").write_bytes(b"half")
    (mine / "notes.txt").write_bytes(b"mine")
    before = _tree(tmp_path)
    r = run_cli("handover", "J1", "--out", str(mine), "--home", ledger, "--today", TODAY)
    assert (r.exit_code, r.stderr) == (
        2, f"wik: error: dossier folder {str(mine)!r} exists and is not empty: give --out with a new folder\n")
    assert _tree(tmp_path) == before


def test_symlinked_lock_and_journal_keep_their_targets_mode(ledger, tmp_path):
    import shutil
    import stat

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    h = Path(ledger)
    shutil.move(h / "journal.jsonl", elsewhere / "journal.jsonl")
    (h / "journal.jsonl").symlink_to(elsewhere / "journal.jsonl")
    (elsewhere / "shared.lock").write_bytes(b"")
    (h / "journal.lock").unlink()
    (h / "journal.lock").symlink_to(elsewhere / "shared.lock")
    os.chmod(elsewhere / "journal.jsonl", 0o640)
    os.chmod(elsewhere / "shared.lock", 0o644)
    _ok("pay", "J1", "10", "--date", "2026-03-01", "--home", ledger)
    assert stat.S_IMODE((elsewhere / "journal.jsonl").stat().st_mode) == 0o640
    assert stat.S_IMODE((elsewhere / "shared.lock").stat().st_mode) == 0o644
    assert (h / "journal.jsonl").is_symlink() and (h / "journal.lock").is_symlink()
    assert b'"type":"payment"' in (elsewhere / "journal.jsonl").read_bytes()


# --------------------------------------------------------------------------- files coming in

BUNQ = """\
:20:BUNQ BV
:25:NL05BUNQ2025400424 EUR
:28:00001
:60F:C261101EUR100,00
:61:2611251125C{amount},NTRFNONREF
:86:/IBAN/NL20INGB0001234567/NAME/De Vries Bouw B.V./REMI/Factuurnummer 2026-017
:62F:C261125EUR{closing}
-
"""


def _statement(amount="100", closing="200,00"):
    return BUNQ.replace("{amount}", amount).replace("{closing}", closing)


def _hostile_files(tmp_path):
    fifo = tmp_path / "statement.fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.xml"
    with open(big, "wb") as f:  # sparse: no disk, but 3 GB as far as its size says
        f.truncate(3 * 1024 ** 3)
    folder = tmp_path / "folder.xml"
    folder.mkdir()
    return [(fifo, "is a FIFO: expected a regular file"), (Path("/dev/zero"), "is a character device: expected a regular file"),
            (folder, "is a folder: expected a regular file"),
            (big, "is 3,221,225,472 bytes: larger than wik reads (at most {limit} MB)")]


@pytest.mark.parametrize("command,limit", [(("bank", "import"), 64), (("import",), 20)])
def test_a_file_that_is_not_a_regular_file_or_too_large_is_refused_before_reading(ledger, tmp_path, command, limit):
    import resource
    import subprocess
    import sys

    def at_most_1_gb():  # a read of the 3 GB file (or of /dev/zero) would end in a MemoryError
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    for path, problem in _hostile_files(tmp_path):
        before = _tree(tmp_path)
        r = subprocess.run([sys.executable, "-m", "wikcli", *command, str(path), "--home", ledger],
                           capture_output=True, text=True, preexec_fn=at_most_1_gb, timeout=60)
        # (a path is quoted to its first 80 characters)
        assert (r.returncode, r.stderr) == (2, f"wik: error: {str(path)[:80]!r} {problem.format(limit=limit)}\n")
        assert _tree(tmp_path) == before


def test_ubl_with_an_encoding_python_does_not_know_is_one_line(ledger, tmp_path):
    from ublfixture import ubl

    for declared, reason in (("x-unknown-8", "unknown encoding: x-unknown-8"),
                             ("utf-7", "multi-byte encodings are not supported")):
        f = tmp_path / "f.xml"
        f.write_bytes(ubl().replace(b'encoding="UTF-8"', f'encoding="{declared}"'.encode()))
        before = _tree(tmp_path)
        r = run_cli("import", str(f), "--home", ledger)
        assert (r.exit_code, r.stderr) == (
            2, f"wik: error: f.xml: the XML's encoding cannot be read ({reason}): save it as UTF-8\n")
        assert _tree(tmp_path) == before


@pytest.mark.parametrize("kw,message", [
    ({"amount": "100000000000000000000.00"},
     "f.xml, cac:LegalMonetaryTotal/cbc:PayableAmount: amount 100000000000000000000.00 is more than "
     "1.000.000.000,00: expected a smaller amount; nothing was imported"),
    ({"issue": "0001-01-01", "due": None},
     "f.xml, cbc:IssueDate: invoice date 0001-01-01 is out of range: expected 1965-04-01 to 9998-12-31; "
     "nothing was imported"),
    ({"due": "9999-12-31"},
     "f.xml, cbc:DueDate: due date 9999-12-31 is out of range: expected 1965-04-01 to 9998-12-31; nothing was "
     "imported"),
])
def test_ubl_values_pass_the_limits_of_invoice_add(ledger, tmp_path, kw, message):
    from ublfixture import ubl

    f = tmp_path / "f.xml"
    f.write_bytes(ubl(**kw))
    before = _tree(tmp_path)
    r = run_cli("import", str(f), "--home", ledger)
    assert (r.exit_code, r.stderr) == (2, f"wik: error: {message}\n")
    assert _tree(tmp_path) == before


def test_csv_values_pass_the_same_limits(ledger, tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("factuurnummer;factuurdatum;bedrag;klant\nC1;01-01-0001;100,00;Piet\n", encoding="utf-8")
    before = _tree(tmp_path)
    r = run_cli("import", str(f), "--home", ledger)
    assert (r.exit_code, r.stderr) == (
        2, "wik: error: f.csv line 2: invoice date 0001-01-01 is out of range: expected 1965-04-01 to 9998-12-31; "
           "nothing was imported\n")
    assert _tree(tmp_path) == before


def test_a_bank_credit_beyond_the_limits_of_pay_is_refused(ledger, tmp_path):
    f = tmp_path / "s.sta"
    f.write_text(_statement(amount="1000000000000", closing="1000000000100,00"), encoding="utf-8")
    before = _tree(tmp_path)
    r = run_cli("bank", "import", str(f), "--home", ledger, "--today", "2026-11-30")
    assert (r.exit_code, r.stderr) == (
        2, "wik: error: s.sta, line 5: credit 1000000000000.00 is more than 1.000.000.000,00: expected a smaller "
           "amount; nothing was imported\n")
    assert _tree(tmp_path) == before


def _invoice_2026_017(h):
    _ok("invoice", "add", "2026-017", "--client", "jan", "--amount", "100", "--date", "2026-10-01", "--home", h)


def test_mt940_line_without_a_tag_continues_the_field_before_it(ledger, tmp_path):
    _invoice_2026_017(ledger)
    f = tmp_path / "s.sta"
    f.write_text(_statement().replace(":28:00001\n", ":28:00001\nVERVOLG 2\n"), encoding="utf-8")
    r = _ok("bank", "import", str(f), "--home", ledger, "--today", "2026-11-30", "--json")
    assert r.stderr == ""
    assert [p["invoice"] for m in r.json()["matched"] for p in m["payments"]] == ["2026-017"]


def test_mt940_without_a_closing_balance_is_read_with_a_warning_naming_the_check(ledger, tmp_path):
    _invoice_2026_017(ledger)
    f = tmp_path / "s.sta"
    f.write_text(_statement().replace(":62F:C261125EUR200,00\n", ""), encoding="utf-8")
    r = _ok("bank", "import", str(f), "--home", ledger, "--today", "2026-11-30")
    assert r.stderr == ("wik: warning: s.sta: statement BUNQ BV: the file states no closing balance, so the "
                        "check closing balance (opening + credits - debits) was not made; read anyway, check the "
                        "file\n")
    assert _ok("invoice", "show", "2026-017", "--json", "--home", ledger, "--today", "2026-11-30").json()["paid"] == "100.00"

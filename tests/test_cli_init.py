"""`wik init` and `wik repair` through the CLI."""

from __future__ import annotations

import json
import os

import pytest

from wikcli.store import config
from wikcli.store.journal import Journal

IBAN = "NL91ABNA0417164300"


def init_args(home, *extra):
    return ["init", "--home", str(home), "--name", "Jansen Webdesign", "--iban", "NL91 ABNA 0417 1643 00", *extra]


def test_init_creates_config_and_journal(wik, tmp_path):
    home = tmp_path / "home"
    r = wik(*init_args(home, "--address", "Keizersgracht 1", "--postcode", "1015 AA", "--city", "Amsterdam",
                       "--kvk", "12345678", "--vat-id", "NL004495445B01", "--bic", "ABNANL2A",
                       "--email", "info@example.nl", "--phone", "020 123 4567", "--no-vat-deductible"))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (f"Wrote {home / 'config.toml'}\n"
                        f"Created the journal {home / 'journal.jsonl'}\n")
    c = config.load(home).creditor
    assert (c.name, c.iban, c.city, c.kvk, c.vat_deductible) == ("Jansen Webdesign", IBAN, "Amsterdam",
                                                                 "12345678", False)
    assert Journal(home).events() == []
    header = json.loads(Journal(home).path.read_text().splitlines()[0])
    assert header["wik_journal"] == 1
    assert (home.stat().st_mode & 0o777) == 0o700
    for f in ("config.toml", "journal.jsonl"):
        assert ((home / f).stat().st_mode & 0o777) == 0o600


def test_init_reads_wik_home(wik, tmp_path):
    home = tmp_path / "envhome"
    r = wik("init", "--name", "J", "--iban", IBAN, env={"WIK_HOME": str(home)})
    assert r.exit_code == 0, r.stderr
    assert (home / "config.toml").exists()


def test_init_never_overwrites_without_force(wik, tmp_path):
    home = tmp_path / "home"
    assert wik(*init_args(home)).exit_code == 0
    with Journal(home).transaction(__import__("datetime").datetime(2026, 11, 25)) as tx:
        tx.append("client-added", None, {"id": "acme", "name": "Acme", "type": "business"})
    journal_before = (home / "journal.jsonl").read_bytes()
    config_before = (home / "config.toml").read_bytes()
    r = wik("init", "--home", str(home), "--name", "Other", "--iban", IBAN)
    assert r.exit_code == 2
    assert "exists: not overwriting it (use --force" in r.stderr
    assert (home / "config.toml").read_bytes() == config_before
    r = wik("init", "--home", str(home), "--name", "Other", "--iban", IBAN, "--force")
    assert r.exit_code == 0, r.stderr
    assert "Kept the existing journal" in r.stdout
    assert config.load(home).creditor.name == "Other"
    assert (home / "journal.jsonl").read_bytes() == journal_before


@pytest.mark.parametrize("args,expected", [
    (["--name", "J"], "--iban is required"),
    (["--iban", IBAN], "--name is required"),
    (["--name", "J", "--iban", "NL00ABNA0417164300"], "--iban 'NL00ABNA0417164300' fails the IBAN checksum"),
    (["--name", "J", "--iban", IBAN, "--kvk", "12"], "--kvk '12' is not a KvK number"),
    (["--name", "J", "--iban", IBAN, "--vat-id", "NL123456789B01"], "--vat-id 'NL123456789B01'"),
    (["--name", "J", "--iban", IBAN, "--email", "x"], "--email 'x'"),
], ids=["no-iban", "no-name", "bad-iban", "bad-kvk", "bad-vat-id", "bad-email"])
def test_init_bad_input(wik, tmp_path, args, expected):
    home = tmp_path / "home"
    r = wik("init", "--home", str(home), *args)
    assert r.exit_code == 2
    assert r.stderr.startswith("wik: error: ") and expected in r.stderr
    assert len(r.stderr.splitlines()) == 1
    assert not (home / "config.toml").exists()


def test_init_asks_at_a_terminal(wik, tmp_path, monkeypatch):
    from wikcli.cli import ledger_init

    monkeypatch.setattr(ledger_init, "_interactive", lambda: True)
    home = tmp_path / "home"
    r = wik("init", "--home", str(home), input="Jansen\nNL91 ABNA 0417 1643 00\n")
    assert r.exit_code == 0, r.stderr
    assert config.load(home).creditor.iban == IBAN


def test_repair_intact(wik, tmp_path):
    home = tmp_path / "home"
    wik(*init_args(home))
    r = wik("repair", "--home", str(home))
    assert r.exit_code == 0
    assert r.stdout.startswith("journal is intact: 0 events")


def test_repair_moves_torn_line(wik, tmp_path):
    home = tmp_path / "home"
    wik(*init_args(home))
    good = (home / "journal.jsonl").read_bytes()
    with open(home / "journal.jsonl", "ab") as f:
        f.write(b'{"seq":1,"at":"2026-')
    r = wik("repair", "--home", str(home))
    assert r.exit_code == 0, r.stderr
    assert "moved the torn last line of journal.jsonl" in r.stdout
    assert "journal is intact: 0 events" in r.stdout
    sides = list(home.glob("journal.torn-*.jsonl"))
    assert len(sides) == 1 and sides[0].read_bytes() == b'{"seq":1,"at":"2026-'
    assert (home / "journal.jsonl").read_bytes() == good


def test_repair_refuses_a_damaged_middle(wik, tmp_path):
    home = tmp_path / "home"
    wik(*init_args(home))
    with open(home / "journal.jsonl", "ab") as f:
        f.write(b"garbage\n" + b'{"seq":2,"at":"x","type":"x","invoice":null,"data":{}}\n')
    before = (home / "journal.jsonl").read_bytes()
    r = wik("repair", "--home", str(home))
    assert r.exit_code == 2
    assert "journal.jsonl line 2 is not valid JSON" in r.stderr and "by hand" in r.stderr
    assert (home / "journal.jsonl").read_bytes() == before


def test_repair_without_home(wik, tmp_path):
    r = wik("repair", "--home", str(tmp_path / "none"))
    assert r.exit_code == 2
    assert "run `wik init` first" in r.stderr


def test_init_force_changes_only_what_it_is_given(wik, tmp_path):
    home = tmp_path / "home"
    assert wik(*init_args(home, "--no-vat-deductible", "--city", "Utrecht")).exit_code == 0
    path = home / "config.toml"
    path.write_text(path.read_text() + '\n[smtp]\nhost = "smtp.example.nl"\nuser = "me"\n', encoding="utf-8")
    text = path.read_text().replace("reminder_term_days = 14", "reminder_term_days = 10")
    path.write_text(text, encoding="utf-8")
    r = wik("init", "--home", str(home), "--force", "--email", "facturen@example.nl")
    assert r.exit_code == 0, r.stderr
    c = config.load(home)
    # what was not given stays: the VAT setting, the city, the policy and the [smtp] table
    assert (c.creditor.vat_deductible, c.creditor.city, c.creditor.email) == (False, "Utrecht", "facturen@example.nl")
    assert c.policy.reminder_term_days == 10
    assert (c.smtp.host, c.smtp.user) == ("smtp.example.nl", "me")
    # and a flag given flips exactly that key
    assert wik("init", "--home", str(home), "--force", "--vat-deductible").exit_code == 0
    c = config.load(home)
    assert (c.creditor.vat_deductible, c.smtp.host, c.creditor.name) == (True, "smtp.example.nl", "Jansen Webdesign")
def test_init_in_a_folder_that_cannot_be_written_is_one_line_and_writes_nothing(wik, tmp_path):
    from faults import full_disk, unwritable

    ro = tmp_path / "ro"
    ro.mkdir()
    with unwritable(ro):
        r = wik(*init_args(ro))
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == f"wik: error: cannot write in the folder '{ro}': permission denied; nothing was written there\n"
    assert list(ro.iterdir()) == []
    with unwritable(ro):
        r = wik(*init_args(ro / "home"))
    assert r.stderr == f"wik: error: cannot create a folder in '{ro}': permission denied; nothing was written there\n"
    assert r.exit_code == 2 and list(ro.iterdir()) == []
    # The config fits, the journal does not: neither is left, so `wik init` can be run again.
    with full_disk(ro):
        r = wik(*init_args(ro / "home"))
    assert r.exit_code == 2 and "no space left on device" in r.stderr and list(ro.iterdir()) == []
    assert wik(*init_args(ro / "home")).exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder, whatever its mode")
def test_init_in_a_read_only_folder_for_real(wik, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    try:
        r = wik(*init_args(ro / "home"))
    finally:
        ro.chmod(0o700)
    assert r.exit_code == 2 and r.stderr == (
        f"wik: error: cannot create a folder in '{ro}': permission denied; nothing was written there\n")
    assert list(ro.iterdir()) == []


def test_sample_config_alone_writes_the_packaged_sample_and_nothing_else(wik, tmp_path):
    import tomllib
    from importlib.resources import files

    home = tmp_path / "home"
    r = wik("init", "--sample-config", env={"WIK_HOME": str(home)})
    assert r.exit_code == 0, r.stderr
    assert r.stdout == f"Wrote {home / 'sample-config.toml'}\n"
    assert sorted(p.name for p in home.iterdir()) == ["sample-config.toml"]
    text = (home / "sample-config.toml").read_text(encoding="utf-8")
    assert text == files("wikcli").joinpath("sample-config.toml").read_text(encoding="utf-8")
    assert text.startswith("# wik configuration: <home>/config.toml\n")
    assert tomllib.loads(text)["creditor"]["name"] == "Jansen Webdesign"
    # and it is a config wik reads
    (home / "config.toml").write_text(text, encoding="utf-8")
    assert config.load(home).creditor.name == "Jansen Webdesign"


def test_sample_config_with_a_new_home(wik, tmp_path):
    home = tmp_path / "home"
    r = wik(*init_args(home, "--sample-config"))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (f"Wrote {home / 'config.toml'}\n"
                        f"Created the journal {home / 'journal.jsonl'}\n"
                        f"Wrote {home / 'sample-config.toml'}\n")
    assert (home / "config.toml").read_text(encoding="utf-8").startswith(
        "# wik configuration: `wik init --sample-config` writes sample-config.toml, with every key.\n")

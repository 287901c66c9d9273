"""Dutch input where a Dutch user types it: dates, letter kinds, amounts, postcodes, countries."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_cli_ledger import _ok, init_home


@pytest.fixture
def home(tmp_path):
    h = init_home(tmp_path)
    _ok("client", "add", "jan", "--name", "Jan Jansen", "--address", "Straat 1", "--city", "Utrecht", "--home", h)
    return h


def test_dates_in_dutch_and_english_wherever_a_date_is_taken(home):
    _ok("invoice", "add", "F1", "--client", "jan", "--amount", "€ 1.210,-", "--date", "3 maart 2026",
        "--due", "2-4-2026", "--home", home)
    _ok("pay", "F1", "10,-", "--date", "03-04-2026", "--home", home)
    _ok("note", "F1", "Gebeld", "--date", "7 April 2026", "--promise", "1 mei 2026", "--home", home)
    _ok("sent", "F1", "--kind", "herinnering", "--date", "8-4-2026", "--home", home)
    inv = _ok("invoice", "show", "F1", "--json", "--home", home, "--today", "9 april 2026").json()
    assert (inv["date"], inv["due"], inv["principal"], inv["paid"]) == ("2026-03-03", "2026-04-02", "1210.00", "10.00")
    assert [(e["type"], e["data"]["date"]) for e in inv["timeline"]] == [
        ("invoice-added", "2026-03-03"), ("payment", "2026-04-03"), ("note", "2026-04-07"),
        ("letter-sent", "2026-04-08")]
    assert inv["timeline"][2]["data"]["promise"] == "2026-05-01"
    assert inv["timeline"][3]["data"]["kind"] == "reminder"
    calc = _ok("deadline", "--sent", "24 december 2026", "--json").json()
    assert calc["sent"] == "2026-12-24"


def test_a_day_that_does_not_exist_is_named(home):
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("invoice", "add", "F2", "--client", "jan", "--amount", "100", "--date", "2026-02-31",
                "--home", home)
    assert (r.exit_code, r.stderr) == (2, "wik: error: --date '2026-02-31' is not a date: February 2026 has 28 days\n")
    r = run_cli("pay", "F2", "10", "--date", "31-4-2026", "--home", home)
    assert r.stderr == "wik: error: --date '31-4-2026' is not a date: April 2026 has 30 days\n"
    assert journal.read_bytes() == before


@pytest.mark.parametrize("word,kind", [("herinnering", "reminder"), ("aanmaning", "wik"), ("14-dagenbrief", "wik"),
                                       ("Ingebrekestelling", "default"), ("wik", "wik")])
def test_letter_kinds_in_dutch(home, word, kind):
    _ok("invoice", "add", "F1", "--client", "jan", "--amount", "100", "--date", "2026-01-02", "--home", home)
    # A consumer's notice of default with no WIK-letter before it needs --force.
    force = ("--force",) if kind == "default" else ()
    r = _ok("letter", "F1", "--kind", word, "--json", "--home", home, "--today", "2026-03-02", *force).json()
    assert r["kind"] == kind and r["path"].endswith(f"F1-{kind}-2026-03-02.pdf")
    ev = _ok("sent", "F1", "--kind", word, "--date", "2026-03-02", "--json", "--home", home, *force).json()
    assert ev[0]["data"]["kind"] == kind


def test_an_unknown_kind_lists_the_dutch_words(home):
    r = run_cli("sent", "F1", "--kind", "brief", "--home", home)
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: --kind 'brief' is unknown: expected reminder (herinnering), wik (aanmaning, "
                        "14-dagenbrief) or default (ingebrekestelling)\n")


def test_postcode_country_and_email_are_normalised(home):
    ev = _ok("client", "add", "piet", "--name", "Piet", "--postcode", "1234ab", "--country", "Nederland",
             "--email", "piet@example.nl", "--json", "--home", home).json()
    assert (ev[0]["data"]["postcode"], ev[0]["data"]["country"]) == ("1234 AB", "NL")
    ev = _ok("client", "add", "sam", "--name", "Sam", "--postcode", " 9999  zz ", "--country", "Netherlands",
             "--json", "--home", home).json()
    assert (ev[0]["data"]["postcode"], ev[0]["data"]["country"]) == ("9999 ZZ", "NL")
    ev = _ok("client", "add", "jef", "--name", "Jef", "--postcode", "2000", "--country", "België",
             "--json", "--home", home).json()
    assert (ev[0]["data"]["postcode"], ev[0]["data"]["country"]) == ("2000", "BE")


@pytest.mark.parametrize("args,message", [
    (["--postcode", "123 AB"], "--postcode '123 AB' is not a Dutch postcode: expected 4 digits (the first not 0) "
                               "and 2 letters, e.g. 1234 AB"),
    (["--country", "Narnia"], "--country 'Narnia' is not a country: expected a code such as NL or BE"),
    (["--email", "jan@localhost"], "--email is not a valid e-mail address: expected name@example.nl "
                                   "(a name, an @ and a domain with a dot)"),
])
def test_bad_address_parts_are_one_line(home, args, message):
    journal = Path(home) / "journal.jsonl"
    before = journal.read_bytes()
    r = run_cli("client", "add", "x", "--name", "X", *args, "--home", home)
    assert r.exit_code == 2 and r.stderr.startswith("wik: error: " + message) and r.stderr.count("\n") == 1
    assert journal.read_bytes() == before


def test_init_writes_the_postcode_the_dutch_way(tmp_path):
    from wikcli.store import config

    h = tmp_path / "h"
    _ok("init", "--home", str(h), "--name", "X", "--iban", "NL91ABNA0417164300", "--postcode", "1015aa")
    assert config.load(h).creditor.postcode == "1015 AA"


def test_help_shows_the_dutch_words_and_date_forms():
    out = _ok("--help").stdout
    assert "3-3-2026" in out and "3 maart 2026" in out and "3 March 2026" in out
    assert "herinnering" in out and "aanmaning" in out and "14-dagenbrief" in out and "ingebrekestelling" in out
    assert "12,-" in out

"""`wik rates`: the table in force with its sources and files; user rows reach the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import run_cli

ROWS = """\
# Published after this copy of wik.
[[consumer]]
from = 2027-01-01
rate = "0.05"
source = "Stb. 2026, 1"
confirmed = true

[[commercial]]
from = 2026-07-01
rate = "0.1045"
source = "my own reading"
confirmed = false
"""


@pytest.fixture
def home(tmp_path):
    return tmp_path


def test_json_without_a_user_file(wik, home):
    r = wik("rates", "--json", "--home", home)
    assert r.exit_code == 0 and r.stderr == ""
    out = r.json()
    assert list(out) == ["packaged_file", "user_file", "user_file_exists", "consumer", "commercial"]
    assert out["packaged_file"].endswith("rates.toml") and out["user_file"] == str(home / "rates.toml")
    assert out["user_file_exists"] is False
    for kind in ("consumer", "commercial"):
        assert out[kind]["known_until"] == "2026-12-31"
        assert all(r["confirmed"] and r["file"] == "packaged" and r["replaces"] is None and r["source"]
                   for r in out[kind]["rates"])
    assert out["consumer"]["rates"][-1] == {
        "from": "2026-07-01", "rate": "0.04",
        "source": "Unchanged per 1 juli 2026: ECB main refinancing rate 2.15% at the end of April 2026 + "
                  "2.25 = 4.40, rounded to 4% (art. 6:119 BW); no new decision",
        "confirmed": True, "file": "packaged", "replaces": None}
    assert [(r["from"], r["rate"]) for r in out["commercial"]["rates"][-3:]] == [
        ("2025-07-01", "0.1015"), ("2026-01-01", "0.1015"), ("2026-07-01", "0.104")]


def test_json_with_user_rows(wik, home):
    (home / "rates.toml").write_text(ROWS, encoding="utf-8")
    out = wik("rates", "--json", "--home", home).json()
    assert out["user_file_exists"] is True
    assert out["consumer"]["known_until"] == "2027-06-30"
    assert out["consumer"]["rates"][-1] == {"from": "2027-01-01", "rate": "0.05", "source": "Stb. 2026, 1",
                                           "confirmed": True, "file": "user", "replaces": None}
    last = out["commercial"]["rates"][-1]
    assert (last["rate"], last["file"], last["confirmed"]) == ("0.1045", "user", False)
    assert last["replaces"]["rate"] == "0.104" and last["replaces"]["confirmed"] is True
    assert out["commercial"]["known_until"] == "2026-12-31"


def test_text_names_files_and_the_last_day(wik, home):
    r = wik("rates", "--home", home, env={"COLUMNS": "100"})
    lines = [x.rstrip() for x in r.stdout.splitlines()]
    assert lines[1] == f"Yours:    {home / 'rates.toml'} (none yet: add newer rows there, in the same format)"
    assert ("wettelijke rente, art. 6:119 BW (consumers): known until 2026-12-31, wik warns for later days"
            in lines)
    (home / "rates.toml").write_text(ROWS, encoding="utf-8")
    text = wik("rates", "--home", home).stdout
    assert f"Yours:    {home / 'rates.toml'}\n" in text
    assert "2027-01-01    5%  yes        yours     Stb. 2026, 1" in text
    assert "2026-07-01  10,45%  NO         yours     my own reading (replaces the packaged 10,4%)" in text


def test_a_malformed_user_file_is_refused(wik, home):
    (home / "rates.toml").write_text(ROWS.replace("rate = \"0.05\"", "rate = \"5%\""), encoding="utf-8")
    r = wik("rates", "--home", home)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"wik: error: {home / 'rates.toml'} [[consumer]] row 1: rate '5%' is not a fraction: "
                        "expected a string such as \"0.0815\" for 8,15%, below 0.25\n")


def test_the_ledger_uses_the_rows_of_its_home(tmp_path):
    demo = tmp_path / "demo"
    assert run_cli("demo", "--dir", demo, "--today", "2026-11-26").stderr == ""
    later = run_cli("status", "--json", "--home", demo, "--today", "2027-03-01")
    assert later.exit_code == 0
    assert later.stderr.count("wik: warning:") == 2  # both kinds: nothing known after 2026-12-31
    assert "`wik rates`" in later.stderr and str(demo / "rates.toml") in later.stderr
    (demo / "rates.toml").write_text(
        ROWS.replace("confirmed = false", "confirmed = true").replace("2026-07-01", "2027-01-01"),
        encoding="utf-8")
    updated = run_cli("status", "--json", "--home", demo, "--today", "2027-03-01")
    assert updated.stderr == ""
    before = {r["invoice"]: r["interest"] for r in later.json()}
    after = {r["invoice"]: r["interest"] for r in updated.json()}
    # A higher rate from 2027-01-01 for both kinds: more interest wherever any runs.
    running = [k for k in before if before[k] != "0.00"]
    assert running and all(Decimal(after[k]) > Decimal(before[k]) for k in running)


def test_a_fresh_demo_prints_no_warning(tmp_path):
    r = run_cli("demo", "--dir", tmp_path / "d", "--today", "2026-11-26")
    assert r.exit_code == 0 and r.stderr == ""

from datetime import timedelta

import pytest

from wikcli.rules import interest


def test_interest_json_shape_exact(wik):
    r = wik("interest", "1000", "--from", "2024-03-01", "--to", "2025-02-28", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    assert r.json() == {
        "principal": "1000.00",
        "kind": "consumer",
        "from": "2024-03-01",
        "to": "2025-02-28",
        "interest": "68.38",
        "total": "1068.38",
        "periods": [
            {"from": "2024-03-01", "to": "2024-12-31", "days": 306, "rate": "0.07",
             "base": "1000.00", "interest": "58.68"},
            {"from": "2025-01-01", "to": "2025-02-28", "days": 59, "rate": "0.06",
             "base": "1000.00", "interest": "9.70"},
        ],
    }


def test_interest_to_defaults_to_today_option(wik):
    out = wik("interest", "1000", "--from", "2024-03-01", "--today", "2025-02-28", "--json").json()
    assert out["to"] == "2025-02-28" and out["interest"] == "68.38"


def test_interest_to_defaults_to_wik_today(wik):
    r = wik("interest", "1000", "--from", "2024-03-01", "--json", env={"WIK_TODAY": "2025-02-28"})
    assert r.json()["to"] == "2025-02-28"


def test_interest_to_wins_over_today(wik):
    out = wik("interest", "1000", "--from", "2024-03-01", "--to", "2024-03-31",
              "--today", "2025-02-28", "--json").json()
    assert out["to"] == "2024-03-31"


def test_interest_commercial(wik):
    out = wik("interest", "750,50", "--from", "2016-06-01", "--to", "2016-08-31",
              "--commercial", "--json").json()
    assert out["kind"] == "commercial"
    assert [p["rate"] for p in out["periods"]] == ["0.0805", "0.08"]
    assert out["interest"] == "15.17" and out["total"] == "765.67"


def test_interest_human_output_dutch_notation(wik):
    r = wik("interest", "1000", "--from", "2024-03-01", "--to", "2025-06-30")
    assert r.exit_code == 0
    assert "€ 89,81" in r.stdout
    assert "€ 1.089,81" in r.stdout
    assert "€ 1.068,38" in r.stdout  # the capitalised base after the first year
    assert "2025-03-01" in r.stdout and "7%" in r.stdout
    assert r.stderr == ""


def test_interest_warnings_go_to_stderr_in_both_modes(wik):
    past = (interest.known_until(interest.COMMERCIAL) + timedelta(days=30)).isoformat()
    for extra in ([], ["--json"]):
        r = wik("interest", "1000", "--from", "2024-01-01", "--to", past, "--commercial", *extra)
        assert r.exit_code == 0
        lines = r.stderr.splitlines()
        assert lines and all(line.startswith("wik: warning: ") for line in lines)
        assert any("no wettelijke handelsrente is known after" in line for line in lines)
        assert "warning" not in r.stdout
    assert wik("interest", "1000", "--from", "2024-01-01", "--to", past, "--commercial",
               "--json").json()["to"] == past


@pytest.mark.parametrize("args,message", [
    (["1000", "--from", "2025-03-01", "--to", "2025-02-28"], "is after the last day 2025-02-28"),
    (["1000", "--from", "2014-12-31", "--to", "2025-02-28"], "is before 2015-01-01"),
    (["1000", "--from", "2025/3/01", "--to", "2025-04-01"], "--from '2025/3/01' is not a date"),
    (["1000", "--from", "2025-03-01", "--to", "31-12-25"], "--to '31-12-25' is not a date: write the year in four digits"),
    (["1000", "--from", "2025-03-01", "--today", "tomorrow"], "--today 'tomorrow' is not a date"),
    (["-5", "--from", "2025-03-01", "--to", "2025-04-01"], "amount '-5' is negative"),
    (["0", "--from", "2025-03-01", "--to", "2025-04-01"], "amount '0' is zero"),
    (["1000", "--to", "2025-04-01"], "--from"),
])
def test_interest_errors_one_line_exit_2(wik, args, message):
    r = wik("interest", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wik: error: ")
    assert message in lines[0]


PROBE = """
import json, sys
from wikcli.cli import app
try:
    app(["interest", "1000", "--from", "2024-03-01", "--to", "2025-02-28", "--json"], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ("rich", "babel", "reportlab", "jinja2", "holidays"))), file=sys.stderr)
"""


def test_interest_json_loads_no_heavy_module():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["interest"] == "68.38"
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []


@pytest.fixture
def home(tmp_path):
    """A folder to pass as --home."""
    return tmp_path


def test_no_warning_inside_the_published_rates(wik, home):
    for kind in ([], ["--commercial"]):
        r = wik("interest", "1000", "--from", "2025-11-15", "--to", "2026-12-31", *kind, "--home", home)
        assert r.exit_code == 0
        assert r.stderr == ""


def test_one_warning_after_the_newest_half_year_names_wik_rates(wik, home):
    r = wik("interest", "1000", "--from", "2025-11-15", "--to", "2027-03-01", "--json", "--home", home)
    assert r.exit_code == 0
    assert r.stderr.splitlines() == [
        "wik: warning: no wettelijke rente is known after 2026-12-31: the rate of 4% from 2026-07-01 is "
        f"used up to 2027-03-01; add the new rate to {home / 'rates.toml'} (`wik rates` shows the table in force)"]


ROWS = """\
[[consumer]]
from = 2027-01-01
rate = "0.05"
source = "Stb. 2026, 1"
confirmed = true
"""


def test_a_user_rates_file_changes_the_result(wik, home):
    args = ("interest", "1000", "--from", "2026-07-01", "--to", "2027-03-01", "--json")
    packaged = wik(*args, "--home", home).json()
    (home / "rates.toml").write_text(ROWS, encoding="utf-8")
    r = wik(*args, "--home", home)
    assert r.stderr == ""
    assert [p["rate"] for p in r.json()["periods"]] == ["0.04", "0.05"]
    assert (packaged["interest"], r.json()["interest"]) == ("26.74", "28.38")  # 6.58 -> 8.22
    # WIK_HOME is a home as well.
    assert wik(*args, env={"WIK_HOME": str(home)}).json()["interest"] == "28.38"


def test_a_user_row_replacing_a_packaged_one_is_named_once(wik, home):
    (home / "rates.toml").write_text(ROWS.replace("2027-01-01", "2026-07-01"), encoding="utf-8")
    r = wik("interest", "1000", "--from", "2026-01-01", "--to", "2026-12-31", "--home", home)
    assert r.exit_code == 0
    assert r.stderr.splitlines() == [
        f"wik: warning: {home / 'rates.toml'} replaces the packaged wettelijke rente from 2026-07-01: 4% -> 5%"]


def test_a_malformed_user_file_is_one_line_naming_file_row_and_key(wik, home):
    (home / "rates.toml").write_text(ROWS + ROWS.replace("2027-01-01", "2027-07-01").replace('"0.05"', "0.05"),
                                     encoding="utf-8")
    r = wik("interest", "1000", "--from", "2026-07-01", "--to", "2027-03-01", "--home", home)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        f"wik: error: {home / 'rates.toml'} [[consumer]] row 2: rate 0.05 is not a fraction: expected a "
        "string such as \"0.0815\" for 8,15%, below 0.25"]

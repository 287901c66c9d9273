"""`wik deadline` through the CLI: JSON shape, human lines, one-line errors."""

from __future__ import annotations

import pytest


def test_json_shape(wik):
    r = wik("deadline", "--sent", "2025-12-30", "--json")
    assert r.exit_code == 0
    assert r.json() == {
        "sent": "2025-12-30", "via": "post", "delivered": "2026-01-03", "term_days": 14,
        "term_starts": "2026-01-04", "last_day": "2026-01-19", "costs_due_from": "2026-01-20",
        "extended_by_atw": True,
        "skipped": [
            {"date": "2026-01-01", "why": "Nieuwjaarsdag"},
            {"date": "2026-01-02", "why": "Vrijdag na Nieuwjaarsdag (gelijkgesteld)"},
            {"date": "2026-01-17", "why": "Zaterdag"},
            {"date": "2026-01-18", "why": "Zondag"},
        ],
    }
    assert list(r.json()) == ["sent", "via", "delivered", "term_days", "term_starts", "last_day",
                              "costs_due_from", "extended_by_atw", "skipped"]


def test_email_and_term_options(wik):
    r = wik("deadline", "--sent", "2026-11-24", "--via", "email", "--term", "8", "--json")
    assert r.json()["delivered"] == "2026-11-24"
    assert r.json()["term_days"] == 8
    assert r.json()["last_day"] == "2026-12-02"


def test_human_output_christmas(wik):
    r = wik("deadline", "--sent", "2026-12-24")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == [
        "Sent:            2026-12-24 (Thursday) by post",
        "Delivered:       2026-12-31 (Thursday), assumed: the 3rd delivery day after posting",
        "Delivery rule:   3rd delivery day: PostNL delivers within 2 days from 2026-07-01, plus one day of margin",
        "Term:            14 days, 2027-01-01 (Friday) to 2027-01-14 (Thursday)",
        "Costs owed from: 2027-01-15 (Friday)",
        "  2026-12-25 (Friday)     not a delivery day: Eerste Kerstdag",
        "  2026-12-26 (Saturday)   not a delivery day: Tweede Kerstdag",
        "  2026-12-27 (Sunday)     not a delivery day: Zondag",
        "  2026-12-28 (Monday)     not a delivery day: Maandag",
    ]


@pytest.mark.parametrize("sent,line", [
    ("2026-06-30", "Delivery rule:   2nd delivery day: PostNL delivers the next delivery day for letters "
                   "posted until 2026-06-30, plus one day of margin"),
    ("2026-07-01", "Delivery rule:   3rd delivery day: PostNL delivers within 2 days from 2026-07-01, "
                   "plus one day of margin"),
    ("2027-07-01", "Delivery rule:   4th delivery day: PostNL delivers within 3 days from 2027-07-01, "
                   "plus one day of margin"),
])
def test_human_output_names_the_norm(wik, sent, line, tmp_path):
    r = wik("deadline", "--sent", sent, "--home", tmp_path)
    assert line in r.stdout.splitlines()


def test_human_output_names_the_atw_extension(wik):
    # Tuesday 13 April 2027 + 14 = Tuesday 27 April, King's Day -> Wednesday 28 April.
    r = wik("deadline", "--sent", "2027-04-08")
    assert "  2027-04-27 (Tuesday)    last day moved on (Atw art. 1): Koningsdag" in r.stdout.splitlines()


def test_human_output_names_the_decree(wik):
    r = wik("deadline", "--sent", "2025-12-30")
    assert r.stdout.splitlines()[-1] == (
        "Equated days:    Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april "
        "2028 en 26 mei 2028 met een algemeen erkende feestdag (Algemene termijnenwet art. 3 lid 3; "
        "Stcrt. 2025, 24713)")


def test_human_output_names_the_friday_rule(wik):
    r = wik("deadline", "--sent", "2029-05-08")
    lines = r.stdout.splitlines()
    assert ("  2029-05-11 (Friday)     not a delivery day: Vrijdag na Hemelvaartsdag "
            "(vrijdagregel; geen besluit bekend)") in lines
    assert lines[-1] == ("Equated days:    the Friday rule for 2029 (no decree for 2029 is known yet): the "
                         "Friday after a holiday on a Thursday, as every decree has equated")


def test_no_equated_line_without_an_equated_day(wik):
    assert "Equated days" not in wik("deadline", "--sent", "2026-12-24").stdout


def test_delivery_days_option(wik):
    r = wik("deadline", "--sent", "2026-11-26", "--delivery-days", "5")
    lines = r.stdout.splitlines()
    assert lines[1] == "Delivered:       2026-12-03 (Thursday), assumed: the 5th delivery day after posting"
    assert lines[2] == ("Delivery rule:   5th delivery day, as set with --delivery-days; the norm gives the 3rd: "
                        "PostNL delivers within 2 days from 2026-07-01, plus one day of margin")
    assert wik("deadline", "--sent", "2026-11-26", "--delivery-days", "5", "--json").json()["delivered"] == "2026-12-03"


def test_abroad_uses_the_default_without_a_home(wik, tmp_path):
    r = wik("deadline", "--sent", "2026-11-26", "--abroad", "--home", tmp_path / "none")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[1] == "Delivered:       2026-12-10 (Thursday), assumed: the 10th delivery day after posting"
    assert lines[2] == ("Delivery rule:   10th delivery day for an address abroad "
                        "(policy.postal_delivery_days_abroad): no Dutch delivery norm covers post abroad")
    assert lines[4] == "Costs owed from: 2026-12-25 (Friday)"
    # An explicit N wins over --abroad.
    out = wik("deadline", "--sent", "2026-11-26", "--abroad", "--delivery-days", "2", "--json").json()
    assert out["delivered"] == "2026-11-28"


def test_policy_of_the_home_is_used(wik, tmp_path):
    (tmp_path / "config.toml").write_text('[creditor]\nname = "J"\n[policy]\npostal_delivery_days = 4\n'
                                          'postal_delivery_days_abroad = 6\n', encoding="utf-8")
    r = wik("deadline", "--sent", "2026-11-26", "--home", tmp_path)
    assert r.stdout.splitlines()[2] == (
        "Delivery rule:   4th delivery day, as set in policy.postal_delivery_days; the norm gives the 3rd: "
        "PostNL delivers within 2 days from 2026-07-01, plus one day of margin")
    assert r.stdout.splitlines()[1].startswith("Delivered:       2026-12-02 (Wednesday)")
    env = {"WIK_HOME": str(tmp_path)}
    assert wik("deadline", "--sent", "2026-11-26", "--abroad", "--json", env=env).json()["delivered"] == "2026-12-04"
    # E-mail: the same day, whatever the policy.
    assert wik("deadline", "--sent", "2026-11-26", "--via", "email", "--json", env=env).json()["delivered"] == "2026-11-26"


def test_a_bad_config_in_the_home_is_one_line(wik, tmp_path):
    (tmp_path / "config.toml").write_text('[creditor]\nname = "J"\n[policy]\npostal_delivery_days = 40\n',
                                          encoding="utf-8")
    r = wik("deadline", "--sent", "2026-11-26", "--home", tmp_path)
    assert r.exit_code == 2
    assert r.stderr == ("wik: error: config.toml: policy.postal_delivery_days 40 is out of range: expected "
                        "1 to 30 delivery days, or 0 for PostNL's norm by posting date\n")


@pytest.mark.parametrize("args,message", [
    (("--sent", "24/12/2026"), "wik: error: --sent '24/12/2026' is not a date: expected 2026-03-03, 3-3-2026 or 3 maart 2026"),
    (("--sent", "2026-02-30"), "wik: error: --sent '2026-02-30' is not a date"),
    (("--sent", "2026-12-24", "--via", "fax"), "wik: error: channel 'fax' is not known: expected post or email"),
    (("--sent", "2026-12-24", "--term", "0"), "wik: error: term 0 days is out of range: expected 1 to 365 days"),
    (("--sent", "2026-12-24", "--term", "366"), "wik: error: term 366 days is out of range"),
    (("--sent", "9999-12-20"), "wik: error: date 9999-12-20 is out of range: expected 1965-04-01 to 9998-12-31"),
    (("--sent", "1965-03-31"), "wik: error: date 1965-03-31 is out of range"),
    (("--sent", "2026-12-24", "--term", "two"), "wik: error: Invalid value for '--term'"),
    (("--sent", "2026-12-24", "--delivery-days", "0"),
     "wik: error: --delivery-days 0 is out of range: expected 1 to 30 delivery days"),
    (("--sent", "2026-12-24", "--delivery-days", "31"), "wik: error: --delivery-days 31 is out of range"),
])
def test_errors_are_one_line_exit_2(wik, args, message):
    r = wik("deadline", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith(message)
    assert r.stderr.count("\n") == 1


def test_missing_sent_is_an_error(wik):
    r = wik("deadline")
    assert r.exit_code == 2
    assert "--sent" in r.stderr

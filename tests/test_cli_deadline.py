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
        "Delivered:       2026-12-30 (Wednesday), assumed: the 2nd delivery day after posting",
        "Term:            14 days, 2026-12-31 (Thursday) to 2027-01-13 (Wednesday)",
        "Costs owed from: 2027-01-14 (Thursday)",
        "  2026-12-25 (Friday)     not a delivery day: Eerste Kerstdag",
        "  2026-12-26 (Saturday)   not a delivery day: Tweede Kerstdag",
        "  2026-12-27 (Sunday)     not a delivery day: Zondag",
        "  2026-12-28 (Monday)     not a delivery day: Maandag",
    ]


def test_human_output_names_the_atw_extension(wik):
    r = wik("deadline", "--sent", "2027-04-09")
    assert "  2027-04-27 (Tuesday)    last day moved on (Atw art. 1): Koningsdag" in r.stdout.splitlines()


@pytest.mark.parametrize("args,message", [
    (("--sent", "24/12/2026"), "wik: error: --sent '24/12/2026' is not a date: expected 2026-03-03, 3-3-2026 or 3 maart 2026"),
    (("--sent", "2026-02-30"), "wik: error: --sent '2026-02-30' is not a date"),
    (("--sent", "2026-12-24", "--via", "fax"), "wik: error: channel 'fax' is not known: expected post or email"),
    (("--sent", "2026-12-24", "--term", "0"), "wik: error: term 0 days is out of range: expected 1 to 365 days"),
    (("--sent", "2026-12-24", "--term", "366"), "wik: error: term 366 days is out of range"),
    (("--sent", "9999-12-20"), "wik: error: date 9999-12-20 is out of range: expected 1965-04-01 to 9998-12-31"),
    (("--sent", "1965-03-31"), "wik: error: date 1965-03-31 is out of range"),
    (("--sent", "2026-12-24", "--term", "two"), "wik: error: Invalid value for '--term'"),
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

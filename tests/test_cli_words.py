"""The Dutch words for an option's fixed values, accepted wherever the option is taken; the
English ones still work, and anything else is refused with the command's own message."""

from __future__ import annotations

import shutil

import pytest

from conftest import make_demo, run_cli
from wikcli.cli import words

DAY = "2026-11-25"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("demo") / "home", DAY)


@pytest.fixture
def env(demo, tmp_path):
    shutil.copytree(demo, tmp_path / "home")
    return {"WIK_HOME": str(tmp_path / "home"), "WIK_TODAY": DAY}


def test_the_table():
    assert words.translate(["sent", "1", "--via", "E-mail"], "sent") == ["sent", "1", "--via", "email"]
    assert words.translate(["close", "1", "--reason=Betaald"], "close") == ["close", "1", "--reason=paid"]
    # `wik pause --reason` is free text: a Dutch word there stays what it is
    assert words.translate(["pause", "1", "--reason", "betaald"], "pause") == ["pause", "1", "--reason", "betaald"]
    # after `--` nothing is an option
    assert words.translate(["note", "1", "--", "--via", "e-mail"], "note") == ["note", "1", "--", "--via", "e-mail"]
    assert words.translate(["x", "--via", "fax"], "x") == ["x", "--via", "fax"]


@pytest.mark.parametrize("word, stored", [("particulier", "consumer"), ("consument", "consumer"),
                                          ("Zakelijk", "business"), ("bedrijf", "business"),
                                          ("business", "business"), ("consumer", "consumer")])
def test_client_type_in_dutch(env, word, stored):
    r = run_cli("client", "add", "nieuw", "--name", "Nieuwe Klant", "--type", word, "--lang", "Engels",
                "--address", "Straat 1", "--city", "Utrecht", "--json", env=env)
    assert r.exit_code == 0, r.stderr
    (ev,) = r.json()
    assert (ev["data"]["type"], ev["data"]["lang"]) == (stored, "en")


def test_via_e_mail_and_post(env):
    r = run_cli("sent", "2026-094", "--kind", "herinnering", "--via", "e-mail", "--json", env=env)
    assert r.exit_code == 0, r.stderr
    assert r.json()[0]["data"]["via"] == "email"
    r = run_cli("deadline", "--sent", DAY, "--via", "E-mail", "--json", env=env)
    assert r.exit_code == 0 and r.json()["via"] == "email", r.stderr
    r = run_cli("deadline", "--sent", DAY, "--via", "fax", env=env)
    assert (r.exit_code, r.stderr) == (2, "wik: error: channel 'fax' is not known: expected post or email\n")


@pytest.mark.parametrize("word, reason", [("betaald", "paid"), ("creditnota", "credit-note"),
                                          ("afgeschreven", "written-off"), ("failliet", "bankrupt")])
def test_close_reason_in_dutch(env, word, reason):
    r = run_cli("close", "2026-101", "--reason", word, "--force", "--json", env=env)
    assert r.exit_code == 0, r.stderr
    assert r.json()[0]["data"]["reason"] == reason


def test_every_and_by_in_dutch(env):
    r = run_cli("plan", "2026-094", "--installments", "3", "--first", "over 7 dagen", "--every", "week", "--json",
                env=env)
    assert r.exit_code == 0, r.stderr
    assert [i["due"] for i in r.json()[0]["data"]["installments"]] == ["2026-12-02", "2026-12-09", "2026-12-16"]
    dutch = run_cli("report", "ageing", "--by", "klant", "--json", env=env)
    english = run_cli("report", "ageing", "--by", "client", "--json", env=env)
    assert dutch.exit_code == 0 and dutch.stdout == english.stdout
    dutch = run_cli("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "kwartaal",
                    "--json", env=env)
    english = run_cli("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "quarter",
                      "--json", env=env)
    assert dutch.exit_code == 0 and dutch.stdout == english.stdout

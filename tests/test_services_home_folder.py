"""The home folder's use cases without the CLI: create (and change) a home, repair a torn
journal. `wik init` and `wik repair` print what these return (tests/test_cli_init.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wikcli.errors import OptionError
from wikcli.services import home_folder
from wikcli.store import config
from wikcli.store.journal import Journal

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
GIVEN = dict.fromkeys(home_folder.CREDITOR_KEYS) | {"name": "Studio Noord", "iban": "NL91ABNA0417164300",
                                                    "postcode": "1015aa"}


def test_create_writes_the_config_and_an_empty_journal_and_force_changes_only_what_is_given(tmp_path, capsys):
    made = home_folder.create(tmp_path / "home", GIVEN, NOW)
    assert (made.config.name, made.journal.name, made.kept_journal) == ("config.toml", "journal.jsonl", False)
    cfg = config.load(tmp_path / "home")
    assert (cfg.creditor.name, cfg.creditor.postcode, cfg.creditor.vat_deductible) == ("Studio Noord", "1015 AA", True)
    assert Journal(tmp_path / "home").events() == []
    with pytest.raises(config.ConfigError, match="config.toml exists: not overwriting it"):
        home_folder.create(tmp_path / "home", GIVEN, NOW)
    again = home_folder.create(tmp_path / "home", dict.fromkeys(home_folder.CREDITOR_KEYS) | {"city": "Utrecht"},
                               NOW, force=True)
    assert again.kept_journal
    cfg = config.load(tmp_path / "home")
    assert (cfg.creditor.name, cfg.creditor.city) == ("Studio Noord", "Utrecht")
    assert capsys.readouterr() == ("", "")


def test_a_missing_name_is_asked_for_or_refused_and_a_bad_flag_is_named(tmp_path):
    asked = []

    def ask(value, flag, prompt):
        asked.append(flag)
        return value or "Gevraagd BV"

    home_folder.create(tmp_path / "a", GIVEN | {"name": None}, NOW, ask=ask)
    assert asked == ["--name", "--iban"] and config.load(tmp_path / "a").creditor.name == "Gevraagd BV"
    with pytest.raises(OptionError, match=r"^--name is required \(no terminal to ask at\)$"):
        home_folder.create(tmp_path / "b", GIVEN | {"name": None}, NOW)
    with pytest.raises(config.ConfigError, match="--kvk"):
        home_folder.create(tmp_path / "c", GIVEN | {"kvk": "12"}, NOW)
    assert not (tmp_path / "b").exists() and not (tmp_path / "c" / "config.toml").exists()


def test_repair_moves_a_torn_last_line_aside(tmp_path):
    home_folder.create(tmp_path, GIVEN, NOW)
    intact = home_folder.repair(tmp_path, NOW)
    assert (intact.side, intact.events) == (None, 0)
    with open(tmp_path / "journal.jsonl", "ab") as f:
        f.write(b'{"seq":1,"at":"x","type":"no')
    torn = home_folder.repair(tmp_path, NOW)
    assert torn.side is not None and torn.side.read_bytes() == b'{"seq":1,"at":"x","type":"no'
    assert torn.events == 0 and home_folder.repair(tmp_path, NOW).side is None


def test_forget_erases_a_closed_client_through_the_service_and_prints_nothing(tmp_path, capsys):
    from datetime import date
    from decimal import Decimal

    from wikcli.ledger.model import Client
    from wikcli.services import clients, invoices, privacy
    from wikcli.store.home import Home

    home_folder.create(tmp_path, GIVEN, NOW)
    h = Home.open(tmp_path)
    clients.add(h, Client(id="visser", name="J. Visser", address="Laan 1", postcode="1234 AB", city="Ede"),
                date(2018, 1, 5))
    invoices.add(h, "2018-001", "visser", Decimal("100.00"), date(2018, 1, 5))
    from wikcli.services import payments

    payments.pay(h, "2018-001", Decimal("100.00"), date(2018, 2, 1), today=date(2018, 2, 1))
    done = privacy.forget(h, "VISSER", date(2026, 12, 5), NOW)
    assert (done.client_id, done.blanked, done.deleted, done.cleaned) == ("visser", 2, 0, 0)
    assert done.new_id.startswith("forgotten-") and done.new_id in {c.id for c in h.ledger().clients.values()}
    raw = (tmp_path / "journal.jsonl").read_text()
    assert "Visser" not in raw and "Laan 1" not in raw and '"type":"client-forgotten"' in raw
    assert capsys.readouterr() == ("", "")

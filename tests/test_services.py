"""The use cases called as a script would call them: no Typer, no CliRunner, no printing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date, datetime, UTC
from decimal import Decimal

import pytest

from lettercases import norm, pdf_pages
from wikcli.ledger import claims
from wikcli.ledger.commands import LedgerError
from wikcli.services import demo, letters
from wikcli.store import config, journal
from wikcli.store.home import Home

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def home(tmp_path) -> Home:
    d = demo.build(TODAY)
    config.write(tmp_path, d.config)
    j = journal.Journal(tmp_path)
    j.create(NOW)
    with j.transaction(NOW) as tx:
        for ev in d.events:
            tx.append(*ev)
    return Home.open(tmp_path, clock=lambda: NOW)  # as a script opens one


def test_a_wik_letter_composed_and_recorded_without_the_cli(home):
    ledger = home.ledger()
    posted = date(2026, 11, 21)  # the demo posts its WIK-letter on Saturday 21 November
    numbers, kind = letters.covered(home, ledger, ["2026-072"], None, None, posted, TODAY)
    assert (numbers, kind) == (["2026-072"], "wik")

    made = letters.compose(home, ledger, numbers, kind, posted, "post", TODAY, None)
    assert made.name == "2026-072-wik-2026-11-21.pdf"
    text = norm(" ".join(pdf_pages(made.pdf)))
    assert "Aanmaning factuur 2026-072" in text
    assert "Anouk Meijer" in text and "Dorpsweg 3" in text
    # 244.00 -> 40.00 + 21% VAT (the demo creditor cannot deduct VAT); posted Saturday 21
    # November, delivered Thursday 26: last day Thursday 10 December.
    assert "€ 48,40 inclusief btw" in text and "uiterlijk op 10 december 2026" in text
    assert made.claim.announced.costs == Decimal("40.00") and made.claim.announced.vat == Decimal("8.40")
    assert made.claim.term.last_day == date(2026, 12, 10)
    assert not (home.path / "letters").exists()  # composing keeps nothing

    kept = letters.archive(home, made, TODAY, sent=True)
    assert kept.path == home.path / "letters" / "2026-072-wik-2026-11-21.pdf"
    assert kept.path.read_bytes() == made.pdf
    assert kept.sha256 == hashlib.sha256(made.pdf).hexdigest()
    lines = [json.loads(x) for x in (home.path / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    rendered, sent = lines[-2:]
    assert (rendered["type"], rendered["invoice"], sent["type"], sent["invoice"]) == (
        "letter-rendered", "2026-072", "letter-sent", "2026-072")
    assert rendered["at"] == sent["at"] == "2026-11-25T09:30:00Z"
    claim = {"kind": "wik", "date": "2026-11-21", "via": "post", "invoices": ["2026-072"],
             "reference": "RF832026072", "delivered": "2026-11-26", "last_day": "2026-12-10",
             "costs_due_from": "2026-12-11", "principal_open": "244.00", "costs_open": "0.00",
             "interest_open": "1.63", "announces": {"costs": "40.00", "vat": "8.40"},
             "claim": {"principal_open": "244.00", "costs_open": "0.00", "interest_open": "1.63",
                       "total": "245.63", "requested": "245.63",
                       "costs_announced": {"principal": "244.00", "costs": "40.00", "vat": "8.40",
                                           "vat_rate": "0.21"}},
             "file": "2026-072-wik-2026-11-21.pdf", "sha256": kept.sha256}
    assert rendered["data"] == {**claim, "letter": "2026-072-wik-2026-11-21.pdf"}
    assert sent["data"] == {**claim, "letter": f"L{rendered['seq']}"}  # the letter it sent: that rendered copy
    assert "€ 245,63" in text
    # the ledger now holds the letter as sent, with its costs announced
    inv = home.ledger().invoices["2026-072"]
    assert [(x.kind, x.day, x.via) for x in inv.letters][-1] == ("wik", posted, "post")


def test_a_letter_the_ledger_no_longer_supports_is_refused_and_nothing_is_kept(home):
    ledger = home.ledger()
    made = letters.compose(home, ledger, ["2026-072"], "wik", date(2026, 11, 21), "post", TODAY, None)
    before = (home.path / "journal.jsonl").read_bytes()
    from wikcli.ledger import commands

    # a payment before the letter's day, recorded meanwhile (another terminal): the letter's
    # figures no longer hold
    home.record(lambda lg: commands.pay(lg, "2026-072", Decimal("100.00"), date(2026, 11, 20), home.rulebook,
                                      today=TODAY))
    grown = (home.path / "journal.jsonl").read_bytes()
    assert grown != before
    with pytest.raises(LedgerError, match="the ledger changed while the letter was made"):
        letters.archive(home, made, TODAY, sent=True)
    assert (home.path / "journal.jsonl").read_bytes() == grown
    assert list((home.path / "letters").glob("*")) == []  # the folder, if made, holds no letter
    again = letters.compose(home, home.ledger(), ["2026-072"], "wik", date(2026, 11, 21), "post", TODAY, None)
    assert not claims.same_figures(again.claim, made.claim)
    assert again.claim.lines[0].principal_open == Decimal("144.00")


def test_the_services_load_without_typer_or_rich():
    code = ("import sys\nimport wikcli.services.letters, wikcli.services.mail, wikcli.services.handover, "
            "wikcli.services.statements\n"
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_hand_over_prepared_and_written_without_the_cli(home):
    from wikcli.services import handover

    made = handover.prepare(home, "2026-058", TODAY)
    assert made.folder == home.path / "handover" / "2026-058-2026-11-25"
    assert made.names == ["dossier.pdf", "dossier.json"] and made.warnings == ()
    assert not made.folder.exists()  # prepared, nothing written yet
    assert handover.write(home, made) == ["dossier.pdf", "dossier.json"]
    text = norm(" ".join(pdf_pages((made.folder / "dossier.pdf").read_bytes())))
    assert "Overdrachtsdossier: factuur 2026-058" in text and "Totaal verschuldigd € 4.313,57" in text
    owed = json.loads((made.folder / "dossier.json").read_text(encoding="utf-8"))["owed"]
    assert (owed["total_due"], owed["costs"]["open"], owed["interest"]["open"]) == ("4313.57", "590.48", "93.09")
    last = json.loads((home.path / "journal.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (last["type"], last["invoice"], last["data"]) == (
        "handed-over", "2026-058", {"date": "2026-11-25", "dossier": "2026-058-2026-11-25"})


def test_a_hand_over_with_a_changed_letter_is_refused_before_anything_is_written(home):
    from wikcli.services import handover

    made = letters.compose(home, home.ledger(), ["2026-072"], "wik", date(2026, 11, 21), "post", TODAY, None)
    kept = letters.archive(home, made, TODAY, sent=True)
    ready = handover.prepare(home, "2026-072", TODAY, force=True)  # before the notice of default: forced
    assert ready.names == ["dossier.pdf", "dossier.json", "2026-072-wik-2026-11-21.pdf"]
    assert ready.copies[0][1] == made.pdf
    kept.path.write_bytes(made.pdf + b"%changed\n")
    before = (home.path / "journal.jsonl").read_bytes()
    with pytest.raises(LedgerError, match="does not match the SHA-256 the journal recorded"):
        handover.prepare(home, "2026-072", TODAY, force=True)
    assert (home.path / "journal.jsonl").read_bytes() == before
    assert not (home.path / "handover").exists()


def test_a_consumers_wik_letter_by_email_without_agreement_carries_the_doubt(home):
    made = letters.compose(home, home.ledger(), ["2026-072"], "wik", date(2026, 11, 23), "email", TODAY, None)
    assert made.warnings == (
        "client 'meijer' is a consumer who has not agreed to receive letters by e-mail: its receipt may be hard "
        "to prove; send a WIK-letter by post, or record the agreement with `wik client email meijer --source "
        "TEXT --given DATE --letters-agreed`",)
    by_post = letters.compose(home, home.ledger(), ["2026-072"], "wik", date(2026, 11, 23), "post", TODAY, None)
    assert by_post.warnings == ()

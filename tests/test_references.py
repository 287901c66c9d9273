"""The payment reference every letter asks for: an ISO 11649 creditor reference (RF..) made
from what the letter claims, recorded with the letter, printed in it and carried by its QR
code's structured field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from stdnum import iso11649

from lettercases import CREDITOR_VAT, make, norm, pdf_text
from wikcli.rules import references
from wikcli.ledger import claims, client_commands, commands
from wikcli.ledger import facts
from wikcli.documents import letter
from wikcli.ledger.model import CONSUMER, Client, Config
from wikcli.ledger.rulebook import Rulebook

CONFIG = Config(creditor=CREDITOR_VAT)
RULEBOOK = Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible)
TODAY = date(2026, 3, 2)


class _Ev:
    def __init__(self, seq, t, invoice, data):
        self.seq, self.type, self.invoice, self.data = seq, t, invoice, data


def ledger_of(*numbers: str) -> facts.Ledger:
    """One consumer with an invoice of 100.00 per number, dated 5 January, due 4 February."""
    evs = client_commands.add_client(facts.Ledger(), Client("c", "C. Consument", CONSUMER))
    for n in numbers:
        evs += commands.add_invoice(facts.Ledger(clients={"c": None}), n, "c", D("100.00"), date(2026, 1, 5),
                                  date(2026, 2, 4))
    return facts.fold(_Ev(i + 1, *e) for i, e in enumerate(evs))


def test_one_invoice_the_reference_of_its_number_on_every_letter():
    ledger = ledger_of("2026-001", "2026-002")
    a = claims.compose(ledger, RULEBOOK, ["2026-001"], "reminder", date(2026, 2, 10), "post", today=TODAY)
    b = claims.compose(ledger, RULEBOOK, ["2026-001"], "wik", TODAY, "email", today=TODAY)
    assert a.reference == b.reference == "RF602026001" == references.rf_reference("2026-001")
    assert a.record("2026-001", "L1").reference == "RF602026001"


def test_a_number_another_invoice_shares_after_normalising_gets_a_hash():
    # 2026-001 and 2026/001 make the same RF reference: neither may use it.
    ledger = ledger_of("2026-001", "2026/001")
    a = claims.compose(ledger, RULEBOOK, ["2026-001"], "wik", TODAY, "post", today=TODAY)
    b = claims.compose(ledger, RULEBOOK, ["2026/001"], "wik", TODAY, "post", today=TODAY)
    assert a.reference != b.reference and "RF602026001" not in (a.reference, b.reference)
    assert iso11649.is_valid(a.reference) and iso11649.is_valid(b.reference)
    # deterministic: the same letter made again gets the same reference
    assert claims.compose(ledger, RULEBOOK, ["2026-001"], "wik", TODAY, "post", today=TODAY).reference == a.reference
    # and it differs per kind and date
    assert claims.compose(ledger, RULEBOOK, ["2026-001"], "reminder", TODAY, "post", today=TODAY).reference != a.reference


def test_a_number_too_long_for_a_reference_gets_a_hash():
    ledger = ledger_of("FACTUUR-2026-000000000000001")  # 25 letters and digits, RF holds 21
    c = claims.compose(ledger, RULEBOOK, ["FACTUUR-2026-000000000000001"], "wik", TODAY, "post", today=TODAY)
    assert iso11649.is_valid(c.reference) and len(c.reference) == 16


def test_several_invoices_one_reference_over_their_numbers_kind_and_date():
    ledger = ledger_of("C-1", "C-2", "C-3")
    c = claims.compose(ledger, RULEBOOK, ["C-1", "C-2", "C-3"], "wik", TODAY, "email", today=TODAY)
    assert c.reference == references.claim_reference(["C-3", "C-1", "C-2"], "wik", TODAY, ledger.invoices) == "RF7797E66649F142"
    assert {c.record(n, "L9").reference for n in c.numbers} == {"RF7797E66649F142"}
    other_day = claims.compose(ledger, RULEBOOK, ["C-1", "C-2", "C-3"], "wik", date(2026, 3, 3), "email",
                               today=date(2026, 3, 3))
    assert other_day.reference != c.reference


@pytest.mark.parametrize("lang,sentence", [
    ("nl", "onder vermelding van betalingskenmerk RF60 2026 001 (factuur 2026-001)."),
    ("en", "quoting payment reference RF60 2026 001 (invoice 2026-001)."),
])
def test_the_letter_asks_for_the_reference_and_keeps_the_invoice_number(lang, sentence):
    ledger = ledger_of("2026-001")
    for kind in ("reminder", "wik", "default"):
        c = claims.compose(ledger, RULEBOOK, ["2026-001"], kind, TODAY, "email", today=TODAY, force=True)
        data = letter.from_claim(c, CONFIG, lang)
        text = norm(letter.render_text(data, letter.template_dirs(None)).plain())
        assert sentence in text, (kind, text)


def test_several_invoices_the_letter_names_them_all():
    ledger = ledger_of("C-1", "C-2")
    c = claims.compose(ledger, RULEBOOK, ["C-1", "C-2"], "wik", TODAY, "email", today=TODAY)
    ref = letter.group_reference(c.reference)
    text = norm(letter.render_text(letter.from_claim(c, CONFIG, "nl"), letter.template_dirs(None)).plain())
    assert f"onder vermelding van betalingskenmerk {ref} (facturen C-1, C-2)." in text


def test_the_qr_code_carries_the_reference_in_its_structured_field(monkeypatch):
    payloads = []
    real = letter.epc_payload
    monkeypatch.setattr(letter, "epc_payload", lambda **kw: payloads.append(real(**kw)) or payloads[-1])
    data = replace(make(letter.WIK), payment_reference="RF972026014")
    t = pdf_text(data)
    assert "Kenmerk: RF97 2026 014" in t  # the caption under the code
    assert "onder vermelding van betalingskenmerk RF97 2026 014 (factuur 2026-014)" in t
    # EPC069-12: with a structured reference (field 10) the unstructured field 11 stays empty
    assert payloads == ["BCD\n002\n1\nSCT\nABNANL2A\nStudio Jansen Ontwerp\nNL91ABNA0417164300\nEUR244.00\n\n"
                        "RF972026014\n"]


def test_epc_payload_structured_reference():
    payload = letter.epc_payload(name="X", iban="NL91ABNA0417164300", bic=None, amount=D("48.40"),
                                  reference="2026-014", structured="RF97 2026 014")
    assert payload.split("\n")[-2:] == ["RF972026014", ""]
    with pytest.raises(letter.OptionError, match="not a valid ISO 11649 reference"):
        letter.epc_payload(name="X", iban="NL91ABNA0417164300", bic=None, amount=D("1"), reference="1",
                            structured="RF60 2026 014")


def test_a_letter_without_a_reference_quotes_its_numbers_as_before():
    t = pdf_text(make(letter.WIK))
    assert "onder vermelding van 2026-014" in t and "Kenmerk: 2026-014" in t


def test_sent_records_the_reference_and_show_prints_it(tmp_path):
    from test_cli_ledger import _ok, init_home

    home = init_home(tmp_path, "--no-vat-deductible")
    _ok("client", "add", "c", "--name", "C", "--address", "Straat 1", "--city", "Utrecht", "--home", home)
    _ok("invoice", "add", "2026-001", "--client", "c", "--amount", "100", "--date", "2026-01-05", "--due",
        "2026-02-04", "--home", home)
    _ok("sent", "2026-001", "--kind", "reminder", "--date", "2026-02-10", "--home", home, "--today", "2026-02-10")
    d = _ok("invoice", "show", "2026-001", "--json", "--home", home, "--today", "2026-02-10").json()
    assert d["timeline"][-1]["data"]["reference"] == "RF602026001"
    text = _ok("invoice", "show", "2026-001", "--home", home, "--today", "2026-02-10").stdout
    assert "letter-sent      reminder via post; term ends 2026-02-26; reference RF602026001" in text

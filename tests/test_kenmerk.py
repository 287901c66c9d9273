"""The Dutch betalingskenmerk (issue 26 item 5; domain.md section 6): its check digit,
letters that carry it with `policy.payment_reference = "kenmerk"`, and `wik bank import`
matching it, whether a letter, the invoice number or the invoice itself carried it."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_banking import bank_import, camt, events, home, iban_ok, put, show  # noqa: F401 (fixture)
from test_cli_ledger import _ok
from wikcli.rules.references import is_kenmerk, kenmerk


def test_check_digit_by_the_weights_from_the_right():
    # 2026011: 1x2 + 1x4 + 0x8 + 6x5 + 2x10 + 0x9 + 2x7 = 70; 70 mod 11 = 4; 11 - 4 = 7
    assert kenmerk("2026011") == "7000000002026011"
    # 2026001: 66 mod 11 = 0, and 11 -> 0
    assert kenmerk("2026001") == "0000000002026001"
    # 5: 5 x 2 = 10 mod 11 = 10; 11 - 10 = 1, and 10 -> 1 never arises: a remainder of 1 gives 10 -> 1
    assert kenmerk("5") == "1000000000000005"
    # 6: 12 mod 11 = 1; 11 - 1 = 10 -> 1
    assert kenmerk("6") == "1000000000000006"
    assert is_kenmerk("7000 0000 0202 6011") and not is_kenmerk("7000000002026012")
    assert not is_kenmerk("700000000202601")  # 15 digits


def _kenmerk_policy(home):
    cfg = Path(home) / "config.toml"
    text = cfg.read_text(encoding="utf-8")
    assert 'payment_reference = "rf"' in text  # written by init, as every setting
    cfg.write_text(text.replace('payment_reference = "rf"', 'payment_reference = "kenmerk"', 1), encoding="utf-8")


def test_a_letter_carries_the_kenmerk_in_groups_of_four_and_the_bank_matches_it(home, tmp_path):
    _kenmerk_policy(home)
    r = _ok("letter", "2026-011", "--kind", "reminder", "--sent", "2026-11-05", "--home", home,
            "--today", "2026-11-05")
    text = norm(" ".join(pdf_pages(Path(r.stdout.strip().splitlines()[0]).read_bytes())))
    assert "onder vermelding van betalingskenmerk 7000 0000 0202 6011 (factuur 2026-011)" in text
    assert "Kenmerk: 7000 0000 0202 6011" in text
    sent = [e for e in events(home) if e["type"] == "letter-sent"][0]
    assert sent["data"]["reference"] == "7000000002026011"
    f = put(tmp_path, "nov.xml", camt({"amount": "90.00", "name": "M. de Vries", "ref": "7000000002026011",
                                       "iban": iban_ok("NL00INGB0001122334")}))
    out = bank_import(home, f)
    assert [(m["rule"], m["evidence"], m["payments"]) for m in out["matched"]] == [
        ("reference", "7000000002026011", [{"invoice": "2026-011", "amount": "90.00"}])]


def test_the_bank_matches_an_invoices_kenmerk_without_any_letter_under_the_rf_policy(home, tmp_path):
    # 2026020: 0x2 + 2x4 + 0x8 + 6x5 + 2x10 + 0x9 + 2x7 = 72; 72 mod 11 = 6; 11 - 6 = 5
    assert kenmerk("2026020") == "5000000002026020"
    f = put(tmp_path, "nov.xml", camt({"amount": "500.00", "name": "P. Pieters", "ref": "5000000002026020",
                                       "iban": iban_ok("NL00INGB0001122335")}))
    out = bank_import(home, f)
    assert [(m["rule"], m["payments"]) for m in out["matched"]] == [
        ("reference", [{"invoice": "2026-020", "amount": "500.00"}])]


def test_a_kenmerk_the_invoice_carried_in_its_csv_matches(home, tmp_path):
    csv = tmp_path / "f.csv"
    csv.write_text("factuurnummer,factuurdatum,vervaldatum,bedrag,klantnummer,klant,betalingskenmerk\n"
                   "K-7,2026-10-01,2026-10-31,75,pieters,P. Pieters,5234 5678 9012 3452\n"
                   "K-8,2026-10-01,2026-10-31,80,pieters,P. Pieters,1234 5678 9012 3456\n", encoding="utf-8")
    assert is_kenmerk("5234567890123452") and not is_kenmerk("1234567890123456")
    r = _ok("import", str(csv), "--home", home)
    assert ("f.csv line 3: payment reference '1234 5678 9012 3456' is neither a 16-digit betalingskenmerk nor "
            "an RF reference with valid check digits: left out") in r.stderr
    f = put(tmp_path, "nov.xml", camt({"amount": "75.00", "name": "P. Pieters", "ref": "5234567890123452",
                                       "iban": iban_ok("NL00INGB0001122336")}))
    out = bank_import(home, f)
    assert [(m["rule"], m["payments"]) for m in out["matched"]] == [
        ("reference", [{"invoice": "K-7", "amount": "75.00"}])]
    assert show(home, "K-7")["principal_open"] == "0.00"


def test_an_unknown_reference_style_is_one_line(home):
    cfg = Path(home) / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('payment_reference = "rf"', 'payment_reference = "iban"', 1),
                   encoding="utf-8")
    r = run_cli("status", "--home", home, "--today", "2026-11-25")
    assert r.exit_code == 2
    assert r.stderr.strip() == ('wik: error: config.toml: policy.payment_reference \'iban\' is unknown: expected '
                                '"rf" or "kenmerk"')

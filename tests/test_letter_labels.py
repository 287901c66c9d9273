"""Letters that say which rule applies to which invoice, and dates no reader can misread."""

from __future__ import annotations

from pathlib import Path

import pypdf

from conftest import run_cli


def _ok(*args):
    r = run_cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(Path(path)).pages)


def _home(tmp_path) -> str:
    h = str(tmp_path / "home")
    _ok("init", "--home", h, "--name", "IT", "--address", "Straat 1", "--postcode", "1015 AA", "--city", "Amsterdam",
        "--iban", "NL91ABNA0417164300", "--email", "info@it.nl")
    _ok("client", "add", "b", "--name", "Bouw BV", "--type", "business", "--home", h)
    for n, amount in (("S1", "2000"), ("G1", "1000")):
        _ok("invoice", "add", n, "--client", "b", "--amount", amount, "--date", "2026-01-05", "--due", "2026-02-04",
            "--home", h)
    _ok("invoice", "terms", "G1", "--agreed-interest", "1% per maand", "--clause",
        "artikel 8 van de algemene voorwaarden", "--home", h, "--today", "2026-01-05")
    return h


def test_a_letter_over_a_statutory_and_an_agreed_invoice_names_each_interest(tmp_path):
    h = _home(tmp_path)
    d = _ok("letter", "S1", "G1", "--kind", "reminder", "--json", "--home", h, "--today", "2026-03-06").json()
    t = _text(d["path"])
    # 30 days of default: S1 2.000,00 at 10,15% statutory commercial interest = 16,68; G1
    # 1.000,00 at the agreed 1% a month (12% a year) = 9,86.
    assert ("Wettelijke handelsrente t/m 6 maart 2026 € 16,68 € 0,00 € 16,68 Overeengekomen rente (1% per maand, "
            "artikel 8 van de algemene voorwaarden) t/m 6 maart 2026 € 9,86 € 0,00 € 9,86 "
            "Totaal te betalen € 3.026,54") in t


def test_english_letters_write_their_dates_out(tmp_path):
    h = _home(tmp_path)
    d = _ok("letter", "S1", "--kind", "reminder", "--lang", "en", "--json", "--home", h, "--today", "2026-04-07").json()
    t = _text(d["path"])
    assert "S1 5 January 2026 4 February 2026 €2,000.00 €0.00 €2,000.00" in t
    assert "Amsterdam, 7 April 2026" in t
    assert "/2026" not in t

"""The rendered PDF: every required element read back from the page text with pypdf."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from lettercases import (
    BUSINESS,
    CONSUMER,
    CREDITOR_B2B,
    line,
    make,
    pdf_bytes,
    pdf_pages,
    pdf_text,
)
from wikcli.documents import letter


def test_wik_letter_consumer_with_vat():
    t = pdf_text(make(letter.WIK))
    for expected in [
        "Aanmaning factuur 2026-014",
        "Amsterdam, 24 november 2026",
        "2026-014 01-09-2026 01-10-2026 € 244,00 € 0,00 € 244,00",  # the invoice table row
        "Totaal te betalen € 244,00",
        "binnen 14 dagen na de dag van ontvangst van deze brief",
        "uiterlijk op 10 december 2026",
        "€ 48,40 inclusief btw (€ 40,00 incassokosten en € 8,40 btw)",
        "wettelijke rente",
        "rekening NL91ABNA0417164300 ten name van Studio Jansen Ontwerp, onder vermelding van 2026-014",
        "Bedrag: € 244,00",  # the QR caption: the code pays the principal, no costs yet
        "KvK 12345678",
        "Btw-id NL001234567B01",
        "Anna Jansen",
    ]:
        assert expected in t, expected


def test_wik_letter_business_without_vat():
    inv = (line("B-77", date(2026, 8, 3), date(2026, 9, 2), "3000.00"),)
    t = pdf_text(make(letter.WIK, creditor=CREDITOR_B2B, client=BUSINESS, invoices=inv))
    assert "B-77 03-08-2026 02-09-2026 € 3.000,00 € 0,00 € 3.000,00" in t
    assert "€ 425,00 (exclusief btw" in t
    assert "wettelijke handelsrente" in t
    assert "Utrecht, 24 november 2026" in t


def test_partial_payment_prints_the_recomputed_costs():
    # 3000.00 invoiced, 1000.00 paid inside the term: the costs go over 2000.00 (15% = 300.00).
    inv = (line("B-77", date(2026, 8, 3), date(2026, 9, 2), "3000.00", "1000.00"),)
    data = make(letter.WIK, creditor=CREDITOR_B2B, client=BUSINESS, invoices=inv)
    assert data.costs.costs == 300
    t = pdf_text(data)
    assert "B-77 03-08-2026 02-09-2026 € 3.000,00 € 1.000,00 € 2.000,00" in t
    assert "bedrag van € 2.000,00 te betalen binnen 14 dagen" in t
    assert "€ 300,00 (exclusief btw" in t


def test_reminder_lists_every_open_invoice():
    invs = (
        line("2026-014", date(2026, 9, 1), date(2026, 10, 1), "244.00"),
        line("2026-019", date(2026, 9, 20), date(2026, 10, 20), "1210.00", "500.00"),
        line("2026-023", date(2026, 10, 15), date(2026, 11, 14), "96.80"),
    )
    t = pdf_text(make(letter.REMINDER, invoices=invs))
    assert "2026-014 01-09-2026 01-10-2026 € 244,00 € 0,00 € 244,00" in t
    assert "2026-019 20-09-2026 20-10-2026 € 1.210,00 € 500,00 € 710,00" in t
    assert "2026-023 15-10-2026 14-11-2026 € 96,80 € 0,00 € 96,80" in t
    assert "Totaal te betalen € 1.050,80" in t
    assert "bedrag van € 1.050,80 binnen 14 dagen te betalen, uiterlijk op 10 december 2026" in t
    assert "Kenmerk: 2026-014 2026-019 2026-023" in t  # the QR pays all of them
    assert "kosten" not in t


def test_default_notice_with_costs_and_interest():
    data = make(letter.DEFAULT, costs_owed=True, interest="1.98", interest_from=date(2026, 10, 2),
                last_day=date(2026, 12, 24), letter_date=date(2026, 12, 14), registered_hint=True)
    t = pdf_text(data)
    for expected in [
        "AANGETEKEND",
        "Ingebrekestelling factuur 2026-014",
        "Amsterdam, 14 december 2026",
        "2026-014 01-09-2026 01-10-2026 € 244,00 € 0,00 € 244,00",
        # costs and interest: charged (or accrued), paid, open; the open column adds up
        "Buitengerechtelijke incassokosten (incl. € 8,40 btw) € 48,40 € 0,00 € 48,40",
        "Wettelijke rente t/m 14 december 2026 € 1,98 € 0,00 € 1,98",
        "Totaal te betalen € 294,38",
        "laatste termijn van 8 dagen na de dag van ontvangst van deze brief",
        "uiterlijk op 24 december 2026",
        "in verzuim",
        "incassobureau",
        "Bedrag: € 294,38",
    ]:
        assert expected in t, expected


def test_default_notice_without_registered_hint_or_costs():
    t = pdf_text(make(letter.DEFAULT, with_costs=False))
    assert "AANGETEKEND" not in t
    assert "incassokosten" not in t
    assert "Totaal te betalen € 244,00" in t


@pytest.mark.parametrize("kind", letter.KINDS)
def test_english_letters(kind):
    data = make(kind, lang="en", costs_owed=kind == letter.DEFAULT, registered_hint=kind == letter.DEFAULT)
    t = pdf_text(data)
    assert "Amsterdam, 24 November 2026" in t
    assert "2026-014 1 September 2026 1 October 2026 €244.00 €0.00 €244.00" in t
    assert "no later than 10 December 2026" in t
    if kind == letter.WIK:
        assert "within 14 days after the day you receive this letter" in t
        assert "€48.40 incl. VAT" in t
    if kind == letter.DEFAULT:
        assert "BY REGISTERED MAIL" in t and "Total due €292.40" in t and "in default" in t


def test_page_one_holds_the_debtor_address_in_the_window():
    pages = pdf_pages(pdf_bytes(make(letter.WIK)))
    for expected in ("M. de Vries", "Kerkstraat 12", "3511 AB UTRECHT"):
        assert expected in pages[0]


def test_foreign_debtor_gets_a_country_line():
    client = replace(CONSUMER, country="BE", postcode="2000", city="Antwerpen")
    pages = pdf_pages(pdf_bytes(make(letter.WIK, client=client)))
    assert "2000 ANTWERPEN BELGIË" in pages[0]


def test_markup_in_values_prints_literally():
    creditor = replace(CREDITOR_B2B, name="A & B <Holding> {{ x }}")
    client = replace(BUSINESS, name="C & D <Beheer> {{ y }}")
    inv = (line("<F&1>", date(2026, 8, 3), date(2026, 9, 2), "100.00"),)
    t = pdf_text(make(letter.WIK, creditor=creditor, client=client, invoices=inv))
    assert "ten name van A & B <Holding> {{ x }}" in t
    assert "C & D <Beheer> {{ y }}" in t
    assert "Aanmaning factuur <F&1>" in t
    assert "&amp;" not in t and "&lt;" not in t


def test_user_template_override_reaches_the_pdf(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reminder.nl.j2").write_text(
        "{% block subject %}Even een seintje{% endblock %}"
        "{% block body %}Beste {{ client.name }}, wilt u {{ total_due|eur }} betalen?{% endblock %}"
        "{% block closing %}Groet,{% endblock %}",
        encoding="utf-8",
    )
    t = pdf_text(make(letter.REMINDER), letter.template_dirs(tmp_path))
    assert "Even een seintje" in t and "Beste M. de Vries, wilt u € 244,00 betalen?" in t


def test_no_qr_block_when_off_or_nothing_to_pay():
    assert "Betalen met uw bankapp" in pdf_text(make(letter.WIK))
    assert "Betalen met uw bankapp" not in pdf_text(make(letter.WIK, qr=False))


def test_same_letter_gives_the_same_bytes():
    data = make(letter.DEFAULT, costs_owed=True)
    assert pdf_bytes(data) == pdf_bytes(data)


def test_page_numbers_only_from_two_pages():
    one = pdf_pages(pdf_bytes(make(letter.WIK)))
    assert len(one) == 1 and "Pagina" not in one[0]
    many = tuple(
        line(f"2026-{n:03d}", date(2026, 9, 1), date(2026, 10, 1), "100.00") for n in range(1, 61)
    )
    pages = pdf_pages(pdf_bytes(make(letter.REMINDER, invoices=many)))
    assert len(pages) >= 2
    assert f"Pagina 1 van {len(pages)}" in pages[0]
    assert f"Pagina {len(pages)} van {len(pages)}" in pages[-1]
    assert "2026-060" in " ".join(pages) and "Totaal te betalen € 6.000,00" in " ".join(pages)
    # The invoice table repeats its header on the next page.
    assert "Factuur Datum Vervaldatum Bedrag Betaald Openstaand" in pages[1]


def test_pdf_is_a4():
    import io

    import pypdf

    page = pypdf.PdfReader(io.BytesIO(pdf_bytes(make(letter.WIK)))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="needs pdftoppm and zbarimg to decode the printed QR code")
def test_printed_qr_code_decodes_to_the_epc_payload(tmp_path):
    data = make(letter.DEFAULT, costs_owed=True)
    (tmp_path / "l.pdf").write_bytes(pdf_bytes(data))
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-singlefile", tmp_path / "l.pdf", tmp_path / "l"], check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", tmp_path / "l.png"], capture_output=True, check=True)
    expected = letter.epc_payload(name=data.creditor.name, iban=data.creditor.iban, bic=data.creditor.bic,
                                   amount=data.total_due, reference=data.reference)
    assert out.stdout.decode("utf-8").rstrip("\n") == expected
    assert "NL91ABNA0417164300\nEUR292.40\n" in expected


def test_latin_names_print_as_written_and_other_scripts_fold():
    # The embedded font covers all Latin script: Ş, ł, ő and ğ print as written. A character
    # it lacks (here Chinese) would be the .notdef box: it prints as "?" instead.
    client = replace(CONSUMER, name="Şahin Łukasz-Zoë Ørsted Ő Ğ 李", city="Den Haag")
    pages = pdf_pages(pdf_bytes(make(letter.WIK, client=client)))
    assert "Şahin Łukasz-Zoë Ørsted Ő Ğ ?" in pages[0]
    assert "Sahin" not in pages[0] and "Lukasz" not in pages[0] and "■" not in pages[0]


def _positions(blob: bytes) -> dict[str, tuple[float, float]]:
    """Where each text line starts on page 1, in mm from the left and from the top edge."""
    import io

    import pypdf

    page = pypdf.PdfReader(io.BytesIO(blob)).pages[0]
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x / 72 * 25.4, (height - y) / 72 * 25.4))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("registered", [False, True], ids=["plain", "registered"])
def test_address_sits_in_the_envelope_window(registered):
    client = replace(CONSUMER, name="Stichting Vrienden van het Openbaar Vervoer in Midden-Nederland")
    pos = _positions(pdf_bytes(make(letter.DEFAULT, client=client, registered_hint=registered)))
    lines = [k for k in pos if k.startswith(("Stichting", "Kerkstraat 12", "3511 AB"))]
    assert len(lines) == 3
    for key in lines:
        left, top = pos[key]
        assert 24 <= left <= 26 and 50 <= top <= 88, (key, left, top)

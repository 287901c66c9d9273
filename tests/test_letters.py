"""What the letters say (template text), the EPC QR payload and where templates come from."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from lettercases import BUSINESS, CREDITOR_B2B, line, make, norm
from wikcli.documents import letter
from wikcli.ledger import model

ROOT = Path(__file__).resolve().parents[1]
DIRS = letter.template_dirs(None)


def text_of(data, dirs=DIRS) -> str:
    return norm(letter.render_text(data, dirs).plain())


# --- EPC069-12 payload -------------------------------------------------------------------

def test_epc_payload_exact():
    payload = letter.epc_payload(
        name="Studio Jansen Ontwerp", iban="NL91 ABNA 0417 1643 00", bic="ABNANL2A",
        amount=D("48.4"), reference="2026-014",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\nABNANL2A\nStudio Jansen Ontwerp\nNL91ABNA0417164300\n"
        "EUR48.40\n\n\n2026-014"
    )


def test_epc_payload_without_bic_long_name_and_bounds():
    payload = letter.epc_payload(name="N" * 80, iban="nl20ingb0001234567", bic=None,
                                  amount=D("999999999.99"), reference="F-1")
    lines = payload.split("\n")
    assert lines[4] == "" and lines[5] == "N" * 70 and lines[6] == "NL20INGB0001234567"
    assert lines[7] == "EUR999999999.99"
    assert len(payload.encode("utf-8")) <= 331  # the EPC maximum


@pytest.mark.parametrize("amount", ["0.00", "0.004", "1000000000.00"], ids=["zero", "below-cent", "too-big"])
def test_epc_payload_refuses_amounts_outside_range(amount):
    with pytest.raises(letter.OptionError, match="payment QR code"):
        letter.epc_payload(name="X", iban="NL91ABNA0417164300", bic=None, amount=D(amount), reference="1")


def test_epc_payload_refuses_bad_iban():
    with pytest.raises(letter.OptionError, match="IBAN"):
        letter.epc_payload(name="X", iban="not an iban", bic=None, amount=D("1"), reference="1")


# --- Texts per kind -------------------------------------------------------------------------

def test_wik_letter_consumer_with_vat():
    t = text_of(make(letter.WIK))
    assert "Aanmaning factuur 2026-014" in t
    assert "factuur 2026-014 van 1 september 2026" in t
    assert "€ 244,00 te betalen binnen 14 dagen na de dag van ontvangst van deze brief" in t
    assert "uiterlijk op 10 december 2026" in t
    assert "incassokosten verschuldigd van € 48,40 inclusief btw (€ 40,00 incassokosten en € 8,40 btw)" in t
    assert "wettelijke rente in rekening brengen" in t
    assert "rekening NL91ABNA0417164300 ten name van Studio Jansen Ontwerp, onder vermelding van 2026-014" in t


def test_wik_letter_business_without_vat():
    inv = (line("B-77", date(2026, 8, 3), date(2026, 9, 2), "3000.00"),)
    t = text_of(make(letter.WIK, creditor=CREDITOR_B2B, client=BUSINESS, invoices=inv))
    assert "€ 3.000,00 te betalen binnen 14 dagen na de dag van ontvangst van deze brief" in t
    assert "incassokosten verschuldigd van € 425,00 (exclusief btw" in t
    assert "inclusief btw" not in t
    assert "wettelijke handelsrente" in t


def test_wik_letter_interest_from_date_when_given():
    t = text_of(make(letter.WIK, interest_from=date(2026, 10, 2)))
    assert "wettelijke rente in rekening brengen vanaf 2 oktober 2026" in t


def test_reminder_has_no_costs_and_asks_within_term():
    invs = (
        line("2026-014", date(2026, 9, 1), date(2026, 10, 1), "244.00"),
        line("2026-019", date(2026, 9, 20), date(2026, 10, 20), "1210.00", "500.00"),
    )
    t = text_of(make(letter.REMINDER, invoices=invs))
    assert "Betalingsherinnering 2 facturen" in t
    assert "de onderstaande facturen nog niet (volledig) betaald" in t
    assert "bedrag van € 954,00 binnen 14 dagen te betalen, uiterlijk op 10 december 2026" in t
    assert "onder vermelding van 2026-014 2026-019" in t
    assert "kosten" not in t


def test_default_notice_states_default_and_handover():
    data = make(letter.DEFAULT, costs_owed=True, interest="1.98", interest_from=date(2026, 10, 2),
                last_day=date(2026, 12, 24), registered_hint=True)
    t = text_of(data)
    assert "Ingebrekestelling factuur 2026-014" in t
    assert "Wij stellen u hierbij in gebreke" in t
    assert "laatste termijn van 8 dagen na de dag van ontvangst van deze brief" in t
    assert "totaalbedrag van € 294,38" in t  # 244.00 + 48.40 + 1.98
    assert "uiterlijk op 24 december 2026" in t
    assert "in verzuim" in t
    assert "incassobureau" in t


def test_default_notice_announces_costs_not_yet_owed():
    inv = (line("B-77", date(2026, 8, 3), date(2026, 9, 2), "3000.00"),)
    data = make(letter.DEFAULT, creditor=CREDITOR_B2B, client=BUSINESS, invoices=inv, costs_owed=False)
    t = text_of(data)
    assert "bovendien buitengerechtelijke incassokosten verschuldigd van € 425,00 (exclusief btw)" in t


@pytest.mark.parametrize("kind", letter.KINDS)
def test_english_letters(kind):
    data = make(kind, lang="en", costs_owed=kind == letter.DEFAULT)
    t = text_of(data)
    assert "10 December 2026" in t
    if kind == letter.WIK:
        assert "€244.00 within 14 days after the day you receive this letter" in t
        assert "collection costs of €48.40 incl. VAT (€40.00 costs and €8.40 VAT)" in t
        assert "statutory interest" in t
    if kind == letter.DEFAULT:
        assert "notice of default" in t and "in default from the following day" in t
        assert "collection agency" in t
    if kind == letter.REMINDER:
        assert "Payment reminder: invoice 2026-014" in t and "costs" not in t


# --- Escaping ---------------------------------------------------------------------------------

def test_inserted_values_are_escaped_for_paragraph_markup():
    creditor = replace(CREDITOR_B2B, name="A & B <Holding> {{ x }}")
    text = letter.render_text(make(letter.WIK, creditor=creditor), DIRS)
    body = " ".join(text.paragraphs)
    assert "A &amp; B &lt;Holding&gt; {{ x }}" in body
    assert "<Holding>" not in body
    assert "A & B <Holding> {{ x }}" in text.plain()


# --- Where templates come from --------------------------------------------------------------

def test_template_dirs_puts_user_overrides_first(tmp_path):
    assert letter.template_dirs(tmp_path) == [tmp_path / "templates", letter.PACKAGED_TEMPLATES]
    assert letter.template_dirs(None) == [letter.PACKAGED_TEMPLATES]


def test_user_template_overrides_one_kind(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "wik.nl.j2").write_text(
        "{% block subject %}Eigen tekst {{ reference }}{% endblock %}\n"
        "{% block body %}Betaal {{ total_due|eur }} voor {{ last_day|longdate }}.\n\n[[invoices]]\n{% endblock %}\n"
        "{% block closing %}Groet{% endblock %}\n",
        encoding="utf-8",
    )
    dirs = letter.template_dirs(tmp_path)
    text = letter.render_text(make(letter.WIK), dirs)
    assert text.subject == "Eigen tekst 2026-014"
    assert text.paragraphs == ("Betaal € 244,00 voor 10 december 2026.", letter.INVOICES)
    # The other kinds still come from the packaged templates.
    assert letter.render_text(make(letter.REMINDER), dirs).subject == "Betalingsherinnering factuur 2026-014"


@pytest.mark.parametrize(
    "source, message",
    [
        ("{% block subject %}x{% endblock %}", "lacks the block"),
        ("{% block subject %}{{ nope }}{% endblock %}{% block body %}{% endblock %}{% block closing %}{% endblock %}", "nope"),
        ("{% block subject %}{% if %}{% endblock %}", "line 1"),
    ],
    ids=["missing-block", "unknown-name", "syntax"],
)
def test_broken_user_template_is_a_user_error(tmp_path, source, message):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "wik.nl.j2").write_text(source, encoding="utf-8")
    with pytest.raises(letter.TemplateError, match=message):
        letter.render_text(make(letter.WIK), letter.template_dirs(tmp_path))


def test_unknown_kind_and_language_are_refused():
    with pytest.raises(letter.OptionError, match="kind"):
        letter.render_text(replace(make(letter.WIK), kind="summons"), DIRS)
    with pytest.raises(letter.OptionError, match="language"):
        letter.render_text(replace(make(letter.WIK), lang="de"), DIRS)


def test_every_template_ships_as_package_data():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    # the top-level templates/ folder is the package wikcli.templates, its *.j2 files its data
    assert setuptools["package-dir"]["wikcli.templates"] == "templates"
    assert "*.j2" in setuptools["package-data"]["wikcli.templates"]
    assert letter.PACKAGED_TEMPLATES == ROOT / "templates"
    names = {p.name for p in letter.PACKAGED_TEMPLATES.glob("*.j2")}
    assert names == {f"{k}.{lang}.j2" for k in (*letter.KINDS, "email") for lang in model.LANGS}


def test_qr_only_for_a_payable_amount():
    assert make(letter.WIK).show_qr
    assert not make(letter.WIK, qr=False).show_qr
    assert not make(letter.WIK, total_due=D("0.00")).show_qr
    assert not make(letter.WIK, creditor=replace(CREDITOR_B2B, iban="")).show_qr


def test_remittance_lists_all_invoices_of_a_total():
    invs = (line("A-1", date(2026, 9, 1), date(2026, 10, 1), "10.00"),
            line("A-2", date(2026, 9, 2), date(2026, 10, 2), "20.00"))
    assert make(letter.REMINDER, invoices=invs).remittance == "A-1 A-2"
    assert make(letter.WIK).remittance == "2026-014"
    many = tuple(line(f"2026-{n:03d}", date(2026, 9, 1), date(2026, 10, 1), "1.00") for n in range(1, 41))
    remittance = make(letter.REMINDER, invoices=many).remittance
    assert remittance.startswith("2026-001 2026-002 ") and remittance.endswith(" 2026-015")
    assert len(remittance) == 134


def test_text_rendering_loads_no_pdf_library():
    probe = (  # noqa: UP031 (the probe is Python source: its braces are not placeholders)
        "import sys, json; sys.path.insert(0, %r)\n"
        "from lettercases import make\n"
        "from wikcli.documents import letter\n"
        "letter.render_text(make('wik'), letter.template_dirs(None))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'segno', 'pypdf'))))"
    ) % str(Path(__file__).parent)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_agreed_business_costs_name_the_agreement_not_the_decree():
    from wikcli.rules import costs

    inv = (line("B-77", date(2026, 8, 3), date(2026, 9, 2), "3000.00"),)
    data = make(letter.WIK, creditor=CREDITOR_B2B, client=BUSINESS, invoices=inv)
    agreed = costs.compute(D("3000.00"), debtor=model.BUSINESS, agreed_costs=D("450.00"))
    t = text_of(replace(data, costs=agreed))
    assert "€ 450,00 (exclusief btw" in t
    assert "Dit bedrag is tussen ons overeengekomen." in t and "Besluit" not in t
    assert "Besluit vergoeding" in text_of(data)
    # with the clause they come from
    t = text_of(replace(data, costs=replace(agreed, clause="artikel 8 van onze algemene voorwaarden")))
    assert "Dit bedrag is tussen ons overeengekomen volgens artikel 8 van onze algemene voorwaarden." in t


def test_several_claimed_invoices_are_all_quoted_for_payment():
    invs = (line("A-1", date(2026, 9, 1), date(2026, 10, 1), "100.00"),
            line("A-2", date(2026, 9, 2), date(2026, 10, 2), "150.00"))
    t = text_of(make(letter.WIK, invoices=invs))
    assert "onderstaande facturen" in t
    assert "bedrag van € 250,00 te betalen" in t
    assert "€ 48,40 inclusief btw" in t  # one staffel over 250.00: 37.50 -> minimum 40.00 + VAT
    assert "onder vermelding van A-1 A-2" in t


def test_letter_needs_an_iban_and_a_wik_letter_needs_costs():
    with pytest.raises(letter.OptionError, match="IBAN"):
        letter.render_text(make(letter.WIK, creditor=replace(CREDITOR_B2B, iban="")), DIRS)
    with pytest.raises(letter.OptionError, match="costs"):
        letter.render_text(make(letter.WIK, with_costs=False), DIRS)


def test_letter_data_to_json():
    data = make(letter.WIK, interest_from=date(2026, 10, 2))
    js = data.to_json()
    assert js["invoices"] == [{"number": "2026-014", "date": "2026-09-01", "due": "2026-10-01",
                               "amount": "244.00", "paid": "0.00", "open": "244.00"}]
    assert js["costs"]["costs_incl_vat"] == "48.40"
    assert (js["principal_open"], js["total_due"], js["interest"], js["costs_owed"]) == ("244.00", "244.00", None, None)
    assert js["requested"] == "244.00"
    assert (js["last_day"], js["interest_from"], js["qr"], js["client"]) == ("2026-12-10", "2026-10-02", True, "devries")
    assert json.loads(json.dumps(js)) == js


@pytest.mark.parametrize("lang,decree_end,interest,pay", [
    ("nl", "buitengerechtelijke incassokosten.", "Het openstaande bedrag omvat", "U kunt betalen"),
    ("en", "buitengerechtelijke incassokosten).", "The outstanding amount includes", "You can pay"),
])
def test_wik_letter_sentences_and_paragraphs_stay_apart(lang, decree_end, interest, pay):
    text = letter.render_text(make(letter.WIK, interest="1.00", lang=lang), DIRS)
    paragraphs = [letter.strip_markup(p) for p in text.paragraphs]
    costs = next(p for p in paragraphs if decree_end in p)
    assert f"{decree_end} {interest}" in costs  # one space between the sentences
    assert any(p.startswith(pay) for p in paragraphs)  # how to pay is a paragraph of its own

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ublfixture import real, ubl
from wikcli.imports.invoices import ImportFileError, parse, payment_term_days

UBL = Path(__file__).parent / "data" / "ubl"


def test_ubl_dutch_invoice():
    (inv,) = parse((UBL / "ubl-tc434-example1.xml").read_bytes(), "example1.xml")
    assert inv.number == "12115118"
    assert inv.date == date(2015, 1, 9) and inv.due == date(2015, 1, 9)
    assert inv.amount == Decimal("250.33")
    assert inv.client_name == "ODIN 59" and inv.client_id == "10202"
    assert (inv.address, inv.postcode, inv.city, inv.country) == ("POSTBUS 367", "1960 AJ", "HEEMSKERK", "NL")
    assert (inv.client_type, inv.kind) == ("", "ubl")  # the file does not say: --type, else business


def test_ubl_foreign_currency_refused():
    with pytest.raises(ImportFileError) as e:
        parse((UBL / "ubl-tc434-example2.xml").read_bytes(), "example2.xml")
    assert str(e.value) == ("example2.xml, cbc:DocumentCurrencyCode: invoice 'TOSL108' is in NOK: "
                            "wik handles claims in euro only")


def test_ubl_credit_note_is_not_an_unpaid_invoice():
    with pytest.raises(ImportFileError, match=r"^cn\.xml, CreditNote: is a UBL credit note, not an invoice"):
        parse((UBL / "ubl-tc434-creditnote1.xml").read_bytes(), "cn.xml")


# --- cause 1: the currency of a document without cbc:DocumentCurrencyCode -----------------

def test_ubl_currency_from_the_amount_when_the_document_names_none():
    with pytest.raises(ImportFileError) as e:
        parse(ubl(currency=None, amount="107.50", amount_currency="GBP"), "gbp.xml")
    assert str(e.value) == ("gbp.xml, cac:LegalMonetaryTotal/cbc:PayableAmount/@currencyID: invoice 'F-2026-1' "
                            "is in GBP: wik handles claims in euro only")
    (inv,) = parse(ubl(currency=None, amount="107.50", amount_currency="EUR"), "eur.xml")
    assert inv.amount == Decimal("107.50")


@pytest.mark.parametrize("kw,fragment", [
    ({"currency": "EUR", "amount_currency": "USD"},
     "f.xml, cac:LegalMonetaryTotal/cbc:PayableAmount: the amount is in USD, but cbc:DocumentCurrencyCode says EUR"),
    ({"currency": None, "amount_currency": None}, "f.xml, cac:LegalMonetaryTotal/cbc:PayableAmount: invoice "
     "'F-2026-1' names no currency"),
])
def test_ubl_currency_unclear_is_refused(kw, fragment):
    with pytest.raises(ImportFileError) as e:
        parse(ubl(**kw), "f.xml")
    assert str(e.value).startswith(fragment)


# --- cause 2: free text wrapped over lines -------------------------------------------------

def test_ubl_wrapped_buyer_name_and_notes_are_one_line():
    (hr,) = parse(real("cef-en16931__sample-discount-price_HR.xml"), "hr.xml")
    assert hr.client_name == ("HEP-OPERATOR DISTRIBUCIJSKOG SUSTAVA D.O.O. ZA DISTRIBUCIJU I OPSKRBU "
                              "ELEKTRICNE ENERGIJE")
    (nl,) = parse(real("si-ubl-2.0.3.2__ok_base.xml"), "base.xml")
    assert nl.description == ("Alle leveringen zijn franco. Alle prijzen zijn incl. BTW. Betalingstermijn: "
                              "14 dagen netto. Prijswijzigingen voorbehouden. Op al onze aanbiedingen, leveringen "
                              "en overeenkomsten zijn van toepassing\u2026")  # cut at 200 characters
    # The same note on one line in another file of the set reads the same.
    (one,) = parse(real("si-ubl-2.0.3.2__UBL-CR-561_warning_4lines.xml"), "4lines.xml")
    assert one.description == nl.description
    assert nl.warnings == () and hr.warnings == ()


# --- cause 3: credit-note type codes inside an Invoice -------------------------------------

def test_ubl_credit_note_type_code_in_an_invoice_is_refused():
    with pytest.raises(ImportFileError) as e:
        parse(real("si-ubl-2.0.3.2__BR-NL-7_error_381_in_Invoice.xml"), "381.xml")
    assert str(e.value) == ("381.xml, cbc:InvoiceTypeCode: type code 381 makes invoice '12115118' a credit note, "
                            "not an invoice: nothing to chase")
    # A corrective (384) and a self-billed (389) invoice are claims.
    for name in ("si-ubl-2.0.3.2__BR-NL-7_ok_384_corrective.xml", "si-ubl-2.0.3.2__BR-NL-7_ok_389_selfbilling.xml"):
        (inv,) = parse(real(name), name)
        assert (inv.number, inv.amount) == ("12115118", Decimal("227.00"))


@pytest.mark.parametrize("code,what", [("396", "a credit note"), ("261", "a credit note"), ("81", "a credit note"),
                                       ("325", "a pro-forma invoice: not a claim")])
def test_ubl_other_non_claim_type_codes(code, what):
    with pytest.raises(ImportFileError, match=f"f.xml, cbc:InvoiceTypeCode: type code {code} makes invoice "
                                              f"'F-2026-1' {what}"):
        parse(ubl(type_code=code), "f.xml")


# --- cause 5: dates with a time zone -------------------------------------------------------

@pytest.mark.parametrize("issue", ["2016-06-30+01:00", "2016-06-30Z", "2016-06-30-05:00", "2016-06-30"])
def test_ubl_dates_with_a_time_zone_are_their_calendar_date(issue):
    (inv,) = parse(ubl(issue=issue, due="2016-07-30+01:00"), "tz.xml")
    assert (inv.date, inv.due) == (date(2016, 6, 30), date(2016, 7, 30))


def test_ubl_bad_date_names_the_element_and_xsd_date():
    with pytest.raises(ImportFileError) as e:
        parse(ubl(due="30-07-2016"), "f.xml")
    assert str(e.value) == "f.xml, cbc:DueDate: '30-07-2016' is not a date: expected YYYY-MM-DD (xsd:date)"


# --- cause 6: invoice numbers as the file gives them ----------------------------------------

def test_ubl_invoice_numbers_are_kept_as_written():
    (hr,) = parse(real("cef-en16931__sample-discount-price_HR.xml"), "hr.xml")
    assert hr.number == "test decimal 1"
    greek = "094019245|11/06/2023|0|1.1|A|1234"  # the Greek CIUS's mark: VAT number|date|branch|type|series|number
    (gr,) = parse(ubl(number=greek), "gr.xml")
    assert gr.number == greek


# --- cause 7: a junk optional field ---------------------------------------------------------

def test_ubl_junk_contact_email_is_left_out_with_a_warning():
    (inv,) = parse(ubl(email="jan at bakkerij"), "f.xml")
    assert (inv.number, inv.email, inv.client_name) == ("F-2026-1", "", "Bakkerij Jansen B.V.")
    assert inv.warnings == ("f.xml, cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail: left "
                            "out the contact e-mail: it is no e-mail address (expected name@example.nl)",)
    (ok,) = parse(ubl(email="jan@bakkerij.nl"), "f.xml")
    assert (ok.email, ok.warnings) == ("jan@bakkerij.nl", ())


# --- cause 8: the payment term in PaymentTerms ----------------------------------------------

@pytest.mark.parametrize("text,days", [
    ("30 dagen", 30),
    ("Zahlbar innerhalb 14 Tagen", 14),
    ("Payment within 30 days", 30),  # cef-en16931 example 7
    ("30 dagar netto. Dröjsmålsränta:12 %", 30),  # cef-en16931 issue116
    ("Betalingstermijn: 14 dagen netto", 14),
    ("net 30", 30),
    ("2% korting bij betaling binnen 8 dagen, netto 30 dagen", 30),
    ("2 % discount if paid within 2 days Penalty percentage 10% from due date", None),  # cef-en16931 example 2
    ("50% prepaid, 50% within one month", None),  # cef-en16931 example 5
    ("D.LGS. 231/2002 S.M.I", None),  # cef-en16931 IT_G2G: a statute, not a term
    ("Penalty percentage 10% from due date", None),  # SI-UBL ok_full
    ("30 dagen na einde maand", None),  # ends later than 30 days: wik keeps its own term
    ("", None),
])
def test_payment_term_days(text, days):
    assert payment_term_days(text) == days


def test_ubl_term_read_from_payment_terms_only_without_a_due_date():
    # cef-en16931 example 7 states "Payment within 30 days" and no due date; it is in SEK, so
    # the same document in euro stands in for it.
    data = real("cef-en16931__ubl-tc434-example7_SEK_terms.xml").replace(b"SEK", b"EUR")
    (inv,) = parse(data, "ex7.xml")
    assert (inv.number, inv.date, inv.due, inv.term, inv.term_text) == (
        "INVOICE_test_7", date(2013, 3, 11), None, 30, "Payment within 30 days")
    (dated,) = parse(ubl(terms="30 dagen"), "f.xml")
    assert (dated.due, dated.term) == (date(2026, 10, 31), None)
    (undated,) = parse(ubl(due=None, terms="Zahlbar innerhalb 14 Tagen"), "f.xml")
    assert (undated.due, undated.term) == (None, 14)


# --- every refusal names the file and the element --------------------------------------------

@pytest.mark.parametrize("data,element", [
    (ubl(number=""), "cbc:ID"),
    (ubl(amount="0.00"), "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    (ubl(amount="12.345"), "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    (ubl(amount="twelve"), "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    (ubl(issue=""), "cbc:IssueDate"),
    (ubl(issue="2016-02-30"), "cbc:IssueDate"),
    (ubl(buyer=""), "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    (ubl(currency="USD", amount_currency="USD"), "cbc:DocumentCurrencyCode"),
])
def test_ubl_refusals_name_file_and_element(data, element):
    with pytest.raises(ImportFileError) as e:
        parse(data, "f.xml")
    assert str(e.value).startswith(f"f.xml, {element}: ")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>"""


@pytest.mark.parametrize("data", [BOMB, XXE], ids=["entity-expansion", "external-entity"])
def test_ubl_entity_attacks_refused(data):
    with pytest.raises(ImportFileError, match="refuses"):
        parse(data, "evil.xml")


def test_ubl_truncated():
    data = (UBL / "ubl-tc434-example1.xml").read_bytes()[:3000]
    with pytest.raises(ImportFileError, match="not well-formed XML"):
        parse(data, "cut.xml")


DUTCH = "Factuurnummer;Factuurdatum;Vervaldatum;Klant;Soort;Bedrag;E-mail\n" \
        "2026-017;01-10-2026;31-10-2026;Jan de Vries;particulier;1.234,56;jan@example.nl\n" \
        "2026-018;2026-10-05;;Bakkerij B.V.;zakelijk;€ 244,00;\n"
ENGLISH = "invoice number,date,client,amount,type\nINV-1,2026-10-01,\"Smith, J.\",\"1,234.56\",consumer\n"


def test_csv_dutch_semicolon():
    a, b = parse(DUTCH.encode(), "nl.csv")
    assert (a.row, a.number, a.date, a.due, a.amount) == (2, "2026-017", date(2026, 10, 1), date(2026, 10, 31), Decimal("1234.56"))
    assert (a.client_name, a.client_type, a.email) == ("Jan de Vries", "consumer", "jan@example.nl")
    assert (b.row, b.due, b.amount, b.client_type) == (3, None, Decimal("244.00"), "business")


def test_csv_english_comma_with_bom():
    (a,) = parse(b"\xef\xbb\xbf" + ENGLISH.encode(), "en.csv")
    assert (a.number, a.client_name, a.amount, a.client_type) == ("INV-1", "Smith, J.", Decimal("1234.56"), "consumer")


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("nummer;bedrag\n1;5\n", "header lacks a column for date: 'factuurdatum'"),
        ("", "the file is empty"),
        ("factuurnummer;factuurdatum;klant;bedrag\n", "no invoices below the header"),
        ("factuurnummer;factuurdatum;klant;bedrag\n1;2026-10-01;A;1.234\n", "line 2: amount '1.234' is ambiguous"),
        ("factuurnummer;factuurdatum;klant;bedrag\n1;2026-13-01;A;5\n", "line 2: date '2026-13-01' is not a date"),
        ("factuurnummer;factuurdatum;klant;bedrag\n1;2026-10-01;A;5\n1;2026-10-01;B;5\n", "line 3: invoice number '1' appears twice (also line 2)"),
        ("factuurnummer;factuurdatum;klant;bedrag\n1;2026-10-01;A\n", "line 2: has 3 fields, the header has 4"),
        ("factuurnummer;factuurdatum;klant;bedrag\n1;2026-10-01;;5\n", "line 2: the client's name is empty"),
        ("factuurnummer;factuurdatum;klant;bedrag;soort\n1;2026-10-01;A;5;alien\n", "client type 'alien' is unknown"),
    ],
)
def test_csv_bad_rows_name_their_line(text, fragment):
    with pytest.raises(ImportFileError) as e:
        parse(text.encode(), "f.csv")
    assert fragment in str(e.value)
    assert "\n" not in str(e.value)


def test_csv_wrong_encoding_names_the_line():
    data = "factuurnummer;factuurdatum;klant;bedrag\n1;2026-10-01;Café;5\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="line 2 is not UTF-8"):
        parse(data, "f.csv")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_records_or_one_import_error(data):
    try:
        records = parse(data, "fuzz")
    except ImportFileError as e:
        assert "\n" not in str(e)
    else:
        assert all(r.amount > 0 for r in records)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=len(DUTCH.encode()) - 1))
def test_truncated_csv_never_half_reads(cut):
    data = DUTCH.encode()[:cut]
    try:
        records = parse(data, "cut.csv")
    except ImportFileError:
        return
    for r in records:
        assert r.number in ("2026-017", "2026-018")


@settings(max_examples=150, deadline=None)
@given(number=st.text(max_size=20), buyer=st.text(max_size=20), buyer_id=st.text(max_size=12),
       email=st.text(max_size=20), note=st.text(max_size=40), terms=st.text(max_size=30),
       issue=st.sampled_from(["2026-10-01", "2026-10-01+01:00", "2026-02-30", "1-10-2026", ""]))
def test_any_ubl_field_values_give_an_import_or_one_error_naming_the_file(number, buyer, buyer_id, email, note,
                                                                          terms, issue):
    from xml.sax.saxutils import escape

    from wikcli.ledger import invoice_import
    from wikcli.ledger import facts
    from wikcli.errors import WikError
    from wikcli.ledger.model import Policy

    data = ubl(number=escape(number), buyer=escape(buyer), buyer_id=escape(buyer_id), email=escape(email),
               note=escape(note), terms=escape(terms), issue=issue, due=None)
    try:
        items = parse(data, "f.xml")
        plan = invoice_import.import_invoices(facts.Ledger(), items, Policy(), None, "f.xml")
    except WikError as e:
        assert str(e).startswith("f.xml") and "\n" not in str(e), str(e)
        return
    (inv,) = items
    assert [(t, n) for t, n, _ in plan.events] == [("client-added", None), ("invoice-added", inv.number)]
    assert inv.number == number.strip() and inv.client_name == " ".join(buyer.split())
    assert all(w.startswith("f.xml, ") and "\n" not in w for w in plan.warnings)

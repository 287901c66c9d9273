from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikcli.importer import ImportFileError, parse

UBL = Path(__file__).parent / "data" / "ubl"


def test_ubl_dutch_invoice():
    (inv,) = parse((UBL / "ubl-tc434-example1.xml").read_bytes(), "example1.xml")
    assert inv.number == "12115118"
    assert inv.date == date(2015, 1, 9) and inv.due == date(2015, 1, 9)
    assert inv.amount == Decimal("250.33")
    assert inv.client_name == "ODIN 59" and inv.client_id == "10202"
    assert (inv.address, inv.postcode, inv.city, inv.country) == ("POSTBUS 367", "1960 AJ", "HEEMSKERK", "NL")
    assert inv.client_type == "business"


def test_ubl_foreign_currency_refused():
    with pytest.raises(ImportFileError, match="'TOSL108' is in NOK"):
        parse((UBL / "ubl-tc434-example2.xml").read_bytes(), "example2.xml")


def test_ubl_credit_note_is_not_an_unpaid_invoice():
    with pytest.raises(ImportFileError, match="credit note, not an invoice"):
        parse((UBL / "ubl-tc434-creditnote1.xml").read_bytes(), "cn.xml")


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

"""Letters, statements and dossiers are PDF/A-2b, checked on their structure with pypdf.

No PDF/A validator installs here (veraPDF is a Java program that no reachable registry
packages), so these tests read back what ISO 19005-2 level B asks of the file: the
identification in the XMP, the sRGB output intent, every font embedded as a TrueType program,
device colours only in RGB, a file identifier, and document information that the XMP repeats,
dated with the document's own date.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ContentStream, DictionaryObject, StreamObject

from lettercases import CONSUMER, CREDITOR_VAT, make, pdf_bytes, pdf_pages
from test_dossier import CONFIG as DOSSIER_CONFIG
from test_dossier import ledger as dossier_ledger
from wikcli.documents import dossier, dossier_page, letter, page as pdf, pdfa, account
from wikcli.ledger.rulebook import Rulebook

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
PACKAGE = Path(pdfa.__file__).parent


def objects(reader: pypdf.PdfReader):
    """Every indirect object of the file."""
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            yield reader.get_object(num)
        except Exception:  # noqa: BLE001 (a free entry)
            continue


def check_pdfa(blob: bytes, day: date) -> dict:
    """Assert the PDF/A-2b structure of ``blob``, dated ``day``; returns what it read."""
    assert blob.startswith(b"%PDF-1.7\n%")
    assert all(b > 127 for b in blob[10:14])  # the binary comment: four bytes above 127
    reader = pypdf.PdfReader(io.BytesIO(blob))
    ids = reader.trailer["/ID"]
    assert len(ids) == 2 and len(ids[0]) == 16
    root = reader.trailer["/Root"]

    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert profile.get_data() == (PACKAGE / "icc" / "sRGB.icc").read_bytes()
    assert profile.get_data()[12:20] == b"mntrRGB "  # a display profile of an RGB space

    meta = root["/Metadata"].get_object()
    assert "/Filter" not in meta and meta["/Subtype"] == "/XML"
    raw = meta.get_data()
    assert raw.startswith(b"<?xpacket begin=") and raw.endswith(b'<?xpacket end="w"?>')
    xmp = ET.fromstring(raw.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    desc = xmp.find("rdf:RDF/rdf:Description", NS)
    assert desc.findtext("pdfaid:part", namespaces=NS) == "2"
    assert desc.findtext("pdfaid:conformance", namespaces=NS) == "B"
    stamp = f"{day.isoformat()}T00:00:00+00:00"
    for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert desc.findtext(key, namespaces=NS) == stamp, key

    info = reader.trailer["/Info"].get_object()
    assert info["/CreationDate"] == info["/ModDate"] == f"D:{day:%Y%m%d}000000+00'00'"
    assert "/Keywords" not in info and "/Trapped" not in info
    # The document information and the XMP say the same.
    assert desc.findtext("dc:title/rdf:Alt/rdf:li", namespaces=NS) == info["/Title"]
    assert desc.findtext("dc:creator/rdf:Seq/rdf:li", namespaces=NS) == info["/Author"]
    assert desc.findtext("xmp:CreatorTool", namespaces=NS) == info["/Creator"] == "wik"
    assert desc.findtext("pdf:Producer", namespaces=NS) == info["/Producer"] == "wik"
    if "/Subject" in info:
        assert desc.findtext("dc:description/rdf:Alt/rdf:li", namespaces=NS) == info["/Subject"]

    fonts = [o for o in objects(reader) if isinstance(o, DictionaryObject) and o.get("/Type") == "/Font"]
    assert fonts
    names = set()
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font
        descriptor = font["/FontDescriptor"].get_object()
        program = descriptor["/FontFile2"].get_object()
        assert isinstance(program, StreamObject) and program.get_data()[:4] == b"\x00\x01\x00\x00"
        assert "/Encoding" not in font  # a symbolic TrueType font carries its own one-table cmap
        names.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert names <= {"LiberationSans", "LiberationSans-Bold", "LiberationMono"}, names

    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
        ops = {op for _, op in ContentStream(page.get_contents(), reader).operations}
        # Colours as RGB only (the output intent's space): no CMYK, no colour-space operators.
        assert not ops & {b"k", b"K", b"cs", b"CS", b"gs"}, ops
    return {"info": info, "fonts": names, "ids": ids}


def test_a_letter_is_pdfa_2b_dated_its_own_date():
    creditor = replace(CREDITOR_VAT, name="Studio Łukasiewicz")
    data = make(letter.DEFAULT, creditor=creditor, costs_owed=True, interest="3.10",
                letter_date=date(2026, 11, 24), registered_hint=True)
    blob = pdf_bytes(data)
    got = check_pdfa(blob, date(2026, 11, 24))
    assert got["fonts"] == {"LiberationSans", "LiberationSans-Bold"}
    assert got["info"]["/Author"] == "Studio Łukasiewicz"  # not folded in the metadata either
    assert got["info"]["/Title"] == "Ingebrekestelling factuur 2026-014"
    assert pdf_bytes(data) == blob  # a re-render is the same bytes
    # Another day: other dates, another file identifier.
    later = pdf_bytes(replace(data, letter_date=date(2027, 1, 5)))
    again = check_pdfa(later, date(2027, 1, 5))
    assert again["ids"] != got["ids"]


@pytest.mark.parametrize("kind", [letter.REMINDER, letter.WIK])
def test_every_letter_kind_in_both_languages_is_pdfa(kind):
    for lang in ("nl", "en"):
        check_pdfa(pdf_bytes(make(kind, lang=lang, letter_date=date(2026, 2, 28))), date(2026, 2, 28))


def test_a_names_latin_letters_reach_the_page_and_the_font():
    client = replace(CONSUMER, name="Şükrü Łęcki-Ćwik", city="Gdańsk")
    blob = pdf_bytes(make(letter.WIK, client=client))
    check_pdfa(blob, date(2026, 11, 24))
    page = pdf_pages(blob)[0]
    assert "Şükrü Łęcki-Ćwik" in page and "GDAŃSK" in page


def test_a_statement_is_pdfa_2b():
    day = date(2026, 3, 31)
    st = account.build(dossier_ledger(), DOSSIER_CONFIG, Rulebook(DOSSIER_CONFIG.policy, DOSSIER_CONFIG.creditor.vat_deductible), "lodz", day)
    blob = account.render(st)
    got = check_pdfa(blob, day)
    assert got["fonts"] == {"LiberationSans", "LiberationSans-Bold"}
    assert account.render(st) == blob
    assert "Łódź Trading Sp. z o.o." in pdf_pages(blob)[0]


def test_a_dossier_is_pdfa_2b_with_the_mono_font_for_the_hashes():
    day = date(2026, 3, 31)
    d = dossier.build(dossier_ledger(), DOSSIER_CONFIG, Rulebook(DOSSIER_CONFIG.policy, DOSSIER_CONFIG.creditor.vat_deductible), "F-7", day)
    d = replace(d, letters=tuple(replace(x, file="default.pdf", sha256="ab" * 32) for x in d.letters))
    blob = dossier_page.render(d)
    got = check_pdfa(blob, day)
    assert got["fonts"] == {"LiberationSans", "LiberationSans-Bold", "LiberationMono"}
    assert dossier_page.render(d) == blob


def test_the_shipped_font_and_profile_carry_their_licences():
    ofl = (PACKAGE / "fonts" / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Reserved Font Name Liberation" in ofl
    zlib = (PACKAGE / "icc" / "LICENSE-zlib.txt").read_text(encoding="utf-8")
    assert "The zlib/libpng License" in zlib and "sRGB" in zlib


def test_a_character_no_font_has_prints_as_a_question_mark_not_a_box():
    assert pdf.fold("Zoë 李 ł") == "Zoë ? ł"
    assert pdfa.covers("Ş") and pdfa.covers("ł") and pdfa.covers("€") and not pdfa.covers("李")

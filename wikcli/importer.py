"""Reading invoices from an accounting program's export: CSV or a UBL 2.1 e-invoice.

Pure: the caller hands in the file's bytes and name, and gets records back (or one
ImportFileError naming the row). Nothing is added to the ledger here; the ledger adds all
records of a file or none.

CSV: a header row, ``;`` or ``,`` separated, UTF-8. Header names in Dutch or English (see
``COLUMNS``); amounts in Dutch or English notation; dates as 2026-11-24 or 24-11-2026.
UBL: the Invoice document of UBL 2.1 as Dutch accounting programs export it (SI-UBL 2.0 /
EN 16931). XML is parsed with defusedxml, which refuses entity declarations, so an entity
expansion ("billion laughs") or an external entity cannot be used against the user.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wikcli.errors import WikError
from wikcli.model import BUSINESS, CONSUMER
from wikcli.money import parse_amount

MAX_BYTES = 20 * 1024 * 1024


class ImportFileError(WikError):
    """A file that cannot be imported; the message names the file and row."""


@dataclass(frozen=True)
class ImportedInvoice:
    row: int  # CSV: the line number in the file (the header is line 1); UBL: 1
    number: str
    date: date
    due: date | None
    amount: Decimal
    client_name: str
    client_id: str = ""
    client_type: str = ""  # consumer | business | "" (unknown: the caller decides)
    email: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    description: str = ""


# Accepted header names per field, compared case-insensitively without spaces, dots,
# underscores and dashes. The first name of each list is the documented one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("factuurnummer", "invoice number", "factuur", "factuurnr", "nummer", "invoice", "invoice no", "number"),
    "date": ("factuurdatum", "invoice date", "datum", "date", "issue date"),
    "due": ("vervaldatum", "due date", "vervaldag", "due"),
    "amount": ("bedrag", "amount", "totaal", "bedrag incl btw", "te betalen", "total", "amount due", "openstaand", "open"),
    "client_name": ("klant", "client", "debiteur", "naam", "klantnaam", "customer", "debtor", "name", "client name"),
    "client_id": ("klantnummer", "client id", "debiteurnummer", "klant id", "customer id", "debtor id"),
    "client_type": ("soort", "type", "klantsoort", "client type"),
    "email": ("email", "e-mail", "emailadres", "e-mailadres"),
    "address": ("adres", "address", "straat", "street"),
    "postcode": ("postcode", "postal code", "zip", "zipcode"),
    "city": ("plaats", "city", "woonplaats", "town"),
    "country": ("land", "country"),
    "description": ("omschrijving", "description", "oms"),
}
REQUIRED = ("number", "date", "amount", "client_name")
TYPES = {
    "consumer": CONSUMER, "particulier": CONSUMER, "consument": CONSUMER, "privé": CONSUMER, "prive": CONSUMER,
    "business": BUSINESS, "zakelijk": BUSINESS, "bedrijf": BUSINESS, "b2b": BUSINESS, "b2c": CONSUMER,
}


def _key(header: str) -> str:
    return re.sub(r"[\s._\-]", "", header.strip().lower())


_ALIASES = {_key(alias): field for field, names in COLUMNS.items() for alias in names}


def parse(data: bytes, name: str) -> list[ImportedInvoice]:
    """Records from a CSV or UBL file; the kind is told by the content, not the name."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"{name}: larger than 20 MB; split the export")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return [parse_ubl(data, name)]
    return parse_csv(data, name)


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportFileError(
            f"{name}: line {line} is not UTF-8 text: save the export as 'CSV UTF-8'") from None


def _date(text: str, where: str) -> date:
    s = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or None
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
        if m:  # Dutch order: day-month-year
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise ImportFileError(f"{where}: date {text!r} is not a date: expected 2026-11-24 or 24-11-2026")


def parse_csv(data: bytes, name: str) -> list[ImportedInvoice]:
    text = _text(data, name)
    if "\x00" in text:
        raise ImportFileError(f"{name}: contains NUL bytes: not a CSV text file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{name}: the file is empty: expected a header row") from None
    except csv.Error as e:
        raise ImportFileError(f"{name}: line 1: {e}") from None
    fields: dict[str, int] = {}
    for i, h in enumerate(header):
        f = _ALIASES.get(_key(h))
        if f and f not in fields:
            fields[f] = i
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        wanted = "; ".join(f"{f}: {COLUMNS[f][0]!r} or {COLUMNS[f][1]!r}" for f in missing)
        raise ImportFileError(f"{name}: header lacks a column for {wanted}")

    out: list[ImportedInvoice] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            where = f"{name} line {line}"
            if len(cells) != len(header):
                raise ImportFileError(
                    f"{where}: has {len(cells)} fields, the header has {len(header)} (a truncated or mis-separated row?)")

            def get(f: str) -> str:
                return cells[fields[f]].strip() if f in fields else ""

            number = get("number")
            if not number or len(number) > 64 or any(ord(c) < 32 for c in number):
                raise ImportFileError(f"{where}: invoice number {number!r} is empty, too long or has control characters")
            if number in seen:
                raise ImportFileError(f"{where}: invoice number {number!r} appears twice (also line {seen[number]})")
            seen[number] = line
            client_name = get("client_name")
            if not client_name:
                raise ImportFileError(f"{where}: the client's name is empty")
            raw_type = get("client_type").lower()
            if raw_type and raw_type not in TYPES:
                raise ImportFileError(
                    f"{where}: client type {get('client_type')!r} is unknown: expected consumer/particulier or business/zakelijk")
            try:
                amount = parse_amount(get("amount"))
            except WikError as e:
                raise ImportFileError(f"{where}: {e}") from None
            out.append(ImportedInvoice(
                row=line,
                number=number,
                date=_date(get("date"), where),
                due=_date(get("due"), where) if get("due") else None,
                amount=amount,
                client_name=client_name,
                client_id=get("client_id"),
                client_type=TYPES.get(raw_type, ""),
                email=get("email"),
                address=get("address"),
                postcode=get("postcode"),
                city=get("city"),
                country=get("country").upper(),
                description=get("description"),
            ))
    except csv.Error as e:
        raise ImportFileError(f"{name} line {reader.line_num}: {e}") from None
    if not out:
        raise ImportFileError(f"{name}: no invoices below the header")
    return out


NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def parse_ubl(data: bytes, name: str) -> ImportedInvoice:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError(f"{name}: the XML declares a DTD or entities, which wik refuses (entity expansion)") from None
    except ParseError as e:
        raise ImportFileError(f"{name}: not well-formed XML ({e})") from None
    if root.tag == f"{{{NS['cn']}}}CreditNote":
        raise ImportFileError(f"{name}: is a UBL credit note, not an invoice: nothing to chase")
    if root.tag != f"{{{NS['inv']}}}Invoice":
        raise ImportFileError(f"{name}: the XML is not a UBL 2.1 Invoice (root element {root.tag.split('}')[-1]!r})")

    def text(path: str, node=root) -> str:
        el = node.find(path, NS)
        return (el.text or "").strip() if el is not None else ""

    where = f"{name}"
    number = text("cbc:ID")
    if not number:
        raise ImportFileError(f"{where}: the invoice has no number (cbc:ID)")
    currency = text("cbc:DocumentCurrencyCode") or "EUR"
    if currency != "EUR":
        raise ImportFileError(f"{where}: invoice {number!r} is in {currency}: wik handles claims in euro only")
    payable = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    if payable is None or not (payable.text or "").strip():
        raise ImportFileError(f"{where}: invoice {number!r} has no PayableAmount")
    try:
        amount = Decimal((payable.text or "").strip())
        if not amount.is_finite():
            raise ValueError
    except (ArithmeticError, ValueError):
        raise ImportFileError(f"{where}: PayableAmount {payable.text!r} is not an amount") from None
    if amount <= 0:
        raise ImportFileError(f"{where}: invoice {number!r} has nothing payable ({amount}): nothing to chase")
    if amount != amount.quantize(Decimal("0.01")):
        raise ImportFileError(f"{where}: PayableAmount {payable.text!r} has more than two decimals")
    party = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    if party is None:
        raise ImportFileError(f"{where}: invoice {number!r} names no buyer (AccountingCustomerParty)")
    client_name = (text("cac:PartyLegalEntity/cbc:RegistrationName", party)
                   or text("cac:PartyName/cbc:Name", party) or text("cac:Contact/cbc:Name", party))
    if not client_name:
        raise ImportFileError(f"{where}: the buyer of invoice {number!r} has no name")
    due = text("cbc:DueDate") or text("cac:PaymentMeans/cbc:PaymentDueDate")
    street = " ".join(filter(None, (text("cac:PostalAddress/cbc:StreetName", party),
                                    text("cac:PostalAddress/cbc:AdditionalStreetName", party))))
    return ImportedInvoice(
        row=1,
        number=number,
        date=_date(text("cbc:IssueDate"), where),
        due=_date(due, where) if due else None,
        amount=amount.quantize(Decimal("0.01")),
        client_name=client_name,
        client_id=text("cac:PartyIdentification/cbc:ID", party) or text("cbc:EndpointID", party),
        # An e-invoice goes to a business buyer in practice; the UBL carries no consumer flag.
        client_type=BUSINESS,
        email=text("cac:Contact/cbc:ElectronicMail", party),
        address=street,
        postcode=text("cac:PostalAddress/cbc:PostalZone", party),
        city=text("cac:PostalAddress/cbc:CityName", party),
        country=text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", party),
        description=text("cbc:Note")[:200],
    )

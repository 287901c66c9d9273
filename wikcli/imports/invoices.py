"""Reading invoices from an accounting program's export: CSV or a UBL 2.1 e-invoice.

Pure: the caller hands in the file's bytes and name, and gets records back (or one
ImportFileError naming the file and the row or element). Nothing is added to the ledger
here; the ledger adds all records of a file or none.

CSV: a header row, ``;`` or ``,`` separated, UTF-8. Header names in Dutch or English (see
``COLUMNS``); amounts in Dutch or English notation; dates as 2026-11-24 or 24-11-2026.
UBL: the Invoice document of UBL 2.0/2.1 as accounting programs export it (SI-UBL 2.0,
EN 16931, Peppol BIS 3). XML is parsed with defusedxml, which refuses entity declarations,
so an entity expansion ("billion laughs") or an external entity cannot be used against the
user.

Free texts (names, addresses, notes) have their whitespace collapsed: a line break in a
wrapped name or a multi-line note is layout, not content. An optional field that is still
unusable (an e-mail address that is none, a country that is no ISO code) is left out with
a warning that names where it was found; the invoice itself is still a claim.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wikcli.errors import WikError
from wikcli.ledger.model import BUSINESS, CONSUMER
from wikcli.rules.money import MAX_AMOUNT, parse_amount
from wikcli.rules.dates import Day
from wikcli.i18n import N_, _

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT = 500  # as commands.MAX_TEXT: a longer field would be refused when it is recorded
MAX_DESCRIPTION = 200


class ImportFileError(WikError):
    """A file that cannot be imported; the message names the file and row or element."""


@dataclass(frozen=True)
class ImportedInvoice:
    row: int  # CSV: the line number in the file (the header is line 1); UBL: 1
    number: str
    date: Day
    due: Day | None
    amount: Decimal
    client_name: str
    client_id: str = ""  # as the file gives it; invoice_import turns it into a wik id or keeps it aside
    client_type: str = ""  # consumer | business | "" (the file does not say: the caller decides)
    email: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    description: str = ""
    agreement: str = ""  # the agreement the invoice belongs to (the cumulation rule groups by it)
    reference: str = ""  # a payment reference the invoice carried (betalingskenmerk or RF), compacted
    source: str = ""  # the file's name, for messages
    kind: str = "csv"  # csv | ubl
    term: int | None = None  # payment term in days the file states where it gives no due date
    term_text: str = ""  # the text the term was read from
    warnings: tuple[str, ...] = ()  # optional fields left out, each naming where it was found
    elements: tuple[tuple[str, str], ...] = ()  # UBL: field -> the element it was read from

    def at(self, field: str = "") -> str:
        """Where a field came from: ``f.csv line 3`` or ``f.xml, cbc:ID`` (the file alone if unknown)."""
        if self.kind == "ubl":
            element = dict(self.elements).get(field)
            return f"{self.source}, {element}" if element else self.source
        return _("{source} line {row}").format(source=self.source, row=self.row)


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
    "agreement": ("overeenkomst", "agreement", "contract", "abonnement"),
    "reference": ("betalingskenmerk", "kenmerk", "payment reference", "payment id"),
}
REQUIRED = ("number", "date", "amount", "client_name")
TYPES = {
    "consumer": CONSUMER, "particulier": CONSUMER, "consument": CONSUMER, "privé": CONSUMER, "prive": CONSUMER,
    "business": BUSINESS, "zakelijk": BUSINESS, "bedrijf": BUSINESS, "b2b": BUSINESS, "b2c": CONSUMER,
}

# What is left of a control character once whitespace is collapsed (C0 and C1 controls that
# are not whitespace): such a text was not typed by a person.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# At least as strict as what a client record accepts: one @, no spaces, a domain with a dot.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _key(header: str) -> str:
    return re.sub(r"[\s._\-]", "", header.strip().lower())


_ALIASES = {_key(alias): field for field, names in COLUMNS.items() for alias in names}


def collapse(text: str) -> str:
    """A free text on one line: every run of whitespace (line breaks too) becomes one space."""
    return " ".join(text.split())


def _payment_reference(text: str, where: str, warnings: list[str] | None) -> str:
    """A betalingskenmerk (16 digits, its check digit right) or an ISO 11649 reference the
    invoice carried, compacted; anything else is left out, with a warning for a CSV column
    (a bank passes a wrong one on as free text, so it would match nothing). A UBL PaymentID
    is often free text ("Deb. 10202 / Fact. 12115118"): left out without a word."""
    from stdnum import iso11649

    from wikcli.rules.references import is_kenmerk

    compact = re.sub(r"[\s.\-]", "", text or "").upper()
    if not compact:
        return ""
    if is_kenmerk(compact) or (compact.startswith("RF") and iso11649.is_valid(compact)):
        return compact
    if warnings is None:
        return ""
    warnings.append(_("{where}: payment reference {text!r} is neither a 16-digit betalingskenmerk nor an RF "
                       "reference with valid check digits: left out").format(where=where, text=text[:40]))
    return ""


def _optional(value: str, what: str, where: str, warnings: list[str], *, email: bool = False,
              country: bool = False, limit: int = MAX_TEXT) -> str:
    """``value`` if it can be recorded, else "" and a warning naming ``where`` (never the value:
    it may be personal data)."""
    value = collapse(value)
    if not value:
        return ""
    problem = ""
    if _CONTROL.search(value):
        problem = _("it contains a control character")
    elif len(value) > limit:
        problem = _("it is {count} characters long (at most {limit})").format(count=len(value), limit=limit)
    elif email and not _EMAIL.fullmatch(value):
        problem = _("it is no e-mail address (expected name@example.nl)")
    elif country and not re.fullmatch(r"[A-Za-z]{2}", value):
        problem = _("it is no two-letter ISO country code")
    if problem:
        warnings.append(_("{where}: left out the {what}: {problem}").format(where=where, what=_(what), problem=problem))
        return ""
    return value.upper() if country else value


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word's end, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + "\u2026"


# Files people pick by mistake, told by their first bytes: their contents are no invoice list.
_NOT_TEXT = ((b"%PDF", N_("a PDF")), (b"PK\x03\x04", N_("a zip file (a spreadsheet such as .xlsx, or an archive)")),
             (b"\xd0\xcf\x11\xe0", N_("an old Office file (.xls or .doc)")))
# The fields _optional names when it leaves one out.
OPTIONAL_FIELDS = (N_("e-mail"), N_("street"), N_("contact e-mail"), N_("postcode"), N_("city"), N_("country"),
                   N_("note"))


def parse(data: bytes, name: str) -> list[ImportedInvoice]:
    """Records from a CSV or UBL file; the kind is told by the content, not the name."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("{name}: larger than 20 MB; split the export").format(name=name))
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise ImportFileError(_("{name} is {what}, not a CSV export or a UBL e-invoice (XML): export the invoices from "
                                     "your bookkeeping as CSV or UBL, and import that file").format(
                                     name=name, what=_(what)))
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
            _("{name}: line {line} is not UTF-8 text: save the export as 'CSV UTF-8'").format(name=name, line=line)) from None


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
    raise ImportFileError(_("{where}: date {text!r} is not a date: expected 2026-11-24 or 24-11-2026").format(
                             where=where, text=text))


def parse_csv(data: bytes, name: str) -> list[ImportedInvoice]:
    text = _text(data, name)
    if "\x00" in text:
        raise ImportFileError(_("{name}: contains NUL bytes: not a CSV text file").format(name=name))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("{name}: the file is empty: expected a header row").format(name=name)) from None
    except csv.Error as e:
        raise ImportFileError(_("{name}: line 1: {error}").format(name=name, error=e)) from None
    fields: dict[str, int] = {}
    for i, h in enumerate(header):
        f = _ALIASES.get(_key(h))
        if f and f not in fields:
            fields[f] = i
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        wanted = "; ".join(_("{field}: {first!r} or {second!r}").format(
                              field=f, first=COLUMNS[f][0], second=COLUMNS[f][1]) for f in missing)
        raise ImportFileError(_("{name}: header lacks a column for {wanted}").format(name=name, wanted=wanted))

    out: list[ImportedInvoice] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            where = _("{name} line {line}").format(name=name, line=line)
            if len(cells) != len(header):
                raise ImportFileError(
                    _("{where}: has {count} fields, the header has {header} (a truncated or mis-separated row?)").format(
                       where=where, count=len(cells), header=len(header)))

            def get(f: str) -> str:
                return cells[fields[f]].strip() if f in fields else ""

            def column(f: str) -> str:
                return _("{where}, column {header!r}").format(where=where, header=header[fields[f]].strip())

            number = get("number")
            if not number:
                raise ImportFileError(_("{where}: the invoice number is empty").format(where=where))
            if number in seen:
                raise ImportFileError(_("{where}: invoice number {number!r} appears twice (also line {seen})").format(
                                         where=where, number=number, seen=seen[number]))
            seen[number] = line
            client_name = collapse(get("client_name"))
            if not client_name:
                raise ImportFileError(_("{where}: the client's name is empty").format(where=where))
            raw_type = get("client_type").lower()
            if raw_type and raw_type not in TYPES:
                raise ImportFileError(
                    _("{where}: client type {value!r} is unknown: expected consumer/particulier or "
                       "business/zakelijk").format(where=where, value=get('client_type')))
            try:
                amount = parse_amount(get("amount"))
            except WikError as e:
                raise ImportFileError(f"{where}: {e}") from None
            warnings: list[str] = []
            out.append(ImportedInvoice(
                row=line,
                number=number,
                date=_date(get("date"), where),
                due=_date(get("due"), where) if get("due") else None,
                amount=amount,
                client_name=client_name,
                client_id=collapse(get("client_id")),
                client_type=TYPES.get(raw_type, ""),
                email=_optional(get("email"), "e-mail", column("email"), warnings, email=True)
                if "email" in fields else "",
                address=collapse(get("address")),
                postcode=collapse(get("postcode")),
                city=collapse(get("city")),
                country=get("country").upper(),
                description=collapse(get("description")),
                agreement=collapse(get("agreement")),
                reference=_payment_reference(get("reference"), _("{name} line {line}").format(name=name, line=line), warnings)
                if "reference" in fields else "",
                source=name,
                warnings=tuple(warnings),
            ))
    except csv.Error as e:
        raise ImportFileError(_("{name} line {line_num}: {error}").format(name=name, line_num=reader.line_num, error=e)) from None
    if not out:
        raise ImportFileError(_("{name}: no invoices below the header").format(name=name))
    return out


NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# UNTDID 1001 codes of credit notes (the EN 16931 / Peppol BIS list, plus the French CIUS's
# 502 and 503): an Invoice document with one of these is a credit, not a claim.
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "502",
                               "503", "532"})
PRO_FORMA_CODE = "325"  # a quotation in an invoice's form: nothing is owed on it
BUYER = "cac:AccountingCustomerParty/cac:Party"
# xsd:date: a calendar date with an optional time zone, which does not change the date.
_XSD_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")

# A payment term in days as accounting programs write it in PaymentTerms: "30 dagen",
# "Zahlbar innerhalb 14 Tagen", "30 dagar netto", "Payment within 30 days", "net 30".
_DAYS = re.compile(r"(?<![\w.,])(\d{1,3})\s*-?\s*(?:kalender)?(?:dagen|dag|days?|tagen|tage|tag|dagar|dage|dager|"
                   r"jours?|giorni|d[ií]as|dni)\b", re.IGNORECASE)
_NET = re.compile(r"\bnet(?:to)?\s*:?\s*(\d{1,3})\b", re.IGNORECASE)
# A second term for early payment makes a lone number ambiguous; a term counted from the end
# of the month ends later than the number says. wik then keeps its own term.
_DISCOUNT = re.compile(r"korting|discount|skonto|rabatt|rabat|sconto|escompte|descuento|kassarabatt|"
                       r"kontantrabatt", re.IGNORECASE)
_END_OF_MONTH = re.compile(r"end of (?:the )?month|\beom\b|einde (?:van de )?maand|eind van de maand|"
                           r"monatsende|ende des monats|fin de mois|fine mese|månadens slut", re.IGNORECASE)


def payment_term_days(text: str) -> int | None:
    """The payment term in days a PaymentTerms note states, or None where it states none or
    cannot be read without guessing.

    Where several terms are named (a discount term and the net term), the longest is the net
    term: a due date too late costs nothing, one too early puts the debtor in default before
    the day agreed.
    """
    if _END_OF_MONTH.search(text):
        return None
    days = {int(m) for m in _DAYS.findall(text)} | {int(m) for m in _NET.findall(text)}
    days = {d for d in days if 1 <= d <= 365}
    if not days or (len(days) == 1 and _DISCOUNT.search(text)):
        return None
    return max(days)


def _ubl_root(data: bytes, name: str) -> Any:
    """The document's root element, refused unless it is a well-formed UBL Invoice."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError(_("{name}: the XML declares a DTD or entities, which wik refuses (entity expansion)").format(
                                 name=name)) from None
    except ParseError as e:
        raise ImportFileError(_("{name}: not well-formed XML ({error})").format(name=name, error=e)) from None
    except (LookupError, ValueError) as e:  # an encoding Python does not know, or cannot read as XML
        raise ImportFileError(_("{name}: the XML's encoding cannot be read ({error}): save it as UTF-8").format(
                                 name=name, error=e)) from None
    if root.tag == f"{{{NS['cn']}}}CreditNote":
        raise ImportFileError(_("{name}, CreditNote: is a UBL credit note, not an invoice: nothing to chase").format(
                                 name=name))
    if root.tag != f"{{{NS['inv']}}}Invoice":
        raise ImportFileError(_("{name}: the XML is not a UBL Invoice (root element {root!r})").format(
                                 name=name, root=root.tag.split('}')[-1]))
    return root


@dataclass(frozen=True)
class _Ubl:
    """A UBL invoice being read: its root and the file's name, which every error starts with."""

    root: Any
    name: str

    def at(self, path: str) -> str:
        return f"{self.name}, {path}"

    def text(self, path: str) -> str:
        el = self.root.find(path, NS)
        return (el.text or "").strip() if el is not None else ""

    def first(self, *paths: str) -> tuple[str, str]:
        """The first of ``paths`` that holds some text, and that path."""
        for path in paths:
            value = self.text(path)
            if value:
                return value, path
        return "", paths[0]

    def xsd_date(self, value: str, path: str) -> date:
        m = _XSD_DATE.fullmatch(value)
        try:
            if m:
                return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
        raise ImportFileError(_("{where}: {value!r} is not a date: expected YYYY-MM-DD (xsd:date)").format(
                                 where=self.at(path), value=value[:40]))


def _ubl_number(doc: _Ubl) -> str:
    """The invoice's number, refused for a credit note or a pro-forma invoice."""
    number = doc.text("cbc:ID")
    if not number:
        raise ImportFileError(_("{where}: the invoice has no number").format(where=doc.at('cbc:ID')))
    code = doc.text("cbc:InvoiceTypeCode")
    if code in CREDIT_NOTE_CODES:
        raise ImportFileError(_("{where}: type code {code} makes invoice {number!r} a credit note, not an invoice: "
                                 "nothing to chase").format(
                                 where=doc.at('cbc:InvoiceTypeCode'), code=code, number=number))
    if code == PRO_FORMA_CODE:
        raise ImportFileError(_("{where}: type code {code} makes invoice {number!r} a pro-forma invoice: not a claim").format(
                                 where=doc.at('cbc:InvoiceTypeCode'), code=code, number=number))
    return number


def _ubl_amount(doc: _Ubl, number: str) -> tuple[Decimal, bool]:
    """The amount payable, in euro, and whether it is above the limit (then not rounded)."""
    at = doc.at
    total = "cac:LegalMonetaryTotal/cbc:PayableAmount"
    payable = doc.root.find(total, NS)
    if payable is None or not (payable.text or "").strip():
        raise ImportFileError(_("{where}: invoice {number!r} states no amount payable").format(
                                 where=at(total), number=number))
    # UBL 2.0 and minimal 2.1 documents often leave out the document currency: the amount's
    # own currencyID (mandatory in UBL) then tells it.
    document_currency = doc.text("cbc:DocumentCurrencyCode").upper()
    amount_currency = (payable.get("currencyID") or "").strip().upper()
    if document_currency and amount_currency and document_currency != amount_currency:
        raise ImportFileError(_("{where}: the amount is in {amount_currency}, but cbc:DocumentCurrencyCode says "
                                 "{document_currency}: which currency is owed is unclear").format(
                                 where=at(total), amount_currency=amount_currency[:8], document_currency=document_currency[:8]))
    currency, currency_at = ((document_currency, "cbc:DocumentCurrencyCode") if document_currency
                             else (amount_currency, f"{total}/@currencyID"))
    if not currency:
        raise ImportFileError(_("{where}: invoice {number!r} names no currency (no cbc:DocumentCurrencyCode, no "
                                 "currencyID): wik handles claims in euro only").format(
                                 where=at(total), number=number))
    if currency != "EUR":
        raise ImportFileError(_("{where}: invoice {number!r} is in {currency}: wik handles claims in euro only").format(
                                 where=at(currency_at), number=number, currency=currency[:8]))
    raw = (payable.text or "").strip()
    try:
        amount = Decimal(raw)
        if not amount.is_finite():
            raise ValueError
    except (ArithmeticError, ValueError):
        raise ImportFileError(_("{where}: {raw!r} is not an amount").format(where=at(total), raw=raw[:40])) from None
    if amount <= 0:
        raise ImportFileError(_("{where}: invoice {number!r} has nothing payable ({amount}): nothing to chase").format(
                                 where=at(total), number=number, amount=amount))
    # 1e400 is finite but has no cents to round to: invoice_import.import_invoices refuses it by the
    # limit of `invoice add`, naming the element.
    huge = amount > MAX_AMOUNT
    if not huge and amount != amount.quantize(Decimal("0.01")):
        raise ImportFileError(_("{where}: {raw!r} has more than two decimals").format(where=at(total), raw=raw[:40]))
    return amount, huge


def _ubl_terms(doc: _Ubl, elements: dict[str, str]) -> tuple[date | None, int | None, str]:
    """The due date, or else the payment term in days read from the terms' note (and that
    note); the elements they came from go into ``elements``."""
    # UBL 2.1 has the due date on the invoice; UBL 2.0 only on the payment means or terms.
    due_text, due_at = doc.first("cbc:DueDate", "cac:PaymentMeans/cbc:PaymentDueDate",
                                 "cac:PaymentTerms/cbc:PaymentDueDate")
    due = doc.xsd_date(due_text, due_at) if due_text else None
    if due is not None:
        elements["due"] = due_at
        return due, None, ""
    notes = [collapse(n.text or "") for n in doc.root.findall("cac:PaymentTerms/cbc:Note", NS)]
    term_text = " ".join(n for n in notes if n)
    term = payment_term_days(term_text) if term_text else None
    if term is not None:
        elements["term"] = "cac:PaymentTerms/cbc:Note"
    return None, term, term_text


def parse_ubl(data: bytes, name: str) -> ImportedInvoice:
    doc = _Ubl(_ubl_root(data, name), name)
    root, at = doc.root, doc.at
    elements: dict[str, str] = {"number": "cbc:ID", "amount": "cac:LegalMonetaryTotal/cbc:PayableAmount",
                                "date": "cbc:IssueDate"}
    number = _ubl_number(doc)
    amount, huge = _ubl_amount(doc, number)
    issue = doc.text("cbc:IssueDate")
    if not issue:
        raise ImportFileError(_("{where}: invoice {number!r} has no issue date").format(
                                 where=at('cbc:IssueDate'), number=number))
    issued = doc.xsd_date(issue, "cbc:IssueDate")
    due, term, term_text = _ubl_terms(doc, elements)

    party = root.find(BUYER, NS)
    if party is None:
        raise ImportFileError(_("{where}: invoice {number!r} names no buyer").format(
                                 where=at('cac:AccountingCustomerParty'), number=number))

    def buyer(path: str) -> str:
        el = party.find(path, NS)
        return (el.text or "") if el is not None else ""

    names = ("cac:PartyLegalEntity/cbc:RegistrationName", "cac:PartyName/cbc:Name", "cac:Contact/cbc:Name")
    name_path = next((p for p in names if collapse(buyer(p))), names[0])
    client_name = collapse(buyer(name_path))
    elements["client_name"] = f"{BUYER}/{name_path}"
    if not client_name:
        raise ImportFileError(_("{where}: the buyer of invoice {number!r} has no name").format(
                                 where=at(elements['client_name']), number=number))
    if _CONTROL.search(client_name):
        raise ImportFileError(_("{where}: the buyer's name contains a control character").format(
                                 where=at(elements['client_name'])))
    id_path = next((p for p in ("cac:PartyIdentification/cbc:ID", "cbc:EndpointID") if collapse(buyer(p))),
                   "cac:PartyIdentification/cbc:ID")
    elements["client_id"] = f"{BUYER}/{id_path}"

    warnings: list[str] = []

    def optional(path: str, what: str, **kw) -> str:
        return _optional(buyer(path), what, at(f"{BUYER}/{path}"), warnings, **kw)

    street = " ".join(filter(None, (optional("cac:PostalAddress/cbc:StreetName", "street"),
                                    optional("cac:PostalAddress/cbc:AdditionalStreetName", "street"))))
    notes = " ".join(collapse(n.text or "") for n in root.findall("cbc:Note", NS))
    return ImportedInvoice(
        row=1,
        number=number,
        date=issued,
        due=due,
        amount=amount if huge else amount.quantize(Decimal("0.01")),
        client_name=client_name,
        client_id=collapse(buyer(id_path)),
        # The UBL carries no consumer flag: the caller decides (--type, else business).
        client_type="",
        email=optional("cac:Contact/cbc:ElectronicMail", "contact e-mail", email=True),
        address=street,
        postcode=optional("cac:PostalAddress/cbc:PostalZone", "postcode"),
        city=optional("cac:PostalAddress/cbc:CityName", "city"),
        country=optional("cac:PostalAddress/cac:Country/cbc:IdentificationCode", "country", country=True),
        description=_clip(_optional(notes, "note", at("cbc:Note"), warnings, limit=10 * MAX_TEXT), MAX_DESCRIPTION),
        reference=_payment_reference(collapse(root.findtext("cac:PaymentMeans/cbc:PaymentID", "", NS)),
                                     at("cac:PaymentMeans/cbc:PaymentID"), None),
        source=name,
        kind="ubl",
        term=term,
        term_text=term_text,
        warnings=tuple(warnings),
        elements=tuple(elements.items()),
    )

"""A minimal UBL 2.1 invoice for the cases no real file in tests/data/ubl shows."""

from __future__ import annotations

from pathlib import Path

UBL = Path(__file__).parent / "data" / "ubl"
PUBLIC = UBL / "public"


def real(name: str) -> bytes:
    """A real e-invoice from tests/data/ubl or its public/ folder, as written by others."""
    path = UBL / name
    return (path if path.exists() else PUBLIC / name).read_bytes()


def ubl(*, number: str = "F-2026-1", issue: str = "2026-10-01", due: str | None = "2026-10-31",
        currency: str | None = "EUR", amount: str = "121.00", amount_currency: str | None = "EUR",
        type_code: str = "380", buyer: str = "Bakkerij Jansen B.V.", buyer_id: str = "",
        buyer_id_scheme: str = "", email: str = "", terms: str = "", note: str = "") -> bytes:
    def opt(cond, text):
        return text if cond else ""

    currency_attr = f' currencyID="{amount_currency}"' if amount_currency else ""
    scheme = f' schemeID="{buyer_id_scheme}"' if buyer_id_scheme else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>{issue}</cbc:IssueDate>
  {opt(due, f"<cbc:DueDate>{due}</cbc:DueDate>")}
  <cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>
  {opt(note, f"<cbc:Note>{note}</cbc:Note>")}
  {opt(currency, f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>")}
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Studio Noord</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    {opt(buyer_id, f"<cbc:EndpointID{scheme}>{buyer_id}</cbc:EndpointID>")}
    <cac:PostalAddress>
      <cbc:StreetName>Dorpsstraat 1</cbc:StreetName>
      <cbc:CityName>Utrecht</cbc:CityName>
      <cbc:PostalZone>3511 AA</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>{buyer}</cbc:RegistrationName></cac:PartyLegalEntity>
    {opt(email, f"<cac:Contact><cbc:ElectronicMail>{email}</cbc:ElectronicMail></cac:Contact>")}
  </cac:Party></cac:AccountingCustomerParty>
  {opt(terms, f"<cac:PaymentTerms><cbc:Note>{terms}</cbc:Note></cac:PaymentTerms>")}
  <cac:LegalMonetaryTotal>
    <cbc:PayableAmount{currency_attr}>{amount}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>
""".encode()

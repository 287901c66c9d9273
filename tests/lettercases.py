"""Letter data for the letter tests: one creditor, consumers and businesses, real figures."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal as D

from wikcli.rules import costs
from wikcli.documents import letter
from wikcli.ledger import model

CREDITOR_VAT = model.Creditor(  # a private person / KOR: adds 21% VAT to the costs
    name="Studio Jansen Ontwerp", address="Prinsengracht 263", postcode="1016 GV", city="Amsterdam",
    kvk="12345678", vat_id="NL001234567B01", iban="NL91ABNA0417164300", bic="ABNANL2A",
    email="administratie@studiojansen.nl", phone="020 123 45 67", vat_deductible=False,
)
CREDITOR_B2B = model.Creditor(  # a VAT-registered business: costs without VAT
    name="Bakker Software B.V.", address="Stationsplein 1", postcode="3511 ED", city="Utrecht",
    kvk="87654321", vat_id="NL123456789B01", iban="NL20INGB0001234567", email="facturen@bakker.nl",
)
CONSUMER = model.Client(id="devries", name="M. de Vries", address="Kerkstraat 12",
                        postcode="3511 AB", city="Utrecht")
BUSINESS = model.Client(id="acme", name="Acme Holding B.V.", type=model.BUSINESS,
                        address="Laan van Meerdervoort 100", postcode="2517 AN", city="Den Haag")


def line(number: str, issued: date, due: date, amount: str, paid: str = "0.00") -> letter.InvoiceLine:
    return letter.InvoiceLine(number, issued, due, D(amount), D(paid), D(amount) - D(paid))


def make(kind: str, *, creditor=CREDITOR_VAT, client=CONSUMER, invoices=None, lang="nl",
         costs_owed=False, interest="0.00", interest_from=None, total_due=None, with_costs=None,
         registered_hint=False, qr=True, term_days=None, last_day=date(2026, 12, 10),
         letter_date=date(2026, 11, 24), via="post") -> letter.LetterData:
    """``with_costs``: the letter names the staffel over the open principal, as owed
    (``costs_owed``: announced by an earlier letter, in the table) or as announced by this one."""
    invoices = invoices or (line("2026-014", date(2026, 9, 1), date(2026, 10, 1), "244.00"),)
    principal = sum((i.open for i in invoices), D("0.00"))
    if with_costs is None:
        with_costs = kind != letter.REMINDER
    c = costs.compute(principal, vat=not creditor.vat_deductible, debtor=client.type) if with_costs else None
    costs_row = letter.AmountRow(c.costs_incl_vat, D("0.00"), c.costs_incl_vat, c.vat) if c and costs_owed else None
    interest_row = letter.AmountRow(D(interest), D("0.00"), D(interest)) if D(interest) > 0 else None
    if total_due is None:
        total_due = principal + (c.costs_incl_vat if costs_row else D(0)) + D(interest)
    if term_days is None:
        term_days = {letter.REMINDER: 14, letter.WIK: 14, letter.DEFAULT: 8}[kind]
    return letter.LetterData(
        kind=kind, lang=lang, creditor=creditor, client=client, letter_date=letter_date,
        reference=invoices[0].number, invoices=tuple(invoices), principal_open=principal,
        term_days=term_days, last_day=last_day, costs=None if costs_row else c, costs_row=costs_row,
        interest_row=interest_row, interest_from=interest_from or invoices[0].due + timedelta(days=1),
        total_due=total_due, registered_hint=registered_hint, place=creditor.city, signature="Anna Jansen",
        qr=qr, costs_due_from=last_day + timedelta(days=1), via=via,
    )


def pdf_bytes(data: letter.LetterData, dirs=None) -> bytes:
    from wikcli.documents import page

    text = letter.render_text(data, dirs or letter.template_dirs(None))
    return page.render(data, text)


def pdf_pages(blob: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so line breaks do not matter."""
    import pypdf

    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(blob)).pages]


def pdf_text(data: letter.LetterData, dirs=None) -> str:
    return " ".join(pdf_pages(pdf_bytes(data, dirs)))


def norm(s: str) -> str:
    return " ".join(s.split())

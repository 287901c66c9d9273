"""Render a sample letter of each kind and write page 1 as a PNG next to this script.

Run from the repository root: ``python docs/render_samples.py`` (needs pdftoppm, from
poppler-utils). The same sample data is used by the tests.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from wikcli import costs, letters, model, pdf

CREDITOR = model.Creditor(
    name="Studio Jansen Ontwerp",
    address="Prinsengracht 263",
    postcode="1016 GV",
    city="Amsterdam",
    kvk="12345678",
    vat_id="NL001234567B01",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    email="administratie@studiojansen.nl",
    phone="020 123 45 67",
    vat_deductible=False,
)
CLIENT = model.Client(
    id="devries",
    name="M. de Vries",
    type=model.CONSUMER,
    address="Kerkstraat 12",
    postcode="3511 AB",
    city="Utrecht",
)


def line(number, issued, due, amount, paid=D("0.00")):
    return letters.InvoiceLine(number, issued, due, amount, paid, amount - paid)


def sample(kind: str, lang: str = "nl") -> letters.LetterData:
    inv = line("2026-014", date(2026, 9, 1), date(2026, 10, 1), D("244.00"))
    c = costs.compute(D("244.00"), vat=True)
    common = dict(
        lang=lang, creditor=CREDITOR, client=CLIENT, reference="2026-014",
        place="Amsterdam", signature="Anna Jansen", qr=True, interest_from=None,
        interest=D("0.00"), registered_hint=False,
    )
    if kind == letters.REMINDER:
        invoices = (
            inv,
            line("2026-019", date(2026, 9, 20), date(2026, 10, 20), D("1210.00"), D("500.00")),
            line("2026-023", date(2026, 10, 15), date(2026, 11, 14), D("96.80")),
        )
        return letters.LetterData(
            kind=kind, letter_date=date(2026, 11, 24), invoices=invoices,
            principal_open=sum((i.open for i in invoices), D(0)), term_days=14,
            last_day=date(2026, 12, 10), costs=None, costs_owed=False,
            total_due=sum((i.open for i in invoices), D(0)), **common,
        )
    if kind == letters.WIK:
        return letters.LetterData(
            kind=kind, letter_date=date(2026, 11, 24), invoices=(inv,), principal_open=D("244.00"),
            term_days=14, last_day=date(2026, 12, 10), costs=c, costs_owed=False,
            total_due=D("244.00"), **common,
        )
    common.update(interest=D("1.98"), interest_from=date(2026, 10, 2), registered_hint=True)
    return letters.LetterData(
        kind=kind, letter_date=date(2026, 12, 14), invoices=(inv,), principal_open=D("244.00"),
        term_days=8, last_day=date(2026, 12, 24), costs=c, costs_owed=True,
        total_due=D("244.00") + c.costs_incl_vat + D("1.98"), **common,
    )


def render(data: letters.LetterData) -> bytes:
    text = letters.render_text(data, letters.template_dirs(None))
    return pdf.render(data, text)


def main() -> None:
    out_dir = Path(__file__).parent
    for kind in letters.KINDS:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{kind}.pdf"
            path.write_bytes(render(sample(kind)))
            target = out_dir / f"letter-{kind}"
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(target)], check=True)
            print(f"{target}.png")


if __name__ == "__main__":
    sys.exit(main())

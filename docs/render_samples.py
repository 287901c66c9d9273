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

from wikcli.ledger import claims, commands as decide, model, process
from wikcli.documents import letter as letters, page as pdf

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


class _Ev:
    def __init__(self, seq, type_, invoice, data):
        self.seq, self.type, self.invoice, self.data = seq, type_, invoice, data


def _ledger(events):
    return process.fold(_Ev(i + 1, *e) for i, e in enumerate(events))


def sample(kind: str, lang: str = "nl") -> letters.LetterData:
    """A letter of ``kind`` as the ledger makes it: invoices recorded through ``decide``, the
    letter's claim from ``claims`` (so every figure is one wik would print)."""
    config = model.Config(creditor=CREDITOR, letters=model.LetterSettings(place="Amsterdam", signature="Anna Jansen"))
    p, vat = config.policy, CREDITOR.vat_deductible
    today = date(2026, 12, 14)
    ev: list = []

    def do(fn, *args, **kw):
        ev.extend(fn(_ledger(ev), *args, **kw))

    def letter(numbers, k, day):
        ledger = _ledger(ev)
        claim = claims.compose(ledger, config, numbers, k, day, "post", today=today)
        return claim, ledger

    do(decide.add_client, CLIENT)
    do(decide.add_invoice, "2026-014", "devries", D("244.00"), date(2026, 9, 1), date(2026, 10, 1))
    do(decide.add_invoice, "2026-019", "devries", D("1210.00"), date(2026, 9, 20), date(2026, 10, 20))
    do(decide.pay, "2026-019", D("500.00"), date(2026, 10, 28), p, vat, today=today)
    if kind == letters.REMINDER:
        claim, _ = letter(["2026-014", "2026-019"], kind, date(2026, 11, 2))
    elif kind == letters.WIK:
        claim, _ = letter(["2026-014"], kind, date(2026, 11, 24))
    else:
        first, ledger = letter(["2026-014"], letters.WIK, date(2026, 11, 2))
        ev.extend(decide.sent(ledger, first))
        do(decide.pay, "2026-014", D("20.00"), date(2026, 12, 1), p, vat, today=today)
        claim, _ = letter(["2026-014"], kind, today)
    return letters.from_claim(claim, config, lang)


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

"""Commands around the process: import from accounting software, calendar export."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import Home


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv export or a UBL 2.1 .xml e-invoice.",
                                         show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added; add nothing.")] = False,
    type_: Annotated[str, typer.Option(
        "--type", metavar="consumer|business",
        help="Type of new clients when the file does not say (UBL buyers are businesses).")] = "consumer",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import invoices from a CSV file or a UBL e-invoice: all rows or none.

    CSV headers (Dutch or English, ; or , separated): factuurnummer/invoice number,
    factuurdatum/invoice date, bedrag/amount, klant/client (required); vervaldatum/due date,
    klantnummer/client id, soort/type, email, adres/address, postcode, plaats/city,
    land/country, omschrijving/description (optional).

    Example:

    \b
        wik import facturen.csv --dry-run
        wik import facturen.csv
    """
    from wikcli import decide, importer
    from wikcli.model import DEBTOR_TYPES

    if type_ not in DEBTOR_TYPES:
        raise decide.LedgerError(f"--type {type_!r} is unknown: expected consumer or business")
    try:
        data = file.read_bytes()
    except OSError as e:
        raise importer.ImportFileError(f"cannot read {file.name!r}: {e.strerror}") from None
    items = importer.parse(data, file.name)
    h = Home(home)
    if dry_run:  # what decide would append, as (type, invoice, data)
        added = decide.import_invoices(h.ledger(), items, h.policy, type_, file.name)
    else:
        recorded = h.record(lambda ledger: decide.import_invoices(ledger, items, h.policy, type_, file.name))
        added = [(e.type, e.invoice, e.data) for e in recorded]
    invoices = [(n, d) for t, n, d in added if t == "invoice-added"]
    clients = [d for t, n, d in added if t == "client-added"]
    if as_json:
        emit_json({"dry_run": dry_run,
                   "clients": [{"id": c["id"], "type": c["type"]} for c in clients],
                   "invoices": [{"invoice": n, "client": d["client"], "amount": d["amount"],
                                 "date": d["date"], "due": d["due"]} for n, d in invoices]})
        return
    from decimal import Decimal

    from wikcli.money import format_eur

    verb = "Would add" if dry_run else "Added"
    typer.echo(f"{verb} {len(invoices)} invoice(s) and {len(clients)} new client(s) from {file.name}:")
    for n, d in invoices:
        typer.echo(f"  {n}  {d['client']}  {format_eur(Decimal(d['amount']))}  dated {d['date']}, due {d['due']}")


@app.command()
def calendar(
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE.ics",
                                             help="Write here. Default: <home>/wik.ics.")] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
) -> None:
    """Every open action's due date and every running letter term's last day as an
    iCalendar file; re-importing it updates the events instead of adding new ones.

    Example:

    \b
        wik calendar --out wik.ics
    """
    from wikcli import agenda, ics

    h = Home(home)
    day = resolve_today(today)
    items = agenda.items(h.ledger(), h.policy, h.vat_deductible, day)
    data = ics.build(items, datetime.now(timezone.utc).replace(microsecond=0))
    target = out or h.path / "wik.ics"
    from wikcli import journal

    journal.write_private(target, data)
    typer.echo(f"Wrote {len(items)} event(s) to {target}")

"""Commands around the process: import from accounting software, calendar export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import open_home
from wikcli.i18n import _, ngettext


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A .csv export or a UBL .xml e-invoice."),
                                         show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would be added; add nothing."))] = False,
    type_: Annotated[str | None, typer.Option(
        "--type", metavar="consumer|business",
        help=_("Type of new clients where the file does not say. Default: consumer for a CSV row, "
             "business for a UBL buyer."), show_default=False)] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import invoices from a CSV file or a UBL e-invoice: all rows or none.

    CSV headers (Dutch or English, ; or , separated): factuurnummer/invoice number,
    factuurdatum/invoice date, bedrag/amount, klant/client (required); vervaldatum/due date,
    klantnummer/client id, soort/type, email, adres/address, postcode, plaats/city,
    land/country, omschrijving/description (optional).

    Invoices already in the ledger with the same data are skipped, so an export can be
    imported again; one with other data refuses the file. Clients are matched by id where
    the name agrees, else by name, else added.

    Example:

    \b
        wik import wik-demo/facturen.csv --dry-run
        wik import wik-demo/facturen.csv
    """
    from wikcli.ledger import commands
    from wikcli.cli.common import warn
    from wikcli.ledger.model import DEBTOR_TYPES
    from wikcli.services import invoices

    if type_ is not None and type_ not in DEBTOR_TYPES:
        raise commands.LedgerError(_("--type {type!r} is unknown: expected consumer or business").format(type=type_))
    items = invoices.read(file)
    h = open_home(home)
    plan = invoices.import_file(h, items, file.name, type_, dry_run=dry_run)
    added = {n: d for t, n, d in plan.events if t == "invoice-added"}
    clients = [d for t, n, d in plan.events if t == "client-added"]
    warn(plan.warnings)
    if as_json:
        rows = []
        for i in plan.invoices:
            d = added[i["invoice"]]
            rows.append({"invoice": i["invoice"], "client": i["client"], "amount": d["amount"], "date": d["date"],
                         "due": d["due"], "line": i["line"], "client_match": i["client_match"],
                         "due_from": i["due_from"]})
        emit_json({"dry_run": dry_run,
                   "clients": [{"id": c["id"], "type": c["type"], "name": c["name"],
                                "external_id": c.get("external_id", "")} for c in clients],
                   "invoices": rows, "skipped": plan.skipped, "warnings": list(dict.fromkeys(plan.warnings))})
        return
    from decimal import Decimal

    from wikcli.rules.money import format_eur

    skipped = _("; {count} already in the ledger, skipped").format(count=len(plan.skipped)) if plan.skipped else ""
    line = (_("Would add {invoices} and {clients} from {name}{skipped}:") if dry_run
            else _("Added {invoices} and {clients} from {name}{skipped}:"))
    n, m = len(plan.invoices), len(clients)
    typer.echo(line.format(invoices=ngettext("{count} invoice(s)", "{count} invoice(s)", n).format(count=n),
                           clients=ngettext("{count} new client(s)", "{count} new client(s)", m).format(count=m),
                           name=file.name, skipped=skipped))
    how = {"id": _("by id"), "name": _("by name"), "new": _("new client")}
    days = h.policy.payment_term_days
    for i in plan.invoices:
        d = added[i["invoice"]]
        due = {"file": "",
               "policy": " " + ngettext("(policy term of {days} days)", "(policy term of {days} days)", days).format(
                   days=days),
               "payment-terms": " " + _("(term from the invoice: {text})").format(text=repr(i['term_text'][:60]))
               }[i["due_from"]]
        typer.echo(_("  {value}  {value2} ({value3})  {amount}  dated {value4}, due {value5}{due}").format(value=i['invoice'], value2=i['client'], value3=how[i['client_match']], amount=format_eur(Decimal(d['amount'])), value4=d['date'], value5=d['due'], due=due))
    for s in plan.skipped:
        typer.echo(_("  {value}  {value2}  skipped: already in the ledger with the same data").format(value=s['invoice'], value2=s['client']))


@app.command()
def calendar(
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE.ics",
                                             help=_("Write here. Default: <home>/wik.ics."))] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
) -> None:
    """Every open action's due date and every running letter term's last day as an
    iCalendar file; re-importing it updates the events instead of adding new ones.

    Example:

    \b
        wik calendar --out wik.ics
    """
    from wikcli.services import agenda

    made = agenda.write(open_home(home), resolve_today(today), out)
    typer.echo(ngettext("Wrote {count} event(s) to {target}", "Wrote {count} event(s) to {target}",
                        made.events).format(count=made.events, target=made.path))

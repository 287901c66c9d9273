"""``wik client``: add, list and show your clients (debtors)."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today)
from wikcli.cli.home import Home, done

client_app = typer.Typer(help="Your clients (debtors): add, list, show.", no_args_is_help=True)
app.add_typer(client_app, name="client")

@client_app.command("add")
def client_add(
    client_id: Annotated[str, typer.Argument(metavar="ID", help="A short id you choose, e.g. bakker.",
                                             show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Name of the person or business.")],
    type_: Annotated[str, typer.Option("--type", metavar="consumer|business",
                                       help="consumer (WIK-letter mandatory) or business.")] = "consumer",
    address: Annotated[str, typer.Option("--address", help="Street and number.")] = "",
    postcode: Annotated[str, typer.Option(
        "--postcode", help="Postcode; a Dutch one is written 1234 AB whatever way it is typed.")] = "",
    city: Annotated[str, typer.Option("--city")] = "",
    country: Annotated[str, typer.Option(
        "--country", help="Country code or name: NL, Nederland, Netherlands, BE, België ...")] = "NL",
    email: Annotated[str, typer.Option("--email", help="E-mail address (for letters sent by e-mail).")] = "",
    lang: Annotated[str, typer.Option("--lang", metavar="nl|en", help="Language of the letters.")] = "nl",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a client (debtor).

    Example:

    \b
        wik client add bakker --name "Bakkerij Bakker" --type business --postcode 1234ab --email ad@bakker.nl
    """
    from wikcli import addresses, decide
    from wikcli.model import Client

    code = addresses.country(country)
    postcode = addresses.postcode(postcode, code)
    email = addresses.email(email)
    h = Home(home)
    c = Client(id=client_id, name=name, type=type_, address=address, postcode=postcode, city=city,
               country=code, email=email, lang=lang)
    events = h.record(lambda ledger: decide.add_client(ledger, c))
    done(as_json, events, f"Added client {client_id} ({type_}).")


def _client_json(c, forgotten) -> dict:
    d = dict(c.__dict__)
    d["forgotten"] = forgotten
    return d


@client_app.command("list")
def client_list(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """List your clients.

    Example:

    \b
        wik client list --json
    """
    ledger = Home(home).ledger()
    clients = sorted(ledger.clients.values(), key=lambda c: c.id)
    if as_json:
        emit_json([_client_json(c, c.id in ledger.forgotten) for c in clients])
        return
    from rich.table import Table

    from wikcli.cli.common import console

    t = Table()
    for col in ("Id", "Name", "Type", "City", "E-mail"):
        t.add_column(col)
    for c in clients:
        t.add_row(c.id, c.name, c.type, c.city, c.email)
    console().print(t)


@client_app.command("show")
def client_show(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A client's details and invoices.

    Example:

    \b
        wik client show jansen
    """
    from wikcli import process
    from wikcli.decide import LedgerError

    h = Home(home)
    ledger = h.ledger()
    c = ledger.clients.get(client_id)
    if c is None:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: see `wik client list`")
    day = resolve_today(today)
    rows = [process.assess(inv, c, h.policy, h.vat_deductible, max(day, inv.date))
            for inv in ledger.invoices.values() if inv.client == client_id]
    if as_json:
        d = _client_json(c, client_id in ledger.forgotten)
        d["invoices"] = [r.to_json() | {"closed": r.closed} for r in rows]
        emit_json(d)
        return
    from wikcli.money import format_eur

    typer.echo(f"{c.id}: {c.name} ({c.type})")
    for line in (c.address, f"{c.postcode} {c.city}".strip(), c.email):
        if line:
            typer.echo(f"  {line}")
    for r in rows:
        state = f"closed ({r.closed})" if r.closed else f"open {format_eur(r.standing.total_due)}"
        typer.echo(f"  invoice {r.invoice}: {state}, step {r.step} {r.step_name}")


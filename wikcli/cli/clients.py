"""``wik client``: add, list and show your clients (debtors)."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today)
from wikcli.cli.home import AgreedCostsOpt, AgreedInterestOpt, ClauseOpt, Home, agreed_terms, done

client_app = typer.Typer(help="Your clients (debtors): add, list, show.", no_args_is_help=True,
                       epilog="Example:\n\n\b\n    wik client list\n    wik client show jansen\n")
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
    allow_duplicate_name: Annotated[bool, typer.Option(
        "--allow-duplicate-name", help="Add it even though a client of this name exists (another person).")] = False,
    agreed_interest: AgreedInterestOpt = None,
    agreed_costs: AgreedCostsOpt = None,
    clause: ClauseOpt = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help="The invoice date from which the agreed terms apply. Default: today.")] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a client (debtor). Ids compare without regard to case; a second client with the
    same name (case and spacing ignored) needs --allow-duplicate-name. A business client's
    agreed interest and collection costs (its general terms) replace the statutory ones for
    its invoices dated from --from on (default today); see `wik client terms`.

    Example:

    \b
        wik client add bakker --name "Bakkerij Bakker" --type business --postcode 1234ab --email ad@bakker.nl
        wik client add acme --name "Acme B.V." --type business --agreed-costs "15%, min 150" --from 2026-01-01
    """
    from wikcli.rules import addresses
    from wikcli.ledger import client_commands as decide
    from wikcli.ledger.commands import LedgerError
    from wikcli.cli.common import parse_date
    from wikcli.ledger.model import Client

    interest, costs = agreed_terms(agreed_interest, agreed_costs, allow_none=False)
    day = resolve_today(today)
    if from_ is not None and interest is decide.KEEP and costs is decide.KEEP:
        raise LedgerError(f"--from {from_[:40]!r} dates agreed terms: give --agreed-interest and/or "
                                 "--agreed-costs with it")
    start = parse_date(from_, "--from") if from_ else day
    h = Home(home)
    code = addresses.country(country)
    postcode = addresses.postcode(postcode, code)
    email = addresses.email(email)
    c = Client(id=client_id, name=name, type=type_, address=address, postcode=postcode, city=city,
               country=code, email=email, lang=lang)

    def build(ledger):
        events = decide.add_client(ledger, c, allow_duplicate_name=allow_duplicate_name)
        if interest is not decide.KEEP or costs is not decide.KEEP:
            events += decide.agree_terms(ledger, day, new_client=c, interest=interest, costs=costs,
                                         clause=clause, start=start)
        return events

    events = h.record(build)
    done(as_json, events, f"Added client {client_id} ({type_})"
         + (" with agreed terms." if len(events) > 1 else "."))


@client_app.command("address")
def client_address(
    client_id: Annotated[str, typer.Argument(metavar="ID", help="The client's id.", show_default=False)],
    address: Annotated[str, typer.Option("--address", help="Street and number.")],
    city: Annotated[str, typer.Option("--city")],
    postcode: Annotated[str, typer.Option(
        "--postcode", help="Postcode; a Dutch one is written 1234 AB whatever way it is typed.")] = "",
    country: Annotated[str, typer.Option(
        "--country", help="Country code or name: NL, Nederland, Netherlands, BE, België ...")] = "NL",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a client's postal address, or change it after a move: letters by post go there
    from now on; a letter already sent keeps the address it had.

    Example:

    \b
        wik client address visser --address "Havenstraat 9" --postcode 8861bk --city Harlingen
    """
    from wikcli.rules import addresses
    from wikcli.ledger import client_commands as decide

    day = resolve_today(today)
    h = Home(home)
    code = addresses.country(country)
    postcode = addresses.postcode(postcode, code)
    events = h.record(lambda ledger: decide.set_address(ledger, client_id, address, postcode, city, code, day))
    cid = events[0][2]["id"] if isinstance(events[0], tuple) else events[0].data["id"]
    done(as_json, events, f"Recorded the address of client {cid}.")


@client_app.command("terms")
def client_terms(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    agreed_interest: AgreedInterestOpt = None,
    agreed_costs: AgreedCostsOpt = None,
    clause: ClauseOpt = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help="The invoice date from which the terms apply. Default: today.")] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record what a business client agreed: interest and collection costs of its general
    terms, for its invoices dated from --from on. What is not given stays as it was; "none"
    ends it. Consumers are refused: the staffel and the statutory interest are mandatory.

    Example:

    \b
        wik client terms techniek --agreed-interest "wettelijke handelsrente + 2%" --from 2026-01-01
        wik client terms techniek --agreed-costs "15%, min 150" --clause "artikel 8 van onze algemene voorwaarden"
    """
    from wikcli.ledger import client_commands as decide
    from wikcli.cli.common import parse_date

    interest, costs = agreed_terms(agreed_interest, agreed_costs)
    day = resolve_today(today)
    start = parse_date(from_, "--from") if from_ else day
    h = Home(home)
    events = h.record(lambda ledger: decide.agree_terms(ledger, day, client_id=client_id, start=start,
                                                        interest=interest, costs=costs, clause=clause))
    done(as_json, events, f"Recorded the terms of client {events[0].data['client']} from {start.isoformat()}.")


def _client_json(c, forgotten, terms=()) -> dict:
    d = dict(c.__dict__)
    d["forgotten"] = forgotten
    d["terms"] = [dict(t.to_json(), recorded=day.isoformat()) for day, t in terms]
    return d


@client_app.command("email")
def client_email(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    source: Annotated[str, typer.Option(
        "--source", metavar="TEXT",
        help="Where the client gave the address: a quote, an order, the terms, with its reference.")],
    given: Annotated[str | None, typer.Option(
        "--given", metavar="DATE", help="The day the client gave the address.")] = None,
    letters_agreed: Annotated[bool, typer.Option(
        "--letters-agreed/--no-letters-agreed",
        help="The client agreed to receive letters (WIK-letter, notice of default) by e-mail.")] = False,
    email: Annotated[str, typer.Option("--email", help="Replace the address with this one.")] = "",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record where a client's e-mail address came from and whether the client agreed to
    receive letters by e-mail. A consumer's WIK-letter or notice of default goes by e-mail
    only with that agreement recorded.

    Example:

    \b
        wik client email jansen --source "offerte 2026-031" --given 2026-01-05 --letters-agreed
    """
    from wikcli.rules import addresses
    from wikcli.ledger import client_commands as decide
    from wikcli.cli.common import parse_date

    day = resolve_today(today)
    given_day = parse_date(given, "--given") if given else None
    address = addresses.email(email) if email else ""
    h = Home(home)
    events = h.record(lambda ledger: decide.client_email(ledger, client_id, day, source=source, given=given_day,
                                                         letters=letters_agreed, email=address))
    d = events[0].data
    done(as_json, events, f"Recorded the e-mail address of client {d['id']}: from {d['source']}"
         + (f" of {d['given']}" if d["given"] else "")
         + ("; letters by e-mail agreed." if d["letters"] else "; letters by e-mail not agreed."))


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
        emit_json([_client_json(c, c.id in ledger.forgotten, ledger.terms.get(c.id, ())) for c in clients])
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
    from wikcli.ledger import process
    from wikcli.ledger.commands import LedgerError, find_client

    h = Home(home)
    ledger = h.ledger()
    c = find_client(ledger, client_id)
    if c is None:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: see `wik client list`")
    client_id = c.id
    day = resolve_today(today)
    rows = [process.assess(inv, c, h.policy, h.vat_deductible, max(day, inv.date))
            for inv in ledger.invoices.values() if inv.client == client_id]
    from wikcli.ledger import client_account as account

    acc = account.account(ledger, client_id, h.policy, h.vat_deductible, day)
    if as_json:
        d = _client_json(c, c.id in ledger.forgotten, ledger.terms.get(c.id, ()))
        d["invoices"] = [r.to_json() | {"closed": r.closed} for r in rows]
        d["account"] = acc.to_json()
        emit_json(d)
        return
    from wikcli.rules.money import format_eur

    typer.echo(f"{c.id}: {c.name} ({c.type})")
    for line in (c.address, f"{c.postcode} {c.city}".strip(), c.email,
                 f"id in the imported file: {c.external_id}" if c.external_id else ""):
        if line:
            typer.echo(f"  {line}")
    for recorded, terms in ledger.terms.get(c.id, ()):
        if recorded > day:
            continue
        agreed = [x for x in (f"interest {terms.interest.text}" if terms.interest else "",
                              f"collection costs {terms.costs.text}" if terms.costs else "") if x]
        where = f" ({terms.clause})" if terms.clause else ""
        typer.echo(f"  terms for invoices from {terms.start.isoformat()}: "
                   + (", ".join(agreed) or "statutory again") + where)
    for r in rows:
        state = f"closed ({r.closed})" if r.closed else f"open {format_eur(r.standing.total_due)}"
        typer.echo(f"  invoice {r.invoice}: {state}, step {r.step} {r.step_name}")
    if acc.credit > 0:
        typer.echo(f"  credit {format_eur(acc.credit)} (paid too much, not set off): `wik credit apply {c.id}`")


"""``wik client``: add, list and show your clients (debtors)."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today)
from wikcli.cli.home import AgreedCostsOpt, AgreedInterestOpt, ClauseOpt, agreed_terms, done, open_home
from wikcli.i18n import _

client_app = typer.Typer(help=_("Your clients (debtors): add, list, show."), no_args_is_help=True,
                       epilog=_("Example:\n\n\b\n    wik client list\n    wik client show jansen\n"))
app.add_typer(client_app, name="client")

@client_app.command("add")
def client_add(
    client_id: Annotated[str, typer.Argument(metavar="ID", help=_("A short id you choose, e.g. bakker."),
                                             show_default=False)],
    name: Annotated[str, typer.Option("--name", help=_("Name of the person or business."))],
    type_: Annotated[str, typer.Option("--type", metavar="consumer|business",
                                       help=_("consumer (WIK-letter mandatory) or business."))] = "consumer",
    address: Annotated[str, typer.Option("--address", help=_("Street and number."))] = "",
    postcode: Annotated[str, typer.Option(
        "--postcode", help=_("Postcode; a Dutch one is written 1234 AB whatever way it is typed."))] = "",
    city: Annotated[str, typer.Option("--city")] = "",
    country: Annotated[str, typer.Option(
        "--country", help=_("Country code or name: NL, Nederland, Netherlands, BE, België ..."))] = "NL",
    email: Annotated[str, typer.Option("--email", help=_("E-mail address (for letters sent by e-mail)."))] = "",
    lang: Annotated[str, typer.Option("--lang", metavar="nl|en", help=_("Language of the letters."))] = "nl",
    allow_duplicate_name: Annotated[bool, typer.Option(
        "--allow-duplicate-name", help=_("Add it even though a client of this name exists (another person)."))] = False,
    agreed_interest: AgreedInterestOpt = None,
    agreed_costs: AgreedCostsOpt = None,
    clause: ClauseOpt = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help=_("The invoice date from which the agreed terms apply. Default: today."))] = None,
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
    from wikcli.ledger import client_commands
    from wikcli.ledger.commands import LedgerError
    from wikcli.cli.common import parse_date
    from wikcli.ledger.model import Client
    from wikcli.services import clients

    interest, costs = agreed_terms(agreed_interest, agreed_costs, allow_none=False)
    day = resolve_today(today)
    if from_ is not None and interest is client_commands.KEEP and costs is client_commands.KEEP:
        raise LedgerError(_("--from {value!r} dates agreed terms: give --agreed-interest and/or --agreed-costs with " "it").format(value=from_[:40]))
    start = parse_date(from_, "--from") if from_ else day
    h = open_home(home)
    code = addresses.country(country)
    postcode = addresses.postcode(postcode, code)
    email = addresses.email(email)
    c = Client(id=client_id, name=name, type=type_, address=address, postcode=postcode, city=city,
               country=code, email=email, lang=lang)
    events = clients.add(h, c, day, allow_duplicate_name=allow_duplicate_name, interest=interest, costs=costs,
                         clause=clause, start=start)
    done(as_json, events, (_("Added client {id} ({type}) with agreed terms.") if len(events) > 1
                           else _("Added client {id} ({type}).")).format(id=client_id, type=_(type_)))


@client_app.command("address")
def client_address(
    client_id: Annotated[str, typer.Argument(metavar="ID", help=_("The client's id."), show_default=False)],
    address: Annotated[str, typer.Option("--address", help=_("Street and number."))],
    city: Annotated[str, typer.Option("--city")],
    postcode: Annotated[str, typer.Option(
        "--postcode", help=_("Postcode; a Dutch one is written 1234 AB whatever way it is typed."))] = "",
    country: Annotated[str, typer.Option(
        "--country", help=_("Country code or name: NL, Nederland, Netherlands, BE, België ..."))] = "NL",
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
    from wikcli.ledger.events import ClientAddressData
    from wikcli.rules import addresses
    from wikcli.services import clients

    day = resolve_today(today)
    h = open_home(home)
    code = addresses.country(country)
    postcode = addresses.postcode(postcode, code)
    events = clients.address(h, client_id, address, postcode, city, code, day)
    recorded = ClientAddressData.load(events[0].data)
    done(as_json, events, _("Recorded the address of client {cid}.").format(cid=recorded.id))


@client_app.command("terms")
def client_terms(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    agreed_interest: AgreedInterestOpt = None,
    agreed_costs: AgreedCostsOpt = None,
    clause: ClauseOpt = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help=_("The invoice date from which the terms apply. Default: today."))] = None,
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
    from wikcli.cli.common import parse_date
    from wikcli.ledger.events import TermsAgreedData
    from wikcli.services import clients

    interest, costs = agreed_terms(agreed_interest, agreed_costs)
    day = resolve_today(today)
    start = parse_date(from_, "--from") if from_ else day
    h = open_home(home)
    events = clients.terms(h, client_id, day, start=start, interest=interest, costs=costs, clause=clause)
    recorded = TermsAgreedData.load(events[0].data)
    done(as_json, events, _("Recorded the terms of client {value} from {start}.").format(value=recorded.client, start=start.isoformat()))


@client_app.command("email")
def client_email(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    source: Annotated[str, typer.Option(
        "--source", metavar="TEXT",
        help=_("Where the client gave the address: a quote, an order, the terms, with its reference."))],
    given: Annotated[str | None, typer.Option(
        "--given", metavar="DATE", help=_("The day the client gave the address."))] = None,
    letters_agreed: Annotated[bool, typer.Option(
        "--letters-agreed/--no-letters-agreed",
        help=_("The client agreed to receive letters (WIK-letter, notice of default) by e-mail."))] = False,
    email: Annotated[str, typer.Option("--email", help=_("Replace the address with this one."))] = "",
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
    from wikcli.cli.common import parse_date
    from wikcli.ledger.events import ClientEmailData
    from wikcli.services import clients

    day = resolve_today(today)
    given_day = parse_date(given, "--given") if given else None
    address = addresses.email(email) if email else ""
    h = open_home(home)
    events = clients.email(h, client_id, day, source=source, given=given_day, letters=letters_agreed,
                           replace=address)
    d = ClientEmailData.load(events[0].data)
    done(as_json, events, _("Recorded the e-mail address of client {id}: from {source}").format(
        id=d.id, source=d.source)
         + (_(" of {day}").format(day=d.given) if d.given else "")
         + (_("; letters by e-mail agreed.") if d.letters else _("; letters by e-mail not agreed.")))


@client_app.command("list")
def client_list(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """List your clients.

    Example:

    \b
        wik client list --json
    """
    from wikcli.services import clients

    entries = clients.listing(open_home(home))
    if as_json:
        emit_json([x.to_json() for x in entries])
        return
    from rich.table import Table

    from wikcli.cli.common import console

    t = Table()
    for col in ("Id", "Name", "Type", "City", "E-mail"):
        t.add_column(col)
    for x in entries:
        c = x.client
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
    from wikcli.cli.common import shown
    from wikcli.rules.money import format_eur
    from wikcli.services import clients

    h = open_home(home)
    made = clients.show(h, client_id, resolve_today(today))
    if as_json:
        emit_json(made.to_json())
        return
    c, day = made.entry.client, made.day
    typer.echo(f"{c.id}: {c.name} ({_(c.type)})")
    for line in (c.address, f"{c.postcode} {c.city}".strip(), c.email,
                 _("id in the imported file: {id}").format(id=c.external_id) if c.external_id else ""):
        if line:
            typer.echo(f"  {line}")
    for recorded, terms in made.entry.terms:
        if recorded > day:
            continue
        agreed = [x for x in (_("interest {terms}").format(terms=terms.interest.text) if terms.interest else "",
                              _("collection costs {terms}").format(terms=terms.costs.text) if terms.costs else "")
                  if x]
        where = f" ({terms.clause})" if terms.clause else ""
        typer.echo(_("  terms for invoices from {day}: ").format(day=terms.start.isoformat())
                   + (", ".join(agreed) or _("statutory again")) + where)
    for r in made.invoices:
        state = (_("closed ({reason})").format(reason=shown(r.closed)) if r.closed
                 else _("open {amount}").format(amount=format_eur(r.standing.total_due)))
        typer.echo(_("  invoice {invoice}: {state}, step {step} {step_name}").format(
            invoice=r.invoice, state=state, step=r.step, step_name=shown(r.step_name)))
    if made.account.credit > 0:
        typer.echo(_("  credit {amount} (paid too much, not set off): `wik credit apply {id}`").format(amount=format_eur(made.account.credit), id=c.id))

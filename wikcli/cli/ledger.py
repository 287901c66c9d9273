"""The ledger commands: clients, invoices, payments, notes, plans, letters sent, status, check.

Each write opens a journal transaction (locked), folds the events into the current state,
asks ``decide`` for the new events and appends them; a refusal writes nothing. Reads fold
the journal and print what ``process`` derives.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Callable

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json, emit_json_rows, parse_date,
                               resolve_today)

client_app = typer.Typer(help="Your clients (debtors): add, list, show.", no_args_is_help=True)
invoice_app = typer.Typer(help="Your invoices: add, list, show.", no_args_is_help=True)
app.add_typer(client_app, name="client")
app.add_typer(invoice_app, name="invoice")

DateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="DATE", help="The day it happened (YYYY-MM-DD). Default: today.")]
NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="The invoice number.",
                                          show_default=False)]


class Home:
    """An opened wik home: config, journal and the paths derived from it."""

    def __init__(self, home_opt: str | None):
        import os

        from wikcli import config, journal

        self.path: Path = config.resolve_home(home_opt, os.environ)
        self.config = config.load(self.path)
        self.journal = journal.Journal(self.path)

    @property
    def policy(self):
        return self.config.policy

    @property
    def vat_deductible(self) -> bool:
        return self.config.creditor.vat_deductible

    def ledger(self):
        from wikcli import process

        return process.fold(self.journal.events())

    def record(self, build: Callable) -> list:
        """Append the events ``build(ledger)`` returns, under the journal's lock."""
        from wikcli import process

        with self.journal.transaction(datetime.now(timezone.utc)) as tx:
            ledger = process.fold(tx.events)
            return [tx.append(*ev) for ev in build(ledger)]


def _day(value: str | None, today: str | None, what: str = "--date") -> date:
    return parse_date(value, what) if value else resolve_today(today)


def _done(as_json: bool, events: list, message: str) -> None:
    if as_json:
        emit_json([{"seq": e.seq, "at": e.at, "type": e.type, "invoice": e.invoice, "data": e.data}
                   for e in events])
    else:
        typer.echo(message)


# --- clients -----------------------------------------------------------------------------


@client_app.command("add")
def client_add(
    client_id: Annotated[str, typer.Argument(metavar="ID", help="A short id you choose, e.g. bakker.",
                                             show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Name of the person or business.")],
    type_: Annotated[str, typer.Option("--type", metavar="consumer|business",
                                       help="consumer (WIK-letter mandatory) or business.")] = "consumer",
    address: Annotated[str, typer.Option("--address", help="Street and number.")] = "",
    postcode: Annotated[str, typer.Option("--postcode")] = "",
    city: Annotated[str, typer.Option("--city")] = "",
    country: Annotated[str, typer.Option("--country", help="ISO country code.")] = "NL",
    email: Annotated[str, typer.Option("--email")] = "",
    lang: Annotated[str, typer.Option("--lang", metavar="nl|en", help="Language of the letters.")] = "nl",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a client (debtor)."""
    from wikcli import decide
    from wikcli.model import Client

    h = Home(home)
    c = Client(id=client_id, name=name, type=type_, address=address, postcode=postcode, city=city,
               country=country.upper(), email=email, lang=lang)
    events = h.record(lambda ledger: decide.add_client(ledger, c))
    _done(as_json, events, f"Added client {client_id} ({type_}).")


def _client_json(c, forgotten) -> dict:
    d = dict(c.__dict__)
    d["forgotten"] = forgotten
    return d


@client_app.command("list")
def client_list(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """List your clients."""
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
    """A client's details and invoices."""
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


# --- invoices ----------------------------------------------------------------------------


@invoice_app.command("add")
def invoice_add(
    number: NumberArg,
    client: Annotated[str, typer.Option("--client", metavar="ID", help="The client's id.")],
    amount: Annotated[str, typer.Option("--amount", metavar="AMOUNT",
                                        help="Invoice total incl. VAT: 244, 244,50, 1.234,56.")],
    date_: Annotated[str, typer.Option("--date", metavar="DATE", help="Invoice date (YYYY-MM-DD).")],
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Due date (YYYY-MM-DD).")] = None,
    term: Annotated[int | None, typer.Option(
        "--term", metavar="DAYS", help="Payment term in days (default: policy, 30).")] = None,
    description: Annotated[str, typer.Option("--description", help="What the invoice is for.")] = "",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an invoice (step 1)."""
    from wikcli import decide
    from wikcli.money import parse_amount

    value = parse_amount(amount, what="--amount")
    day = parse_date(date_, "--date")
    due_day = parse_date(due, "--due") if due else None
    h = Home(home)
    due_at = decide.invoice_due(day, due_day, term, h.policy)
    events = h.record(lambda ledger: decide.add_invoice(ledger, number, client, value, day, due_at,
                                                        description))
    _done(as_json, events, f"Added invoice {number}, due {due_at.isoformat()}.")


@invoice_app.command("list")
def invoice_list(
    all_: Annotated[bool, typer.Option("--all", help="Include closed invoices.")] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List invoices (open ones unless --all)."""
    from wikcli import process

    h = Home(home)
    day = resolve_today(today)
    ledger = h.ledger()
    rows = process.assess_all(ledger, h.policy, h.vat_deductible, day, include_closed=all_)
    rows.sort(key=lambda a: a.invoice)
    if as_json:
        emit_json([_invoice_row(ledger.invoices[a.invoice], a) for a in rows])
        return
    from rich.table import Table

    from wikcli.cli.common import console
    from wikcli.money import format_eur

    t = Table()
    for col, j in (("Invoice", "left"), ("Client", "left"), ("Date", "left"), ("Due", "left"),
                   ("Amount", "right"), ("Open", "right"), ("State", "left")):
        t.add_column(col, justify=j)
    for a in rows:
        inv = ledger.invoices[a.invoice]
        t.add_row(a.invoice, a.client, inv.date.isoformat(), inv.due.isoformat(),
                  format_eur(inv.amount), format_eur(a.standing.principal_open),
                  f"closed: {a.closed}" if a.closed else a.step_name)
    console().print(t)


def _invoice_row(inv, a) -> dict:
    from wikcli.money import to_str

    return {"invoice": inv.number, "client": inv.client, "date": inv.date.isoformat(),
            "due": inv.due.isoformat(), "amount": to_str(inv.amount),
            "principal_open": to_str(a.standing.principal_open), "step": a.step,
            "step_name": a.step_name, "closed": a.closed}


@invoice_app.command("show")
def invoice_show(number: NumberArg, home: HomeOpt = None, today: TodayOpt = None,
                 as_json: JsonOpt = False) -> None:
    """An invoice's whole timeline and what is owed today."""
    from wikcli import process
    from wikcli.decide import LedgerError
    from wikcli.money import format_eur, to_str

    h = Home(home)
    ledger = h.ledger()
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    day = max(resolve_today(today), inv.date)
    a = process.assess(inv, ledger.clients[inv.client], h.policy, h.vat_deductible, day)
    s = a.standing
    from wikcli.cli.common import warn

    warn(s.warnings)
    if as_json:
        d = a.to_json()
        d.update({
            "date": inv.date.isoformat(), "due": inv.due.isoformat(), "description": inv.description,
            "paid": to_str(s.paid), "costs_due_from": s.costs_due_from.isoformat() if s.costs_due_from else None,
            "credit": to_str(s.credit), "closed": a.closed, "paused": a.paused,
            "timeline": [{"seq": e.seq, "at": e.at, "type": e.type, "data": e.data} for e in inv.events],
        })
        emit_json(d)
        return
    out = [f"Invoice {inv.number} for {inv.client} ({a.debtor}), dated {inv.date.isoformat()}, "
           f"due {inv.due.isoformat()}: {format_eur(inv.amount)}"]
    if inv.description:
        out.append(f"  {inv.description}")
    out.append("Timeline:")
    for e in inv.events:
        out.append(f"  {e.data.get('date', '')}  {e.type:<16} {_describe(e)}")
    out.append(f"Owed on {day.isoformat()}:")
    out.append(f"  principal open   {format_eur(s.principal_open):>14}")
    costs_note = "owed" if s.costs_owed else (
        f"owed from {s.costs_due_from.isoformat()}" if s.costs_due_from else "not owed yet")
    out.append(f"  collection costs {format_eur(s.costs_open if s.costs_owed else s.costs):>14}  ({costs_note})")
    out.append(f"  interest         {format_eur(s.interest):>14}  ({s.interest_kind})")
    out.append(f"  total due        {format_eur(s.total_due):>14}")
    if s.credit:
        out.append(f"  credit           {format_eur(s.credit):>14}")
    state = f"closed ({a.closed})" if a.closed else f"step {a.step} {a.step_name}"
    out.append(f"State: {state}; next action: {a.next_action}"
               + (f", due {a.action_due.isoformat()}" if a.action_due else ""))
    typer.echo("\n".join(out))


def _describe(e) -> str:
    """One line of an invoice's timeline: what the event says, in the user's notation."""
    from decimal import Decimal

    from wikcli import process
    from wikcli.money import format_eur

    d = e.data
    if e.type == process.INVOICE_ADDED:
        return f"{format_eur(Decimal(d['amount']))} due {d['due']}"
    if e.type == process.PAYMENT:
        return format_eur(Decimal(d["amount"]))
    if e.type == process.NOTE:
        return d.get("text", "") + (f" (promise: {d['promise']})" if d.get("promise") else "")
    if e.type in (process.LETTER_SENT, process.LETTER_RENDERED):
        return f"{d['kind']}" + (f" via {d['via']}" if d.get("via") else "") + (
            f" {d['file']}" if d.get("file") else "")
    if e.type == process.PLAN:
        return f"{len(d['installments'])} installments from {d['installments'][0]['due']}"
    return d.get("reason", "")


# --- events on an invoice ----------------------------------------------------------------


@app.command(context_settings={"ignore_unknown_options": True})
def pay(
    number: NumberArg,
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help="The amount paid.", show_default=False)],
    date_: DateOpt = None,
    allow_overpayment: Annotated[bool, typer.Option(
        "--allow-overpayment", help="Record more than is due; the rest shows as credit.")] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a (partial) payment. Before costs are owed it lowers the principal; after, it
    pays costs, then interest, then principal (art. 6:44 BW)."""
    from wikcli import decide
    from wikcli.money import format_eur, parse_amount

    value = parse_amount(amount)
    day = _day(date_, today)
    h = Home(home)
    events = h.record(lambda ledger: decide.pay(ledger, number, value, day, h.policy, h.vat_deductible,
                                                allow_overpayment=allow_overpayment))
    _done(as_json, events, f"Recorded payment of {format_eur(value)} on invoice {number}.")


@app.command()
def note(
    number: NumberArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What was said.", show_default=False)],
    promise: Annotated[str | None, typer.Option(
        "--promise", metavar="DATE", help="The date the client promised to pay by.")] = None,
    date_: DateOpt = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a call note (step 3), optionally with a promise to pay."""
    from wikcli import decide

    day = _day(date_, today)
    promise_day = parse_date(promise, "--promise") if promise else None
    h = Home(home)
    events = h.record(lambda ledger: decide.note(ledger, number, text, day, promise_day))
    _done(as_json, events, f"Noted on invoice {number}" + (f", promise {promise_day}." if promise_day else "."))


@app.command()
def plan(
    number: NumberArg,
    installments: Annotated[int, typer.Option("--installments", metavar="N", help="Number of installments (2-60).")],
    first: Annotated[str, typer.Option("--first", metavar="DATE", help="Due date of the first installment.")],
    every: Annotated[str, typer.Option("--every", metavar="month|week|DAYS",
                                       help="Interval between installments.")] = "month",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Agree a payment plan: what is owed today in N installments."""
    from wikcli import decide
    from wikcli.errors import OptionError

    if every not in ("month", "week"):
        if not every.isdigit() or not 1 <= int(every) <= 366:
            raise OptionError(f"--every {every!r} is not valid: expected month, week or a number of days")
        every_v: str | int = int(every)
    else:
        every_v = every
    first_day = parse_date(first, "--first")
    day = resolve_today(today)
    h = Home(home)
    events = h.record(lambda ledger: decide.plan(ledger, number, installments, first_day, every_v, day,
                                                 h.policy, h.vat_deductible))
    if as_json:
        _done(True, events, "")
        return
    from decimal import Decimal

    from wikcli.money import format_eur

    typer.echo(f"Payment plan for invoice {number}:")
    for i in events[0].data["installments"]:
        typer.echo(f"  {i['due']}  {format_eur(Decimal(i['amount'])):>12}")


@app.command()
def sent(
    number: NumberArg,
    kind: Annotated[str, typer.Option("--kind", metavar="reminder|wik|default", help="Which letter.")],
    date_: DateOpt = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email", help="How it was sent.")] = "post",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that a letter went out; its term follows from the send date and channel."""
    from wikcli import decide, deadlines, process

    day = _day(date_, today)
    if via not in deadlines.CHANNELS:
        raise decide.LedgerError(f"--via {via!r} is unknown: expected post or email")
    h = Home(home)
    events = h.record(lambda ledger: decide.sent(ledger, number, kind, day, via, h.policy, h.vat_deductible))
    term = deadlines.term(day, via, process.term_days(kind, h.policy))
    _done(as_json, events, f"Recorded the {process.KIND_NAMES[kind]} of invoice {number}, sent {day} via {via}; "
                           f"term ends {term.last_day.isoformat()}.")


@app.command()
def pause(
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why (a dispute, a complaint, ...).")],
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Stop chasing an invoice for now (no actions are due while paused)."""
    from wikcli import decide

    _mark(home, today, as_json, f"Paused invoice {number}.",
          lambda h, ledger, day: decide.pause(ledger, number, reason, day, h.policy, h.vat_deductible))


@app.command()
def resume(number: NumberArg, home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False) -> None:
    """Chase a paused invoice again."""
    from wikcli import decide

    _mark(home, today, as_json, f"Resumed invoice {number}.",
          lambda h, ledger, day: decide.resume(ledger, number, day, h.policy, h.vat_deductible))


@app.command()
def close(
    number: NumberArg,
    reason: Annotated[str, typer.Option(
        "--reason", metavar="paid|credit-note|written-off|handed-over|bankrupt", help="Why it is closed.")],
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Close an invoice."""
    from wikcli import decide

    _mark(home, today, as_json, f"Closed invoice {number} ({reason}).",
          lambda h, ledger, day: decide.close(ledger, number, reason, day, h.policy, h.vat_deductible))


def _mark(home: str | None, today: str | None, as_json: bool, message: str, build: Callable) -> None:
    """Record what ``build(home, ledger, today)`` decides, dated today, and say so."""
    day = resolve_today(today)
    h = Home(home)
    _done(as_json, h.record(lambda ledger: build(h, ledger, day)), message)


# --- overview ----------------------------------------------------------------------------


@app.command()
def status(
    all_: Annotated[bool, typer.Option("--all", help="Include closed invoices.")] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every open invoice, most urgent first: step, next action, when it is due."""
    from wikcli import process

    h = Home(home)
    day = resolve_today(today)
    rows = process.assess_all(h.ledger(), h.policy, h.vat_deductible, day, include_closed=all_)
    from wikcli.cli.common import warn

    warn(w for a in rows for w in a.standing.warnings)
    if as_json:
        emit_json_rows(a.to_json() for a in rows)
        return
    from rich.table import Table

    from wikcli.cli.common import console
    from wikcli.money import format_eur

    if not rows:
        typer.echo(f"No open invoices on {day.isoformat()}.")
        return
    from rich import box

    t = Table(title=f"Open invoices on {day.isoformat()}", title_justify="left", box=box.SIMPLE_HEAD,
              padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    for col, j in (("Invoice", "left"), ("Client", "left"), ("Open", "right"), ("Step", "left"),
                   ("Next action", "left"), ("Due", "left"), ("Overdue", "right")):
        t.add_column(col, justify=j, no_wrap=col != "Client")
    for a in rows:
        style = "red" if a.overdue_days > 0 else ("yellow" if a.action_due == day else None)
        t.add_row(a.invoice, a.client, format_eur(a.standing.total_due), f"{a.step} {a.step_name}",
                  a.next_action if not a.closed else f"closed ({a.closed})",
                  a.action_due.isoformat() if a.action_due else "-",
                  f"{a.overdue_days} d" if a.overdue_days else "", style=style)
    console().print(t)


@app.command()
def check(home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False) -> None:
    """For cron: prints nothing and exits 0 when no action is due today; otherwise one line
    per due action and exit code 1 (2 on any error)."""
    from wikcli import process

    h = Home(home)
    day = resolve_today(today)
    due = process.due_actions(process.assess_all(h.ledger(), h.policy, h.vat_deductible, day), day)
    if as_json:
        emit_json_rows(a.to_json() for a in due)
    else:
        for a in due:
            late = f", {a.overdue_days} days overdue" if a.overdue_days else ""
            typer.echo(f"{a.invoice}: {a.next_action} due {a.action_due.isoformat()}{late}")
    if due:
        raise typer.Exit(1)

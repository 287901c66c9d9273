"""What happens to an invoice: payments, notes, plans, letters sent, pause, resume, close."""

from __future__ import annotations

from typing import Annotated, Callable

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, parse_date, parse_kind,
                               resolve_today)
from wikcli.cli.home import DateOpt, Home, NumberArg, day_or_today, done


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
    pays costs, then interest, then principal (art. 6:44 BW).

    Example:

    \b
        wik pay 2026-094 1.315,00 --date 25-11-2026
    """
    from wikcli import decide
    from wikcli.money import format_eur, parse_amount

    value = parse_amount(amount)
    day = day_or_today(date_, today)
    h = Home(home)
    events = h.record(lambda ledger: decide.pay(ledger, number, value, day, h.policy, h.vat_deductible,
                                                allow_overpayment=allow_overpayment))
    done(as_json, events, f"Recorded payment of {format_eur(value)} on invoice {number}.")


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
    """Record a call note (step 3), optionally with a promise to pay.

    Example:

    \b
        wik note 2026-101 "Belt terug" --promise "22 december 2026"
    """
    from wikcli import decide

    day = day_or_today(date_, today)
    promise_day = parse_date(promise, "--promise") if promise else None
    h = Home(home)
    events = h.record(lambda ledger: decide.note(ledger, number, text, day, promise_day))
    done(as_json, events, f"Noted on invoice {number}" + (f", promise {promise_day}." if promise_day else "."))


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
    """Agree a payment plan: what is owed today in N installments.

    Example:

    \b
        wik plan 2026-072 --installments 3 --first 2026-12-01
    """
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
        done(True, events, "")
        return
    from decimal import Decimal

    from wikcli.money import format_eur

    typer.echo(f"Payment plan for invoice {number}:")
    for i in events[0].data["installments"]:
        typer.echo(f"  {i['due']}  {format_eur(Decimal(i['amount'])):>12}")


@app.command()
def sent(
    number: NumberArg,
    kind: Annotated[str, typer.Option("--kind", metavar="reminder|wik|default", help=(
        "Which letter; or in Dutch: herinnering, aanmaning or 14-dagenbrief, ingebrekestelling."))],
    date_: DateOpt = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email", help="How it was sent.")] = "post",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that a letter went out; its term follows from the send date and channel.

    Example:

    \b
        wik sent 2026-101 --kind herinnering --date 2026-11-24 --via email
    """
    from wikcli import decide, deadlines, process

    day = day_or_today(date_, today)
    kind = parse_kind(kind)
    if via not in deadlines.CHANNELS:
        raise decide.LedgerError(f"--via {via!r} is unknown: expected post or email")
    h = Home(home)
    events = h.record(lambda ledger: decide.sent(ledger, number, kind, day, via, h.policy, h.vat_deductible))
    term = deadlines.term(day, via, process.term_days(kind, h.policy))
    done(as_json, events, f"Recorded the {process.KIND_NAMES[kind]} of invoice {number}, sent {day} via {via}; "
                           f"term ends {term.last_day.isoformat()}.")


@app.command()
def pause(
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why (a dispute, a complaint, ...).")],
    date_: DateOpt = None,
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Stop chasing an invoice for now (no actions are due while paused).

    Example:

    \b
        wik pause 2026-094 --reason "Betwist de uren" --date 2026-11-20
    """
    from wikcli import decide

    _mark(home, today, as_json, f"Paused invoice {number}.",
          lambda h, ledger, day: decide.pause(ledger, number, reason, day, h.policy, h.vat_deductible),
          date_)


@app.command()
def resume(number: NumberArg, date_: DateOpt = None, home: HomeOpt = None, today: TodayOpt = None,
           as_json: JsonOpt = False) -> None:
    """Chase a paused invoice again.

    Example:

    \b
        wik pause 2026-094 --reason "Betwist de uren" --date 2026-11-20
        wik resume 2026-094 --date 2026-11-25
    """
    from wikcli import decide

    _mark(home, today, as_json, f"Resumed invoice {number}.",
          lambda h, ledger, day: decide.resume(ledger, number, day, h.policy, h.vat_deductible), date_)


@app.command()
def close(
    number: NumberArg,
    reason: Annotated[str, typer.Option(
        "--reason", metavar="paid|credit-note|written-off|handed-over|bankrupt", help="Why it is closed.")],
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Close an invoice.

    Example:

    \b
        wik close 2026-101 --reason credit-note
    """
    from wikcli import decide

    _mark(home, today, as_json, f"Closed invoice {number} ({reason}).",
          lambda h, ledger, day: decide.close(ledger, number, reason, day, h.policy, h.vat_deductible))


def _mark(home: str | None, today: str | None, as_json: bool, message: str, build: Callable,
          date_: str | None = None) -> None:
    """Record what ``build(home, ledger, day)`` decides, dated --date or today, and say so."""
    day = day_or_today(date_, today)
    h = Home(home)
    done(as_json, h.record(lambda ledger: build(h, ledger, day)), message)


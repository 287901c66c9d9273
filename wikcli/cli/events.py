"""What happens to an invoice: payments, notes, plans, letters sent, pause, resume, close."""

from __future__ import annotations

from typing import Annotated
from collections.abc import Callable

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, parse_date, resolve_today)
from wikcli.cli.home import ClientOpt, DateOpt, NumberArg, NumbersArg, day_or_today, done, open_home
from wikcli.i18n import _, ngettext


@app.command(context_settings={"ignore_unknown_options": True})
def pay(
    number: NumberArg,
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("The amount paid."), show_default=False)],
    date_: DateOpt = None,
    allow_overpayment: Annotated[bool, typer.Option(
        "--allow-overpayment", help=_("Record more than is due; the rest shows as credit."))] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Record a probable duplicate of a payment booked from the bank: it is a second payment."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a (partial) payment, dated --date (not after today). Before costs are owed it
    lowers the principal, then pays interest; once they are owed, and under a payment plan,
    it pays costs, then interest, then principal (art. 6:44 BW). A written-off, handed-over or
    bankrupt invoice still takes payments.

    A payment of the same amount as one booked from a bank statement on the invoice (or on an
    invoice a letter about it names) within 7 days is refused as a probable duplicate, naming
    that payment, unless --force says it is a second payment.

    Example:

    \b
        wik pay 2026-094 1.315,00 --date gisteren
    """
    from wikcli.rules.money import format_eur, parse_amount
    from wikcli.services import payments

    value = parse_amount(amount)
    now = resolve_today(today)
    day = day_or_today(date_, today)
    h = open_home(home)
    events = payments.pay(h, number, value, day, today=now, allow_overpayment=allow_overpayment, force=force)
    done(as_json, events, _("Recorded payment of {amount} on invoice {number}.").format(amount=format_eur(value), number=number))
    if allow_overpayment:  # it is set off only on request: say so when the payment left a credit
        from wikcli.cli.common import warn

        warn(payments.credit_left(h, number, now))


@app.command()
def note(
    number: NumberArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help=_("What was said."), show_default=False)],
    promise: Annotated[str | None, typer.Option(
        "--promise", metavar="DATE", help=_("The date the client promised to pay by."))] = None,
    date_: DateOpt = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a call note (step 3), optionally with a promise to pay.

    Example:

    \b
        wik note 2026-101 "Belt terug" --promise "over 2 weken"
    """
    from wikcli.services import chase

    day = day_or_today(date_, today)
    now = resolve_today(today)
    promise_day = parse_date(promise, "--promise") if promise else None
    h = open_home(home)
    events = chase.note(h, number, text, day, promise_day, today=now)
    done(as_json, events, _("Noted on invoice {number}, promise {day}.").format(number=number, day=promise_day)
         if promise_day else _("Noted on invoice {number}.").format(number=number))


@app.command()
def plan(
    number: NumberArg,
    installments: Annotated[int, typer.Option("--installments", metavar="N", help=_("Number of installments (2-60)."))],
    first: Annotated[str, typer.Option("--first", metavar="DATE", help=_("Due date of the first installment."))],
    every: Annotated[str, typer.Option("--every", metavar="month|week|DAYS",
                                       help=_("Interval between installments."))] = "month",
    waive_interest: Annotated[bool, typer.Option(
        "--waive-interest", help=_("Give up the interest from today through the last installment "
        "(recorded on the plan). Default: the interest is in the installments."))] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help=_("Agree a new plan in place of the one the invoice has."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Agree a payment plan: everything open today in N installments.

    By default the interest that accrues during the plan is in the installments, so that
    paying each on its due date settles the invoice; --waive-interest stops the interest for
    the plan's duration instead. Payments under a plan go to costs, interest, principal. A
    missed installment becomes the next action, with a reminder that names it.

    Example:

    \b
        wik plan 2026-094 --installments 3 --first "over 7 dagen"
        wik plan 2026-087 --installments 6 --first +21 --waive-interest --replace
    """
    from wikcli.cli.common import warn
    from wikcli.errors import OptionError
    from wikcli.services import chase

    if every not in ("month", "week"):
        if not every.isdigit() or not 1 <= int(every) <= 366:
            raise OptionError(_("--every {every!r} is not valid: expected month, week or a number of days").format(every=every))
        every_v: str | int = int(every)
    else:
        every_v = every
    first_day = parse_date(first, "--first")
    day = resolve_today(today)
    h = open_home(home)
    agreed = chase.plan(h, number, installments, first_day, every_v, day, waive_interest=waive_interest,
                        replace=replace)
    events = agreed.events
    warn(agreed.warnings)
    if as_json:
        done(True, events, "")
        return
    from decimal import Decimal

    from wikcli.ledger.events import PlanData
    from wikcli.rules.money import format_eur

    made = PlanData.load(events[0].data)
    how = "interest waived from today" if waive_interest else "interest included"
    typer.echo(_("Payment plan for invoice {number} ({amount}, {how}):").format(number=number, amount=format_eur(made.total if made.total is not None else sum((i.amount for i in made.installments), Decimal(0))), how=how))
    for i in made.installments:
        typer.echo(f"  {i.due}  {format_eur(i.amount):>12}")


@app.command()
def sent(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: Annotated[str, typer.Option("--kind", metavar="reminder|wik|default", help=(
        _("Which letter; or in Dutch: herinnering, aanmaning or 14-dagenbrief, ingebrekestelling.")))] = "",
    date_: DateOpt = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email", help=_("How it was sent."))] = "post",
    force: Annotated[bool, typer.Option(
        "--force", help=_("Record a consumer's notice of default with no WIK-letter whose term has run (the "
        "collection costs are then lost; recorded)."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that a letter went out (one letter for all the invoices named, or --client).

    wik checks it as it checks `wik letter` (due, in default, one client) and records what the
    letter claims: the amounts, the costs it announces and its term's last day. A letter wik
    rendered earlier for the same invoices, kind and date is recorded as that very letter,
    with its archived copy.

    Example:

    \b
        wik sent 2026-094 --kind herinnering --date gisteren --via email
        wik sent --client bakkerij --kind reminder --via email
    """
    from wikcli.cli.common import parse_kind, warn
    from wikcli.errors import OptionError
    from wikcli.ledger import claims
    from wikcli.ledger.facts import KIND_NAMES
    from wikcli.services import letters

    if not kind:
        raise OptionError(_("--kind is required: reminder, wik or default"))
    now = resolve_today(today)
    day = day_or_today(date_, today)
    h = open_home(home)
    ledger = h.ledger()
    wanted, kind = letters.covered(h, ledger, numbers, client, parse_kind(kind), day, now)
    told = letters.as_sent(h, ledger, wanted, kind, day, via, now, force=force)
    warn(told.warnings)
    events, claim = letters.record(h, told.claim, now, printed=told.printed)
    which = ", ".join(claim.numbers)
    copy_note = _(" (archived copy {name})").format(name=claim.copy[0]) if claim.copy else ""
    line = ngettext("Recorded the {kind} of invoice {which}, sent {day} via {via}{copy_note}: {claim}.",
                    "Recorded the {kind} of invoices {which}, sent {day} via {via}{copy_note}: {claim}.",
                    len(claim.numbers))
    done(as_json, events, line.format(kind=_(KIND_NAMES[kind]), which=which, day=day, via=via, copy_note=copy_note,
                                      claim=claims.describe(claim)))


@app.command()
def pause(
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help=_("Why (a dispute, a complaint, ...)."))],
    date_: DateOpt = None,
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Stop chasing an invoice for now (no actions are due while paused).

    Example:

    \b
        wik pause 2026-094 --reason "Betwist de uren" --date "5 dagen geleden"
    """
    from wikcli.services import chase

    _mark(home, today, as_json, _("Paused invoice {number}.").format(number=number),
          lambda h, day: chase.pause(h, number, reason, day), date_)


@app.command()
def resume(number: NumberArg, date_: DateOpt = None, home: HomeOpt = None, today: TodayOpt = None,
           as_json: JsonOpt = False) -> None:
    """Chase a paused invoice again.

    Example:

    \b
        wik pause 2026-094 --reason "Betwist de uren" --date "5 dagen geleden"
        wik resume 2026-094 --date vandaag
    """
    from wikcli.services import chase

    _mark(home, today, as_json, _("Resumed invoice {number}.").format(number=number),
          lambda h, day: chase.resume(h, number, day), date_)


@app.command()
def close(
    number: NumberArg,
    reason: Annotated[str, typer.Option(
        "--reason", metavar="paid|credit-note|written-off|handed-over|bankrupt", help=_("Why it is closed."))],
    force: Annotated[bool, typer.Option(
        "--force", help=_("Close as paid although money is still open (recorded as forced)."))] = False,
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Close an invoice. Closing as paid while money is open is refused unless --force.

    Example:

    \b
        wik close 2026-101 --reason credit-note
    """
    from wikcli.services import chase

    _mark(home, today, as_json, _("Closed invoice {number} ({reason}).").format(number=number, reason=_(reason)),
          lambda h, day: chase.close(h, number, reason, day, force=force))


@app.command()
def void(
    seq: Annotated[int, typer.Argument(metavar="SEQ", help=_("The event's number, as `wik invoice show` prints it."),
                                       show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help=_("Why the event was wrong."))],
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Correct a mistake: cancel an earlier payment, note, plan or letter-sent event.

    Nothing is erased: a new event records the cancellation, its date and reason, and
    `wik invoice show` shows the old event as voided. A letter about several invoices is
    cancelled on each of them.

    Example:

    \b
        wik void 21 --reason "payment booked on the wrong invoice"
    """
    from wikcli.services import chase

    _mark(home, today, as_json, _("Voided event {seq}.").format(seq=seq),
          lambda h, day: chase.void(h, seq, reason, day))


def _mark(home: str | None, today: str | None, as_json: bool, message: str, call: Callable,
          date_: str | None = None) -> None:
    """Record through ``call(home, day)``, a service, dated --date or today, and say so."""
    day = day_or_today(date_, today)
    h = open_home(home)
    done(as_json, call(h, day), message)


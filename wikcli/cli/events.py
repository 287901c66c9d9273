"""What happens to an invoice: payments, notes, plans, letters sent, pause, resume, close."""

from __future__ import annotations

from typing import Annotated, Callable

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, parse_date, resolve_today)
from wikcli.cli.home import ClientOpt, DateOpt, Home, NumberArg, NumbersArg, day_or_today, done


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
    """Record a (partial) payment, dated --date (not after today). Before costs are owed it
    lowers the principal, then pays interest; once they are owed, and under a payment plan,
    it pays costs, then interest, then principal (art. 6:44 BW). A written-off, handed-over or
    bankrupt invoice still takes payments.

    Example:

    \b
        wik pay 2026-094 1.315,00 --date gisteren
    """
    from wikcli.ledger import commands as decide
    from wikcli.rules.money import format_eur, parse_amount

    value = parse_amount(amount)
    now = resolve_today(today)
    day = day_or_today(date_, today)
    h = Home(home)
    events = h.record(lambda ledger: decide.pay(ledger, number, value, day, h.policy, h.vat_deductible,
                                                today=now, allow_overpayment=allow_overpayment))
    done(as_json, events, f"Recorded payment of {format_eur(value)} on invoice {number}.")
    if allow_overpayment:
        _offer_set_off(h, number, now)


def _offer_set_off(h: Home, number: str, day) -> None:
    """Say so when a payment leaves the client a credit: it is set off only on request."""
    from wikcli.ledger import client_account as account
    from wikcli.cli.common import warn
    from wikcli.rules.money import format_eur

    ledger = h.ledger()
    client = ledger.invoices[number].client
    acc = account.account(ledger, client, h.policy, h.vat_deductible, day)
    if acc.credit > 0:
        how = (f"set it off with `wik credit apply {client}`" if acc.open_invoices
               else f"set it off against a later invoice with `wik credit apply {client}`")
        warn([f"client {client!r} holds a credit of {format_eur(acc.credit)}: {how}, or pay it back and "
              f"record it with `wik credit refund {client}`"])


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
        wik note 2026-101 "Belt terug" --promise "over 2 weken"
    """
    from wikcli.ledger import commands as decide

    day = day_or_today(date_, today)
    now = resolve_today(today)
    promise_day = parse_date(promise, "--promise") if promise else None
    h = Home(home)
    events = h.record(lambda ledger: decide.note(ledger, number, text, day, promise_day, today=now))
    done(as_json, events, f"Noted on invoice {number}" + (f", promise {promise_day}." if promise_day else "."))


@app.command()
def plan(
    number: NumberArg,
    installments: Annotated[int, typer.Option("--installments", metavar="N", help="Number of installments (2-60).")],
    first: Annotated[str, typer.Option("--first", metavar="DATE", help="Due date of the first installment.")],
    every: Annotated[str, typer.Option("--every", metavar="month|week|DAYS",
                                       help="Interval between installments.")] = "month",
    waive_interest: Annotated[bool, typer.Option(
        "--waive-interest", help="Give up the interest from today through the last installment "
        "(recorded on the plan). Default: the interest is in the installments.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Agree a new plan in place of the one the invoice has.")] = False,
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
    from wikcli.ledger import commands as decide
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
                                                 h.policy, h.vat_deductible, waive_interest=waive_interest,
                                                 replace=replace))
    _costs_in_plan(h, number, day, events[0].data)
    if as_json:
        done(True, events, "")
        return
    from decimal import Decimal

    from wikcli.rules.money import format_eur

    data = events[0].data
    how = "interest waived from today" if waive_interest else "interest included"
    typer.echo(f"Payment plan for invoice {number} ({format_eur(Decimal(data['total']))}, {how}):")
    for i in data["installments"]:
        typer.echo(f"  {i['due']}  {format_eur(Decimal(i['amount'])):>12}")


def _costs_in_plan(h: Home, number: str, day, data: dict) -> None:
    """A plan agreed inside a WIK-letter's term has the announced costs in its installments,
    though they are owed only once the term has run: say so."""
    from wikcli.ledger import process
    from wikcli.cli.common import warn
    from wikcli.rules.money import format_eur

    ledger = h.ledger()
    inv = ledger.invoices[number]
    s = process.standing(inv, ledger.clients[inv.client], h.policy, h.vat_deductible, day, with_interest=False)
    if s.announced_by is None or s.costs_owed or s.costs_due_from is None:
        return
    if data["installments"][-1]["due"] < s.costs_due_from.isoformat():
        return
    warn([f"invoice {number}: the installments include collection costs (at most {format_eur(s.costs)}) the "
          f"{process.KIND_NAMES[s.announced_by.kind]} of {s.announced_by.day.isoformat()} announced, owed only "
          f"from {s.costs_due_from.isoformat()}: tell the client, or settle before then without them"])


@app.command()
def sent(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: Annotated[str, typer.Option("--kind", metavar="reminder|wik|default", help=(
        "Which letter; or in Dutch: herinnering, aanmaning or 14-dagenbrief, ingebrekestelling."))] = "",
    date_: DateOpt = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email", help="How it was sent.")] = "post",
    force: Annotated[bool, typer.Option(
        "--force", help="Record a consumer's notice of default with no WIK-letter whose term has run (the "
        "collection costs are then lost; recorded).")] = False,
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
    from wikcli.ledger import claims
    from wikcli.cli.letter import covered, record
    from wikcli.errors import OptionError

    if not kind:
        raise OptionError("--kind is required: reminder, wik or default")
    now = resolve_today(today)
    day = day_or_today(date_, today)
    h = Home(home)
    ledger = h.ledger()
    wanted, kind = covered(h, ledger, numbers, client, kind, day, now)
    copy = _rendered(ledger, wanted, kind, day)
    late = None
    if copy is not None:
        claim = claims.adopt(ledger, h.config, wanted, copy, via, now, force=force)
    else:
        claim = claims.compose(ledger, h.config, wanted, kind, day, via, today=now, force=force)
        # A copy rendered for an earlier day that went out only now: its printed last day.
        earlier = _rendered_before(ledger, wanted, kind, day)
        late = claims.late_copy(earlier, claim) if earlier is not None else None
    from wikcli.cli.common import warn
    from wikcli.ledger.delivery import no_address

    no_address(claim.client, claim.via)

    warn([w for w in claim.warnings if "postal_delivery_days" in w] + ([late] if late else []))
    events, claim = record(h, claim, now, printed=copy is not None)
    from wikcli.ledger.process import KIND_NAMES

    which = ", ".join(claim.numbers)
    copy_note = f" (archived copy {claim.copy[0]})" if claim.copy else ""
    done(as_json, events, f"Recorded the {KIND_NAMES[kind]} of invoice{'s' if len(claim.numbers) > 1 else ''} "
                          f"{which}, sent {day} via {via}{copy_note}: {claims.describe(claim)}.")


def _copies(ledger, numbers: list[str], kind: str, day) -> tuple[list[tuple[int, dict]], int] | None:
    """The letters wik rendered for exactly these invoices and kind, as (seq, data), and the
    seq of the last letter recorded as sent on them (live on ``day``); None for an unknown
    invoice."""
    from wikcli.ledger import process

    copies, last_sent = [], 0
    for number in numbers:
        inv = ledger.invoices.get(number)
        if inv is None:
            return None
        for ev in inv.events:
            d = ev.data
            if ev.type == process.LETTER_SENT and not inv.is_voided(ev.seq, day):
                last_sent = max(last_sent, ev.seq)
            elif (ev.type == process.LETTER_RENDERED and d.get("kind") == kind and "invoices" in d
                  and sorted(d["invoices"]) == sorted(numbers)):
                copies.append((ev.seq, d))
    return copies, last_sent


def _rendered_before(ledger, numbers: list[str], kind: str, day) -> dict | None:
    """The data of the latest letter wik rendered for these invoices and kind dated before
    ``day`` and after every letter recorded as sent on them: the copy that went out late."""
    found = _copies(ledger, numbers, kind, day)
    if found is None:
        return None
    copies, last_sent = found
    best = max((c for c in copies if c[1].get("date", "") < day.isoformat()), key=lambda c: c[0], default=None)
    return None if best is None or best[0] < last_sent else best[1]


def _rendered(ledger, numbers: list[str], kind: str, day) -> dict | None:
    """The data of the latest letter wik rendered for exactly these invoices, kind and date."""
    found = _copies(ledger, numbers, kind, day)
    if found is None:
        return None
    best = max((c for c in found[0] if c[1].get("date") == day.isoformat()), key=lambda c: c[0], default=None)
    return None if best is None else best[1]


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
        wik pause 2026-094 --reason "Betwist de uren" --date "5 dagen geleden"
    """
    from wikcli.ledger import commands as decide

    _mark(home, today, as_json, f"Paused invoice {number}.",
          lambda h, ledger, day: decide.pause(ledger, number, reason, day, h.policy, h.vat_deductible),
          date_)


@app.command()
def resume(number: NumberArg, date_: DateOpt = None, home: HomeOpt = None, today: TodayOpt = None,
           as_json: JsonOpt = False) -> None:
    """Chase a paused invoice again.

    Example:

    \b
        wik pause 2026-094 --reason "Betwist de uren" --date "5 dagen geleden"
        wik resume 2026-094 --date vandaag
    """
    from wikcli.ledger import commands as decide

    _mark(home, today, as_json, f"Resumed invoice {number}.",
          lambda h, ledger, day: decide.resume(ledger, number, day, h.policy, h.vat_deductible), date_)


@app.command()
def close(
    number: NumberArg,
    reason: Annotated[str, typer.Option(
        "--reason", metavar="paid|credit-note|written-off|handed-over|bankrupt", help="Why it is closed.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Close as paid although money is still open (recorded as forced).")] = False,
    home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False,
) -> None:
    """Close an invoice. Closing as paid while money is open is refused unless --force.

    Example:

    \b
        wik close 2026-101 --reason credit-note
    """
    from wikcli.ledger import commands as decide

    _mark(home, today, as_json, f"Closed invoice {number} ({reason}).",
          lambda h, ledger, day: decide.close(ledger, number, reason, day, h.policy, h.vat_deductible,
                                              force=force))


@app.command()
def void(
    seq: Annotated[int, typer.Argument(metavar="SEQ", help="The event's number, as `wik invoice show` prints it.",
                                       show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why the event was wrong.")],
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
    from wikcli.ledger import commands as decide

    _mark(home, today, as_json, f"Voided event {seq}.",
          lambda h, ledger, day: decide.void(ledger, seq, reason, day))


def _mark(home: str | None, today: str | None, as_json: bool, message: str, build: Callable,
          date_: str | None = None) -> None:
    """Record what ``build(home, ledger, day)`` decides, dated --date or today, and say so."""
    day = day_or_today(date_, today)
    h = Home(home)
    done(as_json, h.record(lambda ledger: build(h, ledger, day)), message)


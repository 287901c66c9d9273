"""``wik credit``: a client's credit (paid too much): show it, set it off, refund it."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import DateOpt, day_or_today, done, open_home
from wikcli.i18n import _, ngettext

credit_app = typer.Typer(help=_("A client's credit (paid too much): show, apply (set off), refund."),
                         no_args_is_help=True,
                         epilog=_("Example:\n\n\b\n    wik credit show bakkerij\n"))
app.add_typer(credit_app, name="credit")

ClientArg = Annotated[str, typer.Argument(metavar="CLIENT", help=_("The client's id."), show_default=False)]


@credit_app.command("show")
def credit_show(client_id: ClientArg, home: HomeOpt = None, today: TodayOpt = None,
                as_json: JsonOpt = False) -> None:
    """The client's account: invoiced, charged, received, refunded, claimed and its credit.

    Example:

    \b
        wik credit show bakkerij
    """
    from wikcli.rules.money import format_eur
    from wikcli.services import credit

    h = open_home(home)
    acc = credit.account(h, client_id, resolve_today(today))
    if as_json:
        emit_json(acc.to_json())
        return
    typer.echo(_("{id} on {day}: claimed {amount}, credit {amount2}, balance {amount3}").format(id=acc.client, day=acc.day.isoformat(), amount=format_eur(acc.claimed), amount2=format_eur(acc.credit), amount3=format_eur(acc.balance)))
    for x in acc.holdings:
        typer.echo(_("  credit {amount} paid on invoice {invoice}").format(amount=format_eur(x.amount), invoice=x.invoice))


@credit_app.command("apply")
def credit_apply(client_id: ClientArg, date_: DateOpt = None,
                 on: Annotated[str | None, typer.Option(
                     "--on", metavar="DATE", help=_("The day the set-off takes effect. Default: the later of "
                     "the day the credit arose and the invoice's date (a set-off works back, art. 6:129 BW)."))] = None,
                 home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False) -> None:
    """Set the client's credit off against its open invoices (oldest first), recorded --date.
    Each open invoice takes it as a payment (costs, interest, principal as any payment on it).

    Example:

    \b
        wik pay 2026-094 2.000,00 --allow-overpayment
        wik credit apply bakkerij
    """
    from wikcli.cli.common import parse_date
    from wikcli.rules.money import format_eur
    from wikcli.services import credit

    now = resolve_today(today)
    day = day_or_today(date_, today)
    effect = parse_date(on, "--on") if on else None
    h = open_home(home)
    made = credit.apply(h, client_id, day, today=now, on=effect)
    if not made.invoices:
        done(as_json, made.events, _("Client {cid} has nothing open to set its credit off against: it stays, until a later " "invoice or `wik credit refund {cid}`.").format(cid=made.client))
        return
    numbers = made.invoices
    done(as_json, made.events, ngettext("Set off {amount} of credit against invoice(s) {invoices}.",
                                        "Set off {amount} of credit against invoice(s) {invoices}.", len(numbers)).format(
        amount=format_eur(made.total), invoices=", ".join(numbers)))


@credit_app.command("refund")
def credit_refund(client_id: ClientArg,
                  amount: Annotated[str | None, typer.Argument(
                      metavar="[AMOUNT]", help=_("The amount paid back (default: all the credit)."),
                      show_default=False)] = None,
                  date_: DateOpt = None, home: HomeOpt = None, today: TodayOpt = None,
                  as_json: JsonOpt = False) -> None:
    """Record credit paid back to the client, dated --date.

    Example:

    \b
        wik pay 2026-094 2.000,00 --allow-overpayment
        wik credit refund bakkerij 500
    """
    from decimal import Decimal

    from wikcli.ledger.events import CreditRefundedData
    from wikcli.rules.money import format_eur, parse_amount
    from wikcli.services import credit

    value = parse_amount(amount) if amount is not None else None
    now = resolve_today(today)
    day = day_or_today(date_, today)
    h = open_home(home)
    events = credit.refund(h, client_id, value, day, today=now)

    refunds = [CreditRefundedData.load(e.data) for e in events]
    total = sum((r.amount for r in refunds), Decimal(0))
    done(as_json, events, _("Recorded a refund of {amount} of credit to client {value}.").format(amount=format_eur(total), value=refunds[0].client))

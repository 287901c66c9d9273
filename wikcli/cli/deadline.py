"""``wik deadline``: when a letter counts as received and when its term runs out."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, emit_json, parse_date
from wikcli.i18n import N_, _

_DAY = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def _show(day: date) -> str:
    return f"{day.isoformat()} ({_(_DAY[day.weekday()])})"


def _ordinal(n: int) -> str:
    """3rd, or in Dutch 3e."""
    from wikcli import i18n
    from wikcli.rules import deadlines

    return deadlines.ordinal(n) if i18n.language() == "en" else f"{n}e"


@app.command()
def deadline(
    sent: Annotated[str, typer.Option(
        "--sent", metavar="DATE", help=_("The day the letter was posted or e-mailed (YYYY-MM-DD)."),
        show_default=False)],
    via: Annotated[str, typer.Option(
        "--via", metavar="post|email",
        help=_("post: delivered on the Nth delivery day after posting (Tuesday to Saturday, "
        "holidays not counted; N is 2, 3 or 4 by posting date); email: received the same day."))] = "post",
    days: Annotated[int, typer.Option(
        "--term", metavar="DAYS", help=_("Length of the term in days (1 to 365)."))] = 14,
    delivery_days: Annotated[int | None, typer.Option(
        "--delivery-days", metavar="N",
        help=_("Count a posted letter as delivered on the Nth delivery day (1 to 30) instead of "
        "PostNL's norm plus one day. Default: policy.postal_delivery_days of the home's "
        "config, if set."), show_default=False)] = None,
    abroad: Annotated[bool, typer.Option(
        "--abroad",
        help=_("The address is outside the Netherlands: N is policy.postal_delivery_days_abroad "
        "(10 unless the home's config sets it)."))] = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The delivery day, the term and the first day the collection costs are owed.

    The term runs from the day after delivery; a last day on a Saturday, Sunday or holiday
    moves to the next working day (Algemene termijnenwet art. 1). A home's config.toml, when
    there is one, supplies the policy's delivery days; none is needed.

    Example:

    \b
        wik deadline --sent 24-12-2026
        wik deadline --sent 2026-11-24 --term 8 --json
    """
    # The domain pulls in the holiday tables, so it loads only when the command runs.
    from wikcli.rules import deadlines

    day = parse_date(sent, "--sent")
    if delivery_days is not None and not deadlines.MIN_DELIVERY_DAYS <= delivery_days <= deadlines.MAX_DELIVERY_DAYS:
        from wikcli.errors import OptionError

        raise OptionError(_("--delivery-days {delivery_days} is out of range: expected {MIN_DELIVERY_DAYS} to " "{MAX_DELIVERY_DAYS} delivery days").format(delivery_days=delivery_days, MIN_DELIVERY_DAYS=deadlines.MIN_DELIVERY_DAYS, MAX_DELIVERY_DAYS=deadlines.MAX_DELIVERY_DAYS))
    from wikcli.cli.common import resolve_home
    from wikcli.services import calculators

    made = calculators.letter_term(day, via, days, delivery_days=delivery_days, abroad=abroad,
                                   policy=calculators.home_policy(resolve_home(home)))
    result, n = made.term, made.delivery_days
    if as_json:
        emit_json(result.to_json())
        return
    if result.via != deadlines.POST:
        rule = result.rule
    elif made.abroad:
        rule = _("{nth} delivery day for an address abroad (policy.postal_delivery_days_abroad): no Dutch "
                 "delivery norm covers post abroad").format(nth=_ordinal(n or 0))
    else:
        set_by = {calculators.OPTION_SET: _("as set with --delivery-days"),
                  calculators.POLICY_SET: _("as set in policy.postal_delivery_days")}.get(made.set_by, "")
        rule = deadlines.delivery_rule(day, n, set_by, speak=_, nth=_ordinal)
    how = _("by post") if result.via == deadlines.POST else _("by e-mail")
    lines = [
        _("Sent:            {day} {how}").format(day=_show(result.sent), how=how),
        _("Delivered:       {day}").format(day=_show(result.delivered))
        + (_(", assumed: the {nth} delivery day after posting").format(nth=_ordinal(result.delivery_days or 0))
           if result.via == deadlines.POST else _(", e-mail is received the day it is sent")),
    ]
    if result.via == deadlines.POST:
        lines.append(_("Delivery rule:   {rule}").format(rule=rule))
    lines += [
        _("Term:            {days} days, {start} to {end}").format(
            days=result.term_days, start=_show(result.term_starts), end=_show(result.last_day)),
        _("Costs owed from: {day}").format(day=_show(result.costs_due_from)),
    ]
    for skip in result.skipped:
        if skip.day <= result.delivered:
            lines.append(_("  {value:<22}  not a delivery day: {why}").format(value=_show(skip.day), why=skip.why))
        else:
            lines.append(_("  {value:<22}  last day moved on (Atw art. 1): {why}").format(value=_show(skip.day), why=skip.why))
    sources: dict[str, None] = {}  # in order of first use
    for equated_day, decree in made.equated:
        sources[f"{decree.title} ({decree.source})" if decree is not None else
                _("the Friday rule for {year} (no decree for {year} is known yet): the Friday after a holiday "
                  "on a Thursday, as every decree has equated").format(year=equated_day.year)] = None
    lines += [_("Equated days:    {source}").format(source=s) for s in sources]
    typer.echo("\n".join(lines))

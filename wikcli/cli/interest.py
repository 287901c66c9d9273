"""``wik interest``: statutory interest over a principal, period by period."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date, resolve_home, resolve_today
from wikcli.rules.money import parse_amount
from wikcli.i18n import _


@app.command(context_settings={"ignore_unknown_options": True})
def interest(
    amount: Annotated[str, typer.Argument(
        metavar="AMOUNT",
        help=_("The unpaid principal: 244, 244,50, 1.234,56 or 1,234.56."),
        show_default=False)],
    start: Annotated[str, typer.Option(
        "--from", metavar="DATE",
        help=_("The first day of default (YYYY-MM-DD): the day after the agreed payment date."),
        show_default=False)],
    end: Annotated[str | None, typer.Option(
        "--to", metavar="DATE",
        help=_("The last day of default, counted (YYYY-MM-DD), e.g. the day of payment. Default: today."))] = None,
    commercial: Annotated[bool, typer.Option(
        "--commercial",
        help=_("Between businesses: wettelijke handelsrente (art. 6:119a BW) instead of "
        "wettelijke rente (art. 6:119 BW)."))] = False,
    agreed: Annotated[str | None, typer.Option(
        "--agreed", metavar="TERMS",
        help=_('Interest agreed between businesses instead: "1% per maand", "12% per jaar samengesteld", '
        '"wettelijke handelsrente + 2%" (implies --commercial).'))] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    """The statutory interest over AMOUNT for the days of default --from .. --to.

    Periods are cut at every rate change and every anniversary of --from; at an anniversary
    the year's interest is added to the base. Per period: base x rate x days / 365, rounded
    half up to the cent. Rates come from the table shipped with wik, with the rows of
    <home>/rates.toml merged over it when that file exists (`wik rates` shows the table).

    Example:

    \b
        wik interest 1000 --from 2024-03-01 --to 2025-06-30
        wik interest 1.815,00 --from "1 april 2026" --commercial --json
    """
    principal = parse_amount(amount)
    first = parse_date(start, "--from")
    last = parse_date(end, "--to") if end is not None else resolve_today(today)
    from wikcli.services import calculators

    made = calculators.statutory_interest(principal, first, last, commercial=commercial, agreed_interest=agreed,
                                          home=resolve_home(home))
    result = made.result
    if as_json:
        emit_json(made.to_json())
    else:
        _print_table(result, made.terms)
    for warning in result.warnings:
        sys.stderr.write(_("wik: warning: {warning}\n").format(warning=warning))


def _print_table(r, terms=None) -> None:
    from rich.table import Table

    from wikcli.rules import interest as interest_mod
    from wikcli.cli.common import console
    from wikcli.rules.money import format_eur

    out = console()
    name = ("wettelijke rente, art. 6:119 BW" if r.kind == interest_mod.CONSUMER
            else "wettelijke handelsrente, art. 6:119a BW")
    if terms is not None:
        how = {"none": _("simple"), "year": _("compounded yearly"), "month": _("compounded monthly")}[terms.compounding]
        name = _("agreed interest: {terms} ({how})").format(terms=terms.text, how=how)
    days = (r.end - r.start).days + 1
    out.print(_("Principal {amount}, {name}").format(amount=format_eur(r.principal), name=name))
    table = Table(title=_("Days of default {start} to {end} ({days} days)").format(start=r.start, end=r.end, days=days), title_justify="left")
    table.add_column(_("From"))
    table.add_column(_("To"))
    table.add_column(_("Days"), justify="right")
    table.add_column(_("Rate"), justify="right")
    table.add_column(_("Base"), justify="right")
    table.add_column(_("Interest"), justify="right")
    for p in r.periods:
        table.add_row(p.start.isoformat(), p.end.isoformat(), str(p.days),
                      interest_mod.rate_pct(p.rate), format_eur(p.base), format_eur(p.interest))
    out.print(table)
    out.print(_("Interest:           {amount:>14}").format(amount=format_eur(r.interest)))
    out.print(_("Principal + interest:{amount:>13}").format(amount=format_eur(r.total)))

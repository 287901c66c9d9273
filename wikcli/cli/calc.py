"""``wik calc``: the statutory collection costs over a principal."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.rules import costs
from wikcli.cli.app import app
from wikcli.cli.common import JsonOpt, emit_json
from wikcli.rules.money import parse_amount
from wikcli.i18n import _


@app.command(context_settings={"ignore_unknown_options": True})
def calc(
    amount: Annotated[str, typer.Argument(
        metavar="AMOUNT",
        help=_("The unpaid principal (incl. the invoice's own VAT): 244, 244,50, 1.234,56 or 1,234.56."),
        show_default=False)],
    btw: Annotated[bool, typer.Option(
        "--btw", help=_("Add 21% VAT to the costs: you cannot deduct VAT (private person, KOR)."))] = False,
    b2b: Annotated[bool, typer.Option(
        "--b2b", help=_("The debtor is a business (the staffel applies unless --agreed-costs)."))] = False,
    agreed_costs: Annotated[str | None, typer.Option(
        "--agreed-costs", metavar="TERMS",
        help=_('Collection costs agreed in the contract (business debtors only; at least 40,00): an '
        'amount ("250") or a percentage with a minimum and maximum ("15%, min 150, max 2500").'))] = None,
    as_json: JsonOpt = False,
) -> None:
    """The statutory collection costs (BIK staffel) you may claim over AMOUNT.

    15% of the first 2.500, 10% of the next 2.500, 5% of the next 5.000, 1% of the next
    190.000 and 0,5% above 200.000; at least 40,00 and at most 6.775,00 (Besluit vergoeding
    voor buitengerechtelijke incassokosten, art. 2).

    Example:

    \b
        wik calc 1.234,56
        wik calc 244 --btw --json
    """
    from wikcli.cli.common import warn
    from wikcli.services import calculators

    made = calculators.collection_costs(parse_amount(amount), vat=btw, business=b2b, agreed_costs=agreed_costs)
    result = made.result
    warn(made.warnings)
    if as_json:
        emit_json(result.to_json())
        return
    _print_table(result)


def _print_table(r: costs.Costs) -> None:
    from rich.table import Table

    from wikcli.cli.common import console
    from wikcli.rules.money import format_eur

    out = console()
    line = (_("Principal {amount} (consumer debtor)") if r.debtor == costs.CONSUMER
            else _("Principal {amount} (business debtor)"))
    out.print(line.format(amount=format_eur(r.principal)))
    if r.agreed:
        terms = f" ({r.terms.text})" if r.terms is not None else ""
        out.print(_("Agreed collection costs{terms}: {amount}").format(terms=terms, amount=format_eur(r.costs))
                  + (_(" (raised to the statutory minimum of € 40,00)") if r.minimum_applied else ""))
    else:
        table = Table(title=_("BIK staffel"), title_justify="left")
        table.add_column(_("Part of the principal"))
        table.add_column(_("Rate"), justify="right")
        table.add_column(_("Over"), justify="right")
        table.add_column(_("Amount"), justify="right")
        for b in r.brackets:
            upper = _("and above") if b.upper is None else _("to {amount}").format(amount=format_eur(b.upper))
            pct = f"{(b.rate * 100).normalize():f}%".replace(".", ",")
            table.add_row(f"{format_eur(b.lower)} {upper}", pct, format_eur(b.base), format_eur(b.amount))
        out.print(table)
        if r.minimum_applied:
            out.print(_("The staffel gives less than € 40,00: the minimum of € 40,00 applies."))
        elif r.maximum_applied:
            out.print(_("The staffel gives more than € 6.775,00: the maximum of € 6.775,00 applies."))
    out.print(_("Collection costs:   {amount:>14}").format(amount=format_eur(r.costs)))
    if r.vat_rate:
        out.print(_("VAT 21%:            {amount:>14}").format(amount=format_eur(r.vat)))
        out.print(_("Total incl. VAT:    {amount:>14}").format(amount=format_eur(r.costs_incl_vat)))
    else:
        out.print(_("No VAT added (you can deduct VAT; use --btw if you cannot)."))

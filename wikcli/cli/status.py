"""``wik status`` and ``wik check``: what is open and what is due today."""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json_rows, resolve_today)
from wikcli.cli.home import Home


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

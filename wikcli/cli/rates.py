"""``wik rates``: the statutory interest rates in force, where each came from, and how far
they reach."""

from __future__ import annotations

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, emit_json, resolve_home
from wikcli.i18n import N_, _

_TITLES = {"consumer": N_("wettelijke rente, art. 6:119 BW (consumers)"),
           "commercial": N_("wettelijke handelsrente, art. 6:119a BW (between businesses)")}


@app.command()
def rates(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """The statutory interest rates in force, each with its source and file, and how far
    they reach.

    Each row shows whether it is confirmed and which file it came from; each table the last
    day it covers. `wik interest` and the ledger use this table.

    wik ships the table; rows in <home>/rates.toml (same format, see the packaged file) are
    merged over it, a row for the same date and kind replacing the packaged one, so a rate
    published after your copy of wik counts and an upgrade does not overwrite it. wik warns
    for days after the half-year of the newest row.

    Example:

    \b
        wik rates
        wik rates --json
    """
    from wikcli.rules import interest
    from wikcli.services import calculators

    made = calculators.rates(resolve_home(home))
    if as_json:
        emit_json(made.to_json())
        return
    table, mine, exists, tables = made.table, made.user_file, made.user_file_exists, made.rows
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from wikcli.cli.common import console

    # Paths go out whole, never wrapped: they are copied into an editor.
    typer.echo(_("Packaged: {value}").format(value=interest.packaged_file()))
    typer.echo(_("Yours:    {path}").format(path=mine)
               + ("" if exists else _(" (none yet: add newer rows there, in the same format)")))
    out = console()
    for kind, rows in tables.items():
        out.print()
        t = Table(title=_("{value}: known until {value2}, wik warns for later days").format(value=_(_TITLES[kind]), value2=table.known_until(kind)),
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False,
                  show_edge=False)
        t.add_column(_("From"), no_wrap=True)
        t.add_column(_("Rate"), justify="right", no_wrap=True)
        t.add_column(_("Confirmed"), no_wrap=True)
        t.add_column(_("File"), no_wrap=True)
        t.add_column(_("Source"))
        for r in rows:
            source = r.source
            if r.replaces is not None:
                source += _(" (replaces the packaged {rate})").format(rate=interest.rate_pct(r.replaces.rate))
            t.add_row(r.start.isoformat(), interest.rate_pct(r.rate), _("yes") if r.confirmed else _("NO"),
                      _("yours") if r.origin == interest.USER else _("packaged"), Text(source))
        out.print(t)

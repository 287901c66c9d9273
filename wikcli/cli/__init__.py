"""The command-line interface. Each module adds its commands to the one Typer ``app``.

Command modules import only what parsing needs at the top; the domain and output modules
they use are imported inside the command, so ``wik calc`` never loads ReportLab.
"""

import sys

from wikcli.cli.app import ROOT_FLAGS, app
# The order here is the order of `wik --help`: a newcomer's path first.
from wikcli.cli import demo  # noqa: F401  (each import registers its commands)
from wikcli.cli import ledger_init  # noqa: F401
from wikcli.cli import clients  # noqa: F401
from wikcli.cli import invoices  # noqa: F401
from wikcli.cli import events  # noqa: F401
from wikcli.cli import credit  # noqa: F401
from wikcli.cli import status  # noqa: F401
from wikcli.cli import letter  # noqa: F401
from wikcli.cli import send  # noqa: F401
from wikcli.cli import proof  # noqa: F401
from wikcli.cli import handover  # noqa: F401
from wikcli.cli import reports  # noqa: F401
from wikcli.cli import calc  # noqa: F401
from wikcli.cli import interest  # noqa: F401
from wikcli.cli import rates  # noqa: F401
from wikcli.cli import deadline  # noqa: F401
from wikcli.cli import around  # noqa: F401
from wikcli.cli import bank  # noqa: F401
from wikcli.cli import privacy  # noqa: F401
from wikcli.cli import completion  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """The console script. Typer builds a Click command for every registered command on each
    run; when the first word names one command (or group), only that one is built, which is
    all that run can reach. Anything else (options, help, an unknown or misspelt name) gets
    the whole app, so its messages are unchanged. Options of ``wik`` itself (``ROOT_FLAGS``)
    may come before the word.

    It ends the process: it leaves the cyclic collector off and freezes what is left (see
    below); a caller that catches the SystemExit and goes on switches the collector back on."""
    args = sys.argv[1:] if argv is None else argv
    commands, groups = app.registered_commands, app.registered_groups
    first = 0
    while first < len(args) and args[first] in ROOT_FLAGS:  # wik --verbose status
        first += 1
    if first < len(args) and not args[first].startswith("-"):
        from typer.main import get_command_name

        word = args[first]
        cmd = [c for c in commands if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == word]
        grp = [g for g in groups if (g.name or (g.typer_instance.info.name if g.typer_instance else None)) == word]
        if len(cmd) + len(grp) == 1:
            app.registered_commands, app.registered_groups = cmd, grp
    # WikGroup runs the command with the cyclic garbage collector off and switches it back on
    # after. Here the process ends with the command, so the collector stays off, and what is
    # left is frozen (left out of the collection the interpreter makes as it exits): either
    # way it would walk every object of a large ledger once more on the way out, a quarter of
    # a second at 10,000 invoices, to free memory the system takes back anyway.
    import gc

    gc.disable()
    try:
        app(args)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
        gc.freeze()


__all__ = ["app", "main"]

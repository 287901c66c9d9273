"""The command-line interface. Each module adds its commands to the one Typer ``app``.

Command modules import only what parsing needs at the top; the domain and output modules
they use are imported inside the command, so ``wik calc`` never loads ReportLab.
"""

from wikcli.cli.app import app
from wikcli.cli import calc  # noqa: F401  (registers the command)
from wikcli.cli import deadline  # noqa: F401
from wikcli.cli import interest  # noqa: F401
from wikcli.cli import ledger_init  # noqa: F401
from wikcli.cli import ledger  # noqa: F401
from wikcli.cli import around  # noqa: F401
from wikcli.cli import letter  # noqa: F401
from wikcli.cli import demo  # noqa: F401
from wikcli.cli import privacy  # noqa: F401
from wikcli.cli import send  # noqa: F401
from wikcli.cli import handover  # noqa: F401


def main() -> None:
    app()


__all__ = ["app", "main"]

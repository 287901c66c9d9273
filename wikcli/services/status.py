"""What is open and what is due on a day (`wik status`, `wik check`) as a Python API: the
home's overview (``store/overview.py``, kept rows reused), the due actions ``steps`` picks and
the credit a client holds turning an action into setting it off; nothing printed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from wikcli.ledger import client_account, steps
from wikcli.services.home import OpenHome


@dataclass(frozen=True)
class OpenInvoices:
    """The rows on a day (``steps.StatusRow``, most urgent first), what they warn of, and
    ``keep``: call it once they are shown, so the next command reuses them."""
    rows: list[steps.StatusRow]
    warnings: list[str]
    keep: Callable[[], None]


def status(home: OpenHome, day: date, *, include_closed: bool = False, quiet: bool = False) -> OpenInvoices:
    """Every open invoice on ``day`` (closed ones too with ``include_closed``); ``quiet``
    keeps the home's progress bar away."""
    view = home.overview(day, include_closed=include_closed, quiet=quiet)
    return OpenInvoices(view.rows, [w for a in view.rows for w in a.warnings], view.keep)


@dataclass(frozen=True)
class DueActions:
    """The actions due on a day or before (``steps.StatusRow``), and ``keep`` as in
    ``OpenInvoices``."""
    due: list[steps.StatusRow]
    keep: Callable[[], None]


def due(home: OpenHome, day: date, *, quiet: bool = False) -> DueActions:
    """What `wik check` reports on ``day``: open actions due that day or earlier; an invoice
    of a client who holds credit asks to set it off (``apply-credit``) instead."""
    view = home.overview(day, quiet=quiet)
    rows = steps.due_actions(view.rows, day)
    if rows:
        rows = client_account.hold_back(rows, home.ledger(), home.rulebook, day)
    return DueActions(rows, view.keep)

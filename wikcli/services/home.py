"""What a service needs of an opened home: its folder, its config, its ledger, the day's
overview and the one write path. The store's ``Home`` (``store/home.py``, ``Home.open(path)``) is one, the CLI's
and a script's alike; a script may also pass its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Protocol
from collections.abc import Callable

from wikcli.ledger.model import Config, Policy
from wikcli.ledger.rulebook import Rulebook


class OpenHome(Protocol):
    path: Path
    config: Config

    @property
    def policy(self) -> Policy: ...

    @property
    def rulebook(self) -> Rulebook:
        """The policy, VAT position, rate table and holiday calendar the home's figures follow."""

    def ledger(self) -> Any:
        """The ledger as the journal holds it now."""

    def overview(self, day: date, *, include_closed: bool = False, quiet: bool = False) -> Any:
        """``wik status``'s rows on ``day`` (``rows``), with ``keep()`` to call once shown."""

    def record(self, build: Callable) -> list:
        """Append the events ``build(ledger)`` returns, under the journal's lock."""

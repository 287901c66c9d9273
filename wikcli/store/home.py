"""An opened wik home: its folder, config, journal and rulebook; the ledger read through the
snapshot, `wik status`'s overview, and ``record``, the one write path.

Each write opens a journal transaction (locked), reads the ledger as it is then, asks the
ledger's commands for the new events and appends them; a refusal writes nothing. Reads go
through the snapshot beside the journal, so that they parse only what was appended since it
was made.

What a terminal adds is passed in as plain callables that default to silence: ``warn`` (a
sync conflict copy beside the journal), ``log`` (how the ledger was read, `--verbose`),
``progress`` (a bar over long work) and ``clock`` (the moment an event is recorded). A
script opens a home with ``Home.open(path)`` and hands it to any service.
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, UTC
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

from wikcli.ledger.model import Config, Policy
from wikcli.store import config as config_mod
from wikcli.store import conflicts
from wikcli.store.journal import Journal

if TYPE_CHECKING:  # the fold and the overview load when a command first reads the ledger
    from wikcli.ledger.facts import Ledger
    from wikcli.ledger.rulebook import Rulebook
    from wikcli.store.overview import Overview

Tick = Callable[[int, int], None]
# A label -> a context whose value is a ``tick(done, total)`` for the work inside, or None.
Progress = Callable[[str], AbstractContextManager[Tick | None]]


def _silent(_label: str) -> AbstractContextManager[Tick | None]:
    return nullcontext(None)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Home:
    """An opened wik home: config, journal and the paths derived from it."""

    def __init__(self, path: Path, config: Config, journal: Journal, *,
                 log: Callable[[str], None] | None = None, progress: Progress = _silent,
                 clock: Callable[[], datetime] = _utc_now):
        self.path = path
        self.config = config
        self.journal = journal
        self.log = log
        self.progress = progress
        self.clock = clock

    @classmethod
    def open(cls, path: Path | str, *, warn: Callable[[str], None] | None = None,
             log: Callable[[str], None] | None = None, progress: Progress = _silent,
             clock: Callable[[], datetime] = _utc_now) -> Home:
        """The home in ``path``: its config loaded and checked (``ConfigError`` if it is not a
        wik home). A sync conflict copy beside the journal is said through ``warn``."""
        path = Path(path)
        home = cls(path, config_mod.load(path), Journal(path), log=log, progress=progress, clock=clock)
        copies = conflicts.find(path)
        if copies and warn is not None:
            warn(f"{conflicts.message(copies)}; until then nothing can be recorded")
        return home

    @property
    def policy(self) -> Policy:
        return self.config.policy

    @functools.cached_property
    def rulebook(self) -> Rulebook:
        """What this home computes by: the config's policy and VAT position, ``<home>/rates.toml``
        over the packaged rates, the holiday calendar. Made when a command first needs it, so a
        command that computes nothing never reads (or trips over) the rates file."""
        return config_mod.rulebook(self.config, self.path)

    def ledger(self) -> Ledger:
        """The ledger, read through the snapshot beside the journal (see ``snapshot``)."""
        from wikcli.store import snapshot

        return snapshot.read(self.journal, self.log)

    def overview(self, day: date, *, include_closed: bool = False, quiet: bool = False) -> Overview:
        """``wik status``'s rows on ``day`` (see ``overview``): call ``.keep()`` once shown.
        A new day on a large ledger ticks ``progress`` unless ``quiet``."""
        from wikcli.store import overview
        with (nullcontext(None) if quiet else self.progress("Assessing invoices")) as tick:
            return overview.compute(self.journal, self.rulebook, day,
                                        include_closed=include_closed, log=self.log, tick=tick)

    def record(self, build: Callable[[Ledger], list]) -> list:
        """Append the events ``build(ledger)`` returns, under the journal's lock."""
        from wikcli.store import snapshot

        return snapshot.record(self.journal, self.clock(), build, self.log)

"""A progress bar for long work (a new day's status on many invoices, a large bank import,
a report or hand-over over many invoices), drawn on stderr and only on a terminal.

The work itself takes a plain callback, ``tick(done, total)``; this module is the only one
that turns it into Rich's Progress. In a pipe or under ``--json`` there is no callback at all,
so scripts get exactly the bytes they always got; on a terminal the bar appears only once the
work is larger than ``THRESHOLD`` items, so small runs print as before. The bar is transient:
it is gone before the command prints its table.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any
from collections.abc import Callable, Iterator

# Below this many items the work takes well under a second: no bar.
THRESHOLD = 2000

Tick = Callable[[int, int], None]


def on_terminal() -> bool:
    """Whether a person watches stderr (the bar's stream)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


class Bar:
    """A ``tick`` that starts Rich's Progress on the first call whose total is large."""

    def __init__(self, label: str):
        self.label = label
        self.progress: Any = None  # rich.progress.Progress once the work is large enough
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if total <= THRESHOLD:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # on_terminal() said yes: force it, so Rich does not decide otherwise on a
            # stream it does not recognise.
            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeRemainingColumn(),
                                     console=Console(file=sys.stderr, force_terminal=True),
                                     transient=True, redirect_stdout=False, redirect_stderr=False)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def over_parts(tick: Tick | None, sizes: list[int]) -> Iterator[Tick | None]:
    """One tick per part (a bank file's credits) for one bar over all of them: each part's
    ``(done, total)`` becomes the whole's, so the bar knows the full size from the start."""
    whole = sum(sizes)
    before = 0
    for size in sizes:
        if tick is None:
            yield None
            continue
        def part(done: int, _total: int, at: int = before, whole_tick: Tick = tick) -> None:
            whole_tick(at + done, whole)

        yield part
        before += size


@contextmanager
def progress(label: str, *, as_json: bool = False) -> Iterator[Tick | None]:
    """A ``tick`` for the work done inside, or None in a pipe and under ``--json``."""
    if as_json or not on_terminal():
        yield None
        return
    bar = Bar(label)
    try:
        yield bar
    finally:
        bar.close()

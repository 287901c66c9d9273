"""Importing bank statements, and settling the credits kept for review: the bank's use cases
as a Python API (no Typer, no printing); `wik bank` prints what they return.

Every write goes through the home's one write path (``Home.record``: the journal's lock, the
ledger read through the snapshot, the events appended and numbered by the journal), like
every other command; the bank's facts come from the fold (``Ledger.bank``). A statement file
is recorded whole or not at all, one after the other, each planned against the ledger as the
files before it left it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from collections.abc import Callable, Iterable

from wikcli.bank import review, statements
from wikcli.bank.booking import BankImportPlan, Booked, Importer, Kept
from wikcli.bank.history import History, Pending
from wikcli.bank.statements import BankFile
from wikcli.ledger import limits
from wikcli.ledger.facts import Ledger
from wikcli.rules.money import to_str
from wikcli.services.home import OpenHome
from wikcli.store import incoming

Tick = Callable[[int, int], None]


def read(paths: Iterable[Path]) -> list[BankFile]:
    """The statement files, read and checked: one bad file or credit refuses them all
    (``BankFileError``), before anything is recorded."""
    files = []
    for path in paths:
        data = incoming.read_bounded(path, statements.MAX_BYTES, statements.BankFileError)
        files.append(statements.parse(data, path.name))
    limits.check_credits(files, statements.BankFileError)
    return files


@dataclass
class ImportResult:
    """What an import booked, kept for review and passed over, per file and in all."""

    files: list[BankFile]
    plans: list[BankImportPlan]  # one per file
    dry_run: bool

    @property
    def booked(self) -> list[Booked]:
        return [b for p in self.plans for b in p.booked]

    @property
    def kept(self) -> list[Kept]:
        return [k for p in self.plans for k in p.kept]

    @property
    def already(self) -> int:
        return sum(p.already for p in self.plans)

    @property
    def ibans(self) -> list[tuple[str, str]]:
        """(client, IBAN) remembered, in the order they were learnt."""
        return [ci for p in self.plans for ci in p.ibans]

    @property
    def credits(self) -> int:
        return sum(len(f.credits) for f in self.files)

    @property
    def credits_total(self) -> Decimal:
        return sum((f.credits_total for f in self.files), Decimal("0.00"))

    @property
    def skipped(self) -> Counter:
        out: Counter = Counter()
        for f in self.files:
            out.update(f.skipped)
        return out

    def to_json(self) -> dict:
        """The shape of `wik bank import --json` (docs/json.md)."""
        return {
            "dry_run": self.dry_run,
            "files": [{"file": f.name, "format": f.format, "bank": f.bank, "statements": len(f.statements),
                       "credits": len(f.credits), "credits_total": to_str(f.credits_total),
                       "skipped": dict(sorted(f.skipped.items())),
                       "failed_checks": [{"statement": c.statement, "check": c.what, "expected": c.expected,
                                          "found": c.found} for c in f.failed_checks]} for f in self.files],
            "credits": self.credits, "credits_total": to_str(self.credits_total),
            "matched": [b.to_json() for b in self.booked], "unmatched": [k.to_json() for k in self.kept],
            "skipped": dict(sorted(self.skipped.items())), "already_imported": self.already,
            "client_ibans": [{"client": c, "iban": i} for c, i in self.ibans],
        }


def import_files(home: OpenHome, files: list[BankFile], today: date, *, dry_run: bool = False,
                 ticks: Iterable[Tick | None] | None = None) -> ImportResult:
    """Book the credits of ``files`` (``read``) on the ledger, or with ``dry_run`` only say
    what would be booked. ``ticks``: one progress callback per file (or None), told how far
    its credits have come."""
    per_file = iter(ticks) if ticks is not None else repeat(None)
    plans = []
    if dry_run:
        # One plan over all files against the ledger as read: what recording them one by one gives.
        importer = Importer(home.ledger(), home.rulebook, today)
        plans = [importer.run(f.credits, next(per_file)) for f in files]
        return ImportResult(files, plans, dry_run)
    for f in files:
        planned: list[BankImportPlan] = []
        tick = next(per_file)

        def build(ledger: Ledger, f: BankFile = f, tick: Tick | None = tick) -> list:
            planned.clear()  # built once per record; cleared should the build run again
            importer = Importer(ledger, home.rulebook, today)
            planned.append(importer.run(f.credits, tick))
            importer.give_back()  # recording folds the events into the ledger, once
            return planned[0].events

        recorded = home.record(build)
        plan = planned[0]
        plan.numbered(recorded)
        plans.append(plan)
    return ImportResult(files, plans, dry_run)


def unmatched(home: OpenHome, today: date) -> list[Pending]:
    """The credits kept for review on ``today``, oldest first."""
    ledger = home.ledger()
    return History.of(ledger.bank).pending(ledger, today)


def match(home: OpenHome, tx: str, numbers: Iterable[str], today: date, *, allow_overpayment: bool = False,
          force: bool = False) -> tuple[list, Pending]:
    """Book the credit ``tx`` (kept for review) on invoices ``numbers``: the events recorded
    and the credit."""
    found: list[Pending] = []
    wanted = tuple(numbers)

    def build(ledger: Ledger) -> list:
        out, p = review.match_by_hand(ledger, tx, wanted, home.rulebook, today=today,
                                      allow_overpayment=allow_overpayment, force=force)
        found[:] = [p]
        return out

    recorded = home.record(build)
    return recorded, found[0]


def ignore(home: OpenHome, tx: str, reason: str, today: date) -> tuple[list, Pending]:
    """Mark the credit ``tx`` (kept for review) as no payment of an invoice: the events
    recorded and the credit."""
    found: list[Pending] = []

    def build(ledger: Ledger) -> list:
        out, p = review.ignore(ledger, tx, reason, today)
        found[:] = [p]
        return out

    recorded = home.record(build)
    return recorded, found[0]

"""The home folder itself, as a Python API (no Typer, no printing): ``create`` makes it
(config.toml and an empty journal, whole or not at all) or changes its config, ``repair``
mends a journal a crash left torn, ``merge`` takes a sync conflict copy of the journal back
in. `wik init` and `wik repair` print what these return."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wikcli.i18n import _

# The flags `wik init` takes, as config.toml's [creditor] keys.
CREDITOR_KEYS = ("name", "address", "postcode", "city", "kvk", "vat_id", "iban", "bic", "email", "phone",
                 "vat_deductible")


@dataclass(frozen=True)
class Created:
    """What ``create`` wrote: config.toml, and whether the journal was there already."""

    config: Path
    journal: Path
    kept_journal: bool


def create(path: Path, given: Mapping[str, Any], now: datetime, *, force: bool = False,
           ask: Callable[[str | None, str, str], str] | None = None,
           warn: Callable[[str], None] | None = None) -> Created:
    """Make the home at ``path`` from the creditor's values ``given`` (``CREDITOR_KEYS``, None
    where not given); with ``force``, change the config.toml there: the values given replace
    its own, every other key is kept, and the journal is never replaced. ``ask(value, flag,
    prompt)`` gives a required value (name, IBAN) that is missing, or refuses; ``warn`` hears
    that an unreadable config.toml is replaced."""
    from wikcli.rules import addresses
    from wikcli.store import config
    from wikcli.store.files import all_or_nothing
    from wikcli.store.journal import Journal

    existing = path / config.CONFIG_NAME
    if existing.exists() and not force:
        raise config.ConfigError(
            _("{existing} exists: not overwriting it (use --force to change it)").format(existing=existing))
    values = dict(given)
    if values.get("postcode") is not None:
        values["postcode"] = addresses.postcode(values["postcode"])
    if values.get("email") is not None:
        values["email"] = addresses.email(values["email"], echo=True)
    base = current(path, warn) if existing.exists() else {}
    creditor = dict(base.get("creditor", {}))
    creditor.update({k: v for k, v in values.items() if v is not None})
    ask = ask or _required
    creditor["name"] = ask(creditor.get("name"), "--name", _("Your name or business name"))
    creditor["iban"] = ask(creditor.get("iban"), "--iban", "IBAN")
    creditor.setdefault("vat_deductible", True)
    data = {**base, "creditor": creditor}
    try:
        cfg = config.parse(data)
    except config.ConfigError as e:
        # The values came as flags, not from a file: name the flag.
        msg = str(e)
        for key in values:
            msg = msg.replace(f"{config.CONFIG_NAME}: creditor.{key}", "--" + key.replace("_", "-"))
        raise config.ConfigError(msg) from None
    journal = Journal(path)
    # A home is made whole or not at all: if the journal cannot be made (a full disk), the
    # new config.toml and the folders made for it go again, so `wik init` can simply be rerun.
    with all_or_nothing() as made:
        made.folder(path)
        fresh = not existing.exists()
        written = config.write(path, cfg, force=force, ui=data.get("ui"))
        if fresh:
            made.track(written)
        kept = journal.exists()
        if kept:
            journal.events()  # an existing journal must still be readable; it is kept as it is
        else:
            journal.create(now)
    return Created(written, journal.path, kept)


def _required(value: str | None, flag: str, prompt: str) -> str:
    from wikcli.errors import OptionError

    if value is not None and value.strip():
        return value
    raise OptionError(_("{flag} is required (no terminal to ask at)").format(flag=flag))


def current(path: Path, warn: Callable[[str], None] | None = None) -> dict:
    """What config.toml holds now, as the table ``create`` with ``force`` starts from; a
    config wik cannot read gives a warning and nothing: a new one is built from the values."""
    from wikcli.store import config

    try:
        base = config.to_dict(config.load(path))
        base["ui"] = config.ui_table(path)  # read before the command, so not in the Config
    except config.ConfigError as e:
        if warn is not None:
            warn(_("replacing the unreadable config.toml ({e})").format(e=e))
        return {}
    return base


@dataclass(frozen=True)
class Repaired:
    """What ``repair`` did: the side file the torn last line went to (None: the journal was
    intact), and the events the journal now holds."""

    journal: Path
    side: Path | None
    events: int


def repair(path: Path, now: datetime) -> Repaired:
    """Move a torn last line of the journal (an interrupted write) to a side file; a damaged
    line in the middle is refused, naming it, and left for a hand to fix."""
    from wikcli.store.journal import Journal

    journal = Journal(path)
    side = journal.repair(now)
    return Repaired(journal.path, side, len(journal.events()))


def merge(path: Path, copy: Path, now: datetime):
    """Take the events of ``copy`` (a sync conflict copy of the journal) that the journal lacks
    into it, numbered on, each once (``conflicts.merge``: what it returns)."""
    from wikcli.store import conflicts
    from wikcli.store.journal import Journal

    return conflicts.merge(Journal(path), copy, now)

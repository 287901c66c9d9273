"""The hand-over to a collection agency (step 6): the dossier (summary PDF, JSON export, the
archived letters) written to a folder, and the hand-over recorded.

In two calls, so that a caller can show the warnings once the dossier can be made and
before it is written: ``prepare`` refuses whatever can be refused and reads every archived
letter (checked against the SHA-256 the journal recorded); ``write`` writes the folder and
records the hand-over, all or nothing. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wikcli.i18n import _
from wikcli.ledger import commands
from wikcli.services.home import OpenHome

DOSSIER_FILES = ("dossier.pdf", "dossier.json")


@dataclass(frozen=True)
class Handover:
    """A hand-over ready to be written: the dossier, its folder and its files, and what to warn of."""

    number: str
    day: date
    force: bool
    dossier: Any  # documents.dossier.Dossier
    folder: Path
    copies: tuple[tuple[str, bytes], ...]  # the archived letters, by file name
    warnings: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        """The dossier's files, as they are written."""
        return [*DOSSIER_FILES, *(n for n, _blob in self.copies)]


def check_lang(lang: str | None) -> None:
    """The dossier's language: nl, en or None (the client's letter language)."""
    from wikcli.documents import dossier

    if lang is not None and lang not in dossier.WORDS:
        raise commands.LedgerError(_("--lang {lang!r} is unknown: expected nl or en").format(lang=lang))


def prepare(h: OpenHome, number: str, day: date, *, out: Path | None = None, force: bool = False,
            lang: str | None = None) -> Handover:
    """The hand-over of ``number`` on ``day`` into ``out`` (default:
    <home>/handover/<number>-<day>/), or a refusal before anything is written: an invoice not
    to be handed over (yet: ``force`` before a notice of default's term has run out), an
    archived letter missing or changed, a folder that is not new, empty or an interrupted
    hand-over's (whose files are removed here, to be made again)."""
    from wikcli.documents import dossier
    from wikcli.documents.letter import file_stem

    check_lang(lang)
    ledger = h.ledger()
    # Refuses an unknown, closed or already handed-over invoice before anything is written;
    # asked again under the journal's lock when the hand-over is recorded.
    commands.hand_over(ledger, number, day, h.rulebook, force=force)
    d = dossier.build(ledger, h.config, h.rulebook, number, day, lang)
    copies = tuple(_archived(h, number, letter.file or "", letter.sha256) for letter in d.archived)
    folder = out if out is not None else h.path / "handover" / f"{file_stem(number)}-{day.isoformat()}"
    _clear(folder, {*DOSSIER_FILES, *(n for n, _blob in copies)})
    inv = ledger.invoices[number]
    lost = commands.costs_lost(inv, ledger.clients[inv.client], day)
    return Handover(number, day, force, d, folder, copies, tuple(d.owed.warnings) + ((lost,) if lost else ()))


def write(h: OpenHome, made: Handover) -> list[str]:
    """Write the dossier and record the hand-over; the names of the files written. A folder
    that cannot be written, a full disk or a refused recording: the dossier goes again as a
    whole, so a hand-over is never half made."""
    import json

    from wikcli.documents import dossier_page
    from wikcli.store import files as store_files

    d = made.dossier
    files = [("dossier.pdf", dossier_page.render(d)),
             ("dossier.json", (json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))]
    with store_files.all_or_nothing() as written:
        written.folder(made.folder)
        for name, blob in files + list(made.copies):
            written.write(made.folder / name, blob)
        h.record(lambda lg: commands.hand_over(lg, made.number, made.day, h.rulebook,
                                             dossier=made.folder.name, force=made.force))
    return made.names


def _archived(h: OpenHome, number: str, name: str, sha256: str | None) -> tuple[str, bytes]:
    """An archived letter of ``number`` as the journal recorded it, or a refusal."""
    import hashlib

    where = h.path / "letters"
    if Path(name).name != name or name.startswith("."):
        raise commands.LedgerError(_("letter file {name!r} of invoice {number!r} in the journal is not a plain "
                                   "file name").format(name=name, number=number))
    try:
        blob = (where / name).read_bytes()
    except FileNotFoundError:
        raise commands.LedgerError(_("archived letter {name} of invoice {number!r} is missing from {folder}: "
                                   "restore it from a backup").format(name=name, number=number, folder=where)) from None
    except OSError as e:  # there, but not to be read: say so, rather than that it is missing
        why = (e.strerror or type(e).__name__).lower()
        fix = (_("give yourself read access to it") if isinstance(e, PermissionError)
               else _("restore it from a backup"))
        raise commands.LedgerError(_("archived letter {name} of invoice {number!r} in {folder} cannot be read "
                                   "({why}): {fix}").format(name=name, number=number, folder=where, why=why,
                                                            fix=fix)) from None
    if hashlib.sha256(blob).hexdigest() != sha256:
        raise commands.LedgerError(_("archived letter {name} of invoice {number!r} does not match the SHA-256 the "
                                   "journal recorded for it: it was changed after it was made").format(
                                       name=name, number=number))
    return name, blob


def _clear(folder: Path, names: set[str]) -> None:
    """Make ``folder`` ready for the dossier's files, or refuse a folder that holds anything
    else. What an interrupted hand-over of this invoice left (the invoice is not handed over,
    or ``commands.hand_over`` would have refused): the dossier's own files, whole or half
    written, and their temporary copies. They are made again; anything else is the user's."""
    from wikcli.store import config, files
    from wikcli.store.files import refuse_unless_regular

    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        refuse_unless_regular(folder)  # names what it is
    leftover = sorted(folder.iterdir()) if folder.is_dir() else []
    if any(p.name not in names and not any(p.name.startswith(f".{n}.tmp-") for n in names) for p in leftover):
        raise config.ConfigError(_("dossier folder {folder!r} exists and is not empty: give --out with a new folder")
                                 .format(folder=str(folder)))
    for p in leftover:
        try:
            p.unlink()
        except OSError as e:
            raise files.storage_error(e, folder) from None

"""``wik handover``: the dossier for a collection agency, then the hand-over (step 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import Home, NumberArg


@app.command()
def handover(
    number: NumberArg,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="The dossier folder (new or empty). "
        "Default: <home>/handover/<number>-<date>/.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Hand over before a notice of default's term has run out (recorded as forced).")] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="nl|en", help="Language of dossier.pdf. Default: the client's letter language "
        "(Dutch unless set to English).")] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Hand an invoice over to a collection agency: write its dossier (summary PDF, JSON
    export, the archived letters) and record the hand-over (step 6). The PDF is in the
    client's letter language (Dutch by default, with Dutch money and date notation).

    Refused before a notice of default's term has run out (or without one) unless --force.
    Every archived letter is checked against the SHA-256 the journal recorded for it; a
    changed or missing letter stops the hand-over before anything is written.

    Example:

    \b
        wik handover 2026-058
    """
    import hashlib
    import json

    from wikcli.store import config, journal
    from wikcli.ledger import commands as decide
    from wikcli.documents import dossier, page as pdf
    from wikcli.documents.letter import file_stem
    from wikcli.rules.money import to_str

    if lang is not None and lang not in dossier.WORDS:
        raise decide.LedgerError(f"--lang {lang!r} is unknown: expected nl or en")
    h = Home(home)
    day = resolve_today(today)
    ledger = h.ledger()
    # Refuses an unknown, closed or already handed-over invoice before anything is written;
    # asked again under the journal's lock when the hand-over is recorded.
    decide.hand_over(ledger, number, day, h.rulebook, force=force)
    d = dossier.build(ledger, h.config, h.rulebook, number, day, lang)

    copies: list[tuple[str, bytes]] = []
    for letter in d.archived:
        name = letter.file
        if Path(name).name != name or name.startswith("."):
            raise decide.LedgerError(f"letter file {name!r} of invoice {number!r} in the journal is not a "
                                     "plain file name")
        try:
            blob = (h.path / "letters" / name).read_bytes()
        except FileNotFoundError:
            raise decide.LedgerError(f"archived letter {name} of invoice {number!r} is missing from "
                                     f"{h.path / 'letters'}: restore it from a backup") from None
        except OSError as e:  # there, but not to be read: say so, rather than that it is missing
            why = (e.strerror or type(e).__name__).lower()
            fix = "give yourself read access to it" if isinstance(e, PermissionError) else "restore it from a backup"
            raise decide.LedgerError(f"archived letter {name} of invoice {number!r} in {h.path / 'letters'} "
                                     f"cannot be read ({why}): {fix}") from None
        if hashlib.sha256(blob).hexdigest() != letter.sha256:
            raise decide.LedgerError(f"archived letter {name} of invoice {number!r} does not match the "
                                     "SHA-256 the journal recorded for it: it was changed after it was made")
        copies.append((name, blob))

    safe = file_stem(number)
    folder = out if out is not None else h.path / "handover" / f"{safe}-{day.isoformat()}"
    names = {"dossier.pdf", "dossier.json", *(n for n, _ in copies)}
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        journal.refuse_unless_regular(folder)  # names what it is
    # What an interrupted hand-over of this invoice left (the invoice is not handed over, or
    # ``decide.hand_over`` would have refused): the dossier's own files, whole or half
    # written, and their temporary copies. They are made again; anything else is the user's.
    leftover = sorted(folder.iterdir()) if folder.is_dir() else []
    if any(p.name not in names and not any(p.name.startswith(f".{n}.tmp-") for n in names) for p in leftover):
        raise config.ConfigError(f"dossier folder {str(folder)!r} exists and is not empty: "
                                 "give --out with a new folder")
    for p in leftover:
        try:
            p.unlink()
        except OSError as e:
            raise config.storage_error(e, folder) from None
    # Warned once the dossier can be made: a refusal above is the one line that matters.
    from wikcli.cli.common import warn

    warn(d.owed.warnings)  # the dossier notes them too
    inv = ledger.invoices[number]
    lost = decide.costs_lost(inv, ledger.clients[inv.client], day)
    if lost:
        warn([lost])
    files = [("dossier.pdf", pdf.render_dossier(d)),
             ("dossier.json", (json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))]
    # A folder that cannot be written, a full disk or a refused recording: the dossier goes
    # again as a whole, so a hand-over is never half made.
    with journal.all_or_nothing() as written:
        written.folder(folder)
        for name, blob in files + copies:
            written.write(folder / name, blob)
        h.record(lambda lg: decide.hand_over(lg, number, day, h.rulebook, dossier=folder.name,
                                             force=force))

    if as_json:
        emit_json({"invoice": number, "date": day.isoformat(), "folder": str(folder),
                   "files": [n for n, _ in files + copies], "total_due": to_str(d.owed.total_due)})
        return
    typer.echo(f"Handed over invoice {number} on {day.isoformat()}; dossier: {folder}")

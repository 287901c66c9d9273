"""``wik handover``: the dossier for a collection agency, then the hand-over (step 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import NumberArg, open_home
from wikcli.i18n import _


@app.command()
def handover(
    number: NumberArg,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help=_("The dossier folder (new or empty). "
        "Default: <home>/handover/<number>-<date>/."))] = None,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Hand over before a notice of default's term has run out (recorded as forced)."))] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="nl|en", help=_("Language of dossier.pdf. Default: the client's letter language "
        "(Dutch unless set to English)."))] = None,
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
    from wikcli.cli.common import warn
    from wikcli.rules.money import to_str
    from wikcli.services import handover as service

    service.check_lang(lang)
    h = open_home(home)
    day = resolve_today(today)
    made = service.prepare(h, number, day, out=out, force=force, lang=lang)
    # Warned once the dossier can be made: a refusal above is the one line that matters.
    warn(made.warnings)  # the dossier notes them too
    names = service.write(h, made)
    if as_json:
        emit_json({"invoice": number, "date": day.isoformat(), "folder": str(made.folder),
                   "files": names, "total_due": to_str(made.dossier.owed.total_due)})
        return
    typer.echo(_("Handed over invoice {number} on {day}; dossier: {folder}").format(
        number=number, day=day.isoformat(), folder=made.folder))

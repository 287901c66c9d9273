"""``wik demo``: the whole product in one command, in a throwaway home."""

from __future__ import annotations

from datetime import datetime, UTC
from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.i18n import _


@app.command()
def demo(
    dir_: Annotated[Path | None, typer.Option(
        "--dir", metavar="DIR", help=_("Create the demo home here (an empty or new folder). "
        "Default: a new temporary folder."))] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a demo home with six invoices, one in each step, show `wik status` and render
    a WIK-letter. Your own wik home is not touched.

    Example:

    \b
        wik demo --dir wik-demo --today 2026-11-25
    """
    import tempfile

    from wikcli.store import config, journal
    from wikcli.store.files import all_or_nothing
    from wikcli.services import demo as demo_mod
    from wikcli.cli.common import status_table, warn
    from wikcli.cli.home import open_home
    from wikcli.services import letters

    day = resolve_today(today)
    if dir_ is None:
        target = Path(tempfile.mkdtemp(prefix="wik-demo-"))
    else:
        target = dir_
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise config.ConfigError(_("--dir {target!r} is not an empty folder: pick a new one").format(target=str(target)))
    d = demo_mod.build(day)
    now = datetime.now(UTC)
    with all_or_nothing() as made:
        # A demo home that cannot be finished (a folder that cannot be written, a full disk)
        # is taken away again: no half a home is left behind.
        made.folder(target)
        if dir_ is None:
            made.track(target)  # the new temporary folder
        config.write(target, d.config)
        made.track(target / config.CONFIG_NAME)
        j = journal.Journal(target)
        j.create(now)
        made.track(j.path)
        made.track(j.lock_path)
        with j.transaction(now) as tx:
            for ev in d.events:
                tx.append(*ev)
        for name, blob in demo_mod.files(d, day).items():
            (target / name).write_bytes(blob)
            made.track(target / name)
        h = open_home(str(target))
        wik_letter = letters.compose(h, h.ledger(), [d.wik_invoice], "wik", d.wik_day, "post", day, None)
        warn(wik_letter.warnings)
        path = letters.archive(h, wik_letter, day, sent=True).path
    if not as_json:
        typer.echo(_("Demo home: {target}\n").format(target=target))
        view = h.overview(day)
        warn(w for a in view.rows for w in a.warnings)
        status_table(view.rows, day)
        view.keep()
    if as_json:
        from wikcli.ledger import steps

        rows = steps.assess_all(h.ledger(), h.rulebook, day)
        emit_json({"home": str(target), "letter": str(path), "status": [a.to_json() for a in rows]})
        return
    typer.echo(_("\nThe WIK-letter of invoice {wik_invoice}, sent {wik_day}: {path}").format(wik_invoice=d.wik_invoice, wik_day=d.wik_day.isoformat(), path=path))
    import shlex

    where = shlex.quote(str(target))
    typer.echo(_("Go on with: {value} status --home {where}   (or: export WIK_HOME={where})").format(value=invocation(), where=where))


def invocation() -> str:
    """How to run this wik again from the same shell: ``wik`` when that name finds this
    program, else the path it was started by (``.venv/bin/wik`` right after the README's
    install, before the venv is activated)."""
    import os
    import shlex
    import shutil
    import sys

    started = sys.argv[0] if sys.argv else ""
    if os.path.basename(started) != "wik":  # python -m wikcli, or a test runner
        return "wik"
    found = shutil.which("wik")
    if found and os.path.realpath(found) == os.path.realpath(started):
        return "wik"
    return shlex.quote(started)

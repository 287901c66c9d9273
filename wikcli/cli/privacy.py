"""Data-subject rights over a debtor's personal data: ``wik export-client`` (access) and
``wik forget`` (erasure after the retention period)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import open_home
from wikcli.i18n import _, ngettext
from datetime import UTC

ClientArg = Annotated[str, typer.Argument(metavar="ID", help=_("The client's id."), show_default=False)]


@app.command("export-client")
def export_client(
    client_id: ClientArg,
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE.json",
                                             help=_("Write here (owner-only) instead of printing."))] = None,
    home: HomeOpt = None,
) -> None:
    """Everything wik holds about a client, as JSON: for a data-subject access request.

    Example:

    \b
        wik export-client jansen --out jansen.json
    """
    import json

    from wikcli.store.files import write_private
    from wikcli.services import privacy

    doc = privacy.access(open_home(home), client_id)
    if out is None:
        emit_json(doc)
        return
    write_private(out, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    typer.echo(_("Wrote {out}").format(out=out))


@app.command()
def forget(
    client_id: ClientArg,
    home: HomeOpt = None,
    today: TodayOpt = None,
) -> None:
    """Erase a closed client's personal data once the retention period has run out.

    The client's name, address and e-mail, the texts of its notes and what its bank
    payments say about the payer (name, IBAN, text) are blanked in the journal, in credits
    kept for review or ignored as well, and the client's id is replaced by a random
    pseudonym; a tombstone event records that this happened, in the same rewrite. The
    client's archived letters, statements and dossiers are deleted, with any temporary copy
    an interrupted write left, and the torn tails `wik repair` moved aside are cleaned of
    the data. Refused while an invoice is open or within the retention period
    (policy.retention_years, 7 by default: art. 52 AWR).

    Example:

    \b
        wik close 2026-031 --reason handed-over
        wik forget visser --today "over 8 jaar"
    """
    from datetime import datetime

    from wikcli.services import privacy

    done = privacy.forget(open_home(home), client_id, resolve_today(today), datetime.now(UTC))
    cleaned = f", {done.cleaned} cleaned" if done.cleaned else ""
    blanked = ngettext("{count} event(s) blanked", "{count} event(s) blanked", done.blanked).format(count=done.blanked)
    deleted = ngettext("{count} file(s) deleted", "{count} file(s) deleted", done.deleted).format(count=done.deleted)
    typer.echo(_("Forgot client {client_id} (now {new_id}): {blanked}, {deleted}{cleaned}.").format(
        client_id=done.client_id, new_id=done.new_id, blanked=blanked, deleted=deleted, cleaned=cleaned))

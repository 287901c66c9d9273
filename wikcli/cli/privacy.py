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

    from wikcli.ledger import commands
    from wikcli.services import privacy
    from wikcli.store.files import storage_error

    h = open_home(home)
    day = resolve_today(today)
    now = datetime.now(UTC)
    ledger = h.ledger()
    client_id = commands.client_id_of(ledger, client_id)  # ids never change: resolving first is safe
    new_id = privacy.pseudonym(ledger)
    plan: list[privacy.Erasure] = []
    counts = {"files": 0, "cleaned": 0}

    def allowed(events) -> None:
        from wikcli.ledger import facts

        commands.forget(facts.fold(events), client_id, day, h.rulebook)  # raises if refused
        erasure = privacy.Erasure(events, client_id, new_id)
        plan.append(erasure)
        # The files first, under the journal's lock: a failure leaves the journal as it was,
        # so running the command again does the whole job.
        files = privacy.derived_files(h.path, erasure.numbers, erasure.recorded, client_id=client_id)
        delete, scrub = privacy.leftovers(h.path, h.journal.path, erasure)
        for f in scrub:
            try:
                from wikcli.store.files import write_private

                write_private(f, erasure.scrub(f.read_bytes()))
            except OSError as e:
                raise storage_error(e, f.parent, _("rewrite files in the folder"),
                                    _("nothing was erased; run `wik forget {id}` again once it can be "
                                      "written").format(id=client_id)) from None
        for f in files + delete:
            try:
                f.unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                raise storage_error(e, f.parent, _("delete files in the folder"),
                                    _("run `wik forget {id}` again once it can be written").format(
                                        id=client_id)) from None
        for d in sorted({f.parent for f in files if f.parent.parent.name == "handover"}, reverse=True):
            try:
                d.rmdir()  # a dossier's folder, now empty
            except OSError:
                pass
        counts["files"], counts["cleaned"] = len(files) + len(delete), len(scrub)

    def tombstone(events):
        from wikcli.ledger import facts

        return [(t, i, {**d, "id": new_id}) for t, i, d in
                commands.forget(facts.fold(events), client_id, day, h.rulebook)]

    removed = h.journal.redact(lambda ev: plan[-1].change(ev), now, check=allowed, append=tombstone)
    h.ledger()  # reads the new journal back, and makes the snapshot again from it
    cleaned = f", {counts['cleaned']} cleaned" if counts["cleaned"] else ""
    blanked = ngettext("{count} event(s) blanked", "{count} event(s) blanked", removed).format(count=removed)
    deleted = ngettext("{count} file(s) deleted", "{count} file(s) deleted", counts['files']).format(count=counts['files'])
    typer.echo(_("Forgot client {client_id} (now {new_id}): {blanked}, {deleted}{cleaned}.").format(
        client_id=client_id, new_id=new_id, blanked=blanked, deleted=deleted, cleaned=cleaned))

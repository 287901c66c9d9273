"""Data-subject rights over a debtor's personal data: ``wik export-client`` (access) and
``wik forget`` (erasure after the retention period)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import Home

ClientArg = Annotated[str, typer.Argument(metavar="ID", help="The client's id.", show_default=False)]


@app.command("export-client")
def export_client(
    client_id: ClientArg,
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE.json",
                                             help="Write here (owner-only) instead of printing.")] = None,
    home: HomeOpt = None,
) -> None:
    """Everything wik holds about a client, as JSON: for a data-subject access request.

    Example:

    \b
        wik export-client jansen --out jansen.json
    """
    import json

    from wikcli import journal, privacy

    from wikcli import decide, process

    h = Home(home)
    events = h.journal.events()
    doc = privacy.export(events, decide.client_id_of(process.fold(events), client_id))
    if out is None:
        emit_json(doc)
        return
    journal.write_private(out, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    typer.echo(f"Wrote {out}")


@app.command()
def forget(
    client_id: ClientArg,
    home: HomeOpt = None,
    today: TodayOpt = None,
) -> None:
    """Erase a closed client's personal data once the retention period has run out.

    The client's name, address and e-mail, the texts of its notes and what its bank
    payments say about the payer (name, IBAN, text) are blanked in the journal, a tombstone
    event records that this happened, and the client's archived letters, statements and
    dossiers are deleted. Refused while an invoice is open or within the
    retention period (policy.retention_years, 7 by default: art. 52 AWR).

    Example:

    \b
        wik close 2026-031 --reason handed-over
        wik forget visser --today "over 8 jaar"
    """
    from datetime import datetime, timezone

    from wikcli import decide, privacy, process

    h = Home(home)
    day = resolve_today(today)
    now = datetime.now(timezone.utc)
    numbers: set[str] = set()
    keys: set[str] = set()
    client_id = decide.client_id_of(h.ledger(), client_id)  # ids never change: resolving first is safe
    recorded: set[str] = set()  # the letters' and dossiers' names as the journal holds them

    def allowed(events) -> None:
        ledger = process.fold(events)
        decide.forget(ledger, client_id, day, h.policy, h.vat_deductible)  # raises if refused
        numbers.update(inv.number for inv in ledger.invoices.values() if inv.client == client_id)
        recorded.update(str(e.data.get("file") or e.data.get("dossier") or "") for e in events
                        if e.invoice in numbers)
        keys.update(privacy.bank_keys(events, numbers))

    # Erase first and write the tombstone last: a crash in between leaves the client not yet
    # forgotten, so running the command again finishes the job instead of refusing it.
    removed = h.journal.redact(lambda ev: privacy.redact(ev, client_id, numbers, keys), now, check=allowed)
    files = privacy.derived_files(h.path, numbers, recorded, client_id=client_id)
    from wikcli.config import storage_error

    for f in files:
        try:
            f.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            # The journal is blanked, the tombstone not yet written: running the command
            # again (once the folder can be written) finishes the job.
            raise storage_error(e, f.parent, "delete files in the folder",
                                f"run `wik forget {client_id}` again once it can be written") from None
    h.record(lambda ledger: decide.forget(ledger, client_id, day, h.policy, h.vat_deductible))
    typer.echo(f"Forgot client {client_id}: {removed} event(s) blanked, {len(files)} file(s) deleted.")

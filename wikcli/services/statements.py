"""The statement of account (rekeningoverzicht): made for a client on a day, archived in
<home>/statements/ with its SHA-256 in the journal. ``wik statement`` and
``wik send --statement`` make it here; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wikcli.documents.account import AccountStatement
from wikcli.i18n import _
from wikcli.services.home import OpenHome


@dataclass(frozen=True)
class Statement:
    """A statement as made on its day, not yet kept: its content, its PDF and its file name."""

    content: AccountStatement
    pdf: bytes
    name: str
    warnings: tuple[str, ...]


def compose(h: OpenHome, ledger, client_id: str, day: date, lang: str | None) -> Statement:
    """``client_id``'s statement on ``day``, in ``lang`` (default: the client's language)."""
    from wikcli.documents import account

    st = account.build(ledger, h.config, h.rulebook, client_id, day, lang)
    return Statement(st, account.render(st), account.file_name(st.client.id, day), tuple(st.warnings))


def archive(h: OpenHome, made: Statement, via: str | None) -> tuple[Path, str]:
    """Keep the exact copy in <home>/statements/ and record it with its SHA-256 (and ``via``
    when it was sent); (the archived path, its SHA-256)."""
    import hashlib

    from wikcli.documents import account
    from wikcli.ledger.commands import LedgerError
    from wikcli.store.files import archive_target, write_private

    st, blob = made.content, made.pdf
    digest = hashlib.sha256(blob).hexdigest()
    target = archive_target(h.path / "statements", made.name, blob)
    # The file first: an event must never point at a statement that is not there.
    write_private(target, blob)

    def build(ledger):
        again = account.build(ledger, h.config, h.rulebook, st.client.id, st.day, st.lang)
        if again.to_json() != st.to_json():
            raise LedgerError(_("the ledger changed while the statement was made: run the command again"))
        return [account.rendered_event(st, target.name, digest, via)]

    h.record(build)
    return target, digest

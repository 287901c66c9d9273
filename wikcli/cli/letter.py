"""``wik letter``: render the letter of an invoice's next step as a PDF and archive it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date, parse_kind, resolve_today
from wikcli.cli.home import Home, NumberArg

KindOpt = Annotated[str | None, typer.Option(
    "--kind", metavar="reminder|wik|default",
    help="Which letter; Dutch words work too (herinnering, aanmaning, 14-dagenbrief, ingebrekestelling). "
    "Default: the one the invoice's next action calls for.")]
LangOpt = Annotated[str | None, typer.Option(
    "--lang", metavar="nl|en", help="Language. Default: the client's language.")]


def next_kind(h: Home, ledger, number: str, day: date) -> str:
    """The letter the invoice's next action asks for."""
    from wikcli import process
    from wikcli.decide import LedgerError

    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    a = process.assess(inv, ledger.clients[inv.client], h.policy, h.vat_deductible, day, with_interest=False)
    kind = process.ACTION_LETTER.get(a.next_action)
    if kind is None:
        raise LedgerError(f"invoice {number!r} needs no letter now (next action: {a.next_action}): "
                          "give --kind to render one anyway")
    return kind


def render(h: Home, ledger, number: str, kind: str | None, day: date, via: str,
           lang: str | None) -> tuple[str, bytes, str]:
    """(kind, PDF bytes, file name) of the letter as it would be sent on ``day``."""
    data, _, blob, name = compose(h, ledger, number, kind, day, via, lang)
    return data.kind, blob, name


def compose(h: Home, ledger, number: str, kind: str | None, day: date, via: str, lang: str | None):
    """(letter data, letter text, PDF bytes, file name): what ``render`` gives, plus the words."""
    from wikcli import letters, pdf

    kind = kind or next_kind(h, ledger, number, day)
    data = letters.compose(ledger, h.config, number, kind, day, via, lang)
    from wikcli.cli.common import warn

    warn(data.warnings)
    text = letters.render_text(data, letters.template_dirs(h.path))
    return data, text, pdf.render(data, text), letters.file_name(number, kind, day)


def archive(h: Home, number: str, kind: str, day: date, blob: bytes, name: str,
            sent_via: str | None = None, also=None) -> tuple[Path, str]:
    """Keep the exact copy in <home>/letters/ and record it (and, if sent, the sending).

    ``also(target)`` may name more files [(path, bytes)] that belong with the letter (the
    e-mail of a dry run): written before the recording, and gone again if it fails."""
    import hashlib  # here, not at the top: OpenSSL's start-up is a cost every other command would pay

    from wikcli import decide, journal

    digest = hashlib.sha256(blob).hexdigest()
    folder = h.path / "letters"
    target = folder / name
    n = 2
    while target.exists() and target.read_bytes() != blob:
        target = folder / name.replace(".pdf", f"-{n}.pdf")
        n += 1

    def build(ledger):
        events = decide.rendered(ledger, number, kind, day, target.name, digest)
        if sent_via:
            events += decide.sent(ledger, number, kind, day, sent_via, h.policy, h.vat_deductible,
                                  file=target.name, sha256=digest)
        return events

    # The file first: an event must never point at a letter that is not there; and no
    # letter without its event either, if the recording fails.
    with journal.all_or_nothing() as files:
        files.write(target, blob)
        for path, data in (also(target) if also else ()):
            files.write(path, data)
        h.record(build)
    return target, digest


@app.command()
def letter(
    number: NumberArg,
    kind: KindOpt = None,
    lang: LangOpt = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH",
                                             help="Also write the PDF here.")] = None,
    sent: Annotated[str | None, typer.Option(
        "--sent", metavar="DATE", help="Record the letter as sent on DATE (as `wik sent` does).")] = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email",
                                     help="How it goes out; decides the term's last day.")] = "post",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Render a reminder, WIK-letter or notice of default as a PDF; print its path.

    The letter is dated --sent or today, its term counted from that day by --via. Every
    rendered letter is archived in <home>/letters/ with its SHA-256 in the journal.

    Example:

    \b
        wik letter 2026-101 --kind herinnering
        wik letter 2026-072 --kind ingebrekestelling --sent 2026-12-10 --via post
    """
    from wikcli import deadlines, journal
    from wikcli.decide import LedgerError

    if via not in deadlines.CHANNELS:
        raise LedgerError(f"--via {via!r} is unknown: expected post or email")
    if lang is not None and lang not in ("nl", "en"):
        raise LedgerError(f"--lang {lang!r} is unknown: expected nl or en")
    day = parse_date(sent, "--sent") if sent else resolve_today(today)
    kind = parse_kind(kind) if kind else None
    h = Home(home)
    ledger = h.ledger()
    kind, blob, name = render(h, ledger, number, kind, day, via, lang)
    with journal.all_or_nothing() as files:  # the --out copy goes again if archiving fails
        if out is not None:
            files.write(out, blob)
        target, digest = archive(h, number, kind, day, blob, name, via if sent else None)
    shown = out or target
    if as_json:
        emit_json({"invoice": number, "kind": kind, "date": day.isoformat(), "path": str(shown),
                   "archived": str(target), "sha256": digest, "sent": bool(sent)})
        return
    typer.echo(str(shown))

"""``wik letter``: render the letter of one or more invoices' next step as a PDF and archive it.

The three commands that make or record letters (``letter``, ``sent``, ``send``) share what
is here: which invoices a letter covers (numbers or ``--client``), which kind it is, its
claim (``claims.compose``), and recording it under the journal's lock.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date, resolve_today, warn
from wikcli.cli.home import ClientOpt, Home, KindOpt, LangOpt, NumbersArg

def next_kind(h: Home, ledger, number: str, day: date) -> str:
    """The letter an invoice's next action asks for."""
    from wikcli.ledger import process
    from wikcli.ledger.commands import LedgerError

    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    a = process.assess(inv, ledger.clients[inv.client], h.policy, h.vat_deductible, day, with_interest=False)
    kind = process.ACTION_LETTER.get(a.next_action)
    if kind is None:
        raise LedgerError(f"invoice {number!r} needs no letter now (next action: {a.next_action}): "
                          "give --kind to make one anyway")
    return kind


ForceDefaultOpt = Annotated[bool, typer.Option(
    "--force", help="Send a consumer's notice of default with no WIK-letter whose term has run (the "
    "collection costs are then lost; recorded).")]


def covered(h: Home, ledger, numbers: list[str] | None, client: str | None, kind: str | None,
            day: date, today: date) -> tuple[list[str], str]:
    """(the invoices a letter covers, its kind) from NUMBER... or --client, and --kind."""
    from wikcli.ledger import claims
    from wikcli.cli.common import parse_kind
    from wikcli.errors import OptionError

    kind = parse_kind(kind) if kind is not None else None
    if client and numbers:
        raise OptionError("give invoice numbers or --client, not both")
    if client:
        if kind is None:
            raise OptionError("--client needs --kind: which letter the client's invoices get")
        return claims.select(ledger, h.config, client, kind, day, today), kind
    if not numbers:
        raise OptionError("no invoice given: name one or more invoice numbers, or --client ID")
    if kind is None:
        kinds = {n: next_kind(h, ledger, n, day) for n in numbers}
        if len(set(kinds.values())) > 1:
            raise OptionError("the invoices call for different letters ("
                              + ", ".join(f"{n}: {k}" for n, k in kinds.items()) + "): give --kind")
        kind = next(iter(kinds.values()))
    return list(numbers), kind


def compose(h: Home, ledger, numbers: list[str], kind: str, day: date, via: str, today: date,
            lang: str | None, force: bool = False):
    """(claim, letter data, letter text, PDF bytes, file name) of the letter as sent on ``day``."""
    from wikcli.ledger import claims
    from wikcli.documents import letter as letters, page as pdf

    claim = claims.compose(ledger, h.config, numbers, kind, day, via, today=today, force=force)
    warn(claim.warnings)
    unagreed = claims.email_refusal(claim.client, kind, via)
    if unagreed:
        # `wik send` refuses this; a letter the user e-mailed is recorded, with the reason to doubt it.
        warn([unagreed.replace("send the", "its receipt may be hard to prove; send a")])
    advice = claims.consumer_warning(ledger, h.config, claim, today)
    if advice:
        warn([advice])
    data = letters.from_claim(claim, h.config, lang)
    text = letters.render_text(data, letters.template_dirs(h.path))
    return claim, data, text, pdf.render(data, text), letters.file_name(claim.numbers, kind, day)


def record(h: Home, claim, today: date, *, rendered: tuple[str, str] | None = None,
           sent: bool = True, printed: bool = True, email: dict | None = None):
    """Record the letter (rendered and/or sent) under the journal's lock; returns (events,
    the claim recorded). The claim is made again against the ledger as the lock finds it: a
    printed letter must still say what the ledger holds (a payment recorded meanwhile by a
    cron run or another terminal would make it wrong: refused), a letter wik did not print
    (``printed=False``: `wik sent` of the user's own letter) is recorded as made now."""
    from wikcli.ledger import claims, commands as decide

    recorded = []

    def build(ledger):
        again = claims.compose(ledger, h.config, claim.numbers, claim.kind, claim.day, claim.via,
                               today=today, force=claim.forced)
        use = claim if printed else again
        if printed and not claims.same_figures(again, claim):
            raise decide.LedgerError("the ledger changed while the letter was made: run the command again")
        recorded.append(use)
        events = []
        if rendered is not None:
            events += decide.rendered(ledger, use, *rendered)
        if sent:
            file, sha = rendered if rendered is not None else ("", "")
            events += decide.sent(ledger, use, file=file, sha256=sha, email=email)
        return events

    events = h.record(build)
    return events, recorded[-1]


def archive(h: Home, claim, blob: bytes, name: str, today: date, *, sent: bool,
            also=None, email: dict | None = None) -> tuple[Path, str]:
    """Keep the exact copy in <home>/letters/ and record it (and, if sent, the sending).

    ``also(target)`` may name more files [(path, bytes)] that belong with the letter (the
    e-mail of a dry run): written before the recording, and gone again if it fails."""
    import hashlib  # here, not at the top: OpenSSL's start-up is a cost every other command would pay

    from wikcli.store import journal

    digest = hashlib.sha256(blob).hexdigest()
    target = journal.archive_target(h.path / "letters", name, blob)
    # The file first: an event must never point at a letter that is not there; and no
    # letter without its event either, if the recording fails.
    with journal.all_or_nothing() as files:
        files.write(target, blob)
        for path, data in (also(target) if also else ()):
            files.write(path, data)
        record(h, claim, today, rendered=(target.name, digest), sent=sent, email=email)
    return target, digest


@app.command()
def letter(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: KindOpt = None,
    lang: LangOpt = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH",
                                             help="Also write the PDF here.")] = None,
    sent: Annotated[str | None, typer.Option(
        "--sent", metavar="DATE", help="Record the letter as sent on DATE (as `wik sent` does).")] = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email",
                                     help="How it goes out; decides the term's last day.")] = "post",
    calibration: Annotated[bool, typer.Option(
        "--calibration", help="Print a test page with the window envelope's address field instead "
                              "(config [letters] window_*); written to --out or <home>/calibration.pdf.")] = False,
    force: ForceDefaultOpt = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Render a reminder, WIK-letter or notice of default as a PDF; print its path.

    One letter may cover several invoices of one client: name them, or give --client ID and
    --kind for every open invoice of that client the letter may cover (a consumer's several
    invoices in one WIK-letter carry one staffel over their sum). The letter is dated --sent
    or today, its term counted from that day by --via. A reminder covers invoices past their
    due date, a WIK-letter or notice of default only invoices in default. Every rendered
    letter is archived in <home>/letters/ with its SHA-256 and its claim in the journal.
    `wik letter --calibration` prints a test page instead: the window envelope's address field
    outlined (config [letters] window_*) with a sample address, to fold into your envelope.

    Example:

    \b
        wik letter 2026-087
        wik letter --client bakkerij --kind herinnering --via email
    """
    from wikcli.store import journal
    from wikcli.ledger.commands import LedgerError

    if lang is not None and lang not in ("nl", "en"):
        raise LedgerError(f"--lang {lang!r} is unknown: expected nl or en")
    now = resolve_today(today)
    if calibration:
        return _calibration(home, out, lang, now, as_json, given=[
            opt for opt, value in (("NUMBER", numbers), ("--client", client), ("--kind", kind),
                                   ("--sent", sent)) if value])
    day = parse_date(sent, "--sent") if sent else now
    h = Home(home)
    ledger = h.ledger()
    wanted, kind = covered(h, ledger, numbers, client, kind, day, now)
    claim, data, text, blob, name = compose(h, ledger, wanted, kind, day, via, now, lang, force)
    if sent:  # refused before any file is written (a draft may still be made, to look at)
        from wikcli.ledger.delivery import no_address

        no_address(claim.client, claim.via)
    with journal.all_or_nothing() as files:  # the --out copy goes again if archiving fails
        if out is not None:
            files.write(out, blob)
        target, digest = archive(h, claim, blob, name, now, sent=bool(sent))
    shown = out or target
    if as_json:
        emit_json({"invoice": claim.numbers[0], "invoices": list(claim.numbers), "kind": kind,
                   "date": day.isoformat(), "path": str(shown), "archived": str(target), "sha256": digest,
                   "sent": bool(sent)})
        return
    typer.echo(str(shown))


def _calibration(home, out: Path | None, lang: str | None, day: date, as_json: bool, given: list[str]) -> None:
    """``wik letter --calibration``: the window envelope's test page; records nothing."""
    from wikcli.store import journal
    from wikcli.documents import page as pdf
    from wikcli.errors import OptionError

    if given:
        raise OptionError(f"--calibration prints a test page, not a letter: leave out {', '.join(given)}")
    h = Home(home)
    window = h.config.letters.window
    blob = pdf.render_calibration(h.config.creditor, window, lang or h.config.letters.lang, day)
    target = out or h.path / "calibration.pdf"
    with journal.all_or_nothing() as files:
        files.write(target, blob)
    if as_json:
        emit_json({"path": str(target), "window": {"left": window.left, "top": window.top,
                                                   "width": window.width, "height": window.height}})
        return
    typer.echo(str(target))

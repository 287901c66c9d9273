"""``wik letter``: render the letter of one or more invoices' next step as a PDF and archive it.

What the letter covers, says and records is decided in ``services/letters.py``; this module
reads the options, shows the warnings and prints the path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date, parse_kind, resolve_today, warn
from wikcli.cli.home import ClientOpt, KindOpt, LangOpt, NumbersArg, open_home
from wikcli.i18n import _

ForceDefaultOpt = Annotated[bool, typer.Option(
    "--force", help=_("Send a consumer's notice of default with no WIK-letter whose term has run (the "
    "collection costs are then lost; recorded)."))]


@app.command()
def letter(
    numbers: NumbersArg = None,
    client: ClientOpt = None,
    kind: KindOpt = None,
    lang: LangOpt = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH",
                                             help=_("Also write the PDF here."))] = None,
    sent: Annotated[str | None, typer.Option(
        "--sent", metavar="DATE", help=_("Record the letter as sent on DATE (as `wik sent` does)."))] = None,
    via: Annotated[str, typer.Option("--via", metavar="post|email",
                                     help=_("How it goes out; decides the term's last day."))] = "post",
    calibration: Annotated[bool, typer.Option(
        "--calibration", help=_("Print a test page with the window envelope's address field instead "
                              "(config [letters] window_*); written to --out or <home>/calibration.pdf."))] = False,
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
    from wikcli.services import letters

    letters.check_lang(lang)
    now = resolve_today(today)
    if calibration:
        return _calibration(home, out, lang, now, as_json, given=[
            opt for opt, value in (("NUMBER", numbers), ("--client", client), ("--kind", kind),
                                   ("--sent", sent)) if value])
    day = parse_date(sent, "--sent") if sent else now
    h = open_home(home)
    ledger = h.ledger()
    wanted, kind = letters.covered(h, ledger, numbers, client, parse_kind(kind) if kind is not None else None,
                                   day, now)
    made = letters.compose(h, ledger, wanted, kind, day, via, now, lang, force)
    warn(made.warnings)
    kept = letters.keep(h, made, now, sent=bool(sent), out=out)
    shown = out or kept.path
    if as_json:
        emit_json({"invoice": made.claim.numbers[0], "invoices": list(made.claim.numbers), "kind": kind,
                   "date": day.isoformat(), "path": str(shown), "archived": str(kept.path), "sha256": kept.sha256,
                   "sent": bool(sent)})
        return
    typer.echo(str(shown))


def _calibration(home, out: Path | None, lang: str | None, day: date, as_json: bool, given: list[str]) -> None:
    """``wik letter --calibration``: the window envelope's test page; records nothing."""
    from wikcli.errors import OptionError
    from wikcli.services import letters

    if given:
        raise OptionError(_("--calibration prints a test page, not a letter: leave out {options}").format(
            options=", ".join(given)))
    h = open_home(home)
    target = letters.calibration(h, lang, day, out)
    window = h.config.letters.window
    if as_json:
        emit_json({"path": str(target), "window": {"left": window.left, "top": window.top,
                                                   "width": window.width, "height": window.height}})
        return
    typer.echo(str(target))

"""What several commands share: output helpers, dates, the --json/--today options.

Heavy modules (rich) are imported inside the functions that print tables, so that a
``--json`` run never pays for them.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, UTC
from json.encoder import encode_basestring as _esc
from typing import Annotated, Any
from collections.abc import Iterable

import typer
from wikcli.i18n import N_, _


JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print one JSON document instead of a table."))]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="WIK_TODAY",
        metavar="DATE",
        show_envvar=True,
        help=_("Pretend today is DATE (2026-03-03, 3-3-2026 or 3 maart 2026), to replay or test. "
        "Default: the system date."),
    ),
]
HomeOpt = Annotated[
    str | None,
    typer.Option(
        "--home",
        envvar="WIK_HOME",
        metavar="DIR",
        show_envvar=True,
        help=_("The folder holding config.toml and the journal. Default: your platform's user data "
        "folder (e.g. ~/.local/share/wik)."),
    ),
]


# The ledger's step, action, close-reason and debtor-type names: English in JSON (scripts read them), in the
# run's language in a table (``shown``).
WORDS = (N_("invoice"), N_("reminder"), N_("call"), N_("wik-letter"), N_("notice-of-default"), N_("handover"),
         N_("send-reminder"), N_("call-client"), N_("send-wik-letter"), N_("send-notice-of-default"),
         N_("hand-over"), N_("chase-installment"), N_("apply-credit"), N_("none"),
         N_("paid"), N_("credit-note"), N_("written-off"), N_("handed-over"), N_("bankrupt"),
         N_("consumer"), N_("business"))


def shown(word: str | None) -> str:
    """A step, action or close reason of the ledger as a table shows it."""
    return _(word) if word else ""


# Set by the root option ``wik --verbose``: say on stderr how the ledger was read.
VERBOSE = False


def resolve_home(value: str | None):
    """``--home`` or ``WIK_HOME`` (Typer reads the variable), else the platform's folder."""
    from wikcli.store import config

    return config.resolve_home(value, os.environ)


def now():
    """The moment a command records an event: the system clock, in UTC."""
    from datetime import datetime

    return datetime.now(UTC)


def moment_on(day: date):
    """The time of day now, on ``day`` (UTC): when a run with --today acts, e.g. an e-mail's Date."""
    from datetime import datetime

    n = now()
    return datetime.combine(day, n.time(), tzinfo=UTC)


def parse_date(text: str, what: str = "date") -> date:
    """A date as typed: ISO first (2026-03-03), else Dutch (3-3-2026, 03-03-2026, 3 maart 2026)
    or English (3 March 2026), or relative (morgen, +14, over 2 weken) to the command's --today
    (or WIK_TODAY, else the system date); anything else is refused with the value in the message."""
    from wikcli.rules.dates import parse

    if what == "--today":  # relative to the day WIK_TODAY names, else to the system date
        base = os.environ.get("WIK_TODAY")
        return parse(text, what, today=parse(base, "WIK_TODAY") if base and base != text else date.today())
    # Every option is parsed before a command runs: its --today is in the context already.
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    base = ctx.params.get("today") if ctx is not None else None
    base = base or os.environ.get("WIK_TODAY")
    return parse(text, what, today=parse(base, "--today") if base else date.today())


# The canonical letter kinds and the words a Dutch user types for them.
KIND_WORDS = {
    "reminder": "reminder", "herinnering": "reminder",
    "wik": "wik", "aanmaning": "wik", "14-dagenbrief": "wik",
    "default": "default", "ingebrekestelling": "default",
}
KINDS_HELP = "reminder (herinnering), wik (aanmaning, 14-dagenbrief) or default (ingebrekestelling)"


def parse_kind(value: str, option: str = "--kind") -> str:
    """A letter kind, in English or Dutch: ``reminder``, ``wik`` or ``default``."""
    kind = KIND_WORDS.get(value.strip().lower())
    if kind is None:
        from wikcli.errors import OptionError

        raise OptionError(_("{option} {value!r} is unknown: expected {KINDS_HELP}").format(option=option, value=value[:80], KINDS_HELP=KINDS_HELP))
    return kind


def resolve_today(value: str | None) -> date:
    """``--today`` or ``WIK_TODAY`` (Typer reads the variable), else the system date."""
    if value:
        return parse_date(value, "--today")
    return date.today()


def emit_json(obj: Any) -> None:
    if type(obj) is list:
        emit_json_rows(obj)
    else:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def emit_json_rows(rows: Iterable[Any]) -> None:
    """A JSON list, written as ``json.dumps(list(rows), ensure_ascii=False, indent=2)`` would
    write it, but a row at a time: a large ledger's listing is never in memory twice."""
    out = sys.stdout
    batch: list[str] = []
    first = True
    for row in rows:
        batch.append(("[\n  " if first else ",\n  ") + _row_text(row))
        first = False
        if len(batch) == 1000:
            out.write("".join(batch))
            batch.clear()
    batch.append("[]\n" if first else "\n]\n")
    out.write("".join(batch))


_SCALARS = {True: "true", False: "false", None: "null"}


def _row_text(row: Any) -> str:
    """One element of an indented list, at depth one.

    With an indent the standard library encodes in pure Python, a third of ``wik status
    --json`` on a large ledger; a flat row (text, whole numbers, booleans, null) is written
    here from the C string encoder. Anything else is ``json.dumps`` shifted one level in:
    JSON text never holds a raw newline, so each newline starts an indented line.
    """
    if type(row) is dict and row:
        fields = []
        for k, v in row.items():
            t = type(v)
            if type(k) is not str:
                break
            if t is str:
                text = _esc(v)
            elif t is bool or v is None:
                text = _SCALARS[v]
            elif t is int:
                text = int.__repr__(v)
            else:
                break
            fields.append(f"    {_esc(k)}: {text}")
        else:
            return "{\n" + ",\n".join(fields) + "\n  }"
    return json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")


# A pipe has no width: a table there is as wide as its contents, for a script or a file.
PIPE_WIDTH = 1000


def console():
    """A Rich console on stdout: colours and the terminal's width on a terminal; in a pipe
    plain text, each table as wide as it needs (or WIK_WIDTH). Every table printed through it
    keeps its numbers whole (``keep_whole``)."""
    from rich.console import Console

    class WholeNumbers(Console):
        def print(self, *objects, **kw):
            from rich.table import Table

            for o in objects:
                if isinstance(o, Table):
                    if not keep_whole(o, self.width):
                        return super().print(stacked(o, self.width), **kw)
                    if len(objects) == 1 and not kw and plain_table(o, self.width, self.is_terminal):
                        return None
            return super().print(*objects, **kw)

    if sys.stdout.isatty():
        width = None  # the terminal's (or COLUMNS, as Rich reads it)
    else:
        # WIK_WIDTH: a pipe as wide as a terminal would be, to see what it would show
        given = os.environ.get("WIK_WIDTH", "")
        width = int(given) if given.isdigit() and int(given) > 0 else PIPE_WIDTH
    return WholeNumbers(highlight=False, soft_wrap=False, width=width)


_WHOLE = None


def keep_whole(table, width: int) -> bool:
    """Numbers, amounts and dates are never cut or broken across lines: a column whose every
    cell is one (an invoice number, ``€ 1.205,92``, a date, ``14 d``, ``8%``, or empty) is as
    wide as its widest cell; a narrow terminal takes the room from the other columns, which
    wrap onto a second line instead. False when even that does not fit in ``width``."""
    from rich.cells import cell_len

    natural = least = 0
    wrapping = []
    for col in table.columns:
        cells = _plain(col)
        widest = max((len(c) if c.isascii() or "€" in c and c.replace("€", "").isascii() else cell_len(c)
                      for c in cells), default=0)
        natural += max(widest, cell_len(str(col.header)))
        if _whole(cells):
            col.no_wrap = True
            col.min_width = max(widest, cell_len(str(col.header)))
            least += col.min_width
        else:
            col.no_wrap = False
            col.overflow = "fold"
            wrapping.append(col)
            least += max((cell_len(w) for c in cells + [str(col.header)] for w in _pieces(c)), default=1)
    _, right, _, left = table.padding
    n = len(table.columns)
    edges = n * (left + right) - (0 if table.pad_edge else left + right)
    if table.box is not None:
        edges += (n - 1) + (2 if table.show_edge else 0)
    if natural + edges <= width:
        return True
    # Too wide: the words wrap, at a space or after a hyphen (notice-of- / default), never
    # inside a word; where even the longest word of each column does not fit, the table is
    # stacked instead (False).
    if least + edges > width:
        return False
    for col in wrapping:
        col._cells = [Breakable(c) if isinstance(c, str) and "-" in c else c for c in col._cells]
    return console_class_fits(table, width)


_PIECES = None


def _pieces(text: str) -> list[str]:
    """The parts a cell may wrap between: words, and a hyphenated word after each hyphen."""
    global _PIECES
    if _PIECES is None:
        import re

        _PIECES = re.compile(r"[^\s-]*-+|[^\s-]+")
    return _PIECES.findall(text)


class Breakable:
    """A table cell of words that wraps at spaces and after hyphens (step and action names
    such as notice-of-default), never inside a word: Rich alone wraps only at spaces and
    would cut a hyphenated name anywhere."""

    def __init__(self, text: str) -> None:
        self.plain = text

    def __str__(self) -> str:
        return self.plain

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        return Measurement(max((cell_len(p) for p in _pieces(self.plain)), default=0), cell_len(self.plain))

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.text import Text

        width, lines = options.max_width, [""]
        for word in self.plain.split():
            pieces = _pieces(word)
            for i, piece in enumerate(pieces):
                sep = " " if i == 0 and lines[-1] else ""
                if lines[-1] and cell_len(lines[-1] + sep + piece) > width:
                    lines.append(piece)
                else:
                    lines[-1] += sep + piece
        yield Text("\n".join(lines), overflow="fold")


def plain_table(table, width: int, terminal: bool) -> bool:
    """Write a table in the borderless style of `wik status` as Rich would lay it out when
    it fits at its natural width, in one pass over the cells: Rich's layout costs a
    thousand times more per cell, which is most of a table of 10,000 invoices. False (and
    nothing written) for any other table, left to Rich."""
    from rich import box as boxes
    from rich.cells import cell_len

    if (table.box is not boxes.SIMPLE_HEAD or table.show_edge or table.pad_edge or table.show_footer
            or tuple(table.padding) != (0, 1, 0, 0) or table.expand or table.show_lines
            or table.title_justify != "left" or not table.show_header or not table.columns):
        return False
    cols = table.columns
    texts = []
    for col in cols:
        if col.justify not in ("left", "right") or any(not isinstance(c, str) for c in col._cells):
            return False
        texts.append(col._cells)
    widths = [max([cell_len(str(c.header))] + [len(x) if x.isascii() or x.replace("€", "").isascii()
                                                else cell_len(x) for x in t]) for c, t in zip(cols, texts)]
    total = sum(widths) + 2 * (len(cols) - 1)
    if total > width:
        return False
    titled = str(table.title) if table.title else None
    if titled is not None and cell_len(titled) > total:
        return False

    def line(cells) -> str:
        return "  ".join(c.rjust(w) if col.justify == "right" else c.ljust(w)
                         for c, w, col in zip(cells, widths, cols))

    bold, italic, reset = ("\x1b[1m", "\x1b[3m", "\x1b[0m") if terminal else ("", "", "")
    colour = {"red": "\x1b[31m", "yellow": "\x1b[33m"}
    out = []
    if titled is not None:
        out.append(italic + titled.ljust(total) + reset)
    out.append(bold + line([str(c.header) for c in cols]) + reset)
    out.append("\u2500" * total)
    rows = table.rows
    for i, cells in enumerate(zip(*texts)):
        style = rows[i].style if terminal and i < len(rows) else None
        text = line(cells)
        out.append(colour[style] + text + reset if style in colour else text)
    sys.stdout.write("\n".join(out) + "\n")
    return True


def console_class_fits(table, width: int) -> bool:
    from rich.console import Console

    probe = Console(width=width, color_system=None, highlight=False, soft_wrap=False)
    with probe.capture() as cap:
        probe.print(table)
    text = cap.get()
    return all(text.count(v) >= n for v, n in _figures(table).items()) and \
        max((len(line.rstrip()) for line in text.splitlines()), default=0) <= width


def _plain(col) -> list[str]:
    return [c.plain if hasattr(c, "plain") else str(c) for c in col._cells]


def _whole(cells: list[str]) -> bool:
    global _WHOLE
    if _WHOLE is None:
        import re

        _WHOLE = re.compile(r"(€ ?)?-?[^\s]*\d[^\s]*( d| %| days?| dagen)?|-|—|")
    return bool(cells) and all(_WHOLE.fullmatch(c.strip()) for c in cells)


def _figures(table) -> dict[str, int]:
    """Each figure of the table's whole columns, and how often it is there."""
    out: dict[str, int] = {}
    for col in table.columns:
        if col.no_wrap:
            footer = [str(col.footer or "")] if table.show_footer else []
            for c in _plain(col) + footer:
                if c.strip():
                    out[c.strip()] = out.get(c.strip(), 0) + 1
    return out


def stacked(table, width: int):
    """A table too wide for the terminal as a list: each row's numbers, amounts and dates on
    a line (more lines if need be, never breaking one), its words on an indented line under
    them; the totals last."""
    from rich.console import Group
    from rich.text import Text

    lines = [Text(str(table.title), style="bold")] if table.title else []
    whole = [c for c in table.columns if c.no_wrap]
    words = [c for c in table.columns if not c.no_wrap]

    def pack(figures: list[str], indent: str = "") -> None:
        line = indent
        for f in figures:
            if line.strip() and len(line) + 2 + len(f) > width:
                lines.append(Text(line, no_wrap=True))
                line = indent
            line += ("  " if line.strip() else "") + f
        if line.strip():
            lines.append(Text(line, no_wrap=True))

    rows = [[c._cells[i] for c in table.columns] for i in range(table.row_count)]
    if table.show_footer:
        rows.append([c.footer for c in table.columns])
    for cells in rows:
        value = {id(c): (v.plain if hasattr(v, "plain") else str(v or "")).strip() for c, v in zip(table.columns, cells)}
        pack([value[id(c)] for c in whole if value[id(c)]])
        rest = [f"{c.header}: {value[id(c)]}" for c in words if value[id(c)]]
        if rest:
            import textwrap

            # continuation lines hang under the first, and break at spaces or hyphens
            for part in textwrap.wrap("; ".join(rest), width, initial_indent="  ", subsequent_indent="    "):
                lines.append(Text(part, no_wrap=True, overflow="fold"))
    return Group(*lines)


def width() -> int:
    """The width lines are fitted to: the terminal's; in a pipe WIK_WIDTH, else as wide as
    they are (``PIPE_WIDTH``), as ``console`` lays out a table."""
    return console().width


def wrap_whole(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` (``first`` and ``rest`` indent the first line and
    the others), broken at spaces only: an amount (``€ 1.315,00``), a date, an invoice number
    (``2026-094``), a ``#seq`` or an IBAN is never cut or parted from its euro sign. A word
    wider than the line stands whole on a line of its own."""
    import textwrap

    glued = text.replace("€ ", "€\u00a0")  # textwrap breaks at ASCII whitespace only
    lines = textwrap.wrap(glued, width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace("€\u00a0", "€ ") for line in lines] or [first.rstrip()]


def status_table(rows, day: date) -> None:
    """``wik status``'s table of the overview's rows (``wik demo`` shows it too)."""
    from rich import box
    from rich.console import JustifyMethod
    from rich.table import Table

    from wikcli.i18n import _
    from wikcli.rules.money import format_eur

    if not rows:
        typer.echo(_("No open invoices on {day}.").format(day=day.isoformat()))
        return
    t = Table(title=_("Open invoices on {day}").format(day=day.isoformat()), title_justify="left",
              box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (_("Invoice"), "left"), (_("Client"), "left"), (_("Open"), "right"), (_("Step"), "left"),
        (_("Next action"), "left"), (_("Due"), "left"), (_("Overdue"), "right"))
    for col, j in columns:
        t.add_column(col, justify=j, no_wrap=col != _("Client"))
    for a in rows:
        style = "red" if a.overdue_days > 0 else ("yellow" if a.action_due == day.isoformat() else None)
        t.add_row(a.invoice, a.client, format_eur(a.total), f"{a.step} {shown(a.step_name)}",
                  shown(a.next_action) if not a.closed else _("closed ({reason})").format(reason=shown(a.closed)),
                  a.action_due or "-", f"{a.overdue_days} d" if a.overdue_days else "", style=style)
    console().print(t)


def warn(messages) -> None:
    """Each distinct warning once, on stderr, so a pipe of --json stays clean."""
    seen = set()
    for m in messages:
        if m not in seen:
            seen.add(m)
            sys.stderr.write(_("wik: warning: {m}\n").format(m=m))


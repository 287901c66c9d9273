"""``wik report`` (ageing, collected, clients) and ``wik statement``: where the money is.

The figures come from ``services/reports.py`` and the statement from ``services/statements.py``;
this module parses, prints a table, JSON or CSV. CSV goes to stdout in
the form a Dutch spreadsheet opens directly (``;`` between fields, a decimal comma), or with
``--csv-dialect excel`` in the comma form (``,`` and a decimal point); amounts carry no
currency sign and no thousands separator, dates are ISO. Either starts with a UTF-8 byte
order mark, which tells a spreadsheet the encoding of a client's name with an accent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from collections.abc import Sequence

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date, resolve_today
from wikcli.cli.home import LangOpt, open_home
from wikcli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import JustifyMethod

report_app = typer.Typer(help=_("Where the money is: ageing of what is open, what payments brought "
                         "in, how each client pays."), no_args_is_help=True,
                       epilog=_("Example:\n\n\b\n    wik report ageing\n    wik report clients --csv > clients.csv\n"))
app.add_typer(report_app, name="report")

OnOpt = Annotated[str | None, typer.Option(
    "--on", metavar="DATE", help=_("The day the figures are for (YYYY-MM-DD). Default: today."))]
CsvOpt = Annotated[bool, typer.Option(
    "--csv", help=_("Print CSV for a spreadsheet instead of a table: ';' and a decimal comma "
    "(see --csv-dialect)."))]
DialectOpt = Annotated[str, typer.Option(
    "--csv-dialect", metavar="nl|excel",
    help=_("nl: ';' between fields and a decimal comma, as a Dutch spreadsheet expects; excel: ',' "
    "and a decimal point."))]

DIALECTS = {"nl": (";", ","), "excel": (",", ".")}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BAR_WIDTH = 24


def _output(as_json: bool, as_csv: bool, dialect: str) -> None:
    from wikcli.errors import OptionError

    if dialect not in DIALECTS:
        raise OptionError(_("--csv-dialect {dialect!r} is unknown: expected nl or excel").format(dialect=dialect))
    if as_json and as_csv:
        raise OptionError(_("give --json or --csv, not both"))


def _cell(value: Any, decimal_point: str) -> Any:
    from wikcli.rules.money import to_str

    if value is None:
        return ""
    if isinstance(value, Decimal):  # money
        return to_str(value).replace(".", decimal_point)
    if isinstance(value, float):  # an average of days, already rounded to one decimal
        return repr(value).replace(".", decimal_point)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A spreadsheet runs a cell starting with one of these as a formula (an invoice
        # number or client name imported from a file may be one); the apostrophe makes it
        # text, as OWASP recommends for CSV injection. Amounts are Decimals: never prefixed.
        return "'" + value
    return value


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], dialect: str) -> None:
    import csv
    import sys

    sep, point = DIALECTS[dialect]
    sys.stdout.write("\ufeff")
    w = csv.writer(sys.stdout, delimiter=sep, lineterminator="\r\n")
    w.writerow([_cell(v, point) for v in header])
    for row in rows:
        w.writerow([_cell(v, point) for v in row])


def _table(title: str, columns: Sequence[tuple[str, JustifyMethod]], total: Sequence[str] | None = None):
    """A table in the style of `wik status`; ``total``: a footer row under a rule."""
    from rich import box
    from rich.table import Table

    t = Table(title=title, title_justify="left", box=box.SIMPLE, padding=(0, 1, 0, 0), pad_edge=False,
              show_edge=False, show_footer=total is not None, footer_style="bold")
    for i, (name, justify) in enumerate(columns):
        t.add_column(_(name), justify=justify, no_wrap=True, footer=total[i] if total is not None else "")
    return t


def _print(t) -> None:
    from wikcli.cli.common import console

    console().print(t)


def _bar(value: Decimal, largest: Decimal) -> str:
    if value <= 0 or largest <= 0:
        return ""
    return "█" * max(1, int((value * BAR_WIDTH / largest).to_integral_value()))


def _eur(value: Decimal) -> str:
    from wikcli.rules.money import format_eur

    return format_eur(value)


def _num(value: Decimal) -> str:
    """An amount without the euro sign, for tables with many amount columns."""
    from babel.numbers import format_decimal

    return format_decimal(value, "#,##0.00", locale="nl_NL")


BUCKET_NAMES = {"not-due": N_("not yet due"), "1-30": N_("1-30 days"), "31-60": N_("31-60 days"),
                "61-90": N_("61-90 days"), "over-90": N_("over 90 days")}


@report_app.command("ageing")
def ageing(
    on: OnOpt = None,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="client|invoice", help=_("One row per client (largest exposure first) or per "
        "invoice, instead of one per bucket."))] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    csv_dialect: DialectOpt = "nl",
) -> None:
    """What is open and how long past due: the principal in buckets (not yet due, 1-30, 31-60,
    61-90, over 90 days past the due date), with the collection costs owed and the interest
    open beside it, in total or per client. The figures are those of `wik status`; --json
    holds the buckets, the clients and the invoices at once.

    Example:

    \b
        wik report ageing --on 2026-12-31 --csv > ageing.csv
        wik report ageing --by client
    """
    from wikcli.cli.common import warn
    from wikcli.cli.progress import progress
    from wikcli.errors import OptionError
    from wikcli.ledger import reports
    from wikcli.services import reports as report_service

    _output(as_json, as_csv, csv_dialect)
    if by not in (None, "client", "invoice"):
        raise OptionError(_("--by {by!r} is unknown: expected client or invoice").format(by=by))
    h = open_home(home)
    day = parse_date(on, "--on") if on else resolve_today(today)
    with progress("Assessing invoices", as_json=as_json) as tick:
        made = report_service.ageing(h, day, tick=tick)
    warn(made.warnings)
    r = made.report
    if as_json:
        emit_json(r.to_json())
        return
    money = ("principal_open", "costs", "interest", "total_due")

    def parts(o) -> list:
        return [o.principal_open, o.costs, o.interest, o.total_due]

    if by == "client":
        header = ["client", "name", *reports.BUCKET_KEYS, *money]
        data = [[c.client, c.name, *(b.principal_open for b in c.buckets), *parts(c.total)] for c in r.clients]
    elif by == "invoice":
        header = ["invoice", "client", "due", "days_past_due", "bucket", *money]
        data = [[x.invoice, x.client, x.due, x.days_past_due, x.bucket, *parts(x.open)] for x in r.invoices]
    else:
        header = ["bucket", "invoices", *money]
        data = [[k, b.invoices, *parts(b)] for k, b in zip(reports.BUCKET_KEYS, r.buckets)]
    if as_csv:
        write_csv(header, data, csv_dialect)
        return
    if not r.invoices:
        typer.echo(_("No open invoices on {day}.").format(day=day.isoformat()))
        return
    title = _("Open on {day}, by days past due").format(day=day.isoformat())
    tot = r.total
    if by == "client":
        t = _table(title + " (euro)", [(N_("Client"), "left"), (N_("Not due"), "right"), ("1-30", "right"),
                                       ("31-60", "right"), ("61-90", "right"), ("> 90", "right"),
                                       (N_("Costs"), "right"), (N_("Interest"), "right"), (N_("Total"), "right")],
                   [_("Total"), *(_num(b.principal_open) for b in r.buckets), _num(tot.costs), _num(tot.interest),
                    _num(tot.total_due)])
        for c in r.clients:
            t.add_row(c.client, *(_num(b.principal_open) for b in c.buckets), _num(c.total.costs),
                      _num(c.total.interest), _num(c.total.total_due))
    elif by == "invoice":
        t = _table(title, [(N_("Invoice"), "left"), (N_("Client"), "left"), (N_("Due"), "left"), (N_("Days"), "right"),
                           (N_("Principal"), "right"), (N_("Costs"), "right"), (N_("Interest"), "right"),
                           (N_("Total"), "right")],
                   [_("Total"), "", "", "", _eur(tot.principal_open), _eur(tot.costs), _eur(tot.interest),
                    _eur(tot.total_due)])
        for x in r.invoices:
            t.add_row(x.invoice, x.client, x.due.isoformat(), str(x.days_past_due), _eur(x.open.principal_open),
                      _eur(x.open.costs), _eur(x.open.interest), _eur(x.open.total_due))
    else:
        t = _table(title, [(N_("Past due"), "left"), (N_("Invoices"), "right"), (N_("Principal"), "right"),
                           (N_("Costs"), "right"), (N_("Interest"), "right"), (N_("Total"), "right"), ("", "left")],
                   [_("Total"), str(tot.invoices), _eur(tot.principal_open), _eur(tot.costs), _eur(tot.interest),
                    _eur(tot.total_due), ""])
        largest = max(b.principal_open for b in r.buckets)
        for k, b in zip(reports.BUCKET_KEYS, r.buckets):
            t.add_row(_(BUCKET_NAMES[k]), str(b.invoices), _eur(b.principal_open), _eur(b.costs),
                      _eur(b.interest), _eur(b.total_due), _bar(b.principal_open, largest))
    _print(t)


@report_app.command("collected")
def collected(
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help=_("First day of the period (YYYY-MM-DD)."))],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help=_("Last day of the period (YYYY-MM-DD)."))],
    by: Annotated[str, typer.Option(
        "--by", metavar="month|quarter|year|payment",
        help=_("One row per month, quarter or year of the period, or one per payment."))] = "month",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    csv_dialect: DialectOpt = "nl",
) -> None:
    """What payments dated in a period brought in, split as the ledger applied them: principal,
    collection costs (and the VAT in them, in proportion), interest, and credit (paid too
    much). Collection costs and interest received are income for the bookkeeping. The
    ledger's allocation as it stands on --today: a payment voided since is left out.

    Example:

    \b
        wik report collected --from 2026-01-01 --to 2026-12-31 --by quarter --csv
        wik report collected --from 2026-07-01 --to 2026-09-30
    """
    from wikcli.errors import OptionError
    from wikcli.ledger import reports
    from wikcli.services import reports as report_service

    _output(as_json, as_csv, csv_dialect)
    if by not in reports.PERIODS + ("payment",):
        raise OptionError(_("--by {by!r} is unknown: expected month, quarter, year or payment").format(by=by))
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    if end < start:
        raise OptionError(_("--to {to!r} is before --from {from_!r}: expected a period that runs forward").format(to=to, from_=from_))
    h = open_home(home)
    r = report_service.collected(h, start, end, by, resolve_today(today))
    if as_json:
        emit_json(r.to_json())
        return
    money = ("amount", "principal", "costs", "costs_vat", "interest", "credit")

    def parts(x) -> list:
        return [x.amount, x.principal, x.costs, x.costs_vat, x.interest, x.credit]

    if by == "payment":
        header = ["date", "invoice", "client", *money]
        data = [[x.day, x.invoice, x.client, *parts(x)] for x in r.receipts]
    else:
        header = ["period", "from", "to", "payments", *money]
        data = [[p.label, p.start, p.end, p.received.payments, *parts(p.received)] for p in r.periods]
    if as_csv:
        write_csv(header, data, csv_dialect)
        return
    title = _("Collected {start} to {end}").format(start=start.isoformat(), end=end.isoformat())
    amounts: list[tuple[str, JustifyMethod]] = [(N_("Received"), "right"), (N_("Principal"), "right"), (N_("Costs"), "right"), (N_("of which VAT"), "right"),
               (N_("Interest"), "right"), (N_("Credit"), "right")]
    total = [*map(_eur, parts(r.total))]
    if by == "payment":
        t = _table(title, [(N_("Date"), "left"), (N_("Invoice"), "left"), (N_("Client"), "left"), *amounts],
                   [_("Total"), "", ngettext("{count} payment", "{count} payments", r.total.payments).format(count=r.total.payments), *total])
        for x in r.receipts:
            t.add_row(x.day.isoformat(), x.invoice, x.client, *map(_eur, parts(x)))
    else:
        t = _table(title, [(N_("Period"), "left"), (N_("Payments"), "right"), *amounts],
                   [_("Total"), str(r.total.payments), *total])
        for p in r.periods:
            t.add_row(p.label, str(p.received.payments), *map(_eur, parts(p.received)))
    _print(t)


@report_app.command("clients")
def clients(
    on: OnOpt = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    csv_dialect: DialectOpt = "nl",
) -> None:
    """How each client pays: invoices and what is open, the average and longest days from
    invoice date to the principal paid in full, the average days past due, how many invoices
    reached which step (the highest), and promises to pay kept and broken (kept: the principal
    was paid in full by the promised date).

    Example:

    \b
        wik report clients --csv --csv-dialect excel > clients.csv
        wik report clients
    """
    from wikcli.cli.progress import progress
    from wikcli.ledger import facts
    from wikcli.services import reports as report_service

    _output(as_json, as_csv, csv_dialect)
    h = open_home(home)
    day = parse_date(on, "--on") if on else resolve_today(today)
    with progress("Assessing invoices", as_json=as_json) as tick:
        r = report_service.clients(h, day, tick=tick)
    if as_json:
        emit_json(r.to_json())
        return
    if as_csv:
        steps = [f"step_{i}_{facts.STEP_NAMES[i]}" for i in range(1, 7)]
        header = ["client", "name", "debtor", "invoices", "invoiced", "open_invoices", "principal_open",
                  "total_due", "paid_invoices", "days_to_pay_avg", "days_to_pay_max", "days_late_avg",
                  "paid_late", *steps, "promises_kept", "promises_broken", "promises_pending"]
        data = [[c.client, c.name, c.debtor, c.invoices, c.invoiced, c.open_invoices, c.principal_open,
                 c.total_due, c.paid_invoices, _float(c.days_to_pay_avg), c.days_to_pay_max,
                 _float(c.days_late_avg),
                 c.paid_late, *c.steps, c.promises_kept, c.promises_broken, c.promises_pending]
                for c in r.clients]
        write_csv(header, data, csv_dialect)
        return
    if not r.clients:
        typer.echo(_("No invoices on {day}.").format(day=day.isoformat()))
        return

    def days(v) -> str:
        return "-" if v is None else str(v)

    t = _table(_("Clients on {day}").format(day=day.isoformat()), [
        (N_("Client"), "left"), (N_("Invoices"), "right"), (N_("Open"), "right"), (N_("Paid"), "right"),
        (N_("Days to pay"), "right"), (N_("Longest"), "right"), (N_("Days late"), "right"), (N_("Steps 1-6"), "left"),
        (N_("Promises"), "left")])
    for c in r.clients:
        promises = _("{kept} kept, {broken} broken").format(kept=c.promises_kept, broken=c.promises_broken) \
            if c.promises_kept or c.promises_broken else ""
        if c.promises_pending:
            promises = ", ".join(x for x in (promises, _("{count} pending").format(count=c.promises_pending)) if x)
        t.add_row(c.client, str(c.invoices), _eur(c.total_due), str(c.paid_invoices), days(c.days_to_pay_avg),
                  days(c.days_to_pay_max), days(c.days_late_avg), " ".join(map(str, c.steps)), promises)
    _print(t)


@app.command("statement")
def statement_cmd(
    client_id: Annotated[str, typer.Argument(metavar="CLIENT", help=_("The client's id."), show_default=False)],
    on: OnOpt = None,
    lang: LangOpt = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH", help=_("Also write the PDF here."))] = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A statement of account (rekeningoverzicht) as a PDF: every open invoice of the client,
    the payments received on them, what is due now and what is not yet due, and a payment QR
    code for the amount due. Archived in <home>/statements/ with its SHA-256 in the journal;
    `wik send --statement CLIENT` e-mails it. It sets no term and changes no step.

    Example:

    \b
        wik statement bakkerij --lang en --out bakkerij-statement.pdf
        wik statement bakkerij
    """
    from wikcli.cli.common import warn
    from wikcli.errors import OptionError
    from wikcli.services import statements
    from wikcli.store.files import refuse_unless_regular, write_private

    now = resolve_today(today)
    day = parse_date(on, "--on") if on else now
    if day > now:
        raise OptionError(_("--on {on!r} is after today ({now}): a statement shows what the ledger knows, give today " "or an earlier day").format(on=on, now=now.isoformat()))
    if out is not None:  # before the archived copy and its event: a refused --out changes nothing
        refuse_unless_regular(out)
    h = open_home(home)
    made = statements.compose(h, h.ledger(), client_id, day, lang)
    warn(made.warnings)
    target, digest = statements.archive(h, made, None)
    if out is not None:
        write_private(out, made.pdf)
    shown = out or target
    if as_json:
        emit_json({"path": str(shown), "archived": str(target), "sha256": digest} | made.content.to_json())
        return
    typer.echo(str(shown))

"""``wik bank``: payments from the bank statement, matched and booked; the rest reviewed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wikcli.cli import common
from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, JsonOpt, TodayOpt, emit_json, resolve_today
from wikcli.cli.home import open_home
from wikcli.i18n import N_, _, ngettext

bank_app = typer.Typer(help=_("Payments from the bank statement: import, review, match, ignore."),
                       no_args_is_help=True,
                       epilog=_("Example:") + "\n\n\b\n    wik bank import wik-demo/afschrift.xml --dry-run\n    wik bank unmatched\n")
app.add_typer(bank_app, name="bank")

TxArg = Annotated[str, typer.Argument(
    metavar="TX", help=_("The credit: its number as `wik bank unmatched` shows it (#41 or 41), or its key."),
    show_default=False)]


def _check_warnings(files) -> list[str]:
    out = []
    for f in files:
        for c in f.failed_checks:
            if not c.expected:  # the file does not state the figure (a statement with no closing balance)
                out.append(_("{name}: statement {statement}: the file states no {figure}, so the check {check} "
                             "was not made; read anyway, check the file").format(
                    name=f.name, statement=c.statement, figure=c.what.split(' (')[0], check=c.what))
                continue
            out.append(_("{name}: statement {statement}: {check} does not add up: the file states {expected}, "
                         "the entries read give {found}; read anyway, check the file").format(
                name=f.name, statement=c.statement, check=c.what, expected=c.expected, found=c.found))
    return out


@bank_app.command("import")
def bank_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help=_("camt.053 (.xml) or MT940 statements."),
                                                show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would be booked and kept; record nothing."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Book the payments on bank statements: camt.053 (XML) or MT940, from any Dutch bank.

    Only incoming euro credits are read; debits, reversals, other currencies and entries not
    booked are counted and passed over. Each credit is matched, in this order, by the payment
    reference a letter asked for (RF..), by an open invoice number in its text, or by an
    amount one open invoice or letter asks of a client whose IBAN or name the bank gives. One
    candidate is booked as a payment on the booking date; none or several, or more than is
    open, and the credit is kept for review (`wik bank unmatched`), never guessed. A file is
    recorded whole or not at all; a bank transaction already in the ledger is passed over, so
    a statement can be imported again. A file whose own totals do not add up is read with a
    warning naming the check.

    Example:

    \b
        wik bank import wik-demo/afschrift.xml --dry-run
        wik bank import wik-demo/afschrift.xml
    """
    from wikcli.cli.common import warn
    from wikcli.cli.progress import over_parts, progress
    from wikcli.services import bank_import as service

    statements = service.read(files)
    warn(_check_warnings(statements))
    day = resolve_today(today)
    h = open_home(home)
    with progress(_("Booking bank credits"), as_json=as_json) as bar:
        ticks = over_parts(bar, [len(f.credits) for f in statements])
        result = service.import_files(h, statements, day, dry_run=dry_run, ticks=ticks)
    _report(result, as_json)


def _report(result, as_json: bool) -> None:
    from wikcli.rules.money import format_eur

    if as_json:
        emit_json(result.to_json())
        return
    statements, dry_run = result.files, result.dry_run
    booked, kept, already = result.booked, result.kept, result.already
    ibans = [{"client": c, "iban": i} for c, i in result.ibans]
    width = common.width()
    out = []  # printed at once: a statement of thousands of payments makes as many lines
    for f in statements:
        passed = ", ".join(_skipped(why, n) for why, n in sorted(f.skipped.items()))
        # English keeps "credit(s)" in both forms (the README shows it); Dutch counts properly.
        out += common.wrap_whole(
            f"{f.name}: {f.format}{f' ({f.bank})' if f.bank else ''}, "
            + ngettext("{count} credit(s) of {total}", "{count} credit(s) of {total}", len(f.credits)).format(
                count=len(f.credits), total=format_eur(f.credits_total))
            + (_("; passed over: {passed}").format(passed=passed) if passed else ""), width, "", "  ")
    if already:
        out.append(ngettext("{count} credit(s) already imported: passed over.",
                            "{count} credit(s) already imported: passed over.", already).format(count=already))
    if booked:
        n = sum(len(b.parts) for b in booked)
        out.append((ngettext("Would book {count} payment(s):", "Would book {count} payment(s):", n) if dry_run
                    else ngettext("Booked {count} payment(s):", "Booked {count} payment(s):", n)).format(count=n))
        typer.echo("\n".join(out))
        out = []
        rows: list[tuple[str, ...]] = [
            (b.credit.booking_date.isoformat(), format_eur(amount), number, b.client, _rule(b.rule), b.evidence)
            for b in booked for number, amount in b.parts]
        _table((_("Date"), _("Amount"), _("Invoice"), _("Client"), _("Rule"), _("Evidence")), rows, right=(1,))
    if kept:
        out.append((ngettext("Would keep {count} credit(s) for review:", "Would keep {count} credit(s) for review:",
                             len(kept)) if dry_run
                    else ngettext("Kept {count} credit(s) for review (`wik bank unmatched`):",
                                  "Kept {count} credit(s) for review (`wik bank unmatched`):", len(kept))
                    ).format(count=len(kept)))
        for k in kept:
            out += _review(k.seq, k.credit, k.reason, width)
    if ibans:
        clients = list(dict.fromkeys(x["client"] for x in ibans))
        shown = ", ".join(clients[:8]) + (", ..." if len(clients) > 8 else "")
        said = (ngettext("Would remember the payer's IBAN for {count} client(s): {clients}.",
                         "Would remember the payer's IBAN for {count} client(s): {clients}.", len(clients)) if dry_run
                else ngettext("Remembered the payer's IBAN for {count} client(s): {clients}.",
                              "Remembered the payer's IBAN for {count} client(s): {clients}.", len(clients)))
        out += common.wrap_whole(said.format(count=len(clients), clients=shown), width, "", "  ")
    if not booked and not kept and not already:
        out.append(_("No incoming euro credits to import."))
    if out:
        typer.echo("\n".join(out))


# How a credit was matched (``bank.match``/``bank.review`` RULE_*): the English key in JSON, the word in a table.
RULES = {"reference": N_("reference"), "invoice_number": N_("invoice number"), "amount": N_("amount"),
         "manual": N_("manual")}


def _rule(rule: str) -> str:
    return _(RULES[rule]) if rule in RULES else rule.replace("_", " ")


def _skipped(why: str, n: int) -> str:
    """An entry a statement holds that is no credit to book, counted: "1 debit"."""
    said = {"debit": ngettext("{count} debit", "{count} debit", n),
            "reversal": ngettext("{count} reversal", "{count} reversal", n),
            "currency": ngettext("{count} currency", "{count} currency", n),
            "zero": ngettext("{count} zero", "{count} zero", n),
            "not_booked": ngettext("{count} not booked", "{count} not booked", n)}.get(why)
    return said.format(count=n) if said else f"{n} {why.replace('_', ' ')}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
    """The payments booked, in the borderless style of `wik status`, through the console that
    keeps every date, amount and invoice number whole at the terminal's width (the words
    wrap, or each row is stacked when even that does not fit); a statement of thousands of
    payments prints at once when it fits (``common.plain_table``)."""
    from rich import box
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    for i, h in enumerate(header):
        t.add_column(h, justify="right" if i in right else "left")
    for r in rows:
        t.add_row(*r)
    common.console().print(t)


def _review(seq, c, reason: str, width: int) -> list[str]:
    """A credit kept for review: what the bank says of it, then why it was kept, each fitted
    to ``width`` without cutting a number, amount or date."""
    return common.wrap_whole(_line(seq, c), width, "  ", "    ") + common.wrap_whole(reason, width, "      ", "      ")


def _line(seq, c) -> str:
    from wikcli.rules.money import format_eur

    payer = c.counterparty_name or _("(no name)")
    if c.counterparty_iban:
        payer += f" {c.counterparty_iban}"
    text = f' "{c.remittance[:60]}"' if c.remittance else ""
    ref = f" {c.reference}" if c.reference and c.reference not in c.remittance else ""
    tag = f"#{seq}  " if seq is not None else ""
    return f"{tag}{c.booking_date.isoformat()}  {format_eur(c.amount)}  {payer}{ref}{text}"


@bank_app.command("unmatched")
def bank_unmatched(home: HomeOpt = None, today: TodayOpt = None, as_json: JsonOpt = False) -> None:
    """The credits kept for review, oldest first.

    Credits not matched to exactly one invoice (or paying more than was open), and credits
    booked whose payment was voided since; not since booked by hand or ignored. The number
    in front of each is the TX that `wik bank match` and `wik bank ignore` take.

    Example:

        wik bank unmatched
    """
    from wikcli.services import bank_import as service

    h = open_home(home)
    day = resolve_today(today)
    pending = service.unmatched(h, day)
    if as_json:
        emit_json([p.to_json() for p in pending])
        return
    if not pending:
        typer.echo(_("No credits to review."))
        return
    width = common.width()
    out = common.wrap_whole(ngettext("{count} credit(s) to review: `wik bank match TX NUMBER` or "
                                     "`wik bank ignore TX --reason ...`",
                                     "{count} credit(s) to review: `wik bank match TX NUMBER` or "
                                     "`wik bank ignore TX --reason ...`", len(pending)).format(count=len(pending)),
                            width, "", "  ")
    for p in pending:
        out += _review(p.seq, p.credit, p.reason, width)
    typer.echo("\n".join(out))


@bank_app.command("match")
def bank_match(
    tx: TxArg,
    numbers: Annotated[list[str], typer.Argument(
        metavar="NUMBER...", help=_("The invoice it pays, or several invoices of one client: the credit is split "
        "over them as over one claim (costs, then interest, then principal, oldest invoice first)."),
        show_default=False)],
    allow_overpayment: Annotated[bool, typer.Option(
        "--allow-overpayment", help=_("Book more than is due; the rest shows as credit."))] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Book a probable duplicate of a payment already recorded: it is a second payment."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Book a credit kept for review on an invoice, as `wik pay` would, or on several
    invoices of one client, split over them as over one claim.

    The payment is dated the credit's booking date and checked as `wik pay` checks one;
    it carries the bank transaction. The payer's IBAN is remembered for the invoice's client.
    A credit of the same amount as a payment on the invoice (or its letter's invoices) within
    a week, from the same payer where known, is refused as a probable duplicate unless
    --force says it is a second payment.

    Example:

    \b
        wik bank import wik-demo/afschrift.xml
        wik bank match 37 2026-101
    """
    from decimal import Decimal

    from wikcli.cli.home import done
    from wikcli.rules.money import format_eur
    from wikcli.services import bank_import as service

    h = open_home(home)
    day = resolve_today(today)
    recorded, p = service.match(h, tx, numbers, day, allow_overpayment=allow_overpayment, force=force)
    c = p.credit
    paid = [e for e in recorded if e.type == "payment"]
    if len(paid) > 1:
        parts = ", ".join(_("{amount} on {invoice}").format(amount=format_eur(Decimal(e.data['amount'])),
                                                             invoice=e.invoice) for e in paid)
        done(as_json, recorded, _("Booked {amount} of {date}: {parts}.").format(
            amount=format_eur(c.amount), date=c.booking_date.isoformat(), parts=parts))
        return
    done(as_json, recorded, _("Booked {amount} of {date} on invoice {invoice}.").format(
        amount=format_eur(c.amount), date=c.booking_date.isoformat(), invoice=paid[0].invoice if paid else numbers[0]))


@bank_app.command("ignore")
def bank_ignore(
    tx: TxArg,
    reason: Annotated[str, typer.Option("--reason", help=_("Why it is no payment of an invoice."))],
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a credit kept for review as not about an invoice.

    A refund, a transfer of your own: `wik bank unmatched` no longer lists it, and importing
    its statement again does not bring it back.

    Example:

    \b
        wik bank import wik-demo/afschrift.xml
        wik bank ignore 38 --reason "refund from supplier"
    """
    from wikcli.cli.home import done
    from wikcli.rules.money import format_eur
    from wikcli.services import bank_import as service

    h = open_home(home)
    day = resolve_today(today)
    recorded, p = service.ignore(h, tx, reason, day)
    c = p.credit
    done(as_json, recorded, _("Ignored the credit of {amount} of {date}.").format(
        amount=format_eur(c.amount), date=c.booking_date.isoformat()))

"""``wik invoice``: add, list and show invoices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import (HomeOpt, JsonOpt, TodayOpt, emit_json, parse_date,
                               resolve_today)
from wikcli.cli.home import AgreedCostsOpt, AgreedInterestOpt, ClauseOpt, NumberArg, done, open_home
from wikcli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from wikcli.ledger.events import LetterSentData

invoice_app = typer.Typer(help=_("Your invoices: add, list, show."), no_args_is_help=True,
                       epilog=_("Example:\n\n\b\n    wik invoice list --all\n    wik invoice show 2026-072\n"))
app.add_typer(invoice_app, name="invoice")

@invoice_app.command("add")
def invoice_add(
    number: NumberArg,
    client: Annotated[str, typer.Option("--client", metavar="ID", help=_("The client's id."))],
    amount: Annotated[str, typer.Option("--amount", metavar="AMOUNT",
                                        help=_("Invoice total incl. VAT: 244, 244,50, 1.234,56."))],
    date_: Annotated[str, typer.Option("--date", metavar="DATE",
                                       help=_("Invoice date: 2026-03-03, 3-3-2026 or 3 maart 2026."))],
    due: Annotated[str | None, typer.Option("--due", metavar="DATE",
                                            help=_("Due date, in any of the forms of --date."))] = None,
    term: Annotated[int | None, typer.Option(
        "--term", metavar="DAYS", help=_("Payment term in days (default: policy, 30)."))] = None,
    description: Annotated[str, typer.Option("--description", help=_("What the invoice is for."))] = "",
    agreement: Annotated[str, typer.Option(
        "--agreement", metavar="NAME",
        help=_("The agreement the invoice belongs to (a consumer's small instalments of one "
             "agreement share one staffel within six months)."))] = "",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an invoice (step 1).

    Example:

    \b
        wik invoice add 2026-120 --client jansen --amount 1.815,- --date "3 maart 2026" --term 30
    """
    from wikcli.cli.common import warn
    from wikcli.rules.money import parse_amount
    from wikcli.services import invoices

    value = parse_amount(amount, what="--amount")
    day = parse_date(date_, "--date")
    due_day = parse_date(due, "--due") if due else None
    h = open_home(home)
    added = invoices.add(h, number, client, value, day, due=due_day, term=term, description=description,
                         agreement=agreement)
    warn(added.warnings)
    done(as_json, added.events, _("Added invoice {number}, due {due_at}{moved}.").format(number=number, due_at=added.due.isoformat(), moved=added.moved))


@invoice_app.command("terms")
def invoice_terms(
    number: NumberArg,
    agreed_interest: AgreedInterestOpt = None,
    agreed_costs: AgreedCostsOpt = None,
    clause: ClauseOpt = None,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record interest and collection costs agreed for this one invoice (a business client's
    contract that differs from its general terms). What is not given stays as it was; "none"
    ends it.

    Example:

    \b
        wik invoice terms 2026-058 --agreed-costs "10%, min 100" --clause "artikel 5 van de offerte"
    """
    from wikcli.cli.home import agreed_terms
    from wikcli.services import invoices

    interest, costs = agreed_terms(agreed_interest, agreed_costs)
    day = resolve_today(today)
    h = open_home(home)
    events = invoices.terms(h, number, day, interest=interest, costs=costs, clause=clause)
    done(as_json, events, _("Recorded the terms of invoice {number}.").format(number=number))


@invoice_app.command("amend")
def invoice_amend(
    number: NumberArg,
    amount: Annotated[str | None, typer.Option("--amount", metavar="AMOUNT", help=_("The right total incl. VAT."))] = None,
    date_: Annotated[str | None, typer.Option("--date", metavar="DATE", help=_("The right invoice date."))] = None,
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help=_("The right due date."))] = None,
    term: Annotated[int | None, typer.Option(
        "--term", metavar="DAYS", help=_("The right payment term in days (from the invoice date)."))] = None,
    client: Annotated[str | None, typer.Option("--client", metavar="ID", help=_("The right client."))] = None,
    reason: Annotated[str, typer.Option("--reason", help=_("Why (kept with the correction)."))] = "",
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a typo in an invoice's amount, date, due date (or term) or client.

    Recorded as an event with the old and the new value; the invoice is read as if it had
    always held the new one. A new --date keeps the due date unless --term or --due is given.
    Refused while a letter sent about the invoice stands (it stated figures that depend on
    these): void it first with `wik void`. A letter made but not recorded as sent states the
    old figures: make it again.

    Example:

    \b
        wik invoice amend 2026-101 --amount 540,00 --reason "typo: 450,00"
        wik invoice amend 2026-101 --date 2026-11-08 --term 30
    """
    from wikcli.ledger import amend, commands
    from wikcli.cli.common import warn
    from wikcli.rules.money import parse_amount
    from wikcli.services import invoices

    if due is not None and term is not None:
        raise commands.LedgerError(_("--due and --term both give the due date: expected one of them"))
    value = parse_amount(amount, what="--amount") if amount is not None else None
    day = parse_date(date_, "--date") if date_ else None
    due_day = parse_date(due, "--due") if due else None
    now = resolve_today(today)
    h = open_home(home)
    made = invoices.amend(h, number, now, amount=value, day=day, due=due_day, term=term, client=client,
                          reason=reason)
    warn([f"letter {f} was made with the figures from before this correction: make it again before sending it"
          for f in made.stale])
    done(as_json, made.events, _("Amended invoice {number}: {value}{value2}.").format(number=number, value=amend.describe(made.events[0].data), value2=made.moved))


@invoice_app.command("list")
def invoice_list(
    all_: Annotated[bool, typer.Option("--all", help=_("Include closed invoices."))] = False,
    home: HomeOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List invoices (open ones unless --all).

    Example:

    \b
        wik invoice list --all
    """
    from wikcli.services import invoices

    rows = invoices.listing(open_home(home), resolve_today(today), include_closed=all_)
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    from rich.table import Table

    from wikcli.cli.common import console, shown
    from wikcli.rules.money import format_eur

    t = Table()
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (N_("Invoice"), "left"), (N_("Client"), "left"), (N_("Date"), "left"), (N_("Due"), "left"),
        (N_("Amount"), "right"), (N_("Open"), "right"), (N_("State"), "left"))
    for col, j in columns:
        t.add_column(_(col), justify=j)
    for r in rows:
        inv, a = r.invoice, r.assessment
        t.add_row(a.invoice, a.client, inv.date.isoformat(), inv.due.isoformat(),
                  format_eur(inv.amount), format_eur(a.standing.principal_open),
                  _("closed: {reason}").format(reason=shown(a.closed)) if a.closed else shown(a.step_name))
    console().print(t)


@invoice_app.command("show")
def invoice_show(number: NumberArg, home: HomeOpt = None, today: TodayOpt = None,
                 as_json: JsonOpt = False) -> None:
    """An invoice's whole timeline and what is owed today.

    Example:

    \b
        wik invoice show 2026-072 --json
    """
    from wikcli.cli.common import warn
    from wikcli.services import invoices

    made = invoices.show(open_home(home), number, resolve_today(today))
    warn(made.warnings)
    if as_json:
        emit_json(made.to_json())
        return
    typer.echo("\n".join(_heading(made) + _timeline(made) + _owed(made)))


def _heading(made) -> list[str]:
    from wikcli.cli.common import shown
    from wikcli.rules.money import format_eur

    inv, a = made.invoice, made.assessment
    s = a.standing
    out = [_("Invoice {number} for {client} ({debtor}), dated {date}, due {due}: {amount}").format(
        number=inv.number, client=inv.client, debtor=shown(a.debtor), date=inv.date.isoformat(),
        due=inv.due.isoformat(), amount=format_eur(inv.amount))]
    if inv.description:
        out.append(f"  {inv.description}")
    if inv.agreement:
        out.append(_("  agreement: {agreement}").format(agreement=inv.agreement))
    if s.terms is not None:
        agreed = [x for x in (_("interest {text}").format(text=s.terms.interest.text) if s.terms.interest else "",
                              _("collection costs {text}").format(text=s.terms.costs.text) if s.terms.costs else "")
                  if x]
        out.append(_("Agreed terms: ") + ", ".join(agreed) + (f" ({s.terms.clause})" if s.terms.clause else ""))
    return out


def _timeline(made) -> list[str]:
    from wikcli.ledger import events

    out = [_("Timeline:")]
    for t in made.timeline:
        e = t.event
        day = getattr(events.load(e), "day", None)
        line = f"  #{e.seq:<5} {day or ''}  {_(EVENTS.get(e.type, e.type)):<16} {_describe(e)}"
        if t.bounced is not None:
            line += _("  [BOUNCED {date}: not received]").format(date=t.bounced.day)
        elif t.voided is not None:
            line += _("  [VOIDED {date}: {reason}]").format(date=t.voided.day, reason=t.voided.reason)
        out.append(line)
    return out


def _owed(made) -> list[str]:
    from wikcli.cli.common import shown
    from wikcli.rules.money import format_eur

    a, day = made.assessment, made.day
    s = a.standing
    out = [_("Owed on {day}:").format(day=day.isoformat())]
    out.append(_("  principal open   {amount:>14}").format(amount=format_eur(s.principal_open)))
    costs_note = _("owed") if s.costs_owed else (
        _("owed from {date}").format(date=s.costs_due_from.isoformat()) if s.costs_due_from else _("not owed yet"))
    if s.costs_owed and s.costs_charged == 0:
        costs_note = _("none owed: the claim was paid within the letter's term")
    if s.costs_owed and s.costs_paid:
        costs_note += _(": {charged} less {paid} paid").format(charged=format_eur(s.costs_charged),
                                                              paid=format_eur(s.costs_paid))
    out.append(_("  collection costs {amount:>14}  ({costs_note})").format(amount=format_eur(s.costs_open if s.costs_owed else s.costs), costs_note=costs_note))
    kind = _(INTEREST_KINDS.get(s.interest_kind, s.interest_kind))
    if s.terms is not None and s.terms.interest is not None:
        kind = _("agreed: {text}").format(text=s.terms.interest.text)
    out.append(_("  interest         {amount:>14}  ({kind})").format(amount=format_eur(s.interest), kind=kind))
    out.append(_("  total due        {amount:>14}").format(amount=format_eur(s.total_due)))
    if s.credit:
        out.append(_("  credit           {amount:>14}").format(amount=format_eur(s.credit)))
    state = (_("closed ({reason})").format(reason=shown(a.closed)) if a.closed
             else _("step {step} {name}").format(step=a.step, name=shown(a.step_name)))
    out.append(_("State: {state}; next action: {action}").format(state=state, action=shown(a.next_action))
               + (_(", due {date}").format(date=a.action_due.isoformat()) if a.action_due else "")
               + (_(" (by post: the e-mail of {date} bounced)").format(date=made.by_post) if made.by_post else ""))
    client = made.client
    if client.email_source or client.email_letters:
        out.append(_("Client e-mail: from {source}").format(source=client.email_source or _("(source not recorded)"))
                   + (_(" of {date}").format(date=client.email_given) if client.email_given else "")
                   + (_("; letters by e-mail agreed") if client.email_letters else _("; letters by e-mail not agreed")))
    return out


# The event types of a timeline (``ledger/events.py``): the English type in JSON, a word in the run's language here.
EVENTS = {"invoice-added": N_("invoice-added"), "payment": N_("payment"), "note": N_("note"), "plan": N_("plan"),
          "letter-sent": N_("letter-sent"), "letter-rendered": N_("letter-rendered"), "paused": N_("paused"),
          "resumed": N_("resumed"), "closed": N_("closed"), "handed-over": N_("handed-over"),
          "voided": N_("voided"), "terms-agreed": N_("terms-agreed"), "credit-applied": N_("credit-applied"),
          "credit-refunded": N_("credit-refunded"), "mail-attempt": N_("mail-attempt"),
          "mail-failed": N_("mail-failed"), "letter-bounced": N_("letter-bounced"),
          "letter-registered": N_("letter-registered"), "invoice-amended": N_("invoice-amended")}
# A letter's kind as its event records it, and how a payment's bank credit was matched.
LETTERS = {"reminder": N_("reminder"), "wik": N_("wik"), "default": N_("default")}
VIAS = {"post": N_("post"), "email": N_("email"), "e-mail": N_("e-mail")}
INTEREST_KINDS = {"consumer": N_("consumer"), "commercial": N_("commercial")}


def _letter(kind: str) -> str:
    return _(LETTERS[kind]) if kind in LETTERS else kind


def _describe(e) -> str:
    """One line of an invoice's timeline: what the event says, in the user's notation."""
    from wikcli.ledger import events as ev
    from wikcli.rules.money import format_eur

    p = ev.load(e)
    if isinstance(p, ev.InvoiceAddedData):
        return _("{amount} due {date}").format(amount=format_eur(p.amount), date=p.due)
    if isinstance(p, ev.PaymentData):
        return _payment(p)
    if isinstance(p, ev.NoteData):
        return p.text + (_(" (promise: {date})").format(date=p.promise) if p.promise else "")
    if isinstance(p, ev.LetterSentData):  # a letter rendered is one too
        return _letter_line(p, sent=e.type == ev.LETTER_SENT)
    if isinstance(p, ev.MailAttemptData):
        return _("{kind} to {to}, Message-ID {message_id}").format(
            kind=_letter(p.kind), to=p.to, message_id=p.message_id) + (_(" (resent)") if p.resend else "")
    if isinstance(p, ev.MailFailedData):
        return f"Message-ID {p.message_id}: {p.reason}"
    if isinstance(p, ev.LetterBouncedData):
        return _("the {kind} e-mail of {date} (#{seq}) bounced: not received").format(
            kind=_letter(p.kind), date=p.letter_date, seq=p.seq) + (f" ({p.reason})" if p.reason else "")
    if isinstance(p, ev.LetterRegisteredData):
        return _("{kind} of {date} (#{seq}) by registered post, barcode {barcode}").format(
            kind=_letter(p.kind), date=p.letter_date, seq=p.seq, barcode=p.barcode) + (
            f": {p.status}" + (_(" (counts as received)") if p.status in ("refused", "not-collected") else "")
            if p.status else "")
    if isinstance(p, ev.PlanData):
        how = _("; interest waived") if p.interest == "waived" else ""
        n = len(p.installments)
        return ngettext("{count} installments from {date}{how}", "{count} installments from {date}{how}", n).format(
            count=n, date=p.installments[0].due, how=how)
    if isinstance(p, ev.VoidedData):
        return _("voids #{seq}: {reason}").format(seq=p.seq, reason=p.reason or "")
    if isinstance(p, ev.InvoiceAmendedData):
        from wikcli.ledger import amend

        return amend.describe(e.data)
    reason = getattr(p, "reason", None) or ""
    if isinstance(p, (ev.ClosedData, ev.HandedOverData)) and p.forced:
        return (reason + _(" (forced)")).strip()
    return reason


def _payment(p) -> str:
    from wikcli.rules.money import format_eur

    text = format_eur(p.amount)
    b = p.bank  # the bank transaction, as the statement gave it
    if b:
        evidence = b.get('evidence', '')
        how = {"reference": _("matched by reference {evidence}").format(evidence=evidence),
               "invoice_number": _("matched by the invoice number in its text"),
               "amount": _("matched by amount from {evidence}").format(evidence=evidence),
               "manual": _("matched by hand")}.get(b.get("rule"), "")
        payer = _(" from {payer}").format(payer=b['counterparty_name']) if b.get("counterparty_name") else ""
        text += _(" by bank transfer{payer}").format(payer=payer) + (f", {how}" if how else "")
    return text


def _letter_line(p: LetterSentData, *, sent: bool) -> str:
    from wikcli.rules.money import format_eur

    text = _letter(p.kind) + (_(" via {via}").format(via=_(VIAS.get(p.via, p.via)))
                              if p.via else "") + (f" {p.file}" if p.file else "")
    if p.invoices and len(p.invoices) > 1:
        text += _(" (one letter for {invoices})").format(invoices=', '.join(p.invoices))
    if sent and p.announces:
        text += _("; announces {amount} costs").format(amount=format_eur(p.announces.costs + p.announces.vat))
    if sent and p.last_day:
        text += _("; term ends {date}").format(date=p.last_day)
    if p.reference:
        text += _("; reference {reference}").format(reference=p.reference)
    if p.email:
        m = p.email
        text += _("; accepted {at} ({reply}), Message-ID {message_id}").format(
            at=m.accepted_at, reply=m.reply, message_id=m.message_id)
    return text

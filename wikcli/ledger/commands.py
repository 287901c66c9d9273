"""What a ledger command may record: the current ledger + the user's request -> new events.

Each function checks the request against the state the journal holds (under the journal's
lock, so a concurrent cron run cannot slip in between) and returns the events to append, or
raises ``LedgerError``. Nothing here does I/O; nothing is written when a check fails.
Messages name the invoice number or client id, never a debtor's personal data. Each event is
built as its payload type (``ledger.events``), never as a dict.

This module holds the checks every command shares and the commands about an invoice:
adding it, payments, notes, plans, letters sent, pauses, closes, hand-overs and voids.
Clients and their terms: ``client_commands``; what became of a letter on its way:
``delivery``; invoices from a file: ``invoice_import``.
"""

from __future__ import annotations

import re
from dataclasses import replace as _replace
from datetime import date, timedelta
from decimal import Decimal

from wikcli.ledger import plans
from wikcli.ledger import standing
from wikcli.ledger import steps
from wikcli.ledger.events import LETTER_SENT, PAUSED, PAYMENT, RESUMED
from wikcli.ledger.facts import (
    CLOSE_REASONS, DEFAULT, InvoiceFacts, KIND_NAMES, Ledger, PAYABLE_WHEN_CLOSED, VOIDABLE,
    find_event, pending_mail,
)
from wikcli.errors import WikError
from wikcli.i18n import N_, _, ngettext
from wikcli.ledger.events import (
    ClientForgottenData, ClosedData, HandedOverData, InstallmentData, InvoiceAddedData, LetterRenderedData,
    LetterSentData, MailAttemptData, MailFailedData, NoteData, PausedData, PaymentClaimData, PaymentData, PlanData,
    ResumedData, VoidedData,
)
from wikcli.ledger.events import LetterEmailData
from wikcli.ledger.model import CONSUMER, Client, Policy
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import cents, format_eur

NewEvent = tuple[str, "str | None", dict]

_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = 500
MAX_NOTE = 4000
MAX_NUMBER = 100


class LedgerError(WikError):
    """A request the ledger refuses: unknown or duplicate invoice, closed invoice, ..."""


def check_number(number: str) -> str:
    # An invoice number is the legal identifier the creditor gave it, kept as written (some
    # formats prescribe spaces or "|"): file names and references go through
    # letters.file_stem, never through the number itself.
    if not number or len(number) > MAX_NUMBER or not number.isprintable() or number != number.strip():
        raise LedgerError(_("invoice number {number!r} is not valid: expected 1-{limit} printable "
                            "characters, without spaces at either end").format(number=number[:80], limit=MAX_NUMBER))
    return number


def check_client_id(client_id: str) -> str:
    if not _CLIENT_ID.fullmatch(client_id):
        raise LedgerError(_("client id {client_id!r} is not valid: expected 1-64 letters, "
                            "digits and . _ - (starting with a letter or digit)").format(client_id=client_id[:80]))
    return client_id


def check_text(value: str, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if required and not value:
        raise LedgerError(_("{what} is empty: expected some text").format(what=_(what)))
    if _CONTROL.search(value.replace("\n", "") if what == "note" else value):
        raise LedgerError(_("{what} contains a control character: expected plain text").format(what=_(what)))
    if len(value) > limit:
        raise LedgerError(ngettext("{what} is {length} character long: expected at most {limit}",
                                   "{what} is {length} characters long: expected at most {limit}",
                                   len(value)).format(what=_(what), length=len(value), limit=limit))
    return value


def _invoice(ledger: Ledger, number: str) -> InvoiceFacts:
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(_("invoice {number!r} is not in the ledger: see `wik invoice list`").format(number=number[:80]))
    return inv


def _open_invoice(ledger, number, rulebook, day, *,
                  payable: bool = False) -> tuple[InvoiceFacts, steps.Assessment]:
    """The invoice and its state on ``day``; refused when closed (``payable``: unless it was
    closed in a way money can still arrive on: written off, handed over, bankrupt)."""
    inv = _invoice(ledger, number)
    a = steps.assess(inv, ledger.clients[inv.client], rulebook, max(day, inv.date),
                       with_interest=False)
    _refuse_closed(number, a.closed, payable)
    return inv, a


def _refuse_closed(number: str, closed: str | None, payable: bool) -> None:
    if closed is not None and not (payable and closed in PAYABLE_WHEN_CLOSED):
        raise LedgerError(_("invoice {number!r} is closed ({closed}): nothing more can be recorded on it").format(
            number=number, closed=_(closed)))


def _not_before_invoice(inv: InvoiceFacts, day: date, what: str) -> None:
    if day < inv.date:
        raise LedgerError(_("{what} {day} is before the invoice date {invoice_date} of invoice {number!r}").format(
            what=_(what), day=day.isoformat(), invoice_date=inv.date.isoformat(), number=inv.number))


def _not_after_today(day: date, today: date, what: str) -> None:
    # A fact dated in the future would already count in every replay of a later day.
    if day > today:
        raise LedgerError(_("{what} {day} is after today {today}: record it once it has happened").format(
            what=_(what), day=day.isoformat(), today=today.isoformat()))


def find_client(ledger: Ledger, client_id: str) -> Client | None:
    """The client with this id, compared without regard to case (the id as stored wins)."""
    client = ledger.clients.get(client_id)
    if client is not None:
        return client
    folded = client_id.casefold()
    hits = [c for c in ledger.clients.values() if c.id.casefold() == folded]
    if len(hits) > 1:  # only a journal from before ids were compared this way holds such a pair
        raise LedgerError(_("client id {client_id!r} matches {ids}: give the id with its exact case").format(
            client_id=client_id[:80], ids=", ".join(repr(c.id) for c in hits)))
    return hits[0] if hits else None


def client_id_of(ledger: Ledger, client_id: str) -> str:
    """The stored id of the client ``client_id`` names in any case; the input itself if none."""
    client = find_client(ledger, client_id)
    return client.id if client is not None else client_id


def same_name(a: str, b: str) -> bool:
    """Whether two names are one, ignoring case and spacing."""
    return _name_key(a) == _name_key(b)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def add_invoice(ledger: Ledger, number: str, client_id: str, amount: Decimal, day: date,
                due: date, description: str = "", agreement: str = "") -> list[NewEvent]:
    check_number(number)
    if number in ledger.invoices:
        raise LedgerError(_("invoice {number!r} already exists: a correction is a payment, a note "
                            "or a close with reason credit-note").format(number=number))
    if client_id not in ledger.clients:
        raise LedgerError(_("client {client_id!r} is not in the ledger: add it with `wik client add`").format(
            client_id=client_id[:80]))
    if client_id in ledger.forgotten:
        raise LedgerError(_("client {client_id!r} has been forgotten: no new invoices for it").format(client_id=client_id))
    if due < day:
        raise LedgerError(_("due date {due} is before the invoice date {day}").format(
            due=due.isoformat(), day=day.isoformat()))
    return [InvoiceAddedData(client=client_id, amount=cents(amount), day=day, due=due,
                             description=check_text(description, N_("description")),
                             agreement=check_agreement(agreement) if agreement else None).event(number)]


def check_agreement(text: str, where: str = "--agreement") -> str:
    """An agreement's name as an invoice records it: one line, at most 80 characters."""
    value = " ".join(text.split())
    if not value or len(value) > 80 or _CONTROL.search(text):
        raise LedgerError(_("{where} {text!r} is not an agreement's name: expected one line of "
                            "1 to 80 characters, such as 'lessen 2026'").format(where=where, text=text[:80]))
    return value


def pay(ledger: Ledger, number: str, amount: Decimal, day: date, rulebook: Rulebook,
        *, today: date, allow_overpayment: bool = False,
        whole_claim: bool = True) -> list[NewEvent]:
    """A payment on invoice ``number``; on an invoice of a joint letter's claim, split over
    the claim (``claimpay``) unless ``whole_claim`` is False (the caller split it already)."""
    inv = _invoice(ledger, number)
    client = ledger.clients[inv.client]
    # Closed is asked on the invoice date at the earliest; before the interest, which only an
    # amount over the principal and costs open needs (the costly part with many payments).
    on = max(day, inv.date)
    st = standing.standing(inv, client, rulebook, on, with_interest=False)
    _refuse_closed(number, steps.closed_on(inv, st, on), payable=True)
    _not_before_invoice(inv, day, N_("payment date"))
    _not_after_today(day, today, N_("payment date"))
    from wikcli.ledger import claimpay

    members = claimpay.claim_of(ledger, number, day) if whole_claim else (number,)
    if len(members) > 1:
        # One claim, one payment (art. 6:44 BW): split over all the letter's invoices.
        s = claimpay.split(ledger, members, amount, day, rulebook)
        if s.rest > 0 and not allow_overpayment:
            raise LedgerError(_("payment {amount} on invoice {number!r} is more than the {due} due on {day} "
                                "on the claim of invoices {invoices}: add --allow-overpayment to record the "
                                "rest as credit").format(amount=format_eur(amount), number=number,
                                                         due=format_eur(s.open_total), day=day.isoformat(),
                                                         invoices=", ".join(members)))
        parts = dict(s.parts)
        if s.rest > 0:
            parts[number] = parts.get(number, Decimal(0)) + s.rest
        if set(parts) != {number}:
            claim = PaymentClaimData(invoices=tuple(members), amount=cents(amount), paid_on=number)
            return [PaymentData(amount=cents(part), day=day, claim=claim).event(n) for n, part in parts.items()]
    due = st.total_due  # day == on here, and the interest open is never below zero
    if amount > due:
        due = standing.amount_due(inv, client, rulebook, day)
    if amount > due and not allow_overpayment:
        raise LedgerError(_("payment {amount} on invoice {number!r} is more than the {due} due on {day}: "
                            "add --allow-overpayment to record the rest as credit").format(
            amount=format_eur(amount), number=number, due=format_eur(due), day=day.isoformat()))
    return [PaymentData(amount=cents(amount), day=day).event(number)]


def note(ledger: Ledger, number: str, text: str, day: date,
         promise: date | None, *, today: date) -> list[NewEvent]:
    inv = _invoice(ledger, number)
    _not_before_invoice(inv, day, N_("note date"))
    _not_after_today(day, today, N_("note date"))
    if promise is not None and promise < day:
        raise LedgerError(_("promise date {promise} is before the note's date {day}").format(
            promise=promise.isoformat(), day=day.isoformat()))
    return [NoteData(day=day, text=check_text(text, N_("note"), required=True, limit=MAX_NOTE),
                     promise=promise).event(number)]


def plan(ledger: Ledger, number: str, installments: int, first: date, every: str | int,
         day: date, rulebook: Rulebook, *, waive_interest: bool = False,
         replace: bool = False) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, rulebook, day)
    if not 2 <= installments <= 60:
        raise LedgerError(_("--installments {installments} is out of range: expected 2 to 60").format(
            installments=installments))
    if first < day:
        raise LedgerError(_("--first {first} is before today {day}").format(first=first.isoformat(), day=day.isoformat()))
    current = inv.live(inv.plans, day)
    if current and not replace:
        raise LedgerError(_("invoice {number!r} already has a payment plan (agreed {agreed}): "
                            "add --replace to agree a new one in its place").format(
            number=number, agreed=current[-1].day.isoformat()))
    client = ledger.clients[inv.client]
    parts = plans.plan_installments(inv, client, rulebook, day, installments, first, every,
                                      waive_interest=waive_interest)
    if any(p.amount < Decimal("0.01") for p in parts):
        total = standing.amount_due(inv, client, rulebook, day)
        raise LedgerError(ngettext("invoice {number!r} has {open} open: too little for {installments} installment",
                                   "invoice {number!r} has {open} open: too little for {installments} installments",
                                   installments).format(number=number, open=format_eur(total),
                                                        installments=installments))
    total = sum((p.amount for p in parts), Decimal("0"))
    return [PlanData(day=day, every=str(every), total=cents(total), interest="waived" if waive_interest else "included",
                     installments=tuple(InstallmentData(due=i.due, amount=cents(i.amount)) for i in parts),
                     replaces=current[-1].seq if current else None).event(number)]


def _letter_id(ledger: Ledger) -> str:
    # The seq the transaction's first event will get: unique in the journal.
    return f"L{ledger.last_seq + 1}"


def sent(ledger: Ledger, claim, *, file: str = "", sha256: str = "",
         email: dict | None = None) -> list[NewEvent]:
    """A letter went out: one ``letter-sent`` event on each invoice it covers, each recording
    what the letter said (``claims.Claim.record``) and, for an e-mail wik sent, the server's
    acceptance (``email``: to, message_id, reply, accepted_at)."""
    letter_id = _letter_id(ledger)
    if claim.copy is not None and not file:
        file, sha256 = claim.copy
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        letter: LetterSentData = claim.record(number, letter_id)
        if file:
            letter = _replace(letter, file=file, sha256=sha256)
        if email:
            letter = _replace(letter, email=LetterEmailData.from_payload(email))
        events.append(letter.event(number))
    return events


def unknown_mail(ledger: Ledger, numbers, kind: str) -> str | None:
    """Why a letter of ``kind`` about ``numbers`` may not be e-mailed again: an earlier attempt
    whose outcome is unknown (the server may have it), or None."""
    for number in numbers:
        inv = ledger.invoices.get(number)
        pending = None if inv is None else pending_mail(inv, kind)
        if pending is not None:
            names = " ".join(pending.invoices or [number])
            return _("invoice {number!r}: the {kind_name} e-mailed on {day} (Message-ID {message_id}) has no "
                     "known outcome: the server may have accepted it (no reply came after the message was "
                     "handed over, or wik was stopped); check your sent mail, then record it with `wik sent "
                     "{names} --kind {kind} --via email --date {day}`, or send it again with `wik send {names} "
                     "--kind {kind} --resend`").format(
                number=number, kind_name=_(KIND_NAMES[kind]), day=pending.day.isoformat(),
                message_id=pending.message_id, names=names, kind=kind)
    return None


def mail_attempt(ledger: Ledger, claim, *, to: str, message_id: str, file: str, at: str,
                 resend: bool = False) -> list[NewEvent]:
    """A letter's e-mail is about to be handed to the server: recorded first, so that no
    outcome (a timeout, a kill) can lead to a second copy nobody asked for."""
    why = unknown_mail(ledger, claim.numbers, claim.kind)
    if why is not None and not resend:
        raise LedgerError(why)
    attempt = MailAttemptData(day=claim.day, kind=claim.kind, invoices=tuple(claim.numbers), to=to,
                              message_id=message_id, file=file, at=at, resend=True if why is not None else None)
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        events.append(attempt.event(number))
    return events


def mail_failed(ledger: Ledger, numbers, message_id: str, day: date, reason: str) -> list[NewEvent]:
    """The server did not take the message (nothing was handed over): the attempt is closed."""
    failed = MailFailedData(day=day, message_id=message_id, reason=" ".join(reason.split())[:500])
    return [failed.event(n) for n in numbers if n in ledger.invoices]


def rendered(ledger: Ledger, claim, file: str, sha256: str) -> list[NewEvent]:
    """A letter was made and archived: one ``letter-rendered`` event on each invoice it
    covers, with what it says, so that ``wik sent`` can later record exactly that letter."""
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        letter: LetterRenderedData = claim.record(number, file, LetterRenderedData)
        events.append(_replace(letter, file=file, sha256=sha256).event(number))
    return events


def void(ledger: Ledger, seq: int, reason: str, day: date) -> list[NewEvent]:
    """Cancel an earlier payment, note, plan or letter-sent event: a new event says so, the
    old one stays in the journal. A letter about several invoices is cancelled on each."""
    target = None
    for inv in ledger.invoices.values():
        ev = find_event(inv, seq)
        if ev is not None:
            target = (inv, ev)
            break
    if target is None:
        raise LedgerError(_("event {seq} is not an event of an invoice: see the numbers in `wik invoice show`").format(
            seq=seq))
    inv, ev = target
    if ev.type not in VOIDABLE:
        raise LedgerError(_("event {seq} is a {type} event: only payment, note, plan and letter-sent "
                            "events can be voided").format(seq=seq, type=ev.type))
    if seq in inv.voided:
        raise LedgerError(_("event {seq} was already voided on {day}").format(seq=seq, day=inv.voided[seq].isoformat()))
    when = _voidable_day(inv, seq)
    if when > day:
        raise LedgerError(_("event {seq} is dated {when}, after today {day}").format(
            seq=seq, when=when.isoformat(), day=day.isoformat()))
    why = check_text(reason, N_("reason"), required=True)
    if ev.type == PAYMENT and inv.credit_out:
        _credit_survives_void(ledger, inv, seq, day)
    targets = [(inv, ev)]
    if ev.type == LETTER_SENT:
        letter = next(x for x in inv.letters if x.seq == seq)
        targets = [(i, find_event(i, x.seq)) for i, x in letter.group if x.seq not in i.voided]
    return [VoidedData(day=day, seq=e.seq, kind=e.type, reason=why).event(i.number) for i, e in targets]


def _voidable_day(inv: InvoiceFacts, seq: int) -> date:
    """The date of the invoice's payment, note, plan or letter recorded as event ``seq``."""
    facts: list = [*inv.payments, *inv.notes, *inv.plans, *inv.letters]
    return next(x.day for x in facts if x.seq == seq)


def _credit_survives_void(ledger: Ledger, inv: InvoiceFacts, seq: int, day: date) -> None:
    """A payment whose credit was since set off or refunded cannot be voided alone: the
    client would hold less than nothing."""
    from dataclasses import replace as copy

    trial = copy(inv, voided={**inv.voided, seq: day})
    last = max([day] + [x.day for x in inv.credit_out])
    client = ledger.clients[inv.client]
    for when in sorted({day, last} | {x.day for x in inv.credit_out if x.day >= day}):
        credit = standing.standing(trial, client, Rulebook(), when, with_interest=False).credit
        if credit < 0:
            raise LedgerError(_("event {seq}: the credit this payment left on invoice {number!r} was set off or "
                                "refunded since (`wik credit show`): it cannot be voided alone").format(
                seq=seq, number=inv.number))


def _in_order(inv: InvoiceFacts, day: date, what: str) -> None:
    """Pauses and resumes count in the order they were recorded: a date before the last of
    them (``--date``) would make that order and the dates disagree."""
    _not_before_invoice(inv, day, what)
    last = max((d for d, kind, _ in inv.marks if kind in (PAUSED, RESUMED)), default=None)
    if last is not None and day < last:
        raise LedgerError(_("{what} {day} is before the last pause or resume of invoice {number!r} on {last}").format(
            what=_(what), day=day.isoformat(), number=inv.number, last=last.isoformat()))


def pause(ledger, number, reason, day, rulebook) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, rulebook, day)
    _in_order(inv, day, N_("pause date"))
    if a.paused is not None:
        raise LedgerError(_("invoice {number!r} is already paused: `wik resume {number}` first").format(number=number))
    return [PausedData(day=day, reason=check_text(reason, N_("reason"), required=True)).event(number)]


def resume(ledger, number, day, rulebook) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, rulebook, day)
    _in_order(inv, day, N_("resume date"))
    if a.paused is None:
        raise LedgerError(_("invoice {number!r} is not paused").format(number=number))
    return [ResumedData(day=day).event(number)]


def close(ledger, number, reason, day, rulebook, *, force: bool = False) -> list[NewEvent]:
    if reason not in CLOSE_REASONS:
        raise LedgerError(_("close reason {reason!r} is unknown: expected one of {reasons}").format(
            reason=reason, reasons=", ".join(CLOSE_REASONS)))
    inv, _a = _open_invoice(ledger, number, rulebook, day)
    if reason == "paid":
        open_ = standing.amount_due(inv, ledger.clients[inv.client], rulebook, day)
        if open_ > 0:
            if not force:
                raise LedgerError(_("invoice {number!r} still has {open} open on {day}: record the payment with "
                                    "`wik pay`, close it with another reason, or add --force (recorded)").format(
                    number=number, open=format_eur(open_), day=day.isoformat()))
            return [ClosedData(day=day, reason=reason, forced=True, open=cents(open_)).event(number)]
    return [ClosedData(day=day, reason=reason).event(number)]


def hand_over(ledger, number, day, rulebook, *, dossier: str = "",
              force: bool = False) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, rulebook, day)
    if a.step == 6:
        raise LedgerError(_("invoice {number!r} has already been handed over").format(number=number))
    problem = _handover_problem(inv, ledger.clients[inv.client], rulebook.policy, day)
    if problem and not force:
        raise LedgerError(_("{problem}, or add --force (recorded)").format(problem=problem))
    return [HandedOverData(day=day, forced=True if problem else None, dossier=dossier or None,
                           costs_lost=costs_lost(inv, ledger.clients[inv.client], day) or None).event(number)]


def costs_lost(inv: InvoiceFacts, client: Client, day: date) -> str | None:
    """Why no collection costs can be claimed on a consumer's invoice (no WIK-letter announced
    them), or None."""
    if client.type != CONSUMER or standing.announcing_letter(inv, client.type, day) is not None:
        return None
    return (f"invoice {inv.number!r} had no WIK-letter: no collection costs can be claimed from this consumer "
            "(art. 6:96 lid 6 BW), the claim is the principal and the interest")


def _handover_problem(inv, client, policy, day) -> str | None:
    """Why a hand-over on ``day`` comes too early: no notice of default, or its term runs."""
    notices = [x for x in inv.live(inv.letters, day) if x.kind == DEFAULT]
    if not notices:
        return _("invoice {number!r} has no notice of default: send one first "
                 "(`wik letter {number} --kind default`)").format(number=inv.number)
    _sent, after = standing.letter_dates(notices[-1], policy, client)
    if day < after:
        return _("invoice {number!r}: the notice of default of {day} gives the debtor until {until}: "
                 "hand it over from {after}").format(number=inv.number, day=notices[-1].day.isoformat(),
                                                     until=(after - timedelta(days=1)).isoformat(),
                                                     after=after.isoformat())
    return None


def forget(ledger: Ledger, client_id: str, day: date, rulebook: Rulebook) -> list[NewEvent]:
    """A tombstone for a client's personal data once the retention period has run out."""
    if client_id not in ledger.clients:
        raise LedgerError(_("client {client_id!r} is not in the ledger").format(client_id=client_id[:80]))
    if client_id in ledger.forgotten:
        raise LedgerError(_("client {client_id!r} has already been forgotten").format(client_id=client_id))
    last = None
    for inv in ledger.invoices.values():
        if inv.client != client_id:
            continue
        a = steps.assess(inv, ledger.clients[client_id], rulebook, day)
        if a.closed is None:
            raise LedgerError(_("client {client_id!r} still has open invoice {number!r}: "
                                "close it before forgetting the client").format(client_id=client_id, number=inv.number))
        for ev_day in [inv.date] + [m[0] for m in inv.marks] + [p.day for p in inv.payments]:
            last = ev_day if last is None or ev_day > last else last
    if last is not None:
        keep_until = _add_years(last, rulebook.policy.retention_years)
        if day <= keep_until:
            years = rulebook.policy.retention_years
            raise LedgerError(ngettext("client {client_id!r} must be kept until {until} "
                                       "({years} year after the last invoice activity)",
                                       "client {client_id!r} must be kept until {until} "
                                       "({years} years after the last invoice activity)",
                                       years).format(client_id=client_id, until=keep_until.isoformat(), years=years))
    return [ClientForgottenData(id=client_id, day=day).event()]


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def invoice_due(day: date, due: date | None, term: int | None, policy: Policy) -> date:
    """The due date: explicit, or the invoice date plus the term (policy default); either way
    moved past a Saturday, Sunday or holiday, as the Algemene termijnenwet moves a term's end
    (art. 1; art. 2 extends it to agreed terms), so a given date and a term in days agree."""
    if due is not None and term is not None:
        raise LedgerError(_("give --due or --term, not both"))
    from wikcli.rules import deadlines

    if due is not None:
        return deadlines.extend_atw(due)[0]
    days = policy.payment_term_days if term is None else term
    if not 1 <= days <= 365:
        raise LedgerError(_("--term {days} is out of range: expected 1 to 365 days").format(days=days))
    return deadlines.due_date(day, days)

"""What a letter claims: the invoices it covers, what is open on each, the costs it announces
and the last day of its term, decided once, when the letter is made.

Pure: the ledger, the rulebook and a day in, a frozen ``Claim`` out. The same claim is what the
letter prints (``letters``), what its ``letter-sent`` event records (``record``), and so what
the ledger later holds the debtor to (``standing.owed_costs``): the collection costs owed come
from what a letter announced, never from today's configuration.

Rules (domain.md sections 1-3, 5):
- A reminder covers invoices past their due date; a WIK-letter or a notice of default only
  invoices in default on the letter's date (art. 6:96 lid 6 BW: the WIK-letter follows
  default). Closed, paused and handed-over invoices, and invoices under a payment plan that
  is being kept, get no letter; neither does an invoice whose costs an earlier letter
  announced while that letter's term still runs.
- One letter covers invoices of one client. Costs are announced once per invoice: by a
  consumer's WIK-letter, or by the first letter to a business that names them (WIK-letter or
  notice of default). A letter about several invoices announces one staffel over the sum of
  the principals still without announced costs; each invoice carries a pro-rata share, in
  cents that add up exactly. A later letter repeats what is owed; it never adds a staffel.
- Every letter's table adds up: per invoice the principal open, then the costs owed (charged,
  paid, open) and the interest (accrued, paid, open); its total is what ``wik invoice show``
  gives for those invoices on the letter's date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from wikcli.rules import costs
from wikcli.rules.dates import Day
from wikcli.ledger import cumulation
from wikcli.ledger import facts
from wikcli.ledger import standing
from wikcli.ledger import steps
from wikcli.rules import deadlines
from wikcli.errors import WikError
from wikcli.i18n import N_, _, ngettext
from wikcli.ledger.events import AnnouncedData, ClaimCostsData, LetterClaimData, LetterRenderedData, LetterSentData
from wikcli.ledger.model import CONSUMER, Client
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO, cents, format_eur, split, to_str

L = TypeVar("L", bound=LetterSentData)


# facts.KIND_NAMES as the catalog holds them: messages show them through _().
KIND_WORDS = (N_("reminder"), N_("WIK-letter"), N_("notice of default"))


class ClaimError(WikError):
    """A letter that the law or the ledger does not allow (not yet due, closed, mixed clients)."""


@dataclass(frozen=True)
class ClaimLine:
    """One invoice of a letter, on the letter's date."""

    number: str
    date: Day
    due: Day
    amount: Decimal
    principal_open: Decimal
    costs_charged: Decimal  # owed costs incl. VAT (0 while none are owed)
    costs_vat: Decimal  # the VAT in ``costs_charged``
    costs_paid: Decimal
    costs_open: Decimal
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_open: Decimal
    announced: tuple[Decimal, Decimal] | None  # (costs, VAT) this letter announces for it
    interest_kind: str
    # The agreed interest and its clause ("1% per maand", "artikel 8 ..."), or None: statutory.
    interest_terms: tuple[str, str] | None = None

    @property
    def principal_paid(self) -> Decimal:
        return self.amount - self.principal_open

    @property
    def total_due(self) -> Decimal:
        return self.principal_open + self.costs_open + self.interest_open


@dataclass(frozen=True)
class Claim:
    kind: str
    day: date
    via: str
    client: Client
    lines: tuple[ClaimLine, ...]
    term: deadlines.Term
    # The staffel this letter announces (over ``announced.principal``), or None.
    announced: costs.Costs | None
    requested: Decimal  # what the letter asks to be paid now (the total, or missed installments)
    missed: facts.Installment | None = None  # a reminder about a payment plan's installment
    warnings: tuple[str, ...] = ()
    # Recorded when a letter is adopted from an archived copy: (file, sha256).
    copy: tuple[str, str] | None = None
    # The ISO 11649 payment reference (RF..) the letter and its QR code ask the debtor to
    # quote (``bank.claim_reference``); None for a letter printed before letters had one.
    reference: str | None = None
    # A consumer's notice of default sent with --force before a WIK-letter whose term has run.
    forced: bool = False

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(x.number for x in self.lines)

    def _sum(self, field: str) -> Decimal:
        return sum((getattr(x, field) for x in self.lines), ZERO)

    # The letter's figures: the sums of its invoices' (the rows of its table add up to them).
    principal_open = property(lambda self: self._sum("principal_open"))
    costs_charged = property(lambda self: self._sum("costs_charged"))
    costs_vat = property(lambda self: self._sum("costs_vat"))
    costs_paid = property(lambda self: self._sum("costs_paid"))
    costs_open = property(lambda self: self._sum("costs_open"))
    interest_accrued = property(lambda self: self._sum("interest_accrued"))
    interest_paid = property(lambda self: self._sum("interest_paid"))
    interest_open = property(lambda self: self._sum("interest_open"))
    total_due = property(lambda self: self._sum("total_due"))

    def record(self, number: str, letter_id: str, as_type: type[L] = LetterSentData) -> L:  # type: ignore[assignment]
        """The ``letter-sent`` (or, with ``as_type``, ``letter-rendered``) payload for invoice
        ``number``: what the letter said, so the ledger never has to recompute it."""
        line = next(x for x in self.lines if x.number == number)
        a = self.announced
        return as_type(
            kind=self.kind, day=self.day, via=self.via, letter=letter_id, invoices=self.numbers,
            reference=self.reference, delivered=self.term.delivered, last_day=self.term.last_day,
            costs_due_from=self.term.costs_due_from, principal_open=cents(line.principal_open),
            costs_open=cents(line.costs_open), interest_open=cents(line.interest_open),
            announces=None if line.announced is None else AnnouncedData(
                costs=cents(line.announced[0]), vat=cents(line.announced[1])),
            # what the whole letter claimed, as the bank's matching and the dossier read it
            claim=LetterClaimData(
                principal_open=cents(self.principal_open), costs_open=cents(self.costs_open),
                interest_open=cents(self.interest_open), total=cents(self.total_due),
                requested=cents(self.requested),
                costs_announced=None if a is None else ClaimCostsData(
                    principal=cents(a.principal), costs=cents(a.costs), vat=cents(a.vat),
                    vat_rate=Decimal(f"{a.vat_rate:.2f}"),
                    cumulation=[c.to_json() for c in a.cumulation] if a.cumulation else None,
                    terms=None if a.terms is None else a.terms.to_json(),
                    clause=None if a.terms is None else a.clause)),
            forced=True if self.forced else None)


def _refusal(kind: str, inv: facts.InvoiceFacts, a: steps.Assessment, day: date,
             policy, client: Client, today: date) -> str | None:
    """Why a letter of ``kind`` dated ``day`` may not cover this invoice, or None."""
    n = inv.number
    if inv.date > day:
        return _("invoice {number!r} is dated {date}, after the letter's date").format(number=n, date=inv.date.isoformat())
    if a.closed is not None:
        return _("invoice {number!r} is closed ({closed}): no letter to send").format(number=n, closed=_(a.closed))
    if a.handed_over is not None:
        return (_("invoice {number!r} was handed over on {handed_over}: the collection agency writes now").format(
                   number=n, handed_over=a.handed_over.isoformat()))
    if a.paused is not None:
        return _("invoice {number!r} is paused ({paused}): `wik resume {number}` first").format(number=n, paused=a.paused)
    later = [x for x in inv.live(inv.letters, today) if x.day > day]
    if later:
        return (_("invoice {number!r} has a {kind} of {day}: a letter dated before it cannot be recorded now").format(
                   number=n, kind=_(facts.KIND_NAMES[later[0].kind]), day=later[0].day.isoformat()))
    if day <= inv.due:
        if kind == facts.REMINDER:
            return (_("invoice {number!r} is not due until {due}: a reminder can follow from {after}").format(
                       number=n, due=inv.due.isoformat(), after=(inv.due + timedelta(days=1)).isoformat()))
        return (_("invoice {number!r} is not in default until {after}: a {kind} can only follow default (art. "
                   "6:96 lid 6 BW)").format(
                   number=n, after=(inv.due + timedelta(days=1)).isoformat(), kind=_(facts.KIND_NAMES[kind])))
    ann = a.standing.announced_by
    if ann is not None:
        _last, owed_from = standing.letter_dates(ann, policy, client)
        if day < owed_from:
            return (_("invoice {number!r}: the costs the {kind} of {day} announced are owed from {owed_from}; its "
                       "term runs until then, so a further letter can follow from that day").format(
                       number=n, kind=_(facts.KIND_NAMES[ann.kind]), day=ann.day.isoformat(), owed_from=owed_from.isoformat()))
    if a.plan is not None and a.missed_installment is None:
        nxt = next((i.due for i in a.plan.installments if i.due >= day), a.plan.last_due)
        return (_("invoice {number!r} has a payment plan that is being kept (next installment due {nxt}): no "
                   "letter is due").format(number=n, nxt=nxt.isoformat()))
    if a.standing.total_due <= 0:
        return _("invoice {number!r} has nothing open on {day}").format(number=n, day=day.isoformat())
    return None


def _costs_key(terms):
    return None if terms is None or terms.costs is None else (terms.costs, terms.clause)


def _interest_terms(terms) -> tuple[str, str] | None:
    if terms is None or terms.interest is None:
        return None
    return terms.interest.text, terms.clause


def _check_kind_and_day(kind: str, via: str, day: date, today: date) -> None:
    if kind not in facts.LETTER_KINDS:
        raise ClaimError(_("letter kind {kind!r} is unknown: expected reminder, wik or default").format(kind=kind))
    if via not in deadlines.CHANNELS:
        raise ClaimError(_("--via {via!r} is unknown: expected post or email").format(via=via))
    if day > today:
        raise ClaimError(_("letter date {day} is after today {today}: record a letter once it has gone out").format(
                            day=day.isoformat(), today=today.isoformat()))


def email_refusal(client: Client, kind: str, via: str) -> str | None:
    """Why a letter of ``kind`` may not go to ``client`` by ``via``, or None: a consumer's
    WIK-letter or notice of default goes by e-mail only where the client agreed to receive
    letters by e-mail (domain.md section 3: receipt must be provable; practitioners advise
    post, Hof 's-Hertogenbosch 5-12-2017, ECLI:NL:GHSHE:2017:5389 accepted an agreed e-mail)."""
    if via != deadlines.EMAIL or client.type != CONSUMER or kind not in (facts.WIK, facts.DEFAULT):
        return None
    if client.email_letters:
        return None
    return _("client {client!r} is a consumer who has not agreed to receive letters by e-mail: send the "
             "{kind} by post, or record the agreement with `wik client email {plain} "
             "--source TEXT --given DATE --letters-agreed`").format(
             client=client.id, kind=_(facts.KIND_NAMES[kind]), plain=client.id)


def email_doubt(client: Client, kind: str, via: str) -> str | None:
    """The warning on a letter ``email_refusal`` refuses to send, when the user e-mailed it
    and records it: it counts, but its receipt may be hard to prove."""
    if email_refusal(client, kind, via) is None:
        return None
    return _("client {client!r} is a consumer who has not agreed to receive letters by e-mail: its receipt "
             "may be hard to prove; send a {kind} by post, or record the agreement with `wik client email "
             "{plain} --source TEXT --given DATE --letters-agreed`").format(
             client=client.id, kind=_(facts.KIND_NAMES[kind]), plain=client.id)


def coverable(ledger: facts.Ledger, rulebook: Rulebook, client_id: str, kind: str, day: date,
              today: date, *, exclude: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(numbers a letter of ``kind`` dated ``day`` may cover for the client, why the others
    may not), the numbers oldest due date first."""
    client = ledger.clients[client_id]
    ok: list[str] = []
    why: list[str] = []
    invoices = sorted((i for i in ledger.invoices.values() if i.client == client_id and i.number not in exclude),
                      key=lambda i: (i.due, i.number))
    for inv in invoices:
        if inv.date > day:
            continue
        a = steps.assess(inv, client, rulebook, day)
        if a.closed is not None:
            continue
        reason = _refusal(kind, inv, a, day, rulebook.policy, client, today)
        (why if reason else ok).append(reason or inv.number)
    return ok, why


def select(ledger: facts.Ledger, rulebook: Rulebook, client_id: str, kind: str, day: date,
           today: date) -> list[str]:
    """``--client``: every invoice of the client that a letter of ``kind`` may cover on ``day``."""
    _check_kind_and_day(kind, deadlines.POST, day, today)
    from wikcli.ledger.commands import find_client

    found = find_client(ledger, client_id)
    if found is None:
        raise ClaimError(_("client {client!r} is not in the ledger: see `wik client list`").format(
                            client=client_id[:80]))
    cid = found.id
    ok, why = coverable(ledger, rulebook, cid, kind, day, today)
    if not ok:
        if why:
            raise ClaimError(_("client {client!r} has no invoice a {kind} may cover on {day} ({why})").format(
                client=cid, kind=_(facts.KIND_NAMES[kind]), day=day.isoformat(), why=why[0]))
        raise ClaimError(_("client {client!r} has no invoice a {kind} may cover on {day}").format(
            client=cid, kind=_(facts.KIND_NAMES[kind]), day=day.isoformat()))
    return ok


def _invoices(ledger: facts.Ledger, numbers) -> tuple[list[str], list[facts.InvoiceFacts]]:
    """The numbers once each, in the order given, and their invoices: all known, of one client."""
    order: list[str] = []
    for number in numbers:
        if number not in order:
            order.append(number)
    if not order:
        raise ClaimError(_("no invoice given: name one or more invoice numbers, or --client ID"))
    invs = []
    for number in order:
        inv = ledger.invoices.get(number)
        if inv is None:
            raise ClaimError(_("invoice {number!r} is not in the ledger: see `wik invoice list`").format(
                                number=number[:80]))
        invs.append(inv)
    clients = {inv.client for inv in invs}
    if len(clients) > 1:
        raise ClaimError(_("invoices of different clients cannot share a letter: {invoices}").format(
            invoices=", ".join(f"{inv.number} ({inv.client})" for inv in invs)))
    return order, invs


def _forced(kind: str, client: Client, assessments: list[steps.Assessment], force: bool) -> bool:
    """Whether a consumer's notice of default goes out before a WIK-letter whose term has run
    (only with ``force``: refused otherwise)."""
    forced = False
    if kind == facts.DEFAULT and client.type == CONSUMER:
        for a in assessments:
            ann = a.standing.announced_by
            if ann is None or ann.kind != facts.WIK:
                if not force:
                    raise ClaimError(
                        _("invoice {invoice!r} has no WIK-letter whose term has run: a consumer's notice of "
                           "default before it loses the collection costs for good (art. 6:96 lid 6 BW): send the "
                           "WIK-letter first (`wik letter {invoice} --kind wik`), or add --force (recorded)").format(
                           invoice=a.invoice))
                forced = True
    return forced


def _announce(ledger: facts.Ledger, rulebook: Rulebook, client: Client, kind: str, day: date,
              assessments: list[steps.Assessment]
              ) -> tuple[costs.Costs | None, dict[str, tuple[Decimal, Decimal]], list[str]]:
    """The costs this letter announces (once per invoice, by the letters that may announce
    them): the staffel or the agreed costs over the claim, each invoice's share (costs, VAT),
    and a warning where agreed costs exceed the staffel."""
    fresh = [a for a in assessments if a.standing.announced_by is None]
    announces = kind in facts.ANNOUNCING.get(client.type, ()) and bool(fresh)
    if kind == facts.WIK and not announces:
        a = assessments[0]
        ann = a.standing.announced_by
        assert ann is not None  # a WIK-letter that announces nothing follows one that did
        raise ClaimError(_("invoice {invoice!r}: its collection costs were announced by the {kind} of {day}; a "
                            "second WIK-letter announces nothing: send a notice of default").format(
                            invoice=a.invoice, kind=_(facts.KIND_NAMES[ann.kind]), day=ann.day.isoformat()))
    shares: dict[str, tuple[Decimal, Decimal]] = {}
    warnings: list[str] = []
    if not announces:
        return None, shares, warnings
    vat_ok = rulebook.vat_deductible
    # One claim, one formula: the staffel, or the collection costs the terms agreed.
    costs_terms = {_costs_key(a.standing.terms) for a in fresh}
    if len(costs_terms) > 1:
        raise ClaimError(_("invoices with different agreed collection costs cannot share a letter: {invoices}: "
                           "send them separate letters").format(invoices=", ".join(a.invoice for a in fresh)))
    terms = fresh[0].standing.terms
    weights = [a.standing.principal_open for a in fresh]
    base = sum(weights, ZERO)
    announced = standing.announce_costs(base, client.type, vat_ok, terms)
    if cumulation.applies(client.type, kind, day):
        pairs = [(ledger.invoices[a.invoice], a.standing.principal_open) for a in fresh]
        announced, _lowered = cumulation.lowered(announced, cumulation.cap(ledger, client, day, pairs, rulebook.rates),
                                          pairs)
    if announced.agreed:
        from wikcli.rules import agreed

        staffel = costs.compute(base, vat=not vat_ok, debtor=client.type)
        too_much = agreed.staffel_warning(announced.costs, staffel.costs)
        if too_much:
            warnings.append(too_much)
    for a, c, v in zip(fresh, split(announced.costs, weights), split(announced.vat, weights)):
        shares[a.invoice] = (c, v)
    return announced, shares, warnings


def compose(ledger: facts.Ledger, rulebook: Rulebook, numbers, kind: str, day: date, via: str, *,
            today: date, force: bool = False) -> Claim:
    """The claim of a letter of ``kind`` about ``numbers``, sent on ``day`` by ``via``.

    A consumer's notice of default with no WIK-letter before it whose term has run is refused
    unless ``force``: the collection costs could then never be charged (art. 6:96 lid 6 BW)."""
    _check_kind_and_day(kind, via, day, today)
    order, invs = _invoices(ledger, numbers)
    client = ledger.clients[invs[0].client]
    policy = rulebook.policy
    assessments = []
    for inv in invs:
        a = steps.assess(inv, client, rulebook, day)
        reason = _refusal(kind, inv, a, day, policy, client, today)
        if reason:
            raise ClaimError(reason)
        assessments.append(a)
    from wikcli.ledger import client_account

    held = client_account.refusal(ledger, client.id, rulebook, day)
    if held:
        raise ClaimError(held)
    forced = _forced(kind, client, assessments, force)
    announced, shares, warnings = _announce(ledger, rulebook, client, kind, day, assessments)

    lines = []
    for inv, a in zip(invs, assessments):
        s = a.standing
        warnings += [w for w in s.warnings if w not in warnings]
        lines.append(ClaimLine(
            number=inv.number, date=inv.date, due=inv.due, amount=inv.amount,
            principal_open=s.principal_open, **s.columns(), announced=shares.get(inv.number),
            interest_kind=s.interest_kind, interest_terms=_interest_terms(s.terms)))
    term = standing.letter_term(kind, day, via, policy, client)
    low = delivery_warning(day, via, policy, client)
    if low:
        warnings.append(low)
    total = sum((x.total_due for x in lines), ZERO)
    requested, missed = total, None
    if kind == facts.REMINDER and len(assessments) == 1 and assessments[0].missed_installment is not None:
        # A reminder about a payment plan asks for what the plan is behind, not for the rest.
        missed = assessments[0].missed_installment
        requested = min(assessments[0].installments_open, total) or total
    from wikcli.rules.references import claim_reference

    reference = claim_reference(order, kind, day, ledger.invoices, style=policy.payment_reference)
    return Claim(kind=kind, day=day, via=via, client=client, lines=tuple(lines), term=term,
                 announced=announced, requested=requested, missed=missed, warnings=tuple(warnings),
                 reference=reference, forced=forced)


def delivery_warning(day: date, via: str, policy, client: Client) -> str | None:
    """A letter dated by a ``policy.postal_delivery_days`` below PostNL's norm prints a last day
    earlier than the true one (which can void its costs): say so on every letter it dates."""
    n = standing.postal_days(policy, client, via)
    if n is None or (client.country or "NL").upper() != "NL":
        return None
    norm = deadlines.delivery_days_for(day)
    if n >= norm:
        return None
    return (_("policy.postal_delivery_days {n} is below the postal norm of {norm} delivery days for a "
               "letter posted on {day}: the letter's last day comes earlier than the norm gives, and a "
               "last day earlier than the true one can void the costs: set it to 0 (the norm)").format(
               n=n, norm=norm, day=day.isoformat()))


def others(ledger: facts.Ledger, rulebook: Rulebook, claim: Claim, today: date) -> list[str]:
    """Other invoices of the client that the same letter could cover on its date."""
    ok, _ = coverable(ledger, rulebook, claim.client.id, claim.kind, claim.day, today, exclude=claim.numbers)
    return ok


def consumer_warning(ledger: facts.Ledger, rulebook: Rulebook, claim: Claim, today: date) -> str | None:
    """Separate WIK-letters each carry their own staffel, which costs a consumer more than one
    letter over the sum (and a court may cut that back): say so when it could be avoided."""
    if claim.client.type != CONSUMER or claim.kind != facts.WIK:
        return None
    more = others(ledger, rulebook, claim, today)
    if not more:
        return None
    return ngettext("client {client!r} has {count} more invoice this WIK-letter could cover ({invoices}): "
                    "separate letters each add a staffel, which costs a consumer more; one letter for all: "
                    "`wik letter --client {client} --kind wik`",
                    "client {client!r} has {count} more invoices this WIK-letter could cover ({invoices}): "
                    "separate letters each add a staffel, which costs a consumer more; one letter for all: "
                    "`wik letter --client {client} --kind wik`", len(more)).format(
        client=claim.client.id, count=len(more), invoices=", ".join(more[:5]) + (", ..." if len(more) > 5 else ""))


def _rendered(data: Mapping[str, Any] | LetterSentData) -> LetterSentData:
    """A ``letter-rendered`` event's data (as the journal holds it) read through its type."""
    return data if isinstance(data, LetterSentData) else LetterRenderedData.load(data)


def _printed(p: LetterSentData) -> tuple[str, date, date]:
    """(file, last day, costs owed from) as the rendered letter printed them."""
    name = p.file or ""
    if p.last_day is None or p.costs_due_from is None:
        raise ClaimError(_("the letter {name} records no last day: render it again").format(name=name))
    return name, p.last_day, p.costs_due_from


def late_copy(data: Mapping[str, Any] | LetterSentData, claim: Claim) -> str | None:
    """A letter recorded as sent on ``claim.day`` when wik rendered it (``data``) for an earlier
    day: refused when the copy prints a last day earlier than sending it now gives (a
    too-early date can void the costs), a warning when it prints a later one (the ledger keeps
    the printed, later day), else None."""
    p = _rendered(data)
    name, printed, _owed = _printed(p)
    true = claim.term.last_day
    numbers = " ".join(claim.numbers)
    if printed < true:
        raise ClaimError(
            _("the letter {name} was rendered for {date} and names {printed} as its last day; sent on "
               "{day} by {via} its term runs until {true} (a letter that names a too-early date can "
               "void its costs): render it again with `wik letter {numbers} --kind {kind} --sent {day} "
               "--via {via}` and send that copy").format(
               name=name, date=p.day.isoformat(), printed=printed.isoformat(), day=claim.day.isoformat(), via=claim.via, true=true.isoformat(), numbers=numbers, kind=claim.kind))
    if printed > true:
        return (_("the letter {name} was rendered for {date} and names {printed} as its last day, later "
                   "than the {true} that sending it on {day} gives: the debtor has until the printed day").format(
                   name=name, date=p.day.isoformat(), printed=printed.isoformat(), true=true.isoformat(), day=claim.day.isoformat()))
    return None


def adopt(ledger: facts.Ledger, rulebook: Rulebook, numbers, data: Mapping[str, Any] | LetterSentData, via: str,
          today: date, *, force: bool = False) -> Claim:
    """The claim of a letter wik rendered earlier (its ``letter-rendered`` data), for ``wik
    sent``: checked against the ledger on the letter's date and against the channel it went
    by, so that what is recorded is what that very letter said."""
    p = _rendered(data)
    day = p.day
    fresh = compose(ledger, rulebook, numbers, p.kind, day, via, today=today, force=force)
    name, printed_last, printed_owed = _printed(p)
    if printed_last < fresh.term.last_day:
        raise ClaimError(
            _("the letter {name} names {printed_last} as its last day, before the {last_day} that "
               "sending it by {via} gives (a letter that names a too-early date can void its costs): "
               "render it again with --via {via}").format(
               name=name, printed_last=printed_last.isoformat(), last_day=fresh.term.last_day.isoformat(), via=via))
    said = p.claim
    announced = None if said is None else said.costs_announced
    now_announced = to_str(fresh.announced.costs_incl_vat) if fresh.announced else None
    was_announced = (None if announced is None or announced.costs is None or announced.vat is None
                     else to_str(announced.costs + announced.vat))
    # compared as the letter wrote the total: the same text, not merely the same amount
    asked = None if said is None else said.total
    if (None if asked is None else str(asked)) != to_str(fresh.total_due) or was_announced != now_announced:
        raise ClaimError(
            _("the letter {name} asks {asked}, but the ledger gives {total_due} for {numbers} on {day} "
               "(a payment recorded since it was made?): render it again").format(
               name=name, asked=format_eur(Decimal("0") if asked is None else asked), total_due=format_eur(fresh.total_due),
               numbers=', '.join(fresh.numbers), day=day.isoformat()))
    term = fresh.term
    if printed_last > term.last_day:
        term = replace(term, last_day=printed_last, costs_due_from=printed_owed)
    # The reference is the one the letter printed (none, for a letter made before letters had one).
    return replace(fresh, term=term, copy=(name, p.sha256 or ""), reference=p.reference)


def same_figures(a: Claim, b: Claim) -> bool:
    """Whether two claims about the same invoices say the same amounts (terms aside)."""
    return (a.lines == b.lines and a.requested == b.requested and a.announced == b.announced)


def describe(claim: Claim) -> str:
    """One line about what a letter claims, for the command that records it."""
    total = format_eur(claim.total_due)
    last_day = claim.term.last_day.isoformat()
    a = claim.announced
    if a is None:
        return _("{total} open; term ends {last_day}").format(total=total, last_day=last_day)
    said = (_("{total} open, announcing {costs} costs (incl. VAT) owed from {owed_from}; term ends {last_day}")
            if a.vat > 0 else
            _("{total} open, announcing {costs} costs (excl. VAT) owed from {owed_from}; term ends {last_day}"))
    return said.format(total=total, costs=format_eur(a.costs_incl_vat),
                       owed_from=claim.term.costs_due_from.isoformat(), last_day=last_day)



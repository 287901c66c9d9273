"""The hand-over dossier of one invoice: everything a collection agency or bailiff asks for.

Pure: the ledger, the config and a day in, a frozen ``Dossier`` out. The amounts come from
``standing.standing`` (the same figures as ``wik invoice show``), with the collection costs'
brackets and the interest's periods behind them; ``dossier_page.render`` lays it out and
``to_json`` is the machine-readable copy (money as strings with two decimals, ISO dates).

The agency is Dutch, so the dossier is written in the client's letter language, Dutch by
default: ``WORDS`` holds every label of both languages, and ``summary`` says each event in
the dossier's language and notation (``€ 1.234,56``, ``03-03-2026`` in Dutch).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wikcli.ledger import model, receipt
from wikcli.ledger import facts
from wikcli.ledger import steps
from wikcli.ledger import events
from wikcli.ledger.events import (
    LETTER_RENDERED, LETTER_SENT, ClosedData, HandedOverData, InvoiceAddedData, InvoiceAmendedData, InvoiceChangesData,
    LetterRenderedData, LetterSentData, NoteData, PausedData, PaymentData, PlanData, ResumedData, TermsAgreedData,
)
from wikcli.rules.agreed import AgreedCosts, AgreedInterest
from wikcli.ledger.rulebook import Rulebook
from wikcli.ledger.commands import LedgerError
from wikcli.rules.money import ZERO, to_str
from wikcli.i18n import _


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


@dataclass(frozen=True)
class Entry:
    """One event of the invoice's timeline, as the journal holds it."""

    seq: int
    at: str  # when it was recorded (UTC)
    day: date  # the day it happened
    type: str
    summary: str  # one line for people; ``data`` is the event itself
    data: dict

    def to_json(self) -> dict:
        return {"seq": self.seq, "at": self.at, "date": self.day.isoformat(), "type": self.type,
                "summary": self.summary, "data": self.data}


@dataclass(frozen=True)
class Letter:
    """A letter of the invoice: archived (file + SHA-256) and/or recorded as sent."""

    kind: str
    day: date
    file: str | None
    sha256: str | None
    sent: bool
    via: str | None  # post | email, when sent

    def to_json(self) -> dict:
        return {"kind": self.kind, "date": self.day.isoformat(), "file": self.file,
                "sha256": self.sha256, "sent": self.sent, "via": self.via}


@dataclass(frozen=True)
class DossierPayment:
    day: date
    amount: Decimal

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "amount": to_str(self.amount)}


@dataclass(frozen=True)
class DossierNote:
    day: date
    text: str
    promise: date | None

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "text": self.text, "promise": _iso(self.promise)}


@dataclass(frozen=True)
class Owed:
    """What the debtor owes on the dossier's day, and how each part is made up."""

    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    costs_owed: bool
    costs_due_from: date | None
    costs: Decimal  # excl. VAT: as owed, or (not owed yet) as a WIK-letter would announce
    costs_vat: Decimal
    costs_incl_vat: Decimal
    costs_paid: Decimal
    costs_open: Decimal
    costs_calc: Any  # costs.Costs (brackets) or None
    interest_kind: str  # consumer | commercial
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_open: Decimal
    interest_calc: Any  # interest.Interest (periods) or None
    total_due: Decimal
    credit: Decimal
    warnings: tuple[str, ...] = ()  # about the interest rates used (unconfirmed, unknown)
    # The invoices of the joint letter whose claim ``costs_calc`` is computed over (this one
    # included), or () when it is this invoice's own: its costs are then a share.
    claim_invoices: tuple[str, ...] = ()

    def to_json(self) -> dict:
        c, i = self.costs_calc, self.interest_calc
        return {
            "principal": to_str(self.principal),
            "paid": to_str(self.paid),
            "principal_open": to_str(self.principal_open),
            "costs": {
                "owed": self.costs_owed,
                "due_from": _iso(self.costs_due_from),
                "costs": to_str(self.costs),
                "vat": to_str(self.costs_vat),
                "costs_incl_vat": to_str(self.costs_incl_vat),
                "paid": to_str(self.costs_paid),
                "open": to_str(self.costs_open),
                "calculation": None if c is None else c.to_json(),
                "claim_invoices": list(self.claim_invoices),
            },
            "interest": {
                "kind": self.interest_kind,
                "accrued": to_str(self.interest_accrued),
                "paid": to_str(self.interest_paid),
                "open": to_str(self.interest_open),
                "calculation": None if i is None else i.to_json(),
                "warnings": list(self.warnings),
            },
            "total_due": to_str(self.total_due),
            "credit": to_str(self.credit),
        }


@dataclass(frozen=True)
class Dossier:
    today: date
    number: str
    creditor: model.Creditor
    debtor: model.Client
    invoice_date: date
    due: date
    amount: Decimal
    description: str
    step: int
    step_name: str
    paused: str | None
    timeline: tuple[Entry, ...]
    letters: tuple[Letter, ...]
    payments: tuple[DossierPayment, ...]
    notes: tuple[DossierNote, ...]
    owed: Owed
    terms: Any = None  # the agreed.Terms behind the interest and costs (with their clause), or None
    lang: str = "nl"  # nl | en: the language the PDF and the event summaries are written in
    # Per letter sent, the proof of its receipt (``receipt.letters``).
    receipt: tuple = ()

    @property
    def archived(self) -> tuple[Letter, ...]:
        """The letters with an archived copy, each file once."""
        seen: set[str] = set()
        out = []
        for x in self.letters:
            if x.file and x.file not in seen:
                seen.add(x.file)
                out.append(x)
        return tuple(out)

    def to_json(self) -> dict:
        cr = asdict(self.creditor)
        return {
            "date": self.today.isoformat(),
            "lang": self.lang,
            "invoice": {"number": self.number, "date": self.invoice_date.isoformat(),
                        "due": self.due.isoformat(), "amount": to_str(self.amount),
                        "description": self.description},
            "creditor": cr,
            "debtor": asdict(self.debtor),
            "state": {"step": self.step, "step_name": self.step_name, "paused": self.paused},
            "timeline": [e.to_json() for e in self.timeline],
            "letters": [x.to_json() for x in self.letters],
            "receipt": list(self.receipt),
            "payments": [p.to_json() for p in self.payments],
            "notes": [n.to_json() for n in self.notes],
            "owed": self.owed.to_json(),
            "terms": None if self.terms is None else self.terms.to_json(),
        }


def summary(ev, lang: str = "en") -> str:
    """One line about an event, in the dossier's language and notation."""
    w = WORDS[lang]
    t = ev.type
    p = events.load(ev)

    def eur(amount: Decimal | None) -> str:
        if amount is None:
            return ""
        if lang == "en":
            return str(amount)  # as the journal writes it
        from wikcli.rules.money import format_eur

        return format_eur(amount, lang)

    def day(d: date | None) -> str:
        return "" if d is None else show_date(d, lang)

    def kind(k) -> str:
        return w["kinds"].get(k, k)

    if isinstance(p, InvoiceAddedData):
        return w["ev_invoice"].format(amount=eur(p.amount), date=day(p.day), due=day(p.due))
    if isinstance(p, PaymentData):
        return w["ev_payment"].format(amount=eur(p.amount))
    if isinstance(p, InvoiceAmendedData):
        return w["ev_amended"].format(parts="; ".join(_changes(p.changes, w, eur, day)))
    if isinstance(p, NoteData):
        return p.text + (w["ev_promise"].format(date=day(p.promise)) if p.promise else "")
    if isinstance(p, LetterRenderedData):  # before LetterSentData: a kind of it
        return w["ev_rendered"].format(kind=kind(p.kind), file=p.file)
    if isinstance(p, LetterSentData):
        via = w["via"].get(p.via, p.via)
        return w["ev_sent"].format(kind=kind(p.kind), via=via) + (f": {p.file}" if p.file else "")
    if isinstance(p, PlanData):
        return w["ev_plan"].format(total=eur(p.total), n=len(p.installments), first=day(p.installments[0].due))
    if isinstance(p, ClosedData):
        reason = p.reason or ""
        return w["ev_closed"].format(reason=w["reasons"].get(reason, reason))
    if isinstance(p, PausedData):
        return w["ev_paused"].format(reason=p.reason or "")
    if isinstance(p, ResumedData):
        return w["ev_resumed"]
    if isinstance(p, HandedOverData):
        return w["ev_handed_over"] + (f": {p.dossier}" if p.dossier else "")
    if isinstance(p, TermsAgreedData):
        interest = None if not p.interest else AgreedInterest.from_json(p.interest)
        costs = None if not p.costs else AgreedCosts.from_json(p.costs)
        parts = [x for x in ((w["ev_terms_interest"].format(text=interest.text) if interest else ""),
                             (w["ev_terms_costs"].format(text=costs.text) if costs else "")) if x]
        return w["ev_terms"].format(parts=", ".join(parts) or w["ev_terms_none"]) + (
            f" ({p.clause})" if p.clause else "")
    return t


def _changes(c: InvoiceChangesData, w: dict, eur, day) -> list[str]:
    """Each change of an amendment, as ``field old -> new`` in the dossier's language."""
    from wikcli.ledger import amend

    return amend.changes(c, lambda key: w["fields"].get(key, key), eur, day)


def show_date(d: date, lang: str) -> str:
    """A date as the dossier prints it: 03-03-2026 in Dutch, ISO in English."""
    return d.strftime("%d-%m-%Y") if lang == "nl" else d.isoformat()


def build(ledger: facts.Ledger, config: model.Config, rulebook: Rulebook, number: str, today: date,
          lang: str | None = None) -> Dossier:
    """The dossier of invoice ``number`` as it stands on ``today`` (later facts left out), in
    ``lang`` (nl or en; default: the client's letter language)."""
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(_("invoice {number!r} is not in the ledger: see `wik invoice list`").format(
                             number=number[:80]))
    client = ledger.clients[inv.client]
    lang = lang or (client.lang if client.lang in WORDS else "nl")
    day = max(today, inv.date)
    a = steps.assess(inv, client, rulebook, day, breakdown=True)
    s = a.standing

    dated = [(e, events.day_of(e)) for e in inv.events]
    timeline = tuple(Entry(e.seq, e.at, d, e.type, summary(e, lang), e.data) for e, d in dated if d <= day)

    told = [(e.type, LetterSentData.load(e.data)) for e, d in dated
            if d <= day and e.type in (LETTER_SENT, LETTER_RENDERED)]
    sent_files = {p.file: p for t, p in told if t == LETTER_SENT and p.file}
    letters: list[Letter] = []
    for t, p in told:
        if t == LETTER_RENDERED:
            sent = sent_files.get(p.file) if p.file else None
            letters.append(Letter(p.kind, p.day, p.file, p.sha256, sent is not None,
                                  sent.via if sent else None))
        elif not p.file:
            # Recorded with `wik sent`: the letter went out, but no copy is archived.
            letters.append(Letter(p.kind, p.day, None, None, True, p.via))

    payments = tuple(DossierPayment(p.day, p.amount) for p in sorted(inv.payments, key=lambda p: (p.day, p.seq))
                     if p.day <= day)
    notes = tuple(DossierNote(n.day, n.text, n.promise) for n in sorted(inv.notes, key=lambda n: (n.day, n.seq))
                  if n.day <= day)

    calc = s.costs_calc
    # This invoice's costs: owed (its share of what a letter announced, lowered by payments
    # inside the term), else what is announced or a WIK-letter would announce now.
    incl = s.costs_charged if s.costs_owed else s.costs
    vat = s.costs_vat
    costs = incl - vat
    costs_paid = s.costs_paid
    accrued = ZERO if s.interest_calc is None else s.interest_calc.interest
    owed = Owed(
        principal=s.principal, paid=s.paid, principal_open=s.principal_open, costs_owed=s.costs_owed,
        costs_due_from=s.costs_due_from, costs=costs, costs_vat=vat, costs_incl_vat=incl,
        costs_paid=costs_paid, costs_open=s.costs_open, costs_calc=calc, interest_kind=s.interest_kind,
        interest_accrued=accrued, interest_paid=s.interest_paid, interest_open=s.interest,
        interest_calc=s.interest_calc, total_due=s.total_due, credit=s.credit, warnings=tuple(s.warnings),
        claim_invoices=tuple(i.number for i, _ in s.announced_by.group)
        if s.announced_by is not None and len(s.announced_by.group) > 1 and calc is not None else ())
    return Dossier(
        today=day, number=number, creditor=config.creditor, debtor=client, invoice_date=inv.date,
        due=inv.due, amount=inv.amount, description=inv.description, step=a.step,
        step_name=a.step_name, paused=a.paused, timeline=timeline, letters=tuple(letters),
        payments=payments, notes=notes, owed=owed, terms=s.terms, lang=lang,
        receipt=tuple(x for x in receipt.letters(inv) if x["date"] <= day.isoformat()))


# -- the dossier's words ---------------------------------------------------------------------

WORDS: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Overdrachtsdossier: factuur {number}",
        "sub": "Opgesteld op {date} door {creditor} voor een incassobureau of gerechtsdeurwaarder. "
               "Alle bedragen in euro.",
        "header": "{creditor} · dossier factuur {number}",
        "doc_title": "Overdrachtsdossier factuur {number}",
        "creditor": "Schuldeiser", "debtor": "Schuldenaar",
        "kvk": "KvK", "vat_id": "Btw-id", "iban": "IBAN", "bic": "BIC",
        "debtor_kind": {"consumer": "particulier", "business": "zakelijk"},
        "client_id": "{kind} (klantnummer {id})",
        "invoice": "Factuur", "number": "Factuurnummer", "inv_date": "Factuurdatum", "due": "Vervaldatum",
        "amount_vat": "Bedrag (incl. btw)", "description": "Omschrijving", "state": "Stand vóór overdracht",
        "step": "stap {n} ({name})", "paused": ", gepauzeerd: {reason}",
        "steps": {"invoice": "factuur", "reminder": "herinnering", "call": "telefoongesprek",
                  "wik-letter": "WIK-brief", "notice-of-default": "ingebrekestelling", "handover": "overdracht"},
        "owed_on": "Verschuldigd op {date}",
        "owed_from": "verschuldigd vanaf {date}", "not_owed": "niet verschuldigd: geen brief heeft ze aangekondigd",
        "item": "Post", "amount": "Bedrag",
        "principal": "Hoofdsom (factuurbedrag)", "paid": "Totaal betaald", "principal_open": "Openstaande hoofdsom",
        "costs": "Incassokosten excl. btw ({state})", "costs_vat": "Btw over de incassokosten",
        "costs_paid": "Betaalde incassokosten", "costs_open": "Openstaande incassokosten",
        "interest": "Wettelijke rente", "interest_b2b": "Wettelijke handelsrente",
        "accrued": "{label}: opgebouwd", "interest_paid": "{label}: betaald", "interest_open": "{label}: openstaand",
        "credit": "Tegoed (te veel betaald)", "total_due": "Totaal verschuldigd",
        "allocation": "Zodra de incassokosten verschuldigd zijn, worden betalingen toegerekend zoals art. 6:44 BW "
                      "voorschrijft: eerst aan de kosten, dan aan de rente, dan aan de hoofdsom; daarvóór "
                      "verlagen zij de hoofdsom.",
        "costs_calc": "Berekening incassokosten (Besluit vergoeding voor buitengerechtelijke incassokosten)",
        "part": "Deel van de hoofdsom", "rate": "Percentage", "base": "Grondslag",
        "bracket": "van {lower} tot {upper}", "bracket_top": "van {lower} en hoger",
        "minimum": " (minimum van {amount} toegepast)", "maximum": " (maximum van {amount} toegepast)",
        "costs_over": "Kosten over {principal}{note}",
        "share": "Aandeel van factuur {number} in deze kosten (één vordering met factuur {others})",
        "vat_row": "Btw {rate}% (de schuldeiser kan geen btw aftrekken)",
        "interest_calc": "Berekening {label} (art. 6:119{a} BW, jaarlijks samengesteld)",
        "from": "Van", "to": "Tot en met", "days": "Dagen", "interest_col": "Rente", "accrued_total": "Opgebouwd",
        "note": "Let op: {text}",
        "timeline": "Verloop", "date": "Datum", "event": "Gebeurtenis", "details": "Toelichting",
        "types": {"invoice-added": "factuur", "payment": "betaling", "note": "notitie",
                  "letter-sent": "brief verzonden", "letter-rendered": "brief gemaakt", "plan": "regeling",
                  "paused": "gepauzeerd", "resumed": "hervat", "closed": "gesloten",
                  "handed-over": "overgedragen", "terms-agreed": "voorwaarden", "voided": "vervallen"},
        "letters": "Brieven", "letter": "Brief", "sent": "Verzonden", "file": "Bestand en SHA-256",
        "sent_yes": "ja, {by}", "sent_no": "nee (alleen gearchiveerd)", "no_copy": "(geen gearchiveerde kopie)",
        "enclosed": "Elke gearchiveerde brief is bijgevoegd; de SHA-256 is die welke het grootboek vastlegde "
                    "toen de brief werd gemaakt.",
        "no_letters": "Geen brieven vastgelegd.",
        "payments": "Betalingen", "no_payments": "Geen betalingen ontvangen.",
        "notes": "Notities", "note_col": "Notitie", "promise": "Betaalbelofte uiterlijk", "no_notes": "Geen notities.",
        "kinds": {"reminder": "herinnering", "wik": "WIK-brief (14-dagenbrief)", "default": "ingebrekestelling"},
        "via": {"post": "per post", "email": "per e-mail"},
        "by": {"post": "per post", "email": "per e-mail"},
        "reasons": {"paid": "betaald", "credit-note": "creditnota", "written-off": "afgeschreven",
                    "handed-over": "overgedragen", "bankrupt": "faillissement"},
        "ev_invoice": "factuur van {amount} gedateerd {date}, vervaldatum {due}",
        "ev_amended": "factuur gecorrigeerd: {parts}",
        "fields": {"amount": "bedrag", "date": "datum", "due": "vervaldatum", "client": "klant"},
        "ev_payment": "betaling van {amount}",
        "ev_promise": " (belooft te betalen uiterlijk {date})",
        "ev_sent": "{kind} verzonden {via}",
        "ev_rendered": "{kind} gearchiveerd: {file}",
        "ev_plan": "betalingsregeling van {total} in {n} termijnen vanaf {first}",
        "ev_closed": "gesloten: {reason}", "ev_paused": "gepauzeerd: {reason}", "ev_resumed": "hervat",
        "ev_handed_over": "overgedragen",
        "ev_terms": "overeengekomen voorwaarden: {parts}", "ev_terms_none": "weer de wettelijke",
        "ev_terms_interest": "rente {text}", "ev_terms_costs": "incassokosten {text}",
        "agreed_note": "Tussen partijen overeengekomen (zakelijke schuldenaar{where}): {parts}; deze "
                       "gelden in plaats van de wettelijke bedragen.",
        "agreed_costs": "Incassokosten zoals overeengekomen{clause}", "agreed": "Overeengekomen",
        "agreed_row": "{terms} over {principal} (ten minste 40,00)", "fixed": "een vast bedrag",
    },
    "en": {
        "title": "Hand-over dossier: invoice {number}",
        "sub": "Prepared on {date} by {creditor} for a collection agency or bailiff. "
               "All amounts in euro; dates as YYYY-MM-DD.",
        "header": "{creditor} · dossier invoice {number}",
        "doc_title": "Hand-over dossier invoice {number}",
        "creditor": "Creditor", "debtor": "Debtor",
        "kvk": "KvK", "vat_id": "VAT id", "iban": "IBAN", "bic": "BIC",
        "debtor_kind": {"consumer": "consumer", "business": "business"},
        "client_id": "{kind} (client id {id})",
        "invoice": "Invoice", "number": "Invoice number", "inv_date": "Invoice date", "due": "Due date",
        "amount_vat": "Amount (incl. VAT)", "description": "Description", "state": "State before hand-over",
        "step": "step {n} ({name})", "paused": ", paused: {reason}",
        "steps": {},
        "owed_on": "Amounts owed on {date}",
        "owed_from": "owed from {date}", "not_owed": "not owed: no letter announced them",
        "item": "Item", "amount": "Amount",
        "principal": "Principal (invoice amount)", "paid": "Paid in total", "principal_open": "Principal open",
        "costs": "Collection costs excl. VAT ({state})", "costs_vat": "VAT on the collection costs",
        "costs_paid": "Collection costs paid", "costs_open": "Collection costs open",
        "interest": "Statutory interest", "interest_b2b": "Statutory commercial interest",
        "accrued": "{label} accrued", "interest_paid": "{label} paid", "interest_open": "{label} open",
        "credit": "Credit (paid too much)", "total_due": "Total due",
        "allocation": "Payments are allocated as art. 6:44 BW prescribes once the costs are owed: costs first, "
                      "then interest, then the principal; before that they lower the principal.",
        "costs_calc": "Collection costs calculation (Besluit vergoeding voor buitengerechtelijke incassokosten)",
        "part": "Part of the principal", "rate": "Rate", "base": "Base",
        "bracket": "from {lower} to {upper}", "bracket_top": "from {lower} and above",
        "minimum": " (minimum {amount} applied)", "maximum": " (maximum {amount} applied)",
        "costs_over": "Costs over {principal}{note}",
        "share": "Share of invoice {number} in these costs (one claim with invoice {others})",
        "vat_row": "VAT {rate}% (the creditor cannot deduct VAT)",
        "interest_calc": "{label} calculation (art. 6:119{a} BW, compounded yearly)",
        "from": "From", "to": "To", "days": "Days", "interest_col": "Interest", "accrued_total": "Accrued",
        "note": "Note: {text}",
        "timeline": "Timeline", "date": "Date", "event": "Event", "details": "Details",
        "types": {},
        "letters": "Letters", "letter": "Letter", "sent": "Sent", "file": "File and SHA-256",
        "sent_yes": "yes, {by}", "sent_no": "no (archived only)", "no_copy": "(no archived copy)",
        "enclosed": "Each archived letter is enclosed; its SHA-256 is the one the ledger recorded when it was made.",
        "no_letters": "No letters recorded.",
        "payments": "Payments", "no_payments": "No payments received.",
        "notes": "Notes", "note_col": "Note", "promise": "Promised to pay by", "no_notes": "No notes.",
        "kinds": dict(facts.KIND_NAMES),
        "via": {"post": "via post", "email": "via email"},
        "by": {"post": "by post", "email": "by email"},
        "reasons": {},
        "ev_invoice": "invoice of {amount} dated {date}, due {due}",
        "ev_amended": "invoice corrected: {parts}",
        "fields": {"amount": "amount", "date": "date", "due": "due date", "client": "client"},
        "ev_payment": "payment of {amount}",
        "ev_promise": " (promise to pay by {date})",
        "ev_sent": "{kind} sent {via}",
        "ev_rendered": "{kind} archived: {file}",
        "ev_plan": "payment plan of {total} in {n} installments from {first}",
        "ev_closed": "closed: {reason}", "ev_paused": "paused: {reason}", "ev_resumed": "resumed",
        "ev_handed_over": "handed over",
        "ev_terms": "agreed terms: {parts}", "ev_terms_none": "statutory again",
        "ev_terms_interest": "interest {text}", "ev_terms_costs": "collection costs {text}",
        "agreed_note": "Agreed between the parties (business debtor{where}): {parts}; these replace the "
                       "statutory figures.",
        "agreed_costs": "Collection costs as agreed{clause}", "agreed": "Agreed",
        "agreed_row": "{terms} over {principal} (at least 40.00)", "fixed": "a fixed amount",
    },
}

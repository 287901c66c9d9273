"""The statement of account (rekeningoverzicht): every open invoice of one client on one day,
the payments received on them, what is due now and what is not yet due, with a payment QR
code for the amount due.

``build`` is pure: the ledger, the config and a day in, a frozen ``AccountStatement`` out, every
amount one that ``process`` derived (the same figures as `wik status` and `wik invoice show`).
``render`` lays it out as an A4 PDF with the letters' page (letterhead, address window, QR
code, page numbers from ``pdf``); ReportLab is imported there only.

What is due now: the total due of each invoice past its due date; of an invoice under a
payment plan that is being kept, only the installments due and unpaid (as a reminder about
the plan asks). The rest, invoices not yet due and later installments, is "not yet due".
A statement sets no term and announces no costs: it is an overview, not a letter of the
six steps, so it changes nothing in the process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wikcli.ledger import model
from wikcli.ledger import facts
from wikcli.ledger import steps
from wikcli.ledger.rulebook import Rulebook
from wikcli.errors import WikError
from wikcli.ledger.events import StatementRenderedData
from wikcli.rules.money import ZERO, cents, format_eur, to_str
from wikcli.rules.dates import Day
from wikcli.i18n import _



class AccountStatementError(WikError):
    """A statement that cannot be made: an unknown client, or nothing open."""


@dataclass(frozen=True)
class AccountLine:
    """One open invoice on the statement's day."""

    number: str
    date: Day
    due: Day
    amount: Decimal
    principal_paid: Decimal
    principal_open: Decimal
    costs_charged: Decimal  # owed costs incl. VAT (0 while none are owed)
    costs_vat: Decimal
    costs_paid: Decimal
    costs_open: Decimal
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_open: Decimal
    total_due: Decimal
    due_now: Decimal  # of ``total_due``, what is due on the statement's day
    days_past_due: int
    plan: bool  # a payment plan is in force

    @property
    def overdue(self) -> bool:
        return self.days_past_due > 0

    def to_json(self) -> dict:
        return {"invoice": self.number, "date": self.date.isoformat(), "due": self.due.isoformat(),
                "amount": to_str(self.amount), "paid": to_str(self.principal_paid),
                "principal_open": to_str(self.principal_open), "costs": to_str(self.costs_open),
                "interest": to_str(self.interest_open), "total_due": to_str(self.total_due),
                "due_now": to_str(self.due_now), "not_due": to_str(self.total_due - self.due_now),
                "days_past_due": self.days_past_due, "plan": self.plan}


@dataclass(frozen=True)
class AccountPayment:
    day: date
    invoice: str
    amount: Decimal
    set_off: str = ""  # paid by the credit held on this invoice, not by money received

    def to_json(self) -> dict:
        out = {"date": self.day.isoformat(), "invoice": self.invoice, "amount": to_str(self.amount)}
        if self.set_off:
            out["set_off_from"] = self.set_off
        return out


@dataclass(frozen=True)
class AccountStatement:
    creditor: model.Creditor
    client: model.Client
    day: date
    lang: str
    lines: tuple[AccountLine, ...]  # past due first (oldest due date first), then not yet due
    payments: tuple[AccountPayment, ...]  # received on these invoices, by date
    place: str
    signature: str
    qr: bool
    registered_hint: bool = False  # a statement goes by ordinary post or e-mail
    # about the interest rates behind the interest (unconfirmed, unknown): for stderr, not print
    warnings: tuple[str, ...] = ()
    window: model.Window = model.Window()  # where the window envelope shows the address
    # The client's credit (paid too much, not yet set off: ``account``), subtracted from what
    # is due now so that the statement never asks for money the client has already paid.
    credit: Decimal = ZERO

    @property
    def reference(self) -> str:
        """What later pages print beside the client's name."""
        return f"{LABELS[self.lang]['title']} {self.day.isoformat()}"

    def _sum(self, attr: str) -> Decimal:
        return sum((getattr(x, attr) for x in self.lines), ZERO)

    @property
    def total_open(self) -> Decimal:
        return self._sum("total_due")

    @property
    def due_now(self) -> Decimal:
        return max(self._sum("due_now") - self.credit, ZERO)

    @property
    def not_due(self) -> Decimal:
        return self.total_open - self._sum("due_now")

    @property
    def remittance(self) -> str:
        """The invoice numbers the amount due pays, whole, within the 140 characters of the
        EPC remittance field."""
        out = ""
        for line in self.lines:
            if line.due_now > 0 and len(out) + 1 + len(line.number) <= 140:
                out = f"{out} {line.number}".strip()
        return out

    @property
    def show_qr(self) -> bool:
        from wikcli.documents.letter import EPC_MAX, EPC_MIN

        return self.qr and bool(self.creditor.iban) and EPC_MIN <= self.due_now <= EPC_MAX

    def qr_payload(self) -> str:
        from wikcli.documents.letter import epc_payload

        return epc_payload(name=self.creditor.name, iban=self.creditor.iban, bic=self.creditor.bic or None,
                           amount=self.due_now, reference=self.remittance)

    def to_json(self) -> dict:
        return {"client": self.client.id, "date": self.day.isoformat(), "lang": self.lang,
                "invoices": [x.to_json() for x in self.lines],
                "payments": [p.to_json() for p in self.payments],
                "total_open": to_str(self.total_open), "credit": to_str(self.credit),
                "due_now": to_str(self.due_now), "not_due": to_str(self.not_due), "qr": self.show_qr}


def build(ledger: facts.Ledger, config: model.Config, rulebook: Rulebook, client_id: str, day: date,
          lang: str | None = None) -> AccountStatement:
    from wikcli.ledger import client_account
    from wikcli.ledger.commands import find_client

    if lang is not None and lang not in model.LANGS:
        raise AccountStatementError(_("--lang {lang!r} is unknown: expected nl or en").format(lang=lang))
    found = find_client(ledger, client_id)
    if found is None:
        raise AccountStatementError(_("client {client!r} is not in the ledger: see `wik client list`").format(
                                       client=client_id[:80]))
    cid = found.id
    client = ledger.clients[cid]
    lines, payments, warnings = [], [], []
    for inv in ledger.invoices.values():
        if inv.client != cid or inv.date > day:
            continue
        a = steps.assess(inv, client, rulebook, day)
        if not a.is_open:
            continue
        s = a.standing
        days = (day - inv.due).days
        if a.plan is not None:
            # Under a plan only what the installments are behind is due (a reminder asks the same).
            now = min(a.installments_open, s.total_due)
        else:
            now = s.total_due if days > 0 else ZERO
        lines.append(AccountLine(
            number=inv.number, date=inv.date, due=inv.due, amount=inv.amount,
            principal_paid=sum((x.principal for x in s.allocations), ZERO), principal_open=s.principal_open,
            **s.columns(), total_due=s.total_due, due_now=now, days_past_due=days, plan=a.plan is not None))
        payments += [AccountPayment(x.day, inv.number, x.amount, x.set_off) for x in s.allocations]
        warnings += [w for w in s.warnings if w not in warnings]
    if not lines:
        raise AccountStatementError(_("client {client!r} has no open invoices on {day}: there is nothing to put in a statement").format(
                                       client=cid, day=day.isoformat()))
    lines.sort(key=lambda x: (not x.overdue, x.due, x.number))
    payments.sort(key=lambda p: (p.day, p.invoice))
    return AccountStatement(
        creditor=config.creditor, client=client, day=day, lang=lang or client.lang or config.letters.lang,
        lines=tuple(lines), payments=tuple(payments),
        place=config.letters.place or config.creditor.city,
        signature=config.letters.signature or config.creditor.name, qr=config.letters.qr,
        warnings=tuple(warnings), window=config.letters.window,
        credit=client_account.credit_of(ledger, cid, rulebook, day))


def file_name(client_id: str, day: date) -> str:
    from wikcli.documents.letter import file_stem

    return f"{file_stem(client_id)}-statement-{day.isoformat()}.pdf"


def file_pattern(client_id: str) -> re.Pattern:
    """The names of a client's archived statements and their e-mails."""
    from wikcli.documents.letter import file_stem

    return re.compile(rf"{re.escape(file_stem(client_id))}-statement-\d{{4}}-\d{{2}}-\d{{2}}(?:-\d+)?\.(?:pdf|eml)")


def rendered_event(st: AccountStatement, file: str, sha256: str, via: str | None) -> tuple[str, str | None, dict]:
    """The journal event of an archived statement: which invoices it showed, its totals, the
    archived file and its SHA-256, and ``via`` ("email") when wik sent it."""
    return StatementRenderedData(
        client=st.client.id, day=st.day, lang=st.lang, invoices=tuple(x.number for x in st.lines),
        total_open=cents(st.total_open), due_now=cents(st.due_now), not_due=cents(st.not_due), file=file,
        sha256=sha256, via=via).event()


# -- words ----------------------------------------------------------------------------------

LABELS = {
    "nl": {
        "title": "Rekeningoverzicht",
        "subject": "Rekeningoverzicht per {date}",
        "client": "Klant",
        "overdue": "Vervallen",
        "not_due": "Nog niet vervallen",
        "total_open": "Totaal openstaand",
        "due_now": "Nu te betalen",
        "not_due_total": "Nog niet vervallen",
        "payments": "Ontvangen betalingen",
        "no_payments": "Op deze facturen hebben wij nog geen betalingen ontvangen.",
        "pay_date": "Datum",
        "pay_invoice": "Factuur",
        "pay_amount": "Bedrag",
        "credit": "Tegoed (te veel betaald)",
        "credit_text": "U heeft eerder {amount} te veel betaald. Dat tegoed is verrekend met wat nu te "
                       "betalen is.",
        "set_off": "{invoice} (verrekend met tegoed van {source})",
        "greeting": "Geachte heer, mevrouw,",
        "intro": "Hieronder vindt u een overzicht van de facturen die volgens onze administratie op "
                 "{date} nog (gedeeltelijk) openstaan, met de betalingen die wij daarop hebben ontvangen.",
        "pay": "Nu te betalen is <b>{amount}</b>. U kunt dit bedrag overmaken naar rekening <b>{iban}</b> "
               "ten name van {name}, onder vermelding van <b>{reference}</b>.",
        "pay_qr": "Met de QR-code onderaan dit overzicht betaalt u het direct vanuit uw bankapp.",
        "nothing_due": "Op dit moment is er niets vervallen.",
        "later": "{amount} is nog niet vervallen: dat betaalt u uiterlijk op de vervaldatum van de factuur.",
        "plan": "Voor factuur {numbers} loopt een betalingsregeling: nu te betalen zijn de vervallen "
                "termijnen, de overige {amount} betaalt u volgens de regeling.",
        "questions": "Betalingen die wij na {date} ontvangen, staan nog niet in dit overzicht. Klopt het "
                     "overzicht volgens u niet, of heeft u vragen, neem dan gerust contact met ons op{contact}.",
        "via": " via {what}",
        "or": " of ",
        "closing": "Met vriendelijke groet,",
        "email_subject": "Rekeningoverzicht per {date}",
        "email_body": "Geachte heer, mevrouw,\n\nIn de bijlage ({attachment}) vindt u een overzicht van "
                      "de facturen die volgens onze administratie op {date} nog openstaan.\n\n{due}"
                      "Heeft u vragen over dit overzicht, neem dan gerust contact met ons op.\n\n"
                      "Met vriendelijke groet,\n\n{signature}\n",
        "email_due": "Nu te betalen is {amount}; het overzicht vermeldt hoe u kunt betalen.\n\n",
    },
    "en": {
        "title": "Statement of account",
        "subject": "Statement of account as at {date}",
        "client": "Client",
        "overdue": "Past due",
        "not_due": "Not yet due",
        "total_open": "Total open",
        "due_now": "Due now",
        "not_due_total": "Not yet due",
        "payments": "Payments received",
        "no_payments": "We have not received any payments on these invoices yet.",
        "pay_date": "Date",
        "pay_invoice": "Invoice",
        "pay_amount": "Amount",
        "credit": "Credit (paid too much)",
        "credit_text": "You earlier paid {amount} too much. That credit has been set off against what is "
                       "due now.",
        "set_off": "{invoice} (set off with the credit on {source})",
        "greeting": "Dear Sir or Madam,",
        "intro": "Below is an overview of the invoices that according to our records are (partly) open "
                 "on {date}, with the payments we have received on them.",
        "pay": "Due now is <b>{amount}</b>. You can transfer it to account <b>{iban}</b> in the name of "
               "{name}, quoting <b>{reference}</b>.",
        "pay_qr": "You can also pay it directly from your banking app with the QR code at the bottom of "
                  "this statement.",
        "nothing_due": "Nothing is due at the moment.",
        "later": "{amount} is not yet due: please pay it by the due date of the invoice.",
        "plan": "A payment plan applies to invoice {numbers}: the installments that are due are to be "
                "paid now, the other {amount} as the plan sets out.",
        "questions": "Payments we receive after {date} are not yet in this statement. If you think it is "
                     "not correct, or have any questions, please contact us{contact}.",
        "via": " at {what}",
        "or": " or ",
        "closing": "Kind regards,",
        "email_subject": "Statement of account as at {date}",
        "email_body": "Dear Sir or Madam,\n\nAttached ({attachment}) is an overview of the invoices that "
                      "according to our records are open on {date}.\n\n{due}"
                      "If you have any questions about it, please contact us.\n\nKind regards,\n\n{signature}\n",
        "email_due": "Due now is {amount}; the statement says how to pay.\n\n",
    },
}


def _longdate(d: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(d, "d MMMM y", locale="nl_NL" if lang == "nl" else "en_GB")


def subject(st: AccountStatement) -> str:
    return LABELS[st.lang]["subject"].format(date=_longdate(st.day, st.lang))


def email(st: AccountStatement, attachment: str) -> tuple[str, str]:
    """(subject, plain-text body) of the e-mail that carries the statement."""
    lab = LABELS[st.lang]
    due = lab["email_due"].format(amount=format_eur(st.due_now, st.lang)) if st.due_now > 0 else ""
    body = lab["email_body"].format(attachment=attachment, date=_longdate(st.day, st.lang), due=due,
                                    signature=st.signature)
    if st.signature != st.creditor.name:
        body += st.creditor.name + "\n"
    return subject(st), body


def paragraphs(st: AccountStatement) -> tuple[list[str], list[str]]:
    """(the paragraphs above the tables, those below), as ReportLab markup: values escaped."""
    from html import escape

    lab = LABELS[st.lang]
    lang = st.lang
    when = _longdate(st.day, lang)
    above = [lab["greeting"], lab["intro"].format(date=when)]
    below = []
    if st.credit > 0:
        below.append(lab["credit_text"].format(amount=escape(format_eur(st.credit, lang))))
    if st.due_now > 0:
        text = lab["pay"].format(amount=escape(format_eur(st.due_now, lang)), iban=escape(st.creditor.iban),
                                 name=escape(st.creditor.name), reference=escape(st.remittance))
        below.append(text + (" " + lab["pay_qr"] if st.show_qr else ""))
    else:
        below.append(lab["nothing_due"])
    # What is not yet due: invoices before their due date, and the later installments of a plan.
    later = sum((x.total_due - x.due_now for x in st.lines if not x.plan), ZERO)
    if later > 0:
        below.append(lab["later"].format(amount=escape(format_eur(later, lang))))
    plans = [x for x in st.lines if x.plan]
    if plans:
        rest = sum((x.total_due - x.due_now for x in plans), ZERO)
        below.append(lab["plan"].format(numbers=escape(", ".join(x.number for x in plans)),
                                        amount=escape(format_eur(rest, lang))))
    contact = [escape(x) for x in (st.creditor.phone, st.creditor.email) if x]
    below.append(lab["questions"].format(
        date=when, contact=lab["via"].format(what=lab["or"].join(contact)) if contact else ""))
    return above, below


# -- layout ---------------------------------------------------------------------------------


def _cell(text: str, style: str = "cell"):
    from html import escape

    from reportlab.platypus import Paragraph

    from wikcli.documents import page

    return Paragraph(escape(text), page.STYLES[style])


def _bold(text: str, style: str = "cell"):
    from html import escape

    from reportlab.platypus import Paragraph

    from wikcli.documents import page

    return Paragraph(f"<b>{escape(text)}</b>", page.STYLES[style])


def _heading(st: AccountStatement, title: str) -> list:
    """The date and client id beside their labels, then the subject."""
    from html import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from wikcli.documents import page

    lang = st.lang
    lab, plab = LABELS[lang], page.LABELS[lang]
    place = f"{st.place}, " if st.place else ""
    meta = Table([[_cell(plab["date"], "meta_label"), _cell(place + page.longdate(st.day, lang), "meta")],
                  [_cell(lab["client"], "meta_label"), _cell(st.client.id, "meta")]],
                 colWidths=[25 * mm, page.WIDTH - 25 * mm], hAlign="LEFT")
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [meta, Spacer(1, 5 * mm), Paragraph(escape(title), page.STYLES["subject"])]


def _amounts(st: AccountStatement) -> list:
    """The invoices (amount, paid, open), the costs owed and the interest (charged, paid,
    open), then the total open and its split into due now and not yet due."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    from wikcli.documents import page

    lang = st.lang
    lab, plab = LABELS[lang], page.LABELS[lang]
    money = page.money_cell
    head = [plab["invoice"], plab["inv_date"], plab["due"], plab["amount"], plab["paid"], plab["open"]]
    rows = [[_bold(h, "cell_r" if i >= 3 else "cell") for i, h in enumerate(head)]]
    sections, spans = [], []
    for overdue, label in ((True, lab["overdue"]), (False, lab["not_due"])):
        group = [x for x in st.lines if x.overdue == overdue]
        if not group:
            continue
        sections.append(len(rows))
        rows.append([_bold(label), "", "", "", "", ""])
        for x in group:
            rows.append([_cell(x.number), _cell(page.shortdate(x.date, lang)), _cell(page.shortdate(x.due, lang)),
                         money(x.amount, lang), money(x.principal_paid, lang), money(x.principal_open, lang)])
    charged = sum((x.costs_charged for x in st.lines), ZERO)
    if charged > 0:
        vat = sum((x.costs_vat for x in st.lines), ZERO)
        label = plab["costs"] + (" " + plab["costs_incl_vat"].format(vat=format_eur(vat, lang)) if vat else "")
        spans.append(len(rows))
        rows.append([_cell(label), "", "", money(charged, lang),
                     money(sum((x.costs_paid for x in st.lines), ZERO), lang),
                     money(sum((x.costs_open for x in st.lines), ZERO), lang)])
    accrued = sum((x.interest_accrued for x in st.lines), ZERO)
    if accrued > 0:
        name = plab["interest"] if st.client.type == model.CONSUMER else plab["interest_b2b"]
        spans.append(len(rows))
        rows.append([_cell(plab["interest_through"].format(label=name, date=page.longdate(st.day, lang))), "", "",
                     money(accrued, lang), money(sum((x.interest_paid for x in st.lines), ZERO), lang),
                     money(sum((x.interest_open for x in st.lines), ZERO), lang)])
    total_row = len(rows)
    rows.append([_bold(lab["total_open"]), "", "", "", "", money(st.total_open, lang, bold=True)])
    if st.credit > 0:
        rows.append([_cell(lab["credit"]), "", "", "", "", money(-st.credit, lang)])
    rows.append([_bold(lab["due_now"]), "", "", "", "", money(st.due_now, lang, bold=True)])
    if st.not_due > 0:
        rows.append([_cell(lab["not_due_total"]), "", "", "", "", money(st.not_due, lang)])
    amount_w = page.AMOUNT_W
    first = page.WIDTH - 5 * amount_w + 2 * (amount_w - 24 * mm)
    table = Table(rows, colWidths=[first, 24 * mm, 24 * mm, amount_w, amount_w, amount_w], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), page.SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, page.RULE),
        ("LINEBELOW", (0, 1), (-1, total_row - 1), 0.3, page.RULE),
        ("LINEABOVE", (0, total_row), (-1, total_row), 0.8, page.INK),
        *[("SPAN", (0, r), (-1, r)) for r in sections],
        *[("SPAN", (0, r), (2, r)) for r in spans],
        *[("SPAN", (0, r), (4, r)) for r in range(total_row, len(rows))],
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [table, Spacer(1, 4 * mm)]


def _payments(st: AccountStatement) -> list:
    """The payments received on the invoices listed, or a line saying there were none."""
    from html import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from wikcli.documents import page

    lang = st.lang
    lab = LABELS[lang]
    story: list = [Paragraph(f"<b>{escape(lab['payments'])}</b>", page.STYLES["body"])]
    if not st.payments:
        return story + [Paragraph(escape(lab["no_payments"]), page.STYLES["body"])]
    prow = [[_bold(lab["pay_date"]), _bold(lab["pay_invoice"]), _bold(lab["pay_amount"], "cell_r")]]
    prow += [[_cell(page.shortdate(p.day, lang)),
              _cell(lab["set_off"].format(invoice=p.invoice, source=p.set_off) if p.set_off else p.invoice),
              page.money_cell(p.amount, lang)] for p in st.payments]
    pt = Table(prow, colWidths=[30 * mm, 45 * mm, page.AMOUNT_W], repeatRows=1, hAlign="LEFT")
    pt.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), page.SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, page.RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return story + [pt, Spacer(1, 4 * mm)]


def _closing(st: AccountStatement, original: AccountStatement):
    """The greeting and signature, beside the payment QR code when the statement shows one.

    ``st`` is folded for the fonts; the code carries ``original``'s names unfolded (EPC
    character set 1 is UTF-8)."""
    from html import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    from wikcli.documents import page

    lang = st.lang
    lab, plab = LABELS[lang], page.LABELS[lang]
    styles = page.STYLES
    sign = escape(st.signature)
    org = escape(st.creditor.name) if st.signature != st.creditor.name else ""
    left = [Paragraph(escape(lab["closing"]), styles["body"]), Spacer(1, 10 * mm),
            Paragraph(sign + (f"<br/>{org}" if org else ""), styles["body"])]
    if not st.show_qr:
        return KeepTogether(left)
    qr_size = 26 * mm
    caption = [
        Paragraph(plab["qr_title"], styles["qr_title"]),
        Paragraph(plab["qr_text"], styles["small"]),
        Spacer(1, 2 * mm),
        Paragraph(f"{plab['qr_amount']}: {escape(format_eur(st.due_now, lang))}<br/>"
                  f"{plab['qr_to']}: {escape(st.creditor.name)}<br/>IBAN: {escape(st.creditor.iban)}<br/>"
                  f"{plab['reference']}: {escape(st.remittance)}", styles["small"]),
    ]
    box = Table([[page.QRCode(original.qr_payload(), qr_size), caption]],
                colWidths=[qr_size + 2 * mm, 44 * mm])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, page.RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    closing = Table([[left, box]], colWidths=[page.WIDTH - 82 * mm, 82 * mm])
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                 ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return closing


def render(st: AccountStatement) -> bytes:
    """The statement as PDF bytes (A4), byte-identical for the same statement."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    from wikcli.documents import page

    original = st
    st = page.fold_all(st)
    title = subject(st)
    above, below = paragraphs(st)
    story: list = _heading(st, title)
    story += [Paragraph(p, page.STYLES["body"]) for p in above]
    story += _amounts(st)
    story += _payments(st)
    story += [Paragraph(p, page.STYLES["body"]) for p in below]
    story.append(_closing(st, original))

    def first_page(c, doc) -> None:
        c.saveState()
        page.draw_letterhead(c, st)
        page.draw_address(c, st)
        c.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=page.LEFT, rightMargin=page.RIGHT,
                          topMargin=page.BODY_TOP_NEXT, bottomMargin=page.BOTTOM, title=title,
                          author=st.creditor.name, subject=title, creator="wik", producer="wik",
                          invariant=1)  # fixed document id; the dates are the statement's day (pdfa.py)
    first = Frame(page.LEFT, page.BOTTOM, page.WIDTH, page.PAGE_H - page.body_top_first(st.window) - page.BOTTOM, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(page.LEFT, page.BOTTOM, page.WIDTH, page.PAGE_H - page.BODY_TOP_NEXT - page.BOTTOM, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="First", frames=[first], onPage=first_page, autoNextPageTemplate="Later"),
        PageTemplate(id="Later", frames=[later], onPage=page.later_page(st, title)),
    ])
    doc.build(story, canvasmaker=page.numbered_canvas(st.lang, st.day))
    return buf.getvalue()

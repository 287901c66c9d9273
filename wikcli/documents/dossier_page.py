"""How the hand-over dossier looks: ``dossier.Dossier`` laid out as A4 PDF/A-2b pages.

One function per section of the dossier (parties, invoice, amounts owed, the calculation of
the collection costs and of the interest, timeline, letters, payments, notes), each
returning its flowables; ``render`` stacks them under a running header. The page, its
styles and colours are the letter's (``page.py``), so a dossier looks like the letters in it.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from wikcli.documents import pdfa
from wikcli.documents.dossier import WORDS, show_date
from wikcli.documents.page import (
    BOLD,
    BOTTOM,
    FONT,
    INK,
    LEFT,
    MUTED,
    PAGE_H,
    PAGE_W,
    RIGHT,
    RULE,
    SHADE,
    STYLES,
    WIDTH,
    country_name,
    fold,
    money_cell,
    numbered_canvas,
    split_lines,
)
from wikcli.rules.money import cents, format_eur

_D_STYLES = {
    "title": ParagraphStyle("d_title", fontName=BOLD, fontSize=15, leading=19, textColor=INK, spaceAfter=2),
    "sub": ParagraphStyle("d_sub", fontName=FONT, fontSize=9, leading=12, textColor=MUTED, spaceAfter=8),
    "h": ParagraphStyle("d_h", fontName=BOLD, fontSize=11, leading=14, textColor=INK, spaceBefore=9,
                        spaceAfter=4, keepWithNext=1),
    "hash": ParagraphStyle("d_hash", fontName=pdfa.MONO, fontSize=6.5, leading=8.5, textColor=MUTED),
}


def _p(text: str, style: str = "cell") -> Paragraph:
    st = _D_STYLES.get(style) or STYLES[style]
    return Paragraph(escape(fold(text)).replace("\n", "<br/>"), st)


def _grid(rows: list, widths: list, *, head: bool = True, total: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if head else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if head:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE)]
    if total:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
    table.setStyle(TableStyle(style))
    return table


def _heads(*names: str, right_from: int = 99) -> list:
    return [Paragraph(f"<b>{escape(n)}</b>", STYLES["cell_r"] if i >= right_from else STYLES["cell"])
            for i, n in enumerate(names)]


def _party(title: str, lines: list[str]) -> list:
    return [Paragraph(f"<b>{escape(title)}</b>", STYLES["cell"])] + [_p(x) for x in lines if x]


def _country(code: str, lang: str) -> str:
    """The country's name in Dutch (a Dutch agency reads "Nederland"); the code in English, as before."""
    return country_name(code, lang) if code and lang == "nl" else code


def _pct(rate: Decimal, lang: str, places: str | None = None) -> str:
    text = f"{rate * 100:.{places}f}" if places else f"{(rate * 100).normalize():f}"
    return (text.replace(".", ",") if lang == "nl" else text) + "%"


def _interest_label(d, w) -> str:
    return w["interest_b2b"] if d.owed.interest_kind == "commercial" else w["interest"]


def _title(d, w) -> list:
    return [
        _p(w["title"].format(number=d.number), "title"),
        _p(w["sub"].format(date=show_date(d.today, d.lang), creditor=d.creditor.name), "sub"),
    ]


def _parties(d, w) -> list:
    lang, cr, db = d.lang, d.creditor, d.debtor
    creditor = _party(w["creditor"], [
        cr.name, *split_lines(cr.address), " ".join(x for x in (cr.postcode, cr.city) if x), _country(cr.country, lang),
        f"{w['kvk']} {cr.kvk}" if cr.kvk else "", f"{w['vat_id']} {cr.vat_id}" if cr.vat_id else "",
        f"{w['iban']} {cr.iban}" if cr.iban else "", f"{w['bic']} {cr.bic}" if cr.bic else "", cr.email, cr.phone])
    debtor = _party(w["debtor"], [
        db.name, *split_lines(db.address), " ".join(x for x in (db.postcode, db.city) if x), _country(db.country, lang),
        w["client_id"].format(kind=w["debtor_kind"].get(db.type, db.type), id=db.id), db.email])
    parties = Table([[creditor, debtor]], colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                                 ("BOX", (0, 0), (0, 0), 0.4, RULE), ("BOX", (1, 0), (1, 0), 0.4, RULE)]))
    return [parties]


def _invoice(d, w) -> list:
    lang = d.lang
    state = (w["step"].format(n=d.step, name=w["steps"].get(d.step_name, d.step_name))
             + (w["paused"].format(reason=d.paused) if d.paused else ""))
    rows = [[_p(w["number"]), _p(d.number)], [_p(w["inv_date"]), _p(show_date(d.invoice_date, lang))],
            [_p(w["due"]), _p(show_date(d.due, lang))], [_p(w["amount_vat"]), _p(format_eur(d.amount, lang))],
            [_p(w["state"]), _p(state)]]
    if d.description:
        rows.insert(4, [_p(w["description"]), _p(d.description)])
    return [_p(w["invoice"], "h"), _grid(rows, [50 * mm, WIDTH - 50 * mm], head=False)]


def _owed(d, w) -> list:
    """What is owed on the dossier's day, item by item, and what agreed terms changed."""
    o, lang = d.owed, d.lang

    def eur(v) -> Paragraph:
        return money_cell(v, lang)

    costs_state = (w["owed_from"].format(date=show_date(o.costs_due_from, lang)) if o.costs_due_from
                   else w["not_owed"])
    label = _interest_label(d, w)
    rows = [_heads(w["item"], w["amount"], right_from=1),
            [_p(w["principal"]), eur(o.principal)],
            [_p(w["paid"]), eur(o.paid)],
            [_p(w["principal_open"]), eur(o.principal_open)],
            [_p(w["costs"].format(state=costs_state)), eur(o.costs)]]
    if o.costs_vat:
        rows.append([_p(w["costs_vat"]), eur(o.costs_vat)])
    rows += [[_p(w["costs_paid"]), eur(o.costs_paid)],
             [_p(w["costs_open"]), eur(o.costs_open)],
             [_p(w["accrued"].format(label=label)), eur(o.interest_accrued)],
             [_p(w["interest_paid"].format(label=label)), eur(o.interest_paid)],
             [_p(w["interest_open"].format(label=label)), eur(o.interest_open)]]
    if o.credit:
        rows.append([_p(w["credit"]), eur(o.credit)])
    rows.append([Paragraph(f"<b>{escape(w['total_due'])}</b>", STYLES["cell"]), money_cell(o.total_due, lang, bold=True)])
    story = [_p(w["owed_on"].format(date=show_date(d.today, lang)), "h"),
             _grid(rows, [WIDTH - 35 * mm, 35 * mm], total=True), _p(w["allocation"], "small")]
    if d.terms is not None:
        agreed_parts = [x for x in ((w["ev_terms_interest"].format(text=d.terms.interest.text) if d.terms.interest else ""),
                                    (w["ev_terms_costs"].format(text=d.terms.costs.text) if d.terms.costs else "")) if x]
        where = f", {d.terms.clause}" if d.terms.clause else ""
        story.append(_p(escape(w["agreed_note"].format(where=where, parts=", ".join(agreed_parts))), "small"))
    return story


def _agreed_costs(d, w) -> list:
    """The collection costs as the agreed terms set them."""
    c, lang = d.owed.costs_calc, d.lang
    terms = c.terms.text if c.terms is not None else w["fixed"]
    rows = [_heads(w["agreed"], w["amount"], right_from=1),
            [_p(escape(w["agreed_row"].format(terms=terms, principal=format_eur(c.principal, lang)))),
             money_cell(c.costs, lang)]]
    if c.vat:
        rows.append([_p(w["vat_row"].format(rate=f"{c.vat_rate * 100:.0f}")), money_cell(c.vat, lang)])
    return [_p(escape(w["agreed_costs"].format(clause=f" ({c.clause})" if c.clause else "")), "h"),
            _grid(rows, [WIDTH - 35 * mm, 35 * mm])]


def _staffel(d, w) -> list:
    """The statutory collection costs: the staffel's brackets over the principal."""
    from wikcli.rules.costs import MAXIMUM, MINIMUM

    o, lang = d.owed, d.lang
    c = o.costs_calc

    def eur(v) -> Paragraph:
        return money_cell(v, lang)

    rows = [_heads(w["part"], w["rate"], w["base"], w["amount"], right_from=1)]
    for b in c.brackets:
        lower = format_eur(b.lower, lang)
        span = (w["bracket_top"].format(lower=lower) if b.upper is None else
                w["bracket"].format(lower=lower, upper=format_eur(b.upper, lang)))
        # Money with two decimals: the staffel rounds once, over the sum, so the parts
        # shown rounded may differ a cent from the total below.
        rows.append([_p(span), _p(_pct(b.rate, lang, "1"), "cell_r"), eur(b.base), eur(cents(b.amount))])
    note = (w["minimum"].format(amount=format_eur(MINIMUM, lang)) if c.minimum_applied else
            w["maximum"].format(amount=format_eur(MAXIMUM, lang)) if c.maximum_applied else "")
    rows.append([_p(w["costs_over"].format(principal=format_eur(c.principal, lang), note=note)), "", "",
                 eur(c.costs)])
    if c.vat:
        rows.append([_p(w["vat_row"].format(rate=_pct(c.vat_rate, lang, "0")[:-1])), "", "", eur(c.vat)])
    if o.claim_invoices:
        others = ", ".join(n for n in o.claim_invoices if n != d.number)
        rows.append([_p(escape(w["share"].format(number=d.number, others=others))), "", "",
                     eur(o.costs_incl_vat)])
    return [_p(w["costs_calc"], "h"), _grid(rows, [WIDTH - 95 * mm, 20 * mm, 35 * mm, 40 * mm])]


def _costs(d, w) -> list:
    c = d.owed.costs_calc
    if c is None:
        return []
    return _agreed_costs(d, w) if c.agreed else _staffel(d, w)


def _interest(d, w) -> list:
    """The interest's periods: days, rate and base of each."""
    o, lang = d.owed, d.lang
    i = o.interest_calc
    if i is None:
        return []
    label = _interest_label(d, w)
    inner = label[0].lower() + label[1:] if lang == "nl" else label  # mid-sentence in Dutch
    story = [_p(w["interest_calc"].format(label=inner, a="a" if o.interest_kind == "commercial" else ""), "h")]
    rows = [_heads(w["from"], w["to"], w["days"], w["rate"], w["base"], w["interest_col"], right_from=2)]
    for p in i.periods:
        rows.append([_p(show_date(p.start, lang)), _p(show_date(p.end, lang)), _p(str(p.days), "cell_r"),
                     _p(_pct(p.rate, lang), "cell_r"), money_cell(p.base, lang), money_cell(p.interest, lang)])
    rows.append([Paragraph(f"<b>{escape(w['accrued_total'])}</b>", STYLES["cell"]), "", "", "", "",
                 money_cell(i.interest, lang, bold=True)])
    story.append(_grid(rows, [25 * mm, 25 * mm, 15 * mm, 20 * mm, WIDTH - 120 * mm, 35 * mm], total=True))
    for warning in o.warnings:
        story.append(_p(w["note"].format(text=warning), "small"))
    return story


def _timeline(d, w) -> list:
    rows = [_heads(w["date"], "#", w["event"], w["details"])]
    for e in d.timeline:
        rows.append([_p(show_date(e.day, d.lang)), _p(str(e.seq)), _p(w["types"].get(e.type, e.type)), _p(e.summary)])
    return [_p(w["timeline"], "h"), _grid(rows, [22 * mm, 10 * mm, 28 * mm, WIDTH - 60 * mm])]


def _receipt_lines(d, w) -> list[str]:
    """One line per letter sent with what proves (or disproves) its receipt."""
    nl = d.lang == "nl"
    out = []
    for r in d.receipt:
        kind = w["kinds"].get(r["kind"], r["kind"])
        parts = []
        if r["email"]:
            m = r["email"]
            parts.append((f"e-mail aanvaard door de server op {m['accepted_at']} ({m['reply']}), Message-ID "
                          if nl else f"e-mail accepted by the server at {m['accepted_at']} ({m['reply']}), Message-ID ")
                         + m["message_id"])
        if r["bounced"]:
            parts.append(f"onbestelbaar gemeld op {r['bounced']['date']}: niet ontvangen" if nl else
                          f"bounced on {r['bounced']['date']}: not received")
        if r["registered"]:
            g = r["registered"]
            parts.append((f"aangetekend, barcode {g['barcode']}" if nl else f"registered, barcode {g['barcode']}")
                         + (f", {g['status']} ({g['status_date']})" if g["status"] else ""))
        if parts:
            out.append(escape(f"{kind} {r['date']}: " + "; ".join(parts)))
    c = d.debtor
    if c.email_source or c.email_letters:
        out.append(escape((f"E-mailadres van de klant: {c.email_source or '-'} {c.email_given}; brieven per e-mail "
                           + ("overeengekomen" if c.email_letters else "niet overeengekomen")) if nl else
                          (f"Client's e-mail address: {c.email_source or '-'} {c.email_given}; letters by e-mail "
                           + ("agreed" if c.email_letters else "not agreed"))))
    return out


def _letters(d, w) -> list:
    """The letters sent, each with its archived copy's SHA-256, and what proves their receipt."""
    story = [_p(w["letters"], "h")]
    if not d.letters:
        return story + [_p(w["no_letters"])]
    rows = [_heads(w["date"], w["letter"], w["sent"], w["file"])]
    for x in d.letters:
        sent = w["sent_yes"].format(by=w["by"].get(x.via, x.via)) if x.sent else w["sent_no"]
        cell = [_p(x.file or w["no_copy"])]
        if x.sha256:
            cell.append(Paragraph(x.sha256, _D_STYLES["hash"]))
        rows.append([_p(show_date(x.day, d.lang)), _p(w["kinds"].get(x.kind, x.kind)), _p(sent), cell])
    story += [_grid(rows, [20 * mm, 33 * mm, 21 * mm, WIDTH - 74 * mm]), _p(w["enclosed"], "small")]
    return story + [_p(line, "small") for line in _receipt_lines(d, w)]


def _payments(d, w) -> list:
    story = [_p(w["payments"], "h")]
    if not d.payments:
        return story + [_p(w["no_payments"])]
    rows = [_heads(w["date"], w["amount"], right_from=1)]
    rows += [[_p(show_date(p.day, d.lang)), money_cell(p.amount, d.lang)] for p in d.payments]
    return story + [_grid(rows, [40 * mm, 35 * mm])]


def _notes(d, w) -> list:
    story = [_p(w["notes"], "h")]
    if not d.notes:
        return story + [_p(w["no_notes"])]
    rows = [_heads(w["date"], w["note_col"], w["promise"])]
    rows += [[_p(show_date(n.day, d.lang)), _p(n.text), _p(show_date(n.promise, d.lang) if n.promise else "")]
             for n in d.notes]
    return story + [_grid(rows, [22 * mm, WIDTH - 57 * mm, 35 * mm])]


_SECTIONS = (_title, _parties, _invoice, _owed, _costs, _interest, _timeline, _letters, _payments, _notes)


def _header(d, w):
    """Every page's running header: the creditor and invoice left, the dossier's day right."""
    def header(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(LEFT, PAGE_H - 12 * mm, fold(w["header"].format(creditor=d.creditor.name, number=d.number))[:100])
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 12 * mm, show_date(d.today, d.lang))
        canvas.restoreState()

    return header


def render(d) -> bytes:
    """The hand-over dossier (``dossier.Dossier``) as PDF bytes: parties, invoice, amounts owed
    with their calculation, the timeline, the letters with their SHA-256, payments, notes; in
    the dossier's language (``d.lang``), with its money and date notation."""
    import io

    w = WORDS[d.lang]
    story: list = [flowable for section in _SECTIONS for flowable in section(d, w)]
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=18 * mm,
                          bottomMargin=BOTTOM, title=fold(w["doc_title"].format(number=d.number)),
                          author=fold(d.creditor.name), creator="wik", producer="wik", invariant=1)
    frame = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - 18 * mm - BOTTOM, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="Dossier", frames=[frame], onPage=_header(d, w))])
    doc.build(story, canvasmaker=numbered_canvas(d.lang, d.today))
    return buf.getvalue()

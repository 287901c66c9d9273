"""How a letter looks: A4 page layout with ReportLab Platypus, tables and the payment QR code.

The only module that imports ReportLab. Its input is the letter data (figures) and the
rendered text (words, as paragraph markup) from ``letters.py``; its output is PDF bytes,
byte-identical for the same input (ReportLab's invariant mode fixes dates and document id).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from wikcli import letters
from wikcli.money import cents, format_eur

PAGE_W, PAGE_H = A4
LEFT = 25 * mm
RIGHT = 20 * mm
WIDTH = PAGE_W - LEFT - RIGHT
BOTTOM = 16 * mm

# Address window. Window envelopes sold in the Netherlands for A4 folded in three (EA5/6,
# 110 x 220 mm, window on the left) have a window of about 40 x 110 mm, about 20 mm from the
# left and 15 mm from the bottom edge; C5/6 and DL windows are similar (35-45 mm high, 15-20
# mm from the left). Folded in three, the sheet's top panel is 99 mm high and shifts up to
# about 10 mm inside the envelope, so the part of the sheet that always shows is roughly
# 25-120 mm from the left and 50-88 mm from the top. That also lies inside the address field
# of the European business-letter layout (DIN 5008 form B: 45 mm from the top, 20 mm from
# the left, 85 x 45 mm), so C5/6 and DL window envelopes from abroad fit too. The address
# block (return line, "registered", the address) is printed from 25 mm left, 50 to 88 mm
# from the top, at most 85 mm wide.
WINDOW_LEFT = 25 * mm
WINDOW_TOP = 50 * mm
WINDOW_BOTTOM = 88 * mm
WINDOW_WIDTH = 85 * mm
# The body on page 1 starts below the window field.
BODY_TOP_FIRST = 91 * mm
BODY_TOP_NEXT = 25 * mm

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#c5ccd6")
SHADE = colors.HexColor("#eef1f5")

LABELS = {
    "nl": {
        "date": "Datum",
        "reference": "Kenmerk",
        "subject": "Betreft",
        "registered": "AANGETEKEND",
        "page": "Pagina {n} van {total}",
        "kvk": "KvK",
        "vat_id": "Btw-id",
        "iban": "IBAN",
        "invoice": "Factuur",
        "inv_date": "Datum",
        "due": "Vervaldatum",
        "amount": "Bedrag",
        "paid": "Betaald",
        "open": "Openstaand",
        "total_open": "Totaal openstaand",
        "principal": "Hoofdsom",
        "costs": "Buitengerechtelijke incassokosten",
        "costs_incl_vat": "(incl. {vat} btw)",
        "interest": "Wettelijke rente",
        "interest_b2b": "Wettelijke handelsrente",
        "interest_through": "{label} t/m {date}",
        "interest_agreed": "Overeengekomen rente ({text})",
        "total_due": "Totaal te betalen",
        "qr_title": "Betalen met uw bankapp",
        "qr_text": "Scan de code met de app van uw bank: bedrag, rekening en kenmerk zijn al ingevuld.",
        "qr_amount": "Bedrag",
        "qr_to": "Aan",
    },
    "en": {
        "date": "Date",
        "reference": "Reference",
        "subject": "Subject",
        "registered": "BY REGISTERED MAIL",
        "page": "Page {n} of {total}",
        "kvk": "Chamber of Commerce",
        "vat_id": "VAT id",
        "iban": "IBAN",
        "invoice": "Invoice",
        "inv_date": "Date",
        "due": "Due date",
        "amount": "Amount",
        "paid": "Paid",
        "open": "Open",
        "total_open": "Total open",
        "principal": "Principal",
        "costs": "Extrajudicial collection costs",
        "costs_incl_vat": "(incl. {vat} VAT)",
        "interest": "Statutory interest",
        "interest_b2b": "Statutory commercial interest",
        "interest_through": "{label} to {date}",
        "interest_agreed": "Agreed interest ({text})",
        "total_due": "Total due",
        "qr_title": "Pay with your banking app",
        "qr_text": "Scan the code with your bank's app: amount, account and reference are filled in.",
        "qr_amount": "Amount",
        "qr_to": "To",
    },
}

_STYLES = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=6.5),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10.5, textColor=MUTED),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11, textColor=INK),
    "cell_r": ParagraphStyle("cell_r", fontName=FONT, fontSize=9, leading=11, textColor=INK, alignment=TA_RIGHT),
    "subject": ParagraphStyle("subject", fontName=BOLD, fontSize=11, leading=14, textColor=INK,
                              spaceBefore=0, spaceAfter=9),
    "meta": ParagraphStyle("meta", fontName=FONT, fontSize=9, leading=12, textColor=INK),
    "meta_label": ParagraphStyle("meta_label", fontName=FONT, fontSize=9, leading=12, textColor=MUTED),
    "qr_title": ParagraphStyle("qr_title", fontName=BOLD, fontSize=9, leading=11, textColor=INK, spaceAfter=2),
}


# The PDF standard fonts (Helvetica) cover Windows-1252 only; a character outside it would
# print as a black box. Such characters are folded to their base letter (Ş -> S, ł -> l),
# which reads better and is what a post office prefers on an address anyway.
_FOLD_EXTRA = str.maketrans({
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "n", "Ŋ": "N",
    "ŀ": "l", "Ŀ": "L", "ĸ": "k", "ƒ": "f", "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u202f": " ", "\u2009": " ", "\u200b": "",
})


def _fold(value: str) -> str:
    import unicodedata

    try:
        value.encode("cp1252")
        return value
    except UnicodeEncodeError:
        pass
    out = []
    for ch in value.translate(_FOLD_EXTRA):
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _fold_all(obj):
    """A copy of a frozen dataclass (nested) with every string folded for the PDF fonts."""
    from dataclasses import fields, is_dataclass, replace

    if isinstance(obj, str):
        return _fold(obj)
    if isinstance(obj, tuple):
        return tuple(_fold_all(x) for x in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, (str, tuple)) or is_dataclass(v):
                changes[f.name] = _fold_all(v)
        return replace(obj, **changes)
    return obj


def _shortdate(d, lang: str) -> str:
    from babel.dates import format_date

    if lang == "nl":
        return format_date(d, "dd-MM-y", locale="nl_NL")
    # Written out: 07/04/2026 reads as 4 July to much of the English-speaking world.
    return format_date(d, "d MMMM y", locale="en_GB")


def _longdate(d, lang: str) -> str:
    from babel.dates import format_date

    return format_date(d, "d MMMM y", locale="nl_NL" if lang == "nl" else "en_GB")


def _country_name(code: str, lang: str) -> str:
    from babel import Locale

    return Locale.parse("nl_NL" if lang == "nl" else "en_GB").territories.get(code.upper(), code)


def _lines(*parts: str) -> list[str]:
    out = []
    for part in parts:
        out += [ln.strip() for ln in (part or "").splitlines() if ln.strip()]
    return out


class QRCode(Flowable):
    """A QR code drawn as vector squares: sharp at any zoom and no image library needed."""

    def __init__(self, payload: str, size: float):
        super().__init__()
        import segno

        # EPC069-12 asks for error correction level M.
        self.matrix = segno.make(payload, error="m", micro=False, boost_error=False).matrix
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        n = len(self.matrix) + 8  # 4 modules quiet zone on each side
        module = self.size / n
        c = self.canv
        c.setFillColor(colors.black)
        path = c.beginPath()  # one filled path: smaller and faster than a rect per run
        for r, row in enumerate(self.matrix):
            y = self.size - (r + 5) * module
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    path.rect((start + 4) * module, y, (x - start) * module, module)
                else:
                    x += 1
        c.drawPath(path, stroke=0, fill=1)


def _numbered_canvas(lang: str):
    label = LABELS[lang]["page"]

    class NumberedCanvas(rl_canvas.Canvas):
        """Writes "Pagina n van m" on every page, but only when there is more than one."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if total > 1:
                    self.setFont(FONT, 8)
                    self.setFillColor(MUTED)
                    self.drawRightString(PAGE_W - RIGHT, 9 * mm, label.format(n=self._pageNumber, total=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_letterhead(c, data: letters.LetterData) -> None:
    cr = data.creditor
    lab = LABELS[data.lang]
    top = PAGE_H - 18 * mm
    c.setFillColor(INK)
    c.setFont(BOLD, 16)
    c.drawString(LEFT, top - 4 * mm, cr.name)
    # Contact details in a column on the right, the way printed letterheads have them.
    right = [
        *_lines(cr.address),
        " ".join(p for p in (cr.postcode, cr.city) if p),
        cr.phone,
        cr.email,
        f"{lab['kvk']} {cr.kvk}" if cr.kvk else "",
        f"{lab['vat_id']} {cr.vat_id}" if cr.vat_id else "",
        f"{lab['iban']} {cr.iban}" if cr.iban else "",
    ]
    right = [r for r in right if r]
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    x = PAGE_W - RIGHT
    y = top
    for r in right:
        c.drawRightString(x, y, r)
        y -= 10.5
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    line_y = min(y + 4, top - 10 * mm)
    c.line(LEFT, line_y, PAGE_W - RIGHT, line_y)


def _draw_fitted(c, x: float, y: float, text: str, font: str, size: float, width: float) -> None:
    """Draw one line inside ``width``: a smaller font first (down to 7 pt), then cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 7 and stringWidth(text, font, size) > width:
        size -= 0.5
    while text and stringWidth(text, font, size) > width:
        text = text[:-1]
    c.setFont(font, size)
    c.drawString(x, y, text)


def _draw_address(c, data: letters.LetterData) -> None:
    cr, cl = data.creditor, data.client
    lab = LABELS[data.lang]
    y = PAGE_H - WINDOW_TOP - 2 * mm
    # Return address in small print at the top of the window, as post offices like it.
    sender = ", ".join(p for p in (cr.name, " ".join(_lines(cr.address)), " ".join(x for x in (cr.postcode, cr.city) if x)) if p)
    c.setFillColor(MUTED)
    _draw_fitted(c, WINDOW_LEFT, y, sender, FONT, 6.5, WINDOW_WIDTH)
    y -= 6 * mm
    if data.registered_hint:
        c.setFont(BOLD, 9)
        c.setFillColor(INK)
        c.drawString(WINDOW_LEFT, y, lab["registered"])
        y -= 6 * mm
    # PostNL's addressing rules: postcode and place on one line, two spaces between them,
    # the place in capitals; a foreign country on a last line of its own.
    city_line = "  ".join(p for p in (cl.postcode, cl.city.upper()) if p)
    lines = _lines(cl.name, cl.address, city_line)
    if cl.country and cl.country.upper() != "NL":
        lines.append(_country_name(cl.country, data.lang).upper())
    c.setFillColor(INK)
    for ln in lines:
        if y < PAGE_H - WINDOW_BOTTOM:
            break
        _draw_fitted(c, WINDOW_LEFT, y, ln, FONT, 10, WINDOW_WIDTH)
        y -= 13


def _first_page(data: letters.LetterData):
    def draw(c, doc) -> None:
        c.saveState()
        _draw_letterhead(c, data)
        _draw_address(c, data)
        c.restoreState()

    return draw


def _next_page(data: letters.LetterData, subject: str):
    def draw(c, doc) -> None:
        c.saveState()
        c.setFont(BOLD, 8)
        c.setFillColor(MUTED)
        c.drawString(LEFT, PAGE_H - 15 * mm, data.creditor.name)
        c.setFont(FONT, 8)
        c.drawRightString(PAGE_W - RIGHT, PAGE_H - 15 * mm, f"{data.client.name} · {data.reference}"[:90])
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(LEFT, PAGE_H - 17 * mm, PAGE_W - RIGHT, PAGE_H - 17 * mm)
        c.restoreState()

    return draw


def _meta(data: letters.LetterData, text: letters.LetterText) -> list:
    lab = LABELS[data.lang]
    place = f"{escape(data.place)}, " if data.place else ""
    rows = [
        [Paragraph(lab["date"], _STYLES["meta_label"]), Paragraph(place + _longdate(data.letter_date, data.lang), _STYLES["meta"])],
        [Paragraph(lab["reference"], _STYLES["meta_label"]), Paragraph(escape(data.reference), _STYLES["meta"])],
    ]
    table = Table(rows, colWidths=[25 * mm, WIDTH - 25 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return [table, Spacer(1, 5 * mm), Paragraph(text.subject, _STYLES["subject"])]


def _money(value: Decimal, lang: str, bold: bool = False) -> Paragraph:
    s = escape(format_eur(value, lang))
    return Paragraph(f"<b>{s}</b>" if bold else s, _STYLES["cell_r"])


# Column widths of both tables end on the same right edge, so amounts line up.
_AMOUNT_W = 27 * mm


def _invoice_table(data: letters.LetterData) -> Table:
    """One table: each invoice (amount, paid, open), then the collection costs owed (charged,
    paid, open) and the interest (accrued, paid, open), then the total of the open column,
    which is what the ledger says is open on these invoices: the printed rows add up."""
    lab = LABELS[data.lang]
    lang = data.lang
    head = [lab["invoice"], lab["inv_date"], lab["due"], lab["amount"], lab["paid"], lab["open"]]
    rows = [[Paragraph(f"<b>{h}</b>", _STYLES["cell_r"] if i >= 3 else _STYLES["cell"]) for i, h in enumerate(head)]]
    for inv in data.invoices:
        rows.append([
            Paragraph(escape(inv.number), _STYLES["cell"]),
            Paragraph(_shortdate(inv.date, lang), _STYLES["cell"]),
            Paragraph(_shortdate(inv.due, lang), _STYLES["cell"]),
            _money(inv.amount, lang),
            _money(inv.paid, lang),
            _money(inv.open, lang),
        ])
    spans = []
    extra = []
    if data.costs_row is not None:
        label = lab["costs"]
        if data.costs_row.vat > 0:
            label += " " + lab["costs_incl_vat"].format(vat=format_eur(data.costs_row.vat, lang))
        extra.append((label, data.costs_row))
    if data.interest_parts:
        # Invoices under different rules: each part named by its rule (and the clause agreed).
        for terms, row in data.interest_parts:
            if terms is None:
                name = lab["interest"] if data.client.type == "consumer" else lab["interest_b2b"]
            else:
                text, clause = terms
                name = lab["interest_agreed"].format(text=f"{text}, {clause}" if clause else text)
            extra.append((lab["interest_through"].format(label=name, date=_longdate(data.letter_date, lang)), row))
    elif data.interest_row is not None:
        name = lab["interest"] if data.client.type == "consumer" else lab["interest_b2b"]
        if data.interest_terms is not None:
            name = lab["interest_agreed"].format(text=data.interest_terms[0])
        extra.append((lab["interest_through"].format(label=name, date=_longdate(data.letter_date, lang)),
                      data.interest_row))
    for label, row in extra:
        spans.append(len(rows))
        rows.append([Paragraph(escape(label), _STYLES["cell"]), "", "", _money(row.charged, lang),
                     _money(row.paid, lang), _money(row.open, lang)])
    rows.append([Paragraph(f"<b>{lab['total_due']}</b>", _STYLES["cell"]), "", "", "", "",
                 _money(data.total_due, lang, bold=True)])
    first = WIDTH - 5 * _AMOUNT_W + 2 * (_AMOUNT_W - 24 * mm)
    widths = [first, 24 * mm, 24 * mm, _AMOUNT_W, _AMOUNT_W, _AMOUNT_W]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -3), 0.3, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("SPAN", (0, -1), (4, -1)),
        *[("SPAN", (0, r), (2, r)) for r in spans],
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _closing(data: letters.LetterData, text: letters.LetterText, original: letters.LetterData) -> Flowable:
    lab = LABELS[data.lang]
    sign = escape(data.signature or data.creditor.name)
    org = escape(data.creditor.name) if data.signature and data.signature != data.creditor.name else ""
    left = [
        Paragraph(text.closing, _STYLES["body"]),
        Spacer(1, 10 * mm),  # room for a handwritten signature
        Paragraph(sign + (f"<br/>{org}" if org else ""), _STYLES["body"]),
    ]
    if not data.show_qr:
        return KeepTogether(left)
    # The QR code is UTF-8 (EPC character set 1): it carries the names unfolded.
    payload = letters.epc_payload(
        name=original.creditor.name,
        iban=original.creditor.iban,
        bic=original.creditor.bic or None,
        amount=original.amount_requested,
        reference=original.remittance,
        structured=original.payment_reference,
    )
    qr_size = 26 * mm
    caption = [
        Paragraph(lab["qr_title"], _STYLES["qr_title"]),
        Paragraph(lab["qr_text"], _STYLES["small"]),
        Spacer(1, 2 * mm),
        Paragraph(
            f"{lab['qr_amount']}: {escape(format_eur(data.amount_requested, data.lang))}<br/>"
            f"{lab['qr_to']}: {escape(data.creditor.name)}<br/>"
            f"IBAN: {escape(data.creditor.iban)}<br/>"
            f"{lab['reference']}: {escape(letters.group_reference(data.payment_reference) or data.remittance)}",
            _STYLES["small"],
        ),
    ]
    box = Table([[QRCode(payload, qr_size), caption]], colWidths=[qr_size + 2 * mm, 44 * mm])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    outer = Table([[left, box]], colWidths=[WIDTH - 82 * mm, 82 * mm])
    outer.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
    ]))
    return outer


def render(data: letters.LetterData, text: letters.LetterText) -> bytes:
    """The letter as PDF bytes (A4)."""
    import io

    original = data
    data = _fold_all(data)
    text = _fold_all(text)
    story: list = _meta(data, text)
    tabled = False
    for p in text.paragraphs:
        if p in letters.PLACEHOLDERS:
            # One table holds the invoices and the amounts: the first placeholder places it
            # (templates written for the former two tables keep working).
            if not tabled:
                story += [_invoice_table(data), Spacer(1, 4 * mm)]
                tabled = True
        else:
            story.append(Paragraph(p, _STYLES["body"]))
    story.append(_closing(data, text, original))

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=BODY_TOP_NEXT,
        bottomMargin=BOTTOM,
        title=letters.strip_markup(text.subject),
        author=data.creditor.name,
        subject=letters.strip_markup(text.subject),
        creator="wik",
        producer="wik",
        invariant=1,  # fixed dates and document id: the same letter gives the same bytes
    )
    first = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - BODY_TOP_FIRST - BOTTOM, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - BODY_TOP_NEXT - BOTTOM, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="First", frames=[first], onPage=_first_page(data), autoNextPageTemplate="Later"),
        PageTemplate(id="Later", frames=[later], onPage=_next_page(data, text.subject)),
    ])
    doc.build(story, canvasmaker=_numbered_canvas(data.lang))
    return buf.getvalue()



# -- page primitives other documents share with the letters -----------------------------------
# A document laid out elsewhere (the statement of account, statement.py) draws its page with
# these. ``doc`` is any object with what the letter data offers them: ``creditor``, ``client``,
# ``lang``, ``registered_hint`` and, for the header of later pages, ``reference``.
STYLES = _STYLES
AMOUNT_W = _AMOUNT_W
fold_all = _fold_all
shortdate = _shortdate
longdate = _longdate
money_cell = _money
draw_letterhead = _draw_letterhead
draw_address = _draw_address
later_page = _next_page
numbered_canvas = _numbered_canvas

# -- the hand-over dossier -------------------------------------------------------------------

_D_STYLES = {
    "title": ParagraphStyle("d_title", fontName=BOLD, fontSize=15, leading=19, textColor=INK, spaceAfter=2),
    "sub": ParagraphStyle("d_sub", fontName=FONT, fontSize=9, leading=12, textColor=MUTED, spaceAfter=8),
    "h": ParagraphStyle("d_h", fontName=BOLD, fontSize=11, leading=14, textColor=INK, spaceBefore=9,
                        spaceAfter=4, keepWithNext=1),
    "hash": ParagraphStyle("d_hash", fontName="Courier", fontSize=6.5, leading=8.5, textColor=MUTED),
}


def _p(text: str, style: str = "cell") -> Paragraph:
    st = _D_STYLES.get(style) or _STYLES[style]
    return Paragraph(escape(_fold(text)).replace("\n", "<br/>"), st)


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
    return [Paragraph(f"<b>{escape(n)}</b>", _STYLES["cell_r"] if i >= right_from else _STYLES["cell"])
            for i, n in enumerate(names)]


def _party(title: str, lines: list[str]) -> list:
    return [Paragraph(f"<b>{escape(title)}</b>", _STYLES["cell"])] + [_p(x) for x in lines if x]


def render_dossier(d) -> bytes:
    """The hand-over dossier (``dossier.Dossier``) as PDF bytes: parties, invoice, amounts owed
    with their calculation, the timeline, the letters with their SHA-256, payments, notes; in
    the dossier's language (``d.lang``), with its money and date notation."""
    import io

    from wikcli.dossier import WORDS, show_date

    lang = d.lang
    w = WORDS[lang]

    def eur(v) -> Paragraph:
        return _money(v, lang)

    def day(v) -> str:
        return show_date(v, lang)

    def pct(rate: Decimal, places: str | None = None) -> str:
        text = f"{rate * 100:.{places}f}" if places else f"{(rate * 100).normalize():f}"
        return (text.replace(".", ",") if lang == "nl" else text) + "%"

    o = d.owed
    cr, db = d.creditor, d.debtor
    story: list = [
        _p(w["title"].format(number=d.number), "title"),
        _p(w["sub"].format(date=day(d.today), creditor=cr.name), "sub"),
    ]
    creditor = _party(w["creditor"], [
        cr.name, *_lines(cr.address), " ".join(x for x in (cr.postcode, cr.city) if x), _country(cr.country, lang),
        f"{w['kvk']} {cr.kvk}" if cr.kvk else "", f"{w['vat_id']} {cr.vat_id}" if cr.vat_id else "",
        f"{w['iban']} {cr.iban}" if cr.iban else "", f"{w['bic']} {cr.bic}" if cr.bic else "", cr.email, cr.phone])
    debtor = _party(w["debtor"], [
        db.name, *_lines(db.address), " ".join(x for x in (db.postcode, db.city) if x), _country(db.country, lang),
        w["client_id"].format(kind=w["debtor_kind"].get(db.type, db.type), id=db.id), db.email])
    parties = Table([[creditor, debtor]], colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                                 ("BOX", (0, 0), (0, 0), 0.4, RULE), ("BOX", (1, 0), (1, 0), 0.4, RULE)]))
    story.append(parties)

    story.append(_p(w["invoice"], "h"))
    state = (w["step"].format(n=d.step, name=w["steps"].get(d.step_name, d.step_name))
             + (w["paused"].format(reason=d.paused) if d.paused else ""))
    rows = [[_p(w["number"]), _p(d.number)], [_p(w["inv_date"]), _p(day(d.invoice_date))],
            [_p(w["due"]), _p(day(d.due))], [_p(w["amount_vat"]), _p(format_eur(d.amount, lang))],
            [_p(w["state"]), _p(state)]]
    if d.description:
        rows.insert(4, [_p(w["description"]), _p(d.description)])
    story.append(_grid(rows, [50 * mm, WIDTH - 50 * mm], head=False))

    story.append(_p(w["owed_on"].format(date=day(d.today)), "h"))
    costs_state = (w["owed_from"].format(date=day(o.costs_due_from)) if o.costs_due_from else w["not_owed"])
    label = w["interest_b2b"] if o.interest_kind == "commercial" else w["interest"]
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
    rows.append([Paragraph(f"<b>{escape(w['total_due'])}</b>", _STYLES["cell"]), _money(o.total_due, lang, bold=True)])
    story.append(_grid(rows, [WIDTH - 35 * mm, 35 * mm], total=True))
    story.append(_p(w["allocation"], "small"))
    if d.terms is not None:
        agreed_parts = [x for x in ((w["ev_terms_interest"].format(text=d.terms.interest.text) if d.terms.interest else ""),
                                    (w["ev_terms_costs"].format(text=d.terms.costs.text) if d.terms.costs else "")) if x]
        where = f", {d.terms.clause}" if d.terms.clause else ""
        story.append(_p(escape(w["agreed_note"].format(where=where, parts=", ".join(agreed_parts))), "small"))

    c = o.costs_calc
    if c is not None and c.agreed:
        story.append(_p(escape(w["agreed_costs"].format(clause=f" ({c.clause})" if c.clause else "")), "h"))
        terms = c.terms.text if c.terms is not None else w["fixed"]
        rows = [_heads(w["agreed"], w["amount"], right_from=1),
                [_p(escape(w["agreed_row"].format(terms=terms, principal=format_eur(c.principal, lang)))), eur(c.costs)]]
        if c.vat:
            rows.append([_p(w["vat_row"].format(rate=f"{c.vat_rate * 100:.0f}")), eur(c.vat)])
        story.append(_grid(rows, [WIDTH - 35 * mm, 35 * mm]))
    elif c is not None:
        story.append(_p(w["costs_calc"], "h"))
        rows = [_heads(w["part"], w["rate"], w["base"], w["amount"], right_from=1)]
        for b in c.brackets:
            lower = format_eur(b.lower, lang)
            span = (w["bracket_top"].format(lower=lower) if b.upper is None else
                    w["bracket"].format(lower=lower, upper=format_eur(b.upper, lang)))
            # Money with two decimals: the staffel rounds once, over the sum, so the parts
            # shown rounded may differ a cent from the total below.
            rows.append([_p(span), _p(pct(b.rate, "1"), "cell_r"), eur(b.base), eur(cents(b.amount))])
        from wikcli.costs import MAXIMUM, MINIMUM

        note = (w["minimum"].format(amount=format_eur(MINIMUM, lang)) if c.minimum_applied else
                w["maximum"].format(amount=format_eur(MAXIMUM, lang)) if c.maximum_applied else "")
        rows.append([_p(w["costs_over"].format(principal=format_eur(c.principal, lang), note=note)), "", "",
                     eur(c.costs)])
        if c.vat:
            rows.append([_p(w["vat_row"].format(rate=pct(c.vat_rate, "0")[:-1])), "", "", eur(c.vat)])
        if o.claim_invoices:
            others = ", ".join(n for n in o.claim_invoices if n != d.number)
            rows.append([_p(escape(w["share"].format(number=d.number, others=others))), "", "",
                         eur(o.costs_incl_vat)])
        story.append(_grid(rows, [WIDTH - 95 * mm, 20 * mm, 35 * mm, 40 * mm]))

    i = o.interest_calc
    if i is not None:
        inner = label[0].lower() + label[1:] if lang == "nl" else label  # mid-sentence in Dutch
        story.append(_p(w["interest_calc"].format(label=inner, a="a" if o.interest_kind == "commercial" else ""),
                        "h"))
        rows = [_heads(w["from"], w["to"], w["days"], w["rate"], w["base"], w["interest_col"], right_from=2)]
        for p in i.periods:
            rows.append([_p(day(p.start)), _p(day(p.end)), _p(str(p.days), "cell_r"), _p(pct(p.rate), "cell_r"),
                         eur(p.base), eur(p.interest)])
        rows.append([Paragraph(f"<b>{escape(w['accrued_total'])}</b>", _STYLES["cell"]), "", "", "", "",
                     _money(i.interest, lang, bold=True)])
        story.append(_grid(rows, [25 * mm, 25 * mm, 15 * mm, 20 * mm, WIDTH - 120 * mm, 35 * mm], total=True))
        for warning in o.warnings:
            story.append(_p(w["note"].format(text=warning), "small"))

    story.append(_p(w["timeline"], "h"))
    rows = [_heads(w["date"], "#", w["event"], w["details"])]
    for e in d.timeline:
        rows.append([_p(day(e.day)), _p(str(e.seq)), _p(w["types"].get(e.type, e.type)), _p(e.summary)])
    story.append(_grid(rows, [22 * mm, 10 * mm, 28 * mm, WIDTH - 60 * mm]))

    story.append(_p(w["letters"], "h"))
    if d.letters:
        rows = [_heads(w["date"], w["letter"], w["sent"], w["file"])]
        for x in d.letters:
            sent = w["sent_yes"].format(by=w["by"].get(x.via, x.via)) if x.sent else w["sent_no"]
            cell = [_p(x.file or w["no_copy"])]
            if x.sha256:
                cell.append(Paragraph(x.sha256, _D_STYLES["hash"]))
            rows.append([_p(day(x.day)), _p(w["kinds"].get(x.kind, x.kind)), _p(sent), cell])
        story.append(_grid(rows, [20 * mm, 33 * mm, 21 * mm, WIDTH - 74 * mm]))
        story.append(_p(w["enclosed"], "small"))
    else:
        story.append(_p(w["no_letters"]))

    story.append(_p(w["payments"], "h"))
    if d.payments:
        rows = [_heads(w["date"], w["amount"], right_from=1)] + [[_p(day(p.day)), eur(p.amount)] for p in d.payments]
        story.append(_grid(rows, [40 * mm, 35 * mm]))
    else:
        story.append(_p(w["no_payments"]))

    story.append(_p(w["notes"], "h"))
    if d.notes:
        rows = [_heads(w["date"], w["note_col"], w["promise"])]
        rows += [[_p(day(n.day)), _p(n.text), _p(day(n.promise) if n.promise else "")] for n in d.notes]
        story.append(_grid(rows, [22 * mm, WIDTH - 57 * mm, 35 * mm]))
    else:
        story.append(_p(w["no_notes"]))

    def header(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(LEFT, PAGE_H - 12 * mm, _fold(w["header"].format(creditor=cr.name, number=d.number))[:100])
        canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 12 * mm, day(d.today))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=18 * mm,
                          bottomMargin=BOTTOM, title=_fold(w["doc_title"].format(number=d.number)),
                          author=_fold(cr.name), creator="wik", producer="wik", invariant=1)
    frame = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - 18 * mm - BOTTOM, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="Dossier", frames=[frame], onPage=header)])
    doc.build(story, canvasmaker=_numbered_canvas(lang))
    return buf.getvalue()


def _country(code: str, lang: str) -> str:
    """The country's name in Dutch (a Dutch agency reads "Nederland"); the code in English, as before."""
    return _country_name(code, lang) if code and lang == "nl" else code

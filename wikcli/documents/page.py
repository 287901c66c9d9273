"""How a letter looks: A4 page layout with ReportLab Platypus, tables and the payment QR code.

Its input is the letter data (figures) and the rendered text (words, as paragraph markup)
from ``letter.py``; its output is PDF/A-2b bytes (``pdfa.py``: embedded fonts, output
intent, XMP, dated the letter's own date), byte-identical for the same input.

The sheet is shared: the statement of account (``account.py``), the hand-over dossier
(``dossier_page.py``) and the envelope test page (``envelope.py``) draw with the public names
here (geometry, colours, ``STYLES``, ``fold``, dates, ``money_cell``, ``numbered_canvas``,
``draw_letterhead``, ``draw_address``, ``later_page``). Their ``data`` is any object with
what the letter data offers them: ``creditor``, ``client``, ``lang``, ``registered_hint``
and, for the header of later pages, ``reference``.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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

from wikcli.documents import letter, pdfa
from wikcli.ledger.model import Window
from wikcli.rules.money import format_eur

PAGE_W, PAGE_H = A4
LEFT = 25 * mm
RIGHT = 20 * mm
WIDTH = PAGE_W - LEFT - RIGHT
BOTTOM = 16 * mm

# Address window: DIN 5008 form B by default (the field 45 mm from the top, 20 mm from the
# left, 85 x 45 mm; ``model.Window``), which the window envelopes sold in the Netherlands for
# A4 folded in three (EA5/6, C5/6, DL) show; config [letters] window_* moves it for others.
# In the field: the return address on one line at its top, a note (registered) below it, the
# address from 17.7 mm down (the field's address zone); the text 5 mm inside its left edge,
# which is the body's left margin. Nothing else is printed inside the field.
WINDOW_INSET = 5 * mm
WINDOW_ADDRESS_ZONE = 17.7 * mm  # DIN 5008: the top 17.7 mm of the field hold return address and notes
# Kept for the default field: its text's left edge, top and bottom from the sheet's top.
WINDOW_LEFT = 25 * mm
WINDOW_TOP = 45 * mm
WINDOW_BOTTOM = 90 * mm
WINDOW_WIDTH = 80 * mm
# The body on page 1 starts 1 mm below the window field.
BODY_TOP_FIRST = 91 * mm
BODY_TOP_NEXT = 25 * mm

FONT = pdfa.FONT
BOLD = pdfa.BOLD
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

STYLES = {
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


# The embedded fonts cover all Latin script (Ş, ł, ő print as such); a character they lack
# (another script, a symbol) would print as the .notdef box, which PDF/A forbids. Such a
# character is folded to its base letter where it has one, else printed as "?".
_FOLD_EXTRA = str.maketrans({
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "n", "Ŋ": "N",
    "ŀ": "l", "Ŀ": "L", "ĸ": "k", "ƒ": "f", "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u202f": " ", "\u2009": " ", "\u200b": "",
})


def fold(value: str) -> str:
    import unicodedata

    if pdfa.covers(value):
        return value
    out = []
    for ch in value:
        if pdfa.covers(ch):
            out.append(ch)
            continue
        base = ch.translate(_FOLD_EXTRA)
        if base == ch:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if pdfa.covers(base) else "?")
    return "".join(out)


def fold_all(obj):
    """A copy of a frozen dataclass (nested) with every string folded for the PDF fonts."""
    from dataclasses import fields, is_dataclass, replace

    if isinstance(obj, str):
        return fold(obj)
    if isinstance(obj, tuple):
        return tuple(fold_all(x) for x in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, (str, tuple)) or is_dataclass(v):
                changes[f.name] = fold_all(v)
        return replace(obj, **changes)
    return obj


def shortdate(d, lang: str) -> str:
    from babel.dates import format_date

    if lang == "nl":
        return format_date(d, "dd-MM-y", locale="nl_NL")
    # Written out: 07/04/2026 reads as 4 July to much of the English-speaking world.
    return format_date(d, "d MMMM y", locale="en_GB")


def longdate(d, lang: str) -> str:
    from babel.dates import format_date

    return format_date(d, "d MMMM y", locale="nl_NL" if lang == "nl" else "en_GB")


def country_name(code: str, lang: str) -> str:
    from babel import Locale

    return Locale.parse("nl_NL" if lang == "nl" else "en_GB").territories.get(code.upper(), code)


def split_lines(*parts: str) -> list[str]:
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


def numbered_canvas(lang: str, day):
    """The canvas class of a document dated ``day`` (its PDF/A dates) in ``lang``."""
    label = LABELS[lang]["page"]

    class NumberedCanvas(pdfa.Canvas):
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

    NumberedCanvas.day = day
    return NumberedCanvas


def draw_letterhead(c, data: letter.Addressed) -> None:
    cr = data.creditor
    lab = LABELS[data.lang]
    top = PAGE_H - 18 * mm
    c.setFillColor(INK)
    c.setFont(BOLD, 16)
    c.drawString(LEFT, top - 4 * mm, cr.name)
    # Contact details in a column on the right, the way printed letterheads have them.
    right = [
        *split_lines(cr.address),
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
    window = _window(data)
    start = LEFT
    if line_y < PAGE_H - (window.top - 2) * mm:
        # A long contact column pushes the rule down into the window's height: it then
        # starts right of the window, so no line shows through the envelope.
        start = (window.right + 3) * mm
    c.line(start, line_y, PAGE_W - RIGHT, line_y)


def _draw_fitted(c, x: float, y: float, text: str, font: str, size: float, width: float) -> None:
    """Draw one line inside ``width``: a smaller font first (down to 7 pt), then cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 7 and stringWidth(text, font, size) > width:
        size -= 0.5
    while text and stringWidth(text, font, size) > width:
        text = text[:-1]
    c.setFont(font, size)
    c.drawString(x, y, text)


def _window(data) -> Window:
    return getattr(data, "window", None) or Window()


def body_top_first(window: Window) -> float:
    """Where the body starts on page 1 (from the top, in points): 1 mm below the window field."""
    return (window.bottom + 1) * mm


def draw_address(c, data: letter.Addressed) -> None:
    """The window field's content: the return address on one line at its top, "registered"
    below it, the address in the field's address zone; every line ends inside the field."""
    cr, cl = data.creditor, data.client
    lab = LABELS[data.lang]
    w = _window(data)
    left = w.left * mm + WINDOW_INSET
    width = w.width * mm - WINDOW_INSET - 2 * mm
    top = PAGE_H - w.top * mm
    floor = PAGE_H - w.bottom * mm + 1.5 * mm  # the lowest baseline: descenders stay inside
    # Return address in small print at the top of the field, as post offices like it.
    sender = ", ".join(p for p in (cr.name, " ".join(split_lines(cr.address)), " ".join(x for x in (cr.postcode, cr.city) if x)) if p)
    c.setFillColor(MUTED)
    _draw_fitted(c, left, top - 4 * mm, sender, FONT, 6.5, width)
    if data.registered_hint:
        c.setFont(BOLD, 9)
        c.setFillColor(INK)
        c.drawString(left, top - 11 * mm, lab["registered"])
    # PostNL's addressing rules: postcode and place on one line, two spaces between them,
    # the place in capitals; a foreign country on a last line of its own.
    city_line = "  ".join(p for p in (cl.postcode, cl.city.upper()) if p)
    lines = split_lines(cl.name, cl.address, city_line)
    if cl.country and cl.country.upper() != "NL":
        lines.append(country_name(cl.country, data.lang).upper())
    # Six lines fit the address zone at 12 pt; a longer address starts higher, into the
    # note zone, rather than losing its last line (the place).
    leading = 12
    y = top - WINDOW_ADDRESS_ZONE - 3.5 * mm
    room = int((y - floor) // leading) + 1
    if len(lines) > room:
        y = min(top - 15 * mm if data.registered_hint else top - 8 * mm, floor + (len(lines) - 1) * leading)
    c.setFillColor(INK)
    for ln in lines:
        if y < floor:
            break
        _draw_fitted(c, left, y, ln, FONT, 10, width)
        y -= leading


def _first_page(data: letter.LetterData):
    def draw(c, doc) -> None:
        c.saveState()
        draw_letterhead(c, data)
        draw_address(c, data)
        c.restoreState()

    return draw


def later_page(data: letter.Addressed, subject: str):
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


def _meta(data: letter.LetterData, text: letter.LetterText) -> list:
    lab = LABELS[data.lang]
    place = f"{escape(data.place)}, " if data.place else ""
    rows = [
        [Paragraph(lab["date"], STYLES["meta_label"]), Paragraph(place + longdate(data.letter_date, data.lang), STYLES["meta"])],
        [Paragraph(lab["reference"], STYLES["meta_label"]), Paragraph(escape(data.reference), STYLES["meta"])],
    ]
    table = Table(rows, colWidths=[25 * mm, WIDTH - 25 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return [table, Spacer(1, 5 * mm), Paragraph(text.subject, STYLES["subject"])]


def money_cell(value: Decimal, lang: str, bold: bool = False) -> Paragraph:
    s = escape(format_eur(value, lang))
    return Paragraph(f"<b>{s}</b>" if bold else s, STYLES["cell_r"])


# Column widths of both tables end on the same right edge, so amounts line up.
AMOUNT_W = 27 * mm


def _invoice_table(data: letter.LetterData) -> Table:
    """One table: each invoice (amount, paid, open), then the collection costs owed (charged,
    paid, open) and the interest (accrued, paid, open), then the total of the open column,
    which is what the ledger says is open on these invoices: the printed rows add up."""
    lab = LABELS[data.lang]
    lang = data.lang
    head = [lab["invoice"], lab["inv_date"], lab["due"], lab["amount"], lab["paid"], lab["open"]]
    rows = [[Paragraph(f"<b>{h}</b>", STYLES["cell_r"] if i >= 3 else STYLES["cell"]) for i, h in enumerate(head)]]
    for inv in data.invoices:
        rows.append([
            Paragraph(escape(inv.number), STYLES["cell"]),
            Paragraph(shortdate(inv.date, lang), STYLES["cell"]),
            Paragraph(shortdate(inv.due, lang), STYLES["cell"]),
            money_cell(inv.amount, lang),
            money_cell(inv.paid, lang),
            money_cell(inv.open, lang),
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
            extra.append((lab["interest_through"].format(label=name, date=longdate(data.letter_date, lang)), row))
    elif data.interest_row is not None:
        name = lab["interest"] if data.client.type == "consumer" else lab["interest_b2b"]
        if data.interest_terms is not None:
            name = lab["interest_agreed"].format(text=data.interest_terms[0])
        extra.append((lab["interest_through"].format(label=name, date=longdate(data.letter_date, lang)),
                      data.interest_row))
    for label, row in extra:
        spans.append(len(rows))
        rows.append([Paragraph(escape(label), STYLES["cell"]), "", "", money_cell(row.charged, lang),
                     money_cell(row.paid, lang), money_cell(row.open, lang)])
    rows.append([Paragraph(f"<b>{lab['total_due']}</b>", STYLES["cell"]), "", "", "", "",
                 money_cell(data.total_due, lang, bold=True)])
    first = WIDTH - 5 * AMOUNT_W + 2 * (AMOUNT_W - 24 * mm)
    widths = [first, 24 * mm, 24 * mm, AMOUNT_W, AMOUNT_W, AMOUNT_W]
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


def _closing(data: letter.LetterData, text: letter.LetterText, original: letter.LetterData) -> Flowable:
    lab = LABELS[data.lang]
    sign = escape(data.signature or data.creditor.name)
    org = escape(data.creditor.name) if data.signature and data.signature != data.creditor.name else ""
    left = [
        Paragraph(text.closing, STYLES["body"]),
        Spacer(1, 10 * mm),  # room for a handwritten signature
        Paragraph(sign + (f"<br/>{org}" if org else ""), STYLES["body"]),
    ]
    if not data.show_qr:
        return KeepTogether(left)
    # The QR code is UTF-8 (EPC character set 1): it carries the names unfolded.
    payload = letter.epc_payload(
        name=original.creditor.name,
        iban=original.creditor.iban,
        bic=original.creditor.bic or None,
        amount=original.amount_requested,
        reference=original.remittance,
        structured=original.payment_reference,
    )
    qr_size = 26 * mm
    caption = [
        Paragraph(lab["qr_title"], STYLES["qr_title"]),
        Paragraph(lab["qr_text"], STYLES["small"]),
        Spacer(1, 2 * mm),
        Paragraph(
            f"{lab['qr_amount']}: {escape(format_eur(data.amount_requested, data.lang))}<br/>"
            f"{lab['qr_to']}: {escape(data.creditor.name)}<br/>"
            f"IBAN: {escape(data.creditor.iban)}<br/>"
            f"{lab['reference']}: {escape(letter.group_reference(data.payment_reference) or data.remittance)}",
            STYLES["small"],
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


def render(data: letter.LetterData, text: letter.LetterText) -> bytes:
    """The letter as PDF bytes (A4)."""
    import io

    original = data
    data = fold_all(data)
    text = fold_all(text)
    story: list = _meta(data, text)
    tabled = False
    for p in text.paragraphs:
        if p in letter.PLACEHOLDERS:
            # One table holds the invoices and the amounts: the first placeholder places it
            # (templates written for the former two tables keep working).
            if not tabled:
                story += [_invoice_table(data), Spacer(1, 4 * mm)]
                tabled = True
        else:
            story.append(Paragraph(p, STYLES["body"]))
    story.append(_closing(data, text, original))

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=BODY_TOP_NEXT,
        bottomMargin=BOTTOM,
        title=letter.strip_markup(text.subject),
        author=data.creditor.name,
        subject=letter.strip_markup(text.subject),
        creator="wik",
        producer="wik",
        invariant=1,  # fixed document id; the dates are the letter's own (pdfa.py)
    )
    first = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - body_top_first(data.window) - BOTTOM, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(LEFT, BOTTOM, WIDTH, PAGE_H - BODY_TOP_NEXT - BOTTOM, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="First", frames=[first], onPage=_first_page(data), autoNextPageTemplate="Later"),
        PageTemplate(id="Later", frames=[later], onPage=later_page(data, text.subject)),
    ])
    doc.build(story, canvasmaker=numbered_canvas(data.lang, data.letter_date))
    return buf.getvalue()

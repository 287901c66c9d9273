"""The window envelope's test page (``wik letter --calibration``): where the address field sits.

Drawn with the letter's own letterhead and address (``page.py``), so what shows in the
window on this page is what shows on a letter with the same config [letters] window_*.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from wikcli.documents import pdfa
from wikcli.documents.page import (
    BOLD,
    FONT,
    INK,
    LEFT,
    PAGE_H,
    WIDTH,
    body_top_first,
    draw_address,
    draw_letterhead,
    fold_all,
)
from wikcli.ledger.model import Window

_CALIBRATION = {
    "nl": {
        "title": "Testpagina vensterenvelop",
        "text": ["Druk deze pagina af op ware grootte (100%, niet 'passend maken'): de lijn hieronder moet "
                 "precies 100 mm lang zijn.",
                 "Vouw het vel bij de vouwtekens aan de linkerrand en steek het in uw envelop. Alles "
                 "binnen het kader moet in het venster te zien zijn; het kader zelf mag wegvallen.",
                 "Het kader: {left} mm van links, {top} mm van boven, {width} x {height} mm. Past het "
                 "niet, zet dan window_left, window_top, window_width en window_height onder [letters] "
                 "in config.toml en druk deze pagina opnieuw af."],
        "ruler": "100 mm",
        "client": ("M. de Vries", "Kerkstraat 12", "3511 AB", "Utrecht"),
    },
    "en": {
        "title": "Window envelope test page",
        "text": ["Print this page at actual size (100%, not 'fit to page'): the line below must be "
                 "exactly 100 mm long.",
                 "Fold the sheet at the fold marks on its left edge and put it in your envelope. "
                 "Everything inside the outline must show in the window; the outline itself may not.",
                 "The outline: {left} mm from the left, {top} mm from the top, {width} x {height} mm. "
                 "If it does not fit, set window_left, window_top, window_width and window_height under "
                 "[letters] in config.toml and print this page again."],
        "ruler": "100 mm",
        "client": ("M. de Vries", "Kerkstraat 12", "3511 AB", "Utrecht"),
    },
}


def render_calibration(creditor, window: Window, lang: str, day) -> bytes:
    """A test page for the window envelope: the address field's outline with the return
    address and a sample address placed as on a letter, the fold marks of A4 folded in
    three, and a 100 mm line to check the printer prints at actual size."""
    import io
    from dataclasses import dataclass

    from wikcli.ledger.model import Client

    words = _CALIBRATION[lang]

    @dataclass(frozen=True)
    class Sample:  # what ``draw_address`` and ``draw_letterhead`` read of a letter
        creditor: object
        client: Client
        lang: str
        registered_hint: bool
        window: Window

    name, address, postcode, city = words["client"]
    sample = fold_all(Sample(creditor, Client(id="sample", name=name, address=address, postcode=postcode,
                                               city=city), lang, True, window))
    buf = io.BytesIO()
    c = pdfa.canvas(day)(buf, pagesize=A4)
    c.setTitle(words["title"])
    c.setAuthor(sample.creditor.name)
    c.setCreator("wik")
    c.setProducer("wik")
    draw_letterhead(c, sample)
    draw_address(c, sample)
    # The field's outline, dashed, and the fold and punch marks of DIN 5008 form B.
    c.setStrokeColor(INK)
    c.setLineWidth(0.5)
    c.setDash(3, 2)
    c.rect(window.left * mm, PAGE_H - window.bottom * mm, window.width * mm, window.height * mm)
    c.setDash()
    for at, length in ((105, 5), (210, 5), (148.5, 8)):
        c.line(4 * mm, PAGE_H - at * mm, (4 + length) * mm, PAGE_H - at * mm)
    y = PAGE_H - body_top_first(window) - 6 * mm
    c.setFillColor(INK)
    c.setFont(BOLD, 12)
    c.drawString(LEFT, y, words["title"])
    y -= 9 * mm
    c.setFont(FONT, 9.5)
    figures = {k: f"{getattr(window, k):g}" for k in ("left", "top", "width", "height")}
    for para in words["text"]:
        for ln in _wrap(para.format(**figures), FONT, 9.5, WIDTH):
            c.drawString(LEFT, y, ln)
            y -= 13
        y -= 6
    # The 100 mm ruler, a tick every 10 mm.
    y -= 4 * mm
    c.setLineWidth(0.8)
    c.line(LEFT, y, LEFT + 100 * mm, y)
    for i in range(11):
        c.line(LEFT + i * 10 * mm, y, LEFT + i * 10 * mm, y + (3 if i % 5 else 5) * mm)
    c.setFont(FONT, 8)
    c.drawString(LEFT + 102 * mm, y - 1, words["ruler"])
    c.showPage()
    c.save()
    return buf.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width)

"""PDF/A-2b for every PDF wik writes (letters, statements, dossiers): the one place that knows
what makes ReportLab's output archival.

A court copy or an archived letter has to look the same in twenty years and be the same bytes
on every re-render. PDF/A-2b (ISO 19005-2, level B) asks for:
- every font embedded: Liberation Sans and Liberation Mono (SIL Open Font License 1.1, in
  ``fonts/`` with the licence), which cover all Latin script (Ş, ł, ő, ğ print as such) and have
  Helvetica's and Courier's metrics, so the layout stays what it was with the standard fonts;
- device colours tied to a colour space: an sRGB output intent (``icc/sRGB.icc``, zlib licence);
- XMP metadata that declares the part and level (pdfaid:part 2, pdfaid:conformance B) and
  repeats the document information (title, author, subject, creator, producer, dates);
- a file identifier in the trailer (ReportLab writes one).

The open-source ReportLab has no PDF/A switch, so ``Canvas`` below adds what is missing when
the document is saved. Its dates are the document's own date (a letter's date, a statement's
or dossier's day) at 00:00 UTC rather than the clock: ReportLab's invariant mode alone writes
2000-01-01, and the clock would make every re-render differ.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

HERE = Path(__file__).resolve().parent
FONT = "LiberationSans"
BOLD = "LiberationSans-Bold"
MONO = "LiberationMono"
_FILES = {FONT: "LiberationSans-Regular.ttf", BOLD: "LiberationSans-Bold.ttf", MONO: "LiberationMono-Regular.ttf"}
ICC = HERE / "icc" / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PDF_VERSION = (1, 7)  # PDF/A-2 is based on ISO 32000-1, which is PDF 1.7

_covered: frozenset[str] | None = None


def register() -> None:
    """Register the embedded fonts with ReportLab (once per process): parsing them costs some
    tens of milliseconds, which only a command that renders pays."""
    global _covered
    if _covered is not None:
        return
    for name, file in _FILES.items():
        font = TTFont(name, str(HERE / "fonts" / file))
        # Cutting the subset out of the font program is a good part of a letter's time, and
        # letters in a run use much the same characters: the same subset gives the same bytes.
        font.face.makeSubset = _hashable(font.face.makeSubset)
        pdfmetrics.registerFont(font)
    # <b> in paragraph markup picks the bold face of the family.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
    # A table cell given as a plain string (an empty cell too) is drawn in the cell style's
    # font, Helvetica unless a style says otherwise: unembedded, so not allowed in PDF/A.
    from reportlab.platypus.tables import CellStyle

    CellStyle.fontname = FONT
    regular = pdfmetrics.getFont(FONT).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    # A character without a glyph would print as the .notdef box, which PDF/A forbids.
    # Line breaks and tabs never reach the page as glyphs.
    _covered = frozenset(chr(c) for c in regular if regular[c] and bold.get(c)) | {"\n", "\t"}


def _hashable(make_subset):
    cached = lru_cache(maxsize=32)(lambda subset: make_subset(list(subset)))
    return lambda subset: cached(tuple(subset))


def covers(text: str) -> bool:
    """Whether the text fonts (regular and bold) have a glyph for every character of ``text``."""
    register()
    assert _covered is not None  # set by register()
    return _covered.issuperset(text)


class _Stamp:
    """A ReportLab timestamp fixed at 00:00 UTC of one day."""

    def __init__(self, day: date):
        self.t = 0
        self.YMDhms = (day.year, day.month, day.day, 0, 0, 0)
        self.lt = self.YMDhms + (0, 0, 0)
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary with only the entries the XMP repeats: PDF/A wants
    the two to agree, and an empty Keywords or a Trapped flag has no place in either."""

    def format(self, document):
        d = {k: pdfdoc.PDFString(v) for k, v in _info_values(self).items()}
        d["CreationDate"] = d["ModDate"] = pdfdoc.PDFDate(ts=document._timeStamp)
        return pdfdoc.PDFDictionary(d).format(document)


def _info_values(info) -> dict[str, str]:
    pairs = {"Title": info.title, "Author": info.author, "Subject": info.subject,
             "Creator": info.creator, "Producer": info.producer}
    return {k: v for k, v in pairs.items() if isinstance(v, str) and v}


class _Catalog(pdfdoc.PDFCatalog):
    # ReportLab's catalog writes only the keys it lists.
    __NoDefault__ = pdfdoc.PDFCatalog.__NoDefault__ + ["OutputIntents"]


def xmp(info: dict[str, str], day: date) -> bytes:
    """The XMP packet: the PDF/A identification and the document information, as UTF-8."""
    when = f"{day.isoformat()}T00:00:00+00:00"

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    parts = ["<dc:format>application/pdf</dc:format>"]
    if "Title" in info:
        parts.append(f"<dc:title>{alt(info['Title'])}</dc:title>")
    if "Author" in info:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(info['Author'])}</rdf:li></rdf:Seq></dc:creator>")
    if "Subject" in info:
        parts.append(f"<dc:description>{alt(info['Subject'])}</dc:description>")
    parts += [f"<xmp:CreateDate>{when}</xmp:CreateDate>", f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
              f"<xmp:MetadataDate>{when}</xmp:MetadataDate>"]
    if "Creator" in info:
        parts.append(f"<xmp:CreatorTool>{escape(info['Creator'])}</xmp:CreatorTool>")
    if "Producer" in info:
        parts.append(f"<pdf:Producer>{escape(info['Producer'])}</pdf:Producer>")
    parts += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    body = "\n   ".join(parts)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def finish(canv: rl_canvas.Canvas, day: date) -> None:
    """Make the canvas's document PDF/A-2b before it is written: dates, info, XMP, output intent."""
    doc = canv._doc
    doc._timeStamp = _Stamp(day)
    doc.info.__class__ = _Info
    doc.Catalog.__class__ = _Catalog
    doc.updateSignature(day.isoformat())  # the file identifier differs for letters of other days
    # The metadata stays uncompressed (no filters: ReportLab sets no default ones), so an
    # archive's tools read it without a PDF parser.
    meta = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                   "Subtype": pdfdoc.PDFName("XML")}),
                            content=xmp(_info_values(doc.info), day))
    doc.Catalog.Metadata = meta
    profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), content=ICC.read_bytes(),
                               filters=[pdfdoc.PDFZCompress])
    intent = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": pdfdoc.PDFString(OUTPUT_CONDITION),
        "Info": pdfdoc.PDFString(OUTPUT_CONDITION),
        "DestOutputProfile": doc.Reference(profile, "sRGBProfile"),
    })
    doc.Catalog.OutputIntents = pdfdoc.PDFArray([intent])


class Canvas(rl_canvas.Canvas):
    """A ReportLab canvas whose document is saved as PDF/A-2b, dated ``day`` (set by a subclass
    or ``canvas(day)``). Its initial font is the embedded one: ReportLab's default, Helvetica,
    would otherwise be listed in the file unembedded even when nothing is written in it."""

    day: date

    def __init__(self, *args, **kwargs):
        register()
        kwargs["initialFontName"] = FONT
        kwargs["pdfVersion"] = PDF_VERSION
        kwargs["invariant"] = 1
        kwargs["enforceColorSpace"] = "rgb"  # the output intent is RGB: no CMYK or separations
        super().__init__(*args, **kwargs)

    def save(self):
        finish(self, self.day)
        super().save()


def canvas(day: date, base: type = Canvas) -> type:
    """A PDF/A canvas class dated ``day`` (``base``: a subclass of ``Canvas`` that adds drawing)."""
    return type(base.__name__, (base,), {"day": day})

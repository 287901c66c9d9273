"""The address in a window envelope's window, and nothing else there.

Every text run on page 1 is read back from the PDF (pypdf's visitor: its start and baseline)
and measured with the embedded font's metrics, giving its box on the sheet in millimetres
from the top left corner. The window field is DIN 5008 form B by default (45 mm from the top,
20 mm from the left, 85 x 45 mm) or what config [letters] window_* says.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from datetime import date

import pypdf
import pytest
from pypdf.generic import ContentStream

from lettercases import CONSUMER, make, pdf_bytes, pdf_pages
from test_dossier import CONFIG as DOSSIER_CONFIG
from test_dossier import ledger as dossier_ledger
from test_pdfa import check_pdfa
from wikcli.store import config
from wikcli.documents import letter, account
from wikcli.ledger import model
from wikcli.ledger.rulebook import Rulebook

PT = 25.4 / 72  # mm per point
DIN_B = model.Window(20, 45, 85, 45)


@dataclass(frozen=True)
class Run:
    text: str
    left: float
    right: float
    top: float  # mm from the sheet's top edge
    bottom: float

    def overlaps(self, w: model.Window) -> bool:
        return self.left < w.right and self.right > w.left and self.top < w.bottom and self.bottom > w.top

    def inside(self, w: model.Window) -> bool:
        return w.left <= self.left and self.right <= w.right and w.top <= self.top and self.bottom <= w.bottom


def runs(blob: bytes, page: int = 0) -> list[Run]:
    """The text runs of a page with their boxes (ascent and descent of Liberation Sans)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from wikcli.documents import pdfa

    pdfa.register()
    p = pypdf.PdfReader(io.BytesIO(blob)).pages[page]
    height = float(p.mediabox.height)
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        text = text.strip("\n")
        if not text.strip() or font is None:
            return
        scale = tm[3] * cm[3]
        size = size * scale
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        name = pdfa.BOLD if "Bold" in str(font["/BaseFont"]) else pdfa.FONT
        width = stringWidth(text, name, size)
        found.append(Run(text.strip(), x * PT, (x + width) * PT, (height - y - 0.905 * size) * PT,
                         (height - y + 0.212 * size) * PT))

    p.extract_text(visitor_text=visit)
    return found


def field_contents(blob: bytes, window: model.Window) -> list[str]:
    return [r.text for r in runs(blob) if r.overlaps(window)]


def assert_only_the_address(blob: bytes, window: model.Window, expected: list[str]) -> None:
    found = runs(blob)
    inside = [r for r in found if r.overlaps(window)]
    assert [r.text for r in inside] == expected
    for r in inside:
        assert r.inside(window), r  # whole, not cut by the window's edge
    # The body starts below the field, so it sits below every run in it.
    assert all(r.top >= window.bottom for r in found if "Kenmerk" in r.text or "Reference" in r.text)


def test_the_address_fills_the_din_5008_b_field_and_nothing_else_does():
    client = replace(CONSUMER, name="Stichting Vrienden van het Openbaar Vervoer", address="t.a.v. de penningmeester\nPostbus 1234")
    data = make(letter.DEFAULT, client=client, registered_hint=True, costs_owed=True, interest="3.10")
    blob = pdf_bytes(data)
    assert_only_the_address(blob, DIN_B, [
        "Studio Jansen Ontwerp, Prinsengracht 263, 1016 GV Amsterdam",  # the return address, one line
        "AANGETEKEND",
        "Stichting Vrienden van het Openbaar Vervoer", "t.a.v. de penningmeester", "Postbus 1234",
        "3511 AB  UTRECHT",
    ])
    found = runs(blob)
    # The return address at the field's top, the address in its lower zone (from 17.7 mm),
    # 5 mm inside its left edge: where the body text starts too.
    ret, note, first = found[[r.text for r in found].index("Studio Jansen Ontwerp, Prinsengracht 263, 1016 GV Amsterdam")], \
        next(r for r in found if r.text == "AANGETEKEND"), next(r for r in found if r.text.startswith("Stichting"))
    assert 45 < ret.top < 48 and ret.bottom < note.top
    assert first.top >= 45 + 17.7 and round(first.left, 1) == 25.0
    # What must never show through the window: reference, IBAN, amounts and dates are elsewhere.
    texts = {r.text: r for r in found}
    for r in found:
        if any(s in r.text for s in ("2026-014", "NL91ABNA0417164300", "€", "2026")):
            assert not r.overlaps(DIN_B), r
    assert "2026-014" in texts and "NL91ABNA0417164300" in " ".join(texts)


def test_a_long_foreign_address_stays_inside_the_field():
    client = replace(CONSUMER, name="Ludwig-Maximilians-Gesellschaft für Musik e.V.", address="z. Hd. Frau Dr. Schäfer\nAbteilung Rechnungswesen\nLeopoldstraße 13",
                     postcode="80802", city="München", country="DE")
    blob = pdf_bytes(make(letter.WIK, client=client))
    inside = field_contents(blob, DIN_B)
    assert inside[1:] == ["Ludwig-Maximilians-Gesellschaft für Musik e.V.", "z. Hd. Frau Dr. Schäfer",
                          "Abteilung Rechnungswesen", "Leopoldstraße 13", "80802  MÜNCHEN", "DUITSLAND"]
    assert_only_the_address(blob, DIN_B, inside)


def test_the_field_moves_with_the_configured_window():
    window = model.Window(left=24, top=52, width=90, height=40)
    blob = pdf_bytes(replace(make(letter.WIK), window=window))
    assert_only_the_address(blob, window, [
        "Studio Jansen Ontwerp, Prinsengracht 263, 1016 GV Amsterdam", "M. de Vries", "Kerkstraat 12",
        "3511 AB  UTRECHT"])
    found = runs(blob)
    assert round(next(r for r in found if r.text == "M. de Vries").left, 1) == 29.0
    # The body starts 1 mm below the field (93 mm), not at the default 91 mm.
    date_label = next(r for r in found if r.text == "Datum")
    assert 93 <= date_label.top < 95


def test_a_statement_puts_the_address_in_the_window_too():
    st = account.build(dossier_ledger(), DOSSIER_CONFIG, Rulebook(DOSSIER_CONFIG.policy, DOSSIER_CONFIG.creditor.vat_deductible), "lodz", date(2026, 3, 31))
    blob = account.render(st)
    assert_only_the_address(blob, DIN_B, [
        "Bakker Software B.V., Stationsplein 1, 3511 ED Utrecht", "Łódź Trading Sp. z o.o.", "ul. Piotrkowska 1",
        "90-001  ŁÓDŹ", "POLAND"])


def test_from_claim_takes_the_window_from_the_config():
    settings = config.parse({"creditor": {"name": "J"}, "letters": {"window_left": 22.5, "window_top": 50}}).letters
    assert settings.window == model.Window(22.5, 50, 85, 45)
    assert model.LetterSettings().window == DIN_B


BAD_WINDOW = [
    ('window_top = 27', "letters.window_top 27 is out of range: expected 30 to 150 mm"),
    ('window_left = "20"', "letters.window_left '20' must be a number of millimetres"),
    ('window_height = true', "letters.window_height True must be a number of millimetres"),
    ('window_width = 200', "letters.window_width 200 is out of range: expected 50 to 120 mm"),
    ('window_left = 110\nwindow_width = 100',
     "letters.window_left + window_width 210 mm passes the sheet's right margin: expected at most 200 mm"),
]


@pytest.mark.parametrize("line,expected", BAD_WINDOW, ids=[b[0].split()[0] for b in BAD_WINDOW])
def test_a_bad_window_is_refused_naming_the_key(tmp_path, line, expected):
    (tmp_path / "config.toml").write_text(f'[creditor]\nname = "J"\n[letters]\n{line}\n', encoding="utf-8")
    with pytest.raises(config.ConfigError) as e:
        config.load(tmp_path)
    assert str(e.value) == f"config.toml: {expected}"


# -- wik letter --calibration ----------------------------------------------------------------


@pytest.fixture
def home(tmp_path):
    from conftest import run_cli as run

    r = run("init", "--home", str(tmp_path / "h"), "--name", "Studio Jansen", "--address", "Prinsengracht 263",
            "--postcode", "1016 GV", "--city", "Amsterdam", "--iban", "NL91ABNA0417164300")
    assert r.exit_code == 0, r.stderr
    return tmp_path / "h"


def test_calibration_page_outlines_the_window_and_places_a_sample_address(home, tmp_path):
    from conftest import run_cli as run

    out = tmp_path / "test.pdf"
    r = run("letter", "--calibration", "--out", str(out), "--home", str(home), "--today", "2026-11-24", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == {"path": str(out), "window": {"left": 20.0, "top": 45.0, "width": 85.0,
                                                                  "height": 45.0}}
    blob = out.read_bytes()
    check_pdfa(blob, date(2026, 11, 24))
    assert_only_the_address(blob, DIN_B, ["Studio Jansen, Prinsengracht 263, 1016 GV Amsterdam", "AANGETEKEND",
                                          "M. de Vries", "Kerkstraat 12", "3511 AB  UTRECHT"])
    reader = pypdf.PdfReader(io.BytesIO(blob))
    ops = ContentStream(reader.pages[0].get_contents(), reader).operations
    rects = [[round(float(v) * PT, 1) for v in operands] for operands, op in ops if op == b"re"]
    assert [20.0, 297.0 - 90.0, 85.0, 45.0] in rects  # the dashed outline of the field
    text = pdf_pages(blob)[0]
    assert "20 mm van links, 45 mm van boven, 85 x 45 mm" in text and "100 mm" in text
    assert not (home / "letters").exists() or not any((home / "letters").iterdir())  # nothing archived


def test_calibration_follows_the_config_and_defaults_into_the_home(home):
    from conftest import run_cli as run

    cfg = home / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("window_top = 45.0", "window_top = 50.0"),
                   encoding="utf-8")
    r = run("letter", "--calibration", "--home", str(home), "--today", "2026-11-24")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == str(home / "calibration.pdf")
    blob = (home / "calibration.pdf").read_bytes()
    assert "20 mm van links, 50 mm van boven" in pdf_pages(blob)[0]
    assert_only_the_address(blob, model.Window(20, 50, 85, 45),
                            ["Studio Jansen, Prinsengracht 263, 1016 GV Amsterdam", "AANGETEKEND", "M. de Vries",
                             "Kerkstraat 12", "3511 AB  UTRECHT"])


def test_calibration_refuses_letter_options(home):
    from conftest import run_cli as run

    r = run("letter", "2026-001", "--kind", "wik", "--calibration", "--home", str(home))
    assert r.exit_code == 2
    assert r.stderr.strip() == "wik: error: --calibration prints a test page, not a letter: leave out NUMBER, --kind"

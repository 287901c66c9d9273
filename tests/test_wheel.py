"""The wheel carries what a plain install needs: the letter templates from the top-level
templates/ folder and the rate table. Built from this checkout, installed into a fresh
virtual environment (its dependencies taken from the environment running the tests), and a
letter rendered there from the packaged templates."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RENDER = r"""
import sys
from datetime import date
from decimal import Decimal
from wikcli.documents import letter as letters, page as pdf
from wikcli.ledger import model
from wikcli.rules import costs
here = letters.PACKAGED_TEMPLATES
assert str(here).startswith(sys.prefix), here          # the installed copy, not the checkout
names = sorted(p.name for p in here.glob("*.j2"))
c = costs.compute(Decimal("244"), vat=True)
data = letters.LetterData(
    kind="wik", lang="nl", creditor=model.Creditor(name="Studio", iban="NL91ABNA0417164300"),
    client=model.Client(id="k", name="K"), letter_date=date(2026, 11, 24), reference="F-1",
    invoices=(letters.InvoiceLine("F-1", date(2026, 9, 1), date(2026, 10, 1), Decimal("244"), Decimal("0"),
                                  Decimal("244")),),
    principal_open=Decimal("244"), term_days=14, last_day=date(2026, 12, 11), costs=c, costs_row=None,
    interest_row=None, interest_from=date(2026, 10, 2), total_due=Decimal("244"), registered_hint=False,
    place="", signature="", qr=False)
text = letters.render_text(data, letters.template_dirs(None))
blob = pdf.render(data, text)
from wikcli.rules import interest
print(" ".join(names), text.subject, len(blob) > 1000, interest.rates("consumer")[-1].start)
"""


def test_the_wheel_renders_a_letter_from_its_own_templates(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("wik-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wikcli/templates/wik.nl.j2" in names and "wikcli/rules/rates.toml" in names
    # The PDF/A letters' font and colour profile travel with their licences.
    for packaged in ("fonts/LiberationSans-Regular.ttf", "fonts/LiberationSans-Bold.ttf",
                     "fonts/LiberationMono-Regular.ttf", "fonts/LICENSE-OFL.txt", "icc/sRGB.icc",
                     "icc/LICENSE-zlib.txt"):
        assert f"wikcli/documents/{packaged}" in names, packaged
    # what `wik init --sample-config` writes and the statement `wik demo` dates for the help examples
    assert "wikcli/sample-config.toml" in names and "wikcli/demo-statement.xml" in names
    # the Dutch catalog gettext reads at the terminal, and its source
    assert "wikcli/locale/nl/LC_MESSAGES/wik.mo" in names and "wikcli/locale/nl/LC_MESSAGES/wik.po" in names
    assert any(n.endswith((".dist-info/licenses/LICENSE", ".dist-info/LICENSE")) for n in names), names
    assert not any(n.startswith("templates/") for n in names)

    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(fresh), "platbase": str(fresh)}))
    zipfile.ZipFile(wheel).extractall(purelib)
    # The dependencies (typer, reportlab, ...) from the environment running the tests; a path
    # a .pth file adds does not run that environment's own .pth hooks, so the checkout's
    # editable install stays out of the fresh environment.
    (purelib / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    out = subprocess.run([str(fresh / "bin" / "python"), "-c", RENDER], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "default.en.j2", "default.nl.j2", "email.en.j2", "email.nl.j2", "reminder.en.j2", "reminder.nl.j2",
        "wik.en.j2", "wik.nl.j2", "Aanmaning", "factuur", "F-1", "True", "2026-07-01"]
    # the installed package speaks Dutch from its own catalog
    speak = ("import sys; from wikcli import i18n; assert str(i18n.LOCALE_DIR).startswith(sys.prefix); "
             "i18n.use('nl'); print(i18n._('Options'), i18n._('Next action'))")
    out = subprocess.run([str(fresh / "bin" / "python"), "-c", speak], capture_output=True, text=True, cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "Opties Volgende actie\n"), out.stderr

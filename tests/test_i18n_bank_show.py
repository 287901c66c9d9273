"""`wik bank`, `wik invoice show` and `wik check` in Dutch (counts in the right number: "1 dag te
laat", "3 betalingen geboekt"), and the same commands unchanged in English. The table's rule
words and the timeline's event words are Dutch; the JSON keeps the English values."""

from __future__ import annotations

import shutil

import pytest

from conftest import make_demo, run_cli

BARE = {"WIK_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "WIK_HOME": None}
DUTCH = {**BARE, "WIK_LANG": "nl"}
ENGLISH = {**BARE, "WIK_LANG": "en"}
DAY = "2026-11-25"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("nlbank") / "demo", DAY)


@pytest.fixture
def fresh(demo, tmp_path):
    """A copy of the demo home for a test that records."""
    home = tmp_path / "demo"
    shutil.copytree(demo, home)
    return home


def _run(env, *args):
    r = run_cli(*args, env=env)
    assert r.exit_code == 0, (args, r.stderr)
    return r.stdout.splitlines()


KEPT_REASON = ("      no known reference, no open invoice number in the text, and no open claim of this "
               "amount from a known IBAN or name")


def test_bank_import_in_dutch(fresh):
    args = ("bank", "import", fresh / "afschrift.xml", "--home", fresh, "--today", DAY)
    lines = [ln.rstrip() for ln in _run(DUTCH, *args, "--dry-run")]
    assert lines == [
        "afschrift.xml: camt.053.001.02 (ABN AMRO), 5 bijschrijvingen, samen € 2.223,78; overgeslagen: 1 afschrijving",
        "Zou 3 betalingen boeken:",
        "Datum           Bedrag  Factuur   Klant     Regel          Bewijs",
        "─" * 72,
        "2026-11-24    € 245,63  2026-072  meijer    kenmerk        RF832026072",
        "2026-11-24  € 1.315,00  2026-094  bakkerij  factuurnummer  2026-094",
        "2026-11-24    € 402,65  2026-087  jansen    bedrag         Pieter Jansen",
        "Zou 2 bijschrijvingen bewaren ter controle:",
        '  2026-11-24  € 225,00  Fam. de Vries NL22SNSB0912345678 "Eerste helft aanbetaling fotografie"',
        KEPT_REASON,
        '  2026-11-24  € 35,50  Kantoorvak BV NL31INGB0001122334 "Retour bestelling 778812"',
        KEPT_REASON,
        "Zou de IBAN van de betaler onthouden voor 3 klanten: meijer, bakkerij, jansen.",
    ]
    lines = [ln.rstrip() for ln in _run(DUTCH, *args)]
    assert lines[1] == "3 betalingen geboekt:"
    assert lines[7] == "2 bijschrijvingen bewaard ter controle (`wik bank unmatched`):"
    assert lines[-1] == "IBAN van de betaler onthouden voor 3 klanten: meijer, bakkerij, jansen."
    assert _run(DUTCH, *args)[1:] == ["5 bijschrijvingen al ingelezen: overgeslagen."]
    review = _run(DUTCH, "bank", "unmatched", "--home", fresh, "--today", DAY)
    assert review[0] == ("2 bijschrijvingen te controleren: `wik bank match TX NUMBER` of "
                         "`wik bank ignore TX --reason ...`")
    assert _run(DUTCH, "bank", "match", "37", "2026-101", "--home", fresh, "--today", DAY) == [
        "€ 225,00 van 2026-11-24 geboekt op factuur 2026-101."]
    assert _run(DUTCH, "bank", "ignore", "38", "--reason", "retour", "--home", fresh, "--today", DAY) == [
        "Bijschrijving van € 35,50 van 2026-11-24 genegeerd."]
    assert _run(DUTCH, "bank", "unmatched", "--home", fresh, "--today", DAY) == ["Geen bijschrijvingen te controleren."]
    # One of each: the singular.
    timeline = run_cli("invoice", "show", "2026-101", "--home", fresh, "--today", DAY, "--json", env=DUTCH).json()
    assert timeline["timeline"][-1]["type"] == "payment"
    assert timeline["timeline"][-1]["data"]["bank"]["rule"] == "manual"


def test_bank_import_stays_english(fresh):
    lines = [ln.rstrip() for ln in _run(ENGLISH, "bank", "import", fresh / "afschrift.xml", "--home", fresh,
                                        "--today", DAY, "--dry-run")]
    assert lines[:3] == [
        "afschrift.xml: camt.053.001.02 (ABN AMRO), 5 credit(s) of € 2.223,78; passed over: 1 debit",
        "Would book 3 payment(s):",
        "Date            Amount  Invoice   Client    Rule            Evidence",
    ]
    assert lines[5:8] == ["2026-11-24  € 1.315,00  2026-094  bakkerij  invoice number  2026-094",
                          "2026-11-24    € 402,65  2026-087  jansen    amount          Pieter Jansen",
                          "Would keep 2 credit(s) for review:"]


def test_bank_json_keeps_the_english_rules(fresh):
    args = ("bank", "import", fresh / "afschrift.xml", "--home", fresh, "--today", DAY, "--dry-run", "--json")
    dutch, english = run_cli(*args, env=DUTCH), run_cli(*args, env=ENGLISH)
    assert dutch.exit_code == english.exit_code == 0
    assert dutch.stdout == english.stdout
    assert "invoice_number" in dutch.stdout and "factuurnummer" not in dutch.stdout


def test_invoice_show_in_dutch(fresh):
    _run(DUTCH, "bank", "import", fresh / "afschrift.xml", "--home", fresh, "--today", DAY)
    lines = _run(DUTCH, "invoice", "show", "2026-072", "--home", fresh, "--today", DAY)
    assert lines == [
        "Factuur 2026-072 aan meijer (consument), gedateerd 2026-08-22, vervalt 2026-09-21: € 244,00",
        "  Portretsessie",
        "Tijdlijn:",
        "  #15    2026-08-22  factuur          € 244,00, vervalt 2026-09-21",
        "  #16    2026-09-26  brief verzonden  herinnering per post; termijn eindigt 2026-10-15; "
        "betalingskenmerk RF832026072",
        "  #17    2026-10-16  notitie          Voicemail ingesproken, niet teruggebeld",
        "  #29    2026-11-21  brief gemaakt    14-dagenbrief per post 2026-072-wik-2026-11-21.pdf; "
        "betalingskenmerk RF832026072",
        "  #30    2026-11-21  brief verzonden  14-dagenbrief per post 2026-072-wik-2026-11-21.pdf; kondigt € 48,40 "
        "kosten aan; termijn eindigt 2026-12-10; betalingskenmerk RF832026072",
        "  #31    2026-11-24  betaling         € 245,63 per overboeking van A. Meijer, gekoppeld op "
        "betalingskenmerk RF832026072",
        "Verschuldigd op 2026-11-25:",
        "  hoofdsom open            € 0,00",
        "  incassokosten            € 0,00  (verschuldigd vanaf 2026-12-11)",
        "  rente                    € 0,00  (consument)",
        "  te betalen               € 0,00",
        "Stand: gesloten (betaald); volgende actie: geen",
    ]
    english = _run(ENGLISH, "invoice", "show", "2026-072", "--home", fresh, "--today", DAY)
    assert english[0] == "Invoice 2026-072 for meijer (consumer), dated 2026-08-22, due 2026-09-21: € 244,00"
    assert english[4] == ("  #16    2026-09-26  letter-sent      reminder via post; term ends 2026-10-15; "
                          "reference RF832026072")
    assert english[8] == ("  #31    2026-11-24  payment          € 245,63 by bank transfer from A. Meijer, "
                          "matched by reference RF832026072")
    assert english[11] == "  collection costs         € 0,00  (owed from 2026-12-11)"
    # The JSON keeps the English event types.
    d = run_cli("invoice", "show", "2026-072", "--home", fresh, "--today", DAY, "--json", env=DUTCH).json()
    assert [e["type"] for e in d["timeline"]] == ["invoice-added", "letter-sent", "note", "letter-rendered",
                                                 "letter-sent", "payment"]


@pytest.fixture
def small(tmp_path):
    h = tmp_path / "home"
    for args in (
        ("init", "--home", h, "--name", "Foto", "--address", "Straat 1", "--postcode", "1015 AA", "--city",
         "Amsterdam", "--iban", "NL91ABNA0417164300", "--email", "info@foto.nl", "--no-vat-deductible"),
        ("client", "add", "p", "--name", "Piet", "--type", "consumer", "--address", "Dorp 1", "--postcode",
         "1234 AB", "--city", "Utrecht", "--home", h),
        ("invoice", "add", "F1", "--client", "p", "--amount", "900", "--date", "2026-01-05", "--due", "2026-02-04",
         "--home", h),
    ):
        _run(ENGLISH, *args)
    return h


@pytest.mark.parametrize(("day", "dutch", "english"), [
    ("2026-02-06", "F1: herinnering sturen op 2026-02-05, 1 dag te laat",
     "F1: send-reminder due 2026-02-05, 1 day overdue"),
    ("2026-02-07", "F1: herinnering sturen op 2026-02-05, 2 dagen te laat",
     "F1: send-reminder due 2026-02-05, 2 days overdue"),
])
def test_days_overdue_counted(small, day, dutch, english):
    for env, line in ((DUTCH, dutch), (ENGLISH, english)):
        r = run_cli("check", "--home", small, "--today", day, env=env)
        assert (r.exit_code, r.stdout.splitlines()) == (1, [line]), r.stderr


def test_import_counts_in_dutch(small, tmp_path):
    f = tmp_path / "facturen.csv"
    f.write_text("factuurnummer;factuurdatum;bedrag;klant;klantnummer\n"
                 "2026-130;2026-11-02;100,00;Piet;p\n"
                 "2026-131;2026-11-02;100,00;Bakker;\n", encoding="utf-8")
    args = ("import", f, "--dry-run", "--home", small)
    assert _run(DUTCH, *args) == [
        "Zou 2 facturen en 1 nieuwe klant toevoegen uit facturen.csv:",
        "  2026-130  p (op nummer)  € 100,00  gedateerd 2026-11-02, vervalt 2026-12-02 (standaardtermijn van 30 dagen)",
        "  2026-131  bakker (nieuwe klant)  € 100,00  gedateerd 2026-11-02, vervalt 2026-12-02 "
        "(standaardtermijn van 30 dagen)"]
    assert _run(ENGLISH, *args)[0] == "Would add 2 invoice(s) and 1 new client(s) from facturen.csv:"
    f.write_text("factuurnummer;factuurdatum;bedrag;klant;klantnummer\n"
                 "2026-130;2026-11-02;100,00;Piet;p\n", encoding="utf-8")
    assert _run(DUTCH, *args)[0] == "Zou 1 factuur en 0 nieuwe klanten toevoegen uit facturen.csv:"

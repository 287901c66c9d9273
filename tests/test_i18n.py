"""wik in Dutch at the terminal: the language chosen (WIK_LANG, the locale, ui.lang), help,
errors, tables and the demo in Dutch, JSON the same in both; and the catalog kept whole: a
message marked in the source without a Dutch translation fails here."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest

from conftest import run_cli
from wikcli import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "wikcli" / "locale" / "nl" / "LC_MESSAGES" / "wik.po"
MO = PO.with_suffix(".mo")
# No language from the test environment: each test says which hints are there.
BARE = {"WIK_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "WIK_HOME": None}
DUTCH = {**BARE, "LANG": "nl_NL.UTF-8"}


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("i18n") / "demo"
    r = run_cli("demo", "--dir", home, "--today", "2026-11-25", "--json")
    assert r.exit_code == 0, r.stderr
    return home


# -- which language ---------------------------------------------------------------------------

@pytest.mark.parametrize("environ, configured, expected", [
    ({}, None, "en"),                                             # no hint at all
    ({"LANG": "nl_NL.UTF-8"}, None, "nl"),
    ({"LANG": "nl_BE.UTF-8"}, None, "nl"),
    ({"LANG": "nl_NL.UTF-8", "WIK_LANG": "en"}, None, "en"),      # WIK_LANG first
    ({"LANG": "en_US.UTF-8", "WIK_LANG": "nl"}, None, "nl"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "nl_NL.UTF-8"}, None, "nl"),  # LC_ALL over LANG
    ({"LANG": "nl_NL.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, None, "en"),
    ({"LANG": "C.UTF-8"}, "nl", "nl"),                            # no locale hint: ui.lang
    ({"LANG": "de_DE.UTF-8"}, "nl", "nl"),
    ({"LANG": "en_US.UTF-8"}, "nl", "en"),                        # the locale before ui.lang
    ({"WIK_LANG": "fr"}, None, "en"),                              # a language wik lacks: no hint
])
def test_the_language_of_a_run(environ, configured, expected):
    assert i18n.choose(environ, configured) == expected


# -- Dutch at the terminal ---------------------------------------------------------------------

def test_status_in_dutch(demo_home):
    r = run_cli("status", "--home", demo_home, "--today", "2026-11-25", env=DUTCH)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].strip() == "Openstaande facturen op 2026-11-25"
    assert lines[1].split() == ["Factuur", "Klant", "Open", "Stap", "Volgende", "actie", "Vervalt", "Te", "laat"]
    rows = {ln.split()[0]: ln for ln in lines[3:] if ln.strip()}
    assert rows["2026-087"].split()[5:8] == ["bellen", "termijn", "najagen"]      # step 3, chase-installment
    assert rows["2026-072"].split()[5:9] == ["14-dagenbrief", "ingebrekestelling", "sturen", "2026-12-11"]
    assert rows["2026-101"].split()[5:8] == ["factuur", "herinnering", "sturen"]
    assert rows["2026-031"].split()[5:8] == ["overdracht", "geen", "-"]


def test_json_is_the_same_in_dutch(demo_home):
    args = ("status", "--home", demo_home, "--today", "2026-11-25", "--json")
    dutch, english = run_cli(*args, env=DUTCH), run_cli(*args, env={**DUTCH, "WIK_LANG": "en"})
    assert dutch.exit_code == english.exit_code == 0
    assert dutch.stdout == english.stdout
    assert {row["next_action"] for row in dutch.json()} >= {"send-reminder", "call-client", "hand-over"}


def test_check_lines_in_dutch(demo_home):
    r = run_cli("check", "--home", demo_home, "--today", "2026-11-25", env=DUTCH)
    assert r.exit_code == 1
    assert "2026-087: termijn najagen op 2026-11-11, 14 dagen te laat" in r.stdout.splitlines()


def test_help_in_dutch():
    r = run_cli("--help", env=DUTCH)
    assert r.exit_code == 0
    out = r.stdout
    assert out.startswith("Gebruik: wik [OPTIONS] COMMAND [ARGS]...")
    assert "\nOpties:\n" in out and "\nCommando's:\n" in out
    assert "Toon dit bericht en stop." in out
    assert "[omgevingsvariabele: WIK_VERBOSE]" in out
    assert "Voorbeeld:" in out and "Afsluitcodes: 0 klaar" in out
    assert "    wik demo --dir wik-demo" in out                # the examples stay as typed
    assert "Chase" not in out and "Options:" not in out


def test_a_command_page_in_dutch():
    r = run_cli("status", "--help", env=DUTCH)
    assert r.exit_code == 0
    assert ("Elke openstaande factuur, de dringendste eerst: stap, volgende actie, wanneer die moet."
            in " ".join(r.stdout.split()))
    assert "--all         Ook gesloten facturen." in r.stdout
    assert "Druk één JSON-document af in plaats van een tabel." in r.stdout
    assert "      wik status --all --json" in r.stdout


def test_errors_in_dutch(tmp_path):
    r = run_cli("calc", "12,345", env=DUTCH)
    assert (r.exit_code, r.stderr) == (2, "wik: fout: bedrag '12,345' is dubbelzinnig: schrijf 1234 of 1234,00 "
                                          "voor duizendtallen, of gebruik hoogstens twee decimalen\n")
    r = run_cli("status", "--home", tmp_path / "nowhere", env=DUTCH)
    assert (r.exit_code, r.stderr) == (2, f"wik: fout: geen wik-map in {tmp_path / 'nowhere'}: draai eerst `wik init`\n")
    r = run_cli("status", "--bogus", env=DUTCH)
    assert (r.exit_code, r.stderr) == (2, "wik: fout: Onbekende optie: --bogus (`wik status --help` toont de opties)\n")
    r = run_cli("interest", "100", env=DUTCH)                    # Click's own message, said again
    assert r.exit_code == 2 and r.stderr.startswith("wik: fout: Optie '--from' ontbreekt."), r.stderr


def test_the_demo_in_dutch(tmp_path):
    r = run_cli("demo", "--dir", tmp_path / "d", "--today", "2026-11-25", env=DUTCH)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith(f"Demo-map: {tmp_path / 'd'}\n")
    assert "Openstaande facturen op 2026-11-25" in r.stdout
    assert "De 14-dagenbrief van factuur 2026-072, verzonden 2026-11-21: " in r.stdout
    assert "Ga verder met: " in r.stdout and "(of: export WIK_HOME=" in r.stdout


def test_wik_lang_en_wins_over_a_dutch_locale(demo_home):
    env = {**DUTCH, "WIK_LANG": "en"}
    r = run_cli("status", "--home", demo_home, "--today", "2026-11-25", env=env)
    assert r.stdout.splitlines()[0].strip() == "Open invoices on 2026-11-25"
    assert run_cli("--help", env=env).stdout.startswith("Usage: wik [OPTIONS]")
    assert run_cli("calc", "abc", env=env).stderr.startswith("wik: error: amount 'abc' is not an amount")


def test_ui_lang_in_the_config(tmp_path):
    home = tmp_path / "h"
    assert run_cli("init", "--home", home, "--name", "Studio", "--iban", "NL91ABNA0417164300").exit_code == 0
    with open(home / "config.toml", "a", encoding="utf-8") as f:
        f.write('\n[ui]\nlang = "nl"\n')
    r = run_cli("status", "--home", home, "--today", "2026-11-25", env={**BARE, "LANG": "C.UTF-8"})
    assert (r.exit_code, r.stdout) == (0, "Geen openstaande facturen op 2026-11-25.\n")
    r = run_cli("status", "--today", "2026-11-25", env={**BARE, "WIK_HOME": str(home)})
    assert r.stdout == "Geen openstaande facturen op 2026-11-25.\n"
    r = run_cli("status", "--home", home, "--today", "2026-11-25", env={**BARE, "LANG": "en_US.UTF-8"})
    assert r.stdout == "No open invoices on 2026-11-25.\n"
    # wik init --force changes what it is given and keeps [ui]
    r = run_cli("init", "--home", home, "--force", "--city", "Zwolle", env={**BARE, "LANG": "C"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Geschreven: ")
    assert 'lang = "nl"' in (home / "config.toml").read_text(encoding="utf-8")


def test_ui_lang_is_checked(tmp_path):
    home = tmp_path / "h"
    assert run_cli("init", "--home", home, "--name", "Studio", "--iban", "NL91ABNA0417164300").exit_code == 0
    with open(home / "config.toml", "a", encoding="utf-8") as f:
        f.write('\n[ui]\nlang = "de"\n')
    r = run_cli("status", "--home", home, env=BARE)
    assert (r.exit_code, r.stderr) == (2, "wik: error: config.toml: ui.lang 'de' is not supported: expected nl or en\n")


def test_dutch_option_words_still_work_in_dutch(demo_home):
    r = run_cli("deadline", "--sent", "2026-11-20", "--via", "e-mail", "--json", env=DUTCH)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == run_cli("deadline", "--sent", "2026-11-20", "--via", "email", "--json").stdout
    r = run_cli("report", "collected", "--home", demo_home, "--today", "2026-11-25", "--from", "2026-01-01",
                "--to", "2026-11-25", "--by", "kwartaal", "--json", env=DUTCH)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == run_cli("report", "collected", "--home", demo_home, "--today", "2026-11-25", "--from",
                               "2026-01-01", "--to", "2026-11-25", "--by", "quarter", "--json").stdout


# -- the catalog ---------------------------------------------------------------------------------

def _source_msgids() -> set:
    """Every msgid marked in the source today, extracted as `pybabel extract -F babel.cfg` does."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _po():
    from babel.messages.pofile import read_po

    with open(PO, "rb") as f:
        return read_po(f, locale="nl")


def test_every_marked_message_has_a_dutch_translation():
    """The guard for later merges: a message marked with _() (or a command's docstring) that
    the Dutch catalog lacks fails here. Run `pybabel extract` and translate it in wik.po."""
    catalog = _po()
    source = _source_msgids()
    assert len(source) > 300
    def translated(msgid) -> bool:
        entry = catalog.get(msgid)
        if entry is None or entry.fuzzy:
            return False
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        return all(forms)

    untranslated = sorted(m for m in source if not translated(m))
    assert untranslated == [], f"{len(untranslated)} message(s) without Dutch: {untranslated[:5]}"


def test_translations_keep_their_placeholders():
    """A Dutch text that drops or renames a {placeholder} would fail at .format() at run time."""
    field = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")
    wrong = [m.id for m in _po() if m.id and isinstance(m.id, str)
             and sorted(field.findall(m.id)) != sorted(field.findall(m.string))]
    assert wrong == []


def test_the_compiled_catalog_matches_its_source():
    """The .mo is committed beside the .po (an editable install reads the source tree): it
    must say exactly what the .po says. `pybabel compile -d wikcli/locale -D wik` renews it."""
    from babel.messages.mofile import write_mo

    fresh = io.BytesIO()
    write_mo(fresh, _po())
    fresh.seek(0)
    expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
    with open(MO, "rb") as f:
        committed = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    assert committed == expected
    assert committed["Next action"] == "Volgende actie"


def test_a_help_text_is_looked_up_paragraph_by_paragraph():
    i18n.use("nl")
    text = "Example:\n\n\b\n    wik status\n\nPrint the version and exit.\n"
    assert i18n._(text) == "Voorbeeld:\n\n\b\n    wik status\n\nToon de versie en stop.\n"
    assert i18n.paragraphs(text) == ["Example:", "Print the version and exit."]
    assert i18n._("a text nobody marked") == "a text nobody marked"


# Command modules whose help is not yet translated: none any more.
LATER: set[str] = set()


def _commands():
    import typer.main

    from wikcli.cli import app

    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, path + (name,))

    return list(walk(typer.main.get_command(app), ("wik",)))


@pytest.mark.parametrize("path, command", _commands(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_help_text_is_in_dutch(path, command):
    """Each command's description and each option's help has a Dutch text: a help text added
    without _() (or not yet translated) fails here, naming the command and the option."""
    i18n.use("nl")
    module = getattr(getattr(command, "callback", None), "__module__", "")
    texts = [("(description)", command.help)] if command.help and path != ("wik", "bank") else []
    if module not in LATER:
        texts += [(max(p.opts, key=len), p.help) for p in command.params if getattr(p, "help", None)]
    english = [(name, text) for name, text in texts if i18n._(text) == text]
    assert english == [], f"{' '.join(path)}: no Dutch for {english[:3]}"


# -- the refusals of the lower layers ----------------------------------------------------------

@pytest.fixture
def imported_home(tmp_path):
    """The demo with its bank statement imported: 2026-072 paid but € 0,11 of interest, credit
    #37 (€ 225,00) kept for review."""
    home = tmp_path / "demo"
    assert run_cli("demo", "--dir", home, "--today", "2026-11-25", "--json").exit_code == 0
    r = run_cli("bank", "import", home / "afschrift.xml", "--home", home, "--today", "2026-11-25", "--json")
    assert r.exit_code == 0, r.stderr
    return home


REFUSALS = [
    # a letter for an invoice the ledger does not know
    (("letter", "NOPE"),
     "invoice 'NOPE' is not in the ledger: see `wik invoice list`",
     "factuur 'NOPE' staat niet in de administratie: zie `wik invoice list`"),
    # a letter refused: a WIK-letter before default (ledger/claims.py)
    (("letter", "2026-101", "--kind", "wik"),
     "invoice '2026-101' is not in default until 2026-12-19: a WIK-letter can only follow default (art. 6:96 lid 6 BW)",
     "factuur '2026-101' is pas vanaf 2026-12-19 in verzuim: een 14-dagenbrief kan pas na het verzuim volgen "
     "(art. 6:96 lid 6 BW)"),
    # a letter nobody needs: the next action named in the run's language
    (("letter", "2026-031"),
     "invoice '2026-031' needs no letter now (next action: none): give --kind to make one anyway",
     "factuur '2026-031' heeft nu geen brief nodig (volgende actie: geen): geef --kind om er toch een te maken"),
    # nothing to amend (ledger/amend.py)
    (("invoice", "amend", "2026-101"),
     "invoice '2026-101': nothing to amend: give a new --amount, --date, --term/--due or --client that differs "
     "from what it holds",
     "factuur '2026-101': niets te wijzigen: geef een nieuwe --amount, --date, --term/--due of --client die "
     "afwijkt van wat er staat"),
    # no credit to set off (ledger/client_account.py)
    (("credit", "apply", "devries"),
     "client 'devries' holds no credit on 2026-11-25: nothing to set off",
     "klant 'devries' heeft op 2026-11-25 geen tegoed: niets te verrekenen"),
]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("args, english, dutch", REFUSALS, ids=[" ".join(c[0]) for c in REFUSALS])
def test_a_refusal_of_the_ledger_in_either_language(demo_home, lang, args, english, dutch):
    r = run_cli(*args, "--home", demo_home, "--today", "2026-11-25", env={**BARE, "WIK_LANG": lang})
    prefix = "wik: error: " if lang == "en" else "wik: fout: "
    assert (r.exit_code, r.stderr) == (2, prefix + (english if lang == "en" else dutch) + "\n")


@pytest.mark.parametrize("lang, expected", [
    ("en", "wik: error: payment € 225,00 on invoice '2026-072' is more than the € 0,00 due on 2026-11-25 "
           "(payments recorded since 2026-11-24): add --allow-overpayment to record the rest as credit\n"),
    ("nl", "wik: fout: betaling € 225,00 op factuur '2026-072' is meer dan de € 0,00 die op 2026-11-25 "
           "verschuldigd is (betalingen vastgelegd sinds 2026-11-24): voeg --allow-overpayment toe om de rest "
           "als tegoed vast te leggen\n"),
])
def test_an_overpayment_refused_in_either_language(imported_home, lang, expected):
    """A kept credit of € 225,00 matched by hand to an invoice its statement already paid."""
    before = (imported_home / "journal.jsonl").read_bytes()
    r = run_cli("bank", "match", "37", "2026-072", "--home", imported_home, "--today", "2026-11-25",
                env={**BARE, "WIK_LANG": lang})
    assert (r.exit_code, r.stderr) == (2, expected)
    assert (imported_home / "journal.jsonl").read_bytes() == before


def test_a_kept_credits_reason_stays_english_in_a_dutch_run(tmp_path):
    """The reason a credit is kept is recorded in the journal and shown in JSON: never translated."""
    home = tmp_path / "demo"
    assert run_cli("demo", "--dir", home, "--today", "2026-11-25", "--json").exit_code == 0
    r = run_cli("bank", "import", home / "afschrift.xml", "--home", home, "--today", "2026-11-25",
                env={**BARE, "WIK_LANG": "nl"})
    assert r.exit_code == 0, r.stderr
    journal = (home / "journal.jsonl").read_text(encoding="utf-8")
    assert '"reason":"no known reference, no open invoice number in the text' in journal


@pytest.mark.parametrize("lang, expected", [
    ("en", "wik: error: factuur.pdf is a PDF, not a CSV export or a UBL e-invoice (XML): export the invoices "
           "from your bookkeeping as CSV or UBL, and import that file\n"),
    ("nl", "wik: fout: factuur.pdf is een pdf, geen CSV-export of UBL-e-factuur (XML): exporteer de facturen "
           "uit uw boekhouding als CSV of UBL en importeer dat bestand\n"),
])
def test_a_bad_import_file_refused_in_either_language(demo_home, tmp_path, lang, expected):
    pdf = tmp_path / "factuur.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    r = run_cli("import", pdf, "--home", demo_home, env={**BARE, "WIK_LANG": lang})
    assert (r.exit_code, r.stderr.replace(str(tmp_path) + "/", "")) == (2, expected)


@pytest.mark.parametrize("lang, expected", [
    ("en", "wik: error: facturen.csv line 2: date '31-02-2026' is not a date: expected 2026-11-24 or 24-11-2026\n"),
    ("nl", "wik: fout: facturen.csv regel 2: datum '31-02-2026' is geen datum: verwacht 2026-11-24 of 24-11-2026\n"),
])
def test_a_bad_line_of_an_import_refused_in_either_language(demo_home, tmp_path, lang, expected):
    csv = tmp_path / "facturen.csv"
    csv.write_text("factuurnummer;factuurdatum;bedrag;klant\n2026-200;31-02-2026;100,00;Nieuw BV\n", encoding="utf-8")
    r = run_cli("import", csv, "--home", demo_home, env={**BARE, "WIK_LANG": lang})
    assert (r.exit_code, r.stderr.replace(str(tmp_path) + "/", "")) == (2, expected)


def test_the_delivery_rule_in_dutch_and_its_json_in_english(demo_home):
    args = ("deadline", "--sent", "2026-11-25", "--delivery-days", "4", "--home", demo_home)
    nl = run_cli(*args, env={**BARE, "WIK_LANG": "nl"}).stdout
    assert ("Bezorgregel:     4e bezorgdag, zo ingesteld met --delivery-days; de norm geeft de 3e: PostNL bezorgt "
            "vanaf 2026-07-01 binnen 2 dagen, plus één dag marge\n") in nl
    en = run_cli(*args, env={**BARE, "WIK_LANG": "en"}).stdout
    assert ("Delivery rule:   4th delivery day, as set with --delivery-days; the norm gives the 3rd: PostNL "
            "delivers within 2 days from 2026-07-01, plus one day of margin\n") in en
    as_json = [run_cli(*args, "--json", env={**BARE, "WIK_LANG": lang}).stdout for lang in ("nl", "en")]
    assert as_json[0] == as_json[1]

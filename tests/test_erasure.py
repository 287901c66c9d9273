"""`wik forget` erases a client from every file wik wrote or owns in the home: a home with
every kind of copy (letters, e-mails, a statement, a dossier, the calendar, bank credits
booked, kept and ignored, a torn tail moved aside, temporary copies of killed writes, the
caches), every file listed and searched afterwards, PDF text extracted and e-mail decoded."""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from test_cli_ledger import _ok, init_home

NAME = "Anna Visser"
ADDRESS = "Geheimstraat 12"
POSTCODE = "9999 ZZ"
EMAIL = "anna@visser-mail.nl"
IBAN = "NL20INGB0001234567"
PAYER = "A. VISSER"
TEXTS = ("Betaling V-2017-001 namens Anna", "terugbetaling lening kapotte fiets", "privé lening van mijn zus")
CLIENT_ID = "visser"
SECRETS = (NAME, "Visser", ADDRESS, POSTCODE, EMAIL, IBAN, PAYER, *TEXTS, CLIENT_ID)

STATEMENT = f"""\
:20:STMT1
:25:NL91ABNA0417164300 EUR
:28:00001
:60F:C170301EUR100,00
:61:1703150315C121,00NTRFNONREF
:86:/IBAN/{IBAN}/NAME/{PAYER}/REMI/{TEXTS[0]}
:61:1703160316C55,55NTRFNONREF
:86:/IBAN/{IBAN}/NAME/{PAYER}/REMI/{TEXTS[1]}
:61:1703170317C7,00NTRFNONREF
:86:/IBAN/NL44RABO0123456789/NAME/Piet Blijft/REMI/Voor Piet
:62F:C170317EUR283,55
-
"""


def texts_of(path: Path) -> str:
    """What a person could read in the file: a PDF's text, an e-mail decoded with its
    attachments, anything else as text."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        try:
            return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages) + data.decode(
                "latin-1")
        except Exception:  # a half-written PDF: its bytes are all there is
            return data.decode("latin-1")
    if path.suffix == ".eml" or b"\nMIME-Version:" in data:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        out = [str(v) for _, v in msg.items()]
        for part in msg.walk():
            payload = part.get_payload(decode=True)
            if payload is None:
                continue
            if payload.startswith(b"%PDF"):
                out.append("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(payload)).pages))
            else:
                out.append(payload.decode("utf-8", errors="replace"))
        return "\n".join(out) + data.decode("utf-8", errors="replace")
    return data.decode("utf-8", errors="replace")


def found(roots) -> dict[str, list[str]]:
    """Each secret and the files (of every file under ``roots``) that hold it."""
    out: dict[str, list[str]] = {}
    for root in roots:
        for p in sorted(Path(root).rglob("*")):
            if p.is_file() and not p.is_symlink():
                text = texts_of(p).casefold()
                for s in SECRETS:
                    if s.casefold() in text:
                        out.setdefault(s, []).append(str(p.relative_to(root)))
    return out


def build(tmp_path: Path) -> str:
    h = init_home(tmp_path)
    ok = lambda *a: _ok(*a, "--home", h)  # noqa: E731
    ok("client", "add", CLIENT_ID, "--name", NAME, "--address", ADDRESS, "--postcode", POSTCODE, "--city", "Utrecht",
       "--email", EMAIL)
    ok("client", "add", "piet", "--name", "Piet Blijft")
    ok("invoice", "add", "V-2017-001", "--client", CLIENT_ID, "--amount", "121", "--date", "2017-01-02")
    ok("invoice", "add", "V-2017-002", "--client", CLIENT_ID, "--amount", "300", "--date", "2017-01-03")
    ok("invoice", "add", "P-2017-001", "--client", "piet", "--amount", "50", "--date", "2017-01-02")
    ok("note", "V-2017-002", f"{NAME} belde vanaf {IBAN}", "--date", "2017-02-10", "--today", "2017-02-10")
    ok("letter", "V-2017-002", "--kind", "reminder", "--sent", "2017-02-11", "--today", "2017-02-11")
    ok("send", "V-2017-002", "--kind", "wik", "--dry-run", "--today", "2017-02-20")
    ok("letter", "V-2017-002", "--kind", "default", "--sent", "2017-03-10", "--force", "--today", "2017-03-10")
    ok("calendar", "--today", "2017-03-10")
    ok("statement", CLIENT_ID, "--today", "2017-03-12")
    sta = tmp_path / "s.sta"
    sta.write_text(STATEMENT, encoding="utf-8")
    ok("bank", "import", str(sta), "--today", "2017-03-20")
    unmatched = _ok("bank", "unmatched", "--json", "--home", h, "--today", "2017-03-20").json()
    tx = next(u for u in unmatched if u["amount"] == "55.55")
    ok("bank", "ignore", str(tx["tx"]), "--reason", TEXTS[2], "--today", "2017-03-20")
    ok("handover", "V-2017-002", "--force", "--today", "2017-04-01")
    ok("close", "V-2017-002", "--reason", "handed-over", "--today", "2017-04-02")
    # A power cut in the middle of a note: the torn tail `wik repair` moves aside holds it.
    journal = Path(h) / "journal.jsonl"
    with open(journal, "ab") as f:
        f.write(json.dumps({"seq": 999, "type": "note", "invoice": "V-2017-002",
                            "data": {"text": f"{NAME}, {ADDRESS}"}}, ensure_ascii=False).encode()[:-5])
    ok("repair")
    ok("status", "--today", "2017-04-02")  # the caches: snapshot, overview, seen
    # Killed writes: a letter's temporary copy, and a rewrite's copy of the whole journal.
    letters = Path(h) / "letters"
    pdf = next(letters.glob("V-2017-002-default-*.pdf"))
    (letters / f".V-2017-002-reminder-2017-04-02.pdf.tmp-{os.getpid() + 7}").write_bytes(pdf.read_bytes())  # killed before its rename
    (Path(h) / f".journal.jsonl.tmp-{os.getpid() + 8}").write_bytes(journal.read_bytes())
    return h


@pytest.mark.parametrize("linked", [False, True], ids=["journal", "symlinked-journal"])
def test_forget_leaves_nothing_of_the_client_in_any_file(tmp_path, linked):
    h = build(tmp_path)
    home = Path(h)
    roots = [home]
    if linked:  # the journal kept elsewhere, the home holding a link to it
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        shutil.move(home / "journal.jsonl", elsewhere / "journal.jsonl")
        (home / "journal.jsonl").symlink_to(elsewhere / "journal.jsonl")
        roots.append(elsewhere)
    before = found(roots)
    # Not vacuous: every secret is somewhere, and every kind of copy holds some.
    assert sorted(before) == sorted(SECRETS)
    where = {f for files in before.values() for f in files}
    for kind in ("letters/", "outbox/", "statements/", "handover/", "journal.torn-", ".journal.jsonl.tmp-",
                 "letters/.V-2017-002-reminder", "wik.ics", "journal.snapshot", "journal.overview"):
        assert any(f.startswith(kind) for f in where), kind
    assert any(f.endswith("journal.jsonl") for f in where)

    r = _ok("forget", CLIENT_ID, "--home", h, "--today", "2025-01-02")
    assert r.stdout.startswith(f"Forgot client {CLIENT_ID} (now forgotten-")
    assert found(roots) == {}
    # The link is still a link, and the journal it points to took the erasure and the tombstone.
    if linked:
        assert (home / "journal.jsonl").is_symlink()
        assert b'"client-forgotten"' in (roots[1] / "journal.jsonl").read_bytes()
    # The books stay: piet untouched, the amounts and the other client's bank credit kept.
    assert _ok("invoice", "show", "P-2017-001", "--json", "--home", h, "--today", "2025-01-02").json()["principal"] \
        == "50.00"
    assert "Piet Blijft" in texts_of(home / "journal.jsonl")
    assert _ok("status", "--home", h, "--today", "2025-01-02").stdout


def test_export_client_holds_every_event_naming_the_client_or_its_iban(tmp_path):
    h = build(tmp_path)
    d = _ok("export-client", CLIENT_ID, "--home", h).json()
    kinds = [e["type"] for e in d["events"]]
    for kind in ("client-added", "client-iban", "invoice-added", "note", "letter-sent", "statement-rendered",
                 "payment", "bank-unmatched", "bank-ignored", "handed-over", "closed"):
        assert kind in kinds, kind
    ignored = next(e for e in d["events"] if e["type"] == "bank-ignored")
    assert ignored["data"]["reason"] == TEXTS[2]
    kept = next(e for e in d["events"] if e["type"] == "bank-unmatched")
    assert (kept["data"]["bank"]["counterparty_iban"], kept["data"]["bank"]["text"]) == (IBAN, TEXTS[1])
    # nothing of the other client
    assert "Piet" not in json.dumps(d) and "P-2017-001" not in json.dumps(d)

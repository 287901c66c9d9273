"""A debtor's personal data: what wik holds about one client, and how it is erased.

The journal is append-only, with one exception the law makes: once the retention period
has run out, the right to erasure (AVG/GDPR art. 17) outweighs keeping the record, so
``redact`` blanks the personal fields of that client's events in place. Amounts, dates and
invoice numbers stay: they are the creditor's bookkeeping, not the debtor's identity.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from wikcli.ledger import facts
from wikcli.ledger.events import (
    BANK_IGNORED, BANK_UNMATCHED, CLIENT_ADDED, CLIENT_ADDRESS, CLIENT_EMAIL, CLIENT_IBAN,
    INVOICE_ADDED, LETTER_SENT, MAIL_ATTEMPT, NOTE, PAUSED, PAYMENT, STATEMENT_RENDERED,
    TERMS_AGREED,
)
from wikcli.i18n import _

if TYPE_CHECKING:
    from wikcli.store.home import Home

PERSONAL = ("name", "address", "postcode", "city", "email", "external_id")  # an imported id may be an e-mail address
# What a bank transaction says about the payer (the amount, dates and keys are bookkeeping).
BANK_PERSONAL = ("counterparty_name", "counterparty_iban", "text", "end_to_end")
BLANK = "(forgotten)"


def bank_keys(events, numbers: set[str]) -> set[str]:
    """The keys of the bank transactions booked on these invoices."""
    return {e.data["bank"]["key"] for e in events
            if e.type == PAYMENT and e.invoice in numbers and e.data.get("bank")}


def _blank_bank(b: dict) -> dict | None:
    blank = {**b, **{k: "" for k in BANK_PERSONAL if b.get(k)}}
    if b.get("rule") == "amount":  # the evidence of an amount match is the payer's IBAN or name
        blank["evidence"] = ""
    return None if blank == b else blank


def client_bank_keys(events, ledger, client_id: str, numbers: set[str]) -> set[str]:
    """Every bank transaction that names the client: booked on its invoices, or kept for
    review (and perhaps ignored since) from one of its IBANs, in its name, with one of its
    invoices as a candidate or its number in the text."""
    import re

    from wikcli.bank.statements import iban_key, name_key

    keys = bank_keys(events, numbers)
    client = ledger.clients.get(client_id)
    ibans = {iban_key(i) for i in (client.ibans if client is not None else ()) if i}
    ibans |= {iban_key(e.data["iban"]) for e in events
              if e.type == CLIENT_IBAN and e.data.get("id") == client_id and e.data.get("iban")}
    name = name_key(client.name) if client is not None and client.name not in ("", BLANK) else ""
    mention = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in sorted(numbers))) if numbers else None
    for e in events:
        b = e.data.get("bank") if e.type in (BANK_UNMATCHED, PAYMENT) else None
        if not b:
            continue
        if ((b.get("counterparty_iban") and iban_key(b["counterparty_iban"]) in ibans)
                or (name and b.get("counterparty_name") and name_key(b["counterparty_name"]) == name)
                or any(n in numbers for c in e.data.get("candidates") or () for n in c.get("invoices", ()))
                or (mention is not None and mention.search(b.get("text") or ""))):
            keys.add(b["key"])
    return keys


def names_client(event, client_id: str, numbers: set[str], keys: set[str]) -> bool:
    """Whether ``event`` is about the client: its invoices, its record, its statements, a bank
    transaction that names it."""
    d = event.data
    return (event.invoice in numbers
            or (event.invoice is None and d.get("id") == client_id)
            or (event.type in (STATEMENT_RENDERED, TERMS_AGREED) and d.get("client") == client_id)
            or (event.type in (BANK_UNMATCHED, PAYMENT) and bool(d.get("bank"))
                and d["bank"].get("key") in keys)
            or (event.type == BANK_IGNORED and d.get("key") in keys))


def export(events, client_id: str) -> dict:
    from wikcli.ledger.commands import LedgerError

    ledger = facts.fold(events)
    client = ledger.clients.get(client_id)
    if client is None:
        raise LedgerError(_("client {client!r} is not in the ledger: see `wik client list`").format(
                             client=client_id[:80]))
    numbers = {inv.number for inv in ledger.invoices.values() if inv.client == client_id}
    keys = client_bank_keys(events, ledger, client_id, numbers)
    return {
        "client": dict(client.__dict__),
        "forgotten": client_id in ledger.forgotten,
        "invoices": sorted(numbers),
        "events": [{"seq": e.seq, "at": e.at, "type": e.type, "invoice": e.invoice, "data": e.data}
                   for e in events if names_client(e, client_id, numbers, keys)],
    }


def access(home: Home, client_id: str) -> dict:
    """Everything the journal holds about client ``client_id`` (any case), as ``export``
    gives it: `wik export-client`, for a data-subject access request."""
    from wikcli.ledger.commands import client_id_of

    events = home.journal.events()
    return export(events, client_id_of(facts.fold(events), client_id))


def redact(event, client_id: str, numbers: set[str], keys: frozenset[str] | set[str] = frozenset()) -> dict | None:
    """The blanked data of ``event`` if it holds the client's personal data, else None.
    ``keys``: the bank transactions booked on the client's invoices (``bank_keys``), whose
    earlier record as a credit kept for review names the payer too."""
    data = event.data
    if event.type == CLIENT_ADDED and data.get("id") == client_id:
        blank = {**data, **{k: (BLANK if k == "name" else "") for k in PERSONAL if k in data}}
        return None if blank == data else blank  # erasing twice changes nothing
    if event.type == CLIENT_ADDRESS and data.get("id") == client_id:
        blank = {**data, **{k: "" for k in PERSONAL if k in data}}
        return None if blank == data else blank
    if event.type == CLIENT_EMAIL and data.get("id") == client_id:
        blank = {**data, "source": BLANK if data.get("source") else "", **({"email": ""} if "email" in data else {})}
        return None if blank == data else blank
    if event.type == MAIL_ATTEMPT and event.invoice in numbers and data.get("to"):
        return {**data, "to": ""}
    if event.type == LETTER_SENT and event.invoice in numbers and (data.get("email") or {}).get("to"):
        return {**data, "email": {**data["email"], "to": ""}}
    if event.type == CLIENT_IBAN and data.get("id") == client_id:
        return {**data, "iban": ""} if data.get("iban") else None
    if event.type == BANK_UNMATCHED and data["bank"]["key"] in keys:
        b = _blank_bank(data["bank"])
        return None if b is None else {**data, "bank": b}
    if event.type == PAYMENT and event.invoice in numbers and data.get("bank"):
        b = _blank_bank(data["bank"])
        return None if b is None else {**data, "bank": b}
    if event.invoice in numbers:
        if event.type == NOTE and data.get("text") not in ("", BLANK):
            return {**data, "text": BLANK}
        if event.type == INVOICE_ADDED and data.get("description"):
            return {**data, "description": ""}
        if event.type == PAUSED and data.get("reason") not in ("", BLANK):
            return {**data, "reason": BLANK}
    return None


def derived_files(home: Path, numbers: set[str], recorded: frozenset[str] | set[str] = frozenset(),
                  client_id: str | None = None) -> list[Path]:
    """Archived letters, e-mails and dossiers of these invoices, and the statements of account
    of ``client_id`` (their copies are personal data).

    Names are matched whole (``<number>-<kind>-<date>[-n].pdf|.eml``, ``<number>-<date>/``,
    ``<client>-statement-<date>[-n].pdf|.eml``), so invoice ``J1`` never takes the files of an
    invoice ``J1-2``. ``recorded`` are the file and folder names the journal holds for these
    invoices: found whatever rule named them (a letter about several invoices, or an older
    wik that named some numbers' files differently).
    """
    import re

    from wikcli.documents.letter import file_stem

    out = []
    safe = "|".join(re.escape(file_stem(n)) for n in sorted(numbers))
    own = re.compile(rf"(?:{safe})-(?:(?:reminder|wik|default)-)?\d{{4}}-\d{{2}}-\d{{2}}(?:-\d+)?(?:\.pdf|\.eml)?") \
        if safe else None
    exact = {n for n in recorded if n and Path(n).name == n}
    exact |= {Path(n).stem + ".eml" for n in exact if n.endswith(".pdf")}
    out += _matching(home, ("letters", "outbox", "handover"),
                     lambda top: (own is not None and own.fullmatch(top) is not None) or top in exact)
    if client_id is not None:
        from wikcli.documents.account import file_pattern

        pattern = file_pattern(client_id)
        out += _matching(home, ("statements", "outbox"), lambda top: pattern.fullmatch(top) is not None)
    return out


def _matching(home: Path, folders, wanted) -> list[Path]:
    """The files in ``folders`` whose top-level name (file or folder) ``wanted`` accepts."""
    out = []
    for folder in folders:
        base = home / folder
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            top = p.relative_to(base).parts[0]
            # A hidden temporary copy of an archive, left by a write that was killed
            if p.is_file() and (wanted(top) or (_temp_target(top) is not None and wanted(_temp_target(top)))):
                out.append(p)
    return out


# --------------------------------------------------------------------------- erasure everywhere

PSEUDONYM_PREFIX = "forgotten-"


def pseudonym(ledger) -> str:
    """A new client id for a forgotten client: random, so nothing of the old id (often a
    surname) can be read back from it."""
    import secrets

    while True:
        pid = PSEUDONYM_PREFIX + secrets.token_hex(4)
        if pid not in ledger.clients:
            return pid


class Erasure:
    """What ``wik forget`` erases of one client, worked out from the journal under its lock."""

    def __init__(self, events, client_id: str, new_id: str) -> None:
        ledger = facts.fold(events)
        self.client_id, self.new_id = client_id, new_id
        self.numbers = {inv.number for inv in ledger.invoices.values() if inv.client == client_id}
        self.keys = client_bank_keys(events, ledger, client_id, self.numbers)
        # The letters' and dossiers' names as the journal holds them.
        self.recorded = {str(e.data.get("file") or e.data.get("dossier") or "") for e in events
                         if e.invoice in self.numbers}
        # Every text the erasure takes out of the journal: what other files are searched for.
        found: set[str] = {client_id}
        for e in events:
            new = self.change(e)
            if new is not None:
                _removed(e.data, new, found)
        client = ledger.clients.get(client_id)
        if client is not None:
            found |= {v for v in (client.name, client.address, client.postcode, client.email, client.external_id,
                                  *client.ibans)
                      if v and v != BLANK}
        self.secrets = sorted((t for t in found if len(t.strip()) >= 3 and t != BLANK), key=len, reverse=True)

    def change(self, event) -> dict | None:
        """The event's data with the client's personal data blanked and its id replaced; None
        if nothing changes (erasing twice changes nothing)."""
        data = redact(event, self.client_id, self.numbers, self.keys)
        base = event.data if data is None else data
        if event.type == PAYMENT and event.invoice not in self.numbers and base.get("bank") \
                and base["bank"].get("key") in self.keys:
            b = _blank_bank(base["bank"])  # paid on another client's invoice from this client's account
            base = base if b is None else {**base, "bank": b}
        if event.type == BANK_IGNORED and base.get("key") in self.keys and base.get("reason") not in ("", BLANK):
            base = {**base, "reason": BLANK}
        renamed = self._rename(base)
        return None if renamed == event.data else renamed

    def _rename(self, obj):
        if isinstance(obj, dict):
            out = {}
            for k, v in obj.items():
                if k in ("id", "client") and v == self.client_id:
                    v = self.new_id
                elif k == "file" and isinstance(v, str) and v.startswith(f"{self.client_id}-statement-"):
                    v = self.new_id + v[len(self.client_id):]
                else:
                    v = self._rename(v)
                out[k] = v
            return out
        if isinstance(obj, list):
            return [self._rename(v) for v in obj]
        return obj

    def scrub(self, data: bytes) -> bytes:
        """``data`` with every erased text taken out, as written raw or inside JSON."""
        import json

        for text in self.secrets:
            for form in {text, json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1]}:
                data = data.replace(form.encode("utf-8"), BLANK.encode())
        return data


def _removed(old, new, found: set[str]) -> None:
    """The texts of ``old`` that ``new`` no longer holds."""
    if isinstance(old, dict) and isinstance(new, dict):
        for k, v in old.items():
            _removed(v, new.get(k), found)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for a, b in zip(old, new):
            _removed(a, b, found)
    elif isinstance(old, str) and old != new and old:
        found.add(old)


def _temp_target(name: str) -> str | None:
    """The file a hidden temporary copy (``.<name>.tmp-<pid>``) was being written for."""
    import re

    m = re.fullmatch(r"\.(.+)\.tmp-\d+", name)
    return m.group(1) if m else None


def leftovers(home: Path, journal_path: Path, erasure: Erasure) -> tuple[list[Path], list[Path]]:
    """(files to delete, files to scrub) beyond the archives ``derived_files`` finds: copies of
    the journal a killed rewrite left, derived files (the calendar) and temporary copies
    holding the client's data, and the torn tails ``wik repair`` moved aside."""
    delete, scrub = [], []
    real = Path(os.path.realpath(journal_path))
    folders = {Path(home)} | {real.parent}
    for folder in sorted(folders):
        for p in sorted(folder.iterdir()):
            if p.is_symlink() or not p.is_file():
                continue
            target = _temp_target(p.name)
            if target in (journal_path.name, real.name):
                delete.append(p)  # a whole journal, of a rewrite that was killed
                continue
            if p.name.startswith("journal.torn-") and p.name.endswith(".jsonl"):
                if erasure.scrub(p.read_bytes()) != p.read_bytes():
                    scrub.append(p)
                continue
            if (target is not None or p.name == "wik.ics") and _holds(p, erasure):
                delete.append(p)  # made again by the command that writes it
    return delete, scrub


def _holds(p: Path, erasure: Erasure) -> bool:
    data = p.read_bytes()
    return erasure.scrub(data) != data

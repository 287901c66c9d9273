"""A debtor's personal data: what wik holds about one client, and how it is erased.

The journal is append-only, with one exception the law makes: once the retention period
has run out, the right to erasure (AVG/GDPR art. 17) outweighs keeping the record, so
``redact`` blanks the personal fields of that client's events in place. Amounts, dates and
invoice numbers stay: they are the creditor's bookkeeping, not the debtor's identity.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dataclasses import dataclass, replace

from wikcli.ledger import events as payloads
from wikcli.ledger import facts
from wikcli.ledger.bank_payloads import BankIgnoredData, BankUnmatchedData
from wikcli.ledger.events import (
    BANK_IGNORED, BANK_UNMATCHED, CLIENT_IBAN, PAYMENT, ClientAddedData,
    ClientAddressData, ClientEmailData, ClientForgottenData, ClientIbanData, HandedOverData, InvoiceAddedData,
    LetterSentData, MailAttemptData, NoteData, PausedData, PaymentData, StatementRenderedData, TermsAgreedData,
)
from wikcli.i18n import _

if TYPE_CHECKING:
    from wikcli.store.home import Home

PERSONAL = ("name", "address", "postcode", "city", "email", "external_id")  # an imported id may be an e-mail address
# What a bank transaction says about the payer (the amount, dates and keys are bookkeeping).
BANK_PERSONAL = ("counterparty_name", "counterparty_iban", "text", "end_to_end")
BLANK = "(forgotten)"


# A bank transaction (a payment's or a kept credit's ``bank``) is kept as the bank gave it: its
# keys are the bank's (``bank_payloads.BANK``), read here as they are written.


def bank_keys(events, numbers: set[str]) -> set[str]:
    """The keys of the bank transactions booked on these invoices."""
    return {b["key"] for e in events
            if e.type == PAYMENT and e.invoice in numbers and (b := PaymentData.load(e.data).bank)}


def _bank_of(event) -> dict | None:
    """The bank transaction a payment or a credit kept for review carries, or None."""
    if event.type == PAYMENT:
        return PaymentData.load(event.data).bank
    if event.type == BANK_UNMATCHED:
        return BankUnmatchedData.load(event.data).bank
    return None


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
    ibans |= {iban_key(i.iban) for e in events
              if e.type == CLIENT_IBAN and (i := ClientIbanData.load(e.data)).id == client_id and i.iban}
    name = name_key(client.name) if client is not None and client.name not in ("", BLANK) else ""
    mention = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in sorted(numbers))) if numbers else None
    for e in events:
        b = _bank_of(e)
        if not b:
            continue
        # ``candidates``: what the bank's matching weighed, kept with a credit beside its fields
        if ((b.get("counterparty_iban") and iban_key(b["counterparty_iban"]) in ibans)
                or (name and b.get("counterparty_name") and name_key(b["counterparty_name"]) == name)
                or any(n in numbers for c in e.data.get("candidates") or () for n in c.get("invoices", ()))
                or (mention is not None and mention.search(b.get("text") or ""))):
            keys.add(b["key"])
    return keys


def names_client(event, client_id: str, numbers: set[str], keys: set[str]) -> bool:
    """Whether ``event`` is about the client: its invoices, its record, its statements, a bank
    transaction that names it."""
    if event.invoice in numbers:
        return True
    p = payloads.load(event)
    if isinstance(p, _CLIENT_RECORDS):
        return event.invoice is None and p.id == client_id
    if isinstance(p, (StatementRenderedData, TermsAgreedData)):
        return p.client == client_id
    if isinstance(p, (BankUnmatchedData, PaymentData)):
        key = p.bank.get("key") if p.bank else None
        return key is not None and key in keys
    if isinstance(p, BankIgnoredData):
        return p.key in keys
    return False


# The events of a client's own record: each names the client by ``id``.
_CLIENT_RECORDS = (ClientAddedData, ClientForgottenData, ClientIbanData, ClientAddressData, ClientEmailData)


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
    if event.invoice not in numbers and event.type not in _REDACTED_ELSEWHERE:
        return None
    p = payloads.load(event)
    new = _blanked(p, client_id, event.invoice in numbers, keys)
    if new is None:
        return None
    blank = new.to_payload()
    return None if blank == event.data else blank  # erasing twice changes nothing


# The types whose events hold a client's personal data without naming one of its invoices.
_REDACTED_ELSEWHERE = frozenset((payloads.CLIENT_ADDED, payloads.CLIENT_ADDRESS, payloads.CLIENT_EMAIL, CLIENT_IBAN,
                                 BANK_UNMATCHED))


def _blanked(p, client_id: str, ours: bool, keys) -> payloads.Payload | None:
    """``p`` with the client's personal data blanked (``ours``: about one of its invoices), or
    None when it holds none."""
    if isinstance(p, ClientAddedData):
        return None if p.id != client_id else replace(
            p, name=BLANK, address="", postcode="", city="", email="",
            external_id=None if p.external_id is None else "")
    if isinstance(p, ClientAddressData):
        return None if p.id != client_id else replace(p, address="", postcode="", city="")
    if isinstance(p, ClientEmailData):
        return None if p.id != client_id else replace(
            p, source=BLANK if p.source else "", email=None if p.email is None else "")
    if isinstance(p, ClientIbanData):
        return replace(p, iban="") if p.id == client_id and p.iban else None
    if isinstance(p, BankUnmatchedData):
        if p.bank["key"] not in keys:
            return None
        b = _blank_bank(p.bank)
        return None if b is None else replace(p, bank=b)
    if not ours:
        return None
    if isinstance(p, MailAttemptData):
        return replace(p, to="") if p.to else None
    if isinstance(p, LetterSentData) and not isinstance(p, payloads.LetterRenderedData):
        return replace(p, email=replace(p.email, to="")) if p.email is not None and p.email.to else None
    if isinstance(p, PaymentData):
        b = None if not p.bank else _blank_bank(p.bank)
        return None if b is None else replace(p, bank=b)
    if isinstance(p, NoteData):
        return replace(p, text=BLANK) if p.text not in ("", BLANK) else None
    if isinstance(p, InvoiceAddedData):
        return replace(p, description="") if p.description else None
    if isinstance(p, PausedData):
        return replace(p, reason=BLANK) if p.reason not in ("", BLANK) else None
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
        self.recorded = {_file_named(e) for e in events if e.invoice in self.numbers}
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
        if event.type == PAYMENT and event.invoice not in self.numbers:
            paid = PaymentData.load(base)
            if paid.bank and paid.bank.get("key") in self.keys:
                b = _blank_bank(paid.bank)  # paid on another client's invoice from this client's account
                base = base if b is None else replace(paid, bank=b).to_payload()
        if event.type == BANK_IGNORED:
            ignored = BankIgnoredData.load(base)
            if ignored.key in self.keys and ignored.reason not in ("", BLANK):
                base = replace(ignored, reason=BLANK).to_payload()
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


def _file_named(event) -> str:
    """The letter's, e-mail's or dossier's file an event about an invoice names, or ""."""
    p = payloads.load(event)
    if isinstance(p, (LetterSentData, MailAttemptData)):
        return p.file or ""
    if isinstance(p, HandedOverData):
        return p.dossier or ""
    return ""


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


@dataclass(frozen=True)
class Forgotten:
    """What ``forget`` did: the client's id and its pseudonym, the events blanked, the files
    deleted and the files cleaned of the client's data."""

    client_id: str
    new_id: str
    blanked: int
    deleted: int
    cleaned: int


def forget(home: Home, client_id: str, day: date, now: datetime) -> Forgotten:
    """Erase a closed client's personal data once the retention period has run out (see `wik
    forget`): the journal rewritten with the client's data blanked and a tombstone appended in
    the same rewrite, its archived files deleted and the torn tails cleaned. Refused (as
    ``commands.forget`` refuses) before anything changes."""
    from wikcli.ledger import commands
    from wikcli.store.files import storage_error, write_private

    ledger = home.ledger()
    client_id = commands.client_id_of(ledger, client_id)  # ids never change: resolving first is safe
    new_id = pseudonym(ledger)
    plan: list[Erasure] = []
    counts = {"files": 0, "cleaned": 0}

    def allowed(events) -> None:
        commands.forget(facts.fold(events), client_id, day, home.rulebook)  # raises if refused
        erasure = Erasure(events, client_id, new_id)
        plan.append(erasure)
        # The files first, under the journal's lock: a failure leaves the journal as it was,
        # so running the command again does the whole job.
        files = derived_files(home.path, erasure.numbers, erasure.recorded, client_id=client_id)
        delete, scrub = leftovers(home.path, home.journal.path, erasure)
        for f in scrub:
            try:
                write_private(f, erasure.scrub(f.read_bytes()))
            except OSError as e:
                raise storage_error(e, f.parent, _("rewrite files in the folder"),
                                    _("nothing was erased; run `wik forget {id}` again once it can be "
                                      "written").format(id=client_id)) from None
        for f in files + delete:
            try:
                f.unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                raise storage_error(e, f.parent, _("delete files in the folder"),
                                    _("run `wik forget {id}` again once it can be written").format(
                                        id=client_id)) from None
        for d in sorted({f.parent for f in files if f.parent.parent.name == "handover"}, reverse=True):
            try:
                d.rmdir()  # a dossier's folder, now empty
            except OSError:
                pass
        counts["files"], counts["cleaned"] = len(files) + len(delete), len(scrub)

    def tombstone(events):
        return [(t, i, {**d, "id": new_id}) for t, i, d in
                commands.forget(facts.fold(events), client_id, day, home.rulebook)]

    removed = home.journal.redact(lambda ev: plan[-1].change(ev), now, check=allowed, append=tombstone)
    home.ledger()  # reads the new journal back, and makes the snapshot again from it
    return Forgotten(client_id, new_id, removed, counts["files"], counts["cleaned"])

"""A debtor's personal data: what wik holds about one client, and how it is erased.

The journal is append-only, with one exception the law makes: once the retention period
has run out, the right to erasure (AVG/GDPR art. 17) outweighs keeping the record, so
``redact`` blanks the personal fields of that client's events in place. Amounts, dates and
invoice numbers stay: they are the creditor's bookkeeping, not the debtor's identity.
"""

from __future__ import annotations

from pathlib import Path

from wikcli import process

PERSONAL = ("name", "address", "postcode", "city", "email", "external_id")  # an imported id may be an e-mail address
# What a bank transaction says about the payer (the amount, dates and keys are bookkeeping).
BANK_PERSONAL = ("counterparty_name", "counterparty_iban", "text", "end_to_end")
BLANK = "(forgotten)"


def bank_keys(events, numbers: set[str]) -> set[str]:
    """The keys of the bank transactions booked on these invoices."""
    return {e.data["bank"]["key"] for e in events
            if e.type == process.PAYMENT and e.invoice in numbers and e.data.get("bank")}


def _blank_bank(b: dict) -> dict | None:
    blank = {**b, **{k: "" for k in BANK_PERSONAL if b.get(k)}}
    if b.get("rule") == "amount":  # the evidence of an amount match is the payer's IBAN or name
        blank["evidence"] = ""
    return None if blank == b else blank


def export(events, client_id: str) -> dict:
    from wikcli.decide import LedgerError

    ledger = process.fold(events)
    client = ledger.clients.get(client_id)
    if client is None:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: see `wik client list`")
    numbers = {inv.number for inv in ledger.invoices.values() if inv.client == client_id}
    keys = bank_keys(events, numbers)
    return {
        "client": dict(client.__dict__),
        "forgotten": client_id in ledger.forgotten,
        "invoices": sorted(numbers),
        "events": [{"seq": e.seq, "at": e.at, "type": e.type, "invoice": e.invoice, "data": e.data}
                   for e in events
                   if e.invoice in numbers or (e.invoice is None and e.data.get("id") == client_id)
                   or (e.type == process.STATEMENT_RENDERED and e.data.get("client") == client_id)
                   or (e.type == process.BANK_UNMATCHED and e.data["bank"]["key"] in keys)],
    }


def redact(event, client_id: str, numbers: set[str], keys: set[str] = frozenset()) -> dict | None:
    """The blanked data of ``event`` if it holds the client's personal data, else None.
    ``keys``: the bank transactions booked on the client's invoices (``bank_keys``), whose
    earlier record as a credit kept for review names the payer too."""
    data = event.data
    if event.type == process.CLIENT_ADDED and data.get("id") == client_id:
        blank = {**data, **{k: (BLANK if k == "name" else "") for k in PERSONAL if k in data}}
        return None if blank == data else blank  # erasing twice changes nothing
    if event.type == process.CLIENT_ADDRESS and data.get("id") == client_id:
        blank = {**data, **{k: "" for k in PERSONAL if k in data}}
        return None if blank == data else blank
    if event.type == process.CLIENT_IBAN and data.get("id") == client_id:
        return {**data, "iban": ""} if data.get("iban") else None
    if event.type == process.BANK_UNMATCHED and data["bank"]["key"] in keys:
        b = _blank_bank(data["bank"])
        return None if b is None else {**data, "bank": b}
    if event.type == process.PAYMENT and event.invoice in numbers and data.get("bank"):
        b = _blank_bank(data["bank"])
        return None if b is None else {**data, "bank": b}
    if event.invoice in numbers:
        if event.type == process.NOTE and data.get("text") not in ("", BLANK):
            return {**data, "text": BLANK}
        if event.type == process.INVOICE_ADDED and data.get("description"):
            return {**data, "description": ""}
        if event.type == process.PAUSED and data.get("reason") not in ("", BLANK):
            return {**data, "reason": BLANK}
    return None


def derived_files(home: Path, numbers: set[str], recorded: set[str] = frozenset(),
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

    from wikcli.letters import file_stem

    out = []
    safe = "|".join(re.escape(file_stem(n)) for n in sorted(numbers))
    own = re.compile(rf"(?:{safe})-(?:(?:reminder|wik|default)-)?\d{{4}}-\d{{2}}-\d{{2}}(?:-\d+)?(?:\.pdf|\.eml)?") \
        if safe else None
    exact = {n for n in recorded if n and Path(n).name == n}
    exact |= {Path(n).stem + ".eml" for n in exact if n.endswith(".pdf")}
    out += _matching(home, ("letters", "outbox", "handover"),
                     lambda top: (own is not None and own.fullmatch(top) is not None) or top in exact)
    if client_id is not None:
        from wikcli.statement import file_pattern

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
            if p.is_file() and wanted(p.relative_to(base).parts[0]):
                out.append(p)
    return out

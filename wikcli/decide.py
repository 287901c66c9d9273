"""What a ledger command may record: the current ledger + the user's request -> new events.

Each function checks the request against the state the journal holds (under the journal's
lock, so a concurrent cron run cannot slip in between) and returns the events to append, or
raises ``LedgerError``. Nothing here does I/O; nothing is written when a check fails.
Messages name the invoice number or client id, never a debtor's personal data.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from wikcli import process
from wikcli.errors import WikError
from wikcli.model import DEBTOR_TYPES, LANGS, Client, Policy
from wikcli.money import format_eur, to_str

NewEvent = tuple[str, "str | None", dict]

_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/#-]{0,63}")
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = 500
MAX_NOTE = 4000


class LedgerError(WikError):
    """A request the ledger refuses: unknown or duplicate invoice, closed invoice, ..."""


def check_number(number: str) -> str:
    if not _NUMBER.fullmatch(number):
        raise LedgerError(f"invoice number {number[:80]!r} is not valid: expected 1-64 letters, "
                          "digits and . _ / # - (starting with a letter or digit)")
    return number


def check_client_id(client_id: str) -> str:
    if not _CLIENT_ID.fullmatch(client_id):
        raise LedgerError(f"client id {client_id[:80]!r} is not valid: expected 1-64 letters, "
                          "digits and . _ - (starting with a letter or digit)")
    return client_id


def check_text(value: str, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if required and not value:
        raise LedgerError(f"{what} is empty: expected some text")
    if _CONTROL.search(value.replace("\n", "") if what == "note" else value):
        raise LedgerError(f"{what} contains a control character: expected plain text")
    if len(value) > limit:
        raise LedgerError(f"{what} is {len(value)} characters long: expected at most {limit}")
    return value


def _invoice(ledger: process.Ledger, number: str) -> process.InvoiceFacts:
    inv = ledger.invoices.get(number)
    if inv is None:
        raise LedgerError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    return inv


def _open_invoice(ledger, number, policy, vat_deductible, day) -> tuple[process.InvoiceFacts, process.Assessment]:
    inv = _invoice(ledger, number)
    a = process.assess(inv, ledger.clients[inv.client], policy, vat_deductible, max(day, inv.date),
                       with_interest=False)
    if a.closed is not None:
        raise LedgerError(f"invoice {number!r} is closed ({a.closed}): nothing more can be recorded on it")
    return inv, a


def _not_before_invoice(inv: process.InvoiceFacts, day: date, what: str) -> None:
    if day < inv.date:
        raise LedgerError(f"{what} {day.isoformat()} is before the invoice date {inv.date.isoformat()} "
                          f"of invoice {inv.number!r}")


def add_client(ledger: process.Ledger, client: Client) -> list[NewEvent]:
    check_client_id(client.id)
    if client.id in ledger.clients:
        raise LedgerError(f"client {client.id!r} already exists: pick another id")
    if client.type not in DEBTOR_TYPES:
        raise LedgerError(f"client type {client.type!r} is unknown: expected consumer or business")
    if client.lang not in LANGS:
        raise LedgerError(f"language {client.lang!r} is unknown: expected nl or en")
    data = {}
    for key, value in client.__dict__.items():
        data[key] = value if key in ("id", "type", "lang") else check_text(
            value, key.replace("_", " "), required=key == "name")
    if data["email"] and ("@" not in data["email"] or " " in data["email"]):
        # The address itself is personal data: the message names the option, not the value.
        raise LedgerError("--email is not a valid e-mail address: expected name@example.nl")
    return [(process.CLIENT_ADDED, None, data)]


def add_invoice(ledger: process.Ledger, number: str, client_id: str, amount: Decimal, day: date,
                due: date, description: str = "") -> list[NewEvent]:
    check_number(number)
    if number in ledger.invoices:
        raise LedgerError(f"invoice {number!r} already exists: a correction is a payment, a note "
                          "or a close with reason credit-note")
    if client_id not in ledger.clients:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: add it with `wik client add`")
    if client_id in ledger.forgotten:
        raise LedgerError(f"client {client_id!r} has been forgotten: no new invoices for it")
    if due < day:
        raise LedgerError(f"due date {due.isoformat()} is before the invoice date {day.isoformat()}")
    return [(process.INVOICE_ADDED, number, {
        "client": client_id, "amount": to_str(amount), "date": day.isoformat(),
        "due": due.isoformat(), "description": check_text(description, "description")})]


def pay(ledger: process.Ledger, number: str, amount: Decimal, day: date, policy: Policy,
        vat_deductible: bool, *, allow_overpayment: bool = False) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    _not_before_invoice(inv, day, "payment date")
    due = process.amount_due(inv, a.debtor, policy, vat_deductible, day)
    if amount > due and not allow_overpayment:
        raise LedgerError(f"payment {format_eur(amount)} on invoice {number!r} is more than the "
                          f"{format_eur(due)} due on {day.isoformat()}: add --allow-overpayment "
                          "to record the rest as credit")
    return [(process.PAYMENT, number, {"amount": to_str(amount), "date": day.isoformat()})]


def note(ledger: process.Ledger, number: str, text: str, day: date,
         promise: date | None) -> list[NewEvent]:
    inv = _invoice(ledger, number)
    _not_before_invoice(inv, day, "note date")
    if promise is not None and promise < day:
        raise LedgerError(f"promise date {promise.isoformat()} is before the note's date {day.isoformat()}")
    return [(process.NOTE, number, {"date": day.isoformat(),
                                    "text": check_text(text, "note", required=True, limit=MAX_NOTE),
                                    "promise": promise.isoformat() if promise else None})]


def plan(ledger: process.Ledger, number: str, installments: int, first: date, every: str | int,
         day: date, policy: Policy, vat_deductible: bool) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    if not 2 <= installments <= 60:
        raise LedgerError(f"--installments {installments} is out of range: expected 2 to 60")
    if first < day:
        raise LedgerError(f"--first {first.isoformat()} is before today {day.isoformat()}")
    # What a payment may settle today: the principal, plus costs and interest once the costs
    # are owed. More would make the last installment an overpayment.
    total = process.amount_due(inv, a.debtor, policy, vat_deductible, day)
    if total < Decimal("0.01") * installments:
        raise LedgerError(f"invoice {number!r} has {format_eur(total)} open: too little for "
                          f"{installments} installments")
    parts = process.split_installments(total, installments, first, every)
    return [(process.PLAN, number, {
        "date": day.isoformat(), "every": str(every), "total": to_str(total),
        "installments": [{"due": i.due.isoformat(), "amount": to_str(i.amount)} for i in parts]})]


def sent(ledger: process.Ledger, number: str, kind: str, day: date, via: str, policy: Policy,
         vat_deductible: bool, *, file: str = "", sha256: str = "") -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    _not_before_invoice(inv, day, "send date")
    if kind not in process.LETTER_KINDS:
        raise LedgerError(f"letter kind {kind!r} is unknown: expected reminder, wik or default")
    data = {"kind": kind, "date": day.isoformat(), "via": via}
    if file:
        data.update(file=file, sha256=sha256)
    return [(process.LETTER_SENT, number, data)]


def rendered(ledger: process.Ledger, number: str, kind: str, day: date, file: str,
             sha256: str) -> list[NewEvent]:
    _invoice(ledger, number)
    return [(process.LETTER_RENDERED, number,
             {"kind": kind, "date": day.isoformat(), "file": file, "sha256": sha256})]


def _in_order(inv: process.InvoiceFacts, day: date, what: str) -> None:
    """Pauses and resumes count in the order they were recorded: a date before the last of
    them (``--date``) would make that order and the dates disagree."""
    _not_before_invoice(inv, day, what)
    last = max((d for d, kind, _ in inv.marks if kind in (process.PAUSED, process.RESUMED)), default=None)
    if last is not None and day < last:
        raise LedgerError(f"{what} {day.isoformat()} is before the last pause or resume of invoice "
                          f"{inv.number!r} on {last.isoformat()}")


def pause(ledger, number, reason, day, policy, vat_deductible) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    _in_order(inv, day, "pause date")
    if a.paused is not None:
        raise LedgerError(f"invoice {number!r} is already paused: `wik resume {number}` first")
    return [(process.PAUSED, number, {"date": day.isoformat(),
                                      "reason": check_text(reason, "reason", required=True)})]


def resume(ledger, number, day, policy, vat_deductible) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    _in_order(inv, day, "resume date")
    if a.paused is None:
        raise LedgerError(f"invoice {number!r} is not paused")
    return [(process.RESUMED, number, {"date": day.isoformat()})]


def close(ledger, number, reason, day, policy, vat_deductible) -> list[NewEvent]:
    if reason not in process.CLOSE_REASONS:
        raise LedgerError(f"close reason {reason!r} is unknown: expected one of "
                          + ", ".join(process.CLOSE_REASONS))
    _open_invoice(ledger, number, policy, vat_deductible, day)
    return [(process.CLOSED, number, {"date": day.isoformat(), "reason": reason})]


def hand_over(ledger, number, day, policy, vat_deductible, *, dossier: str = "") -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    if a.step == 6:
        raise LedgerError(f"invoice {number!r} has already been handed over")
    data = {"date": day.isoformat()}
    if dossier:
        data["dossier"] = dossier
    return [(process.HANDED_OVER, number, data)]


def forget(ledger: process.Ledger, client_id: str, day: date, policy: Policy,
           vat_deductible: bool) -> list[NewEvent]:
    """A tombstone for a client's personal data once the retention period has run out."""
    if client_id not in ledger.clients:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger")
    if client_id in ledger.forgotten:
        raise LedgerError(f"client {client_id!r} has already been forgotten")
    last = None
    for inv in ledger.invoices.values():
        if inv.client != client_id:
            continue
        a = process.assess(inv, ledger.clients[client_id], policy, vat_deductible, day)
        if a.closed is None:
            raise LedgerError(f"client {client_id!r} still has open invoice {inv.number!r}: "
                              "close it before forgetting the client")
        for ev_day in [inv.date] + [m[0] for m in inv.marks] + [p.day for p in inv.payments]:
            last = ev_day if last is None or ev_day > last else last
    if last is not None:
        keep_until = _add_years(last, policy.retention_years)
        if day <= keep_until:
            raise LedgerError(f"client {client_id!r} must be kept until {keep_until.isoformat()} "
                              f"({policy.retention_years} years after the last invoice activity)")
    return [(process.CLIENT_FORGOTTEN, None, {"id": client_id, "date": day.isoformat()})]


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def invoice_due(day: date, due: date | None, term: int | None, policy: Policy) -> date:
    """The due date: explicit, or the invoice date plus the term (policy default)."""
    if due is not None and term is not None:
        raise LedgerError("give --due or --term, not both")
    if due is not None:
        return due
    days = policy.payment_term_days if term is None else term
    if not 1 <= days <= 365:
        raise LedgerError(f"--term {days} is out of range: expected 1 to 365 days")
    from wikcli import deadlines

    return deadlines.due_date(day, days)



def _slug(name: str) -> str:
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:48]
    return s or "client"


def import_invoices(ledger: process.Ledger, items, policy: Policy, default_type: str,
                    source: str) -> list[NewEvent]:
    """Events for imported invoices, all or nothing: one bad row refuses the whole file.

    Clients are matched by id, else by name (case-insensitive); an unknown one is created.
    """
    events: list[NewEvent] = []
    by_name = {c.name.casefold(): c.id for c in ledger.clients.values()}
    ids = set(ledger.clients)
    numbers: set[str] = set()
    for it in items:
        where = f"{source} line {it.row}"
        try:
            check_number(it.number)
        except LedgerError as e:
            raise LedgerError(f"{where}: {e}") from None
        if it.number in ledger.invoices or it.number in numbers:
            raise LedgerError(f"{where}: invoice {it.number!r} is already in the "
                              f"{'ledger' if it.number in ledger.invoices else 'file'}; nothing was imported")
        numbers.add(it.number)
        cid = it.client_id or by_name.get(it.client_name.casefold(), "")
        if not cid or cid not in ids:
            cid = cid or _slug(it.client_name)
            base, k = cid, 2
            while cid in ids and not it.client_id:
                cid, k = f"{base}-{k}", k + 1
            ctype = it.client_type or default_type
            client = Client(id=cid, name=it.client_name, type=ctype, address=it.address,
                            postcode=it.postcode, city=it.city, country=it.country or "NL",
                            email=it.email, lang="nl")
            try:
                events += add_client(process.Ledger(clients={}), client)
            except LedgerError as e:
                raise LedgerError(f"{where}: {e}") from None
            ids.add(cid)
            by_name[it.client_name.casefold()] = cid
        due = it.due or invoice_due(it.date, None, None, policy)
        if due < it.date:
            raise LedgerError(f"{where}: due date {due.isoformat()} is before the invoice date")
        events.append((process.INVOICE_ADDED, it.number, {
            "client": cid, "amount": to_str(it.amount), "date": it.date.isoformat(),
            "due": due.isoformat(), "description": check_text(it.description, "description")}))
    return events

"""Invoices from a file (CSV or UBL, read by ``wikcli.imports``) as ledger events: all or
nothing, matched to the ledger's clients, skipping what the ledger already holds.

Checks and messages as in ``commands``: the current ledger + the request -> new events, or
``LedgerError``; nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from wikcli.i18n import _
from wikcli.ledger import facts
from wikcli.ledger.client_commands import add_client
from wikcli.ledger.commands import (
    _CLIENT_ID, LedgerError, NewEvent, _name_key, check_agreement, check_number, check_text, invoice_due,
)
from wikcli.ledger.events import InvoiceAddedData
from wikcli.ledger.model import BUSINESS, CONSUMER, Client, Policy
from wikcli.rules.money import cents, to_str


def _slug(name: str) -> str:
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:48]
    return s or "client"


@dataclass
class InvoiceImportPlan:
    """What importing a file adds, and what it leaves alone and why."""

    events: list[NewEvent] = field(default_factory=list)
    # Per invoice to add: invoice, line, client, client_match (id | name | new), due_from
    # (file | payment-terms | policy).
    invoices: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # already in the ledger as the file has it
    warnings: list[str] = field(default_factory=list)


def import_invoices(ledger: facts.Ledger, items, policy: Policy, default_type: str | None,
                    source: str) -> InvoiceImportPlan:
    """Events for imported invoices, all or nothing: one bad row refuses the whole file.

    An invoice already in the ledger with the same data is skipped, so re-importing last
    month's export adds only what is new; one with other data refuses the file. Clients are
    matched as ``_ClientIndex.match`` says; a new client's type is the file's, else
    ``default_type``, else business for a UBL buyer (e-invoices go to businesses) and
    consumer for a CSV row (the stricter route). Messages name the file and the line or
    element; they quote the file's own names where two clients must be told apart.
    """
    from dataclasses import replace

    plan = InvoiceImportPlan()
    index = _ClientIndex(ledger)
    numbers: set[str] = set()
    for it in items:
        if not it.source:
            it = replace(it, source=source)
        try:
            check_number(it.number)
        except LedgerError as e:
            raise LedgerError(f"{it.at('number')}: {e}") from None
        if it.number in numbers:
            raise LedgerError(_("{where}: invoice {number!r} appears twice in the file; nothing was "
                                "imported").format(where=it.at("number"), number=it.number))
        numbers.add(it.number)
        _check_imported(it)
        due, due_from = _import_due(it, policy)
        known = ledger.invoices.get(it.number)
        cid: str | None
        if known is not None and known.client in ledger.forgotten:
            # Its client's data is erased: the number, amount and dates must do, and nothing
            # of the file may bring the erased data back.
            cid, how, conflict = known.client, "id", None
        else:
            cid, how, conflict = index.match(it)
        if known is not None:
            diffs = _differences(ledger, known, it, cid, due, due_from)
            if diffs:
                raise LedgerError(_("{where}: invoice {number!r} is already in the ledger with other data "
                                    "({differences}); nothing was imported").format(
                                        where=it.at("number"), number=it.number, differences="; ".join(diffs)))
            plan.skipped.append({"invoice": it.number, "line": it.row, "client": known.client})
            continue
        plan.warnings += it.warnings
        if cid is None:
            cid = index.new_id(it)
            ctype = it.client_type or default_type or (BUSINESS if it.kind == "ubl" else CONSUMER)
            raw = it.client_id
            client = Client(id=cid, name=it.client_name, type=ctype, address=it.address,
                            postcode=it.postcode, city=it.city, country=it.country or "NL",
                            email=it.email, lang="nl", external_id=raw if raw != cid else "")
            try:
                # The index made the id unique and found no client of this name: the checks
                # left are those of the values themselves.
                added = add_client(facts.Ledger(), client, allow_duplicate_name=True)
            except LedgerError as e:
                raise LedgerError(f"{it.at('client_name')}: {e}") from None
            plan.events += added
            index.add(Client(**added[0][2]))
            what = _("buyer id") if it.kind == "ubl" else _("client id")
            if conflict is not None:
                plan.warnings.append(_("{where}: {what} {raw!r} is client {client!r} "
                                       "({name!r}) in the ledger, not {file_name!r}: new client "
                                       "{new!r}, with {raw!r} kept as its external id").format(
                                           where=it.at("client_id"), what=what, raw=raw, client=conflict.id,
                                           name=conflict.name, file_name=it.client_name, new=cid))
            elif raw and raw != cid:
                plan.warnings.append(_("{where}: {what} {raw!r} cannot serve as a wik client id: "
                                       "new client {new!r}, with {raw!r} kept as its external id").format(
                                           where=it.at("client_id"), what=what, raw=raw, new=cid))
        else:
            c = index.clients[cid]
            if conflict is not None:
                plan.warnings.append(_("{where}: buyer id {raw!r} is client {client!r} "
                                       "({name!r}) in the ledger: booked on client {booked!r}, which has "
                                       "the buyer's name").format(
                                           where=it.at("client_id"), raw=it.client_id, client=conflict.id,
                                           name=conflict.name, booked=cid))
            if it.client_type and it.client_type != c.type:
                plan.warnings.append(_("{where}: the file says {file_type}, client {client!r} is a "
                                       "{type} in the ledger: kept as a {type}").format(
                                           where=it.at("client_type"), file_type=it.client_type, client=cid,
                                           type=c.type))
        if due < it.date:
            raise LedgerError(_("{where}: due date {due} is before the invoice date "
                                "{date}; nothing was imported").format(
                                    where=it.at("due"), due=due.isoformat(), date=it.date.isoformat()))
        try:
            description = check_text(it.description, "description")
        except LedgerError as e:
            raise LedgerError(f"{it.at('description')}: {e}") from None
        agreement = check_agreement(it.agreement, f"{it.at('agreement')}: agreement") if it.agreement else None
        plan.events.append(InvoiceAddedData(client=cid, amount=cents(it.amount), day=it.date, due=due,
                                            description=description, agreement=agreement,
                                            reference=it.reference or None).event(it.number))
        plan.invoices.append({"invoice": it.number, "line": it.row, "client": cid, "client_match": how,
                              "due_from": due_from, "term_text": it.term_text if due_from == "payment-terms" else ""})
    return plan


def _check_imported(it) -> None:
    """The limits ``wik invoice add`` applies, whichever importer read the invoice: a value no
    command would take (10^20 euro, the year 1) is never recorded."""
    from wikcli.errors import WikError
    from wikcli.ledger import limits

    for check, name, value, what in ((limits.check_amount, "amount", it.amount, "amount"),
                                      (limits.check_date, "date", it.date, "invoice date"),
                                      (limits.check_date, "due", it.due, "due date")):
        if value is None:
            continue
        try:
            check(value, what)
        except WikError as e:
            raise LedgerError(_("{where}: {error}; nothing was imported").format(where=it.at(name), error=e)) from None


def _import_due(it, policy: Policy) -> tuple[date, str]:
    """The due date and where it comes from: the file's date, its term in days, or the policy."""
    if it.due is not None:
        return it.due, "file"
    if it.term is not None:
        return invoice_due(it.date, None, it.term, policy), "payment-terms"
    return invoice_due(it.date, None, None, policy), "policy"


class _ClientIndex:
    """The ledger's clients by what an import looks them up by, kept current as a file adds
    clients (a file of thousands of rows stays one pass)."""

    def __init__(self, ledger: facts.Ledger) -> None:
        self.clients: dict[str, Client] = {}
        self.forgotten = ledger.forgotten
        self.by_id: dict[str, list[Client]] = {}  # casefolded wik id or external id
        self.by_name: dict[str, list[Client]] = {}  # clients not forgotten, by _name_key
        self.taken: set[str] = set()  # casefolded wik ids
        for c in ledger.clients.values():
            self.add(c)

    def add(self, c: Client) -> None:
        self.clients[c.id] = c
        self.taken.add(c.id.casefold())
        self.by_id.setdefault(c.id.casefold(), []).append(c)
        if c.external_id and c.external_id.casefold() != c.id.casefold():
            self.by_id.setdefault(c.external_id.casefold(), []).append(c)
        if c.id not in self.forgotten:
            self.by_name.setdefault(_name_key(c.name), []).append(c)

    def match(self, it) -> tuple[str | None, str, Client | None]:
        """The client a row belongs to: (id or None for a new one, how it was found, a
        client whose id the row gave but whose name differs).

        By id first (the wik id in any case, or the external id an earlier import kept), but
        only where the name agrees: an id in a file may be a placeholder, an e-mail address
        or a routing code several buyers share. Then by name, ignoring case and spacing. A
        CSV row's client id is the user's own client number, so there a name that disagrees
        refuses the file; a UBL buyer's id is the buyer's, so there the name decides.
        """
        raw = it.client_id
        key = _name_key(it.client_name)
        conflict = None
        if raw:
            by_id = self.by_id.get(raw.casefold(), [])
            agree = [c for c in by_id if c.id not in self.forgotten and _name_key(c.name) == key]
            if agree:
                exact = [c for c in agree if c.id == raw]
                return (exact or agree)[0].id, "id", None
            if by_id:
                conflict = by_id[0]
                if it.kind != "ubl":
                    if conflict.id in self.forgotten:
                        raise LedgerError(_("{where}: client {client!r} has been forgotten: no new "
                                            "invoices for it; give this client another id").format(
                                                where=it.at("client_id"), client=conflict.id))
                    raise LedgerError(_("{where}: client id {raw!r} is {name!r} in the ledger, "
                                        "but the file names {file_name!r}: correct the name or the client id "
                                        "in the file").format(
                                            where=it.at("client_id"), raw=raw, name=conflict.name,
                                            file_name=it.client_name))
        named = self.by_name.get(key, [])
        if len(named) > 1:
            raise LedgerError(_("{where}: clients {clients} all have "
                                "this name: give the client id in the file").format(
                                    where=it.at("client_name"), clients=", ".join(repr(c.id) for c in named)))
        if named:
            return named[0].id, "name", conflict
        return None, "new", conflict

    def new_id(self, it) -> str:
        """The file's id where it can serve as a wik id and is free, else a slug of the name."""
        raw = it.client_id
        if raw and _CLIENT_ID.fullmatch(raw) and raw.casefold() not in self.taken:
            return raw
        base = cid = _slug(it.client_name)
        k = 2
        while cid.casefold() in self.taken:
            cid, k = f"{base}-{k}", k + 1
        return cid


def _differences(ledger: facts.Ledger, known: facts.InvoiceFacts, it, cid: str | None, due: date,
                 due_from: str) -> list[str]:
    """How a known invoice and a file's row of the same number differ (nothing: the same)."""
    diffs = []
    forgotten = known.client in ledger.forgotten
    if not forgotten and cid != known.client:
        diffs.append(_("client {client!r} in the ledger, {name!r} in the file").format(
            client=known.client, name=it.client_name))
    if known.amount != it.amount:
        diffs.append(_("amount {ledger} in the ledger, {file} in the file").format(
            ledger=to_str(known.amount), file=to_str(it.amount)))
    if known.date != it.date:
        diffs.append(_("date {ledger} in the ledger, {file} in the file").format(
            ledger=known.date.isoformat(), file=it.date.isoformat()))
    # A due date wik chose by its own policy is no data of the file.
    if due_from != "policy" and known.due != due:
        diffs.append(_("due date {ledger} in the ledger, {file} in the file").format(
            ledger=known.due.isoformat(), file=due.isoformat()))
    if not forgotten and " ".join(known.description.split()) != " ".join(it.description.split()):
        diffs.append(_("another description"))
    return diffs

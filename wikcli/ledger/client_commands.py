"""What the ledger records about a client: adding one, its e-mail address's provenance, its
postal address, and the interest and collection costs a business client agreed.

Checks and messages as in ``commands``: the current ledger + the request -> new events, or
``LedgerError``; nothing here does I/O.
"""

from __future__ import annotations

from datetime import date

from wikcli.i18n import _
from wikcli.ledger import facts
from wikcli.ledger.commands import (
    LedgerError, NewEvent, _invoice, check_client_id, check_text, find_client, same_name,
)
from wikcli.ledger.events import ClientAddedData, ClientAddressData, ClientEmailData, TermsAgreedData
from wikcli.ledger.model import BUSINESS, DEBTOR_TYPES, LANGS, Client


def add_client(ledger: facts.Ledger, client: Client, *, allow_duplicate_name: bool = False) -> list[NewEvent]:
    check_client_id(client.id)
    existing = find_client(ledger, client.id)
    if existing is not None:
        if existing.id == client.id:
            raise LedgerError(_("client {id!r} already exists: pick another id").format(id=client.id))
        raise LedgerError(_("client {id!r} already exists as {existing!r}: pick another id").format(
            id=client.id, existing=existing.id))
    if client.type not in DEBTOR_TYPES:
        raise LedgerError(_("client type {type!r} is unknown: expected consumer or business").format(type=client.type))
    if client.lang not in LANGS:
        raise LedgerError(_("language {lang!r} is unknown: expected nl or en").format(lang=client.lang))
    # The IBANs are learnt from bank payments (client-iban events) and the e-mail address's
    # provenance is recorded by client-email events: neither is given on adding.
    added = ClientAddedData(
        id=client.id, name=check_text(client.name, "name", required=True), type=client.type,
        address=check_text(client.address, "address"), postcode=check_text(client.postcode, "postcode"),
        city=check_text(client.city, "city"), country=check_text(client.country, "country"),
        email=check_text(client.email, "email"), lang=client.lang,
        # only imported clients have one; the events of the others stay as they were
        external_id=check_text(client.external_id, "external id") if client.external_id else None)
    if added.email and ("@" not in added.email or " " in added.email):
        # The address itself is personal data: the message names the option, not the value.
        raise LedgerError(_("--email is not a valid e-mail address: expected name@example.nl"))
    if not allow_duplicate_name:
        twins = [c.id for c in ledger.clients.values()
                 if c.id not in ledger.forgotten and same_name(c.name, added.name)]
        if twins:
            raise LedgerError(_("client {id!r} already has this name: use that client, or add "
                                "--allow-duplicate-name if this is another person with the same name").format(
                                    id=twins[0]))
    return [added.event()]


def client_email(ledger: facts.Ledger, client_id: str, day: date, *, source: str, given: date | None,
                 letters: bool, email: str = "") -> list[NewEvent]:
    """Where the client's e-mail address came from (``source``, on ``given``) and whether the
    client agreed to receive letters by e-mail; ``email`` replaces the address when given."""
    c = find_client(ledger, client_id)
    if c is None:
        raise LedgerError(_("client {client!r} is not in the ledger: see `wik client list`").format(client=client_id[:80]))
    if c.id in ledger.forgotten:
        raise LedgerError(_("client {id!r} has been forgotten: nothing more is recorded for it").format(id=c.id))
    if not (email or c.email):
        raise LedgerError(_("client {id!r} has no e-mail address: give --email ADDRESS").format(id=c.id))
    if email and ("@" not in email or " " in email):
        raise LedgerError(_("--email is not a valid e-mail address: expected name@example.nl"))
    if given is not None and given > day:
        raise LedgerError(_("--given {given} is after today {today}: expected the day the "
                            "client gave the address").format(given=given.isoformat(), today=day.isoformat()))
    return [ClientEmailData(id=c.id, day=day, source=check_text(source, "--source", required=True),
                            given=given.isoformat() if given else "", letters=bool(letters),
                            email=email or None).event()]


def set_address(ledger: facts.Ledger, client_id: str, address: str, postcode: str, city: str,
                country: str, day: date) -> list[NewEvent]:
    """A client's postal address, where letters by post go: given when the client was added
    without one, or changed after a move. Letters already sent keep the address they had."""
    client = find_client(ledger, client_id)
    if client is None:
        raise LedgerError(_("client {client!r} is not in the ledger: see `wik client list`").format(client=client_id[:80]))
    if client.id in ledger.forgotten:
        raise LedgerError(_("client {id!r} was forgotten (`wik forget`): no address can be recorded").format(
            id=client.id))
    return [ClientAddressData(id=client.id, address=check_text(address, "--address", required=True),
                              postcode=check_text(postcode, "--postcode"),
                              city=check_text(city, "--city", required=True), country=country, day=day).event()]


KEEP = object()  # agree_terms: keep what the terms in force said


def before_terms(ledger: facts.Ledger, number: str, client_id: str, day: date) -> list[str]:
    """What to say about an invoice of ``day`` that the client's agreed terms do not reach
    because they apply from a later invoice date: its interest and costs stay statutory."""
    from wikcli.rules import agreed

    client = ledger.clients.get(client_id)
    recorded = [t for _, t in ledger.terms.get(client_id, [])]
    if client is None or client.type != BUSINESS or not recorded:
        return []
    if agreed.in_force(recorded, number, day) is not None:
        return []
    later = [t for t in recorded if t.invoice is None and t.start > day]
    if not later or (later[-1].interest is None and later[-1].costs is None):
        return []
    start = min(t.start for t in later)
    return [_("invoice {number} is dated {day}, before the agreed terms of client {client} "
              "(for invoices from {start}): the statutory interest and collection costs apply to it; "
              "if the terms covered it, `wik client terms {client} --from {day}`").format(
                  number=number, day=day.isoformat(), client=client_id, start=start.isoformat())]


def agree_terms(ledger: facts.Ledger, day: date, *, client_id: str | None = None,
                number: str | None = None, start: date | None = None, interest=KEEP, costs=KEEP,
                clause: str | None = None, new_client: Client | None = None) -> list[NewEvent]:
    """Record the interest and collection costs a business client agreed (``client_id``, for
    its invoices dated from ``start`` on) or that apply to one invoice (``number``). Values not
    given keep what the latest terms said; None ends them."""
    from wikcli.rules import agreed

    client: Client | None
    if number is not None:
        inv = _invoice(ledger, number)
        client = ledger.clients[inv.client]
        earlier = [t for _, t in inv.terms]
    else:
        # ``new_client``: added in the same transaction, so not in ``ledger`` yet.
        client = new_client or find_client(ledger, client_id or "")
        if client is None:
            raise LedgerError(_("client {client!r} is not in the ledger: add it with `wik client add`").format(
                client=(client_id or "")[:80]))
        earlier = [t for _, t in ledger.terms.get(client.id, [])]
    try:
        agreed.check_debtor(client.type)
    except agreed.TermsError as e:
        raise LedgerError(_("client {id!r}: {error}").format(id=client.id, error=e)) from None
    previous = earlier[-1] if earlier else None
    i = (previous.interest if previous else None) if interest is KEEP else interest
    c = (previous.costs if previous else None) if costs is KEEP else costs
    words = check_text(clause if clause is not None else (previous.clause if previous else ""), "clause")
    if i is None and c is None and previous is None:
        raise LedgerError(_("nothing agreed: give --agreed-interest and/or --agreed-costs"))
    return [TermsAgreedData(client=client.id, day=day, start=start or day, clause=words,
                            interest=None if i is None else i.to_json(),
                            costs=None if c is None else c.to_json()).event(number)]

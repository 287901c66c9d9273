"""What a ledger command may record: the current ledger + the user's request -> new events.

Each function checks the request against the state the journal holds (under the journal's
lock, so a concurrent cron run cannot slip in between) and returns the events to append, or
raises ``LedgerError``. Nothing here does I/O; nothing is written when a check fails.
Messages name the invoice number or client id, never a debtor's personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from wikcli.ledger import process
from wikcli.errors import WikError
from wikcli.ledger.model import BUSINESS, CONSUMER, DEBTOR_TYPES, LANGS, Client, Policy
from wikcli.rules.money import format_eur, to_str

NewEvent = tuple[str, "str | None", dict]

_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = 500
MAX_NOTE = 4000
MAX_NUMBER = 100


class LedgerError(WikError):
    """A request the ledger refuses: unknown or duplicate invoice, closed invoice, ..."""


def check_number(number: str) -> str:
    # An invoice number is the legal identifier the creditor gave it, kept as written (some
    # formats prescribe spaces or "|"): file names and references go through
    # letters.file_stem, never through the number itself.
    if not number or len(number) > MAX_NUMBER or not number.isprintable() or number != number.strip():
        raise LedgerError(f"invoice number {number[:80]!r} is not valid: expected 1-{MAX_NUMBER} printable "
                          "characters, without spaces at either end")
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


def _open_invoice(ledger, number, policy, vat_deductible, day, *,
                  payable: bool = False) -> tuple[process.InvoiceFacts, process.Assessment]:
    """The invoice and its state on ``day``; refused when closed (``payable``: unless it was
    closed in a way money can still arrive on: written off, handed over, bankrupt)."""
    inv = _invoice(ledger, number)
    a = process.assess(inv, ledger.clients[inv.client], policy, vat_deductible, max(day, inv.date),
                       with_interest=False)
    if a.closed is not None and not (payable and a.closed in process.PAYABLE_WHEN_CLOSED):
        raise LedgerError(f"invoice {number!r} is closed ({a.closed}): nothing more can be recorded on it")
    return inv, a


def _not_before_invoice(inv: process.InvoiceFacts, day: date, what: str) -> None:
    if day < inv.date:
        raise LedgerError(f"{what} {day.isoformat()} is before the invoice date {inv.date.isoformat()} "
                          f"of invoice {inv.number!r}")


def _not_after_today(day: date, today: date, what: str) -> None:
    # A fact dated in the future would already count in every replay of a later day.
    if day > today:
        raise LedgerError(f"{what} {day.isoformat()} is after today {today.isoformat()}: record it "
                          "once it has happened")


def find_client(ledger: process.Ledger, client_id: str) -> Client | None:
    """The client with this id, compared without regard to case (the id as stored wins)."""
    client = ledger.clients.get(client_id)
    if client is not None:
        return client
    folded = client_id.casefold()
    hits = [c for c in ledger.clients.values() if c.id.casefold() == folded]
    if len(hits) > 1:  # only a journal from before ids were compared this way holds such a pair
        raise LedgerError(f"client id {client_id[:80]!r} matches {', '.join(repr(c.id) for c in hits)}: "
                          "give the id with its exact case")
    return hits[0] if hits else None


def client_id_of(ledger: process.Ledger, client_id: str) -> str:
    """The stored id of the client ``client_id`` names in any case; the input itself if none."""
    client = find_client(ledger, client_id)
    return client.id if client is not None else client_id


def same_name(a: str, b: str) -> bool:
    """Whether two names are one, ignoring case and spacing."""
    return _name_key(a) == _name_key(b)


def add_client(ledger: process.Ledger, client: Client, *, allow_duplicate_name: bool = False) -> list[NewEvent]:
    check_client_id(client.id)
    existing = find_client(ledger, client.id)
    if existing is not None:
        also = "" if existing.id == client.id else f" as {existing.id!r}"
        raise LedgerError(f"client {client.id!r} already exists{also}: pick another id")
    if client.type not in DEBTOR_TYPES:
        raise LedgerError(f"client type {client.type!r} is unknown: expected consumer or business")
    if client.lang not in LANGS:
        raise LedgerError(f"language {client.lang!r} is unknown: expected nl or en")
    data = {}
    for key, value in client.__dict__.items():
        if key == "external_id" and not value:
            continue  # only imported clients have one; the events of the others stay as they were
        if key == "ibans":
            continue  # learnt from bank payments (client-iban events), never given on adding
        if key in ("email_source", "email_given", "email_letters"):
            continue  # recorded by client-email events
        data[key] = value if key in ("id", "type", "lang") else check_text(
            value, key.replace("_", " "), required=key == "name")
    if data["email"] and ("@" not in data["email"] or " " in data["email"]):
        # The address itself is personal data: the message names the option, not the value.
        raise LedgerError("--email is not a valid e-mail address: expected name@example.nl")
    if not allow_duplicate_name:
        twins = [c.id for c in ledger.clients.values()
                 if c.id not in ledger.forgotten and same_name(c.name, data["name"])]
        if twins:
            raise LedgerError(f"client {twins[0]!r} already has this name: use that client, or add "
                              "--allow-duplicate-name if this is another person with the same name")
    return [(process.CLIENT_ADDED, None, data)]


def client_email(ledger: process.Ledger, client_id: str, day: date, *, source: str, given: date | None,
                 letters: bool, email: str = "") -> list[NewEvent]:
    """Where the client's e-mail address came from (``source``, on ``given``) and whether the
    client agreed to receive letters by e-mail; ``email`` replaces the address when given."""
    c = find_client(ledger, client_id)
    if c is None:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: see `wik client list`")
    if c.id in ledger.forgotten:
        raise LedgerError(f"client {c.id!r} has been forgotten: nothing more is recorded for it")
    if not (email or c.email):
        raise LedgerError(f"client {c.id!r} has no e-mail address: give --email ADDRESS")
    if email and ("@" not in email or " " in email):
        raise LedgerError("--email is not a valid e-mail address: expected name@example.nl")
    if given is not None and given > day:
        raise LedgerError(f"--given {given.isoformat()} is after today {day.isoformat()}: expected the day the "
                          "client gave the address")
    data = {"id": c.id, "date": day.isoformat(), "source": check_text(source, "--source", required=True),
            "given": given.isoformat() if given else "", "letters": bool(letters)}
    if email:
        data["email"] = email
    return [(process.CLIENT_EMAIL, None, data)]


def set_address(ledger: process.Ledger, client_id: str, address: str, postcode: str, city: str,
                country: str, day: date) -> list[NewEvent]:
    """A client's postal address, where letters by post go: given when the client was added
    without one, or changed after a move. Letters already sent keep the address they had."""
    client = find_client(ledger, client_id)
    if client is None:
        raise LedgerError(f"client {client_id[:80]!r} is not in the ledger: see `wik client list`")
    if client.id in ledger.forgotten:
        raise LedgerError(f"client {client.id!r} was forgotten (`wik forget`): no address can be recorded")
    data = {"id": client.id, "address": check_text(address, "--address", required=True),
            "postcode": check_text(postcode, "--postcode"), "city": check_text(city, "--city", required=True),
            "country": country, "date": day.isoformat()}
    return [(process.CLIENT_ADDRESS, None, data)]


def add_invoice(ledger: process.Ledger, number: str, client_id: str, amount: Decimal, day: date,
                due: date, description: str = "", agreement: str = "") -> list[NewEvent]:
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
    data = {"client": client_id, "amount": to_str(amount), "date": day.isoformat(),
            "due": due.isoformat(), "description": check_text(description, "description")}
    if agreement:
        data["agreement"] = check_agreement(agreement)
    return [(process.INVOICE_ADDED, number, data)]


def check_agreement(text: str, where: str = "--agreement") -> str:
    """An agreement's name as an invoice records it: one line, at most 80 characters."""
    value = " ".join(text.split())
    if not value or len(value) > 80 or _CONTROL.search(text):
        raise LedgerError(f"{where} {text[:80]!r} is not an agreement's name: expected one line of "
                          "1 to 80 characters, such as 'lessen 2026'")
    return value


def pay(ledger: process.Ledger, number: str, amount: Decimal, day: date, policy: Policy,
        vat_deductible: bool, *, today: date, allow_overpayment: bool = False,
        whole_claim: bool = True) -> list[NewEvent]:
    """A payment on invoice ``number``; on an invoice of a joint letter's claim, split over
    the claim (``claimpay``) unless ``whole_claim`` is False (the caller split it already)."""
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day, payable=True)
    _not_before_invoice(inv, day, "payment date")
    _not_after_today(day, today, "payment date")
    from wikcli.ledger import claimpay

    members = claimpay.claim_of(ledger, number, day) if whole_claim else (number,)
    if len(members) > 1:
        # One claim, one payment (art. 6:44 BW): split over all the letter's invoices.
        s = claimpay.split(ledger, members, amount, day, policy, vat_deductible)
        if s.rest > 0 and not allow_overpayment:
            raise LedgerError(f"payment {format_eur(amount)} on invoice {number!r} is more than the "
                              f"{format_eur(s.open_total)} due on {day.isoformat()} on the claim of invoices "
                              f"{', '.join(members)}: add --allow-overpayment to record the rest as credit")
        parts = dict(s.parts)
        if s.rest > 0:
            parts[number] = parts.get(number, Decimal(0)) + s.rest
        if set(parts) != {number}:
            claim = {"invoices": list(members), "amount": to_str(amount), "paid_on": number}
            return [(process.PAYMENT, n, {"amount": to_str(part), "date": day.isoformat(), "claim": claim})
                    for n, part in parts.items()]
    due = process.amount_due(inv, ledger.clients[inv.client], policy, vat_deductible, day)
    if amount > due and not allow_overpayment:
        raise LedgerError(f"payment {format_eur(amount)} on invoice {number!r} is more than the "
                          f"{format_eur(due)} due on {day.isoformat()}: add --allow-overpayment "
                          "to record the rest as credit")
    return [(process.PAYMENT, number, {"amount": to_str(amount), "date": day.isoformat()})]


def note(ledger: process.Ledger, number: str, text: str, day: date,
         promise: date | None, *, today: date) -> list[NewEvent]:
    inv = _invoice(ledger, number)
    _not_before_invoice(inv, day, "note date")
    _not_after_today(day, today, "note date")
    if promise is not None and promise < day:
        raise LedgerError(f"promise date {promise.isoformat()} is before the note's date {day.isoformat()}")
    return [(process.NOTE, number, {"date": day.isoformat(),
                                    "text": check_text(text, "note", required=True, limit=MAX_NOTE),
                                    "promise": promise.isoformat() if promise else None})]


def plan(ledger: process.Ledger, number: str, installments: int, first: date, every: str | int,
         day: date, policy: Policy, vat_deductible: bool, *, waive_interest: bool = False,
         replace: bool = False) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    if not 2 <= installments <= 60:
        raise LedgerError(f"--installments {installments} is out of range: expected 2 to 60")
    if first < day:
        raise LedgerError(f"--first {first.isoformat()} is before today {day.isoformat()}")
    current = inv.live(inv.plans, day)
    if current and not replace:
        raise LedgerError(f"invoice {number!r} already has a payment plan (agreed {current[-1].day.isoformat()}): "
                          "add --replace to agree a new one in its place")
    client = ledger.clients[inv.client]
    parts = process.plan_installments(inv, client, policy, vat_deductible, day, installments, first, every,
                                      waive_interest=waive_interest)
    if any(p.amount < Decimal("0.01") for p in parts):
        total = process.amount_due(inv, client, policy, vat_deductible, day)
        raise LedgerError(f"invoice {number!r} has {format_eur(total)} open: too little for "
                          f"{installments} installments")
    total = sum((p.amount for p in parts), Decimal("0"))
    data = {"date": day.isoformat(), "every": str(every), "total": to_str(total),
            "interest": "waived" if waive_interest else "included",
            "installments": [{"due": i.due.isoformat(), "amount": to_str(i.amount)} for i in parts]}
    if current:
        data["replaces"] = current[-1].seq
    return [(process.PLAN, number, data)]


KEEP = object()  # agree_terms: keep what the terms in force said


def before_terms(ledger: process.Ledger, number: str, client_id: str, day: date) -> list[str]:
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
    return [f"invoice {number} is dated {day.isoformat()}, before the agreed terms of client {client_id} "
            f"(for invoices from {start.isoformat()}): the statutory interest and collection costs apply to it; "
            f"if the terms covered it, `wik client terms {client_id} --from {day.isoformat()}`"]


def agree_terms(ledger: process.Ledger, day: date, *, client_id: str | None = None,
                number: str | None = None, start: date | None = None, interest=KEEP, costs=KEEP,
                clause: str | None = None, new_client: Client | None = None) -> list[NewEvent]:
    """Record the interest and collection costs a business client agreed (``client_id``, for
    its invoices dated from ``start`` on) or that apply to one invoice (``number``). Values not
    given keep what the latest terms said; None ends them."""
    from wikcli.rules import agreed

    if number is not None:
        inv = _invoice(ledger, number)
        client = ledger.clients[inv.client]
        earlier = [t for _, t in inv.terms]
    else:
        # ``new_client``: added in the same transaction, so not in ``ledger`` yet.
        client = new_client or find_client(ledger, client_id or "")
        if client is None:
            raise LedgerError(f"client {(client_id or '')[:80]!r} is not in the ledger: add it with `wik client add`")
        earlier = [t for _, t in ledger.terms.get(client.id, [])]
    try:
        agreed.check_debtor(client.type)
    except agreed.TermsError as e:
        raise LedgerError(f"client {client.id!r}: {e}") from None
    previous = earlier[-1] if earlier else None
    i = (previous.interest if previous else None) if interest is KEEP else interest
    c = (previous.costs if previous else None) if costs is KEEP else costs
    words = check_text(clause if clause is not None else (previous.clause if previous else ""), "clause")
    if i is None and c is None and previous is None:
        raise LedgerError("nothing agreed: give --agreed-interest and/or --agreed-costs")
    data = {"client": client.id, "date": day.isoformat(), "from": (start or day).isoformat(),
            "clause": words, "interest": None if i is None else i.to_json(),
            "costs": None if c is None else c.to_json()}
    return [(process.TERMS_AGREED, number, data)]


def _letter_id(ledger: process.Ledger) -> str:
    # The seq the transaction's first event will get: unique in the journal.
    return f"L{ledger.last_seq + 1}"


def sent(ledger: process.Ledger, claim, *, file: str = "", sha256: str = "",
         email: dict | None = None) -> list[NewEvent]:
    """A letter went out: one ``letter-sent`` event on each invoice it covers, each recording
    what the letter said (``claims.Claim.record``) and, for an e-mail wik sent, the server's
    acceptance (``email``: to, message_id, reply, accepted_at)."""
    letter_id = _letter_id(ledger)
    if claim.copy is not None and not file:
        file, sha256 = claim.copy
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        data = claim.record(number, letter_id)
        if file:
            data.update(file=file, sha256=sha256)
        if email:
            data["email"] = dict(email)
        events.append((process.LETTER_SENT, number, data))
    return events


def unknown_mail(ledger: process.Ledger, numbers, kind: str) -> str | None:
    """Why a letter of ``kind`` about ``numbers`` may not be e-mailed again: an earlier attempt
    whose outcome is unknown (the server may have it), or None."""
    for number in numbers:
        inv = ledger.invoices.get(number)
        pending = None if inv is None else process.pending_mail(inv, kind)
        if pending is not None:
            names = " ".join(pending.invoices or [number])
            return (f"invoice {number!r}: the {process.KIND_NAMES[kind]} e-mailed on {pending.day.isoformat()} "
                    f"(Message-ID {pending.message_id}) has no known outcome: the server may have accepted "
                    f"it (no reply came after the message was handed over, or wik was stopped); check your "
                    f"sent mail, then record it with `wik sent {names} --kind {kind} --via email --date "
                    f"{pending.day.isoformat()}`, or send it again with `wik send {names} --kind {kind} --resend`")
    return None


def mail_attempt(ledger: process.Ledger, claim, *, to: str, message_id: str, file: str, at: str,
                 resend: bool = False) -> list[NewEvent]:
    """A letter's e-mail is about to be handed to the server: recorded first, so that no
    outcome (a timeout, a kill) can lead to a second copy nobody asked for."""
    why = unknown_mail(ledger, claim.numbers, claim.kind)
    if why is not None and not resend:
        raise LedgerError(why)
    data = {"date": claim.day.isoformat(), "kind": claim.kind, "invoices": list(claim.numbers), "to": to,
            "message_id": message_id, "file": file, "at": at}
    if why is not None:
        data["resend"] = True
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        events.append((process.MAIL_ATTEMPT, number, dict(data)))
    return events


def mail_failed(ledger: process.Ledger, numbers, message_id: str, day: date, reason: str) -> list[NewEvent]:
    """The server did not take the message (nothing was handed over): the attempt is closed."""
    return [(process.MAIL_FAILED, n, {"date": day.isoformat(), "message_id": message_id,
                                      "reason": " ".join(reason.split())[:500]})
            for n in numbers if n in ledger.invoices]


def _last_letter(ledger: process.Ledger, number: str, kind: str, via: str, day: date):
    inv = _invoice(ledger, number)
    live = [x for x in inv.live(inv.letters, day) if x.kind == kind and x.via == via]
    if not live:
        raise LedgerError(f"invoice {number!r} has no {process.KIND_NAMES[kind]} sent by {via} on record: "
                          f"see `wik invoice show {number}`")
    return inv, max(live, key=lambda x: (x.day, x.seq))


def bounced(ledger: process.Ledger, number: str, kind: str, day: date, reason: str) -> list[NewEvent]:
    """The e-mail of the last ``kind`` letter about ``number`` bounced: one ``letter-bounced``
    on each invoice the letter covers. Not received, so not sent: no costs from it."""
    _, letter = _last_letter(ledger, number, kind, "email", day)
    if day < letter.day:
        raise LedgerError(f"--date {day.isoformat()} is before the letter's date {letter.day.isoformat()}")
    text = check_text(reason, "--reason")
    members = letter.group or [(ledger.invoices[number], letter)]
    return [(process.LETTER_BOUNCED, inv.number, {
        "date": day.isoformat(), "seq": x.seq, "kind": kind, "letter": x.letter,
        "letter_date": x.day.isoformat(), "reason": text}) for inv, x in members]


def registered(ledger: process.Ledger, number: str, kind: str, day: date, *, barcode: str = "",
               status: str = "") -> list[NewEvent]:
    """The last ``kind`` letter about ``number`` went by registered post: its barcode, and
    later its delivery status (refused and not collected count as received)."""
    import re

    inv, letter = _last_letter(ledger, number, kind, "post", day)
    code = "".join(barcode.split()).upper()
    if code and not re.fullmatch(r"[0-9A-Z]{9,30}", code):
        raise LedgerError(f"--barcode {barcode[:40]!r} is not a track-and-trace code: expected 9 to 30 letters "
                          "and digits, such as 3SABCD0123456")
    if status and status not in process.DELIVERY_STATUSES:
        raise LedgerError(f"--status {status!r} is unknown: expected delivered, refused or not-collected")
    if not code:
        known = [e.data["barcode"] for e in inv.events
                 if e.type == process.LETTER_REGISTERED and e.data.get("seq") == letter.seq]
        if not known:
            raise LedgerError(f"invoice {number!r}: no barcode recorded for the {process.KIND_NAMES[kind]} of "
                              f"{letter.day.isoformat()}: give --barcode")
        code = known[-1]
    if not status and not barcode:
        raise LedgerError("nothing to record: give --barcode and/or --status")
    members = letter.group or [(inv, letter)]
    return [(process.LETTER_REGISTERED, i.number, {
        "date": day.isoformat(), "seq": x.seq, "kind": kind, "letter": x.letter,
        "letter_date": x.day.isoformat(), "barcode": code, "status": status or None}) for i, x in members]


def no_address(client: Client, via: str) -> None:
    """A letter by post needs somewhere to go: `wik sent` and `wik letter --sent` refuse to
    record one before anything is written (the ledger's own rules do not need an address)."""
    if via == "post" and not (client.address.strip() and client.city.strip()):
        raise LedgerError(
            f"client {client.id!r} has no postal address, so a letter cannot go by post: add it with "
            f"`wik client address {client.id} --address STREET --postcode CODE --city CITY`, or send it --via email")


def rendered(ledger: process.Ledger, claim, file: str, sha256: str) -> list[NewEvent]:
    """A letter was made and archived: one ``letter-rendered`` event on each invoice it
    covers, with what it says, so that ``wik sent`` can later record exactly that letter."""
    events = []
    for number in claim.numbers:
        _invoice(ledger, number)
        data = claim.record(number, file)
        data.update(file=file, sha256=sha256)
        events.append((process.LETTER_RENDERED, number, data))
    return events


def void(ledger: process.Ledger, seq: int, reason: str, day: date) -> list[NewEvent]:
    """Cancel an earlier payment, note, plan or letter-sent event: a new event says so, the
    old one stays in the journal. A letter about several invoices is cancelled on each."""
    target = None
    for inv in ledger.invoices.values():
        ev = process.find_event(inv, seq)
        if ev is not None:
            target = (inv, ev)
            break
    if target is None:
        raise LedgerError(f"event {seq} is not an event of an invoice: see the numbers in `wik invoice show`")
    inv, ev = target
    if ev.type not in process.VOIDABLE:
        raise LedgerError(f"event {seq} is a {ev.type} event: only payment, note, plan and letter-sent "
                          "events can be voided")
    if seq in inv.voided:
        raise LedgerError(f"event {seq} was already voided on {inv.voided[seq].isoformat()}")
    if date.fromisoformat(ev.data["date"]) > day:
        raise LedgerError(f"event {seq} is dated {ev.data['date']}, after today {day.isoformat()}")
    why = check_text(reason, "reason", required=True)
    if ev.type == process.PAYMENT and inv.credit_out:
        _credit_survives_void(ledger, inv, seq, day)
    targets = [(inv, ev)]
    if ev.type == process.LETTER_SENT:
        letter = next(x for x in inv.letters if x.seq == seq)
        targets = [(i, process.find_event(i, x.seq)) for i, x in letter.group if x.seq not in i.voided]
    return [(process.VOIDED, i.number, {"date": day.isoformat(), "seq": e.seq, "type": e.type,
                                         "reason": why}) for i, e in targets]


def _credit_survives_void(ledger: process.Ledger, inv: process.InvoiceFacts, seq: int, day: date) -> None:
    """A payment whose credit was since set off or refunded cannot be voided alone: the
    client would hold less than nothing."""
    from dataclasses import replace as copy

    trial = copy(inv, voided={**inv.voided, seq: day})
    last = max([day] + [x.day for x in inv.credit_out])
    client = ledger.clients[inv.client]
    for when in sorted({day, last} | {x.day for x in inv.credit_out if x.day >= day}):
        credit = process.standing(trial, client, Policy(), True, when, with_interest=False).credit
        if credit < 0:
            raise LedgerError(f"event {seq}: the credit this payment left on invoice {inv.number!r} was set off or "
                              "refunded since (`wik credit show`): it cannot be voided alone")


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


def close(ledger, number, reason, day, policy, vat_deductible, *, force: bool = False) -> list[NewEvent]:
    if reason not in process.CLOSE_REASONS:
        raise LedgerError(f"close reason {reason!r} is unknown: expected one of "
                          + ", ".join(process.CLOSE_REASONS))
    inv, _ = _open_invoice(ledger, number, policy, vat_deductible, day)
    data = {"date": day.isoformat(), "reason": reason}
    if reason == "paid":
        open_ = process.amount_due(inv, ledger.clients[inv.client], policy, vat_deductible, day)
        if open_ > 0:
            if not force:
                raise LedgerError(f"invoice {number!r} still has {format_eur(open_)} open on {day.isoformat()}: "
                                  "record the payment with `wik pay`, close it with another reason, or add "
                                  "--force (recorded)")
            data["forced"] = True
            data["open"] = to_str(open_)
    return [(process.CLOSED, number, data)]


def hand_over(ledger, number, day, policy, vat_deductible, *, dossier: str = "",
              force: bool = False) -> list[NewEvent]:
    inv, a = _open_invoice(ledger, number, policy, vat_deductible, day)
    if a.step == 6:
        raise LedgerError(f"invoice {number!r} has already been handed over")
    data = {"date": day.isoformat()}
    problem = _handover_problem(inv, ledger.clients[inv.client], policy, day)
    if problem:
        if not force:
            raise LedgerError(f"{problem}, or add --force (recorded)")
        data["forced"] = True
    if dossier:
        data["dossier"] = dossier
    lost = costs_lost(inv, ledger.clients[inv.client], day)
    if lost:
        data["costs_lost"] = lost
    return [(process.HANDED_OVER, number, data)]


def costs_lost(inv: process.InvoiceFacts, client: Client, day: date) -> str | None:
    """Why no collection costs can be claimed on a consumer's invoice (no WIK-letter announced
    them), or None."""
    if client.type != CONSUMER or process.announcing_letter(inv, client.type, day) is not None:
        return None
    return (f"invoice {inv.number!r} had no WIK-letter: no collection costs can be claimed from this consumer "
            "(art. 6:96 lid 6 BW), the claim is the principal and the interest")


def _handover_problem(inv, client, policy, day) -> str | None:
    """Why a hand-over on ``day`` comes too early: no notice of default, or its term runs."""
    notices = [x for x in inv.live(inv.letters, day) if x.kind == process.DEFAULT]
    if not notices:
        return (f"invoice {inv.number!r} has no notice of default: send one first "
                f"(`wik letter {inv.number} --kind default`)")
    _, after = process.letter_dates(notices[-1], policy, client)
    if day < after:
        return (f"invoice {inv.number!r}: the notice of default of {notices[-1].day.isoformat()} gives the "
                f"debtor until {(after - timedelta(days=1)).isoformat()}: hand it over from {after.isoformat()}")
    return None


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
    """The due date: explicit, or the invoice date plus the term (policy default); either way
    moved past a Saturday, Sunday or holiday, as the Algemene termijnenwet moves a term's end
    (art. 1; art. 2 extends it to agreed terms), so a given date and a term in days agree."""
    if due is not None and term is not None:
        raise LedgerError("give --due or --term, not both")
    from wikcli.rules import deadlines

    if due is not None:
        return deadlines.extend_atw(due)[0]
    days = policy.payment_term_days if term is None else term
    if not 1 <= days <= 365:
        raise LedgerError(f"--term {days} is out of range: expected 1 to 365 days")
    return deadlines.due_date(day, days)



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


def import_invoices(ledger: process.Ledger, items, policy: Policy, default_type: str | None,
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
            raise LedgerError(f"{it.at('number')}: invoice {it.number!r} appears twice in the file; nothing was "
                              "imported")
        numbers.add(it.number)
        _check_imported(it)
        due, due_from = _import_due(it, policy)
        known = ledger.invoices.get(it.number)
        if known is not None and known.client in ledger.forgotten:
            # Its client's data is erased: the number, amount and dates must do, and nothing
            # of the file may bring the erased data back.
            cid, how, conflict = known.client, "id", None
        else:
            cid, how, conflict = index.match(it)
        if known is not None:
            diffs = _differences(ledger, known, it, cid, due, due_from)
            if diffs:
                raise LedgerError(f"{it.at('number')}: invoice {it.number!r} is already in the ledger with other data "
                                  f"({'; '.join(diffs)}); nothing was imported")
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
                added = add_client(process.Ledger(), client, allow_duplicate_name=True)
            except LedgerError as e:
                raise LedgerError(f"{it.at('client_name')}: {e}") from None
            plan.events += added
            index.add(Client(**added[0][2]))
            what = "buyer id" if it.kind == "ubl" else "client id"
            if conflict is not None:
                plan.warnings.append(f"{it.at('client_id')}: {what} {raw!r} is client {conflict.id!r} "
                                     f"({conflict.name!r}) in the ledger, not {it.client_name!r}: new client "
                                     f"{cid!r}, with {raw!r} kept as its external id")
            elif raw and raw != cid:
                plan.warnings.append(f"{it.at('client_id')}: {what} {raw!r} cannot serve as a wik client id: "
                                     f"new client {cid!r}, with {raw!r} kept as its external id")
        else:
            c = index.clients[cid]
            if conflict is not None:
                plan.warnings.append(f"{it.at('client_id')}: buyer id {it.client_id!r} is client {conflict.id!r} "
                                     f"({conflict.name!r}) in the ledger: booked on client {cid!r}, which has "
                                     "the buyer's name")
            if it.client_type and it.client_type != c.type:
                plan.warnings.append(f"{it.at('client_type')}: the file says {it.client_type}, client {cid!r} is a "
                                     f"{c.type} in the ledger: kept as a {c.type}")
        if due < it.date:
            raise LedgerError(f"{it.at('due')}: due date {due.isoformat()} is before the invoice date "
                              f"{it.date.isoformat()}; nothing was imported")
        try:
            description = check_text(it.description, "description")
        except LedgerError as e:
            raise LedgerError(f"{it.at('description')}: {e}") from None
        data = {"client": cid, "amount": to_str(it.amount), "date": it.date.isoformat(),
                "due": due.isoformat(), "description": description}
        if it.agreement:
            data["agreement"] = check_agreement(it.agreement, f"{it.at('agreement')}: agreement")
        if it.reference:
            data["reference"] = it.reference
        plan.events.append((process.INVOICE_ADDED, it.number, data))
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
            raise LedgerError(f"{it.at(name)}: {e}; nothing was imported") from None


def _import_due(it, policy: Policy) -> tuple[date, str]:
    """The due date and where it comes from: the file's date, its term in days, or the policy."""
    if it.due is not None:
        return it.due, "file"
    if it.term is not None:
        return invoice_due(it.date, None, it.term, policy), "payment-terms"
    return invoice_due(it.date, None, None, policy), "policy"


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class _ClientIndex:
    """The ledger's clients by what an import looks them up by, kept current as a file adds
    clients (a file of thousands of rows stays one pass)."""

    def __init__(self, ledger: process.Ledger) -> None:
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
                        raise LedgerError(f"{it.at('client_id')}: client {conflict.id!r} has been forgotten: no new "
                                          "invoices for it; give this client another id")
                    raise LedgerError(f"{it.at('client_id')}: client id {raw!r} is {conflict.name!r} in the ledger, "
                                      f"but the file names {it.client_name!r}: correct the name or the client id "
                                      "in the file")
        named = self.by_name.get(key, [])
        if len(named) > 1:
            raise LedgerError(f"{it.at('client_name')}: clients {', '.join(repr(c.id) for c in named)} all have "
                              "this name: give the client id in the file")
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


def _differences(ledger: process.Ledger, known: process.InvoiceFacts, it, cid: str | None, due: date,
                 due_from: str) -> list[str]:
    """How a known invoice and a file's row of the same number differ (nothing: the same)."""
    diffs = []
    forgotten = known.client in ledger.forgotten
    if not forgotten and cid != known.client:
        diffs.append(f"client {known.client!r} in the ledger, {it.client_name!r} in the file")
    if known.amount != it.amount:
        diffs.append(f"amount {to_str(known.amount)} in the ledger, {to_str(it.amount)} in the file")
    if known.date != it.date:
        diffs.append(f"date {known.date.isoformat()} in the ledger, {it.date.isoformat()} in the file")
    # A due date wik chose by its own policy is no data of the file.
    if due_from != "policy" and known.due != due:
        diffs.append(f"due date {known.due.isoformat()} in the ledger, {due.isoformat()} in the file")
    if not forgotten and " ".join(known.description.split()) != " ".join(it.description.split()):
        diffs.append("another description")
    return diffs

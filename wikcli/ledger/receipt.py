"""Proof of receipt: per letter what the journal holds about its reaching the debtor.

A court awards collection costs only when the creditor shows that the WIK-letter reached the
consumer, and when (HR 25-11-2016, ECLI:NL:HR:2016:2704). By e-mail a letter is received when
the server accepts it (Rb. Noord-Holland 26-7-2017, ECLI:NL:RBNHO:2017:6320): wik keeps the
Message-ID, the server's reply and the moment it came (``wik send``), and a bounce (``wik
bounced``: not received, so as if not sent). By registered post: the barcode and the delivery
status (``wik registered``; refused and not collected count as received). Where the address
came from and whether letters by e-mail were agreed is the client's (``wik client email``).
"""

from __future__ import annotations

from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.ledger.events import LetterBouncedData, LetterRegisteredData, LetterSentData


def letters(inv: facts.InvoiceFacts) -> list[dict]:
    """Every letter-sent of the invoice, oldest first, with its proof of receipt."""
    bounces: dict[int, LetterBouncedData] = {}
    posts: dict[int, list[LetterRegisteredData]] = {}
    for e in inv.events:
        if e.type == events.LETTER_BOUNCED:
            bounce = LetterBouncedData.load(e.data)
            bounces[bounce.seq] = bounce
        elif e.type == events.LETTER_REGISTERED:
            r = LetterRegisteredData.load(e.data)
            posts.setdefault(r.seq, []).append(r)
    out = []
    for e in inv.events:
        if e.type != events.LETTER_SENT:
            continue
        d = LetterSentData.load(e.data)
        b = bounces.get(e.seq)
        reg = posts.get(e.seq)
        status = next((r for r in reversed(reg or []) if r.status), None)
        out.append({
            "seq": e.seq, "kind": d.kind, "date": d.day.isoformat(), "via": d.via,
            "email": None if d.email is None else d.email.to_payload(),
            "bounced": None if b is None else {"date": b.day.isoformat(), "reason": b.reason},
            "registered": None if not reg else {
                "barcode": reg[-1].barcode,
                "status": None if status is None else status.status,
                "status_date": None if status is None else status.day.isoformat()},
            "received": _received(d, b, status),
        })
    return out


def _received(d: LetterSentData, bounce: LetterBouncedData | None, status: LetterRegisteredData | None) -> str | None:
    """The day the letter counts as received as far as the journal proves it, or None: a
    bounce is no receipt; an accepted e-mail is received the day the server accepted it; a
    registered letter the day of its status (refused, not collected count as received)."""
    if bounce is not None:
        return None
    if d.email:
        return d.email.accepted_at[:10]
    if status is not None:
        return status.day.isoformat()
    return None


def client(c) -> dict:
    return {"source": c.email_source or None, "given": c.email_given or None, "letters_agreed": c.email_letters}

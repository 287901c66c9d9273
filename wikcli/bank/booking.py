"""Payments from the bank statement: which open claim each credit pays, booked as `wik pay`
books a payment, or kept for review; every bank transaction recorded once.

Pure: the ledger, its journal events, the credits ``bank.parse`` read, the rulebook and today
in; the events to append and what they mean out. What is open comes from ``process``; every
payment goes through ``decide.pay`` and its checks.

Rules (docs/bank.md):
- Candidates are the ledger's invoices (each with the RF reference of its number where that
  names it alone, the references of the letters about it alone, and the amounts it asks:
  what is open of it, what those letters asked, a payment plan's installments) and the
  letters about several invoices (their reference and what they asked). ``bank.match``
  decides; one candidate is a match, several or none leave the credit unmatched.
- A match is booked on the credit's booking date. A letter's claim over several invoices is
  allocated oldest invoice first, each up to what is open on it. More than is open (a second
  credit for an invoice already paid, in this run or before) is never booked: it is kept
  unmatched as an overpayment.
- After a booking the candidates of the invoices paid are made again from the ledger before
  the next credit from that client's IBAN or name is matched, so it is matched against what
  is open then; an IBAN remembered during the run counts for the credits after it.
- A credit the journal holds (a payment, a credit kept or ignored) is passed over: importing
  a statement again, an overlapping one, or the same days in another format, adds nothing.
  It is the same credit when its identity agrees (``bank.credit_identity``: account number,
  booking date, amount, payer and text, whatever the format or the bank's reference), or
  when its key does and so do its booking date and amount (a bank reference reused for
  another entry is another credit).
- A credit that probably duplicates a payment the ledger holds (``duplicates``: by hand or
  from another statement) is kept for review with the payment it duplicates, never booked;
  so is a credit for more than is open today, not only on its booking date.
- The payer's IBAN is remembered on the client (``client-iban``) once a payment from it is
  booked, so a later credit from it can match by amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable

from wikcli.bank import statements as bank, duplicates
from wikcli.ledger import commands as decide, process
from wikcli.bank.statements import Candidate, Credit
from wikcli.ledger.commands import LedgerError, NewEvent
from wikcli.ledger.rulebook import Rulebook
from wikcli.rules.money import ZERO, format_eur, to_str

RULE_MANUAL = "manual"  # booked by hand with `wik bank match`
STATE_UNMATCHED = "unmatched"
STATE_VOIDED = "voided"  # booked, and every payment of it voided since: to be reviewed again


# --------------------------------------------------------------------------- bank data

def credit_data(c: Credit) -> dict:
    """The bank transaction as the journal keeps it (on a payment or a kept credit)."""
    return {
        "key": c.key, "account": c.account, "statement": c.statement,
        "booking_date": c.booking_date.isoformat(),
        "value_date": None if c.value_date is None else c.value_date.isoformat(),
        "amount": to_str(c.amount), "counterparty_name": c.counterparty_name,
        "counterparty_iban": c.counterparty_iban, "text": c.remittance, "reference": c.reference,
        "end_to_end": c.end_to_end, "bank_ref": c.bank_ref, "identity": identity(c),
    }


def identity(c: Credit) -> str:
    """The credit's identity; a credit recorded before identities were (or made in code) gets
    it from what the journal holds, as the first of its kind in its statement."""
    return c.identity or bank.credit_identity(c.account, c.booking_date, c.amount, c.counterparty_iban,
                                              c.counterparty_name, c.remittance, c.reference)


def credit_of(data: dict) -> Credit:
    """A credit back from the journal's bank data (``credit_data``)."""
    iban = data.get("counterparty_iban") or ""
    return Credit(
        key=data["key"], account=data.get("account", ""), booking_date=date.fromisoformat(data["booking_date"]),
        value_date=date.fromisoformat(data["value_date"]) if data.get("value_date") else None,
        amount=Decimal(data["amount"]), currency=bank.EUR, counterparty_name=data.get("counterparty_name") or "",
        counterparty_iban=iban, counterparty_iban_valid=bank._iban_valid(iban),
        remittance=data.get("text") or "", reference=data.get("reference"), bank_ref=data.get("bank_ref"),
        end_to_end=data.get("end_to_end"), statement=data.get("statement", ""), identity=data.get("identity", ""))


def _describe(c: Candidate) -> dict:
    return {"invoices": list(c.invoices), "letter": c.letter}


# --------------------------------------------------------------------------- what the journal holds

@dataclass
class Pending:
    """A credit to review: kept unmatched, or booked and every payment of it voided since."""

    seq: int  # the event that holds it: the bank-unmatched event, or the first payment
    credit: Credit
    state: str  # STATE_UNMATCHED or STATE_VOIDED
    reason: str
    rule: str | None = None
    candidates: list = field(default_factory=list)
    duplicate_of: int | None = None  # the payment it probably duplicated when it was kept

    def to_json(self) -> dict:
        c = self.credit
        return {"seq": self.seq, "tx": c.key, "date": c.booking_date.isoformat(), "amount": to_str(c.amount),
                "counterparty": c.counterparty_name, "iban": c.counterparty_iban, "text": c.remittance,
                "reference": c.reference, "state": self.state, "reason": self.reason, "rule": self.rule,
                "candidates": self.candidates, "duplicate_of": self.duplicate_of}


@dataclass
class History:
    """The bank transactions the journal holds, by key."""

    keys: set[str] = field(default_factory=set)
    identities: set[str] = field(default_factory=set)
    facts: dict[str, tuple] = field(default_factory=dict)  # key -> (booking date, amount) as recorded
    booked: dict[str, list] = field(default_factory=dict)  # key -> its payment events
    kept: dict[str, object] = field(default_factory=dict)  # key -> its bank-unmatched event
    ignored: dict[str, object] = field(default_factory=dict)  # key -> its bank-ignored event

    @classmethod
    def of(cls, events: Iterable) -> "History":
        h = cls()
        for ev in events:
            t = ev.type
            if t == process.PAYMENT:
                b = ev.data.get("bank")
                if b:
                    h.booked.setdefault(b["key"], []).append(ev)
                    h.note(b)
            elif t == process.BANK_UNMATCHED:
                key = ev.data["bank"]["key"]
                h.kept.setdefault(key, ev)
                h.note(ev.data["bank"])
            elif t == process.BANK_IGNORED:
                h.ignored.setdefault(ev.data["key"], ev)
                h.keys.add(ev.data["key"])
        return h

    def note(self, data: dict) -> None:
        """A bank transaction as the journal records it (``credit_data``)."""
        c = credit_of(data)
        self.add(c)

    def add(self, c: Credit) -> None:
        self.keys.add(c.key)
        self.identities.add(identity(c))
        self.facts.setdefault(c.key, (c.booking_date, c.amount))

    def holds(self, c: Credit) -> bool:
        """Whether this credit is one the journal (or this run) already holds."""
        if identity(c) in self.identities:
            return True
        return c.key in self.keys and self.facts.get(c.key, (c.booking_date, c.amount)) == (c.booking_date, c.amount)

    def live_payments(self, key: str, ledger: process.Ledger, today: date) -> list:
        out = []
        for ev in self.booked.get(key, ()):
            inv = ledger.invoices.get(ev.invoice)
            if inv is not None and not inv.is_voided(ev.seq, today):
                out.append(ev)
        return out

    def pending(self, ledger: process.Ledger, today: date) -> list[Pending]:
        """Credits to review, oldest booking date first: kept unmatched, or booked and voided
        since, and neither booked (again) nor ignored."""
        out = []
        for key in self.kept.keys() | self.booked.keys():
            if key in self.ignored or self.live_payments(key, ledger, today):
                continue
            kept = self.kept.get(key)
            if kept is not None:
                d = kept.data
                out.append(Pending(kept.seq, credit_of(d["bank"]), STATE_UNMATCHED, d.get("reason", ""),
                                   d.get("rule"), list(d.get("candidates", [])), d.get("duplicate_of")))
            else:
                first = self.booked[key][0]
                numbers = ", ".join(dict.fromkeys(e.invoice for e in self.booked[key]))
                out.append(Pending(first.seq, credit_of(first.data["bank"]), STATE_VOIDED,
                                   f"its payment on invoice {numbers} was voided"))
        out.sort(key=lambda p: (p.credit.booking_date, p.seq))
        return out


def find_pending(history: History, ledger: process.Ledger, tx: str, today: date) -> Pending:
    """The credit to review that ``tx`` names: the number `wik bank unmatched` shows, or its key."""
    tx = tx.strip().lstrip("#")
    pending = history.pending(ledger, today)
    for p in pending:
        if (tx.isdigit() and p.seq == int(tx)) or p.credit.key == tx:
            return p
    key = tx
    if tx.isdigit():
        seq = int(tx)
        for k, evs in history.booked.items():
            if any(e.seq == seq for e in evs):
                key = k
        for k, ev in (*history.kept.items(), *history.ignored.items()):
            if ev.seq == seq:
                key = k
    if key in history.ignored:
        ev = history.ignored[key]
        raise LedgerError(f"bank transaction {tx!r} was ignored on {ev.data['date']} "
                          f"({ev.data.get('reason', '')}): nothing to review")
    live = history.live_payments(key, ledger, today)
    if live:
        numbers = ", ".join(dict.fromkeys(e.invoice for e in live))
        raise LedgerError(f"bank transaction {tx!r} is booked on invoice {numbers}: void that payment "
                          "first to book it elsewhere")
    raise LedgerError(f"bank transaction {tx[:80]!r} is not a credit kept for review: see `wik bank unmatched`")


# --------------------------------------------------------------------------- candidates

def _letters(inv: process.InvoiceFacts, today: date) -> Iterable[dict]:
    """The data of the letters recorded (sent, or rendered) about this invoice that carry a
    payment reference, a voided letter left out."""
    for ev in inv.events:
        if ev.type in (process.LETTER_SENT, process.LETTER_RENDERED) and ev.data.get("reference"):
            if ev.type == process.LETTER_SENT and inv.is_voided(ev.seq, today):
                continue
            yield ev.data


class Pool:
    """The ledger's candidates, indexed once, and made again for the invoices a booking paid.

    Only the amount rule reads what a candidate asks, and it looks a candidate up by its
    client's IBANs and name; so a paid invoice's candidate is made again (``ready``) only
    when a credit from that client's IBAN or name comes to the amount rule, not after every
    booking."""

    def __init__(self, ledger: process.Ledger, rulebook: Rulebook, today: date):
        self.ledger, self.rulebook, self.today = ledger, rulebook, today
        self.own = bank.invoice_references(ledger.invoices)
        self.kenmerken: dict | None = None  # made on first use: most imports match by RF
        # Letters about several invoices, one candidate per set of invoices: a reminder and a
        # WIK-letter about the same invoices are one claim, not two that make a text ambiguous.
        self.groups: dict[frozenset, dict] = {}
        self.single: dict[str, list[dict]] = {}
        for inv in ledger.invoices.values():
            for d in _letters(inv, today):
                numbers = d.get("invoices") or [inv.number]
                if len(numbers) == 1:
                    self.single.setdefault(inv.number, []).append(d)
                    continue
                g = self.groups.setdefault(frozenset(numbers), {"numbers": tuple(numbers), "letters": {}})
                g["letters"].setdefault(d.get("letter") or d.get("file", ""), d)
        self.of_invoice: dict[str, Candidate] = {}
        self.of_group: dict[frozenset, Candidate] = {}
        for inv in ledger.invoices.values():
            self.of_invoice[inv.number] = self._invoice(inv)
        for key, g in self.groups.items():
            self.of_group[key] = self._group(g)
        self.index = bank.Candidates([*self.of_invoice.values(), *self.of_group.values()])
        self.groups_of: dict[str, list[frozenset]] = {}
        for key in self.groups:
            for n in key:
                self.groups_of.setdefault(n, []).append(key)
        self.invoices_of: dict[str, list[str]] = {}
        for inv in ledger.invoices.values():
            self.invoices_of.setdefault(inv.client, []).append(inv.number)
        # The clients an IBAN or a name (as the amount rule compares them) points to.
        self.clients_by: dict[str, set[str]] = {}
        for c in ledger.clients.values():
            if c.id in ledger.forgotten:
                continue
            for key in (bank.name_key(c.name), *(bank.iban_key(i) for i in c.ibans)):
                self.clients_by.setdefault(key, set()).add(c.id)
        self.dirty: dict[str, set[str]] = {}  # client -> invoices whose candidates are out of date

    def touch(self, client: str, numbers: Iterable[str]) -> None:
        """These invoices' candidates are out of date (a payment on them, a new IBAN)."""
        self.dirty.setdefault(client, set()).update(numbers)

    def learn_iban(self, client: str, iban: str) -> None:
        """The client's candidates are found by this IBAN from now on."""
        self.clients_by.setdefault(bank.iban_key(iban), set()).add(client)
        self.index.add_iban(client, iban)

    def ready(self, credit: Credit) -> bool:
        """Make again the out-of-date candidates of the clients this credit's IBAN or name
        points to; whether there were any."""
        if not self.dirty:
            return False
        done = False
        for key in (bank.iban_key(credit.counterparty_iban), bank.name_key(credit.counterparty_name)):
            for client in self.clients_by.get(key, ()):
                numbers = self.dirty.pop(client, None)
                if numbers:
                    self.refresh(sorted(numbers))
                    done = True
        return done

    def _client(self, inv: process.InvoiceFacts):
        client = self.ledger.clients[inv.client]
        forgotten = inv.client in self.ledger.forgotten
        return client, () if forgotten else client.ibans, "" if forgotten else client.name

    def _invoice(self, inv: process.InvoiceFacts) -> Candidate:
        client, ibans, name = self._client(inv)
        refs = [self.own[inv.number]] if inv.number in self.own else []
        if self.kenmerken is None:
            self.kenmerken = bank.invoice_kenmerken(self.ledger.invoices)
        if inv.number in self.kenmerken:
            refs.append(self.kenmerken[inv.number])
        if inv.payment_reference:
            refs.append(inv.payment_reference)  # the kenmerk the invoice itself carried
        asked: list[Decimal] = []
        for d in self.single.get(inv.number, ()):
            refs.append(d["reference"])
            asked.append(Decimal((d.get("claim") or {}).get("requested", "0")))
        if any(kind == process.CLOSED and day <= self.today for day, kind, _ in inv.marks):
            # Closed by hand: found by its reference or number (and then refused, or taken
            # where money may still come in), never by an amount alone.
            due, plan = ZERO, None
        else:
            a = process.assess(inv, client, self.rulebook, max(self.today, inv.date), with_interest=False)
            due, plan = (a.standing.principal_open if a.closed is None else ZERO), a.plan
        if due <= 0:
            asked = []
        elif plan is not None:
            asked += [i.amount for i in plan.installments]
        return Candidate((inv.number,), inv.client, due, tuple(dict.fromkeys(refs)), ibans, name,
                         amounts=tuple(dict.fromkeys(asked)))

    def _group(self, g: dict) -> Candidate:
        numbers = g["numbers"]
        invs = [self.ledger.invoices[n] for n in numbers if n in self.ledger.invoices]
        client, ibans, name = self._client(invs[0])
        due = sum((self.of_invoice[i.number].amount_due for i in invs), ZERO)
        letters = sorted(g["letters"].values(), key=lambda d: d.get("date", ""))
        refs = tuple(dict.fromkeys(d["reference"] for d in letters))
        asked = () if due <= 0 else tuple(dict.fromkeys(
            Decimal((d.get("claim") or {}).get("requested", "0")) for d in letters))
        letter = letters[-1].get("letter") or letters[-1].get("file")
        return Candidate(tuple(numbers), invs[0].client, due, refs, ibans, name, letter=letter, amounts=asked)

    def refresh(self, numbers: Iterable[str]) -> None:
        """Make the candidates of these invoices (and of the letters about them) again."""
        groups = set()
        for n in numbers:
            old = self.of_invoice[n]
            new = self._invoice(self.ledger.invoices[n])
            self.of_invoice[n] = new
            self.index.replace(old, new)
            groups.update(self.groups_of.get(n, ()))
        for key in groups:
            old = self.of_group[key]
            new = self._group(self.groups[key])
            self.of_group[key] = new
            self.index.replace(old, new)


# --------------------------------------------------------------------------- importing

@dataclass(frozen=True)
class Booked:
    """A credit matched and booked: one payment per invoice it was allocated to."""

    credit: Credit
    rule: str
    evidence: str
    client: str
    letter: str | None
    parts: tuple[tuple[str, Decimal], ...]  # (invoice, amount), oldest invoice first
    seqs: tuple[int, ...] = ()  # the payment events, once recorded

    def to_json(self) -> dict:
        c = self.credit
        return {"tx": c.key, "seq": list(self.seqs) or None, "date": c.booking_date.isoformat(),
                "amount": to_str(c.amount), "counterparty": c.counterparty_name, "iban": c.counterparty_iban,
                "text": c.remittance, "rule": self.rule, "evidence": self.evidence, "client": self.client,
                "letter": self.letter,
                "payments": [{"invoice": n, "amount": to_str(a)} for n, a in self.parts]}


@dataclass(frozen=True)
class Kept:
    """A credit kept unmatched, with the reason; never booked."""

    credit: Credit
    reason: str
    rule: str | None
    candidates: tuple[dict, ...] = ()
    seq: int | None = None  # the bank-unmatched event, once recorded
    duplicate_of: int | None = None  # the payment it probably duplicates

    def to_json(self) -> dict:
        c = self.credit
        return {"tx": c.key, "seq": self.seq, "date": c.booking_date.isoformat(), "amount": to_str(c.amount),
                "counterparty": c.counterparty_name, "iban": c.counterparty_iban, "text": c.remittance,
                "reference": c.reference, "reason": self.reason, "rule": self.rule,
                "candidates": list(self.candidates), "duplicate_of": self.duplicate_of}


@dataclass
class BankImportPlan:
    events: list[NewEvent] = field(default_factory=list)
    results: list[Booked | Kept] = field(default_factory=list)  # in the order of the credits
    already: int = 0  # credits whose key the journal (or an earlier file of the run) holds
    ibans: list[tuple[str, str]] = field(default_factory=list)  # (client, IBAN) remembered

    @property
    def booked(self) -> list[Booked]:
        return [r for r in self.results if isinstance(r, Booked)]

    @property
    def kept(self) -> list[Kept]:
        return [r for r in self.results if isinstance(r, Kept)]


# How often Importer.run tells its tick how far it has come, in credits.
TICK = 100


class Importer:
    """Credits in, events out, against a working copy of the ledger that each booking updates
    (so the files of one run, and the credits of one file, see each other's payments)."""

    def __init__(self, ledger: process.Ledger, events: Iterable, rulebook: Rulebook,
                 today: date):
        self.ledger, self.rulebook, self.today = ledger, rulebook, today
        events = list(events)
        self.history = History.of(events)
        self.paid = duplicates.Payments(ledger, events, today)
        self.pool = Pool(ledger, rulebook, today)
        self.next_seq = ledger.last_seq + 1

    def run(self, credits: Iterable[Credit], tick: Callable[[int, int], None] | None = None) -> BankImportPlan:
        """``tick(done, total)``, when given, hears how far the credits have come (every
        ``TICK`` credits and at the end): the command line draws a progress bar from it."""
        plan = BankImportPlan()
        credits = list(credits)
        total = len(credits)
        for done, credit in enumerate(credits):
            if tick is not None and done % TICK == 0:
                tick(done, total)
            if self.history.holds(credit):
                plan.already += 1
                continue
            self.history.add(credit)
            found = bank.match(credit, self.pool.index)
            # Only the amount rule reads what a candidate asks: when it decided, it must have
            # decided on what is open now.
            if found.rule in (bank.RULE_AMOUNT, None) and self.pool.ready(credit):
                found = bank.match(credit, self.pool.index)
            if isinstance(found, bank.Unmatched):
                result: Booked | Kept = Kept(credit, found.reason, found.rule,
                                             tuple(_describe(c) for c in found.candidates))
            elif (dup := self.paid.probable(credit, found.candidate.invoices)) is not None:
                result = Kept(credit, duplicates.reason(dup), found.rule, (_describe(found.candidate),),
                              duplicate_of=dup.seqs[0])
            else:
                result = self._book(found, plan)
            if isinstance(result, Kept):
                data: dict[str, object] = {"date": credit.booking_date.isoformat(), "bank": credit_data(credit),
                        "reason": result.reason, "rule": result.rule, "candidates": list(result.candidates)}
                if result.duplicate_of is not None:
                    data["duplicate_of"] = result.duplicate_of
                plan.events.append((process.BANK_UNMATCHED, None, data))
                result = replace(result, seq=self._take_seq())
            plan.results.append(result)
        if tick is not None:
            tick(total, total)
        return plan

    def _take_seq(self, n: int = 1) -> int:
        first = self.next_seq
        self.next_seq += n
        return first

    def _book(self, m: bank.Match, plan: BankImportPlan) -> Booked | Kept:
        credit, cand = m.credit, m.candidate
        day = credit.booking_date
        try:
            if len(cand.invoices) == 1:
                # `wik pay` checks what is open itself: what a refusal says is worked out
                # only when it refuses.
                parts = [(cand.invoices[0], credit.amount)]
            else:
                parts = allocate(self.ledger, cand.invoices, credit.amount, day, self.rulebook)
            events: list[NewEvent] = []
            for number, amount in parts:
                events += decide.pay(self.ledger, number, amount, day, self.rulebook, today=self.today,
                                     whole_claim=len(parts) == 1 and len(cand.invoices) == 1)
        except LedgerError as e:
            reason = str(e)
            if len(cand.invoices) == 1:
                inv = self.ledger.invoices[cand.invoices[0]]
                due = process.amount_due(inv, self.ledger.clients[inv.client], self.rulebook,
                                         max(day, inv.date))
                if credit.amount > due:
                    reason = _overpaid(credit.amount, due, [inv.number], day)
            return Kept(credit, reason, m.rule, (_describe(cand),))
        # `wik pay` splits a payment on one invoice of a joint letter over the letter's claim.
        parts = [(str(number), Decimal(data["amount"])) for _, number, data in events]
        late = self._more_than_open_now(parts, day)
        if late:
            return Kept(credit, late, m.rule, (_describe(cand),))
        bank_data = credit_data(credit) | {"rule": m.rule, "evidence": m.evidence}
        seqs = []
        for t, paid, data in events:
            number = str(paid)
            data["bank"] = bank_data
            seq = self._take_seq()
            seqs.append(seq)
            self.ledger.invoices[number].payments.append(process.Payment(day, Decimal(data["amount"]), seq))
        plan.events += events
        self.paid.add(credit, parts, seqs)
        client = self.ledger.invoices[cand.invoices[0]].client
        self.pool.touch(client, (n for n, _ in parts))
        learnt = remember_iban(self.ledger, client, credit)
        if learnt:
            plan.events += learnt
            self._take_seq()
            plan.ibans.append((client, credit.counterparty_iban))
            self.pool.learn_iban(client, credit.counterparty_iban)
        return Booked(credit, m.rule, m.evidence, client, cand.letter, tuple(parts), tuple(seqs))

    def _more_than_open_now(self, parts, day: date) -> str | None:
        """Why the parts are more than is open today (a payment recorded since the booking
        date, by hand or from a later statement), or None."""
        if self.today <= day:
            return None  # `wik pay` checked the booking date
        for number, amount in parts:
            inv = self.ledger.invoices[number]
            due = process.amount_due(inv, self.ledger.clients[inv.client], self.rulebook,
                                     max(self.today, inv.date))
            if amount > due:
                return _overpaid(amount, due, [number], self.today) + " (payments recorded since its booking date)"
        return None


def allocate(ledger: process.Ledger, numbers: Iterable[str], amount: Decimal, day: date,
             rulebook: Rulebook) -> list[tuple[str, Decimal]]:
    """How a credit of ``amount`` on ``day`` is booked on several invoices of one claim: over
    the claim as a whole (``claimpay.split``: costs, interest, principal, each oldest invoice
    first). More than is open on all of them is refused as an overpayment. (On one invoice it is all of it, and `wik
    pay` refuses more than is open.)"""
    from wikcli.ledger import claimpay

    numbers = list(numbers)
    s = claimpay.split(ledger, numbers, amount, day, rulebook)
    if s.rest > 0:
        invs = sorted((ledger.invoices[n] for n in numbers), key=lambda i: (i.date, i.due, i.number))
        raise LedgerError(_overpaid(amount, s.open_total, [i.number for i in invs], day))
    return list(s.parts)


def _overpaid(amount: Decimal, due: Decimal, numbers: list[str], day: date) -> str:
    which = f"invoice{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"
    if due <= 0:
        return f"overpayment: {which} had nothing open on {day.isoformat()} (already paid)"
    return (f"overpayment: {format_eur(amount)} is more than the {format_eur(due)} open on {which} on "
            f"{day.isoformat()}")


def remember_iban(ledger: process.Ledger, client_id: str, credit: Credit) -> list[NewEvent]:
    """A ``client-iban`` event for the payer's IBAN if it is valid and new for the client; the
    working ledger's client learns it at once."""
    iban = credit.counterparty_iban
    client = ledger.clients.get(client_id)
    if not credit.counterparty_iban_valid or client is None or client_id in ledger.forgotten or iban in client.ibans:
        return []
    ledger.clients[client_id] = replace(client, ibans=client.ibans + (iban,))
    return [(process.CLIENT_IBAN, None, {"id": client_id, "iban": iban, "date": credit.booking_date.isoformat(),
                                         "tx": credit.key})]


# --------------------------------------------------------------------------- review

def match_by_hand(ledger: process.Ledger, events: Iterable, tx: str, number: str | tuple[str, ...],
                  rulebook: Rulebook, *, today: date, allow_overpayment: bool = False, force: bool = False
                  ) -> tuple[list[NewEvent], Pending]:
    """Book a credit kept for review on invoice ``number``, as `wik pay` would (same checks);
    one that probably duplicates a payment on the invoice (or its letter's) only with ``force``.
    ``number`` may be several invoices of one client (a tuple), over which the credit is split
    as over one claim (``allocate``)."""
    events = list(events)
    history = History.of(events)
    p = find_pending(history, ledger, tx, today)
    credit = p.credit
    numbers = list(dict.fromkeys((number,) if isinstance(number, str) else number))
    known = [n for n in numbers if n in ledger.invoices]
    if known and not force:
        dup = duplicates.Payments(ledger, events, today).probable(credit, known)
        if dup is not None:
            raise LedgerError(f"credit {tx!r} of {format_eur(credit.amount)} of {credit.booking_date.isoformat()} is "
                              f"probably a duplicate of {dup.describe()}: add --force to book it as a second "
                              "payment")
    if len(numbers) == 1:
        number = numbers[0]
        if number in ledger.invoices and not allow_overpayment and today > credit.booking_date:
            inv = ledger.invoices[number]
            due = process.amount_due(inv, ledger.clients[inv.client], rulebook, max(today, inv.date))
            if credit.amount > due:
                raise LedgerError(f"payment {format_eur(credit.amount)} on invoice {number!r} is more than the "
                                  f"{format_eur(due)} due on {today.isoformat()} (payments recorded since "
                                  f"{credit.booking_date.isoformat()}): add --allow-overpayment to record the rest "
                                  "as credit")
        out = decide.pay(ledger, number, credit.amount, credit.booking_date, rulebook, today=today,
                         allow_overpayment=allow_overpayment)
    else:
        out = _several(ledger, numbers, credit, rulebook, today, allow_overpayment)
    for _, _, data in out:
        data["bank"] = credit_data(credit) | {"rule": RULE_MANUAL, "evidence": ", ".join(numbers)}
    out += remember_iban(ledger, ledger.invoices[numbers[0]].client, credit)
    return out, p


def _several(ledger, numbers: list[str], credit: Credit, rulebook: Rulebook, today: date,
             allow_overpayment: bool) -> list[NewEvent]:
    """One credit booked on several invoices of one client: split over them as one claim."""
    from wikcli.ledger import claimpay

    for n in numbers:
        if n not in ledger.invoices:
            raise LedgerError(f"invoice {n[:80]!r} is not in the ledger: see `wik invoice list`")
    clients = {ledger.invoices[n].client for n in numbers}
    if len(clients) > 1:
        raise LedgerError("one credit pays invoices of one client: "
                          + ", ".join(f"{n} ({ledger.invoices[n].client})" for n in numbers))
    day = credit.booking_date
    s = claimpay.split(ledger, numbers, credit.amount, day, rulebook)
    if s.rest > 0 and not allow_overpayment:
        raise LedgerError(_overpaid(credit.amount, s.open_total, numbers, day)
                          + ": add --allow-overpayment to record the rest as credit")
    parts = dict(s.parts)
    if s.rest > 0:
        parts[numbers[0]] = parts.get(numbers[0], ZERO) + s.rest
    out: list[NewEvent] = []
    for n, amount in parts.items():
        out += decide.pay(ledger, n, amount, day, rulebook, today=today, allow_overpayment=True,
                          whole_claim=False)
    return out


def ignore(ledger: process.Ledger, events: Iterable, tx: str, reason: str, day: date) -> tuple[list[NewEvent], Pending]:
    """Mark a credit kept for review as not about an invoice (a refund, a private transfer)."""
    history = History.of(events)
    p = find_pending(history, ledger, tx, day)
    why = decide.check_text(reason, "reason", required=True)
    return [(process.BANK_IGNORED, None, {"key": p.credit.key, "date": day.isoformat(), "reason": why})], p

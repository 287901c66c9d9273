"""Which open claim a bank credit pays: by payment reference, then by invoice numbers named in
the text, then by an amount asked of a client whose IBAN or name is known; one candidate or
nothing, never a guess between several. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal


from wikcli.bank.statements import (
    Credit, _compact, _name, _number, _reference,
)


RULE_REFERENCE = "reference"
RULE_INVOICE_NUMBER = "invoice_number"
RULE_AMOUNT = "amount"


@dataclass(frozen=True)
class Candidate:
    """Something a credit can pay: one open invoice, or a letter's claim over several."""

    invoices: tuple[str, ...]
    client: str
    amount_due: Decimal
    references: tuple[str, ...] = ()  # RF references or betalingskenmerken the invoice or letter carried
    client_ibans: tuple[str, ...] = ()
    client_name: str = ""
    letter: str | None = None  # the letter whose claim this is; None for a single invoice
    # Other amounts it asks besides ``amount_due``, for the amount rule: what a letter asked,
    # a payment plan's installment.
    amounts: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class Match:
    credit: Credit
    candidate: Candidate
    rule: str  # RULE_REFERENCE, RULE_INVOICE_NUMBER or RULE_AMOUNT
    evidence: str  # the reference or invoice number(s) found, or the IBAN or name for an amount

    @property
    def remaining(self) -> Decimal:
        """What the candidate still asks after this credit; below zero when overpaid."""
        return self.candidate.amount_due - self.credit.amount


@dataclass(frozen=True)
class Unmatched:
    credit: Credit
    reason: str  # one line for the user
    rule: str | None = None  # the rule that found several candidates; None when none found any
    candidates: tuple[Candidate, ...] = ()


class Candidates:
    """Open claims indexed once by reference, invoice number and amount, so that matching a
    statement of any length costs one look-up per credit, not a pass over every claim."""

    def __init__(self, candidates: Iterable[Candidate]):
        self.by_reference: dict[str, list[Candidate]] = defaultdict(list)
        self.by_number: dict[str, list[Candidate]] = defaultdict(list)
        # What a client's claims ask, and the clients an IBAN is known for: a client's IBANs
        # are the client's, not each claim's, so learning one (``add_iban``) is one step.
        self.by_amount_client: dict[tuple[Decimal, str], list[Candidate]] = defaultdict(list)
        self.clients_by_iban: dict[str, set[str]] = defaultdict(set)
        self.by_amount_name: dict[tuple[Decimal, str], list[Candidate]] = defaultdict(list)
        self.longest = 0
        for c in candidates:
            for index, key in self._keys(c):
                index[key].append(c)
                if index is self.by_number:
                    self.longest = max(self.longest, len(str(key)))
            for iban in c.client_ibans:
                self.add_iban(c.client, iban)

    def add_iban(self, client: str, iban: str) -> None:
        """Credits from ``iban`` are from ``client`` (the amount rule's known IBANs)."""
        if _compact(iban):
            self.clients_by_iban[_compact(iban)].add(client)

    def _keys(self, c: Candidate) -> Iterator[tuple[dict, object]]:
        for ref in {_reference(r) for r in c.references} - {None}:
            yield self.by_reference, ref
        for num in {_number(i) for i in c.invoices}:
            if len(num) >= MIN_NUMBER:
                yield self.by_number, num
        name = _name(c.client_name)
        for due in {a.quantize(Decimal("0.01")) for a in (c.amount_due, *c.amounts) if a > 0}:
            yield self.by_amount_client, (due, c.client)
            if name:
                yield self.by_amount_name, (due, name)

    def replace(self, old: Candidate, new: Candidate) -> None:
        """Put ``new`` where ``old`` was (what is open on it changed after a payment), so a
        later credit is matched against what is open now."""
        before = {(id(index), key): index for index, key in self._keys(old)}
        after = {(id(index), key): index for index, key in self._keys(new)}
        for (_, key), index in before.items():
            kept = [new if c is old else c for c in index[key]] if (id(index), key) in after else \
                [c for c in index[key] if c is not old]
            if kept:
                index[key] = kept
            else:
                del index[key]
        for (i, key), index in after.items():
            if (i, key) not in before:
                index[key].append(new)
                if index is self.by_number:
                    self.longest = max(self.longest, len(str(key)))
        for iban in new.client_ibans:
            self.add_iban(new.client, iban)


_RF_IN_TEXT = re.compile(r"\bRF\d{2}(?:\s?[A-Z0-9]){1,21}", re.I)


def _rf_in_text(text: str) -> set[str]:
    """RF references typed into the free text, printed in groups of four or not: the check
    digits decide where one ends, so a word after it is not taken along."""
    from stdnum import iso11649

    found = set()
    for m in _RF_IN_TEXT.finditer(text):
        raw = m.group().upper()
        for end in range(len(raw), 4, -1):
            if raw[end - 1] == " ":
                continue
            compact = raw[:end].replace(" ", "")
            if iso11649.is_valid(compact) and (end == len(raw) or not raw[end].isalnum() or raw[end] == " "):
                found.add(compact)
                break
    return found


_ATOM = re.compile(r"[A-Z]+|[0-9]+")
_SOFT = set(" -/._")
_CONTINUES = ("-", ".", ",")  # between digits: one longer number, a date or an amount (605,00)
# An invoice number this short ("1", "12") is too common in text ("termijn 1 van 3") to be
# taken as naming the invoice; such invoices still match by reference or amount.
MIN_NUMBER = 3


def _numbers_in(text: str, longest: int) -> Iterator[str]:
    """Every way the text can spell a whole number, normalised like an invoice number (case,
    spaces, dashes, slashes and dots do not count). Whole means not part of a longer number:
    "2026-01" is not found in "2026-011" nor in the date "2026-01-15", and "605" not in the
    amount "605,00". A word of two or more letters may touch it ("factuur2026-01",
    "201303-128cursus"), a single letter may not ("F2026-01" is another number)."""
    up = text.upper()
    atoms = [(m.start(), m.end(), m.group()) for m in _ATOM.finditer(up)]

    def edge(outer: tuple, inner: tuple, sep: str) -> bool:
        if sep == "":
            return outer[2].isalpha() and len(outer[2]) >= 2 and inner[2].isdigit()
        if sep in _CONTINUES and outer[2].isdigit() and inner[2].isdigit():
            return False
        return True

    for i, a in enumerate(atoms):
        if i > 0 and not edge(atoms[i - 1], a, up[atoms[i - 1][1]:a[0]]):
            continue
        acc = ""
        for j in range(i, len(atoms)):
            if j > i:
                sep = up[atoms[j - 1][1]:atoms[j][0]]
                if len(sep) > 3 or not set(sep) <= _SOFT:
                    break
            acc += atoms[j][2]
            if len(acc) > longest:
                break
            if j + 1 == len(atoms) or edge(atoms[j + 1], atoms[j], up[atoms[j][1]:atoms[j + 1][0]]):
                yield acc


def match(credit: Credit, candidates: Candidates | Iterable[Candidate]) -> Match | Unmatched:
    """Which open claim this credit pays, by the first rule that finds any: the creditor
    reference, then invoice numbers in the text, then the amount asked of a client whose
    IBAN or name the bank gives. One candidate is a match; several are not resolved here."""
    index = candidates if isinstance(candidates, Candidates) else Candidates(candidates)

    refs = sorted({r for r in (_reference(credit.reference),) if r} | _rf_in_text(credit.remittance))
    known = [r for r in refs if r in index.by_reference]
    hits = _unique(c for r in known for c in index.by_reference[r])
    if len(hits) == 1:
        return Match(credit, hits[0], RULE_REFERENCE, ", ".join(known))
    if hits:
        return Unmatched(credit, f"the reference fits {len(hits)} open claims: {_names(hits)}", RULE_REFERENCE,
                         tuple(hits))

    if index.longest:
        text = " ".join(x for x in (credit.remittance, credit.end_to_end or "") if x)
        numbers = {n for n in _numbers_in(text, index.longest) if n in index.by_number}
        if numbers:
            hits = _unique(c for n in sorted(numbers) for c in index.by_number[n])
            covering = [c for c in hits if numbers <= {_number(i) for i in c.invoices}]
            exact = [c for c in covering if numbers == {_number(i) for i in c.invoices}]
            chosen = exact if len(exact) == 1 else covering
            if len(chosen) == 1:
                named = [i for i in chosen[0].invoices if _number(i) in numbers]
                return Match(credit, chosen[0], RULE_INVOICE_NUMBER, ", ".join(named))
            if covering:
                return Unmatched(credit, f"the invoice number in the text fits {len(covering)} open claims: "
                                         f"{_names(covering)}", RULE_INVOICE_NUMBER, tuple(covering))
            return Unmatched(credit, f"the text names invoices of {len(hits)} different open claims: "
                                     f"{_names(hits)}", RULE_INVOICE_NUMBER, tuple(hits))

    due = credit.amount.quantize(Decimal("0.01"))
    iban, name = _compact(credit.counterparty_iban), _name(credit.counterparty_name)
    clients = index.clients_by_iban.get(iban, set()) if iban else set()
    hits = _unique([*(c for client in sorted(clients) for c in index.by_amount_client.get((due, client), ())),
                    *(index.by_amount_name.get((due, name), ()) if name else ())])
    if len(hits) == 1:
        c = hits[0]
        evidence = iban if c.client in clients else credit.counterparty_name
        return Match(credit, c, RULE_AMOUNT, evidence)
    if hits:
        return Unmatched(credit, f"{due} is what {len(hits)} open claims of this payer ask: {_names(hits)}",
                         RULE_AMOUNT, tuple(hits))
    return Unmatched(credit, "no known reference, no open invoice number in the text, and no open claim of "
                             "this amount from a known IBAN or name")


def match_all(credits: Iterable[Credit], candidates: Iterable[Candidate]) -> list[Match | Unmatched]:
    index = candidates if isinstance(candidates, Candidates) else Candidates(candidates)
    return [match(c, index) for c in credits]


def _unique(items: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[int, Candidate] = {}
    for c in items:
        seen.setdefault(id(c), c)
    return list(seen.values())


def _names(cands: list[Candidate]) -> str:
    def one(c: Candidate) -> str:
        return f"letter {c.letter}" if c.letter else f"invoice {', '.join(c.invoices)}"
    return "; ".join(one(c) for c in cands[:5]) + ("; ..." if len(cands) > 5 else "")

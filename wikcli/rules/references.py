"""Payment references: the ISO 11649 creditor reference (RF) and the Dutch betalingskenmerk.

Letters carry one so that the bank statement brings it back in a structured field and the
payment matches without guessing (``bank.statements``). domain.md section 6:
- RF: ``RF`` + two check digits (ISO 7064 mod 97-10) + up to 21 characters (ISO 11649).
- betalingskenmerk (Betaalvereniging): 16 digits, a check digit first: weights 2, 4, 8, 5, 10,
  9, 7, 3, 6, 1 (repeating) from the right over the 15 digits after it, sum mod 11, check =
  11 - remainder (11 -> 0, 10 -> 1).
Pure: text in, text out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date

from wikcli.errors import WikError
from wikcli.i18n import _


class BankError(WikError):
    """A value that cannot serve as a payment reference."""


_NOT_RF = re.compile(r"[^A-Z0-9]")


def _rf_body(text: str) -> str:
    """The letters and digits an RF reference keeps of a text: what two invoice numbers
    must not share for either to be its own reference ("2026-001" and "2026/001" do)."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return _NOT_RF.sub("", text.upper())


def _rf_of_body(body: str) -> str:
    from stdnum.iso7064 import mod_97_10

    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def rf_reference(text: str) -> str:
    """The ISO 11649 creditor reference (RF + two check digits + the text's letters and
    digits) for an invoice number or letter id, e.g. "2026-001" -> "RF602026001"."""
    body = _rf_body(text)
    if not body:
        raise BankError(_("{text!r} has no letters or digits to make a payment reference (RF) from").format(
                           text=text))
    if len(body) > 21:
        raise BankError(_("{text!r} is too long for a payment reference (RF): at most 21 letters and digits").format(
                           text=text))
    return _rf_of_body(body)


def invoice_reference(number: str, numbers: Iterable[str]) -> str | None:
    """The RF reference made of an invoice number, or None where the number cannot make one
    (too long, no letters or digits) or another invoice of ``numbers`` (the ledger's) makes
    the same one ("2026-001" and "2026/001"): a reference must name one invoice."""
    body = _rf_body(number)
    if not body or len(body) > 21:
        return None
    if any(n != number and _rf_body(n) == body for n in numbers):
        return None
    return rf_reference(number)


def invoice_references(numbers: Iterable[str]) -> dict[str, str]:
    """``invoice_reference`` of every number of a ledger at once: number -> RF reference,
    for the numbers that have one."""
    bodies = {n: _rf_body(n) for n in numbers}
    shared = Counter(bodies.values())
    return {n: _rf_of_body(b) for n, b in bodies.items() if 0 < len(b) <= 21 and shared[b] == 1}


# The Dutch betalingskenmerk (Betaalvereniging; domain.md section 6): 16 digits, a check
# digit first, then 15. Weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1 (repeating) from the right over
# the 15 digits; the sum mod 11; the check is 11 minus the remainder (11 -> 0, 10 -> 1).
KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
RF = "rf"
KENMERK = "kenmerk"
REFERENCE_STYLES = (RF, KENMERK)


def kenmerk_check(digits: str) -> int:
    """The check digit of the 15 digits that follow it in a 16-digit betalingskenmerk."""
    total = sum(int(d) * KENMERK_WEIGHTS[i % 10] for i, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return 0 if check == 11 else 1 if check == 10 else check


def kenmerk(digits: str) -> str:
    """The 16-digit betalingskenmerk of up to 15 digits (zero-padded on the left)."""
    if not digits.isdigit() or len(digits) > 15:
        raise BankError(_("{digits!r} cannot make a betalingskenmerk: expected 1 to 15 digits").format(
                           digits=digits))
    body = digits.zfill(15)
    return f"{kenmerk_check(body)}{body}"


def is_kenmerk(text: str | None) -> bool:
    compact = re.sub(r"\s", "", text or "")
    return len(compact) == 16 and compact.isdigit() and int(compact[0]) == kenmerk_check(compact[1:])


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number).lstrip("0") or ""


def _hash_kenmerk(seed: str) -> str:
    return kenmerk(str(int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % 10 ** 15))


def invoice_kenmerken(numbers: Iterable[str]) -> dict[str, str]:
    """number -> the betalingskenmerk of every invoice of a ledger: the invoice number's digits
    where they make one that names this invoice alone, else one made of a hash of the number."""
    digits = {n: _digits(n) for n in numbers}
    shared = Counter(digits.values())
    return {n: kenmerk(d) if d and len(d) <= 15 and shared[d] == 1 else _hash_kenmerk("invoice\x1f" + n)
            for n, d in digits.items()}


def claim_reference(numbers: Iterable[str], kind: str, day: date, ledger_numbers: Iterable[str],
                    style: str = RF) -> str:
    """The payment reference a letter prints and its QR code carries: for one invoice the
    reference of its number (``invoice_reference``), so every letter about it asks for the
    same one; otherwise (several invoices, or a number that cannot serve) an RF reference
    over a short hash of the invoice numbers, the letter's kind and its date, so the same
    letter made again gets the same reference and no two letters share one by chance."""
    numbers = list(dict.fromkeys(numbers))
    if style == KENMERK:
        if len(numbers) == 1:
            d = _digits(numbers[0])
            if d and len(d) <= 15 and not any(n != numbers[0] and _digits(n) == d for n in ledger_numbers):
                return kenmerk(d)
            return _hash_kenmerk("invoice\x1f" + numbers[0])
        return _hash_kenmerk("\x1f".join([kind, day.isoformat(), *sorted(numbers)]))
    if len(numbers) == 1:
        own = invoice_reference(numbers[0], ledger_numbers)
        if own is not None:
            return own
    seed = "\x1f".join([kind, day.isoformat(), *sorted(numbers)])
    return rf_reference(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12].upper())



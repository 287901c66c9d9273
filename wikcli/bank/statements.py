"""Bank statements in: camt.053 and MT940 read into plain values.

Pure: the caller hands in a file's bytes and name and gets a ``BankFile`` back, or one
``BankFileError`` naming the line (MT940) or element (XML). Nothing is booked here: the
caller decides what a match means for the ledger.

Only incoming credits in euro above zero become ``Credit`` values; every other entry is
counted in ``BankFile.skipped`` by reason. Each statement's own control figures (camt
``TxsSummry`` and balances, MT940 opening + credits - debits = closing, ING's summary
line, ``:90C:``/``:90D:``) are compared with what was read and kept as ``Check`` values,
so a file that does not add up can be shown as such instead of being trusted silently.

Every credit gets a stable ``key``: the account and the bank's own reference for the
entry, or, where the bank gives none (or repeats one inside a statement), a hash of the
account, booking date, amount, counterparty and text, numbered within its statement so
that two identical payments on one day stay two. Reading the same statement twice, or
two statements that overlap by whole days, gives the same keys.

Which open claim a credit pays is the matcher's (``bank/match.py``); the payment
references it compares are rules of their own (``rules/references.py``).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from wikcli.errors import WikError
from wikcli.i18n import _

MAX_BYTES = 64 * 1024 * 1024
EUR = "EUR"
# Why an entry was not taken as a credit; the keys of BankFile.skipped.
SKIP_DEBIT = "debit"
SKIP_REVERSAL = "reversal"
SKIP_CURRENCY = "currency"
SKIP_ZERO = "zero"
SKIP_NOT_BOOKED = "not_booked"


class BankFileError(WikError):
    """A bank statement that cannot be read; the message names the file and line or element."""


@dataclass(frozen=True)
class Credit:
    """One incoming payment in euro, as the bank reported it."""

    key: str  # stable across re-imports: account + bank reference, or account + content hash
    account: str  # the statement's own account: the IBAN where the file gives one, else its number
    booking_date: date
    value_date: date | None
    amount: Decimal
    currency: str
    counterparty_name: str  # "" where the bank does not say
    counterparty_iban: str  # "" where the bank does not say; kept as given, even with bad check digits
    counterparty_iban_valid: bool  # False for a missing IBAN or one whose check digits fail
    remittance: str  # the payer's free text, whitespace collapsed
    reference: str | None  # structured creditor reference (RF... or betalingskenmerk), compacted
    bank_ref: str | None  # the bank's own reference for the entry, where it gives one
    end_to_end: str | None = None  # the payer's end-to-end id (EREF), None for NOTPROVIDED
    statement: str = ""  # the statement's id (camt Stmt/Id, MT940 :20:)
    where: str = ""  # "line 12" (MT940) or "Stmt[1]/Ntry[3]" (camt): for messages
    identity: str = ""  # the same for the same credit in any export of it (``credit_identity``)


@dataclass(frozen=True)
class Check:
    """One control figure of a statement against what was read."""

    statement: str
    what: str  # e.g. "credit entries (TtlCdtNtries)", "closing balance"
    expected: str  # as the file states it
    found: str  # as computed from the entries read
    ok: bool


@dataclass(frozen=True)
class BankStatement:
    """One statement of a file (a file may hold many, one per day or per account)."""

    id: str
    account: str
    currency: str
    opening: Decimal | None  # signed; None where the file gives no usable opening balance
    closing: Decimal | None
    credit_entries: int  # every booked credit entry in the statement's currency, reversals included
    credit_sum: Decimal
    debit_entries: int
    debit_sum: Decimal
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class BankFile:
    """What one file holds: its statements, the credits to consider, and what was passed over."""

    name: str
    format: str  # "camt.053.001.02", ..., or "mt940"
    bank: str  # "ING", "Rabobank", "ABN AMRO", "Triodos", "bunq", "Knab", "ASN", "SNS", "RegioBank" or ""
    statements: tuple[BankStatement, ...]
    credits: tuple[Credit, ...]  # incoming EUR credits above zero, in file order, duplicates kept
    skipped: Mapping[str, int] = field(default_factory=dict)  # entries not taken, by reason

    @property
    def credits_total(self) -> Decimal:
        return sum((c.amount for c in self.credits), Decimal("0.00"))

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for s in self.statements for c in s.checks)

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)


# --------------------------------------------------------------------------- helpers

_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")
_BANKS = {
    "INGB": "ING", "RABO": "Rabobank", "ABNA": "ABN AMRO", "TRIO": "Triodos", "BUNQ": "bunq",
    "KNAB": "Knab", "ASNB": "ASN", "SNSB": "SNS", "RBRB": "RegioBank",
}
_VOLKSBANK = {"ASN", "SNS", "RegioBank"}


def _compact(text: str) -> str:
    return re.sub(r"[\s.]", "", text or "").upper()


# Countries whose IBANs python-stdnum checks further by their content (national check
# digits); for every other country its verdict on an IBAN whose check digits are right
# depends only on the layout: which positions are digits and which letters.
_IBAN_BY_CONTENT = frozenset({"BE", "ES", "ME", "NO"})
_IBAN_LAYOUTS: dict[str, bool] = {}


@lru_cache(maxsize=65536)  # payers recur: a statement checks the same IBANs again and again
def _iban_valid(iban: str) -> bool:
    """python-stdnum's IBAN check, asked once per country and layout: a statement of ten
    thousand payers would otherwise spend a good part of its reading time here."""
    if not iban:
        return False
    from stdnum import iban as stdnum_iban
    from stdnum.iso7064 import mod_97_10

    if iban[:2] in _IBAN_BY_CONTENT or not iban.isalnum():
        return stdnum_iban.is_valid(iban)
    if not mod_97_10.is_valid(iban[4:] + iban[:4]):
        return False
    layout = iban[:2] + "".join("n" if c.isdigit() else "a" for c in iban[2:])
    if layout not in _IBAN_LAYOUTS:
        _IBAN_LAYOUTS[layout] = stdnum_iban.is_valid(iban)
    return _IBAN_LAYOUTS[layout]


@lru_cache(maxsize=65536)
def _looks_iban(text: str) -> bool:
    """Whether free text has the shape of an IBAN (its country's length and layout), check
    digits aside: anonymised statements carry IBANs whose check digits fail."""
    number = _compact(text)
    if not _IBAN_SHAPE.fullmatch(number):
        return False
    from stdnum import iban as stdnum_iban
    from stdnum.exceptions import ValidationError

    try:
        fixed = number[:2] + stdnum_iban.calc_check_digits(number) + number[4:]
        stdnum_iban.validate(fixed, check_country=False)
    except ValidationError:
        return False
    return True


def _bank_of(account: str, head: str = "") -> str:
    acc = _compact(account)
    if _IBAN_SHAPE.fullmatch(acc) and acc.startswith("NL"):
        return _BANKS.get(acc[4:8], "")
    for code, bank in _BANKS.items():
        if f"{code}NL" in head:
            return bank
    if "TRIODOSBANK" in head:
        return "Triodos"
    return ""


def _squash(text: str) -> str:
    return " ".join((text or "").split())


@lru_cache(maxsize=65536)
def _reference(text: str | None) -> str | None:
    """A creditor reference compacted for comparison: RF references upper case without
    spaces, a betalingskenmerk as its digits."""
    if not text:
        return None
    compact = re.sub(r"[\s\-./]", "", text).upper()
    if not compact:
        return None
    return compact


def _end_to_end(text: str | None) -> str | None:
    text = _squash(text or "")
    if not text or text.upper() in ("NOTPROVIDED", "NONREF"):
        return None
    return text


def _hash_key(account: str, booked: date, amount: Decimal, currency: str, iban: str, text: str,
              reference: str | None, occurrence: int) -> str:
    base = "\x1f".join((account, booked.isoformat(), f"{amount:.2f}", currency, _compact(iban),
                        _squash(text), reference or "", str(occurrence)))
    return f"{account}/hash/{hashlib.sha256(base.encode('utf-8')).hexdigest()[:24]}"


def account_number(account: str) -> str:
    """An account as exports of it agree: the number an IBAN ends with, without leading zeros
    ("NL91ABNA0417164300" and a `:25:` of "417164300" or "0417164300" are one account)."""
    acc = _compact(account)
    if _IBAN_SHAPE.fullmatch(acc):
        m = re.search(r"\d+$", acc[4:])
        return m.group(0).lstrip("0") if m else acc
    digits = re.sub(r"\D", "", acc)
    return digits.lstrip("0") if digits and len(digits) >= len(acc) - 1 else acc


def credit_identity(account: str, booked: date, amount: Decimal, iban: str, name: str, text: str,
                    reference: str | None, occurrence: int = 1) -> str:
    """What makes a credit the same credit whatever the export: the account's number, booking
    date, amount, the payer (IBAN, else name) and what the payer wrote (letters and digits
    only: the formats wrap and space a text differently), numbered among the same within the
    statement. No bank reference: one export gives it and another says NONREF."""
    payer = _compact(iban) or _name(name)
    base = "\x1f".join((account_number(account), booked.isoformat(), f"{amount:.2f}", payer, _number(text),
                        _number(reference or ""), str(occurrence)))
    return f"id/{hashlib.sha256(base.encode('utf-8')).hexdigest()[:24]}"


@dataclass
class _Entry:
    """An entry as read, before it is judged a credit or skipped."""

    where: str
    mark: str  # "C", "D", "RC" (a credit reversed: lowers the balance), "RD"
    amount: Decimal
    currency: str
    booking_date: date
    value_date: date | None
    booked: bool = True
    reversal: bool = False
    name: str = ""
    iban: str = ""
    remittance: str = ""
    reference: str | None = None
    bank_ref: str | None = None
    end_to_end: str | None = None
    ref61: str = ""  # MT940 :61: customer reference and supplementary line, where some banks
    extra61: str = ""  # put the payer (Rabobank: account; ASN, SNS: account and name)
    part: bool = False  # camt: one transaction of a batch entry (a credit, not in the controls)
    whole: bool = False  # camt: a batch entry split into its transactions (in the controls only)


def _credits_of(statement_id: str, account: str, entries: list[_Entry], skipped: Counter) -> list[Credit]:
    """Judge each entry; give each credit its key. Bank references are used only where each
    occurs once in the statement, so a bank that repeats one cannot merge two payments."""
    refs = Counter(e.bank_ref for e in entries if e.bank_ref)
    seen: Counter = Counter()
    same: Counter = Counter()
    credits: list[Credit] = []
    for e in entries:
        if not e.booked:
            skipped[SKIP_NOT_BOOKED] += 1
            continue
        if e.reversal or e.mark in ("RC", "RD"):
            skipped[SKIP_REVERSAL] += 1
            continue
        if e.mark != "C":
            skipped[SKIP_DEBIT] += 1
            continue
        if e.currency != EUR:
            skipped[SKIP_CURRENCY] += 1
            continue
        if e.amount <= 0:
            skipped[SKIP_ZERO] += 1
            continue
        remittance = _squash(e.remittance)
        if e.bank_ref and refs[e.bank_ref] == 1:
            key = f"{account}/ref/{e.bank_ref}"
        else:
            base = (e.booking_date, e.amount, _compact(e.iban), remittance, e.reference)
            seen[base] += 1
            key = _hash_key(account, e.booking_date, e.amount, e.currency, e.iban, remittance,
                            e.reference, seen[base])
        iban = _compact(e.iban)
        cents = e.amount.quantize(Decimal("0.01"))
        name = _squash(e.name)
        alike = (e.booking_date, cents, iban or _name(name), _number(remittance), _number(e.reference or ""))
        same[alike] += 1
        credits.append(Credit(
            key=key, account=account, booking_date=e.booking_date, value_date=e.value_date,
            amount=cents if cents == e.amount else e.amount, currency=e.currency, counterparty_name=name,
            counterparty_iban=iban, counterparty_iban_valid=_iban_valid(iban), remittance=remittance,
            reference=_reference(e.reference), bank_ref=e.bank_ref, end_to_end=_end_to_end(e.end_to_end),
            statement=statement_id, where=e.where,
            identity=credit_identity(account, e.booking_date, cents, iban, name, remittance, e.reference,
                                     same[alike]),
        ))
    return credits


def _totals(entries: list[_Entry], currency: str) -> tuple[int, Decimal, int, Decimal]:
    """Booked entries by their effect on the balance: a reversed debit (RD) raises it."""
    cn, cs, dn, ds = 0, Decimal("0"), 0, Decimal("0")
    for e in entries:
        if not e.booked or e.currency != currency:
            continue
        if e.mark in ("C", "RD"):
            cn, cs = cn + 1, cs + e.amount
        else:
            dn, ds = dn + 1, ds + e.amount
    return cn, cs, dn, ds


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _balance_check(sid: str, opening: Decimal | None, closing: Decimal | None, cs: Decimal, ds: Decimal) -> list[Check]:
    if opening is None:
        return []
    if closing is None:  # read all the same, as a figure that does not add up is: a warning names it
        return [Check(sid, "closing balance (opening + credits - debits)", "", _money(opening + cs - ds), False)]
    found = opening + cs - ds
    return [Check(sid, "closing balance (opening + credits - debits)", _money(closing), _money(found),
                  found == closing)]


def name_key(text: str) -> str:
    """A payer's or client's name as the amount rule compares names: without case, accents
    and punctuation."""
    return _name(text)


def iban_key(text: str) -> str:
    """An IBAN as the amount rule compares IBANs: upper case, without spaces or dots."""
    return _compact(text)


@lru_cache(maxsize=65536)  # an index made again after each payment asks for the same texts
def _number(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


@lru_cache(maxsize=65536)
def _name(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^A-Z0-9 ]", "", plain.upper()).split())


# --------------------------------------------------------------------------- parse

def parse(data: bytes, name: str) -> BankFile:
    """Read a camt.053 (XML) or MT940 statement file, telling the two apart by content."""
    if len(data) > MAX_BYTES:
        raise BankFileError(_("{name}: {count:,} bytes is larger than a statement file can be (at most {limit} MB)").format(
                               name=name, count=len(data), limit=MAX_BYTES // (1024 * 1024)))
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        from wikcli.bank.camt053 import _parse_camt

        return _parse_camt(data, name)
    text = _decode(data)
    if re.search(r"^:(20|25|28C?|60[FM]|61|62[FM]):", text, re.M):
        from wikcli.bank.mt940 import _parse_mt940

        return _parse_mt940(text, name)
    raise BankFileError(_("{name}: is neither a camt.053 (XML) nor an MT940 bank statement").format(name=name))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older exports are Windows-1252; every byte decodes, so nothing is refused here.
        return data.decode("cp1252", errors="replace")

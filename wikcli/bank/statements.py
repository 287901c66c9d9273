"""Bank statements in, payments matched: camt.053 and MT940 read into plain values.

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

``match`` proposes which open claim a credit pays, by the structured creditor reference,
then by invoice numbers named in the text, then by an amount asked of a client whose IBAN
or name is known; one candidate or nothing, never a guess between several.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from wikcli.errors import WikError

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


# --------------------------------------------------------------------------- parse

def parse(data: bytes, name: str) -> BankFile:
    """Read a camt.053 (XML) or MT940 statement file, telling the two apart by content."""
    if len(data) > MAX_BYTES:
        raise BankFileError(f"{name}: {len(data):,} bytes is larger than a statement file can be "
                             f"(at most {MAX_BYTES // (1024 * 1024)} MB)")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _parse_camt(data, name)
    text = _decode(data)
    if re.search(r"^:(20|25|28C?|60[FM]|61|62[FM]):", text, re.M):
        return _parse_mt940(text, name)
    raise BankFileError(f"{name}: is neither a camt.053 (XML) nor an MT940 bank statement")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older exports are Windows-1252; every byte decodes, so nothing is refused here.
        return data.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- MT940

_TAG = re.compile(r":([0-9]{2}[A-Z]?|NS):")
# A statement's envelope: SWIFT blocks, trailers and the header lines some banks add.
_TRAILER = re.compile(r"-(\}|XXX|\}\{5:.*)?\s*|\}.*|\{.*")
_HEADER = re.compile(r":?940:?(\s+\d+)?|[A-Z0-9]{8}([A-Z0-9]{3})?|0000\s+\d+[A-Z0-9 ]*")
_BALANCE = re.compile(r"([CD])(\d{6})([A-Z]{3})(\d{1,15},\d*)")
_LINE61 = re.compile(r"""
    (?P<value>\d{6})(?P<entry>\d{4})?
    (?P<mark>RC|RD|C|D)(?P<funds>[A-Z])?
    (?P<amount>\d{1,15},\d*)
    (?P<type>[A-Z][A-Z0-9 ]{3})
    (?P<ref>.*?)
    (?://(?P<bankref>.*))?
    """, re.X)
WRAP = 65  # SWIFT line width: a full line continues its text on the next without a space


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str]


def _mt940_statements(text: str, name: str) -> list[list[_Field]]:
    statements: list[list[_Field]] = []
    current: list[_Field] | None = None
    fld: _Field | None = None
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        m = _TAG.match(line)
        if m:
            tag = m.group(1)
            if tag == "20":
                current = []
                statements.append(current)
            elif current is None:
                raise BankFileError(f"{name}: line {n}: field :{tag}: comes before the statement's :20: "
                                     f"reference; expected an MT940 statement starting with :20:")
            fld = _Field(tag, n, [line[m.end():]])
            current.append(fld)
            continue
        if not line.strip():
            continue
        if _TRAILER.fullmatch(line.strip()):
            fld = None
            current = None
            continue
        if fld is not None and fld.tag in ("61", "86") and not line.startswith(":"):
            fld.lines.append(line)  # no field's text may start a line with ":" (SWIFT)
            continue
        if _HEADER.fullmatch(line.strip()):
            continue
        if fld is not None and not line.startswith(":"):
            fld.lines.append(line)  # a line without a tag continues the field before it (SWIFT)
            continue
        raise BankFileError(f"{name}: line {n}: {line.strip()[:40]!r} is not an MT940 field; expected a "
                             f"line starting with a tag such as :61: or :86:")
    if not statements:
        raise BankFileError(f"{name}: holds no MT940 statement (no :20: field)")
    return statements


def _mt940_amount(text: str) -> Decimal:
    whole, _, frac = text.partition(",")
    return Decimal(f"{int(whole)}.{frac or '0'}")


def _yymmdd(text: str) -> date:
    return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))


def _entry_date(mmdd: str, value: date) -> date:
    """The booking date has no year: take the one nearest the value date (a booking on
    2 January for a value date of 31 December falls in the next year)."""
    options = []
    for year in (value.year - 1, value.year, value.year + 1):
        try:
            options.append(date(year, int(mmdd[:2]), int(mmdd[2:])))
        except ValueError:
            continue
    if not options:
        raise ValueError(mmdd)
    return min(options, key=lambda d: abs((d - value).days))


def _glue(lines: list[str]) -> str:
    """Join an :86: field's lines: a full line (65 characters) was cut wherever the width
    ran out, even inside a word or key, so it continues without a space."""
    out = ""
    for i, line in enumerate(lines):
        if i == 0:
            out = line
            continue
        full = len(lines[i - 1]) >= WRAP
        out += line if (full or line.startswith(">")) else " " + line
    return out


def _parse_mt940(text: str, name: str) -> BankFile:
    head = text[:text.find(":20:")]  # the envelope (SWIFT blocks, BIC lines) names the bank
    statements: list[BankStatement] = []
    credits: list[Credit] = []
    skipped: Counter = Counter()
    bank = ""
    for fields in _mt940_statements(text, name):
        st, entries, bank_here = _mt940_statement(fields, name, head)
        bank = bank or bank_here
        credits.extend(_credits_of(st.id, st.account, entries, skipped))
        statements.append(st)
    return BankFile(name=name, format="mt940", bank=bank, statements=tuple(statements),
                    credits=tuple(credits), skipped=dict(skipped))


def _mt940_statement(fields: list[_Field], name: str, head: str) -> tuple[BankStatement, list[_Entry], str]:
    def fail(f: _Field, problem: str) -> BankFileError:
        return BankFileError(f"{name}: line {f.line}: {problem}")

    ref_field = fields[0]
    sid = ref_field.lines[0].strip()
    number = ""
    account = ""
    opening = closing = None
    currency = ""
    entries: list[_Entry] = []
    raw86: list[list[str] | None] = []
    summary: list[str] = []
    after_closing = False
    for f in fields[1:]:
        body = f.lines[0].strip()
        if f.tag == "25":
            account = body
        elif f.tag in ("28", "28C"):
            number = body
        elif f.tag in ("60F", "60M", "62F", "62M"):
            m = _BALANCE.fullmatch(body)
            if not m:
                raise fail(f, f":{f.tag}: {body!r} is not a balance; expected C or D, a date YYMMDD, "
                              f"a currency and an amount, as in C240131EUR1234,56")
            try:
                _yymmdd(m.group(2))
            except ValueError:
                raise fail(f, f":{f.tag}: {m.group(2)!r} is not a date YYMMDD") from None
            amount = _mt940_amount(m.group(4)) * (-1 if m.group(1) == "D" else 1)
            if f.tag.startswith("60"):
                opening, currency = amount, m.group(3)
            else:
                closing = amount
                after_closing = True
        elif f.tag == "61":
            if currency == "":
                raise fail(f, ":61: comes before the opening balance (:60F:)")
            entries.append(_mt940_entry(f, currency, fail))
            raw86.append(None)
        elif f.tag == "86":
            if after_closing or not entries:
                summary.append(f.lines[0])
            elif raw86[-1] is None:
                raw86[-1] = list(f.lines)
            else:
                raw86[-1].extend(f.lines)  # older Rabobank files repeat :86: per line
        elif f.tag in ("90C", "90D"):
            summary.append(f":{f.tag}:" + body)
    if not account:
        raise fail(ref_field, f"statement {sid!r} has no :25: account field")
    if opening is None:
        raise fail(ref_field, f"statement {sid!r} has no opening balance (:60F: or :60M:)")
    account_id = _account(account)
    bank = _bank_of(account_id, head + account)
    for e, lines in zip(entries, raw86):
        _mt940_details(e, lines or [], bank)
    cn, cs, dn, ds = _totals(entries, currency)
    checks = _balance_check(sid, opening, closing, cs, ds)
    for text in summary:
        checks.extend(_mt940_summary(sid, text, cn, cs, dn, ds))
    label = f"{sid} {number}".strip()
    st = BankStatement(id=label, account=account_id, currency=currency, opening=opening, closing=closing,
                   credit_entries=cn, credit_sum=cs, debit_entries=dn, debit_sum=ds, checks=tuple(checks))
    return st, entries, bank


def _account(raw: str) -> str:
    """:25: as banks write it: "NL68INGB0000012345EUR", "1291.99.348EUR", "TRIODOSBANK/0666666666",
    "NL10BUNQ2290325473 EUR", "INGBNL2A/NL68INGB0000012345"."""
    text = raw.strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    text = re.sub(r"\s*[A-Z]{3}$", "", text) if re.search(r"\d\s*[A-Z]{3}$", text) else text
    return _compact(text)


def _mt940_entry(f: _Field, currency: str, fail) -> _Entry:
    first = f.lines[0].rstrip()
    # SWIFT allows 65 characters; the bound keeps a hostile line from costing quadratic time.
    m = _LINE61.fullmatch(first) if len(first) <= 200 else None
    if not m:
        raise fail(f, f":61: {first[:40]!r} is not a statement line; expected a value date YYMMDD, an optional "
                      f"booking date MMDD, C or D, an amount such as 12,50 and a transaction type")
    try:
        value = _yymmdd(m.group("value"))
        booked = _entry_date(m.group("entry"), value) if m.group("entry") else value
    except ValueError:
        raise fail(f, f":61: {first[:16]!r} does not start with valid dates (YYMMDD, then MMDD)") from None
    extra = " ".join(x.strip() for x in f.lines[1:] if x.strip())
    bank_ref = (m.group("bankref") or "").strip() or None
    return _Entry(where=f"line {f.line}", mark=m.group("mark"), amount=_mt940_amount(m.group("amount")),
                  currency=currency, booking_date=booked, value_date=value, bank_ref=bank_ref,
                  ref61=m.group("ref").strip(), extra61=extra)


# Keys of the structured :86: layouts (ING "Mt940 Structured", ABN AMRO, Rabobank, Knab,
# bunq, ASN): only these split the text, so a slash inside a name or text stays put.
_KEYS = ("TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "CNTP", "PURP", "ORDP", "BENM",
         "ADDR", "ISDT", "PREF", "RTRN", "ULTC", "ULTD", "ULTB", "SVCL", "KREF", "IREF", "BUSP", "NRTX",
         "CDTRREFTP", "CDTRREF", "CD", "ISSR", "ID")
_KEY = re.compile(r"/(" + "|".join(sorted(set(_KEYS), key=len, reverse=True)) + r")/")
_MAIN_KEYS = {"TRTP", "IBAN", "NAME", "REMI", "EREF", "CNTP", "ORDP", "BENM", "MARF", "CSID", "PREF"}
_LABELS = re.compile(r"\b(IBAN|REK|BIC|NAAM|OMSCHRIJVING|KENMERK|BETALINGSKENM\.|BETALINGSKENMERK|"
                     r"MACHTIGING|INCASSANT|ID DEBITEUR):\s*")
_TEXT_REFS = (
    re.compile(r"\bISSUER:\s*(?:CUR|ISO)\s+REF:\s*([A-Z0-9]+)"),
    re.compile(r"\bSCOR/(?:CUR|ISO)/([A-Z0-9]+)"),
    re.compile(r"\bBETALINGSKENM(?:ERK|\.)?:?\s*(\d{16}|\d{7})\b"),
)


def _keyed(text: str) -> tuple[str, dict[str, list[str]]] | None:
    """Split a structured :86: text at its keys; None where the text is not keyed."""
    found = list(_KEY.finditer(text))
    if not found:
        return None
    main = {m.group(1) for m in found} & _MAIN_KEYS
    if not main or (found[0].start() > 0 and len(main) < 2):
        return None
    values: dict[str, list[str]] = defaultdict(list)
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[m.end():end]
        # ING ends every value with "/" (so keys stand between "//"): drop that one slash.
        values[m.group(1)].append(value[:-1] if value.endswith("/") else value)
    return text[:found[0].start()], values


def _mt940_details(e: _Entry, lines: list[str], bank: str) -> None:
    preamble_name = preamble_iban = ""
    if bank in _VOLKSBANK and lines:
        # ASN, SNS, RegioBank: the first line is "<account> <name>", the text follows.
        first = lines[0].strip()
        account, _, rest = first.partition(" ")
        if _looks_iban(account) or account.isdigit():
            preamble_iban = account if _looks_iban(account) else ""
            preamble_name = rest.strip()
            lines = lines[1:]
    # The keyed layouts are one string cut into lines wherever the width ran out (even
    # where an anonymised file shortened a line), so their lines join without a space.
    joined = "".join(lines)
    triodos = re.match(r"\s*\d{3}(>\d\d.*)", joined, re.S)
    keyed = None if triodos else _keyed(joined)
    text = joined if (triodos or keyed) else _glue(lines)
    name = iban = remittance = ""
    reference = eref = None
    if triodos:
        name, iban, remittance = _triodos(triodos.group(1))
    elif keyed:
        preamble, v = keyed

        def first(key: str) -> str:
            return v[key][0].strip() if v.get(key) else ""

        if v.get("CNTP"):
            # ING: /CNTP/IBAN/BIC/name/city/, where a name may hold a slash ("en/of")
            parts = v["CNTP"][0].split("/")
            iban = parts[0].strip()
            name = "/".join(parts[2:-1]) if len(parts) > 3 else (parts[2] if len(parts) > 2 else "")
        name = name or first("NAME")
        iban = iban or first("IBAN")
        remi = v["REMI"][0] if v.get("REMI") else ""
        strd = re.match(r"\s*STRD/(?:CUR|ISO)/([^/]*)", remi)
        if strd:
            reference, remi = strd.group(1), ""
        else:
            remi = re.sub(r"^\s*USTD//", "", remi)
        reference = reference or first("CDTRREF") or None
        remittance = remi
        eref = first("EREF") or None
        if not remittance and preamble.strip() and not (name or iban):
            remittance = preamble
    elif _LABELS.search(text):
        parts = _LABELS.split(text)
        preamble, labelled = parts[0], dict(zip(parts[1::2], (p.strip(" /") for p in parts[2::2])))
        name = labelled.get("NAAM", "")
        iban = labelled.get("IBAN", "") or labelled.get("REK", "")
        remittance = labelled.get("OMSCHRIJVING", "")
        if not remittance and "OMSCHRIJVING" not in labelled:
            remittance = preamble
        eref = labelled.get("KENMERK") or None
        reference = labelled.get("BETALINGSKENM.") or labelled.get("BETALINGSKENMERK") or None
    else:
        remittance = text
        tokens = text.split()[:3]
        iban = next((t for t in tokens if _looks_iban(t)), "")
    if reference is None:
        for pattern in _TEXT_REFS:
            m = pattern.search(text)
            if m:
                reference = m.group(1)
                break
    # An IBAN field is kept as the bank gave it (flagged if its check digits fail); one
    # guessed from elsewhere must at least have an IBAN's layout.
    if not _IBAN_SHAPE.fullmatch(_compact(iban)):
        iban = preamble_iban or next((x for x in (e.ref61, e.extra61) if _looks_iban(x)), "")
    if not name:
        name = preamble_name or (e.extra61 if bank in _VOLKSBANK and not _looks_iban(e.extra61) else "")
    e.name, e.iban, e.remittance = name, iban.strip(), remittance
    e.reference = reference.strip() if reference else None
    e.end_to_end = eref


def _triodos(text: str) -> tuple[str, str, str]:
    """Triodos: ">10" the payer's account number, ">20"-">29" one text cut into chunks of 27
    characters (a BIC and an IBAN first where SEPA), ">31" the own account. The text runs
    name, address, city and description together, so no name is taken from it."""
    subs = re.findall(r">(\d\d)([^>]*)", text)
    chunks = [v for k, v in subs if k.startswith("2")]
    iban = ""
    if len(chunks) >= 2 and re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", chunks[0].strip()) \
            and _looks_iban(chunks[1]):
        iban, chunks = chunks[1].strip(), chunks[2:]
    return "", iban, "".join(chunks)


def _mt940_summary(sid: str, text: str, cn: int, cs: Decimal, dn: int, ds: Decimal) -> list[Check]:
    """Control lines some banks add after the closing balance: ING's "/SUM/debits/credits/
    debit sum/credit sum/" or, in older files, "D000004C000004D6,38C944,01"; SWIFT's
    :90D:/:90C: (number and sum of debit and credit entries)."""
    body = text.strip()
    m = re.fullmatch(r"/SUM/(\d+)/(\d+)/(\d+,\d*)/(\d+,\d*)/?", body) \
        or re.fullmatch(r"D(\d+)C(\d+)D(\d+,\d*)C(\d+,\d*)", body)
    if m:
        xd, xc, xds, xcs = int(m.group(1)), int(m.group(2)), _mt940_amount(m.group(3)), _mt940_amount(m.group(4))
        return [Check(sid, "credit entries (summary line)", f"{xc} / {_money(xcs)}", f"{cn} / {_money(cs)}",
                      (xc, xcs) == (cn, cs)),
                Check(sid, "debit entries (summary line)", f"{xd} / {_money(xds)}", f"{dn} / {_money(ds)}",
                      (xd, xds) == (dn, ds))]
    m = re.fullmatch(r":90([CD]):(\d+)[A-Z]{3}(\d+,\d*)", body)
    if m:
        n, s = int(m.group(2)), _mt940_amount(m.group(3))
        got = (cn, cs) if m.group(1) == "C" else (dn, ds)
        what = "credit entries (:90C:)" if m.group(1) == "C" else "debit entries (:90D:)"
        return [Check(sid, what, f"{n} / {_money(s)}", f"{got[0]} / {_money(got[1])}", (n, s) == got)]
    return []


# --------------------------------------------------------------------------- camt.053

_CAMT_NS = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3}\.\d{3}\.\d{2})\}Document")


def _parse_camt(data: bytes, name: str) -> BankFile:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise BankFileError(f"{name}: the XML declares a DTD or entities, which wik refuses "
                             f"(entity expansion, external entities)") from None
    except (ParseError, LookupError, ValueError) as e:  # LookupError: an unknown encoding declared
        raise BankFileError(f"{name}: not well-formed XML ({e})") from None
    m = _CAMT_NS.fullmatch(root.tag)
    if not m:
        raise BankFileError(f"{name}: the XML is not an ISO 20022 camt.053 statement "
                             f"(root element {root.tag.split('}')[-1]!r})")
    kind = m.group(1)
    if not kind.startswith("camt.053."):
        raise BankFileError(f"{name}: is a {kind[:8]} message, not a camt.053 bank statement: "
                             f"export the statement (camt.053) from the bank")
    for el in root.iter():
        el.tag = el.tag.rsplit("}", 1)[-1]
    stmts = root.findall("BkToCstmrStmt/Stmt")
    if not stmts:
        raise BankFileError(f"{name}: BkToCstmrStmt holds no Stmt element")
    statements: list[BankStatement] = []
    credits: list[Credit] = []
    skipped: Counter = Counter()
    bank = ""
    for s, stmt in enumerate(stmts, 1):
        st, entries = _camt_statement(stmt, f"Stmt[{s}]", name)
        bank = bank or _bank_of(st.account)
        credits.extend(_credits_of(st.id, st.account, entries, skipped))
        statements.append(st)
    return BankFile(name=name, format=kind, bank=bank, statements=tuple(statements),
                    credits=tuple(credits), skipped=dict(skipped))


def _text(el, path: str) -> str:
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def _camt_amount(el, path: str, where: str, name: str) -> tuple[Decimal, str]:
    found = el.find(path)
    if found is None:
        raise BankFileError(f"{name}: {where}: has no {path} element")
    raw = (found.text or "").strip()
    try:
        amount = Decimal(raw)
        if not amount.is_finite() or amount < 0:
            raise InvalidOperation
    except InvalidOperation:
        raise BankFileError(f"{name}: {where}/{path}: {raw!r} is not an amount; expected a number "
                             f"such as 1234.56") from None
    return amount, found.get("Ccy", "")


def _camt_date(el, path: str, where: str, name: str) -> date | None:
    node = el.find(path)
    if node is None:
        return None
    raw = _text(node, "Dt") or _text(node, "DtTm")
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BankFileError(f"{name}: {where}/{path}: {raw!r} is not a date; expected YYYY-MM-DD") from None


def _camt_statement(stmt, where: str, name: str) -> tuple[BankStatement, list[_Entry]]:
    sid = _text(stmt, "Id") or where
    account = _compact(_text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id"))
    if not account:
        raise BankFileError(f"{name}: {where}/Acct: the statement names no account (Id/IBAN)")
    currency = _text(stmt, "Acct/Ccy")
    balances: dict[str, tuple[Decimal, str]] = {}
    for b, bal in enumerate(stmt.findall("Bal"), 1):
        code = _text(bal, "Tp/CdOrPrtry/Cd")
        amount, ccy = _camt_amount(bal, "Amt", f"{where}/Bal[{b}]", name)
        sign = -1 if _text(bal, "CdtDbtInd") == "DBIT" else 1
        balances.setdefault(code, (sign * amount, ccy))
    if not currency:
        currency = next((ccy for _, ccy in balances.values() if ccy), EUR)
    entries: list[_Entry] = []
    for e_no, ntry in enumerate(stmt.findall("Ntry"), 1):
        entries.extend(_camt_entries(ntry, f"{where}/Ntry[{e_no}]", name, currency))
    # Controls count entries (Ntry), not the transactions a batch entry was split into.
    per_ntry = [e for e in entries if not e.part]
    cn, cs, dn, ds = _totals(per_ntry, currency)
    checks: list[Check] = []
    for path, label, n_found, sum_found in (
        ("TxsSummry/TtlCdtNtries", "credit entries (TtlCdtNtries)", cn, cs),
        ("TxsSummry/TtlDbtNtries", "debit entries (TtlDbtNtries)", dn, ds),
        ("TxsSummry/TtlNtries", "all entries (TtlNtries)", cn + dn, cs + ds),
    ):
        node = stmt.find(path)
        if node is None:
            continue
        n_raw, s_raw = _text(node, "NbOfNtries"), _text(node, "Sum")
        try:
            n = int(n_raw) if n_raw else None
            total = Decimal(s_raw) if s_raw else None
        except (ValueError, InvalidOperation):
            raise BankFileError(f"{name}: {where}/{path}: {n_raw!r} / {s_raw!r} are not a number of "
                                 f"entries and a sum") from None
        # Compare (and show) only what the file states: a count, a sum, or both.
        stated = [(str(n), str(n_found))] if n is not None else []
        stated += [(_money(total), _money(sum_found))] if total is not None else []
        expected, found = " / ".join(e for e, _ in stated), " / ".join(f for _, f in stated)
        ok = (n is None or n == n_found) and (total is None or total == sum_found)
        checks.append(Check(sid, label, expected, found, ok))
    # A balance in another currency than the entries cannot be checked against them.
    opening = balances.get("OPBD") or balances.get("PRCD")
    closing = balances.get("CLBD")
    open_amount = opening[0] if opening and opening[1] in ("", currency) else None
    close_amount = closing[0] if closing and closing[1] in ("", currency) else None
    checks.extend(_balance_check(sid, open_amount, close_amount, cs, ds))
    st = BankStatement(id=sid, account=account, currency=currency, opening=open_amount, closing=close_amount,
                   credit_entries=cn, credit_sum=cs, debit_entries=dn, debit_sum=ds, checks=tuple(checks))
    return st, [e for e in entries if not e.whole]


def _camt_entries(ntry, where: str, name: str, currency: str) -> list[_Entry]:
    """One entry, or the transactions of a batch entry where each carries its own amount and
    they add up to the entry: each of those is a payment of its own, from its own payer."""
    amount, ccy = _camt_amount(ntry, "Amt", where, name)
    ind = _text(ntry, "CdtDbtInd")
    if ind not in ("CRDT", "DBIT"):
        raise BankFileError(f"{name}: {where}/CdtDbtInd: {ind!r} is neither CRDT nor DBIT")
    reversal = _text(ntry, "RvslInd").lower() in ("true", "1")
    status = _text(ntry, "Sts/Cd") or _text(ntry, "Sts")
    booking = _camt_date(ntry, "BookgDt", where, name)
    value = _camt_date(ntry, "ValDt", where, name)
    if booking is None and value is None:
        raise BankFileError(f"{name}: {where}: the entry has neither BookgDt nor ValDt")
    base = dict(mark="C" if ind == "CRDT" else "D", currency=ccy or currency, booking_date=booking or value,
                value_date=value, booked=status in ("", "BOOK"), reversal=reversal)
    entry_ref = _text(ntry, "AcctSvcrRef") or _text(ntry, "NtryRef") or None
    txs = ntry.findall("NtryDtls/TxDtls")
    whole = _Entry(where=where, amount=amount, bank_ref=entry_ref, **base)
    if len(txs) > 1:
        amounts = []
        for t in txs:
            node = t.find("AmtDtls/TxAmt/Amt")
            node = node if node is not None else t.find("Amt")
            if node is None or node.get("Ccy", ccy) != ccy:
                break
            try:
                amounts.append(Decimal((node.text or "").strip()))
            except InvalidOperation:
                break
        if len(amounts) == len(txs) and sum(amounts) == amount:
            whole.whole = True
            parts = [whole]
            for i, (t, amt) in enumerate(zip(txs, amounts), 1):
                tx_ref = _text(t, "Refs/AcctSvcrRef") or (f"{entry_ref}/{i}" if entry_ref else None)
                part = _Entry(where=f"{where}/NtryDtls/TxDtls[{i}]", amount=amt, bank_ref=tx_ref, part=True, **base)
                _camt_details(part, [t], ntry, ind)
                parts.append(part)
            return parts
    _camt_details(whole, txs, ntry, ind)
    return [whole]


def _camt_details(e: _Entry, txs: list, ntry, ind: str) -> None:
    party, account = ("Dbtr", "DbtrAcct") if ind == "CRDT" else ("Cdtr", "CdtrAcct")
    texts, refs = [], []
    for t in txs:
        texts.extend((u.text or "").strip() for u in t.findall("RmtInf/Ustrd"))
        refs.extend(_text(r, "Ref") for r in t.findall("RmtInf/Strd/CdtrRefInf"))
    if len(txs) == 1:
        t = txs[0]
        e.name = (_text(t, f"RltdPties/{party}/Nm") or _text(t, f"RltdPties/{party}/Pty/Nm")
                  or _text(t, f"RltdPties/Ultmt{party}/Nm"))
        e.iban = _text(t, f"RltdPties/{account}/Id/IBAN")
        e.end_to_end = _text(t, "Refs/EndToEndId") or None
    e.remittance = " ".join(x for x in texts if x) or _text(ntry, "AddtlNtryInf")
    refs = [r for r in refs if r]
    e.reference = refs[0] if len(set(refs)) == 1 else None


# The payment references (RF, betalingskenmerk) are rules of their own (rules/references.py);
# the statement reader and the matcher use them under their old names here.
from wikcli.rules.references import (  # noqa: E402, F401
    BankError, rf_reference, invoice_reference, invoice_references, KENMERK_WEIGHTS, RF, KENMERK, REFERENCE_STYLES, kenmerk_check, kenmerk, is_kenmerk, invoice_kenmerken, claim_reference, _rf_body, _rf_of_body,
)


# --------------------------------------------------------------------------- matching

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
            self.longest = max([self.longest, *(len(k) for i, k in self._keys(c) if i is self.by_number)])
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
                    self.longest = max(self.longest, len(key))
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

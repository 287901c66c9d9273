"""MT940 (SWIFT) bank statements read into plain values: the fields, the entries, the
banks' ways of writing :86:. Pure: text in, a ``BankFile`` out, or a ``BankFileError``."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


from wikcli.bank.statements import (
    BankFile, BankFileError, BankStatement, Check, Credit, _Entry, _IBAN_SHAPE, _VOLKSBANK, _balance_check,
    _bank_of, _compact, _credits_of, _looks_iban, _money, _totals,
)
from wikcli.i18n import _


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
                raise BankFileError(_("{name}: line {number}: field :{tag}: comes before the statement's :20: reference; "
                                       "expected an MT940 statement starting with :20:").format(
                                       name=name, number=n, tag=tag))
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
        raise BankFileError(_("{name}: line {number}: {line!r} is not an MT940 field; expected a line starting with a "
                               "tag such as :61: or :86:").format(name=name, number=n, line=line.strip()[:40]))
    if not statements:
        raise BankFileError(_("{name}: holds no MT940 statement (no :20: field)").format(name=name))
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
        return BankFileError(_("{name}: line {line}: {problem}").format(name=name, line=f.line, problem=problem))

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
                raise fail(f, _(":{tag}: {body!r} is not a balance; expected C or D, a date YYMMDD, a currency and an "
                                 "amount, as in C240131EUR1234,56").format(tag=f.tag, body=body))
            try:
                _yymmdd(m.group(2))
            except ValueError:
                raise fail(f, _(":{tag}: {value!r} is not a date YYMMDD").format(tag=f.tag, value=m.group(2))) from None
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
        raise fail(ref_field, _("statement {sid!r} has no :25: account field").format(sid=sid))
    if opening is None:
        raise fail(ref_field, _("statement {sid!r} has no opening balance (:60F: or :60M:)").format(sid=sid))
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
        raise fail(f, _(":61: {first!r} is not a statement line; expected a value date YYMMDD, an optional "
                         "booking date MMDD, C or D, an amount such as 12,50 and a transaction type").format(
                         first=first[:40]))
    try:
        value = _yymmdd(m.group("value"))
        booked = _entry_date(m.group("entry"), value) if m.group("entry") else value
    except ValueError:
        raise fail(f, _(":61: {first!r} does not start with valid dates (YYMMDD, then MMDD)").format(
                         first=first[:16])) from None
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

        def value_of(key: str) -> str:
            return v[key][0].strip() if v.get(key) else ""

        if v.get("CNTP"):
            # ING: /CNTP/IBAN/BIC/name/city/, where a name may hold a slash ("en/of")
            parts = v["CNTP"][0].split("/")
            iban = parts[0].strip()
            name = "/".join(parts[2:-1]) if len(parts) > 3 else (parts[2] if len(parts) > 2 else "")
        name = name or value_of("NAME")
        iban = iban or value_of("IBAN")
        remi = v["REMI"][0] if v.get("REMI") else ""
        strd = re.match(r"\s*STRD/(?:CUR|ISO)/([^/]*)", remi)
        if strd:
            reference, remi = strd.group(1), ""
        else:
            remi = re.sub(r"^\s*USTD//", "", remi)
        reference = reference or value_of("CDTRREF") or None
        remittance = remi
        eref = value_of("EREF") or None
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

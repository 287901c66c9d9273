"""ISO 20022 camt.053 bank statements read into plain values. Pure: bytes in, a ``BankFile``
out, or a ``BankFileError`` naming the element; the XML parser refuses DTDs and entities."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any
from decimal import Decimal, InvalidOperation


from wikcli.bank.statements import (
    BankFile, BankFileError, BankStatement, Check, Credit, EUR, _Entry, _balance_check, _bank_of, _compact,
    _credits_of, _money, _totals,
)
from wikcli.i18n import _


_CAMT_NS = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3}\.\d{3}\.\d{2})\}Document")


class _Root(Exception):
    """The prolog is over: the root element starts."""


class _Doctype(Exception):
    """The XML declares a DTD."""


def _declares_dtd(data: bytes) -> bool:
    """Whether the XML declares a DTD, read up to the root element and no further. Entities
    are declared only in a DTD: without one, the standard library's C parser (which never
    fetches external entities, and whose expat limits entity expansion since 2.4.1) reads a
    statement three times as fast as a parser with a handler per element in Python."""
    import pyexpat

    parser = pyexpat.ParserCreate()

    def doctype(*_):
        raise _Doctype

    def root(*_):
        raise _Root

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _Doctype:
        return True
    except (_Root, pyexpat.ExpatError, LookupError, ValueError):
        pass  # not well-formed, or an unknown encoding: the whole read says where
    return False


def _parse_camt(data: bytes, name: str) -> BankFile:
    from xml.etree.ElementTree import ParseError, fromstring

    if _declares_dtd(data):
        raise BankFileError(_("{name}: the XML declares a DTD or entities, which wik refuses (entity expansion, "
                               "external entities)").format(name=name))
    try:
        root = fromstring(data)
    except (ParseError, LookupError, ValueError) as e:  # LookupError: an unknown encoding declared
        raise BankFileError(_("{name}: not well-formed XML ({error})").format(name=name, error=e)) from None
    m = _CAMT_NS.fullmatch(root.tag)
    if not m:
        raise BankFileError(_("{name}: the XML is not an ISO 20022 camt.053 statement (root element {root!r})").format(
                               name=name, root=root.tag.split('}')[-1]))
    kind = m.group(1)
    if not kind.startswith("camt.053."):
        raise BankFileError(_("{name}: is a {kind} message, not a camt.053 bank statement: export the statement "
                               "(camt.053) from the bank").format(name=name, kind=kind[:8]))
    for el in root.iter():
        el.tag = el.tag.rsplit("}", 1)[-1]
    stmts = _findall(root, "BkToCstmrStmt/Stmt")
    if not stmts:
        raise BankFileError(_("{name}: BkToCstmrStmt holds no Stmt element").format(name=name))
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


def _findall(el, path: str) -> list:
    """``el.findall(path)`` for a path of child tags ("A/B/C"), in the same order: a step at a
    time by the C parser's own search, where a path with a slash goes through a selector
    written in Python (a tenth of the time to read a statement of 10,000 entries)."""
    level = [el]
    for tag in _steps(path):
        level = [child for parent in level for child in parent.findall(tag)]
    return level


def _find(el, path: str):
    """``el.find(path)``: the first element ``_findall`` gives, or None."""
    if "/" not in path:
        return el.find(path)
    found = _findall(el, path)
    return found[0] if found else None


_STEPS: dict[str, tuple[str, ...]] = {}


def _steps(path: str) -> tuple[str, ...]:
    steps = _STEPS.get(path)
    if steps is None:
        steps = _STEPS[path] = tuple(path.split("/"))
    return steps


def _text(el, path: str) -> str:
    found = _find(el, path)
    return (found.text or "").strip() if found is not None else ""


def _camt_amount(el, path: str, where: str, name: str) -> tuple[Decimal, str]:
    found = _find(el, path)
    if found is None:
        raise BankFileError(_("{name}: {where}: has no {path} element").format(name=name, where=where, path=path))
    raw = (found.text or "").strip()
    try:
        amount = Decimal(raw)
        if not amount.is_finite() or amount < 0:
            raise InvalidOperation
    except InvalidOperation:
        raise BankFileError(_("{name}: {where}/{path}: {raw!r} is not an amount; expected a number such as 1234.56").format(
                               name=name, where=where, path=path, raw=raw)) from None
    return amount, found.get("Ccy", "")


def _camt_date(el, path: str, where: str, name: str) -> date | None:
    node = _find(el, path)
    if node is None:
        return None
    raw = _text(node, "Dt") or _text(node, "DtTm")
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BankFileError(_("{name}: {where}/{path}: {raw!r} is not a date; expected YYYY-MM-DD").format(
                               name=name, where=where, path=path, raw=raw)) from None


def _camt_statement(stmt, where: str, name: str) -> tuple[BankStatement, list[_Entry]]:
    sid = _text(stmt, "Id") or where
    account = _compact(_text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id"))
    if not account:
        raise BankFileError(_("{name}: {where}/Acct: the statement names no account (Id/IBAN)").format(
                               name=name, where=where))
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
        node = _find(stmt, path)
        if node is None:
            continue
        n_raw, s_raw = _text(node, "NbOfNtries"), _text(node, "Sum")
        try:
            n = int(n_raw) if n_raw else None
            total = Decimal(s_raw) if s_raw else None
        except (ValueError, InvalidOperation):
            raise BankFileError(_("{name}: {where}/{path}: {count!r} / {total!r} are not a number of entries and a sum").format(
                                   name=name, where=where, path=path, count=n_raw, total=s_raw)) from None
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
        raise BankFileError(_("{name}: {where}/CdtDbtInd: {ind!r} is neither CRDT nor DBIT").format(
                               name=name, where=where, ind=ind))
    reversal = _text(ntry, "RvslInd").lower() in ("true", "1")
    status = _text(ntry, "Sts/Cd") or _text(ntry, "Sts")
    booking = _camt_date(ntry, "BookgDt", where, name)
    value = _camt_date(ntry, "ValDt", where, name)
    if booking is None and value is None:
        raise BankFileError(_("{name}: {where}: the entry has neither BookgDt nor ValDt").format(
                               name=name, where=where))
    base: dict[str, Any] = {"mark": "C" if ind == "CRDT" else "D", "currency": ccy or currency, "booking_date": booking or value,
                "value_date": value, "booked": status in ("", "BOOK"), "reversal": reversal}
    entry_ref = _text(ntry, "AcctSvcrRef") or _text(ntry, "NtryRef") or None
    txs = _findall(ntry, "NtryDtls/TxDtls")
    whole = _Entry(where=where, amount=amount, bank_ref=entry_ref, **base)
    if len(txs) > 1:
        amounts = []
        for t in txs:
            node = _find(t, "AmtDtls/TxAmt/Amt")
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
    texts: list[str] = []
    refs: list[str] = []
    for t in txs:
        texts.extend((u.text or "").strip() for u in _findall(t, "RmtInf/Ustrd"))
        refs.extend(_text(r, "Ref") for r in _findall(t, "RmtInf/Strd/CdtrRefInf"))
    if len(txs) == 1:
        t = txs[0]
        e.name = (_text(t, f"RltdPties/{party}/Nm") or _text(t, f"RltdPties/{party}/Pty/Nm")
                  or _text(t, f"RltdPties/Ultmt{party}/Nm"))
        e.iban = _text(t, f"RltdPties/{account}/Id/IBAN")
        e.end_to_end = _text(t, "Refs/EndToEndId") or None
    e.remittance = " ".join(x for x in texts if x) or _text(ntry, "AddtlNtryInf")
    refs = [r for r in refs if r]
    e.reference = refs[0] if len(set(refs)) == 1 else None

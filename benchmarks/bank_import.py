"""Importing a large bank statement: the reading half and the whole command, against targets.

    python benchmarks/bank_import.py [--entries 10000] [--invoices 10000] [--runs 3]

Reading half: makes a camt.053 and an MT940 statement of N entries (seeded: the same every
run) and a ledger's worth of open claims, then times parse, indexing the claims and matching
every credit, best of three runs; writes nothing.

Whole command: a home of N invoices made by ``gen_journal.py``, as any command leaves it
(one ``wik status`` made its snapshot), and a camt.053 statement of N entries paying them
(by invoice number, by RF reference, by amount and name; payments from strangers; debits),
then ``wik bank import FILE`` timed as a subprocess on a fresh copy of the home each run
(the copy is not timed): reading, matching, booking, writing the journal and the new
snapshot. Target: 10,000 entries into a ledger of 10,000 invoices in at most 3 s. The same
import on a copy without its snapshot (the whole journal read and folded first) is timed
too, and reported without a target.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wikcli.bank import match, statements  # noqa: E402
from wikcli.rules import references  # noqa: E402

TARGET_S = 3.0
# wik as installed, with the bytecode Python keeps of its modules (see README.md).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
TODAY = "2026-11-25"
BOOKED = "2026-11-24"
HERE = Path(__file__).resolve().parent


def iban(n: int) -> str:
    from stdnum import iban as stdnum_iban

    body = f"NL00INGB{n:010d}"
    return body[:2] + stdnum_iban.calc_check_digits(body) + body[4:]


def claims(invoices: int, seed: int = 7) -> list[match.Candidate]:
    rnd = random.Random(seed)
    out = []
    for i in range(invoices):
        client = i % max(1, invoices // 5)
        amount = Decimal(rnd.randrange(5000, 500000)) / 100
        number = f"2026-{i:05d}"
        out.append(match.Candidate((number,), f"client-{client}", amount, (references.rf_reference(number),),
                                  (iban(client),), f"Klant {client} BV"))
    return out


def payments(entries: int, open_claims: list[match.Candidate], seed: int = 11) -> list[tuple]:
    """(amount, name, iban, text, reference, credit?) per entry: a mix of the ways people pay."""
    rnd = random.Random(seed)
    out = []
    for i in range(entries):
        c = open_claims[rnd.randrange(len(open_claims))]
        kind = i % 5
        if kind == 0:
            out.append((c.amount_due, c.client_name, c.client_ibans[0],
                        f"Betaling factuurnummer {c.invoices[0]} dank u", None, True))
        elif kind == 1:
            out.append((c.amount_due, c.client_name, c.client_ibans[0], "", c.references[0], True))
        elif kind == 2:
            out.append((c.amount_due, c.client_name, c.client_ibans[0], "termijn", None, True))
        elif kind == 3:
            out.append((Decimal(rnd.randrange(100, 99999)) / 100, "Iemand Anders", iban(900000 + i),
                        f"order {rnd.randrange(10**6)}", None, True))
        else:
            out.append((Decimal(rnd.randrange(100, 9999)) / 100, "Leverancier BV", iban(800000 + i),
                        "inkoop", None, False))
    return out


def camt(rows: list[tuple]) -> bytes:
    entries = []
    for i, (amount, name, acct, text, ref, credit) in enumerate(rows):
        party = "Dbtr" if credit else "Cdtr"
        rmt = (f"<Strd><CdtrRefInf><Ref>{ref}</Ref></CdtrRefInf></Strd>" if ref else f"<Ustrd>{text}</Ustrd>")
        entries.append(
            f"<Ntry><Amt Ccy=\"EUR\">{amount:.2f}</Amt><CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>"
            f"<Sts>BOOK</Sts><BookgDt><Dt>2026-11-25</Dt></BookgDt><ValDt><Dt>2026-11-25</Dt></ValDt>"
            f"<AcctSvcrRef>B{i:08d}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><{party}><Nm>{name}</Nm></{party}>"
            f"<{party}Acct><Id><IBAN>{acct}</IBAN></Id></{party}Acct></RltdPties><RmtInf>{rmt}</RmtInf>"
            f"</TxDtls></NtryDtls></Ntry>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
            "camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>BENCH</Id><Acct><Id><IBAN>NL20INGB0001234567</IBAN>"
            "</Id><Ccy>EUR</Ccy></Acct>" + "".join(entries) + "</Stmt></BkToCstmrStmt></Document>").encode()


def mt940(rows: list[tuple]) -> bytes:
    lines = [":20:BENCH", ":25:NL20INGB0001234567EUR", ":28C:00001", ":60F:C261124EUR0,00"]
    balance = Decimal("0")
    for i, (amount, name, acct, text, ref, credit) in enumerate(rows):
        balance += amount if credit else -amount
        lines.append(f":61:2611251125{'C' if credit else 'D'}{amount:.2f}NTRFNONREF//{i:014d}".replace(".", ","))
        remi = f"/REMI/STRD/ISO/{ref}/" if ref else f"/REMI/USTD//{text}/"
        body = f"/CNTP/{acct}/INGBNL2A/{name}//{remi}"
        lines.append(":86:" + body[:65])
        lines.extend(body[k:k + 65] for k in range(65, len(body), 65))
    sign = "C" if balance >= 0 else "D"
    lines.append(f":62F:{sign}261125EUR{abs(balance):.2f}".replace(".", ","))
    return ("\n".join(lines) + "\n-\n").encode()


def run(data: bytes, name: str, open_claims: list[match.Candidate]) -> tuple[float, statements.BankFile, list]:
    best = float("inf")
    for _ in range(3):
        statements._iban_valid.cache_clear()  # each run starts cold, as a real import does
        statements._looks_iban.cache_clear()
        t0 = time.perf_counter()
        f = statements.parse(data, name)
        results = match.match_all(f.credits, match.Candidates(open_claims))
        best = min(best, time.perf_counter() - t0)
    return best, f, results


# --------------------------------------------------------------------------- the whole command

def ledger_rows(home: Path, entries: int, seed: int = 13) -> list[tuple]:
    """Statement rows (as ``payments`` makes them) for a generated home: each of its open
    invoices paid at most once, by number in the text, by RF reference or by amount and the
    client's name, between payments from strangers and debits."""
    from wikcli.store import config
    from wikcli.ledger import facts
    from wikcli.ledger import steps
    from wikcli.store.journal import Journal

    cfg = config.load(home)
    rulebook = config.rulebook(cfg, home)
    ledger = facts.fold(Journal(home).events())
    day = __import__("datetime").date.fromisoformat(TODAY)
    payable = []
    for inv in ledger.invoices.values():
        client = ledger.clients[inv.client]
        a = steps.assess(inv, client, rulebook, day, with_interest=False)
        if a.closed is None and a.standing.principal_open > 0:
            payable.append((inv.number, client.name, a.standing.principal_open))
    rnd = random.Random(seed)
    rnd.shuffle(payable)
    accounts: dict[str, str] = {}  # a client pays from its own account
    rows = []
    for i in range(entries):
        kind = i % 5
        if kind < 3 and payable:
            number, name, due = payable.pop()
            payer = accounts.setdefault(name, iban(100000 + len(accounts)))
            if kind == 0:
                rows.append((due, name, payer, f"Betaling factuurnummer {number} dank u", None, True))
            elif kind == 1:
                rows.append((due, name, payer, "", references.rf_reference(number), True))
            else:
                rows.append((due, name, payer, "termijn", None, True))
        elif kind < 4 or not payable:
            rows.append((Decimal(rnd.randrange(100, 99999)) / 100, "Iemand Anders", iban(900000 + i),
                         f"order {rnd.randrange(10**6)}", None, True))
        else:
            rows.append((Decimal(rnd.randrange(100, 9999)) / 100, "Leverancier BV", iban(800000 + i),
                         "inkoop", None, False))
    return rows


def whole_command(invoices: int, entries: int, runs: int, wik: list[str], root: Path,
                  home: Path | None = None) -> dict:
    """Median wall time of ``wik bank import`` of ``entries`` into a home of ``invoices``
    (``home``: one ``gen_journal`` made already, which is not changed)."""
    sys.path.insert(0, str(HERE))
    from gen_journal import generate

    home = home or root / f"bank-home-{invoices}"
    if not (home / "journal.jsonl").exists():
        generate(home, invoices)
    statement = root / f"statement-{entries}.xml"
    statement.write_bytes(camt(ledger_rows(home, entries)))
    base = root / "bank-base"  # the home as a command leaves it: with its snapshot
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(home, base)
    subprocess.run([*wik, "status", "--json", "--home", str(base), "--today", TODAY], check=True,
                   capture_output=True, env=ENV)
    times: dict[bool, list[float]] = {True: [], False: []}
    out = None
    for k in range(runs + 1):  # the first round warms the file cache and is not counted
        for with_snapshot in (True, False):
            work = root / "bank-work"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            if not with_snapshot:
                (work / "journal.snapshot").unlink()
            t0 = time.perf_counter()
            r = subprocess.run([*wik, "bank", "import", str(statement), "--json", "--home", str(work),
                                "--today", TODAY], capture_output=True, text=True, env=ENV)
            elapsed = time.perf_counter() - t0
            if r.returncode != 0:
                raise SystemExit(f"benchmark: wik bank import failed: {r.stderr.strip()}")
            if k:
                times[with_snapshot].append(elapsed)
            if out is not None and r.stdout != out.stdout:
                raise SystemExit("benchmark: wik bank import said another thing without the snapshot")
            out = r
    import json

    result = json.loads(out.stdout)
    warm, cold = times[True], times[False]
    return {"invoices": invoices, "entries": entries, "statement_mb": round(statement.stat().st_size / 1e6, 1),
            "credits": result["credits"], "booked": len(result["matched"]), "kept": len(result["unmatched"]),
            "runs": runs, "median_s": round(statistics.median(warm), 3), "max_s": round(max(warm), 3),
            "without_snapshot_median_s": round(statistics.median(cold), 3),
            "without_snapshot_max_s": round(max(cold), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--invoices", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    open_claims = claims(args.invoices)
    rows = payments(args.entries, open_claims)
    for fmt, data in (("camt.053", camt(rows)), ("MT940", mt940(rows))):
        seconds, f, results = run(data, fmt, open_claims)
        matched = sum(isinstance(r, match.Match) for r in results)
        print(f"{fmt:8} {args.entries:,} entries ({len(data) / 1e6:.1f} MB), {args.invoices:,} invoices: "
              f"{seconds:.2f} s to read and match, {len(f.credits):,} credits, {matched:,} matched")
    wik = [sys.executable, "-m", "wikcli"]
    if (Path(sys.executable).parent / "wik").exists():
        wik = [str(Path(sys.executable).parent / "wik")]
    with tempfile.TemporaryDirectory(prefix="wik-bank-") as tmp:
        r = whole_command(args.invoices, args.entries, args.runs, wik, Path(tmp))
    verdict = "PASS" if r["median_s"] <= TARGET_S else "FAIL"
    print(f"wik bank import: {r['entries']:,} entries ({r['statement_mb']} MB camt.053) into {r['invoices']:,} "
          f"invoices: {r['median_s']:.2f} s median of {r['runs']} (max {r['max_s']:.2f} s), {r['credits']:,} "
          f"credits, {r['booked']:,} booked, {r['kept']:,} kept [{verdict}: target <= {TARGET_S:.0f} s]; "
          f"without its snapshot {r['without_snapshot_median_s']:.2f} s (max {r['without_snapshot_max_s']:.2f} s)")


if __name__ == "__main__":
    main()

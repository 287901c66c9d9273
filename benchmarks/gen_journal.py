"""Generate a wik home with a journal of N invoices (about five events each), for benchmarks.

    python benchmarks/gen_journal.py DIR N [--seed 1]

The journal is written directly in wik's format (one JSON event a line after a header), the
way years of use would leave it: one client per ten invoices, and per invoice a mix of
reminders, calls with promises, WIK-letters, notices of default, payments and closes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from datetime import date, timedelta
from pathlib import Path

from wikcli import config
from wikcli.model import Config, Creditor


def generate(home: Path, n: int, seed: int = 1) -> Path:
    rnd = random.Random(seed)
    home.mkdir(parents=True, exist_ok=True)
    config.write(home, Config(creditor=Creditor(
        name="Bench BV", address="Keizersgracht 1", postcode="1015 AA", city="Amsterdam",
        iban="NL91ABNA0417164300", vat_deductible=False)), force=True)
    path = home / "journal.jsonl"
    seq = 0
    at = "2026-01-01T09:00:00Z"
    lines = [json.dumps({"wik_journal": 1, "created": at})]

    def ev(type_: str, invoice: str | None, data: dict) -> None:
        nonlocal seq
        seq += 1
        lines.append(json.dumps({"seq": seq, "at": at, "type": type_, "invoice": invoice, "data": data},
                                ensure_ascii=False))

    start = date(2024, 1, 1)
    for i in range(n):
        if i % 10 == 0:
            cid = f"c{i // 10}"
            ev("client-added", None, {
                "id": cid, "name": f"Klant {i // 10}", "type": "consumer" if i % 20 else "business",
                "address": f"Dorpsstraat {i % 200 + 1}", "postcode": "1234 AB", "city": "Utrecht",
                "country": "NL", "email": f"klant{i // 10}@example.nl", "lang": "nl"})
        number = f"2024-{i:06d}"
        day = start + timedelta(days=rnd.randrange(0, 900))
        due = day + timedelta(days=30)
        c = rnd.randrange(5000, 500000)
        amount = f"{c // 100}.{c % 100:02d}"
        ev("invoice-added", number, {"client": cid, "amount": amount, "date": day.isoformat(),
                                     "due": due.isoformat(), "description": "Werkzaamheden"})
        d = due + timedelta(days=3)
        ev("letter-sent", number, {"kind": "reminder", "date": d.isoformat(), "via": "email"})
        d += timedelta(days=20)
        ev("note", number, {"date": d.isoformat(), "text": "Gebeld, belooft te betalen",
                            "promise": (d + timedelta(days=7)).isoformat()})
        d += timedelta(days=10)
        kind = rnd.random()
        if kind < 0.5:
            ev("letter-sent", number, {"kind": "wik", "date": d.isoformat(), "via": "post"})
        else:
            ev("payment", number, {"amount": f"{c // 200}.{c // 2 % 100:02d}", "date": d.isoformat()})
        if kind < 0.2:
            ev("closed", number, {"date": (d + timedelta(days=30)).isoformat(), "reason": "written-off"})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    p = generate(Path(a.dir), a.n, a.seed)
    print(p)


if __name__ == "__main__":
    main()

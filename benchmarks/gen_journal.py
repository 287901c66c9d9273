"""Generate a wik home with a journal of N invoices (about four events each), for benchmarks.

    python benchmarks/gen_journal.py DIR N [--seed 1]

The journal is written directly in wik's format (one JSON event a line after a header), the
way years of use would leave it: one client per ten invoices, and per invoice a mix of
reminders, calls with promises, WIK-letters, notices of default, payments and closes. Letters
record their claim as `wik sent` does (docs/json.md: term, open amounts, announced costs);
one WIK-letter in eight covers two invoices of a client, as one transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from wikcli.store import config
from wikcli.rules import costs, interest
from wikcli.ledger import events
from wikcli.ledger import facts
from wikcli.ledger import standing
from wikcli.ledger.model import Client, Config, Creditor, Policy
from wikcli.rules.money import ZERO, split, to_str

VAT_RATE = Decimal("0.21")  # the creditor below is not VAT-deductible: costs are announced with VAT


def generate(home: Path, n: int, seed: int = 1) -> Path:
    rnd = random.Random(seed)
    home.mkdir(parents=True, exist_ok=True)
    config.write(home, Config(creditor=Creditor(
        name="Bench BV", address="Keizersgracht 1", postcode="1015 AA", city="Amsterdam",
        iban="NL91ABNA0417164300", vat_deductible=False)), force=True)
    path = home / "journal.jsonl"
    policy = Policy()
    seq = 0
    at = "2026-01-01T09:00:00Z"
    lines = [json.dumps({"wik_journal": 1, "created": at})]

    def ev(type_: str, invoice: str | None, data: dict, more: bool = False) -> None:
        nonlocal seq
        seq += 1
        d = {"seq": seq, "at": at, "type": type_, "invoice": invoice, "data": data}
        if more:
            d["more"] = True
        lines.append(json.dumps(d, ensure_ascii=False))

    def letter(kind: str, day: date, via: str, client: Client, invs: list[tuple[str, Decimal, date]]) -> None:
        """letter-sent events for invoices (number, amount, due) none of which is paid yet."""
        term = standing.letter_term(kind, day, via, policy, client)
        ikind = standing.interest_kind(client.type)
        opened = [interest.total(a, due + timedelta(days=1), day, ikind)[0] for _, a, due in invs]
        principal = sum((a for _, a, _ in invs), ZERO)
        announced = None
        shares = [None] * len(invs)
        if kind in facts.ANNOUNCING[client.type]:
            announced = costs.compute(principal, vat=True, debtor=client.type)
            amounts = [a for _, a, _ in invs]
            shares = list(zip(split(announced.costs, amounts), split(announced.vat, amounts)))
        total = principal + sum(opened, ZERO)
        letter_id = f"L{seq + 1}"
        for k, ((number, amount, _), owed, share) in enumerate(zip(invs, opened, shares)):
            ev(events.LETTER_SENT, number, {
                "kind": kind, "date": day.isoformat(), "via": via, "letter": letter_id,
                "invoices": [x[0] for x in invs], "delivered": term.delivered.isoformat(),
                "last_day": term.last_day.isoformat(), "costs_due_from": term.costs_due_from.isoformat(),
                "principal_open": to_str(amount), "costs_open": "0.00", "interest_open": to_str(owed),
                "announces": None if share is None else {"costs": to_str(share[0]), "vat": to_str(share[1])},
                "claim": {
                    "principal_open": to_str(principal), "costs_open": "0.00",
                    "interest_open": to_str(sum(opened, ZERO)), "total": to_str(total),
                    "requested": to_str(total),
                    "costs_announced": None if announced is None else {
                        "principal": to_str(principal), "costs": to_str(announced.costs),
                        "vat": to_str(announced.vat), "vat_rate": f"{VAT_RATE:.2f}"}},
            }, more=k < len(invs) - 1)

    start = date(2024, 1, 1)
    client = None
    held = None  # (number, amount, due, day): a WIK-letter kept back to go out with the next invoice's
    for i in range(n):
        if i % 10 == 0:
            cid = f"c{i // 10}"
            data = {
                "id": cid, "name": f"Klant {i // 10}", "type": "consumer" if i % 20 else "business",
                "address": f"Dorpsstraat {i % 200 + 1}", "postcode": "1234 AB", "city": "Utrecht",
                "country": "NL", "email": f"klant{i // 10}@example.nl", "lang": "nl"}
            ev("client-added", None, data)
            client = Client(**data)
            held = None
        number = f"2024-{i:06d}"
        day = start + timedelta(days=rnd.randrange(0, 900))
        due = day + timedelta(days=30)
        c = rnd.randrange(5000, 500000)
        amount = Decimal(c) / 100
        ev("invoice-added", number, {"client": cid, "amount": to_str(amount), "date": day.isoformat(),
                                     "due": due.isoformat(), "description": "Werkzaamheden"})
        d = due + timedelta(days=3)
        letter(facts.REMINDER, d, "email", client, [(number, amount, due)])
        d += timedelta(days=20)
        ev("note", number, {"date": d.isoformat(), "text": "Gebeld, belooft te betalen",
                            "promise": (d + timedelta(days=7)).isoformat()})
        d += timedelta(days=10)
        kind = rnd.random()
        if kind < 0.5:
            # An invoice that stays open (kind >= 0.2) may wait for the next one of its client.
            if held is not None and kind >= 0.2:
                other, a, due_, d_ = held
                letter(facts.WIK, max(d, d_), "post", client, [(other, a, due_), (number, amount, due)])
                held = None
            elif held is None and kind >= 0.2 and i % 10 < 9 and rnd.random() < 0.25:
                held = (number, amount, due, d)
            else:
                letter(facts.WIK, d, "post", client, [(number, amount, due)])
        else:
            ev("payment", number, {"amount": f"{c // 200}.{c // 2 % 100:02d}", "date": d.isoformat()})
        if kind < 0.2:
            ev("closed", number, {"date": (d + timedelta(days=30)).isoformat(), "reason": "written-off"})
        if held is not None and (i % 10 == 9 or i == n - 1):
            other, a, due_, d_ = held
            letter(facts.WIK, d_, "post", client, [(other, a, due_)])
            held = None
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

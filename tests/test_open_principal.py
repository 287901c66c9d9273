"""``steps.open_principal`` says what ``assess`` says of the principal open, on every invoice
of the demo and on several days (it skips the costs where nothing was paid)."""

from __future__ import annotations

from datetime import date

from conftest import make_demo
from wikcli.ledger import steps
from wikcli.rules.money import ZERO
from wikcli.store.home import Home


def test_open_principal_is_what_assess_says(tmp_path):
    h = Home.open(make_demo(tmp_path / "demo", "2026-11-25"))
    ledger = h.ledger()
    checked = 0
    for day in (date(2026, 6, 1), date(2026, 10, 1), date(2026, 11, 25), date(2027, 3, 1)):
        for inv in ledger.invoices.values():
            on = max(day, inv.date)
            client = ledger.clients[inv.client]
            a = steps.assess(inv, client, h.rulebook, on, with_interest=False)
            want = ZERO if a.closed is not None else a.standing.principal_open
            assert steps.open_principal(inv, client, h.rulebook, on) == want, (inv.number, day)
            checked += 1
    assert checked == 4 * len(ledger.invoices) and checked > 20

"""The rules a home computes by, as one value: its policy, its VAT position, the interest
rate table in force and the holiday calendar.

Every figure the ledger derives (costs owed, interest to a day, a letter's last day, the
next action) depends on the journal, a day, and these four. They used to travel as a policy
and a VAT flag beside each other through every function, with the rate table in a module
global and the calendar named by a file inside the installed package; a ``Rulebook`` is made
once per command (``store/config.py:rulebook``, from the config and the home) and passed
down whole. Its ``digest`` is what the day's overview is kept under
(``store/overview.py:fingerprint``): equal digests, equal rows.

(The name: ``rules/agreed.py`` already has ``Terms``, a client's agreed terms.)
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass, field

from wikcli.ledger.model import Policy
from wikcli.rules import deadlines, interest


@dataclass(frozen=True)
class Rulebook:
    policy: Policy = Policy()
    # A VAT-registered creditor deducts VAT, so the collection costs carry none (model.Creditor).
    vat_deductible: bool = True
    rates: interest.RateTable = field(default_factory=interest.packaged)
    calendar: deadlines.Calendar = field(default_factory=deadlines.calendar)

    def digest(self) -> bytes:
        """A stable digest of the four: the policy's values, the VAT position, the rate
        table's rows and the calendar's identity."""
        h = hashlib.sha256()
        for part in (repr(astuple(self.policy)), repr(self.vat_deductible), self.calendar.identity()):
            h.update(part.encode() + b"\0")
        h.update(self.rates.digest())
        return h.digest()

"""The open claims a credit may pay, as the matcher compares them (``bank/match.py``).

Pure: the ledger in, ``Candidate`` values out. Candidates are the ledger's invoices (each
with the RF reference of its number where that names it alone, the references of the
letters about it alone, and the amounts it asks: what is open of it, what those letters
asked, a payment plan's installments) and the letters about several invoices (their
reference and what they asked). ``match`` decides; one candidate is a match, several or none
leave the credit unmatched.

After a booking the candidates of the invoices paid are made again from the ledger before
the next credit from that client's IBAN or name is matched, so it is matched against what is
open then; an IBAN remembered during the run counts for the credits after it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from collections.abc import Iterable

from wikcli.bank import statements
from wikcli.bank.match import Candidate, Candidates
from wikcli.bank.statements import Credit
from wikcli.ledger.events import CLOSED, LETTER_RENDERED, LETTER_SENT
from wikcli.ledger.facts import InvoiceFacts, Ledger
from wikcli.ledger.rulebook import Rulebook
from wikcli.ledger.steps import open_principal, plan_in_force
from wikcli.rules.money import ZERO
from wikcli.rules.references import invoice_kenmerken, invoice_references


def _letters(inv: InvoiceFacts, today: date) -> Iterable[dict]:
    """The data of the letters recorded (sent, or rendered) about this invoice that carry a
    payment reference, a voided letter left out."""
    for ev in inv.events:
        if ev.type in (LETTER_SENT, LETTER_RENDERED) and ev.data.get("reference"):
            if ev.type == LETTER_SENT and inv.is_voided(ev.seq, today):
                continue
            yield ev.data


class Pool:
    """The ledger's candidates, indexed once, and made again for the invoices a booking paid.

    Only the amount rule reads what a candidate asks, and it looks a candidate up by its
    client's IBANs and name; so a paid invoice's candidate is made again (``ready``) only
    when a credit from that client's IBAN or name comes to the amount rule, not after every
    booking."""

    def __init__(self, ledger: Ledger, rulebook: Rulebook, today: date):
        self.ledger, self.rulebook, self.today = ledger, rulebook, today
        self.own = invoice_references(ledger.invoices)
        self.kenmerken: dict | None = None  # made on first use: most imports match by RF
        # Letters about several invoices, one candidate per set of invoices: a reminder and a
        # WIK-letter about the same invoices are one claim, not two that make a text ambiguous.
        self.groups: dict[frozenset, dict] = {}
        self.single: dict[str, list[dict]] = {}
        for inv in ledger.invoices.values():
            for d in _letters(inv, today):
                numbers = d.get("invoices") or [inv.number]
                if len(numbers) == 1:
                    self.single.setdefault(inv.number, []).append(d)
                    continue
                g = self.groups.setdefault(frozenset(numbers), {"numbers": tuple(numbers), "letters": {}})
                g["letters"].setdefault(d.get("letter") or d.get("file", ""), d)
        self.of_invoice: dict[str, Candidate] = {}
        self.of_group: dict[frozenset, Candidate] = {}
        for inv in ledger.invoices.values():
            self.of_invoice[inv.number] = self._invoice(inv)
        for key, g in self.groups.items():
            self.of_group[key] = self._group(g)
        self.index = Candidates([*self.of_invoice.values(), *self.of_group.values()])
        self.groups_of: dict[str, list[frozenset]] = {}
        for key in self.groups:
            for n in key:
                self.groups_of.setdefault(n, []).append(key)
        self.invoices_of: dict[str, list[str]] = {}
        for inv in ledger.invoices.values():
            self.invoices_of.setdefault(inv.client, []).append(inv.number)
        # The clients an IBAN or a name (as the amount rule compares them) points to.
        self.clients_by: dict[str, set[str]] = {}
        for c in ledger.clients.values():
            if c.id in ledger.forgotten:
                continue
            for payer in (statements.name_key(c.name), *(statements.iban_key(i) for i in c.ibans)):
                self.clients_by.setdefault(payer, set()).add(c.id)
        self.dirty: dict[str, set[str]] = {}  # client -> invoices whose candidates are out of date

    def touch(self, client: str, numbers: Iterable[str]) -> None:
        """These invoices' candidates are out of date (a payment on them, a new IBAN)."""
        self.dirty.setdefault(client, set()).update(numbers)

    def learn_iban(self, client: str, iban: str) -> None:
        """The client's candidates are found by this IBAN from now on."""
        self.clients_by.setdefault(statements.iban_key(iban), set()).add(client)
        self.index.add_iban(client, iban)

    def ready(self, credit: Credit) -> bool:
        """Make again the out-of-date candidates of the clients this credit's IBAN or name
        points to; whether there were any."""
        if not self.dirty:
            return False
        done = False
        for key in (statements.iban_key(credit.counterparty_iban), statements.name_key(credit.counterparty_name)):
            for client in self.clients_by.get(key, ()):
                numbers = self.dirty.pop(client, None)
                if numbers:
                    self.refresh(sorted(numbers))
                    done = True
        return done

    def _client(self, inv: InvoiceFacts):
        client = self.ledger.clients[inv.client]
        forgotten = inv.client in self.ledger.forgotten
        return client, () if forgotten else client.ibans, "" if forgotten else client.name

    def _invoice(self, inv: InvoiceFacts) -> Candidate:
        client, ibans, name = self._client(inv)
        refs = [self.own[inv.number]] if inv.number in self.own else []
        if self.kenmerken is None:
            self.kenmerken = invoice_kenmerken(self.ledger.invoices)
        if inv.number in self.kenmerken:
            refs.append(self.kenmerken[inv.number])
        if inv.payment_reference:
            refs.append(inv.payment_reference)  # the kenmerk the invoice itself carried
        asked: list[Decimal] = []
        for d in self.single.get(inv.number, ()):
            refs.append(d["reference"])
            asked.append(Decimal((d.get("claim") or {}).get("requested", "0")))
        if any(kind == CLOSED and day <= self.today for day, kind, _ in inv.marks):
            # Closed by hand: found by its reference or number (and then refused, or taken
            # where money may still come in), never by an amount alone.
            due, plan = ZERO, None
        else:
            # What assess says of it, without the step and next action no candidate needs.
            on = max(self.today, inv.date)
            due, plan = open_principal(inv, client, self.rulebook, on), plan_in_force(inv, on)
        if due <= 0:
            asked = []
        elif plan is not None:
            asked += [i.amount for i in plan.installments]
        return Candidate((inv.number,), inv.client, due, tuple(dict.fromkeys(refs)), ibans, name,
                         amounts=tuple(dict.fromkeys(asked)))

    def _group(self, g: dict) -> Candidate:
        numbers = g["numbers"]
        invs = [self.ledger.invoices[n] for n in numbers if n in self.ledger.invoices]
        client, ibans, name = self._client(invs[0])
        due = sum((self.of_invoice[i.number].amount_due for i in invs), ZERO)
        letters = sorted(g["letters"].values(), key=lambda d: d.get("date", ""))
        refs = tuple(dict.fromkeys(d["reference"] for d in letters))
        asked = () if due <= 0 else tuple(dict.fromkeys(
            Decimal((d.get("claim") or {}).get("requested", "0")) for d in letters))
        letter = letters[-1].get("letter") or letters[-1].get("file")
        return Candidate(tuple(numbers), invs[0].client, due, refs, ibans, name, letter=letter, amounts=asked)

    def refresh(self, numbers: Iterable[str]) -> None:
        """Make the candidates of these invoices (and of the letters about them) again."""
        groups: set[frozenset] = set()
        for n in numbers:
            old = self.of_invoice[n]
            new = self._invoice(self.ledger.invoices[n])
            self.of_invoice[n] = new
            self.index.replace(old, new)
            groups.update(self.groups_of.get(n, ()))
        for key in groups:
            old = self.of_group[key]
            new = self._group(self.groups[key])
            self.of_group[key] = new
            self.index.replace(old, new)

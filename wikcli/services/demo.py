"""The demo ledger: six invoices of consumer and business clients, one in each step.

Built through the ledger's commands exactly as the commands would record it, with dates relative to
``today`` so the demo always shows something due. Pure: returns the config and the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from wikcli.ledger import claims, client_commands, commands
from wikcli.ledger import facts
from wikcli.ledger.model import BUSINESS, CONSUMER, Client, Config, Creditor, LetterSettings, Policy
from wikcli.ledger.rulebook import Rulebook

CONFIG = Config(
    creditor=Creditor(
        name="Studio Voorbeeld", address="Prinsengracht 263", postcode="1016 GV", city="Amsterdam",
        kvk="12345678", vat_id="NL000099998B57", iban="NL91ABNA0417164300",
        email="facturen@studiovoorbeeld.nl", phone="020 123 4567",
        # A freelancer under the small-business scheme (KOR) cannot deduct VAT: costs get 21%.
        vat_deductible=False),
    policy=Policy(),
    letters=LetterSettings(lang="nl", place="Amsterdam", signature="Sanne de Vries"),
)

CLIENTS = (
    Client("devries", "Familie de Vries", CONSUMER, "Lindenlaan 4", "3581 AB", "Utrecht",
           email="devries@example.nl"),
    Client("bakkerij", "Bakkerij Brood & Zo B.V.", BUSINESS, "Marktplein 12", "2011 BK", "Haarlem",
           email="administratie@example.nl"),
    Client("jansen", "Pieter Jansen", CONSUMER, "Kerkstraat 88", "1017 GM", "Amsterdam",
           email="pieter.jansen@example.nl"),
    Client("meijer", "Anouk Meijer", CONSUMER, "Dorpsweg 3", "7461 AA", "Rijssen"),
    Client("techniek", "Techniek Oost B.V.", BUSINESS, "Industrieweg 40", "7521 PH", "Enschede",
           email="crediteuren@example.nl"),
    Client("visser", "Lotte Visser", CONSUMER, "Havenstraat 7", "8861 BK", "Harlingen"),
)


@dataclass(frozen=True)
class Demo:
    config: Config
    events: list[commands.NewEvent]
    wik_invoice: str  # the invoice whose WIK-letter the demo makes (the command renders and records it)
    wik_day: date


class _Book:
    """Feeds each request to the ledger's commands against the ledger recorded so far."""

    def __init__(self, today: date, rulebook: Rulebook):
        self.today, self.rulebook = today, rulebook
        self.events: list[commands.NewEvent] = []

    def ledger(self) -> facts.Ledger:
        class E:  # the shape fold expects, as the journal would hand it back
            def __init__(self, seq, t, inv, data):
                self.seq, self.type, self.invoice, self.data = seq, t, inv, data

        return facts.fold(E(i + 1, *ev) for i, ev in enumerate(self.events))

    def __call__(self, fn, *args, **kw):
        self.events += fn(self.ledger(), *args, **kw)

    def letter(self, number: str, kind: str, day: date, via: str) -> None:
        ledger = self.ledger()
        claim = claims.compose(ledger, self.rulebook, [number], kind, day, via, today=self.today)
        self.events += commands.sent(ledger, claim)


# The files the help examples read, written into the demo home beside the ledger.
INVOICES_FILE = "facturen.csv"
STATEMENT_FILE = "afschrift.xml"
_STATEMENT_DAY = date(2026, 11, 25)  # the demo day the packaged statement is written for


def files(demo: Demo, today: date) -> dict[str, bytes]:
    """An invoice export to import and a bank statement that pays three of the demo's
    invoices, dated along with ``today`` so that the examples work on a demo made any day."""
    import re
    from importlib.resources import files as resources

    shift = today - _STATEMENT_DAY
    moved = lambda m: (date.fromisoformat(m[0]) + shift).isoformat()  # noqa: E731
    xml = resources("wikcli").joinpath("demo-statement.xml").read_text(encoding="utf-8")
    xml = re.sub(r"\d{4}-\d{2}-\d{2}(?!\d)", moved, xml)
    xml = xml.replace("20261124", (today - timedelta(days=1)).strftime("%Y%m%d"))
    # Jansen pays the first installment of the plan, which the matcher finds by its amount:
    # the interest in it depends on the rates of the demo's days, and so do the totals.
    book = _Book(today, Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible))
    book.events = list(demo.events)
    installment = book.ledger().invoices["2026-087"].plans[-1].installments[0].amount
    change = installment - Decimal("402.65")
    for total in ("402.65", "2223.78", "3473.78", "1973.78"):
        xml = xml.replace(f">{total}<", f">{Decimal(total) + change:.2f}<")
    invoiced = today - timedelta(days=22)
    csv = ("factuurnummer;factuurdatum;bedrag;klant\n"
           f"2026-130;{invoiced.day}-{invoiced.month}-{invoiced.year};1.234,56;Van Dijk Installatie\n")
    return {INVOICES_FILE: csv.encode("utf-8"), STATEMENT_FILE: xml.encode("utf-8")}


def build(today: date) -> Demo:
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    rulebook = Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible)  # a fresh home: the packaged rates
    book = _Book(today, rulebook)
    for c in CLIENTS:
        book(client_commands.add_client, c)
    # 1 invoice: sent last week, not due yet.
    book(commands.add_invoice, "2026-101", "devries", Decimal("450.00"), d(7), d(7) + timedelta(days=30),
         "Fotografie bruiloft, aanbetaling")
    # 2 reminder: overdue, reminded by e-mail, then a partial payment.
    book(commands.add_invoice, "2026-094", "bakkerij", Decimal("1815.00"), d(52), d(22), "Huisstijl en logo")
    book.letter("2026-094", facts.REMINDER, d(20), "email")
    book(commands.pay, "2026-094", Decimal("500.00"), d(10), rulebook, today=today)
    # 3 call: reminded, called, and a payment plan agreed whose first installment was missed.
    book(commands.add_invoice, "2026-087", "jansen", Decimal("1200.00"), d(75), d(45), "Website onderhoud")
    book.letter("2026-087", facts.REMINDER, d(42), "post")
    book(commands.note, "2026-087", "Gebeld: kan niet in één keer betalen, voorstel 3 termijnen", d(20), None,
         today=today)
    book(commands.plan, "2026-087", 3, d(15), "month", d(20), rulebook)
    # 4 WIK-letter: reminded and called; the WIK-letter, posted a few days ago, is made by the
    # command (rendered, archived and recorded as sent), as `wik letter --sent` does.
    book(commands.add_invoice, "2026-072", "meijer", Decimal("244.00"), d(95), d(65), "Portretsessie")
    book.letter("2026-072", facts.REMINDER, d(60), "post")
    book(commands.note, "2026-072", "Voicemail ingesproken, niet teruggebeld", d(40), None, today=today)
    posted = d(3) if d(3).weekday() != 6 else d(4)  # nobody posts a letter on a Sunday
    # 5 notice of default: a business debtor after the WIK-letter's term.
    book(commands.add_invoice, "2026-058", "techniek", Decimal("3630.00"), d(120), d(90), "Montage bedrijfsfilm")
    book.letter("2026-058", facts.REMINDER, d(85), "email")
    book(commands.note, "2026-058", "Gesproken met crediteurenadministratie: 'wordt opgepakt'", d(70),
         d(60), today=today)
    book.letter("2026-058", facts.WIK, d(50), "email")
    book.letter("2026-058", facts.DEFAULT, d(22), "post")
    # 6 hand-over: all letters unanswered, handed to a collection agency after the notice's term.
    book(commands.add_invoice, "2026-031", "visser", Decimal("980.00"), d(200), d(170), "Trouwreportage")
    book.letter("2026-031", facts.REMINDER, d(165), "post")
    book(commands.note, "2026-031", "Telefoon wordt niet opgenomen", d(150), None, today=today)
    book.letter("2026-031", facts.WIK, d(140), "post")
    book.letter("2026-031", facts.DEFAULT, d(110), "post")
    book(commands.hand_over, "2026-031", d(85), rulebook)
    return Demo(CONFIG, book.events, "2026-072", posted)

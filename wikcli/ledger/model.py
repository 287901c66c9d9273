"""The nouns of wik as frozen dataclasses: who claims, from whom, under which policy.

These are values: the journal stores the facts they are built from, the process module
derives the state of an invoice from them, and letters read them. None of them does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


CONSUMER = "consumer"
BUSINESS = "business"
DEBTOR_TYPES = (CONSUMER, BUSINESS)
LANGS = ("nl", "en")
SECURITY = ("starttls", "ssl", "none")  # [smtp] security


@dataclass(frozen=True)
class Creditor:
    """You: the freelancer who sends the invoices and the letters (config ``[creditor]``)."""

    name: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    kvk: str = ""
    vat_id: str = ""
    iban: str = ""
    bic: str = ""
    email: str = ""
    phone: str = ""
    # A VAT-registered business deducts VAT and so charges collection costs without VAT;
    # a private person or a KOR business cannot and may add 21% (seed 002).
    vat_deductible: bool = True


@dataclass(frozen=True)
class Policy:
    """How you run the process (config ``[policy]``); defaults follow domain.md section 1."""

    reminder_term_days: int = 14  # 8-14 days by convention
    default_term_days: int = 8  # notice of default: a last term of 8 days by convention
    payment_term_days: int = 30  # art. 6:119a lid 2 BW without an agreed term
    business_skips_steps: bool = False  # a business debtor may skip the call and the WIK-letter
    registered_above: Decimal = Decimal("1000.00")  # advise registered post above this amount
    retention_years: int = 7  # fiscal retention (art. 52 AWR) before personal data may go
    # A posted letter counts as delivered on the Nth delivery day (Tuesday to Saturday, no
    # holidays). None: N by posting date, PostNL's norm plus one day (deadlines.py).
    postal_delivery_days: int | None = None
    # N for an address outside the Netherlands: no Dutch norm applies; 10 is twice the EU's
    # 97%-within-5-working-days standard for cross-border mail (deadlines.ABROAD_DELIVERY_DAYS).
    postal_delivery_days_abroad: int = 10
    # The payment reference letters carry: "rf" (ISO 11649) or "kenmerk" (the Dutch 16-digit
    # betalingskenmerk); `wik bank import` matches both whatever this says.
    payment_reference: str = "rf"


@dataclass(frozen=True)
class LetterSettings:
    """How letters look (config ``[letters]``)."""

    lang: str = "nl"
    place: str = ""  # place in "Amsterdam, 24 november 2026"; default: the creditor's city
    signature: str = ""  # name under the letter; default: the creditor's name
    qr: bool = True  # SEPA payment QR code (EPC069-12)
    # The window envelope's address field, in millimetres from the sheet's top left corner;
    # the default is DIN 5008 form B (``Window.DIN_5008_B``).
    window_left: float = 20.0
    window_top: float = 45.0
    window_width: float = 85.0
    window_height: float = 45.0

    @property
    def window(self) -> Window:
        return Window(self.window_left, self.window_top, self.window_width, self.window_height)


@dataclass(frozen=True)
class Window:
    """Where a window envelope shows the sheet, in millimetres from its top left corner.

    DIN 5008 form B (also the European business letter): the address field 45 mm from the
    top, 20 mm from the left, 85 x 45 mm; the text in it starts 5 mm inside. Its top 17.7 mm
    hold the return address and notes (registered), the address follows below."""

    left: float = 20.0
    top: float = 45.0
    width: float = 85.0
    height: float = 45.0

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none (none: only for a server on this machine)
    user: str = ""
    password_env: str = "WIK_SMTP_PASSWORD"  # the name of the variable, never the password
    sender: str = ""  # From address; default: the creditor's e-mail
    timeout: float = 30.0


@dataclass(frozen=True)
class Config:
    creditor: Creditor
    policy: Policy = field(default_factory=Policy)
    letters: LetterSettings = field(default_factory=LetterSettings)
    smtp: SmtpSettings | None = None  # config [smtp]: only needed to send letters by e-mail


@dataclass(frozen=True)
class Client:
    """A debtor. ``type`` decides the rules: consumer (WIK-letter mandatory) or business."""

    id: str
    name: str
    type: str = CONSUMER
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    email: str = ""
    lang: str = "nl"
    # The client's id in the file it was imported from (a UBL buyer's id, a CSV client
    # number) where that id could not serve as the wik id; matched on a later import.
    external_id: str = ""
    # IBANs a payment matched to this client came from (``client-iban`` events), in the
    # order they were first seen: a later payment from one of them can match by amount.
    ibans: tuple[str, ...] = ()
    # Where the e-mail address came from and when (a quote, an order, the terms: ``client
    # email``), and whether the client agreed to receive letters by e-mail: the proof a court
    # asks for when receipt of an e-mailed letter is disputed (HR 14-6-2013, ECLI:NL:HR:2013:BZ4104).
    email_source: str = ""
    email_given: str = ""  # ISO date, "" when not recorded
    email_letters: bool = False

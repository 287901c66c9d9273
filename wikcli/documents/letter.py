"""What a letter says: letter data -> rendered template text, and the SEPA QR payload.

The caller (the ledger) decides every figure: which invoices, the open principal, the costs,
the interest, the total and the last day of the term (deadlines module). This module only
puts them into words, through a Jinja template per kind and language, so a user can change
the wording by dropping a file of the same name in ``<home>/templates/``. How the letter
looks is ``page.py``; this module does not import ReportLab.

Templates produce ReportLab paragraph markup: every inserted value is escaped (autoescape),
so ``A & B <Holding>`` prints literally, while markup the template itself writes (``<b>``)
stays markup. A template defines three blocks: ``subject``, ``body`` (paragraphs separated
by blank lines; a paragraph that is exactly ``[[invoices]]`` or ``[[summary]]`` marks where
the invoice table and the amounts table go) and ``closing``.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from wikcli.rules import costs as costs_mod
from wikcli.ledger import model
from wikcli.errors import OptionError, WikError
from wikcli.rules.money import ZERO, cents, format_eur, to_str
from wikcli.rules.dates import Day
from wikcli.i18n import N_, _

REMINDER = "reminder"
WIK = "wik"
DEFAULT = "default"
KINDS = (REMINDER, WIK, DEFAULT)

# Where pdf.py puts the tables, when a body paragraph is exactly one of these.
INVOICES = "[[invoices]]"
SUMMARY = "[[summary]]"
PLACEHOLDERS = (INVOICES, SUMMARY)

def _packaged_templates() -> Path:
    # ``wikcli.templates`` is the top-level templates/ folder (pyproject.toml maps it): from a
    # source checkout, an editable install or a wheel, the resource lookup finds the files.
    from importlib import resources

    return Path(str(resources.files("wikcli.templates")))


PACKAGED_TEMPLATES = _packaged_templates()

EPC_MIN = Decimal("0.01")
EPC_MAX = Decimal("999999999.99")


class TemplateError(WikError):
    """A letter template (most likely a user's override) that cannot be rendered."""


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    date: Day
    due: Day
    amount: Decimal
    paid: Decimal
    open: Decimal

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "due": self.due.isoformat(),
            "amount": to_str(self.amount),
            "paid": to_str(self.paid),
            "open": to_str(self.open),
        }


@dataclass(frozen=True)
class AmountRow:
    """The costs or the interest of a letter's table: charged (or accrued), paid, open."""

    charged: Decimal
    paid: Decimal
    open: Decimal
    vat: Decimal = ZERO  # the VAT in ``charged`` (costs only)

    def to_json(self) -> dict:
        return {"charged": to_str(self.charged), "paid": to_str(self.paid), "open": to_str(self.open),
                "vat": to_str(self.vat)}


class Addressed(Protocol):
    """What the letterhead, the address window and a later page's header read of a document:
    a letter (``letter.LetterData``) and a statement of account alike."""

    @property
    def creditor(self) -> model.Creditor: ...
    @property
    def client(self) -> model.Client: ...
    @property
    def lang(self) -> str: ...
    @property
    def registered_hint(self) -> bool: ...
    @property
    def reference(self) -> str: ...


@dataclass(frozen=True)
class LetterData:
    kind: str
    lang: str  # "nl" | "en"
    creditor: model.Creditor
    client: model.Client
    letter_date: date
    reference: str  # the main invoice number
    invoices: tuple[InvoiceLine, ...]  # the invoices the letter covers
    principal_open: Decimal  # sum of their open principal
    term_days: int
    last_day: date  # the term's last day (deadlines module)
    # The collection costs this letter announces (owed from ``costs_due_from`` if the term
    # passes unpaid), or None: a WIK-letter, or a notice of default that first names them.
    costs: costs_mod.Costs | None
    costs_row: AmountRow | None  # costs owed on the letter's date (announced by an earlier letter)
    interest_row: AmountRow | None  # statutory interest accrued through the letter's date
    interest_from: date | None
    total_due: Decimal  # the table's total: what the ledger says is open on these invoices
    registered_hint: bool
    place: str
    signature: str
    qr: bool
    requested: Decimal | None = None  # what the letter asks now, when not the total (a plan's installment)
    costs_due_from: date | None = None
    missed_due: date | None = None  # a reminder about a plan's installment due on this day
    via: str = "post"
    # about the interest rates behind the interest (unconfirmed, unknown): for stderr, not print
    warnings: tuple[str, ...] = ()
    # The ISO 11649 reference (RF.., compact) the debtor is asked to quote; it goes in the QR
    # code's structured field. None: the invoice numbers are quoted instead (``remittance``).
    payment_reference: str | None = None
    # The agreed interest and its clause, when the letter's invoices carry such terms.
    interest_terms: tuple[str, str] | None = None
    # Where the window envelope shows the address (config [letters] window_*).
    window: model.Window = model.Window()
    # A letter whose invoices follow different interest rules (statutory for some, agreed for
    # others): the interest row split by rule, each ((text, clause) or None, AmountRow).
    interest_parts: tuple = ()

    def interest_name(self) -> str:
        """How the letter names the interest: statutory, or what was agreed and where."""
        if self.interest_terms is not None:
            text, clause = self.interest_terms
            if self.lang == "nl":
                return f"overeengekomen rente van {text}" + (f" (volgens {clause})" if clause else "")
            return f"agreed interest of {text}" + (f" (under {clause})" if clause else "")
        consumer = self.client.type == model.CONSUMER
        if self.lang == "nl":
            return "wettelijke rente" if consumer else "wettelijke handelsrente"
        return "statutory interest" if consumer else "statutory commercial interest"

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "lang": self.lang,
            "client": self.client.id,
            "letter_date": self.letter_date.isoformat(),
            "reference": self.reference,
            "invoices": [line.to_json() for line in self.invoices],
            "principal_open": to_str(self.principal_open),
            "term_days": self.term_days,
            "last_day": self.last_day.isoformat(),
            "costs": None if self.costs is None else self.costs.to_json(),
            "costs_owed": None if self.costs_row is None else self.costs_row.to_json(),
            "interest": None if self.interest_row is None else self.interest_row.to_json(),
            "interest_from": None if self.interest_from is None else self.interest_from.isoformat(),
            "total_due": to_str(self.total_due),
            "requested": to_str(self.amount_requested),
            "registered_hint": self.registered_hint,
            "qr": self.show_qr,
            "payment_reference": self.payment_reference,
        }

    @property
    def amount_requested(self) -> Decimal:
        return self.total_due if self.requested is None else self.requested

    @property
    def costs_owed(self) -> bool:
        return self.costs_row is not None

    @property
    def interest(self) -> Decimal:
        return ZERO if self.interest_row is None else self.interest_row.open

    @property
    def show_qr(self) -> bool:
        """A payment QR code only makes sense for an amount a bank app accepts."""
        return self.qr and bool(self.creditor.iban) and EPC_MIN <= cents(self.amount_requested) <= EPC_MAX

    @property
    def costs_total(self) -> Decimal:
        """The costs this letter announces, as charged: incl. VAT where the creditor adds it."""
        return ZERO if self.costs is None else self.costs.costs_incl_vat

    @property
    def rows_total(self) -> Decimal:
        """The sum of the table's open column: equal to ``total_due`` by construction."""
        return (sum((x.open for x in self.invoices), ZERO)
                + (self.costs_row.open if self.costs_row else ZERO)
                + (self.interest_row.open if self.interest_row else ZERO))

    @property
    def remittance(self) -> str:
        """What the payment should quote: the invoice number, or all of them for a total."""
        numbers = [line.number for line in self.invoices]
        if len(numbers) < 2 or self.reference not in numbers:
            return self.reference
        # The EPC remittance field holds 140 characters: keep whole invoice numbers.
        out = self.reference
        for number in numbers:
            if number != self.reference and len(out) + 1 + len(number) <= 140:
                out += " " + number
        return out

    @property
    def main_invoice(self) -> InvoiceLine | None:
        for line in self.invoices:
            if line.number == self.reference:
                return line
        return self.invoices[0] if self.invoices else None


@dataclass(frozen=True)
class LetterText:
    """The words of a letter, as ReportLab paragraph markup."""

    subject: str
    paragraphs: tuple[str, ...]  # may contain the INVOICES / SUMMARY placeholders
    closing: str

    def plain(self) -> str:
        """The text without markup (for an e-mail body or a quick look)."""
        parts = [_plain(self.subject), ""]
        for p in self.paragraphs:
            if p not in PLACEHOLDERS:
                parts += [_plain(p), ""]
        parts.append(_plain(self.closing))
        return "\n".join(parts)


_TAG = re.compile(r"<br\s*/?>|<[^>]+>")


def strip_markup(markup: str) -> str:
    """Paragraph markup as plain text: tags dropped, ``<br/>`` as a line break, entities read."""
    return _plain(markup)


def _plain(markup: str) -> str:
    return html.unescape(_TAG.sub(lambda m: "\n" if m.group().startswith("<br") else "", markup))


def template_dirs(home: Path | None) -> list[Path]:
    """Where templates are looked up: the user's overrides first, then the packaged ones."""
    dirs = [] if home is None else [Path(home) / "templates"]
    return dirs + [PACKAGED_TEMPLATES]


def _longdate(value: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(value, "d MMMM y", locale="nl_NL" if lang == "nl" else "en_GB")


@functools.lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...], markup: bool = True):
    """Jinja over ``dirs``; ``markup``: escape every value for ReportLab paragraphs (letters),
    else print values as they are (the plain-text body of an e-mail)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs), encoding="utf-8"),
        # ReportLab paragraphs are XML-like: escape & < > and quotes in every inserted value.
        autoescape=markup,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=not markup,
    )
    env.filters["eur"] = jinja2.pass_context(lambda ctx, v: format_eur(Decimal(v), ctx["lang"]))
    env.filters["longdate"] = jinja2.pass_context(lambda ctx, d: _longdate(d, ctx["lang"]))
    return env


_BLANK = re.compile(r"\n[ \t]*\n")


def _paragraphs(text: str) -> tuple[str, ...]:
    # Line breaks inside a paragraph are layout of the template file, not of the letter.
    out = []
    for chunk in _BLANK.split(text):
        p = " ".join(line.strip() for line in chunk.strip().splitlines() if line.strip())
        if p:
            out.append(p)
    return tuple(out)


def _context(data: LetterData) -> dict:
    """What a template may use: the letter's values (the e-mail body adds a few of its own)."""
    return {
        "kind": data.kind,
        "lang": data.lang,
        "creditor": data.creditor,
        "client": data.client,
        "consumer": data.client.type == model.CONSUMER,
        "letter_date": data.letter_date,
        "reference": data.reference,
        "numbers": [line.number for line in data.invoices],
        "remittance": data.remittance,
        # Printed in groups of four, as ISO 11649 advises; None where the letter has none.
        "payment_reference": group_reference(data.payment_reference),
        "invoices": data.invoices,
        "main": data.main_invoice,
        "principal_open": data.principal_open,
        "term_days": data.term_days,
        "last_day": data.last_day,
        "costs": data.costs,
        "announces": data.costs is not None,
        "costs_due_from": data.costs_due_from,
        "costs_owed": data.costs_owed,
        "costs_open": ZERO if data.costs_row is None else data.costs_row.open,
        "costs_total": data.costs_total,
        "interest": data.interest,
        "interest_from": data.interest_from,
        "total_due": data.total_due,
        "requested": data.amount_requested,
        "missed_due": data.missed_due,
        "interest_name": data.interest_name(),
        "via": data.via,
        "registered_hint": data.registered_hint,
        "place": data.place,
        "signature": data.signature,
        "qr": data.show_qr,
    }


def group_reference(reference: str | None) -> str | None:
    """An RF reference as printed for people, in groups of four ("RF60 2026 072")."""
    if not reference:
        return None
    compact = "".join(reference.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _template_error(exc, what: str, name: str, template_dirs: Sequence[Path]) -> TemplateError:
    """One line naming the template (and the line in it) that is missing or broken."""
    import jinja2

    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(_("{what} template {name} not found in {folders}").format(
            what=_(what), name=name, folders=", ".join(map(str, template_dirs))))
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    if line:
        return TemplateError(_("{what} template {where} line {line}: {message}").format(
            what=_(what), where=where, line=line, message=exc.message))
    return TemplateError(_("{what} template {where}: {message}").format(what=_(what), where=where, message=exc.message))


def render_text(data: LetterData, template_dirs: Sequence[Path]) -> LetterText:
    """Render ``{kind}.{lang}.j2`` from the first directory that has it."""
    import jinja2

    if data.kind not in KINDS:
        raise OptionError(_("letter kind {kind!r} is unknown: expected one of {kinds}").format(
                             kind=data.kind, kinds=', '.join(KINDS)))
    if data.lang not in model.LANGS:
        raise OptionError(_("letter language {lang!r} is unknown: expected nl or en").format(lang=data.lang))
    if not data.creditor.iban:
        raise OptionError(_("the creditor's IBAN is missing: a letter must say how to pay (set iban under [creditor])"))
    if data.kind == WIK and data.costs is None:
        raise OptionError(_("a WIK-letter must name the collection costs charged after its term: costs is missing"))
    if data.rows_total != data.total_due:
        # Every letter adds up: a table whose rows do not make its total is a bug, never sent.
        raise OptionError(_("letter table rows add up to {rows_total}, not to its total {total_due}").format(
                             rows_total=data.rows_total, total_due=data.total_due))
    name = f"{data.kind}.{data.lang}.j2"
    env = _environment(tuple(str(d) for d in template_dirs))
    ctx = _context(data)
    try:
        template = env.get_template(name)
        missing = {"subject", "body", "closing"} - set(template.blocks)
        if missing:
            raise TemplateError(
                _("template {filename} lacks the block(s) {blocks}: expected {{% block subject %}}, {{% "
                   "block body %}} and {{% block closing %}}").format(
                   filename=template.filename, blocks=', '.join(sorted(missing)))
            )
        context = template.new_context(ctx)
        blocks = {k: "".join(template.blocks[k](context)) for k in ("subject", "body", "closing")}
    except jinja2.TemplateError as exc:
        raise _template_error(exc, N_("letter"), name, template_dirs) from None
    return LetterText(
        subject=" ".join(blocks["subject"].split()),
        paragraphs=_paragraphs(blocks["body"]),
        closing="<br/>".join(line.strip() for line in blocks["closing"].strip().splitlines() if line.strip()),
    )


def epc_payload(*, name: str, iban: str, bic: str | None, amount: Decimal, reference: str,
                structured: str | None = None) -> str:
    """The text of a SEPA credit transfer QR code (EPC069-12 version 002, "GiroCode").

    BIC is optional in version 002 within the EEA. ``structured``, an ISO 11649 creditor
    reference (RF..), goes in the structured field, and then the unstructured field stays
    empty (EPC069-12: one or the other); without it the invoice numbers (``reference``) go
    in the unstructured field, since a Dutch invoice number is no ISO 11649 reference.
    """
    iban = "".join(iban.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{1,30}", iban):
        raise OptionError(_("IBAN {iban!r} is not valid for a payment QR code: expected e.g. NL91ABNA0417164300").format(
                             iban=iban))
    bic = "".join((bic or "").split()).upper()
    if bic and not re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", bic):
        raise OptionError(_("BIC {bic!r} is not valid: expected 8 or 11 letters and digits, e.g. ABNANL2A").format(
                             bic=bic))
    value = cents(amount)
    if not EPC_MIN <= value <= EPC_MAX:
        raise OptionError(_("amount {value} cannot go in a payment QR code: expected 0.01 to 999999999.99").format(
                             value=value))
    name = " ".join(name.split())[:70]
    if not name:
        raise OptionError(_("the payment QR code needs the creditor's name"))
    remittance = " ".join(reference.split())[:140]
    rf = "".join((structured or "").split()).upper()
    if rf.isdigit():
        # A betalingskenmerk is no ISO 11649 reference: EPC069-12 keeps the structured field
        # for those, so the kenmerk alone goes in the unstructured one.
        remittance, rf = rf, ""
    if rf:
        from stdnum import iso11649

        if not iso11649.is_valid(rf):
            raise OptionError(_("payment reference {rf!r} is not a valid ISO 11649 reference: expected RF, two check "
                                 "digits and up to 21 letters and digits").format(rf=rf))
        remittance = ""
    lines = [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        bic,
        name,
        iban,
        f"EUR{value:.2f}",
        "",  # purpose
        rf,  # structured reference (ISO 11649 creditor reference)
        remittance,  # unstructured remittance information
    ]
    return "\n".join(lines)


# -- from a claim to a letter ----------------------------------------------------------------

LetterError = OptionError


def from_claim(claim, config: model.Config, lang: str | None = None) -> LetterData:
    """What a letter says, from what it claims (``claims.Claim``): every figure is the claim's,
    so the letter, its recorded event and ``wik invoice show`` agree."""
    client = claim.client
    lines = tuple(InvoiceLine(x.number, x.date, x.due, x.amount, x.principal_paid, x.principal_open)
                  for x in claim.lines)
    costs_row = None
    if claim.costs_charged > 0 or claim.costs_open > 0:
        costs_row = AmountRow(claim.costs_charged, claim.costs_paid, claim.costs_open, claim.costs_vat)
    interest_row = None
    if claim.interest_accrued > 0:
        interest_row = AmountRow(claim.interest_accrued, claim.interest_paid, claim.interest_open)
    first_due = min(x.due for x in claim.lines)
    total = claim.total_due
    return LetterData(
        kind=claim.kind, lang=lang or client.lang or config.letters.lang, creditor=config.creditor,
        client=client, letter_date=claim.day, reference=claim.numbers[0], invoices=lines,
        principal_open=claim.principal_open, term_days=claim.term.term_days, last_day=claim.term.last_day,
        costs=claim.announced, costs_row=costs_row, interest_row=interest_row,
        interest_from=first_due + timedelta(days=1), total_due=total,
        requested=None if claim.requested == total else claim.requested,
        costs_due_from=claim.term.costs_due_from,
        missed_due=None if claim.missed is None else claim.missed.due, via=claim.via,
        interest_terms=_shared_interest_terms(claim), interest_parts=_interest_parts(claim),
        registered_hint=(claim.kind == DEFAULT and claim.via == "post"
                         and total > config.policy.registered_above),
        place=config.letters.place or config.creditor.city,
        signature=config.letters.signature or config.creditor.name,
        qr=config.letters.qr, warnings=claim.warnings, payment_reference=claim.reference,
        window=config.letters.window)


def _interest_parts(claim) -> tuple:
    """The interest by the rule it follows, when the letter's invoices follow different ones."""
    rules: dict = {}
    for x in claim.lines:
        if x.interest_accrued > 0:
            rules.setdefault(x.interest_terms, []).append(x)
    if len(rules) < 2:
        return ()
    return tuple((terms, AmountRow(sum((x.interest_accrued for x in xs), ZERO), sum((x.interest_paid for x in xs), ZERO),
                                   sum((x.interest_open for x in xs), ZERO)))
                 for terms, xs in sorted(rules.items(), key=lambda kv: (kv[0] is not None, kv[0] or ("", ""))))


def _shared_interest_terms(claim):
    """The agreed interest the letter names: that of its invoices when they share it."""
    found = {x.interest_terms for x in claim.lines}
    return found.pop() if len(found) == 1 else None


def file_stem_for(numbers: Sequence[str]) -> str:
    """The start of an archived letter's name: its first invoice, and how many more it covers."""
    stem = file_stem(numbers[0])
    return stem if len(numbers) == 1 else f"{stem}-and-{len(numbers) - 1}"


def file_name(numbers: str | Sequence[str], kind: str, day: date) -> str:
    """A file name that sorts by invoice and date and survives any file system."""
    if isinstance(numbers, str):
        numbers = [numbers]
    return f"{file_stem_for(numbers)}-{kind}-{day.isoformat()}.pdf"


def file_stem(number: str) -> str:
    """An invoice number as the start of a file or folder name, safe on any file system,
    the same for the same number and different for different ones (see ``names.stem``)."""
    from wikcli.documents.names import stem

    return stem(number)


# -- the e-mail that carries a letter --------------------------------------------------------

def render_email(data: LetterData, text: LetterText, attachment: str,
                 template_dirs: Sequence[Path]) -> str:
    """The plain-text body of the e-mail that carries the letter: ``email.{lang}.j2``."""
    import jinja2

    name = f"email.{data.lang}.j2"
    env = _environment(tuple(str(d) for d in template_dirs), markup=False)
    ctx = _context(data) | {
        "subject": strip_markup(text.subject),
        "attachment": attachment,
        "signature": data.signature or data.creditor.name,
    }
    try:
        body = env.get_template(name).render(ctx)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, N_("e-mail"), name, template_dirs) from None
    # Layout of the template file aside: at most one blank line between paragraphs.
    return re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"

"""What a letter says: letter data -> rendered template text, and the SEPA QR payload.

The caller (the ledger) decides every figure: which invoices, the open principal, the costs,
the interest, the total and the last day of the term (deadlines module). This module only
puts them into words, through a Jinja template per kind and language, so a user can change
the wording by dropping a file of the same name in ``<home>/templates/``. How the letter
looks is ``pdf.py``; this module does not import ReportLab.

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

from wikcli import costs as costs_mod
from wikcli import model
from wikcli.errors import OptionError, WikError
from wikcli.money import ZERO, cents, format_eur, to_str

REMINDER = "reminder"
WIK = "wik"
DEFAULT = "default"
KINDS = (REMINDER, WIK, DEFAULT)

# Where pdf.py puts the tables, when a body paragraph is exactly one of these.
INVOICES = "[[invoices]]"
SUMMARY = "[[summary]]"
PLACEHOLDERS = (INVOICES, SUMMARY)

PACKAGED_TEMPLATES = Path(__file__).parent / "templates"

EPC_MIN = Decimal("0.01")
EPC_MAX = Decimal("999999999.99")


class TemplateError(WikError):
    """A letter template (most likely a user's override) that cannot be rendered."""


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    date: date
    due: date
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
class LetterData:
    kind: str
    lang: str  # "nl" | "en"
    creditor: model.Creditor
    client: model.Client
    letter_date: date
    reference: str  # the main invoice number
    # reminder: all the client's open invoices; wik/default: the claimed invoice(s)
    invoices: tuple[InvoiceLine, ...]
    principal_open: Decimal  # sum of the claimed invoices' open amounts
    term_days: int
    last_day: date  # computed by the caller with the deadlines module
    # wik: the costs charged if not paid in time; default: the costs if owed (or announced)
    costs: costs_mod.Costs | None
    costs_owed: bool
    interest: Decimal  # owed interest, 0 if none
    interest_from: date | None
    total_due: Decimal
    registered_hint: bool
    place: str
    signature: str
    qr: bool
    # about the interest rates behind ``interest`` (unconfirmed, unknown): for stderr, not print
    warnings: tuple[str, ...] = ()

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
            "costs_owed": self.costs_owed,
            "interest": to_str(self.interest),
            "interest_from": None if self.interest_from is None else self.interest_from.isoformat(),
            "total_due": to_str(self.total_due),
            "registered_hint": self.registered_hint,
            "qr": self.show_qr,
        }

    @property
    def show_qr(self) -> bool:
        """A payment QR code only makes sense for an amount a bank app accepts."""
        return self.qr and bool(self.creditor.iban) and EPC_MIN <= cents(self.total_due) <= EPC_MAX

    @property
    def costs_total(self) -> Decimal:
        """The costs as charged: incl. VAT where the creditor adds it."""
        return ZERO if self.costs is None else self.costs.costs_incl_vat

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
        "remittance": data.remittance,
        "invoices": data.invoices,
        "main": data.main_invoice,
        "principal_open": data.principal_open,
        "term_days": data.term_days,
        "last_day": data.last_day,
        "costs": data.costs,
        "costs_owed": data.costs_owed,
        "costs_total": data.costs_total,
        "interest": data.interest,
        "interest_from": data.interest_from,
        "total_due": data.total_due,
        "registered_hint": data.registered_hint,
        "place": data.place,
        "signature": data.signature,
        "qr": data.show_qr,
    }


def _template_error(exc, what: str, name: str, template_dirs: Sequence[Path]) -> TemplateError:
    """One line naming the template (and the line in it) that is missing or broken."""
    import jinja2

    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"{what} template {name} not found in {', '.join(map(str, template_dirs))}")
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    return TemplateError(f"{what} template {where}{f' line {line}' if line else ''}: {exc.message}")


def render_text(data: LetterData, template_dirs: Sequence[Path]) -> LetterText:
    """Render ``{kind}.{lang}.j2`` from the first directory that has it."""
    import jinja2

    if data.kind not in KINDS:
        raise OptionError(f"letter kind {data.kind!r} is unknown: expected one of {', '.join(KINDS)}")
    if data.lang not in model.LANGS:
        raise OptionError(f"letter language {data.lang!r} is unknown: expected nl or en")
    if not data.creditor.iban:
        raise OptionError("the creditor's IBAN is missing: a letter must say how to pay (set iban under [creditor])")
    if data.kind == WIK and data.costs is None:
        raise OptionError("a WIK-letter must name the collection costs charged after its term: costs is missing")
    name = f"{data.kind}.{data.lang}.j2"
    env = _environment(tuple(str(d) for d in template_dirs))
    ctx = _context(data)
    try:
        template = env.get_template(name)
        missing = {"subject", "body", "closing"} - set(template.blocks)
        if missing:
            raise TemplateError(
                f"template {template.filename} lacks the block(s) {', '.join(sorted(missing))}: "
                "expected {% block subject %}, {% block body %} and {% block closing %}"
            )
        context = template.new_context(ctx)
        blocks = {k: "".join(template.blocks[k](context)) for k in ("subject", "body", "closing")}
    except jinja2.TemplateError as exc:
        raise _template_error(exc, "letter", name, template_dirs) from None
    return LetterText(
        subject=" ".join(blocks["subject"].split()),
        paragraphs=_paragraphs(blocks["body"]),
        closing="<br/>".join(line.strip() for line in blocks["closing"].strip().splitlines() if line.strip()),
    )


def epc_payload(*, name: str, iban: str, bic: str | None, amount: Decimal, reference: str) -> str:
    """The text of a SEPA credit transfer QR code (EPC069-12 version 002, "GiroCode").

    BIC is optional in version 002 within the EEA. The invoice number goes in the
    unstructured remittance field: a Dutch invoice number is no ISO 11649 reference.
    """
    iban = "".join(iban.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{1,30}", iban):
        raise OptionError(f"IBAN {iban!r} is not valid for a payment QR code: expected e.g. NL91ABNA0417164300")
    bic = "".join((bic or "").split()).upper()
    if bic and not re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", bic):
        raise OptionError(f"BIC {bic!r} is not valid: expected 8 or 11 letters and digits, e.g. ABNANL2A")
    value = cents(amount)
    if not EPC_MIN <= value <= EPC_MAX:
        raise OptionError(f"amount {value} cannot go in a payment QR code: expected 0.01 to 999999999.99")
    name = " ".join(name.split())[:70]
    if not name:
        raise OptionError("the payment QR code needs the creditor's name")
    remittance = " ".join(reference.split())[:140]
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
        "",  # structured reference (ISO 11649 creditor reference)
        remittance,  # unstructured remittance information
    ]
    return "\n".join(lines)


# -- from the ledger to a letter -----------------------------------------------------------

LetterError = OptionError


def compose(ledger, config: model.Config, number: str, kind: str, letter_date: date, via: str,
            lang: str | None = None) -> LetterData:
    """What a letter about invoice ``number`` says when it is sent on ``letter_date``.

    The amounts come from the process rules on that day; the last day of the term from the
    deadlines module for that send date and channel, so the letter and ``wik deadline`` agree.
    Reminder: every open invoice of the client. WIK-letter and notice of default: this one.
    """
    from wikcli import deadlines, process

    inv = ledger.invoices.get(number)
    if inv is None:
        raise OptionError(f"invoice {number[:80]!r} is not in the ledger: see `wik invoice list`")
    client = ledger.clients[inv.client]
    policy, vat_ok = config.policy, config.creditor.vat_deductible
    a = process.assess(inv, client, policy, vat_ok, letter_date)
    if a.closed is not None:
        raise OptionError(f"invoice {number!r} is closed ({a.closed}): no letter to send")
    if kind not in KINDS:
        raise OptionError(f"letter kind {kind!r} is unknown: expected one of {', '.join(KINDS)}")
    s = a.standing

    def line(facts, st) -> InvoiceLine:
        return InvoiceLine(facts.number, facts.date, facts.due, facts.amount,
                           facts.amount - st.principal_open, st.principal_open)

    lines = [line(inv, s)]
    if kind == REMINDER:
        for other in sorted(ledger.invoices.values(), key=lambda f: (f.due, f.number)):
            if other.client != inv.client or other.number == number or other.date > letter_date:
                continue
            oa = process.assess(other, client, policy, vat_ok, letter_date, with_interest=False)
            if oa.closed is None and oa.standing.principal_open > 0:
                lines.append(line(other, oa.standing))
    days = process.term_days(kind, policy)
    term = deadlines.term(letter_date, via, days)
    principal_open = sum((x.open for x in lines), ZERO)
    if kind == REMINDER:
        costs, interest, total = None, ZERO, principal_open
    elif kind == WIK:
        # The costs that will be charged if the term passes: over what is open now (seed 002).
        costs = s.costs_calc
        interest, total = s.interest, s.principal_open
    else:
        costs = s.costs_calc if s.costs_owed or s.costs_due_from else None
        interest, total = s.interest, s.total_due
    letter_lang = lang or client.lang or config.letters.lang
    return LetterData(
        kind=kind, lang=letter_lang, creditor=config.creditor, client=client,
        letter_date=letter_date, reference=number, invoices=tuple(lines),
        principal_open=principal_open, term_days=days, last_day=term.last_day, costs=costs,
        costs_owed=s.costs_owed, interest=interest if kind != REMINDER else ZERO,
        interest_from=inv.due + timedelta(days=1) if kind != REMINDER else None,
        total_due=total,
        registered_hint=kind == DEFAULT and total > policy.registered_above,
        place=config.letters.place or config.creditor.city,
        signature=config.letters.signature or config.creditor.name,
        qr=config.letters.qr,
        warnings=s.warnings if kind != REMINDER else ())


def file_name(number: str, kind: str, day: date) -> str:
    """A file name that sorts by invoice and date and survives any file system."""
    return f"{file_stem(number)}-{kind}-{day.isoformat()}.pdf"


def file_stem(number: str) -> str:
    """An invoice number as the start of a file or folder name, safe on any file system,
    the same for the same number and different for different ones (see ``names.stem``)."""
    from wikcli.names import stem

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
        raise _template_error(exc, "e-mail", name, template_dirs) from None
    # Layout of the template file aside: at most one blank line between paragraphs.
    return re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"

"""The home folder and ``config.toml``: where it lives, how it is read, checked and written.

Every value is validated on load with an error that names the key, so a hand-edited config
fails at once with one line instead of deep inside a letter. Files are owner-only: the
config names the freelancer and their bank account.
"""

from __future__ import annotations

import re
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from wikcli.ledger import model
from wikcli.errors import AmountError, WikError
from wikcli.ledger.model import SECURITY, SmtpSettings
from wikcli.i18n import _

CONFIG_NAME = "config.toml"

# Ranges from domain.md section 1: a reminder gives a new term of 8 to 14 days; the notice of
# default a last term (8 days by convention); a payment term beyond a year is surely a typo.
REMINDER_TERM = (8, 14)
DEFAULT_TERM = (1, 30)
PAYMENT_TERM = (1, 365)
RETENTION_YEARS = (1, 100)
# The Nth delivery day a posted letter counts as delivered on (deadlines.MIN/MAX_DELIVERY_DAYS,
# repeated so that reading a config does not load the holiday tables).
DELIVERY_DAYS = (1, 30)

_KVK = re.compile(r"^\d{8}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConfigError(WikError):
    """config.toml is missing, unreadable or holds a value that is not allowed."""


def resolve_home(option: str | None, environ: Mapping[str, str]) -> Path:
    """``--home``, else ``WIK_HOME``, else the platform's user data folder."""
    if option:
        return Path(option).expanduser()
    if environ.get("WIK_HOME"):
        return Path(environ["WIK_HOME"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("wik"))


# -- reading -------------------------------------------------------------------------------

def load(home: Path) -> model.Config:
    """Read and validate ``<home>/config.toml``."""
    import tomllib

    path = Path(home) / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except NotADirectoryError:
        in_way = Path(home)
        while not in_way.exists() and in_way != in_way.parent:
            in_way = in_way.parent  # the file that stands where a folder should be
        which = "is a file" if in_way == Path(home) else f"cannot be a folder: {str(in_way)!r} is a file"
        raise ConfigError(_("the wik home {home!r} {which}: --home (or WIK_HOME) names the folder that holds " "config.toml").format(home=str(home), which=which)) from None
    except FileNotFoundError:
        raise ConfigError(_("no wik home at {home}: run `wik init` first").format(home=home)) from None
    except OSError as e:
        raise ConfigError(_("{CONFIG_NAME} cannot be read: {strerror}").format(CONFIG_NAME=CONFIG_NAME, strerror=e.strerror)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(_("{CONFIG_NAME} is not UTF-8 text").format(CONFIG_NAME=CONFIG_NAME)) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(_("{CONFIG_NAME} is not valid TOML: {e}").format(CONFIG_NAME=CONFIG_NAME, e=e)) from None
    return parse(data)


def rate_table(home: Path | None):
    """The interest rates in force for ``home``: the packaged table with ``<home>/rates.toml``
    merged over it when that file exists (None: the packaged table alone, its file unnamed)."""
    from wikcli.rules import interest

    if home is None:
        return interest.packaged()
    path = Path(home) / interest.RATES_NAME
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except UnicodeDecodeError:
        raise interest.InterestError(_("{path} is not UTF-8 text").format(path=path)) from None
    except OSError as e:
        raise interest.InterestError(_("{path} cannot be read: {why}").format(path=path, why=e.strerror)) from None
    return interest.with_own(text, str(path))


def rulebook(config: model.Config, home: Path | None):
    """What this home computes by (``ledger/rulebook.py``): the config's policy and VAT
    position, the home's rate table and the installed holiday calendar."""
    from wikcli.ledger.rulebook import Rulebook

    return Rulebook(config.policy, config.creditor.vat_deductible, rate_table(home))


def parse(data: Mapping[str, Any]) -> model.Config:
    """A validated Config from the TOML tables (also used by ``wik init`` for its flags)."""
    _known(data, "", ("creditor", "policy", "letters", "smtp", "ui"))
    for table in ("creditor", "policy", "letters", "smtp", "ui"):
        if table in data and not isinstance(data[table], dict):
            raise ConfigError(_("{CONFIG_NAME}: {table} must be a table ([{table}])").format(CONFIG_NAME=CONFIG_NAME, table=table))
    _ui(data.get("ui", {}))
    if "creditor" not in data:
        raise ConfigError(_("{CONFIG_NAME}: the [creditor] table is missing (creditor.name is required)").format(CONFIG_NAME=CONFIG_NAME))
    return model.Config(
        creditor=_creditor(data["creditor"]),
        policy=_policy(data.get("policy", {})),
        letters=_letters(data.get("letters", {})),
        smtp=_smtp(data["smtp"]) if "smtp" in data else None,
    )


def _ui(t: Mapping[str, Any]) -> None:
    """[ui]: how wik speaks at the terminal. It is read before the command runs (cli.app), so
    it is only checked here, not kept in the Config."""
    _known(t, "ui", ("lang",))
    lang = _str(t, "lang", "ui", "en")
    if lang not in ("nl", "en"):
        raise ConfigError(_("{CONFIG_NAME}: ui.lang {lang!r} is not supported: expected nl or en").format(
            CONFIG_NAME=CONFIG_NAME, lang=lang))


def ui_table(home: Path) -> dict[str, Any]:
    """The [ui] table of ``<home>/config.toml`` as written (checked by ``parse``), or {}."""
    import tomllib

    try:
        ui = tomllib.loads((Path(home) / CONFIG_NAME).read_text(encoding="utf-8")).get("ui", {})
    except (OSError, ValueError):
        return {}
    return dict(ui) if isinstance(ui, dict) else {}


def _known(table: Mapping[str, Any], prefix: str, allowed) -> None:
    for key in table:
        if key not in allowed:
            name = f"{prefix}.{key}" if prefix else key
            if name == "smtp.password":
                raise ConfigError(
                    _("{CONFIG_NAME}: smtp.password is not allowed: the password never goes in a file; set " "smtp.password_env to the name of an environment variable that holds it").format(CONFIG_NAME=CONFIG_NAME))
            raise ConfigError(_("{CONFIG_NAME}: unknown key {name!r}: expected one of {value}").format(CONFIG_NAME=CONFIG_NAME, name=name, value=', '.join(allowed)))


def _str(table: Mapping[str, Any], key: str, prefix: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value!r} must be a text in quotes").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value))
    if any(ord(c) < 32 and c not in "\n" for c in value):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} contains a control character").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key))
    return value.strip()


def _bool(table: Mapping[str, Any], key: str, prefix: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value!r} must be true or false").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value))
    return value


def _int(table: Mapping[str, Any], key: str, prefix: str, default: int, lo: int, hi: int, unit: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value!r} must be a whole number of {unit}").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value, unit=unit))
    if not lo <= value <= hi:
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value} is out of range: expected {lo} to {hi} {unit}").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value, lo=lo, hi=hi, unit=unit))
    return value


def _creditor(t: Mapping[str, Any]) -> model.Creditor:
    p = "creditor"
    _known(t, p, [f.name for f in fields(model.Creditor)])
    name = _str(t, "name", p)
    if not name:
        raise ConfigError(_("{CONFIG_NAME}: creditor.name is required: your name or your business's name").format(CONFIG_NAME=CONFIG_NAME))
    iban = _str(t, "iban", p)
    if iban:
        iban = _checked("iban", iban, "stdnum.iban", "an IBAN such as NL91ABNA0417164300", "IBAN")
    bic = _str(t, "bic", p)
    if bic:
        bic = _checked("bic", bic, "stdnum.bic", "a BIC such as ABNANL2A", "BIC")
    vat_id = _str(t, "vat_id", p)
    if vat_id:
        vat_id = _checked("vat_id", vat_id, "stdnum.eu.vat", "a VAT id such as NL004495445B01", "VAT id")
    kvk = _str(t, "kvk", p).replace(" ", "")
    if kvk and not _KVK.match(kvk):
        raise ConfigError(_("{CONFIG_NAME}: creditor.kvk {kvk!r} is not a KvK number: expected 8 digits").format(CONFIG_NAME=CONFIG_NAME, kvk=kvk))
    email = _str(t, "email", p)
    if email and not _looks_like_email(email):
        raise ConfigError(_("{CONFIG_NAME}: creditor.email {email!r} is not an e-mail address: expected " "name@example.nl").format(CONFIG_NAME=CONFIG_NAME, email=email))
    country = _str(t, "country", p, "NL").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ConfigError(_("{CONFIG_NAME}: creditor.country {country!r} is not a country code: expected e.g. NL").format(CONFIG_NAME=CONFIG_NAME, country=country))
    return model.Creditor(
        name=name, address=_str(t, "address", p), postcode=_str(t, "postcode", p), city=_str(t, "city", p),
        country=country, kvk=kvk, vat_id=vat_id, iban=iban, bic=bic, email=email, phone=_str(t, "phone", p),
        vat_deductible=_bool(t, "vat_deductible", p, True),
    )


def _checked(key: str, value: str, module: str, example: str, what: str) -> str:
    import importlib

    from stdnum.exceptions import InvalidChecksum, ValidationError

    mod = importlib.import_module(module)
    try:
        return mod.validate(value)
    except InvalidChecksum:
        raise ConfigError(_("{CONFIG_NAME}: creditor.{key} {value!r} fails the {what} checksum").format(CONFIG_NAME=CONFIG_NAME, key=key, value=value, what=what)) from None
    except ValidationError:
        raise ConfigError(_("{CONFIG_NAME}: creditor.{key} {value!r} is not valid: expected {example}").format(CONFIG_NAME=CONFIG_NAME, key=key, value=value, example=example)) from None


def _looks_like_email(addr: str) -> bool:
    local, at, domain = addr.partition("@")
    return bool(at and local and "." in domain and not any(c in addr for c in " <>,;\r\n\t"))


def _policy(t: Mapping[str, Any]) -> model.Policy:
    p = "policy"
    _known(t, p, [f.name for f in fields(model.Policy)])
    return model.Policy(
        reminder_term_days=_int(t, "reminder_term_days", p, 14, *REMINDER_TERM, "days"),
        default_term_days=_int(t, "default_term_days", p, 8, *DEFAULT_TERM, "days"),
        payment_term_days=_int(t, "payment_term_days", p, 30, *PAYMENT_TERM, "days"),
        business_skips_steps=_bool(t, "business_skips_steps", p, False),
        registered_above=_money(t, "registered_above", p, model.Policy.registered_above),
        retention_years=_int(t, "retention_years", p, 7, *RETENTION_YEARS, "years"),
        postal_delivery_days=_delivery_days(t, "postal_delivery_days", p, 0, by_norm=True) or None,
        postal_delivery_days_abroad=_delivery_days(t, "postal_delivery_days_abroad", p,
                                                   model.Policy.postal_delivery_days_abroad),
        payment_reference=_reference_style(t.get("payment_reference", "rf")),
    )


def _reference_style(value) -> str:
    if value not in ("rf", "kenmerk"):
        raise ConfigError(_("{CONFIG_NAME}: policy.payment_reference {value!r} is unknown: expected \"rf\" or \"kenmerk\"").format(CONFIG_NAME=CONFIG_NAME, value=value))
    return value


def _delivery_days(t: Mapping[str, Any], key: str, prefix: str, default: int, *, by_norm: bool = False) -> int:
    """The Nth delivery day; for ``postal_delivery_days`` 0 means PostNL's norm by posting
    date (TOML has no null, and a written config shows the key)."""
    lo, hi = DELIVERY_DAYS
    value = t.get(key, default)
    expected = f"{lo} to {hi} delivery days" + (", or 0 for PostNL's norm by posting date" if by_norm else "")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value!r} must be a whole number: expected {expected}").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value, expected=expected))
    if not (lo <= value <= hi or (by_norm and value == 0)):
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value} is out of range: expected {expected}").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value, expected=expected))
    return value


def _money(t: Mapping[str, Any], key: str, prefix: str, default: Decimal) -> Decimal:
    from wikcli.rules.money import parse_amount

    if key not in t:
        return default
    value = t[key]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        # A TOML float is binary: money is written as a string so no cent is lost.
        raise ConfigError(_("{CONFIG_NAME}: {prefix}.{key} {value!r} must be an amount in quotes, e.g. \"1000.00\"").format(CONFIG_NAME=CONFIG_NAME, prefix=prefix, key=key, value=value))
    try:
        return parse_amount(value, what=f"{CONFIG_NAME}: {prefix}.{key}", allow_zero=True)
    except AmountError as e:
        raise ConfigError(str(e)) from None


def _letters(t: Mapping[str, Any]) -> model.LetterSettings:
    p = "letters"
    _known(t, p, [f.name for f in fields(model.LetterSettings)])
    lang = _str(t, "lang", p, "nl")
    if lang not in model.LANGS:
        raise ConfigError(_("{CONFIG_NAME}: letters.lang {lang!r} is not supported: expected nl or en").format(CONFIG_NAME=CONFIG_NAME, lang=lang))
    return model.LetterSettings(lang=lang, place=_str(t, "place", p), signature=_str(t, "signature", p),
                                qr=_bool(t, "qr", p, True), **_window(t))


# The window's limits on an A4 sheet, in mm: the letterhead takes the top 30 mm (DIN 5008
# form A's field at 27 mm would print over it), the body needs the room below the field.
_WINDOW_RANGES = {"window_left": (5, 120), "window_top": (30, 150), "window_width": (50, 120),
                  "window_height": (25, 80)}


def _window(t: Mapping[str, Any]) -> dict[str, float]:
    out = {}
    defaults = model.LetterSettings()
    for key, (lo, hi) in _WINDOW_RANGES.items():
        value = t.get(key, getattr(defaults, key))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(_("{CONFIG_NAME}: letters.{key} {value!r} must be a number of millimetres").format(CONFIG_NAME=CONFIG_NAME, key=key, value=value))
        if not lo <= value <= hi:
            raise ConfigError(_("{CONFIG_NAME}: letters.{key} {value} is out of range: expected {lo} to {hi} mm").format(CONFIG_NAME=CONFIG_NAME, key=key, value=value, lo=lo, hi=hi))
        out[key] = float(value)
    if out["window_left"] + out["window_width"] > 200:
        raise ConfigError(_("{CONFIG_NAME}: letters.window_left + window_width {value:g} mm passes the sheet's right " "margin: expected at most 200 mm").format(CONFIG_NAME=CONFIG_NAME, value=out['window_left'] + out['window_width']))
    return out


def _smtp(t: Mapping[str, Any]) -> SmtpSettings:
    p = "smtp"
    _known(t, p, [f.name for f in fields(SmtpSettings)])
    host = _str(t, "host", p)
    if not host or any(c.isspace() for c in host):
        raise ConfigError(_("{CONFIG_NAME}: smtp.host {host!r} is required: the mail server, e.g. smtp.example.nl").format(CONFIG_NAME=CONFIG_NAME, host=host))
    security = _str(t, "security", p, "starttls")
    if security not in SECURITY:
        raise ConfigError(_("{CONFIG_NAME}: smtp.security {security!r} is not supported: expected {value}").format(CONFIG_NAME=CONFIG_NAME, security=security, value=', '.join(SECURITY)))
    password_env = _str(t, "password_env", p, "WIK_SMTP_PASSWORD")
    if not _ENV_NAME.match(password_env):
        raise ConfigError(_("{CONFIG_NAME}: smtp.password_env {password_env!r} is not an environment variable name").format(CONFIG_NAME=CONFIG_NAME, password_env=password_env))
    sender = _str(t, "sender", p)
    if sender and not _looks_like_email(sender):
        raise ConfigError(_("{CONFIG_NAME}: smtp.sender {sender!r} is not an e-mail address: expected name@example.nl").format(CONFIG_NAME=CONFIG_NAME, sender=sender))
    timeout = t.get("timeout", 30.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise ConfigError(_("{CONFIG_NAME}: smtp.timeout {timeout!r} is out of range: expected 1 to 600 seconds").format(CONFIG_NAME=CONFIG_NAME, timeout=timeout))
    return SmtpSettings(host=host, port=_int(t, "port", p, 587, 1, 65535, "(a port)"), security=security,
                        user=_str(t, "user", p), password_env=password_env, sender=sender,
                        timeout=float(timeout))


# -- writing -------------------------------------------------------------------------------

def to_dict(config: model.Config) -> dict[str, Any]:
    from wikcli.rules.money import to_str

    def table(obj) -> dict[str, Any]:
        out = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.name == "postal_delivery_days":
                value = 0  # PostNL's norm by posting date: TOML has no null
            out[f.name] = to_str(value) if isinstance(value, Decimal) else value
        return out

    data = {"creditor": table(config.creditor), "policy": table(config.policy), "letters": table(config.letters)}
    if config.smtp is not None:
        data["smtp"] = table(config.smtp)
    return data


def dumps(config: model.Config, ui: Mapping[str, Any] | None = None) -> str:
    """The TOML of ``config``, with the [ui] table ``ui`` (read before a command runs, so not
    part of the Config) when it has keys."""
    import tomli_w

    data = to_dict(config)
    if ui:
        data["ui"] = dict(ui)
    return "# wik configuration: `wik init --sample-config` writes sample-config.toml, with every key.\n\n" + tomli_w.dumps(data)


def write(home: Path, config: model.Config, *, force: bool = False, ui: Mapping[str, Any] | None = None) -> Path:
    """Write ``config.toml`` atomically (0600); refuses to replace one unless ``force``."""
    from wikcli.store.files import ensure_dir, write_private

    home = Path(home)
    path = home / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(_("{path} exists: not overwriting it (use --force to replace it)").format(path=path))
    ensure_dir(home)
    return write_private(path, dumps(config, ui).encode("utf-8"))

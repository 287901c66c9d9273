"""Postcodes, countries and e-mail addresses as people type them: checked and normalised.

Pure: a value in, the normalised value out, or an ``AddressError`` naming the option. Used by
the commands that take an address (``wik client add``, ``wik init``), before anything is
recorded, so the ledger holds one spelling: ``1234 AB``, ``NL``, ``name@example.nl``.
"""

from __future__ import annotations

import re
import unicodedata

from wikcli.errors import WikError
from wikcli.i18n import _


class AddressError(WikError):
    """A postcode, country or e-mail address that cannot be right."""


_NL_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})")
# Not countries: groupings and codes CLDR keeps for other uses.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}
# Names people use that CLDR does not list.
_ALIASES = {"holland": "NL", "the netherlands": "NL", "uk": "GB", "england": "GB", "usa": "US"}


def postcode(value: str, country: str = "NL", option: str = "--postcode") -> str:
    """A Dutch postcode as ``1234 AB`` (``1234ab``, ``1234 ab`` are read too); another
    country's postcode with its spaces tidied; empty stays empty."""
    text = " ".join(value.split())
    if not text or country != "NL":
        return text
    m = _NL_POSTCODE.fullmatch(text)
    if m is None:
        raise AddressError(_("{option} {value!r} is not a Dutch postcode: expected 4 digits (the first not 0) and 2 "
                              "letters, e.g. 1234 AB (or give --country for an address abroad)").format(
                              option=option, value=value[:20]))
    return f"{m[1]} {m[2].upper()}"


def country(value: str, option: str = "--country") -> str:
    """An ISO 3166 country code from a code (``nl``) or a Dutch or English name (``Nederland``,
    ``Netherlands``, ``België``, ``Germany``)."""
    text = " ".join(value.split())
    if not text:
        return "NL"
    code = _countries().get(_key(text))
    if code is None:
        raise AddressError(_("{option} {value!r} is not a country: expected a code such as NL or BE, or a name such "
                              "as Nederland or Belgium").format(option=option, value=value[:40]))
    return code


def email(value: str, option: str = "--email", *, echo: bool = False) -> str:
    """``name@domain.tld``: one @, something before it, a domain with a dot, no spaces.

    A debtor's address is personal data, so the message names only the option, unless
    ``echo`` (the user's own address)."""
    text = value.strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    if (not at or not local or "@" in local or len(labels) < 2 or not all(labels)
            or any(c.isspace() or c in "<>,;:\"()[]\\" for c in text)):
        shown = f"{option} {value[:80]!r}" if echo else option
        raise AddressError(_("{shown} is not a valid e-mail address: expected name@example.nl (a name, an @ and a "
                              "domain with a dot)").format(shown=shown))
    return text


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.replace(".", " ").split()).casefold()


_TABLE: dict[str, str] = {}


def _countries() -> dict[str, str]:
    """Codes and the Dutch and English names of every country, from CLDR (babel)."""
    if not _TABLE:
        from babel import Locale

        for lang in ("nl", "en"):
            for code, name in Locale.parse(lang).territories.items():
                if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                    _TABLE[code.casefold()] = code
                    _TABLE.setdefault(_key(name), code)
        _TABLE.update(_ALIASES)
    return _TABLE

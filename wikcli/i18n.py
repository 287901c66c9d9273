"""The language wik speaks at the terminal: Dutch or English, through gettext.

Messages are written in English in the source and marked with ``_()`` (``ngettext`` for
counts); the Dutch catalog (domain ``wik``) is looked up at call time, so a module may mark
a message anywhere, but a string built at import time is translated only if the language
was chosen before the import. JSON output is never translated: scripts read it.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "wik"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def use(language: str) -> None:
    """Speak ``language`` ("nl" or "en") from now on."""
    global _catalog, _language
    _language = language if language in LANGUAGES else "en"
    _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def language() -> str:
    return _language


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)

"""The language wik speaks at the terminal: Dutch or English, through gettext.

Messages are written in English in the source and marked with ``_()`` (``ngettext`` for
counts, ``N_()`` for a text kept in English until it is shown); the Dutch catalog (domain
``wik``, ``locale/nl/LC_MESSAGES/wik.mo``) is looked up at call time. A text of several
paragraphs (a command's help, an epilog) is also looked up paragraph by paragraph, so a help
text put together from pieces, or built at import time before the language was chosen, is
translated when the command line shows it. Example blocks (``\\b`` and lines of ``wik ...``)
are left as they are: they are typed, not read.

Which language (``choose``): ``WIK_LANG`` (nl or en), then the locale (``LC_ALL``, else
``LC_MESSAGES``, else ``LANG``: ``nl...`` is Dutch, ``en...`` English), then ``ui.lang`` in
the home's config.toml, else English. JSON output is never translated: scripts read it.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator, Mapping

DOMAIN = "wik"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT = "en"

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT
# A blank line (with any indentation) between paragraphs, kept as it was.
_PARAGRAPHS = re.compile(r"(\n[ \t]*\n\s*)")


def use(language: str) -> None:
    """Speak ``language`` ("nl" or "en") from now on."""
    global _catalog, _language
    _language = language if language in LANGUAGES else DEFAULT
    if _language == DEFAULT:
        _catalog = gettext.NullTranslations()
    else:
        _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def language() -> str:
    return _language


def _code(value: str | None) -> str | None:
    """``nl``, ``nl_NL.UTF-8``, ``en_GB`` ... as one of LANGUAGES, else None."""
    value = (value or "").strip().lower()
    for lang in LANGUAGES:
        if value == lang or value.startswith((lang + "_", lang + "-", lang + ".", lang + "@")):
            return lang
    return None


def choose(environ: Mapping[str, str], configured: str | Callable[[], str | None] | None = None) -> str:
    """The language of a run: ``WIK_LANG``, then the locale, then ``configured`` (ui.lang;
    a function is asked only when neither of the others decided, so the config file is read
    only then).

    A locale that names another language, or none (``C``, ``POSIX``, unset), is no hint: it
    is what scripts, cron and containers run with, and there English, the language of the
    documentation and of searchable error messages, is the default."""
    for hint in (environ.get("WIK_LANG"), _locale(environ)):
        lang = _code(hint)
        if lang:
            return lang
    return _code(configured() if callable(configured) else configured) or DEFAULT


def _locale(environ: Mapping[str, str]) -> str | None:
    # POSIX: LC_ALL overrides LC_MESSAGES, which overrides LANG; the first one set counts.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return environ[name]
    return None


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (it is shown later, by ``_``)."""
    return message


def _(message: str) -> str:
    if _language == DEFAULT or not message:
        return message
    found = _catalog.gettext(message)
    if found is not message and found != message:
        return found
    if "\n\n" not in message and message == message.strip():
        return found
    parts = _PARAGRAPHS.split(message)
    for i in range(0, len(parts), 2):
        core = parts[i].strip()
        if core:
            lead = parts[i][: len(parts[i]) - len(parts[i].lstrip())]
            trail = parts[i][len(parts[i].rstrip()):]
            parts[i] = lead + _catalog.gettext(core) + trail
    return "".join(parts)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)


# -- extraction (pybabel extract, and the test that every message has a Dutch translation) --

def paragraphs(message: str) -> list[str]:
    """The msgids a text is looked up by: itself if it is one paragraph, else each paragraph
    that is not an example block."""
    out = []
    for part in _PARAGRAPHS.split(message)[::2]:
        core = part.strip()
        if core and not _example(core):
            out.append(core)
    return out


def _example(core: str) -> bool:
    lines = core.splitlines()
    return lines[0].strip() == "\b" and all(not ln.strip() or ln.strip().startswith("wik") for ln in lines[1:])


_COMMAND_DECORATORS = ("command", "callback")


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    """A Babel extraction method (babel.cfg: ``[wikcli.i18n:extract: wikcli/**.py]``): what
    Babel's Python extractor finds in ``_()``, ``N_()`` and ``ngettext()``, split in paragraphs
    as ``_`` looks them up, and the docstring of every Typer command and callback, which Typer
    shows as the command's help."""
    import ast
    import inspect

    from babel.messages.extract import extract_python

    source = fileobj.read()
    text = source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source
    import io

    for lineno, funcname, messages, comments in extract_python(
            io.BytesIO(text.encode("utf-8")), keywords, comment_tags, options):  # type: ignore[arg-type]
        if isinstance(messages, (tuple, list)):
            if isinstance(messages[0], str):  # ngettext: (singular, plural, None for the count)
                yield lineno, funcname, tuple(messages), comments
            continue
        if not isinstance(messages, str):  # _(a_variable): looked up, but not a text to extract
            continue
        for core in paragraphs(messages):
            yield lineno, funcname, core, comments
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorated = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                        and d.func.attr in _COMMAND_DECORATORS for d in node.decorator_list)
        doc = ast.get_docstring(node, clean=False)
        if decorated and doc:
            for core in paragraphs(inspect.cleandoc(doc)):
                yield node.lineno, "_", core, []

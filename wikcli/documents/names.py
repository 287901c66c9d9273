"""Names made from free text: an invoice number as the start of a file, folder or calendar UID.

An invoice number may be any printable text (``2026/017``, ``2026-017``, ``F 12 | a``), but a
file name and a UID may not: they get a stem. The stem must be the same every time for the
same number (a calendar updates an event by its UID; an archived letter is found by its name)
and different for different numbers (two invoices must never share a file or an event).

A number that is already a safe name is its own stem, so the everyday ``2026-017`` keeps the
names it always had. Any other number gets a readable slug, an underscore and a short hash of
the exact number. A safe name never holds an underscore, so a hashed stem can never equal a
plain one; two hashed stems are equal only if their hashes are.
"""

from __future__ import annotations

import re

# Letters, digits, dots and hyphens; not starting with a dot (hidden) or a hyphen (an
# option), not ending in a dot (Windows drops it). No underscore: that marks a hashed stem.
_SAFE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9.-]+")
MAX_PLAIN = 60  # longer numbers are cut and hashed: file names stay well under 255 bytes
SLUG_LEN = 40
HASH_LEN = 10  # hex digits of SHA-256: 40 bits


def stem(text: str) -> str:
    """A file-name-safe stem of ``text``: stable, and distinct for distinct texts."""
    if len(text) <= MAX_PLAIN and _SAFE.fullmatch(text):
        return text
    import hashlib  # here: OpenSSL's start-up is not for the everyday plain number

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LEN]
    slug = _UNSAFE_RUN.sub("_", text)[:SLUG_LEN].strip("._-")
    return f"{slug or 'invoice'}_{digest}"

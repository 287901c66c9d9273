"""The one gate every file that comes in passes: bank statements, CSV exports, UBL invoices.

A file is read only when it is a regular file no larger than its importer's limit: the size
is asked of the open file (``fstat``) and the read is bounded, so a 3 GB file costs no
memory, ``/dev/zero`` no MemoryError and a FIFO no wait. The values read from it then pass
the limits ``wik invoice add`` and ``wik pay`` apply (amounts, dates, lengths, characters),
whichever importer read them: a value no command would accept is never recorded by an import.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

def read_bounded(path: Path, limit: int, error: type[Exception]) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; else ``error`` with
    one line naming the file and what it is."""
    shown = repr(str(path)[:80])
    try:
        # O_NONBLOCK: opening a FIFO without a writer returns at once, and fstat then says what it is.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise error(f"cannot read {shown}: {(e.strerror or type(e).__name__).lower()}") from None
    except ValueError:  # a NUL in the name
        raise error(f"{shown} is not a file name") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            from wikcli.journal import file_kind

            raise error(f"{shown} is {file_kind(st.st_mode)}: expected a regular file")
        if st.st_size > limit:
            raise error(f"{shown} is {st.st_size:,} bytes: larger than wik reads (at most {_size(limit)})")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as e:
        raise error(f"cannot read {shown}: {(e.strerror or type(e).__name__).lower()}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise error(f"{shown} is larger than wik reads (at most {_size(limit)})")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


def check_amount(amount: Decimal, what: str) -> None:
    """An amount as ``wik invoice add`` and ``wik pay`` take it: above zero, whole cents, at
    most ``money.MAX_AMOUNT``."""
    from wikcli.errors import AmountError
    from wikcli.money import MAX_AMOUNT

    if not amount.is_finite() or amount <= 0:
        raise AmountError(f"{what} {amount} is not a positive amount")
    if amount > MAX_AMOUNT:
        raise AmountError(f"{what} {amount} is more than 1.000.000.000,00: expected a smaller amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise AmountError(f"{what} {amount} has more than two decimals: amounts are in whole cents")


def check_date(day: date, what: str) -> None:
    """A date in the range the deadline calendar knows, as ``wik invoice add`` takes it."""
    from wikcli.deadlines import FIRST_DAY, LAST_DAY
    from wikcli.errors import DateError

    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(f"{what} {day.isoformat()} is out of range: expected {FIRST_DAY.isoformat()} to "
                        f"{LAST_DAY.isoformat()}")


def check_text(value: str, what: str, limit: int) -> None:
    """Text as the commands record it: no control characters, at most ``limit`` characters."""
    from wikcli.decide import _CONTROL  # the characters the commands refuse
    from wikcli.errors import WikError

    if _CONTROL.search(value):
        raise WikError(f"{what} contains a control character: expected plain text")
    if len(value) > limit:
        raise WikError(f"{what} is {len(value)} characters long: expected at most {limit}")


# What a bank gives at most: SEPA's 140 characters of remittance, MT940's six :86: lines of
# 65, a name of 140; the limits leave room for a bank's own additions.
BANK_TEXT = 1000
BANK_NAME = 500


def check_credits(files, error: type[Exception]) -> None:
    """Every credit of the statements through the limits of ``wik pay``: one line naming the
    file and the entry, and nothing of any file is booked."""
    from wikcli.errors import WikError

    for f in files:
        for c in f.credits:
            where = f"{f.name}, {c.where}" if c.where else f.name
            try:
                check_amount(c.amount, "credit")
                check_date(c.booking_date, "booking date")
                if c.value_date is not None:
                    check_date(c.value_date, "value date")
                check_text(c.counterparty_name, "payer's name", BANK_NAME)
                check_text(c.counterparty_iban, "payer's IBAN", 34)
                check_text(c.remittance, "payment text", BANK_TEXT)
                for value, what in ((c.reference, "payment reference"), (c.bank_ref, "bank reference"),
                                    (c.end_to_end, "end-to-end id")):
                    if value:
                        check_text(value, what, BANK_NAME)
            except WikError as e:
                raise error(f"{where}: {e}; nothing was imported") from None

"""The one gate every file that comes in passes: bank statements, CSV exports, UBL invoices.

A file is read only when it is a regular file no larger than its importer's limit: the size
is asked of the open file (``fstat``) and the read is bounded, so a 3 GB file costs no
memory, ``/dev/zero`` no MemoryError and a FIFO no wait. The values read from it then pass
the limits ``wik invoice add`` and ``wik pay`` apply (``ledger.limits``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from wikcli.i18n import _

def read_bounded(path: Path, limit: int, error: type[Exception]) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; else ``error`` with
    one line naming the file and what it is."""
    shown = repr(str(path)[:80])
    try:
        # O_NONBLOCK: opening a FIFO without a writer returns at once, and fstat then says what it is.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise error(_("cannot read {shown}: {why}").format(
                       shown=shown, why=(e.strerror or type(e).__name__).lower())) from None
    except ValueError:  # a NUL in the name
        raise error(_("{shown} is not a file name").format(shown=shown)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            from wikcli.store.files import file_kind

            raise error(_("{shown} is {kind}: expected a regular file").format(
                           shown=shown, kind=file_kind(st.st_mode)))
        if st.st_size > limit:
            raise error(_("{shown} is {st_size:,} bytes: larger than wik reads (at most {limit})").format(
                           shown=shown, st_size=st.st_size, limit=_size(limit)))
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as e:
        raise error(_("cannot read {shown}: {why}").format(
                       shown=shown, why=(e.strerror or type(e).__name__).lower())) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise error(_("{shown} is larger than wik reads (at most {limit})").format(shown=shown, limit=_size(limit)))
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"

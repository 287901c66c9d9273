"""Folders that cannot be written and full disks, for any user.

The tests run as root on some machines, and root writes wherever it likes whatever the mode
bits say, so ``chmod`` cannot make a folder unwritable there. These context managers patch
the ``os`` functions every write goes through (``open``, ``mkdir``, ``replace``, ``rename``,
``unlink``, ``rmdir``, ``write``) for the CLI run in this process:

- ``unwritable(folder)``: as a folder without write permission: no entry can be created,
  removed or renamed in it (EACCES); files already in it can still be written.
- ``full_disk(folder)``: every write to a file opened under ``folder`` fails with ENOSPC,
  after the first half of the bytes when there are more than one (a disk that fills up
  in the middle of a write).
"""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path


def _real(path) -> str:
    return os.path.realpath(os.fspath(path))


def _parent(path) -> str:
    return os.path.dirname(_real(path))


@contextmanager
def _patched(**funcs):
    saved = {name: getattr(os, name) for name in funcs}
    for name, f in funcs.items():
        setattr(os, name, f)
    try:
        yield
    finally:
        for name, f in saved.items():
            setattr(os, name, f)


def _denied(path):
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))


@contextmanager
def unwritable(folder: Path):
    folder_s = _real(folder)
    real_open, real_mkdir = os.open, os.mkdir
    real_replace, real_rename, real_unlink, real_rmdir = os.replace, os.rename, os.unlink, os.rmdir

    def in_it(path) -> bool:
        return _parent(path) == folder_s

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if in_it(path) and flags & os.O_CREAT and not os.path.lexists(path):
            raise _denied(path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def mkdir(path, mode=0o777, *, dir_fd=None):
        if in_it(path):
            raise _denied(path)
        return real_mkdir(path, mode, dir_fd=dir_fd)

    def moving(real):
        def move(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
            if in_it(src) or in_it(dst):
                raise _denied(dst)
            return real(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
        return move

    def removing(real):
        def remove(path, *, dir_fd=None):
            if in_it(path):
                raise _denied(path)
            return real(path, dir_fd=dir_fd)
        return remove

    with _patched(open=open_, mkdir=mkdir, replace=moving(real_replace), rename=moving(real_rename),
                  unlink=removing(real_unlink), remove=removing(real_unlink), rmdir=removing(real_rmdir)):
        yield


@contextmanager
def full_disk(folder: Path):
    folder_s = _real(folder) + os.sep
    real_open, real_write, real_close = os.open, os.write, os.close
    doomed: set[int] = set()

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        if flags & (os.O_WRONLY | os.O_RDWR) and (_real(path) + os.sep).startswith(folder_s):
            doomed.add(fd)
        return fd

    def write(fd, data):
        if fd in doomed:
            if len(data) > 1:
                real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    def close(fd):
        doomed.discard(fd)
        return real_close(fd)

    with _patched(open=open_, write=write, close=close):
        yield


# What a read may rewrite beside the journal: its cache (the snapshot of the journal, and
# the note of the journal as the last command left it). Deleting them changes nothing but
# speed, so they are no part of what a failed command must leave as it was.
CACHES = {"journal.snapshot", "journal.seen", "journal.overview"}


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) under ``root``, by relative path (the
    journal's caches aside)."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in filenames:
            if f in CACHES or f.startswith((".journal.snapshot.tmp-", ".journal.overview.tmp-")):
                continue
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out

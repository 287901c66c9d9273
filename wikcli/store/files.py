"""Files written owner-only and whole: how wik puts a file in the home folder or at --out.

Every file wik writes is readable by its owner only (0600), and replaces an old one
atomically (a temporary file beside it, fsync, rename) or not at all, so a crash or a full
disk leaves the old file or the new one, never half of either. The journal opens its own
files through ``open_private``; what is derived from it (letters, exports, calendars) goes
through ``write_private``, and a command that writes several files and then records an event
through ``all_or_nothing``. The caches beside the journal (snapshot, overview) are written
through ``write_tmp`` and renamed into place under the journal's lock; ``read_private`` reads
one back only if its owner alone could have written it.
"""

from __future__ import annotations

import mmap
import os
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Callable, Iterator

from wikcli.errors import StorageError
from wikcli.i18n import N_, _

DIR_MODE = 0o700
FILE_MODE = 0o600


def open_private(path: Path, flags: int) -> int:
    """Open (creating 0600) and force 0600 even if the umask or an old file said otherwise.

    A symbolic link (a journal or lock kept elsewhere on purpose) is followed, but the file
    it points to keeps its mode: it is the owner's, and may be shared with other programs."""
    fd = os.open(path, flags | os.O_CLOEXEC, FILE_MODE)
    try:
        if not os.path.islink(path):
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def archive_target(folder: Path, name: str, blob: bytes) -> Path:
    """Where an archived copy of ``blob`` goes in ``folder``: ``name``, or when that file holds
    other bytes (another letter of the same day), ``name`` with ``-2``, ``-3``, ... before
    ``.pdf``; the same bytes archived again reuse their file."""
    target = folder / name
    n = 2
    while target.exists() and target.read_bytes() != blob:
        target = folder / name.replace(".pdf", f"-{n}.pdf")
        n += 1
    return target


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    import stat

    for test, word in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return word
    return "not a regular file"


def refuse_unless_regular(path: Path) -> None:
    """A file is written only in place of a regular file or at a new path: replacing a
    symbolic link, a FIFO or a device (``--out /dev/null`` as root) would destroy it."""
    import stat

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise storage_error(e, Path(path).parent) from None
    if not stat.S_ISREG(st.st_mode):
        from wikcli.errors import OutputError

        raise OutputError(_("{path!r} is {kind}: wik writes only to a regular file or a new path; nothing was "
                             "written").format(path=str(path), kind=file_kind(st.st_mode)))


def write_private(path: Path, data: bytes) -> Path:
    """Write a derived file (letter, export, calendar) atomically, readable by the owner only.

    The journal stays the only file of facts; these are copies that can be made again. A
    folder that cannot be written or a full disk is a ``StorageError`` naming the folder,
    and leaves no temporary file behind: the old file, if any, is kept as it was.
    """
    path = Path(path)
    refuse_unless_regular(path)
    if not path.parent.exists():  # a folder of the user's (--out ~/x.ics) keeps its own mode
        ensure_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        raise storage_error(e, path.parent) from None
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        unlink_quietly(tmp)
        raise storage_error(e, path.parent) from None
    try:
        fsync_dir(path.parent)
    except OSError:
        pass  # the file is in place; only its durability on a crash is less certain
    return path


class Written:
    """The files and folders one command has written so far, to take away if it fails.

    A command that writes several files and then records an event (a letter archived, a
    hand-over dossier) writes them through ``files.write`` inside ``all_or_nothing``: if any
    write or the recording fails, what this command created is removed again, so a failed
    command leaves no half of its work behind. A file that was there before is left (it was
    replaced atomically, or not at all).
    """

    def __init__(self) -> None:
        self.made: list[Path] = []

    def folder(self, path: Path) -> Path:
        self.made += ensure_dir(Path(path))
        return Path(path)

    def write(self, path: Path, data: bytes) -> Path:
        path = Path(path)
        self.folder(path.parent)
        existed = path.exists()
        write_private(path, data)
        if not existed:
            self.made.append(path)
        return path

    def track(self, path: Path) -> None:
        """A file or folder this command created by other means."""
        self.made.append(Path(path))

    def undo(self) -> None:
        for p in reversed(self.made):
            try:
                p.rmdir() if p.is_dir() else p.unlink()
            except OSError:
                pass
        self.made.clear()


@contextmanager
def all_or_nothing() -> Iterator[Written]:
    """``with all_or_nothing() as files: files.write(...); home.record(...)``: see ``Written``."""
    files = Written()
    try:
        yield files
    except BaseException:
        files.undo()
        raise


# -- the journal's caches (snapshot, seen, overview): written unsynced, read only if owner-only

Log = Callable[[str], None] | None  # --verbose's: one line said on stderr, or None


def say(log: Log, message: str) -> None:
    if log is not None:
        log(message)


def read_private(path, what: str, log: Log, *, mapped: bool = False, missing: str | None = None):
    """The bytes of ``path`` (mapped: an mmap, unless the file system cannot map files), if
    it is not empty and only its owner could have written it; else None, said under
    --verbose (``what`` names the file; ``missing``: what to say when there is none)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        if missing:
            say(log, missing)
        return None
    except OSError as e:
        say(log, f"{what} {path.name} cannot be opened ({e.strerror}): ignored")
        return None
    try:
        st = os.fstat(fd)
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            # Only what the owner alone could have written is loaded: it is code's input.
            say(log, f"{what} {path.name} is not owner-only: ignored")
            return None
        if not st.st_size:
            say(log, f"{what} {path.name} is empty: ignored")
            return None
        if mapped:
            try:
                return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
            except OSError:
                pass
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    except OSError as e:
        say(log, f"{what} {path.name} cannot be read ({e.strerror}): ignored")
        return None
    finally:
        os.close(fd)


def write_tmp(path, parts: list, log: Log, what: str = "snapshot"):
    """``parts`` in an owner-only file beside ``path``, or None (said under --verbose) when it
    cannot be written. Not synced: a cache that a crash damages is ignored and made again."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb", closefd=False) as f:
                f.writelines(parts)
        finally:
            os.close(fd)
    except OSError as e:
        # A read-only home, a full disk: the next command reads the journal in full again.
        say(log, f"no {what} written ({e.strerror})")
        try:
            tmp.unlink()
        except OSError:
            pass
        return None
    return tmp


def remove_leftovers(path) -> None:
    """Delete the copies that processes killed while writing one left behind."""
    for tmp in path.parent.glob(f".{path.name}.tmp-*"):
        try:
            pid = int(tmp.name.rsplit("-", 1)[1])
            if pid == os.getpid():
                continue
            os.kill(pid, 0)  # raises when no such process is running
        except ProcessLookupError:
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
        except (ValueError, OSError):
            continue


_REASONS = {"EACCES": N_("permission denied"), "EPERM": N_("permission denied"),
            "EROFS": N_("read-only file system"), "ENOSPC": N_("no space left on device"),
            "EDQUOT": N_("disk quota exceeded"), "ENOTDIR": N_("not a folder"),
            "EEXIST": N_("a file of that name is in the way"), "ENAMETOOLONG": N_("name too long")}


def storage_error(e: OSError, folder: Path, doing: str | None = None, then: str | None = None) -> StorageError:
    """One line for an OSError while writing: the folder, and the reason in plain words.
    ``doing`` defaults to "write in the folder", ``then`` to "nothing was written there"."""
    import errno

    doing = doing or _("write in the folder")
    then = then or _("nothing was written there")
    reason = _(_REASONS.get(errno.errorcode.get(e.errno or 0, ""), "")) or (e.strerror or type(e).__name__).lower()
    return StorageError(_("cannot {doing} {folder!r}: {reason}; {then}").format(doing=doing, folder=str(folder), reason=reason, then=then))


def ensure_dir(path: Path) -> list[Path]:
    """Create a folder (and missing parents) owner-only, whatever the umask; the folders it
    created, outermost first (so a failed command can take them away again)."""
    path = Path(path)
    if path.is_dir():
        return []
    missing = []
    p = path
    try:
        while not p.exists() and p != p.parent:
            missing.append(p)
            p = p.parent
    except OSError as e:  # a parent that cannot even be looked into
        raise storage_error(e, p.parent, _("look into the folder")) from None
    missing.reverse()
    made = []
    for folder in missing:
        try:
            folder.mkdir(mode=DIR_MODE)
            made.append(folder)
            os.chmod(folder, DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                _undo_dirs(made)
                raise storage_error(FileExistsError(17, "exists"), folder.parent, _("create a folder in")) from None
        except OSError as e:
            _undo_dirs(made)
            raise storage_error(e, folder.parent, _("create a folder in")) from None
    return made


def _undo_dirs(made: list[Path]) -> None:
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write may write less than asked (a signal, a full disk): loop until all is out."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]

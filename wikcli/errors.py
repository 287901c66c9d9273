"""The exceptions a user can cause. The CLI prints their message as one line and exits 2.

Any other exception is a bug in wik and is allowed to show a traceback.
"""


class WikError(Exception):
    """A mistake in the user's input or data, with a message meant for the user."""

    exit_code = 2


class AmountError(WikError):
    """An amount of money that cannot be read or is out of range."""


class DateError(WikError):
    """A date that cannot be read or is out of range."""


class OptionError(WikError):
    """A combination of options that does not make sense."""


class StorageError(WikError):
    """A folder or file wik cannot write: no permission, a read-only file system, a full disk."""


class OutputError(WikError):
    """A path wik was asked to write that is not a regular file (a link, a FIFO, a device)."""

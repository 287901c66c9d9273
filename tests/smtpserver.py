"""A real SMTP server on a free loopback port for the e-mail tests (aiosmtpd)."""

from __future__ import annotations

import socket
from contextlib import contextmanager


def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(handler, **options):
    """Run ``handler`` behind an aiosmtpd server on 127.0.0.1; yields the port."""
    from aiosmtpd.controller import Controller

    port = free_port()
    ctl = Controller(handler, hostname="127.0.0.1", port=port, **options)
    ctl.start()
    try:
        yield port
    finally:
        ctl.stop()

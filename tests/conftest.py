"""Shared test helpers: run the CLI in-process, load the reference vectors."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikcli.cli import app

VECTORS = Path(__file__).parent / "vectors"

# The tests read wik's English; a test about the language sets WIK_LANG (or unsets it) itself.
# Set here, it also reaches the wik processes the tests start.
os.environ["WIK_LANG"] = "en"


@pytest.fixture(autouse=True)
def english_again():
    """Each test starts in English: a command run in Dutch (WIK_LANG=nl) in this process leaves
    the language it chose behind, which a later test calling wik's functions would read."""
    from wikcli import i18n

    i18n.use("en")
    yield
    i18n.use("en")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


_COMMAND: list = []


def _wik_command(given):
    """wik's Click command, built from the Typer app once for the whole run: building it is
    most of an in-process command's time (35 ms of 42 for `wik calc`), and a `wik` process
    builds it once too. Other apps are built as Typer builds them."""
    if given is not app:
        return _typer_command(given)
    if not _COMMAND:
        _COMMAND.append(_typer_command(app))
    return _COMMAND[0]


import typer.testing as _typer_testing  # noqa: E402

_typer_command = _typer_testing._get_command
_typer_testing._get_command = _wik_command


def run_cli(*args: str, env: dict | None = None, input: str | None = None) -> Run:
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], env=env, input=input, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def make_demo(home, day: str):
    """``wik demo --dir home --today day``, checked: the demo home many modules read."""
    r = run_cli("demo", "--dir", str(home), "--today", day, "--json")
    assert r.exit_code == 0, r.stderr
    return home


def load_vectors(name: str) -> list[dict]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]


@pytest.fixture
def wik():
    return run_cli

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


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def run_cli(*args: str, env: dict | None = None, input: str | None = None) -> Run:
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], env=env, input=input, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def load_vectors(name: str) -> list[dict]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]


@pytest.fixture
def wik():
    return run_cli

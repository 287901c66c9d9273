"""The README's promises: its test command is the one CI runs, and its pasted output is real."""

import re
import shlex
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in README


def _console_blocks():
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        first, _, rest = block.partition("\n")
        assert first.startswith("$ wik ")
        yield first[len("$ wik "):], rest.rstrip("\n")


BLOCKS = list(_console_blocks())


@pytest.mark.parametrize("command,expected", BLOCKS, ids=[c for c, _ in BLOCKS])
def test_readme_output_is_what_wik_prints(command, expected, tmp_path):
    args = shlex.split(command)
    if "--home" not in args and any(a in args for a in ("status", "invoice", "client", "pay")):
        pytest.skip("ledger examples are checked by the demo tests")
    r = run_cli(*args, env={"COLUMNS": "100"})
    assert (r.stdout + r.stderr).rstrip("\n") == expected

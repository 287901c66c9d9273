"""The README's promises: its test command is the one CI runs, and its pasted output is real."""

import re
import shlex
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    ci = [x for x in lines if "-m pytest" in x]
    assert len(ci) == 1 and ci[0] in README


def _console_blocks():
    """Each block's commands with the output each prints: a block may show several commands
    run one after the other (each line starting with ``$ wik``)."""
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        assert block.startswith("$ wik ")
        steps = []
        for chunk in re.split(r"^(?=\$ wik )", block, flags=re.M)[1:]:
            first, _, rest = chunk.partition("\n")
            steps.append((first[len("$ wik "):], rest.rstrip("\n")))
        yield steps


BLOCKS = list(_console_blocks())


def _lines(text: str) -> list[str]:
    # Rich pads table lines with spaces; editors strip them from a README.
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


@pytest.mark.parametrize("steps", BLOCKS, ids=[b[0][0] for b in BLOCKS])
def test_readme_output_is_what_wik_prints(steps, tmp_path, monkeypatch):
    args = shlex.split(steps[0][0])
    if args[0] == "demo" or "--home" in args:
        # The demo and the ledger tour run in a fresh folder: `wik demo --dir wik-demo` first.
        # The repository's docs/ is there too, for the example files the tour reads.
        monkeypatch.chdir(tmp_path)
        (tmp_path / "docs").symlink_to(ROOT / "docs")
        if args[0] != "demo":
            assert run_cli("demo", "--dir", "wik-demo", *args[args.index("--today"):][:2]).exit_code == 0
    elif any(a in args for a in ("status", "invoice", "client", "pay", "check", "letter")):
        pytest.skip("ledger examples need a --home")
    for command, expected in steps:
        r = run_cli(*shlex.split(command), env={"COLUMNS": "100"})
        # Warnings about unconfirmed interest rates change with the rate table: the README
        # shows what goes to stdout, and errors.
        # A CSV starts with a byte order mark (for spreadsheets), which a README cannot show.
        out = [x for x in _lines(r.stdout.removeprefix("\ufeff") + r.stderr) if not x.startswith("wik: warning:")]
        assert out == _lines(expected), command

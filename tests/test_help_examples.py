"""Every command's --help ends its description with real examples (as sqlite-utils does), and
every example runs: against a fresh copy of the demo home, dated the demo's day."""

from __future__ import annotations

import shlex
import shutil
from contextlib import ExitStack
from pathlib import Path

import pytest
from typer.main import get_command

from conftest import run_cli
from wikcli.cli import app

DAY = "2026-11-25"


def commands() -> list[tuple[str, ...]]:
    """Every command path: ("calc",), ("client", "add"), ..."""
    root = get_command(app)
    out = []
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out += [(name, sub) for sub in cmd.commands]
        else:
            out.append((name,))
    return sorted(out)


def examples(path: tuple[str, ...]) -> list[str]:
    help_text = run_cli(*path, "--help").stdout
    lines = help_text.splitlines()
    assert "  Example:" in lines, f"`wik {' '.join(path)} --help` has no Example: block"
    start = lines.index("  Example:") + 1
    found = []
    for line in lines[start:]:
        if not line.strip():
            if found:
                break
            continue
        if not line.startswith("      wik "):
            break
        found.append(line.strip())
    return found


def test_every_command_is_listed():
    paths = commands()
    assert ("calc",) in paths and ("client", "add") in paths and ("invoice", "show") in paths
    assert len(paths) >= 29


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_command_has_one_or_two_examples_of_itself(path):
    found = examples(path)
    assert 1 <= len(found) <= 2, found
    # An example shows the command it documents (a resume needs a pause before it).
    assert found[-1].startswith("wik " + " ".join(path) + " ") or found[-1] == "wik " + " ".join(path), found


CSV = ("factuurnummer;factuurdatum;bedrag;klant\n"
       "2026-130;3-11-2026;1.234,56;Van Dijk Installatie\n")


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo") / "home"
    r = run_cli("demo", "--dir", str(home), "--today", DAY, "--json")
    assert r.exit_code == 0, r.stderr
    return home


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_example_runs(path, demo_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "facturen.csv").write_text(CSV, encoding="utf-8")
    # the README's example statement, which pays three of the demo's invoices
    shutil.copy(Path(__file__).resolve().parents[1] / "docs" / "examples" / "camt053-2026-11-24.xml", tmp_path)
    env = {"WIK_HOME": str(tmp_path / "new") if path == ("init",) else str(home), "WIK_TODAY": DAY}
    with ExitStack() as stack:
        if path == ("send",):  # a real send, to a real server on loopback
            from smtpserver import serve
            from test_cli_send import Sink

            sink = Sink()
            port = stack.enter_context(serve(sink))
            with open(home / "config.toml", "a", encoding="utf-8") as f:
                f.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n')
        for line in examples(path):
            args = shlex.split(line.split(" > ")[0])[1:]  # a shell redirection is the shell's business
            r = run_cli(*args, env=env)
            assert r.exit_code in (0, 1), (line, r.stderr)  # 1: `wik check` found actions due
            assert "Traceback" not in r.stderr
        if path == ("send",):
            assert len(sink.messages) == 1

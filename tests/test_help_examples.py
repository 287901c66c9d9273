"""Every command's --help ends its description with real examples (as sqlite-utils does), and
every example runs: against a fresh copy of the demo home, dated the demo's day."""

from __future__ import annotations

import shlex
import shutil
from contextlib import ExitStack
from datetime import date

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


# The day the README's demo is made, the day the tests run, and a Sunday of another year:
# the demo's dates, its files and the examples' relative dates (gisteren, over 7 dagen) move
# along, so every example works on a demo made on any of them.
DAYS = sorted({DAY, date.today().isoformat(), "2027-02-14"})


@pytest.fixture(scope="module", params=DAYS)
def demo_home(request, tmp_path_factory):
    home = tmp_path_factory.mktemp("demo") / "wik-demo"
    r = run_cli("demo", "--dir", str(home), "--today", request.param, "--json")
    assert r.exit_code == 0, r.stderr
    return home, request.param


def run_examples(path, lines, demo_home, tmp_path, monkeypatch):
    made, day = demo_home
    home = tmp_path / "wik-demo"
    shutil.copytree(made, home)
    monkeypatch.chdir(tmp_path)
    env = {"WIK_HOME": str(tmp_path / "new") if path == ("init",) else "wik-demo", "WIK_TODAY": day}
    with ExitStack() as stack:
        if path == ("send",):  # a real send, to a real server on loopback
            from smtpserver import serve
            from test_cli_send import Sink

            sink = Sink()
            port = stack.enter_context(serve(sink))
            with open(home / "config.toml", "a", encoding="utf-8") as f:
                f.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n')
        for line in lines:
            args = shlex.split(line.split(" > ")[0])[1:]  # a shell redirection is the shell's business
            if args[:1] == ["demo"]:
                args += ["--dir", "another-demo"] if "--dir" not in args else []
                args[args.index("--dir") + 1] = "another-demo"  # the demo home exists already
            r = run_cli(*args, env=env)
            assert r.exit_code in (0, 1), (day, line, r.stderr)  # 1: `wik check` found actions due
            assert "Traceback" not in r.stderr
        if path == ("send",):
            assert len(sink.messages) == 1


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_example_runs(path, demo_home, tmp_path, monkeypatch):
    run_examples(path, examples(path), demo_home, tmp_path, monkeypatch)


GROUPS = [()] + [(name,) for name, cmd in get_command(app).commands.items() if hasattr(cmd, "commands")]


def group_examples(path: tuple[str, ...]) -> list[str]:
    """The examples a page of commands (`wik --help`, `wik bank --help`) ends with."""
    lines = run_cli(*path, "--help").stdout.rstrip("\n").splitlines()
    assert "  Example:" in lines, f"`wik {' '.join(path)} --help` has no Example: block"
    block = [line.strip() for line in lines[lines.index("  Example:") + 1:] if line.strip()]
    assert block and all(line.startswith("wik ") for line in block), block
    return block


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "wik")
def test_every_page_of_commands_ends_with_examples_that_run(path, demo_home, tmp_path, monkeypatch):
    found = group_examples(path)
    assert all(line.startswith(" ".join(("wik",) + path)) for line in found), found
    run_examples(path, found, demo_home, tmp_path, monkeypatch)

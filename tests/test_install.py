"""The README's first lines, as printed, in a fresh shell: the install, the demo, and the
command the demo says to go on with. A copy of the checkout is installed into a new virtual
environment, its dependencies from the package index as a user's would be."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _install_line() -> str:
    first = re.search(r"```sh\n(.*?)\n```", README, re.S)[1]
    assert first.startswith("python3 -m venv .venv && ") and first.endswith(" demo"), first
    return first


def _shell(line: str, cwd: Path) -> subprocess.CompletedProcess:
    # A fresh login-less shell: the PATH of the system only, no venv of the test run, no home.
    env = {"PATH": os.defpath + ":/usr/local/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_the_readme_install_and_demo_lines_run_as_printed(tmp_path):
    checkout = tmp_path / "wik"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    r = _shell(_install_line(), checkout)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Open invoices on" in r.stdout
    go_on = [line for line in r.stdout.splitlines() if line.startswith("Go on with: ")]
    assert len(go_on) == 1, r.stdout
    command, _, alternative = go_on[0].removeprefix("Go on with: ").partition("   (or: ")
    # `wik` is not on the PATH of this shell: the demo names the one it ran.
    assert command.startswith(".venv/bin/wik status --home /"), command
    r = _shell(command, checkout)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Open invoices on ") and "2026-072" in r.stdout
    assert alternative.startswith("export WIK_HOME=/") and alternative.endswith(")")
    r = _shell(alternative.removesuffix(")") + " && .venv/bin/wik status", checkout)
    assert r.returncode == 0 and "2026-072" in r.stdout, r.stderr

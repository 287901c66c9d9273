"""The house rules, read from the code itself: the layers' dependency rule, one name per class."""

from __future__ import annotations

import ast
import collections
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "wikcli"


def test_the_layers_import_only_downwards():
    # The contract lives in pyproject.toml ([tool.importlinter]): cli -> services -> bank | imports
    # | documents | store -> ledger -> rules -> errors, the four edges independent of each other.
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports; import sys; "
                          "sys.exit(lint_imports(config_filename='pyproject.toml'))"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_every_module_sits_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py", "errors.py", "i18n.py")]
    assert loose == []


# Names still shared, each to be renamed by the move that ends it: this set only shrinks.
# ``Payment``, ``Note`` (the ledger's facts) and ``Period`` (the interest's) keep their names.
SHARED_NAMES: set[str] = set()


def test_no_two_classes_share_a_name():
    where = collections.defaultdict(list)
    for p in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(p.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                where[node.name].append(str(p.relative_to(ROOT)))
    twice = {k: v for k, v in where.items() if len(v) > 1}
    assert set(twice) <= SHARED_NAMES, {k: v for k, v in twice.items() if k not in SHARED_NAMES}


# The CLI modules every command may share: the Typer app, the options and output helpers,
# the opened home, the progress bar, the Dutch option words. A command module imports no
# other command module: a use case two commands share lives in ``wikcli/services``, where a
# script can call it without Typer. ``cli/__init__.py`` imports every command module to
# register it, and is the one exception.
CLI_SHARED = {"app", "common", "home", "progress", "words"}


def _cli_imports(path: Path) -> set[str]:
    """The ``wikcli.cli`` modules ``path`` imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom):  # relative: from . import x, from .x import y
            base = "wikcli.cli" + ("." + node.module if node.module else "")
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["wikcli", "cli"] and len(parts) > 2 and (PACKAGE / "cli" / f"{parts[2]}.py").exists():
                found.add(parts[2])
    return found


def test_command_modules_import_only_the_shared_cli_modules():
    wrong = {}
    for p in sorted((PACKAGE / "cli").glob("*.py")):
        if p.name == "__init__.py":
            continue
        beyond = _cli_imports(p) - CLI_SHARED - {p.stem}
        if beyond:
            wrong[p.name] = sorted(beyond)
    assert wrong == {}


def test_the_import_check_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from wikcli.cli.common import warn\n\ndef f():\n    from wikcli.cli.letter import x\n"
                      "    from wikcli.cli import send, home\n    import wikcli.cli.reports\n", encoding="utf-8")
    assert _cli_imports(sample) == {"common", "letter", "send", "home", "reports"}


# The house plan's limits: a module a reader can hold in mind, a function that fits a screen.
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def _sizes(package: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    modules, functions = [], []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(package.parent))
        modules.append((text.count("\n"), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.name}"))
    return modules, functions


def test_no_module_over_600_lines_and_no_function_over_100():
    modules, functions = _sizes(PACKAGE)
    assert [m for m in modules if m[0] > MAX_MODULE_LINES] == []
    assert [f for f in functions if f[0] > MAX_FUNCTION_LINES] == []


def test_the_size_check_counts_what_it_should(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "big.py").write_text("def f():\n" + "    x = 1\n" * 101 + "\n" * 500, encoding="utf-8")
    modules, functions = _sizes(pkg)
    assert modules == [(602, "pkg/big.py")]
    assert functions == [(102, "pkg/big.py:f")]

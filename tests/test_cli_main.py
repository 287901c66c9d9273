"""The console script builds only the command its first word names, with the same result."""

import gc
import json

import pytest

from wikcli.cli import app, main


@pytest.fixture(autouse=True)
def collector_back_on():
    """``main`` ends the process and leaves the cyclic collector off (and what is left frozen)
    for its way out; the test process goes on, so it gets its collector back."""
    yield
    gc.unfreeze()
    gc.enable()


@pytest.mark.parametrize("args", [["calc", "244", "--json"], ["calc", "--help"], ["clac", "3"],
                                  ["client", "--help"], ["--version"], ["calc", "-x"],
                                  ["--verbose", "calc", "244", "--json"], ["--verbose", "--help"]])
def test_main_answers_as_the_whole_app(args, capsys):
    before = (list(app.registered_commands), list(app.registered_groups))
    outs = []
    for run in (lambda: main(args), lambda: app(args)):
        with pytest.raises(SystemExit) as e:
            run()
        cap = capsys.readouterr()
        outs.append((e.value.code, cap.out, cap.err))
    assert outs[0] == outs[1]
    assert (app.registered_commands, app.registered_groups) == before
    if args[-1] == "--json":
        assert json.loads(outs[0][1])["costs"] == "40.00"


def test_main_builds_only_the_command_after_wiks_own_options(monkeypatch, capsys):
    built = []
    import typer.main

    real = typer.main.get_command

    def spy(typer_instance):
        built.append([c.name or c.callback.__name__ for c in typer_instance.registered_commands])
        return real(typer_instance)

    monkeypatch.setattr(typer.main, "get_command", spy)
    with pytest.raises(SystemExit):
        main(["--verbose", "calc", "244", "--json"])
    assert built == [["calc"]]
    assert json.loads(capsys.readouterr().out)["costs"] == "40.00"

"""The console script builds only the command its first word names, with the same result."""

import json

import pytest

from wikcli.cli import app, main


@pytest.mark.parametrize("args", [["calc", "244", "--json"], ["calc", "--help"], ["clac", "3"],
                                  ["client", "--help"], ["--version"], ["calc", "-x"]])
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

"""--json output: the same text as json.dumps(..., ensure_ascii=False, indent=2), written fast."""

import io
import json
from contextlib import redirect_stdout

import pytest

from wikcli.cli.common import emit_json, emit_json_rows

SHAPES = [
    [], [{}], [{"a": 1}], {"a": [1, 2]}, "text", 3, None, [[]], [[1, [2]]], [1, "x"],
    [{"a": "é\n\"q\"\u2028", "b": True, "c": None, "d": False, "e": -3, "f": 10**20}],
    [{"a": 1.5}], [{"a": [1, {"b": [2, []]}]}], [{"a": {}}], [{"a": 1}, 3], [{1: 2}], [{"a": 1}, {}],
    [{"n": i, "s": str(i)} for i in range(2345)],
]


@pytest.mark.parametrize("obj", SHAPES, ids=range(len(SHAPES)))
def test_emit_json_is_json_dumps(obj):
    out = io.StringIO()
    with redirect_stdout(out):
        emit_json(obj)
    assert out.getvalue() == json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def test_emit_json_rows_takes_a_generator():
    out = io.StringIO()
    with redirect_stdout(out):
        emit_json_rows({"i": i} for i in range(3))
    assert json.loads(out.getvalue()) == [{"i": 0}, {"i": 1}, {"i": 2}]

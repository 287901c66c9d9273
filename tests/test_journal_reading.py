"""Reading the journal: what the fast reader accepts and rejects is what json.loads does."""

import json
from datetime import datetime

import pytest

from wikcli.store.journal import Journal
from wikcli.store.lines import JournalError, TornJournalError, parse as parse_bytes

HEADER = '{"wik_journal": 1, "created": "2026-01-01T09:00:00Z"}'


def ev(seq: int, **data) -> str:
    return json.dumps({"seq": seq, "at": "2026-01-01T09:00:00Z", "type": "note", "invoice": "F1",
                       "data": data or {"date": "2026-01-02", "text": "x"}})


def parse(*lines: str):
    return parse_bytes(("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))


def test_events_equal_their_lines():
    lines = [ev(1), ev(2, date="2026-01-03", amount="12.50"), ev(3, promise=None, n=[1, {"a": 2}])]
    events = parse(*lines)
    assert [e.to_json() for e in events] == [json.loads(x) for x in lines]
    assert events[1].data["amount"] == "12.50" and events[2].seq == 3


def test_spaces_around_a_line_are_read_as_json_loads_reads_them():
    assert parse("  " + ev(1) + " \t", ev(2))[0].to_json() == json.loads(ev(1))


@pytest.mark.parametrize("bad", [ev(2) + " " + ev(3), ev(2) + "x", "", "[" + ev(2) + "]", "{"])
def test_a_bad_middle_line_is_named(bad):
    with pytest.raises(JournalError, match="line 3 ") as e:
        parse(ev(1), bad, ev(2))
    assert not isinstance(e.value, TornJournalError)


def test_a_bad_last_line_is_torn():
    with pytest.raises(TornJournalError, match="line 3 is torn"):
        parse(ev(1), ev(2)[:-5])


def test_journal_round_trip(tmp_path):
    j = Journal(tmp_path, check=None)
    j.create(datetime(2026, 1, 1, 9))
    with j.transaction(datetime(2026, 1, 1, 10)) as tx:
        tx.append("note", "F1", {"date": "2026-01-01", "text": "één"})
        tx.append("note", None, {"date": "2026-01-02"})
    assert [e.to_json() for e in j.events()] == [e.to_json() for e in tx.appended]

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_vectors
from wikcli.rules import interest
from wikcli.errors import WikError
from wikcli.rules.interest import COMMERCIAL, CONSUMER, InterestError, compute
from wikcli.store.config import rate_table

CASES = load_vectors("interest.json")


def _id(c):
    return f"{c['kind']}-{c['principal']}-{c['from']}-{c['to']}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_vector(case):
    r = compute(Decimal(case["principal"]), date.fromisoformat(case["from"]),
                date.fromisoformat(case["to"]), case["kind"])
    out = r.to_json()
    assert out["periods"] == case["periods"]
    assert out["interest"] == case["interest"]
    assert out["total"] == f"{Decimal(case['principal']) + Decimal(case['interest']):.2f}"
    # The vectors use confirmed rates inside the table: nothing to warn about.
    assert r.warnings == ()


@pytest.mark.parametrize("kind", [CONSUMER, COMMERCIAL])
def test_rate_table_is_sane(kind):
    table = interest.rates(kind)
    assert table[0].start == date(2015, 1, 1)
    assert [r.start for r in table] == sorted({r.start for r in table})
    for r in table:
        assert r.source.strip()
        assert Decimal("0") <= r.rate < Decimal("0.2")
        # Rates change on 1 January and 1 July only.
        assert (r.start.month, r.start.day) in {(1, 1), (7, 1)}
        assert isinstance(r.confirmed, bool)
    assert interest.rates(kind) is table  # loaded once


@pytest.mark.parametrize("kind", [CONSUMER, COMMERCIAL])
def test_every_packaged_row_is_confirmed_and_known_through_2026(kind):
    assert all(r.confirmed and r.origin == interest.PACKAGED and r.replaces is None
               for r in interest.rates(kind))
    assert interest.known_until(kind) == date(2026, 12, 31)


def test_rate_table_2025_2026_rows():
    # domain.md section 4: 6% stayed 6% on 2025-07-01, 4% from 2026-01-01 and still on
    # 2026-07-01; commercial 10.15% from 2025-07-01 and 2026-01-01, 10.40% from 2026-07-01.
    consumer = {r.start: r.rate for r in interest.rates(CONSUMER)}
    commercial = {r.start: r.rate for r in interest.rates(COMMERCIAL)}
    assert [consumer[date(y, m, 1)] for y, m in ((2025, 7), (2026, 1), (2026, 7))] == [
        Decimal("0.06"), Decimal("0.04"), Decimal("0.04")]
    assert [commercial[date(y, m, 1)] for y, m in ((2025, 7), (2026, 1), (2026, 7))] == [
        Decimal("0.1015"), Decimal("0.1015"), Decimal("0.104")]


@pytest.mark.parametrize("kind", [CONSUMER, COMMERCIAL])
def test_no_warning_inside_the_table_one_after_it(kind):
    assert compute(Decimal("1000"), date(2025, 1, 1), date(2026, 12, 31), kind).warnings == ()
    after = compute(Decimal("1000"), date(2025, 1, 1), date(2027, 3, 1), kind).warnings
    name = interest.NAMES[kind]
    assert after == (f"no {name} is known after 2026-12-31: the rate of "
                     f"{interest.rate_pct(interest.rates(kind)[-1].rate)} from 2026-07-01 is used up to "
                     "2027-03-01; add the new rate to <home>/rates.toml (`wik rates` shows the table in force)",)


def test_rate_table_known_rows():
    consumer = {r.start: r.rate for r in interest.rates(CONSUMER)}
    commercial = {r.start: r.rate for r in interest.rates(COMMERCIAL)}
    assert consumer[date(2015, 1, 1)] == Decimal("0.02")
    assert consumer[date(2024, 1, 1)] == Decimal("0.07")
    assert commercial[date(2015, 1, 1)] == Decimal("0.0805")
    assert commercial[date(2016, 7, 1)] == Decimal("0.08")
    assert commercial[date(2025, 1, 1)] == Decimal("0.1115")


def test_rate_json_format():
    assert interest.rate_str(Decimal("0.07")) == "0.07"
    assert interest.rate_str(Decimal("0.1")) == "0.10"
    assert interest.rate_str(Decimal("0.1050")) == "0.105"
    assert interest.rate_str(Decimal("0.1225")) == "0.1225"
    assert interest.rate_pct(Decimal("0.1225")) == "12,25%"
    assert interest.rate_pct(Decimal("0.07")) == "7%"


def test_unchanged_half_year_row_does_not_cut_a_period():
    # 2024-07-01 repeats the consumer rate of 7%: one period through the year.
    r = compute(Decimal("1000"), date(2024, 3, 1), date(2024, 12, 31), CONSUMER)
    assert len(r.periods) == 1


def test_compounding_after_each_year():
    r = compute(Decimal("10000"), date(2017, 1, 1), date(2019, 12, 31), COMMERCIAL)
    assert [(p.start, p.end, p.base, p.interest) for p in r.periods] == [
        (date(2017, 1, 1), date(2017, 12, 31), Decimal("10000"), Decimal("800.00")),
        (date(2018, 1, 1), date(2018, 12, 31), Decimal("10800.00"), Decimal("864.00")),
        (date(2019, 1, 1), date(2019, 12, 31), Decimal("11664.00"), Decimal("933.12")),
    ]
    assert r.interest == Decimal("2597.12")
    assert r.total == Decimal("12597.12")


def test_leap_day_start_year_ends_on_28_february():
    r = compute(Decimal("1000"), date(2016, 2, 29), date(2017, 3, 31), CONSUMER)
    assert [(p.start, p.end, p.days) for p in r.periods] == [
        (date(2016, 2, 29), date(2017, 2, 28), 366),
        (date(2017, 3, 1), date(2017, 3, 31), 31),
    ]
    assert r.periods[1].base == Decimal("1000") + r.periods[0].interest


def test_reduction_lowers_the_principal_from_its_day():
    r = compute(Decimal("1000"), date(2024, 3, 1), date(2025, 6, 30), CONSUMER,
                reductions=[(date(2024, 6, 1), Decimal("400"))])
    assert [(p.start, p.end, p.base, p.interest) for p in r.periods] == [
        (date(2024, 3, 1), date(2024, 5, 31), Decimal("1000"), Decimal("17.64")),
        (date(2024, 6, 1), date(2024, 12, 31), Decimal("600"), Decimal("24.62")),
        (date(2025, 1, 1), date(2025, 2, 28), Decimal("600"), Decimal("5.82")),
        # The year's interest joins the base; the reduced principal stays reduced.
        (date(2025, 3, 1), date(2025, 6, 30), Decimal("648.08"), Decimal("13.00")),
    ]
    assert r.interest == Decimal("61.08")
    assert r.total == Decimal("661.08")


def test_reduction_never_below_zero_and_on_or_before_start():
    r = compute(Decimal("100"), date(2023, 1, 1), date(2023, 12, 31), CONSUMER,
                reductions=[(date(2022, 12, 1), Decimal("30")), (date(2023, 3, 1), Decimal("500"))])
    assert r.periods[0].base == Decimal("70")
    assert [p.base for p in r.periods[1:]] == [Decimal("0"), Decimal("0")]
    assert r.total == r.interest
    # A reduction after the end changes nothing.
    later = compute(Decimal("100"), date(2023, 1, 1), date(2023, 12, 31), CONSUMER,
                    reductions=[(date(2024, 1, 1), Decimal("100"))])
    assert later == compute(Decimal("100"), date(2023, 1, 1), date(2023, 12, 31), CONSUMER)


@pytest.mark.parametrize("args,message", [
    ((Decimal("100"), date(2025, 3, 1), date(2025, 2, 28), CONSUMER), "is after the last day 2025-02-28"),
    ((Decimal("100"), date(2014, 12, 31), date(2025, 2, 28), CONSUMER), "is before 2015-01-01"),
    ((Decimal("0"), date(2024, 1, 1), date(2025, 2, 28), CONSUMER), "principal 0 is not positive"),
    ((Decimal("-1"), date(2024, 1, 1), date(2025, 2, 28), CONSUMER), "principal -1 is not positive"),
    ((Decimal("100"), date(2024, 1, 1), date(2025, 2, 28), "b2b"), "'b2b' is unknown"),
])
def test_errors(args, message):
    with pytest.raises(InterestError, match=message) as e:
        compute(*args)
    assert isinstance(e.value, WikError) and "\n" not in str(e.value)


def test_negative_reduction_is_refused():
    with pytest.raises(InterestError, match="negative"):
        compute(Decimal("100"), date(2024, 1, 1), date(2024, 2, 1), CONSUMER,
                reductions=[(date(2024, 1, 15), Decimal("-1"))])


def test_warns_about_unconfirmed_rates_and_dates_past_the_table():
    table = interest.rates(COMMERCIAL)
    limit = interest.known_until(COMMERCIAL)
    end = limit + timedelta(days=40)
    r = compute(Decimal("1000"), date(2024, 1, 1), end, COMMERCIAL)
    assert any(f"no wettelijke handelsrente is known after {limit}" in w for w in r.warnings)
    assert r.periods[-1].rate == table[-1].rate
    # An unconfirmed row warns for a span that uses it, and only then.
    open_row = interest.Rate(date(2025, 7, 1), Decimal("0.1015"), "x", False)
    rows = interest.RateTable(interest.packaged().consumer,
                              tuple(open_row if t.start == open_row.start else t for t in table))
    assert interest._warnings(rows, COMMERCIAL, date(2025, 1, 1), date(2025, 6, 30)) == ()
    assert interest._warnings(rows, COMMERCIAL, date(2026, 1, 1), date(2026, 2, 1)) == ()
    assert interest._warnings(rows, COMMERCIAL, date(2025, 6, 1), date(2025, 7, 1)) == (
        "the wettelijke handelsrente of 10,15% from 2025-07-01 is not confirmed against the published "
        "decision: check it and add the confirmed rate to <home>/rates.toml (`wik rates` shows the table "
        "in force)",)


def test_rates_file_errors_name_the_row():
    with pytest.raises(InterestError, match=r"\[\[consumer\]\] row 2: from 2015-01-01 is not after"):
        interest._parse_rows(CONSUMER, [
            {"from": date(2015, 1, 1), "rate": "0.02", "source": "x", "confirmed": True},
            {"from": date(2015, 1, 1), "rate": "0.03", "source": "x", "confirmed": True},
        ])
    with pytest.raises(InterestError, match="rate 0.02 is not a fraction"):
        interest._parse_rows(CONSUMER, [{"from": date(2015, 1, 1), "rate": 0.02, "source": "x", "confirmed": True}])
    with pytest.raises(InterestError, match="source is missing"):
        interest._parse_rows(CONSUMER, [{"from": date(2015, 1, 1), "rate": "0.02", "source": " ", "confirmed": True}])
    with pytest.raises(InterestError, match="starts at 2016-01-01"):
        interest._parse_rows(CONSUMER, [{"from": date(2016, 1, 1), "rate": "0.02", "source": "x", "confirmed": True}])


ROW = 'from = 2027-01-01\nrate = "0.05"\nsource = "Stb. 2026, 1"\nconfirmed = true\n'
BAD_USER_ROWS = [
    ("toml", "[[consumer]\n", "/h/rates.toml is not valid TOML"),
    ("table", "[[consumers]]\n" + ROW, "/h/rates.toml: unknown table 'consumers': expected [[consumer]] or [[commercial]] rows"),
    ("not-rows", 'consumer = "4%"\n', "/h/rates.toml has no [[consumer]] rows"),
    ("key", "[[consumer]]\n" + ROW + "note = 1\n", "/h/rates.toml [[consumer]] row 1: unknown key 'note'"),
    ("missing", "[[consumer]]\n" + ROW.replace('source = "Stb. 2026, 1"\n', ""),
     "/h/rates.toml [[consumer]] row 1: source is missing: expected from, rate, source, confirmed"),
    ("quoted-date", "[[consumer]]\n" + ROW.replace("2027-01-01", '"2027-01-01"'),
     "/h/rates.toml [[consumer]] row 1: from '2027-01-01' is not a date: expected a date without quotes"),
    ("datetime", "[[consumer]]\n" + ROW.replace("2027-01-01", "2027-01-01T00:00:00"),
     "/h/rates.toml [[consumer]] row 1: from datetime.datetime(2027, 1, 1, 0, 0) is not a date"),
    ("mid-year", "[[consumer]]\n" + ROW.replace("2027-01-01", "2027-03-01"),
     "/h/rates.toml [[consumer]] row 1: from 2027-03-01 is not 1 January or 1 July"),
    ("early", "[[consumer]]\n" + ROW.replace("2027-01-01", "2014-07-01"),
     "/h/rates.toml [[consumer]] row 1: from 2014-07-01 is before 2015-01-01"),
    ("percent", "[[consumer]]\n" + ROW.replace('"0.05"', '"5%"'),
     "/h/rates.toml [[consumer]] row 1: rate '5%' is not a fraction"),
    ("float", "[[consumer]]\n" + ROW.replace('"0.05"', "0.05"),
     "/h/rates.toml [[consumer]] row 1: rate 0.05 is not a fraction"),
    ("high", "[[consumer]]\n" + ROW.replace('"0.05"', '"0.5"'),
     "/h/rates.toml [[consumer]] row 1: rate '0.5' is not a fraction"),
    ("confirmed", "[[consumer]]\n" + ROW.replace("confirmed = true", 'confirmed = "yes"'),
     "/h/rates.toml [[consumer]] row 1: confirmed 'yes' is not true or false"),
    ("order", "[[commercial]]\n" + ROW + "[[commercial]]\n" + ROW.replace("2027-01-01", "2026-07-01"),
     "/h/rates.toml [[commercial]] row 2: from 2026-07-01 is not after 2027-01-01"),
]


@pytest.mark.parametrize("text,message", [b[1:] for b in BAD_USER_ROWS], ids=[b[0] for b in BAD_USER_ROWS])
def test_a_user_file_is_refused_naming_file_row_and_key(text, message):
    with pytest.raises(InterestError) as e:
        interest.parse_rates(text, "/h/rates.toml", origin=interest.USER)
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_a_user_file_may_hold_one_kind_and_any_rows():
    rows = interest.parse_rates("[[consumer]]\n" + ROW, "/h/rates.toml", origin=interest.USER)
    assert rows == {CONSUMER: (interest.Rate(date(2027, 1, 1), Decimal("0.05"), "Stb. 2026, 1", True,
                                             interest.USER),)}
    assert interest.parse_rates("", "/h/rates.toml", origin=interest.USER) == {}


def test_merge_adds_rows_and_user_rows_replace_packaged_ones():
    packaged = {CONSUMER: interest.rates(CONSUMER), COMMERCIAL: interest.rates(COMMERCIAL)}
    own = interest.parse_rates(
        "[[consumer]]\n" + ROW + "[[consumer]]\n" + ROW.replace("2027-01-01", "2027-07-01")
        + "[[commercial]]\n" + ROW.replace("2027-01-01", "2026-07-01").replace('"0.05"', '"0.11"'),
        "/h/rates.toml", origin=interest.USER)
    merged = interest.merge(packaged, own)
    assert [r.start for r in merged[CONSUMER]][-3:] == [date(2026, 7, 1), date(2027, 1, 1), date(2027, 7, 1)]
    assert merged[CONSUMER][:-2] == packaged[CONSUMER]
    last = merged[COMMERCIAL][-1]
    assert (last.start, last.rate, last.origin) == (date(2026, 7, 1), Decimal("0.11"), interest.USER)
    assert last.replaces == packaged[COMMERCIAL][-1]
    assert len(merged[COMMERCIAL]) == len(packaged[COMMERCIAL])


@pytest.fixture
def user_rates(tmp_path):
    """A home with a rates.toml: (its path, the table in force there)."""
    def write(text: str):
        (tmp_path / "rates.toml").write_text(text, encoding="utf-8")
        return tmp_path / "rates.toml", rate_table(tmp_path)
    return write


def test_a_user_row_changes_the_result_and_moves_the_warning(user_rates):
    before = compute(Decimal("1000"), date(2026, 7, 1), date(2027, 3, 1), CONSUMER)
    assert len(before.warnings) == 1
    path, table = user_rates("[[consumer]]\n" + ROW)
    after = compute(Decimal("1000"), date(2026, 7, 1), date(2027, 3, 1), CONSUMER, table=table)
    # 2026-07-01..2026-12-31 at 4%, then 2027-01-01..2027-03-01 at the user's 5%.
    assert [(p.start, p.rate, p.interest) for p in after.periods] == [
        (date(2026, 7, 1), Decimal("0.04"), Decimal("20.16")),
        (date(2027, 1, 1), Decimal("0.05"), Decimal("8.22")),  # 60 days
    ]
    assert after.warnings == ()
    assert interest.known_until(CONSUMER, table) == table.known_until(CONSUMER) == date(2027, 6, 30)
    late = compute(Decimal("1000"), date(2026, 7, 1), date(2027, 7, 1), CONSUMER, table=table).warnings
    assert late == (f"no wettelijke rente is known after 2027-06-30: the rate of 5% from 2027-01-01 is used "
                    f"up to 2027-07-01; add the new rate to {path} (`wik rates` shows the table in force)",)
    # The packaged table is untouched: no table, or the packaged one, computes as before.
    assert compute(Decimal("1000"), date(2026, 7, 1), date(2027, 3, 1), CONSUMER) == before
    assert compute(Decimal("1000"), date(2026, 7, 1), date(2027, 3, 1), CONSUMER,
                   table=interest.packaged()) == before


def test_a_user_row_that_replaces_a_packaged_one_says_so(user_rates):
    path, table = user_rates("[[commercial]]\n" + ROW.replace("2027-01-01", "2026-07-01").replace('"0.05"', '"0.11"'))
    r = compute(Decimal("1000"), date(2026, 1, 1), date(2026, 12, 31), COMMERCIAL, table=table)
    assert r.periods[-1].rate == Decimal("0.11")
    assert r.warnings == (f"{path} replaces the packaged wettelijke handelsrente from 2026-07-01: 10,4% -> 11%",)
    # A span that does not use the replaced row is not told about it.
    assert compute(Decimal("1000"), date(2025, 1, 1), date(2025, 12, 31), COMMERCIAL, table=table).warnings == ()


def test_a_user_row_marked_unconfirmed_warns(user_rates):
    path, table = user_rates("[[consumer]]\n" + ROW.replace("confirmed = true", "confirmed = false"))
    assert compute(Decimal("1000"), date(2027, 1, 1), date(2027, 2, 1), CONSUMER, table=table).warnings == (
        f"the wettelijke rente of 5% from 2027-01-01 is marked confirmed = false in {path}: check it "
        "against the published decision, then set confirmed = true",)


def test_a_missing_user_file_is_the_packaged_table(tmp_path):
    table = rate_table(tmp_path / "nothing-here")
    assert table.own == str(tmp_path / "nothing-here" / "rates.toml")
    assert table.rows(CONSUMER) == interest.packaged().rows(CONSUMER)
    assert table.rows(CONSUMER)[-1].origin == interest.PACKAGED
    # The same rows, but warnings name the home's file: the digests differ.
    assert table.digest() != interest.packaged().digest()
    assert rate_table(None) is interest.packaged()


def test_a_bad_user_file_is_refused_when_the_table_is_made(tmp_path):
    path = tmp_path / "rates.toml"
    path.write_text("[[consumer]]\n" + ROW.replace('"0.05"', '"5"'), encoding="utf-8")
    with pytest.raises(InterestError) as e:
        rate_table(tmp_path)
    assert str(e.value).startswith(f"{path} [[consumer]] row 1: rate '5' is not a fraction")


def test_a_table_digest_follows_its_rows_not_its_object(tmp_path):
    (tmp_path / "rates.toml").write_text("[[consumer]]\n" + ROW, encoding="utf-8")
    one, two = rate_table(tmp_path), rate_table(tmp_path)
    assert one is not two and one.digest() == two.digest()
    (tmp_path / "rates.toml").write_text("[[consumer]]\n" + ROW.replace('"0.05"', '"0.06"'), encoding="utf-8")
    assert rate_table(tmp_path).digest() != one.digest()


DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    a=DAYS, b=DAYS, c=DAYS,
    kind=st.sampled_from([CONSUMER, COMMERCIAL]),
)
def test_an_extra_cut_moves_the_total_by_at_most_one_cent(principal, a, b, c, kind):
    start, split, end = sorted([a, b, c])
    whole = compute(principal, start, end, kind)
    # A reduction of 0,00 cuts a period in two and changes nothing else.
    cut = compute(principal, start, end, kind, reductions=[(split, Decimal("0"))])
    extra = len(cut.periods) - len(whole.periods)
    assert extra in (0, 1)
    assert sum(p.days for p in cut.periods) == (end - start).days + 1
    # The cut moves its own year's interest by at most a cent. When a later anniversary
    # capitalises that year, the cent is in the base of every later period, and each of
    # those may round the other way once: at most one more cent per such period.
    anniversaries = {interest._anniversary(start, n) for n in range(1, 13)}
    later = [p for p in whole.periods if p.start > split and p.start in anniversaries]
    following = [p for p in whole.periods if later and p.start >= later[0].start]
    bound = Decimal("0.01") * extra * (1 + len(following))
    assert abs(cut.interest - whole.interest) <= bound


@settings(max_examples=300, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    start=DAYS, length=st.integers(0, 364), at=st.integers(0, 364),
    kind=st.sampled_from([CONSUMER, COMMERCIAL]),
)
def test_within_one_year_of_default_a_cut_moves_the_total_by_at_most_one_cent(
        principal, start, length, at, kind):
    end = start + timedelta(days=length)
    split = start + timedelta(days=min(at, length))
    whole = compute(principal, start, end, kind)
    cut = compute(principal, start, end, kind, reductions=[(split, Decimal("0"))])
    assert abs(cut.interest - whole.interest) <= Decimal("0.01")


@settings(max_examples=150, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250000"), places=2),
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 1)),
    days=st.integers(min_value=0, max_value=3000),
    kind=st.sampled_from([CONSUMER, COMMERCIAL]),
    cuts=st.lists(st.tuples(st.integers(min_value=-30, max_value=3100),
                            st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)),
                  max_size=4),
)
def test_total_is_computes_interest_and_warnings(principal, start, days, kind, cuts):
    # The ledger's fast path must give exactly the figure of the full breakdown.
    end = start + timedelta(days=days)
    reductions = [(start + timedelta(days=d), a) for d, a in cuts]
    full = compute(principal, start, end, kind, reductions=reductions)
    assert interest.total(principal, start, end, kind, reductions=reductions) == (full.interest, full.warnings)

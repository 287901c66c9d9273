from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikcli.errors import AmountError
from wikcli.rules.money import cents, format_eur, parse_amount, to_str


@pytest.mark.parametrize(
    "text,expected",
    [
        ("244", "244.00"),
        ("244.5", "244.50"),
        ("244,5", "244.50"),
        ("244,50", "244.50"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("€ 1.234,56", "1234.56"),
        ("€1.234,56", "1234.56"),
        ("EUR 12", "12.00"),
        ("1.234.567", "1234567.00"),
        ("1,234,567.89", "1234567.89"),
        ("0,01", "0.01"),
        (" 12 ", "12.00"),
        ("1000000000", "1000000000.00"),
        ("12,-", "12.00"),  # the Dutch whole-euro notation
        ("€ 12,-", "12.00"),
        ("€12,--", "12.00"),
        ("1.234,-", "1234.00"),  # ",-" marks the decimals, so the dot groups thousands
        ("12,–", "12.00"),  # an en dash typed by a word processor
    ],
)
def test_parse_accepts(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("1,234", "ambiguous"),
        ("1.234", "ambiguous"),
        ("-5", "negative"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("12,345", "ambiguous"),
        ("0.001", "more than two decimals"),
        ("12,3456", "more than two decimals"),
        ("1.234,567", "more than two decimals"),
        ("1000000000.01", "more than 1.000.000.000"),
        ("abc", "not an amount"),
        ("", "not an amount"),
        ("12a", "not an amount"),
        ("1.2.3", "malformed"),
        ("1.23,45", "malformed"),
        ("1e5", "not an amount"),
        ("NaN", "not an amount"),
        ("0,-", "zero"),
        ("-12,-", "negative"),
        ("12,-5", "not an amount"),
        (",-", "not an amount"),
    ],
)
def test_parse_refuses(text, fragment):
    with pytest.raises(AmountError) as err:
        parse_amount(text)
    assert fragment in str(err.value)
    assert repr(text) in str(err.value)
    assert "\n" not in str(err.value)


def test_rounding_is_half_up():
    assert cents(Decimal("0.005")) == Decimal("0.01")
    assert cents(Decimal("2.675")) == Decimal("2.68")
    assert to_str(Decimal("7")) == "7.00"


def test_format_eur_dutch_and_english():
    assert format_eur(Decimal("1234.56")) == "€ 1.234,56"
    assert format_eur(Decimal("1234.56"), "en") == "€1,234.56"


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2))
def test_dutch_and_english_notation_round_trip(value):
    dutch = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    english = f"{value:,.2f}"
    assert parse_amount(dutch) == value
    assert parse_amount(english) == value
    assert parse_amount(f"€ {dutch}") == value


@settings(max_examples=500)
@given(st.decimals(min_value=-10**10, max_value=10**10, places=3, allow_nan=False, allow_infinity=False))
def test_the_dutch_euro_format_is_babels(value):
    from babel.numbers import format_currency

    from wikcli.rules.money import cents, format_eur

    assert format_eur(value) == format_currency(cents(value), "EUR", locale="nl_NL").replace("\u00a0", " ")

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_vectors
from wikcli.rules import costs
from wikcli.errors import OptionError

CASES = load_vectors("bik.json")


@pytest.mark.parametrize("case", CASES, ids=[c["principal"] for c in CASES])
def test_bik_vector(case):
    principal = Decimal(case["principal"])
    plain = costs.compute(principal)
    assert f"{plain.costs:.2f}" == case["costs"]
    assert plain.minimum_applied is case["minimum_applied"]
    assert plain.maximum_applied is case["maximum_applied"]
    assert plain.vat == 0
    with_vat = costs.compute(principal, vat=True)
    assert f"{with_vat.vat:.2f}" == case["vat_21"]
    assert f"{with_vat.costs_incl_vat:.2f}" == case["costs_incl_vat"]


@pytest.mark.parametrize("case", CASES, ids=[c["principal"] for c in CASES])
def test_bik_vector_through_cli(case, wik):
    r = wik("calc", case["principal"], "--btw", "--json")
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert out["costs"] == case["costs"]
    assert out["vat"] == case["vat_21"]
    assert out["costs_incl_vat"] == case["costs_incl_vat"]
    assert out["minimum_applied"] is case["minimum_applied"]
    assert out["maximum_applied"] is case["maximum_applied"]


principals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000000"), places=2)


@given(principals, principals)
def test_costs_are_monotone(a, b):
    low, high = sorted((a, b))
    assert costs.compute(low).costs <= costs.compute(high).costs


@given(principals)
def test_costs_between_minimum_and_maximum(p):
    c = costs.compute(p).costs
    assert Decimal("40.00") <= c <= Decimal("6775.00")


@given(principals)
def test_costs_are_the_sum_of_the_brackets(p):
    r = costs.compute(p)
    exact = sum(b.amount for b in r.brackets)
    assert sum(b.base for b in r.brackets) == p
    if not (r.minimum_applied or r.maximum_applied):
        assert r.costs == exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    elif r.minimum_applied:
        assert exact < 40 and r.costs == Decimal("40.00")
    else:
        assert exact > 6775 and r.costs == Decimal("6775.00")


def test_agreed_costs_only_for_business():
    with pytest.raises(OptionError):
        costs.compute(Decimal("1000"), agreed_costs=Decimal("300"))
    r = costs.compute(Decimal("1000"), debtor=costs.BUSINESS, agreed_costs=Decimal("300"))
    assert r.costs == Decimal("300.00") and r.agreed and r.brackets == ()


def test_agreed_costs_never_below_commercial_minimum():
    r = costs.compute(Decimal("100"), debtor=costs.BUSINESS, agreed_costs=Decimal("25"))
    assert r.costs == Decimal("40.00") and r.minimum_applied

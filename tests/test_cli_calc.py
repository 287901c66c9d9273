import pytest


def test_calc_json_shape_exact(wik):
    r = wik("calc", "244", "--btw", "--json")
    assert r.exit_code == 0
    assert r.json() == {
        "principal": "244.00",
        "debtor": "consumer",
        "costs": "40.00",
        "vat_rate": "0.21",
        "vat": "8.40",
        "costs_incl_vat": "48.40",
        "minimum_applied": True,
        "maximum_applied": False,
        "agreed": False,
        "brackets": [
            {"from": "0.00", "to": "2500.00", "rate": "0.15", "base": "244.00", "amount": "36.60"}
        ],
    }


def test_calc_json_lists_only_reached_brackets(wik):
    out = wik("calc", "250.000,00", "--json").json()
    assert [b["from"] for b in out["brackets"]] == ["0.00", "2500.00", "5000.00", "10000.00", "200000.00"]
    assert out["brackets"][-1] == {"from": "200000.00", "to": None, "rate": "0.005",
                                   "base": "50000.00", "amount": "250.00"}
    assert out["brackets"][1]["rate"] == "0.10"
    assert out["costs"] == "3025.00" and out["vat_rate"] == "0.00" and out["vat"] == "0.00"
    assert out["debtor"] == "consumer"


def test_calc_business_with_agreed_costs(wik):
    out = wik("calc", "1000", "--b2b", "--agreed-costs", "250", "--json").json()
    assert out["debtor"] == "business" and out["agreed"] is True
    assert out["costs"] == "250.00" and out["brackets"] == []


def test_calc_business_without_agreement_uses_staffel(wik):
    out = wik("calc", "1000", "--b2b", "--json").json()
    assert out["debtor"] == "business" and out["costs"] == "150.00" and out["agreed"] is False


def test_calc_human_output_dutch_notation(wik):
    r = wik("calc", "1234,56", "--btw")
    assert r.exit_code == 0
    assert "€ 1.234,56" in r.stdout
    assert "€ 185,18" in r.stdout
    assert "€ 38,89" in r.stdout
    assert "€ 224,07" in r.stdout


def test_calc_human_output_notes_minimum(wik):
    r = wik("calc", "244")
    assert "minimum of € 40,00 applies" in r.stdout
    assert "No VAT added" in r.stdout


def test_calc_human_output_notes_maximum(wik):
    assert "maximum of € 6.775,00 applies" in wik("calc", "5000000").stdout


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["1,234"], "amount '1,234' is ambiguous"),
        (["1.234"], "amount '1.234' is ambiguous"),
        (["12x"], "amount '12x' is not an amount"),
        (["-5"], "amount '-5' is negative"),
        (["0"], "amount '0' is zero"),
        (["12,345"], "amount '12,345' is ambiguous"),
        (["12,3456"], "amount '12,3456' has more than two decimals"),
        (["0.001"], "amount '0.001' has more than two decimals"),
        (["1000000000.01"], "amount '1000000000.01' is more than 1.000.000.000,00"),
        (["1.2.3"], "amount '1.2.3' is malformed"),
        (["100", "--agreed-costs", "50"], "agreed costs apply only to a business debtor"),
        (["100", "--b2b", "--agreed-costs", "abc"], "--agreed-costs 'abc' is not an amount"),
        ([], "Missing argument 'AMOUNT'"),
        (["100", "--bogus"], "--bogus"),
    ],
)
def test_calc_refuses_bad_input_with_one_line(wik, args, fragment):
    r = wik("calc", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("wik: error: ")
    assert fragment in r.stderr
    assert r.stderr.count("\n") == 1


def test_version_and_help(wik):
    assert wik("--version").stdout.startswith("wik ")
    r = wik("calc", "--help")
    assert r.exit_code == 0 and "--agreed-costs" in r.stdout and "--btw" in r.stdout

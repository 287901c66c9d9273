"""Stems of invoice numbers for file names and calendar UIDs: safe, stable and distinct."""

import re

from hypothesis import given
from hypothesis import strategies as st

from wikcli.documents.letter import file_name, file_stem
from wikcli.documents.names import stem

SAFE = re.compile(r"[A-Za-z0-9._-]+")


def test_a_plain_number_is_its_own_stem():
    for n in ("2026-017", "F2026.12", "INV-001", "7"):
        assert stem(n) == n


def test_numbers_that_differ_only_in_punctuation_get_different_stems():
    stems = {n: stem(n) for n in ("2026/017", "2026-017", "2026_017", "2026 017", "2026#017", "2026//017")}
    assert len(set(stems.values())) == len(stems)
    assert stems["2026/017"] == "2026_017_f65e0f0604"  # the same in every run and on every machine
    assert stems["2026_017"].startswith("2026_017_") and stems["2026_017"] != "2026_017"


def test_file_names_of_such_numbers_differ():
    from datetime import date

    day = date(2026, 11, 24)
    assert file_name("2026/017", "wik", day) != file_name("2026-017", "wik", day)
    assert file_name("2026-017", "wik", day) == "2026-017-wik-2026-11-24.pdf"
    assert file_stem("2026/017") == stem("2026/017")


@given(a=st.text(min_size=1, max_size=80), b=st.text(min_size=1, max_size=80))
def test_distinct_texts_have_distinct_safe_stems(a, b):
    sa, sb = stem(a), stem(b)
    assert SAFE.fullmatch(sa) and not sa.startswith((".", "-")) and len(sa) <= 60
    assert stem(a) == sa  # stable
    if a != b:
        assert sa != sb


def test_long_and_unsafe_numbers_are_cut_but_stay_apart():
    a, b = "x" * 70 + "1", "x" * 70 + "2"
    assert stem(a) != stem(b) and len(stem(a)) <= 60
    assert stem("...").startswith("invoice_")
    assert stem("Factuur | 12 ü").startswith("Factuur_12_")

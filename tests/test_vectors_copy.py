"""The reference vectors are kept in the repository so the suite runs anywhere; when the
project's shared folder sits beside the checkout, the copies must be identical to it."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent / "vectors"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "vectors"


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.glob("*.json")))
def test_copy_matches_shared(name):
    if not (SHARED / name).exists():
        pytest.skip("shared vectors not beside this checkout")
    assert (HERE / name).read_bytes() == (SHARED / name).read_bytes()

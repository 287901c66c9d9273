"""``wik demo`` builds a throwaway home with one invoice in each of the six steps."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from lettercases import norm, pdf_pages


def test_demo_shows_all_six_steps_and_a_wik_letter(tmp_path):
    real = tmp_path / "real-home"
    target = tmp_path / "demo"
    r = run_cli("demo", "--dir", str(target), "--today", "2026-11-25", env={"WIK_HOME": str(real)})
    assert r.exit_code == 0, r.stderr
    assert not real.exists()  # the user's own home is never touched
    assert "Open invoices on 2026-11-25" in r.stdout
    pdf = Path(r.stdout.split("sent 2026-11-21: ")[1].split()[0])
    text = norm(" ".join(pdf_pages(pdf.read_bytes())))
    assert "Aanmaning factuur 2026-072" in text
    assert "binnen 14 dagen na de dag van ontvangst van deze brief" in text
    # 244.00 -> 40.00 + 21% VAT (the demo creditor cannot deduct VAT); posted Saturday 21
    # November (not on Sunday 22): Sunday and Monday do not count, delivered on the 3rd
    # delivery day, Thursday 26; last day Thursday 10 December.
    assert "€ 48,40 inclusief btw" in text and "uiterlijk op 10 december 2026" in text
    rows = run_cli("status", "--json", "--home", str(target), "--today", "2026-11-25").json()
    assert sorted(r["step"] for r in rows) == [1, 2, 3, 4, 5, 6]
    by_step = {r["step"]: r for r in rows}
    assert by_step[2]["principal_open"] == "1315.00"  # 1815.00 with 500.00 paid
    assert by_step[3]["next_action"] == "chase-installment"
    assert by_step[6]["next_action"] == "none"


def test_demo_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    r = run_cli("demo", "--dir", str(tmp_path / "x"))
    assert r.exit_code == 2 and "not an empty folder" in r.stderr
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_demo_json(tmp_path):
    r = run_cli("demo", "--dir", str(tmp_path / "d"), "--today", "2026-11-25", "--json")
    d = r.json()
    assert d["home"] == str(tmp_path / "d") and d["letter"].endswith("2026-072-wik-2026-11-21.pdf")
    assert [row["step"] for row in d["status"]] == [3, 5, 2, 4, 1, 6]

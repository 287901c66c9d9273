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


def test_the_demo_files_follow_its_day(tmp_path):
    """The invoice export and the bank statement the help examples read are in the demo home,
    dated along with the demo: on a day a year on, the statement still pays three invoices
    (the installment by its amount, which the year's interest changes) and keeps two."""
    home = tmp_path / "d"
    assert run_cli("demo", "--dir", str(home), "--today", "2027-11-25", "--json").exit_code == 0
    assert (home / "facturen.csv").read_text(encoding="utf-8") == (
        "factuurnummer;factuurdatum;bedrag;klant\n2026-130;3-11-2027;1.234,56;Van Dijk Installatie\n")
    xml = (home / "afschrift.xml").read_text(encoding="utf-8")
    assert "2026-11-2" not in xml and xml.count("<Dt>2027-11-24</Dt>") == 14
    env = {"WIK_HOME": str(home), "WIK_TODAY": "2027-11-25"}
    r = run_cli("bank", "import", str(home / "afschrift.xml"), "--json", env=env)
    assert r.exit_code == 0, r.stderr
    booked = [(b["payments"][0]["invoice"], b["rule"]) for b in r.json()["matched"]]
    assert booked == [("2026-072", "reference"), ("2026-094", "invoice_number"), ("2026-087", "amount")]
    assert [k["seq"] for k in r.json()["unmatched"]] == [37, 38]  # as `wik bank match 37` expects
    r = run_cli("import", str(home / "facturen.csv"), env=env)
    assert r.exit_code == 0 and "Added 1 invoice(s) and 1 new client(s)" in r.stdout, r.stderr


def test_go_on_with_names_the_wik_that_ran(tmp_path, monkeypatch):
    """Right after the README's install `wik` is not on the PATH: the demo's last line names
    the program as it was started; once `wik` finds this very program, plain `wik`."""
    from wikcli.cli import demo

    bindir = tmp_path / "venv" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "wik").write_text("#!/bin/sh\n")
    (bindir / "wik").chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("sys.argv", ["venv/bin/wik", "demo"])
    assert demo.invocation() == "venv/bin/wik"
    monkeypatch.setenv("PATH", str(bindir))
    assert demo.invocation() == "wik"
    monkeypatch.setattr("sys.argv", ["/my dir/wik", "demo"])
    assert demo.invocation() == "'/my dir/wik'"

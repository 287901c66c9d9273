"""Letters and costs claim what the law allows, and nothing more: the six ways the ledger and
the letters used to overclaim, each replayed through the commands with --today, and the
guard rails around them. Letters go by e-mail unless the case is about post, so that the
dates follow from the Algemene termijnenwet alone (received the day they are sent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import norm, pdf_pages
from test_cli_ledger import _ok, init_home


def journal(home) -> bytes:
    return (Path(home) / "journal.jsonl").read_bytes()


def events(home) -> list[dict]:
    return [json.loads(x) for x in journal(home).decode().splitlines()[1:]]


def show(home, number, today) -> dict:
    return _ok("invoice", "show", number, "--json", "--home", home, "--today", today).json()


def pdf(path) -> str:
    return norm(" ".join(pdf_pages(Path(path).read_bytes())))


def letter(home, *args) -> dict:
    return _ok("letter", *args, "--home", home, "--json").json()


def refused(home, *args) -> str:
    before = journal(home)
    r = run_cli(*args, "--home", home)
    assert r.exit_code == 2, (args, r.stdout, r.stderr)
    assert journal(home) == before
    assert r.stderr.startswith("wik: error: ") and r.stderr.count("\n") == 1
    return r.stderr[len("wik: error: "):].strip()


@pytest.fixture
def kor(tmp_path):
    """A creditor under the small-business scheme: collection costs get 21% VAT."""
    return init_home(tmp_path, "--no-vat-deductible")


# --- 1. no WIK-letter before default ---------------------------------------------------------


def test_wik_letter_before_the_due_date_is_refused_and_claims_nothing(kor):
    _ok("client", "add", "v", "--name", "V. Consument", "--home", kor)
    _ok("invoice", "add", "V-1", "--client", "v", "--amount", "600", "--date", "2026-04-01", "--term", "30",
        "--home", kor)
    assert show(kor, "V-1", "2026-04-01")["due"] == "2026-05-01"
    msg = refused(kor, "letter", "V-1", "--kind", "wik", "--sent", "2026-04-02", "--today", "2026-04-02")
    assert msg == ("invoice 'V-1' is not in default until 2026-05-02: a WIK-letter can only follow default "
                   "(art. 6:96 lid 6 BW)")
    assert refused(kor, "sent", "V-1", "--kind", "wik", "--date", "2026-04-02", "--today", "2026-04-02") == msg
    d = show(kor, "V-1", "2026-05-02")
    # nothing was announced: no costs are owed, and none will become owed
    assert (d["costs_owed"], d["costs_due_from"], d["total_due"]) == (False, None, "600.07")
    assert show(kor, "V-1", "2026-12-31")["costs_owed"] is False
    # on 2 May the invoice is in default and the WIK-letter is allowed
    letter(kor, "V-1", "--kind", "wik", "--sent", "2026-05-02", "--via", "email", "--today", "2026-05-02")


# --- 2. a reminder demands only what is due ---------------------------------------------------


def test_reminder_for_one_invoice_claims_only_that_invoice(kor):
    _ok("client", "add", "r", "--name", "R", "--home", kor)
    _ok("invoice", "add", "R-1", "--client", "r", "--amount", "300", "--date", "2026-02-01", "--due", "2026-03-02",
        "--home", kor)
    _ok("invoice", "add", "R-2", "--client", "r", "--amount", "700", "--date", "2026-03-01", "--due", "2026-03-31",
        "--home", kor)
    d = letter(kor, "R-1", "--today", "2026-03-12")
    assert d["kind"] == "reminder" and d["invoices"] == ["R-1"]
    t = pdf(d["path"])
    # 300.00 and 3-12 March at 4% (10 days: 0.33); R-2 is not due, and not in the letter
    assert "R-2" not in t and "€ 700,00" not in t
    assert "Totaal te betalen € 300,33" in t and "Bedrag: € 300,33" in t


# --- 3. one WIK-letter, one staffel, for a consumer's several invoices ------------------------


def test_consumer_several_invoices_one_letter_one_staffel(kor):
    _ok("client", "add", "c", "--name", "C. Consument", "--home", kor)
    for n in ("C-1", "C-2", "C-3"):
        _ok("invoice", "add", n, "--client", "c", "--amount", "100", "--date", "2026-01-05", "--due", "2026-02-04",
            "--home", kor)
    # A letter for one of them warns that one letter for all costs the consumer less.
    r = run_cli("letter", "C-1", "--kind", "wik", "--via", "email", "--home", kor, "--today", "2026-03-02")
    assert r.exit_code == 0
    assert ("client 'c' has 2 more invoices this WIK-letter could cover (C-2, C-3): separate letters each add "
            "a staffel, which costs a consumer more; one letter for all: `wik letter --client c --kind wik`") in r.stderr
    d = letter(kor, "--client", "c", "--kind", "wik", "--sent", "2026-03-02", "--via", "email",
               "--today", "2026-03-02")
    assert d["invoices"] == ["C-1", "C-2", "C-3"]
    t = pdf(d["path"])
    # 15% of 300.00 = 45.00 + 21% VAT 9.45 = 54.45 (three letters would be 3 x 48.40)
    assert "incassokosten verschuldigd van € 54,45 inclusief btw (€ 45,00 incassokosten en € 9,45 btw)" in t
    assert "Aanmaning 3 facturen" in t
    # One payment reference for the letter's claim: an RF reference over a hash of its invoices,
    # kind and date (their numbers stay in the text).
    assert "onder vermelding van betalingskenmerk RF77 97E6 6649 F142 (facturen C-1, C-2, C-3)" in t
    sent = [e for e in events(kor) if e["type"] == "letter-sent"]
    assert [(e["invoice"], e["data"]["announces"]) for e in sent] == [
        ("C-1", {"costs": "15.00", "vat": "3.15"}), ("C-2", {"costs": "15.00", "vat": "3.15"}),
        ("C-3", {"costs": "15.00", "vat": "3.15"})]
    assert len({e["data"]["letter"] for e in sent}) == 1
    assert sent[0]["data"]["claim"]["costs_announced"] == {
        "principal": "300.00", "costs": "45.00", "vat": "9.45", "vat_rate": "0.21"}
    # received 2 March, 14 days: 16 March; owed from 17 March, 18.15 on each invoice
    for n in ("C-1", "C-2", "C-3"):
        s = show(kor, n, "2026-03-17")
        assert (s["costs_owed"], s["costs"], s["costs_due_from"], s["step"]) == (True, "18.15", "2026-03-17", 4)
        assert show(kor, n, "2026-03-16")["costs_owed"] is False
    # A second WIK-letter announces nothing more.
    msg = refused(kor, "letter", "C-2", "--kind", "wik", "--via", "email", "--today", "2026-03-20")
    assert "its collection costs were announced by the WIK-letter of 2026-03-02" in msg


def test_partial_payment_inside_the_term_lowers_the_claims_staffel(kor):
    _ok("client", "add", "c", "--name", "C", "--home", kor)
    for n, amount in (("P-1", "2000"), ("P-2", "1000")):
        _ok("invoice", "add", n, "--client", "c", "--amount", amount, "--date", "2026-01-05", "--due", "2026-02-04",
            "--home", kor)
    letter(kor, "P-1", "P-2", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    # announced: 15% of 2500 + 10% of 500 = 425.00 + 89.25 VAT = 514.25, split 2:1
    assert [e["data"]["announces"] for e in events(kor) if e["type"] == "letter-sent"] == [
        {"costs": "283.33", "vat": "59.50"}, {"costs": "141.67", "vat": "29.75"}]
    # 1000.00 paid on P-1 inside the term: the staffel over the 2000.00 left is 300.00 + 63.00
    # = 363.00, the claim's costs (below the 514.25 announced), shared 1000:1000 by what is
    # left of each: 181.50 each (P-2 above its 171.42 share of the announcement: the costs
    # are the claim's).
    _ok("pay", "P-1", "1000", "--date", "2026-03-10", "--home", kor, "--today", "2026-03-10")
    one, two = show(kor, "P-1", "2026-03-17"), show(kor, "P-2", "2026-03-17")
    assert (one["costs"], two["costs"]) == ("181.50", "181.50")
    assert one["costs_owed"] and two["costs_owed"]


def test_joint_letter_one_invoice_paid_in_the_term_the_other_owes_the_staffel_over_itself(kor):
    # The figures: a consumer WIK-letter over A (1.000,00) and B (2.000,00) announced
    # one staffel, 425,00 + 89,25 VAT; A is paid in the term; B then owes the staffel over the
    # 2.000,00 left, 300,00 + 63,00 VAT = 363,00, not its 342,83 share of the announcement.
    _ok("client", "add", "c", "--name", "C", "--home", kor)
    _ok("invoice", "add", "A", "--client", "c", "--amount", "1000", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    _ok("invoice", "add", "B", "--client", "c", "--amount", "2000", "--date", "2026-01-06", "--due", "2026-02-05",
        "--home", kor)
    letter(kor, "A", "B", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    assert [e["data"]["announces"] for e in events(kor) if e["type"] == "letter-sent"] == [
        {"costs": "141.67", "vat": "29.75"}, {"costs": "283.33", "vat": "59.50"}]
    _ok("pay", "A", "1000", "--date", "2026-03-10", "--home", kor, "--today", "2026-03-10")
    a, b = show(kor, "A", "2026-03-17"), show(kor, "B", "2026-03-17")
    assert (a["closed"], a["costs"]) == ("paid", "0.00")
    text = _ok("invoice", "show", "A", "--home", kor, "--today", "2026-03-17").stdout
    assert "  collection costs         € 0,00  (none owed: the claim was paid within the letter's term)\n" in text
    assert (b["costs_owed"], b["costs"], b["costs_charged"]) == (True, "363.00", "363.00")


# --- 4. costs follow the letter, not today's config -------------------------------------------


def test_costs_stay_what_the_letter_announced_when_the_vat_setting_changes(tmp_path):
    home = init_home(tmp_path)  # VAT-registered: costs without VAT
    _ok("client", "add", "k", "--name", "K", "--home", home)
    _ok("invoice", "add", "K-1", "--client", "k", "--amount", "300", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", home)
    d = letter(home, "K-1", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    assert "€ 45,00 (exclusief btw" in pdf(d["path"])
    # The freelancer joins the KOR: the config now says costs get VAT.
    _ok("init", "--home", home, "--force", "--no-vat-deductible")
    s = show(home, "K-1", "2026-03-20")
    assert (s["costs_owed"], s["costs"]) == (True, "45.00")  # not 54.45
    d = letter(home, "K-1", "--kind", "default", "--sent", "2026-03-20", "--via", "email", "--today", "2026-03-20")
    t = pdf(d["path"])
    assert "Buitengerechtelijke incassokosten € 45,00 € 0,00 € 45,00" in t
    assert "54,45" not in t


# --- 5. a business's costs are named before they are owed --------------------------------------


def test_business_skipping_steps_the_notice_of_default_names_the_costs(tmp_path):
    home = init_home(tmp_path)
    cfg = Path(home) / "config.toml"
    cfg.write_text(cfg.read_text().replace("business_skips_steps = false", "business_skips_steps = true"))
    _ok("client", "add", "b", "--name", "B B.V.", "--type", "business", "--home", home)
    _ok("invoice", "add", "B-1", "--client", "b", "--amount", "200", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", home)
    _ok("sent", "B-1", "--kind", "reminder", "--via", "email", "--date", "2026-02-09", "--home", home,
        "--today", "2026-02-09")
    s = show(home, "B-1", "2026-02-24")
    assert s["next_action"] == "send-notice-of-default" and s["costs_owed"] is False
    d = letter(home, "B-1", "--sent", "2026-02-24", "--via", "email", "--today", "2026-02-24")
    assert d["kind"] == "default"
    t = pdf(d["path"])
    assert "U bent dan bovendien buitengerechtelijke incassokosten verschuldigd van € 40,00 (exclusief btw)" in t
    # 8 days from 24 February: 4 March; the costs are owed from 5 March, as announced
    assert show(home, "B-1", "2026-03-04")["costs_owed"] is False
    s = show(home, "B-1", "2026-03-05")
    assert (s["costs_owed"], s["costs"]) == (True, "40.00")
    r = _ok("handover", "B-1", "--home", home, "--today", "2026-03-05", "--json")
    dossier = json.loads((Path(r.json()["folder"]) / "dossier.json").read_text())
    assert (dossier["owed"]["costs"]["owed"], dossier["owed"]["costs"]["costs_incl_vat"]) == (True, "40.00")


def test_consumer_notice_of_default_without_a_wik_letter_claims_no_costs(kor):
    _ok("client", "add", "c", "--name", "C", "--home", kor)
    _ok("invoice", "add", "N-1", "--client", "c", "--amount", "200", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    # Refused: the costs would be lost for good; --force sends it anyway and says so in the record.
    assert refused(kor, "letter", "N-1", "--kind", "default", "--sent", "2026-02-24", "--via", "email",
                   "--today", "2026-02-24") == (
        "invoice 'N-1' has no WIK-letter whose term has run: a consumer's notice of default before "
        "it loses the collection costs for good (art. 6:96 lid 6 BW): send the WIK-letter first (`wik letter "
        "N-1 --kind wik`), or add --force (recorded)")
    d = letter(kor, "N-1", "--kind", "default", "--sent", "2026-02-24", "--via", "email", "--today", "2026-02-24",
               "--force")
    assert "incassokosten" not in pdf(d["path"]).lower()
    assert show(kor, "N-1", "2026-06-01")["costs_owed"] is False
    assert [e["data"].get("forced") for e in events(kor) if e["type"] == "letter-sent"] == [True]


# --- 6. every letter adds up -------------------------------------------------------------------


def test_notice_of_default_after_a_payment_to_the_costs_adds_up(kor):
    _ok("client", "add", "z", "--name", "Z", "--home", kor)
    _ok("invoice", "add", "Z-1", "--client", "z", "--amount", "450", "--date", "2026-03-02", "--due", "2026-04-01",
        "--home", kor)
    _ok("sent", "Z-1", "--kind", "reminder", "--via", "email", "--date", "2026-04-07", "--home", kor,
        "--today", "2026-04-07")
    letter(kor, "Z-1", "--kind", "wik", "--sent", "2026-04-28", "--via", "email", "--today", "2026-04-28")
    # received 28 April, 14 days: 12 May; costs 15% of 450 = 67.50 + 14.18 VAT = 81.68 from 13 May
    _ok("pay", "Z-1", "50", "--date", "2026-05-20", "--home", kor, "--today", "2026-05-20")
    s = show(kor, "Z-1", "2026-05-26")
    assert s["allocations"][0] | {"seq": 0} == {"seq": 0, "date": "2026-05-20", "amount": "50.00", "costs": "50.00",
                                                "interest": "0.00", "principal": "0.00", "credit": "0.00"}
    d = letter(kor, "Z-1", "--kind", "default", "--sent", "2026-05-26", "--via", "email", "--today", "2026-05-26")
    t = pdf(d["path"])
    # interest 2 April - 26 May, 55 days at 4% on 450.00 = 2.71; 450 + 31.68 + 2.71 = 484.39
    for row in ("Z-1 02-03-2026 01-04-2026 € 450,00 € 0,00 € 450,00",
                "Buitengerechtelijke incassokosten (incl. € 14,18 btw) € 81,68 € 50,00 € 31,68",
                "Wettelijke rente t/m 26 mei 2026 € 2,71 € 0,00 € 2,71",
                "Totaal te betalen € 484,39",
                "totaalbedrag van € 484,39",
                "Bedrag: € 484,39"):
        assert row in t, row
    assert show(kor, "Z-1", "2026-05-26")["total_due"] == "484.39"
    # Sent by e-mail: no AANGETEKEND, whatever the amount.
    assert "AANGETEKEND" not in t


def test_registered_only_for_a_letter_that_goes_by_post(kor):
    _ok("client", "add", "g", "--name", "G", "--home", kor)
    _ok("invoice", "add", "G-1", "--client", "g", "--amount", "5000", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    post = letter(kor, "G-1", "--kind", "default", "--today", "2026-03-02", "--force")
    mail = letter(kor, "G-1", "--kind", "default", "--via", "email", "--today", "2026-03-02", "--force")
    assert "AANGETEKEND" in pdf(post["path"]) and "AANGETEKEND" not in pdf(mail["path"])


# --- guard rails and corrections -----------------------------------------------------------------


@pytest.fixture
def one(kor):
    _ok("client", "add", "j", "--name", "J", "--home", kor)
    _ok("invoice", "add", "J-1", "--client", "j", "--amount", "1000", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    return kor


def test_facts_dated_after_today_are_refused(one):
    assert refused(one, "pay", "J-1", "10", "--date", "2026-03-02", "--today", "2026-03-01") == (
        "payment date 2026-03-02 is after today 2026-03-01: record it once it has happened")
    assert "note date 2026-03-02 is after today" in refused(one, "note", "J-1", "belt", "--date", "2026-03-02",
                                                            "--today", "2026-03-01")
    assert refused(one, "letter", "J-1", "--sent", "2026-03-02", "--today", "2026-03-01") == (
        "letter date 2026-03-02 is after today 2026-03-01: record a letter once it has gone out")
    # a plan's installments lie in the future, and a promise may too
    _ok("note", "J-1", "belt", "--promise", "2026-03-20", "--home", one, "--today", "2026-03-01")


def test_void_corrects_a_payment_and_shows_it(one):
    _ok("pay", "J-1", "400", "--date", "2026-02-10", "--home", one, "--today", "2026-02-10")
    seq = events(one)[-1]["seq"]
    assert show(one, "J-1", "2026-02-11")["principal_open"] == "600.00"
    _ok("void", str(seq), "--reason", "booked on the wrong invoice", "--home", one, "--today", "2026-02-12")
    d = show(one, "J-1", "2026-02-12")
    assert d["principal_open"] == "1000.00" and d["paid"] == "0.00"
    entry = next(e for e in d["timeline"] if e["seq"] == seq)
    assert entry["voided"] == {"date": "2026-02-12", "reason": "booked on the wrong invoice", "by": seq + 1}
    text = _ok("invoice", "show", "J-1", "--home", one, "--today", "2026-02-12").stdout
    assert f"#{seq:<5} 2026-02-10  payment          € 400,00  [VOIDED 2026-02-12: booked on the wrong invoice]" in text
    # replayed before the void, the payment still counts; a void cannot be voided twice
    assert show(one, "J-1", "2026-02-11")["principal_open"] == "600.00"
    assert refused(one, "void", str(seq), "--reason", "again", "--today", "2026-02-13") == (
        f"event {seq} was already voided on 2026-02-12")
    assert refused(one, "void", "1", "--reason", "x", "--today", "2026-02-13") == (
        "event 1 is not an event of an invoice: see the numbers in `wik invoice show`")


def test_voiding_a_letter_voids_it_on_every_invoice_it_covers(one):
    _ok("invoice", "add", "J-2", "--client", "j", "--amount", "500", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", one)
    letter(one, "J-1", "J-2", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    seq = next(e["seq"] for e in events(one) if e["type"] == "letter-sent")
    _ok("void", str(seq), "--reason", "never sent", "--home", one, "--today", "2026-03-03")
    voids = [e for e in events(one) if e["type"] == "voided"]
    assert [(e["invoice"], e["data"]["type"]) for e in voids] == [("J-1", "letter-sent"), ("J-2", "letter-sent")]
    for n in ("J-1", "J-2"):
        s = show(one, n, "2026-04-01")
        assert (s["step"], s["costs_owed"]) == (1, False)


def test_close_as_paid_with_money_open_needs_force(one):
    assert refused(one, "close", "J-1", "--reason", "paid", "--today", "2026-02-10") == (
        "invoice 'J-1' still has € 1.000,66 open on 2026-02-10: record the payment with `wik pay`, close it "
        "with another reason, or add --force (recorded)")
    _ok("close", "J-1", "--reason", "paid", "--force", "--home", one, "--today", "2026-02-10")
    assert events(one)[-1]["data"] == {"date": "2026-02-10", "reason": "paid", "forced": True, "open": "1000.66"}


def test_handover_waits_for_the_notice_of_default(one):
    assert refused(one, "handover", "J-1", "--today", "2026-03-02") == (
        "invoice 'J-1' has no notice of default: send one first (`wik letter J-1 --kind default`), or add "
        "--force (recorded)")
    letter(one, "J-1", "--kind", "default", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02",
           "--force")
    assert refused(one, "handover", "J-1", "--today", "2026-03-10") == (
        "invoice 'J-1': the notice of default of 2026-03-02 gives the debtor until 2026-03-10: hand it over from "
        "2026-03-11, or add --force (recorded)")
    _ok("handover", "J-1", "--home", one, "--today", "2026-03-11")
    # a payment can still arrive after the hand-over, and after a write-off
    _ok("pay", "J-1", "100", "--date", "2026-03-20", "--home", one, "--today", "2026-03-20")
    _ok("close", "J-1", "--reason", "written-off", "--home", one, "--today", "2026-03-21")
    _ok("pay", "J-1", "50", "--date", "2026-03-25", "--home", one, "--today", "2026-03-25")
    assert show(one, "J-1", "2026-03-25")["paid"] == "150.00"


def test_a_second_plan_needs_replace_and_a_waived_plan_stops_the_interest(one):
    r = _ok("plan", "J-1", "--installments", "2", "--first", "2026-03-01", "--home", one, "--today", "2026-02-20",
            "--json").json()
    assert r[0]["data"]["interest"] == "included"
    assert refused(one, "plan", "J-1", "--installments", "4", "--first", "2026-03-01", "--today", "2026-02-21") == (
        "invoice 'J-1' already has a payment plan (agreed 2026-02-20): add --replace to agree a new one in its place")
    r = _ok("plan", "J-1", "--installments", "2", "--first", "2026-03-01", "--waive-interest", "--replace",
            "--home", one, "--today", "2026-02-21", "--json").json()
    # 1000.00 and the interest until the plan's day, 5-20 Feb at 4% (16 days: 1.75); from 21
    # February through the last installment the interest is waived
    assert r[0]["data"]["interest"] == "waived" and r[0]["data"]["total"] == "1001.75"
    assert [i["amount"] for i in r[0]["data"]["installments"]] == ["500.88", "500.87"]
    assert show(one, "J-1", "2026-03-25")["interest"] == "1.75"
    for day, amount in (("2026-03-01", "500,88"), ("2026-04-01", "500,87")):
        _ok("pay", "J-1", amount, "--date", day, "--home", one, "--today", day)
    d = show(one, "J-1", "2026-04-01")
    assert (d["closed"], d["total_due"], d["next_action"]) == ("paid", "0.00", "none")


def test_a_missed_installment_gets_a_reminder_that_names_it(one):
    _ok("plan", "J-1", "--installments", "2", "--first", "2026-03-01", "--waive-interest", "--home", one,
        "--today", "2026-02-21")
    s = show(one, "J-1", "2026-03-05")
    assert (s["next_action"], s["action_due"]) == ("chase-installment", "2026-03-02")
    # a plan that is being kept gets no letter; a missed installment does
    assert "payment plan that is being kept" in refused(one, "letter", "J-1", "--kind", "wik", "--today", "2026-02-25")
    d = letter(one, "J-1", "--via", "email", "--today", "2026-03-05")
    assert d["kind"] == "reminder"
    t = pdf(d["path"])
    assert "termijn van de betalingsregeling voor factuur J-1 die op 1 maart 2026 betaald moest worden" in t
    assert "achterstallige bedrag van € 500,88" in t and "Bedrag: € 500,88" in t
    assert "Totaal te betalen € 1.001,75" in t


def test_sent_records_the_letter_wik_rendered_with_its_copy(one):
    d = letter(one, "J-1", "--kind", "wik", "--via", "email", "--today", "2026-03-02")
    assert d["sent"] is False
    r = _ok("sent", "J-1", "--kind", "wik", "--via", "email", "--date", "2026-03-02", "--home", one,
            "--today", "2026-03-05")
    assert f"(archived copy {Path(d['archived']).name})" in r.stdout
    sent = [e for e in events(one) if e["type"] == "letter-sent"]
    assert sent[0]["data"]["file"] == Path(d["archived"]).name and sent[0]["data"]["sha256"] == d["sha256"]


def test_sent_by_post_of_a_letter_rendered_for_email_is_refused(one):
    letter(one, "J-1", "--kind", "wik", "--via", "email", "--today", "2026-03-02")
    msg = refused(one, "sent", "J-1", "--kind", "wik", "--via", "post", "--date", "2026-03-02",
                  "--today", "2026-03-05")
    assert msg.startswith("the letter J-1-wik-2026-03-02.pdf names 2026-03-16 as its last day, before the ")
    assert msg.endswith("render it again with --via post")


def test_letters_for_different_clients_are_refused(one):
    _ok("client", "add", "k", "--name", "K", "--home", one)
    _ok("invoice", "add", "K-1", "--client", "k", "--amount", "10", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", one)
    assert refused(one, "letter", "J-1", "K-1", "--kind", "reminder", "--today", "2026-03-02") == (
        "invoices of different clients cannot share a letter: J-1 (j), K-1 (k)")


def test_a_rendered_notice_recorded_with_sent_reaches_the_dossier_with_its_copy(one):
    d = letter(one, "J-1", "--kind", "default", "--via", "email", "--today", "2026-03-02", "--force")
    _ok("sent", "J-1", "--kind", "ingebrekestelling", "--via", "email", "--date", "2026-03-02", "--home", one,
        "--today", "2026-03-03", "--force")
    r = _ok("handover", "J-1", "--home", one, "--today", "2026-03-11", "--json", "--lang", "en").json()
    dossier = json.loads((Path(r["folder"]) / "dossier.json").read_text())
    assert dossier["letters"] == [{"kind": "default", "date": "2026-03-02", "file": Path(d["archived"]).name,
                                   "sha256": d["sha256"], "sent": True, "via": "email"}]
    assert Path(d["archived"]).name in r["files"]
    assert "(no archived copy)" not in pdf(Path(r["folder"]) / "dossier.pdf")


def test_a_payment_on_a_joint_claim_pays_all_costs_then_interest_then_principal(kor):
    # Art. 6:44 BW over the claim as a whole: a payment of 400,00 on V1 after the WIK-letter's
    # term pays the costs of V1 and V2 (217,80: 180,00 + 37,80 VAT over 1.200,00), then their
    # interest (2,41 + 3,30), then V1's principal (176,49): never V1's principal before V2's costs.
    _ok("client", "add", "p", "--name", "Piet", "--type", "consumer", "--home", kor)
    _ok("invoice", "add", "V1", "--client", "p", "--amount", "500", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    _ok("invoice", "add", "V2", "--client", "p", "--amount", "700", "--date", "2026-01-06", "--due", "2026-02-05",
        "--home", kor)
    letter(kor, "V1", "V2", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    r = run_cli("pay", "V1", "2000", "--date", "2026-03-20", "--home", kor, "--today", "2026-03-20")
    assert (r.exit_code, r.stderr) == (2, "wik: error: payment € 2.000,00 on invoice 'V1' is more than the "
                                          "€ 1.423,51 due on 2026-03-20 on the claim of invoices V1, V2: add "
                                          "--allow-overpayment to record the rest as credit\n")
    done = _ok("pay", "V1", "400", "--date", "2026-03-20", "--json", "--home", kor, "--today", "2026-03-20").json()
    claim = {"invoices": ["V1", "V2"], "amount": "400.00", "paid_on": "V1"}
    assert [(e["invoice"], e["data"]) for e in done] == [
        ("V1", {"amount": "269.65", "date": "2026-03-20", "claim": claim}),
        ("V2", {"amount": "130.35", "date": "2026-03-20", "claim": claim})]
    one, two = show(kor, "V1", "2026-03-20"), show(kor, "V2", "2026-03-20")
    assert [(x["costs"], x["interest"], x["principal"]) for x in one["allocations"]] == [("90.75", "2.41", "176.49")]
    assert [(x["costs"], x["interest"], x["principal"]) for x in two["allocations"]] == [("127.05", "3.30", "0.00")]
    assert (one["total_due"], two["total_due"]) == ("323.51", "700.00")


def test_the_dossier_of_an_invoice_of_a_joint_letter_names_its_costs_a_share(kor):
    _ok("client", "add", "p", "--name", "Piet", "--type", "consumer", "--home", kor)
    _ok("invoice", "add", "V1", "--client", "p", "--amount", "500", "--date", "2026-01-05", "--due", "2026-02-04",
        "--home", kor)
    _ok("invoice", "add", "V2", "--client", "p", "--amount", "700", "--date", "2026-01-06", "--due", "2026-02-05",
        "--home", kor)
    letter(kor, "V1", "V2", "--kind", "wik", "--sent", "2026-03-02", "--via", "email", "--today", "2026-03-02")
    r = _ok("handover", "V2", "--force", "--json", "--home", kor, "--today", "2026-03-20").json()
    folder = Path(r["folder"])
    costs = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))["owed"]["costs"]
    assert (costs["claim_invoices"], costs["costs_incl_vat"]) == (["V1", "V2"], "127.05")
    t = pdf(folder / "dossier.pdf")
    # The staffel over the claim's 1.200,00 (180,00 + 37,80 VAT), then V2's share, 700/1200 of it.
    assert "van € 0,00 tot € 2.500,00 15,0% € 1.200,00 € 180,00" in t
    assert "Aandeel van factuur V2 in deze kosten (één vordering met factuur V1) € 127,05" in t

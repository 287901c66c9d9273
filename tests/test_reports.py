"""`wik report` and `wik statement` on a ledger built through the commands: every figure is the
sum of what `wik invoice show` says for the same day, and the CSV reads back as the JSON."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal as D
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run_cli
from lettercases import pdf_pages
from test_cli_ledger import init_home

TODAY = "2026-11-25"


def _ok(*args):
    r = run_cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def _fail(*args) -> str:
    r = run_cli(*args)
    assert r.exit_code == 2, (args, r.stdout)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """Consumers and a business; costs with 21% VAT (the creditor cannot deduct it); payments
    before and after the costs were owed, an overpayment, a voided payment, kept and broken
    promises, invoices paid, open, and not yet due."""
    h = init_home(tmp_path_factory.mktemp("reports"), "--no-vat-deductible")

    def ok(*args):
        r = run_cli(*args, "--home", h, env={"WIK_TODAY": TODAY})
        assert r.exit_code == 0, (args, r.stderr)
        return r
    ok("client", "add", "jan", "--name", "Jan Jansen", "--type", "consumer", "--address", "Dorpsstraat 1",
       "--postcode", "1234 AB", "--city", "Utrecht", "--email", "jan@example.nl")
    ok("client", "add", "bouw", "--name", "Bouw Één BV", "--type", "business", "--email", "ap@bouw.nl")
    ok("client", "add", "piet", "--name", "Piet Puk", "--type", "consumer")
    ok("client", "add", "kees", "--name", "Kees Zonder Mail", "--type", "consumer")
    for number, client, amount, day, due in (
            ("R-01", "jan", "150", "2026-05-01", "2026-05-31"),
            ("R-02", "jan", "1.000,00", "2026-06-01", "2026-07-01"),
            ("R-03", "bouw", "2.500,00", "2026-08-01", "2026-08-31"),
            ("R-04", "piet", "100", "2026-09-01", "2026-10-01"),
            ("R-05", "piet", "300", "2026-10-01", "2026-10-31"),
            ("R-06", "bouw", "800", "2026-11-01", "2026-12-01"),
            ("R-07", "jan", "400", "2026-11-10", "2026-12-10"),
            ("R-08", "kees", "60", "2026-12-01", "2026-12-31")):  # after TODAY: in no report
        ok("invoice", "add", number, "--client", client, "--amount", amount, "--date", day, "--due", due)
    # a promise, kept with a day to spare.
    ok("note", "R-01", "Betaalt voor half juni", "--promise", "2026-06-15", "--date", "2026-06-05")
    ok("pay", "R-01", "150", "--date", "2026-06-14")
    # a WIK-letter announces 181.50 costs (150 + 31.50 VAT); two payments after its term
    # pay costs first (art. 6:44 BW), then interest, then principal.
    ok("sent", "R-02", "--kind", "wik", "--via", "post", "--date", "2026-07-10")
    ok("pay", "R-02", "100", "--date", "2026-09-01")
    ok("pay", "R-02", "300", "--date", "2026-10-05")
    # part paid before any costs; a promise broken.
    ok("pay", "R-03", "500", "--date", "2026-09-15")
    ok("note", "R-03", "Belofte", "--promise", "2026-10-01", "--date", "2026-09-20")
    # paid late and too much (the rest is credit); R-05 paid early.
    ok("pay", "R-04", "120", "--date", "2026-10-10", "--allow-overpayment")
    ok("pay", "R-05", "300", "--date", "2026-10-20")
    # A payment booked on the wrong invoice, voided: in no report.
    wrong = ok("pay", "R-06", "50", "--date", "2026-11-20", "--json").json()[0]["seq"]
    ok("void", str(wrong), "--reason", "wrong invoice")
    return h


def report(h, *args, today=TODAY):
    return _ok("report", *args, "--json", "--home", h, "--today", today).json()


def show(h, number, today=TODAY):
    return _ok("invoice", "show", number, "--json", "--home", h, "--today", today).json()


def journal(h):
    return [json.loads(x) for x in (Path(h) / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1:]]


def money(rows, key):
    return sum((D(r[key]) for r in rows), D("0.00"))


def test_ageing_totals_are_the_sums_of_invoice_show(book):
    r = report(book, "ageing")
    shown = [show(book, x["invoice"]) for x in _ok("status", "--json", "--home", book, "--today", TODAY).json()]
    assert sorted(s["invoice"] for s in shown) == sorted(x["invoice"] for x in r["invoices"]) \
        == ["R-02", "R-03", "R-06", "R-07"]
    owed = [s for s in shown if s["costs_owed"]]
    assert r["total"] == {
        "invoices": 4, "principal_open": str(money(shown, "principal_open")),
        "costs": str(money(owed, "costs")), "interest": str(money(shown, "interest")),
        "total_due": str(money(shown, "total_due"))}
    by = {x["invoice"]: x for x in r["invoices"]}
    for s in shown:
        x = by[s["invoice"]]
        assert (x["principal_open"], x["interest"], x["total_due"]) == (
            s["principal_open"], s["interest"], s["total_due"])
        assert x["costs"] == (s["costs"] if s["costs_owed"] else "0.00")
    # days past the due date decide the bucket
    assert [(x["invoice"], x["days_past_due"], x["bucket"]) for x in r["invoices"]] == [
        ("R-02", 147, "over-90"), ("R-03", 86, "61-90"), ("R-06", -6, "not-due"), ("R-07", -15, "not-due")]
    buckets = {b["bucket"]: b for b in r["buckets"]}
    assert [b["bucket"] for b in r["buckets"]] == ["not-due", "1-30", "31-60", "61-90", "over-90"]
    assert (buckets["not-due"]["invoices"], buckets["not-due"]["principal_open"]) == (2, "1200.00")
    assert buckets["1-30"]["principal_open"] == buckets["31-60"]["principal_open"] == "0.00"
    assert buckets["61-90"]["principal_open"] == "2000.00"
    # 100 + 300 paid 181.50 costs and the interest accrued, the rest the principal
    assert D(buckets["over-90"]["principal_open"]) == D(show(book, "R-02")["principal_open"])
    assert D(buckets["over-90"]["costs"]) == 0  # the costs are paid
    # per client, largest total due first; their buckets add up to the totals
    assert [c["client"] for c in r["clients"]] == ["bouw", "jan"]
    assert D(r["clients"][0]["total_due"]) > D(r["clients"][1]["total_due"])
    for key in ("principal_open", "costs", "interest", "total_due"):
        assert money(r["clients"], key) == D(r["total"][key])
        assert money(r["buckets"], key) == D(r["total"][key])


def test_ageing_on_an_earlier_day_is_the_ledger_as_it_was(book):
    r = report(book, "ageing", "--on", "2026-09-30")
    shown = {n: show(book, n, "2026-09-30") for n in ("R-02", "R-03", "R-04")}
    assert [x["invoice"] for x in r["invoices"]] == ["R-02", "R-03", "R-04"]
    assert r["total"]["total_due"] == str(money(shown.values(), "total_due"))
    assert r["on"] == "2026-09-30"


def test_collected_parts_add_up_to_the_payments_recorded(book):
    r = report(book, "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "quarter")
    voided = {e["data"]["seq"] for e in journal(book) if e["type"] == "voided"}
    paid = [e for e in journal(book) if e["type"] == "payment" and e["seq"] not in voided]
    assert len(paid) == 6
    total = r["total"]
    assert (total["payments"], D(total["amount"])) == (6, money([p["data"] for p in paid], "amount"))
    assert D(total["amount"]) == D("1470.00")
    for row in [*r["periods"], total, *r["payments"]]:
        assert D(row["principal"]) + D(row["costs"]) + D(row["interest"]) + D(row["credit"]) == D(row["amount"])
    assert [(p["period"], p["from"], p["to"], p["payments"]) for p in r["periods"]] == [
        ("2026-Q1", "2026-01-01", "2026-03-31", 0), ("2026-Q2", "2026-04-01", "2026-06-30", 1),
        ("2026-Q3", "2026-07-01", "2026-09-30", 2), ("2026-Q4", "2026-10-01", "2026-12-31", 3)]
    # each payment split as `wik invoice show` allocates it
    for number in ("R-01", "R-02", "R-03", "R-04", "R-05"):
        s = show(book, number)
        mine = [x for x in r["payments"] if x["invoice"] == number]
        assert [(x["seq"], x["amount"], x["costs"], x["interest"], x["principal"], x["credit"]) for x in mine] == [
            (a["seq"], a["amount"], a["costs"], a["interest"], a["principal"], a["credit"]) for a in s["allocations"]]
        assert money(mine, "costs") == D(s["costs_paid"]) and money(mine, "interest") == D(s["interest_paid"])
    # the costs (181.50 incl. 31.50 VAT) were paid in two parts: the VAT in proportion, in
    # cents that add up to the VAT charged
    r02 = [x for x in r["payments"] if x["invoice"] == "R-02"]
    assert [(x["costs"], x["costs_vat"]) for x in r02] == [("100.00", "17.36"), ("81.50", "14.14")]
    assert (total["costs"], total["costs_vat"], total["costs_excl_vat"]) == ("181.50", "31.50", "150.00")
    # 100 principal, the interest of its 9 days late, the rest credit
    (r04,) = [x for x in r["payments"] if x["invoice"] == "R-04"]
    assert (r04["principal"], D(r04["interest"]) + D(r04["credit"])) == ("100.00", D("20.00"))
    assert D(r04["interest"]) > 0 and D(r04["credit"]) > 0


def test_collected_counts_only_the_period(book):
    r = report(book, "collected", "--from", "2026-10-01", "--to", "2026-10-31")
    assert [(p["period"], p["payments"], p["amount"]) for p in r["periods"]] == [("2026-10", 3, "720.00")]
    assert [x["date"] for x in r["payments"]] == ["2026-10-05", "2026-10-10", "2026-10-20"]
    mid = report(book, "collected", "--from", "2026-09-15", "--to", "2026-11-10", "--by", "month")
    assert [(p["period"], p["from"], p["to"]) for p in mid["periods"]] == [
        ("2026-09", "2026-09-15", "2026-09-30"), ("2026-10", "2026-10-01", "2026-10-31"),
        ("2026-11", "2026-11-01", "2026-11-10")]
    assert mid["total"]["payments"] == 4  # 500 on 15 September, three in October


def test_clients_report(book):
    r = report(book, "clients")
    c = {x["client"]: x for x in r["clients"]}
    assert list(c) == ["bouw", "jan", "piet"]
    every = [show(book, n) for n in ("R-01", "R-02", "R-03", "R-04", "R-05", "R-06", "R-07")]
    assert money(r["clients"], "invoiced") == money(every, "principal") == D("5250.00")
    assert money(r["clients"], "total_due") == money([s for s in every if not s["closed"]], "total_due")
    # R-01 paid in 44 days, 13 after its due date (due Sunday 31 May, moved to Monday 1 June:
    # Algemene termijnenwet); by the day promised
    assert (c["jan"]["invoices"], c["jan"]["open_invoices"], c["jan"]["paid_invoices"]) == (3, 2, 1)
    assert (c["jan"]["days_to_pay_avg"], c["jan"]["days_to_pay_max"], c["jan"]["days_late_avg"]) == (44.0, 44, 13.0)
    assert c["jan"]["promises"] == {"kept": 1, "broken": 0, "pending": 0}
    assert c["jan"]["steps"] == {"invoice": 2, "reminder": 0, "call": 0, "wik-letter": 1,
                                 "notice-of-default": 0, "handover": 0}
    # R-04 in 39 days (9 late), R-05 in 19 (early)
    assert (c["piet"]["days_to_pay_avg"], c["piet"]["days_to_pay_max"], c["piet"]["days_late_avg"],
            c["piet"]["paid_late"]) == (29.0, 39, 4.5, 1)
    assert c["bouw"]["promises"] == {"kept": 0, "broken": 1, "pending": 0}
    assert (c["bouw"]["paid_invoices"], c["bouw"]["days_to_pay_avg"]) == (0, None)


def _read_csv(text: str, sep: str) -> list[dict]:
    assert text.startswith("\ufeff")  # a spreadsheet reads the UTF-8 of "Één" right
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=sep))


@pytest.mark.parametrize("dialect,sep,point", [("nl", ";", ","), ("excel", ",", ".")])
def test_csv_reads_back_as_the_json(book, dialect, sep, point):
    base = ("--home", book, "--today", TODAY)
    if dialect == "excel":
        base += ("--csv-dialect", "excel")

    def amount(text: str) -> D:
        assert "." not in text if point == "," else "," not in text
        return D(text.replace(",", "."))

    rows = _read_csv(_ok("report", "ageing", "--by", "invoice", "--csv", *base).stdout, sep)
    r = report(book, "ageing")
    assert [x["invoice"] for x in rows] == [x["invoice"] for x in r["invoices"]]
    for got, want in zip(rows, r["invoices"]):
        assert got["due"] == want["due"] and int(got["days_past_due"]) == want["days_past_due"]
        for key in ("principal_open", "costs", "interest", "total_due"):
            assert amount(got[key]) == D(want[key])
    clients = _read_csv(_ok("report", "ageing", "--by", "client", "--csv", *base).stdout, sep)
    assert [x["name"] for x in clients] == ["Bouw Één BV", "Jan Jansen"]
    assert sum(amount(x["total_due"]) for x in clients) == D(r["total"]["total_due"])

    col = report(book, "collected", "--from", "2026-01-01", "--to", "2026-12-31")
    rows = _read_csv(_ok("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "payment",
                         "--csv", *base).stdout, sep)
    assert [(x["date"], x["invoice"], amount(x["amount"]), amount(x["costs_vat"])) for x in rows] == [
        (p["date"], p["invoice"], D(p["amount"]), D(p["costs_vat"])) for p in col["payments"]]
    rows = _read_csv(_ok("report", "collected", "--from", "2026-01-01", "--to", "2026-12-31", "--csv",
                         *base).stdout, sep)
    assert len(rows) == 12 and sum(amount(x["amount"]) for x in rows) == D("1470.00")

    rows = _read_csv(_ok("report", "clients", "--csv", *base).stdout, sep)
    piet = next(x for x in rows if x["client"] == "piet")
    assert piet["days_late_avg"] == f"4{point}5" and piet["days_to_pay_max"] == "39"
    assert next(x for x in rows if x["client"] == "bouw")["days_to_pay_avg"] == ""


def test_tables_print_the_totals(book):
    out = _ok("report", "ageing", "--home", book, "--today", TODAY).stdout
    total = report(book, "ageing")["total"]
    from wikcli.rules.money import format_eur

    last = out.rstrip().splitlines()[-1].split()
    assert last[:2] == ["Total", "4"] and "€ " + last[-1] == format_eur(D(total["total_due"]))
    assert "█" in out and "over 90 days" in out
    out = _ok("report", "ageing", "--by", "client", "--home", book, "--today", TODAY).stdout
    lines = out.splitlines()
    assert lines[3].startswith("bouw") and lines[4].startswith("jan")
    out = _ok("report", "collected", "--from", "2026-07-01", "--to", "2026-09-30", "--home", book,
              "--today", TODAY).stdout
    assert [x.split()[0] for x in out.splitlines()[3:6]] == ["2026-07", "2026-08", "2026-09"]
    assert out.rstrip().splitlines()[-1].split()[:3] == ["Total", "2", "€"]


def test_statement_pdf_holds_each_open_invoice_and_the_amount_due(book, monkeypatch):
    from wikcli.documents import page

    payloads = []

    class Spy(page.QRCode):
        def __init__(self, payload, size):
            payloads.append(payload)
            super().__init__(payload, size)

    monkeypatch.setattr(page, "QRCode", Spy)
    r = _ok("statement", "jan", "--json", "--home", book, "--today", TODAY).json()
    r02, r07 = show(book, "R-02"), show(book, "R-07")
    assert [x["invoice"] for x in r["invoices"]] == ["R-02", "R-07"]
    assert r["due_now"] == r02["total_due"] and r["not_due"] == r07["total_due"] == "400.00"
    assert D(r["total_open"]) == D(r02["total_due"]) + D(r07["total_due"])
    blob = Path(r["archived"]).read_bytes()
    assert hashlib.sha256(blob).hexdigest() == r["sha256"]
    text = " ".join(pdf_pages(blob))
    from wikcli.rules.money import format_eur

    for needle in ("Rekeningoverzicht per 25 november 2026", "Jan Jansen", "R-02", "R-07", "Vervallen",
                   "Nog niet vervallen", f"Totaal openstaand {format_eur(D(r['total_open']))}",
                   f"Nu te betalen {format_eur(D(r['due_now']))}", "Ontvangen betalingen",
                   "01-09-2026 R-02 € 100,00", "05-10-2026 R-02 € 300,00", "Kenmerk: R-02"):
        assert needle in text, needle
    (payload,) = payloads
    assert payload.splitlines()[6:] == ["NL91ABNA0417164300", f"EUR{r['due_now']}", "", "", "R-02"]
    # archived, and recorded with its SHA-256 (no fact of an invoice: the process is unchanged)
    ev = journal(book)[-1]
    assert ev["type"] == "statement-rendered" and ev["invoice"] is None
    assert ev["data"] == {"client": "jan", "date": TODAY, "lang": "nl", "invoices": ["R-02", "R-07"],
                          "total_open": r["total_open"], "due_now": r["due_now"], "not_due": "400.00",
                          "file": Path(r["archived"]).name, "sha256": r["sha256"], "via": None}
    assert Path(r["archived"]).parent == Path(book) / "statements"
    assert Path(r["archived"]).name.startswith("jan-statement-2026-11-25")
    # made again unchanged: the same bytes, the same file
    again = _ok("statement", "jan", "--json", "--home", book, "--today", TODAY).json()
    assert again["archived"] == r["archived"] and again["sha256"] == r["sha256"]


def test_statement_in_english_with_nothing_due_has_no_qr(book, tmp_path):
    out = tmp_path / "s.pdf"
    r = _ok("statement", "bouw", "--lang", "en", "--on", "2026-08-20", "--out", out, "--json",
            "--home", book, "--today", TODAY).json()
    assert r["path"] == str(out) and r["due_now"] == "0.00" and r["qr"] is False
    text = " ".join(pdf_pages(out.read_bytes()))
    assert "Statement of account as at 20 August 2026" in text and "Nothing is due at the moment." in text
    assert "Pay with your banking app" not in text and "€2,500.00" in text


def test_statement_refusals_change_nothing(book):
    before = (Path(book) / "journal.jsonl").read_bytes()
    base = ("--home", book, "--today", TODAY)
    assert "client 'nobody' is not in the ledger" in _fail("statement", "nobody", *base)
    assert "client 'piet' has no open invoices on 2026-11-25" in _fail("statement", "piet", *base)
    assert "--lang 'de' is unknown" in _fail("statement", "jan", "--lang", "de", *base)
    assert "--on '2026-11-26' is after today (2026-11-25)" in _fail("statement", "jan", "--on", "2026-11-26", *base)
    assert "give --json or --csv, not both" in _fail("report", "ageing", "--json", "--csv", *base)
    assert "--csv-dialect 'semicolon' is unknown" in _fail("report", "ageing", "--csv", "--csv-dialect",
                                                           "semicolon", *base)
    assert "--by 'week' is unknown" in _fail("report", "collected", "--from", "2026-01-01", "--to",
                                             "2026-02-01", "--by", "week", *base)
    assert "--to '2026-01-01' is before --from" in _fail("report", "collected", "--from", "2026-02-01",
                                                         "--to", "2026-01-01", *base)
    assert "--by 'bucket' is unknown" in _fail("report", "ageing", "--by", "bucket", *base)
    assert "give no invoice numbers" in _fail("send", "R-02", "--statement", "jan", "--dry-run", *base)
    assert "client 'kees' has no e-mail address" in _fail("send", "--statement", "kees", "--dry-run", "--home",
                                                          book, "--today", "2026-12-31")
    assert (Path(book) / "journal.jsonl").read_bytes() == before


def test_send_statement_dry_run_writes_the_message_and_records_the_statement(book):
    r = _ok("send", "--statement", "bouw", "--dry-run", "--json", "--home", book, "--today", TODAY).json()
    assert r["sent"] is False and r["to"] == "ap@bouw.nl"
    msg = message_from_bytes(Path(r["eml"]).read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Rekeningoverzicht per 25 november 2026" and msg["To"] == "ap@bouw.nl"
    body = msg.get_body(("plain",)).get_content()
    assert "bouw-statement-2026-11-25.pdf" in body and "Nu te betalen is € " in body
    (att,) = list(msg.iter_attachments())
    assert hashlib.sha256(att.get_content()).hexdigest() == r["sha256"] \
        == hashlib.sha256(Path(r["archived"]).read_bytes()).hexdigest()
    ev = journal(book)[-1]
    assert (ev["type"], ev["data"]["client"], ev["data"]["via"], ev["data"]["sha256"]) == (
        "statement-rendered", "bouw", None, r["sha256"])


def test_send_statement_by_email_records_it_as_sent(book, tmp_path):
    pytest.importorskip("aiosmtpd")
    from smtpserver import serve

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    sink = Sink()
    with serve(sink) as port:
        cfg = Path(book) / "config.toml"
        saved = cfg.read_text(encoding="utf-8")
        cfg.write_text(saved + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n',
                       encoding="utf-8")
        try:
            r = _ok("send", "--statement", "jan", "--to", "boekhouding@example.nl", "--lang", "en", "--home",
                    book, "--today", TODAY)
        finally:
            cfg.write_text(saved, encoding="utf-8")
    (env,) = sink.messages
    assert env.rcpt_tos == ["boekhouding@example.nl"]
    assert "Sent the statement of jan to boekhouding@example.nl" in r.stdout
    msg = message_from_bytes(env.content, policy=policy.default)
    assert msg["Subject"] == "Statement of account as at 25 November 2026"
    (att,) = list(msg.iter_attachments())
    ev = journal(book)[-1]
    assert (ev["type"], ev["data"]["via"], ev["data"]["lang"]) == ("statement-rendered", "email", "en")
    assert hashlib.sha256(att.get_content()).hexdigest() == ev["data"]["sha256"]
    assert "Statement of account" in " ".join(pdf_pages(att.get_content()))


def test_forget_takes_the_statements_and_export_lists_them(tmp_path):
    from wikcli.services import privacy

    home = tmp_path
    (home / "statements").mkdir()
    (home / "outbox").mkdir()
    mine = [home / "statements" / "jan-statement-2026-11-25.pdf", home / "statements" / "jan-statement-2026-11-25-2.pdf",
            home / "outbox" / "jan-statement-2026-11-25.eml"]
    other = [home / "statements" / "jan2-statement-2026-11-25.pdf", home / "outbox" / "R-1-wik-2026-11-25.eml"]
    for f in mine + other:
        f.write_bytes(b"x")
    assert sorted(privacy.derived_files(home, set(), client_id="jan")) == sorted(mine)
    assert privacy.derived_files(home, {"R-1"}) == [other[1]]


def test_export_client_holds_the_statement_events(book):
    made = _ok("statement", "bouw", "--json", "--home", book, "--today", TODAY).json()
    doc = _ok("export-client", "bouw", "--home", book).json()
    assert made["sha256"] in [e["data"].get("sha256") for e in doc["events"] if e["type"] == "statement-rendered"]
    assert all(e["data"]["client"] == "bouw" for e in doc["events"] if e["type"] == "statement-rendered")


@pytest.mark.parametrize("day,by,want", [
    ("2028-02-10", "month", ("2028-02", "2028-02-01", "2028-02-29")),
    ("2026-11-25", "quarter", ("2026-Q4", "2026-10-01", "2026-12-31")),
    ("2026-04-01", "quarter", ("2026-Q2", "2026-04-01", "2026-06-30")),
    ("9999-12-31", "year", ("9999", "9999-01-01", "9999-12-31")),
])
def test_period_of(day, by, want):
    from datetime import date

    from wikcli.ledger.reports import period_of

    label, first, last = period_of(date.fromisoformat(day), by)
    assert (label, first.isoformat(), last.isoformat()) == want

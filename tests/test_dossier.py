"""The dossier's data from a folded ledger: a business debtor, commercial interest, a partial
payment after the costs became owed; and the PDF of a name outside the PDF fonts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from wikcli.documents import dossier
from wikcli.ledger import model
from wikcli.ledger import facts
from wikcli.store.lines import Event
from wikcli.ledger.rulebook import Rulebook
from lettercases import CREDITOR_B2B, norm, pdf_pages

CONFIG = model.Config(creditor=CREDITOR_B2B)  # VAT-deductible: costs without VAT


def ledger(name="Łódź Trading Sp. z o.o."):
    rows = [
        ("client-added", None, {"id": "lodz", "name": name, "type": "business", "address": "ul. Piotrkowska 1",
                                "postcode": "90-001", "city": "Łódź", "country": "PL", "email": "", "lang": "en"}),
        ("invoice-added", "F-7", {"client": "lodz", "amount": "5000.00", "date": "2026-01-02",
                                  "due": "2026-02-01", "description": ""}),
        ("letter-sent", "F-7", {"kind": "default", "date": "2026-02-10", "via": "email"}),
        ("payment", "F-7", {"amount": "700.00", "date": "2026-03-02"}),
        ("note", "F-7", {"date": "2026-03-03", "text": "Belt terug", "promise": None}),
        ("payment", "F-7", {"amount": "1.00", "date": "2026-06-01"}),  # after the dossier's day
    ]
    return facts.fold(Event(i + 1, "2026-03-05T10:00:00Z", t, n, d) for i, (t, n, d) in enumerate(rows))


def test_business_dossier_figures():
    d = dossier.build(ledger(), CONFIG, Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible), "F-7", date(2026, 3, 31))
    o = d.owed
    # costs over 5000.00: 15% of 2500 + 10% of 2500 = 625.00, owed from the day after the
    # notice's 8-day term (sent by e-mail on 10 February: last day 18 February)
    assert (o.costs_owed, o.costs_due_from, o.costs, o.costs_vat) == (True, date(2026, 2, 19), D("625.00"), D("0.00"))
    # the 700.00 pays the costs, then the interest accrued through 2 March
    # (5000.00 x 10.15% x 29/365 = 40.32), then 34.68 of the principal
    assert o.costs_open == D("0.00") and o.costs_paid == D("625.00")
    assert o.interest_paid == D("40.32") and o.principal_open == D("4965.32")
    assert o.interest_kind == "commercial"
    assert [(p.start, p.end, p.days, p.base, p.interest) for p in o.interest_calc.periods] == [
        (date(2026, 2, 2), date(2026, 3, 2), 29, D("5000.00"), D("40.32")),
        (date(2026, 3, 3), date(2026, 3, 31), 29, D("4965.32"), D("40.04"))]
    assert (o.interest_accrued, o.interest_open, o.total_due) == (D("80.36"), D("40.04"), D("5005.36"))
    # the payment after the dossier's day is not in it
    assert [p.day for p in d.payments] == [date(2026, 3, 2)]
    assert [e.type for e in d.timeline] == ["invoice-added", "letter-sent", "payment", "note"]
    assert d.letters == (dossier.Letter("default", date(2026, 2, 10), None, None, True, "email"),)
    assert d.archived == ()


def test_to_json_shape():
    j = dossier.build(ledger(), CONFIG, Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible), "F-7", date(2026, 3, 31)).to_json()
    assert set(j) == {"date", "lang", "invoice", "creditor", "debtor", "state", "timeline", "letters", "receipt", "payments",
                      "notes", "owed", "terms"}
    assert j["owed"]["costs"]["calculation"]["costs"] == "625.00"
    assert j["terms"] is None  # no agreed terms: the statutory figures
    assert j["owed"]["interest"]["paid"] == "40.32" and j["owed"]["total_due"] == "5005.36"
    assert j["payments"] == [{"date": "2026-03-02", "amount": "700.00"}]
    assert j["letters"] == [{"kind": "default", "date": "2026-02-10", "file": None, "sha256": None,
                             "sent": True, "via": "email"}]


def test_pdf_prints_latin_names_as_written():
    from wikcli.documents import dossier_page

    d = dossier.build(ledger(), CONFIG, Rulebook(CONFIG.policy, CONFIG.creditor.vat_deductible), "F-7", date(2026, 3, 31))
    blob = dossier_page.render(d)
    assert blob == dossier_page.render(d)  # the same dossier gives the same bytes
    t = norm(" ".join(pdf_pages(blob)))
    assert "Łódź Trading Sp. z o.o." in t and "Lódz" not in t and "Statutory commercial interest accrued" in t
    assert "€5,000.00" in t and "€5,005.36" in t and "No payments received." not in t

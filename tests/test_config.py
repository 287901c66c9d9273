"""config.toml: validation names the key, round trips, owner-only atomic writes."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from wikcli.store import config
from wikcli.ledger import model
from wikcli.documents.email import SmtpSettings

ROOT = Path(__file__).resolve().parent.parent
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def write_toml(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    (home / config.CONFIG_NAME).write_text(text, encoding="utf-8")
    return home


def full_config() -> model.Config:
    return model.Config(
        creditor=model.Creditor(
            name="Jansen Webdesign", address="Keizersgracht 1", postcode="1015 AA", city="Amsterdam",
            kvk="12345678", vat_id="NL004495445B01", iban=IBAN, bic="ABNANL2A", email="info@example.nl",
            phone="020 123 4567", vat_deductible=False),
        policy=model.Policy(reminder_term_days=10, default_term_days=14, payment_term_days=14,
                            business_skips_steps=True, registered_above=Decimal("2500.50"), retention_years=10),
        letters=model.LetterSettings(lang="en", place="Utrecht", signature="J. Jansen", qr=False),
        smtp=SmtpSettings(host="smtp.example.nl", port=465, security="ssl", user="info@example.nl",
                          password_env="MY_SMTP_PW", sender="facturen@example.nl", timeout=12.5),
    )


def test_round_trip_full(tmp_path):
    cfg = full_config()
    config.write(tmp_path / "home", cfg)
    assert config.load(tmp_path / "home") == cfg


def test_round_trip_minimal_takes_defaults(tmp_path):
    home = write_toml(tmp_path / "h", '[creditor]\nname = "Jan"\n')
    cfg = config.load(home)
    assert cfg == model.Config(creditor=model.Creditor(name="Jan"))
    assert cfg.smtp is None
    config.write(tmp_path / "h2", cfg)
    assert config.load(tmp_path / "h2") == cfg


def test_iban_and_vat_are_normalised(tmp_path):
    home = write_toml(tmp_path / "h", '[creditor]\nname = "Jan"\niban = "nl91 abna 0417 1643 00"\n'
                                     'vat_id = "NL 0044.95.445.B01"\nkvk = "1234 5678"\n')
    c = config.load(home).creditor
    assert (c.iban, c.vat_id, c.kvk) == (IBAN, "NL004495445B01", "12345678")


def test_sample_config_loads(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "wikcli" / "sample-config.toml", home / config.CONFIG_NAME)
    cfg = config.load(home)
    assert cfg.creditor.iban == IBAN
    assert cfg.smtp is not None and cfg.smtp.password_env == "WIK_SMTP_PASSWORD"


def test_sample_config_documents_every_key():
    import tomllib
    from dataclasses import fields

    data = tomllib.loads((ROOT / "wikcli" / "sample-config.toml").read_text(encoding="utf-8"))
    for table, cls in (("creditor", model.Creditor), ("policy", model.Policy),
                       ("letters", model.LetterSettings), ("smtp", SmtpSettings)):
        assert set(data[table]) == {f.name for f in fields(cls)}, table


BAD = [
    ("no-creditor", "[policy]\n", "creditor.name"),
    ("no-name", '[creditor]\niban = "NL91ABNA0417164300"\n', "creditor.name"),
    ("iban-checksum", '[creditor]\nname = "J"\niban = "NL00ABNA0417164300"\n', "creditor.iban 'NL00ABNA0417164300' fails the IBAN checksum"),
    ("iban-junk", '[creditor]\nname = "J"\niban = "hello"\n', "creditor.iban 'hello'"),
    ("bic", '[creditor]\nname = "J"\nbic = "X"\n', "creditor.bic 'X'"),
    ("vat-id", '[creditor]\nname = "J"\nvat_id = "NL123456789B01"\n', "creditor.vat_id 'NL123456789B01' fails the VAT id checksum"),
    ("kvk", '[creditor]\nname = "J"\nkvk = "1234"\n', "creditor.kvk '1234'"),
    ("email", '[creditor]\nname = "J"\nemail = "nope"\n', "creditor.email 'nope'"),
    ("country", '[creditor]\nname = "J"\ncountry = "Nederland"\n', "creditor.country"),
    ("vat-deductible", '[creditor]\nname = "J"\nvat_deductible = "yes"\n', "creditor.vat_deductible 'yes'"),
    ("name-type", "[creditor]\nname = 12\n", "creditor.name 12"),
    ("unknown-creditor-key", '[creditor]\nname = "J"\nibn = "x"\n', "'creditor.ibn'"),
    ("unknown-table", '[creditor]\nname = "J"\n[letter]\n', "'letter'"),
    ("reminder-low", '[creditor]\nname = "J"\n[policy]\nreminder_term_days = 7\n', "policy.reminder_term_days 7 is out of range"),
    ("reminder-high", '[creditor]\nname = "J"\n[policy]\nreminder_term_days = 15\n', "policy.reminder_term_days 15"),
    ("default-term", '[creditor]\nname = "J"\n[policy]\ndefault_term_days = 0\n', "policy.default_term_days 0"),
    ("payment-term", '[creditor]\nname = "J"\n[policy]\npayment_term_days = 366\n', "policy.payment_term_days 366"),
    ("term-bool", '[creditor]\nname = "J"\n[policy]\npayment_term_days = true\n', "policy.payment_term_days True"),
    ("term-float", '[creditor]\nname = "J"\n[policy]\npayment_term_days = 30.5\n', "policy.payment_term_days 30.5"),
    ("skips", '[creditor]\nname = "J"\n[policy]\nbusiness_skips_steps = 1\n', "policy.business_skips_steps 1"),
    ("registered-float", '[creditor]\nname = "J"\n[policy]\nregistered_above = 1000.5\n', "policy.registered_above 1000.5"),
    ("registered-text", '[creditor]\nname = "J"\n[policy]\nregistered_above = "lots"\n', "policy.registered_above 'lots'"),
    ("retention", '[creditor]\nname = "J"\n[policy]\nretention_years = 0\n', "policy.retention_years 0"),
    ("delivery-high", '[creditor]\nname = "J"\n[policy]\npostal_delivery_days = 31\n',
     "policy.postal_delivery_days 31 is out of range: expected 1 to 30 delivery days, or 0 for PostNL's norm"),
    ("delivery-negative", '[creditor]\nname = "J"\n[policy]\npostal_delivery_days = -1\n',
     "policy.postal_delivery_days -1 is out of range"),
    ("delivery-text", '[creditor]\nname = "J"\n[policy]\npostal_delivery_days = "3"\n',
     "policy.postal_delivery_days '3' must be a whole number"),
    ("abroad-zero", '[creditor]\nname = "J"\n[policy]\npostal_delivery_days_abroad = 0\n',
     "policy.postal_delivery_days_abroad 0 is out of range: expected 1 to 30 delivery days"),
    ("abroad-float", '[creditor]\nname = "J"\n[policy]\npostal_delivery_days_abroad = 7.5\n',
     "policy.postal_delivery_days_abroad 7.5 must be a whole number"),
    ("lang", '[creditor]\nname = "J"\n[letters]\nlang = "de"\n', "letters.lang 'de'"),
    ("qr", '[creditor]\nname = "J"\n[letters]\nqr = "no"\n', "letters.qr 'no'"),
    ("smtp-host", '[creditor]\nname = "J"\n[smtp]\nport = 25\n', "smtp.host"),
    ("smtp-port", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\nport = 70000\n', "smtp.port 70000"),
    ("smtp-security", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\nsecurity = "tls"\n', "smtp.security 'tls'"),
    ("smtp-env", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\npassword_env = "MY PW"\n', "smtp.password_env 'MY PW'"),
    ("smtp-timeout", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\ntimeout = 0\n', "smtp.timeout 0"),
    ("smtp-sender", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\nsender = "x"\n', "smtp.sender 'x'"),
    ("smtp-password", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\npassword = "secret123"\n', "smtp.password is not allowed"),
    ("table-type", 'creditor = "J"\n', "creditor must be a table"),
    ("not-toml", "[creditor\n", "not valid TOML"),
]


@pytest.mark.parametrize("text,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_config_names_the_key(tmp_path, text, expected):
    home = write_toml(tmp_path / "h", text)
    with pytest.raises(config.ConfigError) as e:
        config.load(home)
    msg = str(e.value)
    assert msg.startswith("config.toml")
    assert expected in msg
    assert "\n" not in msg


@pytest.mark.parametrize("text,n,abroad", [
    ("", None, 10),
    ("postal_delivery_days = 0\n", None, 10),
    ("postal_delivery_days = 4\npostal_delivery_days_abroad = 12\n", 4, 12),
    ("postal_delivery_days = 1\npostal_delivery_days_abroad = 30\n", 1, 30),
])
def test_postal_delivery_days(tmp_path, text, n, abroad):
    home = write_toml(tmp_path / "h", '[creditor]\nname = "J"\n[policy]\n' + text)
    policy = config.load(home).policy
    assert (policy.postal_delivery_days, policy.postal_delivery_days_abroad) == (n, abroad)
    # Written back: 0 stands for the norm by posting date, so the key is there to be found.
    config.write(tmp_path / "h2", config.load(home))
    assert f"postal_delivery_days = {n or 0}\n" in (tmp_path / "h2" / config.CONFIG_NAME).read_text()
    assert config.load(tmp_path / "h2") == config.load(home)


def test_smtp_password_is_not_echoed(tmp_path):
    home = write_toml(tmp_path / "h", '[creditor]\nname = "J"\n[smtp]\nhost = "h"\npassword = "secret123"\n')
    with pytest.raises(config.ConfigError) as e:
        config.load(home)
    assert "secret123" not in str(e.value)


def test_not_utf8(tmp_path):
    (tmp_path / "h").mkdir()
    (tmp_path / "h" / "config.toml").write_bytes(b'[creditor]\nname = "\xff"\n')
    with pytest.raises(config.ConfigError, match="not UTF-8"):
        config.load(tmp_path / "h")


def test_missing_home(tmp_path):
    with pytest.raises(config.ConfigError, match=r"no wik home at .*: run `wik init` first"):
        config.load(tmp_path / "nowhere")


def test_resolve_home_order(tmp_path):
    assert config.resolve_home(str(tmp_path / "a"), {"WIK_HOME": str(tmp_path / "b")}) == tmp_path / "a"
    assert config.resolve_home(None, {"WIK_HOME": str(tmp_path / "b")}) == tmp_path / "b"
    import platformdirs

    assert config.resolve_home(None, {}) == Path(platformdirs.user_data_dir("wik"))


def test_write_is_owner_only_under_umask_022(tmp_path, umask022):
    home = tmp_path / "deep" / "home"
    path = config.write(home, full_config())
    assert (home.stat().st_mode & 0o777) == 0o700
    assert (path.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in home.iterdir()) == ["config.toml"]  # no temp file left


def test_no_overwrite_without_force(tmp_path):
    home = tmp_path / "h"
    config.write(home, full_config())
    before = (home / "config.toml").read_bytes()
    with pytest.raises(config.ConfigError, match="use --force"):
        config.write(home, model.Config(creditor=model.Creditor(name="Other")))
    assert (home / "config.toml").read_bytes() == before
    config.write(home, model.Config(creditor=model.Creditor(name="Other")), force=True)
    assert config.load(home).creditor.name == "Other"
    assert ((home / "config.toml").stat().st_mode & 0o777) == 0o600

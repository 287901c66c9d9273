"""``wik init`` and ``wik repair``: create the home folder, and mend a journal after a crash."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from wikcli.cli.app import app
from wikcli.cli.common import HomeOpt, now, resolve_home, warn
from wikcli.errors import OptionError
from wikcli.i18n import _, ngettext


def _text(flag: str, help: str):
    return typer.Option(flag, help=help, show_default=False)


@app.command()
def init(
    home: HomeOpt = None,
    name: Annotated[str | None, _text("--name", _("Your name or business name (required; asked at a terminal)."))] = None,
    address: Annotated[str | None, _text("--address", _("Street and number."))] = None,
    postcode: Annotated[str | None, _text("--postcode", _("Postcode, e.g. 1015 AA."))] = None,
    city: Annotated[str | None, _text("--city", _("City; also the place in the letters' date line."))] = None,
    kvk: Annotated[str | None, _text("--kvk", _("Chamber of Commerce (KvK) number: 8 digits."))] = None,
    vat_id: Annotated[str | None, _text("--vat-id", _("VAT id (btw-id), e.g. NL004495445B01."))] = None,
    iban: Annotated[str | None, _text("--iban", _("The IBAN debtors pay into (required; asked at a terminal)."))] = None,
    bic: Annotated[str | None, _text("--bic", _("BIC of your bank (optional)."))] = None,
    email: Annotated[str | None, _text("--email", _("Your e-mail address, printed on letters."))] = None,
    phone: Annotated[str | None, _text("--phone", _("Your phone number, printed on letters."))] = None,
    vat_deductible: Annotated[bool | None, typer.Option(
        "--vat-deductible/--no-vat-deductible",
        help=_("Whether you deduct VAT (VAT-registered): then collection costs are claimed without VAT. "
        "Default: yes for a new home; with --force, what config.toml says."), show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Change an existing config.toml: the values given replace those in it, every "
        "other key (policy, letters, smtp) is kept. The journal is never replaced."))] = False,
    sample_config: Annotated[bool, typer.Option(
        "--sample-config", help=_("Also write sample-config.toml into the home: every key of config.toml "
        "with its default and what it does, to copy from. Given alone, it changes nothing else."))] = False,
) -> None:
    """Create the wik home: config.toml (owner-only) and an empty journal.

    Missing --name and --iban are asked for at a terminal. Every other setting has a default;
    `wik init --sample-config` writes sample-config.toml beside config.toml, with every key
    explained: copy from it into config.toml for the process policy, letters and e-mail. With --force on an existing home, only the options given change: a change of
    --vat-deductible affects the letters sent from then on, never what a sent letter announced.

    Example:

    \b
        wik init --name "Studio Noord" --iban NL91ABNA0417164300 --postcode 1015aa --city Amsterdam --email info@studionoord.nl
        wik init --force --no-vat-deductible --sample-config
    """
    from wikcli.services import home_folder

    path = resolve_home(home)
    alone = not force and all(v is None for v in (name, address, postcode, city, kvk, vat_id, iban, bic,
                                                   email, phone, vat_deductible))
    if sample_config and alone:
        sys.stdout.write(_("Wrote {value}\n").format(value=write_sample(path)))
        return
    given = {"name": name, "address": address, "postcode": postcode, "city": city, "kvk": kvk,
             "vat_id": vat_id, "iban": iban, "bic": bic, "email": email, "phone": phone,
             "vat_deductible": vat_deductible}
    made = home_folder.create(path, given, now(), force=force, ask=_ask, warn=lambda m: warn([m]))
    out = sys.stdout
    out.write(_("Wrote {written}\n").format(written=made.config))
    out.write((_("Kept the existing journal {path}\n") if made.kept_journal else
               _("Created the journal {path}\n")).format(path=made.journal))
    if sample_config:
        out.write(_("Wrote {value}\n").format(value=write_sample(path)))


SAMPLE_NAME = "sample-config.toml"


def write_sample(home):
    """The commented sample config the wheel carries, into ``home`` (made if need be); a sample
    already there is replaced, as it holds nothing of the user's."""
    from importlib.resources import files

    from wikcli.store import config

    text = files("wikcli").joinpath(SAMPLE_NAME).read_text(encoding="utf-8")
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # a home is its owner's only
    target = home / SAMPLE_NAME
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as e:
        raise config.ConfigError(_("{target} cannot be written: {value}").format(target=target, value=(e.strerror or type(e).__name__).lower())) from None
    return target


def _ask(value: str | None, flag: str, prompt: str) -> str:
    if value is not None and value.strip():
        return value
    if not _interactive():
        raise OptionError(_("{flag} is required (no terminal to ask at)").format(flag=flag))
    answer = typer.prompt(prompt)
    if not answer.strip():
        raise OptionError(_("{flag} is required").format(flag=flag))
    return answer


def _interactive() -> bool:
    return sys.stdin.isatty()


@app.command()
def repair(
    home: HomeOpt = None,
    merge: Annotated[str | None, typer.Option(
        "--merge", metavar="FILE", help=_("A sync conflict copy of the journal to merge into it."))] = None,
) -> None:
    """Mend the journal after a crash: move a torn last line to a side file; or merge a sync
    conflict copy of the journal back into it (--merge).

    Nothing is deleted: the torn line goes to journal.torn-<time>.jsonl next to the journal.
    A damaged line in the middle is not touched: the message says which line to fix by hand.
    --merge FILE (a sync conflict copy such as "journal (1).jsonl") adds the copy's events that
    the journal lacks, numbered on, each once; the old journal stays as
    journal.premerge-<time>.jsonl and the copy as journal.merged-<time>.jsonl.

    Example:

    \b
        wik repair
    """
    from pathlib import Path

    from wikcli.services import home_folder
    from wikcli.store.lines import JOURNAL_NAME

    path = resolve_home(home)
    name = JOURNAL_NAME
    if merge is not None:
        done = home_folder.merge(path, Path(merge), now())
        assert done.moved is not None  # merge() moves the copy aside, or refuses
        if not done.added:
            sys.stdout.write(_("{merge}: nothing new, every event of it is in {name}; moved it to {name2}\n").format(merge=merge, name=name, name2=done.moved.name))
        else:
            sys.stdout.write(ngettext("merged {count} event(s) of {merge} into {name} as #{value}-#{value2}; {events} "
                                      "events, verified",
                                      "merged {count} event(s) of {merge} into {name} as #{value}-#{value2}; {events} "
                                      "events, verified", len(done.added)).format(count=len(done.added), merge=merge, name=name, value=done.added[0], value2=done.added[-1], events=done.events) + "\n")
            if done.same:
                sys.stdout.write(_("kept once (in both copies): {value}\n").format(value=', '.join(done.same)))
            kept = "" if done.kept is None else done.kept.name
            sys.stdout.write(_("the journal before the merge: {kept}; the copy: {name}\n").format(kept=kept, name=done.moved.name))
        return
    fixed = home_folder.repair(path, now())
    if fixed.side is None:
        sys.stdout.write(_("journal is intact: {count} events in {path}\n").format(count=fixed.events, path=fixed.journal))
        return
    sys.stdout.write(
        _("moved the torn last line of {name} (an interrupted write) to {side}\njournal is intact: " "{count} events\n").format(name=fixed.journal.name, side=fixed.side, count=fixed.events))

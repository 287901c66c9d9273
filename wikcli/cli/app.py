"""The Typer application and the one place where errors become exit codes.

Every command module adds itself to ``app``. ``WikGroup.main`` runs the command without
Click's standalone mode so that any user error -- ours (``WikError``) or Click's (a bad
option, a missing argument) -- is printed as one line on stderr with exit code 2, both from
the console script and from a test runner.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

from wikcli.errors import WikError
from wikcli.i18n import N_, _

# The variable a shell sets when it asks wik to complete a command line (`wik completion`).
COMPLETE_VAR = "_WIK_COMPLETE"

EXIT_CODES = N_("""\
Exit codes: 0 done; 1 `wik check` found actions due; 2 bad input or data (one line on stderr);
3 a bug in wik (reported with --verbose's traceback, please).
""")
INPUT = N_("""\
Dates: 2026-03-03, 3-3-2026, 03-03-2026, 3 maart 2026 or 3 March 2026; from today: vandaag
(today), gisteren, morgen, +14, over 2 weken, 3 dagen geleden. Amounts: 1.234,56,
1,234.56, 244 or € 12,-. Letter kinds in Dutch: herinnering (reminder), aanmaning or
14-dagenbrief (wik), ingebrekestelling (default). Option words in Dutch: --via post or
e-mail, --type particulier (consument) or zakelijk (bedrijf), --reason betaald, creditnota,
afgeschreven, overgedragen or failliet (wik close), --every maand or week, --by klant,
factuur, maand, kwartaal, jaar or betaling, --lang nederlands or engels.
""")


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit: the user-facing shape of every error."""
    first = " ".join(str(message).split()) or _("unknown error")
    line = _("wik: error: {message}").format(message=first)
    if sys.stderr.isatty():
        sys.stderr.write(f"\x1b[31m{line}\x1b[0m\n")
    else:
        sys.stderr.write(f"{line}\n")
    sys.stderr.flush()
    sys.exit(code)


def _plain(err: UnicodeError) -> tuple[str, int]:
    """What a stream that is not UTF-8 prints for a character it has no byte for: ``EUR`` for
    the euro sign, a letter without its accent, else ``?``; never a traceback."""
    import unicodedata

    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for c in err.object[err.start:err.end]:
        if c == "\u20ac":
            out.append("EUR")
            continue
        bare = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        try:
            bare.encode(err.encoding)
        except UnicodeError:
            bare = "?"
        out.append(bare or "?")
    return "".join(out), err.end


def _streams_that_cannot_fail() -> None:
    import codecs

    codecs.register_error("wik-plain", _plain)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        if reconfigure is None or codecs.lookup(encoding).name.startswith("utf"):
            continue
        try:
            reconfigure(errors="wik-plain")
        except (ValueError, OSError):  # a stream already written to in another way: left as it is
            pass


def _refuse_empty(ctx: Any, param: Any, value: Any, then: Any = None) -> Any:
    """An empty value given for an option (``--home ""``, an unset variable in a script) is
    refused: taken as "not given" it would quietly mean the default (another ledger, today)."""
    from typer._click.core import ParameterSource

    given = ctx.get_parameter_source(param.name) in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    values = value if isinstance(value, (tuple, list)) else (value,)
    if given and any(isinstance(v, str) and not v.strip() for v in values):
        from wikcli.errors import OptionError

        name = max(param.opts, key=len)
        raise OptionError(_("{option} is empty: give a value or leave the option out").format(option=name))
    return then(ctx, param, value) if then is not None else value


def _guard_options(command: Any) -> None:
    """Every option of ``command`` and its subcommands goes through ``_refuse_empty``."""
    import functools

    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "is_flag", False) \
                and not getattr(param, "_wik_guarded", False):
            param.callback = functools.partial(_refuse_empty, then=param.callback)
            param._wik_guarded = True
    for sub in getattr(command, "commands", {}).values():
        _guard_options(sub)


def root_flags_first(args: list[str]) -> list[str]:
    """``wik status --verbose`` as ``wik --verbose status``: an option of wik itself is taken
    wherever it stands on the line (up to a ``--``), as people add it at the end."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in ROOT_FLAGS]
    if not flags:
        return args
    return flags + [a for a in args[:end] if a not in ROOT_FLAGS] + args[end:]


def usage_message(e: Exception, args: list[str] | None = None) -> str:
    """Click's message, but for an option typed wrong on a command that lets unknown options
    through (so that an amount may be negative, ``wik calc -5``): Click calls it an extra
    argument, or misses the option meant; it is an option that does not exist, and the
    nearest one is named."""
    message = click_message(e.format_message() if hasattr(e, "format_message") else str(e))
    ctx = getattr(e, "ctx", None)
    if ctx is None or not args or hasattr(ctx.command, "commands"):
        return message
    known = {o for p in ctx.command.params for o in getattr(p, "opts", ()) if o.startswith("-")}
    known.update(ROOT_FLAGS + ("-h", "--help"))
    end = args.index("--") if "--" in args else len(args)
    typo = next((a.split("=", 1)[0] for a in args[:end]
                 if a.startswith("--") and len(a) > 2 and a.split("=", 1)[0] not in known), None)
    if typo is None:
        return message
    import difflib

    near = difflib.get_close_matches(typo, sorted(known), n=1, cutoff=0.75)
    hint = (_("did you mean {option}?").format(option=near[0]) if near
            else _("`{command} --help` lists the options").format(command=ctx.command_path))
    return _("No such option: {option} ({hint})").format(option=typo, hint=hint)


# -- the language of a run -------------------------------------------------------------------

# Typer's own texts (help sections, the [env var: ...] and [default: ...] notes) are looked up
# through the name ``_`` of typer.core, which is pointed at wik's catalog; here they are marked
# so that the catalog holds them.
TYPER_TEXTS = (N_("Options"), N_("Arguments"), N_("Commands"), N_("Usage: "), N_("env var: {var}"),
               N_("default: {default}"), N_("required"), N_("(dynamic)"), N_("Aborted!"),
               N_("Missing command."), N_("No such command {name!r}."), N_("Show this message and exit."))

# Click's usage errors are English f-strings (the copy of Click inside Typer has no catalog):
# they are recognised by these shapes and said again in the run's language. A {message} is
# itself said again (an invalid value wraps the type's own complaint).
CLICK_MESSAGES = (
    N_("No such option: {option}"),
    N_("{message} (Possible options: {options})"),
    N_("{message}. Did you mean {commands}?"),
    N_("No such command {name}."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Missing argument {name}. {message}"),
    N_("Missing option {name}. {message}"),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("Option {option} requires an argument."),
    N_("Option {option} requires {count} arguments."),
    N_("Option {option} does not take a value."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Got unexpected extra argument ({arguments})"),
    N_("Got unexpected extra arguments ({arguments})"),
    N_("{value} is not one of {choices}."),
    N_("Value {value} is not a valid {kind}."),
    N_("{value} is not a valid {kind}."),
    N_("{value} is not a valid integer."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid boolean."),
)
_click_shapes: list[tuple[Any, str]] = []


def click_message(message: str) -> str:
    """A usage error of Click's in the run's language (unchanged in English or when unknown)."""
    from wikcli import i18n

    if i18n.language() == i18n.DEFAULT:
        return message
    if not _click_shapes:
        import re

        for template in CLICK_MESSAGES:
            pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(template))
            _click_shapes.append((re.compile(pattern + "$", re.S), template))
    for pattern, template in _click_shapes:
        m = pattern.match(message)
        if m:
            values = m.groupdict()
            if "message" in values:
                values["message"] = click_message(values["message"])
            return _(template).format(**values)
    return _(message)


def home_language(args: list[str], environ: Any) -> str | None:
    """``ui.lang`` of the home this run names (``--home``, else WIK_HOME, else the platform's
    folder), or None: a home that is missing or unreadable says nothing here, and the command
    reports it in its own words."""
    option = None
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--home" and i + 1 < len(args):
            option = args[i + 1]
        elif a.startswith("--home="):
            option = a.split("=", 1)[1]
    from wikcli.store import config

    lang = config.ui_table(config.resolve_home(option, environ)).get("lang")
    return lang if isinstance(lang, str) else None


def speak(command: Any, args: list[str]) -> None:
    """Choose the run's language and put ``command``'s help texts in it. Typer builds the Click
    commands anew on each run, from texts fixed when the modules were imported (in English);
    they are looked up here, once the language is known, so the help pages follow it."""
    from wikcli import i18n

    i18n.use(i18n.choose(os.environ, lambda: home_language(args, os.environ)))
    _click_speaks()
    _translate(command)


def _translate(command: Any) -> None:
    english = getattr(command, "_wik_english", None)
    if english is None:
        english = command._wik_english = (command.help, command.short_help, command.epilog)
    command.help, command.short_help, command.epilog = (_(t) if t else t for t in english)
    for param in getattr(command, "params", ()):
        text = param.__dict__.setdefault("_wik_english", getattr(param, "help", None))
        if text:
            param.help = _(text)
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)


_patched = False


def _click_speaks() -> None:
    """Typer's section titles and notes, Click's "Usage:" and the help option's text, through
    wik's catalog (once per process; each lookup follows the language of the moment)."""
    global _patched
    if _patched:
        return
    _patched = True
    import typer.core
    from typer._click import core as click_core
    from typer._click import formatting

    typer.core._ = _
    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    get_help_option = click_core.Command.get_help_option

    def help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    click_core.Command.get_help_option = help_option  # type: ignore[method-assign]


class WikGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _guard_options(self)

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        # (The override ignores Click's windows_expand_args, which **extra passes on.)
        # One command is a short run that builds a ledger of millions of acyclic objects; the
        # cyclic collector would walk them over and over (a third of `wik status` on 100,000
        # invoices) to find nothing. Reference counting still frees everything as it goes.
        _streams_that_cannot_fail()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._main(args, prog_name, complete_var, **extra)
        finally:
            if was_enabled:
                gc.enable()

    def _main(self, args: Any, prog_name: str | None, complete_var: str | None, **extra: Any) -> Any:
        if os.environ.get(COMPLETE_VAR):
            # A shell asking for completions: Typer's answers match the scripts `wik completion`
            # prints; they are loaded only now, so an ordinary run never pays for them.
            from typer.completion import completion_init

            completion_init()
            complete_var = COMPLETE_VAR
        speak(self, sys.argv[1:] if args is None else list(args))
        if args is not None:
            from wikcli.cli import words

            args = root_flags_first(list(args))
            command = next((a for a in args if not a.startswith("-")), None)
            args = words.translate(args, command)
        try:
            rv = super().main(args, prog_name or "wik", complete_var, standalone_mode=False, **extra)
        except WikError as e:
            fail(str(e), e.exit_code)
        except TyperException as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # bare `wik` or `wik client`: show help
                sys.stdout.write(e.format_message() + "\n")
                sys.exit(0)
            # Click's usage errors: bad option, missing argument
            fail(usage_message(e, args), getattr(e, "exit_code", 2))
        except Abort:
            fail(_("aborted"), 1)
        except BrokenPipeError:
            sys.exit(1)
        except OSError as e:
            # The last net under file trouble that no command foresaw (a folder that cannot
            # be read or written, a full disk): one line naming the file, never a traceback.
            where = f"{e.filename}: " if e.filename else ""
            fail(f"{where}{(e.strerror or type(e).__name__).lower()}")
        except Exception as e:  # noqa: BLE001 - the last net: a bug, never mistaken for "due" (1) or bad input (2)
            from wikcli.cli import common

            if common.VERBOSE:
                import traceback

                traceback.print_exc()
            fail(_("internal error, a bug in wik: {error} (run with --verbose for the traceback, and please "
                   "report it)").format(error=f"{type(e).__name__}: {e}"), 3)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="wik",
    cls=WikGroup,
    help=_("Chase unpaid invoices the Dutch way: statutory collection costs, interest, "
    "delivery-aware deadlines, letters and a ledger of every step."),
    epilog=INPUT + "\n" + EXIT_CODES + """
Example:

\b
    wik demo --dir wik-demo
    wik status --home wik-demo
""",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from wikcli import __version__

        sys.stdout.write(f"wik {__version__}\n")
        raise typer.Exit(0)


# Options of `wik` itself, given before the command: `main` looks past them for the command.
ROOT_FLAGS = ("--verbose",)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help=_("Print the version and exit.")),
    verbose: bool = typer.Option(
        False, "--verbose", envvar="WIK_VERBOSE", show_envvar=True,
        help=_("Say on stderr how the ledger was read: through the snapshot beside the journal, or "
        "the whole journal (and why).")),
) -> None:
    """Chase unpaid invoices the Dutch way: statutory collection costs, interest,
    delivery-aware deadlines, letters and a ledger of every step."""
    from wikcli.cli import common

    common.VERBOSE = verbose

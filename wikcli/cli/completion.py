"""``wik completion SHELL``: the script that lets a shell complete wik's commands and options.

Completion itself runs through the app: the shell calls ``wik`` with ``_WIK_COMPLETE`` set
and Typer answers from the registered commands (see ``app.WikGroup``). Nothing of it is
loaded on an ordinary run, so the cold start of ``wik calc`` does not pay for it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wikcli.cli.app import COMPLETE_VAR, app
from wikcli.i18n import _

SHELLS = ("bash", "zsh", "fish", "powershell")


@app.command()
def completion(
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish|powershell", help=_("Your shell."),
                                         show_default=False)],
) -> None:
    """Print the shell completion script for SHELL: add it to your shell's start-up file
    once, and Tab completes wik's commands and options.

    Example:

    \b
        wik completion bash > ~/.local/share/bash-completion/completions/wik
        wik completion zsh > "${fpath[1]}/_wik"
    """
    from typer.completion import get_completion_script

    from wikcli.errors import OptionError

    if shell not in SHELLS:
        raise OptionError(_("shell {value!r} is not supported: expected {value2}").format(value=shell[:40], value2=', '.join(SHELLS)))
    typer.echo(get_completion_script(prog_name="wik", complete_var=COMPLETE_VAR, shell=shell))

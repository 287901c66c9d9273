"""The framework's floor: a one-command Typer app that prints a constant.

`wik calc --json` is measured against this: whatever wik adds on top is wik's own cost.
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main() -> None:
    print('{"costs": "40.00"}')


if __name__ == "__main__":
    app()

"""Options and arguments that several command groups share, defined once so that they
read and are documented the same in every command's --help."""

from __future__ import annotations

from typing import Annotated

import os

import typer


def complete_customer(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a customer argument when Typer answers it (kehu.completion
    answers the plain cases before Typer loads): the same names, read the same way."""
    from kehu.completion import bash_word, customer_names

    names = customer_names(ctx.find_root().params.get("db"), incomplete)
    return [bash_word(n) for n in names] if os.environ.get("_KEHU_COMPLETE") == "complete_bash" else names


Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CustomerRef = Annotated[str, typer.Argument(help="Customer id or name.", autocompletion=complete_customer)]
CustomerPrefixRef = Annotated[
    str, typer.Argument(help="Customer id or name (a unique prefix is enough).", autocompletion=complete_customer),
]
Note = Annotated[str | None, typer.Option("--note", help="Free note.")]
# With --owner, in list, remind, next, funnel, tier and forecast (cli.team.owner_filter).
Mine = Annotated[
    bool,
    typer.Option("--mine", help="Only the customers of the acting salesperson (--as, KEHU_USER, else the login name)."),
]

"""Options and arguments that several command groups share, defined once so that they
read and are documented the same in every command's --help."""

from __future__ import annotations

from typing import Annotated

import typer

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CustomerRef = Annotated[str, typer.Argument(help="Customer id or name.")]
CustomerPrefixRef = Annotated[str, typer.Argument(help="Customer id or name (a unique prefix is enough).")]
Note = Annotated[str | None, typer.Option("--note", help="Free note.")]
# With --owner, in list, remind, next, funnel, tier and forecast (cli.team.owner_filter).
Mine = Annotated[
    bool,
    typer.Option("--mine", help="Only the customers of the acting salesperson (--as, KEHU_USER, else the login name)."),
]

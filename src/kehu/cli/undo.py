"""`kehu undo` and `kehu redo`: take back the last write commands, or apply them again."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state
from kehu.cli.options import Json

Count = Annotated[int, typer.Argument(min=1, max=200, metavar="[N]",
                                      help="How many operations, newest first (default 1).")]


def undo(
    ctx: typer.Context,
    count: Count = 1,
    listing: Annotated[bool, typer.Option("--list", help="List the recent operations instead (newest first).")] = False,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, max=200, metavar="N",
        help="With --list: how many operations (default 20; the book keeps the last 200).")] = None,
    json: Json = False,
) -> None:
    """Undo the last write command (or the last N): the book is exactly as it was before.

    An import undoes whole. On a team's server book you undo only your own operations,
    and not once a colleague has changed the same customer since. `person forget`
    cannot be undone, nor anything before it. `kehu redo` brings an undone operation back
    until the next change.
    """
    from kehu import book
    from kehu.render.undo import ops_grid, ops_json
    from kehu.store import undo as ops

    from kehu.errors import UsageError

    st = state(ctx)
    if limit is not None and not listing:
        raise UsageError("undo_limit_needs_list", limit=limit)
    if listing:
        with book.open(st.db, st.inv, write=False) as (s, _):
            views = ops.recent(s, limit or 20)
        if json:
            emit_json(ops_json(views))
        elif views:
            show([ops_grid(views, st.lang)])
        else:
            say(ctx, "ops_none")
        return
    _apply(ctx, ops.undo, count, json, lambda view: say(ctx, "undone", **view))


def redo(
    ctx: typer.Context,
    count: Count = 1,
    json: Json = False,
) -> None:
    """Apply again what `kehu undo` took back (the last N), until the next change."""
    from kehu.store import undo as ops

    _apply(ctx, ops.redo, count, json, lambda view: say(ctx, "redone", **view))


def _apply(ctx: typer.Context, use_case, count: int, json: bool, confirm) -> None:
    """Undo or redo in one write transaction, itself not an operation to undo."""
    from kehu import book
    from kehu.render.undo import confirmation, ops_json

    st = state(ctx)
    st.inv.command = None
    with book.open(st.db, st.inv, write=True) as (s, _):
        views = use_case(s, count, st.inv.actor)
    if json:
        emit_json(ops_json(views))
    for view in views:
        confirm(confirmation(view, st.lang))


def register(app: typer.Typer) -> None:
    app.command("undo")(undo)
    app.command("redo")(redo)

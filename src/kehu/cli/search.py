"""`kehu search`: find text anywhere in the book (names, notes, promises, contracts...)."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state
from kehu.cli.options import Json


def parse_in(value: str | None) -> tuple[str, ...]:
    """--in customers,people,... → the groups, in kehu's order; all when not given."""
    from kehu.errors import UsageError
    from kehu.store.search import GROUPS

    if value is None:
        return GROUPS
    wanted = {p.strip() for p in value.replace("，", ",").split(",") if p.strip()}
    for name in sorted(wanted):
        if name not in GROUPS:
            raise UsageError("search_bad_in", value=name, allowed=",".join(GROUPS))
    if not wanted:
        raise UsageError("search_bad_in", value=value, allowed=",".join(GROUPS))
    return tuple(g for g in GROUPS if g in wanted)


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to look for: any part of a word, any case (预算, 邵总, sap).")],
    in_: Annotated[
        str | None,
        typer.Option("--in", help="Only these, comma-separated: customers,people,touchpoints,promises,contracts."),
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's records (id or name).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only records of this day or later.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many hits (default 50).")] = 50,
    json: Json = False,
) -> None:
    """Search names, aliases, notes, signals, next steps, promises, contracts and negotiations (搜索).

    Names rank first, then other text; newest first within each. Private person fields are never searched.
    """
    from kehu import book
    from kehu.errors import UsageError
    from kehu.store import search as S
    from kehu.render.search import hits_grid, hits_json

    st = state(ctx)
    if not text.strip():
        raise UsageError("search_empty")
    if limit < 1:
        raise UsageError("search_bad_limit", value=limit)
    groups = parse_in(in_)
    since_day = None
    if since is not None:
        from kehu.dates import PAST, parse_date

        since_day = parse_date(since, PAST)
    if customer is None:
        # The plain search: on a book file, straight on the driver's connection (no
        # engine to set up: book.read_sql).
        with book.read_sql(st.db, st.inv) as conn:
            hits, more = S.search(conn, text, groups=groups, since=since_day, limit=limit)
    else:
        with book.open(st.db, st.inv, write=False) as (s, _):
            # Only here: the customers' use cases bring in the models and the rules, a
            # good part of the start-up of a plain search.
            from kehu.store import customers

            cid = customers.resolve_customer(s, customer).id
            hits, more = S.search(s, text, groups=groups, customer_id=cid, since=since_day, limit=limit)
    if json:
        emit_json(hits_json(hits))
    elif hits:
        show([hits_grid(hits, st.lang)])
    if not hits and not json:
        say(ctx, "search_none", text=text)
    elif more:
        say(ctx, "search_more", n=limit)


def register(app: typer.Typer) -> None:
    app.command("search")(search)

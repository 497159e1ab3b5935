"""Ownership and the public pool (公海): assign, claim, release, pool; and `--mine`.

The rules are kehu.rules.pool; store reads the facts and writes the decisions. Each
command is one transaction, and writers are serialised by the book (kehu.book), so two salespeople
claiming the same customer at once cannot both get it: the second finds it owned.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state
from kehu.cli.options import CustomerPrefixRef, Json

Reason = Annotated[str | None, typer.Option("--reason", help="Why, kept in the history.")]


def owner_filter(ctx: typer.Context, owner: str | None, mine: bool) -> str | None:
    """The owner a listing is limited to: --owner O, or --mine (the acting salesperson).
    Both at once is a usage error."""
    from kehu.errors import UsageError

    if mine and owner is not None:
        raise UsageError("mine_and_owner")
    if mine:
        return acting(ctx)
    return owner


def acting(ctx: typer.Context) -> str:
    """The acting salesperson, as the root callback set it."""
    from kehu.errors import UsageError

    actor = state(ctx).inv.actor
    if not actor:
        raise UsageError("bad_actor")
    return actor


def _reason(value: str | None) -> str | None:
    from kehu.store import common

    return common.plan_text(value, "--reason") if value is not None and value.strip() else None


def assign(
    ctx: typer.Context,
    customer: CustomerPrefixRef,
    owner: Annotated[str, typer.Argument(help="The salesperson who takes it over.")],
    reason: Reason = None,
    json: Json = False,
) -> None:
    """Hand a customer over to another salesperson (a handover, recorded in the history;
    at most handover.limit of them in handover.window_days)."""
    from kehu import book
    from kehu.store import customers, settings, team
    from kehu.dates import today
    from kehu.render.customers import customer_json

    st = state(ctx)
    why = _reason(reason)
    day = today()
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        before = c.owner if c.owner_key else None
        team.assign(s, c, owner, why, settings.read(s), day)
    if json:
        emit_json(customer_json(c))
    say(ctx, "assigned", id=c.id, name=c.name, owner=c.owner, before=before or "—")


def claim(ctx: typer.Context, customer: CustomerPrefixRef, json: Json = False) -> None:
    """Take a customer from the public pool: yours from today, within pool.hold_limit."""
    from kehu import book
    from kehu.store import customers, settings, team
    from kehu.dates import today
    from kehu.render.customers import customer_json

    st = state(ctx)
    acting(ctx)
    day = today()
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        before = c.owner if c.owner_key else None
        _, released = team.claim(s, c, settings.read(s), day)
    if json:
        emit_json(customer_json(c))
    say(ctx, "claimed", id=c.id, name=c.name)
    if released is not None:
        say(ctx, "claimed_lapsed", owner=before)


def release(
    ctx: typer.Context,
    customer: CustomerPrefixRef,
    reason: Reason = None,
    force: Annotated[bool, typer.Option("--force", help="Release a customer someone else owns.")] = False,
    json: Json = False,
) -> None:
    """Hand one of your customers back to the public pool, where anyone may claim it."""
    from kehu import book
    from kehu.store import customers, team
    from kehu.render.customers import customer_json

    st = state(ctx)
    why = _reason(reason)
    acting(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        before = c.owner
        team.release(s, c, why, force)
    if json:
        emit_json(customer_json(c))
    say(ctx, "released", id=c.id, name=c.name, owner=before)


def pool(ctx: typer.Context, json: Json = False) -> None:
    """The public pool (公海): live customers without an owner, and those whose owner let
    them lapse; any salesperson may claim them."""
    from kehu import book
    from kehu.store import settings, team
    from kehu.dates import today
    from kehu.render.team import pool_grid, pool_json

    st = state(ctx)
    day = today()
    with book.open(st.db, st.inv, write=False) as (s, _):
        cfg = settings.read(s)
        rows = team.pool_rows(s, cfg, day)
        growth_days = cfg.pool.growth_days
    if json:
        emit_json(pool_json(rows))
    elif rows:
        show([pool_grid(rows, st.lang, growth_days)])
    else:
        say(ctx, "pool_empty")


def register(app: typer.Typer) -> None:
    app.command("pool")(pool)
    app.command("claim")(claim)
    app.command("release")(release)
    app.command("assign")(assign)

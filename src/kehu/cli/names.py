"""The names customers go by: `kehu alias`, `kehu dupes`, `kehu merge`."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state
from kehu.cli.options import CustomerRef, Json, complete_customer

app = typer.Typer(help="Short names a customer goes by (简称): add, remove, list.", no_args_is_help=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")]


@app.command("add")
def alias_add(
    ctx: typer.Context,
    alias: Annotated[str, typer.Argument(help="The short name, e.g. 浦发.")],
    customer: CustomerRef,
) -> None:
    """Give a customer another name it is known by; `show 浦发`, CSV files and every command then find it."""
    from kehu import book
    from kehu.render.names import reason_text
    from kehu.store import customers as store, names

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        target = store.resolve_customer(s, customer)
        row, similar = names.add_alias(s, target, alias)
        facts = dict(id=target.id, name=target.name, alias=row.alias)
    say(ctx, "alias_added", **facts)
    for other, reason in similar:
        say(ctx, "similar_customer_alias", id=other.id, name=other.name, reason=reason_text(reason, st.lang))


@app.command("remove")
def alias_remove(
    ctx: typer.Context,
    alias: Annotated[str, typer.Argument(help="The short name to remove.")],
) -> None:
    """Remove an alias; the customer keeps its name and everything else."""
    from kehu import book
    from kehu.store import names

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        customer, text = names.remove_alias(s, alias)
        facts = dict(id=customer.id, name=customer.name, alias=text)
    say(ctx, "alias_removed", **facts)


@app.command("list")
def alias_list(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Argument(help="Only this customer's aliases.", autocompletion=complete_customer)] = None,
    json: Json = False,
) -> None:
    """List the aliases, by customer."""
    from kehu import book
    from kehu.render.names import aliases_grid, aliases_json
    from kehu.store import customers as store, names

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        target = store.resolve_customer(s, customer) if customer else None
        rows = names.list_aliases(s, target)
        if json:
            emit_json(aliases_json(rows))
            return
        if not rows:
            say(ctx, "aliases_none")
            return
        show([aliases_grid(rows, st.lang)])


def dupes(ctx: typer.Context, json: Json = False) -> None:
    """List pairs of customers that are probably the same one, with the reason (names compared
    without region, legal form and width; a branch such as 深圳分行 counts as a different customer)."""
    from kehu import book
    from kehu.render.names import dupes_grid, dupes_json
    from kehu.store import names

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        pairs = names.duplicates(s)
        if json:
            emit_json(dupes_json(pairs))
            return
        if not pairs:
            say(ctx, "dupes_none")
            return
        show([dupes_grid(pairs, st.lang)])


def merge(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(metavar="KEEP", help="The customer that stays (id or name).",
                                            autocompletion=complete_customer)],
    gone: Annotated[str, typer.Argument(metavar="GONE", help="The duplicate that goes into it (id or name).",
                                        autocompletion=complete_customer)],
    dry_run: DryRun = False,
    json: Json = False,
) -> None:
    """Merge a duplicate customer into another: its people, touchpoints, promises, tasks, contracts with
    instalments and negotiation plans, history and aliases move over, its name becomes an alias, empty
    fields are filled from it. One operation: `kehu undo` takes it all back."""
    from kehu import book
    from kehu.i18n import label
    from kehu.render.names import field_text, merge_json, moved_text
    from kehu.store import customers as store, names

    st = state(ctx)
    with book.open(st.db, st.inv, write=not dry_run) as (s, _):
        kept, other = store.resolve_customer(s, customer), store.resolve_customer(s, gone)
        if dry_run:
            plan = names.plan_merge(s, kept, other)
        else:
            plan = names.merge_customers(s, kept, other)
        facts = dict(id=plan.keep.id, name=plan.keep.name, gone_id=plan.gone.id, gone=plan.gone.name,
                     moved=moved_text(plan.moved, st.lang))
        stages = dict(gone_stage=label("stage", plan.gone.stage, st.lang), stage=label("stage", plan.keep.stage,
                                                                                       st.lang))
        result = merge_json(plan, not dry_run)
    if json:
        emit_json(result)
    say(ctx, "merge_would" if dry_run else "merged", **facts)
    sep = "、" if st.lang == "zh" else ", "
    if plan.people_joined:
        say(ctx, "merge_people_joined", names=sep.join(p[0] for p in plan.people_joined))
    if plan.fields:
        say(ctx, "merge_fields", fields=sep.join(field_text(f, st.lang) for f in plan.fields))
    if plan.stage_note:
        say(ctx, "merge_stage", **stages)


def register(commands: typer.Typer) -> None:
    commands.add_typer(app, name="alias")
    commands.command("dupes")(dupes)
    commands.command("merge")(merge)

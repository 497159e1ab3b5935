"""Touchpoints (接触) and the promises made in them."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, enum, future_day, past_day, say, show, state
from kehu.cli.options import CustomerRef, Json

promise_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Promises we made to customers (承诺).")


def touch(
    ctx: typer.Context,
    customer: CustomerRef,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="daily, topic, showcase, team_event, joint_launch, exec_letter, hq_visit, exec_visit, forum, summit "
                 "(or the Chinese label, e.g. 峰会).",
        ),
    ],
    with_: Annotated[list[str] | None, typer.Option("--with", help="A person met (repeat for several).")] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="When (default today): 2026-03-05, 昨天, 上周五, 3月5日 (the last one), -2d..."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    signal: Annotated[list[str] | None, typer.Option("--signal", help="A customer signal seen (repeat).")] = None,
    next_: Annotated[str | None, typer.Option("--next", help="The next step agreed.")] = None,
    next_due: Annotated[
        str | None,
        typer.Option("--next-due", help="When the next step is due: 下周三, 3月5日 (the next one), +3d..."),
    ] = None,
    promise: Annotated[str | None, typer.Option("--promise", help="A promise we made.")] = None,
    promise_due: Annotated[
        str | None,
        typer.Option("--promise-due", help="When the promise is due: 周五, 3月5日 (the next one), +3d..."),
    ] = None,
    follows: Annotated[
        list[str] | None,
        typer.Option(
            "--follows", metavar="ID",
            help="A next step (N12) or after-sale visit (A4) from kehu remind that this touchpoint carries out; it "
                 "is closed.",
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Record a touchpoint with a customer (and optionally a next step and a promise)."""
    from kehu import book
    from kehu.store import customers, followups, settings, touchpoints
    from kehu.store import people as people_
    from kehu.errors import UsageError
    from kehu.i18n import label
    from kehu.rules.followups import parse_item_id

    st = state(ctx)
    data = {
        "day": past_day(day),
        "kind": enum("touch_kind", kind, ctx),
        "note": note,
        "signals": [x for x in (signal or []) if x.strip()],
        "next_step": next_,
        "next_due": future_day(next_due) if next_due else None,
        "promise": promise,
        "promise_due": future_day(promise_due) if promise_due else None,
    }
    followed = []
    for ref in follows or []:
        parsed = parse_item_id(ref)
        if parsed is None or parsed[0] not in ("next_step", "aftercare"):
            raise UsageError("follows_needs_next_step", value=ref)
        followed.append(parsed)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        people = [people_.resolve_person(s, c, ref) for ref in (with_ or [])]
        t, p = touchpoints.add_touch(s, c, data, people, settings.read(s))
        for kind_, ref in followed:
            if kind_ == "aftercare":
                followups.close_aftercare(s, ref, t.day, customer=c)
            else:
                followups.close_next_step(s, ref, t.day, customer=c)
    if json:
        emit_json({"id": t.id, "customer": c.name, "date": t.day, "kind": t.kind,
                   "with": [x.name for x in people], "promise_id": p.id if p else None})
    say(ctx, "added_touch", id=t.id, customer=c.name, kind=label("touch_kind", t.kind, st.lang), date=t.day,
        understood=[(day, t.day), (next_due, data["next_due"]), (promise_due, data["promise_due"])])
    if p is not None:
        say(ctx, "added_promise", id=p.id, due=p.due)
    for kind_, ref in followed:
        say(ctx, "followup_closed_by_touch", id=f"{'A' if kind_ == 'aftercare' else 'N'}{ref}")


@promise_app.command("list")
def promise_list(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Argument(help="Only this customer's promises.")] = None,
    json: Json = False,
) -> None:
    """Promises, by due date: open, kept, broken."""
    from kehu import book
    from kehu.store import customers, promises
    from kehu.dates import today
    from kehu.render.touchpoints import promise_json, promises_grid

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer) if customer else None
        items = [(p, promises.promise_state(p), name) for p, name in promises.list_promises(s, c)]
    if json:
        emit_json([promise_json(p, state_, name, today()) for p, state_, name in items])
    elif items:
        show([promises_grid(items, st.lang, today(), with_customer=c is None)])


def _mark(ctx: typer.Context, ident: str, state_key: str, day: str | None) -> None:
    from kehu import book
    from kehu.store import promises
    from kehu.i18n import label

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        p = promises.get_promise(s, ident)
        promises.mark_promise(s, p, state_key, when)
    say(ctx, "promise_marked", id=p.id, state=label("promise_state", state_key, st.lang), understood=[(day, when)])
    if state_key == "kept" and when > p.due:
        say(ctx, "promise_late", due=p.due)


@promise_app.command("kept")
def promise_kept(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Promise id.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was kept (default today).")] = None,
) -> None:
    """Mark a promise kept (on time if on or before its due date)."""
    _mark(ctx, ident, "kept", day)


@promise_app.command("broken")
def promise_broken(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Promise id.")],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
) -> None:
    """Mark a promise broken: it lowers reliability (靠谱)."""
    _mark(ctx, ident, "broken", day)


def register(app: typer.Typer) -> None:
    app.command("touch")(touch)

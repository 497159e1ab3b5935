"""Touchpoints (接触) and the promises made in them."""

from __future__ import annotations

from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu.cli._common import emit_json, enum, future_day, past_day, say, show, state
from kehu.cli.options import complete_customer, CustomerRef, Json


class _AddByDefault(TyperGroup):
    """`kehu touch 华为 --kind daily` is `kehu touch add 华为 --kind daily`: anything but
    `edit`, `delete` or `add` first is a customer (a customer named edit: `kehu touch add edit`)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx, incomplete):
        """`kehu touch <Tab>`: the subcommands, then the customers (`kehu touch 华为`)."""
        from typer.models import CompletionItem

        return [*super().shell_complete(ctx, incomplete),
                *(CompletionItem(n) for n in complete_customer(ctx, incomplete))]


touch_app = typer.Typer(
    cls=_AddByDefault, no_args_is_help=True, rich_markup_mode=None,
    help="Touchpoints (接触): kehu touch CUSTOMER --kind KIND records one; edit and delete correct them.",
)
promise_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Promises we made to customers (承诺).")

Channel = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="How a daily contact happened: phone, wechat, email, meeting (电话/微信/邮件/面谈); --kind 电话 says the "
             "same.",
    ),
]


def kind_and_channel(ctx: typer.Context, kind: str | None, channel: str | None) -> tuple[str | None, str | None]:
    """The kind and channel typed: a kind that names a channel (电话, 微信, 邮件, 面谈) is a
    daily contact by that channel. A channel "" (on edit) clears it."""
    from kehu.errors import UsageError
    from kehu.i18n import parse_enum

    channel_key = enum("touch_channel", channel, ctx)
    if kind is None or not kind.strip():
        return enum("touch_kind", kind, ctx), channel_key
    try:
        implied = parse_enum("touch_channel", kind)
    except UsageError:
        return enum("touch_kind", kind, ctx), channel_key
    if channel_key and channel_key != implied:
        raise UsageError("kind_channel_conflict", kind=kind, channel=channel)
    return "daily", implied


TouchId = Annotated[str, typer.Argument(metavar="ID", help="Touchpoint number (#12 in kehu show, N12 in kehu remind).")]


@touch_app.command("add")
def touch(
    ctx: typer.Context,
    customer: CustomerRef,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="daily (the default), topic, showcase, team_event, joint_launch, exec_letter, hq_visit, exec_visit, "
                 "forum, summit (or the Chinese label, e.g. 峰会, or as people say it: 拜访, 会议...); "
                 "电话, 微信, 邮件, 面谈 are a daily contact by that channel.",
        ),
    ] = "daily",
    with_: Annotated[list[str] | None, typer.Option("--with", help="A person met (repeat for several).")] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="When (default today): 2026-03-05, 昨天, 上周五, 3月5日 (the last one), -2d..."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    signal: Annotated[list[str] | None, typer.Option("--signal", help="A customer signal seen (repeat).")] = None,
    signal_kind: Annotated[
        list[str] | None,
        typer.Option("--signal-kind", metavar="KIND[:DIRECTION]",
                     help="A structured signal (repeat): questions, time, depth, referral, price, rivals, funds, "
                          "complaint, rival, budget, invitation, personal (or 提问, 资金...), optionally :for, "
                          ":against or :neutral (有利/不利/中性)."),
    ] = None,
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
    channel: Channel = None,
    care: Annotated[
        bool, typer.Option("--care", help="A contact that does not sell: thanks, greetings, help in need (关怀)."),
    ] = False,
    json: Json = False,
) -> None:
    """Record a touchpoint with a customer (and optionally a next step and a promise)."""
    from kehu import book
    from kehu.store import customers, followups, settings, touchpoints
    from kehu.store import people as people_
    from kehu.errors import UsageError
    from kehu.render.aftersale import guide_notice
    from kehu.render.touchpoints import kind_text
    from kehu.rules.followups import parse_item_id

    st = state(ctx)
    kind_key, channel_key = kind_and_channel(ctx, kind, channel)
    data = {
        "day": past_day(day),
        "kind": kind_key,
        "channel": channel_key,
        "note": note,
        "signals": [x for x in (signal or []) if x.strip()],
        "next_step": next_,
        "next_due": future_day(next_due) if next_due else None,
        "promise": promise,
        "promise_due": future_day(promise_due) if promise_due else None,
        "care": care or None,
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
        from kehu.store.signals import parse_kinds

        kinds = parse_kinds(signal_kind or [])
        t, p = touchpoints.add_touch(s, c, data, people, settings.read(s), kinds)
        for kind_, ref in followed:
            if kind_ == "aftercare":
                followups.close_aftercare(s, ref, t.day, customer=c)
            else:
                followups.close_next_step(s, ref, t.day, customer=c)
        brought = _guides_brought(s, c, t) if t.next_step or data["signals"] or kinds else []
    if json:
        emit_json({"id": t.id, "customer": c.name, "date": t.day, "kind": t.kind, "channel": t.channel,
                   "with": [x.name for x in people], "promise_id": p.id if p else None})
    say(ctx, "added_touch", id=t.id, customer=c.name, kind=kind_text(t.kind, t.channel, st.lang), date=t.day,
        understood=[(day, t.day), (next_due, data["next_due"]), (promise_due, data["promise_due"])])
    if care:
        say(ctx, "care_touch")
    if p is not None:
        say(ctx, "added_promise", id=p.id, due=p.due)
    for key in brought:
        say(ctx, "guide_line", line=guide_notice(key, st.lang))
    for kind_, ref in followed:
        say(ctx, "followup_closed_by_touch", id=f"{'A' if kind_ == 'aftercare' else 'N'}{ref}")


def _guides_brought(s, c, t) -> list[str]:
    """The guides this touchpoint brought up (rules.guides, the selection of `kehu show`):
    a visit agreed as the next step, the visit plan; the customer coming to see us, the
    hosting checklist; an objection heard, objection handling; a rival at a mature
    customer, keeping the lead; a request to cut the price (written or typed as a kind),
    the price-cut guide, with a cheaper rival that guide too; funds trouble, the
    non-payment guide. None for an account whose relationship has ended (but for money
    it still owes, whose occasion is the instalment, not the touch)."""
    from kehu.dates import today
    from kehu.store import aftersale

    mine = (f"N{t.id}", f"T{t.id}")
    return [g.key for g in aftersale.guides_for(s, c, today()) if g.occasion in mine]


@promise_app.command("list")
def promise_list(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Argument(help="Only this customer's promises.", autocompletion=complete_customer),
    ] = None,
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


def _mark(ctx: typer.Context, idents: list[str], state_key: str, day: str | None) -> None:
    from kehu import book
    from kehu.store import promises
    from kehu.i18n import label

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        marked = promises.get_promises(s, idents)
        for p in marked:  # all or nothing: one refusal rolls back the others
            promises.mark_promise(s, p, state_key, when)
    for p in marked:
        say(ctx, "promise_marked", id=p.id, state=label("promise_state", state_key, st.lang),
            understood=[(day, when)])
        if state_key == "kept" and when > p.due:
            say(ctx, "promise_late", due=p.due)


PromiseIds = Annotated[list[str], typer.Argument(metavar="ID...", help="Promise id(s); several are all or nothing.")]
PromiseId = Annotated[str, typer.Argument(metavar="ID", help="Promise id.")]


@promise_app.command("kept")
def promise_kept(
    ctx: typer.Context,
    idents: PromiseIds,
    day: Annotated[str | None, typer.Option("--date", help="When it was kept (default today).")] = None,
) -> None:
    """Mark one or more promises kept (on time if on or before the due date)."""
    _mark(ctx, idents, "kept", day)


@promise_app.command("broken")
def promise_broken(
    ctx: typer.Context,
    idents: PromiseIds,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
) -> None:
    """Mark one or more promises broken: it lowers reliability (靠谱)."""
    _mark(ctx, idents, "broken", day)


@promise_app.command("edit")
def promise_edit(
    ctx: typer.Context,
    ident: PromiseId,
    text: Annotated[str | None, typer.Option("--text", help="What was promised.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="The new due date (+3d counts from today).")] = None,
) -> None:
    """Change a promise's text or due date: for an overdue one, explain and agree a new date."""
    from kehu import book
    from kehu.store import promises
    from kehu.models import Customer

    st = state(ctx)
    new_due = future_day(due) if due is not None else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        p = promises.get_promise(s, ident)
        changed = promises.edit_promise(s, s.get(Customer, p.customer_id), p, text, new_due)
    say(ctx, "promise_edited", id=p.id, fields=", ".join(changed), understood=[(due, new_due)])


@promise_app.command("reopen")
def promise_reopen(ctx: typer.Context, ident: PromiseId) -> None:
    """Open again a promise marked kept or broken by mistake."""
    from kehu import book
    from kehu.store import promises
    from kehu.models import Customer

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        p = promises.get_promise(s, ident)
        promises.reopen_promise(s, s.get(Customer, p.customer_id), p)
    say(ctx, "promise_reopened", id=p.id)


@promise_app.command("delete")
def promise_delete(ctx: typer.Context, ident: PromiseId) -> None:
    """Delete a promise recorded by mistake (the touchpoint it was made at stays)."""
    from kehu import book
    from kehu.store import promises
    from kehu.models import Customer

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        p = promises.get_promise(s, ident)
        promises.delete_promise(s, s.get(Customer, p.customer_id), p)
    say(ctx, "promise_deleted", id=p.id)


@touch_app.command("edit")
def touch_edit(
    ctx: typer.Context,
    ident: TouchId,
    day: Annotated[str | None, typer.Option("--date", help="When it happened.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="The kind of touchpoint (key or label).")] = None,
    with_: Annotated[
        list[str] | None, typer.Option("--with", help="A person met (repeat); replaces the people met."),
    ] = None,
    nobody: Annotated[bool, typer.Option("--with-nobody", help="Nobody named was met: clears the people.")] = False,
    note: Annotated[str | None, typer.Option("--note", help='What happened ("" clears it).')] = None,
    signal: Annotated[
        list[str] | None, typer.Option("--signal", help='A signal seen (repeat); replaces the signals ("" clears).'),
    ] = None,
    next_: Annotated[str | None, typer.Option("--next", help='The next step agreed ("" clears it).')] = None,
    next_due: Annotated[str | None, typer.Option("--next-due", help="When the next step is due.")] = None,
    promise: Annotated[str | None, typer.Option("--promise", help="The text of the promise made at it.")] = None,
    promise_due: Annotated[str | None, typer.Option("--promise-due", help="The promise's due date.")] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help='How the daily contact happened: phone, wechat, email, meeting ("" clears it).'),
    ] = None,
) -> None:
    """Correct a touchpoint: its date, kind, people met, note, signals, next step or promise."""
    from kehu import book
    from kehu.store import settings, touchpoints
    from kehu.store import people as people_
    from kehu.errors import UsageError
    from kehu.models import Customer

    st = state(ctx)
    if with_ and nobody:
        raise UsageError("with_and_nobody")
    kind_key, channel_key = kind_and_channel(ctx, kind, channel)
    data = {
        "day": past_day(day) if day is not None else None,
        "kind": kind_key,
        "channel": channel_key,
        "note": note,
        "signals": list(signal) if signal is not None else None,
        "next_step": next_,
        "next_due": future_day(next_due) if next_due else None,
        "promise": promise,
        "promise_due": future_day(promise_due) if promise_due else None,
    }
    with book.open(st.db, st.inv, write=True) as (s, _):
        t = touchpoints.get_touch(s, ident.strip().upper().removeprefix("N"))
        c = s.get(Customer, t.customer_id)
        people = [] if nobody else [people_.resolve_person(s, c, ref) for ref in with_] if with_ else None
        changed = touchpoints.edit_touch(s, c, t, data, people, settings.read(s))
    say(ctx, "touch_edited", id=t.id, customer=c.name, fields=", ".join(changed),
        understood=[(day, data["day"]), (next_due, data["next_due"]), (promise_due, data["promise_due"])])


@touch_app.command("delete")
def touch_delete(
    ctx: typer.Context,
    ident: TouchId,
    yes: Annotated[bool, typer.Option("--yes", help="Also delete the promises made at it.")] = False,
) -> None:
    """Delete a touchpoint recorded by mistake, with its next step; the promises made at it
    go too, which needs --yes (kehu says which)."""
    from kehu import book
    from kehu.store import touchpoints
    from kehu.models import Customer

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        t = touchpoints.get_touch(s, ident.strip().upper().removeprefix("N"))
        c = s.get(Customer, t.customer_id)
        gone = touchpoints.delete_touch(s, c, t, yes)
    say(ctx, "touch_deleted", id=t.id, customer=c.name, promises=len(gone))


def register(app: typer.Typer) -> None:
    app.add_typer(touch_app, name="touch")

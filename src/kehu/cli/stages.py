"""The lifecycle: stage tasks, advancing (with gates), terminating and reopening."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, enum, past_day, say, show, state
from kehu.cli.options import CustomerRef, Json

OnDate = Annotated[
    str | None, typer.Option("--date", help="When it happened, for back-filling (default now).")
]


def tasks(ctx: typer.Context, customer: CustomerRef, json: Json = False) -> None:
    """The stage tasks (工作任务) of every stage, and which are done."""
    from kehu import book
    from kehu.store import customers, stages
    from kehu.render.stages import tasks_grid, tasks_json

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        done = stages.tasks_done(s, c)
    if json:
        emit_json({"id": c.id, "name": c.name, "stage": c.stage, "tasks": tasks_json(c.stage, done)})
    else:
        grid = tasks_grid(c.stage, done, st.lang)
        grid.title = c.name
        show([grid])


def done(
    ctx: typer.Context,
    customer: CustomerRef,
    task: Annotated[str, typer.Argument(help="Task key or label, e.g. visit or 客户拜访.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was done (default today).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record 项目评估 although the evaluators lean against us (needs --reason).")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the override is justified.")] = None,
) -> None:
    """Mark a stage task done."""
    from kehu import book
    from kehu.store import customers, stages
    from kehu.errors import UsageError
    from kehu.i18n import label
    from kehu.rules.domain import TASK_STAGE

    st = state(ctx)
    if force and not (reason and reason.strip()):
        raise UsageError("force_needs_reason")
    key = enum("task", task, ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        stages.mark_task(s, c, key, when, note, reason.strip() if force and reason else None)
    say(ctx, "task_marked", customer=c.name, task=label("task", key, st.lang), understood=[(day, when)])
    if TASK_STAGE[key] != c.stage:
        say(ctx, "task_other_stage", stage=label("stage", TASK_STAGE[key], st.lang),
            current=label("stage", c.stage, st.lang))


def qualify(
    ctx: typer.Context,
    customer: CustomerRef,
    fact: Annotated[
        str, typer.Argument(help="need, pay, credit, desire or authority (or 需求, 支付能力, 付款信用...)."),
    ],
    verdict: Annotated[str, typer.Argument(help="good, bad or unknown (确认良好, 有问题, 未知).")],
    note: Annotated[str | None, typer.Option("--note", help="The evidence.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When it was judged (default today).")] = None,
) -> None:
    """Record a customer's qualification: need, ability to pay, payment credit, desire, authority."""
    from kehu import book
    from kehu.store import customers, stages
    from kehu.i18n import label

    st = state(ctx)
    key = enum("qualification", fact, ctx)
    value = enum("verdict", verdict, ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        stages.qualify(s, c, key, value, note, when)
    say(ctx, "qualified", customer=c.name, fact=label("qualification", key, st.lang),
        verdict=label("verdict", value, st.lang), understood=[(day, when)])


def advance(
    ctx: typer.Context,
    customer: CustomerRef,
    force: Annotated[bool, typer.Option("--force", help="Override task and gate checks (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the override is justified.")] = None,
    day: OnDate = None,
    json: Json = False,
) -> None:
    """Move a customer one stage forward, if its tasks and gates allow."""
    from kehu import book
    from kehu.store import customers, settings, stages
    from kehu.dates import today
    from kehu.errors import Refused, UsageError
    from kehu.i18n import label
    from kehu.render.stages import blocker_text, decision_json

    st = state(ctx)
    if force and not (reason and reason.strip()):
        raise UsageError("force_needs_reason")
    when = past_day(day) if day else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        done = stages.advance(s, c, settings.read(s), today(), force=force, reason=reason, on=when)
        decision = done.decision
        reasons = [blocker_text(b, st.lang) for b in decision.blockers]
        sep = "；" if st.lang == "zh" else "; "
        if not decision.allowed:
            if json:
                emit_json({"customer": c.name, **decision_json(decision)})
            if any(b.hard for b in decision.blockers) or decision.to_stage is None:
                raise Refused("advance_refused_hard", reasons=sep.join(reasons))
            raise Refused(
                "advance_refused",
                from_stage=label("stage", decision.from_stage, st.lang),
                to_stage=label("stage", decision.to_stage, st.lang),
                reasons=sep.join(reasons),
            )
    if json:
        emit_json({"customer": c.name, **decision_json(decision)})
    params = {"customer": c.name, "from_stage": label("stage", decision.from_stage, st.lang),
              "to_stage": label("stage", decision.to_stage, st.lang)}
    if done.forced:
        say(ctx, "advanced_forced", reason=reason, reasons=sep.join(reasons), understood=[(day, when)], **params)
    else:
        say(ctx, "advanced", understood=[(day, when)], **params)


def drop(
    ctx: typer.Context,
    customer: CustomerRef,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the relationship ends (e.g. cannot pay).")] = None,
    day: OnDate = None,
) -> None:
    """Terminate a relationship (终止), from any stage, with a reason."""
    from kehu import book
    from kehu.store import customers, stages
    from kehu.errors import UsageError
    from kehu.i18n import label

    st = state(ctx)
    if not (reason and reason.strip()):
        raise UsageError("drop_needs_reason")
    when = past_day(day) if day else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        stages.drop(s, c, reason.strip(), on=when)
    say(ctx, "dropped", customer=c.name, stage=label("stage", c.stage, st.lang), reason=reason.strip(),
        understood=[(day, when)])


def reopen(ctx: typer.Context, customer: CustomerRef, day: OnDate = None) -> None:
    """Reopen a terminated relationship, back in the stage where it ended."""
    from kehu import book
    from kehu.store import customers, stages
    from kehu.i18n import label

    st = state(ctx)
    when = past_day(day) if day else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        stages.reopen(s, c, on=when)
    say(ctx, "reopened", customer=c.name, stage=label("stage", c.stage, st.lang), understood=[(day, when)])


def register(app: typer.Typer) -> None:
    app.command("tasks")(tasks)
    app.command("done")(done)
    app.command("qualify")(qualify)
    app.command("advance")(advance)
    app.command("drop")(drop)
    app.command("reopen")(reopen)

"""After the deal: `kehu complaint` (add, list, step, resolve), `kehu review CONTRACT`,
and `kehu guide` (list the guides in context, dismiss one for its occasion, tick the steps
of a hosting or other step-by-step guide)."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, enum, past_day, say, show, state
from kehu.cli.options import CustomerRef, Json, complete_customer

complaint_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                            help="Complaints (投诉): record them, follow the handling steps, call back, resolve.")
referral_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                           help="Referrals (引荐): who introduced a customer or a person.")
guide_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="Guides in context: list them, dismiss one for its occasion, tick the steps of one.")

ComplaintRef = Annotated[
    str, typer.Argument(metavar="ID", help="Complaint number (Q3 or 3, from kehu complaint list)."),
]
OnDate = Annotated[str | None, typer.Option("--date", help="When (default today).")]


@complaint_app.command("add")
def complaint_add(
    ctx: typer.Context,
    customer: CustomerRef,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What they complain about.")],
    person: Annotated[str | None, typer.Option("--person", help="Who complained (a person at the customer).")] = None,
    severity: Annotated[
        str, typer.Option("--severity", help="low, medium (the default), high (or 轻/中/重)."),
    ] = "medium",
    day: OnDate = None,
    callback: Annotated[
        str | None,
        typer.Option("--call-back", metavar="DATE",
                     help="When to call back (default: 1 day after for high, 3 for medium, 7 for low)."),
    ] = None,
    json: Json = False,
) -> None:
    """Record a complaint; its call-back becomes a follow-up (Q + its number)."""
    from kehu import book
    from kehu.cli._common import future_day
    from kehu.store import aftersale, customers
    from kehu.store import people as people_
    from kehu.render.aftersale import guide_notice

    st = state(ctx)
    sev = enum("severity", severity, ctx)
    when = past_day(day)
    due = future_day(callback) if callback else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people_.resolve_person(s, c, person) if person else None
        q = aftersale.add_complaint(s, c, text, p, sev, when, due)
    if json:
        emit_json({"id": f"Q{q.id}", "customer": c.name, "severity": q.severity, "callback_due": q.callback_due})
    say(ctx, "complaint_added", id=f"Q{q.id}", customer=c.name, due=q.callback_due,
        understood=[(day, when), (callback, due)])
    say(ctx, "guide_line", line=guide_notice("complaint", st.lang))


@complaint_app.command("list")
def complaint_list(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Argument(help="Only this customer's.", autocompletion=complete_customer),
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="Only those not resolved.")] = False,
    json: Json = False,
) -> None:
    """Complaints, oldest first, with their call-back and handling steps."""
    from kehu import book
    from kehu.dates import today
    from kehu.store import aftersale, customers
    from kehu.render.aftersale import complaint_json, complaints_grid

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        cid = customers.resolve_customer(s, customer).id if customer else None
        rows = aftersale.complaint_rows(s, cid, open_)
    if json:
        emit_json([complaint_json(r) for r in rows])
    elif rows:
        show([complaints_grid(rows, st.lang, today(), with_customer=customer is None)])


def _steps_said(ctx, q, new, lang_steps, understood=()) -> None:
    from kehu.i18n import label

    lang = state(ctx).lang
    names = "、".join(label("complaint_step", x, lang) for x in new) if lang == "zh" else \
        ", ".join(label("complaint_step", x, lang) for x in new)
    say(ctx, "complaint_steps_done", id=f"Q{q.id}", steps=names or "-", understood=understood)
    say(ctx, "checklist_line", line=lang_steps)


@complaint_app.command("step")
def complaint_step(
    ctx: typer.Context,
    ident: ComplaintRef,
    steps: Annotated[
        list[str],
        typer.Argument(metavar="STEP...",
                       help="listen, confirm, propose, carry_out, call_back, close (or 倾听、确认细节、落实...)."),
    ],
    day: OnDate = None,
) -> None:
    """Tick handling steps done; call_back closes the call-back follow-up, close resolves it."""
    from kehu import book
    from kehu.store import aftersale
    from kehu.render.aftersale import checklist
    from kehu.rules.domain import ENUMS

    st = state(ctx)
    keys = [enum("complaint_step", x, ctx) for x in steps]
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        q = aftersale.get_complaint(s, ident)
        new = aftersale.complaint_steps(s, q, keys, when)
        done = aftersale.steps_done(s, q.customer_id, "complaint", f"Q{q.id}")
    _steps_said(ctx, q, new, checklist(ENUMS["complaint_step"], done, "complaint_step", st.lang), [(day, when)])


@complaint_app.command("resolve")
def complaint_resolve(ctx: typer.Context, ident: ComplaintRef, day: OnDate = None) -> None:
    """Close a complaint (its last handling step)."""
    from kehu import book
    from kehu.store import aftersale

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        q = aftersale.get_complaint(s, ident)
        aftersale.resolve_complaint(s, q, when)
        called = q.callback_done_on is not None
    say(ctx, "complaint_resolved", id=f"Q{q.id}", date=when, understood=[(day, when)])
    if not called:
        say(ctx, "complaint_resolved_no_callback", id=f"Q{q.id}")


def review(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="CONTRACT", help="A lost or completed contract's number.")],
    background: Annotated[
        str | None, typer.Option("--background", help="The setting: climate, customer, rivals."),
    ] = None,
    planning: Annotated[
        str | None, typer.Option("--planning", help="How the need, information and goal were handled."),
    ] = None,
    execution: Annotated[str | None, typer.Option("--execution", help="What was done in each strategy.")] = None,
    results: Annotated[str | None, typer.Option("--results", help="What won or lost it.")] = None,
    lessons: Annotated[str | None, typer.Option("--lessons", help="What to do differently next time.")] = None,
    day: OnDate = None,
    json: Json = False,
) -> None:
    """The project review (复盘) of a lost or completed contract: without options, show it;
    with them, record those answers. Written once results and lessons are down."""
    from kehu import book
    from kehu.store import aftersale, contracts
    from kehu.render.aftersale import review_lines

    st = state(ctx)
    answers = {"background": background, "planning": planning, "execution": execution, "results": results,
               "lessons": lessons}
    writing = any(v is not None for v in answers.values())
    when = past_day(day)
    with book.open(st.db, st.inv, write=writing) as (s, _):
        k = contracts.get_contract(s, ident)
        if writing:
            row = aftersale.write_review(s, k, answers, when)
        else:
            row = aftersale.review_of(s, k)
        shown = aftersale.review_answers(row)
        written = row.written_on if row else None
    if json:
        emit_json({"contract": k.id, "status": k.status, "answers": shown, "written_on": written})
    else:
        show([review_lines(k, shown, written, st.lang)])
    if writing:
        say(ctx, "review_saved" if written else "review_partly", id=k.id, understood=[(day, when)])


@guide_app.command("list")
def guide_list(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Argument(help="Only this customer's (default: the whole book).",
                                   autocompletion=complete_customer),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also the guides dismissed for their occasion.")] = False,
    json: Json = False,
) -> None:
    """The guides in context now, with their occasion and the steps done of a step-by-step one."""
    from kehu import book
    from kehu.dates import today
    from kehu.render.aftersale import guide_list_grid, guide_row_json
    from kehu.store import aftersale, customers

    st = state(ctx)
    day = today()
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer) if customer else None
        rows = aftersale.guide_rows(s, c, day, with_dismissed=all_)
    if json:
        emit_json([guide_row_json(r) for r in rows])
    elif rows:
        show([guide_list_grid(rows, st.lang, with_customer=c is None, with_dismissed=all_)])


@guide_app.command("dismiss")
def guide_dismiss(
    ctx: typer.Context,
    customer: CustomerRef,
    guide: Annotated[str, typer.Argument(metavar="GUIDE", help="The guide's key, e.g. visit_plan, tender.")],
    occasion: Annotated[
        str | None,
        typer.Option("--occasion",
                     help="What called for it (N12, K5, Q3, T40, R7, stage:growth); default the one now."),
    ] = None,
) -> None:
    """Stop showing a guide for the occasion that called for it; a new occasion brings it back."""
    from kehu import book
    from kehu.dates import today
    from kehu.store import aftersale, customers

    st = state(ctx)
    key = _guide_key(guide)
    occasion = _occasion(occasion)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        occ = aftersale.dismiss(s, c, key, occasion, today())
    say(ctx, "guide_dismissed", guide=key, occasion=occ, customer=c.name)


@guide_app.command("step")
def guide_step(
    ctx: typer.Context,
    customer: CustomerRef,
    guide: Annotated[str, typer.Argument(metavar="GUIDE", help="hq_visit, project_review or complaint.")],
    occasion: Annotated[str, typer.Argument(metavar="OCCASION", help="What it is for: N12 (a next step), K5, Q3.")],
    steps: Annotated[list[str], typer.Argument(metavar="STEP...", help="The steps done, e.g. plan review.")],
    day: OnDate = None,
) -> None:
    """Tick the steps of a step-by-step guide done for one occasion (a hosting: plan, review,
    execute, wrap_up)."""
    from kehu import book
    from kehu.store import aftersale, customers
    from kehu.rules.playbooks_after import STEPS

    st = state(ctx)
    key = _guide_key(guide)
    when = past_day(day)
    occ = occasion.strip().upper() if occasion.strip()[:1].lower() in "nkqt" else occasion.strip()
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        new = aftersale.guide_steps(s, c, key, occ, steps, when)
        done = aftersale.steps_done(s, c.id, key, occ)
    line = " ".join(("✓" if x in done else "·") + x for x in STEPS.get(key, ()))
    say(ctx, "guide_steps_done", guide=key, occasion=occ, steps=", ".join(new) or "-", understood=[(day, when)])
    say(ctx, "checklist_line", line=line)


@referral_app.command("add")
def referral_add(
    ctx: typer.Context,
    customer: CustomerRef,
    by: Annotated[str, typer.Argument(metavar="BY", help="The customer who introduced them.")],
    by_person: Annotated[str | None, typer.Option("--by-person", help="The person at BY who introduced them.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="A person at CUSTOMER who was introduced.")] = None,
) -> None:
    """Record who introduced a customer (or one of its people): a customer, or a person there."""
    from kehu import book
    from kehu.store import aftersale, customers
    from kehu.store import people as people_

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        target = people_.resolve_person(s, c, person) if person else c
        b = customers.resolve_customer(s, by)
        bp = people_.resolve_person(s, b, by_person) if by_person else None
        aftersale.set_introducer(s, target, b, bp)
        said = aftersale.introducer_text(s, target)
    say(ctx, "referral_added", name=target.name, by=said)


@referral_app.command("remove")
def referral_remove(
    ctx: typer.Context,
    customer: CustomerRef,
    person: Annotated[str | None, typer.Option("--person", help="A person at CUSTOMER.")] = None,
) -> None:
    """Forget who introduced a customer (or one of its people)."""
    from kehu import book
    from kehu.errors import Unchanged
    from kehu.store import aftersale, customers
    from kehu.store import people as people_

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        target = people_.resolve_person(s, c, person) if person else c
        if aftersale.introducer_text(s, target) is None:
            raise Unchanged("referral_none", name=target.name)
        aftersale.set_introducer(s, target, None, None)
    say(ctx, "referral_removed", name=target.name)


def cycle(
    ctx: typer.Context,
    customer: CustomerRef,
    days: Annotated[
        str | None,
        typer.Argument(metavar="[DAYS]", help="The buying cycle: 90, 90d, 3m, 1y; 0 clears it. Omit to show it."),
    ] = None,
    json: Json = False,
) -> None:
    """A customer's buying cycle (采购周期): when its next purchase is worth a call."""
    from kehu import book
    from kehu.dates import today
    from kehu.store import aftersale, customers

    st = state(ctx)
    wanted = _cycle_days(days) if days is not None else None
    with book.open(st.db, st.inv, write=days is not None) as (s, _):
        c = customers.resolve_customer(s, customer)
        if days is not None:
            aftersale.set_cycle(s, c, wanted or None)
        info = aftersale.next_purchase(s, c, today())
    if json:
        emit_json({"customer": c.name, **info})
        return
    from kehu.render.blocks import Fields, iso
    from kehu.i18n import message, word

    show([Fields(c.name, [(word("purchase_cycle", st.lang), message("cycle_shown", st.lang, days=info["cycle"],
                                                                   source=message(f"cycle_{info['source']}", st.lang))),
                          (word("next_purchase", st.lang), iso(info["next_purchase"]) or "-")])])


def _cycle_days(text: str) -> int:
    import re

    from kehu.errors import UsageError

    m = re.fullmatch(r"\s*(\d{1,4})\s*([dwmy天周月年]?)\s*", text.lower())
    if not m:
        raise UsageError("bad_cycle", value=text)
    n = int(m.group(1)) * {"": 1, "d": 1, "天": 1, "w": 7, "周": 7, "m": 30, "月": 30, "y": 365, "年": 365}[m.group(2)]
    if n > 3650:
        raise UsageError("bad_cycle", value=text)
    return n


def _occasion(typed: str | None) -> str | None:
    """An occasion as `kehu guide list` shows it: a stage's name (成长期) is stage:growth."""
    from kehu.errors import UsageError
    from kehu.i18n import parse_enum

    if typed is None:
        return None
    try:
        return f"stage:{parse_enum('stage', typed.strip())}"
    except UsageError:
        return typed.strip()


def _guide_key(typed: str) -> str:
    from kehu.errors import UsageError
    from kehu.rules.playbooks import TOPICS, find

    key = find(typed)
    if key is None:
        raise UsageError("playbook_unknown", topic=typed, accepted=", ".join(TOPICS))
    return key


def register(app: typer.Typer) -> None:
    app.add_typer(complaint_app, name="complaint")
    app.add_typer(guide_app, name="guide")
    app.add_typer(referral_app, name="referral")
    app.command("review")(review)
    app.command("cycle")(cycle)

"""Whom to call and why: tiers, the due follow-ups (remind, next, followup), the funnel."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kehu.cli import _common
from kehu.cli._common import emit_json, past_day, say, show, state, stdout_is_terminal, without_gc
from kehu.cli.options import Json, Mine
from kehu.cli.team import owner_filter

followup_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None,
    help="Follow-up items (跟进): close or explain one.",
)
Owner = Annotated[
    str | None,
    typer.Option("--owner", help="Only the customers this salesperson holds (for tier: in the warnings)."),
]


def _within(value: str) -> int:
    """'7d', '2w', '0' → days."""
    from kehu.errors import UsageError

    import re

    m = re.fullmatch(r"([0-9]{1,4})([dw]?)", value.strip().lower())
    if not m or int(m[1]) * (7 if m[2] == "w" else 1) > 3650:
        raise UsageError("bad_within", value=value)
    return int(m[1]) * (7 if m[2] == "w" else 1)


def _urgency_legend(lang: str):
    from kehu.i18n import message
    from kehu.render.blocks import LEGEND, Lines

    return Lines(None, [message("legend_urgency", lang)], LEGEND)


@without_gc
def tier(
    ctx: typer.Context,
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="CUSTOMER", help="Say why this customer is in its tier."),
    ] = None,
    owner: Owner = None,
    mine: Mine = False,
    json: Json = False,
) -> None:
    """The value pyramid (客户金字塔) of the customers doing business, effort warnings, and the pipeline apart."""
    from kehu import book
    from kehu.store import customers, settings, tiers
    from kehu.dates import today
    from kehu.rules import tiers as R
    from kehu.money import amount_text
    from kehu.i18n import message
    from kehu.render.blocks import LEGEND, Lines
    from kehu.render.tiers import (PIPELINE_SHOWN, pipeline_grid, pipeline_json, tier_explain_text, tier_grid,
                                   tier_json, tier_warnings_grid, warning_text)

    st = state(ctx)
    owner = owner_filter(ctx, owner, mine)
    day = today()
    with book.open(st.db, st.inv, write=False) as (s, _):
        cfg = settings.read(s)
        cuts = cfg.cuts
        cadence = cfg.cadence
        if explain is not None:
            c = customers.resolve_customer(s, explain)
            row = tiers.tier_of_customer(s, c, cfg, day) if c.terminated_at is None else None
            text = tier_explain_text(row, cuts, st.lang, c.name, cfg.mins, c, cfg.forecast)
            warns = []
            if row is not None:
                warns = R.warnings(tier=row.tier, level=row.level, effort=row.effort,
                                   cell_=R.cell(row.profit_now, row.profit_future), cadence=cadence,
                                   known_days=row.known_days(day), business=row.business,
                                   pursuing=c.id in tiers.pursuing_ids(s), cell_factors=cfg.cell_factors)
            if json:
                emit_json({
                    "id": c.id, "name": c.name, "tier": row.tier if row else None,
                    "value": amount_text(row.value) if row else None,
                    "above": row.above if row else None, "total": row.total if row else None,
                    "business": row.business if row else None, "big": tiers.is_big(s, c.id),
                    "cuts": list(cuts), "min_counts": list(cfg.mins), "cell": R.cell(c.profit_now, c.profit_future),
                    "effort": round(row.effort, 2) if row else None,
                    "warnings": [{"key": w.key, **w.params} for w in warns], "text": text,
                    "own_numbers": ["tier.min_counts", "forecast.*", "kind_weight.*", "cadence.*"] if row else [],
                })
            else:
                lines = [text] + [f"! {warning_text(w, st.lang)}" for w in warns]
                if row is not None:  # kehu's own numbers are behind its standing and effort
                    lines.append(message("own_numbers_tier", st.lang))
                legend = [Lines(None, [message("legend_effort", st.lang)], LEGEND)] if warns else []
                show([Lines(None, lines), *legend])
            return
        counts, total, rows, prospects, anyone_business = tiers.tier_report(s, cfg, day, owner)
        pursuing = tiers.pursuing_ids(s)
    # nobody does business yet: the prospects are ranked among themselves and make the pyramid
    new_book = total > 0 and not anyone_business
    summary = R.summarise(counts, total)
    flagged = []
    decided: dict[tuple, list] = {}  # the rules are pure, and rows repeat their inputs
    for r in rows:
        known = r.known_days(day)
        if known is not None and known >= 365:
            known = None  # a year or more: the whole year's effort is expected
        chasing = r.id in pursuing
        same = (r.tier, r.level, r.effort, r.profit_now, r.profit_future, known, r.business, chasing)
        ws = decided.get(same)
        if ws is None:
            ws = decided[same] = R.warnings(tier=r.tier, level=r.level, effort=r.effort,
                                            cell_=R.cell(r.profit_now, r.profit_future), cadence=cadence,
                                            known_days=known, business=r.business, pursuing=chasing,
                                            cell_factors=cfg.cell_factors)
        flagged.extend((r, w) for w in ws)
    if json:
        emit_json({
            "cuts": list(cuts), "total": total, "tiers": tier_json(summary),
            "pyramid_of": "pipeline" if new_book else "business",
            "warnings": [{"id": r.id, "name": r.name, "tier": r.tier, "key": w.key, **w.params} for r, w in flagged],
            "pipeline": pipeline_json(prospects),
        })
        return
    blocks = [tier_grid(summary, st.lang)]
    if new_book:
        blocks.append(Lines(None, [message("tier_new_book", st.lang)]))
    if flagged:
        blocks.append(tier_warnings_grid(flagged, st.lang))
    if prospects:
        on_screen = stdout_is_terminal()
        blocks.append(pipeline_grid(prospects, st.lang, PIPELINE_SHOWN if on_screen else None))
        if on_screen and len(prospects) > PIPELINE_SHOWN:
            blocks.append(Lines(None, [message("pipeline_more", st.lang, n=len(prospects) - PIPELINE_SHOWN)]))
    legend = [message("legend_effort", st.lang)] if flagged else []
    legend += [message("legend_pipeline", st.lang)] if prospects else []
    if legend:
        blocks.append(Lines(None, legend, LEGEND))
    show(blocks)


@without_gc
def remind(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Also what falls due in this window: 7d, 2w, 0.")] = "7d",
    owner: Owner = None,
    mine: Mine = False,
    new: Annotated[
        bool,
        typer.Option("--new", help="Only what became due since the previous --new run (for cron)."),
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show how each urgency is made up.")] = False,
    ics: Annotated[
        str | None,
        typer.Option("--ics", metavar="FILE",
                     help="Also write the items as an iCalendar file with alarms (-: on standard output, "
                          "instead of the list)."),
    ] = None,
    post: Annotated[
        str | None,
        typer.Option("--post", metavar="URL",
                     help="Send the items as a Markdown message to a WeCom, DingTalk or Feishu group robot's "
                          "webhook instead of printing them (signing secret: KEHU_POST_SECRET)."),
    ] = None,
    post_format: Annotated[
        str | None,
        typer.Option("--post-format", metavar="wecom|dingtalk|feishu",
                     help="The webhook's service, when its address does not tell."),
    ] = None,
    json: Json = False,
) -> None:
    """What is due: overdue, today, upcoming; most urgent first. Prints nothing when nothing is due.

    Also warns a salesperson (--owner, --mine, else the acting one) of their customers
    about to return to the public pool."""
    from kehu import book
    from kehu.store import followups, settings
    from kehu.cli.team import acting
    from kehu.dates import today
    from kehu.rules.names import name_key
    from kehu.render.followups import ranked_json, remind_grid, remind_plain

    st = state(ctx)
    days = _within(within)
    day = today()
    owner = owner_filter(ctx, owner, mine)
    scope = (name_key(owner or "") or "*")[:200]
    service = None
    if post is not None:
        from kehu import push

        service, wait = push.format_of(post, post_format), push.timeout()
    elif post_format is not None:
        from kehu.errors import UsageError

        raise UsageError("post_format_needs_post")
    if ics == "-" and json:
        from kehu.errors import UsageError

        raise UsageError("ics_dash_alone")  # both would go to standard output
    with book.open(st.db, st.inv, write=new) as (s, _):
        ranked = followups.due_ranked(s, settings.read(s), day, days, owner, pool_owner=owner or acting(ctx))
        if ics:
            # The calendar holds everything due (it is a state, not a delta), and is
            # written before --new records anything: if it fails, nothing is forgotten.
            from kehu.ics import write_calendar

            write_calendar(ics, ranked, st.lang, day)
        if new:
            ranked = followups.keep_new(s, scope, ranked)
        if service is not None and ranked:
            # Sent inside the transaction that records what --new has reported: a message
            # that did not go out (push.send raises) rolls that record back, so the next
            # --new run sends these items again. The book stays locked while it is sent
            # (at most two attempts of KEHU_POST_TIMEOUT seconds).
            import os

            from kehu.render.followups import remind_markdown

            title, text = remind_markdown(ranked, st.lang, day, days, push.MAX_BYTES[service])
            push.send(service, post, title, text, secret=os.environ.get("KEHU_POST_SECRET") or None, wait=wait)
    if ics and ics != "-" and _common.stderr_is_terminal():
        say(ctx, "ics_written", path=ics, count=len(ranked))
    if service is not None:  # the message went to the chat, not to stdout
        if ranked and _common.stderr_is_terminal():
            from kehu.i18n import message

            say(ctx, "post_sent", service=message(f"post_service_{service}", st.lang), count=len(ranked))
        return
    if ics == "-":  # the calendar went to standard output, in place of the list
        return
    if json:
        if ranked:
            emit_json([ranked_json(r, st.lang, day) for r in ranked])
        return
    if not ranked:
        return
    if stdout_is_terminal():
        show([remind_grid(ranked, st.lang, day, explain), _urgency_legend(st.lang)])
    else:
        sys.stdout.write(remind_plain(ranked, st.lang, day, explain, within=days))


@followup_app.command("done")
def followup_done(
    ctx: typer.Context,
    idents: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Item ids from kehu remind: N12 (next step), P3 (promise) or A4 (after-sale visit); several are "
                 "all or nothing.",
        ),
    ],
    day: Annotated[str | None, typer.Option("--date", help="When it was done (default today).")] = None,
) -> None:
    """Close follow-ups: next steps done, promises kept, after-sale visits made."""
    from kehu import book
    from kehu.store import followups
    from kehu.errors import UsageError
    from kehu.rules.followups import parse_item_id

    st = state(ctx)
    items = {}
    for ident in idents:
        parsed = parse_item_id(ident)
        if parsed is None:
            raise UsageError("followup_bad_id", value=ident)
        items.setdefault(ident.strip().upper(), parsed)
    when = past_day(day)
    done = []
    with book.open(st.db, st.inv, write=True) as (s, _):
        for shown, (kind, ref) in items.items():  # one refusal rolls back the others
            done.append((shown, *followups.close(s, kind, ref, when, shown)))
    for shown, text, promise in done:
        say(ctx, "followup_done", id=shown, text=text, understood=[(day, when)])
        if promise is not None and when > promise.due:
            say(ctx, "promise_late", due=promise.due)


def _next_step_id(ident: str) -> int:
    from kehu.errors import UsageError
    from kehu.rules.followups import parse_item_id

    parsed = parse_item_id(ident)
    if parsed is None or parsed[0] != "next_step":
        raise UsageError("followup_next_step_only", value=ident)
    return parsed[1]


@followup_app.command("edit")
def followup_edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="A next step's id (N12).")],
    text: Annotated[str | None, typer.Option("--text", help='What is to be done ("" clears the next step).')] = None,
    due: Annotated[str | None, typer.Option("--due", help="When it is due (+3d counts from today).")] = None,
) -> None:
    """Change a next step's text or due date, or clear it (--text ""); promises: kehu promise edit."""
    from kehu import book
    from kehu.store import followups, settings, touchpoints
    from kehu.cli._common import future_day
    from kehu.errors import UsageError
    from kehu.models import Customer

    st = state(ctx)
    ref = _next_step_id(ident)
    if text is None and due is None:
        raise UsageError("nothing_to_edit")
    data = {"next_step": text, "next_due": future_day(due) if due is not None else None}
    with book.open(st.db, st.inv, write=True) as (s, _):
        t = followups.next_step_of(s, ref)
        c = s.get(Customer, t.customer_id)
        touchpoints.edit_touch(s, c, t, data, None, settings.read(s))
    say(ctx, "followup_cleared" if t.next_step is None else "followup_edited", id=f"N{ref}",
        understood=[(due, data["next_due"])] if t.next_step is not None else ())


@followup_app.command("undone")
def followup_undone(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="A next step's id (N12).")],
) -> None:
    """Open again a next step marked done by mistake (a promise: kehu promise reopen)."""
    from kehu import book
    from kehu.store import followups

    st = state(ctx)
    ref = _next_step_id(ident)
    with book.open(st.db, st.inv, write=True) as (s, _):
        followups.reopen_next_step(s, ref)
    say(ctx, "followup_reopened", id=f"N{ref}")


@followup_app.command("explain")
@without_gc  # it ranks everything due in ten years
def followup_explain(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Item id from kehu remind.")],
    json: Json = False,
) -> None:
    """How one item's urgency is made up (tier × kind × stage × timing)."""
    from kehu import book
    from kehu.store import followups, settings
    from kehu.dates import today
    from kehu.errors import NotFound, UsageError
    from kehu.rules.followups import parse_item_id
    from kehu.i18n import label, word
    from kehu.render.blocks import Fields
    from kehu.render.followups import explain_parts, item_text, ranked_json

    st = state(ctx)
    parsed = parse_item_id(ident)
    if parsed is None:
        raise UsageError("followup_bad_id", value=ident)
    day = today()
    with book.open(st.db, st.inv, write=False) as (s, _):
        ranked = followups.explain_candidates(s, settings.read(s), day, *parsed)
    match = [r for r in ranked if r.item.id == ident.strip().upper()]
    if not match:
        raise NotFound("followup_not_found", id=ident.strip().upper())
    r = _worded(match[:1], st.lang)[0]
    if json:
        emit_json(ranked_json(r, st.lang, day))
    else:
        show([Fields(f"{r.item.id} {r.item.customer}", [
            (word("item", st.lang), label("item_kind", r.item.kind, st.lang)),
            (word("what", st.lang), item_text(r.item, st.lang, day)),
            (word("due", st.lang), r.item.due.isoformat()),
            (word("urgency", st.lang), explain_parts(r, st.lang)),
        ])])


def _worded(ranked: list, lang: str) -> list:
    """kehu next's own items (a stage task, a decider gap, a trust tip) in the reader's
    language: the store decides them and leaves their text to be worded from their extra."""
    from dataclasses import replace

    from kehu.i18n import label, message
    from kehu.render.blocks import keyed
    from kehu.render.trust import suggestion_text
    from kehu.rules.trust import score_shown

    out = []
    for r in ranked:
        item, x = r.item, r.item.extra
        if item.kind == "task":
            text = message("next_task", lang, task=keyed("task", x["task"], lang))
        elif item.kind == "decider":
            text = message(x["key"], lang, **x["params"])
        elif item.kind == "routine":
            since = (message("routine_last", lang, day=x["last"].isoformat()) if x.get("last")
                     else message("routine_never", lang))
            text = message("next_routine", lang, name=x["name"], level=label("person_level", x["level"], lang),
                           since=since)
        elif item.kind == "decay":
            text = message(x["key"], lang, **x["params"])
        elif item.kind in ("referral", "expansion"):
            text = message(f"{item.kind}_text", lang)
        elif item.kind == "trust":
            text = message(
                "next_trust", lang, score=f"{score_shown(x['score']):.1f}",
                factor=label("factor", x["factor"], lang), tip=suggestion_text(x["tip"], lang),
            )
        else:
            out.append(r)
            continue
        out.append(replace(r, item=replace(item, text=text)))
    return out


@without_gc
def next_(
    ctx: typer.Context,
    n: Annotated[int, typer.Option("-n", help="How many items.", min=1, max=500)] = 10,
    owner: Owner = None,
    mine: Mine = False,
    json: Json = False,
) -> None:
    """The ranked agenda: what is due, the next stage task and the trust gap, one line each."""
    from kehu import book
    from kehu.store import followups, settings
    from kehu.cli.team import acting
    from kehu.dates import today
    from kehu.render.aftersale import guide_json, next_guides
    from kehu.render.followups import ranked_json, remind_grid, remind_plain
    from kehu.store import aftersale

    st = state(ctx)
    day = today()
    owner = owner_filter(ctx, owner, mine)
    terminal = not json and stdout_is_terminal()
    with book.open(st.db, st.inv, write=False) as (s, _):
        agenda = _worded(followups.agenda(s, settings.read(s), day, n, owner, owner or acting(ctx)), st.lang)
        # The guides whose occasion is current for the customers on the page, in one
        # batch: below the list on a terminal, on each item in JSON; never in the
        # tab-separated lines of a pipe, which scripts read one item a line.
        guides = aftersale.guides_of(s, [r.item.customer_id for r in agenda], day) if json or terminal else {}
    if json:
        emit_json([{**ranked_json(r, st.lang, day),
                    "guides": [guide_json(g) for g in guides.get(r.item.customer_id, ())]} for r in agenda])
    elif agenda:
        if terminal:
            show([remind_grid(agenda, st.lang, day, brief=True), _urgency_legend(st.lang),
                  *next_guides(agenda, guides, st.lang)])
        else:
            sys.stdout.write(remind_plain(agenda, st.lang, day))


@without_gc
def funnel(
    ctx: typer.Context,
    json: Json = False,
    top: Annotated[int, typer.Option("--top", help="How many cold customers to name.", min=0, max=1000)] = 10,
    owner: Owner = None,
    mine: Mine = False,
) -> None:
    """Customers per stage, conversion to the next, median days per stage, who is going cold."""
    from kehu import book
    from kehu.store import customers, settings, stages
    from kehu.rules import funnel as R
    from kehu.i18n import label, message, word
    from kehu.render.blocks import Lines
    from kehu.render.funnel import funnel_grid

    st = state(ctx)
    from kehu.dates import moment_on, today

    owner = owner_filter(ctx, owner, mine)
    with book.open(st.db, st.inv, write=False) as (s, _):
        cfg = settings.read(s)
        events = stages.stage_events(s, cfg, owner)
        counts = stages.stage_counts(s, cfg, owner)
        ended = stages.terminated_ids(s)
        all_stays = R.stays(events)
        cold_days = cfg.cold_days
        open_stays = [x for x in all_stays if x.left is None and x.customer_id not in ended]
        cold = R.going_cold(open_stays, moment_on(today()), cold_days)
        names = customers.names_of(s, [x.customer_id for x, _ in cold[:top]])
    rows = R.funnel(all_stays, counts)
    if json:
        emit_json({
            "stages": [
                {"stage": r.stage, "now": r.now, "reached": r.reached,
                 "conversion": round(r.conversion, 4) if r.conversion is not None else None,
                 "median_days": round(r.median_days, 1) if r.median_days is not None else None}
                for r in rows
            ],
            "going_cold": [
                {"id": x.customer_id, "name": names.get(x.customer_id), "stage": x.stage, "days": d,
                 "threshold": cold_days[x.stage]}
                for x, d in cold[:top]
            ],
            "going_cold_total": len(cold),
        })
        return
    blocks = [funnel_grid(rows, st.lang)]
    if cold:
        lines = [
            message("cold_line", st.lang, name=names.get(x.customer_id, str(x.customer_id)),
                           stage=label("stage", x.stage, st.lang), days=d, limit=cold_days[x.stage])
            for x, d in cold[:top]
        ]
        if len(cold) > top:
            lines.append(f"(+{len(cold) - top})")
        blocks.append(Lines(word("going_cold", st.lang), lines))
    show(blocks)


def register(app: typer.Typer) -> None:
    app.command("tier")(tier)
    app.command("remind")(remind)
    app.command("next")(next_)
    app.command("funnel")(funnel)
    app.add_typer(followup_app, name="followup")

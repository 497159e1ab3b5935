"""Customers: add, edit, list, show, history, timeline."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, enum, past_day, say, show, state, without_gc
from kehu.cli.options import CustomerPrefixRef, Json, Mine, Note

Industry = Annotated[str | None, typer.Option("--industry", help="Industry (行业).")]
Region = Annotated[str | None, typer.Option("--region", help="Region (地区).")]
Kind = Annotated[str | None, typer.Option("--kind", help="consumer | business | internal (消费者/商业型/内部).")]
Level = Annotated[
    str | None,
    typer.Option("--level", help="transactional | preferred | partner | alliance (买卖/优先供应商/合作伙伴/战略联盟)."),
]
Value = Annotated[str | None, typer.Option("--value", help="Annual value, e.g. 500000 or 50万.")]
Owner = Annotated[str | None, typer.Option("--owner", help="Salesperson responsible.")]
NewOwner = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help='Salesperson responsible; replacing another owner is a handover, as with kehu assign; "" takes the '
             'owner off.',
    ),
]
ProfitNow = Annotated[str | None, typer.Option("--profit-now", help="Current profitability: high | low (高/低).")]
ProfitFuture = Annotated[str | None, typer.Option("--profit-future", help="Future potential: high | low (高/低).")]
ServiceCost = Annotated[str | None, typer.Option("--service-cost", help="Cost to serve: low | high (低/高).")]
Segment = Annotated[
    str | None,
    typer.Option("--segment", help="Seed 003's segment: strategic, big, profitable, unprofitable (战略客户...)."),
]
Source = Annotated[
    str | None,
    typer.Option("--source", help="Where a prospect came from: ad, hotline, trade_show, conference, cold_visit, "
                                  "referral, other (广告, 热线, 展会...)."),
]
Address = Annotated[str | None, typer.Option("--address", help='Address (地址); "" clears it on edit.')]
Phone = Annotated[
    str | None,
    typer.Option("--phone", help="Main phone (总机), kept as typed: 010-12345678 转 123, or +86 10 1234 5678."),
]
Website = Annotated[str | None, typer.Option("--website", help="Website (网址), with or without https://.")]


def _fields(ctx: typer.Context, **raw: str | None) -> dict:
    from kehu.money import parse_amount

    return {
        "name": raw.get("name"),
        "industry": raw["industry"],
        "region": raw["region"],
        "kind": enum("customer_kind", raw["kind"], ctx),
        "level": enum("relationship_level", raw["level"], ctx),
        "value_cents": (
            None if raw["value"] is None
            else "" if not raw["value"].strip()  # `edit --value ""` clears it
            else parse_amount(raw["value"])
        ),
        "owner": raw["owner"],
        "note": raw["note"],
        "profit_now": enum("profit", raw["profit_now"], ctx),
        "profit_future": enum("profit", raw["profit_future"], ctx),
        "service_cost": enum("cost", raw["service_cost"], ctx),
        "segment": enum("segment", raw.get("segment"), ctx),
        "source": enum("source", raw.get("source"), ctx),
        "address": raw["address"],
        "phone": raw["phone"],
        "website": raw["website"],
    }


def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Customer name (organisation or person).")],
    industry: Industry = None,
    region: Region = None,
    kind: Kind = None,
    level: Level = None,
    value: Value = None,
    owner: Owner = None,
    note: Note = None,
    profit_now: ProfitNow = None,
    profit_future: ProfitFuture = None,
    service_cost: ServiceCost = None,
    segment: Segment = None,
    source: Source = None,
    address: Address = None,
    phone: Phone = None,
    website: Website = None,
    day: Annotated[
        str | None, typer.Option("--date", help="When the account was opened, for back-filling (default now).")
    ] = None,
    json: Json = False,
) -> None:
    """Add a customer; it starts as a stranger (陌生期)."""
    from kehu import book
    from kehu.store import customers
    from kehu.i18n import label
    from kehu.render.customers import customer_json

    data = _fields(ctx, name=name, industry=industry, region=region, kind=kind, level=level,
                   value=value, owner=owner, note=note, profit_now=profit_now,
                   profit_future=profit_future, service_cost=service_cost, address=address, phone=phone,
                   website=website, segment=segment, source=source)
    st = state(ctx)
    when = past_day(day) if day else None
    with book.open(st.db, st.inv, write=True, create=True) as (s, created):
        customer = customers.add_customer(s, data, on=when)
        similar = customers.similar_customers(s, customer.name, except_id=customer.id)
    if created:
        say(ctx, "created_book", path=book.describe(st.db))
    if json:
        emit_json(customer_json(customer))
    say(ctx, "added_customer", id=customer.id, name=customer.name,
        stage=label("stage", customer.stage, st.lang), understood=[(day, when)])
    if similar:
        from kehu.render.names import reason_text

        for other, reason in similar:
            say(ctx, "similar_customer", id=other.id, name=other.name, new=customer.id,
                reason=reason_text(reason, st.lang))


def edit(
    ctx: typer.Context,
    customer: CustomerPrefixRef,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    industry: Industry = None,
    region: Region = None,
    kind: Kind = None,
    level: Level = None,
    value: Value = None,
    owner: NewOwner = None,
    note: Note = None,
    profit_now: ProfitNow = None,
    profit_future: ProfitFuture = None,
    service_cost: ServiceCost = None,
    segment: Segment = None,
    source: Source = None,
    address: Address = None,
    phone: Phone = None,
    website: Website = None,
    added: Annotated[
        str | None,
        typer.Option(
            "--added", help="The day the account was opened (建档日期); stage changes may be back-dated to it.",
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Change a customer's details; an edit that changes nothing says so and writes nothing."""
    from kehu import book
    from kehu.store import customers, settings
    from kehu.render.customers import customer_json

    data = _fields(ctx, name=name, industry=industry, region=region, kind=kind, level=level,
                   value=value, owner=owner, note=note, profit_now=profit_now,
                   profit_future=profit_future, service_cost=service_cost, address=address, phone=phone,
                   website=website, segment=segment, source=source)
    st = state(ctx)
    added_on = past_day(added, "--added") if added else None
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        customers.edit_customer(s, c, data, settings.read(s), added=added_on)
    if json:
        emit_json(customer_json(c))
    say(ctx, "edited_customer", id=c.id, name=c.name, understood=[(added, added_on)])


def delete(
    ctx: typer.Context,
    customer: CustomerPrefixRef,
    yes: Annotated[bool, typer.Option("--yes", help="Really delete it, with everything recorded under it.")] = False,
) -> None:
    """Delete a customer added by mistake, with its people, touchpoints, promises, contracts,
    negotiation plans and history. Without --yes it only says what would go. Refused
    where money was paid on any of its contracts."""
    from kehu import book
    from kehu.store import customers

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        ident, name = c.id, c.name
        counts = customers.delete_customer(s, c, yes)
    say(ctx, "customer_deleted", id=ident, name=name, **counts)


@without_gc
def list_(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option("--stage", help="Only this stage (key or label).")] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only the customers this salesperson holds (any case or width; not those back in the public pool).",
        ),
    ] = None,
    mine: Mine = False,
    tier: Annotated[
        str | None, typer.Option("--tier", help="Only this tier: platinum | gold | iron | lead (白金/黄金/铁/铅)."),
    ] = None,
    active: Annotated[bool, typer.Option("--active", help="Hide the customers whose relationship has ended.")] = False,
    sort: Annotated[
        str | None,
        typer.Option("--sort", help=(
            "name | stage | last | value | tier (名称/阶段/最近接触/价值/等级): last touch newest first, "
            "value and tier best first; else by id.")),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Only customers with a hit for this text, as kehu search finds it.")
    ] = None,
    json: Json = False,
) -> None:
    """List customers with their stage, tier, people and last touch."""
    from kehu import book
    from kehu.store import customers, settings
    from kehu.cli.team import owner_filter
    from kehu.render.customers import customer_list, customer_list_json

    st = state(ctx)
    stage_key = enum("stage", stage, ctx)
    tier_key = enum("tier", tier, ctx)
    sort_key = enum("list_sort", sort, ctx)
    who = owner_filter(ctx, owner, mine)
    with book.open(st.db, st.inv, write=False) as (s, _):
        rows = customers.list_customers(s, settings.read(s), stage=stage_key, owner=who, tier=tier_key,
                                        active=active, sort=sort_key)
        if search is not None:
            rows = _with_hits(s, rows, search)
    if json:
        emit_json(customer_list_json(rows))
    elif rows:
        show([customer_list(rows, st.lang)])
    else:
        say(ctx, "no_match" if (stage_key or who or tier_key or active or search is not None) else "no_customers")


def _with_hits(s, rows: list, text: str) -> list:
    """`list --search`: the rows of customers with any hit (store.search)."""
    from kehu.errors import UsageError
    from kehu.store import search as S

    if not text.strip():
        raise UsageError("search_empty")
    found = S.customers_with(s, text)
    return [r for r in rows if r.customer.id in found]


@without_gc
def show_(ctx: typer.Context, customer: CustomerPrefixRef, json: Json = False) -> None:
    """Everything about one customer: details, stage tasks, trust, people, recent touchpoints."""
    from kehu import book
    from kehu.store import customers, settings
    from kehu.dates import today
    from kehu.i18n import label, message, word
    from kehu.money import amount_text, show_amount
    from kehu.render.contracts import contract_json, contracts_grid
    from kehu.render.customers import customer_fields, customer_json
    from kehu.render.people import people_grid, person_json
    from kehu.render.playbooks import playbook_advice
    from kehu.render.signals import prospect_json, qualification_lines, signal_lines, signals_json
    from kehu.rules.stages import qualified_prospect
    from kehu.render.aftersale import after_blocks, after_json
    from kehu.store import aftersale
    from kehu.render.stages import tasks_grid, tasks_json
    from kehu.render.team import pool_status_json
    from kehu.render.touchpoints import promise_json, promises_grid, touch_json, touches_grid
    from kehu.render.trust import trust_blocks, trust_json

    st = state(ctx)
    day = today()
    from kehu.rules import tiers as R

    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        cfg = settings.read(s)
        done, trust, tier_row, warns, people, touches, promises, contracts, pool, reading = customers.profile(
            s, c, cfg, day)
        aliases = customers.aliases_by_customer(s, [c.id]).get(c.id, [])
        from kehu.store.stages import qualification_of

        qualified = {k: (q.verdict, q.note, q.day) for k, q in qualification_of(s, c).items()}
        after = aftersale.after_profile(s, c, day)
    # the playbooks the signals and the money call for, as far as they are guides in
    # context now (their occasion current, not dismissed): with the causes they point at
    shown = {g.key for g in after.guides}
    advice = [a for a in playbook_advice(reading.signals, contracts, None if json else st.lang) if a[0] in shown]
    # A prospect (not doing business with us) gets seed 004's qualified-prospect verdict.
    business = tier_row.business if tier_row is not None else R.does_business(
        c.stage, (r.contract.status for r in contracts))
    prospect = None if business else qualified_prospect({k: v for k, (v, _, _) in qualified.items()})
    # Matrix A (seed 002): current profit × cost to serve, the cost estimated from the
    # effort when none was entered; matrix B is the cell (current × future profit).
    cost, estimated = (None, False) if tier_row is None else R.service_cost_of(
        c.service_cost, tier_row.effort, R.expected_effort(
            tier_row.tier, cfg.cadence, R.cell(c.profit_now, c.profit_future), cfg.cell_factors))
    profit_a = R.profit_a(c.profit_now, cost)
    if json:
        data = customer_json(c)
        data["aliases"] = aliases
        data["tier"] = tier_row.tier if tier_row else None
        data["cell"] = R.cell(c.profit_now, c.profit_future)
        data["profit_a"] = profit_a  # matrix A: most / less / least profitable
        data["service_cost_estimated"] = estimated and profit_a is not None
        data["big"] = R.big_customer(p.role for p in people)  # seed 004: a buying centre
        data["warnings"] = [{"key": w.key, **w.params} for w in warns]
        data["tasks"] = tasks_json(c.stage, done)
        data["trust"] = trust_json(trust, st.lang)
        data["people"] = [person_json(p) for p in people]
        data["touchpoints"] = [touch_json(t) for t in touches]
        data["promises"] = [promise_json(p, state_, today=day) for p, state_, _ in promises]
        data["tier_value"] = amount_text(tier_row.value) if tier_row else None
        data["business"] = business  # tier_value: signed in 12 months, else a prospect's expected value
        data["qualified_prospect"] = prospect_json(prospect)  # None for a customer doing business
        data["contracts"] = [contract_json(r) for r in contracts]
        data["playbooks"] = [{"key": k, "because": because, "causes": [{"cause": c_, "because": b} for c_, b in causes]}
                             for k, because, causes in advice]
        data["signals"] = signals_json(reading)
        data["qualification"] = {k: {"verdict": v, "note": n, "date": d} for k, (v, n, d) in qualified.items()}
        data["pool"] = pool_status_json(pool)
        data.update(after_json(after))
        emit_json(data)
        return
    fields = customer_fields(c, st.lang, tier_row.tier if tier_row else None, warns, pool, aliases)
    if tier_row is not None and tier_row.value != (c.value_cents or 0):
        if business:
            fields.pairs.insert(3, (word("signed_12m", st.lang), show_amount(tier_row.value) or "0"))
        else:  # a prospect stands at its expected value: entered × its stage's chance
            chance = R.chance_of(c.stage, c.segment, cfg.forecast)
            fields.pairs.insert(3, (word("expected_value", st.lang), message(
                "expected_value_text", st.lang, expected=show_amount(tier_row.value) or "0",
                entered=show_amount(c.value_cents or 0) or "0", chance=chance)))
    if profit_a is not None:
        text = label("profit_a", profit_a, st.lang)
        if estimated:
            text = message("profit_a_estimated", st.lang, cell=text, cost=label("cost", cost, st.lang))
        fields.pairs.append((word("profit_a", st.lang), text))
    if people:  # seed 004's big-customer test, beside the tier (seed 002's pyramid)
        big = R.big_customer(p.role for p in people)
        fields.pairs.append((word("buying_centre", st.lang), message("big_yes" if big else "big_no", st.lang)))
    blocks = [fields, tasks_grid(c.stage, done, st.lang, only_current=True)]
    blocks += trust_blocks(c.name, trust, st.lang, with_people=False)
    if people:
        blocks.append(people_grid(people, st.lang, title=word("people", st.lang), trust=trust))
    if touches:
        blocks.append(touches_grid(touches, st.lang))
    if qualified or c.stage in ("evaluation", "growth"):
        blocks.append(qualification_lines(qualified, st.lang, prospect))
    signal_block = signal_lines(reading, st.lang)
    if signal_block is not None:
        blocks.append(signal_block)
    open_ones = [x for x in promises if x[1] == "open"]
    if open_ones:
        blocks.append(promises_grid(open_ones, st.lang, day, with_customer=False))
    if contracts:
        grid = contracts_grid(contracts, st.lang, day)
        grid.title = word("contracts_of", st.lang)
        blocks.append(grid)
    blocks += after_blocks(after, st.lang, day, {k: causes for k, _, causes in advice})
    show(blocks)


def history(ctx: typer.Context, customer: CustomerPrefixRef, json: Json = False) -> None:
    """Every dated event: added, tasks done, stage changes (forced ones with their reason),
    edits, deletes, undos, handovers, claims and returns to the public pool; and who did each."""
    from kehu import book
    from kehu.store import customers, undo
    from kehu.render.stages import event_json, history_grid

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        events = customers.history(s, c)
        undone = undo.undone_events(s, c.id)
    if undone:  # (rare: a plain merge by time keeps the common case free)
        events = sorted([*events, *undone], key=lambda e: e.at)
    if json:
        emit_json([event_json(e) for e in events])
    else:
        grid = history_grid(events, st.lang)
        grid.title = c.name
        show([grid])


def timeline(
    ctx: typer.Context,
    customer: CustomerPrefixRef,
    since: Annotated[
        str | None, typer.Option("--since", help="Only what happened on or after this day (2026-03-05, -30d...)."),
    ] = None,
    json: Json = False,
) -> None:
    """The whole relationship as one dated list, newest first: touchpoints, promises, stage
    changes and edits, contracts, instalments and payments, disagreements. Paged on a terminal."""
    from kehu import book
    from kehu.store import customers, timeline as tl
    from kehu.dates import today
    from kehu.render.timeline import timeline_grid, timeline_json

    st = state(ctx)
    day = today()
    start = past_day(since, "--since") if since is not None else None
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        entries = tl.timeline(s, c, day, since=start)
    if json:
        emit_json(timeline_json(entries))
    elif entries:
        show([timeline_grid(entries, st.lang, title=c.name)], page=True)
    else:
        say(ctx, "timeline_empty", name=c.name)


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
    app.command("delete")(delete)
    app.command("list")(list_)
    app.command("show")(show_)
    app.command("history")(history)
    app.command("timeline")(timeline)

"""Contracts and money: contract add/edit/list/show/plan/sign/complete/lose, pay, forecast."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, past_day, say, show, state
from kehu.cli.options import complete_customer, CustomerRef, Json, Mine, Note

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None,
    help="Contracts (合同): add, plan, sign, complete, lose.",
)

ContractRef = Annotated[str, typer.Argument(metavar="ID", help="Contract number (from kehu contract list).")]
OnDate = Annotated[str | None, typer.Option("--date", help="When it happened (default today).")]
Amount = Annotated[str | None, typer.Option("--amount", help="Contract amount, e.g. 120000 or 12万.")]
Currency = Annotated[
    str | None,
    typer.Option("--currency", help="Three-letter code (default: setting contract.currency, CNY)."),
]
Expected = Annotated[str | None, typer.Option("--expected", help="When we expect to sign (for kehu forecast).")]
Owner = Annotated[str | None, typer.Option("--owner", help="Only the customers this salesperson holds.")]


def _status(ctx: typer.Context, value: str | None, allowed: tuple[str, ...]) -> str | None:
    from kehu.cli._common import enum
    from kehu.errors import UsageError

    parsed = enum("contract_status", value, ctx)
    if parsed is not None and parsed not in allowed:
        raise UsageError("status_not_here", value=value, accepted=_statuses(ctx, allowed))
    return parsed


def _statuses(ctx: typer.Context, keys: tuple[str, ...]) -> str:
    from kehu.i18n import label

    lang = state(ctx).lang
    return ", ".join(k if lang == "en" else f"{k}（{label('contract_status', k, lang)}）" for k in keys)


def add(
    ctx: typer.Context,
    customer: CustomerRef,
    title: Annotated[str, typer.Argument(help="What the contract is for.")],
    amount: Annotated[str, typer.Option("--amount", help="Contract amount, e.g. 120000 or 12万.")],
    currency: Currency = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="draft (default) | negotiating | signed (拟定/谈判中/已签)."),
    ] = None,
    expected: Expected = None,
    note: Note = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="With --status signed: the day it was signed (default today)."),
    ] = None,
    json: Json = False,
) -> None:
    """Record a contract for a customer."""
    from kehu import book
    from kehu.store import contracts, customers, settings
    from kehu.cli._common import future_day
    from kehu.dates import today
    from kehu.errors import UsageError

    st = state(ctx)
    if not title.strip():
        raise UsageError("empty_name")
    chosen = _status(ctx, status, ("draft", "negotiating", "signed")) or "draft"
    if day is not None and chosen != "signed":
        raise UsageError("contract_date_needs_signed")
    when = past_day(day)
    data = {
        "title": title,
        "amount_cents": _positive(amount),
        "currency": currency,
        "status": "draft" if chosen == "signed" else chosen,
        "expected_on": future_day(expected) if expected else None,
        "note": note,
    }
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        cfg = settings.read(s)
        k = contracts.add_contract(s, c, data, cfg, on=when if chosen == "signed" else None)
        outcome = contracts.sign(s, k, cfg, when, today()) if chosen == "signed" else None
        row = contracts.contract_rows(s, ids=[k.id])[0]
    typed = [(expected, data["expected_on"])]
    _report_added(ctx, row, json, typed if outcome is None else [])
    if outcome is not None:
        _report_signed(ctx, row, outcome, json=False, understood=[(day, when), *typed])


def _positive(amount: str) -> int:
    from kehu.money import parse_amount
    from kehu.errors import UsageError

    cents = parse_amount(amount)
    if cents <= 0:
        raise UsageError("amount_not_positive", value=amount)
    return cents


def _report_added(ctx: typer.Context, row, json: bool, understood) -> None:
    from kehu.money import show_amount
    from kehu.render.contracts import contract_json

    if json:
        emit_json(contract_json(row))
    k = row.contract
    say(ctx, "contract_added", id=k.id, customer=row.customer, title=k.title,
        amount=show_amount(k.amount_cents), currency=k.currency, understood=understood)


def edit(
    ctx: typer.Context,
    ident: ContractRef,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    amount: Amount = None,
    currency: Currency = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="draft | negotiating (拟定/谈判中); sign, complete and lose have their own commands.",
        ),
    ] = None,
    expected: Expected = None,
    note: Note = None,
) -> None:
    """Change a contract's title, amount (while open and unplanned), expected date or status."""
    from kehu import book
    from kehu.store import contracts
    from kehu.cli._common import future_day
    from kehu.errors import Unchanged, UsageError

    st = state(ctx)
    if title is not None and not title.strip():
        raise UsageError("empty_name")
    if amount is not None and not amount.strip():
        raise UsageError("bad_amount", value=amount)
    if currency is not None and not currency.strip():
        raise UsageError("bad_value", field="currency", problem="a three-letter code is needed")
    new_status = _status(ctx, status, ("draft", "negotiating")) if status is not None else None
    data = {
        "title": title,
        "amount_cents": _positive(amount) if amount is not None else None,
        "currency": currency,
        "expected_on": (future_day(expected) if expected.strip() else "") if expected is not None else None,
        "note": note,
    }
    if status is not None and not new_status:
        raise UsageError("status_not_here", value=status, accepted=_statuses(ctx, ("draft", "negotiating")))
    if all(v is None for v in data.values()) and new_status is None:
        raise UsageError("nothing_to_edit")
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        changed = []
        if any(v is not None for v in data.values()):
            try:
                changed = contracts.edit_contract(s, k, data)
            except Unchanged:
                if new_status is None or new_status == k.status:
                    raise
        if new_status is not None and new_status != k.status:
            contracts.set_contract_status(s, k, "negotiate" if new_status == "negotiating" else "draft",
                                          past_day(None))
            changed.append("status")
        if not changed:
            raise Unchanged("nothing_changed")
    say(ctx, "contract_edited", id=k.id, fields=", ".join(changed) or "-",
        understood=[(expected, data["expected_on"] or None)])


def list_(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Argument(help="Only this customer's contracts.", autocompletion=complete_customer),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="draft | negotiating | signed | completed | lost."),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only contracts with instalments past due.")] = False,
    json: Json = False,
) -> None:
    """Contracts, with what is planned, paid and overdue."""
    from kehu import book
    from kehu.store import contracts, customers
    from kehu.dates import today
    from kehu.rules.contracts import STATUSES
    from kehu.render.contracts import contract_json, contracts_grid

    st = state(ctx)
    wanted = _status(ctx, status, STATUSES)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer) if customer is not None else None
        rows = contracts.contract_rows(s, c, wanted, today())
    if overdue:
        rows = [r for r in rows if r.overdue > 0]
    if json:
        emit_json([contract_json(r) for r in rows])
    else:
        show([contracts_grid(rows, st.lang, today())])


def show_(ctx: typer.Context, ident: ContractRef, json: Json = False) -> None:
    """One contract: its terms, payment plan, what is overdue (with the non-payment
    playbook beside it) and the negotiation verdict."""
    from kehu import book
    from kehu.store import aftersale, contracts
    from kehu.dates import today
    from kehu.render.contracts import (
        contract_fields, contract_json, instalment_json, instalments_grid, non_payment_json, non_payment_lines,
    )

    st = state(ctx)
    day = today()
    with book.open(st.db, st.inv, write=False) as (s, _):
        k = contracts.get_contract(s, ident)
        row = contracts.contract_rows(s, ids=[k.id], day=day)[0]
        plan = contracts.instalments_of(s, k)
        facts = contracts.payment_facts(s, k, day) if row.overdue else None
        # dismissed for its current occasion (kehu guide dismiss), as `show` leaves it out
        hidden = aftersale.hidden_occasion(s, contracts.customer_of(s, k), "non_payment", day) if facts else None
    if json:
        data = contract_json(row)
        data["instalments"] = [instalment_json(i, day, k.status) for i in plan]
        data["playbook"] = non_payment_json(facts, st.lang, hidden) if facts else None
        emit_json(data)
        return
    blocks = [contract_fields(row, st.lang, day)]
    if plan:
        blocks.append(instalments_grid(plan, st.lang, day, k.currency, k.status))
    if facts:
        blocks.append(non_payment_lines(facts, st.lang, hidden))
    show(blocks)


def plan(
    ctx: typer.Context,
    ident: ContractRef,
    instalment: Annotated[
        list[str],
        typer.Option(
            "--instalment", "-i", metavar="DATE:AMOUNT",
            help="One instalment, e.g. 2026-12-31:30万; repeat for each. They must add up to the amount.",
        ),
    ],
    json: Json = False,
) -> None:
    """Set (or replace) the payment plan; money already paid fills the new plan in order."""
    from kehu import book
    from kehu.store import contracts
    from kehu.money import show_amount
    from kehu.render.contracts import instalment_json

    st = state(ctx)
    days, parts = [], []
    for text in instalment:
        typed, part = _instalment(text)
        days.append(typed)
        parts.append(part)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        rows = contracts.plan_contract(s, k, parts)
    if json:
        from kehu.dates import today

        emit_json([instalment_json(i, today(), k.status) for i in rows])
    say(ctx, "contract_planned", id=k.id, count=len(rows), amount=show_amount(k.amount_cents), currency=k.currency,
        understood=[(typed, due) for typed, (due, _) in zip(days, parts, strict=True)])


def _instalment(text: str):
    """'4月30日:130万' -> ('4月30日', (the next April 30, cents)): an instalment is due ahead."""
    import unicodedata

    from kehu.cli._common import future_day
    from kehu.money import parse_amount
    from kehu.errors import UsageError

    normal = unicodedata.normalize("NFKC", text)
    day, sep, amount = normal.rpartition(":")
    if not sep or not day.strip() or not amount.strip():
        raise UsageError("bad_instalment", value=text)
    return day.strip(), (future_day(day.strip()), parse_amount(amount.strip()))


def sign(ctx: typer.Context, ident: ContractRef, day: OnDate = None, json: Json = False) -> None:
    """Mark a contract signed; a growth customer whose growth tasks are done becomes mature."""
    from kehu import book
    from kehu.store import contracts, settings
    from kehu.dates import today

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        outcome = contracts.sign(s, k, settings.read(s), when, today())
        row = contracts.contract_rows(s, ids=[k.id])[0]
    _report_signed(ctx, row, outcome, json, understood=[(day, when)])


def _report_signed(ctx: typer.Context, row, outcome, json: bool, understood=()) -> None:
    from kehu.money import show_amount
    from kehu.i18n import label
    from kehu.render.contracts import contract_json
    from kehu.render.stages import blocker_text

    st = state(ctx)
    k = row.contract
    if json:
        emit_json({**contract_json(row), "customer_stage": outcome.stage, "advanced": outcome.advanced,
                   "blockers": [{"key": b.key, **b.params} for b in outcome.blockers]})
    say(ctx, "contract_signed", id=k.id, customer=row.customer, title=k.title,
        amount=show_amount(k.amount_cents), currency=k.currency, understood=understood)
    stage = label("stage", outcome.stage, st.lang)
    if outcome.advanced:
        say(ctx, "signed_now_mature", customer=row.customer, from_stage=label("stage", outcome.from_stage, st.lang),
            to_stage=stage)
    elif outcome.blockers:
        sep = "；" if st.lang == "zh" else "; "
        say(ctx, "signed_still_blocked", customer=row.customer, stage=stage,
            reasons=sep.join(blocker_text(b, st.lang) for b in outcome.blockers))
    elif outcome.stage != "mature":
        say(ctx, "signed_too_early", customer=row.customer, stage=stage)


def complete(ctx: typer.Context, ident: ContractRef, day: OnDate = None, json: Json = False) -> None:
    """Mark a signed contract delivered; schedules the follow-up visit (成交不是结束)."""
    from kehu import book
    from kehu.store import contracts, settings
    from kehu.render.contracts import contract_json

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        cfg = settings.read(s)
        contracts.set_contract_status(s, k, "complete", when, aftercare_days=cfg.aftercare_days)
        row = contracts.contract_rows(s, ids=[k.id])[0]
    if json:

        emit_json(contract_json(row))
    say(ctx, "contract_completed", id=k.id, customer=row.customer, due=k.aftercare_due, ref=f"A{k.id}",
        understood=[(day, when)])
    if row.planned - row.paid > 0:
        from kehu.money import show_amount

        say(ctx, "contract_completed_owed", owed=show_amount(row.planned - row.paid), currency=k.currency)
    _after_closing(ctx, k.id, None)


def lose(
    ctx: typer.Context,
    ident: ContractRef,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why it was lost (price, rival, no budget...)."),
    ] = None,
    day: OnDate = None,
) -> None:
    """Mark an open contract lost (丢单), with the reason."""
    from kehu import book
    from kehu.store import contracts
    from kehu.errors import UsageError

    st = state(ctx)
    if not (reason and reason.strip()):
        raise UsageError("lose_needs_reason")
    from kehu.store.common import plan_text

    plan_text(reason, "--reason")
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        contracts.set_contract_status(s, k, "lose", when, reason=reason.strip())
        c = contracts.customer_of(s, k)
    say(ctx, "contract_lost", id=k.id, customer=c.name, reason=reason.strip(), understood=[(day, when)])
    _after_closing(ctx, k.id, reason)


def _after_closing(ctx: typer.Context, contract_id: int, reason: str | None) -> None:
    """A contract lost or completed: ask for its project review, with the guide; a loss to
    a cheaper rival (or over price) brings up that guide too."""
    from kehu.render.aftersale import guide_notice
    from kehu.rules.signals import for_signals

    lang = state(ctx).lang
    say(ctx, "review_prompt", id=contract_id)
    say(ctx, "guide_line", line=guide_notice("project_review", lang))
    keys = for_signals([reason] if reason else [])
    for key in keys:
        if not (key == "price_cut" and "low_price_rival" in keys):  # the rival's guide covers the price
            say(ctx, "guide_line", line=guide_notice(key, lang))


def reopen(
    ctx: typer.Context,
    ident: ContractRef,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it is open again (marked lost by mistake, won back...)."),
    ] = None,
    day: OnDate = None,
) -> None:
    """Bring a lost contract back to negotiation (谈判中), with the reason in its history."""
    from kehu import book
    from kehu.store import contracts
    from kehu.errors import UsageError
    from kehu.store.common import plan_text

    st = state(ctx)
    if not (reason and reason.strip()):
        raise UsageError("contract_reopen_reason")
    plan_text(reason, "--reason")
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        contracts.reopen_contract(s, k, reason, when)
        c = contracts.customer_of(s, k)
    say(ctx, "contract_reopened", id=k.id, customer=c.name, understood=[(day, when)])


def delete(
    ctx: typer.Context,
    ident: ContractRef,
    yes: Annotated[
        bool, typer.Option("--yes", help="Also delete its payment plan and negotiation plan."),
    ] = False,
) -> None:
    """Delete a draft, negotiating or lost contract recorded by mistake; refused for a signed
    one and wherever money was paid. Its payment and negotiation plans go too (--yes)."""
    from kehu import book
    from kehu.store import contracts

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        ident_, title = k.id, k.title
        counts = contracts.delete_contract(s, k, yes)
    say(ctx, "contract_deleted", id=ident_, title=title, **counts)


def pay(
    ctx: typer.Context,
    ident: ContractRef,
    amount: Annotated[str, typer.Argument(help="Amount received, e.g. 50000 or 5万.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was received (default today).")] = None,
    json: Json = False,
) -> None:
    """Record money received on a signed contract; it fills the instalments in order."""
    from kehu import book
    from kehu.store import contracts
    from kehu.money import parse_amount, show_amount
    from kehu.money import amount_text
    from kehu.render.contracts import contract_json

    st = state(ctx)
    cents = parse_amount(amount)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        applied = contracts.pay_contract(s, k, cents, when)
        row = contracts.contract_rows(s, ids=[k.id])[0]
    if json:
        emit_json({**contract_json(row), "applied": [
            {"seq": i.seq, "due": i.due, "amount": amount_text(t)} for i, t in applied]})
    owed = row.planned - row.paid
    say(ctx, "paid", id=k.id, customer=row.customer, amount=show_amount(cents), currency=k.currency,
        owed=show_amount(owed), understood=[(day, when)])


def forecast(ctx: typer.Context, owner: Owner = None, mine: Mine = False, json: Json = False) -> None:
    """The weighted pipeline of open contracts: amount × the chance for the customer's
    stage (settings forecast.<stage>), by month of expected signing and by owner."""
    from kehu import book
    from kehu.store import contracts, settings
    from kehu.cli.team import owner_filter
    from kehu.rules.contracts import forecast as compute
    from kehu.render.contracts import forecast_blocks, forecast_json

    st = state(ctx)
    owner = owner_filter(ctx, owner, mine)
    with book.open(st.db, st.inv, write=False) as (s, _):
        cfg = settings.read(s)
        deals = contracts.open_deals(s, cfg, owner)
    probability = cfg.forecast
    by_month, by_owner, total = compute(deals, probability)
    if json:
        emit_json(forecast_json(by_month, by_owner, total, probability))
    else:
        show(forecast_blocks(by_month, by_owner, total, probability, st.lang))


def register(root: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
    app.command("list")(list_)
    app.command("show")(show_)
    app.command("plan")(plan)
    app.command("sign")(sign)
    app.command("complete")(complete)
    app.command("lose")(lose)
    app.command("reopen")(reopen)
    app.command("delete")(delete)
    root.add_typer(app, name="contract")
    root.command("pay")(pay)
    root.command("forecast")(forecast)

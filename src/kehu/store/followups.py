"""Follow-ups: everything due by a day (next steps, promises, cadence, receivables,
after-sale visits), closing one, what `kehu remind --new` has listed, and the customers
`kehu next` looks at."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, delete, func, insert
from sqlmodel import Session, col, select

from kehu.dates import today
from kehu.errors import NotFound, Refused, UsageError
from kehu.models import Contract, Customer, Instalment, Promise, RemindSeen, Touchpoint
from kehu.rules.contracts import WON
from kehu.rules.followups import Item
from kehu.settings import Settings
from kehu.store.common import core_rows
from kehu.store.contracts import contract_event
from kehu.store.ownership import owned_by
from kehu.store.tiers import customer_value, tier_map, tiers_of


def _active(owner: str | None, settings: Settings):
    base = select(Customer.id, Customer.name, Customer.stage, Customer.owner).where(
        col(Customer.terminated_at).is_(None)
    )
    if owner:
        base = base.where(owned_by(owner, settings))
    return base.subquery("active")


def due_items(s: Session, settings: Settings, horizon: date, owner: str | None = None,
              tiers: dict[int, str] | None = None) -> list[Item]:
    """Every follow-up due on or before ``horizon``, as rules Items; ``tiers`` is the
    book's tier_map, when the caller already has it.

    Aggregated in SQL with indexes (next_due, promise.due, touchpoint(customer_id, day));
    only due rows come back to Python.
    """
    tiers = tier_map(s, settings) if tiers is None else tiers
    a = _active(owner, settings)
    items: list[Item] = []
    sources = (
        ("next_step", Touchpoint, Touchpoint.next_due, Touchpoint.next_step,
         (col(Touchpoint.next_due).is_not(None), col(Touchpoint.next_done_on).is_(None))),
        ("promise", Promise, Promise.due, Promise.text,
         (col(Promise.kept_on).is_(None), col(Promise.broken_on).is_(None))),
    )
    for kind, table, due_col, text_col, still_open in sources:
        rows = core_rows(
            s,
            select(table.id, due_col, text_col, a.c.id, a.c.name, a.c.stage, a.c.owner)
            .join(a, a.c.id == table.customer_id)
            .where(*still_open, col(due_col) <= horizon),
        )
        for ref, due, text_, cid, name, stage, own in rows:
            items.append(Item(kind, ref, cid, name, tiers[cid], stage, due, text_, own))
    items.extend(cadence_items(s, settings, a, horizon, tiers))
    items.extend(receivable_items(s, settings, owner, horizon, tiers))
    items.extend(aftercare_items(s, a, horizon, tiers))
    return items


def cadence_items(
    s: Session, settings: Settings, active, horizon: date, tiers: dict[int, str]
) -> list[Item]:
    """Customers whose last touch (or, never touched, the day they were added) is older
    than their tier's cadence as of ``horizon``."""
    cadence = settings.cadence
    last = (
        select(Touchpoint.customer_id.label("cid"), func.max(Touchpoint.day).label("last"))
        .group_by(Touchpoint.customer_id)
        .subquery("last")
    )
    since = func.coalesce(last.c.last, Customer.added_on)
    # Each tier against its own cadence, in SQL, so only late customers come back: the
    # latest day that is late for the customer's tier, one CASE (a third cheaper here than
    # an OR per tier). A customer with neither a touch nor a day added (NULL) is never late.
    t = tiers_of(settings)
    late_by = case({tier: date.fromordinal(horizon.toordinal() - days) for tier, days in cadence.items()},
                   value=t.c.tier)
    rows = core_rows(
        s,
        select(active.c.id, active.c.name, active.c.stage, active.c.owner, since, last.c.last)
        .join(Customer, col(Customer.id) == active.c.id)
        .join(t, t.c.id == active.c.id)
        .outerjoin(last, last.c.cid == active.c.id)
        .where(since <= late_by),
    )
    out = []
    for cid, name, stage, own, since_day, last_day in rows:
        tier = tiers[cid]
        due = date.fromordinal(since_day.toordinal() + cadence[tier])
        out.append(
            Item("cadence", cid, cid, name, tier, stage, due, "", own, since=since_day,
                 extra={"cadence": cadence[tier], "touched": last_day is not None})
        )
    return out


def receivable_items(s: Session, settings: Settings, owner: str | None, horizon: date,
                     tiers: dict[int, str]) -> list[Item]:
    """Unpaid instalments of signed contracts due by ``horizon`` (index on instalment.due).

    Terminated customers too: ending a relationship does not cancel what it owes."""
    q = (
        select(Instalment.id, Instalment.due, Instalment.amount_cents, Instalment.paid_cents,
               Contract.id, Contract.title, Contract.currency,
               Customer.id, Customer.name, Customer.stage, Customer.owner)
        .join(Contract, col(Contract.id) == Instalment.contract_id)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(Instalment.due <= horizon, Instalment.paid_cents < Instalment.amount_cents,
               col(Contract.status).in_(WON))
    )
    if owner:
        q = q.where(owned_by(owner, settings))
    rows = core_rows(s, q)
    return [
        Item("receivable", iid, cid, name, tiers.get(cid, "lead"), stage, due, title, own,
             extra={"contract": kid, "owed": amount - paid, "currency": cur, "playbook": "non_payment"})
        for iid, due, amount, paid, kid, title, cur, cid, name, stage, own in rows
    ]


def aftercare_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """The visit after each completed contract (成交不是结束), until it is made."""
    rows = s.exec(
        select(Contract.id, Contract.aftercare_due, Contract.title, Contract.completed_on,
               active.c.id, active.c.name, active.c.stage, active.c.owner)
        .join(active, active.c.id == Contract.customer_id)
        .where(col(Contract.aftercare_due).is_not(None), col(Contract.aftercare_done_on).is_(None),
               Contract.aftercare_due <= horizon)
    ).all()
    return [
        Item("aftercare", kid, cid, name, tiers[cid], stage, due, title, own,
             extra={"contract": kid, "completed": done.isoformat() if done else None})
        for kid, due, title, done, cid, name, stage, own in rows
    ]


def _still_open(ident: str, customer_id: int, done_on: date | None, customer: Customer | None) -> None:
    """A follow-up can be closed once, and only for its own customer (when one is named)."""
    if customer is not None and customer_id != customer.id:
        raise Refused("followup_other_customer", id=ident, customer=customer.name)
    if done_on is not None:
        raise Refused("followup_closed", id=ident, date=done_on)


def close_next_step(s: Session, touch_id: int, day: date, customer: Customer | None = None) -> Touchpoint:
    touch = s.get(Touchpoint, touch_id)
    if touch is None or touch.next_step is None:
        raise NotFound("followup_not_found", id=f"N{touch_id}")
    _still_open(f"N{touch_id}", touch.customer_id, touch.next_done_on, customer)
    if day < touch.day:
        raise UsageError("due_before_date", option="--date", due=day, day=touch.day)
    touch.next_done_on = day
    s.add(touch)
    return touch


def close_aftercare(s: Session, contract_id: int, day: date, customer: Customer | None = None) -> Contract:
    contract = s.get(Contract, contract_id)
    if contract is None or contract.aftercare_due is None:
        raise NotFound("followup_not_found", id=f"A{contract_id}")
    _still_open(f"A{contract_id}", contract.customer_id, contract.aftercare_done_on, customer)
    if contract.completed_on and day < contract.completed_on:
        raise UsageError("date_before_completed", value=day, completed=contract.completed_on)
    contract.aftercare_done_on = day
    s.add(contract)
    contract_event(s, contract, "aftercare_done", on=day)
    return contract


def remind_seen(s: Session, scope: str) -> set[str] | None:
    """What the previous `kehu remind --new` in this scope listed (None: never ran)."""
    rows = s.exec(select(RemindSeen.item).where(RemindSeen.scope == scope)).all()
    ran = s.get(RemindSeen, (scope, "")) is not None
    return {r for r in rows if r} if ran else None


def record_remind_seen(s: Session, scope: str, keys: Sequence[str]) -> None:
    """Replace the scope's memory with what is due now ('' marks that it has run)."""
    s.exec(delete(RemindSeen).where(RemindSeen.scope == scope))
    rows = [{"scope": scope, "item": k} for k in {"", *keys}]
    s.exec(insert(RemindSeen), params=rows)


def agenda_candidates(s: Session, settings: Settings, owner: str | None, limit: int,
                      tiers: dict[int, str] | None = None) -> list[tuple]:
    """The most valuable active customers (for `kehu next`): id, name, tier, stage, owner.

    By value, then id: the order of the tiers' ranking, without the window function (the
    top few of an ORDER BY ... LIMIT need no ranking of the book); their tiers come from
    ``tiers`` (the book's tier_map) when the caller has it."""
    tiers = tier_map(s, settings) if tiers is None else tiers
    a = _active(owner, settings)
    signed, value = customer_value(today(), settings.currency)
    rows = s.exec(
        select(a.c.id, a.c.name, a.c.stage, a.c.owner)
        .join(Customer, col(Customer.id) == a.c.id)
        .outerjoin(signed, signed.c.cid == Customer.id)
        .order_by(value.desc(), a.c.id)
        .limit(limit)
    ).all()
    return [(cid, name, tiers[cid], stage, own) for cid, name, stage, own in rows]

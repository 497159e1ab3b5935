"""The public pool's use cases: assign, claim, release, the pool listing, and the
warnings `kehu remind` gives owners before their customers return to the pool.

The rules are kehu.rules.pool (pure); store.ownership reads the facts. Writers are
serialised (db.py), so a check followed by a write in one transaction cannot race
another claim.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, not_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from kehu.dates import to_local, today
from kehu.errors import Refused, UsageError
from kehu.models import Customer, CustomerIn, Event, Touchpoint, utcnow
from kehu.rules.followups import Item
from kehu.rules.names import name_key
from kehu.rules.pool import Holding, claim_check, handover_check, held_since, status, warn_since
from kehu.rules.tiers import TIERS
from kehu.settings import Settings
from kehu.store.common import core_rows, event, validate
from kehu.store.ownership import handover_days, held_clause, held_count, held_where, holding, set_owner
from kehu.store.tiers import tier_map


def _acting(s: Session) -> str:
    actor = s.info.get("actor")
    if not actor:
        raise UsageError("bad_actor")
    return actor


def assign(s: Session, customer: Customer, new_owner: str, reason: str | None,
           settings: Settings, day: date) -> Event:
    """`kehu assign`: hand the customer to ``new_owner`` (a handover, limited per window)."""
    owner = validate(CustomerIn, {"owner": new_owner}).owner
    if not owner:
        raise UsageError("assign_no_owner")
    if name_key(owner) == customer.owner_key:
        raise Refused("assign_same", name=customer.name, owner=customer.owner)
    rules = settings.pool
    verdict = handover_check(handover_days(s, customer), day, rules)
    if not verdict.ok:
        raise Refused("assign_limit", name=customer.name, count=verdict.count, limit=verdict.limit,
                      window=rules.handover_window_days,
                      next=verdict.next_on.isoformat() if verdict.next_on else "—")
    ev = event(s, customer, "assigned", detail={"from": customer.owner if customer.owner_key else None,
                                                "to": owner}, reason=reason)
    set_owner(customer, owner, day)
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


def claim(s: Session, customer: Customer, settings: Settings, day: date) -> tuple[Event, Event | None]:
    """`kehu claim`: the acting salesperson takes a customer from the public pool. A lapsed
    customer is first recorded as returned to the pool (by nobody, on the day it returned).
    Returns the claimed event and that released event (or None)."""
    actor = _acting(s)
    rules = settings.pool
    now = status(holding(customer), day, rules)
    key = name_key(actor)
    verdict = claim_check(now, customer.owner_key == key, held_count(s, actor, rules, day), rules)
    if not verdict.ok:
        if verdict.reason == "already_yours":
            raise Refused("claim_already_yours", name=customer.name)
        if verdict.reason == "owned":
            if now.returns_on is None:
                raise Refused("claim_owned_kept", name=customer.name, owner=customer.owner)
            raise Refused("claim_owned", name=customer.name, owner=customer.owner,
                          returns=now.returns_on.isoformat())
        raise Refused("claim_hold_limit", count=verdict.count, limit=verdict.limit)
    released = None
    previous = customer.owner if customer.owner_key else None
    if now.state == "lapsed":
        released = event(s, customer, "released", on=now.returns_on, actor=None,
                         detail={"from": previous, "why": now.reason})
    ev = event(s, customer, "claimed", detail={"from": previous, "to": actor})
    set_owner(customer, actor, day)
    customer.updated_at = utcnow()
    s.add(customer)
    return ev, released


def release(s: Session, customer: Customer, reason: str | None, force: bool) -> Event:
    """`kehu release`: the owner hands the customer back to the public pool (someone else
    only with ``force``)."""
    actor = _acting(s)
    if customer.owner_key is None:
        raise Refused("release_unowned", name=customer.name)
    forced = name_key(actor) != customer.owner_key
    if forced and not force:
        raise Refused("release_not_yours", name=customer.name, owner=customer.owner)
    detail: dict[str, object] = {"from": customer.owner}
    if forced:
        detail["forced"] = True
    ev = event(s, customer, "released", detail=detail, reason=reason)
    set_owner(customer, None, today())
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


@dataclass(frozen=True)
class PoolRow:
    id: int
    name: str
    stage: str
    tier: str
    last_touch: date | None
    previous_owner: str | None
    reason: str  # unowned | released | untouched | no_growth
    since: date | None  # the day it came back to the pool (None: never had an owner)
    clock_from: date | None  # untouched: the owner's last touch or claim; no_growth: the claim


def pool_rows(s: Session, settings: Settings, day: date) -> list[PoolRow]:
    """`kehu pool`: the live customers nobody holds: without an owner, or lapsed. One query;
    the lapsed ones' reason and return day come from rules.pool.status."""
    rules = settings.pool
    held = held_clause(rules, day)
    unowned = col(Customer.owner_key).is_(None)
    in_pool = unowned if held is None else or_(unowned, not_(held))
    last = select(func.max(Touchpoint.day)).where(Touchpoint.customer_id == Customer.id).scalar_subquery()
    gone = aliased(Event)
    latest_release = (
        select(func.max(Event.id)).where(Event.customer_id == Customer.id, Event.kind == "released")
        .scalar_subquery()
    )
    q = (
        select(Customer.id, Customer.name, Customer.stage, Customer.owner, Customer.owner_key, Customer.claimed_on,
               Customer.owner_touched_on, last, gone.at, gone.detail)
        .outerjoin(gone, gone.id == latest_release)
        .where(col(Customer.terminated_at).is_(None), in_pool)
    )
    tiers = tier_map(s, settings)
    out = []
    for cid, name, stage, owner, key, claimed, touched, last_day, gone_at, gone_detail in core_rows(s, q):
        tier = tiers.get(cid, "lead")
        if key is None:
            before = json.loads(gone_detail) if gone_detail else {}
            out.append(PoolRow(cid, name, stage, tier, last_day, before.get("from"),
                               "released" if gone_at is not None else "unowned",
                               to_local(gone_at).date() if gone_at is not None else None, None))
            continue
        st = status(Holding(owner, stage, False, claimed, touched), day, rules)
        if st.state != "lapsed":  # the SQL and the rule agree (tests prove it); be safe anyway
            continue
        start = claimed if st.reason == "no_growth" else max(d for d in (claimed, touched) if d is not None)
        out.append(PoolRow(cid, name, stage, tier, last_day, owner, st.reason, st.returns_on, start))
    out.sort(key=lambda r: (TIERS.index(r.tier) if r.tier in TIERS else len(TIERS), r.id))
    return out


def pool_items(s: Session, settings: Settings, day: date, owner: str | None,
               tiers: dict[int, str], customer_id: int | None = None) -> list[Item]:
    """`kehu remind`'s warnings: the owner's customers that return to the public pool
    within pool.warn_days (state warning). Due the last day a touchpoint (or reaching
    growth) still keeps them; ``owner`` None: every owner's."""
    rules = settings.pool
    now_held = held_where(held_since(day, rules))
    later = held_where(warn_since(day, rules))
    if now_held is None or later is None:
        return []
    q = select(Customer.id, Customer.name, Customer.stage, Customer.owner, Customer.claimed_on,
               Customer.owner_touched_on).where(
        col(Customer.terminated_at).is_(None), col(Customer.owner_key).is_not(None), now_held, not_(later))
    if owner:
        q = q.where(col(Customer.owner_key) == name_key(owner))
    if customer_id is not None:
        q = q.where(Customer.id == customer_id)
    items = []
    for cid, name, stage, own, claimed, touched in core_rows(s, q):
        st = status(Holding(own, stage, False, claimed, touched), day, rules)
        if st.state != "warning":
            continue
        start = claimed if st.reason == "no_growth" else max(d for d in (claimed, touched) if d is not None)
        items.append(Item(
            "pool", cid, cid, name, tiers.get(cid, "lead"), stage, st.returns_on - timedelta(days=1), "", own,
            since=start,
            extra={"returns_on": st.returns_on.isoformat(), "reason": st.reason, "growth_days": rules.growth_days},
        ))
    return items

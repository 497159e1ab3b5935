"""The window functions' ranking of the whole book (store.tiers.tier_subquery), asked as
`kehu tier` once asked it: the reference the tests hold the commands' walk down the book
(store.tiers.placed_book, rules.tiers.places_in_order) equal to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from kehu.models import Customer
from kehu.settings import Settings
from kehu.store.ownership import owned_by
from kehu.store.tiers import TierRow, _effort, buying_centre, tiers_of


def tier_counts(s: Session, settings: Settings, day: date | None = None) -> tuple[list[tuple[str, int, int, int]], int]:
    """The pyramid: (tier, customers, summed value, big customers) per tier, and the
    number of customers in it (those doing business; with nobody doing business, all)."""
    t = tiers_of(settings, day)
    centre = buying_centre()
    big = case((and_(centre.c.buys == 1, centre.c.uses == 1), 1), else_=0)
    rows = s.exec(select(t.c.tier, func.count(), func.sum(t.c.value), func.sum(big))
                  .select_from(t).outerjoin(centre, centre.c.cid == t.c.id)
                  .where(t.c.in_pyramid).group_by(t.c.tier)).all()
    total = sum(r[1] for r in rows)
    return [(tier, n, int(v or 0), int(b or 0)) for tier, n, v, b in rows], total


def tier_rows(
    s: Session, settings: Settings, today_: date, customer_id: int | None = None, owner: str | None = None,
) -> list[TierRow]:
    """Tier, value, level, profitability and last-12-months weighted effort per customer."""
    t = tiers_of(settings, today_)
    effort = _effort(settings, today_, customer_id)
    q = (
        select(
            t.c.id, Customer.name, t.c.value, t.c.above, t.c.total, t.c.tier, Customer.level,
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort, t.c.business,
            Customer.added_on, t.c.in_pyramid,
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .order_by(t.c.above, t.c.id)
    )
    if customer_id is not None:
        q = q.where(t.c.id == customer_id)
    if owner:
        q = q.where(owned_by(owner, settings, today_))
    return [
        TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0), bool(b), added,
                bool(inp) and not b)
        for i, n, v, a, tot, tier, lvl, pn, pf, o, e, b, added, inp in s.exec(q).all()
    ]

"""Tiers (客户金字塔): each active customer's value, rank and tier, ranked in SQL with a
window function (or, for one customer, counted with indexes), and the weighted effort
spent on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, null, or_, union_all
from sqlmodel import Session, col, select

from kehu.dates import today
from kehu.models import Contract, Customer, Touchpoint
from kehu.rules import tiers as R
from kehu.rules.contracts import WON, twelve_months_before
from kehu.settings import Settings
from kehu.store.common import core_rows
from kehu.store.ownership import owned_by


def signed_value_subquery(day: date, currency: str):
    """Per customer with any signed contract in ``currency``: the amounts signed in the
    12 months ending on ``day``."""
    recent = and_(Contract.signed_on >= twelve_months_before(day), Contract.signed_on <= day)
    return (
        select(
            Contract.customer_id.label("cid"),
            func.sum(case((recent, Contract.amount_cents), else_=0)).label("recent"),
        )
        .where(col(Contract.status).in_(WON), Contract.currency == currency)
        .group_by(Contract.customer_id)
        .subquery("signed")
    )


def value_column(day: date, currency: str):
    """The signed-contracts subquery to outer-join on Customer.id, and each customer's value."""
    signed = signed_value_subquery(day, currency)
    return signed, case((signed.c.cid.is_not(None), signed.c.recent), else_=func.coalesce(Customer.value_cents, 0))


def tier_subquery(cuts: tuple[float, float, float], day: date | None = None, currency: str = "CNY",
                  cte: bool = False):
    """Every active customer with its value, how many rank strictly above it, and its tier,
    computed in one SQL pass with a window function (portable to PostgreSQL).

    Value (DOMAIN.md §2): the contracts signed over the last 12 months once a customer
    has any signed contract; until then, the annual value entered by hand."""
    signed, value = value_column(day or today(), currency)
    ranked = (
        select(
            col(Customer.id).label("id"),
            value.label("value"),
            (func.rank().over(order_by=value.desc()) - 1).label("above"),
            func.count().over().label("total"),
        )
        .outerjoin(signed, signed.c.cid == Customer.id)
        .where(col(Customer.terminated_at).is_(None))
        .subquery("ranked")
    )
    def below(cut: float):
        # above/total < cut% in whole numbers: a decimal cut such as 16.1 must not be
        # blurred by floating point (16.1 × 1000 is 16100.000000000002).
        num, den = Decimal(repr(cut)).as_integer_ratio()
        return ranked.c.above * (100 * den) < ranked.c.total * num

    tier = case(
        (ranked.c.value <= 0, "lead"),
        (below(cuts[0]), "platinum"),
        (below(cuts[1]), "gold"),
        (below(cuts[2]), "iron"),
        else_="lead",
    )
    tiers = select(ranked, tier.label("tier"))
    return tiers.cte("tiers") if cte else tiers.subquery("tiers")


def tiers_of(settings: Settings, day: date | None = None, cte: bool = False):
    """The tier subquery (or CTE) with the book's settings (cuts, currency) as of ``day``."""
    return tier_subquery(settings.cuts, day, settings.currency, cte)


def tier_counts(s: Session, settings: Settings, day: date | None = None) -> tuple[list[tuple[str, int, int]], int]:
    t = tiers_of(settings, day)
    rows = s.exec(select(t.c.tier, func.count(), func.sum(t.c.value)).group_by(t.c.tier)).all()
    total = sum(r[1] for r in rows)
    return [(tier, n, int(v or 0)) for tier, n, v in rows], total


@dataclass(frozen=True)
class TierRow:
    id: int
    name: str
    value: int
    above: int
    total: int
    tier: str
    level: str | None
    profit_now: str | None
    profit_future: str | None
    owner: str | None
    effort: float


# Up to this many customers valued by hand above one, tier_of_customer looks at each
# (a few microseconds apiece); beyond, it counts the exceptions instead (about 20 ms on
# 100,000 customers).
FEW_VALUED_HIGHER = 5000


def tier_of_customer(s: Session, customer: Customer, settings: Settings, today_: date) -> TierRow | None:
    """One active customer's tier row, equal to its row of ``tier_rows`` but without
    ranking the whole book: its value, then how many active customers are valued strictly
    higher (the window's rank) and how many are active, counted with indexes — customers
    with signed contracts from the contracts signed in the last 12 months, the others from
    the index on their entered value — and the tier from the cuts (``rules.tiers.tier_of``,
    the same arithmetic as the window's CASE). None for a terminated customer."""
    if customer.terminated_at is not None:
        return None
    won = and_(col(Contract.status).in_(WON), Contract.currency == settings.currency)
    recent = and_(Contract.signed_on >= twelve_months_before(today_), Contract.signed_on <= today_)
    recent_sum = func.sum(case((recent, Contract.amount_cents), else_=0))
    active = col(Customer.terminated_at).is_(None)
    ended = col(Customer.terminated_at).is_not(None)

    def count(*where):
        return select(func.count()).select_from(Customer).where(*where).scalar_subquery()

    # What does not depend on the value, in one statement. Active = all (a count SQLite
    # keeps cheap) less the terminated, a few. (No index on terminated_at: without
    # statistics SQLite would also pick it for "terminated_at IS NULL", nearly everyone.)
    own = select(func.count(), recent_sum).where(won, Contract.customer_id == customer.id).subquery("own")
    signed, signed_value, everyone, ended_n, effort = s.exec(select(
        own.c[0], own.c[1], select(func.count()).select_from(Customer).scalar_subquery(), count(ended),
        select(_effort(settings, today_, customer.id).c.effort).scalar_subquery(),  # NULL: no touch
    )).one()
    # As in signed_value_subquery: any signed contract makes the last 12 months the value.
    value = int(signed_value or 0) if signed else int(customer.value_cents or 0)

    higher_signed = select(Contract.customer_id.label("cid")).where(won).group_by(Contract.customer_id)
    if value >= 0:  # a sum above a value >= 0 needs a contract signed in the 12 months
        higher_signed = higher_signed.where(recent)
    higher_signed = higher_signed.having(recent_sum > value).subquery("higher_signed")
    # Valued by hand higher than this customer: active, without a signed contract, and an
    # entered value above (the index on value_cents; coalesce() would not use it, and is
    # only needed below zero).
    entered = col(Customer.value_cents) > value if value >= 0 else func.coalesce(Customer.value_cents, 0) > value
    higher = int(s.exec(select(count(entered))).one())
    if higher <= FEW_VALUED_HIGHER:  # few: look at each
        no_contract = ~select(Contract.id).where(Contract.customer_id == Customer.id, won).exists()
        above_entered = count(active, entered, no_contract)
    else:  # most of the book: take away the terminated and the contract-valued, both fewer
        by_contract = count(active, entered, col(Customer.id).in_(select(Contract.customer_id).where(won)))
        above_entered = higher - by_contract - count(ended, func.coalesce(Customer.value_cents, 0) > value)
    above_signed, above_entered_n = s.exec(select(
        # grouped first, then only the groups above looked up (joining first costs 3×)
        select(func.count()).select_from(higher_signed)
        .join(Customer, col(Customer.id) == higher_signed.c.cid).where(active).scalar_subquery(),
        above_entered,
    )).one()
    above = int(above_signed) + int(above_entered_n)
    total = int(everyone) - int(ended_n)
    return TierRow(
        customer.id, customer.name, value, above, total, R.tier_of(above, total, value, settings.cuts),
        customer.level, customer.profit_now, customer.profit_future, customer.owner, float(effort or 0),
    )


def _may_warn(tier, level, effort, profit_now, profit_future, cadence: dict[str, int]):
    """A condition true for every row ``rules.tiers.warnings`` can flag (and a few more:
    the rules still decide), built from the rules' own bounds, so that only those rows
    leave the database. Effort bounds are widened by a relative 1e-9: a float compared
    in SQL must not drop a row the rules would flag."""
    per_tier = []
    for name in R.TIERS:
        over, under = R.effort_bounds(name, cadence)
        why = [level.is_not(None) & level.not_in(R.LEVELS_FOR_TIER[name]), effort > over * (1 - 1e-9)]
        if under is not None:
            why.append(effort < under * (1 + 1e-9))
        per_tier.append(and_(tier == name, or_(*why)))
    worst_cell = and_(level.in_(R.WORST_CELL_LEVELS), profit_now.is_not(None), profit_future.is_not(None))
    return or_(*per_tier, worst_cell)


def _effort(settings: Settings, today_: date, customer_id: int | None = None):
    """Per customer (cid): the weighted effort of the 365 days ending on ``today_``."""
    since = date.fromordinal(today_.toordinal() - 365)
    effort = (
        select(
            Touchpoint.customer_id.label("cid"),
            func.sum(case(settings.kind_weights, value=Touchpoint.kind, else_=1.0)).label("effort"),
        )
        .where(Touchpoint.day >= since, Touchpoint.day <= today_)
        .group_by(Touchpoint.customer_id)
    )
    if customer_id is not None:
        effort = effort.where(Touchpoint.customer_id == customer_id)
    return effort.subquery("effort")


def tier_report(
    s: Session, settings: Settings, today_: date, owner: str | None = None,
) -> tuple[list[tuple[str, int, int]], int, list[TierRow]]:
    """`kehu tier` from one ranking of the book: the pyramid as tier_counts gives it
    ((tier, customers, value) per tier, and the number of active customers), and the rows
    of tier_rows(may_warn=True, owner=owner).

    One statement: the ranking is a common table expression that both the rows and the
    pyramid read (materialized once by SQLite and PostgreSQL alike, as a CTE read twice),
    rather than a ranking for each.
    """
    t = tiers_of(settings, today_, cte=True)
    effort = _effort(settings, today_)
    wanted = _may_warn(t.c.tier, col(Customer.level), func.coalesce(effort.c.effort, 0.0),
                       col(Customer.profit_now), col(Customer.profit_future), settings.cadence)
    if owner:
        wanted = and_(owned_by(owner, settings, today_), wanted)
    rows = (
        select(
            t.c.id, Customer.name, t.c.value, t.c.above, t.c.total, t.c.tier, Customer.level,
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort,
            null().label("n"), null().label("tier_value"),
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .where(wanted)
    )
    pyramid = select(*[null()] * 5, t.c.tier, *[null()] * 5, func.count(), func.sum(t.c.value)).group_by(t.c.tier)
    both = union_all(rows, pyramid).subquery("report")
    counts, total, out = [], 0, []
    for i, n, v, a, tot, tier, lvl, pn, pf, o, e, count, value in core_rows(
        s, select(both).order_by(both.c.above, both.c.id)
    ):
        if i is None:  # a tier of the pyramid
            counts.append((tier, int(count), int(value or 0)))
            total += int(count)
        else:
            out.append(TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0)))
    return counts, total, out


def tier_rows(
    s: Session, settings: Settings, today_: date, customer_id: int | None = None,
    owner: str | None = None, may_warn: bool = False,
) -> list[TierRow]:
    """Tier, value, level, profitability and last-12-months weighted effort per customer;
    with ``may_warn``, only the customers the tier warnings can concern (see _may_warn)."""
    t = tiers_of(settings, today_)
    effort = _effort(settings, today_, customer_id)
    q = (
        select(
            t.c.id, Customer.name, t.c.value, t.c.above, t.c.total, t.c.tier, Customer.level,
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort,
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .order_by(t.c.above, t.c.id)
    )
    if customer_id is not None:
        q = q.where(t.c.id == customer_id)
    if owner:
        q = q.where(owned_by(owner, settings, today_))
    if may_warn:
        q = q.where(_may_warn(t.c.tier, col(Customer.level), func.coalesce(effort.c.effort, 0.0),
                              col(Customer.profit_now), col(Customer.profit_future), settings.cadence))
    return [
        TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0))
        for i, n, v, a, tot, tier, lvl, pn, pf, o, e in s.exec(q).all()
    ]


def tier_map(s: Session, settings: Settings) -> dict[int, str]:
    """Every active customer's tier, from one window-function pass (then looked up, so the
    ranking is not recomputed inside each follow-up query)."""
    t = tiers_of(settings)
    return dict(core_rows(s, select(t.c.id, t.c.tier)))

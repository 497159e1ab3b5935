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
    12 months ending on ``day``, and the day of its first signing."""
    recent = and_(Contract.signed_on >= twelve_months_before(day), Contract.signed_on <= day)
    return (
        select(
            Contract.customer_id.label("cid"),
            func.sum(case((recent, Contract.amount_cents), else_=0)).label("recent"),
            func.min(Contract.signed_on).label("first"),
        )
        .where(col(Contract.status).in_(WON), Contract.currency == currency)
        .group_by(Contract.customer_id)
        .subquery("signed")
    )


def value_column(day: date, currency: str, forecast: dict[str, int] | None = None):
    """The signed-contracts subquery to outer-join on Customer.id, each customer's value
    (business: what it buys; pipeline: its expected value) and its standing, what it is
    ranked by (rules.tiers.standing, whose reference this SQL follows)."""
    signed = signed_value_subquery(day, currency)
    entered = func.coalesce(Customer.value_cents, 0)
    first_recent = signed.c.first >= twelve_months_before(day)
    bought = case(
        (and_(first_recent, entered > signed.c.recent), entered),
        else_=signed.c.recent,
    )
    chance = case(dict(forecast or {}), value=Customer.stage, else_=0) if forecast else 0
    # A strategic prospect (seed 003: it serves our long-term goals) stands at its full
    # entered value, not its stage's chance of it.
    chance = case((Customer.segment == "strategic", 100), else_=chance)
    business = or_(signed.c.cid.is_not(None), Customer.stage == "mature")
    value = case(
        (signed.c.cid.is_not(None), bought),
        (Customer.stage == "mature", entered),
        else_=(entered * chance) / 100,
    )
    standing = case(
        (signed.c.cid.is_not(None), bought * 100),
        (Customer.stage == "mature", entered * 100),
        else_=entered * chance,
    )
    return signed, value, standing, business


def tier_subquery(cuts: tuple[float, float, float], day: date | None = None, currency: str = "CNY",
                  cte: bool = False, forecast: dict[str, int] | None = None,
                  mins: tuple[int, int, int] = R.NO_MINS):
    """Every active customer with its value, how many rank strictly above it, and its tier,
    computed in one SQL pass with a window function (portable to PostgreSQL).

    Ranked by standing (rules.tiers): customers doing business by what they buy, the
    others by their expected value (entered value × the chance of their stage)."""
    signed, value, standing, business = value_column(day or today(), currency, forecast)
    ranked = (
        select(
            col(Customer.id).label("id"),
            value.label("value"),
            standing.label("standing"),
            business.label("business"),
            (func.rank().over(order_by=standing.desc()) - 1).label("above"),
            func.count().over().label("total"),
        )
        .outerjoin(signed, signed.c.cid == Customer.id)
        .where(col(Customer.terminated_at).is_(None))
        .subquery("ranked")
    )
    def below(cut: float, least: int):
        # above/total < cut% in whole numbers: a decimal cut such as 16.1 must not be
        # blurred by floating point (16.1 × 1000 is 16100.000000000002).
        num, den = Decimal(repr(cut)).as_integer_ratio()
        return or_(ranked.c.above * (100 * den) < ranked.c.total * num, ranked.c.above < least)

    tier = case(
        (ranked.c.standing <= 0, "lead"),
        (below(cuts[0], mins[0]), "platinum"),
        (below(cuts[1], mins[1]), "gold"),
        (below(cuts[2], mins[2]), "iron"),
        else_="lead",
    )
    tiers = select(ranked, tier.label("tier"))
    return tiers.cte("tiers") if cte else tiers.subquery("tiers")


def tiers_of(settings: Settings, day: date | None = None, cte: bool = False):
    """The tier subquery (or CTE) with the book's settings (cuts, currency) as of ``day``."""
    return tier_subquery(settings.cuts, day, settings.currency, cte, settings.forecast, settings.mins)


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
    business: bool = True  # doing business with us; False: a prospect ranked by its pipeline value
    added_on: date | None = None  # the day the account was opened (time known, for the neglect check)

    def known_days(self, today_: date) -> int | None:
        return None if self.added_on is None else (today_ - self.added_on).days


def tier_of_customer(s: Session, customer: Customer, settings: Settings, today_: date) -> TierRow | None:
    """One active customer's tier row, equal to its row of ``tier_rows`` without ranking
    the whole book: its standing, then how many active customers stand strictly higher
    (the window's rank) and how many are active, counted in one pass, and the tier from
    the cuts (``rules.tiers.tier_of``, the same arithmetic as the window's CASE). None
    for a terminated customer."""
    if customer.terminated_at is not None:
        return None
    signed, value, standing, business = value_column(today_, settings.currency, settings.forecast)
    active = col(Customer.terminated_at).is_(None)
    mine = (
        select(value.label("value"), standing.label("standing"), business.label("business"))
        .select_from(Customer).outerjoin(signed, signed.c.cid == Customer.id)
        .where(Customer.id == customer.id).subquery("mine")
    )
    higher = (
        select(func.count()).select_from(Customer).outerjoin(signed, signed.c.cid == Customer.id)
        .where(active, standing > mine.c.standing).scalar_subquery()
    )
    everyone = select(func.count()).select_from(Customer).where(active).scalar_subquery()
    effort = select(_effort(settings, today_, customer.id).c.effort).scalar_subquery()  # NULL: no touch
    v, st, biz, above, total, spent = s.exec(
        select(mine.c.value, mine.c.standing, mine.c.business, higher, everyone, effort)
    ).one()
    above, total = int(above), int(total)
    return TierRow(
        customer.id, customer.name, int(v), above, total,
        R.tier_of(above, total, int(st), settings.cuts, settings.mins),
        customer.level, customer.profit_now, customer.profit_future, customer.owner, float(spent or 0),
        bool(biz), customer.added_on,
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


def _day(value) -> date | None:
    """A day read through core_rows from a union (its type unknown to SQLAlchemy): SQLite
    gives its text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


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
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort, t.c.business,
            Customer.added_on, null().label("n"), null().label("tier_value"),
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .where(wanted)
    )
    pyramid = select(*[null()] * 5, t.c.tier, *[null()] * 7, func.count(), func.sum(t.c.value)).group_by(t.c.tier)
    both = union_all(rows, pyramid).subquery("report")
    counts, total, out = [], 0, []
    for i, n, v, a, tot, tier, lvl, pn, pf, o, e, biz, added, count, value in core_rows(
        s, select(both).order_by(both.c.above, both.c.id)
    ):
        if i is None:  # a tier of the pyramid
            counts.append((tier, int(count), int(value or 0)))
            total += int(count)
        else:
            out.append(TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0), bool(biz),
                               _day(added)))
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
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort, t.c.business,
            Customer.added_on,
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
        TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0), bool(b), added)
        for i, n, v, a, tot, tier, lvl, pn, pf, o, e, b, added in s.exec(q).all()
    ]


def tier_map(s: Session, settings: Settings) -> dict[int, str]:
    """Every active customer's tier, from one window-function pass (then looked up, so the
    ranking is not recomputed inside each follow-up query)."""
    t = tiers_of(settings)
    return dict(core_rows(s, select(t.c.id, t.c.tier)))


def pursuing_ids(s: Session) -> set[int]:
    """Customers with a deal being pursued (a draft or negotiating contract): the 奢侈
    warning is not said of them (rules.tiers.warnings)."""
    return set(s.exec(select(Contract.customer_id).where(col(Contract.status).in_(("draft", "negotiating")))
                      .distinct()).all())

"""The week's, month's or quarter's report (周报/月报/季报), pure: the period, how its
figures are grouped, and the report as one value that every output is drawn from.

What happened is counted inside the period (both ends included); where things stand
(pipeline, receivables, going cold) is as of today; the plan is what the follow-up rules
find due in the seven days after today. Amounts are whole cents per currency: amounts in
different currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kehu.rules.contracts import Due, ForecastRow, OpenDeal, overdue, weighted_rows
from kehu.rules.domain import STAGES, TOUCH_KINDS
from kehu.rules.followups import Ranked

KINDS: tuple[str, ...] = ("week", "month", "quarter")
AGES: tuple[str, ...] = ("not_due", "d0_30", "d31_90", "d90")  # receivables: not yet due, then days late
PLAN_DAYS = 7  # the plan: what falls due in the week after today (and what is overdue already)
DAILY_UP_TO = 14  # a period this short shows its activity per day, a longer one per week


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_of(kind: str, today: date, start: date | None = None, end: date | None = None) -> Period:
    """The calendar week (Monday to Sunday), month or quarter that holds ``today``; a
    given ``start`` or ``end`` replaces that end of it. The caller checks start <= end."""
    if kind == "week":
        first = today - timedelta(days=today.weekday())
        last = first + timedelta(days=6)
    elif kind == "month":
        first = today.replace(day=1)
        last = _month_after(first) - timedelta(days=1)
    elif kind == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        last = _month_after(_month_after(_month_after(first))) - timedelta(days=1)
    else:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return Period(kind, start or first, end or last)


def _month_after(first: date) -> date:
    return first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)


def activity(period: Period, days: Mapping[date, int]) -> list[tuple[date, int]]:
    """Touchpoints per day of a short period, else per week (the Monday that starts it,
    the first one clipped to the period's start): every bucket, the empty ones too."""
    out: list[tuple[date, int]] = []
    if period.days <= DAILY_UP_TO:
        for i in range(period.days):
            d = period.start + timedelta(days=i)
            out.append((d, days.get(d, 0)))
        return out
    d = period.start
    while d <= period.end:
        nxt = d - timedelta(days=d.weekday()) + timedelta(days=7)
        out.append((d, sum(n for day, n in days.items() if d <= day < nxt)))
        d = nxt
    return out


def by_kind(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Touchpoints per kind, in the method's order of depth, the kinds that happened only."""
    known = [(k, counts[k]) for k in TOUCH_KINDS if counts.get(k)]
    return known + sorted((k, n) for k, n in counts.items() if k not in TOUCH_KINDS and n)


def age_of(due: date, today: date) -> str:
    late = (today - due).days
    if late <= 0:
        return "not_due"
    if late <= 30:
        return "d0_30"
    if late <= 90:
        return "d31_90"
    return "d90"


@dataclass(frozen=True)
class AgeRow:
    currency: str
    cents: dict[str, int]  # per AGES bucket

    @property
    def total(self) -> int:
        return sum(self.cents.values())

    @property
    def late(self) -> int:
        return self.total - self.cents["not_due"]


def ageing(instalments: Iterable[tuple[str, Due]], today: date) -> list[AgeRow]:
    """What signed contracts still owe, per currency, by how late it is (rules.contracts
    decides what is overdue; the buckets are days late 1–30, 31–90 and over 90)."""
    sums: dict[str, dict[str, int]] = {}
    by_cur: dict[str, list[Due]] = {}
    for cur, due in instalments:
        if due.open > 0:
            by_cur.setdefault(cur, []).append(due)
    for cur, dues in by_cur.items():
        slot = sums.setdefault(cur, dict.fromkeys(AGES, 0))
        late_ids = {d.id for d, _ in overdue(dues, today)}
        for d in dues:
            slot[age_of(d.due, today) if d.id in late_ids else "not_due"] += d.open
    return [AgeRow(cur, cents) for cur, cents in sorted(sums.items())]


def by_stage(deals: Sequence[OpenDeal], probability: Mapping[str, int]) -> list[ForecastRow]:
    """The open pipeline per customer stage (in the stages' order), weighted as the forecast is."""
    rows = weighted_rows(deals, probability, lambda d: d.stage)
    order = {s: i for i, s in enumerate(STAGES)}
    return sorted(rows, key=lambda r: (order.get(r.group, len(order)), r.group, r.currency))


def sums(amounts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Amounts added up per currency, in currency order."""
    out: dict[str, int] = {}
    for cur, cents in amounts:
        out[cur] = out.get(cur, 0) + cents
    return sorted(out.items())


@dataclass(frozen=True)
class Move:
    customer_id: int
    customer: str
    day: date
    from_stage: str | None
    to_stage: str
    forced: bool


@dataclass(frozen=True)
class Deal:
    id: int
    customer: str
    title: str
    currency: str
    amount: int
    day: date
    reason: str | None = None


@dataclass(frozen=True)
class Late:
    """A signed contract with money overdue: how much, and the oldest instalment's lateness."""

    id: int
    customer: str
    title: str
    currency: str
    cents: int
    days: int


@dataclass(frozen=True)
class Cold:
    customer_id: int
    customer: str
    stage: str
    days: int
    limit: int


@dataclass(frozen=True)
class Promises:
    kept: int  # kept in the period
    kept_late: int  # of those, after their due day
    broken: int  # marked broken in the period
    missed: int  # due in the period (before today) and still open


@dataclass
class Report:
    period: Period
    today: date
    owner: str | None
    touches: list[tuple[str, int]]
    activity: list[tuple[date, int]]
    new_customers: list[tuple[int, str, str]]  # id, name, stage now
    moves: list[Move]
    promises: Promises
    signed: list[Deal]
    lost: list[Deal]
    received: list[tuple[str, int]]  # per currency
    payments: int  # how many payments were recorded
    funnel: list[tuple[str, int]]  # active customers per stage now
    pipeline_stage: list[ForecastRow]
    pipeline_month: list[ForecastRow]
    forecast: list[ForecastRow]  # the total per currency
    probability: dict[str, int]
    receivables: list[AgeRow]
    late: list[Late]  # the overdue contracts, most overdue first
    cold: list[Cold]  # going cold, longest first
    plan: list[Ranked]  # due by today + PLAN_DAYS, most urgent first
    currency: str  # the book's own currency: the one the charts draw

    @property
    def touch_total(self) -> int:
        return sum(n for _, n in self.touches)

    @property
    def plan_end(self) -> date:
        return self.today + timedelta(days=PLAN_DAYS)


def late_contracts(rows: Iterable[tuple[int, str, str, str, Due]], today: date) -> list[Late]:
    """Signed contracts with overdue money, most overdue first (rules.contracts.overdue
    per contract)."""
    per: dict[int, tuple[tuple[str, str, str], list[Due]]] = {}
    for kid, customer, title, cur, due in rows:
        per.setdefault(kid, ((customer, title, cur), []))[1].append(due)
    out = []
    for kid, ((customer, title, cur), dues) in per.items():
        late = overdue(dues, today)
        if late:
            out.append(Late(kid, customer, title, cur, sum(d.open for d, _ in late), late[0][1]))
    out.sort(key=lambda x: (-x.days, -x.cents, x.id))
    return out

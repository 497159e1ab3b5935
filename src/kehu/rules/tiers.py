"""The customer pyramid (客户金字塔), profitability cells and effort warnings.

Tier by the share of customers ranked strictly above (DOMAIN.md §6): with the default
cuts, fewer than 1% above → platinum, fewer than 5% → gold, fewer than 20% → iron, else
lead. So the top customer of any book is platinum, equal values share a tier (they have
the same number above them), and a customer with no value is lead whatever its rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

TIERS: tuple[str, ...] = ("platinum", "gold", "iron", "lead")
DEFAULT_CUTS: tuple[float, float, float] = (1.0, 5.0, 20.0)  # percent of customers above
DEFAULT_CADENCE: dict[str, int] = {"platinum": 7, "gold": 14, "iron": 30, "lead": 90}


def tier_of(above: int, total: int, value: int | None, cuts: Sequence[float] = DEFAULT_CUTS) -> str:
    """The tier of a customer with ``above`` customers valued strictly higher, of ``total``."""
    if not value or value <= 0 or total <= 0:
        return "lead"
    share = Fraction(100 * above, total)  # exact: a cut of 16.1 means 16.1, not 16.1000…02
    for tier, cut in zip(TIERS, cuts, strict=False):
        if share < Fraction(Decimal(repr(cut))):
            return tier
    return "lead"


def assign(values: Sequence[int | None], cuts: Sequence[float] = DEFAULT_CUTS) -> list[str]:
    """Tiers for a whole book, in the order given (a reference implementation for tests;
    the store computes the same with a window function in SQL)."""
    ordered = sorted((v or 0 for v in values), reverse=True)
    total = len(values)
    above_of: dict[int, int] = {}
    for i, v in enumerate(ordered):
        above_of.setdefault(v, i)
    return [tier_of(above_of[v or 0], total, v, cuts) for v in values]


def parse_cuts(text: str) -> tuple[float, float, float]:
    """'1,5,20' → (1.0, 5.0, 20.0): three increasing percentages from 0.01 to 100,
    with at most two decimals."""
    parts = [float(p) for p in text.replace("，", ",").split(",")]
    if len(parts) != 3 or not 0.01 <= parts[0] < parts[1] < parts[2] <= 100:
        raise ValueError(text)
    if any(round(p, 2) != p for p in parts):  # two decimals at most: 16.25 %, not 1e-20
        raise ValueError(text)
    return (parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class TierSummary:
    tier: str
    count: int
    value: int
    customer_share: float  # 0..1
    value_share: float  # 0..1


def summarise(rows: Sequence[tuple[str, int, int]], total_count: int) -> list[TierSummary]:
    """rows: (tier, customers, summed value) → per-tier shares, every tier present."""
    by_tier = {t: (0, 0) for t in TIERS}
    for tier, count, value in rows:
        c, v = by_tier[tier]
        by_tier[tier] = (c + count, v + (value or 0))
    total_value = sum(v for _, v in by_tier.values())
    return [
        TierSummary(
            t,
            c,
            v,
            c / total_count if total_count else 0.0,
            v / total_value if total_value else 0.0,
        )
        for t, (c, v) in by_tier.items()
    ]


# ---------------------------------------------------------------- profitability (seed 003)

CELLS = ("best", "invest", "keep", "worst")


def cell(profit_now: str | None, profit_future: str | None) -> str | None:
    """Future × current profitability: both high = best, future only = invest,
    current only = keep, both low = worst; None until both are known."""
    if profit_now is None or profit_future is None:
        return None
    now_high, future_high = profit_now == "high", profit_future == "high"
    if now_high and future_high:
        return "best"
    if future_high:
        return "invest"
    if now_high:
        return "keep"
    return "worst"


# ---------------------------------------------------------------- effort against tier


@dataclass(frozen=True)
class Warning:
    key: str
    params: dict[str, object]


# The relationship levels each tier justifies: partner and alliance cost a great deal to
# run and fit only customers who matter most; for most, preferred supplier is enough.
LEVELS_FOR_TIER: dict[str, tuple[str, ...]] = {
    "platinum": ("transactional", "preferred", "partner", "alliance"),
    "gold": ("transactional", "preferred", "partner"),
    "iron": ("transactional", "preferred"),
    "lead": ("transactional", "preferred"),
}
OVERSPEND_FACTOR = 3.0  # effort above 3× what the tier's cadence implies is 奢侈
UNDERSERVE_FACTOR = 0.5  # a platinum or gold customer given under half of it is neglected
UNDERSERVED_TIERS: tuple[str, ...] = ("platinum", "gold")
# Levels that cost too much for a customer in the worst cell (both profits low).
WORST_CELL_LEVELS: tuple[str, ...] = ("partner", "alliance")


def expected_effort(tier: str, cadence: dict[str, int]) -> float:
    """Weighted effort a year the cadence implies: one daily-weight contact per period."""
    return 365.0 / cadence[tier]


def warnings(
    *,
    tier: str,
    level: str | None,
    effort: float,
    cell_: str | None,
    cadence: dict[str, int] = DEFAULT_CADENCE,
) -> list[Warning]:
    """Where the relationship level or the effort spent is out of line with the tier."""
    out: list[Warning] = []
    if level is not None and level not in LEVELS_FOR_TIER[tier]:
        out.append(Warning("warn_level_too_high", {"level": level, "tier": tier}))
    expected = expected_effort(tier, cadence)
    if effort > OVERSPEND_FACTOR * expected:
        out.append(
            Warning("warn_overspend", {"effort": round(effort, 1), "expected": round(expected, 1), "tier": tier})
        )
    elif tier in UNDERSERVED_TIERS and effort < UNDERSERVE_FACTOR * expected:
        out.append(
            Warning("warn_underserved", {"effort": round(effort, 1), "expected": round(expected, 1), "tier": tier})
        )
    if cell_ == "worst" and level in WORST_CELL_LEVELS:
        out.append(Warning("warn_worst_partner", {"level": level}))
    return out


def effort_bounds(tier: str, cadence: dict[str, int] = DEFAULT_CADENCE) -> tuple[float, float | None]:
    """The efforts beyond which ``warnings`` speaks for a customer of ``tier``: above the
    first it is overspent; below the second (None: the tier is never underserved) it is
    neglected. With the levels a tier justifies (LEVELS_FOR_TIER) and WORST_CELL_LEVELS,
    this is everything that can produce a warning, as data a query can filter on."""
    expected = expected_effort(tier, cadence)
    return OVERSPEND_FACTOR * expected, UNDERSERVE_FACTOR * expected if tier in UNDERSERVED_TIERS else None

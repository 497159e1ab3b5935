"""The customer pyramid (客户金字塔), profitability cells and effort warnings.

Tier by the share of customers ranked strictly above (DOMAIN.md §6): with the default
cuts, fewer than 1% above → platinum, fewer than 5% → gold, fewer than 20% → iron, else
lead. So the top customer of any book is platinum, equal values share a tier (they have
the same number above them), and a customer with no value is lead whatever its rank.

Small books (kehu's own rule, ``tier.min_counts``, default 1,3,8): each cut also admits
the customers with fewer than 1, 3 and 8 ranked above them, so a salesperson's book of
15–40 customers has a platinum account, two gold and five iron rather than a pyramid of
one platinum and lead. From 160 customers on (8 is 5% of 160) the shares decide alone.

What a customer is ranked by (its *standing*, seed 002 and DOMAIN §2, §6):
- a customer doing business with us (a signed or completed contract, or mature) is
  ranked by what it buys: the contracts signed in the last 12 months; while its first
  contract is under 12 months old, by the larger of that and the annual value entered
  by hand, so signing never lowers a customer's standing on the day it signs;
- a prospect or target (no contract won yet) is pipeline, not business: it is ranked by
  its expected value, the value entered × the chance of its stage (``forecast.<stage>``,
  kehu's own percentages), so a hoped-for 2,000,000 at evaluation (25%) stands with the
  500,000 accounts, not above the account that signed 1,800,000. A prospect marked
  strategic (seed 003, ``--segment strategic``) stands at its full entered value.
Since a prospect's expected value is at most its entered value, and signing makes the
standing at least the entered value, signing never lowers a tier (``standing``).

Prospects are ranked apart from the pyramid (kehu's own rule for DOMAIN §6, ``rank_book``):
the pyramid's ranks and shares count only the customers doing business. A prospect gets
the tier its standing *would* have among them without being counted: ``above`` is the
number of customers doing business that stand strictly higher, ``total`` the number of
customers doing business. Its tier sets its cadence; it is listed apart, as pipeline (商机).
A book with nobody doing business yet (a new salesperson's) ranks its prospects among
themselves, so a new book is not all lead; that book's pyramid is its pipeline's.

Big customer (大客户, seed 004, ``big_customer``): buying and using are done by different
people, a buying centre: among the customer's people at least one with a buying role
(decider, procurement) and at least one user. A technical evaluator is not counted as a
user (kehu's own reading: they judge the product for the users, as the seed's gatekeeper
does). Seeds 002 and 004 disagree on what makes a customer big: kehu ranks by the value
pyramid (seed 002: tier, cadence, effort) and marks the buying centre (seed 004) beside it,
in `kehu show` and in `kehu tier`'s listings; the mark changes no rank.

Profitability cells change cadence (kehu's own factors, ``cell.*`` settings): the contact
cadence of a customer is its tier's cadence ÷ its cell's factor, rounded half up, at least
one day (``cell_cadence``): best and invest more often, keep less, worst least.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kehu.rules.contracts import WON

TIERS: tuple[str, ...] = ("platinum", "gold", "iron", "lead")
DEFAULT_CUTS: tuple[float, float, float] = (1.0, 5.0, 20.0)  # percent of customers above
DEFAULT_CADENCE: dict[str, int] = {"platinum": 7, "gold": 14, "iron": 30, "lead": 90}
# Small books: each cut admits at least the customers with fewer than these ranked above.
DEFAULT_MINS: tuple[int, int, int] = (1, 3, 8)
NO_MINS: tuple[int, int, int] = (0, 0, 0)


def tier_of(above: int, total: int, value: int | None, cuts: Sequence[float] = DEFAULT_CUTS,
            mins: Sequence[int] = NO_MINS) -> str:
    """The tier of a customer with ``above`` customers valued strictly higher, of ``total``;
    ``mins``: a cut also admits those with fewer than mins[i] above (small books)."""
    if not value or value <= 0 or total <= 0:
        return "lead"
    share = Fraction(100 * above, total)  # exact: a cut of 16.1 means 16.1, not 16.1000…02
    for tier, cut, least in zip(TIERS, cuts, mins, strict=False):
        if share < Fraction(Decimal(repr(cut))) or above < least:
            return tier
    return "lead"


def assign(values: Sequence[int | None], cuts: Sequence[float] = DEFAULT_CUTS,
           mins: Sequence[int] = NO_MINS) -> list[str]:
    """Tiers for a book whose customers are all of one kind (all doing business, or
    none), in the order given: a reference implementation for tests; a book of both
    kinds is ``assign_book``'s; the store's is ``places_in_order``."""
    ordered = sorted((v or 0 for v in values), reverse=True)
    total = len(values)
    above_of: dict[int, int] = {}
    for i, v in enumerate(ordered):
        above_of.setdefault(v, i)
    return [tier_of(above_of[v or 0], total, v, cuts, mins) for v in values]


def rank_book(rows: Sequence[tuple[bool, int | None]]) -> list[tuple[int, int]]:
    """(above, total) per customer, given (doing business, standing) in the order given: the
    pure reference of the store's SQL. A customer doing business is ranked among those
    doing business; a prospect counts the customers doing business that stand strictly
    higher, of all of them, without being counted; with nobody doing business, the
    prospects are ranked among themselves."""
    business = sorted(((v or 0) for b, v in rows if b), reverse=True)
    prospects = sorted(((v or 0) for b, v in rows if not b), reverse=True)

    def higher(ordered: list[int], v: int) -> int:  # how many strictly higher
        return sum(1 for w in ordered if w > v)

    out = []
    for b, v in rows:
        if b or not business:
            pool = business if b else prospects
            out.append((higher(pool, v or 0), len(pool)))
        else:
            out.append((higher(business, v or 0), len(business)))
    return out


def places_in_order(rows: Sequence[tuple[bool, int]], cuts: Sequence[float] = DEFAULT_CUTS,
                    mins: Sequence[int] = NO_MINS) -> list[tuple[int, int, str]]:
    """(above, total, tier) per (doing business, standing) row, for rows given highest
    standing first: what ``rank_book`` and ``tier_of`` give, in one pass.

    Walking down the book, a customer's place is the number of customers doing business
    in the groups of higher standing passed so far (with nobody doing business, of all
    customers): no customer is compared with another. `kehu tier` ranks the whole book so
    (100,000 customers: the walk 0.05 s, where SQLite's window functions took 0.45 s more
    than reading the rows in order). The cuts
    are compared as exact fractions, in whole numbers, as ``tier_of`` does."""
    n_business = sum(1 for b, _ in rows if b)
    alone = n_business == 0
    total = len(rows) if alone else n_business
    limits = []
    for cut, least in zip(cuts, mins, strict=True):
        num, den = Decimal(repr(cut)).as_integer_ratio()
        limits.append((num * total, 100 * den, least))
    out: list[tuple[int, int, str]] = []
    higher = in_group = 0  # counted customers in the groups passed, and in this group
    previous: int | None = None
    place = (0, total, "lead")
    for b, v in rows:
        if v != previous:
            if previous is not None and v > previous:
                raise ValueError("places_in_order: rows must come highest standing first")
            higher += in_group
            in_group = 0
            previous = v
            tier = "lead"
            if v > 0:
                for name, (num_total, den_100, least) in zip(TIERS, limits, strict=False):
                    if higher * den_100 < num_total or higher < least:
                        tier = name
                        break
            place = (higher, total, tier)
        if b or alone:
            in_group += 1
        out.append(place)
    return out


def assign_book(rows: Sequence[tuple[bool, int | None]], cuts: Sequence[float] = DEFAULT_CUTS,
                mins: Sequence[int] = NO_MINS) -> list[str]:
    """Tiers for (doing business, standing) rows, business and pipeline ranked apart
    (``rank_book``)."""
    return [tier_of(a, t, v, cuts, mins) for (a, t), (_, v) in zip(rank_book(rows), rows, strict=True)]


# Seed 004's buying centre: who buys and who uses (DOMAIN §2). Technical evaluators are not
# users (kehu's reading: they judge for the users).
BUYER_ROLES: tuple[str, ...] = ("decider", "procurement")
USER_ROLES: tuple[str, ...] = ("user",)


def big_customer(roles: Iterable[str | None]) -> bool:
    """大客户 by seed 004: among its people, someone who buys (decider, procurement) and
    someone else who uses (user): buying and using done by different people."""
    seen = set(roles)
    return bool(seen & set(BUYER_ROLES)) and bool(seen & set(USER_ROLES))


def standing(*, stage: str, entered: int | None, signed_12m: int | None, first_signed_recent: bool,
             chance: dict[str, int], segment: str | None = None) -> tuple[bool, int]:
    """(doing business, what the customer is ranked by, in cents × 100): the reference of
    the store's SQL. ``signed_12m`` is None when it never signed a contract;
    ``first_signed_recent``: its first contract was signed within the last 12 months."""
    base = entered or 0
    if signed_12m is not None:
        value = max(signed_12m, base) if first_signed_recent else signed_12m
        return True, value * 100
    if stage == "mature":
        return True, base * 100
    if segment == "strategic":  # seed 003: serves our long-term goals; its full value
        return False, base * 100
    return False, base * chance.get(stage, 0)


def chance_of(stage: str, segment: str | None, forecast: dict[str, int]) -> int:
    """The percent of its entered value a prospect stands at: its stage's chance
    (``forecast.<stage>``, kehu's own), or 100 for a strategic prospect (``standing``)."""
    return 100 if segment == "strategic" else forecast.get(stage, 0)


def does_business(stage: str, statuses: Iterable[str]) -> bool:
    """Whether a customer does business with us (``standing``): a contract won (signed or
    completed; any currency) or the mature stage. The rest are prospects."""
    return stage == "mature" or any(s in WON for s in statuses)


def parse_mins(text: str) -> tuple[int, int, int]:
    """'1,3,8' → (1, 3, 8): three non-decreasing whole numbers from 0 to 1000."""
    parts = [int(p) for p in text.replace("，", ",").split(",")]
    if len(parts) != 3 or not 0 <= parts[0] <= parts[1] <= parts[2] <= 1000:
        raise ValueError(text)
    return (parts[0], parts[1], parts[2])


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
    big: int = 0  # of them, big customers by seed 004's test (a buying centre)


def summarise(rows: Sequence[tuple], total_count: int) -> list[TierSummary]:
    """rows: (tier, customers, summed value[, big customers]) → per-tier shares, every
    tier present."""
    by_tier = {t: (0, 0, 0) for t in TIERS}
    for tier, count, value, *big in rows:
        c, v, b = by_tier[tier]
        by_tier[tier] = (c + count, v + (value or 0), b + (big[0] if big else 0))
    total_value = sum(v for _, v, _ in by_tier.values())
    return [
        TierSummary(
            t,
            c,
            v,
            c / total_count if total_count else 0.0,
            v / total_value if total_value else 0.0,
            b,
        )
        for t, (c, v, b) in by_tier.items()
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
# Levels that need both sides to matter to each other (DOMAIN §2, seed 000): neither can
# dominate, both need each other, switching costs are high. A prospect buys nothing from
# us yet, so it cannot show that, whatever its place in the pipeline (warn_level_prospect).
MUTUAL_LEVELS: tuple[str, ...] = ("partner", "alliance")


# What a profitability cell (matrix B, seed 002) does to the effort a customer warrants,
# kehu's own factors: invest in 投资 (future profit), keep 保留 efficiently, spend little on
# 最糟糕; unknown cell: 1.
# The same factors scale the contact cadence (cell_cadence); settings cell.<cell>.
CELL_EFFORT: dict[str | None, float] = {"best": 1.5, "invest": 1.5, "keep": 0.75, "worst": 0.5, None: 1.0}


def cell_factors_ordered(factors: dict) -> bool:
    """The cells' factors in the order the seed asks (kehu's own reading of matrix B):
    worst ≤ keep ≤ invest and keep ≤ best. Best and invest are not ordered: the seed
    says invest in 投资, and a best customer already returns; kehu's defaults are equal."""
    return factors["worst"] <= factors["keep"] <= factors["invest"] and factors["keep"] <= factors["best"]


def cell_cadence(tier: str, cadence: dict[str, int], cell_: str | None,
                 factors: dict[str | None, float] = CELL_EFFORT) -> int:
    """Days between contacts for a customer of ``tier`` in profitability cell ``cell_``:
    the tier's cadence ÷ the cell's factor, rounded half up, at least 1 (an unknown cell:
    the tier's cadence). A larger factor never lengthens the cadence."""
    days = cadence[tier]
    if cell_ is None:
        return days
    return max(1, int(days / factors.get(cell_, 1.0) + 0.5))


def expected_effort(tier: str, cadence: dict[str, int], cell_: str | None = None,
                    factors: dict[str | None, float] = CELL_EFFORT) -> float:
    """Weighted effort a year the cadence implies (one daily-weight contact per period),
    scaled by what the profitability cell says the customer returns (CELL_EFFORT)."""
    return 365.0 / cadence[tier] * factors.get(cell_, 1.0)


def service_cost_of(entered: str | None, effort: float, expected: float) -> tuple[str, bool]:
    """Matrix A's cost to serve, and whether it is estimated: as entered, else from the
    effort spent (DOMAIN §2: it can be estimated from the touchpoints and their kinds).
    kehu's own rule: more weighted effort in the last 12 months than the customer's tier
    and cell warrant (``expected_effort``) is a high cost, the rest low."""
    if entered is not None:
        return entered, False
    return ("high" if effort > expected else "low"), True


def profit_a(profit_now: str | None, service_cost: str | None) -> str | None:
    """Matrix A (seed 002): current profit × cost to serve → most / less / least
    profitable; None until both are known."""
    if profit_now is None or service_cost is None:
        return None
    if profit_now == "high":
        return "most" if service_cost == "low" else "less"
    return "less" if service_cost == "low" else "least"


# Relationship levels checked against their marks in the book (DOMAIN §2, seed 000):
# partner and alliance need ties between top managers, alliance a formal (mature)
# relationship, preferred supplier many key people who know us.
def level_marks(level: str | None, *, stage: str, executive_met: bool, people_met: int) -> list[Warning]:
    out: list[Warning] = []
    if level in ("partner", "alliance") and stage != "mature":
        out.append(Warning("warn_marks_stage", {"level": level, "stage": stage}))
    if level in ("partner", "alliance") and not executive_met:
        out.append(Warning("warn_marks_executive", {"level": level}))
    if level == "preferred" and people_met < 2:
        out.append(Warning("warn_marks_people", {"level": level, "count": people_met}))
    return out


def warnings(
    *,
    tier: str,
    level: str | None,
    effort: float,
    cell_: str | None,
    cadence: dict[str, int] = DEFAULT_CADENCE,
    known_days: int | None = None,
    business: bool = True,
    pursuing: bool = False,
    cell_factors: dict[str | None, float] = CELL_EFFORT,
) -> list[Warning]:
    """Where the relationship level or the effort spent is out of line with the tier.

    ``known_days``: how long we have known the customer (since it was added). A year's
    effort is not expected of a customer known for two weeks: the neglect check scales
    the expected effort by known_days / 365 (kehu's own rule), never above a year.

    奢侈 (spending more than it returns, issue 18) compares effort with return: the
    expected effort follows the tier (what the customer buys) and the profitability cell
    (CELL_EFFORT), and it is only said of a customer doing business (``business``) past
    the deal's pursuit (``pursuing``: an open draft or negotiating contract), never of a
    live deal being won.

    The level a tier justifies (LEVELS_FOR_TIER) is checked only for a customer doing
    business, whose tier says what it buys, i.e. how much it matters to us. A prospect's
    tier is only its place among the prospects (pipeline), which says nothing of whether
    both sides matter to each other (DOMAIN §2's partner test): a prospect at partner or
    alliance (MUTUAL_LEVELS) is warned as such (warn_level_prospect), whatever its tier."""
    out: list[Warning] = []
    if not business and level in MUTUAL_LEVELS:
        out.append(Warning("warn_level_prospect", {"level": level}))
    elif business and level is not None and level not in LEVELS_FOR_TIER[tier]:
        out.append(Warning("warn_level_too_high", {"level": level, "tier": tier}))
    expected = expected_effort(tier, cadence, cell_, cell_factors)
    if effort > OVERSPEND_FACTOR * expected and business and not pursuing:
        out.append(
            Warning("warn_overspend", {"effort": round(effort, 1), "expected": round(expected, 1), "tier": tier})
        )
    elif tier in UNDERSERVED_TIERS:
        due = expected * (1.0 if known_days is None else max(0, min(known_days, 365)) / 365.0)
        if effort < UNDERSERVE_FACTOR * due:
            out.append(
                Warning("warn_underserved", {"effort": round(effort, 1), "expected": round(due, 1), "tier": tier})
            )
    if cell_ == "worst" and level in WORST_CELL_LEVELS:
        out.append(Warning("warn_worst_partner", {"level": level}))
    return out


def effort_bounds(tier: str, cadence: dict[str, int] = DEFAULT_CADENCE,
                  cell_factors: dict[str | None, float] = CELL_EFFORT) -> tuple[float, float | None]:
    """The efforts beyond which ``warnings`` speaks for a customer of ``tier``: above the
    first it is overspent; below the second (None: the tier is never underserved) it is
    neglected. With the levels a tier justifies (LEVELS_FOR_TIER), WORST_CELL_LEVELS and
    MUTUAL_LEVELS (for a prospect), this is everything that can produce a warning
    (warning_screen)."""
    expected = expected_effort(tier, cadence)
    # the cells move the bounds: the lowest overspend and the highest neglect bound of any
    under = UNDERSERVE_FACTOR * expected * max(cell_factors.values())
    return OVERSPEND_FACTOR * expected * min(cell_factors.values()), under if tier in UNDERSERVED_TIERS else None


def warning_screen(cadence: dict[str, int] = DEFAULT_CADENCE,
                   cell_factors: dict[str | None, float] = CELL_EFFORT):
    """A quick test, ``may_warn(tier, level, effort, cell_known, business)``, true for
    every customer ``warnings`` can speak of (and a few more: ``warnings`` still decides),
    from the bounds of effort_bounds and the levels above. ``cell_known``: both profits
    are entered. `kehu tier` asks it of every customer in the book and ``warnings`` only
    of those it lets through (26,000 of 97,000 on the 100,000-customer book).

    The bounds are widened by a relative 1e-9: effort_bounds multiplies the factors in
    another order than ``warnings``, and a rounding must not hide a warning."""
    bounds = {}
    for name in TIERS:
        over, under = effort_bounds(name, cadence, cell_factors)
        bounds[name] = (over * (1 - 1e-9), None if under is None else under * (1 + 1e-9), LEVELS_FOR_TIER[name])
    worst, mutual = frozenset(WORST_CELL_LEVELS), frozenset(MUTUAL_LEVELS)

    def may_warn(tier: str, level: str | None, effort: float, cell_known: bool, business: bool) -> bool:
        over, under, levels = bounds[tier]
        if level is not None:
            if business:
                if level not in levels:
                    return True  # warn_level_too_high
            elif level in mutual:
                return True  # warn_level_prospect
            if cell_known and level in worst:
                return True  # warn_worst_partner (the cell may be the worst)
        # warn_overspend (only of a customer doing business), warn_underserved
        return (business and effort > over) or (under is not None and effort < under)

    return may_warn

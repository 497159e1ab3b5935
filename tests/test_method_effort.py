"""Issue 18, point 4: 奢侈 compares effort with return, only past the deal's pursuit; the
profitability cells change the effort expected; a relationship level is checked against
its marks in the book."""

from __future__ import annotations

import math

import pytest

from kehu.rules import tiers as R
from kehu.rules.domain import RELATIONSHIP_LEVELS

pytestmark = pytest.mark.today("2026-11-23")


def keys(**kw):
    return [w.key for w in R.warnings(level=None, **kw)]


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        # iron expects ~12.2 a year; 3× is 36.5
        ({"tier": "iron", "effort": 40.0, "cell_": None}, ["warn_overspend"]),
        ({"tier": "iron", "effort": 40.0, "cell_": None, "pursuing": True}, []),  # a live deal in pursuit
        ({"tier": "iron", "effort": 40.0, "cell_": None, "business": False}, []),  # a prospect: pipeline
        ({"tier": "iron", "effort": 40.0, "cell_": "invest"}, []),  # future profit: 1.5× warranted
        ({"tier": "iron", "effort": 20.0, "cell_": "worst"}, ["warn_overspend"]),  # both low: 0.5×
        ({"tier": "iron", "effort": 20.0, "cell_": "keep"}, []),
        ({"tier": "gold", "effort": 15.0, "cell_": "invest"}, ["warn_underserved"]),  # invest: more expected
        ({"tier": "gold", "effort": 15.0, "cell_": None}, []),
    ],
)
def test_luxury_compares_effort_with_return(kw, expected):
    assert keys(**kw) == expected


def test_the_cells_move_the_expected_effort_monotonely():
    order = ["worst", "keep", None, "invest"]
    efforts = [R.expected_effort("gold", R.DEFAULT_CADENCE, c) for c in order]
    assert efforts == sorted(efforts)


def test_the_screens_bounds_cover_every_cell():
    for tier in R.TIERS:
        over, under = R.effort_bounds(tier)
        for cell_ in R.CELL_EFFORT:
            expected = R.expected_effort(tier, R.DEFAULT_CADENCE, cell_)
            assert over <= R.OVERSPEND_FACTOR * expected
            if under is not None:
                assert under >= R.UNDERSERVE_FACTOR * expected


@pytest.mark.parametrize(("cadence", "factors"), [
    (R.DEFAULT_CADENCE, R.CELL_EFFORT),
    ({"platinum": 365, "gold": 73, "iron": 365, "lead": 365}, R.CELL_EFFORT),
    ({"platinum": 3, "gold": 10, "iron": 45, "lead": 120},
     {"best": 2.0, "invest": 1.25, "keep": 0.6, "worst": 0.3, None: 1.0}),
    # iron every 20 days, worst cell 0.3: warnings speaks above 16.424999999999997, where the
    # bound the screen computes is 16.425 (one rounding step apart)
    ({"platinum": 7, "gold": 14, "iron": 20, "lead": 90}, {**R.CELL_EFFORT, "worst": 0.3}),
])
def test_the_screen_lets_through_every_customer_a_warning_speaks_of(cadence, factors):
    """`kehu tier` asks rules.tiers.warnings only of the customers warning_screen lets
    through: every input with a warning must pass it, efforts on and around each bound
    included; and it holds back most quiet customers, or it would save nothing."""
    profits = (None, "high", "low")
    efforts = {0.0, 0.5, 1.0, 3.0, 4.0, 1000.0}
    for tier in R.TIERS:
        for cell_ in factors:
            expected = R.expected_effort(tier, cadence, cell_, factors)
            for x in (R.OVERSPEND_FACTOR * expected, R.UNDERSERVE_FACTOR * expected):
                # one rounding step either side: the screen's bounds multiply in another
                # order (gold, worst cell, the third cadence: 32.849999999999994 against 32.85)
                efforts |= {x, math.nextafter(x, -math.inf), math.nextafter(x, math.inf), x - 0.1, x + 0.1}
    may_warn = R.warning_screen(cadence, factors)
    held, warned = 0, 0
    for tier in R.TIERS:
        for level in (None, *RELATIONSHIP_LEVELS):
            for now in profits:
                for future in profits:
                    for effort in efforts:
                        for business in (True, False):
                            for pursuing in (True, False):
                                for known in (None, 0, 30, 364):
                                    ws = R.warnings(tier=tier, level=level, effort=effort,
                                                    cell_=R.cell(now, future), cadence=cadence, known_days=known,
                                                    business=business, pursuing=pursuing, cell_factors=factors)
                                    passes = may_warn(tier, level, effort, now is not None and future is not None,
                                                      business)
                                    assert passes or not ws, (tier, level, now, future, effort, business, ws)
                                    warned += bool(ws)
                                    held += not passes
    assert warned > 1000 and held > 1000


@pytest.mark.parametrize(
    ("now", "cost", "cell_"),
    [("high", "low", "most"), ("high", "high", "less"), ("low", "low", "less"), ("low", "high", "least"),
     (None, "low", None), ("high", None, None)],
)
def test_matrix_a(now, cost, cell_):
    assert R.profit_a(now, cost) == cell_


@pytest.mark.parametrize(
    ("level", "stage", "executive", "people", "expected"),
    [
        ("alliance", "evaluation", True, 5, ["warn_marks_stage"]),
        ("partner", "mature", False, 5, ["warn_marks_executive"]),
        ("partner", "mature", True, 1, []),
        ("preferred", "mature", False, 1, ["warn_marks_people"]),
        ("preferred", "growth", False, 3, []),
        ("transactional", "stranger", False, 0, []),
        (None, "stranger", False, 0, []),
    ],
)
def test_level_marks(level, stage, executive, people, expected):
    got = R.level_marks(level, stage=stage, executive_met=executive, people_met=people)
    assert [w.key for w in got] == expected


def test_a_deal_in_pursuit_is_not_luxury_but_a_settled_one_is(kehu):
    """A salesperson works hard on a deal: many visits while the contract is negotiated
    are the pursuit, not waste. Once signed and delivered, the same effort on a small
    account both sides profit little from is 奢侈."""
    kehu("add", "大客户", "--value", "500万")
    kehu("contract", "add", "大客户", "大单", "--amount", "500万")
    kehu("contract", "sign", "1", "--date", "2026-03-01")
    kehu("add", "小客户", "--value", "5万", "--profit-now", "低", "--profit-future", "低", "--date", "2025-01-01")
    kehu("contract", "add", "小客户", "一期", "--amount", "5万", "--status", "谈判中")
    for day in range(1, 29):
        kehu("touch", "小客户", "--kind", "summit", "--date", f"2026-10-{day:02d}")
    assert "warn_overspend" not in {w["key"] for w in kehu.json("show", "小客户")["warnings"]}
    kehu("contract", "sign", "2", "--date", "2026-11-01")
    assert "warn_overspend" in {w["key"] for w in kehu.json("show", "小客户")["warnings"]}
    assert "warn_overspend" in {w["key"] for w in kehu.json("tier")["warnings"]}


def test_an_alliance_at_evaluation_is_warned(kehu):
    kehu("add", "南粤银行", "--level", "战略联盟")
    kehu("advance", "南粤银行", "--force", "--reason", "x")
    kehu("advance", "南粤银行", "--force", "--reason", "x")
    keys_ = [w["key"] for w in kehu.json("show", "南粤银行")["warnings"]]
    assert "warn_marks_stage" in keys_ and "warn_marks_executive" in keys_
    out = kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "客户却还在考察期：账本上看不到它的标志" in out

"""Issue 18, points 4 and 7: the profitability cells (matrix B, seed 002) change how often
a customer is to be contacted, not only the effort expected; the cells' factors and the
weight of an opposing person in trust are settings, kehu's own numbers, validated and
monotone."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from kehu.rules import tiers as R
from kehu.rules import trust as T

pytestmark = pytest.mark.today("2026-11-23")

TODAY = date(2026, 11, 23)


# ---------------------------------------------------------------- cadence by cell (pure)


@pytest.mark.parametrize(
    ("tier", "cell_", "days"),
    [
        ("platinum", None, 7),  # no cell recorded: the tier's cadence
        ("platinum", "best", 5),  # 7 / 1.5 = 4.67 → 5
        ("platinum", "invest", 5),
        ("platinum", "keep", 9),  # 7 / 0.75 = 9.33 → 9
        ("platinum", "worst", 14),
        ("gold", "invest", 9),  # 14 / 1.5 = 9.33
        ("iron", "keep", 40),
        ("lead", "worst", 180),
        ("lead", "best", 60),
    ],
)
def test_cell_cadence(tier, cell_, days):
    assert R.cell_cadence(tier, R.DEFAULT_CADENCE, cell_) == days


def test_cell_cadence_rounds_half_up_and_is_at_least_a_day():
    assert R.cell_cadence("platinum", {"platinum": 3}, "keep", {"keep": 2.0}) == 2  # 1.5 → 2
    assert R.cell_cadence("platinum", {"platinum": 1}, "best", {"best": 10.0}) == 1


def test_a_larger_cell_factor_never_lengthens_the_cadence():
    rnd = random.Random(4)
    for _ in range(3000):
        days = rnd.randrange(1, 3651)
        a, b = sorted((round(rnd.uniform(0.1, 10), 2), round(rnd.uniform(0.1, 10), 2)))
        slow = R.cell_cadence("gold", {"gold": days}, "keep", {"keep": a})
        fast = R.cell_cadence("gold", {"gold": days}, "keep", {"keep": b})
        assert fast <= slow, (days, a, b)
        assert R.expected_effort("gold", {"gold": days}, "keep", {"keep": b}) >= R.expected_effort(
            "gold", {"gold": days}, "keep", {"keep": a})


@pytest.mark.parametrize(
    ("factors", "ordered"),
    [
        ({"best": 1.5, "invest": 1.5, "keep": 0.75, "worst": 0.5}, True),  # kehu's defaults
        ({"best": 1.0, "invest": 2.0, "keep": 1.0, "worst": 1.0}, True),  # best and invest not ordered
        ({"best": 2.0, "invest": 1.0, "keep": 1.0, "worst": 0.5}, True),
        ({"best": 1.5, "invest": 1.5, "keep": 0.75, "worst": 0.8}, False),  # worst above keep
        ({"best": 1.5, "invest": 0.7, "keep": 0.75, "worst": 0.5}, False),  # keep above invest
        ({"best": 0.7, "invest": 1.5, "keep": 0.75, "worst": 0.5}, False),  # keep above best
    ],
)
def test_cell_factors_order(factors, ordered):
    assert R.cell_factors_ordered(factors) is ordered


# ---------------------------------------------------------------- the story


def test_i_invest_in_the_future_and_spend_little_on_the_worst(kehu):
    """A salesperson has three accounts of the same value (all platinum) and called each
    on 2026-11-10. One has little profit now but a big future (投资), one has neither
    (最糟糕), the third is not judged yet. The invest account is due first, the worst one
    last, each item saying why; making invest count more brings it due sooner still."""
    for name, now, future in (("投资客户", "low", "high"), ("最糟客户", "low", "low"), ("未评客户", None, None)):
        kehu("add", name, "--value", "100万", "--date", "2026-01-05",
             *(("--profit-now", now, "--profit-future", future) if now else ()))
        kehu("touch", name, "--kind", "daily", "--date", "2026-11-10")

    def due():
        items = kehu.json("remind", "--within", "30d")
        return {i["customer"]: (i["due"], i["text"]) for i in items if i["kind"] == "cadence"}

    got = due()
    assert got["投资客户"][0] == "2026-11-15"  # 7 / 1.5 → 5 days
    assert got["未评客户"][0] == "2026-11-17"  # the tier's 7 days
    assert got["最糟客户"][0] == "2026-11-24"  # 7 / 0.5 → 14 days
    assert "every 7 days; in the invest cell: every 5 days" in kehu("--lang", "en", "remind", "--within", "30d").stdout
    zh = kehu("--lang", "zh", "remind", "--within", "30d").stdout
    assert "盈利象限“最糟糕”，改为每 14 天联系一次" in zh
    assert "（白金客户每 7 天联系一次）" in zh  # the one with no cell: no reason to give
    assert [i["customer"] for i in kehu.json("remind") if i["kind"] == "cadence"][0] == "投资客户"

    kehu("config", "set", "cell.invest", "3.5")  # 7 / 3.5 → 2 days
    assert due()["投资客户"][0] == "2026-11-12"
    kehu("config", "set", "cell.worst", "0.25")  # 7 / 0.25 → 28 days: out of a 7-day window
    assert due()["最糟客户"][0] == "2026-12-08"
    assert "最糟客户" not in {i["customer"] for i in kehu.json("remind")}


# ---------------------------------------------------------------- the settings


@pytest.mark.parametrize(
    ("key", "value"),
    [("cell.best", "0"), ("cell.invest", "11"), ("cell.keep", "很多"), ("cell.worst", "0.05"),
     ("trust.oppose_weight", "1.5"), ("trust.oppose_weight", "2"), ("trust.oppose_weight", "一半")],
)
def test_a_bad_value_is_refused_in_one_line(kehu, key, value):
    kehu("add", "甲")
    r = kehu("--lang", "en", "config", "set", key, value, code=2)
    assert r.stderr.count("\n") == 1 and key in r.stderr and r.stdout == ""
    assert kehu("config", "get", key).stdout.strip() == {"cell.best": "1.5", "cell.invest": "1.5",
                                                         "cell.keep": "0.75", "cell.worst": "0.5",
                                                         "trust.oppose_weight": "0.5"}[key]


@pytest.mark.parametrize(("key", "value"), [("cell.worst", "1"), ("cell.keep", "2"), ("cell.invest", "0.6"),
                                            ("cell.best", "0.7")])
def test_a_factor_out_of_the_cells_order_is_refused(kehu, key, value):
    kehu("add", "甲")
    r = kehu("--lang", "zh", "config", "set", key, value, code=2)
    assert r.stderr.count("\n") == 1 and "盈利象限的顺序" in r.stderr and "cell.keep=" in r.stderr
    assert kehu.json("config", "list")[key]["value"] == kehu.json("config", "list")[key]["default"]


def test_cell_factors_may_move_together(kehu):
    kehu("config", "set", "cell.best", "3")
    kehu("config", "set", "cell.invest", "2")
    kehu("config", "set", "cell.keep", "1.2")
    kehu("config", "set", "cell.worst", "1.2")
    assert kehu("config", "get", "cell.worst").stdout == "1.2\n"
    assert "kehu's own number" in kehu("--lang", "en", "config", "list").stdout


def test_an_opposing_deciders_weight_is_a_setting(kehu):
    """The CIO turns against us: with the default weight (0.5) trust falls; a manager who
    thinks opposition still counts fully sets 1, and trust is as if the CIO were neutral."""
    kehu("add", "南粤银行")
    kehu("person", "add", "南粤银行", "叶总", "--role", "决策者", "--level", "高层", "--attitude", "中立")
    for d in (40, 20, 5):
        kehu("touch", "南粤银行", "--kind", "daily", "--with", "叶总",
             "--date", (TODAY - timedelta(days=d)).isoformat())
    neutral = kehu.json("trust", "南粤银行")["score"]
    kehu("person", "edit", "南粤银行", "叶总", "--attitude", "反对")
    opposed = kehu.json("trust", "南粤银行")["score"]
    kehu("config", "set", "trust.oppose_weight", "1")
    full = kehu.json("trust", "南粤银行")["score"]
    kehu("config", "set", "trust.oppose_weight", "0")
    none = kehu.json("trust", "南粤银行")["score"]
    assert none < opposed < neutral == full


def test_a_smaller_oppose_weight_never_raises_trust():
    rnd = random.Random(18)
    kinds = ("daily", "topic", "exec_visit", "summit")
    for _ in range(300):
        people = [T.PersonFacts(i, f"p{i}", rnd.choice(["executive", "middle", "staff"]),
                                rnd.choice(["decider", "user", "technical", None]), rnd.choice([None, 2, 4]),
                                rnd.choice(["support", "neutral", "oppose", None])) for i in range(rnd.randrange(1, 5))]
        touches = [T.TouchFacts(TODAY - timedelta(days=rnd.randrange(0, 300)), rnd.choice(kinds),
                                frozenset({rnd.randrange(0, len(people))})) for _ in range(rnd.randrange(0, 12))]
        lo, hi = sorted((rnd.random(), rnd.random()))
        low = T.customer_trust(people, touches, [], TODAY, dataclasses.replace(T.TrustParams(), oppose_weight=lo))
        high = T.customer_trust(people, touches, [], TODAY, dataclasses.replace(T.TrustParams(), oppose_weight=hi))
        assert low.score <= high.score + 1e-9

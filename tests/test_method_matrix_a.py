"""Issue 18, point 4: both of seed 002's profitability matrices are computed. Matrix B
(current × future profit: best, invest, keep, worst) moves cadence and effort
(tests/test_method_cells.py); matrix A (current profit × cost to serve: most, less,
least profitable) is shown in `kehu show`, its cost to serve as entered or, when none
was entered, estimated from the effort spent (kehu's own rule, said so on screen)."""

from __future__ import annotations

import pytest

from kehu.rules import tiers as R

pytestmark = pytest.mark.today("2026-11-23")


@pytest.mark.parametrize(("entered", "effort", "expected", "cost", "estimated"), [
    ("low", 100.0, 10.0, "low", False),  # entered: taken as it is, whatever the effort
    ("high", 0.0, 10.0, "high", False),
    (None, 0.0, 10.0, "low", True),  # nothing entered: from the effort
    (None, 10.0, 10.0, "low", True),  # exactly what the tier warrants is not a high cost
    (None, 10.5, 10.0, "high", True),
])
def test_service_cost_of(entered, effort, expected, cost, estimated):
    assert R.service_cost_of(entered, effort, expected) == (cost, estimated)


@pytest.mark.parametrize(("now", "cost", "cell"), [
    ("high", "low", "most"), ("high", "high", "less"), ("low", "low", "less"), ("low", "high", "least"),
    (None, "low", None),  # unknown profit: no cell
])
def test_profit_a(now, cost, cell):
    assert R.profit_a(now, cost) == cell


def test_more_effort_never_makes_a_customer_more_profitable():
    order = {"most": 0, "less": 1, "least": 2}
    for now in ("high", "low"):
        cells = [R.profit_a(now, R.service_cost_of(None, e, 12.0)[0]) for e in range(0, 40)]
        assert [order[c] for c in cells] == sorted(order[c] for c in cells)


def test_show_places_my_customer_in_both_matrices(kehu):
    """A salesperson marks an account as profitable now and later. With no service cost
    entered, kehu estimates it from the effort spent: untouched, it is cheap to serve, so
    the account is among the most profitable; a week of daily visits later it costs more
    than its tier warrants and drops to less profitable. Entering the cost overrides the
    estimate."""
    kehu("add", "华东电网信息中心", "--value", "80万", "--profit-now", "高", "--profit-future", "高")
    shown = kehu.json("show", "华东电网")
    assert (shown["cell"], shown["profit_a"], shown["service_cost_estimated"]) == ("best", "most", True)
    zh = kehu("--lang", "zh", "show", "华东电网").stdout
    assert "最佳客户" in zh and "最赚钱（服务成本按近 12 个月的投入估计：低；kehu 自定的估法" in zh

    for day in range(1, 11):  # 10 summits weigh 100, above the 78 a best platinum account warrants
        kehu("touch", "华东电网", "--kind", "summit", "--date", f"2026-10-{day:02d}")
    shown = kehu.json("show", "华东电网")
    assert (shown["profit_a"], shown["service_cost_estimated"]) == ("less", True)

    kehu("edit", "华东电网", "--service-cost", "低")
    shown = kehu.json("show", "华东电网")
    assert (shown["profit_a"], shown["service_cost_estimated"]) == ("most", False)
    en = kehu("--lang", "en", "show", "华东电网").stdout
    assert "most profitable" in en and "estimated" not in en


def test_show_says_nothing_of_matrix_a_without_a_profit(kehu):
    kehu("add", "华东电网信息中心", "--value", "80万")
    shown = kehu.json("show", "华东电网")
    assert shown["profit_a"] is None and shown["service_cost_estimated"] is False
    assert "盈利与成本" not in kehu("--lang", "zh", "show", "华东电网").stdout

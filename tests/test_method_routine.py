"""Issue 18, point 6: seed 001 §4's routine for an organisation worth developing (yearly
executive-level, quarterly middle-level contact) as `kehu next` items."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.rules.followups import routine_gap

pytestmark = pytest.mark.today("2026-11-23")
TODAY = date(2026, 11, 23)
ADDED = date(2025, 1, 1)


@pytest.mark.parametrize(
    ("stage", "people", "gap"),
    [
        ("growth", [("郑主任", "executive", date(2026, 1, 10), ADDED)], None),  # met this year
        ("growth", [("郑主任", "executive", date(2025, 10, 1), ADDED)], ("郑主任", "executive", date(2026, 10, 1))),
        ("mature", [("钱经理", "middle", date(2026, 8, 1), ADDED)], ("钱经理", "middle", date(2026, 10, 31))),
        ("mature", [("钱经理", "middle", date(2026, 9, 1), ADDED)], None),
        ("mature", [("小吴", "staff", None, ADDED)], None),  # staff: no routine of the seed's
        ("evaluation", [("郑主任", "executive", None, ADDED)], None),  # not yet an organisation to develop
        ("mature", [("郑主任", "executive", None, ADDED), ("钱经理", "middle", date(2026, 1, 1), ADDED)],
         ("郑主任", "executive", date(2026, 1, 1))),  # never met: a year after being recorded; the most overdue
    ],
)
def test_routine_gap(stage, people, gap):
    assert routine_gap(stage, people, TODAY) == gap


def test_next_reminds_the_routine_without_drowning_the_money(kehu):
    kehu("add", "华东电网", "--value", "280万", "--date", "2025-06-01")
    kehu("person", "add", "华东电网", "郑主任", "--level", "高层", "--role", "决策者")
    kehu("person", "add", "华东电网", "钱经理", "--level", "中层", "--role", "采购")
    kehu("touch", "华东电网", "--with", "郑主任", "--date", "2025-07-01")
    kehu("touch", "华东电网", "--with", "钱经理", "--date", "2026-11-20")
    kehu("contract", "add", "华东电网", "一期", "--amount", "180万")
    kehu("contract", "sign", "1", "--date", "2026-06-01")
    for _ in range(3):  # to growth, for the test
        kehu("advance", "华东电网", "--force", "--reason", "x")
    items = {i["id"]: i for i in kehu.json("next")}
    assert "Y1" in items and items["Y1"]["kind"] == "routine"
    out = kehu("next").stdout
    assert "routine: 郑主任 (executive) last met 2025-07-01" in out
    assert "例行接触：郑主任（高层）上次接触 2025-07-01" in kehu("--lang", "zh", "next").stdout
    kehu("touch", "华东电网", "--with", "郑主任")
    assert "Y1" not in {i["id"] for i in kehu.json("next")}

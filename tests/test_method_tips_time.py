"""Issue 18, point 6: the trust tips follow the time known, not only the stage. Two
strangers with the same recent contact: the one known for four months is told to reach
more levels (and that its trust rests on one person); the one known for two weeks is told
to get to know them first."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.today("2026-11-23")


def tips(kehu, name):
    return [s["key"] for s in kehu.json("show", name)["trust"]["suggestions"]]


def test_a_stranger_known_for_months_is_told_to_reach_more_levels(kehu):
    """Both are still strangers (陌生期) and were last called on 11-20; the salesperson has
    not recorded whom he spoke to. 滇池医药 was first called 120 days ago, 中原冷链 14."""
    kehu("add", "滇池医药", "--date", "2026-07-20")
    kehu("touch", "滇池医药", "--kind", "电话", "--note", "打给信息部总机，问到了负责人", "--date", "2026-07-26")
    kehu("add", "中原冷链", "--date", "2026-11-05")
    kehu("touch", "中原冷链", "--kind", "电话", "--note", "打给运营中心，约了下月见面", "--date", "2026-11-09")
    for name in ("滇池医药", "中原冷链"):
        kehu("touch", name, "--kind", "电话", "--note", "又通了一次电话", "--date", "2026-11-20")
    old, new = kehu.json("show", "滇池医药"), kehu.json("show", "中原冷链")
    assert old["stage"] == new["stage"] == "stranger"
    # the same recent contact, the same weakest factor: only the time known differs
    assert old["trust"]["factors"]["connection"] == new["trust"]["factors"]["connection"]
    assert old["trust"]["weakest"] == new["trust"]["weakest"] == "connection"
    assert "tip_reach_levels" in tips(kehu, "滇池医药") and "tip_know_them" not in tips(kehu, "滇池医药")
    assert "tip_know_them" in tips(kehu, "中原冷链") and "tip_reach_levels" not in tips(kehu, "中原冷链")
    assert "近期没有接触到这些层级：高层、中层、基层" in kehu("--lang", "zh", "show", "滇池医药").stdout
    assert "认识还不久：先了解每个人的 KPI" in kehu("--lang", "zh", "show", "中原冷链").stdout


def test_a_single_point_is_flagged_once_the_relationship_has_run(kehu):
    """The same one engineer met at each: after four months trust resting on him alone is
    a weakness; after two weeks it is simply where every relationship starts."""
    for name, first in (("滇池医药", "2026-07-26"), ("中原冷链", "2026-11-09")):
        kehu("add", name, "--date", first)
        kehu("person", "add", name, "王工", "--level", "基层", "--role", "技术")
        kehu("touch", name, "--with", "王工", "--date", first)
        kehu("touch", name, "--with", "王工", "--date", "2026-11-20")
    assert kehu.json("show", "滇池医药")["stage"] == kehu.json("show", "中原冷链")["stage"] == "stranger"
    assert "tip_single_point" in tips(kehu, "滇池医药")
    assert "tip_single_point" not in tips(kehu, "中原冷链")
    assert "信用只系于一人" in kehu("--lang", "zh", "show", "滇池医药").stdout
    assert "信用只系于一人" not in kehu("--lang", "zh", "show", "中原冷链").stdout

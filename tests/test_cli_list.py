"""`kehu list`: the tier column, --tier, --active and --sort (issue 16)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def book(kehu):
    """Four customers whose tiers differ (cuts 25/50/75: one above is 25%, gold), touched on
    different days, one of them terminated, and one without a value."""
    kehu("config", "set", "tier.cuts", "25,50,75")
    # entered values count in full, without the small-book minimums (test_method_tiers
    # has the standing of prospects)
    kehu("config", "set", "forecast.stranger", "100")
    kehu("config", "set", "forecast.acquainted", "100")
    kehu("config", "set", "tier.min_counts", "0,0,0")
    kehu("add", "丙公司", "--value", "30万")  # 1
    kehu("add", "Acme", "--value", "100万")  # 2
    kehu("add", "乙公司", "--value", "20万")  # 3
    kehu("add", "甲公司")  # 4: no value, lead
    kehu("add", "丁公司", "--value", "500万")  # 5: will be terminated
    kehu("touch", "丙公司", "--kind", "daily", "--date", "2026-11-20", "--note", "x")
    kehu("touch", "乙公司", "--kind", "daily", "--date", "2026-11-22", "--note", "x")
    kehu("touch", "Acme", "--kind", "daily", "--date", "2026-10-01", "--note", "x")
    kehu("advance", "乙公司", "--force", "--reason", "test")
    kehu("drop", "丁公司", "--reason", "gone")
    return kehu


def names(kehu, *args):
    return [c["name"] for c in kehu.json("list", *args)]


def test_list_shows_each_customers_tier(book):
    rows = {c["name"]: c for c in book.json("list")}
    # active: Acme 100万 (0 above: platinum), 丙 30万 (1 of 4: 25%, gold), 乙 20万 (50%: iron), 甲 no value: lead
    assert {n: r["tier"] for n, r in rows.items()} == {
        "Acme": "platinum", "丙公司": "gold", "乙公司": "iron", "甲公司": "lead", "丁公司": None}
    assert rows["Acme"]["tier_value"] == "1000000.00" and rows["丁公司"]["tier_value"] is None
    plain = book("list").stdout.splitlines()
    assert plain[0].split("\t")[4] == "Tier"
    assert [line.split("\t")[4] for line in plain[1:]] == ["gold", "platinum", "iron", "lead", ""]
    zh = book("--lang", "zh", "list").stdout.splitlines()
    assert zh[0].split("\t")[4] == "层级" and zh[2].split("\t")[4] == "白金"


@pytest.mark.parametrize(("tier", "expected"), [
    ("platinum", ["Acme"]), ("白金", ["Acme"]), ("黄金", ["丙公司"]), ("iron", ["乙公司"]), ("铅", ["甲公司"]),
])
def test_tier_filter_in_both_languages(book, tier, expected):
    assert names(book, "--tier", tier) == expected


def test_a_bad_tier_is_refused_with_the_accepted_values(book):
    r = book("list", "--tier", "diamond", code=2)
    assert "platinum" in r.stderr and r.stderr.count("\n") == 1 and r.stdout == ""
    r = book("--lang", "zh", "list", "--tier", "钻石", code=2)
    assert "白金" in r.stderr


def test_active_hides_terminated_customers(book):
    assert "丁公司" in names(book)
    assert names(book, "--active") == ["丙公司", "Acme", "乙公司", "甲公司"]


def test_no_match_is_said_when_only_active_or_tier_filters(book):
    book("drop", "甲公司", "--reason", "x")
    r = book("list", "--tier", "lead", "--active")
    assert r.stdout == "" and "No customer matches these filters" in r.stderr


@pytest.mark.parametrize(("sort", "expected"), [
    (None, ["丙公司", "Acme", "乙公司", "甲公司", "丁公司"]),
    ("name", ["Acme", "丁公司", "丙公司", "乙公司", "甲公司"]),  # by the folded name (code points here)
    ("名称", ["Acme", "丁公司", "丙公司", "乙公司", "甲公司"]),
    ("stage", ["丙公司", "Acme", "甲公司", "丁公司", "乙公司"]),  # stranger first; 乙 acquainted
    ("阶段", ["丙公司", "Acme", "甲公司", "丁公司", "乙公司"]),
    ("last", ["乙公司", "丙公司", "Acme", "甲公司", "丁公司"]),  # newest first, never touched last
    ("最近接触", ["乙公司", "丙公司", "Acme", "甲公司", "丁公司"]),
    ("value", ["Acme", "丙公司", "乙公司", "甲公司", "丁公司"]),  # ended: no value, last
    ("价值", ["Acme", "丙公司", "乙公司", "甲公司", "丁公司"]),
    ("tier", ["Acme", "丙公司", "乙公司", "甲公司", "丁公司"]),
    ("等级", ["Acme", "丙公司", "乙公司", "甲公司", "丁公司"]),
])
def test_sort_orders(book, sort, expected):
    assert names(book, *(("--sort", sort) if sort else ())) == expected


def test_sort_by_tier_puts_better_tiers_first_even_against_value_ties(kehu):
    kehu("config", "set", "tier.cuts", "25,50,75")
    kehu("config", "set", "tier.min_counts", "0,0,0")  # the shares alone
    for name, value in (("a", "1"), ("b", "9"), ("c", "5"), ("d", "9")):
        kehu("add", name, "--value", value)
    rows = kehu.json("list", "--sort", "tier")
    assert [(r["name"], r["tier"]) for r in rows] == [("b", "platinum"), ("d", "platinum"), ("c", "iron"),
                                                      ("a", "lead")]


def test_a_bad_sort_key_is_refused(book):
    r = book("list", "--sort", "size", code=2)
    assert "name" in r.stderr and "last" in r.stderr and r.stdout == ""


def test_filters_and_sort_combine(book):
    assert names(book, "--active", "--sort", "last", "--stage", "stranger") == ["丙公司", "Acme", "甲公司"]

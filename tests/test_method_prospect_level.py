"""Issue 18, point 4 (DOMAIN §2): partner and above fit only where both sides matter to
each other. A customer doing business has its level checked against its tier (what it
buys); a prospect's tier is only its place among the prospects, so a prospect at partner
or alliance is warned for what it is, never as "too high for iron"."""

from __future__ import annotations

import pytest

from kehu.rules import tiers as R

pytestmark = pytest.mark.today("2026-11-23")


def level_keys(tier, level, business):
    return [w.key for w in R.warnings(tier=tier, level=level, effort=10.0, cell_=None, business=business)
            if w.key.startswith("warn_level")]


@pytest.mark.parametrize(
    ("tier", "level", "business", "expected"),
    [
        # doing business: the tier's levels (LEVELS_FOR_TIER)
        ("iron", "partner", True, ["warn_level_too_high"]),
        ("gold", "partner", True, []),
        ("gold", "alliance", True, ["warn_level_too_high"]),
        ("platinum", "alliance", True, []),
        ("lead", "preferred", True, []),
        # a prospect: its place in the pipeline does not count, whichever it is
        ("iron", "partner", False, ["warn_level_prospect"]),
        ("lead", "alliance", False, ["warn_level_prospect"]),
        ("platinum", "partner", False, ["warn_level_prospect"]),
        ("platinum", "alliance", False, ["warn_level_prospect"]),
        ("iron", "preferred", False, []),
        ("lead", "transactional", False, []),
        ("iron", None, False, []),
    ],
)
def test_the_level_rule(tier, level, business, expected):
    assert level_keys(tier, level, business) == expected


def test_the_prospect_warning_names_the_level_not_the_tier():
    (w,) = [w for w in R.warnings(tier="iron", level="partner", effort=0.0, cell_=None, business=False)
            if w.key == "warn_level_prospect"]
    assert w.params == {"level": "partner"}


def book(kehu):
    """Three accounts signed this year and two prospects marked 合作伙伴: a small one whose
    expected value places it at iron, and a large strategic one at the top."""
    for name, amount in (("华东电网", "280万"), ("云帆物流", "180万"), ("星河制造", "95万")):
        kehu("add", name, "--value", amount, "--level", "优先供应商", "--date", "2026-01-05")
        number = kehu.json("contract", "add", name, "一期", "--amount", amount, "--json")["id"]
        kehu("contract", "sign", str(number), "--date", "2026-06-01")
    kehu("add", "康宁医疗", "--value", "150万", "--level", "合作伙伴", "--date", "2026-05-01")
    kehu("add", "南粤银行", "--value", "900万", "--level", "合作伙伴", "--segment", "战略客户",
         "--date", "2026-05-01")
    # 南粤银行 gets the effort its platinum place warrants (five summits, 50): no effort
    # warning brings it out of `kehu tier`'s query, only its level does
    for month in range(6, 11):
        kehu("touch", "南粤银行", "--kind", "summit", "--date", f"2026-{month:02d}-15")
    kehu("add", "海韵食品", "--value", "40万", "--level", "合作伙伴", "--date", "2026-05-01")
    # a customer doing business at iron with a partner level: the tier rule still speaks
    kehu("contract", "add", "海韵食品", "试点", "--amount", "40万")
    kehu("contract", "sign", "4", "--date", "2026-07-01")


def test_kehu_tier_explain_and_show_agree_on_prospects(kehu):
    book(kehu)
    report = kehu.json("tier")
    levels = {(w["name"], w["key"]) for w in report["warnings"] if w["key"].startswith("warn_level")}
    assert levels == {("康宁医疗", "warn_level_prospect"), ("南粤银行", "warn_level_prospect"),
                      ("海韵食品", "warn_level_too_high")}
    assert [w["key"] for w in report["warnings"] if w["name"] == "南粤银行"] == ["warn_level_prospect"]
    tiers = {p["name"]: p["tier"] for p in report["pipeline"]}
    assert tiers == {"康宁医疗": "iron", "南粤银行": "platinum"}
    for name in ("康宁医疗", "南粤银行", "海韵食品"):
        explained = {w["key"] for w in kehu.json("tier", "--explain", name)["warnings"]}
        shown = {w["key"] for w in kehu.json("show", name)["warnings"]}
        assert {k for k in explained if k.startswith("warn_level")} == {k for n, k in levels if n == name}
        assert {k for k in shown if k.startswith("warn_level")} == {k for n, k in levels if n == name}
    zh = kehu("--lang", "zh", "tier").stdout
    rows = [line for line in zh.splitlines() if "\t康宁医疗\t" in line or "\t南粤银行\t" in line]
    assert [line for line in rows if "客户还没有与我们成交，看不出这一点" in line] != []
    assert not [line for line in rows if "过高" in line]
    assert zh.count("客户还没有与我们成交，看不出这一点") == 2
    assert "关系类型“合作伙伴”对铁客户来说过高" in zh  # 海韵食品, doing business at iron
    assert "关系类型“合作伙伴”对铁客户来说过高" in kehu("--lang", "zh", "tier", "--explain", "海韵食品").stdout
    zh = kehu("--lang", "zh", "tier", "--explain", "康宁医疗").stdout
    assert "关系类型“合作伙伴”要双方彼此重要、谁也离不开谁、转换成本高；客户还没有与我们成交" in zh
    assert "过高" not in zh
    en = kehu("--lang", "en", "show", "南粤银行").stdout
    assert "relationship level partner needs both sides to matter to and need each other" in en


def test_signing_turns_the_prospect_rule_into_the_tier_rule(kehu):
    """Once 康宁医疗 signs 150万 it does business: its level is checked against its tier."""
    book(kehu)
    number = kehu.json("contract", "add", "康宁医疗", "智慧病区一期", "--amount", "150万", "--json")["id"]
    kehu("contract", "sign", str(number), "--date", "2026-11-20")
    keys = {w["key"] for w in kehu.json("tier", "--explain", "康宁医疗")["warnings"]}
    assert "warn_level_prospect" not in keys
    tier = kehu.json("tier", "--explain", "康宁医疗")["tier"]
    assert ("warn_level_too_high" in keys) == ("partner" not in R.LEVELS_FOR_TIER[tier])

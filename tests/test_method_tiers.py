"""Issue 18, point 1: the pyramid ranks customers by the business they do with us;
prospects stand at their pipeline value (entered value × their stage's chance), and
signing never lowers a customer's tier; a small book's pyramid says something."""

from __future__ import annotations

import random

import pytest

from kehu.rules import tiers as R

pytestmark = pytest.mark.today("2026-11-23")

CHANCE = {"stranger": 5, "acquainted": 10, "evaluation": 25, "growth": 50, "mature": 70}


@pytest.mark.parametrize(
    ("stage", "entered", "signed", "first_recent", "expected"),
    [
        ("evaluation", 2_000_000, None, False, (False, 2_000_000 * 25)),  # pipeline: 25% of it
        ("stranger", 2_000_000, None, False, (False, 2_000_000 * 5)),
        ("mature", 900_000, None, False, (True, 900_000 * 100)),  # existing, no contract recorded
        ("growth", 5_000_000, 1_800_000, True, (True, 5_000_000 * 100)),  # first deal running: the larger
        ("mature", 1_000_000, 1_800_000, True, (True, 1_800_000 * 100)),
        ("mature", 5_000_000, 1_800_000, False, (True, 1_800_000 * 100)),  # a year on, the record speaks
        ("mature", None, 0, False, (True, 0)),  # nothing signed in 12 months
    ],
)
def test_standing(stage, entered, signed, first_recent, expected):
    got = R.standing(stage=stage, entered=entered, signed_12m=signed, first_signed_recent=first_recent,
                     chance=CHANCE)
    assert got == expected


def test_signing_never_lowers_the_standing():
    rnd = random.Random(18)
    for _ in range(2000):
        stage = rnd.choice(list(CHANCE))
        entered = rnd.choice([None, 0, rnd.randrange(1, 10**9)])
        before = R.standing(stage=stage, entered=entered, signed_12m=None, first_signed_recent=False,
                            chance=CHANCE)[1]
        amount = rnd.randrange(1, 10**9)
        after = R.standing(stage=stage, entered=entered, signed_12m=amount, first_signed_recent=True,
                           chance=CHANCE)[1]
        assert after >= before


@pytest.mark.parametrize(
    ("n", "counts"),
    [
        (17, {"platinum": 1, "gold": 2, "iron": 5, "lead": 9}),
        (30, {"platinum": 1, "gold": 2, "iron": 5, "lead": 22}),
        (40, {"platinum": 1, "gold": 2, "iron": 5, "lead": 32}),
        (1000, {"platinum": 10, "gold": 40, "iron": 150, "lead": 800}),  # the shares alone
    ],
)
def test_a_small_book_has_a_pyramid_that_says_something(n, counts):
    tiers = R.assign(list(range(n, 0, -1)), R.DEFAULT_CUTS, R.DEFAULT_MINS)
    assert {t: tiers.count(t) for t in R.TIERS} == counts


def test_min_counts_parse_and_refuse():
    assert R.parse_mins("1,3,8") == (1, 3, 8)
    assert R.parse_mins("0，0，0") == (0, 0, 0)
    for bad in ("3,1,8", "1,3", "-1,3,8", "1,3,x"):
        with pytest.raises(ValueError):
            R.parse_mins(bad)


def test_i_won_the_deal_and_my_key_account_went_up(kehu):
    """A salesperson enters a prospect hoped to be worth 500万 a year; two customers
    already buy from us. The prospect is pipeline until it signs; signing a first 180万
    contract puts it on top (the larger of entered and signed while the first contract
    runs), never lower than before, and its contact interval shortens."""
    kehu("add", "老客户甲", "--value", "150万")
    kehu("add", "老客户乙", "--value", "60万")
    kehu("add", "新客户", "--value", "500万")
    for i, (name, amount) in enumerate((("老客户甲", "150万"), ("老客户乙", "60万")), start=1):
        kehu("contract", "add", name, "合同", "--amount", amount)
        kehu("contract", "sign", str(i), "--date", "2026-09-01")
    before = kehu.json("tier", "--explain", "新客户")
    assert before["business"] is False and before["value"] == "250000.00"  # 500万 × 5% (stranger)
    assert before["tier"] == "gold"  # two customers doing business stand above it (3rd: gold in a small book)
    kehu("contract", "add", "新客户", "一期", "--amount", "180万")
    kehu("contract", "sign", "3")
    after = kehu.json("tier", "--explain", "新客户")
    assert after["business"] is True and after["value"] == "5000000.00"
    assert after["tier"] == "platinum"
    assert R.TIERS.index(after["tier"]) <= R.TIERS.index(before["tier"])
    assert "signing never lowers the tier" in kehu("tier", "--explain", "新客户").stdout
    assert "签约不会降低层级" in kehu("--lang", "zh", "tier", "--explain", "新客户").stdout


def test_a_hoped_for_prospect_does_not_outrank_real_business(kehu):
    """The issue's example: a 2,000,000 evaluation-stage prospect was the only platinum
    account while the customer with 1.8M signed was iron."""
    kehu("add", "华东电网", "--value", "100万")
    kehu("contract", "add", "华东电网", "一期", "--amount", "180万")
    kehu("contract", "sign", "1", "--date", "2026-06-01")
    kehu("add", "南粤银行", "--value", "200万")
    kehu("advance", "南粤银行", "--force", "--reason", "见过面")
    kehu("advance", "南粤银行", "--force", "--reason", "已演示")
    assert kehu.json("tier", "--explain", "南粤银行")["value"] == "500000.00"  # 200万 × 25%
    assert kehu.json("tier", "--explain", "华东电网")["tier"] == "platinum"
    assert kehu.json("tier", "--explain", "南粤银行")["tier"] == "gold"
    text = kehu("--lang", "en", "tier", "--explain", "南粤银行").stdout
    assert "kehu's own, forecast.evaluation" in text


def test_the_forecast_setting_moves_a_prospect(kehu):
    kehu("add", "甲", "--value", "100万")
    kehu("config", "set", "forecast.stranger", "50")
    assert kehu.json("tier", "--explain", "甲")["value"] == "500000.00"
    kehu("config", "set", "tier.min_counts", "0,0,0")
    assert kehu.json("tier", "--explain", "甲")["min_counts"] == [0, 0, 0]


@pytest.mark.parametrize(
    ("known_days", "effort", "neglected"),
    [
        (0, 0.0, False),  # added today: nothing is owed yet
        (14, 0.0, True),  # two weeks at platinum (52/year): half of 2 contacts is owed
        (14, 1.5, False),
        (180, 13.0, False),  # half a year: about 25.7 expected, 12.9 is the line
        (180, 12.0, True),
        (None, 20.0, True),  # unknown: a whole year expected
        (800, 20.0, True),
    ],
)
def test_neglect_is_scaled_to_the_time_known(known_days, effort, neglected):
    ws = R.warnings(tier="platinum", level=None, effort=effort, cell_=None, known_days=known_days)
    assert ("warn_underserved" in {w.key for w in ws}) is neglected


def test_a_customer_added_today_is_not_neglected(kehu):
    kehu("add", "新客户", "--value", "500万")
    kehu("contract", "add", "新客户", "一期", "--amount", "180万")
    kehu("contract", "sign", "1")
    assert kehu.json("tier", "--explain", "新客户")["warnings"] == []
    assert kehu.json("tier")["warnings"] == []


def test_a_strategic_prospect_stands_at_its_full_value(kehu):
    """Seed 003: a customer that serves our long-term goals is worth the effort although
    it buys little yet; the salesperson marks it, and it is not discounted to its chance."""
    assert R.standing(stage="stranger", entered=1000, signed_12m=None, first_signed_recent=False,
                      chance=CHANCE, segment="strategic") == (False, 1000 * 100)
    kehu("add", "研究院", "--value", "100万", "--segment", "战略客户", "--source", "展会")
    assert kehu.json("tier", "--explain", "研究院")["value"] == "1000000.00"
    data = kehu.json("show", "研究院")
    assert (data["segment"], data["source"]) == ("strategic", "trade_show")
    kehu("edit", "研究院", "--segment", "profitable")
    assert kehu.json("tier", "--explain", "研究院")["value"] == "50000.00"
    r = kehu("edit", "研究院", "--source", "pigeon", code=2)
    assert r.stderr.count("\n") == 1 and "pigeon" in r.stderr

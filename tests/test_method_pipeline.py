"""Issue 18, point 1 (prospects ranked apart from the pyramid) and seed 004's big-customer
test: the pyramid's ranks and shares count only the customers doing business; a prospect
takes the tier its expected value would have among them, and is listed apart as pipeline
(商机); a new book with nobody doing business ranks its prospects among themselves. A
customer whose buying and using are done by different people is marked (大客户, seed 004),
beside the value pyramid (seed 002)."""

from __future__ import annotations

import random

import pytest
import _tier_reference as reference
from _books import execute

from kehu.rules import tiers as R

pytestmark = pytest.mark.today("2026-11-23")

CHANCE = {"stranger": 5, "acquainted": 10, "evaluation": 25, "growth": 50, "mature": 70}
P, G, IRON, L = R.TIERS


# ---------------------------------------------------------------- the pure rule


@pytest.mark.parametrize(
    ("rows", "places"),
    [
        # business alone: ranked among themselves
        ([(True, 9), (True, 5), (True, 5)], [(0, 3), (1, 3), (1, 3)]),
        # a prospect counts the customers doing business above it, of them all, uncounted
        ([(True, 9), (True, 5), (False, 7)], [(0, 2), (1, 2), (1, 2)]),
        ([(True, 9), (True, 5), (False, 99)], [(0, 2), (1, 2), (0, 2)]),  # above everyone: with the top
        ([(True, 9), (True, 5), (False, 5)], [(0, 2), (1, 2), (1, 2)]),  # a tie: not strictly higher
        ([(True, 9), (False, 1), (False, 0)], [(0, 1), (1, 1), (1, 1)]),
        # prospects never push a customer doing business down
        ([(False, 99), (False, 98), (True, 1)], [(0, 1), (0, 1), (0, 1)]),
        # nobody doing business: the prospects among themselves
        ([(False, 3), (False, 7), (False, 7)], [(2, 3), (0, 3), (0, 3)]),
        ([], []),
    ],
)
def test_rank_book(rows, places):
    assert R.rank_book(rows) == places


@pytest.mark.parametrize("cuts", [R.DEFAULT_CUTS, (10.0, 30.0, 60.0), (16.1, 32.2, 50.0), (0.01, 0.02, 100.0)])
@pytest.mark.parametrize("mins", [R.NO_MINS, R.DEFAULT_MINS, (5, 10, 20)])
def test_one_walk_down_the_book_places_every_customer_as_the_reference_does(cuts, mins):
    """rules.tiers.places_in_order (`kehu tier` ranks the book with it) equals rank_book and
    tier_of, comparing every customer with every other, on random books: ties, zeros, all
    prospects, all doing business, a single customer."""
    rnd = random.Random(hash((cuts, mins)) & 0xFFFF)
    for _ in range(300):
        n = rnd.randrange(0, 60)
        share = rnd.choice([0.0, 0.1, 0.5, 1.0])
        rows = [(rnd.random() < share, rnd.choice([0, 0, rnd.randrange(1, 12), rnd.randrange(1, 10_000)]))
                for _ in range(n)]
        rows.sort(key=lambda r: -r[1])  # highest first; the order within a tie does not matter
        places = zip(R.rank_book(rows), rows, strict=True)
        expected = [(a, t, R.tier_of(a, t, v, cuts, mins)) for (a, t), (_, v) in places]
        assert R.places_in_order(rows, cuts, mins) == expected, rows


def test_the_walk_refuses_rows_out_of_order():
    with pytest.raises(ValueError):
        R.places_in_order([(True, 1), (True, 5)])


def test_assign_book_cuts_the_business_and_places_the_pipeline():
    # 30 customers doing business valued 30..1, a prospect at 29.5 (between the 1st and 2nd)
    rows = [(True, v * 10) for v in range(30, 0, -1)] + [(False, 295), (False, 0)]
    tiers = R.assign_book(rows, R.DEFAULT_CUTS, R.DEFAULT_MINS)
    assert {t: tiers[:30].count(t) for t in R.TIERS} == {P: 1, G: 2, IRON: 5, L: 22}  # the pyramid alone
    assert tiers[30] == G and tiers[31] == L  # one above it: gold; no value: lead


def test_signing_never_lowers_the_tier_in_a_book():
    """On random books: a prospect that signs (its standing as rules.tiers.standing gives
    it, then counted among the customers doing business) never lands in a lower tier."""
    rnd = random.Random(1804)
    for _ in range(400):
        n = rnd.randrange(1, 40)
        rows = [(rnd.random() < 0.4, rnd.choice([0, rnd.randrange(1, 10**6)])) for _ in range(n)]
        entered = rnd.choice([None, 0, rnd.randrange(1, 10**4)])
        stage = rnd.choice(list(CHANCE))
        _, before = R.standing(stage=stage, entered=entered, signed_12m=None, first_signed_recent=False,
                               chance=CHANCE)
        _, after = R.standing(stage=stage, entered=entered, signed_12m=rnd.randrange(1, 10**4),
                              first_signed_recent=True, chance=CHANCE)
        mins = rnd.choice([R.NO_MINS, R.DEFAULT_MINS])
        t0 = R.assign_book([*rows, (stage == "mature", before)], R.DEFAULT_CUTS, mins)[-1]
        t1 = R.assign_book([*rows, (True, after)], R.DEFAULT_CUTS, mins)[-1]
        assert R.TIERS.index(t1) <= R.TIERS.index(t0), (rows, before, after)


@pytest.mark.parametrize(
    ("roles", "big"),
    [
        (["decider", "user"], True),
        (["procurement", "user", "coach"], True),
        (["decider"], False),  # one person decides and (presumably) uses: no buying centre
        (["user", "user"], False),
        (["decider", "technical"], False),  # a technical evaluator judges for the users, is not one
        (["influencer", "user"], False),
        ([None, "user", "procurement"], True),
        ([], False),
    ],
)
def test_big_customer(roles, big):
    assert R.big_customer(roles) is big


# ---------------------------------------------------------------- the SQL against the rule


def plant(isolated_book, rows: list[tuple[str, int | None, str | None]]) -> None:
    """(stage, entered value in cents, segment) per customer; a mature customer does business."""
    execute(isolated_book, (
        "INSERT INTO customer (id, name, name_key, stage, created_at, updated_at, value_cents, added_on, segment)"
        " VALUES (:id, :name, :name, :stage, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000',"
        " :cents, '2026-01-01', :segment)",
        [{"id": i + 1, "name": f"c{i + 1:03d}", "stage": st, "cents": v, "segment": seg}
         for i, (st, v, seg) in enumerate(rows)],
    ))


def expected_from_rules(rows, cfg):
    facts = []
    for stage, cents, seg in rows:
        facts.append(R.standing(stage=stage, entered=cents, signed_12m=None, first_signed_recent=False,
                                chance=cfg.forecast, segment=seg))
    return list(zip(R.rank_book(facts), R.assign_book(facts, cfg.cuts, cfg.mins), [b for b, _ in facts],
                    strict=True))


@pytest.mark.parametrize("business_share", [0.0, 0.3, 1.0])
def test_the_ranking_in_sql_is_the_rule(kehu, isolated_book, business_share):
    """Books of 60 customers (ties, zeros, strategic prospects; none, some or all doing
    business): every customer's place and tier from the window functions (tier_rows) and
    from counting (tier_of_customer, `kehu show`) equal rules.tiers.rank_book/assign_book."""
    from sqlmodel import select

    from kehu import book
    from kehu.models import Customer
    from kehu.store import settings, tiers

    kehu("config", "set", "cadence.lead", "90")  # creates the book
    rnd = random.Random(int(business_share * 10))
    rows = [("mature" if rnd.random() < business_share else rnd.choice(list(CHANCE)[:4]),
             rnd.choice([None, 0, 50_000_00, 50_000_00, rnd.randrange(1, 400) * 10_000_00]),
             "strategic" if rnd.random() < 0.1 else None) for _ in range(60)]
    plant(isolated_book, rows)
    with book.open(None, book.Invocation(), write=False) as (s, _):
        cfg = settings.read(s)
        got = {r.id: r for r in reference.tier_rows(s, cfg, cfg_day())}
        one = {c.id: tiers.tier_of_customer(s, c, cfg, cfg_day()) for c in s.exec(select(Customer)).all()}
    for i, ((above, total), tier, business) in enumerate(expected_from_rules(rows, cfg), start=1):
        assert (got[i].above, got[i].total, got[i].tier, got[i].business) == (above, total, tier, business), i
        assert one[i] == got[i], i
        assert one[i].alone == (not business and business_share == 0.0)


def cfg_day():
    from datetime import date

    return date(2026, 11, 23)


# ---------------------------------------------------------------- the salesperson's story


def test_my_pyramid_is_my_business_and_my_prospects_are_pipeline(kehu):
    """A salesperson has two accounts that buy from us and three prospects, one of them
    hoped to be worth 2,000,000 and marked strategic. `kehu tier` shows a pyramid of the
    two accounts alone, and the prospects apart, by expected value, with the stage's
    chance; a prospect's tier is where it would stand among the accounts, for its cadence."""
    for name, value in (("老客户甲", "150万"), ("老客户乙", "60万")):
        kehu("add", name, "--value", value)
    for i, name in enumerate(("老客户甲", "老客户乙"), start=1):
        kehu("contract", "add", name, "合同", "--amount", "100万" if i == 1 else "50万")
        kehu("contract", "sign", str(i), "--date", "2026-09-01")
    kehu("add", "研究院", "--value", "200万", "--segment", "战略客户")
    kehu("add", "南粤银行", "--value", "400万")
    kehu("advance", "南粤银行", "--force", "--reason", "见过面")
    kehu("advance", "南粤银行", "--force", "--reason", "已演示")
    kehu("add", "小商户", "--value", "10万")
    kehu("person", "add", "南粤银行", "叶总", "--role", "决策者")
    kehu("person", "add", "南粤银行", "柜员小王", "--role", "使用者")

    data = kehu.json("tier")
    assert data["total"] == 2 and data["pyramid_of"] == "business"
    assert {t["tier"]: t["count"] for t in data["tiers"]} == {P: 1, G: 1, IRON: 0, L: 0}
    pipeline = [(p["name"], p["stage"], p["chance"], p["entered"], p["expected"], p["strategic"], p["big"],
                 p["tier"]) for p in data["pipeline"]]
    assert pipeline == [
        ("研究院", "stranger", 100, "2000000.00", "2000000.00", True, False, P),  # strategic: in full, above both
        ("南粤银行", "evaluation", 25, "4000000.00", "1000000.00", False, True, G),  # one account above it
        ("小商户", "stranger", 5, "100000.00", "5000.00", False, False, G),  # two above: a small book's gold
    ]
    # the accounts are ranked among themselves: the prospect above them pushes neither down
    assert kehu.json("tier", "--explain", "老客户乙")["tier"] == G
    assert kehu.json("tier", "--explain", "老客户甲")["above"] == 0

    zh = kehu("--lang", "zh", "tier", env={"KEHU_TTY": "1", "COLUMNS": "120"}).stdout
    assert "商机" in zh and "南粤银行" in zh and "25%" in zh and "4,000,000" in zh and "1,000,000" in zh
    assert "战略客户" in zh and "采购中心" in zh
    # at 80 columns the chance and the value entered give way, never an amount cut short
    zh = kehu("--lang", "zh", "tier", env={"KEHU_TTY": "1", "COLUMNS": "80"}).stdout
    assert "南粤银行" in zh and "1,000,000" in zh and "战略客户" in zh and "采购中心" in zh
    assert "25%" not in zh and "4,000,000" not in zh and "…" not in zh
    piped = kehu("--lang", "en", "tier").stdout
    assert "研究院\tstranger\t100%\t2,000,000\t2,000,000\tstrategic\t\tplatinum" in piped
    assert "南粤银行\tevaluation\t25%\t4,000,000\t1,000,000\t\tyes\tgold" in piped

    explain = kehu("--lang", "en", "tier", "--explain", "南粤银行").stdout
    assert "1 of 2 customers rank strictly above it" in explain
    assert "Pipeline is not in the pyramid (kehu's own rule)" in explain
    assert "seed 004" in explain and "kehu's own numbers" in explain
    zh_explain = kehu("--lang", "zh", "tier", "--explain", "南粤银行").stdout
    assert "商机不计入金字塔" in zh_explain and "种子 004" in zh_explain and "kehu 自定" in zh_explain


def test_a_new_book_ranks_its_prospects_among_themselves(kehu):
    """A new salesperson has only prospects: the pyramid is theirs (not all lead), the
    screen says so, and from the first signed contract it counts only that account."""
    kehu("add", "甲", "--value", "300万")
    kehu("add", "乙", "--value", "100万")
    data = kehu.json("tier")
    assert data["pyramid_of"] == "pipeline" and data["total"] == 2
    assert [p["tier"] for p in data["pipeline"]] == [P, G]
    assert "还没有正在做生意的客户" in kehu("--lang", "zh", "tier").stdout
    assert kehu.json("tier", "--owner", "nobody")["pyramid_of"] == "pipeline"  # the book's, whoever asks
    assert "ranked among themselves" in kehu("--lang", "en", "tier", "--explain", "乙").stdout
    kehu("contract", "add", "乙", "一期", "--amount", "20万")
    kehu("contract", "sign", "1")
    data = kehu.json("tier")
    assert data["pyramid_of"] == "business" and data["total"] == 1
    # 甲: 15万 expected; 乙 stands at the larger of its 20万 and the 100万 entered: one above, gold
    assert [(p["name"], p["tier"]) for p in data["pipeline"]] == [("甲", G)]
    assert kehu.json("tier", "--explain", "乙")["tier"] == P  # it signed: up, never down


def test_show_marks_a_buying_centre_beside_the_tier(kehu):
    """Seed 004: a big customer is one where buying and using are done by different
    people. The salesperson records a decider, then a user: `kehu show` marks it, the
    pyramid counts it among its tier's big customers, and the tier does not move."""
    kehu("add", "华东电网", "--value", "100万")
    kehu("contract", "add", "华东电网", "一期", "--amount", "180万")
    kehu("contract", "sign", "1")
    kehu("person", "add", "华东电网", "张总", "--role", "决策者")
    kehu("person", "add", "华东电网", "刘工", "--role", "技术")
    assert kehu.json("show", "华东电网")["big"] is False
    assert "否" in kehu("--lang", "zh", "show", "华东电网").stdout
    before = kehu.json("tier", "--explain", "华东电网")
    kehu("person", "add", "华东电网", "调度员小李", "--role", "使用者")
    assert kehu.json("show", "华东电网")["big"] is True
    assert "seed 004's big customer" in kehu("--lang", "en", "show", "华东电网").stdout
    after = kehu.json("tier", "--explain", "华东电网")
    assert after["big"] is True and before["big"] is False and after["tier"] == before["tier"]
    assert {t["tier"]: t["big"] for t in kehu.json("tier")["tiers"]}[P] == 1

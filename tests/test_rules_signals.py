"""rules.signals: the phrase table that reads structured signals from what a salesperson
types (seed 001 §5's six key behaviours, funds trouble, complaints, rivals, price), how
long a signal counts, what signals say of a person's view, and the likely causes they
point at in the guides."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.rules import signals
from kehu.rules.signals import classify, is_current, likely_causes, parse_typed, view


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the seed's six behaviours, as salespeople type them
        ("对方案提问很多", [("questions", "for")]),
        ("客户对方案没有提问", [("questions", "against")]),
        ("提问很少", [("questions", "against")]),
        ("asked many questions about the proposal", [("questions", "for")]),
        ("愿意花时间听我们讲", [("time", "for")]),
        ("临时取消了会议", [("time", "against")]),
        ("讨论较深入", [("depth", "for")]),
        ("交流比较泛泛", [("depth", "against")]),
        ("没有深入讨论", [("depth", "against")]),
        ("愿意引荐院长", [("referral", "for")]),
        ("不愿意引荐领导", [("referral", "against")]),
        ("offered to introduce us to their CIO", [("referral", "for")]),
        ("客户要求降价10%", [("price", "against")]),
        ("采购开始了解报价结构", [("price", "neutral")]),
        ("对友商的服务不满", [("rivals", "for")]),
        ("客户说友商服务很好", [("rivals", "against")]),
        # what the rules need besides
        ("资金紧张，工资都快发不出了", [("funds", "against")]),
        ("反复问能否延期付款", [("funds", "against")]),
        ("提到工资发放困难", [("funds", "against")]),
        ("budget is frozen until spring", [("funds", "against")]),
        ("客户投诉交付延误", [("complaint", "against")]),
        ("the customer complained about the install", [("complaint", "against")]),
        ("竞争对手也在接触院长", [("rival", "against")]),
        ("竞争对手报价更低", [("price", "against"), ("rival", "against")]),
        ("对手报价比我们低两成", [("price", "against"), ("rival", "against")]),
        ("友商报价低了15%", [("price", "against"), ("rival", "against")]),
        # which side of 比 / "than" we stand on: only a rival cheaper than us is a price objection
        ("友商比我们便宜", [("price", "against"), ("rival", "against")]),
        ("客户说我们比竞品贵", [("price", "against"), ("rival", "against")]),
        ("our price is higher than the competition", [("price", "against"), ("rival", "against")]),
        ("我们比别家便宜", [("price", "neutral"), ("rival", "against")]),
        ("我们的报价比对手低", [("price", "neutral"), ("rival", "against")]),
        ("we are cheaper than the competitors", [("price", "neutral"), ("rival", "against")]),
        ("说我们的服务比竞品好", [("rivals", "for")]),
        ("我们比友商专业", [("rivals", "for")]),
        ("询问竞品没有的功能", [("rivals", "for")]),
        ("they prefer us over the rival", [("rivals", "for")]),
        ("竞品比我们好", [("rivals", "against")]),
        ("客户嫌我们贵", [("price", "against")]),
        ("觉得有点贵", [("price", "against")]),
        ("客户觉得贵公司方案不错", []),
        ("客户嫌我们贵公司服务慢", []),
        ("我们的价格比友商高", [("price", "against"), ("rival", "against")]),
        ("they said we are more expensive than other vendors", [("price", "against"), ("rival", "against")]),
        ("友商比我们贵", [("price", "neutral"), ("rival", "against")]),
        ("竞品的价格比我们高", [("price", "neutral"), ("rival", "against")]),
        ("our price is lower than the rivals", [("price", "neutral"), ("rival", "against")]),
        ("竞品比不上我们", [("rivals", "for")]),
        ("our service is better than the competitors", [("rivals", "for")]),
        # higher or lower of something other than a price is no price talk
        ("友商比我们名气高", [("rival", "against")]),
        ("我们的评分比竞品低", [("rival", "against")]),
        ("we are lower than competitors in ranking", [("rival", "against")]),
        ("预算不够", [("budget", "neutral")]),
        ("答应周五一起吃饭", [("invitation", "for")]),
        ("婉拒了晚宴邀请", [("invitation", "against")]),
        ("私下提了个人诉求", [("personal", "neutral")]),
        # nothing recognised
        ("讨论付款方式", []),
        ("贵公司的方案很有特色", []),
        ("", []),
    ],
)
def test_phrase_table(text, expected):
    assert classify(text) == expected


def test_each_kind_once_in_kinds_order():
    got = classify("客户投诉交付延误，资金紧张，还要求降价")
    assert got == [("price", "against"), ("funds", "against"), ("complaint", "against")]
    assert [k for k, _ in got] == [k for k in signals.KINDS if k in dict(got)]


def test_vocabulary_is_complete():
    assert signals.BEHAVIOURS == ("questions", "time", "depth", "referral", "price", "rivals")
    assert set(signals.DEFAULT_DIRECTION) == set(signals.KINDS)
    assert set(signals.DEFAULT_DIRECTION.values()) <= set(signals.DIRECTIONS)
    for kind, labels in signals.KINDS.items():
        assert not labels[0].isascii() and labels[1].isascii(), kind


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("funds", ("funds", "against")),
        ("资金困难", ("funds", "against")),
        ("提问:有利", ("questions", "for")),
        ("questions：against", ("questions", "against")),
        ("referral:-", ("referral", "against")),
        ("price", ("price", "neutral")),
        ("nonsense", None),
        ("price:sideways", None),
    ],
)
def test_parse_typed(typed, expected):
    assert parse_typed(typed) == expected


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("kind", "day", "settled", "current"),
    [
        ("questions", date(2026, 10, 1), None, True),
        ("questions", date(2026, 8, 1), None, False),  # beyond the 90-day window
        ("funds", date(2026, 8, 1), None, True),  # money trouble counts 180 days
        ("funds", date(2026, 5, 1), None, False),
        ("price", date(2026, 10, 1), date(2026, 10, 20), False),  # the deal has been settled since
        ("price", date(2026, 10, 25), date(2026, 10, 20), True),  # a new remark after it
        ("funds", date(2026, 10, 1), date(2026, 10, 20), True),  # money is not a deal remark
    ],
)
def test_signals_age_out(kind, day, settled, current):
    assert is_current(kind, day, TODAY, settled_on=settled) is current


def test_window_is_configurable_and_monotone():
    day = date(2026, 8, 1)
    assert not is_current("depth", day, TODAY)
    assert is_current("depth", day, TODAY, window_days=120)
    # a longer window never drops a signal a shorter one kept
    for w in range(1, 400, 7):
        if is_current("depth", day, TODAY, window_days=w):
            assert is_current("depth", day, TODAY, window_days=w + 30)


@pytest.mark.parametrize(
    ("directions", "expected"),
    [
        ([], "unknown"),
        (["neutral"], "unknown"),
        (["for", "for", "against"], "for"),
        (["against"], "against"),
        (["for", "against"], "mixed"),
    ],
)
def test_view(directions, expected):
    assert view(directions) == expected


@pytest.mark.parametrize(
    ("topic", "pairs", "causes"),
    [
        ("price_cut", [("rival", "against")], ["rival"]),
        ("price_cut", [("budget", "neutral"), ("personal", "neutral")], ["budget", "personal"]),
        ("price_cut", [("questions", "for")], []),
        ("non_payment", [("funds", "against"), ("complaint", "against")], ["funds", "product", "delivery"]),
        ("non_payment", [("rival", "against")], ["rival"]),
        # a rival's low price alone says nothing of why it is low
        ("low_price_rival", [("rival", "against"), ("price", "against")], []),
        # the customer finds fault with other vendors: cheap and poor
        ("low_price_rival", [("rival", "against"), ("rivals", "for")], ["poor"]),
        # the customer praises them: a smarter design, to learn from
        ("low_price_rival", [("rivals", "against")], ["smarter"]),
        ("low_price_rival", [("rivals", "neutral")], []),
        # a tight budget: a stripped-down offer that fits it
        ("low_price_rival", [("budget", "neutral"), ("rivals", "for")], ["poor", "stripped"]),
        ("no_such_guide", [("rival", "against")], []),
    ],
)
def test_likely_causes(topic, pairs, causes):
    assert likely_causes(topic, pairs) == causes


def test_each_cause_names_its_point_of_the_guide():
    from kehu.rules.playbooks import PLAYBOOKS

    for (topic, cause), (section, point) in signals.CAUSE_POINT.items():
        assert cause in signals.CAUSE_EVIDENCE[topic]
        heads = [p.head.en for p in PLAYBOOKS[topic].sections[section].points]
        assert {"rival": "rival", "budget": "budget", "personal": "personal", "funds": "funds",
                "product": "product", "delivery": "delivery", "poor": "cheap and poor",
                "stripped": "stripped-down", "smarter": "smarter"}[cause] in heads[point].lower()
    assert {(t, c) for t, cs in signals.CAUSE_EVIDENCE.items() for c in cs} == set(signals.CAUSE_POINT)
    # the low-price-rival causes are its reasons why a rival is cheap
    assert PLAYBOOKS["low_price_rival"].sections[2].title.en == "Why the rival is cheap"
    # every piece of evidence is a known kind, and a direction where one is given
    for causes in signals.CAUSE_EVIDENCE.values():
        for wanted in causes.values():
            for w in wanted:
                kind, _, direction = w.partition(":")
                assert kind in signals.KINDS and direction in ("", *signals.DIRECTIONS), w

"""Issue 18, points 3 and 6: trust sees attitude and is calibrated on realistic
relationships; the advice fits the record, the stage and the time known."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kehu.rules.stages import DEFAULT_TRUST_THRESHOLD
from kehu.rules.trust import PersonFacts as P, PromiseFacts as Pr, TouchFacts as Tf, customer_trust

pytestmark = pytest.mark.today("2026-11-23")
TODAY = date(2026, 11, 23)


def ago(d: int) -> date:
    return TODAY - timedelta(days=d)


def every(days, step, kinds, who):
    out, i = [], 0
    for d in range(days, -1, -step):
        out.append(Tf(ago(d), kinds[i % len(kinds)], frozenset(who[i % len(who)])))
        i += 1
    return out


def kept(n, start=150):
    return [Pr(ago(start - 30 * i), ago(start - 30 * i + 1)) for i in range(n)]


# (relationship, people, touches, promises, would a seasoned key-account manager let it
# into growth, i.e. is the trust there?)
CASES = {
    "six months, four people at three levels, all kept, CIO rates us 4/5": (
        [P(1, "CIO", "executive", "decider", 4, "support"), P(2, "PM", "middle", "influencer"),
         P(3, "Eng", "staff", "technical"), P(4, "Buyer", "middle", "procurement")],
        every(180, 20, ["daily", "topic", "daily", "showcase", "daily", "topic", "exec_visit", "daily", "daily",
                        "daily"], [{1}, {2}, {3}, {4}, {2, 3}]),
        kept(2), True),
    "two weeks, one call with one engineer": (
        [P(1, "Eng", "staff", "technical")], [Tf(ago(14), "daily", frozenset({1}))], [], False),
    "three months of weekly calls with one buyer only": (
        [P(1, "Buyer", "staff", "procurement")], every(90, 7, ["daily"], [{1}]), kept(1, 60), False),
    "a year, three people at two levels, 4 of 5 promises kept, executive visits": (
        [P(1, "GM", "executive", "decider", 4, "support"), P(2, "Dir", "middle", "influencer", 3),
         P(3, "Eng", "middle", "technical")],
        every(360, 25, ["daily", "exec_visit", "topic", "daily", "summit"], [{1}, {2}, {3}, {1, 2}]),
        kept(4) + [Pr(ago(40), broken=True)], True),
    "six months of rich contact, but the decider opposes us": (
        [P(1, "CIO", "executive", "decider", 3, "oppose"), P(2, "PM", "middle", "influencer", 4, "support"),
         P(3, "Eng", "staff", "technical", None, "support")],
        every(180, 14, ["daily", "topic", "daily", "showcase"], [{2}, {3}, {2, 3}, {1}]), kept(2), False),
    "four months, two people, two of three promises broken": (
        [P(1, "Dir", "middle", "decider"), P(2, "Eng", "staff", "technical")],
        every(120, 15, ["daily", "topic"], [{1}, {2}]),
        kept(1, 100) + [Pr(ago(50), broken=True), Pr(ago(20), broken=True)], False),
    "nine months of monthly visits to the decider and his team, nothing promised": (
        [P(1, "VP", "executive", "decider", 4), P(2, "Mgr", "middle", "influencer"), P(3, "Eng", "staff", "user")],
        every(270, 30, ["daily", "topic", "daily", "exec_visit"], [{1}, {2}, {3}, {1, 2}]), [], True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_threshold_agrees_with_a_seasoned_manager(name):
    people, touches, promises, ready = CASES[name]
    score = customer_trust(people, touches, promises, TODAY).score
    assert (score >= DEFAULT_TRUST_THRESHOLD) is ready, (name, round(score, 1))


def test_all_promises_kept_is_never_the_weakness_nor_a_reason_to_promise_more():
    for people, touches, promises, _ in CASES.values():
        for ps in (promises, [p for p in promises if not p.broken], []):
            ct = customer_trust(people, touches, ps, TODAY)
            if all(not p.broken for p in ps):
                assert ct.factors.reliability == 1.0
                assert not {s.key for s in ct.suggestions} & {"tip_keep_promises", "tip_make_promises"}


def test_an_opposing_decider_lowers_trust_and_is_named_first():
    people, touches, promises, _ = CASES["six months, four people at three levels, all kept, CIO rates us 4/5"]
    base = customer_trust(people, touches, promises, TODAY)
    turned = [P(1, "CIO", "executive", "decider", 4, "oppose"), *people[1:]]
    ct = customer_trust(turned, touches, promises, TODAY)
    assert ct.score < base.score and ct.opposing == ("CIO",)
    assert ct.suggestions[0].key == "tip_opposing" and ct.suggestions[0].params == {"names": ["CIO"]}
    # a user who opposes us is no risk to name (the deciding roles are)
    user = customer_trust([*people, P(9, "U", "staff", "user", None, "oppose")], touches, promises, TODAY)
    assert user.opposing == ()


def test_more_contact_with_an_opponent_still_never_lowers_trust():
    people = [P(1, "CIO", "executive", "decider", 3, "oppose")]
    touches = every(120, 30, ["daily"], [{1}])
    more = [*touches, Tf(ago(3), "exec_visit", frozenset({1}))]
    assert customer_trust(people, more, [], TODAY).score >= customer_trust(people, touches, [], TODAY).score


def test_a_two_week_old_stranger_is_told_to_know_them_not_to_build_three_levels():
    people, touches, promises, _ = CASES["two weeks, one call with one engineer"]
    early = customer_trust(people, touches, promises, TODAY, stage="stranger")
    keys = [s.key for s in early.suggestions]
    assert "tip_reach_levels" not in keys and "tip_single_point" not in keys
    later = customer_trust(people, every(120, 10, ["daily"], [{1}]), [], TODAY, stage="evaluation")
    assert "tip_single_point" in [s.key for s in later.suggestions]


def test_show_and_next_name_an_opposing_decider(kehu):
    """A salesperson records that the CIO opposes us: show and next say so first."""
    kehu("add", "南粤银行", "--value", "200万")
    kehu("person", "add", "南粤银行", "叶总", "--role", "决策者", "--level", "高层", "--attitude", "反对")
    kehu("person", "add", "南粤银行", "小李", "--role", "技术", "--attitude", "支持")
    kehu("touch", "南粤银行", "--with", "叶总", "--with", "小李", "--date", "2026-11-01")
    data = kehu.json("show", "南粤银行")
    assert data["trust"]["suggestions"][0]["key"] == "tip_opposing"
    assert "risk: 叶总 opposes us" in kehu("show", "南粤银行").stdout
    assert "风险：叶总 反对我们" in kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "risk: 叶总 opposes us" in kehu("next").stdout


def test_the_negotiation_verdict_names_an_opposing_decider(kehu):
    """Before the price meeting, the salesperson notes that 叶总, who decides, is against
    us: the negotiation plan names him as its first risk; once he is won round to neutral,
    or if only a user opposes us, the plan says nothing of it."""
    kehu("add", "南粤银行", "--value", "200万")
    kehu("contract", "add", "南粤银行", "核心系统升级", "--amount", "180万", "--status", "negotiating")
    kehu("person", "add", "南粤银行", "叶总", "--role", "决策者", "--level", "高层", "--attitude", "反对")
    kehu("person", "add", "南粤银行", "小李", "--role", "技术", "--attitude", "支持")
    kehu("negotiate", "team", "1", "lead", "王芳")
    kehu("negotiate", "team", "1", "recorder", "王芳")
    zh = kehu("--lang", "zh", "negotiate", "1").stdout
    assert "风险：叶总 反对我们：谈判前先弄清他反对的原因" in zh
    # first among the warnings, before the plan's own
    assert zh.index("风险：叶总") < zh.index("王芳 既是主谈又是记录员")
    assert "risk: 叶总 opposes us: before the meeting" in kehu("negotiate", "1").stdout
    data = kehu.json("negotiate", "1")
    assert data["warnings"][0]["key"] == "neg_opposing" and data["warnings"][0]["names"] == ["叶总"]
    assert data["warnings"][0]["text"].startswith("risk: 叶总 opposes us")
    assert [w["key"] for w in data["warnings"]] == ["neg_opposing", "neg_lead_is_recorder"]
    # a second opposing gatekeeper is named with him
    kehu("person", "edit", "南粤银行", "小李", "--attitude", "反对")
    assert "风险：叶总、小李 反对我们" in kehu("--lang", "zh", "negotiate", "1").stdout
    # won round: silent
    kehu("person", "edit", "南粤银行", "叶总", "--attitude", "中立")
    kehu("person", "edit", "南粤银行", "小李", "--attitude", "支持")
    assert [w["key"] for w in kehu.json("negotiate", "1")["warnings"]] == ["neg_lead_is_recorder"]
    assert "反对我们" not in kehu("--lang", "zh", "negotiate", "1").stdout
    # a user who opposes us cannot veto the agreement
    kehu("person", "add", "南粤银行", "柜员老周", "--role", "使用者", "--attitude", "反对")
    assert "neg_opposing" not in [w["key"] for w in kehu.json("negotiate", "1")["warnings"]]
    # the same people, the same rule as show and next
    assert "tip_opposing" not in [t["key"] for t in kehu.json("show", "南粤银行")["trust"]["suggestions"]]

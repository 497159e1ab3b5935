"""Issue 18, points 3 and 5: qualification facts and the growth gate; 项目评估 cannot be
ticked while the evaluators lean against us."""

from __future__ import annotations

import pytest

from kehu.rules.stages import decide_advance, evaluators_lean, unqualified

pytestmark = pytest.mark.today("2026-11-23")


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        ({}, [("need", "unknown"), ("pay", "unknown"), ("credit", "unknown")]),
        ({"need": "good", "pay": "bad", "credit": "good"}, [("pay", "bad")]),
        ({"need": "good", "pay": "good", "credit": "good", "desire": "bad"}, []),  # desire: not the gate's
    ],
)
def test_unqualified(facts, missing):
    assert unqualified(facts) == missing


def test_the_gate_is_soft_like_trust():
    base = {"stage": "evaluation", "done_tasks": ("demo", "tech"), "trust_score": 80.0,
            "has_signed_contract": False, "terminated": False}
    refused = decide_advance(**base, qualification={"need": "good"})
    assert not refused.allowed
    assert [b.params for b in refused.blockers] == [{"fact": "pay", "verdict": "unknown"},
                                                    {"fact": "credit", "verdict": "unknown"}]
    assert decide_advance(**base, qualification={"need": "good"}, force=True).allowed
    assert decide_advance(**base, qualification={"need": "good", "pay": "good", "credit": "good"}).allowed
    # only at the door of growth
    assert decide_advance(**{**base, "stage": "acquainted", "done_tasks": ("visit", "survey", "draft")},
                          qualification={}).allowed


@pytest.mark.parametrize(
    ("attitudes", "lean"),
    [
        ([], "unknown"),
        ([("decider", "oppose"), ("technical", "support")], "unknown"),
        ([("decider", "oppose"), ("influencer", "oppose"), ("technical", "support")], "against"),
        ([("decider", "support")], "for"),
        ([("user", "oppose"), ("user", "oppose"), ("decider", "support")], "for"),  # users do not evaluate
    ],
)
def test_evaluators_lean(attitudes, lean):
    assert evaluators_lean(attitudes) == lean


def evaluation_customer(kehu, name):
    kehu("add", name, "--value", "70万")
    kehu("config", "set", "trust.threshold", "0")
    for task in ("plan", "call"):
        kehu("done", name, task)
    kehu("advance", name)
    for task in ("visit", "survey", "draft"):
        kehu("done", name, task)
    kehu("advance", name)
    for task in ("demo", "tech"):
        kehu("done", name, task)


def test_a_customer_that_cannot_pay_does_not_reach_growth_unnoticed(kehu):
    """西安秦川重工 showed 反复问能否延期付款 weeks before it was dropped: with its ability
    to pay recorded as bad, growth is refused; forcing it needs a reason, kept."""
    evaluation_customer(kehu, "秦川重工")
    r = kehu("advance", "秦川重工", code=1)
    assert "not qualified: need is unknown" in r.stderr and "ability to pay is unknown" in r.stderr
    kehu("qualify", "秦川重工", "需求", "好", "--note", "招标公告已发")
    kehu("qualify", "秦川重工", "支付能力", "有问题", "--note", "提到工资发放困难")
    kehu("qualify", "秦川重工", "credit", "good")
    r = kehu("--lang", "zh", "advance", "秦川重工", code=1)
    assert "资格未确认：支付能力为“有问题”" in r.stderr
    data = kehu.json("show", "秦川重工")
    assert data["qualification"]["pay"] == {"verdict": "bad", "note": "提到工资发放困难", "date": "2026-11-23"}
    assert "ability to pay: bad — 提到工资发放困难" in kehu("show", "秦川重工").stdout
    kehu("advance", "秦川重工", "--force", "--reason", "集团担保付款")
    last = kehu.json("history", "秦川重工")[-1]
    assert last["kind"] == "forced" and last["reason"] == "集团担保付款"
    assert last["detail"]["overrode"] == [{"key": "blocked_qualification", "fact": "pay", "verdict": "bad"}]
    kehu("qualify", "秦川重工", "pay", "unknown")
    assert "pay" not in kehu.json("show", "秦川重工")["qualification"]


def test_assessment_waits_for_the_evaluators(kehu):
    evaluation_customer(kehu, "南粤银行")
    for fact in ("need", "pay", "credit"):
        kehu("qualify", "南粤银行", fact, "good")
    kehu("advance", "南粤银行")
    kehu("person", "add", "南粤银行", "叶总", "--role", "决策者", "--attitude", "反对")
    kehu("person", "add", "南粤银行", "周工", "--role", "技术", "--attitude", "反对")
    kehu("person", "add", "南粤银行", "小李", "--role", "采购", "--attitude", "支持")
    r = kehu("done", "南粤银行", "assess", code=1)
    assert "leans against us (2 oppose, 1 support)" in r.stderr
    assert kehu("done", "南粤银行", "assess", "--force", code=2).stderr.count("\n") == 1
    kehu("done", "南粤银行", "assess", "--force", "--reason", "评分表技术分占七成，我方领先")
    last = kehu.json("history", "南粤银行")[-1]
    assert last["detail"]["overrode"] == [{"key": "assess_evaluators_against"}]
    kehu("undo")
    kehu("person", "edit", "南粤银行", "周工", "--attitude", "支持")
    kehu("done", "南粤银行", "assess")  # 1 against, 2 for: it leans our way

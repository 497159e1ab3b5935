"""Issue 18, point 5 (and the label of a prospect's value): seed 004's qualified prospect
(合格准客户) is a verdict from the qualification facts, shown by `kehu show` and its JSON for
a prospect; a prospect's value on `show` is its expected value, not signed business."""

from __future__ import annotations

import pytest

from kehu.rules.domain import QUALIFICATION
from kehu.rules.stages import ProspectVerdict, qualified_prospect

pytestmark = pytest.mark.today("2026-11-23")

ALL_GOOD = {f: "good" for f in QUALIFICATION}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (ALL_GOOD, ProspectVerdict("qualified", (), ())),
        ({}, ProspectVerdict("unconfirmed", (), QUALIFICATION)),
        # seed 000's three (the growth gate's) are not enough: desire and authority too
        ({"need": "good", "pay": "good", "credit": "good"},
         ProspectVerdict("unconfirmed", (), ("desire", "authority"))),
        # seed 004's three are not enough either: need, and payment credit with the means
        ({"desire": "good", "pay": "good", "authority": "good"},
         ProspectVerdict("unconfirmed", (), ("need", "credit"))),
        ({**ALL_GOOD, "authority": "bad"}, ProspectVerdict("unqualified", ("authority",), ())),
        ({**ALL_GOOD, "credit": "bad"}, ProspectVerdict("unqualified", ("credit",), ())),
        # one bad fact is a verdict whatever is still unknown
        ({"pay": "bad"}, ProspectVerdict("unqualified", ("pay",), ("need", "credit", "desire", "authority"))),
        ({"desire": "bad", "need": "bad"}, ProspectVerdict("unqualified", ("need", "desire"), ("pay", "credit",
                                                                                              "authority"))),
        # an unknown verdict (as `kehu qualify ... unknown` leaves it) is not good
        ({**ALL_GOOD, "desire": "unknown"}, ProspectVerdict("unconfirmed", (), ("desire",))),
    ],
)
def test_qualified_prospect(facts, expected):
    assert qualified_prospect(facts) == expected


def test_every_fact_counts():
    """Dropping any one of the five good facts loses the verdict."""
    for fact in QUALIFICATION:
        assert qualified_prospect({**ALL_GOOD, fact: "bad"}).verdict == "unqualified"
        assert qualified_prospect({k: v for k, v in ALL_GOOD.items() if k != fact}).unknown == (fact,)


def to_evaluation(kehu, name):
    for task in ("规划", "电话邀约", "拜访", "调研", "初步方案"):
        kehu("done", name, task, "--date", "2026-10-01")
    kehu("advance", name, "--date", "2026-10-02")
    kehu("advance", name, "--date", "2026-10-03")


def test_a_salesperson_qualifies_a_prospect(kehu):
    """周志远 works on a bank's database migration. Its need, budget and payment record are
    confirmed early; kehu does not call it a qualified prospect until he knows the bank
    wants to buy and who decides. Then the CIO's say turns out not to be final."""
    kehu("add", "南粤银行", "--value", "200万", "--date", "2026-09-01")
    to_evaluation(kehu, "南粤银行")
    out = kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "还不算合格准客户：需求、支付能力、付款信用、购买意愿、决策权未确认" in out
    kehu("qualify", "南粤银行", "需求", "好", "--note", "信创替代写进了年度计划")
    kehu("qualify", "南粤银行", "支付能力", "良好", "--note", "预算已批复")
    kehu("qualify", "南粤银行", "付款信用", "好", "--note", "同业反馈付款准时")
    data = kehu.json("show", "南粤银行")
    assert data["business"] is False
    assert data["qualified_prospect"] == {"verdict": "unconfirmed", "bad": [], "unknown": ["desire", "authority"]}
    assert "还不算合格准客户：购买意愿、决策权未确认" in kehu("--lang", "zh", "show", "南粤银行").stdout
    kehu("qualify", "南粤银行", "购买意愿", "有", "--note", "叶总主动约POC")
    kehu("qualify", "南粤银行", "决策权", "是", "--note", "叶总是最终决策人")
    data = kehu.json("show", "南粤银行")
    assert data["qualified_prospect"] == {"verdict": "qualified", "bad": [], "unknown": []}
    assert data["qualification"]["desire"]["note"] == "叶总主动约POC"
    assert data["qualification"]["authority"]["verdict"] == "good"
    out = kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "合格准客户：需求、购买意愿、支付能力、付款信用和决策权都已确认良好" in out
    assert "决策权: 确认良好 — 叶总是最终决策人" in out
    en = kehu("--lang", "en", "show", "南粤银行").stdout
    assert ("qualified prospect: need, desire to buy, ability to pay, payment credit and authority all "
            "confirmed good") in en
    # The head office must sign off: the CIO has no final say after all.
    kehu("qualify", "南粤银行", "决策", "没有", "--note", "超过100万要总行审批")
    data = kehu.json("show", "南粤银行")
    assert data["qualified_prospect"] == {"verdict": "unqualified", "bad": ["authority"], "unknown": []}
    assert "不是合格准客户：决策权有问题" in kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "not a qualified prospect: authority bad" in kehu("--lang", "en", "show", "南粤银行").stdout


def test_a_customer_doing_business_is_no_longer_a_prospect(kehu):
    kehu("add", "南粤银行", "--value", "200万", "--date", "2026-09-01")
    to_evaluation(kehu, "南粤银行")
    kehu("qualify", "南粤银行", "决策权", "好")
    assert kehu.json("show", "南粤银行")["qualified_prospect"]["verdict"] == "unconfirmed"
    kehu("contract", "add", "南粤银行", "数据库迁移一期", "--amount", "180万")
    kehu("contract", "sign", "1", "--date", "2026-11-20")
    data = kehu.json("show", "南粤银行")
    assert data["business"] is True and data["qualified_prospect"] is None
    assert "合格准客户" not in kehu("--lang", "zh", "show", "南粤银行").stdout


def test_a_terminated_prospect_keeps_its_verdict(kehu):
    """A prospect dropped for its money still says why it was not qualified."""
    kehu("add", "秦川重工", "--value", "90万", "--date", "2026-06-01")
    to_evaluation(kehu, "秦川重工")
    kehu("qualify", "秦川重工", "支付能力", "差", "--note", "提到工资发放困难")
    kehu("drop", "秦川重工", "--reason", "资金链紧张")
    assert kehu.json("show", "秦川重工")["qualified_prospect"]["bad"] == ["pay"]
    assert "不是合格准客户：支付能力有问题" in kehu("--lang", "zh", "show", "秦川重工").stdout


def test_show_labels_a_prospects_expected_value_as_such(kehu):
    """A prospect entered at 200万 in evaluation stands at 50万 (25%, kehu's own chance):
    `show` says it is the expected value, not business signed in the last 12 months."""
    kehu("add", "南粤银行", "--value", "200万", "--date", "2026-09-01")
    to_evaluation(kehu, "南粤银行")
    zh = kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "预期价值（录入价值×阶段概率，层级依据）\t500,000（2,000,000 × 25%）" in zh
    assert "近12月签约额" not in zh
    en = kehu("--lang", "en", "show", "南粤银行").stdout
    assert "Expected value (entered × stage chance; tier value)\t500,000 (2,000,000 × 25%)" in en
    assert "Signed, last 12 months" not in en
    kehu("config", "set", "forecast.evaluation", "40")
    assert "800,000（2,000,000 × 40%）" in kehu("--lang", "zh", "show", "南粤银行").stdout
    # Signing makes it business: the value shown is what it signed (above the entered value).
    kehu("contract", "add", "南粤银行", "数据库迁移一期", "--amount", "250万")
    kehu("contract", "sign", "1", "--date", "2026-11-20")
    zh = kehu("--lang", "zh", "show", "南粤银行").stdout
    assert "近12月签约额（层级依据）\t2,500,000" in zh and "预期价值" not in zh
    assert "Signed, last 12 months (tier value)\t2,500,000" in kehu("--lang", "en", "show", "南粤银行").stdout

"""After the deal, told as a salesperson's stories: a complaint to resolution with the
call-back; a lost contract to its written review; a completed contract to the next
purchase; a visit planned to the plan shown; a referral recorded and shown; care that
does not sell; guides once per occasion, dismissable, never selling to an ended account."""

from __future__ import annotations

import json

import pytest

from kehu.errors import NotFound

pytestmark = pytest.mark.today("2026-11-23")
NOT_FOUND = int(NotFound.code)


@pytest.fixture
def book(kehu, isolated_book):
    kehu("add", "华东电网")
    kehu("person", "add", "华东电网", "张伟", "--role", "决策者", "--attitude", "支持")
    return isolated_book


def ids(kehu, *args) -> list[str]:
    out = kehu(*args, "--json").stdout
    return [i["id"] for i in json.loads(out or "[]")]


def test_a_complaint_from_first_call_to_resolution_with_the_call_back(kehu, book):
    # 张伟 rings, angry: the second phase is two weeks late.
    r = kehu("complaint", "add", "华东电网", "二期交付延迟两周", "--person", "张伟", "--severity", "high")
    assert "Recorded complaint Q1 (华东电网): call back by 2026-11-24" in r.stderr
    assert "kehu playbook complaint" in r.stderr  # the handling guide, at the moment it applies
    # It is on the agenda: the call-back, due tomorrow, and counted on the customer.
    assert "Q1" in ids(kehu, "remind")
    shown = kehu.json("show", "华东电网")
    assert shown["complaints"]["open"] == 1 and shown["complaints"]["resolved"] == 0
    assert [g["key"] for g in shown["guides"]][0] == "complaint"
    out = kehu("show", "华东电网").stdout
    assert "二期交付延迟两周 (张伟)" in out and "·listen" in out
    # She listens, confirms, proposes a fix and carries it out over two days.
    r = kehu("complaint", "step", "Q1", "listen", "确认细节", "--date", "2026-11-23")
    assert "✓listen ✓confirm ·propose ·carry out ·call back ·close" in r.stderr
    kehu("complaint", "step", "1", "propose", "carry_out")
    assert "Q1" in ids(kehu, "remind")  # the call-back is still owed
    # She calls back: `followup done Q1` is the call-back step; the follow-up is gone.
    kehu("followup", "done", "Q1")
    assert "Q1" not in ids(kehu, "remind", "--within", "30d")
    assert "already done" in kehu("followup", "done", "Q1", code=1).stderr
    row = kehu.json("complaint", "list", "华东电网")[0]
    assert row["state"] == "called_back" and set(row["steps_done"]) == {"listen", "confirm", "propose",
                                                                         "carry_out", "call_back"}
    # Then closes it: counted as resolved, no longer open, the guide gone from show.
    kehu("complaint", "resolve", "Q1")
    shown = kehu.json("show", "华东电网")
    assert shown["complaints"] == {"open": 0, "resolved": 1, "open_ones": []}
    assert "complaint" not in [g["key"] for g in shown["guides"]]
    assert kehu.json("complaint", "list", "--open") == []
    assert "already resolved" in kehu("complaint", "resolve", "Q1", code=1).stderr


def test_a_complaint_closed_without_calling_back_is_said_and_bad_input_is_one_line(kehu, book):
    kehu("complaint", "add", "华东电网", "发票开错", "--severity", "轻")
    assert kehu.json("complaint", "list")[0]["callback_due"] == "2026-11-30"  # low: a week
    r = kehu("complaint", "resolve", "Q1")
    assert "closed without a call-back" in r.stderr
    r = kehu("complaint", "add", "华东电网", "x", "--severity", "urgent", code=2)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("kehu: ")
    assert "no complaint Q9" in kehu("complaint", "step", "Q9", "listen", code=NOT_FOUND).stderr
    r = kehu("--lang", "zh", "complaint", "step", "Q1", "唱歌", code=2)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def _lost_deal(kehu):
    kehu("contract", "add", "华东电网", "数据中台二期", "--amount", "100万")
    return kehu("contract", "lose", "1", "--reason", "对手低价抢单")


def test_a_lost_contract_to_its_written_review(kehu, book):
    r = _lost_deal(kehu)
    # Losing brings up the review and the low-price-rival guide, not the price-cut one.
    assert "kehu review 1" in r.stderr and "kehu playbook project_review" in r.stderr
    assert "kehu playbook low_price_rival" in r.stderr and "price_cut" not in r.stderr
    # `next` reminds until it is written; `show` carries the review guide for K1.
    assert "V1" in ids(kehu, "next")
    assert {"key": "project_review", "occasion": "K1", "because": "guide_because_lost", "id": 1} in \
        kehu.json("show", "华东电网")["guides"]
    kehu("review", "1", "--background", "客户换了CIO", "--results", "输在价格")
    assert "V1" in ids(kehu, "next")  # results without lessons: not written yet
    review = kehu.json("review", "1")
    assert review["written_on"] is None and review["answers"]["results"] == "输在价格"
    r = kehu("review", "1", "--lessons", "更早见到决策者")
    assert "The review of contract #1 is written" in r.stderr
    assert "V1" not in ids(kehu, "next")
    assert "project_review" not in [g["key"] for g in kehu.json("show", "华东电网")["guides"]]
    out = kehu("review", "1").stdout
    assert "✓results: 输在价格" in out and "✓lessons: 更早见到决策者" in out and "·planning" in out
    assert "review_written" in [e["kind"] for e in kehu.json("history", "华东电网")]
    # A contract still open has no review.
    kehu("contract", "add", "华东电网", "三期", "--amount", "5万")
    assert "a project review comes after" in kehu("review", "2", "--lessons", "x", code=1).stderr


def _mature_with_completed(kehu, signed="2025-12-10"):
    kehu("advance", "华东电网", "--force", "--reason", "老客户")
    for _ in range(3):
        kehu("advance", "华东电网", "--force", "--reason", "老客户")
    kehu("contract", "add", "华东电网", "一期", "--amount", "100万", "--status", "signed", "--date", signed)
    kehu("contract", "complete", "1", "--date", "2026-03-01")


def test_a_completed_contract_to_the_next_purchase(kehu, book):
    _mature_with_completed(kehu)
    assert kehu.json("show", "华东电网")["stage"] == "mature"
    # A year's default cycle: the next purchase is worth a call from 2026-11-10.
    items = {i["id"]: i for i in json.loads(kehu("remind", "--json").stdout)}
    assert items["B1"]["due"] == "2026-11-10" and "buying cycle about 365 days" in items["B1"]["text"]
    assert "B1" in ids(kehu, "next")
    # The salesperson knows they buy twice a year: the reminder moves with the cycle.
    kehu("cycle", "华东电网", "6m")
    assert kehu.json("cycle", "华东电网")["next_purchase"] == "2026-05-09"
    assert "(set)" in [i for i in json.loads(kehu("remind", "--json").stdout) if i["id"] == "B1"][0]["text"]
    assert "unchanged" in kehu("cycle", "华东电网", "180").stderr
    assert kehu("cycle", "华东电网", "soon", code=2).stderr.startswith("kehu: ")
    # Delivered, nothing under way, someone supports us: propose the next deal, ask for introductions.
    nxt = ids(kehu, "next", "-n", "50")
    assert "E1" in nxt and "F1" in nxt


def test_value_decay_is_in_next_with_its_reason(kehu, book):
    _mature_with_completed(kehu, signed="2025-01-15")
    kehu("contract", "add", "华东电网", "小单", "--amount", "10万", "--status", "signed", "--date", "2025-12-01")
    items = {i["id"]: i for i in kehu.json("next", "-n", "50")}
    assert "M1" in items
    assert "business falling" in items["M1"]["text"] and "90% below" in items["M1"]["text"]
    zh = kehu("--lang", "zh", "next", "-n", "50").stdout
    assert "迁移客户" in zh


def test_a_visit_planned_brings_up_the_visit_plan_and_a_hosting_its_checklist(kehu, book):
    r = kehu("touch", "华东电网", "--note", "电话沟通", "--next", "下周拜访张总", "--next-due", "+7d")
    assert "kehu playbook visit_plan" in r.stderr
    guides = kehu.json("show", "华东电网")["guides"]
    assert {"key": "visit_plan", "occasion": "N1", "because": "guide_because_next", "id": "N1",
            "text": "下周拜访张总"} in guides
    r = kehu("touch", "华东电网", "--next", "邀请客户来总部考察", "--next-due", "+14d")
    assert "kehu playbook hq_visit" in r.stderr
    # The hosting checklist is followed step by step and what is done is kept.
    r = kehu("guide", "step", "华东电网", "hq_visit", "N2", "plan", "review")
    assert "✓plan ✓review ·execute ·wrap_up" in r.stderr
    r = kehu("guide", "step", "华东电网", "hq_visit", "N2", "execute")
    assert "✓plan ✓review ✓execute ·wrap_up" in r.stderr
    assert "no step" in kehu("guide", "step", "华东电网", "hq_visit", "N2", "dance", code=2).stderr
    # Read once, dismissed for that visit; the next visit brings it back.
    kehu("guide", "dismiss", "华东电网", "visit_plan")
    keys = [(g["key"], g["occasion"]) for g in kehu.json("show", "华东电网")["guides"]]
    assert ("visit_plan", "N1") not in keys and ("hq_visit", "N2") in keys
    assert "already hidden" in kehu("guide", "dismiss", "华东电网", "visit_plan", "--occasion", "N1",
                                    code=1).stderr
    kehu("touch", "华东电网", "--next", "再次拜访", "--next-due", "+20d")
    keys = [(g["key"], g["occasion"]) for g in kehu.json("show", "华东电网")["guides"]]
    assert ("visit_plan", "N3") in keys and keys.count(("visit_plan", "N3")) == 1


def test_a_referral_recorded_and_shown_on_the_referrer(kehu, book):
    kehu("add", "浦发银行")
    kehu("person", "add", "浦发银行", "王芳")
    r = kehu("referral", "add", "浦发银行", "华东电网", "--by-person", "张伟")
    assert "浦发银行 was introduced by 华东电网 张伟" in r.stderr
    kehu("referral", "add", "浦发银行", "华东电网", "--person", "王芳")
    shown = kehu.json("show", "华东电网")
    assert shown["referrals"] == ["浦发银行", "浦发银行 王芳"]
    assert kehu.json("show", "浦发银行")["introduced_by"] == "华东电网 张伟"
    assert "Introduced\t浦发银行, 浦发银行 王芳" in kehu("show", "华东电网").stdout
    assert "cannot have introduced itself" in kehu("referral", "add", "华东电网", "华东电网", code=2).stderr
    kehu("referral", "remove", "浦发银行")
    assert kehu.json("show", "浦发银行")["introduced_by"] is None
    assert "no introducer" in kehu("referral", "remove", "浦发银行").stderr
    # Deleting the referrer leaves the customer it introduced, without the mark.
    kehu("referral", "add", "浦发银行", "华东电网", "--by-person", "张伟")
    kehu("delete", "华东电网", "--yes")
    assert kehu.json("show", "浦发银行")["introduced_by"] is None


def test_care_that_does_not_sell(kehu, book):
    r = kehu("touch", "华东电网", "--care", "--note", "中秋问候")
    assert "a care contact" in r.stderr
    shown = kehu.json("show", "华东电网")
    assert shown["touchpoints"][0]["care"] is True
    assert "· care" in kehu("show", "华东电网").stdout
    assert "·关怀" in kehu("--lang", "zh", "show", "华东电网").stdout


def test_guides_follow_the_stage_and_an_ended_account_gets_no_selling_guide(kehu, book):
    assert [g["key"] for g in kehu.json("show", "华东电网")["guides"]] == ["first_contact"]
    kehu("touch", "华东电网", "--signal", "对交付周期有顾虑")
    for _ in range(2):
        kehu("advance", "华东电网", "--force", "--reason", "试")
    keys = [g["key"] for g in kehu.json("show", "华东电网")["guides"]]
    # evaluation; the worry is no sign of their view either way: read it (real_view)
    assert keys == ["objection", "real_view", "tender", "presentation"]
    kehu("advance", "华东电网", "--force", "--reason", "试")
    keys = [g["key"] for g in kehu.json("show", "华东电网")["guides"]]
    assert keys == ["objection", "real_view", "project_target", "tender"]  # growth
    zh = kehu("--lang", "zh", "show", "华东电网").stdout
    assert "眼下适用的指南" in zh and "kehu playbook 招标" in zh and "客户处于成长期" in zh
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万")
    kehu("contract", "lose", "1", "--reason", "预算取消")
    kehu("drop", "华东电网", "--reason", "不再采购")
    assert [g["key"] for g in kehu.json("show", "华东电网")["guides"]] == ["project_review"]


def test_a_mature_customer_under_a_rivals_attack_gets_the_leading_position_guide(kehu, book):
    _mature_with_completed(kehu)
    kehu("touch", "华东电网", "--signal", "友商在接触他们的IT部")
    keys = [g["key"] for g in kehu.json("show", "华东电网")["guides"]]
    assert keys[:1] == ["project_review"] and "leading_position" in keys and "loyalty" in keys


def test_merging_customers_keeps_complaints_reviews_and_referrals(kehu, book):
    kehu("add", "华东电网公司")
    kehu("complaint", "add", "华东电网公司", "发票开错")
    kehu("referral", "add", "华东电网公司", "华东电网")
    kehu("merge", "华东电网", "华东电网公司")
    shown = kehu.json("show", "华东电网")
    assert shown["complaints"]["open"] == 1 and shown["introduced_by"] is None
    kehu("undo")
    assert kehu.json("show", "华东电网公司")["introduced_by"] == "华东电网"


def test_an_open_complaint_is_seen_by_trust_and_by_the_non_payment_facts(kehu, book):
    kehu("contract", "add", "华东电网", "一期", "--amount", "100", "--status", "signed", "--date", "2026-10-01")
    kehu("contract", "plan", "1", "-i", "2026-11-01:100")
    assert kehu.json("trust", "华东电网")["open_complaints"] == []
    assert "np_complaints" not in [h["key"] for h in kehu.json("contract", "show", "1")["playbook"]["hints"]]
    kehu("complaint", "add", "华东电网", "系统上线后频繁宕机", "--severity", "high")
    assert kehu.json("trust", "华东电网")["open_complaints"] == ["Q1"]
    assert "Complaint Q1 is open" in kehu("trust", "华东电网").stdout
    hints = kehu.json("contract", "show", "1")["playbook"]["hints"]
    assert {"key": "np_complaints", "ids": "Q1"} in hints
    assert "complaint Q1 is open: the delay may be about our product" in kehu("contract", "show", "1").stdout
    kehu("complaint", "resolve", "Q1")
    assert kehu.json("trust", "华东电网")["open_complaints"] == []


def test_the_negotiation_plan_carries_the_six_topics_checklist_with_the_books_facts(kehu, book):
    kehu("contract", "add", "华东电网", "二期", "--amount", "120万", "--status", "negotiating")
    kehu("negotiate", "issue", "1", "首付比例：对方要求从30%降到10%")
    kehu("negotiate", "issue", "1", "驻场运维：对方要两人常驻一年")
    topics = kehu.json("negotiate", "show", "1")["topics"]
    assert topics == {"price": [], "delivery": [], "schedule": [], "after_sales": [2], "payment": [1],
                      "solution": []}
    out = kehu("negotiate", "show", "1").stdout
    assert "The topics of a commercial negotiation" in out
    assert "✓ Payment terms — #1" in out and "✓ After-sales — #2" in out and "☐ Price — " in out
    assert "☐ 交货期" in kehu("--lang", "zh", "negotiate", "show", "1").stdout


@pytest.mark.parametrize(("text", "topics"), [
    ("价格太高", {"price"}), ("交付周期太长", {"delivery"}), ("上线时间推迟", {"schedule"}),
    ("保修期要三年", {"after_sales"}), ("分期付款", {"payment"}), ("方案范围要缩小", {"solution"}),
    ("天气不错", set()),
])
def test_negotiation_topics_rule(text, topics):
    from kehu.rules.guides import negotiation_topics

    assert {t for t, ids in negotiation_topics([(1, text)]).items() if ids} == topics


def test_whoever_introduced_anyone_is_known_at_once_the_same_as_one_by_one(kehu, book):
    """`kehu next` asks of the whole book at once whom each customer introduced
    (store.aftersale.introducers); it must be the customers whose referrals `show` lists,
    through each of the four ways an introduction is recorded."""
    from sqlmodel import select

    from kehu import book as books
    from kehu.models import Customer
    from kehu.store import aftersale

    for name, person in (("浦发银行", "王芳"), ("招商银行", "李娜"), ("中国银行", "赵敏"), ("工商银行", "陈刚"),
                         ("建设银行", "周杰")):
        kehu("add", name)
        kehu("person", "add", name, person)
    kehu("referral", "add", "浦发银行", "华东电网")                            # a customer by a customer
    kehu("referral", "add", "中国银行", "招商银行", "--by-person", "李娜")      # a customer by a person there
    kehu("referral", "add", "工商银行", "浦发银行", "--person", "陈刚")         # a person by a customer
    kehu("referral", "add", "建设银行", "中国银行", "--by-person", "赵敏", "--person", "周杰")  # a person by a person
    with books.open(None, books.Invocation(), write=False) as (s, _):
        everyone = s.exec(select(Customer.id)).all()
        one_by_one = {c for c in everyone if aftersale.referrals_of(s, c)}
        assert aftersale.introducers(s) == one_by_one
    assert len(one_by_one) == 4  # 华东电网, 招商银行, 浦发银行, 中国银行; 工商银行 and 建设银行 introduced nobody

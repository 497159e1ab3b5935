"""The guides a signal or money calls for — price cut, a cheaper rival, non-payment — as
guides in context like the others (issue 19, DOMAIN §9): each for one occasion (the
newest signal that calls for it, T#; the instalment that fell overdue last, R#), shown by
`kehu show`, `kehu guide list` and `kehu next` and named by `kehu touch` when a signal
brings one up, dismissed for that occasion, back for a new one, and never for a deal that
is closed. Told as a salesperson's stories, in Chinese as typed."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

pytestmark = pytest.mark.today("2026-11-23")
TTY = {"KEHU_TTY": "1", "COLUMNS": "80"}
SIGNAL_GUIDES = ("price_cut", "low_price_rival", "non_payment")


def listed(kehu, customer: str, *args) -> list[tuple[str, str]]:
    """The signal-driven guides `kehu guide list` shows for the customer: (key, occasion)."""
    return [(g["key"], g["occasion"]) for g in kehu.json("guide", "list", customer, *args)
            if g["key"] in SIGNAL_GUIDES]


def in_next(kehu, customer: str, env: dict | None = None) -> list[tuple[str, str]]:
    """The signal-driven guides `kehu next --json` carries on the customer's items."""
    items = [i for i in kehu.json("next", "-n", "50", env=env) if i["customer"] == customer]
    assert items, "the customer has something to do in next"
    return list(dict.fromkeys((g["key"], g["occasion"]) for i in items for g in i["guides"]
                              if g["key"] in SIGNAL_GUIDES))


def zh(kehu, *args, env: dict | None = None) -> str:
    return kehu("--lang", "zh", *args, env={**TTY, **(env or {})}).stdout


def test_a_price_cut_is_dismissed_from_show_and_comes_back_with_a_new_request_but_never_after_the_deal(kehu):
    # 王磊 is weighing a deal with 华东电网 (evaluation, a contract under negotiation).
    kehu("add", "华东电网")
    for _ in range(2):
        kehu("advance", "华东电网", "--force", "--reason", "老关系")
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万", "--status", "negotiating")
    # At the meeting the buyer asks for a lower price: the touch names the guide at once.
    r = kehu("--lang", "zh", "touch", "华东电网", "--signal", "要求降价", "--date", "2026-11-20")
    assert "参考「客户要降价」（kehu playbook 降价）" in r.stderr
    # It is a guide in context like the others: in show, in guide list, in next.
    show = zh(kehu, "show", "华东电网")
    assert "客户要降价 — kehu playbook 降价" in show
    assert "依据：客户要求降价（T1，2026-11-20）：要求降价" in show
    assert "可参考的应对" not in show  # no separate section any more
    assert all(cell_len(line) <= 80 for line in show.splitlines()), show
    en = kehu("show", "华东电网", env=TTY).stdout
    assert "because: a request to cut the price (T1, 2026-11-20): 要求降价" in en
    assert listed(kehu, "华东电网") == [("price_cut", "T1")]
    assert in_next(kehu, "华东电网") == [("price_cut", "T1")]
    assert "kehu playbook 降价" in zh(kehu, "next")
    assert [p["key"] for p in kehu.json("show", "华东电网")["playbooks"]] == ["price_cut"]
    # Read; dismissed by the short form show printed: gone from show, guide list and next.
    r = kehu("--lang", "zh", "guide", "dismiss", "华东电网", "降价")
    assert "T1" in r.stdout + r.stderr
    assert "kehu playbook 降价" not in zh(kehu, "show", "华东电网")
    assert kehu.json("show", "华东电网")["playbooks"] == []
    assert "price_cut" not in [g["key"] for g in kehu.json("show", "华东电网")["guides"]]
    assert listed(kehu, "华东电网") == []
    assert in_next(kehu, "华东电网") == []
    assert listed(kehu, "华东电网", "--all") == [("price_cut", "T1")]  # hidden, not forgotten
    # A touch with nothing about price changes nothing.
    kehu("touch", "华东电网", "--signal", "对方案提问很多", "--date", "2026-11-21")
    assert listed(kehu, "华东电网") == []
    # A new request to cut the price is a new occasion: the guide is back, named by the touch.
    r = kehu("--lang", "zh", "touch", "华东电网", "--signal", "嫌太贵，要求再打九折", "--date", "2026-11-22")
    assert "kehu playbook 降价" in r.stderr
    assert listed(kehu, "华东电网") == [("price_cut", "T3")]
    assert "依据：客户要求降价（T3，2026-11-22）：嫌太贵，要求再打九折" in zh(kehu, "show", "华东电网")
    assert in_next(kehu, "华东电网") == [("price_cut", "T3")]
    # The deal is signed: the price is settled, the guide is gone and cannot be dismissed.
    kehu("contract", "sign", "1", "--date", "2026-11-23")
    assert "kehu playbook 降价" not in zh(kehu, "show", "华东电网")
    assert listed(kehu, "华东电网", "--all") == []  # not even the old dismissal: no occasion is current
    assert kehu.json("show", "华东电网")["playbooks"] == []
    r = kehu("--lang", "zh", "guide", "dismiss", "华东电网", "降价", code=2)
    assert "眼下不适用于这位客户" in r.stderr
    # A price remark dated before the signing is about the closed deal: no guide for it.
    r = kehu("--lang", "zh", "touch", "华东电网", "--signal", "又提降价", "--date", "2026-11-22")
    assert "降价" not in r.stderr.replace("又提降价", "")
    assert listed(kehu, "华东电网") == []


def test_a_lost_deal_takes_its_price_guide_with_it(kehu):
    kehu("add", "秦川重工")
    kehu("contract", "add", "秦川重工", "一期", "--amount", "60万", "--status", "negotiating")
    kehu("touch", "秦川重工", "--signal", "客户要求打折", "--date", "2026-11-10")
    assert listed(kehu, "秦川重工") == [("price_cut", "T1")]
    kehu("contract", "lose", "1", "--reason", "预算取消", "--date", "2026-11-12")
    assert listed(kehu, "秦川重工", "--all") == []
    assert "kehu playbook price_cut" not in kehu("show", "秦川重工").stdout


def test_a_cheaper_rival_is_its_own_guide_for_the_signal_that_named_it(kehu):
    kehu("add", "浦发银行")
    kehu("advance", "浦发银行", "--force", "--reason", "老关系")
    r = kehu("--lang", "zh", "touch", "浦发银行", "--signal", "对手报价更低", "--date", "2026-11-20")
    assert "kehu playbook 低价" in r.stderr and "kehu playbook 降价" in r.stderr
    assert listed(kehu, "浦发银行") == [("low_price_rival", "T1"), ("price_cut", "T1")]
    assert "依据：对手低价抢单（T1，2026-11-20）：对手报价更低" in zh(kehu, "show", "浦发银行")
    # Dismissing the rival's guide leaves the price-cut guide of the same signal.
    kehu("guide", "dismiss", "浦发银行", "low_price_rival")
    assert listed(kehu, "浦发银行") == [("price_cut", "T1")]
    assert [p["key"] for p in kehu.json("show", "浦发银行")["playbooks"]] == ["price_cut"]


def test_a_signal_typed_as_a_kind_brings_up_the_guide_named_by_its_kind(kehu):
    kehu("add", "华东电网")
    r = kehu("--lang", "zh", "touch", "华东电网", "--signal-kind", "price:against")
    assert "kehu playbook 降价" in r.stderr
    [g] = [g for g in kehu.json("guide", "list", "华东电网") if g["key"] == "price_cut"]
    assert (g["occasion"], g["signal"], g["signal_kind"]) == ("T1", None, "price")
    show = zh(kehu, "show", "华东电网")
    assert "依据：客户要求降价（T1，2026-11-23）：价格" in show and "None" not in show


def test_money_overdue_is_the_non_payment_guides_occasion_instalment_by_instalment(kehu):
    kehu("add", "华东电网")
    kehu("contract", "add", "华东电网", "一期", "--amount", "100万", "--status", "signed", "--date", "2026-10-01")
    kehu("contract", "plan", "1", "-i", "2026-11-01:50万", "-i", "2026-12-15:50万")
    # The first instalment is three weeks late: the guide, for it (its follow-up's id, R1).
    assert listed(kehu, "华东电网") == [("non_payment", "R1")]
    assert any(i["id"] == "R1" for i in kehu.json("next", "-n", "50"))
    assert in_next(kehu, "华东电网") == [("non_payment", "R1")]
    show = zh(kehu, "show", "华东电网")
    assert "客户迟迟不付款 — kehu playbook 回款" in show and "依据：回款 R1 已逾期未付（应付日 2026-11-01）" in show
    kehu("--lang", "zh", "guide", "dismiss", "华东电网", "回款")
    assert listed(kehu, "华东电网") == [] and "kehu playbook 回款" not in zh(kehu, "show", "华东电网")
    assert in_next(kehu, "华东电网") == []
    # Four weeks on, the second instalment falls overdue too: a new occasion.
    later = {"KEHU_TODAY": "2026-12-20"}
    assert [(g["key"], g["occasion"]) for g in kehu.json("guide", "list", "华东电网", env=later)
            if g["key"] == "non_payment"] == [("non_payment", "R2")]
    assert in_next(kehu, "华东电网", env=later) == [("non_payment", "R2")]
    # Paid in full: nothing owed, no guide.
    kehu("pay", "1", "100万", env=later)
    assert [g for g in kehu.json("guide", "list", "华东电网", "--all", env=later) if g["key"] == "non_payment"] == []


def test_contract_show_keeps_the_facts_and_leaves_out_a_non_payment_guide_dismissed_for_its_occasion(kehu):
    kehu("add", "华东电网")
    kehu("contract", "add", "华东电网", "一期", "--amount", "100万", "--status", "signed", "--date", "2026-10-01")
    kehu("contract", "plan", "1", "-i", "2026-11-01:50万", "-i", "2026-12-15:50万")
    full = zh(kehu, "contract", "show", "1")
    assert "逾期" in full and "完整应对：kehu playbook 回款" in full
    assert kehu.json("contract", "show", "1")["playbook"]["dismissed"] is None
    # another guide of the same customer dismissed (the maintenance practices, for K1): this one stays
    kehu("guide", "dismiss", "华东电网", "maintenance")
    assert zh(kehu, "contract", "show", "1") == full
    kehu("--lang", "zh", "guide", "dismiss", "华东电网", "回款")
    shown = zh(kehu, "contract", "show", "1")
    assert "应对指南在 R1 这一情形下已不再显示；要看：kehu playbook 回款" in shown
    assert "完整应对" not in shown
    # the contract's own facts stay: what is overdue, and for how long
    assert [line for line in full.splitlines() if "逾期" in line][0] in shown
    data = kehu.json("contract", "show", "1")["playbook"]
    assert data["dismissed"] == "R1" and data["playbook"] is None and data["overdue"] == "500000.00"
    # a new occasion (the second instalment overdue): the guide again, in full
    later = {"KEHU_TODAY": "2026-12-20"}
    assert "完整应对：kehu playbook 回款" in zh(kehu, "contract", "show", "1", env=later)
    assert kehu.json("contract", "show", "1", env=later)["playbook"]["dismissed"] is None


def test_non_payment_shows_only_where_something_is_owed_or_funds_trouble_is_current_on_an_open_relationship(kehu):
    # 西安秦川重工: funds trouble heard, the deal lost, the relationship ended, nothing owed.
    kehu("add", "西安秦川重工")
    kehu("contract", "add", "西安秦川重工", "一期", "--amount", "60万", "--status", "negotiating")
    kehu("touch", "西安秦川重工", "--signal", "资金紧张，工资都快发不出了", "--date", "2026-10-01")
    # While the relationship is open the funds trouble calls for the guide (its touch, T1),
    # with its likely cause.
    assert listed(kehu, "西安秦川重工") == [("non_payment", "T1")]
    show = zh(kehu, "show", "西安秦川重工")
    assert "依据：客户资金紧张（T1，2026-10-01）：资金紧张，工资都快发不出了" in show
    assert "可能的原因：资金短缺" in show
    kehu("contract", "lose", "1", "--reason", "客户资金链断裂", "--date", "2026-10-20")
    assert listed(kehu, "西安秦川重工") == [("non_payment", "T1")]  # still a customer: still their trouble
    kehu("drop", "西安秦川重工", "--reason", "资金链紧张")
    assert listed(kehu, "西安秦川重工", "--all") == []
    assert kehu.json("show", "西安秦川重工")["playbooks"] == []
    assert "kehu playbook 回款" not in zh(kehu, "show", "西安秦川重工")
    r = kehu("guide", "dismiss", "西安秦川重工", "non_payment", code=2)
    assert "does not apply" in r.stderr
    # Ended but still owing: the money is owed whatever happened, so the guide stays.
    kehu("add", "浦发银行")
    kehu("contract", "add", "浦发银行", "一期", "--amount", "100", "--status", "signed", "--date", "2026-09-01")
    kehu("contract", "plan", "2", "-i", "2026-10-01:100")
    kehu("touch", "浦发银行", "--signal", "资金紧张", "--date", "2026-11-01")
    kehu("drop", "浦发银行", "--reason", "不再合作")
    assert listed(kehu, "浦发银行") == [("non_payment", "R1")]
    assert [p["key"] for p in kehu.json("show", "浦发银行")["playbooks"]] == ["non_payment"]


def test_a_cause_seen_in_a_signal_typed_as_a_kind_is_named_in_the_readers_words(kehu, isolated_book):
    """A signal typed as a kind alone has no text: the guide's likely cause names its kind
    as the reader reads it (预算 / budget), never the key, on the screen; JSON keeps the key."""
    kehu("add", "华东电网")
    kehu("touch", "华东电网", "--signal", "对手报价更低")
    kehu("touch", "华东电网", "--signal-kind", "预算", "--signal-kind", "评价友商:不利")
    zh = kehu("--lang", "zh", "show", "华东电网").stdout
    assert "可能的原因：方案缩水（2026-11-23 预算）" in zh
    assert "可能的原因：方案更省（2026-11-23 评价友商）" in zh
    assert "budget" not in zh and "rivals" not in zh
    en = kehu("show", "华东电网").stdout
    assert "(2026-11-23 budget)" in en and "(2026-11-23 view of other vendors)" in en
    causes = {p["key"]: p["causes"] for p in kehu.json("show", "华东电网")["playbooks"]}
    assert {"cause": "stripped", "because": ["2026-11-23 budget"]} in causes["low_price_rival"]

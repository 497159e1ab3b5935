"""Issue 18, point 2: structured signals, read from what a salesperson types or typed as a
kind (`touch --signal-kind`), shown in `show` and the timeline, read for each person's
and the customer's real view, pointing at the likely cause in the guides, and ageing out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def book(kehu):
    kehu("add", "秦川重工", "--value", "70万")
    kehu("person", "add", "秦川重工", "任建国", "--role", "决策者", "--level", "高层")
    kehu("person", "add", "秦川重工", "柳娜", "--role", "采购")
    return kehu


def test_the_seeds_behaviours_are_read_and_shown(book):
    """A salesperson writes what they saw, as they always have; kehu reads it."""
    book("touch", "秦川重工", "--with", "任建国", "--date", "2026-11-02",
         "--signal", "对方案提问很多", "--signal", "愿意引荐院长")
    book("touch", "秦川重工", "--with", "柳娜", "--date", "2026-11-10", "--signal", "讨论较深入")
    data = book.json("show", "秦川重工")
    got = [(s["kind"], s["direction"], s["person"]) for s in data["signals"]["current"]]
    assert ("questions", "for", "任建国") in got and ("referral", "for", "任建国") in got
    assert ("depth", "for", "柳娜") in got
    assert data["signals"]["view"] == "for"
    assert data["signals"]["people"] == {"柳娜": "for", "任建国": "for"}
    out = book("--lang", "zh", "show", "秦川重工").stdout
    assert "客户信号" in out and "有利 方案提问 — 对方案提问很多 (任建国)" in out
    timeline = book("--lang", "zh", "timeline", "秦川重工").stdout
    assert "对方案提问很多 [有利·方案提问]" in timeline


def test_funds_trouble_points_the_non_payment_guide_at_its_cause(book):
    """Seven weeks before 西安秦川重工 was dropped for 资金链紧张, the book held
    反复问能否延期付款 and 提到工资发放困难: kehu names the non-payment guide and its
    likely cause, shortage of funds, with the evidence."""
    book("touch", "秦川重工", "--with", "任建国", "--date", "2026-10-01",
         "--signal", "反复问能否延期付款", "--signal", "资金紧张，工资都快发不出了")
    data = book.json("show", "秦川重工")
    [pb] = data["playbooks"]
    assert pb["key"] == "non_payment"
    assert [c["cause"] for c in pb["causes"]] == ["funds"]
    out = book("show", "秦川重工").stdout
    assert "likely cause: Shortage of funds (2026-10-01 反复问能否延期付款" in out


def test_price_talk_is_not_a_price_cut_and_a_rival_is_named_as_the_cause(book):
    book("touch", "秦川重工", "--date", "2026-11-01", "--signal", "采购开始了解报价结构")
    assert book.json("show", "秦川重工")["playbooks"] == []
    book("touch", "秦川重工", "--date", "2026-11-05", "--signal", "要求再降价5%",
         "--signal", "竞争对手也在接触院长")
    [pb] = book.json("show", "秦川重工")["playbooks"]
    assert pb["key"] == "price_cut" and [c["cause"] for c in pb["causes"]] == ["rival"]
    assert "likely cause: A rival offered a low price" in book("show", "秦川重工").stdout


def test_the_low_price_rival_guide_points_at_why_the_rival_is_cheap(book):
    """A rival undercuts us; what the customer says of that rival tells why it is cheap,
    and `show` names the guide's own reason with the evidence."""
    book("touch", "秦川重工", "--with", "柳娜", "--date", "2026-11-05", "--signal", "对手报价比我们低两成")
    pbs = {p["key"]: p for p in book.json("show", "秦川重工")["playbooks"]}
    assert pbs["low_price_rival"]["causes"] == []  # a lower price alone does not say why
    book("touch", "秦川重工", "--with", "任建国", "--date", "2026-11-12",
         "--signal", "任总说友商上个项目的设备故障不断，售后很差")
    pbs = {p["key"]: p for p in book.json("show", "秦川重工")["playbooks"]}
    assert [c["cause"] for c in pbs["low_price_rival"]["causes"]] == ["poor"]
    zh = book("--lang", "zh", "show", "秦川重工").stdout
    assert "可能的原因：便宜没好货（2026-11-12 任总说友商上个项目的设备故障不断，售后很差）" in zh
    en = book("show", "秦川重工").stdout
    assert "likely cause: Cheap and poor (2026-11-12" in en
    # the customer praising the rival's design is another reason: learn from it
    book("touch", "秦川重工", "--with", "柳娜", "--date", "2026-11-20", "--signal-kind", "评价友商:不利")
    pbs = {p["key"]: p for p in book.json("show", "秦川重工")["playbooks"]}
    assert [c["cause"] for c in pbs["low_price_rival"]["causes"]] == ["poor", "smarter"]
    assert "可能的原因：方案更省（2026-11-20" in book("--lang", "zh", "show", "秦川重工").stdout


def test_signals_age_out_after_the_deal_and_the_window(book):
    book("touch", "秦川重工", "--date", "2026-09-01", "--signal", "客户嫌太贵，要求打折")
    assert [p["key"] for p in book.json("show", "秦川重工")["playbooks"]] == ["price_cut"]
    book("contract", "add", "秦川重工", "一期", "--amount", "60万")
    book("contract", "sign", "1", "--date", "2026-10-01")
    assert book.json("show", "秦川重工")["playbooks"] == []  # settled since: not news
    assert book.json("show", "秦川重工")["signals"]["current"] == []
    book("config", "set", "signals.window_days", "30")
    book("touch", "秦川重工", "--date", "2026-10-10", "--signal", "对方案提问很多")
    assert book.json("show", "秦川重工")["signals"]["current"] == []  # 44 days > 30
    book("config", "set", "signals.window_days", "90")
    assert [s["kind"] for s in book.json("show", "秦川重工")["signals"]["current"]] == ["questions"]


def test_a_kind_can_be_typed(book):
    book("touch", "秦川重工", "--with", "柳娜", "--signal-kind", "complaint", "--signal-kind", "提问:不利")
    data = book.json("show", "秦川重工")
    got = [(s["kind"], s["direction"], s["source"], s["person"]) for s in data["signals"]["current"]]
    assert sorted(got) == [("complaint", "against", "typed", "柳娜"), ("questions", "against", "typed", "柳娜")]
    assert data["signals"]["view"] == "against"
    kinds = book.json("show", "秦川重工")["touchpoints"][0]["signal_kinds"]
    assert {(k["kind"], k["source"]) for k in kinds} == {("complaint", "typed"), ("questions", "typed")}


def test_an_unknown_kind_is_refused_in_one_line(book):
    r = book("touch", "秦川重工", "--signal-kind", "weather", code=2)
    assert r.stderr.count("\n") == 1 and "weather" in r.stderr
    assert book.json("show", "秦川重工")["touchpoints"] == []  # nothing written
    r = book("--lang", "zh", "touch", "秦川重工", "--signal-kind", "price:sideways", code=2)
    assert "无法识别的信号类型" in r.stderr


def test_deleting_a_touch_or_a_person_keeps_the_book_whole(book):
    book("touch", "秦川重工", "--with", "柳娜", "--signal-kind", "funds")
    book("person", "delete", "秦川重工", "柳娜", "--yes")
    [s] = book.json("show", "秦川重工")["signals"]["current"]
    assert s["person"] is None and s["kind"] == "funds"
    book("touch", "delete", "1", "--yes")
    assert book.json("show", "秦川重工")["signals"]["current"] == []
    book("undo")
    assert [s["kind"] for s in book.json("show", "秦川重工")["signals"]["current"]] == ["funds"]


def test_money_trouble_counts_for_money_days_and_the_setting_moves_it(book):
    """Funds trouble heard five months ago still matters by default (signals.money_days,
    180); everyday signals of the same day have faded (signals.window_days, 90). A
    salesperson who wants four months sets it, and the old remark stops counting."""
    book("touch", "秦川重工", "--with", "任建国", "--date", "2026-06-26",  # 150 days before today
         "--signal-kind", "funds", "--signal", "对方案提问很多")
    data = book.json("show", "秦川重工")
    assert [(s["kind"], s["direction"]) for s in data["signals"]["current"]] == [("funds", "against")]
    assert [p["key"] for p in data["playbooks"]] == ["non_payment"]
    assert "资金困难" in book("--lang", "zh", "show", "秦川重工").stdout
    book("config", "set", "signals.money_days", "120")
    data = book.json("show", "秦川重工")
    assert data["signals"]["current"] == [] and data["playbooks"] == []
    assert "资金困难" not in book("--lang", "zh", "show", "秦川重工").stdout
    book("config", "set", "signals.money_days", "150")  # the day itself is still inside
    assert [s["kind"] for s in book.json("show", "秦川重工")["signals"]["current"]] == ["funds"]


def test_a_typed_kind_is_in_the_timeline_with_its_direction(book):
    """`touch --signal-kind funds` with no words: the timeline says what was seen."""
    book("touch", "秦川重工", "--with", "柳娜", "--date", "2026-11-20", "--signal-kind", "funds",
         "--signal-kind", "引荐:有利")
    zh = book("--lang", "zh", "timeline", "秦川重工").stdout
    assert "不利·资金困难" in zh and "有利·引荐高层" in zh
    en = book("--lang", "en", "timeline", "秦川重工").stdout
    assert "against us·funds trouble" in en and "for us·introduction to executives" in en
    [touch] = [e for e in book.json("timeline", "秦川重工") if e["type"] == "touch"]
    assert sorted((k["kind"], k["direction"], k["source"]) for k in touch["signal_kinds"]) == [
        ("funds", "against", "typed"), ("referral", "for", "typed")]

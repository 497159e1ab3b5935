"""Touchpoints and promises."""

from __future__ import annotations

import json

import pytest


# Every command here runs on 2026-11-23, whatever the real date: the dates written below
# are around it (with the clock 400 days back, unpinned commands made the customers in
# 2025 and refused these dates as in the future).
pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def book(kehu):
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--level", "高层", "--role", "决策者")
    kehu("person", "add", "华为", "李娜", "--level", "基层", "--role", "技术")
    return kehu


def test_touch_records_everything(book):
    r = book("touch", "华为", "--kind", "峰会", "--with", "张伟", "--with", "李娜", "--date", "2026年3月5日",
             "--note", "年度峰会", "--signal", "愿意引荐高层", "--signal", "反复谈价格",
             "--next", "发送会议纪要", "--next-due", "2026-03-08",
             "--promise", "两周内给出报价", "--promise-due", "2026/3/19", "--json")
    assert '"promise_id": 1' in r.stdout
    [t] = book.json("show", "华为")["touchpoints"]
    assert t.pop("actor")  # who logged it (--as, KEHU_USER, else the login name): tests/test_team.py
    assert t == {
        "id": 1, "date": "2026-03-05", "kind": "summit", "channel": None, "with": ["张伟", "李娜"], "note": "年度峰会",
        "signals": ["愿意引荐高层", "反复谈价格"], "next_step": "发送会议纪要", "next_due": "2026-03-08",
        "signal_kinds": [  # issue 18: what the phrase table reads from them
            {"kind": "referral", "direction": "for", "text": "愿意引荐高层", "source": "phrase"},
            {"kind": "price", "direction": "against", "text": "反复谈价格", "source": "phrase"}],
        "next_done_on": None, "care": False,
    }
    [p] = book.json("promise", "list")
    assert (p["text"], p["made_on"], p["due"], p["state"], p["customer"]) == (
        "两周内给出报价", "2026-03-05", "2026-03-19", "open", "华为")


@pytest.mark.parametrize(
    "kind, key",
    [("summit", "summit"), ("举行高层峰会", "summit"), ("峰会", "summit"), ("日常", "daily"),
     ("微信", "daily"), ("专题", "topic"), ("参观", "showcase"), ("hq-visit", "hq_visit"),
     ("高层拜访", "exec_visit"), ("展会", "forum"), ("DAILY", "daily")],
)
def test_touch_kind_accepts_keys_labels_and_short_forms(book, kind, key):
    book("touch", "华为", "--kind", kind)
    assert book.json("show", "华为")["touchpoints"][0]["kind"] == key


def test_unknown_kind_and_unknown_person_write_nothing(book):
    r = book("touch", "华为", "--kind", "饭局", code=2)
    assert "Unknown touchpoint kind: 饭局" in r.stderr and "summit (举行高层峰会)" in r.stderr
    r = book("touch", "华为", "--kind", "daily", "--with", "王五", code=1)
    assert "has no person '王五'" in r.stderr
    assert book.json("show", "华为")["touchpoints"] == []


@pytest.mark.parametrize(
    "args, fragment",
    [(("--next", "约演示"), "--next and --next-due go together"),
     (("--next-due", "+3d"), "--next and --next-due go together"),
     (("--promise", "报价"), "--promise and --promise-due go together"),
     (("--date", "01/02/2026"), "ambiguous"),
     (("--date", "Q3 2026"), "Cannot read the date 'Q3 2026'"),
     (("--date", "2026-02-30"), "The date '2026-02-30' is wrong: month 2 has no day 30"),
     (("--date", "2026-13-01"), "The date '2026-13-01' is wrong: there is no month 13")],
)
def test_touch_bad_input_is_refused_with_a_hint(book, args, fragment):
    r = book("touch", "华为", "--kind", "daily", *args, code=2)
    assert fragment in r.stderr and r.stderr.count("\n") == 1
    assert book.json("show", "华为")["touchpoints"] == []


def test_relative_dates(book):
    env = {"KEHU_TODAY": "2026-11-23"}
    book("touch", "华为", "--kind", "daily", "--date", "-3d", "--next", "回访", "--next-due", "+2w", env=env)
    book("touch", "华为", "--kind", "daily", "--date", "昨天", env=env)
    book("touch", "华为", "--kind", "daily", "--date", "3月5日", env=env)
    dates = [t["date"] for t in book.json("show", "华为")["touchpoints"]]
    assert dates == ["2026-11-22", "2026-11-20", "2026-03-05"]
    # relative to today, not to the touch date
    assert book.json("show", "华为")["touchpoints"][1]["next_due"] == "2026-12-07"


def test_promise_kept_broken_and_closed(book):
    for i in range(3):
        book("touch", "华为", "--kind", "daily", "--date", "2026-05-01",
             "--promise", f"承诺{i}", "--promise-due", "2026-05-10")
    book("promise", "kept", "1", "--date", "2026-05-09")
    r = book("promise", "kept", "2", "--date", "2026-05-12")
    assert "does not count as kept on time" in r.stderr
    book("promise", "broken", "#3")
    states = {p["id"]: (p["state"], p["on_time"]) for p in book.json("promise", "list", "华为")}
    assert states == {1: ("kept", True), 2: ("kept", False), 3: ("broken", False)}
    r = book("promise", "broken", "1", code=1)
    assert "already kept" in r.stderr
    assert "No promise #9" in book("promise", "kept", "9", code=1).stderr
    assert "positive whole number" in book("promise", "kept", "x", code=2).stderr


def test_promises_feed_reliability(book):
    env = {"KEHU_TODAY": "2026-06-01"}
    book("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-05-01",
         "--promise", "报价", "--promise-due", "2026-05-10", env=env)
    # issue 18: only promises not kept lower it, (kept + 2) / (counted + 2)
    assert book.json("trust", "华为")["factors"]["reliability"] == pytest.approx(2 / 3, abs=1e-3)  # overdue
    book("promise", "kept", "1", "--date", "2026-05-08", env=env)
    assert book.json("trust", "华为")["factors"]["reliability"] == pytest.approx(1.0, abs=1e-3)


def test_promise_list_piped_and_on_terminal(book):
    book("touch", "华为", "--kind", "daily", "--promise", "送样品 [urgent]", "--promise-due", "+3d")
    assert "送样品 [urgent]" in book("promise", "list").stdout
    assert "送样品 [urgent]" in book("promise", "list", env={"KEHU_TTY": "1", "COLUMNS": "200"}).stdout


@pytest.mark.parametrize(
    "args, fragment",
    [(("--date", "+2d"), "--date 2026-11-25 is in the future"),
     (("--date", "-10d", "--next", "回访", "--next-due", "-12d"),
      "--next-due 2026-11-11 is before the touchpoint's date 2026-11-13"),
     (("--date", "-10d", "--promise", "报价", "--promise-due", "-11d"), "--promise-due 2026-11-12 is before")],
)
def test_dates_that_make_no_sense_are_refused(book, args, fragment):
    r = book("touch", "华为", "--kind", "daily", *args, code=2, env={"KEHU_TODAY": "2026-11-23"})
    assert fragment in r.stderr
    assert book.json("show", "华为")["touchpoints"] == []


def test_a_promise_cannot_be_settled_before_it_was_made_or_in_the_future(book):
    env = {"KEHU_TODAY": "2026-11-23"}
    book("touch", "华为", "--kind", "daily", "--date", "-5d", "--promise", "报价", "--promise-due", "+5d", env=env)
    assert "was made on 2026-11-18" in book("promise", "kept", "1", "--date", "-6d", code=2, env=env).stderr
    assert "in the future" in book("promise", "broken", "1", "--date", "+1d", code=2, env=env).stderr
    assert book.json("promise", "list")[0]["state"] == "open"


def test_an_overdue_promise_is_shown_as_overdue(book):
    env = {"KEHU_TODAY": "2026-11-23"}
    book("touch", "华为", "--kind", "daily", "--date", "-9d", "--promise", "报价", "--promise-due", "-2d", env=env)
    book("touch", "华为", "--kind", "daily", "--date", "-1d", "--promise", "样品", "--promise-due", "+2d", env=env)
    # Read on the same pinned day as the writes: on the real clock the second promise
    # (due 2026-11-25) became overdue from 2026-11-26 on and the test failed.
    rows = {p["text"]: p for p in book.json("promise", "list", env=env)}
    assert rows["报价"]["state"] == "open" and rows["报价"]["overdue"] is True
    assert rows["样品"]["overdue"] is False
    out = book("--lang", "zh", "promise", "list", env=env).stdout
    assert "报价\t2026-11-14\t2026-11-21\t已逾期" in out
    assert "样品\t2026-11-22\t2026-11-25\t待兑现" in out


def test_kind_defaults_to_a_daily_contact_and_is_read_as_people_say_it(kehu):
    kehu("add", "华为")
    r = kehu("touch", "华为", "--note", "路过聊了几句", "--json")
    assert json.loads(r.stdout)["kind"] == "daily"
    for said, key in (("拜访", "daily"), ("上门", "daily"), ("面谈", "daily"), ("吃饭", "daily"),
                      ("宴请", "daily"), ("会议", "topic"), ("演示", "topic")):
        assert json.loads(kehu("touch", "华为", "--kind", said, "--json").stdout)["kind"] == key, said


# ---------------------------------------------------------------- the channel of a daily contact


@pytest.mark.parametrize(
    "args, kind, channel",
    [(("--kind", "电话"), "daily", "phone"), (("--kind", "微信"), "daily", "wechat"),
     (("--kind", "邮件"), "daily", "email"), (("--kind", "面谈"), "daily", "meeting"),
     (("--kind", "phone"), "daily", "phone"), (("--channel", "微信"), "daily", "wechat"),
     (("--kind", "日常", "--channel", "email"), "daily", "email"),
     (("--kind", "电话", "--channel", "phone"), "daily", "phone"),
     (("--kind", "拜访"), "daily", None), (("--kind", "daily"), "daily", None), ((), "daily", None)],
)
def test_a_kind_that_names_a_channel_is_a_daily_contact_by_it(book, args, kind, channel):
    out = book.json("touch", "华为", *args)
    assert (out["kind"], out["channel"]) == (kind, channel)
    [t] = book.json("show", "华为")["touchpoints"]
    assert (t["kind"], t["channel"]) == (kind, channel)


def test_the_channel_is_shown_with_the_kind(book):
    book("touch", "华为", "--kind", "电话", "--date", "2026-11-20")
    book("touch", "华为", "--kind", "专题", "--date", "2026-11-21")
    book("touch", "华为", "--kind", "日常", "--date", "2026-11-22")
    zh = book("--lang", "zh", "show", "华为").stdout
    assert "\t日常（电话）\t" in zh and "\t正式专题交流\t" in zh and "\t日常拜访交流\t" in zh
    en = book("show", "华为").stdout
    assert "\tdaily (phone)\t" in en
    r = book("--lang", "zh", "touch", "华为", "--kind", "邮件", "--date", "2026-11-23")
    assert "（日常（邮件），2026-11-23" in r.stderr


@pytest.mark.parametrize(
    "args, zh, en",
    [(("--kind", "峰会", "--channel", "微信"), "只用于日常接触", "is for a daily contact only"),
     (("--kind", "电话", "--channel", "微信"), "与 --channel 微信 矛盾", "which --channel 微信 contradicts"),
     (("--channel", "飞鸽"), "无法识别的渠道：飞鸽", "Unknown channel: 飞鸽")],
)
def test_a_channel_that_does_not_fit_is_refused(book, args, zh, en):
    r = book("--lang", "zh", "touch", "华为", *args, code=2)
    assert zh in r.stderr and r.stderr.count("\n") == 1
    r = book("touch", "华为", *args, code=2)
    assert en in r.stderr
    assert book.json("show", "华为")["touchpoints"] == []


def test_touch_edit_sets_clears_and_drops_the_channel(book):
    book("touch", "华为", "--kind", "daily", "--date", "2026-11-20")
    book("touch", "edit", "1", "--channel", "电话")
    assert book.json("show", "华为")["touchpoints"][0]["channel"] == "phone"
    book("touch", "edit", "1", "--kind", "微信")
    assert book.json("show", "华为")["touchpoints"][0]["channel"] == "wechat"
    book("touch", "edit", "1", "--channel", "")
    assert book.json("show", "华为")["touchpoints"][0]["channel"] is None
    book("touch", "edit", "1", "--channel", "meeting")
    r = book("touch", "edit", "1", "--kind", "专题")  # no longer daily: no channel either
    assert "kind, channel" in r.stderr
    [t] = book.json("show", "华为")["touchpoints"]
    assert (t["kind"], t["channel"]) == ("topic", None)
    book("touch", "edit", "1", "--channel", "phone", code=2)
    book("touch", "edit", "1", "--kind", "daily", "--channel", "phone")
    assert book.json("show", "华为")["touchpoints"][0]["channel"] == "phone"


def test_the_channel_is_undone(book, isolated_book):
    from _books import any_dump

    book("touch", "华为", "--kind", "daily", "--date", "2026-11-20")
    before = any_dump(isolated_book, skip=("operation",))
    book("touch", "edit", "1", "--channel", "微信")
    book("undo")
    assert any_dump(isolated_book, skip=("operation",)) == before


def test_the_channel_travels_in_csv(book, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("客户,日期,方式,渠道\n华为,2026-11-01,日常,电话\n华为,2026-11-02,日常,\n华为,2026-11-03,专题,微信\n",
                    encoding="utf-8")
    r = book("import", str(path), code=65)
    assert f"{path}:4: 渠道: A channel (WeChat) is for a daily contact only; a formal topic session has none.\n" \
        in r.stderr
    path.write_text("客户,日期,方式,渠道\n华为,2026-11-01,日常,电话\n华为,2026-11-02,日常,\n", encoding="utf-8")
    book("import", str(path))
    assert [t["channel"] for t in book.json("show", "华为")["touchpoints"]] == [None, "phone"]
    out = book("export", "--table", "touchpoints").stdout.splitlines()
    assert out[0].endswith(",channel") and out[1].endswith(",phone") and out[2].endswith(",")


def test_a_kind_cell_that_names_a_channel_is_a_daily_contact_by_it(book, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("客户,日期,方式\n华为,2026-11-01,电话\n华为,2026-11-02,邮件\n华为,2026-11-03,拜访\n"
                    "华为,2026-11-04,峰会\n", encoding="utf-8")
    book("import", str(path))
    got = [(t["kind"], t["channel"]) for t in book.json("show", "华为")["touchpoints"]]
    assert got == [("summit", None), ("daily", None), ("daily", "email"), ("daily", "phone")]
    path.write_text("客户,日期,方式,渠道\n华为,2026-11-05,微信,微信\n华为,2026-11-06,电话,微信\n", encoding="utf-8")
    r = book("--lang", "zh", "import", str(path), code=65)
    assert r.stderr.startswith(f"{path}:3: 渠道: 方式“电话”已表示渠道，与渠道列的 微信 矛盾。\n")
    assert len(book.json("show", "华为")["touchpoints"]) == 4

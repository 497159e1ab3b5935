"""`kehu timeline C`: the whole relationship as one dated list, newest first (issue 16)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def story(kehu):
    """A relationship with one of everything, each on a day of its own (and two on one day)."""
    kehu("add", "华为技术", "--date", "2026-01-05")
    kehu("add", "别家公司")  # nothing of it may show
    kehu("person", "add", "华为技术", "张三")
    kehu("touch", "华为技术", "--date", "2026-02-10", "--with", "张三", "--note", "谈了预算",
         "--signal", "预算已批", "--next", "发方案", "--next-due", "2026-02-20",
         "--promise", "周五前发报价", "--promise-due", "2026-02-13")
    kehu("promise", "kept", "1", "--date", "2026-02-12")
    kehu("touch", "华为技术", "--date", "2026-03-01", "--note", "电话", "--promise", "送样品",
         "--promise-due", "2026-03-05")  # never kept: due without a word
    kehu("touch", "华为技术", "--date", "2026-03-02", "--promise", "安排参观", "--promise-due", "2026-03-09")
    kehu("promise", "broken", "3", "--date", "2026-03-10")
    kehu("advance", "华为技术", "--force", "--reason", "老关系", "--date", "2026-03-15")
    kehu("edit", "华为技术", "--industry", "通信")  # today
    kehu("contract", "add", "华为技术", "交换机", "--amount", "100万", "--status", "signed", "--date", "2026-04-01")
    kehu("contract", "plan", "1", "-i", "2026-05-01:60万", "-i", "2026-12-31:40万")
    kehu("pay", "1", "60万", "--date", "2026-05-03")
    kehu("contract", "add", "华为技术", "服务器", "--amount", "50万")
    kehu("negotiate", "issue", "2", "价格太高", "--date", "2026-06-01")
    kehu("negotiate", "settle", "1", "trade", "--note", "换账期", "--date", "2026-06-08")
    kehu("contract", "lose", "2", "--reason", "预算砍了", "--date", "2026-07-01")
    return kehu


def entries(kehu, *args):
    return kehu.json("timeline", "华为技术", *args)


def test_each_kind_of_entry_appears_with_its_date(story):
    got = [(e["date"], e["type"], e.get("kind")) for e in entries(story)]
    for expected in [
        ("2026-01-05", "event", "created"),
        ("2026-02-10", "touch", None),
        ("2026-02-10", "promise_made", None),
        ("2026-02-12", "promise_kept", None),
        ("2026-03-05", "promise_due", None),
        ("2026-03-10", "promise_broken", None),
        ("2026-03-15", "event", "forced"),
        ("2026-11-23", "event", "edited"),
        ("2026-04-01", "event", "contract_added"),
        ("2026-04-01", "event", "contract_signed"),
        ("2026-05-01", "instalment_due", None),
        ("2026-12-31", "instalment_due", None),
        ("2026-05-03", "event", "paid"),
        ("2026-06-01", "issue_raised", None),
        ("2026-06-08", "issue_settled", None),
        ("2026-07-01", "event", "contract_lost"),
    ]:
        if expected[1] == "touch":
            assert any(g[:2] == expected[:2] for g in got), expected
        else:
            assert expected in got, expected


def test_a_touchpoint_carries_people_note_signals_and_next_step(story):
    [touch] = [e for e in entries(story) if e["type"] == "touch" and e["date"] == "2026-02-10"]
    assert touch["with"] == ["张三"] and touch["note"] == "谈了预算" and touch["signals"] == ["预算已批"]
    assert touch["next_step"] == "发方案" and touch["next_due"] == "2026-02-20"
    plain = story("timeline", "华为技术").stdout
    [line] = [x for x in plain.splitlines() if "谈了预算" in x]
    assert line.startswith("2026-02-10\ttouchpoint\t#1 ")
    assert "With: 张三" in line and "Signals: 预算已批" in line and "Next step: 发方案 (Due 2026-02-20)" in line


def test_newest_first_and_nothing_of_another_customer(story):
    days = [e["date"] for e in entries(story)]
    assert days == sorted(days, reverse=True)
    assert days[0] == "2026-12-31" and days[-1] == "2026-01-05"
    assert all(e.get("customer_id", 1) == 1 for e in entries(story))
    assert "别家公司" not in story("timeline", "华为技术").stdout


def test_a_days_entries_latest_written_first(story):
    same_day = [e.get("kind") for e in entries(story) if e["date"] == "2026-04-01"]
    assert same_day == ["contract_signed", "contract_added"]


def test_since_keeps_that_day_and_after(story):
    got = entries(story, "--since", "2026-05-03")
    assert {e["date"] for e in got} == {"2026-05-03", "2026-06-01", "2026-06-08", "2026-07-01", "2026-11-23",
                                        "2026-12-31"}
    assert story.json("timeline", "华为技术", "--since", "-7d")[0]["date"] == "2026-12-31"


def test_since_in_the_future_is_refused(story):
    r = story("timeline", "华为技术", "--since", "2027-01-01", code=2)
    assert r.stdout == "" and r.stderr.count("\n") == 1


def test_nothing_in_the_window_is_said_on_stderr(kehu):
    kehu("add", "新客户", "--date", "2026-01-05")
    r = kehu("timeline", "新客户", "--since", "2026-06-01")
    assert r.stdout == "" and "Nothing recorded for 新客户" in r.stderr
    assert "没有任何记录" in kehu("--lang", "zh", "timeline", "新客户", "--since", "2026-06-01").stderr
    assert kehu.json("timeline", "新客户", "--since", "2026-06-01") == []


def test_chinese_labels(story):
    out = story("--lang", "zh", "timeline", "华为技术").stdout
    assert out.splitlines()[0] == "日期\t事件\t详情\t经办"
    for text in ("接触", "做出承诺", "兑现承诺", "承诺未兑现", "承诺到期未兑现", "分期款到期", "提出分歧", "分歧解决",
                 "强制推进", "签约", "收款", "丢单", "建档"):
        assert f"\t{text}\t" in out, text


def test_an_undo_shows_as_it_does_in_history(story):
    story("touch", "华为技术", "--note", "记错了")
    story("undo")
    got = entries(story)
    assert [e["command"] for e in got if e.get("kind") == "undone" for e in [e["detail"]]] == ["touch add"]
    assert not any(e.get("note") == "记错了" for e in got)


def test_on_a_terminal_it_goes_through_the_pager(story, monkeypatch):
    import pydoc

    from kehu.cli import _common

    paged = []
    monkeypatch.setattr(pydoc, "pager", lambda text: paged.append(text))
    monkeypatch.setattr(_common, "can_page", lambda: True)
    r = story("timeline", "华为技术", env={"KEHU_TTY": "1", "COLUMNS": "200"})
    assert r.stdout == "" and len(paged) == 1 and "谈了预算" in paged[0] and "交换机" in paged[0]
    assert "─" in paged[0]  # the Rich table, as on a terminal


def test_a_forced_terminal_layout_is_not_paged(story, monkeypatch):
    import pydoc

    monkeypatch.setattr(pydoc, "pager", lambda text: pytest.fail("paged where no one can press a key"))
    r = story("timeline", "华为技术", env={"KEHU_TTY": "1", "COLUMNS": "200"})
    assert "谈了预算" in r.stdout and "─" in r.stdout


def test_piped_it_is_plain_lines_and_never_paged(story, monkeypatch):
    import pydoc

    monkeypatch.setattr(pydoc, "pager", lambda text: pytest.fail("paged in a pipe"))
    out = story("timeline", "华为技术").stdout
    assert out.splitlines()[0] == "Date\tEvent\tDetail\tBy" and "谈了预算" in out

"""Chinese output is Chinese (issue 17): a scripted tour of commands, their successes and
their refusals, run in Chinese, and no English word in what they print, on stdout or
stderr, but what a user types or reads as a name: customers' and people's names and the
data typed in the tour, ids, currency codes, file paths, `kehu` and its command and
option names, setting names, and the method's acronym SMART.

Also the parts that were English before: promise states, setting hints and descriptions,
an operating system's error texts, the fields an edit changed, the piped agenda's keys,
an urgency's explanation; and `config set` takes Chinese setting names."""

from __future__ import annotations

import errno
import os
import re

import pytest

from kehu import i18n

pytestmark = pytest.mark.today("2026-11-23")

_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = r"(?<![A-Za-z])", r"(?![A-Za-z])"
ALLOWED = re.compile(
    r"kehu(?: [a-z][a-z-]*)*"  # kehu and a command to type: kehu negotiate timing
    r"|(?<=[（(])[a-z][a-z ]*(?=[，）)])"  # the command an operation was: 已撤销 #6（contract sign，…）
    r"|--?[a-z][a-z-]*"  # option names
    r"|[\w.~-]*/[\w./~-]*"  # file paths
    r"|[a-z_]+\.[a-z_.]+"  # setting names (forecast.growth)
    rf"|{_NOT_LETTER_BEFORE}(?:CNY|SMART|KEHU_[A-Z_]+|CSV|UTF-8|GBK|Excel){_NOT_LETTER_AFTER}"
    r"|\+\d+[dwm]|[A-Z]\d+"  # +3d, item ids N1
)


def english_words(text: str) -> list[str]:
    return sorted(set(re.findall(r"[A-Za-z]{2,}", ALLOWED.sub(" ", text))))


TOUR = [
    ("add", "华东电网", "--value", "80万", "--owner", "王磊"),
    ("add", "华东电网"),  # exists
    ("person", "add", "华东", "张伟", "--level", "高层", "--role", "决策者"),
    ("touch", "华东", "--kind", "拜访", "--with", "张伟", "--note", "交流", "--next", "方案", "--next-due", "3天后",
     "--promise", "送样品", "--promise-due", "周五"),
    ("promise", "kept", "1"),
    ("promise", "kept", "1"),  # 已经是“已兑现”
    ("list",), ("next",), ("remind",), ("remind", "--explain"), ("followup", "explain", "N1"),
    ("followup", "explain", "X9"), ("tier",), ("tier", "--explain", "华东"), ("trust", "华东"), ("tasks", "华东"),
    ("advance", "华东"), ("show", "华东"), ("history", "华东"), ("funnel",), ("guide", "list", "华东"),
    ("config", "set", "forecast.stranger", "101"), ("config", "set", "forecast.成长期", "一百"),
    ("config", "set", "没有这项", "1"), ("config", "list"), ("config", "set", "cold_days.成长期", "45"),
    ("contract", "add", "华东", "二期", "--amount", "100万"),
    ("contract", "plan", "1", "-i", "2027-01-01:50万"),
    ("contract", "sign", "1"), ("contract", "sign", "1"), ("contract", "show", "1"), ("pay", "1", "200万"),
    ("negotiate", "1"),
    ("touch", "edit", "1", "--next-due", "2020-01-01"),
    ("touch", "edit", "1", "--next-due", "12月20日", "--note", "改过"),
    ("promise", "edit", "1", "--due", "12月1日"),
    ("followup", "edit", "N1", "--due", "12月21日"),
    ("edit", "华东", "--region", "上海"),
    ("person", "edit", "华东", "张伟", "--title", "主任"),
    ("history", "华东"),
    ("person", "show", "华东", "李四"), ("show", "不存在"), ("list", "--stage", "不存在"),
    ("undo",), ("redo",),
]


def test_a_tour_in_chinese_prints_no_english_word(kehu, tmp_path, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    monkeypatch.setenv("KEHU_USER", "王磊")
    seen = []
    runs = [*TOUR, ("export", "--out", str(tmp_path / "book.db-is-a-file")),
            ("remind", "--ics", str(tmp_path)), ("import", str(tmp_path / "nothing.csv")),
            ("report", "month"), ("report", "年报"), ("report", "week", "--md", str(tmp_path)),
            ("report", "week", "--from", "12月5日", "--to", "12月1日")]
    (tmp_path / "book.db-is-a-file").write_text("x")
    for args in runs:
        r = kehu(*args, code=None)
        text = r.stdout + r.stderr
        seen.append(text)
        assert "Traceback" not in text
        found = english_words(text)
        assert not found, f"kehu {' '.join(args)} (exit {r.exit_code}):\n{text}\nEnglish: {found}"
    everything = "\n".join(seen)
    # the tour went where it meant to: refusals and the worded parts are there
    for expected in ("已经是“已兑现”", "0 到 100 的整数百分比", "这是一个文件夹", "路径中有一段不是文件夹",
                     "截止日期", "下一步截止", "层级 ", "今天",
                     "本期发生了什么", "无法识别的报告周期", "晚于 --to"):
        assert expected in everything, expected


def test_the_probe_sees_english():
    """(The check above must be able to fail.)"""
    assert english_words("承诺 #1 已经是“kept”，不能再改。") == ["kept"]
    assert english_words("无法写入 /tmp/x：Permission denied") == ["Permission", "denied"]
    assert english_words("用 kehu negotiate timing 1 --json 查看；CNY 1,000；SMART目标") == []
    assert english_words("已撤销 #6（contract sign，王磊）；合同 kept") == ["kept"]


@pytest.mark.parametrize("code, zh", [(errno.EACCES, "没有权限"), (errno.EISDIR, "这是一个文件夹"),
                                      (errno.ENOENT, "没有这个文件或文件夹"), (errno.ENOSPC, "磁盘已满")])
def test_operating_system_errors_are_worded_in_chinese(code, zh):
    text = i18n.message("io_error", "zh", error=os.strerror(code))
    assert zh in text and os.strerror(code) not in text
    assert os.strerror(code) in i18n.message("io_error", "en", error=os.strerror(code))
    # a text that is not an operating system's is left alone
    assert "磁盘坏了" in i18n.message("io_error", "zh", error="磁盘坏了")


def test_edits_name_their_fields_in_chinese(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    kehu("add", "华东")
    kehu("touch", "华东", "--next", "方案", "--next-due", "12月1日", "--promise", "样品", "--promise-due", "12月2日")
    r = kehu("promise", "edit", "1", "--due", "12月3日")
    assert "截止日期" in r.stderr and "due" not in r.stderr
    r = kehu("touch", "edit", "1", "--next-due", "12月4日")
    assert "下一步截止" in r.stderr and "next_due" not in r.stderr
    assert "承诺 #1: 截止日期" in kehu("history", "华东").stdout
    assert "next_due" in kehu("--lang", "en", "touch", "edit", "1", "--next-due", "12月5日").stderr


def test_piped_agenda_speaks_the_users_language_with_group_headers(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    kehu("add", "华东")
    kehu("touch", "华东", "--date", "2026-11-01", "--next", "方案", "--next-due", "2026-11-20",
         "--promise", "样品", "--promise-due", "2026-11-23")
    kehu("touch", "华东", "--next", "再访", "--next-due", "2026-11-26")
    lines = kehu("remind").stdout.splitlines()
    assert lines[0] == "已逾期（1 项）" and lines[1].startswith("N1  2026-11-20（逾期 3 天）  华东  下一步：方案")
    assert "今天（1 项）" in lines and "未来 7 天（1 项）" in lines
    assert not english_words("\n".join(lines))
    assert "层级 " in kehu("remind", "--explain").stdout and "tier" not in kehu("remind", "--explain").stdout
    # English and --json keep the keys scripts read
    assert kehu("--lang", "en", "remind").stdout.splitlines()[0].startswith("overdue\t2026-11-20\tN1\t")
    assert kehu.json("remind")[0]["bucket"] == "overdue"
    nxt = kehu("next").stdout
    assert "已逾期（1 项）" in nxt and "next_step" not in nxt


def test_config_set_takes_chinese_setting_names(kehu, monkeypatch):
    kehu("config", "set", "forecast.成长期", "60")
    assert kehu("config", "get", "forecast.growth").stdout == "60\n"
    kehu("config", "set", "cadence.白金", "10")
    kehu("config", "set", "cold_days.考察", "20")  # the short form too
    assert kehu("config", "get", "cold_days.考察期").stdout == "20\n"
    assert kehu.json("config", "list")["cadence.platinum"]["value"] == "10"
    r = kehu("config", "set", "forecast.不存在", "1", code=2)
    assert "forecast.不存在" in r.stderr

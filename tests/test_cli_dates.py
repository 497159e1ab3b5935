"""Dates and amounts as a salesperson types them, through the commands: a month-day
without a year read by the nature of the date, the day kehu understood echoed in the
confirmation, impossible days and contradictory dates refused with the reason.

Every command runs on a Saturday in December, 2026-12-05 (KEHU_TODAY), the month the
issue was tried in: 4月30日 for an instalment is next April, 上周五 is 2026-11-27.
"""

from __future__ import annotations

import pytest

TODAY = "2026-12-05"


@pytest.fixture(autouse=True)
def pinned_today(isolated_book, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", TODAY)


@pytest.fixture
def book(kehu):
    kehu("add", "华为", "--date", "2026-11-01")
    return kehu


def refusal(result) -> str:
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kehu: "), result.stderr
    return result.stderr.strip()


def instalments(kehu, ident="1"):
    return [(i["due"], i["amount"]) for i in kehu.json("contract", "show", ident)["instalments"]]


# ------------------------------------------------------------------ the cases


def test_a_december_instalment_on_4月30日_is_next_april_and_echoed(book):
    book("contract", "add", "华为", "二期", "--amount", "130万")
    r = book("contract", "plan", "1", "-i", "4月30日:130万")
    assert instalments(book) == [("2027-04-30", "1300000.00")]
    assert r.stderr == "Contract #1 payment plan: 1 instalments, 1,300,000 CNY in all (4月30日 = 2027-04-30 Fri)\n"
    r = book("--lang", "zh", "contract", "plan", "1", "-i", "4月30日:100万", "-i", "2027-06-30:30万")
    assert r.stderr == "合同 #1 的付款计划：2 期，共 1,300,000 CNY（4月30日即 2027-04-30 周五）\n"


def test_a_plan_by_month_and_day_then_signed_today_is_not_overdue(book):
    book("contract", "add", "华为", "七期", "--amount", "10万")
    book("contract", "plan", "1", "-i", "3月1日:10万")
    book("contract", "sign", "1")
    assert instalments(book) == [("2027-03-01", "100000.00")]
    assert book.json("contract", "list", "--overdue") == []
    assert book.json("contract", "show", "1")["playbook"] is None


def test_promise_due_3月5日_in_december_is_next_march(book):
    r = book("touch", "华为", "--kind", "daily", "--promise", "报价", "--promise-due", "3月5日")
    [p] = book.json("promise", "list")
    assert (p["made_on"], p["due"]) == (TODAY, "2027-03-05")
    assert "(3月5日 = 2027-03-05 Fri)" in r.stderr.splitlines()[0]


def test_a_touch_back_dated_to_last_friday_with_a_step_next_wednesday(book):
    r = book("--lang", "zh", "touch", "华为", "--kind", "daily", "--date", "上周五",
             "--next", "回访", "--next-due", "下周三")
    [t] = book.json("show", "华为")["touchpoints"]
    assert (t["date"], t["next_due"]) == ("2026-11-27", "2026-12-09")
    first = r.stderr.splitlines()[0]
    assert first.endswith("（上周五即 2026-11-27 周五；下周三即 2026-12-09 周三）"), first


def test_a_date_typed_in_full_is_not_echoed(book):
    r = book("touch", "华为", "--kind", "daily", "--date", "2026-12-01", "--next", "回访", "--next-due", "20261209")
    assert r.stderr == "Recorded touchpoint #1 with 华为 (daily contact, 2026-12-01)\n"


@pytest.mark.parametrize(
    ("args", "line", "echo"),
    [
        (("done", "华为", "plan", "--date", "周五"), 0, "(周五 = 2026-12-04 Fri)"),
        (("advance", "华为", "--force", "--reason", "转介绍", "--date", "昨天"), 0, "(昨天 = 2026-12-04 Fri)"),
        (("contract", "add", "华为", "A", "--amount", "12万5", "--expected", "下个月"), 0,
         "(下个月 = 2027-01-05 Tue)"),
        # added, then signed on the day typed: the signing line says which day that was
        (("contract", "add", "华为", "A", "--amount", "5千", "--status", "signed", "--date", "12月1日"), 1,
         "(12月1日 = 2026-12-01 Tue)"),
    ],
)
def test_the_understood_day_ends_the_confirmation(book, args, line, echo):
    r = book(*args)
    assert r.stderr.splitlines()[line].endswith(echo), r.stderr


def test_advance_date_past_by_nature_takes_the_last_friday(book):
    book("advance", "华为", "--force", "--reason", "转介绍", "--date", "周五")
    [*_, event] = book.json("history", "华为")
    assert event["at"].startswith("2026-12-04")


def test_pay_date_and_the_deadline_of_a_goal(book):
    book("contract", "add", "华为", "A", "--amount", "1万2千", "--status", "signed", "--date", "2026-11-20")
    book("contract", "plan", "1", "-i", "月底:1万2千")
    r = book("pay", "1", "1.2万", "--date", "12-3", code=2)  # 3 could be a month too: refused as ambiguous
    assert "is ambiguous" in refusal(r)
    r = book("pay", "1", "1.2万", "--date", "12月3日")
    assert r.stderr.splitlines()[0].endswith("(12月3日 = 2026-12-03 Thu)")
    assert [(i["due"], i["paid_on"]) for i in book.json("contract", "show", "1")["instalments"]] == [
        ("2026-12-31", "2026-12-03")]
    r = book("negotiate", "goal", "1", "--deadline", "年底")
    assert r.stderr.endswith("(年底 = 2026-12-31 Thu)\n")


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (("--date", "2026-13-01"), "kehu: 日期 2026-13-01 不对：没有13月（月份是 1 到 12）。"),
        (("--next", "x", "--next-due", "2026-02-30"), "kehu: 日期 2026-02-30 不对：2月没有30日。"),
        (("--promise", "x", "--promise-due", "2月30日"), "kehu: 日期 2月30日 不对：2月没有30日。"),
        (("--promise", "x", "--promise-due", "2月29日"), "kehu: 日期 2月29日 不对：2027年不是闰年，2月没有29日。"),
        (("--date", "3/5"), "kehu: 日期 3/5 有歧义（月/日还是日/月？）。请写成 2026-03-05 或 3月5日。"),
    ],
)
def test_an_impossible_day_is_refused_with_what_is_wrong(book, args, zh):
    r = book("--lang", "zh", "touch", "华为", "--kind", "daily", *args, code=2)
    assert refusal(r) == zh
    assert book.json("show", "华为")["touchpoints"] == []


def test_a_day_ahead_is_refused_where_only_the_past_makes_sense(book):
    r = book("touch", "华为", "--kind", "daily", "--date", "下周三", code=2)
    assert refusal(r) == "kehu: --date 2026-12-09 is in the future: only what has happened can be recorded."


def test_a_due_date_before_its_touchpoint_names_both_days(book):
    r = book("touch", "华为", "--kind", "daily", "--date", "周一", "--next", "x", "--next-due", "2026-11-29", code=2)
    assert "--next-due 2026-11-29 is before the touchpoint's date 2026-11-30" in refusal(r)
    assert book.json("show", "华为")["touchpoints"] == []


def test_an_instalment_before_the_signing_day_is_refused(book):
    book("contract", "add", "华为", "A", "--amount", "100", "--status", "signed", "--date", "2026-12-01")
    r = book("contract", "plan", "1", "-i", "2026-11-30:60", "-i", "2027-01-31:40", code=1)
    assert refusal(r) == ("kehu: the instalment due 2026-11-30 is before the signing day 2026-12-01: "
                          "nothing falls due before a contract is signed")
    assert instalments(book) == []


def test_signing_after_the_first_instalment_of_a_plan_is_refused(book):
    book("contract", "add", "华为", "A", "--amount", "100")
    book("contract", "plan", "1", "-i", "2026-12-10:100")
    r = book("contract", "sign", "1", env={"KEHU_TODAY": "2026-12-20"}, code=2)
    assert refusal(r) == ("kehu: contract #1 has an instalment due 2026-12-10, before the signing day 2026-12-20: "
                          "change the plan first (kehu contract plan 1) or the signing date")
    assert book.json("contract", "show", "1")["status"] == "draft"
    book("contract", "sign", "1", "--date", "2026-12-10", env={"KEHU_TODAY": "2026-12-20"})  # on the day: fine
    assert book.json("contract", "show", "1")["signed_on"] == "2026-12-10"


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12万5", "125000.00"), ("5千", "5000.00"), ("1.2亿", "120000000.00"), ("3千万", "30000000.00"),
     ("１２万", "120000.00"), ("12.5万元", "125000.00"), ("¥80万", "800000.00"), ("1万2千", "12000.00")],
)
def test_a_contract_amount_as_typed(book, typed, amount):
    book("contract", "add", "华为", "A", "--amount", typed)
    assert book.json("contract", "show", "1")["amount"] == amount


def test_an_odd_amount_is_refused_not_guessed(book):
    r = book("contract", "add", "华为", "A", "--amount", "12万5千3", code=2)
    assert refusal(r).startswith("kehu: Cannot read the amount '12万5千3'.")
    assert book.json("contract", "list") == []


def test_the_expected_signing_and_a_kept_promise_by_their_nature(book):
    book("contract", "add", "华为", "A", "--amount", "100")
    r = book("contract", "edit", "1", "--expected", "3月5日")
    assert r.stderr == "Contract #1 changed: expected_on (3月5日 = 2027-03-05 Fri)\n"
    assert book.json("contract", "show", "1")["expected_on"] == "2027-03-05"
    book("touch", "华为", "--kind", "daily", "--date", "2026-11-02", "--promise", "报价", "--promise-due", "+30d")
    r = book("promise", "kept", "1", "--date", "11月3日")
    assert r.stderr.startswith("Promise #1: kept (11月3日 = 2026-11-03 Tue)\n")
    assert book.json("promise", "list")[0]["kept_on"] == "2026-11-03"


@pytest.mark.parametrize(("column", "expected"), [("due", "2027-03-05"), ("expected_on", "2027-03-05"),
                                                  ("made_on", "2026-03-05"), ("signed_on", "2026-03-05")])
def test_a_csv_date_column_reads_a_month_day_by_its_nature(column, expected):
    from kehu.csvio.columns import Col
    from kehu.csvio.read import parse_cell

    assert parse_cell(Col(column, "日期", "date"), "3月5日", "en").isoformat() == expected


# ------------------------------------------------------------------ every write command echoes

# Every write command that takes a date, each date option typed in a relative or partial
# form, in one book, in order: (command, arguments, the echo in Chinese, in English).
ECHOES = [
    ("add", ["华东", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("edit", ["华东", "--added", "12月1日"], "12月1日即 2026-12-01 周二", "12月1日 = 2026-12-01 Tue"),
    ("touch add", ["华东", "--date", "上周五", "--next", "方案", "--next-due", "下周三", "--promise", "样品",
                   "--promise-due", "周五"],
     "上周五即 2026-11-27 周五；下周三即 2026-12-09 周三；周五即 2026-12-11 周五",
     "上周五 = 2026-11-27 Fri; 下周三 = 2026-12-09 Wed; 周五 = 2026-12-11 Fri"),
    ("touch edit", ["1", "--date", "昨天", "--next-due", "月底", "--promise-due", "两周后"],
     "昨天即 2026-12-04 周五；月底即 2026-12-31 周四；两周后即 2026-12-19 周六",
     "昨天 = 2026-12-04 Fri; 月底 = 2026-12-31 Thu; 两周后 = 2026-12-19 Sat"),
    ("followup edit", ["N1", "--due", "后天"], "后天即 2026-12-07 周一", "后天 = 2026-12-07 Mon"),
    ("followup done", ["N1", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("promise edit", ["1", "--due", "下个月"], "下个月即 2027-01-05 周二", "下个月 = 2027-01-05 Tue"),
    ("promise kept", ["1", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("touch add", ["华东", "--promise", "报价", "--promise-due", "+3d"], "+3d即 2026-12-08 周二",
     "+3d = 2026-12-08 Tue"),
    ("promise broken", ["2", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("done", ["华东", "客户规划", "--date", "12月2日"], "12月2日即 2026-12-02 周三", "12月2日 = 2026-12-02 Wed"),
    ("advance", ["华东", "--force", "--reason", "转介绍", "--date", "昨天"], "昨天即 2026-12-04 周五",
     "昨天 = 2026-12-04 Fri"),
    ("drop", ["华东", "--reason", "付不起", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("reopen", ["华东", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("contract add", ["华东", "一期", "--amount", "100万", "--expected", "年底"], "年底即 2026-12-31 周四",
     "年底 = 2026-12-31 Thu"),
    ("contract edit", ["1", "--expected", "下周五"], "下周五即 2026-12-11 周五", "下周五 = 2026-12-11 Fri"),
    ("contract plan", ["1", "-i", "3月1日:50万", "-i", "2027-06-01:50万"], "3月1日即 2027-03-01 周一",
     "3月1日 = 2027-03-01 Mon"),
    ("contract sign", ["1", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("pay", ["1", "10万", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("contract complete", ["1", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("contract add", ["华东", "二期", "--amount", "10万", "--status", "signed", "--date", "-2d"],
     "-2d即 2026-12-03 周四", "-2d = 2026-12-03 Thu"),
    ("contract add", ["华东", "三期", "--amount", "10万"], None, None),
    ("contract lose", ["3", "--reason", "价格", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("contract reopen", ["3", "--reason", "误标", "--date", "今天"], "今天即 2026-12-05 周六",
     "今天 = 2026-12-05 Sat"),
    ("negotiate timing", ["3", "条件", "依据", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("negotiate issue", ["3", "首付", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("negotiate settle", ["1", "trade", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("negotiate goal", ["3", "--deadline", "一周后"], "一周后即 2026-12-12 周六", "一周后 = 2026-12-12 Sat"),
    ("qualify", ["华东", "需求", "好", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("complaint add", ["华东", "交付延迟", "--date", "昨天", "--call-back", "后天"],
     "昨天即 2026-12-04 周五；后天即 2026-12-07 周一", "昨天 = 2026-12-04 Fri; 后天 = 2026-12-07 Mon"),
    ("complaint step", ["Q1", "倾听", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("complaint resolve", ["Q1", "--date", "今天"], "今天即 2026-12-05 周六", "今天 = 2026-12-05 Sat"),
    ("review", ["1", "--results", "按期上线", "--date", "昨天"], "昨天即 2026-12-04 周五", "昨天 = 2026-12-04 Fri"),
    ("guide step", ["华东", "hq_visit", "N1", "plan", "--date", "昨天"], "昨天即 2026-12-04 周五",
     "昨天 = 2026-12-04 Fri"),
]
DATE_OPTIONS = {"--date", "--added", "--due", "--next-due", "--promise-due", "--expected", "--deadline", "-i",
                "--call-back"}


def test_every_write_command_echoes_the_day_it_understood(kehu):
    """(touch edit, promise edit, followup edit, edit --added and contract reopen said
    nothing of the day they took.) The lines alternate Chinese and English: both wordings
    of the echo are checked, each command once (the echo is the same code in both)."""
    for n, (path, args, zh, en) in enumerate(ECHOES):
        lang = ("zh", "en")[n % 2]
        r = kehu("--lang", lang, *path.split(), *args)
        if zh is None:
            continue
        echo = f"（{zh}）" if lang == "zh" else f" ({en})"
        lines = [line for line in r.stderr.splitlines() if line.endswith(echo)]
        assert len(lines) == 1, f"kehu --lang {lang} {path} {' '.join(args)}:\n{r.stderr}"
        assert r.stderr.count(echo) == 1  # on one line, once


def test_every_date_option_of_a_write_command_is_in_the_echo_table():
    """A write command (tests/test_undo.py) given a date option later joins ECHOES."""
    from test_help import commands
    from test_undo import NOT_UNDONE

    typed = {(path, a) for path, args, _, _ in ECHOES for a in args if a in DATE_OPTIONS}
    missing = []
    for path, cmd in commands():
        if path in NOT_UNDONE or getattr(cmd, "commands", None):
            continue
        for param in cmd.params:
            names = set(getattr(param, "opts", ())) & DATE_OPTIONS
            name = next(iter(names), None)
            if name is not None and (path, name) not in typed:
                missing.append((path, name))
    assert missing == []
    assert len(typed) >= 30

"""Dates and names as a user types them: the forms accepted and the ones refused.

Pure functions only (kehu.dates, kehu.rules.names); every date is parsed against an
explicit base day, never the clock: a Sunday in March, a Saturday in December
(2026-12-05) and a Monday in June (2026-06-15), in both directions (FUTURE: a due date;
PAST: the day something happened).
"""

from __future__ import annotations

from datetime import date

import re
from pathlib import Path

import pytest

from kehu.dates import FORMS, FUTURE, PAST, form_of, is_full, parse_date
from kehu.errors import ExitCode, UsageError
from kehu.i18n import error_message
from kehu.rules.names import clean_name, name_key

BASE = date(2026, 3, 15)  # a Sunday
DEC = date(2026, 12, 5)  # a Saturday: its week runs from Monday 11-30 to Sunday 12-06
JUN = date(2026, 6, 15)  # a Monday: its week runs from 06-15 to 06-21


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # absolute
        ("2026-03-05", date(2026, 3, 5)),
        ("2026-3-5", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("2026/03/05", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2025-12-31", date(2025, 12, 31)),
        ("2028-02-29", date(2028, 2, 29)),
        ("  2026-03-05  ", date(2026, 3, 5)),
        ("２０２６－０３－０５", date(2026, 3, 5)),  # full-width, as a Chinese IME types it
        ("20261231", date(2026, 12, 31)),
        ("20260305", date(2026, 3, 5)),
        ("２０２６１２３１", date(2026, 12, 31)),
        # Chinese
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026年03月05日", date(2026, 3, 5)),
        ("2026年3月5号", date(2026, 3, 5)),
        ("2026年3月5", date(2026, 3, 5)),
        ("2026 年 3 月 5 日", date(2026, 3, 5)),
        # words
        ("today", BASE),
        ("TODAY", BASE),
        ("Today", BASE),
        ("今天", BASE),
        ("今日", BASE),
        ("tomorrow", date(2026, 3, 16)),
        ("明天", date(2026, 3, 16)),
        ("明日", date(2026, 3, 16)),
        ("后天", date(2026, 3, 17)),
        ("大后天", date(2026, 3, 18)),
        ("yesterday", date(2026, 3, 14)),
        ("昨天", date(2026, 3, 14)),
        ("昨日", date(2026, 3, 14)),
        ("前天", date(2026, 3, 13)),
        ("大前天", date(2026, 3, 12)),
        # offsets
        ("+3d", date(2026, 3, 18)),
        ("+0d", BASE),
        ("-1d", date(2026, 3, 14)),
        ("+2w", date(2026, 3, 29)),
        ("-2w", date(2026, 3, 1)),
        ("+1m", date(2026, 4, 15)),
        ("-1m", date(2026, 2, 15)),
        ("+12m", date(2027, 3, 15)),
        ("+30d", date(2026, 4, 14)),
        ("+3D", date(2026, 3, 18)),
        ("+ 3d", date(2026, 3, 18)),
        ("＋３ｄ", date(2026, 3, 18)),
        ("3天后", date(2026, 3, 18)),
        ("3天前", date(2026, 3, 12)),
        ("2周后", date(2026, 3, 29)),
        ("1周前", date(2026, 3, 8)),
        ("1个月后", date(2026, 4, 15)),
        ("2个月前", date(2026, 1, 15)),
        ("1月后", date(2026, 4, 15)),
        # ... with Chinese numerals, and weeks called 星期 or 礼拜
        ("三天后", date(2026, 3, 18)),
        ("一周后", date(2026, 3, 22)),
        ("两周后", date(2026, 3, 29)),
        ("十天后", date(2026, 3, 25)),
        ("十五天前", date(2026, 2, 28)),
        ("二十天后", date(2026, 4, 4)),
        ("二十五天前", date(2026, 2, 18)),
        ("九十九天后", date(2026, 6, 22)),
        ("两个月前", date(2026, 1, 15)),
        ("一个星期后", date(2026, 3, 22)),
        ("2星期后", date(2026, 3, 29)),
        ("3个礼拜前", date(2026, 2, 22)),
        # weeks of their own (Monday first): 3-15 is the Sunday ending the week of 3-09
        ("本周五", date(2026, 3, 13)),
        ("这周五", date(2026, 3, 13)),
        ("这个星期一", date(2026, 3, 9)),
        ("本周日", BASE),
        ("下周三", date(2026, 3, 18)),
        ("下个周三", date(2026, 3, 18)),
        ("下星期天", date(2026, 3, 22)),
        ("下礼拜一", date(2026, 3, 16)),
        ("上周五", date(2026, 3, 6)),
        ("上个礼拜六", date(2026, 3, 7)),
        ("下周", date(2026, 3, 16)),
        ("下个星期", date(2026, 3, 16)),
        ("下礼拜", date(2026, 3, 16)),
        ("下个月", date(2026, 4, 15)),
        ("下月", date(2026, 4, 15)),
        ("月底", date(2026, 3, 31)),
        ("本月底", date(2026, 3, 31)),
        ("年底", date(2026, 12, 31)),
        ("今年年底", date(2026, 12, 31)),
    ],
)
def test_a_form_that_names_its_day_is_the_same_both_ways(text, expected):
    assert parse_date(text, FUTURE, BASE) == expected
    assert parse_date(text, PAST, BASE) == expected


@pytest.mark.parametrize(
    ("base", "text", "ahead", "behind"),
    [
        # A month and day without a year: the next one for a due date, the most recent for
        # a day something happened; today counts as both.
        (DEC, "3月5日", date(2027, 3, 5), date(2026, 3, 5)),
        (DEC, "4月30日", date(2027, 4, 30), date(2026, 4, 30)),
        (DEC, "3月5号", date(2027, 3, 5), date(2026, 3, 5)),
        (DEC, "12月5日", DEC, DEC),
        (DEC, "12月6日", date(2026, 12, 6), date(2025, 12, 6)),
        (DEC, "12月4日", date(2027, 12, 4), date(2026, 12, 4)),
        (DEC, "12-31", date(2026, 12, 31), date(2025, 12, 31)),
        (DEC, "12/31", date(2026, 12, 31), date(2025, 12, 31)),
        (DEC, "1/15", date(2027, 1, 15), date(2026, 1, 15)),
        (DEC, "1.31", date(2027, 1, 31), date(2026, 1, 31)),
        (JUN, "3月5日", date(2027, 3, 5), date(2026, 3, 5)),
        (JUN, "6月15日", JUN, JUN),
        (JUN, "12月31日", date(2026, 12, 31), date(2025, 12, 31)),
        (JUN, "6-30", date(2026, 6, 30), date(2025, 6, 30)),
        (JUN, "6-14", date(2027, 6, 14), date(2026, 6, 14)),
        (date(2028, 1, 10), "2月29日", date(2028, 2, 29), None),
        (date(2028, 3, 10), "2月29日", None, date(2028, 2, 29)),
        # A bare weekday: the next one ahead, the last one behind; today counts as both.
        (DEC, "周五", date(2026, 12, 11), date(2026, 12, 4)),
        (DEC, "星期五", date(2026, 12, 11), date(2026, 12, 4)),
        (DEC, "礼拜五", date(2026, 12, 11), date(2026, 12, 4)),
        (DEC, "周六", DEC, DEC),
        (DEC, "周日", date(2026, 12, 6), date(2026, 11, 29)),
        (DEC, "星期天", date(2026, 12, 6), date(2026, 11, 29)),
        (DEC, "周一", date(2026, 12, 7), date(2026, 11, 30)),
        (JUN, "周五", date(2026, 6, 19), date(2026, 6, 12)),
        (JUN, "周一", JUN, JUN),
        (JUN, "周日", date(2026, 6, 21), date(2026, 6, 14)),
        # The forms that name their day, in the two months the issue was tried in.
        (DEC, "下周三", date(2026, 12, 9), date(2026, 12, 9)),
        (DEC, "本周五", date(2026, 12, 4), date(2026, 12, 4)),
        (DEC, "本周日", date(2026, 12, 6), date(2026, 12, 6)),
        (DEC, "下周五", date(2026, 12, 11), date(2026, 12, 11)),
        (DEC, "上周五", date(2026, 11, 27), date(2026, 11, 27)),
        (DEC, "下周", date(2026, 12, 7), date(2026, 12, 7)),
        (DEC, "下个月", date(2027, 1, 5), date(2027, 1, 5)),
        (DEC, "月底", date(2026, 12, 31), date(2026, 12, 31)),
        (DEC, "年底", date(2026, 12, 31), date(2026, 12, 31)),
        (DEC, "后天", date(2026, 12, 7), date(2026, 12, 7)),
        (DEC, "大后天", date(2026, 12, 8), date(2026, 12, 8)),
        (DEC, "一周后", date(2026, 12, 12), date(2026, 12, 12)),
        (DEC, "两周后", date(2026, 12, 19), date(2026, 12, 19)),
        (DEC, "三天后", date(2026, 12, 8), date(2026, 12, 8)),
        (DEC, "两个月后", date(2027, 2, 5), date(2027, 2, 5)),
        (DEC, "20261231", date(2026, 12, 31), date(2026, 12, 31)),
        (JUN, "下周三", date(2026, 6, 24), date(2026, 6, 24)),
        (JUN, "本周五", date(2026, 6, 19), date(2026, 6, 19)),
        (JUN, "下周五", date(2026, 6, 26), date(2026, 6, 26)),
        (JUN, "上周五", date(2026, 6, 12), date(2026, 6, 12)),
        (JUN, "下周", date(2026, 6, 22), date(2026, 6, 22)),
        (JUN, "下个月", date(2026, 7, 15), date(2026, 7, 15)),
        (JUN, "月底", date(2026, 6, 30), date(2026, 6, 30)),
        (JUN, "年底", date(2026, 12, 31), date(2026, 12, 31)),
        (JUN, "后天", date(2026, 6, 17), date(2026, 6, 17)),
        (JUN, "大后天", date(2026, 6, 18), date(2026, 6, 18)),
        (JUN, "一周后", date(2026, 6, 22), date(2026, 6, 22)),
        (JUN, "两周后", date(2026, 6, 29), date(2026, 6, 29)),
        (JUN, "三天后", date(2026, 6, 18), date(2026, 6, 18)),
        (JUN, "20261231", date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_day_in_december_and_in_june_both_ways(base, text, ahead, behind):
    for toward, expected in ((FUTURE, ahead), (PAST, behind)):
        if expected is not None:
            assert parse_date(text, toward, base) == expected, toward


@pytest.mark.parametrize(
    ("base", "text", "expected"),
    [
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),  # clamps to the month's end
        (date(2028, 1, 31), "+1m", date(2028, 2, 29)),
        (date(2026, 3, 31), "-1m", date(2026, 2, 28)),
        (date(2026, 1, 31), "下个月", date(2026, 2, 28)),  # the same day next month, clamped
        (date(2028, 1, 31), "下个月", date(2028, 2, 29)),
        (date(2026, 10, 31), "下个月", date(2026, 11, 30)),
        (date(2028, 2, 3), "月底", date(2028, 2, 29)),
        (date(2026, 2, 3), "月底", date(2026, 2, 28)),
        (date(2026, 12, 31), "+1d", date(2027, 1, 1)),
        (date(2026, 12, 31), "明天", date(2027, 1, 1)),
        (date(2026, 12, 31), "下周", date(2027, 1, 4)),  # a Thursday: next week starts in January
        (date(2026, 12, 31), "下周三", date(2027, 1, 6)),
        (date(2027, 1, 2), "上周五", date(2026, 12, 25)),
        (date(2027, 6, 1), "3月5日", date(2028, 3, 5)),
        (date(2026, 2, 28), "1个月后", date(2026, 3, 28)),
    ],
)
def test_parse_date_calendar_arithmetic(base, text, expected):
    assert parse_date(text, FUTURE, base) == expected


@pytest.mark.parametrize(
    ("base", "text", "toward", "key", "params"),
    [
        (DEC, "2026-13-01", FUTURE, "no_such_month", {"month": 13}),
        (DEC, "2026-00-10", PAST, "no_such_month", {"month": 0}),
        (DEC, "20261301", FUTURE, "no_such_month", {"month": 13}),
        (DEC, "2026年13月1日", PAST, "no_such_month", {"month": 13}),
        (DEC, "13月1日", FUTURE, "no_such_month", {"month": 13}),
        (DEC, "2026-02-30", FUTURE, "no_such_day", {"month": 2, "day": 30}),
        (DEC, "20260230", PAST, "no_such_day", {"month": 2, "day": 30}),
        (DEC, "2026年2月30日", PAST, "no_such_day", {"month": 2, "day": 30}),
        (DEC, "2月30日", FUTURE, "no_such_day", {"month": 2, "day": 30}),
        (DEC, "2026-04-31", FUTURE, "no_such_day", {"month": 4, "day": 31}),
        (DEC, "4-31", FUTURE, "no_such_day", {"month": 4, "day": 31}),
        (DEC, "2026-03-00", FUTURE, "no_such_day", {"month": 3, "day": 0}),
        (DEC, "2026-1-32", FUTURE, "no_such_day", {"month": 1, "day": 32}),
        (DEC, "2027-02-29", FUTURE, "not_leap_year", {"year": 2027}),
        (DEC, "2月29日", FUTURE, "not_leap_year", {"year": 2027}),  # the next February 29 is 2028's: said, not taken
        (DEC, "2月29日", PAST, "not_leap_year", {"year": 2026}),
    ],
)
def test_an_impossible_day_says_what_is_wrong(base, text, toward, key, params):
    with pytest.raises(UsageError) as info:
        parse_date(text, toward, base)
    assert info.value.key == key
    assert info.value.params == {"value": text, **params}
    assert info.value.code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("2026-13-01", "日期 2026-13-01 不对：没有13月（月份是 1 到 12）。",
         "The date '2026-13-01' is wrong: there is no month 13 (months are 1 to 12)."),
        ("2026-02-30", "日期 2026-02-30 不对：2月没有30日。", "The date '2026-02-30' is wrong: month 2 has no day 30."),
        ("2027-02-29", "日期 2027-02-29 不对：2027年不是闰年，2月没有29日。",
         "The date '2027-02-29' is wrong: 2027 is not a leap year, February has no 29th."),
    ],
)
def test_an_impossible_day_in_both_languages(text, zh, en):
    with pytest.raises(UsageError) as info:
        parse_date(text, FUTURE, DEC)
    assert (error_message(info.value, "zh"), error_message(info.value, "en")) == (zh, en)


@pytest.mark.parametrize(
    ("base", "text", "toward"),
    [
        (date(2199, 12, 31), "1月1日", FUTURE),
        (date(2199, 12, 31), "明天", PAST),
        (date(2199, 12, 31), "下周", FUTURE),
        (date(1900, 1, 1), "12月31日", PAST),
        (date(1900, 1, 1), "上周五", PAST),
        (DEC, "2200-01-01", FUTURE),
        (DEC, "18991231", PAST),
    ],
)
def test_a_day_outside_the_book_years_is_out_of_range(base, text, toward):
    with pytest.raises(UsageError) as info:
        parse_date(text, toward, base)
    assert info.value.key == "date_out_of_range"


@pytest.mark.parametrize(
    "text",
    ["01/02/2026", "1/2/2026", "01-02-2026", "05.03.26", "3/5", "3-5", "12/11", "13/5", "31/12"],
)
def test_parse_date_refuses_day_month_ambiguity(text):
    # 12-31 can only be December 31st; 3/5 may be March 5 or May 3, and 31/12 is the
    # day-first order kehu does not read.
    with pytest.raises(UsageError) as info:
        parse_date(text, FUTURE, BASE)
    assert info.value.key == "ambiguous_date"
    assert info.value.params == {"value": text}
    assert info.value.code == ExitCode.USAGE
    assert "2026-03-05" in error_message(info.value, "en")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Q3 2026",
        "next week",
        "3d",
        "+3",
        "+3y",
        "2026",
        "2026-03",
        "2026123",
        "202612310",
        "5 March 2026",
        "March 5",
        "+3d tomorrow",
        "3月",
        "三月五日",
        "明年3月5日",
        "两十天后",
        "十两天后",
        "十十天后",
        "一二天后",
        "一百天后",
        "三个天后",
        "下下周三",
        "下周八",
        "周",
        "上周",
        "本周",
        "上个月",
        "下个月底",
        "本个周五",
        "周五下午",
        "月初",
    ],
)
def test_parse_date_refuses_everything_else(text):
    for toward in (FUTURE, PAST):
        with pytest.raises(UsageError) as info:
            parse_date(text, toward, BASE)
        assert info.value.key == "bad_date"
        assert info.value.params == {"value": text}
        assert info.value.code == ExitCode.USAGE


def test_the_direction_is_one_of_the_two():
    with pytest.raises(ValueError):
        parse_date("3月5日", "this year", BASE)  # type: ignore[arg-type]


def test_bad_date_message_says_what_is_accepted():
    with pytest.raises(UsageError) as info:
        parse_date("Q3 2026", FUTURE, BASE)
    assert error_message(info.value, "en").startswith(
        "Cannot read the date 'Q3 2026'. Use 2026-03-05, 20261231, 2026年3月5日, 3月5日, 12-31, today, ")
    assert error_message(info.value, "zh").startswith("无法识别的日期：Q3 2026。可用：2026-03-05、20261231、")


@pytest.mark.parametrize(
    ("text", "full"),
    [("2026-03-05", True), ("2026/3/5", True), ("20261231", True), ("2026年3月5日", True),
     ("3月5日", False), ("12-31", False), ("下周三", False), ("今天", False), ("+3d", False),
     ("三天后", False), ("月底", False), ("nonsense", False)],
)
def test_only_a_date_with_its_year_month_and_day_is_full(text, full):
    assert is_full(text) is full


# --- the documented forms ----------------------------------------------------------------

DOC = (Path(__file__).resolve().parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")


def _doc_examples() -> set[str]:
    """The forms in the example column of the table in docs/commands.md's Dates section."""
    section = re.search(r"^## Dates\n(.*?)^## ", DOC, re.M | re.S)
    assert section, "docs/commands.md has no Dates section"
    rows = [line.split("|") for line in section.group(1).splitlines() if line.startswith("| ")]
    assert rows[0][2].strip() == "examples"
    return {x for row in rows[1:] for x in re.findall(r"`([^`]+)`", row[2])}


def test_the_docs_list_exactly_the_forms_the_parser_has():
    examples = {x for form in FORMS for x in form.examples}
    assert _doc_examples() == examples


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_each_documented_example_is_read_by_its_own_form(form):
    for example in form.examples:
        assert form_of(example) is form, example
        for base in (DEC, JUN):
            parse_date(example, FUTURE, base)
            parse_date(example, PAST, base)


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" 华为 ", "华为"),
        ("华为", "华为"),
        ("ＡＣＭＥ", "ACME"),  # NFKC: full-width Latin
        ("ACME  Ltd", "ACME Ltd"),
        ("\tACME\n Ltd\u3000", "ACME Ltd"),  # tab, newline, ideographic space
        ("ACME\u00a0Ltd", "ACME Ltd"),  # no-break space
        ("Foo [/x]", "Foo [/x]"),
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (" 华为 ", "华为"),
        ("ＡＣＭＥ", "acme"),
        ("ＡＣＭＥ", "ACME"),
        ("Acme  Ltd", "acme ltd"),
        ("ACME\u3000LTD", "acme ltd"),
        ("Straße", "STRASSE"),  # casefold, not lower
        ("华为 技术", "华为\t技术"),
    ],
)
def test_name_key_same(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("华为", "华 为"),
        ("ACME", "ACME Ltd"),
        ("华为", "華為"),  # simplified and traditional are different names
    ],
)
def test_name_key_different(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_exact():
    assert name_key("  ＡＣＭＥ   Trading\u3000Co ") == "acme trading co"

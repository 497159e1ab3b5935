"""Dates and names as a user types them: the forms accepted and the ones refused.

Pure functions only (kehu.dates, kehu.rules.names); every date is parsed against an
explicit base day, never the clock.
"""

from __future__ import annotations

from datetime import date

import pytest

from kehu.dates import parse_date
from kehu.errors import ExitCode, UsageError
from kehu.i18n import error_message
from kehu.rules.names import clean_name, name_key

BASE = date(2026, 3, 15)


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
        # Chinese
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026年03月05日", date(2026, 3, 5)),
        ("2026年3月5号", date(2026, 3, 5)),
        ("2026年3月5", date(2026, 3, 5)),
        ("2026 年 3 月 5 日", date(2026, 3, 5)),
        ("3月5日", date(2026, 3, 5)),  # this year, i.e. the base's year
        ("12月31日", date(2026, 12, 31)),
        ("3月5号", date(2026, 3, 5)),
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
        ("yesterday", date(2026, 3, 14)),
        ("昨天", date(2026, 3, 14)),
        ("昨日", date(2026, 3, 14)),
        ("前天", date(2026, 3, 13)),
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
    ],
)
def test_parse_date_accepted_forms(text, expected):
    assert parse_date(text, BASE) == expected


@pytest.mark.parametrize(
    ("base", "text", "expected"),
    [
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),  # clamps to the month's end
        (date(2028, 1, 31), "+1m", date(2028, 2, 29)),
        (date(2026, 3, 31), "-1m", date(2026, 2, 28)),
        (date(2026, 12, 31), "+1d", date(2027, 1, 1)),
        (date(2026, 12, 31), "明天", date(2027, 1, 1)),
        (date(2027, 6, 1), "3月5日", date(2027, 3, 5)),
        (date(2026, 2, 28), "1个月后", date(2026, 3, 28)),
    ],
)
def test_parse_date_calendar_arithmetic(base, text, expected):
    assert parse_date(text, base) == expected


@pytest.mark.parametrize(
    "text",
    ["01/02/2026", "1/2/2026", "01-02-2026", "05.03.26", "3/5", "12/31"],
)
def test_parse_date_refuses_day_month_ambiguity(text):
    with pytest.raises(UsageError) as info:
        parse_date(text, BASE)
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
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2027-02-29",
        "2月30日",
        "2026年2月30日",
        "next week",
        "3d",
        "+3",
        "+3y",
        "2026",
        "2026-03",
        "20260305",
        "5 March 2026",
        "March 5",
        "+3d tomorrow",
        "三天后",
    ],
)
def test_parse_date_refuses_everything_else(text):
    with pytest.raises(UsageError) as info:
        parse_date(text, BASE)
    assert info.value.key == "bad_date"
    assert info.value.params == {"value": text}
    assert info.value.code == ExitCode.USAGE


def test_bad_date_message_says_what_is_accepted():
    with pytest.raises(UsageError) as info:
        parse_date("Q3 2026", BASE)
    assert error_message(info.value, "en") == (
        "Cannot read the date 'Q3 2026'. Use 2026-03-05, 2026/3/5, 2026年3月5日, 3月5日, "
        "today, tomorrow, +3d, +2w or -1d"
    )


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

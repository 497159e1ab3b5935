"""The one place dates and datetimes typed by a user are parsed.

A small, documented set of forms is accepted (``FORMS``, the table docs/commands.md
shows); anything else is refused with a hint rather than guessed (dateutil's parser
invents dates from "Q3 2026" and flips ISO dates with dayfirst, so it is not used here).
dateutil's relativedelta does the calendar arithmetic for month offsets.

A few forms name a day without saying which one: a month and day without a year (3月5日,
12-31) and a bare weekday (周五). The caller says which way such a day lies by nature
(``FUTURE``: a due date, an instalment, an expected signing, a deadline; ``PAST``: the day
something happened), and the parser takes the next such day or the most recent one;
today counts as both. Every other form names one day whatever the direction.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from kehu.errors import UsageError

Toward = Literal["future", "past"]
FUTURE: Toward = "future"
PAST: Toward = "past"

# Chinese numerals as people write small counts: 一 to 九十九 (十, 十五, 二十, 二十五), 两 for 2.
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_COUNT = r"[一二两三四五六七八九十]{1,3}"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WORDS = {
    "today": 0, "今天": 0, "今日": 0,
    "tomorrow": 1, "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
    "yesterday": -1, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3,
}


def _count(text: str) -> int | None:
    """A count in Arabic digits or small Chinese numerals (三, 十五, 二十); None if not one."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "两" in tens + units or "十" in units:
        return None
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _check(value: str, month: int, day: int) -> None:
    """A month and a day that exist in some year: else say which part is wrong."""
    if not 1 <= month <= 12:
        raise UsageError("no_such_month", value=value, month=month)
    if not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise UsageError("no_such_day", value=value, month=month, day=day)


def _make(value: str, y: int, m: int, d: int) -> date:
    _check(value, m, d)
    if not 1900 <= y <= 2199:
        raise UsageError("date_out_of_range", value=f"{y:04d}-{m:02d}-{d:02d}")
    if m == 2 and d == 29 and not calendar.isleap(y):
        raise UsageError("not_leap_year", value=value, year=y)
    return date(y, m, d)


def _in_range(day: date) -> date:
    # A salesperson's book spans decades, not millennia; year 1 breaks time zone maths.
    if not 1900 <= day.year <= 2199:
        raise UsageError("date_out_of_range", value=day.isoformat())
    return day


def _add(base: date, *, days: int = 0, months: int = 0) -> date:
    if months:
        from dateutil.relativedelta import relativedelta

        return _in_range(base + relativedelta(months=months))  # the 31st clamps to a shorter month's end
    return _in_range(base + timedelta(days=days))


def _shift(base: date, n: int, unit: str) -> date:
    if unit in ("d", "天"):
        return _add(base, days=n)
    if unit in ("w", "周", "星期", "礼拜"):
        return _add(base, days=7 * n)
    return _add(base, months=n)


def _month_day(value: str, base: date, toward: Toward, month: int, day: int) -> date:
    """A month and day without a year: the next such day (future) or the most recent (past)."""
    _check(value, month, day)
    year = base.year
    if toward == FUTURE and (month, day) < (base.month, base.day):
        year += 1
    elif toward == PAST and (month, day) > (base.month, base.day):
        year -= 1
    return _make(value, year, month, day)


def _monday(base: date) -> date:
    # Chinese calendars and speech start the week on Monday: 本周日 is the end of this week.
    return base - timedelta(days=base.weekday())


# ------------------------------------------------------------------ the forms


@dataclass(frozen=True)
class Form:
    """One accepted way of writing a day: its pattern, how it resolves, and the examples
    docs/commands.md shows (tests/test_dates.py holds the two in step)."""

    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], str, date, Toward], date]
    examples: tuple[str, ...]
    full: bool = False  # names the year, month and day itself: nothing to echo back


def _ymd(m, value, base, toward):
    return _make(value, int(m[1]), int(m[2]), int(m[3]))


def _cn_month_day(m, value, base, toward):
    return _month_day(value, base, toward, int(m[1]), int(m[2]))


def _numeric_month_day(m, value, base, toward):
    # 12-31 can only be the 31st of December; 3/5 may be March 5 or May 3: refused.
    month, day = int(m[1]), int(m[2])
    if month > 12 or day <= 12:
        raise UsageError("ambiguous_date", value=value)
    return _month_day(value, base, toward, month, day)


def _word(m, value, base, toward):
    return _add(base, days=_WORDS[m[0]])


def _offset(m, value, base, toward):
    return _shift(base, int(m[2]) * (1 if m[1] == "+" else -1), m[3])


def _cn_offset(m, value, base, toward):
    n = _count(m[1])
    if n is None:
        raise UsageError("bad_date", value=value)
    unit = m[2].removeprefix("个")
    return _shift(base, n * (1 if m[3] == "后" else -1), unit)


def _weekday(m, value, base, toward):
    which, wd = m[1] or "", _WEEKDAY[m[3]]
    if not which:
        if toward == FUTURE:
            return _add(base, days=(wd - base.weekday()) % 7)
        return _add(base, days=-((base.weekday() - wd) % 7))
    weeks = {"下": 1, "上": -1}.get(which[0], 0)
    return _add(_monday(base), days=7 * weeks + wd)


def _next_week(m, value, base, toward):
    return _add(_monday(base), days=7)


def _next_month(m, value, base, toward):
    return _add(base, months=1)


def _month_end(m, value, base, toward):
    return base.replace(day=calendar.monthrange(base.year, base.month)[1])


def _year_end(m, value, base, toward):
    return base.replace(month=12, day=31)


_WEEK = r"(周|星期|礼拜)"
FORMS: tuple[Form, ...] = (
    Form("ymd", re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), _ymd,
         ("2026-03-05", "2026/3/5", "2026.3.5"), full=True),
    Form("compact", re.compile(r"^(\d{4})(\d{2})(\d{2})$"), _ymd, ("20261231",), full=True),
    Form("cn_full", re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"), _ymd,
         ("2026年3月5日", "2026年3月5号"), full=True),
    Form("cn_month_day", re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"), _cn_month_day,
         ("3月5日", "3月5号")),
    Form("month_day", re.compile(r"^(\d{1,2})[-/.](\d{1,2})$"), _numeric_month_day, ("12-31", "12/31")),
    Form("word", re.compile("^(" + "|".join(_WORDS) + ")$"), _word,
         ("today", "今天", "今日", "tomorrow", "明天", "明日", "后天", "大后天",
          "yesterday", "昨天", "昨日", "前天", "大前天")),
    Form("offset", re.compile(r"^([+-])\s*(\d{1,4})\s*([dwm])$"), _offset, ("+3d", "-1d", "+2w", "+1m")),
    Form("cn_offset",
         re.compile(r"^(\d{1,4}|" + _CN_COUNT + r")\s*(天|周|个?星期|个?礼拜|个?月)\s*(后|前)$"), _cn_offset,
         ("3天后", "三天后", "3天前", "一周后", "两周后", "2个星期后", "1个月后", "两个月前")),
    Form("weekday", re.compile(r"^(本|这个?|下个?|上个?)?" + _WEEK + r"([一二三四五六日天])$"), _weekday,
         ("周五", "星期五", "礼拜五", "本周五", "这周五", "下周三", "下个星期五", "上周五")),
    Form("next_week", re.compile(r"^下个?" + _WEEK + "$"), _next_week, ("下周", "下个星期", "下礼拜")),
    Form("next_month", re.compile(r"^下个?月$"), _next_month, ("下个月", "下月")),
    Form("month_end", re.compile(r"^本?月底$"), _month_end, ("月底", "本月底")),
    Form("year_end", re.compile(r"^(今年)?年底$"), _year_end, ("年底", "今年年底")),
)
# Day and month that could be swapped, with a year (05-03-2026, 1/2/26): refused as ambiguous.
_AMBIGUOUS = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def _normal(value: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", value).strip().lower()


def today() -> date:
    """The local calendar day. KEHU_TODAY (YYYY-MM-DD) pins it, for tests and demos."""
    pinned = os.environ.get("KEHU_TODAY")
    if pinned:
        try:
            day = date.fromisoformat(pinned)
        except ValueError:
            day = None
        # The years kehu takes a typed date in: a pinned 9999-12-31 or 0001-01-01 left no
        # room for "+3d" or a year's window and ended in an internal error (70).
        if day is None or not 1900 <= day.year <= 2199:
            from kehu.errors import SchemaError

            raise SchemaError("bad_env", var="KEHU_TODAY", value=pinned, expected="YYYY-MM-DD, 1900 to 2199")
        return day
    return date.today()


def now_utc() -> datetime:
    return datetime.now(UTC)


def form_of(value: str) -> Form | None:
    """The accepted form ``value`` is written in (its pattern matches), or None."""
    text = _normal(value)
    return next((f for f in FORMS if f.pattern.match(text)), None)


def parse_date(value: str, toward: Toward, base: date | None = None) -> date:
    """Parse one of the documented forms, relative to ``base`` (default: today).

    ``toward`` says which way a day lies by nature, for the forms that do not say it
    themselves (3月5日, 周五): FUTURE takes the next such day, PAST the most recent; today
    counts for both.
    """
    if toward not in (FUTURE, PAST):
        raise ValueError(f"toward must be FUTURE or PAST, not {toward!r}")
    text = _normal(value)
    base = base or today()
    for form in FORMS:
        if m := form.pattern.match(text):
            return form.resolve(m, value, base, toward)
    if _AMBIGUOUS.match(text):
        raise UsageError("ambiguous_date", value=value)
    raise UsageError("bad_date", value=value)


def is_full(value: str) -> bool:
    """Whether ``value`` spells out its year, month and day (2026-03-05, 2026年3月5日):
    any other accepted form is echoed back as the day kehu took it to mean."""
    form = form_of(value)
    return form is not None and form.full


def moment_on(day: date | None) -> datetime:
    """When an event dated ``day`` happened: now for today (or no date), else local noon.

    With KEHU_TODAY pinned, "now" is noon of that day, so dated results do not depend on
    the hour a test or a demo happens to run.
    """
    pinned = bool(os.environ.get("KEHU_TODAY"))
    if day is None:
        day = today() if pinned else None
    if day is None or (day == today() and not pinned):
        return now_utc()
    return datetime(day.year, day.month, day.day, 12).astimezone().astimezone(UTC)


def not_future(day: date, option: str) -> date:
    """Things that happened (a touchpoint, a task done, a promise kept) cannot be ahead of today."""
    if day > today():
        raise UsageError("future_date", option=option, value=day.isoformat())
    return day


def to_local(moment: datetime) -> datetime:
    """Stored datetimes are aware UTC; people read them in their local zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def show_datetime(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


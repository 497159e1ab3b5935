"""The one place dates and datetimes typed by a user are parsed.

A small, documented set of forms is accepted; anything else is refused with a hint
rather than guessed (dateutil's parser invents dates from "Q3 2026" and flips ISO
dates with dayfirst, so it is not used here). dateutil's relativedelta does the
calendar arithmetic for month offsets.

Accepted: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 3月5日 (this year), today/今天,
tomorrow/明天, yesterday/昨天, +3d, -1d, +2w, +1m (also 3天后, 2周后, 3天前).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta

from kehu.errors import UsageError

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CN_FULL = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_CN_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwm])$")
_CN_OFFSET = re.compile(r"^(\d{1,4})\s*(天|周|个月|月)\s*(后|前)$")
_AMBIGUOUS = re.compile(r"^\d{1,2}[-/.]\d{1,2}([-/.]\d{2,4})?$")
_WORDS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
}


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


def _make(value: str, y: int, m: int, d: int) -> date:
    try:
        day = date(y, m, d)
    except ValueError:
        raise UsageError("bad_date", value=value) from None
    return _in_range(day)


def _in_range(day: date) -> date:
    # A salesperson's book spans decades, not millennia; year 1 breaks time zone maths.
    if not 1900 <= day.year <= 2199:
        raise UsageError("date_out_of_range", value=day.isoformat())
    return day


def _shift(base: date, n: int, unit: str) -> date:
    if unit in ("d", "天"):
        return base + timedelta(days=n)
    if unit in ("w", "周"):
        return base + timedelta(weeks=n)
    from dateutil.relativedelta import relativedelta

    return base + relativedelta(months=n)


def parse_date(value: str, base: date | None = None) -> date:
    """Parse one of the documented forms, relative to ``base`` (default: today)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value).strip().lower()
    base = base or today()
    if text in _WORDS:
        return base + timedelta(days=_WORDS[text])
    if m := _ISO.match(text):
        return _make(value, int(m[1]), int(m[2]), int(m[3]))
    if m := _CN_FULL.match(text):
        return _make(value, int(m[1]), int(m[2]), int(m[3]))
    if m := _CN_MONTH_DAY.match(text):
        return _make(value, base.year, int(m[1]), int(m[2]))
    if m := _OFFSET.match(text):
        n = int(m[2]) * (1 if m[1] == "+" else -1)
        return _in_range(_shift(base, n, m[3]))
    if m := _CN_OFFSET.match(text):
        n = int(m[1]) * (1 if m[3] == "后" else -1)
        return _in_range(_shift(base, n, m[2][-1] if m[2] != "个月" else "m"))
    if _AMBIGUOUS.match(text):
        raise UsageError("ambiguous_date", value=value)
    raise UsageError("bad_date", value=value)


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


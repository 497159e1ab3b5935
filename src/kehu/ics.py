"""The due items as an iCalendar file (RFC 5545), with an alarm on each, via icalendar.

Each item is an all-day event on its due day (an overdue one is put on today, where a
calendar will still show and ring it), with a display alarm at 09:00 that day. The UID
is stable per item and day, so re-importing the file updates rather than duplicates.
The file is written next to its destination and renamed into place, owner-only; a
destination that is not a regular file (/dev/null, a FIFO) is written into as it is
(kehu.files.in_place). A calendar shows its text on screens too: control characters go
as ``kehu.text.printable`` shows them.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path


def build_calendar(ranked, lang: str, today: date) -> bytes:
    from icalendar import Alarm, Calendar, Event

    from kehu.dates import now_utc
    from kehu.i18n import label
    from kehu.render.followups import explain_parts, item_text
    from kehu.text import printable

    cal = Calendar()
    cal.add("prodid", "-//kehu//kehu account book//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "kehu 跟进" if lang == "zh" else "kehu follow-ups")
    stamp = now_utc()
    for r in ranked:
        day = max(r.item.due, today)
        event = Event()
        event.add("uid", f"{r.item.id}-{r.item.due.isoformat()}@kehu")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        kind = label("item_kind", r.item.kind, lang)
        text = item_text(r.item, lang, today)
        summary = f"{r.item.customer} · {kind}: {text}" if text else f"{r.item.customer} · {kind}"
        event.add("summary", printable(summary))
        bucket = label("bucket", r.bucket, lang)
        event.add("description", printable(f"{bucket} · {r.item.due.isoformat()} · {r.item.id}\n{explain_parts(r)}"))
        event.add("categories", [r.item.kind])
        event.add("priority", 1 if r.bucket == "overdue" else 5)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", printable(f"{r.item.customer}: {text or kind}"))
        alarm.add("trigger", timedelta(hours=9))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def write_calendar(path: str, ranked, lang: str, today: date) -> None:
    """Write atomically (kehu.files): a reader never sees a half-written calendar; ``-``
    is standard output."""
    from kehu.files import write_atomic

    data = build_calendar(ranked, lang, today)
    write_atomic(Path(path).expanduser(), lambda fh: fh.write(data), binary=True, dash=True)

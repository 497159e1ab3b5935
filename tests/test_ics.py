"""`kehu remind --ics FILE`: a calendar that parses back to the due items, with alarms."""

from __future__ import annotations

import stat
from datetime import date, timedelta

from icalendar import Calendar

ENV = {"KEHU_TODAY": "2026-11-23"}


def test_ics_parses_back_to_the_due_items(kehu, tmp_path):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)
    kehu("touch", "华为", "--kind", "daily", "--date", "2026-11-20",
         "--promise", "发送报价", "--promise-due", "2026-11-21",
         "--next", "约演示", "--next-due", "2026-11-25", env=ENV)
    path = tmp_path / "kehu.ics"
    r = kehu("remind", "--ics", str(path), "--json", env=ENV)
    import json

    items = json.loads(r.stdout)
    assert r.stderr == ""  # cron mails stderr: the confirmation is for terminals only
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(items) == 3
    by_uid = {str(e["UID"]): e for e in events}
    for item in items:
        event = by_uid[f"{item['id']}-{item['due']}@kehu"]
        due = date.fromisoformat(item["due"])
        start = event.decoded("DTSTART")
        assert start == max(due, date(2026, 11, 23))  # overdue items land on today
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert item["customer"] in str(event["SUMMARY"])
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(hours=9)
    promise = by_uid["P1-2026-11-21@kehu"]
    assert "发送报价" in str(promise["SUMMARY"]) and int(promise["PRIORITY"]) == 1


def test_ics_with_nothing_due_is_an_empty_calendar(kehu, tmp_path):
    kehu("add", "华为", "--date", "2026-11-20", env=ENV)
    path = tmp_path / "empty.ics"
    r = kehu("remind", "--ics", str(path), env=ENV)
    assert r.stdout == ""
    cal = Calendar.from_ical(path.read_bytes())
    assert list(cal.walk("VEVENT")) == []


def test_ics_unwritable_destination(kehu, tmp_path):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)  # platinum: due 11-08
    target = tmp_path / "no" / "such" / "dir" / "x.ics"
    r = kehu("remind", "--ics", str(target), "--new", code=74, env=ENV)
    assert r.stderr == f"kehu: Cannot write {target}: No such file or directory\n"
    # --new recorded nothing: the next run still reports everything
    assert kehu("remind", "--new", env=ENV).stdout != ""


def test_ics_dash_writes_the_calendar_to_standard_output_in_place_of_the_list(kehu, tmp_path, monkeypatch):
    """`kehu remind --ics -` (as `person export --vcard -`): the calendar on stdout, for a
    pipe (| curl -T - ...); no file named "-" is left in the working directory."""
    monkeypatch.chdir(tmp_path)
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)
    kehu("touch", "华为", "--kind", "daily", "--date", "2026-11-20",
         "--promise", "发送报价", "--promise-due", "2026-11-21", env=ENV)
    listed = kehu.json("remind", env=ENV)
    r = kehu("remind", "--ics", "-", env=ENV)
    assert not (tmp_path / "-").exists()
    assert r.stderr == ""
    cal = Calendar.from_ical(r.stdout_bytes)
    assert sorted(str(e["UID"]) for e in cal.walk("VEVENT")) == sorted(f"{i['id']}-{i['due']}@kehu" for i in listed)
    assert len(listed) == 2
    # --new still remembers what it reported
    kehu("remind", "--ics", "-", "--new", env=ENV)
    assert kehu("remind", "--new", env=ENV).stdout == ""


def test_ics_dash_says_nothing_of_a_file_at_a_terminal(kehu, tmp_path, monkeypatch):
    """The confirmation (已写入日历文件) is for a file; at a terminal `--ics -` has written none."""
    from kehu.cli import _common

    assert callable(_common.stderr_is_terminal)
    monkeypatch.setattr(_common, "stderr_is_terminal", lambda: True)
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)
    r = kehu("remind", "--ics", "-", env=ENV)
    assert r.stderr == "" and b"BEGIN:VCALENDAR" in r.stdout_bytes
    path = tmp_path / "k.ics"
    assert str(path) in kehu("remind", "--ics", str(path), env=ENV).stderr  # a file: said


def test_ics_dash_with_json_is_refused_in_one_line(kehu):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)
    r = kehu("remind", "--ics", "-", "--json", code=2, env=ENV)
    assert r.stdout == ""
    assert r.stderr == ("kehu: --ics - writes the calendar to standard output, so not with --json: "
                        "write it to a file (--ics FILE).\n")
    r = kehu("remind", "--ics", "-", "--json", code=2, env={**ENV, "KEHU_LANG": "zh"})
    assert r.stderr == "kehu: --ics - 把日历写到标准输出，不能和 --json 一起用：请把日历写到文件（--ics 文件名）。\n"

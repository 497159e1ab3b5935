"""A clock set back keeps the history in order, and the funnel follows the order of record.

A laptop whose clock was set back (or a colleague's skewed clock on a server book) wrote
a stage change with a time before the customer's previous one; ordered by time, the
funnel then counted the customer's stages backwards. An undated event is now never
earlier than the customer's latest, and the funnel reads stage changes in the order they
were recorded.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kehu.rules.funnel import funnel, stays

ON = {"KEHU_TODAY": "2026-11-23"}
BACK = {"KEHU_TODAY": "2026-11-01"}  # the same laptop, its clock set back three weeks


def moments(kehu, name: str, env: dict) -> list[tuple[str, datetime]]:
    return [(e["to_stage"], datetime.fromisoformat(e["at"])) for e in kehu.json("history", name, env=env)]


def test_a_stage_change_after_the_clock_went_back_is_not_dated_before_the_last(kehu):
    kehu("add", "华为", env=ON)
    kehu("advance", "华为", "--force", "--reason", "见过面", env=ON)
    kehu("advance", "华为", "--force", "--reason", "在评估", env=BACK)
    history = moments(kehu, "华为", ON)
    assert [stage for stage, _ in history] == ["stranger", "acquainted", "evaluation"]
    times = [at for _, at in history]
    assert times == sorted(times)  # in the order they happened, not three weeks back
    rows = {r["stage"]: r for r in kehu.json("funnel", env=ON)["stages"]}
    assert (rows["evaluation"]["now"], rows["evaluation"]["reached"]) == (1, 1)
    assert rows["acquainted"]["median_days"] == 0.0  # never a negative stay


def test_other_events_keep_order_too(kehu):
    kehu("add", "华为", env=ON)
    kehu("drop", "华为", "--reason", "预算取消", env=BACK)
    kehu("reopen", "华为", env=BACK)
    times = [datetime.fromisoformat(e["at"]) for e in kehu.json("history", "华为", env=ON)]
    assert [e["kind"] for e in kehu.json("history", "华为", env=ON)] == ["created", "dropped", "reopened"]
    assert times == sorted(times)


def test_a_dated_change_is_still_refused_before_the_history(kehu):
    kehu("add", "华为", env=ON)
    kehu("advance", "华为", "--force", "--reason", "x", env=ON)
    r = kehu("advance", "华为", "--force", "--reason", "y", "--date", "2026-11-01", code=2, env=ON)
    assert "2026-11-23" in r.stderr


@pytest.mark.parametrize("order", ["recorded", "reversed times"])
def test_the_funnel_counts_stays_in_the_order_of_record(order):
    # Events of an old book written with a clock that went back: the second change has
    # the earlier time. Read in the order of record, the customer went stranger ->
    # acquainted -> evaluation, whatever the times say.
    t0, t1, t2 = datetime(2026, 11, 23, 12), datetime(2026, 11, 24, 12), datetime(2026, 11, 2, 12)
    events = [(1, t0, "stranger"), (1, t1, "acquainted"), (1, t2, "evaluation")]
    if order == "reversed times":
        events = [(1, t0, "stranger"), (1, t2, "acquainted"), (1, t1, "evaluation")]
    rows = {r.stage: r for r in funnel(stays(events), {"evaluation": 1})}
    assert [rows[s].reached for s in ("stranger", "acquainted", "evaluation")] == [1, 1, 1]
    assert all(r.median_days is None or r.median_days >= 0 for r in rows.values())


@pytest.mark.sqlite_only("writes an out-of-order history into the book file directly")
def test_an_old_book_out_of_order_shows_the_last_recorded_stage_in_the_funnel(kehu, isolated_book):
    import sqlite3

    kehu("add", "华为", env=ON)
    kehu("advance", "华为", "--force", "--reason", "x", env=ON)
    kehu("advance", "华为", "--force", "--reason", "y", env=ON)
    con = sqlite3.connect(isolated_book)
    with con:  # as an older kehu wrote it with its clock set back: the last change earliest
        con.execute("UPDATE event SET at = '2026-05-01 12:00:00.000000' WHERE id = 3")
    con.close()
    data = kehu.json("funnel", env=ON)
    rows = {r["stage"]: r for r in data["stages"]}
    assert rows["acquainted"]["conversion"] == 1.0 and rows["evaluation"]["reached"] == 1
    assert all(r["median_days"] is None or r["median_days"] >= 0 for r in rows.values())
    # Its stay in evaluation began with the last change recorded (dated 1 May): past the
    # 120 days evaluation allows, it is going cold there (ordered by time, the funnel had
    # it sitting in acquainted since 23 November instead).
    [cold] = data["going_cold"]
    assert (cold["name"], cold["stage"], cold["days"]) == ("华为", "evaluation", 206)

"""The pipeline at a glance: stage stays, the funnel table, who is going cold.

Only kehu.rules.funnel: no book, no CLI. Stays come from (customer, at, to_stage)
events; conversion is reached(next) / reached(this); median of completed stays in days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kehu.rules.funnel import DEFAULT_COLD_DAYS, StageRow, Stay, funnel, going_cold, stays

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


# ---------------------------------------------------------------- stays


def test_stays_from_creation_and_advances():
    events = [
        (1, at(0), "stranger"),
        (1, at(10), "acquainted"),
        (1, at(30), "evaluation"),
        (2, at(5), "stranger"),
    ]
    assert stays(events) == [
        Stay(1, "stranger", at(0), at(10)),
        Stay(1, "acquainted", at(10), at(30)),
        Stay(1, "evaluation", at(30), None),  # still there: the open last stay
        Stay(2, "stranger", at(5), None),
    ]


def test_repeated_same_stage_is_ignored():
    events = [
        (1, at(0), "stranger"),
        (1, at(3), "stranger"),  # a second event into the same stage keeps the first entry
        (1, at(10), "acquainted"),
        (1, at(12), "acquainted"),
    ]
    assert stays(events) == [
        Stay(1, "stranger", at(0), at(10)),
        Stay(1, "acquainted", at(10), None),
    ]


def test_events_without_a_stage_are_skipped():
    events = [(1, at(0), "stranger"), (1, at(4), None), (1, at(9), "acquainted")]
    assert stays(events) == [Stay(1, "stranger", at(0), at(9)), Stay(1, "acquainted", at(9), None)]


def test_stays_of_no_events():
    assert stays([]) == []


def test_a_customer_created_and_never_moved_has_one_open_stay():
    assert stays([(7, at(2), "stranger")]) == [Stay(7, "stranger", at(2), None)]


def test_stays_accept_a_generator():
    assert stays(e for e in [(1, at(0), "stranger"), (1, at(1), "acquainted")]) == [
        Stay(1, "stranger", at(0), at(1)),
        Stay(1, "acquainted", at(1), None),
    ]


# ---------------------------------------------------------------- funnel

# Four customers:
#   1: stranger 10 d → acquainted 20 d → evaluation (open)
#   2: stranger 20 d → acquainted (open)
#   3: stranger (open)
#   4: stranger 5 d → acquainted 10 d → evaluation 30 d → growth 60 d → mature (open)
BOOK = stays(
    [
        (1, at(0), "stranger"),
        (1, at(10), "acquainted"),
        (1, at(30), "evaluation"),
        (2, at(0), "stranger"),
        (2, at(20), "acquainted"),
        (3, at(0), "stranger"),
        (4, at(0), "stranger"),
        (4, at(5), "acquainted"),
        (4, at(15), "evaluation"),
        (4, at(45), "growth"),
        (4, at(105), "mature"),
    ]
)


def test_funnel_rows():
    current = {"stranger": 1, "acquainted": 1, "evaluation": 1, "mature": 1}
    assert funnel(BOOK, current) == [
        StageRow("stranger", 1, 4, 0.75, 10.0),  # 3 of 4 reached acquainted; stays 10, 20, 5
        StageRow("acquainted", 1, 3, 2 / 3, 15.0),  # stays 20 and 10
        StageRow("evaluation", 1, 2, 0.5, 30.0),
        StageRow("growth", 0, 1, 1.0, 60.0),
        StageRow("mature", 1, 1, None, None),  # no next stage; nobody left it
    ]


def test_funnel_counts_now_from_the_current_table_not_the_stays():
    # terminated customers still count as having reached a stage, not as being in it now
    rows = funnel(BOOK, {"stranger": 0})
    assert [(r.stage, r.now, r.reached) for r in rows] == [
        ("stranger", 0, 4),
        ("acquainted", 0, 3),
        ("evaluation", 0, 2),
        ("growth", 0, 1),
        ("mature", 0, 1),
    ]


def test_funnel_of_an_empty_book():
    assert funnel([], {}) == [
        StageRow("stranger", 0, 0, None, None),
        StageRow("acquainted", 0, 0, None, None),
        StageRow("evaluation", 0, 0, None, None),
        StageRow("growth", 0, 0, None, None),
        StageRow("mature", 0, 0, None, None),
    ]


def test_funnel_nobody_left_the_first_stage():
    rows = funnel(stays([(1, at(0), "stranger"), (2, at(1), "stranger")]), {"stranger": 2})
    assert rows[0] == StageRow("stranger", 2, 2, 0.0, None)
    assert rows[1] == StageRow("acquainted", 0, 0, None, None)


def test_median_is_in_days_with_fractions():
    # 36 hours and 60 hours: median 2.0 days; an odd count takes the middle one
    two = stays([(1, at(0), "stranger"), (1, at(1.5), "acquainted"),
                 (2, at(0), "stranger"), (2, at(2.5), "acquainted")])
    assert funnel(two, {})[0].median_days == pytest.approx(2.0, abs=1e-9)
    three = two + [Stay(3, "stranger", at(0), at(100))]
    assert funnel(three, {})[0].median_days == pytest.approx(2.5, abs=1e-9)


def test_open_stays_do_not_count_in_the_median():
    book = [Stay(1, "stranger", at(0), at(4)), Stay(2, "stranger", at(0), None)]
    assert funnel(book, {})[0].median_days == 4.0


def test_reached_counts_customers_not_stays():
    # the same customer with two stranger stays (e.g. the stays of two separate runs)
    book = [
        Stay(1, "stranger", at(0), at(2)),
        Stay(1, "stranger", at(5), at(9)),
        Stay(1, "acquainted", at(9), None),
        Stay(2, "stranger", at(0), None),
    ]
    row = funnel(book, {})[0]
    assert (row.reached, row.conversion, row.median_days) == (2, 0.5, 3.0)


# ---------------------------------------------------------------- going cold

NOW = at(400)


def open_stay(customer: int, stage: str, days_ago: float) -> Stay:
    return Stay(customer, stage, NOW - timedelta(days=days_ago), None)


def test_default_thresholds():
    assert DEFAULT_COLD_DAYS == {"stranger": 60, "acquainted": 90, "evaluation": 120, "growth": 180}


@pytest.mark.parametrize(
    ("stage", "days_ago", "cold_days"),
    [
        ("stranger", 61, 61),
        ("acquainted", 91, 91),
        ("evaluation", 121, 121),
        ("growth", 181, 181),
        ("stranger", 60.999, None),  # 60 whole days: not longer than the threshold
        ("stranger", 60, None),
        ("acquainted", 90, None),
        ("evaluation", 120, None),
        ("growth", 180, None),
        ("mature", 1000, None),  # mature never goes cold
        ("stranger", 0, None),
    ],
)
def test_going_cold_thresholds(stage, days_ago, cold_days):
    got = going_cold([open_stay(1, stage, days_ago)], NOW)
    assert got == ([(open_stay(1, stage, days_ago), cold_days)] if cold_days is not None else [])


def test_going_cold_longest_first_then_by_customer():
    s1 = open_stay(1, "stranger", 61)
    s2 = open_stay(2, "growth", 181)
    s3 = open_stay(3, "acquainted", 130)
    s4 = open_stay(4, "evaluation", 130)
    s5 = open_stay(5, "mature", 900)
    s6 = open_stay(6, "stranger", 10)
    assert going_cold([s1, s4, s6, s5, s3, s2], NOW) == [(s2, 181), (s3, 130), (s4, 130), (s1, 61)]


def test_going_cold_with_configured_thresholds():
    stays_ = [open_stay(1, "stranger", 11), open_stay(2, "acquainted", 500), open_stay(3, "growth", 31)]
    cold = going_cold(stays_, NOW, {"stranger": 10, "growth": 30})
    # a stage without a threshold never goes cold
    assert [(x.customer_id, d) for x, d in cold] == [(3, 31), (1, 11)]


def test_going_cold_of_nothing():
    assert going_cold([], NOW) == []

"""kehu.rules.report, pure: the period of a week, month or quarter, the activity's buckets,
the receivables' ages, the pipeline by stage."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.rules.contracts import Due, OpenDeal
from kehu.rules.report import Period, activity, age_of, ageing, by_kind, by_stage, late_contracts, period_of

D = date.fromisoformat


@pytest.mark.parametrize(("kind", "today", "start", "end"), [
    ("week", "2026-11-27", "2026-11-23", "2026-11-29"),  # a Friday
    ("week", "2026-11-23", "2026-11-23", "2026-11-29"),  # a Monday
    ("week", "2026-11-29", "2026-11-23", "2026-11-29"),  # a Sunday
    ("week", "2026-12-31", "2026-12-28", "2027-01-03"),  # across the year
    ("month", "2026-11-27", "2026-11-01", "2026-11-30"),
    ("month", "2026-12-01", "2026-12-01", "2026-12-31"),
    ("month", "2028-02-10", "2028-02-01", "2028-02-29"),  # a leap year
    ("quarter", "2026-11-27", "2026-10-01", "2026-12-31"),
    ("quarter", "2026-01-01", "2026-01-01", "2026-03-31"),
    ("quarter", "2026-06-30", "2026-04-01", "2026-06-30"),
    ("quarter", "2026-08-15", "2026-07-01", "2026-09-30"),
])
def test_the_period_that_holds_today(kind, today, start, end):
    assert period_of(kind, D(today)) == Period(kind, D(start), D(end))


def test_from_and_to_replace_either_end():
    assert period_of("month", D("2026-11-27"), start=D("2026-10-15")) == Period("month", D("2026-10-15"),
                                                                                D("2026-11-30"))
    assert period_of("week", D("2026-11-27"), end=D("2026-11-27")) == Period("week", D("2026-11-23"), D("2026-11-27"))
    with pytest.raises(ValueError):
        period_of("year", D("2026-11-27"))


def test_a_short_period_is_counted_per_day_every_day_listed():
    p = Period("week", D("2026-11-23"), D("2026-11-29"))
    got = activity(p, {D("2026-11-24"): 2, D("2026-11-29"): 1, D("2026-11-30"): 9})
    assert got == [(D(f"2026-11-{d}"), {24: 2, 29: 1}.get(d, 0)) for d in range(23, 30)]


def test_a_long_period_is_counted_per_week_from_monday_the_first_clipped():
    p = Period("month", D("2026-11-01"), D("2026-11-30"))  # a Sunday to a Monday
    days = {D("2026-11-01"): 1, D("2026-11-02"): 2, D("2026-11-08"): 3, D("2026-11-09"): 4, D("2026-11-30"): 5}
    assert activity(p, days) == [(D("2026-11-01"), 1), (D("2026-11-02"), 5), (D("2026-11-09"), 4),
                                 (D("2026-11-16"), 0), (D("2026-11-23"), 0), (D("2026-11-30"), 5)]
    assert sum(n for _, n in activity(Period("quarter", D("2026-10-01"), D("2026-12-31")), days)) == 15


@pytest.mark.parametrize(("due", "age"), [
    ("2026-12-01", "not_due"), ("2026-11-27", "not_due"), ("2026-11-26", "d0_30"), ("2026-10-28", "d0_30"),
    ("2026-10-27", "d31_90"), ("2026-08-29", "d31_90"), ("2026-08-28", "d90"), ("2025-01-01", "d90"),
])
def test_the_age_of_an_instalment_is_how_late_it_is(due, age):
    assert age_of(D(due), D("2026-11-27")) == age


def test_ageing_adds_what_is_still_open_per_currency():
    today = D("2026-11-27")
    rows = ageing([
        ("CNY", Due(1, D("2026-07-01"), 100, 30)),  # 70 open, 149 days late
        ("CNY", Due(2, D("2026-11-20"), 100, 0)),
        ("CNY", Due(3, D("2027-01-10"), 50, 0)),
        ("CNY", Due(4, D("2026-11-01"), 80, 80)),  # paid: nothing owed
        ("USD", Due(5, D("2026-10-01"), 10, 0)),
    ], today)
    assert [(r.currency, r.cents, r.total, r.late) for r in rows] == [
        ("CNY", {"not_due": 50, "d0_30": 100, "d31_90": 0, "d90": 70}, 220, 170),
        ("USD", {"not_due": 0, "d0_30": 0, "d31_90": 10, "d90": 0}, 10, 10),  # 57 days late
    ]


def test_late_contracts_most_overdue_first():
    today = D("2026-11-27")
    rows = [(7, "甲", "一期", "CNY", Due(1, D("2026-11-20"), 100, 0)),
            (8, "乙", "二期", "CNY", Due(2, D("2026-07-01"), 100, 40)),
            (8, "乙", "二期", "CNY", Due(3, D("2026-11-01"), 100, 0)),
            (9, "丙", "三期", "CNY", Due(4, D("2027-01-01"), 100, 0))]
    assert [(x.id, x.cents, x.days) for x in late_contracts(rows, today)] == [(8, 160, 149), (7, 100, 7)]


def test_the_pipeline_by_stage_is_in_the_stages_order_and_weighted_per_row():
    deals = [OpenDeal(1, 100_00, "CNY", "mature", None, None), OpenDeal(2, 333, "CNY", "growth", None, None),
             OpenDeal(3, 333, "CNY", "growth", None, None), OpenDeal(4, 5_00, "USD", "stranger", None, None)]
    rows = by_stage(deals, {"stranger": 5, "growth": 50, "mature": 70})
    assert [(r.group, r.currency, r.count, r.amount, r.weighted) for r in rows] == [
        ("stranger", "USD", 1, 500, 25), ("growth", "CNY", 2, 666, 333), ("mature", "CNY", 1, 10000, 7000)]


def test_touch_kinds_in_the_methods_order_only_those_that_happened():
    assert by_kind({"topic": 2, "daily": 5, "visit": 0}) == [("daily", 5), ("topic", 2)]

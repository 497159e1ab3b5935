"""The pipeline at a glance: conversion between stages, time spent in each, going cold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kehu.rules.domain import STAGES

# Days in a stage after which an active customer is "going cold" (configurable). Mature
# is where a relationship is meant to stay, so it never goes cold by this measure.
DEFAULT_COLD_DAYS: dict[str, int] = {
    "stranger": 60,
    "acquainted": 90,
    "evaluation": 120,
    "growth": 180,
}


@dataclass(frozen=True)
class Stay:
    """A customer's time in one stage: entered, and left (None while still there)."""

    customer_id: int
    stage: str
    entered: datetime
    left: datetime | None


def stays(events: Iterable[tuple[int, datetime, str | None]]) -> list[Stay]:
    """Stage stays from (customer, at, to_stage) events ordered by customer, then in the
    order they were recorded; to_stage is the stage entered (creation and advances)."""
    out: list[Stay] = []
    current: dict[int, tuple[str, datetime]] = {}
    for customer, at, to_stage in events:
        if to_stage is None:
            continue
        prev = current.get(customer)
        if prev is not None:
            if prev[0] == to_stage:
                continue
            out.append(Stay(customer, prev[0], prev[1], at))
        current[customer] = (to_stage, at)
    out.extend(Stay(c, s, at, None) for c, (s, at) in current.items())
    return out


@dataclass(frozen=True)
class StageRow:
    stage: str
    now: int  # active customers in the stage now
    reached: int  # customers that ever entered it
    conversion: float | None  # share of those who reached this stage that reached the next
    median_days: float | None  # median completed stay, in days


def funnel(all_stays: Sequence[Stay], current: dict[str, int]) -> list[StageRow]:
    import statistics  # here: every command imports this module (for its defaults), few need this

    reached = {s: len({x.customer_id for x in all_stays if x.stage == s}) for s in STAGES}
    rows = []
    for i, stage in enumerate(STAGES):
        done = [
            max(0.0, (x.left - x.entered).total_seconds() / 86400)  # a clock set back: not negative
            for x in all_stays
            if x.stage == stage and x.left is not None
        ]
        nxt = STAGES[i + 1] if i + 1 < len(STAGES) else None
        conv = reached[nxt] / reached[stage] if nxt and reached[stage] else None
        rows.append(
            StageRow(
                stage,
                current.get(stage, 0),
                reached[stage],
                conv,
                statistics.median(done) if done else None,
            )
        )
    return rows


def going_cold(
    open_stays: Iterable[Stay], now: datetime, cold_days: dict[str, int] = DEFAULT_COLD_DAYS
) -> list[tuple[Stay, int]]:
    """Active customers in their stage longer than its threshold, longest first."""
    out = []
    for x in open_stays:
        days = int((now - x.entered).total_seconds() // 86400)
        if days > cold_days.get(x.stage, 10**9):
            out.append((x, days))
    out.sort(key=lambda p: (-p[1], p[0].customer_id))
    return out

"""Team ownership and the public pool (公海): who may keep, claim and hand over a customer.

Pure rules: the store reads the facts (``Holding``), these functions decide, nothing
here reads a clock or a database (``today`` is a parameter).

A customer without an owner is in the pool and anyone may claim it. An owner keeps a
live customer only while both clocks below are running; the first to run out sends it
back to the pool:

    untouched   the owner must log a touchpoint within ``untouched_days`` (30) of the
                later of their last touchpoint and the day they took the customer. With
                the last one on day L the owner holds it through L + 30 and it returns
                on L + 31. Touchpoints logged by other people do not count.
    no growth   a customer claimed before reaching growth must reach growth (or
                mature) within ``growth_days`` (180) of being claimed: it returns on
                claimed + 181. Once in growth or mature this clock stops.

On a tie the untouched clock is the reason given. From ``warn_days`` (7) days before
the return day the owner is warned; on the return day and after the customer is
lapsed: back in the pool and open to anyone, its previous owner included (a lapsed
customer is not held, so it does not count toward anyone's hold limit either).

A terminated customer is kept by its owner: the pool is for live customers.

A setting of 0 switches its rule off: untouched_days 0 or growth_days 0 stops that clock
(both 0: nobody's customer ever returns to the pool), warn_days 0 warns nobody ahead,
hold_limit 0 lets anyone hold any number, handover_limit 0 or handover_window_days 0
lets a customer be handed over any number of times.

Limits:

    hold limit   nobody may claim while holding ``hold_limit`` (100) customers. Only
                 live customers short of mature count: the limit stops people sitting
                 on prospects; signed (mature) and terminated customers are free.
    handovers    a customer may be handed over (``kehu assign``) at most
                 ``handover_limit`` (2) times within ``handover_window_days`` (90):
                 handovers on the last 90 days, today included, count; a handover
                 90 days ago is out of the window; handovers dated after today are
                 not counted yet.

The store finds held, warned and lapsed customers in SQL with the cut-offs from
``held_since`` and ``warn_since``; their docstrings give the predicate, and the tests
prove it agrees with ``status`` day for day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

GROWING = ("growth", "mature")  # stages that count as "reached growth"
STATES = ("pool", "held", "warning", "lapsed", "kept")
STATUS_REASONS = ("unowned", "untouched", "no_growth")
VERDICT_REASONS = ("already_yours", "owned", "hold_limit", "handover_limit")


@dataclass(frozen=True)
class PoolRules:
    untouched_days: int = 30  # owner must touch the customer within this many days
    growth_days: int = 180  # a claimed customer must reach `growth` within this many days of being claimed
    warn_days: int = 7  # the owner is warned this many days before the customer returns
    hold_limit: int = 100  # most customers one person may hold (see counts_toward_limit)
    handover_limit: int = 2  # at most this many handovers (kehu assign) ...
    handover_window_days: int = 90  # ... within this many days


@dataclass(frozen=True)
class Holding:
    """The facts the store reads for one customer."""

    owner: str | None  # display name of the owner, None = in the pool
    stage: str  # stranger|acquainted|evaluation|growth|mature
    terminated: bool
    claimed_on: date | None  # day the current owner took it (claim, assign, or add with an owner)
    owner_touched_on: date | None  # last day the OWNER logged a touchpoint (None = never)


@dataclass(frozen=True)
class PoolStatus:
    state: str  # "pool" | "held" | "warning" | "lapsed" | "kept"
    reason: str | None  # "unowned" | "untouched" | "no_growth" | None
    returns_on: date | None  # the day it returns / returned to the pool
    days_left: int | None  # returns_on - today (<= 0 when lapsed)


@dataclass(frozen=True)
class Verdict:
    """May it be done? ``reason`` says why not (None when ok). ``count`` and ``limit``
    are the numbers behind the limit checked; ``next_on`` is the first day a refused
    handover would be allowed."""

    ok: bool
    reason: str | None
    count: int
    limit: int
    next_on: date | None = None


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def status(h: Holding, today: date, rules: PoolRules) -> PoolStatus:
    """Where the customer stands today: in the pool, held (warned), lapsed, or kept."""
    if h.owner is None or not h.owner.strip():
        return PoolStatus("pool", "unowned", None, None)
    if h.terminated:
        return PoolStatus("kept", None, None, None)
    clocks: list[tuple[date, str]] = []  # untouched first, so it wins a tie
    started = [d for d in (h.owner_touched_on, h.claimed_on) if d is not None]
    if started and rules.untouched_days > 0:
        clocks.append((max(started) + _days(rules.untouched_days + 1), "untouched"))
    if h.stage not in GROWING and h.claimed_on is not None and rules.growth_days > 0:
        clocks.append((h.claimed_on + _days(rules.growth_days + 1), "no_growth"))
    if not clocks:
        return PoolStatus("held", None, None, None)
    returns_on, reason = min(clocks, key=lambda c: c[0])  # min keeps the first of equals
    days_left = (returns_on - today).days
    if days_left <= 0:
        state = "lapsed"
    elif days_left <= rules.warn_days:
        state = "warning"
    else:
        state = "held"
    return PoolStatus(state, reason, returns_on, days_left)


def held_since(today: date, rules: PoolRules) -> tuple[date | None, date | None]:
    """(touched_since, claimed_since): an owned, live customer is still held (state
    held or warning) exactly when

        last >= touched_since AND (stage IN GROWING OR claimed_on >= claimed_since)

    where last is the later of owner_touched_on and claimed_on, ignoring a missing one.
    In SQLite write it ``max(coalesce(owner_touched_on, claimed_on), claimed_on)``:
    SQLite's two-argument max() is NULL when either argument is. Dates compare as ISO
    text. Customers with no claimed_on have no growth clock: ask ``status``.

    A cut-off is None when its clock is off (its setting is 0): leave its half of the
    test out (both None: every owned customer is held)."""
    touched = today - _days(rules.untouched_days) if rules.untouched_days > 0 else None
    claimed = today - _days(rules.growth_days) if rules.growth_days > 0 else None
    return touched, claimed


def warn_since(today: date, rules: PoolRules) -> tuple[date | None, date | None]:
    """(touched_before, claimed_before): an owned, live customer is warned or lapsed
    (state warning or lapsed) exactly when

        last < touched_before OR (stage NOT IN GROWING AND claimed_on < claimed_before)

    — the negation of the ``held_since`` test with these cut-offs, which are
    ``held_since`` seen from ``today + warn_days``: a customer is warned or lapsed
    today when it will no longer be held in warn_days days. Same SQL notes as there."""
    return held_since(today + _days(rules.warn_days), rules)


def handover_check(handovers: Sequence[date], today: date, rules: PoolRules) -> Verdict:
    """May the customer be handed over today, given the days of its earlier handovers?

    Counted: handovers on day d with today - window < d <= today. Refused when the count
    reaches handover_limit (never when the limit or the window is 0); ``next_on`` is then
    the first later day on which the count would be under the limit again (with the count
    at the limit: the oldest counted handover + window, the day it leaves the window).
    Handovers dated after today do not count today but are counted on their day when
    finding ``next_on``."""
    window = rules.handover_window_days
    limit = rules.handover_limit

    def count_on(day: date) -> int:
        start = day - _days(window)
        return sum(1 for d in handovers if start < d <= day)

    count = count_on(today)
    if count < limit or limit == 0 or window == 0:  # 0: no limit
        return Verdict(True, None, count, limit)
    # The count only falls on a day some handover leaves the window: try those in order.
    leaving = sorted({d + _days(window) for d in handovers if d + _days(window) > today})
    next_on = next((day for day in leaving if count_on(day) < limit), None)
    return Verdict(False, "handover_limit", count, limit, next_on)


def claim_check(status: PoolStatus, owner_is_claimant: bool, held: int, rules: PoolRules) -> Verdict:
    """May the claimant take the customer? ``held`` is how many customers the claimant
    holds now that count toward the limit (``counts_toward_limit``; lapsed ones are no
    longer held and are not counted).

    Reasons, first that applies: already_yours (the claimant holds it: held, warning or
    kept), owned (someone else does), hold_limit (held >= hold_limit). A customer in the
    pool or lapsed may be claimed by anyone, its previous owner included (a pool
    customer has no owner, so ``owner_is_claimant`` is not consulted for it). A claim
    sets claimed_on and so restarts both clocks: an owner who lets a customer lapse and
    claims it back before anyone else gets a fresh ``growth_days``. ``count`` and
    ``limit`` are always held and hold_limit (0: no limit)."""
    limit = rules.hold_limit
    if status.state in ("held", "warning", "kept"):
        return Verdict(False, "already_yours" if owner_is_claimant else "owned", held, limit)
    if limit and held >= limit:
        return Verdict(False, "hold_limit", held, limit)
    return Verdict(True, None, held, limit)


def counts_toward_limit(stage: str, terminated: bool) -> bool:
    """Does this customer count toward its owner's hold limit? Only live ones short of
    mature: the limit stops people sitting on prospects, so a signed (mature) customer
    and a terminated one are free."""
    return not terminated and stage != "mature"

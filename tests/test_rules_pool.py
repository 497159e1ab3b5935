"""Team ownership and the public pool (公海): the pure rules as tables and properties.

Only kehu.rules.pool: no book, no CLI. Defaults: touch within 30 days, reach growth
within 180 days of the claim, warned 7 days ahead, hold at most 100, at most 2
handovers in 90 days (module docstring).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kehu.rules.domain import STAGES
from kehu.rules.pool import (
    GROWING,
    STATES,
    Holding,
    PoolRules,
    PoolStatus,
    Verdict,
    claim_check,
    counts_toward_limit,
    handover_check,
    held_since,
    status,
    warn_since,
)

TODAY = date(2026, 3, 10)
R = PoolRules()


def day(offset: int) -> date:
    """TODAY shifted: negative is in the past."""
    return TODAY + timedelta(days=offset)


def ago(n: int | None) -> date | None:
    return None if n is None else day(-n)


def holding(
    claimed: int | None = None,
    touched: int | None = None,
    stage: str = "acquainted",
    owner: str | None = "Li Wei",
    terminated: bool = False,
) -> Holding:
    """claimed / touched: days ago (negative: in the future), None: never."""
    return Holding(owner, stage, terminated, ago(claimed), ago(touched))


# ---------------------------------------------------------------- vocabulary


def test_growing_is_the_tail_of_the_stages():
    assert GROWING == STAGES[-2:] == ("growth", "mature")


def test_defaults():
    assert (R.untouched_days, R.growth_days, R.warn_days) == (30, 180, 7)
    assert (R.hold_limit, R.handover_limit, R.handover_window_days) == (100, 2, 90)


# ---------------------------------------------------------------- status


def st_(state, reason, returns_in, days_left="same"):
    """The expected status; returns_in is days from TODAY (None: no return day)."""
    returns_on = None if returns_in is None else day(returns_in)
    return PoolStatus(state, reason, returns_on, returns_in if days_left == "same" else days_left)


@pytest.mark.parametrize(
    ("h", "expected"),
    [
        # nobody owns it
        pytest.param(holding(owner=None), st_("pool", "unowned", None), id="no-owner"),
        pytest.param(holding(owner=""), st_("pool", "unowned", None), id="empty-owner"),
        pytest.param(holding(owner=" \t "), st_("pool", "unowned", None), id="blank-owner"),
        pytest.param(holding(400, 400, owner=None), st_("pool", "unowned", None), id="no-owner-old-dates"),
        pytest.param(holding(owner=None, terminated=True), st_("pool", "unowned", None), id="no-owner-terminated"),
        # terminated: kept, whatever the clocks say
        pytest.param(holding(400, None, terminated=True), st_("kept", None, None), id="terminated-stale"),
        pytest.param(holding(0, 0, "mature", terminated=True), st_("kept", None, None), id="terminated-fresh"),
        # no clock at all
        pytest.param(holding(None, None), st_("held", None, None), id="no-dates"),
        pytest.param(holding(None, None, "stranger"), st_("held", None, None), id="no-dates-stranger"),
        # untouched clock, from the claim alone: held through day 30, returns on day 31
        pytest.param(holding(0, None, "growth"), st_("held", "untouched", 31), id="claimed-today"),
        pytest.param(holding(23, None, "growth"), st_("held", "untouched", 8), id="untouched-8-left"),
        pytest.param(holding(24, None, "growth"), st_("warning", "untouched", 7), id="untouched-7-left"),
        pytest.param(holding(29, None, "growth"), st_("warning", "untouched", 2), id="untouched-day-29"),
        pytest.param(holding(30, None, "growth"), st_("warning", "untouched", 1), id="untouched-day-30"),
        pytest.param(holding(31, None, "growth"), st_("lapsed", "untouched", 0), id="untouched-day-31"),
        pytest.param(holding(45, None, "mature"), st_("lapsed", "untouched", -14), id="untouched-long-ago"),
        # untouched clock, from the owner's touch alone (claimed_on unknown: no growth clock)
        pytest.param(holding(None, 23, "stranger"), st_("held", "untouched", 8), id="touch-only-8-left"),
        pytest.param(holding(None, 30, "stranger"), st_("warning", "untouched", 1), id="touch-only-day-30"),
        pytest.param(holding(None, 31, "stranger"), st_("lapsed", "untouched", 0), id="touch-only-day-31"),
        pytest.param(holding(None, 500, "evaluation"), st_("lapsed", "untouched", -469), id="touch-only-old"),
        # the later of claim and touch starts the untouched clock
        pytest.param(holding(100, 10, "growth"), st_("held", "untouched", 21), id="touched-after-claim"),
        pytest.param(holding(10, 100, "growth"), st_("held", "untouched", 21), id="touched-before-claim"),
        pytest.param(holding(31, 30, "growth"), st_("warning", "untouched", 1), id="touch-rescues-day-31"),
        pytest.param(holding(20, 20, "growth"), st_("held", "untouched", 11), id="claimed-and-touched-same-day"),
        pytest.param(holding(0, -5, "growth"), st_("held", "untouched", 36), id="touch-dated-ahead"),
        pytest.param(holding(-3, None, "growth"), st_("held", "untouched", 34), id="claim-dated-ahead"),
        # growth clock: returns on claimed + 181, touched or not
        pytest.param(holding(173, 0), st_("held", "no_growth", 8), id="growth-8-left"),
        pytest.param(holding(174, 0), st_("warning", "no_growth", 7), id="growth-7-left"),
        pytest.param(holding(180, 0), st_("warning", "no_growth", 1), id="growth-day-180"),
        pytest.param(holding(181, 0), st_("lapsed", "no_growth", 0), id="growth-day-181"),
        pytest.param(holding(200, 1, "stranger"), st_("lapsed", "no_growth", -19), id="growth-stranger"),
        pytest.param(holding(181, 0, "evaluation"), st_("lapsed", "no_growth", 0), id="growth-evaluation"),
        # growth and mature stop the growth clock
        pytest.param(holding(181, 0, "growth"), st_("held", "untouched", 31), id="growth-stage-day-181"),
        pytest.param(holding(1000, 0, "mature"), st_("held", "untouched", 31), id="mature-day-1000"),
        # the earlier clock decides; a tie is "untouched"
        pytest.param(holding(175, 1), st_("warning", "no_growth", 6), id="growth-before-untouched"),
        pytest.param(holding(175, 30), st_("warning", "untouched", 1), id="untouched-before-growth"),
        pytest.param(holding(180, 30), st_("warning", "untouched", 1), id="tie-warning"),
        pytest.param(holding(181, 31), st_("lapsed", "untouched", 0), id="tie-lapsed"),
        pytest.param(holding(190, 40), st_("lapsed", "untouched", -9), id="tie-long-ago"),
        pytest.param(holding(180, None), st_("lapsed", "untouched", -149), id="never-touched-long-claimed"),
    ],
)
def test_status(h, expected):
    assert status(h, TODAY, R) == expected


@pytest.mark.parametrize(
    ("h", "expected"),
    [
        # untouched 10, growth 20, no warning at all
        (holding(9, None, "growth"), st_("held", "untouched", 2)),
        (holding(10, None, "growth"), st_("held", "untouched", 1)),
        (holding(11, None, "growth"), st_("lapsed", "untouched", 0)),
        (holding(20, 0), st_("held", "no_growth", 1)),
        (holding(21, 0), st_("lapsed", "no_growth", 0)),
    ],
)
def test_status_with_other_rules_and_no_warning(h, expected):
    rules = PoolRules(untouched_days=10, growth_days=20, warn_days=0)
    assert status(h, TODAY, rules) == expected


def test_status_warns_from_the_first_day_when_warn_days_covers_the_clock():
    rules = PoolRules(untouched_days=5, warn_days=10)
    assert status(holding(0, 0, "growth"), TODAY, rules) == st_("warning", "untouched", 6)


# ---------------------------------------------------------------- SQL cut-offs


@pytest.mark.parametrize(
    ("rules", "held", "warned"),
    [
        (R, (day(-30), day(-180)), (day(-23), day(-173))),
        (PoolRules(untouched_days=10, growth_days=20, warn_days=0), (day(-10), day(-20)), (day(-10), day(-20))),
        # 0 switches a clock off: its cut-off is None
        (PoolRules(untouched_days=0, growth_days=0, warn_days=3), (None, None), (None, None)),
        (PoolRules(untouched_days=0, growth_days=20, warn_days=3), (None, day(-20)), (None, day(-17))),
        (PoolRules(untouched_days=10, growth_days=0, warn_days=3), (day(-10), None), (day(-7), None)),
    ],
)
def test_cut_offs(rules, held, warned):
    assert held_since(TODAY, rules) == held
    assert warn_since(TODAY, rules) == warned


def _last(h: Holding) -> date:
    """max(coalesce(owner_touched_on, claimed_on), claimed_on), as the store writes it."""
    return max(h.owner_touched_on or h.claimed_on, h.claimed_on)


def still_held_sql(h: Holding, cut: tuple[date | None, date | None]) -> bool:
    """None: that clock is off, its half of the test left out."""
    touched_since, claimed_since = cut
    return (touched_since is None or _last(h) >= touched_since) and (
        claimed_since is None or h.stage in GROWING or h.claimed_on >= claimed_since)


def warned_or_lapsed_sql(h: Holding, cut: tuple[date | None, date | None]) -> bool:
    touched_before, claimed_before = cut
    return (touched_before is not None and _last(h) < touched_before) or (
        claimed_before is not None and h.stage not in GROWING and h.claimed_on < claimed_before)


@pytest.mark.parametrize(
    ("h", "held", "warned"),
    [
        (holding(30, None), True, True),
        (holding(31, None), False, True),
        (holding(23, None, "growth"), True, False),
        (holding(24, None, "growth"), True, True),
        (holding(173, 0), True, False),
        (holding(174, 0), True, True),
        (holding(180, 0), True, True),
        (holding(181, 0), False, True),
        (holding(181, 0, "growth"), True, False),
    ],
)
def test_sql_predicates_at_the_boundaries(h, held, warned):
    assert still_held_sql(h, held_since(TODAY, R)) is held
    assert warned_or_lapsed_sql(h, warn_since(TODAY, R)) is warned


PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

offsets = st.integers(-30, 500)
maybe_offset = st.one_of(st.none(), offsets)
rules_st = st.builds(
    PoolRules,
    untouched_days=st.integers(0, 60),
    growth_days=st.integers(0, 400),
    warn_days=st.integers(0, 70),
)


@st.composite
def claimed_holdings(draw) -> Holding:
    """Owned, live, with claimed_on: what the SQL predicates are for."""
    return holding(draw(offsets), draw(maybe_offset), draw(st.sampled_from(STAGES)))


@PROPS
@given(claimed_holdings(), rules_st, st.integers(-400, 400))
def test_held_since_agrees_with_status(h, rules, shift):
    today = day(shift)
    s = status(h, today, rules)
    assert s.state in ("held", "warning", "lapsed")
    assert still_held_sql(h, held_since(today, rules)) is (s.state in ("held", "warning"))


@PROPS
@given(claimed_holdings(), rules_st, st.integers(-400, 400))
def test_warn_since_agrees_with_status(h, rules, shift):
    today = day(shift)
    s = status(h, today, rules)
    assert warned_or_lapsed_sql(h, warn_since(today, rules)) is (s.state in ("warning", "lapsed"))


# ---------------------------------------------------------------- status over time


@st.composite
def owned_holdings(draw) -> Holding:
    """Owned and live, dates possibly missing."""
    return holding(draw(maybe_offset), draw(maybe_offset), draw(st.sampled_from(STAGES)))


@PROPS
@given(owned_holdings(), rules_st, st.integers(0, 40), st.integers(0, 40))
def test_a_later_owner_touch_never_brings_the_return_earlier(h, rules, earlier, gap):
    # Touching a customer with neither a claim day nor a touch starts its first clock:
    # no clock to compare with, so that case is its own table row (no-dates). With the
    # untouched clock off (0), a touch changes nothing: test_zero_switches_a_rule_off.
    assume(h.claimed_on is not None or h.owner_touched_on is not None)
    assume(rules.untouched_days > 0)
    first = h.owner_touched_on if h.owner_touched_on is not None else day(-earlier)
    before = status(Holding(h.owner, h.stage, False, h.claimed_on, first), TODAY, rules)
    after = status(Holding(h.owner, h.stage, False, h.claimed_on, first + timedelta(days=gap)), TODAY, rules)
    assert before.returns_on is not None and after.returns_on is not None
    assert after.returns_on >= before.returns_on
    if h.claimed_on is not None:
        never = status(Holding(h.owner, h.stage, False, h.claimed_on, None), TODAY, rules)
        assert before.returns_on >= never.returns_on


@PROPS
@given(owned_holdings(), rules_st)
def test_returns_on_is_the_first_lapsed_day_and_states_only_move_forward(h, rules):
    s = status(h, TODAY, rules)
    assume(s.returns_on is not None)
    assert status(h, s.returns_on - timedelta(days=1), rules).state in ("held", "warning")
    order = {"held": 0, "warning": 1, "lapsed": 2}
    seen = []
    for n in range(-80, 80):
        t = status(h, s.returns_on + timedelta(days=n), rules)
        assert t.returns_on == s.returns_on and t.reason == s.reason
        assert t.days_left == -n
        seen.append(order[t.state])
        assert (t.state == "lapsed") is (n >= 0)
        assert (t.state == "warning") is (-rules.warn_days <= n < 0)
    assert seen == sorted(seen)


# ---------------------------------------------------------------- handovers


def v_hand(ok, count, next_in=None, limit=2):
    return Verdict(ok, None if ok else "handover_limit", count, limit, None if next_in is None else day(next_in))


@pytest.mark.parametrize(
    ("handovers_ago", "expected"),
    [
        ([], v_hand(True, 0)),
        ([10], v_hand(True, 1)),
        ([0, 5], v_hand(False, 2, 85)),  # today counts
        ([89, 1], v_hand(False, 2, 1)),  # 89 days ago: inside, leaves tomorrow
        ([90, 1], v_hand(True, 1)),  # 90 days ago: outside
        ([90, 91, 365, 0], v_hand(True, 1)),
        ([89, 89], v_hand(False, 2, 1)),  # two on one day count twice
        ([60, 30, 10], v_hand(False, 3, 60)),  # 3 > 2: allowed once 60 and 30 ago have left
        ([5, 40, 70], v_hand(False, 3, 50)),  # order given does not matter
        ([-1, 3], v_hand(True, 1)),  # dated after today: not counted today
        ([-1, -2, 3], v_hand(True, 1)),
        ([-10, 85, 3], v_hand(False, 2, 5)),  # day 5 is before the future one counts
        ([-1, 88, 3], v_hand(False, 2, 87)),  # day 2: the one dated tomorrow has come in
    ],
)
def test_handover_check(handovers_ago, expected):
    assert handover_check([day(-n) for n in handovers_ago], TODAY, R) == expected


def test_handover_check_other_rules():
    rules = PoolRules(handover_limit=1, handover_window_days=30)
    assert handover_check([day(-29)], TODAY, rules) == Verdict(False, "handover_limit", 1, 1, day(1))
    assert handover_check([day(-30)], TODAY, rules) == Verdict(True, None, 0, 1, None)
    unlimited = PoolRules(handover_limit=0)  # 0: no limit
    assert handover_check([day(-1)] * 5, TODAY, unlimited) == Verdict(True, None, 5, 0, None)
    no_window = PoolRules(handover_window_days=0)  # 0: no window, so no limit either
    assert handover_check([day(0)] * 5, TODAY, no_window) == Verdict(True, None, 0, 2, None)


@PROPS
@given(
    st.lists(st.integers(-20, 200), max_size=6),
    st.integers(1, 3),
    st.integers(1, 120),
)
def test_handover_next_on_is_the_first_day_allowed(handovers_ago, limit, window):
    rules = PoolRules(handover_limit=limit, handover_window_days=window)
    days = [day(-n) for n in handovers_ago]
    v = handover_check(days, TODAY, rules)
    count = sum(1 for n in handovers_ago if 0 <= n < window)
    assert v.count == count and v.limit == limit
    assert v.ok is (count < limit)
    if v.ok:
        assert v.next_on is None and v.reason is None
        return
    assert v.next_on is not None and v.next_on > TODAY
    gap = (v.next_on - TODAY).days
    allowed = [handover_check(days, day(n), rules).ok for n in range(1, gap + 1)]
    assert allowed == [False] * (gap - 1) + [True]
    if count == limit and min(handovers_ago) >= 0:
        assert v.next_on == day(-max(n for n in handovers_ago if n < window)) + timedelta(days=window)


# ---------------------------------------------------------------- claims


def v_claim(reason, held=5, limit=100):
    return Verdict(reason is None, reason, held, limit, None)


def ps(state):
    return PoolStatus(state, None, None, None)


@pytest.mark.parametrize(
    ("state", "mine", "held", "expected"),
    [
        ("pool", False, 5, v_claim(None)),
        ("pool", True, 5, v_claim(None)),  # nobody owns a pool customer
        ("lapsed", False, 5, v_claim(None)),
        ("lapsed", True, 5, v_claim(None)),  # the previous owner may take it back
        ("held", True, 5, v_claim("already_yours")),
        ("warning", True, 5, v_claim("already_yours")),
        ("kept", True, 5, v_claim("already_yours")),
        ("held", False, 5, v_claim("owned")),
        ("warning", False, 5, v_claim("owned")),
        ("kept", False, 5, v_claim("owned")),
        ("pool", False, 99, v_claim(None, 99)),
        ("pool", False, 100, v_claim("hold_limit", 100)),
        ("lapsed", True, 100, v_claim("hold_limit", 100)),
        ("pool", False, 250, v_claim("hold_limit", 250)),
        # priority: already_yours, then owned, then hold_limit
        ("held", True, 100, v_claim("already_yours", 100)),
        ("warning", False, 100, v_claim("owned", 100)),
        ("kept", False, 300, v_claim("owned", 300)),
    ],
)
def test_claim_check(state, mine, held, expected):
    assert claim_check(ps(state), mine, held, R) == expected


def test_claim_check_other_limit():
    rules = PoolRules(hold_limit=3)
    assert claim_check(ps("pool"), False, 2, rules) == Verdict(True, None, 2, 3, None)
    assert claim_check(ps("pool"), False, 3, rules) == Verdict(False, "hold_limit", 3, 3, None)
    unlimited = PoolRules(hold_limit=0)  # 0: no limit
    assert claim_check(ps("pool"), False, 5000, unlimited) == Verdict(True, None, 5000, 0, None)
    assert claim_check(ps("held"), False, 0, unlimited).reason == "owned"  # the limit only is off


# ---------------------------------------------------------------- 0 switches a rule off


@pytest.mark.parametrize(
    ("rules", "h", "expected"),
    [
        # untouched clock off: only the growth clock runs (claimed 100 days ago, never touched)
        (PoolRules(untouched_days=0), holding(100, None), st_("held", "no_growth", 81)),
        (PoolRules(untouched_days=0), holding(175, None), st_("warning", "no_growth", 6)),
        (PoolRules(untouched_days=0), holding(181, None), st_("lapsed", "no_growth", 0)),
        (PoolRules(untouched_days=0), holding(400, None, "growth"), st_("held", None, None)),
        # growth clock off: only the untouched clock runs
        (PoolRules(growth_days=0), holding(400, 20), st_("held", "untouched", 11)),
        (PoolRules(growth_days=0), holding(400, 31), st_("lapsed", "untouched", 0)),
        # both off: an owner keeps a customer however long it is left alone
        (PoolRules(untouched_days=0, growth_days=0), holding(1000, None), st_("held", None, None)),
        (PoolRules(untouched_days=0, growth_days=0), holding(None, None), st_("held", None, None)),
        # no warning ahead: held until the day it returns
        (PoolRules(warn_days=0), holding(30, None, "growth"), st_("held", "untouched", 1)),
        (PoolRules(warn_days=0), holding(31, None, "growth"), st_("lapsed", "untouched", 0)),
        # unowned and terminated are as before
        (PoolRules(untouched_days=0, growth_days=0), holding(5, 5, owner=None), st_("pool", "unowned", None)),
    ],
)
def test_zero_switches_a_rule_off(rules, h, expected):
    assert status(h, TODAY, rules) == expected


@pytest.mark.parametrize("state", STATES)
def test_claim_check_takes_the_state_from_status(state):
    """Every state status can return has a defined answer; lapsed and pool are claimable."""
    v = claim_check(ps(state), False, 0, R)
    assert v.ok is (state in ("pool", "lapsed"))


# ---------------------------------------------------------------- hold limit


@pytest.mark.parametrize(
    ("stage", "terminated", "counts"),
    [
        ("stranger", False, True),
        ("acquainted", False, True),
        ("evaluation", False, True),
        ("growth", False, True),
        ("mature", False, False),  # signed: not a prospect being sat on
        ("stranger", True, False),
        ("growth", True, False),
        ("mature", True, False),
    ],
)
def test_counts_toward_limit(stage, terminated, counts):
    assert counts_toward_limit(stage, terminated) is counts

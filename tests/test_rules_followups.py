"""What is due, most urgent first: the pure follow-up rules as tables.

Only kehu.rules.followups: no book, no CLI. Urgency is the documented product
tier weight × kind weight × stage weight × timing (module docstring, DOMAIN.md §7).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from kehu.rules.followups import (
    Item,
    bucket_of,
    decider_gap,
    only_new,
    parse_item_id,
    rank,
    seen_key,
    urgency,
)

TODAY = date(2026, 3, 10)


def day(offset: int) -> date:
    """TODAY shifted: negative is in the past."""
    return TODAY + timedelta(days=offset)


def item(
    kind: str = "cadence",
    ref: int = 1,
    customer: str = "ACME",
    tier: str = "lead",
    stage: str = "acquainted",
    due: date = TODAY,
    customer_id: int = 1,
) -> Item:
    return Item(kind, ref, customer_id, customer, tier, stage, due, "text")


# ---------------------------------------------------------------- buckets


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (day(-400), "overdue"),
        (day(-1), "overdue"),
        (day(0), "today"),
        (day(1), "upcoming"),
        (day(30), "upcoming"),
    ],
)
def test_bucket_of(due, expected):
    assert bucket_of(due, TODAY) == expected


# ---------------------------------------------------------------- urgency parts


@pytest.mark.parametrize(
    ("tier", "weight"),
    [("platinum", 4.0), ("gold", 3.0), ("iron", 2.0), ("lead", 1.0)],
)
def test_tier_weight(tier, weight):
    score, parts = urgency(item(tier=tier), TODAY)
    assert parts == {"tier": weight, "kind": 1.0, "stage": 1.0, "timing": 1.0}
    assert score == weight


@pytest.mark.parametrize(
    ("kind", "weight"),
    [
        ("promise", 1.5),
        ("receivable", 1.5),
        ("next_step", 1.2),
        ("aftercare", 1.1),
        ("cadence", 1.0),
        ("decider", 1.0),
        ("task", 0.9),
        ("trust", 0.8),
    ],
)
def test_kind_weight(kind, weight):
    score, parts = urgency(item(kind=kind), TODAY)
    assert parts == {"tier": 1.0, "kind": weight, "stage": 1.0, "timing": 1.0}
    assert score == weight


@pytest.mark.parametrize(
    ("stage", "weight"),
    [("growth", 1.3), ("evaluation", 1.2), ("mature", 1.1), ("acquainted", 1.0), ("stranger", 0.8)],
)
def test_stage_weight(stage, weight):
    score, parts = urgency(item(stage=stage), TODAY)
    assert parts == {"tier": 1.0, "kind": 1.0, "stage": weight, "timing": 1.0}
    assert score == weight


@pytest.mark.parametrize(
    ("offset", "timing"),
    [
        # overdue: 1 + days overdue / 7 — a week late doubles it
        (-1, 1 + 1 / 7),
        (-3, 1 + 3 / 7),
        (-7, 2.0),
        (-14, 3.0),
        (-70, 11.0),
        # due today
        (0, 1.0),
        # upcoming: 1 / (1 + days until due)
        (1, 0.5),
        (3, 0.25),
        (4, 0.2),
        (9, 0.1),
    ],
)
def test_timing(offset, timing):
    score, parts = urgency(item(due=day(offset)), TODAY)
    assert parts["timing"] == pytest.approx(timing, rel=1e-15)
    assert score == pytest.approx(timing, rel=1e-15)


@pytest.mark.parametrize(
    ("tier", "kind", "stage", "offset", "expected"),
    [
        ("platinum", "promise", "growth", -7, 4 * 1.5 * 1.3 * 2),  # 15.6
        ("gold", "next_step", "evaluation", 0, 3 * 1.2 * 1.2 * 1),  # 4.32
        ("lead", "cadence", "stranger", 3, 1 * 1.0 * 0.8 * 0.25),  # 0.2
        ("iron", "aftercare", "mature", -14, 2 * 1.1 * 1.1 * 3),  # 7.26
        ("platinum", "receivable", "stranger", -3, 4 * 1.5 * 0.8 * (10 / 7)),  # 6.857
        ("gold", "trust", "acquainted", 1, 3 * 0.8 * 1.0 * 0.5),  # 1.2
    ],
)
def test_urgency_is_the_product_of_the_parts(tier, kind, stage, offset, expected):
    score, _ = urgency(item(kind=kind, tier=tier, stage=stage, due=day(offset)), TODAY)
    assert score == pytest.approx(expected, rel=1e-12)


def test_known_values_from_the_docstring_arithmetic():
    assert urgency(item("promise", tier="platinum", stage="growth", due=day(-7)), TODAY)[0] == pytest.approx(
        15.6, abs=1e-9
    )
    assert urgency(item("cadence", tier="lead", stage="stranger", due=day(3)), TODAY)[0] == pytest.approx(
        0.2, abs=1e-12
    )


def test_urgency_grows_with_tier_and_days_overdue():
    scores = [urgency(item(tier=t, due=day(-5)), TODAY)[0] for t in ("lead", "iron", "gold", "platinum")]
    assert scores == sorted(scores)
    assert len(set(scores)) == 4
    late = [urgency(item(due=day(-d)), TODAY)[0] for d in range(0, 30)]
    assert late == sorted(late)
    assert len(set(late)) == 30


# ---------------------------------------------------------------- rank


def test_rank_horizon_today_only():
    items = [item(ref=1, due=day(-2)), item(ref=2, due=day(0)), item(ref=3, due=day(1))]
    assert [r.item.ref for r in rank(items, TODAY, 0)] == [1, 2]


def test_rank_horizon_within_days_is_inclusive():
    items = [item(ref=n, customer=f"c{n}", due=day(n)) for n in range(0, 10)]
    assert [r.item.ref for r in rank(items, TODAY, 7)] == [0, 1, 2, 3, 4, 5, 6, 7]


def test_rank_fields_bucket_days_parts():
    ranked = rank(
        [item("promise", 4, due=day(-7), tier="platinum", stage="growth"), item("next_step", 9, due=day(2))],
        TODAY,
        7,
    )
    first, second = ranked
    assert (first.item.id, first.bucket, first.days) == ("P4", "overdue", 7)
    assert first.parts == {"tier": 4.0, "kind": 1.5, "stage": 1.3, "timing": 2.0}
    assert first.urgency == pytest.approx(15.6, abs=1e-9)
    assert (second.item.id, second.bucket, second.days) == ("N9", "upcoming", -2)
    assert second.urgency == pytest.approx(1.2 / 3, abs=1e-12)


def test_rank_most_urgent_first():
    items = [
        item("cadence", 1, "Lead Co", tier="lead", due=day(-1)),  # 1×1×1×8/7 = 1.14
        item("promise", 2, "Plat Co", tier="platinum", due=day(0)),  # 4×1.5 = 6
        item("next_step", 3, "Gold Co", tier="gold", due=day(-7)),  # 3×1.2×2 = 7.2
        item("cadence", 4, "Iron Co", tier="iron", due=day(1)),  # 2×0.5 = 1
        item("promise", 5, "Lead Co", tier="lead", due=day(-14)),  # 1.5×3 = 4.5
    ]
    assert [r.item.id for r in rank(items, TODAY, 7)] == ["N3", "P2", "P5", "C1", "C4"]


def test_rank_tie_broken_by_earlier_due():
    # iron, a week overdue: 2×1×1×2 = 4; platinum, due today: 4×1×1×1 = 4
    items = [
        item("cadence", 1, "Alpha", tier="platinum", due=day(0)),
        item("cadence", 2, "Beta", tier="iron", due=day(-7)),
    ]
    ranked = rank(items, TODAY, 0)
    assert ranked[0].urgency == ranked[1].urgency == 4.0
    assert [r.item.id for r in ranked] == ["C2", "C1"]


def test_rank_tie_broken_by_customer_then_id():
    items = [
        item("promise", 7, "Beta", due=day(-1)),
        item("promise", 3, "Beta", due=day(-1)),
        item("promise", 9, "Alpha", due=day(-1)),
        item("receivable", 1, "Beta", due=day(-1)),  # same weight as a promise
    ]
    assert [r.item.id for r in rank(items, TODAY, 0)] == ["P9", "P3", "P7", "R1"]


def test_rank_ties_within_rounding_noise_are_ties():
    # 4×0.9×1.2 = 4.32 but 3×1.2×1.2 = 4.319999999999999 in floating point: the same
    # urgency, so the customer decides, not the last bit of the float.
    items = [
        item("task", 1, "Zeta", tier="platinum", stage="evaluation"),
        item("next_step", 2, "Alpha", tier="gold", stage="evaluation"),
    ]
    ranked = rank(items, TODAY, 0)
    assert ranked[0].urgency != ranked[1].urgency  # the floats really differ
    assert [r.item.customer for r in ranked] == ["Alpha", "Zeta"]


def test_rank_order_does_not_depend_on_input_order():
    items = [
        item("promise", 3, "Beta", due=day(-1)),
        item("promise", 4, "Beta", due=day(-1)),
        item("promise", 5, "Alpha", due=day(-1)),
        item("cadence", 6, "Gamma", tier="iron", due=day(-7)),
        item("cadence", 7, "Delta", tier="platinum", due=day(0)),
    ]
    expected = [r.item.id for r in rank(items, TODAY, 0)]
    assert expected == ["C6", "C7", "P5", "P3", "P4"]
    for perm in itertools.permutations(items):
        assert [r.item.id for r in rank(perm, TODAY, 0)] == expected


def test_rank_tie_on_same_customer_follows_the_order_recorded():
    """P2 was recorded before P12: at equal urgency it comes first. Ids compared as text
    put P12 before P2 ("1" < "2")."""
    items = [item("promise", 12, "Beta", due=day(-1)), item("promise", 2, "Beta", due=day(-1))]
    assert [r.item.id for r in rank(items, TODAY, 0)] == ["P2", "P12"]


def test_rank_empty():
    assert rank([], TODAY, 7) == []


# ---------------------------------------------------------------- item ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P12", ("promise", 12)),
        ("n34", ("next_step", 34)),
        ("C5", ("cadence", 5)),
        (" r7 ", ("receivable", 7)),
        ("A1", ("aftercare", 1)),
        ("D2", ("decider", 2)),
        ("T3", ("task", 3)),
        ("S4", ("trust", 4)),
        ("p007", ("promise", 7)),
    ],
)
def test_parse_item_id(text, expected):
    assert parse_item_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "P", "12", "X12", "P-1", "P1.5", "PP1", "P 1", "P1a", "#12", "  ", "NA"],
)
def test_parse_item_id_refuses(text):
    assert parse_item_id(text) is None


@pytest.mark.parametrize("text", ["P²", "N¹", "C³"])
def test_parse_item_id_refuses_superscript_digits(text):
    """str.isdigit() accepts '²', int() does not: it must be 'not an item id', not a crash
    (today `kehu followup done P²` ends with an internal error, exit 70)."""
    assert parse_item_id(text) is None


@pytest.mark.parametrize(
    "kind", ["promise", "next_step", "cadence", "receivable", "aftercare", "decider", "task", "trust"])
def test_item_id_round_trips(kind):
    assert parse_item_id(item(kind, ref=42).id) == (kind, 42)


# ---------------------------------------------------------------- new since the last --new run


def test_seen_key_is_id_and_due():
    [r] = rank([item("promise", ref=7, due=day(-2))], TODAY, 0)
    assert seen_key(r) == "P7@2026-03-08"


def test_only_new_reports_each_item_once():
    a, b, c = (item("promise", ref=i, due=day(-i)) for i in (1, 2, 3))
    first = rank([a, b], TODAY, 0)
    assert only_new(first, None) == first  # never ran: everything
    seen = {seen_key(r) for r in first}
    assert only_new(first, seen) == []  # an hour later: nothing again
    later = rank([a, b, c], TODAY, 0)  # c recorded late with a past due date
    assert [r.item.id for r in only_new(later, seen)] == ["P3"]
    moved = rank([item("cadence", ref=1, due=day(-5))], TODAY, 0)  # a new due date: new
    assert only_new(moved, {"C1@2026-03-01"}) == moved


# ---------------------------------------------------------------- decider gap (kehu next)


@pytest.mark.parametrize(
    ("stage", "last", "any_touch", "expected"),
    [
        ("stranger", None, True, None),  # too early to need the deciders
        ("acquainted", None, True, None),
        ("evaluation", None, False, None),  # not in touch with anyone there yet
        ("evaluation", None, True, ("next_decider_none", {})),
        ("growth", None, True, ("next_decider_none", {})),
        ("mature", day(-60), True, None),  # exactly 60 days: not yet silent
        ("mature", day(-61), True, ("next_decider_silent", {"days": 61})),
        ("evaluation", day(0), True, None),
        ("growth", day(-200), True, ("next_decider_silent", {"days": 200})),
    ],
)
def test_decider_gap(stage, last, any_touch, expected):
    assert decider_gap(stage, last, any_touch, TODAY) == expected


# ---------------------------------------------------------------- urgency weights as settings (issue 18)


def test_urgency_uses_the_books_weights():
    from kehu.rules.followups import UrgencyWeights

    w = UrgencyWeights(tier={"lead": 2.0}, kind={"cadence": 3.0}, stage={"acquainted": 0.5})
    score, parts = urgency(item(due=day(-7)), TODAY, w)
    assert parts == {"tier": 2.0, "kind": 3.0, "stage": 0.5, "timing": 2.0}
    assert score == pytest.approx(6.0)
    # the defaults are what rank uses without weights
    assert rank([item(due=day(-7))], TODAY, 0)[0].urgency == pytest.approx(1.0 * 1.0 * 1.0 * 2.0)


def test_lateness_raises_urgency_under_any_weights():
    """All weights positive (0.1–10): a day later is never less urgent, whatever is set."""
    from hypothesis import given, settings as hsettings, strategies as st

    from kehu.rules.followups import KIND_WEIGHT, UrgencyWeights

    weight = st.floats(0.1, 10)

    @hsettings(max_examples=30, deadline=None)
    @given(weight, weight, weight, st.sampled_from(sorted(KIND_WEIGHT)), st.integers(-30, 30))
    def check(t, k, s, kind, offset):
        w = UrgencyWeights(tier={"lead": t}, kind={kind: k}, stage={"acquainted": s})
        later, sooner = item(kind, due=day(offset - 1)), item(kind, due=day(offset))
        assert urgency(later, TODAY, w)[0] >= urgency(sooner, TODAY, w)[0]

    check()

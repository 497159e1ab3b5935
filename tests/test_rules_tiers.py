"""The customer pyramid, profitability cells and effort warnings as plain tables.

Only the pure rules (kehu.rules.tiers): no book, no CLI. DOMAIN.md §6: a customer's tier
is decided by the share of customers ranked strictly above it — < 1% platinum, < 5% gold,
< 20% iron, else lead — so the top customer is platinum, equal values share a tier, and a
customer with no value is lead. §2: the four profitability cells and the warnings when
the relationship level or the effort spent is out of line with the tier.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.tiers import (
    DEFAULT_CADENCE,
    DEFAULT_CUTS,
    LEVELS_FOR_TIER,
    TIERS,
    TierSummary,
    Warning,
    assign,
    cell,
    expected_effort,
    parse_cuts,
    summarise,
    tier_of,
    warnings,
)

P, G, I, L = "platinum", "gold", "iron", "lead"

# ---------------------------------------------------------------- tier_of


@pytest.mark.parametrize(
    ("above", "total", "value", "expected"),
    [
        # the top customer of any book is platinum
        (0, 1, 100, P),
        (0, 2, 1, P),
        (0, 7, 500, P),
        (0, 1000, 1, P),
        # no value: lead whatever the rank
        (0, 1, 0, L),
        (0, 1, None, L),
        (0, 100, -5, L),
        (0, 0, 100, L),  # an empty book has no ranking
        # 100 customers: 1% is one customer above, 5% five, 20% twenty
        (1, 100, 100, G),  # exactly at the 1% cut: not strictly below → next tier
        (4, 100, 100, G),
        (5, 100, 100, I),  # exactly at 5%
        (19, 100, 100, I),
        (20, 100, 100, L),  # exactly at 20%
        (99, 100, 100, L),
        # 1000 customers
        (9, 1000, 100, P),
        (10, 1000, 100, G),
        (49, 1000, 100, G),
        (50, 1000, 100, I),
        (199, 1000, 100, I),
        (200, 1000, 100, L),
        # small books: one above is already a large share
        (1, 7, 100, I),  # 14.3%
        (2, 7, 100, L),  # 28.6%
        (1, 30, 100, G),  # 3.3%
        (5, 30, 100, I),  # 16.7%
        (6, 30, 100, L),  # exactly 20%
        (1, 2, 100, L),  # 50%
    ],
)
def test_tier_of_default_cuts(above, total, value, expected):
    assert tier_of(above, total, value) == expected


@pytest.mark.parametrize(
    ("above", "total", "cuts", "expected"),
    [
        (0, 10, (10.0, 30.0, 60.0), P),
        (1, 10, (10.0, 30.0, 60.0), G),  # exactly 10%
        (2, 10, (10.0, 30.0, 60.0), G),
        (3, 10, (10.0, 30.0, 60.0), I),  # exactly 30%
        (5, 10, (10.0, 30.0, 60.0), I),
        (6, 10, (10.0, 30.0, 60.0), L),  # exactly 60%
        (2, 4, (50.0, 75.0, 100.0), G),  # exactly 50%
        (3, 4, (50.0, 75.0, 100.0), I),  # 75% exactly, < 100
        (1, 200, (0.5, 2.5, 10.0), G),  # exactly 0.5%
        (0, 200, (0.5, 2.5, 10.0), P),
        (4, 200, (0.5, 2.5, 10.0), G),
        (5, 200, (0.5, 2.5, 10.0), I),  # exactly 2.5%
        (161, 1000, (1.0, 5.0, 16.1), L),  # exactly 16.1%
        (160, 1000, (1.0, 5.0, 16.1), I),
    ],
)
def test_tier_of_custom_cuts(above, total, cuts, expected):
    assert tier_of(above, total, 100, cuts) == expected


def test_default_cuts_are_the_domain_ones():
    assert DEFAULT_CUTS == (1.0, 5.0, 20.0)
    assert TIERS == ("platinum", "gold", "iron", "lead")


# ---------------------------------------------------------------- assign


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([5], [P]),
        ([None], [L]),
        ([0], [L]),
        ([3, 3, 3], [P, P, P]),  # equal values share a tier, even all of them
        ([1, 2, 3], [L, L, P]),  # order of the book is kept
        ([0, None, 7], [L, L, P]),
        ([None, None], [L, L]),
        ([800, None, 900, 0, 800, 500, 0], [I, L, P, L, I, L, L]),
        ([10, 10] + [5] * 98, [P, P] + [G] * 98),  # 2 above the 5s: 2% → gold
        ([10] + [5] * 99, [P] + [G] * 99),  # 1 above: exactly 1% → gold
        ([10] * 5 + [5] * 95, [P] * 5 + [I] * 95),  # 5 above: exactly 5% → iron
        ([10] * 20 + [5] * 80, [P] * 20 + [L] * 80),  # 20 above: exactly 20% → lead
        ([10] * 19 + [5] * 81, [P] * 19 + [I] * 81),
        ([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [P, I, L, L, L, L, L, L, L, L]),
    ],
)
def test_assign_default_cuts(values, expected):
    assert assign(values) == expected


def test_assign_custom_cuts():
    values = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10]
    assert assign(values, (10.0, 30.0, 60.0)) == [P, G, G, I, I, I, L, L, L, L]
    assert assign(values, (50.0, 75.0, 100.0)) == [P, P, P, P, P, G, G, G, I, I]


values_st = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=50)), max_size=60)


@given(values_st)
def test_assign_matches_counting_above_by_hand(values):
    """The reference implementation equals the definition: count those strictly above."""
    flat = [v or 0 for v in values]
    expected = [tier_of(sum(1 for w in flat if w > v), len(values), v) for v in flat]
    assert assign(values) == expected


@given(values_st)
def test_assign_invariants(values):
    tiers = assign(values)
    order = {t: i for i, t in enumerate(TIERS)}
    positive = [v for v in values if v]
    if positive:
        assert tiers[values.index(max(positive))] == P
    for v, t in zip(values, tiers, strict=True):
        if not v:
            assert t == L
    for v, t in zip(values, tiers, strict=True):
        for w, u in zip(values, tiers, strict=True):
            if (v or 0) == (w or 0):
                assert t == u  # equal values share a tier
            elif (v or 0) > (w or 0):
                assert order[t] <= order[u]  # more value, never a lower tier


# ---------------------------------------------------------------- parse_cuts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5,20", (1.0, 5.0, 20.0)),
        ("1，5，20", (1.0, 5.0, 20.0)),  # full-width commas from a Chinese keyboard
        ("1，5,20", (1.0, 5.0, 20.0)),
        (" 1 , 5 , 20 ", (1.0, 5.0, 20.0)),
        ("10,30,60", (10.0, 30.0, 60.0)),
        ("0.5,2.5,10", (0.5, 2.5, 10.0)),
        ("10,30,100", (10.0, 30.0, 100.0)),  # 100 is allowed
    ],
)
def test_parse_cuts_accepts(text, expected):
    assert parse_cuts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "5,1,20",  # not increasing
        "1,1,20",  # equal
        "1,5,5",
        "20,5,1",
        "1,5",  # two values
        "1,5,20,50",  # four values
        "1",
        "1,5,101",  # above 100
        "1,5,100.5",
        "0,5,20",  # zero
        "-1,5,20",
        "",
        "a,b,c",
        "1,5,",
        "nan,5,20",
        "1,5,inf",
    ],
)
def test_parse_cuts_refuses(text):
    with pytest.raises(ValueError):
        parse_cuts(text)


# ---------------------------------------------------------------- summarise


def test_summarise_counts_and_value_shares():
    rows = [("platinum", 1, 6000), ("gold", 1, 3000), ("lead", 2, 1000)]
    assert summarise(rows, 4) == [
        TierSummary("platinum", 1, 6000, 0.25, 0.6),
        TierSummary("gold", 1, 3000, 0.25, 0.3),
        TierSummary("iron", 0, 0, 0.0, 0.0),  # every tier present even when empty
        TierSummary("lead", 2, 1000, 0.5, 0.1),
    ]


def test_summarise_any_row_order_and_none_value():
    rows = [("lead", 3, None), ("platinum", 1, 500)]
    assert summarise(rows, 4) == [
        TierSummary("platinum", 1, 500, 0.25, 1.0),
        TierSummary("gold", 0, 0, 0.0, 0.0),
        TierSummary("iron", 0, 0, 0.0, 0.0),
        TierSummary("lead", 3, 0, 0.75, 0.0),
    ]


def test_summarise_empty_book():
    assert summarise([], 0) == [TierSummary(t, 0, 0, 0.0, 0.0) for t in TIERS]


def test_summarise_no_value_anywhere():
    assert summarise([("lead", 5, 0)], 5) == [
        TierSummary("platinum", 0, 0, 0.0, 0.0),
        TierSummary("gold", 0, 0, 0.0, 0.0),
        TierSummary("iron", 0, 0, 0.0, 0.0),
        TierSummary("lead", 5, 0, 1.0, 0.0),
    ]


# ---------------------------------------------------------------- profitability cells


@pytest.mark.parametrize(
    ("now", "future", "expected"),
    [
        ("high", "high", "best"),
        ("low", "high", "invest"),
        ("high", "low", "keep"),
        ("low", "low", "worst"),
        (None, "high", None),
        ("high", None, None),
        (None, None, None),
    ],
)
def test_cell(now, future, expected):
    assert cell(now, future) == expected


# ---------------------------------------------------------------- effort and level warnings


def test_expected_effort_is_one_contact_per_cadence_period():
    assert expected_effort("platinum", DEFAULT_CADENCE) == 365 / 7
    assert expected_effort("lead", DEFAULT_CADENCE) == 365 / 90
    assert expected_effort("gold", {"gold": 73}) == 5.0


@pytest.mark.parametrize(
    ("tier", "level", "too_high"),
    [
        (tier, level, level not in allowed)
        for tier, allowed in LEVELS_FOR_TIER.items()
        for level in ("transactional", "preferred", "partner", "alliance")
    ],
)
def test_level_too_high_per_tier(tier, level, too_high):
    # an effort right on the tier's expectation, so only the level can be flagged
    effort = expected_effort(tier, DEFAULT_CADENCE)
    got = warnings(tier=tier, level=level, effort=effort, cell_=None)
    assert got == ([Warning("warn_level_too_high", {"level": level, "tier": tier})] if too_high else [])


def test_levels_for_tier_table():
    assert LEVELS_FOR_TIER == {
        "platinum": ("transactional", "preferred", "partner", "alliance"),
        "gold": ("transactional", "preferred", "partner"),
        "iron": ("transactional", "preferred"),
        "lead": ("transactional", "preferred"),
    }


def over(effort, expected, tier):
    return Warning("warn_overspend", {"effort": effort, "expected": expected, "tier": tier})


def under(effort, expected, tier):
    return Warning("warn_underserved", {"effort": effort, "expected": expected, "tier": tier})


@pytest.mark.parametrize(
    ("tier", "effort", "expected"),
    [
        # expected effort a year = 365 / cadence: platinum 52.1, gold 26.1, iron 12.2, lead 4.1
        # overspend: above 3× (platinum 156.43, gold 78.21, iron 36.5, lead 12.17)
        ("platinum", 156.4, []),
        ("platinum", 156.5, [over(156.5, 52.1, "platinum")]),
        ("gold", 78.2, []),
        ("gold", 78.3, [over(78.3, 26.1, "gold")]),
        ("iron", 36.5, []),  # exactly 3×: not above
        ("iron", 36.6, [over(36.6, 12.2, "iron")]),
        ("lead", 12.1, []),
        ("lead", 12.2, [over(12.2, 4.1, "lead")]),
        ("lead", 100.04, [over(100.0, 4.1, "lead")]),  # shown rounded to 0.1
        # underserved: platinum and gold below half (26.07, 13.04)
        ("platinum", 26.0, [under(26.0, 52.1, "platinum")]),
        ("platinum", 26.1, []),
        ("platinum", 0.0, [under(0.0, 52.1, "platinum")]),
        ("gold", 13.0, [under(13.0, 26.1, "gold")]),
        ("gold", 13.1, []),
        # iron and lead are never underserved by this measure
        ("iron", 0.0, []),
        ("lead", 0.0, []),
    ],
)
def test_effort_warnings(tier, effort, expected):
    assert warnings(tier=tier, level=None, effort=effort, cell_=None) == expected


def test_effort_warnings_follow_a_custom_cadence():
    cadence = {"platinum": 14, "gold": 28, "iron": 60, "lead": 365}
    assert warnings(tier="platinum", level=None, effort=13.0, cell_=None, cadence=cadence) == [
        under(13.0, 26.1, "platinum")
    ]
    assert warnings(tier="platinum", level=None, effort=26.0, cell_=None, cadence=cadence) == []
    assert warnings(tier="lead", level=None, effort=3.1, cell_=None, cadence=cadence) == [
        over(3.1, 1.0, "lead")
    ]


@pytest.mark.parametrize(
    ("tier", "level", "cell_", "expected"),
    [
        ("platinum", "alliance", "worst", [Warning("warn_worst_partner", {"level": "alliance"})]),
        ("platinum", "partner", "worst", [Warning("warn_worst_partner", {"level": "partner"})]),
        ("gold", "partner", "worst", [Warning("warn_worst_partner", {"level": "partner"})]),
        ("gold", "preferred", "worst", []),
        ("gold", "transactional", "worst", []),
        ("gold", None, "worst", []),
        ("gold", "partner", "best", []),
        ("gold", "partner", "invest", []),
        ("gold", "partner", "keep", []),
        ("gold", "partner", None, []),
        # level too high first, then the worst-cell warning
        (
            "iron",
            "partner",
            "worst",
            [
                Warning("warn_level_too_high", {"level": "partner", "tier": "iron"}),
                Warning("warn_worst_partner", {"level": "partner"}),
            ],
        ),
        (
            "gold",
            "alliance",
            "worst",
            [
                Warning("warn_level_too_high", {"level": "alliance", "tier": "gold"}),
                Warning("warn_worst_partner", {"level": "alliance"}),
            ],
        ),
    ],
)
def test_worst_cell_with_partner_or_alliance(tier, level, cell_, expected):
    effort = expected_effort(tier, DEFAULT_CADENCE)
    assert warnings(tier=tier, level=level, effort=effort, cell_=cell_) == expected


def test_all_three_kinds_of_warning_in_order():
    got = warnings(tier="lead", level="alliance", effort=50.0, cell_="worst")
    assert got == [
        Warning("warn_level_too_high", {"level": "alliance", "tier": "lead"}),
        over(50.0, 2.0, "lead"),  # issue 18: the worst cell warrants half the tier's effort
        Warning("warn_worst_partner", {"level": "alliance"}),
    ]

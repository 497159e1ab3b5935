"""Trust = competence × reliability × connection × time, as tables and as properties.

Only the pure rules (kehu.rules.trust): no book, no CLI. Exact values follow the
normalisations documented in the module docstring; the properties check what the
domain demands of any normalisation (a product of factors in [0, 1], monotone).
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kehu.rules.domain import BUYING_ROLES, KIND_WEIGHTS, PERSON_LEVELS, TOUCH_KINDS
from kehu.rules.trust import (
    FACTORS,
    Factors,
    PersonFacts,
    PromiseFacts,
    PromiseTally,
    Suggestion,
    TouchFacts,
    TrustParams,
    competence_of,
    contact_connection,
    customer_trust,
    person_trust,
    reliability_of,
    score_shown,
    tally_promises,
    time_of,
)

TODAY = date(2026, 6, 30)
P = TrustParams()
WINDOW = P.window_days


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def touch(days_ago: int, kind: str = "daily", *people: int) -> TouchFacts:
    return TouchFacts(ago(days_ago), kind, frozenset(people))


def sat(x: float, scale: float) -> float:
    return 1.0 - math.exp(-x / scale)


def conn(n: int, weight: int, kinds: int) -> float:
    """The documented contact connection: 0.4·F + 0.3·D + 0.3·B."""
    return 0.4 * sat(n, 4) + 0.3 * sat(weight, 20) + 0.3 * sat(kinds, 2)


def spread(people: int, levels: int) -> float:
    return 0.5 * sat(people, 3) + 0.5 * levels / 3


approx = pytest.approx


# --- the score as shown -----------------------------------------------------------------


# Rounded down to one decimal, so a shown score never passes a gate it failed; the tiny
# allowance keeps a whole tenth whole (2.3 × 10 is 22.999999999999996 in floating point).
@pytest.mark.parametrize("score, shown", [
    (0.0, 0.0), (39.96, 39.9), (39.99999, 39.9), (40.0, 40.0), (2.3, 2.3), (0.7, 0.7), (100.0, 100.0),
])
def test_score_shown_rounds_down_to_a_tenth(score, shown):
    assert score_shown(score) == shown


# --- competence -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(1, 0.2), (2, 0.4), (3, 0.6), (4, 0.8), (5, 1.0), (None, 0.6)],
)
def test_competence_of_rating(rating, expected):
    assert competence_of(rating, P) == approx(expected)


def test_unrated_competence_is_a_parameter():
    assert competence_of(None, TrustParams(unrated_competence=0.5)) == 0.5


# --- reliability ----------------------------------------------------------------------
# Issue 18: only broken promises lower reliability; all kept (or none made) is 1.


@pytest.mark.parametrize(
    ("promises", "tally", "reliability"),
    [
        pytest.param([], PromiseTally(0, 0, 0, 0), 1.0, id="none"),
        pytest.param(
            [PromiseFacts(due=ago(10), kept_on=ago(12))], PromiseTally(1, 0, 0, 0), 1.0, id="kept"
        ),
        pytest.param(
            [PromiseFacts(due=ago(10), kept_on=ago(10))],
            PromiseTally(1, 0, 0, 0),
            1.0,
            id="kept-on-due-day",
        ),
        pytest.param(
            [PromiseFacts(due=ago(-10), kept_on=ago(1))],
            PromiseTally(1, 0, 0, 0),
            1.0,
            id="kept-early-not-yet-due",
        ),
        pytest.param(
            [PromiseFacts(due=ago(10), broken=True)], PromiseTally(0, 1, 0, 0), 2 / 3, id="broken"
        ),
        pytest.param(
            [PromiseFacts(due=ago(-10), broken=True)],
            PromiseTally(0, 1, 0, 0),
            2 / 3,
            id="broken-before-due",
        ),
        pytest.param(
            [PromiseFacts(due=ago(10), kept_on=ago(5))],
            PromiseTally(0, 1, 0, 0),
            2 / 3,
            id="kept-late-is-not-on-time",
        ),
        pytest.param(
            [PromiseFacts(due=ago(10), kept_on=ago(12), broken=True)],
            PromiseTally(0, 1, 0, 0),
            2 / 3,
            id="broken-wins-over-kept-date",
        ),
        pytest.param(
            [PromiseFacts(due=ago(1))], PromiseTally(0, 1, 0, 1), 2 / 3, id="open-past-due"
        ),
        pytest.param(
            [PromiseFacts(due=TODAY)], PromiseTally(0, 0, 1, 0), 1.0, id="open-due-today"
        ),
        pytest.param(
            [PromiseFacts(due=ago(-5))], PromiseTally(0, 0, 1, 0), 1.0, id="open-not-yet-due"
        ),
        pytest.param(
            [PromiseFacts(due=ago(40 + i), kept_on=ago(41 + i)) for i in range(3)],
            PromiseTally(3, 0, 0, 0),
            1.0,
            id="three-kept",
        ),
        pytest.param(
            [
                PromiseFacts(due=ago(30), kept_on=ago(31)),
                PromiseFacts(due=ago(20), kept_on=ago(20)),
                PromiseFacts(due=ago(15), broken=True),
                PromiseFacts(due=ago(3)),
                PromiseFacts(due=ago(-3)),
            ],
            PromiseTally(2, 2, 1, 1),
            4 / 6,
            id="mixed",
        ),
    ],
)
def test_reliability_is_smoothed_over_promises(promises, tally, reliability):
    assert tally_promises(promises, TODAY) == tally
    assert reliability_of(tally) == approx(reliability)


# --- time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, 0.0),
        (1, 1 - math.exp(-1 / 120)),
        (30, 1 - math.exp(-0.25)),
        (120, 1 - math.exp(-1)),
        (360, 1 - math.exp(-3)),
        (-5, 0.0),  # a first touch "in the future" is no relationship yet
    ],
)
def test_time_since_first_touch(days, expected):
    assert time_of(ago(days), TODAY, P) == approx(expected)


def test_time_without_any_touch_is_zero():
    assert time_of(None, TODAY, P) == 0.0


def test_time_rises_and_saturates():
    days = [0, 7, 30, 60, 120, 240, 480, 960]
    values = [time_of(ago(d), TODAY, P) for d in days]
    assert values == sorted(values)
    assert len(set(values)) == len(values)  # strictly rising
    gains = [b - a for a, b in zip(values, values[1:], strict=False)]
    per_day = [g / (d2 - d1) for g, d1, d2 in zip(gains, days, days[1:], strict=False)]
    assert per_day == sorted(per_day, reverse=True)  # each extra day is worth less
    assert values[-1] > 0.999
    assert values[-1] < 1.0


def test_time_scale_is_a_parameter():
    assert time_of(ago(60), TODAY, TrustParams(time_scale_days=60)) == approx(1 - math.exp(-1))


# --- connection: frequency, depth, breadth -------------------------------------------


# The seed lists the ten ways without ranking them (DOMAIN §5); kehu's own table must be
# plausible: the order that matters, as pairs (deeper, lighter). The old weights were
# the list's order and broke three of these (forum 9 > exec_visit 8 > hq_visit 7).
DEEPER_THAN = [
    ("summit", "hq_visit"), ("exec_visit", "hq_visit"),  # the top of both sides meets
    ("exec_visit", "forum"), ("summit", "forum"), ("hq_visit", "forum"),  # a trade show is one vendor of many
    ("exec_visit", "exec_letter"), ("summit", "exec_letter"),  # meeting beats writing
    ("hq_visit", "showcase"), ("hq_visit", "team_event"), ("hq_visit", "joint_launch"),
    ("showcase", "topic"), ("team_event", "topic"), ("joint_launch", "topic"),
    ("showcase", "forum"), ("team_event", "forum"), ("joint_launch", "forum"),
    ("topic", "daily"), ("forum", "daily"), ("exec_letter", "daily"),
]


def test_kind_weights_are_kehus_own_plausible_table():
    assert set(KIND_WEIGHTS) == set(TOUCH_KINDS)
    assert all(isinstance(w, int) and 1 <= w <= 100 for w in KIND_WEIGHTS.values())  # as kind_weight.* accepts
    assert KIND_WEIGHTS["daily"] == min(KIND_WEIGHTS.values()) == 1
    assert max(KIND_WEIGHTS, key=KIND_WEIGHTS.get) in ("summit", "exec_visit")
    wrong = [(a, b) for a, b in DEEPER_THAN if not KIND_WEIGHTS[a] > KIND_WEIGHTS[b]]
    assert wrong == []
    # not the list's order any more: a forum is not deeper than an executive visit
    assert [KIND_WEIGHTS[k] for k in TOUCH_KINDS] != sorted(KIND_WEIGHTS.values())


def test_the_old_rank_order_breaks_the_table():
    """The pairs can fail: the weights that were the list's rank break them."""
    rank = {k: i + 1 for i, k in enumerate(TOUCH_KINDS)}
    assert ("exec_visit", "forum") in [(a, b) for a, b in DEEPER_THAN if not rank[a] > rank[b]]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        pytest.param([], 0.0, id="none"),
        pytest.param(["daily"], conn(1, 1, 1), id="one-daily"),
        pytest.param(["summit"], conn(1, 10, 1), id="one-summit"),
        pytest.param(["daily"] * 4, conn(4, 4, 1), id="four-daily"),
        pytest.param(["daily", "daily"], conn(2, 2, 1), id="same-light-kind"),
        # a deeper touchpoint can fill a lighter rung of the ladder: two topics cover 2
        pytest.param(["topic", "topic"], conn(2, 6, 2), id="same-kind-two-rungs"),  # topic weighs 3
        pytest.param(["summit"] * 3, conn(3, 30, 3), id="three-summits"),
        pytest.param(["daily", "showcase"], conn(2, 6, 2), id="two-kinds"),  # 1 + 5
        # weights 1,2,3,3,4,5,6,7,9,10: the two 3s share a height, so 9 rungs (1..9)
        pytest.param(list(TOUCH_KINDS), conn(10, 50, 9), id="all-kinds"),
        pytest.param(["unheard_of"], conn(1, 1, 1), id="unknown-kind-weighs-1"),
    ],
)
def test_contact_connection(kinds, expected):
    assert contact_connection([touch(1, k) for k in kinds], P) == approx(expected)


@pytest.mark.parametrize(
    ("weights", "rungs"),
    [([], 0), ([1], 1), ([1, 1, 1], 1), ([2, 2], 2), ([1, 2, 3], 3), ([10, 10, 10], 3),
     ([1, 1, 10], 2), ([3, 1, 1, 1], 2), (list(range(1, 11)), 10), ([10] * 12, 10)],
)
def test_ladder_breadth(weights, rungs):
    from kehu.rules.trust import ladder_breadth

    assert ladder_breadth(weights) == rungs


def test_one_daily_contact_exact_value():
    assert contact_connection([touch(0)], P) == approx(0.2211516615, abs=1e-9)


@pytest.mark.parametrize(
    ("fewer", "more"),
    [
        pytest.param(["daily"], ["daily", "daily"], id="frequency"),
        pytest.param(["daily"] * 3, ["daily"] * 6, id="frequency-more"),
        pytest.param(["daily"], ["summit"], id="depth"),
        pytest.param(["topic"], ["exec_visit"], id="depth-more"),
        pytest.param(["daily", "daily"], ["daily", "topic"], id="breadth"),
        pytest.param(["daily"] * 3, ["daily", "daily", "showcase"], id="breadth-more"),
    ],
)
def test_connection_grows_with_frequency_depth_breadth(fewer, more):
    low = contact_connection([touch(1, k) for k in fewer], P)
    high = contact_connection([touch(1, k) for k in more], P)
    assert high > low


# --- per person -----------------------------------------------------------------------


def test_person_trust_uses_only_their_touches_and_promises():
    me = PersonFacts(1, "Wang", "executive", "decider", 4)
    touches = [
        touch(10, "daily", 1),
        touch(5, "summit", 2),  # someone else
        touch(-5, "summit", 1),  # in the future: ignored
        touch(200, "summit", 1),  # outside the window: time only
    ]
    promises = [
        PromiseFacts(due=ago(30), kept_on=ago(31), people=frozenset({1})),
        PromiseFacts(due=ago(30), broken=True),  # to the organisation: counts for everyone
        PromiseFacts(due=ago(30), broken=True, people=frozenset({2})),  # to someone else
    ]
    pt = person_trust(me, touches, promises, TODAY, P)
    assert pt.person is me
    assert pt.touches_in_window == 1
    assert pt.last_touch == ago(10)
    assert pt.factors.competence == approx(0.8)
    assert pt.factors.reliability == approx(3 / 4)  # 1 kept, 1 broken: (1 + 2) / (2 + 2)
    assert pt.factors.connection == approx(conn(1, 1, 1))
    assert pt.factors.time == approx(1 - math.exp(-200 / 120))


@pytest.mark.parametrize(
    ("days_ago", "in_window"),
    [(0, True), (WINDOW - 1, True), (WINDOW, True), (WINDOW + 1, False)],
)
def test_window_boundary(days_ago, in_window):
    pt = person_trust(PersonFacts(1, "Wang"), [touch(days_ago, "daily", 1)], [], TODAY, P)
    assert pt.touches_in_window == (1 if in_window else 0)
    assert pt.factors.connection == approx(conn(1, 1, 1) if in_window else 0.0)


def test_person_never_touched():
    pt = person_trust(PersonFacts(1, "Wang"), [touch(3, "summit", 2)], [], TODAY, P)
    assert pt.factors == Factors(0.6, 1.0, 0.0, 0.0)
    assert pt.factors.score == 0.0
    assert pt.last_touch is None


# --- customer roll-up by role -------------------------------------------------------


ROLE_WEIGHT = {
    "decider": 3.0,
    "influencer": 2.0,
    "technical": 2.0,
    "procurement": 1.5,
    "coach": 1.5,
    "user": 1.0,
    None: 1.0,
}


@pytest.mark.parametrize("role", [*BUYING_ROLES, None])
def test_customer_competence_is_role_weighted(role):
    # one person of ``role`` rates us 5, a user rates us 1
    people = [PersonFacts(1, "A", role=role, competence=5), PersonFacts(2, "B", role="user", competence=1)]
    w = ROLE_WEIGHT[role]
    ct = customer_trust(people, [], [], TODAY, P)
    assert ct.factors.competence == approx((w * 1.0 + 1 * 0.2) / (w + 1))


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], 0.6),
        ([PersonFacts(1, "A")], 0.6),
        ([PersonFacts(1, "A", role="decider"), PersonFacts(2, "B", role="user", competence=5)], 0.7),
        (
            [
                PersonFacts(1, "A", role="decider", competence=1),
                PersonFacts(2, "B", role="influencer"),
                PersonFacts(3, "C", role="user", competence=3),
            ],
            0.4,
        ),
    ],
)
def test_customer_competence_unrated_are_neutral(people, expected):
    assert customer_trust(people, [], [], TODAY, P).factors.competence == approx(expected)


@pytest.mark.parametrize("role", [*BUYING_ROLES, None])
def test_customer_connection_one_person_is_role_weighted(role):
    people = [PersonFacts(1, "A", level="executive", role=role)]
    ct = customer_trust(people, [touch(3, "daily", 1)], [], TODAY, P)
    r = ROLE_WEIGHT[role] / 3
    assert ct.factors.connection == approx(0.7 * r * conn(1, 1, 1) + 0.3 * spread(1, 1))
    assert ct.people_in_window == 1
    assert ct.levels_in_window == ("executive",)
    assert ct.single_point is True


def test_customer_connection_noisy_or_of_two_people():
    people = [
        PersonFacts(1, "A", level="executive", role="decider"),
        PersonFacts(2, "B", level="middle", role="influencer"),
    ]
    ct = customer_trust(people, [touch(3, "daily", 1), touch(4, "daily", 2)], [], TODAY, P)
    c = conn(1, 1, 1)
    m = 1 - (1 - c) * (1 - 2 / 3 * c)
    assert ct.factors.connection == approx(0.7 * m + 0.3 * spread(2, 2))
    assert ct.people_in_window == 2
    assert ct.levels_in_window == ("executive", "middle")
    assert ct.single_point is False


def test_decider_contact_counts_more_than_user_contact():
    def with_role(role):
        ct = customer_trust(
            [PersonFacts(1, "A", role=role)], [touch(3, "topic", 1)], [], TODAY, P
        )
        return ct.factors.connection

    assert with_role("decider") > with_role("influencer") > with_role("coach") > with_role("user")


def test_anonymous_touch_counts_a_third_when_people_are_recorded():
    people = [PersonFacts(1, "A", level="staff", role="decider")]
    ct = customer_trust(people, [touch(3, "daily"), touch(4, "daily", 99)], [], TODAY, P)
    assert ct.factors.connection == approx(0.7 * conn(2, 2, 1) / 3)
    assert ct.people_in_window == 0
    assert ct.levels_in_window == ()


def test_anonymous_touch_counts_a_third_whether_or_not_people_are_recorded():
    ct = customer_trust([], [touch(3, "summit")], [], TODAY, P)
    assert ct.factors.connection == approx(0.7 * conn(1, 10, 1) / 3)


def test_recording_a_person_never_lowers_connection_or_score():
    touches = [touch(3, "summit"), touch(40, "topic"), touch(90, "daily")]
    promises = [PromiseFacts(due=TODAY, kept_on=TODAY)]
    before = customer_trust([], touches, promises, TODAY, P)
    after = customer_trust([PersonFacts(1, "A", role="decider", competence=3)], touches, promises, TODAY, P)
    assert after.factors.connection >= before.factors.connection
    assert after.score >= before.score


def test_levels_reached_are_listed_in_domain_order():
    people = [
        PersonFacts(1, "A", level="staff"),
        PersonFacts(2, "B", level="executive"),
        PersonFacts(3, "C", level="middle"),
        PersonFacts(4, "D"),
    ]
    ct = customer_trust(
        people, [touch(3, "daily", 1), touch(2, "daily", 2, 4), touch(300, "daily", 3)], [], TODAY, P
    )
    assert ct.levels_in_window == ("executive", "staff")
    assert ct.people_in_window == 3
    assert ct.factors.connection == approx(
        0.7 * (1 - (1 - conn(1, 1, 1) / 3) ** 3) + 0.3 * spread(3, 2)
    )


def test_customer_time_and_reliability_use_everything():
    people = [PersonFacts(1, "A"), PersonFacts(2, "B")]
    touches = [touch(400, "daily"), touch(20, "daily", 1), touch(-3, "summit", 2)]
    promises = [
        PromiseFacts(due=ago(10), kept_on=ago(10), people=frozenset({1})),
        PromiseFacts(due=ago(10), kept_on=ago(11), people=frozenset({2})),
        PromiseFacts(due=ago(2)),
    ]
    ct = customer_trust(people, touches, promises, TODAY, P)
    assert ct.first_touch == ago(400)
    assert ct.last_touch == ago(20)  # the future touch is not a touch yet
    assert ct.factors.time == approx(1 - math.exp(-400 / 120))
    assert ct.promises == PromiseTally(2, 1, 0, 1)
    assert ct.factors.reliability == approx(4 / 5)  # (2 kept + 2) / (3 + 2)
    # per person: each sees their own promise and the organisation's
    assert [p.factors.reliability for p in ct.people] == approx([3 / 4, 3 / 4])
    assert [p.factors.time for p in ct.people] == approx([1 - math.exp(-20 / 120), 0.0])


@pytest.mark.parametrize(
    ("touches", "single"),
    [
        pytest.param([], False, id="no-contact"),
        pytest.param([touch(300, "daily", 1)], False, id="only-old-contact"),
        pytest.param([touch(3, "daily", 1)], True, id="one-person"),
        pytest.param([touch(3, "daily", 1), touch(5, "summit", 1)], True, id="one-person-twice"),
        pytest.param([touch(3, "daily", 1), touch(300, "daily", 2)], True, id="other-only-old"),
        pytest.param([touch(3, "daily", 1, 2)], False, id="two-people-together"),
        pytest.param([touch(3, "daily", 1), touch(9, "daily", 2)], False, id="two-people"),
    ],
)
def test_single_point_flag(touches, single):
    people = [PersonFacts(1, "A", level="executive"), PersonFacts(2, "B", level="staff")]
    ct = customer_trust(people, touches, [], TODAY, P)
    assert ct.single_point is single
    assert (Suggestion("tip_single_point") in ct.suggestions) is single


# --- weakest factor and what to do about it ------------------------------------------


def rich_contact(ids: set[int], first_days_ago: int, n: int = 20) -> list[TouchFacts]:
    """n touches of every kind in turn, with all of ``ids``, from ``first_days_ago`` on."""
    step = first_days_ago // n
    return [touch(first_days_ago - i * step, TOUCH_KINDS[i % 10], *ids) for i in range(n)]


WANG = PersonFacts(1, "Wang", "executive", "decider", 5)
LI = PersonFacts(2, "Li", "middle", "influencer", 5)
ZHAO = PersonFacts(3, "Zhao", "staff", "user", 5)
TEAM = [WANG, LI, ZHAO]
KEPT5 = [PromiseFacts(due=ago(30 + i), kept_on=ago(31 + i)) for i in range(5)]


@pytest.mark.parametrize(
    ("people", "touches", "promises", "weakest", "suggestions"),
    [
        pytest.param(
            [],
            [],
            [],
            "connection",
            [
                Suggestion("tip_first_contact"),
                Suggestion("tip_reach_levels", {"levels": ["executive", "middle", "staff"]}),
            ],
            id="empty-book",
        ),
        pytest.param(
            [
                dataclasses.replace(WANG, competence=1),
                dataclasses.replace(LI, competence=None),
                dataclasses.replace(ZHAO, competence=3),
            ],
            rich_contact({1, 2, 3}, 400),
            KEPT5,
            "competence",
            [
                Suggestion("tip_rate_people", {"names": ["Li"]}),
                Suggestion("tip_show_expertise", {"name": "Wang"}),
            ],
            id="competence",
        ),
        pytest.param(
            TEAM,
            rich_contact({1, 2, 3}, 400),
            [PromiseFacts(due=ago(3)), PromiseFacts(due=ago(5)), PromiseFacts(due=ago(20), kept_on=ago(21))],
            "reliability",
            [Suggestion("tip_keep_overdue", {"count": 2})],
            id="reliability-overdue",
        ),
        pytest.param(  # issue 18: no promise made is no weakness, and never advice to promise
            TEAM,
            rich_contact({1, 2, 3}, 400),
            [],
            "connection",
            [],
            id="no-promises-is-not-a-weakness",
        ),
        pytest.param(
            TEAM,
            rich_contact({1, 2, 3}, 400),
            [
                PromiseFacts(due=ago(3), broken=True),
                PromiseFacts(due=ago(5), kept_on=ago(1)),
                PromiseFacts(due=ago(20), kept_on=ago(21)),
            ],
            "reliability",
            [Suggestion("tip_keep_promises", {"kept": 1, "broken": 2})],
            id="reliability-broken",
        ),
        pytest.param(
            TEAM,
            rich_contact({1, 2, 3}, 20),
            KEPT5,
            "time",
            [Suggestion("tip_time", {"days": 20})],
            id="time",
        ),
        pytest.param(
            [WANG],
            [touch(300, "daily", 1), touch(10, "daily", 1)],
            [],
            "connection",
            [
                Suggestion("tip_deeper_kind", {"kind": "topic"}),
                Suggestion("tip_reach_levels", {"levels": ["middle", "staff"]}),
                Suggestion("tip_single_point"),
            ],
            id="connection-shallow-single",
        ),
        pytest.param(
            [WANG],
            [touch(300, "daily", 1), touch(10, "summit", 1)],
            [],
            "connection",
            [
                Suggestion("tip_reach_levels", {"levels": ["middle", "staff"]}),
                Suggestion("tip_single_point"),
            ],
            id="connection-deepest-already",
        ),
        pytest.param(
            [WANG],
            [touch(200, "daily", 1)],
            [],
            "connection",
            [
                Suggestion("tip_no_recent_contact", {"days": 200}),
                Suggestion("tip_reach_levels", {"levels": ["executive", "middle", "staff"]}),
            ],
            id="connection-gone-quiet",
        ),
    ],
)
def test_weakest_factor_and_suggestions(people, touches, promises, weakest, suggestions):
    ct = customer_trust(people, touches, promises, TODAY, P)
    assert ct.weakest == weakest
    assert ct.factors.weakest == weakest
    assert getattr(ct.factors, weakest) == min(ct.factors.as_dict().values())
    assert list(ct.suggestions) == suggestions


def test_empty_book_factors_exactly():
    ct = customer_trust([], [], [], TODAY, P)
    assert ct.factors == Factors(0.6, 1.0, 0.0, 0.0)
    assert ct.score == 0.0
    assert ct.single_point is False
    assert ct.first_touch is None and ct.last_touch is None


@pytest.mark.parametrize(
    ("factors", "weakest"),
    [
        (Factors(0.1, 0.5, 0.5, 0.5), "competence"),
        (Factors(0.5, 0.1, 0.5, 0.5), "reliability"),
        (Factors(0.5, 0.5, 0.1, 0.5), "connection"),
        (Factors(0.5, 0.5, 0.5, 0.1), "time"),
        (Factors(0.5, 0.5, 0.5, 0.5), "competence"),  # ties: the first in formula order
        (Factors(1.0, 1.0, 0.0, 0.0), "connection"),
    ],
)
def test_weakest_of_factors(factors, weakest):
    assert factors.weakest == weakest


def test_factors_as_dict_in_formula_order():
    f = Factors(0.1, 0.2, 0.3, 0.4)
    assert list(f.as_dict().items()) == list(zip(FACTORS, [0.1, 0.2, 0.3, 0.4], strict=True))
    assert f.score == approx(100 * 0.1 * 0.2 * 0.3 * 0.4)


# --- properties -------------------------------------------------------------------------

EPS = 1e-9
PROPS = settings(
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


class Book(NamedTuple):
    people: tuple[PersonFacts, ...]
    touches: tuple[TouchFacts, ...]
    promises: tuple[PromiseFacts, ...]
    params: TrustParams = P

    def trust(self):
        return customer_trust(self.people, self.touches, self.promises, TODAY, self.params)


# Any weights the settings accept (kind_weight.* whole 1..100, role_weight.* 0.1..10):
# the monotone properties must hold under every one of them, not only kehu's defaults.
def any_params():
    return st.builds(
        lambda kinds, roles: TrustParams(kind_weights=dict(zip(TOUCH_KINDS, kinds, strict=True)),
                                         role_weights=dict(zip((*BUYING_ROLES, None), roles, strict=True))),
        st.lists(st.integers(1, 100), min_size=len(TOUCH_KINDS), max_size=len(TOUCH_KINDS)),
        st.lists(st.floats(0.1, 10), min_size=len(BUYING_ROLES) + 1, max_size=len(BUYING_ROLES) + 1),
    )


@st.composite
def books(draw, min_touches: int = 0) -> Book:
    n = draw(st.integers(0, 4))
    people = tuple(
        PersonFacts(
            i,
            f"p{i}",
            level=draw(st.sampled_from((None, *PERSON_LEVELS))),
            role=draw(st.sampled_from((None, *BUYING_ROLES))),
            competence=draw(st.one_of(st.none(), st.integers(1, 5))),
        )
        for i in range(1, n + 1)
    )
    ids = st.frozensets(st.sampled_from(range(1, n + 1)), max_size=n) if n else st.just(frozenset())
    # A few kinds per book, so that repeated kinds (and so breadth vs depth) are common.
    palette = draw(st.lists(st.sampled_from(TOUCH_KINDS), min_size=1, max_size=4, unique=True))
    touches = tuple(
        draw(
            st.lists(
                st.builds(
                    TouchFacts,
                    on=st.integers(-10, 500).map(ago),  # a few in the future
                    kind=st.sampled_from(palette),
                    people=ids,
                ),
                min_size=min_touches,
                max_size=30,
            )
        )
    )
    promises = tuple(draw(st.lists(promise(ids), max_size=6)))
    return Book(people, touches, promises, draw(st.one_of(st.just(P), any_params())))


def promise(ids):
    due = st.integers(-60, 60).map(ago)
    return st.one_of(
        st.builds(PromiseFacts, due=due, people=ids),
        st.builds(PromiseFacts, due=due, broken=st.just(True), people=ids),
        st.builds(
            lambda d, late, people: PromiseFacts(due=d, kept_on=d + timedelta(days=late), people=people),
            due,
            st.integers(-10, 10),
            ids,
        ),
    )


def people_ids(book: Book):
    ids = [p.id for p in book.people]
    return st.frozensets(st.sampled_from(ids), max_size=len(ids)) if ids else st.just(frozenset())


def all_factors(ct):
    yield ct.factors
    for pt in ct.people:
        yield pt.factors


@PROPS
@given(books())
def test_score_is_100_times_the_product_and_factors_in_unit_interval(book):
    ct = book.trust()
    for f in all_factors(ct):
        for name in FACTORS:
            assert 0.0 <= getattr(f, name) <= 1.0, name
        product = f.competence * f.reliability * f.connection * f.time
        assert f.score == approx(100 * product, rel=1e-12, abs=1e-12)
        assert 0.0 <= f.score <= 100.0
        if min(f.as_dict().values()) == 0.0:
            assert f.score == 0.0
    assert ct.score == ct.factors.score


@PROPS
@given(books())
def test_no_touchpoint_until_today_means_zero_trust(book):
    future_only = Book(book.people, tuple(t for t in book.touches if t.on > TODAY), book.promises)
    ct = future_only.trust()
    assert ct.factors.time == 0.0
    assert ct.factors.connection == 0.0
    assert ct.score == 0.0
    assert all(pt.factors.score == 0.0 for pt in ct.people)


@PROPS
@given(books(), st.integers(-60, 60), st.integers(0, 30), st.data())
def test_a_kept_on_time_promise_never_lowers_reliability_or_score(book, due, early, data):
    ids = data.draw(people_ids(book))
    kept = PromiseFacts(due=ago(due), kept_on=ago(due + early), people=ids)
    before = book.trust()
    after = book._replace(promises=(*book.promises, kept)).trust()
    assert after.factors.reliability >= before.factors.reliability - EPS
    assert after.score >= before.score - EPS
    for b, a in zip(before.people, after.people, strict=True):
        assert a.factors.reliability >= b.factors.reliability - EPS
        assert a.factors.score >= b.factors.score - EPS


@PROPS
@given(books(), st.integers(0, WINDOW), st.sampled_from(TOUCH_KINDS), st.data())
def test_a_touchpoint_never_lowers_connection_or_score(book, days_ago, kind, data):
    new = TouchFacts(ago(days_ago), kind, data.draw(people_ids(book)))
    before = book.trust()
    after = book._replace(touches=(*book.touches, new)).trust()
    assert after.factors.connection >= before.factors.connection - EPS
    assert after.factors.time >= before.factors.time - EPS
    assert after.score >= before.score - EPS
    for b, a in zip(before.people, after.people, strict=True):
        assert a.factors.connection >= b.factors.connection - EPS
        assert a.factors.score >= b.factors.score - EPS


@PROPS
@given(books(min_touches=1), st.integers(0, 29), st.integers(1, 9))
@example(
    # A decider met at three summits and one forum: making the forum a fourth summit
    # adds 1 to depth but removes a kind, so breadth falls more than depth rises.
    Book(
        (PersonFacts(1, "Wang", role="decider"),),
        (touch(30, "summit", 1), touch(29, "summit", 1), touch(28, "summit", 1), touch(27, "forum", 1)),
        (),
    ),
    3,
    6,  # forum is 4th lightest of ten, summit the 10th
)
def test_a_deeper_kind_never_lowers_connection_or_score(book, index, deeper_by):
    i = index % len(book.touches)
    old = book.touches[i]
    # deeper under this book's weights (kehu's table or any other valid one), not the
    # seed's list order: the lightest first, ties in the list's order
    weight = book.params.kind_weights
    by_depth = sorted(TOUCH_KINDS, key=lambda k: weight[k])
    rank = by_depth.index(old.kind)
    assume(rank < len(by_depth) - 1)
    deeper = dataclasses.replace(old, kind=by_depth[min(rank + deeper_by, 9)])
    assert weight[deeper.kind] >= weight[old.kind]
    touches = list(book.touches)
    touches[i] = deeper
    before = book.trust()
    after = book._replace(touches=tuple(touches)).trust()
    for b, a in zip(before.people, after.people, strict=True):
        assert a.factors.connection >= b.factors.connection - EPS
    assert after.factors.connection >= before.factors.connection - EPS
    assert after.score >= before.score - EPS


def _move_first_earlier(book: Book, by: int, stay_in_window: bool) -> Book:
    past = [i for i, t in enumerate(book.touches) if t.on <= TODAY]
    assume(past)
    i = min(past, key=lambda j: book.touches[j].on)
    old = book.touches[i]
    on = old.on - timedelta(days=by)
    if stay_in_window and old.on >= ago(WINDOW):
        on = max(on, ago(WINDOW))  # still inside the window: connection unchanged
    touches = list(book.touches)
    touches[i] = dataclasses.replace(old, on=on)
    return book._replace(touches=tuple(touches))


@PROPS
@given(books(min_touches=1), st.integers(1, 400))
def test_a_longer_relationship_never_lowers_time(book, by):
    before = book.trust()
    after = _move_first_earlier(book, by, stay_in_window=False).trust()
    assert after.factors.time >= before.factors.time - EPS
    for b, a in zip(before.people, after.people, strict=True):
        assert a.factors.time >= b.factors.time - EPS


@PROPS
@given(books(min_touches=1), st.integers(1, 400))
def test_a_longer_relationship_never_lowers_the_score(book, by):
    before = book.trust()
    after = _move_first_earlier(book, by, stay_in_window=True).trust()
    assert after.factors.time >= before.factors.time - EPS
    assert after.factors.connection == approx(before.factors.connection)
    assert after.score >= before.score - EPS


@PROPS
@given(any_params())
def test_every_roles_reach_is_in_0_1_and_nobody_named_weighs_least(params):
    """Whatever role weights are set, r stays in (0, 1] (the noisy-or stays a probability)
    and touchpoints naming nobody reach no further than any recorded role, so naming the
    person met never lowers connection."""
    from kehu.rules.trust import anonymous_reach, role_reach

    reaches = [role_reach(r, params) for r in (*BUYING_ROLES, None)]
    assert all(0 < r <= 1 for r in reaches)
    assert max(reaches) == 1
    assert anonymous_reach(params) == min(reaches)

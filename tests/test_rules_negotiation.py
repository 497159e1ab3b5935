"""The negotiation plan as plain tables: is it ready, what is missing, what to watch.

Only the pure rules (kehu.rules.negotiation): no book, no CLI. Every failing plan is
the complete plan with one piece taken away, so a row passes only if that piece counts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from kehu.rules.negotiation import (
    ANALYSIS,
    ASPECTS,
    CLOSED_STATUSES,
    ENUMS,
    FLOW,
    FLOW_STEPS,
    MIN_OPTIONS,
    PACKAGES,
    PARTIES,
    PARTS,
    PRINCIPLES,
    ROLES,
    SETTLEMENTS,
    SMART,
    TIMING,
    AgendaStep,
    Evidence,
    Issue,
    Missing,
    Option,
    Package,
    Plan,
    Verdict,
    Warning,
    agenda,
    flags,
    preferred_order,
    readiness,
)
from kehu.rules.trust import PersonFacts

TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def complete_plan() -> Plan:
    """A plan with every piece in place: READY, no warnings."""
    return Plan(
        contract_status="negotiating",
        contract_amount_cents=1_000_000_00,
        timing={c: Evidence(f"evidence for {c}", YESTERDAY) for c in TIMING},
        issues=(
            Issue(
                id=11,
                detail="payment terms",
                need="cash flow before fiscal year end",
                options=(
                    Option(101, "30/60/10 instalments", "no large payment this quarter"),
                    Option(102, "acceptance-based payment", "pays only for what works"),
                ),
                settled_by=None,
                settlement=None,
            ),
            Issue(
                id=12,
                detail="on-site support hours",
                need="no downtime in peak season",
                options=(
                    Option(103, "24/7 hotline in peak months", "peak season covered"),
                    Option(104, "resident engineer for 3 months", "fixes on the spot"),
                ),
                settled_by="trade",
                settlement="resident engineer against a 3-year term",
            ),
        ),
        analysis={pair: f"notes on {pair[0]} {pair[1]}" for pair in ANALYSIS},
        goal={
            "specific": "sign the 3-year platform contract",
            "measurable": "at least 950,000 with 25% margin",
            "achievable": "budget approved, decider supports us",
            "relevant": "anchors the region",
            "deadline": "2026-04-30",
        },
        packages={
            "best": Package("best", "full platform, 3 years", 1_000_000_00),
            "compromise": Package("compromise", "platform, 2 years", 950_000_00),
            "bottom": Package("bottom", "core modules, 2 years", 900_000_00),
        },
        team={
            "lead": "Wang Fang",
            "technical": "Li Wei",
            "service": "Zhao Min",
            "commercial": "Chen Jie",
            "recorder": "Liu Yang",
        },
    )


# --- ways to take one piece away --------------------------------------------------------


def without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


def with_item(mapping, key, value):
    return {**mapping, key: value}


def drop_timing(c):
    return lambda p: replace(p, timing=without(p.timing, c))


def change_issue(index, **kw):
    def change(p):
        issues = list(p.issues)
        issues[index] = replace(issues[index], **kw)
        return replace(p, issues=tuple(issues))

    return change


def change_option(issue_index, option_index, **kw):
    def change(p):
        issue = p.issues[issue_index]
        options = list(issue.options)
        options[option_index] = replace(options[option_index], **kw)
        return change_issue(issue_index, options=tuple(options))(p)

    return change


def drop_analysis(pair):
    return lambda p: replace(p, analysis=without(p.analysis, pair))


def drop_goal(part):
    return lambda p: replace(p, goal=without(p.goal, part))


def set_goal(part, text):
    return lambda p: replace(p, goal=with_item(p.goal, part, text))


def drop_package(kind):
    return lambda p: replace(p, packages=without(p.packages, kind))


def set_amounts(best, compromise, bottom):
    def change(p):
        amounts = {"best": best, "compromise": compromise, "bottom": bottom}
        return replace(
            p, packages={k: replace(pkg, amount_cents=amounts[k]) for k, pkg in p.packages.items()}
        )

    return change


def drop_role(role):
    return lambda p: replace(p, team=without(p.team, role))


def set_role(role, name):
    return lambda p: replace(p, team=with_item(p.team, role, name))


def verdict_of(change) -> Verdict:
    return readiness(change(complete_plan()), TODAY)


# --- the vocabulary -------------------------------------------------------------------


def test_vocabulary_is_the_methodology():
    # i18n labels are keyed on these: renaming one silently unlabels it.
    assert TIMING == ("terms", "proposal", "objections", "all_raised")
    assert PRINCIPLES == ("people_problem", "interests", "options", "criteria")
    assert SETTLEMENTS == ("trade", "add_value", "split", "concede")
    assert PARTIES == ("ours", "customer", "competitor")
    assert ASPECTS == {
        "ours": ("strengths", "gaps", "unique_value", "goal"),
        "customer": ("pain", "background", "finances", "deciders", "process", "timing"),
        "competitor": ("offer", "goal", "relationships", "position", "tactics"),
    }
    assert len(ANALYSIS) == 15
    assert SMART == ("specific", "measurable", "achievable", "relevant", "deadline")
    assert PACKAGES == ("best", "compromise", "bottom")
    assert ROLES == ("lead", "technical", "service", "commercial", "recorder")
    assert FLOW == ("opening", "bargaining", "close")
    assert FLOW_STEPS == {
        "opening": ("recap", "confirm_issues", "agenda"),
        "bargaining": ("detail", "need", "our_position", "options", "deadlock", "wrap_up"),
        "close": ("final_package", "benefits", "next_steps"),
    }
    assert MIN_OPTIONS == 2
    assert PARTS == ("timing", "issues", "analysis", "goal", "packages", "team")
    assert CLOSED_STATUSES == ("signed", "completed", "lost")


def test_preferred_order_puts_mutual_gain_first_and_concession_last():
    assert preferred_order() == ("trade", "add_value", "split", "concede")


@pytest.mark.parametrize(
    ("settled_by", "expected"),
    [
        (None, ()),
        ("trade", ()),
        ("add_value", ()),
        ("split", ()),
        ("concede", ("concession",)),
    ],
)
def test_flags(settled_by, expected):
    issue = replace(complete_plan().issues[0], settled_by=settled_by, settlement="x")
    assert flags(issue) == expected


# --- ready ----------------------------------------------------------------------------


def test_complete_plan_is_ready_with_nothing_missing_and_no_warnings():
    assert readiness(complete_plan(), TODAY) == Verdict(True, (), ())


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p, id="as-is"),
        pytest.param(set_goal("deadline", TODAY.isoformat()), id="deadline-today"),
        pytest.param(set_goal("deadline", " 2026-04-30 "), id="deadline-with-spaces"),
        pytest.param(
            lambda p: replace(p, timing={c: Evidence("seen", TODAY) for c in TIMING}),
            id="evidence-dated-today",
        ),
        pytest.param(set_amounts(900, 900, 900), id="equal-package-amounts"),
        pytest.param(set_amounts(None, None, None), id="packages-without-amounts"),
        pytest.param(set_amounts(1000, None, 900), id="compromise-without-amount"),
        pytest.param(
            change_issue(0, options=(*complete_plan().issues[0].options, Option(105, "third", "more"))),
            id="three-options",
        ),
        pytest.param(change_issue(0, settled_by="split", settlement="half each"), id="all-settled"),
        pytest.param(
            lambda p: replace(
                p,
                timing=with_item(p.timing, "bogus", Evidence("x", TOMORROW)),
                goal=with_item(p.goal, "bogus", ""),
                team=with_item(p.team, "bogus", ""),
            ),
            id="unknown-keys-ignored",
        ),
        pytest.param(lambda p: replace(p, contract_status="draft"), id="draft-contract"),
    ],
)
def test_ready_variants(change):
    v = verdict_of(change)
    assert v.missing == ()
    assert v.ready is True


# --- exactly one piece missing ----------------------------------------------------------


def _one_missing_rows():
    rows = []
    for c in TIMING:
        rows.append(
            pytest.param(drop_timing(c), Missing("timing", "neg_timing_missing", {"timing": c}), id=f"timing-{c}")
        )
    rows += [
        pytest.param(
            lambda p: replace(p, timing=with_item(p.timing, "objections", Evidence("  ", YESTERDAY))),
            Missing("timing", "neg_timing_missing", {"timing": "objections"}),
            id="timing-blank-evidence",
        ),
        pytest.param(
            lambda p: replace(p, timing=with_item(p.timing, "all_raised", Evidence("they will", TOMORROW))),
            Missing("timing", "neg_timing_future", {"timing": "all_raised", "day": TOMORROW.isoformat()}),
            id="timing-future-evidence",
        ),
        pytest.param(lambda p: replace(p, issues=()), Missing("issues", "neg_no_issues"), id="no-issues"),
        pytest.param(
            change_issue(0, need=None), Missing("issues", "neg_issue_need", {"issue": 11}), id="issue-no-need"
        ),
        pytest.param(
            change_issue(1, need=" \t"), Missing("issues", "neg_issue_need", {"issue": 12}), id="issue-blank-need"
        ),
        pytest.param(
            change_issue(0, options=complete_plan().issues[0].options[:1]),
            Missing("issues", "neg_issue_options", {"issue": 11, "count": 1, "min": 2}),
            id="issue-one-option",
        ),
        pytest.param(
            change_issue(1, options=()),
            Missing("issues", "neg_issue_options", {"issue": 12, "count": 0, "min": 2}),
            id="issue-no-options",
        ),
        pytest.param(
            change_option(0, 1, value=None),
            Missing("issues", "neg_option_value", {"issue": 11, "option": 102}),
            id="option-no-value",
        ),
        pytest.param(
            change_option(1, 0, value=""),
            Missing("issues", "neg_option_value", {"issue": 12, "option": 103}),
            id="option-blank-value",
        ),
    ]
    for party, aspect in ANALYSIS:
        rows.append(
            pytest.param(
                drop_analysis((party, aspect)),
                Missing("analysis", "neg_analysis_missing", {"party": party, "aspect": aspect}),
                id=f"analysis-{party}-{aspect}",
            )
        )
    rows.append(
        pytest.param(
            lambda p: replace(p, analysis=with_item(p.analysis, ("competitor", "tactics"), "   ")),
            Missing("analysis", "neg_analysis_missing", {"party": "competitor", "aspect": "tactics"}),
            id="analysis-blank",
        )
    )
    for part in SMART:
        rows.append(
            pytest.param(drop_goal(part), Missing("goal", "neg_goal_missing", {"smart": part}), id=f"goal-{part}")
        )
    rows += [
        pytest.param(
            set_goal("measurable", ""),
            Missing("goal", "neg_goal_missing", {"smart": "measurable"}),
            id="goal-blank",
        ),
        pytest.param(
            set_goal("deadline", YESTERDAY.isoformat()),
            Missing("goal", "neg_deadline_past", {"deadline": YESTERDAY.isoformat()}),
            id="deadline-past",
        ),
    ]
    for bad in ("end of April", "2026-02-30", "20260430", "2026-W18", "30/04/2026"):
        rows.append(
            pytest.param(
                set_goal("deadline", bad),
                Missing("goal", "neg_deadline_invalid", {"value": bad}),
                id=f"deadline-invalid-{bad}",
            )
        )
    for kind in PACKAGES:
        rows.append(
            pytest.param(
                drop_package(kind),
                Missing("packages", "neg_package_missing", {"package": kind}),
                id=f"package-{kind}",
            )
        )
    rows.append(
        pytest.param(
            lambda p: replace(
                p, packages=with_item(p.packages, "compromise", Package("compromise", " ", 950_000_00))
            ),
            Missing("packages", "neg_package_missing", {"package": "compromise"}),
            id="package-blank-text",
        )
    )
    for best, compromise, bottom in [(900, 950, 800), (1000, 800, 900), (800, 900, 1000), (800, None, 900)]:
        rows.append(
            pytest.param(
                set_amounts(best, compromise, bottom),
                Missing(
                    "packages",
                    "neg_packages_order",
                    {"best": best, "compromise": compromise, "bottom": bottom},
                ),
                id=f"packages-order-{best}-{compromise}-{bottom}",
            )
        )
    for role in ROLES:
        rows.append(
            pytest.param(
                drop_role(role), Missing("team", "neg_role_missing", {"team_role": role}), id=f"role-{role}"
            )
        )
    rows.append(
        pytest.param(
            set_role("service", ""),
            Missing("team", "neg_role_missing", {"team_role": "service"}),
            id="role-blank",
        )
    )
    return rows


ONE_MISSING = _one_missing_rows()


@pytest.mark.parametrize(("change", "expected"), ONE_MISSING)
def test_one_piece_missing_is_named_alone(change, expected):
    v = verdict_of(change)
    assert v.ready is False
    assert v.missing == (expected,)


def test_every_piece_of_the_vocabulary_has_a_row():
    ids = {row.id for row in ONE_MISSING}
    assert {f"timing-{c}" for c in TIMING} <= ids
    assert {f"analysis-{p}-{a}" for p, a in ANALYSIS} <= ids
    assert {f"goal-{s}" for s in SMART} <= ids
    assert {f"package-{k}" for k in PACKAGES} <= ids
    assert {f"role-{r}" for r in ROLES} <= ids


# --- warnings: shown, never blocking -----------------------------------------------------


def with_people(*people: tuple[str, str | None, str | None]):
    """The customer's people as (name, buying role, attitude)."""
    return lambda p: replace(p, people=tuple(PersonFacts(i, n, None, r, None, a)
                                             for i, (n, r, a) in enumerate(people, 1)))



@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            change_issue(1, settled_by="concede", settlement="free support"),
            (Warning("neg_concession", {"issue": 12}),),
            id="concede",
        ),
        pytest.param(
            lambda p: replace(
                p,
                issues=tuple(replace(i, settled_by="concede", settlement="gave in") for i in p.issues),
            ),
            (Warning("neg_concession", {"issue": 11}), Warning("neg_concession", {"issue": 12})),
            id="two-concessions-in-order",
        ),
        pytest.param(
            set_role("recorder", "Wang Fang"),
            (Warning("neg_lead_is_recorder", {"person": "Wang Fang"}),),
            id="lead-is-recorder",
        ),
        pytest.param(
            set_role("recorder", " wang fang "),
            (Warning("neg_lead_is_recorder", {"person": "Wang Fang"}),),
            id="lead-is-recorder-spacing-and-case",
        ),
        pytest.param(
            set_amounts(1_200_000_00, 1_100_000_00, 1_050_000_00),
            (Warning("neg_bottom_above_amount", {"bottom": 1_050_000_00, "amount": 1_000_000_00}),),
            id="bottom-above-amount",
        ),
        *[
            pytest.param(
                lambda p, s=status: replace(p, contract_status=s),
                (Warning("neg_contract_closed", {"contract_status": status}),),
                id=f"contract-{status}",
            )
            for status in ("signed", "completed", "lost")
        ],
        pytest.param(
            lambda p: change_issue(0, settled_by="concede", settlement="x")(
                set_role("recorder", "Wang Fang")(
                    set_amounts(None, None, 2_000_000_00)(replace(p, contract_status="lost"))
                )
            ),
            (
                Warning("neg_contract_closed", {"contract_status": "lost"}),
                Warning("neg_concession", {"issue": 11}),
                Warning("neg_bottom_above_amount", {"bottom": 2_000_000_00, "amount": 1_000_000_00}),
                Warning("neg_lead_is_recorder", {"person": "Wang Fang"}),
            ),
            id="all-in-stable-order",
        ),
        # a decider who opposes us can veto at the table: the risk comes first (issue 18.3)
        pytest.param(
            with_people(("Zhao", "decider", "oppose"), ("Qian", "user", "support")),
            (Warning("neg_opposing", {"names": ["Zhao"]}),),
            id="opposing-decider",
        ),
        pytest.param(
            lambda p: with_people(("Zhao", "decider", "oppose"), ("Sun", "procurement", "neutral"),
                                  ("Li", "technical", "oppose"))(replace(p, contract_status="signed")),
            (Warning("neg_opposing", {"names": ["Zhao", "Li"]}),
             Warning("neg_contract_closed", {"contract_status": "signed"})),
            id="opposing-decider-and-gatekeeper-before-the-rest",
        ),
        # the edges that do not warn
        pytest.param(set_amounts(1_000_000_00, 1_000_000_00, 1_000_000_00), (), id="bottom-equals-amount"),
        pytest.param(with_people(("Zhao", "decider", "support")), (), id="supporting-decider"),
        pytest.param(with_people(("Zhao", "decider", "neutral")), (), id="neutral-decider"),
        pytest.param(with_people(("Zhao", "decider", None)), (), id="decider-attitude-unknown"),
        pytest.param(with_people(("Qian", "user", "oppose"), ("Zhou", None, "oppose")), (),
                     id="opposing-user-or-no-role-is-no-veto"),
        pytest.param(change_issue(1, settled_by="split", settlement="half each"), (), id="split-is-fine"),
        pytest.param(lambda p: replace(p, contract_status="draft"), (), id="draft"),
    ],
)
def test_warnings_do_not_block(change, expected):
    v = verdict_of(change)
    assert v.warnings == expected
    assert v.missing == ()
    assert v.ready is True


def test_lead_and_recorder_both_missing_is_not_the_same_person():
    v = verdict_of(lambda p: drop_role("recorder")(drop_role("lead")(p)))
    assert v.warnings == ()
    assert [m.key for m in v.missing] == ["neg_role_missing", "neg_role_missing"]


def test_warnings_sit_beside_missing_pieces():
    v = verdict_of(lambda p: drop_timing("terms")(replace(p, contract_status="signed")))
    assert v.ready is False
    assert v.missing == (Missing("timing", "neg_timing_missing", {"timing": "terms"}),)
    assert v.warnings == (Warning("neg_contract_closed", {"contract_status": "signed"}),)


# --- several pieces: all named, in a stable order ---------------------------------------


def test_empty_plan_names_every_piece_in_part_order():
    empty = Plan("negotiating", 0, {}, (), {}, {}, {}, {})
    v = readiness(empty, TODAY)
    assert v.ready is False
    assert v.warnings == ()
    assert len(v.missing) == 4 + 1 + 15 + 5 + 3 + 5
    assert v.missing == (
        *(Missing("timing", "neg_timing_missing", {"timing": c}) for c in TIMING),
        Missing("issues", "neg_no_issues"),
        *(Missing("analysis", "neg_analysis_missing", {"party": p, "aspect": a}) for p, a in ANALYSIS),
        *(Missing("goal", "neg_goal_missing", {"smart": s}) for s in SMART),
        *(Missing("packages", "neg_package_missing", {"package": k}) for k in PACKAGES),
        *(Missing("team", "neg_role_missing", {"team_role": r}) for r in ROLES),
    )


def test_several_pieces_come_in_part_order_whatever_the_input_order():
    def break_many(p):
        for change in (
            drop_role("lead"),
            set_amounts(1, 2, 3),
            set_goal("deadline", YESTERDAY.isoformat()),
            drop_analysis(("customer", "finances")),
            change_option(1, 1, value=None),
            change_issue(1, need=None),
            change_issue(0, options=()),
            drop_timing("all_raised"),
            lambda q: replace(q, timing=with_item(q.timing, "terms", Evidence("later", TOMORROW))),
        ):
            p = change(p)
        return p

    expected = (
        Missing("timing", "neg_timing_future", {"timing": "terms", "day": TOMORROW.isoformat()}),
        Missing("timing", "neg_timing_missing", {"timing": "all_raised"}),
        Missing("issues", "neg_issue_options", {"issue": 11, "count": 0, "min": 2}),
        Missing("issues", "neg_issue_need", {"issue": 12}),
        Missing("issues", "neg_option_value", {"issue": 12, "option": 104}),
        Missing("analysis", "neg_analysis_missing", {"party": "customer", "aspect": "finances"}),
        Missing("goal", "neg_deadline_past", {"deadline": YESTERDAY.isoformat()}),
        Missing("packages", "neg_packages_order", {"best": 1, "compromise": 2, "bottom": 3}),
        Missing("team", "neg_role_missing", {"team_role": "lead"}),
    )
    plan = break_many(complete_plan())
    assert readiness(plan, TODAY).missing == expected
    # the order of the mappings the store fills does not matter
    shuffled = replace(
        plan,
        timing=dict(reversed(plan.timing.items())),
        analysis=dict(reversed(plan.analysis.items())),
        goal=dict(reversed(plan.goal.items())),
        packages=dict(reversed(plan.packages.items())),
        team=dict(reversed(plan.team.items())),
    )
    assert readiness(shuffled, TODAY).missing == expected
    assert [PARTS.index(m.part) for m in expected] == sorted(PARTS.index(m.part) for m in expected)


def test_an_issue_names_each_of_its_gaps():
    v = verdict_of(change_issue(0, need=None, options=(Option(109, "only one", None),)))
    assert v.missing == (
        Missing("issues", "neg_issue_need", {"issue": 11}),
        Missing("issues", "neg_issue_options", {"issue": 11, "count": 1, "min": 2}),
        Missing("issues", "neg_option_value", {"issue": 11, "option": 109}),
    )


def test_the_same_plan_becomes_ready_when_its_day_comes():
    plan = replace(complete_plan(), timing={c: Evidence("set", TOMORROW) for c in TIMING})
    assert readiness(plan, TODAY).ready is False
    assert readiness(plan, TOMORROW).ready is True


def test_the_same_plan_stops_being_ready_after_its_deadline():
    plan = set_goal("deadline", TOMORROW.isoformat())(complete_plan())
    assert readiness(plan, TOMORROW).ready is True
    assert readiness(plan, TOMORROW + timedelta(days=1)).missing == (
        Missing("goal", "neg_deadline_past", {"deadline": TOMORROW.isoformat()}),
    )


def test_every_part_and_enum_param_is_in_the_vocabulary():
    # i18n labels parameters by name: a param called "party" must hold a PARTIES key.
    decisions = []
    for row in ONE_MISSING:
        v = verdict_of(row.values[0])
        decisions += [*v.missing, *v.warnings]
    for status in CLOSED_STATUSES:
        decisions += verdict_of(lambda p, s=status: replace(p, contract_status=s)).warnings
    assert decisions
    for d in decisions:
        if isinstance(d, Missing):
            assert d.part in PARTS
        assert d.key.startswith("neg_")
        for name, value in d.params.items():
            if name in ENUMS:
                assert value in ENUMS[name], (d, name)


# --- the meeting agenda ---------------------------------------------------------------


def test_agenda_structure_for_the_complete_plan():
    steps = agenda(complete_plan())
    assert [(s.phase, s.step) for s in steps] == [
        ("opening", "recap"),
        ("opening", "confirm_issues"),
        ("opening", "agenda"),
        # one bargaining block: issue 12 is settled already
        ("bargaining", "detail"),
        ("bargaining", "need"),
        ("bargaining", "our_position"),
        ("bargaining", "options"),
        ("bargaining", "deadlock"),
        ("bargaining", "wrap_up"),
        ("close", "final_package"),
        ("close", "benefits"),
        ("close", "next_steps"),
    ]
    recap, confirm, order, detail, need, position, options, deadlock, wrap, final, benefits, nxt = steps
    assert recap.items == (
        {
            "issue": 12,
            "detail": "on-site support hours",
            "settlement": "trade",
            "text": "resident engineer against a 3-year term",
        },
    )
    assert confirm.items == (
        {"issue": 11, "detail": "payment terms"},
        {"issue": 12, "detail": "on-site support hours"},
    )
    assert order.items == ({"issue": 11, "detail": "payment terms"},)
    assert detail == AgendaStep("bargaining", "detail", {"issue": 11, "detail": "payment terms"})
    assert need == AgendaStep("bargaining", "need", {"issue": 11, "need": "cash flow before fiscal year end"})
    assert position == AgendaStep("bargaining", "our_position", {"issue": 11})
    assert options.params == {"issue": 11}
    assert options.items == (
        {"option": 101, "text": "30/60/10 instalments", "value": "no large payment this quarter"},
        {"option": 102, "text": "acceptance-based payment", "value": "pays only for what works"},
    )
    assert deadlock == AgendaStep("bargaining", "deadlock", {"issue": 11})
    assert wrap == AgendaStep("bargaining", "wrap_up", {"issue": 11})
    assert final.items == (
        {"package": "best", "text": "full platform, 3 years", "amount_cents": 1_000_000_00},
        {"package": "compromise", "text": "platform, 2 years", "amount_cents": 950_000_00},
        {"package": "bottom", "text": "core modules, 2 years", "amount_cents": 900_000_00},
    )
    assert benefits == AgendaStep("close", "benefits")
    assert nxt == AgendaStep("close", "next_steps")


def test_agenda_steps_follow_the_flow_vocabulary():
    plan = change_issue(1, settled_by=None, settlement=None)(complete_plan())
    steps = agenda(plan)
    expected = [
        *(("opening", s) for s in FLOW_STEPS["opening"]),
        *(("bargaining", s) for s in FLOW_STEPS["bargaining"]),
        *(("bargaining", s) for s in FLOW_STEPS["bargaining"]),
        *(("close", s) for s in FLOW_STEPS["close"]),
    ]
    assert [(s.phase, s.step) for s in steps] == expected
    assert [s.params["issue"] for s in steps if s.phase == "bargaining"] == [11] * 6 + [12] * 6
    assert steps[0].items == ()


def test_agenda_keeps_recorded_option_order_and_package_order():
    plan = change_issue(
        0, options=(Option(202, "second recorded first", "a"), Option(201, "first id", "b"))
    )(complete_plan())
    plan = replace(plan, packages=dict(reversed(plan.packages.items())))
    steps = agenda(plan)
    (options,) = [s for s in steps if s.step == "options"]
    assert [o["option"] for o in options.items] == [202, 201]
    (final,) = [s for s in steps if s.step == "final_package"]
    assert [p["package"] for p in final.items] == ["best", "compromise", "bottom"]


def test_agenda_with_everything_settled_has_no_bargaining():
    plan = change_issue(0, settled_by="add_value", settlement="free training")(complete_plan())
    steps = agenda(plan)
    assert [s.phase for s in steps] == ["opening"] * 3 + ["close"] * 3
    assert [i["issue"] for i in steps[0].items] == [11, 12]
    assert steps[2].items == ()


def test_agenda_of_an_incomplete_plan_still_builds():
    # The agenda is shown while the plan is being written: gaps are blanks, not errors.
    plan = replace(
        change_issue(0, need=None, options=())(complete_plan()),
        packages={"bottom": Package("bottom", "core only", None)},
    )
    steps = agenda(plan)
    (need,) = [s for s in steps if s.step == "need"]
    assert need.params == {"issue": 11, "need": None}
    (options,) = [s for s in steps if s.step == "options"]
    assert options.items == ()
    (final,) = [s for s in steps if s.step == "final_package"]
    assert final.items == ({"package": "bottom", "text": "core only", "amount_cents": None},)


# --- a disagreement recorded after "all raised" was confirmed ---------------------------


@pytest.mark.parametrize(("raised", "missing"), [
    (None, ()),  # not known: nothing to compare
    (YESTERDAY, ()),  # the same day as the confirmation
    (TODAY, (Missing("timing", "neg_all_raised_stale", {"issue": 12, "day": YESTERDAY.isoformat()}),)),
])
def test_an_objection_recorded_after_all_raised_disproves_it(raised, missing):
    verdict = verdict_of(change_issue(1, raised_on=raised))
    assert verdict.missing == missing
    assert verdict.ready is (not missing)

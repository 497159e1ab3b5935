"""The relationship lifecycle as plain tables: may a customer advance, be dropped, reopen?

Only the pure rules (kehu.rules.stages, kehu.rules.domain): no book, no CLI.
"""

from __future__ import annotations

import pytest

from kehu.rules.domain import LIFECYCLE, STAGE_TASKS, STAGES, TASK_STAGE, TASKS
from kehu.rules.stages import (
    DEFAULT_TRUST_THRESHOLD,
    AdvanceDecision,
    Blocker,
    decide_advance,
    decide_drop,
    decide_reopen,
    lifecycle,
    missing_tasks,
    next_stage,
)

ALL_TASKS = frozenset(TASKS)


def advance(stage: str, **kw) -> AdvanceDecision:
    """decide_advance with everything satisfied unless the row says otherwise."""
    args = dict(
        stage=stage,
        done_tasks=STAGE_TASKS[stage],
        trust_score=100.0,
        has_signed_contract=True,
        terminated=False,
    )
    args.update(kw)
    return decide_advance(**args)


def task_blocker(task: str, stage: str) -> Blocker:
    return Blocker("blocked_task", {"task": task, "stage": stage})


# --- the vocabulary -----------------------------------------------------------------


def test_stage_order_and_tasks_are_the_methodology():
    assert STAGES == ("stranger", "acquainted", "evaluation", "growth", "mature")
    assert STAGE_TASKS == {
        "stranger": ("plan", "call"),
        "acquainted": ("visit", "survey", "draft"),
        "evaluation": ("demo", "tech"),
        "growth": ("needs", "proposal", "assess"),
        "mature": ("negotiate", "sign"),
    }
    assert len(TASKS) == len(set(TASKS)) == 12
    assert TASK_STAGE["call"] == "stranger"
    assert TASK_STAGE["tech"] == "evaluation"
    assert TASK_STAGE["sign"] == "mature"


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("stranger", "acquainted"),
        ("acquainted", "evaluation"),
        ("evaluation", "growth"),
        ("growth", "mature"),
        ("mature", None),
    ],
)
def test_next_stage_is_one_step(stage, expected):
    assert next_stage(stage) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("stranger", "prospect"),
        ("acquainted", "target"),
        ("evaluation", "target"),
        ("growth", "target"),
        ("mature", "existing"),
    ],
)
def test_lifecycle_is_derived_from_stage(stage, expected):
    assert lifecycle(stage) == expected
    assert LIFECYCLE[stage] == expected


def test_lifecycle_covers_every_stage_and_nothing_else():
    assert set(LIFECYCLE) == set(STAGES)


# --- missing tasks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "done", "expected"),
    [
        ("stranger", [], ("plan", "call")),
        ("stranger", ["plan"], ("call",)),
        ("stranger", ["call"], ("plan",)),
        ("stranger", ["plan", "call"], ()),
        ("acquainted", [], ("visit", "survey", "draft")),
        ("acquainted", ["survey"], ("visit", "draft")),
        ("acquainted", ["visit", "survey", "draft"], ()),
        ("evaluation", ["tech"], ("demo",)),
        ("growth", ["proposal"], ("needs", "assess")),
        ("mature", ["sign"], ("negotiate",)),
        # tasks of other stages do not complete this one
        ("acquainted", ["plan", "call", "demo", "tech"], ("visit", "survey", "draft")),
        # unknown and duplicated entries are harmless
        ("evaluation", ["demo", "demo", "bogus"], ("tech",)),
    ],
)
def test_missing_tasks_in_domain_order(stage, done, expected):
    assert missing_tasks(stage, done) == expected


def test_missing_tasks_accepts_a_one_shot_iterator():
    assert missing_tasks("acquainted", iter(["visit", "draft"])) == ("survey",)


# --- advancing: one step, all tasks named -------------------------------------------


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("stranger", "acquainted"),
        ("acquainted", "evaluation"),
        ("evaluation", "growth"),
        ("growth", "mature"),
    ],
)
def test_advance_with_everything_done_goes_exactly_one_step(stage, expected):
    d = advance(stage)
    assert d == AdvanceDecision(stage, expected, (), False)
    assert d.allowed is True


@pytest.mark.parametrize("stage", ["stranger", "acquainted", "evaluation", "growth"])
def test_advance_with_no_tasks_names_every_missing_task(stage):
    d = advance(stage, done_tasks=[])
    assert d.blockers == tuple(task_blocker(t, stage) for t in STAGE_TASKS[stage])
    assert d.to_stage == next_stage(stage)
    assert d.allowed is False
    assert not any(b.hard for b in d.blockers)


@pytest.mark.parametrize(
    ("stage", "done", "missing"),
    [
        ("stranger", ["plan"], ["call"]),
        ("acquainted", ["visit"], ["survey", "draft"]),
        ("acquainted", ["visit", "draft"], ["survey"]),
        ("evaluation", ["demo"], ["tech"]),
        ("growth", ["needs", "assess"], ["proposal"]),
    ],
)
def test_advance_with_some_tasks_names_exactly_the_rest(stage, done, missing):
    d = advance(stage, done_tasks=done)
    assert d.blockers == tuple(task_blocker(t, stage) for t in missing)
    assert d.allowed is False


def test_tasks_of_later_stages_do_not_let_a_stage_be_skipped():
    d = advance("stranger", done_tasks=ALL_TASKS - {"call"})
    assert d.to_stage == "acquainted"
    assert d.blockers == (task_blocker("call", "stranger"),)


def test_advance_accepts_done_tasks_as_iterator():
    d = advance("stranger", done_tasks=iter(["plan", "call"]))
    assert d.allowed is True


# --- the growth trust gate -------------------------------------------------------------


def test_default_threshold_is_40():
    assert DEFAULT_TRUST_THRESHOLD == 40.0


@pytest.mark.parametrize(
    ("score", "threshold", "blocker"),
    [
        (0.0, None, Blocker("blocked_trust", {"score": 0.0, "threshold": 40.0})),
        (12.345, None, Blocker("blocked_trust", {"score": 12.3, "threshold": 40.0})),
        (39.9, None, Blocker("blocked_trust", {"score": 39.9, "threshold": 40.0})),
        (40.0, None, None),  # exactly at the threshold is enough
        (40.01, None, None),
        (99.0, None, None),
        (59.0, 60.0, Blocker("blocked_trust", {"score": 59.0, "threshold": 60.0})),
        (60.0, 60.0, None),
        (70.0, 60.0, None),
        (20.0, 20.0, None),
        (19.5, 20.0, Blocker("blocked_trust", {"score": 19.5, "threshold": 20.0})),
        (0.0, 0.0, None),
        (40.0, 40.5, Blocker("blocked_trust", {"score": 40.0, "threshold": 40.5})),
    ],
)
def test_growth_trust_gate(score, threshold, blocker):
    kw = {} if threshold is None else {"threshold": threshold}
    d = advance("evaluation", trust_score=score, **kw)
    assert d.to_stage == "growth"
    if blocker is None:
        assert d.blockers == ()
        assert d.allowed is True
    else:
        assert d.blockers == (blocker,)
        assert d.blockers[0].hard is False
        assert d.allowed is False


@pytest.mark.parametrize(
    ("score", "threshold"),
    [(39.96, 40.0), (59.99, 60.0)],
)
def test_refused_trust_is_never_shown_as_reaching_the_threshold(score, threshold):
    # "trust 40.0 is below the 40.0 needed" contradicts itself: the score shown in a
    # refusal must be below the threshold shown with it.
    d = advance("evaluation", trust_score=score, threshold=threshold)
    assert d.allowed is False
    (b,) = d.blockers
    assert b.key == "blocked_trust"
    assert b.params["score"] < b.params["threshold"]


def test_trust_gate_and_missing_tasks_are_both_listed():
    d = advance("evaluation", done_tasks=["demo"], trust_score=10.0)
    assert d.blockers == (
        task_blocker("tech", "evaluation"),
        Blocker("blocked_trust", {"score": 10.0, "threshold": 40.0}),
    )


@pytest.mark.parametrize("stage", ["stranger", "acquainted", "growth"])
def test_trust_gates_only_the_step_into_growth(stage):
    d = advance(stage, trust_score=0.0)
    assert d.blockers == ()
    assert d.allowed is True


# --- the mature contract gate ---------------------------------------------------------


def test_mature_needs_a_signed_contract():
    d = advance("growth", has_signed_contract=False)
    assert d == AdvanceDecision("growth", "mature", (Blocker("blocked_contract"),), False)
    assert d.allowed is False


def test_mature_with_signed_contract_and_low_trust_is_allowed():
    d = advance("growth", has_signed_contract=True, trust_score=0.0)
    assert d.blockers == ()
    assert d.allowed is True


def test_mature_gate_lists_missing_tasks_and_contract():
    d = advance("growth", done_tasks=["needs"], has_signed_contract=False)
    assert d.blockers == (
        task_blocker("proposal", "growth"),
        task_blocker("assess", "growth"),
        Blocker("blocked_contract"),
    )


@pytest.mark.parametrize("stage", ["stranger", "acquainted", "evaluation"])
def test_contract_gates_only_the_step_into_mature(stage):
    d = advance(stage, has_signed_contract=False)
    assert d.blockers == ()
    assert d.allowed is True


# --- force: soft blockers yes, hard blockers never -----------------------------------


@pytest.mark.parametrize(
    ("stage", "kw", "keys"),
    [
        ("stranger", {"done_tasks": []}, ["blocked_task", "blocked_task"]),
        ("evaluation", {"trust_score": 5.0}, ["blocked_trust"]),
        ("growth", {"has_signed_contract": False}, ["blocked_contract"]),
        (
            "evaluation",
            {"done_tasks": [], "trust_score": 0.0},
            ["blocked_task", "blocked_task", "blocked_trust"],
        ),
        (
            "growth",
            {"done_tasks": [], "has_signed_contract": False},
            ["blocked_task"] * 3 + ["blocked_contract"],
        ),
    ],
)
def test_force_overrides_soft_blockers_and_keeps_them_listed(stage, kw, keys):
    refused = advance(stage, **kw)
    forced = advance(stage, force=True, **kw)
    assert refused.allowed is False
    assert forced.allowed is True
    assert forced.forced is True
    assert forced.to_stage == next_stage(stage)
    # the override is recorded: what was overridden is still there to show
    assert [b.key for b in forced.blockers] == keys
    assert forced.blockers == refused.blockers


def test_force_without_blockers_is_allowed_and_marked_forced():
    d = advance("stranger", force=True)
    assert d == AdvanceDecision("stranger", "acquainted", (), True)
    assert d.allowed is True


@pytest.mark.parametrize("stage", ["stranger", "acquainted", "evaluation", "growth"])
@pytest.mark.parametrize("force", [False, True])
def test_terminated_is_a_hard_blocker_even_with_everything_done(stage, force):
    d = advance(stage, terminated=True, force=force)
    assert d.blockers == (Blocker("blocked_terminated", hard=True),)
    assert d.allowed is False


@pytest.mark.parametrize("force", [False, True])
def test_terminated_is_listed_first_then_soft_blockers(force):
    d = advance("evaluation", terminated=True, done_tasks=[], trust_score=1.0, force=force)
    assert d.blockers == (
        Blocker("blocked_terminated", hard=True),
        task_blocker("demo", "evaluation"),
        task_blocker("tech", "evaluation"),
        Blocker("blocked_trust", {"score": 1.0, "threshold": 40.0}),
    )
    assert d.allowed is False


@pytest.mark.parametrize("force", [False, True])
def test_final_stage_is_a_hard_blocker(force):
    d = advance("mature", force=force)
    assert d == AdvanceDecision(
        "mature", None, (Blocker("blocked_final_stage", {"stage": "mature"}, hard=True),), force
    )
    assert d.allowed is False


@pytest.mark.parametrize("force", [False, True])
def test_final_stage_and_terminated_are_both_listed(force):
    d = advance("mature", terminated=True, force=force)
    assert d.blockers == (
        Blocker("blocked_terminated", hard=True),
        Blocker("blocked_final_stage", {"stage": "mature"}, hard=True),
    )
    assert d.to_stage is None
    assert d.allowed is False


def test_final_stage_does_not_ask_for_its_own_tasks():
    # There is nowhere to go, so the mature tasks are not reported as blockers.
    d = advance("mature", done_tasks=[])
    assert [b.key for b in d.blockers] == ["blocked_final_stage"]


# --- drop and reopen ------------------------------------------------------------------


def test_drop_an_active_relationship_is_allowed():
    assert decide_drop(terminated=False) is None


def test_drop_twice_is_refused_hard():
    assert decide_drop(terminated=True) == Blocker("already_terminated", hard=True)


def test_reopen_a_terminated_relationship_is_allowed():
    assert decide_reopen(terminated=True) is None


def test_reopen_an_active_relationship_is_refused_hard():
    assert decide_reopen(terminated=False) == Blocker("not_terminated", hard=True)

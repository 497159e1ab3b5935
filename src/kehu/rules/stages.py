"""The relationship lifecycle: may a customer advance, be dropped, be reopened?

Stages advance one step at a time. Leaving a stage needs its tasks done; entering
``growth`` needs trust at or above a threshold; entering ``mature`` needs a signed
contract. Soft blockers (tasks, gates) can be overridden with force and a reason;
hard ones (terminated, already at the last stage) cannot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from kehu.rules.domain import (EVALUATOR_ROLES, LIFECYCLE, QUALIFIED_FOR_GROWTH, QUALIFIED_PROSPECT, STAGE_TASKS,
                               STAGES)

DEFAULT_TRUST_THRESHOLD = 40.0


@dataclass(frozen=True)
class Blocker:
    """Why a step is refused: an i18n key and the values it names."""

    key: str
    params: dict[str, object] = field(default_factory=dict)
    hard: bool = False


@dataclass(frozen=True)
class AdvanceDecision:
    from_stage: str
    to_stage: str | None
    blockers: tuple[Blocker, ...]
    forced: bool

    @property
    def allowed(self) -> bool:
        if any(b.hard for b in self.blockers):
            return False
        return not self.blockers or self.forced


def next_stage(stage: str) -> str | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def missing_tasks(stage: str, done: Iterable[str]) -> tuple[str, ...]:
    done_set = set(done)
    return tuple(t for t in STAGE_TASKS[stage] if t not in done_set)


def lifecycle(stage: str) -> str:
    return LIFECYCLE[stage]


def unqualified(facts: dict[str, str]) -> list[tuple[str, str]]:
    """The growth gate's qualification facts (need, ability to pay, payment credit: seed
    000's evaluation) that are not known to be good, as (fact, verdict) with "unknown"
    for a fact never judged."""
    return [(f, facts.get(f, "unknown")) for f in QUALIFIED_FOR_GROWTH if facts.get(f) != "good"]


class ProspectVerdict(NamedTuple):
    """Whether a prospect is qualified (合格准客户), and why not: the facts judged bad and
    the facts not yet judged, in QUALIFIED_PROSPECT's order."""

    verdict: str  # "qualified" | "unqualified" (a fact is bad) | "unconfirmed" (none bad, some unknown)
    bad: tuple[str, ...]
    unknown: tuple[str, ...]


def qualified_prospect(facts: dict[str, str]) -> ProspectVerdict:
    """Seed 004's qualified prospect from the qualification facts (fact -> good/bad; no
    entry: unknown): qualified when every fact of QUALIFIED_PROSPECT (need, ability to pay,
    payment credit, desire, authority) is good; unqualified as soon as one is bad, whatever
    is unknown; otherwise unconfirmed."""
    bad = tuple(f for f in QUALIFIED_PROSPECT if facts.get(f) == "bad")
    unknown = tuple(f for f in QUALIFIED_PROSPECT if facts.get(f) not in ("good", "bad"))
    verdict = "unqualified" if bad else "unconfirmed" if unknown else "qualified"
    return ProspectVerdict(verdict, bad, unknown)


def evaluators_lean(attitudes: Iterable[tuple[str | None, str | None]]) -> str:
    """Which way the evaluation team leans, from (role, attitude) of the people recorded:
    the evaluators (EVALUATOR_ROLES) opposing us outnumbering those supporting us is
    ``against``; more support is ``for``; otherwise ``unknown``."""
    pro = con = 0
    for role, attitude in attitudes:
        if role in EVALUATOR_ROLES:
            pro += attitude == "support"
            con += attitude == "oppose"
    return "against" if con > pro else "for" if pro > con else "unknown"


def decide_advance(
    *,
    stage: str,
    done_tasks: Iterable[str],
    trust_score: float,
    has_signed_contract: bool,
    terminated: bool,
    threshold: float = DEFAULT_TRUST_THRESHOLD,
    force: bool = False,
    qualification: dict[str, str] | None = None,
) -> AdvanceDecision:
    """Decide one step forward from ``stage``; every blocker is listed, not just the first.
    ``qualification``: the customer's facts (fact -> good/bad); entering growth with need,
    ability to pay or payment credit unknown or bad is a soft blocker like trust (issue
    18; None: not checked, for callers that predate it)."""
    target = next_stage(stage)
    blockers: list[Blocker] = []
    if terminated:
        blockers.append(Blocker("blocked_terminated", hard=True))
    if target is None:
        blockers.append(Blocker("blocked_final_stage", {"stage": stage}, hard=True))
        return AdvanceDecision(stage, None, tuple(blockers), force)
    for task in missing_tasks(stage, done_tasks):
        blockers.append(Blocker("blocked_task", {"task": task, "stage": stage}))
    if target == "growth" and trust_score < threshold:
        blockers.append(
            # Shown rounded down: a refused 39.96 must never read as "40.0".
            Blocker(
                "blocked_trust",
                {"score": math.floor(trust_score * 10) / 10, "threshold": threshold},
            )
        )
    if target == "growth" and qualification is not None:
        for fact, verdict in unqualified(qualification):
            blockers.append(Blocker("blocked_qualification", {"fact": fact, "verdict": verdict}))
    if target == "mature" and not has_signed_contract:
        blockers.append(Blocker("blocked_contract"))
    return AdvanceDecision(stage, target, tuple(blockers), force)


def decide_drop(*, terminated: bool) -> Blocker | None:
    """A relationship can be ended from any stage, once."""
    return Blocker("already_terminated", hard=True) if terminated else None


def decide_reopen(*, terminated: bool) -> Blocker | None:
    """Only an ended relationship can be reopened; it returns to the stage it ended in."""
    return None if terminated else Blocker("not_terminated", hard=True)

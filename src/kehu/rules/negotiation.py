"""Is a contract's negotiation plan ready? (DOMAIN.md §8, seed 001 §11) — pure rules.

A plan is ready when nothing is missing; each missing piece is named on its own, in the
order timing, issues, analysis, goal, packages, team. The reasons behind the rules:

- Timing: negotiate only once the customer has stated conditions and committed, we have
  proposed terms, they raised objections that proposal cannot answer, and we confirmed
  they raised all of them. Each needs evidence; evidence dated after today is a plan,
  not a fact. With no disagreement recorded, "all raised" cannot have been confirmed.
- Disagreements: interests, not positions — each needs the customer's underlying need.
  Several options — at least MIN_OPTIONS, because one option is a position to defend,
  two are a choice; each states its value to the customer, or it cannot be weighed.
- Three-party analysis (ours, customer, competitor) and a SMART goal, its deadline a
  real date not already past.
- Packages best ≥ compromise ≥ bottom line in what we get: a bottom line above the best
  means the plan contradicts itself, so it blocks. A bottom line above the contract's
  amount only warns: the draft amount may be stale.
- Five roles named. Warnings never block: a decider (or influencer, technical
  gatekeeper) who opposes us, first, since they can veto at the table (the same rule as
  `show` and `next`: rules.trust.opposing); one person both leading and recording (no
  one writes while the lead talks), a concession (one-sided; trade, add value and split
  come first), and a contract already signed, completed or lost (the negotiation is over).

Every decision is plain data: i18n keys and parameters. Parameters that hold a key of
this vocabulary are named after its enum in ``ENUMS`` (``timing``, ``party``...); dates
are ISO strings and amounts cents, so decisions go to JSON as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kehu.rules.domain import (  # noqa: F401  (the vocabulary is part of this module's interface)
    ASPECTS,
    CLOSED_STATUSES,
    CONTRACT_STATUSES,
    FLOW,
    FLOW_STEPS,
    PACKAGES,
    PARTIES,
    PRINCIPLES,
    SETTLEMENTS,
    SMART,
    TIMING,
)
from kehu.rules.domain import NEGOTIATION_ENUMS as ENUMS  # noqa: F401  (interface, as above)
from kehu.rules.domain import PLAN_FLAGS as FLAGS  # noqa: F401  (interface, as above)
from kehu.rules.domain import PLAN_PARTS as PARTS  # noqa: F401  (interface, as above)
from kehu.rules.domain import TEAM_ROLES as ROLES
from kehu.rules.trust import PersonFacts, opposing

# ---------------------------------------------------------------- vocabulary

# The keys (TIMING, PRINCIPLES, SETTLEMENTS, PARTIES and their ASPECTS, SMART, PACKAGES,
# ROLES, FLOW and FLOW_STEPS, the contract statuses, PARTS, FLAGS and ENUMS by name) are
# in rules.domain with the rest of the vocabulary, so that i18n need not import this
# module; they are described there and imported above.
ANALYSIS: tuple[tuple[str, str], ...] = tuple((p, a) for p in PARTIES for a in ASPECTS[p])
# One option is a position; two make a choice (提出多种解决方案).
MIN_OPTIONS = 2

# ---------------------------------------------------------------- input


@dataclass(frozen=True)
class Evidence:
    text: str
    day: date


@dataclass(frozen=True)
class Option:
    id: int
    text: str
    value: str | None  # its value to the customer


@dataclass(frozen=True)
class Issue:
    """A disagreement (分歧)."""

    id: int
    detail: str
    need: str | None  # the customer's underlying need
    options: tuple[Option, ...]
    settled_by: str | None  # one of SETTLEMENTS
    settlement: str | None  # what was agreed
    raised_on: date | None = None  # the day it was recorded


@dataclass(frozen=True)
class Package:
    kind: str
    text: str
    amount_cents: int | None


@dataclass(frozen=True)
class Plan:
    contract_status: str
    contract_amount_cents: int
    timing: Mapping[str, Evidence]  # condition -> evidence; missing = not confirmed
    issues: tuple[Issue, ...]
    analysis: Mapping[tuple[str, str], str]  # (party, aspect) -> text
    goal: Mapping[str, str]  # SMART part -> text; "deadline" -> ISO date
    packages: Mapping[str, Package]
    team: Mapping[str, str]  # role -> person
    people: tuple[PersonFacts, ...] = ()  # the customer's people, with role and attitude


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Missing:
    """A piece the plan lacks: the part it belongs to, an i18n key, the values it names."""

    part: str
    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Warning:
    """Worth a second look, never a blocker."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    ready: bool
    missing: tuple[Missing, ...]
    warnings: tuple[Warning, ...]


@dataclass(frozen=True)
class AgendaStep:
    """One step of the meeting: FLOW phase, step key, its values, and its sub-points."""

    phase: str
    step: str
    params: Mapping[str, object] = field(default_factory=dict)
    items: tuple[Mapping[str, object], ...] = ()


# ---------------------------------------------------------------- rules


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(text: str) -> date | None:
    # Only YYYY-MM-DD: fromisoformat alone also takes "20260301" and week dates.
    text = text.strip()
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def preferred_order() -> tuple[str, ...]:
    """How to settle a disagreement, best first: both gain before we only give."""
    return SETTLEMENTS


def flags(issue: Issue) -> tuple[str, ...]:
    """What to look at twice in a disagreement: a concession is one-sided."""
    return ("concession",) if issue.settled_by == "concede" else ()


def _timing(plan: Plan, today: date) -> list[Missing]:
    out: list[Missing] = []
    for condition in TIMING:
        ev = plan.timing.get(condition)
        if ev is None or _blank(ev.text):
            out.append(Missing("timing", "neg_timing_missing", {"timing": condition}))
        elif ev.day > today:
            out.append(
                Missing("timing", "neg_timing_future", {"timing": condition, "day": ev.day.isoformat()})
            )
        elif condition == "all_raised":
            # A disagreement recorded after "all raised" was confirmed disproves it.
            out += [
                Missing("timing", "neg_all_raised_stale", {"issue": i.id, "day": ev.day.isoformat()})
                for i in plan.issues
                if i.raised_on is not None and i.raised_on > ev.day
            ]
    return out


def _issues(plan: Plan) -> list[Missing]:
    if not plan.issues:
        return [Missing("issues", "neg_no_issues")]
    out: list[Missing] = []
    for issue in plan.issues:
        if _blank(issue.need):
            out.append(Missing("issues", "neg_issue_need", {"issue": issue.id}))
        if len(issue.options) < MIN_OPTIONS:
            out.append(
                Missing(
                    "issues",
                    "neg_issue_options",
                    {"issue": issue.id, "count": len(issue.options), "min": MIN_OPTIONS},
                )
            )
        for option in issue.options:
            if _blank(option.value):
                out.append(Missing("issues", "neg_option_value", {"issue": issue.id, "option": option.id}))
    return out


def _analysis(plan: Plan) -> list[Missing]:
    return [
        Missing("analysis", "neg_analysis_missing", {"party": party, "aspect": aspect})
        for party, aspect in ANALYSIS
        if _blank(plan.analysis.get((party, aspect)))
    ]


def _goal(plan: Plan, today: date) -> list[Missing]:
    out: list[Missing] = []
    for part in SMART:
        text = plan.goal.get(part) or ""
        if _blank(text):
            out.append(Missing("goal", "neg_goal_missing", {"smart": part}))
        elif part == "deadline":
            deadline = _iso_day(text)
            if deadline is None:
                out.append(Missing("goal", "neg_deadline_invalid", {"value": text}))
            elif deadline < today:
                out.append(Missing("goal", "neg_deadline_past", {"deadline": deadline.isoformat()}))
    return out


def _amounts(plan: Plan) -> dict[str, int | None]:
    return {
        kind: None if (p := plan.packages.get(kind)) is None else p.amount_cents for kind in PACKAGES
    }


def _packages(plan: Plan) -> list[Missing]:
    out = [
        Missing("packages", "neg_package_missing", {"package": kind})
        for kind in PACKAGES
        if (p := plan.packages.get(kind)) is None or _blank(p.text)
    ]
    amounts = _amounts(plan)
    # Every pair that carries amounts must agree: a bottom line above the best package
    # is incoherent even while the compromise has no figure yet.
    present = [a for a in amounts.values() if a is not None]
    if any(a < b for a, b in zip(present, present[1:], strict=False)):
        out.append(Missing("packages", "neg_packages_order", dict(amounts)))
    return out


def _team(plan: Plan) -> list[Missing]:
    return [
        Missing("team", "neg_role_missing", {"team_role": role})
        for role in ROLES
        if _blank(plan.team.get(role))
    ]


def _warnings(plan: Plan) -> list[Warning]:
    out: list[Warning] = []
    against = opposing(plan.people)
    if against:
        out.append(Warning("neg_opposing", {"names": list(against)}))
    if plan.contract_status in CLOSED_STATUSES:
        out.append(Warning("neg_contract_closed", {"contract_status": plan.contract_status}))
    for issue in plan.issues:
        if "concession" in flags(issue):
            out.append(Warning("neg_concession", {"issue": issue.id}))
    bottom = _amounts(plan)["bottom"]
    if bottom is not None and bottom > plan.contract_amount_cents:
        out.append(
            Warning("neg_bottom_above_amount", {"bottom": bottom, "amount": plan.contract_amount_cents})
        )
    # Whoever leads is talking; the record needs someone else's hands.
    lead = (plan.team.get("lead") or "").strip()
    recorder = (plan.team.get("recorder") or "").strip()
    if lead and lead.casefold() == recorder.casefold():
        out.append(Warning("neg_lead_is_recorder", {"person": lead}))
    return out


def readiness(plan: Plan, today: date) -> Verdict:
    """Every missing piece, in PARTS order, and the warnings; ready iff nothing is missing."""
    missing = (
        *_timing(plan, today),
        *_issues(plan),
        *_analysis(plan),
        *_goal(plan, today),
        *_packages(plan),
        *_team(plan),
    )
    return Verdict(not missing, missing, tuple(_warnings(plan)))


def agenda(plan: Plan) -> tuple[AgendaStep, ...]:
    """The meeting as data: opening, one bargaining block per unsettled disagreement, close.

    Every step of FLOW_STEPS appears once per block; lists (disagreements, options,
    packages) are the step's ``items``. Settled disagreements are recapped, not bargained.
    """
    settled = [i for i in plan.issues if i.settled_by is not None]
    open_ = [i for i in plan.issues if i.settled_by is None]
    steps: list[AgendaStep] = [
        AgendaStep(
            "opening",
            "recap",
            items=tuple(
                {"issue": i.id, "detail": i.detail, "settlement": i.settled_by, "text": i.settlement}
                for i in settled
            ),
        ),
        AgendaStep(
            "opening", "confirm_issues", items=tuple({"issue": i.id, "detail": i.detail} for i in plan.issues)
        ),
        AgendaStep("opening", "agenda", items=tuple({"issue": i.id, "detail": i.detail} for i in open_)),
    ]
    for i in open_:
        steps += [
            AgendaStep("bargaining", "detail", {"issue": i.id, "detail": i.detail}),
            AgendaStep("bargaining", "need", {"issue": i.id, "need": i.need}),
            AgendaStep("bargaining", "our_position", {"issue": i.id}),
            AgendaStep(
                "bargaining",
                "options",
                {"issue": i.id},
                tuple({"option": o.id, "text": o.text, "value": o.value} for o in i.options),
            ),
            AgendaStep("bargaining", "deadlock", {"issue": i.id}),
            AgendaStep("bargaining", "wrap_up", {"issue": i.id}),
        ]
    steps += [
        AgendaStep(
            "close",
            "final_package",
            items=tuple(
                {"package": kind, "text": p.text, "amount_cents": p.amount_cents}
                for kind in PACKAGES
                if (p := plan.packages.get(kind)) is not None
            ),
        ),
        AgendaStep("close", "benefits"),
        AgendaStep("close", "next_steps"),
    ]
    return tuple(steps)

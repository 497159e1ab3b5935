"""The vocabulary of the methodology: stable English keys, in their domain order.

Labels in Chinese and English live in ``kehu.i18n``; this module only knows keys,
orders and numbers that the rules compute with.
"""

from __future__ import annotations

# Section 1: the five stages of a relationship, in order.
STAGES: tuple[str, ...] = ("stranger", "acquainted", "evaluation", "growth", "mature")

# The work that completes each stage (工作任务). Leaving a stage needs all of them.
STAGE_TASKS: dict[str, tuple[str, ...]] = {
    "stranger": ("plan", "call"),
    "acquainted": ("visit", "survey", "draft"),
    "evaluation": ("demo", "tech"),
    "growth": ("needs", "proposal", "assess"),
    "mature": ("negotiate", "sign"),
}

TASKS: tuple[str, ...] = tuple(t for s in STAGES for t in STAGE_TASKS[s])
TASK_STAGE: dict[str, str] = {t: s for s, ts in STAGE_TASKS.items() for t in ts}

# Lifecycle class is derived from the stage, never stored (seed 003).
LIFECYCLE: dict[str, str] = {
    "stranger": "prospect",
    "acquainted": "target",
    "evaluation": "target",
    "growth": "target",
    "mature": "existing",
}

CUSTOMER_KINDS: tuple[str, ...] = ("consumer", "business", "internal")
RELATIONSHIP_LEVELS: tuple[str, ...] = ("transactional", "preferred", "partner", "alliance")

PERSON_LEVELS: tuple[str, ...] = ("executive", "middle", "staff")
BUYING_ROLES: tuple[str, ...] = (
    "decider",
    "influencer",
    "technical",
    "user",
    "procurement",
    "coach",
)
ATTITUDES: tuple[str, ...] = ("support", "neutral", "oppose")

# Section 5: the ten ways to stay connected, lightest first. The depth weight is the
# rank (1 = a daily call or WeChat message, 10 = an executive summit).
TOUCH_KINDS: tuple[str, ...] = (
    "daily",
    "topic",
    "showcase",
    "team_event",
    "joint_launch",
    "exec_letter",
    "hq_visit",
    "exec_visit",
    "forum",
    "summit",
)
KIND_WEIGHTS: dict[str, int] = {k: i + 1 for i, k in enumerate(TOUCH_KINDS)}

# How much each buying role counts when person trust is rolled up to the customer.
ROLE_WEIGHTS: dict[str | None, float] = {
    "decider": 3.0,
    "influencer": 2.0,
    "technical": 2.0,
    "procurement": 1.5,
    "coach": 1.5,
    "user": 1.0,
    None: 1.0,
}

PROMISE_STATES: tuple[str, ...] = ("open", "kept", "broken")
# How an open promise past its due date is shown (derived, never stored).
PROMISE_DISPLAY_STATES: tuple[str, ...] = (*PROMISE_STATES, "overdue")

# Enumerations the command line accepts, by name (used by i18n for parsing).
ENUMS: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "task": TASKS,
    "customer_kind": CUSTOMER_KINDS,
    "relationship_level": RELATIONSHIP_LEVELS,
    "person_level": PERSON_LEVELS,
    "role": BUYING_ROLES,
    "attitude": ATTITUDES,
    "touch_kind": TOUCH_KINDS,
    "lifecycle": ("prospect", "target", "existing"),
    "promise_state": PROMISE_DISPLAY_STATES,
    "factor": ("competence", "reliability", "connection", "time"),
    "profit": ("high", "low"),
    "cost": ("low", "high"),
    "tier": ("platinum", "gold", "iron", "lead"),
    "cell": ("best", "invest", "keep", "worst"),
    "bucket": ("overdue", "today", "upcoming"),
    "item_kind": ("promise", "receivable", "next_step", "aftercare", "cadence", "decider", "task", "trust"),
}

# Contracts and negotiation plans (DOMAIN.md §8): their vocabulary lives with their rules.
from kehu.rules import negotiation as _negotiation  # noqa: E402

ENUMS.update(_negotiation.ENUMS)
from kehu.rules.contracts import ACTIONS as _ACTIONS  # noqa: E402

ENUMS["contract_action"] = _ACTIONS

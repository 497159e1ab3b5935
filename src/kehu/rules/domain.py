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

# Section 5: the ten ways to stay connected, in the seed's order. The seed lists them
# without ranking them: their depth weights (KIND_WEIGHTS) are kehu's own.
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
# How a daily contact happened (step 7); NULL where it was not said.
TOUCH_CHANNELS: tuple[str, ...] = ("phone", "wechat", "email", "meeting")

# How deep each way goes (trust's depth and ladder, tiers' effort): kehu's own weights,
# not the seed's (DOMAIN §5; docs/methodology.md, "Depth weights"), each a setting
# `kind_weight.<kind>`, whole numbers 1–100. Judged by who meets whom, how senior they
# are, and how much the customer gives (time, travel, its name) to take part.
KIND_WEIGHTS: dict[str, int] = {
    "daily": 1,  # a call, a WeChat message, a routine visit: one person, costs them nothing
    "exec_letter": 2,  # senior, but one way: our executive writes, they only have to read
    "topic": 3,  # a formal session on one subject: their team sets aside an hour or two for us
    "forum": 3,  # a trade show or seminar: they come, but we are one vendor among many
    "team_event": 4,  # teams spend a day together: more people, a personal tie
    "showcase": 5,  # they travel to a reference site, usually with their evaluation team
    "joint_launch": 6,  # they put their name beside ours in public: a visible commitment
    "hq_visit": 7,  # they travel to our company: days of their managers' time, met by ours
    "exec_visit": 9,  # our executive meets theirs in person: the top of both sides, face to face
    "summit": 10,  # a summit of both sides' leaders, planned together: the deepest tie
}

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

# Qualification (seed 000's evaluation: need, ability to pay, payment credit; seed 004's
# qualified prospect: desire, ability to pay, authority). No row = unknown.
QUALIFICATION: tuple[str, ...] = ("need", "pay", "credit", "desire", "authority")
QUALIFIED_FOR_GROWTH: tuple[str, ...] = ("need", "pay", "credit")  # the growth gate's facts
# A qualified prospect (合格准客户, seed 004): one who wants or needs the product (need)
# with the desire to buy, the means (ability to pay) and the authority to decide. kehu reads
# seed 004's ability to buy as seed 000's ability to pay *and* payment credit, so all five
# facts must be good (rules.stages.qualified_prospect).
QUALIFIED_PROSPECT: tuple[str, ...] = QUALIFICATION
VERDICTS: tuple[str, ...] = ("good", "bad", "unknown")
# Who evaluates a bid: the roles whose recorded attitudes say whether 项目评估 leans our way.
EVALUATOR_ROLES: tuple[str, ...] = ("decider", "influencer", "technical", "procurement")

# Seed 003's segments, which a salesperson marks (a strategic customer of little current
# value is still worth the effort), and where a prospect came from (seed 004).
SEGMENTS: tuple[str, ...] = ("strategic", "big", "profitable", "unprofitable")
SOURCES: tuple[str, ...] = ("ad", "hotline", "trade_show", "conference", "cold_visit", "referral", "other")

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
    "qualification": QUALIFICATION,
    "segment": SEGMENTS,
    "source": SOURCES,
    "verdict": VERDICTS,
    "touch_kind": TOUCH_KINDS,
    "touch_channel": TOUCH_CHANNELS,
    "lifecycle": ("prospect", "target", "existing"),
    "promise_state": PROMISE_DISPLAY_STATES,
    "factor": ("competence", "reliability", "connection", "time"),
    "profit": ("high", "low"),
    "cost": ("low", "high"),
    "tier": ("platinum", "gold", "iron", "lead"),
    "cell": ("best", "invest", "keep", "worst"),
    "profit_a": ("most", "less", "least"),  # matrix A (seed 002): current profit × cost to serve
    "bucket": ("overdue", "today", "upcoming"),
    "list_sort": ("name", "stage", "last", "value", "tier"),  # kehu list --sort
    "item_kind": ("promise", "receivable", "next_step", "aftercare", "cadence", "decider", "task", "trust", "pool",
                  "routine", "complaint", "review", "repurchase", "decay", "referral", "expansion"),
    "severity": ("low", "medium", "high"),  # a complaint's (rules.aftersale)
    "complaint_step": ("listen", "confirm", "propose", "carry_out", "call_back", "close"),
    "review_part": ("background", "planning", "execution", "results", "lessons"),
}

# ---------------------------------------------------------------- contracts, negotiation (§8)
# Their keys are kept here with the rest of the vocabulary that i18n labels, and their
# rules (rules.contracts, rules.negotiation) take them from here: labelling a stage or a
# tier must not import those rules, whose classes cost every command milliseconds.

CONTRACT_STATUSES: tuple[str, ...] = ("draft", "negotiating", "signed", "completed", "lost")
# What can be done to a contract (for messages): rules.contracts' transitions, and planning.
CONTRACT_ACTIONS: tuple[str, ...] = ("negotiate", "draft", "sign", "complete", "lose", "plan")

# The four conditions that say it is time to negotiate (谈判时机四条件).
TIMING: tuple[str, ...] = ("terms", "proposal", "objections", "all_raised")
# The four principles (谈判四原则); rules.negotiation's checks are how a plan shows them.
PRINCIPLES: tuple[str, ...] = ("people_problem", "interests", "options", "criteria")
# Ways to settle a disagreement, preferred first (解决分歧四方法).
SETTLEMENTS: tuple[str, ...] = ("trade", "add_value", "split", "concede")
PARTIES: tuple[str, ...] = ("ours", "customer", "competitor")
ASPECTS: dict[str, tuple[str, ...]] = {
    "ours": ("strengths", "gaps", "unique_value", "goal"),
    "customer": ("pain", "background", "finances", "deciders", "process", "timing"),
    "competitor": ("offer", "goal", "relationships", "position", "tactics"),
}
SMART: tuple[str, ...] = ("specific", "measurable", "achievable", "relevant", "deadline")
PACKAGES: tuple[str, ...] = ("best", "compromise", "bottom")
TEAM_ROLES: tuple[str, ...] = ("lead", "technical", "service", "commercial", "recorder")
FLOW: tuple[str, ...] = ("opening", "bargaining", "close")
FLOW_STEPS: dict[str, tuple[str, ...]] = {
    "opening": ("recap", "confirm_issues", "agenda"),
    "bargaining": ("detail", "need", "our_position", "options", "deadlock", "wrap_up"),
    "close": ("final_package", "benefits", "next_steps"),
}
CLOSED_STATUSES: tuple[str, ...] = ("signed", "completed", "lost")
# The parts of a negotiation plan, in the order missing pieces are reported.
PLAN_PARTS: tuple[str, ...] = ("timing", "issues", "analysis", "goal", "packages", "team")
PLAN_FLAGS: tuple[str, ...] = ("concession",)

NEGOTIATION_ENUMS: dict[str, tuple[str, ...]] = {
    "timing": TIMING,
    "principle": PRINCIPLES,
    "settlement": SETTLEMENTS,
    "party": PARTIES,
    "aspect": tuple(dict.fromkeys(a for p in PARTIES for a in ASPECTS[p])),
    "smart": SMART,
    "package": PACKAGES,
    "team_role": TEAM_ROLES,
    "flow_phase": FLOW,
    "flow_step": tuple(s for p in FLOW for s in FLOW_STEPS[p]),
    "contract_status": CONTRACT_STATUSES,
    "plan_part": PLAN_PARTS,
    "flag": PLAN_FLAGS,
}
ENUMS.update(NEGOTIATION_ENUMS)
ENUMS["contract_action"] = CONTRACT_ACTIONS

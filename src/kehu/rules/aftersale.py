"""After the deal (成交不是结束, DOMAIN §10): complaints, project reviews, repeat business
and referrals, decided purely.

Numbers here are kehu's own choices (the seeds give none), declared in docs/design.md:

- a complaint's call-back is due 1 day after it was recorded when its severity is high,
  3 days when medium (the default), 7 days when low;
- a mature customer's purchase cycle is the one set for it (`kehu edit --cycle`), else
  the median gap between its signed contracts (two or more), else a year; the next
  purchase is worth a call NEXT_PURCHASE_LEAD days before the cycle comes round;
- a customer's business is decaying (迁移客户) when what it signed in the last twelve
  months is under half of what it signed in the twelve before, or when nothing was
  signed for one and a half cycles since its last purchase.

Pure: standard library only; ``today`` is a parameter.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median

from kehu.rules.domain import ENUMS

SEVERITIES: tuple[str, ...] = ENUMS["severity"]
CALLBACK_DAYS: dict[str, int] = {"high": 1, "medium": 3, "low": 7}
# The handling steps of a complaint, in order (seed 002): rules.playbooks_after.STEPS.
COMPLAINT_STEPS: tuple[str, ...] = ENUMS["complaint_step"]
# The questions of a project review (seed 001 §13), the sections of its guide.
REVIEW_PARTS: tuple[str, ...] = ENUMS["review_part"]

DEFAULT_CYCLE_DAYS = 365
NEXT_PURCHASE_LEAD = 30
DECAY_SHARE = 0.5
DECAY_CYCLES = 1.5


def callback_due(made_on: date, severity: str) -> date:
    return made_on + timedelta(days=CALLBACK_DAYS[severity])


def complaint_state(steps_done: set[str], resolved: bool) -> str:
    """'resolved', 'called_back' (the fix confirmed, not closed yet) or 'open'."""
    if resolved:
        return "resolved"
    if "call_back" in steps_done:
        return "called_back"
    return "open"


def next_step_of_complaint(steps_done: set[str]) -> str | None:
    """The first handling step not done yet."""
    return next((s for s in COMPLAINT_STEPS if s not in steps_done), None)


def review_written(answers: dict[str, str]) -> bool:
    """A review counts as written once its results and lessons are down."""
    return bool(answers.get("results", "").strip()) and bool(answers.get("lessons", "").strip())


def purchase_cycle(set_days: int | None, signed: list[date]) -> tuple[int, str]:
    """The customer's purchase cycle in days, and where it comes from ('set', 'history',
    'default')."""
    if set_days:
        return set_days, "set"
    days = sorted(signed)
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False) if (b - a).days > 0]
    if gaps:
        return int(median(gaps)), "history"
    return DEFAULT_CYCLE_DAYS, "default"


def next_purchase_due(last: date, cycle_days: int) -> date:
    """When to get in touch about the next purchase: a little before the cycle comes round."""
    return last + timedelta(days=max(cycle_days - NEXT_PURCHASE_LEAD, 1))


def decay(signed: list[tuple[date, int]], cycle_days: int, today: date) -> tuple[str, dict[str, object]] | None:
    """Why the customer's business is falling (a message key and its values), or None.

    ``signed`` is each signed contract's day and amount in cents."""
    if not signed:
        return None
    year = timedelta(days=365)
    recent = sum(a for d, a in signed if today - year < d <= today)
    before = sum(a for d, a in signed if today - 2 * year < d <= today - year)
    if before > 0 and recent < before * DECAY_SHARE:
        return "decay_fell", {"share": round(100 * (before - recent) / before)}
    last = max(d for d, _ in signed)
    quiet = (today - last).days
    if quiet > cycle_days * DECAY_CYCLES:
        return "decay_quiet", {"days": quiet, "cycle": cycle_days}
    return None


def ask_for_referral(stage: str, completed: int, open_complaints: int, supporters: int, referred: int) -> bool:
    """A satisfied mature customer is worth asking for introductions (seed 003's
    horizontal growth): mature, a contract completed, no open complaint, someone there who
    supports us, and nobody introduced by it yet."""
    return stage == "mature" and completed > 0 and open_complaints == 0 and supporters > 0 and referred == 0


def expansion(stage: str, completed: int, open_deals: int) -> bool:
    """A mature customer with work delivered and no deal under way: propose the next one
    (another department, the next phase, a related product)."""
    return stage == "mature" and completed > 0 and open_deals == 0

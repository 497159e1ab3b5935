"""What is due, most urgent first (DOMAIN.md §7): pure ranking of follow-up items.

Sources (gathered by the store): next steps agreed at touchpoints, promises we made,
customers not touched within their tier's cadence, and — once contracts exist —
receivables and the visit after a completed contract; in team mode, the owner's
customers about to return to the public pool (rules.pool), due on the last day a
touchpoint still keeps them.

Urgency (shown with ``--explain``) is a product of four documented parts; the weights
are kehu's own (DOMAIN §11), settings urgency_tier.*, urgency_kind.*, urgency_stage.*:

    urgency = tier weight × kind weight × stage weight × timing

    tier weight   platinum 4, gold 3, iron 2, lead 1
    kind weight   complaint call-back 1.6, promise 1.5 (a missed one costs reliability), receivable 1.5,
                  pool warning 1.4 (missed, the account and the work put into it
                  go to whoever claims it next), next step 1.2, aftercare 1.1,
                  cadence 1.0; and for `kehu next`:
                  decider gap 1.0, stage task 0.9, trust's weakest factor 0.8;
                  after the deal: value decay 1.3, next purchase 1.2, review 0.9,
                  referral and expansion prompts 0.7
    stage weight  growth 1.3, evaluation 1.2, mature 1.1, acquainted 1.0, stranger 0.8
    timing        overdue: 1 + days overdue / 7 (a week late doubles it)
                  due today: 1
                  upcoming: 1 / (1 + days until due)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

# After the deal (rules.aftersale, store.aftersale): a complaint's call-back (its own
# number: Q3), a review to write (the contract's: V5), and per customer the next
# purchase (B); and `kehu next`'s own: a value-decay alert (M), prompts to ask for
# introductions (F) and to propose the next deal (E). An open complaint weighs most: an
# unanswered one is a customer on the way out.
AFTER_KINDS = ("complaint", "review", "repurchase", "decay", "referral", "expansion")
AFTER_WEIGHT = {"complaint": 1.6, "review": 0.9, "repurchase": 1.2, "decay": 1.3, "referral": 0.7, "expansion": 0.7}
AFTER_PREFIX = {"complaint": "Q", "review": "V", "repurchase": "B", "decay": "M", "referral": "F", "expansion": "E"}

BUCKETS = ("overdue", "today", "upcoming")
ITEM_KINDS = ("promise", "receivable", "next_step", "aftercare", "cadence", "decider", "task", "trust", "pool",
              "routine", *AFTER_KINDS)

TIER_WEIGHT = {"platinum": 4.0, "gold": 3.0, "iron": 2.0, "lead": 1.0}
KIND_WEIGHT = {
    "promise": 1.5,
    "receivable": 1.5,
    "pool": 1.4,
    "next_step": 1.2,
    "aftercare": 1.1,
    "cadence": 1.0,
    "decider": 1.0,
    "task": 0.9,
    "trust": 0.8,
    "routine": 0.9,
    **AFTER_WEIGHT,
}
# Seed 001 §4: an organisation worth developing gets a routine of yearly executive-level
# and quarterly middle-level contact (the seed's own rhythm), from growth on.
ROUTINE_DAYS: dict[str, int] = {"executive": 365, "middle": 91}
ROUTINE_STAGES: tuple[str, ...] = ("growth", "mature")
# No contact with any decider for this long, in evaluation and after: see them.
DECIDER_SILENT_DAYS = 60
STAGE_WEIGHT = {"growth": 1.3, "evaluation": 1.2, "mature": 1.1, "acquainted": 1.0, "stranger": 0.8}
ID_PREFIX = {
    "promise": "P",
    "next_step": "N",
    "cadence": "C",
    "receivable": "R",
    "aftercare": "A",
    "decider": "D",
    "task": "T",
    "trust": "S",
    "pool": "H",  # the customer's hold on it is running out
    "routine": "Y",  # the yearly / quarterly routine by level
    **AFTER_PREFIX,
}


# Items and their rankings are values, never changed once made (dataclasses.replace
# makes a changed copy); not frozen=True, whose constructor sets each field through
# object.__setattr__: a book's 70,000 due items took 0.18 s to make that way, 0.03 s so.
@dataclass(slots=True)
class Item:
    """One thing to do. ``ref`` is the id of the row it comes from (promise, touchpoint,
    customer...); ``id`` (e.g. P12, N34, C5) names it on the command line."""

    kind: str
    ref: int
    customer_id: int
    customer: str
    tier: str
    stage: str
    due: date
    text: str
    owner: str | None = None
    since: date | None = None  # cadence: the last touch (or the day the customer was added)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{ID_PREFIX[self.kind]}{self.ref}"


@dataclass(slots=True)
class Ranked:
    item: Item
    bucket: str
    days: int  # days overdue (>0), 0 today, days until due (<0 means upcoming in -days)
    urgency: float
    parts: dict[str, float]


def bucket_of(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "upcoming"


@dataclass(frozen=True)
class UrgencyWeights:
    """The urgency weights, kehu's own numbers (DOMAIN §11): the defaults above, or a
    book's settings urgency_tier.*, urgency_kind.*, urgency_stage.* (all positive, so
    lateness always raises urgency whatever they are)."""

    tier: dict[str, float] = field(default_factory=lambda: dict(TIER_WEIGHT))
    kind: dict[str, float] = field(default_factory=lambda: dict(KIND_WEIGHT))
    stage: dict[str, float] = field(default_factory=lambda: dict(STAGE_WEIGHT))


DEFAULT_URGENCY = UrgencyWeights()


def urgency(item: Item, today: date, weights: UrgencyWeights = DEFAULT_URGENCY) -> tuple[float, dict[str, float]]:
    late = (today - item.due).days
    if late > 0:
        timing = 1.0 + late / 7.0
    elif late == 0:
        timing = 1.0
    else:
        timing = 1.0 / (1.0 - late)
    parts = {
        "tier": weights.tier.get(item.tier, 1.0),
        "kind": weights.kind.get(item.kind, KIND_WEIGHT[item.kind]),
        "stage": weights.stage.get(item.stage, 1.0),
        "timing": timing,
    }
    score = parts["tier"] * parts["kind"] * parts["stage"] * parts["timing"]
    return score, parts


def rank(items: Iterable[Item], today: date, within_days: int,
         weights: UrgencyWeights = DEFAULT_URGENCY) -> list[Ranked]:
    """Items due on or before today + within_days, most urgent first (ties: earlier due,
    then customer, then id, so the order is stable from run to run)."""
    horizon = date.fromordinal(today.toordinal() + within_days)
    # A book's items share few (tier, kind, stage, due) combinations: each urgency is
    # computed once and its parts shared (read-only) by the items that have it.
    seen: dict[tuple, tuple] = {}
    out = []
    for item in items:
        due = item.due
        if due > horizon:
            continue
        same = (item.tier, item.kind, item.stage, due)
        known = seen.get(same)
        if known is None:
            score, parts = urgency(item, today, weights)
            known = seen[same] = (bucket_of(due, today), (today - due).days, score, parts)
        out.append(Ranked(item, *known))
    out.sort(key=order_key)
    return out


def order_key(r: Ranked) -> tuple:
    """Most urgent first; ties by due date, customer, then the item's kind and number
    (P2 before P12), so the order is the same from run to run."""
    return (-round(r.urgency, 9), r.item.due, r.item.customer, ID_PREFIX[r.item.kind], r.item.ref)


def parse_item_id(text: str) -> tuple[str, int] | None:
    """'P12' → ('promise', 12); None when it is not an item id."""
    text = text.strip().upper()
    if len(text) < 2 or not (text[1:].isascii() and text[1:].isdigit()) or len(text) > 19:
        return None
    for kind, prefix in ID_PREFIX.items():
        if text[0] == prefix:
            return kind, int(text[1:])
    return None


def seen_key(r: Ranked) -> str:
    """What `kehu remind --new` remembers of an item: its id and due date. A next step
    closed and agreed again, or a cadence reset by a touch, is a new key."""
    return f"{r.item.id}@{r.item.due.isoformat()}"


def only_new(ranked: Sequence[Ranked], seen: set[str] | None) -> list[Ranked]:
    """The items the previous `--new` run did not list (all of them on a first run).

    Comparing the sets, rather than dates, reports each item exactly once whatever the
    reason it appeared: it fell due, it was recorded late with a past due date, the
    customer moved to a tier with a shorter cadence, or it entered the --within window.
    """
    if seen is None:
        return list(ranked)
    return [r for r in ranked if seen_key(r) not in seen]


def routine_gap(stage: str, people: Sequence[tuple[str, str | None, date | None, date]],
                today: date) -> tuple[str, str, date] | None:
    """Seed 001 §4's routine for an organisation (growth and mature): every executive met
    at least yearly, every middle manager quarterly. ``people``: (name, level, last
    touch with them or None, the day they were recorded). The most overdue one, as
    (name, level, due), or None when the routine is kept."""
    if stage not in ROUTINE_STAGES:
        return None
    worst = None
    for name, level, last, added in people:
        days = ROUTINE_DAYS.get(level or "")
        if days is None:
            continue
        due = date.fromordinal((last or added).toordinal() + days)
        if due <= today and (worst is None or due < worst[2]):
            worst = (name, level, due)
    return worst


def decider_gap(
    stage: str, last_decider_touch: date | None, any_touch: bool, today: date
) -> tuple[str, dict[str, object]] | None:
    """From evaluation on, a deal needs the people who decide: flag a customer whose
    deciders have not been met for DECIDER_SILENT_DAYS, or never (when we are in touch
    with someone there)."""
    if stage not in ("evaluation", "growth", "mature") or not any_touch:
        return None
    if last_decider_touch is None:
        return ("next_decider_none", {})
    days = (today - last_decider_touch).days
    if days > DECIDER_SILENT_DAYS:
        return ("next_decider_silent", {"days": days})
    return None

"""Contracts and money (DOMAIN.md §8): what may happen to a contract, how a payment
fills its instalments, and the weighted pipeline. Pure: amounts are whole cents (int),
so every sum is exact; probabilities are whole percentages.

- Status: draft → negotiating → signed → completed, and draft/negotiating → lost (with a
  reason). A signed contract is the only mark of a mature relationship; its amount is
  fixed from then on.
- A payment plan is a list of instalments whose amounts add up to the contract amount
  exactly. A payment fills the instalments in order of due date; paying more than is
  still owed is refused, not recorded as credit.
- The forecast weights each open contract (draft, negotiating) by the probability of
  its customer's stage and groups it by month of expected signing, and by owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from kehu.rules.domain import CONTRACT_ACTIONS, CONTRACT_STATUSES

STATUSES: tuple[str, ...] = CONTRACT_STATUSES
OPEN: tuple[str, ...] = ("draft", "negotiating")
WON: tuple[str, ...] = ("signed", "completed")  # count as signed: value, maturity, receivables

# The action, the statuses it may start from, and where it leads.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "negotiate": (("draft",), "negotiating"),
    "draft": (("negotiating",), "draft"),
    "sign": (OPEN, "signed"),
    "complete": (("signed",), "completed"),
    "lose": (OPEN, "lost"),
}

# What can be done to a contract (for messages): the transitions, and planning. The
# keys are rules.domain's CONTRACT_ACTIONS (i18n labels them without importing this).
ACTIONS: tuple[str, ...] = CONTRACT_ACTIONS

# Probability that an open contract is signed, by the customer's stage (whole %).
# Documented in docs/methodology.md; each is a setting (forecast.<stage>).
DEFAULT_PROBABILITY: dict[str, int] = {
    "stranger": 5,
    "acquainted": 10,
    "evaluation": 25,
    "growth": 50,
    "mature": 70,
}
AFTERCARE_DAYS = 30  # the follow-up visit after completion (成交不是结束)
MAX_INSTALMENTS = 120


@dataclass(frozen=True)
class Refusal:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)


def decide_transition(status: str, action: str) -> Refusal | None:
    """None when ``action`` may happen to a contract in ``status``."""
    allowed, target = TRANSITIONS[action]
    if status == target:
        return Refusal("contract_already", {"status": status})
    if status not in allowed:
        return Refusal("contract_cannot", {"action": action, "status": status})
    return None


def check_plan(amount: int, parts: Sequence[tuple[date, int]], paid: int = 0,
               signed_on: date | None = None) -> Refusal | None:
    """A plan must list positive instalments adding up to the amount exactly, none due
    before the contract was signed, and must still have room for what has already been paid."""
    if not parts:
        return Refusal("plan_empty")
    if len(parts) > MAX_INSTALMENTS:
        return Refusal("plan_too_long", {"max": MAX_INSTALMENTS})
    for due, cents in parts:
        if cents <= 0:
            return Refusal("plan_not_positive", {"due": due})
    dues = [d for d, _ in parts]
    if len(set(dues)) != len(dues):
        return Refusal("plan_same_day", {"due": sorted(d for d in dues if dues.count(d) > 1)[0]})
    if signed_on is not None and min(dues) < signed_on:
        # Nothing falls due before the signature; such an instalment would be overdue at once.
        return Refusal("plan_before_signed", {"due": min(dues), "signed": signed_on})
    total = sum(c for _, c in parts)
    if total != amount:
        return Refusal("plan_sum", {"total": total, "amount": amount, "diff": total - amount})
    if paid > total:
        return Refusal("plan_below_paid", {"paid": paid})
    return None


@dataclass(frozen=True)
class Due:
    """One instalment as the rules see it."""

    id: int
    due: date
    amount: int
    paid: int

    @property
    def open(self) -> int:
        return self.amount - self.paid


def in_order(instalments: Iterable[Due]) -> list[Due]:
    return sorted(instalments, key=lambda i: (i.due, i.id))


def allocate(instalments: Iterable[Due], cents: int) -> list[tuple[int, int]] | Refusal:
    """Fill the instalments in order of due date: [(instalment id, cents applied)].

    A payment must be positive and may not exceed what is still owed."""
    if cents <= 0:
        return Refusal("pay_not_positive")
    ordered = in_order(instalments)
    owed = sum(i.open for i in ordered)
    if owed == 0:
        return Refusal("pay_nothing_owed")
    if cents > owed:
        return Refusal("pay_too_much", {"amount": cents, "owed": owed, "excess": cents - owed})
    out, left = [], cents
    for i in ordered:
        if left == 0:
            break
        take = min(left, i.open)
        if take:
            out.append((i.id, take))
            left -= take
    return out


def reallocate(parts: Sequence[tuple[date, int]], paid: int) -> list[int]:
    """When a plan is replaced, what was already paid fills the new instalments in order:
    the paid cents of each new part."""
    out, left = [], paid
    for _, cents in sorted(parts, key=lambda p: p[0]):
        take = min(left, cents)
        out.append(take)
        left -= take
    return out


def overdue(instalments: Iterable[Due], today: date) -> list[tuple[Due, int]]:
    """Instalments past due and not fully paid, with days late (oldest first)."""
    return [(i, (today - i.due).days) for i in in_order(instalments) if i.open > 0 and i.due < today]


def twelve_months_before(day: date) -> date:
    """The first day of the 12 months that end on ``day`` (29 February falls back to the 28th)."""
    try:
        since = day.replace(year=day.year - 1)
    except ValueError:
        since = day.replace(year=day.year - 1, day=28)
    return date.fromordinal(since.toordinal() + 1)


# ---------------------------------------------------------------- forecast


@dataclass(frozen=True)
class OpenDeal:
    id: int
    amount: int
    currency: str
    stage: str
    expected: date | None
    owner: str | None


@dataclass(frozen=True)
class ForecastRow:
    group: str  # 'YYYY-MM', or '' when no expected date; an owner, or '' when none
    currency: str
    count: int
    amount: int
    weighted: int  # cents, rounded half to even once per row (never per contract)


def weighted_rows(deals: Iterable[OpenDeal], probability: Mapping[str, int], key) -> list[ForecastRow]:
    """Open deals grouped by ``key`` and currency: count, amount, weighted amount."""
    sums: dict[tuple[str, str], list[Decimal | int]] = {}
    for d in deals:
        slot = sums.setdefault((key(d), d.currency), [0, 0, Decimal(0)])
        slot[0] += 1
        slot[1] += d.amount
        slot[2] += Decimal(d.amount) * probability.get(d.stage, 0) / 100
    return [
        ForecastRow(g, cur, int(n), int(a), int(Decimal(w).quantize(Decimal(1), ROUND_HALF_EVEN)))
        for (g, cur), (n, a, w) in sorted(sums.items(), key=lambda kv: (kv[0][0] == "", kv[0]))
    ]


def forecast(
    deals: Sequence[OpenDeal], probability: Mapping[str, int]
) -> tuple[list[ForecastRow], list[ForecastRow], list[ForecastRow]]:
    """The weighted pipeline by month of expected signing, by owner, and in total
    (each per currency: amounts in different currencies are never added together)."""
    by_month = weighted_rows(deals, probability, lambda d: d.expected.strftime("%Y-%m") if d.expected else "")
    by_owner = weighted_rows(deals, probability, lambda d: d.owner or "")
    total = weighted_rows(deals, probability, lambda d: "*")
    return by_month, by_owner, total


# ---------------------------------------------------------------- non-payment facts


@dataclass(frozen=True)
class PaymentFacts:
    """What the book knows that bears on an overdue contract's six possible causes."""

    contract: int
    customer: str
    currency: str
    overdue: int  # cents past due
    days_late: int  # of the oldest unpaid instalment
    instalments: int  # how many are late
    opposed: tuple[tuple[str, str | None], ...] = ()  # (name, buying role) of people against us
    uncovered_roles: tuple[str, ...] = ()  # who signs off payments, and nobody known there
    promises_missed: int = 0  # our promises broken, or open past due
    days_since_touch: int | None = None
    open_complaints: tuple[int, ...] = ()  # the customer's complaints not resolved (store.aftersale)

    def hint_keys(self) -> list[tuple[str, dict[str, object]]]:
        out: list[tuple[str, dict[str, object]]] = []
        if self.open_complaints:
            out.append(("np_complaints", {"ids": ", ".join(f"Q{i}" for i in self.open_complaints)}))
        if self.opposed:
            out.append(("np_opposed", {"people": ", ".join(n for n, _ in self.opposed)}))
        for role in self.uncovered_roles:
            out.append(("np_uncovered", {"role": role}))
        if self.promises_missed:
            out.append(("np_promises", {"count": self.promises_missed}))
        if self.days_since_touch is None:
            out.append(("np_never_touched", {}))
        elif self.days_since_touch > 30:
            out.append(("np_silent", {"days": self.days_since_touch}))
        return out


# Who usually signs off a payment: nobody known in these roles is a gap worth closing.
PAYMENT_ROLES: tuple[str, ...] = ("decider", "procurement")

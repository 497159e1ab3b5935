"""The lifecycle: stage tasks; advancing through the one advance gate, ending and
reopening a relationship (each decided by kehu.rules.stages); stage changes kept in
time order; the stage events the funnel is built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from kehu.dates import to_local
from kehu.errors import Refused, UsageError
from kehu.models import Contract, Customer, Event, Person, Qualification, TaskDone, utcnow
from kehu.rules.contracts import WON
from kehu.rules.domain import EVALUATOR_ROLES
from kehu.rules.stages import AdvanceDecision, decide_advance, decide_drop, decide_reopen, evaluators_lean
from kehu.rules.trust import score_shown
from kehu.settings import Settings
from kehu.store.common import core_rows, event
from kehu.store.ownership import owned_by
from kehu.store.trust import customer_trust


def tasks_done(s: Session, customer: Customer) -> dict[str, TaskDone]:
    rows = s.exec(select(TaskDone).where(TaskDone.customer_id == customer.id)).all()
    return {r.task: r for r in rows}


def mark_task(s: Session, customer: Customer, task: str, day: date, note: str | None,
              force_reason: str | None = None) -> TaskDone:
    """Tick a stage task. 项目评估 (assess) means the evaluation team leans our way (seed
    000): while the recorded evaluators lean against us it is refused, unless forced with
    a reason, which the history keeps."""
    existing = s.get(TaskDone, (customer.id, task))
    if existing is not None:
        raise Refused("task_already_done", task=task, date=existing.done_on.isoformat())
    detail: dict[str, object] = {"task": task, "on": day.isoformat()}
    if task == "assess":
        attitudes = s.exec(select(Person.role, Person.attitude).where(Person.customer_id == customer.id)).all()
        if evaluators_lean(attitudes) == "against":
            if not force_reason:
                pro = sum(1 for r, a in attitudes if a == "support" and r in EVALUATOR_ROLES)
                con = sum(1 for r, a in attitudes if a == "oppose" and r in EVALUATOR_ROLES)
                raise Refused("assess_evaluators_against", against=con, support=pro)
            detail["overrode"] = [{"key": "assess_evaluators_against"}]
            detail["reason"] = force_reason
    row = TaskDone(customer_id=customer.id, task=task, done_on=day, note=note)
    s.add(row)
    event(s, customer, "task_done", on=day, detail=detail, reason=note or force_reason)
    return row


def qualification_of(s: Session, customer: Customer) -> dict[str, Qualification]:
    return {q.key: q for q in s.exec(select(Qualification).where(Qualification.customer_id == customer.id))}


def qualify(s: Session, customer: Customer, fact: str, verdict: str, note: str | None, day: date) -> None:
    """Record a qualification fact (good or bad; unknown removes what was recorded)."""
    row = s.get(Qualification, (customer.id, fact))
    if verdict == "unknown":
        if row is not None:
            s.delete(row)
    else:
        if row is None:
            row = Qualification(customer_id=customer.id, key=fact, verdict=verdict, updated_at=utcnow())
        row.verdict, row.note, row.day, row.actor, row.updated_at = verdict, note, day, s.info.get("actor"), utcnow()
        s.add(row)
    event(s, customer, "qualified", on=day, detail={"fact": fact, "verdict": verdict}, reason=note)


def mark_task_if_open(s: Session, customer: Customer, task: str, day: date, note: str | None) -> bool:
    if s.get(TaskDone, (customer.id, task)) is not None:
        return False
    mark_task(s, customer, task, day, note)
    return True


STAGE_EVENTS = ("created", "advanced", "forced", "dropped", "reopened")


def check_in_order(s: Session, customer: Customer, on: date | None, option: str = "--date") -> None:
    """A back-dated stage change may not precede the customer's latest stage event:
    the history (and the funnel built from it) must stay in time order."""
    if on is None:
        return
    latest = s.exec(
        select(func.max(Event.at)).where(
            Event.customer_id == customer.id, col(Event.kind).in_(STAGE_EVENTS)
        )
    ).one()
    if latest is None:
        return
    last_day = to_local(latest.replace(tzinfo=latest.tzinfo or UTC)).date()
    if on < last_day:
        raise UsageError("date_before_history", option=option, value=on, last=last_day)


def set_stage(
    s: Session,
    customer: Customer,
    kind: str,
    to_stage: str,
    reason: str | None = None,
    detail: object = None,
    on: date | None = None,
) -> Event:
    check_in_order(s, customer, on)
    ev = event(
        s, customer, kind, on=on, from_stage=customer.stage, to_stage=to_stage, reason=reason,
        detail=detail,
    )
    customer.stage = to_stage
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


def has_signed_contract(s: Session, customer: Customer) -> bool:
    """A signed (or completed) contract: the only mark of a mature relationship."""
    found = s.exec(
        select(Contract.id).where(Contract.customer_id == customer.id, col(Contract.status).in_(WON)).limit(1)
    ).first()
    return found is not None


def advance_gate(
    s: Session, customer: Customer, settings: Settings, day: date, force: bool = False
) -> tuple[AdvanceDecision, float]:
    """May the customer move one stage forward: its stage tasks, its trust on ``day``
    against trust.threshold, a signed contract, whether the relationship has ended, as
    rules.stages.decide_advance weighs them. The one gate of `kehu advance` and of the move
    to mature when a contract is signed (store.contracts.sign). Returns the decision and
    the trust score it saw."""
    score = customer_trust(s, customer, day, settings).score
    decision = decide_advance(
        stage=customer.stage,
        done_tasks=tasks_done(s, customer),
        trust_score=score,
        has_signed_contract=has_signed_contract(s, customer),
        terminated=customer.terminated_at is not None,
        threshold=settings.trust_threshold,
        force=force,
        qualification={k: q.verdict for k, q in qualification_of(s, customer).items()},
    )
    return decision, score


@dataclass(frozen=True)
class Advanced:
    """What `kehu advance` decided and, when the decision allowed it, wrote."""

    decision: AdvanceDecision
    event: Event | None  # the stage change; None: refused, nothing written

    @property
    def forced(self) -> bool:
        """Moved past the soft blockers in decision.blockers, with --force and a reason."""
        return self.event is not None and bool(self.decision.blockers)


def advance(
    s: Session, customer: Customer, settings: Settings, day: date, force: bool = False,
    reason: str | None = None, on: date | None = None,
) -> Advanced:
    """`kehu advance`: one stage forward when the gate allows (trust as of ``day``);
    otherwise nothing is written and the decision says why. The history keeps the trust
    score as shown and, for a forced move, the blockers it overrode and the reason; ``on``
    back-dates the move."""
    decision, score = advance_gate(s, customer, settings, day, force)
    if not decision.allowed:
        return Advanced(decision, None)
    forced = bool(decision.blockers)
    ev = set_stage(
        s, customer, "forced" if forced else "advanced", decision.to_stage,
        reason=reason.strip() if forced and reason else None,
        on=on,
        detail={"overrode": [{"key": b.key, **b.params} for b in decision.blockers],
                "trust": score_shown(score)}
        if forced
        else {"trust": score_shown(score)},
    )
    return Advanced(decision, ev)


def drop(s: Session, customer: Customer, reason: str, on: date | None = None) -> Event:
    """`kehu drop`: end the relationship (终止), from any stage, once; it keeps its stage."""
    blocker = decide_drop(terminated=customer.terminated_at is not None)
    if blocker:
        raise Refused(blocker.key)
    check_in_order(s, customer, on)
    ev = event(
        s, customer, "dropped", on=on, from_stage=customer.stage, to_stage=customer.stage,
        reason=reason,
    )
    customer.terminated_at = ev.at
    customer.terminated_reason = reason
    customer.updated_at = ev.at
    s.add(customer)
    return ev


def reopen(s: Session, customer: Customer, on: date | None = None) -> Event:
    """`kehu reopen`: an ended relationship goes on, in the stage where it ended."""
    blocker = decide_reopen(terminated=customer.terminated_at is not None)
    if blocker:
        raise Refused(blocker.key)
    check_in_order(s, customer, on)
    ev = event(s, customer, "reopened", on=on, from_stage=customer.stage, to_stage=customer.stage)
    customer.terminated_at = None
    customer.terminated_reason = None
    customer.updated_at = ev.at
    s.add(customer)
    return ev


def stage_events(s: Session, settings: Settings, owner: str | None = None) -> list[tuple[int, datetime, str | None]]:
    """Every event that put a customer into a stage, in order, for the funnel (of the
    owner's customers, when one is given)."""
    q = (
        select(Event.customer_id, Event.at, Event.to_stage)
        .where(col(Event.kind).in_(("created", "advanced", "forced")))
        # In the order they were recorded: a clock set back once wrote a later event with
        # an earlier time, and ordering by time then showed the stages out of order.
        .order_by(Event.customer_id, Event.id)
    )
    if owner:
        q = q.where(col(Event.customer_id).in_(select(Customer.id).where(owned_by(owner, settings))))
    return list(core_rows(s, q))


def stage_counts(s: Session, settings: Settings, owner: str | None = None) -> dict[str, int]:
    q = select(Customer.stage, func.count()).where(col(Customer.terminated_at).is_(None))
    if owner:
        q = q.where(owned_by(owner, settings))
    return dict(s.exec(q.group_by(Customer.stage)).all())


def terminated_ids(s: Session) -> set[int]:
    return set(s.exec(select(Customer.id).where(col(Customer.terminated_at).is_not(None))).all())

"""The lifecycle: stage tasks, stage changes in time order, ending and reopening a
relationship, and the stage events the funnel is built from."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from kehu.dates import to_local
from kehu.errors import Refused, UsageError
from kehu.models import Contract, Customer, Event, TaskDone, utcnow
from kehu.rules.contracts import WON
from kehu.settings import Settings
from kehu.store.common import core_rows, event
from kehu.store.ownership import owned_by


def tasks_done(s: Session, customer: Customer) -> dict[str, TaskDone]:
    rows = s.exec(select(TaskDone).where(TaskDone.customer_id == customer.id)).all()
    return {r.task: r for r in rows}


def mark_task(s: Session, customer: Customer, task: str, day: date, note: str | None) -> TaskDone:
    existing = s.get(TaskDone, (customer.id, task))
    if existing is not None:
        raise Refused("task_already_done", task=task, date=existing.done_on.isoformat())
    row = TaskDone(customer_id=customer.id, task=task, done_on=day, note=note)
    s.add(row)
    event(s, customer, "task_done", on=day, detail={"task": task, "on": day.isoformat()}, reason=note)
    return row


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


def terminate(s: Session, customer: Customer, reason: str, on: date | None = None) -> Event:
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
    check_in_order(s, customer, on)
    ev = event(s, customer, "reopened", on=on, from_stage=customer.stage, to_stage=customer.stage)
    customer.terminated_at = None
    customer.terminated_reason = None
    customer.updated_at = ev.at
    s.add(customer)
    return ev


def has_signed_contract(s: Session, customer: Customer) -> bool:
    """A signed (or completed) contract: the only mark of a mature relationship."""
    found = s.exec(
        select(Contract.id).where(Contract.customer_id == customer.id, col(Contract.status).in_(WON)).limit(1)
    ).first()
    return found is not None


def stage_events(s: Session, settings: Settings, owner: str | None = None) -> list[tuple[int, datetime, str | None]]:
    """Every event that put a customer into a stage, in order, for the funnel (of the
    owner's customers, when one is given)."""
    q = (
        select(Event.customer_id, Event.at, Event.to_stage)
        .where(col(Event.kind).in_(("created", "advanced", "forced")))
        .order_by(Event.customer_id, Event.at, Event.id)
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

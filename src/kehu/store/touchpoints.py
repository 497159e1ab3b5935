"""Touchpoints: record one (with its people, next step and promise), list a customer's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from kehu.errors import UsageError
from kehu.models import Customer, Person, Promise, Touchpoint, TouchpointPerson, TouchIn, utcnow
from kehu.settings import Settings
from kehu.store.common import validate
from kehu.store.ownership import owner_touched


def add_touch(
    s: Session, customer: Customer, data: dict, people: Sequence[Person], settings: Settings
) -> tuple[Touchpoint, Promise | None]:
    valid = validate(TouchIn, data)
    if (valid.next_step is None) != (valid.next_due is None):
        raise UsageError("next_needs_due")
    if (valid.promise is None) != (valid.promise_due is None):
        raise UsageError("promise_needs_due")
    for option, due in (("--next-due", valid.next_due), ("--promise-due", valid.promise_due)):
        if due is not None and due < valid.day:
            raise UsageError("due_before_date", option=option, due=due, day=valid.day)
    touch = Touchpoint(
        customer_id=customer.id,
        day=valid.day,
        kind=valid.kind,
        note=valid.note,
        signals=json.dumps(valid.signals, ensure_ascii=False) if valid.signals else None,
        next_step=valid.next_step,
        next_due=valid.next_due,
        created_at=utcnow(),
        actor=s.info.get("actor"),
    )
    s.add(touch)
    owner_touched(s, customer, valid.day, settings)
    s.flush()
    for person in {p.id: p for p in people}.values():
        s.add(TouchpointPerson(touchpoint_id=touch.id, person_id=person.id))
    promise = None
    if valid.promise is not None:
        promise = Promise(
            customer_id=customer.id,
            touchpoint_id=touch.id,
            text=valid.promise,
            made_on=valid.day,
            due=valid.promise_due,
            created_at=utcnow(),
        )
        s.add(promise)
        s.flush()
    return touch, promise


@dataclass(frozen=True)
class TouchRow:
    touch: Touchpoint
    people: list[str]


def touches_of(s: Session, customer: Customer, limit: int | None = None) -> list[TouchRow]:
    q = (
        select(Touchpoint)
        .where(Touchpoint.customer_id == customer.id)
        .order_by(col(Touchpoint.day).desc(), col(Touchpoint.id).desc())
    )
    if limit:
        q = q.limit(limit)
    touches = list(s.exec(q))
    names: dict[int, list[str]] = {t.id: [] for t in touches}
    if touches:
        rows = s.exec(
            select(TouchpointPerson.touchpoint_id, Person.name)
            .join(Person, col(Person.id) == TouchpointPerson.person_id)
            .where(col(TouchpointPerson.touchpoint_id).in_(list(names)))
            .order_by(Person.id)
        ).all()
        for tid, name in rows:
            names[tid].append(name)
    return [TouchRow(t, names[t.id]) for t in touches]

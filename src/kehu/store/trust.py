"""Trust (信用): the facts kehu.rules.trust scores a customer on, and the score."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from kehu.models import Customer, Promise, Touchpoint, TouchpointPerson
from kehu.rules import trust as T
from kehu.settings import Settings
from kehu.store.people import people_of


def trust_inputs(
    s: Session, customer: Customer
) -> tuple[list[T.PersonFacts], list[T.TouchFacts], list[T.PromiseFacts]]:
    people = [
        T.PersonFacts(p.id, p.name, p.level, p.role, p.competence, p.attitude) for p in people_of(s, customer)
    ]
    links: dict[int, set[int]] = {}
    for tid, pid in s.exec(
        select(TouchpointPerson.touchpoint_id, TouchpointPerson.person_id)
        .join(Touchpoint, col(Touchpoint.id) == TouchpointPerson.touchpoint_id)
        .where(Touchpoint.customer_id == customer.id)
    ).all():
        links.setdefault(tid, set()).add(pid)
    touches = [
        T.TouchFacts(day, kind, frozenset(links.get(tid, ())))
        for tid, day, kind in s.exec(
            select(Touchpoint.id, Touchpoint.day, Touchpoint.kind).where(
                Touchpoint.customer_id == customer.id
            )
        ).all()
    ]
    promises = [
        T.PromiseFacts(
            due=p.due,
            kept_on=p.kept_on,
            broken=p.broken_on is not None,
            people=frozenset(links.get(p.touchpoint_id, ())) if p.touchpoint_id else frozenset(),
        )
        for p in s.exec(select(Promise).where(Promise.customer_id == customer.id))
    ]
    return people, touches, promises


def customer_trust(s: Session, customer: Customer, today: date, settings: Settings) -> T.CustomerTrust:
    people, touches, promises = trust_inputs(s, customer)
    return T.customer_trust(people, touches, promises, today, settings.trust, customer.stage)

"""Decision-makers (people) at a customer: find, add, edit, forget, list."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, delete, select

from kehu import oplog
from kehu.errors import Ambiguous, Conflict, NotFound, Refused, UsageError
from kehu.models import Customer, Person, PersonIn, TouchpointPerson, TouchSignal, utcnow
from kehu.rules.names import is_id, name_key
from kehu.store import aftersale
from kehu.store.common import (
    apply_changes, candidates, deleted, edited, event, only_differences, requested_changes, validate,
)


def resolve_person(s: Session, customer: Customer, ref: str) -> Person:
    """A person at the customer: by id, full name, a unique prefix, else a unique part."""
    text = ref.strip()
    q = select(Person).where(Person.customer_id == customer.id)
    if is_id(text.lstrip("#")):
        found = s.exec(q.where(Person.id == int(text.lstrip("#")))).first()
        if found is not None:
            return found
    key = name_key(text)
    exact = s.exec(q.where(Person.name_key == key)).first()
    if exact is not None:
        return exact
    everyone = s.exec(q).all()
    matches = [p for p in everyone if key and p.name_key.startswith(key)]
    if not matches:  # a part of the name: 邵总 for 邵总监, 伟 for 张伟
        matches = [p for p in everyone if key and key in p.name_key]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound("person_not_found", customer=customer.name, ref=ref)
    raise Ambiguous(
        "person_ambiguous", customer=customer.name, ref=ref, candidates=candidates(matches)
    )


def add_person(s: Session, customer: Customer, data: dict) -> Person:
    valid = validate(PersonIn, data)
    if valid.name is None:
        raise UsageError("empty_name")
    key = name_key(valid.name)
    clash = s.exec(
        select(Person).where(Person.customer_id == customer.id, Person.name_key == key)
    ).first()
    if clash is not None:
        raise Conflict("person_exists", customer=customer.name, name=clash.name, id=clash.id)
    person = Person(
        **valid.model_dump(exclude_none=True),
        customer_id=customer.id,
        name_key=key,
        created_at=utcnow(),
    )
    s.add(person)
    s.flush()
    return person


def edit_person(s: Session, customer: Customer, person: Person, data: dict) -> list[str]:
    """Change a person's details; an edit that changes nothing raises Unchanged."""
    changes = only_differences(person, requested_changes(PersonIn, data))
    if "name" in changes:
        key = name_key(changes["name"])
        clash = s.exec(
            select(Person).where(Person.customer_id == customer.id, Person.name_key == key)
        ).first()
        if clash is not None and clash.id != person.id:
            raise Conflict("person_exists", customer=customer.name, name=clash.name, id=clash.id)
        person.name_key = key
    changed = apply_changes(person, changes)
    s.add(person)
    edited(s, customer, "person", person.id, changed)
    return changed


def delete_person(s: Session, customer: Customer, person: Person, yes: bool) -> int:
    """Delete a person recorded by mistake (unlike forget_person, an ordinary write: kehu
    undo can bring it back). The touchpoints that named them stay without them; when
    there are any, ``yes`` is needed. Returns how many touchpoints named them."""
    links = int(s.exec(select(func.count()).select_from(TouchpointPerson)
                       .where(TouchpointPerson.person_id == person.id)).one())
    if links and not yes:
        raise Refused("person_delete_needs_yes", customer=customer.name, name=person.name, links=links)
    s.exec(delete(TouchpointPerson).where(TouchpointPerson.person_id == person.id))
    s.execute(update(TouchSignal).where(TouchSignal.person_id == person.id).values(person_id=None))
    aftersale.forget_person_links(s, person.id)
    s.exec(delete(Person).where(Person.id == person.id))
    s.expunge(person)
    deleted(s, customer, "person", person.id, name=person.name)
    return links


def forget_person(s: Session, customer: Customer, person: Person) -> int:
    """Remove a person and every link to them; returns how many touchpoints named them.

    The touchpoints stay (they are the customer's history) but no longer name the
    person; the history records that someone was forgotten, not who.
    """
    links = s.exec(select(func.count()).select_from(TouchpointPerson)
                   .where(TouchpointPerson.person_id == person.id)).one()
    s.exec(delete(TouchpointPerson).where(TouchpointPerson.person_id == person.id))
    s.execute(update(TouchSignal).where(TouchSignal.person_id == person.id).values(person_id=None))
    s.flush()
    aftersale.forget_person_links(s, person.id)
    s.delete(person)
    event(s, customer, "person_forgotten")
    oplog.seal(s.connection())
    return int(links)


def people_of(s: Session, customer: Customer) -> list[Person]:
    return list(s.exec(select(Person).where(Person.customer_id == customer.id).order_by(Person.id)))


def people_with_customers(s: Session, customer: Customer | None = None) -> list[tuple[Person, Customer]]:
    """Every person with their customer (or only ``customer``'s), by customer then person:
    what `kehu person export --vcard` writes."""
    q = select(Person, Customer).join(Customer, Customer.id == Person.customer_id).order_by(Customer.id, Person.id)
    if customer is not None:
        q = q.where(Person.customer_id == customer.id)
    return [(p, c) for p, c in s.exec(q).all()]

"""The names customers go by: aliases (简称), likely duplicates, and merging two customers
(or two people at one customer) that turned out to be the same.

A merge moves every record of the customer that goes to the one that stays, in the
command's one transaction, so `kehu undo` takes all of it back at once (kehu.oplog
records every statement).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from kehu.errors import Conflict, NotFound, Refused, Unchanged, UsageError
from kehu.models import (
    Contract, Customer, CustomerAlias, Event, NameIn, Person, Promise, TaskDone, Touchpoint, TouchpointPerson,
    TouchSignal, utcnow,
)
from kehu.rules import company as C
from kehu.rules.names import name_key
from kehu.store import aftersale
from kehu.store.common import event, validate
from kehu.store.customers import aliases_by_customer, similar_customers

# -- aliases ---------------------------------------------------------------------------


def add_alias(s: Session, customer: Customer, alias: str) -> tuple[CustomerAlias, list[tuple[Customer, str]]]:
    """Give a customer another name. One name means one customer: an alias that is already
    a customer's name or another customer's alias is refused. Returns the alias and the
    other customers it makes one think of (a warning, not a refusal)."""
    text = validate(NameIn, {"name": alias}).name
    key = name_key(text)
    if key == customer.name_key:
        raise Unchanged("alias_is_the_name", name=customer.name)
    named = s.exec(select(Customer).where(Customer.name_key == key)).first()
    if named is not None:
        raise Conflict("alias_is_a_customer", alias=text, id=named.id, name=named.name)
    taken = s.exec(select(CustomerAlias).where(CustomerAlias.alias_key == key)).first()
    if taken is not None:
        if taken.customer_id == customer.id:
            raise Unchanged("alias_exists", alias=taken.alias, id=customer.id, name=customer.name)
        other = s.get(Customer, taken.customer_id)
        raise Conflict("alias_taken", alias=taken.alias, id=other.id, name=other.name)
    row = CustomerAlias(customer_id=customer.id, alias=text, alias_key=key, created_at=utcnow())
    s.add(row)
    s.flush()
    event(s, customer, "alias_added", detail={"alias": text})
    return row, similar_customers(s, text, except_id=customer.id)


def remove_alias(s: Session, alias: str) -> tuple[Customer, str]:
    key = name_key(alias)
    row = s.exec(select(CustomerAlias).where(CustomerAlias.alias_key == key)).first() if key else None
    if row is None:
        raise NotFound("alias_not_found", alias=alias)
    customer = s.get(Customer, row.customer_id)
    s.delete(row)
    event(s, customer, "alias_removed", detail={"alias": row.alias})
    return customer, row.alias


def list_aliases(s: Session, customer: Customer | None = None) -> list[tuple[Customer, CustomerAlias]]:
    q = select(Customer, CustomerAlias).join(CustomerAlias, col(CustomerAlias.customer_id) == Customer.id)
    if customer is not None:
        q = q.where(CustomerAlias.customer_id == customer.id)
    return list(s.exec(q.order_by(Customer.name_key, CustomerAlias.alias_key)).all())


# -- likely duplicates -----------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    a: Customer
    b: Customer
    reason: str
    strength: int
    names: tuple[str, str]  # the two names (or aliases) that matched


def duplicates(s: Session) -> list[Pair]:
    """Pairs of customers that are probably one (kehu.rules.company.likeness), strongest
    first. Names are filed under the pairs of characters of their core, so each name is
    compared only with those sharing its first pair, not with the whole book."""
    customers = {c.id: c for c in s.exec(select(Customer)).all()}
    names: dict[int, list[str]] = {cid: [c.name] for cid, c in customers.items()}
    for cid, extra in aliases_by_customer(s, list(customers)).items():
        names[cid].extend(extra)
    filed: dict[str, set[int]] = defaultdict(set)
    for cid, ns in names.items():
        for n in ns:
            for k in C.index_keys(n):
                filed[k].add(cid)
    best: dict[tuple[int, int], Pair] = {}
    for cid, ns in names.items():
        for n in ns:
            for k in C.probe_keys(n):
                for other in filed.get(k, ()):
                    if other == cid:
                        continue
                    pair = (min(cid, other), max(cid, other))
                    for m in names[other]:
                        like = C.likeness(n, m)
                        if like is not None and (pair not in best or like.strength > best[pair].strength):
                            a, b = customers[pair[0]], customers[pair[1]]
                            shown = (n, m) if cid == pair[0] else (m, n)
                            best[pair] = Pair(a, b, like.reason, like.strength, shown)
    return sorted(best.values(), key=lambda p: (-p.strength, p.a.id, p.b.id))


def similar_to_created(s: Session, created: list[tuple[int, str]], limit: int = 20) -> list[tuple[str, Customer, str]]:
    """For customers an import just created, (name, a customer it looks like, why): what
    `import --create-missing` warns about, with --dry-run too. A few are looked up one by
    one; many are compared through one index of the book's names, as `kehu dupes` does."""
    found: list[tuple[str, Customer, str]] = []
    if len(created) <= limit:
        for ident, name in created:
            found.extend((name, other, reason) for other, reason in similar_customers(s, name, except_id=ident))
        return found
    made = dict(created)
    filed: dict[str, set[int]] = defaultdict(set)
    customers = {c.id: c for c in s.exec(select(Customer)).all()}
    for cid, c in customers.items():
        for k in C.index_keys(c.name):
            filed[k].add(cid)
    for ident, name in created:
        seen: set[int] = set()
        for k in C.probe_keys(name):
            for other in filed.get(k, ()):
                if other == ident or other in seen:
                    continue
                seen.add(other)
                like = C.likeness(name, customers[other].name)
                if like is not None and not (other in made and other < ident):
                    found.append((name, customers[other], like.reason))
    return found


# -- merging ---------------------------------------------------------------------------

_FILLED = ("industry", "region", "kind", "level", "value_cents", "profit_now", "profit_future", "service_cost",
           "address", "phone", "website")
_PERSON_FILLED = ("title", "dept", "level", "role", "attitude", "kpi", "pain", "interest", "style", "competence",
                  "phone", "mobile", "wechat", "email", "private_mobile", "home_address")


@dataclass
class MergePlan:
    """What a merge moves (counts per kind of record) and what it decides."""

    keep: Customer
    gone: Customer
    moved: dict[str, int] = field(default_factory=dict)
    people_joined: list[tuple[str, int, int]] = field(default_factory=list)  # name, kept id, gone id
    fields: list[str] = field(default_factory=list)  # fields the kept customer takes from the other
    stage_note: bool = False  # the other was further along; the kept one keeps its stage


def plan_merge(s: Session, keep: Customer, gone: Customer) -> MergePlan:
    if keep.id == gone.id:
        raise UsageError("merge_same", id=keep.id, name=keep.name)
    if keep.owner_key and gone.owner_key and keep.owner_key != gone.owner_key:
        raise Refused("merge_owners", keep=keep.name, gone=gone.name, keep_owner=keep.owner, gone_owner=gone.owner)
    plan = MergePlan(keep, gone)

    def count(model, *where) -> int:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())

    kept_people = {p.name_key: p for p in s.exec(select(Person).where(Person.customer_id == keep.id)).all()}
    people = s.exec(select(Person).where(Person.customer_id == gone.id).order_by(Person.id)).all()
    plan.people_joined = [(p.name, kept_people[p.name_key].id, p.id) for p in people if p.name_key in kept_people]
    plan.moved = {
        "people": len(people) - len(plan.people_joined),
        "touches": count(Touchpoint, Touchpoint.customer_id == gone.id),
        "promises": count(Promise, Promise.customer_id == gone.id),
        "contracts": count(Contract, Contract.customer_id == gone.id),
        "events": count(Event, Event.customer_id == gone.id),
        "tasks": count(TaskDone, TaskDone.customer_id == gone.id),
        "aliases": count(CustomerAlias, CustomerAlias.customer_id == gone.id),
    }
    plan.fields = [f for f in _FILLED if getattr(keep, f) is None and getattr(gone, f) is not None]
    if gone.note and gone.note != keep.note:
        plan.fields.append("note")
    from kehu.rules.domain import STAGES

    plan.stage_note = STAGES.index(gone.stage) > STAGES.index(keep.stage)
    return plan


def merge_customers(s: Session, keep: Customer, gone: Customer) -> MergePlan:
    """Everything of ``gone`` becomes ``keep``'s: people (one person each where both had
    someone of the same name), touchpoints, promises, tasks done, contracts with their
    instalments and negotiation plans, history, aliases; ``gone``'s name becomes an alias
    so that old files and habits still find it; its empty fields are filled, notes
    joined; the owner's clocks run from the earlier claim and the later touch. Then
    ``gone`` is deleted. The kept customer keeps its stage (the gates are not passed by a
    merge); the plan says when the other was further along."""
    plan = plan_merge(s, keep, gone)
    for _name, kept_id, gone_id in plan.people_joined:
        _join_people(s, s.get(Person, kept_id), s.get(Person, gone_id))
    gid, kid = gone.id, keep.id
    for model in (Person, Touchpoint, Promise, Contract, Event, CustomerAlias):
        s.execute(update(model).where(model.customer_id == gid).values(customer_id=kid))
    aftersale.move_customer(s, gid, kid)
    # A task done is keyed by (customer, task): moved as a delete and an insert, since the
    # operation log cannot undo a change of a row's key.
    kept_tasks = {t.task: t for t in s.exec(select(TaskDone).where(TaskDone.customer_id == kid)).all()}
    theirs = [(t.task, t.done_on, t.note) for t in s.exec(select(TaskDone).where(TaskDone.customer_id == gid)).all()]
    s.execute(delete(TaskDone).where(TaskDone.customer_id == gid))
    for task, done_on, note in theirs:
        mine = kept_tasks.get(task)
        if mine is None:
            s.add(TaskDone(customer_id=kid, task=task, done_on=done_on, note=note))
        elif done_on < mine.done_on:
            mine.done_on = done_on
            s.add(mine)
    s.flush()
    for f in plan.fields:
        if f == "note":
            keep.note = gone.note if not keep.note else f"{keep.note}\n{gone.note}"
        else:
            setattr(keep, f, getattr(gone, f))
    keep.added_on = _earlier(keep.added_on, gone.added_on)
    if keep.owner_key is None and gone.owner_key is not None:
        keep.owner, keep.owner_key = gone.owner, gone.owner_key
        keep.claimed_on, keep.owner_touched_on = gone.claimed_on, gone.owner_touched_on
    elif keep.owner_key is not None and keep.owner_key == gone.owner_key:
        keep.claimed_on = _earlier(keep.claimed_on, gone.claimed_on)
        keep.owner_touched_on = _later(keep.owner_touched_on, gone.owner_touched_on)
    keep.updated_at = utcnow()
    s.add(keep)
    gone_name = gone.name
    s.execute(delete(Customer).where(Customer.id == gid))
    s.expunge(gone)
    s.flush()
    if gone.name_key != keep.name_key and s.exec(
        select(CustomerAlias).where(CustomerAlias.alias_key == gone.name_key)
    ).first() is None:
        s.add(CustomerAlias(customer_id=kid, alias=gone_name, alias_key=gone.name_key, created_at=utcnow()))
    event(s, keep, "merged", detail={"from": gid, "name": gone_name, "moved": plan.moved,
                                     "people": [p[0] for p in plan.people_joined]})
    return plan


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d is not None) if (a or b) else None


def _later(a: date | None, b: date | None) -> date | None:
    return max(d for d in (a, b) if d is not None) if (a or b) else None


@dataclass
class PersonMerge:
    keep: Person
    gone: Person
    touches: int
    fields: list[str]


def plan_person_merge(s: Session, keep: Person, gone: Person) -> PersonMerge:
    if keep.id == gone.id:
        raise UsageError("merge_same_person", id=keep.id, name=keep.name)
    touches = int(s.exec(select(func.count()).select_from(TouchpointPerson)
                         .where(TouchpointPerson.person_id == gone.id)).one())
    fields = [f for f in _PERSON_FILLED if getattr(keep, f) is None and getattr(gone, f) is not None]
    if gone.private and gone.private != keep.private:
        fields.append("private")
    return PersonMerge(keep, gone, touches, fields)


def merge_people(s: Session, customer: Customer, keep: Person, gone: Person) -> PersonMerge:
    """Two records of one person at the same customer become one: the touchpoints the
    other was met at now name the one kept, its empty fields are filled (the private
    notes joined), and the other is deleted."""
    plan = plan_person_merge(s, keep, gone)
    _join_people(s, keep, gone)
    event(s, customer, "person_merged", detail={"kept": keep.id, "name": keep.name, "from": gone.id,
                                                 "gone": gone.name})
    return plan


def _join_people(s: Session, keep: Person, gone: Person) -> None:
    # The links are keyed by (touchpoint, person): moved as deletes and inserts, since the
    # operation log cannot undo a change of a row's key; a touchpoint that met both
    # records keeps one link.
    met = set(s.exec(select(TouchpointPerson.touchpoint_id).where(TouchpointPerson.person_id == keep.id)).all())
    theirs = s.exec(select(TouchpointPerson.touchpoint_id).where(TouchpointPerson.person_id == gone.id)).all()
    s.execute(delete(TouchpointPerson).where(TouchpointPerson.person_id == gone.id))
    s.execute(update(TouchSignal).where(TouchSignal.person_id == gone.id).values(person_id=keep.id))
    s.add_all([TouchpointPerson(touchpoint_id=t, person_id=keep.id) for t in theirs if t not in met])
    for f in _PERSON_FILLED:
        if getattr(keep, f) is None and getattr(gone, f) is not None:
            setattr(keep, f, getattr(gone, f))
    if gone.private and gone.private != keep.private:
        keep.private = gone.private if not keep.private else f"{keep.private}\n{gone.private}"
    s.add(keep)
    s.flush()
    aftersale.move_person(s, gone.id, keep.id)
    s.execute(delete(Person).where(Person.id == gone.id))
    s.expunge(gone)

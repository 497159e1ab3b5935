"""Queries: read rows into the plain values the rules take, and write decisions back.

Every function takes the open Session of the command's one transaction. Queries are
SQLAlchemy expressions only (portable to PostgreSQL); nothing here commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, ValidationError
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from kehu.dates import amount_text, moment_on, today
from kehu.errors import Ambiguous, Conflict, NotFound, Refused, UsageError
from kehu.models import (
    Customer,
    CustomerIn,
    Event,
    Person,
    PersonIn,
    Promise,
    Setting,
    TaskDone,
    Touchpoint,
    TouchpointPerson,
    TouchIn,
    utcnow,
)
from kehu.rules import trust as T
from kehu.rules.names import is_id, name_key
from kehu.settings import Settings, parse_setting

# ------------------------------------------------------------------ validation


def _blank(v: object) -> bool:
    return isinstance(v, str) and not v.strip()


def validate(model: type[BaseModel], data: dict) -> BaseModel:
    """Validate user input with a non-table model; the first problem as a UsageError.
    Missing (None) and blank values are left out."""
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None and not _blank(v)})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"]) or "value"
        if err["type"] == "string_too_short":
            raise UsageError("empty_name") from None
        if err["type"] == "string_too_long":
            limit = err.get("ctx", {}).get("max_length")
            length = len(data.get(field) or "")
            raise UsageError("too_long", field=field, length=length, limit=limit) from None
        if field == "competence":
            raise UsageError("bad_rating", value=data.get(field)) from None
        raise UsageError("bad_value", field=field, problem=err["msg"]) from None


# ------------------------------------------------------------------ customers


def _candidates(rows: Sequence[Customer | Person], total: int | None = None) -> str:
    total = len(rows) if total is None else total
    shown = ", ".join(f"#{r.id} {r.name}" for r in rows[:8])
    return shown + (f" (+{total - 8})" if total > 8 else "")


def resolve_customer(s: Session, ref: str) -> Customer:
    """An id (42 or #42), else a name after normalisation, else a unique name prefix."""
    text = ref.strip()
    if text.startswith("#") and is_id(text[1:]):
        found = s.get(Customer, int(text[1:]))
        if found is None:
            raise NotFound("customer_not_found", ref=ref)
        return found
    key = name_key(text)
    if not key:
        raise NotFound("customer_not_found", ref=ref)
    exact = s.exec(select(Customer).where(Customer.name_key == key)).first()
    by_id = s.get(Customer, int(text)) if is_id(text) else None
    if by_id is not None and exact is not None and by_id.id != exact.id:
        # A customer named "360" and customer #360: say so rather than guess.
        raise Ambiguous("customer_id_or_name", ref=ref, by_id=by_id.name, other=exact.id)
    if by_id is not None:
        return by_id
    if exact is not None:
        return exact
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = s.exec(
        select(Customer)
        .where(col(Customer.name_key).like(pattern, escape="\\"))
        .order_by(Customer.name_key)
        .limit(21)
    ).all()
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound("customer_not_found", ref=ref)
    total = s.exec(
        select(func.count()).select_from(Customer).where(col(Customer.name_key).like(pattern, escape="\\"))
    ).one()
    raise Ambiguous("customer_ambiguous", ref=ref, candidates=_candidates(matches, total))


_ACTING = object()  # _event's default actor: the session's acting salesperson


def _event(
    s: Session, customer: Customer, kind: str, on: date | None = None, actor: object = _ACTING,
    **fields: object,
) -> Event:
    """A dated event of the customer's history, by the acting salesperson unless ``actor``
    says otherwise (None: kehu itself, e.g. a customer returning to the public pool)."""
    detail = fields.pop("detail", None)
    ev = Event(
        customer_id=customer.id,
        at=moment_on(on),
        kind=kind,
        detail=json.dumps(detail, ensure_ascii=False) if detail is not None else None,
        actor=s.info.get("actor") if actor is _ACTING else actor,
        **fields,
    )
    s.add(ev)
    return ev


def _check_unique_customer(s: Session, key: str, except_id: int | None = None) -> None:
    clash = s.exec(select(Customer).where(Customer.name_key == key)).first()
    if clash is not None and clash.id != except_id:
        raise Conflict("customer_exists", id=clash.id, name=clash.name)


def add_customer(s: Session, data: dict, on: date | None = None) -> Customer:
    valid = validate(CustomerIn, data)
    if valid.name is None:
        raise UsageError("empty_name")
    key = name_key(valid.name)
    _check_unique_customer(s, key)
    now = utcnow()
    customer = Customer(
        **valid.model_dump(exclude_none=True),
        name_key=key,
        created_at=now,
        updated_at=now,
        added_on=on or today(),
    )
    _set_owner(customer, customer.owner, today())
    s.add(customer)
    s.flush()
    _event(s, customer, "created", on=on, to_stage=customer.stage)
    return customer


def _changes(model: type[BaseModel], data: dict) -> dict:
    """The validated fields an edit sets; a field given as "" is cleared (a private note
    can always be erased); an edit that changes nothing is a usage error."""
    clears = {k for k, v in data.items() if _blank(v)}
    if "name" in clears:
        raise UsageError("empty_name")
    changes = validate(model, data).model_dump(exclude_none=True)
    changes.update({k: None for k in clears})
    if not changes:
        raise UsageError("nothing_to_edit")
    return changes


def _apply(row: SQLModel, changes: dict) -> list[str]:
    changed = [k for k, v in changes.items() if getattr(row, k) != v]
    for k, v in changes.items():
        setattr(row, k, v)
    return changed


def edit_customer(s: Session, customer: Customer, data: dict, settings: Settings) -> list[str]:
    """Change a customer's fields. A new owner for a customer someone else owns is a
    handover: the same rule and history event as `kehu assign` (docs/team.md)."""
    changes = _changes(CustomerIn, data)
    if "name" in changes:
        key = name_key(changes["name"])
        _check_unique_customer(s, key, except_id=customer.id)
        customer.name_key = key
    handover = new_owner = None
    if "owner" in changes:
        new = changes["owner"]
        new_key = name_key(new) if new else None
        if customer.owner_key is not None and new_key is not None and new_key != customer.owner_key:
            handover = changes.pop("owner")
        elif new_key != customer.owner_key:
            new_owner = (new,)  # taken off its owner, or given one from the pool
    changed = _apply(customer, changes)
    if new_owner is not None:
        _set_owner(customer, new_owner[0], today())
    customer.updated_at = utcnow()
    s.add(customer)
    if changed:
        shown = ["value" if f == "value_cents" else f for f in changed]
        _event(s, customer, "edited", detail={"fields": shown})
    if handover is not None:
        assign(s, customer, handover, None, settings, today())
        changed.append("owner")
    return changed


@dataclass(frozen=True)
class CustomerRow:
    customer: Customer
    last_touch: date | None
    people: int
    open_promises: int


def list_customers(s: Session, settings: Settings, stage: str | None = None,
                   owner: str | None = None) -> list[CustomerRow]:
    last = (
        select(Touchpoint.customer_id, func.max(Touchpoint.day).label("last"))
        .group_by(Touchpoint.customer_id)
        .subquery()
    )
    people = (
        select(Person.customer_id, func.count().label("n")).group_by(Person.customer_id).subquery()
    )
    open_p = (
        select(Promise.customer_id, func.count().label("n"))
        .where(col(Promise.kept_on).is_(None), col(Promise.broken_on).is_(None))
        .group_by(Promise.customer_id)
        .subquery()
    )
    q = (
        select(Customer, last.c.last, people.c.n, open_p.c.n)
        .outerjoin(last, last.c.customer_id == Customer.id)
        .outerjoin(people, people.c.customer_id == Customer.id)
        .outerjoin(open_p, open_p.c.customer_id == Customer.id)
        .order_by(Customer.id)
    )
    if stage:
        q = q.where(Customer.stage == stage)
    if owner:
        q = q.where(owned_by(s, owner, settings))
    return [CustomerRow(c, lt, n or 0, o or 0) for c, lt, n, o in s.exec(q).all()]


# ------------------------------------------------------------------ people


def resolve_person(s: Session, customer: Customer, ref: str) -> Person:
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
    matches = [p for p in s.exec(q).all() if key and p.name_key.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound("person_not_found", customer=customer.name, ref=ref)
    raise Ambiguous(
        "person_ambiguous", customer=customer.name, ref=ref, candidates=_candidates(matches)
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
    changes = _changes(PersonIn, data)
    if "name" in changes:
        key = name_key(changes["name"])
        clash = s.exec(
            select(Person).where(Person.customer_id == customer.id, Person.name_key == key)
        ).first()
        if clash is not None and clash.id != person.id:
            raise Conflict("person_exists", customer=customer.name, name=clash.name, id=clash.id)
        person.name_key = key
    changed = _apply(person, changes)
    s.add(person)
    return changed


def forget_person(s: Session, customer: Customer, person: Person) -> int:
    """Remove a person and every link to them; returns how many touchpoints named them.

    The touchpoints stay (they are the customer's history) but no longer name the
    person; the history records that someone was forgotten, not who.
    """
    from sqlmodel import delete

    links = s.exec(select(func.count()).select_from(TouchpointPerson)
                   .where(TouchpointPerson.person_id == person.id)).one()
    s.exec(delete(TouchpointPerson).where(TouchpointPerson.person_id == person.id))
    s.delete(person)
    _event(s, customer, "person_forgotten")
    return int(links)


def people_of(s: Session, customer: Customer) -> list[Person]:
    return list(s.exec(select(Person).where(Person.customer_id == customer.id).order_by(Person.id)))


# ------------------------------------------------------------------ touchpoints


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
    _owner_touched(s, customer, valid.day, settings)
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


# ------------------------------------------------------------------ promises


def promise_state(p: Promise) -> str:
    if p.kept_on is not None:
        return "kept"
    if p.broken_on is not None:
        return "broken"
    return "open"


def list_promises(s: Session, customer: Customer | None = None) -> list[tuple[Promise, str]]:
    q = select(Promise, Customer.name).join(Customer, col(Customer.id) == Promise.customer_id)
    if customer is not None:
        q = q.where(Promise.customer_id == customer.id)
    q = q.order_by(Promise.due, Promise.id)
    return [(p, name) for p, name in s.exec(q).all()]


def get_promise(s: Session, ident: str) -> Promise:
    digits = ident.strip().lstrip("#")
    if not is_id(digits):
        raise UsageError("bad_id", value=ident)
    promise = s.get(Promise, int(digits))
    if promise is None:
        raise NotFound("promise_not_found", id=digits)
    return promise


def mark_promise(s: Session, promise: Promise, state: str, day: date) -> None:
    current = promise_state(promise)
    if current != "open":
        raise Refused("promise_closed", id=promise.id, state=current)
    if day < promise.made_on:
        raise UsageError("kept_before_made", id=promise.id, made=promise.made_on, day=day)
    if state == "kept":
        promise.kept_on = day
    else:
        promise.broken_on = day
    s.add(promise)


# ------------------------------------------------------------------ tasks and stages


def tasks_done(s: Session, customer: Customer) -> dict[str, TaskDone]:
    rows = s.exec(select(TaskDone).where(TaskDone.customer_id == customer.id)).all()
    return {r.task: r for r in rows}


def mark_task(s: Session, customer: Customer, task: str, day: date, note: str | None) -> TaskDone:
    existing = s.get(TaskDone, (customer.id, task))
    if existing is not None:
        raise Refused("task_already_done", task=task, date=existing.done_on.isoformat())
    row = TaskDone(customer_id=customer.id, task=task, done_on=day, note=note)
    s.add(row)
    _event(s, customer, "task_done", on=day, detail={"task": task, "on": day.isoformat()}, reason=note)
    return row


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
    from kehu.dates import to_local

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
    ev = _event(
        s, customer, kind, on=on, from_stage=customer.stage, to_stage=to_stage, reason=reason,
        detail=detail,
    )
    customer.stage = to_stage
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


def terminate(s: Session, customer: Customer, reason: str, on: date | None = None) -> Event:
    check_in_order(s, customer, on)
    ev = _event(
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
    ev = _event(s, customer, "reopened", on=on, from_stage=customer.stage, to_stage=customer.stage)
    customer.terminated_at = None
    customer.terminated_reason = None
    customer.updated_at = ev.at
    s.add(customer)
    return ev


def history(s: Session, customer: Customer) -> list[Event]:
    return list(
        s.exec(
            select(Event)
            .where(Event.customer_id == customer.id)
            .order_by(Event.at, Event.id)
        )
    )


def has_signed_contract(s: Session, customer: Customer) -> bool:
    """A signed (or completed) contract: the only mark of a mature relationship."""
    from kehu.models import Contract
    from kehu.rules.contracts import WON

    found = s.exec(
        select(Contract.id).where(Contract.customer_id == customer.id, col(Contract.status).in_(WON)).limit(1)
    ).first()
    return found is not None


# ------------------------------------------------------------------ trust inputs


def trust_inputs(
    s: Session, customer: Customer
) -> tuple[list[T.PersonIn], list[T.TouchIn], list[T.PromiseIn]]:
    people = [
        T.PersonIn(p.id, p.name, p.level, p.role, p.competence) for p in people_of(s, customer)
    ]
    links: dict[int, set[int]] = {}
    for tid, pid in s.exec(
        select(TouchpointPerson.touchpoint_id, TouchpointPerson.person_id)
        .join(Touchpoint, col(Touchpoint.id) == TouchpointPerson.touchpoint_id)
        .where(Touchpoint.customer_id == customer.id)
    ).all():
        links.setdefault(tid, set()).add(pid)
    touches = [
        T.TouchIn(day, kind, frozenset(links.get(tid, ())))
        for tid, day, kind in s.exec(
            select(Touchpoint.id, Touchpoint.day, Touchpoint.kind).where(
                Touchpoint.customer_id == customer.id
            )
        ).all()
    ]
    promises = [
        T.PromiseIn(
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
    return T.customer_trust(people, touches, promises, today, settings.trust)


# ------------------------------------------------------------------ settings


def settings(s: Session) -> Settings:
    """The book's settings, parsed once: read them once per command and pass them on."""
    return Settings.from_stored(stored_settings(s))


def stored_settings(s: Session) -> dict[str, str]:
    return {row.key: row.value for row in s.exec(select(Setting))}


def set_setting(s: Session, key: str, value: str) -> object:
    parsed = parse_setting(key, value)
    row = s.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value.strip())
    row.value = value.strip()
    s.add(row)
    return parsed


# ------------------------------------------------------------------ tiers


def _rows(s: Session, q) -> Sequence:
    """A column query's rows through Core rather than the ORM: the same values (the
    columns' types still convert them) without the ORM's per-row work, for the queries
    that return the whole book."""
    return s.connection().execute(q).all()


def signed_value_subquery(day: date, currency: str):
    """Per customer with any signed contract in ``currency``: the amounts signed in the
    12 months ending on ``day``."""
    from sqlalchemy import and_, case

    from kehu.models import Contract
    from kehu.rules.contracts import WON, twelve_months_before

    recent = and_(Contract.signed_on >= twelve_months_before(day), Contract.signed_on <= day)
    return (
        select(
            Contract.customer_id.label("cid"),
            func.sum(case((recent, Contract.amount_cents), else_=0)).label("recent"),
        )
        .where(col(Contract.status).in_(WON), Contract.currency == currency)
        .group_by(Contract.customer_id)
        .subquery("signed")
    )


def _value(day: date, currency: str):
    """The signed-contracts subquery to outer-join on Customer.id, and each customer's value."""
    from sqlalchemy import case

    signed = signed_value_subquery(day, currency)
    return signed, case((signed.c.cid.is_not(None), signed.c.recent), else_=func.coalesce(Customer.value_cents, 0))


def tier_subquery(cuts: tuple[float, float, float], day: date | None = None, currency: str = "CNY",
                  cte: bool = False):
    """Every active customer with its value, how many rank strictly above it, and its tier,
    computed in one SQL pass with a window function (portable to PostgreSQL).

    Value (DOMAIN.md §2): the contracts signed over the last 12 months once a customer
    has any signed contract; until then, the annual value entered by hand."""
    from sqlalchemy import case

    signed, value = _value(day or today(), currency)
    ranked = (
        select(
            col(Customer.id).label("id"),
            value.label("value"),
            (func.rank().over(order_by=value.desc()) - 1).label("above"),
            func.count().over().label("total"),
        )
        .outerjoin(signed, signed.c.cid == Customer.id)
        .where(col(Customer.terminated_at).is_(None))
        .subquery("ranked")
    )
    def below(cut: float):
        # above/total < cut% in whole numbers: a decimal cut such as 16.1 must not be
        # blurred by floating point (16.1 × 1000 is 16100.000000000002).
        num, den = Decimal(repr(cut)).as_integer_ratio()
        return ranked.c.above * (100 * den) < ranked.c.total * num

    tier = case(
        (ranked.c.value <= 0, "lead"),
        (below(cuts[0]), "platinum"),
        (below(cuts[1]), "gold"),
        (below(cuts[2]), "iron"),
        else_="lead",
    )
    tiers = select(ranked, tier.label("tier"))
    return tiers.cte("tiers") if cte else tiers.subquery("tiers")


def tiers_of(settings: Settings, day: date | None = None, cte: bool = False):
    """The tier subquery (or CTE) with the book's settings (cuts, currency) as of ``day``."""
    return tier_subquery(settings.cuts, day, settings.currency, cte)


def tier_counts(s: Session, settings: Settings, day: date | None = None) -> tuple[list[tuple[str, int, int]], int]:
    t = tiers_of(settings, day)
    rows = s.exec(select(t.c.tier, func.count(), func.sum(t.c.value)).group_by(t.c.tier)).all()
    total = sum(r[1] for r in rows)
    return [(tier, n, int(v or 0)) for tier, n, v in rows], total


@dataclass(frozen=True)
class TierRow:
    id: int
    name: str
    value: int
    above: int
    total: int
    tier: str
    level: str | None
    profit_now: str | None
    profit_future: str | None
    owner: str | None
    effort: float


# Up to this many customers valued by hand above one, tier_of_customer looks at each
# (a few microseconds apiece); beyond, it counts the exceptions instead (about 20 ms on
# 100,000 customers).
FEW_VALUED_HIGHER = 5000


def tier_of_customer(s: Session, customer: Customer, settings: Settings, today_: date) -> TierRow | None:
    """One active customer's tier row, equal to its row of ``tier_rows`` but without
    ranking the whole book: its value, then how many active customers are valued strictly
    higher (the window's rank) and how many are active, counted with indexes — customers
    with signed contracts from the contracts signed in the last 12 months, the others from
    the index on their entered value — and the tier from the cuts (``rules.tiers.tier_of``,
    the same arithmetic as the window's CASE). None for a terminated customer."""
    if customer.terminated_at is not None:
        return None
    from sqlalchemy import and_, case

    from kehu.models import Contract
    from kehu.rules.contracts import WON, twelve_months_before
    from kehu.rules.tiers import tier_of

    won = and_(col(Contract.status).in_(WON), Contract.currency == settings.currency)
    recent = and_(Contract.signed_on >= twelve_months_before(today_), Contract.signed_on <= today_)
    recent_sum = func.sum(case((recent, Contract.amount_cents), else_=0))
    active = col(Customer.terminated_at).is_(None)
    ended = col(Customer.terminated_at).is_not(None)

    def count(*where):
        return select(func.count()).select_from(Customer).where(*where).scalar_subquery()

    # What does not depend on the value, in one statement. Active = all (a count SQLite
    # keeps cheap) less the terminated, a few. (No index on terminated_at: without
    # statistics SQLite would also pick it for "terminated_at IS NULL", nearly everyone.)
    own = select(func.count(), recent_sum).where(won, Contract.customer_id == customer.id).subquery("own")
    signed, signed_value, everyone, ended_n, effort = s.exec(select(
        own.c[0], own.c[1], select(func.count()).select_from(Customer).scalar_subquery(), count(ended),
        select(_effort(settings, today_, customer.id).c.effort).scalar_subquery(),  # NULL: no touch
    )).one()
    # As in signed_value_subquery: any signed contract makes the last 12 months the value.
    value = int(signed_value or 0) if signed else int(customer.value_cents or 0)

    higher_signed = select(Contract.customer_id.label("cid")).where(won).group_by(Contract.customer_id)
    if value >= 0:  # a sum above a value >= 0 needs a contract signed in the 12 months
        higher_signed = higher_signed.where(recent)
    higher_signed = higher_signed.having(recent_sum > value).subquery("higher_signed")
    # Valued by hand higher than this customer: active, without a signed contract, and an
    # entered value above (the index on value_cents; coalesce() would not use it, and is
    # only needed below zero).
    entered = col(Customer.value_cents) > value if value >= 0 else func.coalesce(Customer.value_cents, 0) > value
    higher = int(s.exec(select(count(entered))).one())
    if higher <= FEW_VALUED_HIGHER:  # few: look at each
        no_contract = ~select(Contract.id).where(Contract.customer_id == Customer.id, won).exists()
        above_entered = count(active, entered, no_contract)
    else:  # most of the book: take away the terminated and the contract-valued, both fewer
        by_contract = count(active, entered, col(Customer.id).in_(select(Contract.customer_id).where(won)))
        above_entered = higher - by_contract - count(ended, func.coalesce(Customer.value_cents, 0) > value)
    above_signed, above_entered_n = s.exec(select(
        # grouped first, then only the groups above looked up (joining first costs 3×)
        select(func.count()).select_from(higher_signed)
        .join(Customer, col(Customer.id) == higher_signed.c.cid).where(active).scalar_subquery(),
        above_entered,
    )).one()
    above = int(above_signed) + int(above_entered_n)
    total = int(everyone) - int(ended_n)
    return TierRow(
        customer.id, customer.name, value, above, total, tier_of(above, total, value, settings.cuts),
        customer.level, customer.profit_now, customer.profit_future, customer.owner, float(effort or 0),
    )


def _may_warn(tier, level, effort, profit_now, profit_future, cadence: dict[str, int]):
    """A condition true for every row ``rules.tiers.warnings`` can flag (and a few more:
    the rules still decide), built from the rules' own bounds, so that only those rows
    leave the database. Effort bounds are widened by a relative 1e-9: a float compared
    in SQL must not drop a row the rules would flag."""
    from sqlalchemy import and_, or_

    from kehu.rules import tiers as R

    per_tier = []
    for name in R.TIERS:
        over, under = R.effort_bounds(name, cadence)
        why = [level.is_not(None) & level.not_in(R.LEVELS_FOR_TIER[name]), effort > over * (1 - 1e-9)]
        if under is not None:
            why.append(effort < under * (1 + 1e-9))
        per_tier.append(and_(tier == name, or_(*why)))
    worst_cell = and_(level.in_(R.WORST_CELL_LEVELS), profit_now.is_not(None), profit_future.is_not(None))
    return or_(*per_tier, worst_cell)


def _effort(settings: Settings, today_: date, customer_id: int | None = None):
    """Per customer (cid): the weighted effort of the 365 days ending on ``today_``."""
    from sqlalchemy import case

    since = date.fromordinal(today_.toordinal() - 365)
    effort = (
        select(
            Touchpoint.customer_id.label("cid"),
            func.sum(case(settings.kind_weights, value=Touchpoint.kind, else_=1.0)).label("effort"),
        )
        .where(Touchpoint.day >= since, Touchpoint.day <= today_)
        .group_by(Touchpoint.customer_id)
    )
    if customer_id is not None:
        effort = effort.where(Touchpoint.customer_id == customer_id)
    return effort.subquery("effort")


def tier_report(
    s: Session, settings: Settings, today_: date, owner: str | None = None,
) -> tuple[list[tuple[str, int, int]], int, list[TierRow]]:
    """`kehu tier` from one ranking of the book: the pyramid as tier_counts gives it
    ((tier, customers, value) per tier, and the number of active customers), and the rows
    of tier_rows(may_warn=True, owner=owner).

    One statement: the ranking is a common table expression that both the rows and the
    pyramid read (materialized once by SQLite and PostgreSQL alike, as a CTE read twice),
    rather than a ranking for each.
    """
    from sqlalchemy import and_, null, union_all

    t = tiers_of(settings, today_, cte=True)
    effort = _effort(settings, today_)
    wanted = _may_warn(t.c.tier, col(Customer.level), func.coalesce(effort.c.effort, 0.0),
                       col(Customer.profit_now), col(Customer.profit_future), settings.cadence)
    if owner:
        wanted = and_(owned_by(s, owner, settings, today_), wanted)
    rows = (
        select(
            t.c.id, Customer.name, t.c.value, t.c.above, t.c.total, t.c.tier, Customer.level,
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort,
            null().label("n"), null().label("tier_value"),
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .where(wanted)
    )
    pyramid = select(*[null()] * 5, t.c.tier, *[null()] * 5, func.count(), func.sum(t.c.value)).group_by(t.c.tier)
    both = union_all(rows, pyramid).subquery("report")
    counts, total, out = [], 0, []
    for i, n, v, a, tot, tier, lvl, pn, pf, o, e, count, value in _rows(
        s, select(both).order_by(both.c.above, both.c.id)
    ):
        if i is None:  # a tier of the pyramid
            counts.append((tier, int(count), int(value or 0)))
            total += int(count)
        else:
            out.append(TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0)))
    return counts, total, out


def tier_rows(
    s: Session, settings: Settings, today_: date, customer_id: int | None = None,
    owner: str | None = None, may_warn: bool = False,
) -> list[TierRow]:
    """Tier, value, level, profitability and last-12-months weighted effort per customer;
    with ``may_warn``, only the customers the tier warnings can concern (see _may_warn)."""
    t = tiers_of(settings, today_)
    effort = _effort(settings, today_, customer_id)
    q = (
        select(
            t.c.id, Customer.name, t.c.value, t.c.above, t.c.total, t.c.tier, Customer.level,
            Customer.profit_now, Customer.profit_future, Customer.owner, effort.c.effort,
        )
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(effort, effort.c.cid == t.c.id)
        .order_by(t.c.above, t.c.id)
    )
    if customer_id is not None:
        q = q.where(t.c.id == customer_id)
    if owner:
        q = q.where(owned_by(s, owner, settings, today_))
    if may_warn:
        q = q.where(_may_warn(t.c.tier, col(Customer.level), func.coalesce(effort.c.effort, 0.0),
                              col(Customer.profit_now), col(Customer.profit_future), settings.cadence))
    return [
        TierRow(i, n, int(v), int(a), int(tot), tier, lvl, pn, pf, o, float(e or 0))
        for i, n, v, a, tot, tier, lvl, pn, pf, o, e in s.exec(q).all()
    ]


# ------------------------------------------------------------------ follow-ups


def tier_map(s: Session, settings: Settings) -> dict[int, str]:
    """Every active customer's tier, from one window-function pass (then looked up, so the
    ranking is not recomputed inside each follow-up query)."""
    t = tiers_of(settings)
    return dict(_rows(s, select(t.c.id, t.c.tier)))


def _active(s: Session, owner: str | None, settings: Settings):
    base = select(Customer.id, Customer.name, Customer.stage, Customer.owner).where(
        col(Customer.terminated_at).is_(None)
    )
    if owner:
        base = base.where(owned_by(s, owner, settings))
    return base.subquery("active")


def due_items(s: Session, settings: Settings, horizon: date, owner: str | None = None,
              tiers: dict[int, str] | None = None) -> list:
    """Every follow-up due on or before ``horizon``, as rules Items; ``tiers`` is the
    book's tier_map, when the caller already has it.

    Aggregated in SQL with indexes (next_due, promise.due, touchpoint(customer_id, day));
    only due rows come back to Python.
    """
    from kehu.rules.followups import Item

    tiers = tier_map(s, settings) if tiers is None else tiers
    a = _active(s, owner, settings)
    items: list[Item] = []
    sources = (
        ("next_step", Touchpoint, Touchpoint.next_due, Touchpoint.next_step,
         (col(Touchpoint.next_due).is_not(None), col(Touchpoint.next_done_on).is_(None))),
        ("promise", Promise, Promise.due, Promise.text,
         (col(Promise.kept_on).is_(None), col(Promise.broken_on).is_(None))),
    )
    for kind, table, due_col, text_col, still_open in sources:
        rows = _rows(
            s,
            select(table.id, due_col, text_col, a.c.id, a.c.name, a.c.stage, a.c.owner)
            .join(a, a.c.id == table.customer_id)
            .where(*still_open, col(due_col) <= horizon),
        )
        for ref, due, text_, cid, name, stage, own in rows:
            items.append(Item(kind, ref, cid, name, tiers[cid], stage, due, text_, own))
    items.extend(cadence_items(s, settings, a, horizon, tiers))
    items.extend(receivable_items(s, settings, owner, horizon, tiers))
    items.extend(aftercare_items(s, a, horizon, tiers))
    return items


def cadence_items(
    s: Session, settings: Settings, active, horizon: date, tiers: dict[int, str]
) -> list:
    """Customers whose last touch (or, never touched, the day they were added) is older
    than their tier's cadence as of ``horizon``."""
    from sqlalchemy import case

    from kehu.rules.followups import Item

    cadence = settings.cadence
    last = (
        select(Touchpoint.customer_id.label("cid"), func.max(Touchpoint.day).label("last"))
        .group_by(Touchpoint.customer_id)
        .subquery("last")
    )
    since = func.coalesce(last.c.last, Customer.added_on)
    # Each tier against its own cadence, in SQL, so only late customers come back: the
    # latest day that is late for the customer's tier, one CASE (a third cheaper here than
    # an OR per tier). A customer with neither a touch nor a day added (NULL) is never late.
    t = tiers_of(settings)
    late_by = case({tier: date.fromordinal(horizon.toordinal() - days) for tier, days in cadence.items()},
                   value=t.c.tier)
    rows = _rows(
        s,
        select(active.c.id, active.c.name, active.c.stage, active.c.owner, since, last.c.last)
        .join(Customer, col(Customer.id) == active.c.id)
        .join(t, t.c.id == active.c.id)
        .outerjoin(last, last.c.cid == active.c.id)
        .where(since <= late_by),
    )
    out = []
    for cid, name, stage, own, since_day, last_day in rows:
        tier = tiers[cid]
        due = date.fromordinal(since_day.toordinal() + cadence[tier])
        out.append(
            Item("cadence", cid, cid, name, tier, stage, due, "", own, since=since_day,
                 extra={"cadence": cadence[tier], "touched": last_day is not None})
        )
    return out


def _still_open(ident: str, customer_id: int, done_on: date | None, customer: Customer | None) -> None:
    """A follow-up can be closed once, and only for its own customer (when one is named)."""
    if customer is not None and customer_id != customer.id:
        raise Refused("followup_other_customer", id=ident, customer=customer.name)
    if done_on is not None:
        raise Refused("followup_closed", id=ident, date=done_on)


def close_next_step(s: Session, touch_id: int, day: date, customer: Customer | None = None) -> Touchpoint:
    touch = s.get(Touchpoint, touch_id)
    if touch is None or touch.next_step is None:
        raise NotFound("followup_not_found", id=f"N{touch_id}")
    _still_open(f"N{touch_id}", touch.customer_id, touch.next_done_on, customer)
    if day < touch.day:
        raise UsageError("due_before_date", option="--date", due=day, day=touch.day)
    touch.next_done_on = day
    s.add(touch)
    return touch


def remind_seen(s: Session, scope: str) -> set[str] | None:
    """What the previous `kehu remind --new` in this scope listed (None: never ran)."""
    from kehu.models import RemindSeen

    rows = s.exec(select(RemindSeen.item).where(RemindSeen.scope == scope)).all()
    ran = s.get(RemindSeen, (scope, "")) is not None
    return {r for r in rows if r} if ran else None


def record_remind_seen(s: Session, scope: str, keys: Sequence[str]) -> None:
    """Replace the scope's memory with what is due now ('' marks that it has run)."""
    from sqlalchemy import delete, insert

    from kehu.models import RemindSeen

    s.exec(delete(RemindSeen).where(RemindSeen.scope == scope))
    rows = [{"scope": scope, "item": k} for k in {"", *keys}]
    s.exec(insert(RemindSeen), params=rows)


def agenda_candidates(s: Session, settings: Settings, owner: str | None, limit: int,
                      tiers: dict[int, str] | None = None) -> list[tuple]:
    """The most valuable active customers (for `kehu next`): id, name, tier, stage, owner.

    By value, then id: the order of the tiers' ranking, without the window function (the
    top few of an ORDER BY ... LIMIT need no ranking of the book); their tiers come from
    ``tiers`` (the book's tier_map) when the caller has it."""
    tiers = tier_map(s, settings) if tiers is None else tiers
    a = _active(s, owner, settings)
    signed, value = _value(today(), settings.currency)
    rows = s.exec(
        select(a.c.id, a.c.name, a.c.stage, a.c.owner)
        .join(Customer, col(Customer.id) == a.c.id)
        .outerjoin(signed, signed.c.cid == Customer.id)
        .order_by(value.desc(), a.c.id)
        .limit(limit)
    ).all()
    return [(cid, name, tiers[cid], stage, own) for cid, name, stage, own in rows]


def stage_events(s: Session, settings: Settings, owner: str | None = None) -> list[tuple[int, datetime, str | None]]:
    """Every event that put a customer into a stage, in order, for the funnel (of the
    owner's customers, when one is given)."""
    q = (
        select(Event.customer_id, Event.at, Event.to_stage)
        .where(col(Event.kind).in_(("created", "advanced", "forced")))
        .order_by(Event.customer_id, Event.at, Event.id)
    )
    if owner:
        q = q.where(col(Event.customer_id).in_(select(Customer.id).where(owned_by(s, owner, settings))))
    return list(_rows(s, q))


def stage_counts(s: Session, settings: Settings, owner: str | None = None) -> dict[str, int]:
    q = select(Customer.stage, func.count()).where(col(Customer.terminated_at).is_(None))
    if owner:
        q = q.where(owned_by(s, owner, settings))
    return dict(s.exec(q.group_by(Customer.stage)).all())


def terminated_ids(s: Session) -> set[int]:
    return set(s.exec(select(Customer.id).where(col(Customer.terminated_at).is_not(None))).all())


def names_of(s: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(s.exec(select(Customer.id, Customer.name).where(col(Customer.id).in_(list(ids)))).all())


# ------------------------------------------------------------------ contracts


def _numbered(s: Session, model, ref: str | int, missing: str):
    """A row by its number (12 or #12), or NotFound with the message key ``missing``."""
    text = str(ref).strip().lstrip("#")
    found = s.get(model, int(text)) if is_id(text) else None
    if found is None:
        raise NotFound(missing, ref=ref)
    return found


def get_contract(s: Session, ref: str | int):
    from kehu.models import Contract

    return _numbered(s, Contract, ref, "contract_not_found")


def customer_of(s: Session, contract) -> Customer:
    return s.get(Customer, contract.customer_id)


def _contract_event(s: Session, contract, kind: str, on: date | None = None, reason: str | None = None,
                    **detail: object) -> Event:
    customer = customer_of(s, contract)
    payload = {"contract": contract.id, "title": contract.title, **detail}
    for key in ("amount",):
        if type(payload.get(key)) is int:  # JSON carries money as exact decimal strings
            payload[key] = amount_text(payload[key])
    for part in payload.get("instalments", ()):
        if type(part.get("amount")) is int:
            part["amount"] = amount_text(part["amount"])
    return _event(s, customer, kind, on=on, reason=reason, detail=payload)



def add_contract(s: Session, customer: Customer, data: dict, on: date | None = None):
    from kehu.models import Contract, ContractIn

    valid = validate(ContractIn, data)
    now = utcnow()
    row = Contract(**valid.model_dump(exclude_none=True), customer_id=customer.id, created_at=now, updated_at=now)
    s.add(row)
    s.flush()
    _contract_event(s, row, "contract_added", on=on, amount=row.amount_cents, currency=row.currency,
                    status=row.status)
    return row


def edit_contract(s: Session, contract, data: dict) -> list[str]:
    from kehu.models import ContractIn
    from kehu.rules.contracts import OPEN

    changes = _changes(ContractIn, data)
    if "title" in changes and changes["title"] is None:
        raise UsageError("empty_name")
    if "amount_cents" in changes and changes["amount_cents"] != contract.amount_cents:
        if contract.status not in OPEN:
            raise Refused("contract_amount_fixed", id=contract.id, status=contract.status)
        if instalments_of(s, contract):
            raise Refused("contract_amount_planned", id=contract.id)
    if "currency" in changes and changes["currency"] != contract.currency:
        # Money recorded in one currency is never relabelled as another.
        if contract.status not in OPEN or instalments_of(s, contract):
            raise Refused("contract_currency_fixed", id=contract.id, status=contract.status)
    changed = _apply(contract, changes)
    if changed:
        contract.updated_at = utcnow()
        s.add(contract)
        _contract_event(s, contract, "contract_edited", fields=changed)
    return changed


def instalments_of(s: Session, contract) -> list:
    from kehu.models import Instalment

    return list(
        s.exec(select(Instalment).where(Instalment.contract_id == contract.id).order_by(Instalment.due, Instalment.id))
    )


def _dues(rows) -> list:
    from kehu.rules.contracts import Due

    return [Due(r.id, r.due, r.amount_cents, r.paid_cents) for r in rows]


def plan_contract(s: Session, contract, parts: list[tuple[date, int]]) -> list:
    """Replace the contract's payment plan; what was already paid fills the new plan in order."""
    from sqlalchemy import delete

    from kehu.models import Instalment
    from kehu.rules.contracts import check_plan, reallocate

    if contract.status == "lost":
        raise Refused("contract_cannot", id=contract.id, action="plan", status=contract.status)
    old = instalments_of(s, contract)
    paid = sum(i.paid_cents for i in old)
    last_paid = max((i.paid_on for i in old if i.paid_on), default=None)
    refusal = check_plan(contract.amount_cents, parts, paid)
    if refusal is not None:
        raise Refused(refusal.key, **refusal.params)
    s.exec(delete(Instalment).where(Instalment.contract_id == contract.id))
    ordered = sorted(parts, key=lambda p: p[0])
    rows = []
    for seq, ((due, cents), got) in enumerate(zip(ordered, reallocate(ordered, paid), strict=True), 1):
        rows.append(Instalment(contract_id=contract.id, seq=seq, amount_cents=cents, due=due,
                               paid_cents=got, paid_on=last_paid if got else None))
    s.add_all(rows)
    contract.updated_at = utcnow()
    s.add(contract)
    _contract_event(s, contract, "contract_planned",
                    instalments=[{"due": d.isoformat(), "amount": c} for d, c in ordered])
    s.flush()
    return rows


def _transition(s: Session, contract, action: str) -> None:
    from kehu.rules.contracts import decide_transition

    refusal = decide_transition(contract.status, action)
    if refusal is not None:
        raise Refused(refusal.key, **{"id": contract.id, "action": action, **refusal.params})


def set_contract_status(s: Session, contract, action: str, day: date, reason: str | None = None,
                        aftercare_days: int = 30) -> None:
    """negotiate / draft / sign / complete / lose, with its date and history event."""
    from kehu.rules.contracts import TRANSITIONS

    _transition(s, contract, action)
    if action == "sign":
        contract.signed_on = day
    elif action == "complete":
        if day < (contract.signed_on or day):
            raise UsageError("date_before_signed", value=day, signed=contract.signed_on)
        contract.completed_on = day
        contract.aftercare_due = date.fromordinal(day.toordinal() + aftercare_days)
    elif action == "lose":
        contract.lost_on = day
        contract.lost_reason = reason
    contract.status = TRANSITIONS[action][1]
    contract.updated_at = utcnow()
    s.add(contract)
    _contract_event(s, contract, f"contract_{contract.status}", on=day, reason=reason,
                    amount=contract.amount_cents, currency=contract.currency)


def pay_contract(s: Session, contract, cents: int, day: date) -> list[tuple[object, int]]:
    """Record a payment: it fills the instalments in order of due date."""
    from kehu.rules.contracts import WON, Refusal, allocate

    if contract.status not in WON:
        raise Refused("pay_not_signed", id=contract.id, status=contract.status)
    if contract.signed_on and day < contract.signed_on:
        raise UsageError("date_before_signed", value=day, signed=contract.signed_on)
    rows = instalments_of(s, contract)
    if not rows:
        raise Refused("pay_no_plan", id=contract.id)
    result = allocate(_dues(rows), cents)
    if isinstance(result, Refusal):
        raise Refused(result.key, id=contract.id, **result.params)
    by_id = {r.id: r for r in rows}
    applied = []
    for ident, take in result:
        row = by_id[ident]
        row.paid_cents += take
        row.paid_on = day
        s.add(row)
        applied.append((row, take))
    contract.updated_at = utcnow()
    s.add(contract)
    _contract_event(s, contract, "paid", on=day, amount=cents, currency=contract.currency,
                    instalments=[{"seq": r.seq, "amount": t} for r, t in applied])
    return applied


def close_aftercare(s: Session, contract_id: int, day: date, customer: Customer | None = None):
    from kehu.models import Contract

    contract = s.get(Contract, contract_id)
    if contract is None or contract.aftercare_due is None:
        raise NotFound("followup_not_found", id=f"A{contract_id}")
    _still_open(f"A{contract_id}", contract.customer_id, contract.aftercare_done_on, customer)
    if contract.completed_on and day < contract.completed_on:
        raise UsageError("date_before_completed", value=day, completed=contract.completed_on)
    contract.aftercare_done_on = day
    s.add(contract)
    _contract_event(s, contract, "aftercare_done", on=day)
    return contract


@dataclass(frozen=True)
class ContractRow:
    contract: object
    customer: str
    owner: str | None
    planned: int
    paid: int
    overdue: int  # cents past due and unpaid
    oldest_due: date | None  # of the overdue instalments


def contract_rows(s: Session, customer: Customer | None = None, status: str | None = None,
                  day: date | None = None, ids: Sequence[int] | None = None) -> list[ContractRow]:
    """Contracts with their customer and money: planned, paid, overdue (one query)."""
    from sqlalchemy import case

    from kehu.models import Contract, Instalment

    from kehu.rules.contracts import WON

    day = day or today()
    # Only a signed contract owes money: a draft's plan is a proposal, not a debt.
    unpaid_late = (Instalment.due < day) & (Instalment.paid_cents < Instalment.amount_cents)
    money = (
        select(
            Instalment.contract_id.label("kid"),
            func.sum(Instalment.amount_cents).label("planned"),
            func.sum(Instalment.paid_cents).label("paid"),
            func.sum(case((unpaid_late, Instalment.amount_cents - Instalment.paid_cents), else_=0)).label("late"),
            func.min(case((unpaid_late, Instalment.due), else_=None)).label("oldest"),
        )
        .group_by(Instalment.contract_id)
    )
    # Sum only the instalments of the contracts asked for (an index lookup, not a scan).
    if ids is not None:
        money = money.where(col(Instalment.contract_id).in_(list(ids)))
    elif customer is not None:
        money = money.where(col(Instalment.contract_id).in_(
            select(Contract.id).where(Contract.customer_id == customer.id)))
    money = money.subquery("money")
    q = (
        select(Contract, Customer.name, Customer.owner, money.c.planned, money.c.paid,
               case((col(Contract.status).in_(WON), money.c.late), else_=0),
               case((col(Contract.status).in_(WON), money.c.oldest), else_=None))
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .outerjoin(money, money.c.kid == Contract.id)
        .order_by(Contract.id)
    )
    if customer is not None:
        q = q.where(Contract.customer_id == customer.id)
    if status:
        q = q.where(Contract.status == status)
    if ids is not None:
        q = q.where(col(Contract.id).in_(list(ids)))
    return [
        ContractRow(k, name, owner, int(pl or 0), int(pd or 0), int(lt or 0), old)
        for k, name, owner, pl, pd, lt, old in s.exec(q).all()
    ]


def receivable_items(s: Session, settings: Settings, owner: str | None, horizon: date,
                     tiers: dict[int, str]) -> list:
    """Unpaid instalments of signed contracts due by ``horizon`` (index on instalment.due).

    Terminated customers too: ending a relationship does not cancel what it owes."""
    from kehu.models import Contract, Instalment
    from kehu.rules.contracts import WON
    from kehu.rules.followups import Item

    q = (
        select(Instalment.id, Instalment.due, Instalment.amount_cents, Instalment.paid_cents,
               Contract.id, Contract.title, Contract.currency,
               Customer.id, Customer.name, Customer.stage, Customer.owner)
        .join(Contract, col(Contract.id) == Instalment.contract_id)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(Instalment.due <= horizon, Instalment.paid_cents < Instalment.amount_cents,
               col(Contract.status).in_(WON))
    )
    if owner:
        q = q.where(owned_by(s, owner, settings))
    rows = _rows(s, q)
    return [
        Item("receivable", iid, cid, name, tiers.get(cid, "lead"), stage, due, title, own,
             extra={"contract": kid, "owed": amount - paid, "currency": cur, "playbook": "non_payment"})
        for iid, due, amount, paid, kid, title, cur, cid, name, stage, own in rows
    ]


def aftercare_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list:
    """The visit after each completed contract (成交不是结束), until it is made."""
    from kehu.models import Contract
    from kehu.rules.followups import Item

    rows = s.exec(
        select(Contract.id, Contract.aftercare_due, Contract.title, Contract.completed_on,
               active.c.id, active.c.name, active.c.stage, active.c.owner)
        .join(active, active.c.id == Contract.customer_id)
        .where(col(Contract.aftercare_due).is_not(None), col(Contract.aftercare_done_on).is_(None),
               Contract.aftercare_due <= horizon)
    ).all()
    return [
        Item("aftercare", kid, cid, name, tiers[cid], stage, due, title, own,
             extra={"contract": kid, "completed": done.isoformat() if done else None})
        for kid, due, title, done, cid, name, stage, own in rows
    ]


def open_deals(s: Session, settings: Settings, owner: str | None = None) -> list:
    """Open contracts of active customers, for the forecast."""
    from kehu.models import Contract
    from kehu.rules.contracts import OPEN, OpenDeal

    q = (
        select(Contract.id, Contract.amount_cents, Contract.currency, Customer.stage, Contract.expected_on,
               Customer.owner)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(col(Contract.status).in_(OPEN), col(Customer.terminated_at).is_(None))
    )
    if owner:
        q = q.where(owned_by(s, owner, settings))
    return [OpenDeal(*row) for row in s.exec(q).all()]


def mark_task_if_open(s: Session, customer: Customer, task: str, day: date, note: str | None) -> bool:
    if s.get(TaskDone, (customer.id, task)) is not None:
        return False
    mark_task(s, customer, task, day, note)
    return True


def payment_facts(s: Session, contract, day: date):
    """What the book says about an overdue contract's customer (for the non-payment playbook)."""
    from kehu.rules.contracts import PAYMENT_ROLES, PaymentFacts, overdue

    late = overdue(_dues(instalments_of(s, contract)), day)
    if not late:
        return None
    customer = customer_of(s, contract)
    people = people_of(s, customer)
    roles = {p.role for p in people}
    missed = s.exec(
        select(func.count()).select_from(Promise).where(
            Promise.customer_id == customer.id,
            (col(Promise.broken_on).is_not(None))
            | (col(Promise.kept_on).is_(None) & col(Promise.broken_on).is_(None) & (Promise.due < day)),
        )
    ).one()
    last = s.exec(select(func.max(Touchpoint.day)).where(Touchpoint.customer_id == customer.id)).one()
    return PaymentFacts(
        contract=contract.id,
        customer=customer.name,
        currency=contract.currency,
        overdue=sum(i.open for i, _ in late),
        days_late=late[0][1],
        instalments=len(late),
        opposed=tuple((p.name, p.role) for p in people if p.attitude == "oppose"),
        uncovered_roles=tuple(r for r in PAYMENT_ROLES if r not in roles),
        promises_missed=int(missed),
        days_since_touch=(day - last).days if last else None,
    )


# ------------------------------------------------------------------ negotiation plans


def plan_text(value: str | None, field: str = "text") -> str:
    """A piece of text for a negotiation plan: not blank, at most one note's length."""
    from kehu.models import TEXT_MAX

    text = (value or "").strip()
    if not text:
        raise UsageError("empty_text", field=field)
    if len(text) > TEXT_MAX:
        raise UsageError("too_long", field=field, length=len(text), limit=TEXT_MAX)
    return text


def _optional_plan_text(value: str | None, field: str) -> str | None:
    return plan_text(value, field) if value is not None and value.strip() else None


def set_fact(s: Session, contract, part: str, key: str, text: str, day: date | None = None,
             amount_cents: int | None = None) -> bool:
    """Record (or replace) one piece of a negotiation plan; True when it was new."""
    from kehu.models import NegotiationFact

    text = plan_text(text, key)
    row = s.get(NegotiationFact, (contract.id, part, key))
    new = row is None
    if new:
        row = NegotiationFact(contract_id=contract.id, part=part, key=key, text=text, updated_at=utcnow())
    row.text, row.day, row.amount_cents, row.updated_at = text, day, amount_cents, utcnow()
    s.add(row)
    return new


def get_issue(s: Session, ref: str | int):
    from kehu.models import NegotiationIssue

    return _numbered(s, NegotiationIssue, ref, "issue_not_found")


def add_issue(s: Session, contract, detail: str, need: str | None, day: date | None = None):
    from kehu.models import NegotiationIssue

    row = NegotiationIssue(
        contract_id=contract.id,
        detail=plan_text(detail, "detail"),
        need=_optional_plan_text(need, "--need"),
        created_at=moment_on(day),  # the day it was raised; noon of it when back-dated
    )
    s.add(row)
    s.flush()
    return row


def set_issue_need(s: Session, issue, need: str) -> None:
    issue.need = plan_text(need, "need")
    s.add(issue)


def add_option(s: Session, issue, text: str, value: str | None):
    from kehu.models import NegotiationOption

    row = NegotiationOption(issue_id=issue.id, text=plan_text(text), value=_optional_plan_text(value, "--value"))
    s.add(row)
    s.flush()
    return row


def get_option(s: Session, ref: str | int):
    from kehu.models import NegotiationOption

    return _numbered(s, NegotiationOption, ref, "option_not_found")


def set_option_value(s: Session, option, value: str) -> None:
    option.value = plan_text(value, "value")
    s.add(option)


def remove_issue(s: Session, issue) -> int:
    """Delete a disagreement and its options (one transaction); the number of options."""
    from sqlalchemy import delete

    from kehu.models import NegotiationOption

    gone = s.exec(delete(NegotiationOption).where(NegotiationOption.issue_id == issue.id)).rowcount
    s.delete(issue)
    return int(gone or 0)


def settle_issue(s: Session, issue, how: str, note: str | None, day: date) -> None:
    issue.settled_by = how
    issue.settlement = _optional_plan_text(note, "--note")
    issue.settled_on = day
    s.add(issue)


def negotiation_plan(s: Session, contract):
    """The contract's plan as the rules take it, plus the rows for display."""
    from kehu.dates import to_local
    from kehu.models import NegotiationFact, NegotiationIssue, NegotiationOption
    from kehu.rules import negotiation as N

    facts = s.exec(select(NegotiationFact).where(NegotiationFact.contract_id == contract.id)).all()
    issues = s.exec(
        select(NegotiationIssue).where(NegotiationIssue.contract_id == contract.id).order_by(NegotiationIssue.id)
    ).all()
    options: dict[int, list] = {}
    if issues:
        for o in s.exec(
            select(NegotiationOption)
            .where(col(NegotiationOption.issue_id).in_([i.id for i in issues]))
            .order_by(NegotiationOption.id)
        ).all():
            options.setdefault(o.issue_id, []).append(N.Option(o.id, o.text, o.value))
    by_part: dict[str, dict[str, object]] = {}
    for f in facts:
        by_part.setdefault(f.part, {})[f.key] = f
    plan = N.Plan(
        contract_status=contract.status,
        contract_amount_cents=contract.amount_cents,
        timing={k: N.Evidence(f.text, f.day) for k, f in by_part.get("timing", {}).items()},
        issues=tuple(
            N.Issue(i.id, i.detail, i.need, tuple(options.get(i.id, ())), i.settled_by, i.settlement,
                    raised_on=to_local(i.created_at).date())
            for i in issues
        ),
        analysis={(p, k): f.text for p in N.PARTIES for k, f in by_part.get(p, {}).items()},
        goal={k: f.text for k, f in by_part.get("goal", {}).items()},
        packages={k: N.Package(k, f.text, f.amount_cents) for k, f in by_part.get("package", {}).items()},
        team={k: f.text for k, f in by_part.get("team", {}).items()},
    )
    return plan, {i.id: i.settled_on for i in issues}


# ------------------------------------------------------------------ team: ownership and the public pool
#
# The rules are kehu.rules.pool (pure); here the facts are read and the decisions
# written. Which customers are still held by their owner is decided in SQL from the
# cut-off days of pool.held_since / pool.warn_since, so `--owner`, `--mine`, `kehu pool`
# and the hold limit never load the book into Python. Writers are serialised (db.py),
# so a check followed by a write in one transaction cannot race another claim.


def _set_owner(customer: Customer, owner: str | None, day: date) -> None:
    """A new owner (or none): the matching key, and both pool clocks start afresh."""
    owner = owner if owner and owner.strip() else None
    customer.owner = owner
    customer.owner_key = name_key(owner) if owner else None
    customer.claimed_on = day if owner else None
    customer.owner_touched_on = None


def holding(c: Customer):
    """The facts rules.pool decides on, for one customer."""
    from kehu.rules.pool import Holding

    return Holding(c.owner if c.owner_key else None, c.stage, c.terminated_at is not None,
                   c.claimed_on, c.owner_touched_on)


def pool_status(c: Customer, settings: Settings, day: date | None = None):
    from kehu.rules.pool import status

    return status(holding(c), day or today(), settings.pool)


def _held_where(cutoffs: tuple[date | None, date | None], table=None):
    """SQL for pool.held_since's test with these cut-offs (None: that clock is off), true
    for every owned customer its owner still holds (held, warning, or kept because it is
    terminated); None when no clock runs. Written NULL-safe, so NOT of it is exact too."""
    from sqlalchemy import and_, or_

    from kehu.rules.pool import GROWING

    c = Customer.__table__.c if table is None else table
    touched_since, claimed_since = cutoffs
    parts = []
    if touched_since is not None:  # the later of the owner's last touch and the claim, if any
        parts.append(or_(
            and_(c.owner_touched_on.is_not(None), c.owner_touched_on >= touched_since),
            and_(c.claimed_on.is_not(None), c.claimed_on >= touched_since),
            and_(c.owner_touched_on.is_(None), c.claimed_on.is_(None)),
        ))
    if claimed_since is not None:
        parts.append(or_(c.stage.in_(GROWING), c.claimed_on.is_(None), c.claimed_on >= claimed_since))
    if not parts:
        return None
    return or_(c.terminated_at.is_not(None), and_(*parts))


def held_clause(rules, day: date):
    """Owned customers not lapsed today (see _held_where); None when the pool is off."""
    from kehu.rules.pool import held_since

    return _held_where(held_since(day, rules))


def owned_by(s: Session, owner: str, settings: Settings, day: date | None = None):
    """`--owner O` / `--mine`: the customers O owns, matched on the folded name (so 'li wei'
    and 'ＬＩ ＷＥＩ' find 'Li Wei'), less those whose pool clock has run out."""
    from sqlalchemy import and_

    mine = col(Customer.owner_key) == name_key(owner)
    held = held_clause(settings.pool, day or today())
    return mine if held is None else and_(mine, held)


def _owner_touched(s: Session, customer: Customer, day: date, settings: Settings) -> None:
    """A touchpoint logged by the customer's owner restarts the untouched clock. Not once
    the customer has lapsed: it is back in the pool, and its owner claims it like anyone."""
    actor = s.info.get("actor")
    if not actor or customer.owner_key is None or name_key(actor) != customer.owner_key:
        return
    if pool_status(customer, settings).state == "lapsed":
        return
    if customer.owner_touched_on is None or day > customer.owner_touched_on:
        customer.owner_touched_on = day
        s.add(customer)


def owner_touched_by_import(s: Session, actor: str | None, written_since: datetime, settings: Settings) -> int:
    """After a touchpoint import: in one UPDATE, each customer the acting salesperson owns
    and still holds takes the latest day of the touchpoints the import wrote (created at
    or after ``written_since``, by ``actor``) as its owner's last touch, when later.
    Returns how many customers changed."""
    from sqlalchemy import and_, or_, update

    if not actor:
        return 0
    t, c = Touchpoint.__table__.c, Customer.__table__.c
    latest = (
        select(func.max(t.day))
        .where(t.customer_id == c.id, t.actor == actor, t.created_at >= written_since)
        .scalar_subquery()
    )
    where = [c.owner_key == name_key(actor), latest.is_not(None),
             or_(c.owner_touched_on.is_(None), c.owner_touched_on < latest)]
    held = held_clause(settings.pool, today())
    if held is not None:
        where.append(held)
    done = s.connection().execute(update(Customer.__table__).where(and_(*where)).values(owner_touched_on=latest))
    return int(done.rowcount or 0)


def held_count(s: Session, owner: str, rules, day: date) -> int:
    """How many customers count toward ``owner``'s hold limit: the ones they hold today
    whose stage and state pool.counts_toward_limit counts (the stages come from the rule
    itself, so SQL and rule cannot drift apart)."""
    from sqlalchemy import and_, or_

    from kehu.rules.domain import STAGES
    from kehu.rules.pool import counts_toward_limit

    live = [st for st in STAGES if counts_toward_limit(st, False)]
    ended = [st for st in STAGES if counts_toward_limit(st, True)]
    q = select(func.count()).select_from(Customer).where(
        col(Customer.owner_key) == name_key(owner),
        or_(and_(col(Customer.terminated_at).is_(None), col(Customer.stage).in_(live)),
            and_(col(Customer.terminated_at).is_not(None), col(Customer.stage).in_(ended))),
    )
    held = held_clause(rules, day)
    if held is not None:
        q = q.where(held)
    return int(s.exec(q).one())


def handover_days(s: Session, customer: Customer) -> list[date]:
    """The local days of the customer's handovers (`assigned` events)."""
    from kehu.dates import to_local

    rows = s.exec(select(Event.at).where(Event.customer_id == customer.id, Event.kind == "assigned")).all()
    return [to_local(at).date() for at in rows]


def _acting(s: Session) -> str:
    actor = s.info.get("actor")
    if not actor:
        raise UsageError("bad_actor")
    return actor


def assign(s: Session, customer: Customer, new_owner: str, reason: str | None,
           settings: Settings, day: date) -> Event:
    """`kehu assign`: hand the customer to ``new_owner`` (a handover, limited per window)."""
    from kehu.rules.pool import handover_check

    owner = validate(CustomerIn, {"owner": new_owner}).owner
    if not owner:
        raise UsageError("assign_no_owner")
    if name_key(owner) == customer.owner_key:
        raise Refused("assign_same", name=customer.name, owner=customer.owner)
    rules = settings.pool
    verdict = handover_check(handover_days(s, customer), day, rules)
    if not verdict.ok:
        raise Refused("assign_limit", name=customer.name, count=verdict.count, limit=verdict.limit,
                      window=rules.handover_window_days,
                      next=verdict.next_on.isoformat() if verdict.next_on else "—")
    ev = _event(s, customer, "assigned", detail={"from": customer.owner if customer.owner_key else None,
                                                 "to": owner}, reason=reason)
    _set_owner(customer, owner, day)
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


def claim(s: Session, customer: Customer, settings: Settings, day: date) -> tuple[Event, Event | None]:
    """`kehu claim`: the acting salesperson takes a customer from the public pool. A lapsed
    customer is first recorded as returned to the pool (by nobody, on the day it returned).
    Returns the claimed event and that released event (or None)."""
    from kehu.rules.pool import claim_check, status

    actor = _acting(s)
    rules = settings.pool
    now = status(holding(customer), day, rules)
    key = name_key(actor)
    verdict = claim_check(now, customer.owner_key == key, held_count(s, actor, rules, day), rules)
    if not verdict.ok:
        if verdict.reason == "already_yours":
            raise Refused("claim_already_yours", name=customer.name)
        if verdict.reason == "owned":
            if now.returns_on is None:
                raise Refused("claim_owned_kept", name=customer.name, owner=customer.owner)
            raise Refused("claim_owned", name=customer.name, owner=customer.owner,
                          returns=now.returns_on.isoformat())
        raise Refused("claim_hold_limit", count=verdict.count, limit=verdict.limit)
    released = None
    previous = customer.owner if customer.owner_key else None
    if now.state == "lapsed":
        released = _event(s, customer, "released", on=now.returns_on, actor=None,
                          detail={"from": previous, "why": now.reason})
    ev = _event(s, customer, "claimed", detail={"from": previous, "to": actor})
    _set_owner(customer, actor, day)
    customer.updated_at = utcnow()
    s.add(customer)
    return ev, released


def release(s: Session, customer: Customer, reason: str | None, force: bool) -> Event:
    """`kehu release`: the owner hands the customer back to the public pool (someone else
    only with ``force``)."""
    actor = _acting(s)
    if customer.owner_key is None:
        raise Refused("release_unowned", name=customer.name)
    forced = name_key(actor) != customer.owner_key
    if forced and not force:
        raise Refused("release_not_yours", name=customer.name, owner=customer.owner)
    detail: dict[str, object] = {"from": customer.owner}
    if forced:
        detail["forced"] = True
    ev = _event(s, customer, "released", detail=detail, reason=reason)
    _set_owner(customer, None, today())
    customer.updated_at = utcnow()
    s.add(customer)
    return ev


@dataclass(frozen=True)
class PoolRow:
    id: int
    name: str
    stage: str
    tier: str
    last_touch: date | None
    previous_owner: str | None
    reason: str  # unowned | released | untouched | no_growth
    since: date | None  # the day it came back to the pool (None: never had an owner)
    clock_from: date | None  # untouched: the owner's last touch or claim; no_growth: the claim


def pool_rows(s: Session, settings: Settings, day: date) -> list[PoolRow]:
    """`kehu pool`: the live customers nobody holds: without an owner, or lapsed. One query;
    the lapsed ones' reason and return day come from rules.pool.status."""
    from sqlalchemy import not_, or_
    from sqlalchemy.orm import aliased

    from kehu.dates import to_local
    from kehu.rules.pool import Holding, status
    from kehu.rules.tiers import TIERS

    rules = settings.pool
    held = held_clause(rules, day)
    unowned = col(Customer.owner_key).is_(None)
    in_pool = unowned if held is None else or_(unowned, not_(held))
    last = select(func.max(Touchpoint.day)).where(Touchpoint.customer_id == Customer.id).scalar_subquery()
    gone = aliased(Event)
    latest_release = (
        select(func.max(Event.id)).where(Event.customer_id == Customer.id, Event.kind == "released")
        .scalar_subquery()
    )
    q = (
        select(Customer.id, Customer.name, Customer.stage, Customer.owner, Customer.owner_key, Customer.claimed_on,
               Customer.owner_touched_on, last, gone.at, gone.detail)
        .outerjoin(gone, gone.id == latest_release)
        .where(col(Customer.terminated_at).is_(None), in_pool)
    )
    tiers = tier_map(s, settings)
    out = []
    for cid, name, stage, owner, key, claimed, touched, last_day, gone_at, gone_detail in _rows(s, q):
        tier = tiers.get(cid, "lead")
        if key is None:
            before = json.loads(gone_detail) if gone_detail else {}
            out.append(PoolRow(cid, name, stage, tier, last_day, before.get("from"),
                               "released" if gone_at is not None else "unowned",
                               to_local(gone_at).date() if gone_at is not None else None, None))
            continue
        st = status(Holding(owner, stage, False, claimed, touched), day, rules)
        if st.state != "lapsed":  # the SQL and the rule agree (tests prove it); be safe anyway
            continue
        start = claimed if st.reason == "no_growth" else max(d for d in (claimed, touched) if d is not None)
        out.append(PoolRow(cid, name, stage, tier, last_day, owner, st.reason, st.returns_on, start))
    out.sort(key=lambda r: (TIERS.index(r.tier) if r.tier in TIERS else len(TIERS), r.id))
    return out


def pool_items(s: Session, settings: Settings, day: date, owner: str | None,
               tiers: dict[int, str], customer_id: int | None = None) -> list:
    """`kehu remind`'s warnings: the owner's customers that return to the public pool
    within pool.warn_days (state warning). Due the last day a touchpoint (or reaching
    growth) still keeps them; ``owner`` None: every owner's."""
    from datetime import timedelta

    from sqlalchemy import not_

    from kehu.rules.followups import Item
    from kehu.rules.pool import Holding, held_since, status, warn_since

    rules = settings.pool
    now_held = _held_where(held_since(day, rules))
    later = _held_where(warn_since(day, rules))
    if now_held is None or later is None:
        return []
    q = select(Customer.id, Customer.name, Customer.stage, Customer.owner, Customer.claimed_on,
               Customer.owner_touched_on).where(
        col(Customer.terminated_at).is_(None), col(Customer.owner_key).is_not(None), now_held, not_(later))
    if owner:
        q = q.where(col(Customer.owner_key) == name_key(owner))
    if customer_id is not None:
        q = q.where(Customer.id == customer_id)
    items = []
    for cid, name, stage, own, claimed, touched in _rows(s, q):
        st = status(Holding(own, stage, False, claimed, touched), day, rules)
        if st.state != "warning":
            continue
        start = claimed if st.reason == "no_growth" else max(d for d in (claimed, touched) if d is not None)
        items.append(Item(
            "pool", cid, cid, name, tiers.get(cid, "lead"), stage, st.returns_on - timedelta(days=1), "", own,
            since=start,
            extra={"returns_on": st.returns_on.isoformat(), "reason": st.reason, "growth_days": rules.growth_days},
        ))
    return items

"""Customers: find one by id or name, add, edit, list; everything `kehu show` tells about
one; their history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import NamedTuple

from sqlalchemy import case, delete, func, or_
from sqlmodel import Session, col, select

from kehu.dates import moment_on, to_local, today
from kehu.errors import Ambiguous, Conflict, NotFound, Refused, Unchanged, UsageError
from kehu.models import (
    Contract, Customer, CustomerAlias, CustomerIn, Event, Instalment, NegotiationFact, NegotiationIssue,
    NegotiationOption, Person, Promise, TaskDone, Touchpoint, TouchpointPerson, TouchSignal, utcnow,
)
from kehu.rules import company as C, tiers as R
from kehu.rules.domain import STAGES
from kehu.rules.names import is_id, name_key
from kehu.rules.pool import PoolStatus
from kehu.rules.trust import CustomerTrust
from kehu.settings import Settings
from kehu.store import aftersale
from kehu.store.common import apply_changes, candidates, core_rows, event, requested_changes, validate
from kehu.store.contracts import ContractRow, contract_rows
from kehu.store.ownership import owned_by, pool_status, set_owner
from kehu.store.people import people_of
from kehu.store.promises import list_promises, promise_state
from kehu.store.stages import STAGE_EVENTS, tasks_done
from kehu.store.team import assign
from kehu.store.signals import Reading, customer_reading
from kehu.store.tiers import TierRow, tier_of_customer, tiers_of
from kehu.store.touchpoints import TouchRow, touches_of
from kehu.store.trust import customer_trust


def resolve_customer(s: Session, ref: str) -> Customer:
    """A customer as people refer to it: an id (42 or #42), the full name, an alias (简称),
    a unique name prefix, a unique part of a name or alias (京东 in 北京京东世纪贸易有限公司),
    a short name everybody uses (浦发, 中石油: kehu.rules.company.WELL_KNOWN). Several
    matches are refused with their list, none with the closest names."""
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
    alias = s.exec(select(CustomerAlias.customer_id).where(CustomerAlias.alias_key == key)).first()
    if alias is not None:
        return s.get(Customer, alias)
    pattern = _like(key) + "%"
    found = _unique(s, ref, col(Customer.name_key).like(pattern, escape="\\"))
    if found is None:
        found = _unique(s, ref, _contains(key))
    if found is None:
        fulls = C.well_known(text)
        if fulls:
            found = _unique(s, ref, or_(*(col(Customer.name_key).like("%" + _like(name_key(f)) + "%", escape="\\")
                                           for f in fulls)))
    if found is None:
        near = closest_customers(s, text)
        if near:
            raise NotFound("customer_not_found_near", ref=ref, candidates=candidates(near))
        raise NotFound("customer_not_found", ref=ref)
    return found


def _like(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(key: str):
    """Customers whose name or one of whose aliases holds ``key``."""
    pattern = "%" + _like(key) + "%"
    aliased = select(CustomerAlias.customer_id).where(col(CustomerAlias.alias_key).like(pattern, escape="\\"))
    return or_(col(Customer.name_key).like(pattern, escape="\\"), col(Customer.id).in_(aliased))


def _unique(s: Session, ref: str, where) -> Customer | None:
    """The one customer ``where`` selects; None for none; Ambiguous, listing them, for several."""
    matches = s.exec(select(Customer).where(where).order_by(Customer.name_key).limit(21)).all()
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return None
    total = s.exec(select(func.count()).select_from(Customer).where(where)).one()
    raise Ambiguous("customer_ambiguous", ref=ref, candidates=candidates(matches, total))


def closest_customers(s: Session, text: str, limit: int = 3) -> list[Customer]:
    """The customers whose names are closest to a name that matched none, best first: by
    the likeness of company names, then by how much of the typed text they share. Only
    names sharing a character with it are read, so a big book is not read whole."""
    import difflib

    typed = C.core(text) or C.fold(text)
    chars = [ch for ch in dict.fromkeys(C.fold(text)) if not ch.isspace()][:8]
    if not chars:
        return []
    near = or_(*(col(Customer.name_key).like("%" + _like(ch) + "%", escape="\\") for ch in chars))
    rows = s.exec(select(Customer).where(near).limit(5000)).all()
    scored = []
    for row in rows:
        like = C.likeness(text, row.name)
        ratio = difflib.SequenceMatcher(None, typed, C.core(row.name) or row.name_key).ratio()
        if like is not None or ratio >= 0.5:
            scored.append((-(like.strength if like else 0), -ratio, row.id, row))
    scored.sort(key=lambda t: t[:3])
    return [row for *_, row in scored[:limit]]


def similar_customers(s: Session, name: str, except_id: int | None = None,
                      limit: int = 5) -> list[tuple[Customer, str]]:
    """Customers that are probably the one named ``name`` (kehu.rules.company.likeness),
    with the reason, strongest first: what `kehu add`, an import creating customers and
    `kehu alias add` warn about."""
    keys = C.probe_keys(name)
    if not keys:
        return []
    heads = [k for k in keys if not k.startswith(C.MARK)]
    fulls = [f for k in keys if k.startswith(C.MARK) for f in C.WELL_KNOWN.get(k[1:], ())]
    terms = [t for t in (*heads, *fulls) if name_key(t)]
    if not terms:
        return []
    where = or_(*(col(Customer.name_key).like("%" + _like(name_key(t)) + "%", escape="\\") for t in terms))
    aliased = select(CustomerAlias.customer_id).where(
        or_(*(col(CustomerAlias.alias_key).like("%" + _like(name_key(t)) + "%", escape="\\") for t in terms)))
    rows = s.exec(select(Customer).where(or_(where, col(Customer.id).in_(aliased))).limit(5000)).all()
    names = aliases_by_customer(s, [r.id for r in rows])
    found = []
    for row in rows:
        if row.id == except_id:
            continue
        best = None
        for other in (row.name, *names.get(row.id, ())):
            like = C.likeness(name, other)
            if like is not None and (best is None or like.strength > best.strength):
                best = like
        if best is not None:
            found.append((-best.strength, row.id, row, best.reason))
    found.sort(key=lambda t: t[:2])
    return [(row, reason) for _, _, row, reason in found[:limit]]


def aliases_by_customer(s: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for cid, alias in s.exec(select(CustomerAlias.customer_id, CustomerAlias.alias)
                                 .where(col(CustomerAlias.customer_id).in_(part))
                                 .order_by(CustomerAlias.id)).all():
            out.setdefault(cid, []).append(alias)
    return out


def _check_unique_customer(s: Session, key: str, except_id: int | None = None) -> None:
    clash = s.exec(select(Customer).where(Customer.name_key == key)).first()
    if clash is not None and clash.id != except_id:
        raise Conflict("customer_exists", id=clash.id, name=clash.name)
    # One name, one customer: a name already used as another customer's alias is refused.
    owner = s.exec(select(CustomerAlias.customer_id).where(CustomerAlias.alias_key == key)).first()
    if owner is not None and owner != except_id:
        other = s.get(Customer, owner)
        raise Conflict("customer_name_is_alias", id=other.id, name=other.name)


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
    set_owner(customer, customer.owner, today())
    s.add(customer)
    s.flush()
    event(s, customer, "created", on=on, to_stage=customer.stage)
    return customer


def edit_customer(s: Session, customer: Customer, data: dict, settings: Settings,
                  added: date | None = None) -> list[str]:
    """Change a customer's fields. A new owner for a customer someone else owns is a
    handover: the same rule and history event as `kehu assign` (docs/team.md). ``added``
    moves the day the account was opened, and its "added" event with it. An edit that
    changes nothing raises Unchanged."""
    given = any(v is not None for v in data.values())
    changes = requested_changes(CustomerIn, data) if given or added is None else {}
    changes = {k: v for k, v in changes.items() if getattr(customer, k) != v}
    moved = added is not None and _added_differs(s, customer, added)
    if not changes and not moved:
        raise Unchanged("nothing_changed")
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
    changed = apply_changes(customer, changes)
    if moved:
        _move_added(s, customer, added)
        changed.append("added_on")
    if new_owner is not None:
        set_owner(customer, new_owner[0], today())
    customer.updated_at = utcnow()
    s.add(customer)
    if changed:
        shown = ["value" if f == "value_cents" else f for f in changed]
        event(s, customer, "edited", detail={"fields": shown})
    if handover is not None:
        assign(s, customer, handover, None, settings, today())
        changed.append("owner")
    return changed


def _created_event(s: Session, customer: Customer) -> Event | None:
    return s.exec(select(Event).where(Event.customer_id == customer.id, Event.kind == "created")
                  .order_by(Event.at, Event.id)).first()


def _added_differs(s: Session, customer: Customer, day: date) -> bool:
    created = _created_event(s, customer)
    return customer.added_on != day or (created is not None and to_local(created.at).date() != day)


def _move_added(s: Session, customer: Customer, day: date) -> None:
    """The account was opened on ``day``: its added_on and its "added" event, the first
    record that a back-dated stage change may not precede (stages.check_in_order). Not
    after the next stage change: the history stays in time order."""
    created = _created_event(s, customer)
    later = s.exec(
        select(func.min(Event.at)).where(
            Event.customer_id == customer.id, col(Event.kind).in_(STAGE_EVENTS), Event.kind != "created")
    ).one()
    if later is not None:
        first = to_local(later.replace(tzinfo=later.tzinfo or UTC)).date()
        if day > first:
            raise UsageError("added_after_history", value=day, first=first)
    customer.added_on = day
    if created is not None:
        created.at = moment_on(day)
        s.add(created)


# What goes with a customer, in the order it is deleted (children first).
def customer_dependants(s: Session, customer: Customer) -> dict[str, int]:
    """How many records of each kind a delete of the customer would take with it."""
    cid = customer.id
    kids = select(Contract.id).where(Contract.customer_id == cid)
    issues = select(NegotiationIssue.id).where(col(NegotiationIssue.contract_id).in_(kids))

    def count(model, *where) -> int:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())

    return {
        "people": count(Person, Person.customer_id == cid),
        "touches": count(Touchpoint, Touchpoint.customer_id == cid),
        "promises": count(Promise, Promise.customer_id == cid),
        "contracts": count(Contract, Contract.customer_id == cid),
        "instalments": count(Instalment, col(Instalment.contract_id).in_(kids)),
        "negotiation": (count(NegotiationFact, col(NegotiationFact.contract_id).in_(kids))
                        + count(NegotiationIssue, col(NegotiationIssue.contract_id).in_(kids))
                        + count(NegotiationOption, col(NegotiationOption.issue_id).in_(issues))),
        "events": count(Event, Event.customer_id == cid),
    }


def delete_customer(s: Session, customer: Customer, yes: bool) -> dict[str, int]:
    """Delete a customer added by mistake and everything under it, all or nothing. Refused
    where money was paid on any of its contracts; without ``yes`` refused, saying what
    would go with it. Returns the counts of what went."""
    cid = customer.id
    kids = select(Contract.id).where(Contract.customer_id == cid)
    paid = s.exec(select(func.coalesce(func.sum(Instalment.paid_cents), 0))
                  .where(col(Instalment.contract_id).in_(kids))).one()
    if paid:
        raise Refused("customer_delete_paid", id=cid, name=customer.name, paid=int(paid))
    counts = customer_dependants(s, customer)
    if not yes:
        raise Refused("customer_delete_needs_yes", id=cid, name=customer.name, **counts)
    touches = select(Touchpoint.id).where(Touchpoint.customer_id == cid)
    people = select(Person.id).where(Person.customer_id == cid)
    aftersale.forget_customer(s, cid)
    issues = select(NegotiationIssue.id).where(col(NegotiationIssue.contract_id).in_(kids))
    for statement in (
        delete(NegotiationOption).where(col(NegotiationOption.issue_id).in_(issues)),
        delete(NegotiationIssue).where(col(NegotiationIssue.contract_id).in_(kids)),
        delete(NegotiationFact).where(col(NegotiationFact.contract_id).in_(kids)),
        delete(Instalment).where(col(Instalment.contract_id).in_(kids)),
        delete(Contract).where(Contract.customer_id == cid),
        delete(TouchSignal).where(col(TouchSignal.touchpoint_id).in_(touches)),
        delete(TouchpointPerson).where(col(TouchpointPerson.touchpoint_id).in_(touches)),
        delete(TouchpointPerson).where(col(TouchpointPerson.person_id).in_(people)),
        delete(Promise).where(Promise.customer_id == cid),
        delete(Touchpoint).where(Touchpoint.customer_id == cid),
        delete(Person).where(Person.customer_id == cid),
        delete(TaskDone).where(TaskDone.customer_id == cid),
        delete(Event).where(Event.customer_id == cid),
        delete(CustomerAlias).where(CustomerAlias.customer_id == cid),
        delete(Customer).where(Customer.id == cid),
    ):
        s.execute(statement)
    s.expunge(customer)
    return counts


class Listed(NamedTuple):
    """What `kehu list` shows of a customer: its columns, not an ORM object (100,000 of
    those took 12 of the 25 s `kehu list` spent on the benchmark's full book)."""

    id: int
    name: str
    stage: str
    terminated_at: object
    owner: str | None
    industry: str | None
    region: str | None


@dataclass(frozen=True)
class CustomerRow:
    customer: Listed
    last_touch: date | None
    people: int
    open_promises: int
    tier: str | None = None  # None once the relationship has ended
    value: int | None = None  # the tier's value (signed in 12 months, else entered); None when ended


# `kehu list --sort`: the keys, in the order rules.domain names them.
LIST_SORTS = ("name", "stage", "last", "value", "tier")


def list_customers(s: Session, settings: Settings, stage: str | None = None, owner: str | None = None,
                   tier: str | None = None, active: bool = False, sort: str | None = None,
                   day: date | None = None) -> list[CustomerRow]:
    """Every customer with its last touch, people, open promises and tier; the tiers come
    from the one window-function ranking of the book (store.tiers), outer-joined, so a
    terminated customer (no tier) is still listed unless ``active``. ``sort``: by id
    unless one of LIST_SORTS (last touch newest first, value and tier best first; those
    without one last, then by id)."""
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
    t = tiers_of(settings, day or today())
    q = (
        select(Customer.id, Customer.name, Customer.stage, Customer.terminated_at, Customer.owner,
               Customer.industry, Customer.region, last.c.last, people.c.n, open_p.c.n, t.c.tier, t.c.value)
        .outerjoin(last, last.c.customer_id == Customer.id)
        .outerjoin(people, people.c.customer_id == Customer.id)
        .outerjoin(open_p, open_p.c.customer_id == Customer.id)
        .outerjoin(t, t.c.id == Customer.id)
    )
    if stage:
        q = q.where(Customer.stage == stage)
    if owner:
        q = q.where(owned_by(owner, settings))
    if tier:
        q = q.where(t.c.tier == tier)
    if active:
        q = q.where(col(Customer.terminated_at).is_(None))
    order = {
        "name": [col(Customer.name_key)],
        "stage": [case({k: i for i, k in enumerate(STAGES)}, value=Customer.stage, else_=len(STAGES))],
        "last": [last.c.last.desc().nulls_last()],
        "value": [t.c.value.desc().nulls_last()],
        # the rank: best first, equal values together; a prospect's place is counted among
        # the customers doing business, after those who share it
        "tier": [t.c.above.asc().nulls_last(), t.c.business.desc().nulls_last(), t.c.standing.desc().nulls_last()],
    }.get(sort or "", [])
    q = q.order_by(*order, Customer.id)
    return [CustomerRow(Listed(*row[:7]), lt, n or 0, o or 0, tr, None if v is None else int(v))
            for *row, lt, n, o, tr, v in core_rows(s, q)]


class Profile(NamedTuple):
    """Everything `kehu show` tells about one customer."""

    done: dict[str, TaskDone]  # its stage tasks done
    trust: CustomerTrust
    tier: TierRow | None  # None once the relationship has ended
    warnings: list[R.Warning]  # where its level or the effort spent is out of line with its tier
    people: list[Person]
    touches: list[TouchRow]  # the latest ten
    promises: list[tuple[Promise, str, None]]  # each with its state (no customer name: it is this one)
    contracts: list[ContractRow]
    pool: PoolStatus
    signals: Reading  # the current signals and what they say (store.signals)


def profile(s: Session, customer: Customer, settings: Settings, day: date) -> Profile:
    done = tasks_done(s, customer)
    trust = customer_trust(s, customer, day, settings)
    tier = tier_of_customer(s, customer, settings, day) if customer.terminated_at is None else None
    warnings = []
    contracts = contract_rows(s, customer, day=day)
    if tier is not None:
        pursuing = any(r.contract.status in ("draft", "negotiating") for r in contracts)
        warnings = R.warnings(tier=tier.tier, level=tier.level, effort=tier.effort,
                              cell_=R.cell(customer.profit_now, customer.profit_future), cadence=settings.cadence,
                              known_days=tier.known_days(day), business=tier.business, pursuing=pursuing,
                              cell_factors=settings.cell_factors)
        warnings += R.level_marks(customer.level, stage=customer.stage,
                                  executive_met="executive" in trust.levels_in_window,
                                  people_met=trust.people_in_window)
    return Profile(
        done, trust, tier, warnings, people_of(s, customer), touches_of(s, customer, limit=10),
        [(p, promise_state(p), None) for p, _ in list_promises(s, customer)],
        contracts, pool_status(customer, settings, day),
        customer_reading(s, customer, day, settings.signal_window, settings.signal_money_days),
    )


def history(s: Session, customer: Customer) -> list[Event]:
    return list(
        s.exec(
            select(Event)
            .where(Event.customer_id == customer.id)
            .order_by(Event.at, Event.id)
        )
    )


def names_of(s: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(s.exec(select(Customer.id, Customer.name).where(col(Customer.id).in_(list(ids)))).all())

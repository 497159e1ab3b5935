"""Customer signals (rules/signals.py): the kinds typed with `touch --signal-kind`, kept in
touch_signal, and those the phrase table reads from the free-text signals, read when
asked (so a better phrase table needs no rewrite of the book); each tied to the person
met when the touchpoint met exactly one. What is current (ageing), and each person's and
the customer's view."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from kehu.errors import UsageError
from kehu.models import Contract, Customer, Person, Touchpoint, TouchpointPerson, TouchSignal, utcnow
from kehu.rules import signals as S


@dataclass(frozen=True)
class SignalRow:
    day: date
    touch_id: int
    kind: str
    direction: str
    text: str | None  # the free-text signal it was read from; None when typed
    source: str  # typed, phrase
    person_id: int | None
    person: str | None


def parse_kinds(values: Iterable[str]) -> list[tuple[str, str]]:
    """`--signal-kind` values (KIND or KIND:DIRECTION, keys or labels) as (kind, direction)."""
    out = []
    for v in values:
        got = S.parse_typed(v)
        if got is None:
            raise UsageError("bad_signal_kind", value=v, kinds=", ".join(S.KINDS),
                             directions=", ".join(S.DIRECTIONS))
        out.append(got)
    return out


def add_typed(s: Session, touch: Touchpoint, kinds: Sequence[tuple[str, str]], people: Sequence[int]) -> None:
    person = people[0] if len(set(people)) == 1 else None
    for kind, direction in dict.fromkeys(kinds):
        s.add(TouchSignal(touchpoint_id=touch.id, person_id=person, kind=kind, direction=direction,
                          text=None, source="typed", created_at=utcnow()))


def forget_touch(s: Session, touch_ids: Sequence[int]) -> None:
    if touch_ids:
        s.exec(delete(TouchSignal).where(col(TouchSignal.touchpoint_id).in_(list(touch_ids))))


def settled_on(s: Session, customer: Customer) -> date | None:
    """The customer's latest deal settled: signed, completed or lost (signals about the
    deal from before it are history)."""
    got = s.exec(select(func.max(Contract.signed_on), func.max(Contract.completed_on), func.max(Contract.lost_on))
                 .where(Contract.customer_id == customer.id)).one()
    days = [d for d in got if d is not None]
    return max(days) if days else None


def signals_of(s: Session, customer: Customer, since: date | None = None) -> list[SignalRow]:
    """Every signal of the customer's touchpoints (on or after ``since``), newest first:
    the typed ones, then those read from each free-text signal."""
    q = select(Touchpoint).where(Touchpoint.customer_id == customer.id)
    if since is not None:
        q = q.where(Touchpoint.day >= since)
    touches = list(s.exec(q.order_by(col(Touchpoint.day).desc(), col(Touchpoint.id).desc())))
    if not touches:
        return []
    ids = [t.id for t in touches]
    met: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
    for tid, pid, name in s.exec(
        select(TouchpointPerson.touchpoint_id, Person.id, Person.name)
        .join(Person, col(Person.id) == TouchpointPerson.person_id)
        .where(col(TouchpointPerson.touchpoint_id).in_(ids)).order_by(Person.id)
    ).all():
        met[tid].append((pid, name))
    typed: dict[int, list[TouchSignal]] = {i: [] for i in ids}
    for row in s.exec(select(TouchSignal).where(col(TouchSignal.touchpoint_id).in_(ids)).order_by(TouchSignal.id)):
        typed[row.touchpoint_id].append(row)
    names = {pid: name for people in met.values() for pid, name in people}
    out = []
    for t in touches:
        only = met[t.id][0] if len(met[t.id]) == 1 else (None, None)
        for r in typed[t.id]:
            out.append(SignalRow(t.day, t.id, r.kind, r.direction, r.text, r.source, r.person_id,
                                 names.get(r.person_id) if r.person_id else None))
        for text in json.loads(t.signals) if t.signals else []:
            for kind, direction in S.classify(text):
                out.append(SignalRow(t.day, t.id, kind, direction, text, "phrase", only[0], only[1]))
    return out


def current(rows: Iterable[SignalRow], today_: date, settled: date | None,
            window_days: int = S.WINDOW_DAYS, money_days: int = S.MONEY_DAYS) -> list[SignalRow]:
    return [r for r in rows if S.is_current(r.kind, r.day, today_, settled_on=settled,
                                            window_days=window_days, money_days=money_days)]


@dataclass(frozen=True)
class Reading:
    """What the current signals say: the customer's view and each person's."""

    customer: str
    people: dict[str, str]  # person name -> view
    signals: list[SignalRow]


def reading(rows: Sequence[SignalRow]) -> Reading:
    by_person: dict[str, list[str]] = {}
    for r in rows:
        if r.person:
            by_person.setdefault(r.person, []).append(r.direction)
    return Reading(S.view(r.direction for r in rows),
                   {p: S.view(ds) for p, ds in by_person.items()}, list(rows))


def customer_reading(s: Session, customer: Customer, today_: date, window_days: int = S.WINDOW_DAYS,
                     money_days: int = S.MONEY_DAYS) -> Reading:
    since = date.fromordinal(today_.toordinal() - max(window_days, money_days))
    rows = signals_of(s, customer, since)
    return reading(current(rows, today_, settled_on(s, customer), window_days, money_days))

"""Touchpoints: record one (with its people, next step and promise), list a customer's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from kehu.errors import Refused, Unchanged, UsageError
from kehu.models import Customer, Person, Promise, Touchpoint, TouchpointPerson, TouchIn, TouchSignal, utcnow
from kehu.rules.domain import TOUCH_CHANNELS
from kehu.settings import Settings
from kehu.store.common import deleted, edited, numbered, validate
from kehu.store.ownership import owner_touched


def add_touch(
    s: Session, customer: Customer, data: dict, people: Sequence[Person], settings: Settings,
    signal_kinds: Sequence[tuple[str, str]] = (),
) -> tuple[Touchpoint, Promise | None]:
    """Record a touchpoint; ``signal_kinds``: structured signals typed with --signal-kind
    (store.signals.parse_kinds), tied to the person met when there is exactly one."""
    valid = validate(TouchIn, data)
    if (valid.next_step is None) != (valid.next_due is None):
        raise UsageError("next_needs_due")
    if (valid.promise is None) != (valid.promise_due is None):
        raise UsageError("promise_needs_due")
    for option, due in (("--next-due", valid.next_due), ("--promise-due", valid.promise_due)):
        if due is not None and due < valid.day:
            raise UsageError("due_before_date", option=option, due=due, day=valid.day)
    _check_channel(valid.kind, valid.channel)
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
        channel=valid.channel,
        care=valid.care or None,
    )
    s.add(touch)
    owner_touched(s, customer, valid.day, settings)
    s.flush()
    for person in {p.id: p for p in people}.values():
        s.add(TouchpointPerson(touchpoint_id=touch.id, person_id=person.id))
    if signal_kinds:
        from kehu.store.signals import add_typed

        add_typed(s, touch, signal_kinds, [p.id for p in people])
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
    typed: tuple[tuple[str, str], ...] = ()  # structured signals typed with --signal-kind


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
    typed: dict[int, list[tuple[str, str]]] = {}
    if touches:
        for tid, kind, direction in s.exec(
            select(TouchSignal.touchpoint_id, TouchSignal.kind, TouchSignal.direction)
            .where(col(TouchSignal.touchpoint_id).in_(list(names))).order_by(TouchSignal.id)
        ).all():
            typed.setdefault(tid, []).append((kind, direction))
    return [TouchRow(t, names[t.id], tuple(typed.get(t.id, ()))) for t in touches]


def _check_channel(kind: str, channel: str | None) -> None:
    """A channel (phone, WeChat, e-mail, meeting) says how a daily contact happened; the
    other kinds are events of their own."""
    if channel is not None and channel not in TOUCH_CHANNELS:
        raise UsageError("bad_value", field="channel", problem=channel)
    if channel is not None and kind != "daily":
        raise UsageError("channel_needs_daily", channel=channel, kind=kind)


def get_touch(s: Session, ref: str | int) -> Touchpoint:
    return numbered(s, Touchpoint, ref, "touch_not_found")


def promises_at(s: Session, touch: Touchpoint) -> list[Promise]:
    return list(s.exec(select(Promise).where(Promise.touchpoint_id == touch.id).order_by(Promise.id)))


def people_at(s: Session, touch: Touchpoint) -> set[int]:
    return set(s.exec(select(TouchpointPerson.person_id).where(TouchpointPerson.touchpoint_id == touch.id)))


_SHOWN = {"day": "date", "next_done_on": "next_done"}


def edit_touch(
    s: Session, customer: Customer, touch: Touchpoint, data: dict, people: Sequence[Person] | None,
    settings: Settings,
) -> list[str]:
    """Correct a touchpoint: any of its fields (None: leave as is; a text given as "" clears
    it; ``next_step`` "" clears the next step with its due date), the people met (``people``
    replaces them) and the promise made at it (its text and due date; its day moves with
    the touchpoint's). An edit that changes nothing raises Unchanged."""
    current = {
        "day": touch.day, "kind": touch.kind, "note": touch.note,
        "signals": json.loads(touch.signals) if touch.signals else [],
        "next_step": touch.next_step, "next_due": touch.next_due, "channel": touch.channel,
    }
    merged = {**current, **{k: v for k, v in data.items() if k in current and v is not None}}
    if data.get("channel") == "":
        merged["channel"] = None  # `--channel ""` clears it
    elif data.get("channel") is None and merged["kind"] != "daily":
        merged["channel"] = None  # no longer a daily contact: no channel either
    if data.get("next_step") is not None and not data["next_step"].strip():
        merged["next_step"] = merged["next_due"] = None  # the next step cleared, due date and all
    if data.get("next_due") is not None and current["next_step"] is None and merged["next_step"] is None:
        raise UsageError("touch_no_next_step", id=touch.id)
    valid = validate(TouchIn, merged)
    if (valid.next_step is None) != (valid.next_due is None):
        raise UsageError("next_needs_due")
    if valid.next_due is not None and valid.next_due < valid.day:
        raise UsageError("due_before_date", option="--next-due", due=valid.next_due, day=valid.day)
    done_on = touch.next_done_on if valid.next_step is not None else None
    if done_on is not None and done_on < valid.day:
        raise UsageError("done_before_date", id=f"N{touch.id}", done=done_on, day=valid.day)
    _check_channel(valid.kind, valid.channel)
    new = {"day": valid.day, "kind": valid.kind, "note": valid.note, "channel": valid.channel,
           "signals": json.dumps(valid.signals, ensure_ascii=False) if valid.signals else None,
           "next_step": valid.next_step, "next_due": valid.next_due, "next_done_on": done_on}
    changes = {k: v for k, v in new.items() if getattr(touch, k) != v}
    changed = [_SHOWN.get(k, k) for k in changes]
    promise_changes = _promise_changes(s, touch, data, valid.day)
    changed += [f for f in ("promise", "promise_due") if any(f in c for _, c in promise_changes)]
    if people is not None:
        wanted = {p.id for p in people}
        if wanted != people_at(s, touch):
            s.exec(delete(TouchpointPerson).where(TouchpointPerson.touchpoint_id == touch.id))
            s.flush()
            s.add_all(TouchpointPerson(touchpoint_id=touch.id, person_id=pid) for pid in sorted(wanted))
            changed.append("with")
    if not changed:
        raise Unchanged("nothing_changed")
    for key, value in changes.items():
        setattr(touch, key, value)
    s.add(touch)
    for promise, fields in promise_changes:
        for key, value in fields.items():
            setattr(promise, "text" if key == "promise" else "due" if key == "promise_due" else key, value)
        s.add(promise)
    if "day" in changes:
        owner_touched(s, customer, valid.day, settings)
    edited(s, customer, "touchpoint", touch.id, changed)
    return changed


def _promise_changes(s: Session, touch: Touchpoint, data: dict, day) -> list[tuple[Promise, dict]]:
    """What an edit of a touchpoint changes in the promises made at it: the text and due
    date given (only where it made exactly one), and the day they were made."""
    text, due = data.get("promise"), data.get("promise_due")
    promises = promises_at(s, touch)
    if (text is not None or due is not None) and len(promises) != 1:
        raise Refused("touch_promise_which", id=touch.id, count=len(promises))
    out = []
    for p in promises:
        fields: dict = {}
        if text is not None:
            clean = validate(TouchIn, {"day": day, "kind": touch.kind, "promise": text}).promise
            if clean is None:
                raise UsageError("empty_text", field="--promise")
            if clean != p.text:
                fields["promise"] = clean
        new_due = due if due is not None else p.due
        if new_due < day:
            raise UsageError("due_before_date", option="--promise-due", due=new_due, day=day)
        if new_due != p.due:
            fields["promise_due"] = new_due
        closed = p.kept_on or p.broken_on
        if closed is not None and closed < day:
            raise UsageError("kept_before_made", id=p.id, made=day, day=closed)
        if p.made_on != day:
            fields["made_on"] = day
        if fields:
            out.append((p, fields))
    return out


def delete_touch(s: Session, customer: Customer, touch: Touchpoint, yes: bool) -> list[int]:
    """Delete a touchpoint recorded by mistake, with its next step and the links to the
    people met; the promises made at it go too, which needs ``yes``. Returns their ids."""
    promises = [p.id for p in promises_at(s, touch)]
    if promises and not yes:
        raise Refused("touch_delete_needs_yes", id=touch.id, promises=", ".join(f"P{i}" for i in promises))
    s.exec(delete(TouchpointPerson).where(TouchpointPerson.touchpoint_id == touch.id))
    s.exec(delete(TouchSignal).where(TouchSignal.touchpoint_id == touch.id))
    s.exec(delete(Promise).where(Promise.touchpoint_id == touch.id))
    s.exec(delete(Touchpoint).where(Touchpoint.id == touch.id))
    s.expunge(touch)
    deleted(s, customer, "touchpoint", touch.id, date=touch.day.isoformat(), kind=touch.kind,
            promises=promises)
    return promises

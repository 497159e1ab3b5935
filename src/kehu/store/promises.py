"""Promises we made to customers: list, find, mark kept or broken, edit, reopen, delete."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, delete, select

from kehu.errors import NotFound, Refused, UsageError
from kehu.models import TEXT_MAX, Customer, Promise
from kehu.rules.names import is_id
from kehu.store.common import deleted, edited, only_differences


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


def get_promises(s: Session, idents: list[str]) -> list[Promise]:
    """Several promises by id, each once, in the order given; the first unknown one refuses all."""
    found: dict[int, Promise] = {}
    for ident in idents:
        p = get_promise(s, ident)
        found.setdefault(p.id, p)
    return list(found.values())


def edit_promise(s: Session, customer: Customer, promise: Promise, text: str | None, due: date | None) -> list[str]:
    """A promise's text or due date (moving the date is what an overdue promise asks for:
    explain, and agree a new one). An edit that changes nothing raises Unchanged."""
    if text is None and due is None:
        raise UsageError("nothing_to_edit")
    changes: dict = {}
    if text is not None:
        clean = text.strip()
        if not clean:
            raise UsageError("empty_text", field="--text")
        if len(clean) > TEXT_MAX:
            raise UsageError("too_long", field="--text", length=len(clean), limit=TEXT_MAX)
        changes["text"] = clean
    if due is not None:
        if due < promise.made_on:
            raise UsageError("due_before_date", option="--due", due=due, day=promise.made_on)
        changes["due"] = due
    changes = only_differences(promise, changes)
    for key, value in changes.items():
        setattr(promise, key, value)
    s.add(promise)
    edited(s, customer, "promise", promise.id, list(changes))
    return list(changes)


def reopen_promise(s: Session, customer: Customer, promise: Promise) -> str:
    """A promise marked kept or broken by mistake, open again; returns the state it had."""
    was = promise_state(promise)
    if was == "open":
        raise Refused("promise_already_open", id=promise.id)
    promise.kept_on = promise.broken_on = None
    s.add(promise)
    edited(s, customer, "promise", promise.id, ["state"])
    return was


def delete_promise(s: Session, customer: Customer, promise: Promise) -> None:
    s.exec(delete(Promise).where(Promise.id == promise.id))
    s.expunge(promise)
    deleted(s, customer, "promise", promise.id, due=promise.due.isoformat())

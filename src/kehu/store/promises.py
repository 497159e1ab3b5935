"""Promises we made to customers: list, find, mark kept or broken."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from kehu.errors import NotFound, Refused, UsageError
from kehu.models import Customer, Promise
from kehu.rules.names import is_id


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

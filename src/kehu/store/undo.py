"""`kehu undo`, `kehu redo` and the list of recent operations (kehu.oplog keeps them).

On a book file, undo takes back the newest operation, whoever's it was (the book has one
owner). On a team's server book each salesperson undoes only their own; an operation is
refused when a colleague has since changed the same customers (or the same settings),
and the refusal names that later operation. Nothing written before `kehu person forget`
can be undone: forget seals the log and keeps no row images from before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from kehu import oplog
from kehu.errors import Conflict, NotFound
from kehu.models import Customer, Event, Operation, utcnow


@dataclass(frozen=True)
class OpView:
    id: int
    at: datetime
    actor: str | None
    command: str
    state: str
    summary: dict[str, list[int]]
    customers: list[str]  # names, as they are now (or were, for what undo removed)
    undone_at: datetime | None


def _server(s: Session) -> bool:
    return bool(s.info.get("server"))


def _sealed_after(s: Session) -> int:
    """Operations at or before the last seal cannot be undone or redone."""
    last = s.exec(select(Operation.id).where(Operation.state == "sealed").order_by(Operation.id.desc())).first()
    return last or 0


def _candidates(s: Session, state: str, actor: str | None, newest_first: bool):
    q = select(Operation).where(Operation.state == state, Operation.id > _sealed_after(s))
    if _server(s):
        q = q.where(Operation.actor == actor)
    return q.order_by(Operation.id.desc() if newest_first else Operation.id)


def undo(s: Session, count: int, actor: str | None) -> list[OpView]:
    """Undo the newest ``count`` operations (the acting user's own on a server book)."""

    def apply(op: Operation) -> OpView:
        view = _view(s, op)  # before: the names of customers that undo may remove
        redo = oplog.undo(s.connection(), json.loads(op.changes or "[]"))
        op.state, op.undone_at, op.undone_by = "undone", utcnow(), actor
        op.redo = json.dumps(redo, ensure_ascii=False, separators=(",", ":"))
        return view

    return _steps(s, count, _candidates(s, "done", actor, newest_first=True), lambda: NotFound("nothing_to_undo"),
                  apply)


def redo(s: Session, count: int, actor: str | None) -> list[OpView]:
    """Apply again the operations undone most recently, until the next write."""

    def apply(op: Operation) -> OpView:
        oplog.redo(s.connection(), json.loads(op.redo or "[]"))
        op.state, op.redo, op.undone_at, op.undone_by = "done", None, None, None
        return _view(s, op)  # after: the names of customers that redo brought back

    return _steps(s, count, _candidates(s, "undone", actor, newest_first=False), lambda: NotFound("nothing_to_redo"),
                  apply)


def _steps(s: Session, count: int, query, nothing, apply) -> list[OpView]:
    """Up to ``count`` operations, each checked against later ones, then applied."""
    done: list[OpView] = []
    for _ in range(count):
        op = s.exec(query).first()
        if op is None:
            if done:
                break
            raise nothing()
        _check_later(s, op)
        done.append(apply(op))
        s.add(op)
        s.flush()
        s.expire_all()  # rows changed under the ORM's feet
    return done


def _check_later(s: Session, op: Operation) -> None:
    """Refuse when a later operation still in force touched the same customers (or, for
    operations on no customer such as settings, the same tables)."""
    later = s.exec(select(Operation).where(Operation.id > op.id, Operation.state == "done")
                   .order_by(Operation.id.desc())).all()
    if not later:
        return
    mine = set(json.loads(op.customers or "[]"))
    tables = set(json.loads(op.summary or "{}"))
    for other in later:
        theirs = set(json.loads(other.customers or "[]"))
        if mine & theirs or (not mine and tables & set(json.loads(other.summary or "{}"))):
            raise Conflict("undo_later", id=op.id, command=op.command, later=other.id,
                           later_command=other.command, actor=other.actor or "?")


def recent(s: Session, limit: int = 20) -> list[OpView]:
    ops = s.exec(select(Operation).order_by(Operation.id.desc()).limit(limit)).all()
    return [_view(s, op) for op in ops]


def _view(s: Session, op: Operation) -> OpView:
    ids = json.loads(op.customers or "[]")
    names: list[str] = []
    if ids:
        found = dict(s.exec(select(Customer.id, Customer.name).where(Customer.id.in_(ids[:50]))).all())
        names = [found.get(i, f"#{i}") for i in ids[:50]]
    return OpView(id=op.id, at=op.at, actor=op.actor, command=op.command, state=op.state,
                  summary=json.loads(op.summary or "{}"), customers=names, undone_at=op.undone_at)


def undone_events(s: Session, customer_id: int) -> list[Event]:
    """The undos that stand (not redone; "dropped": no longer redoable) on this customer,
    as history events (never
    stored: the undone operation's own events went with it, the log keeps the undo)."""
    ops = s.exec(select(Operation).where(Operation.state.in_(("undone", "dropped"))).order_by(Operation.id)).all()
    return [Event(customer_id=customer_id, at=op.undone_at or op.at, kind="undone", actor=op.undone_by,
                  detail=json.dumps({"operation": op.id, "command": op.command, "done_at": op.at.isoformat(),
                                     "done_by": op.actor}, ensure_ascii=False))
            for op in ops if customer_id in json.loads(op.customers or "[]")]

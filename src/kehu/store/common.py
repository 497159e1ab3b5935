"""What the store's domain modules share: validating user input, applying an edit,
recording a history event, reading rows through Core, finding a row by its number."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import BaseModel, ValidationError
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from kehu.dates import moment_on
from kehu.errors import NotFound, Unchanged, UsageError
from kehu.models import TEXT_MAX, Customer, Event, Person
from kehu.rules.names import is_id

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


def requested_changes(model: type[BaseModel], data: dict) -> dict:
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


def apply_changes(row: SQLModel, changes: dict) -> list[str]:
    changed = [k for k, v in changes.items() if getattr(row, k) != v]
    for k, v in changes.items():
        setattr(row, k, v)
    return changed


def only_differences(row: SQLModel, changes: dict) -> dict:
    """The requested changes that would change ``row``; an edit left with none changes
    nothing, and says so (Unchanged: exit 0, nothing written)."""
    diff = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not diff:
        raise Unchanged("nothing_changed")
    return diff


def plan_text(value: str | None, field: str = "text") -> str:
    """A piece of text for a negotiation plan: not blank, at most one note's length."""
    text = (value or "").strip()
    if not text:
        raise UsageError("empty_text", field=field)
    if len(text) > TEXT_MAX:
        raise UsageError("too_long", field=field, length=len(text), limit=TEXT_MAX)
    return text


def optional_plan_text(value: str | None, field: str) -> str | None:
    return plan_text(value, field) if value is not None and value.strip() else None


# ------------------------------------------------------------------ finding rows


def candidates(rows: Sequence[Customer | Person], total: int | None = None) -> str:
    """The first few of several matches, for an Ambiguous error."""
    total = len(rows) if total is None else total
    shown = ", ".join(f"#{r.id} {r.name}" for r in rows[:8])
    return shown + (f" (+{total - 8})" if total > 8 else "")


def numbered(s: Session, model: type[SQLModel], ref: str | int, missing: str):
    """A row by its number (12 or #12), or NotFound with the message key ``missing``."""
    text = str(ref).strip().lstrip("#")
    found = s.get(model, int(text)) if is_id(text) else None
    if found is None:
        raise NotFound(missing, ref=ref)
    return found


def core_rows(s: Session, q) -> Sequence:
    """A column query's rows through Core rather than the ORM: the same values (the
    columns' types still convert them) without the ORM's per-row work, for the queries
    that return the whole book."""
    return s.connection().execute(q).all()


# ------------------------------------------------------------------ history

_ACTING = object()  # event's default actor: the session's acting salesperson


def _in_order(s: Session, customer: Customer, at: datetime) -> datetime:
    """An undated event happens now, but never before the customer's latest event: a clock
    set back (or a colleague's skewed laptop on a server book) would otherwise put the
    history out of order. Dated events (--date) are checked by stages.check_in_order."""
    if customer.id is None:
        return at
    latest = s.exec(select(func.max(Event.at)).where(Event.customer_id == customer.id)).one()
    if latest is None:
        return at
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    return max(at, latest)


def event(
    s: Session, customer: Customer, kind: str, on: date | None = None, actor: object = _ACTING,
    **fields: object,
) -> Event:
    """A dated event of the customer's history, by the acting salesperson unless ``actor``
    says otherwise (None: kehu itself, e.g. a customer returning to the public pool)."""
    detail = fields.pop("detail", None)
    ev = Event(
        customer_id=customer.id,
        at=_in_order(s, customer, moment_on(on)) if on is None else moment_on(on),
        kind=kind,
        detail=json.dumps(detail, ensure_ascii=False) if detail is not None else None,
        actor=s.info.get("actor") if actor is _ACTING else actor,
        **fields,
    )
    s.add(ev)
    return ev


def edited(s: Session, customer: Customer, what: str, ident: int | None, fields: Sequence[str]) -> Event:
    """A record under the customer was changed: its kind, number and the fields' names (never
    their values, which may be private)."""
    return event(s, customer, "edited", detail={"what": what, "id": ident, "fields": list(fields)})


def deleted(s: Session, customer: Customer, what: str, ident: int | None, **facts: object) -> Event:
    """A record under the customer was deleted: its kind, number and a few facts that name
    it (a date, a kind, a person's name), never a private field."""
    return event(s, customer, "deleted", detail={"what": what, "id": ident, **facts})

"""Writing CSV: the book's tables read back in id order, streamed, and files written safely.

Export escapes formula triggers: a text cell that starts with ``= + - @``, a tab, CR, LF
or an apostrophe gets one leading apostrophe, which import removes again, so a round
trip restores every value exactly and Excel never evaluates typed data. A file is
written whole or not at all, owner-only (kehu.files).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from sqlalchemy import Date, String, type_coerce
from sqlmodel import Session, select

from kehu.csvio.columns import FORMULA_START, TABLES, export_columns
from kehu.money import amount_text
from kehu.models import Contract, Customer, CustomerAlias, Instalment, Person, Promise, Touchpoint, TouchpointPerson

# ---------------------------------------------------------------- files


def write_atomic(target: Path, rows: Iterator[list[str]], *, excel: bool) -> int:
    """Write rows to ``target`` whole or not at all (kehu.files), owner-only; ``-``, a
    device or a FIFO is streamed into instead (kehu.files.in_place)."""
    from kehu.files import write_atomic as write

    return write(target, lambda fh: _write_rows(fh, rows), encoding="utf-8-sig" if excel else "utf-8",
                 make_parents=True, dash=True)


def write_all_atomic(items: list[tuple[Path, Iterator[list[str]]]], *, excel: bool) -> list[int]:
    """Several CSV files (an export folder), all written or none (kehu.files)."""
    from kehu.files import write_all_atomic as write_all

    return write_all([(target, (lambda batch: lambda fh: _write_rows(fh, batch))(rows)) for target, rows in items],
                     encoding="utf-8-sig" if excel else "utf-8", make_parents=True)


def write_stream(fh: io.TextIOBase, rows: Iterator[list[str]], *, excel: bool) -> int:
    if excel:
        fh.write("\ufeff")
    return _write_rows(fh, rows)


def _write_rows(fh, rows: Iterator[list[str]]) -> int:
    """RFC 4180 rows; returns how many records followed the header."""
    writer = csv.writer(fh, lineterminator="\r\n")
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count - 1


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return escape(str(value))


def escape(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


# ---------------------------------------------------------------- the book's rows
#
# Export reads with Core selects of exactly the exported columns, streamed in partitions
# (constant memory), never as ORM objects: building 1.5 million SQLModel instances to
# write a few of their attributes was three quarters of the time (7.5× the raw floor).
# Cells go to csv.writer as they come, through _cells, one call per row.


_TRIGGERS = frozenset(FORMULA_START)
_PARTITION = 2000


def _cells(row) -> list:
    """``cell`` over a whole row in one pass, for csv.writer: text that starts with
    a formula trigger gets its apostrophe; None, ints (ids, sequence numbers and ratings,
    never negative) and dates go as they are, and csv.writer writes them as "", str()
    and isoformat: the very text ``cell`` makes. (A per-cell function call cost twice
    as much over the 1.5 million rows of a large book.)"""
    return [v if not v or v.__class__ is not str or v[0] not in _TRIGGERS else "'" + v for v in row]


def _day(column):
    """A date column as the text the database gives, not parsed into a date to be
    formatted back: SQLite stores a date as its ISO text, which is what the export
    writes; a driver that returns date objects (PostgreSQL's) still gets the same text
    from csv.writer's str(). Parsing 2 million dates cost half a second."""
    return type_coerce(column, String)


def export_rows(s: Session, table: str, include_private: bool) -> Iterator[list]:
    """The header, then every record in id order, streamed from the database."""
    cols = export_columns(table, include_private)
    yield [c.key for c in cols]
    yield from globals()[f"_rows_{table}"](s, [c.key for c in cols])


def in_chinese(table: str, rows: Iterator[list]) -> Iterator[list]:
    """``export_rows`` for people (kehu export --headers zh): the header's Chinese names
    and the enumerated values' Chinese labels (陌生期, 高层). The importer reads both back
    to the same keys, so the round trip changes nothing."""
    from kehu.i18n import label

    by_key = {c.key: c for c in TABLES[table]}
    cols = [by_key[k] for k in next(rows)]
    yield [c.zh for c in cols]
    enums = [(i, c.kind[5:]) for i, c in enumerate(cols) if c.kind.startswith("enum:")]
    if not enums:
        yield from rows
        return
    for row in rows:
        row = list(row)
        for i, enum in enums:
            if row[i]:
                row[i] = label(enum, row[i], "zh")
        yield row


def _partitions(s: Session, stmt) -> Iterator:
    """Rows of a Core select in lists of _PARTITION, on the session's connection (inside
    the command's transaction), buffered a partition at a time."""
    conn = s.connection()
    result = conn.execute(stmt.execution_options(yield_per=_PARTITION))
    try:
        yield from result.partitions()
    finally:
        # An export that stops early (a full disk, a closed pipe) must close its cursor:
        # on a server it is a named cursor, left open until garbage collection otherwise.
        # Once the command's connection is gone, only the driver's cursor object is left
        # to mark closed (SQLAlchemy would log a traceback trying more).
        with suppress(Exception):
            if not conn.closed and not conn.invalidated:
                result.close()
            elif result.cursor is not None:
                result.cursor.close()


def _table_rows(s: Session, keys: list[str], columns: dict, convert: dict, source, order_by: tuple):
    """The export of one table: ``columns`` maps each key to its column, ``convert`` the
    few keys whose stored value is not their cell (cents, a moment) to a function."""
    stmt = select(*(_day(columns[k]) if isinstance(columns[k].type, Date) else columns[k] for k in keys)) \
        .select_from(source).order_by(*order_by)
    fix = [(i, convert[k]) for i, k in enumerate(keys) if k in convert]
    for part in _partitions(s, stmt):
        for row in part:
            if fix:
                row = list(row)
                for i, f in fix:
                    row[i] = f(row[i])
            yield _cells(row)


def _joined(table, customer_id):
    """``table`` joined to its customer, for the customer's name."""
    c = Customer.__table__.c
    return table.join(Customer.__table__, c.id == customer_id)


def _terminated_on(moment):
    from kehu.dates import to_local

    return to_local(moment).date() if moment else None


def _rows_customers(s: Session, keys: list[str]) -> Iterator[list]:
    c = Customer.__table__.c
    columns = {"id": c.id, "name": c.name, "industry": c.industry, "region": c.region, "kind": c.kind,
               "level": c.level, "value": c.value_cents, "owner": c.owner, "note": c.note, "stage": c.stage,
               "profit_now": c.profit_now, "profit_future": c.profit_future, "service_cost": c.service_cost,
               "added_on": c.added_on, "terminated_on": c.terminated_at, "terminated_reason": c.terminated_reason,
               "phone": c.phone, "address": c.address, "website": c.website, "aliases": c.id}
    convert = {"value": amount_text, "terminated_on": _terminated_on}
    if "aliases" in keys:  # a customer's short names, one a line (a few per customer at most)
        a = CustomerAlias.__table__.c
        names: dict[int, list[str]] = {}
        for part in _partitions(s, select(a.customer_id, a.alias).order_by(a.id)):
            for cid, alias in part:
                names.setdefault(cid, []).append(alias)
        convert["aliases"] = lambda cid: _names_cell(names.get(cid, []))
    yield from _table_rows(s, keys, columns, convert, Customer.__table__, (c.id,))


def _names_cell(names: list[str]) -> str:
    """Names one a line; a single name holding a separator gets a newline after it, so that
    the import splits on lines only (as the people met of a touchpoint)."""
    cell = "\n".join(names)
    if len(names) == 1 and any(sep in cell for sep in "、；;，,"):
        cell += "\n"
    return cell


def _rows_people(s: Session, keys: list[str]) -> Iterator[list]:
    p = Person.__table__.c
    columns = {k: p[k] for k in keys if k != "customer"}
    columns["customer"] = Customer.__table__.c.name
    yield from _table_rows(s, keys, columns, {}, _joined(Person.__table__, p.customer_id), (p.id,))


def _rows_touchpoints(s: Session, keys: list[str]) -> Iterator[list]:
    t, tp, p = Touchpoint.__table__.c, TouchpointPerson.__table__.c, Person.__table__.c
    # The people met, in a second stream merged by touchpoint id: one name per line, in
    # person id order (person_id is Person.id: ordering by it uses the link table's key).
    links = (row for part in _partitions(s, select(tp.touchpoint_id, p.name).select_from(
        TouchpointPerson.__table__.join(Person.__table__, p.id == tp.person_id)).order_by(
        tp.touchpoint_id, tp.person_id)) for row in part)
    groups = groupby(links, key=itemgetter(0))
    ltid, lnames = next(groups, (None, None))
    stmt = select(t.id, Customer.__table__.c.name, _day(t.day), t.kind, t.note, t.signals, t.next_step,
                  _day(t.next_due), _day(t.next_done_on), t.channel) \
        .select_from(_joined(Touchpoint.__table__, t.customer_id)).order_by(t.id)
    order = ["id", "customer", "date", "kind", "with", "note", "signals", "next", "next_due", "next_done", "channel"]
    pick = None if keys == order else [order.index(k) for k in keys]
    for part in _partitions(s, stmt):
        for tid, customer, day, kind, note, signals, next_step, next_due, next_done, channel in part:
            with_cell = ""
            while ltid is not None and ltid <= tid:
                if ltid == tid:
                    names = [name for _, name in lnames]
                    with_cell = "\n".join(names)
                    if len(names) == 1 and any(sep in with_cell for sep in "、；;，,"):
                        with_cell += "\n"  # one name holding a separator: the newline says "split on lines"
                ltid, lnames = next(groups, (None, None))
            if signals:
                signals = "\n".join(json.loads(signals))
            row = _cells((tid, customer, day, kind, with_cell, note, signals, next_step, next_due, next_done, channel))
            yield row if pick is None else [row[i] for i in pick]


def _rows_promises(s: Session, keys: list[str]) -> Iterator[list]:
    p = Promise.__table__.c
    columns = {"id": p.id, "customer": Customer.__table__.c.name, "touchpoint": p.touchpoint_id, "text": p.text,
               "made_on": p.made_on, "due": p.due, "kept_on": p.kept_on, "broken_on": p.broken_on}
    yield from _table_rows(s, keys, columns, {}, _joined(Promise.__table__, p.customer_id), (p.id,))


def _rows_contracts(s: Session, keys: list[str]) -> Iterator[list]:
    k = Contract.__table__.c
    columns = {"id": k.id, "customer": Customer.__table__.c.name, "title": k.title, "amount": k.amount_cents,
               "currency": k.currency, "status": k.status, "expected_on": k.expected_on, "signed_on": k.signed_on,
               "completed_on": k.completed_on, "lost_on": k.lost_on, "lost_reason": k.lost_reason,
               "aftercare_due": k.aftercare_due, "aftercare_done": k.aftercare_done_on, "note": k.note}
    yield from _table_rows(s, keys, columns, {"amount": amount_text}, _joined(Contract.__table__, k.customer_id),
                           (k.id,))


def _rows_instalments(s: Session, keys: list[str]) -> Iterator[list]:
    i = Instalment.__table__.c
    columns = {"id": i.id, "contract": i.contract_id, "seq": i.seq, "amount": i.amount_cents, "due": i.due,
               "paid": i.paid_cents, "paid_on": i.paid_on}
    yield from _table_rows(s, keys, columns, {"amount": amount_text, "paid": amount_text}, Instalment.__table__,
                           (i.contract_id, i.seq))

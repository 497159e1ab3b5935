"""The operation log behind `kehu undo` and `kehu redo`: what one command changed, kept so
that it can be reversed exactly.

Every write command runs in one transaction (kehu.book); while it runs, a Recorder on
the connection sees each INSERT, UPDATE and DELETE that SQLAlchemy sends (ORM flushes
and Core statements alike) and notes, for each row touched, the row as it was before the
command's first change to it: None for a row the command created. At the end of the
command the notes become one ``operation`` row, written in the same transaction, so a
command and its log entry are committed together or not at all.

Undo puts every noted row back as it was, newest change first (children before parents,
so foreign keys hold), and keeps what it replaced, so that redo can put that back.
The log keeps no copy of rows a command created: undo reads them at the time it removes
them. An import of 100,000 rows is noted as a few id ranges, not 100,000 images.

Some tables are not the user's records and are never logged: the schema stamp, what
`kehu remind --new` listed last, and this log itself.

Changes are encoded as JSON lists, one per row or run of rows, in the order they happened:
  ["r", table, lo, hi]          rows lo..hi of a table with an integer id were created
  ["c", table, [pk, ...]]       rows with these primary keys (lists) were created
  ["k", table, column, lo, hi]  every row whose column (part of its key, pointing at a
                                parent) is in lo..hi was created: the parents lo..hi are
                                new, so nothing else can point at them (an import's
                                people met, under its new touchpoints)
  ["u", table, pk, values]      the row existed before, with these column values
Undo's record for redo, in the same order:
  ["i", table, rows]            insert these rows (what undo removed from a range)
  ["s", table, pk, values]      put the row back to these values (None: remove it)
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table

KEY = "kehu_oplog"  # the Recorder's place in Connection.info while a write command runs
KEEP = 200  # operations kept for undo; kehu's own choice (docs/commands.md, kehu undo)
NOT_LOGGED = frozenset({"kehu_meta", "remind_seen", "operation"})


def attach(engine: Engine) -> None:
    """Let Recorders see what runs on this engine's connections (once per engine)."""
    from sqlalchemy import event

    event.listen(engine, "before_execute", _before)
    event.listen(engine, "after_execute", _after)


def start(conn: Connection, command: str | None, actor: str | None, *, team: bool = False) -> Recorder | None:
    """Note every change from now on, for this command; None when the command is not logged.
    ``team``: a server book, where each salesperson undoes and redoes only their own."""
    import os

    if not command or os.environ.get("KEHU_OPLOG") == "0":  # the benchmark's measure of the log's cost
        return None
    rec = Recorder(command, actor, team, conn)
    conn.info[KEY] = rec
    return rec


def stop(conn: Connection) -> None:
    conn.info.pop(KEY, None)


def seal(conn: Connection) -> None:
    """`kehu person forget`: from here on nothing earlier can be undone, and the log keeps
    no row image of anything (a private field of the forgotten person could be in one).
    The forget itself is listed, with counts only."""
    from sqlalchemy import update

    from kehu.models import Operation

    op = Operation.__table__
    conn.execute(update(op).where(op.c.state == "done").values(state="sealed", changes=None))
    conn.execute(update(op).where(op.c.state == "undone").values(state="dropped", changes=None, redo=None))
    rec = conn.info.get(KEY)
    if rec is not None:
        rec.sealed = True


def _table(name: str) -> Table:
    from sqlmodel import SQLModel

    import kehu.models  # noqa: F401 - the tables' definitions

    return SQLModel.metadata.tables[name]


class Recorder:
    def __init__(self, command: str, actor: str | None, team: bool, conn: Connection) -> None:
        self.info = conn.info  # (kept: a connection cut by Ctrl-C can no longer hand it out)
        self.command = command
        self.actor = actor
        self.team = team
        # What changed, in order: a row's key (its before-image in ``rows``), or rows
        # created at once (an import's batches): ("run", table, lo, hi) for a run of ids,
        # ("kspan", table, column, lo, hi, count) for rows under parents created in a run,
        # else ("batch", table, keys).
        self.order: list[tuple] = []
        self.rows: dict[tuple[str, tuple], dict | None] = {}  # (table, pk) -> before, None if created
        self.batched: dict[str, set[tuple]] = {}  # table -> keys created in batches (irregular ones)
        # Batches kept as ranges, not keys (an import of 1,000,000 touchpoints and their
        # people met held 240 MB of key tuples): table -> runs of ids created, and table ->
        # (key column's place, lo, hi) of rows created under parents created in a run.
        self.runs: dict[str, list[tuple[int, int]]] = {}
        self.kspans: dict[str, list[tuple[int, int, int]]] = {}
        self.watermarks: list[tuple[str, int]] = []
        self.busy = False
        self.sealed = False

    # -- noting ---------------------------------------------------------------

    def before_write(self, conn, stmt, params: list[dict]) -> None:
        from sqlalchemy import select
        from sqlalchemy.sql.dml import Delete, Insert, Update

        table = stmt.table
        if table.name in NOT_LOGGED:
            return
        if isinstance(stmt, Insert):
            pk = [c.key for c in table.primary_key.columns]
            if not params or any(k not in p for p in params for k in pk):
                # Ids the database will choose: note the largest one now (the write lock
                # is held, nobody else inserts), the rows above it afterwards.
                if len(pk) == 1:
                    self.watermarks.append((table.name, self.top(conn, table)))
            return
        if isinstance(stmt, Update):
            keys = {c.key for c in table.primary_key.columns}
            changed = {getattr(k, "key", k) for k in (getattr(stmt, "_values", None) or {})}
            if keys & changed:
                # Undo would put the old row back beside the moved one: write such a move
                # as a delete and an insert (kehu.store.names does).
                raise RuntimeError(f"kehu.oplog: an UPDATE of {table.name}'s primary key cannot be undone")
        if isinstance(stmt, (Update, Delete)):
            query = select(table)
            if stmt.whereclause is not None:
                query = query.where(stmt.whereclause)
            for p in params or [{}]:
                for row in conn.execute(query, p).mappings():
                    self._note(table, dict(row))

    def after_insert(self, conn, stmt, params: list[dict], result) -> None:

        table = stmt.table
        if table.name in NOT_LOGGED:
            return
        pk = [c.key for c in table.primary_key.columns]
        if params and all(k in p for p in params for k in pk):
            keys = [tuple(p[k] for k in pk) for p in params]
        else:
            top = self.watermarks.pop()[1] if len(pk) == 1 else None
            try:
                keys = [tuple(r) for r in result.inserted_primary_key_rows]
            except Exception:  # noqa: BLE001 - not every driver reports them; the watermark does
                keys = [(None,)]
            if any(None in k for k in keys) and top is not None:
                self.created_above(conn, table, top)
                return
        for k in keys:
            self._created((table.name, k))

    def top(self, conn, table: Table) -> int:
        """The largest id of a table before an insert whose ids the database chooses."""
        from sqlalchemy import func, select

        (col,) = table.primary_key.columns
        return conn.execute(select(func.max(col))).scalar() or 0

    def created_above(self, conn, table: Table, top: int) -> None:
        from sqlalchemy import select

        (col,) = table.primary_key.columns
        self.inserted(table, [(v,) for v in conn.execute(select(col).where(col > top).order_by(col)).scalars()])

    def inserted(self, table: Table, keys: list[tuple]) -> None:
        """A batch of new rows (csvio's fast path, which bypasses SQLAlchemy's statement
        events): kept as one entry, not row by row."""
        if not keys:
            return
        name, first = table.name, keys[0]
        if len(first) == 1 and isinstance(first[0], int):
            lo, hi = first[0], keys[-1][0]
            if hi - lo + 1 == len(keys) and all(k[0] == lo + i for i, k in enumerate(keys)):
                runs = self.runs.setdefault(name, [])
                last = self.order[-1] if self.order else None
                if last and last[0] == "run" and last[1] == name and last[3] + 1 == lo:
                    self.order[-1] = ("run", name, last[2], hi)
                    runs[-1] = (runs[-1][0], hi)
                else:
                    self.order.append(("run", name, lo, hi))
                    runs.append((lo, hi))
                return
        else:
            for at, col in enumerate(table.primary_key.columns):
                for fk in col.foreign_keys:
                    values = [k[at] for k in keys]
                    lo, hi = min(values), max(values)
                    if any(a <= lo and hi <= b for a, b in self.runs.get(fk.column.table.name, ())):
                        self.order.append(("kspan", name, col.key, lo, hi, len(keys)))
                        self.kspans.setdefault(name, []).append((at, lo, hi))
                        return
        self.order.append(("batch", name, keys))
        self.batched.setdefault(name, set()).update(keys)

    def _in_batch(self, name: str, pk: tuple) -> bool:
        """Whether a batch of this operation created the row with this key."""
        if pk in self.batched.get(name, ()):
            return True
        if len(pk) == 1 and any(lo <= pk[0] <= hi for lo, hi in self.runs.get(name, ())):
            return True
        return any(lo <= pk[at] <= hi for at, lo, hi in self.kspans.get(name, ()))

    def _created(self, key: tuple[str, tuple]) -> None:
        if key not in self.rows:
            self.rows[key] = None
            self.order.append(key)

    def _note(self, table, row: dict) -> None:
        pk = tuple(row[c.key] for c in table.primary_key.columns)
        key = (table.name, pk)
        if key not in self.rows and not self._in_batch(table.name, pk):
            self.rows[key] = row
            self.order.append(key)

    def abandon(self) -> None:
        """The command failed: its transaction is rolled back, nothing is logged."""
        self.info.pop(KEY, None)

    # -- writing the operation -------------------------------------------------

    def finish(self, conn) -> int | None:
        """Write the operation row (in the command's transaction); None if nothing changed."""
        stop(conn)
        if not self.order:
            return None
        from sqlalchemy import delete, insert, update

        from kehu.models import Operation, utcnow

        encoded = encode_changes(self.order, self.rows)
        changes = None if self.sealed else encoded
        summary = _summary(self.order, self.rows)
        customers = sorted(_customers(conn, encoded))
        op = Operation.__table__
        # A new write ends what could be redone (the acting user's own, on a team's book).
        # Those operations stay listed as undone, without their row images, so that their
        # numbers are never given to another operation and the history keeps the undo.
        gone = op.c.state == "undone"
        conn.execute(update(op).where(gone & (op.c.actor == self.actor) if self.team else gone)
                     .values(state="dropped", changes=None, redo=None))
        result = conn.execute(insert(op).values(
            at=utcnow(), actor=self.actor, command=self.command[:64], state="sealed" if self.sealed else "done",
            changes=None if changes is None else json.dumps(changes, ensure_ascii=False, separators=(",", ":")),
            summary=json.dumps(summary, separators=(",", ":")),
            customers=json.dumps(customers, separators=(",", ":")),
        ))
        ident = result.inserted_primary_key[0]
        # The log is for mistakes just made, not an archive: the oldest go.
        conn.execute(delete(op).where(op.c.id <= ident - KEEP))
        return ident


def _before(conn, stmt, multiparams, params, execution_options):
    rec = conn.info.get(KEY)
    if rec is None or rec.busy:
        return
    from sqlalchemy.sql.dml import UpdateBase

    if not isinstance(stmt, UpdateBase):
        return
    rec.busy = True
    try:
        rec.before_write(conn, stmt, _paramsets(multiparams, params))
    finally:
        rec.busy = False


def _after(conn, stmt, multiparams, params, execution_options, result):
    rec = conn.info.get(KEY)
    if rec is None or rec.busy:
        return
    from sqlalchemy.sql.dml import Insert

    if not isinstance(stmt, Insert):
        return
    rec.busy = True
    try:
        rec.after_insert(conn, stmt, _paramsets(multiparams, params), result)
    finally:
        rec.busy = False


def _paramsets(multiparams, params) -> list[dict]:
    if multiparams:
        return [dict(p) for p in multiparams if isinstance(p, dict)]
    return [dict(params)] if params else []


# -- encoding -------------------------------------------------------------------


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def encode_row(table: Table, row: dict) -> list:
    return [_plain(row[c.key]) for c in table.columns]


def decode_row(table: Table, values: list) -> dict:
    """A row image back as a row. An image kept from before a later schema step added
    columns is shorter: steps only append columns, and a row that existed then got NULL
    in each of them, so that is what the missing tail is."""
    columns = list(table.columns)
    if len(values) > len(columns):
        raise ValueError(f"a row image of {table.name} has {len(values)} values for {len(columns)} columns")
    values = list(values) + [None] * (len(columns) - len(values))
    return {col.key: _value(col, v) for col, v in zip(columns, values, strict=True)}


def _value(col, v):
    """A JSON value back as the column's Python value (dates and moments were ISO text)."""
    if not isinstance(v, str):
        return v
    from sqlalchemy import Date, DateTime

    kind = getattr(col.type, "impl", col.type)  # kehu's UTCDateTime decorates DateTime
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return date.fromisoformat(v)
    return v


def encode_changes(order: list, rows: dict[tuple[str, tuple], dict | None]) -> list:
    out: list = []

    def created(name: str, pk: tuple) -> None:
        last = out[-1] if out else None
        if len(pk) == 1 and isinstance(pk[0], int):
            if last and last[0] == "r" and last[1] == name and last[3] + 1 == pk[0]:
                last[3] = pk[0]
            else:
                out.append(["r", name, pk[0], pk[0]])
        elif last and last[0] == "c" and last[1] == name:
            last[2].append([_plain(v) for v in pk])
        else:
            out.append(["c", name, [[_plain(v) for v in pk]]])

    spans: dict[str, list[tuple[int, int]]] = {}  # what was created, by table, for "k"
    for item in order:
        if item[0] == "batch":
            _batch(out, item[1], item[2], created, spans)
            continue
        if item[0] == "run":
            _, name, lo, hi = item
            created(name, (lo,))
            out[-1][3] = hi
            spans.setdefault(name, []).append((lo, hi))
            continue
        if item[0] == "kspan":
            _, name, column, lo, hi, _n = item
            last = out[-1] if out else None
            if last and last[0] == "k" and last[1] == name and last[2] == column and last[4] + 1 >= lo:
                last[4] = max(last[4], hi)
            else:
                out.append(["k", name, column, lo, hi])
            continue
        name, pk = item
        before = rows[item]
        if before is None:
            created(name, pk)
        else:
            out.append(["u", name, [_plain(v) for v in pk], encode_row(_table(name), before)])
    return out


def _batch(out: list, name: str, keys: list[tuple], created, spans: dict) -> None:
    """A batch of created rows, encoded without a call per row: an import's 100,000."""
    first = keys[0]
    if len(first) == 1 and isinstance(first[0], int):
        ints = [k[0] for k in keys]
        if ints == list(range(ints[0], ints[0] + len(ints))):  # the usual case: ids in a run
            created(name, first)
            out[-1][3] = ints[-1]
            spans.setdefault(name, []).append((ints[0], ints[-1]))
            return
    elif _under_new_parents(out, name, keys, spans):
        return
    elif all(isinstance(v, (int, str)) for v in first):
        last = out[-1] if out else None
        plain = [list(k) for k in keys]
        if last and last[0] == "c" and last[1] == name:
            last[2].extend(plain)
        else:
            out.append(["c", name, plain])
        return
    for pk in keys:
        created(name, pk)


def _under_new_parents(out: list, name: str, keys: list[tuple], spans: dict) -> bool:
    """Rows keyed by a parent that this operation created in one run of ids: noted as the
    span of parents ("k"), not key by key."""
    table = _table(name)
    for at, col in enumerate(table.primary_key.columns):
        for fk in col.foreign_keys:
            parent = fk.column.table.name
            values = [k[at] for k in keys]
            lo, hi = min(values), max(values)
            if any(a <= lo and hi <= b for a, b in spans.get(parent, ())):
                last = out[-1] if out else None
                if last and last[0] == "k" and last[1] == name and last[2] == col.key and last[4] + 1 >= lo:
                    last[4] = max(last[4], hi)
                else:
                    out.append(["k", name, col.key, lo, hi])
                return True
    return False


def _summary(order: list, rows: dict[tuple[str, tuple], dict | None]) -> dict[str, list[int]]:
    """Per table: rows created, rows that existed before (changed or removed)."""
    out: dict[str, list[int]] = {}
    for item in order:
        if item[0] == "batch":
            out.setdefault(item[1], [0, 0])[0] += len(item[2])
        elif item[0] == "run":
            out.setdefault(item[1], [0, 0])[0] += item[3] - item[2] + 1
        elif item[0] == "kspan":
            out.setdefault(item[1], [0, 0])[0] += item[5]
        else:
            out.setdefault(item[0], [0, 0])[0 if rows[item] is None else 1] += 1
    return out


def _customers(conn, changes: list) -> set[int]:
    """The customers an operation touched: for `undo --list` and for telling, on a team's
    book, whether a colleague changed the same customers since. Read from the encoded
    changes, so that an import's ranges cost one query each, not one per row."""
    from sqlalchemy import select

    found: set[int] = set()
    via: dict[str, set] = {}  # parent table -> ids to look up
    for entry in changes:
        kind, name = entry[0], entry[1]
        table = _table(name)
        if kind == "u":
            _owner_of(name, decode_row(table, entry[3]), found, via)
            continue
        if kind == "k":
            continue  # under parents of this same operation, whose own range names the customers
        column, parent = _owner_column(table)
        if kind == "r":
            (pk,) = table.primary_key.columns
            if column is None:
                continue
            owners = conn.execute(select(table.c[column]).where(pk.between(entry[2], entry[3])).distinct()).scalars()
            _owners(column, parent, owners, found, via)
            continue
        cols = list(table.primary_key.columns)
        keys = [c.key for c in cols]
        if column in keys:  # the parent is part of the key: no query
            at = keys.index(column)
            _owners(column, parent, {pk[at] for pk in entry[2]}, found, via)
            continue
        for pk in entry[2]:
            row = conn.execute(select(table).where(_where_pk(table, pk))).mappings().first()
            if row is not None:
                _owner_of(name, row, found, via)
    # Parents, in the order that resolves chains (option -> issue -> contract -> customer).
    # Those the operation created itself were counted with their own range above.
    made = {}
    for entry in changes:
        if entry[0] == "r":
            made.setdefault(entry[1], []).append((entry[2], entry[3]))
    for parent in ("negotiation_issue", "touchpoint", "contract"):
        spans = sorted(made.get(parent, []))
        ids = sorted(i for i in via.pop(parent, set()) if not _within(spans, i))
        table = _table(parent)
        column, grand = _owner_column(table)
        for i in range(0, len(ids), 500):
            owners = conn.execute(select(table.c[column]).where(table.c.id.in_(ids[i:i + 500])).distinct())
            _owners(column, grand, owners.scalars(), found, via)
    return found


def _within(spans: list[tuple[int, int]], i: int) -> bool:
    """Is ``i`` in one of these sorted, disjoint (lo, hi) spans?"""
    from bisect import bisect_right

    at = bisect_right(spans, (i, float("inf"))) - 1
    return at >= 0 and i <= spans[at][1]


def _owner_column(table: Table) -> tuple[str | None, str | None]:
    """The column that leads from a row of this table towards its customer, and the
    table it points at (None: the customer itself)."""
    if table.name == "customer":
        return "id", None
    for column, parent in _PARENT_COLUMNS:
        if column in table.c:
            return column, parent
    return None, None


def _owners(column: str, parent: str | None, values, found: set[int], via: dict[str, set]) -> None:
    values = [v for v in values if v is not None]
    if parent is None:
        found.update(values)
    else:
        via.setdefault(parent, set()).update(values)


_PARENT_COLUMNS = (("customer_id", None), ("contract_id", "contract"), ("touchpoint_id", "touchpoint"),
                   ("issue_id", "negotiation_issue"))


def _owner_of(name: str, row, found: set[int], via: dict[str, set]) -> None:
    column, parent = _owner_column(_table(name))
    if column is not None:
        _owners(column, parent, [row.get(column)], found, via)


# -- reversing ------------------------------------------------------------------


def _where_pk(table: Table, pk: list):
    """The row with this primary key, as the log writes it (JSON values)."""
    return _key_is(table, decode_row_pk(table, pk))


def _key_is(table: Table, values):
    from sqlalchemy import and_

    return and_(*(c == v for c, v in zip(table.primary_key.columns, values, strict=True)))


def decode_row_pk(table: Table, pk: list) -> list:
    return [_value(col, v) for col, v in zip(table.primary_key.columns, pk, strict=True)]


def undo(conn, changes: list) -> list:
    """Put back every row as the operation found it; returns what redo needs."""
    from sqlalchemy import insert, select, update

    redo: list = []
    for entry in reversed(changes):
        kind, name = entry[0], entry[1]
        table = _table(name)
        if kind == "r":
            (col,) = table.primary_key.columns
            redo.append(["i", name, _take_span(conn, table, col, entry[2], entry[3])])
            continue
        if kind == "k":
            redo.append(["i", name, _take_span(conn, table, table.c[entry[2]], entry[3], entry[4])])
            continue
        if kind == "c":
            redo.append(["i", name, _remove(conn, table, entry[2])])
            continue
        pk = entry[2]
        where = _where_pk(table, pk)
        current = conn.execute(select(table).where(where)).mappings().first()
        redo.append(["s", name, pk, None if current is None else encode_row(table, dict(current))])
        before = decode_row(table, entry[3])
        if current is None:
            conn.execute(insert(table).values(**before))
        else:
            conn.execute(update(table).where(where).values(**before))
    redo.reverse()
    return redo


def _take_span(conn, table: Table, col, lo: int, hi: int) -> list:
    """Delete the rows whose ``col`` is in lo..hi (created by the operation); returns them
    as they were, for redo."""
    from sqlalchemy import delete, select

    span = col.between(lo, hi)
    rows = [encode_row(table, dict(r)) for r in conn.execute(select(table).where(span).order_by(col)).mappings()]
    conn.execute(delete(table).where(span))
    return rows


def _remove(conn, table: Table, pks: list) -> list:
    """Delete these rows (created by the operation); returns them as they were, for redo.
    A row made of its key alone (a person met at a touchpoint) is not read first."""
    from sqlalchemy import and_, bindparam, delete, select

    cols = list(table.primary_key.columns)
    keys = [decode_row_pk(table, pk) for pk in pks]
    if len(cols) == len(table.columns):
        rows = [encode_row(table, dict(zip([c.key for c in cols], k, strict=True))) for k in keys]
    else:
        rows = []
        for k in keys:
            found = conn.execute(select(table).where(_key_is(table, k))).mappings()
            rows.extend(encode_row(table, dict(r)) for r in found)
    names = [f"k{i}" for i in range(len(cols))]
    stmt = delete(table).where(and_(*(c == bindparam(n) for c, n in zip(cols, names, strict=True))))
    conn.execute(stmt, [dict(zip(names, k, strict=True)) for k in keys])
    return rows


def redo(conn, entries: list) -> None:
    """Apply again what undo took away, in the order it first happened."""
    from sqlalchemy import delete, insert, select, update

    for entry in entries:
        kind, name = entry[0], entry[1]
        table = _table(name)
        if kind == "i":
            rows = [decode_row(table, r) for r in entry[2]]
            for i in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[i:i + 5000])
            continue
        where = _where_pk(table, entry[2])
        values = entry[3]
        exists = conn.execute(select(*table.primary_key.columns).where(where)).first() is not None
        if values is None:
            if exists:
                conn.execute(delete(table).where(where))
        elif exists:
            conn.execute(update(table).where(where).values(**decode_row(table, values)))
        else:
            conn.execute(insert(table).values(**decode_row(table, values)))

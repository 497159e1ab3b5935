"""The schema kehu itself makes at each version, and the first way a book file differs.

A book offered to `kehu restore` is untrusted input, and so is its schema: a trigger can
delete every new touchpoint after kehu said "Recorded", or copy a private field into a
note when `person forget` deletes the person; a ``CHECK (0)`` spliced into a table, or a
version stamp that lies, breaks kehu later. So the file's ``sqlite_master`` (tables,
their columns and constraints, indexes, triggers, views) is compared, statement by
statement with white space collapsed, against what running kehu's own migrations up to
the file's version creates in an in-memory database (built once per version and kept).

Two historical differences are accepted on purpose, both from schema-1 books written by
the release of step 1 (tests/fixtures/books/v1.db; docs/reliability.md, "Upgrades"):
``name_key`` declared ``VARCHAR(200)`` (later 800; SQLite ignores declared lengths and
kehu never rebuilds a table to change it), and, before step 4 rebuilt it, the touchpoint
index without ``kind``.
"""

from __future__ import annotations

import re
from functools import cache

from kehu.errors import Said

# SQLite's own bookkeeping tables, present or not depending on what ran (AUTOINCREMENT,
# ANALYZE / PRAGMA optimize): not part of what kehu declares.
_INTERNAL = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

_OLD_NAME_KEY = "name_key VARCHAR(200) NOT NULL"
_NAME_KEY = "name_key VARCHAR(800) NOT NULL"
_OLD_TOUCH_INDEX = "CREATE INDEX ix_touchpoint_customer_day ON touchpoint (customer_id, day)"
_TOUCH_INDEX = "CREATE INDEX ix_touchpoint_customer_day ON touchpoint (customer_id, day, kind)"
_TOUCH_INDEX_STEP = 4

_KIND_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}


def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


def objects(conn) -> dict[tuple[str, str], tuple[str, str]]:
    """{(type, name): (table it belongs to, normalised SQL)} from a sqlite3 connection."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(t, n): (tbl, _norm(sql)) for t, n, tbl, sql in rows if not (t == "table" and n in _INTERNAL)}


@cache
def expected(version: int) -> dict[tuple[str, str], tuple[str, str]]:
    """What kehu's migrations up to ``version`` create in an empty SQLite database."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from kehu import migrations

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as conn:
            for number, _name, step in migrations.STEPS:
                if number > version:
                    break
                step(conn)
            return objects(conn.connection.driver_connection)
    finally:
        engine.dispose()


def _as_released(version: int, key: tuple[str, str], sql: str) -> str:
    """A book's statement with the two accepted historical forms mapped to today's."""
    if key[0] == "table" and key[1] in ("customer", "person"):
        sql = sql.replace(_OLD_NAME_KEY, _NAME_KEY)
    if version < _TOUCH_INDEX_STEP and sql == _OLD_TOUCH_INDEX:
        sql = _TOUCH_INDEX
    return sql


def difference(conn, version: int) -> Said | None:
    """The first way this book's schema differs from kehu's own at ``version``, or None:
    a message key and its parameters, worded in the reader's language where it is shown
    ("trigger wipe_touch is not kehu's", 「触发器 wipe_touch 不是 kehu 建立的」); only the
    SQL name stays as the file spells it.
    """
    want = expected(version)
    have = {k: (tbl, _as_released(version, k, sql)) for k, (tbl, sql) in objects(conn).items()}
    for key in sorted(set(want) | set(have), key=lambda k: (_KIND_ORDER.get(k[0], 9), k[1])):
        what = Said(f"sql_{key[0]}" if key[0] in _KIND_ORDER else "sql_object")
        name = clean_name(key[1])  # a name from an untrusted file: one line
        if key not in want:
            return Said("schema_extra", what=what, name=name, version=version)
        if key not in have:
            return Said("schema_missing", what=what, name=name, version=version)
        if want[key] != have[key]:
            return Said("schema_changed", what=what, name=name, version=version)
    return None


def clean_name(text: str) -> str:
    """An SQL name as shown in a message: printable, short."""
    return re.sub(r"[^\w.-]", "?", text)[:60]

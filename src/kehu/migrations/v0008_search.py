"""Step 8: the search index (`kehu search`; docs/design.md, "Search").

SQLite: an FTS5 table ``search_index`` (one entry per searchable record, rowid
``key * 8 + kind``), a list ``search_dirty`` of the entries changed since they were
indexed, and triggers on every searched table that add to the list. The triggers are
plain SQL, so any program may still write the book; kehu indexes the listed entries
before each write command commits (kehu.book.search_index.flush). This step indexes
every existing record.

PostgreSQL: pg_trgm's GIN indexes over the searched text of each table, where the
server lets kehu create the extension; without it searches scan (the same answers).

Frozen once released: the triggers and the tables are written out here.
"""

from __future__ import annotations

from sqlalchemy import Connection

# (table, the entry's key column, kind code, the columns whose change re-indexes it)
_SOURCES = (
    ("customer", "id", 0, ("name", "note")),
    ("customer_alias", "id", 1, ("alias",)),
    ("person", "id", 2, ("name", "title", "dept", "kpi", "pain", "interest", "style")),
    ("touchpoint", "id", 3, ("note", "signals", "next_step")),
    ("promise", "id", 4, ("text",)),
    ("contract", "id", 5, ("title", "note")),
    ("negotiation_issue", "id", 6, ("detail", "need", "settlement")),
    ("negotiation_fact", "contract_id", 7, ("text",)),
)


def upgrade(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _sqlite(conn)
    else:
        _postgres(conn)


def _sqlite(conn: Connection) -> None:
    run = conn.exec_driver_sql
    run("CREATE VIRTUAL TABLE search_index USING fts5(seq, suf, tokenize = 'ascii', columnsize = 0)")
    run("CREATE TABLE search_dirty (id INTEGER PRIMARY KEY)")
    for table, key, code, columns in _SOURCES:
        mark = "INSERT OR IGNORE INTO search_dirty(id) VALUES ({row}.{key} * 8 + {code});"
        new, old = mark.format(row="new", key=key, code=code), mark.format(row="old", key=key, code=code)
        run(f"CREATE TRIGGER search_{table}_ins AFTER INSERT ON {table} BEGIN {new} END")
        run(f"CREATE TRIGGER search_{table}_upd AFTER UPDATE OF {key}, {', '.join(columns)} ON {table}"
            f" BEGIN {old} {new} END")
        run(f"CREATE TRIGGER search_{table}_del AFTER DELETE ON {table} BEGIN {old} END")
    from kehu.book import search_index

    search_index.rebuild(conn.connection.driver_connection)


def _postgres(conn: Connection) -> None:
    from sqlalchemy.exc import DBAPIError

    try:
        # All or none, in a savepoint: no privilege to create the extension, no contrib
        # package, or the extension living in a schema this book does not see.
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table, _key, _code, columns in _SOURCES:
                joined = " || E'\\n' || ".join(f"coalesce({c}, '')" for c in columns)
                conn.exec_driver_sql(
                    f"CREATE INDEX ix_search_{table} ON {table} USING gin (lower({joined}) gin_trgm_ops)")
    except DBAPIError:
        pass  # searches scan: the same answers, slower

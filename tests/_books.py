"""Looking inside a book file from a test: full dumps, schema, version, checks.

Read with the standard sqlite3 module in read-only mode, so looking changes nothing.

Below "either backend": the same for the test's book whatever it is (a file, or a
schema on the test server), and the few things a test does to a book behind kehu's
back: plant rows (execute), hold its writer lock or a reader, make an older book.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "books"


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def tables(path: Path) -> list[str]:
    conn = _ro(path)
    try:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    finally:
        conn.close()


def dump(path: Path, only=None) -> dict[str, list[tuple]]:
    """Every row of every table (or of ``only``), in a stable order."""
    conn = _ro(path)
    try:
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in (only or tables(path))}
    finally:
        conn.close()


def columns(path: Path, table: str) -> list[str]:
    conn = _ro(path)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def rows_of(path: Path, table: str, cols: list[str]) -> list[tuple]:
    conn = _ro(path)
    try:
        names = ", ".join(f'"{c}"' for c in cols)
        return sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)
    finally:
        conn.close()


def master(path: Path) -> list[tuple]:
    conn = _ro(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    finally:
        conn.close()


def version(path: Path) -> str:
    conn = _ro(path)
    try:
        return conn.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()


def checks(path: Path) -> tuple[list, list]:
    """(integrity_check rows, foreign_key_check rows): [("ok",)] and [] for a sound book."""
    conn = _ro(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall(), conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(path: Path) -> dict:
    """Tables, columns, keys, indexes and unique constraints as SQLAlchemy reads them."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], bool(c.get("primary_key")))
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                          for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    engine.dispose()
    return out


# ---------------------------------------------------------------- either backend


def engine_for(book):
    """An SQLAlchemy engine on the test's book: a file path (SQLite) or a server URL."""
    from sqlalchemy import create_engine

    text = str(book)
    if text.startswith("postgresql"):
        from kehu.book import postgres

        return create_engine(postgres.parse(text))
    return create_engine(f"sqlite:///file:{text}?mode=ro&uri=true")


def query(book, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of one portable SELECT on the book, on either backend."""
    from sqlalchemy import text

    engine = engine_for(book)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params or {})]
    finally:
        engine.dispose()


def any_dump(book, skip=()) -> dict[str, list[tuple]]:
    """Every row of every kehu table, in a stable order, on either backend."""
    from sqlalchemy import inspect, text

    engine = engine_for(book)
    try:
        with engine.connect() as conn:
            names = [t for t in sorted(inspect(conn).get_table_names())
                     if t not in skip and not t.startswith("sqlite_")]
            return {t: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in names}
    finally:
        engine.dispose()


def execute(book, *statements) -> None:
    """Run statements on the book in one transaction, on either backend: a test's way to
    plant rows, a trigger or a fault that no kehu command would make. Each statement is
    SQL text, or (SQL text, params) with params a dict or a list of dicts (one execution
    each). On a server every id sequence is then moved past the planted rows, as kehu
    does after an import, so a later `kehu add` takes a fresh id there too."""
    from sqlalchemy import create_engine, text

    raw = str(book)
    server = raw.startswith("postgresql")
    engine = engine_for(book) if server else create_engine(f"sqlite:///{raw}")
    try:
        with engine.begin() as conn:
            for statement in statements:
                sql, params = (statement, None) if isinstance(statement, str) else statement
                conn.execute(text(sql), params or {})
            if server:
                for (table,) in conn.execute(text(
                        "SELECT table_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND column_name = 'id'")):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence(:t, 'id'), coalesce(max(id), 0) + 1, false) "
                        f'FROM "{table}"'), {"t": table})
    finally:
        engine.dispose()


def no_book_words() -> str:
    """What kehu's "there is no book here yet" message says on the test's backend: a file
    that is not there, or a server database that holds no kehu schema yet."""
    from conftest import BACKEND

    return "No account book at " if BACKEND == "sqlite" else "holds no kehu book yet"


@contextmanager
def writer_lock(book) -> Iterator[None]:
    """Hold the book's writer lock from another connection, as a second kehu writing at
    that moment would: SQLite's BEGIN IMMEDIATE on the file, or kehu's advisory lock on
    the server (what every kehu write transaction there takes first)."""
    raw = str(book)
    if raw.startswith("postgresql"):
        import psycopg

        from kehu.book import postgres

        conn = psycopg.connect(raw)
        try:
            conn.execute(postgres.LOCK_SQL)
            yield
        finally:
            conn.rollback()
            conn.close()
        return
    holder = sqlite3.connect(raw, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def nothing_made(book) -> bool:
    """True while kehu has made no book there: on SQLite not even the book's folder, on
    a server not one table in the test's schema."""
    if isinstance(book, Path):
        return not book.exists() and not book.parent.exists()
    return not query(book, "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()")


@contextmanager
def open_reader(book, table: str) -> Iterator[None]:
    """Another connection in the middle of a read transaction that has read ``table``,
    as a long `kehu export` would be: on SQLite it holds a snapshot (no checkpoint past
    it), on a server a lock on the table (no rewrite of it). A server ends the reader
    after 20 s idle, so a kehu that waits for it without limit fails the test instead
    of hanging the suite."""
    raw = str(book)
    if raw.startswith("postgresql"):
        import psycopg

        conn = psycopg.connect(raw)
        try:
            conn.execute("SET idle_in_transaction_session_timeout = '20s'")
            conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            yield
        finally:
            conn.close()  # ends the transaction, if the server has not already
        return
    reader = sqlite3.connect(raw, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    try:
        yield
    finally:
        reader.execute("ROLLBACK")
        reader.close()


def book_name(book) -> str:
    """How kehu names the book in its messages: the file's path, or a server book's
    host:port/dbname (never its URL, which may carry a password)."""
    raw = str(book)
    if raw.startswith("postgresql"):
        from kehu.book import postgres

        return postgres.where(postgres.parse(raw))
    return raw


def full_dump(book) -> list[str] | dict[str, list[tuple]]:
    """The whole book, for "nothing changed" checks: on SQLite the schema and every row
    as SQL text (iterdump), on a server every row of every table and every column."""
    raw = str(book)
    if raw.startswith("postgresql"):
        columns = query(book, "SELECT table_name, column_name, data_type, is_nullable, column_default "
                              "FROM information_schema.columns WHERE table_schema = current_schema() "
                              "ORDER BY table_name, ordinal_position")
        return {"(columns)": columns, **any_dump(book)}
    conn = _ro(Path(raw))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def any_schema(book) -> dict:
    """schema() on either backend: tables, columns, keys, indexes and unique constraints
    as SQLAlchemy reads them from the book."""
    from sqlalchemy import inspect

    engine = engine_for(book)
    try:
        insp = inspect(engine)
        return {
            table: {
                "columns": [(c["name"], str(c["type"]), c["nullable"], bool(c.get("primary_key")))
                            for c in insp.get_columns(table)],
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                              for f in insp.get_foreign_keys(table)),
                # not the search index's pg_trgm indexes: the tests' server books share one
                # database, where the extension lives in the schema that made it first, so
                # which books get them depends on the order the tests run (test_search.py
                # holds the index to its results)
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(table) if not i["name"].startswith("ix_search_")),
                "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            }
            for table in sorted(insp.get_table_names())
        }
    finally:
        engine.dispose()


def contents(book) -> bytes | list[str] | dict[str, list[tuple]]:
    """What "the book is untouched" compares: a file's very bytes (checkpoint first), a
    server book's full_dump."""
    if str(book).startswith("postgresql"):
        return full_dump(book)
    return Path(book).read_bytes()


def older_server_book(book, version: int) -> None:
    """In the test's empty server schema, the schema an older kehu made: the released
    steps up to ``version`` run as that kehu ran them, its version recorded."""
    from sqlalchemy import text

    from kehu import migrations

    engine = engine_for(book)
    try:
        with engine.begin() as conn:
            for number, _name, step in migrations.STEPS[:version]:
                step(conn)
                conn.execute(text("UPDATE kehu_meta SET value = :v WHERE key = 'schema_version'"), {"v": str(number)})
    finally:
        engine.dispose()


@contextmanager
def other_book(tmp_path: Path, name: str) -> Iterator[Path | str]:
    """A second, empty place for a book beside the test's own, on the test's backend: a
    file path in a new folder of tmp_path, or on the test server a schema of its own,
    dropped afterwards."""
    from conftest import BACKEND, PG_URL, pg_book_url

    if BACKEND == "sqlite":
        (tmp_path / name).mkdir(mode=0o700)
        yield tmp_path / name / "kehu.db"
        return
    import os

    import psycopg

    schema_name = f"t{os.getpid()}_{name}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema_name}")
        try:
            yield pg_book_url(schema_name)
        finally:
            admin.execute(f"DROP SCHEMA {schema_name} CASCADE")


@contextmanager
def server_schemas(tag: str) -> Iterator:
    """make(name) → the URL of a new, empty schema on the test server, for a module that
    keeps several books at once; every schema made is dropped at the end."""
    import os

    import psycopg
    from conftest import PG_URL, pg_book_url

    made: list[str] = []
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        def make(name: str) -> str:
            schema_name = f"t{os.getpid()}_{tag}_{name}"
            admin.execute(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")
            admin.execute(f"CREATE SCHEMA {schema_name}")
            made.append(schema_name)
            return pg_book_url(schema_name)

        try:
            yield make
        finally:
            for schema_name in made:
                admin.execute(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")


# Who introduced whom (schema 10) points from a customer to a person and from a person to
# a customer or person: the one cycle among the tables' foreign keys. A copy fills these
# columns after every row is in, and clears them before it deletes.
LATE_COLUMNS = ("introduced_by_customer_id", "introduced_by_person_id")


def _copy_order(tables) -> tuple[list, dict[str, list[str]]]:
    """The tables in foreign-key order without the cycle, and the columns to fill late."""
    from sqlalchemy.schema import sort_tables

    order = sort_tables(tables.tables.values(), skip_fn=lambda fk: fk.parent.name in LATE_COLUMNS)
    late = {t.name: [c for c in LATE_COLUMNS if c in t.c] for t in order}
    return order, {name: columns for name, columns in late.items() if columns}


def _clear(conn, order: list, late: dict[str, list[str]]) -> None:
    from sqlalchemy import text

    for name, columns in late.items():
        conn.execute(text(f'UPDATE "{name}" SET ' + ", ".join(f'"{c}" = NULL' for c in columns)))
    for table in reversed(order):
        conn.execute(text(f'DELETE FROM "{table.name}"'))


def copy_server_book(src: str, dst: str) -> str:
    """The server book ``src`` copied into the empty schema ``dst``: the schema made by
    the same steps, every row copied in foreign-key order, the id sequences moved past
    them; what copying a book file is on SQLite."""
    from sqlalchemy import MetaData, text

    from kehu import migrations

    older_server_book(dst, migrations.LATEST)
    [(source,)] = query(src, "SELECT current_schema()")
    engine = engine_for(dst)
    try:
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn)
            order, late = _copy_order(tables)
            _clear(conn, order, late)
            for table in order:
                cols = [f'"{c.name}"' for c in table.c]
                picked = ["NULL" if c.name in late.get(table.name, ()) else f'"{c.name}"' for c in table.c]
                conn.execute(text(f'INSERT INTO "{table.name}" ({", ".join(cols)}) '
                                  f'SELECT {", ".join(picked)} FROM "{source}"."{table.name}"'))
            for name, columns in late.items():
                conn.execute(text(f'UPDATE "{name}" d SET ' + ", ".join(f'"{c}" = s."{c}"' for c in columns)
                                  + f' FROM "{source}"."{name}" s WHERE d.id = s.id'))
    finally:
        engine.dispose()
    execute(dst)  # moves the sequences on
    return dst


def server_writing(book, table: str) -> bool:
    """True once another session has begun writing ``table`` of the server book (it holds
    the table's ROW EXCLUSIVE lock, which the first INSERT or UPDATE takes)."""
    return bool(query(book, "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                            "WHERE c.relname = :t AND c.relnamespace = current_schema()::regnamespace "
                            "AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()",
                      {"t": table}))


def server_book_from_file(book, path: Path, version_: int) -> None:
    """In the test's empty server schema, the book file ``path`` (made by the kehu of
    schema ``version_``, such as a released fixture book) as that kehu would have left
    it on a server: the schema made by the same steps, every row of the file copied in
    foreign-key order, the id sequences moved past them."""
    from sqlalchemy import MetaData, text

    older_server_book(book, version_)
    source = _ro(path)
    engine = engine_for(book)
    try:
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn)
            order, late = _copy_order(tables)
            _clear(conn, order, late)
            later = []
            for table in order:
                cursor = source.execute(f'SELECT * FROM "{table.name}"')
                names = [d[0] for d in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor]
                columns = [c for c in late.get(table.name, ()) if c in names]
                if columns:
                    later += [(table.name, columns, {"id": r["id"], **{c: r[c] for c in columns}}) for r in rows
                              if any(r[c] is not None for c in columns)]
                    rows = [{**r, **{c: None for c in columns}} for r in rows]
                if rows:
                    conn.execute(text(f'INSERT INTO "{table.name}" ({", ".join(names)}) '
                                      f'VALUES ({", ".join(":" + n for n in names)})'), rows)
            for name, columns, row in later:
                conn.execute(text(f'UPDATE "{name}" SET ' + ", ".join(f'"{c}" = :{c}' for c in columns)
                                  + " WHERE id = :id"), row)
    finally:
        engine.dispose()
        source.close()
    execute(book)  # moves the sequences on

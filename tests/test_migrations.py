"""Upgrading a book made by an earlier schema keeps every row."""

from __future__ import annotations

import sqlite3

from _books import any_schema, execute, older_server_book, query
from conftest import BACKEND
from sqlalchemy import create_engine, text

from kehu import migrations

V1_ROWS = (
    "INSERT INTO customer (id, name, name_key, stage, value_cents, created_at, updated_at) "
    "VALUES (1, '华为', '华为', 'acquainted', 5000000, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
    "INSERT INTO event (customer_id, at, kind, to_stage) "
    "VALUES (1, '2025-06-01 04:00:00.000000', 'created', 'stranger')",
    "INSERT INTO person (id, customer_id, name, name_key, created_at) "
    "VALUES (1, 1, '张伟', '张伟', '2026-01-01 00:00:00.000000')",
    "INSERT INTO touchpoint (id, customer_id, day, kind, created_at) "
    "VALUES (1, 1, '2026-03-01', 'daily', '2026-03-01 00:00:00.000000')",
    "INSERT INTO touchpoint_person VALUES (1, 1)",
)


def make_v1_book(book):
    """A book exactly as kehu 0.1.0 (schema 1) left it, with a customer, person, touch;
    on a server, the same schema and rows in the test's schema."""
    if BACKEND == "postgresql":
        older_server_book(book, 1)
        execute(book, *V1_ROWS)
        return
    book.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{book}")
    with engine.begin() as conn:
        migrations.v0001_initial.upgrade(conn)
        conn.execute(text("UPDATE kehu_meta SET value='1' WHERE key='schema_version'"))
        for sql in V1_ROWS:
            conn.execute(text(sql))
        conn.exec_driver_sql("PRAGMA application_id = 1801807989")
    engine.dispose()


def shape(book):
    """The book's schema as its database declares it."""
    if BACKEND == "postgresql":
        return any_schema(book)
    conn = sqlite3.connect(book)
    try:
        return conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def test_v1_book_upgrades_without_losing_a_row(kehu, isolated_book):
    make_v1_book(isolated_book)
    data = kehu.json("show", "华为")  # a reading command upgrades it
    assert data["stage"] == "acquainted" and data["value"] == "50000.00"
    assert data["added_on"] == "2025-06-01"  # filled from the 'created' event
    assert [p["name"] for p in data["people"]] == ["张伟"]
    assert data["touchpoints"][0]["with"] == ["张伟"]
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key='schema_version'") == [(str(migrations.LATEST),)]
    if BACKEND == "sqlite":  # (a server checks its foreign keys and pages itself)
        conn = sqlite3.connect(isolated_book)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    kehu("edit", "华为", "--profit-now", "高", "--profit-future", "low")
    assert kehu.json("show", "华为")["cell"] == "keep"


def test_a_failing_step_leaves_the_book_as_it_was(kehu, isolated_book, monkeypatch):
    make_v1_book(isolated_book)
    before = shape(isolated_book)

    def broken(conn):
        migrations.v0002_followups.upgrade(conn)
        raise RuntimeError("injected failure in the last statement")

    monkeypatch.setattr(migrations, "STEPS", (migrations.STEPS[0], (2, "broken", broken)))
    kehu("add", "中兴", code=70)
    assert shape(isolated_book) == before
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key='schema_version'") == [("1",)]
    assert query(isolated_book, "SELECT count(*) FROM customer") == [(1,)]

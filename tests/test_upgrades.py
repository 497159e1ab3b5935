"""Upgrading books made by every released schema: nothing lost, backed up first, atomic.

tests/fixtures/books/v<N>.db were written by the kehu release of schema N itself
(tests/fixtures/books/make_books.py), with Chinese text, NULLs, a long note, private
details, promises, a forced advance, a drop and reopen, and later contracts and payments.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _books import (
    FIXTURES,
    any_dump,
    any_schema,
    checks,
    columns,
    dump,
    engine_for,
    master,
    nothing_made,
    query,
    rows_of,
    schema,
    server_book_from_file,
    tables,
    version,
)
from conftest import BACKEND

from kehu import migrations

RELEASED = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.db"))


def test_every_released_schema_has_a_fixture():
    assert RELEASED == list(range(1, migrations.LATEST + 1))


def _place(v: int, book: Path) -> None:
    """The released book of schema v at ``book``: the file itself, or on a server what
    that kehu would have made there, with every row of the file."""
    if str(book).startswith("postgresql"):
        server_book_from_file(book, FIXTURES / f"v{v}.db", v)
        return
    book.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / f"v{v}.db", book)


@pytest.fixture
def fresh_schema(kehu, tmp_path) -> dict:
    new = tmp_path / "new" / "kehu.db"
    kehu("--db", str(new), "add", "x")
    return schema(new)


@pytest.mark.sqlite_only("the released book files in tests/fixtures/books, backed up before the upgrade; "
                         "test_server upgrades a server schema")
@pytest.mark.parametrize("v", RELEASED)
def test_a_released_book_upgrades_keeping_every_row(kehu, isolated_book, fresh_schema, v):
    _place(v, isolated_book)
    old_tables = {t: columns(isolated_book, t) for t in tables(isolated_book)}
    old_rows = {t: rows_of(isolated_book, t, cols) for t, cols in old_tables.items()}
    original = dump(isolated_book)

    r = kehu("list")  # a reading command upgrades the book
    assert "华东电网信息中心" in r.stdout

    assert checks(isolated_book) == ([("ok",)], [])
    assert version(isolated_book) == str(migrations.LATEST)
    assert _same_length_rules(schema(isolated_book), v) == fresh_schema
    for t, cols in old_tables.items():
        if t == "kehu_meta":
            continue
        assert set(cols) <= set(columns(isolated_book, t)), t
        assert rows_of(isolated_book, t, cols) == old_rows[t], t  # every row, every old column
    if v < migrations.LATEST:
        notice = r.stderr.splitlines()[0]
        assert notice.startswith(f"Backed up the book before upgrading its schema ({v} → {migrations.LATEST}): ")
        saved = Path(notice.rsplit(": ", 1)[1])
        assert saved.parent == isolated_book.parent / "backups"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert dump(saved) == original and version(saved) == str(v)
    else:
        assert r.stderr == "" and not (isolated_book.parent / "backups").exists()

    # What was typed reads back exactly through the current kehu.
    c = kehu.json("show", "华东电网")
    assert c["note"].startswith("长备注：") and len(c["note"]) > 2000
    # make_books' schema-5 release handed 华东电网 over from 王磊 to 李强 (its TEAM steps)
    assert (c["industry"], c["region"], c["owner"]) == ("能源", "上海", "李强" if v >= 5 else "王磊")
    if v >= 5:
        by = {(e["kind"], e["actor"]) for e in kehu.json("history", "华东电网")}
        assert ("assigned", "王磊") in by
        assert kehu.json("show", "深圳")["owner"] == "赵敏"
    acme = kehu.json("show", "Acme")
    assert (acme["industry"], acme["region"], acme["note"]) == (None, None, None)
    assert kehu.json("person", "show", "华东电网", "张伟", "--private")["private"] == "女儿明年高考；生日 5月3日"
    assert "private" not in kehu.json("person", "show", "华东电网", "张伟")
    events = [e["kind"] for e in kehu.json("history", "深圳")]
    assert "dropped" in events and "reopened" in events
    # and it is a working book: the next write succeeds and leaves it sound
    kehu("touch", "华东电网", "--kind", "daily", "--with", "李娜")
    assert checks(isolated_book) == ([("ok",)], [])


def _same_length_rules(found: dict, v: int) -> dict:
    """Schema-1 books declare name_key VARCHAR(200), later ones VARCHAR(800).

    SQLite does not enforce declared lengths and schema-1 books only ever existed as
    SQLite files, so step 4 leaves that declaration alone (a rebuild of two tables for
    no change in behaviour); every other difference must be gone.
    """
    if v == 1:
        for t in ("customer", "person"):
            found[t]["columns"] = [(n, "VARCHAR(800)" if n == "name_key" else ty, *rest)
                                   for n, ty, *rest in found[t]["columns"]]
    return found


def _count_statements(step, book: Path) -> int:
    """How many statements a step runs, measured on a copy of a book one version older
    (on a server, in a transaction rolled back)."""
    from sqlalchemy import create_engine, event

    engine = engine_for(book) if str(book).startswith("postgresql") else create_engine(f"sqlite:///{book}")
    seen = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2]))
    with engine.connect() as conn:
        with conn.begin() as tx:
            step(conn)
            count = len(seen)
            tx.rollback() if str(book).startswith("postgresql") else tx.commit()
    engine.dispose()
    return count


def _shape(book) -> list | dict:
    """The schema as the database declares it: SQLite's text of it, or a server's report."""
    return any_schema(book) if BACKEND == "postgresql" else master(book)


def _rows(book) -> dict:
    return any_dump(book) if BACKEND == "postgresql" else dump(book)


STEP_NUMBERS = [n for n, _, _ in migrations.STEPS if n > 1]


@pytest.mark.parametrize("n", STEP_NUMBERS)
@pytest.mark.own_database("the statements a step runs are counted first, then the last one is made to fail: "
                          "step 8 runs more of them when pg_trgm is visible to the book, and in the shared test "
                          "database the other test process moves it (it lives in the schema of the book that "
                          "created it and goes with that schema)")
def test_a_failure_in_the_last_statement_of_a_step_leaves_schema_and_version(kehu, isolated_book, tmp_path,
                                                                              monkeypatch, n):
    from sqlalchemy import event

    from kehu.book import postgres, sqlite

    step = dict((m, f) for m, _, f in migrations.STEPS)[n]
    _place(n - 1, isolated_book)
    if BACKEND == "sqlite":
        scratch = tmp_path / "scratch.db"
        _place(n - 1, scratch)
        last = _count_statements(step, scratch)
    else:
        last = _count_statements(step, isolated_book)  # rolled back
    assert last >= 1

    before_master, before_rows = _shape(isolated_book), _rows(isolated_book)
    state = {"on": False, "n": 0}

    def watched(conn):
        state["on"] = True
        try:
            step(conn)
        finally:
            state["on"] = False

    def fail_on_last(*args, **kwargs):
        if state["on"]:
            state["n"] += 1
            if state["n"] == last:
                raise RuntimeError("injected failure in the last statement")

    def spying(real):
        def spy(*args, **kwargs):
            engine = real(*args, **kwargs)
            event.listen(engine, "before_cursor_execute", fail_on_last)
            return engine
        return spy

    monkeypatch.setattr(sqlite, "make_engine", spying(sqlite.make_engine))
    monkeypatch.setattr(postgres, "make_engine", spying(postgres.make_engine))
    monkeypatch.setattr(migrations, "STEPS", tuple(
        (m, name, watched if m == n else f) for m, name, f in migrations.STEPS if m <= n))
    r = kehu("add", "新客户", code=70)
    assert state["n"] == last  # it really got as far as the last statement
    assert r.stderr.splitlines()[-1].startswith("kehu: Internal error in kehu (RuntimeError)")
    assert _shape(isolated_book) == before_master
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key = 'schema_version'") == [(str(n - 1),)]
    assert _rows(isolated_book) == before_rows
    if BACKEND == "sqlite":
        assert checks(isolated_book) == ([("ok",)], [])


def test_a_failure_in_the_first_schema_step_leaves_no_book(kehu, isolated_book, monkeypatch):
    def broken(conn):
        migrations.v0001_initial.upgrade(conn)
        raise RuntimeError("injected")

    monkeypatch.setattr(migrations, "STEPS", ((1, "broken", broken),))
    kehu("add", "华为", code=70)
    assert nothing_made(isolated_book)


KILLED_MIGRATION = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from kehu import migrations
    from kehu.book import sqlite

    target = int(sys.argv[1])
    state = {"on": False, "n": 0}

    def watched(step):
        def run(conn):
            state["on"] = True
            step(conn)
            state["on"] = False
        return run

    migrations.STEPS = tuple((n, name, watched(f)) for n, name, f in migrations.STEPS)
    real = sqlite.make_engine

    def spy(*args, **kwargs):
        engine = real(*args, **kwargs)

        @event.listens_for(engine, "after_cursor_execute")
        def after(*a, **k):
            if state["on"]:
                state["n"] += 1
                if state["n"] == target:
                    print("at", target, flush=True)
                    time.sleep(120)
        return engine

    assert hasattr(sqlite, "make_engine")  # else the assignment below would spy on nothing
    sqlite.make_engine = spy
    from kehu.cli import main
    sys.argv = ["kehu", "list"]
    main()
    """
)


def _pending_statements(v: int, tmp_path: Path) -> int:
    scratch = tmp_path / "count.db"
    _place(v, scratch)
    total = 0
    for _n, _name, step in migrations.pending(v):
        total += _count_statements(step, scratch)
    scratch.unlink()
    return total


@pytest.mark.slow
@pytest.mark.sqlite_only("kill -9 of a migration of the released book files: what is on disk after")
@pytest.mark.parametrize("v", [x for x in RELEASED if x < migrations.LATEST])
def test_kill_9_during_a_migration_leaves_the_old_or_the_new_version(isolated_book, tmp_path, v):
    total = _pending_statements(v, tmp_path)
    original = dump(FIXTURES / f"v{v}.db")
    env = {**os.environ, "KEHU_DB": str(isolated_book)}
    # (within 1..total: a one-statement step, such as step 6, has no statement 0 or 2)
    for target in sorted(t for t in {1, 2, total // 2, total - 1, total} if 1 <= t <= total):
        _place(v, isolated_book)
        for extra in ("-wal", "-shm"):
            Path(f"{isolated_book}{extra}").unlink(missing_ok=True)
        p = subprocess.Popen([sys.executable, "-c", KILLED_MIGRATION, str(target)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert p.stdout.readline().strip() == f"at {target}", p.stderr.read()
            p.send_signal(signal.SIGKILL)
        finally:
            p.wait(timeout=60)
            p.stdout.close()
            p.stderr.close()
        assert p.returncode == -signal.SIGKILL
        # killed after statement `target` of the pending steps, before their commit
        assert checks(isolated_book) == ([("ok",)], []), target
        assert version(isolated_book) == str(v), target
        assert dump(isolated_book) == original, target
    # and the same book, opened again, upgrades fully
    r = subprocess.run([sys.executable, "-m", "kehu", "list"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert version(isolated_book) == str(migrations.LATEST)
    assert checks(isolated_book) == ([("ok",)], [])


def test_no_step_rebuilds_a_table_so_child_rows_cannot_be_cascaded_away():
    # A rebuild (CREATE new, copy, DROP old, RENAME) with foreign keys on deletes child
    # rows through ON DELETE CASCADE. No released step drops a table; a future one that
    # must rebuild turns foreign keys off outside its transaction and runs
    # foreign_key_check before commit (docs/reliability.md).
    import inspect as pyinspect
    import re

    for _n, _name, step in migrations.STEPS:
        source = pyinspect.getsource(pyinspect.getmodule(step)).lower()
        assert "drop table" not in source and "rename to" not in source
        assert not re.search(r"(?<!index)\.drop\(", source)  # only an index is ever dropped

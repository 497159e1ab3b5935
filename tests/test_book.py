"""The book file: where it lives, who can read it, how it is opened and versioned."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from _books import (
    any_schema,
    book_name,
    contents,
    execute,
    full_dump,
    no_book_words,
    nothing_made,
    other_book,
    query,
)
from conftest import BACKEND

from kehu.book import sqlite, where


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_location_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("KEHU_DB", str(tmp_path / "env.db"))
    assert where.book_path("/x/cli.db") == Path("/x/cli.db")
    assert where.book_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("KEHU_DB")
    import typer

    assert where.book_path(None) == Path(typer.get_app_dir("kehu")) / "kehu.db"


def test_default_location_is_the_app_dir_and_private(kehu, monkeypatch, tmp_path):
    monkeypatch.delenv("KEHU_DB")
    kehu("add", "华为")
    path = where.book_path(None)
    assert path.exists()
    assert str(path).startswith(str(tmp_path))  # the fixture's HOME/XDG, never the real one
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_reading_a_missing_book_creates_nothing(kehu, isolated_book):
    r = kehu("list", code=66)
    assert no_book_words() in r.stderr and book_name(isolated_book) in r.stderr
    assert r.stdout == ""
    assert nothing_made(isolated_book)
    if BACKEND == "sqlite":  # a mistyped file name next to it
        kehu("--db", str(isolated_book.parent / "typo.db"), "show", "x", code=66)
        assert not (isolated_book.parent / "typo.db").exists()


@pytest.mark.sqlite_only("file modes of the book file and its -wal/-shm; a server book has no file")
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_files_are_owner_only_whatever_the_umask(kehu, isolated_book, umask):
    old = os.umask(umask)
    try:
        kehu("add", "华为")
        # keep a reader open so -wal and -shm exist while we look at them
        conn = sqlite3.connect(isolated_book)
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM customer").fetchone()
        kehu("add", "中兴")
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{isolated_book}{suffix}")
            assert p.exists(), suffix
            assert mode(p) == 0o600, (suffix, oct(mode(p)))
        conn.close()
        assert mode(isolated_book.parent) == 0o700
    finally:
        os.umask(old)


@pytest.mark.sqlite_only("the PRAGMAs of SQLite connections to the book file")
def test_pragmas_on_every_connection(kehu, isolated_book):
    kehu("add", "华为")
    engine = sqlite.make_engine(isolated_book, write=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA application_id").scalar() == sqlite.APPLICATION_ID
    engine.dispose()
    assert engine.dialect.name == "sqlite"
    assert engine.hide_parameters is True


# The statement that takes the book's one writer lock: SQLite's BEGIN IMMEDIATE, or on a
# server the advisory lock every kehu write transaction takes first (kehu.book.postgres).
WRITE_LOCK = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "ADVISORY LOCK"}[BACKEND]


def _record_statements(monkeypatch) -> list[str]:
    from sqlalchemy import event

    from kehu.book import postgres

    seen: list[str] = []

    def name(statement: str) -> str:
        if "pg_advisory_xact_lock" in statement:
            return "ADVISORY LOCK"
        return statement.strip().split()[0].upper() + (" IMMEDIATE" if "IMMEDIATE" in statement else "")

    def spying(real):
        def spy(*args, **kwargs):
            engine = real(*args, **kwargs)
            event.listen(engine, "before_cursor_execute", lambda *a, **k: seen.append(name(a[2])))
            # driver-level BEGIN/COMMIT go through exec_driver_sql, also seen above; commits
            # issued by SQLAlchemy go to the DBAPI directly:
            event.listen(engine, "commit", lambda conn: seen.append("COMMIT"))
            event.listen(engine, "rollback", lambda conn: seen.append("ROLLBACK"))
            return engine
        return spy

    monkeypatch.setattr(sqlite, "make_engine", spying(sqlite.make_engine))
    monkeypatch.setattr(postgres, "make_engine", spying(postgres.make_engine))
    return seen


def test_a_write_command_is_one_immediate_transaction(kehu, monkeypatch):
    kehu("add", "华为")
    seen = _record_statements(monkeypatch)
    kehu("touch", "华为", "--kind", "daily", "--promise", "送资料", "--promise-due", "+3d")
    writes = [s for s in seen if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) >= 2
    assert seen.count(WRITE_LOCK) == 1, seen
    assert seen.count("COMMIT") == 1, seen
    first_write = min(seen.index(w) for w in writes)
    assert seen.index(WRITE_LOCK) < first_write < seen.index("COMMIT")


def test_a_read_command_takes_no_write_lock(kehu, monkeypatch):
    kehu("add", "华为")
    seen = _record_statements(monkeypatch)
    kehu("show", "华为")
    assert seen  # the spy saw the command's statements
    assert WRITE_LOCK not in seen
    assert not [s for s in seen if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]


def test_refused_write_changes_nothing(kehu, isolated_book):
    kehu("add", "华为")
    before = full_dump(isolated_book)
    kehu("advance", "华为", code=1)
    kehu("touch", "华为", "--kind", "daily", "--with", "nobody", code=1)
    kehu("person", "add", "华为", "张伟", "--role", "boss", code=2)
    assert full_dump(isolated_book) == before


# ------------------------------------------------------------------ schema


def test_migrated_schema_equals_the_models(kehu, isolated_book, tmp_path):
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from kehu import models  # noqa: F401  (registers the tables)
    from kehu.book import postgres

    kehu("add", "华为")
    with other_book(tmp_path, "declared") as declared:
        url = f"sqlite:///{declared}" if BACKEND == "sqlite" else postgres.parse(declared)
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        migrated = _without_search(any_schema(isolated_book))
        assert migrated == any_schema(declared)
    assert set(migrated) >= {"customer", "person", "touchpoint", "promise", "event", "kehu_meta"}


def _without_search(schema: dict) -> dict:
    """The search index is no model's: step 8 makes it (an FTS5 table and its own tables,
    the list of entries to index, pg_trgm's indexes), as store.search reads it."""
    out = {t: dict(v) for t, v in schema.items() if not t.startswith("search_")}
    for v in out.values():
        v["indexes"] = [i for i in v["indexes"] if not i[0].startswith("ix_search_")]
    return out


def test_schema_version_is_recorded(kehu, isolated_book):
    from kehu import migrations

    kehu("add", "华为")
    [row] = query(isolated_book, "SELECT value FROM kehu_meta WHERE key='schema_version'")
    assert int(row[0]) == migrations.LATEST >= 1


def test_a_newer_schema_is_refused_and_untouched(kehu, isolated_book):
    kehu("add", "华为")
    execute(isolated_book, "UPDATE kehu_meta SET value='999' WHERE key='schema_version'")
    if BACKEND == "sqlite":  # everything in the file itself, so its bytes say it all
        conn = sqlite3.connect(isolated_book)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    before = contents(isolated_book)
    r = kehu("list", code=78)
    assert "999" in r.stderr and "upgrade kehu" in r.stderr
    kehu("add", "中兴", code=78)
    assert contents(isolated_book) == before


@pytest.mark.sqlite_only("bytes that are no SQLite book in the book file (on a server: test_server's "
                         "schema holding other tables)")
@pytest.mark.parametrize(
    "content",
    [b"\x00\x01garbage" * 100, b"SQLite format 3\x00" + b"\x00" * 20],
    ids=["random-bytes", "truncated"],
)
def test_not_a_book_is_refused_and_untouched(kehu, isolated_book, content):
    isolated_book.parent.mkdir(parents=True)
    isolated_book.write_bytes(content)
    for args in (("list",), ("add", "华为")):
        r = kehu(*args, code=65)
        assert r.stderr.count("\n") == 1 and "not a kehu account book" in r.stderr
    assert isolated_book.read_bytes() == content


@pytest.mark.sqlite_only("another application's SQLite file and its application_id")
def test_another_applications_sqlite_file_is_refused(kehu, isolated_book):
    isolated_book.parent.mkdir(parents=True)
    conn = sqlite3.connect(isolated_book)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = isolated_book.read_bytes()
    r = kehu("add", "华为", code=65)
    assert "not a kehu account book" in r.stderr
    assert isolated_book.read_bytes() == before
    conn = sqlite3.connect(isolated_book)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    kehu("list", code=65)


def test_datetimes_are_stored_utc_and_read_back_aware(kehu, isolated_book):
    from datetime import UTC, datetime

    kehu("add", "华为")
    [(raw,)] = query(isolated_book, "SELECT created_at FROM customer")
    if BACKEND == "sqlite":  # the text kehu wrote: naive, in UTC
        stored = datetime.fromisoformat(raw)
    else:  # a server's timestamptz, read back as the moment it is
        stored = raw.astimezone(UTC).replace(tzinfo=None)
    assert abs((datetime.now(UTC).replace(tzinfo=None) - stored).total_seconds()) < 60
    data = kehu.json("show", "华为")
    assert data["created_at"].endswith("+00:00")


@pytest.mark.parametrize(
    "args",
    [("touch", "华为", "--kind", "daily"), ("person", "add", "华为", "张伟"), ("advance", "华为"),
     ("done", "华为", "plan"), ("promise", "kept", "1"), ("edit", "华为", "--owner", "x")],
)
def test_only_add_and_config_create_a_book(kehu, isolated_book, args):
    r = kehu(*args, code=66)
    assert no_book_words() in r.stderr
    assert nothing_made(isolated_book)


def test_config_set_creates_the_book(kehu, isolated_book):
    kehu("config", "set", "trust.threshold", "50")
    assert isolated_book.exists()
    assert kehu("config", "get", "trust.threshold").stdout == "50\n"


def test_a_failed_first_command_leaves_no_empty_book(kehu, isolated_book, monkeypatch):
    from kehu.store import customers

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(customers, "add_customer", boom)
    kehu("add", "华为", code=70)
    assert not isolated_book.exists()
    if BACKEND == "sqlite":
        assert not Path(f"{isolated_book}-wal").exists()
    else:  # not one table left in the schema
        assert nothing_made(isolated_book)


@pytest.mark.sqlite_only("a copy of the book file that stopped part-way; a server book has no file")
@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9])
def test_a_truncated_kehu_book_is_refused_and_untouched(kehu, isolated_book, keep):
    kehu("add", "华为", "--note", "年度框架" * 500)
    for i in range(40):
        kehu("person", "add", "华为", f"联系人{i}", "--kpi", "上线率" * 100)
    conn = sqlite3.connect(isolated_book)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = isolated_book.read_bytes()
    cut = data[: int(len(data) * keep) // 4096 * 4096]  # a copy that stopped part-way
    isolated_book.write_bytes(cut)
    for args in (("list",), ("show", "华为"), ("person", "list", "华为"), ("add", "中兴"),
                 ("touch", "华为", "--kind", "daily")):
        r = kehu(*args, code=65)
        assert r.stderr.count("\n") == 1 and "not a kehu account book" in r.stderr, (args, r.stderr)
        assert isolated_book.read_bytes() == cut


# ------------------------------------------------------------------ the book's modules


def _imports(module: str) -> set[str]:
    """The kehu modules a module of src/kehu imports, at its top or inside a function."""
    import ast

    import kehu

    src = Path(kehu.__file__).parent.parent

    def is_module(name: str) -> bool:
        path = src.joinpath(*name.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    path = src.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from kehu.book import sqlite` imports the module kehu.book.sqlite, not the face
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if is_module(name) else node.module)
    return {name for name in found if name.split(".")[0] == "kehu"}


def test_the_backends_import_neither_each_other_nor_the_face():
    inside = {name: _imports(f"kehu.book.{name}") for name in ("common", "where", "sqlite", "postgres", "care")}
    assert "kehu.book.common" in inside["sqlite"] and "kehu.book.common" in inside["postgres"]  # the probe sees
    for name, found in inside.items():
        assert "kehu.book" not in found, f"kehu.book.{name} imports the package face"
        assert not {m for m in found if m.startswith("kehu.cli")}, name
    assert "kehu.book.postgres" not in inside["sqlite"] | inside["care"] | inside["common"]
    assert "kehu.book.sqlite" not in inside["postgres"] | inside["common"]
    assert inside["common"] <= {"kehu.errors", "kehu.migrations"}
    assert inside["where"] <= {"kehu.errors"}


def test_store_and_render_never_import_the_book():
    import pkgutil

    import kehu

    names = {m.name for m in pkgutil.walk_packages(kehu.__path__, "kehu.")}
    layers = sorted(n for n in names if n.split(".")[1] in ("store", "render"))
    assert layers  # the probe looks at something
    for name in layers:
        assert not {m for m in _imports(name) if m == "kehu.book" or m.startswith("kehu.book.")}, name

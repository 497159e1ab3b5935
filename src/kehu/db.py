"""Where the book lives, how it is opened, and the one transaction each command runs in.

Everything SQLite-specific is here and nowhere else: the pragmas, ``BEGIN IMMEDIATE``,
the application id, file permissions, and turning driver errors into KehuErrors.

SQLite notes (each a trap reproduced on these machines, see shared/STYLE.md):
- the pysqlite driver starts no transaction for reads and a deferred BEGIN that reads
  then writes fails at once under contention, so the driver's own transaction handling
  is switched off (isolation_level=None) and kehu emits BEGIN / BEGIN IMMEDIATE itself;
- foreign keys are enforced only with the pragma, set on every new connection;
- SQLAlchemy puts bound parameters (private notes) in error messages unless told not to;
- files are created under a 077 umask so the book, its -wal and -shm are owner-only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kehu.errors import Busy, DataError, IOFailure, NoBook, NoPermission, SchemaError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

APP_NAME = "kehu"
BOOK_FILE = "kehu.db"
APPLICATION_ID = 0x6B656875  # "kehu"
BUSY_TIMEOUT_MS = 5000


def busy_timeout_ms() -> int:
    """KEHU_BUSY_TIMEOUT_MS overrides how long a command waits for a locked book."""
    raw = os.environ.get("KEHU_BUSY_TIMEOUT_MS")
    if raw is None:
        return BUSY_TIMEOUT_MS
    if not (raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 7):
        raise SchemaError("bad_env", var="KEHU_BUSY_TIMEOUT_MS", value=raw, expected="milliseconds")
    return int(raw)
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_BEGIN = "BEGIN IMMEDIATE"  # a test swaps it for plain BEGIN to show why it matters


def book_path(db: str | None) -> Path:
    """--db, else KEHU_DB, else kehu.db in the platform's per-user app directory."""
    if db is not None:
        if not db.strip():
            raise UsageError("empty_db_path")
        return Path(db).expanduser()
    env = os.environ.get("KEHU_DB")
    if env:
        return Path(env).expanduser()
    import typer

    return Path(typer.get_app_dir(APP_NAME)) / BOOK_FILE


def _check_file(path: Path) -> bool:
    """Refuse anything that is not an SQLite file before SQLite gets to touch it.

    Returns whether the file already carries kehu's application id.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except PermissionError:
        raise NoPermission("read_only", path=str(path)) from None
    except OSError as exc:
        raise IOFailure("io_error", error=exc.strerror or str(exc)) from None
    if len(head) == 0:
        return False
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise DataError("not_a_book", path=str(path), why="not an SQLite database")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise DataError("not_a_book", path=str(path), why=f"application id {app_id:#x}")
    return app_id == APPLICATION_ID


def _secure(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o077:
                p.chmod(0o600)
        except PermissionError:
            pass


def _make_engine(path: Path, write: bool, ours: bool = True) -> Engine:
    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import NullPool

    timeout_ms = busy_timeout_ms()
    engine = create_engine(
        # Built, not formatted: a path holding "?" or "%41" must name exactly that file.
        URL.create("sqlite+pysqlite", database=str(path)),
        hide_parameters=True,
        poolclass=NullPool,
        connect_args={"timeout": timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # kehu emits BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        if write and ours:
            # Only on a file known to be kehu's: the pragma rewrites the file header.
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # Writers take the write lock up front: a deferred read-then-write transaction
        # fails at once under contention instead of waiting for busy_timeout.
        immediate = conn.get_execution_options().get("kehu_write", write)
        conn.exec_driver_sql(WRITE_BEGIN if immediate else "BEGIN")

    return engine


def translate(exc: BaseException, path: Path) -> Exception | None:
    """A driver error as the KehuError a user should see, or None if unanticipated."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return Busy("busy")
    if "readonly" in text or "read-only" in text:
        return NoPermission("read_only", path=str(path))
    if "disk is full" in text or "disk i/o" in text or "unable to open" in text:
        return IOFailure("io_error", error=str(getattr(exc, "orig", exc)))
    if "not a database" in text or "malformed" in text:
        return DataError("not_a_book", path=str(path), why=str(getattr(exc, "orig", exc)))
    return None


@contextmanager
def book(db: str | None, *, write: bool, create: bool = False) -> Iterator[tuple[Session, bool]]:
    """Open the book and run the body in one transaction; yields (session, created).

    Only a command that can start a book (``create``: `kehu add`, `kehu config set`)
    creates a missing one (folder 0700, files 0600); every other command on a missing
    book raises NoBook and creates nothing, so a mistyped --db never leaves an empty
    book behind. Pending migrations run first, in the same transaction for writers.
    """
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    path = book_path(db)
    exists = path.exists()
    if exists and not write and path.is_file() and path.stat().st_size == 0:
        exists = False  # an empty file is no book: a reading command must not fill it
    if not exists and not (write and create):
        raise NoBook("no_book", path=str(path))
    ours = False
    if exists:
        ours = _check_file(path)
        if write and not os.access(path, os.W_OK):
            raise NoPermission("read_only", path=str(path))
    old_umask = os.umask(0o077)
    try:
        made: list[Path] = []
        if not exists:
            made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                if path.parent == Path(book_path(None)).parent:
                    path.parent.chmod(0o700)
            except OSError as exc:
                raise IOFailure("book_dir_failed", path=str(path.parent), error=exc.strerror) from None
        engine = _make_engine(path, write, ours)
        try:
            if not write:
                _migrate_for_reading(engine, path)
            with Session(engine, expire_on_commit=False) as session:
                with session.begin():
                    if write:
                        # Schema check, any pending steps and the command's own writes:
                        # one IMMEDIATE transaction, all or nothing.
                        _upgrade_in(session.connection(), path)
                    yield session, not exists
            if write and not ours:
                _enable_wal(engine)
            _secure(path)
        except BaseException as exc:
            if not exists:
                _remove_new_book(path, made)  # a failed first command leaves nothing behind
            if not isinstance(exc, DBAPIError):
                raise
            mapped = translate(exc, path)
            if mapped is None:
                # Unanticipated, but still one line: the driver's message (never the
                # bound parameters, which may be private notes).
                orig = getattr(exc, "orig", exc)
                mapped = DataError("db_error", error=f"{type(orig).__name__}: {orig}")
            raise mapped from None
        finally:
            engine.dispose()
    finally:
        os.umask(old_umask)


def _remove_new_book(path: Path, made: list[Path]) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
    for folder in made:  # deepest first, only the ones this command created
        try:
            folder.rmdir()
        except OSError:
            break


def _enable_wal(engine: Engine) -> None:
    """WAL lets readers (cron's `kehu remind`) run while a command writes; it persists."""
    raw = engine.raw_connection()  # outside SQLAlchemy's autobegin: not in a transaction
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def _upgrade_in(conn, path: Path) -> None:  # noqa: ANN001
    """Check the schema and apply pending steps inside the caller's transaction."""
    from kehu import migrations

    version = migrations.current_version(conn)
    if version > migrations.LATEST:
        raise SchemaError("newer_schema", path=str(path), found=version, supported=migrations.LATEST)
    if version == migrations.LATEST:
        return
    if version == 0 and _has_foreign_tables(conn):
        raise DataError("not_a_book", path=str(path), why="it holds other tables")
    migrations.upgrade(conn, version)
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def _migrate_for_reading(engine: Engine, path: Path) -> None:
    """A reading command on an older book upgrades it first, in its own transaction."""
    from kehu import migrations

    with engine.connect() as conn:
        with conn.begin():
            version = migrations.current_version(conn)
        if version == migrations.LATEST:
            return
        conn.execution_options(kehu_write=True)
        with conn.begin():
            _upgrade_in(conn, path)


def _has_foreign_tables(conn) -> bool:  # noqa: ANN001
    from sqlalchemy import inspect

    return bool(inspect(conn).get_table_names())

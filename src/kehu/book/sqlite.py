"""A book file: how it is opened, the one transaction each command runs in, and a
consistent copy of it (made before every upgrade, and by `kehu backup`).

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

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kehu import oplog
from kehu.book.common import Invocation, busy_timeout_ms, ctrl_c_held, migrate_for_reading, pending_version
from kehu.book.where import BACKUP_DIR, book_path
from kehu.errors import Busy, DataError, IOFailure, NoBook, NoPermission
from kehu.files import private_dirs, remove_dirs

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

APPLICATION_ID = 0x6B656875  # "kehu"
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_BEGIN = "BEGIN IMMEDIATE"  # a test swaps it for plain BEGIN to show why it matters


def check_file(path: Path) -> bool:
    """Refuse anything that is not an SQLite file before SQLite gets to touch it.

    Returns whether the file already carries kehu's application id.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except PermissionError:
        # Not "read-only": the user may not read it at all (another user's book).
        raise NoPermission("book_no_access", path=str(path)) from None
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


def secure(path: Path) -> None:
    """Take away what group and others may do with the book, its -wal and -shm. Bits are
    only cleared, never set: chmod 0600 would also give the owner back a write bit they
    took away themselves (a book made read-only with chmod 444 became writable)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(p.stat().st_mode)
            if mode & 0o077:
                p.chmod(mode & 0o700)
        except (FileNotFoundError, PermissionError):
            pass


def writable(path: Path) -> bool:
    """May kehu write this book? Not when the system says no, and not when its owner took
    their own write bit away (chmod 444), even for root, whom the system never refuses."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)


def file_uri(path: Path, **query: str) -> str:
    from urllib.parse import quote, urlencode

    return f"file:{quote(str(path.absolute()))}?{urlencode(query)}"


def is_frozen(path: Path) -> bool:
    """A book kehu may read but nobody can write here (a read-only mount or folder).

    SQLite needs to create the -shm file to read a WAL book; where it cannot, kehu opens
    the file as immutable. That is only safe when no -wal holds committed changes, so a
    book with a non-empty -wal is not treated as frozen (and its error is reported).
    """
    if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
        return False
    wal = Path(f"{path}-wal")
    return not (wal.exists() and wal.stat().st_size > 0) and not Path(f"{path}-shm").exists()


def make_engine(path: Path, write: bool, ours: bool = True, frozen: bool = False) -> Engine:
    import sqlite3

    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import NullPool

    from kehu.book import search_index

    timeout_ms = busy_timeout_ms()
    extra = {}
    if frozen:
        uri = file_uri(path, mode="ro", immutable="1")
        extra["creator"] = lambda: sqlite3.connect(uri, uri=True, timeout=timeout_ms / 1000,
                                                   check_same_thread=False)
    engine = create_engine(
        # Built, not formatted: a path holding "?" or "%41" must name exactly that file.
        URL.create("sqlite+pysqlite", database=str(path)),
        hide_parameters=True,
        poolclass=NullPool,
        connect_args={"timeout": timeout_ms / 1000},
        **extra,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # kehu emits BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, not left in free pages: a forgotten
        # person's private details must not be recoverable from the file.
        cur.execute("PRAGMA secure_delete = ON")
        search_index.register(dbapi_conn)
        if write and ours:
            # Only on a file known to be kehu's: the pragma rewrites the file header.
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    if write:
        oplog.attach(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
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
def transaction(path: Path, inv: Invocation, *, write: bool, create: bool = False,
                scrub: bool = False) -> Iterator[tuple[Session, bool]]:
    """Open the book file and run the body in one transaction; yields (session, created).

    Only a command that can start a book (``create``: `kehu add`, `kehu config set`)
    creates a missing one (folder 0700, files 0600); every other command on a missing
    book raises NoBook and creates nothing, so a mistyped --db never leaves an empty
    book behind. Pending migrations run first, in the same transaction for writers.
    """
    committed = False
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    exists = path.exists()
    if exists and not write and path.is_file() and path.stat().st_size == 0:
        exists = False  # an empty file is no book: a reading command must not fill it
    if not exists and not (write and create):
        raise NoBook("no_book", path=str(path))
    ours = False
    if exists:
        ours = check_file(path)
        if write and not writable(path):
            raise NoPermission("read_only", path=str(path))
    old_umask = os.umask(0o077)
    try:
        made: list[Path] = []
        if not exists:
            try:
                made = private_dirs(path.parent)
                if path.parent == Path(book_path(None)).parent:
                    path.parent.chmod(0o700)
            except OSError as exc:
                raise IOFailure("book_dir_failed", path=str(path.parent), error=exc.strerror) from None
        engine = make_engine(path, write, ours, frozen=exists and not write and is_frozen(path))
        try:
            if not write:
                migrate_for_reading(engine, lambda conn: _upgrade_in(conn, path, inv))
            with Session(engine, expire_on_commit=False) as session:
                session.info["actor"] = inv.actor
                tx = session.begin()
                try:
                    rec = None  # the operation log's Recorder, on the connection while the body runs
                    if write:
                        # Schema check, any pending steps and the command's own writes:
                        # one IMMEDIATE transaction, all or nothing.
                        _upgrade_in(session.connection(), path, inv)
                        rec = oplog.start(session.connection(), inv.command, inv.actor)
                    yield session, not exists
                    if write:
                        session.flush()
                        _index(session.connection())
                    if rec is not None:
                        rec.finish(session.connection())
                except BaseException:
                    if rec is not None:
                        rec.abandon()
                    tx.rollback()
                    raise
                with ctrl_c_held() as pressed:
                    tx.commit()
                    committed = True
                    inv.saved = inv.saved or write
            # What follows a commit runs even after a Ctrl-C held during it: a forgotten
            # person's traces must still be wiped, a new book still get WAL and 0600.
            if write and not ours:
                _enable_wal(engine)
            if scrub:
                _scrub(engine, path)
            secure(path)
            if pressed:
                raise KeyboardInterrupt  # reported as "interrupted after saving"
        except BaseException as exc:
            if not exists and not committed:
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


@contextmanager
def driver_reading(path: Path, inv: Invocation) -> Iterator[object]:
    """A read transaction on the plain sqlite3 connection, for a reading command whose
    whole work is SQL over the driver (`kehu search`): no SQLAlchemy engine, whose
    dialect import and set-up cost 12–20 ms here, a third of a search's own time.

    Only for a book file at the latest schema; anything else (no book, an empty file, a
    book to upgrade first) goes the usual way and yields that session instead, so every
    refusal and upgrade is the one ``transaction`` gives. The connection is query-only:
    this path can write nothing, not even by mistake.
    """
    import sqlite3

    from kehu.book import search_index
    from kehu.book.common import LATEST_SCHEMA

    fast = path.is_file() and path.stat().st_size > 0 and check_file(path)
    if fast:
        old_umask = os.umask(0o077)  # reading a WAL book may create its -shm
        try:
            timeout = busy_timeout_ms()
            try:
                if is_frozen(path):
                    con = sqlite3.connect(file_uri(path, mode="ro", immutable="1"), uri=True,
                                          timeout=timeout / 1000, isolation_level=None)
                else:
                    con = sqlite3.connect(str(path), timeout=timeout / 1000, isolation_level=None)
                try:
                    con.execute(f"PRAGMA busy_timeout = {timeout}")
                    con.execute("PRAGMA query_only = ON")
                    search_index.register(con)
                    con.execute("BEGIN")
                    row = (con.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone()
                           if _has_meta(con) else None)
                    fast = row is not None and str(row[0]) == str(LATEST_SCHEMA)
                    if fast:
                        yield con
                        con.execute("COMMIT")
                finally:
                    con.close()
            except sqlite3.Error as exc:
                mapped = translate(exc, path)
                raise (mapped or DataError("db_error", error=f"{type(exc).__name__}: {exc}")) from None
        finally:
            os.umask(old_umask)
        if fast:
            secure(path)
            return
    with transaction(path, inv, write=False) as (session, _):
        yield session


def _has_meta(con) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kehu_meta'").fetchone() is not None


def _index(conn) -> None:
    """Index what the command wrote (kehu.book.search_index), in its transaction: the
    book is at the latest schema by now (_upgrade_in ran first)."""
    from kehu.book import search_index

    search_index.flush(conn.connection.driver_connection)


def _remove_new_book(path: Path, made: list[Path]) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
    remove_dirs(made)  # only the folders this command created


def _scrub(engine: Engine, path: Path) -> None:
    """After a deletion that must leave no trace (`kehu person forget`)."""
    raw = engine.raw_connection()
    try:
        scrub_connection(raw.driver_connection, path)
    finally:
        raw.close()


def scrub_connection(conn, path: Path) -> None:
    """Wipe what deleted rows left behind in the book's files.

    secure_delete (on for every connection) already zeroed the deleted rows; the search
    index is merged into one segment (dropping the deleted entries' tokens); VACUUM
    rewrites the file so no older copy survives in free space (an earlier edit of the
    same field, say), and a TRUNCATE checkpoint moves everything out of the -wal and
    empties it. The deletion itself is already committed when this runs, so a failure
    says so and names `kehu doctor --scrub`, which runs just this again.
    """
    import sqlite3
    import time

    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_index'").fetchone():
            # FTS5 keeps a deleted entry's tokens in older segments until it merges them:
            # merge everything now, so a forgotten person's name leaves no trace there.
            conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
        conn.execute("VACUUM")
        deadline = time.monotonic() + busy_timeout_ms() / 1000
        while True:
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError("database is locked")
            time.sleep(0.05)
    except sqlite3.Error as exc:
        mapped = translate(exc, path) or IOFailure("io_error", error=str(exc))
        raise type(mapped)("scrub_incomplete", why=str(exc)) from None


def _enable_wal(engine: Engine) -> None:
    """WAL lets readers (cron's `kehu remind`) run while a command writes; it persists."""
    raw = engine.raw_connection()  # outside SQLAlchemy's autobegin: not in a transaction
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def _upgrade_in(conn, path: Path, inv: Invocation) -> None:
    """Check the schema and apply pending steps inside the caller's transaction."""
    from kehu import migrations

    version = pending_version(conn, str(path), "it holds other tables")
    if version is None:
        return
    if version > 0:
        # This transaction holds the write lock and has written nothing yet, so the copy
        # (read by a second connection) is exactly the book the steps are about to change.
        copy = copy_book(path, backup_name(path, f"v{version}"))
        inv.notify("backup_before_upgrade", path=str(copy), old=version, new=migrations.LATEST)
        from datetime import datetime

        from kehu.book import retention

        removed = retention.prune(path, copy.parent, datetime.now())
        if removed:
            inv.notify("backups_pruned", n=len(removed), folder=str(copy.parent))
    migrations.upgrade(conn, version)
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def backup_name(path: Path, tag: str = "") -> Path:
    """A new file in the book's backups folder: kehu-20261123-101500[-v2].db."""
    import time

    folder = path.parent / BACKUP_DIR
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = f"{path.stem}-{stamp}" + (f"-{tag}" if tag else "")
    candidate = folder / f"{base}.db"
    n = 1
    while candidate.exists():
        candidate = folder / f"{base}-{n}.db"
        n += 1
    return candidate


def connect_ro(path: Path, immutable: bool = False):
    import sqlite3

    query = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
    conn = sqlite3.connect(file_uri(path, **query), uri=True, timeout=busy_timeout_ms() / 1000,
                           isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    return conn


def copy_book(source: Path, dest: Path, *, untrusted: bool = False, exclusive: bool = True) -> Path:
    """A consistent copy of ``source`` at ``dest`` (0600, folder 0700), whole or not at all.

    SQLite's online backup reads a committed snapshot even while another process writes.
    The copy is a single self-contained file (rollback journal, no -wal beside it). An
    untrusted source is opened immutable: nothing beside it is read or created.
    """
    import sqlite3
    import tempfile

    old_umask = os.umask(0o077)
    tmp = None
    try:
        try:
            private_dirs(dest.parent)
            fd, tmp = tempfile.mkstemp(prefix=".kehu-", suffix=".db", dir=dest.parent)
            os.close(fd)
        except OSError as exc:
            raise IOFailure("cannot_write_file", path=str(dest), error=exc.strerror or str(exc)) from None
        src = connect_ro(source, immutable=untrusted or is_frozen(source))
        try:
            out = sqlite3.connect(tmp, isolation_level=None)
            try:
                src.backup(out, progress=give_up_when_busy())
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if exclusive:
            os.link(tmp, dest)  # fails if dest appeared meanwhile: a backup never overwrites
            os.unlink(tmp)
        else:
            os.replace(tmp, dest)
        tmp = None
        return dest
    except FileExistsError:
        from kehu.errors import Refused

        raise Refused("backup_exists", path=str(dest)) from None
    except sqlite3.Error as exc:
        if disk_full(exc):
            # The copy's disk, not the book: reading never fills a disk.
            raise IOFailure("disk_full", path=str(dest.parent)) from None
        mapped = translate(exc, source)
        raise (mapped or DataError("not_a_book", path=str(source), why=str(exc))) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise IOFailure("disk_full", path=str(dest.parent)) from None
        raise IOFailure("cannot_write_file", path=str(dest), error=exc.strerror or str(exc)) from None
    finally:
        if tmp is not None:
            # The copy's own rollback journal too: SQLite leaves it when the disk fills.
            for leftover in (tmp, f"{tmp}-journal", f"{tmp}-wal", f"{tmp}-shm"):
                Path(leftover).unlink(missing_ok=True)
        os.umask(old_umask)


def disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL (or the OS's ENOSPC under it)."""
    import sqlite3

    code = getattr(exc, "sqlite_errorcode", None)
    return code == getattr(sqlite3, "SQLITE_FULL", 13) or "disk is full" in str(exc).lower()


def give_up_when_busy():
    """sqlite3's backup retries a locked book forever; give up after the busy timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + busy_timeout_ms() / 1000

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


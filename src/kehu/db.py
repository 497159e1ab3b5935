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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kehu.errors import Busy, DataError, IOFailure, NoBook, NoPermission, SchemaError, UsageError
from kehu.files import private_dirs, remove_dirs

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
BACKUP_DIR = "backups"

# The CLI points this at a function that prints a notice on stderr in the user's
# language (db.py prints nothing itself): (i18n key, parameters).
notify: Callable[..., None] = lambda key, **params: None  # noqa: E731
WRITE_BEGIN = "BEGIN IMMEDIATE"  # a test swaps it for plain BEGIN to show why it matters

# The salesperson acting (--as, KEHU_USER, else the login name), set by the CLI and
# handed to the store with each session: it is recorded in the history.
actor: str | None = None

# Set once this process has committed a write: a Ctrl-C after that point must not be
# reported as "nothing was written" (the CLI's error boundary reads it).
saved = False


@contextmanager
def _ctrl_c_held() -> Iterator[list[bool]]:
    """Hold a Ctrl-C that arrives while COMMIT runs until COMMIT has returned."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # (Ctrl-C ignored, as for a job started in the background by a script or nohup:
        # it stays ignored, also during the commit.)
        yield []
        return
    pressed: list[bool] = []
    old = signal.signal(signal.SIGINT, lambda *_: pressed.append(True))
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, old)


def server_url(db: str | None) -> str | None:
    """The database URL when --db (else KEHU_DB) names a server book, else None."""
    from kehu import server

    raw = db if db is not None else os.environ.get("KEHU_DB")
    return raw if server.is_url(raw) else None


def describe(db: str | None) -> str:
    """The book as shown to the user: its path, or host:port/dbname (never a server URL,
    which may hold a password)."""
    url = server_url(db)
    if url is None:
        return str(book_path(db))
    from kehu import server

    return server.where(server.parse(url))


def _file_only(db: str | None, what: str) -> None:
    """Backups, restore and the file checks are about a book file; a server has its own."""
    if server_url(db) is not None:
        raise UsageError("server_not_a_file", what=what)


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


def _file_uri(path: Path, **query: str) -> str:
    from urllib.parse import quote, urlencode

    return f"file:{quote(str(path.absolute()))}?{urlencode(query)}"


def _frozen(path: Path) -> bool:
    """A book kehu may read but nobody can write here (a read-only mount or folder).

    SQLite needs to create the -shm file to read a WAL book; where it cannot, kehu opens
    the file as immutable. That is only safe when no -wal holds committed changes, so a
    book with a non-empty -wal is not treated as frozen (and its error is reported).
    """
    if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
        return False
    wal = Path(f"{path}-wal")
    return not (wal.exists() and wal.stat().st_size > 0) and not Path(f"{path}-shm").exists()


def _make_engine(path: Path, write: bool, ours: bool = True, frozen: bool = False) -> Engine:
    import sqlite3

    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import NullPool

    timeout_ms = busy_timeout_ms()
    extra = {}
    if frozen:
        uri = _file_uri(path, mode="ro", immutable="1")
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
        if write and ours:
            # Only on a file known to be kehu's: the pragma rewrites the file header.
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

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
def book(db: str | None, *, write: bool, create: bool = False,
         scrub: bool = False) -> Iterator[tuple[Session, bool]]:
    """Open the book and run the body in one transaction; yields (session, created).

    Only a command that can start a book (``create``: `kehu add`, `kehu config set`)
    creates a missing one (folder 0700, files 0600); every other command on a missing
    book raises NoBook and creates nothing, so a mistyped --db never leaves an empty
    book behind. Pending migrations run first, in the same transaction for writers.
    """
    global saved
    url = server_url(db)
    if url is not None:
        from kehu import server

        with server.book(url, write=write, create=create, scrub=scrub) as opened:
            opened[0].info["actor"] = actor
            yield opened
        return
    committed = False
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
            try:
                made = private_dirs(path.parent)
                if path.parent == Path(book_path(None)).parent:
                    path.parent.chmod(0o700)
            except OSError as exc:
                raise IOFailure("book_dir_failed", path=str(path.parent), error=exc.strerror) from None
        engine = _make_engine(path, write, ours, frozen=exists and not write and _frozen(path))
        try:
            if not write:
                migrate_for_reading(engine, lambda conn: _upgrade_in(conn, path))
            with Session(engine, expire_on_commit=False) as session:
                session.info["actor"] = actor
                tx = session.begin()
                try:
                    if write:
                        # Schema check, any pending steps and the command's own writes:
                        # one IMMEDIATE transaction, all or nothing.
                        _upgrade_in(session.connection(), path)
                    yield session, not exists
                except BaseException:
                    tx.rollback()
                    raise
                with _ctrl_c_held() as pressed:
                    tx.commit()
                    committed = True
                    saved = saved or write
            # What follows a commit runs even after a Ctrl-C held during it: a forgotten
            # person's traces must still be wiped, a new book still get WAL and 0600.
            if write and not ours:
                _enable_wal(engine)
            if scrub:
                _scrub(engine, path)
            _secure(path)
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

    secure_delete (on for every connection) already zeroed the deleted rows; VACUUM
    rewrites the file so no older copy survives in free space (an earlier edit of the
    same field, say), and a TRUNCATE checkpoint moves everything out of the -wal and
    empties it. The deletion itself is already committed when this runs, so a failure
    says so and names `kehu doctor --scrub`, which runs just this again.
    """
    import sqlite3
    import time

    try:
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


def scrub(db: str | None) -> None:
    """`kehu doctor --scrub`: the clean-up of `person forget` on its own."""
    import sqlite3

    url = server_url(db)
    if url is not None:
        from kehu import server

        return server.scrub(url)

    path = book_path(db)
    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    if not _check_file(path):
        raise DataError("not_a_book", path=str(path), why="no kehu application id")
    if not os.access(path, os.W_OK):
        raise NoPermission("read_only", path=str(path))
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        conn.execute("PRAGMA secure_delete = ON")
        scrub_connection(conn, path)
    finally:
        conn.close()


def backups_of(db: str | None) -> list[Path]:
    if server_url(db) is not None:
        return []  # a server's backups are its administrator's, out of kehu's sight
    folder = book_path(db).parent / BACKUP_DIR
    return sorted(p for p in folder.glob("*.db")) if folder.is_dir() else []


def _enable_wal(engine: Engine) -> None:
    """WAL lets readers (cron's `kehu remind`) run while a command writes; it persists."""
    raw = engine.raw_connection()  # outside SQLAlchemy's autobegin: not in a transaction
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def pending_version(conn, where: str, foreign: str) -> int | None:
    """The book's schema version when steps are pending, None when it is current.

    Refuses a schema newer than this kehu, and a database (or schema) that holds some
    other application's tables (``foreign`` says which), on either backend.
    """
    from kehu import migrations

    version = migrations.current_version(conn)
    if version > migrations.LATEST:
        raise SchemaError("newer_schema", path=where, found=version, supported=migrations.LATEST)
    if version == migrations.LATEST:
        return None
    if version == 0 and _has_foreign_tables(conn):
        raise DataError("not_a_book", path=where, why=foreign)
    return version


def _upgrade_in(conn, path: Path) -> None:
    """Check the schema and apply pending steps inside the caller's transaction."""
    from kehu import migrations

    version = pending_version(conn, str(path), "it holds other tables")
    if version is None:
        return
    if version > 0:
        # This transaction holds the write lock and has written nothing yet, so the copy
        # (read by a second connection) is exactly the book the steps are about to change.
        copy = copy_book(path, backup_name(path, f"v{version}"))
        notify("backup_before_upgrade", path=str(copy), old=version, new=migrations.LATEST)
    migrations.upgrade(conn, version)
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def migrate_for_reading(engine: Engine, upgrade: Callable[..., object]) -> object:
    """A reading command on an older book upgrades it first, in a writer's transaction of
    its own (``upgrade(conn)`` on a file or a server); returns what ``upgrade`` did."""
    from kehu import migrations

    with engine.connect() as conn:
        with conn.begin():
            version = migrations.current_version(conn)
        if version == migrations.LATEST:
            return None
        conn.execution_options(kehu_write=True)
        with conn.begin():
            return upgrade(conn)


def _has_foreign_tables(conn) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(conn).get_table_names())


# ---------------------------------------------------------------- backups, restore, doctor


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


def _connect_ro(path: Path, immutable: bool = False):
    import sqlite3

    query = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
    conn = sqlite3.connect(_file_uri(path, **query), uri=True, timeout=busy_timeout_ms() / 1000,
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
        src = _connect_ro(source, immutable=untrusted or _frozen(source))
        try:
            out = sqlite3.connect(tmp, isolation_level=None)
            try:
                src.backup(out, progress=_give_up_when_busy())
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
        mapped = translate(exc, source)
        raise (mapped or DataError("not_a_book", path=str(source), why=str(exc))) from None
    except OSError as exc:
        raise IOFailure("cannot_write_file", path=str(dest), error=exc.strerror or str(exc)) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        os.umask(old_umask)


def _give_up_when_busy():
    """sqlite3's backup retries a locked book forever; give up after the busy timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + busy_timeout_ms() / 1000

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


def backup(db: str | None, dest: str | None) -> Path:
    """`kehu backup [DEST]`: a verified copy of the book; DEST may be a folder."""
    from kehu.errors import Refused

    _file_only(db, "backup")

    path = book_path(db)
    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    _check_file(path)
    if dest is None:
        target = backup_name(path)
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / backup_name(path).name
        if target.exists():
            raise Refused("backup_exists", path=str(target))
        if target.resolve() == path.resolve():
            raise Refused("backup_exists", path=str(target))
    copy_book(path, target)
    problems = check_book_file(target)
    if problems:
        target.unlink(missing_ok=True)
        raise DataError("backup_damaged", path=str(path), why=problems[0])
    return target


def _book_facts(conn) -> tuple[str, list, int | None]:
    """integrity_check (as one line), the foreign_key_check rows, the schema version."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    has_meta = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kehu_meta'").fetchone()[0]
    row = conn.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone() if has_meta else None
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    return " ".join("; ".join(rows[:3]).split()), fk, version


def _tables_of(fk: list) -> str:
    return ", ".join(sorted({r[0] for r in fk}))


def check_book_file(path: Path, *, immutable: bool = True) -> list[str]:
    """What is wrong with a kehu book file (empty when nothing): integrity, keys, schema."""
    import sqlite3

    from kehu import migrations

    try:
        conn = _connect_ro(path, immutable=immutable)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        problems = []
        integrity, fk, version = _book_facts(conn)
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        if fk:
            problems.append(f"foreign_key_check: {len(fk)} rows point nowhere ({_tables_of(fk)})")
        if version is None:
            problems.append("schema: no kehu schema version")
        elif version > migrations.LATEST:
            problems.append(f"schema: version {version} is newer than this kehu ({migrations.LATEST})")
        return problems
    except sqlite3.Error as exc:
        return [f"unreadable: {exc}"]
    finally:
        conn.close()


def damage(db: str | None) -> str | None:
    """The first integrity problem of the book, or None (also when there is no book)."""
    if server_url(db) is not None:
        return None  # PostgreSQL checks its own pages; kehu does not second-guess it
    path = book_path(db)
    if not path.is_file():
        return None
    problems = [p for p in check_book_file(path, immutable=False) if not p.startswith("schema")]
    return problems[0] if problems else None


def restore(db: str | None, source: str) -> tuple[Path, Path | None, bool]:
    """`kehu restore FILE`: check FILE as untrusted input, back up the book, replace it.

    Returns (the book, the copy of what it held before or None for a new book, whether
    that book was damaged and so moved aside rather than copied).
    """
    import sqlite3

    from kehu import migrations

    _file_only(db, "restore")
    path = book_path(db)
    src = Path(source).expanduser()
    if not src.is_file():
        raise NoBook("no_file", path=str(src))
    try:
        ours = _check_file(src)
    except DataError as exc:
        raise DataError("restore_refused", path=str(src), why=exc.params.get("why", "")) from None
    if not ours:
        raise DataError("restore_refused", path=str(src), why="not a kehu book (no kehu application id)")
    # Check a private copy, never the original: the original is left as it is.
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        staged = copy_book(src, path.parent / f".{path.name}-restoring-{os.getpid()}.db", untrusted=True,
                           exclusive=False)
    except DataError as exc:
        remove_dirs(made)
        raise DataError("restore_refused", path=str(src), why=exc.params.get("why", exc.key)) from None
    try:
        problems = check_book_file(staged)
        if any("newer than this kehu" in p for p in problems):
            c = _connect_ro(staged, immutable=True)
            try:
                found = _book_facts(c)[2]
            finally:
                c.close()
            raise SchemaError("newer_schema", path=str(src), found=found, supported=migrations.LATEST)
        if problems:
            raise DataError("restore_refused", path=str(src), why=problems[0])
        before = None
        damaged = False
        if path.exists() and path.stat().st_size > 0:
            _check_file(path)  # another application's file at the path is never replaced
            if not os.access(path, os.W_OK):
                raise NoPermission("read_only", path=str(path))
            # Restoring is the remedy for a damaged book, so a damaged one is not copied
            # (it cannot be) but moved aside whole, with its -wal, and kept.
            damaged = any(p.startswith(("integrity_check", "foreign_key_check", "cannot open", "unreadable"))
                          for p in check_book_file(path, immutable=False))
        if damaged:
            before = backup_name(path, "damaged")
            private_dirs(before.parent)
            wal = Path(f"{path}-wal")
            if wal.exists():
                os.replace(wal, f"{before}-wal")
            Path(f"{path}-shm").unlink(missing_ok=True)
            os.replace(path, before)
        if damaged or not (path.exists() and path.stat().st_size > 0):
            private_dirs(path.parent)
            os.replace(staged, path)
            with sqlite3.connect(path, isolation_level=None) as c:
                c.execute("PRAGMA journal_mode = WAL")
            _secure(path)
        else:
            before = copy_book(path, backup_name(path, "before-restore"))
            try:
                stage = sqlite3.connect(staged, isolation_level=None)
                live = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000)
                try:
                    live.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
                    # Page by page into the live book under its write lock, in one
                    # transaction: readers see the old book or the restored one.
                    stage.backup(live, progress=_give_up_when_busy())
                    live.execute("PRAGMA journal_mode = WAL")
                finally:
                    live.close()
                    stage.close()
            except sqlite3.Error as exc:
                raise (translate(exc, path) or DataError("db_error", error=str(exc))) from None
            _secure(path)
        return path, before, damaged
    except BaseException:
        staged.unlink(missing_ok=True)
        remove_dirs(made)
        raise
    finally:
        staged.unlink(missing_ok=True)


def doctor(db: str | None) -> list[tuple[str, bool, str, dict]]:
    """`kehu doctor`: (check, passed, message key, parameters), without changing the book."""
    import sqlite3

    from kehu import migrations

    url = server_url(db)
    if url is not None:
        from kehu import server

        return server.doctor(url)

    path = book_path(db)
    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    results: list[tuple[str, bool, str, dict]] = []
    try:
        ours = _check_file(path)
        results.append(("file", True, "doctor_file_ok" if ours else "doctor_file_new", {}))
    except (DataError, NoPermission, IOFailure) as exc:
        results.append(("file", False, exc.key, exc.params))
        return results
    conn = None
    try:
        conn = _connect_ro(path, immutable=_frozen(path))
        integrity, fk, found = _book_facts(conn)
        results.append(("integrity", integrity == "ok", "doctor_ok" if integrity == "ok" else "doctor_damaged",
                        {"detail": integrity}))
        results.append(("foreign_keys", not fk, "doctor_ok" if not fk else "doctor_fk",
                        {"n": len(fk), "tables": _tables_of(fk)}))
        version = found or 0
        results.append(("schema", *migrations.verdict(version)))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        results.append(("journal", True, "doctor_journal", {"mode": mode}))  # informative: WAL comes with the next write
    except sqlite3.Error as exc:
        results.append(("integrity", False, "doctor_damaged", {"detail": str(exc)}))
    finally:
        if conn is not None:
            conn.close()
    results.append(_permissions(path))
    return results


def _permissions(path: Path) -> tuple[str, bool, str, dict]:
    """Files others can read, and a folder others can write (they could swap the book)."""
    loose = []

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists() and mode(p) & 0o077:
            loose.append(f"{p.name} {mode(p):04o}")
    backups = path.parent / BACKUP_DIR
    if backups.is_dir():
        if mode(backups) & 0o077:
            loose.append(f"{BACKUP_DIR}/ {mode(backups):04o}")
        loose.extend(f"{BACKUP_DIR}/{p.name} {mode(p):04o}"
                     for p in sorted(backups.iterdir()) if p.is_file() and mode(p) & 0o077)
    if mode(path.parent) & 0o022 and not path.parent.stat().st_mode & stat.S_ISVTX:
        loose.append(f"{path.parent}/ {mode(path.parent):04o}")
    if loose:
        return ("permissions", False, "doctor_perm_loose", {"items": "; ".join(loose)})
    return ("permissions", True, "doctor_perm_ok", {})

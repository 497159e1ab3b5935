"""A book on a PostgreSQL server (team mode): how it is opened, locked and reported.

Everything PostgreSQL-specific is here, as everything SQLite-specific is in sqlite.py; the
store, the migrations and the rules are the same code on both.

- The URL comes from --db or KEHU_DB (``postgresql://user@host:port/dbname``); the
  password from the URL, PGPASSWORD or ~/.pgpass (libpq reads both). kehu never prints
  the URL: messages name the server as host:port/dbname and any password that could
  be in a driver's message is cut out first.
- Writers run one after another, as on SQLite: each write transaction first takes one
  transaction-level advisory lock (released by COMMIT or ROLLBACK, so a killed client
  never leaves it held), waiting at most the busy timeout. Under READ COMMITTED every
  statement after the lock sees what the previous writer committed, so a read-then-
  write command (a claim, a touch, an import) can neither lose an update nor double-
  claim. Readers take a REPEATABLE READ, READ ONLY snapshot: one consistent book, and
  no way for a reading command to write.
- The schema is created and upgraded by the same steps as an SQLite book, inside the
  writer's transaction (PostgreSQL's DDL is transactional too).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kehu import oplog
from kehu.book.common import Invocation, busy_timeout_ms, ctrl_c_held, migrate_for_reading, pending_version
from kehu.errors import Busy, DataError, IOFailure, NoBook, NoPermission, SchemaError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine
    from sqlmodel import Session

LOCK_KEY = 0x6B656875  # "kehu"
# The one advisory lock every writer of a book takes: kehu's key and the book's schema,
# so books in two schemas of one database do not wait for each other.
LOCK_SQL = f"SELECT pg_advisory_xact_lock({LOCK_KEY}, hashtext(current_schema()))"
_EXPLICIT_ID = re.compile(r'INSERT INTO "?(\w+)"? \(id,')


def parse(raw: str) -> URL:
    """The URL as SQLAlchemy's, with psycopg 3 as its driver; never echoed back."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):
        raise UsageError("bad_db_url") from None
    if not raw.strip().lower().split(":", 1)[1].startswith("//") or \
            url.get_backend_name() not in ("postgresql", "postgres"):
        raise UsageError("bad_db_url")
    # An '@' left unencoded in a password ends the user part early: the rest of the
    # password became the "host", and was printed in every message that names the server.
    authority = raw.strip().split("//", 1)[1].split("/", 1)[0]
    if authority.count("@") > 1 or "@" in (url.database or ""):
        raise UsageError("db_url_at")
    return url.set(drivername="postgresql+psycopg")


def where(url: URL) -> str:
    """The server and database as shown to the user: host:port/dbname, no user or password."""
    host = url.host or os.environ.get("PGHOST") or "localhost"
    port = url.port or os.environ.get("PGPORT") or 5432
    name = url.database or os.environ.get("PGDATABASE") or url.username or os.environ.get("PGUSER") or ""
    return f"{host}:{port}/{name}"


def _secrets(url: URL) -> list[str]:
    found = [url.password, os.environ.get("PGPASSWORD")]
    return [s for s in found if s]


def clean(text: str, url: URL) -> str:
    """A driver message fit for one line: first line only, any password cut out."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    for secret in _secrets(url):
        line = line.replace(secret, "***")
    return re.sub(r"password=\S+", "password=***", line)


def make_engine(url: URL, write: bool) -> Engine:
    import logging

    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    # psycopg logs some failures itself (a pipeline cut short by Ctrl-C), naming host,
    # user and database: kehu reports each failure in its own one line instead.
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    logging.getLogger("psycopg").propagate = False
    timeout_ms = busy_timeout_ms()
    LOCK_TIMEOUT = f"SET LOCAL lock_timeout = {max(1, int(timeout_ms))}"  # 0 would mean: wait for ever
    try:
        engine = create_engine(
            url,
            hide_parameters=True,  # bound values are customers' notes
            poolclass=NullPool,
            isolation_level="READ COMMITTED",
            # prepare_threshold=None: no server-side prepared statements. An import's
            # `name_key IN (500 keys)` prepared and run five times gets a generic plan
            # that scans the whole table (a 100k-row import took 10-100 s, not 2-7 s).
            connect_args={"connect_timeout": max(2, timeout_ms // 1000), "application_name": "kehu",
                          "prepare_threshold": None},
        )
    except ImportError:
        raise SchemaError("no_psycopg") from None

    @event.listens_for(engine, "before_cursor_execute")
    def _explicit_ids(conn, _cursor, statement, _params, _context, _many):
        # A CSV import inserts rows with ids kehu chose, past the id sequence: note the
        # table so the sequence is moved on before COMMIT (_resync_ids).
        found = _EXPLICIT_ID.match(statement)
        if found:
            conn.info.setdefault("explicit_ids", set()).add(found.group(1))

    if write:
        oplog.attach(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("kehu_write", write):
            conn.exec_driver_sql(LOCK_TIMEOUT)
            conn.exec_driver_sql(LOCK_SQL)
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # A reader takes no kehu lock, but a table lock (a teammate's VACUUM FULL,
            # an administrator's ALTER) must not make it wait for ever either.
            conn.exec_driver_sql(LOCK_TIMEOUT)

    return engine


def translate(exc: BaseException, url: URL) -> Exception:
    """A driver error as the one line a user should see (never the URL or a password)."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    server = where(url)
    if state == "55P03" or "lock timeout" in text:
        return Busy("busy")
    if state == "42501":
        return NoPermission("server_no_rights", where=server, why=clean(str(orig), url))
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return NoBook("no_server_db", where=server, db=url.database or "")
    if state == "57014":  # a statement cancelled (statement_timeout, an administrator)
        return Busy("server_unreachable", where=server, why=clean(str(orig), url))
    denied = any(w in text for w in ("password", "authentication", "pg_hba")) or (
        "role" in text and "does not exist" in text)
    if state.startswith("28") or not state and denied:
        return NoPermission("server_denied", where=server, user=url.username or os.environ.get("PGUSER") or "")
    if state == "25006":
        return NoPermission("server_read_only", where=server)
    if state in ("53100", "53200"):
        return IOFailure("io_error", error=clean(str(orig), url))
    if state.startswith(("08", "57P")) or not state and any(
        w in text for w in ("connection", "could not translate", "failed to resolve", "timeout expired",
                            "server closed", "name or service not known")
    ):
        return Busy("server_unreachable", where=server, why=clean(str(orig), url))
    return DataError("db_error", error=f"{type(orig).__name__}: {clean(str(orig), url)}")


@contextmanager
def transaction(raw: str, inv: Invocation, *, write: bool, create: bool = False,
                scrub: bool = False) -> Iterator[tuple[Session, bool]]:
    """sqlite.transaction for a server book: one transaction, the schema checked and upgraded first."""
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    url = parse(raw)
    engine = make_engine(url, write)
    created = False
    try:
        if not write:
            created = bool(migrate_for_reading(engine, lambda conn: _upgrade_in(conn, url, inv, create=False)))
        with Session(engine, expire_on_commit=False) as session:
            session.info["server"] = True
            session.info["actor"] = inv.actor
            tx = session.begin()
            try:
                rec = None  # the operation log's Recorder, on the connection while the body runs
                if write:
                    created = _upgrade_in(session.connection(), url, inv, create)
                    rec = oplog.start(session.connection(), inv.command, inv.actor, team=True)
                yield session, created
                if rec is not None:
                    session.flush()
                    rec.finish(session.connection())
                conn = session.connection()
                if conn.info.get("explicit_ids"):
                    _resync_ids(conn, conn.info.pop("explicit_ids"))
            except BaseException:
                if rec is not None:
                    rec.abandon()
                tx.rollback()
                raise
            with ctrl_c_held() as pressed:
                tx.commit()
                inv.saved = inv.saved or write
        if scrub:
            _vacuum(engine, url)
        if pressed:
            raise KeyboardInterrupt
    except DBAPIError as exc:
        raise translate(exc, url) from None
    finally:
        engine.dispose()


def _upgrade_in(conn, url: URL, inv: Invocation, create: bool) -> bool:
    """Check the schema and apply pending steps in the writer's transaction; True if created."""
    from kehu import migrations

    version = pending_version(conn, where(url), "its schema holds other tables")
    if version is None:
        return False
    if version == 0:
        if not create:
            raise NoBook("no_server_book", where=where(url))
    else:
        inv.notify("server_upgrade", where=where(url), old=version, new=migrations.LATEST)
    migrations.upgrade(conn, version)
    return version == 0


def _resync_ids(conn, tables: set[str]) -> None:
    """After rows were inserted with ids kehu chose (a CSV import), move each table's
    sequence past them, or the next `kehu add` would collide with an imported id."""
    from sqlalchemy import text

    for table in sorted(tables):
        conn.execute(text(
            "SELECT setval(pg_get_serial_sequence(:t, 'id'), coalesce(max(id), 0) + 1, false) FROM " + table
        ), {"t": table})


def scrub(raw: str) -> None:
    """`kehu doctor --scrub` on a server book: the rewrite of `person forget` on its own."""
    url = parse(raw)
    engine = make_engine(url, write=True)
    try:
        _vacuum(engine, url)
    finally:
        engine.dispose()


_FORGET_TABLES = ("person", "touchpoint_person", "touch_signal", "touchpoint", "event", "operation")


def _filenodes(conn) -> dict[str, int]:
    from sqlalchemy import text

    return {t: conn.execute(text("SELECT pg_relation_filenode(CAST(:t AS regclass))"), {"t": t}).scalar()
            for t in _FORGET_TABLES}


def _vacuum(engine: Engine, url: URL) -> None:
    """After `kehu person forget`: rewrite the tables the person was in, so no dead row
    still holds them. The server's WAL archive and its backups are beyond kehu's reach
    (the command says so)."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # VACUUM FULL needs an exclusive lock; waiting for it without a limit would
            # queue every teammate's command behind it. Give up after the busy timeout.
            conn.exec_driver_sql(f"SET lock_timeout = {max(1, int(busy_timeout_ms()))}")
            before = _filenodes(conn)
            conn.exec_driver_sql("VACUUM (FULL) " + ", ".join(_FORGET_TABLES))
            # PostgreSQL skips, with a mere warning, a table this role does not own.
            kept = sorted(t for t, node in _filenodes(conn).items() if node == before[t])
        if kept:
            raise NoPermission("scrub_incomplete", why=f"not rewritten, this role does not own them: {', '.join(kept)}")
    except DBAPIError as exc:
        mapped = translate(exc, url)
        raise type(mapped)("scrub_incomplete", why=clean(str(getattr(exc, "orig", exc)), url)) from None


def doctor(raw: str) -> list[tuple[str, bool, str, dict]]:
    """`kehu doctor` for a server book: reachable, schema, who else can read it, transport."""
    from sqlalchemy.exc import DBAPIError

    from kehu import migrations

    url = parse(raw)
    engine = make_engine(url, write=False)
    results: list[tuple[str, bool, str, dict]] = []
    try:
        with engine.connect() as conn, conn.begin():
            server_version = conn.exec_driver_sql("SHOW server_version").scalar()
            results.append(("server", True, "doctor_server_ok", {"where": where(url), "version": server_version}))
            version = migrations.current_version(conn)
            ok, key, params = migrations.verdict(version)
            results.append(("schema", ok, "doctor_schema_old_server" if key == "doctor_schema_old" else key, params))
            public = conn.exec_driver_sql(
                "SELECT DISTINCT table_name FROM information_schema.role_table_grants "
                "WHERE grantee = 'PUBLIC' AND table_schema = current_schema() ORDER BY 1"
            ).scalars().all()
            if public:
                results.append(("privileges", False, "doctor_public_tables", {"tables": ", ".join(public)}))
            else:
                results.append(("privileges", True, "doctor_privileges_ok", {}))
            ssl = conn.exec_driver_sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar()
            host = conn.connection.dbapi_connection.info.host or ""  # where libpq really went
            local = host in ("localhost", "127.0.0.1", "::1") or host.startswith("/")
            if ssl or local:
                results.append(("transport", True, "doctor_transport_ok", {"how": "TLS" if ssl else "local"}))
            else:
                results.append(("transport", False, "doctor_transport_plain", {"where": where(url)}))
    except DBAPIError as exc:
        mapped = translate(exc, url)
        results.append(("server", False, mapped.key, mapped.params))  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    return results

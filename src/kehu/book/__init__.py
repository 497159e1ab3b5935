"""The account book as the commands see it: open it for one transaction, look after it.

Each function here decides whether --db (else KEHU_DB) names a book file or a server
book and hands the work to that backend: ``sqlite`` (a file: the engine, pragmas,
BEGIN IMMEDIATE, a consistent copy), ``postgres`` (team mode), ``care`` (backup,
restore, doctor of a file). ``where`` says where the book is; ``common`` holds what both
backends share, the ``Invocation`` among it. Neither backend imports the other or this
module. Light at import: the CLI builds its Invocation on every start, `--help` too.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from kehu.book.common import Invocation
from kehu.book.where import book_path, check_kind, server_url
from kehu.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel import Session

__all__ = ["Invocation", "backup", "backups_of", "damage", "describe", "doctor", "open",
           "prune", "read_sql", "restore", "scrub", "server_url"]


def open(db: str | None, inv: Invocation, *, write: bool, create: bool = False,
         scrub: bool = False) -> AbstractContextManager[tuple[Session, bool]]:
    """The book for one command: ``with book.open(db, inv, write=...) as (session, created)``
    runs the body in one transaction, committed when it ends.

    Only a command that can start a book (``create``: `kehu add`, `kehu config set`)
    creates a missing one; every other command on a missing book raises NoBook and
    creates nothing. Pending migrations run first, in the same transaction for writers.
    ``scrub``: after the commit, wipe what deleted rows left behind (`kehu person forget`).
    """
    url = server_url(db)
    if url is not None:
        from kehu.book import postgres

        return postgres.transaction(url, inv, write=write, create=create, scrub=scrub)
    from kehu.book import sqlite

    return sqlite.transaction(_file(db), inv, write=write, create=create, scrub=scrub)


def read_sql(db: str | None, inv: Invocation) -> AbstractContextManager[object]:
    """For a reading command whose whole work is SQL (`kehu search`): ``with
    book.read_sql(db, inv) as conn`` gives, on a book file at the latest schema, the plain
    sqlite3 connection in a query-only read transaction (no SQLAlchemy engine to set up);
    on a server book, or a file that must be upgraded first, the usual session."""
    url = server_url(db)
    if url is not None:
        from contextlib import contextmanager

        from kehu.book import postgres

        @contextmanager
        def session_only():
            with postgres.transaction(url, inv, write=False) as (session, _):
                yield session

        return session_only()
    from kehu.book import sqlite

    return sqlite.driver_reading(_file(db), inv)


def describe(db: str | None) -> str:
    """The book as shown to the user: its path, or host:port/dbname (never a server URL,
    which may hold a password)."""
    url = server_url(db)
    if url is None:
        return str(book_path(db))
    from kehu.book import postgres

    return postgres.where(postgres.parse(url))


def _file(db: str | None) -> Path:
    """The book file, refused before anything opens it unless it is a regular file or
    missing (a FIFO, a device, a folder, a folder the user cannot enter)."""
    path = book_path(db)
    check_kind(path)
    return path


def _file_only(db: str | None, what: str) -> Path:
    """Backups, restore and the file checks are about a book file; a server has its own."""
    if server_url(db) is not None:
        raise UsageError("server_not_a_file", what=what)
    return _file(db)


def backup(db: str | None, dest: str | None) -> Path:
    """`kehu backup [DEST]`: a verified copy of the book; DEST may be a folder."""
    path = _file_only(db, "backup")
    from kehu.book import care

    return care.backup(path, dest)


def prune(db: str | None, now: datetime) -> tuple[Path, list[Path]]:
    """`kehu backup --prune`, and after every `kehu backup`: remove the copies in the
    book's backups folder that the retention rule does not keep as of ``now`` (local
    time; kehu.book.retention). Returns the folder and what was removed."""
    path = _file_only(db, "backup")
    from kehu.book import retention
    from kehu.book.where import BACKUP_DIR

    folder = path.parent / BACKUP_DIR
    return folder, retention.prune(path, folder, now)


def restore(db: str | None, source: str) -> tuple[Path, Path | None, bool]:
    """`kehu restore FILE`: returns (the book, the copy of what it held before or None for
    a new book, whether that book was damaged and so moved aside rather than copied)."""
    path = _file_only(db, "restore")
    from kehu.book import care

    return care.restore(path, source)


def backups_of(db: str | None) -> list[Path]:
    if server_url(db) is not None:
        return []  # a server's backups are its administrator's, out of kehu's sight
    from kehu.book import care

    return care.backups(book_path(db))


def doctor(db: str | None) -> list[tuple[str, bool, str, dict]]:
    """`kehu doctor`: (check, passed, message key, parameters), without changing the book."""
    url = server_url(db)
    if url is not None:
        from kehu.book import postgres

        return postgres.doctor(url)
    from kehu.book import care

    return care.doctor(_file(db))


def scrub(db: str | None) -> None:
    """`kehu doctor --scrub`: the clean-up of `person forget` on its own."""
    url = server_url(db)
    if url is not None:
        from kehu.book import postgres

        return postgres.scrub(url)
    from kehu.book import care

    return care.scrub(_file(db))


def reindex(db: str | None) -> tuple[str, int]:
    """`kehu doctor --reindex`: rebuild the search index of a book file; on a server,
    create or rebuild the search's pg_trgm indexes (kept by PostgreSQL once there)."""
    url = server_url(db)
    if url is not None:
        from kehu.book import postgres

        return "doctor_reindexed_server", postgres.reindex(url)
    from kehu.book import care

    return "doctor_reindexed", care.reindex(_file(db))


def damage(db: str | None) -> str | None:
    """The first integrity problem of the book, or None (also when there is no book)."""
    if server_url(db) is not None:
        return None  # PostgreSQL checks its own pages; kehu does not second-guess it
    from kehu.book import care

    return care.damage(book_path(db))

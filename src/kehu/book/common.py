"""What both backends share: the invocation a book is opened for, how long a command
waits for a locked book, the commit held against Ctrl-C, and the schema check and
upgrade-before-reading that a book file and a server book run alike.

Standard library at module level: the CLI builds its Invocation before it knows whether
the command will open a book at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kehu.errors import DataError, SchemaError

if TYPE_CHECKING:
    from sqlalchemy import Engine

BUSY_TIMEOUT_MS = 5000
# The schema version this kehu writes: migrations.LATEST, repeated here so a reading
# path can check a book without importing the steps (they bring in SQLAlchemy, the most
# of a search's start-up); tests/test_search_fast.py holds the two equal.
LATEST_SCHEMA = 10


def _silent(key: str, **params: object) -> None:
    pass


@dataclass
class Invocation:
    """One command's dealings with the book, made by the CLI and passed to book.open.

    ``actor``: the salesperson acting (--as, KEHU_USER, else the login name), handed to
    the store with each session (``session.info["actor"]``): it is recorded in the history.
    ``notify(key, **params)``: prints a notice in the user's language on stderr (the book
    prints nothing itself), e.g. the backup made before an upgrade.
    ``saved``: set once this command has committed a write; a Ctrl-C after that point
    must not be reported as "nothing was written" (the CLI's error boundary reads it).
    ``command``: the command as the operation log names it ("person edit"); a write
    with no command (undo and redo themselves) is not logged (kehu.oplog).
    """

    actor: str | None = None
    notify: Callable[..., None] = _silent
    saved: bool = False
    command: str | None = None


def busy_timeout_ms() -> int:
    """KEHU_BUSY_TIMEOUT_MS overrides how long a command waits for a locked book."""
    raw = os.environ.get("KEHU_BUSY_TIMEOUT_MS")
    if raw is None:
        return BUSY_TIMEOUT_MS
    if not (raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 7):
        raise SchemaError("bad_env", var="KEHU_BUSY_TIMEOUT_MS", value=raw, expected="milliseconds")
    return int(raw)


@contextmanager
def ctrl_c_held() -> Iterator[list[bool]]:
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

"""Versioned schema steps, applied in order when a book is opened.

A small ordered-steps runner rather than Alembic (reasons in docs/design.md): each
step is a function ``upgrade(conn)`` in a module ``vNNNN_name.py`` listed in STEPS,
written in SQLAlchemy Core so it runs on SQLite and PostgreSQL alike. Steps are
frozen once released: the models may change, a released step never does. The version
is kept in the ``kehu_meta`` table; every pending step and the version bump run in the
caller's one transaction, so a failure leaves the book exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

from kehu.migrations import (
    v0001_initial, v0002_followups, v0003_contracts, v0004_touch_index, v0005_team, v0006_undo,
    v0007_contacts_aliases, v0008_search, v0009_method, v0010_after,
)

STEPS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", v0001_initial.upgrade),
    (2, "profitability, added_on, indexes, remind --new memory", v0002_followups.upgrade),
    (3, "contracts, instalments, negotiation plans", v0003_contracts.upgrade),
    (4, "the touchpoint index of schema-1 books includes kind", v0004_touch_index.upgrade),
    (5, "team mode: owner key and clocks, actors, 64-bit customer value", v0005_team.upgrade),
    (6, "the operation log for undo and redo", v0006_undo.upgrade),
    (7, "contact details, customer aliases, the channel of a daily contact", v0007_contacts_aliases.upgrade),
    (8, "the search index", v0008_search.upgrade),
    (9, "structured signals, qualification, segment and source", v0009_method.upgrade),
    (10, "after the deal: complaints, project reviews, referrals, care, guide marks", v0010_after.upgrade),
)
LATEST = STEPS[-1][0]


def current_version(conn: Connection) -> int:
    """0 for an empty database; the recorded version otherwise."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table("kehu_meta"):
        return 0
    row = conn.execute(text("SELECT value FROM kehu_meta WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


def verdict(version: int) -> tuple[bool, str, dict]:
    """What `kehu doctor` says of a book at this schema version: (ok, message key, params)."""
    if version > LATEST:
        return False, "doctor_schema_newer", {"found": version, "supported": LATEST}
    if version == 0:
        return False, "doctor_schema_none", {}
    if version < LATEST:
        return True, "doctor_schema_old", {"found": version, "latest": LATEST}
    return True, "doctor_schema_current", {"found": version}


def pending(version: int) -> list[tuple[int, str, Callable[[Connection], None]]]:
    return [s for s in STEPS if s[0] > version]


def upgrade(conn: Connection, version: int) -> list[int]:
    """Run every step after ``version`` inside the caller's transaction."""
    applied = []
    for number, _name, step in pending(version):
        step(conn)
        conn.execute(
            text("UPDATE kehu_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(number)},
        )
        applied.append(number)
    return applied

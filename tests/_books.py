"""Looking inside a book file from a test: full dumps, schema, version, checks.

Read with the standard sqlite3 module in read-only mode, so looking changes nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "books"


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def tables(path: Path) -> list[str]:
    conn = _ro(path)
    try:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    finally:
        conn.close()


def dump(path: Path, only=None) -> dict[str, list[tuple]]:
    """Every row of every table (or of ``only``), in a stable order."""
    conn = _ro(path)
    try:
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in (only or tables(path))}
    finally:
        conn.close()


def columns(path: Path, table: str) -> list[str]:
    conn = _ro(path)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def rows_of(path: Path, table: str, cols: list[str]) -> list[tuple]:
    conn = _ro(path)
    try:
        names = ", ".join(f'"{c}"' for c in cols)
        return sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)
    finally:
        conn.close()


def master(path: Path) -> list[tuple]:
    conn = _ro(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    finally:
        conn.close()


def version(path: Path) -> str:
    conn = _ro(path)
    try:
        return conn.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()


def checks(path: Path) -> tuple[list, list]:
    """(integrity_check rows, foreign_key_check rows): [("ok",)] and [] for a sound book."""
    conn = _ro(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall(), conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(path: Path) -> dict:
    """Tables, columns, keys, indexes and unique constraints as SQLAlchemy reads them."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], bool(c.get("primary_key")))
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                          for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    engine.dispose()
    return out

"""Step 6: the operation log behind `kehu undo` and `kehu redo` (kehu.oplog).

One table; nothing existing changes. A book upgraded to this step starts with an empty
log: what was written before cannot be undone.

Frozen once released: Core only, the columns written out here.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, Text


def upgrade(conn: Connection) -> None:
    md = MetaData()
    Table(
        "operation", md,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor", String(200)),
        Column("command", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("summary", Text),
        Column("customers", Text),
        Column("changes", Text),
        Column("redo", Text),
        Column("undone_at", DateTime(timezone=True)),
        Column("undone_by", String(200)),
    ).create(conn)

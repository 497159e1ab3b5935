"""Step 4: books first made by kehu 0.1 (schema 1) get the touchpoint index of every other book.

Step 1 was changed after its release, which it never should have been: books created
by that release index touchpoints on (customer_id, day), books created later on
(customer_id, day, kind), which the touchpoint natural key and the import's duplicate
check look up. The fixture book written by the schema-1 release found it. This step
rebuilds the index wherever it lacks `kind`; everywhere else it changes nothing.

(The same release declared name_key as VARCHAR(200) where later books say 800. SQLite
does not enforce declared lengths and every schema-1 book is an SQLite file, so that
difference is left alone rather than rebuilding two tables; see docs/reliability.md.)
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Date, Index, Integer, MetaData, String, Table, inspect


def upgrade(conn: Connection) -> None:
    current = {i["name"]: tuple(i["column_names"]) for i in inspect(conn).get_indexes("touchpoint")}
    wanted = ("customer_id", "day", "kind")
    if current.get("ix_touchpoint_customer_day") == wanted:
        return
    touchpoint = Table(
        "touchpoint",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer),
        Column("day", Date),
        Column("kind", String(32)),
    )
    index = Index("ix_touchpoint_customer_day", touchpoint.c.customer_id, touchpoint.c.day, touchpoint.c.kind)
    if "ix_touchpoint_customer_day" in current:
        index.drop(conn)
    index.create(conn)

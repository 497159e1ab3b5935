"""Step 5: team mode — who owns a customer since when, who did what, 64-bit values.

- customer.owner_key: the owner's name as a matching key (NFKC, case-folded), so
  `--owner` and `--mine` match 'Li Wei', 'li wei' and 'ｌｉ ｗｅｉ' alike on every backend
  (SQLite's lower() folds ASCII only).
- customer.claimed_on: the day the current owner took the customer (claim, assign, or
  an add/import with an owner); customer.owner_touched_on: the last day its owner
  logged a touchpoint. The public pool's clocks (kehu.rules.pool) run from these two.
- event.actor and touchpoint.actor: the salesperson who recorded it (--as, KEHU_USER,
  else the login name); NULL for everything written before this step.
- customer.value_cents becomes BIGINT on PostgreSQL (an annual value above 21 million
  yuan did not fit); SQLite's INTEGER is already 64-bit.

Existing owned customers start their clocks on the day of the upgrade: claimed_on is
that day, owner_touched_on the last touchpoint day, because every touch written before
team mode was the book owner's own. Nobody's customers return to the pool the moment
the book is upgraded.

Frozen once released: Core and plain SQL only, the normalisation written out here.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Column, Connection, Date, Index, Integer, MetaData, String, Table, bindparam, func, select

_SPACES = re.compile(r"\s+")


def _key(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def upgrade(conn: Connection) -> None:
    from kehu.dates import today

    for table, name, sql_type in (
        ("customer", "owner_key", "VARCHAR(800)"),
        ("customer", "claimed_on", "DATE"),
        ("customer", "owner_touched_on", "DATE"),
        ("event", "actor", "VARCHAR(200)"),
        ("touchpoint", "actor", "VARCHAR(200)"),
    ):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE customer ALTER COLUMN value_cents TYPE BIGINT")
    md = MetaData()
    customer = Table(
        "customer", md,
        Column("id", Integer, primary_key=True),
        Column("owner", String(200)),
        Column("owner_key", String(800)),
        Column("claimed_on", Date),
        Column("owner_touched_on", Date),
    )
    touchpoint = Table("touchpoint", md, Column("customer_id", Integer), Column("day", Date))
    Index("ix_customer_owner_key", customer.c.owner_key).create(conn)
    last = dict(conn.execute(
        select(touchpoint.c.customer_id, func.max(touchpoint.c.day)).group_by(touchpoint.c.customer_id)
    ).all())
    day = today()
    rows = [
        {"i": cid, "k": _key(owner), "c": day, "t": last.get(cid)}
        for cid, owner in conn.execute(select(customer.c.id, customer.c.owner).where(customer.c.owner.is_not(None)))
        if owner.strip()
    ]
    if rows:
        conn.execute(
            customer.update().where(customer.c.id == bindparam("i"))
            .values(owner_key=bindparam("k"), claimed_on=bindparam("c"), owner_touched_on=bindparam("t")),
            rows,
        )

"""Step 2: what tiers and follow-ups need.

- customer.profit_now / profit_future / service_cost: the profitability fields (high/low);
- customer.added_on: the day the account was opened, so a customer never touched is
  due for contact counted from that day (filled from each customer's 'created' event);
- indexes on customer value and stage for large books;
- remind_seen: what the previous `kehu remind --new` listed, per scope, so the next
  run lists only what is new.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    text,
)

NEW_COLUMNS = (
    ("profit_now", "VARCHAR(32)"),
    ("profit_future", "VARCHAR(32)"),
    ("service_cost", "VARCHAR(32)"),
    ("added_on", "DATE"),
)


def upgrade(conn: Connection) -> None:
    for name, sql_type in NEW_COLUMNS:
        conn.execute(text(f"ALTER TABLE customer ADD COLUMN {name} {sql_type}"))
    md = MetaData()
    customer = Table(
        "customer",
        md,
        Column("id", Integer, primary_key=True),
        Column("value_cents", Integer),
        Column("stage", String(32)),
        Column("added_on", Date),
    )
    Index("ix_customer_value_cents", customer.c.value_cents).create(conn)
    Index("ix_customer_stage", customer.c.stage).create(conn)
    Table(
        "remind_seen",
        md,
        Column("scope", String(200), primary_key=True),
        Column("item", String(64), primary_key=True),
    ).create(conn)
    rows = conn.execute(
        text("SELECT customer_id, min(at) FROM event WHERE kind = 'created' GROUP BY customer_id")
    ).all()
    updates = []
    for customer_id, at in rows:
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        updates.append({"d": moment.astimezone().date(), "i": customer_id})
    if updates:
        stmt = customer.update().where(customer.c.id == bindparam("i")).values(added_on=bindparam("d"))
        conn.execute(stmt, updates)

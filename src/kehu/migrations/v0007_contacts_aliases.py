"""Step 7: how to reach people and customers, the short names customers go by, and the
channel of a daily contact.

- customer: address, phone (the switchboard), website.
- person: phone (work line), mobile, wechat, email: everyday contact details, shown and
  exported like a title. private_mobile and home_address are private fields, kept out of
  listings, exports, search and the undo log after `person forget`, like ``private``.
- customer_alias: a customer's other names (简称 such as 浦发, the name of a customer
  merged into it). ``alias_key`` is the alias as a matching key (NFKC, case-folded) and
  is unique in the book: one short name means one customer.
- touchpoint.channel: for a daily contact, how it happened (phone, wechat, email,
  meeting); NULL where it was not said, and for everything written before this step.

Nothing existing changes meaning. Frozen once released: Core and plain SQL only.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, Integer, MetaData, String, Table


def upgrade(conn: Connection) -> None:
    for table, name, sql_type in (
        ("customer", "address", "VARCHAR(400)"),
        ("customer", "phone", "VARCHAR(64)"),
        ("customer", "website", "VARCHAR(400)"),
        ("person", "phone", "VARCHAR(64)"),
        ("person", "mobile", "VARCHAR(64)"),
        ("person", "wechat", "VARCHAR(64)"),
        ("person", "email", "VARCHAR(254)"),
        ("person", "private_mobile", "VARCHAR(64)"),
        ("person", "home_address", "VARCHAR(400)"),
        ("touchpoint", "channel", "VARCHAR(16)"),
    ):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
    md = MetaData()
    Table("customer", md, Column("id", Integer, primary_key=True))
    Table(
        "customer_alias", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False, index=True),
        Column("alias", String(200), nullable=False),
        Column("alias_key", String(800), nullable=False, unique=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ).create(conn)

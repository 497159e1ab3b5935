"""Step 10: after the deal (成交不是结束) and guides in context.

- customer_complaint: a customer's complaint, with its severity, the person who raised it, when
  the call-back is due and was made, and when it was resolved.
- project_review: one per lost or completed contract: the answers of the review
  (JSON), its lessons, the day it was written.
- guide_mark: per customer, guide and occasion, a handling step done or the guide
  dismissed for that occasion (the checklist state of complaint, hosting and review).
- customer.introduced_by_customer_id / introduced_by_person_id, and the same on person:
  who introduced them (a referral, 中间人); customer.purchase_cycle_days: the cycle set
  for its repeat purchases (NULL: learnt from its contracts).
- touchpoint.care: a contact that does not sell (thanks, greetings, help in need).

Nothing existing changes meaning; every new column is NULL on existing rows. Frozen
once released: Core and plain SQL only.
"""

from __future__ import annotations

from sqlalchemy import (
    Column, Connection, Date, DateTime, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text,
)


def upgrade(conn: Connection) -> None:
    for table, name, sql_type in (
        ("customer", "introduced_by_customer_id", "INTEGER REFERENCES customer (id)"),
        ("customer", "introduced_by_person_id", "INTEGER REFERENCES person (id)"),
        ("customer", "purchase_cycle_days", "INTEGER"),
        ("person", "introduced_by_customer_id", "INTEGER REFERENCES customer (id)"),
        ("person", "introduced_by_person_id", "INTEGER REFERENCES person (id)"),
        ("touchpoint", "care", "BOOLEAN"),
    ):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
    md = MetaData()
    Table("customer", md, Column("id", Integer, primary_key=True))
    Table("person", md, Column("id", Integer, primary_key=True))
    Table("contract", md, Column("id", Integer, primary_key=True))
    Table(
        "customer_complaint", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False, index=True),
        Column("person_id", Integer, ForeignKey("person.id")),
        Column("text", Text, nullable=False),
        Column("severity", String(16), nullable=False),
        Column("made_on", Date, nullable=False),
        Column("callback_due", Date, nullable=False, index=True),
        Column("callback_done_on", Date),
        Column("resolved_on", Date),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ).create(conn)
    Table(
        "project_review", md,
        Column("contract_id", Integer, ForeignKey("contract.id"), primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False, index=True),
        Column("answers", Text, nullable=False),
        Column("lessons", Text),
        Column("written_on", Date),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ).create(conn)
    Table(
        "guide_mark", md,
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False),
        Column("guide", String(32), nullable=False),
        Column("occasion", String(64), nullable=False),
        Column("mark", String(32), nullable=False),
        Column("day", Date, nullable=False),
        PrimaryKeyConstraint("customer_id", "guide", "occasion", "mark"),
    ).create(conn)

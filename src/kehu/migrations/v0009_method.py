"""Step 9: the facts the method's priorities need (issue 18).

- touch_signal: a structured customer signal seen at a touchpoint (seed 001 §5's six key
  behaviours, funds trouble, a complaint, a rival's activity, price talk): its ``kind``
  (a key of rules.signals.KINDS), its ``direction`` (``for`` us, ``against`` us, or
  ``neutral``), optionally the person who showed it, the free-text signal it was read
  from (``text``; NULL when typed as a kind alone) and how it came in (``source``:
  ``typed`` with --signal-kind, ``phrase`` recognised by rules.signals' phrase table).
  The free-text signals on the touchpoint stay as they were.
- qualification: what we know of a customer's qualification (seed 000's evaluation,
  seed 004's qualified prospect), one row per fact ``key`` (need, pay, credit, desire,
  authority; rules.qualification) with its ``verdict`` (good, bad; no row = unknown),
  a note, the day it was judged and who judged it.
- customer.segment: the seed-003 segment a salesperson marks (strategic, big,
  profitable, unprofitable); NULL = not marked.
- customer.source: where a prospect came from (seed 004: ad, hotline, trade show,
  conference, cold visit, referral, other); NULL = not said.

Nothing existing changes meaning. Frozen once released: Core and plain SQL only.
"""

from __future__ import annotations

from sqlalchemy import (
    Column, Connection, Date, DateTime, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text,
)


def upgrade(conn: Connection) -> None:
    for name, sql_type in (("segment", "VARCHAR(32)"), ("source", "VARCHAR(32)")):
        conn.exec_driver_sql(f"ALTER TABLE customer ADD COLUMN {name} {sql_type}")
    md = MetaData()
    Table("customer", md, Column("id", Integer, primary_key=True))
    Table("touchpoint", md, Column("id", Integer, primary_key=True))
    Table("person", md, Column("id", Integer, primary_key=True))
    Table(
        "touch_signal", md,
        Column("id", Integer, primary_key=True),
        Column("touchpoint_id", Integer, ForeignKey("touchpoint.id"), nullable=False, index=True),
        Column("person_id", Integer, ForeignKey("person.id"), nullable=True, index=True),
        Column("kind", String(32), nullable=False, index=True),
        Column("direction", String(16), nullable=False),
        Column("text", Text, nullable=True),
        Column("source", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ).create(conn)
    Table(
        "qualification", md,
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False),
        Column("key", String(32), nullable=False),
        Column("verdict", String(16), nullable=False),
        Column("note", Text, nullable=True),
        Column("day", Date, nullable=True),
        Column("actor", String(200), nullable=True),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("customer_id", "key"),
    ).create(conn)

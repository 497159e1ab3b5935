"""Step 1: the first schema — customers, people, touchpoints, promises, tasks, events.

Frozen: this is the schema as released in 0.1.0, written out in Core so that later
changes to kehu.models cannot alter what step 1 creates.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
)


# Moments are stored as timezone-aware DATETIME; kehu.models.UTCDateTime converts them.
UTCDateTime = DateTime(timezone=True)


def _tables(md: MetaData) -> None:
    Table("kehu_meta", md, Column("key", String(64), primary_key=True),
          Column("value", String(4000), nullable=False))
    Table("setting", md, Column("key", String(64), primary_key=True),
          Column("value", String(4000), nullable=False))
    Table(
        "customer", md,
        Column("id", Integer, primary_key=True),
        Column("name", String(200), nullable=False),
        Column("name_key", String(800), nullable=False, unique=True),
        Column("industry", String(200)),
        Column("region", String(200)),
        Column("kind", String(32)),
        Column("level", String(32)),
        Column("value_cents", Integer),
        Column("owner", String(200)),
        Column("note", Text),
        Column("stage", String(32), nullable=False),
        Column("terminated_at", UTCDateTime),
        Column("terminated_reason", Text),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    Table(
        "person", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False, index=True),
        Column("name", String(200), nullable=False),
        Column("name_key", String(800), nullable=False),
        Column("title", String(200)),
        Column("dept", String(200)),
        Column("level", String(32)),
        Column("role", String(32)),
        Column("attitude", String(32)),
        Column("kpi", Text),
        Column("pain", Text),
        Column("interest", Text),
        Column("style", Text),
        Column("competence", Integer),
        Column("private", Text),
        Column("created_at", UTCDateTime, nullable=False),
        UniqueConstraint("customer_id", "name_key", name="uq_person_name"),
    )
    Table(
        "touchpoint", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False),
        Column("day", Date, nullable=False),
        Column("kind", String(32), nullable=False),
        Column("note", Text),
        Column("signals", Text),
        Column("next_step", Text),
        Column("next_due", Date, index=True),
        Column("next_done_on", Date),
        Column("created_at", UTCDateTime, nullable=False),
        # kind too, so effort per customer (weights by kind) is a covering index scan
        Index("ix_touchpoint_customer_day", "customer_id", "day", "kind"),
    )
    Table(
        "touchpoint_person", md,
        Column("touchpoint_id", Integer, ForeignKey("touchpoint.id"), primary_key=True),
        Column("person_id", Integer, ForeignKey("person.id"), primary_key=True, index=True),
    )
    Table(
        "promise", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False, index=True),
        Column("touchpoint_id", Integer, ForeignKey("touchpoint.id"), index=True),
        Column("text", Text, nullable=False),
        Column("made_on", Date, nullable=False),
        Column("due", Date, nullable=False, index=True),
        Column("kept_on", Date),
        Column("broken_on", Date),
        Column("created_at", UTCDateTime, nullable=False),
    )
    Table(
        "task_done", md,
        Column("customer_id", Integer, ForeignKey("customer.id"), primary_key=True),
        Column("task", String(32), primary_key=True),
        Column("done_on", Date, nullable=False),
        Column("note", Text),
    )
    Table(
        "event", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("kind", String(32), nullable=False),
        Column("from_stage", String(32)),
        Column("to_stage", String(32)),
        Column("reason", Text),
        Column("detail", Text),
        Index("ix_event_customer_at", "customer_id", "at"),
    )


def upgrade(conn: Connection) -> None:
    md = MetaData()
    _tables(md)
    md.create_all(conn)
    conn.execute(insert(md.tables["kehu_meta"]).values(key="schema_version", value="0"))

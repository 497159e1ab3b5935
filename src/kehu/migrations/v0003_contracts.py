"""Step 3: contracts, their instalments, and each contract's negotiation plan.

Money is BigInteger (64-bit on PostgreSQL): a contract of more than 21 million yuan
does not fit a 32-bit column. Frozen once released: written out in Core so later changes to kehu.models cannot alter
what this step creates. It only adds tables, so no existing row is touched.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
)

UTCDateTime = DateTime(timezone=True)


def _tables(md: MetaData) -> list[Table]:
    # Referenced tables, declared only so the foreign keys resolve; not created here.
    Table("customer", md, Column("id", Integer, primary_key=True))
    contract = Table(
        "contract", md,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("customer.id"), nullable=False),
        Column("title", String(200), nullable=False),
        Column("amount_cents", BigInteger, nullable=False),
        Column("currency", String(3), nullable=False),
        Column("status", String(16), nullable=False),
        Column("expected_on", Date),
        Column("signed_on", Date),
        Column("completed_on", Date),
        Column("lost_on", Date),
        Column("lost_reason", Text),
        Column("aftercare_due", Date),
        Column("aftercare_done_on", Date),
        Column("note", Text),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    Index("ix_contract_customer_status", contract.c.customer_id, contract.c.status)
    Index("ix_contract_status", contract.c.status)
    Index("ix_contract_signed_on", contract.c.signed_on)
    Index("ix_contract_aftercare_due", contract.c.aftercare_due)
    instalment = Table(
        "instalment", md,
        Column("id", Integer, primary_key=True),
        Column("contract_id", Integer, ForeignKey("contract.id"), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("amount_cents", BigInteger, nullable=False),
        Column("due", Date, nullable=False),
        Column("paid_cents", BigInteger, nullable=False),
        Column("paid_on", Date),
        UniqueConstraint("contract_id", "seq", name="uq_instalment_seq"),
    )
    Index("ix_instalment_due", instalment.c.due)
    fact = Table(
        "negotiation_fact", md,
        Column("contract_id", Integer, ForeignKey("contract.id"), primary_key=True),
        Column("part", String(16), primary_key=True),
        Column("key", String(32), primary_key=True),
        Column("text", Text, nullable=False),
        Column("day", Date),
        Column("amount_cents", BigInteger),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    issue = Table(
        "negotiation_issue", md,
        Column("id", Integer, primary_key=True),
        Column("contract_id", Integer, ForeignKey("contract.id"), nullable=False),
        Column("detail", Text, nullable=False),
        Column("need", Text),
        Column("settled_by", String(16)),
        Column("settlement", Text),
        Column("settled_on", Date),
        Column("created_at", UTCDateTime, nullable=False),
    )
    Index("ix_negotiation_issue_contract_id", issue.c.contract_id)
    option = Table(
        "negotiation_option", md,
        Column("id", Integer, primary_key=True),
        Column("issue_id", Integer, ForeignKey("negotiation_issue.id"), nullable=False),
        Column("text", Text, nullable=False),
        Column("value", Text),
    )
    Index("ix_negotiation_option_issue_id", option.c.issue_id)
    return [contract, instalment, fact, issue, option]


def upgrade(conn: Connection) -> None:
    md = MetaData()
    for table in _tables(md):
        table.create(conn)  # its indexes are created with it

"""SQLModel tables (the whole schema, one module) and the models that validate input.

``table=True`` classes do not validate on construction, so every write goes through a
non-table model first (``CustomerIn``, ``PersonIn``...). Money is whole cents in an
integer column: exact on every backend. Moments are aware UTC datetimes; days (due
dates, touchpoint dates) are plain dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field as PField, field_validator
from sqlalchemy import BigInteger, DateTime, Index, Integer, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel

from kehu.errors import UsageError
from kehu.rules.contacts import CHECKS
from kehu.rules.names import clean_name
from kehu.text import first_control

NAME_MAX = 200
TEXT_MAX = 4000


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and gives them back aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: kehu stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Meta(SQLModel, table=True):
    __tablename__ = "kehu_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=TEXT_MAX)


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=TEXT_MAX)


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_MAX)
    name_key: str = Field(max_length=4 * NAME_MAX, unique=True)  # case folding can lengthen
    industry: str | None = Field(default=None, max_length=NAME_MAX)
    region: str | None = Field(default=None, max_length=NAME_MAX)
    kind: str | None = Field(default=None, max_length=32)
    level: str | None = Field(default=None, max_length=32)
    # BIGINT on PostgreSQL (step 5); SQLite's INTEGER is 64-bit already and keeps its name.
    value_cents: int | None = Field(default=None, index=True, sa_type=BigInteger().with_variant(Integer, "sqlite"))
    owner: str | None = Field(default=None, max_length=NAME_MAX)
    note: str | None = Field(default=None, sa_type=Text)
    stage: str = Field(default="stranger", max_length=32, index=True)
    terminated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    terminated_reason: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # Step 2: profitability (seed 003) and the day the account was opened.
    profit_now: str | None = Field(default=None, max_length=32)
    profit_future: str | None = Field(default=None, max_length=32)
    service_cost: str | None = Field(default=None, max_length=32)
    added_on: date | None = Field(default=None)
    # Step 5: team mode. The owner as a matching key, the day the owner took the
    # customer and the owner's last touch: the public pool's clocks (rules/pool.py).
    owner_key: str | None = Field(default=None, max_length=4 * NAME_MAX, index=True)
    claimed_on: date | None = Field(default=None)
    owner_touched_on: date | None = Field(default=None)
    # Step 7: how to reach the organisation.
    address: str | None = Field(default=None, max_length=400)
    phone: str | None = Field(default=None, max_length=64)
    website: str | None = Field(default=None, max_length=400)
    # Step 9: the seed-003 segment a salesperson marks (strategic...) and where a
    # prospect came from (seed 004); keys of rules.domain.SEGMENTS / SOURCES.
    segment: str | None = Field(default=None, max_length=32)
    source: str | None = Field(default=None, max_length=32)
    # Step 10: who introduced this customer (a customer or a person), and
    # the purchase cycle set for it (NULL: learnt from its contracts)
    introduced_by_customer_id: int | None = Field(default=None, foreign_key="customer.id")
    introduced_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    purchase_cycle_days: int | None = Field(default=None)


class CustomerAlias(SQLModel, table=True):
    """Step 7: another name a customer goes by (简称, or a merged customer's name).
    ``alias_key`` is unique in the book: one short name means one customer."""

    __tablename__ = "customer_alias"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    alias: str = Field(max_length=NAME_MAX)
    alias_key: str = Field(max_length=4 * NAME_MAX, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class RemindSeen(SQLModel, table=True):
    """Step 2: what `kehu remind --new` listed last time, per scope (owner or '*')."""

    __tablename__ = "remind_seen"
    scope: str = Field(primary_key=True, max_length=NAME_MAX)
    item: str = Field(primary_key=True, max_length=64)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("customer_id", "name_key", name="uq_person_name"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    name: str = Field(max_length=NAME_MAX)
    name_key: str = Field(max_length=4 * NAME_MAX)
    title: str | None = Field(default=None, max_length=NAME_MAX)
    dept: str | None = Field(default=None, max_length=NAME_MAX)
    level: str | None = Field(default=None, max_length=32)
    role: str | None = Field(default=None, max_length=32)
    attitude: str | None = Field(default=None, max_length=32)
    kpi: str | None = Field(default=None, sa_type=Text)
    pain: str | None = Field(default=None, sa_type=Text)
    interest: str | None = Field(default=None, sa_type=Text)
    style: str | None = Field(default=None, sa_type=Text)
    competence: int | None = Field(default=None)
    # Personal details (family, birthday, private interests, career plans): never in
    # listings or exports unless explicitly asked for.
    private: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # Step 7: how to reach them. The private mobile and the home address are private
    # fields like ``private``; the others are everyday work data.
    phone: str | None = Field(default=None, max_length=64)
    mobile: str | None = Field(default=None, max_length=64)
    wechat: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=254)
    private_mobile: str | None = Field(default=None, max_length=64)
    home_address: str | None = Field(default=None, max_length=400)
    # Step 10: who introduced this person (a customer or a person)
    introduced_by_customer_id: int | None = Field(default=None, foreign_key="customer.id")
    introduced_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class Touchpoint(SQLModel, table=True):
    __tablename__ = "touchpoint"
    # (customer, day, kind): last touch per customer and effort by kind, both covering.
    __table_args__ = (Index("ix_touchpoint_customer_day", "customer_id", "day", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    day: date
    kind: str = Field(max_length=32)
    note: str | None = Field(default=None, sa_type=Text)
    signals: str | None = Field(default=None, sa_type=Text)  # JSON list of strings
    next_step: str | None = Field(default=None, sa_type=Text)
    next_due: date | None = Field(default=None, index=True)
    next_done_on: date | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime)
    actor: str | None = Field(default=None, max_length=NAME_MAX)  # step 5: who logged it
    channel: str | None = Field(default=None, max_length=16)  # step 7: phone, wechat, email, meeting
    care: bool | None = Field(default=None)  # Step 10: a contact that does not sell


class TouchSignal(SQLModel, table=True):
    """Step 9: a structured signal seen at a touchpoint (rules/signals.py): its kind, its
    direction (for / against / neutral), optionally who showed it, the free-text signal it
    was read from and how it came in (``typed`` or ``phrase``)."""

    __tablename__ = "touch_signal"
    id: int | None = Field(default=None, primary_key=True)
    touchpoint_id: int = Field(foreign_key="touchpoint.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    kind: str = Field(max_length=32, index=True)
    direction: str = Field(max_length=16)
    text: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Qualification(SQLModel, table=True):
    """Step 9: one qualification fact about a customer (rules/qualification.py): need,
    ability to pay, payment credit, desire, authority; good or bad (no row = unknown)."""

    __tablename__ = "qualification"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=32)
    verdict: str = Field(max_length=16)
    note: str | None = Field(default=None, sa_type=Text)
    day: date | None = Field(default=None)
    actor: str | None = Field(default=None, max_length=NAME_MAX)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class TouchpointPerson(SQLModel, table=True):
    __tablename__ = "touchpoint_person"
    touchpoint_id: int = Field(foreign_key="touchpoint.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)


class Promise(SQLModel, table=True):
    __tablename__ = "promise"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    touchpoint_id: int | None = Field(default=None, foreign_key="touchpoint.id", index=True)
    text: str = Field(sa_type=Text)
    made_on: date
    due: date = Field(index=True)
    kept_on: date | None = Field(default=None)
    broken_on: date | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime)


class TaskDone(SQLModel, table=True):
    __tablename__ = "task_done"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    task: str = Field(primary_key=True, max_length=32)
    done_on: date
    note: str | None = Field(default=None, sa_type=Text)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_customer_at", "customer_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=32)
    from_stage: str | None = Field(default=None, max_length=32)
    to_stage: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, sa_type=Text)
    detail: str | None = Field(default=None, sa_type=Text)  # JSON: tasks, overridden gates
    actor: str | None = Field(default=None, max_length=NAME_MAX)  # step 5: who did it


class Contract(SQLModel, table=True):
    """Step 3: a deal. Signed (or completed) contracts are what make a customer mature and
    what its value becomes; open ones (draft, negotiating) make the forecast."""

    __tablename__ = "contract"
    __table_args__ = (Index("ix_contract_customer_status", "customer_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    title: str = Field(max_length=NAME_MAX)
    # Cents beyond 2^31 (21 million yuan) are ordinary for a contract: 64-bit everywhere.
    amount_cents: int = Field(sa_type=BigInteger)
    currency: str = Field(default="CNY", max_length=3)
    status: str = Field(default="draft", max_length=16, index=True)
    expected_on: date | None = Field(default=None)  # when we expect to sign (forecast)
    signed_on: date | None = Field(default=None, index=True)
    completed_on: date | None = Field(default=None)
    lost_on: date | None = Field(default=None)
    lost_reason: str | None = Field(default=None, sa_type=Text)
    # 成交不是结束: the visit after completion, and when it was made.
    aftercare_due: date | None = Field(default=None, index=True)
    aftercare_done_on: date | None = Field(default=None)
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Instalment(SQLModel, table=True):
    """Step 3: one payment a signed contract expects; paid_cents fills up to amount_cents."""

    __tablename__ = "instalment"
    __table_args__ = (UniqueConstraint("contract_id", "seq", name="uq_instalment_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id")
    seq: int
    amount_cents: int = Field(sa_type=BigInteger)
    due: date = Field(index=True)
    paid_cents: int = Field(default=0, sa_type=BigInteger)
    paid_on: date | None = Field(default=None)  # the day of the last payment into it


class NegotiationFact(SQLModel, table=True):
    """Step 3: one piece of a contract's negotiation plan, by part and key: timing
    evidence, three-party analysis, the SMART goal, packages and the team."""

    __tablename__ = "negotiation_fact"
    contract_id: int = Field(foreign_key="contract.id", primary_key=True)
    part: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True, max_length=32)
    text: str = Field(sa_type=Text)
    day: date | None = Field(default=None)
    amount_cents: int | None = Field(default=None, sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class NegotiationIssue(SQLModel, table=True):
    """Step 3: a disagreement (分歧), the customer's underlying need, how it was settled."""

    __tablename__ = "negotiation_issue"
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    detail: str = Field(sa_type=Text)
    need: str | None = Field(default=None, sa_type=Text)
    settled_by: str | None = Field(default=None, max_length=16)
    settlement: str | None = Field(default=None, sa_type=Text)
    settled_on: date | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime)


class NegotiationOption(SQLModel, table=True):
    """Step 3: one of our options for a disagreement, with its value to the customer."""

    __tablename__ = "negotiation_option"
    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="negotiation_issue.id", index=True)
    text: str = Field(sa_type=Text)
    value: str | None = Field(default=None, sa_type=Text)


class Operation(SQLModel, table=True):
    """Step 6: one write command, kept so that `kehu undo` can reverse it exactly and
    `kehu redo` apply it again (kehu.oplog says how the changes are written down).

    ``state``: done, undone (redo can bring it back until the next write), dropped (undone,
    and a later write ended its redo: kept without row images so its number is never
    reused and the history keeps the undo), or sealed
    (`kehu person forget` ran: nothing before it can be undone, and no row images are
    kept, since they could hold what was forgotten)."""

    __tablename__ = "operation"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str | None = Field(default=None, max_length=NAME_MAX)
    command: str = Field(max_length=64)
    state: str = Field(default="done", max_length=16)
    summary: str | None = Field(default=None, sa_type=Text)  # JSON: table -> [created, existing]
    customers: str | None = Field(default=None, sa_type=Text)  # JSON list of customer ids
    changes: str | None = Field(default=None, sa_type=Text)  # JSON, kehu.oplog
    redo: str | None = Field(default=None, sa_type=Text)  # JSON, kehu.oplog; set while undone
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undone_by: str | None = Field(default=None, max_length=NAME_MAX)


class Complaint(SQLModel, table=True):
    """A customer's complaint (投诉): its handling steps are guide_mark rows (guide
    'complaint', occasion Q<id>); the call-back is a follow-up until it is made."""

    __tablename__ = "customer_complaint"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    text: str = Field(sa_type=Text)
    severity: str = Field(default="medium", max_length=16)
    made_on: date
    callback_due: date = Field(index=True)
    callback_done_on: date | None = Field(default=None)
    resolved_on: date | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ProjectReview(SQLModel, table=True):
    """The review (复盘) of a lost or completed contract: its answers (JSON: background,
    planning, execution, results) and lessons; written once results and lessons are down."""

    __tablename__ = "project_review"
    contract_id: int = Field(foreign_key="contract.id", primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    answers: str = Field(default="{}", sa_type=Text)
    lessons: str | None = Field(default=None, sa_type=Text)
    written_on: date | None = Field(default=None)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class GuideMark(SQLModel, table=True):
    """What a salesperson did with a guide for one occasion: a step done (a step key of
    rules.playbooks_after.STEPS) or 'dismissed'."""

    __tablename__ = "guide_mark"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    guide: str = Field(primary_key=True, max_length=32)
    occasion: str = Field(primary_key=True, max_length=64)
    mark: str = Field(primary_key=True, max_length=32)
    day: date


# ---------------------------------------------------------------- input validation


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _visible(value: str, field: str) -> str:
    """A name with a control character in it (ESC, DEL, C1, a bidi override) is refused as
    a UsageError of its own, which pydantic lets through: the message is in the user's
    language, and the CSV import reports it at its cell. White space (tab, newline) was
    folded by clean_name before this."""
    char = first_control(value)
    if char is not None:
        raise UsageError("name_control", field=field, char=char)
    return value


def _name(value: str, field: str) -> str:
    return _visible(clean_name(value), field)


def _contact(value: str | None, check: str, field: str) -> str | None:
    """A phone number, e-mail, WeChat ID or website as kehu.rules.contacts keeps it (as
    typed, after NFKC and trimming), or a UsageError that says why it cannot be one."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    checked = CHECKS[check](value)
    if checked.problem is not None:
        raise UsageError(checked.problem, field=field, **checked.params)  # field: the CSV cell to blame
    return checked.value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NameIn(_In):
    name: str = PField(min_length=1, max_length=NAME_MAX)

    @field_validator("name", mode="before")
    @classmethod
    def _clean(cls, v: str) -> str:
        return _name(v, "name") if isinstance(v, str) else v


class CustomerIn(_In):
    """Fields a user may set on a customer; None means 'leave as is' on edit."""

    name: str | None = PField(default=None, min_length=1, max_length=NAME_MAX)
    industry: str | None = PField(default=None, max_length=NAME_MAX)
    region: str | None = PField(default=None, max_length=NAME_MAX)
    kind: str | None = None
    level: str | None = None
    value_cents: int | None = PField(default=None, ge=0, le=10**13)
    owner: str | None = PField(default=None, max_length=NAME_MAX)
    note: str | None = PField(default=None, max_length=TEXT_MAX)
    profit_now: str | None = None
    profit_future: str | None = None
    service_cost: str | None = None
    segment: str | None = None  # a key of rules.domain.SEGMENTS
    source: str | None = None  # a key of rules.domain.SOURCES
    address: str | None = PField(default=None, max_length=400)
    phone: str | None = PField(default=None, max_length=64)
    website: str | None = PField(default=None, max_length=400)

    @field_validator("name", mode="before")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _name(v, "name") if isinstance(v, str) else v

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        return _contact(v, "phone", "phone")

    @field_validator("website", mode="before")
    @classmethod
    def _website(cls, v: str | None) -> str | None:
        return _contact(v, "website", "website")

    @field_validator("industry", "region", "note", "address", mode="before")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return _optional_text(v) if isinstance(v, str) else v

    # The owner is a salesperson's name, as --as is: no control characters either.
    # (One validator per field: the import's fast path calls it with the value alone.)
    @field_validator("owner", mode="before")
    @classmethod
    def _owner(cls, v: str | None) -> str | None:
        if not isinstance(v, str):
            return v
        v = _optional_text(v)
        return None if v is None else _visible(v, "owner")


class PersonIn(_In):
    name: str | None = PField(default=None, min_length=1, max_length=NAME_MAX)
    title: str | None = PField(default=None, max_length=NAME_MAX)
    dept: str | None = PField(default=None, max_length=NAME_MAX)
    level: str | None = None
    role: str | None = None
    attitude: str | None = None
    kpi: str | None = PField(default=None, max_length=TEXT_MAX)
    pain: str | None = PField(default=None, max_length=TEXT_MAX)
    interest: str | None = PField(default=None, max_length=TEXT_MAX)
    style: str | None = PField(default=None, max_length=TEXT_MAX)
    private: str | None = PField(default=None, max_length=TEXT_MAX)
    competence: int | None = PField(default=None, ge=1, le=5)
    phone: str | None = PField(default=None, max_length=64)
    mobile: str | None = PField(default=None, max_length=64)
    wechat: str | None = PField(default=None, max_length=64)
    email: str | None = PField(default=None, max_length=254)
    private_mobile: str | None = PField(default=None, max_length=64)
    home_address: str | None = PField(default=None, max_length=400)

    @field_validator("name", mode="before")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _name(v, "name") if isinstance(v, str) else v

    # One validator per field: the import's fast path calls it with the value alone.
    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        return _contact(v, "phone", "phone")

    @field_validator("mobile", mode="before")
    @classmethod
    def _mobile(cls, v: str | None) -> str | None:
        return _contact(v, "phone", "mobile")

    @field_validator("private_mobile", mode="before")
    @classmethod
    def _private_mobile(cls, v: str | None) -> str | None:
        return _contact(v, "phone", "private_mobile")

    @field_validator("wechat", mode="before")
    @classmethod
    def _wechat(cls, v: str | None) -> str | None:
        return _contact(v, "wechat", "wechat")

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _contact(v, "email", "email")

    @field_validator("title", "dept", "kpi", "pain", "interest", "style", "private", "home_address", mode="before")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return _optional_text(v) if isinstance(v, str) else v


class TouchIn(_In):
    day: date
    kind: str
    note: str | None = PField(default=None, max_length=TEXT_MAX)
    signals: list[str] = PField(default_factory=list, max_length=50)

    @field_validator("signals", mode="before")
    @classmethod
    def _one_line_each(cls, v: list[str]) -> list[str]:
        # A signal is a short observation on one line (a CSV cell holds them one a line).
        if not isinstance(v, list):
            return v
        return [" ".join(x.split()) for x in v if isinstance(x, str) and x.strip()]
    next_step: str | None = PField(default=None, max_length=TEXT_MAX)
    next_due: date | None = None
    promise: str | None = PField(default=None, max_length=TEXT_MAX)
    promise_due: date | None = None
    channel: str | None = None  # a key of rules.domain.TOUCH_CHANNELS, for a daily contact only
    care: bool | None = None  # a contact that does not sell (thanks, greetings, help in need)


class ContractIn(_In):
    """Fields a user may set on a contract; None means 'leave as is' on edit."""

    title: str | None = PField(default=None, min_length=1, max_length=NAME_MAX)
    amount_cents: int | None = PField(default=None, gt=0, le=10**13)
    currency: str | None = PField(default=None, pattern=r"^[A-Z]{3}$")
    status: str | None = PField(default=None, pattern=r"^(draft|negotiating)$")
    expected_on: date | None = None
    note: str | None = PField(default=None, max_length=TEXT_MAX)

    @field_validator("title", mode="before")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _name(v, "title") if isinstance(v, str) else v

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("note", mode="before")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return _optional_text(v) if isinstance(v, str) else v

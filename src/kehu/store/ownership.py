"""Who holds a customer: its owner fields, and the pool clocks in SQL.

The rules are kehu.rules.pool (pure); here the facts are read and the owner fields
written. Which customers are still held by their owner is decided in SQL from the
cut-off days of pool.held_since / pool.warn_since, so `--owner`, `--mine`, `kehu pool`
and the hold limit never load the book into Python. The use cases that change owners
(assign, claim, release) are in store.team.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from kehu.dates import to_local, today
from kehu.models import Customer, Event, Touchpoint
from kehu.rules.domain import STAGES
from kehu.rules.names import name_key
from kehu.rules.pool import GROWING, Holding, PoolRules, PoolStatus, counts_toward_limit, held_since, status
from kehu.settings import Settings


def set_owner(customer: Customer, owner: str | None, day: date) -> None:
    """A new owner (or none): the matching key, and both pool clocks start afresh."""
    owner = owner if owner and owner.strip() else None
    customer.owner = owner
    customer.owner_key = name_key(owner) if owner else None
    customer.claimed_on = day if owner else None
    customer.owner_touched_on = None


def holding(c: Customer) -> Holding:
    """The facts rules.pool decides on, for one customer."""
    return Holding(c.owner if c.owner_key else None, c.stage, c.terminated_at is not None,
                   c.claimed_on, c.owner_touched_on)


def pool_status(c: Customer, settings: Settings, day: date | None = None) -> PoolStatus:
    return status(holding(c), day or today(), settings.pool)


def held_where(cutoffs: tuple[date | None, date | None], table=None):
    """SQL for pool.held_since's test with these cut-offs (None: that clock is off), true
    for every owned customer its owner still holds (held, warning, or kept because it is
    terminated); None when no clock runs. Written NULL-safe, so NOT of it is exact too."""
    c = Customer.__table__.c if table is None else table
    touched_since, claimed_since = cutoffs
    parts = []
    if touched_since is not None:  # the later of the owner's last touch and the claim, if any
        parts.append(or_(
            and_(c.owner_touched_on.is_not(None), c.owner_touched_on >= touched_since),
            and_(c.claimed_on.is_not(None), c.claimed_on >= touched_since),
            and_(c.owner_touched_on.is_(None), c.claimed_on.is_(None)),
        ))
    if claimed_since is not None:
        parts.append(or_(c.stage.in_(GROWING), c.claimed_on.is_(None), c.claimed_on >= claimed_since))
    if not parts:
        return None
    return or_(c.terminated_at.is_not(None), and_(*parts))


def held_clause(rules: PoolRules, day: date):
    """Owned customers not lapsed today (see held_where); None when the pool is off."""
    return held_where(held_since(day, rules))


def owned_by(owner: str, settings: Settings, day: date | None = None):
    """`--owner O` / `--mine`: the customers O owns, matched on the folded name (so 'li wei'
    and 'ＬＩ ＷＥＩ' find 'Li Wei'), less those whose pool clock has run out."""
    mine = col(Customer.owner_key) == name_key(owner)
    held = held_clause(settings.pool, day or today())
    return mine if held is None else and_(mine, held)


def owner_touched(s: Session, customer: Customer, day: date, settings: Settings) -> None:
    """A touchpoint logged by the customer's owner restarts the untouched clock. Not once
    the customer has lapsed: it is back in the pool, and its owner claims it like anyone."""
    actor = s.info.get("actor")
    if not actor or customer.owner_key is None or name_key(actor) != customer.owner_key:
        return
    if pool_status(customer, settings).state == "lapsed":
        return
    if customer.owner_touched_on is None or day > customer.owner_touched_on:
        customer.owner_touched_on = day
        s.add(customer)


def owner_touched_by_import(s: Session, actor: str | None, written_since: datetime, settings: Settings) -> int:
    """After a touchpoint import: in one UPDATE, each customer the acting salesperson owns
    and still holds takes the latest day of the touchpoints the import wrote (created at
    or after ``written_since``, by ``actor``) as its owner's last touch, when later.
    Returns how many customers changed."""
    if not actor:
        return 0
    t, c = Touchpoint.__table__.c, Customer.__table__.c
    latest = (
        select(func.max(t.day))
        .where(t.customer_id == c.id, t.actor == actor, t.created_at >= written_since)
        .scalar_subquery()
    )
    where = [c.owner_key == name_key(actor), latest.is_not(None),
             or_(c.owner_touched_on.is_(None), c.owner_touched_on < latest)]
    held = held_clause(settings.pool, today())
    if held is not None:
        where.append(held)
    done = s.connection().execute(update(Customer.__table__).where(and_(*where)).values(owner_touched_on=latest))
    return int(done.rowcount or 0)


def held_count(s: Session, owner: str, rules: PoolRules, day: date) -> int:
    """How many customers count toward ``owner``'s hold limit: the ones they hold today
    whose stage and state pool.counts_toward_limit counts (the stages come from the rule
    itself, so SQL and rule cannot drift apart)."""
    live = [st for st in STAGES if counts_toward_limit(st, False)]
    ended = [st for st in STAGES if counts_toward_limit(st, True)]
    q = select(func.count()).select_from(Customer).where(
        col(Customer.owner_key) == name_key(owner),
        or_(and_(col(Customer.terminated_at).is_(None), col(Customer.stage).in_(live)),
            and_(col(Customer.terminated_at).is_not(None), col(Customer.stage).in_(ended))),
    )
    held = held_clause(rules, day)
    if held is not None:
        q = q.where(held)
    return int(s.exec(q).one())


def handover_days(s: Session, customer: Customer) -> list[date]:
    """The local days of the customer's handovers (`assigned` events)."""
    rows = s.exec(select(Event.at).where(Event.customer_id == customer.id, Event.kind == "assigned")).all()
    return [to_local(at).date() for at in rows]

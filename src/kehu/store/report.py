"""The report's facts (`kehu report`): what happened in a period, where things stand
today, what is due next week. Each figure is one query; kehu.rules.report groups them,
and the existing rules decide what they always decide (the forecast's weights, what is
overdue, who is going cold, what is due and how urgent)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from kehu.dates import moment_on, to_local
from kehu.models import Contract, Customer, Event, Instalment, Promise, Touchpoint
from kehu.rules import followups as F
from kehu.rules import funnel as FN
from kehu.rules import report as R
from kehu.rules.contracts import WON, Due, forecast
from kehu.rules.domain import STAGES
from kehu.settings import Settings
from kehu.store import contracts, customers, followups, stages
from kehu.store.common import core_rows
from kehu.store.ownership import owned_by


def day_start(day: date) -> datetime:
    """The moment a local calendar day begins, in UTC (events are stored as moments)."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def gather(s: Session, settings: Settings, period: R.Period, today: date, owner: str | None = None) -> R.Report:
    mine = select(Customer.id).where(owned_by(owner, settings)) if owner else None

    def scoped(q, column):
        return q if mine is None else q.where(col(column).in_(mine))

    start, end = period.start, period.end
    lo, hi = day_start(start), day_start(end + timedelta(days=1))

    # What happened
    kinds: dict[str, int] = {}
    days: dict[date, int] = {}
    for kind, day, n in core_rows(s, scoped(
        select(Touchpoint.kind, Touchpoint.day, func.count())
        .where(Touchpoint.day >= start, Touchpoint.day <= end)
        .group_by(Touchpoint.kind, Touchpoint.day), Touchpoint.customer_id)):
        kinds[kind] = kinds.get(kind, 0) + n
        days[day] = days.get(day, 0) + n
    new = [tuple(r) for r in core_rows(s, scoped(
        select(Customer.id, Customer.name, Customer.stage)
        .where(Customer.added_on >= start, Customer.added_on <= end)
        .order_by(Customer.added_on, Customer.id), Customer.id))]
    moves = [
        R.Move(cid, name, to_local(at).date(), frm, to, kind == "forced")
        for cid, name, at, frm, to, kind in core_rows(s, scoped(
            select(Event.customer_id, Customer.name, Event.at, Event.from_stage, Event.to_stage, Event.kind)
            .join(Customer, col(Customer.id) == Event.customer_id)
            .where(col(Event.kind).in_(("advanced", "forced")), Event.at >= lo, Event.at < hi)
            .order_by(Event.at, Event.id), Event.customer_id))
    ]

    def promises(*where) -> int:
        return int(s.exec(scoped(select(func.count()).select_from(Promise).where(*where), Promise.customer_id)).one())

    missed_to = min(end, today - timedelta(days=1))
    kept = (Promise.kept_on >= start, Promise.kept_on <= end)
    tally = R.Promises(
        kept=promises(*kept),
        kept_late=promises(*kept, col(Promise.kept_on) > col(Promise.due)),
        broken=promises(Promise.broken_on >= start, Promise.broken_on <= end),
        missed=promises(Promise.due >= start, Promise.due <= missed_to, col(Promise.kept_on).is_(None),
                        col(Promise.broken_on).is_(None)),
    )

    def deals(column, reason: bool = False) -> list[R.Deal]:
        q = (select(Contract.id, Customer.name, Contract.title, Contract.currency, Contract.amount_cents, column,
                    Contract.lost_reason)
             .join(Customer, col(Customer.id) == Contract.customer_id)
             .where(column >= start, column <= end).order_by(column, Contract.id))
        return [R.Deal(k, n, t, c, a, d, why if reason else None)
                for k, n, t, c, a, d, why in core_rows(s, scoped(q, Contract.customer_id))]

    paid = []
    for detail in s.exec(scoped(select(Event.detail).where(Event.kind == "paid", Event.at >= lo, Event.at < hi),
                                Event.customer_id)).all():
        data = json.loads(detail)
        paid.append((data["currency"], int(Decimal(data["amount"]) * 100)))

    # Where things stand, today
    deals_open = contracts.open_deals(s, settings, owner)
    by_month, _by_owner, total = forecast(deals_open, settings.forecast)
    counts = stages.stage_counts(s, settings, owner)
    owed = core_rows(s, scoped(
        select(Instalment.id, Instalment.due, Instalment.amount_cents, Instalment.paid_cents, Contract.id,
               Customer.name, Contract.title, Contract.currency)
        .join(Contract, col(Contract.id) == Instalment.contract_id)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(col(Contract.status).in_(WON), Instalment.paid_cents < Instalment.amount_cents)
        .order_by(Instalment.id), Customer.id))
    dues = [(kid, name, title, cur, Due(iid, due, amount, paid_)) for iid, due, amount, paid_, kid, name, title, cur
            in owed]
    ended = stages.terminated_ids(s)
    open_stays = [x for x in FN.stays(stages.stage_events(s, settings, owner))
                  if x.left is None and x.customer_id not in ended]
    cold = FN.going_cold(open_stays, moment_on(today), settings.cold_days)
    names = customers.names_of(s, [x.customer_id for x, _ in cold])

    # The plan
    plan = F.rank(followups.due_items(s, settings, today + timedelta(days=R.PLAN_DAYS), owner), today, R.PLAN_DAYS,
                  settings.urgency)

    return R.Report(
        period=period, today=today, owner=owner,
        touches=R.by_kind(kinds), activity=R.activity(period, days),
        new_customers=new, moves=moves, promises=tally,
        signed=deals(Contract.signed_on), lost=deals(Contract.lost_on, reason=True),
        received=R.sums(paid), payments=len(paid),
        funnel=[(st, counts.get(st, 0)) for st in STAGES],
        pipeline_stage=R.by_stage(deals_open, settings.forecast), pipeline_month=by_month, forecast=total,
        probability=dict(settings.forecast),
        receivables=R.ageing([(cur, d) for *_, cur, d in dues], today),
        late=R.late_contracts(dues, today),
        cold=[R.Cold(x.customer_id, names.get(x.customer_id, str(x.customer_id)), x.stage, d,
                     settings.cold_days[x.stage]) for x, d in cold],
        plan=plan, currency=settings.currency,
    )

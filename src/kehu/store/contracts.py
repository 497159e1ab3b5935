"""Contracts and money: add, edit, plan, sign (moving a growth customer to mature
through the advance gate), complete, lose, pay; the contracts with what is planned, paid
and overdue; the open deals of the forecast; what the book says about a customer who
does not pay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func
from sqlmodel import Session, col, select

from kehu.dates import today
from kehu.money import amount_text
from kehu.errors import Refused, UsageError
from kehu.models import (
    Contract, ContractIn, Customer, Event, Instalment, NegotiationFact, NegotiationIssue, NegotiationOption, Promise,
    Touchpoint, utcnow,
)
from kehu.rules.contracts import (
    OPEN,
    PAYMENT_ROLES,
    TRANSITIONS,
    WON,
    Due,
    OpenDeal,
    PaymentFacts,
    Refusal,
    allocate,
    check_plan,
    decide_transition,
    overdue,
    reallocate,
)
from kehu.rules.stages import Blocker
from kehu.settings import Settings
from kehu.store import aftersale
from kehu.store.common import apply_changes, deleted, event, numbered, only_differences, requested_changes, validate
from kehu.store.ownership import owned_by
from kehu.store.people import people_of
from kehu.store.stages import advance_gate, mark_task_if_open, set_stage


def get_contract(s: Session, ref: str | int) -> Contract:
    return numbered(s, Contract, ref, "contract_not_found")


def customer_of(s: Session, contract: Contract) -> Customer:
    return s.get(Customer, contract.customer_id)


def contract_event(s: Session, contract: Contract, kind: str, on: date | None = None,
                   reason: str | None = None, **detail: object) -> Event:
    customer = customer_of(s, contract)
    payload = {"contract": contract.id, "title": contract.title, **detail}
    for key in ("amount",):
        if type(payload.get(key)) is int:  # JSON carries money as exact decimal strings
            payload[key] = amount_text(payload[key])
    for part in payload.get("instalments", ()):
        if type(part.get("amount")) is int:
            part["amount"] = amount_text(part["amount"])
    return event(s, customer, kind, on=on, reason=reason, detail=payload)


def add_contract(s: Session, customer: Customer, data: dict, settings: Settings,
                 on: date | None = None) -> Contract:
    """A new contract; in the book's contract.currency unless ``data`` names one."""
    valid = validate(ContractIn, {**data, "currency": data.get("currency") or settings.currency})
    now = utcnow()
    row = Contract(**valid.model_dump(exclude_none=True), customer_id=customer.id, created_at=now, updated_at=now)
    s.add(row)
    s.flush()
    contract_event(s, row, "contract_added", on=on, amount=row.amount_cents, currency=row.currency,
                   status=row.status)
    return row


def edit_contract(s: Session, contract: Contract, data: dict) -> list[str]:
    changes = requested_changes(ContractIn, data)
    if "title" in changes and changes["title"] is None:
        raise UsageError("empty_name")
    if "amount_cents" in changes and changes["amount_cents"] != contract.amount_cents:
        if contract.status not in OPEN:
            raise Refused("contract_amount_fixed", id=contract.id, status=contract.status)
        if instalments_of(s, contract):
            raise Refused("contract_amount_planned", id=contract.id)
    if "currency" in changes and changes["currency"] != contract.currency:
        # Money recorded in one currency is never relabelled as another.
        if contract.status not in OPEN or instalments_of(s, contract):
            raise Refused("contract_currency_fixed", id=contract.id, status=contract.status)
    changed = apply_changes(contract, only_differences(contract, changes))
    contract.updated_at = utcnow()
    s.add(contract)
    contract_event(s, contract, "contract_edited", fields=changed)
    return changed


def reopen_contract(s: Session, contract: Contract, reason: str, day: date) -> None:
    """A contract marked lost by mistake (or won back) returns to negotiation, with the
    reason in its history; its lost day and reason are cleared."""
    if contract.status != "lost":
        raise Refused("contract_not_lost", id=contract.id, status=contract.status)
    if not reason.strip():
        raise UsageError("contract_reopen_reason")
    if contract.lost_on is not None and day < contract.lost_on:
        raise UsageError("date_before_lost", value=day, lost=contract.lost_on)
    contract.status = "negotiating"
    contract.lost_on = contract.lost_reason = None
    contract.updated_at = utcnow()
    s.add(contract)
    contract_event(s, contract, "contract_reopened", on=day, reason=reason.strip(),
                   amount=contract.amount_cents, currency=contract.currency)


def contract_dependants(s: Session, contract: Contract) -> dict[str, int]:
    """What a delete of the contract takes with it: its instalments, its negotiation entries."""
    def count(model, *where) -> int:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())

    issues = select(NegotiationIssue.id).where(NegotiationIssue.contract_id == contract.id)
    return {
        "instalments": count(Instalment, Instalment.contract_id == contract.id),
        "negotiation": (count(NegotiationFact, NegotiationFact.contract_id == contract.id)
                        + count(NegotiationIssue, NegotiationIssue.contract_id == contract.id)
                        + count(NegotiationOption, col(NegotiationOption.issue_id).in_(issues))),
    }


def delete_contract(s: Session, contract: Contract, yes: bool) -> dict[str, int]:
    """Delete a draft, negotiating or lost contract recorded by mistake; a signed one is the
    customer's history (and its value), and money paid is never deleted. What goes with it
    (instalments, negotiation entries) needs ``yes``."""
    if contract.status not in (*OPEN, "lost"):
        raise Refused("contract_delete_won", id=contract.id, status=contract.status)
    paid = s.exec(select(func.coalesce(func.sum(Instalment.paid_cents), 0))
                  .where(Instalment.contract_id == contract.id)).one()
    if paid:
        raise Refused("contract_delete_paid", id=contract.id, paid=int(paid))
    counts = contract_dependants(s, contract)
    if any(counts.values()) and not yes:
        raise Refused("contract_delete_needs_yes", id=contract.id, **counts)
    aftersale.forget_contract(s, contract.id)
    issues = select(NegotiationIssue.id).where(NegotiationIssue.contract_id == contract.id)
    for statement in (
        delete(NegotiationOption).where(col(NegotiationOption.issue_id).in_(issues)),
        delete(NegotiationIssue).where(NegotiationIssue.contract_id == contract.id),
        delete(NegotiationFact).where(NegotiationFact.contract_id == contract.id),
        delete(Instalment).where(Instalment.contract_id == contract.id),
        delete(Contract).where(Contract.id == contract.id),
    ):
        s.execute(statement)
    customer = customer_of(s, contract)
    s.expunge(contract)
    deleted(s, customer, "contract", contract.id, title=contract.title, status=contract.status)
    return counts


def instalments_of(s: Session, contract: Contract) -> list[Instalment]:
    return list(
        s.exec(select(Instalment).where(Instalment.contract_id == contract.id).order_by(Instalment.due, Instalment.id))
    )


def _dues(rows: Sequence[Instalment]) -> list[Due]:
    return [Due(r.id, r.due, r.amount_cents, r.paid_cents) for r in rows]


def plan_contract(s: Session, contract: Contract, parts: list[tuple[date, int]]) -> list[Instalment]:
    """Replace the contract's payment plan; what was already paid fills the new plan in order."""
    if contract.status == "lost":
        raise Refused("contract_cannot", id=contract.id, action="plan", status=contract.status)
    old = instalments_of(s, contract)
    paid = sum(i.paid_cents for i in old)
    last_paid = max((i.paid_on for i in old if i.paid_on), default=None)
    refusal = check_plan(contract.amount_cents, parts, paid, contract.signed_on)
    if refusal is not None:
        raise Refused(refusal.key, **refusal.params)
    s.exec(delete(Instalment).where(Instalment.contract_id == contract.id))
    ordered = sorted(parts, key=lambda p: p[0])
    rows = []
    for seq, ((due, cents), got) in enumerate(zip(ordered, reallocate(ordered, paid), strict=True), 1):
        rows.append(Instalment(contract_id=contract.id, seq=seq, amount_cents=cents, due=due,
                               paid_cents=got, paid_on=last_paid if got else None))
    s.add_all(rows)
    contract.updated_at = utcnow()
    s.add(contract)
    contract_event(s, contract, "contract_planned",
                   instalments=[{"due": d.isoformat(), "amount": c} for d, c in ordered])
    s.flush()
    return rows


def _transition(s: Session, contract: Contract, action: str) -> None:
    refusal = decide_transition(contract.status, action)
    if refusal is not None:
        raise Refused(refusal.key, **{"id": contract.id, "action": action, **refusal.params})


def set_contract_status(s: Session, contract: Contract, action: str, day: date, reason: str | None = None,
                        aftercare_days: int = 30) -> None:
    """negotiate / draft / sign / complete / lose, with its date and history event."""
    _transition(s, contract, action)
    if action == "sign":
        contract.signed_on = day
    elif action == "complete":
        if day < (contract.signed_on or day):
            raise UsageError("date_before_signed", value=day, signed=contract.signed_on)
        contract.completed_on = day
        contract.aftercare_due = date.fromordinal(day.toordinal() + aftercare_days)
    elif action == "lose":
        contract.lost_on = day
        contract.lost_reason = reason
    contract.status = TRANSITIONS[action][1]
    contract.updated_at = utcnow()
    s.add(contract)
    contract_event(s, contract, f"contract_{contract.status}", on=day, reason=reason,
                   amount=contract.amount_cents, currency=contract.currency)


@dataclass(frozen=True)
class Signed:
    """What signing did to the contract's customer: its stage before and after, and what
    kept it from mature (nothing when it became mature or was not in growth)."""

    from_stage: str
    stage: str
    blockers: tuple[Blocker, ...]

    @property
    def advanced(self) -> bool:
        return self.stage != self.from_stage


def sign(s: Session, contract: Contract, settings: Settings, day: date, today_: date) -> Signed:
    """Sign the contract on ``day`` and, where the advance gate allows (trust as of
    ``today_``), make its growth customer mature. Once the customer is mature, the deal's
    own tasks (签约, and 商务谈判 when it was negotiated) are marked done: they are the
    work of the mature stage."""
    customer = customer_of(s, contract)
    was, before = contract.status, customer.stage
    first_due = min((i.due for i in instalments_of(s, contract)), default=None)
    if first_due is not None and first_due < day and contract.status not in WON:
        # A plan made before signing with a day now past would be overdue the moment it is signed.
        raise UsageError("signed_after_instalment", id=contract.id, value=day, due=first_due)
    set_contract_status(s, contract, "sign", day)
    blockers: list[Blocker] = []
    if customer.terminated_at is not None:
        blockers.append(Blocker("blocked_terminated", hard=True))
    elif customer.stage == "growth":
        decision, _ = advance_gate(s, customer, settings, today_)
        if decision.allowed:
            set_stage(s, customer, "advanced", "mature", on=None if day == today_ else day,
                      detail={"contract": contract.id})
        else:
            blockers.extend(decision.blockers)
    if customer.stage == "mature":
        mark_task_if_open(s, customer, "sign", day, f"#{contract.id} {contract.title}")
        if was == "negotiating":
            mark_task_if_open(s, customer, "negotiate", day, f"#{contract.id} {contract.title}")
    return Signed(before, customer.stage, tuple(blockers))


def pay_contract(s: Session, contract: Contract, cents: int, day: date) -> list[tuple[Instalment, int]]:
    """Record a payment: it fills the instalments in order of due date."""
    if contract.status not in WON:
        raise Refused("pay_not_signed", id=contract.id, status=contract.status)
    if contract.signed_on and day < contract.signed_on:
        raise UsageError("date_before_signed", value=day, signed=contract.signed_on)
    rows = instalments_of(s, contract)
    if not rows:
        raise Refused("pay_no_plan", id=contract.id)
    result = allocate(_dues(rows), cents)
    if isinstance(result, Refusal):
        raise Refused(result.key, id=contract.id, **result.params)
    by_id = {r.id: r for r in rows}
    applied = []
    for ident, take in result:
        row = by_id[ident]
        row.paid_cents += take
        row.paid_on = day
        s.add(row)
        applied.append((row, take))
    contract.updated_at = utcnow()
    s.add(contract)
    contract_event(s, contract, "paid", on=day, amount=cents, currency=contract.currency,
                   instalments=[{"seq": r.seq, "amount": t} for r, t in applied])
    return applied


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    customer: str
    owner: str | None
    planned: int
    paid: int
    overdue: int  # cents past due and unpaid
    oldest_due: date | None  # of the overdue instalments


def contract_rows(s: Session, customer: Customer | None = None, status: str | None = None,
                  day: date | None = None, ids: Sequence[int] | None = None) -> list[ContractRow]:
    """Contracts with their customer and money: planned, paid, overdue (one query)."""
    day = day or today()
    # Only a signed contract owes money: a draft's plan is a proposal, not a debt.
    unpaid_late = (Instalment.due < day) & (Instalment.paid_cents < Instalment.amount_cents)
    money = (
        select(
            Instalment.contract_id.label("kid"),
            func.sum(Instalment.amount_cents).label("planned"),
            func.sum(Instalment.paid_cents).label("paid"),
            func.sum(case((unpaid_late, Instalment.amount_cents - Instalment.paid_cents), else_=0)).label("late"),
            func.min(case((unpaid_late, Instalment.due), else_=None)).label("oldest"),
        )
        .group_by(Instalment.contract_id)
    )
    # Sum only the instalments of the contracts asked for (an index lookup, not a scan).
    if ids is not None:
        money = money.where(col(Instalment.contract_id).in_(list(ids)))
    elif customer is not None:
        money = money.where(col(Instalment.contract_id).in_(
            select(Contract.id).where(Contract.customer_id == customer.id)))
    money = money.subquery("money")
    q = (
        select(Contract, Customer.name, Customer.owner, money.c.planned, money.c.paid,
               case((col(Contract.status).in_(WON), money.c.late), else_=0),
               case((col(Contract.status).in_(WON), money.c.oldest), else_=None))
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .outerjoin(money, money.c.kid == Contract.id)
        .order_by(Contract.id)
    )
    if customer is not None:
        q = q.where(Contract.customer_id == customer.id)
    if status:
        q = q.where(Contract.status == status)
    if ids is not None:
        q = q.where(col(Contract.id).in_(list(ids)))
    return [
        ContractRow(k, name, owner, int(pl or 0), int(pd or 0), int(lt or 0), old)
        for k, name, owner, pl, pd, lt, old in s.exec(q).all()
    ]


def open_deals(s: Session, settings: Settings, owner: str | None = None) -> list[OpenDeal]:
    """Open contracts of active customers, for the forecast."""
    q = (
        select(Contract.id, Contract.amount_cents, Contract.currency, Customer.stage, Contract.expected_on,
               Customer.owner)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(col(Contract.status).in_(OPEN), col(Customer.terminated_at).is_(None))
    )
    if owner:
        q = q.where(owned_by(owner, settings))
    return [OpenDeal(*row) for row in s.exec(q).all()]


def payment_facts(s: Session, contract: Contract, day: date) -> PaymentFacts | None:
    """What the book says about an overdue contract's customer (for the non-payment playbook)."""
    late = overdue(_dues(instalments_of(s, contract)), day)
    if not late:
        return None
    customer = customer_of(s, contract)
    people = people_of(s, customer)
    roles = {p.role for p in people}
    missed = s.exec(
        select(func.count()).select_from(Promise).where(
            Promise.customer_id == customer.id,
            (col(Promise.broken_on).is_not(None))
            | (col(Promise.kept_on).is_(None) & col(Promise.broken_on).is_(None) & (Promise.due < day)),
        )
    ).one()
    last = s.exec(select(func.max(Touchpoint.day)).where(Touchpoint.customer_id == customer.id)).one()
    return PaymentFacts(
        contract=contract.id,
        customer=customer.name,
        currency=contract.currency,
        overdue=sum(i.open for i, _ in late),
        days_late=late[0][1],
        instalments=len(late),
        opposed=tuple((p.name, p.role) for p in people if p.attitude == "oppose"),
        uncovered_roles=tuple(r for r in PAYMENT_ROLES if r not in roles),
        promises_missed=int(missed),
        days_since_touch=(day - last).days if last else None,
        open_complaints=tuple(q.id for q in aftersale.complaints_of(s, customer.id, open_only=True)),
    )

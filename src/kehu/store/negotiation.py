"""Negotiation plans (DOMAIN.md §8): record each part of a contract's plan, and read it
back as kehu.rules.negotiation takes it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from kehu.dates import moment_on, to_local
from kehu.errors import NotFound, Unchanged
from kehu.models import Contract, NegotiationFact, NegotiationIssue, NegotiationOption, Person, utcnow
from kehu.rules import negotiation as N
from kehu.rules.trust import PersonFacts
from kehu.store.common import numbered, optional_plan_text, plan_text


def set_fact(s: Session, contract: Contract, part: str, key: str, text: str, day: date | None = None,
             amount_cents: int | None = None) -> bool | None:
    """Record (or replace) one piece of a negotiation plan; True when it was new, False
    when it replaced another, None when it says what the plan already said (nothing is
    written: the caller decides whether that makes the whole command a no-op)."""
    text = plan_text(text, key)
    row = s.get(NegotiationFact, (contract.id, part, key))
    new = row is None
    if not new and (row.text, row.day, row.amount_cents) == (text, day, amount_cents):
        return None
    if new:
        row = NegotiationFact(contract_id=contract.id, part=part, key=key, text=text, updated_at=utcnow())
    row.text, row.day, row.amount_cents, row.updated_at = text, day, amount_cents, utcnow()
    s.add(row)
    return new


def remove_fact(s: Session, contract: Contract, part: str, key: str) -> None:
    """Clear one piece of the plan (a timing condition, an analysis point, a part of the
    goal, a package, a team role); the verdict shows it missing again."""
    row = s.get(NegotiationFact, (contract.id, part, key))
    if row is None:
        raise NotFound("neg_fact_not_found", id=contract.id, part=part, key=key)
    s.exec(delete(NegotiationFact).where(NegotiationFact.contract_id == contract.id,
                                         NegotiationFact.part == part, NegotiationFact.key == key))
    s.expunge(row)


def get_issue(s: Session, ref: str | int) -> NegotiationIssue:
    return numbered(s, NegotiationIssue, ref, "issue_not_found")


def add_issue(s: Session, contract: Contract, detail: str, need: str | None,
              day: date | None = None) -> NegotiationIssue:
    row = NegotiationIssue(
        contract_id=contract.id,
        detail=plan_text(detail, "detail"),
        need=optional_plan_text(need, "--need"),
        created_at=moment_on(day),  # the day it was raised; noon of it when back-dated
    )
    s.add(row)
    s.flush()
    return row


def set_issue_need(s: Session, issue: NegotiationIssue, need: str) -> None:
    need = plan_text(need, "need")
    if issue.need == need:
        raise Unchanged("nothing_changed")
    issue.need = need
    s.add(issue)


def add_option(s: Session, issue: NegotiationIssue, text: str, value: str | None) -> NegotiationOption:
    row = NegotiationOption(issue_id=issue.id, text=plan_text(text), value=optional_plan_text(value, "--value"))
    s.add(row)
    s.flush()
    return row


def get_option(s: Session, ref: str | int) -> NegotiationOption:
    return numbered(s, NegotiationOption, ref, "option_not_found")


def set_option_value(s: Session, option: NegotiationOption, value: str) -> None:
    value = plan_text(value, "value")
    if option.value == value:
        raise Unchanged("nothing_changed")
    option.value = value
    s.add(option)


def remove_issue(s: Session, issue: NegotiationIssue) -> int:
    """Delete a disagreement and its options (one transaction); the number of options."""
    gone = s.exec(delete(NegotiationOption).where(NegotiationOption.issue_id == issue.id)).rowcount
    s.delete(issue)
    return int(gone or 0)


def remove_option(s: Session, option: NegotiationOption) -> None:
    s.delete(option)


def settle_issue(s: Session, issue: NegotiationIssue, how: str, note: str | None, day: date) -> None:
    settlement = optional_plan_text(note, "--note")
    if (issue.settled_by, issue.settlement, issue.settled_on) == (how, settlement, day):
        raise Unchanged("nothing_changed")
    issue.settled_by = how
    issue.settlement = settlement
    issue.settled_on = day
    s.add(issue)


def negotiation_plan(s: Session, contract: Contract) -> tuple[N.Plan, dict[int, date | None]]:
    """The contract's plan as the rules take it, plus the rows for display."""
    facts = s.exec(select(NegotiationFact).where(NegotiationFact.contract_id == contract.id)).all()
    issues = s.exec(
        select(NegotiationIssue).where(NegotiationIssue.contract_id == contract.id).order_by(NegotiationIssue.id)
    ).all()
    options: dict[int, list[N.Option]] = {}
    if issues:
        for o in s.exec(
            select(NegotiationOption)
            .where(col(NegotiationOption.issue_id).in_([i.id for i in issues]))
            .order_by(NegotiationOption.id)
        ).all():
            options.setdefault(o.issue_id, []).append(N.Option(o.id, o.text, o.value))
    # The customer's people, for the risk of one who opposes us (rules.trust.opposing).
    people = s.exec(select(Person).where(Person.customer_id == contract.customer_id).order_by(Person.id)).all()
    by_part: dict[str, dict[str, object]] = {}
    for f in facts:
        by_part.setdefault(f.part, {})[f.key] = f
    plan = N.Plan(
        contract_status=contract.status,
        contract_amount_cents=contract.amount_cents,
        timing={k: N.Evidence(f.text, f.day) for k, f in by_part.get("timing", {}).items()},
        issues=tuple(
            N.Issue(i.id, i.detail, i.need, tuple(options.get(i.id, ())), i.settled_by, i.settlement,
                    raised_on=to_local(i.created_at).date())
            for i in issues
        ),
        analysis={(p, k): f.text for p in N.PARTIES for k, f in by_part.get(p, {}).items()},
        goal={k: f.text for k, f in by_part.get("goal", {}).items()},
        packages={k: N.Package(k, f.text, f.amount_cents) for k, f in by_part.get("package", {}).items()},
        team={k: f.text for k, f in by_part.get("team", {}).items()},
        people=tuple(PersonFacts(p.id, p.name, p.level, p.role, p.competence, p.attitude) for p in people),
    )
    return plan, {i.id: i.settled_on for i in issues}

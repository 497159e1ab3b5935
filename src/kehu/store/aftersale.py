"""After the deal (DOMAIN §10): complaints and their handling steps, project reviews,
referrals (who introduced whom), guide marks (a step done, a guide dismissed for an
occasion), the facts guides in context are chosen from, and the follow-ups these add to
`kehu remind` and `kehu next` (a complaint's call-back, a review to write, the next
purchase, a customer whose business is falling, an introduction or an expansion to ask
for). Decisions are rules.aftersale's and rules.guides'."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, union, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from kehu.errors import NotFound, Refused, Unchanged, UsageError
from kehu.models import (
    Complaint, Contract, Customer, GuideMark, Instalment, Person, ProjectReview, TaskDone, Touchpoint, TouchSignal,
    utcnow,
)
from kehu.rules import aftersale as A
from kehu.rules import guides as G
from kehu.rules import signals as S
from kehu.rules.contracts import WON
from kehu.rules.followups import Item
from kehu.rules.playbooks_after import STEPS
from kehu.store import settings as settings_
from kehu.store.common import edited, event, plan_text

# ------------------------------------------------------------------ complaints


def add_complaint(s: Session, customer: Customer, text: str, person: Person | None, severity: str,
                  day: date, callback: date | None) -> Complaint:
    due = callback or A.callback_due(day, severity)
    if due < day:
        raise UsageError("due_before_date", option="--call-back", due=due, day=day)
    c = Complaint(customer_id=customer.id, person_id=person.id if person else None, text=plan_text(text),
                  severity=severity, made_on=day, callback_due=due, created_at=utcnow())
    s.add(c)
    s.flush()
    event(s, customer, "complaint", on=day, detail={"id": c.id, "severity": severity})
    return c


def get_complaint(s: Session, ref: str | int) -> Complaint:
    text = str(ref).strip()
    number = text[1:] if text[:1] in ("Q", "q") else text
    found = s.get(Complaint, int(number)) if number.isascii() and number.isdigit() and len(number) < 19 else None
    if found is None:
        raise NotFound("complaint_not_found", ref=text)
    return found


def steps_done(s: Session, customer_id: int, guide: str, occasion: str) -> dict[str, date]:
    rows = s.exec(select(GuideMark).where(GuideMark.customer_id == customer_id, GuideMark.guide == guide,
                                          GuideMark.occasion == occasion, GuideMark.mark != "dismissed")).all()
    return {r.mark: r.day for r in rows}


def mark_steps(s: Session, customer: Customer, guide: str, occasion: str, steps: list[str], day: date) -> list[str]:
    """Tick steps of a step-by-step guide for one occasion; returns those newly ticked."""
    done = steps_done(s, customer.id, guide, occasion)
    new = [x for x in dict.fromkeys(steps) if x not in done]
    for step in new:
        s.add(GuideMark(customer_id=customer.id, guide=guide, occasion=occasion, mark=step, day=day))
    return new


def complaint_steps(s: Session, complaint: Complaint, steps: list[str], day: date) -> list[str]:
    """`kehu complaint step Q3 listen confirm`: handling steps done. Ticking the call-back
    closes its follow-up; ticking close resolves the complaint."""
    if day < complaint.made_on:
        raise UsageError("due_before_date", option="--date", due=day, day=complaint.made_on)
    customer = s.get(Customer, complaint.customer_id)
    new = mark_steps(s, customer, "complaint", f"Q{complaint.id}", steps, day)
    if "call_back" in new and complaint.callback_done_on is None:
        complaint.callback_done_on = day
    if "close" in new and complaint.resolved_on is None:
        complaint.resolved_on = day
        event(s, customer, "complaint_resolved", on=day, detail={"id": complaint.id})
    s.add(complaint)
    return new


def resolve_complaint(s: Session, complaint: Complaint, day: date) -> None:
    if complaint.resolved_on is not None:
        raise Refused("complaint_already_resolved", id=f"Q{complaint.id}", date=complaint.resolved_on)
    complaint_steps(s, complaint, ["close"], day)


def complaints_of(s: Session, customer_id: int | None = None, open_only: bool = False) -> list[Complaint]:
    q = select(Complaint).order_by(Complaint.made_on, Complaint.id)
    if customer_id is not None:
        q = q.where(Complaint.customer_id == customer_id)
    if open_only:
        q = q.where(col(Complaint.resolved_on).is_(None))
    return list(s.exec(q).all())


@dataclass(frozen=True)
class ComplaintRow:
    complaint: Complaint
    customer: str
    person: str | None
    steps: dict[str, date]


def complaint_rows(s: Session, customer_id: int | None = None, open_only: bool = False) -> list[ComplaintRow]:
    out = []
    for c in complaints_of(s, customer_id, open_only):
        person = s.get(Person, c.person_id) if c.person_id else None
        out.append(ComplaintRow(c, s.get(Customer, c.customer_id).name, person.name if person else None,
                                steps_done(s, c.customer_id, "complaint", f"Q{c.id}")))
    return out


def complaint_counts(s: Session, customer_id: int) -> tuple[int, int]:
    """(open, resolved) complaints of a customer."""
    rows = s.exec(select(col(Complaint.resolved_on).is_(None), func.count())
                  .where(Complaint.customer_id == customer_id).group_by(col(Complaint.resolved_on).is_(None))).all()
    by = {bool(k): int(n) for k, n in rows}
    return by.get(True, 0), by.get(False, 0)


# ------------------------------------------------------------------ project reviews


def review_of(s: Session, contract: Contract) -> ProjectReview | None:
    return s.get(ProjectReview, contract.id)


def write_review(s: Session, contract: Contract, answers: dict[str, str | None], day: date) -> ProjectReview:
    """`kehu review 5 --results ... --lessons ...`: the review of a lost or completed
    contract, answer by answer (a later call adds to or replaces answers)."""
    if contract.status not in ("lost", "completed"):
        raise Refused("review_needs_closed", id=contract.id, status=contract.status)
    given = {k: plan_text(v, k) for k, v in answers.items() if v is not None}
    if not given:
        raise UsageError("nothing_to_edit")
    row = s.get(ProjectReview, contract.id)
    if row is None:
        row = ProjectReview(contract_id=contract.id, customer_id=contract.customer_id, updated_at=utcnow())
    kept = json.loads(row.answers or "{}")
    lessons = given.pop("lessons", None)
    kept.update(given)
    row.answers = json.dumps(kept, ensure_ascii=False, sort_keys=True)
    if lessons is not None:
        row.lessons = lessons
    row.updated_at = utcnow()
    written = A.review_written({**kept, "lessons": row.lessons or ""})
    first = written and row.written_on is None
    if first:
        row.written_on = day
    s.add(row)
    customer = s.get(Customer, contract.customer_id)
    if first:
        event(s, customer, "review_written", on=day, detail={"contract": contract.id})
    else:
        edited(s, customer, "review", contract.id, sorted(given) + (["lessons"] if lessons is not None else []))
    return row


def review_answers(row: ProjectReview | None) -> dict[str, str]:
    if row is None:
        return {}
    out = json.loads(row.answers or "{}")
    if row.lessons:
        out["lessons"] = row.lessons
    return out


def review_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """A lost or completed contract whose review is not written: due the day it closed."""
    closed = func.coalesce(Contract.lost_on, Contract.completed_on)
    rows = s.exec(
        select(Contract.id, Contract.title, Contract.status, closed, active.c.id, active.c.name, active.c.stage,
               active.c.owner)
        .join(active, active.c.id == Contract.customer_id)
        .outerjoin(ProjectReview, col(ProjectReview.contract_id) == Contract.id)
        .where(col(Contract.status).in_(("lost", "completed")), col(ProjectReview.written_on).is_(None),
               closed <= horizon)
    ).all()
    return [Item("review", kid, cid, name, tiers[cid], stage, day, title, own,
                 extra={"contract": kid, "status": status})
            for kid, title, status, day, cid, name, stage, own in rows if day is not None]


def complaint_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """Each open complaint's call-back until it is made."""
    rows = s.exec(
        select(Complaint.id, Complaint.callback_due, Complaint.text, Complaint.severity,
               active.c.id, active.c.name, active.c.stage, active.c.owner)
        .join(active, active.c.id == Complaint.customer_id)
        .where(col(Complaint.callback_done_on).is_(None), col(Complaint.resolved_on).is_(None),
               Complaint.callback_due <= horizon)
    ).all()
    return [Item("complaint", qid, cid, name, tiers[cid], stage, due, text, own,
                 extra={"severity": sev, "playbook": "complaint"})
            for qid, due, text, sev, cid, name, stage, own in rows]


# ------------------------------------------------------------------ repeat business


def _signed(s: Session, customer_id: int) -> list[tuple[date, int]]:
    rows = s.exec(select(Contract.signed_on, Contract.amount_cents).where(
        Contract.customer_id == customer_id, col(Contract.signed_on).is_not(None),
        col(Contract.status).in_(("signed", "completed")))).all()
    return [(d, a) for d, a in rows]


def repeat_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """For each mature customer: the next purchase, due a month before its cycle comes
    round (B). One query for every signed contract of the book's mature customers."""
    rows = s.exec(
        select(active.c.id, active.c.name, active.c.stage, active.c.owner, Customer.purchase_cycle_days,
               Contract.signed_on)
        .join(Customer, col(Customer.id) == active.c.id)
        .join(Contract, col(Contract.customer_id) == active.c.id)
        .where(active.c.stage == "mature", col(Contract.signed_on).is_not(None),
               col(Contract.status).in_(("signed", "completed")))
    ).all()
    by: dict[int, tuple[tuple, list[date]]] = {}
    for cid, name, stage, own, cycle_set, signed_on in rows:
        by.setdefault(cid, ((name, stage, own, cycle_set), []))[1].append(signed_on)
    out = []
    for cid, ((name, stage, own, cycle_set), signed) in by.items():
        cycle, source = A.purchase_cycle(cycle_set, signed)
        last = max(signed)
        due = A.next_purchase_due(last, cycle)
        if due <= horizon:
            out.append(Item("repurchase", cid, cid, name, tiers[cid], stage, due, "", own,
                            extra={"last": last.isoformat(), "cycle": cycle, "source": source}))
    return out


def growth_suggestions(s: Session, customer_id: int, name: str, tier: str, stage: str, owner: str | None,
                       day: date) -> list[Item]:
    """`kehu next`'s prompts for a mature customer: its business falling, with the reason
    (M); ask a satisfied one for introductions (F); propose the next deal to one with
    nothing under way (X)."""
    if stage != "mature":
        return []
    items = []
    signed = _signed(s, customer_id)
    cycle_set = s.get(Customer, customer_id).purchase_cycle_days
    cycle, _ = A.purchase_cycle(cycle_set, [d for d, _ in signed])
    why = A.decay(signed, cycle, day)
    if why:
        items.append(Item("decay", customer_id, customer_id, name, tier, stage, day, "", owner,
                          extra={"key": why[0], "params": why[1]}))
    statuses = s.exec(select(Contract.status).where(Contract.customer_id == customer_id)).all()
    completed = sum(1 for x in statuses if x == "completed")
    open_deals = sum(1 for x in statuses if x in ("draft", "negotiating"))
    open_complaints, _ = complaint_counts(s, customer_id)
    supporters = int(s.exec(select(func.count()).select_from(Person).where(
        Person.customer_id == customer_id, Person.attitude == "support")).one())
    # Whether it introduced anyone is asked last, and of the whole book at once: the
    # introductions have no index, and asking per customer scanned the customers and the
    # people for each (0.95 s of `kehu next` on the 100,000-customer book).
    if A.ask_for_referral(stage, completed, open_complaints, supporters, 0) and customer_id not in introducers(s):
        items.append(Item("referral", customer_id, customer_id, name, tier, stage, day, "", owner))
    if A.expansion(stage, completed, open_deals):
        items.append(Item("expansion", customer_id, customer_id, name, tier, stage, day, "", owner))
    return items


def set_cycle(s: Session, customer: Customer, days: int | None) -> None:
    if customer.purchase_cycle_days == days:
        raise Unchanged("cycle_unchanged", name=customer.name)
    customer.purchase_cycle_days = days
    s.add(customer)
    edited(s, customer, "customer", customer.id, ["purchase_cycle_days"])


def next_purchase(s: Session, customer: Customer, day: date) -> dict[str, object]:
    """The buying cycle and where it comes from, the last purchase, and when the next is
    worth a call (None before any signed contract)."""
    signed = _signed(s, customer.id)
    cycle, source = A.purchase_cycle(customer.purchase_cycle_days, [d for d, _ in signed])
    last = max((d for d, _ in signed), default=None)
    return {"cycle": cycle, "source": source, "last_purchase": last,
            "next_purchase": A.next_purchase_due(last, cycle) if last else None}


# ------------------------------------------------------------------ referrals


def set_introducer(s: Session, row: Customer | Person, by_customer: Customer | None, by_person: Person | None) -> None:
    """Who introduced a customer or a person: a customer, or a person (whose customer is
    then the introducing one too); None and None clears it."""
    if isinstance(row, Customer) and by_customer is not None and by_customer.id == row.id:
        raise UsageError("introduced_by_self", name=row.name)
    if isinstance(row, Person) and by_person is not None and by_person.id == row.id:
        raise UsageError("introduced_by_self", name=row.name)
    row.introduced_by_customer_id = by_customer.id if by_customer else None
    row.introduced_by_person_id = by_person.id if by_person else None
    s.add(row)
    customer = row if isinstance(row, Customer) else s.get(Customer, row.customer_id)
    edited(s, customer, "customer" if row is customer else "person", row.id, ["introduced_by"])


def introducer_text(s: Session, row: Customer | Person) -> str | None:
    """'华东电网' or '华东电网 张伟'."""
    if row.introduced_by_person_id:
        p = s.get(Person, row.introduced_by_person_id)
        if p is not None:
            return f"{s.get(Customer, p.customer_id).name} {p.name}"
    if row.introduced_by_customer_id:
        c = s.get(Customer, row.introduced_by_customer_id)
        return c.name if c else None
    return None


def introducers(s: Session) -> frozenset[int]:
    """The customers that introduced anyone (referrals_of is not empty), read once per
    session: four scans of the customers and the people in one statement."""
    known = s.info.get("kehu_introducers")
    if known is None:
        c, p, intro = aliased(Customer), aliased(Person), aliased(Person)
        known = frozenset(s.connection().execute(union(
            select(c.introduced_by_customer_id).where(col(c.introduced_by_customer_id).is_not(None)),
            select(intro.customer_id).join(c, col(c.introduced_by_person_id) == intro.id),
            select(p.introduced_by_customer_id).where(col(p.introduced_by_customer_id).is_not(None),
                                                      p.customer_id != p.introduced_by_customer_id),
            select(intro.customer_id).join(p, col(p.introduced_by_person_id) == intro.id)
            .where(p.customer_id != intro.customer_id),
        )).scalars().all())
        s.info["kehu_introducers"] = known
    return known


def referrals_of(s: Session, customer_id: int) -> list[str]:
    """The customers and people (at other customers) this customer, or one of its people,
    introduced: their names."""
    people = select(Person.id).where(Person.customer_id == customer_id)
    by = (col(Customer.introduced_by_customer_id) == customer_id) | col(Customer.introduced_by_person_id).in_(people)
    names = [n for n in s.exec(select(Customer.name).where(by).order_by(Customer.id)).all()]
    pby = (col(Person.introduced_by_customer_id) == customer_id) | col(Person.introduced_by_person_id).in_(people)
    for pname, cname in s.exec(select(Person.name, Customer.name).join(Customer, col(Customer.id) == Person.customer_id)
                               .where(pby, Person.customer_id != customer_id).order_by(Person.id)).all():
        names.append(f"{cname} {pname}")
    return names


# ------------------------------------------------------------------ guides in context
#
# One selection for every screen: `show` (one customer), `next` (the customers on its
# page), `guide list` (one customer or the whole book) and `guide dismiss` all read the
# facts through ``in_context``, a handful of queries for any number of customers (each
# batched over them, never one per customer).


def _among(column, ids: list[int] | None) -> list:
    """The condition 'the customer is one of ``ids``'; none for the whole book (None)."""
    return [] if ids is None else [col(column).in_(ids)]


def facts_of(s: Session, who: dict[int, tuple[str, bool]], day: date, whole_book: bool = False) -> dict[int, G.Facts]:
    """The facts guides are chosen from, for each customer of ``who`` (id: its stage and
    whether the relationship has ended); ``whole_book`` reads them without an IN list."""
    ids = None if whole_book else list(who)
    if ids == []:
        return {}
    counts = dict(s.exec(select(Touchpoint.customer_id, func.count()).where(*_among(Touchpoint.customer_id, ids))
                         .group_by(Touchpoint.customer_id)).all())
    # Only the touches a guide can be about: an open next step, or a signal recent enough
    # for a rule to look at (rules.guides.SIGNAL_DAYS) or to count in the customer's view
    # (the book's signal windows, as `kehu show` reads it); newest first, as the rules expect.
    cfg = settings_.read(s)
    window, money = cfg.signal_window, cfg.signal_money_days
    since = date.fromordinal(day.toordinal() - max(G.SIGNAL_DAYS, window, money))
    touches = s.exec(
        select(Touchpoint.customer_id, Touchpoint.id, Touchpoint.day, Touchpoint.signals, Touchpoint.next_step,
               Touchpoint.next_done_on)
        .where(*_among(Touchpoint.customer_id, ids),
               (col(Touchpoint.next_step).is_not(None) & col(Touchpoint.next_done_on).is_(None))
               | (col(Touchpoint.signals).is_not(None) & (Touchpoint.day >= since)))
        .order_by(col(Touchpoint.day).desc(), col(Touchpoint.id).desc())).all()
    steps: dict[int, list[tuple[int, str]]] = {}
    signals: dict[int, list[tuple[int, int, str]]] = {}
    # the signals' (day, touch, kind, direction), typed and read from the text, for the view
    read: dict[int, list[tuple[date, int, str, str]]] = {}
    # each signal as written or typed, with what it was read as: (day, touch, text, pairs)
    written: dict[int, dict[tuple[date, int, str], tuple[str | None, list[tuple[str, str]]]]] = {}
    for cid, tid, on, sig, nxt, done in touches:
        if nxt and done is None:
            steps.setdefault(cid, []).append((tid, nxt))
        if sig and on >= since:
            texts = json.loads(sig)
            signals.setdefault(cid, []).extend((tid, (day - on).days, x) for x in texts)
            for x in texts:
                pairs = S.classify(x)
                read.setdefault(cid, []).extend((on, tid, k, d) for k, d in pairs)
                written.setdefault(cid, {}).setdefault((on, tid, x), (x, []))[1].extend(pairs)
    for cid, tid, on, kind, direction, text in s.exec(
            select(Touchpoint.customer_id, Touchpoint.id, Touchpoint.day, TouchSignal.kind, TouchSignal.direction,
                   TouchSignal.text)
            .join(Touchpoint, col(Touchpoint.id) == TouchSignal.touchpoint_id)
            .where(*_among(Touchpoint.customer_id, ids), Touchpoint.day >= since)).all():
        read.setdefault(cid, []).append((on, tid, kind, direction))
        written.setdefault(cid, {}).setdefault((on, tid, text or kind), (text, []))[1].append((kind, direction))
    reviewed = set(s.exec(select(ProjectReview.contract_id).where(
        *_among(ProjectReview.customer_id, ids), col(ProjectReview.written_on).is_not(None))).all())
    contracts: dict[int, list[tuple[int, str, bool]]] = {}
    settled: dict[int, date] = {}  # the latest deal settled: signals about the deal before it are history
    # with each signed contract's instalments past due and not fully paid (a row each)
    owed: dict[int, list[tuple[int, date]]] = {}
    late = ((col(Instalment.contract_id) == Contract.id) & col(Contract.status).in_(WON) & (Instalment.due < day)
            & (Instalment.paid_cents < Instalment.amount_cents))
    for cid, kid, status, iid, due, *ends in s.exec(
            select(Contract.customer_id, Contract.id, Contract.status, Instalment.id, Instalment.due,
                   Contract.signed_on, Contract.completed_on, Contract.lost_on)
            .outerjoin(Instalment, late).where(*_among(Contract.customer_id, ids))
            .order_by(Contract.id, Instalment.id)).all():
        if iid is not None:
            owed.setdefault(cid, []).append((iid, due))
        if contracts.get(cid) and contracts[cid][-1][0] == kid:
            continue  # the same contract, another instalment
        contracts.setdefault(cid, []).append((kid, status, kid in reviewed))
        for d in ends:
            if d is not None and (cid not in settled or d > settled[cid]):
                settled[cid] = d
    complaints: dict[int, list[int]] = {}
    for cid, qid in s.exec(select(Complaint.customer_id, Complaint.id)
                           .where(*_among(Complaint.customer_id, ids), col(Complaint.resolved_on).is_(None))
                           .order_by(Complaint.made_on, Complaint.id)).all():
        complaints.setdefault(cid, []).append(qid)
    done: dict[int, set[str]] = {}
    for cid, task in s.exec(select(TaskDone.customer_id, TaskDone.task).where(*_among(TaskDone.customer_id, ids))):
        done.setdefault(cid, set()).add(task)
    def current(kind: str, on: date, cid: int) -> bool:
        return S.is_current(kind, on, day, settled_on=settled.get(cid), window_days=window, money_days=money)

    out = {}
    for cid, (stage, ended) in who.items():
        now = sorted((r for r in read.get(cid, ()) if current(r[2], r[0], cid)), reverse=True)
        heard = []  # newest first, each signal with its current pairs
        for (on, tid, _), (text, pairs) in sorted(written.get(cid, {}).items(), key=lambda x: x[0][:2],
                                                  reverse=True):
            kept = tuple((k, d) for k, d in pairs if current(k, on, cid))
            if kept:
                heard.append((tid, on, text, kept))
        out[cid] = G.Facts(stage, ended, counts.get(cid, 0), tuple(steps.get(cid, [])[:5]),
                           tuple(signals.get(cid, ())), tuple(contracts.get(cid, ())), tuple(complaints.get(cid, ())),
                           frozenset(done.get(cid, ())), S.view(r[3] for r in now), now[0][1] if now else None,
                           tuple(heard), tuple(owed.get(cid, ())))
    return out


def guide_facts(s: Session, customer: Customer, day: date) -> G.Facts:
    return facts_of(s, {customer.id: (customer.stage, customer.terminated_at is not None)}, day)[customer.id]


def marks_of(s: Session, ids: list[int] | None) -> dict[int, dict[tuple[str, str], dict[str, date]]]:
    """Each customer's guide marks: (guide, occasion) -> {mark: day} ('dismissed' or a step)."""
    out: dict[int, dict[tuple[str, str], dict[str, date]]] = {}
    if ids == []:
        return out
    for cid, g, o, m, d in s.exec(select(GuideMark.customer_id, GuideMark.guide, GuideMark.occasion, GuideMark.mark,
                                         GuideMark.day).where(*_among(GuideMark.customer_id, ids))).all():
        out.setdefault(cid, {}).setdefault((g, o), {})[m] = d
    return out


def dismissed(s: Session, customer_id: int) -> set[tuple[str, str]]:
    return {k for k, marks in marks_of(s, [customer_id]).get(customer_id, {}).items() if "dismissed" in marks}


@dataclass(frozen=True)
class InContext:
    """A customer's guides whose occasion is current: those to show, and (for `guide list
    --all`) those the salesperson dismissed for it; ``marks`` are the steps done."""

    shown: list[G.Guide]
    hidden: list[G.Guide]
    marks: dict[tuple[str, str], dict[str, date]]

    def steps(self, g: G.Guide) -> dict[str, date]:
        return {m: d for m, d in self.marks.get((g.key, g.occasion), {}).items() if m != "dismissed"}


def in_context(s: Session, who: dict[int, tuple[str, bool]], day: date, whole_book: bool = False
               ) -> dict[int, InContext]:
    """The guides in context for each customer of ``who``: rules.guides.applicable on the
    book's facts, each (guide, occasion) once, split by the dismissals."""
    facts = facts_of(s, who, day, whole_book)
    marks = marks_of(s, None if whole_book else list(who))
    out = {}
    for cid, f in facts.items():
        mine = marks.get(cid, {})
        hidden = {k for k, m in mine.items() if "dismissed" in m}
        now = G.applicable(f)
        out[cid] = InContext(G.not_dismissed(now, hidden), [g for g in now if (g.key, g.occasion) in hidden], mine)
    return out


def _in_context_of(s: Session, customer: Customer, day: date) -> InContext:
    return in_context(s, {customer.id: (customer.stage, customer.terminated_at is not None)}, day)[customer.id]


def hidden_occasion(s: Session, customer: Customer, guide: str, day: date) -> str | None:
    """The occasion ``guide`` applies to the customer for now, if the salesperson
    dismissed it for that occasion; else None (it is shown, or does not apply)."""
    return next((g.occasion for g in _in_context_of(s, customer, day).hidden if g.key == guide), None)


def guides_for(s: Session, customer: Customer, day: date) -> list[G.Guide]:
    """The guides that apply to the customer now and were not dismissed for their occasion."""
    return _in_context_of(s, customer, day).shown


def guides_of(s: Session, customer_ids: list[int], day: date) -> dict[int, list[G.Guide]]:
    """`kehu next`: the guides to show for the customers on its page, in one batch."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return {}
    who = {cid: (stage, ended is not None) for cid, stage, ended in s.exec(
        select(Customer.id, Customer.stage, Customer.terminated_at).where(col(Customer.id).in_(ids))).all()}
    found = in_context(s, who, day)
    return {cid: found[cid].shown for cid in ids if cid in found and found[cid].shown}


@dataclass(frozen=True)
class GuideRow:
    customer_id: int
    customer: str
    guide: G.Guide
    dismissed: bool
    steps: frozenset[str]  # the steps done, for a step-by-step guide


def guide_rows(s: Session, customer: Customer | None, day: date, with_dismissed: bool = False) -> list[GuideRow]:
    """`kehu guide list [CUSTOMER] [--all]`: the guides in context, for one customer or the
    whole book (customers in name order), with the steps done; dismissed ones with --all.
    A review's answers count as its steps done."""
    if customer is not None:
        people = [(customer.id, customer.name, customer.stage, customer.terminated_at)]
    else:
        people = s.exec(select(Customer.id, Customer.name, Customer.stage, Customer.terminated_at)
                        .order_by(Customer.name_key, Customer.id)).all()
    who = {cid: (stage, ended is not None) for cid, _, stage, ended in people}
    found = in_context(s, who, day, whole_book=customer is None)
    answered = {}
    if any(g.key == "project_review" for c in found.values() for g in c.shown + c.hidden):
        for kid, answers in s.exec(select(ProjectReview.contract_id, ProjectReview.answers).where(
                *_among(ProjectReview.customer_id, None if customer is None else [customer.id]))).all():
            answered[f"K{kid}"] = {k for k, v in json.loads(answers or "{}").items() if v}
    out = []
    for cid, name, _, _ in people:
        here = found[cid]
        for g, hidden in sorted([(g, False) for g in here.shown] + ([(g, True) for g in here.hidden]
                                                                      if with_dismissed else []),
                                key=lambda x: G.ORDER.index(x[0].key)):
            steps = set(here.steps(g))
            if g.key == "project_review":
                steps |= answered.get(g.occasion, set()) & set(STEPS[g.key])
            out.append(GuideRow(cid, name, g, hidden, frozenset(steps)))
    return out


def dismiss(s: Session, customer: Customer, guide: str, occasion: str | None, day: date) -> str:
    """`kehu guide dismiss C GUIDE`: not shown again for this occasion. Without an occasion,
    the one the guide applies to now (refused when it applies to none or to several)."""
    if occasion is None:
        now = [g.occasion for g in G.applicable(guide_facts(s, customer, day)) if g.key == guide]
        if len(now) != 1:
            raise UsageError("guide_occasion_needed" if now else "guide_not_here", guide=guide,
                             occasions=", ".join(now))
        occasion = now[0]
    if s.get(GuideMark, (customer.id, guide, occasion, "dismissed")) is not None:
        raise Refused("guide_already_dismissed", guide=guide, occasion=occasion)
    s.add(GuideMark(customer_id=customer.id, guide=guide, occasion=occasion, mark="dismissed", day=day))
    return occasion


def guide_steps(s: Session, customer: Customer, guide: str, occasion: str, steps: list[str], day: date) -> list[str]:
    """`kehu guide step C hq_visit N12 plan review`: steps of a hosting (or other
    step-by-step) guide done for one occasion."""
    allowed = STEPS.get(guide)
    if allowed is None:
        raise UsageError("guide_no_steps", guide=guide, guides=", ".join(STEPS))
    bad = [x for x in steps if x not in allowed]
    if bad:
        raise UsageError("guide_bad_step", step=bad[0], accepted=", ".join(allowed))
    if guide == "complaint":
        complaint = get_complaint(s, occasion)
        if complaint.customer_id != customer.id:
            raise Refused("followup_other_customer", id=occasion, customer=customer.name)
        return complaint_steps(s, complaint, steps, day)
    return mark_steps(s, customer, guide, occasion, steps, day)


# ------------------------------------------------------------------ deletes and merges


def forget_customer(s: Session, cid: int) -> None:
    """Before a customer is deleted: its complaints, reviews and marks go; whoever it
    introduced is no longer marked as introduced by it."""
    people = select(Person.id).where(Person.customer_id == cid)
    for model in (Customer, Person):
        s.execute(update(model).where(model.introduced_by_customer_id == cid).values(introduced_by_customer_id=None))
        s.execute(update(model).where(col(model.introduced_by_person_id).in_(people))
                  .values(introduced_by_person_id=None))
    for model in (Complaint, ProjectReview, GuideMark):
        s.execute(delete(model).where(model.customer_id == cid))


def forget_person_links(s: Session, pid: int) -> None:
    """Before a person is deleted: complaints they raised and whoever they introduced no
    longer name them."""
    s.execute(update(Complaint).where(Complaint.person_id == pid).values(person_id=None))
    for model in (Customer, Person):
        s.execute(update(model).where(model.introduced_by_person_id == pid).values(introduced_by_person_id=None))


def forget_contract(s: Session, kid: int) -> None:
    s.execute(delete(ProjectReview).where(ProjectReview.contract_id == kid))


def move_customer(s: Session, gid: int, kid: int) -> None:
    """A merge: ``gid``'s complaints, reviews, marks and introductions become ``kid``'s."""
    for model in (Complaint, ProjectReview):
        s.execute(update(model).where(model.customer_id == gid).values(customer_id=kid))
    for model in (Customer, Person):
        s.execute(update(model).where(model.introduced_by_customer_id == gid).values(introduced_by_customer_id=kid))
    s.execute(update(Customer).where(Customer.id == kid, Customer.introduced_by_customer_id == kid)
              .values(introduced_by_customer_id=None))
    # marks are keyed by customer: moved as deletes and inserts (the operation log cannot
    # undo a change of a row's key); a mark both had is kept once
    mine = {(m.guide, m.occasion, m.mark) for m in s.exec(select(GuideMark).where(GuideMark.customer_id == kid))}
    theirs = [(m.guide, m.occasion, m.mark, m.day)
              for m in s.exec(select(GuideMark).where(GuideMark.customer_id == gid))]
    s.execute(delete(GuideMark).where(GuideMark.customer_id == gid))
    s.add_all([GuideMark(customer_id=kid, guide=g, occasion=o, mark=m, day=d)
               for g, o, m, d in theirs if (g, o, m) not in mine])


def move_person(s: Session, gid: int, kid: int) -> None:
    s.execute(update(Complaint).where(Complaint.person_id == gid).values(person_id=kid))
    for model in (Customer, Person):
        s.execute(update(model).where(model.introduced_by_person_id == gid).values(introduced_by_person_id=kid))
    s.execute(update(Person).where(Person.id == kid, Person.introduced_by_person_id == kid)
              .values(introduced_by_person_id=None))


# ------------------------------------------------------------------ what `kehu show` adds


@dataclass(frozen=True)
class AfterProfile:
    complaints: list[ComplaintRow]  # the open ones, and how many of each kind
    open_count: int
    resolved_count: int
    introduced_by: str | None
    referrals: list[str]
    cycle: int | None  # the buying cycle set for it
    guides: list[G.Guide]


def after_profile(s: Session, customer: Customer, day: date) -> AfterProfile:
    open_, resolved = complaint_counts(s, customer.id)
    return AfterProfile(complaint_rows(s, customer.id, open_only=True), open_, resolved,
                        introducer_text(s, customer), referrals_of(s, customer.id), customer.purchase_cycle_days,
                        guides_for(s, customer, day))

"""Follow-ups: everything due by a day (next steps, promises, cadence, receivables,
after-sale visits, and the owners' pool warnings), ranked by kehu.rules.followups;
closing one; what `kehu remind --new` has listed; and `kehu next`'s agenda, with its own
suggestions (the next stage task, a decider gap, the weakest trust factor)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from heapq import merge
from itertools import islice
from datetime import date

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from kehu.dates import today
from kehu.errors import NotFound, Refused, UsageError
from kehu.models import Contract, Customer, Instalment, Promise, RemindSeen, Touchpoint
from kehu.rules import followups as F
from kehu.rules import tiers as R
from kehu.rules import trust as T
from kehu.rules.contracts import WON
from kehu.rules.followups import Item, Ranked
from kehu.rules.stages import missing_tasks
from kehu.settings import Settings
from kehu.store import aftersale
from kehu.store.common import core_rows, edited
from kehu.store.contracts import contract_event
from kehu.store.ownership import owned_by
from kehu.store.promises import get_promise, mark_promise
from kehu.store.stages import tasks_done
from kehu.store.team import pool_items
from kehu.store.tiers import cell_column, placed_book, tier_map
from kehu.store.trust import trust_inputs


def _active(owner: str | None, settings: Settings):
    base = select(Customer.id, Customer.name, Customer.stage, Customer.owner).where(
        col(Customer.terminated_at).is_(None)
    )
    if owner:
        base = base.where(owned_by(owner, settings))
    return base.subquery("active")


@dataclass(frozen=True)
class RankedBook:
    """One ranking of the book, for everything `kehu remind` and `kehu next` ask of it:
    every active customer's tier, and what its cadence reads (ranked_book)."""

    tiers: dict[int, str]
    # (id, tier, name, stage, owner, last touch or None, day added, profitability cell,
    # whether it is the --owner's): every active customer, highest standing first, then by id
    rows: list[tuple]
    owner: str | None


def ranked_book(s: Session, settings: Settings, owner: str | None = None) -> RankedBook:
    """Every active customer's tier and the facts of its cadence, from one ranking.

    The book placed by store.tiers.placed_book, each customer's last touch looked up with
    the index on its touchpoints; the comparison with the cadence is made in Python
    (cadence_items). On the 100,000-customer book: 0.6 s, where the tiers' window
    functions with the last touch grouped and joined in took 1.1 s, and a cadence query
    that ranked the book again 1.25 s."""
    last = select(func.max(Touchpoint.day)).where(Touchpoint.customer_id == Customer.id).scalar_subquery()
    book, places = placed_book(s, settings, today(), Customer.id, Customer.name, Customer.stage, Customer.owner,
                               last, Customer.added_on, cell_column(), owner=owner)
    rows = [(cid, tier, name, stage, own, last_day, added, cell_, mine)
            for (cid, name, stage, own, last_day, added, cell_, mine, _business, _standing), (_above, _total, tier)
            in zip(book, places, strict=True)]
    return RankedBook({r[0]: r[1] for r in rows}, rows, owner)


def due_items(s: Session, settings: Settings, horizon: date, owner: str | None = None,
              book: RankedBook | None = None) -> list[Item]:
    """Every follow-up due on or before ``horizon``, as rules Items; ``book`` is the
    book's ranking (ranked_book) for ``owner``, when the caller already has it.

    Aggregated in SQL with indexes (next_due, promise.due, touchpoint(customer_id, day));
    only due rows come back to Python, but for the cadence check (ranked_book).
    """
    book = ranked_book(s, settings, owner) if book is None else book
    assert book.owner == owner, "the ranking was read for another owner"
    tiers = book.tiers
    a = _active(owner, settings)
    items: list[Item] = []
    sources = (
        ("next_step", Touchpoint, Touchpoint.next_due, Touchpoint.next_step,
         (col(Touchpoint.next_due).is_not(None), col(Touchpoint.next_done_on).is_(None))),
        ("promise", Promise, Promise.due, Promise.text,
         (col(Promise.kept_on).is_(None), col(Promise.broken_on).is_(None))),
    )
    for kind, table, due_col, text_col, still_open in sources:
        rows = core_rows(
            s,
            select(table.id, due_col, text_col, a.c.id, a.c.name, a.c.stage, a.c.owner)
            .join(a, a.c.id == table.customer_id)
            .where(*still_open, col(due_col) <= horizon),
        )
        for ref, due, text_, cid, name, stage, own in rows:
            items.append(Item(kind, ref, cid, name, tiers[cid], stage, due, text_, own))
    items.extend(cadence_items(settings, book, horizon))
    items.extend(receivable_items(s, settings, owner, horizon, tiers))
    items.extend(aftercare_items(s, a, horizon, tiers))
    items.extend(after_deal_items(s, a, horizon, tiers))
    return items


def after_deal_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """A complaint's call-back, a review to write, the next purchase (store.aftersale)."""
    return (aftersale.complaint_items(s, active, horizon, tiers) + aftersale.review_items(s, active, horizon, tiers)
            + aftersale.repeat_items(s, active, horizon, tiers))


def cadence_items(settings: Settings, book: RankedBook, horizon: date) -> list[Item]:
    """Customers whose last touch (or, never touched, the day they were added) is older
    than their cadence as of ``horizon``: their tier's, divided by their profitability
    cell's factor (rules.tiers.cell_cadence: invest and best more often, keep less, worst
    least); an item whose cadence a cell changed says so (``cell`` in its extra). A
    customer with neither a touch nor a day added is never late."""
    cadence = settings.cadence
    days_of = {(tier, c): R.cell_cadence(tier, cadence, c, settings.cell_factors)
               for tier in cadence for c in (*R.CELLS, None)}
    latest = {key: horizon.toordinal() - days for key, days in days_of.items()}  # late on or before
    out = []
    for cid, tier, name, stage, own, last_day, added, cell_, mine in book.rows:
        since_day = last_day if last_day is not None else added
        if not mine or since_day is None or since_day.toordinal() > latest[(tier, cell_)]:
            continue
        days = days_of[(tier, cell_)]
        extra = {"cadence": days, "touched": last_day is not None}
        if days != cadence[tier]:
            extra |= {"cell": cell_, "tier_cadence": cadence[tier]}
        due = date.fromordinal(since_day.toordinal() + days)
        out.append(Item("cadence", cid, cid, name, tier, stage, due, "", own, since=since_day, extra=extra))
    return out


def receivable_items(s: Session, settings: Settings, owner: str | None, horizon: date,
                     tiers: dict[int, str]) -> list[Item]:
    """Unpaid instalments of signed contracts due by ``horizon`` (index on instalment.due).

    Terminated customers too: ending a relationship does not cancel what it owes."""
    q = (
        select(Instalment.id, Instalment.due, Instalment.amount_cents, Instalment.paid_cents,
               Contract.id, Contract.title, Contract.currency,
               Customer.id, Customer.name, Customer.stage, Customer.owner)
        .join(Contract, col(Contract.id) == Instalment.contract_id)
        .join(Customer, col(Customer.id) == Contract.customer_id)
        .where(Instalment.due <= horizon, Instalment.paid_cents < Instalment.amount_cents,
               col(Contract.status).in_(WON))
    )
    if owner:
        q = q.where(owned_by(owner, settings))
    rows = core_rows(s, q)
    return [
        Item("receivable", iid, cid, name, tiers.get(cid, "lead"), stage, due, title, own,
             extra={"contract": kid, "owed": amount - paid, "currency": cur, "playbook": "non_payment"})
        for iid, due, amount, paid, kid, title, cur, cid, name, stage, own in rows
    ]


def aftercare_items(s: Session, active, horizon: date, tiers: dict[int, str]) -> list[Item]:
    """The visit after each completed contract (成交不是结束), until it is made."""
    rows = s.exec(
        select(Contract.id, Contract.aftercare_due, Contract.title, Contract.completed_on,
               active.c.id, active.c.name, active.c.stage, active.c.owner)
        .join(active, active.c.id == Contract.customer_id)
        .where(col(Contract.aftercare_due).is_not(None), col(Contract.aftercare_done_on).is_(None),
               Contract.aftercare_due <= horizon)
    ).all()
    return [
        Item("aftercare", kid, cid, name, tiers[cid], stage, due, title, own,
             extra={"contract": kid, "completed": done.isoformat() if done else None})
        for kid, due, title, done, cid, name, stage, own in rows
    ]


def due_ranked(s: Session, settings: Settings, day: date, within_days: int, owner: str | None,
               book: RankedBook | None = None, pool_owner: str | None = None) -> list[Ranked]:
    """What is due by ``day`` + ``within_days``, most urgent first; with ``pool_owner``, also
    their customers about to return to the public pool (whenever they are warned, so
    whatever the window)."""
    horizon = date.fromordinal(day.toordinal() + within_days)
    book = ranked_book(s, settings, owner) if book is None else book
    ranked = F.rank(due_items(s, settings, horizon, owner, book), day, within_days, settings.urgency)
    if pool_owner:
        warned = F.rank(pool_items(s, settings, day, pool_owner, book.tiers), day, 3650, settings.urgency)
        ranked = list(merge(ranked, warned, key=F.order_key))  # both already in order
    return ranked


def _still_open(ident: str, customer_id: int, done_on: date | None, customer: Customer | None) -> None:
    """A follow-up can be closed once, and only for its own customer (when one is named)."""
    if customer is not None and customer_id != customer.id:
        raise Refused("followup_other_customer", id=ident, customer=customer.name)
    if done_on is not None:
        raise Refused("followup_closed", id=ident, date=done_on)


def close_next_step(s: Session, touch_id: int, day: date, customer: Customer | None = None) -> Touchpoint:
    touch = s.get(Touchpoint, touch_id)
    if touch is None or touch.next_step is None:
        raise NotFound("followup_not_found", id=f"N{touch_id}")
    _still_open(f"N{touch_id}", touch.customer_id, touch.next_done_on, customer)
    if day < touch.day:
        raise UsageError("due_before_date", option="--date", due=day, day=touch.day)
    touch.next_done_on = day
    s.add(touch)
    return touch


def next_step_of(s: Session, touch_id: int) -> Touchpoint:
    """The touchpoint whose next step is follow-up N + its id."""
    touch = s.get(Touchpoint, touch_id)
    if touch is None or touch.next_step is None:
        raise NotFound("followup_not_found", id=f"N{touch_id}")
    return touch


def reopen_next_step(s: Session, touch_id: int) -> Touchpoint:
    """`kehu followup undone N12`: a next step marked done by mistake, open again."""
    touch = next_step_of(s, touch_id)
    if touch.next_done_on is None:
        raise Refused("followup_not_done", id=f"N{touch_id}")
    touch.next_done_on = None
    s.add(touch)
    edited(s, s.get(Customer, touch.customer_id), "next_step", touch.id, ["done"])
    return touch


def close_aftercare(s: Session, contract_id: int, day: date, customer: Customer | None = None) -> Contract:
    contract = s.get(Contract, contract_id)
    if contract is None or contract.aftercare_due is None:
        raise NotFound("followup_not_found", id=f"A{contract_id}")
    _still_open(f"A{contract_id}", contract.customer_id, contract.aftercare_done_on, customer)
    if contract.completed_on and day < contract.completed_on:
        raise UsageError("date_before_completed", value=day, completed=contract.completed_on)
    contract.aftercare_done_on = day
    s.add(contract)
    contract_event(s, contract, "aftercare_done", on=day)
    return contract


def close(s: Session, kind: str, ref: int, day: date, shown: str) -> tuple[str, Promise | None]:
    """`kehu followup done`: a next step done, a promise kept, an after-sale visit made.
    Returns the item's text, and the promise when it was one (it may have been kept late).
    The other kinds are closed by what they ask for (a payment, a touchpoint, a claim),
    and are refused, naming the item as ``shown``, with the way to do it."""
    if kind == "next_step":
        return close_next_step(s, ref, day).next_step, None
    if kind == "promise":
        promise = get_promise(s, str(ref))
        mark_promise(s, promise, "kept", day)
        return promise.text, promise
    if kind == "aftercare":
        return close_aftercare(s, ref, day).title, None
    if kind == "complaint":
        complaint = aftersale.get_complaint(s, ref)
        if complaint.callback_done_on is not None:
            raise Refused("followup_closed", id=shown, date=complaint.callback_done_on)
        aftersale.complaint_steps(s, complaint, ["call_back"], day)
        return complaint.text, None
    if kind in ("receivable", "cadence", "pool", "review", "repurchase"):
        raise Refused(f"followup_{kind}", id=shown)
    raise Refused("followup_suggestion", id=shown)


def remind_seen(s: Session, scope: str) -> set[str] | None:
    """What the previous `kehu remind --new` in this scope listed (None: never ran)."""
    rows = s.exec(select(RemindSeen.item).where(RemindSeen.scope == scope)).all()
    ran = s.get(RemindSeen, (scope, "")) is not None
    return {r for r in rows if r} if ran else None


def record_remind_seen(s: Session, scope: str, keys: Sequence[str]) -> None:
    """Replace the scope's memory with what is due now ('' marks that it has run)."""
    s.exec(delete(RemindSeen).where(RemindSeen.scope == scope))
    rows = [{"scope": scope, "item": k} for k in {"", *keys}]
    s.exec(insert(RemindSeen), params=rows)


def agenda_candidates(book: RankedBook, limit: int) -> list[tuple]:
    """The ``limit`` most valuable active customers of ``book``'s owner (for `kehu next`):
    id, name, tier, stage, owner; the first of the ranking, which is read highest standing
    first (then by id)."""
    mine = ((cid, name, tier, stage, own) for cid, tier, name, stage, own, *_, theirs in book.rows if theirs)
    return list(islice(mine, limit))


def keep_new(s: Session, scope: str, ranked: list[Ranked]) -> list[Ranked]:
    """`kehu remind --new`: the items the previous run in this scope did not list; what is
    due now is remembered for the next run."""
    seen = remind_seen(s, scope)
    record_remind_seen(s, scope, [F.seen_key(r) for r in ranked])
    return F.only_new(ranked, seen)


# Suggestions are `kehu next`'s own items. The store decides them and leaves their text
# empty: what to word is in ``extra`` (task: the task; decider: the message key and its
# values; trust: the score, the weakest factor and the first tip), for the reader's
# language (cli.agenda words them). JSON output never shows these kinds' extra.
SUGGESTED = ("task", "decider", "trust", "routine", "decay", "referral", "expansion")


def suggestions(s: Session, customer_id: int, name: str, tier: str, stage: str, owner: str | None, day: date,
                settings: Settings) -> list[Item]:
    """`kehu next`'s own items for one customer: its next stage task (T), a decider gap
    (D), and the suggestion for its weakest trust factor (S)."""
    items = []
    c = s.get(Customer, customer_id)
    todo = missing_tasks(stage, tasks_done(s, c))
    if todo:
        items.append(Item("task", customer_id, customer_id, name, tier, stage, day, "", owner,
                          extra={"task": todo[0]}))
    people, touches, promises = trust_inputs(s, c)
    deciders = {p.id for p in people if p.role == "decider"}
    last_decider = max((t.on for t in touches if t.people & deciders and t.on <= day), default=None)
    gap = F.decider_gap(stage, last_decider, bool(touches), day)
    if gap:
        items.append(Item("decider", customer_id, customer_id, name, tier, stage, day, "", owner,
                          extra={"key": gap[0], "params": gap[1]}))
    met = {p.id: max((t.on for t in touches if p.id in t.people and t.on <= day), default=None) for p in people}
    added = {r.id: r.created_at.date() for r in c_people(s, c)}
    gap_ = F.routine_gap(stage, [(p.name, p.level, met[p.id], added.get(p.id, day)) for p in people], day)
    if gap_:
        # a suggestion like the others (due today): a routine years behind must not
        # outrank overdue money by its age alone
        items.append(Item("routine", customer_id, customer_id, name, tier, stage, day, "", owner,
                          extra={"name": gap_[0], "level": gap_[1], "last": met_by_name(people, met, gap_[0]),
                                 "due": gap_[2]}))
    trust = T.customer_trust(people, touches, promises, day, settings.trust, stage)
    if trust.suggestions:
        items.append(Item("trust", customer_id, customer_id, name, tier, stage, day, "", owner,
                          extra={"score": trust.score, "factor": trust.weakest, "tip": trust.suggestions[0]}))
    return items + aftersale.growth_suggestions(s, customer_id, name, tier, stage, owner, day)


def c_people(s: Session, c: Customer):
    from kehu.store.people import people_of

    return people_of(s, c)


def met_by_name(people, met: dict, name: str):
    return next((met[p.id] for p in people if p.name == name), None)


def agenda(s: Session, settings: Settings, day: date, n: int, owner: str | None,
           pool_owner: str | None) -> list[Ranked]:
    """`kehu next`: the ``n`` most urgent of what is due today and the suggestions for the
    3n most valuable customers."""
    book = ranked_book(s, settings, owner)  # once, for the due items and the candidates
    ranked = due_ranked(s, settings, day, 0, owner, book, pool_owner=pool_owner)
    items: list[Item] = []
    for cid, name, tier, stage, own in agenda_candidates(book, 3 * n):
        items += suggestions(s, cid, name, tier, stage, own, day, settings)
    # both already in order: merged, and only as far as the n wanted
    return list(islice(merge(ranked, F.rank(items, day, 0, settings.urgency), key=F.order_key), n))


def explain_candidates(s: Session, settings: Settings, day: date, kind: str, ref: int) -> list[Ranked]:
    """`kehu followup explain`: the ranked items among which one of ``kind`` numbered
    ``ref`` is, if it is due at all: a suggestion's customer's own, a pool warning
    whoever owns it, else everything due within ten years."""
    if kind in SUGGESTED:  # by customer id
        c = s.get(Customer, ref)
        tiers = tier_map(s, settings)
        items = []
        if c is not None and c.id in tiers:
            items = suggestions(s, c.id, c.name, tiers[c.id], c.stage, c.owner, day, settings)
        return F.rank(items, day, 0, settings.urgency)
    if kind == "pool":
        return F.rank(pool_items(s, settings, day, None, tier_map(s, settings), ref), day, 3650, settings.urgency)
    return due_ranked(s, settings, day, 3650, None)

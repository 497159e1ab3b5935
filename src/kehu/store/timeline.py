"""`kehu timeline`: everything about one customer as one dated list, newest first.

The facts come from where they are kept: touchpoints (with the people met), promises
(made, kept, broken, and due without being kept), the history events (stage changes,
edits, deletes, undos, ownership, and the contracts' own events: added, signed,
completed, lost, payments, the after-sale visit), instalments falling due and the
negotiation's disagreements (raised, settled). Nothing is worded here: each entry says
what it is and carries its record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from kehu.dates import to_local
from kehu.models import Contract, Customer, Instalment, NegotiationIssue, Promise
from kehu.store.customers import history
from kehu.store.touchpoints import touches_of
from kehu.store.undo import undone_events

# Entries of one day, when none has a time of its own to order them: the story's order.
_ORDER = ("event", "issue_raised", "touch", "promise_made", "promise_kept", "promise_broken", "promise_due",
          "instalment_due", "issue_settled")


@dataclass(frozen=True)
class Entry:
    day: date
    what: str  # one of _ORDER
    record: object  # a TouchRow, Promise, Event, (Instalment, Contract) or (NegotiationIssue, Contract)
    at: datetime | None = None  # when it was written, to order a day's entries


def _local_day(moment: datetime) -> date:
    return to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()


def timeline(s: Session, customer: Customer, today: date, since: date | None = None) -> list[Entry]:
    """Every dated fact about ``customer`` on or after ``since``, newest first (within a
    day, the latest written first)."""
    out: list[Entry] = []
    for row in touches_of(s, customer):
        out.append(Entry(row.touch.day, "touch", row, row.touch.created_at))
    for p in s.exec(select(Promise).where(Promise.customer_id == customer.id)):
        out.append(Entry(p.made_on, "promise_made", p, p.created_at))
        if p.kept_on is not None:
            out.append(Entry(p.kept_on, "promise_kept", p))
        elif p.broken_on is not None:
            out.append(Entry(p.broken_on, "promise_broken", p))
        elif p.due < today:  # lapsed without a word: a fact of the relationship too
            out.append(Entry(p.due, "promise_due", p))
    for ev in [*history(s, customer), *undone_events(s, customer.id)]:
        out.append(Entry(_local_day(ev.at), "event", ev, ev.at))
    contracts = {k.id: k for k in s.exec(select(Contract).where(Contract.customer_id == customer.id))}
    if contracts:
        for inst in s.exec(select(Instalment).where(col(Instalment.contract_id).in_(list(contracts)))
                           .order_by(Instalment.contract_id, Instalment.seq)):
            out.append(Entry(inst.due, "instalment_due", (inst, contracts[inst.contract_id])))
        for issue in s.exec(select(NegotiationIssue).where(col(NegotiationIssue.contract_id).in_(list(contracts)))
                            .order_by(NegotiationIssue.id)):
            contract = contracts[issue.contract_id]
            out.append(Entry(_local_day(issue.created_at), "issue_raised", (issue, contract), issue.created_at))
            if issue.settled_on is not None:
                out.append(Entry(issue.settled_on, "issue_settled", (issue, contract)))
    if since is not None:
        out = [e for e in out if e.day >= since]
    epoch = datetime.min.replace(tzinfo=UTC)

    def key(e: Entry):
        at = e.at if e.at is None or e.at.tzinfo else e.at.replace(tzinfo=UTC)
        return (e.day, at or epoch, -_ORDER.index(e.what), _ident(e))

    return sorted(out, key=key, reverse=True)


def _ident(e: Entry) -> int:
    record = e.record[0] if isinstance(e.record, tuple) else getattr(e.record, "touch", e.record)
    return record.id or 0

"""The tier answers that skip work must equal the whole ranking.

- `kehu show X` and `kehu tier --explain X` take one customer's tier from indexed counts
  (store.tiers.tier_of_customer), not from ranking the book: on a book with entered values,
  ties, zeros, terminated customers and signed contracts (recent, old, another currency,
  several per customer), every customer's row must equal its row of tier_rows, by
  both ways of counting the customers valued higher.
- `kehu tier` asks rules.tiers.warnings only of the rows its quick screen lets through
  (rules.tiers.warning_screen): its warnings must be exactly those of rules.tiers.warnings
  over every row, efforts lying exactly on the bounds included.
- `kehu tier` places the book in one walk down it (rules.tiers.places_in_order): its
  pyramid, rows and pipeline must equal those of the window functions' ranking.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
import _tier_reference as reference
from _books import execute

from kehu.rules import tiers as R

TODAY = date(2026, 6, 30)
STAMP = "2026-01-01 00:00:00.000000"
LEVELS = (None, "transactional", "preferred", "partner", "alliance")
PROFITS = (None, "high", "low")
KINDS = ("daily", "topic", "showcase", "team_event", "joint_launch", "exec_letter", "hq_visit", "exec_visit",
         "forum", "summit")


@pytest.fixture
def book(kehu, isolated_book, monkeypatch):
    """240 customers: every fourth valued like another (ties), some at 0 or None, 15 ended;
    120 contracts; 1,500 touchpoints at random, some older than a year, and customers
    201..240 with efforts of exactly 1..40."""
    monkeypatch.setenv("KEHU_TODAY", TODAY.isoformat())
    kehu("config", "set", "cadence.lead", "90")  # creates the book and its schema
    kehu("config", "set", "forecast.growth", "100")  # entered values in full: contracts vs entered
    rnd = random.Random(8)
    values = entered_values()
    customers = [
        {"id": i + 1, "name": f"c{i + 1:03d}", "stamp": STAMP, "value": v, "level": rnd.choice(LEVELS),
         "now": rnd.choice(PROFITS), "future": rnd.choice(PROFITS), "ended": STAMP if i % 16 == 5 else None,
         "why": "gone" if i % 16 == 5 else None}
        for i, v in enumerate(values)
    ]
    contracts = []
    for k in range(120):
        cid = rnd.randrange(1, 241)
        signed = TODAY - timedelta(days=rnd.choice([0, 3, 100, 364, 365, 366, 500]))
        status = rnd.choice(["signed", "signed", "completed", "draft", "lost"])
        amount = rnd.choice([250_00, 900_00, 1_500_00, rnd.randrange(1, 3_000) * 100])
        contracts.append({"id": k + 1, "cid": cid, "title": f"k{k}", "amount": amount,
                          "currency": rnd.choice(["CNY", "CNY", "CNY", "USD"]), "status": status,
                          "signed": signed.isoformat() if status in ("signed", "completed") else None,
                          "stamp": STAMP})
    touches = (
        [{"cid": rnd.randrange(1, 201), "day": (TODAY - timedelta(days=rnd.randrange(0, 500))).isoformat(),
          "kind": rnd.choice(KINDS), "stamp": STAMP} for _ in range(1500)]
        # customer 200 + k: k daily touches this year, an effort of exactly k
        + [{"cid": 200 + k, "day": (TODAY - timedelta(days=j)).isoformat(), "kind": "daily", "stamp": STAMP}
           for k in range(1, 41) for j in range(k)]
    )
    # touches dated after today (a clock set back, a colleague's laptop on a server book):
    # no effort of the year counts them
    touches += [{"cid": rnd.randrange(1, 201), "day": (TODAY + timedelta(days=rnd.randrange(1, 30))).isoformat(),
                 "kind": "summit", "stamp": STAMP} for _ in range(60)]
    execute(
        isolated_book,
        ("INSERT INTO customer (id, name, name_key, stage, created_at, updated_at, value_cents, added_on,"
         " level, profit_now, profit_future, terminated_at, terminated_reason)"
         " VALUES (:id, :name, :name, 'growth', :stamp, :stamp, :value, '2024-01-01', :level, :now, :future,"
         " :ended, :why)", customers),
        ("INSERT INTO contract (id, customer_id, title, amount_cents, currency, status, signed_on,"
         " created_at, updated_at) VALUES (:id, :cid, :title, :amount, :currency, :status, :signed, :stamp, :stamp)",
         contracts),
        ("INSERT INTO touchpoint (customer_id, day, kind, created_at) VALUES (:cid, :day, :kind, :stamp)", touches),
        # the two biggest accounts (mature: doing business): 229 platinum; 228 gold, a partner
        # in the worst profitability cell, with an effort of 28 that is neither too much nor
        # too little for gold: the worst-cell warning is its only one
        "UPDATE customer SET stage = 'mature', value_cents = 1000000000000 WHERE id = 229",
        "UPDATE customer SET stage = 'mature', value_cents = 999999999900, level = 'partner',"
        " profit_now = 'low', profit_future = 'low' WHERE id = 228",
    )
    return isolated_book


def entered_values() -> list[int | None]:
    rnd = random.Random(7)
    return [rnd.choice([None, 0, 100_00, 250_00, 250_00, 900_00, 5_000_00]) if i % 4 == 0
            else rnd.randrange(1, 2_000) * 100 for i in range(240)]


def read_book():
    """The test's book opened as a reading command opens it (the fixture `book` fills it)."""
    from kehu import book

    return book.open(None, book.Invocation(), write=False)


def tiers_everyone():
    from kehu.store import settings

    with read_book() as (s, _):
        return reference.tier_rows(s, settings.read(s), TODAY)


def rows_and_one_by_one(cfg_changes=()):
    import dataclasses

    from sqlmodel import select

    from kehu.models import Customer
    from kehu.store import settings, tiers

    with read_book() as (s, _):
        cfg = dataclasses.replace(settings.read(s), **dict(cfg_changes))
        everyone = {r.id: r for r in reference.tier_rows(s, cfg, TODAY)}
        one = {c.id: tiers.tier_of_customer(s, c, cfg, TODAY) for c in s.exec(select(Customer)).all()}
        # the tiers remind, next and the pool look up (placed in one walk down the book)
        assert tiers.tier_map(s, cfg) == {cid: r.tier for cid, r in everyone.items()}
    return everyone, one


@pytest.mark.parametrize("mins", [(0, 0, 0), (1, 3, 8)])
@pytest.mark.parametrize("cuts", [(1.0, 5.0, 20.0), (10.0, 30.0, 60.0), (16.1, 32.2, 50.0)])
def test_one_customers_tier_is_its_row_of_the_ranking(book, cuts, mins):
    everyone, one = rows_and_one_by_one({"cuts": cuts, "mins": mins})
    assert len(one) == 240 and len(everyone) == 225
    for cid, row in one.items():
        assert row == everyone.get(cid), cid  # None for the 15 terminated
    assert {r.tier for r in everyone.values()} == set(R.TIERS)
    entered = {cid: v for cid, v in enumerate(entered_values(), start=1)}
    by_contract = [r for r in everyone.values() if r.value != (entered[r.id] or 0)]
    assert len(by_contract) > 20  # the contracts decide many values (some to 0: none recent)


def test_explain_counts_the_customers_above(book, kehu):
    everyone, _ = rows_and_one_by_one()
    for cid in (1, 2, 50, 120, 239):
        row = everyone[cid]
        ex = kehu.json("tier", "--explain", f"#{cid}")
        assert (ex["tier"], ex["above"], ex["total"]) == (row.tier, row.above, row.total)


@pytest.mark.parametrize("cadence", [
    {},  # the defaults: bounds such as 3 × 365 / 14, never a whole effort
    # bounds that whole efforts hit exactly: platinum under 0.5 × 365/365... over 3 × 365/365 = 3
    {"cadence.platinum": "365", "cadence.gold": "73", "cadence.iron": "365", "cadence.lead": "365"},
])
def test_tier_warnings_are_those_of_every_row(book, kehu, cadence):
    from kehu.store import settings, tiers

    for key, value in cadence.items():
        kehu("config", "set", key, value)
    with read_book() as (s, _):
        cfg = settings.read(s)
        bounds = cfg.cadence
        everyone = reference.tier_rows(s, cfg, TODAY)
        screen = R.warning_screen(cfg.cadence, cfg.cell_factors)
        some = [r for r in everyone if screen(r.tier, r.level, r.effort, None not in (r.profit_now, r.profit_future),
                                              r.business)]
        pursuing = tiers.pursuing_ids(s)
    # as `kehu tier` asks (issue 18): doing business, the deal in pursuit, the time known
    expected = [
        {"id": r.id, "name": r.name, "tier": r.tier, "key": w.key, **w.params}
        for r in everyone
        for w in R.warnings(tier=r.tier, level=r.level, effort=r.effort, cell_=R.cell(r.profit_now, r.profit_future),
                            cadence=bounds, business=r.business, pursuing=r.id in pursuing,
                            known_days=r.known_days(TODAY))
    ]
    assert len(expected) > 20
    assert {r.id for r in some} < {r.id for r in everyone}
    if cadence:  # efforts exactly on a bound (no warning: it must be strictly beyond) and one past it
        assert any(r.effort == 3.0 and r.tier in ("iron", "lead") for r in everyone)
        assert any(r.effort == 4.0 and r.tier in ("iron", "lead") for r in everyone)
    assert kehu.json("tier")["warnings"] == expected


def pipeline(s, settings, today_, owner=None) -> list:
    """The prospects, by expected value (then id), asked on their own: what `kehu tier`'s
    商机 section must list (store.tiers.tier_report takes them from its single statement)."""
    from sqlmodel import col, select

    from kehu.models import Customer
    from kehu.store.common import core_rows
    from kehu.store.ownership import owned_by
    from kehu.store.tiers import PipelineRow, buying_centre, tiers_of

    t = tiers_of(settings, today_)
    centre = buying_centre()
    q = (
        select(t.c.id, Customer.name, Customer.stage, Customer.value_cents, t.c.value, Customer.segment,
               centre.c.buys, centre.c.uses, t.c.tier)
        .join(Customer, col(Customer.id) == t.c.id)
        .outerjoin(centre, centre.c.cid == t.c.id)
        .where(~t.c.business)
        .order_by(t.c.standing.desc(), t.c.id)
    )
    if owner:
        q = q.where(owned_by(owner, settings, today_))
    return [
        PipelineRow(i, n, st, 100 if seg == "strategic" else settings.forecast.get(st, 0), int(entered or 0),
                    int(v), seg, bool(b) and bool(u), tier)
        for i, n, st, entered, v, seg, b, u, tier in core_rows(s, q)
    ]


def anyone_does_business(s, settings, today_) -> bool:
    """Whether any active customer does business with us, asked on its own (if none, the
    pyramid is the prospects' own ranking: rules.tiers.rank_book)."""
    from sqlmodel import col, select

    from kehu.models import Customer
    from kehu.store.tiers import value_column

    signed, _value, _standing, business = value_column(today_, settings.currency, settings.forecast)
    return s.exec(
        select(Customer.id).outerjoin(signed, signed.c.cid == Customer.id)
        .where(col(Customer.terminated_at).is_(None), business).limit(1)
    ).first() is not None


@pytest.mark.parametrize(("owner", "cfg_changes"), [
    (None, {}), ("Wang", {}), ("nobody", {}),
    (None, {"cuts": (16.1, 32.2, 50.0), "mins": (1, 3, 8)}), ("Wang", {"cuts": (10.0, 30.0, 60.0)}),
])
def test_tier_report_ranks_once_and_answers_both_questions(book, isolated_book, owner, cfg_changes):
    import dataclasses

    from kehu.store import settings, tiers

    # --owner matches the folded owner_key (step 5), which kehu keeps with every owner it writes
    execute(isolated_book,
            "UPDATE customer SET owner = CASE WHEN id % 3 = 0 THEN 'wang' WHEN id % 3 = 1 THEN 'Li' END, "
            "owner_key = CASE WHEN id % 3 = 0 THEN 'wang' WHEN id % 3 = 1 THEN 'li' END")
    with read_book() as (s, _):
        cfg = dataclasses.replace(settings.read(s), **cfg_changes)
        counts, total, rows, prospects, anyone_business = tiers.tier_report(s, cfg, TODAY, owner)
        expected_counts, expected_total = reference.tier_counts(s, cfg, TODAY)
        screen = R.warning_screen(cfg.cadence, cfg.cell_factors)
        # the window functions' ranking (tier_rows), screened as `kehu tier` screens
        expected_rows = [r for r in reference.tier_rows(s, cfg, TODAY, owner=owner)
                         if screen(r.tier, r.level, r.effort, None not in (r.profit_now, r.profit_future),
                                   r.business)]
        expected_prospects = pipeline(s, cfg, TODAY, owner)
        assert anyone_business is anyone_does_business(s, cfg, TODAY) is True
        cadence = cfg.cadence

    def flagged(rows):
        return [(r, w) for r in rows for w in R.warnings(tier=r.tier, level=r.level, effort=r.effort,
                                                         cell_=R.cell(r.profit_now, r.profit_future), cadence=cadence)]

    # the pyramid counts only the customers doing business (issue 18: prospects are ranked apart)
    business = sum(1 for r in tiers_everyone() if r.business)
    assert 0 < business < 225
    assert sorted(counts) == sorted(expected_counts) and total == expected_total == business
    assert rows == expected_rows
    # and the pipeline from the same ranking: the prospects (of the owner), by expected value
    assert prospects == expected_prospects
    if owner is None:
        assert {p.id for p in prospects} == {r.id for r in tiers_everyone() if not r.business}
        assert len({r.tier for r in rows}) >= 3  # rows of several tiers, placed alike
    assert len(prospects) > 10 or owner == "nobody"
    assert flagged(rows) == flagged(expected_rows)
    assert bool(expected_rows) == (owner != "nobody")


def test_with_nobody_doing_business_the_report_ranks_the_prospects_among_themselves(book, isolated_book):
    """A new book (issue 18): no contract won and nobody mature; the walk down the book
    places the prospects against each other, as the window functions do."""
    from kehu.store import settings, tiers

    execute(isolated_book, "DELETE FROM contract", "UPDATE customer SET stage = 'growth'")
    with read_book() as (s, _):
        cfg = settings.read(s)
        counts, total, rows, prospects, anyone_business = tiers.tier_report(s, cfg, TODAY)
        expected_counts, expected_total = reference.tier_counts(s, cfg, TODAY)
        everyone = reference.tier_rows(s, cfg, TODAY)
        expected_prospects = pipeline(s, cfg, TODAY)
    assert anyone_business is False
    assert sorted(counts) == sorted(expected_counts) and total == expected_total == len(everyone) == 225
    assert prospects == expected_prospects and len(prospects) == 225
    assert {p.tier for p in prospects} == set(R.TIERS)
    by_id = {r.id: r for r in everyone}
    assert rows and all(r == by_id[r.id] and r.alone for r in rows)


def test_a_partner_in_the_worst_cell_is_warned_even_when_its_effort_is_in_line(book, kehu):
    """Customer 228 (see the fixture): only the worst cell says anything of it, so the
    screen must let it through on its level and both profits alone."""
    warned = [w["key"] for w in kehu.json("tier")["warnings"] if w["id"] == 228]
    assert warned == ["warn_worst_partner"]
    row = kehu.json("tier", "--explain", "#228")
    assert (row["tier"], row["effort"]) == ("gold", 28.0)


def test_remind_and_next_rank_the_book_as_the_window_functions_do(book, isolated_book):
    """store.followups.ranked_book (remind, next): every active customer's tier as
    tier_rows gives it and its last touch of any date up to today... or after (it is the
    last touch); and `kehu next`'s most valuable customers are the head of that ranking:
    by standing, then id, the owner's only."""
    from sqlmodel import func, select

    from kehu.models import Touchpoint
    from kehu.store import followups, settings

    execute(isolated_book,
            "UPDATE customer SET owner = CASE WHEN id % 3 = 0 THEN 'wang' END, "
            "owner_key = CASE WHEN id % 3 = 0 THEN 'wang' END")
    with read_book() as (s, _):
        cfg = settings.read(s)
        everyone = tiers_of_everyone(s, cfg)
        last = dict(s.exec(select(Touchpoint.customer_id, func.max(Touchpoint.day))
                           .group_by(Touchpoint.customer_id)).all())
        ranked = followups.ranked_book(s, cfg)
        candidates = followups.agenda_candidates(ranked, 30)
        theirs = followups.agenda_candidates(followups.ranked_book(s, cfg, "Wang"), 30)
    assert ranked.tiers == {r.id: r.tier for r in everyone}
    assert {r[0]: r[5] for r in ranked.rows} == {r.id: last.get(r.id) for r in everyone}
    # the fixture's values are whole, and growth stands at 100 %: the value is the standing
    by_value = sorted(everyone, key=lambda r: (-r.value, r.id))
    assert [c[0] for c in candidates] == [r.id for r in by_value[:30]]
    assert [c[2] for c in candidates] == [r.tier for r in by_value[:30]]
    assert [c[0] for c in theirs] == [r.id for r in by_value if r.id % 3 == 0][:30]


def tiers_of_everyone(s, cfg):

    return reference.tier_rows(s, cfg, TODAY)

"""`kehu report`: every figure of the week's, the month's and an empty period's report
recomputed here from the book with SQL (and the arithmetic written out in the test), the
plan against `kehu remind`, and the refusals."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from _books import query

pytestmark = pytest.mark.today("2026-11-27")  # a Friday: the week is 11-23 to 11-29
TODAY = date(2026, 11, 27)
CHANCE = {"stranger": 5, "acquainted": 10, "evaluation": 25, "growth": 50, "mature": 70}  # the method's numbers
COLD = {"stranger": 60, "acquainted": 90, "evaluation": 120, "growth": 180}
PERIODS = {
    "week": ("week", date(2026, 11, 23), date(2026, 11, 29), ()),
    "month": ("month", date(2026, 11, 1), date(2026, 11, 30), ()),
    "empty": ("month", date(2025, 1, 1), date(2025, 1, 31), ("--from", "2025-01-01", "--to", "2025-01-31")),
    # ends on a day with a touchpoint, a signature, a broken promise: the last day counts
    "to": ("month", date(2026, 11, 1), date(2026, 11, 24), ("--to", "2026-11-24")),
}


def build(kehu) -> None:
    """A small book whose every figure differs between the week and the month."""
    kehu("add", "华东电网信息中心", "--owner", "王磊", "--date", "2026-09-01")
    kehu("add", "深圳前海银行", "--owner", "李强", "--date", "2026-11-03")
    kehu("add", "杭州云帆物流", "--owner", "王磊", "--date", "2026-11-24")
    kehu("add", "昆明冷客户", "--date", "2026-05-01")
    kehu("touch", "华东", "--kind", "日常", "--date", "2026-10-20")
    kehu("touch", "昆明", "--kind", "电话", "--date", "2026-11-01")  # the month's first day
    kehu("touch", "昆明", "--kind", "电话", "--date", "2026-11-23")  # the week's first day
    kehu("touch", "昆明", "--kind", "电话", "--date", "2024-12-31")  # just outside the empty period
    kehu("touch", "华东", "--kind", "拜访", "--date", "2026-11-24",
         "--promise", "寄方案", "--promise-due", "2026-11-25")
    kehu("touch", "深圳", "--kind", "电话", "--date", "2026-11-10", "--promise", "报价", "--promise-due", "2026-11-12")
    kehu("touch", "深圳", "--kind", "电话", "--date", "2026-11-11", "--promise", "样品", "--promise-due", "2026-11-13")
    kehu("touch", "杭州", "--kind", "专题", "--date", "2026-11-25", "--next", "约技术交流", "--next-due", "2026-11-30")
    kehu("touch", "杭州", "--kind", "拜访", "--date", "2026-11-26",
         "--promise", "发案例", "--promise-due", "2026-11-26")
    kehu("touch", "华东", "--kind", "电话", "--date", "2026-11-27", "--promise", "回电", "--promise-due", "2026-11-27")
    kehu("promise", "kept", "1", "--date", "2026-11-26")  # a day late
    kehu("promise", "broken", "2", "--date", "2026-11-24")
    kehu("promise", "kept", "3", "--date", "2026-11-13")  # on time
    kehu("advance", "华东", "--force", "--reason", "老客户", "--date", "2026-11-05")
    kehu("advance", "杭州", "--force", "--reason", "转介绍", "--date", "2026-11-25")
    kehu("contract", "add", "华东", "一期", "--amount", "100万", "--status", "signed", "--date", "2026-11-24")
    kehu("contract", "add", "深圳", "旧单", "--amount", "50万", "--status", "signed", "--date", "2026-06-01")
    kehu("contract", "plan", "2", "-i", "2026-07-01:10万", "-i", "2026-10-15:20万", "-i", "2026-11-20:10万",
         "-i", "2027-01-10:10万")
    kehu("pay", "2", "3万", "--date", "2026-11-10")
    kehu("pay", "2", "5万", "--date", "2026-11-25")
    kehu("contract", "add", "杭州", "三期", "--amount", "30万", "--status", "negotiating", "--expected", "2026-12-20")
    kehu("contract", "add", "昆明", "草案", "--amount", "8万", "--expected", "2027-01-15")
    kehu("contract", "add", "华东", "海外", "--amount", "10000", "--currency", "USD", "--status", "negotiating")
    kehu("contract", "add", "深圳", "丢的", "--amount", "20万")
    kehu("contract", "lose", "6", "--reason", "预算冻结", "--date", "2026-11-26")
    kehu("contract", "add", "深圳", "二单", "--amount", "15万", "--status", "signed", "--date", "2026-11-15")


@pytest.fixture
def book(kehu):
    build(kehu)
    return kehu


def moment(value) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def day_of(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def local_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def expected(db, start: date, end: date) -> dict:
    """Every figure of the report, from the book, by SQL."""
    a, b = start.isoformat(), end.isoformat()
    span = {"a": a, "b": b}
    lo, hi = local_start(start), local_start(end + timedelta(days=1))
    out: dict = {}
    out["touches"] = dict(query(db, "SELECT kind, COUNT(*) FROM touchpoint WHERE day BETWEEN :a AND :b "
                                    "GROUP BY kind", span))
    per_day = {day_of(d): n for d, n in query(db, "SELECT day, COUNT(*) FROM touchpoint "
                                                  "WHERE day BETWEEN :a AND :b GROUP BY day", span)}
    out["per_day"] = per_day
    out["new"] = sorted(n for (n,) in query(db, "SELECT name FROM customer WHERE added_on BETWEEN :a AND :b", span))
    out["moves"] = sorted(
        (name, frm, to, kind == "forced")
        for at, name, frm, to, kind in query(
            db, "SELECT e.at, c.name, e.from_stage, e.to_stage, e.kind FROM event e JOIN customer c "
                "ON c.id = e.customer_id WHERE e.kind IN ('advanced', 'forced')")
        if lo <= moment(at) < hi)
    missed_to = min(end, TODAY - timedelta(days=1)).isoformat()
    out["promises"] = {
        "kept": query(db, "SELECT COUNT(*) FROM promise WHERE kept_on BETWEEN :a AND :b", span)[0][0],
        "kept_late": query(db, "SELECT COUNT(*) FROM promise WHERE kept_on BETWEEN :a AND :b AND kept_on > due",
                           span)[0][0],
        "broken": query(db, "SELECT COUNT(*) FROM promise WHERE broken_on BETWEEN :a AND :b", span)[0][0],
        "missed": query(db, "SELECT COUNT(*) FROM promise WHERE due >= :a AND due <= :m AND kept_on IS NULL "
                            "AND broken_on IS NULL", {"a": a, "m": missed_to})[0][0],
    }
    out["signed"] = sorted(query(db, "SELECT id, amount_cents, currency FROM contract "
                                     "WHERE signed_on BETWEEN :a AND :b", span))
    out["lost"] = sorted(query(db, "SELECT id, amount_cents, currency, lost_reason FROM contract "
                                   "WHERE lost_on BETWEEN :a AND :b", span))
    paid: Counter = Counter()
    payments = 0
    for at, detail in query(db, "SELECT at, detail FROM event WHERE kind = 'paid'"):
        if lo <= moment(at) < hi:
            d = json.loads(detail)
            paid[d["currency"]] += cents(d["amount"])
            payments += 1
    out["received"], out["payments"] = dict(paid), payments
    # where things stand, today
    out["funnel"] = dict(query(db, "SELECT stage, COUNT(*) FROM customer WHERE terminated_at IS NULL GROUP BY stage"))
    deals = query(db, "SELECT c.stage, k.currency, k.amount_cents, k.expected_on FROM contract k "
                      "JOIN customer c ON c.id = k.customer_id "
                      "WHERE k.status IN ('draft', 'negotiating') AND c.terminated_at IS NULL")

    def weigh(key) -> dict:
        groups: dict = {}
        for stage, cur, amount, exp in deals:
            g = groups.setdefault((key(stage, exp), cur), [0, 0, Decimal(0)])
            g[0] += 1
            g[1] += amount
            g[2] += Decimal(amount) * CHANCE[stage] / 100
        return {k: (n, amt, int(w.quantize(Decimal(1), ROUND_HALF_EVEN))) for k, (n, amt, w) in groups.items()}

    out["by_stage"] = weigh(lambda stage, exp: stage)
    out["by_month"] = weigh(lambda stage, exp: day_of(exp).strftime("%Y-%m") if exp else None)
    out["forecast"] = weigh(lambda stage, exp: "*")
    ages: dict = {}
    late: dict = {}
    for kid, due, owed, cur in query(
            db, "SELECT k.id, i.due, i.amount_cents - i.paid_cents, k.currency FROM instalment i "
                "JOIN contract k ON k.id = i.contract_id "
                "WHERE k.status IN ('signed', 'completed') AND i.paid_cents < i.amount_cents"):
        days = (TODAY - day_of(due)).days
        bucket = "not_due" if days <= 0 else "d0_30" if days <= 30 else "d31_90" if days <= 90 else "d90"
        ages.setdefault(cur, Counter())[bucket] += owed
        if days > 0:
            slot = late.setdefault(kid, [0, 0])
            slot[0] += owed
            slot[1] = max(slot[1], days)
    out["ageing"], out["late"] = ages, late
    noon = datetime(TODAY.year, TODAY.month, TODAY.day, 12).astimezone().astimezone(UTC)
    entered = {}
    for cid, at, stage in query(db, "SELECT e.customer_id, e.at, e.to_stage FROM event e JOIN customer c "
                                    "ON c.id = e.customer_id WHERE c.terminated_at IS NULL "
                                    "AND e.kind IN ('created', 'advanced', 'forced') ORDER BY e.id"):
        entered[cid] = (stage, moment(at))
    out["cold"] = sorted(
        (cid, int((noon - at).total_seconds() // 86400)) for cid, (stage, at) in entered.items()
        if stage in COLD and (noon - at).total_seconds() // 86400 > COLD[stage])
    return out


def check(got: dict, want: dict, start: date, end: date) -> None:
    assert (got["from"], got["to"]) == (start.isoformat(), end.isoformat())
    assert got["touches"] == want["touches"]
    assert got["touches_total"] == sum(want["touches"].values())
    activity = {date.fromisoformat(x["from"]): x["touches"] for x in got["activity"]}
    assert sum(activity.values()) == sum(want["per_day"].values())
    assert min(activity) == start and max(activity) <= end
    for bucket, n in activity.items():  # each bucket: its days, up to the next bucket
        nxt = min([d for d in activity if d > bucket], default=end + timedelta(days=1))
        assert n == sum(v for d, v in want["per_day"].items() if bucket <= d < nxt), bucket
    assert sorted(c["name"] for c in got["new_customers"]) == want["new"]
    assert sorted((m["customer"], m["from"], m["to"], m["forced"]) for m in got["stage_moves"]) == want["moves"]
    assert got["promises"] == want["promises"]
    assert sorted((d["id"], cents(d["amount"]), d["currency"]) for d in got["signed"]) == want["signed"]
    assert sorted((d["id"], cents(d["amount"]), d["currency"], d["reason"]) for d in got["lost"]) == want["lost"]
    assert {r["currency"]: cents(r["amount"]) for r in got["received"]} == want["received"]
    assert got["payments"] == want["payments"]
    assert {k: v for k, v in got["funnel"].items() if v} == want["funnel"]

    def rows(items, key) -> dict:
        return {(r[key], r["currency"]): (r["contracts"], cents(r["amount"]), cents(r["weighted"])) for r in items}

    assert rows(got["pipeline_by_stage"], "stage") == want["by_stage"]
    assert rows(got["pipeline_by_month"], "month") == want["by_month"]
    assert {("*", r["currency"]): (r["contracts"], cents(r["amount"]), cents(r["weighted"]))
            for r in got["forecast"]} == want["forecast"]
    assert {r["currency"]: {k: cents(r[k]) for k in ("not_due", "d0_30", "d31_90", "d90") if cents(r[k])}
            for r in got["receivables"]} == {c: dict(v) for c, v in want["ageing"].items()}
    assert {r["currency"]: cents(r["total"]) for r in got["receivables"]} == {
        c: sum(v.values()) for c, v in want["ageing"].items()}
    assert {x["id"]: [cents(x["overdue"]), x["days_late"]] for x in got["overdue_contracts"]} == want["late"]
    assert sorted((c["id"], c["days"]) for c in got["going_cold"]) == want["cold"]


def test_every_figure_is_the_books_for_a_week_a_month_and_an_empty_period(book, isolated_book):
    from _books import any_dump

    before = any_dump(isolated_book)
    wanted = {}
    for name, (kind, start, end, extra) in PERIODS.items():
        wanted[name] = expected(isolated_book, start, end)
        check(book.json("report", kind, *extra), wanted[name], start, end)
    assert any_dump(isolated_book) == before  # the report only reads
    # the fixture makes every kind of figure differ between the week and the month, and
    # leaves the empty period empty, so that the period's bounds are what is tested
    week, month, empty = wanted["week"], wanted["month"], wanted["empty"]
    for key in ("touches", "new", "moves", "signed", "received"):
        assert week[key] and month[key] and week[key] != month[key], key
    assert week["lost"] and all(v for v in week["promises"].values())
    assert week["promises"] != month["promises"]
    assert not (empty["touches"] or empty["new"] or empty["moves"] or empty["signed"] or empty["received"])
    assert {b for v in week["ageing"].values() for b in v} == {"not_due", "d0_30", "d31_90", "d90"}
    assert week["cold"] and len(week["by_month"]) >= 3 and len({c for _, c in week["forecast"]}) == 2
    # a short period counts per day, a longer one per week (from its Monday)
    assert [x["from"] for x in book.json("report", "week")["activity"]] == [f"2026-11-{d}" for d in range(23, 30)]
    assert [x["from"] for x in book.json("report", "month")["activity"]] == [
        "2026-11-01", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
    quarter = book.json("report", "季报")
    assert (quarter["from"], quarter["to"]) == ("2026-10-01", "2026-12-31")


def test_the_plan_is_what_remind_lists_and_owner_limits_every_figure(book, isolated_book):
    plan = book.json("report", "week")["plan"]
    remind = book.json("remind", "--within", "7")
    assert [p["id"] for p in plan] == [r["id"] for r in remind]
    horizon = (TODAY + timedelta(days=7)).isoformat()
    want = {f"N{i}" for (i,) in query(isolated_book, "SELECT id FROM touchpoint WHERE next_due <= :h "
                                                     "AND next_done_on IS NULL", {"h": horizon})}
    want |= {f"P{i}" for (i,) in query(isolated_book, "SELECT id FROM promise WHERE due <= :h AND kept_on IS NULL "
                                                      "AND broken_on IS NULL", {"h": horizon})}
    want |= {f"R{i}" for (i,) in query(
        isolated_book, "SELECT i.id FROM instalment i JOIN contract k ON k.id = i.contract_id WHERE i.due <= :h "
                       "AND i.paid_cents < i.amount_cents AND k.status IN ('signed', 'completed')", {"h": horizon})}
    assert want and {p["id"] for p in plan if p["id"][0] in "NPR"} == want
    owner_report(book)


def owner_report(book) -> None:
    """With --owner (or --mine), every figure is of that salesperson's customers alone:
    王磊 holds 华东 and 杭州: in November, their four touchpoints (拜访 and 电话 are 日常拜访交流),
    杭州 added, 华东's contract signed; 深圳's payments, loss and debt and 昆明 are not his."""
    mine = book.json("report", "month", "--owner", "王磊")
    assert mine["owner"] == "王磊"
    assert mine["touches"] == {"daily": 3, "topic": 1}
    assert [c["name"] for c in mine["new_customers"]] == ["杭州云帆物流"]
    assert [d["id"] for d in mine["signed"]] == [1]
    assert (mine["received"], mine["lost"], mine["receivables"], mine["going_cold"]) == ([], [], [], [])
    assert sum(mine["funnel"].values()) == 2
    assert {(r["currency"], r["contracts"]) for r in mine["pipeline_by_stage"]} == {("CNY", 1), ("USD", 1)}
    assert [p["id"] for p in mine["plan"]] == [r["id"] for r in book.json("remind", "--within", "7", "--owner", "王磊")]
    assert book.json("--as", "王磊", "report", "month", "--mine") == mine


BAD = [
    (("report", "year"), "week, month, quarter"),
    (("report", "week", "--from", "2026-11-28", "--to", "2026-11-24"), "--from 2026-11-28"),
    (("report", "week", "--from", "someday"), "someday"),
    (("report", "week", "--owner", "王磊", "--mine"), "--mine"),
]


def test_bad_input_is_one_line_and_exit_2(kehu):
    kehu("add", "华东电网")
    for args, key in BAD:
        r = kehu(*args, code=2)
        assert r.stdout == "" and key in r.stderr and len(r.stderr.strip().splitlines()) == 1, args

"""The floors kehu is measured against: the same work done with raw sqlite3.

Each is a small program the harness runs as a child process, like kehu itself:

    python floors.py import-customers BOOK FILE [--events]
    python floors.py import-touchpoints BOOK FILE
    python floors.py sql remind|next|tier|funnel BOOK
    python floors.py search BOOK TEXT
    python floors.py export BOOK DIR

- The imports read the same CSV file kehu imports (csv.reader, headers by name, labels
  to keys, amounts to cents, the customer and people names to ids through dicts loaded
  from the book) and write the same rows with ``executemany`` in one transaction.
  ``--events`` also writes the "created"/"dropped" history rows kehu writes for each new
  customer (a variant, to show what part of kehu's cost those rows are).
- ``sql`` first imports the stack kehu's commands import (typer, sqlmodel, rich.table),
  then answers the command's question with hand-written SQL and prints the rows,
  tab-separated. The SQL is documented in docs/performance.md.
- ``search`` imports the same stack, then asks the search index (schema step 8) for the
  records holding TEXT (a Chinese word: one phrase of its characters, rules/search.py), each kind's 51
  newest, checks them against the text and prints the 50 best, as `kehu search` does.
- ``export`` SELECTs every table with the columns of kehu's export (customer and people
  names joined in) and writes them with ``csv.writer``.

Standard library only, apart from the stack import of ``sql``.
"""

from __future__ import annotations

import csv
import getpass
import json
import os
import sqlite3
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import median
import re

from synth import LABEL

KEYS = {group: {v: k for k, v in labels.items()} for group, labels in LABEL.items()}
COST = {"低": "low", "高": "high"}
_SPACES = re.compile(r"\s+")


def name_key(value: str) -> str:
    # kehu.rules.names.name_key, inlined: NFKC, white space collapsed, trimmed, case-folded.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def noon(text: str) -> str:
    d = date.fromisoformat(text)
    return datetime(d.year, d.month, d.day, 12).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def today() -> date:
    return date.fromisoformat(os.environ.get("KEHU_TODAY") or date.today().isoformat())


def connect(path: str) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    return con


def cents(text: str) -> int | None:
    if not text:
        return None
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


# ---------------------------------------------------------------- imports


def import_customers(book: str, path: str, events: bool) -> None:
    con = connect(book)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        col = {h: i for i, h in enumerate(next(reader))}
        g = lambda row, h: row[col[h]] if h in col else ""  # noqa: E731
        now = now_text()
        rows, history = [], []
        con.execute("BEGIN IMMEDIATE")
        first = (con.execute("SELECT max(id) FROM customer").fetchone()[0] or 0) + 1
        for ident, row in enumerate(reader, start=first):
            name = _SPACES.sub(" ", unicodedata.normalize("NFKC", g(row, "客户名称"))).strip()
            stage = KEYS["stage"].get(g(row, "阶段"), "stranger")
            added = g(row, "建档日期") or today().isoformat()
            ended = g(row, "终止日期")
            rows.append((
                ident, name, name.casefold(), g(row, "行业") or None, g(row, "地区") or None,
                KEYS["kind"].get(g(row, "类型")), KEYS["level"].get(g(row, "关系类型")), cents(g(row, "年价值")),
                g(row, "负责人") or None, g(row, "备注") or None, stage,
                noon(ended) if ended else None, (g(row, "终止原因") or "-") if ended else None, now, now,
                KEYS["profit"].get(g(row, "当前盈利")), KEYS["profit"].get(g(row, "未来潜力")),
                COST.get(g(row, "服务成本")), added,
            ))
            if events:
                history.append((ident, noon(added), "created", None, stage, None, json.dumps({"imported": path})))
                if ended:
                    history.append((ident, noon(ended), "dropped", stage, stage, rows[-1][12], None))
        con.executemany(
            "INSERT INTO customer (id, name, name_key, industry, region, kind, level, value_cents, owner, note,"
            " stage, terminated_at, terminated_reason, created_at, updated_at, profit_now, profit_future,"
            " service_cost, added_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        if events:
            con.executemany(
                "INSERT INTO event (customer_id, at, kind, from_stage, to_stage, reason, detail)"
                " VALUES (?,?,?,?,?,?,?)", history)
        con.execute("COMMIT")
    sys.stderr.write(f"{len(rows)} customers\n")


def import_touchpoints(book: str, path: str) -> None:
    con = connect(book)
    con.execute("BEGIN IMMEDIATE")
    customers = dict(con.execute("SELECT name_key, id FROM customer"))
    people = {(c, k): p for p, c, k in con.execute("SELECT id, customer_id, name_key FROM person")}
    next_id = (con.execute("SELECT max(id) FROM touchpoint").fetchone()[0] or 0) + 1
    now = now_text()
    count = 0
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        col = {h: i for i, h in enumerate(next(reader))}
        ci, di, ki, wi, ni, si = (col[h] for h in ("客户名称", "日期", "方式", "接触人", "备注", "信号"))
        xi, xd, xn = (col[h] for h in ("下一步", "下一步截止", "下一步完成"))
        touches, links = [], []
        for row in reader:
            cid = customers[name_key(row[ci])]
            tid = next_id + count
            count += 1
            signals = [s for s in row[si].split("\n") if s] if row[si] else None
            touches.append((tid, cid, row[di], KEYS["touch"][row[ki]], row[ni] or None,
                            json.dumps(signals, ensure_ascii=False) if signals else None,
                            row[xi] or None, row[xd] or None, row[xn] or None, now))
            if row[wi]:
                for n in row[wi].split("、"):
                    links.append((tid, people[(cid, name_key(n))]))
            if len(touches) >= 10_000:
                _write_touches(con, touches, links)
        _write_touches(con, touches, links)
    con.execute("COMMIT")
    sys.stderr.write(f"{count} touchpoints\n")


def _write_touches(con: sqlite3.Connection, touches: list, links: list) -> None:
    con.executemany(
        "INSERT INTO touchpoint (id, customer_id, day, kind, note, signals, next_step, next_due, next_done_on,"
        " created_at) VALUES (?,?,?,?,?,?,?,?,?,?)", touches)
    con.executemany("INSERT INTO touchpoint_person (touchpoint_id, person_id) VALUES (?,?)", links)
    touches.clear()
    links.clear()


# ---------------------------------------------------------------- the agenda questions in SQL

# Every active customer's standing (what it is ranked by, rules.tiers.standing), place and
# tier, into a temporary table every agenda question reads. A customer doing business (a
# signed or completed CNY contract, or mature) stands at what it buys: its signed contracts
# of the last 12 months, or the larger of that and its entered annual value while its first
# contract is under 12 months old (a mature customer that never signed: the entered value);
# a prospect at its expected value, entered × its stage's chance (kehu's forecast.* 5, 10,
# 25, 50, 70 %; a strategic prospect 100 %). Standings are in cents × 100, the value is the
# standing / 100 (a prospect's in fractions of a cent, as kehu's: a pyramid of prospects
# sums them before the cents are cut). A customer's place (``above``) is the number of
# customers doing business that stand strictly higher, of all those doing business
# (prospects are placed against them, uncounted); with nobody doing business, the
# prospects' own ranks. Tiers by kehu's
# default cuts 1 %, 5 %, 20 %, each also admitting those with fewer than 1, 3, 8 above
# (tier.min_counts); nothing standing is lead. It counts in the pyramid if it does business
# (or nobody does).
RANKED_TABLE = ("CREATE TEMP TABLE ranked (id INTEGER PRIMARY KEY, value INTEGER, standing INTEGER,"
                " business INTEGER, above INTEGER, tier TEXT, in_pyramid INTEGER)")
RANKED = """
INSERT INTO ranked
WITH signed AS (
    SELECT customer_id AS cid, min(signed_on) AS first,
           sum(CASE WHEN signed_on >= :year_ago AND signed_on <= :today THEN amount_cents ELSE 0 END) AS recent
    FROM contract WHERE status IN ('signed', 'completed') AND currency = 'CNY'
    GROUP BY customer_id),
standings AS (
    SELECT c.id, s.cid IS NOT NULL OR c.stage = 'mature' AS business,
           CASE WHEN s.cid IS NOT NULL
                THEN 100 * CASE WHEN s.first >= :year_ago AND coalesce(c.value_cents, 0) > s.recent
                                THEN c.value_cents ELSE s.recent END
                WHEN c.stage = 'mature' THEN 100 * coalesce(c.value_cents, 0)
                ELSE coalesce(c.value_cents, 0) * CASE WHEN c.segment = 'strategic' THEN 100 ELSE
                     CASE c.stage WHEN 'stranger' THEN 5 WHEN 'acquainted' THEN 10 WHEN 'evaluation' THEN 25
                                  WHEN 'growth' THEN 50 ELSE 0 END END END AS standing
    FROM customer c LEFT JOIN signed s ON s.cid = c.id
    WHERE c.terminated_at IS NULL),
placed AS (
    SELECT id, standing, business, n_business = 0 AS alone,
           CASE WHEN n_business = 0 THEN overall - 1 ELSE coalesce(business_higher, 0) END AS above,
           CASE WHEN n_business = 0 THEN n_all ELSE n_business END AS total
    FROM (SELECT id, standing, business, rank() OVER w AS overall,
                 sum(business) OVER (w GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS business_higher,
                 sum(business) OVER () AS n_business, count(*) OVER () AS n_all
          FROM standings WINDOW w AS (ORDER BY standing DESC)))
SELECT id, CASE WHEN business THEN standing / 100 ELSE standing / 100.0 END, standing, business, above,
       CASE WHEN standing <= 0 THEN 'lead'
            WHEN above * 100 < total * 1 OR above < 1 THEN 'platinum'
            WHEN above * 100 < total * 5 OR above < 3 THEN 'gold'
            WHEN above * 100 < total * 20 OR above < 8 THEN 'iron'
            ELSE 'lead' END,
       business OR alone
FROM placed
"""

# The next purchase (repeat business) of each active mature customer, from its signed
# contracts: its buying cycle (the one set for it, else the median of the gaps between its
# signings, else 365 days), due 30 days before the cycle comes round after its last
# signing (rules.aftersale, evaluated in Python like kehu's); those due by :horizon go to a
# temporary table the due items read.
REPEAT_INPUT = """
SELECT c.id, c.purchase_cycle_days, k.signed_on
FROM customer c JOIN contract k ON k.customer_id = c.id
WHERE c.stage = 'mature' AND c.terminated_at IS NULL AND k.signed_on IS NOT NULL
  AND k.status IN ('signed', 'completed')
"""

# Everything due by :horizon, with its urgency (tier × kind × stage × timing, the weights of
# rules.followups), most urgent first (ties: due, customer name, kind letter, number), for
# active customers: open next steps (N), open promises (P), aftercare visits (A), open
# complaints' call-backs (Q), lost or completed contracts without a written review (V, due
# the day they closed), next purchases (B); unpaid instalments of signed contracts (R),
# terminated customers too (a lead's weight then); the acting salesperson's customers about
# to return to the public pool (H, due the day before their first clock runs out: 30 days
# untouched by the owner, 180 days claimed short of growth; warned 7 days ahead); and every
# customer not touched within its cadence (C): its tier's 7/14/30/90 days ÷ its
# profitability cell's factor (best, invest 1.5; keep 0.75; worst 0.5; rounded half up),
# since its last touch (from the (customer_id, day) index), else the day it was added.
DUE = """
WITH cadence(tier, cell, days) AS (VALUES
    ('platinum', '', 7), ('platinum', 'best', 5), ('platinum', 'invest', 5), ('platinum', 'keep', 9),
    ('platinum', 'worst', 14), ('gold', '', 14), ('gold', 'best', 9), ('gold', 'invest', 9), ('gold', 'keep', 19),
    ('gold', 'worst', 28), ('iron', '', 30), ('iron', 'best', 20), ('iron', 'invest', 20), ('iron', 'keep', 40),
    ('iron', 'worst', 60), ('lead', '', 90), ('lead', 'best', 60), ('lead', 'invest', 60), ('lead', 'keep', 120),
    ('lead', 'worst', 180)),
pool AS (
    SELECT id, date(min(coalesce(untouched, growth), coalesce(growth, untouched)), '-1 day') AS due
    FROM (SELECT id,
                 date(max(coalesce(owner_touched_on, claimed_on), coalesce(claimed_on, owner_touched_on)),
                      '+31 days') AS untouched,
                 CASE WHEN stage NOT IN ('growth', 'mature') THEN date(claimed_on, '+181 days') END AS growth
          FROM customer WHERE owner_key = :me AND terminated_at IS NULL)
    WHERE min(coalesce(untouched, growth), coalesce(growth, untouched)) > :today
      AND min(coalesce(untouched, growth), coalesce(growth, untouched)) <= date(:today, '+7 days')),
late AS MATERIALIZED (
    SELECT r.id, d.days, coalesce((SELECT max(day) FROM touchpoint WHERE customer_id = r.id), c.added_on) AS since
    FROM ranked r JOIN customer c ON c.id = r.id CROSS JOIN cadence d
    WHERE d.tier = r.tier
      AND d.cell = CASE WHEN c.profit_now IS NULL OR c.profit_future IS NULL THEN ''
                        WHEN c.profit_now = 'high' AND c.profit_future = 'high' THEN 'best'
                        WHEN c.profit_future = 'high' THEN 'invest' WHEN c.profit_now = 'high' THEN 'keep'
                        ELSE 'worst' END),
items AS (
    SELECT 'N' AS k, 1.2 AS w, id AS ref, next_due AS due, next_step AS what, customer_id AS cid
    FROM touchpoint WHERE next_due <= :horizon AND next_done_on IS NULL
    UNION ALL
    SELECT 'P', 1.5, id, due, text, customer_id FROM promise
    WHERE due <= :horizon AND kept_on IS NULL AND broken_on IS NULL
    UNION ALL
    SELECT 'R', 1.5, i.id, i.due, k.title, k.customer_id FROM instalment i JOIN contract k ON k.id = i.contract_id
    WHERE i.due <= :horizon AND i.paid_cents < i.amount_cents AND k.status IN ('signed', 'completed')
    UNION ALL
    SELECT 'A', 1.1, id, aftercare_due, title, customer_id FROM contract
    WHERE aftercare_due <= :horizon AND aftercare_done_on IS NULL
    UNION ALL
    SELECT 'Q', 1.6, id, callback_due, text, customer_id FROM customer_complaint
    WHERE callback_due <= :horizon AND callback_done_on IS NULL AND resolved_on IS NULL
    UNION ALL
    SELECT 'V', 0.9, k.id, coalesce(k.lost_on, k.completed_on), k.title, k.customer_id
    FROM contract k LEFT JOIN project_review v ON v.contract_id = k.id
    WHERE k.status IN ('lost', 'completed') AND v.written_on IS NULL
      AND coalesce(k.lost_on, k.completed_on) <= :horizon
    UNION ALL
    SELECT 'B', 1.2, cid, due, '', cid FROM repurchase
    UNION ALL
    SELECT 'H', 1.4, id, due, '', id FROM pool
    UNION ALL
    SELECT 'C', 1.0, id, date(since, '+' || days || ' days'), '', id FROM late
    WHERE since <= date(:horizon, '-' || days || ' days'))
SELECT x.k || x.ref, x.due, c.name, coalesce(r.tier, 'lead'), c.stage, c.owner, x.what,
       (CASE r.tier WHEN 'platinum' THEN 4 WHEN 'gold' THEN 3 WHEN 'iron' THEN 2 ELSE 1 END) * x.w
       * (CASE c.stage WHEN 'growth' THEN 1.3 WHEN 'evaluation' THEN 1.2 WHEN 'mature' THEN 1.1
                       WHEN 'acquainted' THEN 1.0 ELSE 0.8 END)
       * (CASE WHEN x.due < :today THEN 1 + (julianday(:today) - julianday(x.due)) / 7.0
               WHEN x.due = :today THEN 1.0
               ELSE 1.0 / (1 + julianday(x.due) - julianday(:today)) END) AS urgency
FROM items x JOIN customer c ON c.id = x.cid LEFT JOIN ranked r ON r.id = x.cid
WHERE r.id IS NOT NULL OR x.k = 'R'
ORDER BY round(urgency, 9) DESC, x.due, c.name, x.k, x.ref
"""

# kehu next: the due items (horizon today) and, for the 3 × 10 active customers standing
# highest, what its suggestions' rules read: tasks done, people, touchpoints with the
# people met, promises; for the mature ones also their contracts, open complaints and whom
# they or their people introduced (decay, referral, expansion).
NEXT_CANDIDATES = ("SELECT r.id, c.name, r.tier, c.stage, c.owner, c.purchase_cycle_days FROM ranked r"
                   " JOIN customer c ON c.id = r.id ORDER BY r.standing DESC, r.id LIMIT 30")
NEXT_INPUTS = (
    "SELECT customer_id, task, done_on FROM task_done WHERE customer_id IN ({ids})",
    "SELECT customer_id, id, name, level, role, competence, attitude, created_at FROM person"
    " WHERE customer_id IN ({ids}) ORDER BY id",
    "SELECT t.customer_id, t.id, t.day, t.kind, group_concat(tp.person_id) FROM touchpoint t"
    " LEFT JOIN touchpoint_person tp ON tp.touchpoint_id = t.id WHERE t.customer_id IN ({ids}) GROUP BY t.id",
    "SELECT customer_id, due, kept_on, broken_on, touchpoint_id FROM promise WHERE customer_id IN ({ids})",
)
NEXT_MATURE_INPUTS = (
    "SELECT customer_id, status, signed_on, amount_cents FROM contract WHERE customer_id IN ({ids})",
    "SELECT customer_id, count(*) FROM customer_complaint WHERE customer_id IN ({ids}) AND resolved_on IS NULL"
    " GROUP BY customer_id",
    "SELECT c.id, c.name, coalesce(c.introduced_by_customer_id, p.customer_id) FROM customer c"
    " LEFT JOIN person p ON p.id = c.introduced_by_person_id"
    " WHERE c.introduced_by_customer_id IN ({ids})"
    " OR c.introduced_by_person_id IN (SELECT id FROM person WHERE customer_id IN ({ids}))",
    "SELECT x.id, x.name, c.name, x.customer_id, x.introduced_by_customer_id, x.introduced_by_person_id"
    " FROM person x JOIN customer c ON c.id = x.customer_id WHERE x.introduced_by_customer_id IN ({ids})"
    " OR x.introduced_by_person_id IN (SELECT id FROM person WHERE customer_id IN ({ids}))",
)

# kehu tier: the pyramid (customers, value and big customers, those with both someone
# who buys and someone who uses, per tier, of those in it); every customer whose level,
# weighted effort of the 365 days to today (kind weights 1–10) or profitability cell is out
# of line with its tier (rules.tiers.warnings: levels per tier; 奢侈, more than 3× the
# effort its tier's cadence × its cell's factor implies, only for a customer doing business
# with no draft or negotiating contract; else, for platinum and gold, under ½× of that,
# scaled to the days it is known when under a year; a worst-cell partner or alliance);
# and the pipeline, every prospect by expected value.
CENTRE_TABLE = "CREATE TEMP TABLE centre (cid INTEGER PRIMARY KEY, big INTEGER)"
CENTRE = ("INSERT INTO centre SELECT customer_id, max(role IN ('decider', 'procurement')) AND max(role = 'user')"
          " FROM person GROUP BY customer_id")
TIER_PYRAMID = ("SELECT r.tier, count(*), sum(r.value), sum(coalesce(x.big, 0)) FROM ranked r"
                " LEFT JOIN centre x ON x.cid = r.id WHERE r.in_pyramid GROUP BY r.tier")
TIER_WARNINGS = """
WITH cadence(tier, days) AS (VALUES ('platinum', 7), ('gold', 14), ('iron', 30), ('lead', 90)),
factor(cell, f) AS (VALUES ('', 1.0), ('best', 1.5), ('invest', 1.5), ('keep', 0.75), ('worst', 0.5)),
effort AS (
    SELECT customer_id AS cid,
           sum(CASE kind WHEN 'daily' THEN 1 WHEN 'exec_letter' THEN 2 WHEN 'topic' THEN 3 WHEN 'forum' THEN 3
                         WHEN 'team_event' THEN 4 WHEN 'showcase' THEN 5 WHEN 'joint_launch' THEN 6
                         WHEN 'hq_visit' THEN 7 WHEN 'exec_visit' THEN 9 WHEN 'summit' THEN 10 ELSE 1 END) AS effort
    FROM touchpoint WHERE day >= :year_before AND day <= :today GROUP BY customer_id),
cells AS (
    SELECT r.id, c.name, r.tier, r.above, r.business, c.level, coalesce(e.effort, 0) AS effort,
           CASE WHEN c.profit_now IS NULL OR c.profit_future IS NULL THEN ''
                WHEN c.profit_now = 'high' AND c.profit_future = 'high' THEN 'best'
                WHEN c.profit_future = 'high' THEN 'invest' WHEN c.profit_now = 'high' THEN 'keep'
                ELSE 'worst' END AS cell,
           CASE WHEN c.added_on IS NULL OR julianday(:today) - julianday(c.added_on) >= 365 THEN 1.0
                ELSE max(0, julianday(:today) - julianday(c.added_on)) / 365.0 END AS known
    FROM ranked r JOIN customer c ON c.id = r.id LEFT JOIN effort e ON e.cid = r.id),
rows AS (
    SELECT x.*, 365.0 / d.days * f.f AS expected,
           x.id IN (SELECT customer_id FROM contract WHERE status IN ('draft', 'negotiating')) AS pursuing
    FROM cells x JOIN cadence d ON d.tier = x.tier JOIN factor f ON f.cell = x.cell),
flags AS (
    SELECT id, name, tier, above,
           CASE WHEN level IS NOT NULL AND (tier IN ('iron', 'lead') AND level IN ('partner', 'alliance')
                                            OR tier = 'gold' AND level = 'alliance') THEN 'level' END AS lv,
           CASE WHEN effort > 3 * expected AND business AND NOT pursuing THEN 'overspend'
                WHEN tier IN ('platinum', 'gold') AND effort < 0.5 * (expected * known) THEN 'underserved' END AS ef,
           CASE WHEN cell = 'worst' AND level IN ('partner', 'alliance') THEN 'worst' END AS wc
    FROM rows)
SELECT id, name, tier, lv, ef, wc FROM flags
WHERE lv IS NOT NULL OR ef IS NOT NULL OR wc IS NOT NULL
ORDER BY above, id
"""
TIER_PIPELINE = """
SELECT r.id, c.name, c.stage, c.value_cents, r.value, c.segment, coalesce(x.big, 0), r.tier
FROM ranked r JOIN customer c ON c.id = r.id LEFT JOIN centre x ON x.cid = r.id
WHERE NOT r.business
ORDER BY r.standing DESC, r.id
"""

# kehu funnel: stays from the stage events (an event into the stage a customer is already
# in is no new stay), then per stage: now, reached, conversion to the next, median days of
# completed stays; and the open stays of active customers past their stage's cold days.
FUNNEL_STAYS = """
CREATE TEMP TABLE stays AS
WITH ev AS (
    SELECT customer_id, at, to_stage,
           lag(to_stage) OVER (PARTITION BY customer_id ORDER BY at, id) AS prev
    FROM event WHERE kind IN ('created', 'advanced', 'forced') AND to_stage IS NOT NULL),
entries AS (SELECT customer_id, at, to_stage FROM ev WHERE prev IS NULL OR prev <> to_stage)
SELECT customer_id, to_stage AS stage, at AS entered,
       lead(at) OVER (PARTITION BY customer_id ORDER BY at) AS left_at
FROM entries
"""
FUNNEL_ROWS = """
WITH stages(i, stage) AS (VALUES (0, 'stranger'), (1, 'acquainted'), (2, 'evaluation'), (3, 'growth'), (4, 'mature')),
reached AS (SELECT stage, count(DISTINCT customer_id) AS n FROM stays GROUP BY stage),
now AS (SELECT stage, count(*) AS n FROM customer WHERE terminated_at IS NULL GROUP BY stage),
done AS (SELECT stage, julianday(left_at) - julianday(entered) AS days,
                row_number() OVER (PARTITION BY stage ORDER BY julianday(left_at) - julianday(entered)) AS k,
                count(*) OVER (PARTITION BY stage) AS n
         FROM stays WHERE left_at IS NOT NULL),
median AS (SELECT stage, avg(days) AS days FROM done WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage)
SELECT s.stage, coalesce(now.n, 0), coalesce(r.n, 0),
       CASE WHEN s.i < 4 AND r.n THEN 1.0 * coalesce(r2.n, 0) / r.n END, m.days
FROM stages s
LEFT JOIN now ON now.stage = s.stage
LEFT JOIN reached r ON r.stage = s.stage
LEFT JOIN stages s2 ON s2.i = s.i + 1 LEFT JOIN reached r2 ON r2.stage = s2.stage
LEFT JOIN median m ON m.stage = s.stage
ORDER BY s.i
"""
FUNNEL_COLD = """
WITH cold(stage, days) AS (VALUES ('stranger', 60), ('acquainted', 90), ('evaluation', 120), ('growth', 180)),
open AS (
    SELECT x.customer_id, x.stage, CAST((julianday(:now) - julianday(x.entered)) AS INTEGER) AS days,
           cold.days AS limit_
    FROM stays x JOIN cold ON cold.stage = x.stage JOIN customer c ON c.id = x.customer_id
    WHERE x.left_at IS NULL AND c.terminated_at IS NULL)
SELECT o.customer_id, c.name, o.stage, o.days, o.limit_, count(*) OVER () AS total
FROM open o JOIN customer c ON c.id = o.customer_id
WHERE o.days > o.limit_
ORDER BY o.days DESC, o.customer_id
LIMIT 10
"""


def repurchases(con: sqlite3.Connection, horizon: date) -> None:
    """The temporary table of next purchases due by ``horizon`` (REPEAT_INPUT)."""
    con.execute("CREATE TEMP TABLE repurchase (cid INTEGER PRIMARY KEY, due TEXT)")
    signed: dict[int, tuple[int | None, list[date]]] = {}
    for cid, cycle, on in con.execute(REPEAT_INPUT):
        signed.setdefault(cid, (cycle, []))[1].append(date.fromisoformat(on))
    rows = []
    for cid, (cycle, days) in signed.items():
        if not cycle:
            days.sort()
            gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False) if b > a]
            cycle = int(median(gaps)) if gaps else 365
        due = max(days) + timedelta(days=max(cycle - 30, 1))
        if due <= horizon:
            rows.append((cid, due.isoformat()))
    con.executemany("INSERT INTO repurchase VALUES (?, ?)", rows)


def due(con: sqlite3.Connection, params: dict, day: date, within: int) -> sqlite3.Cursor:
    horizon = day + timedelta(days=within)
    repurchases(con, horizon)
    me = name_key(os.environ.get("KEHU_USER") or getpass.getuser())  # the acting salesperson, as kehu's
    return con.execute(DUE, {**params, "horizon": horizon.isoformat(), "me": me})


def sql(question: str, book: str) -> None:
    import rich.table  # noqa: F401  the stack every kehu command that opens a book imports
    import sqlmodel  # noqa: F401
    import typer  # noqa: F401

    day = today()
    year_ago = day.replace(year=day.year - 1) + timedelta(days=1) if not (day.month == 2 and day.day == 29) \
        else date(day.year - 1, 2, 28) + timedelta(days=1)
    params = {"today": day.isoformat(), "year_ago": year_ago.isoformat()}
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True, isolation_level=None)
    con.execute("BEGIN")
    out = sys.stdout
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    if question in ("remind", "next", "tier"):
        con.execute(RANKED_TABLE)
        con.execute(RANKED, params)
    if question == "remind":
        w.writerows(due(con, params, day, 7))
    elif question == "next":
        w.writerows(due(con, params, day, 0).fetchmany(10))
        top = con.execute(NEXT_CANDIDATES).fetchall()
        w.writerows(top)
        ids = ",".join(str(r[0]) for r in top) or "NULL"
        for q in NEXT_INPUTS:
            w.writerows(con.execute(q.format(ids=ids)))
        mature = ",".join(str(r[0]) for r in top if r[3] == "mature") or "NULL"
        for q in NEXT_MATURE_INPUTS:
            w.writerows(con.execute(q.format(ids=mature)))
    elif question == "tier":
        con.execute(CENTRE_TABLE)
        con.execute(CENTRE)
        w.writerows(con.execute(TIER_PYRAMID))
        year_before = (day - timedelta(days=365)).isoformat()
        w.writerows(con.execute(TIER_WARNINGS, {"today": params["today"], "year_before": year_before}))
        w.writerows(con.execute(TIER_PIPELINE))
    elif question == "funnel":
        con.execute(FUNNEL_STAYS)
        w.writerows(con.execute(FUNNEL_ROWS))
        now = datetime(day.year, day.month, day.day, 12).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        w.writerows(con.execute(FUNNEL_COLD, {"now": now}))
    else:
        raise SystemExit(f"unknown question {question}")
    con.execute("COMMIT")


# ---------------------------------------------------------------- export

EXPORTS = {
    "customers": "SELECT id, name, industry, region, kind, level,"
                 " CASE WHEN value_cents IS NULL THEN NULL"
                 " ELSE printf('%d.%02d', value_cents / 100, value_cents % 100) END,"
                 " owner, note, stage, profit_now, profit_future, service_cost, added_on,"
                 " date(terminated_at), terminated_reason FROM customer ORDER BY id",
    "people": "SELECT p.id, c.name, p.name, p.title, p.dept, p.level, p.role, p.attitude, p.kpi, p.pain,"
              " p.interest, p.style, p.competence FROM person p JOIN customer c ON c.id = p.customer_id ORDER BY p.id",
    "touchpoints": "SELECT t.id, c.name, t.day, t.kind,"
                   " (SELECT group_concat(p.name, char(10)) FROM touchpoint_person tp"
                   " JOIN person p ON p.id = tp.person_id"
                   "  WHERE tp.touchpoint_id = t.id),"
                   " t.note, t.signals, t.next_step, t.next_due, t.next_done_on"
                   " FROM touchpoint t JOIN customer c ON c.id = t.customer_id ORDER BY t.id",
    "promises": "SELECT p.id, c.name, p.touchpoint_id, p.text, p.made_on, p.due, p.kept_on, p.broken_on"
                " FROM promise p JOIN customer c ON c.id = p.customer_id ORDER BY p.id",
}


def export(book: str, folder: str) -> None:
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True, isolation_level=None)
    con.execute("BEGIN")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for table, query in EXPORTS.items():
        with open(Path(folder) / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            cur = con.execute(query)
            w.writerow([d[0] for d in cur.description])
            w.writerows(cur)
    con.execute("COMMIT")


# (table, key, kind code, fields, names among them, day column, join to the customer)
SEARCHED = (
    ("customer", "id", 0, ("name", "note"), 1, "created_at", "c.id = r.id"),
    ("customer_alias", "id", 1, ("alias",), 1, "created_at", "c.id = r.customer_id"),
    ("person", "id", 2, ("name", "title", "dept", "kpi", "pain", "interest", "style"), 1, "created_at",
     "c.id = r.customer_id"),
    ("touchpoint", "id", 3, ("note", "signals", "next_step"), 0, "day", "c.id = r.customer_id"),
    ("promise", "id", 4, ("text",), 0, "made_on", "c.id = r.customer_id"),
    ("contract", "id", 5, ("title", "note"), 1, "created_at", "c.id = r.customer_id"),
)


def search(book: str, text: str) -> None:
    import rich.table  # noqa: F401  the stack every kehu command that opens a book imports
    import sqlmodel  # noqa: F401
    import typer  # noqa: F401

    needle = text.casefold()
    phrase = 'seq : "' + " ".join(needle) + '"'
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True, isolation_level=None)
    con.execute("BEGIN")
    hits = []
    for table, key, code, fields, names, day, join in SEARCHED:
        rows = con.execute(
            f"SELECT r.{key}, c.id, c.name, r.{day}, {', '.join('r.' + f for f in fields)}"
            f" FROM {table} r JOIN customer c ON {join}"
            f" WHERE r.{key} IN (SELECT rowid >> 3 FROM search_index WHERE search_index MATCH ?"
            f" AND (rowid & 7) = {code}) ORDER BY r.{day} DESC LIMIT 51", (phrase,))
        for row in rows:
            for i, value in enumerate(row[4:]):
                if value and needle in value.casefold():
                    hits.append((0 if i < names else 1, row[3][:10], table, row[0], row[1], row[2], fields[i], value))
                    break
    hits.sort(key=lambda h: (h[0], tuple(-int(p) for p in h[1].split("-")), -h[3]))
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerows(hits[:50])
    con.execute("COMMIT")


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "import-customers":
        import_customers(argv[1], argv[2], "--events" in argv[3:])
    elif what == "import-touchpoints":
        import_touchpoints(argv[1], argv[2])
    elif what == "sql":
        sql(argv[1], argv[2])
    elif what == "search":
        search(argv[1], argv[2])
    elif what == "export":
        export(argv[1], argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Tier cuts proven on books of 1, 7, 30, 100 and 1000 customers with ties.

kehu ranks the book in one walk down it (rules.tiers.places_in_order); the window
functions' ranking in SQL (tests/_tier_reference.py) and kehu.rules.tiers.assign are the
references. For each book, `kehu tier --json` (counts per tier) and the tier of every
customer (the window functions' ranking, and `kehu tier --explain` on a sample) must
equal both references and expectations worked out by hand below.

Small books are built with `kehu add`; the books of 100 and 1000 customers are inserted
with plain SQL into a book that `kehu config set` created, in a shuffled order so that the
row id never matches the rank.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
import _tier_reference as reference
from _books import execute

from kehu.rules.tiers import TIERS, assign

P, G, I, L = "platinum", "gold", "iron", "lead"
STAMP = "2026-01-01 00:00:00.000000"


def count_in_full(kehu, *stages: str) -> None:
    """These books test the share arithmetic on entered values: their customers count at
    their full value (forecast 100% for their stages, not a prospect's expected value) and
    without the small-book minimums (tier.min_counts 0,0,0). The standing and the minimums
    have their own tests (test_method_tiers.py)."""
    for stage in stages or ("stranger",):
        kehu("config", "set", f"forecast.{stage}", "100")
    kehu("config", "set", "tier.min_counts", "0,0,0")


def add_with_cli(kehu, values: list[int | None]) -> list[str]:
    """One `kehu add` per customer, named c01, c02...; values in yuan (None: no value)."""
    count_in_full(kehu)
    names = [f"c{i + 1:02d}" for i in range(len(values))]
    for name, v in zip(names, values, strict=True):
        if v is None:
            kehu("add", name)
        else:
            kehu("add", name, "--value", str(v))
    return names


def insert_directly(kehu, isolated_book, rows: list[tuple[str, int | None]]) -> None:
    """(name, value in yuan) rows inserted in one transaction into a fresh book."""
    kehu("config", "set", "cadence.lead", "90")  # creates the book and its schema, no customer
    count_in_full(kehu)
    execute(isolated_book, (
        "INSERT INTO customer (name, name_key, stage, created_at, updated_at, value_cents,"
        " added_on) VALUES (:name, :key, 'stranger', :stamp, :stamp, :cents, '2026-01-01')",
        [{"name": n, "key": n.lower(), "stamp": STAMP, "cents": None if v is None else v * 100} for n, v in rows],
    ))


def store_tiers() -> dict[str, tuple[str, int, int]]:
    """name → (tier, above, total) for every active customer, as the store computes it."""
    from kehu import book
    from kehu.store import settings

    with book.open(None, book.Invocation(), write=False) as (s, _):
        cfg = settings.read(s)
        rows = reference.tier_rows(s, cfg, date(2026, 6, 30))
    return {r.name: (r.tier, r.above, r.total) for r in rows}


def tier_counts(kehu) -> dict[str, int]:
    out = kehu.json("tier")
    assert [t["tier"] for t in out["tiers"]] == list(TIERS)
    return {t["tier"]: t["count"] for t in out["tiers"]}


def explain(kehu, name: str) -> dict:
    return kehu.json("tier", "--explain", name)


def check_book(kehu, names: list[str], values: list[int | None], expected: list[str], cuts=(1.0, 5.0, 20.0)):
    """The store's tiers and counts against the hand-made list and the pure reference."""
    assert assign(values, cuts) == expected, "hand-made expectation disagrees with rules.tiers.assign"
    got = store_tiers()
    assert {n: got[n][0] for n in names} == dict(zip(names, expected, strict=True))
    assert len(got) == len(names)
    counts = Counter(expected)
    assert tier_counts(kehu) == {t: counts.get(t, 0) for t in TIERS}


# ---------------------------------------------------------------- 1 customer


def test_book_of_one_customer_is_platinum(kehu):
    names = add_with_cli(kehu, [500])
    check_book(kehu, names, [500], [P])
    ex = explain(kehu, "c01")
    assert (ex["tier"], ex["above"], ex["total"], ex["value"]) == (P, 0, 1, "500.00")


def test_book_of_one_customer_without_value_is_lead(kehu):
    names = add_with_cli(kehu, [None])
    check_book(kehu, names, [None], [L])
    assert explain(kehu, "c01")["tier"] == L


def test_book_of_one_customer_valued_zero_is_lead(kehu):
    names = add_with_cli(kehu, [0])
    check_book(kehu, names, [0], [L])


# ---------------------------------------------------------------- 7 customers

# Sorted: 900 (0 above: platinum), 800 800 (1 above = 14.3%: iron, both), 500 (3 above =
# 42.9%: lead), 0 0 None (no value: lead).
SEVEN = [800, None, 900, 0, 800, 500, 0]
SEVEN_TIERS = [I, L, P, L, I, L, L]


def test_book_of_seven(kehu):
    names = add_with_cli(kehu, SEVEN)
    check_book(kehu, names, SEVEN, SEVEN_TIERS)
    assert tier_counts(kehu) == {P: 1, G: 0, I: 2, L: 4}
    assert (explain(kehu, "c05")["above"], explain(kehu, "c05")["tier"]) == (1, I)
    assert (explain(kehu, "c06")["above"], explain(kehu, "c06")["tier"]) == (3, L)


def test_book_of_seven_tied_at_the_top(kehu):
    values = [900, 900, 900, 100, 0, None, 50]
    # three share the top: all platinum; 100 has 3 above (42.9%): lead
    names = add_with_cli(kehu, values)
    check_book(kehu, names, values, [P, P, P, L, L, L, L])


# ---------------------------------------------------------------- 30 customers

# Sorted, with the share of customers above (1 customer = 3.33%):
#   1000            0 above   0.0%  platinum
#   900 900         1 above   3.3%  gold
#   800             3 above  10.0%  iron
#   700 700         4 above  13.3%  iron
#   650             6 above  20.0%  lead   (exactly at the cut: not strictly below)
#   500 500 500, 400 ... 10 lead; five 0 and five None: lead
THIRTY = [
    500, 0, 900, None, 100, 1000, 700, 10, 650, None,
    800, 0, 400, 500, 900, 350, None, 300, 0, 700,
    250, 200, None, 150, 500, 0, 100, 50, None, 0,
]
THIRTY_TIERS = [
    L, L, G, L, L, P, I, L, L, L,
    I, L, L, L, G, L, L, L, L, I,
    L, L, L, L, L, L, L, L, L, L,
]
# With cuts 10,30,60 (3, 9 and 18 customers above):
#   1000 (0), 900 900 (1): platinum; 800 (3 above = 10% exactly): gold; 700 700 (4),
#   650 (6), 500×3 (7): gold; 400 (10) 350 300 250 200 150 (15) 100 100 (16): iron;
#   50 (18 above = 60% exactly): lead; 10 and the rest: lead.
THIRTY_TIERS_10_30_60 = [
    G, L, P, L, I, P, G, L, G, L,
    G, L, I, G, P, I, L, I, L, G,
    I, I, L, I, G, L, I, L, L, L,
]


def test_book_of_thirty(kehu):
    assert len(THIRTY) == len(THIRTY_TIERS) == 30
    names = add_with_cli(kehu, THIRTY)
    check_book(kehu, names, THIRTY, THIRTY_TIERS)
    assert tier_counts(kehu) == {P: 1, G: 2, I: 3, L: 24}
    at_cut = explain(kehu, "c09")  # 650: exactly 20% above
    assert (at_cut["above"], at_cut["total"], at_cut["tier"]) == (6, 30, L)
    below_cut = explain(kehu, "c20")  # 700: 13.3% above
    assert (below_cut["above"], below_cut["tier"]) == (4, I)


def test_custom_cuts_change_the_result(kehu):
    names = add_with_cli(kehu, THIRTY)
    kehu("config", "set", "tier.cuts", "10,30,60")
    out = kehu.json("tier")
    assert out["cuts"] == [10.0, 30.0, 60.0]
    check_book(kehu, names, THIRTY, THIRTY_TIERS_10_30_60, cuts=(10.0, 30.0, 60.0))
    assert tier_counts(kehu) == {P: 3, G: 7, I: 8, L: 12}
    at_cut = explain(kehu, "c11")  # 800: exactly 10% above
    assert (at_cut["above"], at_cut["tier"], at_cut["cuts"]) == (3, G, [10.0, 30.0, 60.0])
    # and back to the defaults
    kehu("config", "set", "tier.cuts", "1，5，20")
    check_book(kehu, names, THIRTY, THIRTY_TIERS)


def test_terminated_customers_are_out_of_the_ranking(kehu):
    names = add_with_cli(kehu, SEVEN)
    kehu("drop", "c03", "--reason", "moved abroad")  # the 900 at the top
    # six left: 800 800 (0 above) platinum; 500 (2 above = 33%) lead; 0 0 None lead
    rest = [n for n in names if n != "c03"]
    values = [v for n, v in zip(names, SEVEN, strict=True) if n != "c03"]
    check_book(kehu, rest, values, [P, L, L, P, L, L])
    assert kehu.json("tier")["total"] == 6
    gone = explain(kehu, "c03")
    assert (gone["tier"], gone["above"], gone["total"]) == (None, None, None)
    top = explain(kehu, "c01")
    assert (top["tier"], top["above"], top["total"]) == (P, 0, 6)
    kehu("reopen", "c03")
    check_book(kehu, names, SEVEN, SEVEN_TIERS)


# ---------------------------------------------------------------- 100 customers

# Sorted (1 customer = 1%):
#   pos 0       100000   0 above            platinum
#   pos 1        90000   1 above (1% exact) gold
#   pos 2, 3     80000   2 above            gold
#   pos 4        70000   4 above            gold
#   pos 5        60000   5 above (5% exact) iron
#   pos 6..17    50000, 49000 ... 39000     iron
#   pos 18..21   30000 ×4, 18 above         iron  (a tie across the 20% line: all iron)
#   pos 22       20000  22 above            lead
#   pos 23..89   10000 - 100·((pos-23)//2)  lead  (pairs of ties)
#   pos 90..94   0; pos 95..99 None         lead
def hundred() -> list[tuple[str, int | None, str]]:
    rows: list[tuple[int | None, str]] = [(100000, P), (90000, G), (80000, G), (80000, G), (70000, G), (60000, I)]
    rows += [(50000 - 1000 * k, I) for k in range(12)]
    rows += [(30000, I)] * 4
    rows += [(20000, L)]
    rows += [(10000 - 100 * ((pos - 23) // 2), L) for pos in range(23, 90)]
    rows += [(0, L)] * 5 + [(None, L)] * 5
    assert len(rows) == 100
    named = [(f"h{pos:03d}", v, t) for pos, (v, t) in enumerate(rows)]
    random.Random(100).shuffle(named)
    return named


def test_book_of_a_hundred(kehu, isolated_book):
    rows = hundred()
    insert_directly(kehu, isolated_book, [(n, v) for n, v, _ in rows])
    names, values, expected = [n for n, _, _ in rows], [v for _, v, _ in rows], [t for _, _, t in rows]
    check_book(kehu, names, values, expected)
    assert tier_counts(kehu) == {P: 1, G: 4, I: 17, L: 78}
    got = store_tiers()
    assert got["h001"] == (G, 1, 100)
    assert got["h005"] == (I, 5, 100)
    assert got["h021"] == (I, 18, 100)
    assert got["h022"] == (L, 22, 100)
    assert got["h095"] == (L, 90, 100)  # None ranks with the zeros
    for name, tier, above in (("h001", G, 1), ("h005", I, 5), ("h020", I, 18), ("h022", L, 22)):
        ex = explain(kehu, name)
        assert (ex["tier"], ex["above"], ex["total"]) == (tier, above, 100)


# ---------------------------------------------------------------- 1000 customers

# Groups of five equal values: pos 0..899 is worth 1000 - pos//5 yuan, so a customer in
# group g has 5g above it. Platinum: 5g < 10 (groups 0, 1; group 2 has exactly 1%
# above); gold: 5g < 50 (groups 2..9; group 10 is exactly 5%); iron: 5g < 200 (groups
# 10..39; group 40 is exactly 20%); then lead, with 50 zeros and 50 without value.
def thousand() -> list[tuple[str, int | None, str]]:
    def tier(g: int) -> str:
        return P if g < 2 else G if g < 10 else I if g < 40 else L

    rows = [(f"k{pos:04d}", 1000 - pos // 5, tier(pos // 5)) for pos in range(900)]
    rows += [(f"k{pos:04d}", 0, L) for pos in range(900, 950)]
    rows += [(f"k{pos:04d}", None, L) for pos in range(950, 1000)]
    random.Random(1000).shuffle(rows)
    return rows


def test_book_of_a_thousand(kehu, isolated_book):
    rows = thousand()
    insert_directly(kehu, isolated_book, [(n, v) for n, v, _ in rows])
    names, values, expected = [n for n, _, _ in rows], [v for _, v, _ in rows], [t for _, _, t in rows]
    check_book(kehu, names, values, expected)
    out = kehu.json("tier")
    assert out["total"] == 1000
    total_value = sum(5 * (1000 - g) for g in range(180))  # 819,450 yuan
    by_tier = {t["tier"]: t for t in out["tiers"]}
    for tier, count, groups in ((P, 10, range(0, 2)), (G, 40, range(2, 10)), (I, 150, range(10, 40)),
                                (L, 800, range(40, 180))):
        value = sum(5 * (1000 - g) for g in groups)
        assert by_tier[tier]["count"] == count
        assert by_tier[tier]["customer_share"] == count / 1000
        assert by_tier[tier]["value"] == f"{value}.00"
        assert by_tier[tier]["value_share"] == round(value / total_value, 4)
    got = store_tiers()
    # the first customer of each group across a cut, and the last before it
    assert got["k0009"] == (P, 5, 1000)
    assert got["k0010"] == (G, 10, 1000)
    assert got["k0049"] == (G, 45, 1000)
    assert got["k0050"] == (I, 50, 1000)
    assert got["k0199"] == (I, 195, 1000)
    assert got["k0200"] == (L, 200, 1000)
    assert got["k0999"] == (L, 900, 1000)
    for name, tier, above in (("k0010", G, 10), ("k0054", I, 50), ("k0200", L, 200)):
        ex = explain(kehu, name)
        assert (ex["tier"], ex["above"], ex["total"]) == (tier, above, 1000)


def test_book_of_a_thousand_with_custom_cuts(kehu, isolated_book):
    rows = thousand()
    insert_directly(kehu, isolated_book, [(n, v) for n, v, _ in rows])
    kehu("config", "set", "tier.cuts", "10,30,60")
    names, values = [n for n, _, _ in rows], [v for _, v, _ in rows]

    def tier(pos: int) -> str:  # 100, 300 and 600 above are the cuts; 5g above
        if pos >= 900:
            return L
        g = pos // 5
        return P if 5 * g < 100 else G if 5 * g < 300 else I if 5 * g < 600 else L

    expected = [tier(int(n[1:])) for n in names]
    check_book(kehu, names, values, expected, cuts=(10.0, 30.0, 60.0))
    assert tier_counts(kehu) == {P: 100, G: 200, I: 300, L: 400}


@pytest.mark.parametrize(("cuts", "above"), [("1,5,16.1", 161), ("1,32.2,50", 322)])
def test_a_decimal_cut_is_exact_in_the_book_too(kehu, isolated_book, cuts, above):
    """1000 customers of distinct values: the one with exactly cut% above it is not strictly
    below the cut, so it drops to the next tier — in the book as in rules.tiers. (In
    floating point 16.1 × 1000 is 16100.000000000002, so comparing above × 100 with
    cut × total puts it on the wrong side.)"""
    rows = [(f"d{pos:04d}", 1000 - pos) for pos in range(1000)]
    insert_directly(kehu, isolated_book, rows)
    kehu("config", "set", "tier.cuts", cuts)
    names, values = [n for n, _ in rows], [v for _, v in rows]
    parsed = tuple(float(c) for c in cuts.split(","))
    expected = assign(values, parsed)
    assert expected[above] != expected[above - 1]  # the reference moves to the next tier right here
    ex = explain(kehu, f"d{above:04d}")
    assert (ex["above"], ex["tier"]) == (above, expected[above])
    check_book(kehu, names, values, expected, cuts=parsed)

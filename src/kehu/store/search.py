"""`kehu search`: find text anywhere in the book, and the SQLite index behind it.

A hit is a record whose field holds the query as a case-folded substring
(``rules.search.found``). The fields searched, per kind of record, are in ``KINDS``;
a person's private fields (``private``, ``private_mobile``, ``home_address``) are not
among them, and never read here.

Ranking: a hit in a name (a customer's name, an alias, a person's name, a contract's
title) ranks above a hit in any other text; within a rank the newest first (by the day
of the record: a touchpoint's day, a promise's day made, a contract's day signed, else
the day a record was created), then by kind in ``KINDS`` order, then the higher id.

Candidates come from an index and are always checked against the real text, so the
index can only make a search faster, never change its answer:

- SQLite: the FTS5 table ``search_index`` (schema step 8), one entry per record, its
  rowid ``id * 8 + code``; the ``search_dirty`` table lists entries written since they
  were last indexed (triggers fill it; ``flush``, run before every write command commits,
  empties it). A reading command takes the listed ones as candidates too.
- PostgreSQL: ``lower(fields) LIKE '%query%'``, which pg_trgm's GIN indexes (step 8,
  where the server has the extension) serve; without them the same query scans.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kehu.rules import search as R


@dataclass(frozen=True)
class Kind:
    code: int  # the low three bits of the index rowid
    name: str  # the kind as shown (i18n word search_kind_<name>)
    group: str  # the --in name
    table: str
    key: str  # the column the entry is keyed by
    fields: tuple[str, ...]
    names: int  # how many of the first fields are names (rank 0)
    day: str  # the column giving the record's day
    from_: str  # FROM clause: the record as r, its customer as c
    ordered: bool = False  # large tables: read newest first and stop at the limit


KINDS: tuple[Kind, ...] = (
    Kind(0, "customer", "customers", "customer", "id", ("name", "note"), 1, "created_at",
         "customer r JOIN customer c ON c.id = r.id"),
    Kind(1, "alias", "customers", "customer_alias", "id", ("alias",), 1, "created_at",
         "customer_alias r JOIN customer c ON c.id = r.customer_id"),
    Kind(2, "person", "people", "person", "id",
         ("name", "title", "dept", "kpi", "pain", "interest", "style"), 1, "created_at",
         "person r JOIN customer c ON c.id = r.customer_id"),
    Kind(3, "touchpoint", "touchpoints", "touchpoint", "id", ("note", "signals", "next_step"), 0, "day",
         "touchpoint r JOIN customer c ON c.id = r.customer_id", ordered=True),
    Kind(4, "promise", "promises", "promise", "id", ("text",), 0, "made_on",
         "promise r JOIN customer c ON c.id = r.customer_id", ordered=True),
    Kind(5, "contract", "contracts", "contract", "id", ("title", "note"), 1, "created_at",
         "contract r JOIN customer c ON c.id = r.customer_id"),
    Kind(6, "issue", "contracts", "negotiation_issue", "id", ("detail", "need", "settlement"), 0, "created_at",
         "negotiation_issue r JOIN contract k ON k.id = r.contract_id JOIN customer c ON c.id = k.customer_id"),
    # Facts have a composite key: one entry per contract holds all of its facts.
    Kind(7, "fact", "contracts", "negotiation_fact", "contract_id", ("text",), 0, "updated_at",
         "negotiation_fact r JOIN contract k ON k.id = r.contract_id JOIN customer c ON c.id = k.customer_id"),
)
GROUPS = ("customers", "people", "touchpoints", "promises", "contracts")


@dataclass(frozen=True)
class Hit:
    rank: int  # 0: a name, 1: other text
    kind: str
    ref: int  # the record's id (a fact: its contract's id)
    field: str  # the field that matched (a fact: part.key)
    customer_id: int
    customer_name: str
    day: str  # YYYY-MM-DD
    snippet: str


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]  # SQLite through text(): 'YYYY-MM-DD[ HH:MM:SS...]'


def search(s, query: str, *, groups: Iterable[str] = GROUPS, customer_id: int | None = None,
           since: date | None = None, limit: int = 50) -> tuple[list[Hit], bool]:
    """The best ``limit`` hits, ranked, and whether there were more.

    Every candidate is checked and ranked, but a hit's snippet (the costly part of a
    broad search: thousands of contracts hold a product word) is cut only for the page."""
    conn, sqlite = _connection(s)
    needle = R.fold(query)
    expr = R.match_expression(query) if sqlite else None
    wanted = set(groups)
    present = _codes_present(conn, expr) if sqlite else None
    found: list[tuple] = []
    for kind in KINDS:
        if kind.group in wanted and (present is None or kind.code in present):
            found.extend(_kind_hits(conn, kind, needle, expr, sqlite, customer_id, since, limit))
    page = heapq.nsmallest(limit + 1, found, key=lambda f: f[0])
    return [_hit(f, needle) for f in page[:limit]], len(page) > limit


def customers_with(s, query: str) -> set[int]:
    """`kehu list --search`: the customers with any hit."""
    conn, sqlite = _connection(s)
    needle = R.fold(query)
    expr = R.match_expression(query) if sqlite else None
    found: set[int] = set()
    for kind in KINDS:
        found |= {f[2] for f in _kind_hits(conn, kind, needle, expr, sqlite, None, None, None, skip=found)}
    return found


def _connection(s):
    """(what the queries run on, whether it is SQLite): the sqlite3 driver connection of a
    book file (given as is by ``book.read_sql``, or under a session's connection, in the
    same transaction), else the session's SQLAlchemy connection (a server book)."""
    if not callable(getattr(s, "connection", None)):
        return s, True  # already the sqlite3 connection
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        return conn.connection.driver_connection, True
    return conn, False


def _hit(f: tuple, needle: str) -> Hit:
    _key, kind, cid, cname, ref, rank, field, day, value = f
    return Hit(rank=rank, kind=kind.name, ref=ref, field=field, customer_id=cid, customer_name=cname,
               day=day, snippet=R.snippet(value, needle))


def _codes_present(conn, expr: str | None) -> set[int] | None:
    """The kinds (index codes) that have any candidate: one pass over the index, so a
    search does not ask each of the eight kinds in turn (most have nothing). Reading the
    candidates' keys here instead, to ask each kind by key, was 2 ms faster for 4,970
    contracts but 25 ms slower for 70,000 touchpoints (tried)."""
    if expr is None:
        return None
    rows = conn.execute(
        "SELECT DISTINCT rowid & 7 FROM search_index WHERE search_index MATCH ?"
        " UNION SELECT id & 7 FROM search_dirty", (expr,))
    return {r[0] for r in rows}


def _execute(conn, sql: str, params: dict, sqlite: bool):
    """Rows as plain tuples. On SQLite straight from the driver (the same connection and
    transaction): SQLAlchemy's row objects cost more than the search on a broad query."""
    if sqlite:
        return conn.execute(sql, {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()})
    from sqlalchemy import text  # a server book only: a search of a book file loads no SQLAlchemy

    return conn.execute(text(sql), params)


def _kind_hits(conn, kind: Kind, needle: str, expr: str | None, sqlite: bool, customer_id: int | None,
               since: date | None, limit: int | None, skip: set[int] | None = None) -> list[tuple]:
    """The kind's hits as (sort key, kind, customer id, customer name, ref, rank, field, day, text)."""
    extra = ", r.part, r.key" if kind.code == 7 else ""
    signed = ", r.signed_on" if kind.code == 5 else ""
    sql = (f"SELECT r.{kind.key}, c.id, c.name, r.{kind.day}{signed}{extra}, "
           + ", ".join(f"r.{f}" for f in kind.fields) + f" FROM {kind.from_}")
    where, params = [], {}
    if sqlite:
        if expr is not None:
            where.append(
                f"r.{kind.key} IN (SELECT rowid >> 3 FROM search_index WHERE search_index MATCH :m"
                f" AND (rowid & 7) = {kind.code}"
                f" UNION ALL SELECT id >> 3 FROM search_dirty WHERE (id & 7) = {kind.code})")
            params["m"] = expr
    elif needle:
        # lower() on the server, casefold() in the check below: the same for Chinese and
        # ASCII; text whose case folding is not its lower case (ß) may be missed here.
        joined = " || E'\\n' || ".join(f"coalesce(r.{f}, '')" for f in kind.fields)
        where.append(f"lower({joined}) LIKE :q ESCAPE '\\'")
        params["q"] = f"%{_like_escape(needle.lower())}%"
    if customer_id is not None:
        where.append("c.id = :cid")
        params["cid"] = customer_id
    if since is not None and kind.ordered:
        where.append(f"r.{kind.day} >= :since")
        params["since"] = since
    cond = " WHERE " + " AND ".join(where) if where else ""
    # Newest first, read in batches, stopping once the page is sure: the large tables on
    # both servers; on SQLite every kind keyed by id, where the day sorted on in SQL is
    # exactly the day the hits are ranked by (its first ten characters).
    by_day = limit is not None and (kind.ordered or (sqlite and kind.key == "id"))
    if by_day:
        day_sql = (f"substr(coalesce(r.signed_on, r.{kind.day}), 1, 10)" if signed
                   else f"substr(r.{kind.day}, 1, 10)") if not kind.ordered else f"r.{kind.day}"
        rows = _newest_first(conn, kind, sql, cond, params, sqlite, day_sql)
    else:
        rows = _execute(conn, sql + cond + (f" ORDER BY r.{kind.day} DESC, r.id DESC" if kind.ordered else ""),
                        params, sqlite)
    n_fixed = 4 + (1 if signed else 0) + (2 if extra else 0)
    at_part = 4 + (1 if signed else 0)
    since_text = since.isoformat() if since is not None else None
    code = kind.code
    out: list[tuple] = []
    names_found = 0
    for row in rows:
        cid = row[1]
        if skip is not None and cid in skip:
            continue
        day = _day(row[4] if signed and row[4] is not None else row[3])
        if since_text is not None and day < since_text:
            continue
        for i, field in enumerate(kind.fields):
            value = row[n_fixed + i]
            if R.found(needle, value) >= 0:
                rank = 0 if i < kind.names else 1
                ref = row[0]
                # (rank, newest day first, kind in KINDS order, higher id first); no day last
                key = (rank, -int(day.replace("-", "")) if day else 1, code, -ref)
                out.append((key, kind, cid, row[2], ref, rank,
                            f"{row[at_part]}.{row[at_part + 1]}" if extra else field, day, value))
                names_found += rank == 0
                if skip is not None:
                    skip.add(cid)
                break
        # Rows come newest first: once more than a page of hits of the best rank this kind
        # can still give is in hand, no later row can enter the page.
        if by_day and (names_found if kind.names else len(out)) > limit:
            break
    return out


def _newest_first(conn, kind: Kind, select: str, cond: str, params: dict, sqlite: bool, day_sql: str):
    """The records of a large table newest first, read in small batches so the caller can
    stop at its limit: only (day, id) of every candidate is sorted, not its text (预算 is
    in 7% of the benchmark's million touchpoints)."""
    ids = [r[0] for r in _execute(
        conn, f"SELECT r.id FROM {kind.from_}{cond} ORDER BY {day_sql} DESC, r.id DESC", params, sqlite)]
    for i in range(0, len(ids), 256):
        batch = ids[i:i + 256]
        got = {row[0]: row for row in _execute(conn, f"{select} WHERE r.id IN ({','.join(map(str, batch))})",
                                                 {}, sqlite)}
        for k in batch:
            if k in got:
                yield got[k]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""The SQLite search index (schema step 8): keeping it, checking it, rebuilding it.

Every function takes a sqlite3 connection (a SQLAlchemy connection's driver connection
inside kehu), already in the caller's transaction.

How it stays in step: triggers on every searched table (pure SQL, so a book written by
any SQLite program keeps working) list the changed records' entries in ``search_dirty``;
``flush`` re-indexes the listed ones from the tables and empties the list. kehu runs it
before every write command commits (book.sqlite.transaction), so the CSV import's fast
path, undo and redo need nothing of their own, and an import of a million rows is
indexed by one INSERT ... SELECT at its end. Searches between a foreign write and the
next kehu write take the listed entries as candidates (store.search), so they are right
all the same. The text of an entry is made by two SQL functions, ``kehu_seq`` and
``kehu_suf`` (rules.search), which ``register`` adds to a connection.
"""

from __future__ import annotations

from kehu.rules import search as R
from kehu.store.search import KINDS, Kind

TABLE = "search_index"
DIRTY = "search_dirty"


def register(conn) -> None:
    """The index's two SQL functions, on a sqlite3 connection."""
    conn.create_function("kehu_seq", 1, R.seq_text, deterministic=True)
    conn.create_function("kehu_suf", 1, R.suf_text, deterministic=True)


def _entries(kind: Kind, where: str) -> str:
    """SELECT rowid, text of the entries of ``kind`` whose key satisfies ``where``."""
    if kind.code == 7:
        return (f"SELECT contract_id * 8 + 7 AS k, group_concat(text, char(10)) AS t FROM negotiation_fact"
                f" WHERE {where} GROUP BY contract_id")
    joined = " || char(10) || ".join(f"coalesce({f}, '')" for f in kind.fields)
    return f"SELECT {kind.key} * 8 + {kind.code} AS k, {joined} AS t FROM {kind.table} WHERE {where}"


def _insert(conn, kind: Kind, where: str) -> None:
    conn.execute(f"INSERT INTO {TABLE}(rowid, seq, suf) SELECT e.k, kehu_seq(e.t), kehu_suf(e.t)"
                 f" FROM ({_entries(kind, where)}) AS e")


def flush(conn) -> int:
    """Index the entries listed in ``search_dirty``; how many were listed."""
    n = conn.execute(f"SELECT count(*) FROM {DIRTY}").fetchone()[0]
    if not n:
        return 0
    register(conn)
    # Entries above the index's largest rowid are new (an import's): nothing to delete,
    # and looking each one up cost a tenth of indexing 100,000 imported touchpoints.
    top = conn.execute(f"SELECT max(rowid) FROM {TABLE}").fetchone()[0] or 0
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM {DIRTY} WHERE id <= ?)", (top,))
    for kind in KINDS:
        key = "contract_id" if kind.code == 7 else kind.key
        _insert(conn, kind, f"{key} IN (SELECT id >> 3 FROM {DIRTY} WHERE (id & 7) = {kind.code})")
    conn.execute(f"DELETE FROM {DIRTY}")
    return n


def rebuild(conn) -> None:
    """Index every record afresh (`kehu doctor --reindex`, and schema step 8)."""
    register(conn)
    conn.execute(f"DELETE FROM {TABLE}")
    for kind in KINDS:
        _insert(conn, kind, "1")
    conn.execute(f"DELETE FROM {DIRTY}")
    conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")


def forget(conn) -> None:
    """Merge the index into one segment: entries deleted earlier (a forgotten person's
    name) leave no tokens behind in older segments, which FTS5 otherwise keeps until it
    merges them some day."""
    flush(conn)
    conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")


SAMPLE = 200


def check(conn) -> tuple[bool, str, dict]:
    """Does the index agree with the tables? (ok, message key, params) for `kehu doctor`:
    as many entries as records (the entries waiting in search_dirty aside), and for a
    sample of records (the newest of each kind and some spread over the ids) the entry
    holds exactly the text the record would give."""
    register(conn)
    dirty = {r[0] for r in conn.execute(f"SELECT id FROM {DIRTY}")}
    have = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    want = 0
    for kind in KINDS:
        if kind.code == 7:
            want += conn.execute("SELECT count(DISTINCT contract_id) FROM negotiation_fact").fetchone()[0]
        else:
            want += conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()[0]
    if not dirty and have != want:
        return False, "doctor_search_count", {"have": have, "want": want}
    wrong = 0
    for kind in KINDS:
        key = "contract_id" if kind.code == 7 else kind.key
        top = conn.execute(f"SELECT max({key}) FROM {kind.table}").fetchone()[0] or 0
        step = max(1, top // SAMPLE)
        sample = f"{key} % {step} = 0 OR {key} > {top - 20}"
        rows = conn.execute(
            f"SELECT e.k, kehu_seq(e.t), kehu_suf(e.t), s.seq, s.suf FROM ({_entries(kind, sample)}) AS e"
            f" LEFT JOIN {TABLE} s ON s.rowid = e.k").fetchall()
        wrong += sum(1 for k, seq, suf, s_seq, s_suf in rows if k not in dirty and (seq, suf) != (s_seq, s_suf))
    if wrong:
        return False, "doctor_search_wrong", {"n": wrong}
    return True, "doctor_search_ok", {"n": have, "waiting": len(dirty)}

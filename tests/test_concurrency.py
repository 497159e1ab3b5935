"""Two processes writing one book at once: nothing fails, nothing is lost.

Each operation is a read-then-write (`kehu touch` reads the customer and its people,
then inserts). The same workload with a deferred BEGIN fails, which is why every write
command begins with BEGIN IMMEDIATE. A lock held longer than the busy timeout by
another process is exit 75 and one line, and the book is left as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from _books import any_dump, query
from conftest import BACKEND

BUSY_LINE = "kehu: The book is locked by another kehu process; try again in a moment.\n"
TOUCHED = ("touchpoint", "touchpoint_person", "promise")
# The search index follows every touch (test_search.py proves it does so rightly): here it
# changes with the touches, like the touched tables, and is left out of the comparisons.
SEARCH = ("search_index", "search_index_data", "search_index_idx", "search_index_content", "search_index_config",
          "search_dirty")

WORKER = textwrap.dedent(
    """
    import json, sys
    from collections import Counter
    from typer.testing import CliRunner
    from kehu.book import sqlite
    from kehu.cli import app

    # A plain assignment would make a new attribute if the name moved: patch nothing, loudly.
    assert hasattr(sqlite, "WRITE_BEGIN")
    sqlite.WRITE_BEGIN = sys.argv[1]
    tag, n = sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    codes = Counter()
    ok = []
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        note = f"{tag}-{i}"
        r = runner.invoke(app, ["touch", "华为", "--kind", "daily", "--with", "张伟",
                                "--note", note, "--promise", "回电", "--promise-due", "+1d"])
        codes[r.exit_code] += 1
        if r.exit_code == 0:
            ok.append(note)
        elif r.exception and not isinstance(r.exception, SystemExit):
            print(repr(r.exception), file=sys.stderr)
    print(json.dumps({"codes": {str(k): v for k, v in codes.items()}, "ok": ok}), flush=True)
    """
)


def run_pair(begin: str, n: int, env_book) -> list[dict]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, begin, tag, str(n)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.fixture
def shared_book(kehu, isolated_book, monkeypatch):
    kehu("add", "华为", "--value", "50万", "--owner", "王")
    kehu("add", "中兴")
    kehu("person", "add", "华为", "张伟")
    kehu("person", "add", "华为", "李娜")
    kehu("touch", "华为", "--kind", "topic", "--with", "李娜", "--note", "seed",
         "--promise", "资料", "--promise-due", "+2d")
    monkeypatch.setenv("KEHU_DB", str(isolated_book))
    return isolated_book


def dump(path, skip=()) -> dict[str, list]:
    return any_dump(path, skip=skip)


def counts(path) -> tuple[int, int, int]:
    return tuple(query(path, f"SELECT count(*) FROM {t}")[0][0] for t in TOUCHED)


def touches_by_note(path) -> dict[str, tuple]:
    """For each workload touchpoint (note a-N / b-N): its customer, people and promises."""
    people: dict[int, list[str]] = {}
    for tid, name in query(path, "SELECT tp.touchpoint_id, p.name FROM touchpoint_person tp "
                                 "JOIN person p ON p.id = tp.person_id"):
        people.setdefault(tid, []).append(name)
    promises: dict[int, list[tuple]] = {}
    for tid, text, cust in query(path, "SELECT touchpoint_id, text, customer_id FROM promise"):
        promises.setdefault(tid, []).append((text, cust))
    out = {}
    for tid, note, cust in query(path, "SELECT id, note, customer_id FROM touchpoint WHERE note != 'seed'"):
        assert note not in out, f"note {note} recorded twice"
        out[note] = (cust, sorted(people.get(tid, [])), sorted(promises.get(tid, [])))
    return out


def check_exactly(book, before: dict, before_counts: tuple, ok: list[str]) -> None:
    """The book holds exactly the touches that reported success, each whole, and nothing
    else changed: the customer rows (add_touch keeps no per-customer value — no counter,
    no last-touch column — so they must be byte-for-byte the same), the people, the
    seeded touch and its promise."""
    (huawei,) = [r[0] for r in before["customer"] if r[1] == "华为"]
    got = touches_by_note(book)
    assert sorted(got) == sorted(ok)
    whole = (huawei, ["张伟"], [("回电", huawei)])  # its customer, the person met, one promise
    broken = {note: v for note, v in got.items() if v != whole}
    assert not broken, list(broken.items())[:3]
    k = len(ok)
    assert counts(book) == tuple(c + k for c in before_counts)
    assert dump(book, skip=(*TOUCHED, *SEARCH, "sqlite_sequence", "operation")) == dump_without(before)
    # one operation per touch that reported success; the log keeps the newest KEEP
    from kehu.oplog import KEEP

    assert len(dump(book, skip=())["operation"]) == min(KEEP, len(before["operation"]) + k)
    seeded_after = dump(book, skip=())
    for t in TOUCHED:
        assert set(before[t]) <= set(seeded_after[t]), f"{t}: a seeded row changed"


def dump_without(d: dict) -> dict:
    return {t: rows for t, rows in d.items() if t not in (*TOUCHED, *SEARCH, "sqlite_sequence", "operation")}


@pytest.mark.slow
def test_two_writers_with_begin_immediate_lose_nothing(shared_book):
    n = 300
    before, before_counts = dump(shared_book), counts(shared_book)
    results = run_pair("BEGIN IMMEDIATE", n, shared_book)
    assert [r["codes"] for r in results] == [{"0": n}, {"0": n}]
    ok = [note for r in results for note in r["ok"]]
    assert sorted(ok) == sorted([f"a-{i}" for i in range(n)] + [f"b-{i}" for i in range(n)])
    check_exactly(shared_book, before, before_counts, ok)
    assert counts(shared_book) == tuple(c + 2 * n for c in before_counts)


@pytest.mark.slow
@pytest.mark.sqlite_only("SQLite's deferred BEGIN swapped in; a server book's writers take the advisory lock "
                         "whatever BEGIN says")
def test_the_same_workload_with_a_deferred_begin_fails(shared_book):
    n = 300
    before, before_counts = dump(shared_book), counts(shared_book)
    results = run_pair("BEGIN", n, shared_book)
    failures = {code: c for r in results for code, c in r["codes"].items() if code != "0"}
    assert failures, results
    assert set(failures) == {"75"}, failures  # a lost race is "busy", never a crash
    ok = [note for r in results for note in r["ok"]]
    check_exactly(shared_book, before, before_counts, ok)  # failed commands left nothing half-written


# A lock held by another process for longer than the busy timeout.

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE customer SET note = 'held, never committed'")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()
    print("released", flush=True)
    """
)

# The same on a server book: the advisory lock every kehu writer takes first, and a row written.
SERVER_HOLDER = textwrap.dedent(
    """
    import sys
    import psycopg
    from kehu.book import postgres
    conn = psycopg.connect(sys.argv[1])
    conn.execute(postgres.LOCK_SQL)
    conn.execute("UPDATE customer SET note = 'held, never committed'")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.rollback()
    conn.close()
    print("released", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["add", "中兴"],
        ["touch", "华为", "--kind", "daily", "--with", "张伟", "--note", "waited"],
        ["person", "add", "华为", "李四"],
        ["import", "{csv}"],
        ["remind", "--new"],
    ],
    ids=["add", "touch", "person-add", "import", "remind-new"],
)
def test_a_lock_held_by_another_process_is_exit_75_and_one_line(args, kehu, isolated_book, tmp_path):
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--next", "回访", "--next-due", "+1d")
    data = tmp_path / "c.csv"
    data.write_text("name\n腾讯\n阿里\n", encoding="utf-8")
    args = [a.replace("{csv}", str(data)) for a in args]
    before = dump(isolated_book)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER if BACKEND == "sqlite" else SERVER_HOLDER, str(isolated_book)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        env = {k: v for k, v in os.environ.items() if k != "KEHU_DEBUG"}
        env["KEHU_BUSY_TIMEOUT_MS"] = "300"
        r = subprocess.run([sys.executable, "-m", "kehu", "--db", str(isolated_book), *args],
                           env=env, capture_output=True, text=True, timeout=300)
        assert holder.poll() is None  # the lock was held the whole time
    finally:
        out, err = holder.communicate("go\n", timeout=300)
    assert holder.returncode == 0 and out == "released\n", err
    assert (r.returncode, r.stdout, r.stderr) == (75, "", BUSY_LINE)
    assert dump(isolated_book) == before

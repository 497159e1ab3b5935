"""Two processes writing one book at once: nothing fails, nothing is lost.

Each operation is a read-then-write (`kehu touch` reads the customer and its people,
then inserts). The same workload with a deferred BEGIN fails, which is why every write
command begins with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

WORKER = textwrap.dedent(
    """
    import sys
    from collections import Counter
    from typer.testing import CliRunner
    from kehu import db
    from kehu.cli import app

    db.WRITE_BEGIN = sys.argv[1]
    tag, n = sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    codes = Counter()
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        r = runner.invoke(app, ["touch", "华为", "--kind", "daily", "--with", "张伟",
                                "--note", f"{tag}-{i}", "--promise", "回电", "--promise-due", "+1d"])
        codes[r.exit_code] += 1
    print(dict(codes), flush=True)
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
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(eval(out.strip().splitlines()[-1]))  # noqa: S307 - our own dict literal
    return results


@pytest.fixture
def shared_book(kehu, isolated_book, monkeypatch):
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟")
    monkeypatch.setenv("KEHU_DB", str(isolated_book))
    return isolated_book


def counts(path) -> tuple[int, int, int]:
    import sqlite3

    conn = sqlite3.connect(path)
    row = tuple(
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("touchpoint", "touchpoint_person", "promise")
    )
    conn.close()
    return row


@pytest.mark.slow
def test_two_writers_with_begin_immediate_lose_nothing(shared_book):
    n = 150
    results = run_pair("BEGIN IMMEDIATE", n, shared_book)
    assert results == [{0: n}, {0: n}]
    assert counts(shared_book) == (2 * n, 2 * n, 2 * n)


@pytest.mark.slow
def test_the_same_workload_with_a_deferred_begin_fails(shared_book):
    n = 150
    results = run_pair("BEGIN", n, shared_book)
    failures = sum(c for r in results for code, c in r.items() if code != 0)
    assert failures > 0, results
    ok = sum(r.get(0, 0) for r in results)
    assert counts(shared_book) == (ok, ok, ok)  # failed commands left nothing half-written

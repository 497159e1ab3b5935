"""Two salespeople at once, on one book: claiming, touching and importing together.

Runs on both backends (on PostgreSQL this is the issue's "two processes claiming,
touching and importing at once"). Every claim of a pool customer is raced by both
processes in the same order; exactly one may win each, the loser is refused with exit
1 (never 65/70/75), and nothing either of them touched or imported is lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from _books import query

N = 30  # pool customers, each claimed by both processes
TOUCHES = 25  # touches of the shared customer, per process
IMPORTED = 40  # touchpoints each process imports from its own file

WORKER = textwrap.dedent(
    """
    import json, os, sys
    from typer.testing import CliRunner
    from kehu.cli import app

    me, n, touches, csv_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    env = {"KEHU_USER": me}
    runner = CliRunner()
    out = {"won": [], "lost": [], "codes": {}, "touched": [], "imported": None, "errors": []}
    print("ready", flush=True)
    sys.stdin.readline()  # start together

    def run(*args):
        r = runner.invoke(app, list(args), env=env)
        out["codes"][str(r.exit_code)] = out["codes"].get(str(r.exit_code), 0) + 1
        if r.exit_code not in (0, 1):
            out["errors"].append([list(args), r.exit_code, r.stderr])
        return r

    for i in range(n):
        r = run("claim", f"池客户{i:02d}")
        (out["won"] if r.exit_code == 0 else out["lost"]).append(i)
        if i < touches:
            note = f"{me}-{i}"
            if run("touch", "华为", "--kind", "daily", "--with", "张伟", "--note", note).exit_code == 0:
                out["touched"].append(note)
    out["imported"] = run("import", csv_file).exit_code
    print(json.dumps(out, ensure_ascii=False), flush=True)
    """
)


def test_two_salespeople_claiming_touching_and_importing_at_once(kehu, isolated_book, tmp_path):
    kehu("add", "华为", "--owner", "甲")
    kehu("person", "add", "华为", "张伟")
    for i in range(N):
        kehu("add", f"池客户{i:02d}")  # no owner: in the public pool
    files = {}
    for me in ("甲", "乙"):
        f = tmp_path / f"touch-{me}.csv"
        f.write_text("customer,date,kind,note\n" + "".join(
            f"华为,2026-11-{(k % 20) + 1:02d},daily,import-{me}-{k}\n" for k in range(IMPORTED)), encoding="utf-8")
        files[me] = f

    procs = {
        me: subprocess.Popen([sys.executable, "-c", WORKER, me, str(N), str(TOUCHES), str(files[me])],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for me in ("甲", "乙")
    }
    for p in procs.values():
        assert p.stdout.readline().strip() == "ready"
    for p in procs.values():
        p.stdin.write("go\n")
        p.stdin.flush()
    results = {}
    for me, p in procs.items():
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        results[me] = json.loads(out.strip().splitlines()[-1])

    a, b = results["甲"], results["乙"]
    assert a["errors"] == [] and b["errors"] == []  # refusals only: never busy, damaged or a crash
    # Exactly one winner per customer, and the book agrees with what each was told.
    assert sorted(a["won"] + b["won"]) == list(range(N))
    assert not set(a["won"]) & set(b["won"])
    owners = dict(query(isolated_book, "SELECT name, owner FROM customer WHERE name LIKE :p", {"p": "池客户%"}))
    assert owners == {f"池客户{i:02d}": ("甲" if i in a["won"] else "乙") for i in range(N)}
    claimed = query(isolated_book, "SELECT c.name, count(*) FROM event e JOIN customer c ON c.id = e.customer_id "
                                   "WHERE e.kind = 'claimed' GROUP BY c.name")
    assert sorted(claimed) == [(f"池客户{i:02d}", 1) for i in range(N)]
    actors = dict(query(isolated_book, "SELECT c.name, e.actor FROM event e JOIN customer c ON c.id = e.customer_id "
                                       "WHERE e.kind = 'claimed'"))
    assert actors == owners
    # Every touch and every imported row is there, once.
    notes = [n for (n,) in query(isolated_book, "SELECT note FROM touchpoint")]
    expected = a["touched"] + b["touched"] + [f"import-{me}-{k}" for me in ("甲", "乙") for k in range(IMPORTED)]
    assert len(a["touched"]) == len(b["touched"]) == TOUCHES
    assert (a["imported"], b["imported"]) == (0, 0)
    assert sorted(notes) == sorted(expected)

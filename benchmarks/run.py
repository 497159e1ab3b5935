#!/usr/bin/env python
"""kehu against the floor, on the same machine in the same run (issue 7).

    python benchmarks/run.py [--scale tiny|small|full|N] [--runs N] [--heavy-runs N]
                             [--budget SECONDS] [--json FILE] [--only NAME ...] [--seed N]
                             [--cache DIR] [--sqlite-utils auto|skip|PATH]

Run it by hand with the Python of a virtualenv where kehu is installed (it runs the
`kehu` next to that Python). It builds a synthetic book with a fixed seed (see
synth.py; cached per scale, seed, generator and schema in --cache, so reruns start at
once), then times every measurement as a child process — wall time, and peak memory
from the child's rusage — several times (5, and 3 for the imports and the export; a
group starts no new round after --budget seconds, so a job of minutes runs once),
interleaved with its floor so that background load hits both alike, and prints median,
min, max, peak memory and the ratio of the medians to the floor, as a plain table and,
with --json, as JSON. The floors are in floors.py; docs/performance.md has the results.

Every child gets a fresh HOME (also its working folder), KEHU_LANG=en,
KEHU_TODAY=2026-11-23 (where the synthetic data ends), KEHU_TTY=0 (plain output) and
its stdout on /dev/null (in the first round, a file whose lines are counted). A child
that fails stops the harness with its stderr: CI runs `--scale tiny` once so this
cannot rot; it asserts nothing about time.

Measurement names for --only: version help completion show-1k add-1k import-customers
import-customers-xlsx import-touchpoints import-touchpoints-logged undo-import remind next tier funnel trust
show search search-broad export (floors come along).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

PY = sys.executable
FLOORS = str(HERE / "floors.py")
STACK = "import typer, sqlmodel, rich.table"
NEW_CUSTOMER = "新增测试客户有限公司"
# `kehu search`: a word a salesperson would look for that a few records hold (a product
# of synth's contract titles, also in some notes), and a broad one: 预算 is in one note
# phrase and one signal of twenty and ten, so in about 7% of the touchpoints.
SEARCH_WORD = "云服务"
SEARCH_BROAD = "预算"
SEED_CUSTOMER = "种子客户"


def log(text: str) -> None:
    sys.stderr.write(f"bench: {text}\n")
    sys.stderr.flush()


# ---------------------------------------------------------------- children


class ChildFailed(Exception):
    pass


@dataclass
class Sample:
    seconds: float
    rss_mb: float


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "PYTHON"))}
    env.update(HOME=str(home), KEHU_LANG="en", KEHU_TODAY=synth.TODAY.isoformat(), KEHU_TTY="0")
    return env


# Peak memory comes from the child's rusage (ru_maxrss). On Linux a child's maxrss starts
# at the RSS of the process that forked it (recorded when it execs), and this harness
# holds a book's worth of rows while it builds one; so children are started by a small
# launcher process, itself started before anything is built (about 10 MB: no child can
# show less than that). It also takes the wall time, around fork, exec and wait4.
LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            fd_in = os.open(os.devnull, os.O_RDONLY)
            fd_out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fd_err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd_in, 0); os.dup2(fd_out, 1); os.dup2(fd_err, 2)
            os.execve(job["argv"][0], job["argv"], job["env"])
        except BaseException as exc:
            os.write(2, f"launcher: {exc}\n".encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "code": os.waitstatus_to_exitcode(status),
                      "maxrss_kb": usage.ru_maxrss}), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([PY, "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env={"PATH": os.environ.get("PATH", "")})

    def run(self, argv: list[str], env: dict[str, str], cwd: Path, stdout: str, stderr: str) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": str(cwd), "stdout": stdout,
                                          "stderr": stderr}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise ChildFailed("the launcher died")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


LAUNCH: Launcher | None = None


def run_child(argv: list[str], work: Path, capture: Path | None = None) -> Sample:
    """Run once in a fresh HOME (also its working folder); wall time and peak RSS."""
    assert LAUNCH is not None
    home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
    err_path = home / ".stderr"
    try:
        done = LAUNCH.run(argv, child_env(home), home, str(capture or os.devnull), str(err_path))
        if done["code"] != 0:
            tail = err_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise ChildFailed(f"exit {done['code']}: {shlex.join(argv)}\n{tail}")
        return Sample(done["seconds"], done["maxrss_kb"] / 1024)  # Linux: KiB
    finally:
        shutil.rmtree(home, ignore_errors=True)


def remove_book(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def copy_book(src: Path, dst: Path) -> None:
    remove_book(dst)
    shutil.copyfile(src, dst)


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


# ---------------------------------------------------------------- the books


@dataclass
class Books:
    empty: Path
    book_1k: Path
    base: Path  # customers, people, history: the target of the touchpoint import
    full: Path
    customers_csv: Path
    touchpoints_csv: Path
    counts: dict[str, int]
    built_seconds: float
    schema: str
    name_1k: str
    name_full: str
    busiest: dict[str, int]


def make_seed_book(kehu: str, folder: Path) -> tuple[Path, str]:
    """An empty book in kehu's current schema, made by kehu itself; and its signature."""
    book = folder / "empty.db"
    remove_book(book)
    run_child([kehu, "--db", str(book), "add", SEED_CUSTOMER], folder)
    con = sqlite3.connect(book, isolation_level=None)
    # Not the search index's own tables (FTS5 keeps its configuration in one): the index
    # is emptied through its virtual table, and the list of entries to index last, since
    # the deletions add to it.
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'search_index_%' AND name <> 'search_dirty'")]
    con.execute("BEGIN")
    for t in tables:
        if t != "kehu_meta":
            con.execute(f"DELETE FROM {t}")
    con.execute("DELETE FROM search_dirty")
    con.execute("COMMIT")
    schema = "\n".join(r[0] or "" for r in con.execute("SELECT sql FROM sqlite_master ORDER BY type, name"))
    version = con.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone()[0]
    con.execute("VACUUM")
    con.close()
    return book, f"v{version}-{hashlib.sha1(schema.encode()).hexdigest()[:10]}"


def build_book(target: Path, empty: Path, scale: synth.Scale, seed: int, *, base: Path | None = None,
               customers_csv: Path | None = None, touchpoints_csv: Path | None = None) -> dict[str, int]:
    tmp = target.with_suffix(".building")
    remove_book(tmp)
    shutil.copyfile(empty, tmp)
    b = synth.Builder(scale, seed)
    con = synth.open_for_build(tmp)
    b.base(con, customers_csv)
    if base is not None:
        synth.index(con)
        con.execute("COMMIT")
        copy_book(tmp, base)
        with sqlite3.connect(base) as c:
            c.execute("PRAGMA journal_mode = WAL")
        con.execute("BEGIN")
    b.touches(con, touchpoints_csv)
    b.contracts(con)
    synth.finish_build(con)
    remove_book(target)
    tmp.rename(target)
    return dict(vars(b.counts))


def workbook_of(csv_path: Path, target: Path) -> None:
    """The CSV file as an Excel workbook of one sheet, every cell the text it is (built
    once per cached book, untimed)."""
    import xlsxwriter

    log(f"writing {target.name}")
    tmp = target.with_suffix(".building.xlsx")
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                          "constant_memory": True})
    ws = book.add_worksheet("customers")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for r, row in enumerate(csv.reader(fh)):
            for c, value in enumerate(row):
                if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n", "'"):
                    value = value[1:]  # the CSV formula guard: a workbook holds the text itself
                if value:
                    ws.write_string(r, c, value)
    book.close()
    tmp.rename(target)


def busiest(book: Path) -> tuple[str, dict[str, int]]:
    """The active customer with the most touchpoints: the heaviest `show` and `trust`."""
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        cid, name, n = con.execute(
            "SELECT c.id, c.name, count(*) AS n FROM touchpoint t JOIN customer c ON c.id = t.customer_id"
            " WHERE c.terminated_at IS NULL GROUP BY c.id ORDER BY n DESC, c.id LIMIT 1").fetchone()
        people = con.execute("SELECT count(*) FROM person WHERE customer_id = ?", (cid,)).fetchone()[0]
        promises = con.execute("SELECT count(*) FROM promise WHERE customer_id = ?", (cid,)).fetchone()[0]
        return name, {"id": cid, "touchpoints": n, "people": people, "promises": promises}
    finally:
        con.close()


def prepare_books(kehu: str, cache: Path, scale_name: str, seed: int, work: Path, started: float) -> Books:
    scale = synth.scale_of(scale_name)
    seed_dir = work / "seed"
    seed_dir.mkdir()
    empty, schema = make_seed_book(kehu, seed_dir)
    key = f"g{synth.GENERATOR_VERSION}-{schema}-seed{seed}"

    one_k = cache / f"1k-{key}"
    if not (one_k / "done.json").exists():
        log(f"building the 1,000-customer book in {one_k}")
        shutil.rmtree(one_k, ignore_errors=True)
        one_k.mkdir(parents=True)
        counts = build_book(one_k / "book.db", empty, synth.BOOK_1K, seed)
        (one_k / "done.json").write_text(json.dumps(counts))

    folder = cache / f"{scale_name}-{key}"
    if not (folder / "done.json").exists():
        log(f"building the {scale_name} book ({scale.customers:,} customers, {scale.touchpoints:,} touchpoints)"
            f" in {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        copy_book(empty, folder / "empty.db")
        t = time.perf_counter()
        counts = build_book(folder / "full.db", empty, scale, seed, base=folder / "base.db",
                            customers_csv=folder / "customers.csv", touchpoints_csv=folder / "touchpoints.csv")
        counts["build_seconds"] = round(time.perf_counter() - t, 1)
        (folder / "done.json").write_text(json.dumps(counts))
        log(f"built in {counts['build_seconds']} s")
    counts = json.loads((folder / "done.json").read_text())
    name_1k, _ = busiest(one_k / "book.db")
    name_full, heavy = busiest(folder / "full.db")
    return Books(
        empty=folder / "empty.db", book_1k=one_k / "book.db", base=folder / "base.db", full=folder / "full.db",
        customers_csv=folder / "customers.csv", touchpoints_csv=folder / "touchpoints.csv",
        counts=counts, built_seconds=round(time.perf_counter() - started, 1), schema=schema,
        name_1k=name_1k, name_full=name_full, busiest=heavy,
    )


# ---------------------------------------------------------------- sqlite-utils


def find_sqlite_utils(choice: str, cache: Path) -> tuple[str | None, str]:
    """The sqlite-utils command, or None and why not."""
    if choice == "skip":
        return None, "skipped (--sqlite-utils skip)"
    if choice != "auto":
        return (choice, "given") if Path(choice).exists() else (None, f"not found: {choice}")
    venv = cache / "sqlite-utils-venv"
    exe = venv / "bin" / "sqlite-utils"
    if exe.exists():
        return str(exe), "cached venv"
    if shutil.which("sqlite-utils"):
        return shutil.which("sqlite-utils"), "on PATH"
    log(f"installing sqlite-utils into {venv} (a venv of its own)")
    try:
        subprocess.run([PY, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
        done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "sqlite-utils"],
                              capture_output=True, text=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(venv, ignore_errors=True)
        return None, f"skipped: could not install it ({type(exc).__name__}: {exc})"
    if done.returncode != 0 or not exe.exists():
        shutil.rmtree(venv, ignore_errors=True)
        why = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        return None, f"skipped: pip install sqlite-utils failed ({why})"
    return str(exe), "installed"


def tool_version(exe: str) -> str:
    done = subprocess.run([exe, "--version"], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


# ---------------------------------------------------------------- measurements


@dataclass
class M:
    name: str
    label: str
    argv: list[str]
    floor: str | None = None  # the name of the floor in the same group
    goal: float | None = None  # at most this ratio to the floor
    mem_goal_mb: float | None = None
    faster_than: tuple[str, float] | None = None  # at least this many times faster than that one
    # (a floor in the same group, seconds): its median minus that floor's is at most this
    share_of: tuple[str, float] | None = None
    setup: Callable[[], None] | None = None  # before each run, untimed
    check: Callable[[], str] | None = None  # after the first run: what was produced
    is_floor: bool = False
    samples: list[Sample] = field(default_factory=list)
    answer: str | None = None


@dataclass
class Group:
    title: str
    members: list[M]
    heavy: bool = False


def define(kehu: str, books: Books, work: Path, sqlite_utils: str | None) -> list[Group]:
    full, one_k = str(books.full), str(books.book_1k)
    add_db, new_db, xlsx_db = work / "add.db", work / "new.db", work / "new-xlsx.db"
    floor_cust, floor_cust_ev, su_db = work / "floor-customers.db", work / "floor-customers-ev.db", work / "su.db"
    tp_db, tp_floor = work / "touchpoints.db", work / "floor-touchpoints.db"
    log_off_db, log_on_db, undo_db = work / "log-off.db", work / "log-on.db", work / "undo.db"
    env_cmd = shutil.which("env") or "/usr/bin/env"  # children get a PATH of their own
    out_kehu, out_floor = work / "export-kehu", work / "export-floor"
    n_cust, n_touch = books.counts["customers"], books.counts["touchpoints"]

    brand = books.name_full[2:4]  # after the region (北京, 上海…) that begins every name

    def completions() -> str:
        done = subprocess.run([env_cmd, "_KEHU_COMPLETE=complete_bash", f"COMP_WORDS=kehu --db {full} show {brand}",
                               "COMP_CWORD=4", kehu], capture_output=True, text=True, env=child_env(work), cwd=work)
        names = [n for n in done.stdout.split("\n") if n]
        if done.returncode or books.name_full not in names and len(names) < 100:
            raise ChildFailed(f"completion of {brand!r} offered {len(names)} names, not {books.name_full}")
        return f"{len(names)} names offered"

    def stack(name: str) -> M:
        return M(name, f'python -c "{STACK}"', [PY, "-c", STACK], is_floor=True)

    def rows(path: Path, table: str, expected: int) -> Callable[[], str]:
        def check() -> str:
            n = count(path, table)
            if n != expected:
                raise ChildFailed(f"{path.name}: {n} rows in {table}, expected {expected}")
            return f"{n:,} rows in {table}"
        return check

    def imported(path: Path) -> Callable[[], None]:
        def setup() -> None:  # the import undo is timed on, untimed itself
            copy_book(books.base, path)
            subprocess.run([kehu, "--db", str(path), "import", str(books.touchpoints_csv)], check=True,
                           capture_output=True, env=child_env(work), cwd=work)
        return setup

    def files(folder: Path) -> Callable[[], str]:
        def check() -> str:
            records = {}
            for p in sorted(folder.glob("*.csv")):
                with p.open(encoding="utf-8", newline="") as fh:
                    records[p.stem] = sum(1 for _ in csv.reader(fh)) - 1
            if not records:
                raise ChildFailed(f"nothing exported into {folder}")
            return ", ".join(f"{k} {v:,}" for k, v in records.items())
        return check

    import_members = [
        M("floor-import-customers", "raw sqlite3 executemany (customer rows)",
          [PY, FLOORS, "import-customers", str(floor_cust), str(books.customers_csv)], is_floor=True,
          setup=lambda: copy_book(books.empty, floor_cust), check=rows(floor_cust, "customer", n_cust)),
        M("floor-import-customers-events", "  same + their history events (variant)",
          [PY, FLOORS, "import-customers", str(floor_cust_ev), str(books.customers_csv), "--events"],
          floor="floor-import-customers", setup=lambda: copy_book(books.empty, floor_cust_ev),
          check=rows(floor_cust_ev, "customer", n_cust)),
    ]
    if sqlite_utils:
        import_members.append(M(
            "sqlite-utils-customers", "sqlite-utils insert --csv",
            [sqlite_utils, "insert", str(su_db), "customer_csv", str(books.customers_csv), "--csv"],
            floor="floor-import-customers", setup=lambda: copy_book(books.empty, su_db),
            check=rows(su_db, "customer_csv", n_cust)))
    import_members.append(M(
        "import-customers", f"kehu import customers.csv ({n_cust:,} rows, new book)",
        [kehu, "--db", str(new_db), "import", str(books.customers_csv)], floor="floor-import-customers", goal=2.5,
        faster_than=("sqlite-utils-customers", 3.0) if sqlite_utils else None,
        setup=lambda: remove_book(new_db), check=rows(new_db, "customer", n_cust)))
    # The same rows as an Excel workbook (issue 20): its goal is against the CSV import
    # of the same run, which makes the workbook's own cost (reading the sheet, turning
    # cells into text) the ratio.
    customers_xlsx = books.customers_csv.with_suffix(".xlsx")

    def new_book_and_workbook() -> None:
        remove_book(xlsx_db)
        if not customers_xlsx.exists():
            workbook_of(books.customers_csv, customers_xlsx)

    import_members.append(M(
        "import-customers-xlsx", f"kehu import customers.xlsx (the same {n_cust:,} rows, new book)",
        [kehu, "--db", str(xlsx_db), "import", str(customers_xlsx)], floor="import-customers", goal=1.5,
        mem_goal_mb=200, setup=new_book_and_workbook, check=rows(xlsx_db, "customer", n_cust)))

    def agenda(cmd: str) -> Group:
        return Group(f"kehu {cmd} on the {n_cust:,}-customer book", [
            M(f"floor-{cmd}", f"stack import + hand-written SQL ({cmd})", [PY, FLOORS, "sql", cmd, full],
              is_floor=True),
            M(cmd, f"kehu {cmd}", [kehu, "--db", full, cmd], floor=f"floor-{cmd}", goal=1.5),
        ])

    return [
        Group("start-up", [
            M("pass", "python -c pass", [PY, "-c", "pass"], is_floor=True),
            M("version", "kehu --version", [kehu, "--version"], floor="pass", goal=8),
            M("help", "kehu --help", [kehu, "--help"], floor="pass", goal=8),
            # A Tab after a brand inside the names (京东 in 北京京东…): a substring, so every
            # name of the full book is looked at. Through `env`, as a shell's completion
            # function passes its variables (the exec of env is in the time, ~1 ms).
            M("completion", f"kehu completion of customer names (show {brand}<Tab>, {n_cust:,} customers)",
              [env_cmd, "_KEHU_COMPLETE=complete_bash", f"COMP_WORDS=kehu --db {full} show {brand}", "COMP_CWORD=4",
               kehu], floor="version", goal=2, check=completions),
        ]),
        Group("the 1,000-customer book", [
            stack("stack-1k"),
            M("show-1k", "kehu show X (1,000 customers)", [kehu, "--db", one_k, "show", books.name_1k],
              floor="stack-1k", goal=1.3),
            M("add-1k", "kehu add X (1,000 customers)", [kehu, "--db", str(add_db), "add", NEW_CUSTOMER],
              floor="stack-1k", goal=1.3, setup=lambda: copy_book(books.book_1k, add_db)),
        ]),
        Group(f"CSV import of {n_cust:,} customers", import_members, heavy=True),
        Group(f"CSV import of {n_touch:,} touchpoints", [
            M("floor-import-touchpoints", "raw sqlite3 executemany (touchpoints + people met)",
              [PY, FLOORS, "import-touchpoints", str(tp_floor), str(books.touchpoints_csv)], is_floor=True,
              setup=lambda: copy_book(books.base, tp_floor), check=rows(tp_floor, "touchpoint", n_touch)),
            M("import-touchpoints", f"kehu import touchpoints.csv ({n_touch:,} rows)",
              [kehu, "--db", str(tp_db), "import", str(books.touchpoints_csv)], floor="floor-import-touchpoints",
              goal=2.5, mem_goal_mb=150, setup=lambda: copy_book(books.base, tp_db),
              check=rows(tp_db, "touchpoint", n_touch)),
        ], heavy=True),
        Group(f"the operation log on the import of {n_touch:,} touchpoints (undo)", [
            M("import-touchpoints-unlogged", "kehu import touchpoints.csv, operation log off (KEHU_OPLOG=0)",
              [env_cmd, "KEHU_OPLOG=0", kehu, "--db", str(log_off_db), "import", str(books.touchpoints_csv)],
              is_floor=True, setup=lambda: copy_book(books.base, log_off_db),
              check=rows(log_off_db, "touchpoint", n_touch)),
            M("import-touchpoints-logged", "kehu import touchpoints.csv (logged, as always)",
              [kehu, "--db", str(log_on_db), "import", str(books.touchpoints_csv)],
              floor="import-touchpoints-unlogged", goal=1.1, setup=lambda: copy_book(books.base, log_on_db),
              check=rows(log_on_db, "touchpoint", n_touch)),
            M("undo-import", "kehu undo of that import (ratio to the logged import itself)",
              [kehu, "--db", str(undo_db), "undo"], floor="import-touchpoints-logged", goal=2.0,
              setup=imported(undo_db), check=rows(undo_db, "touchpoint", count(books.base, "touchpoint"))),
        ], heavy=True),
        agenda("remind"),
        agenda("next"),
        agenda("tier"),
        agenda("funnel"),
        Group(f"one customer on the {n_cust:,}-customer book", [
            stack("stack-full"),
            M("trust", "kehu trust X", [kehu, "--db", full, "trust", books.name_full], floor="stack-full", goal=1.3),
            M("show", "kehu show X", [kehu, "--db", full, "show", books.name_full], floor="stack-full", goal=1.3),
        ]),
        Group(f"search on the {n_cust:,}-customer book ({n_touch:,} touchpoints)", [
            stack("stack-search"),
            M("floor-search", f"stack import + hand-written FTS5 query ({SEARCH_WORD})",
              [PY, FLOORS, "search", full, SEARCH_WORD], is_floor=True),
            M("search", f"kehu search {SEARCH_WORD}", [kehu, "--db", full, "search", SEARCH_WORD],
              floor="floor-search", goal=1.3, share_of=("stack-search", 0.050)),
            M("floor-search-broad", f"stack import + hand-written FTS5 query ({SEARCH_BROAD}, variant)",
              [PY, FLOORS, "search", full, SEARCH_BROAD], is_floor=True),
            M("search-broad", f"kehu search {SEARCH_BROAD} (in ~7% of touchpoints; no goal)",
              [kehu, "--db", full, "search", SEARCH_BROAD], floor="floor-search-broad"),
        ]),
        Group(f"export of the {n_cust:,}-customer book", [
            M("floor-export", "raw sqlite3 SELECT + csv.writer", [PY, FLOORS, "export", full, str(out_floor)],
              is_floor=True, setup=lambda: shutil.rmtree(out_floor, ignore_errors=True), check=files(out_floor)),
            M("export", "kehu export --out DIR (all tables)", [kehu, "--db", full, "export", "--out", str(out_kehu)],
              floor="floor-export", goal=2, setup=lambda: shutil.rmtree(out_kehu, ignore_errors=True),
              check=files(out_kehu)),
        ], heavy=True),
    ]


def select(groups: list[Group], only: list[str] | None) -> list[Group]:
    if not only:
        return groups
    known = {m.name for g in groups for m in g.members}
    unknown = [n for n in only if n not in known]
    if unknown:
        raise SystemExit(f"bench: unknown measurement(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    out = []
    for g in groups:
        wanted = {m.name for m in g.members if m.name in only}
        if not wanted:
            continue
        needed = set(wanted)
        for m in g.members:
            if m.name in wanted:
                needed |= {m.floor} | ({m.faster_than[0]} if m.faster_than else set())
                needed |= {m.share_of[0]} if m.share_of else set()
        for m in g.members:  # a variant's floor comes along with it
            if m.name in needed and m.floor:
                needed.add(m.floor)
        out.append(Group(g.title, [m for m in g.members if m.name in needed], g.heavy))
    return out


def measure(group: Group, runs: int, budget: float, work: Path) -> None:
    """``runs`` rounds, each member once per round in turn, so that background load falls
    on floor and kehu alike. After the first round, no new round starts once the group
    has taken ``budget`` seconds: a job of minutes is not noisy, and the whole harness
    must fit in ten minutes. The first round's stdout is kept to count its lines."""
    log(f"{group.title}: up to {runs} run(s)")
    started = time.perf_counter()
    for i in range(runs):
        if i and time.perf_counter() - started > budget:
            log(f"  stopped after {i} round(s): {time.perf_counter() - started:.0f} s > --budget {budget:g} s")
            break
        for m in group.members:
            if m.setup:
                m.setup()
            out = work / f"{m.name}.out" if i == 0 else None
            m.samples.append(run_child(m.argv, work, capture=out))
            if out is not None:
                m.answer = f"{sum(1 for _ in out.open('rb')):,} lines on stdout"
                out.unlink()
            if i == 0 and m.check:
                m.answer = m.check()
    for m in group.members:
        med = statistics.median(s.seconds for s in m.samples)
        log(f"  {m.name}: median {fmt_time(med)}, peak {max(s.rss_mb for s in m.samples):.0f} MB")


# ---------------------------------------------------------------- results


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def results(groups: list[Group]) -> list[dict]:
    rows = []
    for g in groups:
        by_name = {m.name: m for m in g.members}
        for m in g.members:
            times = [s.seconds for s in m.samples]
            med = statistics.median(times)
            row = {
                "group": g.title, "name": m.name, "label": m.label, "command": shlex.join(m.argv),
                "floor_of_group": m.is_floor, "runs": len(times), "times": [round(t, 4) for t in times],
                "median": round(med, 4), "min": round(min(times), 4), "max": round(max(times), 4),
                "peak_rss_mb": round(max(s.rss_mb for s in m.samples), 1),
                "floor": None, "floor_median": None, "ratio": None, "goal": None, "met": None, "notes": [],
                "answer": m.answer,
            }
            if m.floor and m.floor in by_name:
                f = by_name[m.floor]
                fmed = statistics.median(s.seconds for s in f.samples)
                row.update(floor=m.floor, floor_median=round(fmed, 4), ratio=round(med / fmed, 2))
            met = None
            if m.goal is not None and row["ratio"] is not None:
                row["goal"] = f"≤ {m.goal:g}×"
                met = row["ratio"] <= m.goal
            if m.mem_goal_mb is not None:
                row["goal"] = (row["goal"] + ", " if row["goal"] else "") + f"≤ {m.mem_goal_mb:g} MB"
                mem_ok = row["peak_rss_mb"] <= m.mem_goal_mb
                row["notes"].append(f"peak memory {row['peak_rss_mb']:.0f} MB ({'met' if mem_ok else 'not met'})")
                met = mem_ok if met is None else met and mem_ok
            if m.faster_than and m.faster_than[0] in by_name:
                other = by_name[m.faster_than[0]]
                omed = statistics.median(s.seconds for s in other.samples)
                speedup = omed / med
                ok = speedup >= m.faster_than[1]
                row["goal"] = ((row["goal"] + ", " if row["goal"] else "")
                               + f"≥ {m.faster_than[1]:g}× faster than sqlite-utils")
                row["vs_sqlite_utils"] = round(speedup, 2)
                row["notes"].append(f"{speedup:.2f}× faster than sqlite-utils ({'met' if ok else 'not met'})")
                met = ok if met is None else met and ok
            if m.share_of and m.share_of[0] in by_name:
                base = statistics.median(s.seconds for s in by_name[m.share_of[0]].samples)
                share = med - base
                ok = share <= m.share_of[1]
                row["goal"] = ((row["goal"] + ", " if row["goal"] else "")
                               + f"own share ≤ {m.share_of[1] * 1000:.0f} ms")
                row["own_share_ms"] = round(share * 1000, 1)
                row["notes"].append(f"own share {share * 1000:.0f} ms over {m.share_of[0]} "
                                    f"({'met' if ok else 'not met'})")
                met = ok if met is None else met and ok
            row["met"] = met
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    head = ("measurement", "runs", "median", "min", "max", "peak MB", "ratio", "goal", "met")
    lines, group = [], None
    body = []
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            body.append((f"[{group}]",) + ("",) * 8)
        met = "" if r["met"] is None else "yes" if r["met"] else "NO"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else ("floor" if r["floor_of_group"] else "")
        body.append((
            r["label"], str(r["runs"]), fmt_time(r["median"]), fmt_time(r["min"]), fmt_time(r["max"]),
            f"{r['peak_rss_mb']:.0f}", ratio, r["goal"] or "", met,
        ))
        for note in r["notes"]:
            body.append((f"    {note}",) + ("",) * 8)
    widths = [max(len(row[i]) for row in [head, *body] if not (i == 0 and row[0].startswith(("[", "    "))))
              for i in range(9)]
    def fmt(row: tuple[str, ...]) -> str:
        if row[0].startswith(("[", "    ")) and not any(row[1:]):
            return row[0]
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:7], widths[1:7], strict=True)]
        cells += [row[7].ljust(widths[7]), row[8]]
        return "  ".join(cells).rstrip()
    lines.append(fmt(head))
    lines.extend(fmt(row) for row in body)
    return "\n".join(lines)


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def versions() -> list[str]:
    done = subprocess.run([PY, "-m", "pip", "freeze"], capture_output=True, text=True)
    return done.stdout.split("\n")[:-1] if done.returncode == 0 else [f"(pip freeze failed: {done.stderr.strip()})"]


def kehu_state() -> dict:
    """Which kehu was measured: its version and where it is installed; for an editable
    install from this repository, the commit and whether src/ had uncommitted changes."""
    import kehu

    where = Path(kehu.__file__).resolve().parent
    state = {"version": getattr(kehu, "__version__", "?"), "location": str(where)}
    if where == HERE.parent / "src" / "kehu":
        def git(*args: str) -> str:
            done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True)
            return done.stdout.strip() if done.returncode == 0 else ""
        state.update(commit=git("rev-parse", "--short", "HEAD"), dirty=bool(git("status", "--porcelain", "--", "src")))
    return state


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", default="full", help="tiny | small | full | a number of customers (default full)")
    p.add_argument("--runs", type=int, help="timed runs of each measurement (default 5; 1 at tiny scale)")
    p.add_argument("--heavy-runs", type=int, help="runs of the imports and the export (default 3; --runs if given)")
    p.add_argument("--budget", type=float, default=150, metavar="SECONDS",
                   help="no new round of a group starts after it has taken this long (default 150)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these measurements (and their floors)")
    p.add_argument("--cache",
                   default=os.environ.get("KEHU_BENCH_CACHE") or str(Path(tempfile.gettempdir()) / "kehu-bench"),
                   help="where built books are kept (default $KEHU_BENCH_CACHE or /tmp/kehu-bench)")
    p.add_argument("--sqlite-utils", default="auto", metavar="auto|skip|PATH",
                   help="auto: on PATH, else installed into a venv of its own under --cache")
    args = p.parse_args(argv)
    started = time.perf_counter()
    load_before = os.getloadavg()
    global LAUNCH
    LAUNCH = Launcher()  # first, while this process is still small
    synth.scale_of(args.scale)  # refuse a bad scale before anything is built
    runs = args.runs or (1 if args.scale == "tiny" else 5)
    heavy_runs = args.heavy_runs or args.runs or (1 if args.scale == "tiny" else 3)

    kehu = str(Path(PY).parent / "kehu")
    if not Path(kehu).exists():
        kehu = shutil.which("kehu") or ""
    if not kehu:
        raise SystemExit("bench: no kehu next to this Python or on PATH; run it from a venv where kehu is installed")
    cache = Path(args.cache).expanduser().resolve()
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=cache))
    try:
        books = prepare_books(kehu, cache, args.scale, args.seed, work, started)
        wanted = args.only or []
        su, su_why = (None, "not measured (--only)")
        if not wanted or "import-customers" in wanted or "sqlite-utils-customers" in wanted:
            su, su_why = find_sqlite_utils(args.sqlite_utils, cache)
            log(f"sqlite-utils: {su or '-'} ({su_why})")
        groups = select(define(kehu, books, work, su), args.only)
        for g in groups:
            measure(g, heavy_runs if g.heavy else runs, args.budget, work)
        rows = results(groups)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        LAUNCH.close()
    total = time.perf_counter() - started

    command = shlex.join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"kehu benchmarks, {date.today().isoformat()}: {command}")
    c = books.counts
    print(f"book: {c['customers']:,} customers, {c['people']:,} people, {c['touchpoints']:,} touchpoints "
          f"({c['touchpoint_person']:,} people met), {c['promises']:,} promises, {c['events']:,} events, "
          f"{c['tasks']:,} tasks done, {c['contracts']:,} contracts, {c['instalments']:,} instalments; "
          f"schema {books.schema}, seed {args.seed}, KEHU_TODAY {synth.TODAY}")
    print(f"X = {books.name_full} (#{books.busiest['id']}: {books.busiest['touchpoints']} touchpoints, "
          f"{books.busiest['people']} people, {books.busiest['promises']} promises); "
          f"on the 1,000-customer book X = {books.name_1k}")
    if not su:
        print(f"sqlite-utils: {su_why}")
    print()
    print(table(rows))
    print()
    for r in rows:
        if r["answer"]:
            print(f"  {r['name']}: {r['answer']}")
    load_after = os.getloadavg()
    print(f"\ntotal wall time {total:.0f} s (books ready after {books.built_seconds:.0f} s); "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "date": date.today().isoformat(), "command": command, "machine": machine(), "kehu": kehu_state(),
            "versions": versions(), "scale": args.scale, "seed": args.seed, "today": synth.TODAY.isoformat(),
            "schema": books.schema, "book": books.counts, "x": {"full": books.name_full, **books.busiest,
                                                                 "1k": books.name_1k},
            "sqlite_utils": tool_version(su) if su else su_why, "runs": runs, "heavy_runs": heavy_runs,
            "books_ready_seconds": books.built_seconds, "total_seconds": round(total, 1),
            "load_average": {"before": load_before, "after": load_after}, "measurements": rows,
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ChildFailed as exc:
        sys.stderr.write(f"bench: a child failed: {exc}\n")
        sys.exit(1)

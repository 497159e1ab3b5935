"""A book's schema is untrusted input too: `kehu restore` compares it with the schema
kehu's own migrations make at the version the file claims, and `kehu doctor` reports
a live book that differs. Every fixture book written by a release still passes. A file
offered with its -wal is read as SQLite reads it, the -wal applied."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from _books import FIXTURES, dump, sha

from kehu import migrations

pytestmark = pytest.mark.sqlite_only("`kehu restore` and the schema check work on a book file")


@pytest.fixture
def book(kehu, isolated_book) -> Path:
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--private", "孩子明年高考")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟")
    return isolated_book


def _tampered(kehu, tmp_path: Path, *sql: str, writable_schema: bool = False) -> Path:
    copy = Path(kehu("backup", str(tmp_path / "offered.db")).stdout.strip())
    conn = sqlite3.connect(copy, isolation_level=None)
    if writable_schema:
        conn.execute("PRAGMA writable_schema = ON")
    for statement in sql:
        conn.execute(statement)
    conn.close()
    return copy


TAMPERING = {
    "a trigger deleting every new touchpoint": (
        ["CREATE TRIGGER wipe AFTER INSERT ON touchpoint BEGIN DELETE FROM touchpoint; END"], False,
        "trigger wipe is not kehu's"),
    "a trigger copying a private field into a note on delete": (
        ["CREATE TRIGGER keep BEFORE DELETE ON person BEGIN "
         "UPDATE customer SET note = old.private WHERE id = old.customer_id; END"], False,
        "trigger keep is not kehu's"),
    "a view": (["CREATE VIEW everything AS SELECT * FROM person"], False, "view everything is not kehu's"),
    "an index dropped": (["DROP INDEX ix_touchpoint_customer_day"], False,
                         "index ix_touchpoint_customer_day of schema version"),
    "CHECK (0) spliced into a table": (
        ["UPDATE sqlite_master SET sql = replace(sql, 'PRIMARY KEY (id)', 'PRIMARY KEY (id), CHECK (0)') "
         "WHERE name = 'touchpoint'"], True, "table touchpoint is not as kehu's schema version"),
    "a version stamp that lies": (
        ["UPDATE kehu_meta SET value = '3' WHERE key = 'schema_version'"], False, "schema version 3 declares"),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_restore_refuses_a_schema_kehu_did_not_make(kehu, book, tmp_path, name):
    sql, writable_schema, says = TAMPERING[name]
    offered = _tampered(kehu, tmp_path, *sql, writable_schema=writable_schema)
    kehu("add", "中兴")
    before, offered_sha = dump(book), sha(offered)
    r = kehu("restore", str(offered), code=65)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"kehu: Cannot restore from {offered}: schema: ")
    assert says in r.stderr and r.stderr.endswith("The book is unchanged.\n"), r.stderr
    assert dump(book) == before and sha(offered) == offered_sha


def test_doctor_reports_a_live_book_with_a_trigger(kehu, book):
    conn = sqlite3.connect(book, isolation_level=None)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON touchpoint BEGIN DELETE FROM touchpoint; END")
    conn.close()
    r = kehu("doctor", "--json", code=1)
    bad = {c["check"]: c["detail"] for c in json.loads(r.stdout)["checks"] if not c["ok"]}
    assert list(bad) == ["schema"] and "trigger wipe is not kehu's" in bad["schema"], bad
    r = kehu("--lang", "zh", "doctor", code=1)
    [line] = [x for x in r.stdout.splitlines() if "wipe" in x]
    assert f"结构与 kehu 自己建立的不同（触发器 wipe 不是 kehu 建立的（结构版本 {migrations.LATEST}））" in line, line
    # No English in the Chinese line but the trigger's name and the command it suggests.
    assert english_words(line) == ["kehu", "wipe", "kehu", "kehu", "kehu", "restore"], line


def english_words(line: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z_]*", line)


# What each tampering says in Chinese; its SQL name is the only English word left.
ZH = {
    "a trigger deleting every new touchpoint": ("触发器 wipe 不是 kehu 建立的", "wipe"),
    "a trigger copying a private field into a note on delete": ("触发器 keep 不是 kehu 建立的", "keep"),
    "a view": ("视图 everything 不是 kehu 建立的", "everything"),
    "an index dropped": ("应有的索引 ix_touchpoint_customer_day", "ix_touchpoint_customer_day"),
    "CHECK (0) spliced into a table": ("表 touchpoint 与 kehu 结构版本", "touchpoint"),
    "a version stamp that lies": ("表 customer 与 kehu 结构版本 3 的定义不同", "customer"),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_restore_says_the_difference_in_chinese(kehu, book, tmp_path, name):
    sql, writable_schema, _ = TAMPERING[name]
    offered = _tampered(kehu, tmp_path, *sql, writable_schema=writable_schema)
    r = kehu("--lang", "zh", "restore", str(offered), code=65)
    line = r.stderr.replace(str(offered), "FILE")
    says, identifier = ZH[name]
    assert line.startswith("kehu: 不能从 FILE 恢复：数据库结构：") and says in line, line
    assert line.endswith("账本未改动。\n") and line.count("\n") == 1, line
    assert {w for w in english_words(line) if w not in ("kehu", "FILE")} <= {identifier}, line


@pytest.mark.parametrize("v", range(1, migrations.LATEST + 1))
def test_every_released_book_passes_the_schema_check(kehu, isolated_book, tmp_path, v):
    offered = tmp_path / f"v{v}.db"
    shutil.copyfile(FIXTURES / f"v{v}.db", offered)
    kehu("restore", str(offered))
    data = kehu.json("doctor")
    assert data["ok"] is True, data
    kehu("list")  # upgrades it, keeping schema-1's declared name_key length
    assert kehu.json("doctor")["ok"] is True


def test_restore_reads_the_wal_copied_with_the_file(kehu, book, tmp_path):
    """A book copied together with its -wal while a connection held them: every
    committed row is restored, and the copies offered are left as they were."""
    holder = sqlite3.connect(book)  # keeps the -wal from being folded in at close
    holder.execute("SELECT count(*) FROM customer").fetchone()
    try:
        for name in ("中兴", "联想", "小米"):
            kehu("add", name)
        wal = Path(f"{book}-wal")
        assert wal.stat().st_size > 0
        offered = tmp_path / "copied" / "kehu.db"
        offered.parent.mkdir()
        shutil.copyfile(book, offered)
        shutil.copyfile(wal, f"{offered}-wal")
    finally:
        holder.close()
    before = (sha(offered), sha(Path(f"{offered}-wal")))
    target = tmp_path / "other" / "kehu.db"
    kehu("--db", str(target), "add", "旧的")
    kehu("--db", str(target), "restore", str(offered))
    assert sorted(c["name"] for c in kehu.json("--db", str(target), "list")) == sorted(
        ["华为", "中兴", "联想", "小米"])
    assert (sha(offered), sha(Path(f"{offered}-wal"))) == before
    assert sorted(p.name for p in offered.parent.iterdir()) == ["kehu.db", "kehu.db-wal"]
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".kehu")]


WRITER = """
import pathlib, subprocess, sys, time
here = pathlib.Path(sys.argv[1])
deadline = time.monotonic() + 60
while not (here / "copied").exists():  # restore has saved the book aside
    if time.monotonic() > deadline:
        sys.exit("restore never saved the book aside")
    time.sleep(0.01)
subprocess.run([sys.executable, "-m", "kehu", "add", "写在中间"], check=True)
(here / "written").touch()
"""


def test_a_write_between_saving_aside_and_restoring_is_kept(kehu, book, tmp_path, monkeypatch):
    """Another process commits after restore saved the book aside and before the page
    copy: that row must be in the copy saved aside (it would otherwise be in neither).
    The two processes wait on each other's marker files, never on a timer."""
    import subprocess
    import sys
    import time

    from kehu.book import care

    offered = Path(kehu("backup", str(tmp_path / "offered.db")).stdout.strip())
    assert hasattr(care, "_save_aside")
    real = care._save_aside
    paused: list[bool] = []

    def copy_then_let_the_writer_in(path):
        made = real(path)
        if not paused:
            paused.append(True)
            (tmp_path / "copied").touch()
            deadline = time.monotonic() + 60
            while not (tmp_path / "written").exists():
                assert writer.poll() in (None, 0), writer.stderr.read()
                assert time.monotonic() < deadline, "the writer never wrote"
                time.sleep(0.01)
        return made

    monkeypatch.setattr(care, "_save_aside", copy_then_let_the_writer_in)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stderr=subprocess.PIPE, text=True)
    try:
        r = kehu("restore", str(offered))
    finally:
        assert writer.wait(timeout=60) == 0, writer.stderr.read()
        writer.stderr.close()
    assert paused
    saved = Path(r.stderr.splitlines()[0].rsplit(" ", 1)[1])
    in_saved = {row[0] for row in sqlite3.connect(saved).execute("SELECT name FROM customer")}
    in_book = {c["name"] for c in kehu.json("list")}
    assert "写在中间" in in_saved | in_book, (in_saved, in_book)
    assert in_book == {"华为"}  # the restored book is the backup, as asked

"""Looking after the book: backups, restore from untrusted files, doctor, read-only
books and a full disk. Each refusal is one line, a documented code, nothing changed."""

from __future__ import annotations

import gc
import os
import random
import shutil
import sqlite3
import stat
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from _books import (
    FIXTURES,
    checks,
    contents,
    dump,
    execute,
    older_server_book,
    query,
    sha,
    version,
)
from conftest import BACKEND

from kehu import migrations


def one_line(r) -> str:
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("kehu: "), r.stderr
    return r.stderr[len("kehu: "):-1]


@pytest.fixture
def book(kehu, isolated_book) -> Path:
    kehu("add", "华为", "--note", "年度框架")
    kehu("person", "add", "华为", "张伟", "--private", "孩子明年高考")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--promise", "送资料", "--promise-due", "+3d")
    return isolated_book


def settle(path: Path) -> None:
    """Fold the -wal into the file so byte comparisons see everything."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# ---------------------------------------------------------------- backup


@pytest.mark.sqlite_only("`kehu backup` copies the book file; a server book is backed up with pg_dump")
def test_backup_makes_a_verified_private_copy(kehu, book, umask022):
    r = kehu("backup")
    copy = Path(r.stdout.strip())
    assert copy.parent == book.parent / "backups" and copy.name.startswith("kehu-") and copy.suffix == ".db"
    assert r.stderr == f"Backed up the book to {copy} (verified)\n"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert dump(copy) == dump(book) and checks(copy) == ([("ok",)], [])
    # a single self-contained file: nothing beside it is needed to read it
    assert not Path(f"{copy}-wal").exists()
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.sqlite_only("`kehu backup` copies the book file; a server book is backed up with pg_dump")
def test_backup_to_a_folder_or_a_file_and_never_over_a_file(kehu, book, tmp_path):
    folder = tmp_path / "safe"
    folder.mkdir()
    into = Path(kehu("backup", str(folder)).stdout.strip())
    assert into.parent == folder and dump(into) == dump(book)
    named = tmp_path / "named.db"
    assert kehu("backup", str(named)).stdout.strip() == str(named)
    before = sha(named)
    r = kehu("backup", str(named), code=1)
    assert one_line(r) == f"{named} already exists and a backup never overwrites a file: choose another name or folder."
    assert sha(named) == before
    assert one_line(kehu("backup", str(book), code=1)).startswith(f"{book} already exists")


@pytest.mark.sqlite_only("`kehu backup` copies the book file; a server book is backed up with pg_dump")
def test_backup_sees_only_committed_data_while_another_process_writes(kehu, book, tmp_path):
    writer = sqlite3.connect(book, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE customer SET note = 'uncommitted'")
    try:
        copy = Path(kehu("backup", str(tmp_path / "during.db")).stdout.strip())
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [r[0] for r in sqlite3.connect(copy).execute("SELECT note FROM customer")] == ["年度框架"]


@pytest.mark.sqlite_only("`kehu backup` copies the book file; a server book is backed up with pg_dump")
def test_backup_of_a_missing_book_creates_nothing(kehu, isolated_book):
    r = kehu("backup", code=66)
    assert one_line(r).startswith("No account book at ") and not isolated_book.parent.exists()


# ---------------------------------------------------------------- restore


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(kehu, book):
    copy = Path(kehu("backup").stdout.strip())
    kept = dump(book)
    kehu("add", "中兴")
    r = kehu("restore", str(copy))
    saved_line, done_line = r.stderr.splitlines()
    assert done_line == f"Restored the book {book} from {copy}."
    saved = Path(saved_line.rsplit(" ", 1)[1])
    assert [c["name"] for c in kehu.json("list")] == ["华为"]
    assert dump(book) == kept
    assert {r[0] for r in sqlite3.connect(saved).execute("SELECT name FROM customer")} == {"华为", "中兴"}
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert checks(book) == ([("ok",)], [])
    kehu("touch", "华为", "--kind", "daily")  # and the restored book is writable


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_rescues_a_damaged_book_and_keeps_the_damaged_one(kehu, book, tmp_path):
    copy = Path(kehu("backup").stdout.strip())
    settle(book)
    _corrupted(book, tmp_path / "broken.db")
    shutil.copyfile(tmp_path / "broken.db", book)
    r = kehu("list", code=65)  # garbage read from a damaged page is reported as damage, not a bug
    assert one_line(r).startswith("The book is damaged (integrity_check: ")
    r = kehu("restore", str(copy))
    moved_line, done_line = r.stderr.splitlines()
    moved = Path(moved_line.rsplit(" ", 1)[1])
    assert moved_line.startswith("The book was damaged; it was moved, as it was, to ")
    assert moved.read_bytes() == (tmp_path / "broken.db").read_bytes()  # kept byte for byte
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    assert done_line == f"Restored the book {book} from {copy}."
    assert [c["name"] for c in kehu.json("list")] == ["华为"] and checks(book) == ([("ok",)], [])


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_never_replaces_another_applications_file(kehu, isolated_book, book, tmp_path):
    copy = Path(kehu("backup").stdout.strip())
    isolated_book.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{isolated_book}{extra}").unlink(missing_ok=True)
    _foreign_app(isolated_book, isolated_book)
    before = sha(isolated_book)
    assert "application id 0x4d2" in one_line(kehu("restore", str(copy), code=65))
    assert sha(isolated_book) == before


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_into_a_missing_book_creates_it_private(kehu, book, tmp_path, umask022):
    copy = Path(kehu("backup").stdout.strip())
    target = tmp_path / "elsewhere" / "kehu.db"
    kehu("--db", str(target), "restore", str(copy))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert dump(target) == dump(copy)


def _truncated(src: Path, dest: Path) -> None:
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2])


def _corrupted(src: Path, dest: Path) -> None:
    data = bytearray(src.read_bytes())
    conn = sqlite3.connect(src)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customer'").fetchone()[0]
    conn.close()
    start = (root - 1) * page
    data[start + 8: start + 200] = random.Random(start).randbytes(192)  # scribble over a b-tree page
    dest.write_bytes(bytes(data))


def _orphaned(src: Path, dest: Path) -> None:
    shutil.copyfile(src, dest)
    conn = sqlite3.connect(dest)  # foreign keys are off on a plain connection
    conn.execute("INSERT INTO person (customer_id, name, name_key, created_at) VALUES (999, 'x', 'x', '2026-01-01')")
    conn.commit()
    conn.close()


def _newer(src: Path, dest: Path) -> None:
    shutil.copyfile(src, dest)
    conn = sqlite3.connect(dest)
    conn.execute("UPDATE kehu_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def _foreign_app(src: Path, dest: Path) -> None:
    conn = sqlite3.connect(dest)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _random(src: Path, dest: Path) -> None:
    dest.write_bytes(os.urandom(8192))


def _empty(src: Path, dest: Path) -> None:
    dest.write_bytes(b"")


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
@pytest.mark.parametrize(("make", "code", "says"), [
    (_random, 65, "not an SQLite database"),
    (_empty, 65, "not a kehu book (no kehu application id)"),
    (_truncated, 65, "malformed"),
    (_corrupted, 65, "integrity_check"),
    (_orphaned, 65, "foreign_key_check: 1 rows point nowhere (person)"),
    (_foreign_app, 65, "application id 0x4d2"),
    (_newer, 78, "schema version 999, newer than this kehu's"),
])
def test_restore_checks_the_file_first_and_changes_nothing(kehu, book, tmp_path, make, code, says):
    settle(book)
    source = tmp_path / "suspect.db"
    make(book, source)
    source_sha, book_sha = sha(source), sha(book)
    listing = sorted(os.listdir(book.parent))
    r = kehu("restore", str(source), code=code)
    assert says in one_line(r)
    assert sha(source) == source_sha  # the file offered is left exactly as it was
    assert sha(book) == book_sha
    assert sorted(os.listdir(book.parent)) == listing  # no staged copy left behind
    assert not list((book.parent / "backups").glob("*")) if (book.parent / "backups").exists() else True


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_of_a_missing_file(kehu, book, tmp_path):
    r = kehu("restore", str(tmp_path / "nope.db"), code=66)
    assert one_line(r) == f"The file {tmp_path / 'nope.db'} does not exist."


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_while_the_book_is_busy_exits_75_and_changes_nothing(kehu, book, monkeypatch):
    copy = Path(kehu("backup").stdout.strip())
    kehu("add", "中兴")
    settle(book)
    before = dump(book)
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT_MS", "200")
    holder = sqlite3.connect(book, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = kehu("restore", str(copy), code=75)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.stderr.splitlines()[-1] == "kehu: The book is locked by another kehu process; try again in a moment."
    assert dump(book) == before


@pytest.mark.sqlite_only("`kehu restore` replaces the book file; a server book is restored with pg_restore")
def test_restore_of_an_older_schema_backup_upgrades_it_on_next_use(kehu, book, tmp_path):
    old = tmp_path / "v2.db"
    shutil.copyfile(FIXTURES / "v2.db", old)
    kehu("restore", str(old))
    assert version(book) == "2"
    r = kehu("list")
    assert r.stderr.startswith("Backed up the book before upgrading its schema (2 → ")
    assert version(book) == str(migrations.LATEST)


# ---------------------------------------------------------------- doctor


@pytest.mark.sqlite_only("the checks of a book file (file, integrity, journal, permissions); "
                         "test_server checks doctor on a server")
def test_doctor_on_a_sound_book(kehu, book):
    settle(book)
    before = sha(book)
    data = kehu.json("doctor")
    assert data["ok"] is True
    assert [c["check"] for c in data["checks"]] == ["file", "integrity", "foreign_keys", "schema", "search",
                                                    "journal", "permissions"]
    assert all(c["ok"] for c in data["checks"])
    assert sha(book) == before


def _finding(kehu, check: str) -> str:
    r = kehu("doctor", "--json", code=1)
    data = __import__("json").loads(r.stdout)
    assert r.stderr.endswith("problem(s).\n") and data["ok"] is False
    bad = {c["check"]: c["detail"] for c in data["checks"] if not c["ok"]}
    assert check in bad, data
    return bad[check]


@pytest.mark.sqlite_only("file permissions of the book file; a server book has no file")
def test_doctor_finds_loose_permissions(kehu, book):
    book.chmod(0o644)
    assert "kehu.db 0644" in _finding(kehu, "permissions")
    r = kehu("doctor", code=1)
    assert "PROBLEM" in r.stdout and "kehu doctor found 1 problem(s)." in r.stderr


@pytest.mark.sqlite_only("rows planted in a book file past SQLite's foreign keys; a server enforces them always")
def test_doctor_finds_rows_pointing_nowhere(kehu, book, tmp_path):
    settle(book)
    _orphaned(book, tmp_path / "o.db")
    shutil.copyfile(tmp_path / "o.db", book)
    assert _finding(kehu, "foreign_keys") == "1 rows point at records that do not exist (person)"


@pytest.mark.sqlite_only("a damaged page in the book file; a server book has no file")
def test_doctor_finds_damage(kehu, book, tmp_path):
    settle(book)
    _corrupted(book, tmp_path / "c.db")
    shutil.copyfile(tmp_path / "c.db", book)
    assert _finding(kehu, "integrity").startswith("damaged: ")


def test_doctor_reports_a_newer_schema_and_leaves_it_byte_identical(kehu, book, tmp_path):
    if BACKEND == "sqlite":
        settle(book)
        _newer(book, tmp_path / "n.db")
        shutil.copyfile(tmp_path / "n.db", book)
    else:
        execute(book, "UPDATE kehu_meta SET value = '999' WHERE key = 'schema_version'")
    before = contents(book)
    assert "version 999 is newer" in _finding(kehu, "schema")
    assert contents(book) == before


def test_doctor_does_not_upgrade_an_old_book(kehu, isolated_book):
    if BACKEND == "sqlite":
        isolated_book.parent.mkdir(parents=True)
        shutil.copyfile(FIXTURES / "v1.db", isolated_book)
        isolated_book.chmod(0o600)
    else:  # what a kehu of schema 1 made on the server
        older_server_book(isolated_book, 1)
    before = contents(isolated_book)
    data = kehu.json("doctor")
    schema_line = next(c for c in data["checks"] if c["check"] == "schema")
    if BACKEND == "sqlite":
        assert schema_line == {"check": "schema", "ok": True,
                               "detail": f"version 1; the next use backs it up and upgrades it to {migrations.LATEST}"}
    else:  # kehu cannot copy a server book: the upgrade says so, and doctor must not promise a backup
        assert schema_line["ok"] is True and schema_line["detail"].startswith("version 1; ")
        assert f"upgrades it to {migrations.LATEST}" in schema_line["detail"]
        assert "backs it up" not in schema_line["detail"]
    assert contents(isolated_book) == before
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key = 'schema_version'") == [("1",)]


@pytest.mark.sqlite_only("a book file that is not a database; a server book has no file")
def test_doctor_on_something_else_and_on_nothing(kehu, isolated_book):
    kehu("doctor", code=66)
    isolated_book.parent.mkdir(parents=True)
    isolated_book.write_bytes(b"hello, not a database" * 10)
    assert "not an SQLite database" in _finding(kehu, "file")


@pytest.mark.sqlite_only("file permissions of the book file; a server book has no file")
def test_doctor_speaks_chinese(kehu, book):
    book.chmod(0o640)
    r = kehu("--lang", "zh", "doctor", code=1)
    assert "权限\t有问题\t他人可访问：kehu.db 0640" in r.stdout
    assert r.stderr == "kehu doctor 发现 1 个问题。\n"


# ---------------------------------------------------------------- read-only and full disk


@contextmanager
def mounted_tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or 'not root'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _make_read_only(folder: Path):
    """A read-only book as the user meets it: a read-only mount as root (root ignores
    file modes), file and folder modes otherwise."""
    if os.geteuid() == 0:
        r = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    else:
        for p in folder.iterdir():
            p.chmod(0o400)
        folder.chmod(0o500)


@pytest.fixture
def read_only_book(kehu, tmp_path):
    folder = tmp_path / "ro"
    with mounted_tmpfs(folder, "4m") if os.geteuid() == 0 else _no_mount(folder):
        book = folder / "kehu.db"
        kehu("--db", str(book), "add", "华为")
        kehu("--db", str(book), "person", "add", "华为", "张伟")
        settle(book)
        for extra in ("-wal", "-shm"):
            Path(f"{book}{extra}").unlink(missing_ok=True)  # as a cleanly closed book leaves it
        _make_read_only(folder)
        yield book
        if os.geteuid() != 0:
            folder.chmod(0o700)


@contextmanager
def _no_mount(folder: Path):
    folder.mkdir()
    yield folder


def test_a_read_only_book_reads_and_refuses_writes_with_77(kehu, read_only_book):
    before = sha(read_only_book)
    assert [c["name"] for c in kehu.json("--db", str(read_only_book), "list")] == ["华为"]
    assert kehu.json("--db", str(read_only_book), "show", "华为")["people"][0]["name"] == "张伟"
    kehu("--db", str(read_only_book), "remind")
    kehu("--db", str(read_only_book), "doctor")
    for args in (("add", "中兴"), ("touch", "华为", "--kind", "daily"),
                 ("advance", "华为", "--force", "--reason", "x")):
        r = kehu("--db", str(read_only_book), *args, code=77)
        assert one_line(r) == f"The book {read_only_book} is read-only; check its file permissions."
    assert sha(read_only_book) == before
    assert sorted(p.name for p in read_only_book.parent.iterdir()) == ["kehu.db"]


@pytest.fixture
def small_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "small", "1m") as where:
        yield where


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC: the disk is full now
    finally:
        os.close(fd)


def test_a_full_disk_is_one_line_74_and_the_book_unchanged(kehu, small_disk):
    book = small_disk / "kehu.db"
    kehu("--db", str(book), "add", "华为")
    settle(book)
    before = dump(book)
    _fill(small_disk)
    listing = sorted(os.listdir(small_disk))
    r = kehu("--db", str(book), "add", "中兴", "--note", "很长的备注" * 700, code=74)
    assert one_line(r).startswith("Reading or writing the book failed: ")
    (small_disk / "filler").unlink()
    assert dump(book) == before and checks(book) == ([("ok",)], [])
    assert sorted(os.listdir(small_disk)) == sorted(set(listing) - {"filler"}) or \
        set(os.listdir(small_disk)) <= {"kehu.db", "kehu.db-wal", "kehu.db-shm"}


def test_an_export_or_backup_onto_a_full_disk_leaves_no_partial_file(kehu, book, small_disk):
    for i in range(300):
        kehu("touch", "华为", "--kind", "daily", "--note", f"第{i}次拜访，" + "记录" * 200)
    _fill(small_disk)
    for args in (("export", "--table", "touchpoints", "--out", str(small_disk / "out.csv")),
                 ("export", "--out", str(small_disk / "folder")),  # every table, or none
                 # (a server book is backed up with the server's tools, not `kehu backup`)
                 *([("backup", str(small_disk / "b.db"))] if BACKEND == "sqlite" else [])):
        r = kehu(*args, code=74)
        if args[0] == "backup":  # the real cause, and where: not "reading or writing the book failed"
            assert one_line(r) == f"The disk is full: nothing could be written in {small_disk}. Free some space " \
                                  "and try again; the book is unchanged.", r.stderr
        else:
            assert one_line(r).endswith(("No space left on device", "database or disk is full")), r.stderr
        assert sorted(os.listdir(small_disk)) == ["filler"], args
    # Whatever a failed export left open (a cursor, a file) is collected, and reported by
    # pytest as a warning, here rather than in whichever test happens to run next.
    gc.collect()


def _big_book(kehu, where: Path) -> Path:
    """A book of about 3 MB, more than the small disk holds."""
    kehu("--db", str(where), "add", "华为")
    conn = sqlite3.connect(where)
    conn.execute("UPDATE customer SET note = hex(randomblob(1500000))")
    conn.commit()
    conn.close()
    settle(where)
    return where


@pytest.mark.sqlite_only("`kehu backup` and `kehu restore` copy a book file")
@pytest.mark.parametrize("lang, says", [
    ("en", "The disk is full: nothing could be written in {folder}. Free some space and try again; "
           "the book is unchanged."),
    ("zh", "磁盘已满，无法在 {folder} 写入：请腾出空间后重试。账本没有改动。"),
])
def test_a_backup_that_fills_the_disk_midway_names_the_disk_and_leaves_nothing(kehu, tmp_path, small_disk,
                                                                                 lang, says):
    big = _big_book(kehu, tmp_path / "big" / "kehu.db")
    before = dump(big)
    r = kehu("--lang", lang, "--db", str(big), "backup", str(small_disk / "b.db"), code=74)
    assert one_line(r) == says.format(folder=small_disk)
    assert os.listdir(small_disk) == []  # no copy, no .kehu-….db-journal
    assert dump(big) == before


@pytest.mark.sqlite_only("`kehu backup` and `kehu restore` copy a book file")
def test_a_restore_that_fills_the_disk_midway_names_the_disk_and_leaves_nothing(kehu, tmp_path, small_disk):
    big = _big_book(kehu, tmp_path / "big" / "kehu.db")
    book = small_disk / "kehu.db"
    kehu("--db", str(book), "add", "中兴")
    settle(book)
    before, listing = dump(book), sorted(os.listdir(small_disk))
    r = kehu("--db", str(book), "restore", str(big), code=74)
    assert one_line(r) == f"The disk is full: nothing could be written in {small_disk}. Free some space and " \
                          "try again; the book is unchanged."
    assert dump(book) == before and sorted(os.listdir(small_disk)) == listing

"""Private details stay private: a sentinel planted in every private field never shows
up in any output, message or crash report; forgetting a person leaves no trace in the
book's files; everything kehu creates is readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from _books import FIXTURES, open_reader, query, writer_lock
from conftest import BACKEND

SENTINEL = "SENTINEL-7f3a9c-私密"
# every private field of every table (DOMAIN.md section 4: a person's personal details)
PRIVATE_FIELDS = {"person": ["private", "private_mobile", "home_address"]}
# a private mobile is a phone number: the sentinel there is one no other field holds
PHONE_SENTINEL = "+86 139 7319 4682"


def test_the_sentinel_covers_every_private_field():
    from kehu.csvio.columns import TABLES

    private = {(t, c.key) for t, cols in TABLES.items() for c in cols if c.private}
    assert private == {("people", f) for f in PRIVATE_FIELDS["person"]}


@pytest.fixture
def planted(kehu, isolated_book):
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--title", "CIO", "--private", SENTINEL, "--private-mobile", PHONE_SENTINEL,
         "--home-address", SENTINEL + "-家", "--mobile", "13800138000")
    kehu("person", "add", "华为", "李娜", "--private", SENTINEL + "-2")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "-5d", "--promise", "送资料",
         "--promise-due", "-1d", "--next", "回电", "--next-due", "-2d")
    return isolated_book


def clean(r) -> None:
    assert "SENTINEL" not in r.stdout and "SENTINEL" not in r.stderr, (r.stdout, r.stderr)
    assert PHONE_SENTINEL not in r.stdout and PHONE_SENTINEL not in r.stderr, (r.stdout, r.stderr)


def test_no_everyday_output_shows_it(kehu, planted, tmp_path):
    for args in (("list",), ("list", "--json"), ("show", "华为"), ("show", "华为", "--json"),
                 ("person", "list", "华为"), ("person", "list", "华为", "--json"),
                 ("person", "show", "华为", "张伟"), ("person", "show", "华为", "张伟", "--json"),
                 ("history", "华为"), ("trust", "华为"), ("trust", "华为", "--json"), ("remind",),
                 ("remind", "--json"), ("next",), ("next", "--json"), ("tier",), ("funnel",),
                 ("export", "--table", "people"), ("export", "--table", "touchpoints"), ("doctor",),
                 ("person", "export", "--vcard", "-")):
        clean(kehu(*args))
    kehu("export", "--out", str(tmp_path / "all"))
    for f in (tmp_path / "all").iterdir():
        assert "SENTINEL" not in f.read_text(encoding="utf-8"), f
        assert PHONE_SENTINEL not in f.read_text(encoding="utf-8"), f
    kehu("remind", "--ics", str(tmp_path / "k.ics"))
    assert "SENTINEL" not in (tmp_path / "k.ics").read_text(encoding="utf-8")


def test_only_the_explicit_ways_reveal_it(kehu, planted):
    shown = kehu.json("person", "show", "华为", "张伟", "--private")
    assert (shown["private"], shown["private_mobile"], shown["home_address"]) == (
        SENTINEL, PHONE_SENTINEL, SENTINEL + "-家")
    assert SENTINEL in kehu("person", "show", "华为", "张伟", "--private").stdout
    r = kehu("export", "--table", "people", "--include-private")
    assert SENTINEL in r.stdout and r.stderr.startswith("Warning: the export includes people's private details")
    assert PHONE_SENTINEL in r.stdout and SENTINEL + "-家" in r.stdout


def test_not_on_a_unique_conflict(kehu, planted):
    r = kehu("person", "add", "华为", "张伟", "--private", SENTINEL + "-again", code=1)
    clean(r)
    r = kehu("person", "edit", "华为", "李娜", "--name", "张伟", "--private", SENTINEL + "-edit", code=1)
    clean(r)


def test_not_when_the_database_itself_refuses(kehu, planted, monkeypatch):
    # Past kehu's own check, the UNIQUE index fires: the driver's message, never the
    # bound parameters (hide_parameters=True).
    from kehu.models import Person
    from kehu.store import people

    def unchecked_add(s, customer, data):
        from datetime import UTC, datetime

        p = Person(customer_id=customer.id, name=data["name"], name_key=data["name"], private=data["private"],
                   created_at=datetime.now(UTC))
        s.add(p)
        s.flush()
        return p

    monkeypatch.setattr(people, "add_person", unchecked_add)
    r = kehu("person", "add", "华为", "张伟", "--private", SENTINEL + "-db", code=65)
    clean(r)
    assert {"sqlite": "UNIQUE constraint failed",
            "postgresql": 'duplicate key value violates unique constraint "uq_person_name"'}[BACKEND] in r.stderr


def test_not_when_the_book_is_locked(kehu, planted, monkeypatch):
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT_MS", "200")
    with writer_lock(planted):
        clean(kehu("person", "edit", "华为", "张伟", "--private", SENTINEL + "-locked", code=75))


def test_not_in_a_bad_csv_row(kehu, planted, tmp_path):
    data = tmp_path / "people.csv"
    data.write_text(
        "customer,name,level,private\n"
        f"华为,王强,nonsense-level,{SENTINEL}-csv\n"
        f"华为,赵六,middle,{'长' * 5000}{SENTINEL}-long\n"
        f"不存在的客户,钱七,middle,{SENTINEL}-orphan\n",
        encoding="utf-8")
    r = kehu("import", str(data), code=65)
    clean(r)
    assert f"{data}:2: level:" in r.stderr and f"{data}:4: customer:" in r.stderr
    assert f"{data}:3: private:" in r.stderr  # the field is named, its value is not shown


def test_not_on_a_full_disk(kehu, tmp_path):
    from test_book_care import _fill, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "small", "1m") as disk:
        book = disk / "kehu.db"
        kehu("--db", str(book), "add", "华为")
        kehu("--db", str(book), "person", "add", "华为", "张伟")
        _fill(disk)
        clean(kehu("--db", str(book), "person", "edit", "华为", "张伟", "--private", SENTINEL + "长" * 3000,
                   code=74))
        (disk / "filler").unlink()


def test_not_in_an_unexpected_error_nor_its_crash_report(kehu, planted, monkeypatch, tmp_path):
    from kehu.store import people

    def buggy(s, customer, person, data):
        raise ValueError(f"cannot handle {data.get('private')} for {person.private}")

    monkeypatch.setattr(people, "edit_person", buggy)
    r = kehu("person", "edit", "华为", "张伟", "--private", SENTINEL + "-crash", code=70)
    clean(r)
    assert r.stderr.startswith("kehu: Internal error in kehu (ValueError). A report without your data is in ")
    report = Path(r.stderr.split(" is in ", 1)[1].split(": please", 1)[0])
    text = report.read_text(encoding="utf-8")
    assert "SENTINEL" not in text
    assert "command: kehu person" in text and "in buggy" in text  # still useful: where it broke
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700


def test_debug_shows_the_traceback(kehu, planted, monkeypatch):
    from kehu.store import customers

    monkeypatch.setattr(customers, "history", lambda *a: 1 / 0)
    monkeypatch.setenv("KEHU_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        kehu("history", "华为")


# ---------------------------------------------------------------- forgetting


def _files(book: Path) -> list[Path]:
    return [p for p in (book, Path(f"{book}-wal"), Path(f"{book}-shm")) if p.exists()]


def _found(book: Path, needle: str) -> list[str]:
    raw = needle.encode("utf-8")
    return [p.name for p in _files(book) if raw in p.read_bytes()]


SCRUBBED = ("person", "touchpoint_person", "touchpoint", "event")  # the tables a person's details were in


def _storage(book) -> tuple | None:
    """On a server, where each table that held the person is stored (a rewrite moves it)."""
    if BACKEND == "sqlite":
        return None
    return query(book, "SELECT " + ", ".join(f"pg_relation_filenode('{t}')" for t in SCRUBBED))[0]


def _wiped(book, before) -> bool:
    """No leftover of 张伟's details where the book is stored: not in the file's bytes (the
    other person's sentinel, SENTINEL-2, may stay); on a server, every table they were
    in has been rewritten since ``before``, so no dead row version of them is left."""
    if BACKEND == "sqlite":
        return _found(book, SENTINEL + "\x00") == [] and not any(
            SENTINEL.encode() in p.read_bytes() and (SENTINEL + "-2").encode() not in p.read_bytes()
            for p in _files(book))
    return all(old != new for old, new in zip(before, _storage(book), strict=True))


@pytest.mark.sqlite_only("reads the book file and its -wal for the forgotten bytes; a server's files are out of "
                         "reach (test_server checks forget there row by row)")
def test_forgetting_a_person_leaves_no_trace_in_the_books_files(kehu, planted):
    kehu("person", "edit", "华为", "张伟", "--private", SENTINEL + "-v2")  # an older version lingers too
    # a reader holding the WAL open while the person is still there
    assert _found(planted, SENTINEL)
    r = kehu("person", "forget", "华为", "张伟")
    assert r.stderr.startswith("Forgot 张伟 at 华为 (private details included); 1 touchpoints no longer name them")
    assert _found(planted, SENTINEL + "-v2") == [] and _found(planted, SENTINEL + "\x00") == []
    assert [p for p in _files(planted) if SENTINEL.encode() in p.read_bytes() and
            (SENTINEL + "-2").encode() not in p.read_bytes()] == []
    data = kehu.json("show", "华为")
    assert [p["name"] for p in data["people"]] == ["李娜"]
    assert data["touchpoints"][0]["with"] == []
    assert kehu.json("history", "华为")[-1]["kind"] == "person_forgotten"
    kehu("person", "show", "华为", "张伟", code=1)


@pytest.mark.sqlite_only("proves the byte scan of the book file above would see a plain DELETE")
def test_the_check_would_see_a_plain_delete(planted):
    # Without secure_delete, VACUUM and the checkpoint, a deleted row stays in the file:
    # the test above would fail for a forget that merely ran DELETE.
    conn = sqlite3.connect(planted)
    conn.execute("PRAGMA secure_delete = OFF")
    conn.execute("DELETE FROM touchpoint_person WHERE person_id = 1")
    conn.execute("DELETE FROM person WHERE id = 1")
    conn.commit()
    conn.close()
    assert _found(planted, SENTINEL + "\x00") or _found(planted, SENTINEL)


@pytest.mark.sqlite_only("`kehu backup` copies the book file; a server book is backed up with pg_dump")
def test_forget_names_the_backups_that_still_hold_them(kehu, planted):
    kehu("backup")
    r = kehu("person", "forget", "华为", "李娜")
    assert r.stderr.splitlines()[-1] == (
        f"Note: 1 earlier backups in {planted.parent / 'backups'} still hold their details; delete them if you must.")


# ---------------------------------------------------------------- permissions


def test_everything_kehu_creates_is_owner_only_under_umask_022(kehu, tmp_path, monkeypatch, umask022):
    app_dir = tmp_path / "xdg"  # XDG_CONFIG_HOME (conftest): where crash reports go
    book = tmp_path / "data" / "kehu.db"
    monkeypatch.setenv("KEHU_DB", str(book))
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--private", SENTINEL)
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--next", "回电", "--next-due", "+1d")
    kehu("backup")
    kehu("export", "--out", str(tmp_path / "data" / "export"))
    kehu("export", "--table", "people", "--out", str(tmp_path / "data" / "people.csv"))
    kehu("remind", "--ics", str(tmp_path / "data" / "k.ics"))
    # an upgrade with its automatic backup
    old = tmp_path / "data" / "old" / "kehu.db"
    old.parent.mkdir(mode=0o700)
    old.write_bytes((FIXTURES / "v1.db").read_bytes())
    old.chmod(0o600)
    kehu("--db", str(old), "list")
    # a crash report
    from kehu.store import customers

    monkeypatch.setattr(customers, "history", lambda *a: 1 / 0)
    kehu("history", "华为", code=70)
    # keep a reader open so -wal and -shm exist while we look
    conn = sqlite3.connect(book)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM customer").fetchone()
    kehu("add", "中兴")
    made = [p for root in (tmp_path / "data", app_dir) for p in root.rglob("*")]
    files = [p for p in made if p.is_file()]
    assert {p.name for p in files} >= {"kehu.db", "kehu.db-wal", "kehu.db-shm", "customers.csv", "people.csv",
                                       "k.ics"}
    assert any(p.parent.name == "backups" for p in files) and any(p.parent.name == "crash" for p in files)
    loose = [f"{p} {stat.S_IMODE(p.stat().st_mode):04o}" for p in files if stat.S_IMODE(p.stat().st_mode) != 0o600]
    assert loose == []
    conn.close()
    dirs = [p for p in made if p.is_dir()] + [tmp_path / "data", app_dir]
    loose = [f"{p} {stat.S_IMODE(p.stat().st_mode):04o}" for p in dirs if stat.S_IMODE(p.stat().st_mode) != 0o700]
    assert loose == []


def test_forget_with_a_reader_in_the_way_says_how_to_finish_the_wipe(kehu, planted, monkeypatch):
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT_MS", "300")
    before = _storage(planted)
    with open_reader(planted, "person"):  # no checkpoint past its snapshot, no rewrite under its lock
        r = kehu("person", "forget", "华为", "张伟", code=75)
    assert r.stderr.startswith("kehu: Deleted, but the book's files are not wiped yet (")
    assert "`kehu doctor --scrub`" in r.stderr and r.stderr.count("\n") == 1
    assert [p["name"] for p in kehu.json("show", "华为")["people"]] == ["李娜"]  # the deletion stands
    kehu("doctor", "--scrub")
    assert _wiped(planted, before)


def test_forget_on_a_full_disk_is_74_and_the_wipe_can_be_finished(kehu, tmp_path):
    from test_book_care import _fill, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "small", "4m") as disk:  # (room for VACUUM: the search index about doubles this book)
        book = disk / "kehu.db"
        kehu("--db", str(book), "add", "华为", "--note", "年度框架" * 900)
        kehu("--db", str(book), "person", "add", "华为", "张伟", "--private", SENTINEL)
        for i in range(30):
            kehu("--db", str(book), "touch", "华为", "--kind", "daily", "--note", f"{i}" + "记录" * 1500)
        _fill(disk)
        filler = disk / "filler"
        os.truncate(filler, max(0, filler.stat().st_size - 96 * 1024))  # room for the delete, not the VACUUM
        r = kehu("--db", str(book), "person", "forget", "华为", "张伟", code=74)
        assert r.stderr.startswith("kehu: Deleted, but the book's files are not wiped yet (")
        (disk / "filler").unlink()
        kehu("--db", str(book), "doctor", "--scrub")
        assert _found(book, SENTINEL) == []


def test_ctrl_c_during_the_commit_of_forget_still_wipes(kehu, planted, monkeypatch):
    import signal

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def interrupt(session):
        os.kill(os.getpid(), signal.SIGINT)  # arrives while kehu holds Ctrl-C around COMMIT

    before = _storage(planted)
    event.listen(Session, "after_commit", interrupt)
    try:
        r = kehu("person", "forget", "华为", "张伟", code=130)
    finally:
        event.remove(Session, "after_commit", interrupt)
    assert r.stderr == "kehu: Interrupted after the change was saved.\n"
    assert _wiped(planted, before)


@pytest.mark.sqlite_only("copy_book copies the book file; a server book has none")
def test_a_backup_never_replaces_a_file_that_appears_meanwhile(kehu, planted, tmp_path):
    from kehu.book import sqlite
    from kehu.errors import Refused

    dest = tmp_path / "taken.db"
    dest.write_bytes(b"someone else's file")
    with pytest.raises(Refused):
        sqlite.copy_book(planted, dest)  # the existence check in `kehu backup` came too early
    assert dest.read_bytes() == b"someone else's file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kehu-")] == []

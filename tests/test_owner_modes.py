"""The book obeys its owner's file modes: kehu only ever takes permissions away.

kehu keeps a book owner-only by clearing the group and other bits after each command.
It once did that with chmod 0600, which also gave the owner back a write bit they had
taken away themselves: a book made read-only with `chmod 444` became writable after the
next `kehu list`, and the next `kehu add` wrote it (docs/exit-codes.md promises 77).
These cases hold for root too, whom the system never refuses: kehu reads the owner's
write bit itself.
"""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
import _other_user as other_user
from _other_user import as_other_user

pytestmark = pytest.mark.sqlite_only("file modes of the book file; a server book has no file")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def book(kehu, isolated_book):
    kehu("add", "华为")
    return isolated_book


@pytest.mark.parametrize("made", [0o444, 0o400, 0o440, 0o404])
def test_a_book_its_owner_made_read_only_stays_read_only(kehu, book, made):
    book.chmod(made)
    before = sha(book)
    assert [c["name"] for c in kehu.json("list")] == ["华为"]  # reading still works
    assert mode(book) == made & 0o700  # group and other bits cleared, no write bit given
    r = kehu("add", "中兴", code=77)
    assert r.stderr == f"kehu: The book {book} is read-only; check its file permissions.\n"
    kehu("touch", "华为", "--kind", "daily", code=77)
    assert mode(book) == 0o400 and sha(book) == before
    book.chmod(0o600)  # the owner gives it back: kehu writes again
    kehu("add", "中兴")
    assert [c["name"] for c in kehu.json("list")] == ["华为", "中兴"]


@pytest.mark.parametrize(("made", "kept"), [(0o644, 0o600), (0o666, 0o600), (0o640, 0o600), (0o700, 0o700),
                                             (0o604, 0o600), (0o744, 0o700)])
def test_loose_modes_are_tightened_by_clearing_bits(kehu, book, made, kept):
    book.chmod(made)
    kehu("list")
    assert mode(book) == kept


def test_wal_and_shm_are_tightened_the_same_way(kehu, book):
    reader = sqlite3.connect(book)  # an open connection keeps the -wal and -shm in place
    try:
        reader.execute("SELECT count(*) FROM customer").fetchall()
        extras = [Path(f"{book}{x}") for x in ("-wal", "-shm")]
        for p in extras:
            p.chmod(0o644)
        kehu("list")
        assert [mode(p) for p in extras] == [0o600, 0o600]
    finally:
        reader.close()


def test_doctor_scrub_and_restore_refuse_a_book_made_read_only(kehu, book, tmp_path):
    kehu("backup", str(tmp_path / "copy.db"))
    book.chmod(0o444)
    before = sha(book)
    assert "read-only" in kehu("doctor", "--scrub", code=77).stderr
    assert "read-only" in kehu("restore", str(tmp_path / "copy.db"), code=77).stderr
    assert sha(book) == before and mode(book) & 0o222 == 0


@other_user.needed()
def test_the_same_as_a_non_root_owner():
    # Root ignores file modes: the defect slipped through because the suite ran as root.
    # Here the book belongs to uid 65534 and kehu runs as that user, in a folder open to it.
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kehu-owner-"))
    try:
        for parent in folder.parents:
            if not parent.stat().st_mode & 0o001:
                pytest.skip(f"LOUD: {parent} is closed to other users, so no other user can run kehu here")
        folder.chmod(0o755)
        os.chown(folder, 65534, 65534)
        book = folder / "kehu.db"
        env = {**os.environ, "KEHU_LANG": "en", "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "xdg")}
        env.pop("KEHU_DB", None)

        def kehu(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(as_other_user([sys.executable, "-m", "kehu", "--db", str(book), *args]),
                                  capture_output=True, text=True, timeout=60, env=env)

        assert kehu("add", "华为").returncode == 0
        assert book.stat().st_uid == 65534
        book.chmod(0o444)
        before = sha(book)
        r = kehu("list")
        assert r.returncode == 0 and "华为" in r.stdout
        assert mode(book) == 0o400  # group and other cleared; the owner's write bit not given back
        r = kehu("add", "中兴")
        assert r.returncode == 77, r.stderr
        assert r.stderr == f"kehu: The book {book} is read-only; check its file permissions.\n"
        assert sha(book) == before and mode(book) == 0o400
    finally:
        shutil.rmtree(folder, ignore_errors=True)

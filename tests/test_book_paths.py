"""A --db that is not a regular file, or one the user may not reach: refused with one
line in the user's language and a documented code, before SQLite (or kehu) opens it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import _other_user as other_user
from _other_user import as_other_user

pytestmark = pytest.mark.sqlite_only("--db paths are about a book file")


def run(*args: str, env_extra: dict | None = None, user: str | None = None,
        timeout: float = 30) -> subprocess.CompletedProcess:
    """kehu in a process of its own with a timeout: a FIFO that blocks must fail the test,
    not hang the suite."""
    env = {**os.environ, "KEHU_LANG": "en", **(env_extra or {})}
    env.pop("KEHU_DB", None)
    cmd = [sys.executable, "-m", "kehu", *args]
    if user is not None:
        cmd = as_other_user(cmd)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for args in (("list",), ("add", "X"), ("doctor",), ("backup",)):
        r = run("--db", str(fifo), *args, timeout=20)
        assert r.returncode == 66, (args, r.stderr)
        assert r.stderr == f"kehu: {fifo} is not a regular file (a pipe, a device or a socket) and cannot be a " \
                           "book. Check the --db path.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]


def test_dev_null_gets_nothing_created_beside_it(kehu, tmp_path):
    before = set(os.listdir("/dev"))
    for args in (("list",), ("add", "X"), ("remind",)):
        r = kehu("--db", "/dev/null", *args, code=66)
        assert r.stderr.startswith("kehu: /dev/null is not a regular file")
    assert set(os.listdir("/dev")) - before == set()
    assert not Path("/dev/null-journal").exists() or "null-journal" in before


@pytest.mark.parametrize("lang, says", [
    ("en", "is a folder, not a book file. Point --db at a file."),
    ("zh", "是一个文件夹，不是账本文件。请用 --db 指定文件。"),
])
def test_a_folder_is_refused_in_the_users_language(kehu, tmp_path, lang, says):
    folder = tmp_path / "books"
    folder.mkdir()
    for args in (("list",), ("add", "X"), ("doctor",), ("backup",), ("restore", str(tmp_path / "x.db"))):
        r = kehu("--lang", lang, "--db", str(folder), *args, code=66)
        assert r.stderr == f"kehu: {folder} {says}\n" if lang == "en" else r.stderr == f"kehu: {folder} {says}\n"
    assert list(folder.iterdir()) == []


@other_user.needed()
@pytest.mark.parametrize("lang, says", [
    ("en", "You may not use the book {path}: it, or a folder on its path, is not open to you."),
    ("zh", "无权访问账本 {path}：它或它所在的文件夹不允许你读取。请检查权限。"),
])
def test_a_book_the_user_may_not_reach_is_77_in_their_language(kehu, lang, says):
    import tempfile

    # pytest's own tmp folders are root's alone: this one is open to others, but for the
    # two things inside it that are not.
    tmp_path = Path(tempfile.mkdtemp(prefix="kehu-perm-"))
    tmp_path.chmod(0o755)
    try:
        _no_reach(kehu, tmp_path, lang, says)
    finally:
        shutil.rmtree(tmp_path)


def _no_reach(kehu, tmp_path: Path, lang: str, says: str) -> None:
    for folder in tmp_path.parents:
        if (folder.stat().st_mode & 0o001) == 0:
            pytest.skip(f"{folder} is closed to other users")
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    kehu("--db", str(closed / "kehu.db"), "add", "华为")
    owned = tmp_path / "owned.db"
    shutil.copyfile(closed / "kehu.db", owned)
    owned.chmod(0o600)
    for book in (closed / "kehu.db", owned):
        # (`kehu doctor` on a book it may reach but not read lists that as a finding, exit 1)
        for args in (("list",), ("add", "X"), *([("doctor",)] if book.parent == closed else [])):
            r = run("--lang", lang, "--db", str(book), *args, user="65534")
            assert r.returncode == 77, (book, args, r.stderr)
            assert r.stderr.startswith("kehu: " + says.format(path=book)), r.stderr
            if lang == "zh":
                assert not any("a" <= ch.lower() <= "z" for ch in r.stderr.replace(str(book), "")
                               .replace("kehu", "")), r.stderr


def test_restore_from_a_pipe_or_a_folder_says_what_it_is(kehu, tmp_path, isolated_book):
    kehu("add", "华为")
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for src in (fifo, tmp_path, Path("/dev/null")):
        r = kehu("restore", str(src), code=66)
        assert r.stderr == f"kehu: {src} is not a regular file (a folder, a pipe or a device): kehu restore " \
                           "takes a backup file.\n"
    r = kehu("--lang", "zh", "restore", str(fifo), code=66)
    assert r.stderr == f"kehu: {fifo} 不是普通文件（而是文件夹、管道或设备）：kehu restore 需要一个备份文件。\n"

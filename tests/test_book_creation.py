"""Which commands create a missing book, and that each says so (README, docs/commands.md).

A book made silently at a mistyped --db or KEHU_DB would collect a salesperson's work
where they will never look for it: `kehu add`, `kehu import` and `kehu config set` create
a missing book and name it on stderr; every other command exits 66 and makes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only("whether a book file is created at a path")


@pytest.fixture
def csv_file(tmp_path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text("name,industry\nACME,制造\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lang, line", [("en", "Created a new account book: {}\n"), ("zh", "已新建账本：{}\n")])
def test_import_creates_a_missing_book_and_says_where(kehu, tmp_path, csv_file, lang, line):
    book = tmp_path / "mistyped" / "kehu.db"
    r = kehu("--lang", lang, "--db", str(book), "import", str(csv_file))
    assert r.stderr.splitlines(keepends=True)[0] == line.format(book)
    assert book.is_file()
    assert [c["name"] for c in kehu.json("--db", str(book), "list")] == ["ACME"]


def test_a_second_import_says_nothing_about_creating(kehu, tmp_path, csv_file):
    book = tmp_path / "b" / "kehu.db"
    kehu("--db", str(book), "import", str(csv_file))
    r = kehu("--db", str(book), "import", str(csv_file))
    assert "Created" not in r.stderr


def test_a_dry_run_import_creates_nothing_and_says_nothing(kehu, tmp_path, csv_file):
    book = tmp_path / "dry" / "kehu.db"
    r = kehu("--db", str(book), "import", "--dry-run", str(csv_file))
    assert "Created" not in r.stderr and "dry run" in r.stderr
    assert not book.exists() and not book.parent.exists()


def test_import_json_keeps_the_notice_off_stdout(kehu, tmp_path, csv_file):
    book = tmp_path / "j" / "kehu.db"
    r = kehu("--db", str(book), "import", "--json", str(csv_file))
    assert json.loads(r.stdout)["written"] is True
    assert r.stderr.startswith(f"Created a new account book: {book}\n")


@pytest.mark.parametrize("args", [("list",), ("remind",), ("show", "ACME"), ("export", "--table", "customers")])
def test_other_commands_create_nothing(kehu, tmp_path, args):
    book = tmp_path / "none" / "kehu.db"
    kehu("--db", str(book), *args, code=66)
    assert not book.parent.exists()

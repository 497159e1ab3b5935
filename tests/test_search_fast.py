"""`kehu search` on a book file runs straight on the driver's connection
(``book.read_sql``): it loads no SQLAlchemy at all, refuses what every reading command
refuses, upgrades an older book first, and can write nothing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from _books import FIXTURES, query

from kehu import migrations
from kehu.book import sqlite as file_book
from kehu.book.common import LATEST_SCHEMA, Invocation
from kehu.errors import KehuError, NoPermission

pytestmark = [pytest.mark.today("2026-11-23"), pytest.mark.sqlite_only("the driver's path is a book file's")]

RUN = """
import sys
sys.argv = ["kehu", *sys.argv[1:]]
from kehu.entry import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("LOADED", sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "sqlmodel", "pydantic"}))
"""


def test_the_version_a_reader_checks_is_the_latest_step():
    assert LATEST_SCHEMA == migrations.LATEST


def test_a_search_of_a_book_file_loads_no_sqlalchemy(kehu, isolated_book):
    kehu("add", "华东电网信息中心")
    kehu("touch", "华东电网", "--note", "讨论明年预算")
    r = subprocess.run([sys.executable, "-c", RUN, "search", "预算", "--json"], env=os.environ.copy(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    data, loaded = r.stdout.split("LOADED")
    assert [(h["kind"], h["customer"]["name"]) for h in json.loads(data)] == [("touchpoint", "华东电网信息中心")]
    assert loaded.strip() == "[]", loaded


def test_the_same_search_with_customer_goes_the_usual_way(kehu, isolated_book):
    """--customer resolves the name with the customers' use cases (a session): the
    answer is the same set, narrowed to that customer."""
    kehu("add", "华东电网信息中心")
    kehu("add", "南方电网")
    kehu("touch", "华东电网", "--note", "讨论明年预算")
    kehu("touch", "南方电网", "--note", "预算冻结")
    everything = kehu.json("search", "预算")
    one = kehu.json("search", "预算", "--customer", "南方电网")
    assert {h["customer"]["name"] for h in everything} == {"华东电网信息中心", "南方电网"}
    assert [h for h in everything if h["customer"]["name"] == "南方电网"] == one


def test_an_older_book_is_upgraded_before_it_is_searched(kehu, isolated_book):
    isolated_book.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / "v9.db", isolated_book)
    (name,) = query(isolated_book, "SELECT name FROM customer ORDER BY id LIMIT 1")[0]
    found = kehu.json("search", name)
    assert name in {h["customer"]["name"] for h in found}
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key = 'schema_version'") == [
        (str(migrations.LATEST),)]


@pytest.mark.parametrize("content, code, says", [
    (None, 66, "no account book at"),  # nothing there
    (b"", 66, "no account book at"),  # an empty file is no book, and a search must not fill it
    (b"not a database at all " * 10, 65, "is not a kehu account book"),
])
def test_a_search_refuses_what_every_reading_command_refuses(kehu, isolated_book, content, code, says):
    if content is not None:
        isolated_book.parent.mkdir(parents=True, exist_ok=True)
        isolated_book.write_bytes(content)
    r = kehu("search", "预算", code=code)
    assert r.stdout == "" and r.stderr.count("\n") == 1 and says in r.stderr.lower(), r.stderr
    if content is None:
        assert not isolated_book.exists()
    else:
        assert isolated_book.read_bytes() == content


def test_the_driver_path_writes_nothing_even_by_mistake(kehu, isolated_book):
    kehu("add", "华东电网信息中心")
    with pytest.raises(KehuError) as caught:
        with file_book.driver_reading(isolated_book, Invocation()) as con:
            assert isinstance(con, sqlite3.Connection)
            con.execute("DELETE FROM customer")
    assert isinstance(caught.value, NoPermission)
    assert query(isolated_book, "SELECT name FROM customer") == [("华东电网信息中心",)]

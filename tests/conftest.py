"""Every test runs against a book of its own, in English, piped output.

The backend comes from the environment, so the whole suite runs on either:

    pytest                                              # SQLite: a book file in tmp_path
    KEHU_TEST_BACKEND=postgresql KEHU_TEST_PG_URL=postgresql://kehu@127.0.0.1:54329/kehu_test pytest

On PostgreSQL each test gets a schema of its own in that database (KEHU_DB carries it
as the connection's search_path), dropped afterwards. A test about the book *file*
(permissions, backups, kill -9 of SQLite, the fixture books) is marked
``sqlite_only("why")``, a test that needs a server ``postgresql_only("why")``; the
other backend's run skips it and prints that reason. A mark without a reason is an error.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
import typer.testing
from typer.testing import CliRunner

from kehu.cli import app

BACKEND = os.environ.get("KEHU_TEST_BACKEND", "sqlite")
if BACKEND not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"KEHU_TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
PG_URL = os.environ.get("KEHU_TEST_PG_URL", "")
if BACKEND == "postgresql" and not PG_URL:
    raise pytest.UsageError("KEHU_TEST_BACKEND=postgresql needs KEHU_TEST_PG_URL (a database the tests may fill)")
_schemas = itertools.count(1)

# KEHU_TEST_CLOCK_SHIFT_DAYS=365: the whole run, children included, a year ahead.
pytest_plugins = ["_clockshift"]


def pytest_configure(config: pytest.Config) -> None:
    # Ctrl-C as at a terminal, even when pytest runs as a background job of a script
    # (which starts with SIGINT ignored, and kehu rightly keeps it ignored then): the
    # Ctrl-C tests, in this process and in the kehu processes it starts, need it live.
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    config.addinivalue_line("markers", "sqlite_only(reason): a test of the SQLite book file; skipped on PostgreSQL")
    config.addinivalue_line("markers", "postgresql_only(reason): a test that needs a server; skipped on SQLite")
    config.addinivalue_line("markers", "own_database(reason): on PostgreSQL the book is a database of its own, "
                                       "not a schema of the shared test database")
    config.addinivalue_line("markers", "today(day): KEHU_TODAY for every command of the test (its dates are around it)")


def pytest_report_header(config: pytest.Config) -> str:
    return f"kehu backend: {BACKEND}"


# Test modules that never open a book (pure rules, the CSV parser and its fuzzing, dates,
# money, message catalogs, the layout, the docs): the PostgreSQL pass leaves them out,
# since there they would run the same code again and prove nothing about the server. On
# SQLite each of their tests is checked to leave no book behind, so the list cannot lie.
NO_BOOK_MODULES = frozenset({"test_dates", "test_layout", "test_messages", "test_money", "test_imports_render_csvio",
                             "test_csv_fuzz", "test_docs_commands"})


def never_opens_a_book(item: pytest.Item) -> bool:
    module = item.module.__name__.rpartition(".")[2] if getattr(item, "module", None) else ""
    return module in NO_BOOK_MODULES or module.startswith("test_rules_")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if BACKEND == "postgresql":
        left_out = [item for item in items if never_opens_a_book(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not never_opens_a_book(item)]
    other = "postgresql_only" if BACKEND == "sqlite" else "sqlite_only"
    for item in items:
        for name in ("sqlite_only", "postgresql_only", "own_database"):
            mark = item.get_closest_marker(name)
            if mark is not None and not (mark.args and str(mark.args[0]).strip()):
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs a reason")
        mark = item.get_closest_marker(other)
        if mark is not None:
            item.add_marker(pytest.mark.skip(reason=f"{other}: {mark.args[0]}"))


@pytest.fixture(scope="session")
def pg_admin():
    """One autocommit connection to the test database, to make and drop schemas."""
    import psycopg

    conn = psycopg.connect(PG_URL, autocommit=True)
    yield conn
    conn.close()


class ServerBook(str):
    """The test's server book: its URL, and like a book file's Path it can say whether
    kehu has created a book there yet (``exists()``), so a test of "this command creates
    no book" reads the same on both backends."""

    def exists(self) -> bool:
        from _books import query

        return bool(query(self, "SELECT 1 FROM information_schema.tables "
                                "WHERE table_schema = current_schema() AND table_name = 'kehu_meta'"))


def pg_book_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(autouse=True)
def isolated_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """No test can touch a real book: KEHU_DB points into tmp_path (or a schema of the
    test's own on the test server), the app dir too. Returns the book's path or URL."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEHU_LANG", "en")
    for var in ("KEHU_TTY", "KEHU_TODAY", "KEHU_DEBUG", "KEHU_USER", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    today = request.node.get_closest_marker("today")
    if today is not None:  # `pytestmark = pytest.mark.today("2026-11-23")`: every command of the module on that day
        (day,) = today.args
        monkeypatch.setenv("KEHU_TODAY", day)
    if BACKEND == "sqlite" or request.node.get_closest_marker("sqlite_only"):
        book = tmp_path / "book" / "kehu.db"
        monkeypatch.setenv("KEHU_DB", str(book))
        yield book
        if never_opens_a_book(request.node):
            assert not book.parent.exists(), f"{request.node.nodeid} opened a book: take its module off NO_BOOK_MODULES"
        return
    admin = request.getfixturevalue("pg_admin")
    if request.node.get_closest_marker("own_database"):
        yield from _own_database(admin, monkeypatch)
        return
    schema = f"t{os.getpid()}_{next(_schemas)}"
    admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.execute(f"CREATE SCHEMA {schema}")
    url = ServerBook(pg_book_url(schema))
    monkeypatch.setenv("KEHU_DB", url)
    try:
        yield url
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _own_database(admin, monkeypatch: pytest.MonkeyPatch):
    """A database of the test's own, dropped afterwards. For a test of what belongs to a
    database rather than a schema: the extension pg_trgm lives in the schema of the book
    that created it first, and dropping that book's schema drops it, so in the shared
    test database its place changes as the other test process makes and drops books."""
    from urllib.parse import urlsplit, urlunsplit

    name = f"own_{os.getpid()}_{next(_schemas)}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    url = ServerBook(urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}")))
    monkeypatch.setenv("KEHU_DB", url)
    try:
        yield url
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _build_once():
    """typer's CliRunner.invoke rebuilds the whole click command tree from the app's
    signatures on every call. The tree built once per test session (the same KehuGroup,
    the error boundary included) runs every command the `kehu` fixture types; tests that
    are about building the tree (tests/test_startup.py) call CliRunner themselves."""
    assert callable(getattr(typer.testing, "_get_command", None)), "typer.testing no longer builds through _get_command"
    real = typer.testing._get_command
    built = real(app)
    return lambda target: built if target is app else real(target)


BUILT_ONCE = _build_once()


class Kehu:
    """Run kehu in-process the way a user types it; returns the click Result."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0, env: dict | None = None):
        with mock.patch.object(typer.testing, "_get_command", BUILT_ONCE):
            result = self.runner.invoke(app, list(args), env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert result.exit_code == code, (
                f"kehu {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result

    def json(self, *args: str, env: dict | None = None):
        return json.loads(self(*args, "--json", env=env).stdout)


@pytest.fixture
def kehu() -> Kehu:
    return Kehu()


@pytest.fixture
def umask022():
    """The usual umask, under which files are world-readable unless kehu sees to it."""
    import os

    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)

"""A book on a PostgreSQL server: opened, created, upgraded, locked and reported like a file.

These run only in the PostgreSQL pass of the suite (they need a server); everything
else in the suite runs there too, against a schema of its own.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from _books import engine_for, query
from conftest import PG_URL, pg_book_url

pytestmark = pytest.mark.postgresql_only("needs a PostgreSQL server (the suite's PostgreSQL pass runs it)")

SECRET = "Pw-0f-the-Team-7731"


def with_password(url: str, password: str = SECRET) -> str:
    """The test URL with a password in it (the test server trusts everyone: it is ignored)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{password}@{host}"


def other_database(url: str, name: str) -> str:
    base, _, query_part = url.partition("?")
    return base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query_part}" if query_part else "")


# ---------------------------------------------------------------- opening and creating


def test_a_reading_command_on_an_empty_database_creates_nothing(kehu, isolated_book):
    r = kehu("list", code=66)
    assert r.stderr.startswith("kehu: The database 127.0.0.1:") and "holds no kehu book yet" in r.stderr
    assert r.stderr.count("\n") == 1
    assert not isolated_book.exists()
    assert query(isolated_book, "SELECT count(*) FROM information_schema.tables "
                                "WHERE table_schema = current_schema()") == [(0,)]


def test_add_creates_the_book_and_names_the_server_not_the_url(kehu, isolated_book):
    r = kehu("add", "华为", "--value", "1200万")
    host_db = PG_URL.split("@", 1)[1].split("?")[0]
    assert f"Created a new account book: {host_db}" in r.stderr
    assert "postgresql://" not in r.stderr + r.stdout
    assert isolated_book.exists()
    assert kehu.json("list")[0]["name"] == "华为"


def test_the_same_steps_make_the_same_schema_as_on_sqlite(kehu, isolated_book, tmp_path):
    """Tables, columns, primary keys, indexes, unique constraints and foreign keys of a
    new server book are those of a new book file (types aside: each backend names its own)."""
    from sqlalchemy import create_engine, inspect

    kehu("add", "华为")
    file_book = tmp_path / "file" / "kehu.db"
    kehu("--db", str(file_book), "add", "华为")

    def shape(engine) -> dict:
        insp = inspect(engine)
        return {
            t: (
                sorted(c["name"] for c in insp.get_columns(t)),
                insp.get_pk_constraint(t)["constrained_columns"],
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(t)
                       if not i["name"].startswith(("sqlite_", "ix_search_"))),
                sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
                sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(t)),
            )
            # The search index is each backend's own (docs/design.md, "Search"): FTS5
            # tables on SQLite, pg_trgm indexes (ix_search_*) on a server.
            for t in sorted(insp.get_table_names()) if not t.startswith("search_")
        }

    server_engine, file_engine = engine_for(isolated_book), create_engine(f"sqlite:///{file_book}")
    try:
        server_shape, file_shape = shape(server_engine), shape(file_engine)
    finally:
        server_engine.dispose()
        file_engine.dispose()
    # SQLite reports a UNIQUE column as an index named sqlite_autoindex_*, PostgreSQL as a
    # constraint with an index of its own: compare the unique column sets, not their vehicle.
    for tables in (server_shape, file_shape):
        for t, (cols, pk, indexes, uniques, fks) in tables.items():
            implied = {cols_ for _, cols_, unique in indexes if unique}
            tables[t] = (cols, pk, [i for i in indexes if not i[2]], sorted(set(uniques) | implied), fks)
    assert server_shape == file_shape


def test_money_and_values_are_64_bit_on_the_server(kehu):
    kehu("add", "国家电网", "--value", "9000000000")  # 9 billion yuan: 9e11 cents
    kehu("contract", "add", "国家电网", "特高压", "--amount", "30000000000")
    shown = kehu.json("show", "国家电网")
    assert shown["value"] == "9000000000.00"


def test_a_schema_holding_other_tables_is_not_taken_over(kehu, isolated_book):
    engine = engine_for(isolated_book)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (id integer primary key)")
    engine.dispose()
    r = kehu("add", "华为", code=65)
    assert "is not a kehu account book (its schema holds other tables)" in r.stderr
    assert query(isolated_book, "SELECT count(*) FROM information_schema.tables "
                                "WHERE table_schema = current_schema()") == [(1,)]


def test_a_newer_schema_is_refused_with_78(kehu, isolated_book):
    kehu("add", "华为")
    engine = engine_for(isolated_book)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE kehu_meta SET value = '999' WHERE key = 'schema_version'")
    engine.dispose()
    r = kehu("list", code=78)
    assert "schema version 999, newer than this kehu's" in r.stderr


def test_an_older_server_schema_is_upgraded_in_place(kehu, isolated_book):
    """Steps 1-4 as an older kehu ran them, a customer with an owner; the next command
    runs step 5 on the server: owner key and clocks filled, value widened to BIGINT."""
    from sqlalchemy import text

    from kehu import migrations

    engine = engine_for(isolated_book)
    with engine.begin() as conn:
        for number, _name, step in migrations.STEPS[:4]:
            step(conn)
            conn.execute(text("UPDATE kehu_meta SET value = :v WHERE key = 'schema_version'"), {"v": str(number)})
        conn.exec_driver_sql(
            "INSERT INTO customer (name, name_key, owner, stage, value_cents, created_at, updated_at) VALUES "
            "('华为', '华为', 'Li Wei', 'stranger', 100, now(), now()), "
            "('中兴', '中兴', NULL, 'stranger', NULL, now(), now())")
        conn.exec_driver_sql(
            "INSERT INTO touchpoint (customer_id, day, kind, created_at) "
            "SELECT id, DATE '2026-10-01', 'daily', now() FROM customer WHERE name = '华为'")
    engine.dispose()
    r = kehu("list", "--json", env={"KEHU_TODAY": "2026-11-20"})
    assert "Upgrading the schema of the server book" in r.stderr and f"(4 → {migrations.LATEST})" in r.stderr
    assert [c["name"] for c in json.loads(r.stdout)] == ["华为", "中兴"]
    assert query(isolated_book, "SELECT name, owner_key, claimed_on, owner_touched_on FROM customer ORDER BY id") == [
        ("华为", "li wei", __import__("datetime").date(2026, 11, 20), __import__("datetime").date(2026, 10, 1)),
        ("中兴", None, None, None),
    ]
    assert query(isolated_book, "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                                "current_schema() AND table_name = 'customer' AND column_name = 'value_cents'") \
        == [("bigint",)]
    assert query(isolated_book, "SELECT value FROM kehu_meta WHERE key = 'schema_version'") \
        == [(str(migrations.LATEST),)]


def test_ids_imported_from_a_file_do_not_collide_with_the_next_add(kehu, isolated_book, tmp_path):
    """A CSV import writes ids kehu chose; the server's id sequence is moved past them."""
    data = tmp_path / "c.csv"
    data.write_text("name\n腾讯\n阿里\n百度\n", encoding="utf-8")
    kehu("import", str(data))
    r = kehu("add", "京东")
    assert "#4 京东" in r.stderr
    kehu("person", "add", "京东", "刘")
    assert [c["id"] for c in kehu.json("list")] == [1, 2, 3, 4]


# ---------------------------------------------------------------- the server's own troubles


def test_backup_and_restore_point_at_the_servers_tools(kehu, tmp_path):
    kehu("add", "华为")
    for args in (["backup"], ["restore", str(tmp_path / "x.db")]):
        r = kehu(*args, code=2)
        assert "back up and restore a server book with the server's own tools (pg_dump, pg_restore)" in r.stderr


def test_a_missing_database_is_66_with_the_createdb_hint(kehu):
    url = other_database(with_password(PG_URL), "no_such_kehu_db")
    r = kehu("--db", url, "list", code=66)
    assert "There is no database no_such_kehu_db on 127.0.0.1:" in r.stderr and "createdb no_such_kehu_db" in r.stderr
    assert SECRET not in r.stderr + r.stdout


def test_an_unreachable_server_is_75_and_names_no_password(kehu):
    url = with_password("postgresql://kehu@127.0.0.1:9/kehu_test")  # port 9: nothing listens
    r = kehu("--db", url, "add", "华为", code=75)
    assert r.stderr.startswith("kehu: Cannot reach the server 127.0.0.1:9/kehu_test (")
    assert r.stderr.count("\n") == 1
    assert SECRET not in r.stderr + r.stdout


def test_a_bad_url_is_a_usage_error_that_does_not_echo_it(kehu):
    r = kehu("--db", f"postgresql://kehu:{SECRET}@127.0.0.1:notaport/x", "list", code=2)
    assert "is not a valid database URL" in r.stderr
    assert SECRET not in r.stderr


@pytest.mark.parametrize("message, key", [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication '
     'failed for user "li"', "server_denied"),
    ("connection failed: fe_sendauth: no password supplied", "server_denied"),
    ('permission denied for table customer', "server_no_rights"),
])
def test_refused_logins_and_rights_are_one_line_without_the_password(message, key):
    import psycopg
    from sqlalchemy.exc import OperationalError

    from kehu.book import postgres
    from kehu.i18n import message as say

    url = postgres.parse(with_password("postgresql://li@10.0.0.5:5432/team"))
    kind = psycopg.errors.InsufficientPrivilege if key == "server_no_rights" else psycopg.OperationalError
    orig = kind(message + f" (password={SECRET})")
    mapped = postgres.translate(OperationalError("SELECT 1", {}, orig), url)
    assert mapped.key == key
    line = say(mapped.key, "en", **mapped.params)
    assert SECRET not in line and "\n" not in line
    assert "10.0.0.5:5432/team" in line


def test_help_and_crash_reports_never_show_the_url(kehu, monkeypatch, tmp_path):
    secret_url = with_password(os.environ["KEHU_DB"])
    monkeypatch.setenv("KEHU_DB", secret_url)
    for args in (["--help"], ["list", "--help"], ["add", "--help"]):
        assert SECRET not in kehu(*args).stdout
    kehu("add", "华为")
    from kehu.store import customers

    def boom(*a, **k):
        raise RuntimeError(f"kaboom {secret_url}")

    monkeypatch.setattr(customers, "list_customers", boom)
    r = kehu("list", code=70)
    assert SECRET not in r.stderr
    reports = list((tmp_path / "xdg" / "kehu" / "crash").glob("*.txt"))
    assert len(reports) == 1
    assert SECRET not in reports[0].read_text(encoding="utf-8")


def test_doctor_checks_the_server_schema_and_who_else_can_read(kehu, isolated_book):
    kehu("add", "华为")
    rows = [line.split("\t") for line in kehu("doctor").stdout.splitlines()[1:]]
    assert [(r[0], r[1]) for r in rows] == [("server", "ok"), ("schema", "ok"), ("search index", "ok"),
                                            ("privileges", "ok"), ("transport", "ok")]
    engine = engine_for(isolated_book)
    with engine.begin() as conn:
        conn.exec_driver_sql("GRANT SELECT ON person TO PUBLIC")
    engine.dispose()
    r = kehu("doctor", code=1)
    assert "privileges\tPROBLEM\tevery database user can reach these tables: person" in r.stdout


# ---------------------------------------------------------------- writers wait for each other


def test_a_writer_waits_for_the_lock_then_says_busy_in_one_line(kehu, isolated_book):
    from _books import writer_lock

    kehu("add", "华为")
    with writer_lock(isolated_book):  # another kehu in the middle of a write
        r = kehu("add", "中兴", code=75, env={"KEHU_BUSY_TIMEOUT_MS": "300"})
        assert r.stderr == "kehu: The book is locked by another kehu process; try again in a moment.\n"
        assert [c["name"] for c in kehu.json("list")] == ["华为"]  # readers are never blocked
    kehu("add", "中兴")
    assert [c["name"] for c in kehu.json("list")] == ["华为", "中兴"]


def test_books_in_two_schemas_of_one_database_do_not_wait_for_each_other(kehu, isolated_book, pg_admin):
    from _books import writer_lock

    pg_admin.execute("DROP SCHEMA IF EXISTS other_team CASCADE")
    pg_admin.execute("CREATE SCHEMA other_team")
    try:
        with writer_lock(isolated_book):
            r = kehu("--db", pg_book_url("other_team"), "add", "华为", env={"KEHU_BUSY_TIMEOUT_MS": "300"})
            assert "Added customer #1 华为" in r.stderr
    finally:
        pg_admin.execute("DROP SCHEMA other_team CASCADE")


def test_forgetting_a_person_on_the_server_leaves_no_row_holding_them(kehu, isolated_book):
    from _books import any_dump

    secret = "私密-女儿在北京读书-7731"
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--private", secret)
    kehu("person", "edit", "华为", "张伟", "--private", secret + "（已更新）")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--note", "见面")
    nodes = dict(query(isolated_book, "SELECT relname, relfilenode FROM pg_class "
                                      "WHERE relnamespace = CAST(current_schema() AS regnamespace)"))
    r = kehu("person", "forget", "华为", "张伟")
    after = dict(query(isolated_book, "SELECT relname, relfilenode FROM pg_class "
                                      "WHERE relnamespace = CAST(current_schema() AS regnamespace)"))
    # rewritten: dead rows (the edited-away private detail among them) are gone with the old files
    assert all(after[t] != nodes[t] for t in ("person", "touchpoint_person", "touchpoint", "event"))
    assert "rewritten on the server" in r.stderr and "beyond kehu's reach" in r.stderr
    assert secret not in repr(any_dump(isolated_book))
    assert "张伟" not in repr(any_dump(isolated_book, skip=("event",)))
    assert query(isolated_book, "SELECT note FROM touchpoint") == [("见面",)]  # the touch stays, nameless
    assert query(isolated_book, "SELECT count(*) FROM touchpoint_person") == [(0,)]
    kehu("doctor", "--scrub")  # the rewrite on its own runs again without complaint


def test_without_psycopg_a_server_url_says_what_to_install(kehu, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    r = kehu("list", code=78)
    assert r.stderr == "kehu: A server book needs psycopg 3: pip install 'kehu[postgresql]'\n"


@pytest.mark.parametrize("typo", ["postgresql:/kehu@127.0.0.1/x", "postgres:kehu@127.0.0.1/x",
                                  f"mysql://kehu:{SECRET}@127.0.0.1/x"])
def test_a_mistyped_url_is_refused_not_made_into_a_book_file(kehu, typo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = kehu("--db", typo, "add", "华为", code=2)
    assert "is not a valid database URL" in r.stderr and SECRET not in r.stderr
    assert list(tmp_path.iterdir()) == [p for p in tmp_path.iterdir() if p.name in ("xdg", "home", "book")]
    assert not (tmp_path / "postgresql:").exists() and not (tmp_path / "postgres:kehu@127.0.0.1").exists()


def test_a_host_that_does_not_resolve_is_75(kehu):
    r = kehu("--db", with_password("postgresql://kehu@no-such-host.invalid/kehu_team"), "list", code=75)
    assert r.stderr.startswith("kehu: Cannot reach the server no-such-host.invalid:5432/kehu_team (")
    assert SECRET not in r.stderr and r.stderr.count("\n") == 1


def test_an_unknown_role_is_77(kehu):
    url = PG_URL.replace("://kehu@", "://no_such_kehu_role@")
    r = kehu("--db", url, "list", code=77)
    assert "refused the login of no_such_kehu_role" in r.stderr


def test_forget_by_a_role_that_does_not_own_the_tables_says_the_wipe_is_unfinished(kehu, isolated_book, pg_admin):
    """PostgreSQL skips VACUUM FULL of another role's table with a mere warning: kehu must
    not claim a rewrite that did not happen."""
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--private", "secret")
    schema = str(isolated_book).rsplit("%3D", 1)[1]
    pg_admin.execute("DROP ROLE IF EXISTS kehu_test_wang")
    pg_admin.execute("CREATE ROLE kehu_test_wang LOGIN")
    try:
        pg_admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO kehu_test_wang")
        pg_admin.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO kehu_test_wang")
        pg_admin.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema} TO kehu_test_wang")
        wang = str(isolated_book).replace("://kehu@", "://kehu_test_wang@")
        r = kehu("--db", wang, "person", "forget", "华为", "张伟", code=77)
        assert "Deleted, but the book's files are not wiped yet" in r.stderr
        owned = "event, operation, person, touch_signal, touchpoint, touchpoint_person"
        assert f"this role does not own them: {owned}" in r.stderr
        assert query(isolated_book, "SELECT count(*) FROM person") == [(0,)]  # the deletion itself is saved
        kehu("doctor", "--scrub")  # the owner finishes the wipe
    finally:
        pg_admin.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM kehu_test_wang")
        pg_admin.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM kehu_test_wang")
        pg_admin.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM kehu_test_wang")
        pg_admin.execute("DROP ROLE kehu_test_wang")

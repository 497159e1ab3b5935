"""Schema step 3 (contracts, instalments, negotiation plans) on a book made by schema 2:
nothing is lost, the result equals a fresh book, and a failing step changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from _books import any_schema, execute, older_server_book, other_book, query
from conftest import BACKEND
from sqlalchemy import create_engine, text

from kehu import migrations

OLD_TABLES = ("kehu_meta", "setting", "customer", "person", "touchpoint", "touchpoint_person", "promise",
              "task_done", "event", "remind_seen")
NEW_TABLES = ("contract", "instalment", "negotiation_fact", "negotiation_issue", "negotiation_option")

# Long, multi-line, with quotes, a backslash, emoji and markup-like text: stored as typed.
LONG_NOTE = ("一期项目验收后，客户希望在明年 Q2 启动二期。\n"
             "注意：采购部李总对价格敏感，'不要'在电话里报价；\"书面\"为准。\\n 不是换行。🚀 [bold]ACME[/] ") * 40

T0 = "2025-06-01 04:00:00.000000"


def make_v2_book(path: Path) -> None:
    """A book exactly as schema 2 left it, with a spread of data (written as kehu 0.2 wrote it);
    on a server, the same schema and rows in the test's schema."""
    if BACKEND == "postgresql":
        older_server_book(path, 2)
        statements = []
        _v2_rows(lambda sql, row=(): statements.append(_named(sql, row)))
        execute(path, *statements)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.v0001_initial.upgrade(conn)
        migrations.v0002_followups.upgrade(conn)
        conn.execute(text("UPDATE kehu_meta SET value='2' WHERE key='schema_version'"))
        _v2_rows(conn.exec_driver_sql)
        conn.exec_driver_sql("PRAGMA application_id = 1801807989")
    engine.dispose()


def _named(sql: str, row: tuple) -> tuple[str, dict]:
    """A qmark statement as SQLAlchemy text with named parameters, for any driver."""
    parts = sql.split("?")
    assert len(parts) == len(row) + 1, sql
    named = "".join(f"{part}:p{i}" for i, part in enumerate(parts[:-1])) + parts[-1]
    return named, {f"p{i}": value for i, value in enumerate(row)}


def _v2_rows(ins) -> None:
    """The rows of the schema-2 book, through ``ins(sql, params)`` (qmark parameters)."""
    ins("INSERT INTO setting (key, value) VALUES ('trust.threshold', '35'), ('cadence.gold', '10')")
    customers = [
        # id, name, name_key, industry, region, kind, level, value_cents, owner, note, stage,
        # terminated_at, terminated_reason, profit_now, profit_future, service_cost, added_on
        (1, "华为技术有限公司", "华为技术有限公司", "通信", "深圳", "business", "partner", 300000000, "王经理",
         LONG_NOTE, "growth", None, None, "high", "high", "low", "2025-06-01"),
        (2, "中兴", "中兴", None, None, None, None, None, None, None, "stranger", None, None, None, None, None,
         "2025-07-01"),
        (3, "Foo [/x] 小米", "foo [/x] 小米", "电子", None, "consumer", None, 0, "李娜", "", "acquainted",
         "2026-03-01 02:00:00.000000", "资金链紧张，无法付款", "low", None, None, "2025-08-15"),
        (4, "比亚迪汽车", "比亚迪汽车", "汽车", "西安", "internal", "preferred", 1234567, None, "年度框架",
         "mature", None, None, None, "low", "high", "2024-12-31"),
    ]
    for row in customers:
        ins(
            "INSERT INTO customer (id, name, name_key, industry, region, kind, level, value_cents, owner, note,"
            " stage, terminated_at, terminated_reason, profit_now, profit_future, service_cost, added_on,"
            " created_at, updated_at) VALUES (" + ", ".join(["?"] * 17) + f", '{T0}', '{T0}')",
            row,
        )
    people = [
        (1, 1, "张伟", "张伟", "CTO", "技术部", "senior", "decider", "support", "上线率", "预算紧", "钓鱼", "直接",
         5, "孩子明年高考"),
        (2, 1, "李娜", "李娜", None, None, "middle", "influencer", None, None, None, None, None, None, None),
        (3, 4, "王强", "王强", "采购经理", "采购部", "junior", "procurement", "oppose", None, None, None, None, 2,
         None),
    ]
    for row in people:
        ins(
            "INSERT INTO person (id, customer_id, name, name_key, title, dept, level, role, attitude, kpi, pain,"
            " interest, style, competence, private, created_at) VALUES (" + ", ".join(["?"] * 15) + f", '{T0}')",
            row,
        )
    touches = [
        (1, 1, "2026-03-01", "daily", "电话沟通需求", json.dumps(["keeps returning to price"], ensure_ascii=False),
         "发送方案", "2026-03-08", "2026-03-07"),
        (2, 1, "2026-04-10", "exec_visit", None, None, "约演示", "2026-04-20", None),
        (3, 4, "2026-05-05", "summit", LONG_NOTE[:500], None, None, None, None),
    ]
    for row in touches:
        ins(
            "INSERT INTO touchpoint (id, customer_id, day, kind, note, signals, next_step, next_due, next_done_on,"
            f" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{T0}')",
            row,
        )
    ins("INSERT INTO touchpoint_person VALUES (1, 1), (1, 2), (3, 3)")
    promises = [
        (1, 1, 1, "发送报价单", "2026-03-01", "2026-03-05", "2026-03-04", None),
        (2, 1, None, "安排工厂参观", "2026-04-10", "2026-04-30", None, "2026-05-02"),
        (3, 4, 3, "寄样品", "2026-05-05", "2026-05-20", None, None),
    ]
    for row in promises:
        ins(
            "INSERT INTO promise (id, customer_id, touchpoint_id, text, made_on, due, kept_on, broken_on,"
            f" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{T0}')",
            row,
        )
    ins("INSERT INTO task_done VALUES (1, 'plan', '2025-06-10', '画像完成'), (1, 'call', '2025-06-20', NULL),"
        " (4, 'sign', '2025-01-15', '框架协议')")
    events = [
        (1, "2025-06-01 04:00:00.000000", "created", None, "stranger", None, None),
        (1, "2025-07-01 04:00:00.000000", "advanced", "stranger", "acquainted", None, None),
        (1, "2025-09-01 04:00:00.000000", "forced", "acquainted", "evaluation", "老朋友介绍",
         json.dumps({"overrode": [{"key": "blocked_task", "task": "visit", "stage": "acquainted"}]})),
        (1, "2026-01-01 04:00:00.000000", "advanced", "evaluation", "growth", None, None),
        (1, "2025-06-10 04:00:00.000000", "task_done", None, None, "画像完成",
         json.dumps({"task": "plan", "on": "2025-06-10"})),
        (2, "2025-07-01 04:00:00.000000", "created", None, "stranger", None, None),
        (3, "2025-08-15 04:00:00.000000", "created", None, "stranger", None, None),
        (3, "2026-03-01 02:00:00.000000", "dropped", "acquainted", "acquainted", "资金链紧张，无法付款", None),
        (4, "2024-12-31 04:00:00.000000", "created", None, "stranger", None, None),
    ]
    for row in events:
        ins("INSERT INTO event (customer_id, at, kind, from_stage, to_stage, reason, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    ins("INSERT INTO remind_seen VALUES ('*', 'N2'), ('*', 'P3'), ('王经理', 'C1')")


def dump(path: Path, tables=OLD_TABLES, columns: dict | None = None) -> dict[str, list[tuple]]:
    """Every row of each table; only the given columns where later steps added some."""
    out = {}
    for t in tables:
        names = ", ".join(columns[t]) if columns else "*"
        out[t] = sorted(query(path, f"SELECT {names} FROM {t}"), key=repr)
    return out


def columns_of(path: Path, tables=OLD_TABLES) -> dict[str, list[str]]:
    schema = any_schema(path)
    return {t: [c[0] for c in schema[t]["columns"]] for t in tables}


def master(path: Path) -> list[tuple] | dict:
    """The schema as the database declares it: SQLite's own text of it, or what a server
    reports of its tables, columns, keys and indexes."""
    if BACKEND == "postgresql":
        return any_schema(path)
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


def pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchall()
    finally:
        conn.close()


def sqlite_checks(path: Path) -> None:
    """The file's own soundness and kehu's application id (a server checks its pages and
    foreign keys itself, and a schema has no application id)."""
    if BACKEND == "sqlite":
        assert pragma(path, "integrity_check") == [("ok",)]
        assert pragma(path, "foreign_key_check") == []
        assert pragma(path, "application_id") == [(1801807989,)]


def version(path: Path) -> str:
    return query(path, "SELECT value FROM kehu_meta WHERE key='schema_version'")[0][0]


def test_the_v2_book_is_what_schema_2_made(isolated_book):
    """The fixture itself: version 2, no contract tables, kehu's application id."""
    make_v2_book(isolated_book)
    assert version(isolated_book) == "2"
    names = set(any_schema(isolated_book))
    assert names == set(OLD_TABLES) and not names & set(NEW_TABLES)
    sqlite_checks(isolated_book)
    assert migrations.LATEST >= 3


@pytest.mark.parametrize("command", [("list", "--json"), ("show", "华为技术有限公司", "--json"), ("remind",),
                                     ("tier", "--json")])
def test_any_command_upgrades_the_v2_book_without_losing_a_row(kehu, isolated_book, tmp_path, command):
    make_v2_book(isolated_book)
    before = dump(isolated_book)
    old_columns = columns_of(isolated_book)
    kehu(*command, env={"KEHU_TODAY": "2026-06-01"})
    assert version(isolated_book) == str(migrations.LATEST)
    after = dump(isolated_book, columns=old_columns)  # later steps add columns, never change a value
    before["kehu_meta"] = [r if r[0] != "schema_version" else ("schema_version", str(migrations.LATEST))
                           for r in before["kehu_meta"]]
    assert after == before
    assert dump(isolated_book, NEW_TABLES) == {t: [] for t in NEW_TABLES}
    sqlite_checks(isolated_book)
    # the schema is exactly that of a book kehu makes from scratch
    with other_book(tmp_path, "fresh") as fresh:
        kehu("add", "新客户", env={"KEHU_DB": str(fresh)})
        assert any_schema(isolated_book) == any_schema(fresh)
        assert master(isolated_book) == master(fresh)


def test_the_upgraded_book_reads_back_through_kehu(kehu, isolated_book):
    make_v2_book(isolated_book)
    data = kehu.json("show", "华为技术有限公司")
    assert data["note"] == LONG_NOTE
    assert (data["stage"], data["value"], data["owner"], data["added_on"]) == (
        "growth", "3000000.00", "王经理", "2025-06-01")
    assert [p["name"] for p in data["people"]] == ["张伟", "李娜"]
    ended = kehu.json("show", "Foo [/x] 小米")
    assert ended["terminated"] is True and ended["terminated_reason"] == "资金链紧张，无法付款"
    assert kehu.json("show", "中兴")["industry"] is None
    assert [e["kind"] for e in kehu.json("history", "华为技术有限公司")] == [
        "created", "task_done", "advanced", "forced", "advanced"]
    assert kehu("config", "get", "trust.threshold").stdout == "35\n"


def test_a_contract_added_after_the_upgrade_is_exact(kehu, isolated_book, monkeypatch):
    # Signed before its first instalment falls due (signing after it is refused), whatever the clock says.
    monkeypatch.setenv("KEHU_TODAY", "2026-11-20")
    make_v2_book(isolated_book)
    kehu("contract", "add", "比亚迪汽车", "整车物流系统", "--amount", "1234567.89")
    data = kehu.json("contract", "show", "1")
    assert (data["amount"], data["currency"], data["status"], data["customer"]) == (
        "1234567.89", "CNY", "draft", "比亚迪汽车")
    if BACKEND == "sqlite":  # stored as an integer, not as a float that came close
        conn = sqlite3.connect(isolated_book)
        assert conn.execute("SELECT amount_cents, typeof(amount_cents) FROM contract").fetchall() == [
            (123456789, "integer")]
        conn.close()
    else:  # an integer column on the server: the driver hands back an int, not a Decimal or float
        [(cents,)] = query(isolated_book, "SELECT amount_cents FROM contract")
        assert (cents, type(cents)) == (123456789, int)
    kehu("contract", "plan", "1", "-i", "2026-12-01:1234567.88", "-i", "2027-01-01:0.01")
    kehu("contract", "sign", "1")
    kehu("pay", "1", "1234567.89")
    data = kehu.json("contract", "show", "1")
    assert (data["paid"], data["owed"]) == ("1234567.89", "0.00")
    assert [i["paid"] for i in data["instalments"]] == ["1234567.88", "0.01"]


@pytest.mark.parametrize("command, code", [(("add", "新客户"), 70), (("list",), 70)])
def test_a_failure_at_the_end_of_step_3_leaves_the_v2_book_as_it_was(kehu, isolated_book, monkeypatch,
                                                                       command, code):
    make_v2_book(isolated_book)
    before_master, before_rows = master(isolated_book), dump(isolated_book)

    def broken(conn):
        migrations.v0003_contracts.upgrade(conn)
        raise RuntimeError("injected failure after the last statement of step 3")

    real = migrations.STEPS
    monkeypatch.setattr(migrations, "STEPS", (*real[:2], (3, "broken", broken)))
    r = kehu(*command, code=code)
    notice, error = r.stderr.splitlines()  # the backup (or the server upgrade) named first, then the error
    assert error.startswith("kehu: Internal error in kehu") and r.stdout == ""
    if BACKEND == "sqlite":
        saved = Path(notice.rsplit(": ", 1)[1])
        assert notice.startswith("Backed up the book before upgrading its schema (2 → ")
        assert dump(saved) == before_rows and version(saved) == "2"
    else:  # kehu cannot copy a server book: the step runs in the command's one transaction
        assert notice.startswith("Upgrading the schema of the server book ") and "(2 → " in notice
    assert master(isolated_book) == before_master
    assert version(isolated_book) == "2"
    assert dump(isolated_book) == before_rows
    if BACKEND == "sqlite":
        assert pragma(isolated_book, "integrity_check") == [("ok",)]
    # the real step still upgrades it afterwards
    monkeypatch.setattr(migrations, "STEPS", real)
    kehu("list")
    assert version(isolated_book) == str(migrations.LATEST)

"""`kehu undo` and `kehu redo`: every write command, run then undone, leaves the book
exactly as it was (a dump of every table but the log itself); redo brings back exactly
what the command wrote. On both backends."""

from __future__ import annotations

import json
import random

import pytest
from _books import any_dump, query
from conftest import BACKEND

from kehu.cli import app

TODAY = {"KEHU_TODAY": "2026-09-01"}
# the log, the schema stamp, remind's memory; and how FTS5 lays out the search index in
# its segments (the entries themselves, search_index and its content, are compared)
NOT_DATA = ("operation", "kehu_meta", "remind_seen", "search_index_data", "search_index_idx")

BASE = [
    ("add", "华东电网信息中心", "--industry", "能源", "--value", "80万", "--owner", "王磊", "--note", "重视数据安全"),
    ("add", "Acme Trading"),
    ("add", "深圳腾飞科技"),
    ("person", "add", "华东电网", "张伟", "--level", "高层", "--role", "决策者", "--private", "女儿明年高考"),
    ("person", "add", "华东电网", "李娜", "--level", "中层"),
    ("touch", "华东电网", "--kind", "专题", "--with", "张伟", "--date", "2026-08-05", "--next", "发会议纪要",
     "--next-due", "2026-08-07", "--promise", "两周内报价", "--promise-due", "2026-08-19"),
    ("touch", "Acme", "--kind", "daily", "--date", "2026-08-01", "--promise", "send the deck",
     "--promise-due", "2026-08-03"),
    ("done", "华东电网", "客户规划"),
    ("contract", "add", "华东电网", "数据中台一期", "--amount", "100万", "--expected", "2026-10-30"),
    ("contract", "add", "Acme", "Pilot", "--amount", "5万"),
    ("contract", "add", "深圳", "试点", "--amount", "8万"),
    ("contract", "plan", "3", "-i", "2026-09-30:3万", "-i", "2026-12-31:5万"),
    ("contract", "sign", "3", "--date", "2026-08-20"),
    ("negotiate", "issue", "1", "付款周期太长"),
    ("negotiate", "option", "1", "分三期付款", "--value", "缓解现金压力"),
    ("touch", "华东电网", "--kind", "daily", "--date", "2026-08-22", "--next", "寄样品", "--next-due", "2026-08-26",
     "--promise", "寄资料", "--promise-due", "2026-08-25"),
    ("promise", "kept", "3"),
    ("followup", "done", "N3"),
    ("contract", "add", "Acme", "旧单", "--amount", "3万"),
    ("contract", "lose", "4", "--reason", "预算取消"),
    ("drop", "深圳", "--reason", "资金链紧张"),
    ("alias", "add", "国网华东", "华东电网"),
    ("complaint", "add", "华东电网", "交付延迟两周", "--person", "张伟", "--date", "2026-08-28"),
    ("referral", "add", "Acme", "华东电网", "--by-person", "李娜"),
]

# Every command that writes the customer's records, with arguments that change something
# on the BASE book. Read-only commands and the book's own care are listed below them: a
# test fails when a command is in neither list.
WRITES = {
    "add": ("add", "华为技术", "--region", "深圳"),
    "edit": ("edit", "华东电网", "--region", "上海", "--value", "120万", "--phone", "021-12345678 转 8",
             "--website", "www.example.cn"),
    "done": ("done", "华东电网", "电话邀约", "--note", "约了下周"),
    "qualify": ("qualify", "华东电网", "需求", "好", "--note", "招标公告已发"),
    "advance": ("advance", "华东电网", "--force", "--reason", "老客户转介绍"),
    "drop": ("drop", "Acme", "--reason", "不信任我们"),
    "reopen": ("reopen", "深圳"),
    "touch add": ("touch", "华东电网", "--kind", "高层拜访", "--with", "张伟", "--with", "李娜",
              "--signal", "对方案提问很多", "--promise", "下周给方案", "--promise-due", "2026-09-08",
              "--next", "约技术交流", "--next-due", "2026-09-05", "--care"),
    "touch edit": ("touch", "edit", "1", "--note", "改了纪要", "--next-due", "2026-08-09", "--with", "李娜"),
    "touch delete": ("touch", "delete", "2", "--yes"),
    "delete": ("delete", "Acme", "--yes"),
    "person delete": ("person", "delete", "华东电网", "张伟", "--yes"),
    "promise edit": ("promise", "edit", "1", "--due", "2026-09-20", "--text", "两周内报价（含二期）"),
    "promise reopen": ("promise", "reopen", "3"),
    "promise delete": ("promise", "delete", "2"),
    "followup edit": ("followup", "edit", "N1", "--text", "发会议纪要和报价", "--due", "2026-08-10"),
    "followup undone": ("followup", "undone", "N3"),
    "contract reopen": ("contract", "reopen", "4", "--reason", "预算恢复"),
    "contract delete": ("contract", "delete", "2"),
    "person add": ("person", "add", "Acme", "Bob", "--title", "CTO"),
    "person edit": ("person", "edit", "华东电网", "张伟", "--title", "CIO", "--attitude", "支持", "--private", "改了",
                    "--mobile", "+86 138 0013 8000", "--private-mobile", "13900001111", "--home-address", "某小区"),
    "person rate": ("person", "rate", "华东电网", "张伟", "4"),
    "promise kept": ("promise", "kept", "1"),
    "promise broken": ("promise", "broken", "2"),
    "followup done": ("followup", "done", "N1"),
    "config set": ("config", "set", "trust.threshold", "45"),
    "contract add": ("contract", "add", "Acme", "Phase 2", "--amount", "12.5万"),
    "contract edit": ("contract", "edit", "1", "--title", "数据中台一期（修订）", "--status", "谈判中"),
    "contract plan": ("contract", "plan", "1", "-i", "2026-11-30:60万", "-i", "2027-03-31:40万"),
    "contract sign": ("contract", "sign", "2"),
    "contract complete": ("contract", "complete", "3"),
    "contract lose": ("contract", "lose", "2", "--reason", "价格"),
    "pay": ("pay", "3", "2万"),
    "negotiate timing": ("negotiate", "timing", "1", "terms", "客户提出了明确条件"),
    "negotiate issue": ("negotiate", "issue", "1", "交付太晚"),
    "negotiate need": ("negotiate", "need", "1", "现金流紧张"),
    "negotiate option": ("negotiate", "option", "1", "首付降低"),
    "negotiate value": ("negotiate", "value", "1", "减少一次性支出"),
    "negotiate remove": ("negotiate", "remove", "issue", "1"),
    "negotiate settle": ("negotiate", "settle", "1", "trade", "--note", "分期换长约"),
    "negotiate analysis": ("negotiate", "analysis", "1", "customer", "pain", "预算被砍"),
    "negotiate goal": ("negotiate", "goal", "1", "--specific", "签一期", "--deadline", "2026-10-30"),
    "negotiate package": ("negotiate", "package", "1", "best", "全款一期", "--amount", "118万"),
    "negotiate team": ("negotiate", "team", "1", "lead", "王磊"),
    "claim": ("claim", "Acme"),
    "release": ("--as", "王磊", "release", "华东电网"),
    "assign": ("assign", "华东电网", "李强", "--reason", "区域调整"),
    "alias add": ("alias", "add", "华东信通", "华东电网"),
    "alias remove": ("alias", "remove", "国网华东"),
    "merge": ("merge", "华东电网", "Acme"),
    "person merge": ("person", "merge", "华东电网", "张伟", "李娜"),
    "complaint add": ("complaint", "add", "华东电网", "发票开错", "--severity", "高", "--person", "李娜"),
    "complaint step": ("complaint", "step", "Q1", "倾听", "确认细节"),
    "complaint resolve": ("complaint", "resolve", "Q1"),
    "review": ("review", "4", "--results", "预算被砍", "--lessons", "早点确认预算"),
    "guide dismiss": ("guide", "dismiss", "Acme", "project_review"),
    "guide step": ("guide", "step", "华东电网", "hq_visit", "N3", "plan", "review"),
    "referral add": ("referral", "add", "深圳", "华东电网", "--by-person", "张伟"),
    "referral remove": ("referral", "remove", "Acme"),
    "cycle": ("cycle", "华东电网", "90d"),
}
NOT_UNDONE = {
    # reading
    "list", "show", "history", "timeline", "pool", "tier", "next", "funnel", "export", "tasks", "trust", "playbook",
    "forecast", "person list", "person show", "promise list", "followup explain", "contract list",
    "contract show", "negotiate show", "negotiate agenda", "config list", "config get", "doctor", "search",
    "alias list", "dupes", "person export", "report", "complaint list", "guide list",
    # remind writes only its memory of what it listed (`--new`), not the user's records
    "remind",
    # the book as a file: copies, replaced whole
    "backup", "restore",
    # undo and redo are not operations themselves; forget seals the log (tested below)
    "undo", "redo", "person forget",
    # tested on its own below: an import is one operation
    "import",
}


def leaf_commands() -> set[str]:
    import typer.main

    from kehu.cli import commands

    out: set[str] = set()

    def walk(group, prefix):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands") and cmd.commands:
                walk(cmd, f"{prefix}{name} ")
            else:
                out.add(f"{prefix}{name}")

    walk(typer.main.get_group(commands), "")
    assert app is not None
    return out


def test_every_command_is_classified():
    """A new write command must join WRITES (and so be proven undoable) or say why not."""
    assert leaf_commands() == set(WRITES) | NOT_UNDONE


def data(book) -> dict:
    return any_dump(book, skip=NOT_DATA)


@pytest.fixture
def base(kehu, isolated_book):
    for args in BASE:
        kehu(*args, env=TODAY)
    return isolated_book


@pytest.mark.parametrize("name", sorted(WRITES))
def test_undo_puts_back_and_redo_brings_back(kehu, base, name):
    before = data(base)
    args = WRITES[name]
    acting = args[:2] if args[0] == "--as" else ()  # on a server book, one undoes one's own
    kehu(*args, env=TODAY)
    after = data(base)
    assert after != before, f"{name} changed nothing: the test would prove nothing"
    r = kehu(*acting, "undo", env=TODAY)
    assert "Undid" in r.stderr and f"({name}," in r.stderr
    assert data(base) == before
    kehu(*acting, "redo", env=TODAY)
    assert data(base) == after
    # and once more: the redone operation can be undone again
    kehu(*acting, "undo", env=TODAY)
    assert data(base) == before


def test_undo_several_and_list(kehu, base):
    before = data(base)
    kehu(*WRITES["touch add"], env=TODAY)
    kehu(*WRITES["contract plan"], env=TODAY)
    kehu(*WRITES["edit"], env=TODAY)
    listed = kehu.json("undo", "--list")
    assert [o["command"] for o in listed[:3]] == ["edit", "contract plan", "touch add"]
    assert all(o["state"] == "done" for o in listed)
    assert listed[2]["customers"] == ["华东电网信息中心"]
    assert listed[2]["summary"]["touchpoint"] == {"created": 1, "existing": 0}
    r = kehu("undo", "3", env=TODAY)
    assert r.stderr.count("Undid") == 3
    assert data(base) == before
    listed = kehu.json("undo", "--list")
    assert [o["state"] for o in listed[:3]] == ["undone"] * 3


def test_a_new_write_ends_redo(kehu, base):
    kehu(*WRITES["edit"], env=TODAY)
    kehu("undo", env=TODAY)
    kehu(*WRITES["person rate"], env=TODAY)
    r = kehu("redo", env=TODAY, code=1)
    assert "Nothing to redo" in r.stderr
    listed = kehu.json("undo", "--list")
    assert [(o["command"], o["state"]) for o in listed[:2]] == [("person rate", "done"), ("edit", "dropped")]
    assert listed[0]["id"] > listed[1]["id"], "an undone operation's number is never given to another"
    assert query(base, "SELECT changes, redo FROM operation WHERE state = 'dropped'") == [(None, None)]
    assert any(e["kind"] == "undone" for e in kehu.json("history", "华东电网"))  # the undo stands


def test_nothing_to_undo(kehu, isolated_book):
    kehu("add", "一家")
    kehu("undo")
    r = kehu("undo", code=1)
    assert r.stderr.startswith("kehu: Nothing to undo")
    assert r.stderr.count("\n") == 1


def test_a_failed_command_logs_nothing(kehu, base):
    ops = len(kehu.json("undo", "--list"))
    kehu("advance", "Acme", code=1)  # blocked by its tasks
    kehu("add", "华东电网信息中心", code=1)  # exists
    assert len(kehu.json("undo", "--list")) == ops


def test_remind_new_is_not_an_operation(kehu, base):
    ops = kehu.json("undo", "--list")
    kehu("remind", "--new", env=TODAY)
    assert kehu.json("undo", "--list") == ops


def test_undo_brings_back_a_removed_row_with_its_id(kehu, base):
    before = data(base)
    kehu("negotiate", "remove", "issue", "1")
    assert not query(base, "SELECT id FROM negotiation_issue")
    kehu("undo")
    assert query(base, "SELECT id, detail FROM negotiation_issue") == [(1, "付款周期太长")]
    assert data(base) == before


def test_import_is_one_operation(kehu, base, tmp_path):
    csv = tmp_path / "c.csv"
    rows = "\n".join(f"客户{i:04d},制造,{'苏州' if i % 2 else '无锡'}" for i in range(300))
    csv.write_text("name,industry,region\n" + rows + "\n华东电网信息中心,电力,北京\n", encoding="utf-8")
    before = data(base)
    kehu("import", str(csv), "--table", "customers")
    after = data(base)
    assert len(after["customer"]) == len(before["customer"]) + 300
    listed = kehu.json("undo", "--list")
    assert listed[0]["command"] == "import"
    assert listed[0]["summary"]["customer"] == {"created": 300, "existing": 1}
    changes = query(base, "SELECT changes FROM operation ORDER BY id DESC")[0][0]
    assert len(changes) < 2000, "300 created rows are logged as an id range, not as copies"
    kehu("undo")
    assert data(base) == before
    kehu("redo")
    assert data(base) == after


def test_forget_seals_the_log(kehu, base):
    sentinel = "SENTINEL-undo-私密"
    kehu("person", "edit", "华东电网", "张伟", "--private", sentinel)
    kehu("person", "edit", "华东电网", "张伟", "--private", "another")
    assert any(sentinel in (c or "") for (c,) in query(base, "SELECT changes FROM operation"))
    from kehu.cli import _common

    with pytest.MonkeyPatch.context() as mp:  # at a terminal, forget warns before it runs
        mp.setattr(_common, "stderr_is_terminal", lambda: True)
        r = kehu("person", "forget", "华东电网", "张伟")
    assert r.stderr.startswith("Note: `person forget` cannot be undone")
    texts = query(base, "SELECT changes, redo, summary FROM operation")
    assert not any(sentinel in (t or "") or "another" in (t or "") for row in texts for t in row)
    assert {s for (s,) in query(base, "SELECT state FROM operation")} == {"sealed"}
    assert query(base, "SELECT count(*) FROM operation WHERE changes IS NOT NULL OR redo IS NOT NULL") == [(0,)]
    r = kehu("undo", code=1)
    assert "Nothing to undo" in r.stderr
    listed = kehu.json("undo", "--list")
    assert listed[0]["command"] == "person forget" and listed[0]["state"] == "sealed"
    if BACKEND == "sqlite":
        assert sentinel.encode() not in base.read_bytes()
    # after the forget, new operations can be undone again
    before = data(base)
    kehu(*WRITES["edit"])
    kehu("undo")
    assert data(base) == before


def test_history_of_an_undone_operation_is_gone_with_it(kehu, base):
    kehu("advance", "华东电网", "--force", "--reason", "老客户")
    assert any(e["kind"] == "forced" for e in kehu.json("history", "华东电网"))
    kehu("undo")
    assert not any(e["kind"] == "forced" for e in kehu.json("history", "华东电网"))


POOL = [name for name in sorted(WRITES) if name not in ("release",)]


@pytest.mark.parametrize("seed", range(4 if BACKEND == "sqlite" else 2))
def test_random_sequences_undo_to_the_start(kehu, base, seed):
    """Apply k random commands (some refused: they log nothing), undo k, compare; redo k."""
    rng = random.Random(seed)
    start = data(base)
    states = [start]
    done = 0
    for _ in range(8):
        args = WRITES[rng.choice(POOL)]
        r = kehu(*args, env=TODAY, code=None)
        if r.exit_code == 0 and data(base) != states[-1]:
            done += 1
            states.append(data(base))
        else:
            assert data(base) == states[-1]
    assert done >= 3, f"seed {seed}: only {done} commands changed the book"
    ops = [o for o in kehu.json("undo", "--list") if o["state"] == "done"]
    assert len(ops) >= done
    for i in range(done):
        kehu("undo", env=TODAY)
        assert data(base) == states[-2 - i], f"seed {seed}: undo {i + 1}"
    for i in range(done):
        kehu("redo", env=TODAY)
        assert data(base) == states[i + 1], f"seed {seed}: redo {i + 1}"


def test_json_of_undo(kehu, base):
    kehu(*WRITES["person add"])
    out = json.loads(kehu("undo", "--json").stdout)
    assert [o["command"] for o in out] == ["person add"]
    assert out[0]["state"] == "done"  # as it was when undone


@pytest.mark.sqlite_only("a book file has one owner: undo takes the newest operation, whoever's")
def test_on_a_book_file_undo_takes_the_newest_whoever_recorded_it(kehu, base):
    before = data(base)
    kehu("--as", "赵敏", *WRITES["touch add"], env=TODAY)
    kehu("--as", "王磊", "undo", env=TODAY)
    assert data(base) == before


@pytest.mark.postgresql_only("undo on a team's server book is per salesperson")
def test_on_a_server_book_each_undoes_only_their_own(kehu, base):
    start = data(base)
    kehu("--as", "王磊", "edit", "华东电网", "--region", "上海", env=TODAY)
    mine = data(base)
    kehu("--as", "赵敏", "touch", "Acme", "--kind", "daily", "--note", "赵敏的接触", env=TODAY)
    theirs = data(base)
    r = kehu("--as", "王磊", "undo", env=TODAY)
    assert "#" in r.stderr and "edit" in r.stderr
    now = data(base)
    assert now["customer"] == start["customer"]  # my edit is gone
    assert now["touchpoint"] == theirs["touchpoint"]  # her touch stays
    kehu("--as", "王磊", "redo", env=TODAY)
    assert data(base) == theirs
    assert mine != theirs


@pytest.mark.postgresql_only("undo on a team's server book is per salesperson")
def test_a_colleagues_later_change_to_the_same_customer_blocks_undo(kehu, base):
    kehu("--as", "王磊", "touch", "华东电网", "--kind", "daily", "--note", "我的", env=TODAY)
    kehu("--as", "赵敏", "person", "add", "华东电网", "周强", env=TODAY)
    before = data(base)
    r = kehu("--as", "王磊", "undo", env=TODAY, code=1)
    later = kehu.json("undo", "--list")[0]
    assert r.stderr.startswith("kehu: Cannot undo #") and f"#{later['id']} (person add) by 赵敏" in r.stderr
    assert data(base) == before
    r = kehu("--as", "李强", "undo", env=TODAY, code=1)  # nothing of his own
    assert "Nothing to undo" in r.stderr


def test_a_book_upgraded_from_schema_5_starts_with_an_empty_log(kehu, isolated_book, tmp_path):
    from _books import FIXTURES, server_book_from_file

    if BACKEND == "sqlite":
        isolated_book.parent.mkdir(parents=True, exist_ok=True)
        isolated_book.write_bytes((FIXTURES / "v5.db").read_bytes())
    else:
        server_book_from_file(isolated_book, FIXTURES / "v5.db", 5)
    r = kehu("undo", code=1)
    assert "Nothing to undo" in r.stderr
    kehu("list")  # the failed undo rolled its upgrade back; this one stands
    before = data(isolated_book)
    kehu("edit", "华东电网", "--region", "北京")
    kehu("undo")
    assert data(isolated_book) == before


@pytest.mark.sqlite_only("the fixture is a book file written by the release of schema 6")
def test_the_schema_6_fixture_redoes_with_this_kehu(kehu, isolated_book):
    from _books import FIXTURES

    isolated_book.parent.mkdir(parents=True, exist_ok=True)
    isolated_book.write_bytes((FIXTURES / "v6.db").read_bytes())
    listed = kehu.json("undo", "--list")
    assert listed[0]["command"] == "touch add" and listed[0]["state"] == "undone"
    assert listed[1]["command"] == "edit"
    before = data(isolated_book)
    kehu("redo")
    assert len(data(isolated_book)["touchpoint"]) == len(before["touchpoint"]) + 1
    kehu("undo", "2")
    assert ("华东电网信息中心",) in {(r[1],) for r in data(isolated_book)["customer"]}
    assert data(isolated_book)["touchpoint"] == before["touchpoint"]


def test_commands_are_named_alike_however_kehu_was_started(isolated_book):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KEHU_DB": str(isolated_book)}
    subprocess.run([sys.executable, "-m", "kehu", "add", "一家"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "kehu", "person", "add", "一家", "某人"], env=env, check=True,
                   capture_output=True)
    assert query(isolated_book, "SELECT command FROM operation ORDER BY id") == [("add",), ("person add",)]


def test_kehu_oplog_0_turns_the_log_off_for_that_command(kehu, isolated_book):
    kehu("add", "一家")
    kehu("add", "两家", env={"KEHU_OPLOG": "0"})
    assert [o["command"] for o in kehu.json("undo", "--list")] == ["add"]
    kehu("undo")
    assert [r[0] for r in query(isolated_book, "SELECT name FROM customer")] == ["两家"]


def test_the_history_shows_an_undo_with_who_undid_what(kehu, base):
    kehu("--as", "王磊", "touch", "华东电网", "--kind", "daily", "--note", "打错了", env=TODAY)
    op = kehu.json("undo", "--list")[0]["id"]
    kehu("--as", "王磊", "undo", env=TODAY)
    events = kehu.json("history", "华东电网")
    last = events[-1]
    assert (last["kind"], last["actor"]) == ("undone", "王磊")
    assert last["detail"]["operation"] == op and last["detail"]["command"] == "touch add"
    assert not any(e["kind"] == "undone" for e in kehu.json("history", "Acme"))
    r = kehu("--lang", "zh", "history", "华东电网")
    assert f"撤销\t#{op} touch add" in r.stdout
    kehu("--as", "王磊", "redo", env=TODAY)  # redone: the undo no longer stands
    assert not any(e["kind"] == "undone" for e in kehu.json("history", "华东电网"))


def test_an_import_of_touchpoints_with_people_met_undoes_whole(kehu, base, tmp_path):
    csv = tmp_path / "t.csv"
    lines = [f"华东电网信息中心,2026-08-{1 + i % 28:02d},daily,张伟、李娜,第{i}次" for i in range(200)]
    csv.write_text("customer,date,kind,with,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    before = data(base)
    kehu("import", str(csv), env=TODAY)
    after = data(base)
    assert len(after["touchpoint_person"]) == len(before["touchpoint_person"]) + 400
    changes = json.loads(query(base, "SELECT changes FROM operation ORDER BY id DESC")[0][0])
    assert [e[0] for e in changes if e[1] == "touchpoint"] == ["r"]  # one range
    # the people met, under touchpoints new in the same import: one span of parents, no keys
    assert [e[:3] for e in changes if e[1] == "touchpoint_person"] == [["k", "touchpoint_person", "touchpoint_id"]]
    assert kehu.json("undo", "--list")[0]["customers"] == ["华东电网信息中心"]
    kehu("undo", env=TODAY)
    assert data(base) == before
    kehu("redo", env=TODAY)
    assert data(base) == after


def test_setting_the_same_value_again_changes_nothing_and_logs_nothing(kehu, base):
    kehu("config", "set", "trust.threshold", "45")
    ops = kehu.json("undo", "--list")
    r = kehu("config", "set", "trust.threshold", "45.0")
    assert r.stderr == "Nothing changed: the record already says that.\n"
    assert kehu.json("undo", "--list") == ops


def test_the_customers_of_an_operation_are_found_through_parent_records(kehu, base):
    kehu("touch", "edit", "1", "--with", "李娜")  # people met: rows keyed by touchpoint and person
    kehu("negotiate", "option", "1", "首付降到一成")  # an option -> its issue -> contract -> customer
    kehu("pay", "3", "1万", env=TODAY)  # an instalment -> its contract -> customer
    listed = kehu.json("undo", "--list")
    assert [o["customers"] for o in listed[:3]] == [["深圳腾飞科技"], ["华东电网信息中心"], ["华东电网信息中心"]]


@pytest.mark.parametrize(("spans", "inside"), [
    ([], []), ([(1, 5)], [1, 2, 3, 4, 5]), ([(1, 1), (3, 4), (9, 9)], [1, 3, 4, 9]),
])
def test_within_spans(spans, inside):
    from kehu.oplog import _within

    assert [i for i in range(0, 12) if _within(spans, i)] == inside


NEGOTIATE_AGAIN = [
    ("negotiate", "timing", "1", "terms", "客户提出了明确条件", "--date", "2026-08-30"),
    ("negotiate", "analysis", "1", "customer", "pain", "预算被砍"),
    ("negotiate", "goal", "1", "--specific", "签一期", "--deadline", "2026-10-30"),
    ("negotiate", "package", "1", "best", "全款一期", "--amount", "118万"),
    ("negotiate", "team", "1", "lead", "王磊"),
    ("negotiate", "need", "1", "现金流紧张"),
    ("negotiate", "value", "1", "减少一次性支出"),
    ("negotiate", "settle", "1", "trade", "--note", "分期换长约", "--date", "2026-08-30"),
]


@pytest.mark.parametrize("args", NEGOTIATE_AGAIN, ids=lambda a: a[1])
def test_saying_the_same_in_a_negotiation_plan_changes_nothing(kehu, base, args):
    kehu(*args, env=TODAY)
    before, ops = data(base), kehu.json("undo", "--list")
    r = kehu(*args, env=TODAY)
    assert r.stderr == "Nothing changed: the record already says that.\n"
    assert data(base) == before and kehu.json("undo", "--list") == ops


def test_a_goal_with_one_part_new_is_a_change(kehu, base):
    kehu("negotiate", "goal", "1", "--specific", "签一期", env=TODAY)
    r = kehu("negotiate", "goal", "1", "--specific", "签一期", "--measurable", "≥100万", env=TODAY)
    assert "Nothing changed" not in r.stderr
    assert kehu.json("undo", "--list")[0]["summary"] == {"negotiation_fact": {"created": 1, "existing": 0}}


def test_forget_keeps_an_undone_operation_listed_but_not_redoable(kehu, base):
    kehu(*WRITES["edit"])
    kehu("undo")
    kehu("person", "forget", "华东电网", "李娜")
    listed = kehu.json("undo", "--list")
    assert [(o["command"], o["state"]) for o in listed[:2]] == [("person forget", "sealed"), ("edit", "dropped")]
    assert "Nothing to redo" in kehu("redo", code=1).stderr


def test_a_change_of_a_primary_key_is_refused_rather_than_logged_wrong(kehu, isolated_book):
    # Undo would put the old row back beside the moved one; such moves are written as a
    # delete and an insert (kehu.store.names), and the log refuses the update itself.
    from sqlalchemy import update

    from kehu import book
    from kehu.models import TaskDone

    kehu("add", "甲")
    kehu("add", "乙")
    kehu("done", "甲", "plan")
    inv = book.Invocation()
    inv.command = "test"
    before = data(isolated_book)
    with pytest.raises(RuntimeError, match="primary key cannot be undone"):
        with book.open(None, inv, write=True) as (s, _):
            s.execute(update(TaskDone).where(TaskDone.customer_id == 1).values(customer_id=2))
    assert data(isolated_book) == before


def test_undo_list_shows_20_operations_or_as_many_as_limit_says(kehu):
    for n in range(23):
        kehu("add", f"客户{n:02d}", env=TODAY)
    assert [o["id"] for o in kehu.json("undo", "--list")] == list(range(23, 3, -1))  # 20, newest first
    assert [o["id"] for o in kehu.json("undo", "--list", "--limit", "22")] == list(range(23, 1, -1))
    assert len(kehu.json("undo", "--list", "--limit", "200")) == 23
    rows = kehu("undo", "--list", "--limit", "2", env=TODAY).stdout.splitlines()
    assert len(rows) == 3 and rows[1].startswith("23\t") and rows[2].startswith("22\t")  # a header, 2 rows
    r = kehu("--lang", "zh", "undo", "--list", "--limit", "0", code=2)
    assert r.stderr == "kehu: --limit 的值无效：0（应在 1<=x<=200 之间）。用 kehu undo -h 查看用法。\n"
    # --limit alone would read as "undo that many": refused, nothing undone
    r = kehu("--lang", "zh", "undo", "--limit", "5", code=2)
    assert r.stderr == "kehu: --limit 只和 --list 一起用：kehu undo --list --limit 5。\n"
    assert kehu("--lang", "en", "undo", "--limit", "5", code=2).stderr == (
        "kehu: --limit goes with --list: kehu undo --list --limit 5.\n")
    assert {o["state"] for o in kehu.json("undo", "--list", "--limit", "200")} == {"done"}

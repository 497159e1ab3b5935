"""The lifecycle through the command line: tasks, advancing, gates, force, drop, reopen."""

from __future__ import annotations

import pytest
from _books import query

from kehu.rules.domain import STAGE_TASKS

TODAY = {"KEHU_TODAY": "2026-11-23"}


# Every command here runs on 2026-11-23, whatever the real date: the dates written below
# are around it (with the clock 400 days back, unpinned commands made the customers in
# 2025 and refused these dates as in the future).
pytestmark = pytest.mark.today("2026-11-23")


def do_tasks(kehu, name, stage):
    for task in STAGE_TASKS[stage]:
        kehu("done", name, task, "--date", "2026-10-01")
    if stage == "evaluation":  # evaluation checks the customer too (issue 18's gate)
        for fact in ("need", "pay", "credit"):
            kehu("qualify", name, fact, "good")


def build_trust(kehu, name):
    """A year of deep, broad contact with kept promises: trust well above 40."""
    kehu("person", "add", name, "张伟", "--level", "高层", "--role", "决策者")
    kehu("person", "add", name, "李娜", "--level", "中层", "--role", "影响者")
    kehu("person", "add", name, "王强", "--level", "基层", "--role", "技术")
    for person in ("张伟", "李娜", "王强"):
        kehu("person", "rate", name, person, "5")
    kinds = ["hq_visit", "summit", "topic", "showcase", "exec_visit", "daily", "forum", "joint_launch"]
    kehu("touch", name, "--kind", "daily", "--with", "李娜", "--date", "2025-11-01")
    for i, kind in enumerate(kinds * 2):
        day = f"2026-{6 + i // 4:02d}-{1 + (i % 4) * 7:02d}"
        kehu("touch", name, "--kind", kind, "--with", "张伟", "--with", "李娜", "--with", "王强",
             "--date", day, "--promise", f"资料{i}", "--promise-due", day, env=TODAY)
        kehu("promise", "kept", str(i + 1), "--date", day, env=TODAY)


def stage_of(kehu, name):
    return kehu.json("show", name)["stage"]


def test_tasks_lists_every_stage(kehu):
    kehu("add", "华为")
    kehu("done", "华为", "客户规划", "--date", "2026-10-01", "--note", "画像完成")
    data = kehu.json("tasks", "华为")
    assert data["stage"] == "stranger"
    assert [t["key"] for t in data["tasks"]] == [t for s in STAGE_TASKS.values() for t in s]
    plan = data["tasks"][0]
    assert plan == {"key": "plan", "stage": "stranger", "current_stage": True, "done": True, "done_on": "2026-10-01"}
    out = kehu("--lang", "zh", "tasks", "华为").stdout
    assert "客户规划" in out and "电话邀约" in out and "(plan)" not in out  # in Chinese the label is typed as it is


def test_a_refused_advance_names_every_missing_task_and_changes_nothing(kehu):
    kehu("add", "华为")
    r = kehu("advance", "华为", code=1)
    assert "Cannot advance from stranger to acquainted" in r.stderr
    assert "account planning (plan)" in r.stderr and "phone invitation (call)" in r.stderr
    assert r.stderr.count("\n") == 1
    assert stage_of(kehu, "华为") == "stranger"
    assert [e["kind"] for e in kehu.json("history", "华为")] == ["created"]


def test_refusal_as_json(kehu):
    kehu("add", "华为")
    kehu("done", "华为", "plan")
    r = kehu("advance", "华为", "--json", code=1)
    import json

    data = json.loads(r.stdout)
    assert data["allowed"] is False and data["to_stage"] == "acquainted"
    assert [b["task"] for b in data["blockers"]] == ["call"]


def test_one_step_at_a_time_through_the_tasks(kehu):
    kehu("add", "华为")
    do_tasks(kehu, "华为", "stranger")
    kehu("advance", "华为")
    assert stage_of(kehu, "华为") == "acquainted"
    do_tasks(kehu, "华为", "acquainted")
    kehu("advance", "华为")
    assert stage_of(kehu, "华为") == "evaluation"
    assert kehu.json("show", "华为")["lifecycle"] == "target"


def test_growth_needs_trust(kehu):
    kehu("add", "华为")
    for stage in ("stranger", "acquainted"):
        do_tasks(kehu, "华为", stage)
        kehu("advance", "华为")
    do_tasks(kehu, "华为", "evaluation")
    r = kehu("advance", "华为", code=1, env=TODAY)
    assert "trust 0.0 is below the 40.0 needed for growth" in r.stderr
    build_trust(kehu, "华为")
    score = kehu("trust", "华为", "--json", env=TODAY)
    import json

    assert json.loads(score.stdout)["score"] >= 40
    kehu("advance", "华为", env=TODAY)
    assert stage_of(kehu, "华为") == "growth"


def test_trust_threshold_is_configurable(kehu):
    kehu("add", "华为")
    for stage in ("stranger", "acquainted"):
        do_tasks(kehu, "华为", stage)
        kehu("advance", "华为")
    do_tasks(kehu, "华为", "evaluation")
    kehu("config", "set", "trust.threshold", "0")
    kehu("advance", "华为")
    assert stage_of(kehu, "华为") == "growth"
    assert kehu("config", "get", "trust.threshold").stdout == "0\n"
    assert "0 to 100" in kehu("config", "set", "trust.threshold", "101", code=2).stderr
    assert "Unknown setting" in kehu("config", "set", "nope", "1", code=2).stderr


def test_mature_needs_a_signed_contract_and_force_needs_a_reason(kehu):
    kehu("add", "华为")
    kehu("config", "set", "trust.threshold", "0")
    for stage in ("stranger", "acquainted", "evaluation"):
        do_tasks(kehu, "华为", stage)
        kehu("advance", "华为")
    do_tasks(kehu, "华为", "growth")
    r = kehu("advance", "华为", code=1)
    assert "no signed contract yet" in r.stderr
    r = kehu("advance", "华为", "--force", code=2)
    assert "--force needs --reason" in r.stderr
    assert stage_of(kehu, "华为") == "growth"
    kehu("advance", "华为", "--force", "--reason", "合同已线下签署")
    data = kehu.json("show", "华为")
    assert data["stage"] == "mature" and data["lifecycle"] == "existing"
    last = kehu.json("history", "华为")[-1]
    assert last["kind"] == "forced" and last["reason"] == "合同已线下签署"
    assert last["from_stage"] == "growth" and last["to_stage"] == "mature"
    assert last["detail"]["overrode"] == [{"key": "blocked_contract"}]
    out = kehu("history", "华为").stdout
    assert "advanced by force" in out and "合同已线下签署" in out
    r = kehu("advance", "华为", "--force", "--reason", "x", code=1)
    assert "already at the last stage" in r.stderr


def test_force_skips_tasks_but_still_one_step(kehu):
    kehu("add", "华为")
    kehu("advance", "华为", "--force", "--reason", "老朋友介绍，已见过面")
    assert stage_of(kehu, "华为") == "acquainted"
    ev = kehu.json("history", "华为")[-1]
    assert ev["kind"] == "forced"
    assert ev["detail"]["overrode"] == [
        {"key": "blocked_task", "task": "plan", "stage": "stranger"},
        {"key": "blocked_task", "task": "call", "stage": "stranger"},
    ]
    assert "phone invitation (call)" in kehu("history", "华为").stdout
    assert "电话邀约" in kehu("--lang", "zh", "history", "华为").stdout


def test_drop_and_reopen(kehu):
    kehu("add", "华为")
    do_tasks(kehu, "华为", "stranger")
    kehu("advance", "华为")
    assert "needs --reason" in kehu("drop", "华为", code=2).stderr
    kehu("drop", "华为", "--reason", "资金链紧张，无法付款")
    data = kehu.json("show", "华为")
    assert data["terminated"] is True and data["terminated_reason"] == "资金链紧张，无法付款"
    assert data["stage"] == "acquainted"
    assert "terminated" in kehu("list").stdout
    r = kehu("advance", "华为", "--force", "--reason", "x", code=1)
    assert "terminated" in r.stderr
    assert "already terminated" in kehu("drop", "华为", "--reason", "x", code=1).stderr
    kehu("reopen", "华为")
    data = kehu.json("show", "华为")
    assert data["terminated"] is False and data["stage"] == "acquainted"
    assert "not terminated" in kehu("reopen", "华为", code=1).stderr
    kinds = [e["kind"] for e in kehu.json("history", "华为")]
    assert kinds[-2:] == ["dropped", "reopened"]


def test_task_already_done_and_unknown_task(kehu):
    kehu("add", "华为")
    kehu("done", "华为", "plan", "--date", "2026-10-01")
    assert "already done on 2026-10-01" in kehu("done", "华为", "规划", code=1).stderr
    assert "Unknown task: lunch" in kehu("done", "华为", "lunch", code=2).stderr
    r = kehu("done", "华为", "sign")
    assert "belongs to mature" in r.stderr


def test_every_stage_change_is_a_dated_event(kehu, isolated_book):
    kehu("add", "华为")
    do_tasks(kehu, "华为", "stranger")
    kehu("advance", "华为")
    kehu("drop", "华为", "--reason", "不信任我们")
    kehu("reopen", "华为")
    rows = query(isolated_book,
                 "SELECT kind, from_stage, to_stage, at FROM event WHERE kind != 'task_done' ORDER BY id")
    assert [r[:3] for r in rows] == [
        ("created", None, "stranger"),
        ("advanced", "stranger", "acquainted"),
        ("dropped", "acquainted", "acquainted"),
        ("reopened", "acquainted", "acquainted"),
    ]
    assert all(r[3] for r in rows)


@pytest.mark.parametrize("lang, text", [("zh", "不能从陌生期推进到建立期"), ("en", "Cannot advance from stranger")])
def test_refusal_in_both_languages(kehu, lang, text):
    kehu("add", "华为")
    assert text in kehu("--lang", lang, "advance", "华为", code=1).stderr


def test_back_filled_stage_changes_keep_their_dates_and_order(kehu):
    env = {"KEHU_TODAY": "2026-11-23"}
    kehu("add", "华为", "--date", "2025-11-20", env=env)
    kehu("done", "华为", "plan", "--date", "2025-12-01", env=env)
    kehu("done", "华为", "call", "--date", "2025-12-20", env=env)
    kehu("advance", "华为", "--date", "2026-01-05", env=env)
    kehu("drop", "华为", "--reason", "预算冻结", "--date", "2026-03-01", env=env)
    kehu("reopen", "华为", "--date", "2026-09-01", env=env)
    events = kehu.json("history", "华为")
    dated = [(e["kind"], e["at"][:10]) for e in events]
    assert dated == [("created", "2025-11-20"), ("task_done", "2025-12-01"), ("task_done", "2025-12-20"),
                     ("advanced", "2026-01-05"), ("dropped", "2026-03-01"), ("reopened", "2026-09-01")]
    assert "in the future" in kehu("drop", "华为", "--reason", "x", "--date", "明天", code=2, env=env).stderr
    assert "in the future" in kehu("done", "华为", "visit", "--date", "+30d", code=2, env=env).stderr


def test_back_filled_stage_changes_must_follow_the_history(kehu):
    env = {"KEHU_TODAY": "2026-11-23"}
    kehu("add", "华为", "--date", "-10d", env=env)
    r = kehu("advance", "华为", "--force", "--reason", "t", "--date", "-20d", code=2, env=env)
    assert "--date 2026-11-03 is before this customer's latest recorded event (2026-11-13)" in r.stderr
    kehu("advance", "华为", "--force", "--reason", "t", "--date", "-5d", env=env)
    assert "before this customer's latest" in kehu(
        "drop", "华为", "--reason", "x", "--date", "-6d", code=2, env=env).stderr
    kehu("drop", "华为", "--reason", "x", "--date", "-5d", env=env)  # the same day is fine
    assert "before this customer's latest" in kehu("reopen", "华为", "--date", "-7d", code=2, env=env).stderr
    kehu("done", "华为", "plan", "--date", "-30d", env=env)  # work done before the account was opened: fine
    assert [e["kind"] for e in kehu.json("history", "华为")] == ["task_done", "created", "forced", "dropped"]

"""`kehu remind` (cron) and `kehu next` (terminal): what is due, in what order, in what shape."""

from __future__ import annotations

import json

import pytest
from _books import no_book_words

TODAY = "2026-11-23"
ENV = {"KEHU_TODAY": TODAY}


# Every command here runs on 2026-11-23, whatever the real date: the dates written below
# are around it (with the clock 400 days back, unpinned commands made the customers in
# 2025 and refused these dates as in the future).
pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def book(kehu):
    """Three customers with a spread of due items; values make 华为 platinum (top of 3).
    Their entered values count in full, without the small-book minimums (the urgency
    arithmetic is under test here; test_method_tiers has the standing of prospects)."""
    kehu("config", "set", "forecast.stranger", "100", env=ENV)
    kehu("config", "set", "tier.min_counts", "0,0,0", env=ENV)
    kehu("add", "华为", "--value", "300万", "--date", "2026-01-01", env=ENV)
    kehu("add", "中兴", "--value", "100万", "--date", "2026-01-01", env=ENV)
    kehu("add", "小米", "--date", "2026-11-01", env=ENV)
    kehu("person", "add", "华为", "张伟", "--role", "决策者")
    # 华为: a promise 3 days overdue, a next step due today, touched 2 days ago
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-11-10",
         "--promise", "发送报价", "--promise-due", "2026-11-20", env=ENV)
    kehu("touch", "华为", "--kind", "topic", "--date", "2026-11-21",
         "--next", "约演示", "--next-due", "2026-11-23", env=ENV)
    # 中兴: a next step due in 5 days; last touch 2026-10-01 (lead tier: cadence 90 days)
    kehu("touch", "中兴", "--kind", "daily", "--date", "2026-10-01",
         "--next", "寄样品", "--next-due", "2026-11-28", env=ENV)
    return kehu


def remind(kehu, *args, code=0):
    return kehu("remind", *args, code=code, env=ENV)


def test_plain_format_is_exact_one_item_per_line(book):
    out = remind(book).stdout
    # 华为 is platinum (tier weight 4), 中兴 lead (1); both strangers (stage weight 0.8):
    # P1 4×1.5×0.8×(1+3/7)=6.86; N2 4×1.2×0.8×1=3.84; C1 4×1×0.8/(1+5)=0.53; N3 1×1.2×0.8/6=0.16
    assert out == (
        "overdue\t2026-11-20\tP1\t华为\tpromise\t发送报价\t6.9\n"
        "today\t2026-11-23\tN2\t华为\tnext_step\t约演示\t3.8\n"
        "upcoming\t2026-11-28\tC1\t华为\tcadence\tlast touch 2026-11-21, 2 days ago"
        " (platinum customers: every 7 days)\t0.5\n"
        "upcoming\t2026-11-28\tN3\t中兴\tnext_step\t寄样品\t0.2\n"
    )
    assert "\x1b[" not in out and "─" not in out


def test_tiers_behind_the_urgencies(book):
    tiers = {c["tier"]: c for c in book.json("tier")["tiers"]}
    assert tiers["platinum"]["count"] == 1
    assert book.json("tier", "--explain", "华为")["tier"] == "platinum"
    assert book.json("tier", "--explain", "中兴")["tier"] == "lead"  # 1 of 3 above: 33% ≥ 20%


def test_within_limits_the_horizon(book):
    lines = remind(book, "--within", "0").stdout.splitlines()
    assert [line.split("\t")[2] for line in lines] == ["P1", "N2"]
    for bad in ("soon", "7dd", "2wd", "-1d", "99999d"):
        assert "Cannot read the window" in remind(book, "--within", bad, code=2).stderr
    assert len(remind(book, "--within", "1w").stdout.splitlines()) == 4


def test_nothing_due_prints_nothing_and_exits_0(kehu):
    kehu("add", "华为", "--date", "2026-11-20", env=ENV)
    r = kehu("remind", "--within", "0", env=ENV)
    assert r.stdout == "" and r.stderr == ""
    r = kehu("remind", "--within", "0", "--json", env=ENV)
    assert r.stdout == ""


def test_errors_exit_non_zero_with_a_message(kehu):
    r = kehu("remind", code=66, env=ENV)
    assert r.stdout == "" and no_book_words() in r.stderr


def test_closing_items_removes_them(book):
    book("promise", "kept", "1", "--date", "2026-11-22", env=ENV)
    book("followup", "done", "N2", env=ENV)
    book("touch", "中兴", "--kind", "daily", "--follows", "n3", env=ENV)
    # only the keep-in-touch reminder for 华为 (last touch 11-21, due 11-28) is left
    assert [x.split("\t")[2] for x in remind(book).stdout.splitlines()] == ["C1"]
    assert "already done" in book("followup", "done", "N2", code=1, env=ENV).stderr
    assert "keep-in-touch" in book("followup", "done", "C1", code=1, env=ENV).stderr
    assert "Not a follow-up id" in book("followup", "done", "X9", code=2, env=ENV).stderr


def test_follows_must_belong_to_the_customer(book):
    r = book("touch", "中兴", "--kind", "daily", "--follows", "N2", code=1, env=ENV)
    assert "not 中兴's" in r.stderr
    assert len(book.json("show", "中兴")["touchpoints"]) == 1  # nothing half-written


def test_cadence_item_for_a_customer_not_touched_in_time(kehu):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)  # platinum: every 7 days
    kehu("touch", "华为", "--kind", "daily", "--date", "2026-11-10", env=ENV)
    lines = kehu("remind", "--within", "0", env=ENV).stdout.splitlines()
    assert lines == [
        "overdue\t2026-11-17\tC1\t华为\tcadence\tlast touch 2026-11-10, 13 days ago "
        "(platinum customers: every 7 days)\t5.9"
    ]
    kehu("add", "小米", "--date", "2026-05-01", env=ENV)  # never touched, lead: 90 days from added
    lines = kehu("remind", "--within", "0", env=ENV).stdout.splitlines()
    # lead (weight 1), 116 days late: 1 × 1 × 0.8 × (1 + 116/7) = 14.06, so it comes first
    assert lines[0] == (
        "overdue\t2026-07-30\tC2\t小米\tcadence\tnot touched since added on 2026-05-01 "
        "(lead customers: every 90 days)\t14.1"
    )


def test_terminated_customers_are_not_reminded(book):
    book("drop", "华为", "--reason", "预算取消", env=ENV)
    ids = [line.split("\t")[2] for line in remind(book).stdout.splitlines()]
    # 华为's items are gone; 中兴 is now the top active customer, so platinum, and overdue
    assert ids == ["C2", "N3"]


def test_owner_filter(book):
    book("edit", "中兴", "--owner", "王磊")
    ids = [line.split("\t")[2] for line in remind(book, "--owner", "王磊").stdout.splitlines()]
    assert ids == ["N3"]


def test_json_and_explain(book):
    [first, *_] = json.loads(remind(book, "--json").stdout)
    assert first["id"] == "P1" and first["bucket"] == "overdue" and first["days_overdue"] == 3
    parts = first["urgency_parts"]
    assert parts == {"tier": 4.0, "kind": 1.5, "stage": 0.8, "timing": pytest.approx(1 + 3 / 7, abs=1e-4)}
    assert first["urgency"] == pytest.approx(4 * 1.5 * 0.8 * (1 + 3 / 7), abs=1e-3)
    line = remind(book, "--explain").stdout.splitlines()[0]
    # the weights are kehu's own, and the explanation says so (issue 18, DOMAIN §11)
    assert line.endswith("tier 4 × kind 1.5 × stage 0.8 × timing 1.43 = 6.86 (kehu's own weights)")
    out = book("followup", "explain", "P1", env=ENV).stdout
    assert "tier 4 × kind 1.5 × stage 0.8 × timing 1.43 = 6.86 (kehu's own weights)" in out


def test_new_only_shows_what_became_due_since_the_previous_run(book):
    first = remind(book, "--new", "--within", "0").stdout.splitlines()
    assert [x.split("\t")[2] for x in first] == ["P1", "N2"]
    assert remind(book, "--new", "--within", "0").stdout == ""  # an hour later: nothing new
    # a promise recorded after the last run, already due: new
    book("touch", "中兴", "--kind", "daily", "--date", "2026-11-15",
         "--promise", "补发资料", "--promise-due", "2026-11-18", env=ENV)
    again = remind(book, "--new", "--within", "0").stdout.splitlines()
    assert [x.split("\t")[2] for x in again] == ["P2"]
    # five days later: what became due in between (the next step and 华为's keep-in-touch
    # date, both 11-28) shows; what was already shown does not
    later = book("remind", "--new", "--within", "0", env={"KEHU_TODAY": "2026-11-28"}).stdout.splitlines()
    assert [x.split("\t")[2] for x in later] == ["C1", "N3"]
    # without --new everything due is shown as always
    assert len(remind(book, "--within", "0").stdout.splitlines()) == 3
    # each owner scope has its own memory
    assert remind(book, "--new", "--within", "0", "--owner", "nobody").stdout == ""


def test_terminal_output_is_a_coloured_table(book):
    r = book("remind", env={**ENV, "KEHU_TTY": "1", "COLUMNS": "160", "FORCE_COLOR": "1"})
    assert "─" in r.stdout and "发送报价" in r.stdout
    assert "\x1b[1;31m" in r.stdout  # overdue rows in bold red
    assert "\t" not in r.stdout


def test_next_ranks_due_items_tasks_and_trust_gaps(book):
    agenda = json.loads(book("next", "-n", "20", "--json", env=ENV).stdout)
    kinds = {a["id"]: a["kind"] for a in agenda}
    assert kinds["P1"] == "promise" and kinds["N2"] == "next_step"
    assert "N3" not in kinds  # next shows what is due today or earlier
    assert kinds["T1"] == "task" and kinds["S1"] == "trust"
    urg = [a["urgency"] for a in agenda]
    assert urg == sorted(urg, reverse=True)
    task = next(a for a in agenda if a["id"] == "T1")
    assert task["text"] == "next stage task: account planning (plan)"
    assert len(json.loads(book("next", "-n", "2", "--json", env=ENV).stdout)) == 2
    plain = book("next", env=ENV).stdout.splitlines()
    assert plain[0].split("\t")[:3] == ["overdue", "2026-11-20", "P1"]


def test_next_flags_deciders_not_seen(kehu):
    kehu("add", "华为", "--value", "100", "--date", "2026-01-01", env=ENV)
    kehu("person", "add", "华为", "张伟", "--role", "决策者")
    kehu("person", "add", "华为", "李娜", "--role", "使用者")
    kehu("config", "set", "trust.threshold", "0")
    kehu("advance", "华为", "--force", "--reason", "转介绍", env=ENV)
    kehu("advance", "华为", "--force", "--reason", "转介绍", env=ENV)
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-08-01", env=ENV)
    kehu("touch", "华为", "--kind", "daily", "--with", "李娜", "--date", "2026-11-20", env=ENV)
    agenda = json.loads(kehu("next", "--json", env=ENV).stdout)
    gap = next(a for a in agenda if a["kind"] == "decider")
    assert gap["text"] == "no contact with any decider for 114 days: plan an executive visit"


def test_funnel(kehu):
    env = ENV
    for name in ("甲", "乙", "丙", "丁"):
        kehu("add", name, "--date", "2026-01-01", env=env)
    for name in ("甲", "乙", "丙"):
        kehu("advance", name, "--force", "--reason", "x", "--date", "2026-01-11", env=env)
    kehu("advance", "甲", "--force", "--reason", "x", "--date", "2026-02-10", env=env)
    kehu("drop", "丙", "--reason", "预算取消", env=env)
    data = json.loads(kehu("funnel", "--json", env=env).stdout)
    stages = {s["stage"]: s for s in data["stages"]}
    assert stages["stranger"] == {"stage": "stranger", "now": 1, "reached": 4, "conversion": 0.75, "median_days": 10.0}
    assert stages["acquainted"]["now"] == 1 and stages["acquainted"]["reached"] == 3
    assert stages["acquainted"]["conversion"] == pytest.approx(1 / 3, abs=1e-4)
    assert stages["acquainted"]["median_days"] == 30.0
    assert stages["evaluation"]["now"] == 1 and stages["evaluation"]["median_days"] is None
    cold = {c["name"]: c for c in data["going_cold"]}
    # 丁 has been a stranger since 2026-01-01 (> 60 days); 丙 is terminated, so never cold
    assert {n: (c["stage"], c["days"]) for n, c in cold.items()} == {
        "丁": ("stranger", 326), "乙": ("acquainted", 316), "甲": ("evaluation", 286),
    }
    assert [c["name"] for c in data["going_cold"]] == ["丁", "乙", "甲"]  # longest first
    out = kehu("funnel", env=env).stdout
    assert "stranger\t1\t4\t75%\t10" in out


def test_new_with_a_window_reports_an_upcoming_item_once(book):
    first = [x.split("\t")[2] for x in remind(book, "--new", "--within", "7d").stdout.splitlines()]
    assert first == ["P1", "N2", "C1", "N3"]
    assert remind(book, "--new", "--within", "7d").stdout == ""
    # two days later nothing new has come into the window or fallen due
    assert book("remind", "--new", "--within", "7d", env={"KEHU_TODAY": "2026-11-25"}).stdout == ""


def test_new_reports_a_cadence_that_became_due_through_a_tier_change(kehu):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)
    kehu("touch", "华为", "--kind", "daily", "--date", "2026-11-20", env=ENV)
    kehu("add", "中兴", "--date", "2026-11-01", env=ENV)
    kehu("touch", "中兴", "--kind", "daily", "--date", "2026-11-10", env=ENV)
    assert kehu("remind", "--new", "--within", "0", env=ENV).stdout == ""
    kehu("edit", "中兴", "--value", "500")  # now the top customer: platinum, every 7 days
    lines = kehu("remind", "--new", "--within", "0", env=ENV).stdout.splitlines()
    assert [x.split("\t")[2] for x in lines] == ["C2"]


def test_suggestions_and_wrong_ids_are_explained(book):
    r = book("followup", "done", "T1", code=1, env=ENV)
    assert "suggestion from kehu next" in r.stderr
    r = book("touch", "华为", "--kind", "daily", "--follows", "P1", code=2, env=ENV)
    assert "--follows takes a next-step id such as N12 or an after-sale visit such as A4, not 'P1'" in r.stderr
    r = book("followup", "done", "P1", "--date", "2026-11-22", env=ENV)
    assert "does not count as kept on time" in r.stderr


def test_any_item_of_next_can_be_explained(book):
    agenda = json.loads(book("next", "-n", "50", "--json", env=ENV).stdout)
    for entry in agenda:
        explained = json.loads(book("followup", "explain", entry["id"], "--json", env=ENV).stdout)
        assert explained["urgency"] == entry["urgency"] and explained["text"] == entry["text"]
    assert "No follow-up T99" in book("followup", "explain", "T99", code=1, env=ENV).stderr

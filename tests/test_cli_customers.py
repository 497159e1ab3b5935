"""Customers: adding, names, finding them again, editing, listing, showing."""

from __future__ import annotations

import json

import pytest


def test_add_then_show_as_json(kehu):
    kehu("add", "华为技术", "--industry", "通信", "--region", "深圳", "--kind", "商业",
         "--level", "优先供应商", "--value", "50万", "--owner", "王磊", "--note", "老客户")
    data = kehu.json("show", "华为技术")
    assert data["id"] == 1
    assert data["name"] == "华为技术"
    assert data["stage"] == "stranger"
    assert data["lifecycle"] == "prospect"
    assert (data["industry"], data["region"], data["owner"], data["note"]) == ("通信", "深圳", "王磊", "老客户")
    assert data["kind"] == "business" and data["level"] == "preferred"
    assert data["value"] == "500000.00"
    assert [t["key"] for t in data["tasks"]][:2] == ["plan", "call"]
    assert all(t["done"] is False for t in data["tasks"])
    assert set(data["trust"]["factors"]) == {"competence", "reliability", "connection", "time"}
    assert data["trust"]["score"] == 0
    assert data["people"] == []


@pytest.mark.parametrize(
    "first, second",
    [("华为", " 华为 "), ("ＡＣＭＥ", "acme"), ("Acme  Corp", "acme corp"), ("北京 字节", "北京　字节")],
)
def test_names_are_unique_after_normalisation(kehu, first, second):
    kehu("add", first)
    r = kehu("add", second, code=1)
    assert "already exists: #1" in r.stderr
    assert len(kehu.json("list")) == 1


def test_name_is_stored_clean(kehu):
    kehu("add", "  杭州   云帆物流 ")
    assert kehu.json("show", "1")["name"] == "杭州 云帆物流"


@pytest.mark.parametrize("ref", ["1", "#1", "杭州云帆物流", "杭州云帆", "杭州"])
def test_customer_reference_by_id_name_or_unique_prefix(kehu, ref):
    kehu("add", "杭州云帆物流")
    kehu("add", "深圳星河制造")
    assert kehu.json("show", ref)["name"] == "杭州云帆物流"


def test_ambiguous_reference_lists_candidates_and_changes_nothing(kehu):
    kehu("add", "华为技术")
    kehu("add", "华为终端")
    r = kehu("edit", "华为", "--owner", "王磊", code=1)
    assert "#1 华为技术" in r.stderr and "#2 华为终端" in r.stderr
    assert r.stderr.count("\n") == 1
    assert all(c["owner"] is None for c in kehu.json("list"))


def test_unknown_customer(kehu):
    kehu("add", "华为")
    r = kehu("show", "阿里", code=1)
    assert r.stderr.startswith("kehu: No customer matches '阿里'")


def test_prefix_wildcards_are_literal(kehu):
    kehu("add", "a_b")
    kehu("add", "axb")
    assert kehu.json("show", "a_")["name"] == "a_b"
    kehu("show", "%", code=1)


def test_edit_changes_fields_and_records_an_event(kehu):
    kehu("add", "华为")
    kehu("edit", "华为", "--name", "华为技术", "--region", "东莞", "--value", "1,200,000.50")
    data = kehu.json("show", "华为技术")
    assert data["region"] == "东莞" and data["value"] == "1200000.50"
    events = kehu.json("history", "华为技术")
    assert [e["kind"] for e in events] == ["created", "edited"]
    assert set(events[1]["detail"]["fields"]) == {"name", "region", "value"}


def test_edit_rename_to_an_existing_name_is_refused(kehu):
    kehu("add", "华为")
    kehu("add", "中兴")
    r = kehu("edit", "中兴", "--name", " 华为", code=1)
    assert "#1 华为" in r.stderr
    assert kehu.json("show", "2")["name"] == "中兴"


def test_edit_without_options_is_a_usage_error(kehu):
    kehu("add", "华为")
    r = kehu("edit", "华为", code=2)
    assert "Nothing to change" in r.stderr


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("--kind", "vip"), "Unknown customer kind: vip. Accepted: consumer (消费者客户)"),
        (("--level", "friend"), "Unknown relationship level: friend"),
        (("--value", "lots"), "Cannot read the amount 'lots'"),
        (("--value", "-5"), "Cannot read the amount '-5'"),
    ],
)
def test_bad_values_are_usage_errors_and_create_nothing(kehu, isolated_book, args, fragment):
    r = kehu("add", "华为", *args, code=2)
    assert fragment in r.stderr
    assert r.stderr.count("\n") == 1
    assert not isolated_book.exists()


def test_empty_and_overlong_names(kehu):
    assert "cannot be empty" in kehu("add", "   ", code=2).stderr
    assert "too long" in kehu("add", "长" * 201, code=2).stderr


def test_list_filters_by_stage_and_owner(kehu):
    kehu("add", "甲", "--owner", "王磊")
    kehu("add", "乙", "--owner", "李娜")
    kehu("done", "甲", "plan")
    kehu("done", "甲", "call")
    kehu("advance", "甲")
    assert [c["name"] for c in kehu.json("list", "--stage", "建立期")] == ["甲"]
    assert [c["name"] for c in kehu.json("list", "--stage", "stranger")] == ["乙"]
    assert [c["name"] for c in kehu.json("list", "--owner", "李娜")] == ["乙"]
    assert "Unknown stage" in kehu("list", "--stage", "done", code=2).stderr


def test_list_counts_people_promises_and_last_touch(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", "2026-11-23")  # the dates below are in the past on any day
    kehu("add", "华为")
    kehu("person", "add", "华为", "张总")
    kehu("touch", "华为", "--kind", "daily", "--date", "2026-05-01", "--promise", "报价", "--promise-due", "2026-05-10")
    kehu("touch", "华为", "--kind", "topic", "--date", "2026-04-01")
    [row] = kehu.json("list")
    assert (row["people"], row["open_promises"], row["last_touch"]) == (1, 1, "2026-05-01")


@pytest.mark.parametrize("name", ["ACME [bold]Ltd", "Foo [/x]", "[red]红[/red]"])
def test_customer_names_print_exactly_as_typed(kehu, name):
    kehu("add", name)
    assert name in kehu("list").stdout
    assert name in kehu("show", "1").stdout
    tty = kehu("list", env={"KEHU_TTY": "1", "COLUMNS": "200"})
    assert name in tty.stdout
    tty = kehu("show", "1", env={"KEHU_TTY": "1", "COLUMNS": "200"})
    assert name in tty.stdout
    err = kehu("add", name, code=1)
    assert name in err.stderr


def test_piped_output_is_plain_and_tab_separated(kehu):
    kehu("add", "华为", "--owner", "王磊")
    out = kehu("list").stdout
    lines = out.splitlines()
    assert lines[0].split("\t")[:3] == ["ID", "Name", "Stage"]
    assert lines[1].split("\t")[:3] == ["1", "华为", "stranger"]
    assert "\x1b[" not in out and "─" not in out


def test_terminal_output_is_a_rich_table(kehu):
    kehu("add", "华为")
    out = kehu("list", env={"KEHU_TTY": "1", "COLUMNS": "120"}).stdout
    assert "─" in out and "华为" in out and "\t" not in out


def test_chinese_labels_follow_lang(kehu):
    kehu("add", "华为", "--kind", "business")
    assert "陌生期" in kehu("--lang", "zh", "list").stdout
    assert "stranger" in kehu("--lang", "en", "list").stdout
    assert "陌生期" in kehu("list", env={"KEHU_LANG": "zh_CN"}).stdout
    env = {"KEHU_LANG": "", "LANG": "zh_CN.UTF-8"}
    assert "陌生期" in kehu("list", env=env).stdout
    env = {"KEHU_LANG": "", "LANG": "de_DE.UTF-8"}
    assert "stranger" in kehu("list", env=env).stdout
    # JSON never translates
    out = kehu("--lang", "zh", "show", "华为", "--json").stdout
    assert json.loads(out)["stage"] == "stranger" and "陌生期" not in out


def test_messages_go_to_stderr_data_to_stdout(kehu):
    r = kehu("add", "华为")
    assert r.stdout == ""
    assert "Added customer #1 华为" in r.stderr
    r = kehu("add", "中兴", "--json")
    assert r.stdout.startswith("{") and "Added customer" in r.stderr


def test_a_name_made_of_digits_versus_an_id(kehu):
    kehu("add", "华为")
    kehu("add", "1")  # a customer really named "1" (id 2)
    r = kehu("show", "1", code=1)
    assert "'1' is both the id of #1 (华为) and the name of #2: write '#1' or '#2'" in r.stderr
    assert "No customer matches" in kehu("show", "²", code=1).stderr  # a digit int() refuses
    assert kehu.json("show", "#1")["name"] == "华为"
    assert kehu.json("show", "#2")["name"] == "1"
    assert "No customer matches '#9'" in kehu("show", "#9", code=1).stderr


def test_ambiguity_counts_every_candidate(kehu):
    for i in range(30):
        kehu("add", f"华为{i:02d}")
    r = kehu("show", "华为", code=1)
    assert "(+22)" in r.stderr


@pytest.mark.parametrize(
    "var, value", [("KEHU_TODAY", "tomorrow"), ("KEHU_BUSY_TIMEOUT_MS", "5s"),
                   # days at the ends of the calendar left no room for date arithmetic (exit 70)
                   ("KEHU_TODAY", "9999-12-31"), ("KEHU_TODAY", "0001-01-01"), ("KEHU_TODAY", "2200-01-01"),
                   ("KEHU_TODAY", "1899-12-31")]
)
def test_bad_environment_values_are_configuration_errors(kehu, var, value):
    kehu("add", "华为")
    for args in (("touch", "华为", "--kind", "daily"), ("remind",), ("next",), ("tier",), ("add", "中兴")):
        r = kehu(*args, code=78, env={var: value})
        assert r.stderr.startswith(f"kehu: The environment variable {var}='{value}' is invalid")
        assert r.stderr.count("\n") == 1


@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31"])
def test_the_ends_of_the_accepted_years_can_be_pinned(kehu, day):
    kehu("add", "华为", env={"KEHU_TODAY": day})
    kehu("touch", "华为", "--kind", "daily", "--next", "回访", "--next-due", "+0d", env={"KEHU_TODAY": day})
    assert kehu.json("remind", env={"KEHU_TODAY": day})[0]["due"] == day


def test_fields_can_be_cleared_and_private_notes_erased(kehu):
    kehu("add", "华为", "--note", "老客户", "--value", "10万", "--kind", "商业", "--owner", "王磊")
    kehu("edit", "华为", "--note", "", "--value", " ", "--kind", "", "--owner", "")
    data = kehu.json("show", "华为")
    assert (data["note"], data["value"], data["kind"], data["owner"]) == (None, None, None, None)
    assert "cannot be empty" in kehu("edit", "华为", "--name", "", code=2).stderr
    kehu("person", "add", "华为", "张伟", "--private", "孩子在读高三", "--title", "CIO")
    kehu("person", "edit", "华为", "张伟", "--private", "")
    assert kehu.json("person", "show", "华为", "张伟", "--private")["private"] is None
    assert kehu.json("person", "show", "华为", "张伟")["title"] == "CIO"


@pytest.mark.parametrize(
    "path_suffix", ["a?mode=ro.db", "demo%41.db", "名 册.db"]
)
def test_the_book_path_is_taken_literally(kehu, tmp_path, path_suffix):
    path = tmp_path / path_suffix
    kehu("--db", str(path), "add", "华为")
    assert path.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(("book", "xdg", "home"))) == [path.name]
    assert kehu.json("--db", str(path), "list")[0]["name"] == "华为"


def test_empty_db_option_and_empty_file(kehu, tmp_path):
    assert "--db cannot be empty" in kehu("--db", "", "list", code=2).stderr
    empty = tmp_path / "empty.db"
    empty.touch()
    kehu("--db", str(empty), "list", code=66)
    assert empty.stat().st_size == 0


def test_a_failed_first_add_removes_the_folders_it_made(kehu, tmp_path, monkeypatch):
    from kehu.store import customers

    monkeypatch.setattr(customers, "add_customer", lambda *a, **k: 1 / 0)
    target = tmp_path / "a" / "b" / "kehu.db"
    kehu("--db", str(target), "add", "华为", code=70)
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(
    "args, code, fragment",
    [(("--value", "99999999999999999999"), 2, "too large"),
     (("--value", "50万元"), 0, ""),
     (("--date", "0001-01-01"), 2, "out of range")],
)
def test_amount_and_date_limits(kehu, args, code, fragment):
    r = kehu("add", "华为", *args, code=code)
    assert fragment in r.stderr


def test_filters_that_match_nothing_say_so(kehu):
    kehu("add", "华为")
    assert "No customer matches these filters" in kehu("list", "--owner", "nobody").stderr


def test_an_argument_that_is_not_utf8_is_a_usage_error(kehu):
    kehu("add", "华为")
    r = kehu("show", "\udcff", code=2)
    assert "not valid text" in r.stderr

"""Deleting what was recorded by mistake: a customer, a person, a touchpoint, a promise, a
contract, a piece of a negotiation plan. A delete that takes other records with it says
which and needs --yes; paid money is never deleted; a refusal leaves the book exactly as
it was."""

from __future__ import annotations

import pytest
from _books import any_dump, query


@pytest.fixture
def book(kehu, monkeypatch, isolated_book):
    """华为 with a person, a touchpoint with a next step and a promise, a contract with a plan
    and a negotiation entry; 中兴 untouched beside it."""
    monkeypatch.setenv("KEHU_TODAY", "2026-03-10")
    kehu("add", "华为")
    kehu("add", "中兴")
    kehu("person", "add", "华为", "张伟")
    kehu("person", "add", "中兴", "李娜")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--next", "send the deck", "--next-due", "+3d",
         "--promise", "a quote", "--promise-due", "+5d")
    kehu("contract", "add", "华为", "Phase 1", "--amount", "10万")
    kehu("contract", "plan", "1", "--instalment", "2026-04-01:4万", "--instalment", "2026-05-01:6万")
    kehu("negotiate", "goal", "1", "--specific", "sign phase 1")
    kehu("negotiate", "issue", "1", "price", "--need", "cash flow")
    kehu("negotiate", "option", "1", "pay in three parts")
    kehu.db = isolated_book
    return kehu


def _count(db, table: str, where: str = "1=1") -> int:
    return query(db, f"SELECT count(*) FROM {table} WHERE {where}")[0][0]


def test_customer_delete_without_yes_says_what_would_go_and_changes_nothing(book):
    before = any_dump(book.db)
    events = _count(book.db, "event", "customer_id = 1")
    assert events >= 3  # added, contract added, plan set
    r = book("delete", "华为", code=1)
    assert r.stderr == (
        "kehu: Deleting customer #1 华为 also deletes 1 people, 1 touchpoints, 1 promises, 1 contracts "
        f"(2 instalments), 3 negotiation entries and {events} history events. Add --yes to delete them.\n")
    assert any_dump(book.db) == before


def test_customer_delete_with_yes_takes_everything_under_it(book):
    book("delete", "华为", "--yes")
    names = [c["name"] for c in book.json("list")]
    assert names == ["中兴"]
    book("show", "华为", code=1)
    for table in ("person", "touchpoint", "touchpoint_person", "promise", "contract", "instalment",
                  "negotiation_fact", "negotiation_issue", "negotiation_option", "event", "task_done"):
        rows = query(book.db, f"SELECT * FROM {table}")
        assert all("华为" not in repr(r) for r in rows)
    assert _count(book.db, "customer", "id = 1") == 0
    assert _count(book.db, "person") == 1 and _count(book.db, "touchpoint") == 0
    assert _count(book.db, "contract") == 0 and _count(book.db, "instalment") == 0
    assert _count(book.db, "negotiation_fact") + _count(book.db, "negotiation_issue") == 0
    assert _count(book.db, "negotiation_option") == 0
    assert _count(book.db, "event", "customer_id = 1") == 0  # its history goes with it
    assert _count(book.db, "event", "customer_id = 2") == 1  # the other customer's stays


def test_customer_with_money_paid_is_never_deleted(book):
    book("contract", "sign", "1")
    book("pay", "1", "1万")
    before = any_dump(book.db)
    r = book("delete", "华为", "--yes", code=1)
    assert "10,000" in r.stderr and "never deleted" in r.stderr and "kehu drop" in r.stderr
    assert any_dump(book.db) == before


def test_customer_delete_in_chinese(book):
    r = book("--lang", "zh", "delete", "中兴", code=1)
    assert "确认删除请加 --yes" in r.stderr and "1 位决策人" in r.stderr
    r = book("--lang", "zh", "delete", "中兴", "--yes")
    assert "已删除客户 #2 中兴" in r.stderr


def test_person_delete_needs_yes_when_touchpoints_name_them(book):
    before = any_dump(book.db)
    r = book("person", "delete", "华为", "张伟", code=1)
    assert "named at 1 touchpoint(s)" in r.stderr and "--yes" in r.stderr
    assert any_dump(book.db) == before
    book("person", "delete", "华为", "张伟", "--yes")
    assert book.json("person", "list", "华为") == []
    assert _count(book.db, "touchpoint_person") == 0
    assert _count(book.db, "touchpoint") == 1  # the touchpoint stays, without them
    # a person no touchpoint names goes without --yes
    book("person", "delete", "中兴", "李娜")
    assert book.json("person", "list", "中兴") == []
    events = book.json("history", "华为")
    assert events[-1]["kind"] == "deleted"


def test_person_delete_and_forget_say_which_is_which_in_their_help(kehu):
    delete = " ".join(kehu("person", "delete", "--help").stdout.split())
    forget = " ".join(kehu("person", "forget", "--help").stdout.split())
    assert "kehu undo can bring them back" in delete and "person forget" in delete
    assert "cannot be undone" in forget and "person delete" in forget


def test_touch_delete_announces_its_promises(book):
    before = any_dump(book.db)
    r = book("touch", "delete", "1", code=1)
    assert r.stderr == ("kehu: Deleting touchpoint #1 also deletes the promises made at it: P1. "
                        "Add --yes to delete them.\n")
    assert any_dump(book.db) == before
    book("touch", "delete", "N1", "--yes")
    assert _count(book.db, "touchpoint") == 0 and _count(book.db, "promise") == 0
    assert _count(book.db, "touchpoint_person") == 0
    assert book.json("show", "华为")["touchpoints"] == []
    book("followup", "done", "N1", code=1)  # its next step went with it


def test_touch_delete_unknown(book):
    r = book("touch", "delete", "99", code=1)
    assert "No touchpoint #99" in r.stderr


def test_touch_is_still_recorded_without_add(book):
    book("touch", "中兴", "--kind", "daily")
    book("touch", "add", "中兴", "--kind", "topic")
    assert [t["kind"] for t in book.json("show", "中兴")["touchpoints"]] == ["topic", "daily"]


def test_promise_delete(book):
    book("promise", "delete", "1")
    assert book.json("promise", "list") == []
    assert _count(book.db, "touchpoint") == 1
    book("promise", "delete", "1", code=1)


def test_contract_delete_needs_yes_for_its_plans(book):
    before = any_dump(book.db)
    r = book("contract", "delete", "1", code=1)
    assert "2 planned instalments and 3 negotiation entries" in r.stderr
    assert any_dump(book.db) == before
    book("contract", "delete", "1", "--yes")
    assert book.json("contract", "list") == []
    assert _count(book.db, "instalment") + _count(book.db, "negotiation_fact") == 0
    assert _count(book.db, "negotiation_issue") + _count(book.db, "negotiation_option") == 0
    assert book.json("history", "华为")[-1]["kind"] == "deleted"


def test_contract_without_plans_goes_without_yes_and_lost_ones_too(book):
    book("contract", "add", "华为", "Phase 2", "--amount", "5万")
    book("contract", "lose", "2", "--reason", "price")
    book("contract", "delete", "2")
    assert [k["id"] for k in book.json("contract", "list")] == [1]


def test_signed_or_paid_contracts_are_not_deleted(book):
    book("contract", "sign", "1")
    before = any_dump(book.db)
    r = book("contract", "delete", "1", "--yes", code=1)
    assert "cannot be deleted" in r.stderr
    assert any_dump(book.db) == before


def test_paid_contract_refused_even_if_reopened_path(book):
    # money paid on a contract keeps it, whatever its status
    book("contract", "sign", "1")
    book("pay", "1", "1万")
    r = book("contract", "delete", "1", "--yes", code=1)
    assert "cannot be deleted" in r.stderr


@pytest.mark.parametrize(
    ("args", "part", "key"),
    [
        (["goal", "1", "specific"], "goal", "specific"),
        (["timing", "1", "terms"], "timing", "terms"),
        (["analysis", "1", "ours", "strengths"], "ours", "strengths"),
        (["package", "1", "最优"], "package", "best"),
        (["team", "1", "主谈"], "team", "lead"),
    ],
)
def test_negotiate_remove_clears_each_part(book, args, part, key):
    book("negotiate", "timing", "1", "terms", "they sent the terms")
    book("negotiate", "analysis", "1", "ours", "strengths", "local team")
    book("negotiate", "package", "1", "best", "120万")
    book("negotiate", "team", "1", "lead", "周志远")
    where = f"part = '{part}' AND key = '{key}'"
    assert _count(book.db, "negotiation_fact", where) == 1
    book("negotiate", "remove", *args)
    assert _count(book.db, "negotiation_fact", where) == 0
    assert _count(book.db, "negotiation_fact") == 4  # only that one went
    r = book("negotiate", "remove", *args, code=1)
    assert "has no" in r.stderr


def test_negotiate_remove_needs_its_keys(book):
    r = book("negotiate", "remove", "goal", "1", code=2)
    assert "1 key(s)" in r.stderr
    r = book("negotiate", "remove", "issue", "1")
    assert _count(book.db, "negotiation_issue") == 0 and _count(book.db, "negotiation_option") == 0

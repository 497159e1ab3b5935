"""Correcting what was recorded: touchpoints, promises, next steps, a lost contract, the day
a customer was opened; several ids in one command, all or nothing; an edit that changes
nothing says so and writes nothing; the history shows each edit, never a private value."""

from __future__ import annotations

import pytest
from _books import any_dump, query


@pytest.fixture
def book(kehu, monkeypatch, isolated_book):
    monkeypatch.setenv("KEHU_TODAY", "2026-03-10")
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟")
    kehu("person", "add", "华为", "李娜")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-03-05", "--note", "first visit",
         "--next", "send the deck", "--next-due", "2026-03-12", "--promise", "a quote", "--promise-due", "2026-03-15")
    kehu("touch", "华为", "--kind", "daily", "--next", "call back", "--next-due", "2026-03-20",
         "--promise", "a demo", "--promise-due", "2026-03-25")
    kehu.db = isolated_book
    return kehu


def _touch(book, ident: int) -> dict:
    return next(t for t in book.json("show", "华为")["touchpoints"] if t["id"] == ident)


# ------------------------------------------------------------------ nothing changed


@pytest.mark.parametrize(
    "args",
    [
        ["person", "edit", "华为", "张伟", "--name", "张伟"],
        ["person", "rate", "华为", "李娜", "3"],  # rated 3 first, below
        ["edit", "华为", "--name", "华为"],
        ["edit", "华为", "--added", "2026-03-10"],
        ["touch", "edit", "1", "--kind", "daily", "--note", "first visit"],
        ["touch", "edit", "1", "--with", "张伟"],
        ["promise", "edit", "1", "--text", "a quote", "--due", "2026-03-15"],
        ["followup", "edit", "N1", "--text", "send the deck"],
        ["contract", "edit", "1", "--title", "Phase 1", "--status", "draft"],
    ],
)
def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(book, args):
    book("person", "rate", "华为", "李娜", "3")
    book("contract", "add", "华为", "Phase 1", "--amount", "10万")
    before = any_dump(book.db)
    r = book(*args)
    assert r.stderr == "Nothing changed: the record already says that.\n"
    assert r.stdout == ""
    assert any_dump(book.db) == before
    r = book("--lang", "zh", *args)
    assert r.stderr == "没有变化：记录和原来一样，什么也没改。\n"


def test_an_edit_that_changes_something_still_says_updated(book):
    r = book("person", "edit", "华为", "张伟", "--title", "CIO")
    assert "Updated 张伟" in r.stderr
    assert book.json("person", "show", "华为", "张伟")["title"] == "CIO"


# ------------------------------------------------------------------ touchpoints


def test_touch_edit_changes_every_field(book):
    book("touch", "edit", "1", "--date", "2026-03-04", "--kind", "专题", "--with", "李娜", "--note", "",
         "--signal", "asked about price", "--next", "send deck v2", "--next-due", "2026-03-14",
         "--promise", "a firm quote", "--promise-due", "2026-03-16")
    t = _touch(book, 1)
    assert (t["date"], t["kind"], t["with"], t["note"]) == ("2026-03-04", "topic", ["李娜"], None)
    assert t["signals"] == ["asked about price"]
    assert (t["next_step"], t["next_due"]) == ("send deck v2", "2026-03-14")
    [p] = [p for p in book.json("promise", "list") if p["id"] == 1]
    assert (p["text"], p["due"], p["made_on"]) == ("a firm quote", "2026-03-16", "2026-03-04")


def test_touch_edit_clears_the_next_step_and_the_people(book):
    book("touch", "edit", "1", "--next", "", "--with-nobody")
    t = _touch(book, 1)
    assert (t["next_step"], t["next_due"], t["with"]) == (None, None, [])
    assert query(book.db, "SELECT count(*) FROM touchpoint_person")[0][0] == 0


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--next-due", "2026-03-01"], 2, "before the touchpoint's date"),
        (["--date", "2026-03-10", "--next-due", "2026-03-09"], 2, "before the touchpoint's date"),
        (["--date", "2026-03-11"], 2, "in the future"),
        (["--promise-due", "2026-03-01"], 2, "before the touchpoint's date"),
        (["--kind", "telegram"], 2, "Unknown touchpoint kind"),
        (["--with", "nobody-here"], 1, "nobody-here"),
    ],
)
def test_touch_edit_refusals_leave_the_book_as_it_was(book, args, code, words):
    before = any_dump(book.db)
    r = book("touch", "edit", "1", *args, code=code)
    assert words in r.stderr
    assert any_dump(book.db) == before


def test_touch_edit_of_a_touchpoint_without_a_next_step(book):
    book("touch", "华为", "--kind", "daily")
    r = book("touch", "edit", "3", "--next-due", "+2d", code=2)
    assert "has no next step" in r.stderr
    book("touch", "edit", "3", "--next", "visit", "--next-due", "+2d")
    assert _touch(book, 3)["next_step"] == "visit"
    r = book("touch", "edit", "3", "--promise", "x", code=1)
    assert "made 0 promises" in r.stderr


def test_touch_ids_are_shown_where_they_are_needed(book):
    assert [t["id"] for t in book.json("show", "华为")["touchpoints"]] == [2, 1]
    shown = book("show", "华为").stdout
    assert "\n#2\t2026-03-10\tdaily" in shown and "\n#1\t2026-03-05\tdaily" in shown
    r = book("remind", "--within", "30d")
    assert "N1" in r.stdout and "P1" in r.stdout


# ------------------------------------------------------------------ promises


def test_promise_edit_moves_the_due_date(book):
    book("promise", "edit", "1", "--due", "+1w")
    [p] = [p for p in book.json("promise", "list") if p["id"] == 1]
    assert p["due"] == "2026-03-17"
    r = book("promise", "edit", "1", "--due", "2026-03-01", code=2)
    assert "before" in r.stderr
    r = book("promise", "edit", "1", code=2)
    assert "give at least one option" in r.stderr


def test_promise_reopen(book):
    book("promise", "broken", "1")
    book("promise", "reopen", "1")
    assert {p["id"]: p["state"] for p in book.json("promise", "list")} == {1: "open", 2: "open"}
    r = book("promise", "reopen", "1", code=1)
    assert "open already" in r.stderr


def test_promise_kept_takes_several_ids_all_or_nothing(book):
    before = any_dump(book.db)
    r = book("promise", "kept", "1", "2", "99", code=1)
    assert "No promise #99" in r.stderr
    assert any_dump(book.db) == before
    book("promise", "kept", "1", "2")
    assert {p["state"] for p in book.json("promise", "list")} == {"kept"}
    book("promise", "reopen", "2")
    r = book("promise", "broken", "2", "1", code=1)  # 1 is kept: nothing is marked
    assert "#1" in r.stderr
    assert {p["id"]: p["state"] for p in book.json("promise", "list")} == {1: "kept", 2: "open"}


# ------------------------------------------------------------------ next steps


def test_followup_done_takes_several_ids_all_or_nothing(book):
    before = any_dump(book.db)
    r = book("followup", "done", "N1", "N2", "N99", code=1)
    assert "No follow-up N99" in r.stderr
    assert any_dump(book.db) == before
    r = book("followup", "done", "N1", "X2", code=2)
    assert "X2" in r.stderr
    book("followup", "done", "N1", "N2", "P1")
    assert _touch(book, 1)["next_done_on"] == "2026-03-10" and _touch(book, 2)["next_done_on"] == "2026-03-10"
    assert [p["state"] for p in book.json("promise", "list") if p["id"] == 1] == ["kept"]


def test_followup_undone_and_edit(book):
    book("followup", "done", "N1")
    book("followup", "undone", "N1")
    assert _touch(book, 1)["next_done_on"] is None
    r = book("followup", "undone", "N1", code=1)
    assert "not done" in r.stderr
    book("followup", "edit", "N1", "--text", "send deck v2", "--due", "2026-03-13")
    assert (_touch(book, 1)["next_step"], _touch(book, 1)["next_due"]) == ("send deck v2", "2026-03-13")
    r = book("followup", "edit", "P1", "--due", "+1d", code=2)
    assert "next step" in r.stderr
    book("followup", "edit", "N1", "--text", "")
    assert _touch(book, 1)["next_step"] is None
    r = book("followup", "done", "N1", code=1)
    assert "No follow-up N1" in r.stderr


# ------------------------------------------------------------------ contracts


def test_a_lost_contract_is_reopened_with_a_reason(book):
    book("contract", "add", "华为", "Phase 1", "--amount", "10万")
    book("contract", "lose", "1", "--reason", "price")
    r = book("contract", "edit", "1", "--status", "negotiating", code=1)
    assert "lost" in r.stderr
    r = book("contract", "reopen", "1", code=2)
    assert "--reason" in r.stderr
    book("contract", "reopen", "1", "--reason", "typed lose for the wrong contract")
    [k] = book.json("contract", "list")
    assert k["status"] == "negotiating" and k["lost_on"] is None
    r = book("contract", "reopen", "1", "--reason", "again", code=1)
    assert "not lost" in r.stderr
    last = book.json("history", "华为")[-1]
    assert (last["kind"], last["reason"]) == ("contract_reopened", "typed lose for the wrong contract")


# ------------------------------------------------------------------ the day the account was opened


def test_added_moves_the_first_record_so_stage_history_can_be_back_filled(book):
    r = book("advance", "华为", "--force", "--reason", "met in August", "--date", "2025-08-15", code=2)
    assert "before this customer's latest recorded event" in r.stderr
    book("edit", "华为", "--added", "2025-08-01")
    assert book.json("show", "华为")["added_on"] == "2025-08-01"
    first = book.json("history", "华为")[0]
    assert first["kind"] == "created" and first["at"].startswith("2025-08-01")
    book("advance", "华为", "--force", "--reason", "met in August", "--date", "2025-08-15")
    r = book("edit", "华为", "--added", "2025-09-01", code=2)  # after the stage change
    assert "first stage change (2025-08-15)" in r.stderr
    # an undated event still never goes before the latest one (the clock-back clamp)
    book("edit", "华为", "--note", "x")
    ats = [e["at"] for e in book.json("history", "华为")]
    assert ats == sorted(ats)


# ------------------------------------------------------------------ history


def test_history_shows_edits_and_deletes_with_the_actor_and_no_private_value(book):
    book("--as", "Li Wei", "person", "edit", "华为", "张伟", "--private", "女儿明年高考", "--title", "CIO")
    book("--as", "Li Wei", "touch", "edit", "1", "--note", "")
    book("--as", "Li Wei", "promise", "delete", "2")
    events = book.json("history", "华为")
    mine = [(e["kind"], e["actor"], e["detail"]) for e in events if e["actor"] == "Li Wei"]
    assert mine == [
        ("edited", "Li Wei", {"what": "person", "id": 1, "fields": ["title", "private"]}),
        ("edited", "Li Wei", {"what": "touchpoint", "id": 1, "fields": ["note"]}),
        ("deleted", "Li Wei", {"what": "promise", "id": 2, "due": "2026-03-25"}),
    ]
    table = book("history", "华为").stdout
    assert "person #1: title, private" in table and "deleted\tpromise #2" in table
    assert all("女儿" not in repr(r) for r in query(book.db, "SELECT * FROM event"))

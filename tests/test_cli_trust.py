"""`kehu trust`: factors, weakest, suggestions, per person, single point of contact."""

from __future__ import annotations

import pytest

TODAY = {"KEHU_TODAY": "2026-11-23"}


@pytest.fixture
def book(kehu):
    kehu("add", "华为")
    kehu("person", "add", "华为", "张伟", "--level", "高层", "--role", "决策者")
    kehu("person", "add", "华为", "李娜", "--level", "基层", "--role", "使用者")
    return kehu


def trust(kehu, *args):
    import json

    return json.loads(kehu("trust", "华为", "--json", *args, env=TODAY).stdout)


def test_no_contact_means_zero_trust_and_names_the_weakest(book):
    t = trust(book)
    assert t["score"] == 0
    assert t["factors"]["time"] == 0 and t["factors"]["connection"] == 0
    assert t["weakest"] in ("time", "connection")
    assert t["suggestions"]


def test_trust_json_shape_and_consistency(book):
    book("touch", "华为", "--kind", "topic", "--with", "张伟", "--date", "2026-06-01", env=TODAY)
    book("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-11-01", env=TODAY)
    t = trust(book)
    f = t["factors"]
    product = 100 * f["competence"] * f["reliability"] * f["connection"] * f["time"]
    assert t["score"] == pytest.approx(product, abs=0.15)
    assert all(0 <= v <= 1 for v in f.values())
    assert t["weakest"] == min(f, key=f.get)
    assert [p["name"] for p in t["people"]] == ["张伟", "李娜"]
    assert t["people"][1]["score"] == 0 and t["people"][1]["touches_in_window"] == 0
    assert t["single_point"] is True
    assert any(s["key"] == "tip_single_point" for s in t["suggestions"])
    assert t["first_touch"] == "2026-06-01" and t["last_touch"] == "2026-11-01"


def test_meeting_a_second_person_at_another_level_clears_the_single_point_flag(book):
    book("touch", "华为", "--kind", "topic", "--with", "张伟", "--date", "2026-06-01", env=TODAY)
    before = trust(book)
    book("touch", "华为", "--kind", "daily", "--with", "李娜", "--date", "2026-11-01", env=TODAY)
    after = trust(book)
    assert before["single_point"] and not after["single_point"]
    assert after["factors"]["connection"] > before["factors"]["connection"]
    assert after["levels_in_window"] == ["executive", "staff"]


def test_ratings_move_competence(book):
    book("touch", "华为", "--kind", "topic", "--with", "张伟", "--date", "2026-06-01", env=TODAY)
    neutral = trust(book)["factors"]["competence"]
    assert neutral == pytest.approx(0.6)
    book("person", "rate", "华为", "张伟", "5")
    book("person", "rate", "华为", "李娜", "5")
    assert trust(book)["factors"]["competence"] == pytest.approx(1.0)


def test_weakest_reliability_suggests_keeping_overdue_promises(book):
    for person in ("张伟", "李娜"):
        book("person", "rate", "华为", person, "5")
    for i, kind in enumerate(["summit", "hq_visit", "exec_visit", "topic", "showcase", "forum"]):
        book("touch", "华为", "--kind", kind, "--with", "张伟", "--with", "李娜",
             "--date", f"2026-{5 + i}-01", "--promise", "样品", "--promise-due", f"2026-{5 + i}-10", env=TODAY)
    book("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2025-01-01", env=TODAY)
    t = trust(book)
    assert t["weakest"] == "reliability"
    assert t["promises"]["overdue"] == 6
    assert t["suggestions"][0]["key"] == "tip_keep_overdue"
    assert "6 promise(s) are past due" in t["suggestions"][0]["text"]


def test_trust_table_on_terminal_and_in_chinese(book):
    book("touch", "华为", "--kind", "summit", "--with", "张伟", "--date", "2026-06-01", env=TODAY)
    out = book("--lang", "zh", "trust", "华为", env={**TODAY, "KEHU_TTY": "1", "COLUMNS": "120"}).stdout
    assert "信用" in out and "专业能力" in out and "靠谱" in out and "连接度" in out and "时间" in out
    assert "◀" in out  # the weakest factor is marked
    assert "信用只系于一人" in out
    plain = book("trust", "华为", env=TODAY).stdout
    assert "Trust" in plain and "\t" in plain and "◀" in plain

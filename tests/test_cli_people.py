"""Decision-makers: fields, labels in either language, ratings, privacy."""

from __future__ import annotations

import pytest
from _books import execute
from conftest import BACKEND


@pytest.fixture
def book(kehu):
    kehu("add", "华为")
    return kehu


def test_person_add_with_every_field(book):
    book("person", "add", "华为", "张伟", "--title", "CIO", "--dept", "信息中心", "--level", "高层",
         "--role", "决策者", "--attitude", "支持", "--kpi", "系统稳定", "--pain", "运维成本高",
         "--interest", "数字化", "--style", "喜欢先看数据", "--private", "女儿明年高考")
    [p] = book.json("person", "list", "华为")
    assert p == {
        "id": 1, "name": "张伟", "title": "CIO", "dept": "信息中心", "level": "executive",
        "role": "decider", "attitude": "support", "kpi": "系统稳定", "pain": "运维成本高",
        "interest": "数字化", "style": "喜欢先看数据", "competence": None,
        "phone": None, "mobile": None, "wechat": None, "email": None,
    }


@pytest.mark.parametrize(
    "option, value, key",
    [("--level", "middle", "middle"), ("--level", "基层", "staff"), ("--role", "内线", "coach"),
     ("--role", "技术把关", "technical"), ("--role", "影响者", "influencer"),
     ("--attitude", "反对", "oppose"), ("--role", "PROCUREMENT", "procurement")],
)
def test_person_enums_accept_keys_and_labels(book, option, value, key):
    book("person", "add", "华为", "李娜", option, value)
    field = option.lstrip("-")
    assert book.json("person", "list", "华为")[0][field] == key


def test_unknown_role_lists_accepted_values(book):
    r = book("person", "add", "华为", "李娜", "--role", "boss", code=2)
    assert "Unknown buying role: boss" in r.stderr and "decider (决策者)" in r.stderr
    assert book.json("person", "list", "华为") == []


def test_person_names_unique_per_customer(book):
    book("add", "中兴")
    book("person", "add", "华为", "张伟")
    book("person", "add", "中兴", "张伟")  # another customer: fine
    r = book("person", "add", "华为", " 张伟 ", code=1)
    assert "already has a person named 张伟" in r.stderr


def test_rate_competence(book):
    book("person", "add", "华为", "张伟")
    book("person", "rate", "华为", "张伟", "4")
    assert book.json("person", "list", "华为")[0]["competence"] == 4
    for bad in ("0", "6", "x", "3.5"):
        r = book("person", "rate", "华为", "张伟", bad, code=2)
        assert "1 to 5" in r.stderr
    assert book.json("person", "list", "华为")[0]["competence"] == 4


def test_person_edit_and_prefix_reference(book):
    book("person", "add", "华为", "张伟")
    book("person", "add", "华为", "张敏")
    book("person", "edit", "华为", "张伟", "--title", "CTO")
    assert book.json("person", "show", "华为", "张伟")["title"] == "CTO"
    r = book("person", "edit", "华为", "张", "--title", "x", code=1)
    assert "张伟" in r.stderr and "张敏" in r.stderr
    book("person", "show", "华为", "王", code=1)


def test_private_details_stay_private(book):
    secret = "生日5月3日，女儿明年高考"
    book("person", "add", "华为", "张伟", "--private", secret)
    for args in (("person", "list", "华为"), ("person", "list", "华为", "--json"),
                 ("show", "华为"), ("show", "华为", "--json"), ("person", "show", "华为", "张伟"),
                 ("person", "show", "华为", "张伟", "--json"), ("trust", "华为", "--json"),
                 ("list", "--json")):
        assert secret not in book(*args).stdout, args
    assert secret in book("person", "show", "华为", "张伟", "--private").stdout
    assert book.json("person", "show", "华为", "张伟", "--private")["private"] == secret


def test_private_details_not_in_error_messages(book, isolated_book):
    secret = "家住望京，孩子在读高三"
    book("person", "add", "华为", "张伟", "--private", secret)
    # force a database error during a write that binds the secret
    if BACKEND == "sqlite":
        import sqlite3

        conn = sqlite3.connect(isolated_book)
        conn.execute("CREATE TRIGGER boom BEFORE UPDATE ON person BEGIN SELECT RAISE(ABORT, 'boom'); END")
        conn.commit()
        conn.close()
        error = "IntegrityError: boom"
    else:
        execute(isolated_book,
                "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$",
                "CREATE TRIGGER boom BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION boom()")
        error = "RaiseException: boom"
    r = book("person", "edit", "华为", "张伟", "--private", secret + "!", code=65)
    assert r.stderr.startswith(f"kehu: The book could not be used ({error})")
    assert r.stderr.count("\n") == 1
    text = r.stdout + r.stderr + repr(r.exception)
    assert secret not in text

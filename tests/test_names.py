"""Customers by the names people use: the normaliser of company names, finding a customer
by a part of its name, an alias or a well-known short name, "did you mean", likely
duplicates, and merging two customers (or two people) into one, undoably."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from _books import any_dump as _any_dump, query

from kehu.rules import company as C

pytestmark = pytest.mark.today("2026-11-23")

# FTS5 keeps the search index in segments whose bytes depend on the order of writes; the
# entries themselves (search_index) are compared.
SEGMENTS = ("search_index_data", "search_index_idx")


def any_dump(book, skip=()):
    return _any_dump(book, skip=(*skip, *SEGMENTS))


PAIRS = list(csv.DictReader((Path(__file__).parent / "data" / "company_pairs.csv").read_text(encoding="utf-8")
                            .splitlines()))


def test_the_pair_table_is_big_enough_and_balanced():
    assert len(PAIRS) >= 30
    assert sum(1 for p in PAIRS if p["verdict"]) >= 15 and sum(1 for p in PAIRS if not p["verdict"]) >= 10


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['a']}|{p['b']}" for p in PAIRS])
def test_company_name_pairs(pair):
    like = C.likeness(pair["a"], pair["b"])
    assert (like.reason if like else "") == pair["verdict"], pair["note"]
    back = C.likeness(pair["b"], pair["a"])  # the verdict does not depend on the order
    assert (back.reason if back else "") == pair["verdict"]


@pytest.mark.parametrize("name, core", [
    ("北京京东世纪贸易有限公司", "京东世纪贸易"),  # region prefix, legal form
    ("广东省深圳市腾飞科技有限公司", "腾飞科技"),  # province and city, each with its suffix
    ("华为技术（深圳）有限公司", "华为技术"),  # a region in full-width brackets
    ("华为技术(深圳)有限公司", "华为技术"),  # and in half-width ones
    ("阿里巴巴（中国）有限公司", "阿里巴巴"),  # the country in brackets
    ("ＡＣＭＥ　Ｔｒａｄｉｎｇ Co., Ltd.", "acmetrading"),  # width, case, Latin legal forms, spaces
    ("上海浦东发展银行股份有限公司信用卡中心", "浦东发展银行信用卡中心"),  # legal form before the branch
    ("中国石油天然气股份有限公司西南油气田分公司", "石油天然气西南油气田分公司"),  # the branch stays
    ("招商银行深圳分行", "招商银行深圳分行"),  # a branch is part of the identity
    ("上海银行", "上海银行"),  # only a generic word would be left: the region stays
    ("北京电力公司", "北京电力"),
    ("国家电网有限公司", "国家电网"),
    ("三一重工", "三一重工"),
])
def test_core(name, core):
    assert C.core(name) == core


@pytest.mark.parametrize("name, brand", [
    ("华为技术有限公司", "华为"), ("杭州海康威视数字技术股份有限公司", "海康威视"),
    ("北京京东世纪贸易有限公司", "京东"),
    ("中兴通讯股份有限公司", "中兴"), ("腾讯", "腾讯"),  # two characters are never shortened
])
def test_brand(name, brand):
    assert C.brand(name) == brand


@pytest.mark.parametrize("name, company, branch", [
    ("招商银行深圳分行", "招商银行", "深圳分行"),
    ("中国石油天然气股份有限公司西南油气田分公司", "中国石油天然气股份有限公司", "西南油气田分公司"),
    ("工商银行北京分行营业部", "工商银行", "北京分行营业部"),
    ("华为技术", "华为技术", ""),
])
def test_split_branch(name, company, branch):
    assert C.split_branch(name) == (company, branch)


def test_likeness_of_pairs_is_found_through_the_filing_keys():
    # kehu dupes compares a name only with those filed under one of its probe keys: every
    # alike pair of the table must share one, or dupes would miss it on a big book.
    for p in PAIRS:
        if p["verdict"]:
            a, b = p["a"], p["b"]
            assert C.probe_keys(a) & C.index_keys(b) or C.probe_keys(b) & C.index_keys(a), p


# -- finding a customer ------------------------------------------------------------------


@pytest.fixture
def book(kehu, isolated_book):
    for name in ("北京京东世纪贸易有限公司", "杭州海康威视数字技术股份有限公司",
                 "上海浦东发展银行股份有限公司信用卡中心",
                 "中国石油天然气股份有限公司西南油气田分公司", "招商银行深圳分行", "招商银行上海分行"):
        kehu("add", name)
    kehu.db = isolated_book
    return kehu


@pytest.mark.parametrize("ref, found", [
    ("京东", 1), ("海康", 2), ("浦发", 3), ("中石油", 4), ("北京京东", 1), ("#2", 2), ("2", 2),
    ("信用卡中心", 3), ("西南油气田", 4), ("ＪＤ", None), ("深圳分行", 5),
])
def test_the_issue_examples_find_their_customer(book, ref, found):
    if found is None:
        book("show", ref, code=1)
        return
    assert book.json("show", ref)["id"] == found


def test_several_matches_are_refused_with_their_list(book):
    r = book("--lang", "zh", "show", "招商", code=1)
    assert r.stderr == "kehu: “招商” 匹配多个客户：#6 招商银行上海分行, #5 招商银行深圳分行。请写完整名称或编号。\n"


def test_no_match_suggests_the_closest_names(book):
    r = book("--lang", "zh", "show", "海康威士", code=1)
    assert r.stderr == "kehu: 找不到客户：海康威士。是不是：#2 杭州海康威视数字技术股份有限公司？\n"
    r = book("--lang", "en", "show", "京东商城", code=1)
    assert r.stderr.startswith("kehu: No customer matches '京东商城'. Did you mean #1 北京京东世纪贸易有限公司")
    r = book("--lang", "en", "show", "xyz", code=1)  # nothing near: the plain refusal
    assert r.stderr == "kehu: No customer matches 'xyz'. `kehu list` shows them all.\n"


def test_an_alias_finds_its_customer_everywhere(book):
    r = book("--lang", "zh", "alias", "add", "京东商城", "京东")
    assert r.stderr == "已为 #1 北京京东世纪贸易有限公司 添加简称“京东商城”\n"
    assert book.json("show", "京东商城")["id"] == 1
    book("touch", "京东商城", "--note", "看方案")
    assert query(book.db, "SELECT customer_id FROM touchpoint") == [(1,)]
    assert book.json("alias", "list") == [
        {"customer_id": 1, "customer": "北京京东世纪贸易有限公司", "alias": "京东商城"}]
    assert book.json("alias", "list", "海康") == []
    assert book.json("show", "京东")["aliases"] == ["京东商城"]
    assert "简称\t京东商城" in book("--lang", "zh", "show", "京东").stdout


def test_one_name_means_one_customer(book):
    book("alias", "add", "京东商城", "京东")
    r = book("--lang", "zh", "alias", "add", "京东商城", "海康", code=1)
    assert "已属于客户 #1" in r.stderr
    r = book("--lang", "zh", "alias", "add", "招商银行深圳分行", "海康", code=1)  # another customer's name
    assert "另一个客户 #5 招商银行深圳分行 的名称" in r.stderr and "kehu merge" in r.stderr
    r = book("--lang", "zh", "add", "京东商城", code=1)  # a new customer named like an alias
    assert "已是客户 #1 北京京东世纪贸易有限公司 的简称" in r.stderr
    r = book("--lang", "zh", "edit", "海康", "--name", "京东商城", code=1)
    assert "简称" in r.stderr
    r = book("--lang", "en", "alias", "add", "京东商城", "京东")  # again: nothing to do, exit 0
    assert "already has the alias" in r.stderr
    r = book("--lang", "en", "alias", "add", "北京京东世纪贸易有限公司", "京东")
    assert "is the customer's name already" in r.stderr


def test_alias_remove_and_undo(book):
    book("alias", "add", "京东商城", "京东")
    before = any_dump(book.db, skip=("operation",))
    r = book("--lang", "en", "alias", "remove", "京东商城")
    assert r.stderr == "Alias '京东商城' of #1 北京京东世纪贸易有限公司 removed\n"
    book("show", "京东商城", code=1)
    r = book("--lang", "en", "alias", "remove", "京东商城", code=1)
    assert "There is no alias '京东商城'" in r.stderr
    book("undo")
    assert any_dump(book.db, skip=("operation",)) == before


# -- duplicates ----------------------------------------------------------------------------


def test_add_warns_of_a_similar_customer_and_adds_it_all_the_same(kehu, isolated_book):
    kehu("add", "华为技术有限公司")
    r = kehu("--lang", "zh", "add", "华为")
    assert r.stderr.splitlines() == [
        "已添加客户 #2 华为（陌生期）",
        "注意：已有相似的客户 #1 华为技术有限公司（品牌相同）。若是同一客户，可用 kehu merge 1 2 合并。",
    ]
    r = kehu("--lang", "zh", "add", "招商银行深圳分行")
    assert "注意" not in r.stderr
    r = kehu("--lang", "zh", "add", "招商银行上海分行")  # a branch is a customer of its own
    assert "注意" not in r.stderr


def test_alias_add_warns_when_the_alias_looks_like_another_customer(kehu):
    kehu("add", "华为技术有限公司")
    kehu("add", "荣耀终端有限公司")
    r = kehu("--lang", "en", "alias", "add", "华为终端", "荣耀")
    assert "a similar customer exists, #1 华为技术有限公司" in r.stderr


def test_import_create_missing_warns_and_dry_run_shows_it(kehu, isolated_book, tmp_path):
    kehu("add", "中兴通讯股份有限公司")
    f = tmp_path / "touches.csv"
    f.write_text("客户,日期,方式,备注\n中兴通讯,2026-11-20,拜访,聊需求\n新客户甲,2026-11-21,拜访,初次\n",
                 encoding="utf-8")
    warning = ("注意：将新建的客户“中兴通讯”与已有客户 #1 中兴通讯股份有限公司 相似（去掉地区和公司类型后名称相同）。"
               "若是同一客户，请在文件中改用已有名称，或导入后用 kehu merge 合并。")
    r = kehu("--lang", "zh", "import", str(f), "--create-missing", "--dry-run")
    assert warning in r.stderr.splitlines()
    assert query(isolated_book, "SELECT count(*) FROM customer") == [(1,)]
    r = kehu("--lang", "zh", "import", str(f), "--create-missing")
    assert warning in r.stderr.splitlines()
    assert sum("注意" in line for line in r.stderr.splitlines()) == 1  # 新客户甲 looks like nobody


def test_import_matches_aliases_and_merged_names(kehu, isolated_book, tmp_path):
    kehu("add", "上海浦东发展银行股份有限公司")
    kehu("alias", "add", "浦发银行", "浦东")
    f = tmp_path / "touches.csv"
    f.write_text("客户,日期,方式\n浦发银行,2026-11-20,拜访\n", encoding="utf-8")
    kehu("import", str(f))  # no --create-missing needed: the alias names the customer
    assert query(isolated_book, "SELECT customer_id FROM touchpoint") == [(1,)]


def test_dupes_lists_likely_pairs_with_the_reason(kehu):
    for name in ("中兴通讯股份有限公司", "中兴通讯", "华为技术有限公司", "华为", "招商银行深圳分行", "招商银行上海分行",
                 "上海银行", "北京银行"):
        kehu("add", name)
    kehu("alias", "add", "浦发", "招商银行上海分行")  # odd but allowed: aliases take part
    kehu("add", "上海浦东发展银行股份有限公司")
    pairs = kehu.json("dupes")
    found = {(p["a"]["name"], p["b"]["name"], p["reason"]) for p in pairs}
    assert found == {
        ("中兴通讯股份有限公司", "中兴通讯", "same_core"),
        ("华为技术有限公司", "华为", "same_brand"),
        ("招商银行上海分行", "上海浦东发展银行股份有限公司", "well_known"),
    }
    assert [p["strength"] for p in pairs] == sorted((p["strength"] for p in pairs), reverse=True)
    r = kehu("--lang", "zh", "dupes")
    assert "去掉地区和公司类型后名称相同" in r.stdout and "品牌相同" in r.stdout


def test_dupes_on_a_book_without_any(kehu):
    kehu("add", "甲公司")
    r = kehu("--lang", "zh", "dupes")
    assert r.stdout == "" and r.stderr == "没有发现疑似重复的客户。\n"


# -- merging -------------------------------------------------------------------------------


@pytest.fixture
def two(kehu, isolated_book):
    """华为技术有限公司 (#1) and its duplicate 华为 (#2), each with a life of its own, and 中兴 (#3)
    beside them untouched."""
    kehu("add", "华为技术有限公司", "--owner", "王磊", "--region", "深圳")
    kehu("add", "华为", "--owner", "王磊", "--industry", "通信", "--note", "从展会名片录入", "--value", "300万")
    kehu("add", "中兴")
    kehu("alias", "add", "华为终端", "华为")
    kehu("person", "add", "华为技术", "张伟", "--title", "CIO")
    kehu("person", "add", "华为", "张伟", "--dept", "信息部")  # the same person, recorded at both
    kehu("person", "add", "华为", "李娜")
    kehu("person", "add", "中兴", "王芳")
    kehu("touch", "华为技术", "--date", "2026-11-01", "--with", "张伟", "--note", "第一次拜访")
    kehu("touch", "#2", "--date", "2026-11-10", "--with", "张伟", "--with", "李娜", "--note", "方案交流",
         "--promise", "报价", "--promise-due", "2026-11-30", "--next", "发资料", "--next-due", "2026-11-25")
    kehu("done", "华为技术", "plan", "--date", "2026-11-02")
    kehu("done", "#2", "plan", "--date", "2026-10-20")
    kehu("done", "#2", "call", "--date", "2026-10-21")
    kehu("contract", "add", "#2", "一期", "--amount", "100万")
    kehu("contract", "plan", "1", "-i", "2027-01-31:40万", "-i", "2027-03-31:60万")
    kehu("negotiate", "issue", "1", "付款周期")
    kehu.db = isolated_book
    return kehu


def _rows(db, table, where="1=1"):
    return sorted(query(db, f"SELECT * FROM {table} WHERE {where}"), key=repr)


def test_merge_moves_everything_and_undo_restores_the_exact_book(two):
    db = two.db
    before = any_dump(db, skip=("operation",))
    touches = query(db, "SELECT id, day, kind, note FROM touchpoint ORDER BY id")
    (events,) = query(db, "SELECT count(*) FROM event WHERE customer_id = 2")[0]
    r = two("--lang", "zh", "merge", "华为技术", "#2")
    assert r.stderr.splitlines()[0] == (
        "已把 #2 华为 合并进 #1 华为技术有限公司：决策人 1、接触 1、承诺 1、合同 1、"
        f"历史记录 {events}、阶段任务 2、简称 1。“华为”已成为它的简称。")
    assert query(db, "SELECT count(*) FROM event WHERE customer_id = 1 AND kind <> 'merged'") == [
        (len([e for e in before["event"] if e[1] in (1, 2)]),)]
    assert "两边都有的决策人将合为一人：张伟。" in r.stderr
    assert query(db, "SELECT count(*) FROM customer WHERE id = 2") == [(0,)]
    # every record of #2 is #1's now, nothing lost
    for table in ("touchpoint", "promise", "contract", "person"):
        assert query(db, f"SELECT count(*) FROM {table} WHERE customer_id = 2") == [(0,)]
    assert query(db, "SELECT id, day, kind, note FROM touchpoint ORDER BY id") == touches
    assert query(db, "SELECT customer_id FROM contract") == [(1,)]
    assert len(_rows(db, "instalment")) == 2 and len(_rows(db, "negotiation_issue")) == 1
    assert query(db, "SELECT name, title, dept FROM person WHERE customer_id = 1 ORDER BY id") == [
        ("张伟", "CIO", "信息部"), ("李娜", None, None)]  # one 张伟, the empty dept filled
    # the touchpoint that met both 张伟 records names the one kept, once
    assert query(db, "SELECT touchpoint_id, person_id FROM touchpoint_person ORDER BY 1, 2") == [
        (1, 1), (2, 1), (2, 3)]
    # tasks: the earlier day of a task done at both, the other task moved
    tasks = query(db, "SELECT customer_id, task, done_on FROM task_done ORDER BY task")
    assert [(c, t, str(d)) for c, t, d in tasks] == [(1, "call", "2026-10-21"), (1, "plan", "2026-10-20")]
    # fields filled, notes joined, the old name an alias that finds it (and old CSVs)
    assert query(db, "SELECT industry, region, value_cents, note FROM customer WHERE id = 1") == [
        ("通信", "深圳", 300000000, "从展会名片录入")]
    aliases = query(db, "SELECT alias FROM customer_alias WHERE customer_id = 1")
    assert sorted(a for (a,) in aliases) == ["华为", "华为终端"]
    assert two.json("show", "华为")["id"] == 1 and two.json("show", "华为终端")["id"] == 1
    history = two("--lang", "zh", "history", "华为技术").stdout
    assert "合并客户\t#2 华为" in history
    # 中兴 untouched
    assert _rows(db, "person", "customer_id = 3") == [r for r in before["person"] if r[1] == 3]
    two("undo")
    assert any_dump(db, skip=("operation",)) == before
    two("redo")
    assert query(db, "SELECT count(*) FROM customer WHERE id = 2") == [(0,)]


def test_merge_dry_run_says_what_would_move_and_changes_nothing(two):
    before = any_dump(two.db)
    r = two("--lang", "en", "merge", "华为技术", "#2", "--dry-run")
    assert r.stderr.splitlines()[0].startswith(
        "(dry run, nothing changed) Would merge #2 华为 into #1 华为技术有限公司: people 1, touchpoints 1, promises 1, "
        "contracts 1")
    assert "Fields filled from the merged customer: industry, annual value, note." in r.stderr
    assert any_dump(two.db) == before
    data = two.json("merge", "华为技术", "#2", "--dry-run")
    assert data["done"] is False and data["moved"]["touches"] == 1 and data["people_joined"] == ["张伟"]


def test_merge_refusals_leave_the_book_as_it_was(two):
    two("add", "华为云", "--owner", "赵敏")
    before = any_dump(two.db)
    r = two("--lang", "zh", "merge", "华为技术", "华为云", code=1)
    assert r.stderr == ("kehu: 不能合并：华为技术有限公司 属于 王磊，华为云 属于 赵敏。"
                        "请先用 kehu assign 把它们交给同一位销售。\n")
    r = two("--lang", "en", "merge", "#1", "华为技术", code=2)
    assert r.stderr == "kehu: Cannot merge #1 华为技术有限公司 with itself.\n"
    two("merge", "华为技术", "不存在的公司", code=1)
    assert any_dump(two.db) == before


def test_merge_keeps_the_stage_and_says_when_the_other_was_further(two):
    two("advance", "#2", "--force", "--reason", "老客户")
    r = two("--lang", "zh", "merge", "华为技术", "#2")
    assert "被合并的客户处于建立期，保留的客户处于陌生期：阶段不变，可用 kehu advance 推进。" in r.stderr
    assert two.json("show", "华为技术")["stage"] == "stranger"


def test_person_merge_joins_two_records_and_undo_takes_it_back(two):
    db = two.db
    two("person", "add", "华为", "张总")
    two("touch", "#2", "--date", "2026-11-12", "--with", "张总", "--note", "电话")
    before = any_dump(db, skip=("operation",))
    r = two("--lang", "zh", "person", "merge", "#2", "张伟", "张总", "--dry-run")
    assert r.stderr == "（预演，未改动）将把决策人 #5 张总 合并进 #2 张伟（华为）：1 次接触改记在 张伟 名下。\n"
    assert any_dump(db, skip=("operation",)) == before
    two("person", "merge", "#2", "张伟", "张总")
    assert query(db, "SELECT count(*) FROM person WHERE name = '张总'") == [(0,)]
    assert query(db, "SELECT person_id FROM touchpoint_person WHERE touchpoint_id = 3") == [(2,)]
    two("undo")
    assert any_dump(db, skip=("operation",)) == before


# -- aliases in CSV ------------------------------------------------------------------------


def test_aliases_round_trip_through_csv(kehu, isolated_book, tmp_path):
    kehu("add", "上海浦东发展银行股份有限公司")
    kehu("add", "北京京东世纪贸易有限公司")
    kehu("add", "阿里")
    kehu("alias", "add", "浦发银行", "浦东")
    kehu("alias", "add", "SPDB", "浦东")
    kehu("alias", "add", "京东、JD", "京东")  # one alias holding a separator
    kehu("export", "--out", str(tmp_path / "first"))
    text = (tmp_path / "first" / "customers.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith(",aliases")
    assert '"浦发银行\r\nSPDB"' in text or '"浦发银行\nSPDB"' in text
    copy = tmp_path / "copy.db"
    kehu("--db", str(copy), "import", str(tmp_path / "first"))
    kehu("--db", str(copy), "export", "--out", str(tmp_path / "second"))
    assert (tmp_path / "second" / "customers.csv").read_bytes() == (tmp_path / "first" / "customers.csv").read_bytes()
    assert kehu.json("--db", str(copy), "alias", "list") == kehu.json("alias", "list")
    # into the book it came from: nothing changes
    report = kehu.json("import", str(tmp_path / "first" / "customers.csv"))
    assert [(f["new"], f["updated"]) for f in report["files"]] == [(0, 0)]


def test_an_aliases_column_adds_and_refuses_like_alias_add(kehu, isolated_book, tmp_path):
    kehu("add", "上海浦东发展银行股份有限公司")
    kehu("add", "杭州海康威视数字技术股份有限公司")
    kehu("alias", "add", "浦发", "浦东")
    f = tmp_path / "c.csv"
    f.write_text("客户名称,简称\n杭州海康威视数字技术股份有限公司,海康威视\n", encoding="utf-8")
    report = kehu.json("import", str(f))
    assert [(x["new"], x["updated"], x["unchanged"]) for x in report["files"]] == [(0, 1, 0)]
    assert kehu.json("show", "海康威视")["id"] == 2
    before = any_dump(isolated_book)
    f.write_text("客户名称,简称\n杭州海康威视数字技术股份有限公司,浦发\n", encoding="utf-8")
    r = kehu("--lang", "zh", "import", str(f), code=65)
    assert "c.csv:2: 简称: 简称“浦发”已是客户 #1 的名称或简称：一个名称只能指一个客户" in r.stderr
    f.write_text("客户名称\n浦发\n", encoding="utf-8")  # a new customer named like an alias
    r = kehu("--lang", "en", "import", str(f), code=65)
    assert "'浦发' is an alias of customer #1: one name means one customer" in r.stderr
    assert any_dump(isolated_book) == before

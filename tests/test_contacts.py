"""Contact details: phone numbers, mobile, WeChat, e-mail, addresses and websites of
customers and people, kept as typed; in `show` and `person show`, in CSV both ways, in
a vCard file a phone imports; the private ones only where the private note is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from _books import any_dump

from kehu.rules.contacts import check_email, check_phone, check_website, check_wechat

pytestmark = pytest.mark.today("2026-11-23")

SENTINEL = "SENTINEL-私密-4b1d"
PRIVATE_PHONE = "+86 139 7319 4682"


# ---------------------------------------------------------------- the rules, as a table

PHONES = [
    # (typed, kept) -- kept None: refused with that problem
    ("010-12345678", "010-12345678", None),
    ("  010-12345678  ", "010-12345678", None),
    ("0101234", "0101234", None),
    ("+86 138 0013 8000", "+86 138 0013 8000", None),
    ("+8613800138000", "+8613800138000", None),
    ("０１０－１２３４５６７８", "010-12345678", None),  # full-width digits and dash (NFKC)
    ("＋８６ １３８００１３８０００", "+86 13800138000", None),  # full-width plus and space
    ("010-12345678 转 123", "010-12345678 转 123", None),
    ("010-12345678转123", "010-12345678转123", None),
    ("010-12345678 分机 8", "010-12345678 分机 8", None),
    ("010-12345678 ext. 123", "010-12345678 ext. 123", None),
    ("010-12345678 EXT 123", "010-12345678 EXT 123", None),
    ("010-12345678x123", "010-12345678x123", None),
    ("(010) 1234 5678", "(010) 1234 5678", None),
    ("400.800.8888", "400.800.8888", None),
    ("95588", "95588", None),
    ("00123", "00123", None),
    ("abc", None, "phone_bad_char"),
    ("138-0013-800O", None, "phone_bad_char"),  # a letter O for a zero
    ("13800138000手机", None, "phone_bad_char"),
    ("手机13800138000", None, "phone_bad_char"),
    ("010+1234567", None, "phone_bad_char"),  # a plus only at the start
    ("转 123", None, "phone_bad_char"),  # an extension with no number before it
    ("x", None, "phone_bad_char"),
    ("---", None, "phone_few_digits"),
    ("1234", None, "phone_few_digits"),
    ("1" * 21, None, "phone_many_digits"),
]


@pytest.mark.parametrize(("typed", "kept", "problem"), PHONES)
def test_phone_numbers_are_kept_as_typed_or_refused(typed, kept, problem):
    checked = check_phone(typed)
    assert (checked.value, checked.problem) == (kept, problem)
    if problem:
        assert checked.params["value"] == typed.strip()


@pytest.mark.parametrize(("typed", "kept"), [
    ("zhang.wei@example.com", "zhang.wei@example.com"),
    (" ZW@Example.COM ", "ZW@Example.COM"),
    ("张伟@例子.中国", "张伟@例子.中国"),
    ("ｚｗ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zw@example.com"),
    ("zw@example", None), ("zw.example.com", None), ("zw@@example.com", None), ("a@b@c.com", None),
    ("zw @example.com", None), ("@example.com", None), ("zw@.com", None), ("zw@example.", None),
])
def test_email_needs_one_at_and_a_dotted_domain(typed, kept):
    checked = check_email(typed)
    assert checked.value == kept and (checked.problem is None) == (kept is not None)


@pytest.mark.parametrize(("typed", "kept"), [
    ("wxid_abc123", "wxid_abc123"), ("zhang-wei_88", "zhang-wei_88"), ("13800138000", "13800138000"),
    ("+86 138 0013 8000", "+86 138 0013 8000"), ("Zhang.Wei", None), ("张伟", None), ("zhang wei", None),
    ("zw@x.com", None),
])
def test_wechat_is_an_id_or_a_phone_number(typed, kept):
    checked = check_wechat(typed)
    assert checked.value == kept and (checked.problem is None) == (kept is not None)


@pytest.mark.parametrize(("typed", "kept"), [
    ("www.huawei.com", "www.huawei.com"), ("huawei.com", "huawei.com"), ("https://huawei.com/cn", "https://huawei.com/cn"),
    ("HTTP://Example.com:8080/a?b=1#c", "HTTP://Example.com:8080/a?b=1#c"), ("华为.中国", "华为.中国"),
    ("huawei", None), ("ftp://example.com", None), ("www.huawei .com", None), ("http://", None),
    ("mailto:a@b.com", None),
])
def test_a_website_with_or_without_its_scheme(typed, kept):
    checked = check_website(typed)
    assert checked.value == kept and (checked.problem is None) == (kept is not None)


# ---------------------------------------------------------------- customers


def test_a_customers_address_phone_and_website_are_shown(kehu):
    kehu("add", "华为", "--phone", "０７５５－２８７８００００ 转 8", "--address", "深圳市龙岗区坂田华为基地",
         "--website", "www.huawei.com")
    data = kehu.json("show", "华为")
    assert (data["phone"], data["address"], data["website"]) == (
        "0755-28780000 转 8", "深圳市龙岗区坂田华为基地", "www.huawei.com")
    shown = kehu("--lang", "zh", "show", "华为").stdout
    assert "电话\t0755-28780000 转 8" in shown and "地址\t深圳市龙岗区坂田华为基地" in shown
    assert "网址\twww.huawei.com" in shown
    kehu("edit", "华为", "--phone", "", "--website", "https://www.huawei.com/cn")
    data = kehu.json("show", "华为")
    assert (data["phone"], data["website"]) == (None, "https://www.huawei.com/cn")
    # never in the bulk listing
    assert "address" not in kehu.json("list")[0]


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("--phone", "总机"), "“总机”不像电话号码：不能含有“总”", "'总机' is not a phone number: it contains '总'"),
    (("--phone", "1234"), "至少要有 5 位数字", "it needs at least 5 digits"),
    (("--website", "huawei"), "“huawei”不像网址", "'huawei' is not a web address"),
])
def test_a_customer_value_that_cannot_be_one_is_refused_in_one_line(kehu, args, zh, en):
    kehu("add", "华为")
    before = kehu.json("show", "华为")
    r = kehu("--lang", "zh", "edit", "华为", *args, code=2)
    assert r.stderr.startswith("kehu: ") and zh in r.stderr and r.stderr.count("\n") == 1
    r = kehu("edit", "华为", *args, code=2)
    assert en in r.stderr and r.stderr.count("\n") == 1
    kehu("add", "中兴", *args, code=2)
    assert [c["name"] for c in kehu.json("list")] == ["华为"]
    assert kehu.json("show", "华为") == before


# ---------------------------------------------------------------- people


@pytest.fixture
def person(kehu):
    kehu("add", "华为", "--address", "深圳市龙岗区坂田")
    kehu("person", "add", "华为", "张伟", "--title", "CIO", "--phone", "0755-28780000 转 123",
         "--mobile", "+86 138 0013 8000", "--wechat", "zw_huawei", "--email", "zhangwei@huawei.com",
         "--private-mobile", PRIVATE_PHONE, "--home-address", SENTINEL + "小区", "--private", SENTINEL)
    return kehu


def test_person_show_has_the_work_details_and_the_private_ones_only_with_private(person):
    data = person.json("person", "show", "华为", "张伟")
    assert {k: data[k] for k in ("phone", "mobile", "wechat", "email")} == {
        "phone": "0755-28780000 转 123", "mobile": "+86 138 0013 8000", "wechat": "zw_huawei",
        "email": "zhangwei@huawei.com"}
    assert not {"private", "private_mobile", "home_address"} & set(data)
    shown = person("--lang", "zh", "person", "show", "华为", "张伟").stdout
    assert "手机\t+86 138 0013 8000" in shown and "微信\tzw_huawei" in shown and "邮箱\tzhangwei@huawei.com" in shown
    assert "电话\t0755-28780000 转 123" in shown
    assert PRIVATE_PHONE not in shown and SENTINEL not in shown
    full = person.json("person", "show", "华为", "张伟", "--private")
    assert (full["private_mobile"], full["home_address"], full["private"]) == (
        PRIVATE_PHONE, SENTINEL + "小区", SENTINEL)
    shown = person("--lang", "zh", "person", "show", "华为", "张伟", "--private").stdout
    assert f"私人手机\t{PRIVATE_PHONE}" in shown and f"家庭住址\t{SENTINEL}小区" in shown


def test_private_contact_details_are_in_no_listing(person):
    for args in (("person", "list", "华为"), ("person", "list", "华为", "--json"), ("show", "华为"),
                 ("show", "华为", "--json"), ("list", "--json"), ("export", "--table", "people"),
                 ("person", "export", "--vcard", "-")):
        r = person(*args)
        assert PRIVATE_PHONE not in r.stdout and SENTINEL not in r.stdout, args
    assert person.json("person", "list", "华为")[0]["mobile"] == "+86 138 0013 8000"


def test_private_contact_details_go_out_only_with_include_private(person):
    r = person("export", "--table", "people", "--include-private")
    assert PRIVATE_PHONE in r.stdout and SENTINEL + "小区" in r.stdout
    assert r.stderr.startswith("Warning: the export includes people's private details")


def test_editing_and_clearing_contact_details(person):
    person("person", "edit", "华为", "张伟", "--mobile", "", "--email", "ZW@huawei.com", "--private-mobile", "")
    data = person.json("person", "show", "华为", "张伟", "--private")
    assert (data["mobile"], data["email"], data["private_mobile"]) == (None, "ZW@huawei.com", None)
    assert data["wechat"] == "zw_huawei"  # untouched


@pytest.mark.parametrize(("option", "value", "zh"), [
    ("--phone", "打我手机", "不像电话号码"), ("--mobile", "138", "至少要有 5 位数字"),
    ("--private-mobile", "私人", "不像电话号码"), ("--email", "zhangwei.huawei.com", "不像邮箱地址"),
    ("--email", "zw@huawei", "不像邮箱地址"), ("--wechat", "张伟的微信", "不像微信号"),
])
def test_a_person_value_that_cannot_be_one_is_refused_and_nothing_written(person, option, value, zh):
    before = person.json("person", "show", "华为", "张伟", "--private")
    r = person("--lang", "zh", "person", "edit", "华为", "张伟", option, value, "--title", "CTO", code=2)
    assert zh in r.stderr and r.stderr.count("\n") == 1
    r = person("--lang", "zh", "person", "add", "华为", "李娜", option, value, code=2)
    assert zh in r.stderr
    assert person.json("person", "show", "华为", "张伟", "--private") == before
    assert [p["name"] for p in person.json("person", "list", "华为")] == ["张伟"]


def test_contact_edits_are_undone(person, isolated_book):
    from test_undo import NOT_DATA

    before = any_dump(isolated_book, skip=NOT_DATA)
    person("person", "edit", "华为", "张伟", "--mobile", "13900000000", "--home-address", "别处")
    person("undo")
    assert any_dump(isolated_book, skip=NOT_DATA) == before
    person("edit", "华为", "--phone", "010-1", code=2)
    person("edit", "华为", "--phone", "010-12345678", "--address", "")
    person("undo")
    assert any_dump(isolated_book, skip=NOT_DATA) == before


def test_forget_takes_the_private_contact_details_with_the_person(person):
    person("person", "forget", "华为", "张伟")
    assert person.json("person", "list", "华为") == []
    r = person("export", "--table", "people", "--include-private")
    assert PRIVATE_PHONE not in r.stdout and SENTINEL not in r.stdout


# ---------------------------------------------------------------- CSV


def test_a_people_csv_with_the_headers_salespeople_use_imports(kehu, tmp_path: Path):
    kehu("add", "华为")
    path = tmp_path / "people.csv"
    path.write_text(
        "客户,姓名,职位,联系电话,手机号,微信号,E-mail\n"
        + "华为,张伟,CIO,010-12345678 转 8,0138 0013 8000,zw_1,zw@huawei.com\n"
        + "华为,李娜,,0101234,+86 139 0000 1111,13900001111,\n",
        encoding="gb18030")
    kehu("import", str(path))
    people = {p["name"]: p for p in kehu.json("person", "list", "华为")}
    assert (people["张伟"]["phone"], people["张伟"]["mobile"], people["张伟"]["wechat"],
            people["张伟"]["email"]) == ("010-12345678 转 8", "0138 0013 8000", "zw_1", "zw@huawei.com")
    assert (people["李娜"]["phone"], people["李娜"]["mobile"], people["李娜"]["wechat"]) == (
        "0101234", "+86 139 0000 1111", "13900001111")  # text, never numbers: the zeros and + stay


@pytest.mark.parametrize("header", ["电话,手机,微信,邮箱", "phone,mobile,wechat,email",
                                    "办公电话,手机号码,微信账号,电子邮件", "Telephone,Mobile Phone,WeiXin,电子邮箱"])
def test_every_name_of_the_people_columns(kehu, tmp_path: Path, header):
    kehu("add", "华为")
    path = tmp_path / "p.csv"
    path.write_text(f"customer,name,{header}\n华为,张伟,010-1234567,13800138000,zw_1,zw@x.cn\n", encoding="utf-8")
    kehu("import", str(path), "--table", "people")
    p = kehu.json("person", "list", "华为")[0]
    assert (p["phone"], p["mobile"], p["wechat"], p["email"]) == ("010-1234567", "13800138000", "zw_1", "zw@x.cn")


def test_a_customers_csv_with_contact_columns(kehu, tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("客户名称,联系电话,公司地址,官网\n"
                    "华东电力,021-12345678,\"上海市浦东新区,世纪大道 1 号\",www.example.cn\n", encoding="utf-8")
    kehu("import", str(path))
    c = kehu.json("show", "华东电力")
    assert (c["phone"], c["address"], c["website"]) == (
        "021-12345678", "上海市浦东新区,世纪大道 1 号", "www.example.cn")
    # the same file again changes nothing; a new number is an update
    assert kehu.json("import", str(path))["files"][0]["unchanged"] == 1
    path.write_text("客户名称,电话\n华东电力,021-87654321\n", encoding="utf-8")
    assert kehu.json("import", str(path))["files"][0]["updated"] == 1
    assert kehu.json("show", "华东电力")["phone"] == "021-87654321"


def test_a_bad_number_in_a_csv_is_reported_at_its_cell_and_nothing_is_written(kehu, tmp_path: Path):
    kehu("add", "华为")
    path = tmp_path / "p.csv"
    path.write_text("customer,name,mobile,email\n华为,张伟,13800138000,zw@x.cn\n华为,李娜,请打总机,\n"
                    "华为,王芳,,wangfang\n", encoding="utf-8")
    r = kehu("import", str(path), code=65)
    assert f"{path}:3: mobile: '请打总机' is not a phone number" in r.stderr
    assert f"{path}:4: email: 'wangfang' is not an e-mail address" in r.stderr
    assert kehu.json("person", "list", "华为") == []


def test_a_bad_customer_phone_in_a_csv_is_reported_at_its_cell(kehu, tmp_path: Path):
    kehu("add", "华为")
    path = tmp_path / "c.csv"
    path.write_text("客户名称,联系电话,网址\n华东电力,021-12345678,www.example.cn\n华北电力,见名片,\n"
                    "西北电力,,example\n", encoding="utf-8")
    r = kehu("--lang", "zh", "import", str(path), code=65)
    assert f"{path}:3: 联系电话: “见名片”不像电话号码" in r.stderr
    assert f"{path}:4: 网址: “example”不像网址" in r.stderr
    assert [c["name"] for c in kehu.json("list")] == ["华为"]


def test_contact_details_round_trip_through_an_export(kehu, tmp_path: Path):
    db, copy = tmp_path / "a.db", tmp_path / "b.db"
    kehu("--db", str(db), "add", "华为", "--phone", "+86 755 2878 0000", "--address", "深圳;坂田\n华为基地",
         "--website", "https://www.huawei.com")
    kehu("--db", str(db), "person", "add", "华为", "张伟", "--phone", "0755-28780000 ext. 123", "--mobile", "0013800",
         "--wechat", "-zw-", "--email", "zw@huawei.com", "--private-mobile", "+86 139 0000 1111",
         "--home-address", "=某小区")
    kehu("--db", str(db), "touch", "华为", "--kind", "微信", "--date", "2026-11-20")
    kehu("--db", str(db), "export", "--out", str(tmp_path / "one"), "--include-private")
    kehu("--db", str(copy), "import", str(tmp_path / "one"))
    kehu("--db", str(copy), "export", "--out", str(tmp_path / "two"), "--include-private")
    for name in ("customers.csv", "people.csv", "touchpoints.csv"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    p = kehu.json("--db", str(copy), "person", "show", "华为", "张伟", "--private")
    assert (p["mobile"], p["wechat"], p["home_address"], p["private_mobile"]) == (
        "0013800", "-zw-", "=某小区", "+86 139 0000 1111")
    assert kehu.json("--db", str(copy), "show", "华为")["touchpoints"][0]["channel"] == "wechat"


# ---------------------------------------------------------------- vCard


def _cards(text: str) -> list:
    import vobject

    return list(vobject.readComponents(text, validate=True))


LONG_TITLE = "首席信息官兼数字化转型办公室主任，负责集团全部信息化建设与数据治理工作"


@pytest.fixture
def cards_book(person):
    person("add", "中兴通讯", "--website", "zte.com.cn")
    person("person", "add", "中兴通讯", "欧阳娜娜,小;名\\x", "--title", LONG_TITLE, "--dept", "信息中心",
           "--phone", "0755-2677 0000", "--private", SENTINEL)
    person("person", "add", "华为", "李娜")
    return person


def test_vcard_is_4_0_and_parsed_back_by_a_real_parser(cards_book, tmp_path: Path):
    target = tmp_path / "contacts" / "people.vcf"
    r = cards_book("--lang", "zh", "person", "export", "--vcard", str(target))
    assert r.stderr == f"已把 3 位决策人的名片写入 {target}\n"
    raw = target.read_bytes()
    cards = _cards(raw.decode("utf-8"))
    assert [c.fn.value for c in cards] == ["张伟", "李娜", "欧阳娜娜,小;名\\x"]
    assert all(c.version.value == "4.0" for c in cards)
    zw = cards[0]
    assert zw.n.value.family == "张伟" and zw.org.value == ["华为"] and zw.title.value == "CIO"
    tels = {tuple(t.params["TYPE"]): t.value for t in zw.contents["tel"]}
    assert tels == {("work", "voice"): "0755-28780000 转 123", ("cell",): "+86 138 0013 8000"}
    assert zw.email.value == "zhangwei@huawei.com" and zw.x_wechat.value == "zw_huawei"
    assert zw.adr.value.street == "深圳市龙岗区坂田"
    assert "tel" not in cards[1].contents and "email" not in cards[1].contents
    oy = cards[2]
    assert oy.n.value.family == "欧阳娜娜,小;名\\x"  # the comma, semicolon and backslash escaped and read back
    assert oy.org.value == ["中兴通讯", "信息中心"] and oy.title.value == LONG_TITLE
    assert oy.url.value == "https://zte.com.cn" and "adr" not in oy.contents
    assert b"FN:\xe6\xac\xa7\xe9\x98\xb3\xe5\xa8\x9c\xe5\xa8\x9c\\,\xe5\xb0\x8f\\;\xe5\x90\x8d\\\\x\r\n" in raw
    assert stat_mode(target) == 0o600


def stat_mode(path: Path) -> int:
    import stat

    return stat.S_IMODE(path.stat().st_mode)


def test_vcard_lines_fold_at_75_octets_between_characters(cards_book):
    raw = cards_book("person", "export", "--vcard", "-").stdout_bytes
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in lines) <= 75
    folded = [i for i, line in enumerate(lines) if line.startswith(b" ")]
    assert folded, "the long title must have been folded"
    for line in lines:
        line.decode("utf-8")  # each physical line is whole UTF-8: no character split across a fold
    title = next(i for i, line in enumerate(lines) if line.startswith("TITLE:首席".encode()))
    joined = lines[title] + b"".join(line[1:] for line in lines[title + 1:] if line.startswith(b" "))
    assert joined.decode("utf-8") == "TITLE:" + LONG_TITLE


def test_vcard_for_one_customer_and_never_private(cards_book):
    text = cards_book("person", "export", "--vcard", "-", "--customer", "华为").stdout
    assert [c.fn.value for c in _cards(text)] == ["张伟", "李娜"]
    full = cards_book("person", "export", "--vcard", "-").stdout
    assert SENTINEL not in full and PRIVATE_PHONE not in full and "私" not in full


def test_vcard_of_an_unknown_customer_writes_nothing(cards_book, tmp_path: Path):
    target = tmp_path / "x.vcf"
    r = cards_book("person", "export", "--vcard", str(target), "--customer", "不存在", code=1)
    assert r.stderr.count("\n") == 1 and not target.exists()


def test_vcard_needs_its_file(kehu):
    r = kehu("person", "export", code=2)
    assert "--vcard" in r.stderr


def test_vcard_escaping_and_folding_functions():
    from kehu.vcard import LIMIT, escape, fold

    assert escape("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "NOTE:" + "é" * 40 + "中" * 40
    out = fold(line)
    parts = out.split(b"\r\n")
    assert parts[-1] == b"" and all(len(p) <= LIMIT for p in parts)
    assert b"".join([parts[0], *(p[1:] for p in parts[1:-1])]).decode("utf-8") == line
    assert fold("FN:x") == b"FN:x\r\n"
    exactly = "X:" + "a" * 73  # 75 octets: one line
    assert fold(exactly) == exactly.encode() + b"\r\n"
    assert fold(exactly + "b") == exactly.encode() + b"\r\n b\r\n"


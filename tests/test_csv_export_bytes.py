"""`kehu export --out DIR` of a book that uses every column writes exactly these bytes.

The round-trip tests prove export → import → export is stable; this one pins what the
export itself writes, byte for byte, for all six tables: formula guards on every kind
of text cell (customer and people names, notes, signals, the people met), empty and
missing values, amounts to the cent, dates, a terminated customer's day, the trailing
line break of a single name holding a separator, instalments in contract order, and the
private column only on request. The export reads with SQLAlchemy Core (not ORM
objects) for speed; this is the proof it writes what the ORM version wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def pinned_today(isolated_book, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", "2026-11-23")


CUSTOMERS = (
    "id,name,industry,region,kind,level,value,owner,note,stage,profit_now,profit_future,service_cost,"
    "added_on,terminated_on,terminated_reason,phone,address,website\n"
    "3,华东电力,能源,010000,商业,优先,120万,王强,\"两行\n备注\",考察,高,低,高,2024-01-05,,,010-12345678 转 8,"
    "\"北京市,朝阳区\",www.example.com\n"
    "5,=HYPERLINK(\"x\"),'-5,+86,,,0,,'=SUM(A1),,,,,2024-02-29,2025-06-30,'@停了,'+86 10 1234 5678,,\n"
    "7,\"逗号,公司\",,,internal,partner,12.5万,@me,\"'\",成熟,,,,2023-12-31,,,0101234,,https://x.example.cn/a\n"
)
PEOPLE = (
    "id,customer,name,title,dept,level,role,attitude,kpi,pain,interest,style,competence,phone,mobile,wechat,email,"
    "private,private_mobile,home_address\n"
    "1,华东电力,张伟,总经理,管理层,高层,决策,支持,年度降本 8%,交付,储能,微信,5,0755-1234567,+86 138 0013 8000,zw_1,"
    "zw@example.com,女儿明年高考,13900001111,\"某小区,3号\"\n"
    "2,华东电力,\"李娜,王芳\",-,=1,,,,,,,,,,,,,'=秘密,,\n"
    "4,\"逗号,公司\",'+刘洋,,,,coach,oppose,,,,\"a\nb\",1,,00123,,,,,\n"
)
TOUCHPOINTS = (
    "id,customer,date,kind,with,note,signals,next,next_due,next_done,channel\n"
    "10,华东电力,2024-03-01,专题,\"张伟\n李娜,王芳\",\"介绍方案\n关注交付\",\"预算已批\n=下季度招标\",发送案例,2024-03-08,2024-03-07,\n"
    "11,华东电力,2024-03-02,daily,\"李娜,王芳\n\",,,'-跟进,2024-04-01,,微信\n"
    "12,\"逗号,公司\",2024-03-03,峰会,'+刘洋,'@note,,,,,\n"
    "13,=HYPERLINK(\"x\"),2024-03-04,电话,,,,,,,phone\n"
)
PROMISES = (
    "id,customer,touchpoint,text,made_on,due,kept_on,broken_on\n"
    "1,华东电力,10,送样品,2024-03-01,2024-03-15,2024-03-14,\n"
    "2,=HYPERLINK(\"x\"),,'=报价,2024-03-04,2024-04-04,,2024-04-10\n"
)
CONTRACTS = (
    "id,customer,title,amount,currency,status,expected_on,signed_on,completed_on,lost_on,lost_reason,"
    "aftercare_due,aftercare_done,note\n"
    "1,华东电力,核心网扩容,1234567.89,CNY,signed,,2024-05-01,,,,,,'=SUM(A1)\n"
    "2,\"逗号,公司\",二期,50万,USD,lost,2024-06-01,,,2024-07-01,'-预算冻结,,,\n"
    "3,华东电力,'+三期,10万,,completed,,2024-01-02,2024-02-03,,,2024-03-01,2024-03-05,\n"
)
INSTALMENTS = (
    "id,contract,seq,amount,due,paid,paid_on\n"
    "5,3,1,100000,2024-02-01,100000,2024-02-01\n"
    "2,1,2,1000000,2025-01-31,0,\n"
    "1,1,1,234567.89,2024-10-01,200000.01,2024-10-05\n"
)


def book(kehu, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in [("customers", CUSTOMERS), ("people", PEOPLE), ("touchpoints", TOUCHPOINTS),
                       ("promises", PROMISES), ("contracts", CONTRACTS), ("instalments", INSTALMENTS)]:
        (src / f"{name}.csv").write_text(text, encoding="utf-8")
    kehu("import", str(src))


EXPECTED = {
    "customers.csv": (
        "id,name,industry,region,kind,level,value,owner,note,stage,profit_now,profit_future,service_cost,"
        "added_on,terminated_on,terminated_reason,phone,address,website,aliases\r\n"
        "3,华东电力,能源,010000,business,preferred,1200000.00,王强,\"两行\n备注\",evaluation,high,low,high,"
        "2024-01-05,,,010-12345678 转 8,\"北京市,朝阳区\",www.example.com,\r\n"
        "5,\"'=HYPERLINK(\"\"x\"\")\",'-5,'+86,,,0.00,,'=SUM(A1),stranger,,,,2024-02-29,2025-06-30,'@停了,"
        "'+86 10 1234 5678,,,\r\n"
        "7,\"逗号,公司\",,,internal,partner,125000.00,'@me,'',mature,,,,2023-12-31,,,0101234,,https://x.example.cn/a,\r\n"
    ),
    "people.csv": (
        "id,customer,name,title,dept,level,role,attitude,kpi,pain,interest,style,competence,phone,mobile,wechat,"
        "email\r\n"
        "1,华东电力,张伟,总经理,管理层,executive,decider,support,年度降本 8%,交付,储能,微信,5,0755-1234567,"
        "'+86 138 0013 8000,zw_1,zw@example.com\r\n"
        "2,华东电力,\"李娜,王芳\",'-,'=1,,,,,,,,,,,,\r\n"
        "4,\"逗号,公司\",'+刘洋,,,,coach,oppose,,,,\"a\nb\",1,,00123,,\r\n"
    ),
    "touchpoints.csv": (
        "id,customer,date,kind,with,note,signals,next,next_due,next_done,channel\r\n"
        "10,华东电力,2024-03-01,topic,\"张伟\n李娜,王芳\",\"介绍方案\n关注交付\",\"预算已批\n=下季度招标\","
        "发送案例,2024-03-08,2024-03-07,\r\n"
        "11,华东电力,2024-03-02,daily,\"李娜,王芳\n\",,,'-跟进,2024-04-01,,wechat\r\n"
        "12,\"逗号,公司\",2024-03-03,summit,'+刘洋,'@note,,,,,\r\n"
        "13,\"'=HYPERLINK(\"\"x\"\")\",2024-03-04,daily,,,,,,,phone\r\n"
    ),
    "promises.csv": (
        "id,customer,touchpoint,text,made_on,due,kept_on,broken_on\r\n"
        "1,华东电力,10,送样品,2024-03-01,2024-03-15,2024-03-14,\r\n"
        "2,\"'=HYPERLINK(\"\"x\"\")\",,'=报价,2024-03-04,2024-04-04,,2024-04-10\r\n"
    ),
    "contracts.csv": (
        "id,customer,title,amount,currency,status,expected_on,signed_on,completed_on,lost_on,lost_reason,"
        "aftercare_due,aftercare_done,note\r\n"
        "1,华东电力,核心网扩容,1234567.89,CNY,signed,,2024-05-01,,,,,,'=SUM(A1)\r\n"
        "2,\"逗号,公司\",二期,500000.00,USD,lost,2024-06-01,,,2024-07-01,'-预算冻结,,,\r\n"
        "3,华东电力,'+三期,100000.00,CNY,completed,,2024-01-02,2024-02-03,,,2024-03-01,2024-03-05,\r\n"
    ),
    "instalments.csv": (
        "id,contract,seq,amount,due,paid,paid_on\r\n"
        "1,1,1,234567.89,2024-10-01,200000.01,2024-10-05\r\n"
        "2,1,2,1000000.00,2025-01-31,0.00,\r\n"
        "5,3,1,100000.00,2024-02-01,100000.00,2024-02-01\r\n"
    ),
}


def test_a_multi_table_export_writes_exactly_these_bytes(kehu, tmp_path: Path) -> None:
    book(kehu, tmp_path)
    kehu("export", "--out", str(tmp_path / "out"))
    for name, text in EXPECTED.items():
        assert (tmp_path / "out" / name).read_bytes() == text.encode("utf-8"), name


def test_the_private_column_comes_last_only_on_request(kehu, tmp_path: Path) -> None:
    book(kehu, tmp_path)
    kehu("export", "--out", str(tmp_path / "out"), "--include-private")
    people = (tmp_path / "out" / "people.csv").read_bytes().decode("utf-8").split("\r\n")
    assert people[0].endswith(",competence,phone,mobile,wechat,email,private,private_mobile,home_address")
    assert people[1:] == [
        "1,华东电力,张伟,总经理,管理层,executive,decider,support,年度降本 8%,交付,储能,微信,5,0755-1234567,"
        "'+86 138 0013 8000,zw_1,zw@example.com,女儿明年高考,13900001111,\"某小区,3号\"",
        "2,华东电力,\"李娜,王芳\",'-,'=1,,,,,,,,,,,,,'=秘密,,",
        "4,\"逗号,公司\",'+刘洋,,,,coach,oppose,,,,\"a\nb\",1,,00123,,,,,",
        "",
    ]
    # one table to stdout is the same bytes as its file in the folder (CRLF folded by the runner)
    single = kehu("export", "--table", "touchpoints").stdout
    assert single == EXPECTED["touchpoints.csv"].replace("\r\n", "\n")

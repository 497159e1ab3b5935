"""The columns of kehu's CSV files: each table's columns, and which header names mean them.

A header cell names a column by its key (``name``), its Chinese name (``客户名称``) or an
alias (``公司``), compared after folding (case, width, spaces). ``ORDER`` is the order a
folder import reads the tables in (each refers only to tables before it) and the files
an export folder holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kehu.text import fold

# The formula guard of both directions: export puts an apostrophe before a text cell
# that starts with one of these, import removes it again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")


# The date columns that lie ahead by nature; the others record what happened. A month and
# day without a year (3月5日) is read as on the command line: the next such day in these,
# the most recent in the others (kehu.dates.parse_date).
DUE_DATES = frozenset({"next_due", "due", "expected_on", "aftercare_due"})


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    kind: str = "text"  # text, id, int, amount, date, enum:<name>, names, lines
    aliases: tuple[str, ...] = ()
    required: bool = False
    private: bool = False


TABLES: dict[str, tuple[Col, ...]] = {
    "customers": (
        Col("id", "编号", "id"),
        Col("name", "客户名称", aliases=("客户", "名称", "公司", "公司名称"), required=True),
        Col("industry", "行业"),
        Col("region", "地区"),
        Col("kind", "类型", "enum:customer_kind", aliases=("客户类型",)),
        Col("level", "关系类型", "enum:relationship_level"),
        Col("value", "年价值", "amount", aliases=("金额", "价值")),
        Col("owner", "负责人", aliases=("销售",)),
        Col("note", "备注"),
        Col("stage", "阶段", "enum:stage"),
        Col("profit_now", "当前盈利", "enum:profit"),
        Col("profit_future", "未来潜力", "enum:profit"),
        Col("service_cost", "服务成本", "enum:cost"),
        Col("added_on", "建档日期", "date"),
        Col("terminated_on", "终止日期", "date"),
        Col("terminated_reason", "终止原因"),
        # Contact details: kept as typed, never read as numbers (0101234 stays 0101234).
        Col("phone", "电话", aliases=("联系电话", "公司电话", "总机", "座机", "固话", "电话号码", "tel", "telephone")),
        Col("address", "地址", aliases=("公司地址", "办公地址", "详细地址", "联系地址")),
        Col("website", "网址", aliases=("网站", "官网", "公司网址", "公司网站", "主页", "web", "url")),
        Col("aliases", "简称", "names", aliases=("别名", "客户简称")),
    ),
    "people": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("name", "决策人", aliases=("姓名", "联系人"), required=True),
        Col("title", "职位"),
        Col("dept", "部门"),
        Col("level", "层级", "enum:person_level"),
        Col("role", "角色", "enum:role"),
        Col("attitude", "态度", "enum:attitude"),
        Col("kpi", "KPI", aliases=("考核指标",)),
        Col("pain", "痛点"),
        Col("interest", "关注点"),
        Col("style", "沟通偏好"),
        Col("competence", "专业评分", "int"),
        Col("phone", "电话", aliases=("联系电话", "办公电话", "工作电话", "座机", "固话", "电话号码", "tel",
                                    "telephone", "work phone")),
        Col("mobile", "手机", aliases=("手机号", "手机号码", "移动电话", "cell", "mobile phone", "cellphone")),
        Col("wechat", "微信", aliases=("微信号", "微信账号", "微信ID", "weixin")),
        Col("email", "邮箱", aliases=("电子邮件", "电子邮箱", "邮箱地址", "邮件", "e-mail", "mail", "email address")),
        # The private columns come last: an export has them only with --include-private.
        Col("private", "私密信息", private=True),
        Col("private_mobile", "私人手机", aliases=("私人电话", "私人手机号"), private=True),
        Col("home_address", "家庭住址", aliases=("家庭地址", "住址", "家庭住所"), private=True),
    ),
    "touchpoints": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("date", "日期", "date", required=True),
        Col("kind", "方式", "enum:touch_kind", aliases=("接触方式",), required=True),
        Col("with", "接触人", "names"),
        Col("note", "备注", aliases=("内容",)),
        Col("signals", "信号", "lines", aliases=("客户信号",)),
        Col("next", "下一步"),
        Col("next_due", "下一步截止", "date"),
        Col("next_done", "下一步完成", "date"),
        Col("channel", "渠道", "enum:touch_channel", aliases=("沟通渠道", "联系渠道")),
    ),
    "promises": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("touchpoint", "接触编号", "id"),
        Col("text", "承诺", required=True),
        Col("made_on", "承诺日期", "date", required=True),
        Col("due", "到期日", "date", aliases=("截止日期",), required=True),
        Col("kept_on", "兑现日期", "date"),
        Col("broken_on", "作废日期", "date"),
    ),
    "contracts": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("title", "合同名称", aliases=("合同",), required=True),
        Col("amount", "合同金额", "amount", aliases=("金额",), required=True),
        Col("currency", "币种"),
        Col("status", "合同状态", "enum:contract_status", aliases=("状态",)),
        Col("expected_on", "预计签约", "date", aliases=("预计签约日期",)),
        Col("signed_on", "签约日期", "date"),
        Col("completed_on", "完成日期", "date"),
        Col("lost_on", "丢单日期", "date"),
        Col("lost_reason", "丢单原因"),
        Col("aftercare_due", "回访日期", "date"),
        Col("aftercare_done", "回访完成", "date"),
        Col("note", "备注"),
    ),
    "instalments": (
        Col("id", "编号", "id"),
        Col("contract", "合同编号", "id", required=True),
        Col("seq", "期次", "int"),
        Col("amount", "金额", "amount", aliases=("应付金额",), required=True),
        Col("due", "到期日", "date", aliases=("应付日期",), required=True),
        Col("paid", "已付金额", "amount", aliases=("已付",)),
        Col("paid_on", "付款日期", "date"),
    ),
}
ORDER = ("customers", "people", "touchpoints", "promises", "contracts", "instalments")


def accepted_names(table: str) -> str:
    return ", ".join(f"{c.key}/{c.zh}" for c in TABLES[table])


def map_header(table: str, header: Sequence[str]) -> tuple[list[Col | None], list[str]]:
    """Columns for each header cell (None: unknown) and the unknown names."""
    names = {}
    for c in TABLES[table]:
        for form in (c.key, c.zh, *c.aliases):
            names.setdefault(fold(form), c)
    cols = [names.get(fold(h)) for h in header]
    unknown = [h for h, c in zip(header, cols, strict=True) if c is None]
    return cols, unknown


def infer_table(header: Sequence[str]) -> list[str]:
    """Tables whose columns cover the header and whose required columns are present."""
    fits = []
    for table in ORDER:
        cols, unknown = map_header(table, header)
        keys = {c.key for c in cols if c}
        if not unknown and all(c.key in keys for c in TABLES[table] if c.required):
            fits.append(table)
    return fits


def export_columns(table: str, include_private: bool) -> list[Col]:
    return [c for c in TABLES[table] if include_private or not c.private]

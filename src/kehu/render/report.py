"""`kehu report`: the report as sections of tables with typed cells (numbers, days,
amounts), drawn once from kehu.rules.report's Report and printed by each output in its
own way: Rich tables with bars on a terminal, plain lines in a pipe, JSON, Markdown here;
the HTML page in report_html, the workbook in report_xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kehu.i18n import label, message
from kehu.money import amount_text
from kehu.render.blocks import Block, Fields, Grid, Lines, iso, money
from kehu.render.followups import item_text

PLAN_SHOWN = 20  # the plan lists the most urgent items; `kehu remind` has them all
BAR = 16  # the widest bar on a terminal, in cells (a column this narrow never wraps)


@dataclass(frozen=True)
class Amount:
    cents: int
    currency: str | None = None


@dataclass(frozen=True)
class Pct:
    value: int  # whole percent


@dataclass
class Table:
    sheet: str  # its key: the workbook's sheet, the HTML's anchor
    title: str
    headers: list[str]
    rows: list[list[object]]  # str, int, date, Amount, Pct
    bar: int | None = None  # the column a terminal draws as a bar
    note: str | None = None


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)


def t(key: str, lang: str, **params: object) -> str:
    return message(key, lang, **params)


def title(rep, lang: str) -> str:
    key = {"week": "rp_title_week", "month": "rp_title_month", "quarter": "rp_title_quarter"}[rep.period.kind]
    return t(key, lang, start=iso(rep.period.start), end=iso(rep.period.end))


def subtitle(rep, lang: str) -> str:
    parts = [t("rp_of_owner", lang, owner=rep.owner)] if rep.owner else []
    return " · ".join([*parts, t("rp_made", lang, today=iso(rep.today))])


def amounts(items, lang: str) -> str:
    """'1,200,000.00 CNY、5,000.00 USD', or 0 in the book's currency."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(money(c, cur) for cur, c in items) if items else t("rp_nothing", lang)


def summary(rep, lang: str) -> list[tuple[str, object]]:
    """The figures at the top: (label, value) with value an int, a str or [Amount]."""
    p = rep.promises

    def deals(items) -> list[Amount]:
        per: dict[str, int] = {}
        for d in items:
            per[d.currency] = per.get(d.currency, 0) + d.amount
        return [Amount(c, cur) for cur, c in sorted(per.items())]

    late = [Amount(r.late, r.currency) for r in rep.receivables]
    return [
        (t("rp_touches", lang), rep.touch_total),
        (t("rp_new_customers", lang), len(rep.new_customers)),
        (t("rp_moves", lang), len(rep.moves)),
        (t("rp_promises_kept", lang), p.kept),
        (t("rp_promises_broken", lang), p.broken),
        (t("rp_promises_missed", lang), p.missed),
        (t("rp_signed", lang) + f" ({len(rep.signed)})", deals(rep.signed)),
        (t("rp_lost", lang) + f" ({len(rep.lost)})", deals(rep.lost)),
        (t("rp_received", lang) + f" ({rep.payments})", [Amount(c, cur) for cur, c in rep.received]),
        (t("rp_forecast", lang), [Amount(r.weighted, r.currency) for r in rep.forecast]),
        (t("rp_receivable", lang), [Amount(r.total, r.currency) for r in rep.receivables]),
        (t("rp_receivable_late", lang), late),
        (t("rp_cold_count", lang), len(rep.cold)),
        (t("rp_plan_count", lang), len(rep.plan)),
    ]


def sections(rep, lang: str) -> list[Section]:
    st = lambda key: label("stage", key, lang) if key else ""  # noqa: E731
    none_month = t("rp_none_month", lang)
    daily = rep.period.days <= 14
    happened = Section(t("rp_happened", lang), [
        Table("touches", t("rp_by_kind", lang), [t("rp_h_kind", lang), t("rp_h_count", lang)],
              [[label("touch_kind", k, lang), n] for k, n in rep.touches], bar=1),
        Table("activity", t("rp_activity_day" if daily else "rp_activity_week", lang),
              [t("rp_h_day" if daily else "rp_h_week", lang), t("rp_h_count", lang)],
              [[d, n] for d, n in rep.activity], bar=1),
        Table("new", t("rp_new_customers", lang), [t("rp_h_customer", lang), t("rp_h_stage", lang)],
              [[name, st(stage)] for _, name, stage in rep.new_customers]),
        Table("moves", t("rp_moves", lang),
              [t("rp_h_day", lang), t("rp_h_customer", lang), t("rp_h_from", lang), t("rp_h_to", lang),
               t("rp_h_forced", lang)],
              [[m.day, m.customer, st(m.from_stage), st(m.to_stage), t("rp_yes", lang) if m.forced else ""]
               for m in rep.moves]),
        Table("signed", t("rp_signed", lang),
              [t("rp_h_day", lang), t("rp_h_contract", lang), t("rp_h_customer", lang), t("rp_h_title", lang),
               t("rp_h_amount", lang), t("rp_h_currency", lang)],
              [[d.day, d.id, d.customer, d.title, Amount(d.amount), d.currency] for d in rep.signed]),
        Table("lost", t("rp_lost", lang),
              [t("rp_h_day", lang), t("rp_h_contract", lang), t("rp_h_customer", lang), t("rp_h_title", lang),
               t("rp_h_amount", lang), t("rp_h_currency", lang), t("rp_h_reason", lang)],
              [[d.day, d.id, d.customer, d.title, Amount(d.amount), d.currency, d.reason or ""] for d in rep.lost]),
    ])
    standing = Section(t("rp_standing", lang, today=iso(rep.today)), [
        Table("funnel", t("rp_funnel", lang), [t("rp_h_stage", lang), t("rp_h_customers", lang)],
              [[st(s), n] for s, n in rep.funnel], bar=1),
        Table("stage", t("rp_pipeline_stage", lang),
              [t("rp_h_stage", lang), t("rp_h_currency", lang), t("rp_h_contracts", lang), t("rp_h_amount", lang),
               t("rp_h_chance", lang), t("rp_h_weighted", lang)],
              [[st(r.group), r.currency, r.count, Amount(r.amount), Pct(rep.probability.get(r.group, 0)),
                Amount(r.weighted)] for r in rep.pipeline_stage]),
        Table("month", t("rp_pipeline_month", lang),
              [t("rp_h_month", lang), t("rp_h_currency", lang), t("rp_h_contracts", lang), t("rp_h_amount", lang),
               t("rp_h_weighted", lang)],
              [[r.group or none_month, r.currency, r.count, Amount(r.amount), Amount(r.weighted)]
               for r in rep.pipeline_month], bar=4),
        Table("ageing", t("rp_ageing", lang),
              [t("rp_h_currency", lang), t("rp_h_not_due", lang), t("rp_h_d0_30", lang), t("rp_h_d31_90", lang),
               t("rp_h_d90", lang), t("rp_h_total", lang)],
              [[r.currency, *(Amount(r.cents[a]) for a in ("not_due", "d0_30", "d31_90", "d90")), Amount(r.total)]
               for r in rep.receivables]),
        Table("late", t("rp_late", lang),
              [t("rp_h_contract", lang), t("rp_h_customer", lang), t("rp_h_title", lang), t("rp_h_overdue", lang),
               t("rp_h_currency", lang), t("rp_h_days_late", lang)],
              [[x.id, x.customer, x.title, Amount(x.cents), x.currency, x.days] for x in rep.late]),
        Table("cold", t("rp_cold", lang),
              [t("rp_h_customer", lang), t("rp_h_stage", lang), t("rp_h_days", lang), t("rp_h_limit", lang)],
              [[c.customer, st(c.stage), c.days, c.limit] for c in rep.cold]),
    ])
    shown = rep.plan[:PLAN_SHOWN]
    plan = Section(t("rp_plan", lang, end=iso(rep.plan_end)), [
        Table("plan", t("rp_plan_items", lang),
              [t("rp_h_due", lang), t("rp_h_item", lang), t("rp_h_customer", lang), t("rp_h_what", lang)],
              [[r.item.due, r.item.id, r.item.customer, item_text(r.item, lang, rep.today)] for r in shown],
              note=t("rp_more", lang, count=len(rep.plan) - len(shown)) if len(rep.plan) > len(shown) else None),
    ])
    return [happened, standing, plan]


# ---------------------------------------------------------------- text cells


def cell_text(value: object, lang: str) -> str:
    if isinstance(value, Amount):
        return money(value.cents, value.currency)
    if isinstance(value, Pct):
        return f"{value.value}%"
    if isinstance(value, date):
        return iso(value)
    return "" if value is None else str(value)


def magnitude(value: object) -> int:
    return value.cents if isinstance(value, Amount) else int(value) if isinstance(value, int) else 0


def summary_text(value: object, lang: str) -> str:
    if isinstance(value, list):
        return amounts([(a.currency, a.cents) for a in value], lang)
    return str(value)


def bar(value: int, biggest: int, width: int = BAR) -> str:
    """A bar of ``width`` cells for the biggest value; any value above 0 shows at least one."""
    if value <= 0 or biggest <= 0:
        return ""
    return "█" * max(1, round(width * value / biggest))


# ---------------------------------------------------------------- terminal and pipe


def report_blocks(rep, lang: str, bars: bool = True) -> list[Block]:
    """The terminal's blocks (with bars when ``bars``); piped, the same tables as lines."""
    out: list[Block] = [Lines(title(rep, lang), [subtitle(rep, lang)]),
                        Fields(t("rp_summary", lang), [(k, summary_text(v, lang)) for k, v in summary(rep, lang)])]
    for section in sections(rep, lang):
        out.append(Lines(f"== {section.title} ==", []))
        for table in section.tables:
            if not table.rows:
                out.append(Lines(table.title, [t("rp_nothing", lang)]))
                continue
            headers = list(table.headers)
            rows = [[cell_text(c, lang) for c in row] for row in table.rows]
            if bars and table.bar is not None:
                biggest = max(magnitude(r[table.bar]) for r in table.rows)
                headers.append(t("rp_h_bar", lang))
                for row, raw in zip(rows, table.rows, strict=True):
                    row.append(bar(magnitude(raw[table.bar]), biggest))
            out.append(Grid(table.title, headers, rows))
            if table.note:
                out.append(Lines(None, [table.note]))
    return out


def report_json(rep) -> dict:
    def rows(items, name: str) -> list[dict]:
        return [{name: r.group or None, "currency": r.currency, "contracts": r.count,
                 "amount": amount_text(r.amount), "weighted": amount_text(r.weighted)} for r in items]

    def deal(d) -> dict:
        out = {"id": d.id, "customer": d.customer, "title": d.title, "amount": amount_text(d.amount),
               "currency": d.currency, "day": d.day}
        return {**out, "reason": d.reason} if d.reason is not None else out

    p = rep.promises
    return {
        "kind": rep.period.kind, "from": rep.period.start, "to": rep.period.end, "today": rep.today,
        "owner": rep.owner, "currency": rep.currency,
        "touches": {k: n for k, n in rep.touches}, "touches_total": rep.touch_total,
        "activity": [{"from": d, "touches": n} for d, n in rep.activity],
        "new_customers": [{"id": i, "name": n, "stage": s} for i, n, s in rep.new_customers],
        "stage_moves": [{"customer_id": m.customer_id, "customer": m.customer, "day": m.day, "from": m.from_stage,
                         "to": m.to_stage, "forced": m.forced} for m in rep.moves],
        "promises": {"kept": p.kept, "kept_late": p.kept_late, "broken": p.broken, "missed": p.missed},
        "signed": [deal(d) for d in rep.signed],
        "lost": [deal(d) for d in rep.lost],
        "received": [{"currency": c, "amount": amount_text(a)} for c, a in rep.received],
        "payments": rep.payments,
        "funnel": {s: n for s, n in rep.funnel},
        "pipeline_by_stage": rows(rep.pipeline_stage, "stage"),
        "pipeline_by_month": rows(rep.pipeline_month, "month"),
        "forecast": [{k: v for k, v in r.items() if k != "total"} for r in rows(rep.forecast, "total")],
        "probability": rep.probability,
        "receivables": [{"currency": r.currency, **{a: amount_text(c) for a, c in r.cents.items()},
                         "total": amount_text(r.total)} for r in rep.receivables],
        "overdue_contracts": [{"id": x.id, "customer": x.customer, "title": x.title, "currency": x.currency,
                               "overdue": amount_text(x.cents), "days_late": x.days} for x in rep.late],
        "going_cold": [{"id": c.customer_id, "name": c.customer, "stage": c.stage, "days": c.days,
                        "threshold": c.limit} for c in rep.cold],
        "plan": [{"id": r.item.id, "kind": r.item.kind, "customer": r.item.customer, "due": r.item.due,
                  "bucket": r.bucket} for r in rep.plan],
    }


# ---------------------------------------------------------------- Markdown


def md_cell(text: str) -> str:
    """A table cell's text: one line, and nothing Markdown or HTML would act on."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def report_markdown(rep, lang: str) -> str:
    lines = [f"# {md_cell(title(rep, lang))}", "", md_cell(subtitle(rep, lang)), "",
             f"## {md_cell(t('rp_summary', lang))}", "",
             f"| {md_cell(t('rp_h_field', lang))} | {md_cell(t('rp_h_value', lang))} |", "|---|---:|"]
    lines += [f"| {md_cell(k)} | {md_cell(summary_text(v, lang))} |" for k, v in summary(rep, lang)]
    for section in sections(rep, lang):
        lines += ["", f"## {md_cell(section.title)}"]
        for table in section.tables:
            lines += ["", f"### {md_cell(table.title)}", ""]
            if not table.rows:
                lines.append(md_cell(t("rp_nothing", lang)))
                continue
            align = ["---:" if isinstance(c, int | Amount | Pct) else "---" for c in table.rows[0]]
            lines.append("| " + " | ".join(md_cell(h) for h in table.headers) + " |")
            lines.append("|" + "|".join(align) + "|")
            lines += ["| " + " | ".join(md_cell(cell_text(c, lang)) for c in row) + " |" for row in table.rows]
            if table.note:
                lines += ["", md_cell(table.note)]
    return "\n".join(lines) + "\n"

"""What is due, ranked: `kehu remind`, `kehu next` and `kehu followup explain`."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from kehu.money import amount_text, show_amount
from kehu.i18n import label, message, template, word
from kehu.render.blocks import Grid, clean_cell, iso
from kehu.text import printable_join
from kehu.render.team import pool_reason_text


def item_text(item, lang: str, today: date) -> str:
    if item.kind == "cadence":
        return _cadence_text(item.since, bool(item.extra.get("touched", True)), item.tier,
                             item.extra.get("cadence", ""), lang, today, item.extra.get("cell"),
                             item.extra.get("tier_cadence"))
    if item.kind == "receivable":
        return message("receivable_text", lang, contract=item.extra["contract"], title=item.text,
                       owed=show_amount(item.extra["owed"]), currency=item.extra["currency"])
    if item.kind == "aftercare":
        return message("aftercare_text", lang, contract=item.extra["contract"], title=item.text)
    if item.kind == "pool":
        return pool_reason_text(item.extra["reason"], item.since, item.extra.get("growth_days"), lang,
                                returns=item.extra["returns_on"])
    if item.kind in ("complaint", "review", "repurchase"):
        return after_deal_text(item, lang)
    return item.text


def after_deal_text(item, lang: str) -> str:
    """A complaint's call-back, a review to write, the next purchase (store.aftersale)."""
    x = item.extra
    if item.kind == "complaint":
        return message("complaint_text", lang, text=item.text)
    if item.kind == "review":
        return message("review_text", lang, contract=x["contract"], title=item.text,
                       status=label("contract_status", x["status"], lang))
    return message("repurchase_text", lang, last=x["last"], cycle=x["cycle"],
                   source=message(f"cycle_{x['source']}", lang))


@lru_cache(maxsize=4096)
def _cadence_text(since: date | None, touched: bool, tier: str, cadence: object, lang: str, today: date,
                  cell: str | None = None, tier_cadence: object = None) -> str:
    # Remembered: tens of thousands of late customers share a few thousand of these
    # (a last touch, a tier), and formatting each one anew was a tenth of `kehu remind`.
    key = "cadence_text" if since and touched else "cadence_never"
    if cell:  # its profitability cell changed the tier's cadence
        return message(
            key + "_cell", lang, since=iso(since), days=(today - since).days if since else 0,
            tier=label("tier", tier, lang), cadence=cadence, cell=label("cell", cell, lang), tier_cadence=tier_cadence,
        )
    return message(
        key, lang, since=iso(since), days=(today - since).days if since else 0,
        tier=label("tier", tier, lang), cadence=cadence,
    )


def explain_parts(r, lang: str = "en", own: bool = True) -> str:
    """tier × kind × stage × timing = urgency, and (``own``) that these weights are kehu's
    own; a table on a terminal says it once, in its legend, instead of on every row."""
    p = r.parts
    if lang == "zh":
        text = (f"层级 {p['tier']:g} × 事项 {p['kind']:g} × 阶段 {p['stage']:g} × 时机 {p['timing']:.2f}"
                f" = {r.urgency:.2f}")
    else:
        text = (f"tier {p['tier']:g} × kind {p['kind']:g} × stage {p['stage']:g} × timing {p['timing']:.2f}"
                f" = {r.urgency:.2f}")
    return text + _own_weights(lang) if own else text


@lru_cache(maxsize=4)
def _own_weights(lang: str) -> str:
    return message("own_weights", lang)


def remind_plain(ranked, lang: str, today: date, explain: bool = False, within: int | None = None) -> str:
    """Piped. In English, one line per item, tab-separated, most urgent first, for scripts:
    bucket, due date, item id, customer, item kind, what, urgency [, explanation], bucket
    and kind as keys. In Chinese, what the cron mail reads (issue 17): each group under a
    header (逾期 / 今天 / 未来 7 天), one readable line per item, no English key; scripts
    read --json."""
    if lang == "zh":
        return _remind_mail(ranked, lang, today, explain, within)
    lines = []
    days: dict[date, str] = {}  # tens of thousands of lines share a few hundred dates
    scores: dict[float, str] = {}  # and urgencies
    for r in ranked:
        item = r.item
        due = days.get(item.due)
        if due is None:
            due = days[item.due] = iso(item.due)
        score = scores.get(r.urgency)
        if score is None:
            score = scores[r.urgency] = f"{r.urgency:.1f}"
        line = (f"{r.bucket}\t{due}\t{item.id}\t{item.customer}\t{item.kind}"
                f"\t{clean_cell(item_text(item, lang, today))}\t{score}")
        lines.append(f"{line}\t{explain_parts(r)}" if explain else line)
    return printable_join(lines) + ("\n" if lines else "")


def _remind_mail(ranked, lang: str, today: date, explain: bool, within: int | None) -> str:
    # Tens of thousands of lines of one message: its template formatted directly (the
    # output made printable once, by printable_join), and the few hundred dates and days
    # late worded once each; message() per line was a tenth of `kehu remind`.
    line_t, late_t = template("remind_mail_line", lang), template("days_late", lang)
    days = lru_cache(maxsize=None)(iso)
    late = lru_cache(maxsize=None)(lambda n: f"（{late_t.format(days=n)}）" if n > 0 else "")
    groups: dict[str, list] = {}
    for r in ranked:
        groups.setdefault(r.bucket, []).append(r)
    out: list[str] = []
    for bucket in ("overdue", "today", "upcoming"):
        items = groups.get(bucket)
        if not items:
            continue
        if out:
            out.append("")
        if bucket == "upcoming" and within:
            head = message("remind_head_within", lang, days=within, count=len(items))
        else:
            head = message("remind_head", lang, bucket=label("bucket", bucket, lang), count=len(items))
        out.append(head)
        for r in items:
            item = r.item
            line = line_t.format(id=item.id, due=days(item.due), late=late(r.days), customer=item.customer,
                                 kind=label("item_kind", item.kind, lang),
                                 what=clean_cell(item_text(item, lang, today)), urgency=f"{r.urgency:.1f}")
            out.append(f"{line}  {explain_parts(r, lang)}" if explain else line)
    return printable_join(out) + ("\n" if out else "")


BUCKET_STYLE = {"overdue": "bold red", "today": "yellow", "upcoming": None}


def remind_grid(ranked, lang: str, today: date, explain: bool = False, brief: bool = False) -> Grid:
    """``brief`` (kehu next): without the item's kind (its id's letter and its text say it),
    each item in at most two lines on a terminal."""
    keys = ["bucket", "due", "id", "customer", "item", "what", "urgency"]
    rows, styles = [], []
    for r in ranked:
        days = r.days
        when = label("bucket", r.bucket, lang)
        if days > 0:
            when += f" {days}天" if lang == "zh" else f" {days}d"
        row = [
            when, iso(r.item.due), r.item.id, r.item.customer, label("item_kind", r.item.kind, lang),
            item_text(r.item, lang, today), f"{r.urgency:.1f}",
        ]
        if explain:
            row.append(explain_parts(r, lang, own=False))  # the legend says whose weights
        if brief:
            del row[4]
        rows.append(row)
        styles.append(BUCKET_STYLE[r.bucket])
    headers = [word(k, lang) for k in keys if not (brief and k == "item")] + ([word("why", lang)] if explain else [])
    return Grid(None, headers, rows, styles, max_lines=2 if brief else None)


def ranked_json(r, lang: str, today: date) -> dict:
    return {
        "id": r.item.id,
        "bucket": r.bucket,
        "due": r.item.due,
        "days_overdue": max(r.days, 0),
        "kind": r.item.kind,
        "customer_id": r.item.customer_id,
        "customer": r.item.customer,
        "tier": r.item.tier,
        "stage": r.item.stage,
        "owner": r.item.owner,
        "text": item_text(r.item, lang, today),
        "urgency": round(r.urgency, 3),
        "urgency_parts": {k: round(v, 4) for k, v in r.parts.items()},
        **_item_extra(r.item),
    }


def _item_extra(item) -> dict:
    if item.kind == "receivable":
        return {"contract": item.extra["contract"], "owed": amount_text(item.extra["owed"]),
                "currency": item.extra["currency"], "playbook": item.extra["playbook"]}
    if item.kind == "aftercare":
        return {"contract": item.extra["contract"], "completed_on": item.extra["completed"]}
    if item.kind == "pool":
        return {"returns_on": item.extra["returns_on"], "reason": item.extra["reason"],
                "clock_from": item.since}
    return {}


# Text from the book is shown as text in a chat: its angle brackets are made full-width,
# so a note holding <at id=all></at> (Feishu) or <font …> (WeCom) pings or paints
# nothing, and Markdown's own marks at the start of a value cannot make it a heading.
_CHAT_SAFE = str.maketrans({"<": "＜", ">": "＞", "\n": " ", "\r": " ", "`": "'"})


def chat_text(value: str) -> str:
    return clean_cell(value).translate(_CHAT_SAFE).lstrip("#>-*+ ")


def remind_markdown(ranked, lang: str, today: date, within: int | None, max_bytes: int) -> tuple[str, str]:
    """`kehu remind --post`: (title, Markdown text) of the group message, in the groups of
    the cron mail, one list item per item, at most ``max_bytes`` of UTF-8 (then cut at an
    item, saying how many more there are)."""
    title = message("remind_post_title", lang, day=iso(today))
    out = [f"**{title}**"]
    size = len(out[0].encode())
    left = len(ranked)
    groups: dict[str, list] = {}
    for r in ranked:
        groups.setdefault(r.bucket, []).append(r)
    reserve = len(message("remind_post_more", lang, count=len(ranked)).encode()) + 8
    for bucket in ("overdue", "today", "upcoming"):
        items = groups.get(bucket)
        if not items:
            continue
        if bucket == "upcoming" and within:
            head = message("remind_head_within", lang, days=within, count=len(items))
        else:
            head = message("remind_head", lang, bucket=label("bucket", bucket, lang), count=len(items))
        lines = ["", f"**{head}**"]
        for r in items:
            item = r.item
            late = "" if r.days <= 0 else (f"（{message('days_late', lang, days=r.days)}）" if lang == "zh"
                                           else f" ({message('days_late', lang, days=r.days)})")
            lines.append("- " + message("remind_mail_line", lang, id=item.id, due=iso(item.due), late=late,
                                        customer=chat_text(item.customer), kind=label("item_kind", item.kind, lang),
                                        what=chat_text(item_text(item, lang, today)), urgency=f"{r.urgency:.1f}"))
            cost = sum(len(x.encode()) + 1 for x in lines)
            if size + cost + reserve > max_bytes:
                lines.pop()
                if lines[-1].startswith("**"):
                    lines = lines[:-2]
                out.extend(lines)
                out += ["", message("remind_post_more", lang, count=left)]
                return title, "\n".join(out)
            left -= 1
        size += sum(len(x.encode()) + 1 for x in lines)
        out.extend(lines)
    return title, "\n".join(out)

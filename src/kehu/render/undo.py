"""The operation log as the user sees it: `kehu undo --list`, and the confirmation lines
of undo and redo."""

from __future__ import annotations

from kehu.dates import show_datetime
from kehu.i18n import message, word
from kehu.i18n.messages_undo import STATES, TABLES
from kehu.render.blocks import Grid, iso


def _table_word(name: str, lang: str) -> str:
    pair = TABLES.get(name)
    return name if pair is None else pair[0 if lang == "zh" else 1]


def summary_text(summary: dict[str, list[int]], lang: str) -> str:
    """"added 客户 1, 历史记录 1; changed or removed 接触 2", tables in a fixed order."""
    sep = "、" if lang == "zh" else ", "
    parts = []
    for index, key in ((0, "op_summary_new"), (1, "op_summary_old")):
        items = [f"{_table_word(t, lang)} {counts[index]}" for t, counts in sorted(summary.items()) if counts[index]]
        if items:
            parts.append(message(key, lang, what=sep.join(items)))
    return ("；" if lang == "zh" else "; ").join(parts)


def customers_text(names: list[str], lang: str) -> str:
    if not names:
        return ""
    shown = ("、" if lang == "zh" else ", ").join(names[:3])
    more = f" +{len(names) - 3}" if len(names) > 3 else ""
    return f" {shown}{more}"


def confirmation(view, lang: str) -> dict:
    """The parameters of the "undone" and "redone" lines."""
    return {"id": view.id, "command": view.command, "when": show_datetime(view.at), "actor": view.actor or "?",
            "customers": customers_text(view.customers, lang), "summary": summary_text(view.summary, lang)}


def ops_grid(views, lang: str) -> Grid:
    headers = ["#", word("when", lang), word("by", lang), "命令" if lang == "zh" else "Command",
               "客户" if lang == "zh" else "Customers", "改动" if lang == "zh" else "Changes",
               "状态" if lang == "zh" else "State"]
    rows, styles = [], []
    for v in views:
        state = STATES.get(v.state, (v.state, v.state))[0 if lang == "zh" else 1]
        rows.append([str(v.id), show_datetime(v.at), v.actor or "", v.command,
                     customers_text(v.customers, lang).strip(), summary_text(v.summary, lang), state])
        styles.append("dim" if v.state != "done" else None)
    return Grid(None, headers, rows, styles)


def ops_json(views) -> list[dict]:
    return [{"id": v.id, "at": iso(v.at), "actor": v.actor, "command": v.command, "state": v.state,
             "customers": v.customers,
             "summary": {t: {"created": c[0], "existing": c[1]} for t, c in v.summary.items()},
             "undone_at": v.undone_at.isoformat() if v.undone_at else None} for v in views]

"""Touchpoints and the promises made at them, as `kehu show` and `kehu promise list` list them."""

from __future__ import annotations

import json
from datetime import date

from kehu.i18n import label, word
from kehu.render.blocks import Grid, iso


def kind_text(kind: str, channel: str | None, lang: str) -> str:
    """A touchpoint's kind with its channel: 日常（电话）, daily (phone)."""
    shown = label("touch_kind", kind, lang)
    if not channel:
        return shown
    if kind == "daily":  # the short label reads better with a channel after it
        shown = word("daily_short", lang)
    via = label("touch_channel", channel, lang)
    return f"{shown}（{via}）" if lang == "zh" else f"{shown} ({via})"


def signal_kinds(row) -> list[dict]:
    """The structured signals of a touchpoint: typed (--signal-kind) and read from each
    free-text signal by the phrase table (rules.signals.classify)."""
    from kehu.rules.signals import classify

    t = row.touch
    out = [{"kind": k, "direction": d, "text": None, "source": "typed"} for k, d in getattr(row, "typed", ())]
    for text in json.loads(t.signals) if t.signals else []:
        out += [{"kind": k, "direction": d, "text": text, "source": "phrase"} for k, d in classify(text)]
    return out


def touch_json(row) -> dict:
    t = row.touch
    return {
        "id": t.id,
        "date": t.day,
        "kind": t.kind,
        "channel": t.channel,
        "with": row.people,
        "note": t.note,
        "signals": json.loads(t.signals) if t.signals else [],
        "signal_kinds": signal_kinds(row),
        "next_step": t.next_step,
        "next_due": t.next_due,
        "next_done_on": t.next_done_on,
        "actor": t.actor,
        "care": bool(t.care),
    }


def touches_grid(rows, lang: str) -> Grid:
    # The number is what `kehu touch edit/delete` take (and N + it, the next step's id).
    headers = [word(k, lang) for k in ("id", "date", "touch_kind", "with", "note", "next", "due")]
    out = [
        [
            f"#{r.touch.id}",
            iso(r.touch.day),
            kind_text(r.touch.kind, r.touch.channel, lang) + (word("care_mark", lang) if r.touch.care else ""),
            "、".join(r.people) if lang == "zh" else ", ".join(r.people),
            r.touch.note or "",
            r.touch.next_step or "",
            iso(r.touch.next_due),
        ]
        for r in rows
    ]
    return Grid(word("touchpoints", lang), headers, out)


def promise_json(p, state: str, customer: str | None = None, today: date | None = None) -> dict:
    data = {
        "id": p.id,
        "text": p.text,
        "made_on": p.made_on,
        "due": p.due,
        "state": state,
        "kept_on": p.kept_on,
        "broken_on": p.broken_on,
        "on_time": p.kept_on is not None and p.kept_on <= p.due,
        "overdue": state == "open" and today is not None and p.due < today,
    }
    if customer is not None:
        data["customer"] = customer
    return data


def promises_grid(items, lang: str, today: date, with_customer: bool = True) -> Grid:
    keys = ["id"] + (["customer"] if with_customer else []) + ["promise", "made_on", "due", "status", "kept_on"]
    rows, styles = [], []
    for p, state, customer in items:
        row = [str(p.id)] + ([customer] if with_customer else [])
        overdue = state == "open" and p.due < today
        shown = label("promise_state", "overdue" if overdue else state, lang)
        row += [p.text, iso(p.made_on), iso(p.due), shown, iso(p.kept_on)]
        rows.append(row)
        styles.append("red" if overdue or state == "broken" else ("dim" if state == "kept" else None))
    return Grid(word("promises", lang), [word(k, lang) for k in keys], rows, styles)

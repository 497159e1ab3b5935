"""`kehu timeline`: one customer's dated entries as one grid (date, what, detail, by), or
JSON; each kind of entry worded from its record."""

from __future__ import annotations

import json

from kehu.i18n import event_label, label, word
from kehu.money import amount_text, show_amount
from kehu.render.blocks import Grid, iso
from kehu.render.stages import event_json, event_texts
from kehu.render.touchpoints import touch_json


def _joined(items, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _touch_text(row, lang: str) -> str:
    t = row.touch
    parts = [f"#{t.id} {label('touch_kind', t.kind, lang)}"]
    if row.people:
        parts.append(word("with", lang) + _colon(lang) + _joined(row.people, lang))
    if t.note:
        parts.append(t.note)
    signals = json.loads(t.signals) if t.signals else []
    if signals or getattr(row, "typed", ()):
        from kehu.render.signals import direction_label, kind_label
        from kehu.rules.signals import classify

        def read(pairs) -> str:
            return "/".join(f"{direction_label(d, lang)}·{kind_label(k, lang)}" for k, d in pairs)

        shown = [f"{x} [{read(classify(x))}]" if classify(x) else x for x in signals]
        shown += [read([p]) for p in getattr(row, "typed", ())]
        parts.append(word("signals", lang) + _colon(lang) + _joined(shown, lang))
    if t.next_step:
        step = word("next", lang) + _colon(lang) + t.next_step
        if t.next_due:
            step += f" ({word('due', lang)} {iso(t.next_due)})"
        parts.append(step)
    return _sep(lang).join(parts)


def _text(e, lang: str) -> tuple[str, str, str]:
    """(what, detail, by) of an entry."""
    if e.what == "touch":
        return word("timeline_touch", lang), _touch_text(e.record, lang), e.record.touch.actor or ""
    if e.what == "event":
        what, reason = event_texts(e.record, lang)
        detail = what + (f" ({reason})" if reason else "")
        return event_label(e.record.kind, lang), detail, e.record.actor or ""
    if e.what.startswith("promise_"):
        p = e.record
        detail = f"#{p.id} {p.text}"
        if e.what == "promise_made":
            detail += f" ({word('due', lang)} {iso(p.due)})"
        return word("timeline_" + e.what, lang), detail, ""
    if e.what == "instalment_due":
        inst, k = e.record
        detail = (f"#{k.id} {k.title} · {inst.seq}{_colon(lang)}{show_amount(inst.amount_cents)} {k.currency}"
                  f" ({word('paid', lang)} {show_amount(inst.paid_cents) or '0'})")
        return word("timeline_instalment_due", lang), detail, ""
    issue, k = e.record
    detail = f"#{k.id} {k.title} · {issue.detail}"
    if e.what == "issue_settled":
        settled = label("settlement", issue.settled_by, lang)
        detail += _sep(lang) + " ".join(x for x in (settled, issue.settlement or "") if x)
    return word("timeline_" + e.what, lang), detail, ""


def timeline_grid(entries, lang: str, title: str | None = None) -> Grid:
    headers = [word(k, lang) for k in ("date", "event", "detail", "by")]
    rows, styles = [], []
    for e in entries:
        what, detail, by = _text(e, lang)
        rows.append([iso(e.day), what, detail, by])
        broken = e.what in ("promise_broken", "promise_due") or (e.what == "event" and e.record.kind in
                                                                    ("forced", "dropped", "contract_lost"))
        styles.append("yellow" if broken else None)
    return Grid(title, headers, rows, styles)


def timeline_json(entries) -> list[dict]:
    out = []
    for e in entries:
        item: dict = {"date": e.day, "type": e.what}
        if e.what == "touch":
            item.update(touch_json(e.record))
            item["date"] = e.day
            item["channel"] = e.record.touch.channel
        elif e.what == "event":
            item.update(event_json(e.record))
        elif e.what.startswith("promise_"):
            p = e.record
            item.update(id=p.id, text=p.text, made_on=p.made_on, due=p.due, kept_on=p.kept_on, broken_on=p.broken_on)
        elif e.what == "instalment_due":
            inst, k = e.record
            item.update(contract=k.id, title=k.title, seq=inst.seq, amount=amount_text(inst.amount_cents),
                        paid=amount_text(inst.paid_cents), paid_on=inst.paid_on, currency=k.currency)
        else:
            issue, k = e.record
            item.update(id=issue.id, contract=k.id, title=k.title, detail=issue.detail, need=issue.need,
                        settled_by=issue.settled_by, settlement=issue.settlement, settled_on=issue.settled_on)
        out.append(item)
    return out

"""A customer's stage: its tasks, the history of its events, and why a move is blocked."""

from __future__ import annotations

import json

from kehu.dates import show_datetime
from kehu.i18n import event_label, fields_text, label, labelled, message, word
from kehu.render.blocks import Grid, iso, keyed
from kehu.rules.domain import STAGE_TASKS, STAGES


def tasks_json(stage: str, done: dict) -> list[dict]:
    return [
        {
            "key": t,
            "stage": s,
            "current_stage": s == stage,
            "done": t in done,
            "done_on": done[t].done_on if t in done else None,
        }
        for s in STAGES
        for t in STAGE_TASKS[s]
    ]


def tasks_grid(stage: str, done: dict, lang: str, only_current: bool = False) -> Grid:
    headers = [word("stage", lang), word("task", lang), word("done", lang), word("date", lang)]
    rows, styles = [], []
    for s in STAGES:
        if only_current and s != stage:
            continue
        for t in STAGE_TASKS[s]:
            ok = t in done
            rows.append(
                [
                    label("stage", s, lang),
                    keyed("task", t, lang),
                    "✓" if ok else "·",
                    iso(done[t].done_on) if ok else "",
                ]
            )
            styles.append("bold" if s == stage else "dim")
    return Grid(word("tasks", lang), headers, rows, styles)


def event_json(ev) -> dict:
    return {
        "id": ev.id,
        "at": ev.at,
        "kind": ev.kind,
        "from_stage": ev.from_stage,
        "to_stage": ev.to_stage,
        "reason": ev.reason,
        "detail": json.loads(ev.detail) if ev.detail else None,
        "actor": ev.actor,
    }


def _ownership_text(kind: str, detail: dict, lang: str) -> str:
    """What an assigned, claimed or released event says: who had it, who has it now."""
    before = detail.get("from") or "—"
    if kind == "released":
        text = before
        if detail.get("why"):
            text += f" ({message('pool_lapsed_' + detail['why'], lang)})"
        if detail.get("forced"):
            text += f" [{word('forced', lang)}]"
        return text
    return f"{before} → {detail.get('to') or '—'}"


def history_grid(events, lang: str) -> Grid:
    headers = [word(k, lang) for k in ("when", "event", "detail", "reason", "by")]
    rows, styles = [], []
    for ev in events:
        what, reason = event_texts(ev, lang)
        rows.append([show_datetime(ev.at), event_label(ev.kind, lang), what, reason, ev.actor or ""])
        styles.append("yellow" if ev.kind in ("forced", "dropped") else None)
    return Grid(None, headers, rows, styles)


def event_texts(ev, lang: str) -> tuple[str, str]:
    """What a history event says, and its reason (with the checks a forced one overrode)."""
    detail = json.loads(ev.detail) if ev.detail else {}
    if ev.kind == "undone":
        what = f"#{detail.get('operation')} {detail.get('command', '')}"
    elif ev.kind == "task_done":
        what = f"{label('task', detail.get('task'), lang)} ({detail.get('on', '')})"
    elif ev.kind in ("advanced", "forced"):
        what = f"{label('stage', ev.from_stage, lang)} → {label('stage', ev.to_stage, lang)}"
    elif ev.kind in ("edited", "deleted") and "what" in detail:
        what = _record_text(ev.kind, detail, lang)
    elif ev.kind == "edited":
        what = fields_text(", ".join(detail.get("fields", [])), lang)
    elif ev.kind == "merged":
        what = f"#{detail.get('from')} {detail.get('name', '')}"
    elif ev.kind in ("alias_added", "alias_removed"):
        what = detail.get("alias", "")
    elif ev.kind == "person_merged":
        what = f"#{detail.get('from')} {detail.get('gone', '')} → #{detail.get('kept')} {detail.get('name', '')}"
    elif ev.kind in ("assigned", "claimed", "released"):
        what = _ownership_text(ev.kind, detail, lang)
    elif "contract" in detail:
        amount = f" {detail['amount']} {detail.get('currency', '')}".rstrip() if detail.get("amount") else ""
        what = f"#{detail['contract']} {detail.get('title', '')}{amount}"
    else:
        what = label("stage", ev.to_stage, lang)
    reason = ev.reason or ""
    if ev.kind == "forced" and detail.get("overrode"):
        from kehu.rules.stages import Blocker

        overrode = [
            blocker_text(Blocker(o["key"], {k: v for k, v in o.items() if k != "key"}), lang)
            for o in detail["overrode"]
        ]
        reason = f"{reason} [{('；' if lang == 'zh' else '; ').join(overrode)}]"
    return what, reason


def _record_text(kind: str, detail: dict, lang: str) -> str:
    """Which record under the customer was edited or deleted: its kind and number, then the
    fields changed (names only) or what named it."""
    number = f"N{detail.get('id')}" if detail["what"] == "next_step" else f"#{detail.get('id')}"
    ref = f"{word('record_' + detail['what'], lang)} {number}"
    if kind == "edited":
        return f"{ref}: {fields_text(', '.join(detail.get('fields', [])), lang)}"
    facts = [str(detail[k]) for k in ("name", "title", "date") if detail.get(k)]
    if detail.get("kind"):
        facts.append(label("touch_kind", detail["kind"], lang))
    return " ".join([ref, *facts])


def blocker_text(blocker, lang: str) -> str:
    params = dict(blocker.params)
    if "task" in params:  # the task still to do, with the key `kehu done` takes
        params["task"] = keyed("task", params["task"], lang)
    return labelled(blocker.key, lang, **params)


def decision_json(decision) -> dict:
    return {
        "from_stage": decision.from_stage,
        "to_stage": decision.to_stage,
        "allowed": decision.allowed,
        "forced": decision.forced and decision.allowed and bool(decision.blockers),
        "blockers": [
            {"key": b.key, "hard": b.hard, **{k: v for k, v in b.params.items()}}
            for b in decision.blockers
        ],
    }

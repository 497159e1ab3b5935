"""What commands show: blocks of data as Rich renderables or plain lines, and JSON dicts.

Nothing here prints. A command builds blocks (Grid, Fields, Lines) from store rows and
rule decisions; ``kehu.cli._common`` prints them as Rich tables on a terminal and as
plain tab-separated lines when piped. Every value that came from a user goes into a
``rich.text.Text`` and is never parsed as markup.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from kehu.dates import show_datetime
from kehu.money import amount_text as _amount_json  # one formatter for exact amounts
from kehu.money import show_amount
from kehu.i18n import event_label, label, message, word
from kehu.rules.domain import STAGE_TASKS, STAGES

# ---------------------------------------------------------------- blocks


@dataclass
class Grid:
    title: str | None
    headers: list[str]
    rows: list[list[str]]
    # per row: a style name for the whole row (e.g. "dim", "red"), or None
    row_styles: list[str | None] = field(default_factory=list)


@dataclass
class Fields:
    title: str | None
    pairs: list[tuple[str, str]]


@dataclass
class Lines:
    title: str | None
    lines: list[str]
    style: str | None = None


Block = Grid | Fields | Lines


def _clean_cell(value: str) -> str:
    # Tabs and newlines would break the one-record-per-line plain format.
    return value.replace("\t", " ").replace("\r\n", " ⏎ ").replace("\n", " ⏎ ")


def _plain_row(row: list[str]) -> str:
    line = "\t".join(row)
    # Nearly every row has nothing to clean: its only tabs are the separators.
    if "\n" not in line and line.count("\t") == len(row) - 1:
        return line
    return "\t".join([_clean_cell(c) for c in row])


def to_plain(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append("")
        if block.title and (len(blocks) > 1 or not isinstance(block, Grid)):
            out.append(f"# {block.title}")
        if isinstance(block, Grid):
            out.append("\t".join(block.headers))
            out.extend(_plain_row(row) for row in block.rows)
        elif isinstance(block, Fields):
            out.extend(f"{k}\t{_clean_cell(v)}" for k, v in block.pairs)
        else:
            out.extend(block.lines)
    return "\n".join(out) + "\n"


def to_rich(blocks: Sequence[Block]) -> list[object]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    items: list[object] = []
    for block in blocks:
        if isinstance(block, Grid):
            table = Table(
                title=Text(block.title, style="bold") if block.title else None,
                box=box.SIMPLE_HEAD,
                title_justify="left",
            )
            for h in block.headers:
                table.add_column(Text(h), overflow="fold")
            styles = block.row_styles or [None] * len(block.rows)
            for row, style in zip(block.rows, styles, strict=False):
                table.add_row(*(Text(c) for c in row), style=style)
            items.append(table)
        elif isinstance(block, Fields):
            table = Table(
                title=Text(block.title, style="bold") if block.title else None,
                show_header=False,
                box=box.SIMPLE,
                title_justify="left",
            )
            table.add_column(style="cyan", no_wrap=True)
            table.add_column(overflow="fold")
            for k, v in block.pairs:
                table.add_row(Text(k), Text(v))
            items.append(table)
        else:
            if block.title:
                items.append(Text(block.title, style="bold"))
            for line in block.lines:
                items.append(Text(line, style=block.style or ""))
    return items


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""




def keyed(enum: str, key: str, lang: str) -> str:
    """A label with its key when they differ, so the key to type is always visible."""
    text = label(enum, key, lang)
    return text if text == key else f"{text} ({key})"


def score_shown(x: float) -> float:
    """Trust scores are shown rounded down, so a shown score never passes a gate it failed."""
    return math.floor(x * 10 + 1e-9) / 10


def _r(x: float, n: int = 3) -> float:
    return round(x, n)


# ---------------------------------------------------------------- customers


def stage_text(customer, lang: str) -> str:
    text = label("stage", customer.stage, lang)
    if customer.terminated_at is not None:
        text += f" ({word('terminated', lang)})"
    return text


def customer_list(rows, lang: str) -> Grid:
    from kehu.rules.stages import lifecycle

    headers = [word(k, lang) for k in ("id", "name", "stage", "lifecycle", "owner", "people", "last_touch", "promises")]
    out, styles = [], []
    for r in rows:
        c = r.customer
        out.append(
            [
                str(c.id),
                c.name,
                stage_text(c, lang),
                label("lifecycle", lifecycle(c.stage), lang),
                c.owner or "",
                str(r.people),
                _d(r.last_touch),
                str(r.open_promises),
            ]
        )
        styles.append("dim" if c.terminated_at is not None else None)
    return Grid(None, headers, out, styles)


def customer_list_json(rows) -> list[dict]:
    from kehu.rules.stages import lifecycle

    return [
        {
            "id": r.customer.id,
            "name": r.customer.name,
            "stage": r.customer.stage,
            "lifecycle": lifecycle(r.customer.stage),
            "terminated": r.customer.terminated_at is not None,
            "owner": r.customer.owner,
            "industry": r.customer.industry,
            "region": r.customer.region,
            "people": r.people,
            "last_touch": r.last_touch,
            "open_promises": r.open_promises,
        }
        for r in rows
    ]


def customer_json(c) -> dict:
    from kehu.rules.stages import lifecycle

    return {
        "id": c.id,
        "name": c.name,
        "stage": c.stage,
        "lifecycle": lifecycle(c.stage),
        "terminated": c.terminated_at is not None,
        "terminated_at": c.terminated_at,
        "terminated_reason": c.terminated_reason,
        "industry": c.industry,
        "region": c.region,
        "kind": c.kind,
        "level": c.level,
        "value": _amount_json(c.value_cents),
        "owner": c.owner,
        "note": c.note,
        "profit_now": c.profit_now,
        "profit_future": c.profit_future,
        "service_cost": c.service_cost,
        "added_on": c.added_on,
        "claimed_on": c.claimed_on,
        "owner_touched_on": c.owner_touched_on,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def customer_fields(c, lang: str, tier: str | None = None, warns=(), pool=None) -> Fields:
    from kehu.rules.stages import lifecycle
    from kehu.rules.tiers import cell

    pairs = [
        (word("id", lang), str(c.id)),
        (word("stage", lang), stage_text(c, lang)),
        (word("lifecycle", lang), label("lifecycle", lifecycle(c.stage), lang)),
    ]
    if tier is not None:
        pairs.append((word("tier", lang), label("tier", tier, lang)))
    the_cell = cell(c.profit_now, c.profit_future)
    if the_cell is not None:
        pairs.append((word("cell", lang), label("cell", the_cell, lang)))
    if c.service_cost:
        pairs.append((word("service_cost", lang), label("cost", c.service_cost, lang)))
    if c.terminated_at is not None:
        pairs.append((word("reason", lang), c.terminated_reason or ""))
    for key, value in (
        ("industry", c.industry),
        ("region", c.region),
        ("kind", label("customer_kind", c.kind, lang)),
        ("level", label("relationship_level", c.level, lang)),
        ("value", show_amount(c.value_cents)),
        ("owner", c.owner),
        ("note", c.note),
    ):
        if value:
            pairs.append((word(key, lang), value))
    pairs.append((word("added_on", lang), _d(c.added_on)))
    if pool is not None and pool.returns_on is not None:  # an owner's clock runs (none in a personal book)
        pairs.append((word("pool_state", lang), pool_state_text(pool, lang)))
    pairs.extend((word("warnings", lang), warning_text(w, lang)) for w in warns)
    return Fields(c.name, pairs)


def pool_status_json(pool) -> dict:
    return {"state": pool.state, "reason": pool.reason, "returns_on": pool.returns_on, "days_left": pool.days_left}


def pool_state_text(pool, lang: str) -> str:
    """When an owned customer returns (or returned) to the public pool, for `kehu show`."""
    if pool.state == "lapsed":
        return message("pool_state_lapsed", lang, day=_d(pool.returns_on))
    return message("pool_state_returns", lang, day=_d(pool.returns_on), days=pool.days_left)


# ---------------------------------------------------------------- tasks


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
                    _d(done[t].done_on) if ok else "",
                ]
            )
            styles.append("bold" if s == stage else "dim")
    return Grid(word("tasks", lang), headers, rows, styles)


# ---------------------------------------------------------------- people


PUBLIC_PERSON_FIELDS = ("title", "dept", "level", "role", "attitude", "kpi", "pain", "interest", "style", "competence")


def person_json(p, include_private: bool = False) -> dict:
    data = {"id": p.id, "name": p.name}
    data.update({f: getattr(p, f) for f in PUBLIC_PERSON_FIELDS})
    if include_private:
        data["private"] = p.private
    return data


def people_grid(people, lang: str, title: str | None = None, trust=None) -> Grid:
    """People, public fields only; with ``trust`` (a CustomerTrust), each one's score."""
    headers = [word(k, lang) for k in ("id", "name", "title", "dept", "person_level", "role", "attitude", "competence")]
    if trust is not None:
        headers.append(word("trust", lang))
        scores = {pt.person.id: score_shown(pt.factors.score) for pt in trust.people}
    rows = [
        [
            str(p.id),
            p.name,
            p.title or "",
            p.dept or "",
            label("person_level", p.level, lang),
            label("role", p.role, lang),
            label("attitude", p.attitude, lang),
            f"{p.competence}/5" if p.competence else "",
        ]
        + ([f"{scores.get(p.id, 0):.1f}"] if trust is not None else [])
        for p in people
    ]
    return Grid(title, headers, rows)


def person_fields(p, lang: str, include_private: bool) -> Fields:
    pairs = [(word("id", lang), str(p.id))]
    enum_of = {"level": "person_level", "role": "role", "attitude": "attitude"}
    for f in PUBLIC_PERSON_FIELDS:
        value = getattr(p, f)
        if value is None:
            continue
        if f in enum_of:
            value = label(enum_of[f], value, lang)
        elif f == "competence":
            value = f"{value}/5"
        pairs.append((word("person_level" if f == "level" else f, lang), str(value)))
    if include_private and p.private:
        pairs.append((word("private", lang), p.private))
    return Fields(p.name, pairs)


# ---------------------------------------------------------------- touchpoints and promises


def touch_json(row) -> dict:
    t = row.touch
    return {
        "id": t.id,
        "date": t.day,
        "kind": t.kind,
        "with": row.people,
        "note": t.note,
        "signals": json.loads(t.signals) if t.signals else [],
        "next_step": t.next_step,
        "next_due": t.next_due,
        "actor": t.actor,
    }


def touches_grid(rows, lang: str) -> Grid:
    headers = [word(k, lang) for k in ("date", "touch_kind", "with", "note", "next", "due")]
    out = [
        [
            _d(r.touch.day),
            label("touch_kind", r.touch.kind, lang),
            "、".join(r.people) if lang == "zh" else ", ".join(r.people),
            r.touch.note or "",
            r.touch.next_step or "",
            _d(r.touch.next_due),
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
        row += [p.text, _d(p.made_on), _d(p.due), shown, _d(p.kept_on)]
        rows.append(row)
        styles.append("red" if overdue or state == "broken" else ("dim" if state == "kept" else None))
    return Grid(word("promises", lang), [word(k, lang) for k in keys], rows, styles)


# ---------------------------------------------------------------- history


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
        detail = json.loads(ev.detail) if ev.detail else {}
        if ev.kind == "task_done":
            what = f"{label('task', detail.get('task'), lang)} ({detail.get('on', '')})"
        elif ev.kind in ("advanced", "forced"):
            what = f"{label('stage', ev.from_stage, lang)} → {label('stage', ev.to_stage, lang)}"
        elif ev.kind == "edited":
            what = ", ".join(detail.get("fields", []))
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
        rows.append([show_datetime(ev.at), event_label(ev.kind, lang), what, reason, ev.actor or ""])
        styles.append("yellow" if ev.kind in ("forced", "dropped") else None)
    return Grid(None, headers, rows, styles)


# ---------------------------------------------------------------- stages


def labelled(key: str, params: dict, lang: str) -> str:
    """A rule's message (key + parameters) in the user's language, keys shown as labels."""
    from kehu import i18n

    shown = dict(params)
    if "task" in shown:
        shown["task"] = keyed("task", shown["task"], lang)
    return i18n.labelled(key, lang, **shown)


def blocker_text(blocker, lang: str) -> str:
    return labelled(blocker.key, blocker.params, lang)


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


# ---------------------------------------------------------------- trust


def suggestion_text(tip, lang: str) -> str:
    params = dict(tip.params)
    sep = "、" if lang == "zh" else ", "
    if "names" in params:
        params["names"] = sep.join(params["names"])
    if "levels" in params:
        params["levels"] = sep.join(label("person_level", x, lang) for x in params["levels"])
    return labelled(tip.key, params, lang)


def factors_json(f) -> dict:
    return {k: _r(v) for k, v in f.as_dict().items()}


def trust_json(t, lang: str) -> dict:
    return {
        "score": score_shown(t.score),
        "factors": factors_json(t.factors),
        "weakest": t.weakest,
        "single_point": t.single_point,
        "promises": {
            "kept": t.promises.kept,
            "broken": t.promises.broken,
            "pending": t.promises.pending,
            "overdue": t.promises.overdue,
        },
        "first_touch": t.first_touch,
        "last_touch": t.last_touch,
        "people_in_window": t.people_in_window,
        "levels_in_window": list(t.levels_in_window),
        "people": [
            {
                "id": p.person.id,
                "name": p.person.name,
                "role": p.person.role,
                "level": p.person.level,
                "score": score_shown(p.factors.score),
                "factors": factors_json(p.factors),
                "weakest": p.factors.weakest,
                "touches_in_window": p.touches_in_window,
                "last_touch": p.last_touch,
            }
            for p in t.people
        ],
        "suggestions": [
            {"key": s.key, "params": s.params, "text": suggestion_text(s, lang)} for s in t.suggestions
        ],
    }


def _bar(x: float, width: int = 10) -> str:
    filled = round(x * width)
    return "█" * filled + "░" * (width - filled)


def trust_blocks(name: str, t, lang: str, with_people: bool = True) -> list[Block]:
    factor_rows = []
    styles = []
    for key, value in t.factors.as_dict().items():
        mark = " ◀" if key == t.weakest else ""
        factor_rows.append([keyed("factor", key, lang), f"{value:.2f}", _bar(value) + mark])
        styles.append("bold red" if key == t.weakest else None)
    title = f"{name} — {word('trust', lang)} {score_shown(t.score):.1f}/100"
    blocks: list[Block] = [
        Grid(title, [word("factor", lang), word("score", lang), ""], factor_rows, styles)
    ]
    if t.people and with_people:
        rows = [
            [
                p.person.name,
                label("role", p.person.role, lang),
                label("person_level", p.person.level, lang),
                f"{score_shown(p.factors.score):.1f}",
                label("factor", p.factors.weakest, lang),
                str(p.touches_in_window),
                _d(p.last_touch),
            ]
            for p in sorted(t.people, key=lambda p: -p.factors.score)
        ]
        headers = [word(k, lang) for k in ("name", "role", "person_level", "trust", "weakest", "touches", "last_touch")]
        blocks.append(Grid(word("people", lang), headers, rows))
    tips = [f"• {suggestion_text(s, lang)}" for s in t.suggestions]
    if tips:
        blocks.append(Lines(word("suggestions", lang), tips))
    return blocks


# ---------------------------------------------------------------- tiers


def tier_grid(summary, lang: str) -> Grid:
    headers = [word(k, lang) for k in ("tier", "count", "customer_share", "value", "value_share")]
    rows = [
        [
            label("tier", t.tier, lang),
            str(t.count),
            f"{t.customer_share * 100:.1f}%",
            show_amount(t.value),
            f"{t.value_share * 100:.1f}%",
        ]
        for t in summary
    ]
    return Grid(None, headers, rows)


def tier_json(summary) -> list[dict]:
    return [
        {
            "tier": t.tier,
            "count": t.count,
            "customer_share": round(t.customer_share, 4),
            "value": _amount_json(t.value),
            "value_share": round(t.value_share, 4),
        }
        for t in summary
    ]


def warning_text(w, lang: str) -> str:
    return labelled(w.key, w.params, lang)


def tier_warnings_grid(flagged, lang: str) -> Grid:
    """`kehu tier`'s warnings, one row per (customer, warning). Tens of thousands of rows
    share a few thousand texts (a tier, a level, an effort to one decimal): each is made once."""
    texts: dict[tuple, str] = {}
    tiers: dict[str, str] = {}
    rows = []
    for r, w in flagged:
        same = (w.key, *w.params.values())  # a key's parameters come in one order
        text = texts.get(same)
        if text is None:
            text = texts[same] = warning_text(w, lang)
        tier = tiers.get(r.tier)
        if tier is None:
            tier = tiers[r.tier] = label("tier", r.tier, lang)
        rows.append([str(r.id), r.name, tier, text])
    return Grid(word("warnings", lang), [word(k, lang) for k in ("id", "name", "tier", "warnings")], rows)


def tier_explain_text(row, cuts, lang: str, name: str) -> str:
    if row is None:
        return message("tier_explain_terminated", lang, name=name)
    if row.value <= 0:
        return message("tier_explain_zero", lang, name=name)
    return message(
        "tier_explain", lang, name=name, value=show_amount(row.value), above=row.above,
        total=row.total, share=100.0 * row.above / row.total, tier=label("tier", row.tier, lang),
        c1=cuts[0], c2=cuts[1], c3=cuts[2],
    )


# ---------------------------------------------------------------- follow-ups


def item_text(item, lang: str, today: date) -> str:
    if item.kind == "cadence":
        return _cadence_text(item.since, bool(item.extra.get("touched", True)), item.tier,
                             item.extra.get("cadence", ""), lang, today)
    if item.kind == "receivable":
        return message("receivable_text", lang, contract=item.extra["contract"], title=item.text,
                       owed=show_amount(item.extra["owed"]), currency=item.extra["currency"])
    if item.kind == "aftercare":
        return message("aftercare_text", lang, contract=item.extra["contract"], title=item.text)
    if item.kind == "pool":
        return pool_reason_text(item.extra["reason"], item.since, item.extra.get("growth_days"), lang,
                                returns=item.extra["returns_on"])
    return item.text


def pool_reason_text(reason: str, since: date | None, growth_days: object, lang: str,
                     returns: str | None = None) -> str:
    """Why a customer is (or soon is) back in the public pool."""
    if reason == "untouched":
        why = message("pool_why_untouched", lang, day=_d(since))
    elif reason == "no_growth":
        why = message("pool_why_no_growth", lang, days=growth_days, day=_d(since))
    else:
        why = message(f"pool_why_{reason}", lang)
    return message("pool_item_text", lang, day=returns, why=why) if returns else why


@lru_cache(maxsize=4096)
def _cadence_text(since: date | None, touched: bool, tier: str, cadence: object, lang: str, today: date) -> str:
    # Remembered: tens of thousands of late customers share a few thousand of these
    # (a last touch, a tier), and formatting each one anew was a tenth of `kehu remind`.
    key = "cadence_text" if since and touched else "cadence_never"
    return message(
        key, lang, since=_d(since), days=(today - since).days if since else 0,
        tier=label("tier", tier, lang), cadence=cadence,
    )


def explain_parts(r) -> str:
    p = r.parts
    return (
        f"tier {p['tier']:g} × kind {p['kind']:g} × stage {p['stage']:g} × timing {p['timing']:.2f}"
        f" = {r.urgency:.2f}"
    )


def remind_plain(ranked, lang: str, today: date, explain: bool = False) -> str:
    """One line per item, tab-separated, most urgent first:
    bucket, due date, item id, customer, item kind, what, urgency [, explanation].
    Bucket and kind are English keys so scripts need not care about the language."""
    lines = []
    days: dict[date, str] = {}  # tens of thousands of lines share a few hundred dates
    scores: dict[float, str] = {}  # and urgencies
    for r in ranked:
        item = r.item
        due = days.get(item.due)
        if due is None:
            due = days[item.due] = _d(item.due)
        score = scores.get(r.urgency)
        if score is None:
            score = scores[r.urgency] = f"{r.urgency:.1f}"
        line = (f"{r.bucket}\t{due}\t{item.id}\t{item.customer}\t{item.kind}"
                f"\t{_clean_cell(item_text(item, lang, today))}\t{score}")
        lines.append(f"{line}\t{explain_parts(r)}" if explain else line)
    return "\n".join(lines) + ("\n" if lines else "")


BUCKET_STYLE = {"overdue": "bold red", "today": "yellow", "upcoming": None}


def remind_grid(ranked, lang: str, today: date, explain: bool = False) -> Grid:
    keys = ["bucket", "due", "id", "customer", "item", "what", "urgency"]
    rows, styles = [], []
    for r in ranked:
        days = r.days
        when = label("bucket", r.bucket, lang)
        if days > 0:
            when += f" {days}d"
        row = [
            when, _d(r.item.due), r.item.id, r.item.customer, label("item_kind", r.item.kind, lang),
            item_text(r.item, lang, today), f"{r.urgency:.1f}",
        ]
        if explain:
            row.append(explain_parts(r))
        rows.append(row)
        styles.append(BUCKET_STYLE[r.bucket])
    headers = [word(k, lang) for k in keys] + ([word("why", lang)] if explain else [])
    return Grid(None, headers, rows, styles)


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
        return {"contract": item.extra["contract"], "owed": _amount_json(item.extra["owed"]),
                "currency": item.extra["currency"], "playbook": item.extra["playbook"]}
    if item.kind == "aftercare":
        return {"contract": item.extra["contract"], "completed_on": item.extra["completed"]}
    if item.kind == "pool":
        return {"returns_on": item.extra["returns_on"], "reason": item.extra["reason"],
                "clock_from": item.since}
    return {}


# ---------------------------------------------------------------- the public pool


def pool_grid(rows, lang: str, growth_days: int) -> Grid:
    headers = [word(k, lang) for k in ("id", "name", "stage", "tier", "last_touch", "previous_owner", "why",
                                       "pool_since")]
    out = [
        [str(r.id), r.name, label("stage", r.stage, lang), label("tier", r.tier, lang), _d(r.last_touch),
         r.previous_owner or "", pool_reason_text(r.reason, r.clock_from, growth_days, lang), _d(r.since)]
        for r in rows
    ]
    return Grid(None, headers, out)


def pool_json(rows) -> list[dict]:
    return [
        {"id": r.id, "name": r.name, "stage": r.stage, "tier": r.tier, "last_touch": r.last_touch,
         "previous_owner": r.previous_owner, "reason": r.reason, "since": r.since, "clock_from": r.clock_from}
        for r in rows
    ]


# ---------------------------------------------------------------- funnel


def _bar_n(n: int, most: int, width: int = 24) -> str:
    if most <= 0:
        return ""
    filled = max(1, round(width * n / most)) if n else 0
    return "█" * filled


def funnel_grid(rows, lang: str) -> Grid:
    most = max((r.now for r in rows), default=0)
    headers = [word(k, lang) for k in ("stage", "now", "reached", "conversion", "median_days")] + [""]
    out = [
        [
            label("stage", r.stage, lang),
            str(r.now),
            str(r.reached),
            f"{r.conversion * 100:.0f}%" if r.conversion is not None else "",
            f"{r.median_days:.0f}" if r.median_days is not None else "",
            _bar_n(r.now, most),
        ]
        for r in rows
    ]
    return Grid(None, headers, out)


# ---------------------------------------------------------------- contracts


def _money(cents: int | None, currency: str | None = None) -> str:
    if cents is None:
        return ""
    return f"{show_amount(cents) or '0'} {currency}" if currency else (show_amount(cents) or "0")


def _owed(row) -> int:
    """Only a signed (or completed) contract owes money: a draft's plan is a proposal."""
    return row.planned - row.paid if row.contract.status in ("signed", "completed") else 0


def contract_json(row) -> dict:
    k = row.contract
    return {
        "id": k.id,
        "customer_id": k.customer_id,
        "customer": row.customer,
        "owner": row.owner,
        "title": k.title,
        "amount": _amount_json(k.amount_cents),
        "currency": k.currency,
        "status": k.status,
        "expected_on": k.expected_on,
        "signed_on": k.signed_on,
        "completed_on": k.completed_on,
        "lost_on": k.lost_on,
        "lost_reason": k.lost_reason,
        "aftercare_due": k.aftercare_due,
        "aftercare_done_on": k.aftercare_done_on,
        "note": k.note,
        "planned": _amount_json(row.planned),
        "paid": _amount_json(row.paid),
        "owed": _amount_json(_owed(row)),
        "overdue": _amount_json(row.overdue),
        "overdue_since": row.oldest_due,
    }


def contracts_grid(rows, lang: str, today: date) -> Grid:
    headers = [word(k, lang) for k in ("id", "customer", "contract", "status", "amount", "paid", "overdue", "date")]
    out, styles = [], []
    for r in rows:
        k = r.contract
        when = k.signed_on or k.expected_on or k.lost_on
        late = ""
        if r.overdue:
            late = message("days_late_amount", lang, amount=_money(r.overdue), days=(today - r.oldest_due).days)
        out.append([str(k.id), r.customer, k.title, label("contract_status", k.status, lang),
                    _money(k.amount_cents, k.currency), _money(r.paid) if r.planned else "", late, _d(when)])
        styles.append("red" if r.overdue else "dim" if k.status == "lost" else None)
    return Grid(None, headers, out, styles)


def contract_fields(row, lang: str, today: date) -> Fields:
    k = row.contract
    pairs = [
        (word("id", lang), str(k.id)),
        (word("customer", lang), f"#{k.customer_id} {row.customer}"),
        (word("status", lang), label("contract_status", k.status, lang)),
        (word("amount", lang), _money(k.amount_cents, k.currency)),
    ]
    for key, value in (("expected_on", k.expected_on), ("signed_on", k.signed_on),
                       ("completed_on", k.completed_on), ("lost_on", k.lost_on)):
        if value:
            pairs.append((word(key, lang), _d(value)))
    if k.lost_reason:
        pairs.append((word("reason", lang), k.lost_reason))
    if row.planned and k.status in ("signed", "completed"):
        pairs.append((word("paid", lang), _money(row.paid, k.currency)))
        pairs.append((word("owed", lang), _money(_owed(row), k.currency)))
    elif k.status in ("signed", "completed"):
        pairs.append((word("plan", lang), message("no_plan_yet", lang, id=k.id)))
    if row.overdue:
        pairs.append((word("overdue", lang), message(
            "days_late_amount", lang, amount=_money(row.overdue, k.currency), days=(today - row.oldest_due).days)))
    if k.aftercare_due:
        state = (message("aftercare_done_on", lang, date=_d(k.aftercare_done_on)) if k.aftercare_done_on
                 else message("aftercare_due_on", lang, date=_d(k.aftercare_due), ref=f"A{k.id}"))
        pairs.append((word("aftercare", lang), state))
    if k.note:
        pairs.append((word("note", lang), k.note))
    return Fields(k.title, pairs)


def instalment_json(i, today: date, status: str = "signed") -> dict:
    owed = i.amount_cents - i.paid_cents if status in ("signed", "completed") else 0
    return {
        "seq": i.seq, "due": i.due, "amount": _amount_json(i.amount_cents), "paid": _amount_json(i.paid_cents),
        "paid_on": i.paid_on, "owed": _amount_json(owed),
        "days_late": (today - i.due).days if owed and i.due < today else 0,
    }


def instalments_grid(rows, lang: str, today: date, currency: str, status: str = "signed") -> Grid:
    headers = [word(k, lang) for k in ("seq", "due", "amount", "paid", "paid_on", "owed")]
    out, styles = [], []
    signed = status in ("signed", "completed")
    for i in rows:
        owed = i.amount_cents - i.paid_cents if signed else 0
        late = owed > 0 and i.due < today
        owed_text = _money(owed, currency) if owed else word("settled", lang) if signed else ""
        if late:
            owed_text += " — " + message("days_late", lang, days=(today - i.due).days)
        out.append([str(i.seq), _d(i.due), _money(i.amount_cents, currency), _money(i.paid_cents, currency),
                    _d(i.paid_on), owed_text])
        styles.append("red" if late else "dim" if not owed else None)
    return Grid(word("instalments", lang), headers, out, styles)


def non_payment_json(facts, lang: str) -> dict:
    from kehu.rules.playbooks import PLAYBOOKS, playbook_json

    return {
        "overdue": _amount_json(facts.overdue),
        "currency": facts.currency,
        "days_late": facts.days_late,
        "instalments": facts.instalments,
        "hints": [{"key": k, **p} for k, p in facts.hint_keys()],
        "playbook": playbook_json(PLAYBOOKS["non_payment"], lang),
    }


def payment_hints(facts, lang: str) -> list[str]:
    return [
        message(key, lang, **{k: label("role", v, lang) if k == "role" else v for k, v in params.items()})
        for key, params in facts.hint_keys()
    ]


def non_payment_lines(facts, lang: str) -> Lines:
    """The non-payment playbook beside the contract's own facts (DOMAIN.md §9)."""
    from kehu.rules.playbooks import PLAYBOOKS

    pb = PLAYBOOKS["non_payment"]
    lines = [message("non_payment_facts", lang, amount=_money(facts.overdue, facts.currency),
                     days=facts.days_late, count=facts.instalments)]
    lines += [f"  · {text}" for text in payment_hints(facts, lang) or [message("np_none", lang)]]
    for section in pb.sections:
        for point in section.points:
            lines.append(f"- {point.head.get(lang)}: {point.body.get(lang)}")
    lines.append(message("see_playbook", lang, topic=pb.key))
    return Lines(f"{pb.title.get(lang)}", lines, "yellow")


def forecast_json(by_month, by_owner, total, probability) -> dict:
    def rows(items, name: str) -> list[dict]:
        return [{name: r.group or None, "currency": r.currency, "contracts": r.count,
                 "amount": _amount_json(r.amount), "weighted": _amount_json(r.weighted)} for r in items]

    return {
        "probability": probability,
        "by_month": rows(by_month, "month"),
        "by_owner": rows(by_owner, "owner"),
        "total": [{k: v for k, v in r.items() if k != "total"} for r in rows(total, "total")],
    }


def forecast_blocks(by_month, by_owner, total, probability, lang: str) -> list[Block]:
    none = word("none", lang)

    def grid(items, heading: str, title: str) -> Grid:
        return Grid(title, [word(heading, lang), word("currency", lang), word("contracts", lang),
                            word("amount", lang), word("weighted", lang)],
                    [[r.group or none, r.currency, str(r.count), _money(r.amount), _money(r.weighted)] for r in items])

    if not total:
        return [Lines(None, [message("forecast_empty", lang)])]
    chances = ", ".join(f"{label('stage', k, lang)} {v}%" for k, v in probability.items())
    return [
        grid(by_month, "month", word("forecast_by_month", lang)),
        grid(by_owner, "owner", word("forecast_by_owner", lang)),
        Grid(word("total", lang), [word("currency", lang), word("contracts", lang), word("amount", lang),
                                   word("weighted", lang)],
             [[r.currency, str(r.count), _money(r.amount), _money(r.weighted)] for r in total]),
        Lines(None, [message("forecast_how", lang, chances=chances)], "dim"),
    ]


# ---------------------------------------------------------------- negotiation


def _neg_text(key: str, params, lang: str) -> str:
    return labelled(key, dict(params), lang)


def _neg_params(params) -> dict:
    """A decision's parameters for JSON: money as exact decimal strings, like every amount."""
    from kehu.i18n import MONEY_PARAMS

    return {k: _amount_json(v) if k in MONEY_PARAMS and type(v) is int else v for k, v in params.items()}


def negotiation_json(row, plan, verdict, steps, settled_on, lang: str) -> dict:
    from kehu.rules import negotiation as N

    k = row.contract
    return {
        "contract": k.id,
        "customer": row.customer,
        "title": k.title,
        "status": k.status,
        "amount": _amount_json(k.amount_cents),
        "currency": k.currency,
        "ready": verdict.ready,
        "verdict": "READY" if verdict.ready else "NOT READY",
        "missing": [{"part": m.part, "key": m.key, **_neg_params(m.params), "text": _neg_text(m.key, m.params, lang)}
                    for m in verdict.missing],
        "warnings": [{"key": w.key, **_neg_params(w.params), "text": _neg_text(w.key, w.params, lang)}
                     for w in verdict.warnings],
        "timing": {c: ({"evidence": e.text, "date": e.day} if (e := plan.timing.get(c)) else None) for c in N.TIMING},
        "principles": list(N.PRINCIPLES),
        "settlement_order": list(N.preferred_order()),
        "issues": [
            {"id": i.id, "detail": i.detail, "need": i.need,
             "options": [{"id": o.id, "text": o.text, "value": o.value} for o in i.options],
             "settled_by": i.settled_by, "settlement": i.settlement, "settled_on": settled_on.get(i.id),
             "flags": list(N.flags(i))}
            for i in plan.issues
        ],
        "analysis": {p: {a: plan.analysis.get((p, a)) for a in N.ASPECTS[p]} for p in N.PARTIES},
        "goal": {part: plan.goal.get(part) for part in N.SMART},
        "packages": {kind: ({"text": p.text, "amount": _amount_json(p.amount_cents)}
                            if (p := plan.packages.get(kind)) else None) for kind in N.PACKAGES},
        "team": {role: plan.team.get(role) for role in N.ROLES},
        "agenda": [{"phase": st.phase, "step": st.step, **st.params, "items": [_agenda_item(x) for x in st.items]}
                   for st in steps],
    }


def _agenda_item(item) -> dict:
    out = dict(item)
    if "amount_cents" in out:
        out["amount"] = _amount_json(out.pop("amount_cents"))
    return out


def agenda_lines(steps, lang: str) -> Lines:
    """The meeting flow, ready to print: opening, bargaining per disagreement, close."""
    out: list[str] = []
    phase = None
    for st in steps:
        if st.phase != phase:
            phase = st.phase
            out.append(f"{label('flow_phase', phase, lang)}")
        head = label("flow_step", st.step, lang)
        issue = st.params.get("issue")
        if st.phase == "bargaining" and st.step == "detail":
            out.append(f"  [{message('issue_ref', lang, id=issue)}] {st.params.get('detail', '')}")
            continue
        extra = ""
        if st.step == "need":
            extra = st.params.get("need") or message("neg_unknown", lang)
        out.append(f"    ☐ {head}" + (f": {extra}" if extra else "") if st.phase == "bargaining"
                   else f"  ☐ {head}")
        for it in st.items:
            if "option" in it:
                value = it.get("value") or message("neg_unknown", lang)
                out.append(f"        - {it['text']} ({word('value_to_customer', lang)}: {value})")
            elif "package" in it:
                amount = f" — {show_amount(it['amount_cents'])}" if it.get("amount_cents") is not None else ""
                out.append(f"      - {label('package', it['package'], lang)}: {it['text']}{amount}")
            elif it.get("settlement"):
                out.append(f"      - #{it['issue']} {it['detail']} → {label('settlement', it['settlement'], lang)}"
                           + (f": {it['text']}" if it.get("text") else ""))
            else:
                out.append(f"      - #{it['issue']} {it['detail']}")
    return Lines(word("agenda", lang), out)


def negotiation_blocks(row, plan, verdict, steps, settled_on, lang: str) -> list[Block]:
    from kehu.rules import negotiation as N

    k = row.contract
    dash = "—"
    verdict_text = (message("neg_ready", lang) if verdict.ready
                    else message("neg_not_ready", lang, count=len(verdict.missing)))
    blocks: list[Block] = [Fields(
        f"{word('negotiation', lang)}: #{k.id} {k.title}",
        [(word("customer", lang), row.customer), (word("status", lang), label("contract_status", k.status, lang)),
         (word("amount", lang), _money(k.amount_cents, k.currency)), (word("verdict", lang), verdict_text)],
    )]
    if verdict.missing:
        blocks.append(Lines(word("missing", lang), [
            f"✗ {_neg_text(m.key, m.params, lang)}" for m in verdict.missing
        ], "red"))
    if verdict.warnings:
        blocks.append(Lines(word("warnings", lang), [f"! {_neg_text(w.key, w.params, lang)}" for w in verdict.warnings],
                            "yellow"))
    blocks.append(Grid(label("plan_part", "timing", lang), [word(x, lang) for x in ("condition", "evidence", "date")], [
        [("✓ " if c in plan.timing else "✗ ") + label("timing", c, lang),
         plan.timing[c].text if c in plan.timing else dash, _d(plan.timing[c].day) if c in plan.timing else ""]
        for c in N.TIMING
    ]))
    blocks.append(Lines(word("principles", lang), [
        f"☐ {label('principle', p, lang)} — {message('principle_' + p, lang)}" for p in N.PRINCIPLES
    ]))
    order = " → ".join(label("settlement", x, lang) for x in N.preferred_order())
    issue_rows = []
    for i in plan.issues:
        opts = "; ".join(f"#{o.id} {o.text} ({o.value or '?'})" for o in i.options) or dash
        settled = ""
        if i.settled_by:
            settled = label("settlement", i.settled_by, lang) + (f": {i.settlement}" if i.settlement else "")
            if N.flags(i):
                settled = "! " + settled
        issue_rows.append([str(i.id), i.detail, i.need or dash, opts, settled])
    blocks.append(Grid(f"{label('plan_part', 'issues', lang)} ({order})",
                       [word(x, lang) for x in ("id", "detail", "need", "options", "settled_by")], issue_rows))
    blocks.append(Grid(label("plan_part", "analysis", lang), [word(x, lang) for x in ("party", "aspect", "text")], [
        [label("party", p, lang), label("aspect", a, lang), plan.analysis.get((p, a)) or dash] for p, a in N.ANALYSIS
    ]))
    blocks.append(Fields(label("plan_part", "goal", lang),
                         [(label("smart", part, lang), plan.goal.get(part) or dash) for part in N.SMART]))
    blocks.append(Grid(label("plan_part", "packages", lang), [word(x, lang) for x in ("package", "text", "amount")], [
        [label("package", kind, lang), p.text if p else dash,
         show_amount(p.amount_cents) if p and p.amount_cents is not None else ""]
        for kind in N.PACKAGES for p in [plan.packages.get(kind)]
    ]))
    blocks.append(Fields(label("plan_part", "team", lang),
                         [(label("team_role", r, lang), plan.team.get(r) or dash) for r in N.ROLES]))
    blocks.append(agenda_lines(steps, lang))
    return blocks


# ---------------------------------------------------------------- playbooks in context


def playbook_advice(touches, contracts) -> list[tuple[str, list[str]]]:
    """Which playbooks the customer's facts call for, and why: signals seen at recent
    touchpoints (price → price_cut...) and contracts with money overdue (non_payment)."""
    if not any(row.touch.signals for row in touches) and not any(r.overdue for r in contracts):
        return []
    from kehu.rules.signals import TOPICS, for_signals

    because: dict[str, list[str]] = {}
    for row in touches:
        t = row.touch
        for signal in json.loads(t.signals) if t.signals else []:
            for key in for_signals([signal]):
                because.setdefault(key, []).append(f"{_d(t.day)} {signal}")
    for r in contracts:
        if r.overdue:
            because.setdefault("non_payment", []).append(f"#{r.contract.id} {r.contract.title}")
    return [(k, because[k]) for k in TOPICS if k in because]


def playbook_advice_lines(advice, lang: str) -> Lines:
    from kehu.rules.playbooks import PLAYBOOKS

    lines = []
    for key, because in advice:
        pb = PLAYBOOKS[key]
        lines.append(f"{pb.title.get(lang)} — kehu playbook {key}")
        lines.append("  " + message("because", lang, what="; ".join(because[:3])))
        heads = " · ".join(p.head.get(lang) for p in pb.sections[0].points)
        lines.append(f"  {pb.sections[0].title.get(lang)}: {heads}")
    return Lines(word("playbooks_here", lang), lines, "yellow")

"""Aliases, likely duplicates and merges as the user sees them."""

from __future__ import annotations

from kehu.i18n import word
from kehu.i18n.messages_names import FIELDS, MOVED, REASONS
from kehu.render.blocks import Grid


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0 if lang == "zh" else 1]


def reason_text(reason: str, lang: str) -> str:
    return _pick(REASONS[reason], lang)


def field_text(name: str, lang: str) -> str:
    return _pick(FIELDS[name], lang)


def moved_text(moved: dict[str, int], lang: str) -> str:
    """"接触 12、承诺 3" in a fixed order, kinds with none left out."""
    sep = "、" if lang == "zh" else ", "
    parts = [f"{_pick(MOVED[k], lang)} {n}" for k, n in moved.items() if n]
    return sep.join(parts) or word("moved_nothing", lang)


def aliases_grid(rows, lang: str) -> Grid:
    headers = [word("id", lang), word("customer", lang), word("alias", lang)]
    return Grid(None, headers, [[str(c.id), c.name, a.alias] for c, a in rows])


def aliases_json(rows) -> list[dict]:
    return [{"customer_id": c.id, "customer": c.name, "alias": a.alias} for c, a in rows]


def dupes_grid(pairs, lang: str) -> Grid:
    headers = [word("id", lang), word("customer", lang), word("id", lang), word("customer", lang),
               word("reason", lang)]
    return Grid(None, headers, [[str(p.a.id), p.a.name, str(p.b.id), p.b.name, reason_text(p.reason, lang)]
                                for p in pairs])


def dupes_json(pairs) -> list[dict]:
    return [{"a": {"id": p.a.id, "name": p.a.name}, "b": {"id": p.b.id, "name": p.b.name}, "reason": p.reason,
             "strength": p.strength, "matched": list(p.names)} for p in pairs]


def merge_json(plan, done: bool) -> dict:
    return {"kept": {"id": plan.keep.id, "name": plan.keep.name}, "merged": {"id": plan.gone.id,
            "name": plan.gone.name}, "moved": plan.moved, "people_joined": [p[0] for p in plan.people_joined],
            "fields": ["value" if f == "value_cents" else f for f in plan.fields], "done": done}

"""A customer's trust score, its factors and the suggestions for the weakest one (`kehu trust`)."""

from __future__ import annotations


from kehu.i18n import label, labelled, message, word
from kehu.render.blocks import LEGEND, Block, Grid, Lines, iso, keyed
from kehu.rules.trust import score_shown  # rounded down, the same way the history keeps it


def _r(x: float, n: int = 3) -> float:
    return round(x, n)


def suggestion_text(tip, lang: str) -> str:
    params = dict(tip.params)
    sep = "、" if lang == "zh" else ", "
    if "names" in params:
        params["names"] = sep.join(params["names"])
    if "levels" in params:
        params["levels"] = sep.join(label("person_level", x, lang) for x in params["levels"])
    return labelled(tip.key, lang, **params)


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
        Grid(title, [word("factor", lang), word("score", lang), ""], factor_rows, styles),
        Lines(None, [message("legend_trust", lang)], LEGEND),
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
                iso(p.last_touch),
            ]
            for p in sorted(t.people, key=lambda p: -p.factors.score)
        ]
        headers = [word(k, lang) for k in ("name", "role", "person_level", "trust", "weakest", "touches", "last_touch")]
        blocks.append(Grid(word("people", lang), headers, rows))
    tips = [f"• {suggestion_text(s, lang)}" for s in t.suggestions]
    if tips:
        blocks.append(Lines(word("suggestions", lang), tips))
    return blocks

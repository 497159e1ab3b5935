"""The value pyramid and its effort warnings (`kehu tier`)."""

from __future__ import annotations

from kehu.money import amount_text, show_amount
from kehu.i18n import label, labelled, message, word
from kehu.render.blocks import Grid


def tier_grid(summary, lang: str) -> Grid:
    headers = [word(k, lang) for k in ("tier", "count", "customer_share", "value", "value_share", "big_count")]
    rows = [
        [
            label("tier", t.tier, lang),
            str(t.count),
            f"{t.customer_share * 100:.1f}%",
            show_amount(t.value),
            f"{t.value_share * 100:.1f}%",
            str(t.big),
        ]
        for t in summary
    ]
    return Grid(None, headers, rows)


# `kehu tier` lists this many prospects on a screen (all of them in --json and piped)
PIPELINE_SHOWN = 20


def pipeline_grid(prospects, lang: str, limit: int | None = PIPELINE_SHOWN) -> Grid:
    """The prospects apart from the pyramid (商机), by expected value: stage, its chance,
    the value entered, the expected value, the segment, the buying-centre mark, and the
    tier its cadence follows."""
    headers = [word(k, lang) for k in ("id", "name", "stage", "chance", "entered", "expected", "segment",
                                       "buying_centre", "tier")]
    rows = [
        [
            str(p.id), p.name, label("stage", p.stage, lang), f"{p.chance}%", show_amount(p.entered),
            show_amount(p.expected), label("segment", p.segment, lang) if p.segment else "",
            word("yes", lang) if p.big else "", label("tier", p.tier, lang),
        ]
        for p in (prospects if limit is None else prospects[:limit])
    ]
    # a narrow terminal (80 columns) may leave out the stage's chance and the value entered,
    # which the expected value implies (entered × chance, the legend says): the amounts
    # were cut with … to make room for them
    return Grid(word("pipeline", lang), headers, rows, optional=(3, 4))


def pipeline_json(prospects) -> list[dict]:
    return [
        {"id": p.id, "name": p.name, "stage": p.stage, "chance": p.chance, "entered": amount_text(p.entered),
         "expected": amount_text(p.expected), "segment": p.segment, "strategic": p.segment == "strategic",
         "big": p.big, "tier": p.tier}
        for p in prospects
    ]


def tier_json(summary) -> list[dict]:
    return [
        {
            "tier": t.tier,
            "count": t.count,
            "customer_share": round(t.customer_share, 4),
            "value": amount_text(t.value),
            "value_share": round(t.value_share, 4),
            "big": t.big,
        }
        for t in summary
    ]


def warning_text(w, lang: str) -> str:
    return labelled(w.key, lang, **w.params)


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


def tier_explain_text(row, cuts, lang: str, name: str, mins=(0, 0, 0), customer=None, forecast=None) -> str:
    if row is None:
        return message("tier_explain_terminated", lang, name=name)
    if row.value <= 0:
        return message("tier_explain_zero", lang, name=name)
    text = message(
        "tier_explain", lang, name=name, value=show_amount(row.value), above=row.above,
        total=row.total, share=100.0 * row.above / row.total, tier=label("tier", row.tier, lang),
        c1=cuts[0], c2=cuts[1], c3=cuts[2], m1=mins[0], m2=mins[1], m3=mins[2],
    )
    if customer is None:
        return text
    views = message("tier_explain_views", lang)
    if row.business:
        return "\n".join((text, message("tier_explain_business", lang), views))
    return "\n".join((text, message(
        "tier_explain_pipeline", lang, entered=show_amount(customer.value_cents or 0),
        stage=label("stage", customer.stage, lang), key=customer.stage,
        pct=(forecast or {}).get(customer.stage, 0), value=show_amount(row.value),
    ), message("tier_explain_alone" if row.alone else "tier_explain_apart", lang), views))

"""Which playbooks a customer's facts call for and the causes their signals point at:
`kehu show` lists them among its guides in context (render.aftersale.guide_lines)."""

from __future__ import annotations


from kehu.i18n import message
from kehu.render.blocks import iso


def playbook_advice(signals, contracts, lang: str | None = None
                    ) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """Which playbooks the customer's facts call for, why, and the likely causes the
    signals point at: current signals (store.signals: aged out ones are not news) of a
    price cut → price_cut, a cheaper rival → low_price_rival, funds trouble → non_payment;
    contracts with money overdue → non_payment. Causes: rules.signals.CAUSE_EVIDENCE.
    A signal typed as a kind alone is named by its kind: worded in ``lang`` for a screen,
    its key for JSON (None)."""
    if not signals and not any(r.overdue for r in contracts):
        return []
    from kehu.rules.signals import CAUSE_EVIDENCE, KINDS, TOPICS, points_at, topics_of

    def text_of(r) -> str:
        if r.text or lang is None or r.kind not in KINDS:
            return r.text or r.kind
        return KINDS[r.kind][0 if lang == "zh" else 1]

    because: dict[str, list[str]] = {}
    by_text: dict[tuple, list[tuple[str, str]]] = {}
    for r in signals:
        by_text.setdefault((r.day, r.touch_id, text_of(r)), []).append((r.kind, r.direction))
    for (day, _tid, text), pairs in by_text.items():
        for key in sorted(topics_of(pairs)):
            because.setdefault(key, []).append(f"{iso(day)} {text}")
    for r in contracts:
        if r.overdue:
            because.setdefault("non_payment", []).append(f"#{r.contract.id} {r.contract.title}")
    out = []
    for k in TOPICS:
        if k not in because:
            continue
        causes = []
        for cause in CAUSE_EVIDENCE.get(k, {}):
            seen = [f"{iso(r.day)} {text_of(r)}" for r in signals if points_at(k, cause, r.kind, r.direction)]
            if seen:
                causes.append((cause, list(dict.fromkeys(seen))))
        out.append((k, because[k], causes))
    return out


def cause_lines(key: str, causes, lang: str) -> list[str]:
    """Under a guide in context: the likely causes the signals point at, each in the
    guide's own words (the point of the guide that names it), with the evidence."""
    from kehu.rules.playbooks import PLAYBOOKS
    from kehu.rules.signals import CAUSE_POINT

    sections = PLAYBOOKS[key].sections
    return [message("likely_cause", lang, cause=sections[section].points[point].head.get(lang),
                    what="; ".join(seen[:2]))
            for cause, seen in causes for section, point in [CAUSE_POINT[(key, cause)]]]

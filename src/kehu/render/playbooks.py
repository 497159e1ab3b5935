"""Which playbooks a customer's facts call for, shown by `kehu show`."""

from __future__ import annotations

import json

from kehu.i18n import message, word
from kehu.render.blocks import Lines, iso


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
                because.setdefault(key, []).append(f"{iso(t.day)} {signal}")
    for r in contracts:
        if r.overdue:
            because.setdefault("non_payment", []).append(f"#{r.contract.id} {r.contract.title}")
    return [(k, because[k]) for k in TOPICS if k in because]


def playbook_advice_lines(advice, lang: str) -> Lines:
    from kehu.rules.playbooks import PLAYBOOKS

    lines = []
    for key, because in advice:
        pb = PLAYBOOKS[key]
        short = next((a for a in pb.aliases if not a.isascii()), key) if lang == "zh" else key
        lines.append(f"{pb.title.get(lang)} — kehu playbook {short}")
        lines.append("  " + message("because", lang, what="; ".join(because[:3])))
        heads = " · ".join(p.head.get(lang) for p in pb.sections[0].points)
        lines.append(f"  {pb.sections[0].title.get(lang)}: {heads}")
    return Lines(word("playbooks_here", lang), lines, "yellow")

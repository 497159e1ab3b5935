"""Which playbooks a customer's facts call for, shown by `kehu show`."""

from __future__ import annotations


from kehu.i18n import message, word
from kehu.render.blocks import Lines, iso


def playbook_advice(signals, contracts) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """Which playbooks the customer's facts call for, why, and the likely causes the
    signals point at: current signals (store.signals: aged out ones are not news) of a
    price cut → price_cut, a cheaper rival → low_price_rival, funds trouble → non_payment;
    contracts with money overdue → non_payment. Causes: rules.signals.CAUSE_EVIDENCE."""
    if not signals and not any(r.overdue for r in contracts):
        return []
    from kehu.rules.signals import CAUSE_EVIDENCE, TOPICS, points_at, topics_of

    because: dict[str, list[str]] = {}
    by_text: dict[tuple, list[tuple[str, str]]] = {}
    for r in signals:
        by_text.setdefault((r.day, r.touch_id, r.text or r.kind), []).append((r.kind, r.direction))
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
            seen = [f"{iso(r.day)} {r.text or r.kind}" for r in signals if points_at(k, cause, r.kind, r.direction)]
            if seen:
                causes.append((cause, list(dict.fromkeys(seen))))
        out.append((k, because[k], causes))
    return out


def playbook_advice_lines(advice, lang: str) -> Lines:
    from kehu.rules.playbooks import PLAYBOOKS

    from kehu.rules.signals import CAUSE_POINT

    lines = []
    for key, because, causes in advice:
        pb = PLAYBOOKS[key]
        short = next((a for a in pb.aliases if not a.isascii()), key) if lang == "zh" else key
        lines.append(f"{pb.title.get(lang)} — kehu playbook {short}")
        lines.append("  " + message("because", lang, what="; ".join(because[:3])))
        for cause, seen in causes:
            section, point = CAUSE_POINT[(key, cause)]
            head = pb.sections[section].points[point].head.get(lang)
            lines.append("  " + message("likely_cause", lang, cause=head, what="; ".join(seen[:2])))
        heads = " · ".join(p.head.get(lang) for p in pb.sections[0].points)
        lines.append(f"  {pb.sections[0].title.get(lang)}: {heads}")
    return Lines(word("playbooks_here", lang), lines, "yellow")

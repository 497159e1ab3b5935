"""Customer signals in `kehu show` (and its JSON): what the current signals say of the
customer's real view and of each person's, and the signals themselves."""

from __future__ import annotations

from kehu.i18n import message, word
from kehu.render.blocks import Lines, iso


def kind_label(kind: str, lang: str) -> str:
    from kehu.rules.signals import KINDS

    names = KINDS.get(kind)
    return (names[0] if lang == "zh" else names[1]) if names else kind


def direction_label(direction: str, lang: str) -> str:
    from kehu.rules.signals import DIRECTIONS

    names = DIRECTIONS.get(direction)
    return (names[0] if lang == "zh" else names[1]) if names else direction


def view_label(view: str, lang: str) -> str:
    return word(f"view_{view}", lang)


def signal_lines(reading, lang: str, limit: int = 8) -> Lines | None:
    if not reading.signals:
        return None
    lines = [message("signals_view", lang, view=view_label(reading.customer, lang))]
    if reading.people:
        who = "; ".join(f"{name} {view_label(v, lang)}" for name, v in reading.people.items())
        lines.append(message("signals_people", lang, who=who))
    for r in reading.signals[:limit]:
        text = f"{iso(r.day)} {direction_label(r.direction, lang)} {kind_label(r.kind, lang)}"
        if r.text:
            text += f" — {r.text}"
        if r.person:
            text += f" ({r.person})"
        lines.append("  " + text)
    return Lines(word("signals_title", lang), lines)


def signals_json(reading) -> dict:
    return {
        "view": reading.customer,
        "people": reading.people,
        "current": [{"date": r.day, "touch": r.touch_id, "kind": r.kind, "direction": r.direction,
                     "text": r.text, "source": r.source, "person": r.person} for r in reading.signals],
    }


def prospect_text(prospect, lang: str) -> str:
    """Seed 004's verdict on a prospect (rules.stages.ProspectVerdict), naming the facts
    that stop it."""
    from kehu.i18n import label

    if prospect.verdict == "qualified":
        return message("prospect_qualified", lang)
    facts = prospect.bad if prospect.verdict == "unqualified" else prospect.unknown
    joined = ("、" if lang == "zh" else ", ").join(label("qualification", f, lang) for f in facts)
    return message(f"prospect_{prospect.verdict}", lang, facts=joined)


def prospect_json(prospect) -> dict | None:
    if prospect is None:
        return None
    return {"verdict": prospect.verdict, "bad": list(prospect.bad), "unknown": list(prospect.unknown)}


def qualification_lines(qualified: dict, lang: str, prospect=None) -> Lines:
    """A customer's qualification facts (rules.domain.QUALIFICATION), unknown ones too;
    for a prospect, first whether it is a qualified prospect (``prospect``)."""
    from kehu.i18n import label
    from kehu.rules.domain import QUALIFICATION

    lines = [] if prospect is None else [prospect_text(prospect, lang)]
    for fact in QUALIFICATION:
        verdict, note, day = qualified.get(fact, ("unknown", None, None))
        text = f"{label('qualification', fact, lang)}: {label('verdict', verdict, lang)}"
        if note:
            text += f" — {note}"
        if day:
            text += f" ({iso(day)})"
        lines.append(text)
    return Lines(word("qualification_title", lang), lines)

"""What `kehu person` shows of the people at a customer (private notes only when asked)."""

from __future__ import annotations

from kehu.i18n import label, word
from kehu.render.blocks import Fields, Grid
from kehu.rules.trust import score_shown


PUBLIC_PERSON_FIELDS = ("title", "dept", "level", "role", "attitude", "kpi", "pain", "interest", "style", "competence",
                        "phone", "mobile", "wechat", "email")
# Shown and put in JSON only where ``private`` is (person show --private): never listed.
PRIVATE_PERSON_FIELDS = ("private", "private_mobile", "home_address")


def person_json(p, include_private: bool = False) -> dict:
    data = {"id": p.id, "name": p.name}
    data.update({f: getattr(p, f) for f in PUBLIC_PERSON_FIELDS})
    if include_private:
        data.update({f: getattr(p, f) for f in PRIVATE_PERSON_FIELDS})
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
    if include_private:
        pairs.extend((word(f, lang), getattr(p, f)) for f in PRIVATE_PERSON_FIELDS if getattr(p, f))
    return Fields(p.name, pairs)

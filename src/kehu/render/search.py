"""`kehu search`: the hits as a table, plain lines or JSON."""

from __future__ import annotations

from kehu.i18n import word
from kehu.render.blocks import Grid


def hits_grid(hits, lang: str) -> Grid:
    return Grid(word("search_hits", lang), [
        word("customer", lang), word("matched", lang), word("field", lang), word("date", lang), word("snippet", lang),
    ], [
        [f"#{h.customer_id} {h.customer_name}", f"{word('search_kind_' + h.kind, lang)} #{h.ref}",
         _field(h, lang), h.day, h.snippet]
        for h in hits
    ])


def _field(hit, lang: str) -> str:
    if hit.kind == "fact":
        return hit.field  # part.key of the negotiation plan, as kehu negotiate names them
    if hit.kind == "contract" and hit.field == "title":
        return word("search_field_contract_title", lang)
    return word(_FIELD_WORDS[hit.field], lang)


# The field names as the rest of kehu heads them.
_FIELD_WORDS = {
    "name": "name", "note": "note", "alias": "search_kind_alias", "title": "title", "dept": "dept", "kpi": "kpi",
    "pain": "pain", "interest": "interest", "style": "style", "signals": "signals", "next_step": "next",
    "text": "promise", "detail": "detail", "need": "need", "settlement": "search_field_settlement",
}


def hits_json(hits) -> list[dict]:
    return [{
        "rank": "name" if h.rank == 0 else "text",
        "customer": {"id": h.customer_id, "name": h.customer_name},
        "kind": h.kind, "id": h.ref, "field": h.field, "date": h.day or None, "snippet": h.snippet,
    } for h in hits]

"""What `kehu list`, `kehu add` and `kehu show` show of customers."""

from __future__ import annotations

from kehu.money import amount_text, show_amount
from kehu.i18n import label, word
from kehu.render.blocks import Fields, Grid, iso
from kehu.render.team import pool_state_text
from kehu.render.tiers import warning_text


def stage_text(customer, lang: str) -> str:
    text = label("stage", customer.stage, lang)
    if customer.terminated_at is not None:
        text += f" ({word('terminated', lang)})"
    return text


def customer_list(rows, lang: str) -> Grid:
    from kehu.rules.stages import lifecycle

    headers = [word(k, lang) for k in ("id", "name", "stage", "lifecycle", "tier", "owner", "people", "last_touch",
                                       "promises")]
    out, styles = [], []
    for r in rows:
        c = r.customer
        out.append(
            [
                str(c.id),
                c.name,
                stage_text(c, lang),
                label("lifecycle", lifecycle(c.stage), lang),
                label("tier", r.tier, lang),
                c.owner or "",
                str(r.people),
                iso(r.last_touch),
                str(r.open_promises),
            ]
        )
        styles.append("dim" if c.terminated_at is not None else None)
    return Grid(None, headers, out, styles, optional=(3,))


def customer_list_json(rows) -> list[dict]:
    from kehu.rules.stages import lifecycle

    return [
        {
            "id": r.customer.id,
            "name": r.customer.name,
            "stage": r.customer.stage,
            "lifecycle": lifecycle(r.customer.stage),
            "terminated": r.customer.terminated_at is not None,
            "tier": r.tier,
            "tier_value": amount_text(r.value),
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
        "value": amount_text(c.value_cents),
        "owner": c.owner,
        "note": c.note,
        "profit_now": c.profit_now,
        "profit_future": c.profit_future,
        "service_cost": c.service_cost,
        "segment": c.segment,
        "source": c.source,
        "address": c.address,
        "phone": c.phone,
        "website": c.website,
        "added_on": c.added_on,
        "claimed_on": c.claimed_on,
        "owner_touched_on": c.owner_touched_on,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def customer_fields(c, lang: str, tier: str | None = None, warns=(), pool=None, aliases=()) -> Fields:
    from kehu.rules.stages import lifecycle
    from kehu.rules.tiers import cell

    pairs = [
        (word("id", lang), str(c.id)),
        (word("stage", lang), stage_text(c, lang)),
        (word("lifecycle", lang), label("lifecycle", lifecycle(c.stage), lang)),
    ]
    if aliases:
        pairs.insert(1, (word("alias", lang), ("、" if lang == "zh" else ", ").join(aliases)))
    if tier is not None:
        pairs.append((word("tier", lang), label("tier", tier, lang)))
    the_cell = cell(c.profit_now, c.profit_future)
    if the_cell is not None:
        pairs.append((word("cell", lang), label("cell", the_cell, lang)))
    if c.service_cost:
        pairs.append((word("service_cost", lang), label("cost", c.service_cost, lang)))
    if c.segment:
        pairs.append((word("segment", lang), label("segment", c.segment, lang)))
    if c.source:
        pairs.append((word("source", lang), label("source", c.source, lang)))
    if c.terminated_at is not None:
        pairs.append((word("reason", lang), c.terminated_reason or ""))
    for key, value in (
        ("industry", c.industry),
        ("region", c.region),
        ("kind", label("customer_kind", c.kind, lang)),
        ("level", label("relationship_level", c.level, lang)),
        ("value", show_amount(c.value_cents)),
        ("owner", c.owner),
        ("phone", c.phone),
        ("address", c.address),
        ("website", c.website),
        ("note", c.note),
    ):
        if value:
            pairs.append((word(key, lang), value))
    pairs.append((word("added_on", lang), iso(c.added_on)))
    if pool is not None and pool.returns_on is not None:  # an owner's clock runs (none in a personal book)
        pairs.append((word("pool_state", lang), pool_state_text(pool, lang)))
    pairs.extend((word("warnings", lang), warning_text(w, lang)) for w in warns)
    return Fields(c.name, pairs)

"""The public pool of a team book: who returns to it, when and why (`kehu pool`, `kehu show`)."""

from __future__ import annotations

from datetime import date

from kehu.i18n import label, message, word
from kehu.render.blocks import Grid, iso


def pool_status_json(pool) -> dict:
    return {"state": pool.state, "reason": pool.reason, "returns_on": pool.returns_on, "days_left": pool.days_left}


def pool_state_text(pool, lang: str) -> str:
    """When an owned customer returns (or returned) to the public pool, for `kehu show`."""
    if pool.state == "lapsed":
        return message("pool_state_lapsed", lang, day=iso(pool.returns_on))
    return message("pool_state_returns", lang, day=iso(pool.returns_on), days=pool.days_left)


def pool_reason_text(reason: str, since: date | None, growth_days: object, lang: str,
                     returns: str | None = None) -> str:
    """Why a customer is (or soon is) back in the public pool."""
    if reason == "untouched":
        why = message("pool_why_untouched", lang, day=iso(since))
    elif reason == "no_growth":
        why = message("pool_why_no_growth", lang, days=growth_days, day=iso(since))
    else:
        why = message(f"pool_why_{reason}", lang)
    return message("pool_item_text", lang, day=returns, why=why) if returns else why


def pool_grid(rows, lang: str, growth_days: int) -> Grid:
    headers = [word(k, lang) for k in ("id", "name", "stage", "tier", "last_touch", "previous_owner", "why",
                                       "pool_since")]
    out = [
        [str(r.id), r.name, label("stage", r.stage, lang), label("tier", r.tier, lang), iso(r.last_touch),
         r.previous_owner or "", pool_reason_text(r.reason, r.clock_from, growth_days, lang), iso(r.since)]
        for r in rows
    ]
    return Grid(None, headers, out)


def pool_json(rows) -> list[dict]:
    return [
        {"id": r.id, "name": r.name, "stage": r.stage, "tier": r.tier, "last_touch": r.last_touch,
         "previous_owner": r.previous_owner, "reason": r.reason, "since": r.since, "clock_from": r.clock_from}
        for r in rows
    ]

"""Customers per stage and conversion to the next (`kehu funnel`)."""

from __future__ import annotations

from kehu.i18n import label, word
from kehu.render.blocks import Grid


def _bar_n(n: int, most: int, width: int = 24) -> str:
    if most <= 0:
        return ""
    filled = max(1, round(width * n / most)) if n else 0
    return "█" * filled


def funnel_grid(rows, lang: str) -> Grid:
    most = max((r.now for r in rows), default=0)
    headers = [word(k, lang) for k in ("stage", "now", "reached", "conversion", "median_days")] + [""]
    out = [
        [
            label("stage", r.stage, lang),
            str(r.now),
            str(r.reached),
            f"{r.conversion * 100:.0f}%" if r.conversion is not None else "",
            f"{r.median_days:.0f}" if r.median_days is not None else "",
            _bar_n(r.now, most),
        ]
        for r in rows
    ]
    return Grid(None, headers, out)

"""Text helpers shared by modules that must not depend on each other (CSV columns, i18n)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """A name as people type it, for comparing: NFKC (full-width forms become ASCII),
    trimmed, case-folded, with spaces and hyphens read as underscores."""
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "_").replace("-", "_")

"""The settings kept in the book: read them (parsed once, as kehu.settings.Settings),
and change one."""

from __future__ import annotations

from sqlmodel import Session, select

from kehu.errors import KehuError, Unchanged, UsageError
from kehu.models import Setting
from kehu.settings import Settings, parse_setting


def read(s: Session) -> Settings:
    """The book's settings, parsed once: read them once per command and pass them on."""
    return Settings.from_stored(stored(s))


def stored(s: Session) -> dict[str, str]:
    return {row.key: row.value for row in s.exec(select(Setting))}


def _stored(key: str, value: str) -> object:
    """A stored value as parsed, or a marker when it is one kehu would refuse (planted by
    another tool): `config set` is how such a value is mended, never "unchanged"."""
    try:
        return parse_setting(key, value)
    except KehuError:
        return _BAD


_BAD = object()


def set_value(s: Session, key: str, value: str) -> object:
    parsed = parse_setting(key, value)
    if key.startswith("cell."):
        _check_cells(s, key, parsed)
    row = s.get(Setting, key)
    if row is not None and _stored(key, row.value) == parsed:
        raise Unchanged("nothing_changed")  # (an explicit default is kept: it pins the value)
    if row is None:
        row = Setting(key=key, value=value.strip())
    row.value = value.strip()
    s.add(row)
    return parsed


def _check_cells(s: Session, key: str, parsed: object) -> None:
    """The profitability cells' factors must stay in the seed's order (rules.tiers.
    cell_factors_ordered): setting one that breaks it is refused, naming the others."""
    from kehu.rules.tiers import cell_factors_ordered

    factors = {k: v for k, v in Settings.from_stored(stored(s)).cell_factors.items() if k is not None}
    factors[key.split(".", 1)[1]] = parsed
    if not cell_factors_ordered(factors):
        shown = ", ".join(f"cell.{k}={v:g}" for k, v in factors.items())
        raise UsageError("bad_cell_order", key=key, value=f"{parsed:g}", factors=shown)

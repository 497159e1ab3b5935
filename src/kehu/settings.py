"""Settings kept in the book, with their types, defaults and validation (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kehu.errors import UsageError


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    parse: Callable[[str], object]
    expected: str
    help_zh: str
    help_en: str


def _number(lo: float, hi: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if not lo <= number <= hi:
            raise ValueError(value)
        return number

    return parse


def _days(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 3650:
        raise ValueError(value)
    return number


SETTINGS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec(
            "trust.threshold", "40", _number(0, 100), "a number from 0 to 100",
            "进入成长期所需的最低信用分", "trust needed to enter growth",
        ),
        SettingSpec(
            "trust.window_days", "180", _days, "whole days, 1 to 3650",
            "计算连接度的近期窗口（天）", "recent window for connection, in days",
        ),
        SettingSpec(
            "trust.time_scale_days", "120", _days, "whole days, 1 to 3650",
            "时间因素的增长尺度（天）", "how fast the time factor rises, in days",
        ),
    )
}


def parse_setting(key: str, value: str) -> object:
    spec = SETTINGS.get(key)
    if spec is None:
        raise UsageError("bad_config_key", key=key, accepted=", ".join(SETTINGS))
    try:
        return spec.parse(value)
    except ValueError:
        raise UsageError("bad_config_value", key=key, value=value, expected=spec.expected) from None


def effective(stored: dict[str, str]) -> dict[str, object]:
    """Every setting's value: the stored one if any, else the default."""
    return {k: s.parse(stored.get(k, s.default)) for k, s in SETTINGS.items()}

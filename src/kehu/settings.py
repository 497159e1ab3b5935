"""Settings kept in the book, with their types, defaults and validation (pure); and
``Settings``, a book's settings parsed once and grouped as the code uses them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kehu.errors import DataError, UsageError

if TYPE_CHECKING:
    from kehu.rules.followups import UrgencyWeights
    from kehu.rules.pool import PoolRules
    from kehu.rules.trust import TrustParams


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    parse: Callable[[str], object]
    expected: str
    help_zh: str
    help_en: str
    own: bool = False  # a number kehu invented, not the method's (DOMAIN §11): see OWN_NUMBERS


def _number(lo: float, hi: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if not lo <= number <= hi:
            raise ValueError(value)
        return number

    return parse


def _whole(lo: int, hi: int) -> Callable[[str], int]:
    """A whole number from lo to hi: days (the pool's 0 switches its clock off), counts
    (0: no limit), kind weights (trust's ladder of depth counts rungs), percentages."""

    def parse(value: str) -> int:
        number = int(value)
        if not lo <= number <= hi:
            raise ValueError(value)
        return number

    return parse


_days = _whole(1, 3650)
_days_or_off = _whole(0, 3650)
_count_or_off = _whole(0, 1_000_000)
_weight = _whole(1, 100)
_percent = _whole(0, 100)


def _cuts(value: str) -> tuple[float, float, float]:
    from kehu.rules.tiers import parse_cuts

    return parse_cuts(value)


def _mins(value: str) -> tuple[int, int, int]:
    from kehu.rules.tiers import parse_mins

    return parse_mins(value)


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise ValueError(value)
    return code


def _generated() -> tuple[SettingSpec, ...]:
    from kehu.rules.contracts import DEFAULT_PROBABILITY
    from kehu.rules.domain import KIND_WEIGHTS, TOUCH_KINDS
    from kehu.rules.funnel import DEFAULT_COLD_DAYS
    from kehu.rules.tiers import DEFAULT_CADENCE
    from kehu.i18n.words import LABELS

    def zh_label(enum: str, key: str) -> str:  # the Chinese name in the Chinese description
        return LABELS[enum][key][0]

    specs = [
        SettingSpec(
            f"cadence.{tier}", str(days), _days, "whole days, 1 to 3650",
            f"{zh}客户的联系周期（天）", f"contact cadence for {tier} customers, in days",
        )
        for (tier, days), zh in zip(DEFAULT_CADENCE.items(), ("白金", "黄金", "铁", "铅"), strict=True)
    ]
    specs += [
        SettingSpec(
            f"kind_weight.{kind}", str(KIND_WEIGHTS[kind]), _weight, "a whole number from 1 to 100",
            f"接触方式“{zh_label('touch_kind', kind)}”的深度权重（kehu 自定，方法论未排序）",
            f"depth weight of a {kind} touchpoint (kehu's own; the method does not rank the ten ways)",
        )
        for kind in TOUCH_KINDS
    ]
    specs += _role_weight_specs(zh_label)
    specs += _urgency_specs(zh_label)
    specs += [
        SettingSpec(
            f"cold_days.{stage}", str(days), _days, "whole days, 1 to 3650",
            f"在{zh_label('stage', stage)}停留多少天算“变冷”", f"days in {stage} after which a customer is going cold",
        )
        for stage, days in DEFAULT_COLD_DAYS.items()
    ]
    specs += [
        SettingSpec(
            f"forecast.{stage}", str(pct), _percent, "a whole percentage, 0 to 100",
            f"客户处于{zh_label('stage', stage)}时，未签合同的成交概率（%）",
            f"chance (%) that an open contract is signed while its customer is in {stage}",
        )
        for stage, pct in DEFAULT_PROBABILITY.items()
    ]
    return tuple(specs)


# ---------------------------------------------------------------- role weights (issue 18)
# How much each buying role counts when trust is rolled up to the customer (rules.trust):
# kehu's own numbers. Only their ratios matter (the noisy-or divides by the heaviest), so
# any positive number up to 10 is accepted; "none" is a person with no role recorded.
_role_weight = _number(0.1, 10)


def _role_weight_specs(zh_label: Callable[[str, str], str]) -> list[SettingSpec]:
    from kehu.rules.domain import ROLE_WEIGHTS

    specs = []
    for role, w in ROLE_WEIGHTS.items():
        key = role or "none"
        zh = zh_label("role", role) if role else "未记录角色者"
        en = f"a person in the role {role}" if role else "a person with no role recorded"
        specs.append(SettingSpec(
            f"role_weight.{key}", f"{w:g}", _role_weight, "a number from 0.1 to 10",
            f"信用汇总到客户时“{zh}”的权重（kehu 自定）",
            f"how much {en} counts when trust is rolled up to the customer (kehu's own)",
        ))
    return specs


# ---------------------------------------------------------------- urgency weights (issue 18)
# urgency = tier × kind × stage × timing (rules.followups): the three weights are kehu's
# own numbers, each a setting. Positive, so lateness always raises urgency; up to 10.
_urgency_weight = _number(0.1, 10)


def _urgency_specs(zh_label: Callable[[str, str], str]) -> list[SettingSpec]:
    from kehu.rules.followups import KIND_WEIGHT, STAGE_WEIGHT, TIER_WEIGHT
    from kehu.rules.domain import STAGES

    def spec(part: str, enum: str, key: str, w: float, zh_part: str) -> SettingSpec:
        return SettingSpec(
            f"urgency_{part}.{key}", f"{w:g}", _urgency_weight, "a number from 0.1 to 10",
            f"紧迫度中{zh_part}“{zh_label(enum, key)}”的权重（kehu 自定）",
            f"urgency weight of the {part} {key} (kehu's own)",
        )

    return ([spec("tier", "tier", k, w, "层级") for k, w in TIER_WEIGHT.items()]
            + [spec("kind", "item_kind", k, w, "事项") for k, w in KIND_WEIGHT.items()]
            + [spec("stage", "stage", k, STAGE_WEIGHT[k], "阶段") for k in STAGES])


def urgency_of(values: Mapping[str, object]):
    """urgency_*.* as rules.followups wants them."""
    from kehu.rules.followups import UrgencyWeights

    return UrgencyWeights(**{part: {k: float(v) for k, v in _group(values, f"urgency_{part}").items()}
                             for part in ("tier", "kind", "stage")})


SETTINGS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec(
            "trust.threshold", "40", _number(0, 100), "a number from 0 to 100",
            "进入成长期所需的最低信用分", "trust needed to enter growth",
        ),
        SettingSpec(
            "trust.oppose_weight", "0.5", _number(0, 1), "a number from 0 to 1",
            "反对我们的人（如决策者）的联系在客户信用中按多少计（0–1，kehu 自定）",
            "how much the connection of a person who opposes us (a decider, say) counts in the customer's "
            "trust, 0 to 1 (kehu's own number)",
        ),
        SettingSpec(
            "trust.window_days", "180", _days, "whole days, 1 to 3650",
            "计算连接度的近期窗口（天）", "recent window for connection, in days",
        ),
        SettingSpec(
            "trust.time_scale_days", "120", _days, "whole days, 1 to 3650",
            "时间因素的增长尺度（天）", "how fast the time factor rises, in days",
        ),
        SettingSpec(
            "tier.cuts", "1,5,20", _cuts, "three increasing percentages, e.g. 1,5,20",
            "白金/黄金/铁的分界：排在前面的客户占比（%）",
            "platinum/gold/iron cuts: share of customers ranked above, in %",
        ),
        SettingSpec(
            "signals.window_days", "90", _days, "whole days, 1 to 3650",
            "客户信号在多少天内算近期（kehu 自定）", "days a customer signal counts as current (kehu's own number)",
        ),
        SettingSpec(
            "signals.money_days", "180", _days, "whole days, 1 to 3650",
            "资金困难、投诉这类信号在多少天内算近期（kehu 自定）",
            "days a funds-trouble or complaint signal counts as current (kehu's own number)",
        ),
        SettingSpec(
            "tier.min_counts", "1,3,8", _mins, "three non-decreasing whole numbers, e.g. 1,3,8",
            "小客户簿的分层下限（kehu 自定）：排在前面的客户少于这些个数时，仍分别算白金/黄金/铁",
            "small books (kehu's own rule): fewer customers ranked above than these still make "
            "platinum/gold/iron",
        ),
        *(
            SettingSpec(
                f"cell.{cell}", default, _number(0.1, 10), "a number from 0.1 to 10",
                f"盈利象限“{zh}”的系数（kehu 自定）：联系周期 = 层级周期 ÷ 系数，期望投入 × 系数；"
                "须满足 最糟糕 ≤ 保留 ≤ 投资，保留 ≤ 最佳",
                f"factor of the {cell} profitability cell (kehu's own number): contact cadence = the tier's "
                "÷ factor, expected effort × factor; worst ≤ keep ≤ invest and keep ≤ best",
            )
            for cell, default, zh in (("best", "1.5", "最佳客户"), ("invest", "1.5", "投资"),
                                      ("keep", "0.75", "保留"), ("worst", "0.5", "最糟糕"))
        ),
        SettingSpec(
            "contract.currency", "CNY", _currency, "a three-letter currency code, e.g. CNY",
            "新合同的默认币种；客户价值只累计该币种的合同",
            "currency of new contracts; customer value adds up contracts in it only",
        ),
        SettingSpec(
            "aftercare.days", "30", _days, "whole days, 1 to 3650",
            "合同完成后多少天内回访", "days after completion by which to visit the customer",
        ),
        # team: ownership and the public pool (rules/pool.py, docs/team.md)
        SettingSpec(
            "pool.untouched_days", "30", _days_or_off, "whole days, 0 to 3650 (0: off)",
            "负责人多少天没有亲自接触，客户就回到公海（0 表示不启用这一条）",
            "days without a touchpoint by its owner after which a customer returns to the public pool "
            "(0: this clock is off)",
        ),
        SettingSpec(
            "pool.growth_days", "180", _days_or_off, "whole days, 0 to 3650 (0: off)",
            "认领后多少天内未进入成长期，客户就回到公海（0 表示不启用这一条）",
            "days after being claimed by which a customer must reach growth, or it returns to the public pool "
            "(0: this clock is off)",
        ),
        SettingSpec(
            "pool.warn_days", "7", _days_or_off, "whole days, 0 to 3650 (0: no warning ahead)",
            "客户回到公海前多少天在 kehu remind 中提醒负责人（0 表示不提前提醒）",
            "how many days before a customer returns to the public pool kehu remind warns its owner "
            "(0: no warning ahead)",
        ),
        SettingSpec(
            "pool.hold_limit", "100", _count_or_off, "a whole number, 0 to 1000000 (0: no limit)",
            "每人最多持有多少个未成熟的在跟客户，达到后不能再认领（0 表示不限）",
            "most live customers short of mature one person may hold; at the limit they cannot claim more "
            "(0: no limit)",
        ),
        SettingSpec(
            "handover.limit", "2", _count_or_off, "a whole number, 0 to 1000000 (0: no limit)",
            "一个客户在时间窗口内最多可被转交（kehu assign）几次（0 表示不限）",
            "most handovers (kehu assign) of one customer within the window (0: no limit)",
        ),
        SettingSpec(
            "handover.window_days", "90", _days_or_off, "whole days, 0 to 3650 (0: no limit)",
            "统计转交次数的时间窗口（天）（0 表示不限）",
            "the window, in days, in which handovers are counted (0: no limit)",
        ),
        *_generated(),
    )
}


# ---------------------------------------------------------------- kehu's own numbers
# The numbers the seeds do not give (DOMAIN §11), which kehu chose itself: `kehu config
# list` marks them, docs/methodology.md lists them ("kehu's own numbers"). A key ending
# in "." covers its family. Every setting is either here or in NOT_OWN (a test holds it).
OWN_NUMBERS: tuple[str, ...] = (
    "trust.threshold", "trust.window_days", "trust.time_scale_days", "trust.oppose_weight",
    "cadence.", "kind_weight.", "role_weight.", "forecast.", "cold_days.", "aftercare.days",
    "pool.untouched_days", "pool.growth_days", "pool.warn_days", "pool.hold_limit",
    "handover.limit", "handover.window_days",
    "tier.min_counts", "signals.window_days", "signals.money_days", "cell.",
    "urgency_tier.", "urgency_kind.", "urgency_stage.",
)
# The method's own numbers (the pyramid's 1/5/20 %, seed 002) and choices that are no
# number of the method at all (a currency).
NOT_OWN: tuple[str, ...] = ("tier.cuts", "contract.currency")


def is_own(key: str) -> bool:
    return any(key == k or (k.endswith(".") and key.startswith(k)) for k in OWN_NUMBERS)


SETTINGS = {k: replace(s, own=is_own(k)) for k, s in SETTINGS.items()}


def parse_setting(key: str, value: str) -> object:
    spec = SETTINGS.get(key)
    if spec is None:
        raise UsageError("bad_config_key", key=key, accepted=", ".join(SETTINGS))
    try:
        return spec.parse(value)
    except ValueError:
        raise UsageError("bad_config_value", key=key, value=value, expected=spec.expected) from None


def show_value(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def effective(stored: Mapping[str, str]) -> dict[str, object]:
    """Every setting's value: the stored one if any, else the default. A stored value
    kehu would not have accepted (written behind its back: another tool, a colleague's
    psql on a server book) is a data error naming the setting and how to mend it, not an
    internal error; the value is shown escaped like everything else in a message."""
    values = {}
    for key, spec in SETTINGS.items():
        raw = stored.get(key, spec.default)
        try:
            values[key] = spec.parse(raw)
        except ValueError:
            raise DataError("bad_stored_setting", key=key, value=raw, expected=spec.expected) from None
    return values


def _group(values: Mapping[str, object], prefix: str) -> dict[str, object]:
    """The settings ``prefix.<name>`` as name → value, in SETTINGS' order."""
    return {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(prefix + ".")}


@dataclass(frozen=True)
class Settings:
    """A book's settings, parsed once per command (``from_stored``) and passed to whatever
    needs one, so nothing parses them again or reads them from the book twice."""

    values: Mapping[str, object]  # every key's parsed value, for `kehu config list/get`
    trust_threshold: float  # trust needed to enter growth
    trust: TrustParams  # window, time scale and kind weights, for rules.trust
    kind_weights: dict[str, float]  # touch kind → depth weight (trust, and tiers' effort)
    cuts: tuple[float, float, float]  # platinum/gold/iron cuts, in % of customers ranked above
    mins: tuple[int, int, int]  # small books: a cut admits at least those with fewer above
    signal_window: int  # days a signal counts as current (rules.signals)
    signal_money_days: int  # the same for funds trouble and complaints
    cadence: dict[str, int]  # tier → contact cadence in days, platinum to lead
    cell_factors: dict[str | None, float]  # profitability cell → cadence ÷ / effort × factor (None: 1)
    cold_days: dict[str, int]  # stage → days after which a customer in it is going cold
    forecast: dict[str, int]  # stage → chance (%) that an open contract is signed
    currency: str  # of new contracts; customer value adds up contracts in it only
    aftercare_days: int  # days after completion by which to visit the customer
    pool: PoolRules  # the pool clocks, the hold limit and the handover limit
    urgency: UrgencyWeights  # tier, kind and stage weights of follow-ups' urgency

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> Settings:
        """From the values stored in the book (key → text); defaults for the others."""
        from kehu.rules.pool import PoolRules
        from kehu.rules.trust import TrustParams

        values = effective(stored)
        kind_weights = {k: float(v) for k, v in _group(values, "kind_weight").items()}
        return cls(
            values=values,
            trust_threshold=float(values["trust.threshold"]),
            trust=TrustParams(
                window_days=int(values["trust.window_days"]),
                time_scale_days=float(values["trust.time_scale_days"]),
                kind_weights=kind_weights,
                role_weights=role_weights_of(values),
                oppose_weight=float(values["trust.oppose_weight"]),
            ),
            kind_weights=kind_weights,
            cuts=values["tier.cuts"],
            mins=values["tier.min_counts"],
            signal_window=int(values["signals.window_days"]),
            signal_money_days=int(values["signals.money_days"]),
            cadence={t: int(values[f"cadence.{t}"]) for t in ("platinum", "gold", "iron", "lead")},
            cell_factors={**{k: float(v) for k, v in _group(values, "cell").items()}, None: 1.0},
            cold_days={k: int(v) for k, v in _group(values, "cold_days").items()},
            forecast={k: int(v) for k, v in _group(values, "forecast").items()},
            currency=str(values["contract.currency"]),
            aftercare_days=int(values["aftercare.days"]),
            urgency=urgency_of(values),
            pool=PoolRules(
                untouched_days=int(values["pool.untouched_days"]),
                growth_days=int(values["pool.growth_days"]),
                warn_days=int(values["pool.warn_days"]),
                hold_limit=int(values["pool.hold_limit"]),
                handover_limit=int(values["handover.limit"]),
                handover_window_days=int(values["handover.window_days"]),
            ),
        )


def role_weights_of(values: Mapping[str, object]) -> dict[str | None, float]:
    """role_weight.<role> as rules.trust wants them: role → weight, None for "none"."""
    return {(None if k == "none" else k): float(v) for k, v in _group(values, "role_weight").items()}

"""Messages of the screens themselves: the groups of the cron mail (`kehu remind` piped),
the legends of numbers with units, the groups of the help.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "remind_head": ("{bucket}（{count} 项）", "{bucket} ({count})"),
    "remind_head_within": ("未来 {days} 天（{count} 项）", "Next {days} days ({count})"),
    "remind_post_title": ("客户跟进提醒 {day}", "kehu reminders {day}"),
    "remind_post_more": ("……另有 {count} 项，请运行 kehu remind 查看全部。", "… and {count} more: run kehu remind for all."),
    "remind_mail_line": (
        "{id}  {due}{late}  {customer}  {kind}：{what}  紧迫度 {urgency}",
        "{id}  {due}{late}  {customer}  {kind}: {what}  urgency {urgency}",
    ),
}

# What a screen's numbers measure: one legend line under them, on a terminal.
MESSAGES.update({
    "legend_urgency": (
        "紧迫度：越大越急，= 层级 × 事项 × 阶段 × 时机（逾期越久越大；各项权重为 kehu 自定）；明细见 kehu followup explain 编号",
        "urgency: higher is more pressing, = tier × kind × stage × timing (grows with lateness; the weights are "
        "kehu's own); see kehu followup explain ID",
    ),
    "legend_trust": (
        "各因素 0 到 1（1 最好）；信用总分 0 到 100，由各因素合成",
        "each factor from 0 to 1 (1 is best); the trust score, from 0 to 100, combines them",
    ),
    "legend_pipeline": (
        "商机：尚未成交的客户，按预期价值（录入年价值 × 所处阶段的成交概率，forecast.growth 等，kehu 自定；战略客户按全额）排序，"
        "不计入金字塔；层级只决定联系频率。采购中心：种子 004 的大客户检验（有人负责采购、另有人使用）",
        "pipeline: customers with no business yet, by expected value (entered annual value × their stage's "
        "chance, forecast.*, kehu's own; strategic ones in full), not in the pyramid; their tier only sets "
        "their cadence. Buying centre: seed 004's big-customer test (someone buys, someone else uses)",
    ),
    "legend_effort": (
        "投入：近 12 个月接触的加权次数，日常拜访交流记 1，越深的接触方式记得越多（kind_weight.*）",
        "effort: touchpoints in the last 12 months, weighted: a daily contact counts 1, deeper kinds "
        "more (kind_weight.*)",
    ),
})


# kehu's own numbers (DOMAIN §11, docs/methodology.md section 11): every --explain that
# shows one says it is kehu's choice, not the method's.
MESSAGES.update({
    "legend_own": ("自定 ✓：kehu 自定的数，方法论本身没有给出", "own ✓: kehu's own number; the method gives none"),
    "own_weights": ("（权重为 kehu 自定）", " (kehu's own weights)"),
    "own_numbers_tier": (
        "（kehu 自定的数：小客户簿下限 tier.min_counts、各阶段的成交概率，以及衡量投入的接触深度权重和联系周期，"
        "都在 kehu config list 中标 ✓；只有 1%/5%/20% 的分界出自方法论）",
        "(kehu's own numbers: the small-book floor tier.min_counts, the chances forecast.*, and behind effort the "
        "depth weights kind_weight.* and the cadences cadence.*; only the 1/5/20 % cuts are the method's)",
    ),
})


# Argument-parser errors: one line, then exit 2 (cli/__init__.py: KehuGroup.main).
MESSAGES.update({
    "usage_no_option": ("没有 {option} 这个选项{maybe}。用 {command} -h 查看用法。",
                        "no such option: {option}{maybe}; see {command} -h"),
    "usage_no_command": ("没有 {name} 这个命令{maybe}。用 {command} -h 查看全部命令。",
                         "no such command: {name}{maybe}; see {command} -h"),
    "usage_did_you_mean": ("（是不是 {names}？）", " (did you mean {names}?)"),
    "usage_missing": ("缺少 {param}。用 {command} -h 查看用法。", "missing {param}; see {command} -h"),
    "usage_needs_value": ("选项 {option} 需要一个值。用 {command} -h 查看用法。",
                          "option {option} needs a value; see {command} -h"),
    "usage_takes_no_value": ("选项 {option} 不带值。用 {command} -h 查看用法。",
                             "option {option} takes no value; see {command} -h"),
    "usage_bad_value": ("{param} 的值无效：{value}{why}。用 {command} -h 查看用法。",
                        "invalid value for {param}: {value}{why}; see {command} -h"),
    "usage_choices": ("（可选：{choices}）", " (one of {choices})"),
    "usage_range": ("（应在 {range} 之间）", " (it must be within {range})"),
    "usage_whole": ("（应为整数）", " (a whole number)"),
    "usage_extra": ("多余的参数：{args}。用 {command} -h 查看用法。", "unexpected extra argument(s): {args}; see {command} -h"),
    "usage_other": ("命令行有误。用 {command} -h 查看用法。", "the command line is wrong; see {command} -h"),
})

"""Messages and words of `kehu undo`, `kehu redo` and the operation log.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nothing_to_undo": (
        "没有可以撤销的操作（kehu undo --list 列出最近的操作；person forget 之前的操作不能撤销）。",
        "Nothing to undo (kehu undo --list shows recent operations; nothing before a `person forget` can be undone).",
    ),
    "nothing_to_redo": (
        "没有可以重做的操作：只有刚撤销、其后还没有新改动的操作才能重做。",
        "Nothing to redo: only an operation just undone, with no new change since, can be redone.",
    ),
    "undo_later": (
        "不能撤销 #{id}（{command}）：之后 {actor} 的操作 #{later}（{later_command}）改动了同一客户。请先请对方撤销，或手动修改。",
        "Cannot undo #{id} ({command}): a later operation #{later} ({later_command}) by {actor} changed the same "
        "customer. Ask them to undo it first, or correct it by hand.",
    ),
    "undone": (
        "已撤销 #{id}（{command}，{when}，{actor}）{customers}：{summary}",
        "Undid #{id} ({command}, {when}, {actor}){customers}: {summary}",
    ),
    "redone": (
        "已重做 #{id}（{command}）{customers}：{summary}",
        "Redid #{id} ({command}){customers}: {summary}",
    ),
    "forget_final": (
        "注意：person forget 不能撤销，之前的操作也将不能再撤销。",
        "Note: `person forget` cannot be undone, and nothing before it can be undone afterwards.",
    ),
    "ops_none": ("还没有记录任何操作。", "No operation has been recorded yet."),
    "undo_limit_needs_list": ("--limit 只和 --list 一起用：kehu undo --list --limit {limit}。",
                              "--limit goes with --list: kehu undo --list --limit {limit}."),
    "op_summary_new": ("新增 {what}", "added {what}"),
    "op_summary_old": ("改动或删除 {what}", "changed or removed {what}"),
}

# The tables as the operation list names them, (zh, en).
TABLES: dict[str, tuple[str, str]] = {
    "customer": ("客户", "customer"),
    "person": ("决策人", "person"),
    "touchpoint": ("接触", "touchpoint"),
    "touchpoint_person": ("接触的参与人", "person met"),
    "promise": ("承诺", "promise"),
    "task_done": ("阶段任务", "stage task"),
    "event": ("历史记录", "history entry"),
    "contract": ("合同", "contract"),
    "instalment": ("回款计划", "instalment"),
    "negotiation_fact": ("谈判要点", "negotiation entry"),
    "negotiation_issue": ("谈判分歧", "disagreement"),
    "negotiation_option": ("谈判方案", "negotiation option"),
    "setting": ("设置", "setting"),
    "customer_alias": ("客户简称", "customer alias"),
    "touch_signal": ("客户信号", "customer signal"),
    "qualification": ("客户资格", "qualification fact"),
    "customer_complaint": ("投诉", "complaint"),
    "project_review": ("项目复盘", "project review"),
    "guide_mark": ("指南记录", "guide mark"),
}

STATES: dict[str, tuple[str, str]] = {
    "done": ("可撤销", "can be undone"),
    "undone": ("已撤销（可重做）", "undone (can be redone)"),
    "dropped": ("已撤销", "undone"),
    "sealed": ("不可撤销", "final"),
}

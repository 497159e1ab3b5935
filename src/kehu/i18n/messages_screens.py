"""Messages of the screens themselves: the groups of the cron mail (`kehu remind` piped),
the legends of numbers with units, the groups of the help.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "remind_head": ("{bucket}（{count} 项）", "{bucket} ({count})"),
    "remind_head_within": ("未来 {days} 天（{count} 项）", "Next {days} days ({count})"),
    "remind_mail_line": (
        "{id}  {due}{late}  {customer}  {kind}：{what}  紧迫度 {urgency}",
        "{id}  {due}{late}  {customer}  {kind}: {what}  urgency {urgency}",
    ),
}

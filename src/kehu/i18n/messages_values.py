"""Messages that refuse a value as typed: a date, an amount, a name, an id, a rating, an
enumerated value, an environment variable; and dates that contradict the history.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "empty_text": ("{field} 不能为空", "{field} cannot be empty"),
    "amount_too_large": (
        "金额 {value} 太大（最多 1000 亿）。",
        "The amount {value!r} is too large (at most 100,000,000,000).",
    ),
    "date_out_of_range": (
        "日期 {value} 超出范围（1900 至 2199 年）。",
        "The date {value} is out of range (years 1900 to 2199).",
    ),
    "date_before_history": (
        "{option} {value} 早于该客户的上一条记录（{last}）：历史只能按时间顺序补录。",
        "{option} {value} is before this customer's latest recorded event ({last}): history is back-filled in order.",
    ),
    "bad_enum": (
        "无法识别的{what}：{value}。可用：{accepted}",
        "Unknown {what}: {value}. Accepted: {accepted}",
    ),
    "bad_date": (
        "无法识别的日期：{value}。可用：2026-03-05、20261231、2026年3月5日、3月5日、12-31、今天、明天、后天、"
        "周五、下周三、上周五、下周、下个月、月底、年底、3天后、两周后、+3d、-1d（全部写法见 kehu 文档“日期”一节）",
        "Cannot read the date {value!r}. Use 2026-03-05, 20261231, 2026年3月5日, 3月5日, 12-31, today, "
        "tomorrow, 周五, 下周三, 下个月, 月底, +3d, +2w or -1d (every form: the Dates section of the docs)",
    ),
    "no_such_month": (
        "日期 {value} 不对：没有{month}月（月份是 1 到 12）。",
        "The date {value!r} is wrong: there is no month {month} (months are 1 to 12).",
    ),
    "no_such_day": (
        "日期 {value} 不对：{month}月没有{day}日。",
        "The date {value!r} is wrong: month {month} has no day {day}.",
    ),
    "not_leap_year": (
        "日期 {value} 不对：{year}年不是闰年，2月没有29日。",
        "The date {value!r} is wrong: {year} is not a leap year, February has no 29th.",
    ),
    "ambiguous_date": (
        "日期 {value} 有歧义（月/日还是日/月？）。请写成 2026-03-05 或 3月5日。",
        "The date {value!r} is ambiguous (month/day or day/month?). Write it as 2026-03-05 or 3月5日.",
    ),
    # The echo of a date typed in a relative or partial form, at the end of a confirmation.
    "dates_understood": ("（{items}）", " ({items})"),
    "date_understood": ("{typed}即 {day}", "{typed} = {day}"),
    "dates_joined": ("；", "; "),
    "bad_env": (
        "环境变量 {var}={value!r} 无效（应为 {expected}）。",
        "The environment variable {var}={value!r} is invalid (expected {expected}).",
    ),
    "bad_value": ("{field} 无效：{problem}", "Invalid {field}: {problem}"),
    "bad_signal_kind": (
        "无法识别的信号类型：{value}（可用：{kinds}；方向可加 :{directions}，即有利、不利、中性）",
        "Unknown signal kind {value!r} (use one of {kinds}, optionally with :{directions})",
    ),
    "future_date": (
        "{option} {value} 在未来：已发生的事不能记在今天之后。",
        "{option} {value} is in the future: only what has happened can be recorded.",
    ),
    "due_before_date": (
        "{option} {due} 早于接触日期 {day}。相对日期（+3d）从今天算起。",
        "{option} {due} is before the touchpoint's date {day}. Relative dates (+3d) count from today.",
    ),
    "kept_before_made": (
        "承诺 #{id} 是 {made} 做出的，不能在 {day} 兑现或作废。",
        "Promise #{id} was made on {made}; it cannot be settled on {day}.",
    ),
    "bad_amount": (
        "无法识别的金额：{value}。请写数字，如 120000 或 12.5万。",
        "Cannot read the amount {value!r}. Write a number such as 120000, 120,000 or 12万.",
    ),
    "bad_rating": (
        "专业评分应为 1 到 5 的整数，收到：{value}",
        "A competence rating is a whole number from 1 to 5, not {value!r}",
    ),
    "empty_name": ("名称不能为空。", "A name cannot be empty."),
    "name_control": (
        "{field} 含有控制字符或不可见字符 {char}：名称只能是可见的文字（终端会执行控制字符而不显示它，不可见字符会让两个名称看起来一样）。",
        "{field} contains {char}, a control character or an invisible one: a name is visible text only"
        " (a terminal acts on a control character instead of showing it; an invisible one makes two names look alike).",
    ),
    "too_long": (
        "{field} 太长（{length} 字符，最多 {limit}）。",
        "{field} is too long ({length} characters, at most {limit}).",
    ),
    "bad_id": ("编号应为正整数：{value}", "An id is a positive whole number, not {value!r}"),
    # contact details (kehu.rules.contacts): what cannot be a phone number, e-mail...
    "phone_bad_char": (
        "“{value}”不像电话号码：不能含有“{char}”（可写数字、空格、-、括号、开头的 +，以及分机：转 123、ext 123、x123）。",
        "{value!r} is not a phone number: it contains {char!r} (digits, spaces, dashes, brackets, a leading +"
        " and an extension such as ext 123 or x123 are fine).",
    ),
    "phone_few_digits": (
        "“{value}”不像电话号码：至少要有 {least} 位数字。",
        "{value!r} is not a phone number: it needs at least {least} digits.",
    ),
    "phone_many_digits": (
        "“{value}”不像电话号码：最多 {most} 位数字。",
        "{value!r} is not a phone number: it has more than {most} digits.",
    ),
    "email_bad": (
        "“{value}”不像邮箱地址：应有一个 @，@ 后是带点的域名，如 zhang@example.com。",
        "{value!r} is not an e-mail address: it needs one @ followed by a domain with a dot, e.g. zhang@example.com.",
    ),
    "wechat_bad": (
        "“{value}”不像微信号：微信号由字母、数字、_ 和 - 组成，也可以填绑定的手机号。",
        "{value!r} is not a WeChat ID: one is letters, digits, _ and -, or the phone number it is registered to.",
    ),
    "website_bad": (
        "“{value}”不像网址：如 www.example.com 或 https://example.com/cn。",
        "{value!r} is not a web address: write e.g. www.example.com or https://example.com/cn.",
    ),
}

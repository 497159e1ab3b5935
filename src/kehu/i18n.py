"""Every word kehu shows, in Chinese and English, and the parsing of enumerated values.

Enumerated values have a stable English key (code, JSON, CSV) and labels in both
languages. Input accepts the key, either label, or a short form a salesperson types
(峰会 for 举行高层峰会). Messages are looked up by key and formatted with parameters.
"""

from __future__ import annotations

import os
import unicodedata

from kehu.rules.domain import ENUMS

LANGS = ("zh", "en")

# key -> (zh label, en label, extra accepted short forms...)
LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "stage": {
        "stranger": ("陌生期", "stranger", "陌生"),
        "acquainted": ("建立期", "acquainted", "建立"),
        "evaluation": ("考察期", "evaluation", "考察"),
        "growth": ("成长期", "growth", "成长"),
        "mature": ("成熟期", "mature", "成熟"),
    },
    "task": {
        "plan": ("客户规划", "account planning", "规划"),
        "call": ("电话邀约", "phone invitation", "邀约", "电话"),
        "visit": ("客户拜访", "customer visit", "拜访"),
        "survey": ("初步调研", "initial survey", "调研"),
        "draft": ("提交初步方案", "preliminary proposal", "初步方案"),
        "demo": ("方案演示", "solution demo", "演示"),
        "tech": ("技术交流", "technical exchange"),
        "needs": ("需求分析", "needs analysis"),
        "proposal": ("正式方案/应标", "formal proposal or bid", "正式方案", "应标"),
        "assess": ("项目评估", "project assessment", "评估"),
        "negotiate": ("商务谈判", "commercial negotiation", "谈判"),
        "sign": ("签约成交", "signing", "签约", "成交"),
    },
    "lifecycle": {
        "prospect": ("潜在客户", "prospect", "潜在"),
        "target": ("目标客户", "target", "目标"),
        "existing": ("存量客户", "existing", "存量"),
    },
    "customer_kind": {
        "consumer": ("消费者客户", "consumer", "消费者"),
        "business": ("商业型客户", "business", "商业", "商业型"),
        "internal": ("内部客户", "internal", "内部"),
    },
    "relationship_level": {
        "transactional": ("买卖关系", "transactional", "买卖"),
        "preferred": ("优先供应商", "preferred supplier", "供应关系", "供应", "优先"),
        "partner": ("合作伙伴", "partner", "伙伴"),
        "alliance": ("战略联盟", "strategic alliance", "联盟"),
    },
    "person_level": {
        "executive": ("高层", "executive"),
        "middle": ("中层", "middle"),
        "staff": ("基层", "staff"),
    },
    "role": {
        "decider": ("决策者", "decider", "决策"),
        "influencer": ("决策影响者", "influencer", "影响者"),
        "technical": ("技术把关", "technical gatekeeper", "技术"),
        "user": ("使用者", "user", "使用"),
        "procurement": ("采购", "procurement"),
        "coach": ("内线", "coach"),
    },
    "attitude": {
        "support": ("支持", "supports us"),
        "neutral": ("中立", "neutral"),
        "oppose": ("反对", "opposes us"),
    },
    "touch_kind": {
        "daily": ("日常拜访交流", "daily contact", "日常", "日常交流", "电话", "微信", "邮件"),
        "topic": ("正式专题交流", "formal topic session", "专题", "专题交流"),
        "showcase": ("参观体验", "reference-site visit", "参观"),
        "team_event": ("组织团队活动", "team event", "团队活动", "团建"),
        "joint_launch": ("联合发布", "joint launch"),
        "exec_letter": ("高层发送信函", "executive letter", "高层信函", "信函"),
        "hq_visit": ("邀请公司考察", "visit to our company", "公司考察", "考察公司"),
        "exec_visit": ("策划高层拜访", "executive visit", "高层拜访"),
        "forum": ("参加展会论坛/管理研讨", "trade show or forum", "展会", "论坛", "研讨"),
        "summit": ("举行高层峰会", "executive summit", "高层峰会", "峰会"),
    },
    "promise_state": {
        "open": ("待兑现", "open"),
        "overdue": ("已逾期", "overdue"),
        "kept": ("已兑现", "kept"),
        "broken": ("未兑现", "broken"),
    },
    "profit": {"high": ("高", "high"), "low": ("低", "low")},
    "cost": {"low": ("低", "low"), "high": ("高", "high")},
    "tier": {
        "platinum": ("白金", "platinum"),
        "gold": ("黄金", "gold"),
        "iron": ("铁", "iron"),
        "lead": ("铅", "lead"),
    },
    "cell": {
        "best": ("最佳客户", "best", "最佳"),
        "invest": ("投资", "invest"),
        "keep": ("保留", "keep"),
        "worst": ("最糟糕", "worst", "最差"),
    },
    "bucket": {
        "overdue": ("已逾期", "overdue", "逾期"),
        "today": ("今天", "today"),
        "upcoming": ("即将到期", "upcoming"),
    },
    "item_kind": {
        "promise": ("承诺", "promise"),
        "receivable": ("应收款", "receivable"),
        "next_step": ("下一步", "next step"),
        "aftercare": ("成交回访", "after-sale visit"),
        "cadence": ("定期联系", "keep in touch"),
        "task": ("阶段任务", "stage task"),
        "trust": ("信用短板", "trust"),
        "decider": ("决策者空档", "decider gap"),
    },
    "factor": {
        "competence": ("专业能力", "competence", "专业"),
        "reliability": ("靠谱", "reliability", "可靠"),
        "connection": ("连接度", "connection", "连接"),
        "time": ("时间", "time"),
    },
}

ENUM_NAMES = {
    "stage": ("阶段", "stage"),
    "task": ("任务", "task"),
    "customer_kind": ("客户类型", "customer kind"),
    "relationship_level": ("关系类型", "relationship level"),
    "person_level": ("层级", "level"),
    "role": ("角色", "buying role"),
    "attitude": ("态度", "attitude"),
    "touch_kind": ("接触方式", "touchpoint kind"),
    "lifecycle": ("生命周期", "lifecycle"),
    "promise_state": ("承诺状态", "promise state"),
    "factor": ("因素", "factor"),
    "lang": ("语言", "language"),
    "profit": ("盈利水平", "profitability"),
    "cost": ("服务成本", "service cost"),
    "tier": ("层级", "tier"),
    "cell": ("盈利象限", "profitability cell"),
    "bucket": ("时段", "bucket"),
    "item_kind": ("事项", "item kind"),
}

# Column headings and field names shown in tables.
WORDS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "name": ("名称", "Name"),
    "customer": ("客户", "Customer"),
    "industry": ("行业", "Industry"),
    "region": ("地区", "Region"),
    "kind": ("类型", "Kind"),
    "level": ("关系类型", "Level"),
    "value": ("年价值", "Annual value"),
    "owner": ("负责人", "Owner"),
    "note": ("备注", "Note"),
    "stage": ("阶段", "Stage"),
    "lifecycle": ("生命周期", "Lifecycle"),
    "trust": ("信用", "Trust"),
    "weakest": ("短板", "Weakest"),
    "last_touch": ("最近接触", "Last touch"),
    "status": ("状态", "Status"),
    "terminated": ("已终止", "terminated"),
    "title": ("职位", "Title"),
    "dept": ("部门", "Department"),
    "person_level": ("层级", "Level"),
    "role": ("角色", "Role"),
    "attitude": ("态度", "Attitude"),
    "competence": ("专业评分", "Competence"),
    "kpi": ("KPI", "KPIs"),
    "pain": ("痛点", "Pain points"),
    "interest": ("关注点", "Interests"),
    "style": ("沟通偏好", "Communication"),
    "private": ("私密信息", "Private"),
    "people": ("决策人", "People"),
    "date": ("日期", "Date"),
    "touch_kind": ("方式", "Kind"),
    "with": ("接触人", "With"),
    "signals": ("信号", "Signals"),
    "next": ("下一步", "Next step"),
    "due": ("截止", "Due"),
    "promise": ("承诺", "Promise"),
    "task": ("任务", "Task"),
    "done": ("完成", "Done"),
    "event": ("事件", "Event"),
    "reason": ("原因", "Reason"),
    "when": ("时间", "When"),
    "detail": ("详情", "Detail"),
    "factor": ("因素", "Factor"),
    "score": ("得分", "Score"),
    "touches": ("接触次数", "Touches"),
    "suggestions": ("建议", "Suggestions"),
    "tasks": ("阶段任务", "Stage tasks"),
    "touchpoints": ("接触记录", "Touchpoints"),
    "promises": ("承诺", "Promises"),
    "key": ("设置项", "Key"),
    "setting_value": ("值", "Value"),
    "default": ("默认", "Default"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "kept_on": ("兑现日期", "Kept on"),
    "made_on": ("承诺日期", "Made on"),
    "forced": ("强制", "forced"),
    "created": ("建档时间", "Added"),
    "single_point": ("单点依赖", "Single point of contact"),
    "tier": ("层级", "Tier"),
    "cell": ("盈利象限", "Profitability"),
    "count": ("客户数", "Customers"),
    "customer_share": ("客户占比", "Share of customers"),
    "value_share": ("价值占比", "Share of value"),
    "warnings": ("提醒", "Warnings"),
    "bucket": ("时段", "When"),
    "item": ("事项", "Item"),
    "what": ("内容", "What"),
    "urgency": ("紧迫度", "Urgency"),
    "why": ("原因", "Why"),
    "now": ("当前", "Now"),
    "reached": ("曾到达", "Reached"),
    "conversion": ("转化率", "To next"),
    "median_days": ("中位天数", "Median days"),
    "going_cold": ("变冷的客户", "Going cold"),
    "effort": ("近12月投入", "Effort (12 mo)"),
    "profit_now": ("当前盈利", "Current profit"),
    "profit_future": ("未来潜力", "Future potential"),
    "service_cost": ("服务成本", "Service cost"),
    "added_on": ("建档日期", "Added on"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "created": ("建档", "added"),
    "advanced": ("推进", "advanced"),
    "forced": ("强制推进", "advanced by force"),
    "dropped": ("终止", "terminated"),
    "reopened": ("重启", "reopened"),
    "task_done": ("完成任务", "task done"),
    "edited": ("修改", "edited"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "no_book": (
        "账本不存在：{path}。先用 kehu add 建一个，或用 --db 指定已有账本。",
        "No account book at {path}. Create one with `kehu add`, or point --db at an existing book.",
    ),
    # CSV
    "csv_encoding": (
        "{file} 不是 UTF-8、UTF-16 或 GBK/GB18030 编码：请用 --encoding 指定（如 --encoding big5）。",
        "{file} is not UTF-8, UTF-16 or GBK/GB18030: name its encoding with --encoding (e.g. --encoding big5).",
    ),
    "csv_bad_encoding": ("未知编码：{encoding}", "Unknown encoding {encoding!r}"),
    "csv_syntax": ("{file}:{line}: CSV 格式错误（{error}）", "{file}:{line}: not valid CSV ({error})"),
    "csv_missing": ("找不到文件：{file}", "No such file: {file}"),
    "csv_empty": ("{file} 是空文件。", "{file} is empty."),
    "csv_empty_folder": (
        "{folder} 里没有 customers.csv、people.csv、touchpoints.csv 或 promises.csv。",
        "{folder} holds none of customers.csv, people.csv, touchpoints.csv, promises.csv.",
    ),
    "csv_header_unknown": (
        "{file} 的表头不认识（{header}）：编码可能不对，请用 --encoding 指定。",
        "{file}: the header names no known column ({header}): the encoding may be wrong; name it with --encoding.",
    ),
    "csv_no_table": (
        "{file}：无法从表头判断是哪张表，请用 --table 指定。",
        "{file}: the header does not tell which table this is: name it with --table.",
    ),
    "csv_ambiguous_table": (
        "{file}：表头同时符合 {tables}，请用 --table 指定。",
        "{file}: the header fits {tables}: name the table with --table.",
    ),
    "csv_unknown_columns": (
        "{file}：未知的列 {columns}。可用：{accepted}",
        "{file}: unknown column(s) {columns}. Accepted: {accepted}",
    ),
    "csv_missing_columns": ("{file}：缺少必需的列 {columns}", "{file}: required column(s) missing: {columns}"),
    "csv_duplicate_columns": ("{file}：列重复 {columns}", "{file}: column(s) given twice: {columns}"),
    "csv_field_count": ("应有 {expected} 个字段，实际 {found} 个", "expected {expected} fields, found {found}"),
    "csv_duplicate_row": ("与文件中前面的一行重复", "duplicates an earlier row of this file"),
    "csv_unknown_customer": (
        "没有名为 {name} 的客户（可加 --create-missing 自动创建）",
        "no customer named {name!r} (add --create-missing to create it)",
    ),
    "csv_unknown_person": (
        "该客户没有名为 {name} 的决策人（可加 --create-missing）",
        "this customer has no person {name!r} (add --create-missing to create them)",
    ),
    "csv_unknown_touchpoint": ("该客户没有编号为 {id} 的接触", "this customer has no touchpoint {id}"),
    "csv_name_taken": ("名称 {name} 已属于客户 #{id}", "the name {name!r} already belongs to customer #{id}"),
    "csv_stage_differs": (
        "账本里是 {stage}：阶段只能用 kehu advance / drop / reopen 改变",
        "the book has {stage}: change stages with kehu advance / drop / reopen",
    ),
    "csv_next_pair": ("下一步和截止日期要一起填", "next and next_due go together"),
    "csv_required": ("必填", "required"),
    "csv_kept_and_broken": ("不能既兑现又作废", "cannot be both kept and broken"),
    "csv_before_made": ("早于承诺日期 {made}", "before the day it was made ({made})"),
    "csv_failed": (
        "{count} 处错误，未写入任何内容。",
        "{count} problem(s): nothing was written.",
    ),
    "csv_more_errors": ("……另有 {count} 处错误", "... and {count} more"),
    "csv_done": (
        "{file}（{table}）：新增 {new}，更新 {updated}，未变 {unchanged}",
        "{file} ({table}): {new} new, {updated} updated, {unchanged} unchanged",
    ),
    "csv_dry_run": ("（试运行：未写入任何内容）", "(dry run: nothing was written)"),
    "csv_private_warning": (
        "注意：导出包含决策人的私密信息，请妥善保管该文件。",
        "Warning: the export includes people's private details; keep the file safe.",
    ),
    "csv_needs_out": ("导出全部表需要 --out 目录。", "Exporting every table needs --out DIR."),
    "empty_db_path": ("--db 不能为空。", "--db cannot be empty."),
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
    "bad_text": (
        "参数里有无法识别的字符（不是 UTF-8）：请检查终端编码。",
        "An argument is not valid text (not UTF-8): check the terminal's encoding.",
    ),
    "no_match": ("没有符合条件的客户。", "No customer matches these filters."),
    "book_dir_failed": (
        "无法创建账本目录 {path}：{error}",
        "Cannot create the book's folder {path}: {error}",
    ),
    "not_a_book": (
        "{path} 不是 kehu 账本（{why}）。请检查 --db 路径。",
        "{path} is not a kehu account book ({why}). Check the --db path.",
    ),
    "newer_schema": (
        "账本 {path} 的结构版本 {found} 比本程序支持的 {supported} 新，请升级 kehu。",
        "The book {path} has schema version {found}, newer than this kehu's {supported}: upgrade kehu.",
    ),
    "busy": (
        "账本正被另一个 kehu 进程占用，请稍后重试。",
        "The book is locked by another kehu process; try again in a moment.",
    ),
    "read_only": (
        "账本 {path} 是只读的，无法写入。请检查文件权限。",
        "The book {path} is read-only; check its file permissions.",
    ),
    "io_error": ("读写账本失败：{error}", "Reading or writing the book failed: {error}"),
    "db_error": (
        "账本操作失败（{error}）。",
        "The book could not be used ({error}).",
    ),
    "internal_error": (
        "kehu 内部错误（{error}）。请报告此问题；设置 KEHU_DEBUG=1 可看到详细信息。",
        "Internal error in kehu ({error}). Please report it; KEHU_DEBUG=1 shows the details.",
    ),
    "interrupted": ("已中断，未写入任何内容。", "Interrupted; nothing was written."),
    "bad_enum": (
        "无法识别的{what}：{value}。可用：{accepted}",
        "Unknown {what}: {value}. Accepted: {accepted}",
    ),
    "bad_date": (
        "无法识别的日期：{value}。可用格式：2026-03-05、2026/3/5、2026年3月5日、3月5日、今天、明天、+3d、+2w、-1d",
        "Cannot read the date {value!r}. Use 2026-03-05, 2026/3/5, 2026年3月5日, 3月5日, today, tomorrow, +3d, +2w or -1d",
    ),
    "ambiguous_date": (
        "日期 {value} 有歧义（月/日还是日/月？）。请写成 2026-03-05 这样的形式。",
        "The date {value!r} is ambiguous (month/day or day/month?). Write it as 2026-03-05.",
    ),
    "bad_env": (
        "环境变量 {var}={value!r} 无效（应为 {expected}）。",
        "The environment variable {var}={value!r} is invalid (expected {expected}).",
    ),
    "bad_value": ("{field} 无效：{problem}", "Invalid {field}: {problem}"),
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
    "too_long": (
        "{field} 太长（{length} 字符，最多 {limit}）。",
        "{field} is too long ({length} characters, at most {limit}).",
    ),
    "customer_exists": (
        "客户已存在：#{id} {name}（名称规范化后相同）。用 kehu edit 修改它。",
        "A customer with that name already exists: #{id} {name}. Use `kehu edit` to change it.",
    ),
    "customer_not_found": (
        "找不到客户：{ref}。用 kehu list 查看全部客户。",
        "No customer matches {ref!r}. `kehu list` shows them all.",
    ),
    "customer_ambiguous": (
        "“{ref}” 匹配多个客户：{candidates}。请写完整名称或编号。",
        "{ref!r} matches several customers: {candidates}. Use the full name or the id.",
    ),
    "customer_id_or_name": (
        "“{ref}” 既是客户 #{ref}（{by_id}）的编号，又是客户 #{other} 的名称：请写 #{ref} 或 #{other}。",
        "{ref!r} is both the id of #{ref} ({by_id}) and the name of #{other}: write '#{ref}' or '#{other}'.",
    ),
    "person_exists": (
        "{customer} 已有决策人 {name}（#{id}）。用 kehu person edit 修改。",
        "{customer} already has a person named {name} (#{id}). Use `kehu person edit`.",
    ),
    "person_not_found": (
        "{customer} 没有名为 {ref} 的决策人。用 kehu person list {customer} 查看。",
        "{customer} has no person {ref!r}. `kehu person list` shows them.",
    ),
    "person_ambiguous": (
        "“{ref}” 匹配 {customer} 的多位决策人：{candidates}。",
        "{ref!r} matches several people at {customer}: {candidates}.",
    ),
    "promise_not_found": (
        "找不到承诺 #{id}。用 kehu promise list 查看。",
        "No promise #{id}. `kehu promise list` shows them.",
    ),
    "promise_closed": (
        "承诺 #{id} 已经是“{state}”，不能再改。",
        "Promise #{id} is already {state}; it cannot change again.",
    ),
    "next_needs_due": (
        "--next 和 --next-due 要一起给。",
        "--next and --next-due go together.",
    ),
    "promise_needs_due": (
        "--promise 和 --promise-due 要一起给。",
        "--promise and --promise-due go together.",
    ),
    "force_needs_reason": (
        "强制推进需要用 --reason 说明理由。",
        "--force needs --reason to say why the gate is overridden.",
    ),
    "drop_needs_reason": (
        "终止客户关系需要用 --reason 说明原因。",
        "Terminating a relationship needs --reason.",
    ),
    "nothing_to_edit": (
        "没有要修改的内容：请至少给出一个选项。",
        "Nothing to change: give at least one option.",
    ),
    "task_already_done": (
        "任务“{task}”已于 {date} 完成。",
        "Task {task} was already done on {date}.",
    ),
    "advance_refused": (
        "不能从{from_stage}推进到{to_stage}：{reasons}",
        "Cannot advance from {from_stage} to {to_stage}: {reasons}",
    ),
    "advance_refused_hard": ("不能推进：{reasons}", "Cannot advance: {reasons}"),
    "blocked_terminated": (
        "客户关系已终止，先用 kehu reopen 重启",
        "the relationship is terminated (reopen it first)",
    ),
    "blocked_final_stage": ("已是最后阶段{stage}", "already at the last stage, {stage}"),
    "blocked_task": ("任务“{task}”未完成", "task {task} is not done"),
    "blocked_trust": (
        "信用 {score} 低于进入成长期所需的 {threshold}",
        "trust {score} is below the {threshold} needed for growth",
    ),
    "blocked_contract": (
        "还没有已签合同（成熟期的唯一标志）",
        "no signed contract yet (the only mark of maturity)",
    ),
    "already_terminated": ("客户关系已经终止。", "The relationship is already terminated."),
    "not_terminated": ("客户关系没有终止，无需重启。", "The relationship is not terminated."),
    "bad_config_key": (
        "未知设置项：{key}。可用：{accepted}",
        "Unknown setting {key!r}. Settings: {accepted}",
    ),
    "bad_config_value": (
        "设置 {key} 的值无效：{value}（{expected}）",
        "Invalid value {value!r} for {key} ({expected})",
    ),
    "bad_id": ("编号应为正整数：{value}", "An id is a positive whole number, not {value!r}"),
    # confirmations (stderr)
    "added_customer": ("已添加客户 #{id} {name}（{stage}）", "Added customer #{id} {name} ({stage})"),
    "edited_customer": ("已更新客户 #{id} {name}", "Updated customer #{id} {name}"),
    "added_person": ("已为 {customer} 添加决策人 {name}", "Added {name} at {customer}"),
    "edited_person": ("已更新 {customer} 的 {name}", "Updated {name} at {customer}"),
    "rated_person": (
        "{name} 的专业评分：{score}/5",
        "{name}'s view of our competence: {score}/5",
    ),
    "added_touch": (
        "已记录 {customer} 的接触 #{id}（{kind}，{date}）",
        "Recorded touchpoint #{id} with {customer} ({kind}, {date})",
    ),
    "added_promise": (
        "已记录承诺 #{id}，{due} 到期",
        "Recorded promise #{id}, due {due}",
    ),
    "promise_marked": ("承诺 #{id}：{state}", "Promise #{id}: {state}"),
    "promise_late": (
        "（晚于截止日 {due}，不计为按时兑现）",
        "(after its due date {due}: it does not count as kept on time)",
    ),
    "task_marked": ("{customer}：任务“{task}”已完成", "{customer}: task {task} done"),
    "task_other_stage": (
        "提示：该任务属于{stage}，客户当前在{current}。",
        "Note: this task belongs to {stage}; the customer is in {current}.",
    ),
    "advanced": ("{customer}：{from_stage} → {to_stage}", "{customer}: {from_stage} → {to_stage}"),
    "advanced_forced": (
        "{customer}：{from_stage} → {to_stage}（强制：{reason}；已绕过：{reasons}）",
        "{customer}: {from_stage} → {to_stage} (forced: {reason}; overrode: {reasons})",
    ),
    "dropped": ("{customer}：已终止于{stage}（{reason}）", "{customer}: terminated in {stage} ({reason})"),
    "reopened": ("{customer}：已重启，回到{stage}", "{customer}: reopened in {stage}"),
    "config_set": ("{key} = {value}", "{key} = {value}"),
    "no_customers": ("账本里还没有客户。", "No customers yet."),
    "created_book": ("已新建账本：{path}", "Created a new account book: {path}"),
    # tiers, follow-ups, funnel
    "followup_not_found": ("找不到待办 {id}。用 kehu remind 查看。", "No follow-up {id}. `kehu remind` lists them."),
    "followup_other_customer": ("待办 {id} 不属于 {customer}。", "Follow-up {id} is not {customer}'s."),
    "followup_closed": ("待办 {id} 已于 {date} 完成。", "Follow-up {id} was already done on {date}."),
    "followup_cadence": (
        "{id} 是定期联系提醒：记录一次接触（kehu touch）就会消除。",
        "{id} is a keep-in-touch reminder: recording a touchpoint (kehu touch) clears it.",
    ),
    "followup_suggestion": (
        "{id} 是 kehu next 给出的建议：照着做（kehu done / kehu touch），它就会消失。",
        "{id} is a suggestion from kehu next: act on it (kehu done, kehu touch) and it goes away.",
    ),
    "follows_needs_next_step": (
        "--follows 只接受下一步编号（如 N12），收到：{value}。兑现承诺请用 kehu promise kept。",
        "--follows takes a next-step id such as N12, not {value!r}; to keep a promise use `kehu promise kept`.",
    ),
    "cannot_write_file": ("无法写入 {path}：{error}", "Cannot write {path}: {error}"),
    "next_trust": ("信用 {score}，短板是{factor}：{tip}", "trust {score}, weakest factor {factor}: {tip}"),
    "followup_bad_id": (
        "无法识别的待办编号：{value}（形如 N12、P3、C5）。",
        "Not a follow-up id: {value!r} (they look like N12, P3, C5).",
    ),
    "followup_done": ("{id} 已完成：{text}", "{id} done: {text}"),
    "followup_closed_by_touch": ("{id} 已由这次接触完成", "{id} is done by this touchpoint"),
    "cadence_text": (
        "上次接触 {since}，已 {days} 天（{tier}客户每 {cadence} 天联系一次）",
        "last touch {since}, {days} days ago ({tier} customers: every {cadence} days)",
    ),
    "cadence_never": (
        "建档 {since} 后还没有接触（{tier}客户每 {cadence} 天联系一次）",
        "not touched since added on {since} ({tier} customers: every {cadence} days)",
    ),
    "bad_within": ("无法识别的时间窗：{value}（如 7d、2w、0）。", "Cannot read the window {value!r} (use 7d, 2w or 0)."),
    "ics_written": ("已写入日历文件：{path}（{count} 项）", "Wrote {count} item(s) to the calendar file {path}"),
    "tier_explain": (
        "{name}：价值 {value}，{above} 个客户价值更高（共 {total} 个，占 {share:.1f}%），"
        "因此为{tier}（白金 <{c1:g}%，黄金 <{c2:g}%，铁 <{c3:g}%，其余为铅）。",
        "{name}: value {value}; {above} of {total} customers rank strictly above it ({share:.1f}%), "
        "so it is {tier} (platinum < {c1:g}%, gold < {c2:g}%, iron < {c3:g}%, else lead).",
    ),
    "tier_explain_zero": (
        "{name}：没有价值记录（--value），因此为铅。",
        "{name}: no value recorded (--value), so it is lead.",
    ),
    "tier_explain_terminated": (
        "{name}：客户关系已终止，不参与分层。",
        "{name}: the relationship is terminated, so it has no tier.",
    ),
    "warn_level_too_high": (
        "关系类型“{level}”对{tier}客户来说过高：合作伙伴及以上只适合双方都很重要的客户",
        "relationship level {level} is more than the {tier} tier justifies: partner and above fit only customers who matter to both sides",
    ),
    "warn_overspend": (
        "近12个月投入 {effort}，远超{tier}客户应有的约 {expected}：投入超过回报是奢侈",
        "effort in the last 12 months is {effort}, far above the ~{expected} the {tier} tier warrants: spending more than it returns",
    ),
    "warn_underserved": (
        "近12个月投入仅 {effort}，{tier}客户应有约 {expected}：重点客户被冷落",
        "effort in the last 12 months is only {effort}; the {tier} tier warrants ~{expected}: a key customer is being neglected",
    ),
    "warn_worst_partner": (
        "当前和未来盈利都低，却维持“{level}”关系：考虑降级",
        "both current and future profit are low, yet the relationship is {level}: consider stepping it down",
    ),
    "next_task": ("下一项阶段任务：{task}", "next stage task: {task}"),
    "next_decider_silent": (
        "{days} 天没有接触任何决策者：安排一次高层拜访",
        "no contact with any decider for {days} days: plan an executive visit",
    ),
    "next_decider_none": (
        "还没有接触过决策者：弄清谁拍板，并安排高层拜访",
        "no decider met yet: find out who decides and plan an executive visit",
    ),
    "cold_line": ("{name}：在{stage}已 {days} 天（阈值 {limit} 天）", "{name}: {days} days in {stage} (threshold {limit})"),
    # trust suggestions
    "tip_rate_people": (
        "给 {names} 打专业评分（kehu person rate），让专业能力有据可依",
        "rate how {names} see our competence (kehu person rate)",
    ),
    "tip_show_expertise": (
        "{name} 对我们的专业评价最低：安排一次正式专题交流或参观样板客户",
        "{name} rates our competence lowest: arrange a formal topic session or a reference-site visit",
    ),
    "tip_add_people": (
        "还没有记录任何决策人：先弄清谁决策、谁影响、谁把关",
        "no people recorded: find out who decides, who influences and who checks",
    ),
    "tip_keep_overdue": (
        "有 {count} 个承诺已过期未兑现：尽快兑现，或主动说明并重新约定",
        "{count} promise(s) are past due: keep them now, or explain and agree a new date",
    ),
    "tip_make_promises": (
        "还没有承诺记录：做出小而具体的承诺并按时兑现，靠谱是做出来的",
        "no promises recorded: make small, concrete promises and keep them on time",
    ),
    "tip_keep_promises": (
        "按时兑现 {kept} 个、未兑现 {broken} 个：只承诺做得到的事，并按时做到",
        "{kept} kept on time, {broken} not: promise only what you can deliver, then deliver on time",
    ),
    "tip_first_contact": (
        "还没有任何接触：先打个电话或上门拜访，建立第一次联系",
        "no contact yet: call or visit to make a first contact",
    ),
    "tip_no_recent_contact": (
        "近期没有接触（上次在 {days} 天前）：尽快安排一次拜访",
        "no recent contact (last one {days} days ago): arrange a visit soon",
    ),
    "tip_deeper_kind": (
        "试试更深的接触方式，例如“{kind}”",
        "try a deeper kind of contact, such as {kind}",
    ),
    "tip_reach_levels": (
        "近期没有接触到这些层级：{levels}",
        "no recent contact at these levels: {levels}",
    ),
    "tip_time": (
        "关系才 {days} 天：日久见人心，保持稳定的接触节奏",
        "the relationship is {days} days old: trust takes time, keep a steady rhythm",
    ),
    "tip_name_people": (
        "近期接触没有记下见了谁：用 --with 记录接触人，才能看出多点支持",
        "recent touchpoints name nobody: record who you met with --with, to see your support",
    ),
    "tip_single_point": (
        "信用只系于一人：在高层、中层、基层多建立几个支持点",
        "trust rests on one person: build support at several levels",
    ),
}


def current_lang(explicit: str | None = None) -> str:
    """--lang, else KEHU_LANG, else the locale: zh* gives Chinese, anything else English."""
    for value in (explicit, os.environ.get("KEHU_LANG")):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _index(lang: str) -> int:
    return 0 if lang == "zh" else 1


def label(enum: str, key: str | None, lang: str) -> str:
    if key is None:
        return ""
    entry = LABELS.get(enum, {}).get(key)
    return entry[_index(lang)] if entry else key


def word(key: str, lang: str) -> str:
    return WORDS[key][_index(lang)]


def event_label(key: str, lang: str) -> str:
    entry = EVENTS.get(key)
    return entry[_index(lang)] if entry else key


def message(key: str, lang: str, /, **params: object) -> str:
    template = MESSAGES.get(key)
    if template is None:
        return key
    return template[_index(lang)].format(**params)


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold().replace("-", "_").replace(" ", "_")


_ALIASES: dict[str, dict[str, str]] = {}


def _aliases(enum: str) -> dict[str, str]:
    table = _ALIASES.get(enum)
    if table is None:
        table = {}
        for key in ENUMS[enum]:
            table[_fold(key)] = key
            for form in LABELS.get(enum, {}).get(key, ()):
                table.setdefault(_fold(form), key)
        _ALIASES[enum] = table
    return table


def accepted(enum: str, lang: str) -> str:
    return ", ".join(f"{k} ({label(enum, k, 'zh')})" for k in ENUMS[enum])


def parse_enum(enum: str, value: str, lang: str = "en") -> str:
    """Turn a key, a label or a short form into the stable key, or raise UsageError."""
    from kehu.errors import UsageError

    key = _aliases(enum).get(_fold(value))
    if key is None:
        what = ENUM_NAMES[enum][_index(lang)]
        raise UsageError("bad_enum", what=what, value=value, accepted=accepted(enum, lang))
    return key

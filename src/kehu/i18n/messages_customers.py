"""Messages about customers and their people, touchpoints, promises and stages; settings
and playbooks; confirmations; tiers, follow-ups and the funnel; trust suggestions;
the team's ownership and public pool.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # customers, people, touchpoints, promises, stages; settings and playbooks
    "because": ("依据：{what}", "because: {what}"),
    "signals_view": ("从近期信号看，客户的真实态度：{view}", "What the current signals say of the customer's real view: {view}"),
    "signals_people": ("各人：{who}", "by person: {who}"),
    "likely_cause": ("可能的原因：{cause}（{what}）", "likely cause: {cause} ({what})"),
    "no_match": ("没有符合条件的客户。", "No customer matches these filters."),
    "timeline_empty": ("{name} 在这段时间里没有任何记录。", "Nothing recorded for {name} in that time."),
    "search_none": ("没有找到“{text}”。", "Nothing found for \"{text}\"."),
    "search_more": ("只列出前 {n} 条；用 --limit 看更多。", "Showing the first {n} hits; use --limit for more."),
    "search_empty": ("要搜索的文字不能为空。", "The text to search for is empty."),
    "search_bad_in": ("--in 不认识 {value}；可用：{allowed}。", "--in does not know {value}; use: {allowed}."),
    "search_bad_limit": ("--limit 必须是正整数，而不是 {value}。", "--limit must be a positive whole number, not {value}."),
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
        "信用 {score} 低于进入成长期所需的 {threshold}（kehu 自定的门槛，trust.threshold）",
        "trust {score} is below the {threshold} needed for growth (kehu's own threshold, trust.threshold)",
    ),
    "blocked_qualification": (
        "资格未确认：{fact}为“{verdict}”（进入成长期前要确认需求、支付能力和付款信用，用 kehu qualify 记录）",
        "not qualified: {fact} is {verdict} (need, ability to pay and payment credit must be good before "
        "growth; record them with kehu qualify)",
    ),
    "assess_evaluators_against": (
        "评估小组倾向不利（{against} 人反对、{support} 人支持），项目评估还不能算完成；确有理由请加 --force --reason",
        "the evaluation team leans against us ({against} oppose, {support} support), so the project assessment "
        "is not done yet; to record it anyway, add --force --reason",
    ),
    "qualified": ("{customer}：{fact}记为“{verdict}”", "{customer}: {fact} recorded as {verdict}"),
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
    "bad_stored_setting": (
        "账本中设置 {key} 的值 {value!r} 无效（应为：{expected}）；请用 kehu config set {key} 重新设定",
        "The book holds an invalid value {value!r} for the setting {key} ({expected}); set it again with kehu config set {key}",
    ),
    "bad_config_value": (
        "设置 {key} 的值无效：{value}（{expected}）",
        "Invalid value {value!r} for {key} ({expected})",
    ),
    "bad_cell_order": (
        "设置 {key} 为 {value} 会打乱盈利象限的顺序（须 最糟糕 ≤ 保留 ≤ 投资，保留 ≤ 最佳）：{factors}",
        "Setting {key} to {value} breaks the order of the profitability cells "
        "(worst ≤ keep ≤ invest, keep ≤ best): {factors}",
    ),
    "playbook_unknown": (
        "没有这个应对主题：{topic}。可用：{accepted}",
        "No playbook for {topic!r}. Topics: {accepted}",
    ),
    "playbook_ambiguous": (
        "“{topic}”可能指几个应对主题：{matches}。请写明其中一个。",
        "{topic!r} could mean several playbooks: {matches}. Name one.",
    ),
    # confirmations (stderr)
    "added_customer": ("已添加客户 #{id} {name}（{stage}）", "Added customer #{id} {name} ({stage})"),
    "edited_customer": ("已更新客户 #{id} {name}", "Updated customer #{id} {name}"),
    "added_person": ("已为 {customer} 添加决策人 {name}", "Added {name} at {customer}"),
    "edited_person": ("已更新 {customer} 的 {name}", "Updated {name} at {customer}"),
    "rated_person": (
        "{name} 的专业评分：{score}/5",
        "{name}'s view of our competence: {score}/5",
    ),
    "vcard_written": ("已把 {count} 位决策人的名片写入 {path}", "Wrote {count} contact card(s) to {path}"),
    "channel_needs_daily": (
        "渠道（{channel}）只用于日常接触，{kind} 不能设渠道：请去掉 --channel，或用 --kind 日常。",
        "A channel ({channel}) is for a daily contact only; a {kind} has none: leave out --channel or use --kind daily.",
    ),
    "csv_channel_needs_daily": (
        "渠道（{channel}）只用于日常接触，{kind} 不能设渠道。",
        "A channel ({channel}) is for a daily contact only; a {kind} has none.",
    ),
    "csv_kind_channel_conflict": (
        "方式“{kind}”已表示渠道，与渠道列的 {channel} 矛盾。",
        "The kind {kind!r} already names a channel, which {channel} in the channel column contradicts.",
    ),
    "kind_channel_conflict": (
        "--kind {kind} 已表示渠道，与 --channel {channel} 矛盾：只写其中一个。",
        "--kind {kind} already names a channel, which --channel {channel} contradicts: give only one.",
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
        "--follows 只接受下一步（如 N12）或成交回访（如 A4）的编号，收到：{value}。兑现承诺请用 kehu promise kept。",
        "--follows takes a next-step id such as N12 or an after-sale visit such as A4, not {value!r}; to keep a promise use `kehu promise kept`.",
    ),
    "followup_receivable": (
        "{id} 是应收款：收到钱后用 kehu pay 合同编号 金额 记录，它就会消除。",
        "{id} is money owed: record the payment with `kehu pay CONTRACT AMOUNT` and it goes away.",
    ),
    "cannot_write_file": ("无法写入 {path}：{error}", "Cannot write {path}: {error}"),
    "next_routine": (
        "例行接触：{name}（{level}）{since}；高层每年、中层每季度至少见一次",
        "routine: {name} ({level}) {since}; meet executives at least yearly, middle managers quarterly",
    ),
    "routine_last": ("上次接触 {day}", "last met {day}"),
    "routine_never": ("还没有接触过", "never met"),
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
    "cadence_text_cell": (
        "上次接触 {since}，已 {days} 天（{tier}客户每 {tier_cadence} 天；盈利象限“{cell}”，改为每 {cadence} 天联系一次）",
        "last touch {since}, {days} days ago ({tier} customers: every {tier_cadence} days; in the {cell} cell: "
        "every {cadence} days)",
    ),
    "cadence_never_cell": (
        "建档 {since} 后还没有接触（{tier}客户每 {tier_cadence} 天；盈利象限“{cell}”，改为每 {cadence} 天联系一次）",
        "not touched since added on {since} ({tier} customers: every {tier_cadence} days; in the {cell} cell: "
        "every {cadence} days)",
    ),
    "bad_within": ("无法识别的时间窗：{value}（如 7d、2w、0）。", "Cannot read the window {value!r} (use 7d, 2w or 0)."),
    "post_failed": (
        "推送到{service}（{host}）失败：{reason}（已重试一次）。提醒未标记为已发送，下次 --new 会再发。",
        "Posting to {service} ({host}) failed: {reason} (tried twice). The reminder is not marked as sent: "
        "the next --new run sends it again.",
    ),
    "post_sent": ("已推送到{service}：{count} 项", "Posted {count} item(s) to {service}"),
    "post_service_wecom": ("企业微信", "WeCom"),
    "post_service_dingtalk": ("钉钉", "DingTalk"),
    "post_service_feishu": ("飞书", "Feishu"),
    "post_bad_url": ("--post 要一个 http:// 或 https:// 开头的群机器人 webhook 地址。",
                     "--post takes a group robot's webhook address starting with http:// or https://."),
    "post_unknown_host": (
        "不认识 {host} 这个群机器人地址：请用 --post-format wecom|dingtalk|feishu 指定格式。",
        "{host} is not a known group robot host: name the format with --post-format wecom|dingtalk|feishu.",
    ),
    "post_format_needs_post": ("--post-format 要和 --post URL 一起用。", "--post-format goes with --post URL."),
    "ics_dash_alone": (
        "--ics - 把日历写到标准输出，不能和 --json 一起用：请把日历写到文件（--ics 文件名）。",
        "--ics - writes the calendar to standard output, so not with --json: write it to a file (--ics FILE).",
    ),
    "ics_written": ("已写入日历文件：{path}（{count} 项）", "Wrote {count} item(s) to the calendar file {path}"),
    "tier_explain": (
        "{name}：价值 {value}，{above} 个客户排在前面（共 {total} 个，占 {share:.1f}%），"
        "因此为{tier}（白金 <{c1:g}%，黄金 <{c2:g}%，铁 <{c3:g}%，其余为铅；"
        "客户少时，排在前面的不足 {m1}/{m2}/{m3} 个也分别算白金/黄金/铁：这组下限是 kehu 自定的，tier.min_counts）。",
        "{name}: value {value}; {above} of {total} customers rank strictly above it ({share:.1f}%), "
        "so it is {tier} (platinum < {c1:g}%, gold < {c2:g}%, iron < {c3:g}%, else lead; in a small book, "
        "fewer than {m1}/{m2}/{m3} above also make platinum/gold/iron: kehu's own floor, tier.min_counts).",
    ),
    "tier_explain_business": (
        "按成交排位：近 12 个月签约的合同额；首份合同签约未满 12 个月时，取它与录入年价值中较大者（签约不会降低层级）。",
        "Ranked by business: the contracts signed in the last 12 months; while the first contract is under "
        "12 months old, the larger of that and the annual value entered (signing never lowers the tier).",
    ),
    "tier_explain_pipeline": (
        "尚未成交，按预期价值排位：录入年价值 {entered} × {stage}成交概率 {pct}%（kehu 自定，forecast.{key}）= {value}；"
        "成交后按实际业务排位。",
        "Not doing business yet, so ranked by expected value: entered annual value {entered} × the {stage} "
        "chance {pct}% (kehu's own, forecast.{key}) = {value}; once it signs, by its business.",
    ),
    "tier_explain_apart": (
        "商机不计入金字塔（kehu 自定的规则）：金字塔只给正在做生意的客户排位，上面的位置是它的预期价值"
        "放在这些客户中会得到的位置，只决定联系频率，不占名额。",
        "Pipeline is not in the pyramid (kehu's own rule): the pyramid ranks only the customers doing business; "
        "the place above is where its expected value would stand among them, and only sets its cadence.",
    ),
    "tier_explain_alone": (
        "账本里还没有正在做生意的客户，所以商机之间互相排位（kehu 自定的规则），新账本不会全是铅。",
        "Nobody in the book does business yet, so the prospects are ranked among themselves (kehu's own rule): "
        "a new book is not all lead.",
    ),
    "tier_explain_views": (
        "两种看法并列：层级按价值金字塔（种子 002），决定联系频率和投入；“采购中心”标记按种子 004 的大客户检验"
        "（采购和使用由不同的人负责），只作提示，不改变排位。成交概率（forecast.growth 等）、分界（tier.cuts、"
        "tier.min_counts）和盈利象限系数（cell.invest 等）都是 kehu 自定的数字。",
        "Two views side by side: the tier follows the value pyramid (seed 002) and sets cadence and effort; the "
        "buying-centre mark is seed 004's big-customer test (buying and using done by different people), shown "
        "but never ranked by. The chances (forecast.*), the cuts (tier.cuts, tier.min_counts) and the cell "
        "factors (cell.*) are kehu's own numbers.",
    ),
    "profit_a_estimated": (
        "{cell}（服务成本按近 12 个月的投入估计：{cost}；kehu 自定的估法，录入服务成本即以录入为准）",
        "{cell} (cost to serve estimated from the last 12 months' effort: {cost}; kehu's own estimate, "
        "an entered service cost takes its place)",
    ),
    "big_yes": (
        "是：有人负责采购（决策者或采购），另有人使用——种子 004 的大客户；层级仍按价值金字塔",
        "yes: someone buys (decider or procurement) and someone else uses: seed 004's big customer; "
        "the tier still follows the value pyramid",
    ),
    "big_no": (
        "否：还没有记录到采购者和使用者分属不同的人（种子 004 的大客户检验）",
        "no: no buyer and separate user recorded yet (seed 004's big-customer test)",
    ),
    "tier_new_book": (
        "还没有正在做生意的客户：上面的金字塔是商机之间的排位（kehu 自定的规则），首份合同签约后只计成交客户。",
        "Nobody does business with you yet: the pyramid above ranks the prospects among themselves (kehu's own "
        "rule); from the first signed contract it counts only the customers doing business.",
    ),
    "pipeline_more": (
        "还有 {n} 个商机未列出（kehu tier --json 或输出到管道可看全部）。",
        "{n} more prospects not shown (kehu tier --json, or piped, lists them all).",
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
    "warn_level_prospect": (
        "关系类型“{level}”要双方彼此重要、谁也离不开谁、转换成本高；客户还没有与我们成交，看不出这一点"
        "（它的层级只是在商机里的排位）",
        "relationship level {level} needs both sides to matter to and need each other, with high switching costs; "
        "a customer not yet doing business with us cannot show that (its tier is only its place in the pipeline)",
    ),
    "prospect_qualified": (
        "合格准客户：需求、购买意愿、支付能力、付款信用和决策权都已确认良好",
        "qualified prospect: need, desire to buy, ability to pay, payment credit and authority all confirmed good",
    ),
    "prospect_unqualified": (
        "不是合格准客户：{facts}有问题",
        "not a qualified prospect: {facts} bad",
    ),
    "prospect_unconfirmed": (
        "还不算合格准客户：{facts}未确认",
        "not yet a qualified prospect: {facts} not confirmed",
    ),
    "expected_value_text": (
        "{expected}（{entered} × {chance}%）",
        "{expected} ({entered} × {chance}%)",
    ),
    "warn_overspend": (
        "近12个月投入 {effort}，远超{tier}客户应有的约 {expected}：投入超过回报是奢侈",
        "effort in the last 12 months is {effort}, far above the ~{expected} the {tier} tier warrants: spending more than it returns",
    ),
    "warn_underserved": (
        "近12个月投入仅 {effort}，{tier}客户应有约 {expected}：重点客户被冷落",
        "effort in the last 12 months is only {effort}; the {tier} tier warrants ~{expected}: a key customer is being neglected",
    ),
    "warn_marks_stage": (
        "关系类型“{level}”要求双方高层往来、共同计划，客户却还在{stage}：账本上看不到它的标志",
        "relationship level {level} means ties between top managers and joint plans, yet the customer is only at "
        "{stage}: the book does not show its marks",
    ),
    "warn_marks_executive": (
        "关系类型“{level}”却没有与高层的近期接触：账本上看不到它的标志",
        "relationship level {level}, yet no recent contact with an executive: the book does not show its marks",
    ),
    "warn_marks_people": (
        "优先供应商要有多位关键人认识我们，近期只接触了 {count} 人",
        "a preferred supplier is known to many key people; only {count} met recently",
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
    "cold_line": ("{name}：在{stage}已 {days} 天（阈值 {limit} 天，kehu 自定）",
                  "{name}: {days} days in {stage} (threshold {limit}, kehu's own)"),
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
    "tip_opposing": (
        "风险：{names} 反对我们：先弄清他反对的原因（利益、顾虑还是对手的关系），争取转为中立，别让他在评估中拦住项目",
        "risk: {names} opposes us: learn why (their interests, a worry, a rival's ties) and win them round to "
        "neutral before they block the evaluation",
    ),
    "tip_know_them": (
        "认识还不久：先了解每个人的 KPI、需求、痛点和沟通风格，找到共同点，再一步步加深接触",
        "early days: learn each person's KPIs, needs, pain points and style, find common ground, then deepen "
        "the contact step by step",
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
    # team: ownership and the public pool
    "mine_and_owner": (
        "--mine 与 --owner 只能选一个：--mine 就是以自己的名字作 --owner。",
        "--mine and --owner cannot be used together: --mine is --owner with your own name.",
    ),
    "assign_no_owner": ("请写出接手这个客户的销售人员。", "Name the salesperson who takes the customer over."),
    "assign_same": ("{name} 的负责人已经是 {owner}，无需转交。", "{name} is already {owner}'s: there is nothing to hand over."),
    "assign_limit": (
        "{name} 在 {window} 天内已转交 {count} 次（上限 {limit} 次）：{next} 起才能再转交。",
        "{name} was handed over {count} times in {window} days (the limit is {limit}): the next handover is allowed on {next}.",
    ),
    "assigned": ("已将客户 #{id} {name} 从 {before} 转交给 {owner}", "Handed customer #{id} {name} over from {before} to {owner}"),
    "claim_already_yours": ("{name} 已经是你的客户。", "{name} is already yours."),
    "claim_owned": (
        "{name} 属于 {owner}；若对方一直不跟进，它将于 {returns} 回到公海。",
        "{name} belongs to {owner}; unless they follow it up, it returns to the public pool on {returns}.",
    ),
    "claim_owned_kept": ("{name} 属于 {owner}，不会回到公海。", "{name} belongs to {owner} and is not due back in the public pool."),
    "claim_hold_limit": (
        "你已持有 {count} 个客户，达到上限 {limit}（pool.hold_limit）：先释放一个（kehu release）或把一个推进到成熟期，再来认领。",
        "You hold {count} of at most {limit} customers (pool.hold_limit): release one (kehu release) or bring one to mature before claiming more.",
    ),
    "claimed": ("已认领客户 #{id} {name}：从今天起由你负责", "Claimed customer #{id} {name}: it is yours from today"),
    "claimed_lapsed": ("此前它已从 {owner} 名下回到公海（已记入历史）。", "It had returned to the public pool from {owner} (recorded in its history)."),
    "release_unowned": ("{name} 没有负责人，本来就在公海中。", "{name} has no owner: it is already in the public pool."),
    "release_not_yours": (
        "{name} 属于 {owner}，应由负责人释放；确需代为释放请加 --force。",
        "{name} belongs to {owner}, who releases it; add --force to release it for them.",
    ),
    "released": ("已将客户 #{id} {name} 从 {owner} 名下释放回公海", "Released customer #{id} {name} from {owner} back to the public pool"),
    "pool_empty": ("公海里没有客户。", "The public pool is empty."),
    "pool_why_unowned": ("从未有负责人", "never had an owner"),
    "pool_why_released": ("被释放回公海", "released back to the pool"),
    "pool_why_untouched": ("负责人自 {day} 起没有接触", "not touched by its owner since {day}"),
    "pool_why_no_growth": ("{day} 认领后 {days} 天内未进入成长期", "not at growth {days} days after being claimed on {day}"),
    "pool_item_text": ("将于 {day} 回到公海：{why}", "returns to the public pool on {day}: {why}"),
    "pool_lapsed_untouched": ("负责人超期未接触", "its owner did not touch it in time"),
    "pool_lapsed_no_growth": ("未按期进入成长期", "it did not reach growth in time"),
    "pool_state_lapsed": ("已于 {day} 回到公海，任何人都可认领", "back in the public pool since {day}: anyone may claim it"),
    "pool_state_returns": (
        "若负责人不跟进，将于 {day} 回到公海（还有 {days} 天）",
        "returns to the public pool on {day} unless its owner follows it up ({days} days left)",
    ),
    "followup_pool": (
        "{id} 是公海预警：与客户接触一次（kehu touch）或推进到成长期，它就会消失。",
        "{id} is a pool warning: log a touchpoint with the customer (kehu touch), or bring it to growth, and it goes away.",
    ),
    # correcting what was recorded: edit and delete
    "nothing_changed": ("没有变化：记录和原来一样，什么也没改。", "Nothing changed: the record already says that."),
    "added_after_history": (
        "--added {value} 晚于这位客户的第一次阶段变化（{first}）：建档日期不能晚于它。",
        "--added {value} is after this customer's first stage change ({first}): the account was opened before it.",
    ),
    "customer_delete_needs_yes": (
        "删除客户 #{id} {name} 会一并删除：{people} 位决策人、{touches} 次接触、{promises} 个承诺、{contracts} 份合同"
        "（{instalments} 期付款）、{negotiation} 条谈判记录和 {events} 条历史记录。确认删除请加 --yes。",
        "Deleting customer #{id} {name} also deletes {people} people, {touches} touchpoints, {promises} promises, "
        "{contracts} contracts ({instalments} instalments), {negotiation} negotiation entries and {events} history "
        "events. Add --yes to delete them.",
    ),
    "customer_delete_paid": (
        "不能删除客户 #{id} {name}：它的合同已收款 {paid}。收到的钱不会被删除；不再合作请用 kehu drop。",
        "Cannot delete customer #{id} {name}: {paid} was paid on its contracts, and money received is never "
        "deleted. To end the relationship use `kehu drop`.",
    ),
    "customer_deleted": (
        "已删除客户 #{id} {name}，连同 {people} 位决策人、{touches} 次接触、{promises} 个承诺、{contracts} 份合同和 "
        "{events} 条历史记录",
        "Deleted customer #{id} {name}, with {people} people, {touches} touchpoints, {promises} promises, "
        "{contracts} contracts and {events} history events",
    ),
    "person_delete_needs_yes": (
        "{customer} 的 {name} 出现在 {links} 次接触中；删除后这些接触保留，但不再记着此人。确认请加 --yes。",
        "{name} at {customer} is named at {links} touchpoint(s), which stay without them. Add --yes to delete.",
    ),
    "person_deleted": (
        "已删除 {customer} 的 {name}（{links} 次接触不再记着此人）",
        "Deleted {name} at {customer} ({links} touchpoint(s) no longer name them)",
    ),
    "touch_not_found": (
        "找不到接触 #{ref}。kehu show 列出客户的接触和编号。",
        "No touchpoint #{ref}. `kehu show CUSTOMER` lists its touchpoints with their numbers.",
    ),
    "touch_no_next_step": (
        "接触 #{id} 没有约定下一步：用 --next 和 --next-due 一起加上。",
        "Touchpoint #{id} has no next step: give --next together with --next-due.",
    ),
    "done_before_date": (
        "{id} 已于 {done} 完成，早于新的日期 {day}：先用 kehu followup undone {id}。",
        "{id} was done on {done}, before the new date {day}: first `kehu followup undone {id}`.",
    ),
    "touch_promise_which": (
        "接触 #{id} 上有 {count} 个承诺，无法确定改哪个：用 kehu promise edit 修改。",
        "Touchpoint #{id} made {count} promises, not one: change them with `kehu promise edit`.",
    ),
    "touch_delete_needs_yes": (
        "删除接触 #{id} 会一并删除在这次接触中做出的承诺 {promises}。确认请加 --yes。",
        "Deleting touchpoint #{id} also deletes the promises made at it: {promises}. Add --yes to delete them.",
    ),
    "touch_edited": ("已修改 {customer} 的接触 #{id}：{fields}", "Touchpoint #{id} at {customer} changed: {fields}"),
    "touch_deleted": (
        "已删除 {customer} 的接触 #{id}（及 {promises} 个承诺）",
        "Deleted touchpoint #{id} at {customer} (and {promises} promise(s))",
    ),
    "with_and_nobody": ("--with 和 --with-nobody 不能同时使用。", "--with and --with-nobody cannot be used together."),
    "promise_already_open": ("承诺 #{id} 本来就未兑现，无需重新打开。", "Promise #{id} is open already."),
    "promise_edited": ("已修改承诺 #{id}：{fields}", "Promise #{id} changed: {fields}"),
    "promise_reopened": ("承诺 #{id} 已重新打开", "Promise #{id} is open again"),
    "promise_deleted": ("已删除承诺 #{id}", "Deleted promise #{id}"),
    "followup_not_done": ("{id} 还没有完成，无需撤销。", "{id} is not done: nothing to undo."),
    "followup_next_step_only": (
        "这里只接受下一步的编号（如 N12），不是 {value}；承诺用 kehu promise。",
        "This takes a next step's id such as N12, not {value!r}; for promises use `kehu promise`.",
    ),
    "followup_edited": ("已修改下一步 {id}", "Next step {id} changed"),
    "followup_cleared": ("已清除下一步 {id}", "Next step {id} cleared"),
    "followup_reopened": ("下一步 {id} 已重新打开", "Next step {id} is open again"),
}

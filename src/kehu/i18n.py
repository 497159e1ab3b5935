"""Every word kehu shows, in Chinese and English, and the parsing of enumerated values.

Enumerated values have a stable English key (code, JSON, CSV) and labels in both
languages. Input accepts the key, either label, or a short form a salesperson types
(峰会 for 举行高层峰会). Messages are looked up by key and formatted with parameters.
"""

from __future__ import annotations

import os
import unicodedata
from typing import TYPE_CHECKING

from kehu.rules.domain import ENUMS

if TYPE_CHECKING:
    from kehu.errors import KehuError

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
        "pool": ("公海预警", "pool warning"),
    },
    "contract_status": {
        "draft": ("拟定", "draft", "草稿"),
        "negotiating": ("谈判中", "negotiating", "谈判"),
        "signed": ("已签", "signed", "签约", "已签约"),
        "completed": ("已完成", "completed", "完成"),
        "lost": ("丢单", "lost"),
    },
    "timing": {
        "terms": ("客户已提条件并明确承诺合作", "customer stated terms and committed", "条件", "承诺"),
        "proposal": ("我方已提交商务/方案/服务初步提案", "our initial proposal is on the table", "提案", "初步提案"),
        "objections": ("客户提出了初步提案解答不了的分歧", "objections the proposal cannot answer", "分歧", "异议"),
        "all_raised": ("已确认客户提出了全部分歧", "confirmed all objections are raised", "全部分歧", "all"),
    },
    "principle": {
        "people_problem": ("人与问题分开", "separate the people from the problem"),
        "interests": ("着眼利益而非立场", "interests, not positions"),
        "options": ("准备多种方案", "several options"),
        "criteria": ("坚持客观标准", "objective criteria"),
    },
    "settlement": {
        "trade": ("利益交换", "trade", "交换"),
        "add_value": ("附加利益", "add value", "附加"),
        "split": ("折中", "split the difference", "split", "各让一步"),
        "concede": ("妥协", "concede", "让步"),
    },
    "party": {
        "ours": ("我方", "ourselves", "ours", "us", "自身"),
        "customer": ("客户", "customer"),
        "competitor": ("竞争对手", "competitor", "对手", "rival"),
    },
    "aspect": {
        "strengths": ("优势", "strengths"),
        "gaps": ("短板", "gaps", "劣势"),
        "unique_value": ("独特价值", "unique value"),
        "goal": ("目标", "goal"),
        "pain": ("需求痛点", "pain points", "痛点", "pain"),
        "background": ("项目背景", "background", "背景"),
        "finances": ("财务状况", "finances", "财务"),
        "deciders": ("决策人", "decision-makers", "deciders"),
        "process": ("决策流程", "decision process", "流程", "process"),
        "timing": ("决策时间", "decision timing", "timing"),
        "offer": ("对手方案", "their offer", "offer", "方案"),
        "relationships": ("客户关系", "relationships", "关系"),
        "position": ("市场地位", "market position", "position", "地位"),
        "tactics": ("谈判策略", "tactics", "策略"),
    },
    "smart": {
        "specific": ("具体", "specific"),
        "measurable": ("可衡量", "measurable"),
        "achievable": ("可达成", "achievable"),
        "relevant": ("相关联", "relevant"),
        "deadline": ("时间点", "deadline", "time-bound", "期限"),
    },
    "package": {
        "best": ("最优方案", "best", "最优"),
        "compromise": ("折中方案", "compromise", "折中"),
        "bottom": ("底线方案", "bottom line", "底线", "bottom"),
    },
    "team_role": {
        "lead": ("主谈", "lead negotiator", "lead"),
        "technical": ("技术", "technical"),
        "service": ("服务", "service"),
        "commercial": ("商务", "commercial"),
        "recorder": ("记录员", "recorder", "记录"),
    },
    "flow_phase": {
        "opening": ("开局", "opening"),
        "bargaining": ("磋商", "bargaining"),
        "close": ("收尾", "close"),
    },
    "flow_step": {
        "recap": ("回顾已谈成的事项", "recap what is agreed"),
        "confirm_issues": ("确认全部分歧", "confirm every disagreement"),
        "agenda": ("提出议程", "propose the agenda"),
        "detail": ("说明分歧细节", "state the disagreement"),
        "need": ("确认客户的出发点", "confirm the customer's underlying need"),
        "our_position": ("说明我方需求或难处", "explain our needs or constraints"),
        "options": ("提出方案并征询意见", "offer our options and ask for views"),
        "deadlock": ("僵持时调整议程", "if stuck, change the agenda"),
        "wrap_up": ("小结并结束此议题", "sum up and close the item"),
        "final_package": ("明确最终综合方案", "state the final package"),
        "benefits": ("总结双方收益", "sum up what both sides gain"),
        "next_steps": ("确认下一步计划", "agree the next steps"),
    },
    "plan_part": {
        "timing": ("谈判时机", "timing"),
        "issues": ("分歧", "disagreements"),
        "analysis": ("三方分析", "three-party analysis"),
        "goal": ("SMART目标", "SMART goal"),
        "packages": ("组合方案", "packages"),
        "team": ("谈判团队", "team"),
    },
    "flag": {
        "concession": ("单方让步", "concession"),
    },
    "contract_action": {
        "negotiate": ("进入谈判", "put into negotiation"),
        "draft": ("退回拟定", "put back to draft"),
        "sign": ("签约", "signed"),
        "complete": ("标记完成", "completed"),
        "lose": ("记为丢单", "marked lost"),
        "plan": ("制定付款计划", "given a payment plan"),
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
    "contract_status": ("合同状态", "contract status"),
    "timing": ("谈判时机条件", "timing condition"),
    "principle": ("谈判原则", "principle"),
    "settlement": ("解决方式", "settlement"),
    "party": ("分析对象", "party"),
    "aspect": ("分析项", "aspect"),
    "smart": ("SMART要素", "SMART part"),
    "package": ("组合方案", "package"),
    "team_role": ("谈判角色", "team role"),
    "flow_phase": ("谈判阶段", "meeting phase"),
    "flow_step": ("谈判步骤", "meeting step"),
    "plan_part": ("谈判策划部分", "plan part"),
    "flag": ("标记", "flag"),
    "contract_action": ("合同操作", "contract action"),
}

# Column headings and field names shown in tables.
WORDS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "check": ("检查项", "Check"),
    "result": ("结果", "Result"),
    "check_file": ("文件", "file"),
    "check_integrity": ("完整性", "integrity"),
    "check_foreign_keys": ("外键", "foreign keys"),
    "check_schema": ("结构版本", "schema"),
    "check_journal": ("日志模式", "journal"),
    "check_permissions": ("权限", "permissions"),
    "check_server": ("服务器", "server"),
    "check_privileges": ("访问权限", "privileges"),
    "check_transport": ("传输", "transport"),
    "passed": ("通过", "ok"),
    "failed": ("有问题", "PROBLEM"),
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
    "contract": ("合同", "Contract"),
    "contracts": ("合同数", "Contracts"),
    "amount": ("金额", "Amount"),
    "paid": ("已付", "Paid"),
    "owed": ("未付", "Owed"),
    "overdue": ("逾期", "Overdue"),
    "expected_on": ("预计签约", "Expected signing"),
    "signed_on": ("签约日期", "Signed on"),
    "completed_on": ("完成日期", "Completed on"),
    "lost_on": ("丢单日期", "Lost on"),
    "plan": ("付款计划", "Payment plan"),
    "instalments": ("付款计划", "Instalments"),
    "seq": ("期", "No."),
    "paid_on": ("付款日期", "Paid on"),
    "settled": ("已付清", "paid in full"),
    "aftercare": ("成交回访", "After-sale visit"),
    "currency": ("币种", "Currency"),
    "weighted": ("加权金额", "Weighted"),
    "month": ("预计签约月份", "Expected month"),
    "none": ("（未定）", "(none)"),
    "forecast_by_month": ("按预计签约月份", "By month of expected signing"),
    "forecast_by_owner": ("按负责人", "By owner"),
    "total": ("合计", "Total"),
    "negotiation": ("谈判策划", "Negotiation plan"),
    "verdict": ("结论", "Verdict"),
    "missing": ("还缺", "Missing"),
    "condition": ("条件", "Condition"),
    "evidence": ("依据", "Evidence"),
    "principles": ("谈判四原则（会上对照）", "The four principles (check them in the meeting)"),
    "need": ("客户的出发点", "Underlying need"),
    "options": ("我方方案（对客户的价值）", "Our options (value to the customer)"),
    "party": ("对象", "Party"),
    "aspect": ("分析项", "Aspect"),
    "text": ("内容", "Text"),
    "package": ("方案", "Package"),
    "agenda": ("会议流程", "Meeting agenda"),
    "value_to_customer": ("对客户的价值", "value to the customer"),
    "settled_by": ("解决方式", "Settled by"),
    "contracts_of": ("合同", "Contracts"),
    "signed_12m": ("近12月签约额（层级依据）", "Signed, last 12 months (tier value)"),
    "playbooks_here": ("可参考的应对", "Playbooks for what the book shows"),
    # team: ownership and the public pool
    "by": ("经办", "By"),
    "previous_owner": ("原负责人", "Previous owner"),
    "pool_since": ("进入公海", "In pool since"),
    "pool_state": ("公海", "Public pool"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "created": ("建档", "added"),
    "advanced": ("推进", "advanced"),
    "forced": ("强制推进", "advanced by force"),
    "dropped": ("终止", "terminated"),
    "reopened": ("重启", "reopened"),
    "person_forgotten": ("删除一位决策人的全部资料", "a person's details erased"),
    "task_done": ("完成任务", "task done"),
    "edited": ("修改", "edited"),
    "contract_added": ("新建合同", "contract added"),
    "contract_edited": ("修改合同", "contract edited"),
    "contract_planned": ("制定付款计划", "payment plan set"),
    "contract_negotiating": ("合同进入谈判", "contract in negotiation"),
    "contract_draft": ("合同退回拟定", "contract back to draft"),
    "contract_signed": ("签约", "contract signed"),
    "contract_completed": ("合同完成", "contract completed"),
    "contract_lost": ("丢单", "contract lost"),
    "paid": ("收款", "payment received"),
    "aftercare_done": ("成交回访", "after-sale visit made"),
    # team: ownership and the public pool
    "assigned": ("转交", "handed over"),
    "claimed": ("认领", "claimed"),
    "released": ("回到公海", "back to the pool"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "because": ("依据：{what}", "because: {what}"),
    # negotiation plans
    "issue_not_found": ("找不到分歧 {ref}：kehu negotiate 合同编号 会列出分歧编号", "no disagreement {ref}: kehu negotiate CONTRACT lists their numbers"),
    "issue_ref": ("分歧 #{id}", "disagreement #{id}"),
    "neg_unknown": ("（未知）", "(unknown)"),
    "neg_ready": ("可以谈判（READY）", "READY"),
    "neg_not_ready": ("还不能谈（NOT READY）：缺 {count} 项", "NOT READY, missing: {count}"),
    "neg_recorded": ("合同 #{id} 谈判策划已记录：{what}", "Contract #{id} negotiation plan: recorded {what}"),
    "neg_issue_added": ("已记录分歧 #{id}（合同 #{contract}）；用 kehu negotiate option {id} ... 准备至少两个方案", "Recorded disagreement #{id} (contract #{contract}); add at least two options with kehu negotiate option {id} ..."),
    "neg_need_set": ("已记录分歧 #{id} 背后的客户需求", "Recorded the need behind disagreement #{id}"),
    "neg_option_added": ("已为分歧 #{issue} 添加方案 #{id}", "Added option #{id} to disagreement #{issue}"),
    "neg_option_no_value": ("提示：写上这个方案对客户的价值（kehu negotiate value {id} ...），否则无法比较", "Tip: say what the option is worth to the customer (kehu negotiate value {id} ...), or it cannot be weighed"),
    "option_not_found": ("找不到方案 {ref}：kehu negotiate 合同编号 会列出方案编号", "no option {ref}: kehu negotiate CONTRACT lists their numbers"),
    "neg_value_set": ("已记录方案 #{id}（分歧 #{issue}）对客户的价值", "Recorded what option #{id} (disagreement #{issue}) is worth to the customer"),
    "neg_remove_what": ("remove 后面写 issue（分歧）或 option（方案），不是 {value}", "remove takes issue or option, not {value}"),
    "neg_removed_issue": ("已删除分歧 #{id} 及其 {count} 个方案", "Removed disagreement #{id} and its {count} option(s)"),
    "neg_removed_option": ("已删除方案 #{id}", "Removed option #{id}"),
    "neg_settled": ("分歧 #{id} 以{how}解决", "Disagreement #{id} settled by {how}"),
    "neg_concession_flag": ("注意：妥协是单方面让步，优先考虑利益交换、附加利益、折中", "Note: a concession is one-sided; trade, added value and splitting come first"),
    "neg_bad_aspect": ("{party} 没有分析项 {value}；可选：{accepted}", "{party} has no aspect {value}; choose from {accepted}"),
    "neg_timing_missing": ("谈判时机未确认：{timing}（kehu negotiate timing）", "timing not confirmed: {timing} (kehu negotiate timing)"),
    "neg_timing_future": ("谈判时机“{timing}”的依据日期 {day} 还没到", "the evidence for “{timing}” is dated {day}, which has not come yet"),
    "neg_no_issues": ("还没有记录任何分歧：先确认客户提出的全部分歧（kehu negotiate issue）", "no disagreement recorded: confirm every objection first (kehu negotiate issue)"),
    "neg_issue_need": ("分歧 #{issue}：还不知道客户背后的需求（kehu negotiate need）", "disagreement #{issue}: the customer's underlying need is unknown (kehu negotiate need)"),
    "neg_issue_options": ("分歧 #{issue}：只有 {count} 个方案，至少要 {min} 个（kehu negotiate option）", "disagreement #{issue}: {count} options, at least {min} needed (kehu negotiate option)"),
    "neg_option_value": ("分歧 #{issue} 的方案 #{option}：没写对客户的价值（kehu negotiate value {option}）", "disagreement #{issue}, option #{option}: its value to the customer is not stated (kehu negotiate value {option})"),
    "neg_analysis_missing": ("三方分析缺：{party} — {aspect}（kehu negotiate analysis）", "three-party analysis lacks {party}: {aspect} (kehu negotiate analysis)"),
    "neg_goal_missing": ("SMART 目标缺“{smart}”（kehu negotiate goal）", "the SMART goal lacks “{smart}” (kehu negotiate goal)"),
    "neg_deadline_invalid": ("SMART 目标的时间点 {value} 不是日期", "the SMART goal's deadline {value} is not a date"),
    "neg_deadline_past": ("SMART 目标的时间点 {deadline} 已经过了", "the SMART goal's deadline {deadline} has passed"),
    "neg_package_missing": ("缺少{package}（kehu negotiate package）", "the {package} package is missing (kehu negotiate package)"),
    "neg_packages_order": ("三套方案的金额顺序不对：应为 最优 {best} ≥ 折中 {compromise} ≥ 底线 {bottom}", "packages out of order: best {best} ≥ compromise {compromise} ≥ bottom line {bottom} must hold"),
    "neg_role_missing": ("谈判团队缺{team_role}（kehu negotiate team）", "no one named for the team role “{team_role}” (kehu negotiate team)"),
    "neg_contract_closed": ("合同已{contract_status}：这次谈判已结束", "the contract is {contract_status}: this negotiation is over"),
    "neg_concession": ("分歧 #{issue} 以妥协解决：单方面让步，复盘时值得再看", "disagreement #{issue} was settled by a concession: one-sided, worth a second look"),
    "neg_bottom_above_amount": ("底线方案 {bottom} 高于合同金额 {amount}：合同金额是否过时？", "the bottom line {bottom} is above the contract amount {amount}: is the amount out of date?"),
    "neg_lead_is_recorder": ("{person} 既是主谈又是记录员：主谈说话时需要另一个人记录", "{person} both leads and records: someone else should write while the lead talks"),
    "principle_people_problem": ("人可能是助力也可能是阻力：对事不对人", "people can help or hinder: deal with the issue, not the person"),
    "principle_interests": ("追问立场背后的利益，找双方都得益的解法", "ask what lies behind each position and look for mutual gain"),
    "principle_options": ("每个分歧带上几种方案，而不是一个立场", "bring several options for each disagreement, not one position"),
    "principle_criteria": ("用标准、法规、惯例、过往案例和专家意见说话", "argue from standards, law, practice, precedent and expert opinion"),
    # contracts and money
    "contract_not_found": ("找不到合同 {ref}：用 kehu contract list 查看合同编号", "no contract {ref}: kehu contract list shows the numbers"),
    "contract_added": ("已新建合同 #{id}（{customer}）：{title}，{amount} {currency}", "Added contract #{id} for {customer}: {title}, {amount} {currency}"),
    "contract_edited": ("已修改合同 #{id}：{fields}", "Contract #{id} changed: {fields}"),
    "contract_planned": ("合同 #{id} 的付款计划：{count} 期，共 {amount} {currency}", "Contract #{id} payment plan: {count} instalments, {amount} {currency} in all"),
    "contract_signed": ("合同 #{id} 已签约（{customer}）：{title}，{amount} {currency}", "Contract #{id} signed with {customer}: {title}, {amount} {currency}"),
    "signed_now_mature": ("{customer} 已有签约合同，从{from_stage}进入{to_stage}", "{customer} has a signed contract and moves from {from_stage} to {to_stage}"),
    "signed_still_blocked": ("{customer} 仍在{stage}，成熟期还差：{reasons}", "{customer} stays in {stage}; maturity still needs: {reasons}"),
    "signed_too_early": ("{customer} 目前在{stage}：阶段需逐级推进，到成长期且任务完成后才能进入成熟期", "{customer} is in {stage}: stages advance one at a time, and maturity comes after growth with its tasks done"),
    "contract_completed": ("合同 #{id}（{customer}）已完成；成交不是结束：请在 {due} 前回访（{ref}）", "Contract #{id} ({customer}) completed. The deal is not the end: visit them by {due} ({ref})"),
    "contract_completed_owed": ("注意：仍有 {owed} {currency} 未收", "Note: {owed} {currency} is still unpaid"),
    "contract_lost": ("合同 #{id}（{customer}）记为丢单：{reason}", "Contract #{id} ({customer}) marked lost: {reason}"),
    "lose_needs_reason": ("丢单需要原因：--reason \"...\"（价格、对手、预算……）", "a lost contract needs a reason: --reason \"...\" (price, rival, budget...)"),
    "contract_already": ("合同 #{id} 已经是{status}", "contract #{id} is already {status}"),
    "contract_cannot": ("合同 #{id} 处于{status}，不能{action}", "contract #{id} is {status}: it cannot be {action}"),
    "contract_amount_fixed": ("合同 #{id} 已{status}，金额不能再改；变更请另立补充合同", "contract #{id} is {status}: its amount is fixed; record a change as a new contract"),
    "contract_amount_planned": ("合同 #{id} 已有付款计划：先改金额会对不上；请用 kehu contract plan 重新制定计划后再改", "contract #{id} has a payment plan that would no longer add up: clear or redo it with kehu contract plan first"),
    "contract_date_needs_signed": ("--date 是签约日期，只能与 --status signed 一起用", "--date is the signing day: use it with --status signed"),
    "status_not_here": ("这里的 --status 只接受：{accepted}（不是 {value}）", "--status here takes {accepted}, not {value}"),
    "bad_instalment": ("付款计划写成 日期:金额，例如 2026-12-31:30万（不是 {value}）", "an instalment is DATE:AMOUNT, e.g. 2026-12-31:300000 (not {value})"),
    "date_before_signed": ("{value} 早于签约日期 {signed}", "{value} is before the signing day {signed}"),
    "date_before_completed": ("{value} 早于合同完成日期 {completed}", "{value} is before the day the contract was completed, {completed}"),
    "empty_text": ("{field} 不能为空", "{field} cannot be empty"),
    "contract_currency_fixed": ("合同 #{id} 已{status}或已有付款计划，币种不能再改", "contract #{id} is {status} or has a payment plan: its currency is fixed"),
    "package_amount_positive": ("方案金额必须大于零（不是 {value}）", "a package amount must be more than zero, not {value}"),
    "neg_all_raised_stale": ("分歧 #{issue} 是在确认“已提出全部分歧”（{day}）之后才记下的：请重新确认", "disagreement #{issue} was recorded after “all objections raised” was confirmed ({day}): confirm it again"),
    "amount_not_positive": ("合同金额必须大于零（不是 {value}）", "a contract amount must be more than zero, not {value}"),
    "plan_empty": ("付款计划至少要有一期", "a payment plan needs at least one instalment"),
    "plan_too_long": ("付款计划最多 {max} 期", "a payment plan has at most {max} instalments"),
    "plan_not_positive": ("{due} 那一期金额必须大于零", "the instalment due {due} must be more than zero"),
    "plan_same_day": ("{due} 有两期：同一天请合成一期", "two instalments fall on {due}: make them one"),
    "plan_sum": ("各期合计 {total}，合同金额 {amount}，相差 {diff}：必须正好相等", "the instalments add up to {total} but the contract is {amount} (off by {diff}): they must match exactly"),
    "plan_below_paid": ("已收款 {paid}，新计划不能少于已收金额", "{paid} has already been paid: the new plan cannot be less"),
    "pay_not_signed": ("合同 #{id} 处于{status}：签约后才能收款（kehu contract sign {id}）", "contract #{id} is {status}: record payments once it is signed (kehu contract sign {id})"),
    "pay_no_plan": ("合同 #{id} 还没有付款计划：先用 kehu contract plan {id} --instalment 日期:金额", "contract #{id} has no payment plan yet: kehu contract plan {id} --instalment DATE:AMOUNT"),
    "pay_not_positive": ("收款金额必须大于零", "a payment must be more than zero"),
    "pay_nothing_owed": ("合同 #{id} 已全部付清", "contract #{id} is paid in full"),
    "pay_too_much": ("合同 #{id} 只欠 {owed}，收款 {amount} 多了 {excess}：请核对金额", "contract #{id} owes only {owed}; {amount} is {excess} too much: check the amount"),
    "paid": ("已记录合同 #{id}（{customer}）收款 {amount} {currency}；尚欠 {owed}", "Recorded {amount} {currency} on contract #{id} ({customer}); {owed} still owed"),
    "days_late": ("逾期 {days} 天", "{days} days late"),
    "days_late_amount": ("{amount}，逾期 {days} 天", "{amount}, {days} days late"),
    "no_plan_yet": ("未制定：kehu contract plan {id}", "none yet: kehu contract plan {id}"),
    "aftercare_due_on": ("{date} 前（{ref}）", "by {date} ({ref})"),
    "aftercare_done_on": ("已于 {date} 回访", "made on {date}"),
    "receivable_text": ("合同 #{contract} {title}：欠 {owed} {currency}，见 kehu playbook non_payment", "contract #{contract} {title}: {owed} {currency} owed; see kehu playbook non_payment"),
    "aftercare_text": ("合同 #{contract} {title} 已完成：回访，看交付和使用情况", "contract #{contract} {title} completed: visit them and check delivery and use"),
    "non_payment_facts": ("{count} 期逾期未付，共 {amount}，最早的逾期 {days} 天。账本里值得查的线索：", "Unpaid past due: {amount} in {count} instalment(s), the oldest {days} days late. What the book points to:"),
    "np_opposed": ("有人反对我们：{people}（某个环节的关系没做到位？）", "people against us: {people} (a weak link in the relationship?)"),
    "np_uncovered": ("还没有认识的{role}：付款常要经过这个角色", "nobody known as {role}: payments usually pass through this role"),
    "np_promises": ("我们有 {count} 个承诺失约或逾期：客户可能对交付有疑虑", "{count} of our promises broken or overdue: they may doubt our delivery"),
    "np_never_touched": ("从没记录过接触", "no touchpoint ever recorded"),
    "np_silent": ("已经 {days} 天没有接触", "no contact for {days} days"),
    "np_none": ("账本里没有明显线索：逐条对照下面的原因", "nothing obvious in the book: go through the causes below"),
    "see_playbook": ("完整应对：kehu playbook {topic}", "The whole playbook: kehu playbook {topic}"),
    "forecast_empty": ("没有进行中的合同（拟定或谈判中）", "no open contracts (draft or negotiating)"),
    "forecast_how": ("加权金额 = 金额 × 客户所处阶段的成交概率：{chances}（kehu config set forecast.<阶段> N 可调整）", "weighted = amount × the chance for the customer's stage: {chances} (change with kehu config set forecast.<stage> N)"),
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
    "csv_paid_above": ("已付 {paid} 超过该期金额 {amount}", "paid {paid} is more than the instalment's {amount}"),
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
    "backup_before_upgrade": (
        "升级账本结构（{old} → {new}）前已备份：{path}",
        "Backed up the book before upgrading its schema ({old} → {new}): {path}",
    ),
    "backup_done": ("账本已备份到 {path}（已校验）", "Backed up the book to {path} (verified)"),
    "backup_exists": (
        "{path} 已存在，备份不会覆盖文件：请换一个名字或文件夹。",
        "{path} already exists and a backup never overwrites a file: choose another name or folder.",
    ),
    "backup_damaged": (
        "备份 {path} 时副本未通过校验（{why}），已删除副本。请运行 kehu doctor。",
        "The copy made while backing up {path} failed its check ({why}) and was removed; run kehu doctor.",
    ),
    "no_file": ("文件 {path} 不存在。", "The file {path} does not exist."),
    "restore_refused": (
        "不能从 {path} 恢复：{why}。账本未改动。",
        "Cannot restore from {path}: {why}. The book is unchanged.",
    ),
    "restore_moved_damaged": (
        "原账本已损坏，已原样移到 {path} 保存",
        "The book was damaged; it was moved, as it was, to {path}",
    ),
    "book_damaged": (
        "账本已损坏（{why}）。kehu doctor 可查看详情，kehu restore 可从备份恢复。",
        "The book is damaged ({why}). `kehu doctor` shows the details; `kehu restore` brings back a backup.",
    ),
    "restore_done": ("已从 {source} 恢复账本 {path}。", "Restored the book {path} from {source}."),
    "restore_saved_old": (
        "恢复前的账本已另存为 {path}",
        "The book as it was before the restore is saved as {path}",
    ),
    "person_forgotten": (
        "已彻底删除 {customer} 的 {name}（含私密信息），{links} 条接触记录不再提及此人；账本文件中已不留痕迹。",
        "Forgot {name} at {customer} (private details included); {links} touchpoints no longer name them; no trace is left in the book's files.",
    ),
    "person_forgotten_server": (
        "已彻底删除 {customer} 的 {name}（含私密信息），{links} 条接触记录不再提及此人；相关表已在服务器上重写。服务器的 WAL 归档、备库和备份不在 kehu 控制之内，请管理员按保留策略处理。",
        "Forgot {name} at {customer} (private details included); {links} touchpoints no longer name them, and the tables they were in were rewritten on the server. The server's WAL archive, standbys and backups are beyond kehu's reach: their retention is the administrator's.",
    ),
    "person_forgotten_backups": (
        "注意：此前的 {n} 个备份（{folder}）仍含此人资料，如需要请删除。",
        "Note: {n} earlier backups in {folder} still hold their details; delete them if you must.",
    ),
    "scrub_incomplete": (
        "已删除，但账本文件尚未清理干净（{why}）：请在没有其他 kehu 使用账本时运行 kehu doctor --scrub。",
        "Deleted, but the book's files are not wiped yet ({why}): run `kehu doctor --scrub` when no other kehu is using the book.",
    ),
    "doctor_file_ok": ("kehu 账本", "a kehu book"),
    "doctor_file_new": ("SQLite 文件，尚无 kehu 标识（下次写入时设置）", "an SQLite file without kehu's id yet (set on the next write)"),
    "doctor_ok": ("正常", "ok"),
    "doctor_damaged": ("已损坏：{detail}", "damaged: {detail}"),
    "doctor_fk": ("{n} 行引用了不存在的记录（{tables}）", "{n} rows point at records that do not exist ({tables})"),
    "doctor_schema_newer": (
        "版本 {found} 比本程序支持的 {supported} 新：请升级 kehu",
        "version {found} is newer than this kehu's {supported}: upgrade kehu",
    ),
    "doctor_schema_none": ("没有 kehu 结构版本", "no kehu schema version"),
    "doctor_schema_old": (
        "版本 {found}；下次使用时先备份再升级到 {latest}",
        "version {found}; the next use backs it up and upgrades it to {latest}",
    ),
    "doctor_schema_old_server": (
        "版本 {found}；下次使用时在一个事务中升级到 {latest}（请先用 pg_dump 备份）",
        "version {found}; the next use upgrades it to {latest} in one transaction (back it up with pg_dump first)",
    ),
    "doctor_schema_current": ("版本 {found}（最新）", "version {found} (current)"),
    "doctor_journal": ("{mode}", "{mode}"),
    "doctor_perm_ok": ("仅所有者可读写", "owner only"),
    "doctor_perm_loose": ("他人可访问：{items}", "open to others: {items}"),
    "doctor_found": ("kehu doctor 发现 {n} 个问题。", "kehu doctor found {n} problem(s)."),
    "db_error": (
        "账本操作失败（{error}）。",
        "The book could not be used ({error}).",
    ),
    # a book on a PostgreSQL server (team mode); never the URL, which may hold a password
    "bad_actor": (
        "--as / KEHU_USER 必须是 1 到 200 个字符的名字。",
        "--as / KEHU_USER must be a name of 1 to 200 characters.",
    ),
    "bad_db_url": (
        "--db / KEHU_DB 不是有效的数据库地址：应为 postgresql://用户@主机:端口/数据库（密码放在 ~/.pgpass 或 PGPASSWORD 中）。",
        "--db / KEHU_DB is not a valid database URL: write postgresql://user@host:port/dbname (the password belongs in ~/.pgpass or PGPASSWORD).",
    ),
    "no_psycopg": (
        "使用服务器上的账本需要 psycopg 3：pip install 'kehu[postgresql]'",
        "A server book needs psycopg 3: pip install 'kehu[postgresql]'",
    ),
    "server_not_a_file": (
        "服务器上的账本不能用 kehu {what}：请用服务器自己的工具（pg_dump / pg_restore）备份和恢复。",
        "`kehu {what}` works on a book file; back up and restore a server book with the server's own tools (pg_dump, pg_restore).",
    ),
    "no_server_db": (
        "服务器 {where} 上没有数据库 {db}：请先建库（createdb {db}），或检查 KEHU_DB。",
        "There is no database {db} on {where}: create it first (createdb {db}), or check KEHU_DB.",
    ),
    "no_server_book": (
        "数据库 {where} 里还没有 kehu 账本：kehu add 会在其中建立账本，或检查 KEHU_DB。",
        "The database {where} holds no kehu book yet: `kehu add` starts one there, or check KEHU_DB.",
    ),
    "server_denied": (
        "服务器 {where} 拒绝了用户 {user} 的登录：请检查密码（~/.pgpass 或 PGPASSWORD）和用户名。",
        "The server {where} refused the login of {user}: check the user name and the password (~/.pgpass or PGPASSWORD).",
    ),
    "server_no_rights": (
        "服务器 {where} 不允许此用户这样做（{why}）：请管理员授予账本表的权限。",
        "The server {where} does not allow this user to do that ({why}): ask the administrator to grant rights on the book's tables.",
    ),
    "server_read_only": (
        "服务器 {where} 只读（可能是备库），不能写入。",
        "The server {where} is read-only (a standby?): nothing can be written there.",
    ),
    "server_unreachable": (
        "连接不上服务器 {where}（{why}）：请确认服务器在运行、地址正确，稍后重试。",
        "Cannot reach the server {where} ({why}): check that it is running and the address is right, then try again.",
    ),
    "server_upgrade": (
        "正在升级服务器账本 {where} 的结构（{old} → {new}），在一个事务中完成；kehu 无法复制服务器账本，请依靠服务器的 pg_dump 备份。",
        "Upgrading the schema of the server book {where} ({old} → {new}) in one transaction; kehu cannot copy a server book, so rely on the server's pg_dump backups.",
    ),
    "doctor_server_ok": ("{where}，PostgreSQL {version}", "{where}, PostgreSQL {version}"),
    "doctor_public_tables": (
        "所有数据库用户都能访问这些表：{tables}（REVOKE ALL ON ... FROM PUBLIC）",
        "every database user can reach these tables: {tables} (REVOKE ALL ON ... FROM PUBLIC)",
    ),
    "doctor_privileges_ok": ("未向所有用户（PUBLIC）开放", "not open to every user (PUBLIC)"),
    "doctor_transport_ok": ("连接：{how}", "connection: {how}"),
    "doctor_transport_plain": (
        "与 {where} 的连接未加密，客户资料以明文经过网络（在地址后加 ?sslmode=require）",
        "the connection to {where} is not encrypted: customer data crosses the network in clear (add ?sslmode=require)",
    ),
    "internal_error": (
        "kehu 内部错误（{error}）。不含您数据的报告已存于 {report}，请提交给我们；设置 KEHU_DEBUG=1 可看到完整信息。",
        "Internal error in kehu ({error}). A report without your data is in {report}: please send it to us; KEHU_DEBUG=1 shows the full traceback.",
    ),
    "interrupted": ("已中断，未写入任何内容。", "Interrupted; nothing was written."),
    "interrupted_saved": ("已中断；中断前的更改已保存。", "Interrupted after the change was saved."),
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
    try:
        return template[_index(lang)].format(**params)
    except (KeyError, IndexError, ValueError):
        # A parameter the template names but the caller left out must not turn a
        # refusal into a traceback: show the template with what was given.
        given = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{template[_index(lang)]} ({given})"


# Parameters of messages that hold an enumerated key, and the enum that labels them.
PARAM_ENUMS: dict[str, str] = {
    "stage": "stage",
    "tier": "tier",
    "level": "relationship_level",
    "kind": "touch_kind",
    "status": "contract_status",
    "contract_status": "contract_status",
    "timing": "timing",
    "party": "party",
    "aspect": "aspect",
    "smart": "smart",
    "package": "package",
    "team_role": "team_role",
    "settlement": "settlement",
    "part": "plan_part",
    "action": "contract_action",
}
# Parameters that hold money as whole cents (an int); shown as an amount.
MONEY_PARAMS = frozenset({"amount", "total", "diff", "owed", "excess", "paid", "best", "compromise", "bottom"})


def labelled(key: str, lang: str, /, **params: object) -> str:
    """A message whose parameters may hold keys (shown as labels) and cents (as amounts)."""
    from kehu.money import show_amount

    shown = {}
    for name, value in params.items():
        if name in PARAM_ENUMS and isinstance(value, str):
            value = label(PARAM_ENUMS[name], value, lang)
        elif value is None:
            value = "—"
        elif name in MONEY_PARAMS and type(value) is int:
            value = ("-" if value < 0 else "") + (show_amount(abs(value)) or "0")
        shown[name] = value
    return message(key, lang, **shown)


def error_message(error: KehuError, lang: str) -> str:
    """What a KehuError says in ``lang``: its key and parameters, labelled."""
    return labelled(error.key, lang, **error.params)


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

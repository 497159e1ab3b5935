"""Messages about after the deal (complaints, project reviews, referrals, repeat
business) and the guides shown in context.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # complaints
    "complaint_added": ("已记录投诉 {id}（{customer}）：请在 {due} 前回电确认", "Recorded complaint {id} ({customer}): call back by {due}"),
    "complaint_not_found": ("找不到投诉 {ref}：用 kehu complaint list 查看编号", "no complaint {ref}: kehu complaint list shows the numbers"),
    "complaint_steps_done": ("投诉 {id} 已完成：{steps}", "Complaint {id}, done: {steps}"),
    "complaint_resolved": ("投诉 {id} 已于 {date} 结案", "Complaint {id} resolved on {date}"),
    "complaint_resolved_no_callback": ("注意：投诉 {id} 结案前没有回电确认", "Note: complaint {id} was closed without a call-back"),
    "complaint_already_resolved": ("投诉 {id} 已于 {date} 结案", "complaint {id} was already resolved on {date}"),
    "complaint_resolved_on": ("{date} 结案", "resolved {date}"),
    "complaint_called_back_on": ("{date} 已回电", "called back {date}"),
    "complaint_text": ("回电确认处理结果：{text}", "call back to confirm the fix: {text}"),
    "complaint_counts": ("未结 {open}，已结 {resolved}", "{open} open, {resolved} resolved"),
    "followup_review": ("{id} 是待写的项目复盘：用 kehu review 合同编号 --results ... --lessons ... 写完，它就会消除。", "{id} is a project review to write: `kehu review CONTRACT --results ... --lessons ...` clears it."),
    "followup_repurchase": ("{id} 是再次采购的提醒：记录一次接触或新建合同，周期到了会再提醒。", "{id} is a next-purchase reminder: get in touch or add the contract; it comes back with the next cycle."),
    "trust_open_complaints": ("投诉 {ids} 尚未结案：客户眼中的靠谱正受影响；按步骤处理并回电确认，而不是多做承诺", "Complaint {ids} is open: it weighs on how reliable the customer finds us; handle it and call back, rather than promise more"),
    "np_complaints": ("投诉 {ids} 尚未结案：拖款可能因为我方的产品或交付问题，先解决它", "complaint {ids} is open: the delay may be about our product or delivery; fix that first"),
    "checklist_line": ("  {line}", "  {line}"),
    # reviews
    "review_title": ("合同 #{id} {title} 的项目复盘", "Project review of contract #{id} {title}"),
    "review_written_on": ("复盘已于 {date} 写完", "review written on {date}"),
    "review_not_written": ("复盘尚未写完：kehu review {id} --results ... --lessons ...", "not written yet: kehu review {id} --results ... --lessons ..."),
    "review_saved": ("合同 #{id} 的项目复盘已写完", "The review of contract #{id} is written"),
    "review_partly": ("已记下；写上结果和教训（--results、--lessons），复盘才算写完（合同 #{id}）", "Saved; the review of contract #{id} is written once it has --results and --lessons"),
    "review_needs_closed": ("合同 #{id} 处于{status}：丢单或完成后才做项目复盘", "contract #{id} is {status}: a project review comes after it is lost or completed"),
    "review_prompt": ("请做项目复盘：kehu review {id}（背景、策划、执行、结果与教训）", "Review the project: kehu review {id} (background, planning, execution, results and lessons)"),
    "review_text": ("合同 #{contract} {title}（{status}）：写项目复盘", "contract #{contract} {title} ({status}): write the project review"),
    # repeat business and referrals
    "repurchase_text": ("上次签约 {last}，采购周期约 {cycle} 天（{source}）：联系客户，准备下一次采购", "last signed {last}, buying cycle about {cycle} days ({source}): get in touch about the next purchase"),
    "cycle_set": ("设定", "set"),
    "cycle_history": ("按以往合同", "from past contracts"),
    "cycle_default": ("默认一年", "a year by default"),
    "decay_fell": ("业务下滑（迁移客户）：近12个月签约额比前12个月少 {share}%", "business falling (migrating): signed in the last 12 months is {share}% below the 12 before"),
    "decay_quiet": ("业务下滑（迁移客户）：已 {days} 天没有签约，采购周期约 {cycle} 天", "business falling (migrating): nothing signed for {days} days, buying cycle about {cycle}"),
    "referral_text": ("客户满意：请他们引荐同行、合作伙伴或上下游客户", "a satisfied customer: ask them to introduce peers, partners or their own customers"),
    "expansion_text": ("已交付、眼下没有在谈的合同：提出下一期、其他部门或相关产品", "delivered and nothing under way: propose the next phase, another department or a related product"),
    "referral_added": ("已记下：{name} 由 {by} 引荐", "Recorded: {name} was introduced by {by}"),
    "referral_removed": ("已删除 {name} 的引荐人", "{name} no longer has an introducer"),
    "referral_none": ("{name} 没有记录引荐人", "{name} has no introducer recorded"),
    "cycle_unchanged": ("{name} 的采购周期没有变化", "{name}'s buying cycle is unchanged"),
    "cycle_shown": ("{days} 天（{source}）", "{days} days ({source})"),
    "introduced_by_self": ("{name} 不能由自己引荐", "{name} cannot have introduced itself"),
    "bad_cycle": ("采购周期写成天数，如 90、90d、3m、1y（不是 {value}）", "a buying cycle is a number of days such as 90, 90d, 3m, 1y (not {value})"),
    # guides in context
    "guide_because_complaint": ("投诉 {id} 尚未结案", "complaint {id} is open"),
    "guide_because_lost": ("合同 #{id} 丢单，尚未复盘", "contract #{id} was lost and not reviewed"),
    "guide_because_completed": ("合同 #{id} 已完成，尚未复盘", "contract #{id} is completed and not reviewed"),
    "guide_because_view_mixed": ("客户处于{stage}，近来的信号有正有反", "the customer is at the {stage} stage and recent signals point both ways"),
    "guide_because_view_unknown": ("客户处于{stage}，近来没有看得出态度的信号", "the customer is at the {stage} stage with no recent signal of their view"),
    "guide_because_signed": ("合同 #{id} 已签，正在交付", "contract #{id} is signed and being delivered"),
    "guide_because_next": ("下一步 {id}：{text}", "next step {id}: {text}"),
    "guide_because_rival": ("成熟客户出现对手动向：{signal}", "a rival at a mature customer: {signal}"),
    "guide_because_objection": ("客户有异议：{signal}", "an objection: {signal}"),
    "guide_because_stage": ("客户处于{stage}", "the customer is at the {stage} stage"),
    "guide_because_first": ("客户处于{stage}，接触还不多", "the customer is at the {stage} stage, with little contact yet"),
    "guide_dismiss_hint": ("看过了？kehu guide dismiss 客户 指南 —— 这一情形下不再显示", "Read it? kehu guide dismiss CUSTOMER GUIDE hides it for this occasion"),
    "guide_notice": ("参考「{title}」（kehu playbook {key}）：{heads}", "See “{title}” (kehu playbook {key}): {heads}"),
    "guide_line": ("{line}", "{line}"),
    "guide_dismissed": ("{customer}：{guide} 在 {occasion} 这一情形下不再显示", "{customer}: {guide} is hidden for {occasion}"),
    "guide_already_dismissed": ("{guide} 在 {occasion} 已经不再显示", "{guide} is already hidden for {occasion}"),
    "guide_occasion_needed": ("{guide} 眼下适用于几种情形：{occasions}；请用 --occasion 指明", "{guide} applies to several occasions now: {occasions}; name one with --occasion"),
    "guide_not_here": ("{guide} 眼下不适用于这位客户；要指明情形请用 --occasion", "{guide} does not apply to this customer now; name the occasion with --occasion"),
    "guide_no_steps": ("{guide} 没有可勾选的步骤；有步骤的指南：{guides}", "{guide} has no steps to tick; those that do: {guides}"),
    "guide_bad_step": ("没有步骤 {step}；可选：{accepted}", "no step {step}; the steps are {accepted}"),
    "guide_steps_done": ("{guide}（{occasion}）已完成：{steps}", "{guide} ({occasion}), done: {steps}"),
    "care_touch": ("（关怀接触，不做推销）", "(a care contact, not a sale)"),
}

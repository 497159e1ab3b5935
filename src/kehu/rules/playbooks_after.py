"""The guides for tenders, targets, complaints, loyalty, everyday selling and after the deal.

Seeds 000 (maintenance), 001 §6–7 (tenders, project targets), 002 (loyalty, complaints),
003 (its four reminders) and 004 (first contact, presentation, objections, closing),
distilled in kehu's own words, in Chinese and English. rules.playbooks lists them after
its own eight; the negotiation topics are the checklist `kehu negotiate` shows in a plan.
Pure and static: standard library only.
"""

from __future__ import annotations

from kehu.rules.playbook_model import Playbook, Text, _p, _s

# The steps of the guides a salesperson follows step by step: what `kehu guide done`
# ticks off and `show` lists as done or to do (the key of each step is stable).
STEPS: dict[str, tuple[str, ...]] = {
    "complaint": ("listen", "confirm", "propose", "carry_out", "call_back", "close"),
    "hq_visit": ("plan", "review", "execute", "wrap_up"),
    "project_review": ("background", "planning", "execution", "results"),
}

AFTER: tuple[Playbook, ...] = (
    Playbook(
        "tender",
        Text("招标前的功课", "Working on the tender"),
        Text("考察期和成长期，客户还在定招标规则时。", "At evaluation and growth, while the customer is still setting the tender's rules."),
        (
            _s(
                "招标方式", "Tender mode",
                _p("议标", "Negotiated tender", "技术对接多、工期紧的项目，可以建议客户采用议标。", "Where the work needs close technical alignment or is urgent, suggest a negotiated tender."),
                _p("框架协议", "Framework agreement", "我们的成熟强项产品，争取签框架协议、分批下单。", "For our proven products, aim for a framework agreement with orders in batches; it lifts our share and the contract's quality."),
            ),
            _s(
                "资格与评分", "Qualification and scoring",
                _p("资格预审", "Pre-qualification", "为保交付质量和周期，建议客户设严格的资质门槛。", "To protect quality and delivery, suggest strict qualification thresholds; they keep out cheap bidders who cannot deliver."),
                _p("业绩与认证", "Records and certificates", "建议评分看重同类应用业绩和资质认证。", "Suggest scoring rules that reward records of similar use and certifications."),
                _p("技术指标", "Technical indicators", "结合行业趋势，把我们占优的指标写进技术标书。", "Following the industry's direction, help get the indicators where we lead into the technical tender."),
            ),
        ),
        ("招标", "投标", "标书", "议标", "tender", "bid", "bidding"),
    ),
    Playbook(
        "project_target",
        Text("定项目目标", "Setting a project target"),
        Text("成长期，准备正式方案和应标前，先把目标定实。", "At growth, before the formal proposal and the bid: fix a real target."),
        (
            _s(
                "要考虑的", "What to weigh",
                _p("客户预算", "The customer's budget", "钱有多少、从哪来、何时到位。", "How much money there is, where it comes from and when."),
                _p("产品适配", "Product fit", "我们的产品和方案能覆盖多少需求。", "How much of the need our products and solution cover."),
                _p("竞争形势", "Competition", "谁在争、各自占几成把握。", "Who is competing and how strong each one is."),
                _p("市场格局", "The market", "这个行业和地区的份额怎么分布。", "How share is divided in this industry and region."),
                _p("我方能力", "Our capability", "团队、交付和资源撑不撑得住。", "Whether our team, delivery and resources can carry it."),
            ),
            _s(
                "写成SMART目标", "Write it SMART",
                _p("具体可衡量", "Specific and measurable", "写明拿下什么、金额多少、份额几成。", "Say what we win, for how much, at what share."),
                _p("可达成且相关", "Achievable and relevant", "对照上面五项，目标够得着，也服务于客户规划。", "Checked against the five above, reachable and in line with our plan for the account."),
                _p("有时间点", "Time-bound", "给每个节点定日期。", "Put a date on each milestone."),
            ),
        ),
        ("项目目标", "定目标", "目标", "target", "project target", "smart"),
    ),
    Playbook(
        "complaint",
        Text("处理客户投诉", "Handling a complaint"),
        Text("客户投诉时，一步步处理，最后一定回电确认。", "A customer complains: take it step by step and always call back to confirm."),
        (
            _s(
                "处理步骤", "The steps",
                _p("倾听", "Listen", "让客户把话说完，等他情绪平复再谈办法。", "Let them say everything; talk about a fix only once they have calmed down."),
                _p("确认细节", "Confirm the details", "先表示理解，站在他的位置想，再把事实问清。", "Show you understand and see it their way, then pin down the facts."),
                _p("提出方案", "Propose a fix", "给出具体的解决办法和时间。", "Offer a concrete fix with a date."),
                _p("落实", "Carry it out", "说到做到，按时把问题解决。", "Do what you said, on time."),
                _p("回电确认", "Call back", "解决后主动回电，确认客户满意。", "Once it is fixed, call them to confirm they are satisfied."),
                _p("结案", "Close it", "记下原因和结果，防止再犯。", "Record the cause and outcome so it does not happen again."),
            ),
            _s(
                "为什么值得", "Why it pays",
                _p("投诉是机会", "A complaint is a chance", "诉求得到满足的投诉客户，往往买得更多，还会推荐别人。", "A complainant whose request is met tends to buy more and recommend us."),
                _p("让投诉变容易", "Make complaining easy", "留好渠道，让客户有话愿意直说。", "Keep channels open so customers tell us rather than leave."),
            ),
        ),
        ("投诉", "抱怨", "客诉", "complaint", "complaints", "complain"),
    ),
    Playbook(
        "loyalty",
        Text("留住老客户", "Keeping long-standing customers"),
        Text("成熟期客户：靠信任留住，而不是靠打折。", "Mature customers: keep them through trust, not discounts."),
        (
            _s(
                "七个要素", "Seven factors",
                _p("渠道顺畅", "Easy channels", "下单、咨询、付款、投诉，每一步都让客户省心。", "Buying, asking, paying and complaining should all be easy."),
                _p("不带推销的联系", "Contact that does not sell", "打电话致谢、问候、关心，给予而不索取。", "Call to thank, to greet, to care: give rather than take."),
                _p("特殊待遇", "Special treatment", "合作久、量大的客户，给他应有的优待。", "Customers with long or large business deserve a visible privilege."),
                _p("快速解决问题", "Fast problem-solving", "出问题不可怕，怠慢才可怕。", "Problems are forgivable; neglect is not."),
                _p("预见需求", "Anticipate needs", "靠客户资料和关系，在他开口前想到。", "Use what the book knows to meet a need before it is voiced."),
                _p("专业友好", "Friendly and professional", "任何时候都平等、专业地对待客户。", "Treat every customer with the same courtesy and competence."),
                _p("给客户带生意", "Bring them business", "帮客户赚钱，是最有力的一条。", "Helping them earn money is the strongest of all."),
            ),
            _s(
                "提醒", "A warning",
                _p("打折留不住人", "Discounts buy little", "靠折扣换来的忠诚很短，还会让老客户觉得不公。", "Loyalty bought with discounts is short and can feel unfair to others."),
            ),
        ),
        ("忠诚", "老客户", "客户忠诚", "loyalty", "retention"),
    ),
    Playbook(
        "first_contact",
        Text("初次接触", "The first contact"),
        Text("陌生期和建立期，第一次见客户时。", "At the stranger and acquainted stages, meeting them for the first time."),
        (
            _s(
                "准备与见面", "Prepare and meet",
                _p("先做功课", "Do the homework", "见面前查清他的角色和合适时机。", "Before meeting, learn their role and the right moment."),
                _p("不急着卖", "Do not sell yet", "第一次见面只为引起兴趣、打好基础。", "The first meeting is to raise interest and lay a foundation."),
                _p("第一印象", "First impression", "着装、礼仪、问候和自我介绍都合对方的习惯。", "Dress, manners, greeting and introduction should suit their customs."),
                _p("不要操之过急", "Do not rush", "留出下次见面的理由。", "Leave a reason for a next meeting."),
            ),
        ),
        ("初次接触", "首次拜访", "第一印象", "first contact", "first meeting"),
    ),
    Playbook(
        "presentation",
        Text("产品展示", "Presenting our offer"),
        Text("建立期和考察期，演示方案或产品时。", "At the acquainted and evaluation stages, presenting a solution or product."),
        (
            _s(
                "三种方式", "Three modes",
                _p("刺激反应", "Stimulus and response", "不断换角度打动客户，适合简单产品。", "Keep trying angles until one lands; fits simple products."),
                _p("程序化介绍", "A set presentation", "标准材料按步骤讲透，准确但单向。", "Standard material in a fixed order: thorough but one-way."),
                _p("需求满足", "Need and satisfaction", "让客户说出需求，再对应讲方案。", "Let the customer state the need, then answer it; the best fit for key accounts."),
            ),
            _s(
                "要点", "Keep in mind",
                _p("方式配客户", "Match the mode", "展示方式不合客户特点，投入就白费了。", "A mode that does not suit the customer wastes the effort."),
            ),
        ),
        ("展示", "演示", "产品展示", "presentation", "demo", "present"),
    ),
    Playbook(
        "objection",
        Text("处理异议", "Handling objections"),
        Text("客户提出异议时：欢迎它，它是新一轮销售的开始。", "The customer objects: welcome it, it starts a new round of selling."),
        (
            _s(
                "六种技巧", "Six techniques",
                _p("承认并转化", "Acknowledge and turn", "认可他的顾虑，再转到对他有利的一面。", "Accept the concern, then turn it towards a benefit."),
                _p("延后回答", "Defer", "时机不对的问题，约好稍后专门回答。", "Answer an untimely point later, and say when."),
                _p("同意并抵消", "Agree and offset", "承认短处，用更大的长处抵消。", "Admit the weakness and weigh a larger strength against it."),
                _p("接受", "Accept", "异议有理就接受，并调整方案。", "If it is right, accept it and adapt the offer."),
                _p("否认", "Deny", "与事实不符时，礼貌地拿证据澄清。", "If it is untrue, correct it politely with evidence."),
                _p("忽略", "Let it pass", "随口的牢骚不必纠缠。", "A passing grumble needs no debate."),
            ),
            _s(
                "底线", "The line",
                _p("绝不说谎", "Never lie", "无论用哪种技巧，都以诚信为本。", "Whatever the technique, honesty comes first."),
            ),
        ),
        ("异议", "反对意见", "顾虑处理", "objection", "objections"),
    ),
    Playbook(
        "closing",
        Text("促成交易", "Closing the deal"),
        Text("成长期到签约前，向客户要购买承诺时。", "From growth to signing, asking the customer to commit."),
        (
            _s(
                "两种策略", "Two strategies",
                _p("被动", "Passive", "等客户自己提出成交，他不会有被逼的感觉。", "Wait for the customer to propose it; they never feel pushed."),
                _p("主动", "Active", "主动提出成交，讲究方法，不能生硬。", "Ask for the order yourself, with skill rather than force."),
            ),
            _s(
                "主动的三种技巧", "Three active techniques",
                _p("试探", "Trial close", "问一个小决定，看他是否准备好了。", "Ask for a small decision to see if they are ready."),
                _p("假设", "Assume it", "按已经成交来谈交付和安排。", "Talk about delivery and arrangements as if it were agreed."),
                _p("期限", "A deadline", "用真实的期限促成决定，不能编造。", "Use a real deadline to prompt the decision, never an invented one."),
            ),
        ),
        ("成交", "促成", "签单", "closing", "close the deal"),
    ),
    Playbook(
        "maintenance",
        Text("项目中的关系维护", "Keeping the relationship in good repair"),
        Text("项目推进中和成交之后，日常维护客户关系时。", "While a project runs and after the deal, in everyday care of the account."),
        (
            _s(
                "做法", "Practices",
                _p("目标和责任写下来", "Goals and owners in writing", "双方的目标、分工和负责人都落在纸上。", "Write down both sides' goals, tasks and owners."),
                _p("口头约定要书面确认", "Confirm what was said", "电话或见面谈定的事，会后发文字确认。", "After a call or meeting, confirm the agreement in writing."),
                _p("分阶段有路线图", "Phases and a roadmap", "把项目拆成阶段，每段有计划。", "Split the project into phases, each with a plan."),
                _p("加钱先商量", "Agree cost increases first", "任何增加费用的事，先取得客户同意。", "Get the customer's agreement before any cost goes up."),
                _p("冷静回应反馈", "Answer feedback calmly", "客户的意见，平心静气地接住。", "Take the customer's feedback calmly."),
                _p("结束后复盘", "Review afterwards", "项目结束时一起回顾得失。", "Look back together when the project ends."),
            ),
            _s(
                "四点提醒", "Four reminders",
                _p("资源共享", "Pool resources", "客户资源是公司的，要共用。", "Customer resources belong to the company; share them."),
                _p("判断需求值不值得", "Is the need worth meeting now", "先想清楚这个需求现在满足是否划算。", "Judge whether meeting this need now pays."),
                _p("需求因人因时而变", "Needs differ and change", "每个人要的不同，还会变，要定期再问。", "Each person wants something different, and it changes; ask again."),
                _p("雪中送炭", "Help in need", "客户困难时伸手，胜过顺境时锦上添花。", "Help when they are in trouble counts far more than extras in good times."),
            ),
        ),
        ("维护", "关系维护", "maintenance", "upkeep"),
    ),
    Playbook(
        "negotiation_topics",
        Text("商务谈判议题", "The topics of a commercial negotiation"),
        Text("谈判计划里逐项谈定，再写进合同条款。", "Settle each in the negotiation plan, then turn it into contract clauses."),
        (
            _s(
                "六个议题", "Six topics",
                _p("价格", "Price", "总价、单价和优惠条件。", "Total and unit prices and any terms attached."),
                _p("交货期", "Delivery date", "什么时候交、分几批。", "When it is delivered, and in how many lots."),
                _p("实施进度", "Implementation schedule", "上线和验收的时间表。", "The timetable to go live and to acceptance."),
                _p("售后服务", "After-sales", "保修、响应时间和培训。", "Warranty, response times and training."),
                _p("付款方式", "Payment terms", "分几期、各期比例和条件。", "Instalments, their shares and conditions."),
                _p("整体方案", "The overall solution", "范围和配置最终以哪版为准。", "Which scope and configuration are final."),
            ),
        ),
        ("谈判议题", "议题", "negotiation topics", "topics"),
    ),
)

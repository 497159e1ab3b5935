"""Playbooks (应对): short guides for situations a key-account salesperson meets again and again.

Each playbook is a title, one line on when to use it, and sections of points (a head and
a one- or two-sentence body: a cause and its answer, a lever and how to pull it). The
text is ours, distilled from the methodology in seed 001, in Chinese and English.

Pure and static: standard library only, nothing is read from a book. ``find`` turns what
a salesperson types (a key, a title, 降价, "discount") into a topic key; ``for_signals``
says which playbooks a touchpoint's recorded signals call for, so commands can show them
next to the data; ``playbook_lines`` and ``playbook_json`` are the two shapes they print.
"""

from __future__ import annotations

import re
import unicodedata

from kehu.rules.playbook_model import Playbook, Point, Text, _p, _s
from kehu.rules.playbooks_after import AFTER
from kehu.rules.signals import for_signals  # noqa: F401  (part of this module's interface)

# The labels a command prints around the content.
LABELS: dict[str, Text] = {
    "playbooks": Text("应对指南", "Playbooks"),
    "topic": Text("主题", "Topic"),
    "title": Text("名称", "Title"),
    "when": Text("适用", "When to use"),
}

_PLAYBOOKS: tuple[Playbook, ...] = (
    Playbook(
        "price_cut",
        Text("客户要降价", "A customer asks for a price cut"),
        Text("客户开口压价、砍价时，先判断原因再回应。", "The customer pushes for a lower price: find out why before you answer."),
        (
            _s(
                "六种原因与对策", "Six causes and the answer to each",
                _p(
                    "担心风险与收益", "Worried about risk versus return",
                    "客户想用价格对冲风险。拿出同类项目的成效、质量承诺和售后安排，让他看到风险可控。",
                    "They hedge the risk with the price. Show similar successful projects, quality commitments and after-sales cover so the risk looks manageable.",
                ),
                _p(
                    "对手报了低价", "A rival offered a low price",
                    "弄清是哪一家、凭什么便宜，点出它的薄弱处，让客户自己看到风险。",
                    "Find out who it is and why they are cheap; point out their weak spots so the customer sees the risk.",
                ),
                _p(
                    "超出预算", "Over budget",
                    "先问清实际预算有多少，再在满足标书要求的前提下调整方案配置，而不是直接让价。",
                    "Learn the real budget, then reshape the configuration within the tender's requirements rather than cut the price.",
                ),
                _p(
                    "组织绩效要求", "The organisation's performance targets",
                    "对方需要一份拿得出手的成绩。多给培训名额、延长保修，价格不动。",
                    "They need a result to show their management. Offer extra training places or a longer warranty, not a lower price.",
                ),
                _p(
                    "个人诉求", "A personal motive",
                    "价格只是托词。先弄明白他本人想要什么，再在合规范围内回应。",
                    "The price is a pretext. Find out what the person actually wants and answer that within the rules.",
                ),
                _p(
                    "随口一提", "Said in passing",
                    "有经验一听便知。守住价格，把力气花在关系上。",
                    "Experience tells you. Hold the price and put the effort into the relationship.",
                ),
            ),
        ),
        ("降价", "砍价", "压价", "让价", "要求降价", "price", "price cut", "discount", "cut price", "haggle"),
    ),
    Playbook(
        "low_price_rival",
        Text("竞争对手低价抢单", "A low-price competitor"),
        Text("对手拿低价来抢项目时，先看清局面再定策略。", "A competitor tries to win on price: read the situation, then choose a strategy."),
        (
            _s(
                "客户比价格更看重的", "What customers rank above price",
                _p("可靠性", "Reliability", "产品和方案稳不稳，通常排在第一。", "Whether the product and solution hold up usually comes first."),
                _p("售后服务", "After-sales service", "出了问题有没有人管、多快能解决。", "Who fixes problems, and how fast."),
                _p("技术领先", "Technical edge", "方案几年后还跟不跟得上需要。", "Whether the solution will still fit in a few years."),
                _p("品牌", "Brand", "选知名供应商，决策人更好交代。", "A well-known supplier is easier for the decision-maker to defend."),
                _p("价格", "Price", "排在最后：前四项讲透了，价格的分量自然变轻。", "Last: once the first four are clear, price weighs less."),
            ),
            _s(
                "先看自己", "Look at our own position",
                _p("目标", "Our goal", "这一单我们要什么：拿下项目、守住份额，还是保住利润？", "What do we want here: the win, the share, or the margin?"),
                _p("优势", "Strengths", "哪些地方对手比不了？", "Where can the rival not match us?"),
                _p("短板", "Gaps", "哪些地方会被对手拿来做文章？", "Where will the rival attack us?"),
                _p("关系支撑", "Relationship support", "客户内部有几个人愿意替我们说话？", "How many people at the customer will speak for us?"),
            ),
            _s(
                "对手为什么便宜", "Why the rival is cheap",
                _p("便宜没好货", "Cheap and poor", "东西本身差，就用故障和风险说话。", "The product is worse: talk about failures and risk."),
                _p("成本真的更低", "Genuinely lower cost", "质量尚可但成本低于我们，只能靠价值和服务拉开差距。", "Quality is fair but their cost is lower: compete on value and service."),
                _p("方案缩水", "A stripped-down offer", "把配置并排对比，让客户看清少了什么。", "Compare the scope side by side so the customer sees what is missing."),
                _p("方案更省", "A smarter, cheaper design", "对手的做法确实更经济，要虚心借鉴，改进我们的方案。", "Their design really is more economical: learn from it and rework ours."),
                _p("恶意压价", "Pricing to hurt us", "目的是打掉我们的利润，不要被牵着一起降。", "The aim is to wipe out our margin; do not follow them down."),
                _p("抢市场", "Buying a way in", "对手想借这一单打开市场，可以不计利润。", "They want a foothold in the market and will give up margin to get it."),
            ),
            _s(
                "定策略", "Strategies",
                _p("算总账", "Whole-life cost", "引导客户按项目全周期算账：投资加运营，总成本最低才划算。", "Have the customer compare total cost over the project's life: purchase plus running costs."),
                _p("讲综合价值", "Show the full value", "紧扣客户痛点，讲清我们方案的整体价值。", "Tie our offer to the customer's pain points and show its full value."),
                _p("抬高技术门槛", "Raise the technical bar", "推动客户在招标中提高技术要求。", "Encourage the customer to set higher technical requirements in the tender."),
                _p("降低价格权重", "Less weight on price", "争取让商务分在评标打分中占比更低。", "Argue for less weight on the commercial score in the evaluation."),
                _p("附加价值", "Added value", "培训、售后、品牌背书，都是价格以外的筹码。", "Training, after-sales and our brand are bargaining chips besides price."),
                _p("长期合作", "Long-term value", "说明长期合作能给客户带来什么。", "Show what a long-term partnership gives the customer."),
                _p("更省的方案", "A lower-cost design", "拿出一套成本更低、依然可靠的方案。", "Offer a cheaper design that is still reliable."),
                _p("组合销售", "Bundling", "打包报价，让单项价格不再是焦点。", "Quote a bundle so no single price is the focus."),
            ),
        ),
        ("低价", "低价竞争", "低价对手", "对手低价", "竞争对手", "对手", "友商", "low price", "competitor", "rival", "cheap rival", "undercut", "price war"),
    ),
    Playbook(
        "non_payment",
        Text("客户迟迟不付款", "A customer who does not pay"),
        Text("合同款到期未付时，先查原因再对症处理。", "A payment is overdue: find the cause, then respond to it."),
        (
            _s(
                "六种原因与对策", "Six causes and the response to each",
                _p(
                    "资金短缺", "Shortage of funds",
                    "给出灵活的付款安排，必要时帮客户对接融资。",
                    "Offer a flexible payment schedule and, if needed, help them find financing.",
                ),
                _p(
                    "对产品有疑虑", "Doubts about the product",
                    "确有问题就坦诚沟通、商定对方认可的解决办法；只是担心，就用实际运行情况和案例证明可靠。",
                    "If there is a real fault, talk it through and agree a fix; if it is only worry, prove reliability with live installations and cases.",
                ),
                _p(
                    "对交付有疑虑", "Doubts about delivery",
                    "马上排查。是我们的错就整改，必要时换项目经理；只是观感不好就联合测试；销售承诺过头则坐下来协商。",
                    "Check at once. If we are at fault, fix it and change the project manager if needed; if it is only perception, test together; if sales over-promised, negotiate.",
                ),
                _p(
                    "对手签约后搅局", "A rival stirring after signing",
                    "对手抛出低价想让客户变卦。尽快找出其方案的漏洞，强调长期合作的价值，多沟通，稳住客户。",
                    "A rival pitches a cheaper offer to turn the customer. Find its weak points fast, stress the long-term value and keep talking to hold the customer.",
                ),
                _p(
                    "某个环节关系没做到位", "Weak relationships at some node",
                    "前期漏掉的人，到付款时就会挑毛病。找出是哪一环，尽快把关系补上。",
                    "Someone overlooked earlier now finds fault at payment time. Find which link it is and repair that relationship.",
                ),
                _p(
                    "恶意拖欠", "Deliberate default",
                    "先借助对方更高层的关系解决；确属恶意，就走法律途径。",
                    "Escalate through more senior contacts first; if the default is deliberate, go to law.",
                ),
            ),
        ),
        ("回款", "不付款", "欠款", "付款", "拖欠", "催款", "收款", "payment", "non payment", "nonpayment", "unpaid", "overdue", "arrears", "collection"),
    ),
    Playbook(
        "leading_position",
        Text("守住优势市场", "Keeping a leading position"),
        Text("在我们已占优势的客户或市场，防止对手突破。", "Where we are already strong: keep rivals from breaking in."),
        (
            _s(
                "七个抓手", "Seven levers",
                _p("满意度", "Satisfaction", "好资源优先投向这里，把售后做扎实。", "Put our best resources here and make after-sales solid."),
                _p("立体关系", "Relationships at every level", "关键人、普通接触人和整个组织，三个层面都要有关系。", "Build ties with key people, everyday contacts and the organisation as a whole."),
                _p("依赖度", "Dependence", "做产品和管理培训，帮客户做市场规划，让他离不开我们。", "Train their people on products and management and help plan their market, so they come to rely on us."),
                _p("流程匹配", "Process fit", "打通双方流程、签框架协议，让采购更省事。", "Connect our processes and use framework agreements so buying from us is easy."),
                _p("合作维度", "More dimensions of cooperation", "从卖产品到做方案，从做生意到战略合作、联合创新；合作面越多，对手越难插进来。", "Move from products to solutions and from trade to strategy and joint innovation; the more ways we work together, the harder we are to displace."),
                _p("适度让价", "A measured price move", "利润守得住的话，主动让一点价或多给些附加价值，让客户心里平衡。", "Keeping a fair margin, offer a small cut or some extra value unasked, so the customer feels fairly treated."),
                _p("排除风险", "Remove risks", "主动排查产品隐患和关系盲区，免得客户有理由请对手进来。", "Look for product risks and blind spots in our relationships first, so the customer has no reason to invite a rival."),
            ),
        ),
        ("优势", "领先", "优势市场", "保持领先", "leading", "leading position", "stronghold", "defend"),
    ),
    Playbook(
        "real_view",
        Text("摸清客户真实想法", "Reading the customer's real view"),
        Text("客户嘴上说的未必是心里想的，要问、要看、还要核实。", "What the customer says may not be what they think: ask, watch and verify."),
        (
            _s(
                "问法", "Ways to ask",
                _p("假设提问", "Hypothetical questions", "问“假如合作了，您最担心出什么问题？”，提前听到顾虑。", "Ask “If we work together, what worries you most?” to hear concerns early."),
                _p("借第三方案例", "Third-party cases", "讲一个别家的案例，听客户怎么点评，他的态度就在评语里。", "Tell another customer's story and listen to the comments; their own view shows through."),
            ),
            _s(
                "看关键行为", "Read key behaviours",
                _p("提问多少", "Questions", "对方案问得多，说明在认真考虑。", "Many questions about the proposal mean they are taking it seriously."),
                _p("花不花时间", "Time spent", "肯不肯抽时间和你讨论方案。", "Whether they make time to discuss the proposal."),
                _p("广度与深度", "Breadth and depth", "讨论是宽是窄、是深是浅。", "Whether the discussion is broad or narrow, deep or shallow."),
                _p("引荐高层", "Introducing executives", "愿不愿意把你介绍给他的上级。", "Whether they will introduce you to their executives."),
                _p("反复谈价", "Returning to price", "一再回到价格上，往往已经在认真比较。", "Coming back to price again and again usually means they are comparing in earnest."),
                _p("评价对手", "What they say of rivals", "他怎么说别的厂商，也就透露了怎么看我们。", "How they talk about other suppliers hints at how they see us."),
            ),
            _s(
                "核实", "Verify",
                _p("侧面交叉验证", "Cross-check through others", "直接问不出来时，向他周围的同事或相关部门侧面打听。", "Where you cannot get a straight answer, ask the people around them or neighbouring departments."),
                _p("阶段复盘", "Review after each stage", "每到一个节点，拿客户之前的说法对照结果、记下来，作为下一步判断的依据。", "At each milestone, check what the customer said against what happened and note it for later judgments."),
            ),
        ),
        ("真实想法", "想法", "顾虑", "摸底", "real view", "intent", "concerns"),
    ),
    Playbook(
        "visit_plan",
        Text("拜访策划", "Planning a visit"),
        Text("约好拜访后、出发前：想清楚、写清楚、讲清楚。", "After a visit is booked, before you go: think it through, write it down, say it plainly."),
        (
            _s(
                "想清楚", "Think it through",
                _p("背景", "Background", "客户的行业、公司、产品方案、合作伙伴和对方个人情况，以及项目进展和双方关系。", "Their industry, company, products, partners and the person; where the project stands and how we relate."),
                _p("目标", "Goal", "这次要拿到什么：了解需求、建立信任、获取信息、争取支持，还是建立合作。", "What this visit should achieve: learn needs, build trust, get information, win support or open a partnership."),
                _p("过程", "Process", "时间地点和人数、材料和礼品、着装、开场和分工；预想客户会问什么，最后争取一个承诺。", "Time, place and who comes; materials, gift and dress; the opening and who speaks when; expected questions; end by asking for a commitment."),
            ),
            _s(
                "写清楚", "Write it down",
                _p("量身定制", "Tailored materials", "材料按这位客户的情况、需求与痛点定制，让他觉得值得一看。", "Build the material around their background, needs and pain points so it is worth their time."),
                _p("规范清晰", "Clear and on-brand", "用公司统一模板，主题明确、结构完整、逻辑通顺；要讲的幻灯片得体、抓眼球。", "Use the company template, one clear theme, a complete and logical structure; slides that hold attention."),
            ),
            _s(
                "讲清楚", "Say it plainly",
                _p("先试讲", "Rehearse", "重要汇报先在内部讲一遍。", "Rehearse important presentations internally first."),
                _p("说大白话", "Plain words", "少用术语和缩写。", "Avoid jargon and acronyms."),
                _p("站在客户一边", "From their side", "多听、察言观色，弄懂真实意图；观点鲜明，紧扣客户关心的问题。", "Listen, watch reactions and understand the real intent; make clear points on what they care about."),
                _p("照顾全场", "Include everyone", "重点关注关键人，也别冷落在场的其他人。", "Focus on the key person without ignoring the others in the room."),
            ),
        ),
        ("拜访", "拜访策划", "拜访计划", "visit", "visit plan", "plan a visit"),
    ),
    Playbook(
        "hq_visit",
        Text("客户来公司考察", "A customer visit to our company"),
        Text("邀请客户来总部、分支机构或研究所参观交流时。", "A customer comes to see our headquarters, a branch or a lab."),
        (
            _s(
                "流程", "The flow",
                _p("策划", "Plan", "按下面七个要素拟接待方案。", "Draft the plan along the seven elements below."),
                _p("评审", "Review", "方案先评审，再执行。", "Have the plan reviewed before acting on it."),
                _p("执行", "Execution", "按方案落实，随时调整。", "Carry it out, adjusting as you go."),
                _p("总结闭环", "Wrap-up", "评估效果，把遗留问题逐项关闭。", "Assess the result and close every open issue."),
            ),
            _s(
                "七个要素", "The seven elements",
                _p("客户", "Customer", "吃透客户的诉求、痛点和兴趣，想好五个“什么”：让他看哪些、听哪些、我们讲哪些、见哪些人、带走什么；不硬塞他不感兴趣的东西。", "Know their needs, pains and interests and settle the five whats: what they see, hear and say, whom they meet, what they take home. Skip what does not interest them."),
                _p("技术", "Technical", "按痛点定交流主题和专家，材料提前评审。", "Choose topics and experts around their pain points; review the material in advance."),
                _p("体验", "Experience", "按客户需要，安排看展厅、体验中心、实验室或样板点。", "Arrange the showroom, experience centre, lab or reference sites to match their needs."),
                _p("领导", "Leaders", "级别对等；提前定好出席的领导、专家和会谈主题。", "Match seniority; confirm in advance which leaders and experts attend and what they will discuss."),
                _p("礼品", "Gifts", "守法、尊重习俗；文化礼品、公司产品或定制品都可以；定好何时、由谁送。", "Lawful and respectful of custom: a cultural gift, our product or something made for them; decide when and by whom."),
                _p("行程", "Itinerary", "接机送机、住宿、用餐、参观，一样不漏。", "Airport transfers, hotel, meals and tours, all arranged."),
                _p("评审", "Review", "客户级别越高，审方案的主管级别也越高。", "The customer's rank decides how senior our reviewers are."),
            ),
            _s(
                "执行", "Execution",
                _p("资源提前确认", "Confirm resources early", "出席的领导和专家、展厅和样板点、礼品、宴请、车辆，都要提前敲定。", "Leaders, experts, showroom, sites, gifts, dinners and transport: confirm each in advance."),
                _p("内容对齐", "Align the content", "提前和出席的领导、专家对好要谈什么。", "Agree beforehand with the attending leaders and experts what they will say."),
                _p("征求客户意见", "Ask the customer", "安排及时告诉客户，按反馈调整。", "Send the customer the schedule early and adjust to their comments."),
                _p("留意反馈", "Watch reactions", "考察中随时留意客户的反应，灵活调整。", "During the visit, watch their reactions and adapt."),
            ),
            _s(
                "总结与闭环", "Wrap-up and closing the loop",
                _p("评估", "Assess", "对照目标，看达成了多少。", "Measure the result against the goals."),
                _p("纪要", "Minutes", "整理双方高层会谈的要点，审定后发给客户。", "Write up the executives' meeting, get it approved and send it."),
                _p("跟进问题", "Follow up", "客户提的问题和诉求逐项落实，明确谁负责、下一步做什么。", "Track each issue the customer raised, with an owner and a next step."),
                _p("线索与回访", "Leads and return visits", "跟进销售线索，安排回访和后续互动。", "Follow up sales leads and plan return visits."),
                _p("致谢", "Thanks", "感谢来访的客户一行，也感谢我方出面接待的领导和专家。", "Thank the delegation, and our leaders and experts who hosted."),
            ),
        ),
        ("考察", "来访", "接待", "参观", "考察接待", "hq visit", "company visit", "hosting", "reception"),
    ),
    Playbook(
        "project_review",
        Text("项目复盘", "A project review"),
        Text("项目赢单、丢单或告一段落后，把经过还原出来。", "After a project is won, lost or reaches a milestone: reconstruct what happened."),
        (
            _s(
                "背景", "Background",
                _p("大环境", "Environment", "当时的政治经济形势和行业政策。", "The political and economic climate and industry policy at the time."),
                _p("客户", "The customer", "客户的发展规划和痛点，项目因何而起。", "The customer's plans and pain points, and why the project started."),
                _p("友商", "Competitors", "有哪些竞争对手、各自处境如何。", "Which competitors were in play and where they stood."),
            ),
            _s(
                "策划", "Planning",
                _p("需求引导", "Shaping the need", "前期怎样引导出客户的需求。", "How we shaped the customer's need early on."),
                _p("信息", "Information", "客户和对手的信息怎么收集、怎么分析。", "How we gathered and read information on the customer and rivals."),
                _p("目标与策略", "Goal and strategy", "怎样分析项目、定目标、定策略。", "How we analysed the project, set the goal and chose the strategy."),
            ),
            _s(
                "执行", "Execution",
                _p("各项策略", "Each strategy", "客户关系、产品方案、商务融资、竞争、服务、合同谈判，逐项写清怎么定的、怎么做的。", "Relationships, solution, commercial terms and financing, competition, service, contract negotiation: what was planned and done for each."),
            ),
            _s(
                "结果与教训", "Results and lessons",
                _p("成败关键", "What decided it", "胜负各取决于哪几处。", "What won or lost it for us."),
                _p("信息准不准", "Information", "哪些信息是准的，哪些错了。", "Which information was right and which was wrong."),
                _p("策略对不对", "Strategy", "哪些策略有效，哪些缺失或走偏；哪些落实了，哪些没有。", "Which strategies worked and which were missing or off; which were carried out and which were not."),
                _p("前提", "Premises", "哪些决策的前提本身错了或有偏差。", "Which decisions rested on wrong or skewed assumptions."),
            ),
        ),
        ("总结", "复盘", "项目总结", "项目复盘", "review", "retrospective", "retro", "post mortem", "lessons"),
    ),
)

PLAYBOOKS: dict[str, Playbook] = {pb.key: pb for pb in _PLAYBOOKS + AFTER}
TOPICS: tuple[str, ...] = tuple(PLAYBOOKS)


# ---------------------------------------------------------------- finding a topic


def _fold(value: str) -> str:
    """How topics are compared: NFKC, case-folded; '_', '-' and runs of spaces are one space."""
    text = unicodedata.normalize("NFKC", value).casefold()
    text = re.sub(r"[\s_\-]+", " ", text)
    return text.strip(" ?？!！.。,，:：")


def _forms() -> dict[str, str]:
    table: dict[str, str] = {}
    for pb in PLAYBOOKS.values():
        for form in (pb.key, pb.title.zh, pb.title.en, *pb.aliases):
            folded = _fold(form)
            owner = table.setdefault(folded, pb.key)
            if owner != pb.key:  # a form that names two topics is a bug in the table above
                raise AssertionError(f"{form!r} names both {owner} and {pb.key}")
    return table


_FORMS = _forms()


def _pattern(form: str) -> str:
    # English forms match as words (plural allowed); Chinese ones anywhere.
    if form.isascii():
        return rf"(?<![a-z0-9]){re.escape(form)}(?:e?s)?(?![a-z0-9])"
    return re.escape(form)


_FORM_RES = [(re.compile(_pattern(form)), key) for form, key in _FORMS.items()]


def candidates(topic: str) -> tuple[str, ...]:
    """The topic keys ``topic`` could mean, in TOPICS order: one, none, or several.

    An exact form (key, title, short form) names one topic. Otherwise every form found
    inside the text counts (客户要求降价怎么办 → price_cut), except a form that lies
    within a longer one found at the same place ("price" inside "low price").
    """
    text = _fold(topic)
    if not text:
        return ()
    exact = _FORMS.get(text)
    if exact is not None:
        return (exact,)
    spans = [(m.start(), m.end(), key) for rx, key in _FORM_RES for m in rx.finditer(text)]
    kept = {
        key
        for start, end, key in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    }
    return tuple(k for k in TOPICS if k in kept)


def find(topic: str) -> str | None:
    """The one topic key ``topic`` names, or None when it names none or several.

    Ambiguous text ("对手低价，客户也在砍价" names two topics) returns None rather than
    picking one; ``candidates`` tells the two cases apart.
    """
    keys = candidates(topic)
    return keys[0] if len(keys) == 1 else None


# ---------------------------------------------------------------- signals

# Which playbooks a touchpoint's signals call for is rules.signals' for_signals (imported
# above): a module of its own, so that `kehu show` can ask without loading these texts.


# ---------------------------------------------------------------- shapes to print


def _get(pb: Playbook | str) -> Playbook:
    return PLAYBOOKS[pb] if isinstance(pb, str) else pb


def point_line(point: Point, lang: str, number: int) -> str:
    """One point on one line: ``1. head — body``, in Chinese ``1、head：body``.

    The Chinese form has no space, so a terminal folds a long line where it must instead
    of breaking after the number (Rich wraps only at spaces).
    """
    if lang == "zh":
        return f"{number}、{point.head.zh}：{point.body.zh}"
    return f"{number}. {point.head.en} — {point.body.en}"


def when_line(pb: Playbook | str, lang: str) -> str:
    sep = "：" if lang == "zh" else ": "
    return f"{LABELS['when'].get(lang)}{sep}{_get(pb).when.get(lang)}"


def playbook_lines(pb: Playbook | str, lang: str) -> list[str]:
    """The whole playbook as plain lines: title, when, then each section and its points.

    Sections are separated by an empty line; nothing is wrapped, so a caller can put the
    lines in any block (kehu.render.blocks.Lines) or print them as they are.
    """
    pb = _get(pb)
    lines = [pb.title.get(lang), when_line(pb, lang)]
    for section in pb.sections:
        lines += ["", section.title.get(lang)]
        lines += [point_line(p, lang, i) for i, p in enumerate(section.points, 1)]
    return lines


def summary_json(pb: Playbook | str, lang: str) -> dict:
    pb = _get(pb)
    return {"key": pb.key, "title": pb.title.get(lang), "when": pb.when.get(lang)}


def playbook_json(pb: Playbook | str, lang: str) -> dict:
    """Stable English keys, the text in ``lang``."""
    pb = _get(pb)
    return {
        **summary_json(pb, lang),
        "sections": [
            {
                "title": s.title.get(lang),
                "points": [{"head": p.head.get(lang), "body": p.body.get(lang)} for p in s.points],
            }
            for s in pb.sections
        ],
    }

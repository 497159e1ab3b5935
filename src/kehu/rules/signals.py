"""Customer signals: the structured kinds, the phrase table that reads them from what a
salesperson types, how long they count, what they say about the customer's view, and
which playbooks they call for. Pure: standard library only.

Seed 001 §5 (分析关键客户行为) names six behaviours that show a key person's real view of
our project: many or few questions about our proposal, willing or not to spend time on
it, broad and deep or narrow and shallow discussion, willing or not to introduce their
executives, returning again and again to price, what they say about other vendors. Each
has a direction: ``for`` us or ``against`` us (``neutral`` where the words alone do not
say). DOMAIN §5 adds what the rules need besides: trouble with funds, a complaint, a
rival's activity. kehu adds three of its own, named as such in docs/methodology.md:
``budget`` (over budget: a cause of a price-cut request, seed 001 §9), ``invitation``
(an invitation accepted or declined: seed 000's sign of trust) and ``personal`` (a
personal motive behind a request, seed 001 §9).

``classify(text)`` is the stable entry point: one free-text signal in, the list of
``(kind, direction)`` it shows out, each kind at most once, in KINDS order. The phrase
table below is kehu's own and documented in docs/methodology.md ("Signals").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta

# kind -> (zh label, en label, accepted short forms...); in display order.
KINDS: dict[str, tuple[str, ...]] = {
    "questions": ("方案提问", "questions on our proposal", "提问", "疑问"),
    "time": ("投入时间", "time given to us", "时间"),
    "depth": ("讨论深度", "depth of discussion", "深度", "讨论"),
    "referral": ("引荐高层", "introduction to executives", "引荐"),
    "price": ("价格", "price talk", "价格讨论", "报价"),
    "rivals": ("评价友商", "view of other vendors", "友商评价"),
    "funds": ("资金困难", "funds trouble", "资金", "缺钱"),
    "complaint": ("投诉不满", "complaint", "投诉", "不满"),
    "rival": ("对手动作", "rival activity", "对手", "竞争"),
    "budget": ("预算", "budget", "超预算"),
    "invitation": ("邀约", "invitation", "宴请"),
    "personal": ("个人诉求", "personal motive", "个人"),
}
# The six key behaviours of seed 001 §5, in the seed's order.
BEHAVIOURS: tuple[str, ...] = ("questions", "time", "depth", "referral", "price", "rivals")
DIRECTIONS: dict[str, tuple[str, ...]] = {
    "for": ("有利", "for us", "正面", "支持", "+"),
    "against": ("不利", "against us", "负面", "反对", "-"),
    "neutral": ("中性", "neutral", "中立"),
}
# The direction a kind typed alone (--signal-kind funds) gets.
DEFAULT_DIRECTION: dict[str, str] = {
    "questions": "for", "time": "for", "depth": "for", "referral": "for", "price": "neutral",
    "rivals": "neutral", "funds": "against", "complaint": "against", "rival": "against",
    "budget": "neutral", "invitation": "for", "personal": "neutral",
}
SOURCES: tuple[str, ...] = ("typed", "phrase")

# How long a signal counts (kehu's own numbers, configurable as signals.window_days and
# signals.money_days): everyday signals fade after the window; money trouble and
# complaints stay longer, since they are what a non-payment or a lost deal goes back to.
WINDOW_DAYS = 90
MONEY_DAYS = 180
_LONG_LIVED = ("funds", "complaint")
# Kinds about the deal itself: once a deal is settled (signed, completed, lost) after the
# signal, they are history, not news (a price remark on a completed deal).
DEAL_KINDS: tuple[str, ...] = ("price", "rival", "budget", "personal", "rivals")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return re.sub(r"\s+", " ", text)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _en(*patterns: str) -> str:
    # Word-ish: not glued to other Latin letters or digits ("priceless", "repayment").
    return r"(?<![a-z0-9])(?:" + "|".join(patterns) + r")(?![a-z0-9])"


_GAP = r"[^，。,.;；！!？?]{0,3}"  # a few characters within one clause
_NEG = r"(?:不愿意?|不肯|不想|不太|拒绝|婉拒|没有?|未|无|不)"

_RIVAL = _rx(r"对手|竞争|友商|竞品|别家|其他厂商|其它厂商|另一家|别的厂家",
             _en(r"competitors?", r"competition", r"competing", r"rivals?", r"other vendors?"))
# Comparisons of us with a rival, read before the rival's own words: who is cheaper,
# dearer or better depends on which side of 比 / "than" we stand.
_RW = r"(?:竞争对手|对手|友商|竞品|别家|其他厂商|其它厂商|另一家|别的厂家)"
_RW_EN = r"(?:the |their |other )?(?:competitors?|competition|rivals?|other vendors?)"
_WE = r"我[们方]?"
_C = r"[^，。,;；]"  # within one clause
_PRICE_WORD = r"(?:价格|报价|价钱|费用|单价|总价)"
_DEAR = r"贵(?!公司|司|方|单位|院|校|行|所|府|部|厂)"  # 贵公司, 贵方: a courtesy, not a price
_WE_EN = r"(?:we|we're|we are|our \w+(?: is| are)?|us)[^,.;]{0,20}"
_OUR_PRICE_EN = r"our (?:prices?|quotes?|quotation)(?: is| are)?[^,.;]{0,10}"
# higher or lower said of a price (our price lower than theirs), or cheaper / dearer outright;
# 名气高, 评分低 compare something else
_US_CHEAPER = _rx(rf"{_WE}{_C}{{0,6}}比{_RW}{_C}{{0,4}}(?:便宜|实惠)",
                  rf"{_WE}的?{_PRICE_WORD}{_C}{{0,4}}比{_RW}{_C}{{0,4}}低",
                  rf"{_RW}{_C}{{0,6}}比{_WE}{_C}{{0,3}}{_DEAR}",
                  rf"{_RW}的?{_PRICE_WORD}{_C}{{0,4}}比{_WE}{_C}{{0,4}}高",
                  _en(rf"{_WE_EN}cheaper than {_RW_EN}", rf"{_OUR_PRICE_EN}lower than {_RW_EN}"))
_US_DEARER = _rx(rf"{_WE}{_C}{{0,6}}比{_RW}{_C}{{0,4}}{_DEAR}",
                 rf"{_WE}的?{_PRICE_WORD}{_C}{{0,4}}比{_RW}{_C}{{0,4}}高",
                 rf"{_RW}{_C}{{0,6}}比{_WE}{_C}{{0,4}}便宜",
                 rf"{_RW}的?{_PRICE_WORD}{_C}{{0,4}}比{_WE}{_C}{{0,4}}低",
                 _en(rf"{_WE_EN}(?:dearer|more expensive|pricier) than {_RW_EN}",
                     rf"{_OUR_PRICE_EN}higher than {_RW_EN}"))
_US_BETTER = _rx(rf"{_WE}{_C}{{0,6}}比{_RW}{_C}{{0,4}}(?:好|强|专业|快|稳定|可靠|先进|成熟|全)",
                 rf"{_RW}{_C}{{0,4}}(?:不如|比不上|赶不上){_WE}",
                 rf"{_RW}{_C}{{0,3}}(?:没有|缺少|缺乏|不具备|不支持|做不到){_C}{{0,6}}(?:功能|能力|资质|经验|案例|服务|的)",
                 _en(rf"{_WE_EN}better than {_RW_EN}",
                     r"prefers? us (?:over|to)"))
_CHEAP = _rx(r"低价|便宜|价格低|价低|价格更低|价更低|更低的?价|报价低|降价|压价|价格战",
             r"比我[们方]?(?:还)?(?:低|便宜)", r"低(?:了)?[一二两三四五六七八九十\d]+(?:成|%|个点)",
             _en(r"cheap(?:er|est)?", r"low(?:er)?[ -]pric(?:e|es|ed)", r"low(?:er)?[ -]cost",
                 r"undercut(?:s|ting)?", r"price war"))
_RIVAL_GOOD = _rx(r"(?<!不)(?:好|不错|认可|满意|推荐|称赞|夸|强|先进|领先)",
                  _en(r"likes?", r"prais\w+", r"better", r"impressed", r"good"))
_RIVAL_BAD = _rx(r"差|不满|不行|不如|问题|失望|不好|不靠谱|掉链子|慢",
                 _en(r"unhappy", r"disappoint\w*", r"worse", r"problems?", r"bad", r"poor"))

# (kind, direction, pattern): checked in order; a kind's first match wins, so the
# "against" phrases of a kind come before its "for" phrases.
PHRASES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("questions", "against", _rx(
        rf"(?:提问|疑问|问题){_GAP}(?:很少|较少|不多|少)", rf"{_NEG}{_GAP}(?:提问|疑问)",
        _en(r"(?:no|few|hardly any) questions"))),
    ("questions", "for", _rx(
        rf"(?:提问|疑问|问题|问得|问了){_GAP}(?:很多|较多|不少|多|细|仔细)", r"(?:很多|大量|不少)(?:提问|疑问|问题)",
        r"追问", _en(r"(?:many|lots of|a lot of|plenty of|several) questions", r"asked a lot"))),
    ("time", "against", _rx(
        r"没有?时间|没空|不愿意?花时间|不肯花时间|敷衍|匆匆|爽约",
        rf"(?:推迟|取消|改期){_GAP}(?:会议|见面|拜访|交流|演示|会面)",
        rf"(?:会议|见面|拜访|演示){_GAP}(?:推迟|取消|改期)",
        _en(r"no time", r"cancel+ed (?:the )?(?:meeting|visit|demo)", r"postponed (?:the )?(?:meeting|visit|demo)",
            r"rushed"))),
    ("time", "for", _rx(
        rf"(?:愿意|肯|主动|专门){_GAP}(?:时间|约|安排)",
        rf"(?:谈了|聊了|讨论了|交流了){_GAP}(?:很久|很长|一下午|一上午|半天|小时)",
        r"延长|加时", _en(r"made time", r"spent (?:hours|the afternoon|the morning)", r"extended the meeting"))),
    ("depth", "against", _rx(
        rf"(?:讨论|交流|沟通){_GAP}(?:浅|泛泛|表面)", r"泛泛|走过场|走形式", rf"{_NEG}{_GAP}深入",
        _en(r"shallow", r"superficial"))),
    ("depth", "for", _rx(
        rf"(?:讨论|交流|沟通|探讨){_GAP}(?:深入|深|细致|广泛|全面)", r"深入(?:讨论|交流|沟通|探讨)",
        _en(r"in[- ]depth", r"deep(?:er)? discussions?", r"detailed discussions?"))),
    ("referral", "against", _rx(
        rf"{_NEG}{_GAP}(?:引荐|介绍)", _en(r"(?:won't|will not|would not|refused to|declined to) introduce"))),
    ("referral", "for", _rx(
        r"引荐",
        r"(?:介绍|带我们见|带我方见|约见)[^，。,;；]{0,6}"
        r"(?:院长|领导|高层|老总|总经理|董事长|局长|主任|总监|书记|cio|ceo|cto|cfo)",
        _en(r"introduc\w* (?:us )?to (?:the|their|his|her) \w+", r"offered to introduce"))),
    ("funds", "against", _rx(
        r"资金(?:紧张|困难|链|短缺|不足|问题|周转)", r"工资", r"发不出", r"缺钱|没钱|现金流",
        r"预算(?:被)?冻结", rf"(?:延期|推迟|缓|暂缓|延后){_GAP}(?:付款|支付|回款)", r"付不(?:起|出)", r"拖欠|欠款|欠费",
        r"回款(?:难|慢|困难)", r"(?:付款|回款|尾款)[^，。,;；]{0,2}拖",
        _en(r"cash[- ]?flow", r"can(?:no|')t pay", r"unable to pay", r"budget (?:is )?frozen",
            r"salar(?:y|ies)", r"short of (?:money|cash|funds)", r"(?:delay|defer|postpone)\w* payments?",
            r"overdue", r"unpaid", r"arrears", r"late payments?", r"payments? (?:is |are |was )?late",
            r"pa(?:y|ys|ying|id) late", r"refus(?:e|es|ed|ing) to pay",
            r"(?:not|never|[a-z]*n't)(?: yet)? pa(?:y|id)"))),
    ("complaint", "against", _rx(
        r"投诉|抱怨|不满|意见很大|发火|生气|质量问题|故障|延误|返工",
        _en(r"complain\w*", r"dissatisfied", r"unhappy", r"angry", r"faults?", r"defects?"))),
    ("budget", "neutral", _rx(
        r"超(?:出)?预算", r"预算(?:不够|不足|有限|紧|少|偏低)", r"没有?预算",
        _en(r"over (?:the )?budget", r"budget (?:is )?(?:tight|limited|short)", r"limited budget", r"no budget"))),
    ("invitation", "against", _rx(
        rf"(?:拒绝|婉拒|推掉|推辞|谢绝|没接受|不接受|不参加){_GAP}(?:邀请|宴请|吃饭|晚宴|饭局|聚餐|参观|考察)",
        _en(r"declined (?:our |the )?(?:invitation|dinner)", r"turned down (?:our |the )?(?:invitation|dinner)"))),
    ("invitation", "for", _rx(
        rf"(?:接受|答应|同意|应邀|赴|参加了){_GAP}(?:邀请|宴请|吃饭|晚宴|饭局|聚餐|参观|考察)",
        r"一起吃(?:了)?饭|共进(?:晚|午)餐|赴宴",
        _en(r"accepted (?:our |the )?(?:invitation|dinner)", r"came to dinner"))),
    ("personal", "neutral", _rx(
        r"个人诉求|个人需求|个人要求|私下|好处|回扣", _en(r"personal (?:interest|request|motive|favou?r)"))),
)
# Price: a request to lower it (against) or talk of it (neutral: "了解报价结构" is a buyer
# at work, not a price cut). Checked after the table, together with rivals.
_PRICE_CUT = _rx(r"降价|砍价|压价|折扣|打折|优惠|让利|太贵|嫌贵|偏贵|很贵|较贵|贵了|便宜|再低|低价",
                 rf"(?:嫌|觉得|认为){_C}{{0,4}}{_DEAR}",
                 r"(?:价格|报价|价钱|费用)[^，。,;；]{0,2}(?:高|贵)", r"反复[^，。,;；]{0,4}价",
                 _en(r"discount(?:s|ed|ing)?", r"too expensive", r"(?:lower|cut) (?:the |our )?price", r"price cut",
                     r"cheaper", r"costly", r"expensive", r"pric\w* (?:is |are )?too high",
                     r"worried about (?:the )?(?:cost|price)s?",
                     r"(?:keeps?|kept) (?:returning|coming back|going back) to (?:the )?pric\w*"))
_PRICE = _rx(r"价格|价钱|报价|低价|费用|单价|总价|价位",
             _en(r"pric(?:e|es|ed|ing)", r"quotes?", r"quotation", r"costs?"))


def classify(text: str) -> list[tuple[str, str]]:
    """The (kind, direction) pairs one free-text signal shows, each kind once, in KINDS
    order. ``classify("对方案提问很多") == [("questions", "for")]``;
    ``classify("资金紧张，工资都快发不出了") == [("funds", "against")]``."""
    t = _norm(text)
    found: dict[str, str] = {}
    rival = bool(_RIVAL.search(t))
    for kind, direction, pattern in PHRASES:
        if kind in found or (kind == "complaint" and rival and not re.search(r"投诉|complain", t)):
            continue  # 对友商不满 is a view of a rival, not a complaint about us
        if pattern.search(t):
            found[kind] = direction
    if rival:
        if _US_CHEAPER.search(t):  # 我们比别家便宜: a rival in the picture, our price no objection
            found["rival"] = "against"
            found.setdefault("price", "neutral")
        elif _CHEAP.search(t) or _US_DEARER.search(t):
            found["rival"] = "against"
            found["price"] = "against"  # a cheaper rival is a price conversation too
        elif _US_BETTER.search(t) or _RIVAL_BAD.search(t):
            found["rivals"] = "for"
        elif _RIVAL_GOOD.search(t):
            found["rivals"] = "against"
        else:
            found["rival"] = "against"
    if "price" not in found:
        if _PRICE_CUT.search(t):
            found["price"] = "against"
        elif _PRICE.search(t):
            found["price"] = "neutral"
    return [(k, found[k]) for k in KINDS if k in found]


def parse_typed(value: str) -> tuple[str, str] | None:
    """``--signal-kind`` as typed: KIND or KIND:DIRECTION, keys or labels (zh or en).
    None when either part is not known."""
    kind_s, _, dir_s = value.replace("：", ":").partition(":")
    kind = _lookup(KINDS, kind_s)
    if kind is None:
        return None
    if not dir_s.strip():
        return kind, DEFAULT_DIRECTION[kind]
    direction = _lookup(DIRECTIONS, dir_s)
    return (kind, direction) if direction else None


def _lookup(table: dict[str, tuple[str, ...]], typed: str) -> str | None:
    key = _norm(typed).strip()
    for k, names in table.items():
        if key == k or key in (_norm(n) for n in names):
            return k
    return None


# ---------------------------------------------------------------- ageing and reading


def is_current(kind: str, day: date, today: date, *, settled_on: date | None = None,
               window_days: int = WINDOW_DAYS, money_days: int = MONEY_DAYS) -> bool:
    """Whether a signal seen on ``day`` still counts: within its window (money trouble and
    complaints: ``money_days``), and, for a kind about the deal, not from before the deal
    was settled (``settled_on``: the customer's latest signing, completion or loss)."""
    span = money_days if kind in _LONG_LIVED else window_days
    if day < today - timedelta(days=span):
        return False
    return not (kind in DEAL_KINDS and settled_on is not None and day <= settled_on)


def view(directions: Iterable[str]) -> str:
    """What current signals say of someone's real view: ``for``, ``against``, ``mixed``
    (both, in equal number) or ``unknown`` (none, or only neutral ones)."""
    pro = con = 0
    for d in directions:
        pro += d == "for"
        con += d == "against"
    if pro == con:
        return "mixed" if pro else "unknown"
    return "for" if pro > con else "against"


# ---------------------------------------------------------------- playbooks


# The playbooks signals can call for, in rules.playbooks' TOPICS order (a test keeps the two in step).
TOPICS: tuple[str, ...] = ("price_cut", "low_price_rival", "non_payment")


def topics_of(pairs: Iterable[tuple[str, str]]) -> set[str]:
    """The playbooks one signal's (kind, direction) pairs call for: a request to lower the
    price → price_cut; a rival together with a price cut → low_price_rival as well; funds
    trouble → non_payment. Price talk without a request to cut (报价结构) calls for none."""
    got = dict(pairs)
    found: set[str] = set()
    if got.get("price") == "against":
        found.add("price_cut")
        if "rival" in got:
            found.add("low_price_rival")
    if got.get("funds") == "against":
        found.add("non_payment")
    return found


def for_signals(signals: Iterable[str]) -> tuple[str, ...]:
    """The playbooks a touchpoint's free-text signals call for, in TOPICS order, once
    each; each signal is read on its own (classify), never across two."""
    found: set[str] = set()
    for signal in signals:
        found |= topics_of(classify(signal))
    return tuple(k for k in TOPICS if k in found)


# The likely causes each guide names, and the signals that point at each: a kind, or
# KIND:DIRECTION where only one direction says it. A rival → the rival cause; budget
# talk → over budget; a complaint → doubts about the product or the delivery. For a
# low-price rival (seed 001 §8, why the rival is cheap): the customer finding fault
# with other vendors → cheap and poor; the customer praising them → a smarter, cheaper
# design (learn from it); a tight budget → a stripped-down offer that fits it (compare
# the scope). The other reasons (a genuinely lower cost, pricing to hurt us, buying a
# way in) show in no signal kind, so the guide lists them without pointing. CAUSE_POINT:
# the cause's (section, point) in the guide (rules.playbooks), so that the guide's own
# words name it.
CAUSE_EVIDENCE: dict[str, dict[str, tuple[str, ...]]] = {
    "price_cut": {
        "rival": ("rival",),
        "budget": ("budget", "funds"),
        "personal": ("personal",),
    },
    "low_price_rival": {
        "poor": ("rivals:for",),
        "stripped": ("budget",),
        "smarter": ("rivals:against",),
    },
    "non_payment": {
        "funds": ("funds",),
        "product": ("complaint",),
        "delivery": ("complaint",),
        "rival": ("rival",),
    },
}
CAUSE_POINT: dict[tuple[str, str], tuple[int, int]] = {
    ("price_cut", "rival"): (0, 1), ("price_cut", "budget"): (0, 2), ("price_cut", "personal"): (0, 4),
    ("low_price_rival", "poor"): (2, 0), ("low_price_rival", "stripped"): (2, 2),
    ("low_price_rival", "smarter"): (2, 3),
    ("non_payment", "funds"): (0, 0), ("non_payment", "product"): (0, 1), ("non_payment", "delivery"): (0, 2),
    ("non_payment", "rival"): (0, 3),
}


def points_at(topic: str, cause: str, kind: str, direction: str) -> bool:
    """Whether a signal of ``kind`` and ``direction`` is evidence of ``cause`` in
    ``topic``'s guide (CAUSE_EVIDENCE)."""
    for wanted in CAUSE_EVIDENCE.get(topic, {}).get(cause, ()):
        k, _, d = wanted.partition(":")
        if k == kind and d in ("", direction):
            return True
    return False


def likely_causes(topic: str, pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The causes of ``topic``'s guide that the current signals, as (kind, direction)
    pairs, point at, in the order CAUSE_EVIDENCE gives them."""
    seen = set(pairs)
    return [cause for cause in CAUSE_EVIDENCE.get(topic, {})
            if any(points_at(topic, cause, k, d) for k, d in seen)]

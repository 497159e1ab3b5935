"""Which playbooks (rules.playbooks) a touchpoint's recorded signals call for.

Apart from the playbooks' texts, so that `kehu show` can ask without loading them. Pure:
standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The playbooks signals can call for, in rules.playbooks' TOPICS order (a test keeps the two in step).
TOPICS: tuple[str, ...] = ("price_cut", "low_price_rival", "non_payment")

_PRICE_ZH = ("价格", "价钱", "降价", "砍价", "压价", "折扣", "优惠", "便宜", "报价", "低价",
             "太贵", "嫌贵", "偏贵", "很贵", "较贵")
_CHEAP_ZH = ("低价", "便宜", "价格低", "价低", "价格更低", "价更低", "降价", "压价")
_RIVAL_ZH = ("对手", "竞争", "友商", "竞品")
_PAY_ZH = ("付款", "回款", "拖欠", "欠款", "催款", "尾款", "未付", "没付")


def _words(*patterns: str) -> re.Pattern[str]:
    # Word-ish: a match may not be glued to other Latin letters or digits ("costume",
    # "priceless" and "repayment" are not price or payment words).
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(patterns) + r")(?![a-z0-9])")


_PRICE_EN = _words(r"pric(?:e|es|ed|ing)", r"discount(?:s|ed|ing)?", r"cheap(?:er|est)?",
                   r"costs?", r"costly", r"expensive")
_CHEAP_EN = _words(r"cheap(?:er|est)?", r"low(?:er)?[ -]pric(?:e|es|ed)", r"low(?:er)?[ -]cost",
                   r"undercut(?:s|ting)?", r"price war")
_RIVAL_EN = _words(r"competitors?", r"competition", r"competing", r"rivals?")
_PAY_EN = _words(r"payments?", r"overdue", r"unpaid", r"arrears",
                 r"pa(?:y|ys|ying|id) late", r"late pay(?:ment|ments)?",
                 r"(?:not|never|[a-z]*n't)(?: yet)? pa(?:y|id)", r"refus(?:e|es|ed|ing) to pay")


def _signal_topics(signal: str) -> set[str]:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", signal).casefold().replace("’", "'"))
    found: set[str] = set()
    if any(w in text for w in _PRICE_ZH) or _PRICE_EN.search(text):
        found.add("price_cut")
    rival = any(w in text for w in _RIVAL_ZH) or _RIVAL_EN.search(text)
    cheap = any(w in text for w in _CHEAP_ZH) or _CHEAP_EN.search(text)
    if rival and cheap:
        # A cheaper rival is also a price conversation with the customer.
        found |= {"price_cut", "low_price_rival"}
    if any(w in text for w in _PAY_ZH) or _PAY_EN.search(text):
        found.add("non_payment")
    return found


def for_signals(signals: Iterable[str]) -> tuple[str, ...]:
    """The playbooks a touchpoint's recorded signals call for, in TOPICS order, once each.

    A signal about price (降价, 折扣, "discount", "cheaper") calls for price_cut; one
    about a cheaper rival (低价 with 对手/竞争/友商, "competitor" with "cheap") for
    low_price_rival as well; one about payment trouble (回款, 拖欠, "overdue") for
    non_payment. Keywords are matched within one signal, never across two.
    """
    found: set[str] = set()
    for signal in signals:
        found |= _signal_topics(signal)
    return tuple(k for k in TOPICS if k in found)

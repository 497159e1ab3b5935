"""Which guides (rules.playbooks) apply to a customer now, each for one occasion (DOMAIN §9).

A guide nobody is shown is dead text, and one shown every day is noise. So each guide
comes with its *occasion*: the fact that calls for it (a next step N12 that is a visit, a
lost contract K5, an open complaint Q3, the stage the customer is at, a signal at
touchpoint T40, an overdue instalment R7). A guide appears once per occasion, and a salesperson who has read it
dismisses it for that occasion (`kehu guide dismiss`): it comes back only for a new one
(the next visit, the next lost contract, the next stage).

A relationship that has ended gets no selling guide: only the review of its contracts,
the handling of its open complaints and the money it still owes, which are owed whatever
happened. A contract that is signed, completed or lost is not negotiated or closed any
more, and a price signal from before it was settled is no longer current (the store
passes only current signals), so no price guide is shown for a closed deal.

Pure: standard library only; the store gathers the facts into ``Facts``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kehu.rules.signals import topics_of

# In the order a guide list is shown: the most pressing first.
ORDER: tuple[str, ...] = (
    "complaint", "non_payment", "project_review", "hq_visit", "visit_plan", "low_price_rival", "price_cut",
    "leading_position", "objection", "real_view",
    "closing", "project_target", "tender", "presentation", "first_contact", "maintenance", "loyalty",
)
# The guides a relationship that has ended still needs.
AFTER_THE_END = ("complaint", "project_review", "non_payment")

# A next step about the customer coming to see us (an hq_visit), or about a visit of ours.
_HQ_ZH = ("考察", "来访", "参观", "来公司", "来总部", "到公司", "到总部")
_HQ_EN = re.compile(r"(?<![a-z])(?:hq|headquarters|company visit|site visit|hq_visit|host(?:ing)?)(?![a-z])")
_VISIT_ZH = ("拜访", "见面", "上门", "面谈", "会面", "登门", "走访")
_VISIT_EN = re.compile(r"(?<![a-z])(?:visit(?:s|ing)?|meet(?:ing)?|call on)(?![a-z])")
# A signal about a rival, and one about an objection (the customer's doubt or refusal).
_RIVAL_ZH = ("对手", "竞争", "友商", "竞品")
_RIVAL_EN = re.compile(r"(?<![a-z])(?:competitors?|competition|rivals?)(?![a-z])")
_OBJECTION_ZH = ("异议", "反对", "顾虑", "担心", "质疑", "不认可", "不同意", "嫌")
_OBJECTION_EN = re.compile(r"(?<![a-z])(?:objections?|objects?|doubts?|concerns?|worried|worries|disagrees?)(?![a-z])")

RIVAL_SIGNAL_DAYS = 180  # a rival seen at a mature customer within this many days is an attack
OBJECTION_SIGNAL_DAYS = 90  # an objection heard within this many days is still to be answered
# While a deal is being weighed, a customer whose signals are mixed or absent calls for
# reading their real view (DOMAIN §9).
VIEW_STAGES = ("evaluation", "growth")
# No rule looks at a signal older than this: the store reads only the newer ones.
SIGNAL_DAYS = max(RIVAL_SIGNAL_DAYS, OBJECTION_SIGNAL_DAYS)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def next_step_guide(text: str) -> str | None:
    """'hq_visit' for a next step that brings the customer to us, 'visit_plan' for one
    that takes us to them, else None."""
    t = _fold(text)
    if any(w in t for w in _HQ_ZH) or _HQ_EN.search(t):
        return "hq_visit"
    if any(w in t for w in _VISIT_ZH) or _VISIT_EN.search(t):
        return "visit_plan"
    return None


def is_rival_signal(text: str) -> bool:
    t = _fold(text)
    return any(w in t for w in _RIVAL_ZH) or bool(_RIVAL_EN.search(t))


def is_objection_signal(text: str) -> bool:
    t = _fold(text)
    return any(w in t for w in _OBJECTION_ZH) or bool(_OBJECTION_EN.search(t))


@dataclass(frozen=True)
class Facts:
    """What the book knows about one customer that guides depend on."""

    stage: str
    ended: bool = False
    touches: int = 0
    # open next steps: (touchpoint id, its text, planned as an hq_visit by the touch kind)
    next_steps: tuple[tuple[int, str], ...] = ()
    # signals: (touchpoint id, days ago, the signal)
    signals: tuple[tuple[int, int, str], ...] = ()
    # contracts: (id, status, reviewed)
    contracts: tuple[tuple[int, str, bool], ...] = ()
    open_complaints: tuple[int, ...] = ()
    tasks_done: frozenset[str] = field(default_factory=frozenset)
    # what the current signals say of the customer's real view (rules.signals.view:
    # for, against, mixed, unknown), and the touchpoint of the newest of them; None: not read
    view: str | None = None
    view_at: int | None = None
    # the current signals, newest first, one per signal as typed or written: (touchpoint
    # id, its day, the text (None for a kind typed without one), its current (kind,
    # direction) pairs); what the price-cut, low-price-rival and non-payment guides read
    current: tuple[tuple[int, date, str | None, tuple[tuple[str, str], ...]], ...] = ()
    # instalments of signed contracts past due and not fully paid: (instalment id, due)
    owed: tuple[tuple[int, date], ...] = ()


@dataclass(frozen=True)
class Guide:
    key: str  # a playbook key
    occasion: str  # what calls for it: N12, K5, Q3, T40, stage:growth
    because: str  # a message key
    params: dict[str, object] = field(default_factory=dict)


def applicable(f: Facts) -> list[Guide]:
    """Every guide the customer's facts call for now, in ORDER, at most one per (guide,
    occasion) and, for guides with many occasions (visits), the first few only."""
    out: list[Guide] = []
    for cid in f.open_complaints:
        out.append(Guide("complaint", f"Q{cid}", "guide_because_complaint", {"id": f"Q{cid}"}))
    for kid, status, reviewed in f.contracts:
        if status in ("lost", "completed") and not reviewed:
            out.append(Guide("project_review", f"K{kid}", f"guide_because_{status}", {"id": kid}))
    for kid, status, _ in f.contracts:
        if status == "signed":  # signed, not yet completed: the project is being delivered
            out.append(Guide("maintenance", f"K{kid}", "guide_because_signed", {"id": kid}))
    for tid, text in f.next_steps:
        kind = next_step_guide(text)
        if kind:
            out.append(Guide(kind, f"N{tid}", "guide_because_next", {"id": f"N{tid}", "text": text}))
    if f.stage == "mature":
        rival = next(((tid, s) for tid, days, s in f.signals if days <= RIVAL_SIGNAL_DAYS and is_rival_signal(s)), None)
        if rival:
            out.append(Guide("leading_position", f"T{rival[0]}", "guide_because_rival", {"signal": rival[1]}))
    objection = next(((tid, s) for tid, days, s in f.signals
                      if days <= OBJECTION_SIGNAL_DAYS and is_objection_signal(s)), None)
    open_deal = any(status in ("draft", "negotiating") for _, status, _ in f.contracts)
    if objection and (f.stage != "mature" or open_deal):
        out.append(Guide("objection", f"T{objection[0]}", "guide_because_objection", {"signal": objection[1]}))
    out += _signal_guides(f)
    stage = f"stage:{f.stage}"
    if f.view in ("mixed", "unknown") and f.stage in VIEW_STAGES:
        # signals pulling both ways: each new signal that leaves it so is a new occasion
        occasion = f"T{f.view_at}" if f.view == "mixed" and f.view_at else stage
        out.append(Guide("real_view", occasion, f"guide_because_view_{f.view}", {"stage": f.stage}))
    if f.stage == "mature" and open_deal:
        # a new deal with a customer already won: the occasion is that deal, not the stage
        kid = next(k for k, status, _ in f.contracts if status in ("draft", "negotiating"))
        out.append(Guide("closing", f"K{kid}", "guide_because_open_deal", {"id": kid}))
    elif f.stage == "growth" and (open_deal or {"assess"} <= f.tasks_done):
        out.append(Guide("closing", stage, "guide_because_stage", {"stage": f.stage}))
    if f.stage == "growth":
        out.append(Guide("project_target", stage, "guide_because_stage", {"stage": f.stage}))
    if f.stage in ("evaluation", "growth"):
        out.append(Guide("tender", stage, "guide_because_stage", {"stage": f.stage}))
    if f.stage in ("acquainted", "evaluation") and "demo" not in f.tasks_done:
        out.append(Guide("presentation", stage, "guide_because_stage", {"stage": f.stage}))
    if f.stage in ("stranger", "acquainted") and f.touches < 2:
        out.append(Guide("first_contact", stage, "guide_because_first", {"stage": f.stage}))
    if f.stage == "mature":
        out.append(Guide("loyalty", stage, "guide_because_stage", {"stage": f.stage}))
    if f.ended:
        out = [g for g in out if g.key in AFTER_THE_END]
    seen: set[tuple[str, str]] = set()
    kept = []
    for g in sorted(out, key=lambda g: ORDER.index(g.key)):
        if (g.key, g.occasion) not in seen:
            seen.add((g.key, g.occasion))
            kept.append(g)
    return kept


def _signal_guides(f: Facts) -> list[Guide]:
    """The guides a signal or money calls for (rules.signals.topics_of), each for one
    occasion: price_cut and low_price_rival for the newest current signal that calls for
    each (T40; a newer one is a new occasion); non_payment for the instalment that fell
    overdue last (R7: the one `kehu remind` lists), or, with nothing overdue, for the newest
    current signal of funds trouble while the relationship is open (T40)."""
    out = []
    keys = ["price_cut", "low_price_rival"] + ([] if f.owed or f.ended else ["non_payment"])
    for key in keys:
        hit = next(((tid, on, text, pairs) for tid, on, text, pairs in f.current if key in topics_of(pairs)), None)
        if hit:
            tid, on, text, pairs = hit
            params = {"id": f"T{tid}", "date": on.isoformat(), "signal": text}
            if text is None:  # typed as a kind: named by it
                params["signal_kind"] = next(k for k, _ in pairs)
            out.append(Guide(key, f"T{tid}", f"guide_because_{key}", params))
    if f.owed:
        iid, due = max(f.owed, key=lambda x: (x[1], x[0]))
        out.append(Guide("non_payment", f"R{iid}", "guide_because_owed", {"id": f"R{iid}", "due": due.isoformat()}))
    return out


def not_dismissed(guides: Iterable[Guide], dismissed: set[tuple[str, str]]) -> list[Guide]:
    """The guides whose (key, occasion) the salesperson has not dismissed."""
    return [g for g in guides if (g.key, g.occasion) not in dismissed]


# The six topics of a commercial negotiation (seed 000), in the order of the
# negotiation_topics guide's points, and the words that show an issue is about one.
NEGOTIATION_TOPICS: tuple[str, ...] = ("price", "delivery", "schedule", "after_sales", "payment", "solution")
_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "price": ("价", "折扣", "优惠", "price", "discount", "cost"),
    "delivery": ("交货", "交付", "到货", "供货", "deliver"),
    "schedule": ("进度", "工期", "上线", "验收", "实施", "schedule", "go-live", "milestone"),
    "after_sales": ("售后", "运维", "驻场", "保修", "维保", "培训", "support", "warranty", "maintenance"),
    "payment": ("付款", "首付", "分期", "账期", "回款", "尾款", "payment", "instalment", "deposit"),
    "solution": ("方案", "配置", "范围", "功能", "solution", "scope", "configuration"),
}


def negotiation_topics(issues: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """Which recorded disagreements (id, detail) touch each of the six topics: a topic
    with none is one still to be raised and settled before the contract is written."""
    out: dict[str, list[int]] = {t: [] for t in NEGOTIATION_TOPICS}
    for ident, text in issues:
        t = _fold(text)
        for topic, words in _TOPIC_WORDS.items():
            if any(w in t for w in words):
                out[topic].append(ident)
    return out

"""After the deal: complaints and their checklist, project reviews, referrals, and the
guides that apply now (rules.guides), as blocks and JSON."""

from __future__ import annotations

from datetime import date

from kehu.i18n import label, message, word
from kehu.render.blocks import LEGEND, Grid, Lines, iso
from kehu.rules.domain import ENUMS


def checklist(steps: tuple[str, ...], done: dict[str, date], enum: str, lang: str) -> str:
    """'✓倾听 ✓确认细节 ·提出方案 …': what is done and what is left, in order."""
    return " ".join(("✓" if s in done else "·") + label(enum, s, lang) for s in steps)


def complaint_state(row) -> str:
    c = row.complaint
    if c.resolved_on is not None:
        return "resolved"
    return "called_back" if c.callback_done_on is not None else "open"


def complaints_grid(rows, lang: str, today: date, with_customer: bool = True) -> Grid:
    headers = [word("id", lang)] + ([word("customer", lang)] if with_customer else []) + [
        word("complaint", lang), word("severity_col", lang), word("callback_col", lang), word("steps_col", lang)]
    out, styles = [], []
    for r in rows:
        c = r.complaint
        text = c.text + (f"（{r.person}）" if lang == "zh" and r.person else f" ({r.person})" if r.person else "")
        if c.resolved_on is not None:
            callback = message("complaint_resolved_on", lang, date=iso(c.resolved_on))
        elif c.callback_done_on is not None:
            callback = message("complaint_called_back_on", lang, date=iso(c.callback_done_on))
        else:
            callback = iso(c.callback_due)
        out.append([f"Q{c.id}"] + ([r.customer] if with_customer else []) + [
            text, label("severity", c.severity, lang), callback,
            checklist(ENUMS["complaint_step"], r.steps, "complaint_step", lang)])
        overdue = c.resolved_on is None and c.callback_done_on is None and c.callback_due < today
        styles.append("dim" if c.resolved_on is not None else "red" if overdue else None)
    return Grid(word("complaints", lang), headers, out, styles)


def complaint_json(row) -> dict:
    c = row.complaint
    return {"id": f"Q{c.id}", "customer_id": c.customer_id, "customer": row.customer, "person": row.person,
            "text": c.text, "severity": c.severity, "made_on": c.made_on, "callback_due": c.callback_due,
            "callback_done_on": c.callback_done_on, "resolved_on": c.resolved_on, "state": complaint_state(row),
            "steps_done": {k: v for k, v in row.steps.items()}}


def review_lines(contract, answers: dict[str, str], written_on: date | None, lang: str) -> Lines:
    """The review's questions in order, each answered or not, then whether it is written."""
    from kehu.rules.playbooks import PLAYBOOKS

    sections = {s: PLAYBOOKS["project_review"].sections[i] for i, s in enumerate(ENUMS["review_part"][:4])}
    lines = []
    for part in ENUMS["review_part"]:
        mark = "✓" if answers.get(part) else "·"
        lines.append(f"{mark}{label('review_part', part, lang)}{'：' if lang == 'zh' else ': '}{answers.get(part, '')}")
        if part in sections and not answers.get(part):
            heads = "、" if lang == "zh" else ", "
            lines.append("    " + heads.join(p.head.get(lang) for p in sections[part].points))
    lines.append(message("review_written_on", lang, date=iso(written_on)) if written_on
                 else message("review_not_written", lang, id=contract.id))
    return Lines(message("review_title", lang, id=contract.id, title=contract.title), lines)


def guide_lines(guides, lang: str, causes: dict | None = None) -> Lines:
    """The guides that apply now: title, why (the occasion), the likely causes the signals
    point at (``causes``: guide key -> [(cause, evidence)], render.playbooks), how to read
    and to dismiss."""
    from kehu.render.playbooks import cause_lines
    from kehu.rules.playbooks import PLAYBOOKS

    lines = []
    for g in guides:
        pb = PLAYBOOKS[g.key]
        lines.append(f"{pb.title.get(lang)} — kehu playbook {typed_key(g.key, lang)}")
        lines.append("  " + message("because", lang, what=guide_why(g, lang)))
        lines += ["  " + x for x in cause_lines(g.key, (causes or {}).get(g.key, ()), lang)]
        heads = (" · ").join(p.head.get(lang) for p in pb.sections[0].points)
        lines.append(f"  {pb.sections[0].title.get(lang)}{'：' if lang == 'zh' else ': '}{heads}")
    if guides:
        lines.append(message("guide_dismiss_hint", lang))
    return Lines(word("guides_now", lang), lines, "yellow")


def guide_why(g, lang: str) -> str:
    """Why a guide applies now, worded: 'next step N12: 下周拜访张总'."""
    params = {**g.params, **({"stage": label("stage", g.params["stage"], lang)} if "stage" in g.params else {})}
    if g.params.get("signal_kind") and not g.params.get("signal"):  # a signal typed as a kind: its name
        from kehu.render.signals import kind_label

        params["signal"] = kind_label(g.params["signal_kind"], lang)
    return message(g.because, lang, **params)


NEXT_NAME_CELLS = 16
# `kehu next` on a terminal: a customer's most pressing guides (rules.guides.ORDER), the
# rest a line that says how many and where to see them (in --json: all of them)
NEXT_GUIDES_EACH = 2


def next_guides(agenda, guides: dict, lang: str) -> list:
    """Below `kehu next`'s list: one row per guide in context for the customers on the
    page (in the list's order), and how to read one and to hide it for its occasion."""
    from kehu.render.blocks import shorten

    rows = []
    names = {}
    for r in agenda:  # the full name is in the list above: here it leaves room for the reason
        names.setdefault(r.item.customer_id, shorten(r.item.customer, NEXT_NAME_CELLS))
    for cid, name in names.items():
        mine = guides.get(cid, ())
        for g in mine[:NEXT_GUIDES_EACH]:
            rows.append([name, guide_why(g, lang), f"kehu playbook {typed_key(g.key, lang)}"])
        if len(mine) > NEXT_GUIDES_EACH:
            rows.append([name, message("guides_more", lang, count=len(mine) - NEXT_GUIDES_EACH),
                         f"kehu guide list {cid}"])
    if not rows:
        return []
    # the command names the guide (its short form) and is never cut: what to type
    headers = [word(k, lang) for k in ("customer", "why", "read_it")]
    return [Grid(word("guides_now", lang), headers, rows, max_lines=2, kinds=["name", "text", "fixed"]),
            Lines(None, [message("guide_dismiss_hint", lang)], LEGEND)]


def step_label(guide: str, step: str, lang: str) -> str:
    """A step of a step-by-step guide in the reader's words: a complaint's and a review's
    are the catalog's; a hosting's are its guide's first section's heads, in order."""
    from kehu.rules.playbooks import PLAYBOOKS
    from kehu.rules.playbooks_after import STEPS

    if guide == "complaint":
        return label("complaint_step", step, lang)
    if guide == "project_review":
        return label("review_part", step, lang)
    return PLAYBOOKS[guide].sections[0].points[STEPS[guide].index(step)].head.get(lang)


def guide_progress(guide: str, done, lang: str) -> str:
    """'✓策划 ✓评审 ·执行 ·总结闭环' for a step-by-step guide, '' for the others."""
    from kehu.rules.playbooks_after import STEPS

    return " ".join(("✓" if s in done else "·") + step_label(guide, s, lang) for s in STEPS.get(guide, ()))


def occasion_text(occasion: str, lang: str) -> str:
    """An occasion as shown: N12, K5, Q3, T40 as they are; a stage in the reader's words
    (成长期; stage:growth in English), which `kehu guide dismiss --occasion` takes back."""
    if occasion.startswith("stage:") and lang == "zh":
        return label("stage", occasion[6:], lang)
    return occasion


def guide_list_grid(rows, lang: str, with_customer: bool, with_dismissed: bool) -> Grid:
    """`kehu guide list`: each guide in context, its occasion, why, the steps done; the
    dismissed ones (with --all) dim and marked."""
    keys = (["customer"] if with_customer else []) + ["guide", "occasion", "why", "steps_col"] + (
        ["dismissed_col"] if with_dismissed else [])
    out, styles = [], []
    for r in rows:
        cells = ([r.customer] if with_customer else []) + [
            typed_key(r.guide.key, lang), occasion_text(r.guide.occasion, lang), guide_why(r.guide, lang),
            guide_progress(r.guide.key, r.steps, lang)]
        if with_dismissed:
            cells.append("✓" if r.dismissed else "")
        out.append(cells)
        styles.append("dim" if r.dismissed else None)
    return Grid(word("guides_now", lang), [word(k, lang) for k in keys], out, styles)


def guide_row_json(r) -> dict:
    from kehu.rules.playbooks_after import STEPS

    return {"customer_id": r.customer_id, "customer": r.customer, **guide_json(r.guide), "dismissed": r.dismissed,
            "steps": list(STEPS.get(r.guide.key, ())),
            "steps_done": [s for s in STEPS.get(r.guide.key, ()) if s in r.steps]}


def guide_json(g) -> dict:
    return {"key": g.key, "occasion": g.occasion, "because": g.because, **g.params}


def guide_notice(key: str, lang: str) -> str:
    """One line for a command's output: the guide's title and its first section's heads."""
    from kehu.rules.playbooks import PLAYBOOKS

    pb = PLAYBOOKS[key]
    heads = "、".join(p.head.zh for p in pb.sections[0].points) if lang == "zh" else \
        ", ".join(p.head.en for p in pb.sections[0].points)
    return message("guide_notice", lang, title=pb.title.get(lang), key=typed_key(key, lang), heads=heads)


def typed_key(key: str, lang: str) -> str:
    """What to type after `kehu playbook`: in Chinese its first Chinese short form."""
    from kehu.rules.playbooks import PLAYBOOKS

    return next((a for a in PLAYBOOKS[key].aliases if not a.isascii()), key) if lang == "zh" else key


def after_blocks(p, lang: str, today: date, causes: dict | None = None) -> list:
    """What `kehu show` adds: referrals, open complaints with counts, the guides for now
    (with the likely causes, ``causes``, under the guides that name them)."""
    from kehu.render.blocks import Fields

    blocks: list = []
    pairs = []
    if p.introduced_by:
        pairs.append((word("introduced_by", lang), p.introduced_by))
    if p.referrals:
        pairs.append((word("referrals", lang), ("、" if lang == "zh" else ", ").join(p.referrals)))
    if p.open_count or p.resolved_count:
        pairs.append((word("complaints", lang), message("complaint_counts", lang, open=p.open_count,
                                                       resolved=p.resolved_count)))
    if p.cycle:
        pairs.append((word("purchase_cycle", lang), str(p.cycle)))
    if pairs:
        blocks.append(Fields(None, pairs))
    if p.complaints:
        blocks.append(complaints_grid(p.complaints, lang, today, with_customer=False))
    if p.guides:
        blocks.append(guide_lines(p.guides, lang, causes))
    return blocks


def after_json(p) -> dict:
    return {"introduced_by": p.introduced_by, "referrals": p.referrals,
            "complaints": {"open": p.open_count, "resolved": p.resolved_count,
                           "open_ones": [complaint_json(r) for r in p.complaints]},
            "purchase_cycle_days": p.cycle, "guides": [guide_json(g) for g in p.guides]}


def complaint_trust_lines(rows, lang: str) -> list:
    """`kehu trust`: an open complaint is evidence against reliability as the customer
    sees it, whatever the promises say; the answer is to handle it, not to promise more."""
    if not rows:
        return []
    ids = ", ".join(f"Q{r.complaint.id}" for r in rows)
    return [Lines(word("complaints", lang), [message("trust_open_complaints", lang, ids=ids)], "yellow")]


def negotiation_topics_lines(plan, lang: str) -> Lines:
    """The negotiation plan's checklist of the six commercial topics, each with the
    disagreements recorded about it (the negotiation_topics guide, in context)."""
    from kehu.rules.guides import NEGOTIATION_TOPICS, negotiation_topics
    from kehu.rules.playbooks import PLAYBOOKS

    pb = PLAYBOOKS["negotiation_topics"]
    found = negotiation_topics((i.id, i.detail + " " + (i.need or "")) for i in plan.issues)
    lines = []
    for topic, point in zip(NEGOTIATION_TOPICS, pb.sections[0].points, strict=True):
        hit = found[topic]
        tail = ", ".join(f"#{x}" for x in hit) if hit else point.body.get(lang)
        lines.append(f"{'✓' if hit else '☐'} {point.head.get(lang)} — {tail}")
    return Lines(pb.title.get(lang), lines)


def negotiation_topics_json(plan) -> dict:
    from kehu.rules.guides import negotiation_topics

    return negotiation_topics((i.id, i.detail + " " + (i.need or "")) for i in plan.issues)

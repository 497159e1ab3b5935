"""A contract's negotiation plan, its READY / NOT READY verdict and the meeting agenda."""

from __future__ import annotations

from kehu.money import amount_text, show_amount
from kehu.i18n import label, labelled, message, word
from kehu.render.blocks import Block, Fields, Grid, Lines, iso, money


def _neg_params(params) -> dict:
    """A decision's parameters for JSON: money as exact decimal strings, like every amount."""
    from kehu.i18n import MONEY_PARAMS

    return {k: amount_text(v) if k in MONEY_PARAMS and type(v) is int else v for k, v in params.items()}


def _warning_text(w, lang: str) -> str:
    params = dict(w.params)
    if "names" in params:  # the people who oppose us
        params["names"] = ("、" if lang == "zh" else ", ").join(params["names"])
    return labelled(w.key, lang, **params)


def negotiation_json(row, plan, verdict, steps, settled_on, lang: str) -> dict:
    from kehu.rules import negotiation as N
    from kehu.render.aftersale import negotiation_topics_json

    k = row.contract
    return {
        "contract": k.id,
        "customer": row.customer,
        "title": k.title,
        "status": k.status,
        "amount": amount_text(k.amount_cents),
        "currency": k.currency,
        "ready": verdict.ready,
        "verdict": "READY" if verdict.ready else "NOT READY",
        "topics": negotiation_topics_json(plan),
        "missing": [{"part": m.part, "key": m.key, **_neg_params(m.params), "text": labelled(m.key, lang, **m.params)}
                    for m in verdict.missing],
        "warnings": [{"key": w.key, **_neg_params(w.params), "text": _warning_text(w, lang)}
                     for w in verdict.warnings],
        "timing": {c: ({"evidence": e.text, "date": e.day} if (e := plan.timing.get(c)) else None) for c in N.TIMING},
        "principles": list(N.PRINCIPLES),
        "settlement_order": list(N.preferred_order()),
        "issues": [
            {"id": i.id, "detail": i.detail, "need": i.need,
             "options": [{"id": o.id, "text": o.text, "value": o.value} for o in i.options],
             "settled_by": i.settled_by, "settlement": i.settlement, "settled_on": settled_on.get(i.id),
             "flags": list(N.flags(i))}
            for i in plan.issues
        ],
        "analysis": {p: {a: plan.analysis.get((p, a)) for a in N.ASPECTS[p]} for p in N.PARTIES},
        "goal": {part: plan.goal.get(part) for part in N.SMART},
        "packages": {kind: ({"text": p.text, "amount": amount_text(p.amount_cents)}
                            if (p := plan.packages.get(kind)) else None) for kind in N.PACKAGES},
        "team": {role: plan.team.get(role) for role in N.ROLES},
        "agenda": [{"phase": st.phase, "step": st.step, **st.params, "items": [_agenda_item(x) for x in st.items]}
                   for st in steps],
    }


def _agenda_item(item) -> dict:
    out = dict(item)
    if "amount_cents" in out:
        out["amount"] = amount_text(out.pop("amount_cents"))
    return out


def agenda_lines(steps, lang: str) -> Lines:
    """The meeting flow, ready to print: opening, bargaining per disagreement, close."""
    out: list[str] = []
    phase = None
    for st in steps:
        if st.phase != phase:
            phase = st.phase
            out.append(f"{label('flow_phase', phase, lang)}")
        head = label("flow_step", st.step, lang)
        issue = st.params.get("issue")
        if st.phase == "bargaining" and st.step == "detail":
            out.append(f"  [{message('issue_ref', lang, id=issue)}] {st.params.get('detail', '')}")
            continue
        extra = ""
        if st.step == "need":
            extra = st.params.get("need") or message("neg_unknown", lang)
        out.append(f"    ☐ {head}" + (f": {extra}" if extra else "") if st.phase == "bargaining"
                   else f"  ☐ {head}")
        for it in st.items:
            if "option" in it:
                value = it.get("value") or message("neg_unknown", lang)
                out.append(f"        - {it['text']} ({word('value_to_customer', lang)}: {value})")
            elif "package" in it:
                amount = f" — {show_amount(it['amount_cents'])}" if it.get("amount_cents") is not None else ""
                out.append(f"      - {label('package', it['package'], lang)}: {it['text']}{amount}")
            elif it.get("settlement"):
                out.append(f"      - #{it['issue']} {it['detail']} → {label('settlement', it['settlement'], lang)}"
                           + (f": {it['text']}" if it.get("text") else ""))
            else:
                out.append(f"      - #{it['issue']} {it['detail']}")
    return Lines(word("agenda", lang), out)


def negotiation_blocks(row, plan, verdict, steps, settled_on, lang: str) -> list[Block]:
    from kehu.rules import negotiation as N
    from kehu.render.aftersale import negotiation_topics_lines

    k = row.contract
    dash = "—"
    verdict_text = (message("neg_ready", lang) if verdict.ready
                    else message("neg_not_ready", lang, count=len(verdict.missing)))
    blocks: list[Block] = [Fields(
        f"{word('negotiation', lang)}: #{k.id} {k.title}",
        [(word("customer", lang), row.customer), (word("status", lang), label("contract_status", k.status, lang)),
         (word("amount", lang), money(k.amount_cents, k.currency)), (word("verdict", lang), verdict_text)],
    )]
    if verdict.missing:
        blocks.append(Lines(word("missing", lang), [
            f"✗ {labelled(m.key, lang, **m.params)}" for m in verdict.missing
        ], "red"))
    if verdict.warnings:
        blocks.append(Lines(word("warnings", lang), [
            f"! {_warning_text(w, lang)}" for w in verdict.warnings
        ], "yellow"))
    blocks.append(Grid(label("plan_part", "timing", lang), [word(x, lang) for x in ("condition", "evidence", "date")], [
        [("✓ " if c in plan.timing else "✗ ") + label("timing", c, lang),
         plan.timing[c].text if c in plan.timing else dash, iso(plan.timing[c].day) if c in plan.timing else ""]
        for c in N.TIMING
    ]))
    blocks.append(Lines(word("principles", lang), [
        f"☐ {label('principle', p, lang)} — {message('principle_' + p, lang)}" for p in N.PRINCIPLES
    ]))
    order = " → ".join(label("settlement", x, lang) for x in N.preferred_order())
    issue_rows = []
    for i in plan.issues:
        opts = "; ".join(f"#{o.id} {o.text} ({o.value or '?'})" for o in i.options) or dash
        settled = ""
        if i.settled_by:
            settled = label("settlement", i.settled_by, lang) + (f": {i.settlement}" if i.settlement else "")
            if N.flags(i):
                settled = "! " + settled
        issue_rows.append([str(i.id), i.detail, i.need or dash, opts, settled])
    blocks.append(Grid(f"{label('plan_part', 'issues', lang)} ({order})",
                       [word(x, lang) for x in ("id", "detail", "need", "options", "settled_by")], issue_rows))
    blocks.append(negotiation_topics_lines(plan, lang))
    blocks.append(Grid(label("plan_part", "analysis", lang), [word(x, lang) for x in ("party", "aspect", "text")], [
        [label("party", p, lang), label("aspect", a, lang), plan.analysis.get((p, a)) or dash] for p, a in N.ANALYSIS
    ]))
    blocks.append(Fields(label("plan_part", "goal", lang),
                         [(label("smart", part, lang), plan.goal.get(part) or dash) for part in N.SMART]))
    blocks.append(Grid(label("plan_part", "packages", lang), [word(x, lang) for x in ("package", "text", "amount")], [
        [label("package", kind, lang), p.text if p else dash,
         show_amount(p.amount_cents) if p and p.amount_cents is not None else ""]
        for kind in N.PACKAGES for p in [plan.packages.get(kind)]
    ]))
    blocks.append(Fields(label("plan_part", "team", lang),
                         [(label("team_role", r, lang), plan.team.get(r) or dash) for r in N.ROLES]))
    blocks.append(agenda_lines(steps, lang))
    return blocks

"""Contracts, their payment plans, the non-payment playbook beside overdue money, the forecast."""

from __future__ import annotations

from datetime import date

from kehu.money import amount_text
from kehu.i18n import label, message, word
from kehu.render.blocks import Block, Fields, Grid, Lines, iso, money


def _owed(row) -> int:
    """Only a signed (or completed) contract owes money: a draft's plan is a proposal."""
    return row.planned - row.paid if row.contract.status in ("signed", "completed") else 0


def contract_json(row) -> dict:
    k = row.contract
    return {
        "id": k.id,
        "customer_id": k.customer_id,
        "customer": row.customer,
        "owner": row.owner,
        "title": k.title,
        "amount": amount_text(k.amount_cents),
        "currency": k.currency,
        "status": k.status,
        "expected_on": k.expected_on,
        "signed_on": k.signed_on,
        "completed_on": k.completed_on,
        "lost_on": k.lost_on,
        "lost_reason": k.lost_reason,
        "aftercare_due": k.aftercare_due,
        "aftercare_done_on": k.aftercare_done_on,
        "note": k.note,
        "planned": amount_text(row.planned),
        "paid": amount_text(row.paid),
        "owed": amount_text(_owed(row)),
        "overdue": amount_text(row.overdue),
        "overdue_since": row.oldest_due,
    }


def contracts_grid(rows, lang: str, today: date) -> Grid:
    headers = [word(k, lang) for k in ("id", "customer", "contract", "status", "amount", "paid", "overdue", "date")]
    out, styles = [], []
    for r in rows:
        k = r.contract
        when = k.signed_on or k.expected_on or k.lost_on
        late = ""
        if r.overdue:
            late = message("days_late_amount", lang, amount=money(r.overdue), days=(today - r.oldest_due).days)
        out.append([str(k.id), r.customer, k.title, label("contract_status", k.status, lang),
                    money(k.amount_cents, k.currency), money(r.paid) if r.planned else "", late, iso(when)])
        styles.append("red" if r.overdue else "dim" if k.status == "lost" else None)
    return Grid(None, headers, out, styles)


def contract_fields(row, lang: str, today: date) -> Fields:
    k = row.contract
    pairs = [
        (word("id", lang), str(k.id)),
        (word("customer", lang), f"#{k.customer_id} {row.customer}"),
        (word("status", lang), label("contract_status", k.status, lang)),
        (word("amount", lang), money(k.amount_cents, k.currency)),
    ]
    for key, value in (("expected_on", k.expected_on), ("signed_on", k.signed_on),
                       ("completed_on", k.completed_on), ("lost_on", k.lost_on)):
        if value:
            pairs.append((word(key, lang), iso(value)))
    if k.lost_reason:
        pairs.append((word("reason", lang), k.lost_reason))
    if row.planned and k.status in ("signed", "completed"):
        pairs.append((word("paid", lang), money(row.paid, k.currency)))
        pairs.append((word("owed", lang), money(_owed(row), k.currency)))
    elif k.status in ("signed", "completed"):
        pairs.append((word("plan", lang), message("no_plan_yet", lang, id=k.id)))
    if row.overdue:
        pairs.append((word("overdue", lang), message(
            "days_late_amount", lang, amount=money(row.overdue, k.currency), days=(today - row.oldest_due).days)))
    if k.aftercare_due:
        state = (message("aftercare_done_on", lang, date=iso(k.aftercare_done_on)) if k.aftercare_done_on
                 else message("aftercare_due_on", lang, date=iso(k.aftercare_due), ref=f"A{k.id}"))
        pairs.append((word("aftercare", lang), state))
    if k.note:
        pairs.append((word("note", lang), k.note))
    return Fields(k.title, pairs)


def instalment_json(i, today: date, status: str = "signed") -> dict:
    owed = i.amount_cents - i.paid_cents if status in ("signed", "completed") else 0
    return {
        "seq": i.seq, "due": i.due, "amount": amount_text(i.amount_cents), "paid": amount_text(i.paid_cents),
        "paid_on": i.paid_on, "owed": amount_text(owed),
        "days_late": (today - i.due).days if owed and i.due < today else 0,
    }


def instalments_grid(rows, lang: str, today: date, currency: str, status: str = "signed") -> Grid:
    headers = [word(k, lang) for k in ("seq", "due", "amount", "paid", "paid_on", "owed")]
    out, styles = [], []
    signed = status in ("signed", "completed")
    for i in rows:
        owed = i.amount_cents - i.paid_cents if signed else 0
        late = owed > 0 and i.due < today
        owed_text = money(owed, currency) if owed else word("settled", lang) if signed else ""
        if late:
            owed_text += " — " + message("days_late", lang, days=(today - i.due).days)
        out.append([str(i.seq), iso(i.due), money(i.amount_cents, currency), money(i.paid_cents, currency),
                    iso(i.paid_on), owed_text])
        styles.append("red" if late else "dim" if not owed else None)
    return Grid(word("instalments", lang), headers, out, styles)


def non_payment_json(facts, lang: str, hidden_for: str | None = None) -> dict:
    """``hidden_for``: the occasion the salesperson dismissed the guide for (kehu guide
    dismiss), which is the current one: the facts stay, the guide's text is left out."""
    from kehu.rules.playbooks import PLAYBOOKS, playbook_json

    return {
        "overdue": amount_text(facts.overdue),
        "currency": facts.currency,
        "days_late": facts.days_late,
        "instalments": facts.instalments,
        "hints": [{"key": k, **p} for k, p in facts.hint_keys()],
        "dismissed": hidden_for,
        "playbook": None if hidden_for else playbook_json(PLAYBOOKS["non_payment"], lang),
    }


def payment_hints(facts, lang: str) -> list[str]:
    return [
        message(key, lang, **{k: label("role", v, lang) if k == "role" else v for k, v in params.items()})
        for key, params in facts.hint_keys()
    ]


def non_payment_lines(facts, lang: str, hidden_for: str | None = None) -> Lines:
    """The non-payment playbook beside the contract's own facts (DOMAIN.md §9); with
    ``hidden_for`` (the guide dismissed for the current occasion), the facts and where to
    read the guide, not its text."""
    from kehu.rules.playbooks import PLAYBOOKS

    pb = PLAYBOOKS["non_payment"]
    lines = [message("non_payment_facts", lang, amount=money(facts.overdue, facts.currency),
                     days=facts.days_late, count=facts.instalments)]
    lines += [f"  · {text}" for text in payment_hints(facts, lang) or [message("np_none", lang)]]
    # in Chinese, its first Chinese short form (kehu playbook 回款): no English key in Chinese
    short = next((a for a in pb.aliases if not a.isascii()), pb.key) if lang == "zh" else pb.key
    if hidden_for:
        lines.append(message("np_guide_hidden", lang, occasion=hidden_for, topic=short))
        return Lines(f"{pb.title.get(lang)}", lines, "yellow")
    for section in pb.sections:
        for point in section.points:
            lines.append(f"- {point.head.get(lang)}: {point.body.get(lang)}")
    lines.append(message("see_playbook", lang, topic=short))
    return Lines(f"{pb.title.get(lang)}", lines, "yellow")


def forecast_json(by_month, by_owner, total, probability) -> dict:
    def rows(items, name: str) -> list[dict]:
        return [{name: r.group or None, "currency": r.currency, "contracts": r.count,
                 "amount": amount_text(r.amount), "weighted": amount_text(r.weighted)} for r in items]

    return {
        "probability": probability,
        "by_month": rows(by_month, "month"),
        "by_owner": rows(by_owner, "owner"),
        "total": [{k: v for k, v in r.items() if k != "total"} for r in rows(total, "total")],
    }


def forecast_blocks(by_month, by_owner, total, probability, lang: str) -> list[Block]:
    none = word("none", lang)

    def grid(items, heading: str, title: str) -> Grid:
        return Grid(title, [word(heading, lang), word("currency", lang), word("contracts", lang),
                            word("amount", lang), word("weighted", lang)],
                    [[r.group or none, r.currency, str(r.count), money(r.amount), money(r.weighted)] for r in items])

    if not total:
        return [Lines(None, [message("forecast_empty", lang)])]
    chances = ", ".join(f"{label('stage', k, lang)} {v}%" for k, v in probability.items())
    return [
        grid(by_month, "month", word("forecast_by_month", lang)),
        grid(by_owner, "owner", word("forecast_by_owner", lang)),
        Grid(word("total", lang), [word("currency", lang), word("contracts", lang), word("amount", lang),
                                   word("weighted", lang)],
             [[r.currency, str(r.count), money(r.amount), money(r.weighted)] for r in total]),
        Lines(None, [message("forecast_how", lang, chances=chances)], "dim"),
    ]

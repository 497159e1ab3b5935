"""Trust (信用 = 专业 × 靠谱 × 连接度 × 时间): the factors, the weakest, what to do."""

from __future__ import annotations

import typer

from kehu.cli._common import emit_json, show, state, without_gc
from kehu.cli.options import CustomerRef, Json


@without_gc
def trust(
    ctx: typer.Context,
    customer: CustomerRef,
    json: Json = False,
) -> None:
    """Score a customer's trust, per person and overall, and suggest how to raise the weakest factor."""
    from kehu import book
    from kehu.store import customers, settings, trust
    from kehu.dates import today
    from kehu.render.trust import trust_blocks, trust_json
    from kehu.render.aftersale import complaint_trust_lines
    from kehu.store import aftersale

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        result = trust.customer_trust(s, c, today(), settings.read(s))
        open_complaints = aftersale.complaint_rows(s, c.id, open_only=True)
    if json:
        emit_json({"id": c.id, "name": c.name, **trust_json(result, st.lang),
                   "open_complaints": [f"Q{r.complaint.id}" for r in open_complaints]})
    else:
        show(trust_blocks(c.name, result, st.lang) + complaint_trust_lines(open_complaints, st.lang))


def register(app: typer.Typer) -> None:
    app.command("trust")(trust)

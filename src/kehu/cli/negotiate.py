"""Negotiation planning per contract (DOMAIN.md §8): record each part, see the verdict.

`kehu negotiate ID` shows the whole plan with READY / NOT READY; the subcommands record
its parts: timing evidence, disagreements and our options, the three-party analysis,
the SMART goal, the three packages, the team, and print the meeting agenda.
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu.cli._common import emit_json, past_day, say, show, state
from kehu.errors import Unchanged
from kehu.cli.options import Json


class _ShowByDefault(TyperGroup):
    """`kehu negotiate 12` is `kehu negotiate show 12`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_ShowByDefault, no_args_is_help=True, rich_markup_mode=None,
    help="Plan a contract's negotiation (谈判策划): kehu negotiate ID shows the plan and whether we are ready.",
)

ContractRef = Annotated[str, typer.Argument(metavar="CONTRACT", help="Contract number.")]
IssueRef = Annotated[str, typer.Argument(metavar="ISSUE", help="Disagreement number (from kehu negotiate CONTRACT).")]
Text = Annotated[str, typer.Argument(help="The text to record.")]


def _load(s, ident: str, day):
    from kehu.store import contracts, negotiation
    from kehu.rules import negotiation as N

    k = contracts.get_contract(s, ident)
    row = contracts.contract_rows(s, ids=[k.id], day=day)[0]
    plan, settled_on = negotiation.negotiation_plan(s, k)
    return row, plan, N.readiness(plan, day), N.agenda(plan), settled_on


def _key(name: str, value: str, ctx: typer.Context) -> str:
    from kehu.i18n import parse_enum

    return parse_enum(name, value, state(ctx).lang)


@app.command("show")
def show_(ctx: typer.Context, ident: ContractRef, json: Json = False) -> None:
    """The whole plan with its verdict: READY, or NOT READY with every missing piece."""
    from kehu import book
    from kehu.dates import today
    from kehu.render.negotiation import negotiation_blocks, negotiation_json

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        loaded = _load(s, ident, today())
    if json:
        emit_json(negotiation_json(*loaded, st.lang))
    else:
        show(negotiation_blocks(*loaded, st.lang))


@app.command("agenda")
def agenda(ctx: typer.Context, ident: ContractRef, json: Json = False) -> None:
    """The meeting flow to print: opening, bargaining per open disagreement, close."""
    from kehu import book
    from kehu.dates import today
    from kehu.render.negotiation import agenda_lines, negotiation_json

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        row, plan, verdict, steps, settled_on = _load(s, ident, today())
    if json:
        emit_json(negotiation_json(row, plan, verdict, steps, settled_on, st.lang)["agenda"])
    else:
        show([agenda_lines(steps, st.lang)])


def _recorded(ctx: typer.Context, k, part: str, what: str, understood=()) -> None:
    say(ctx, "neg_recorded", id=k.id, part=part, what=what, understood=understood)


def _write(ctx: typer.Context, ident: str, part: str, key: str, text: str, what: str, day=None, amount=None,
           understood=()) -> None:
    from kehu import book
    from kehu.store import contracts, negotiation

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        if negotiation.set_fact(s, k, part, key, text, day=day, amount_cents=amount) is None:
            raise Unchanged("nothing_changed")
    _recorded(ctx, k, "analysis" if part in ("ours", "customer", "competitor") else part, what, understood)


@app.command("timing")
def timing(
    ctx: typer.Context,
    ident: ContractRef,
    condition: Annotated[
        str,
        typer.Argument(help="terms | proposal | objections | all_raised (条件/提案/分歧/全部分歧)."),
    ],
    evidence: Annotated[str, typer.Argument(help="What shows the condition holds.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was confirmed (default today).")] = None,
) -> None:
    """Confirm one of the four timing conditions, with evidence and its date."""
    from kehu.i18n import label

    key = _key("timing", condition, ctx)
    when = past_day(day)
    _write(ctx, ident, "timing", key, evidence, label("timing", key, state(ctx).lang), day=when,
           understood=[(day, when)])


@app.command("issue")
def issue(
    ctx: typer.Context,
    ident: ContractRef,
    detail: Annotated[str, typer.Argument(help="The disagreement (分歧), in a line.")],
    need: Annotated[str | None, typer.Option("--need", help="The customer's underlying need behind it.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When the customer raised it (default today).")] = None,
    json: Json = False,
) -> None:
    """Record a disagreement; prints its number for option, need and settle."""
    from kehu import book
    from kehu.store import contracts, negotiation

    st = state(ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        row = negotiation.add_issue(s, k, detail, need, when)
    if json:
        emit_json({"id": row.id, "contract": k.id, "detail": row.detail, "need": row.need})
    say(ctx, "neg_issue_added", id=row.id, contract=k.id, understood=[(day, when)])


@app.command("need")
def need(ctx: typer.Context, ident: IssueRef, text: Text) -> None:
    """Record the customer's underlying need behind a disagreement."""
    from kehu import book
    from kehu.store import negotiation

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        row = negotiation.get_issue(s, ident)
        negotiation.set_issue_need(s, row, text)
    say(ctx, "neg_need_set", id=row.id)


@app.command("option")
def option(
    ctx: typer.Context,
    ident: IssueRef,
    text: Annotated[str, typer.Argument(help="One option we can offer.")],
    value: Annotated[str | None, typer.Option("--value", help="What it is worth to the customer.")] = None,
) -> None:
    """Add one of our options for a disagreement, with its value to the customer."""
    from kehu import book
    from kehu.store import negotiation

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        row = negotiation.get_issue(s, ident)
        opt = negotiation.add_option(s, row, text, value)
    say(ctx, "neg_option_added", id=opt.id, issue=row.id)
    if opt.value is None:
        say(ctx, "neg_option_no_value", id=opt.id)


@app.command("value")
def value(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="OPTION", help="Option number (from kehu negotiate CONTRACT).")],
    text: Annotated[str, typer.Argument(help="What the option is worth to the customer.")],
) -> None:
    """Say (or change) what one of our options is worth to the customer."""
    from kehu import book
    from kehu.store import negotiation

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        opt = negotiation.get_option(s, ident)
        negotiation.set_option_value(s, opt, text)
    say(ctx, "neg_value_set", id=opt.id, issue=opt.issue_id)


# What `kehu negotiate remove` takes: its words (either language) and how many keys follow the number.
_REMOVABLE = {
    "issue": ("issue", "分歧"), "option": ("option", "方案"), "timing": ("timing", "时机"),
    "analysis": ("analysis", "分析"), "goal": ("goal", "目标"), "package": ("package", "组合方案"),
    "team": ("team", "团队"),
}


@app.command("remove")
def remove(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="issue | option | timing | analysis | goal | package | team")],
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="The disagreement's or option's number; else the contract's."),
    ],
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KEY...]",
            help="Which one: a timing condition, PARTY ASPECT of the analysis, a goal part (specific, measurable, "
                 "achievable, relevant, deadline), a package kind, a team role.",
        ),
    ] = None,
) -> None:
    """Remove what was recorded by mistake: a disagreement (with its options), an option,
    or one piece of the plan (timing condition, analysis point, goal part, package, team role)."""
    from kehu import book
    from kehu.store import contracts, negotiation
    from kehu.errors import UsageError
    from kehu.i18n import label
    from kehu.rules.negotiation import ASPECTS

    st = state(ctx)
    kind = next((k for k, words in _REMOVABLE.items() if what.strip().lower() in words), None)
    if kind is None:
        raise UsageError("neg_remove_what", value=what)
    keys = keys or []
    wanted = 0 if kind in ("issue", "option") else 2 if kind == "analysis" else 1
    if len(keys) != wanted:
        raise UsageError("neg_remove_keys", what=kind, n=wanted)
    if kind in ("issue", "option"):
        with book.open(st.db, st.inv, write=True) as (s, _):
            if kind == "issue":
                row = negotiation.get_issue(s, ident)
                count = negotiation.remove_issue(s, row)
            else:
                row = negotiation.get_option(s, ident)
                negotiation.remove_option(s, row)
                count = 0
        say(ctx, f"neg_removed_{kind}", id=row.id, count=count)
        return
    if kind == "analysis":
        part = _key("party", keys[0], ctx)
        key = _key("aspect", keys[1], ctx)
        if key not in ASPECTS[part]:
            raise UsageError("neg_bad_aspect", party=part, value=keys[1],
                             accepted=", ".join(f"{a} ({label('aspect', a, 'zh')})" for a in ASPECTS[part]))
        shown = f"{label('party', part, st.lang)} / {label('aspect', key, st.lang)}"
    else:
        enum_ = {"timing": "timing", "goal": "smart", "package": "package", "team": "team_role"}[kind]
        part, key = kind, _key(enum_, keys[0], ctx)
        shown = label(enum_, key, st.lang)
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        negotiation.remove_fact(s, k, part, key)
    say(ctx, "neg_removed_fact", id=k.id, what=shown)


@app.command("settle")
def settle(
    ctx: typer.Context,
    ident: IssueRef,
    how: Annotated[
        str,
        typer.Argument(
            help="trade | add_value | split | concede (利益交换/附加利益/折中/妥协), preferred in that order.",
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="What was agreed.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
) -> None:
    """Record how a disagreement was settled; a concession is flagged."""
    from kehu import book
    from kehu.store import negotiation
    from kehu.i18n import label

    st = state(ctx)
    key = _key("settlement", how, ctx)
    when = past_day(day)
    with book.open(st.db, st.inv, write=True) as (s, _):
        row = negotiation.get_issue(s, ident)
        negotiation.settle_issue(s, row, key, note, when)
    say(ctx, "neg_settled", id=row.id, how=label("settlement", key, st.lang), understood=[(day, when)])
    if key == "concede":
        say(ctx, "neg_concession_flag", id=row.id)


@app.command("analysis")
def analysis(
    ctx: typer.Context,
    ident: ContractRef,
    party: Annotated[str, typer.Argument(help="ours | customer | competitor (我方/客户/竞争对手).")],
    aspect: Annotated[
        str,
        typer.Argument(
            help="ours: strengths gaps unique_value goal; customer: pain background finances deciders process "
                 "timing; competitor: offer goal relationships position tactics.",
        ),
    ],
    text: Text,
) -> None:
    """Record one point of the three-party analysis."""
    from kehu.errors import UsageError
    from kehu.i18n import label
    from kehu.rules.negotiation import ASPECTS

    lang = state(ctx).lang
    who = _key("party", party, ctx)
    what = _key("aspect", aspect, ctx)
    if what not in ASPECTS[who]:
        raise UsageError("neg_bad_aspect", party=who, value=aspect,
                         accepted=", ".join(f"{a} ({label('aspect', a, 'zh')})" for a in ASPECTS[who]))
    _write(ctx, ident, who, what, text, f"{label('party', who, lang)} / {label('aspect', what, lang)}")


@app.command("goal")
def goal(
    ctx: typer.Context,
    ident: ContractRef,
    specific: Annotated[str | None, typer.Option("--specific", help="What exactly we want to agree.")] = None,
    measurable: Annotated[str | None, typer.Option("--measurable", help="The figure that tells we got it.")] = None,
    achievable: Annotated[str | None, typer.Option("--achievable", help="Why it is within reach.")] = None,
    relevant: Annotated[str | None, typer.Option("--relevant", help="Why it matters to the account.")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="By when (a date).")] = None,
) -> None:
    """Set the SMART goal, part by part."""
    from kehu import book
    from kehu.store import contracts, negotiation
    from kehu.cli._common import future_day
    from kehu.errors import UsageError
    from kehu.i18n import label

    st = state(ctx)
    due = future_day(deadline) if deadline is not None else None
    parts = {"specific": specific, "measurable": measurable, "achievable": achievable, "relevant": relevant,
             "deadline": due.isoformat() if due is not None else None}
    given = {k: v for k, v in parts.items() if v is not None}
    if not given:
        raise UsageError("nothing_to_edit")
    with book.open(st.db, st.inv, write=True) as (s, _):
        k = contracts.get_contract(s, ident)
        outcomes = [negotiation.set_fact(s, k, "goal", key, text) for key, text in given.items()]
        if all(o is None for o in outcomes):
            raise Unchanged("nothing_changed")
    _recorded(ctx, k, "goal", ", ".join(label("smart", x, st.lang) for x in given), [(deadline, due)])


@app.command("package")
def package(
    ctx: typer.Context,
    ident: ContractRef,
    kind: Annotated[str, typer.Argument(help="best | compromise | bottom (最优/折中/底线).")],
    text: Annotated[str, typer.Argument(help="What the package holds: price, scope, terms.")],
    amount: Annotated[str | None, typer.Option("--amount", help="What it brings us, e.g. 118万.")] = None,
) -> None:
    """Set one of the three packages: best, compromise, bottom line."""
    from kehu.money import parse_amount
    from kehu.i18n import label

    from kehu.errors import UsageError

    key = _key("package", kind, ctx)
    cents = parse_amount(amount) if amount is not None else None
    if cents is not None and cents <= 0:
        raise UsageError("package_amount_positive", value=amount)
    _write(ctx, ident, "package", key, text, label("package", key, state(ctx).lang), amount=cents)


@app.command("team")
def team(
    ctx: typer.Context,
    ident: ContractRef,
    role: Annotated[
        str,
        typer.Argument(help="lead | technical | service | commercial | recorder (主谈/技术/服务/商务/记录员)."),
    ],
    name: Annotated[str, typer.Argument(help="Who takes the role.")],
) -> None:
    """Name who takes a role in the negotiating team."""
    from kehu.i18n import label

    key = _key("team_role", role, ctx)
    _write(ctx, ident, "team", key, name, f"{label('team_role', key, state(ctx).lang)}: {name.strip()}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="negotiate")

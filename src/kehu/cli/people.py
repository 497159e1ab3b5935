"""Decision-makers (决策人): add, edit, delete, list, show, rate, forget."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, enum, say, show, state
from kehu.cli.options import CustomerRef, Json

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Decision-makers at a customer (决策人).")

PersonRef = Annotated[str, typer.Argument(help="Person's name (or #id).")]
Title = Annotated[str | None, typer.Option("--title", help="Job title (职位).")]
Dept = Annotated[str | None, typer.Option("--dept", help="Department (部门).")]
Level = Annotated[str | None, typer.Option("--level", help="executive | middle | staff (高层/中层/基层).")]
Role = Annotated[
    str | None,
    typer.Option(
        "--role",
        help="decider | influencer | technical | user | procurement | coach "
             "(决策者/影响者/技术把关/使用者/采购/内线).",
    ),
]
Attitude = Annotated[str | None, typer.Option("--attitude", help="support | neutral | oppose (支持/中立/反对).")]
Kpi = Annotated[str | None, typer.Option("--kpi", help="What they are measured on.")]
Pain = Annotated[str | None, typer.Option("--pain", help="Their pain points.")]
Interest = Annotated[str | None, typer.Option("--interest", help="What they care about at work.")]
Style = Annotated[str | None, typer.Option("--style", help="How they like to communicate.")]
Private = Annotated[
    str | None,
    typer.Option("--private", help="Personal details (family, birthday, plans): kept private, never listed."),
]

Phone = Annotated[str | None, typer.Option("--phone", help="Work phone (电话), kept as typed: 010-12345678 转 123.")]
Mobile = Annotated[str | None, typer.Option("--mobile", help="Work mobile (手机), kept as typed: +86 138 0013 8000.")]
WeChat = Annotated[str | None, typer.Option("--wechat", help="WeChat ID (微信号), or the mobile it is registered to.")]
Email = Annotated[str | None, typer.Option("--email", help="E-mail address (邮箱).")]
PrivateMobile = Annotated[
    str | None,
    typer.Option("--private-mobile", help="Private mobile (私人手机): kept private like --private, never listed."),
]
HomeAddress = Annotated[
    str | None,
    typer.Option("--home-address", help="Home address (家庭住址): kept private like --private, never listed."),
]


def _data(ctx: typer.Context, **raw: str | None) -> dict:
    data = dict(raw)
    data["level"] = enum("person_level", raw.get("level"), ctx)
    data["role"] = enum("role", raw.get("role"), ctx)
    data["attitude"] = enum("attitude", raw.get("attitude"), ctx)
    return data


@app.command("add")
def add(
    ctx: typer.Context,
    customer: CustomerRef,
    name: Annotated[str, typer.Argument(help="The person's name.")],
    title: Title = None,
    dept: Dept = None,
    level: Level = None,
    role: Role = None,
    attitude: Attitude = None,
    kpi: Kpi = None,
    pain: Pain = None,
    interest: Interest = None,
    style: Style = None,
    private: Private = None,
    phone: Phone = None,
    mobile: Mobile = None,
    wechat: WeChat = None,
    email: Email = None,
    private_mobile: PrivateMobile = None,
    home_address: HomeAddress = None,
    json: Json = False,
) -> None:
    """Add a decision-maker to a customer."""
    from kehu import book
    from kehu.store import customers, people
    from kehu.render.people import person_json

    data = _data(ctx, name=name, title=title, dept=dept, level=level, role=role, attitude=attitude,
                 kpi=kpi, pain=pain, interest=interest, style=style, private=private, phone=phone,
                 mobile=mobile, wechat=wechat, email=email, private_mobile=private_mobile, home_address=home_address)
    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.add_person(s, c, data)
    if json:
        emit_json(person_json(p))
    say(ctx, "added_person", customer=c.name, name=p.name)


@app.command("edit")
def edit(
    ctx: typer.Context,
    customer: CustomerRef,
    person: PersonRef,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    title: Title = None,
    dept: Dept = None,
    level: Level = None,
    role: Role = None,
    attitude: Attitude = None,
    kpi: Kpi = None,
    pain: Pain = None,
    interest: Interest = None,
    style: Style = None,
    private: Private = None,
    phone: Phone = None,
    mobile: Mobile = None,
    wechat: WeChat = None,
    email: Email = None,
    private_mobile: PrivateMobile = None,
    home_address: HomeAddress = None,
) -> None:
    """Change a decision-maker's details ("" clears one)."""
    from kehu import book
    from kehu.store import customers, people

    data = _data(ctx, name=name, title=title, dept=dept, level=level, role=role, attitude=attitude,
                 kpi=kpi, pain=pain, interest=interest, style=style, private=private, phone=phone,
                 mobile=mobile, wechat=wechat, email=email, private_mobile=private_mobile, home_address=home_address)
    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.resolve_person(s, c, person)
        people.edit_person(s, c, p, data)
    say(ctx, "edited_person", customer=c.name, name=p.name)


@app.command("delete")
def delete(
    ctx: typer.Context,
    customer: CustomerRef,
    person: PersonRef,
    yes: Annotated[
        bool, typer.Option("--yes", help="Also when touchpoints name them: they stay, without this person."),
    ] = False,
) -> None:
    """Delete a person recorded by mistake; kehu undo can bring them back.

    The touchpoints that named them stay, without them; when there are any, --yes is
    needed. To erase someone's personal data for good (it cannot be undone), use kehu
    person forget instead.
    """
    from kehu import book
    from kehu.store import customers, people

    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.resolve_person(s, c, person)
        links = people.delete_person(s, c, p, yes)
    say(ctx, "person_deleted", customer=c.name, name=p.name, links=links)


@app.command("merge")
def merge(
    ctx: typer.Context,
    customer: CustomerRef,
    keep: Annotated[str, typer.Argument(help="The person record that stays (id or name).")],
    gone: Annotated[str, typer.Argument(help="The duplicate record that goes into it (id or name).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")] = False,
) -> None:
    """Merge two records of one person at a customer: the touchpoints that named the duplicate
    name the one kept, its empty fields are filled. One operation: kehu undo takes it back."""
    from kehu import book
    from kehu.store import customers, names, people

    st = state(ctx)
    with book.open(st.db, st.inv, write=not dry_run) as (s, _):
        c = customers.resolve_customer(s, customer)
        kept, other = people.resolve_person(s, c, keep), people.resolve_person(s, c, gone)
        plan = (names.plan_person_merge(s, kept, other) if dry_run else names.merge_people(s, c, kept, other))
        facts = dict(id=kept.id, name=kept.name, gone_id=other.id, gone=other.name, customer=c.name,
                     touches=plan.touches)
    say(ctx, "person_merge_would" if dry_run else "person_merged", **facts)


@app.command("rate")
def rate(
    ctx: typer.Context,
    customer: CustomerRef,
    person: PersonRef,
    score: Annotated[str, typer.Argument(help="How this person rates our competence, 1–5.")],
) -> None:
    """Record how a person sees our competence (专业能力), 1 to 5."""
    from kehu import book
    from kehu.store import customers, people
    from kehu.errors import UsageError

    if not (score.strip().isascii() and score.strip().isdigit() and len(score.strip()) <= 3):
        raise UsageError("bad_rating", value=score)
    st = state(ctx)
    with book.open(st.db, st.inv, write=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.resolve_person(s, c, person)
        people.edit_person(s, c, p, {"competence": int(score)})
    say(ctx, "rated_person", name=p.name, score=int(score))


@app.command("list")
def list_(ctx: typer.Context, customer: CustomerRef, json: Json = False) -> None:
    """List a customer's decision-makers (private details are never listed)."""
    from kehu import book
    from kehu.store import customers
    from kehu.store import people as people_
    from kehu.render.people import people_grid, person_json

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        people = people_.people_of(s, c)
    if json:
        emit_json([person_json(p) for p in people])
    else:
        show([people_grid(people, st.lang, title=c.name)])


@app.command("show")
def show_(
    ctx: typer.Context,
    customer: CustomerRef,
    person: PersonRef,
    include_private: Annotated[
        bool, typer.Option("--private", help="Also show the private personal details.")
    ] = False,
    json: Json = False,
) -> None:
    """One decision-maker in full; personal details only with --private."""
    from kehu import book
    from kehu.store import customers, people
    from kehu.render.people import person_fields, person_json

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.resolve_person(s, c, person)
    if json:
        emit_json(person_json(p, include_private=include_private))
    else:
        show([person_fields(p, st.lang, include_private)])


@app.command("export")
def export(
    ctx: typer.Context,
    vcard: Annotated[
        str,
        typer.Option("--vcard", metavar="FILE",
                     help="Write the people as vCard 4.0 contacts (a phone imports the file); - is standard output."),
    ],
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer's people.")] = None,
) -> None:
    """Write people's work contact details as vCard 4.0; private details are never in it."""
    from kehu import book
    from kehu.store import customers, people
    from kehu.vcard import write_cards

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        c = customers.resolve_customer(s, customer) if customer is not None else None
        rows = people.people_with_customers(s, c)
        count = write_cards(vcard, rows)
    if vcard != "-":
        say(ctx, "vcard_written", path=vcard, count=count)


@app.command("forget")
def forget(
    ctx: typer.Context,
    customer: CustomerRef,
    person: PersonRef,
) -> None:
    """Erase a person and all their details, leaving no trace in the book's files.

    This cannot be undone (kehu undo), nor anything written before it.

    The touchpoints that named them stay, without their name. Earlier backups are not
    touched: kehu says how many there are. This cannot be undone (kehu undo keeps
    nothing of them); to remove a person entered by mistake, use kehu person delete.
    """
    from kehu import book
    from kehu.store import customers, people

    from kehu.cli import _common

    st = state(ctx)
    if _common.stderr_is_terminal():  # for the person at the keyboard; a script's stderr stays one line
        say(ctx, "forget_final")
    with book.open(st.db, st.inv, write=True, scrub=True) as (s, _):
        c = customers.resolve_customer(s, customer)
        p = people.resolve_person(s, c, person)
        name = p.name
        links = people.forget_person(s, c, p)
    server = book.server_url(st.db) is not None
    say(ctx, "person_forgotten_server" if server else "person_forgotten", customer=c.name, name=name, links=links)
    backups = book.backups_of(st.db)
    if backups:
        say(ctx, "person_forgotten_backups", n=len(backups), folder=str(backups[0].parent))

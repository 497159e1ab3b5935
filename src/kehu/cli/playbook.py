"""Playbooks (应对): `kehu playbook [TOPIC]` prints a short guide. Static: no book is opened."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, show, state
from kehu.cli.options import Json


def playbook_blocks(pb, lang: str) -> list:
    """A playbook (or its key) as render blocks: title and when, then one Lines per section."""
    from kehu.render.blocks import Lines
    from kehu.rules.playbooks import PLAYBOOKS, point_line, when_line

    if isinstance(pb, str):
        pb = PLAYBOOKS[pb]
    blocks = [Lines(pb.title.get(lang), [when_line(pb, lang)])]
    for section in pb.sections:
        lines = [point_line(p, lang, i) for i, p in enumerate(section.points, 1)]
        blocks.append(Lines(section.title.get(lang), lines))
    return blocks


def _resolve(topic: str, lang: str):
    from kehu.errors import UsageError
    from kehu.rules.playbooks import PLAYBOOKS, TOPICS, candidates

    keys = candidates(topic)
    if len(keys) == 1:
        return PLAYBOOKS[keys[0]]
    if keys:
        raise UsageError("playbook_ambiguous", topic=topic, matches=", ".join(keys))
    if lang == "zh":
        accepted = "、".join(f"{k}（{PLAYBOOKS[k].title.zh}）" for k in TOPICS)
    else:
        accepted = ", ".join(TOPICS)
    raise UsageError("playbook_unknown", topic=topic, accepted=accepted)


def playbook(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help="A topic key, title or short form, e.g. price_cut, 降价, payment. Omit to list them.",
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Short guides (应对) for a price cut, a cheap rival, a customer who does not pay, and more."""
    from kehu.rules.playbooks import LABELS, PLAYBOOKS, playbook_json, summary_json

    lang = state(ctx).lang
    if topic is None:
        rows = [summary_json(pb, lang) for pb in PLAYBOOKS.values()]
        if json:
            emit_json(rows)
            return
        from kehu.render.blocks import Grid

        headers = [LABELS[k].get(lang) for k in ("topic", "title", "when")]
        show([Grid(LABELS["playbooks"].get(lang), headers, [[r["key"], r["title"], r["when"]] for r in rows])])
        return
    pb = _resolve(topic, lang)
    if json:
        emit_json(playbook_json(pb, lang))
    else:
        show(playbook_blocks(pb, lang))


def register(app: typer.Typer) -> None:
    app.command("playbook")(playbook)

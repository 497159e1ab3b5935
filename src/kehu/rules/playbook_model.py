"""What a playbook is made of (rules.playbooks): texts in both languages, points, sections.

A module of its own so that the guides' texts can live in more than one module
(rules.playbooks, rules.playbooks_after) without an import cycle. Pure: standard library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The Chinese text for ``zh``, the English one for any other language."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Point:
    head: Text
    body: Text


@dataclass(frozen=True)
class Section:
    title: Text
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Playbook:
    key: str
    title: Text
    when: Text  # one line: the situation that calls for it
    sections: tuple[Section, ...]
    # Extra short forms ``find`` accepts besides the key and the two titles.
    aliases: tuple[str, ...] = ()


def _p(zh_head: str, en_head: str, zh_body: str, en_body: str) -> Point:
    return Point(Text(zh_head, en_head), Text(zh_body, en_body))


def _s(zh: str, en: str, *points: Point) -> Section:
    return Section(Text(zh, en), points)

"""Contact details as people type them: phone numbers, e-mail, WeChat IDs, websites.

A number is text, never a number: it is kept exactly as typed after trimming and NFKC
(full-width ０１０－１２３４ becomes 010-1234), so leading zeros, +86, spaces, dashes and an
extension (转 123, ext. 123, x123) survive. A value is refused only when it cannot be
what it claims to be; each check returns the value to keep and, when refused, a message
key with its parameters. Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

PHONE_MIN_DIGITS = 5  # 95588, 10086: the shortest numbers a business gives out
PHONE_MAX_DIGITS = 20  # E.164 allows 15; room for a long extension

# An extension at the end: 转 123, 分机 123, ext. 123, ext123, x123 (case-insensitive).
_EXTENSION = re.compile(r"^(?P<main>.*?)\s*(?:转|分机|ext\.?|x)\s*(?P<ext>\d+)$", re.IGNORECASE)
_PHONE_CHARS = frozenset("0123456789 -()./")
_WECHAT = re.compile(r"^[A-Za-z0-9_-]+$")
_EMAIL_LOCAL = re.compile(r"^[^\s@]+$")
_HOST = re.compile(r"^(?:[A-Za-z0-9\u00a0-\uffff](?:[A-Za-z0-9\u00a0-\uffff-]*[A-Za-z0-9\u00a0-\uffff])?\.)+"
                   r"[A-Za-z\u00a0-\uffff]{2,}$")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$")


class Checked(NamedTuple):
    """The value to keep (None when refused) and, when refused, why."""

    value: str | None
    problem: str | None = None
    params: dict | None = None


def typed(text: str) -> str:
    """What is kept of a value as typed: NFKC (full-width digits and signs to ASCII),
    trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def check_phone(text: str) -> Checked:
    value = typed(text)
    main = value
    m = _EXTENSION.match(value)
    if m is not None and any(ch.isdigit() for ch in m["main"]):
        main = m["main"]
    body = main[1:] if main.startswith("+") else main
    for ch in body:
        if ch not in _PHONE_CHARS:
            return Checked(None, "phone_bad_char", {"value": value, "char": ch})
    digits = sum(ch.isdigit() for ch in value)
    if digits < PHONE_MIN_DIGITS:
        return Checked(None, "phone_few_digits", {"value": value, "least": PHONE_MIN_DIGITS})
    if digits > PHONE_MAX_DIGITS:
        return Checked(None, "phone_many_digits", {"value": value, "most": PHONE_MAX_DIGITS})
    return Checked(value)


def check_email(text: str) -> Checked:
    value = typed(text)
    local, at, domain = value.partition("@")
    if (not at or "@" in domain or not _EMAIL_LOCAL.match(local) or not _HOST.match(domain)):
        return Checked(None, "email_bad", {"value": value})
    return Checked(value)


def check_wechat(text: str) -> Checked:
    """A WeChat ID (letters, digits, _ and -) or the phone number it is registered to."""
    value = typed(text)
    if _WECHAT.match(value):
        return Checked(value)
    if check_phone(value).problem is None:
        return Checked(value)
    return Checked(None, "wechat_bad", {"value": value})


def check_website(text: str) -> Checked:
    """A web address with or without its scheme (www.huawei.com, https://huawei.com/cn),
    kept as typed."""
    value = typed(text)
    rest = value
    m = _SCHEME.match(value)
    if m is not None:
        if m["scheme"].lower() not in ("http", "https"):
            return Checked(None, "website_bad", {"value": value})
        rest = m["rest"]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if m is not None:
        host = host.rsplit("@", 1)[-1]  # http://user@host: the host is after the @
    host = re.sub(r":\d+$", "", host)
    if any(ch.isspace() for ch in value) or not _HOST.match(host):
        return Checked(None, "website_bad", {"value": value})
    return Checked(value)


CHECKS = {"phone": check_phone, "email": check_email, "wechat": check_wechat, "website": check_website}

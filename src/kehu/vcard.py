"""People as a vCard 4.0 file (RFC 6350) that a phone's contacts app imports.

Written by hand: vobject, the Python library that parses vCards well, writes only 3.0
(its 4.0 writer was proposed and not merged), and the format is small enough to get
exactly right here. What matters, and what tests/test_contacts.py parses back with
vobject:

- one card per person: FN, N, ORG (the customer; the department as its unit), TITLE,
  TEL (work line: TYPE=work,voice; mobile: TYPE=cell), EMAIL, X-WECHAT (WeChat has no
  IMPP URI scheme a contacts app knows), ADR and URL of the customer's office;
- private details (the private note, private mobile, home address) never;
- text escaped as RFC 6350 section 3.4 says (backslash, comma, semicolon, newline);
- lines folded at 75 octets (section 3.2) between characters, never inside a UTF-8
  sequence, with CRLF and one space;
- the whole name in N's family-name part: splitting 欧阳娜娜 or 司马光 into family and
  given names would be a guess, and a contacts app shows N's parts run together.

The file is written atomically and owner-only (kehu.files); ``-`` is standard output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

PRODID = "-//kehu//kehu account book//EN"
LIMIT = 75  # octets per line, CRLF excluded (RFC 6350 section 3.2)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def escape(text: str) -> str:
    """A text value (or one component of a structured one), escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded so that no line is longer than LIMIT octets; a
    continuation line starts with one space, which counts toward its length."""
    parts: list[bytes] = []
    current = b""
    for ch in line:
        octets = ch.encode("utf-8")
        if len(current) + len(octets) > LIMIT:
            parts.append(current)
            current = b" " + octets
        else:
            current += octets
    parts.append(current)
    return b"\r\n".join(parts) + b"\r\n"


def card(person, customer) -> list[str]:
    """The content lines of one person's card (unfolded). ``customer`` gives the
    organisation, its address and website; nothing private of ``person`` is read."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:{PRODID}", "KIND:individual",
             f"FN:{escape(person.name)}", f"N:{escape(person.name)};;;;"]
    org = escape(customer.name) + (f";{escape(person.dept)}" if person.dept else "")
    lines.append(f"ORG:{org}")
    if person.title:
        lines.append(f"TITLE:{escape(person.title)}")
    if person.phone:
        lines.append(f"TEL;TYPE=work,voice:{escape(person.phone)}")
    if person.mobile:
        lines.append(f"TEL;TYPE=cell:{escape(person.mobile)}")
    if person.email:
        lines.append(f"EMAIL;TYPE=work:{escape(person.email)}")
    if person.wechat:
        lines.append(f"X-WECHAT:{escape(person.wechat)}")
    if customer.address:  # the office's: a person's home address is private, never here
        lines.append(f"ADR;TYPE=work:;;{escape(customer.address)};;;;")
    if customer.website:
        url = customer.website if _SCHEME.match(customer.website) else "https://" + customer.website
        lines.append(f"URL;TYPE=work:{url}")
    lines.append("END:VCARD")
    return lines


def build(rows: Iterable[tuple]) -> bytes:
    """The cards of (person, customer) pairs, in order."""
    return b"".join(fold(line) for person, customer in rows for line in card(person, customer))


def write_cards(path: str, rows: Iterable[tuple]) -> int:
    """Write the cards atomically, owner-only (kehu.files; ``-`` is standard output);
    returns how many there were."""
    from kehu.files import write_atomic

    rows = list(rows)
    data = build(rows)
    write_atomic(Path(path).expanduser(), lambda fh: fh.write(data), binary=True, make_parents=True, dash=True)
    return len(rows)

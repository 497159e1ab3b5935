"""A server book's URL never shows its user or password, however it is mistyped.

No server is needed: these URLs are refused before kehu connects to anything.
"""

from __future__ import annotations

import pytest

SECRET = "Li-Secret-7731"


@pytest.mark.parametrize("url", [
    f"postgresql://li:Li@{SECRET}@127.0.0.1:9/kehu",  # an '@' in the password, not written %40
    f"postgresql://li@{SECRET}@127.0.0.1/kehu",
    f"postgresql://li:{SECRET}@127.0.0.1/kehu@x",
])
@pytest.mark.parametrize("args", [("list",), ("add", "华为"), ("doctor",), ("remind",)])
def test_an_unencoded_at_is_refused_without_echoing_the_password(kehu, url, args):
    for lang, words in (("en", "write it as %40"), ("zh", "请写成 %40")):
        r = kehu("--lang", lang, "--db", url, *args, code=2)
        assert words in r.stderr and r.stderr.count("\n") == 1
        assert SECRET not in r.stderr + r.stdout and "Secret" not in r.stderr


def test_an_encoded_at_is_a_password_like_any_other(kehu):
    # %40 is how an '@' is written in a URL: taken as the password, never printed
    r = kehu("--db", f"postgresql://li:Li%40{SECRET}@127.0.0.1:9/kehu", "list", code=75)
    assert r.stderr.startswith("kehu: Cannot reach the server 127.0.0.1:9/kehu (")
    assert SECRET not in r.stderr + r.stdout

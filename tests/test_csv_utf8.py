"""Valid UTF-8 is UTF-8: a file whose only non-ASCII text is Cyrillic, Greek, Arabic, IPA
or emoji imports as written, never as Chinese mojibake, and an export imported back into
its own book changes nothing. The third-party style files (csv-spectrum, csvkit corpora)
are written here by hand: with and without a BOM, LF and CRLF."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kehu.csvio.read import detect_encoding

# Each of these, encoded as UTF-8, is also valid GB18030 (most of it "Chinese"): the
# detection that preferred GB18030 when UTF-8 "looked implausible" imported them as
# mojibake.
SAMPLES = ["Сбербанк", "Иван Петров", "Ελλάδα", "10 μm", "ʤem", "شركة النور", "һ", "Ёлка 😀"]


def _customers(kehu) -> list[tuple[str, str | None]]:
    return [(c["name"], kehu.json("show", str(c["id"]))["note"]) for c in kehu.json("list")]


@pytest.mark.parametrize("name", SAMPLES)
def test_a_utf8_file_in_another_script_imports_as_written(kehu, tmp_path: Path, name: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(f"name,note\r\nAcme {name},{name}\r\n".encode())
    assert detect_encoding(path) == "utf-8"
    kehu("import", str(path))
    assert _customers(kehu) == [(f"Acme {name}", name)]


@pytest.mark.parametrize("name", SAMPLES)
def test_export_then_import_into_the_same_book_renames_nobody(kehu, tmp_path: Path, name: str) -> None:
    kehu("add", "--note", name, "--", name)
    kehu("add", "--", "Plain Co")
    exported = kehu("export", "--table", "customers").stdout
    path = tmp_path / "c.csv"
    path.write_bytes(exported.encode("utf-8"))
    result = kehu("import", str(path))
    assert result.stderr == f"{path} (customers): 0 new, 0 updated, 2 unchanged\n"
    assert _customers(kehu) == [(name, name), ("Plain Co", None)]


THIRD_PARTY = {
    # what csvkit's and csv-spectrum's test files hold: a script other than Chinese only
    "cyrillic_lf.csv": "name,industry,region\nОАО Газпром,Энергетика,Москва\nЯндекс,ИТ,Москва\n",
    "greek_crlf.csv": "name,industry,region\r\nΑθηναϊκή Ζυθοποιία,Ποτά,Αθήνα\r\n",
    "arabic_crlf.csv": "name,industry,region\r\nأرامكو السعودية,نفط,الظهران\r\n",
    "emoji_quoted.csv": 'name,industry,region\r\n"Café 😀, Ltd",Food 🍕,"Zürich\r\nCH"\r\n',
    "ipa_lf.csv": "name,industry,region\nʤɔɪ ʃɒp,ˈriːteɪl,ðə sɪti\n",
}


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("fixture", sorted(THIRD_PARTY))
def test_third_party_style_utf8_files(kehu, tmp_path: Path, fixture: str, bom: bool) -> None:
    import csv
    import io

    text = THIRD_PARTY[fixture]
    path = tmp_path / fixture
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    assert detect_encoding(path) == ("utf-8-sig" if bom else "utf-8")
    kehu("import", str(path))
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    got = [(c["name"], c["industry"], c["region"]) for c in
           (kehu.json("show", str(r["id"])) for r in kehu.json("list"))]
    assert got == [tuple(r) for r in rows]


def test_a_gbk_file_that_is_not_valid_utf8_is_still_gbk(kehu, tmp_path: Path) -> None:
    # The common case: a few Chinese characters in GBK are almost never valid UTF-8.
    path = tmp_path / "gbk.csv"
    path.write_bytes("name,region\r\nACME Ltd,北京\r\nBeta Co,上海\r\n".encode("gbk"))
    assert detect_encoding(path) == "gb18030"
    kehu("import", str(path))
    assert [c["name"] for c in kehu.json("list")] == ["ACME Ltd", "Beta Co"]

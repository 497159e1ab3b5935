"""Render never reads the book, and the CSV reader needs no database (issue 14).

The imports are read from the source, also those inside functions (the lazy ones that
keep start-up light), so a rule cannot be broken by an import that only runs later.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kehu

SRC = Path(kehu.__file__).parent
RENDER = sorted((SRC / "render").glob("*.py"))
# The csvio modules, each allowed to import only those before it: no cycle.
CSVIO = ("columns", "read", "bulk", "matching", "importer", "export", "xlsx")
BOOK = ("kehu.store", "kehu.db", "kehu.server", "kehu.book", "kehu.models", "sqlmodel", "sqlalchemy")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: a relative import"
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)  # from kehu import store
    return names


def under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_readers_see_every_import():
    # A module that imports the book inside a function is found (else these tests prove nothing).
    assert "kehu.store.ownership" in imported(SRC / "csvio" / "importer.py")
    assert {"kehu.i18n", "kehu.i18n.MONEY_PARAMS"} <= imported(SRC / "render" / "negotiation.py")


@pytest.mark.parametrize("path", RENDER, ids=lambda p: p.name)
def test_render_imports_neither_the_store_nor_the_book(path: Path):
    assert len(RENDER) >= 10
    bad = {n for n in imported(path) if under(n, (*BOOK, "kehu.cli", "kehu.csvio"))}
    assert not bad, f"kehu/render/{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("module", ["columns", "read", "xlsx"])
def test_the_csv_reader_imports_no_database(module: str):
    bad = {n for n in imported(SRC / "csvio" / f"{module}.py") if under(n, (*BOOK, "pydantic"))}
    assert not bad, f"kehu/csvio/{module}.py imports {sorted(bad)}"


def test_the_csv_reader_loads_no_database_when_used():
    code = ("import sys, kehu.csvio.read; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'pydantic') "
            "or m in ('kehu.store', 'kehu.db', 'kehu.models', 'kehu.csvio.importer')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("i", range(len(CSVIO)), ids=CSVIO)
def test_csvio_modules_import_only_the_ones_below_them(i: int):
    assert sorted(p.stem for p in (SRC / "csvio").glob("*.py")) == sorted({*CSVIO, "__init__"})
    later = tuple(f"kehu.csvio.{m}" for m in CSVIO[i + 1:])
    bad = {n for n in imported(SRC / "csvio" / f"{CSVIO[i]}.py") if under(n, later)}
    assert not bad, f"kehu/csvio/{CSVIO[i]}.py imports {sorted(bad)}"


@pytest.mark.parametrize("package", ["render", "csvio"])
def test_a_package_init_only_says_what_the_package_is_for(package: str):
    # Callers import from the module that holds a name, not from a re-exporting facade.
    tree = ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree) and len(tree.body) == 1

"""The layout's rules of direction (docs/design.md), read from the imports themselves.

Every `import` and `from ... import` in src/kehu counts, those inside functions too: a
lazy import is still a dependency, only a cheaper one. The rules:

- kehu.rules imports only the standard library (and other rules);
- kehu.errors imports nothing of kehu;
- kehu.store never imports i18n, render, book or cli;
- kehu.render never imports store or book;
- no import cycle anywhere between kehu's modules.

And the tests' side of a move: a patch (monkeypatch.setattr, mock.patch.object) of a
kehu module's name must name something that module *defines*. A name the module only
imports is a copy: patching it changes nothing that the code looks up, and the test
keeps passing while the branch it meant to force goes untested.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
TESTS = Path(__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted((SRC / "kehu").rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(name: str) -> str | None:
    """The kehu module a dotted name lands in (the longest known prefix), or None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str) -> set[str]:
    """The kehu modules (and, as 'stdlib:x' or 'other:x', the rest) that module imports."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()

    def add(dotted: str) -> None:
        top = dotted.split(".")[0]
        if top == "kehu":
            target = _resolve(dotted)
            if target and target != name:
                found.add(target)
        elif top in sys.stdlib_module_names or top == "__future__":
            found.add(f"stdlib:{top}")
        else:
            found.add(f"other:{top}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                # `from kehu import store` imports the module kehu.store, not the package face
                sub = f"{origin}.{alias.name}"
                add(sub if sub in MODULES else origin)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def _within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(source: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{mod} imports {dep}"
        for mod, deps in GRAPH.items() if _within(mod, source)
        for dep in deps if _within(dep, *forbidden)
    )


def test_the_graph_sees_the_imports_it_should():
    # The reader itself, on imports every layout keeps: a broken reader would pass every rule.
    assert "kehu.errors" in GRAPH["kehu.cli"]
    assert "stdlib:os" in GRAPH["kehu.dates"]
    assert any(dep.startswith("other:typer") for dep in GRAPH["kehu.cli"])
    assert "kehu.rules.domain" in GRAPH["kehu.rules.negotiation"]


def test_rules_import_only_the_standard_library():
    bad = sorted(
        f"{mod} imports {dep}"
        for mod, deps in GRAPH.items() if _within(mod, "kehu.rules")
        for dep in deps if not (dep.startswith("stdlib:") or _within(dep, "kehu.rules"))
    )
    assert bad == []


def test_errors_import_nothing_of_kehu():
    assert [dep for dep in GRAPH["kehu.errors"] if dep.startswith("kehu")] == []


def test_the_store_never_imports_the_outer_layers():
    assert _violations("kehu.store", ("kehu.i18n", "kehu.render", "kehu.book", "kehu.cli")) == []


def test_render_never_imports_the_store_or_the_book():
    assert _violations("kehu.render", ("kehu.store", "kehu.book")) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_there_is_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    graph = {"a": {"b", "stdlib:os"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e"}, "g": set()}
    assert _cycles(graph) == [["a", "b", "c"], ["e", "f"]]


# ---------------------------------------------------------------- patches in the tests


def _defined(module: str) -> set[str]:
    """The names a module binds itself at top level (not by importing them)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _patches() -> list[tuple[str, int, str, str]]:
    """(test file, line, kehu module, name) of every patch of a kehu module's attribute."""
    found = []
    for path in sorted(TESTS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}  # a local name -> the kehu module it is
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kehu") and not node.level:
                for a in node.names:
                    if f"{node.module}.{a.name}" in MODULES:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in MODULES and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            attr, args = node.func.attr, node.args
            if attr not in ("setattr", "object") or not args:
                continue
            if (attr == "setattr" and len(args) >= 2 and isinstance(args[0], ast.Constant)
                    and isinstance(args[0].value, str) and args[0].value.startswith("kehu.")):
                module, _, name = args[0].value.rpartition(".")
                found.append((path.name, node.lineno, module, name))
            elif (len(args) >= 2 and isinstance(args[0], ast.Name) and args[0].id in aliases
                  and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str)):
                found.append((path.name, node.lineno, aliases[args[0].id], args[1].value))
    return found


PATCHES = _patches()


def test_the_patch_finder_sees_the_patches():
    assert len(PATCHES) >= 10
    assert ("kehu.csvio.read", "BATCH") in {(module, name) for *_, module, name in PATCHES}


@pytest.mark.parametrize(("where", "line", "module", "name"), PATCHES)
def test_a_patch_names_what_its_module_defines(where, line, module, name):
    assert module in MODULES, f"{where}:{line} patches {module}.{name}: no module {module}"
    assert name in _defined(module), (
        f"{where}:{line} patches {module}.{name}, which {module} does not define: "
        "patch the module that defines it, where the code looks it up"
    )

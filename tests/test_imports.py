"""No import circles among model/, ui/, pages/ and app.py.

The graph is read from the source (AST), not by importing: every `import` and `from ... import`
anywhere in a module (at the top, inside functions, in branches), absolute or relative. A
circle is a strongly connected component of more than one module. A package `__init__` that
only re-exports its own submodules does not count: an import of the package stands for imports
of what it re-exports. A package `__init__` that imports anything else is a module like any
other. (That Python runs a package's `__init__` before each of its submodules is not counted:
a submodule that needs nothing from it does not depend on it.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREES = ("model", "ui", "pages")
SCRIPTS = ("app.py",)


def module_files(root: Path) -> dict[str, Path]:
    """Module name -> file for every Python file of TREES and SCRIPTS under `root`."""
    out: dict[str, Path] = {}
    for tree in TREES:
        for path in sorted((root / tree).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    for script in SCRIPTS:
        if (root / script).exists():
            out[Path(script).stem] = root / script
    return out


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` names, or the nearest enclosing one we know (None: not ours)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that `name` imports anywhere in its source."""
    found: set[str] = set()
    package = _package_of(name, path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            hit = _known(target, modules)
            if hit is not None and hit != name:
                found.add(hit)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules it depends on, with re-export-only packages contracted away."""
    modules = module_files(root)
    raw = {name: imports_of(name, path, modules) for name, path in modules.items()}
    packages = {n for n, p in modules.items() if p.name == "__init__.py"}
    facade = {p for p in packages if all(t.startswith(p + ".") for t in raw[p])}
    graph: dict[str, set[str]] = {}
    for name, deps in raw.items():
        out: set[str] = set()
        for dep in deps:
            out |= _expand(dep, raw, facade)
        graph[name] = out - {name}
    return graph


def _expand(dep: str, raw: dict[str, set[str]], facade: set[str]) -> set[str]:
    """A dependency, with a re-export-only package replaced by what it re-exports."""
    out, todo, seen = set(), [dep], set()
    while todo:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        if d in facade:
            todo.extend(raw[d])
        else:
            out.add(d)
    return out


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def a_cycle(graph: dict[str, set[str]], comp: list[str]) -> list[str]:
    """One concrete loop through the component's first module, for the failure message."""
    members, start = set(comp), comp[0]
    came: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph[v] & members):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(came[path[-1]])
                return [*reversed(path), start]
            if w not in came:
                came[w] = v
                queue.append(w)
    return comp


def test_no_import_circles():
    graph = import_graph()
    assert {"app", "model.official.store", "model.workspace", "ui.loaders"} <= set(graph)
    found = circles(graph)
    assert not found, "import circles:\n" + "\n".join(
        f"  {', '.join(c)}  (e.g. {' -> '.join(a_cycle(graph, c))})" for c in found
    )


# --- the checker itself, on a tree made for it ------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_circles_through_functions_and_relative_imports(tmp_path: Path):
    root = _tree(
        tmp_path,
        {
            "model/__init__.py": "from .a import A\n",  # re-exports its own submodule only
            "model/a.py": "from . import b\n",
            "model/b.py": "def f():\n    from .sub.c import C\n",
            "model/sub/__init__.py": "",
            "model/sub/c.py": "import model.a\n",
            "model/d.py": "from model import A\n",  # through the re-export: d -> a, no circle
            "ui/__init__.py": "",
            "ui/x.py": "from model import b\n",
            "pages/p.py": "from ui import x\n",
            "app.py": "import pages.p\n",
        },
    )
    graph = import_graph(root)
    assert graph["model.d"] == {"model.a"}
    assert graph["app"] == {"pages.p"} and graph["ui.x"] == {"model.b"}
    assert circles(graph) == [["model.a", "model.b", "model.sub.c"]]
    assert a_cycle(graph, ["model.a", "model.b", "model.sub.c"]) == [
        "model.a",
        "model.b",
        "model.sub.c",
        "model.a",
    ]


def test_a_package_that_imports_outside_itself_counts(tmp_path: Path):
    root = _tree(
        tmp_path,
        {
            "model/__init__.py": "",
            "model/pkg/__init__.py": "from .inner import X\nfrom model import other\n",
            "model/pkg/inner.py": "X = 1\n",
            "model/other.py": "from model.pkg import X\n",  # the package, not only inner
            "model/free.py": "from model.pkg.inner import X\n",  # needs inner alone: no circle
            "ui/__init__.py": "",
            "pages/p.py": "",
        },
    )
    graph = import_graph(root)
    assert graph["model.pkg"] == {"model.pkg.inner", "model.other"}
    assert circles(graph) == [["model.other", "model.pkg"]]


# --- one way down to an edition ------------------------------------------------------------------

# The floors of the model, lowest first: a module imports only from its own floor or below. An
# edition (model.official.edition.load_edition) is on floor 3, below everything that uses
# editions, and reads the dataset versions through the storage floor (2), never through the
# users' workspace of scenarios and plans (4).
FLOORS = (
    (
        "model.fmt",
        "model.paths",
        "model.i18n",
        "model.i18n_extract",
        "model.spreadsheet",
        "model.password",
    ),
    ("model.index", "model.estimates"),
    (
        "model.userstore.errors",
        "model.userstore.schema",
        "model.userstore.validate",
        "model.userstore.records",
        "model.userstore.backend",
        "model.userstore.duckdb_backend",
        "model.userstore.pg_backend",
        "model.userstore.repository",
        "model.userstore.datasets",
        "model.userstore",
    ),
    ("model.official",),
    (
        "model.plan.core",
        "model.plan.changes",
        "model.plan.names",
        "model.plan.progress",
        "model.plan.effects",
        "model.plan.files",
        "model.plan",
        "model.userstore.plans",
        "model.workspace",
        "model.api",
        "model.profile",
        "model.merge",
        "model.movers",
        "model.budget",
    ),
    ("model.plan.library", "model.plan.carry", "model.plan.recommend", "model.plan.review"),
    ("model.report",),
    ("model.cli", "model.__main__", "model"),  # the root face re-exports Scenario
)


def floor_of(module: str) -> int:
    """The floor of a model module: the most specific prefix listed in FLOORS."""
    best, floor = "", -1
    for level, names in enumerate(FLOORS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, floor = name, level
    assert floor >= 0, f"{module} is on no floor: add it to FLOORS"
    return floor


def test_the_model_imports_only_down():
    graph = import_graph()
    up = [
        f"{a} (floor {floor_of(a)}) -> {b} (floor {floor_of(b)})"
        for a, deps in graph.items()
        if a.startswith("model")
        for b in deps
        if b.startswith("model") and floor_of(b) > floor_of(a)
    ]
    assert not up, "imports going up:\n  " + "\n  ".join(sorted(up))


def test_an_edition_is_reached_without_the_workspace():
    """From `plan review` to the engine the trip only goes down: the edition it loads rests on
    the official data, the estimates and the index, and the storage backend, nothing above."""
    graph = import_graph()
    below, todo = set(), ["model.official.edition"]
    while todo:
        for dep in graph[todo.pop()] - below:
            below.add(dep)
            todo.append(dep)
    assert "model.index.engine" in below and "model.userstore.datasets" in below
    assert not {m for m in below if floor_of(m) > floor_of("model.official.edition")}
    assert "model.workspace" not in below and "model.userstore.plans" not in below
    # and at run time, faces included: loading an edition's module imports no workspace
    code = (
        "import sys, model.official.edition; print(sorted(m for m in sys.modules if m in "
        "('model.workspace', 'model.userstore.plans', 'model.plan', 'model.api')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"

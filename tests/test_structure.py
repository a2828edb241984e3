"""The house: the package's imports drawn as a graph have no circle, no product module is
too long to read in one sitting, and no stage imports a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

from tongbao import keys

PACKAGE = Path(__file__).resolve().parent.parent / "tongbao"
MAX_LINES = 400
# The demo's word lists are long by nature (names, places, phrases).
LONG_ALLOWED = {"demo.text"}

# The stages, lowest first: a module may import its own stage or a lower one, never higher.
STAGES = [
    {"periods", "schema", "issues", "progress", "keys", "cache"},  # shared ideas
    {"config"},  # mkdocs.yml read once, extra.tongbao declared and checked
    {"numbers", "formats", "grid", "sheets", "xlsx", "workbook", "registry", "ledger"},  # read
    {"frontmatter"},  # commentary front matter declared (reads dates as numbers.py does)
    {"dataset", "reports", "load", "release"},  # release: data/calendar.csv
    {"validate", "record"},  # record: published/YYYY-MM.json compared
    {"flags", "projects", "indicators"},  # compute
    {"commentary"},
    {"charts", "charts.base", "charts.month", "charts.unit", "svg", "downloads", "feed"}
    | {"archive_data"},  # archive_data: every month's figures as figures.csv / .xlsx
    {"contract"},  # the 数据规范 page, written from the declarations
    # the render stage (access: scoped table headers, named chart SVGs)
    {"tree", "access", "pages", "pages.assets", "pages.common", "pages.views", "pages.make"}
    | {"pages.standings", "pages.offline_search"},  # 红黑榜; the search from disk
    # the bulletin as a document (PDF, Word): from the pages' views
    {
        "document",
        "document.blocks",
        "document.commentary",
        "document.flags",
        "document.making",
        "document.model",
        "document.pdf",
        "document.settings",
        "document.word",
    },
    {"reuse", "search_source"},  # unchanged files linked; the pages as Pagefind reads them
    {"site"},  # MkDocs, Pagefind, the atomic swap
    {"pipeline"},
    {"quick"},  # the preview's quick path, on what the pipeline checked
    {"scaffold", "preview_page", "serve", "cli", "frame"},  # the commands; frame: tongbao.figures()
    {"demo", "demo.cast", "demo.plan", "demo.text", "demo.files", "demo.__main__"},
]
STAGE = {name: level for level, names in enumerate(STAGES) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found.pop("", None)  # tongbao/__init__.py
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules `name` imports, at the top or inside a function."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("tongbao"):
                target = node.module.removeprefix("tongbao").lstrip(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tongbao."):
                    found.add(alias.name.removeprefix("tongbao."))
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_has_a_stage():
    assert set(modules()) == set(STAGE)


def test_no_import_circle():
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                circle = path[path.index(nxt) :] + [nxt]
                raise AssertionError("import circle: " + " → ".join(circle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_no_stage_imports_a_later_stage():
    upward = [
        f"{name} (stage {STAGE[name]}) imports {other} (stage {STAGE[other]})"
        for name, targets in graph().items()
        for other in targets
        if STAGE[other] > STAGE[name]
    ]
    assert not upward


def test_the_product_imports_nothing_of_the_demo():
    demo = STAGE["demo"]
    assert all(
        STAGE[other] != demo
        for name, targets in graph().items()
        if STAGE[name] != demo
        for other in targets
    )


def test_no_module_is_too_long():
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and name not in LONG_ALLOWED
    }
    assert not long


def test_the_demo_is_not_in_the_code_version():
    """Editing the demo's prose must not invalidate the product's caches."""
    sources = keys.product_sources()
    assert PACKAGE / "keys.py" in sources and PACKAGE / "pages" / "make.py" in sources
    assert not [p for p in sources if (PACKAGE / "demo") in p.parents]

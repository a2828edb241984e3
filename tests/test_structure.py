"""The house: the package's imports drawn as a graph have no circle, no product module is
too long to read in one sitting, and no stage imports a later stage."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tongbao import keys

PACKAGE = Path(__file__).resolve().parent.parent / "tongbao"
MAX_LINES = 400
MAX_FUNCTION_LINES = 80
# The demo's word lists are long by nature (names, places, phrases).
LONG_ALLOWED = {"demo.text"}

# The stages, lowest first: the top-level packages and the foundations beside them. A module
# may import its own stage or a lower one, never a higher one.
FOUNDATIONS = {"periods", "schema", "issues", "progress", "keys", "cache", "config", "formats"} | {
    "layout",  # every output path and URL
    "codes",  # every problem code declared
}
STAGES = [
    FOUNDATIONS,  # shared ideas: months, declarations, problems, cache keys, settings, number words
    {"read"},  # files → grids → the dataset: sheets, Excel, registers, ledgers, calendar, checks
    {"compute"},  # each month's figures, flags, projects; the record of what was issued
    {"charts"},  # Altair charts and their static SVGs
    {"bulletin"},  # the model of a month every output renders; its commentary
    {"exports"},  # files besides pages: workbooks, the archive table, the feed
    {"pages"},  # the web pages, the docs tree handed to MkDocs
    {"document"},  # the bulletin as a 公文 (PDF, Word)
    {"publish"},  # MkDocs, Pagefind, the atomic swap
    {"pipeline"},  # the one place that knows the order
    {"preview", "cli", "frame", "scaffold"},  # the commands; frame: tongbao.figures()
    {"demo"},  # the demo generator, not part of the product
]
STAGE_PACKAGES = {"read", "compute", "bulletin", "charts", "exports", "pages", "document"} | {
    "publish",
    "pipeline",
    "preview",
    "demo",
}
LEVEL = {name: level for level, names in enumerate(STAGES) for name in names}


def stage_of(module: str) -> str:
    return module.split(".")[0]


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
    assert {stage_of(m) for m in modules()} == set(LEVEL)


def test_the_top_level_holds_the_stage_packages_and_the_foundations():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    top_modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert packages == STAGE_PACKAGES
    assert top_modules == FOUNDATIONS | {"cli", "frame", "scaffold"}


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
        f"{name} ({stage_of(name)}) imports {other} ({stage_of(other)})"
        for name, targets in graph().items()
        for other in targets
        if LEVEL[stage_of(other)] > LEVEL[stage_of(name)]
    ]
    assert not upward


def test_the_product_imports_nothing_of_the_demo():
    assert all(
        stage_of(other) != "demo"
        for name, targets in graph().items()
        if stage_of(name) != "demo"
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


# What an output path looks like when spelled as a string (f-strings with {} for their
# fields): the folders and files of site/ and the record's files in published/.
OUTPUT_PATH = re.compile(
    r"(^|/)(bulletins|units|downloads|pagefind|published)/"
    r"|^data/(\{\}\.json|figures)"
    r"|\.(pdf|docx|html)$"
    r"|^(feed\.xml|sitemap\.xml|calendar\.ics|search-entities\.json|offline-index\.js)$"
    r"|^(index|about|search|guide|data)\.md$"
)
# Names that are not outputs although they look like one: (module, string, why).
NOT_OUTPUTS = {
    ("pages.make", "guide.md"),  # the guide's template file, read from templates/
    ("publish.search_source", "*.html"),  # every page, whatever its address
    ("preview.serve", "index.html"),  # a folder's page, as any web server serves it
    ("preview.serve", ".html"),
}


def string_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string the code spells, except docstrings; an f-string with {} for its
    fields."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = ""
            for part in node.values:
                inside_fstrings.add(id(part))
                text += part.value if isinstance(part, ast.Constant) else "{}"
            found.append((node.lineno, text))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | inside_fstrings
        ):
            found.append((node.lineno, node.value))
    return found


def test_output_paths_are_spelled_only_by_layout():
    spelled = [
        f"{name}:{line}: {text!r}"
        for name, path in modules().items()
        if name != "layout" and stage_of(name) != "demo"
        for line, text in string_literals(ast.parse(path.read_text(encoding="utf-8")))
        if OUTPUT_PATH.search(text.strip()) and (name, text) not in NOT_OUTPUTS
    ]
    assert not spelled


def test_the_document_is_made_from_the_bulletin_model_not_the_web_page():
    """The PDF, Word, sheets and slides render the format-neutral model (bulletin/)."""
    edges = graph()
    assert not [
        f"{name} imports {other}"
        for name, targets in edges.items()
        if stage_of(name) == "document"
        for other in targets
        if stage_of(other) == "pages"
    ]


def test_no_function_is_too_long():
    long = [
        f"{name}.{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for name, path in modules().items()
        if stage_of(name) != "demo"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long


def test_each_stage_package_has_tests_of_its_own():
    """Some test module imports each stage package directly, not only through the pipeline."""
    tests = Path(__file__).resolve().parent
    imported = set()
    for path in tests.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tongbao."):
                imported.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.module == "tongbao":
                imported |= {alias.name for alias in node.names}
    assert STAGE_PACKAGES - {"demo"} <= imported

"""Commentary (评述): Markdown whose `{{ … }}` figures are evaluated in a Jinja sandbox.

Bureau staff may read the month's figures and call the documented filters,
nothing else: every name and attribute is checked against the figures
before anything runs, so an unknown figure is reported with its file line,
and reaching for Python internals is refused.
"""

from __future__ import annotations

import re
import traceback

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment

from . import formats
from .dataset import Commentary
from .issues import Issue
from .registry import Registry
from .schema import INDICATOR_BY_KEY

FIGURE_KEYS = (
    "ytd",
    "month",
    "target",
    "target_self",
    "rate",
    "gap_pp",
    "yoy",
    "rank",
    "rank_tied",
    "rank_change",
    "light",
)
CITY_KEYS = ("ytd", "month", "target", "rate", "gap_pp", "yoy")
NAMES = ("city", "unit", "summary", "flags", "period", "months", "time_progress")
_TEMPLATE_NAME = "<commentary>"


class Rank(int):
    """A place that remembers whether it is shared, for the `rank` filter."""

    tied: bool = False

    def __new__(cls, value: int, tied: bool) -> Rank:
        obj = super().__new__(cls, value)
        obj.tied = tied
        return obj


class CommentaryError(Exception):
    def __init__(self, line: int, code: str, message: str):
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


def make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        finalize=lambda value: formats.DASH if value is None else value,  # a missing figure
    )
    env.filters = dict(formats.FILTERS)
    env.globals = {}
    env.tests = {"none": lambda v: v is None}
    return env


def _figures_namespace(figures: dict) -> dict:
    def indicator_rows(rows: dict) -> dict:
        out = {}
        for key, row in rows.items():
            row = dict(row)
            if row.get("rank") is not None:
                row["rank"] = Rank(row["rank"], bool(row.get("rank_tied")))
            out[key] = row
        return out

    return {
        "city": indicator_rows(figures["city"]),
        "units": {u["unit_id"]: indicator_rows(u["indicators"]) for u in figures["units"]},
    }


def check_references(ast: nodes.Template, registry: Registry, figures: dict) -> None:
    """Refuse any name, attribute, call or statement outside the documented figures."""
    allowed_units = {u["unit_id"] for u in figures["units"]}
    for stmt in ast.find_all((nodes.Stmt,)):
        if not isinstance(stmt, (nodes.Output, nodes.Template)):
            raise CommentaryError(
                stmt.lineno,
                "unsafe-reference",
                "评述中只能使用 {{ … }} 引用数据，不能使用 {% … %} 语句",
            )
    for name in ast.find_all(nodes.Name):
        if name.name not in NAMES:
            raise CommentaryError(
                name.lineno,
                "unknown-reference",
                f'评述引用了不存在的名称“{name.name}”，可用：city.指标.数据、unit("单位").指标.数据、summary',
            )
    for attr in ast.find_all(nodes.Getattr):
        if attr.attr.startswith("_"):
            raise CommentaryError(attr.lineno, "unsafe-reference", f"评述不能访问“{attr.attr}”")
        _check_attribute(attr)
    for item in ast.find_all(nodes.Getitem):
        raise CommentaryError(
            item.lineno, "unknown-reference", "评述中请用“.”引用数据，如 city.signed_amount.ytd"
        )
    for call in ast.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "unit"):
            raise CommentaryError(
                call.lineno, "unsafe-reference", '评述中只能调用 unit("单位名称")'
            )
        if len(call.args) != 1 or not isinstance(call.args[0], nodes.Const) or call.kwargs:
            raise CommentaryError(
                call.lineno,
                "unknown-reference",
                'unit(…) 需要一个带引号的单位名称，如 unit("东营区")',
            )
        name = call.args[0].value
        unit = registry.resolve(name)
        if unit is None or unit.unit_id not in allowed_units:
            suggestions = registry.suggest(name)
            hint = f"，是否是：{'、'.join(suggestions)}？" if suggestions else ""
            raise CommentaryError(
                call.lineno, "unknown-reference", f"评述引用了未知单位“{name}”{hint}"
            )
    for filt in ast.find_all(nodes.Filter):
        if filt.name not in formats.FILTERS:
            raise CommentaryError(
                filt.lineno,
                "unknown-reference",
                f"评述使用了未知的格式“{filt.name}”，可用：{'、'.join(formats.FILTERS)}",
            )


def _check_attribute(node: nodes.Getattr) -> None:
    """city.<indicator>.<figure> and unit(…).<indicator>.<figure>, nothing deeper."""
    inner = node.node
    if isinstance(inner, nodes.Getattr):
        base = inner.node
        is_city = isinstance(base, nodes.Name) and base.name == "city"
        is_unit = isinstance(base, nodes.Call)
        if not (is_city or is_unit):
            raise CommentaryError(
                node.lineno, "unknown-reference", f"评述引用了不存在的数据“{node.attr}”"
            )
        keys = CITY_KEYS if is_city else FIGURE_KEYS
        if node.attr not in keys:
            raise CommentaryError(
                node.lineno,
                "unknown-reference",
                f"评述引用了不存在的数据“{inner.attr}.{node.attr}”，可用：{'、'.join(keys)}",
            )
        return
    if (isinstance(inner, nodes.Name) and inner.name == "city") or isinstance(inner, nodes.Call):
        if node.attr not in INDICATOR_BY_KEY:
            raise CommentaryError(
                node.lineno,
                "unknown-reference",
                f"评述引用了不存在的指标“{node.attr}”，可用：{'、'.join(INDICATOR_BY_KEY)}",
            )
        return
    raise CommentaryError(node.lineno, "unknown-reference", f"评述引用了不存在的数据“{node.attr}”")


def render_commentary(
    item: Commentary, figures: dict, registry: Registry
) -> tuple[str | None, list[Issue]]:
    """Evaluate the figures in a month's commentary; errors name the file line."""
    env = make_environment()
    namespace = _figures_namespace(figures)

    def unit(name: str) -> dict:
        found = registry.resolve(name)
        assert found is not None  # check_references let only registered units through
        return namespace["units"][found.unit_id]

    context = {
        "city": namespace["city"],
        "unit": unit,
        "summary": figures["summary"],
        "flags": [f["message"] for f in figures["flags"]],
        "period": figures["period"],
        "months": figures["months"],
        "time_progress": figures["time_progress"],
    }
    try:
        ast = env.parse(item.body, name=_TEMPLATE_NAME)
        check_references(ast, registry, figures)
        text = env.from_string(item.body).render(context)
    except CommentaryError as exc:
        return None, [_issue(item, exc.line, exc.code, exc.message)]
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        code = "unsafe-reference" if type(exc).__name__ == "SecurityError" else "unknown-reference"
        return None, [_issue(item, line, code, f"评述无法计算：{exc}")]
    return text, []


def _template_line(exc: BaseException) -> int:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return (frames[-1].lineno or 1) if frames else 1


def _issue(item: Commentary, line: int, code: str, message: str) -> Issue:
    return Issue(item.file, "", item.body_line + line - 1, "", code, message)


def demote_headings(markdown: str, *, levels: int = 1) -> str:
    """Commentary `##` sections sit under the bulletin's own section headings."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5}\s", line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)

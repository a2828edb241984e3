"""Commentary (评述): Markdown whose `{{ … }}` figures are evaluated in a Jinja sandbox.

Bureau staff may read the month's figures and call the documented filters,
nothing else: every name and attribute is checked against the figures
before anything runs, so an unknown figure is reported with its file line,
and reaching for Python internals is refused.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .. import formats
from ..issues import Issue
from ..read.dataset import Commentary
from ..read.registry import Registry
from ..schema import CITY_FIGURES, UNIT_FIGURES, month_indicators

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


class _Sandbox(SandboxedEnvironment):
    """Arithmetic that could run for minutes or fill memory (`10 ** 10 ** 9`, `"字" * 10 ** 9`)
    is refused as too large, like any other failing expression."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context, operator: str, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise OverflowError(operator)
        if operator == "*" and any(
            isinstance(a, str | list | tuple) and isinstance(b, int) and abs(b) > 1000
            for a, b in ((left, right), (right, left))
        ):
            raise OverflowError(operator)
        return super().call_binop(context, operator, left, right)


def make_environment() -> SandboxedEnvironment:
    env = _Sandbox(
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


def check_references(
    ast: nodes.Template, registry: Registry, figures: dict
) -> list[CommentaryError]:
    """Every name, attribute, call or statement outside the documented figures, refused."""
    problems: list[CommentaryError] = []
    # one walk of the tree, each node kept for its check(s), in the order of the tree
    found: dict[type[nodes.Node], list[nodes.Node]] = {kind: [] for kind in _KINDS}
    for node in ast.find_all(_KINDS):
        for kind in _KINDS:
            if isinstance(node, kind):
                found[kind].append(node)
    for stmt in found[nodes.Stmt]:
        if not isinstance(stmt, (nodes.Output, nodes.Template)):
            problems.append(
                CommentaryError(
                    stmt.lineno,
                    "unsafe-reference",
                    "评述中只能使用 {{ … }} 引用数据，不能使用 {% … %} 语句",
                )
            )
    for kind, check in _CHECKS:
        for node in found[kind]:
            try:
                check(node, registry, figures)
            except CommentaryError as exc:
                problems.append(exc)
    # the first problem of a line is enough: `''.__class__.__mro__` is one mistake, not three
    first: dict[int, CommentaryError] = {}
    for problem in problems:
        first.setdefault(problem.line, problem)
    return [first[line] for line in sorted(first)]


def _check_name(node: nodes.Name, registry: Registry, figures: dict) -> None:
    if node.name not in NAMES:
        raise CommentaryError(
            node.lineno,
            "unknown-reference",
            f'评述引用了不存在的名称“{node.name}”，可用：city.指标.数据、unit("单位").指标.数据、summary',
        )


def _check_getattr(node: nodes.Getattr, registry: Registry, figures: dict) -> None:
    if node.attr.startswith("_"):
        raise CommentaryError(node.lineno, "unsafe-reference", f"评述不能访问“{node.attr}”")
    _check_attribute(node, month_indicators(figures).keys())


# How a reference is written, in messages: 编码 is the indicator's (数据规范 page's 指标表).
EXAMPLE = "city.编码.rate"


def _check_getitem(node: nodes.Getitem, registry: Registry, figures: dict) -> None:
    raise CommentaryError(node.lineno, "unknown-reference", f"评述中请用“.”引用数据，如 {EXAMPLE}")


def _check_call(node: nodes.Call, registry: Registry, figures: dict) -> None:
    if not (isinstance(node.node, nodes.Name) and node.node.name == "unit"):
        raise CommentaryError(node.lineno, "unsafe-reference", '评述中只能调用 unit("单位名称")')
    if (
        len(node.args) != 1
        or not isinstance(node.args[0], nodes.Const)
        or node.kwargs
        or node.dyn_args
        or node.dyn_kwargs
    ):
        # the example names a unit of the city's own register
        example = figures["units"][0]["name"] if figures["units"] else "单位名称"
        raise CommentaryError(
            node.lineno,
            "unknown-reference",
            f'unit(…) 需要一个带引号的单位名称，如 unit("{example}")',
        )
    name = node.args[0].value
    unit = registry.resolve(name) if isinstance(name, str) else None
    if unit is None or unit.unit_id not in {u["unit_id"] for u in figures["units"]}:
        suggestions = registry.suggest(name)
        hint = f"，是否是：{'、'.join(suggestions)}？" if suggestions else ""
        raise CommentaryError(node.lineno, "unknown-reference", f"评述引用了未知单位“{name}”{hint}")


def _check_filter(node: nodes.Filter, registry: Registry, figures: dict) -> None:
    if node.name not in formats.FILTERS:
        raise CommentaryError(
            node.lineno,
            "unknown-reference",
            f"评述使用了未知的格式“{node.name}”，可用：{'、'.join(formats.FILTERS)}",
        )
    if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
        raise CommentaryError(
            node.lineno,
            "bad-expression",
            f"格式 {node.name} 后面不用加括号或参数，写作 {{{{ 数据 | {node.name} }}}}",
        )


# each kind of node and its check (a check raises CommentaryError for what it refuses)
_CHECKS: tuple[tuple[type[nodes.Node], Callable[[Any, Registry, dict], None]], ...] = (
    (nodes.Name, _check_name),
    (nodes.Getattr, _check_getattr),
    (nodes.Getitem, _check_getitem),
    (nodes.Call, _check_call),
    (nodes.Filter, _check_filter),
)
_KINDS: tuple[type[nodes.Node], ...] = (nodes.Stmt, *(kind for kind, _ in _CHECKS))


def _check_attribute(node: nodes.Getattr, indicator_keys: tuple[str, ...]) -> None:
    """city.<indicator>.<figure> and unit(…).<indicator>.<figure>, nothing deeper: the
    indicators the month declares."""
    inner = node.node
    if isinstance(inner, nodes.Getattr):
        base = inner.node
        is_city = isinstance(base, nodes.Name) and base.name == "city"
        is_unit = isinstance(base, nodes.Call)
        if not (is_city or is_unit):
            raise CommentaryError(
                node.lineno, "unknown-reference", f"评述引用了不存在的数据“{node.attr}”"
            )
        keys = CITY_FIGURES if is_city else UNIT_FIGURES
        if node.attr not in keys:
            raise CommentaryError(
                node.lineno,
                "unknown-reference",
                f"评述引用了不存在的数据“{inner.attr}.{node.attr}”，可用：{'、'.join(keys)}",
            )
        return
    if (isinstance(inner, nodes.Name) and inner.name == "city") or isinstance(inner, nodes.Call):
        if node.attr not in indicator_keys:
            raise CommentaryError(
                node.lineno,
                "unknown-reference",
                f"评述引用了不存在的指标“{node.attr}”，可用：{'、'.join(indicator_keys)}",
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
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or 1
        return None, [_issue(item, line, "bad-expression", _syntax_words(exc))]
    problems = check_references(ast, registry, figures)
    if problems:
        return None, [_issue(item, p.line, p.code, p.message) for p in problems]
    try:
        text = env.from_string(ast).render(context)  # the tree checked, not parsed again
    except CommentaryError as exc:
        return None, [_issue(item, exc.line, exc.code, exc.message)]
    except SecurityError as exc:
        line = _template_line(exc)
        return None, [_issue(item, line, "unsafe-reference", f"评述不能这样写：{exc}")]
    except Exception as exc:  # noqa: BLE001 - any failure inside an expression is the clerk's to fix
        line = getattr(exc, "lineno", None) or _template_line(exc)
        return None, [_issue(item, line, "bad-expression", _failure_words(exc))]
    return text, []


def _syntax_words(exc: TemplateError) -> str:
    return (
        f"评述中的 {{{{ … }}}} 写法有误（{exc.message or exc}）；"
        f"请检查括号、引号是否成对，引用写作 {{{{ {EXAMPLE} }}}}；"
        "正文中要原样显示 {{ 时，写作 {{ '{{' }}"
    )


def _failure_words(exc: BaseException) -> str:
    """What went wrong inside an expression, and what to write instead."""
    if isinstance(exc, ZeroDivisionError):
        return "计算中除数为 0（如某项数据为 0）；请直接引用已算好的数据，如完成率 rate、同比 yoy，不要自己做除法"
    if isinstance(exc, TypeError) and "NoneType" in str(exc):
        return (
            "参与计算的数据缺失（未报送或没有目标，显示为“—”），不能加减乘除；"
            "请直接引用该数据，或改写这句话"
        )
    if isinstance(exc, TypeError | ValueError):
        return (
            "这里的数据不能这样计算或格式化（如对文字用了 yi、pct 格式，或文字与数字相加）；"
            f"格式只用于数字，写作 {{{{ {EXAMPLE} | pct }}}}"
        )
    if isinstance(exc, UndefinedError):
        return f"评述引用了不存在的数据（{exc.message}）；可用的数据见“使用说明”页第六节"
    if isinstance(exc, OverflowError | MemoryError | RecursionError):
        return "计算结果过大，无法显示；请直接引用数据，不要自己计算"
    return f"这处引用无法计算（{type(exc).__name__}）；请直接引用数据，如 {{{{ {EXAMPLE} }}}}"


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

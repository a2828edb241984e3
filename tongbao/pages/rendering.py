"""Rendering a page template: the templates are inputs the bureau edits, so a Jinja error
in one is a `bad-template` problem naming the file and line, not a crash."""

from __future__ import annotations

import json
import traceback
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup, escape

from ..cache import NO_CACHE, Cache
from ..issues import BadTemplate, Issue
from .common import PACKAGE_TEMPLATES


def render(env: Environment, name: str, **context) -> str:
    """`env`'s template `name` rendered with `context`; raises BadTemplate when it breaks."""
    try:
        return env.get_template(name).render(**context)
    except TemplateSyntaxError as exc:  # also an unknown filter or test (an assertion)
        where = exc.filename or exc.name or name
        raise BadTemplate(template_issue(env, where, exc.lineno, exc.message or str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - any runtime error raised by the template's code
        found = template_frame(env, exc)
        if found is None and not isinstance(exc, TemplateError):
            raise  # not the template's: tongbao's own fault (reported as such by the CLI)
        file, line = found or (name, None)
        raise BadTemplate(template_issue(env, file, line, engine_message(exc))) from None


def template_folders(env: Environment) -> list[Path]:
    """The folders templates are loaded from: the project's templates/, then the package's."""
    loaders = getattr(env.loader, "loaders", [env.loader])
    return [
        Path(folder).resolve()
        for loader in loaders
        if isinstance(loader, FileSystemLoader)
        for folder in loader.searchpath
    ]


def template_frame(env: Environment, exc: BaseException) -> tuple[str, int] | None:
    """The innermost traceback frame in a template (Jinja rewrites a rendering error's
    traceback so that its frames name the template file and line)."""
    folders = template_folders(env)
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_absolute() and any(path.is_relative_to(f) for f in folders):
            found = (frame.filename, frame.lineno or 0)
    return found


def relative_name(env: Environment, file: str) -> str:
    """`templates/…` as the bureau sees it, for the project's template or the package's."""
    path = Path(file)
    for folder in template_folders(env):
        if path.is_absolute() and path.resolve().is_relative_to(folder):
            return "templates/" + path.resolve().relative_to(folder).as_posix()
    return "templates/" + path.as_posix().removeprefix("templates/")


def engine_message(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {text}"


def template_issue(env: Environment, file: str, line: int | None, message: str) -> Issue:
    where = relative_name(env, file)
    at = f"第 {line} 行" if line else "渲染时"
    return Issue(where, "", line, "", "bad-template", f"页面模板{at}出错（Jinja）：{message}")


def front_matter_text(value: object) -> Markup:
    """A YAML-safe, HTML-escaped scalar: MkDocs puts page titles into HTML unescaped."""
    return Markup(json.dumps(str(escape(str(value))), ensure_ascii=False))


def template_environment(root: Path, cache: Cache = NO_CACHE) -> Environment:
    env = Environment(
        bytecode_cache=cache.compiled_templates("jinja-pages"),
        loader=ChoiceLoader(
            [FileSystemLoader(str(root / "templates")), FileSystemLoader(str(PACKAGE_TEMPLATES))]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        # Markdown heading ids are written {#id}: keep Jinja comments out of their way.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["front_matter"] = front_matter_text
    return env


def template_problems(root: Path, cache: Cache = NO_CACHE) -> list[Issue]:
    """The project's page templates compiled (not rendered): a syntax error or an unknown
    filter is found by `check` already, before any page is made."""
    folder = root / "templates"
    if not folder.is_dir():
        return []
    env = template_environment(root, cache)
    issues = []
    for path in sorted(folder.glob("*.j2")):
        try:
            env.get_template(path.name)
        except TemplateSyntaxError as exc:
            where = exc.filename or str(path)
            issues.append(template_issue(env, where, exc.lineno, exc.message or str(exc)))
    return issues

"""Front matter of a month's commentary: its keys declared, read the way a clerk writes them.

`FIELDS` is the declaration (key, 中文名, accepted spellings, reader); the checker
and the 数据规范 page both read it. A value that cannot be read is an error naming
the file and line, and the key is left out, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import yaml

from ..config import YamlProblem, load_yaml
from .numbers import parse_date


class Wrong(Exception):
    """A value that cannot be read: the message says what to write instead."""


def read_issue(value: object) -> int:
    text = "" if value is None or isinstance(value, bool) else str(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not text.isdigit() or int(text) < 1:
        raise Wrong(f"期号应为正整数，如 issue: 5（不写“第”“期”，不用汉字数字），现为“{value}”")
    return int(text)


def read_date(value: object, *, what: str = "日期") -> date:
    parsed = parse_date(value)
    if not isinstance(parsed, date):
        raise Wrong(
            f"{what}“{value}”不是有效的日期，请写成 2024-06-10、2024年6月10日、2024.6.10 或 2024/6/10"
            "（注意该月有没有这一天）"
        )
    return parsed


_YES = {"true", "yes", "y", "是", "1"}
_NO = {"false", "no", "n", "否", "0", ""}


def read_draft(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise Wrong(f"draft 只能填 true/false、yes/no 或 是/否，现为“{value}”")


def read_revisions(value: object) -> list[dict]:
    items = value if isinstance(value, list) else None
    if items is None:
        raise Wrong("revisions 应为列表，每项写 - date: 2024-07-02 和 note: 说明")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise Wrong("revisions 的每一项应写成 - date: 日期 和 note: 说明 两行")
        unknown = [str(k) for k in item if k not in ("date", "note")]
        if unknown:
            raise Wrong(f"revisions 的一项中有未知的键“{'、'.join(unknown)}”，只能有 date 和 note")
        note = str(item.get("note") or "").strip()
        if not note:
            raise Wrong("revisions 的每一项都要有 note（修订说明）")
        out.append({"date": read_date(item.get("date"), what="修订日期"), "note": note})
    return out


def read_withdrawn(value: object) -> dict:
    """撤回: an issued bulletin taken back, with the day and the reason (both required: a
    withdrawal stays visible on the bulletin's page)."""
    if not isinstance(value, dict):
        raise Wrong("withdrawn 应写成两行：date: 撤回日期 和 reason: 撤回原因")
    unknown = [str(k) for k in value if k not in ("date", "reason")]
    if unknown:
        raise Wrong(f"withdrawn 中有未知的键“{'、'.join(unknown)}”，只能有 date 和 reason")
    reason = str(value.get("reason") or "").strip()
    if not reason:
        raise Wrong("withdrawn 要写明 reason（撤回原因），它显示在通报页面上")
    return {"date": read_date(value.get("date"), what="撤回日期"), "reason": reason}


def read_names(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise Wrong("unreported 应为单位名称的列表，如 unreported: [甲县, 乙区]")
    return [str(v).strip() for v in value if str(v).strip()]


@dataclass(frozen=True)
class Field:
    key: str
    name: str  # 中文名
    spellings: str  # what may be written, for messages and the 数据规范 page
    read: Callable[[object], object]


FIELDS: tuple[Field, ...] = (
    Field("issue", "期号", "正整数，如 `5`；不写时为该月月份数", read_issue),
    Field(
        "issued",
        "印发日期",
        "`2024-06-10`、`2024年6月10日`、`2024.6.10` 或 `2024/6/10`；不写表示尚未印发",
        lambda value: read_date(value, what="印发日期"),
    ),
    Field("draft", "草稿", "`true`/`false`、`yes`/`no` 或 `是`/`否`；草稿不发布", read_draft),
    Field(
        "revisions",
        "修订说明",
        "列表，每项 `date`（日期，写法同 issued）和 `note`（说明）",
        read_revisions,
    ),
    Field(
        "withdrawn",
        "撤回",
        "`date`（撤回日期，写法同 issued）和 `reason`（原因）两项；已印发的通报只能这样撤回，"
        "页面保留并显示“已撤回”",
        read_withdrawn,
    ),
    Field("unreported", "确认未报送的单位", "单位名称的列表，如 `[甲县]`", read_names),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


class _FrontMatterLoader(yaml.SafeLoader):
    """Dates and numbers stay text (read by FIELDS): `2024-02-30` is a message, not a crash,
    and `issue: 010` is 10, not YAML's octal 8."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if not tag.endswith(("timestamp", "int", "float"))
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FRONT_MATTER = re.compile(r"^---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|$)", re.DOTALL)


@dataclass
class Parsed:
    meta: dict
    body: str
    body_line: int  # the file line where the body starts
    problems: list[tuple[int, str]]  # (file line, message)


def parse_front_matter(text: str) -> Parsed:
    """Split and read the front matter; every problem with its file line."""
    text = text.removeprefix("\ufeff")
    match = FRONT_MATTER.match(text)
    if not match:
        if re.match(r"^---[ \t]*\r?\n", text):
            return Parsed(
                {}, text, 1, [(1, "文件开头的 --- 没有配对的结束行 ---，请在设置项之后加一行 ---")]
            )
        return Parsed({}, text, 1, [])
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    try:
        data, lines = load_yaml(match.group(1) or "", loader=_FrontMatterLoader)
    except YamlProblem as exc:
        return Parsed({}, body, body_line, [(exc.line + 1, f"文件开头的设置{exc.message}")])
    if data is None:
        return Parsed({}, body, body_line, [])
    if not isinstance(data, dict):
        return Parsed(
            {}, body, body_line, [(2, "文件开头的 --- 之间应为“键: 值”形式，如 issue: 5")]
        )
    meta: dict = {}
    problems = []
    for key, value in data.items():
        line = lines.get((key,), 0) + 1
        field = FIELD_BY_KEY.get(str(key))
        if field is None:
            known = "、".join(f"{f.key}（{f.name}）" for f in FIELDS)
            problems.append((line, f"文件开头没有“{key}”这项设置，可用的有：{known}"))
            continue
        if value is None:
            continue  # `issued:` left empty: not issued yet; `issue:` empty: the default
        try:
            meta[field.key] = field.read(value)
        except Wrong as exc:
            problems.append((line, str(exc)))
    return Parsed(meta, body, body_line, problems)

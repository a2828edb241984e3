"""Config: `mkdocs.yml` read once, tongbao's settings (`extra.tongbao`) declared and checked.

Every setting is one row of `SETTINGS` (name, type, allowed values, default, one
line of meaning in Chinese); the checker, the typed `Config` every stage reads and
the table on the 使用说明 page all come from those rows. Adding a setting is adding
a row (and reading `config.value("name")` where it is used).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .issues import Issue

CONFIG_FILE = "mkdocs.yml"
SECTION = "extra.tongbao"

TEXT = "文字"
NUMBER = "数字"
CHOICE = "选项"


@dataclass(frozen=True)
class Setting:
    name: str  # dotted path under extra.tongbao: "lights.red_below_pp"
    kind: str  # TEXT, NUMBER or CHOICE
    default: object
    meaning: str  # one line, in Chinese, for the 使用说明 page and for messages
    # CHOICE: value → the spellings accepted for it ("city": ("city", "市定"))
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def allowed(self) -> str:
        """The accepted values, as a reader of the guide or of a message wants them."""
        if self.kind == CHOICE:
            return " / ".join(" 或 ".join(spellings) for spellings in self.choices.values())
        return "任意数字（可为负数）" if self.kind == NUMBER else "任意文字"


SETTINGS: tuple[Setting, ...] = (
    Setting("city", TEXT, "", "城市名称，用于网站标题、通报标题和下载文件，如 某某市"),
    Setting("issuer", TEXT, "", "印发机关，印在通报末尾和页脚，如 某某市投资促进局"),
    Setting("bulletin_title", TEXT, "招商引资工作通报", "通报名称，接在城市名称后面组成标题"),
    Setting(
        "report_to",
        TEXT,
        "",
        "各单位报表报送的机关，写在 new 生成的报表模板“填报说明”中；空则用 issuer",
    ),
    Setting(
        "target_basis",
        CHOICE,
        "city",
        "完成率、进度差、位次和亮灯按哪种年度目标计算：市定目标或单位自定目标",
        choices={"city": ("city", "市定"), "self": ("self", "自定")},
    ),
    Setting(
        "lights.green_from_pp",
        NUMBER,
        0.0,
        "进度差（完成率减时序进度，单位：个百分点）不低于此值亮绿灯",
    ),
    Setting(
        "lights.red_below_pp",
        NUMBER,
        -20.0,
        "进度差不高于此值亮红灯，介于两者之间亮黄灯；应低于绿灯的值",
    ),
)
YES_NO: dict[str, tuple[str, ...]] = {
    "yes": ("true", "True", "yes", "是"),
    "no": ("false", "False", "no", "否"),
}
# The bulletin as a document (PDF and Word): 版记 words, 份号/密级, the bureau's own
# licensed font files (never shipped) and the East Asian font names Word uses.
FONT_FACES = (
    ("title", "发文机关标志和标题（小标宋）", "方正小标宋简体"),
    ("body", "正文（仿宋）", "仿宋_GB2312"),
    ("heading", "一级标题（黑体）", "黑体"),
    ("kai", "二级标题（楷体）", "楷体_GB2312"),
)
SETTINGS += (
    Setting("document.cc", TEXT, "", "公文版记的抄送机关，如 市委办公室，市政府办公室"),
    Setting("document.printer", TEXT, "", "公文版记的印发机关；空则用 issuer"),
    Setting("document.copy_number", CHOICE, "no", "公文是否印份号", choices=YES_NO),
    Setting("document.classification", TEXT, "", "公文密级（如 内部）；空则不印"),
    *(
        Setting(
            f"document.fonts.{face}",
            TEXT,
            "",
            f"PDF {words}所用字体文件（相对于项目根目录）；空则用随附的思源字体",
        )
        for face, words, _ in FONT_FACES
    ),
    *(
        Setting(f"document.word_fonts.{face}", TEXT, name, f"Word 文件{words}的中文字体名称")
        for face, words, name in FONT_FACES
    ),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}
# every group of settings, nested ones too: lights, document, document.fonts
GROUPS_OF_SETTINGS = {
    ".".join(s.name.split(".")[:i]) for s in SETTINGS for i in range(1, s.name.count(".") + 1)
}


@dataclass(frozen=True)
class Settings:
    """What the figures depend on (完成率 basis, light thresholds): part of every cache key."""

    target_basis: str = "city"  # or "self": 完成率 against the self-set target
    green_from_pp: float = 0.0  # gap ≥ this → green
    red_below_pp: float = -20.0  # gap ≤ this → red

    @classmethod
    def from_config(cls, extra: dict | None) -> Settings:
        """Settings from an `extra.tongbao` mapping (unchecked: tests and tools)."""
        return load_settings(extra or {})[0].settings


@dataclass(frozen=True)
class Config:
    """mkdocs.yml, read once: the checked settings and the few site-level keys we use."""

    values: dict[str, object]  # setting name → checked value (default when absent or wrong)
    site_url: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def value(self, name: str) -> object:
        return self.values[name]

    @property
    def settings(self) -> Settings:
        return Settings(
            target_basis=str(self.values["target_basis"]),
            green_from_pp=float(self.values["lights.green_from_pp"]),  # type: ignore[arg-type]
            red_below_pp=float(self.values["lights.red_below_pp"]),  # type: ignore[arg-type]
        )


def defaults() -> Config:
    return Config({s.name: s.default for s in SETTINGS})


# --- YAML with line numbers ----------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML; Material's `!!python/name:` and `!ENV` tags are read as nothing."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
# no date values in settings: `2024-02-30` somewhere in mkdocs.yml is text, not a crash
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith("timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def load_yaml(text: str, *, loader: type = _Loader) -> tuple[object, dict[tuple, int]]:
    """Parse YAML; also return the (1-based) line of every mapping key, by its path.

    Raises YamlProblem with the line of a syntax error and a Chinese description."""
    try:
        parser = loader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters before parsing
        line = text[: getattr(exc, "position", 0)].count("\n") + 1
        raise YamlProblem(
            line, "含有不能显示的特殊字符（多为从别处复制来的），请删去后重新输入"
        ) from None
    try:
        node = parser.get_single_node()
        data = parser.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlProblem(line, _yaml_words(exc)) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        # e.g. a mapping used as a key ({a: 1}: x): not a syntax error, still unreadable
        raise YamlProblem(1, f"YAML 内容无法读取（{type(exc).__name__}）") from None
    finally:
        if "parser" in locals():
            parser.dispose()
    lines: dict[tuple, int] = {}

    def walk(n: yaml.Node | None, path: tuple) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[path + (key.value,)] = key.start_mark.line + 1
                    walk(value, path + (key.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    walk(node, ())
    return data, lines


def _yaml_words(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    hint = "常见原因：缩进不一致、冒号后少了空格、引号没有成对，或用了全角冒号“：”"
    if "tab" in problem:
        hint = "不能用 Tab 缩进，请改用空格"
    return f"YAML 格式有误（{problem}）；{hint}"


# --- checking ----------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace("−", "-")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def check_value(setting: Setting, value: object) -> tuple[object, str | None]:
    """The typed value, or None and what is wrong (in Chinese)."""
    if setting.kind == NUMBER:
        number = _number(value)
        if number is None:
            return None, f"应为数字（如 {setting.default:g}），现为“{value}”"
        return number, None
    if setting.kind == CHOICE:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        for choice, spellings in setting.choices.items():
            if text in spellings:
                return choice, None
        return None, f"不能是“{value}”，只能是：{setting.allowed()}"
    if isinstance(value, dict | list):
        return None, "应为一段文字"
    return str(value).strip(), None


def suggest(name: str) -> str | None:
    """The closest declared setting: by full path, else by its last part."""
    names = [s.name for s in SETTINGS]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    if close:
        return close[0]
    leaf = name.split(".")[-1]
    by_leaf = {s.name.split(".")[-1]: s.name for s in SETTINGS}
    close = difflib.get_close_matches(leaf, list(by_leaf), n=1, cutoff=0.5)
    return by_leaf[close[0]] if close else None


def load_settings(
    section: object, lines: dict[tuple, int] | None = None
) -> tuple[Config, list[Issue]]:
    """Check an `extra.tongbao` mapping against SETTINGS. A wrong value keeps its default."""
    lines = lines or {}
    base = ("extra", "tongbao")
    values = {s.name: s.default for s in SETTINGS}
    issues: list[Issue] = []

    def problem(path: tuple, message: str) -> None:
        line = lines.get(base + path) or lines.get(base) or None
        key = ".".join((SECTION, *path))
        issues.append(Issue(CONFIG_FILE, "", line, "", "bad-config", message, header=key))

    if section is None:
        return Config(values), issues
    if not isinstance(section, dict):
        problem((), f"{SECTION} 下应为“键: 值”形式的设置")
        return Config(values), issues

    def visit(mapping: dict, prefix: tuple) -> None:
        for key, value in mapping.items():
            path = prefix + (str(key),)
            name = ".".join(path)
            if name in GROUPS_OF_SETTINGS:
                if value is None:
                    continue
                if not isinstance(value, dict):
                    problem(path, f"{SECTION}.{name} 下应为若干“键: 值”设置")
                    continue
                visit(value, path)
                continue
            setting = SETTING_BY_NAME.get(name)
            if setting is None:
                close = suggest(name)
                hint = f"，是否是 {close}？" if close else ""
                problem(
                    path,
                    f"{SECTION} 中没有“{name}”这项设置{hint}可用的设置见网站“使用说明”页的设置表",
                )
                continue
            if value is None:  # `city:` left empty: the default
                continue
            typed, wrong = check_value(setting, value)
            if wrong:
                problem(path, f"{SECTION}.{name}（{setting.meaning}）{wrong}")
                continue
            values[name] = typed

    visit(section, ())
    green, red = values["lights.green_from_pp"], values["lights.red_below_pp"]
    if isinstance(green, float) and isinstance(red, float) and red >= green:
        problem(
            ("lights", "red_below_pp"),
            f"{SECTION}.lights.red_below_pp（{red:g}）应低于 green_from_pp（{green:g}），"
            "否则没有黄灯区间",
        )
    return Config(values), issues


def load_config(root: Path) -> tuple[Config, list[Issue]]:
    """Read mkdocs.yml once; every problem is a `bad-config` issue naming the line and key."""
    path = root / CONFIG_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return defaults(), [
            Issue.of_file(CONFIG_FILE, "bad-config", "找不到 mkdocs.yml：请在项目根目录运行")
        ]
    except UnicodeDecodeError:
        return defaults(), [
            Issue.of_file(CONFIG_FILE, "bad-config", "mkdocs.yml 应以 UTF-8 编码保存")
        ]
    try:
        data, lines = load_yaml(text)
    except YamlProblem as exc:
        return defaults(), [Issue(CONFIG_FILE, "", exc.line, "", "bad-config", exc.message)]
    if not isinstance(data, dict):
        return defaults(), [
            Issue.of_file(CONFIG_FILE, "bad-config", "mkdocs.yml 应为“键: 值”形式的设置")
        ]
    extra = data.get("extra")
    section = extra.get("tongbao") if isinstance(extra, dict) else None
    config, issues = load_settings(section, lines)
    site_url = data.get("site_url")
    return Config(config.values, str(site_url) if site_url else None, data), issues


def settings_table() -> str:
    """The declared settings as a Markdown table (the 使用说明 page shows it)."""
    rows = [
        "| 设置（extra.tongbao 下） | 类型 | 可填的值 | 默认值 | 含义 |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = f"{s.default:g}" if isinstance(s.default, float) else (s.default or "（空）")
        rows.append(f"| `{s.name}` | {s.kind} | {s.allowed()} | {default} | {s.meaning} |")
    return "\n".join(rows)

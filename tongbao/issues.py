"""Problems are values: every stage returns them, the CLI prints them all at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .codes import ERROR, LEVEL_ORDER, LEVEL_WORDS, NOTICE, WARNING


@dataclass(frozen=True)
class Origin:
    """Where a value came from, as the clerk sees it in Excel."""

    file: str  # path relative to the project root, with forward slashes
    sheet: str = ""
    row: int | None = None  # the row number Excel shows (CSV: the line number)
    column: str = ""  # column letter, e.g. "F"
    header: str = ""  # the header text of that column

    def location(self) -> str:
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
        if self.row is not None:
            where += f":{self.column}{self.row}" if self.column else f":第{self.row}行"
        if self.header:
            where += f" {self.header}"
        return where


@dataclass(frozen=True)
class Issue:
    file: str
    sheet: str
    row: int | None
    column: str
    code: str
    message: str
    level: str = ERROR
    header: str = ""

    @classmethod
    def of_file(cls, file: str, code: str, message: str, level: str = ERROR) -> Issue:
        """A problem with a whole file or folder (no sheet, row or column)."""
        return cls(file, "", None, "", code, message, level)

    @classmethod
    def at(cls, origin: Origin, code: str, message: str, level: str = ERROR) -> Issue:
        return cls(
            origin.file,
            origin.sheet,
            origin.row,
            origin.column,
            code,
            message,
            level,
            origin.header,
        )

    def location(self) -> str:
        return Origin(self.file, self.sheet, self.row, self.column, self.header).location()

    def format(self) -> str:
        return f"{self.location()}: {self.code}: {self.message}"


class BadTemplate(Exception):
    """A template the bureau edits broke while pages or documents were made (after check):
    the build stops with its Issue instead of a traceback."""

    def __init__(self, issue: Issue):
        super().__init__(issue)  # args = (issue,): the exception pickles (document workers)
        self.issue = issue

    def __str__(self) -> str:
        return self.issue.format()


@dataclass
class Report:
    """All problems found, in the order found; printed grouped by file, errors first."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]

    def failed(self, *, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def format(self, *, include_notices: bool = True) -> str:
        by_file: dict[str, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            if issue.level == NOTICE and not include_notices:
                continue
            by_file[issue.file].append(issue)

        def file_rank(name: str) -> tuple[int, str]:
            return (min(LEVEL_ORDER[i.level] for i in by_file[name]), name)

        lines = []
        for name in sorted(by_file, key=file_rank):
            lines.append(name or "(项目)")
            for issue in sorted(by_file[name], key=lambda i: LEVEL_ORDER[i.level]):
                lines.append(f"  [{LEVEL_WORDS[issue.level]}] {issue.format()}")
        counts = f"{len(self.errors)} 个错误，{len(self.warnings)} 个警告"
        lines.append(counts)
        return "\n".join(lines)

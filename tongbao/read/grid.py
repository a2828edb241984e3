"""A grid of cells as Excel shows it (`Sheet`), and a file that cannot be read at all.

What `sheets` (CSV, finding tables) and `xlsx` (workbooks) both build on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..issues import Issue, Origin


class FileProblem(Exception):
    """A file that cannot be read at all; carries the issue to report."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue

    @classmethod
    def of(cls, rel: str, code: str, message: str) -> FileProblem:
        return cls(Issue.of_file(rel, code, message))


@dataclass
class Sheet:
    file: str  # relative path, forward slashes
    name: str  # sheet name; "" for CSV
    rows: list[list[object]]  # cell values; None when empty
    row_numbers: list[int]  # the Excel row / CSV line of each row
    errors: set[tuple[int, int]] = field(default_factory=set)  # (row index, col index) of #DIV/0! …
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r0, c0, r1, c1 (inclusive)

    def origin(
        self, row_index: int | None, col_index: int | None = None, header: str = ""
    ) -> Origin:
        row = self.row_numbers[row_index] if row_index is not None else None
        column = column_letter(col_index + 1) if col_index is not None else ""
        return Origin(self.file, self.name, row, column, header)

    def cell(self, r: int, c: int) -> object:
        row = self.rows[r]
        return row[c] if c < len(row) else None


def column_letter(number: int) -> str:
    """1 → A, 28 → AB: Excel's column names (without importing openpyxl for them)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

"""Writes the binary fixtures under tests/cases/ (run once; the outputs are committed).

Real workbooks made with openpyxl, plus the cached values Excel would store
for formulas (openpyxl cannot compute them, so they are written into the XML).
Run: .venv/bin/python tests/cases/make_fixtures.py
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FIXED = (2024, 1, 1, 0, 0, 0)


def save(workbook: openpyxl.Workbook, path: Path, cached: dict[str, str] | None = None) -> None:
    """Save with fixed timestamps (byte-stable) and optional cached formula values."""
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml" and cached:
                text = data.decode()
                for ref, value in cached.items():
                    kind = ' t="e"' if value.startswith("#") else ""
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                        rf'<c r="{ref}"{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v></v>',
                        rf'<c r="{ref}"{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                data = text.encode()
            new = zipfile.ZipInfo(info.filename, FIXED)
            new.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(new, data)


def excel_error() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["单位", "签约项目", "签约金额(亿元)"])
    for row in (
        ["甲区", 5, 40],
        ["乙区", 4, "=C2/0"],
        ["丙县", 1, 5],
        ["开发区", 7, 60],
        ["文旅投促委", 3, 15],
    ):
        ws.append(row)
    save(wb, HERE / "errors/excel-error/files/data/2024-03/report.xlsx", {"C3": "#DIV/0!"})


def ledger(name: str, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(
        [
            "项目编号",
            "项目名称",
            "责任单位",
            "所属产业",
            "项目类别",
            "项目性质",
            "资金来源",
            "总投资(亿元)",
            "签约金额(亿元)",
            "项目阶段",
            "签约日期",
            "开工日期",
        ]
    )
    for row in rows:
        ws.append(row)
    save(wb, HERE / f"errors/{name}/files/data/2024-03/projects.xlsx")


def bad_encoding() -> None:
    path = HERE / "errors/bad-encoding/files/data/2024-03/report.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Excel's "Unicode text" export: UTF-16, neither UTF-8 nor GB18030.
    path.write_bytes("单位,签约项目\r\n甲区,5\r\n".encode("utf-16"))


def main() -> None:
    excel_error()
    bad_encoding()
    # The basic case's 2024-03 report says 甲区 signed 5 projects; this ledger lists 4.
    signed = [
        [
            f"P{i}",
            f"项目{i}",
            "甲区",
            "文化旅游",
            "文化旅游",
            "新建",
            "省外",
            2,
            2,
            "签约",
            datetime(2024, 2, i),
            None,
        ]
        for i in range(1, 5)
    ]
    others = [
        [
            "Q1",
            "乙项目",
            "乙区",
            "",
            "工业",
            "新建",
            "省外",
            1,
            1,
            "签约",
            datetime(2024, 3, 1),
            None,
        ]
    ]
    ledger("ledger-mismatch", signed + others)
    ledger("duplicate-project", signed + [signed[0]])


if __name__ == "__main__":
    main()

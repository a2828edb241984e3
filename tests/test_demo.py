"""The committed demo is exactly what the generator writes, and it keeps DATA.md's promises.

The read-back checks open the committed files with openpyxl/csv directly, not through
the generator's own structures, so they test the files a bureau clerk would see.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tongbao import demo

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def tree(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for folder in ("data", "content")
        for path in (root / folder).rglob("*")
        if path.is_file()
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    demo.generate(root)
    return root


def sheet_rows(path: Path) -> list[list]:
    if path.suffix == ".csv":
        return list(csv.reader(path.read_bytes().decode("gbk").splitlines()))
    workbook = openpyxl.load_workbook(path, read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def number(value: object, *, wan: bool = False) -> float:
    """A figure as typed: number, text with thousands commas or full-width digits."""
    if isinstance(value, str):
        value = float(unicodedata.normalize("NFKC", value).replace(",", ""))
    return float(value) / (10000 if wan else 1)


def report_figure(month: str, unit: str, headers: tuple[str, ...]) -> float | None:
    """A unit's figure in a month, whichever file shape the month was submitted in."""
    for path in sorted((DATA / month).iterdir()):
        if path.name.startswith("projects"):
            continue
        rows = sheet_rows(path)
        found = [(row.index(h), h) for row in rows for h in headers if h in row]
        col, header = found[0]
        for row in rows:
            if row and row[0] == unit:
                return number(row[col], wan="万元" in header)
    return None


def ledger(month: str) -> list[dict]:
    rows = sheet_rows(DATA / month / "projects.xlsx")
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_regenerating_gives_the_committed_files(regenerated: Path) -> None:
    assert tree(regenerated) == tree(ROOT)
    differ = [
        name
        for name in tree(ROOT)
        if (ROOT / name).read_bytes() != (regenerated / name).read_bytes()
    ]
    assert differ == []


def test_a_shorter_window_writes_the_same_month_files(tmp_path: Path) -> None:
    demo.main(["--root", str(tmp_path), "--start", "2025-11", "--months", "2"])
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "2025-11", "2025-12", "calendar.csv", "industries.csv", "targets", "units.csv",
    ]  # fmt: skip
    for path in (tmp_path / "data" / "2025-12").iterdir():
        assert path.read_bytes() == (DATA / "2025-12" / path.name).read_bytes(), path.name


def test_python_m_tongbao_demo_writes_the_same_files(tmp_path: Path) -> None:
    """Run as `__main__`, the writers (tongbao.demo.files) are imported from the package, never a second copy."""
    command = ["-m", "tongbao.demo", "--root", str(tmp_path), "--start", "2024-10", "--months", "1"]
    subprocess.run([sys.executable, *command], check=True, cwd=ROOT)
    written = list((tmp_path / "data" / "2024-10").iterdir())
    written += [tmp_path / "content" / "2024-10.md", tmp_path / "data" / "targets" / "2024.xlsx"]
    for path in written:
        assert path.read_bytes() == (ROOT / path.relative_to(tmp_path)).read_bytes(), path.name


@pytest.mark.parametrize("month", ["2024-05", "2025-06"])  # 合计 last, then 合计 first
def test_total_row_is_the_sum_of_counties_and_zones(month: str) -> None:
    rows = sheet_rows(DATA / month / "report.xlsx")
    group, sums, total = None, [0.0] * 12, None
    for row in rows[4:]:
        label = row[0] or ""
        if label[:2] in ("一、", "二、", "三、"):
            group = label[2:]
        elif label == "合计":
            total = row[1:13]
        elif group in ("县区", "市属开发区"):
            sums = [s + (v or 0) for s, v in zip(sums, row[1:13], strict=True)]
    assert total is not None
    assert [round(s, 2) for s in sums] == [round(v, 2) for v in total]


def test_lijin_did_not_report_in_april_2025() -> None:
    names = [row[0] for row in sheet_rows(DATA / "2025-04" / "report.xlsx")]
    assert "利津县" not in names
    assert {"东营区", "河口区", "垦利区", "广饶县"} <= set(names)
    assert "利津县" in [row[0] for row in sheet_rows(DATA / "2025-05" / "report.xlsx")]


def test_dongying_district_signed_amount_never_falls_within_a_year() -> None:
    months = sorted(p.name for p in DATA.iterdir() if p.name[:2] == "20")
    assert len(months) == 24
    for year in ("2024", "2025"):
        series = [
            report_figure(m, "东营区", ("金额(亿元)", "签约金额(亿元)"))
            for m in months
            if m.startswith(year)
        ]
        assert series == sorted(series), series
        assert series[-1] > series[0]


def test_ledger_signings_match_the_report_for_guangrao_in_may_2025() -> None:
    signed = [
        p
        for p in ledger("2025-05")
        if p["责任单位"] == "广饶县" and isinstance(p["签约日期"], datetime)
    ]
    assert report_figure("2025-05", "广饶县", ("个数",)) == len(signed) > 0
    amount = round(sum(p["签约金额(亿元)"] for p in signed), 2)
    assert report_figure("2025-05", "广饶县", ("金额(亿元)",)) == amount


@pytest.mark.parametrize("unit", ["河口区", "垦利区"])  # typed in 万元 / as full-width text
def test_quirky_unit_files_mean_the_ledger_amount(unit: str) -> None:
    signed = [p for p in ledger("2024-07") if p["责任单位"] == unit and p["签约日期"]]
    amount = round(sum(p["签约金额(亿元)"] for p in signed), 2)
    headers = ("签约金额(万元)", "签约金额(亿元)")
    assert round(report_figure("2024-07", unit, headers), 2) == amount


def test_the_csv_month_is_gbk_not_utf8() -> None:
    raw = (DATA / "2024-10" / "report.csv").read_bytes()
    assert raw.decode("gbk").startswith("单位,签约项目")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_demo_passes_the_strict_check_ci_runs():
    """CI publishes with --strict: the demo's one 未报送 is confirmed in its front matter."""
    from tongbao import pipeline

    report = pipeline.check(ROOT).report
    assert not report.failed(strict=True), report.format()
    assert [(i.code, i.level) for i in report.issues if i.file == "data/2025-04"] == [
        ("not-reported", "notice")
    ]

"""A second city with its own indicators (tests/cases/city2/data/indicators.csv): other
codes and names, a 时点 indicator with targets, a new one in 人 (引进人才), one without
考核, one with 小数位 1; no standard indicator at all. It builds a complete site, PDF and
Word file, and its published figures are recomputed here from its CSV files alone."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import BASIC_TODAY, CASES, copy_case

from tongbao import pipeline
from tongbao.schema import STANDARD_INDICATORS

CASE = CASES / "city2"
PERIODS = ("2023-03", "2024-01", "2024-02", "2024-03")


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    # a title row above the header: the header is the first row naming 单位 or 编码
    start = next(i for i, r in enumerate(rows) if r and r[0] in {"单位", "编码"})
    return rows[start:]


def declared() -> list[dict]:
    header, *rows = read_csv(CASE / "data/indicators.csv")
    return [dict(zip(header, r, strict=True)) for r in rows]


def header_keys() -> dict[str, str]:
    """Every spelling of each indicator (name and aliases) → its 编码."""
    spelled = {}
    for d in declared():
        for text in [d["指标名称"], *re.split("[;；]", d["表头别名"])]:
            if text:
                spelled[text] = d["编码"]
    return spelled


def units() -> list[dict]:
    with open(CASE / "data/units.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def unit_id_of(name: str) -> str | None:
    for u in units():
        if name in {u["单位编码"], u["单位名称"], *u["别名"].split(";")}:
            return u["单位编码"]
    return None


def column_key(header: str) -> tuple[str | None, float]:
    match = re.fullmatch(r"(.*?)(?:\((.*)\))?", header)
    name, unit = match.group(1), match.group(2)
    return header_keys().get(name), (1e-4 if unit == "万元" else 1.0)


def report(period: str) -> dict[str, dict[str, float]]:
    header, *rows = read_csv(CASE / f"data/{period}/report.csv")
    columns = [column_key(h) for h in header]
    values = {}
    for row in rows:
        uid = unit_id_of(row[0])
        if uid is None:  # the 合计 row
            continue
        values[uid] = {
            key: float(cell) * factor
            for (key, factor), cell in zip(columns[1:], row[1:], strict=True)
            if key and cell not in {"", "-"}
        }
    return values


def targets(year: int) -> dict[str, dict[str, float]]:
    header, *rows = read_csv(CASE / f"data/targets/{year}.csv")
    assessed = {d["编码"] for d in declared() if d["考核"] == "是"}
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        uid = unit_id_of(row[0]) or "CITY"
        for h, cell in zip(header[1:], row[1:], strict=True):
            key = header_keys().get(h.removesuffix("市定目标"))
            if h.endswith("市定目标") and key in assessed and cell not in {"", "-"}:
                found.setdefault(uid, {})[key] = float(cell)
    return found


def expected_month(period: str) -> tuple[dict, dict]:
    """(unit id → key → figures, key → the city's figures), recomputed independently."""
    year, month = int(period[:4]), int(period[5:])
    now, goals = report(period), targets(year)
    previous = f"{year}-{month - 1:02d}"
    before = report(previous) if previous in PERIODS else {}  # (2023-02: not collected)
    base = report(f"{year - 1}-{month:02d}") if f"{year - 1}-{month:02d}" in PERIODS else {}
    stock = {d["编码"] for d in declared() if d["口径"] == "时点"}
    group = {u["单位编码"]: u["单位类别"] for u in units()}
    counted = [u["单位编码"] for u in units() if u["单位类别"] != "产业投促委"]
    per_unit: dict[str, dict] = {}
    city: dict[str, dict] = {}
    for d in declared():
        key = d["编码"]
        for uid in group:
            ytd = now.get(uid, {}).get(key)
            target = goals.get(uid, {}).get(key)
            rate = ytd / target if ytd is not None and target else None
            last = before.get(uid, {}).get(key) if month > 1 else 0.0
            old = base.get(uid, {}).get(key)
            per_unit.setdefault(uid, {})[key] = {
                "ytd": ytd,
                "month": None if key in stock or ytd is None or last is None else ytd - last,
                "target": target,
                "rate": rate,
                "gap_pp": None if rate is None else (rate - month / 12) * 100,
                "yoy": (ytd - old) / old if ytd is not None and old else None,
            }
        for uid, row in ((u, per_unit[u][key]) for u in group):  # competition ranks
            rivals = [per_unit[o][key]["rate"] for o in group if group[o] == group[uid]]
            rivals = [r for r in rivals if r is not None]
            row["rank"] = None if row["rate"] is None else 1 + sum(r > row["rate"] for r in rivals)
        reported = [u for u in counted if per_unit[u][key]["ytd"] is not None]
        ytd = sum(per_unit[u][key]["ytd"] for u in reported) if reported else None
        target = goals.get("CITY", {}).get(key)
        if target is None and all(key in goals.get(u, {}) for u in counted):
            target = sum(goals[u][key] for u in counted)
        pairs = [
            (per_unit[u][key]["ytd"], base[u][key])
            for u in counted
            if per_unit[u][key]["ytd"] is not None and base.get(u, {}).get(key) is not None
        ]
        then = sum(p[1] for p in pairs)
        city[key] = {
            "ytd": ytd,
            "target": target,
            "rate": ytd / target if ytd is not None and target else None,
            "yoy": (sum(p[0] for p in pairs) - then) / then if pairs and then else None,
        }
    return per_unit, city


@pytest.fixture(scope="module")
def city2(tmp_path_factory) -> Path:
    root = copy_case("city2", tmp_path_factory.mktemp("city2"))
    checked = pipeline.build(root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    return root / "site"


def published(site: Path, period: str) -> dict:
    return json.loads((site / f"data/{period}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("period", PERIODS)
def test_published_figures_are_recomputed_from_the_csv_files(city2: Path, period: str):
    figures = published(city2, period)
    per_unit, city = expected_month(period)
    keys = [d["编码"] for d in declared()]
    assert [d["key"] for d in figures["indicators"]] == keys
    for unit in figures["units"]:
        assert list(unit["indicators"]) == keys
        for key in keys:
            got, want = unit["indicators"][key], per_unit[unit["unit_id"]][key]
            for name, value in want.items():
                assert got[name] == pytest.approx(value, abs=1e-6), (unit["unit_id"], key, name)
    for key in keys:
        for name, value in city[key].items():
            assert figures["city"][key][name] == pytest.approx(value, abs=1e-6), (key, name)


def test_what_its_declarations_say_is_what_the_month_shows(city2: Path):
    figures = published(city2, "2024-03")
    by_key = {d["key"]: d for d in figures["indicators"]}
    assert by_key["talent"] == {
        "key": "talent",
        "name": "引进人才",
        "unit": "人",
        "kind": "cumulative",
        "decimals": 0,
        "assessed": True,
        "headline": True,
        "chart": True,
    }
    assert by_key["funds"]["decimals"] == 1 and by_key["parks"]["kind"] == "stock"
    # 接待客商 is not assessed: its target column in 2024.csv is not read, so no 完成率,
    # 位次 or 亮灯 anywhere
    for unit in figures["units"]:
        row = unit["indicators"]["guests"]
        assert row["target"] is row["rate"] is row["rank"] is row["light"] is None
    # no standard indicator leaks in
    text = (city2 / "data/2024-03.json").read_text(encoding="utf-8")
    assert not [k for k in STANDARD_INDICATORS.keys() if f'"{k}"' in text]


def test_pages_charts_and_files_follow_its_indicators(city2: Path):
    html = (city2 / "bulletins/2024-03.html").read_text(encoding="utf-8")
    for name in ("签约项目", "到位资金", "引进人才", "在建园区", "接待客商"):
        assert name in html
    assert "签约金额" not in html and "实际使用外资" not in html
    assert "83.5亿元" in html  # 到位资金 with its 小数位 1 (83.55 would be 2 places)
    charts = sorted(p.name for p in (city2 / "downloads/2024-03").glob("chart-2-*.csv"))
    assert charts == ["chart-2-funds.csv", "chart-2-talent.csv"]  # 图表 是
    about = (city2 / "about.html").read_text(encoding="utf-8")
    assert "<code>talent</code>" in about and "（“在建园区”为月末数）" in about
    contract = (city2 / "data.html").read_text(encoding="utf-8")
    assert "人才引进、引进人才数" in contract  # its own header aliases


def test_its_pdf_word_sheets_and_workbooks_are_made_from_its_indicators(city2: Path):
    import docx
    import openpyxl
    import pdfplumber

    with pdfplumber.open(city2 / "bulletins/2024-03.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "引进人才" in text and "在建园区" in text and "签约金额" not in text
    assert "全市到位资金累计走势" in text  # chart 2 of the lead indicator, on paper
    document = docx.Document(city2 / "bulletins/2024-03.docx")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "引进人才" in cells and "83.5" in cells
    with zipfile.ZipFile(city2 / "downloads/2024-03/units-2024-03.zip") as bundle:
        assert len(bundle.namelist()) == len(units())
    book = openpyxl.load_workbook(city2 / "data/figures.xlsx", read_only=True)
    assert book.sheetnames == [d["指标名称"] for d in declared()]


def test_declaring_one_more_indicator_later_is_no_correction_of_issued_months(
    city2: Path, tmp_path: Path
):
    import shutil

    root = tmp_path / "city2"
    shutil.copytree(city2.parent, root, ignore=shutil.ignore_patterns("site", ".tongbao-cache"))
    assert (root / "published/2024-03.json").exists()  # the build recorded the issued month
    with open(root / "data/indicators.csv", "a", encoding="utf-8") as handle:
        handle.write("startups,新增企业,,家,累计,,否,否,否,6\n")
    checked = pipeline.check(root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    assert [d["key"] for d in checked.figures["2024-03"]["indicators"]][-1] == "startups"
    # changing a figure that was issued still is one, named as the city declares it
    report = root / "data/2024-03/report.csv"
    report.write_text(report.read_text(encoding="utf-8").replace("甲区,5,", "甲区,6,"), "utf-8")
    [issue] = [
        i
        for i in pipeline.check(root, today=BASIC_TODAY).report.errors
        if i.code == "published-changed"
    ]
    assert "甲区签约项目累计 原发布 5个 → 现为 6个" in issue.message

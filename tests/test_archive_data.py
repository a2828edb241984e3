"""The archive as data: figures.csv and figures.xlsx against the published JSON, and
tongbao.figures() as a DataFrame with the documented columns and dtypes."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_case

import tongbao
from tongbao import frame as tidy_frame
from tongbao.exports import archive as archive_data
from tongbao.schema import STANDARD_INDICATORS

INDICATORS = STANDARD_INDICATORS.all


def months_of(site: Path) -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((site / "data").glob("????-??.json"))
    }


def json_figures(months: dict[str, dict]) -> dict[tuple, object]:
    """Every non-null figure of the JSON, walked independently of archive_data."""
    out = {}
    for period, month in months.items():
        for key, figs in month["city"].items():
            for name, value in figs.items():
                if value is not None:
                    out[(period, "CITY", key, name)] = value
        for unit in month["units"]:
            for key, figs in unit["indicators"].items():
                for name, value in figs.items():
                    if value is not None:
                        out[(period, unit["unit_id"], key, name)] = value
    return out


def csv_rows(site: Path) -> list[dict]:
    raw = (site / "data" / "figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def same(text: str, value: object) -> bool:
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, str):
        return text == value
    return math.isclose(float(text), value, rel_tol=0, abs_tol=1e-9)


def test_every_csv_value_equals_the_months_json(demo_site: Path):
    months = months_of(demo_site)
    expected = json_figures(months)
    rows = csv_rows(demo_site)
    assert list(rows[0]) == ["period", "unit_id", "unit", "group", "indicator", "figure", "value"]
    seen = {}
    for row in rows:
        key = (row["period"], row["unit_id"], row["indicator"], row["figure"])
        assert key not in seen, f"two rows for {key}"
        seen[key] = row["value"]
        assert key in expected, f"{key} is not a figure of data/{row['period']}.json"
        assert same(row["value"], expected[key]), (key, row["value"], expected[key])
    missing = set(expected) - set(seen)
    assert not missing, sorted(missing)[:5]
    # names and groups as the JSON has them; the city's rows
    units = {(p, u["unit_id"]): u for p, m in months.items() for u in m["units"]}
    for row in rows:
        if row["unit_id"] == "CITY":
            assert (row["unit"], row["group"]) == ("全市", "全市")
        else:
            unit = units[(row["period"], row["unit_id"])]
            assert (row["unit"], row["group"]) == (unit["name"], unit["group"])


def test_the_dataframe_has_the_documented_columns_and_dtypes(demo_site: Path, tmp_path: Path):
    root = tmp_path / "project"
    (root / "site").mkdir(parents=True)
    (root / "site" / "data").symlink_to(demo_site / "data")
    frame = tongbao.figures(root)
    assert list(frame.columns) == list(archive_data.COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "period": "string",
        "unit_id": "string",
        "unit": "string",
        "group": "string",
        "indicator": "string",
        "figure": "string",
        "value": "object",
    }
    expected = json_figures(months_of(demo_site))
    assert len(frame) == len(expected)
    rate = frame[
        (frame.period == "2025-12") & (frame.unit_id == "CITY") & (frame.figure == "rate")
    ].set_index("indicator")["value"]
    assert rate["fdi"] == pytest.approx(expected[("2025-12", "CITY", "fdi", "rate")])
    lights = frame[frame.figure == "light"]["value"]
    assert set(lights) <= {"green", "yellow", "red"} and len(lights) > 0
    assert frame[frame.figure == "rank"]["value"].map(type).eq(int).all()


def test_tongbao_figures_computes_when_there_is_no_site(tmp_path: Path, basic_site: Path):
    root = copy_case("basic", tmp_path)
    assert not (root / "site").exists()
    frame = tongbao.figures(root)
    built = tidy_frame.figures_frame(list(months_of(basic_site).values()))
    # the basic case's latest month is only "issued" relative to today; compare the months
    # both have
    both = sorted(set(frame.period) & set(built.period))
    assert both
    assert (
        frame[frame.period.isin(both)]
        .reset_index(drop=True)
        .equals(built[built.period.isin(both)].reset_index(drop=True))
    )


FIGURE_WORDS = {
    "ytd": "累计",
    "month": "本月",
    "target": "市定目标",
    "target_self": "自定目标",
    "rate": "完成率",
    "gap_pp": "进度差",
    "yoy": "同比",
    "rank": "位次",
    "rank_tied": "并列",
    "rank_change": "位次变化",
    "light": "亮灯",
}


def test_workbook_has_every_figure_of_every_indicator_as_the_json(demo_site: Path):
    """figures.xlsx: a sheet per indicator; a row per month and figure (项目 in Chinese,
    代码 the JSON's key); the city, then every unit, across. Read back with openpyxl and
    compared cell by cell with the figures walked out of data/YYYY-MM.json."""
    book = openpyxl.load_workbook(demo_site / "data" / "figures.xlsx")
    assert book.sheetnames == [ind.name for ind in INDICATORS]
    months = months_of(demo_site)
    expected = json_figures(months)
    names = {u["unit_id"]: u["name"] for m in months.values() for u in m["units"]}
    ids = {name: uid for uid, name in names.items()} | {"全市": "CITY"}
    seen: dict[tuple, object] = {}
    for ind in INDICATORS:
        sheet = book[ind.name]
        assert ind.name in sheet["A1"].value and ind.unit in sheet["A1"].value
        header = [c.value for c in sheet[2]]
        assert header[:4] == ["统计期", "项目", "代码", "全市"]
        columns = [ids[name] for name in header[3:]]
        for row in sheet.iter_rows(min_row=3):
            period, word, figure = (c.value for c in row[:3])
            assert FIGURE_WORDS[figure] == word
            for unit_id, cell in zip(columns, row[3:], strict=True):
                if cell.value is None:
                    continue
                key = (period, unit_id, ind.key, figure)
                assert key not in seen, f"two cells for {key}"
                seen[key] = cell.value
                assert key in expected, f"{key} is not a figure of data/{period}.json"
                value = expected[key]
                if isinstance(value, float):
                    assert cell.value == pytest.approx(value, abs=1e-9), key
                else:
                    assert cell.value == value and type(cell.value) is type(value), key
                if figure in ("rate", "yoy"):
                    assert cell.number_format == "0.00%"
    # every figure of every month is in the workbook: 累计 … 亮灯 of all twelve indicators
    assert set(seen) == set(expected), sorted(set(expected) - set(seen))[:5]
    assert {k[3] for k in seen} == set(FIGURE_WORDS)
    assert {k[2] for k in seen} == {ind.key for ind in INDICATORS}
    # months run down in order, and a month's figures in the JSON's order
    sheet = book["实际使用外资"]
    rows = [(r[0].value, r[2].value) for r in sheet.iter_rows(min_row=3)]
    assert [p for p, _ in rows] == sorted(p for p, _ in rows)
    assert [f for p, f in rows if p == "2025-12"][:3] == ["ytd", "month", "target"]


def test_archive_files_are_deterministic_and_linked(demo_site: Path):
    months = list(months_of(demo_site).values())
    assert (
        archive_data.figures_xlsx(months, title="招商引资工作通报")
        == (demo_site / "data" / "figures.xlsx").read_bytes()
    )
    assert archive_data.figures_csv(months) == (demo_site / "data" / "figures.csv").read_bytes()
    archive = (demo_site / "bulletins" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/figures.csv"' in archive and 'href="../data/figures.xlsx"' in archive


def test_a_new_month_reads_only_its_own_json_and_the_files_are_whole(
    demo_site: Path, tmp_path: Path
):
    """archive_files keeps each month's part: with a month added, only the new month's
    JSON is read, and figures.csv/.xlsx equal those made from every month's JSON."""
    from tongbao.cache import Cache

    months = months_of(demo_site)
    texts = {p: (demo_site / "data" / f"{p}.json").read_bytes() for p in months}
    read: list[str] = []

    def month_json(period: str) -> bytes:
        read.append(period)
        return texts[period]

    cache = Cache(tmp_path / "cache")
    published = [(p, f"digest-{p}") for p in months]
    title = "招商引资工作通报"
    archive_data.archive_files(published[:-1], month_json, title, cache)
    assert read == [p for p, _ in published[:-1]]
    read.clear()
    csv_bytes, xlsx_bytes = archive_data.archive_files(published, month_json, title, cache)
    assert read == [published[-1][0]]
    assert csv_bytes == archive_data.figures_csv(list(months.values()))
    assert xlsx_bytes == archive_data.figures_xlsx(list(months.values()), title=title)
    assert xlsx_bytes == (demo_site / "data" / "figures.xlsx").read_bytes()

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
from tongbao.schema import HEADLINE


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


def test_workbook_has_a_sheet_per_headline_indicator_months_down_units_across(demo_site: Path):
    book = openpyxl.load_workbook(demo_site / "data" / "figures.xlsx")
    assert book.sheetnames == [ind.name for ind in HEADLINE]
    months = months_of(demo_site)
    for ind in HEADLINE:
        sheet = book[ind.name]
        header = [c.value for c in sheet[2]]
        assert header[:3] == ["统计期", "全市 累计", "全市 完成率"]
        periods = [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)]
        assert periods == list(months)
        for r, period in enumerate(periods, start=3):
            month = months[period]
            assert sheet.cell(row=r, column=2).value == pytest.approx(month["city"][ind.key]["ytd"])
            assert sheet.cell(row=r, column=3).value == pytest.approx(
                month["city"][ind.key]["rate"]
            )
            for unit in month["units"]:
                col = header.index(f"{unit['name']} 累计") + 1
                fig = unit["indicators"][ind.key]
                ytd = sheet.cell(row=r, column=col).value
                rate = sheet.cell(row=r, column=col + 1).value
                assert ytd == (pytest.approx(fig["ytd"]) if fig["ytd"] is not None else None)
                assert rate == (pytest.approx(fig["rate"]) if fig["rate"] is not None else None)
        assert sheet.cell(row=3, column=3).number_format == "0.00%"


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

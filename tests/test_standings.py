"""The home page's 红黑榜: leader and last per group and headline indicator, ties kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tongbao.pages.standings import headline_cells, red_black_list
from tongbao.schema import STANDARD_GROUPS as GROUPS  # the demo's groups
from tongbao.schema import STANDARD_INDICATORS

HEADLINE = STANDARD_INDICATORS.headline

REPO = Path(__file__).resolve().parent.parent


def unit(uid: str, group: str, rank, rate, light, tied=False) -> dict:
    fig = {"rank": rank, "rank_tied": tied, "rate": rate, "light": light, "ytd": 1.0}
    return {
        "unit_id": uid,
        "name": f"单位{uid}",
        "group": group,
        "indicators": {ind.key: dict(fig) for ind in HEADLINE},
    }


def test_leader_and_last_with_ties_and_unranked_units_left_out():
    figures = {
        "units": [
            unit("A", "县区", 1, 0.5, "green", tied=True),
            unit("B", "县区", 1, 0.5, "green", tied=True),
            unit("C", "县区", 3, 0.1, "red"),
            unit("D", "县区", None, None, None),  # not reported: not ranked
            unit("E", "市属开发区", 1, 0.2, "yellow"),  # alone: a leader, no last
        ]
    }
    groups = red_black_list(figures)
    assert [g["group"] for g in groups] == ["县区", "市属开发区"]
    row = groups[0]["rows"][0]
    assert row["name"] == HEADLINE[0].name
    assert [e["name"] for e in row["first"]] == ["单位A", "单位B"] and row["tied_first"]
    assert [e["name"] for e in row["last"]] == ["单位C"] and not row["tied_last"]
    assert row["last"][0]["rate"] == "10.00%"
    assert row["last"][0]["light"] == {"css": "red", "text": "红", "shape": "■"}
    assert row["first"][0]["href"] == "units/A.html"
    alone = groups[1]["rows"][0]
    assert [e["name"] for e in alone["first"]] == ["单位E"] and alone["last"] == []


def test_demo_home_page_shows_the_latest_months_red_black_list(demo_site: Path):
    latest = json.loads((demo_site / "data" / "2025-12.json").read_text(encoding="utf-8"))
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    for group in GROUPS:
        units = [u for u in latest["units"] if u["group"] == group]
        ranked = {
            ind.key: [u for u in units if u["indicators"][ind.key]["rank"]] for ind in HEADLINE
        }
        if not any(ranked.values()):
            continue
        table = re.search(
            rf'<table class="tb-table tb-standings-table" data-group="{group}">(.*?)</table>',
            html,
            flags=re.S,
        ).group(1)
        for ind in HEADLINE:
            rows = ranked[ind.key]
            if not rows:
                continue
            best = max(u["indicators"][ind.key]["rate"] for u in rows)
            worst = min(u["indicators"][ind.key]["rate"] for u in rows)
            row = re.search(rf'<th scope="row">{ind.name}</th>(.*?)</tr>', table, flags=re.S)
            first, last = re.findall(r'<td class="tb-(?:first|last)">(.*?)</td>', row.group(1))
            for u in rows:
                fig = u["indicators"][ind.key]
                if fig["rate"] == best:
                    assert u["name"] in first and f"{fig['rate'] * 100:.2f}%" in first
                if fig["rate"] == worst and worst != best:
                    assert u["name"] in last
            # lights in words beside the colour
            assert re.search(r"[●▲■] [绿黄红]", first)


def test_archive_shows_all_six_headline_figures():
    figures = {
        "city": {
            ind.key: {"ytd": 12345.6 if ind.unit == "万美元" else 10.0, "rate": 0.25}
            for ind in HEADLINE
        }
    }
    cells = headline_cells(figures, HEADLINE)
    assert len(cells) == 6
    assert "12,345.60万美元（25.00%）" in cells


def test_demo_home_and_archive_keep_the_record_beside_the_readers_features(demo_site: Path):
    """Both sides of the page: the record's 下期计划印发 line, 计划印发 column and calendar
    link stand beside the 红黑榜, the six headline figures and the links to the data."""
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    planned = home.index('class="tb-next-planned"')
    assert "下期计划印发" in home[planned : planned + 200]
    assert planned < home.index('id="standings"') < home.index('id="recent"')

    archive = (demo_site / "bulletins" / "index.html").read_text(encoding="utf-8")
    assert 'href="../calendar.ics"' in archive and 'href="../data/figures.csv"' in archive
    head = re.search(r'<table class="tb-table tb-archive">\s*<thead>(.*?)</thead>', archive, re.S)
    columns = re.findall(r'<th scope="col">(.*?)</th>', head.group(1))
    assert columns == ["期号", "统计期", "计划印发", "印发日期"] + [
        f"{ind.name}（完成率）" for ind in HEADLINE
    ] + ["公文"]
    issued = sorted(p.stem for p in (demo_site / "data").glob("20*.json"))
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", archive, re.S)
    assert len(rows) == len(issued)
    calendar = {
        line.split(",")[0]: line.split(",")[2]
        for line in (REPO / "data" / "calendar.csv")
        .read_text(encoding="utf-8-sig")
        .splitlines()[1:]
    }
    for row in rows:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert len(cells) == 3 + len(HEADLINE)
        period = re.search(r'href="(\d{4}-\d{2})\.html"', row).group(1)
        if calendar.get(period):
            year, month, day = (int(x) for x in calendar[period].split("-"))
            assert cells[1] == f"{year}年{month}月{day}日"
        else:
            assert cells[1] == "—"

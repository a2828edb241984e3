"""Release on the 印发日期: a month whose 印发日期 is after the day of the build is in no
published output and gets no record; from that day on the same inputs publish it exactly
as a build that never held it back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import copy_case

from tongbao import pipeline
from tongbao.compute.release import release_day

ISSUED = date(2024, 4, 20)  # the basic case's 2024-03, moved to a later day


def prepared_early(tmp_path: Path, name: str = "early") -> Path:
    """The basic case with 2024-03 not yet issued: its 印发日期 later, no record yet."""
    root = copy_case("basic", tmp_path / name)
    commentary = root / "content" / "2024-03.md"
    text = commentary.read_text(encoding="utf-8")
    commentary.write_text(text.replace("issued: 2024-04-10", "issued: 2024-04-20"), "utf-8")
    (root / "published" / "2024-03.json").unlink()
    return root


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_release_day_is_the_front_matters_date():
    assert release_day({"issued": "2024年4月20日"}) == ISSUED
    assert release_day({"issued": None}) is None
    assert release_day({}) is None


def test_a_month_before_its_day_is_in_no_output_and_has_no_record(tmp_path: Path):
    root = prepared_early(tmp_path)
    checked = pipeline.build(root, today=date(2024, 4, 19))
    assert not checked.report.errors, checked.report.format()
    assert checked.published == ["2023-03", "2024-01", "2024-02"]
    [notice] = [i for i in checked.report.issues if i.code == "not-yet-released"]
    assert notice.file == "content/2024-03.md"
    assert notice.message == "2024-03 定于 2024-04-20 印发，暂不发布"
    assert not (root / "published" / "2024-03.json").exists()

    files = site_files(root / "site")
    assert "bulletins/2024-03.html" not in files and "data/2024-03.json" not in files
    assert not [f for f in files if "2024-03" in f]
    # no page, feed, sitemap, table or index names it (its period, its label 2024年1—3月)
    naming = [
        f
        for f, content in files.items()
        if not f.startswith("pagefind/")
        for text in (content.decode("utf-8", "ignore"),)
        if "2024-03" in text or "2024年1—3月" in text
    ]
    assert not naming
    latest = files["bulletins/latest.html"].decode("utf-8")
    assert "2024-02.html" in latest
    # the search index holds the released bulletins only: 2023 has its own part, the
    # primary has 2024's two released bulletins, 5 units and the 口径说明
    assert json.loads(files["pagefind/years.json"]) == ["2023"]
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    assert entry["languages"]["zh"]["page_count"] == 2 + 5 + 1


def test_on_its_day_the_same_inputs_publish_it_as_if_never_held_back(tmp_path: Path):
    root = prepared_early(tmp_path)
    pipeline.build(root, today=date(2024, 4, 19))
    checked = pipeline.build(root, today=ISSUED)
    assert not checked.report.errors, checked.report.format()
    assert checked.published == ["2023-03", "2024-01", "2024-02", "2024-03"]
    assert (root / "published" / "2024-03.json").exists()
    record = json.loads((root / "published" / "2024-03.json").read_text(encoding="utf-8"))
    assert record["issued"] == "2024-04-20"

    fresh = prepared_early(tmp_path, "fresh")
    pipeline.build(fresh, today=ISSUED, use_cache=False)
    assert site_files(root / "site") == site_files(fresh / "site")


def test_an_unchanged_project_is_built_again_on_its_release_day(tmp_path: Path):
    """The no-change shortcut keys on the day: the day a month is released is a change."""
    root = prepared_early(tmp_path)
    pipeline.build(root, today=date(2024, 4, 19))
    again = pipeline.build(root, today=date(2024, 4, 19))
    assert "未改动 unchanged" in again.timings
    released = pipeline.build(root, today=ISSUED)
    assert "2024-03" in released.published
    assert (root / "site" / "bulletins" / "2024-03.html").is_file()

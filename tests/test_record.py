"""The record: published/YYYY-MM.json is written once, and later builds are held to it."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.compute.record import compare, make_record, month_files, read_record, record_path

FRONT = "---\nissue: 3\nissued: 2024-04-10\n{revisions}---\n正文：全市签约金额 {{{{ city.signed_amount.ytd | yi }}}}。\n"


def edit_cell(root: Path, old: str, new: str) -> None:
    path = root / "data/2024-03/report.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_revisions(root: Path, *revisions: tuple[str, str]) -> None:
    lines = "".join(f"  - date: {d}\n    note: {n}\n" for d, n in revisions)
    text = FRONT.format(revisions=f"revisions:\n{lines}" if revisions else "")
    (root / "content/2024-03.md").write_text(text, encoding="utf-8")


def test_the_basic_case_ships_its_record_and_a_fresh_build_agrees(basic_root: Path):
    record, problems = read_record(basic_root, "2024-03")
    assert not problems and record is not None
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    assert compare(record["figures"], checked.figures["2024-03"]) == []
    assert record["recorded_on"] == "2024-04-10"  # issued before the record: its 印发日期
    assert checked.issued == {"2024-03": date(2024, 4, 10)}
    # months without an 印发日期 are published but not issued: no record is kept
    assert not record_path(basic_root, "2024-02").exists()


def test_build_writes_a_missing_record_and_check_strict_refuses_without_it(basic_root: Path):
    record_path(basic_root, "2024-03").unlink()
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    missing = [i for i in checked.report.warnings if i.code == "record-missing"]
    assert [i.file for i in missing] == ["published/2024-03.json"]
    assert checked.report.failed(strict=True) and not checked.report.failed()
    # check and a preview (drafts) never write it
    assert not record_path(basic_root, "2024-03").exists()
    pipeline.build(basic_root, today=BASIC_TODAY, drafts=True, site_dir=basic_root / "preview")
    assert not record_path(basic_root, "2024-03").exists()

    # before its 印发日期 the month is held back: no record (tests/test_release.py)
    assert pipeline.build(basic_root, today=date(2024, 4, 9)).recorded == []
    assert not record_path(basic_root, "2024-03").exists()
    built = pipeline.build(basic_root, today=date(2024, 4, 12))  # released on 2024-04-10
    # with the PDF this build published for it (tests/test_issued_pdf.py)
    assert built.recorded == ["published/2024-03.pdf", "published/2024-03.json"]
    record = json.loads(record_path(basic_root, "2024-03").read_text(encoding="utf-8"))
    site_json = json.loads((basic_root / "site/data/2024-03.json").read_text(encoding="utf-8"))
    assert record["figures"] == site_json
    assert record["recorded_on"] == "2024-04-10"  # the 印发日期, whatever the build day
    assert (
        record["files"]["data/2024-03/report.csv"]
        == month_files(basic_root, "2024-03")["data/2024-03/report.csv"]
    )
    assert "全市签约金额 145.00亿元" in record["commentary"]
    # written once: a second build leaves it as it is
    before = record_path(basic_root, "2024-03").read_bytes()
    assert pipeline.build(basic_root, today=BASIC_TODAY, use_cache=False).recorded == []
    assert record_path(basic_root, "2024-03").read_bytes() == before


def test_an_edited_published_cell_stops_the_build_naming_every_changed_figure(basic_root: Path):
    set_revisions(basic_root)  # no revision at all
    edit_cell(basic_root, "甲区,5,40", "甲区,5,46")
    (basic_root / "site").mkdir()
    (basic_root / "site/keep.txt").write_text("上次发布", encoding="utf-8")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    changed = [i for i in checked.report.errors if i.code == "published-changed"]
    assert len(changed) == 1, checked.report.format()
    issue = changed[0]
    assert issue.file == "data/2024-03/report.csv"
    message = issue.message
    assert "2024-03" in message
    # 甲区's YTD 40 → 46 (亿元), and the city's sum over counted units 145 → 151
    assert "甲区签约金额累计 原发布 40.00亿元 → 现为 46.00亿元" in message
    assert "全市签约金额累计 原发布 145.00亿元 → 现为 151.00亿元" in message
    assert "data/2024-03/report.csv" in message and "revisions" in message
    # nothing published
    assert (basic_root / "site/keep.txt").read_text(encoding="utf-8") == "上次发布"
    # a revision dated before the record does not cover it
    set_revisions(basic_root, ("2024-04-01", "早于印发"))
    assert "published-changed" in pipeline.check(basic_root, today=BASIC_TODAY).report.codes()


def test_a_later_revision_lets_the_build_go_on_and_shows_both_values(basic_root: Path):
    record_before = record_path(basic_root, "2024-03").read_bytes()
    set_revisions(basic_root, ("2024-05-06", "甲区更正签约金额"))
    edit_cell(basic_root, "甲区,5,40", "甲区,5,46")
    checked = pipeline.build(basic_root, today=date(2024, 5, 7))
    assert not checked.report.errors, checked.report.format()
    correction = checked.corrections["2024-03"]
    assert correction.revised_on == date(2024, 5, 6) and correction.note == "甲区更正签约金额"
    amounts = {
        (c.unit_id, c.figure): (c.published, c.corrected)
        for c in correction.changes
        if c.indicator == "signed_amount"
    }
    assert amounts[("JQ", "ytd")] == (40, 46)
    assert amounts[("CITY", "ytd")] == (145, 151)
    # the record itself is never rewritten
    assert record_path(basic_root, "2024-03").read_bytes() == record_before
    # the page shows a 更正说明 near the top with both values
    page = (basic_root / "site/bulletins/2024-03.html").read_text(encoding="utf-8")
    box = page[page.index('id="correction"') :]
    assert page.index('id="correction"') < page.index('id="overview"')
    box = box[: box.index("</section>")]
    assert "2024年5月6日更正：甲区更正签约金额" in box
    row = next(r for r in box.split("<tr>") if "甲区" in r and "累计" in r)
    assert "签约金额" in row and "40.00亿元" in row and "46.00亿元" in row
    assert "已更正" in page
    archive = (basic_root / "site/bulletins/index.html").read_text(encoding="utf-8")
    marked = next(r for r in archive.split("<tr>") if "2024-03.html" in r)
    assert "已更正" in marked
    # the PDF shows the correction; the 原版 PDF, made again from the record, does not
    import pdfplumber

    def pdf_text(name: str) -> str:
        with pdfplumber.open(basic_root / "site/bulletins" / name) as pdf:
            return "".join(page.extract_text() or "" for page in pdf.pages)

    corrected, original = pdf_text("2024-03.pdf"), pdf_text("2024-03-original.pdf")
    assert "更正说明" in corrected and "46.00" in corrected
    assert "更正说明" not in original and "全市签约金额 145.00亿元" in original.replace("\n", "")
    assert "46.00" not in original and "40.00" in original
    assert 'href="2024-03-original.pdf"' in page
    feed = (basic_root / "site/feed.xml").read_text(encoding="utf-8")
    entry = next(e for e in feed.split("<entry>") if "2024-03.html" in e)
    assert "已更正" in entry and "<updated>2024-05-06T00:00:00Z</updated>" in entry
    assert "<published>2024-04-10T00:00:00Z</published>" in entry


def test_a_broken_record_is_an_error_naming_it(basic_root: Path):
    record_path(basic_root, "2024-03").write_text("{不是 JSON", encoding="utf-8")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    broken = [i for i in report.errors if i.code == "bad-record"]
    assert [i.file for i in broken] == ["published/2024-03.json"]
    assert "git checkout" in broken[0].message


def test_compare_is_exact_but_for_float_noise():
    figures = {
        "city": {"signed_amount": {"ytd": 145.0, "rate": 0.1}},
        "units": [
            {
                "unit_id": "JQ",
                "name": "甲区",
                "reported": True,
                "indicators": {"signed_amount": {"ytd": 40.0, "rank": 1, "light": "green"}},
            }
        ],
    }
    same = json.loads(json.dumps(figures))
    same["city"]["signed_amount"]["rate"] = 0.1 + 1e-15
    assert compare(figures, same) == []
    other = json.loads(json.dumps(figures))
    other["units"][0]["reported"] = False
    other["units"][0]["indicators"]["signed_amount"] = {"ytd": None, "rank": None, "light": None}
    changes = compare(figures, other)
    assert [(c.figure, c.show(c.published), c.show(c.corrected)) for c in changes] == [
        ("reported", "已报送", "未报送"),
        ("ytd", "40.00亿元", "—"),
        ("rank", "第1位", "—"),
        ("light", "绿", "—"),
    ]


def test_record_bytes_are_stable_and_sealed():
    figures = {"period": "2024-03", "issue": 3, "issued": "2024-04-10", "city": {}, "units": []}

    def made() -> bytes:
        return make_record(
            "2024-03",
            figures,
            title="测试市招商引资工作通报",
            commentary="正文",
            files={},
            recorded_on=date(2024, 4, 10),
        )

    one, two = made(), made()
    record = json.loads(one)
    assert one == two and record["figures"] == figures
    assert record["title"] == "测试市招商引资工作通报"
    # the seal is the SHA-256 of the canonical record without it, computed here afresh
    content = {k: v for k, v in record.items() if k != "seal"}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert record["seal"] == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _older_bulletin_files(site: Path, periods: list[str]) -> dict[str, str]:
    """Every file of the given bulletins: page, figures JSON, downloads, documents."""
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and any(p in rel for p in periods) and "pagefind" not in rel:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def test_adding_a_month_changes_no_older_bulletin_but_the_previous_latest(tmp_path: Path):
    import shutil

    from conftest import REPO

    root = tmp_path / "demo"
    for name in ("data", "content", "published", "templates"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    months = sorted(p.name for p in (root / "data").iterdir() if p.name[:2] == "20")
    last, previous = months[-1], months[-2]
    held = tmp_path / "held"
    held.mkdir()
    shutil.move(root / "data" / last, held / "data")
    shutil.move(root / "content" / f"{last}.md", held / "content.md")
    shutil.move(root / "published" / f"{last}.json", held / "record.json")

    assert not pipeline.build(root).report.errors
    older = months[:-1]
    before = _older_bulletin_files(root / "site", older)
    assert f"bulletins/{previous}.html" in before and f"data/{previous}.json" in before
    assert len([f for f in before if f.startswith("downloads/")]) > 10

    shutil.move(held / "data", root / "data" / last)
    shutil.move(held / "content.md", root / "content" / f"{last}.md")
    shutil.move(held / "record.json", root / "published" / f"{last}.json")
    assert not pipeline.build(root).report.errors
    after = _older_bulletin_files(root / "site", older)
    changed = sorted(f for f in before if before[f] != after.get(f))
    assert changed == [f"bulletins/{previous}.html"]
    latest = (root / "site/bulletins/latest.html").read_text(encoding="utf-8")
    assert f'url={last}.html"' in latest


def test_a_build_that_writes_records_is_followed_by_a_no_change_build(basic_root: Path):
    record_path(basic_root, "2024-03").unlink()
    first = pipeline.build(basic_root, today=BASIC_TODAY)
    assert first.recorded == ["published/2024-03.pdf", "published/2024-03.json"]
    assert "record-missing" not in first.report.codes()  # answered by the record written
    again = pipeline.build(basic_root, today=BASIC_TODAY)
    assert "未改动 unchanged" in again.timings, again.timings
    assert "record-missing" not in again.report.codes()


def test_a_correction_carries_into_the_later_months_it_moves(basic_root: Path):
    """Correcting February's YTD changes March's 本月 (March YTD less February's): March's
    files are untouched, so it shows the change under February's revision."""
    record_path(basic_root, "2024-03").unlink()
    set_revisions(basic_root)  # March has no revision of its own
    (basic_root / "content/2024-02.md").write_text(
        "---\nissue: 2\nissued: 2024-03-11\nunreported: [乙区]\n---\n正文。\n", encoding="utf-8"
    )
    assert pipeline.build(basic_root, today=BASIC_TODAY).recorded == [
        "published/2024-02.pdf",
        "published/2024-02.json",
        "published/2024-03.pdf",
        "published/2024-03.json",
    ]
    path = basic_root / "data/2024-02/report.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    jia = next(i for i, line in enumerate(lines) if line.startswith("甲区,"))
    cells = lines[jia].split(",")
    cells[2] = str(float(cells[2]) - 5)  # 甲区 签约金额 YTD in February, 5 亿元 less
    lines[jia] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # without a revision both stop the build, and both name the file that moved them:
    # March's own files did not change, February's report (which March's record hashed) did
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    changed = [i for i in report.errors if i.code == "published-changed"]
    assert [i.file for i in changed] == ["data/2024-02/report.csv"] * 2
    assert changed[1].message.startswith("2024-03 ")
    assert "改动的文件：data/2024-02/report.csv。" in changed[1].message
    assert "未改动" not in changed[1].message
    (basic_root / "content/2024-02.md").write_text(
        "---\nissue: 2\nissued: 2024-03-11\nunreported: [乙区]\nrevisions:\n"
        "  - date: 2024-04-12\n    note: 甲区核减2月签约金额5亿元\n---\n正文。\n",
        encoding="utf-8",
    )
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    march = checked.corrections["2024-03"]
    assert march.follows == "2024-02" and "甲区核减2月签约金额5亿元" in march.note
    month = {(c.unit_id, c.figure) for c in march.changes if c.indicator == "signed_amount"}
    assert ("JQ", "month") in month and ("JQ", "ytd") not in month

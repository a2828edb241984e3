"""Every way a hurried clerk can change or remove what was issued: refused, naming the
month and what changed, with the site left as it was; or, with a dated revision or
withdrawal, shown on the page as a 更正说明 or an 已撤回 notice.

The basic case (tests/cases/basic) issued March 2024 (2024年第3期, 印发 2024-04-10)
and ships its record, published/2024-03.json.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.compute.record import record_path, seal_of
from tongbao.compute.revisions import sentences, text_changes

MARCH = "content/2024-03.md"


def refused(root: Path, code: str) -> list:
    """Build with a previous site in place: the build stops with `code` and the site is
    untouched. Returns the issues of that code."""
    site = root / "site"
    site.mkdir(exist_ok=True)
    (site / "keep.txt").write_text("上次发布", encoding="utf-8")
    checked = pipeline.build(root, today=BASIC_TODAY)
    found = [i for i in checked.report.errors if i.code == code]
    assert found, checked.report.format()
    assert sorted(p.name for p in site.iterdir()) == ["keep.txt"]
    assert not (root / "published/2024-02.json").exists()
    return found


def check_codes(root: Path) -> dict[str, list]:
    report = pipeline.check(root, today=BASIC_TODAY).report
    found: dict[str, list] = {}
    for issue in report.errors:
        found.setdefault(issue.code, []).append(issue)
    return found


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


REVISION = "revisions:\n  - date: 2024-04-20\n    note: 丙县核减签约金额0.50亿元\n"


def revise(root: Path, *entry: str) -> None:
    """March's revisions: none, or one (date, note). The case ships one dated after the
    record (for its 核减), which would allow any change."""
    new = f"revisions:\n  - date: {entry[0]}\n    note: {entry[1]}\n" if entry else ""
    edit(root, MARCH, REVISION, new)


def page(root: Path, period: str = "2024-03") -> str:
    return (root / f"site/bulletins/{period}.html").read_text(encoding="utf-8")


def section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start : html.index("</section>", start)]


# --- removing an issued month -----------------------------------------------------


def test_making_an_issued_month_a_draft_is_refused_naming_it(basic_root: Path):
    edit(basic_root, MARCH, "issued: 2024-04-10\n", "issued: 2024-04-10\ndraft: true\n")
    [issue] = refused(basic_root, "issued-removed")
    assert issue.file == MARCH
    assert issue.message.startswith("2024-03（2024年第3期）已于 2024-04-10 印发")
    assert "草稿（draft: true）" in issue.message and "withdrawn" in issue.message


def test_deleting_the_issue_date_is_refused(basic_root: Path):
    edit(basic_root, MARCH, "issued: 2024-04-10\n", "")
    [issue] = check_codes(basic_root)["issued-removed"]
    assert issue.file == MARCH and "删去了印发日期（issued）" in issue.message
    assert "草稿" not in issue.message


def test_deleting_the_commentary_is_refused_naming_the_record(basic_root: Path):
    (basic_root / MARCH).unlink()
    [issue] = refused(basic_root, "issued-removed")
    assert issue.file == "published/2024-03.json"
    assert "评述文件 content/2024-03.md 不在了" in issue.message


def test_deleting_the_data_folder_is_refused(basic_root: Path):
    shutil.rmtree(basic_root / "data/2024-03")
    [issue] = check_codes(basic_root)["issued-removed"]
    assert issue.file == MARCH and "数据文件夹 data/2024-03/ 不在了" in issue.message


def test_a_record_whose_month_is_gone_altogether_is_an_error(basic_root: Path):
    shutil.rmtree(basic_root / "data/2024-03")
    (basic_root / MARCH).unlink()
    found = check_codes(basic_root)
    [issue] = found["issued-removed"]
    assert issue.file == "published/2024-03.json"
    assert "评述文件" in issue.message and "数据文件夹" in issue.message


# --- changing what was issued -----------------------------------------------------


def test_edited_commentary_text_is_refused_naming_the_sentences_and_the_file(basic_root: Path):
    revise(basic_root)
    edit(basic_root, MARCH, "甲区签约金额{{", "甲区签约金额位居前列，{{")
    [issue] = refused(basic_root, "published-changed")
    assert issue.file == MARCH
    assert "评述 原文“甲区签约金额并列第1位。” → 现为“甲区签约金额位居前列，并列第1位。”" in (
        issue.message
    )
    assert "改动的文件：content/2024-03.md。" in issue.message
    # the unchanged sentence is not listed
    assert "全市签约金额 145.00亿元" not in issue.message


def test_a_revised_text_shows_only_the_changed_sentences(basic_root: Path):
    edit(basic_root, MARCH, "甲区签约金额{{", "甲区签约金额位居前列，{{")
    revise(basic_root, "2024-04-12", "补充评述")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    correction = checked.corrections["2024-03"]
    assert correction.changes == () and correction.details == ()
    assert [(t.before, t.after) for t in correction.text] == [
        ("甲区签约金额并列第1位。", "甲区签约金额位居前列，并列第1位。")
    ]
    box = section(page(basic_root), "correction")
    assert "2024年4月12日更正：补充评述" in box
    assert "原文：" in box and "甲区签约金额并列第1位。" in box
    assert "更正后：" in box and "甲区签约金额位居前列，并列第1位。" in box
    assert "145.00亿元" not in box  # the unchanged sentence is not repeated
    assert "<table" not in box  # no figure changed: no table of figures


def test_a_changed_issue_number_and_date_need_a_revision_and_show_as_lines(basic_root: Path):
    revise(basic_root)
    edit(basic_root, MARCH, "issue: 3\nissued: 2024-04-10\n", "issue: 4\nissued: 2024-04-11\n")
    [issue] = check_codes(basic_root)["published-changed"]
    assert "期号 原发布 2024年第3期 → 现为 2024年第4期" in issue.message
    assert "印发日期 原发布 2024年4月10日 → 现为 2024年4月11日" in issue.message
    assert issue.file == MARCH
    edit(
        basic_root,
        MARCH,
        "---\n##",
        "revisions:\n  - date: 2024-04-12\n    note: 期号有误\n---\n##",
    )
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    box = section(page(basic_root), "correction")
    lines = box[box.index('class="tb-correction-details"') :]
    assert '期号：原发布 <span class="tb-was">2024年第3期</span>' in lines
    assert '更正后 <span class="tb-now">2024年第4期</span>' in lines
    assert '印发日期：原发布 <span class="tb-was">2024年4月10日</span>' in lines


def test_a_changed_title_is_refused_naming_the_settings(basic_root: Path):
    revise(basic_root)
    edit(
        basic_root, "mkdocs.yml", "bulletin_title: 招商引资工作通报", "bulletin_title: 投资促进通报"
    )
    [issue] = check_codes(basic_root)["published-changed"]
    assert "标题 原发布 测试市招商引资工作通报 → 现为 测试市投资促进通报" in issue.message
    # the case's revision was taken out of March's commentary, so that file changed too
    assert "改动的文件：content/2024-03.md、mkdocs.yml。" in issue.message


def test_a_change_from_last_year_names_last_years_file(basic_root: Path):
    """Last March's 签约金额 moves this March's 同比: March's own files are unchanged."""
    revise(basic_root)
    edit(basic_root, "data/2023-03/report.csv", "乙区,5,50", "乙区,5,55")
    [issue] = refused(basic_root, "published-changed")
    assert issue.file == "data/2023-03/report.csv"
    assert "全市签约金额同比" in issue.message
    assert "改动的文件：data/2023-03/report.csv、content/2024-03.md。" in issue.message
    assert "未改动" not in issue.message


# --- the record itself --------------------------------------------------------------


def test_a_hand_edited_record_is_bad_record_even_when_it_still_parses(basic_root: Path):
    path = record_path(basic_root, "2024-03")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["seal"] == seal_of(record)
    record["figures"]["city"]["signed_amount"]["ytd"] = 150.0  # the figure "made right"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    [issue] = refused(basic_root, "bad-record")
    assert issue.file == "published/2024-03.json" and "seal" in issue.message
    # a record without its seal (the format before seals) is refused the same way
    del record["seal"]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    [issue] = check_codes(basic_root)["bad-record"]
    assert issue.file == "published/2024-03.json" and "没有自带的摘要（seal）" in issue.message


# --- withdrawal ---------------------------------------------------------------------

WITHDRAWN = "withdrawn:\n  date: 2024年4月14日\n  reason: 数据口径有误，另行印发\n"


def test_a_withdrawn_month_keeps_its_page_as_issued_with_the_notice(basic_root: Path):
    record_before = record_path(basic_root, "2024-03").read_bytes()
    # withdrawn, and its data taken away and its text rewritten: the page stays as issued
    edit(basic_root, MARCH, "issued: 2024-04-10\n", f"issued: 2024-04-10\ndraft: true\n{WITHDRAWN}")
    edit(basic_root, MARCH, "## 一、总体情况", "## 一、总体情况\n\n（已撤回）")
    shutil.rmtree(basic_root / "data/2024-03")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    assert checked.withdrawn["2024-03"].on == date(2024, 4, 14)
    html = page(basic_root)
    notice = section(html, "withdrawn")
    assert html.index('id="withdrawn"') < html.index('id="overview"')
    assert "本期通报已于2024年4月14日撤回：数据口径有误，另行印发。" in notice
    # as issued: the record's commentary and figures, not the rewritten text
    assert "全市签约金额 145.00亿元" in html and "（已撤回）" not in html
    assert "这不是最新一期" in html
    # as issued: the revision written after its record is not listed (nor in the PDF)
    assert "丙县核减签约金额0.50亿元" not in html
    # not the latest: the stable address, the home page and its 红黑榜 are February's
    latest = (basic_root / "site/bulletins/latest.html").read_text(encoding="utf-8")
    assert 'url=2024-02.html"' in latest
    home = (basic_root / "site/index.html").read_text(encoding="utf-8")
    assert "2024年1—2月" in home[home.index('id="latest"') :][:400]
    assert "这不是最新一期" not in page(basic_root, "2024-02")
    archive = (basic_root / "site/bulletins/index.html").read_text(encoding="utf-8")
    row = next(r for r in archive.split("<tr>") if "2024-03.html" in r)
    assert "已撤回" in row
    # its figures are no longer current: not in the archive's table of every figure
    table = (basic_root / "site/data/figures.csv").read_text(encoding="utf-8-sig")
    assert "\n2024-02," in table and "2024-03" not in table
    feed = (basic_root / "site/feed.xml").read_text(encoding="utf-8")
    entry = next(e for e in feed.split("<entry>") if "2024-03.html" in e)
    assert "（已撤回）" in entry
    # its figures as issued are still its JSON; the record is never rewritten
    data = json.loads((basic_root / "site/data/2024-03.json").read_text(encoding="utf-8"))
    assert data["city"]["signed_amount"]["ytd"] == 145.0
    assert record_path(basic_root, "2024-03").read_bytes() == record_before
    import pdfplumber

    with pdfplumber.open(basic_root / "site/bulletins/2024-03.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")
    assert "全市签约金额 145.00亿元" in text  # the PDF as issued
    assert "丙县核减" not in text


def test_a_month_withdrawn_before_it_had_a_record_is_shown_as_it_reads(basic_root: Path):
    """Issued before tongbao kept records: no record is written for it, nor asked for."""
    record_path(basic_root, "2024-03").unlink()
    edit(basic_root, MARCH, "issued: 2024-04-10\n", f"issued: 2024-04-10\n{WITHDRAWN}")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors and "record-missing" not in checked.report.codes()
    assert checked.recorded == [] and not record_path(basic_root, "2024-03").exists()
    assert "数据口径有误，另行印发" in section(page(basic_root), "withdrawn")
    assert checked.withdrawn["2024-03"].record is None


def test_a_withdrawal_needs_a_reason_and_a_real_date(basic_root: Path):
    edit(basic_root, MARCH, "issued: 2024-04-10\n", "issued: 2024-04-10\ndraft: true\n")
    edit(basic_root, MARCH, "draft: true\n", "draft: true\nwithdrawn:\n  date: 2024-04-31\n")
    found = check_codes(basic_root)
    assert [i.row for i in found["bad-front-matter"]] == [5]
    # the month's front matter is unreadable, so that error alone stops the build
    assert "issued-removed" not in found


# --- sentences ----------------------------------------------------------------------


def test_sentences_split_after_full_stops_and_at_line_ends():
    text = "## 一、总体情况\n\n全市签约17个。增长较快！是否持续？有待观察\n下一段。"
    assert sentences(text) == [
        "## 一、总体情况",
        "全市签约17个。",
        "增长较快！",
        "是否持续？",
        "有待观察",
        "下一段。",
    ]
    changes = text_changes(text, text.replace("增长较快！", "增长平稳！").replace("下一段。", ""))
    assert [(c.before, c.after) for c in changes] == [
        ("增长较快！", "增长平稳！"),
        ("下一段。", ""),
    ]
    assert text_changes(text, text) == ()
    # two neighbouring sentences rewritten: each its own change
    both = text.replace("增长较快！是否持续？", "增长平稳！能否持续？")
    assert [(c.before, c.after) for c in text_changes(text, both)] == [
        ("增长较快！", "增长平稳！"),
        ("是否持续？", "能否持续？"),
    ]
    # one sentence split in two: shown as one change
    split = text.replace("全市签约17个。", "全市签约。共17个。")
    assert [(c.before, c.after) for c in text_changes(text, split)] == [
        ("全市签约17个。", "全市签约。 共17个。")
    ]

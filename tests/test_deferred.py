"""MkDocs does not wait for the charts (site.Deferred): the pages are rendered with each
chart's placeholder while the SVGs are drawn, Pagefind indexes them meanwhile, and the
charts and the documents made with them (a new month's PDF and Word) go in after.
Whatever the order, the published site is whole: every chart in place, no stand-in file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BASIC_TODAY
from test_reuse import bring_back, hold_back

from tongbao import document, pipeline
from tongbao.publish import reuse, search_source, site
from tongbao.publish.site import tree_digest


def html_pages(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*.html")
    }


def test_a_new_month_is_published_whole_after_mkdocs_ran_without_its_charts(
    basic_root: Path, tmp_path: Path
):
    aside = tmp_path / "aside"
    hold_back(basic_root, aside, "2024-03")
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    bring_back(basic_root, aside, "2024-03")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors
    stages = list(checked.timings)
    # MkDocs ran before the new charts were waited for and the new PDF made
    assert stages.index("MkDocs") < stages.index("绘制 SVG") < stages.index("公文 PDF/Word")

    built = basic_root / "site"
    pages = html_pages(built)
    assert not [p for p, html in pages.items() if "tb-inline:" in html]  # no placeholder left
    new = pages["bulletins/2024-03.html"]
    assert new.count("<svg") >= 3 and 'role="img"' in new  # its charts, labelled
    unit = next(html for p, html in pages.items() if p.startswith("units/") and "<svg" in html)
    assert "<svg" in unit
    for name in ("2024-03.pdf", "2024-03.docx"):
        data = (built / "bulletins" / name).read_bytes()
        assert len(data) > 1000, name  # made, not the stand-in MkDocs saw
    assert (built / "bulletins/2024-03.pdf").read_bytes().startswith(b"%PDF")

    # the same site as a build that never deferred anything would publish: a cold one
    cold = tmp_path / "cold"
    shutil.copytree(basic_root, cold, ignore=shutil.ignore_patterns(".tongbao-cache", "site"))
    assert not pipeline.build(cold, today=BASIC_TODAY, use_cache=False).report.errors
    assert tree_digest(built) == tree_digest(cold / "site")


def test_a_document_not_made_fails_the_build_and_the_published_site_stays(
    basic_root: Path, monkeypatch
):
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    published = tree_digest(basic_root / "site")
    # a new text: a new PDF to make (February's: March's text is held to its record)
    commentary = basic_root / "content/2024-02.md"
    commentary.write_text("---\nunreported: [乙区]\n---\n补充。\n", encoding="utf-8")
    monkeypatch.setattr(document, "bulletin_files", lambda *args, **kwargs: {})
    with pytest.raises(site.BuildFailed, match="2024-02.pdf"):
        pipeline.build(basic_root, today=BASIC_TODAY)
    assert tree_digest(basic_root / "site") == published  # no stand-in published


def test_a_page_cut_before_its_charts_are_in_is_cut_as_after(basic_site: Path):
    """Pagefind reads the pages while the charts are drawn: a chart's placeholder is cut
    away as its SVG would be."""
    filled = (basic_site / "bulletins/2024-03.html").read_text(encoding="utf-8")
    start = filled.index("<svg")
    end = filled.index("</svg>", start) + len("</svg>")
    waiting = filled[:start] + "<!--tb-inline:" + "0" * 20 + "-->" + filled[end:]
    assert search_source.cut(waiting) == search_source.cut(filled)


def test_pages_filled_after_cutting_are_not_cut_again_next_build(basic_root: Path, monkeypatch):
    """The pages get their charts after Pagefind's copies are cut (`search_source.settled`):
    the next build, which links them from the published site, cuts only what changed."""
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    commentary = basic_root / "content/2024-03.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    cut = search_source.cut
    seen: list[str] = []

    def counted(html: str) -> str:
        seen.append(html[html.index("<title>") : html.index("</title>")])
        return cut(html)

    monkeypatch.setattr(search_source, "cut", counted)
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    assert len(seen) == 1 and "2024" in seen[0]  # the edited bulletin alone


def test_a_chart_not_yet_drawn_counts_in_its_pages_digest_by_its_key():
    page = "# 标题\n\n<!--tb-inline:" + "a" * 20 + "-->\n"
    other = "# 标题\n\n<!--tb-inline:" + "b" * 20 + "-->\n"
    one = reuse.digests({"p.md": page}, {})
    assert one == reuse.digests({"p.md": page}, {})
    assert one["p.md"] != reuse.digests({"p.md": other}, {})["p.md"]

"""Reusing the published site: MkDocs renders only what changed (tongbao/publish/reuse.py).

An unchanged file of the new site is the published file itself, hard-linked (the same
inode); a changed one is written anew. Whatever is reused, the site equals a cold build
(tests/test_cache.py), and a build that fails leaves the published site as it was."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.cache import CACHE_DIR
from tongbao.publish import reuse, search_source, site
from tongbao.publish.site import tree_digest


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def made(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def hold_back(root: Path, aside: Path, period: str) -> None:
    aside.mkdir(exist_ok=True)
    for rel in (f"data/{period}", f"content/{period}.md", f"published/{period}.json"):
        if (root / rel).exists():
            (root / rel).rename(aside / Path(rel).name)


def bring_back(root: Path, aside: Path, period: str) -> None:
    for name, rel in (
        (period, f"data/{period}"),
        (f"{period}.md", f"content/{period}.md"),
        (f"{period}.json", f"published/{period}.json"),
    ):
        if (aside / name).exists():
            (aside / name).rename(root / rel)


def test_adding_a_month_renders_only_what_changed(basic_root: Path, tmp_path: Path):
    aside = tmp_path / "aside"
    hold_back(basic_root, aside, "2024-03")
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    before = inodes(basic_root / "site")
    made_before = made(basic_root / "site")
    bring_back(basic_root, aside, "2024-03")
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    after = inodes(basic_root / "site")
    made_after = made(basic_root / "site")

    # an issued bulletin two months back, its data and downloads, the definitions and
    # the theme's files: the published files themselves
    for same in (
        "bulletins/2023-03.html",
        "data/2023-03.json",
        "about.html",
        "assets/tongbao.css",
        "assets/vendor/vega-bundle.js",
    ):
        assert after[same] == before[same], same
    assert any(p.startswith("assets/javascripts/") and after[p] == before[p] for p in after)
    # the home page, the archive, the previous latest (its pager) and every unit page
    # (their history gained a month) were rendered again; the search index too
    for remade in ("index.html", "bulletins/index.html", "bulletins/2024-02.html"):
        assert after[remade] != before[remade], remade
    assert "bulletins/2024-03.html" in after and "bulletins/2024-03.html" not in before
    # the search index's primary part was made again; the issued year's part is kept
    # (copied into each site as made: dated when Pagefind made it)
    year = [p for p in after if p.startswith("pagefind/years/2023/")]
    assert year and all(made_after[p] == made_before[p] for p in year)
    assert all(
        made_after[p] > made_before[p]
        for p in after
        if p.startswith("pagefind/") and not p.startswith("pagefind/years/") and p in before
    )


def test_a_changed_mkdocs_yml_renders_every_page_again(basic_root: Path):
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    before = inodes(basic_root / "site")
    config = basic_root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("copyright: ", "copyright: 新版权 "),
        encoding="utf-8",
    )
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    after = inodes(basic_root / "site")
    pages = [p for p in after if p.endswith(".html")]
    assert all(after[p] != before.get(p) for p in pages)
    assert "新版权" in (basic_root / "site/bulletins/2023-03.html").read_text(encoding="utf-8")


def test_a_touched_site_is_not_trusted(basic_root: Path):
    """Someone edited site/: the manifest no longer describes it, so nothing is linked."""
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    about = basic_root / "site/about.html"
    about.write_text(about.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    commentary = basic_root / "content/2024-03.md"  # and a real change, so it builds
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    before = inodes(basic_root / "site")
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    after = inodes(basic_root / "site")
    assert "edited" not in about.read_text(encoding="utf-8")
    assert all(after[p] != before.get(p) for p in after)


def test_a_strict_build_reuses_without_mkdocs_dirty_warning(tmp_path: Path, caplog):
    """MkDocs warns of every `dirty` build, which --strict would count as a failure."""
    from conftest import REPO

    from tongbao.pages.tree import Tree

    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    def build(second: str) -> dict[str, int]:
        tree = Tree()
        tree.add("index.md", "# 首页\n\n<div>表</div>\n")
        tree.add("about.md", "# 口径\n")
        tree.add("other.md", f"# 其他\n\n{second}\n")
        staged = site.stage_site(
            root,
            tree,
            site_dir=root / "site",
            work_dir=root / "work",
            nav=[{"首页": "index.md"}, {"口径": "about.md"}, {"其他": "other.md"}],
            strict=True,
        )
        site.finish_site(staged, charts={}, files={})
        return inodes(root / "site")

    before = build("第一版")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        after = build("第二版")
    assert reuse.DIRTY_NOTICE not in caplog.text
    assert after["about.html"] == before["about.html"]
    assert after["other.html"] != before["other.html"]
    assert "第二版" in (root / "site/other.html").read_text(encoding="utf-8")


def test_a_failed_build_after_linking_leaves_the_published_site(basic_root: Path, monkeypatch):
    """Linked files are shared with the published site: nothing may write through them."""
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    published = tree_digest(basic_root / "site")
    commentary = basic_root / "content/2024-03.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")

    def broken(*args: object) -> None:
        raise search_source.IndexFailed("索引失败（测试）")

    monkeypatch.setattr(search_source, "index_search", broken)
    with pytest.raises(site.BuildFailed):
        pipeline.build(basic_root, today=BASIC_TODAY)
    assert tree_digest(basic_root / "site") == published
    assert not list(basic_root.glob(".site.building-*"))


def test_a_page_linking_to_an_added_file_is_rendered_again():
    """A Markdown link to a file that did not exist resolves once it does: that page must
    change. Raw HTML links are not MkDocs' to resolve: those pages stay as they are."""
    files = {"guide.md": "d1", "about.md": "d2", "raw.md": "d4", "new.pdf": "d3"}
    tree = {
        "guide.md": '见 [附件](../files/new.pdf "附件")',
        "about.md": "口径，另见[附件][a]\n\n[a]: new.pdf",
        "raw.md": '<p><a href="new.pdf">原样 HTML：MkDocs 不解析</a></p>',
        "new.pdf": b"%PDF",
    }
    old = {"guide.md": "d1", "about.md": "d2", "raw.md": "d4"}
    previous = reuse.Manifest("ctx", "state", old)
    assert reuse.unchanged(previous, "ctx", "state", files, tree) == {"raw.md"}
    # and nothing at all when the context or the published folder differ
    assert reuse.unchanged(previous, "other", "state", files, tree) == set()
    assert reuse.unchanged(previous, "ctx", "touched", files, tree) == set()
    assert reuse.unchanged(None, "ctx", "state", files, tree) == set()


def test_digests_cover_the_html_blocks_a_page_shows():
    page = "# 标题\n\n<!--tb-inline:" + "a" * 20 + "-->\n"
    inner = "<div><!--tb-inline:" + "b" * 20 + "--></div>"
    one = reuse.digests({"p.md": page}, {"a" * 20: inner, "b" * 20: "<svg>1</svg>"})
    two = reuse.digests({"p.md": page}, {"a" * 20: inner, "b" * 20: "<svg>2</svg>"})
    assert one["p.md"] != two["p.md"]  # a chart inside a block changed: the page did


def test_preview_and_build_keep_manifests_apart(basic_root: Path, tmp_path: Path):
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    other = tmp_path / "preview-site"
    assert not pipeline.build(basic_root, today=BASIC_TODAY, site_dir=other).report.errors
    work = basic_root / CACHE_DIR / "build"
    assert reuse.load(work, basic_root / "site") is not None
    assert reuse.load(work, other) is not None
    shutil.rmtree(other)
    assert reuse.load(work, basic_root / "site").state == site.keys.site_state(basic_root / "site")


def test_the_search_index_from_cut_pages_is_the_index_of_the_site(basic_site: Path, tmp_path):
    """Pagefind reads the pages cut down to head and article (search_source.py), one index
    a part: each must be the index Pagefind makes from the same published pages
    themselves, byte for byte."""
    import subprocess

    indexed = [
        p.relative_to(basic_site).as_posix()
        for pattern in search_source.INDEXED
        for p in basic_site.glob(pattern)
    ]
    # the basic project issues 2023-03 and 2024's first months: 2023 is a part of its own
    parts = {
        "pagefind/years/2023": [r for r in indexed if r.startswith("bulletins/2023-")],
        "pagefind": [r for r in indexed if not r.startswith("bulletins/2023-")],
    }
    assert parts["pagefind/years/2023"] == ["bulletins/2023-03.html"]
    assert "about.html" in parts["pagefind"]
    for bundle, pages in parts.items():
        full = tmp_path / bundle.replace("/", "-")
        for rel in pages:
            (full / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(basic_site / rel, full / rel)
        done = subprocess.run(search_source.pagefind_command(full), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        published = {
            p.relative_to(basic_site / bundle).as_posix(): p.read_bytes()
            for p in (basic_site / bundle).rglob("*")
            if p.is_file() and p.relative_to(basic_site / bundle).parts[0] != "years"
        }
        published.pop("years.json", None)
        made = {
            p.relative_to(full / "pagefind").as_posix(): p.read_bytes()
            for p in (full / "pagefind").rglob("*")
            if p.is_file()
        }
        if bundle == "pagefind":
            assert published == made
        else:  # a year's part: its index, not Pagefind's scripts again
            assert published and all(made[rel] == data for rel, data in published.items())
            assert "pagefind.js" in made and "pagefind.js" not in published
    years = (basic_site / "pagefind" / "years.json").read_text(encoding="utf-8")
    assert json.loads(years) == ["2023"]

    # a page changed since: cut again; a page gone: its copy too
    cut = tmp_path / "cut"
    shutil.copytree(basic_site, cut, ignore=shutil.ignore_patterns("pagefind"))
    first = {p.name: p for p in search_source.prepare(cut, tmp_path / "work")}
    bulletin = (first["2023"].pages / "bulletins/2023-03.html").read_text(encoding="utf-8")
    assert "<svg" not in bulletin and "<script" not in bulletin and "<article" in bulletin
    assert len(bulletin) < (cut / "bulletins/2023-03.html").stat().st_size / 2
    page = cut / "units" / sorted(p.name for p in (cut / "units").glob("*.html"))[0]
    page.write_text(
        page.read_text(encoding="utf-8").replace("</article>", "<p>新增一句</p></article>"),
        encoding="utf-8",
    )
    (cut / "about.html").unlink()
    again = {p.name: p for p in search_source.prepare(cut, tmp_path / "work")}
    live = again[search_source.PRIMARY].pages
    assert "新增一句" in (live / "units" / page.name).read_text(encoding="utf-8")
    assert not (live / "about.html").exists()
    # only the primary part changed: the year's index is kept
    assert again["2023"].digest == first["2023"].digest
    assert again[search_source.PRIMARY].digest != first[search_source.PRIMARY].digest

"""The cache can never serve a stale figure: an incremental build equals a cold one,
and changing one cell changes exactly the outputs that depend on it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import BASIC_TODAY

from tongbao import keys, pipeline


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def edit_cell(root: Path) -> None:
    """丙县's January 签约金额: 0 → 2 亿元 (one cell of one month's file)."""
    path = root / "data/2024-01/report.csv"
    text = (
        path.read_text(encoding="utf-8")
        .replace("丙县,0,0", "丙县,0,2")
        .replace("合计,6,40", "合计,6,42")
    )
    path.write_text(text, encoding="utf-8")


def test_one_cell_changes_exactly_its_dependants_and_matches_a_cold_build(
    basic_root: Path, tmp_path: Path
):
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    before = files(basic_root / "site")
    cold_root = tmp_path / "cold"
    shutil.copytree(basic_root, cold_root, ignore=shutil.ignore_patterns(".tongbao-cache", "site"))

    edit_cell(basic_root)
    checked = pipeline.build(basic_root, today=BASIC_TODAY)  # warm cache
    assert "未改动 unchanged" not in checked.timings
    after = files(basic_root / "site")
    edit_cell(cold_root)
    pipeline.build(cold_root, today=BASIC_TODAY, use_cache=False)
    assert after == files(cold_root / "site"), "the cache served something a cold build does not"

    changed = {path for path in after if before.get(path) != after[path]}
    # January itself, February's 本月 (like for like), the year's cumulative lines,
    # 丙县's page, the archive's headline figures, the feed summary and the search index
    assert {
        "bulletins/2024-01.html",
        "data/2024-01.json",
        "data/2024-02.json",
        "units/BX.html",
        "bulletins/index.html",
        "feed.xml",
    } <= changed
    allowed = (
        "bulletins/2024-0",
        "data/2024-0",
        "downloads/2024-0",
        "downloads/units/BX/",
        "units/BX.html",
        "bulletins/index.html",
        "index.html",
        "feed.xml",
        "pagefind/",
        "data/figures.",  # the archive as data: every month's figures
        "search/offline-index.js",  # the search from disk: every bulletin's text
    )
    assert all(path.startswith(allowed) for path in changed), sorted(changed)
    for untouched in ("bulletins/2023-03.html", "data/2023-03.json", "units/JQ.html", "about.html"):
        assert before[untouched] == after[untouched]


def test_nothing_changed_is_answered_without_rebuilding(basic_root: Path):
    first = pipeline.build(basic_root, today=BASIC_TODAY)
    again = pipeline.build(basic_root, today=BASIC_TODAY)
    assert list(again.timings) == ["未改动 unchanged"]
    assert [i.code for i in again.report.issues] == [i.code for i in first.report.issues]
    (basic_root / "site/index.html").write_text(
        "tampered", encoding="utf-8"
    )  # someone edited site/
    third = pipeline.build(basic_root, today=BASIC_TODAY)
    assert "未改动 unchanged" not in third.timings
    assert "tampered" not in (basic_root / "site/index.html").read_text(encoding="utf-8")


def test_a_month_key_covers_every_input_its_figures_read(basic_root: Path):
    """Each month's figures are cached under a key chained through the months before it:
    an edit changes that month's key and every later one, and never an earlier one."""
    settings = pipeline.Settings()

    def month_keys() -> dict[str, str]:
        periods = sorted(p.name for p in (basic_root / "data").glob("????-??"))
        return keys.figures(basic_root, periods, settings)

    def changed_since(before: dict[str, str]) -> list[str]:
        return [p for p, key in month_keys().items() if before[p] != key]

    periods = list(month_keys())
    assert periods[0].startswith("2023") and "2024-01" in periods
    later = [p for p in periods if p >= "2024-01"]

    before = month_keys()
    edit_cell(basic_root)  # a cell of 2024-01
    assert changed_since(before) == later

    before = month_keys()
    commentary = basic_root / "content/2024-03.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert changed_since(before) == [p for p in periods if p >= "2024-03"]

    before = month_keys()
    targets = next((basic_root / "data/targets").glob("2024.*"))
    targets.write_bytes(targets.read_bytes() + b"\n")
    assert changed_since(before) == later  # 2023's months read only 2023's targets

    before = month_keys()
    units = basic_root / "data/units.csv"
    units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert changed_since(before) == periods  # the registry feeds every month

    stricter = pipeline.Settings(red_below_pp=-10.0)  # the lights' thresholds
    assert keys.figures(basic_root, periods, stricter).keys() == month_keys().keys()
    assert set(keys.figures(basic_root, periods, stricter).values()).isdisjoint(
        month_keys().values()
    )


def test_adding_a_month_on_a_warm_cache_matches_a_cold_build(basic_root: Path, tmp_path: Path):
    """Every older page names the newest issue (banner, pager): cached pages must follow."""
    aside = tmp_path / "aside"
    aside.mkdir()
    # the month as it was before it was issued: no record yet (an issued month cannot vanish)
    for rel in ("data/2024-03", "content/2024-03.md", "published/2024-03.json"):
        (basic_root / rel).rename(aside / Path(rel).name)
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    february = (basic_root / "site/bulletins/2024-02.html").read_text(encoding="utf-8")
    (aside / "2024-03").rename(basic_root / "data/2024-03")
    (aside / "2024-03.md").rename(basic_root / "content/2024-03.md")
    (aside / "2024-03.json").rename(basic_root / "published/2024-03.json")
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors  # warm
    cold_root = tmp_path / "cold"
    shutil.copytree(basic_root, cold_root, ignore=shutil.ignore_patterns(".tongbao-cache", "site"))
    pipeline.build(cold_root, today=BASIC_TODAY, use_cache=False)
    warm = files(basic_root / "site")
    assert warm == files(cold_root / "site"), "the cache served something a cold build does not"
    now = warm["bulletins/2024-02.html"].decode("utf-8")
    assert "2024-03.html" in now and "2024-03.html" not in february


def test_products_kept_in_memory_between_builds_never_go_stale(
    basic_root: Path, tmp_path: Path, monkeypatch
):
    """The preview server keeps products in memory between its builds: an edited cell must
    still reach every page, as a cold build has it, and what the edit made stale is let go."""
    from tongbao.cache import KEPT_KINDS, Cache, project_cache

    session = pipeline.Session.kept_between_builds()
    try:
        assert not pipeline.build(basic_root, today=BASIC_TODAY, session=session).report.errors
        kept = session.kept
        assert kept is not None and any(kind == "pages" for kind, _ in kept.products)
        before = set(kept.products)

        edit_cell(basic_root)
        read = []
        real_get = Cache.get

        def get(self, kind: str, key: str):
            found = real_get(self, kind, key)
            if found is not None:
                read.append(kind)
            return found

        monkeypatch.setattr(Cache, "get", get)
        assert not pipeline.build(basic_root, today=BASIC_TODAY, session=session).report.errors
        monkeypatch.undo()
        assert read and not set(read) & KEPT_KINDS, "a kept product was read back from disk"
        after = set(kept.products)
        assert before - after  # 2024-01's old figures and pages: stale, let go
        assert after - before  # and the edited month's new ones kept
    finally:
        session.close()
    assert project_cache(basic_root).kept is None  # a build outside the session keeps none

    cold_root = tmp_path / "cold"
    shutil.copytree(basic_root, cold_root, ignore=shutil.ignore_patterns(".tongbao-cache", "site"))
    pipeline.build(cold_root, today=BASIC_TODAY, use_cache=False)
    assert files(basic_root / "site") == files(cold_root / "site")


def test_uncached_builds_work_in_folders_of_their_own():
    """Caching off (`--no-cache`, the cold builds tests compare with): each build's
    generated docs in its own folder, so two at once never write over each other."""
    import gc

    from tongbao.cache import Cache

    first, second = Cache(None), Cache(None)
    docs = first.folder("build")
    assert docs != second.folder("build") and docs.is_dir()
    assert first.folder("build") == docs  # the same for the whole build
    scratch = docs.parent
    del first
    gc.collect()
    assert not scratch.exists()  # removed with its build


def test_cached_months_read_their_ledgers_only_when_asked(tmp_path: Path):
    """A month's ledger is cached apart from its report and read lazily: loading and
    validating ten years from the cache reads none of them, yet every ledger, every
    problem and every figure equals what a load without the cache finds."""
    from conftest import REPO

    from tongbao.cache import project_cache
    from tongbao.compute.indicators import compute_all
    from tongbao.config import load_config
    from tongbao.read.ledger import Ledgers
    from tongbao.read.load import load_project
    from tongbao.read.validate import validate

    root = tmp_path / "demo"
    for part in ("data", "content"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    settings = load_config(root)[0].settings

    def load(use_cache: bool):
        with keys.one_build():
            data, issues = load_project(root, cache=project_cache(root, use_cache=use_cache))
        assert data is not None
        return data, [i.format() for i in issues]

    cold, cold_issues = load(use_cache=False)
    assert len(cold.ledgers) >= 10  # the demo has a ledger every month
    load(use_cache=True)  # fills the cache
    warm, warm_issues = load(use_cache=True)
    assert isinstance(warm.ledgers, Ledgers) and warm.ledgers.read() == []
    assert warm_issues == cold_issues
    assert sorted(warm.ledgers) == sorted(cold.ledgers)
    assert all(p in warm.ledgers for p in cold.ledgers) and "1999-01" not in warm.ledgers
    assert [i.format() for i in validate(warm)] == [i.format() for i in validate(cold)]
    assert warm.ledgers.read() == []  # validation counted without reading a ledger
    latest = max(cold.ledgers)
    assert warm.ledgers[latest] == cold.ledgers[latest] and warm.ledgers.read() == [latest]
    assert compute_all(warm, settings) == compute_all(cold, settings)
    assert dict(warm.ledgers) == dict(cold.ledgers)

    # a ledger's entry gone from the cache (its report's kept): read from the files again
    shutil.rmtree(root / ".tongbao-cache/ledgers")
    again, _ = load(use_cache=True)
    assert again.ledgers[latest] == cold.ledgers[latest]

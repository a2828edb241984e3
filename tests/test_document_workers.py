"""The documents of a build with many months missing from the cache are made in worker
processes: the same bytes as one process makes, and made here when no worker starts."""

from __future__ import annotations

import json
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from tongbao.bulletin.model import SiteText
from tongbao.cache import Cache
from tongbao.document import making
from tongbao.document.pdf import TEMPLATE, font_setup
from tongbao.document.settings import DocumentSettings

REPO = Path(__file__).resolve().parent.parent


def setup_and_jobs(site: Path, tmp_path: Path, n: int) -> tuple[making.Setup, list[making.Job]]:
    settings = DocumentSettings(cc="各县区招商局")
    folders, families = font_setup(REPO, settings, Cache(tmp_path))
    setup = making.Setup(
        SiteText("东营市", "东营市投资促进局", "招商引资月报"),
        settings,
        folders,
        families,
        TEMPLATE.read_text(encoding="utf-8"),
    )
    months = sorted((site / "data").glob("20??-??.json"))[-n:]
    jobs = [
        making.Job(
            json.loads(path.read_text(encoding="utf-8")),
            f"## 一、总体情况\n\n{path.stem} 的评述。\n",
            {"issued": f"{path.stem}-15"},
            None,
            titles={},
            svgs={},
        )
        for path in months
    ]
    return setup, jobs


def test_workers_make_the_bytes_one_process_makes(demo_site: Path, tmp_path: Path):
    setup, jobs = setup_and_jobs(demo_site, tmp_path, making.POOL_THRESHOLD)
    heard: list[int] = []
    pooled = making.make_all(setup, jobs, workers=2, on_done=heard.append)
    alone = [making.make(setup, job) for job in jobs]
    assert pooled == alone
    assert sum(heard) == len(jobs)
    assert all(pdf.startswith(b"%PDF") and docx.startswith(b"PK") for pdf, docx in pooled)
    assert len({pdf for pdf, _ in pooled}) == len(jobs)  # each month its own document


def test_a_pool_that_cannot_start_falls_back_to_this_process(
    demo_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    setup, jobs = setup_and_jobs(demo_site, tmp_path, 2)

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker could not start")

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(making, "ProcessPoolExecutor", Broken)
    heard: list[int] = []
    made = making.make_all(setup, jobs, workers=2, on_done=heard.append)
    assert made == [making.make(setup, job) for job in jobs]
    assert heard == [1, 1]

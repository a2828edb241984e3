"""The pipeline: the order of the stages, and the session a command passes in."""

from __future__ import annotations

from pathlib import Path

from conftest import BASIC_TODAY, copy_case

from tongbao import pipeline
from tongbao.pipeline.session import ONE_SHOT
from tongbao.publish.site import tree_digest


def test_two_builds_with_different_sessions_in_one_process(basic_root: Path, tmp_path: Path):
    """A preview's session keeps products and workers between its builds; a build in
    the same process without it keeps nothing and makes the same site."""
    other = copy_case("basic", tmp_path / "other")
    preview = pipeline.Session.kept_between_builds()
    try:
        kept = pipeline.build(basic_root, today=BASIC_TODAY, session=preview)
        plain = pipeline.build(other, today=BASIC_TODAY)
        again = pipeline.build(basic_root, today=BASIC_TODAY, session=preview, use_cache=False)
    finally:
        preview.close()
    assert not kept.report.errors and not plain.report.errors and not again.report.errors
    assert preview.kept is not None and preview.kept.products  # kept in the session only
    assert ONE_SHOT.kept is None and ONE_SHOT.workers is None
    assert preview.workers is not None and preview.workers.pool is None  # let go on close
    assert tree_digest(basic_root / "site") == tree_digest(other / "site")


def test_check_publishes_nothing_and_build_orders_every_stage(basic_root: Path):
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert not (basic_root / "site").exists()
    assert checked.published == ["2023-03", "2024-01", "2024-02", "2024-03"]
    built = pipeline.build(basic_root, today=BASIC_TODAY)
    assert built.published == checked.published
    assert (basic_root / "site" / "bulletins" / "2024-03.html").is_file()

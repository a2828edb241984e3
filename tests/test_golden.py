"""Golden files: the basic case's generated pages, figures and CSVs, compared byte for byte.

On a mismatch the new output is written to tests/golden-changed/ (git-ignored) so the
difference can be read with `diff -r`; `make golden` accepts it as the new expectation.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import BASIC_TODAY, copy_case

from tongbao import pipeline
from tongbao.cache import Cache

GOLDEN = Path(__file__).resolve().parent / "golden" / "basic"
CHANGED = Path(__file__).resolve().parent / "golden-changed" / "basic"


def test_basic_case_output_matches_golden(tmp_path: Path):
    root = copy_case("basic", tmp_path)
    checked = pipeline.check(root, today=BASIC_TODAY)
    tree, _, deferred = pipeline.render(root, checked, Cache(root / ".cache"))
    charts, documents = deferred.make()  # what the site puts in after MkDocs
    produced = {
        path: (c.encode() if isinstance(c, str) else c)
        for path, c in (tree | documents).items()
        if not path.startswith("assets/")
    }
    # the HTML blocks (tables, charts) the pages reference by placeholder
    inline = tree.inline | charts
    produced |= {f"inline/{key}.html": html.encode() for key, html in inline.items()}
    if os.environ.get("TONGBAO_GOLDEN") == "update":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        write(GOLDEN, produced)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    if produced != expected:
        shutil.rmtree(CHANGED, ignore_errors=True)
        write(CHANGED, produced)
    assert sorted(produced) == sorted(expected), "files differ: see tests/golden-changed/"
    different = [path for path in produced if produced[path] != expected[path]]
    assert not different, f"changed: {different}; diff -r tests/golden tests/golden-changed"


def write(folder: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

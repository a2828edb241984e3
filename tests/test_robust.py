"""No input a hurried clerk can make gives a traceback: mutated workbooks, CSVs, front matter
and commentary go through `check` in process, which exits 0 or 1, never 3 (an internal fault).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
from conftest import CASES, REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tongbao import cli

# What clerks type into cells: numbers in every spelling, units, dashes, dates, formulas
# gone wrong, stray text; and what they do to files: cut them short, save them as GBK.
CELLS = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "-",
            "—",
            "/",
            "无",
            "约5亿",
            "１２３４．５",
            "8000万元",
            "12.3亿元",
            "5个",
            "#DIV/0!",
            "=SUM(B2:B5)",
            "合计",
            "小计",
            "注：",
            "甲区",
            "甲县",
            "经开区",
            "乙 区",
            "2024-02-30",
            "2024年6月10日",
            "是",
            "否",
            "√",
            "1e309",
            "-0",
            "0x10",
            "１,２３４",
        ]
    ),
    st.text(max_size=12),
)
HEADERS = st.sampled_from(
    [
        "单位",
        "单位名称",
        "责任单位",
        "签约项目",
        "签约金额(亿元)",
        "签约金额（万元）",
        "开工项目",
        "实际到位资金",
        "在谈项目",
        "项目编号",
        "项目名称",
        "所属产业",
        "签约日期",
        "",
        "备注",
    ]
)
FRONT = st.lists(
    st.tuples(
        st.sampled_from(["issue", "issued", "draft", "revisions", "unreported", "作者", "issue "]),
        st.one_of(
            st.sampled_from(
                [
                    "3",
                    "第二期",
                    "2024-02-30",
                    "2024年6月10日",
                    "2024.6.10",
                    "否",
                    "是",
                    "yes",
                    "[甲区, 丁县]",
                    "\n  - date: 2024-07-02\n    note: 核减",
                    "\n  - 1",
                    "{a: 1}",
                    "[",
                    "'",
                    "~",
                    "2024/6/10 10:00",
                    "-1",
                ]
            ),
            st.text(max_size=10),
        ),
    ),
    max_size=5,
)
EXPRESSIONS = st.sampled_from(
    [
        "city.signed_amount.ytd",
        "city.signed_amount.ytd / 0",
        'unit("甲县").signed_amount.rank | rank',
        'unit("丙县").signed_amount.target_self - 1',
        "summary | yi",
        "city.fdi.rate | pct(1)",
        "city.x.ytd",
        "city.signed_amount.ytd ** 99999",
        "''.__class__",
        "range(10)",
        "lipsum",
        "city.signed_amount.ytd +",
        "(city.signed_amount.ytd",
        "flags[0]",
        "unit(1).signed_amount.ytd",
        'unit("甲区", 1).signed_amount.ytd',
        "months * 'x' * 99999",
        "time_progress | yoy",
        "city.signed_amount.month | pp",
        "period | rank",
        "none",
        "1 // 0",
        "{}",
    ]
)


def write_grid(path: Path, rows: list[list[object]], *, as_xlsx: bool, encoding: str) -> None:
    if as_xlsx:
        book = openpyxl.Workbook()
        for row in rows:  # what Excel itself cannot hold (control characters) is not written
            book.active.append(
                [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        path.with_suffix(".xlsx").write_bytes(buffer.getvalue())
        return
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes(text.encode(encoding, errors="replace"))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a red test stays red until fixed
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the fault report says enough
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(HEADERS, min_size=1, max_size=5),
    rows=st.lists(st.lists(CELLS, max_size=5), max_size=6),
    as_xlsx=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
    target=st.sampled_from(
        [
            "data/2024-03/report",
            "data/2024-03/projects",
            "data/targets/2024",
            "data/units",
            "data/industries",
            "data/2024-03/乙区",
        ]
    ),
    front=FRONT,
    expressions=st.lists(EXPRESSIONS, max_size=3),
    truncate=st.one_of(st.none(), st.integers(0, 400)),
    settings_line=st.sampled_from(
        [
            "",
            "    target_basis: 自定义\n",
            "    lights: 5\n",
            "    red_below_pp: 负二十\n",
            "    city: [\n",
            "  - x\n",
        ]
    ),
)
def test_check_never_faults(
    tmp_path_factory,
    header,
    rows,
    as_xlsx,
    encoding,
    target,
    front,
    expressions,
    truncate,
    settings_line,
):
    root = tmp_path_factory.mktemp("clerk") / "case"
    shutil.copytree(CASES / "basic", root)
    if not (root / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(settings_line)
    path = root / f"{target}.csv"
    if path.exists():
        path.unlink()
    if target == "data/units":
        as_xlsx = False  # units.csv is a CSV by name
    write_grid(path, [header, *rows], as_xlsx=as_xlsx, encoding=encoding)
    if truncate is not None:
        written = path.with_suffix(".xlsx") if as_xlsx else path
        written.write_bytes(written.read_bytes()[:truncate])
    meta = "".join(f"{key}: {value}\n" for key, value in front)
    body = "\n".join(f"第{n}句 {{{{ {e} }}}}。" for n, e in enumerate(expressions))
    (root / "content/2024-03.md").write_bytes(
        f"---\n{meta}---\n{body}\n".encode(encoding, "replace")
    )
    code = cli.main(["check", "--root", str(root), "--quiet"])
    faults = list((root / ".tongbao-cache").glob("tongbao-fault-*.txt"))
    assert code in (0, 1), faults[0].read_text(encoding="utf-8") if faults else code

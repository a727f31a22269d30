"""``onewindow report``: PDF, XLSX and CSV read back with independent tools, and exit codes.

One generated month on a SQLite file (module scope: generated once). The PDF is read with
poppler's pdftotext and pdffonts, the XLSX with openpyxl, the CSV with the csv module through
``utf-8-sig`` (the BOM Excel needs).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.bootstrap import open_hall
from common.cli import main
from common.clock import ManualClock
from common.reports.generate import SMALL_MONTH, generate
from common.reports.model import Period, Report, ReportBy
from common.reports.report import build_report
from tests.common.cli.test_cli import _config
from tests.conftest import MONDAY_9AM

HALL = "鼓楼区政务服务中心"
FIRST, LAST = "2026-10-01", "2026-10-31"
NOW = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils missing"
)


@pytest.fixture(scope="module")
def hall_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("report_cli")
    cfg = str(_config(tmp, f'[hall]\nname = "{HALL}"\n'))
    hall = open_hall(cfg, migrate=True)
    try:
        from common.queue.service import QueueService

        QueueService(hall.db, hall.settings, ManualClock(MONDAY_9AM)).sync_from_settings()
        generate(
            hall.db,
            first_day=dt.date(2026, 9, 28),
            days=36,
            volume=SMALL_MONTH,
            tz=hall.settings.hall.tz,
            today=dt.date(2026, 11, 10),
        )
    finally:
        hall.close()
    yield cfg


@pytest.fixture(scope="module")
def report(hall_config: str) -> Report:
    hall = open_hall(hall_config)
    try:
        period = Period(dt.date.fromisoformat(FIRST), dt.date.fromisoformat(LAST))
        return build_report(hall.db, hall.settings, period, ReportBy.SERVICE, now=NOW)
    finally:
        hall.close()


def run(cfg: str, *args: str) -> int:
    return main(["--config", cfg, "report", *args])


@needs_poppler
def test_pdf_embeds_the_font_and_reads_back(
    hall_config: str, report: Report, tmp_path: Path
) -> None:
    out = tmp_path / "月报.pdf"
    assert (
        run(hall_config, "--from", FIRST, "--to", LAST, "--format", "pdf", "--output", str(out))
        == 0
    )
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    assert lines and all("TrueType" in line for line in lines), fonts.stdout
    # name type encoding emb sub uni object ID: every font is embedded (a subset), none of
    # reportlab's unembedded standard fonts (Helvetica, Times-Roman) is even listed.
    assert all(line.split()[-5] == "yes" for line in lines), fonts.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert HALL in text and "2026-10-01 至 2026-10-31" in text
    assert "排队取号" in text and "好差评" in text and "按时办结" in text and "逾期清单" in text
    assert "满意率=(非常满意+满意)÷评价总数" in text.replace("\n", "").replace(" ", "")
    assert "综合受理" in text  # a service's Chinese name, from a table cell
    assert f"{report.tickets.total.issued:,}" in text
    pages = text.count("\f")
    squeezed = text.replace(" ", "")  # pdftotext drops the spaces around Chinese characters
    assert f"第1页/共{pages}页" in squeezed and f"第{pages}页/共{pages}页" in squeezed


def test_xlsx_reads_back_with_openpyxl(hall_config: str, report: Report, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert run(hall_config, "--from", FIRST, "--to", LAST, "--output", str(out)) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["概况", "排队取号", "好差评", "办件受理", "按时办结"]
    assert wb.sheetnames[-1] == "逾期清单"
    assert HALL in str(wb["概况"]["A1"].value)
    tickets = wb["排队取号"]
    assert tickets.freeze_panes == "A2"
    header = [c.value for c in tickets[1]]
    assert header[:4] == ["编码", "业务", "取号", "办结"]
    assert (tickets.column_dimensions["B"].width or 0) >= 20
    rows = list(tickets.iter_rows(min_row=2, values_only=True))
    service_rows = rows[: len(report.tickets.rows)]
    assert [r[0] for r in service_rows] == [r.key for r in report.tickets.rows]
    total = rows[len(report.tickets.rows)]
    assert total[1] == "全厅合计" and total[2] == report.tickets.total.issued
    assert total[6] == round((report.tickets.total.wait_mean or 0) / 60, 1)
    ratings = wb["好差评"]
    first_row = len(report.ratings.rows) + 2
    rating_total = next(ratings.iter_rows(min_row=first_row, values_only=True))
    assert rating_total[-2] == pytest.approx(report.ratings.total.satisfaction)
    assert ratings.cell(row=2, column=9).number_format == "0.0%"
    overdue = wb["逾期清单"]
    assert overdue.max_row - 1 >= len(report.overdue)


def test_csv_has_a_bom_and_a_header_row(hall_config: str, report: Report, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    assert run(hall_config, "--from", FIRST, "--to", LAST, "--output", str(out)) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:4] == ["排队取号", "编码", "业务", "取号"]
    total = rows[len(report.tickets.rows) + 1]
    assert total[0] == "合计" and int(total[3]) == report.tickets.total.issued
    assert ["好差评", "编码", "业务", "评价数"] == next(r for r in rows if r[:1] == ["好差评"])[:4]


@pytest.mark.parametrize("by", ["window", "staff", "matter"])
def test_other_groupings(hall_config: str, tmp_path: Path, by: str) -> None:
    out = tmp_path / f"by_{by}.csv"
    assert run(hall_config, "--from", FIRST, "--to", LAST, "--output", str(out), "--by", by) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    label = ReportBy(by).label if by != "matter" else "业务"  # tickets know no matter
    assert header[2] == label


def test_empty_period_is_an_empty_report(
    hall_config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"empty.{fmt}"
        code = run(hall_config, "--from", "2020-01-01", "--to", "2020-01-31", "--output", str(out))
        assert code == 0 and out.stat().st_size > 0
    assert "期间内无记录" in capsys.readouterr().out
    with (tmp_path / "empty.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][0] == "合计" and rows[1][3] == "0"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "empty.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "本期间没有取号、评价或办件记录" in text and HALL in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "--to", LAST], "YYYY-MM-DD"),
        (["--from", FIRST, "--to", "31.10.2026"], "YYYY-MM-DD"),
        (["--from", LAST, "--to", FIRST], "before"),
        (["--from", FIRST, "--to", LAST, "--output", "x.docx"], "--format"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    hall_config: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path / "r.pdf")]
    else:
        args = [a if a != "x.docx" else str(tmp_path / "x.docx") for a in args]
    assert run(hall_config, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_unknown_format_choice_is_refused_by_argparse(hall_config: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run(hall_config, "--from", FIRST, "--to", LAST, "--format", "doc", "--output", "x")
    assert exc.value.code == 2


def test_the_command_line_report_needs_no_qt(hall_config: str, tmp_path: Path) -> None:
    """A PDF from ``onewindow report`` in a fresh interpreter loads neither Qt nor pyqtgraph."""
    import sys

    out = tmp_path / "r.pdf"
    code = (
        "import sys\n"
        "from common.cli import main\n"
        f"rc = main(['--config', {hall_config!r}, 'report', '--from', '{FIRST}', '--to', "
        f"'{LAST}', '--output', {str(out)!r}])\n"
        "loaded = [m for m in ('PySide6', 'pyqtgraph', 'matplotlib') if m in sys.modules]\n"
        "print(rc, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().endswith("0 []"), result.stdout + result.stderr
    assert out.stat().st_size > 0

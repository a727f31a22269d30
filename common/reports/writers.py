"""The hall report written as PDF (reportlab), XLSX (openpyxl) or CSV (UTF-8 with BOM).

All three render :func:`common.reports.tables.report_tables`, so every format shows the same
numbers. The PDF embeds the hall's CJK TrueType font (``common.documents.fonts``; reportlab
embeds the subset used), carries the hall's name and the period in every page's header and
"第 n 页 / 共 m 页" in the footer, and draws its charts with ``reportlab.graphics`` (vector, no
Qt, no pyqtgraph, no matplotlib), so the command line needs nothing the desk needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common.documents.fonts import CjkFont, reportlab_font_name, resolve_cjk_font
from common.reports.model import Report
from common.reports.tables import Cell, display, minutes, report_tables, summary_lines

__all__ = ["FORMATS", "pdf_bytes", "write_csv", "write_pdf", "write_report", "write_xlsx"]

FORMATS = ("pdf", "xlsx", "csv")
TITLE = "政务服务大厅运行报表"


def _header_lines(report: Report) -> tuple[str, str]:
    return (
        f"{report.hall_name}  {TITLE}",
        f"统计期间：{report.period.label}（{report.period.days} 天）  分组：按{report.by.label}  "
        f"生成：{report.generated_at:%Y-%m-%d %H:%M}",
    )


# ---------------------------------------------------------------------------------------- CSV


def _csv_value(value: Any, kind: Cell) -> Any:
    if value is None:
        return ""
    if kind is Cell.MINUTES:
        return minutes(value)
    if kind is Cell.PERCENT:
        return round(value * 100, 1)
    if kind is Cell.DATE:
        return value.isoformat()
    return value


def write_csv(report: Report, path: Path) -> None:
    """One CSV, UTF-8 with a BOM (Excel then reads Chinese right): the sections one under the
    other, each with its own header row whose first cell names the section; rates in %."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        for i, table in enumerate(report_tables(report)):
            if i:
                out.writerow([])
            out.writerow(
                [
                    f"{table.title}",
                    *(c.title + ("(%)" if c.kind is Cell.PERCENT else "") for c in table.columns),
                ]
            )
            for n, row in enumerate(table.rows):
                tag = "合计" if table.has_total and n == len(table.rows) - 1 else ""
                out.writerow(
                    [tag, *(_csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True))]
                )
        out.writerow([])
        for line in (*_header_lines(report), *(t.note for t in report_tables(report) if t.note)):
            out.writerow([line])


# --------------------------------------------------------------------------------------- XLSX


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet per section plus 概况 (the summary): header row frozen, widths set, numbers
    stored as numbers (minutes, percentages by number format), the total row in bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    summary = wb.active
    summary.title = "概况"
    head, sub = _header_lines(report)
    summary.append([head])
    summary.append([sub])
    summary.append([])
    summary.append(["指标", "数值"])
    for label, value in summary_lines(report):
        summary.append([label, value])
    summary["A1"].font = Font(bold=True, size=14)
    summary["A4"].font = summary["B4"].font = Font(bold=True)
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 40
    summary.freeze_panes = "A5"

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF4")
    formats = {
        Cell.MINUTES: "0.0",
        Cell.PERCENT: "0.0%",
        Cell.COUNT: "#,##0",
        Cell.DATE: "yyyy-mm-dd",
    }
    for table in report_tables(report):
        ws = wb.create_sheet(table.title[:31])
        ws.append([c.title for c in table.columns])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in table.rows:
            ws.append(
                [
                    minutes(v) if c.kind is Cell.MINUTES else v
                    for v, c in zip(row, table.columns, strict=True)
                ]
            )
        for j, column in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = column.width + 2
            if column.kind in formats:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = formats[column.kind]
        if table.has_total and table.rows:
            for cell in ws[ws.max_row]:
                cell.font = bold
        ws.freeze_panes = "A2"
        ws.oddHeader.center.text = f"{report.hall_name} {table.title} {report.period.label}"
        ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
        if table.note:
            ws.append([])
            ws.append([table.note])
    wb.properties.title = f"{report.hall_name} {TITLE} {report.period.label}"
    wb.properties.creator = "OneWindow"
    wb.save(path)


# ---------------------------------------------------------------------------------------- PDF


def _bar_chart(
    font: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    width: float,
    height: float,
) -> Any:
    """A vertical bar chart with a legend, labelled in the CJK font."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    d = Drawing(width, height)
    # Start in the CJK face too: renderPDF would otherwise set Times-Roman, listed unembedded.
    d.initialFontName = font
    d.add(String(0, height - 12, title, fontName=font, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 42
    chart.width, chart.height = width - 56, height - 80
    chart.data = [list(values) or [0] for _, values, _ in series]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    # Slanted when the names would run into each other.
    crowded = len(labels) > 8 or width / max(len(labels), 1) < 48
    chart.categoryAxis.labels.angle = 30 if crowded else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if crowded else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    # Headroom above the tallest bar, so it does not touch the title.
    top = max((v for _, values, _ in series for v in values), default=0)
    chart.valueAxis.valueMax = max(1, top * 1.12)
    chart.barSpacing = 1
    for i, (_, _, colour) in enumerate(series):
        chart.bars[i].fillColor = colors.HexColor(colour)
        chart.bars[i].strokeColor = None
    d.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 150, height - 8
        legend.fontName, legend.fontSize = font, 8
        legend.columnMaximum = 1
        legend.alignment = "right"
        legend.dx = legend.dy = 7
        legend.deltax = 60
        legend.colorNamePairs = [(colors.HexColor(c), name) for name, _, c in series]
        d.add(legend)
    return d


def _charts(report: Report, font: str, width: float) -> Any:
    """Tickets per group, rating levels and window decisions, side by side under the summary."""
    from reportlab.platypus import Table as RlTable
    from reportlab.platypus import TableStyle

    rows = sorted(report.tickets.rows, key=lambda r: -r.issued)[:12]
    rows.sort(key=lambda r: report.tickets.rows.index(r))
    wide, narrow, height = width * 0.44, width * 0.28, 175
    by = report.by.label if not report.tickets.note else "业务"
    top = f"，取号最多的 {len(rows)} 个" if len(report.tickets.rows) > len(rows) else ""
    ticket_chart = _bar_chart(
        font,
        f"取号与办结（按{by}{top}）",
        [r.key if len(r.label) > 5 else r.label for r in rows],
        [
            ("取号", [r.issued for r in rows], "#4a78a8"),
            ("办结", [r.served for r in rows], "#8cb369"),
        ],
        wide - 8,
        height,
    )
    total = report.ratings.total
    rating_chart = _bar_chart(
        font,
        "评价等级分布",
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"],
        [
            (
                "评价数",
                [total.level_5, total.level_4, total.level_3, total.level_2, total.level_1],
                "#d08c4a",
            )
        ],
        narrow - 8,
        height,
    )
    c = report.cases.total
    case_chart = _bar_chart(
        font,
        "办件受理结果",
        ["受理", "容缺受理", "一次性告知", "不予受理"],
        [
            (
                "办件数",
                [c.accept, c.accept_with_tolerance, c.correction_required, c.reject],
                "#6d8fb5",
            )
        ],
        narrow - 8,
        height,
    )
    row = RlTable([[ticket_chart, rating_chart, case_chart]], colWidths=[wide, narrow, narrow])
    row.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("FONTNAME", (0, 0), (-1, -1), font)])
    )
    return row


def pdf_bytes(report: Report, font: CjkFont | None = None) -> bytes:
    """The report as an A4 landscape PDF."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Table as RlTable

    name = reportlab_font_name(font or resolve_cjk_font())
    page_w, page_h = landscape(A4)
    margin = 14 * mm
    width = page_w - 2 * margin
    head, sub = _header_lines(report)

    def style(size: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{len(kw)}", fontName=name, fontSize=size, leading=size * 1.4,
            wordWrap="CJK", **kw,
        )  # fmt: skip

    title_style = style(18, alignment=TA_CENTER, spaceAfter=2 * mm)
    h2 = style(12.5, spaceBefore=4 * mm, spaceAfter=2 * mm, textColor=colors.HexColor("#1f3b57"))
    body = style(9.5)
    note = style(8, textColor=colors.HexColor("#555555"), spaceBefore=1.5 * mm)
    cell = style(8.2)
    cell_right = style(8.2, alignment=2)

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        """Draws the header and "第 n 页 / 共 m 页" once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The CJK face from the start: reportlab's default Helvetica would be listed in
            # the PDF unembedded.
            kwargs["initialFontName"], kwargs["initialFontSize"] = name, 9
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(name, 8.5)
                self.setFillColor(colors.HexColor("#333333"))
                self.drawString(margin, page_h - 9 * mm, f"{report.hall_name}  {TITLE}")
                self.drawRightString(page_w - margin, page_h - 9 * mm, report.period.label)
                self.setStrokeColor(colors.HexColor("#9a9a9a"))
                self.line(margin, page_h - 10.5 * mm, page_w - margin, page_h - 10.5 * mm)
                self.drawCentredString(
                    page_w / 2, 8 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页"
                )
                super().showPage()
            super().save()

    story: list[Any] = [
        Paragraph(escape(head), title_style),
        Paragraph(escape(sub), style(10, alignment=TA_CENTER, spaceAfter=3 * mm)),
    ]
    if report.empty:
        story.append(Paragraph("本期间没有取号、评价或办件记录。", style(11, alignment=TA_CENTER)))
    headline = RlTable(
        [
            [Paragraph(escape(k), body), Paragraph(escape(v), body)]
            for k, v in summary_lines(report)
        ],
        colWidths=[70 * mm, 90 * mm],
        hAlign="LEFT",
    )
    headline.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), name),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9a9a")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f6")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(headline)
    story.append(
        Paragraph(
            escape(
                "满意率 = (非常满意 + 满意) ÷ 评价总数；好评率 = (非常满意 + 满意 + 基本满意) ÷ "
                "评价总数。按时办结率按存储的承诺日期计（暂停计时已顺延）。"
            ),
            note,
        )
    )
    story.append(Spacer(1, 3 * mm))
    story.append(_charts(report, name, width))

    for table in report_tables(report):
        weights = [c.width for c in table.columns]
        col_widths = [width * w / sum(weights) for w in weights]
        data = [[Paragraph(escape(c.title), cell) for c in table.columns]]
        for row in table.rows:
            data.append(
                [
                    Paragraph(
                        escape(display(v, c.kind)),
                        cell if c.kind in (Cell.TEXT, Cell.DATE) else cell_right,
                    )
                    for v, c in zip(row, table.columns, strict=True)
                ]
            )
        if len(data) == 1:
            data.append([Paragraph("（无）", cell)] + [""] * (len(table.columns) - 1))
        grid = RlTable(data, colWidths=col_widths, repeatRows=1)
        commands: list[Any] = [
            ("FONTNAME", (0, 0), (-1, -1), name),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#a0a0a0")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7ef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if table.has_total and table.rows:
            commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3")))
        grid.setStyle(TableStyle(commands))
        parts: list[Any] = [Paragraph(escape(table.title), h2), grid]
        if table.note:
            parts.append(Paragraph(escape(table.note), note))
        story.append(KeepTogether(parts) if len(table.rows) < 25 else parts[0])
        if len(table.rows) >= 25:
            story.extend(parts[1:])

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        initialFontName=name,
        pagesize=(page_w, page_h),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=15 * mm,
        bottomMargin=14 * mm,
        title=f"{report.hall_name} {TITLE} {report.period.label}",
        author=report.hall_name,
        creator="OneWindow",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def write_pdf(report: Report, path: Path, font: CjkFont | None = None) -> None:
    """Write :func:`pdf_bytes` to ``path``."""
    path.write_bytes(pdf_bytes(report, font))


def write_report(report: Report, path: Path, fmt: str) -> None:
    """Write ``report`` to ``path`` as ``fmt`` (one of :data:`FORMATS`)."""
    {"pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv}[fmt](report, path)

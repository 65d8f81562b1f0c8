"""Compiled files of an inquiry: Excel (集計, 回答一覧, one sheet per table) and CSV.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return) is written with a leading single quote, in every format, so an
answer such as 「=HYPERLINK(…)」 stays text (CSV/Excel injection). Numbers, dates and the
1 of a chosen option stay numbers.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from django.db import models
from django.utils import timezone

from renkei.core.csv_safety import looks_like_formula, neutralize
from renkei.core.question_kinds import QuestionSummary
from renkei.core.question_kinds.results import MatrixColumn
from renkei.core.question_kinds.values import table_value
from renkei.core.wareki import WAREKI_DATE_FORMAT
from renkei.inquiries.compilation.data import CompilationData
from renkei.inquiries.compilation.matrix import Matrix, compilation_matrix, organization_cell
from renkei.inquiries.compilation.summaries import question_summaries
from renkei.inquiries.models import Inquiry

ProgressCallback = Callable[[int], None]


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel（.xlsx）集計・回答一覧・表"
    CSV_UTF8 = "csv_utf8", "CSV（UTF-8 BOM付き）回答一覧"
    CSV_SJIS = "csv_sjis", "CSV（Shift_JIS）回答一覧"


# Who each file is for, said on the export page: people open the workbook, systems read CSV.
FORMAT_PURPOSES = {
    ExportFormat.XLSX: (
        "人が読む・印刷する・Excel で開く場合はこちら。団体コードは先頭の0を含めてそのまま、"
        "日付は和暦（令和8年4月1日）、数値は数値のまま入ります。"
    ),
    ExportFormat.CSV_UTF8: (
        "他のシステムへの取り込み用。日付は 2026-04-01 の形式です。"
        "Excel などで直接開くと、団体コードの先頭の0が消える（013986 → 13986）ことがあります。"
    ),
    ExportFormat.CSV_SJIS: (
        "UTF-8 を読めない古いシステムへの取り込み用（文字コード Shift_JIS）。"
        "Excel などで直接開くと、団体コードの先頭の0が消える（013986 → 13986）ことがあります。"
    ),
}

# The two CSV encodings get different names, so a download never overwrites the other.
_NAME_SUFFIXES = {
    ExportFormat.XLSX: "",
    ExportFormat.CSV_UTF8: "_UTF-8",
    ExportFormat.CSV_SJIS: "_Shift_JIS",
}


CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV_UTF8: "text/csv; charset=utf-8",
    ExportFormat.CSV_SJIS: "text/csv; charset=Shift_JIS",
}


@dataclass
class ExportFile:
    """A built export: its bytes and anything the user should be told about it."""

    name: str
    content: bytes
    content_type: str
    notes: list[str] = field(default_factory=list)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def export_filename(inquiry: Inquiry, export_format: str, *, on: dt.date | None = None) -> str:
    """Return a file name such as 「照会12_地域情報プラットフォーム_集計_20121023.xlsx」.

    The CSVs end in 「_UTF-8.csv」 or 「_Shift_JIS.csv」 so that both can sit in one folder.
    """
    on = on or timezone.localdate()
    title = _UNSAFE_NAME.sub("_", inquiry.title).strip()[:40] or "照会"
    extension = "xlsx" if export_format == ExportFormat.XLSX else "csv"
    suffix = _NAME_SUFFIXES.get(ExportFormat(export_format), "")
    return f"照会{inquiry.pk}_{title}_集計_{on:%Y%m%d}{suffix}.{extension}"


def _stepper(progress: ProgressCallback | None, start: int, end: int, steps: int) -> Callable:
    """Return a function that reports progress from `start` to `end` over `steps` steps."""
    if progress is None or steps <= 0:
        return lambda done: None
    last = [-1]

    def report(done: int) -> None:
        value = start + (end - start) * done // steps
        # Report whole-percent changes only, so a large file does not write thousands of times.
        if value != last[0]:
            last[0] = value
            progress(value)

    return report


# --- CSV -------------------------------------------------------------------------------------

# Characters Shift_JIS (CP932) lacks but has an exact look-alike for; folded, not reported.
_CP932_FOLDS = str.maketrans(
    {
        "\u2014": "\u2015",  # EM DASH → HORIZONTAL BAR
        "\u2013": "-",  # EN DASH
        "\u00a5": "\uffe5",  # YEN SIGN → FULLWIDTH YEN SIGN
        "\u203e": "\uffe3",  # OVERLINE → FULLWIDTH MACRON
        "\u00b7": "\u30fb",  # MIDDLE DOT → KATAKANA MIDDLE DOT
        "\u2022": "\u30fb",  # BULLET → KATAKANA MIDDLE DOT
        "\u00a0": " ",  # NO-BREAK SPACE
        "\u200b": "",  # ZERO WIDTH SPACE
        "\ufeff": "",  # BYTE ORDER MARK inside pasted text
    }
)
# 〓 (geta) is what Japanese typesetting prints for a character it does not have.
CP932_REPLACEMENT = "〓"


@dataclass(frozen=True)
class Replacement:
    """A character that Shift_JIS cannot hold, replaced in one cell."""

    row: str
    column: str
    characters: str


def _csv_text(value: Any, kind: str) -> str:
    """Return a cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return neutralize(str(value))


def _cp932_cell(text: str) -> tuple[str, str]:
    """Return the text made encodable in CP932 and the characters that had to be replaced."""
    text = text.translate(_CP932_FOLDS)
    try:
        text.encode("cp932")
        return text, ""
    except UnicodeEncodeError:
        pass
    kept, lost = [], []
    for char in text:
        try:
            char.encode("cp932")
            kept.append(char)
        except UnicodeEncodeError:
            kept.append(CP932_REPLACEMENT)
            lost.append(char)
    return "".join(kept), "".join(lost)


def matrix_csv(
    matrix: Matrix, *, encoding: str, progress: ProgressCallback | None = None
) -> tuple[bytes, list[Replacement]]:
    """Return the matrix as CSV bytes in UTF-8 with BOM or CP932, and what CP932 replaced."""
    shift_jis = encoding == "cp932"
    kinds = [c.kind for c in matrix.columns]
    name_index = next(i for i, c in enumerate(matrix.columns) if c.key == "name")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    replacements: list[Replacement] = []
    header = [neutralize(h) for h in matrix.header]
    report = _stepper(progress, 0, 95, len(matrix.rows))
    lines = [header] + [
        [_csv_text(value, kind) for value, kind in zip(row.cells, kinds, strict=True)]
        for row in matrix.rows
    ]
    if shift_jis:
        for line_number, line in enumerate(lines):
            for index, text in enumerate(line):
                if text.isascii():
                    continue
                fixed, lost = _cp932_cell(text)
                if fixed != text:
                    # Folding may drop a zero-width space or turn a dash into "-": quote the
                    # final text, or 「\u200b=HYPERLINK(…)」 would become a live formula.
                    line[index] = neutralize(fixed)
                if lost:
                    row_label = (
                        "見出し" if line_number == 0 else str(lines[line_number][name_index])
                    )
                    replacements.append(
                        Replacement(row=row_label, column=matrix.header[index], characters=lost)
                    )
    for done, line in enumerate(lines):
        writer.writerow(line)
        report(done)
    text = buffer.getvalue()
    content = text.encode("cp932") if shift_jis else text.encode("utf-8-sig")
    return content, replacements


# --- Excel -----------------------------------------------------------------------------------


def _sheet_name(name: str, used: set[str]) -> str:
    """Return a unique worksheet name Excel accepts (31 characters, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


class _Formats:
    """The cell formats of a workbook, created once."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.heading = workbook.add_format({"bold": True, "bg_color": "#DDE5EE", "border": 1})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#F3F5F7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.date = workbook.add_format({"num_format": WAREKI_DATE_FORMAT})
        self.percent = workbook.add_format({"num_format": "0.0%"})
        # Two formats: "#,##0.##" alone would print a whole number as 「70.」.
        self.integer = workbook.add_format({"num_format": "#,##0"})
        self.number = workbook.add_format({"num_format": "#,##0.0##"})
        self.bold = workbook.add_format({"bold": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})


def _write(sheet: Any, row: int, col: int, value: Any, formats: _Formats) -> None:
    """Write one value with its type kept: numbers as numbers, dates as dates, text quoted."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        # Excel has no time zones: write the local wall-clock time.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        sheet.write_datetime(row, col, local.replace(tzinfo=None), formats.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, formats.date)
    else:
        sheet.write_string(row, col, neutralize(str(value)))


def _write_line(
    sheet: Any, row: int, values: Sequence[Any], formats: _Formats, cell_format: Any = None
) -> None:
    for col, value in enumerate(values):
        if cell_format is not None and isinstance(value, str):
            sheet.write_string(row, col, neutralize(value), cell_format)
        else:
            _write(sheet, row, col, value, formats)


def _print_setup(sheet: Any, *, header_rows: int, label_columns: int) -> None:
    """Print a wide sheet on A4 landscape, repeating its header and organization columns."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.repeat_rows(0, header_rows - 1)
    if label_columns:
        sheet.repeat_columns(0, label_columns - 1)


def _summary_sheet(
    sheet: Any,
    *,
    data: CompilationData,
    summaries: list[QuestionSummary],
    table_sheets: dict[int, str],
    formats: _Formats,
) -> None:
    """Write the 集計 sheet: one block per question, rows strictly in order."""
    sheet.set_column(0, 0, 36)
    # Column B holds counts and dates: wide enough for 「令和10年12月28日」.
    sheet.set_column(1, 1, 17)
    sheet.set_column(2, 4, 12)
    sheet.set_column(5, 5, 28)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # printed one page wide, as many pages long as needed
    row = 0
    sheet.write_string(row, 0, neutralize(data.inquiry.title), formats.title)
    row += 1
    answering = len(data.answering)
    sheet.write_string(
        row, 0, f"提出 {len(data.respondents):,}団体（うち回答 {answering:,}団体）", formats.bold
    )
    row += 1
    sheet.write_string(
        row,
        0,
        "割合の分母は、「回答」として提出し、その設問が表示された団体の数です。",
    )
    row += 2
    for summary in summaries:
        question = summary.question
        heading = f"{question.code} {question.text}".strip()
        sheet.write_string(row, 0, neutralize(heading), formats.heading)
        sheet.write_string(
            row,
            1,
            f"回答対象 {summary.asked:,}団体・無回答 {summary.unanswered:,}団体",
            formats.bold,
        )
        row += 1
        if summary.is_choice:
            _write_line(
                sheet,
                row,
                ["選択肢", "団体数", "回答対象", "割合", "", "表記"],
                formats,
                formats.header,
            )
            row += 1
            for option in summary.options:
                share = option.share
                _write_line(sheet, row, [option.label, share.count, share.total], formats)
                if share.total:
                    sheet.write_number(row, 3, share.count / share.total, formats.percent)
                sheet.write_string(row, 5, share.label)
                row += 1
            if summary.others:
                sheet.write_string(row, 0, "その他の内容", formats.bold)
                row += 1
                for entry in summary.others:
                    _write_line(sheet, row, [entry.respondent.label, entry.text], formats)
                    row += 1
        elif summary.numbers is not None:
            stats = summary.numbers
            unit = question.unit
            for label, value in (
                ("件数", stats.count),
                ("平均", stats.mean),
                ("中央値", stats.median),
                ("最小", stats.minimum),
                ("最大", stats.maximum),
                ("合計", stats.total),
            ):
                sheet.write_string(
                    row, 0, f"{label}（{unit}）" if unit and label != "件数" else label
                )
                whole = float(value).is_integer()
                sheet.write_number(row, 1, value, formats.integer if whole else formats.number)
                row += 1
        elif summary.dates is not None:
            for label, value in (
                ("件数", summary.dates.count),
                ("最も早い日", summary.dates.earliest),
                ("最も遅い日", summary.dates.latest),
            ):
                sheet.write_string(row, 0, label)
                _write(sheet, row, 1, value, formats)
                row += 1
        elif summary.table is not None:
            table = summary.table
            if question.pk in table_sheets:
                sheet.write_string(row, 0, f"各団体の回答はシート「{table_sheets[question.pk]}」")
                row += 1
            if table.numeric:
                _write_line(sheet, row, ["合計", *table.columns, "計"], formats, formats.header)
                row += 1
                for label, cells, total in table.grid():
                    _write_line(sheet, row, [label, *[c.total for c in cells], total], formats)
                    row += 1
                _write_line(
                    sheet,
                    row,
                    ["計", *[table.column_totals[c] for c in table.columns], table.grand_total],
                    formats,
                )
                row += 1
        else:
            entries = summary.texts or summary.files
            if entries:
                _write_line(sheet, row, ["団体", "回答"], formats, formats.header)
                row += 1
            for entry in entries:
                sheet.write_string(row, 0, neutralize(entry.respondent.label))
                sheet.write_string(row, 1, neutralize(entry.text), formats.wrap)
                row += 1
        row += 1


def _matrix_sheet(
    sheet: Any, *, matrix: Matrix, formats: _Formats, report: Callable[[int], None]
) -> None:
    """Write the 回答一覧 sheet: header frozen, autofilter, widths set, types kept."""
    columns = matrix.columns
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    name_index = next(i for i, c in enumerate(columns) if c.key == "name")
    sheet.freeze_panes(1, name_index + 1)
    sheet.autofilter(0, 0, max(1, len(matrix.rows)), len(columns) - 1)
    _print_setup(sheet, header_rows=1, label_columns=name_index + 1)
    # Three lines of header: spreadsheets do not grow a row for wrapped text by themselves.
    sheet.set_row(0, 45)
    for index, header in enumerate(matrix.header):
        sheet.write_string(0, index, neutralize(header), formats.header)
    date_format = formats.date
    integer_format, number_format = formats.integer, formats.number
    # Bound methods looked up once: this loop writes every cell of the export.
    write_string = sheet.write_string
    write_number = sheet.write_number
    write_datetime = sheet.write_datetime
    for row_index, row in enumerate(matrix.rows, start=1):
        for col, value in enumerate(row.cells):
            if value is None:
                continue
            if isinstance(value, str):
                if looks_like_formula(value):
                    value = "'" + value
                write_string(row_index, col, value)
            elif isinstance(value, dt.date):
                write_datetime(row_index, col, value, date_format)
            elif isinstance(value, int) or value.is_integer():
                write_number(row_index, col, value, integer_format)
            else:
                write_number(row_index, col, value, number_format)
        report(row_index)


def _table_sheet(
    sheet: Any, *, summary: QuestionSummary, fixed: list[MatrixColumn], formats: _Formats
) -> None:
    """Write one table question: its row labels over its column labels, one line per
    organization, and the totals of a numeric table (rows strictly in order)."""
    table = summary.table
    assert table is not None
    question = summary.question
    width = len(table.columns)
    start = len(fixed)
    end = start + len(table.rows) * width - 1
    for index, column in enumerate(fixed):
        sheet.set_column(index, index, column.width)
    if end >= start:
        sheet.set_column(start, end, 12)
    sheet.write_string(0, 0, neutralize(f"{question.code} {question.text}"), formats.title)
    for index, column in enumerate(fixed):
        sheet.write_string(1, index, column.header, formats.header)
    for r, row_label in enumerate(table.rows):
        first = start + r * width
        if width > 1:
            sheet.merge_range(1, first, 1, first + width - 1, neutralize(row_label), formats.header)
        elif width == 1:
            sheet.write_string(1, first, neutralize(row_label), formats.header)
    for index in range(start):
        sheet.write_blank(2, index, None, formats.header)
    for r in range(len(table.rows)):
        for c, column_label in enumerate(table.columns):
            sheet.write_string(2, start + r * width + c, neutralize(column_label), formats.header)
    sheet.freeze_panes(3, start)
    _print_setup(sheet, header_rows=3, label_columns=start)
    last = 2 + len(table.respondents)
    sheet.autofilter(2, 0, max(3, last), max(start, end))
    question_key = str(question.pk)
    for line, respondent in enumerate(table.respondents, start=3):
        for index, column in enumerate(fixed):
            _write(sheet, line, index, organization_cell(respondent, column), formats)
        raw = respondent.data.get(question_key)
        for r, row_label in enumerate(table.rows):
            for c, column_label in enumerate(table.columns):
                value = table_value(raw, row_label, column_label)
                _write(sheet, line, start + r * width + c, value, formats)
    if table.numeric:
        total_row = last + 1
        sheet.write_string(total_row, max(0, start - 1), "合計", formats.bold)
        for r, row_label in enumerate(table.rows):
            for c, column_label in enumerate(table.columns):
                total = table.totals[row_label][column_label].total
                sheet.write_number(total_row, start + r * width + c, total, formats.bold)


def workbook_xlsx(data: CompilationData, *, progress: ProgressCallback | None = None) -> bytes:
    """Return the Excel workbook: 集計, 回答一覧 and one sheet per table question."""
    output = io.BytesIO()
    # constant_memory streams each row to a temporary file once written: fast and small, as
    # long as rows are written strictly in order, which every sheet below does.
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    formats = _Formats(workbook)
    used: set[str] = set()
    summaries = question_summaries(data)
    if progress:
        progress(5)
    matrix = compilation_matrix(data)
    if progress:
        progress(15)
    summary_sheet = workbook.add_worksheet(_sheet_name("集計", used))
    matrix_sheet = workbook.add_worksheet(_sheet_name("回答一覧", used))
    tables = [s for s in summaries if s.table is not None]
    table_sheets = {
        s.question.pk: workbook.add_worksheet(_sheet_name(f"{s.question.code} 表", used))
        for s in tables
    }
    _summary_sheet(
        summary_sheet,
        data=data,
        summaries=summaries,
        table_sheets={pk: sheet.name for pk, sheet in table_sheets.items()},
        formats=formats,
    )
    if progress:
        progress(20)
    _matrix_sheet(
        matrix_sheet,
        matrix=matrix,
        formats=formats,
        report=_stepper(progress, 20, 85, len(matrix.rows)),
    )
    fixed = [c for c in matrix.columns if c.question is None]
    for summary in tables:
        _table_sheet(
            table_sheets[summary.question.pk], summary=summary, fixed=fixed, formats=formats
        )
    if progress:
        progress(90)
    workbook.close()
    if progress:
        progress(99)
    return output.getvalue()


def export_build(
    *,
    data: CompilationData,
    export_format: str,
    progress: ProgressCallback | None = None,
) -> ExportFile:
    """Build an export of the compiled answers in the given format."""
    export_format = ExportFormat(export_format)
    name = export_filename(data.inquiry, export_format)
    if export_format == ExportFormat.XLSX:
        return ExportFile(
            name=name,
            content=workbook_xlsx(data, progress=progress),
            content_type=CONTENT_TYPES[export_format],
        )
    matrix = compilation_matrix(data)
    encoding = "cp932" if export_format == ExportFormat.CSV_SJIS else "utf-8-sig"
    content, replacements = matrix_csv(matrix, encoding=encoding, progress=progress)
    notes = [
        f"{r.row}「{r.column}」の「{r.characters}」は Shift_JIS で表せないため"
        f"「{CP932_REPLACEMENT}」に置き換えました。"
        for r in replacements
    ]
    return ExportFile(
        name=name, content=content, content_type=CONTENT_TYPES[export_format], notes=notes
    )

"""Excel and CSV exports of compiled answers, reopened the way a council opens them."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from renkei.core.csv_safety import neutralize
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.matrix import compilation_matrix
from renkei.inquiries.exports import (
    WAREKI_DATE_FORMAT,
    ExportFormat,
    export_build,
    export_filename,
    matrix_csv,
    workbook_xlsx,
)
from renkei.inquiries.models import QuestionKind
from renkei.inquiries.tests.builders import (
    add_question,
    make_inquiry,
    make_towns,
    submit_answer,
)

PLATFORM = ["準拠している", "準拠していない"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81-3-1234", "'+81-3-1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("準拠している", "準拠している"),
        ("a=b", "a=b"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralize_quotes_text_that_starts_like_a_formula_but_keeps_numbers(value, expected):
    assert neutralize(value) == expected


@pytest.fixture
def answered(council):
    """Three towns answer a choice, a number, a text, a date and a table question."""
    inquiry = make_inquiry(council)
    choice = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    number = add_question(inquiry, code="Q2", kind=QuestionKind.NUMBER, unit="台")
    text = add_question(inquiry, code="Q3", kind=QuestionKind.SHORT_TEXT)
    date = add_question(inquiry, code="Q4", kind=QuestionKind.DATE)
    table = add_question(
        inquiry,
        code="Q5",
        kind=QuestionKind.TABLE,
        table_rows=["本庁", "支所"],
        table_columns=["端末", "サーバ"],
    )
    towns = make_towns(3)
    values = [
        (PLATFORM[0], 70, '=HYPERLINK("http://evil.example","x")', "2012-12-22", 10),
        (PLATFORM[1], -5, "@SUM(1+1)", "2011-04-01", 20),
        (PLATFORM[0], 2.5, "髙橋𠮷野家—提出", None, 30),
    ]
    for town, (c, n, t, d, terminals) in zip(towns, values, strict=True):
        data = {
            str(choice.pk): c,
            str(number.pk): n,
            str(text.pk): t,
            str(table.pk): {"本庁": {"端末": terminals, "サーバ": 1}, "支所": {"端末": 2}},
        }
        if d:
            data[str(date.pk)] = d
        submit_answer(inquiry, town, data)
    return inquiry, towns


def _workbook(data, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(workbook_xlsx(data, **kwargs)))


def test_workbook_has_summary_matrix_and_one_sheet_per_table(answered):
    inquiry, _ = answered

    book = _workbook(compilation_data(inquiry=inquiry))

    assert book.sheetnames == ["集計", "回答一覧", "Q5 表"]


def test_matrix_sheet_freezes_header_and_organization_columns_and_filters(answered):
    inquiry, towns = answered

    sheet = _workbook(compilation_data(inquiry=inquiry))["回答一覧"]

    assert [c.value for c in sheet[1]][:3] == ["団体コード", "都道府県", "団体名"]
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}4"
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == [t.code for t in towns]
    assert sheet.column_dimensions["C"].width > 10


def test_matrix_sheet_neutralises_formulas_and_keeps_numbers_and_dates(answered):
    inquiry, _ = answered

    sheet = _workbook(compilation_data(inquiry=inquiry))["回答一覧"]

    header = [c.value for c in sheet[1]]
    number_col = header.index("Q2 Q2の設問（台）") + 1
    text_col = header.index("Q3 Q3の設問") + 1
    date_col = header.index("Q4 Q4の設問") + 1
    assert sheet.cell(2, text_col).value == '\'=HYPERLINK("http://evil.example","x")'
    assert sheet.cell(2, text_col).data_type == "s"
    assert sheet.cell(3, text_col).value == "'@SUM(1+1)"
    assert [sheet.cell(r, number_col).value for r in (2, 3, 4)] == [70, -5, 2.5]
    assert sheet.cell(3, number_col).data_type == "n"
    assert sheet.cell(2, date_col).value.date() == dt.date(2012, 12, 22)
    assert sheet.cell(2, date_col).is_date
    formulas = [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] in "=+-@")
    ]
    assert formulas == []


def test_summary_sheet_writes_shares_the_way_councils_report_them(answered):
    inquiry, _ = answered

    sheet = _workbook(compilation_data(inquiry=inquiry))["集計"]

    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "3団体中2団体（66.7%）" in texts
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert rows["合計（台）"][1].value == 67.5
    assert rows["準拠している"][3].value == pytest.approx(2 / 3)


def test_table_sheet_lists_each_organization_and_sums_numeric_cells(answered):
    inquiry, towns = answered

    sheet = _workbook(compilation_data(inquiry=inquiry))["Q5 表"]

    assert sheet.freeze_panes == "F4"
    assert [c.value for c in sheet[2]][5] == "本庁"
    assert [c.value for c in sheet[3]][5:9] == ["端末", "サーバ", "端末", "サーバ"]
    assert [sheet.cell(r, 1).value for r in (4, 5, 6)] == [t.code for t in towns]
    assert [c.value for c in sheet[7]][5:9] == [60, 3, 6, 0]


def test_workbook_hides_names_and_codes_when_told(answered):
    inquiry, towns = answered

    book = _workbook(compilation_data(inquiry=inquiry, hide_names=True))

    everything = {
        str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value
    }
    for town in towns:
        assert town.name not in everything
        assert town.code not in everything
    assert {"団体A", "団体B", "団体C"} <= everything


def test_workbook_reports_progress_up_to_the_end(answered):
    inquiry, _ = answered
    seen = []

    workbook_xlsx(compilation_data(inquiry=inquiry), progress=seen.append)

    assert seen == sorted(seen)
    assert seen[-1] >= 90


def test_csv_in_utf8_starts_with_a_bom_and_quotes_formulas(answered):
    inquiry, towns = answered
    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    content, replaced = matrix_csv(matrix, encoding="utf-8-sig")

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["団体コード", "都道府県", "団体名"]
    assert rows[1][0] == towns[0].code
    assert '\'=HYPERLINK("http://evil.example","x")' in rows[1]
    assert "-5" in rows[2]  # a number, not text: left alone
    assert "髙橋𠮷野家—提出" in rows[3]
    assert replaced == []


def test_csv_in_shift_jis_decodes_and_reports_replaced_characters(answered):
    inquiry, towns = answered
    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    content, replaced = matrix_csv(matrix, encoding="cp932")

    rows = list(csv.reader(io.StringIO(content.decode("cp932"))))
    assert rows[0][2] == "団体名"
    assert "髙橋〓野家―提出" in rows[3]
    [replacement] = replaced
    assert (replacement.row, replacement.column, replacement.characters) == (
        towns[2].name,
        "Q3 Q3の設問",
        "𠮷",
    )


def test_export_build_names_the_file_and_explains_replacements(answered):
    inquiry, _ = answered
    data = compilation_data(inquiry=inquiry)

    built = export_build(data=data, export_format=ExportFormat.CSV_SJIS)

    assert built.name == export_filename(inquiry, ExportFormat.CSV_SJIS)
    assert built.name.endswith(".csv")
    assert built.content_type == "text/csv; charset=Shift_JIS"
    assert built.notes == [
        "テスト302町「Q3 Q3の設問」の「𠮷」は Shift_JIS で表せないため「〓」に置き換えました。"
    ]


def test_export_filename_drops_characters_windows_refuses(council):
    inquiry = make_inquiry(council, title='照会: A/B "テスト"?')

    name = export_filename(inquiry, ExportFormat.XLSX, on=dt.date(2012, 10, 23))

    assert name == f"照会{inquiry.pk}_照会_ A_B _テスト__集計_20121023.xlsx"


def test_matrix_sheet_writes_dates_as_dates_in_the_japanese_era_format(answered):
    inquiry, _ = answered

    sheet = _workbook(compilation_data(inquiry=inquiry))["回答一覧"]

    date_col = [c.value for c in sheet[1]].index("Q4 Q4の設問") + 1
    cell = sheet.cell(2, date_col)
    assert cell.is_date
    assert cell.number_format == WAREKI_DATE_FORMAT == '[$-411]ggge"年"m"月"d"日"'


def test_csv_keeps_iso_dates_for_other_systems(answered):
    inquiry, _ = answered
    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    content, _ = matrix_csv(matrix, encoding="utf-8-sig")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert "2012-12-22" in rows[1]


def test_the_two_csv_encodings_get_different_file_names(council):
    inquiry = make_inquiry(council, title="端末調査")
    on = dt.date(2026, 4, 1)

    names = {f: export_filename(inquiry, f, on=on) for f in ExportFormat}

    assert names[ExportFormat.CSV_UTF8] == f"照会{inquiry.pk}_端末調査_集計_20260401_UTF-8.csv"
    assert names[ExportFormat.CSV_SJIS] == f"照会{inquiry.pk}_端末調査_集計_20260401_Shift_JIS.csv"
    assert names[ExportFormat.XLSX] == f"照会{inquiry.pk}_端末調査_集計_20260401.xlsx"

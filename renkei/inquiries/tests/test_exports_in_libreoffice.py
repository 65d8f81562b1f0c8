"""Every export of an inquiry, downloaded and opened in LibreOffice Calc as a person would."""

import datetime as dt

import pytest
from django.urls import reverse

from renkei.inquiries.models import Export, InquiryStatus, QuestionKind
from renkei.inquiries.tests.builders import (
    add_question,
    make_inquiry,
    submit_answer,
)
from renkei.testing import login_client as login
from tests.libreoffice import requires_soffice


@pytest.fixture
def answered(council):
    """当別町 (団体コード 013030, leading zero) answers a number, a date and a text."""
    inquiry = make_inquiry(council, title="端末調査", status=InquiryStatus.PUBLISHED)
    number = add_question(inquiry, code="Q1", kind=QuestionKind.NUMBER, unit="台")
    date = add_question(inquiry, code="Q2", kind=QuestionKind.DATE)
    text = add_question(inquiry, code="Q3", kind=QuestionKind.SHORT_TEXT)
    submit_answer(
        inquiry,
        council.member_org,
        {str(number.pk): 1791, str(date.pk): "2026-04-01", str(text.pk): "庁内LAN更新"},
    )
    # The longest date there is to show: 「令和8年12月28日」.
    submit_answer(inquiry, council.other_org, {str(date.pk): "2026-12-28"})
    return inquiry


def _download(council, inquiry, export_format: str) -> tuple[str, bytes]:
    client = login(council.board)
    client.post(reverse("inquiries:export_list", args=[inquiry.pk]), {"format": export_format})
    export = Export.objects.filter(format=export_format).latest("pk")
    response = client.get(reverse("inquiries:export_download", args=[inquiry.pk, export.pk]))
    name = response["Content-Disposition"].split("filename*=utf-8''")[-1]
    return name, b"".join(response.streaming_content)


def _row(rows: list[list], first: str) -> list:
    return next(row for row in rows if row and row[0] == first)


@requires_soffice
def test_workbook_in_calc_shows_codes_with_zeros_japanese_era_dates_and_numbers(
    council, answered, libreoffice
):
    _, content = _download(council, answered, "xlsx")

    sheets = libreoffice.sheets_as_shown(content, name="export.xlsx")

    assert set(sheets) == {"集計", "回答一覧"}
    matrix = sheets["回答一覧"]
    header = matrix[0]
    row = _row(matrix, "013030")
    assert row[header.index("団体名")] == "当別町"
    assert row[header.index("Q2 Q2の設問")] == "令和8年4月1日"
    assert row[header.index("Q1 Q1の設問（台）")] == "1,791"
    summary = sheets["集計"]
    assert _row(summary, "合計（台）")[1] == "1,791"
    assert _row(summary, "最も早い日")[1] == "令和8年4月1日"
    # A column too narrow for its value shows ### instead of the date.
    shown = [cell for rows in sheets.values() for line in rows for cell in line]
    assert not [cell for cell in shown if cell.startswith("###")]


@requires_soffice
@pytest.mark.parametrize(
    ("export_format", "encoding"), [("csv_utf8", "utf-8"), ("csv_sjis", "cp932")]
)
def test_csv_in_calc_reads_japanese_text_numbers_and_iso_dates(
    council, answered, libreoffice, export_format, encoding
):
    _, content = _download(council, answered, export_format)

    rows = libreoffice.csv_opened(content, name="export.csv", encoding=encoding)

    header, row = rows[0], next(r for r in rows if r[2] == "当別町")
    assert header[:3] == ["団体コード", "都道府県", "団体名"]
    assert row[header.index("団体名")] == "当別町"
    assert row[header.index("Q1 Q1の設問（台）")] == 1791
    assert row[header.index("Q2 Q2の設問")].date() == dt.date(2026, 4, 1)
    assert row[header.index("Q3 Q3の設問")] == "庁内LAN更新"
    # The file itself keeps the code as other systems need it; the export page says that a
    # spreadsheet opening the CSV drops the zero, and points people to the workbook.
    assert b"013030" in content


def test_the_two_csv_downloads_have_different_names(council, answered):
    utf8_name, _ = _download(council, answered, "csv_utf8")
    sjis_name, _ = _download(council, answered, "csv_sjis")

    assert utf8_name != sjis_name
    assert utf8_name.endswith("_UTF-8.csv")
    assert sjis_name.endswith("_Shift_JIS.csv")

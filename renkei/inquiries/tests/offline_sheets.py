"""Offline answer sheets in tests: where sheet_inquiry's answers land, filling and importing."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.inquiries.models import Answer
from renkei.inquiries.offline.download import answer_sheet_xlsx
from renkei.inquiries.offline.reading import offline_answer_import
from renkei.inquiries.permissions import get_answer_for

# Where each input lands on the sheet for sheet_inquiry's questions (pinned on purpose: the
# error messages name these cells).
CELLS = {
    "single": "B9",
    "single_other": "B10",
    "csv": "B12",
    "xml": "B13",
    "number": "B14",
    "date": "B15",
    "text": "B16",
    "honcho_terminal": "B19",
    "honcho_server": "C19",
    "shisho_terminal": "B20",
    "shisho_server": "C20",
}


def sheet_download(council, inquiry, user=None) -> bytes:
    """Return the answer sheet of the user's organization (当別町's staff by default)."""
    return answer_sheet_xlsx(answer=get_answer_for(user or council.staff, inquiry.pk))


def sheet_fill(content, values, *, edit=None) -> bytes:
    """Return the sheet with the values typed in (by CELLS name or reference) and edited."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["回答"]
    for name, value in values.items():
        sheet[CELLS.get(name, name)] = value
    if edit:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_upload(content, name="回答票.xlsx") -> SimpleUploadedFile:
    """Return the sheet as the upload a browser sends."""
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def sheet_import(council, inquiry, content, *, user=None, name="回答票.xlsx") -> Answer:
    """Import the sheet as the user (当別町's staff by default) and return the answer."""
    user = user or council.staff
    answer = get_answer_for(user, inquiry.pk)
    offline_answer_import(answer=answer, by=user, upload=sheet_upload(content, name))
    return answer


# A complete, valid answer to sheet_inquiry's questions.
VALID = {
    "single": "その他",
    "single_other": "独自仕様で連携",
    "csv": "○",
    "number": 70,
    "date": "令和8年4月1日",
    "text": "-5台（予定）",
    "honcho_terminal": 70,
    "honcho_server": 2,
    "shisho_terminal": 5,
    "shisho_server": 0,
}

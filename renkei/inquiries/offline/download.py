"""Writing an organization's answer sheet (.xlsx) with its current answers, signed."""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import xlsxwriter
from django.core import signing
from xlsxwriter.utility import xl_rowcol_to_cell

from renkei.core.question_kinds import kind_of
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization
from renkei.inquiries.models import (
    Answer,
    Inquiry,
)
from renkei.inquiries.offline.layout import (
    ANSWER_SHEET,
    CHOSEN,
    FIRST_QUESTION_ROW,
    KEY_HEADER,
    LISTS_SHEET,
    META_SHEET,
    SALT,
    SHEET_VERSION,
    Layout,
    sheet_layout,
)
from renkei.inquiries.selectors.questions import inquiry_questions

# What Excel accepts in an answer cell, by the cell's style (the question kind's sheet_cell);
# a "list" cell takes its source, the question's options, from the lists sheet.
LIST_RULE: dict[str, Any] = {
    "validate": "list",
    "error_title": "選択肢にない値です",
    "error_message": "一覧から選んでください。",
}
CELL_RULES: dict[str, dict[str, Any]] = {
    "chosen": {
        "validate": "list",
        "source": [CHOSEN],
        "error_title": "入力できない値です",
        "error_message": f"該当する場合は「{CHOSEN}」を選び、該当しない場合は空欄にしてください。",
    },
    "number": {
        "validate": "decimal",
        "criteria": "between",
        "minimum": -1e15,
        "maximum": 1e15,
        "error_title": "数値で入力してください",
        "error_message": "半角の数値を入力してください。",
    },
    "date": {
        "validate": "date",
        "criteria": "between",
        "minimum": dt.date(1900, 1, 1),
        "maximum": dt.date(2199, 12, 31),
        "error_title": "日付で入力してください",
        "error_message": "2026/4/1 のように入力してください。",
        "error_type": "warning",
    },
}


def _signature(
    *, inquiry: Inquiry, organization: Organization, fingerprint: str, revision: int
) -> str:
    payload = {
        "v": SHEET_VERSION,
        "i": inquiry.pk,
        "o": organization.pk,
        "c": organization.code or "",
        "f": fingerprint,
        # The answer's revision the sheet was made from: an upload saves only if nobody
        # saved since (services.answer_save's conditional update), as the web form does.
        "r": revision,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _current_values(layout: Layout, data: dict[str, Any]) -> dict[tuple[int, int], Any]:
    """Return the values already in the answer, placed on their input cells."""
    values: dict[tuple[int, int], Any] = {}
    for cell in layout.inputs:
        question = cell.question
        value = data.get(str(question.pk))
        part = cell.part[0]
        if part == "value":
            current = value
        elif part == "option":
            chosen = value if isinstance(value, list) else []
            current = CHOSEN if cell.part[1] in chosen else None
        elif part == "other":
            current = data.get(f"{question.pk}_other")
        else:
            cells = value.get(cell.part[1]) if isinstance(value, dict) else None
            current = cells.get(cell.part[2]) if isinstance(cells, dict) else None
        if current not in (None, "", []):
            values[(cell.row, cell.col)] = current
    return values


def answer_sheet_xlsx(*, answer: Answer) -> bytes:
    """Return the organization's answer sheet, with its current answer filled in."""
    inquiry, organization, data = answer.inquiry, answer.organization, answer.data or {}
    questions = inquiry_questions(inquiry)
    layout = sheet_layout(questions)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet(ANSWER_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    meta = workbook.add_worksheet(META_SHEET)

    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#DDE5EE", "border": 1})
    question_format = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F3F5F7"}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    required_format = workbook.add_format({"bold": True, "font_color": "#A40E26"})
    note_format = workbook.add_format({"font_color": "#555555", "text_wrap": True, "valign": "top"})
    entry = {"locked": False, "bg_color": "#FFF9C4", "border": 1, "valign": "top"}
    entry_text = workbook.add_format({**entry, "text_wrap": True, "num_format": "@"})
    entry_number = workbook.add_format({**entry, "num_format": "General"})
    entry_date = workbook.add_format({**entry, "num_format": "yyyy/mm/dd"})

    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 6)
    sheet.set_column(3, 3, 36)
    widest_table = max(
        (len(q.table_columns) for q in questions if kind_of(q).sheet_shape == "table"), default=0
    )
    if widest_table > 3:
        sheet.set_column(4, widest_table, 14)

    sheet.write_string(0, 0, "照会回答票", title)
    sheet.write_string(1, 0, "照会", bold)
    sheet.write_string(1, 1, inquiry.title, wrap)
    sheet.write_string(2, 0, "団体コード", bold)
    sheet.write_string(2, 1, organization.code or "（なし）")
    sheet.write_string(3, 0, "団体名", bold)
    sheet.write_string(3, 1, organization.name)
    sheet.write_string(4, 0, "回答期限", bold)
    sheet.write_string(4, 1, format_datetime(inquiry.deadline) if inquiry.deadline else "－")
    sheet.write_string(
        5,
        0,
        "黄色のセルに入力し、Renkei の「Excelで回答」ページからアップロードしてください。"
        "「必須」の設問は必ず回答してください。ほかの団体の回答票は使えません。",
    )
    for col, text in enumerate(["設問", "回答", "必須", "入力方法・条件"]):
        sheet.write_string(FIRST_QUESTION_ROW - 1, col, text, header)

    for item in layout.labels:
        for col, text in enumerate(item.cells):
            if not text:
                continue
            if col == 0:
                cell_format = question_format if item.heading else wrap
            elif col == 2 and text == "必須":
                cell_format = required_format
            elif col == 3:
                cell_format = note_format
            else:
                cell_format = header if not item.heading else wrap
            sheet.write_string(item.row, col, text, cell_format)
        height = kind_of(item.question).sheet_row_height if item.question is not None else None
        if height is not None:
            sheet.set_row(item.row, height)

    current = _current_values(layout, data)
    list_column = 0
    list_ranges: dict[int, str] = {}
    for cell in layout.inputs:
        question = cell.question
        value = current.get((cell.row, cell.col))
        part = cell.part[0]
        # How the question's kind writes and checks this cell (question_kinds).
        style = kind_of(question).sheet_cell(question, part)
        if style == "list":
            if question.pk not in list_ranges:
                options = question.options
                for index, option in enumerate(options):
                    lists.write_string(index, list_column, option)
                first = xl_rowcol_to_cell(0, list_column, row_abs=True, col_abs=True)
                last = xl_rowcol_to_cell(len(options) - 1, list_column, row_abs=True, col_abs=True)
                list_ranges[question.pk] = f"='{LISTS_SHEET}'!{first}:{last}"
                list_column += 1
            rule = {**LIST_RULE, "source": list_ranges[question.pk]}
        else:
            rule = CELL_RULES.get(style)
        if rule is not None:
            sheet.data_validation(cell.row, cell.col, cell.row, cell.col, rule)
        if style == "number":
            if _exact_in_excel(value):
                sheet.write_number(cell.row, cell.col, value, entry_number)
            elif value is not None:
                sheet.write_string(cell.row, cell.col, str(value), entry_number)
            else:
                sheet.write_blank(cell.row, cell.col, None, entry_number)
        elif style == "date":
            parsed = _stored_date(value)
            if parsed is not None:
                sheet.write_datetime(cell.row, cell.col, parsed, entry_date)
            else:
                sheet.write_blank(cell.row, cell.col, None, entry_date)
        elif value is not None:
            sheet.write_string(cell.row, cell.col, str(value), entry_text)
        else:
            sheet.write_blank(cell.row, cell.col, None, entry_text)

    key_col = layout.key_col
    sheet.set_column(key_col, key_col, None, None, {"hidden": True})
    sheet.write_string(FIRST_QUESTION_ROW - 1, key_col, KEY_HEADER)
    for item in layout.labels:
        sheet.write_string(item.row, key_col, item.key)

    sheet.freeze_panes(FIRST_QUESTION_ROW, 0)
    # Protection keeps the questions from being edited by accident; the signature, not
    # this, is what keeps a sheet to its inquiry and organization.
    sheet.protect("", {"format_columns": True, "format_rows": True})
    sheet.activate()
    lists.hide()
    lists.protect()

    fingerprint = layout.fingerprint()
    for row, (key, value) in enumerate(
        [
            ("inquiry_id", str(inquiry.pk)),
            ("organization_code", organization.code or ""),
            ("organization_id", str(organization.pk)),
            ("layout", fingerprint),
            ("revision", str(answer.revision)),
            (
                "signature",
                _signature(
                    inquiry=inquiry,
                    organization=organization,
                    fingerprint=fingerprint,
                    revision=answer.revision,
                ),
            ),
        ]
    ):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, value)
    meta.very_hidden()
    meta.protect()
    workbook.close()
    return output.getvalue()


def _exact_in_excel(value: Any) -> bool:
    """Tell whether a stored number survives the trip through an Excel number cell.

    Excel keeps 15 significant digits (xlsxwriter writes 17 for a float); an integer past
    2**53 or a float that needs more digits is written as text, which reads back exactly.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return abs(value) <= 2**53
    return math.isfinite(value) and float(f"{value:.15g}") == value


def _stored_date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def answer_sheet_filename(*, inquiry: Inquiry, organization: Organization) -> str:
    """Return 「照会12_回答票_012289_深川市.xlsx」."""
    code = organization.code or str(organization.pk)
    return f"照会{inquiry.pk}_回答票_{code}_{organization.name}.xlsx"

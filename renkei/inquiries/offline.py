"""Answering offline: an organization's own answer sheet (.xlsx) out, the filled sheet in.

The sheet carries, on a very hidden and protected sheet, the inquiry id, the
organization's code and id, a fingerprint of the questions' layout and a signature over
all of them (django.core.signing, keyed by SECRET_KEY). An upload is refused unless the
signature holds and names this inquiry and this organization, so a sheet cannot be
replayed for another organization or another inquiry, nor edited to claim one.

Every input cell is checked; errors name the cell the way Excel does (「B5: 選択肢にない値
です」). Nothing is saved unless the whole sheet is valid; the answer is then saved as a
draft through services.answer_save, like the answer form does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from xlsxwriter.utility import xl_rowcol_to_cell

from renkei.accounts.models import User
from renkei.core.wareki import WarekiParseError, format_datetime, parse_date
from renkei.directory.models import Organization
from renkei.inquiries.compilation import number_value
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerKind,
    Inquiry,
    Question,
    QuestionKind,
)
from renkei.inquiries.selectors import hidden_question_ids, inquiry_questions, missing_required
from renkei.inquiries.services import answer_save

SALT = "renkei.inquiries.offline.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real answer sheet unpacks to well under this.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
ANSWER_SHEET = "回答"
LISTS_SHEET = "選択肢"
META_SHEET = "renkei"
CHOSEN = "○"
# What people type for "chosen" when they do not use the drop-down.
CHOSEN_MARKS = frozenset({"○", "◯", "〇", "●", "o", "O", "1", "✓", "✔", "レ"})
FIRST_QUESTION_ROW = 8  # 0-based row of the first question, under the header row
ONE_CELL_KINDS = frozenset(
    {
        QuestionKind.SINGLE,
        QuestionKind.YES_NO,
        QuestionKind.NUMBER,
        QuestionKind.DATE,
        QuestionKind.SHORT_TEXT,
        QuestionKind.LONG_TEXT,
    }
)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfflineSheetError(Exception):
    """An uploaded sheet that cannot be used; `errors` are shown to the user as they are."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputCell:
    """A cell the organization fills in, and what part of which question it answers."""

    row: int  # 0-based
    col: int  # 0-based
    question: Question
    # ("value",), ("option", label), ("other",), ("cell", row label, column label)
    part: tuple[str, ...]

    @property
    def ref(self) -> str:
        """Return the cell's A1 reference ("B9")."""
        return xl_rowcol_to_cell(self.row, self.col)


@dataclass(frozen=True)
class LabelRow:
    """A row of text beside the inputs: a question, an option or a table's header."""

    row: int
    cells: tuple[str, ...]
    question: Question | None = None
    heading: bool = False


@dataclass
class Layout:
    """Where every question of an inquiry goes on the answer sheet."""

    labels: list[LabelRow] = field(default_factory=list)
    inputs: list[InputCell] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Return a digest of the layout; a sheet made for another layout is refused."""
        shape = [(i.row, i.col, i.question.pk, i.question.kind, list(i.part)) for i in self.inputs]
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:32]


def _hint(question: Question) -> str:
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return "一覧から選択"
    if kind == QuestionKind.MULTIPLE:
        return f"該当するものに「{CHOSEN}」"
    if kind == QuestionKind.NUMBER:
        return f"数値（単位：{question.unit}）" if question.unit else "数値"
    if kind == QuestionKind.DATE:
        return "日付（例：2026/4/1）"
    if kind == QuestionKind.TABLE:
        return "下の表に数値を入力" if question.table_numeric else "下の表に入力"
    if kind == QuestionKind.FILE:
        return "ファイルはWeb画面で添付してください"
    return "文章で入力"


def _condition_note(question: Question, by_id: dict[int, Question]) -> str:
    parent = by_id.get(question.condition_question_id or 0)
    if parent is None:
        return ""
    return f"{parent.code}で「{question.condition_value}」と回答した場合のみ"


def sheet_layout(questions: Iterable[Question]) -> Layout:
    """Place each question on the sheet: a row per question, rows per option or table row."""
    questions = list(questions)
    by_id = {q.pk: q for q in questions}
    layout = Layout()
    row = FIRST_QUESTION_ROW

    def label(*cells: str, question: Question | None = None, heading: bool = False) -> None:
        layout.labels.append(LabelRow(row=row, cells=cells, question=question, heading=heading))

    for question in questions:
        title = f"{question.code} {question.text}".strip()
        required = "必須" if question.required and question.kind != QuestionKind.FILE else ""
        note = "　".join(x for x in (_hint(question), _condition_note(question, by_id)) if x)
        kind = question.kind
        if kind in ONE_CELL_KINDS:
            label(title, "", required, note, question=question, heading=True)
            layout.inputs.append(InputCell(row, 1, question, ("value",)))
            row += 1
        elif kind == QuestionKind.MULTIPLE:
            label(title, "", required, note, question=question, heading=True)
            row += 1
            for option in question.options:
                label(f"　・{option}", question=question)
                layout.inputs.append(InputCell(row, 1, question, ("option", option)))
                row += 1
        elif kind == QuestionKind.TABLE:
            label(title, "", required, note, question=question, heading=True)
            row += 1
            label("", *[str(c) for c in question.table_columns], question=question)
            row += 1
            for table_row in question.table_rows:
                label(f"　{table_row}", question=question)
                for offset, column in enumerate(question.table_columns):
                    layout.inputs.append(
                        InputCell(row, 1 + offset, question, ("cell", str(table_row), str(column)))
                    )
                row += 1
        else:  # file: answered on the web only
            label(title, "（Web画面で添付）", required, note, question=question, heading=True)
            row += 1
        if question.allow_other and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            label(f"　{OTHER_CHOICE}の内容", "", "", f"「{OTHER_CHOICE}」を選んだ場合に入力")
            layout.inputs.append(InputCell(row, 1, question, ("other",)))
            row += 1
    return layout


# --- Download --------------------------------------------------------------------------------


def _signature(*, inquiry: Inquiry, organization: Organization, fingerprint: str) -> str:
    payload = {
        "i": inquiry.pk,
        "o": organization.pk,
        "c": organization.code or "",
        "f": fingerprint,
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


def answer_sheet_xlsx(
    *, inquiry: Inquiry, organization: Organization, data: dict[str, Any]
) -> bytes:
    """Return the organization's answer sheet, with its current answer filled in."""
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
        (len(q.table_columns) for q in questions if q.kind == QuestionKind.TABLE), default=0
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
        if item.question is not None and item.question.kind == QuestionKind.LONG_TEXT:
            sheet.set_row(item.row, 90)

    current = _current_values(layout, data)
    list_column = 0
    list_ranges: dict[int, str] = {}
    for cell in layout.inputs:
        question = cell.question
        value = current.get((cell.row, cell.col))
        part = cell.part[0]
        numeric = question.kind == QuestionKind.NUMBER or (
            question.kind == QuestionKind.TABLE and question.table_numeric
        )
        if part == "value" and question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            if question.pk not in list_ranges:
                options = question.options
                for index, option in enumerate(options):
                    lists.write_string(index, list_column, option)
                first = xl_rowcol_to_cell(0, list_column, row_abs=True, col_abs=True)
                last = xl_rowcol_to_cell(len(options) - 1, list_column, row_abs=True, col_abs=True)
                list_ranges[question.pk] = f"='{LISTS_SHEET}'!{first}:{last}"
                list_column += 1
            sheet.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {
                    "validate": "list",
                    "source": list_ranges[question.pk],
                    "error_title": "選択肢にない値です",
                    "error_message": "一覧から選んでください。",
                },
            )
        elif part == "option":
            sheet.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {
                    "validate": "list",
                    "source": [CHOSEN],
                    "error_title": "入力できない値です",
                    "error_message": f"該当する場合は「{CHOSEN}」を選び、該当しない場合は空欄にしてください。",
                },
            )
        elif part in ("value", "cell") and numeric:
            sheet.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {
                    "validate": "decimal",
                    "criteria": "between",
                    "minimum": -1e15,
                    "maximum": 1e15,
                    "error_title": "数値で入力してください",
                    "error_message": "半角の数値を入力してください。",
                },
            )
        elif part == "value" and question.kind == QuestionKind.DATE:
            sheet.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": dt.date(1900, 1, 1),
                    "maximum": dt.date(2199, 12, 31),
                    "error_title": "日付で入力してください",
                    "error_message": "2026/4/1 のように入力してください。",
                    "error_type": "warning",
                },
            )
        if numeric:
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(cell.row, cell.col, value, entry_number)
            elif value is not None:
                sheet.write_string(cell.row, cell.col, str(value), entry_number)
            else:
                sheet.write_blank(cell.row, cell.col, None, entry_number)
        elif question.kind == QuestionKind.DATE and part == "value":
            parsed = _stored_date(value)
            if parsed is not None:
                sheet.write_datetime(cell.row, cell.col, parsed, entry_date)
            else:
                sheet.write_blank(cell.row, cell.col, None, entry_date)
        elif value is not None:
            sheet.write_string(cell.row, cell.col, str(value), entry_text)
        else:
            sheet.write_blank(cell.row, cell.col, None, entry_text)

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
            (
                "signature",
                _signature(inquiry=inquiry, organization=organization, fingerprint=fingerprint),
            ),
        ]
    ):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, value)
    meta.very_hidden()
    meta.protect()
    workbook.close()
    return output.getvalue()


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


# --- Upload ----------------------------------------------------------------------------------


def upload_check(upload: UploadedFile) -> bytes:
    """Return the bytes of an uploaded .xlsx, refusing other types, macros and big files."""
    name = (upload.name or "").lower()
    if not name.endswith(".xlsx"):
        raise OfflineSheetError(
            [
                "Excel ブック（.xlsx）のみアップロードできます。"
                "マクロ有効ブック（.xlsm）や旧形式（.xls）、その他の形式は受け付けません。"
            ]
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise OfflineSheetError(["ファイルが大きすぎます（上限 5 MB）。"])
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise OfflineSheetError(["ファイルが大きすぎます（上限 5 MB）。"])
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise OfflineSheetError(
            ["旧形式の Excel ファイル（.xls）です。.xlsx 形式で保存し直してください。"]
        )
    not_xlsx = OfflineSheetError(
        ["Excel ブック（.xlsx）として読み込めません。ダウンロードした回答票を使ってください。"]
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise not_xlsx from exc
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if any("vbaproject" in n for n in names):
        raise OfflineSheetError(
            ["マクロを含むファイルは受け付けません。マクロを含まない .xlsx で保存してください。"]
        )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise not_xlsx
    try:
        content_types = archive.read("[Content_Types].xml")
    except KeyError as exc:
        raise not_xlsx from exc
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise OfflineSheetError(
            ["マクロを含むファイルは受け付けません。マクロを含まない .xlsx で保存してください。"]
        )
    return content


def _sheet_values(sheet: Any) -> dict[tuple[int, int], Any]:
    """Return every non-empty cell of a read-only sheet by 0-based (row, column)."""
    values = {}
    for row_index, row in enumerate(sheet.iter_rows(values_only=True)):
        for col_index, value in enumerate(row):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                values[(row_index, col_index)] = value
    return values


def _meta(book: Any) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise OfflineSheetError(
            [
                "Renkei の回答票ではありません。「回答票をダウンロード」で取得したファイルを使ってください。"
            ]
        )
    found = {}
    for row in book[META_SHEET].iter_rows(values_only=True, max_col=2):
        if row and row[0]:
            found[str(row[0])] = "" if row[1] is None else str(row[1])
    return found


def signature_check(
    *, meta: dict[str, str], inquiry: Inquiry, organization: Organization, fingerprint: str
) -> None:
    """Refuse a sheet whose signature fails or names another inquiry or organization."""
    try:
        payload = signing.loads(meta.get("signature", ""), salt=SALT)
    except signing.BadSignature as exc:
        raise OfflineSheetError(
            [
                "回答票の署名が正しくありません。回答票の管理情報が書き換えられた可能性があります。"
                "改めてダウンロードした回答票を使ってください。"
            ]
        ) from exc
    visible = (meta.get("inquiry_id"), meta.get("organization_id"), meta.get("organization_code"))
    if visible != (str(payload.get("i")), str(payload.get("o")), payload.get("c")):
        raise OfflineSheetError(
            ["回答票の管理情報が署名と一致しません。改めてダウンロードした回答票を使ってください。"]
        )
    if payload.get("i") != inquiry.pk:
        raise OfflineSheetError(
            [f"この回答票は別の照会（照会番号 {payload.get('i')}）のものです。"]
        )
    if payload.get("o") != organization.pk:
        code = payload.get("c") or "コードなし"
        raise OfflineSheetError(
            [f"この回答票は他の団体（団体コード {code}）用です。自団体の回答票を使ってください。"]
        )
    if payload.get("f") != fingerprint:
        raise OfflineSheetError(
            [
                "ダウンロード後に照会の設問が変更されたため、この回答票は使えません。"
                "最新の回答票をダウンロードしてください。"
            ]
        )


@dataclass
class _Parsed:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def error(self, cell: InputCell, message: str) -> None:
        self.errors.setdefault(cell.question.pk, []).append((cell.ref, message))


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip()


def _cell_number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return number_value(value)


def _cell_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return parse_date(value).isoformat()
        except WarekiParseError:
            return None
    return None


def _parse_cells(layout: Layout, values: dict[tuple[int, int], Any]) -> _Parsed:
    """Read every input cell into Answer.data values, noting each cell's error."""
    parsed = _Parsed()
    for cell in layout.inputs:
        question = cell.question
        key = str(question.pk)
        raw = values.get((cell.row, cell.col))
        part = cell.part[0]
        kind = question.kind
        if part == "other":
            if raw is not None:
                parsed.data[f"{key}_other"] = _as_text(raw)
            continue
        if part == "option":
            parsed.data.setdefault(key, [])
            if raw is None:
                continue
            if _as_text(raw) in CHOSEN_MARKS:
                parsed.data[key].append(cell.part[1])
            else:
                parsed.error(cell, f"「{CHOSEN}」を入力するか空欄にしてください")
            continue
        if part == "cell":
            table = parsed.data.setdefault(key, {})
            row_cells = table.setdefault(cell.part[1], {})
            if raw is None:
                row_cells[cell.part[2]] = None
            elif question.table_numeric:
                number = _cell_number(raw)
                if number is None:
                    parsed.error(cell, "数値で入力してください")
                row_cells[cell.part[2]] = number
            else:
                row_cells[cell.part[2]] = _as_text(raw)
            continue
        if raw is None:
            continue
        if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            text = _as_text(raw)
            if text in question.options:
                parsed.data[key] = text
            else:
                parsed.error(cell, "選択肢にない値です")
        elif kind == QuestionKind.NUMBER:
            number = _cell_number(raw)
            if number is None:
                parsed.error(cell, "数値で入力してください")
            else:
                parsed.data[key] = number
        elif kind == QuestionKind.DATE:
            date = _cell_date(raw)
            if date is None:
                parsed.error(cell, "日付で入力してください（例：2026/4/1）")
            else:
                parsed.data[key] = date
        else:
            parsed.data[key] = _as_text(raw)
    # Empty lists and all-empty tables mean "not answered", as the form stores them.
    for key in [k for k, v in parsed.data.items() if v in ([], "")]:
        del parsed.data[key]
    for key, value in list(parsed.data.items()):
        if isinstance(value, dict) and all(
            cell is None for cells in value.values() for cell in cells.values()
        ):
            del parsed.data[key]
    return parsed


def _required_errors(
    *, layout: Layout, questions: list[Question], data: dict[str, Any], hidden: set[int]
) -> list[tuple[int, str, str]]:
    """Return (question id, cell, message) for each required question left empty."""
    errors = []
    cells_of: dict[int, list[InputCell]] = {}
    for cell in layout.inputs:
        cells_of.setdefault(cell.question.pk, []).append(cell)
    for question in missing_required(questions, data):
        if question.pk in hidden or question.kind == QuestionKind.FILE:
            continue
        cells = cells_of.get(question.pk, [])
        value = data.get(str(question.pk))
        if question.kind == QuestionKind.TABLE:
            table = value if isinstance(value, dict) else {}
            empty = [c for c in cells if (table.get(c.part[1]) or {}).get(c.part[2]) in (None, "")]
            errors.extend((question.pk, c.ref, "必須項目です") for c in empty)
            continue
        chose_other = OTHER_CHOICE in (value if isinstance(value, list) else [value])
        other_cells = [c for c in cells if c.part[0] == "other"]
        if value not in (None, "", []) and chose_other and other_cells:
            errors.append(
                (question.pk, other_cells[0].ref, f"「{OTHER_CHOICE}」の内容を入力してください")
            )
        elif cells:
            errors.append((question.pk, cells[0].ref, "必須項目です"))
    return errors


def answer_sheet_read(
    *, inquiry: Inquiry, organization: Organization, content: bytes, file_data: dict[str, Any]
) -> dict[str, Any]:
    """Return Answer.data read from a filled sheet, or raise with every problem found.

    `file_data` holds the answer's current file values, which the sheet cannot carry; they
    count for required file questions.
    """
    questions = inquiry_questions(inquiry)
    layout = sheet_layout(questions)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise OfflineSheetError(
            ["Excel ブック（.xlsx）として読み込めません。ダウンロードした回答票を使ってください。"]
        ) from exc
    try:
        meta = _meta(book)
        signature_check(
            meta=meta,
            inquiry=inquiry,
            organization=organization,
            fingerprint=layout.fingerprint(),
        )
        if ANSWER_SHEET not in book.sheetnames:
            raise OfflineSheetError([f"シート「{ANSWER_SHEET}」が見つかりません。"])
        values = _sheet_values(book[ANSWER_SHEET])
    finally:
        book.close()
    parsed = _parse_cells(layout, values)
    hidden = hidden_question_ids(questions, parsed.data)
    # Answers to questions the organization is not asked (by a display condition) are
    # dropped, as the answer form drops them, and their cells are not checked.
    data = {
        key: value for key, value in parsed.data.items() if int(key.split("_")[0]) not in hidden
    }
    problems = [
        (question_id, ref, message)
        for question_id, cell_errors in parsed.errors.items()
        if question_id not in hidden
        for ref, message in cell_errors
    ]
    # A cell already reported as wrong is not also reported as missing; nor is a question
    # with a wrong cell, except for the other cells of a table.
    wrong_cells = {ref for _, ref, _ in problems}
    tables = {q.pk for q in questions if q.kind == QuestionKind.TABLE}
    problems += [
        (question_id, ref, message)
        for question_id, ref, message in _required_errors(
            layout=layout, questions=questions, data={**data, **file_data}, hidden=hidden
        )
        if ref not in wrong_cells and (question_id in tables or question_id not in parsed.errors)
    ]
    if problems:
        order = {q.pk: i for i, q in enumerate(questions)}
        problems.sort(key=lambda p: (order.get(p[0], 0), _cell_order(p[1])))
        raise OfflineSheetError([f"{ref}: {message}" for _, ref, message in problems])
    return data


def _cell_order(ref: str) -> tuple[int, str]:
    letters = "".join(c for c in ref if c.isalpha())
    digits = "".join(c for c in ref if c.isdigit())
    return (int(digits or 0), letters)


def offline_answer_import(*, answer: Answer, by: User, upload: UploadedFile) -> Answer:
    """Save a filled answer sheet into the organization's answer, as a draft.

    Nothing is saved unless the whole sheet is valid; files already attached stay.
    """
    content = upload_check(upload)
    inquiry = answer.inquiry
    file_ids = {str(q.pk) for q in inquiry_questions(inquiry) if q.kind == QuestionKind.FILE}
    file_data = {k: v for k, v in (answer.data or {}).items() if k in file_ids}
    data = answer_sheet_read(
        inquiry=inquiry,
        organization=answer.organization,
        content=content,
        file_data=file_data,
    )
    return answer_save(
        answer=answer, by=by, revision=answer.revision, kind=AnswerKind.ANSWERED, data=data
    )

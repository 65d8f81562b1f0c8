"""Answering offline: an organization's own answer sheet (.xlsx) out, the filled sheet in.

The sheet carries, on a very hidden and protected sheet, the inquiry id, the
organization's code and id, a fingerprint of the questions' layout, the answer's revision
and a signature over all of them (django.core.signing, keyed by SECRET_KEY). An upload is
refused unless the signature holds and names this inquiry and this organization, so a
sheet cannot be replayed for another organization or another inquiry, nor edited to claim
one; it is saved only if nobody saved the answer since the sheet was made (else 409, as
the web form). A hidden column names each row's question, so a row inserted, deleted or
moved is refused rather than read into the wrong question.

The cells are read into the answer form (forms.AnswerForm), so every rule of the web form
applies; errors name the cell the way Excel does (「B5: …」). Nothing is saved unless the
whole sheet is valid; the answer is then saved as a draft through services.answer_save.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from openpyxl.utils.escape import unescape
from xlsxwriter.utility import xl_rowcol_to_cell

from renkei.accounts.models import User
from renkei.core.errors import ServiceError
from renkei.core.question_kinds import hidden_question_ids, kind_of
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization
from renkei.inquiries.forms import SUBMIT, AnswerForm, cell_field_name, question_field_name
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerKind,
    Inquiry,
    Question,
)
from renkei.inquiries.selectors import inquiry_questions
from renkei.inquiries.services import answer_save

SALT = "renkei.inquiries.offline.sheet"
# Bumped when what a sheet carries changes; an older sheet is refused with a clear message.
SHEET_VERSION = 2
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Limits on what an upload may unpack to, checked before any XML is parsed. A filled
# answer sheet of 100 questions unpacks to well under 1 MB; the longest answers the web
# form takes (20,000 characters a 長文) fit many times over (docs/operations.md).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200
# Sheet XML compresses 5–20 times; a part over RATIO_FLOOR_BYTES that unpacks more than
# MAX_COMPRESSION_RATIO times its packed size is a zip bomb, not a filled form.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_STYLE_RECORDS = 5_000
# openpyxl reads a shared string in about 50 µs: 20,000 take a second. An answer sheet has
# one per distinct label and answer, a few thousand at most.
MAX_SHARED_STRINGS = 20_000
ANSWER_SHEET = "回答"
LISTS_SHEET = "選択肢"
META_SHEET = "renkei"
KEY_HEADER = "設問キー"
CHOSEN = "○"
# What people type for "chosen" when they do not use the drop-down.
CHOSEN_MARKS = frozenset({"○", "◯", "〇", "●", "o", "O", "1", "✓", "✔", "レ"})
FIRST_QUESTION_ROW = 8  # 0-based row of the first question, under the header row
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfflineSheetError(ServiceError):
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
    field: str = ""  # the answer form's field this cell is read into

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
    # Written in a hidden column of the row, so that an inserted, deleted or moved row is
    # found on upload rather than read into the wrong question.
    key: str = ""


@dataclass
class Layout:
    """Where every question of an inquiry goes on the answer sheet."""

    labels: list[LabelRow] = field(default_factory=list)
    inputs: list[InputCell] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        """Return the 0-based index of the sheet's last question row."""
        return max((label.row for label in self.labels), default=FIRST_QUESTION_ROW)

    @property
    def key_col(self) -> int:
        """Return the 0-based index of the hidden column that names each row's question."""
        used = [len(label.cells) - 1 for label in self.labels] + [i.col for i in self.inputs]
        return max([3, *used]) + 1

    def fingerprint(self) -> str:
        """Return a digest of the layout; a sheet made for another layout is refused."""
        shape = [(i.row, i.col, i.question.pk, i.question.kind, list(i.part)) for i in self.inputs]
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:32]


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

    def label(
        *cells: str, question: Question | None = None, heading: bool = False, key: str
    ) -> None:
        layout.labels.append(
            LabelRow(row=row, cells=cells, question=question, heading=heading, key=key)
        )

    for question in questions:
        code = question.code
        name = question_field_name(question)
        title = f"{question.code} {question.text}".strip()
        kind = kind_of(question)
        required = "必須" if question.required and not kind.upload else ""
        hint = kind.sheet_hint(question)
        note = "　".join(x for x in (hint, _condition_note(question, by_id)) if x)
        shape = kind.sheet_shape
        if shape == "value":
            label(title, "", required, note, question=question, heading=True, key=code)
            layout.inputs.append(InputCell(row, 1, question, ("value",), name))
            row += 1
        elif shape == "options":
            label(title, "", required, note, question=question, heading=True, key=code)
            row += 1
            for option in question.options:
                label(f"　・{option}", question=question, key=f"{code}・{option}")
                layout.inputs.append(InputCell(row, 1, question, ("option", option), name))
                row += 1
        elif shape == "table":
            label(title, "", required, note, question=question, heading=True, key=code)
            row += 1
            columns = [str(c) for c in question.table_columns]
            label("", *columns, question=question, key=f"{code}・表の列")
            row += 1
            for r, table_row in enumerate(question.table_rows):
                label(f"　{table_row}", question=question, key=f"{code}・{table_row}")
                for c, column in enumerate(question.table_columns):
                    layout.inputs.append(
                        InputCell(
                            row,
                            1 + c,
                            question,
                            ("cell", str(table_row), str(column)),
                            cell_field_name(question, r, c),
                        )
                    )
                row += 1
        else:  # file: answered on the web only
            label(
                title,
                "（Web画面で添付）",
                required,
                note,
                question=question,
                heading=True,
                key=code,
            )
            row += 1
        if question.allow_other and kind.has_other:
            label(
                f"　{OTHER_CHOICE}の内容",
                "",
                "",
                f"「{OTHER_CHOICE}」を選んだ場合に入力",
                key=f"{code}・{OTHER_CHOICE}の内容",
            )
            layout.inputs.append(InputCell(row, 1, question, ("other",), f"{name}_other"))
            row += 1
    return layout


# --- Download --------------------------------------------------------------------------------


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
        elif style == "chosen":
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
        elif style == "number":
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
        elif style == "date":
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


# --- Upload ----------------------------------------------------------------------------------
#
# Everything in an uploaded file is hostile until checked. The zip is measured from its
# directory before anything is unpacked (members, unpacked size, compression ratio); every
# XML part is then streamed once, bounded by those sizes, and refused if it declares a DTD
# or entities (billion laughs), is not UTF-8 (so that the byte scan is sound), or holds more
# style or shared-string records than any answer sheet could. Only then does openpyxl open
# it, read-only, and only the rows and columns the layout defines are read, whatever the
# sheet's <dimension> says.

NOT_XLSX = "Excel ブック（.xlsx）として読み込めません。ダウンロードした回答票を使ってください。"
MACRO = "マクロを含むファイルは受け付けません。マクロを含まない .xlsx で保存してください。"
TOO_BIG_UNPACKED = (
    "ファイルの中身が回答票として大きすぎます（展開後 {limit} MB まで、{detail}）。"
    "ダウンロードした回答票に記入したものを、そのまま保存してアップロードしてください。"
)


def _too_big(detail: str) -> OfflineSheetError:
    return OfflineSheetError(
        [TOO_BIG_UNPACKED.format(limit=MAX_UNPACKED_BYTES // 1024 // 1024, detail=detail)]
    )


def upload_check(upload: UploadedFile) -> bytes:
    """Return the bytes of an uploaded .xlsx, refusing other types, macros and hostile files."""
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
    if not content.startswith(ZIP_MAGIC):
        raise OfflineSheetError([NOT_XLSX])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise OfflineSheetError([NOT_XLSX]) from exc
    if len(entries) > MAX_MEMBERS:
        raise _too_big(f"ファイル内の部品が {len(entries):,} 個")
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise OfflineSheetError([NOT_XLSX])
    if any("vbaproject" in n for n in names):
        raise OfflineSheetError([MACRO])
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_big(f"展開すると {unpacked / 1024 / 1024:,.0f} MB")
    for entry in entries:
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _too_big(f"「{entry.filename}」が {entry.file_size / 1024 / 1024:,.0f} MB に展開")
    try:
        content_types = archive.read("[Content_Types].xml")
        for entry in entries:
            _xml_part_check(archive, entry)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        NotImplementedError,  # a compression method zipfile lacks
        RuntimeError,  # an encrypted part
        zlib.error,
    ) as exc:
        raise OfflineSheetError([NOT_XLSX]) from exc
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise OfflineSheetError([MACRO])
    return content


_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
# Start tags counted per part, with or without a namespace prefix (a prefixed closing tag
# counts too: over-counting only matters near limits far above a real sheet's).
_RECORDS = {
    "styles": ((b"<xf", b":xf"), MAX_STYLE_RECORDS),
    "shared strings": ((b"<si", b":si"), MAX_SHARED_STRINGS),
}


def _xml_part_check(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuse an XML part with a DTD, another encoding than UTF-8, or too many records.

    Every part is looked at, whatever its name: a part's relationships, not its name,
    decide what openpyxl parses. A part that does not start like XML is not XML to any
    parser and is left alone.
    """
    if entry.is_dir():
        return
    counts = dict.fromkeys(_RECORDS, 0)
    tail = b""
    first = True
    with archive.open(entry) as stream:
        while chunk := stream.read(1024 * 1024):
            if first:
                first = False
                head = chunk.lstrip(b" \t\r\n")
                if head.startswith(b"\xef\xbb\xbf"):
                    head = head[3:]
                if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] in (
                    b"<\x00?\x00",
                    b"\x00<\x00?",
                    b"\x00\x00\x00<",
                    b"<\x00\x00\x00",
                ):
                    raise OfflineSheetError(
                        [
                            f"「{entry.filename}」が UTF-8 以外の文字コードで書かれています。{NOT_XLSX}"
                        ]
                    )
                if not head.startswith(b"<"):
                    return  # binary: an image, a printer setting
                declared = _XML_DECLARATION.match(head)
                if declared and declared.group(1).lower().replace(b"_", b"-") not in (
                    b"utf-8",
                    b"utf8",
                ):
                    raise OfflineSheetError(
                        [
                            f"「{entry.filename}」が UTF-8 以外の文字コードで書かれています。{NOT_XLSX}"
                        ]
                    )
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN):
                raise OfflineSheetError(
                    [
                        "ファイルに文書型定義（DTD）やエンティティ宣言が含まれているため読み込みません。"
                        "ダウンロードした回答票を Excel で保存したものを使ってください。"
                    ]
                )
            for kind, (tags, limit) in _RECORDS.items():
                # Counted in the window less the tail counted before, so a tag cut at a
                # chunk's edge counts once.
                counts[kind] += sum(window.count(tag) - tail.count(tag) for tag in tags)
                if counts[kind] > limit:
                    what = "書式（スタイル）" if kind == "styles" else "文字列"
                    raise OfflineSheetError(
                        [
                            f"ファイル内の{what}の数が多すぎます（上限 {limit:,} 個）。"
                            "ダウンロードした回答票に記入したものを使ってください。"
                        ]
                    )
            tail = window[-32:]


@dataclass
class _SheetCells:
    """What the answer sheet holds within the layout's rows and columns."""

    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_cells(book: Any, layout: Layout) -> _SheetCells:
    """Read the layout's rows and columns of the answer sheet, never trusting its dimension.

    The rows are read twice: for the values Excel last calculated, and for the formulas,
    so that a formula cell is told apart from a typed one.
    """
    sheet = book[ANSWER_SHEET]
    bounds = {"min_row": 1, "max_row": layout.last_row + 1, "min_col": 1}
    bounds["max_col"] = layout.key_col + 1
    found = _SheetCells()
    # openpyxl's read-only sheets take data_only from the workbook on each read.
    book._data_only = True
    for r, row in enumerate(sheet.iter_rows(**bounds, values_only=True)):
        for c, value in enumerate(row):
            if isinstance(value, str):
                # Excel writes control characters as _xHHHH_ (and a literal "_x0041_" as
                # "_x005F_x0041_"); openpyxl leaves both as they are in the file.
                value = unescape(value)
            if c == layout.key_col:
                found.keys[r] = "" if value is None else str(value).strip()
            elif not _blank(value):
                found.values[(r, c)] = value
    book._data_only = False
    for r, cells in enumerate(sheet.iter_rows(**bounds)):
        for c, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                found.formulas[(r, c)] = str(cell.value)
    return found


def _meta(book: Any) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise OfflineSheetError(
            [
                "Renkei の回答票ではありません。「回答票をダウンロード」で取得したファイルを使ってください。"
            ]
        )
    found = {}
    for row in book[META_SHEET].iter_rows(values_only=True, max_row=20, max_col=2):
        if row and row[0]:
            found[str(row[0])] = "" if row[1] is None else str(row[1])
    return found


def signature_check(
    *, meta: dict[str, str], inquiry: Inquiry, organization: Organization, fingerprint: str
) -> int:
    """Return the answer revision the sheet was made from; refuse a forged or foreign sheet."""
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
    if payload.get("v") != SHEET_VERSION or not isinstance(payload.get("r"), int):
        raise OfflineSheetError(
            ["古い形式の回答票です。最新の回答票をダウンロードし、記入し直してください。"]
        )
    if payload.get("f") != fingerprint:
        raise OfflineSheetError(
            [
                "ダウンロード後に照会の設問が変更されたため、この回答票は使えません。"
                "最新の回答票をダウンロードしてください。"
            ]
        )
    return payload["r"]


def _rows_check(layout: Layout, keys: dict[int, str]) -> None:
    """Refuse a sheet whose rows are not where the layout put them (inserted, deleted, moved)."""
    advice = (
        "回答票の行や列を挿入・削除・移動すると、回答が別の設問に読み込まれてしまうため"
        "受け付けられません。最新の回答票をダウンロードし、行や列を変えずに記入してください。"
    )
    if keys.get(FIRST_QUESTION_ROW - 1) != KEY_HEADER:
        raise OfflineSheetError(
            [
                f"{FIRST_QUESTION_ROW}行目: 見出し行の位置が変わっています（行か列が挿入・削除されています）。{advice}"
            ]
        )
    for label in layout.labels:
        found = keys.get(label.row, "")
        if found == label.key:
            continue
        what = f"「{found}」の行があります" if found else "設問のない行があります"
        raise OfflineSheetError(
            [f"{label.row + 1}行目: 「{label.key}」の行のはずが、{what}。{advice}"]
        )


def _as_text(value: Any) -> str:
    """Return a cell's value as the text a person would have typed in the web form."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class _FormInput:
    """The answer form's POST built from the sheet, and what the sheet itself could not read."""

    post: MultiValueDict
    errors: list[tuple[InputCell, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _form_input(
    *, layout: Layout, questions: list[Question], cells: _SheetCells, answer: Answer
) -> _FormInput:
    """Turn the sheet's cells into what the answer form would receive from a browser.

    Questions hidden by their display condition are left out, as the browser hides them.
    """
    read = _FormInput(
        post=MultiValueDict(
            {
                "revision": [str(answer.revision)],
                "kind": [AnswerKind.ANSWERED],
                # A sheet is a finished answer: required questions are checked as on 提出.
                "intent": [SUBMIT],
            }
        )
    )
    texts: dict[InputCell, str] = {}
    for cell in layout.inputs:
        position = (cell.row, cell.col)
        raw = cells.values.get(position)
        formula = cells.formulas.get(position)
        if formula is not None and raw is None:
            read.errors.append(
                (
                    cell,
                    f"数式「{_short(formula)}」の計算結果が保存されていないため読み取れません。"
                    "Excel で開いて保存し直すか、値を直接入力してください",
                )
            )
            continue
        if raw is None:
            continue
        text = _as_text(raw)
        if formula is not None:
            read.notes.append(
                f"{cell.ref}: 数式「{_short(formula)}」の計算結果「{_short(text)}」を読み取りました。"
            )
        texts[cell] = text
    # Which questions the answer's choices hide, judged from the choices as typed.
    choices: dict[str, Any] = {}
    for cell, text in texts.items():
        key = str(cell.question.pk)
        if cell.part[0] == "value":
            choices[key] = text
        elif cell.part[0] == "option" and text in CHOSEN_MARKS:
            choices.setdefault(key, []).append(cell.part[1])
    hidden = hidden_question_ids(questions, choices)
    for cell, text in texts.items():
        if cell.question.pk in hidden:
            continue
        if cell.part[0] == "option":
            if text in CHOSEN_MARKS:
                read.post.appendlist(cell.field, cell.part[1])
            else:
                read.errors.append((cell, f"「{CHOSEN}」を入力するか空欄にしてください"))
        else:
            read.post[cell.field] = text
    return read


def _cell_order(cell: InputCell, order: dict[int, int]) -> tuple[int, int, int]:
    return (order.get(cell.question.pk, 0), cell.row, cell.col)


@dataclass
class SheetAnswer:
    """What a filled sheet answers, and notes for the user on how it was read."""

    data: dict[str, Any]
    revision: int
    notes: list[str] = field(default_factory=list)


def answer_sheet_read(*, answer: Answer, content: bytes) -> SheetAnswer:
    """Return the answer a filled sheet holds, or raise with every problem found.

    The sheet's values go through the answer form (forms.AnswerForm), so that every rule of
    the web form (lengths, choices, numbers, dates, required questions, conditions) is the
    same for a sheet; its messages are given with the cell they concern.
    """
    inquiry = answer.inquiry
    questions = inquiry_questions(inquiry)
    layout = sheet_layout(questions)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except OfflineSheetError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise OfflineSheetError([NOT_XLSX]) from exc
    try:
        meta = _meta(book)
        revision = signature_check(
            meta=meta,
            inquiry=inquiry,
            organization=answer.organization,
            fingerprint=layout.fingerprint(),
        )
        if ANSWER_SHEET not in book.sheetnames:
            raise OfflineSheetError([f"シート「{ANSWER_SHEET}」が見つかりません。"])
        cells = _sheet_cells(book, layout)
    except OfflineSheetError:
        raise
    except Exception as exc:  # a damaged part found only while reading
        raise OfflineSheetError([NOT_XLSX]) from exc
    finally:
        book.close()
    _rows_check(layout, cells.keys)
    read = _form_input(layout=layout, questions=questions, cells=cells, answer=answer)
    form = AnswerForm(data=read.post, files=MultiValueDict(), questions=questions, answer=answer)
    valid = form.is_valid()
    order = {q.pk: i for i, q in enumerate(questions)}
    cell_of: dict[str, InputCell] = {}
    for cell in layout.inputs:
        cell_of.setdefault(cell.field, cell)
    problems: list[tuple[tuple[int, int, int], str]] = [
        (_cell_order(cell, order), f"{cell.ref}: {message}") for cell, message in read.errors
    ]
    # A cell the sheet could not read is not also reported by the form (as missing).
    unreadable = {cell.field for cell, _ in read.errors}
    for name, messages in form.errors.items():
        cell = cell_of.get(name)
        if cell is None:
            problems += [((len(order), 0, 0), str(message)) for message in messages]
        elif name not in unreadable:
            problems += [(_cell_order(cell, order), f"{cell.ref}: {m}") for m in messages]
    if problems or not valid:
        problems.sort(key=lambda p: p[0])
        raise OfflineSheetError([message for _, message in problems] or [NOT_XLSX])
    return SheetAnswer(data=form.cleaned_data["data"], revision=revision, notes=read.notes)


def offline_answer_import(*, answer: Answer, by: User, upload: UploadedFile) -> SheetAnswer:
    """Save a filled answer sheet into the organization's answer, as a draft.

    Nothing is saved unless the whole sheet is valid; files already attached stay. A sheet
    made from an older revision of the answer than the stored one raises
    AnswerConflictError, as the web form does: someone saved in between.
    """
    content = upload_check(upload)
    read = answer_sheet_read(answer=answer, content=content)
    answer_save(
        answer=answer,
        by=by,
        revision=read.revision,
        kind=AnswerKind.ANSWERED,
        data=read.data,
    )
    return read

"""Reading a filled answer sheet into the answer form and saving it as a draft."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from openpyxl.utils.escape import unescape

from renkei.accounts.models import User
from renkei.core.question_kinds import hidden_question_ids
from renkei.directory.models import Organization
from renkei.inquiries.forms.answering import SUBMIT, AnswerForm
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    Inquiry,
    Question,
)
from renkei.inquiries.offline.layout import (
    ANSWER_SHEET,
    CHOSEN,
    CHOSEN_MARKS,
    FIRST_QUESTION_ROW,
    KEY_HEADER,
    META_SHEET,
    SALT,
    SHEET_VERSION,
    InputCell,
    Layout,
    OfflineSheetError,
    sheet_layout,
)
from renkei.inquiries.offline.upload_checks import NOT_XLSX, upload_check
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.services.answering import answer_save


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

"""The offline route: an organization's own answer sheet out, filled in Excel, back in."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core import signing

from renkei.inquiries.models import Answer, InquiryStatus, QuestionKind, Target
from renkei.inquiries.offline.layout import META_SHEET, SALT, OfflineSheetError, sheet_layout
from renkei.inquiries.offline.reading import offline_answer_import
from renkei.inquiries.offline.upload_checks import MAX_UPLOAD_BYTES
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.services import AnswerConflictError, answer_save
from renkei.inquiries.tests.builders import add_question, make_inquiry
from renkei.inquiries.tests.offline_sheets import (
    CELLS,
    VALID,
    sheet_download,
    sheet_fill,
    sheet_import,
    sheet_upload,
)


def test_layout_puts_questions_where_the_error_messages_say(sheet_inquiry):
    inquiry, _ = sheet_inquiry

    layout = sheet_layout(inquiry.questions.order_by("position"))

    assert [cell.ref for cell in layout.inputs] == list(CELLS.values())


def test_sheet_has_name_code_required_marks_and_drop_downs(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry

    book = openpyxl.load_workbook(io.BytesIO(sheet_download(council, inquiry)))

    sheet = book["回答"]
    assert (sheet["B3"].value, sheet["B4"].value) == ("013030", "当別町")
    assert sheet["A9"].value.startswith("Q1 ")
    assert sheet["C9"].value == "必須"
    assert sheet["C12"].value is None
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["B9"].type == "list"
    assert validations["B9"].formula1 == "'選択肢'!$A$1:$A$3"
    assert validations["B14"].type == "decimal"
    assert sheet.protection.sheet is True
    assert book[META_SHEET].sheet_state == "veryHidden"
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    assert meta["organization_code"] == "013030"
    assert meta["inquiry_id"] == str(inquiry.pk)


def test_round_trip_saves_the_answer_as_a_draft(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), VALID)

    answer = sheet_import(council, inquiry, content)

    assert answer.status == "draft"
    assert answer.data == {
        str(q["single"].pk): "その他",
        f"{q['single'].pk}_other": "独自仕様で連携",
        str(q["multiple"].pk): ["CSV"],
        str(q["number"].pk): 70,
        str(q["date"].pk): "2026-04-01",
        str(q["text"].pk): "-5台（予定）",
        str(q["table"].pk): {"本庁": {"端末": 70, "サーバ": 2}, "支所": {"端末": 5, "サーバ": 0}},
    }


def test_download_fills_in_the_current_answer(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    sheet_import(council, inquiry, sheet_fill(sheet_download(council, inquiry), VALID))

    sheet = openpyxl.load_workbook(io.BytesIO(sheet_download(council, inquiry)))["回答"]

    assert sheet["B9"].value == "その他"
    assert sheet["B12"].value == "○"
    assert sheet["B14"].value == 70
    assert sheet["C20"].value == 0


def test_every_bad_cell_is_reported_and_nothing_is_saved(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    before = Answer.objects.filter(inquiry=inquiry).count()
    bad = {
        **VALID,
        "single": "準拠予定",
        "number": "七十",
        "csv": "はい",
        "date": "来年",
        "honcho_server": "二台",
        "shisho_terminal": None,
    }

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, sheet_fill(sheet_download(council, inquiry), bad))

    # The answer form's own messages (the same code as the web form), each on its cell; a
    # table's first unreadable cell stands for its empty ones, as on the web.
    assert raised.value.errors == [
        "B9: 正しく選択してください。 準拠予定 は候補にありません。",
        "B10: 「その他」を選んだ場合に入力してください。",
        "B12: 「○」を入力するか空欄にしてください",
        "B14: 「七十」は数値として読み取れません。半角・全角の数字で入力してください"
        "（例：1,234 や 12.5）。",
        "B15: 日付として読み取れません: 「来年」。令和8年11月21日、R8.11.21 または 2026-11-21 の形で"
        "入力してください。",
        "C19: 「本庁・サーバ」は数値で入力してください。",
    ]
    # Nothing stored: not even an answer row (opening the sheet creates none either).
    assert Answer.objects.filter(inquiry=inquiry).count() == before


def test_required_question_left_empty_is_named_by_its_cell(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(
        sheet_download(council, inquiry), {**VALID, "single": None, "number": None}
    )

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "B9: Q1：この設問は回答が必須です。",
        "B10: 「その他」を選んだ場合に入力してください。",
        "B14: Q3：この設問は回答が必須です。",
    ]


def test_other_without_its_text_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "single_other": None})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == ["B10: Q1：「その他」の内容を入力してください。"]


def test_cells_of_a_question_hidden_by_its_condition_are_ignored(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    q["number"].condition_question = q["single"]
    q["number"].condition_value = "準拠している"
    q["number"].save()
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "number": "七十"})

    answer = sheet_import(council, inquiry, content)

    assert str(q["number"].pk) not in answer.data


def test_sheet_of_another_organization_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    theirs = sheet_fill(sheet_download(council, inquiry, user=council.outsider), VALID)

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, theirs)

    assert raised.value.errors == [
        "この回答票は他の団体（団体コード 353213）用です。自団体の回答票を使ってください。"
    ]
    assert not Answer.objects.filter(organization=council.member_org, inquiry=inquiry).exists()


def test_sheet_of_another_inquiry_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    other = make_inquiry(council, title="別の照会", status=InquiryStatus.OPEN)
    add_question(other, code="Q1", kind=QuestionKind.SHORT_TEXT)
    Target.objects.create(inquiry=other, organization=council.member_org)
    sheet_for_other = sheet_fill(sheet_download(council, other), {"B9": "回答"})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, sheet_for_other)

    assert raised.value.errors == [f"この回答票は別の照会（照会番号 {other.pk}）のものです。"]


def _set_meta(key, value):
    def edit(book):
        for row in book[META_SHEET].iter_rows():
            if row[0].value == key:
                row[1].value = value

    return edit


def test_tampered_signature_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(
        sheet_download(council, inquiry), VALID, edit=_set_meta("signature", "x:y:z")
    )

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors[0].startswith("回答票の署名が正しくありません。")


def test_sheet_relabelled_for_another_organization_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    theirs = sheet_download(council, inquiry, user=council.outsider)
    relabelled = sheet_fill(
        theirs,
        VALID,
        edit=_set_meta("organization_id", str(council.member_org.pk)),
    )

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, relabelled)

    assert raised.value.errors[0].startswith("回答票の管理情報が署名と一致しません。")


def test_sheet_from_before_the_questions_changed_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), VALID)
    # Only a repair can change a started inquiry's questions; it saves the inquiry too
    # (docs/operations.md), which retires the questions each process keeps.
    add_question(inquiry, code="Q7", kind=QuestionKind.SHORT_TEXT, required=False)
    inquiry.save()

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert "最新の回答票をダウンロードしてください" in raised.value.errors[0]


@pytest.mark.parametrize("name", ["回答票.xlsm", "回答票.xls", "回答票.csv", "回答票"])
def test_files_not_named_xlsx_are_refused(council, sheet_inquiry, name):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), VALID)

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content, name=name)

    assert raised.value.errors[0].startswith("Excel ブック（.xlsx）のみ")


def _with_entry(content, name, data=b"\x00" * 16, content_types_extra=b""):
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types_extra:
                body = body.replace(b"</Types>", content_types_extra + b"</Types>")
            target.writestr(item, body)
        if name:
            target.writestr(name, data)
    return out.getvalue()


def test_xlsx_carrying_a_vba_project_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _with_entry(sheet_fill(sheet_download(council, inquiry), VALID), "xl/vbaProject.bin")

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors[0].startswith("マクロを含むファイルは受け付けません。")


def test_xlsx_declaring_macro_content_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    extra = (
        b'<Override PartName="/xl/x.xml" '
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
    )
    content = _with_entry(
        sheet_fill(sheet_download(council, inquiry), VALID), None, content_types_extra=extra
    )

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors[0].startswith("マクロを含むファイルは受け付けません。")


def test_old_xls_content_renamed_to_xlsx_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, xls)

    assert raised.value.errors[0].startswith("旧形式の Excel ファイル（.xls）です。")


def test_text_renamed_to_xlsx_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, "団体名,回答\n".encode())

    assert raised.value.errors[0].startswith("Excel ブック（.xlsx）として読み込めません。")


def test_workbook_without_the_sheet_metadata_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    book = openpyxl.Workbook()
    book.active.title = "回答"
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, out.getvalue())

    assert raised.value.errors[0].startswith("Renkei の回答票ではありません。")


def test_file_over_5_mb_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _with_entry(
        sheet_fill(sheet_download(council, inquiry), VALID),
        "xl/media/big.bin",
        data=bytes(range(256)) * 0,
    )
    oversized = content + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(content))

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, oversized)

    assert raised.value.errors == ["ファイルが大きすぎます（上限 5 MB）。"]


# --- rows matched by their question -----------------------------------------------------


def test_row_inserted_in_a_filled_sheet_is_refused_with_its_row(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(
        sheet_download(council, inquiry), VALID, edit=lambda book: book["回答"].insert_rows(10)
    )

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "10行目: 「Q1・その他の内容」の行のはずが、設問のない行があります。"
        "回答票の行や列を挿入・削除・移動すると、回答が別の設問に読み込まれてしまうため"
        "受け付けられません。最新の回答票をダウンロードし、行や列を変えずに記入してください。"
    ]
    assert not Answer.objects.filter(inquiry=inquiry, organization=council.member_org).exists()


@pytest.mark.parametrize(
    ("edit", "first_error"),
    [
        pytest.param(
            lambda book: book["回答"].delete_rows(12),
            "12行目: 「Q2・CSV」の行のはずが、「Q2・XML」の行があります。",
            id="row-deleted",
        ),
        pytest.param(
            lambda book: book["回答"].insert_cols(2),
            "8行目: 見出し行の位置が変わっています（行か列が挿入・削除されています）。",
            id="column-inserted-before-the-answers",
        ),
    ],
)
def test_rows_or_columns_changed_in_a_filled_sheet_are_refused(
    council, sheet_inquiry, edit, first_error
):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), VALID, edit=edit)

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors[0].startswith(first_error)


def test_row_added_below_the_last_question_is_harmless(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "A30": "メモ", "B30": "控え"})

    answer = sheet_import(council, inquiry, content)

    assert answer.data[str(q["number"].pk)] == 70


# --- the web form's rules ---------------------------------------------------------------


def test_long_text_over_the_web_forms_limit_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "text": "あ" * 20001})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "B16: この値は 20000 文字以下でなければなりません( 20001 文字になっています)。"
    ]


def test_short_text_over_the_web_forms_limit_is_refused(council):
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    Target.objects.create(inquiry=inquiry, organization=council.member_org)
    content = sheet_fill(sheet_download(council, inquiry), {"B9": "あ" * 501})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "B9: この値は 500 文字以下でなければなりません( 501 文字になっています)。"
    ]
    assert not Answer.objects.filter(inquiry=inquiry, organization=council.member_org).exists()


def test_other_text_without_choosing_other_is_refused_as_on_the_web(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "single": "準拠している"})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == ["B10: 「その他」を選んだ場合に入力してください。"]


# --- formulas ---------------------------------------------------------------------------


def _cached(value):
    """Give every formula of the answer sheet a calculated value, as Excel saves it."""

    def edit(xml):
        return re.sub(rb"(<f>[^<]*</f>)(<v\s*/>|<v></v>)?", rb"\1<v>%s</v>" % value, xml)

    return edit


def test_formula_without_a_calculated_value_is_refused_naming_the_cell(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "number": "=B19+C19"})

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "B14: 数式「=B19+C19」の計算結果が保存されていないため読み取れません。"
        "Excel で開いて保存し直すか、値を直接入力してください"
    ]


def test_formula_with_a_calculated_value_is_read_and_reported(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    content = sheet_fill(sheet_download(council, inquiry), {**VALID, "number": "=B19+C19"})
    content = _with_replaced(content, "xl/worksheets/sheet1.xml", _cached(b"72"))
    answer = get_answer_for(council.staff, inquiry.pk)

    read = offline_answer_import(answer=answer, by=council.staff, upload=sheet_upload(content))

    assert read.notes == ["B14: 数式「=B19+C19」の計算結果「72」を読み取りました。"]
    answer.refresh_from_db()
    assert answer.data[str(q["number"].pk)] == 72


def _with_replaced(content, name, edit):
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item.filename, edit(body) if item.filename == name else body)
    return out.getvalue()


# --- lost updates -----------------------------------------------------------------------


def test_sheet_downloaded_before_a_colleagues_save_is_refused(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    sheet = sheet_fill(sheet_download(council, inquiry), VALID)
    colleague = get_answer_for(council.representative, inquiry.pk)
    answer_save(
        answer=colleague,
        by=council.representative,
        revision=colleague.revision,
        data={str(q["number"].pk): 5},
    )

    with pytest.raises(AnswerConflictError):
        sheet_import(council, inquiry, sheet)

    stored = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert stored.data == {str(q["number"].pk): 5}
    assert stored.updated_by == council.representative


def test_of_two_sheets_downloaded_together_only_the_first_upload_is_saved(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    first = sheet_fill(sheet_download(council, inquiry), VALID)
    second = sheet_fill(
        sheet_download(council, inquiry, user=council.representative), {**VALID, "number": 99}
    )
    sheet_import(council, inquiry, first)

    with pytest.raises(AnswerConflictError):
        sheet_import(council, inquiry, second, user=council.representative)

    stored = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert stored.data[str(q["number"].pk)] == 70
    assert stored.revision == 1


def test_of_two_simultaneous_uploads_only_the_first_is_saved(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    first = sheet_fill(sheet_download(council, inquiry), VALID)
    second = sheet_fill(sheet_download(council, inquiry), {**VALID, "number": 99})
    # Both requests read the answer before either saved.
    mine = get_answer_for(council.staff, inquiry.pk)
    theirs = get_answer_for(council.representative, inquiry.pk)

    offline_answer_import(answer=mine, by=council.staff, upload=sheet_upload(first))
    with pytest.raises(AnswerConflictError):
        offline_answer_import(answer=theirs, by=council.representative, upload=sheet_upload(second))

    stored = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert stored.data[str(q["number"].pk)] == 70
    assert stored.revision == 1


def test_sheet_downloaded_after_the_save_is_taken(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    sheet_import(council, inquiry, sheet_fill(sheet_download(council, inquiry), VALID))

    answer = sheet_import(
        council, inquiry, sheet_fill(sheet_download(council, inquiry), {"number": 71})
    )

    assert answer.data[str(q["number"].pk)] == 71
    assert answer.revision == 2


def test_sheet_of_the_old_format_without_a_revision_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    layout = sheet_layout(inquiry.questions.order_by("position"))
    organization = council.member_org
    old = signing.dumps(
        {"i": inquiry.pk, "o": organization.pk, "c": organization.code, "f": layout.fingerprint()},
        salt=SALT,
        compress=True,
    )
    content = sheet_fill(sheet_download(council, inquiry), VALID, edit=_set_meta("signature", old))

    with pytest.raises(OfflineSheetError) as raised:
        sheet_import(council, inquiry, content)

    assert raised.value.errors == [
        "古い形式の回答票です。最新の回答票をダウンロードし、記入し直してください。"
    ]

"""Inquiry forms: uploads, numbers, deadlines, questions, targets and the answer form."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from renkei.core.business_days import add_business_days
from renkei.core.files import MAX_UPLOAD_BYTES, validate_upload
from renkei.core.question_kinds.values import parse_number
from renkei.core.wareki import format_date
from renkei.inquiries import services
from renkei.inquiries.forms.answering import AnswerForm
from renkei.inquiries.forms.authoring import InquiryForm, TargetForm
from renkei.inquiries.forms.questions import QuestionForm
from renkei.inquiries.models import Answer, QuestionKind
from renkei.inquiries.tests.builders import make_draft, make_open


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes(*, macro: bool = False) -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "回答"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not macro:
        return buffer.getvalue()
    # A macro workbook saved under the .xlsx name still carries its VBA project.
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00VBA")
    return buffer.getvalue()


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"data")
    return buffer.getvalue()


# --- uploads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("資料.pdf", b"%PDF-1.7\n..."),
        ("集計表.xlsx", None),
        ("一覧.csv", "団体名,回答\n当別町,はい\n".encode("cp932")),
        ("メモ.txt", "UTF-8 の本文です。".encode()),
        ("図.png", b"\x89PNG\r\n\x1a\n...."),
        ("写真.JPG", b"\xff\xd8\xff\xe0...."),
        ("まとめ.zip", zip_bytes(["a.pdf", "b.xlsx"])),
    ],
)
def test_allowed_files_pass(name, content):
    validate_upload(upload(name, content if content is not None else xlsx_bytes()))


@pytest.mark.parametrize("name", ["集計.xlsm", "様式.docm", "発表.pptm", "addin.xlam"])
def test_macro_files_are_refused_by_name(name):
    with pytest.raises(ValidationError, match="マクロを含むファイル") as error:
        validate_upload(upload(name, zip_bytes(["x"])))
    assert error.value.code == "macro"


def test_macro_workbook_renamed_to_xlsx_is_refused_by_content():
    with pytest.raises(ValidationError, match="マクロを含むファイル"):
        validate_upload(upload("集計.xlsx", xlsx_bytes(macro=True)))


def test_zip_holding_a_macro_file_is_refused():
    with pytest.raises(ValidationError, match="マクロ"):
        validate_upload(upload("まとめ.zip", zip_bytes(["集計.xlsm"])))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("資料.pdf", b"MZ\x90\x00 not a pdf"),
        ("集計表.xlsx", b"plain text"),
        ("集計表.xlsx", zip_bytes(["readme.txt"])),
        ("図.png", b"GIF89a"),
        ("一覧.csv", b"\x00\x01\x02binary"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError, match="一致しません"):
        validate_upload(upload(name, content))


@pytest.mark.parametrize("name", ["setup.exe", "script.js", "古い様式.xls", "noextension"])
def test_other_types_are_refused(name):
    with pytest.raises(ValidationError, match="添付できない種類"):
        validate_upload(upload(name, b"%PDF-"))


def test_files_over_10mb_are_refused():
    big = upload("大きい.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)

    with pytest.raises(ValidationError, match="10MBまで"):
        validate_upload(big)


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234),
        ("１，２３４", 1234),
        ("1,234.5", 1234.5),
        (" ３ ", 3),
        ("△120", -120),
        ("-5", -5),
        ("0.10", 0.1),
    ],
)
def test_parse_number_reads_what_people_type(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["約10", "十", "1.2.3", "", "NaN"])
def test_parse_number_refuses_non_numbers(text):
    with pytest.raises(ValidationError):
        parse_number(text)


# --- inquiry form ---------------------------------------------------------------------------


def test_inquiry_form_suggests_a_deadline_ten_business_days_ahead(db):
    form = InquiryForm()

    suggested = add_business_days(timezone.localdate(), 10)
    assert form.initial["deadline_date"] == suggested
    assert format_date(suggested) in str(form["deadline_date"].help_text)


def test_inquiry_form_reads_wareki_deadline(db):
    form = InquiryForm(
        {
            "title": "照会",
            "deadline_date": "R81.11.20",
            "deadline_time": "",
            "results_visibility": "answering",
        }
    )

    assert form.is_valid(), form.errors
    deadline = form.cleaned_data["deadline"]
    assert (deadline.year, deadline.month, deadline.day, deadline.hour) == (2099, 11, 20, 17)


def test_inquiry_form_refuses_too_many_reminder_days(db):
    form = InquiryForm(
        {"title": "照会", "results_visibility": "answering", "reminder_business_days": "30"}
    )

    assert not form.is_valid()
    assert "20営業日前まで" in str(form.errors["reminder_business_days"])


# --- question form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"kind": "multiple", "text": "どれ", "choices_text": "A"}, "choices_text", "2つ以上"),
        ({"kind": "single", "text": "どれ", "choices_text": "A\nB\nA"}, "choices_text", "重複"),
        ({"kind": "table", "text": "表", "table_rows_text": "本庁"}, "table_columns_text", "列"),
    ],
    ids=["too_few_choices", "duplicate_choices", "table_without_columns"],
)
def test_question_form_refuses_on_the_field_concerned(council, data, field, problem):
    form = QuestionForm(data, inquiry=make_draft(council))

    assert not form.is_valid()
    assert problem in str(form.errors[field])


def test_question_form_condition_only_from_earlier_choice_questions(council):
    inquiry = make_draft(council)
    q1 = inquiry.questions.get(code="Q1")

    form = QuestionForm(inquiry=inquiry, question=q1)

    assert list(form.fields["condition_question"].queryset) == []
    form = QuestionForm(inquiry=inquiry)
    assert list(form.fields["condition_question"].queryset) == [q1]


# --- target form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        (
            {"mode": "filter", "population_min": "50000", "population_max": "10,000"},
            "population_max",
            "下限以上",
        ),
        ({"mode": "group"}, "group", "グループを選んでください"),
        ({"mode": "filter"}, "prefecture_code", "1つ以上"),
    ],
    ids=[
        "population_range_out_of_order",
        "group_mode_without_a_group",
        "filter_without_a_condition",
    ],
)
def test_target_form_refuses_on_the_field_concerned(db, data, field, problem):
    form = TargetForm(data)

    assert not form.is_valid()
    assert problem in str(form.errors[field])


# --- answer form ----------------------------------------------------------------------------


@pytest.fixture
def rich(council):
    """An open inquiry with one question of each kind that needs parsing."""
    inquiry = make_draft(council)
    by = council.secretariat
    single = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(
            kind=QuestionKind.SINGLE,
            text="準拠状況",
            choices=["準拠している", "次期調達で条件にする"],
            allow_other=True,
        ),
    )
    day = services.question_create(
        inquiry=inquiry, by=by, draft=services.QuestionDraft(kind=QuestionKind.DATE, text="改正日")
    )
    multiple = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(
            kind=QuestionKind.MULTIPLE, text="担当", choices=["情報課", "教育センター"]
        ),
    )
    services.inquiry_open(inquiry=inquiry, by=by)
    answer = Answer.objects.create(inquiry=inquiry, organization=council.member_org)
    return inquiry, answer, single, day, multiple


def answer_form(inquiry, answer, data):
    questions = list(inquiry.questions.select_related("condition_question").order_by("position"))
    return AnswerForm(
        {"revision": 0, "kind": "answered", **data}, questions=questions, answer=answer
    )


def test_answer_forms_do_not_share_what_one_of_them_changes(rich):
    inquiry, answer, single, _, _ = rich
    name = f"q{single.pk}"

    def refuse(value):
        raise ValidationError("この回答はできません。")

    first = answer_form(inquiry, answer, {name: "準拠している"})
    first.fields[name].validators.append(refuse)
    first.fields[name].error_messages["invalid_choice"] = "変更されたメッセージ"
    first.fields[name].widget.choices.append(("追加", "追加"))

    second = answer_form(inquiry, answer, {name: "準拠していない"})

    assert not first.is_valid()
    assert second.fields[name].validators == []
    assert ("追加", "追加") not in second.fields[name].widget.choices
    assert not second.is_valid()
    assert second.errors[name] != ["変更されたメッセージ"]


def test_answer_form_refuses_a_choice_not_in_the_list(rich):
    inquiry, answer, single, _, _ = rich

    form = answer_form(inquiry, answer, {f"q{single.pk}": "準拠していない"})

    assert not form.is_valid()
    assert f"q{single.pk}" in form.errors


def test_answer_form_reads_wareki_date_and_other_text(rich):
    inquiry, answer, single, day, multiple = rich

    form = answer_form(
        inquiry,
        answer,
        {
            f"q{single.pk}": "その他",
            f"q{single.pk}_other": "一部のみ準拠",
            f"q{day.pk}": "平成23年4月1日",
            f"q{multiple.pk}": ["情報課", "教育センター"],
        },
    )

    assert form.is_valid(), form.errors
    data = form.cleaned_data["data"]
    assert data[str(single.pk)] == "その他"
    assert data[f"{single.pk}_other"] == "一部のみ準拠"
    assert data[str(day.pk)] == "2011-04-01"
    assert data[str(multiple.pk)] == ["情報課", "教育センター"]


def test_answer_form_refuses_an_impossible_date(rich):
    inquiry, answer, _, day, _ = rich

    form = answer_form(inquiry, answer, {f"q{day.pk}": "令和2年2月30日"})

    assert not form.is_valid()
    assert "存在しない日付" in str(form.errors[f"q{day.pk}"])


def test_answer_form_other_text_needs_the_other_choice(rich):
    inquiry, answer, single, _, _ = rich

    form = answer_form(
        inquiry, answer, {f"q{single.pk}": "準拠している", f"q{single.pk}_other": "補足"}
    )

    assert not form.is_valid()
    assert f"q{single.pk}_other" in form.errors


def test_answer_form_draft_may_be_incomplete_but_submission_may_not(rich):
    inquiry, answer, single, _, _ = rich

    draft = answer_form(inquiry, answer, {"intent": "save"})
    submission = answer_form(inquiry, answer, {"intent": "submit"})

    assert draft.is_valid()
    assert not submission.is_valid()
    assert "この設問は回答が必須です" in str(submission.errors[f"q{single.pk}"])


def test_answer_form_other_chosen_without_text_is_incomplete(rich):
    inquiry, answer, single, _, _ = rich

    form = answer_form(inquiry, answer, {"intent": "submit", f"q{single.pk}": "その他"})

    assert not form.is_valid()
    assert "「その他」の内容" in str(form.errors[f"q{single.pk}_other"])


def test_answer_form_skips_hidden_conditional_questions(council):
    inquiry = make_open(council)
    q1 = inquiry.questions.get(code="Q1")
    answer = Answer.objects.create(inquiry=inquiry, organization=council.member_org)

    form = answer_form(inquiry, answer, {"intent": "submit", f"q{q1.pk}": "いいえ"})

    assert form.is_valid(), form.errors


def test_answer_form_shows_conditional_question_when_condition_met(council):
    inquiry = make_open(council)
    q1, q2 = list(inquiry.questions.order_by("position"))
    answer = Answer.objects.create(inquiry=inquiry, organization=council.member_org)

    form = answer_form(inquiry, answer, {"intent": "submit", f"q{q1.pk}": "はい"})

    assert not form.is_valid()
    assert f"q{q2.pk}" in form.errors


def test_not_applicable_needs_no_answers(rich):
    inquiry, answer, _, _, _ = rich

    form = AnswerForm(
        {"revision": 0, "kind": "not_applicable", "intent": "submit"},
        questions=list(inquiry.questions.all()),
        answer=answer,
    )

    assert form.is_valid(), form.errors


# --- built fields kept between forms ----------------------------------------------------------


def test_answer_forms_of_the_same_questions_do_not_share_fields(rich):
    inquiry, answer, single, _, _ = rich
    first = answer_form(inquiry, answer, {})
    second = answer_form(inquiry, answer, {})

    first.fields[f"q{single.pk}"].widget.attrs["class"] = "only-here"
    first.fields[f"q{single.pk}"].label = "この画面だけ"

    field = second.fields[f"q{single.pk}"]
    assert field is not first.fields[f"q{single.pk}"]
    assert "class" not in field.widget.attrs
    assert field.label == "Q3　準拠状況（必須）"


def test_answer_form_labels_follow_a_changed_question(council):
    inquiry = make_draft(council)
    answer = Answer(inquiry=inquiry, organization=council.member_org)
    questions = list(inquiry.questions.order_by("position"))
    name = f"q{questions[0].pk}"
    before = AnswerForm(questions=questions, answer=answer).fields[name].label

    questions[0].text = "ポリシーをウェブサイトで公表していますか。"
    questions[0].required = False
    after = AnswerForm(questions=questions, answer=answer).fields[name].label

    assert before == "Q1　ポリシーを公表していますか。（必須）"
    assert after == "Q1　ポリシーをウェブサイトで公表していますか。"


def test_bound_answer_form_shows_what_was_posted_not_the_stored_answer(rich):
    inquiry, answer, single, _, _ = rich
    answer.data = {str(single.pk): "準拠している"}

    form = answer_form(inquiry, answer, {f"q{single.pk}": "次期調達で条件にする"})

    assert form[f"q{single.pk}"].value() == "次期調達で条件にする"
    assert AnswerForm(questions=form.questions, answer=answer)[f"q{single.pk}"].value() == (
        "準拠している"
    )

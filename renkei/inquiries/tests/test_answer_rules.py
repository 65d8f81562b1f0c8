"""The rules of stored answers: what the web form accepts is what may be confirmed and sent."""

import pytest
from django.urls import reverse

from renkei.inquiries.answer_rules import answer_data_problems
from renkei.inquiries.models import Answer, AnswerStatus, InquiryStatus, QuestionKind, Target
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.tests.builders import add_question, make_inquiry
from renkei.testing import login_client


@pytest.fixture
def inquiry(council):
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    inquiry.requires_confirmation = True
    inquiry.save()
    add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    add_question(inquiry, code="Q2", kind=QuestionKind.SINGLE, choices=["A", "B"], allow_other=True)
    add_question(
        inquiry,
        code="Q3",
        kind=QuestionKind.TABLE,
        table_rows=["本庁"],
        table_columns=["端末"],
        required=False,
    )
    Target.objects.create(inquiry=inquiry, organization=council.member_org)
    return inquiry


def _stored(council, inquiry, data):
    """Store a draft as a route other than the answer form might have left it."""
    answer = get_answer_for(council.staff, inquiry.pk)  # unsaved until its first save
    return Answer.objects.create(
        inquiry_id=answer.inquiry_id, organization_id=answer.organization_id, data=data
    )


@pytest.mark.parametrize(
    ("q1", "q2", "action", "problem"),
    [
        ("あ" * 100_000, "A", "confirm_submit", "Q1：500文字を超えています（100,000文字）"),
        ("回答", "C", "confirm", "Q2：選択肢にない値です"),
    ],
    ids=["oversized_text_on_confirm_and_submit", "value_not_among_the_choices_on_confirm"],
)
def test_representatives_confirmation_refuses_stored_data_the_form_would_not_take(
    council, inquiry, q1, q2, action, problem
):
    first, second, _ = inquiry.questions.order_by("position")
    answer = _stored(council, inquiry, {str(first.pk): q1, str(second.pk): q2})

    response = login_client(council.representative).post(
        reverse("inquiries:answer_confirm", args=[inquiry.pk]),
        {"revision": answer.revision, "action": action},
        follow=True,
    )

    assert problem in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert not answer.versions.exists()


def test_valid_stored_answer_has_no_problems(council, inquiry):
    q1, q2, q3 = inquiry.questions.order_by("position")
    data = {
        str(q1.pk): "あ" * 500,
        str(q2.pk): "その他",
        f"{q2.pk}_other": "い" * 500,
        str(q3.pk): {"本庁": {"端末": 3}},
    }

    assert answer_data_problems(questions=list(inquiry.questions.all()), data=data) == []


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("q1", "あ" * 501, "Q1：500文字を超えています（501文字）"),
        ("q1", 5, "Q1：文字列ではありません"),
        ("q2", "C", "Q2：選択肢にない値です"),
        ("q2_other", "x", "Q2：「その他」を選んでいないのに内容があります"),
        ("q3", {"本庁": {"端末": "三"}}, "Q3：「本庁・端末」が数値ではありません"),
        ("q3", {"支所": {"端末": 1}}, "Q3：表の形式が正しくありません"),
    ],
)
def test_each_rule_names_the_question(council, inquiry, key, value, problem):
    q1, q2, q3 = inquiry.questions.order_by("position")
    pk = {"q1": q1.pk, "q2": q2.pk, "q3": q3.pk}[key.split("_")[0]]
    data = {str(q2.pk): "A"}
    data[f"{pk}{key[2:]}"] = value

    assert answer_data_problems(questions=list(inquiry.questions.all()), data=data) == [problem]

"""Inquiry selectors: the questions kept per process, the people an answer page names."""

import pytest

from renkei.inquiries import services
from renkei.inquiries.models import Answer, Inquiry, QuestionKind
from renkei.inquiries.selectors.answers import answer_people_attach
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.tests.builders import make_draft, make_open


def test_started_inquiry_questions_are_read_once_per_process(council, django_assert_num_queries):
    inquiry = make_open(council)
    first = inquiry_questions(inquiry)

    with django_assert_num_queries(0):
        again = inquiry_questions(inquiry)

    assert [q.pk for q in again] == [q.pk for q in first]
    assert again[1].condition_question.pk == first[0].pk


def test_kept_questions_point_at_the_callers_inquiry(council, django_assert_num_queries):
    inquiry = make_open(council)
    inquiry_questions(inquiry)
    again = Inquiry.objects.get(pk=inquiry.pk)

    with django_assert_num_queries(0):  # kept, not read again
        questions = inquiry_questions(again)

    assert all(question.inquiry is again for question in questions)


def test_kept_questions_are_copies_no_caller_can_spoil(council):
    inquiry = make_open(council)
    inquiry_questions(inquiry)[0].text = "書き換えた設問"

    assert inquiry_questions(inquiry)[0].text == "ポリシーを公表していますか。"


def test_draft_inquiry_questions_are_read_every_time(council, django_assert_num_queries):
    inquiry = make_draft(council)
    question = inquiry_questions(inquiry)[1]
    services.question_update(
        question=question,
        by=council.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.SHORT_TEXT, text="公表場所のURLを教えてください。"
        ),
    )

    with django_assert_num_queries(1):
        questions = inquiry_questions(inquiry)

    assert questions[1].text == "公表場所のURLを教えてください。"


def test_saving_a_started_inquiry_retires_its_kept_questions(council, django_assert_num_queries):
    inquiry = make_open(council)
    inquiry_questions(inquiry)
    inquiry.questions.filter(position=1).update(text="修復した設問")
    inquiry.save()

    with django_assert_num_queries(1):
        questions = inquiry_questions(inquiry)

    assert questions[0].text == "修復した設問"


@pytest.mark.parametrize("status", ["confirmed", "submitted"])
def test_answer_people_are_loaded_in_one_query(council, django_assert_num_queries, status):
    inquiry = make_open(council, requires_confirmation=True)
    Answer.objects.create(
        inquiry=inquiry,
        organization=council.member_org,
        status=status,
        updated_by=council.staff,
        confirmation_requested_by=council.staff,
        confirmed_by=council.representative,
        submitted_by=council.representative,
    )
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)

    with django_assert_num_queries(1):
        answer_people_attach(answer)
        names = [
            answer.updated_by.get_full_name(),
            answer.confirmation_requested_by.get_full_name(),
            answer.confirmed_by.get_full_name(),
            answer.submitted_by.get_full_name(),
        ]

    assert names == ["当別 次郎", "当別 次郎", "当別 太郎", "当別 太郎"]


def test_answer_without_people_needs_no_query(council, django_assert_num_queries):
    inquiry = make_open(council)
    answer = Answer.objects.create(inquiry=inquiry, organization=council.member_org)

    with django_assert_num_queries(0):
        answer_people_attach(answer)

    assert answer.updated_by is None and answer.submitted_by is None

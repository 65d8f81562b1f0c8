"""The question-kind registry: every kind's answer survives form → store → sheet → store.

The property test draws, for each kind the registry defines, what a person types in the
web form; the form's value is stored, written onto the offline answer sheet, read back
from it and stored again, and must be what the form stored. A kind added to the registry
without a strategy in typed_answers.py fails `test_every_registered_kind_is_round_tripped`.
"""

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.core.question_kinds import (
    KINDS,
    DisplayConditions,
    hidden_question_ids,
    kind_of,
    question_summary_of,
)
from renkei.inquiries.answer_rules import answer_data_problems
from renkei.inquiries.forms.answering import AnswerForm
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    Question,
    QuestionKind,
)
from renkei.inquiries.offline.download import answer_sheet_xlsx
from renkei.inquiries.offline.reading import offline_answer_import
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.services.answering import answer_save
from renkei.inquiries.tests.typed_answers import (
    COLUMNS,
    POSTS,
    QUESTIONS,
    ROUND_TRIP,
    ROWS,
    typed_answer,
)


def test_every_registered_kind_is_round_tripped():
    assert set(POSTS) == set(KINDS) == {kind for kind, _ in QUESTIONS}


def _post(draw: Any, questions: list[Question], revision: int) -> MultiValueDict:
    post = MultiValueDict({"revision": [str(revision)], "kind": ["answered"], "intent": ["save"]})
    for name, value in draw(typed_answer(questions)).items():
        post.setlist(name, value if isinstance(value, list) else [value])
    return post


@settings(ROUND_TRIP, max_examples=30)
@given(data=st.data())
def test_answers_of_every_kind_come_back_unchanged_through_the_sheet(council, every_kind, data):
    inquiry, _ = every_kind
    questions = inquiry_questions(inquiry)
    answer = Answer.objects.filter(inquiry=inquiry, organization=council.member_org).first()
    answer = answer or Answer(inquiry=inquiry, organization=council.member_org)
    form = AnswerForm(
        data=_post(data.draw, questions, answer.revision),
        files=MultiValueDict(),
        questions=questions,
        answer=answer,
    )
    assert form.is_valid(), form.errors
    answer_save(
        answer=answer,
        by=council.staff,
        revision=answer.revision,
        data=form.cleaned_data["data"],
        questions=questions,
    )
    stored = Answer.objects.get(pk=answer.pk)
    # What the form stores, the rules checked before submission accept.
    assert answer_data_problems(questions=questions, data=stored.data) == []
    before = copy.deepcopy(stored.data)

    sheet = answer_sheet_xlsx(answer=stored)
    offline_answer_import(
        answer=Answer.objects.get(pk=answer.pk),
        by=council.staff,
        upload=SimpleUploadedFile("回答票.xlsx", sheet),
    )

    assert Answer.objects.get(pk=answer.pk).data == before


@dataclass
class Person:
    """Someone answering a questionnaire for themselves: no organization at all."""

    name: str
    data: dict[str, Any]


def test_answers_of_people_compile_without_an_organization():
    question = Question(pk=1, kind=QuestionKind.MULTIPLE, code="Q1", choices=["会場", "オンライン"])
    people = [
        Person("当別 太郎", {"1": ["会場"]}),
        Person("深川 花子", {"1": ["会場", "オンライン"]}),
        Person("町田 次郎", {}),
    ]

    summary = question_summary_of(question, people)

    assert [(o.label, o.share.count, o.share.total) for o in summary.options] == [
        ("会場", 2, 3),
        ("オンライン", 1, 3),
    ]
    assert summary.is_choice
    assert summary.unanswered == 1
    reader = kind_of(question).cell_reader(question, kind_of(question).columns(question))
    assert [reader(person.data) for person in people] == [[1, None], [1, 1], [None, None]]


@pytest.mark.parametrize(
    ("kind", "allow_other", "options"),
    [
        (QuestionKind.SINGLE, True, ["準拠している", "準拠していない", OTHER_CHOICE]),
        (QuestionKind.MULTIPLE, False, ["準拠している", "準拠していない"]),
        (QuestionKind.YES_NO, True, ["はい", "いいえ"]),
        (QuestionKind.NUMBER, True, []),
        (QuestionKind.TABLE, False, []),
    ],
)
def test_a_questions_options_are_what_its_kind_accepts(kind, allow_other, options):
    # Choices left over from an earlier kind do not count: the kind decides.
    question = Question(
        kind=kind, choices=["準拠している", "準拠していない"], allow_other=allow_other
    )
    assert kind_of(question).options(question) == options
    assert question.options == options


def test_a_question_hidden_by_a_hidden_question_is_hidden_too():
    first = Question(pk=1, position=1, kind=QuestionKind.YES_NO, code="Q1")
    second = Question(
        pk=2,
        position=2,
        kind=QuestionKind.SINGLE,
        code="Q2",
        choices=["A", "B"],
        condition_question_id=1,
        condition_value="はい",
    )
    third = Question(
        pk=3,
        position=3,
        kind=QuestionKind.SHORT_TEXT,
        code="Q3",
        condition_question_id=2,
        condition_value="A",
    )
    questions = [third, first, second]

    assert hidden_question_ids(questions, {"1": "はい", "2": "A"}) == set()
    assert hidden_question_ids(questions, {"1": "はい", "2": "B"}) == {3}
    # Q2 is hidden, so its left-over answer "A" does not show Q3.
    assert hidden_question_ids(questions, {"1": "いいえ", "2": "A"}) == {2, 3}
    assert DisplayConditions(questions).hidden({"1": "いいえ", "2": "A"}) == (2, 3)


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_every_kind_refuses_a_value_of_another_shape(kind):
    question = Question(
        pk=1, kind=kind, code="Q1", choices=["A", "B"], table_rows=ROWS, table_columns=COLUMNS
    )

    assert kind_of(question).problem(question, {"not": "an answer"}) is not None

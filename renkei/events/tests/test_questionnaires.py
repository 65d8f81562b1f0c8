"""Questionnaires of events: built by the secretariat, answered once per person, compiled."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from renkei.audit.models import AuditEvent
from renkei.events import services
from renkei.events.models import QuestionnaireAnswer, QuestionnaireStatus
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def answer_post(client, registration, questionnaire, **fields):
    questions = {q.code: q.pk for q in questionnaire.questions.all()}
    data = {
        f"q{questions['Q1']}": "満足",
        f"q{questions['Q2']}": ["講演1", "その他"],
        f"q{questions['Q2']}_other": "質疑応答",
        f"q{questions['Q3']}": "１，２００人",
        f"q{questions['Q4']}": "次回も参加したい",
    }
    data.update(fields)
    return client.post(
        reverse("events:questionnaire_answer_link", args=[registration.token, questionnaire.pk]),
        data,
        follow=True,
    )


def test_secretariat_builds_and_opens_a_questionnaire_after_confirmation(council, seminar):
    client = login_client(council.secretariat)
    response = client.post(
        reverse("events:questionnaire_create", args=[seminar.pk]),
        {"title": "参加者アンケート"},
        follow=True,
    )
    questionnaire = seminar.questionnaires.get()
    assert "設問を入力してください" in text_of(response)
    page = reverse("events:questionnaire", args=[seminar.pk, questionnaire.pk])
    form = {
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "満足度",
        "questions-0-kind": "single",
        "questions-0-choices": "満足\nやや満足\n不満",
        "questions-0-required": "on",
        "questions-1-text": "",
        "questions-1-kind": "single",
    }
    client.post(page, form)
    assert [q.code for q in questionnaire.questions.all()] == ["Q1"]

    open_url = reverse("events:questionnaire_open", args=[seminar.pk, questionnaire.pk])
    confirm = text_of(client.get(open_url))
    assert "設問が確定し、以後は変更できません" in confirm
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.DRAFT  # GET changes nothing
    client.post(open_url, {"confirm": "yes"})
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.OPEN
    assert (
        AuditEvent.objects.filter(
            target_id=str(questionnaire.pk), target_type__contains="questionnaire"
        ).count()
        >= 3
    )


def test_choice_question_without_two_choices_is_refused_in_japanese(council, seminar):
    client = login_client(council.secretariat)
    questionnaire = services.questionnaire_create(
        event=seminar, by=council.secretariat, title="参加者アンケート"
    )
    response = client.post(
        reverse("events:questionnaire", args=[seminar.pk, questionnaire.pk]),
        {
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-0-text": "受講したい研修",
            "questions-0-kind": "multiple",
            "questions-0-choices": "セキュリティ総合",
        },
        follow=True,
    )
    assert "Q1：選択肢を2つ以上" in text_of(response)
    assert not questionnaire.questions.exists()


def test_participant_answers_once_through_their_link_and_results_compile(
    council, seminar, questionnaire
):
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )
    anonymous = Client()
    page = text_of(anonymous.get(reverse("events:registration", args=[registration.token])))
    assert "参加者アンケートに回答する" in page

    response = answer_post(anonymous, registration, questionnaire)
    assert "ご回答いただき、ありがとうございました" in text_of(response)
    answer = QuestionnaireAnswer.objects.get()
    q = {x.code: str(x.pk) for x in questionnaire.questions.all()}
    assert answer.data[q["Q3"]] == 1200
    assert answer.data[f"{q['Q2']}_other"] == "質疑応答"
    assert answer.name == "当別 次郎"

    again = answer_post(anonymous, registration, questionnaire, **{f"q{q['Q1']}": "不満"})
    assert "すでにご回答いただいています" in text_of(again)
    assert QuestionnaireAnswer.objects.count() == 1

    results = text_of(
        login_client(council.secretariat).get(
            reverse("events:questionnaire_results", args=[seminar.pk, questionnaire.pk])
        )
    )
    assert "回答者数 1名" in results
    assert "満足 1名 100.0%" in results
    assert "平均 1,200人" in results
    assert "次回も参加したい（当別 次郎）" in results


def test_required_question_left_blank_stores_nothing(council, seminar, questionnaire):
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )

    q1 = questionnaire.questions.get(code="Q1")
    response = answer_post(Client(), registration, questionnaire, **{f"q{q1.pk}": ""})
    assert response.status_code == 400
    assert "Q1：この設問は回答が必須です。" in text_of(response)
    assert not QuestionnaireAnswer.objects.exists()


def test_waitlisted_registrant_and_other_events_links_cannot_answer(
    council, seminar, questionnaire
):

    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    services.member_register(
        event=seminar, person=council.representative.person, by=council.representative
    )
    waiting = services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="h@kami.example.lg.jp"
        ),
    )
    services.registration_confirm(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    url = reverse("events:questionnaire_answer_link", args=[waiting.token, questionnaire.pk])
    assert Client().get(url).status_code == 403
    assert "アンケート" not in text_of(
        Client().get(reverse("events:registration", args=[waiting.token]))
    )


def test_closed_questionnaire_takes_no_more_answers(council, seminar, questionnaire):

    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )
    client = login_client(council.secretariat)
    close_url = reverse("events:questionnaire_close", args=[seminar.pk, questionnaire.pk])
    assert "再開はできません" in text_of(client.get(close_url))
    client.post(close_url, {"confirm": "yes"})

    response = answer_post(Client(), registration, questionnaire)
    assert "受付は終了しました" in text_of(response)
    assert not QuestionnaireAnswer.objects.exists()


def test_results_workbook_has_counts_shares_and_every_answer(council, seminar, questionnaire):

    for person in (council.staff.person, council.representative.person):
        registration = services.member_register(event=seminar, person=person, by=council.staff)
        answer_post(Client(), registration, questionnaire)
    response = login_client(council.secretariat).get(
        reverse("events:questionnaire_export", args=[seminar.pk, questionnaire.pk])
    )
    book = load_workbook(io.BytesIO(response.content))
    summary = [row for row in book["集計"].iter_rows(values_only=True) if row[0]]
    assert ("満足", 2, 1.0) in [tuple(r[:3]) for r in summary]
    answers = list(book["回答一覧"].iter_rows(values_only=True))
    assert len(answers) == 3
    assert answers[1][3] in ("当別 次郎", council.representative.person.name)


def test_results_page_costs_the_same_queries_for_2_or_20_answers(
    council, seminar, questionnaire, django_assert_max_num_queries
):
    from renkei.events.models import Registration

    client = login_client(council.secretariat)
    url = reverse("events:questionnaire_results", args=[seminar.pk, questionnaire.pk])
    for count in (2, 20):
        QuestionnaireAnswer.objects.all().delete()
        registrations = [
            Registration.objects.create(
                event=seminar,
                status="confirmed",
                name=f"参加者{n}",
                organization_name="当別町",
                email=f"p{count}-{n}@example.lg.jp",
            )
            for n in range(count)
        ]
        q1 = questionnaire.questions.get(code="Q1")
        QuestionnaireAnswer.objects.bulk_create(
            QuestionnaireAnswer(
                questionnaire=questionnaire,
                registration=r,
                name=r.name,
                data={str(q1.pk): "満足"},
            )
            for r in registrations
        )
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200

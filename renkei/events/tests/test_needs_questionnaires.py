"""研修ニーズ調査: a fiscal year's needs questionnaire, asked from its training catalogue before
any training of that year exists, answered by members once each, compiled and exported."""

import io
import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renkei.audit.models import Action, AuditEvent
from renkei.core.fiscal_year import fiscal_year_of
from renkei.events import services
from renkei.events.models import (
    EventKind,
    Level,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
    QuestionnaireStatus,
    Theme,
)
from renkei.events.tests.builders import event_draft
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def next_year() -> int:
    return fiscal_year_of(timezone.localdate()) + 1


def _survey(council, year: int, *, opened: bool = True) -> Questionnaire:
    questionnaire = services.needs_questionnaire_create(
        fiscal_year=year, by=council.secretariat, title="研修ニーズ調査"
    )
    services.questions_set(
        questionnaire=questionnaire,
        by=council.secretariat,
        questions=[
            services.QuestionDraft(
                text="受講したい研修",
                kind="multiple",
                required=True,
                choices=("セキュリティ総合", "ネットワーク総合", "調達管理"),
            ),
            services.QuestionDraft(text="ご要望", kind="long_text"),
        ],
    )
    if opened:
        services.questionnaire_open(questionnaire=questionnaire, by=council.secretariat)
    return questionnaire


def _answer(client, year, questionnaire, themes, remark=""):
    q1, q2 = questionnaire.questions.all()
    return client.post(
        reverse("events:needs_questionnaire_answer", args=[year, questionnaire.pk]),
        {f"q{q1.pk}": themes, f"q{q2.pk}": remark},
        follow=True,
    )


def test_secretariat_creates_a_needs_survey_from_the_catalogue_with_no_event(council, next_year):
    client = login_client(council.secretariat)
    catalogue = text_of(client.get(reverse("events:catalogue", args=[next_year])))
    assert "この年度の研修ニーズ調査はまだありません" in catalogue

    response = client.post(
        reverse("events:needs_questionnaire_create", args=[next_year]),
        {"title": "令和9年度 研修ニーズ調査", "description": "来年度の研修テーマを決めます。"},
        follow=True,
    )

    questionnaire = Questionnaire.objects.get()
    assert (questionnaire.kind, questionnaire.fiscal_year, questionnaire.event) == (
        QuestionnaireKind.NEEDS,
        next_year,
        None,
    )
    page = text_of(response)
    assert "設問を入力してください" in page
    assert "会員が研修計画のページから1人1回回答" in page
    created = AuditEvent.objects.get(target_id=str(questionnaire.pk))
    assert (created.actor, created.detail["fiscal_year"]) == (council.secretariat, next_year)
    assert "令和9年度 研修ニーズ調査" in text_of(
        client.get(reverse("events:catalogue", args=[next_year]))
    )


def test_a_needs_survey_without_a_title_is_refused_in_japanese(council, next_year):
    response = login_client(council.secretariat).post(
        reverse("events:needs_questionnaire_create", args=[next_year]), {"title": " "}
    )

    assert response.status_code == 400
    assert "名称を入力してください" in text_of(response)
    assert not Questionnaire.objects.exists()


def test_opening_asks_for_confirmation_then_members_see_it_on_the_catalogue(council, next_year):
    questionnaire = _survey(council, next_year, opened=False)
    client = login_client(council.secretariat)
    open_url = reverse("events:needs_questionnaire_open", args=[next_year, questionnaire.pk])
    staff = login_client(council.staff)
    catalogue = reverse("events:catalogue", args=[next_year])
    assert "この年度の研修ニーズ調査はありません" in text_of(staff.get(catalogue))

    assert "会員の研修計画のページに回答欄が表示されます" in text_of(client.get(open_url))
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.DRAFT  # a GET changes nothing
    client.post(open_url, {"confirm": "yes"})

    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.OPEN
    assert "研修ニーズ調査 （回答受付中）" in text_of(staff.get(catalogue))


def test_members_answer_once_each_and_the_results_compile_and_export(council, next_year):
    questionnaire = _survey(council, next_year)
    staff = login_client(council.staff)

    response = _answer(staff, next_year, questionnaire, ["調達管理", "セキュリティ総合"], "夜間に")
    assert "ご回答いただき、ありがとうございました" in text_of(response)
    assert "研修ニーズ調査（回答済み）" in text_of(response)
    _answer(staff, next_year, questionnaire, ["調達管理"])  # a second answer is not taken
    _answer(login_client(council.outsider), next_year, questionnaire, ["セキュリティ総合"])

    answers = QuestionnaireAnswer.objects.order_by("pk")
    assert [(a.user, a.name, a.organization_name) for a in answers] == [
        (council.staff, "当別 次郎", "当別町"),
        (council.outsider, "和木 三郎", council.other_org.name),
    ]
    secretariat = login_client(council.secretariat)
    results = text_of(
        secretariat.get(
            reverse("events:needs_questionnaire_results", args=[next_year, questionnaire.pk])
        )
    )
    assert "回答者数 2名" in results
    assert "セキュリティ総合 2名 100.0%" in results
    assert "夜間に（当別 次郎）" in results

    response = secretariat.get(
        reverse("events:needs_questionnaire_export", args=[next_year, questionnaire.pk])
    )
    book = load_workbook(io.BytesIO(response.content))
    summary = list(book["集計"].iter_rows(values_only=True))
    assert summary[0][0] == f"研修計画（令和{next_year - 2018}年度） 研修ニーズ調査"
    assert ("セキュリティ総合", 2, 1.0) in [tuple(r[:3]) for r in summary]
    assert len(list(book["回答一覧"].iter_rows(values_only=True))) == 3
    assert AuditEvent.objects.filter(
        action=Action.EXPORTED, target_type="events.questionnaire"
    ).exists()


def test_closed_survey_takes_no_answer(council, next_year):
    questionnaire = _survey(council, next_year)
    services.questionnaire_close(questionnaire=questionnaire, by=council.secretariat)

    response = _answer(login_client(council.staff), next_year, questionnaire, ["調達管理"])

    assert "受付は終了しました" in text_of(response)
    assert not QuestionnaireAnswer.objects.exists()


def test_who_is_refused_what(council, seminar, next_year):
    questionnaire = _survey(council, next_year)
    draft = _survey(council, next_year, opened=False)
    answer_url = reverse("events:needs_questionnaire_answer", args=[next_year, questionnaire.pk])
    manage_url = reverse("events:needs_questionnaire", args=[next_year, questionnaire.pk])

    # Anonymous visitors go to the login page; members manage nothing.
    assert Client().get(answer_url)["Location"].startswith("/accounts/login/")
    assert Client().get(reverse("events:catalogue", args=[next_year])).status_code == 302
    assert login_client(council.staff).get(manage_url).status_code == 403
    assert (
        login_client(council.outsider)
        .post(reverse("events:needs_questionnaire_create", args=[next_year]), {"title": "x"})
        .status_code
        == 403
    )
    # A draft is nobody's yet, and the survey lives only under its own year.
    staff = login_client(council.staff)
    draft_url = reverse("events:needs_questionnaire_answer", args=[next_year, draft.pk])
    assert staff.get(draft_url).status_code == 404
    other_year = reverse(
        "events:needs_questionnaire_answer", args=[next_year + 1, questionnaire.pk]
    )
    assert staff.get(other_year).status_code == 404
    # Non-members (a registrant's own link) never reach it.
    registration = services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="hanako@example.lg.jp"
        ),
    )
    link = reverse("events:questionnaire_answer_link", args=[registration.token, questionnaire.pk])
    assert Client().get(link).status_code == 404
    assert not QuestionnaireAnswer.objects.exists()


def test_catalogue_lists_the_years_trainings_by_theme_and_the_event_page_offers_no_needs_survey(
    council, seminar, next_year
):
    this_year = next_year - 1
    training = services.event_publish(
        event=services.event_create(
            by=council.secretariat,
            draft=event_draft(
                title="情報セキュリティ研修（初級）",
                kind=EventKind.TRAINING,
                theme=Theme.SECURITY,
                level=Level.BASIC,
            ),
        ),
        by=council.secretariat,
    )
    services.event_create(
        by=council.secretariat,
        draft=event_draft(
            title="準備中の調達研修", kind=EventKind.TRAINING, theme=Theme.PROCUREMENT
        ),
    )
    staff = login_client(council.staff)

    page = text_of(staff.get(reverse("events:catalogue", args=[this_year])))

    assert training.starts_at.date() >= timezone.localdate()
    assert "セキュリティ総合" in page
    assert "情報セキュリティ研修（初級） （初級）" in page
    assert "準備中の調達研修" not in page  # drafts are the secretariat's
    assert "準備中の調達研修" in text_of(
        login_client(council.secretariat).get(reverse("events:catalogue", args=[this_year]))
    )
    detail = text_of(
        login_client(council.secretariat).get(reverse("events:detail", args=[seminar.pk]))
    )
    assert "事後アンケートを作成" in detail and "研修ニーズ調査" not in detail


def test_catalogue_of_an_impossible_year_is_not_found(council):
    assert (
        login_client(council.staff).get(reverse("events:catalogue", args=[99999])).status_code
        == 404
    )
    create = reverse("events:needs_questionnaire_create", args=[1])
    assert login_client(council.secretariat).get(create).status_code == 404


def test_a_questionnaire_belongs_to_an_event_or_a_fiscal_year_never_both(council, seminar):
    with pytest.raises(IntegrityError):
        Questionnaire.objects.create(
            event=seminar, fiscal_year=2027, kind=QuestionnaireKind.NEEDS, title="x"
        )


def test_catalogue_costs_the_same_queries_for_one_or_many_surveys(
    council, next_year, django_assert_max_num_queries
):
    staff = login_client(council.staff)
    url = reverse("events:catalogue", args=[next_year])
    _survey(council, next_year)
    staff.get(url)
    with django_assert_max_num_queries(12) as few:
        staff.get(url)
    for _ in range(5):
        _survey(council, next_year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get(url)

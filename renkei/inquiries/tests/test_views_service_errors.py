"""A form page shows a service's refusal on the field the refusal names."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.inquiries import services
from renkei.inquiries.models import QuestionKind
from renkei.inquiries.services.authoring import InquiryDraft
from renkei.inquiries.services.questions import QuestionDraft
from renkei.testing import login_client


@pytest.fixture
def secretariat_client(council) -> Client:
    return login_client(council.secretariat)


def _inquiry(council, *, deadline: dt.datetime):
    by = council.secretariat
    inquiry = services.inquiry_create(
        by=by, draft=InquiryDraft(title="情報セキュリティポリシーについて", deadline=deadline)
    )
    services.question_create(
        inquiry=inquiry,
        by=by,
        draft=QuestionDraft(kind=QuestionKind.YES_NO, text="ポリシーを公表していますか。"),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=by, spec={"mode": "all"})
    return inquiry


def test_taken_question_number_is_shown_on_the_number_field(council, secretariat_client):
    inquiry = _inquiry(council, deadline=timezone.now() + dt.timedelta(days=14))

    response = secretariat_client.post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {
            "code": "Q1",
            "kind": QuestionKind.SHORT_TEXT,
            "text": "公表している場所",
            "required": "on",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["code"] == ["設問番号「Q1」はすでに使われています。"]
    assert not form.non_field_errors()
    assert inquiry.questions.count() == 1


def test_extension_before_the_current_deadline_is_shown_on_the_date_field(
    council, secretariat_client
):
    current = timezone.now() + dt.timedelta(days=20)
    inquiry = _inquiry(council, deadline=current)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    earlier = timezone.localdate() + dt.timedelta(days=10)

    response = secretariat_client.post(
        reverse("inquiries:extend", args=[inquiry.pk]),
        {"deadline_date": earlier.isoformat(), "deadline_time": "17:00"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["deadline_date"]
    assert len(errors) == 1
    assert errors[0].startswith("新しい期限は現在の期限")
    inquiry.refresh_from_db()
    assert inquiry.deadline == current

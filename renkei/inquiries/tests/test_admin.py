"""The admin keeps a started inquiry's questions read-only, as the services do."""

import pytest
from django.test import Client
from django.urls import reverse

from renkei.accounts.models import User
from renkei.inquiries.tests.builders import make_draft, make_open
from renkei.testing import login_client


def admin_client() -> Client:
    user = User.objects.create_superuser(
        username="admin", email="admin@example.lg.jp", password="x"
    )
    # Admins need their second factor before any page opens: login_client gives it.
    return login_client(user)


def change_post(question) -> dict:
    return {
        "position": question.position,
        "code": question.code,
        "kind": question.kind,
        "text": "管理画面で書き換えた設問",
        "required": "on",
        "choices": "[]",
        "table_rows": "[]",
        "table_columns": "[]",
        "table_numeric": "on",
    }


@pytest.mark.parametrize(
    ("make", "status", "text"),
    [
        (make_open, 403, "ポリシーを公表していますか。"),  # started: refused, unchanged
        (make_draft, 302, "管理画面で書き換えた設問"),  # a draft may be repaired
    ],
)
def test_only_questions_of_unstarted_inquiries_can_be_changed_in_the_admin(
    council, make, status, text
):
    question = make(council).questions.order_by("position").first()
    url = reverse("admin:inquiries_question_change", args=[question.pk])

    response = admin_client().post(url, change_post(question))

    assert response.status_code == status
    question.refresh_from_db()
    assert question.text == text


def test_started_inquiry_shows_its_questions_without_edit_controls(council):
    inquiry = make_open(council)

    page = admin_client().get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))

    assert page.status_code == 200
    assert "ポリシーを公表していますか。" in page.content.decode()
    assert 'name="questions-0-text"' not in page.content.decode()

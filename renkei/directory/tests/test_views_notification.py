"""The notification address page of an organization (共有メールアドレス and 連絡窓口)."""

import pytest
from django.test import Client
from django.urls import reverse

from renkei.audit.models import Action, AuditEvent
from renkei.testing import login_client, make_contact


def url_of(organization) -> str:
    return reverse("directory:organization_notification", args=[organization.pk])


def test_representative_sets_the_shared_mailbox_and_it_is_audited(council):
    client = login_client(council.representative)

    response = client.post(
        url_of(council.member_org), {"notification_email": " joho@tobetsu.example.lg.jp "}
    )

    assert response.status_code == 302
    council.member_org.refresh_from_db()
    assert council.member_org.notification_email == "joho@tobetsu.example.lg.jp"
    event = AuditEvent.objects.get(action=Action.CHANGED)
    assert event.actor == council.representative
    assert event.detail == {
        "field": "notification_email",
        "before": "",
        "after": "joho@tobetsu.example.lg.jp",
    }


def test_page_lists_the_contacts_mail_reaches(council):
    make_contact(user=council.staff)

    page = login_client(council.representative).get(url_of(council.member_org)).content.decode()

    assert "当別 次郎（情報政策課）：tobetsu-staff@example.lg.jp" in page
    assert "通知先がありません" not in page


def test_page_warns_when_no_mail_reaches_the_organization(council):
    page = login_client(council.secretariat).get(url_of(council.other_org)).content.decode()

    assert "通知先がありません" in page


def test_invalid_address_is_refused_with_a_japanese_message(council):
    response = login_client(council.secretariat).post(
        url_of(council.other_org), {"notification_email": "joho@"}
    )

    assert response.status_code == 200
    assert "メールアドレスの形式で入力してください" in response.content.decode()
    council.other_org.refresh_from_db()
    assert council.other_org.notification_email == ""
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_secretariat_returns_to_the_page_it_came_from(council):
    response = login_client(council.secretariat).post(
        url_of(council.other_org),
        {"notification_email": "joho@waki.example.lg.jp", "next": "/inquiries/1/open/"},
    )

    assert response["Location"] == "/inquiries/1/open/"


def test_next_to_another_site_is_ignored(council):
    response = login_client(council.secretariat).post(
        url_of(council.other_org),
        {"notification_email": "joho@waki.example.lg.jp", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == url_of(council.other_org)


@pytest.mark.parametrize("who", ["outsider", "staff", "board", "observer"])
def test_others_may_not_see_or_change_an_organizations_notification_address(council, who):
    client = login_client(getattr(council, who))

    assert client.get(url_of(council.member_org)).status_code == 403
    response = client.post(url_of(council.member_org), {"notification_email": "x@example.lg.jp"})

    assert response.status_code == 403
    council.member_org.refresh_from_db()
    assert council.member_org.notification_email == ""


def test_anonymous_visitor_is_sent_to_login(council):
    response = Client().get(url_of(council.member_org))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

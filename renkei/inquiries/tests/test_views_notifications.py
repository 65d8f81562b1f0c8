"""Pages that show where an inquiry's mail goes: the confirmation before opening, progress."""

import pytest
from django.urls import reverse

from renkei.directory.models import OrganizationKind
from renkei.inquiries import services
from renkei.inquiries.models import InquiryStatus
from renkei.inquiries.tests.builders import make_draft, make_open, towns_without_accounts
from renkei.inquiries.views.lifecycle import MISSING_PAGE_SIZE
from renkei.testing import login_client as login
from renkei.testing import make_organization, text_of


def towns_without_address(count: int) -> list:
    return [
        make_organization(
            code=f"{600000 + i:06d}", name=f"無窓口村{i:03d}", kind=OrganizationKind.VILLAGE
        )
        for i in range(count)
    ]


def test_open_confirmation_lists_targets_without_any_notification_address(council, contacts):
    towns_without_accounts(2)
    [village] = towns_without_address(1)
    inquiry = make_draft(council)

    page = text_of(login(council.secretariat).get(reverse("inquiries:open", args=[inquiry.pk])))

    assert "通知先のない団体（1団体）" in page
    assert "無窓口村000" in page
    fix = reverse("directory:organization_notification", args=[village.pk])
    assert f'href="{fix}?next=/inquiries/{inquiry.pk}/open/"' in page
    assert "町0" not in page.split("通知先のない団体")[1]
    assert "開始して送信する" in page
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DRAFT


def test_open_confirmation_pages_hundreds_of_organizations_without_address(
    council, contacts, django_assert_max_num_queries
):
    towns_without_address(MISSING_PAGE_SIZE + 10)
    inquiry = make_draft(council)
    client = login(council.secretariat)
    url = reverse("inquiries:open", args=[inquiry.pk])

    with django_assert_max_num_queries(20):
        first = text_of(client.get(url))
    second = text_of(client.get(url, {"missing_page": 2}))

    assert f"通知先のない団体（{MISSING_PAGE_SIZE + 10}団体）" in first
    assert "無窓口村000" in first and f"無窓口村{MISSING_PAGE_SIZE:03d}" not in first
    assert f"無窓口村{MISSING_PAGE_SIZE:03d}" in second
    assert "次の50団体" in first


def test_open_confirmation_says_when_every_target_has_an_address(council, contacts):
    inquiry = make_draft(council)

    page = text_of(login(council.secretariat).get(reverse("inquiries:open", args=[inquiry.pk])))

    assert "通知先のない団体（0団体）" in page
    assert "すべての照会先に通知先があります。" in page


def test_review_page_lists_targets_without_address_before_approval(council, contacts):
    towns_without_address(1)
    inquiry = make_draft(council, by=council.board)
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)

    page = text_of(login(council.secretariat).get(reverse("inquiries:review", args=[inquiry.pk])))

    assert "通知先のない団体（1団体）" in page
    assert "無窓口村000" in page


def test_the_secretariat_may_open_anyway(council, contacts):
    towns_without_address(1)
    inquiry = make_draft(council)

    login(council.secretariat).post(reverse("inquiries:open", args=[inquiry.pk]))

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN


@pytest.mark.parametrize("who", ["board", "staff", "outsider"])
def test_open_confirmation_is_the_secretariats(council, who):
    inquiry = make_draft(council)

    response = login(getattr(council, who)).get(reverse("inquiries:open", args=[inquiry.pk]))

    assert response.status_code == 403


def test_progress_shows_contacts_without_accounts_instead_of_nobody(council):
    towns_without_accounts(1)
    inquiry = make_open(council)

    page = text_of(login(council.secretariat).get(reverse("inquiries:progress", args=[inquiry.pk])))

    assert "madoguchi@town0.example.lg.jp" in page
    assert "joho@town0.example.lg.jp" in page
    assert "登録された担当者はいません" not in page
    # The council's own towns have no address in this test: the page says so and links to fix it.
    assert "通知先が登録されていません（メールが届きません）" in page

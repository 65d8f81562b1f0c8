"""Counts on screen carry thousands separators, as in 「1,791件」."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from renkei.core.question_kinds.results import Share
from renkei.directory.models import Membership, MembershipCategory, Organization, OrganizationKind


def test_pagination_says_the_total_with_a_separator():
    page = Paginator(range(1791), 50).get_page(2)

    html = render_to_string("includes/pagination.html", {"page": page})

    assert "2 / 36 ページ（全1,791件）" in html


def test_share_of_a_national_inquiry_carries_separators():
    assert Share(count=1234, total=1791).label == "1,791団体中1,234団体（68.9%）"


def test_organization_list_counts_with_a_separator(council):
    organizations = Organization.objects.bulk_create(
        Organization(name=f"テスト{n}町", kind=OrganizationKind.TOWN, prefecture_code="07")
        for n in range(1000)
    )
    Membership.objects.bulk_create(
        Membership(organization=o, category=MembershipCategory.REGULAR, joined_on="2008-04-01")
        for o in organizations
    )
    client = Client()
    client.force_login(council.staff)

    html = client.get(reverse("directory:organization_list")).content.decode()

    total = Organization.objects.count()
    assert total > 1000
    assert f'<p role="status">{total:,}件</p>' in html

"""The inquiries in 新着情報: the home page makes its 回答依頼 items of its card's rows."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.inquiries.models import Inquiry, InquiryStatus, ResultsVisibility
from renkei.portal.tests.builders import open_inquiry
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def _feed(page: str) -> str:
    """Return the text of the home page's 新着情報 card."""
    start = page.index("新着情報")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start : page.index("所属団体")]))


def test_a_new_inquiry_is_news_on_home_behind_six_that_are_due_sooner(council):
    now = timezone.now()
    for day in range(6):
        due_soon = open_inquiry(
            council=council, title=f"先の照会{day}", organizations=[council.member_org]
        )
        Inquiry.objects.filter(pk=due_soon.pk).update(
            opened_at=now - dt.timedelta(days=30 - day), deadline=now + dt.timedelta(days=day + 1)
        )
    newest = open_inquiry(council=council, title="新着の照会", organizations=[council.member_org])
    Inquiry.objects.filter(pk=newest.pk).update(opened_at=now, deadline=now + dt.timedelta(days=60))

    page = login_client(council.staff).get(reverse("home")).content.decode()

    feed = _feed(page)
    assert "回答依頼：新着の照会" in feed
    assert feed.index("回答依頼：新着の照会") < feed.index("回答依頼：先の照会5")
    # The card lists the five due soonest, the newest (due last) not among them.
    card = page[page.index("回答依頼中の照会") :]
    assert "先の照会0" in card and "先の照会4" in card
    assert "新着の照会" not in card[: card.index("一覧を見る")]


def test_home_and_the_notification_list_show_the_same_inquiry_news(council):
    now = timezone.now()
    asked = open_inquiry(
        council=council, title="回答をお願いする照会", organizations=[council.member_org]
    )
    Inquiry.objects.filter(pk=asked.pk).update(opened_at=now - dt.timedelta(hours=2))
    published = open_inquiry(council=council, title="結果の出た照会", organizations=[])
    Inquiry.objects.filter(pk=published.pk).update(
        status=InquiryStatus.PUBLISHED,
        published_at=now - dt.timedelta(hours=1),
        results_visibility=ResultsVisibility.MEMBERS,
    )
    client = login_client(council.staff)

    home = _feed(client.get(reverse("home")).content.decode())
    listing = client.get(reverse("notifications")).content.decode()

    for title in ("結果公開：結果の出た照会", "回答依頼：回答をお願いする照会"):
        assert title in home
        assert title in listing
    assert home.index("結果公開：結果の出た照会") < home.index("回答依頼：回答をお願いする照会")


def test_an_outsider_sees_neither_the_request_nor_unpublished_results(council):
    asked = open_inquiry(
        council=council, title="当別町への照会", organizations=[council.member_org]
    )
    Inquiry.objects.filter(pk=asked.pk).update(opened_at=timezone.now())

    page = login_client(council.outsider).get(reverse("home")).content.decode()

    assert "当別町への照会" not in page

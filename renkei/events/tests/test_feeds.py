"""Published seminars appear in the member's 新着情報; drafts and past events do not."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.events import services
from renkei.events.tests.builders import event_draft
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def test_home_lists_a_published_event_but_not_a_draft(council, seminar):
    services.event_create(by=council.secretariat, draft=event_draft(title="準備中の研修会"))

    page = login_client(council.staff).get(reverse("home")).content.decode()

    assert "トピックスセミナー" in page
    assert "準備中の研修会" not in page


def test_an_event_that_has_started_leaves_the_feed(council, seminar):
    seminar.starts_at = timezone.now() - dt.timedelta(hours=1)
    seminar.save()

    page = login_client(council.staff).get(reverse("home")).content.decode()

    assert "トピックスセミナー" not in page

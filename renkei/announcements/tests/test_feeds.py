"""An お知らせ appears in the 新着情報 of the organizations in its audience only."""

import pytest
from django.urls import reverse

from renkei.announcements import services
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def test_home_lists_the_announcement_for_its_audience_only(council):
    announcement = services.announcement_create(
        by=council.secretariat,
        title="北海道ブロック研修会のご案内",
        body="研修会を開催します。",
        kind="notice",
        audience="prefecture",
        prefectures=[council.member_org.prefecture_code],
    )
    services.announcement_publish(announcement=announcement, by=council.secretariat)

    member_home = login_client(council.staff).get(reverse("home")).content.decode()
    outsider_home = login_client(council.outsider).get(reverse("home")).content.decode()

    assert "北海道ブロック研修会のご案内" in member_home
    assert "北海道ブロック研修会のご案内" not in outsider_home

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


def test_an_announcement_is_unread_until_the_reader_opens_it(council, make_announcement, publish):
    announcement = make_announcement(title="情報交換会議の開催について")
    publish(announcement)  # returns the delivery, not the announcement
    staff, colleague = login_client(council.staff), login_client(council.representative)

    def unread_on(client, name: str) -> bool:
        page = client.get(reverse(name)).content.decode()
        [line] = [line for line in page.splitlines() if "情報交換会議の開催について" in line]
        return "未読" in line

    assert unread_on(staff, "announcements:list")
    assert unread_on(staff, "home")

    assert staff.get(reverse("announcements:detail", args=[announcement.pk])).status_code == 200

    assert not unread_on(staff, "announcements:list")
    assert not unread_on(staff, "home")
    # The marker is the reader's own: a colleague of the same organization still has it unread.
    assert unread_on(colleague, "announcements:list")


def test_the_news_list_marks_unread_without_a_query_per_announcement(
    council, make_announcement, publish, django_assert_max_num_queries
):
    for number in range(12):
        publish(make_announcement(title=f"総会資料の送付について{number}"))
    client = login_client(council.staff)
    client.get(reverse("announcements:list"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("announcements:list")).content.decode()

    assert page.count("未読") == 12

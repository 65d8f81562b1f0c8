import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.directory.models import OrganizationKind, Person
from renkei.inquiries.models import Answer, AnswerStatus, Inquiry
from renkei.polls.models import Choice, Poll, PollStatus
from renkei.portal.tests.builders import open_inquiry
from renkei.testing import make_organization


def open_poll(question: str) -> Poll:
    today = timezone.localdate()
    poll = Poll.objects.create(
        question=question,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=7),
        status=PollStatus.APPROVED,
    )
    Choice.objects.create(poll=poll, position=1, text="はい")
    return poll


def test_home_lists_inquiries_to_answer_with_my_organizations_state(client, council):
    asked = open_inquiry(
        council=council,
        title="情報セキュリティポリシーについて",
        organizations=[council.member_org],
    )
    open_inquiry(council=council, title="和木町だけへの照会", organizations=[council.other_org])
    Answer.objects.create(inquiry=asked, organization=council.member_org, status=AnswerStatus.DRAFT)
    open_poll("CMSの導入について")
    client.force_login(council.staff)
    page = client.get(reverse("home")).content.decode()
    assert "情報セキュリティポリシーについて" in page
    assert "作成中" in page
    assert "和木町だけへの照会" not in page
    assert "CMSの導入について" in page
    assert "当別町" in page


@pytest.mark.parametrize(("role", "manages"), [("representative", True), ("staff", False)])
def test_home_links_staff_management_for_the_organizations_manager_only(
    client, council, role, manages
):
    client.force_login(getattr(council, role))
    url = reverse("directory:organization_staff_manage", args=[council.member_org.pk])

    page = client.get(reverse("home")).content.decode()

    assert (f'<a href="{url}">職員の管理' in page) is manages
    assert client.get(url).status_code == (200 if manages else 403)


def test_home_names_the_first_ten_staff_and_links_the_rest(client, council):
    Person.objects.bulk_create(
        Person(name=f"職員{n:02d}", kana=f"しょくいん{n:02d}", organization=council.member_org)
        for n in range(12)
    )
    client.force_login(council.staff)

    page = client.get(reverse("home")).content.decode()

    listed = re.findall(r"<li>(職員\d\d|当別 [^（<]+)", page)
    assert len(listed) == 10
    detail = reverse("directory:organization_detail", args=[council.member_org.pk])
    assert f'<a href="{detail}">職員をすべて見る</a>' in page


def test_observer_home_has_no_inquiry_section(client, council):
    client.force_login(council.observer)
    page = client.get(reverse("home")).content.decode()
    assert "回答依頼中の照会" not in page
    assert "実施中の調査" in page


def test_home_makes_the_same_number_of_queries_as_lists_grow(
    client, council, django_assert_max_num_queries
):
    client.force_login(council.staff)
    open_inquiry(council=council, title="照会1", organizations=[council.member_org])
    open_poll("調査1")
    client.get(reverse("home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for i in range(30):
        org = make_organization(code=None, name=f"組合{i}", kind=OrganizationKind.ASSOCIATION)
        open_inquiry(council=council, title=f"照会{i + 2}", organizations=[council.member_org, org])
        open_poll(f"調査{i + 2}")
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_anonymous_visitor_gets_the_login_page_except_for_healthz(client, db, path):
    response = client.get(path)
    if path == "/healthz":
        assert response.status_code == 200
        assert response.content == b"ok"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_refusal_page_is_japanese(client, council):
    client.force_login(council.outsider)
    response = client.get(
        reverse("directory:organization_staff_manage", args=[council.member_org.pk])
    )
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in response.content.decode()


def test_missing_page_is_japanese(client, council):
    client.force_login(council.staff)
    response = client.get("/organizations/999999/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_new_inquiry_is_unread_news_until_the_answer_is_started(client, council):
    asked = open_inquiry(
        council=council,
        title="自治体クラウドの導入状況について",
        organizations=[council.member_org],
    )
    Inquiry.objects.filter(pk=asked.pk).update(
        opened_at=timezone.now(), deadline=timezone.now() + dt.timedelta(days=2)
    )
    client.force_login(council.staff)
    page = client.get(reverse("notifications")).content.decode()
    assert "回答依頼：自治体クラウドの導入状況について" in page
    assert "期限が近づいています" in page
    assert "未読" in page
    Answer.objects.create(inquiry=asked, organization=council.member_org, status=AnswerStatus.DRAFT)
    page = client.get(reverse("notifications")).content.decode()
    assert "回答依頼：自治体クラウドの導入状況について" in page
    assert "未読" not in page
    client.force_login(council.outsider)
    page = client.get(reverse("notifications")).content.decode()
    assert "自治体クラウドの導入状況について" not in page


@pytest.mark.parametrize("name", ["home", "notifications"])
def test_news_titles_are_escaped(client, council, name):
    asked = open_inquiry(
        council=council, title="<script>alert(1)</script>の件", organizations=[council.member_org]
    )
    Inquiry.objects.filter(pk=asked.pk).update(opened_at=timezone.now())
    client.force_login(council.staff)

    page = client.get(reverse(name)).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;の件" in page
    assert "<script>alert(1)" not in page


def test_notification_list_pages_are_bounded(client, council):
    client.force_login(council.staff)
    assert client.get(reverse("notifications") + "?page=999").status_code == 200
    assert client.get(reverse("notifications") + "?page=x").status_code == 200


def _grow_news(council, *, count: int, board) -> None:
    """Add inquiries, polls, announcements and followed threads: news of every feature."""
    from renkei.announcements import services as announcements
    from renkei.forum.services import follow_set, thread_create

    for i in range(count):
        inquiry = open_inquiry(
            council=council, title=f"照会{i}の件", organizations=[council.member_org]
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(opened_at=timezone.now())
        open_poll(f"調査{i}の件")
        announcement = announcements.announcement_create(
            by=council.secretariat,
            title=f"お知らせ{i}の件",
            body="本文",
            kind="notice",
            audience="all_members",
            send_mail=False,
        )
        announcements.announcement_publish(announcement=announcement, by=council.secretariat)
        thread = thread_create(board=board, title=f"話題{i}の件", body="本文", by=council.board)
        follow_set(user=council.staff, thread=thread, following=True)


@pytest.mark.parametrize(("name", "queries"), [("home", 12), ("notifications", 9)])
def test_home_and_notifications_make_a_fixed_number_of_queries_as_news_grows(
    client, council, django_assert_num_queries, name, queries
):
    """Session, user (with person and organization), groups, a query per section and feed, and
    the followed threads' two (the follows, then their threads)."""
    from renkei.forum.models import Board

    board = Board.objects.create(name="情報化推進全般", position=1)
    client.force_login(council.staff)
    client.get(reverse(name))  # the session is saved on the first request after login
    for count in (1, 40):
        _grow_news(council, count=count, board=board)
        with django_assert_num_queries(queries):
            page = client.get(reverse(name)).content.decode()
        assert "回答依頼：照会" in page
        assert "お知らせ" in page
        assert "話題" in page

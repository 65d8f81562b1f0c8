"""Every URL of the room against anonymous visitors, members outside a private board's group,
observers and members: who is refused, and that a refused POST changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from renkei.audit.models import AuditEvent
from renkei.forum.models import AbuseReport, Attachment, Board, Follow, Post, Thread
from renkei.forum.services import abuse_report_create
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    return Client() if user is None else login_client(user)


def _state():
    return (
        Board.objects.count(),
        Thread.objects.count(),
        list(
            Thread.objects.order_by("pk").values_list(
                "board_id", "is_locked", "is_pinned", "is_hidden"
            )
        ),
        list(Post.objects.order_by("pk").values_list("body", "is_hidden")),
        Follow.objects.count(),
        AbuseReport.objects.filter(resolved_at__isnull=True).count(),
        Attachment.objects.count(),
    )


def board_urls(board, thread, post):
    """Every URL of a board's records that a member reading the board may use."""
    return [
        ("GET", reverse("forum:board", args=[board.pk])),
        ("GET", reverse("forum:thread", args=[thread.pk])),
        ("GET", reverse("forum:post", args=[post.pk])),
        ("GET", reverse("forum:post_history", args=[post.pk])),
        ("GET", reverse("forum:reply", args=[thread.pk])),
        ("POST", reverse("forum:reply", args=[thread.pk])),
        ("GET", reverse("forum:thread_new", args=[board.pk])),
        ("POST", reverse("forum:thread_new", args=[board.pk])),
        ("POST", reverse("forum:follow_thread", args=[thread.pk])),
        ("POST", reverse("forum:follow_board", args=[board.pk])),
    ]


# Every URL of a private board's records, and of the secretariat's moderation.
def private_urls(room):
    p = room.private_post
    return [
        *board_urls(room.private_board, room.private_thread, p),
        ("GET", reverse("forum:report", args=[p.pk])),
        ("POST", reverse("forum:report", args=[p.pk])),
        ("GET", reverse("forum:post_edit", args=[p.pk])),
        ("POST", reverse("forum:post_edit", args=[p.pk])),
    ]


def moderation_urls(room):
    t, p = room.thread, room.first
    report = abuse_report_create(post=room.reply, reason="不適切", by=room.council.staff)
    return [
        ("GET", reverse("forum:board_new")),
        ("POST", reverse("forum:board_new")),
        ("GET", reverse("forum:board_edit", args=[room.board.pk])),
        ("POST", reverse("forum:board_edit", args=[room.board.pk])),
        ("GET", reverse("forum:thread_move", args=[t.pk])),
        ("POST", reverse("forum:thread_move", args=[t.pk])),
        ("GET", reverse("forum:thread_moderate", args=[t.pk, "lock"])),
        ("POST", reverse("forum:thread_moderate", args=[t.pk, "lock"])),
        ("POST", reverse("forum:thread_moderate", args=[t.pk, "pin"])),
        ("POST", reverse("forum:thread_moderate", args=[t.pk, "hide"])),
        ("GET", reverse("forum:post_hide", args=[p.pk])),
        ("POST", reverse("forum:post_hide", args=[p.pk])),
        ("GET", reverse("forum:reports")),
        ("POST", reverse("forum:report_resolve", args=[report.pk])),
    ]


def open_urls(room):
    return [
        ("GET", reverse("forum:index")),
        ("GET", reverse("forum:search") + "?q=入札"),
        ("GET", reverse("forum:mine")),
        ("GET", reverse("forum:preferences")),
        ("POST", reverse("forum:preferences")),
        *board_urls(room.board, room.thread, room.first),
        ("GET", reverse("notifications")),
    ]


DATA = {
    "body": "本文",
    "title": "題名",
    "reason": "理由",
    "follow": "1",
    "delivery": "digest",
    "name": "新しい会議室",
    "position": "1",
    "is_active": "on",
    "confirm": "1",
}


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, DATA)


def _refused(client, urls, status):
    """Request every URL: each answers `status` and changes nothing; return what they answered."""
    answered = []
    for method, url in urls:
        before = _state()
        response = _request(client, method, url)
        assert response.status_code == status, (method, url, response.status_code)
        assert _state() == before, (method, url)
        answered.append((method, url, response))
    return answered


def test_anonymous_visitor_is_sent_to_login_from_every_url(room):
    client = _client()
    every_url = open_urls(room) + private_urls(room) + moderation_urls(room)
    for method, url, response in _refused(client, every_url, 302):
        assert response["Location"].startswith("/accounts/login/"), (method, url)


@pytest.mark.parametrize("who", ["outsider", "staff", "observer"])
def test_non_group_member_cannot_reach_a_private_board_through_any_url(room, who):
    client = _client(getattr(room.council, who))
    _refused(client, private_urls(room), 404)


def test_non_group_member_does_not_see_private_board_in_lists_or_search(room):
    client = _client(room.council.outsider)
    index = client.get(reverse("forum:index")).content.decode()
    assert "役員会の会議室" not in index
    found = client.get(reverse("forum:search") + "?q=役員会資料").content.decode()
    assert "平成21年度事業計画" not in found
    assert "0件見つかりました" in found


def test_group_member_reads_and_replies_on_the_private_board(room):
    client = _client(room.council.board)
    assert client.get(reverse("forum:thread", args=[room.private_thread.pk])).status_code == 200
    response = client.post(
        reverse("forum:reply", args=[room.private_thread.pk]), {"body": "確認しました。"}
    )
    assert response.status_code == 302
    assert room.private_thread.posts.count() == 2


@pytest.mark.parametrize("who", ["outsider", "staff", "representative", "board", "observer"])
def test_members_cannot_moderate(room, who):
    client = _client(getattr(room.council, who))
    _refused(client, moderation_urls(room), 403)


def test_observer_reads_open_boards_but_cannot_write(room):
    client = _client(room.council.observer)
    for method, url in open_urls(room):
        before = _state()
        response = _request(client, method, url)
        if method == "GET" and "/posts/" in url and url.count("/") == 4:
            assert response.status_code == 302  # the permalink leads to the thread page
            assert "#post-1" in response["Location"]
        elif method == "GET" and "/reply/" not in url and "/new/" not in url:
            assert response.status_code == 200, (method, url)
        elif "/follow/" in url or "preferences" in url:
            assert response.status_code in (200, 302), (method, url)
        else:
            assert response.status_code == 403, (method, url, response.status_code)
            assert _state() == before, (method, url)


def test_member_cannot_edit_someone_elses_post(room):
    client = _client(room.council.outsider)
    url = reverse("forum:post_edit", args=[room.first.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "書き換え"}).status_code == 403
    room.first.refresh_from_db()
    assert "書き換え" not in room.first.body


def test_hidden_thread_is_not_found_for_members(room):
    room.thread.is_hidden = True
    room.thread.save()
    client = _client(room.council.representative)
    assert client.get(reverse("forum:thread", args=[room.thread.pk])).status_code == 404
    assert client.get(reverse("forum:post", args=[room.first.pk])).status_code == 404
    assert (
        _client(room.council.secretariat)
        .get(reverse("forum:thread", args=[room.thread.pk]))
        .status_code
        == 200
    )


def test_refusals_write_no_audit_rows(room):
    client = _client(room.council.outsider)
    before = AuditEvent.objects.count()
    client.post(reverse("forum:reply", args=[room.private_thread.pk]), {"body": "x"})
    client.post(reverse("forum:thread_moderate", args=[room.thread.pk, "pin"]))
    assert AuditEvent.objects.count() == before

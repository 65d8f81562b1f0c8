"""The list pages: archive, thread, permalink, posting, held mail and the secretariat's set-up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.audit.models import AuditEvent
from renkei.forum.lists.models import (
    ListMessage,
    MailingList,
    MailOptOut,
    MessageStatus,
)
from renkei.forum.lists.services import message_post
from renkei.forum.lists.tests.client_mail import LIST_ADDRESS, PDF
from renkei.mailer.inbound import inbound_deliver
from renkei.mailer.models import OutboxMessage
from renkei.testing import login_client


def _post(board, subject="第2回役員会の日程", body="候補日をお知らせください。", parent=None):
    return message_post(
        mailing_list=board.mailing_list,
        subject=subject,
        body=body,
        parent=parent,
        by=board.council.board,
    )


def test_a_member_posts_on_the_web_and_every_member_gets_a_copy(board):
    client = login_client(board.council.board)

    response = client.post(
        reverse("lists:post", args=[board.mailing_list.pk]),
        {
            "subject": "総会の議案について",
            "body": "議案書を添付します。",
            "files": [SimpleUploadedFile("議案書.pdf", PDF, content_type="application/pdf")],
        },
    )

    message = ListMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == message.get_absolute_url()
    assert message.attachments.get().name == "議案書.pdf"
    copies = OutboxMessage.objects.filter(topic=f"lists:{message.pk}")
    assert sorted(copies.values_list("to_email", flat=True)) == sorted(
        [board.council.board.email, board.auditor.email]
    )
    assert "議案書.pdf" in copies.first().body_text  # a link to the file in the archive
    assert AuditEvent.objects.filter(action="lists.message_post", actor=board.council.board)


def test_an_empty_subject_is_refused_in_japanese_and_nothing_posted(board):
    client = login_client(board.council.board)

    response = client.post(
        reverse("lists:post", args=[board.mailing_list.pk]), {"subject": " ", "body": "本文"}
    )

    assert response.status_code == 400
    assert "このフィールドは必須です" in response.content.decode()
    assert not ListMessage.objects.exists()


def test_a_web_reply_threads_under_its_parent_and_carries_in_reply_to(board):
    original = _post(board)
    client = login_client(board.council.board)

    client.post(
        reverse("lists:reply", args=[original.pk]),
        {"subject": "Re: 第2回役員会の日程", "body": "12日が都合よいです。"},
    )

    reply = ListMessage.objects.exclude(pk=original.pk).get()
    assert reply.parent == original and reply.thread == original.thread
    assert reply.in_reply_to == original.message_id
    copy = OutboxMessage.objects.filter(topic=f"lists:{reply.pk}").first()
    assert copy.headers["In-Reply-To"] == original.message_id


def test_the_thread_page_shows_replies_in_order_in_constant_queries(
    board, django_assert_max_num_queries
):
    original = _post(board)
    parent = original
    for number in range(12):
        parent = _post(board, subject=f"Re: 日程 {number}", body=f"返信{number}", parent=parent)
    client = login_client(board.council.board)
    url = reverse("lists:thread", args=[original.thread_id])

    with django_assert_max_num_queries(14):
        response = client.get(url)

    html = response.content.decode()
    assert html.index("候補日をお知らせください。") < html.index("返信0") < html.index("返信11")
    assert "lists-depth-1" in html and "lists-depth-10" in html
    assert len(response.content) < 150_000


def test_a_threads_pages_make_the_same_number_of_queries_however_long_it_grows(
    board, django_assert_num_queries
):
    original = _post(board)
    client = login_client(board.council.board)
    url = reverse("lists:thread", args=[original.thread_id])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    parent = original
    for number in range(55):
        parent = message_post(
            mailing_list=board.mailing_list,
            subject=f"Re: 日程 {number}",
            body=f"返信{number}",
            parent=parent,
            files=[SimpleUploadedFile("議案書.pdf", PDF, content_type="application/pdf")]
            if number == 54
            else [],
            by=board.council.board,
        )

    with django_assert_num_queries(len(small)):
        first = client.get(url)
    with django_assert_num_queries(len(small)):
        last = client.get(url, {"page": 2})

    assert "1 / 2 ページ（全56件）" in first.content.decode()
    html = last.content.decode()
    assert "返信54" in html and "返信48" not in html
    assert reverse("lists:attachment", args=[parent.attachments.get().pk]) in html
    assert reverse("lists:reply", args=[parent.pk]) in html


def test_the_archive_lists_threads_filtered_and_paged(board, django_assert_max_num_queries):
    for number in range(35):
        _post(board, subject=f"議題{number:02d}")
    client = login_client(board.council.board)
    url = reverse("lists:archive", args=[board.mailing_list.pk])

    with django_assert_max_num_queries(12):
        first = client.get(url)
    filtered = client.get(url, {"q": "議題07"})

    assert "1 / 2 ページ" in first.content.decode()
    assert "議題34" in first.content.decode()
    assert "議題07" in filtered.content.decode() and "議題08" not in filtered.content.decode()


def test_the_permalink_links_to_the_message_in_its_thread(board):
    original = _post(board)
    client = login_client(board.council.board)

    response = client.get(reverse("lists:message", args=[original.pk]))

    assert f"#message-{original.pk}" in response.content.decode()


@pytest.mark.parametrize("who", ["staff", "outsider", "observer", "representative"])
def test_people_outside_the_group_get_404_on_every_archive_page(board, who):
    message = _post(board)
    client = login_client(getattr(board.council, who))
    urls = [
        reverse("lists:archive", args=[board.mailing_list.pk]),
        reverse("lists:thread", args=[message.thread_id]),
        reverse("lists:message", args=[message.pk]),
        reverse("lists:reply", args=[message.pk]),
        reverse("lists:post", args=[board.mailing_list.pk]),
        reverse("lists:held", args=[board.mailing_list.pk]),
        reverse("lists:receiving", args=[board.mailing_list.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert board.mailing_list.address not in client.get(reverse("lists:index")).content.decode()


def _held(board) -> ListMessage:
    [outcome] = inbound_deliver(
        content=b"From: vendor@example.co.jp\r\nSubject: proposal\r\n\r\nHello\r\n",
        recipients=[LIST_ADDRESS],
        envelope_from="vendor@example.co.jp",
    )
    assert outcome.reply is None
    return ListMessage.objects.get(status=MessageStatus.HELD)


def test_approving_held_mail_asks_first_then_publishes_and_mails_it(board):
    held = _held(board)
    client = login_client(board.council.secretariat)
    url = reverse("lists:decide", args=[held.pk, "approve"])

    confirmation = client.get(url)
    unconfirmed = client.post(url, {})
    held.refresh_from_db()
    assert confirmation.status_code == 200 and "全員にメールで配信" in confirmation.content.decode()
    assert unconfirmed.status_code == 200 and held.status == MessageStatus.HELD

    response = client.post(url, {"confirm": "1"})

    held.refresh_from_db()
    assert response.status_code == 302
    assert held.status == MessageStatus.PUBLISHED and held.thread is not None
    assert held.decided_by == board.council.secretariat
    assert OutboxMessage.objects.filter(topic=f"lists:{held.pk}").count() == 2
    assert AuditEvent.objects.filter(action="lists.held_approve")


def test_rejecting_held_mail_never_publishes_it(board):
    held = _held(board)
    client = login_client(board.council.secretariat)

    client.post(reverse("lists:decide", args=[held.pk, "reject"]), {"confirm": "1"})

    held.refresh_from_db()
    assert held.status == MessageStatus.REJECTED and held.thread is None
    assert not OutboxMessage.objects.filter(topic=f"lists:{held.pk}").exists()
    # A decided message is no longer in the queue: deciding again answers 404.
    again = client.post(reverse("lists:decide", args=[held.pk, "approve"]), {"confirm": "1"})
    assert again.status_code == 404


def test_a_named_moderator_who_is_a_member_decides_held_mail(board):
    board.mailing_list.moderators.add(board.council.board)
    held = _held(board)
    client = login_client(board.council.board)

    assert client.get(reverse("lists:held", args=[board.mailing_list.pk])).status_code == 200
    client.post(reverse("lists:decide", args=[held.pk, "approve"]), {"confirm": "1"})

    held.refresh_from_db()
    assert held.status == MessageStatus.PUBLISHED


def test_a_member_stops_receiving_mail_but_still_reads_the_archive(board):
    client = login_client(board.council.board)

    client.post(reverse("lists:receiving", args=[board.mailing_list.pk]), {"receiving": "0"})
    message = _post(board)

    assert MailOptOut.objects.filter(person=board.council.board.person).exists()
    recipients = OutboxMessage.objects.filter(topic=f"lists:{message.pk}")
    assert list(recipients.values_list("to_email", flat=True)) == [board.auditor.email]
    assert client.get(reverse("lists:thread", args=[message.thread_id])).status_code == 200


def test_the_secretariat_creates_a_list_for_a_group_and_a_taken_address_is_refused(board):
    from renkei.directory.models import Group, GroupKind

    group = Group.objects.create(name="情報セキュリティWG", kind=GroupKind.WORKING_GROUP)
    client = login_client(board.council.secretariat)
    data = {"group": group.pk, "local_part": "yakuin", "nonmember_policy": "refuse"}

    taken = client.post(reverse("lists:new"), data)
    created = client.post(reverse("lists:new"), {**data, "local_part": "sec-wg", "is_active": "on"})

    assert taken.status_code == 400 and "すでに使われています" in taken.content.decode()
    mailing_list = MailingList.objects.get(group=group)
    assert created.status_code == 302
    assert mailing_list.address == "sec-wg@lists.renkei.example.lg.jp"
    assert mailing_list.subject_prefix == "[情報セキュリティWG]"
    assert AuditEvent.objects.filter(action="lists.list_create").count() == 2


def test_the_home_feed_shows_new_list_threads_to_members_only(board):
    _post(board, subject="第2回役員会の日程")

    member_home = login_client(board.council.board).get(reverse("home")).content.decode()
    outsider_home = login_client(board.council.staff).get(reverse("home")).content.decode()

    assert "第2回役員会の日程" in member_home
    assert "第2回役員会の日程" not in outsider_home


def test_the_archive_shows_the_text_escaped_with_links_and_line_breaks(board):
    client = login_client(board.council.board)
    client.post(
        reverse("lists:post", args=[board.mailing_list.pk]),
        {
            "subject": "資料の置き場所",
            "body": "資料はこちら https://www.example.lg.jp/shiryo/ です。\n<script>alert(1)</script>",
        },
    )
    message = ListMessage.objects.get()

    page = client.get(reverse("lists:thread", args=[message.thread_id])).content.decode()

    assert '<a href="https://www.example.lg.jp/shiryo/"' in page
    assert "です。<br>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page

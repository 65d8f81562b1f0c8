"""Writing to the room: posts, quotes, edits, moderation, reports, follows and their mail."""

import pytest

from renkei.audit.models import AuditEvent
from renkei.forum.models import DeliveryMode, Follow, Post, PostRevision, Preference
from renkei.forum.services import (
    ForumError,
    abuse_report_create,
    digest_send,
    discussion_of,
    discussion_start,
    follow_set,
    post_create,
    post_edit,
    post_hide,
    preference_set,
    quote_text,
    thread_create,
    thread_moderate,
    thread_move,
)
from renkei.mailer.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_and_script_removed(room):
    post = post_create(
        thread=room.thread,
        body="**重要** <script>alert(1)</script> [リンク](javascript:alert(1)) [LASDEC](https://www.example.jp/)",
        by=room.council.representative,
    )
    assert "<strong>重要</strong>" in post.body_html
    assert "<script" not in post.body_html
    assert "javascript:" not in post.body_html
    assert 'href="https://www.example.jp/"' in post.body_html


def test_posts_are_numbered_and_the_thread_counts_them(room):
    third = post_create(thread=room.thread, body="三件目", by=room.council.outsider)
    room.thread.refresh_from_db()
    assert third.number == 3
    assert room.thread.post_count == 3
    assert room.thread.last_post_at == third.created_at


def test_reply_quotes_the_post_it_answers(room):
    quote = quote_text(post=room.reply)
    assert quote.startswith("> **深川 一郎**（#2）:\n> 当市では監査の指摘")
    post = post_create(
        thread=room.thread,
        body=quote + "参考になります。",
        reply_to=room.reply,
        by=room.council.staff,
    )
    assert post.reply_to == room.reply
    assert "<blockquote>" in post.body_html


def test_reply_to_a_post_of_another_thread_is_refused(room):
    with pytest.raises(ForumError):
        post_create(thread=room.thread, body="x", reply_to=room.private_post, by=room.council.board)


def test_edit_keeps_the_previous_text_and_is_audited(room):
    post_edit(
        post=room.reply,
        body="当市では監査の指摘を受けて、令和元年度に見直しました。",
        by=room.council.board,
    )
    revision = PostRevision.objects.get(post=room.reply)
    assert revision.body == "当市では監査の指摘を受けて見直しました。"
    room.reply.refresh_from_db()
    assert room.reply.edited_at is not None
    assert "令和元年度" in room.reply.body_html
    assert AuditEvent.objects.filter(
        detail__what="forum_post_edit", actor=room.council.board
    ).exists()


def test_an_unchanged_edit_is_refused(room):
    with pytest.raises(ForumError):
        post_edit(post=room.reply, body=room.reply.body, by=room.council.board)
    assert not PostRevision.objects.exists()


def test_empty_body_is_refused_and_nothing_is_stored(room):
    with pytest.raises(ForumError, match="本文を入力"):
        post_create(thread=room.thread, body="  \n ", by=room.council.staff)
    assert room.thread.posts.count() == 2


def test_locked_thread_refuses_member_replies_but_not_the_secretariat(room):
    thread_moderate(
        thread=room.thread, action="lock", by=room.council.secretariat, reason="結論が出たため"
    )
    with pytest.raises(ForumError, match="ロック"):
        post_create(thread=room.thread, body="追加", by=room.council.staff)
    post_create(thread=room.thread, body="事務局からのまとめ", by=room.council.secretariat)
    assert AuditEvent.objects.filter(detail__what="forum_thread_lock").exists()


def test_moderating_twice_says_so(room):
    thread_moderate(thread=room.thread, action="pin", by=room.council.secretariat)
    with pytest.raises(ForumError):
        thread_moderate(thread=room.thread, action="pin", by=room.council.secretariat)


def test_hiding_needs_a_reason_and_closes_open_reports(room):
    report = abuse_report_create(
        post=room.reply, reason="個人情報が書かれている", by=room.council.staff
    )
    with pytest.raises(ForumError, match="理由"):
        post_hide(post=room.reply, hide=True, reason="", by=room.council.secretariat)
    post_hide(post=room.reply, hide=True, reason="個人情報を含むため", by=room.council.secretariat)
    report.refresh_from_db()
    assert report.resolved_at is not None
    room.reply.refresh_from_db()
    assert room.reply.is_hidden and room.reply.body  # the text stays for the record


def test_abuse_report_mails_the_secretariat_once(room):
    abuse_report_create(post=room.reply, reason="不適切な表現", by=room.council.staff)
    mail = OutboxMessage.objects.get(template="forum_abuse_report")
    assert mail.to_email == room.council.secretariat.email
    assert "不適切な表現" in mail.body_text
    with pytest.raises(ForumError, match="報告済み"):
        abuse_report_create(post=room.reply, reason="再度", by=room.council.staff)


def test_move_changes_the_board_and_is_audited(room):
    other = room.private_board
    thread_move(thread=room.thread, board=other, by=room.council.secretariat)
    room.thread.refresh_from_db()
    assert room.thread.board == other
    with pytest.raises(ForumError):
        thread_move(thread=room.thread, board=other, by=room.council.secretariat)
    assert AuditEvent.objects.filter(detail__what="forum_thread_move").count() == 1


def test_followers_get_one_mail_per_post_except_the_author(room):
    # The thread's author (staff) and replier (board) follow it by posting.
    OutboxMessage.objects.all().delete()
    follow_set(user=room.council.representative, board=room.board, following=True)
    post = post_create(thread=room.thread, body="入札の仕様書を共有します。", by=room.council.staff)
    mails = OutboxMessage.objects.filter(template="forum_post")
    assert sorted(m.to_email for m in mails) == sorted(
        [room.council.board.email, room.council.representative.email]
    )
    body = mails.first().body_text
    assert "入札の仕様書を共有します。" in body
    assert f"/forum/posts/{post.pk}/" in body


def test_digest_readers_get_no_mail_per_post_but_one_digest(room):
    OutboxMessage.objects.all().delete()
    preference_set(user=room.council.board, delivery=DeliveryMode.DAILY_DIGEST)
    Preference.objects.filter(user=room.council.board).update(
        digest_sent_until=Post.objects.latest("created_at").created_at
    )
    post_create(thread=room.thread, body="一件目の追記", by=room.council.staff)
    post_create(thread=room.thread, body="二件目の追記", by=room.council.outsider)
    assert not OutboxMessage.objects.filter(to_email=room.council.board.email).exists()
    assert digest_send() == 1
    digest = OutboxMessage.objects.get(to_email=room.council.board.email, template="forum_digest")
    assert "2件" in digest.subject
    assert "一件目の追記" in digest.body_text and "二件目の追記" in digest.body_text
    # Nothing new: no second digest.
    assert digest_send() == 0


def test_no_mail_choice_sends_nothing(room):
    OutboxMessage.objects.all().delete()
    preference_set(user=room.council.board, delivery=DeliveryMode.NONE)
    post_create(thread=room.thread, body="追記", by=room.council.staff)
    assert not OutboxMessage.objects.filter(to_email=room.council.board.email).exists()
    assert digest_send() == 0


def test_former_group_member_following_a_private_board_gets_no_mail(room):
    OutboxMessage.objects.all().delete()
    follow_set(user=room.council.staff, board=room.private_board, following=True)  # not in 役員会
    post_create(thread=room.private_thread, body="非公開の追記", by=room.council.secretariat)
    recipients = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert room.council.staff.email not in recipients
    assert room.council.board.email in recipients


def test_thread_becomes_the_discussion_of_another_record_once(room):
    record = room.council.member_org  # any record: an inquiry, later a meeting
    thread = discussion_start(
        subject=record,
        board=room.board,
        title="当別町の事例について",
        body="ご意見をどうぞ。",
        by=room.council.secretariat,
    )
    assert discussion_of(subject=record) == thread
    assert thread.subject == record
    with pytest.raises(ForumError, match="すでに"):
        discussion_start(
            subject=record, board=room.board, title="二つ目", body="x", by=room.council.secretariat
        )


def test_author_follows_own_thread(room):
    thread = thread_create(board=room.board, title="題", body="本文", by=room.council.outsider)
    assert Follow.objects.filter(user=room.council.outsider, thread=thread).exists()
    assert Post.objects.filter(thread=thread).count() == 1


def test_digest_command_queues_the_digest(room):
    from django.core.management import call_command

    preference_set(user=room.council.board, delivery=DeliveryMode.DAILY_DIGEST)
    Preference.objects.filter(user=room.council.board).update(
        digest_sent_until=Post.objects.latest("created_at").created_at
    )
    post_create(thread=room.thread, body="朝の追記", by=room.council.staff)
    call_command("forum_digest")
    assert OutboxMessage.objects.filter(
        template="forum_digest", to_email=room.council.board.email
    ).exists()

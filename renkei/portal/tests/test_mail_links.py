"""Every link in every mail the product sends starts with RENKEI_BASE_URL.

The mails are produced by the real flows (invitation, password reset, every step of an
inquiry), requested on a host other than the configured one, and every mail template found on
disk must have been produced: a new template without a flow here fails the test.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.services import user_set_active
from renkei.announcements import services as announcement_services
from renkei.directory.services import (
    email_change_confirm,
    email_change_request,
    invitation_create,
)
from renkei.inquiries import services
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.tests.builders import complete_data, make_draft, make_open
from renkei.mailer.models import OutboxMessage
from renkei.meetings import services as meeting_services
from renkei.testing import make_contact

BASE = "https://renkei.example.lg.jp"
URL_RE = re.compile(r"""https?://[^\s"'<>）]+""")
# Mails with no link of their own: a generic notice whose whole body the caller writes; the
# notice of a suspension (its holder can no longer log in); and the notice to the old address
# that the e-mail address changed (it tells whom to ask instead of offering a link).
# A seminar's cancellation by the council, and the receipt of a registrant's own cancellation:
# nothing is left to open.
WITHOUT_LINKS = {
    "notice",
    "account_suspended",
    "email_changed",
    "event_cancelled",
    "event_cancellation_received",
}


def mail_templates() -> set[str]:
    """Return the names of every mail template (a folder mail/<name>/ with a subject.txt)."""
    names = set()
    for directory in engines["django"].template_dirs:
        for subject in Path(directory).glob("mail/*/subject.txt"):
            names.add(subject.parent.name)
    return names


@pytest.fixture
def base_url(settings):
    settings.RENKEI = {**settings.RENKEI, "BASE_URL": BASE}
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


def produce_every_mail(council) -> None:
    """Run every flow that sends mail, on a request host that is not the base URL."""
    for user in (council.staff, council.outsider, council.board):
        make_contact(user=user)
    request = RequestFactory().post("/", HTTP_HOST="127.0.0.1:8000")
    request.user = council.secretariat
    invitation_create(
        organization=council.member_org,
        name="新人 花子",
        email="shinjin@example.lg.jp",
        role="staff",
        by=council.secretariat,
        request=request,
    )
    Client(HTTP_HOST="localhost").post(
        reverse("account_reset_password"), {"email": council.staff.email}
    )
    # One's own account: suspension and its lifting, an e-mail change and its confirmation.
    user_set_active(user=council.outsider, active=False, by=council.secretariat, request=request)
    user_set_active(user=council.outsider, active=True, by=council.secretariat, request=request)
    token = email_change_request(
        user=council.observer, new_email="soumu-new@example.lg.jp", request=request
    )
    email_change_confirm(user=council.observer, token=token, request=request)

    # A member's request: review, rejection, approval (opens it), confirmation, answers.
    inquiry = make_draft(council, by=council.board, requires_confirmation=True)
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    services.inquiry_reject(
        inquiry=inquiry, by=council.secretariat, note="設問を見直してください。"
    )
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    services.inquiry_approve(inquiry=inquiry, by=council.secretariat)
    answer = get_answer_for(council.staff, inquiry.pk)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    services.answer_request_confirmation(answer=answer, by=council.staff, revision=answer.revision)
    services.answer_submit(answer=answer, by=council.representative, revision=answer.revision)
    services.inquiry_remind(inquiry=inquiry, by=council.secretariat)
    services.answer_link_reissue(
        inquiry=inquiry, organization=council.other_org, by=council.secretariat
    )
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_extend_deadline(
        inquiry=inquiry, by=council.secretariat, deadline=timezone.now() + dt.timedelta(days=30)
    )
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)
    make_open(council)
    # お知らせ: a newsletter's copies (with their unsubscribe links), as the worker writes them.
    announcement = announcement_services.announcement_create(
        by=council.secretariat, title="総会のご案内", body="本文", kind="newsletter", audience="all"
    )
    delivery = announcement_services.announcement_publish(
        announcement=announcement, by=council.secretariat
    )
    announcement_services.delivery_prepare(delivery=delivery)

    # A meeting: the invitation, its change notice, the minutes circulated to and confirmed for the attendees.
    meeting = meeting_services.meeting_create(
        by=council.secretariat, title="役員会", kind="board", starts_at=timezone.now()
    )
    meeting_services.invitees_add(
        meeting=meeting, by=council.secretariat, people=[council.board.person]
    )
    meeting_services.invitations_send(meeting=meeting, by=council.secretariat)
    meeting_services.meeting_update(
        meeting=meeting, by=council.secretariat, venue="第2会議室"
    )  # the change notice
    meeting_services.reply_record(meeting=meeting, by=council.board, reply="attend")
    minutes = meeting_services.minutes_create(meeting=meeting, by=council.secretariat)
    for step in ("circulate", "confirm"):
        meeting_services.minutes_transition(minutes=minutes, by=council.secretariat, name=step)
    _produce_forum_mail(council)
    _produce_event_mail(council)
    _produce_list_mail(council)


def _produce_event_mail(council) -> None:
    """A seminar of one seat: registered, an address to confirm, waiting, reminded, promoted,
    cancelled."""
    import datetime as dt

    from django.utils import timezone

    from renkei.events import services as events

    starts = timezone.now() + dt.timedelta(days=30)
    event = events.event_create(
        by=council.secretariat,
        draft=events.EventDraft(
            title="トピックスセミナー",
            kind="seminar",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            description="事例発表",
            capacity=1,
            audience="open",
        ),
    )
    events.event_publish(event=event, by=council.secretariat)
    seated = events.member_register(event=event, person=council.staff.person, by=council.staff)
    waiting = events.public_register(
        event=event,
        registrant=events.Registrant(
            name="上砂川 花子", organization_name="上砂川町", email="hanako@example.lg.jp"
        ),
    )
    events.registration_confirm(registration=waiting)
    events.reminders_send_due(days_before=31)
    events.registration_cancel(registration=seated, by=council.staff)
    events.event_cancel(event=event, by=council.secretariat)


def _produce_forum_mail(council) -> None:
    """A reply mailed to the thread's author, an abuse report, and a daily digest."""
    from renkei.forum import services as forum
    from renkei.forum.models import DeliveryMode, Post, Preference

    board = forum.board_create(name="情報化推進全般", by=council.secretariat)
    thread = forum.thread_create(board=board, title="CMSの導入", body="事例を", by=council.staff)
    reply = forum.post_create(thread=thread, body="当市の事例です。", by=council.board)
    forum.abuse_report_create(post=reply, reason="確認してください", by=council.staff)
    forum.preference_set(user=council.board, delivery=DeliveryMode.DAILY_DIGEST)
    Preference.objects.filter(user=council.board).update(
        digest_sent_until=Post.objects.latest("created_at").created_at
    )
    forum.post_create(thread=thread, body="追記します。", by=council.staff)
    assert forum.digest_send() == 1


def _produce_list_mail(council) -> None:
    """A list message posted on the web, and mail from a non-member held for the moderator."""
    from renkei.directory.models import Group, GroupKind, GroupMember
    from renkei.forum.lists import services as lists
    from renkei.mailer.inbound import inbound_deliver

    group = Group.objects.create(name="情報セキュリティWG", kind=GroupKind.WORKING_GROUP)
    GroupMember.objects.create(group=group, person=council.board.person)
    mailing_list = lists.list_create(
        group=group, local_part="sec-wg", moderators=[council.secretariat], by=council.secretariat
    )
    lists.message_post(mailing_list=mailing_list, subject="日程", body="本文", by=council.board)
    [outcome] = inbound_deliver(
        content=b"From: vendor@example.co.jp\r\nSubject: hello\r\n\r\nbody\r\n",
        recipients=[mailing_list.address],
        envelope_from="vendor@example.co.jp",
    )
    assert outcome.reply is None


def test_every_link_in_every_mail_starts_with_the_base_url(council, base_url):
    produce_every_mail(council)

    messages = list(OutboxMessage.objects.all())
    produced = {message.template for message in messages if message.template}
    assert mail_templates() - WITHOUT_LINKS <= produced
    assert any(message.topic == "account" for message in messages)  # the password reset
    links = [
        (message.template or message.topic, url)
        for message in messages
        for url in URL_RE.findall(message.body_text + message.body_html)
    ]
    assert {template for template, _ in links} >= mail_templates() - WITHOUT_LINKS
    wrong = [
        (template, url)
        for template, url in links
        if url.rstrip("/") != BASE and not url.startswith(BASE + "/")
    ]
    assert wrong == []

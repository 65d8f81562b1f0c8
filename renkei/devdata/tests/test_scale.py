"""seed_scale: counts of the small set, determinism, full coverage of the big inquiry, and the
other features' data as their own selectors read it."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.announcements.models import Announcement, AnnouncementStatus, Delivery
from renkei.announcements.selectors import announcement_list, delivery_counts
from renkei.core.feeds import feed_items
from renkei.core.question_kinds import hidden_question_ids
from renkei.devdata.scale import (
    BIG_QUESTIONS,
    BIG_TITLE_PREFIX,
    SCALE_PASSWORD,
    SMALL,
    scale_digest,
    scale_load,
    scale_username,
)
from renkei.devdata.scale_activity import (
    BIG_BOARD_NAME,
    BIG_EVENT_TITLE,
    BIG_THREAD_TITLE,
    activity_digest,
)
from renkei.directory.models import LISTED_KINDS, Membership, Organization, Person
from renkei.directory.selectors import affiliation_of
from renkei.events.models import Event, Registration, RegistrationStatus
from renkei.events.phases import EventPhase, event_phase_now
from renkei.events.selectors import event_list, event_rows, event_seats, seats_label
from renkei.forum.models import Board, Follow, Post, ReadMarker, Thread
from renkei.forum.selectors import board_counts, forum_search, page_of, thread_posts
from renkei.inquiries.models import (
    Answer,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
    Target,
)
from renkei.inquiries.selectors.questions import missing_required
from renkei.meetings.models import Invitee, Meeting, MeetingKind, Response
from renkei.meetings.selectors import attendance_line, invitation_news, responses_of
from renkei.polls.models import Poll, Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_on")]


class _Rollback(Exception):
    """Raised to undo a seeded database inside a test."""


def _seed_and_digest(seed: int, *, later: dt.timedelta = dt.timedelta(0)) -> str:
    """Seed the small set inside a savepoint (with the clock moved on), return its digest."""
    digest = ""
    now = timezone.now() + later
    try:
        with transaction.atomic(), mock.patch("django.utils.timezone.now", return_value=now):
            scale_load(seed=seed, size=SMALL)
            digest = scale_digest() + activity_digest()
            raise _Rollback
    except _Rollback:
        pass
    assert not Inquiry.objects.exists()
    return digest


def test_small_set_has_the_expected_counts() -> None:
    out = io.StringIO()
    call_command("seed_scale", "--seed", "7", "--small", stdout=out)

    listed = Organization.objects.filter(kind__in=LISTED_KINDS)
    assert listed.count() == 1788
    assert Membership.objects.count() == 1788
    assert not listed.filter(memberships__isnull=True).exists()
    members = User.objects.exclude(role=Role.SECRETARIAT)
    assert members.count() == SMALL.people
    assert Person.objects.filter(user__in=members).count() == SMALL.people
    # The first account of each organization is its representative, all in distinct ones.
    representatives = Person.objects.filter(user__role=Role.REPRESENTATIVE)
    assert representatives.values("organization").distinct().count() == SMALL.people
    assert User.objects.get(username=scale_username(0)).check_password(SCALE_PASSWORD)
    assert Inquiry.objects.count() == SMALL.inquiries
    assert Inquiry.objects.filter(title__startswith=BIG_TITLE_PREFIX).count() == 1
    assert Inquiry.objects.filter(status=InquiryStatus.OPEN).exists()
    assert Answer.objects.exists() and AnswerVersion.objects.exists()
    assert Poll.objects.count() == SMALL.polls
    assert Vote.objects.exists()
    # The other features, at the small set's sizes (plus one scheduled お知らせ, the big fair).
    assert Announcement.objects.count() == SMALL.announcements + 1
    assert Announcement.objects.filter(status=AnnouncementStatus.DRAFT).exists()
    assert Event.objects.count() == SMALL.events + 1
    big = Event.objects.get(title=BIG_EVENT_TITLE)
    assert big.registrations.count() == SMALL.big_event_registrations
    assert Meeting.objects.count() == SMALL.meetings
    assert Board.objects.count() == 10
    big_board = Thread.objects.filter(board__name=BIG_BOARD_NAME)
    assert big_board.count() >= SMALL.forum_threads
    assert Thread.objects.get(title=BIG_THREAD_TITLE).post_count == SMALL.forum_big_thread_posts
    text = out.getvalue()
    assert "[12/12]" in text and "total:" in text and SCALE_PASSWORD in text


def test_answers_fit_their_questions() -> None:
    scale_load(seed=3, size=SMALL)
    # Every submitted answer has its required, shown questions and nothing hidden.
    for inquiry in Inquiry.objects.filter(answers__status=AnswerStatus.SUBMITTED).distinct()[:10]:
        questions = list(inquiry.questions.all())
        for answer in inquiry.answers.filter(status=AnswerStatus.SUBMITTED, kind="answered"):
            assert missing_required(questions, answer.data) == []
            hidden = hidden_question_ids(questions, answer.data)
            assert not {int(key.split("_")[0]) for key in answer.data} & hidden
            assert answer.versions.order_by("-number").first().data == answer.data


def test_big_inquiry_has_an_answer_from_every_target() -> None:
    scale_load(seed=5, size=SMALL)

    big = Inquiry.objects.get(title__startswith=BIG_TITLE_PREFIX)
    assert Question.objects.filter(inquiry=big).count() == BIG_QUESTIONS
    kinds = set(Question.objects.filter(inquiry=big).values_list("kind", flat=True))
    assert len(kinds) == 9
    assert Question.objects.filter(inquiry=big, condition_question__isnull=False).exists()
    targets = set(Target.objects.filter(inquiry=big).values_list("organization_id", flat=True))
    assert len(targets) == 1788
    answered = Answer.objects.filter(inquiry=big, status=AnswerStatus.SUBMITTED)
    assert set(answered.values_list("organization_id", flat=True)) == targets
    with_versions = answered.annotate(n=Count("versions")).filter(n__gte=1)
    assert with_versions.count() == len(targets)


def test_same_seed_gives_the_same_data_on_another_day() -> None:
    first = _seed_and_digest(11)
    second = _seed_and_digest(11, later=dt.timedelta(days=3, hours=5, minutes=17, seconds=41))
    other = _seed_and_digest(12)

    assert first == second
    assert other != first


def test_refuses_a_database_with_inquiries(council) -> None:
    Inquiry.objects.create(title="既存の照会", requester=council.member_org)

    with pytest.raises(CommandError, match="すでにデータ"):
        call_command("seed_scale", "--small", stdout=io.StringIO())
    assert Inquiry.objects.count() == 1


def test_other_features_read_as_their_selectors_show_them() -> None:
    scale_load(seed=9, size=SMALL)
    now = timezone.now()
    reader = User.objects.get(username=scale_username(0))
    affiliation = affiliation_of(user=reader)

    # The fair: full, with a waiting list, cancellations and non-members, counted as the events
    # list and the secretariat's registration list count them; its reception is not open yet.
    big = Event.objects.get(title=BIG_EVENT_TITLE)
    seats = event_seats(big, matching=Q())
    assert seats.matching == SMALL.big_event_registrations
    assert seats.confirmed == big.capacity
    assert seats.waitlisted and not seats.checked_in
    assert Registration.objects.exclude(checked_in_at=None).exists()
    assert big.registrations.filter(status=RegistrationStatus.CANCELLED).exists()
    assert big.registrations.filter(is_member=False).exists()
    assert event_phase_now(big) == EventPhase.ACCEPTING
    [row] = event_rows(event_list(user=reader).filter(pk=big.pk))
    assert row["seats_label"] == seats_label(
        confirmed=seats.confirmed, capacity=big.capacity, waitlisted=seats.waitlisted
    )
    # As the services keep it: never more seats than the capacity, nobody waits for a free one.
    for event in Event.objects.exclude(capacity=None):
        counted = event_seats(event)
        assert counted.confirmed <= event.capacity
        assert not counted.waitlisted or counted.confirmed == event.capacity

    # The room: counters match the posts, every author follows and has read its own post.
    thread = Thread.objects.get(title=BIG_THREAD_TITLE)
    assert thread.posts.count() == thread.post_count == SMALL.forum_big_thread_posts
    last_page = thread_posts(thread=thread, page=page_of(number=thread.post_count))
    assert list(last_page.object_list)[-1].number == thread.post_count
    counted = Thread.objects.annotate(n=Count("posts"), newest=Max("posts__created_at"))
    assert not counted.exclude(n=F("post_count")).exists()
    assert not counted.exclude(newest=F("last_post_at")).exists()
    followed = Follow.objects.filter(user=OuterRef("author"), thread=OuterRef("thread"))
    read = ReadMarker.objects.filter(
        user=OuterRef("author"), thread=OuterRef("thread"), last_read_number__gte=OuterRef("number")
    )
    assert not Post.objects.exclude(Exists(followed) & Exists(read)).exists()
    assert not Post.objects.filter(created_at__gt=now).exists()
    boards = {c.board.name: c for c in board_counts(user=reader)}
    assert boards[BIG_BOARD_NAME].threads >= SMALL.forum_threads
    assert forum_search(user=reader, query="ガバメントクラウド").paginator.count > 0

    # m00000's home: news from the room first, unread, and a board it follows.
    feed = feed_items(user=reader, affiliation=affiliation, limit=8)
    assert feed[0].kind == "電子会議室" and feed[0].unread
    assert Follow.objects.filter(user=reader, board__isnull=False).exists()
    news = announcement_list(user=reader)
    assert news.filter(unread=True).exists() and news.filter(unread=False).exists()
    # The newest delivery to all members has its per-recipient log.
    newest = Delivery.objects.filter(announcement__audience="all").order_by("-started_at").first()
    assert delivery_counts(delivery=newest)["sent"] == newest.recipient_count > 0

    # Meetings: every member organization called to the 総会, part of them answered, the call
    # in m00000's news; the past ones have their attendance.
    assert not Meeting.objects.filter(invitations_sent_at__gt=now).exists()
    general = Meeting.objects.get(kind=MeetingKind.GENERAL)
    assert Invitee.objects.filter(meeting=general).count() == 1788
    answered = Response.objects.filter(meeting=general).exclude(reply="").count()
    assert 0 < answered < 1788
    called = invitation_news(user=reader, group_ids=affiliation.group_ids, limit=10)
    assert general.pk in [row["pk"] for row in called]
    held = (
        Meeting.objects.filter(attendance_recorded_at__isnull=False)
        .annotate(came=Count("responses", filter=Q(responses__attended=True)))
        .order_by("-came")
        .first()
    )
    assert held is not None and any(r.attended for r in responses_of(meeting=held))
    assert "名" in attendance_line(meeting=held)

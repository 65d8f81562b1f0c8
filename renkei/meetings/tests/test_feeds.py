"""A call to an upcoming meeting (招集通知) reaches the invitee's 新着情報, unread until 出欠."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.meetings import services
from renkei.meetings.models import Meeting, Reply
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def _upcoming(meeting: Meeting) -> Meeting:
    meeting.starts_at = timezone.now() + dt.timedelta(days=14)
    meeting.save(update_fields=["starts_at"])
    return meeting


def _call(meeting: Meeting, *, by) -> None:
    """Send the 招集通知 (each invited organization has its shared mailbox)."""
    for organization in {i.organization for i in meeting.invitees.select_related("organization")}:
        organization.notification_email = f"joho-{organization.pk}@example.lg.jp"
        organization.save(update_fields=["notification_email"])
    services.invitations_send(meeting=meeting, by=by)


def _home(user) -> str:
    return login_client(user).get(reverse("home")).content.decode()


def test_invited_board_member_sees_the_call_unanswered_on_home(meetings):
    council = meetings.council
    meeting = _upcoming(meetings.board_meeting)
    assert "招集：令和8年度 役員会" not in _home(council.board)  # no call sent yet

    _call(meeting, by=council.secretariat)

    page = _home(council.board)
    assert "招集：令和8年度 役員会" in page
    assert "出欠：未回答" in page
    assert reverse("meetings:detail", args=[meeting.pk]) in page


def test_the_call_is_read_once_the_member_answers(meetings):
    council = meetings.council
    meeting = _upcoming(meetings.board_meeting)
    _call(meeting, by=council.secretariat)

    services.reply_record(meeting=meeting, by=council.board, reply=Reply.ATTEND)

    page = _home(council.board)
    assert "招集：令和8年度 役員会" in page
    assert "出欠：未回答" not in page
    assert "出欠：出席" in page


def test_members_not_invited_see_no_call(meetings):
    council = meetings.council
    meeting = _upcoming(meetings.private_meeting)  # invites 当別町 (member_org) only
    _call(meeting, by=council.secretariat)

    assert "招集：当別町との打合せ" in _home(council.staff)
    for user in (council.board, council.outsider, council.observer):
        assert "招集：当別町との打合せ" not in _home(user)


def test_a_held_meeting_leaves_the_feed(meetings):
    council = meetings.council
    meeting = _upcoming(meetings.board_meeting)
    _call(meeting, by=council.secretariat)
    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])

    assert "招集：令和8年度 役員会" not in _home(council.board)

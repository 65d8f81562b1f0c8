"""Meetings of the test council: a board-only 役員会 with a material and draft minutes, a
meeting open to members, and one for its invitees only."""

import datetime as dt
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.meetings import services
from renkei.meetings.models import (
    InviteeCapacity,
    Material,
    Meeting,
    MeetingKind,
    MeetingScope,
    Minutes,
)
from renkei.testing import Council

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "shiryou.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Meetings:
    council: Council
    board_meeting: Meeting
    members_meeting: Meeting
    private_meeting: Meeting
    material: Material
    minutes: Minutes


@pytest.fixture
def pdf_upload():
    return pdf


@pytest.fixture
def meetings(council) -> Meetings:
    """A 役員会 for the board (深川市) with 総務省 observing, and two other meetings."""
    by = council.secretariat
    # The secretariat must have two-factor authentication to reach any page.
    TOTP.activate(by, generate_totp_secret())
    start = dt.datetime(2026, 6, 20, 12, 0, tzinfo=timezone.get_current_timezone())
    board_meeting = services.meeting_create(
        by=by,
        title="令和8年度 役員会",
        kind=MeetingKind.BOARD,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        venue="地方自治情報センター センター会議室",
        scope=MeetingScope.BOARD,
    )
    services.invitees_add(
        meeting=board_meeting, by=by, organizations=[council.board_org], category="役員"
    )
    services.invitees_add(
        meeting=board_meeting,
        by=by,
        organizations=[council.observer_org],
        capacity=InviteeCapacity.OBSERVER,
    )
    item = services.agenda_item_add(meeting=board_meeting, by=by, title="本会の概要について")
    material = services.material_add(
        meeting=board_meeting, by=by, title="本会の概要", file=pdf(), agenda_item=item
    )
    minutes = services.minutes_create(meeting=board_meeting, by=by)
    members_meeting = services.meeting_create(
        by=by,
        title="情報交換会議",
        kind=MeetingKind.EXCHANGE,
        starts_at=start + dt.timedelta(days=120),
        scope=MeetingScope.MEMBERS,
    )
    private_meeting = services.meeting_create(
        by=by,
        title="当別町との打合せ",
        kind=MeetingKind.OTHER,
        starts_at=start + dt.timedelta(days=10),
        scope=MeetingScope.INVITEES,
    )
    services.invitees_add(meeting=private_meeting, by=by, organizations=[council.member_org])
    return Meetings(
        council=council,
        board_meeting=board_meeting,
        members_meeting=members_meeting,
        private_meeting=private_meeting,
        material=material,
        minutes=minutes,
    )

"""Where an event stands at a given time, as the list, its page and registration see it."""

import datetime as dt

import pytest

from renkei.events.models import EventStatus
from renkei.events.phases import EventPhase, event_phase

STARTS = dt.datetime(2027, 2, 10, 1, 0, tzinfo=dt.UTC)  # 令和9年2月10日 10:00 JST
ENDS = STARTS + dt.timedelta(hours=5)
OPENS = STARTS - dt.timedelta(days=30)


def phase_at(now: dt.datetime, *, status: str = EventStatus.PUBLISHED, closes=None, opens=OPENS):
    return event_phase(
        status=status,
        starts_at=STARTS,
        ends_at=ENDS,
        registration_opens_at=opens,
        registration_closes_at=closes,
        now=now,
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - dt.timedelta(seconds=1), EventPhase.NOT_YET_OPEN),
        (OPENS, EventPhase.ACCEPTING),
        (STARTS - dt.timedelta(seconds=1), EventPhase.ACCEPTING),
        (STARTS, EventPhase.UNDER_WAY),
        (ENDS - dt.timedelta(seconds=1), EventPhase.UNDER_WAY),
        (ENDS, EventPhase.HELD),
    ],
)
def test_without_a_closing_time_registration_runs_until_the_start(now, expected):
    assert phase_at(now) == expected


def test_a_closing_time_before_the_start_closes_registration_early():
    closes = STARTS - dt.timedelta(days=7)

    assert phase_at(closes - dt.timedelta(seconds=1), closes=closes) == EventPhase.ACCEPTING
    assert phase_at(closes, closes=closes) == EventPhase.CLOSED
    assert phase_at(STARTS, closes=closes) == EventPhase.UNDER_WAY


def test_a_closing_time_during_the_event_keeps_registration_open_at_the_door():
    closes = STARTS + dt.timedelta(hours=1)

    assert phase_at(STARTS, closes=closes) == EventPhase.ACCEPTING
    assert phase_at(closes, closes=closes) == EventPhase.UNDER_WAY


def test_without_an_opening_time_registration_is_open_from_publication():
    assert phase_at(OPENS - dt.timedelta(days=60), opens=None) == EventPhase.ACCEPTING


@pytest.mark.parametrize(
    ("status", "expected"),
    [(EventStatus.DRAFT, EventPhase.PREPARING), (EventStatus.CANCELLED, EventPhase.CANCELLED)],
)
def test_a_draft_or_cancelled_event_says_so_whatever_the_time(status, expected):
    assert phase_at(ENDS + dt.timedelta(days=1), status=status) == expected
    assert phase_at(OPENS, status=status) == expected


def test_labels_are_what_members_read():
    assert [phase.label for phase in EventPhase] == [
        "準備中",
        "中止",
        "申込受付前",
        "申込受付中",
        "申込締切",
        "開催中",
        "開催済み",
    ]

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.polls.models import Poll, PollPhase, PollStatus, VoteScope, voter_key


@pytest.mark.parametrize(
    ("start", "end", "status", "expected"),
    [
        (-1, 1, PollStatus.APPROVED, PollPhase.OPEN),
        (0, 0, PollStatus.APPROVED, PollPhase.OPEN),
        (1, 3, PollStatus.APPROVED, PollPhase.UPCOMING),
        (-3, -1, PollStatus.APPROVED, PollPhase.CLOSED),
        (-1, 1, PollStatus.REQUESTED, PollPhase.REQUESTED),
        (-1, 1, PollStatus.REJECTED, PollPhase.REJECTED),
    ],
)
def test_phase_follows_status_and_period(make_poll, today, start, end, status, expected):
    poll = make_poll(
        start=today + timedelta(days=start), end=today + timedelta(days=end), status=status
    )
    assert poll.phase == expected


def test_early_close_ends_the_poll(make_poll):
    poll = make_poll()
    poll.closed_early_at = timezone.now()
    assert poll.phase == PollPhase.CLOSED
    assert not poll.is_editable


def test_period_is_reckoned_in_japan_whatever_the_active_time_zone(make_poll, monkeypatch):
    poll = make_poll(start=date(2026, 8, 7), end=date(2026, 8, 21))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 8, 21, 14, 59, tzinfo=UTC))
    with timezone.override("UTC"):
        assert poll.phase == PollPhase.OPEN  # 23:59 on the 21st in Tokyo
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 8, 21, 15, 0, tzinfo=UTC))
    with timezone.override("UTC"):
        assert poll.phase == PollPhase.CLOSED


def test_database_refuses_a_period_ending_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.create(
            question="逆転した期間", start_date=date(2026, 8, 21), end_date=date(2026, 8, 7)
        )


def test_voter_key_is_the_person_or_the_organization():
    assert voter_key(scope=VoteScope.PERSON, user_id=7, organization_id=3) == "person:7"
    assert voter_key(scope=VoteScope.ORGANIZATION, user_id=7, organization_id=3) == "organization:3"
    assert voter_key(scope=VoteScope.ORGANIZATION, user_id=7, organization_id=None) is None

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from renkei.polls.models import PollStatus, ResultsVisibility
from renkei.polls.permissions import (
    can_request_polls,
    can_see_results,
    can_vote,
    get_poll_for,
    get_poll_to_manage_for,
    get_poll_to_vote_for,
    visible_polls,
)


# What each role may do in the poll corner: vote, and ask for a poll (調査依頼).
@pytest.mark.parametrize(
    ("role", "votes", "requests"),
    [
        ("outsider", True, True),
        ("observer", False, False),
        ("staff", True, True),
        ("representative", True, True),
        ("board", True, True),
        ("secretariat", True, False),  # creates polls directly instead of requesting them
    ],
)
def test_every_role_but_observers_votes_and_members_request_polls(council, role, votes, requests):
    user = council.users_by_role()[role]
    assert can_vote(user) is votes
    assert can_request_polls(user) is requests


@pytest.mark.parametrize(
    ("role", "sees_request"),
    [
        ("outsider", False),
        ("observer", False),
        ("staff", True),
        ("representative", True),
        ("board", False),
        ("secretariat", True),
    ],
)
def test_request_is_visible_only_to_its_organization_and_the_secretariat(
    council, make_poll, role, sees_request
):
    approved = make_poll()
    requested = make_poll(status=PollStatus.REQUESTED, requesting_organization=council.member_org)
    rejected = make_poll(status=PollStatus.REJECTED, requesting_organization=council.member_org)
    user = council.users_by_role()[role]

    visible = set(visible_polls(user))

    assert approved in visible
    assert (requested in visible) is sees_request
    assert (rejected in visible) is sees_request
    if not sees_request:
        with pytest.raises(Http404):
            get_poll_for(user, requested.pk)


def test_observer_is_refused_a_ballot(council, make_poll):
    poll = make_poll()
    with pytest.raises(PermissionDenied):
        get_poll_to_vote_for(council.observer, poll.pk)


@pytest.mark.parametrize("role", ["outsider", "observer", "staff", "representative", "board"])
def test_only_the_secretariat_manages_polls(council, make_poll, role):
    poll = make_poll()
    with pytest.raises(PermissionDenied):
        get_poll_to_manage_for(council.users_by_role()[role], poll.pk)
    assert get_poll_to_manage_for(council.secretariat, poll.pk) == poll


# Results visibility: (setting, phase, has voted) → may a member see the counts?
@pytest.mark.parametrize(
    ("visibility", "phase", "voted", "expected"),
    [
        (ResultsVisibility.AFTER_VOTING, "open", False, False),
        (ResultsVisibility.AFTER_VOTING, "open", True, True),
        (ResultsVisibility.AFTER_CLOSE, "open", True, False),
        (ResultsVisibility.AFTER_CLOSE, "open", False, False),
        (ResultsVisibility.AFTER_VOTING, "closed", False, True),
        (ResultsVisibility.AFTER_CLOSE, "closed", False, True),
        (ResultsVisibility.AFTER_VOTING, "upcoming", False, False),
    ],
)
def test_member_sees_results_per_the_poll_setting(
    council, make_poll, today, visibility, phase, voted, expected
):
    start, end = {
        "open": (today - timedelta(days=1), today + timedelta(days=1)),
        "closed": (today - timedelta(days=9), today - timedelta(days=1)),
        "upcoming": (today + timedelta(days=1), today + timedelta(days=9)),
    }[phase]
    poll = make_poll(results_visibility=visibility, start=start, end=end)
    assert can_see_results(council.staff, poll, has_voted=voted) is expected
    assert can_see_results(council.secretariat, poll, has_voted=False) is True


def test_observer_sees_results_once_closed(council, make_poll, today):
    running = make_poll()
    closed = make_poll(start=today - timedelta(days=9), end=today - timedelta(days=1))
    assert not can_see_results(council.observer, running, has_voted=False)
    assert can_see_results(council.observer, closed, has_voted=False)


def test_nobody_but_the_secretariat_sees_counts_of_a_request(council, make_poll):
    poll = make_poll(status=PollStatus.REQUESTED, requesting_organization=council.member_org)
    assert not can_see_results(council.staff, poll, has_voted=True)
    assert can_see_results(council.secretariat, poll, has_voted=False)

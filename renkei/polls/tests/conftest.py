"""Fixtures for the poll corner's tests."""

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest
from allauth.mfa.models import Authenticator

from renkei.directory.models import Organization
from renkei.polls.models import (
    Choice,
    Poll,
    PollStatus,
    ResultsVisibility,
    VoteScope,
    poll_today,
)
from renkei.testing import Council


@pytest.fixture
def council(council: Council) -> Council:
    """The shared council, with the secretariat's authenticator set up so pages open."""
    Authenticator.objects.create(
        user=council.secretariat, type=Authenticator.Type.TOTP, data={"secret": "test"}
    )
    return council


@pytest.fixture
def today() -> date:
    return poll_today()


MakePoll = Callable[..., Poll]


@pytest.fixture
def make_poll(db, today: date) -> MakePoll:
    """Return a function that stores a poll directly, past periods included."""

    def make(
        *,
        question: str = "CMS（Content Management System）の導入について",
        choices: Sequence[str] = ("導入済み", "導入予定", "予定なし"),
        start: date | None = None,
        end: date | None = None,
        status: str = PollStatus.APPROVED,
        vote_scope: str = VoteScope.ORGANIZATION,
        multiple_choice: bool = False,
        results_visibility: str = ResultsVisibility.AFTER_VOTING,
        requesting_organization: Organization | None = None,
    ) -> Poll:
        start = start if start is not None else today - timedelta(days=3)
        end = end if end is not None else max(start, today) + timedelta(days=7)
        poll = Poll.objects.create(
            question=question,
            start_date=start,
            end_date=end,
            status=status,
            vote_scope=vote_scope,
            multiple_choice=multiple_choice,
            results_visibility=results_visibility,
            requesting_organization=requesting_organization,
        )
        Choice.objects.bulk_create(
            Choice(poll=poll, position=index, text=text)
            for index, text in enumerate(choices, start=1)
        )
        return poll

    return make

"""seed_scale: counts of the small set, determinism, full coverage of the big inquiry."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from renkei.accounts.models import Role, User
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
from renkei.directory.models import LISTED_KINDS, Membership, Organization, Person
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
            digest = scale_digest()
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
    text = out.getvalue()
    assert "[8/8]" in text and "total:" in text and SCALE_PASSWORD in text


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

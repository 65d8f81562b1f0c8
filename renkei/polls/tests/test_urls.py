"""Every URL of the poll corner against every role: the status code each one gets."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from renkei.core.wareki import format_wareki
from renkei.polls.models import Poll, PollStatus, Vote, VoteScope

ROLES = ["anonymous", "outsider", "observer", "staff", "representative", "board", "secretariat"]
LOGIN = "login"


@dataclass
class Scene:
    open_poll: Poll
    upcoming_poll: Poll
    requested_poll: Poll


@pytest.fixture
def scene(council, make_poll, today) -> Scene:
    return Scene(
        open_poll=make_poll(vote_scope=VoteScope.PERSON),
        upcoming_poll=make_poll(question="LG.JPドメインの利用について", start=today + timedelta(2)),
        requested_poll=make_poll(
            question="情報システム運用課題と仮想化技術導入について",
            status=PollStatus.REQUESTED,
            requesting_organization=council.member_org,
            start=today + timedelta(days=5),
        ),
    )


def poll_form_data(today) -> dict[str, str]:
    return {
        "question": "庁内ネットワークの無線化について",
        "choices": "実施済み\n検討中\n予定なし",
        "start_date": format_wareki(today + timedelta(days=1)),
        "end_date": (today + timedelta(days=14)).isoformat(),
        "vote_scope": "organization",
        "results_visibility": "after_close",
    }


def members(status: int) -> dict[str, int]:
    """Expect the status for every member role; observers and the secretariat are set apart."""
    return {role: status for role in ("outsider", "staff", "representative", "board")}


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES[1:]}


def secretariat_only(status: int) -> dict[str, int]:
    return everyone(403) | {"secretariat": status}


# (name, method, url, data, expected status per logged-in role); anonymous is always sent
# to the login page.
CASES = [
    ("index", "get", lambda s: reverse("polls:index"), None, everyone(200)),
    (
        "index filtered by year",
        "get",
        lambda s: reverse("polls:index") + "?year=2008",
        None,
        everyone(200),
    ),
    (
        "detail of a running poll",
        "get",
        lambda s: reverse("polls:detail", args=[s.open_poll.pk]),
        None,
        everyone(200),
    ),
    (
        "detail of a request",
        "get",
        lambda s: reverse("polls:detail", args=[s.requested_poll.pk]),
        None,
        {
            "outsider": 404,
            "observer": 404,
            "staff": 200,
            "representative": 200,
            "board": 404,
            "secretariat": 200,
        },
    ),
    ("detail of a missing poll", "get", lambda s: "/polls/999999/", None, everyone(404)),
    (
        "vote",
        "post",
        lambda s: reverse("polls:vote", args=[s.open_poll.pk]),
        lambda s, today: {"choices": str(s.open_poll.choices.first().pk)},
        members(302) | {"observer": 403, "secretariat": 302},
    ),
    (
        "vote by GET",
        "get",
        lambda s: reverse("polls:vote", args=[s.open_poll.pk]),
        None,
        members(405) | {"observer": 405, "secretariat": 405},
    ),
    (
        "vote in a hidden request",
        "post",
        lambda s: reverse("polls:vote", args=[s.requested_poll.pk]),
        lambda s, today: {"choices": str(s.requested_poll.choices.first().pk)},
        {
            "outsider": 404,
            "observer": 403,
            "staff": 302,
            "representative": 302,
            "board": 404,
            "secretariat": 302,
        },
    ),
    (
        "request form",
        "get",
        lambda s: reverse("polls:request"),
        None,
        members(200) | {"observer": 403, "secretariat": 403},
    ),
    (
        "request",
        "post",
        lambda s: reverse("polls:request"),
        lambda s, today: poll_form_data(today),
        members(302) | {"observer": 403, "secretariat": 403},
    ),
    ("create form", "get", lambda s: reverse("polls:create"), None, secretariat_only(200)),
    (
        "create",
        "post",
        lambda s: reverse("polls:create"),
        lambda s, today: poll_form_data(today),
        secretariat_only(302),
    ),
    (
        "edit form",
        "get",
        lambda s: reverse("polls:edit", args=[s.upcoming_poll.pk]),
        None,
        secretariat_only(200),
    ),
    (
        "edit",
        "post",
        lambda s: reverse("polls:edit", args=[s.upcoming_poll.pk]),
        lambda s, today: poll_form_data(today),
        secretariat_only(302),
    ),
    ("queue", "get", lambda s: reverse("polls:queue"), None, secretariat_only(200)),
    (
        "approve",
        "post",
        lambda s: reverse("polls:approve", args=[s.requested_poll.pk]),
        lambda s, today: {},
        secretariat_only(302),
    ),
    (
        "reject",
        "post",
        lambda s: reverse("polls:reject", args=[s.requested_poll.pk]),
        lambda s, today: {"reason": "内容が重複するため"},
        secretariat_only(302),
    ),
    (
        "close",
        "post",
        lambda s: reverse("polls:close", args=[s.open_poll.pk]),
        lambda s, today: {"confirm": "yes"},
        secretariat_only(302),
    ),
]


def snapshot() -> tuple:
    polls = Poll.objects.order_by("pk").values_list(
        "pk", "question", "status", "start_date", "closed_early_at"
    )
    return list(polls), Vote.objects.count()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_for_role(council, scene, today, role, method, url, data, expected):
    client = Client()
    if role != "anonymous":
        client.force_login(council.users_by_role()[role])
    path = url(scene)
    before = snapshot()

    response = client.get(path) if method == "get" else client.post(path, data(scene, today))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert snapshot() == before
        return
    assert response.status_code == expected[role], response.content.decode()[:2000]
    if response.status_code in (403, 404, 405):
        assert snapshot() == before

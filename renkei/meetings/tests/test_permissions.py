"""Every meetings URL against every role, on a board-only 役員会 (深川市 invited, 総務省 observing).

`test_every_pattern_has_an_entry` walks the resolver, so a new URL without a row here fails.
Refused POSTs must leave the records as they were.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from renkei.audit.models import AuditEvent
from renkei.meetings import services
from renkei.meetings.models import (
    Invitee,
    Material,
    Meeting,
    MeetingRequirement,
    Minutes,
    MinutesComment,
    Response,
)

ROLES = ("anonymous", "outsider", "staff", "representative", "board", "observer", "secretariat")
LOGIN = 302
READERS = ("board", "observer", "secretariat")  # those who may see the board meeting
EVERYONE = ROLES[1:]


def answers(ok: int, *allowed: str, refused: int = 403, anonymous: int = LOGIN) -> dict[str, int]:
    table = {role: (ok if role in allowed else refused) for role in EVERYONE}
    table["anonymous"] = anonymous
    return table


def board_url(name: str, *extra):
    return lambda w: reverse(f"meetings:{name}", args=[w.board_meeting.pk, *extra])


TABLE = {
    "meetings:list": (lambda w: reverse("meetings:list"), answers(200, *EVERYONE)),
    "meetings:create": (lambda w: reverse("meetings:create"), answers(200, "secretariat")),
    "meetings:plan": (lambda w: reverse("meetings:plan"), answers(200, *EVERYONE)),
    "meetings:board": (lambda w: reverse("meetings:board"), answers(200, "board", "secretariat")),
    "meetings:resolutions": (lambda w: reverse("meetings:resolutions"), answers(200, *EVERYONE)),
    "meetings:my_calendar": (lambda w: reverse("meetings:my_calendar"), answers(200, *EVERYONE)),
    # A guessed token finds nothing, for anyone.
    "meetings:feed": (
        lambda w: reverse("meetings:feed", args=["guessed-token"]),
        answers(404, refused=404, anonymous=404),
    ),
    # Draft minutes are not public: 404 even for the secretariat's browser.
    "meetings:public_minutes": (
        lambda w: reverse("meetings:public_minutes", args=[w.minutes.pk]),
        answers(404, refused=404, anonymous=404),
    ),
    "meetings:detail": (board_url("detail"), answers(200, *READERS)),
    "meetings:edit": (board_url("edit"), answers(200, "secretariat")),
    "meetings:invitees": (board_url("invitees"), answers(200, "secretariat")),
    "meetings:invite": (board_url("invite"), answers(200, "secretariat")),
    "meetings:reply": (board_url("reply"), answers(405, *EVERYONE)),
    "meetings:attendance": (board_url("attendance"), answers(200, "secretariat")),
    "meetings:agenda_add": (board_url("agenda_add"), answers(200, "secretariat")),
    "meetings:material_add": (board_url("material_add"), answers(200, "secretariat")),
    "meetings:material": (
        lambda w: reverse("meetings:material", args=[w.board_meeting.pk, w.material.pk]),
        answers(200, *READERS),
    ),
    "meetings:ics": (board_url("ics"), answers(200, *READERS)),
    "meetings:minutes": (board_url("minutes"), answers(200, *READERS)),
    "meetings:minutes_create": (board_url("minutes_create"), answers(405, *EVERYONE)),
    "meetings:minutes_edit": (board_url("minutes_edit"), answers(200, "secretariat")),
    "meetings:minutes_step": (board_url("minutes_step", "circulate"), answers(200, "secretariat")),
    "meetings:minutes_publish": (board_url("minutes_publish"), answers(200, "secretariat")),
    "meetings:minutes_versions": (board_url("minutes_versions"), answers(200, *READERS)),
    # No confirmed version yet: readers learn that (404), others are refused first.
    "meetings:minutes_version": (board_url("minutes_version", 1), answers(404, *READERS)),
    "meetings:minutes_comment": (board_url("minutes_comment"), answers(405, *EVERYONE)),
    "meetings:minutes_docx": (board_url("minutes_docx"), answers(200, *READERS)),
}

POSTS = {
    "meetings:create": {
        "title": "x",
        "kind": "board",
        "date": "令和8年7月1日",
        "start_time": "10:00",
        "scope": "members",
    },
    "meetings:edit": {
        "title": "x",
        "kind": "board",
        "date": "令和8年7月1日",
        "start_time": "10:00",
        "scope": "members",
    },
    "meetings:invitees": {"organizations": "和木町", "capacity": "member", "category": "役員"},
    "meetings:invite": {},
    "meetings:reply": {"reply": "attend"},
    "meetings:attendance": {"audience_count": "3", "secretariat": "1"},
    "meetings:agenda_add": {"title": "新しい議題"},
    "meetings:minutes_create": {},
    "meetings:minutes_edit": {"text": "役員会 会議録\n開会\n開会した。"},
    "meetings:minutes_step": {},
    "meetings:minutes_publish": {"publication": "public"},
    "meetings:minutes_comment": {"text": "意見"},
    "meetings:plan": {"fiscal_year": "2026", "kind": "board", "required_count": "2"},
}


def _client(meetings, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(meetings.council.users_by_role()[role])
    return client


def _state():
    return (
        AuditEvent.objects.exclude(action="login_succeeded").count(),
        list(Meeting.objects.order_by("pk").values_list("title", "updated_at")),
        Invitee.objects.count(),
        Response.objects.count(),
        Material.objects.count(),
        list(Minutes.objects.values_list("status", "publication", "updated_at")),
        MinutesComment.objects.count(),
        MeetingRequirement.objects.count(),
    )


def test_every_pattern_has_an_entry():
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "meetings":
            names |= {f"meetings:{p.name}" for p in pattern.url_patterns}
    assert names == set(TABLE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_get_answers_each_role_as_the_table_says(meetings, name, role):
    url, expected = TABLE[name]
    response = _client(meetings, role).get(url(meetings))
    assert response.status_code == expected[role], (name, role)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["anonymous", "outsider", "staff"])
@pytest.mark.parametrize("name", sorted(POSTS))
def test_refused_posts_change_nothing(meetings, name, role):
    url = TABLE[name][0](meetings)
    before = _state()
    response = _client(meetings, role).post(url, POSTS[name])
    assert (
        response.status_code in (302, 403) if role == "anonymous" else response.status_code == 403
    )
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    assert _state() == before


def test_a_board_only_meeting_is_not_listed_for_others(meetings):
    title = meetings.board_meeting.title
    for role in ("outsider", "staff", "representative"):
        page = _client(meetings, role).get(reverse("meetings:list")).content.decode()
        assert title not in page, role
        assert meetings.members_meeting.title in page
    assert title in _client(meetings, "board").get(reverse("meetings:list")).content.decode()


def test_an_invitees_only_meeting_is_seen_by_the_invited_organization_only(meetings):
    url = reverse("meetings:detail", args=[meetings.private_meeting.pk])
    assert _client(meetings, "staff").get(url).status_code == 200
    assert _client(meetings, "representative").get(url).status_code == 200
    assert _client(meetings, "board").get(url).status_code == 403
    assert _client(meetings, "outsider").get(url).status_code == 403


def test_confirmed_minutes_published_to_members_are_read_by_any_member(meetings):
    by = meetings.council.secretariat
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    url = reverse("meetings:minutes", args=[meetings.board_meeting.pk])
    assert _client(meetings, "outsider").get(url).status_code == 403
    services.minutes_publish(minutes=meetings.minutes, by=by, publication="members")
    assert _client(meetings, "outsider").get(url).status_code == 200
    # The meeting's materials stay with its readers.
    material = TABLE["meetings:material"][0](meetings)
    assert _client(meetings, "outsider").get(material).status_code == 403
    public = reverse("meetings:public_minutes", args=[meetings.minutes.pk])
    assert Client().get(public).status_code == 404
    services.minutes_publish(minutes=meetings.minutes, by=by, publication="public")
    page = Client().get(public)
    assert page.status_code == 200 and "本会の概要について" in page.content.decode()

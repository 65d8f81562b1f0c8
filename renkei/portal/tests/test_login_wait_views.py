"""The secretariat's login-wait page: list the waits, lift one (audited), outsiders refused."""

import pytest
from django.test import Client
from django.urls import reverse

from renkei.accounts.throttling import login_waits
from renkei.audit.models import Action, AuditEvent
from renkei.testing import PASSWORD, login_client

URL = reverse("portal:login_waits")
ATTACKER = "203.0.113.9"


@pytest.fixture
def secretariat(council) -> Client:
    return login_client(council.secretariat)


def fail(username: str, times: int, address: str = ATTACKER) -> None:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post("/accounts/login/", {"login": username, "password": "wrong-password-0"})


def test_page_lists_waiting_logins(council, secretariat):
    fail(council.staff.username, 6)

    content = secretariat.get(URL).content.decode()

    assert council.staff.username in content
    assert ATTACKER in content
    assert "アドレスとユーザーID" in content
    assert "解除する" in content


def test_page_narrows_by_user_id_and_refuses_an_overlong_one_in_japanese(council, secretariat):
    fail(council.staff.username, 6)

    narrowed = secretariat.get(URL, {"username": "nobody"}).content.decode()
    overlong = secretariat.get(URL, {"username": "x" * 151}).content.decode()

    assert council.staff.username not in narrowed.split("<table", 1)[-1]
    assert "150 文字以下" in overlong
    assert council.staff.username in overlong.split("<table", 1)[-1]  # the list stays whole


def test_lifting_a_wait_lets_the_user_in_and_is_audited(council, secretariat):
    fail(council.staff.username, 6)
    [wait] = login_waits()

    response = secretariat.post(URL, {"key": wait.key})

    assert response.status_code == 302
    assert login_waits() == []
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post("/accounts/login/", {"login": council.staff.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(council.staff.pk)
    event = AuditEvent.objects.get(action=Action.CHANGED)
    assert event.actor == council.secretariat
    assert event.target_id == str(council.staff.pk)
    assert event.detail["what"] == "login_wait_lifted"
    assert event.detail["address"] == ATTACKER


def test_lifting_an_unknown_wait_changes_nothing(council, secretariat):
    fail(council.staff.username, 6)

    response = secretariat.post(URL, {"key": "login-throttle:pair:nothing"}, follow=True)

    assert "すでに解除されているか" in response.content.decode()
    assert len(login_waits()) == 1
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


@pytest.mark.parametrize("role", ["staff", "representative", "board", "observer", "outsider"])
def test_members_may_neither_see_nor_lift_waits(council, role):
    fail(council.staff.username, 6)
    [wait] = login_waits()
    client = Client()
    client.force_login(getattr(council, role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"key": wait.key}).status_code == 403
    assert len(login_waits()) == 1


def test_anonymous_visitor_is_sent_to_the_login_page(council):
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_keeps_a_constant_number_of_queries(
    council, secretariat, django_assert_max_num_queries
):
    for i in range(30):
        fail(f"guess-{i}", 6, address=f"203.0.113.{i + 1}")
    with django_assert_max_num_queries(12):
        secretariat.get(URL)

"""Failed-login throttling: backoff per (address, user ID), per user ID and per address,
never a lock that anyone can set on anyone; what the secretariat sees and lifts."""

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test import Client

from renkei.accounts.models import User
from renkei.audit.models import Action, AuditEvent
from renkei.testing import PASSWORD, logged_in_user_id

THROTTLED = "ログインの失敗が続いたため、このユーザーIDでのログインを一時的に止めています。"
ATTACKER = "203.0.113.9"
OFFICE = "192.0.2.10"
LGWAN = "198.51.100.1"
WRONG = "wrong-password-0000"


@pytest.fixture
def clock(monkeypatch):
    """Stop time.time() and move it forward only when told (the throttle and the test cache
    both read it).

    Frozen rather than offset from the real clock: on a busy machine a login takes over a
    second, and a page that says how long to wait would then read 「29秒後」 instead of 「30秒後」.
    """
    frozen = time.time()
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: frozen + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def attempt(address: str, username: str, password: str = PASSWORD) -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": username, "password": password})
    return client, response.content.decode()


def test_wrong_passwords_from_elsewhere_do_not_lock_the_user_out(council):
    for _ in range(6):
        attempt(ATTACKER, "tobetsu-staff", WRONG)

    client, _ = attempt(OFFICE, "tobetsu-staff")

    assert logged_in_user_id(client) == council.staff.pk


def test_failures_beyond_the_limit_make_that_address_wait_twice_as_long_each_time(council, clock):
    for _ in range(5):
        _, page = attempt(ATTACKER, "tobetsu-staff", WRONG)
        assert THROTTLED not in page
    attempt(ATTACKER, "tobetsu-staff", WRONG)  # the sixth failure: 30 seconds

    client, page = attempt(ATTACKER, "tobetsu-staff")
    assert THROTTLED in page and "30秒後" in page
    assert logged_in_user_id(client) is None

    clock(31)
    attempt(ATTACKER, "tobetsu-staff", WRONG)  # the seventh: 60 seconds
    clock(31)
    assert THROTTLED in attempt(ATTACKER, "tobetsu-staff")[1]
    clock(30)
    client, _ = attempt(ATTACKER, "tobetsu-staff")
    assert logged_in_user_id(client) == council.staff.pk


def test_waits_never_exceed_the_ceiling(council, clock, settings):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "BACKOFF_MAX_SECONDS": 120}
    for _ in range(12):
        attempt(ATTACKER, "tobetsu-staff", WRONG)
        clock(200)
    attempt(ATTACKER, "tobetsu-staff", WRONG)

    clock(121)
    client, _ = attempt(ATTACKER, "tobetsu-staff")
    assert logged_in_user_id(client) == council.staff.pk


def test_failures_are_forgotten_after_the_window(council, clock):
    for _ in range(5):
        attempt(ATTACKER, "tobetsu-staff", WRONG)
    clock(15 * 60 + 60 * 15 + 1)

    _, page = attempt(ATTACKER, "tobetsu-staff", WRONG)

    assert THROTTLED not in page
    assert THROTTLED not in attempt(ATTACKER, "tobetsu-staff")[1]


def test_a_success_forgets_the_failures_of_that_address_and_user_id(council):
    for _ in range(4):
        attempt(OFFICE, "tobetsu-staff", WRONG)
    attempt(OFFICE, "tobetsu-staff")
    for _ in range(5):
        attempt(OFFICE, "tobetsu-staff", WRONG)

    client, _ = attempt(OFFICE, "tobetsu-staff")

    assert logged_in_user_id(client) == council.staff.pk


def test_user_id_guessed_from_many_addresses_waits_with_backoff(council, clock):
    for i in range(21):
        attempt(f"203.0.113.{i + 1}", "tobetsu-staff", WRONG)

    assert THROTTLED in attempt(OFFICE, "tobetsu-staff")[1]
    clock(31)
    client, _ = attempt(OFFICE, "tobetsu-staff")
    assert logged_in_user_id(client) == council.staff.pk


def test_guessing_many_user_ids_from_one_address_hits_the_address_ceiling(council, settings):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "ADDRESS_FAILED_LIMIT": 10}
    for i in range(11):
        attempt(ATTACKER, f"guess-{i}", WRONG)

    assert THROTTLED in attempt(ATTACKER, "tobetsu-kanri")[1]
    client, _ = attempt(OFFICE, "tobetsu-kanri")
    assert logged_in_user_id(client) == council.representative.pk


def test_refused_attempts_during_a_wait_are_audited(council):
    for _ in range(6):
        attempt(ATTACKER, "tobetsu-staff", WRONG)
    attempt(ATTACKER, "tobetsu-staff")
    attempt(ATTACKER, "TOBETSU-STAFF", WRONG)

    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert failures.count() == 8
    assert [e.detail for e in failures.order_by("-id")[:2]] == [{"reason": "rate_limited"}] * 2
    assert {e.ip_address for e in failures} == {ATTACKER}


def test_three_hundred_users_log_in_from_one_address_within_a_minute(db, settings, monkeypatch):
    # A prefecture's municipalities at 9:00, all behind one LGWAN address; a third of them
    # mistype their password once first.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    encoded = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=f"lgwan-{i:03d}", password=encoded, role="staff") for i in range(300)
    )
    # However slow the machine, every attempt falls in the same second of the throttle's clock.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    logged_in = 0
    for i in range(300):
        if i % 3 == 0:
            attempt(LGWAN, f"lgwan-{i:03d}", WRONG)
        client, _ = attempt(LGWAN, f"lgwan-{i:03d}")
        logged_in += logged_in_user_id(client) is not None

    assert logged_in == 300


def test_throttle_counts_the_client_behind_the_proxy_and_audits_that_address(council, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    def through_proxy(forwarded: str, password: str) -> Client:
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
        client.post("/accounts/login/", {"login": "tobetsu-staff", "password": password})
        return client

    for i in range(6):
        # The client's own X-Forwarded-For entries (before the proxy's) are not believed.
        through_proxy(f"192.0.2.{i}, {ATTACKER}", WRONG)
    refused = through_proxy(ATTACKER, PASSWORD)
    colleague = through_proxy(OFFICE, PASSWORD)

    assert logged_in_user_id(refused) is None
    assert logged_in_user_id(colleague) == council.staff.pk
    addresses = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {ATTACKER, OFFICE}


def test_throttle_state_lives_in_the_shared_database_cache(council, settings):
    from config.settings import base

    assert base.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    settings.CACHES = {**settings.CACHES, "default": base.CACHES["default"]}
    from django.core.cache import caches

    call_command("createcachetable")  # what the core migration does in production
    try:
        for _ in range(6):
            attempt(ATTACKER, "tobetsu-staff", WRONG)
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM renkei_cache")
            keys = [row[0] for row in cursor.fetchall()]
        # Another process (here: a fresh client) sees the wait.
        assert THROTTLED in attempt(ATTACKER, "tobetsu-staff")[1]
    finally:
        caches["default"].clear()
    assert any("login-throttle" in key for key in keys)

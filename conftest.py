"""Fixtures available to every test."""

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import caches
from django.test import Client
from hypothesis import settings as hypothesis_settings

from renkei.accounts.models import User
from renkei.testing import Council, make_council

# Hypothesis fails an example slower than 200 ms by default. On a 2-core machine running the
# suite in two processes (and CI beside it) a plain example can take longer, so the deadline
# turned timing into a failure cause: properties here are about results, not speed.
hypothesis_settings.register_profile("renkei", deadline=None)
hypothesis_settings.load_profile("renkei")

# The Playwright browser and the headless LibreOffice are shared by every test in the session.
pytest_plugins = ["tests.browser.fixtures", "tests.libreoffice", "tests.smtp"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache.

    The test cache is per process, so without this a TOTP code marked as used (allauth refuses
    a code twice), a login throttle or questions kept from an earlier test in the same worker
    would leak into the next one and fail it depending on the clock.
    """
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Store uploaded and exported files in a fresh folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def council(db) -> Council:
    """A small council with one user per role."""
    return make_council()


@pytest.fixture
def secretariat_totp(council: Council) -> str:
    """Give the secretariat user a TOTP authenticator and return its secret.

    Without one, RequireMFAMiddleware sends the secretariat to the TOTP set-up page.
    """
    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    return secret


@pytest.fixture
def client_as(council: Council, secretariat_totp: str) -> Callable[[User | None], Client]:
    """Return a factory of clients, each logged in as the given user (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make

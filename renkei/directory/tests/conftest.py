"""Fixtures for view tests: logged-in clients and the secretariat's TOTP authenticator."""

from collections.abc import Callable, Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

from renkei.accounts.models import User
from renkei.testing import Council


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with an empty cache: rate limits and used TOTP codes live there."""
    cache.clear()
    yield
    cache.clear()


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

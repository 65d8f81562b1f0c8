"""Reuse the view-test fixtures: an empty cache per test, logged-in clients, the TOTP set-up."""

from renkei.directory.tests.conftest import _empty_cache, client_as, secretariat_totp

__all__ = ["_empty_cache", "client_as", "secretariat_totp"]

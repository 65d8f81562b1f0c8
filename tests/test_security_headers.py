"""Every response carries the Content-Security-Policy; logged-in pages are never stored.

tests/test_authorization.py checks both headers on every project URL for every role
with real records; this module covers what the matrix skips (admin, allauth) by walking the
resolver with placeholder arguments, and the static files.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import get_resolver

from renkei.core.security_headers import CONTENT_SECURITY_POLICY
from tests.authorization_matrix import _walk

PLACEHOLDERS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _paths() -> list[str]:
    paths = []
    for route in _walk(get_resolver().url_patterns):
        path = route.route
        # "<int:pk>" and regex groups (the admin's) get a placeholder of the right shape.
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: PLACEHOLDERS.get(m[1] or "str", "x"), path)
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path).lstrip("^").rstrip("$").replace("\\", "")
        paths.append("/" + path)
    return sorted(set(paths))


@pytest.fixture
def secretariat_client(council) -> Client:
    Authenticator.objects.create(
        user=council.secretariat, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client = Client()
    client.force_login(council.secretariat)
    return client


def test_every_url_pattern_answers_with_the_csp(council, secretariat_client):
    paths = _paths()
    assert "/admin/" in paths and "/accounts/login/" in paths

    for path in paths:
        anonymous = Client().get(path)
        logged_in = secretariat_client.get(path)

        assert anonymous["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert logged_in["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert logged_in["Cache-Control"] == "no-store, private", path


def test_policy_allows_no_inline_script_and_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"


def test_policy_allows_styles_only_from_the_sites_own_files():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))

    # No 'unsafe-inline', no nonce or hash: <style> blocks and style="" attributes are dropped.
    assert directives["style-src"] == "'self'"


def test_member_page_is_not_stored_but_static_files_may_be(council, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve static/ as whitenoise does after collectstatic
    client = Client()
    client.force_login(council.staff)

    assert client.get("/")["Cache-Control"] == "no-store, private"
    static = client.get("/static/css/renkei.css")
    assert static.status_code == 200
    assert static["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "no-store" not in static.get("Cache-Control", "")


def test_pages_carry_no_inline_script_or_event_handler(council):
    client = Client()
    client.force_login(council.staff)

    for path in ("/", "/accounts/login/", "/organizations/", "/inquiries/", "/polls/"):
        html = (client if path != "/accounts/login/" else Client()).get(path).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all("src=" in tag or "application/json" in tag for tag in scripts), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert 'name="htmx-config"' in html and '"allowEval": false' in html, path

"""Request middleware: members-only site, MFA for the secretariat, date style per user."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from renkei.accounts.models import Role
from renkei.core.wareki import use_date_style

# Paths reachable without logging in: login, password reset, invitation acceptance, static
# files, and answering one inquiry through an organization's answer link (/answer/).
PUBLIC_PREFIXES = ("/accounts/", "/invitations/", "/answer/", "/static/", "/healthz")


class IdleTimeoutMiddleware:
    """Keep a session alive while it is used; it expires SESSION_COOKIE_AGE after the last use.

    The expiry is renewed at most once per SESSION_RENEW_SECONDS, so an active user costs one
    session write a minute rather than one per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("_renewed_at", 0)
            if now - last >= settings.SESSION_RENEW_SECONDS:
                # Changing the session is enough: it is saved with a new expiry of
                # SESSION_COOKIE_AGE. set_expiry() would make the cookie outlive the browser.
                request.session["_renewed_at"] = now
        return self.get_response(request)


class LoginRequiredMiddleware:
    """Answer every page with the login page unless the visitor is logged in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)


class RequireMFAMiddleware:
    """Send secretariat users without an authenticator to the TOTP set-up page."""

    allowed_prefixes = ("/accounts/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.role == Role.SECRETARIAT
            and not request.path.startswith(self.allowed_prefixes)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class DateStyleMiddleware:
    """Show dates in the logged-in user's chosen style (和暦 or 西暦) for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        style = request.user.date_style if request.user.is_authenticated else "wareki"
        with use_date_style(style):
            return self.get_response(request)

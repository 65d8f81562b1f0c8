"""Headers every response carries: a strict Content-Security-Policy, and no caching of
member pages in the browser or a proxy."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# No inline script and no inline style anywhere: htmx is told not to eval nor to add its own
# indicator styles (see base.html's htmx-config), and all CSS is in static files (no <style>
# blocks, no style="" attributes; tests/test_every_page.py checks every page). Nothing may
# come from another host: the site runs inside LGWAN.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy to every response; forbid storing logged-in pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
        ):
            # Member data (contacts, answers) must not stay in a shared PC's browser cache.
            response["Cache-Control"] = "no-store, private"
        return response

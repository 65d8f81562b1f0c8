"""Values every template needs."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """Expose the site and council names to templates."""
    return {
        "site_name": settings.RENKEI["SITE_NAME"],
        "council_name": settings.RENKEI["COUNCIL_NAME"],
    }

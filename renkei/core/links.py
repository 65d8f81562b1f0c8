"""Absolute addresses of the site's pages, for links that leave the browser (mail)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """Return the site address RENKEI_BASE_URL followed by a path such as /inquiries/3/."""
    base = settings.RENKEI["BASE_URL"].rstrip("/")
    return base + "/" + path.lstrip("/")

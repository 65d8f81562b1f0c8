"""Signed unsubscribe links for newsletters (RFC 2369 List-Unsubscribe, RFC 8058 one-click)."""

from django.core import signing
from django.urls import reverse

from renkei.core.links import absolute_url

SALT = "renkei.announcements.unsubscribe"


def unsubscribe_token(*, email: str) -> str:
    """Return the token naming one address; it never expires, as a newsletter is kept."""
    return signing.dumps(email.strip().lower(), salt=SALT, compress=True)


def unsubscribe_email(*, token: str) -> str | None:
    """Return the address a token names, or None if it was not signed by us."""
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(*, email: str) -> str:
    """Return the absolute address of an address's unsubscribe page."""
    return absolute_url(reverse("announcements:unsubscribe", args=[unsubscribe_token(email=email)]))


def unsubscribe_headers(*, url: str) -> dict[str, str]:
    """Return the List-Unsubscribe headers of one recipient's copy of a newsletter.

    `url` is the one the copy's body links to (unsubscribe_url): signed once, so the header
    and the body carry the same link even when signing them apart would cross a second.
    """
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }

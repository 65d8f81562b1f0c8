"""Capabilities for templates: `{% if caps.manage_directory %}`, the same answer as the views."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from renkei.accounts.permissions import Capability, has_capability


class UnknownCapabilityError(Exception):
    """A template named a capability that does not exist (a typo must not hide a link)."""


class Capabilities:
    """Answer `caps.<capability value>` for one user."""

    def __init__(self, user: object) -> None:
        self._user = user

    def __getitem__(self, name: str) -> bool:
        try:
            capability = Capability(name)
        except ValueError:
            # Not a KeyError or ValueError: the template engine would swallow those silently.
            raise UnknownCapabilityError(name) from None
        return has_capability(self._user, capability)


def capabilities(request: HttpRequest) -> dict[str, Capabilities]:
    """Expose the request user's capabilities to templates as `caps`."""
    return {"caps": Capabilities(getattr(request, "user", AnonymousUser()))}
